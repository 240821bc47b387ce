"""发布 in Chromium: an officer writes a document on a 360 px phone (编辑/预览 tabs), publishes it, and sees the
editor side by side with its preview on a desktop; the public article API then holds the document."""

import re
from pathlib import Path

import httpx
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import backend_and_app, enable_semantics, wait_first_frame
from tests.browser.test_app import any_text, by_id, log_in, type_into, wait_text

TITLE = "关于开展高校毕业生就业见习工作的通知"
NUMBER = "辽人社发〔2026〕901号"
NAVIGATION_BAR = 90  # px at the bottom of a phone's screen


def scroll_into_view(page: Page, target: Locator) -> None:
    """Scrolls the list under the mouse like a person until `target` is whole above the navigation bar: Flutter
    draws the page itself, so a click on a node outside the view would land on whatever is drawn there."""
    viewport = page.viewport_size
    assert viewport is not None
    page.mouse.move(viewport["width"] / 2, viewport["height"] / 2)
    for _ in range(20):
        box = target.bounding_box() if target.count() else None
        if box is not None and box["y"] > 0 and box["y"] + box["height"] < viewport["height"] - NAVIGATION_BAR:
            return
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(300)
    raise AssertionError("never scrolled to the target")


def tick(page: Page, label: str) -> None:
    """Ticks a checkbox as a person would: Flutter web spends the first tap after typing in a multi-line field on
    taking the focus away from it, so the person sees nothing happen and taps again."""
    box = page.get_by_role("checkbox", name=label)
    for _attempt in range(3):
        box.click()
        try:
            page.wait_for_function(
                "(e) => e.getAttribute('aria-checked') === 'true'", arg=box.element_handle(), timeout=3000
            )
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"{label} never got ticked")


def test_an_officer_writes_on_a_phone_publishes_and_edits_side_by_side_on_a_desktop(
    tmp_path: Path, app_server, browser_page: Page
) -> None:  # type: ignore[no-untyped-def]
    backend, url = backend_and_app(app_server, tmp_path)
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, url, "13900000002", "赵科长")

    page.goto(url + "/")
    wait_first_frame(page)
    enable_semantics(page)
    by_id(page, "workbench-publish").click()
    page.wait_for_url("**/workbench/publish")
    by_id(page, "publish-new").click()
    page.wait_for_url("**/workbench/publish/new")
    page.get_by_role("textbox", name="标题").wait_for(timeout=30000)
    assert page.get_by_role("button", name=re.compile("^文件类型")).count() == 1, "the dropdown has its name"
    assert page.get_by_role("tab", name="编辑").count() == 1 and page.get_by_role("tab", name="预览").count() == 1

    type_into(page, "标题", TITLE)
    type_into(page, "文号（政策文件必填）", NUMBER)
    type_into(page, "正文（Markdown）", "## 第一条 适用范围\n\n本通知适用于**全省**高校毕业生。")
    tick(page, "就业创业")
    page.wait_for_timeout(1000)
    page.screenshot(path=str(tmp_path / "phone-editor.png"))
    page.get_by_role("tab", name="预览").click()
    wait_text(page, TITLE)  # the preview's heading follows the title
    page.wait_for_timeout(1000)
    page.screenshot(path=str(tmp_path / "phone-preview.png"))

    page.get_by_role("tab", name="编辑").click()
    page.mouse.move(180, 500)
    scroll_into_view(page, by_id(page, "publish-submit"))
    for _attempt in range(3):  # a tap Flutter web spends on taking the focus away is tapped again, as a person would;
        by_id(page, "publish-submit").click()  # the draft's Idempotency-Key keeps it one document
        try:
            page.wait_for_url("**/workbench/publish/*?published=1", timeout=15000)
            break
        except PlaywrightTimeoutError:
            page.screenshot(path=str(tmp_path / f"publish-attempt-{_attempt}.png"))
            if any_text(page, ["请选择 1 到 5 个主题"], timeout=1000):  # the app never heard the tick: tick again
                tick(page, "就业创业")
                scroll_into_view(page, by_id(page, "publish-submit"))
    else:
        raise AssertionError(f"publishing never finished; screenshots in {tmp_path}")
    by_id(page, "published-notice").wait_for(timeout=30000)
    page.get_by_role("button", name="以市民视角查看").wait_for()
    documents = httpx.get(f"{backend}/api/v1/articles", params={"department": "rst", "limit": 100}).json()["items"]
    assert [d["document_number"] for d in documents if d["title"] == TITLE] == [NUMBER]

    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("tab", name="预览").wait_for(state="detached", timeout=30000)  # side by side on a desktop
    wait_text(page, "废止或修订")
    page.wait_for_timeout(1000)
    page.screenshot(path=str(tmp_path / "desktop-editor.png"))

    page.get_by_role("button", name="废止或修订").click()
    page.get_by_role("radio", name=re.compile("^已废止")).wait_for()
    by_id(page, "repeal-confirm").click()
    page.get_by_role("button", name="废止或修订").wait_for(state="detached", timeout=30000)  # 已废止 for good
    by_id(page, "repeal-confirm").wait_for(state="detached")  # the dialog does not stay over the rebuilt screen
    page.wait_for_timeout(1000)
    page.screenshot(path=str(tmp_path / "desktop-repealed.png"))
    article_id = page.url.split("?")[0].rsplit("/", 1)[1]
    assert httpx.get(f"{backend}/api/v1/articles/{article_id}").json()["validity"] == "repealed"
