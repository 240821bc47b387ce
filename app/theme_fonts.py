"""Bundled Chinese fonts for the Flet UI (files, coverage, sizes: assets/fonts/README.md).

``apply_fonts(page)``: call once in main(), after any theme setup of your own.
It registers two faces and makes them the light and dark theme's text font:
NotoSansSC (通用规范汉字表 + GB 2312 + Latin/symbols) with NotoSansSCExt (all
other Noto CJK SC ideographs) as fallback. Flet 1.0.5's ``Theme`` has no
fallback list, but ``TextStyle.font_family_fallback`` exists and Material
widgets take their text style from ``theme.text_theme``, so all 15 text-theme
styles get it. Those styles replace Flutter's defaults wholesale (size and
weight come back from Flutter's typography, colour does not), hence the
``ON_SURFACE`` colour on the styles created here.

``ensure_rare_font(page, *texts)``: the Extension B-F ideographs that Noto
lacks (e.g. 𡒄) are in a third, large face (YiwangHanRare, ~11.6 MB woff2).
Call it with text about to be shown (names, addresses); it registers that face
the first time such a character appears, and the client then downloads it and
redraws.

Web: the primary face is not a ``page.fonts`` entry but part of the web client's
own font manifest (``WEB_SHELL_FONTS``, written by app/web/shell.py), so Flutter
loads it before its first frame and never re-registers it. Characters it lacks
make Flutter ask for its fallback fonts, which app/web/host.py answers with the
Ext face (``WEB_FALLBACK_FILE``): Ext downloads only when a text needs it.
Native: both Noto faces are ``page.fonts`` entries (.otf), loaded at start.
"""

from __future__ import annotations

import flet as ft

FONT_FAMILY = "NotoSansSC"
FALLBACK_FAMILY = "NotoSansSCExt"
RARE_FAMILY = "YiwangHanRare"
# For text outside the Material text theme (Cupertino controls, adaptive=True on iOS/macOS):
#   ft.Text("…", font_family=FONT_FAMILY, font_family_fallback=list(FALLBACK_FAMILIES))
FALLBACK_FAMILIES = (FALLBACK_FAMILY, RARE_FAMILY)
_TEXT_STYLES = tuple(
    f"{group}_{size}"
    for group in ("display", "headline", "title", "body", "label")
    for size in ("large", "medium", "small")
)
# Ideographs beyond the BMP that NotoSansSC-Common has: the 196 of 通用规范汉字表 (checked by tools/build_fonts.py).
_COMMON_SUPPLEMENTARY = frozenset(
    "𠅤𠙶𠳐𡎚𡐓𣗋𣲗𣲘𣸣𤧛𤩽𤫉𥔲𥕢𥖨𥻗𦈡𦒍𦙶𦝼𦭜𦰡𧿹𨐈𨙸𨚕𨟠𨭉𨱇𨱏𨱑𨱔𨺙𩽾𩾃𩾌𪟝𪣻𪤗𪨰𪨶𪩘𪾢𫄧𫄨𫄷𫄸𫇭𫌀"
    "𫍣𫍯𫍲𫍽𫐄𫐐𫐓𫑡𫓧𫓯𫓶𫓹𫔍𫔎𫔶𫖮𫖯𫖳𫗧𫗴𫘜𫘝𫘦𫘧𫘨𫘪𫘬𫚕𫚖𫚭𫛭𫞩𫟅𫟦𫟹𫟼𫠆𫠊𫠜𫢸𫫇𫭟𫭢𫭼𫮃𫰛𫵷𫶇𫷷"
    "𫸩𬀩𬀪𬂩𬃊𬇕𬇙𬇹𬉼𬊈𬊤𬌗𬍛𬍡𬍤𬒈𬒔𬒗𬕂𬘓𬘘𬘡𬘩𬘫𬘬𬘭𬘯𬙂𬙊𬙋𬜬𬜯𬞟𬟁𬟽𬣙𬣞𬣡𬣳𬤇𬤊𬤝𬨂𬨎𬩽𬪩𬬩𬬭𬬮"
    "𬬱𬬸𬬹𬬻𬬿𬭁𬭊𬭎𬭚𬭛𬭤𬭩𬭬𬭯𬭳𬭶𬭸𬭼𬮱𬮿𬯀𬯎𬱖𬱟𬳵𬳶𬳽𬳿𬴂𬴃𬴊𬶋𬶍𬶏𬶐𬶟𬶠𬶨𬶭𬶮𬷕𬸘𬸚𬸣𬸦𬸪𬹼𬺈𬺓"
)


# Web: faces the web client loads before its first frame (family -> file under assets/fonts), and the face served
# for Flutter's own fallback-font requests (its Han-character fallbacks). The first-frame face is the .otf: it
# travels brotli-compressed (2.1 MB against 1.9 MB as woff2) and Flutter registers it without decoding woff2,
# which delayed the first frame by ~0.5 s (bench/web_bench.py).
WEB_SHELL_FONTS = {FONT_FAMILY: "NotoSansSC-Common.otf"}
WEB_FALLBACK_FILE = "NotoSansSC-Ext.woff2"


def _with_fonts(theme: ft.Theme | None) -> ft.Theme:
    theme = theme or ft.Theme()
    theme.font_family = FONT_FAMILY
    text_theme = theme.text_theme or ft.TextTheme()
    for name in _TEXT_STYLES:
        style = getattr(text_theme, name) or ft.TextStyle(color=ft.Colors.ON_SURFACE)
        style.font_family = style.font_family or FONT_FAMILY
        style.font_family_fallback = style.font_family_fallback or list(FALLBACK_FAMILIES)
        setattr(text_theme, name, style)
    theme.text_theme = text_theme
    return theme


def apply_fonts(page: ft.Page) -> None:
    """Register the bundled fonts and make them the light and dark theme's text font."""
    if page.web:  # the web client has the primary face already, and fetches Ext only when a text needs it
        page.fonts = {}
    else:  # Flet documents ttf/otf for native builds; order matters: the client loads them one after another
        page.fonts = {FONT_FAMILY: "fonts/NotoSansSC-Common.otf", FALLBACK_FAMILY: "fonts/NotoSansSC-Ext.otf"}
    page.theme = _with_fonts(page.theme)
    page.dark_theme = _with_fonts(page.dark_theme)


def needs_rare_font(text: str) -> bool:
    """True if text has an ideograph beyond the BMP outside the Common face (a few are in Ext too)."""
    return any("\U00020000" <= ch <= "\U0003ffff" and ch not in _COMMON_SUPPLEMENTARY for ch in text)


def ensure_rare_font(page: ft.Page, *texts: str) -> bool:
    """Register YiwangHanRare (web only) once any text needs it; True if it was added now.

    Native platforms fall back to the system's own CJK fonts, so the 11.6 MB face is not shipped to them.
    """
    fonts = page.fonts or {}
    if not page.web or RARE_FAMILY in fonts or not any(needs_rare_font(t) for t in texts):
        return False
    page.fonts = {**fonts, RARE_FAMILY: "fonts/YiwangHanRare.woff2"}
    return True
