from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy import select

from api_client import models as wire
from server.core.deps import DbSession
from server.core.errors import error_responses, not_found
from server.core.pagination import Cursor, Limit, decode_cursor, encode_cursor
from server.departments.models import Department

router = APIRouter(prefix="/departments", tags=["departments"])


def to_wire(department: Department) -> wire.Department:
    return wire.Department(
        code=department.code, name=department.name, short_name=department.short_name, phone=department.phone
    )


@router.get("", response_model=wire.Page[wire.Department], responses=error_responses())
def list_departments(db: DbSession, cursor: Cursor = None, limit: Limit = 50) -> wire.Page[wire.Department]:
    query = select(Department).order_by(Department.sort_order, Department.id).limit(limit + 1)
    if cursor:
        sort_order, last_id = decode_cursor(cursor, int, int)
        query = query.where(
            (Department.sort_order > sort_order) | ((Department.sort_order == sort_order) & (Department.id > last_id))
        )
    rows = list(db.scalars(query))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor([rows[-1].sort_order, rows[-1].id]) if more else None
    return wire.Page[wire.Department](items=[to_wire(d) for d in rows], next_cursor=next_cursor)


@router.get("/{code}", response_model=wire.Department, responses=error_responses(404))
def get_department(code: Annotated[wire.SingleLineText, Path(max_length=32)], db: DbSession) -> wire.Department:
    department = db.scalar(select(Department).where(Department.code == code))
    if department is None:
        raise not_found()
    return to_wire(department)
