"""Personal data taken out of text before it is published: names, phones, resident ID numbers, addresses.

Rules, not a model: a name is the one to three characters before 先生/女士/同志/老师/大爷/阿姨 or after
我叫/本人/姓名/联系人 (the surname stays, the rest becomes ＊); phones and ID numbers keep their ends; in an
address the building, unit, room and house numbers become ＊. Applied to titles, contents and replies alike.
"""

import re
from collections.abc import Iterable

_HAN = "\u4e00-\u9fff"
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-?\d{7,8}(?!\d)")
_TITLED_NAME = re.compile(rf"([{_HAN}])([{_HAN}]{{0,2}}?)(先生|女士|同志|老师|大爷|大娘|阿姨|师傅)")
_INTRODUCED_NAME = re.compile(
    rf"(我叫|本人|姓名[:：]?|联系人[:：]?|我是村民|村民)([{_HAN}])([{_HAN}]{{1,2}})(?=[，,。；;、\s]|$)"
)
_SURNAME_ONLY = re.compile(rf"(姓)([{_HAN}])(?=[，,。；;、\s的])")
_HOUSE_NUMBER = re.compile(r"\d+(?=\s*(?:号楼|栋|幢|单元|室|号院|号|组|户))")


def _stars(text: str) -> str:
    return "＊" * len(text)


def names_in(text: str) -> set[str]:
    """Full names the text introduces (我叫王小明, 联系人：李华, 刘大海先生), to mask wherever else they appear."""
    found = {m.group(2) + m.group(3) for m in _INTRODUCED_NAME.finditer(text)}
    found |= {m.group(1) + m.group(2) for m in _TITLED_NAME.finditer(text) if m.group(2)}
    return found


def mask_personal_data(text: str, known_names: Iterable[str] = ()) -> str:
    """`known_names` (the submitter's, those the appeal introduced) are masked wherever they appear, even bare."""
    for name in sorted({n for n in known_names if len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, name[0] + _stars(name[1:]))
    text = _ID_NUMBER.sub(lambda m: f"{m.group(1)[:4]}{'＊' * 10}{m.group(2)[-4:]}", text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}＊＊＊＊{m.group(2)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}-＊＊＊＊＊＊＊", text)
    text = _INTRODUCED_NAME.sub(lambda m: f"{m.group(1)}{m.group(2)}{_stars(m.group(3))}", text)
    text = _TITLED_NAME.sub(lambda m: f"{m.group(1)}{_stars(m.group(2))}{m.group(3)}", text)
    text = _SURNAME_ONLY.sub(lambda m: f"{m.group(1)}＊", text)
    return _HOUSE_NUMBER.sub(lambda m: _stars(m.group(0)), text)
