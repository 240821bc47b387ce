"""The yardstick of bench/web_bench.py: Flet's hello world, served the way Flet serves it (`no_cdn`)."""

import sys

import flet as ft


def main(page: ft.Page) -> None:
    page.add(ft.Text("你好"))


if __name__ == "__main__":
    ft.run(main, view=None, host="127.0.0.1", port=int(sys.argv[1]), no_cdn=True)
