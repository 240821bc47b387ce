"""The typed client for 网上办事 against the real app in-process, on both databases."""

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from api_client import AsyncClient, ConflictError, NotFoundError, UnprocessableEntityError, ops
from api_client.models import AppointmentRequest, RegisterRequest, ServiceItemFilters, TokenPair
from server.accounts.models import User
from server.accounts.tokens import start_session
from server.config import Settings
from server.db import make_engine, make_sessionmaker
from server.departments.models import Department
from server.seed.services import catalogue, seed_service_items

BY_NAME = {draft.name: draft for draft in catalogue()}


@pytest.fixture(autouse=True)
def seeded(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    seed_service_items(engine)
    engine.dispose()


def client_for(app: FastAPI) -> AsyncClient:
    return AsyncClient("http://testserver", transport=httpx.ASGITransport(app=app))  # type: ignore[arg-type]


def officer_tokens(settings: Settings) -> TokenPair:
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        department_id = db.scalar(select(Department.id).where(Department.code == "gat"))
        officer = User(phone="13900009999", name="窗口民警", password_hash="unused", role="officer")
        officer.department_id = department_id
        db.add(officer)
        db.flush()
        tokens = start_session(db, officer)
        db.commit()
    engine.dispose()
    return tokens


async def test_browse_read_a_guide_and_search(app: FastAPI) -> None:
    async with client_for(app) as api:
        page = await api.send(ops.service_items.list_service_items(ServiceItemFilters(theme="户籍办理"), limit=5))
        assert len(page.items) == 5 and all("户籍办理" in item.themes for item in page.items)
        following = await api.send(
            ops.service_items.list_service_items(ServiceItemFilters(theme="户籍办理"), page.next_cursor)
        )
        assert not {i.code for i in page.items} & {i.code for i in following.items}
        guide = await api.send(ops.service_items.get_service_item(BY_NAME["失业保险金申领"].code))
        assert guide.department.code == "rst" and guide.materials and guide.form[0].prefill == "name"
        themes = await api.send(ops.service_items.list_service_themes())
        assert any(theme.name == "设立变更" and theme.audience == "business" for theme in themes.items)
        found = await api.send(ops.search.search("失业金怎么领", scope="services"))
        assert found.items[0].code == guide.code
        with pytest.raises(NotFoundError):
            await api.send(ops.service_items.get_service_item("no/such code"))


async def test_book_cancel_and_queue_with_an_officer(app: FastAPI, settings: Settings) -> None:
    code = BY_NAME["出生登记"].code
    async with client_for(app) as api, client_for(app) as officer:
        api.set_tokens(
            await api.send(
                ops.accounts.register(RegisterRequest(phone="13612345678", password="Passw0rd", name="李雷"))
            )
        )
        slots = await api.send(ops.appointments.list_slots(code))
        chosen = slots.items[3]
        booked = await api.send(
            ops.appointments.book(AppointmentRequest(item_code=code, date=chosen.date, start=chosen.start))
        )
        assert (booked.item_name, booked.date, booked.start) == ("出生登记", chosen.date, chosen.start)
        assert [a.id for a in (await api.send(ops.appointments.list_appointments())).items] == [booked.id]
        assert (await api.send(ops.appointments.get_appointment(booked.id))).status == "booked"
        assert (await api.send(ops.appointments.cancel_appointment(booked.id))).status == "cancelled"
        with pytest.raises(UnprocessableEntityError) as online:
            await api.send(ops.appointments.take_ticket(BY_NAME["失业保险金申领"].code))
        assert online.value.code == "item_online_only"
        ticket = await api.send(ops.appointments.take_ticket(code))
        assert (ticket.number, ticket.people_ahead, ticket.status) == (1, 0, "waiting")
        officer.set_tokens(officer_tokens(settings))
        assert (await officer.send(ops.appointments.queue_status())).waiting == 1
        assert (await officer.send(ops.appointments.call_next())).now_serving == 1
        assert (await api.send(ops.appointments.get_ticket(ticket.id))).status == "serving"
        assert [t.id for t in (await api.send(ops.appointments.list_tickets())).items] == [ticket.id]
        with pytest.raises(ConflictError) as empty:
            await officer.send(ops.appointments.call_next())
        assert empty.value.code == "queue_empty"
