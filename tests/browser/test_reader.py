"""政务公开 in Chromium on a 390x844 phone: what a screen reader hears and what the eye sees (issue 6)."""

import io
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from tests.browser.conftest import enable_semantics, wait_first_frame
from tests.browser.test_app import wait_text


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def open_route(page: Page, url: str, route: str, ready: str) -> None:
    page.goto(url + route)
    wait_first_frame(page)
    enable_semantics(page)
    wait_text(page, ready)


def named_buttons(page: Page, name: str) -> int:
    return page.get_by_role("button", name=name, exact=True).count()


def test_icon_buttons_dropdowns_and_department_rows_have_names(app_url: str, phone: Page) -> None:
    open_route(phone, app_url, "/disclosure/article/1", "发文机关")
    for name in ("返回", "减小字号", "增大字号", "收藏", "复制链接"):
        assert named_buttons(phone, name) == 1, f"no button named {name}"
    phone.get_by_role("button", name="收藏", exact=True).click()
    phone.get_by_role("button", name="取消收藏", exact=True).wait_for()  # changes at once, no reload

    phone.get_by_role("button", name="复制链接", exact=True).click()
    wait_text(phone, "链接已复制")
    assert phone.evaluate("navigator.clipboard.readText()") == f"{app_url}/disclosure/article/1"

    open_route(phone, app_url, "/disclosure", "政策文件")
    assert named_buttons(phone, "刷新") == 1
    topic = phone.locator('[flt-semantics-identifier="topic-filter"]')
    topic.wait_for()
    assert phone.get_by_role("button", name=re.compile("^主题")).count() == 1, topic.evaluate("e => e.outerHTML")
    assert phone.get_by_role("button", name=re.compile("^发文部门")).count() == 1

    open_route(phone, app_url, "/services/departments", "省公安厅")
    assert phone.get_by_role("button", name=re.compile("省公安厅")).count() == 1


def test_unknown_address_says_so_and_leads_home(app_url: str, phone: Page) -> None:
    open_route(phone, app_url, "/no-such-page", "页面不存在")
    assert phone.url.endswith("/no-such-page")
    phone.get_by_role("button", name="返回首页").click()
    phone.wait_for_url(app_url + "/")
    wait_text(phone, "最新通知公告")


def ink_columns(shot: Image.Image, box: tuple[int, int, int, int], threshold: int = 110) -> list[int]:
    """x positions (within the screenshot) of columns in `box` holding dark pixels: text and icons."""
    left = box[0]
    crop = shot.crop(box).convert("L")
    width, height = crop.size
    pixels = crop.load()
    return [left + x for x in range(width) if any(pixels[x, y] < threshold for y in range(height))]


def ink_rows(shot: Image.Image, box: tuple[int, int, int, int], threshold: int) -> list[int]:
    """y positions of rows in `box` holding pixels darker than `threshold`."""
    top = box[1]
    crop = shot.crop(box).convert("L")
    width, height = crop.size
    pixels = crop.load()
    return [top + y for y in range(height) if any(pixels[x, y] < threshold for x in range(width))]


def screenshot(page: Page, path: Path) -> Image.Image:
    page.wait_for_timeout(1000)  # fonts and animations settle
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    shot.save(path)
    return shot


def field_box(page: Page) -> tuple[int, int, int, int]:
    box = page.get_by_role("textbox", name="搜索").bounding_box()
    assert box is not None
    return int(box["x"]), int(box["y"]), int(box["x"] + box["width"]), int(box["y"] + box["height"])


def test_search_field_label_is_whole_when_the_field_holds_text(app_url: str, phone: Page, tmp_path: Path) -> None:
    open_route(phone, app_url, "/disclosure/search?q=社保", "社保卡")
    shot = screenshot(phone, tmp_path / "search-with-text.png")
    left, top, _, _ = field_box(phone)
    # The floating label (primary colour, lighter than text) is centred on the field's top border; a
    # clipped one starts at the border, its upper half gone.
    border = min(ink_rows(shot, (left + 100, top - 16, left + 140, top + 14), threshold=200))
    label = ink_rows(shot, (left + 16, top - 16, left + 60, border), threshold=200)
    assert len(label) >= 3, f"the floating label 搜索 on the field's border is cut off (border at {border})"


def test_empty_search_field_shows_its_whole_hint(app_url: str, phone: Page, tmp_path: Path) -> None:
    open_route(phone, app_url, "/disclosure/search", "猜你想搜")
    shot = screenshot(phone, tmp_path / "search-empty.png")
    left, top, right, bottom = field_box(phone)
    hint = ink_columns(shot, (left + 48, top + 20, right - 12, bottom - 16))  # inside the border
    assert hint and right - max(hint) > 40, "the hint runs to the field's edge: it is cut"


def test_chosen_department_is_not_cut(app_url: str, phone: Page, tmp_path: Path) -> None:
    open_route(phone, app_url, "/disclosure?department=rst", "人力资源社会保障厅")
    shot = screenshot(phone, tmp_path / "department.png")
    box = phone.locator('[flt-semantics-identifier="department-filter"]').bounding_box()
    assert box is not None
    x, y = int(box["x"]), int(box["y"])
    row = ink_columns(shot, (x + 4, y + 12, int(x + box["width"]) - 4, y + 36))
    # The widest gap separates the name from the dropdown arrow; nine 16 px glyphs take about 144 px.
    _, name_end = max((b - a, a) for a, b in itertools.pairwise(row))
    assert name_end - row[0] >= 9 * 14, f"人力资源社会保障厅 drawn {name_end - row[0]} px wide: it is cut"
