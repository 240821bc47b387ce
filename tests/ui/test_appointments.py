"""我的预约 in the app, over the real API in-process: booking links to it, it shows today's queue numbers and the
appointments (upcoming first, then earlier), and an upcoming one is cancelled only after a confirmation."""

import datetime as dt
from pathlib import Path

import flet as ft
import pytest
from sqlalchemy import select

from app.widgets.paged_list import PagedList
from server.accounts.models import User
from server.appointments.models import Appointment, AppointmentSlot
from server.config import Settings
from server.db import make_engine, make_sessionmaker
from server.seed.services import catalogue as seeded_catalogue
from server.seed.services import seed_service_items
from server.services.models import ServiceItem
from tests.server.application_world import make_people
from tests.ui.conftest import AppFactory
from tests.ui.harness import FletHarness
from tests.ui.test_services import log_in

BY_NAME = {draft.name: draft for draft in seeded_catalogue()}
BIRTH = BY_NAME["出生登记"].code
FOOD = BY_NAME["食品生产许可（新办）"].code
PAST_DAY = dt.date(2025, 9, 30)


@pytest.fixture
def visits(tmp_path: Path, ui: AppFactory) -> None:
    """The catalogue, the people, and one appointment of the citizen's that lies in the past."""
    settings = Settings.resolve(data_dir=tmp_path)
    engine = make_engine(settings.database_url)
    seed_service_items(engine)
    engine.dispose()
    make_people(settings)
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        item = db.scalars(select(ServiceItem).where(ServiceItem.code == FOOD)).one()
        slot = AppointmentSlot(department_id=item.department_id, day=PAST_DAY, start="10:00", capacity=3, booked=1)
        db.add(slot)
        db.flush()
        citizen = db.scalars(select(User).where(User.phone == "13800138000")).one()
        db.add(Appointment(user_id=citizen.id, item_id=item.id, slot_id=slot.id, day=PAST_DAY, status="booked"))
        db.commit()
    engine.dispose()


def cancel_buttons(h: FletHarness) -> list[ft.Semantics]:
    return h.find(lambda c: isinstance(c, ft.Semantics) and (c.identifier or "").startswith("cancel-appointment-"))


async def test_booking_links_to_my_appointments_which_lists_and_cancels(ui: AppFactory, visits: None) -> None:
    async with ui() as h:
        await h.route("/me/appointments")
        assert h.find(type=ft.FilledButton, text="登录"), "my appointments need a login"
        await log_in(h)
        await h.click(h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == "my-appointments").content)
        assert h.page.route == "/me/appointments"
        assert "今天没有取号" in h.texts() and "以往预约" in h.texts() and "已过期" in h.texts()
        assert not cancel_buttons(h), "a past appointment cannot be cancelled"

        await h.route(f"/services/item/{BIRTH}")
        await h.click(h.get(type=ft.OutlinedButton, text="现场取号"))
        await h.route(f"/services/item/{BIRTH}/book")
        slot = next(t for t in h.find(type=ft.ListTile) if not t.disabled)
        when = slot.title.value
        await h.click(slot)
        snack = h.get(type=ft.SnackBar)
        assert snack.action == "查看我的预约"
        await h.fire(snack, "action")
        assert h.page.route == "/me/appointments"

        texts = h.texts()
        assert "今日取号" in texts and "1 号 · 公安厅" in texts
        listed = texts[texts.index("预约记录") :]
        assert listed.index("即将到来") < listed.index("出生登记") < listed.index("以往预约")
        assert listed.index("以往预约") < listed.index("食品生产许可（新办）")
        assert "已预约" in listed and any(text.startswith(when.split()[0]) for text in listed)
        items = h.get(type=PagedList).item_controls
        assert len(items) == 2
        (button,) = cancel_buttons(h)
        assert button.label and button.label.startswith("取消 ")

        await h.click(button.content)
        assert "取消这次预约？" in h.texts() and any("取消后该时段会释放给其他人" in t for t in h.texts())
        await h.click(h.get(type=ft.TextButton, text="保留预约"))
        assert "已预约" in h.texts() and len(cancel_buttons(h)) == 1, "keeping it changes nothing"

        await h.click(cancel_buttons(h)[0].content)
        confirm = h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == "confirm-cancel-appointment")
        await h.click(confirm.content)
        assert "已取消预约" in h.texts()
        assert "已取消" in h.texts() and "即将到来" not in h.texts() and not cancel_buttons(h)

        await h.route(f"/services/item/{BIRTH}/book")
        freed = next(t for t in h.find(type=ft.ListTile) if t.title.value == when)
        assert freed.subtitle.value == "余 3 / 3 个号", "the cancelled seat is offered again"


async def test_a_narrow_phone_shows_the_list_and_an_empty_account_says_so(ui: AppFactory, visits: None) -> None:
    async with ui(route="/me", width=360) as h:
        await log_in(h, phone="13800138001")
        await h.route("/me/appointments")
        assert "今天没有取号" in h.texts()
        assert any(text.startswith("还没有预约") for text in h.texts())
