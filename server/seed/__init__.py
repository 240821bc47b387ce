"""Demo data for a first start: departments, demo accounts, 政务公开 articles, the service catalogue and public
appeals. Idempotent."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from api_client import models as wire
from server.accounts.models import User
from server.accounts.service import create_user
from server.departments.models import Department
from server.seed.appeals import seed_appeals
from server.seed.articles import seed_articles
from server.seed.departments import DEPARTMENTS, department_phone
from server.seed.services import seed_service_items
from server.workdays.seed import seed_calendar

DEMO_PASSWORD = "Demo12345"
DEMO_ARTICLES = 1000
# (phone, name, role, department code)
DEMO_ACCOUNTS: list[tuple[str, str, wire.Role, str | None]] = [
    ("13800138000", "张三", "citizen", None),
    ("13800138001", "李四", "citizen", None),
    ("13900000001", "王警官", "officer", "gat"),
    ("13900000002", "赵科长", "officer", "rst"),
    ("13900000003", "刘主任", "officer", "scjgj"),
    ("13900000000", "系统管理员", "admin", None),
]


def seed_departments(db: Session) -> None:
    known = set(db.scalars(select(Department.code)))
    for order, (code, name, short_name) in enumerate(DEPARTMENTS):
        if code not in known:
            db.add(
                Department(
                    code=code,
                    name=name,
                    short_name=short_name,
                    phone=department_phone(order),
                    sort_order=order,
                )
            )
    db.flush()


def seed_demo_accounts(db: Session) -> None:
    known = set(db.scalars(select(User.phone)))
    for phone, name, role, department in DEMO_ACCOUNTS:
        if phone not in known:
            create_user(db, phone=phone, password=DEMO_PASSWORD, name=name, role=role, department_code=department)


def seed_demo_data(db: Session) -> None:
    seed_departments(db)
    seed_demo_accounts(db)
    seed_calendar(db)
    db.commit()
    seed_articles(db.get_bind().engine, DEMO_ARTICLES)
    seed_service_items(db.get_bind().engine)
    seed_appeals(db)
