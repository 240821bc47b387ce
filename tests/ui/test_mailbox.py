"""公开信箱 and 数据公开 in the app, over the real API in-process: seeded public appeals, one more whose text names
a person, a phone and a house number (masked by the server), the filters, search, the detail and the figures."""

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import unquote

import flet as ft
import flet_charts as fch
import pytest

from api_client import AsyncClient, ops
from api_client.models import (
    AppealCategory,
    AppealCountRow,
    AppealCreate,
    AppealStats,
    AppealType,
    OfficerReply,
    Page,
    PublicAppeal,
    TokenPair,
)
from app.appeals.transparency import TOP_DEPARTMENTS, every_month, grid_step
from app.widgets.paged_list import PagedList
from server.config import Settings
from server.db import make_engine, make_sessionmaker
from server.seed.appeals import seed_appeals
from tests.server.application_world import make_people
from tests.ui.conftest import AppFactory, Network
from tests.ui.harness import FletHarness

SEEDED = 60
CONTENT = "我叫王小明，电话13812345678，住沈阳市和平区南京街12号楼3单元502室，工地拖欠我三个月工资共四万元。"


def client(network: Network, token: dict[str, str] | None = None) -> AsyncClient:
    assert network.inner is not None
    api = AsyncClient("http://testserver", transport=network.inner)
    if token:
        access = token["Authorization"].removeprefix("Bearer ")
        api.set_tokens(TokenPair(access_token=access, refresh_token="unused", expires_in=3600))
    return api


@pytest.fixture
async def masked_number(tmp_path: Path, ui: AppFactory, network: Network) -> AsyncIterator[str]:
    """Seeds the mailbox in the database the `ui` fixture just copied, and adds an answered appeal that names
    someone; its number."""
    settings = Settings.resolve(data_dir=tmp_path)
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        assert seed_appeals(db, SEEDED) == SEEDED
        db.commit()
    engine.dispose()
    people = make_people(settings)
    citizen, officer = client(network, people["citizen"]), client(network, people["rst"])
    receipt = await citizen.send(
        ops.appeals.submit(
            AppealCreate(
                type="投诉", category="拖欠农民工工资", department="rst", title="包工头拖欠工资三个月", content=CONTENT
            )
        )
    )
    number = receipt.appeal.number
    await officer.send(ops.appeals.reply(number, OfficerReply(body="经查王小明反映属实，已督促支付全部工资。")))
    yield number
    await citizen.aclose()
    await officer.aclose()


def titles(h: FletHarness) -> list[str]:
    return [tile.title.value for tile in h.get(type=PagedList).item_controls if isinstance(tile, ft.ListTile)]


def subtitle_texts(h: FletHarness) -> list[str]:
    return [
        " / ".join(t.value for t in tile.subtitle.controls)
        for tile in h.get(type=PagedList).item_controls
        if isinstance(tile, ft.ListTile)
    ]


def dropdown(h: FletHarness, identifier: str) -> ft.Dropdown:
    return h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == identifier).content


async def public_page(
    network: Network,
    category: AppealCategory | None = None,
    appeal_type: AppealType | None = None,
    department: str | None = None,
) -> Page[PublicAppeal]:
    api = client(network)
    try:
        return await api.send(ops.appeals.public_appeals(category, appeal_type, department))
    finally:
        await api.aclose()


async def test_the_mailbox_lists_pages_and_filters_public_appeals(
    ui: AppFactory, network: Network, masked_number: str
) -> None:
    first = await public_page(network)
    async with ui(route="/interaction/mailbox", width=360) as h:
        assert titles(h) == [a.title for a in first.items]
        assert len(titles(h)) == 20
        newest = first.items[0]
        assert newest.number == masked_number and newest.title == "包工头拖欠工资三个月"
        assert subtitle_texts(h)[0].startswith(f"投诉 · 拖欠农民工工资 · {newest.department.short_name} / 已答复 · ")
        assert subtitle_texts(h)[0].endswith(" · 未评价")
        rated = next(i for i, a in enumerate(first.items) if a.rating)
        assert subtitle_texts(h)[rated].endswith(f" · 评价：{first.items[rated].rating}")

        await h.click(h.get(type=ft.TextButton, text="加载更多"))
        assert len(titles(h)) == min(40, SEEDED + 1)

        category = first.items[1].category
        await h.select(dropdown(h, "mailbox-category"), category)
        assert unquote(h.page.route) == f"/interaction/mailbox?category={category}"
        expected = await public_page(network, category=category)
        assert titles(h) == [a.title for a in expected.items] and expected.items
        assert all(f" · {category} · " in line for line in subtitle_texts(h))

        await h.select(dropdown(h, "mailbox-type"), "投诉")
        await h.select(dropdown(h, "mailbox-department"), "rst")
        expected = await public_page(network, category=category, appeal_type="投诉", department="rst")
        assert unquote(h.page.route) == f"/interaction/mailbox?type=投诉&category={category}&department=rst"
        assert titles(h) == [a.title for a in expected.items]
        assert dropdown(h, "mailbox-department").value == "rst"

        await h.select(dropdown(h, "mailbox-category"), "")
        assert unquote(h.page.route) == "/interaction/mailbox?type=投诉&department=rst"


async def test_search_opens_an_appeal_with_masked_text_and_its_answer(
    ui: AppFactory, network: Network, masked_number: str
) -> None:
    async with ui(route="/interaction/mailbox") as h:
        search = h.get(type=ft.TextField, label="搜索公开信箱")
        await h.type(search, "包工头不给工资怎么办", submit=True)
        assert h.page.route.startswith("/interaction/mailbox?q=")
        assert titles(h)[0] == "包工头拖欠工资三个月"
        assert "王小明" not in h.all_text() and "13812345678" not in h.all_text()
        await h.click(h.get(lambda c: isinstance(c, ft.ListTile) and c.title.value == "包工头拖欠工资三个月"))
        assert h.page.route == f"/interaction/mailbox/{masked_number}"
        text = h.all_text()
        assert "我叫王＊＊，电话138＊＊＊＊5678" in text and "南京街＊＊号楼＊单元＊＊＊室" in text
        assert "王小明" not in text and "13812345678" not in text and "502" not in text
        assert "经查王＊＊反映属实，已督促支付全部工资。" in text
        assert "省人力资源和社会保障厅 答复 · " in text
        assert f"诉求编号 {masked_number}" in text

        await h.route("/interaction/mailbox?q=zzzzqqqq")
        assert "没有找到相关的公开诉求，换个说法试试" in h.all_text()
        await h.route("/interaction/mailbox/S000000000000000000")  # not public, or no such appeal
        assert "找不到该内容，它可能已被删除或您无权查看" in h.all_text()
        assert "无法连接服务器" not in h.all_text() and not h.find(text="重试")


async def test_the_first_page_and_an_opened_appeal_read_offline(
    ui: AppFactory, network: Network, masked_number: str
) -> None:
    async with ui(route="/interaction/mailbox") as h:
        shown = titles(h)
        await h.route(f"/interaction/mailbox/{masked_number}")
        prefs = dict(h.prefs)
    network.online = False
    async with ui(route="/interaction/mailbox", prefs=prefs) as h:
        assert titles(h) == shown
        assert "离线 · 更新于" in h.all_text()
        await h.route(f"/interaction/mailbox/{masked_number}")
        assert "经查王＊＊反映属实" in h.all_text() and "离线 · 更新于" in h.all_text()


async def test_the_figures_are_the_apis_with_charts_and_tables(
    ui: AppFactory, network: Network, masked_number: str
) -> None:
    api = client(network)
    stats: AppealStats = await api.send(ops.appeals.stats())
    await api.aclose()
    async with ui(route="/interaction/stats", width=360) as h:

        def figure(identifier: str) -> str:
            return h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == identifier).label

        assert figure("stats-received") == f"受理 {stats.received:,} 件"
        assert figure("stats-handled") == f"办结 {stats.handled:,} 件"
        assert stats.on_time_rate is not None and stats.satisfaction_rate is not None
        assert figure("stats-on-time") == f"按期办结率 {stats.on_time_rate * 100:.1f}%"
        assert figure("stats-satisfaction") == f"满意率 {stats.satisfaction_rate * 100:.1f}%"
        amount = f"{stats.amount_recovered_yi_yuan:.4f}".rstrip("0").rstrip(".")
        assert figure("stats-recovered") == f"为群众挽回损失 {amount} 亿元"
        assert stats.received == SEEDED + 1 and stats.amount_recovered_yi_yuan > 0

        charts = list(h.find(type=fch.BarChart))
        assert len(charts) == 3
        by_month, by_category, by_department = charts
        assert [g.rods[0].to_y for g in by_category.groups] == [r.received for r in stats.by_category]
        assert [g.rods[1].to_y for g in by_category.groups] == [r.handled for r in stats.by_category]
        months = every_month(stats.by_month)
        assert [g.rods[0].to_y for g in by_month.groups] == [r.received for r in months[-12:]]
        assert len(by_department.groups) == min(TOP_DEPARTMENTS, len(stats.by_department))

        category_label = figure("stats-by-category")
        for row in stats.by_category:
            assert f"{row.key} 受理{row.received}件、办结{row.handled}件" in category_label
        # the tables hold every row, the departments' ones too (beyond the top ones in the chart)
        text = h.all_text(visible_only=False)
        for row in stats.by_department:
            assert row.key in text
        assert f"按部门数据表（{len(stats.by_department)} 行）" in text
        assert f"按月份数据表（{len(months)} 行）" in text


def test_months_without_appeals_are_zero_rows_and_grid_steps_are_round() -> None:
    rows = [AppealCountRow(key=k, received=r, handled=r) for k, r in (("2025-11", 3), ("2026-02", 5))]
    assert [(m.key, m.received) for m in every_month(rows)] == [
        ("2025-11", 3),
        ("2025-12", 0),
        ("2026-01", 0),
        ("2026-02", 5),
    ]
    assert every_month([]) == []
    assert [grid_step(n) for n in (0, 3, 9, 37, 56, 61, 380, 4100)] == [1, 1, 5, 10, 20, 20, 100, 2000]


async def test_both_screens_read_in_english(ui: AppFactory, masked_number: str) -> None:
    async with ui(route="/interaction/stats", prefs={"yiwang.language": "en"}) as h:
        text = h.all_text()
        assert "Answered on time" in text and "By department: table" in text
        received = h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == "stats-received")
        assert received.label == f"Received {SEEDED + 1}"
        await h.route(f"/interaction/mailbox/{masked_number}")
        assert "Answered · " in h.all_text() and "Answer from 省人力资源和社会保障厅" in h.all_text()
