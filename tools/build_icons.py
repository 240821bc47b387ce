#!/usr/bin/env python3
"""Draws the web app's icons (manifest, home screen, favicon, loading screen) into assets/.

The mark is 一网 in white on the theme colour (app/web/shell.py THEME_COLOR), set in our bundled Noto Sans SC.
Maskable icons keep the mark inside the central 80% safe zone. Needs Pillow (dev extras).

Usage (from the repository root): .venv/bin/python tools/build_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.web.shell import THEME_COLOR  # noqa: E402

FONT = REPO / "assets" / "fonts" / "NotoSansSC-Common.otf"
OUT = REPO / "assets"
MARK = "一网"


def draw(size: int, *, maskable: bool, rounded: bool) -> Image.Image:
    scale = 4  # drawn large, then downsampled: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    if maskable or not rounded:
        canvas.rectangle((0, 0, big, big), fill=THEME_COLOR)
    else:
        canvas.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=THEME_COLOR)
    text_width = big * (0.56 if maskable else 0.7)
    font = ImageFont.truetype(str(FONT), int(text_width / len(MARK)))
    left, top, right, bottom = canvas.textbbox((0, 0), MARK, font=font)
    canvas.text(((big - (right - left)) / 2 - left, (big - (bottom - top)) / 2 - top), MARK, font=font, fill="white")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    icons = OUT / "icons"
    icons.mkdir(parents=True, exist_ok=True)
    outputs = {
        icons / "icon-192.png": draw(192, maskable=False, rounded=True),
        icons / "icon-512.png": draw(512, maskable=False, rounded=True),
        icons / "icon-maskable-192.png": draw(192, maskable=True, rounded=False),
        icons / "icon-maskable-512.png": draw(512, maskable=True, rounded=False),
        icons / "apple-touch-icon-192.png": draw(192, maskable=False, rounded=False),
        icons / "loading-animation.png": draw(192, maskable=False, rounded=True),
        OUT / "favicon.png": draw(32, maskable=False, rounded=True),
    }
    for path, image in outputs.items():
        image.save(path, optimize=True)
        print(f"{path.relative_to(REPO)}: {path.stat().st_size:,} B")


if __name__ == "__main__":
    main()
