#!/usr/bin/env python3
"""Build the Chinese fonts bundled under assets/fonts/ from Debian's font packages.

Flet's web client ships no CJK font and, offline (no_cdn), cannot fetch one, so
the app carries its own, in three faces tried in this order:

* ``NotoSansSC-Common``: from the Simplified Chinese face of Noto Sans CJK
  (NotoSansCJK-Regular.ttc, found by name; it is index 2): Latin, punctuation,
  symbols, kana, full-width forms, plus GB 2312 and the 8,105 characters of
  通用规范汉字表 (2013), i.e. everyday text and nearly every name.
* ``NotoSansSC-Ext``: every other ideograph of that face (rest of the URO,
  Extension A, the ~2,200 Extension B-G characters it has, compatibility
  ideographs, radicals).
* ``YiwangHanRare``: the Extension B-F ideographs Noto lacks (e.g. 𡒄), cut
  from HanaMinB of the Hanazono fonts (a Mincho/serif design, OFL). Large;
  the app registers it only when a text needs it (app/theme_fonts.py).

Each face is written as .woff2 (what the web client downloads) and as .otf/.ttf
(what native Flutter builds load; Flet documents only ttf/otf/ttc for them).
Vertical-writing data and other-locale glyph variants (locl, vert, ...) are
left out: Flutter lays text out horizontally, and they would double the size.
Output is byte-for-byte reproducible for the same inputs and fontTools version
(timestamps come from the source fonts). OFL.txt and OFL-Hanazono.txt are
written from the licence text Debian ships with each package.

Needs: Debian packages fonts-noto-cjk, unicode-data (Unihan's kTGH field lists
通用规范汉字表) and fonts-hanazono; PyPI packages fonttools and brotli.

Usage (from the repository root):
    .venv/bin/python tools/build_fonts.py               # writes assets/fonts/
    .venv/bin/python tools/build_fonts.py --no-rare     # without YiwangHanRare
    .venv/bin/python tools/build_fonts.py --with-hangul # Hangul syllables in Ext (+1.2 MB)
    .venv/bin/python tools/build_fonts.py --no-hinting  # ~18% smaller Noto faces, blurrier on 1x screens
"""

from __future__ import annotations

import argparse
import ast
import bz2
import contextlib
import hashlib
import re
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "assets" / "fonts"
THEME_MODULE = REPO / "app" / "theme_fonts.py"
NOTO_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
HANAZONO_B = Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf")
HANAZONO_COPYRIGHT = Path("/usr/share/doc/fonts-hanazono/copyright")
UNIHAN_OTHER = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
NOTO_FAMILY = "Noto Sans CJK SC"

# OpenType features Flutter's shaper applies by default that matter here. Left out
# on purpose: locl (JP/KR/TC glyph variants), vert/vrt2/vkrn/vpal/vhal (vertical),
# aalt/fwid/hwid/pwid/ruby/hist/dlig/palt/halt (never requested by Flutter).
LAYOUT_FEATURES = ["ccmp", "liga", "calt", "kern", "mark", "mkmk"]
HANGUL_FEATURES = ["ljmo", "vjmo", "tjmo"]
DROP_TABLES = ["vhea", "vmtx", "VORG", "BASE", "FFTM"]

HAN_RANGES = [
    (0x2E80, 0x2FDF),  # CJK radicals supplement, Kangxi radicals
    (0x2FF0, 0x2FFF),  # ideographic description characters
    (0x31C0, 0x31EF),  # CJK strokes
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # URO
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0x20000, 0x3FFFF),  # Extensions B-H, compatibility supplement
]
HANGUL_RANGES = [(0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)]


def _in(cp: int, ranges: list[tuple[int, int]]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def tongyong_guifan(unihan: Path) -> set[int]:
    """The 8,105 characters of 通用规范汉字表 (2013), from Unihan's kTGH field."""
    chars = set()
    with bz2.open(unihan, "rt", encoding="utf-8") as f:
        for line in f:
            if "\tkTGH\t" in line:
                chars.add(int(line.split("\t", 1)[0][2:], 16))
    if len(chars) != 8105:
        sys.exit(f"{unihan}: expected 8105 kTGH characters, found {len(chars)}")
    return chars


def gb2312() -> set[int]:
    """All 7,445 characters of GB 2312 (6,763 hanzi + 682 symbols), via Python's codec."""
    chars = set()
    for b1 in range(0xA1, 0xFF):
        for b2 in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(ord(bytes((b1, b2)).decode("gb2312")))
    return chars


def find_face(ttc: Path, family: str) -> int:
    for i, font in enumerate(TTCollection(str(ttc), lazy=True).fonts):
        if font["name"].getDebugName(1) == family:
            return i
    sys.exit(f"{ttc}: no face named {family!r}")


def set_names(font: TTFont, family: str, ps_name: str, copyright_notice: str | None = None) -> None:
    """Give a subset its own names: it is a Modified Version under the OFL, and
    Hanazono's names are Reserved Font Names. Licence and copyright records stay."""
    name = font["name"]
    version = name.getDebugName(5) or ""
    m = re.search(r"\d+[.-]\d+", version)
    new = {
        1: family,
        2: "Regular",
        3: f"{m.group(0) if m else '0'};YIWANG;{ps_name}",
        4: f"{family} Regular",
        6: ps_name,
        16: family,
        17: "Regular",
    }
    if copyright_notice:
        new[0] = copyright_notice
        new[13] = "This Font Software is licensed under the SIL Open Font License, Version 1.1."
        new[14] = "https://openfontlicense.org"
    name.names = [r for r in name.names if r.nameID not in new and r.platformID == 3]
    for name_id, value in new.items():
        name.setName(value, name_id, 3, 1, 0x409)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [ps_name]
        top = cff.topDictIndex[0]
        top.FullName = f"{family} Regular"
        top.FamilyName = family


def build_face(job: dict) -> list[Path]:
    opts = subset.Options()
    opts.layout_features = job["features"]
    opts.name_IDs = ["*"]  # keep copyright, trademark, licence (13) and licence URL (14)
    opts.name_languages = ["*"]
    opts.drop_tables += DROP_TABLES
    opts.hinting = job["hinting"]
    opts.notdef_outline = True  # a visible box rather than nothing for a missing glyph
    font = TTFont(job["src"], fontNumber=job["index"], recalcTimestamp=False)
    subsetter = subset.Subsetter(opts)
    subsetter.populate(unicodes=job["unicodes"])
    subsetter.subset(font)
    set_names(font, job["family"], job["ps_name"], job.get("copyright"))
    written = []
    flavors = [("woff2", "woff2")] if job["ext"] is None else [(None, job["ext"]), ("woff2", "woff2")]
    for flavor, ext in flavors:
        font.flavor = flavor
        path = Path(job["out"]) / f"{job['file']}.{ext}"
        font.save(str(path))
        written.append(path)
    return written


def debian_licence(copyright_file: Path, licence: str) -> str:
    """The text of one 'License:' paragraph of a Debian copyright file, unfolded."""
    text = copyright_file.read_text(encoding="utf-8")
    m = re.search(rf"^License: {re.escape(licence)}\n((?: .*\n?)+)", text, re.M)
    if not m:
        sys.exit(f"{copyright_file}: no 'License: {licence}' paragraph")
    lines = [line[1:] for line in m.group(1).rstrip().splitlines()]
    return textwrap.dedent("\n".join("" if line == "." else line.rstrip() for line in lines)) + "\n"


def check_theme_module(in_common: set[int]) -> None:
    """app/theme_fonts.py lists the Common face's ideographs beyond the BMP (to know when to load the rare face)."""
    if not THEME_MODULE.exists():
        return
    tree = ast.parse(THEME_MODULE.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "_COMMON_SUPPLEMENTARY" for t in node.targets):
            value = node.value.args[0] if isinstance(node.value, ast.Call) else node.value  # frozenset("...")
            listed = {ord(c) for c in ast.literal_eval(value)}
            wanted = sorted(cp for cp in in_common if cp > 0xFFFF and _in(cp, HAN_RANGES))
            if listed != set(wanted):
                print(f"WARNING: {THEME_MODULE} _COMMON_SUPPLEMENTARY differs from the Common face's; set it to:")
                print("".join(map(chr, wanted)))
            return


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--no-rare", action="store_true", help="skip YiwangHanRare (needs fonts-hanazono)")
    ap.add_argument("--with-hangul", action="store_true", help="add the 11,172 Hangul syllables to Ext")
    ap.add_argument(
        "--no-hinting",
        action="store_true",
        help="drop CFF hints from the Noto faces (~18%% smaller, blurrier at 1x pixel ratio)",
    )
    args = ap.parse_args()
    needed = [NOTO_TTC, NOTO_COPYRIGHT, UNIHAN_OTHER] + ([] if args.no_rare else [HANAZONO_B, HANAZONO_COPYRIGHT])
    for p in needed:
        if not p.exists():
            sys.exit(f"missing {p}: apt-get install fonts-noto-cjk unicode-data fonts-hanazono")

    index = find_face(NOTO_TTC, NOTO_FAMILY)
    noto = TTFont(str(NOTO_TTC), fontNumber=index, lazy=True)
    noto_cmap = set(noto.getBestCmap())
    everyday = tongyong_guifan(UNIHAN_OTHER) | gb2312()
    common = {cp for cp in noto_cmap if cp in everyday or not (_in(cp, HAN_RANGES) or _in(cp, HANGUL_RANGES))}
    ext = {cp for cp in noto_cmap - common if args.with_hangul or not _in(cp, HANGUL_RANGES)}

    args.out.mkdir(parents=True, exist_ok=True)
    noto_job = {
        "src": str(NOTO_TTC),
        "index": index,
        "hinting": not args.no_hinting,
        "ext": "otf",
        "out": str(args.out),
    }
    jobs = [
        {
            **noto_job,
            "file": "NotoSansSC-Common",
            "family": f"{NOTO_FAMILY} Common",
            "ps_name": "NotoSansCJKscCommon-Regular",
            "unicodes": sorted(common),
            "features": LAYOUT_FEATURES,
        },
        {
            **noto_job,
            "file": "NotoSansSC-Ext",
            "family": f"{NOTO_FAMILY} Ext",
            "ps_name": "NotoSansCJKscExt-Regular",
            "unicodes": sorted(ext),
            "features": LAYOUT_FEATURES + (HANGUL_FEATURES if args.with_hangul else []),
        },
    ]
    if not args.no_rare:
        hana_cmap = TTFont(str(HANAZONO_B), lazy=True).getBestCmap()
        rare = sorted(cp for cp in hana_cmap if cp > 0xFFFF and _in(cp, HAN_RANGES) and cp not in noto_cmap)
        ofl_statement = debian_licence(HANAZONO_COPYRIGHT, "Open-Font-License").split("\n\n", 1)[0]
        jobs.append(
            {
                "src": str(HANAZONO_B),
                "index": -1,
                "hinting": False,  # FontForge default instructions; not worth the bytes
                "ext": None,  # web only: native platforms fall back to the system's own CJK fonts
                "out": str(args.out),
                "file": "YiwangHanRare",
                "family": "Yiwang Han Rare",
                "ps_name": "YiwangHanRare-Regular",
                "unicodes": rare,
                "features": [],
                "copyright": " ".join(ofl_statement.split()),
            }
        )

    with ProcessPoolExecutor(max_workers=2) as pool:
        outputs = list(pool.map(build_face, jobs))

    notice = "\n".join(filter(None, (noto["name"].getDebugName(0), noto["name"].getDebugName(7))))
    (args.out / "OFL.txt").write_text(
        f"Noto Sans CJK (NotoSansSC-Common, NotoSansSC-Ext)\n{notice}\n\n" + debian_licence(NOTO_COPYRIGHT, "SIL-1.1"),
        encoding="utf-8",
    )
    if not args.no_rare:
        (args.out / "OFL-Hanazono.txt").write_text(
            "YiwangHanRare is a subset of HanaMinB (Hanazono fonts), renamed as its licence requires.\n\n"
            + debian_licence(HANAZONO_COPYRIGHT, "Open-Font-License"),
            encoding="utf-8",
        )
    check_theme_module(common)

    print(f"Noto source: {NOTO_TTC} face {index} ({NOTO_FAMILY}), {len(noto_cmap)} code points")
    for job, paths in zip(jobs, outputs, strict=True):
        cps = job["unicodes"]
        han = sum(_in(cp, HAN_RANGES) for cp in cps)
        print(f"{job['file']}: {len(cps)} code points ({han} ideographs, {sum(cp > 0xFFFF for cp in cps)} beyond BMP)")
        for p in paths:
            digest = hashlib.sha256(p.read_bytes()).hexdigest()[:16]
            print(f"  {p.name:<26} {p.stat().st_size:>11,} bytes  sha256:{digest}")
    left_out = len(noto_cmap) - len(common) - len(ext)
    if left_out:
        print(f"not bundled: {left_out} Hangul code points of the Noto face (--with-hangul adds them)")


if __name__ == "__main__":
    main()
