"""A small world for application tests: a service item approved in parallel by two departments, citizens,
officers and an admin with tokens, and a clock the tests move (the catalogue seed is someone else's)."""

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from api_client import models as wire
from server.accounts.models import User
from server.accounts.passwords import hash_password
from server.accounts.tokens import start_session
from server.config import Settings
from server.core.clock import CHINA, current_time
from server.db import make_engine, make_sessionmaker
from server.departments.models import Department
from server.services.models import ServiceItem, ServiceItemDepartment

ITEM_CODE = "11210000MB0123456X4000117001"
VALID_ID = "11010519491231002X"

FORM = [
    wire.FormField(key="applicant_name", label="申请人姓名", type="text", max_length=20, prefill="name"),
    wire.FormField(key="id_number", label="身份证号码", type="id_number", prefill="id_number"),
    wire.FormField(key="phone", label="联系电话", type="phone", prefill="phone"),
    wire.FormField(key="email", label="电子邮箱", type="email", required=False),
    wire.FormField(key="school_name", label="学校名称", type="text", max_length=30),
    wire.FormField(key="founded_on", label="拟开办日期", type="date"),
    wire.FormField(key="capital", label="开办资金（元）", type="amount", min_value=0, max_value=100_000_000),
    wire.FormField(key="trainees", label="计划招生人数", type="integer", min_value=1, max_value=5000),
    wire.FormField(key="category", label="培训类别", type="select", options=["职业技能培训", "创业培训"]),
    wire.FormField(key="remarks", label="备注", type="textarea", required=False, max_length=200),
]
MATERIALS = [
    wire.Material(key="id_card", name="举办者居民身份证", form="copy"),
    wire.Material(key="site_proof", name="办学场所使用证明", formats=["pdf"]),
    wire.Material(key="fire_check", name="消防安全检查合格证明", required=False, formats=["pdf"]),
]
VALID_FORM = {
    "applicant_name": "张三",
    "id_number": VALID_ID.lower(),
    "phone": "13800138000",
    "school_name": "沈阳市和平区启航职业培训学校",
    "founded_on": "2025-11-01",
    "capital": "500000.00",
    "trainees": "300",
    "category": "职业技能培训",
}


def pdf_bytes(text: str = "material") -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="JPEG")
    return out.getvalue()


class Clock:
    """What the server believes the time is; tests move it across holidays and deadlines."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def at(self, year: int, month: int, day: int, hour: int = 10) -> None:
        self.moment = dt.datetime(year, month, day, hour, tzinfo=CHINA)

    def __call__(self) -> dt.datetime:
        return self.moment


@dataclass
class World:
    http: TestClient
    clock: Clock
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers(self, who: str, key: str | None = None) -> dict[str, str]:
        headers = dict(self.tokens[who])
        if key:
            headers["Idempotency-Key"] = key
        return headers

    def upload(self, who: str, content: bytes, name: str = "scan.pdf") -> str:
        response = self.http.post("/api/v1/attachments", files={"file": (name, content)}, headers=self.headers(who))
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def submit(self, who: str = "citizen", **overrides: Any) -> dict[str, Any]:
        body = {
            "item_code": ITEM_CODE,
            "form": VALID_FORM,
            "materials": {
                "id_card": [self.upload(who, png_bytes(), "id.png")],
                "site_proof": [self.upload(who, pdf_bytes())],
            },
            **overrides,
        }
        response = self.http.post("/api/v1/applications", json=body, headers=self.headers(who))
        assert response.status_code == 201, response.text
        return dict(response.json())

    def post(self, who: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        """JSON with non-ASCII escaped, so tests can send what httpx cannot encode (lone surrogates)."""
        return self.http.post(
            f"/api/v1{path}",
            content=json.dumps(body if body is not None else {}).encode(),
            headers={**self.headers(who), "Content-Type": "application/json", **(headers or {})},
        )

    def get(self, who: str | None, path: str, **params: Any) -> Any:
        return self.http.get(f"/api/v1{path}", params=params, headers=self.headers(who) if who else {})


PEOPLE = {
    # who: (phone, name, role, department)
    "citizen": ("13800138000", "张三", "citizen", None),
    "other": ("13800138001", "李四", "citizen", None),
    "rst": ("13900000002", "赵科长", "officer", "rst"),
    "rst2": ("13900000012", "钱科员", "officer", "rst"),
    "xfjy": ("13900000005", "孙参谋", "officer", "xfjy"),
    "gat": ("13900000001", "王警官", "officer", "gat"),
    "admin": ("13900000000", "系统管理员", "admin", None),
}


def make_item(settings: Settings, promised_days: int = 5, code: str = ITEM_CODE) -> None:
    """An item of 人力资源社会保障厅 approved in parallel with 消防救援总队 (fire safety of the premises)."""
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        departments = {d.code: d.id for d in db.scalars(select(Department))}
        item = ServiceItem(
            code=code,
            name="民办职业培训学校设立审批",
            type="licensing",
            department_id=departments["rst"],
            audience="business",
            statutory_days=20,
            promised_days=promised_days,
            online=True,
            visits=0,
            popularity=0,
            sort_key=code,
            guide={
                "fee": "不收费",
                "conditions": ["有符合规定的办学场所"],
                "materials": [m.model_dump() for m in MATERIALS],
                "steps": ["申请", "受理", "审查", "决定"],
                "legal_basis": ["《中华人民共和国民办教育促进法》"],
                "hall_address": "沈阳市和平区",
                "hall_hours": "工作日 9:00-17:00",
                "consult_phone": "024-12333",
                "complaint_phone": "024-12345",
                "form": [f.model_dump() for f in FORM],
            },
        )
        db.add(item)
        db.flush()
        db.add_all(
            [
                ServiceItemDepartment(item_id=item.id, department_id=departments["rst"], position=0),
                ServiceItemDepartment(item_id=item.id, department_id=departments["xfjy"], position=1),
            ]
        )
        db.commit()
    engine.dispose()


def make_people(settings: Settings) -> dict[str, dict[str, str]]:
    """Accounts with bearer tokens, made directly (one cheap password hash for all)."""
    engine = make_engine(settings.database_url)
    tokens = {}
    password_hash = hash_password("Demo12345")
    with make_sessionmaker(engine)() as db:
        departments = {d.code: d for d in db.scalars(select(Department))}
        for who, (phone, name, role, department) in PEOPLE.items():
            user = User(
                phone=phone,
                name=name,
                password_hash=password_hash,
                role=role,
                department=departments[department] if department else None,
            )
            db.add(user)
            db.flush()
            tokens[who] = {"Authorization": f"Bearer {start_session(db, user).access_token}"}
        db.commit()
    engine.dispose()
    return tokens


def make_world(app: FastAPI, http: TestClient, settings: Settings, promised_days: int = 5) -> World:
    make_item(settings, promised_days)
    clock = Clock(dt.datetime(2025, 9, 26, 10, tzinfo=CHINA))
    app.dependency_overrides[current_time] = clock
    return World(http, clock, make_people(settings))
