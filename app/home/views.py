"""首页: latest notices and policies, what is new in followed topics, entries to the pillars."""

import datetime as dt
from collections.abc import Awaitable, Callable

import flet as ft

from api_client.models import ArticleFilters, ArticleKind, ArticleSummary, Page
from app.articles.presenting import disclosure_route
from app.articles.widgets import article_tile
from app.context import AppContext
from app.device_cache import Reading
from app.shell.routes import DESTINATIONS
from app.shell.screen import Screen
from app.widgets.states import AsyncSection, offline_banner, section_title
from app.workbench.views import is_officer, workbench_screen

LATEST = 5


def _entry(ctx: AppContext, index: int, description_key: str) -> ft.Control:
    destination = DESTINATIONS[index]
    return ft.Card(
        ft.ListTile(
            leading=ft.Icon(destination.selected_icon, color=ft.Colors.PRIMARY),
            title=ft.Text(ctx.t(destination.label_key), weight=ft.FontWeight.W_600),
            subtitle=ft.Text(ctx.t(description_key)),
            trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
            on_click=lambda _: ctx.go(destination.route),
        )
    )


def _latest(ctx: AppContext, kind: ArticleKind, title_key: str) -> tuple[ft.Control, AsyncSection]:
    filters = ArticleFilters(kind=kind)

    async def load() -> Reading[Page[ArticleSummary]]:
        return await ctx.articles.articles(filters)

    def build(reading: Reading[Page[ArticleSummary]]) -> ft.Control:
        tiles = [article_tile(ctx, a) for a in reading.value.items[:LATEST]]
        return ft.Column([offline_banner(reading, ctx.t), *tiles], spacing=0)

    section = AsyncSection(ctx.t, load=load, build=build, is_empty=lambda r: not r.value.items)
    header = ft.Row(
        [
            section_title(ctx.t(title_key)),
            ft.TextButton(ctx.t("home.more"), on_click=lambda _: ctx.go(disclosure_route(filters))),
        ],
        alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
    )
    return ft.Column([header, section], spacing=4), section


def _followed(ctx: AppContext) -> AsyncSection:
    t = ctx.t

    async def load() -> list[tuple[str, str, int]]:
        counts = await ctx.articles.new_since_last_visit(dt.date.today())
        names = {topic.code: topic.name for topic in await ctx.articles.topics()}
        return [(code, names.get(code, code), count) for code, count in counts.items()]

    def build(rows: list[tuple[str, str, int]]) -> ft.Control:
        return ft.Row(
            [
                ft.Chip(
                    label=ft.Text(t("home.topic_new", topic=name, count=f"{count}+" if count >= 100 else count)),
                    on_click=lambda _, code=code: ctx.go(disclosure_route(ArticleFilters(topic=code))),
                )
                for code, name, count in rows
            ],
            wrap=True,
        )

    return AsyncSection(
        t,
        load=load,
        build=build,
        empty_text=t("home.follow_topics"),
    )


def home_screen(ctx: AppContext) -> Screen:
    if is_officer(ctx):
        return workbench_screen(ctx)
    t = ctx.t
    greeting = t("home.greeting_named", name=ctx.profile.name) if ctx.profile else t("home.greeting")
    notices, notices_section = _latest(ctx, "notice", "home.latest_notices")
    policies, policies_section = _latest(ctx, "policy", "home.latest_policies")
    followed = _followed(ctx)
    departments = AsyncSection(
        t,
        load=ctx.departments.all,
        build=lambda items: ft.Text(t("home.departments_count", count=len(items))),
    )
    body = ft.ListView(
        [
            ft.Text(greeting, theme_style=ft.TextThemeStyle.HEADLINE_SMALL, weight=ft.FontWeight.W_600),
            ft.Text(t("home.tagline"), color=ft.Colors.ON_SURFACE_VARIANT),
            ft.Row(
                [
                    section_title(t("home.followed_new")),
                    ft.TextButton(t("articles.topics"), on_click=lambda _: ctx.go("/disclosure/topics")),
                ],
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            ),
            followed,
            notices,
            policies,
            _entry(ctx, 2, "services.intro"),
            _entry(ctx, 3, "interaction.intro"),
            section_title(t("home.departments")),
            departments,
        ],
        spacing=12,
    )
    loads: list[Callable[[], Awaitable[None]]] = [
        notices_section.reload,
        policies_section.reload,
        followed.reload,
        departments.reload,
    ]
    return Screen(t("app.title"), body, loads=loads)
