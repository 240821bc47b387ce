"""The typed client's appeal operations against the real app in-process, on both databases: a fast-channel
consultation, an officer's reply, the reply read back with the credentials, then linked to an account; a
fast-channel photo uploaded without an account, read back with the credentials and by the department."""

import httpx
import pytest
from fastapi import FastAPI

from api_client import AsyncClient, NotFoundError, UnprocessableEntityError, ops
from api_client.models import (
    AppealCreate,
    AppealRatingSubmit,
    FastChannelLink,
    FastChannelLookup,
    OfficerReply,
    TokenPair,
)
from server.config import Settings
from tests.server.appeal_world import make_officers
from tests.server.application_world import make_people, png_bytes


def client_for(app: FastAPI) -> AsyncClient:
    return AsyncClient("http://testserver", transport=httpx.ASGITransport(app=app))  # type: ignore[arg-type]


def tokens_of(headers: dict[str, str]) -> TokenPair:
    return TokenPair(access_token=headers["Authorization"].removeprefix("Bearer "), refresh_token="-", expires_in=900)


async def test_fast_channel_consultation_answered_and_linked(app: FastAPI, settings: Settings) -> None:
    people = make_people(settings)
    body = AppealCreate(
        type="咨询",
        category="社保",
        title="退休人员医保异地备案",
        content="我父亲退休后随我到外省居住，请问医保异地就医备案如何办理？",
    )
    async with client_for(app) as citizen, client_for(app) as officer:
        submit = ops.appeals.submit(body)
        receipt = await citizen.send(submit)
        assert receipt.credentials is not None
        assert (await citizen.send(submit)) == receipt  # a re-send of the same operation replays it
        number = receipt.appeal.number
        assert receipt.appeal.department.code == "rst"

        officer.set_tokens(tokens_of(people["rst"]))
        inbox = await officer.send(ops.appeals.officer_inbox())
        assert [a.number for a in inbox.items] == [number]
        await officer.send(ops.appeals.reply(number, OfficerReply(body="可通过国家医保服务平台App办理备案。")))

        found = await citizen.send(ops.appeals.lookup(receipt.credentials.username, receipt.credentials.password))
        assert [m.kind for m in found.messages] == ["submitted", "reply"]
        with pytest.raises(NotFoundError) as wrong:
            await citizen.send(ops.appeals.lookup(receipt.credentials.username, "WRONGPASSWORD234"))
        assert wrong.value.code == "appeal_credentials_invalid"

        citizen.set_tokens(tokens_of(people["citizen"]))
        credentials = FastChannelLookup(**receipt.credentials.model_dump())
        linked = await citizen.send(ops.appeals.link(FastChannelLink(credentials=[credentials])))
        assert linked.linked == [number]
        rated = await citizen.send(ops.appeals.rate(number, AppealRatingSubmit(satisfaction="满意")))
        assert rated.rating == "满意"
        assert [a.number for a in (await citizen.send(ops.appeals.mine())).items] == [number]
        public = await citizen.send(ops.appeals.public_appeals(category="社保"))
        assert [a.number for a in public.items] == [number]
        assert await citizen.send(ops.appeals.public_appeal(number)) == public.items[0]
        stats = await citizen.send(ops.appeals.stats())
        assert (stats.received, stats.handled, stats.satisfied) == (1, 1, 1)


async def test_fast_channel_photo_uploaded_without_an_account_and_read_with_the_credentials(
    app: FastAPI, settings: Settings
) -> None:
    async with client_for(app) as anonymous, client_for(app) as officer:
        photo = await anonymous.send(ops.attachments.upload_anonymous("排污口.png", png_bytes()))
        assert (photo.filename, photo.format) == ("排污口.png", "png")
        body = AppealCreate(
            type="举报",
            category="环境污染",
            title="化工厂夜间偷排废水",
            content="浑河岸边一家化工厂每晚十点后通过暗管向河里排放黄色废水，气味刺鼻，附现场照片。",
            attachments=[photo.id],
        )
        receipt = await anonymous.send(ops.appeals.submit(body))
        assert receipt.credentials is not None and [f.id for f in receipt.appeal.files] == [photo.id]
        held = FastChannelLookup(**receipt.credentials.model_dump())
        assert await anonymous.send(ops.appeals.attachment_with_credentials(photo.id, held)) == png_bytes()
        with pytest.raises(UnprocessableEntityError) as again:
            await anonymous.send(ops.appeals.submit(body))  # a new operation: the photo is already attached
        assert again.value.code == "attachment_unknown"

        officer.set_tokens(tokens_of(make_officers(settings)["sthjt"]))
        assert await officer.send(ops.appeals.officer_attachment(receipt.appeal.number, photo.id)) == png_bytes()
