"""The whole system in Chromium: `python main.py` serves the app; a citizen registers, logs in and browses."""

import contextlib
import io
import sys
from pathlib import Path

import httpx
from PIL import Image, ImageChops
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import REPO_ROOT, backend_and_app, enable_semantics, wait_first_frame

DESTINATIONS = {
    "首页": "/",
    "政务公开": "/disclosure",
    "网上办事": "/services",
    "互动交流": "/interaction",
    "我的": "/me",
}


def wait_text(page: Page, text: str, timeout: float = 30000) -> None:
    """Waits until the accessibility tree (what a screen reader reads) contains `text`."""
    page.wait_for_function(
        """(text) => [...document.querySelectorAll('flt-semantics')].some(
            el => ((el.textContent || '') + ' ' + (el.getAttribute('aria-label') || '')).includes(text))""",
        arg=text,
        timeout=timeout,
    )


def wait_until_still(page: Page, quiet_ms: int = 500, timeout: float = 5000) -> None:
    """Waits (at most `timeout` ms) until the accessibility tree has not changed for `quiet_ms`, as a person waits
    for a screen to stop moving before typing: a field typed into while Flutter web re-lays the screen out (a list
    arriving under it) can keep the text in the browser's input while the app never hears of it."""
    page.evaluate(
        """() => {
            if (window.__yiwangStill) return;
            window.__yiwangStill = true;
            window.__yiwangChanged = performance.now();
            new MutationObserver(() => { window.__yiwangChanged = performance.now(); })
                .observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
        }"""
    )
    with contextlib.suppress(PlaywrightTimeoutError):  # a screen that keeps moving (a spinner) is typed into anyway
        page.wait_for_function(
            "(quiet) => performance.now() - window.__yiwangChanged > quiet", arg=quiet_ms, timeout=timeout
        )


def type_into(page: Page, label: str, value: str) -> None:
    """Types like a person, once Flutter has put the caret in the field, and checks it arrived.

    On a starved machine Flutter web's text input can drop a keystroke typed with no pause (no server round trip
    is involved: the form has no change handler until it shows an error); then, like a person, clear and type again
    at a human pace, and the second try must arrive."""
    wait_until_still(page)
    page.get_by_role("textbox", name=label).click()
    page.wait_for_function("['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)")
    page.keyboard.type(value)
    arrived = "(v) => document.activeElement?.value === v"
    try:
        page.wait_for_function(arrived, arg=value, timeout=10000)
    except PlaywrightTimeoutError:
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        page.keyboard.type(value, delay=80)
        page.wait_for_function(arrived, arg=value)


def any_text(page: Page, texts: list[str], timeout: float) -> bool:
    """Whether the accessibility tree shows one of `texts` within `timeout` ms."""
    try:
        page.wait_for_function(
            """(texts) => [...document.querySelectorAll('flt-semantics')].some(el => texts.some(
                text => ((el.textContent || '') + ' ' + (el.getAttribute('aria-label') || '')).includes(text)))""",
            arg=texts,
            timeout=timeout,
        )
    except PlaywrightTimeoutError:
        return False
    return True


def choose_file(page: Page, button: Locator, path: Path, started: str, done: str) -> None:
    """Chooses `path` in the browser's file dialog opened by `button`, as a person would: if the app shows no sign
    of it, chooses again.

    Flutter's file_picker on the web takes a window focus that arrives with no change event within one second as a
    cancelled dialog; on a starved machine the change event can come later, and the pick returns nothing. A person
    then sees nothing happen and picks again; the app never saw the first file, so nothing is uploaded twice."""
    for _attempt in range(3):
        with page.expect_file_chooser() as chooser:
            button.click()
        chooser.value.set_files(str(path))
        if any_text(page, [started, done], timeout=15000):
            wait_text(page, done, timeout=60000)
            return
    raise AssertionError(f"the app never took {path.name}")


def search_for(page: Page, query: str) -> None:
    """Types a search and presses Enter until the results' address shows; a person whose Enter did nothing presses
    it again (see `wait_until_still` for when the app may not have heard the typing)."""
    for _attempt in range(3):
        type_into(page, "搜索", query)
        page.keyboard.press("Enter")
        try:
            page.wait_for_url("**/search?q=*", timeout=15000)
            return
        except PlaywrightTimeoutError:
            page.keyboard.press("Control+A")
            page.keyboard.press("Backspace")
    raise AssertionError(f"searching for {query} never showed results")


def tap_until_url(page: Page, target: Locator, url: str, timeout: float = 15000) -> None:
    """Taps `target` until the address matches `url`, at most three times, as a person taps again when nothing
    happens: Flutter web can spend the first tap after typing on taking the focus from the field. Every form tapped
    this way keeps its Idempotency-Key or is harmless to send twice, so a tap heard late changes nothing."""
    for _attempt in range(3):
        target.click()
        try:
            page.wait_for_url(url, timeout=timeout)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"tapping never led to {url}; the screen shows {page.url}")


def by_id(page: Page, identifier: str):  # type: ignore[no-untyped-def]
    return page.locator(f'[flt-semantics-identifier="{identifier}"]')


def log_in(page: Page, url: str, phone: str, name: str) -> None:
    """Logs in with the demo password and waits for the person's name on 我的."""
    page.goto(url + "/me/login")
    wait_first_frame(page)
    enable_semantics(page)
    type_into(page, "手机号", phone)
    type_into(page, "密码", "Demo12345")
    tap_until_url(page, by_id(page, "login-submit"), "**/me")
    wait_text(page, name)


def whole_system(app_server, data: Path) -> str:  # type: ignore[no-untyped-def]
    """`python main.py` as a newcomer runs it: embedded backend, fresh data folder, the web app."""
    command = [sys.executable, "main.py", "--web", "--port", "{port}", "--data-dir", str(data / "data")]
    return app_server(command, cwd=REPO_ROOT, timeout=120)


def open_app(page: Page, url: str) -> None:
    page.goto(url)
    wait_first_frame(page)
    enable_semantics(page)


def test_citizen_reaches_every_destination_registers_and_logs_in(
    tmp_path: Path, app_server, browser_page: Page
) -> None:  # type: ignore[no-untyped-def]
    url = whole_system(app_server, tmp_path)
    page = browser_page
    open_app(page, url)
    wait_text(page, "通知公告 · ")  # 首页 with its data (the departments line lies below the lazy list)

    for label, route in DESTINATIONS.items():
        page.get_by_role("tab", name=label).click()
        page.wait_for_url(f"**{route}" if route != "/" else url.rstrip("/") + "/")
    wait_text(page, "登录后可办理业务")

    page.go_back()  # browser Back returns to the previous destination
    page.wait_for_url("**/interaction")
    page.get_by_role("tab", name="我的").click()

    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/me/register")
    type_into(page, "姓名", "韩梅梅")
    type_into(page, "手机号", "13512345678")
    type_into(page, "密码", "Passw0rd")
    tap_until_url(page, by_id(page, "register-submit"), "**/me")
    wait_text(page, "韩梅梅")

    page.get_by_role("button", name="退出登录").click()
    wait_text(page, "登录后可办理业务")
    page.get_by_role("button", name="登录").first.click()
    page.wait_for_url("**/me/login")
    type_into(page, "手机号", "13800138000")
    type_into(page, "密码", "Demo12345")
    tap_until_url(page, by_id(page, "login-submit"), "**/me")
    wait_text(page, "张三")


def test_found_article_can_be_read_again_with_the_backend_stopped(
    tmp_path: Path, app_server, browser_page: Page
) -> None:  # type: ignore[no-untyped-def]
    backend, url = backend_and_app(app_server, tmp_path)
    found = httpx.get(f"{backend}/api/v1/search", params={"q": "社保"}).json()["items"][0]

    page = browser_page
    open_app(page, url + "/disclosure/search")
    wait_text(page, "猜你想搜")  # the screen has loaded what it shows under the field
    search_for(page, "社保")
    wait_text(page, found["title"])
    page.get_by_role("button", name=found["title"]).first.click()
    page.wait_for_url(f"**/disclosure/article/{found['id']}")
    wait_text(page, "发文机关")

    app_server.servers[0].stop()  # the backend goes away; the app's own server stays
    page.reload()
    wait_first_frame(page)
    enable_semantics(page)
    wait_text(page, found["title"])

    # A reload may re-attach to the live session; a new tab is a new session that must use the device cache.
    fresh = page.context.new_page()
    open_app(fresh, url + f"/disclosure/article/{found['id']}")
    wait_text(fresh, "离线 · 更新于")
    wait_text(fresh, found["title"])
    wait_text(fresh, "发文机关")


def test_chinese_glyphs_render_with_the_bundled_font(tmp_path: Path, app_server, chromium) -> None:  # type: ignore[no-untyped-def]
    """Tofu boxes look the same with or without a font; real glyphs differ from them."""
    url = whole_system(app_server, tmp_path)
    shots = {}
    for name, block_fonts in (("with_font", False), ("without_font", True)):
        context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        if block_fonts:
            context.route("**/fonts/**", lambda route: route.abort())
        page = context.new_page()
        open_app(page, url)
        wait_text(page, "通知公告 · ")  # 首页 with its data (the departments line lies below the lazy list)
        page.wait_for_timeout(1500)  # let font swaps settle before the picture
        shots[name] = Image.open(io.BytesIO(page.screenshot())).convert("L")
        shots[name].save(tmp_path / f"{name}.png")
        context.close()

    with_font, without_font = shots["with_font"], shots["without_font"]
    assert with_font.size == (390, 844)
    diff = ImageChops.difference(with_font, without_font).point(lambda v: 255 if v > 40 else 0)
    changed = diff.histogram()[255] / (390 * 844)
    assert changed > 0.01, f"the screen looks the same without the font ({changed:.2%} pixels differ)"
    # The greeting line near the top has real ink, not an empty band.
    greeting = with_font.crop((0, 60, 390, 110))
    dark = sum(greeting.histogram()[:128])
    assert dark > 300, "no text drawn where the greeting should be"
