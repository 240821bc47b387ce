"""网上办事 end to end in Chromium: a citizen applies with attachments (through the browser's file chooser),
the officer approves through the typed client, and the citizen sees 已办结, downloads the certificate and rates."""

from pathlib import Path

import httpx
from playwright.sync_api import Page

from api_client import Client, ops
from api_client.models import AcceptanceDecision, StepDecision
from tests.browser.conftest import backend_and_app, enable_semantics, wait_first_frame
from tests.browser.test_app import by_id, choose_file, log_in, tap_until_url, type_into, wait_text
from tests.server.application_world import VALID_ID, pdf_bytes, png_bytes

ITEM_NAME = "就业创业证申领"  # 人力资源社会保障厅 alone approves it; its demo officer is 赵科长


def test_citizen_applies_officer_approves_citizen_downloads_and_rates(
    tmp_path: Path, app_server, browser_page: Page
) -> None:  # type: ignore[no-untyped-def]
    backend, url = backend_and_app(app_server, tmp_path)
    found = httpx.get(f"{backend}/api/v1/search", params={"q": ITEM_NAME, "scope": "services"}).json()["items"][0]
    assert found["title"] == ITEM_NAME
    guide = httpx.get(f"{backend}/api/v1/service-items/{found['code']}").json()

    page = browser_page
    log_in(page, url, "13800138000", "张三")

    page.goto(url + f"/services/item/{found['code']}/apply")
    wait_first_frame(page)
    enable_semantics(page)
    wait_text(page, "上传申请材料")
    type_into(page, "公民身份号码", VALID_ID)
    type_into(page, "联系地址", "沈阳市和平区中山路1号")
    for material in guide["materials"]:
        if not material["required"]:
            continue
        kind = "png" if "png" in material["formats"] else "pdf"
        scan = tmp_path / f"{material['key']}.{kind}"  # one name per material: the wait below is for this one
        scan.write_bytes(png_bytes() if kind == "png" else pdf_bytes())
        choose_file(page, by_id(page, f"pick-{material['key']}"), scan, f"正在上传 {scan.name}", f"删除 {scan.name}")
    tap_until_url(page, by_id(page, "submit-application"), "**/applications/*", timeout=30000)
    number = page.url.rsplit("/", 1)[1]
    wait_text(page, "已提交")

    with Client(backend) as officer:
        officer.set_tokens(officer.send(ops.accounts.login("13900000002", "Demo12345")))
        officer.send(ops.applications.accept(number, AcceptanceDecision(note="材料齐全")))
        officer.send(ops.applications.decide(number, StepDecision(decision="pass")))

    # A new tab is a new session (a reload may re-attach to the old one); the login is remembered.
    page = page.context.new_page()
    page.goto(url + f"/applications/{number}")
    wait_first_frame(page)
    enable_semantics(page)
    wait_text(page, "已办结")
    with page.expect_download() as download:
        by_id(page, "download-certificate").click()
    assert download.value.suggested_filename.endswith(".pdf")

    by_id(page, "rate-5").click()
    by_id(page, "send-rating").click()
    wait_text(page, "★★★★★")
