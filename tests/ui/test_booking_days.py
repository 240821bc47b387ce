"""Booking a hall visit near the end of a year whose successor's holiday schedule is not yet published: the days
the law fixes (国庆 1-3 October here) are never offered, and the days offered say they may still change."""

import datetime as dt
from pathlib import Path

import flet as ft
import pytest

from server.config import Settings
from server.core.clock import CHINA, current_time
from server.db import make_engine
from server.seed.services import catalogue, seed_service_items
from tests.server.application_world import make_people
from tests.ui.conftest import AppFactory, Network
from tests.ui.test_services import log_in

BIRTH = next(item.code for item in catalogue() if item.name == "出生登记")  # needs one visit to the hall


@pytest.fixture
def people_and_items(tmp_path: Path, ui: AppFactory) -> None:
    settings = Settings.resolve(data_dir=tmp_path)
    engine = make_engine(settings.database_url)
    seed_service_items(engine)
    engine.dispose()
    make_people(settings)


async def test_days_in_an_unpublished_year_skip_fixed_holidays_and_say_they_may_change(
    ui: AppFactory, network: Network, people_and_items: None
) -> None:
    network.inner.app.dependency_overrides[current_time] = lambda: dt.datetime(2031, 9, 26, 10, tzinfo=CHINA)
    async with ui() as h:
        await log_in(h)
        await h.route(f"/services/item/{BIRTH}/book")
        days = [chip.label.value.split()[0] for chip in h.find(type=ft.Chip)]
        assert days[:4] == ["9/29", "9/30", "10/6", "10/7"]  # weekends and 国庆 1-3 October left out
        assert "2031年节假日安排尚未公布，该日可能调整为休息日，请届时留意" in h.texts()
        tiles = [tile.title.value for tile in h.find(type=ft.ListTile)]
        assert tiles and all(title.startswith("2031-09-29") for title in tiles)


async def test_days_in_a_published_year_carry_no_warning(
    ui: AppFactory, network: Network, people_and_items: None
) -> None:
    network.inner.app.dependency_overrides[current_time] = lambda: dt.datetime(2025, 11, 18, 10, tzinfo=CHINA)
    async with ui() as h:
        await log_in(h)
        await h.route(f"/services/item/{BIRTH}/book")
        assert h.find(type=ft.Chip)
        assert not [text for text in h.texts() if "节假日安排尚未公布" in text]
