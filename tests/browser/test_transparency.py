"""数据公开 in Chromium on a 360 px phone: the bundled Flutter client draws flet-charts bars (not an empty box), the
chart's data is in what a screen reader hears, and its table opens."""

import io
import re
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page

from tests.browser.conftest import enable_semantics, wait_first_frame
from tests.browser.test_app import wait_text


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN")
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def coloured_share(png: bytes) -> float:
    """The share of clearly coloured pixels: bars are; the background, grid lines and grey labels are not."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = list(image.get_flattened_data())
    return sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 40) / len(pixels)


def heard(page: Page, identifier: str) -> str:
    """What a screen reader says for the node: Flutter puts a label in aria-label or in the text."""
    node = page.locator(f'[flt-semantics-identifier="{identifier}"]')
    node.wait_for()
    return (node.get_attribute("aria-label") or node.inner_text()).strip()


def test_the_stats_page_draws_bar_charts_with_a_readable_alternative(app_url: str, phone: Page) -> None:
    phone.goto(app_url + "/interaction/stats")
    wait_first_frame(phone)
    enable_semantics(phone)
    wait_text(phone, "按期办结率")
    assert re.fullmatch(r"受理 [\d,]+ 件", heard(phone, "stats-received"))

    chart = phone.locator('[flt-semantics-identifier="stats-by-month"]')
    assert re.match(r"按月份柱状图：\d+月 受理\d+件、办结\d+件", heard(phone, "stats-by-month"))
    box = chart.bounding_box()
    assert box is not None and box["width"] >= 300 and box["height"] >= 200, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, "the chart fits the phone's width"
    phone.wait_for_timeout(1500)  # the bars grow in (animation)
    assert coloured_share(phone.screenshot(clip=box)) > 0.03, "no bars were drawn"

    phone.get_by_role("button", name=re.compile("按月份数据表")).click()
    phone.wait_for_function(  # the table's rows, each heard as one sentence
        """() => [...document.querySelectorAll('flt-semantics')].some(
            el => /^\\d{4}-\\d{2} 受理\\d+件、办结\\d+件$/.test((el.getAttribute('aria-label') || el.textContent || '').trim()))""",
        timeout=30000,
    )
