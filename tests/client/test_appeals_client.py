"""The typed client's appeal operations against the real app in-process, on both databases: a fast-channel
consultation, an officer's reply, the reply read back with the credentials, then linked to an account."""

import httpx
import pytest
from fastapi import FastAPI

from api_client import AsyncClient, NotFoundError, ops
from api_client.models import (
    AppealCreate,
    AppealRatingSubmit,
    FastChannelLink,
    FastChannelLookup,
    OfficerReply,
    TokenPair,
)
from server.config import Settings
from tests.server.application_world import make_people


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
