"""The typed client for applications against the real app in-process: multipart upload, the receipt, the
officers' decisions, the certificate PDF as bytes, 消息, and a form's field errors arriving typed."""

import httpx
import pytest
from fastapi import FastAPI

from api_client import AsyncClient, ConflictError, UnprocessableEntityError, ops
from api_client.models import ApplicationCreate, RatingSubmit, StepDecision, TokenPair
from server.config import Settings
from tests.server.application_world import ITEM_CODE, VALID_FORM, make_item, make_people, pdf_bytes, png_bytes


def client_for(app: FastAPI, bearer: dict[str, str]) -> AsyncClient:
    token = bearer["Authorization"].removeprefix("Bearer ")
    tokens = TokenPair(access_token=token, refresh_token="unused", token_type="bearer", expires_in=900)
    return AsyncClient("http://testserver", transport=httpx.ASGITransport(app=app), tokens=tokens)


async def test_apply_decide_download_rate_through_the_client(app: FastAPI, settings: Settings) -> None:
    make_item(settings)
    people = make_people(settings)
    citizen, rst, xfjy = (client_for(app, people[who]) for who in ("citizen", "rst", "xfjy"))
    photo = await citizen.send(ops.attachments.upload("身份证.png", png_bytes()))
    proof = await citizen.send(ops.attachments.upload("场所证明.pdf", pdf_bytes()))
    assert (photo.format, proof.format) == ("png", "pdf")
    assert await citizen.send(ops.attachments.download(proof.id)) == pdf_bytes()

    bad = ApplicationCreate(item_code=ITEM_CODE, form={**VALID_FORM, "phone": "1"}, materials={})
    with pytest.raises(UnprocessableEntityError) as caught:
        await citizen.send(ops.applications.submit(bad))
    assert caught.value.code == "form_invalid"
    assert caught.value.field_errors == {
        "form.phone": "手机号格式不正确",
        "materials.id_card": "请上传此项材料",
        "materials.site_proof": "请上传此项材料",
    }

    body = ApplicationCreate(
        item_code=ITEM_CODE, form=VALID_FORM, materials={"id_card": [photo.id], "site_proof": [proof.id]}
    )
    draft = ops.applications.submit(body)
    receipt = await citizen.send(draft)
    assert (await citizen.send(draft)).number == receipt.number  # the draft's key replays, no second case
    await rst.send(ops.applications.accept(receipt.number))
    inbox = await rst.send(ops.applications.officer_inbox(status="in_review"))
    assert [case.number for case in inbox.items] == [receipt.number]
    case = await xfjy.send(ops.applications.officer_case(receipt.number))
    material = await xfjy.send(ops.applications.officer_material(receipt.number, case.materials[0].files[0].id))
    assert material in (png_bytes(), pdf_bytes())
    await rst.send(ops.applications.decide(receipt.number, StepDecision(decision="pass")))
    with pytest.raises(ConflictError):
        await rst.send(ops.applications.decide(receipt.number, StepDecision(decision="pass")))
    done = await xfjy.send(ops.applications.decide(receipt.number, StepDecision(decision="pass")))
    assert done.status == "completed" and done.certificate is not None

    pdf = await citizen.send(ops.applications.certificate_pdf(receipt.number))
    assert pdf.startswith(b"%PDF")
    verified = await citizen.send(ops.applications.verify_certificate(done.certificate.number))
    assert verified.valid
    rated = await citizen.send(ops.applications.rate(receipt.number, RatingSubmit(score=4, comment="快")))
    assert rated.rating is not None and rated.rating.score == 4
    stats = await citizen.send(ops.applications.department_stats("rst"))
    assert stats.average_rating == 4.0
    progress = await citizen.send(ops.applications.lookup(receipt.number, "13800138000"))
    assert progress.status == "completed"
    mine = await citizen.send(ops.applications.mine())
    assert [a.number for a in mine.items] == [receipt.number]

    messages = await citizen.send(ops.notifications.inbox())
    assert messages.unread_count == 3
    await citizen.send(ops.notifications.mark_read(everything=True))
    assert (await citizen.send(ops.notifications.inbox())).unread_count == 0
    assert (await citizen.send(ops.calendar.year(2025))).known
    for api in (citizen, rst, xfjy):
        await api.aclose()
