"""互动交流 end to end in Chromium: a fast-channel consultation typed in the browser with no account, the
credentials shown with their QR code, an officer replies through the typed client, and the reply is read back by
looking up with the credentials the page showed."""

import re
from pathlib import Path

from playwright.sync_api import Page

from api_client import Client, ops
from api_client.models import OfficerReply
from tests.browser.conftest import backend_and_app, enable_semantics, wait_first_frame
from tests.browser.test_app import by_id, tap_until_url, type_into, wait_text

CREDENTIAL = re.compile(r"(用户名|密码)：([A-Za-z0-9]+)")


def shown_credentials(page: Page) -> dict[str, str]:
    texts = page.evaluate(
        """() => [...document.querySelectorAll('flt-semantics')].map(
            el => (el.getAttribute('aria-label') || '') + ' ' + (el.textContent || ''))"""
    )
    return {m.group(1): m.group(2) for text in texts for m in CREDENTIAL.finditer(text)}


def test_fast_channel_consultation_is_answered_and_read_back_with_its_credentials(
    tmp_path: Path, app_server, browser_page: Page
) -> None:  # type: ignore[no-untyped-def]
    backend, url = backend_and_app(app_server, tmp_path)

    page = browser_page
    page.goto(url + "/interaction")
    wait_first_frame(page)
    enable_semantics(page)
    wait_text(page, "7 个工作日内答复")
    by_id(page, "appeal-type-consultation").click()
    page.wait_for_url("**/interaction/new/consultation")
    wait_text(page, "快速通道")
    by_id(page, "appeal-category").click()
    page.get_by_role("button", name="社保", exact=True).click()
    wait_text(page, "问题类别 社保")
    type_into(page, "标题", "退休人员医保异地备案")
    type_into(page, "内容", "我父亲退休后随我到外省居住，请问医保异地就医备案如何办理？")
    tap_until_url(page, by_id(page, "submit-appeal"), "**/interaction/submitted/*", timeout=30000)
    number = page.url.rsplit("/", 1)[1]
    wait_text(page, "快速通道查询凭证")
    wait_text(page, "唯一凭证")
    credentials = shown_credentials(page)
    assert credentials.keys() == {"用户名", "密码"}, credentials
    assert page.get_by_role("img", name=re.compile("凭证二维码")).count() == 1

    with Client(backend) as officer:
        officer.set_tokens(officer.send(ops.accounts.login("13900000002", "Demo12345")))
        officer.send(ops.appeals.reply(number, OfficerReply(body="可通过国家医保服务平台App办理备案。")))
    with Client(backend) as anyone:
        found = anyone.send(ops.appeals.lookup(credentials["用户名"], credentials["密码"]))
    assert found.number == number
    assert [m.body for m in found.messages if m.kind == "reply"] == ["可通过国家医保服务平台App办理备案。"]
