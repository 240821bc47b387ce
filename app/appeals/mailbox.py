"""公开信箱: answered public appeals with their answers, personal data masked by the server, filtered by type,
category and department or searched as people ask; one opens with its whole text and every answer.

Everything citizens and officers wrote is shown as plain `Text`, never parsed as markup."""

import datetime as dt
from collections.abc import Callable
from urllib.parse import quote, urlencode

import flet as ft

from api_client import YiwangError
from api_client.models import (
    APPEAL_CATEGORIES,
    APPEAL_STATUS_LABELS,
    APPEAL_TYPES,
    AppealStatus,
    Page,
    PublicAppeal,
    SearchPage,
    SearchResult,
    split_highlights,
)
from app.appeals.public import MailboxFilters, PublicMailbox
from app.context import AppContext
from app.device_cache import Reading
from app.i18n import Translator
from app.shell.screen import Screen
from app.widgets.filters import filter_dropdown, filter_row
from app.widgets.paged_list import PagedList
from app.widgets.search_field import search_field
from app.widgets.states import AsyncSection, offline_banner, section_title, update_if_shown

MAILBOX = "/interaction/mailbox"
CHINA = dt.timezone(dt.timedelta(hours=8))


def mailbox_route(filters: MailboxFilters, query: str = "") -> str:
    params = {**filters.query(), **({"q": query} if query else {})}
    return MAILBOX + (f"?{urlencode(params)}" if params else "")


def appeal_route(number: str) -> str:
    return f"{MAILBOX}/{quote(number, safe='')}"


def china_day(moment: dt.datetime) -> str:
    """Dates as the province counts them (a midnight-to-eight submission is the next day in China)."""
    return moment.astimezone(CHINA).date().isoformat()


def status_text(status: AppealStatus, t: Translator) -> str:
    return APPEAL_STATUS_LABELS[status] if t.language == "zh" else t(f"mailbox.status.{status}")


def rating_text(appeal: PublicAppeal, t: Translator) -> str:
    return t("mailbox.rating", rating=appeal.rating) if appeal.rating else t("mailbox.unrated")


def appeal_tile(ctx: AppContext, appeal: PublicAppeal) -> ft.Control:
    """Title, then what it is about and who answered, then where it stands: two short lines that fit a phone."""
    t = ctx.t
    about = f"{appeal.type} · {appeal.category} · {appeal.department.short_name}"
    standing = f"{status_text(appeal.status, t)} · {china_day(appeal.submitted_at)} · {rating_text(appeal, t)}"
    return ft.ListTile(
        title=ft.Text(appeal.title, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS, weight=ft.FontWeight.W_500),
        subtitle=ft.Column(
            [ft.Text(about, size=13), ft.Text(standing, size=12, color=ft.Colors.ON_SURFACE_VARIANT)], spacing=2
        ),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda _: ctx.go(appeal_route(appeal.number)),
        content_padding=ft.Padding.symmetric(horizontal=4),
    )


def result_tile(ctx: AppContext, result: SearchResult) -> ft.Control:
    """A search hit: the snippet's matches in bold; the snippet's entities are decoded by `split_highlights`."""
    spans = [
        ft.TextSpan(text, ft.TextStyle(color=ft.Colors.PRIMARY, weight=ft.FontWeight.BOLD) if match else None)
        for text, match in split_highlights(result.snippet)
    ]
    meta = " · ".join(part for part in (result.kind, result.published_on.isoformat()) if part)
    return ft.ListTile(
        title=ft.Text(result.title, max_lines=2, weight=ft.FontWeight.W_500),
        subtitle=ft.Column(
            [ft.Text(spans=spans, max_lines=3, size=13), ft.Text(meta, size=12, color=ft.Colors.ON_SURFACE_VARIANT)],
            spacing=2,
        ),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT),
        on_click=lambda _: ctx.go(appeal_route(result.code or "")),
        content_padding=ft.Padding.symmetric(horizontal=4),
    )


def _search_box(ctx: AppContext, query: str) -> ft.Control:
    field = search_field(
        ctx.t("mailbox.search"),
        ctx.t("mailbox.search_hint"),
        query,
        lambda typed: ctx.go(mailbox_route(MailboxFilters(), typed)),  # nothing typed: the whole mailbox again
    )
    return ft.Container(ft.Row([ft.Semantics(identifier="mailbox-search", content=field, expand=True)]), padding=8)


def _filters(ctx: AppContext, filters: MailboxFilters, departments: list[tuple[str, str]]) -> ft.Control:
    t = ctx.t

    def choose(field: str) -> Callable[[str | None], None]:
        return lambda value: ctx.go(mailbox_route(MailboxFilters.from_query({**filters.query(), field: value or ""})))

    return filter_row(
        filter_dropdown(
            "mailbox-type",
            t("mailbox.type"),
            filters.appeal_type,
            [(v, v) for v in APPEAL_TYPES],
            t("articles.any"),
            choose("type"),
        ),
        filter_dropdown(
            "mailbox-category",
            t("mailbox.category"),
            filters.category,
            [(v, v) for v in APPEAL_CATEGORIES],
            t("articles.any"),
            choose("category"),
        ),
        filter_dropdown(
            "mailbox-department",
            t("mailbox.department"),
            filters.department,
            departments,
            t("articles.any"),
            choose("department"),
        ),
    )


def mailbox_screen(ctx: AppContext) -> Screen:
    """The filtered list, or with `?q=` the search results; both page by cursor and read offline."""
    t = ctx.t
    mailbox = PublicMailbox(ctx.api, ctx.cache)
    query = ctx.route.query.get("q", "").strip()
    filters = MailboxFilters.from_query(ctx.route.query)
    header: list[ft.Control] = [ft.Text(t("mailbox.intro"), size=13, color=ft.Colors.ON_SURFACE_VARIANT)]
    header.append(_search_box(ctx, query))
    if query:
        clear = ft.TextButton(t("mailbox.clear_search"), icon=ft.Icons.CLOSE, on_click=lambda _: ctx.go(MAILBOX))
        header += [ft.Row([section_title(t("mailbox.results", query=query)), clear], wrap=True)]

        async def load_results(cursor: str | None) -> Reading[SearchPage]:
            return await mailbox.search(query, cursor)

        results: PagedList[SearchResult] = PagedList(
            t, load_results, lambda r: result_tile(ctx, r), header=header, empty_text=t("mailbox.none_found")
        )
        return Screen(t("mailbox.title"), results, loads=[results.reload], back_route="/interaction")

    filter_slot = ft.Container()
    header.append(filter_slot)

    async def show_filters() -> None:
        """Types and categories are fixed; the departments come from the directory (kept on the device)."""
        try:
            departments = [(d.code, d.short_name) for d in await ctx.departments.all()]
        except YiwangError:
            departments = []
        filter_slot.content = _filters(ctx, filters, departments)
        update_if_shown(filter_slot)

    async def load_page(cursor: str | None) -> Reading[Page[PublicAppeal]]:
        return await mailbox.appeals(filters, cursor)

    items: PagedList[PublicAppeal] = PagedList(
        t, load_page, lambda a: appeal_tile(ctx, a), header=header, empty_text=t("mailbox.none")
    )
    return Screen(t("mailbox.title"), items, loads=[show_filters, items.reload], back_route="/interaction")


def _message(t: Translator, heading: str, moment: dt.datetime, body: str) -> ft.Control:
    return ft.Container(
        ft.Column(
            [
                ft.Text(f"{heading} · {china_day(moment)}", size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                ft.Text(body, selectable=True),
            ],
            spacing=4,
        ),
        padding=12,
        border_radius=8,
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
    )


def appeal_view(ctx: AppContext, reading: Reading[PublicAppeal]) -> ft.Control:
    t = ctx.t
    appeal = reading.value
    answers = [
        _message(t, t("mailbox.answer_from", department=m.department or appeal.department.name), m.at, m.body)
        for m in appeal.replies
    ]
    return ft.Column(
        [
            offline_banner(reading, t),
            ft.Text(appeal.title, theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.W_600),
            ft.Text(
                f"{appeal.type} · {appeal.category} · {appeal.department.name}", color=ft.Colors.ON_SURFACE_VARIANT
            ),
            ft.Text(
                f"{status_text(appeal.status, t)} · {t('mailbox.submitted_on', day=china_day(appeal.submitted_at))}"
                f" · {rating_text(appeal, t)}",
                size=13,
            ),
            ft.Text(t("mailbox.number", number=appeal.number), size=12, selectable=True),
            section_title(t("mailbox.content")),
            ft.Text(appeal.content, selectable=True),
            ft.Text(t("mailbox.masked_note"), size=12, color=ft.Colors.OUTLINE),
            section_title(t("mailbox.answers")),
            *answers,
        ],
        spacing=8,
    )


def public_appeal_screen(ctx: AppContext) -> Screen:
    number = ctx.route.params["number"]
    mailbox = PublicMailbox(ctx.api, ctx.cache)

    async def load() -> Reading[PublicAppeal]:
        return await mailbox.appeal(number)

    section = AsyncSection(ctx.t, load=load, build=lambda reading: appeal_view(ctx, reading))
    return Screen(
        ctx.t("mailbox.appeal"),
        ft.ListView([ft.Container(section, padding=12)]),
        loads=[section.reload],
        back_route=MAILBOX,
    )
