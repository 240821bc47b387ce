"""进度查询 in Chromium on a phone 360 px wide: someone on a new device types the fast-channel credentials, reads the
department's reply (made through the typed client) and keeps the appeal on this device. (The actions are covered
by tests/ui/test_appeals_following.py.)"""

from pathlib import Path

from playwright.sync_api import Browser

from api_client import Client, ops
from api_client.models import AppealCreate, OfficerReply
from tests.browser.conftest import backend_and_app, enable_semantics, wait_first_frame
from tests.browser.test_app import by_id, type_into, wait_text


def test_lookup_reads_the_reply_and_keeps_it_on_a_narrow_phone(tmp_path: Path, app_server, chromium: Browser) -> None:  # type: ignore[no-untyped-def]
    backend, url = backend_and_app(app_server, tmp_path)
    with Client(backend) as someone, Client(backend) as officer:
        receipt = someone.send(
            ops.appeals.submit(
                AppealCreate(
                    type="咨询",
                    category="社保",
                    department="rst",
                    title="灵活就业社保补贴咨询",
                    content="请问灵活就业人员社会保险补贴如何申请，需要哪些材料？",
                )
            )
        )
        assert receipt.credentials is not None
        officer.set_tokens(officer.send(ops.accounts.login("13900000002", "Demo12345")))
        officer.send(ops.appeals.reply(receipt.appeal.number, OfficerReply(body="请携带身份证到街道社保所申请。")))

    context = chromium.new_context(viewport={"width": 360, "height": 780}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(url + "/appeals/lookup")
        wait_first_frame(page)
        enable_semantics(page)
        type_into(page, "查询账号", receipt.credentials.username)
        type_into(page, "查询密码", receipt.credentials.password)
        by_id(page, "lookup-appeal").click()
        wait_text(page, "请携带身份证到街道社保所申请。")
        wait_text(page, "已答复")
        by_id(page, "keep-on-device").click()
        wait_text(page, "已保存到本机")
        page.screenshot(path=str(tmp_path / "lookup-360.png"), full_page=True)
    finally:
        context.close()
    with Client(backend) as someone:
        seen = someone.send(ops.appeals.lookup(receipt.credentials.username, receipt.credentials.password))
    assert [m.kind for m in seen.messages] == ["submitted", "reply"]
