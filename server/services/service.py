"""Reading the service catalogue: Core queries on a plain connection, keyset pages.

Two orders: `popular` (hot items first: popularity, then id, both descending) and `catalogue`
(department order, then 事项编码: the unique `sort_key`).
"""

import re
from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, Row, Select, String, bindparam, cast, func, select, tuple_
from sqlalchemy.orm import aliased

from api_client import models as wire
from server.core.errors import ApiError, not_found
from server.core.pagination import decode_cursor, encode_cursor
from server.departments.models import Department
from server.services.models import ServiceItem, ServiceItemDepartment, ServiceItemTheme
from server.services.themes import BUSINESS_THEMES, PERSON_THEMES

AnyRow = Row[*tuple[Any, ...]]
AnySelect = Select[*tuple[Any, ...]]
THEMES: list[wire.ServiceTheme] = [wire.ServiceTheme(name=name, audience="person") for name in PERSON_THEMES] + [
    wire.ServiceTheme(name=name, audience="business") for name in BUSINESS_THEMES
]
THEME_NAMES = frozenset(theme.name for theme in THEMES)
# What a 事项编码 or a department code can look like: anything else (NUL bytes included, which
# PostgreSQL refuses in text) is unknown without asking the database.
ITEM_CODE = re.compile(r"[0-9A-Z]{1,40}")
DEPARTMENT_CODE = re.compile(r"[a-z]{1,32}")
_SUMMARY_COLUMNS = (
    ServiceItem.id,
    ServiceItem.code,
    ServiceItem.name,
    ServiceItem.type,
    ServiceItem.audience,
    ServiceItem.promised_days,
    ServiceItem.online,
    ServiceItem.visits,
    ServiceItem.popularity,
    ServiceItem.sort_key,
    Department.code.label("department_code"),
    Department.name.label("department_name"),
    Department.short_name.label("department_short_name"),
    Department.phone.label("department_phone"),
)


def list_page(
    db: Connection, filters: wire.ServiceItemFilters, cursor: str | None, limit: int
) -> wire.Page[wire.ServiceItemSummary]:
    query = _filtered(db, filters)
    if filters.sort == "popular":
        if cursor:
            query = query.where(tuple_(ServiceItem.popularity, ServiceItem.id) < tuple_(*_popular_cursor(cursor)))
        query = query.order_by(ServiceItem.popularity.desc(), ServiceItem.id.desc())
    else:
        if cursor:
            query = query.where(ServiceItem.sort_key > _catalogue_cursor(cursor))
        query = query.order_by(ServiceItem.sort_key)
    rows = list(db.execute(query.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    themes_of = _themes_of(db, [row.id for row in rows])
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = encode_cursor([last.popularity, last.id] if filters.sort == "popular" else [last.sort_key])
    return wire.Page[wire.ServiceItemSummary](
        items=[wire.ServiceItemSummary(**_summary_fields(row, themes_of[row.id])) for row in rows],
        next_cursor=next_cursor,
    )


def _filtered(db: Connection, filters: wire.ServiceItemFilters) -> AnySelect:
    query: AnySelect = select(*_SUMMARY_COLUMNS).join(Department, Department.id == ServiceItem.department_id)
    if filters.department:
        if not DEPARTMENT_CODE.fullmatch(filters.department):
            raise ApiError(422, "value_invalid", "department")
        department_id = db.scalar(select(Department.id).where(Department.code == filters.department))
        if department_id is None:
            raise ApiError(422, "value_invalid", "department")
        query = query.where(ServiceItem.department_id == department_id)
    if filters.theme:
        if filters.theme not in THEME_NAMES:
            raise ApiError(422, "value_invalid", "theme")
        query = query.where(
            ServiceItem.id.in_(select(ServiceItemTheme.item_id).where(ServiceItemTheme.theme == filters.theme))
        )
    if filters.audience:
        query = query.where(ServiceItem.audience == filters.audience)
    if filters.online is not None:
        query = query.where(ServiceItem.online == filters.online)
    return query


def _popular_cursor(cursor: str) -> tuple[int, int]:
    popularity, item_id = decode_cursor(cursor, int, int)
    return popularity, item_id


def _catalogue_cursor(cursor: str) -> str:
    (sort_key,) = decode_cursor(cursor, str)
    return str(sort_key)


def _themes_of(db: Connection, item_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    if item_ids:
        rows = db.execute(
            select(ServiceItemTheme.item_id, ServiceItemTheme.theme).where(ServiceItemTheme.item_id.in_(item_ids))
        )
        for item_id, theme in rows:
            found[item_id].append(theme)
    order = {theme.name: n for n, theme in enumerate(THEMES)}
    for names in found.values():
        names.sort(key=lambda name: order.get(name, len(order)))
    return found


def _department(row: AnyRow, prefix: str = "department_") -> wire.Department:
    return wire.Department(
        code=getattr(row, prefix + "code"),
        name=getattr(row, prefix + "name"),
        short_name=getattr(row, prefix + "short_name"),
        phone=getattr(row, prefix + "phone"),
    )


def _summary_fields(row: AnyRow, themes: list[str]) -> dict[str, Any]:
    return {
        "code": row.code,
        "name": row.name,
        "type": row.type,
        "department": _department(row),
        "audience": row.audience,
        "themes": themes,
        "promised_days": row.promised_days,
        "online": row.online,
        "visits": row.visits,
    }


def _joined(dialect: str, column: Any) -> Any:
    """The values of `column` in a group joined by commas (an aggregate each database spells its own way)."""
    if dialect == "postgresql":
        return func.string_agg(column, ",")
    return func.group_concat(column, ",")


@cache
def _guide_statement(dialect: str) -> AnySelect:
    """Built once per database kind: composing the statement costs more than running it."""
    themes = (
        select(_joined(dialect, ServiceItemTheme.theme))
        .where(ServiceItemTheme.item_id == ServiceItem.id)
        .scalar_subquery()
    )
    other = aliased(Department)  # not correlated with the implementing department of the outer query
    approving = (
        select(_joined(dialect, cast(ServiceItemDepartment.position, String) + ":" + other.code))
        .select_from(ServiceItemDepartment)
        .join(other, other.id == ServiceItemDepartment.department_id)
        .where(ServiceItemDepartment.item_id == ServiceItem.id)
        .scalar_subquery()
    )
    return (
        select(
            *_SUMMARY_COLUMNS,
            ServiceItem.statutory_days,
            ServiceItem.guide,
            themes.label("themes"),
            approving.label("approving"),
        )
        .select_from(ServiceItem)
        .join(Department, Department.id == ServiceItem.department_id)
        .where(ServiceItem.code == bindparam("code"))
    )


def guide(db: Connection, code: str) -> wire.ServiceItemGuide:
    """One round trip for nearly every item: its themes and approving departments come aggregated with it."""
    if not ITEM_CODE.fullmatch(code):
        raise not_found()
    row = db.execute(_guide_statement(db.dialect.name), {"code": code}).one_or_none()
    if row is None:
        raise not_found()
    ordered = [pair.split(":", 1) for pair in (row.approving or "").split(",") if pair]
    approving_codes = [department for _position, department in sorted(ordered, key=lambda p: int(p[0]))]
    department = _department(row)
    if approving_codes == [department.code]:
        approving_departments = [department]
    else:  # parallel approval: the other departments' names and phones
        found = {
            d.code: _department(d, "")
            for d in db.execute(
                select(Department.code, Department.name, Department.short_name, Department.phone).where(
                    Department.code.in_(approving_codes)
                )
            )
        }
        approving_departments = [found[c] for c in approving_codes]
    theme_names = (row.themes or "").split(",") if row.themes else []
    order = {theme.name: n for n, theme in enumerate(THEMES)}
    return wire.ServiceItemGuide(
        **_summary_fields(row, sorted(theme_names, key=lambda name: order.get(name, len(order)))),
        **row.guide,
        statutory_days=row.statutory_days,
        approving_departments=approving_departments,
    )


def codes_of(db: Connection, item_ids: Sequence[int]) -> dict[int, str]:
    """事项编码 by item id, for search results."""
    if not item_ids:
        return {}
    rows = db.execute(select(ServiceItem.id, ServiceItem.code).where(ServiceItem.id.in_(item_ids)))
    return {item_id: code for item_id, code in rows}
