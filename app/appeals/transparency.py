"""数据公开: the figures of `/stats` as headline numbers and bar charts (flet-charts) by month, category and
department. Every chart carries its data in its accessible name and has a table under it: a screen reader, or
anyone who prefers numbers, reads the table."""

import math
from collections.abc import Sequence

import flet as ft
import flet_charts as fch

from api_client import YiwangError
from api_client.models import AppealCountRow, AppealStats
from app.appeals.public import PublicMailbox
from app.context import AppContext
from app.device_cache import Reading
from app.i18n import Translator
from app.shell.screen import Screen
from app.widgets.states import AsyncSection, offline_banner, section_title

RECEIVED_COLOUR = ft.Colors.PRIMARY
HANDLED_COLOUR = ft.Colors.TERTIARY
TOP_DEPARTMENTS = 8
CHART_MONTHS = 12


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def yi_yuan(amount: float) -> str:
    """亿元 with up to four decimals (the API's precision), trailing zeros dropped."""
    return f"{amount:.4f}".rstrip("0").rstrip(".")


def grid_step(highest: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving about four grid lines up to `highest`."""
    rough = max(highest / 4, 1)
    power = 10 ** math.floor(math.log10(rough))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= rough)


def every_month(rows: Sequence[AppealCountRow]) -> list[AppealCountRow]:
    """The months from the first to the last, a month without appeals as a zero row, so the bars keep time."""
    if not rows:
        return []
    counted = {row.key: row for row in rows}
    year, month = (int(part) for part in rows[0].key.split("-"))
    months = []
    while (key := f"{year:04d}-{month:02d}") <= rows[-1].key:
        months.append(counted.get(key, AppealCountRow(key=key, received=0, handled=0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def headline(t: Translator, stats: AppealStats) -> list[tuple[str, str, str]]:
    """(identifier, label, value) of the figures shown first."""
    return [
        ("stats-received", t("stats.received"), t("stats.cases", count=f"{stats.received:,}")),
        ("stats-handled", t("stats.handled"), t("stats.cases", count=f"{stats.handled:,}")),
        ("stats-on-time", t("stats.on_time_rate"), percent(stats.on_time_rate)),
        ("stats-satisfaction", t("stats.satisfaction_rate"), percent(stats.satisfaction_rate)),
        ("stats-recovered", t("stats.recovered"), t("stats.yi_yuan", amount=yi_yuan(stats.amount_recovered_yi_yuan))),
    ]


def _figure(identifier: str, label: str, value: str) -> ft.Control:
    tile = ft.Container(
        ft.Column(
            [
                ft.Text(value, theme_style=ft.TextThemeStyle.HEADLINE_SMALL, weight=ft.FontWeight.W_600),
                ft.Text(label, size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            ],
            spacing=2,
        ),
        padding=12,
        border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
    )
    wide = identifier == "stats-recovered"  # 亿元 with four decimals needs a phone's whole width
    return ft.Semantics(
        identifier=identifier,
        label=f"{label} {value}",
        exclude_semantics=True,  # heard once, as "受理 380 件", not again from the texts inside
        content=tile,
        col={"xs": 12 if wide else 6, "md": 4},
    )


def _legend(t: Translator) -> ft.Control:
    def key(colour: ft.ColorValue, text: str) -> ft.Control:
        return ft.Row([ft.Container(width=12, height=12, bgcolor=colour, border_radius=2), ft.Text(text, size=12)])

    return ft.Row([key(RECEIVED_COLOUR, t("stats.received")), key(HANDLED_COLOUR, t("stats.handled"))], spacing=16)


def _rod(value: int, colour: ft.ColorValue, tooltip: str) -> fch.BarChartRod:
    return fch.BarChartRod(
        to_y=value,
        width=7,
        color=colour,
        border_radius=1,
        tooltip=fch.BarChartRodTooltip(tooltip, text_style=ft.TextStyle(color=ft.Colors.ON_INVERSE_SURFACE, size=12)),
    )


def bar_chart(t: Translator, rows: Sequence[tuple[str, AppealCountRow]], *, stacked_labels: bool) -> fch.BarChart:
    """One group per row, received and handled side by side. `stacked_labels` writes each label top to bottom,
    as Chinese may be written, so that 拖欠农民工工资 fits under a bar on a phone."""
    received, handled = t("stats.received"), t("stats.handled")
    highest = max((row.received for _, row in rows), default=0)
    step = grid_step(highest)
    longest = max((len(label) for label, _ in rows), default=1)
    labels = [
        fch.ChartAxisLabel(
            value=index,
            label=ft.Text("\n".join(label) if stacked_labels else label, size=11, text_align=ft.TextAlign.CENTER),
        )
        for index, (label, _) in enumerate(rows)
    ]
    return fch.BarChart(
        groups=[
            fch.BarChartGroup(
                x=index,
                rods=[
                    _rod(row.received, RECEIVED_COLOUR, f"{label} {received} {row.received}"),
                    _rod(row.handled, HANDLED_COLOUR, f"{label} {handled} {row.handled}"),
                ],
                spacing=1,
            )
            for index, (label, row) in enumerate(rows)
        ],
        max_y=step * max(math.ceil(highest / step), 1),
        left_axis=fch.ChartAxis(label_size=40, label_spacing=step),
        bottom_axis=fch.ChartAxis(labels=labels, label_size=15 * longest + 6 if stacked_labels else 24),
        horizontal_grid_lines=fch.ChartGridLines(interval=step, color=ft.Colors.OUTLINE_VARIANT, width=0.5),
        tooltip=fch.BarChartTooltip(bgcolor=ft.Colors.INVERSE_SURFACE, fit_inside_horizontally=True),
        interactive=True,
        expand=True,
    )


def data_table(t: Translator, heading: str, rows: Sequence[tuple[str, AppealCountRow]]) -> ft.Control:
    """The chart's data as rows of plain text, folded under the chart. A screen reader hears each row as one
    sentence ("2026-03 受理46件、办结46件"), not three loose numbers."""

    def line(label: str, received: str, handled: str, spoken: str | None = None) -> ft.Control:
        weight = None if spoken else ft.FontWeight.W_600
        row = ft.Row(
            [
                ft.Text(label, expand=True, weight=weight),
                ft.Text(received, width=64, text_align=ft.TextAlign.RIGHT, weight=weight),
                ft.Text(handled, width=64, text_align=ft.TextAlign.RIGHT, weight=weight),
            ]
        )
        return ft.Semantics(label=spoken, container=True, exclude_semantics=True, content=row) if spoken else row

    def spoken(label: str, row: AppealCountRow) -> str:
        return t("stats.chart_row", label=label, received=row.received, handled=row.handled)

    return ft.ExpansionTile(
        title=ft.Text(t("stats.table", title=heading, count=len(rows))),
        controls=[
            ft.Semantics(exclude_semantics=True, content=line(heading, t("stats.received"), t("stats.handled"))),
            *(line(label, f"{row.received:,}", f"{row.handled:,}", spoken(label, row)) for label, row in rows),
        ],
        controls_padding=ft.Padding.symmetric(horizontal=8),
    )


def chart_section(
    t: Translator,
    identifier: str,
    title: str,
    charted: Sequence[tuple[str, AppealCountRow]],
    table: Sequence[tuple[str, AppealCountRow]],
    *,
    stacked_labels: bool,
    note: str | None = None,
) -> ft.Control:
    summary = t("stats.chart_label", title=title) + "；".join(
        t("stats.chart_row", label=label, received=row.received, handled=row.handled) for label, row in charted
    )
    height = 220 + (15 * max((len(label) for label, _ in charted), default=1) if stacked_labels else 0)
    chart = ft.Semantics(
        identifier=identifier,
        label=summary,
        container=True,
        exclude_semantics=True,  # the summary says what the axis labels would, with the numbers
        content=ft.Container(bar_chart(t, charted, stacked_labels=stacked_labels), height=height),
    )
    parts: list[ft.Control] = [section_title(title), _legend(t), chart]
    if note:
        parts.append(ft.Text(note, size=12, color=ft.Colors.ON_SURFACE_VARIANT))
    parts.append(data_table(t, title, table))
    return ft.Column(parts, spacing=8)


def stats_view(ctx: AppContext, reading: Reading[AppealStats], short_names: dict[str, str]) -> ft.Control:
    t = ctx.t
    stats = reading.value
    months = [(row.key, row) for row in every_month(stats.by_month)]
    recent = [(f"{int(key[5:])}{t('stats.month_suffix')}", row) for key, row in months[-CHART_MONTHS:]]
    categories = [(row.key, row) for row in stats.by_category]
    departments = [(short_names.get(row.key, row.key), row) for row in stats.by_department]
    rest = len(departments) - TOP_DEPARTMENTS
    return ft.Column(
        [
            offline_banner(reading, t),
            ft.Text(t("stats.intro"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
            ft.ResponsiveRow([_figure(*figure) for figure in headline(t, stats)], spacing=8, run_spacing=8),
            chart_section(t, "stats-by-month", t("stats.by_month"), recent, months, stacked_labels=False),
            chart_section(t, "stats-by-category", t("stats.by_category"), categories, categories, stacked_labels=True),
            chart_section(
                t,
                "stats-by-department",
                t("stats.by_department"),
                departments[:TOP_DEPARTMENTS],
                [(row.key, row) for row in stats.by_department],
                stacked_labels=True,
                note=t("stats.top_departments", top=TOP_DEPARTMENTS, rest=rest) if rest > 0 else None,
            ),
        ],
        spacing=16,
    )


def stats_screen(ctx: AppContext) -> Screen:
    mailbox = PublicMailbox(ctx.api, ctx.cache)

    async def load() -> tuple[Reading[AppealStats], dict[str, str]]:
        reading = await mailbox.stats()
        try:
            short_names = {d.name: d.short_name for d in await ctx.departments.all()}
        except YiwangError:
            short_names = {}  # the full names then label the bars
        return reading, short_names

    section = AsyncSection(ctx.t, load=load, build=lambda loaded: stats_view(ctx, *loaded))
    return Screen(
        ctx.t("stats.title"),
        ft.ListView([ft.Container(section, padding=12)]),
        loads=[section.reload],
        back_route="/interaction",
    )
