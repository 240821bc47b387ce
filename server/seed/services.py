"""The service catalogue seed: 500 items of the 40 departments, each with a complete guide and form.

Deterministic: the same items, codes and guides on every machine and database. Items come from the
curated subjects in `service_vocabulary`; each variant of a subject (新办, 变更, ...) is an item, and what a
variant needs (the old certificate, a loss statement, a reason field) is added by rule.
"""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, insert, select

from api_client.models import FormField, Material
from api_client.models.service_items import FILE_FORMATS
from server.core.http_cache import content_changed
from server.departments.models import Department
from server.search.indexing import SearchSource, index_documents
from server.seed.departments import DEPARTMENTS, department_phone
from server.seed.service_vocabulary import (
    ACTION_CONDITIONS,
    ACTION_FIELDS,
    ACTION_MATERIALS,
    EXTRA_FIELDS,
    MATERIALS,
    SUBJECTS,
    Subject,
)
from server.services.models import ServiceItem, ServiceItemDepartment, ServiceItemTheme

CATALOGUE_DATE = dt.date(2026, 1, 1)  # the latest guide revision; search results show each guide's date
COMPLAINT_PHONE = "12345"
HALL = "辽宁省政务服务中心（沈阳市浑南区创新路199号）"
TYPE_CODES = {"licensing": 1, "payment": 5, "confirmation": 7, "adjudication": 9, "other": 10, "public_service": 20}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_BUSY_DEPARTMENTS = {"gat", "mzt", "rst", "ybj", "gjj", "swj"}
# The 常见问题 people ask about an item by what they call it (one question in each form is enough: search
# drops the question words and counts a name at most four times in a text).
_QUESTIONS = ("{}怎么办理", "{}需要什么材料", "{}在哪里办", "{}要多久")
_PAYMENT_QUESTIONS = ("{}怎么领", "{}需要什么材料", "{}能领多少", "{}要多久")
_MISHAP_QUESTIONS = ("{}怎么办", "{}怎么补办", "{}去哪里补领")  # 身份证丢了: not 身份证丢了怎么办理
_MISHAPS = ("了", "丢失")
_FORM_NAMES = ("申领", "申报", "登记", "备案", "注册")  # 《车辆购置税申报表》, not 《…申报申请表》
_FORM_WORDS = ("申请书", "申请表", "登记表", "请求", "投诉书", "报告表")


@dataclass(frozen=True)
class ServiceItemDraft:
    id: int
    code: str
    name: str
    type: str
    department_code: str
    audience: str
    themes: tuple[str, ...]
    statutory_days: int
    promised_days: int
    online: bool
    visits: int
    popularity: int
    sort_key: str
    approving: tuple[str, ...]  # the implementing department first
    guide: dict[str, Any]
    keywords: str
    questions: tuple[str, ...]


def credit_code(order: int) -> str:
    """The department's 统一社会信用代码 (GB 32100): 11 (机关) 210000 (辽宁) + organisation code + check."""
    digits = f"{(order * 7_919_993 + 1_207_017) % 10**8:08d}"
    check = 11 - sum(int(d) * w for d, w in zip(digits, _ORG_WEIGHTS, strict=True)) % 11
    organisation = digits + ("X" if check == 10 else "0" if check == 11 else str(check))
    body = "11210000" + organisation
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(body, _CREDIT_WEIGHTS, strict=True))
    return body + _CREDIT_CHARS[(31 - total % 31) % 31]


def _action(suffix: str) -> str | None:
    return next((key for key in ("变更", "延", "注销", "补", "换") if key in suffix), None)


def _materials(subject: Subject, suffix: str, action: str | None) -> list[Material]:
    keys = list(subject.materials)
    if not any(word in k for k in keys for word in _FORM_WORDS):
        base = subject.name.removesuffix("申请")
        keys.insert(0, f"《{base}表》" if base.endswith(_FORM_NAMES) else f"《{base}申请表》")
    identity = {"id_card", "?id_card", "hukou"}
    if subject.audience == "person" and action != "补" and not identity & set(keys):
        keys.insert(1, "id_card")
    for key in ACTION_MATERIALS.get(action or "", ()):
        if key == "old_cert" and subject.certificate == "营业执照":
            key = "license"
        elif key == "old_cert" and subject.type != "licensing":
            continue
        if key == "loss_statement" and subject.audience == "person" and subject.type != "licensing":
            continue
        if key == "cancel_resolution" and subject.audience == "person":
            key = "注销申请书"
        keys.append(key)
    if not subject.in_person and "?proxy" not in keys:
        keys.append("?proxy")
    materials: list[Material] = []
    for n, spec in enumerate(dict.fromkeys(keys)):
        required = not spec.startswith("?")
        key = spec.lstrip("?")
        if key in MATERIALS:
            name, form, note = MATERIALS[key]
            if key == "old_cert":
                name = f"原{subject.certificate}"
        else:
            name, form, note, key = key, ("original" if key.startswith("《") else "copy"), None, f"material_{n + 1}"
        if key == "photo":
            formats = ["jpeg", "png"]
        elif form == "electronic":
            formats = ["pdf"]
        else:
            formats = list(FILE_FORMATS)
        materials.append(
            Material(key=key, name=name, required=required, form=form, count=1, formats=formats, note=note)
        )
    return materials


def _form(subject: Subject, action: str | None) -> list[FormField]:
    if subject.audience == "person":
        fields = [
            FormField(key="applicant_name", label="申请人姓名", type="text", max_length=50, prefill="name"),
            FormField(key="id_number", label="公民身份号码", type="id_number", prefill="id_number"),
            FormField(key="phone", label="联系电话", type="phone", prefill="phone"),
            FormField(key="address", label="联系地址", type="text", max_length=200, prefill="address"),
        ]
    else:
        founding = action is None and "charter" in subject.materials
        fields = [
            FormField(key="organisation_name", label="单位名称", type="text", max_length=100),
            FormField(
                key="credit_code",
                label="统一社会信用代码",
                type="text",
                required=not founding,
                max_length=18,
                help="18位，见营业执照或登记证书",
            ),
            FormField(key="contact_name", label="经办人姓名", type="text", max_length=50, prefill="name"),
            FormField(key="contact_id_number", label="经办人身份证号码", type="id_number", prefill="id_number"),
            FormField(key="contact_phone", label="经办人手机号码", type="phone", prefill="phone"),
            FormField(key="address", label="通讯地址", type="text", max_length=200, prefill="address"),
        ]
    extra = list(subject.fields)
    if action in ACTION_FIELDS and ACTION_FIELDS[action] not in extra:
        extra.append(ACTION_FIELDS[action])
    for key in extra:
        label, kind, required, spec = EXTRA_FIELDS[key]
        field: dict[str, Any] = {"key": key, "label": label, "type": kind, "required": required}
        if isinstance(spec, tuple):
            field["options"] = list(spec)
        elif isinstance(spec, int):
            field["max_length"] = spec
        if kind == "amount":
            field.update(min_value=0.01, max_value=100_000_000)
        elif kind == "integer":
            field.update(min_value=0, max_value=100_000)
        fields.append(FormField(**field))
    return fields


def _steps(department: str, online: bool, visits: int, promised: int, parallel: list[str], window: int) -> list[str]:
    if online:
        steps = ["网上申请：登录一网通办，在线填写申请表并上传申请材料"]
    else:
        steps = [f"提交申请：网上预约后到省政务服务中心{window}号窗口提交材料，或在线提交后到窗口核验原件"]
    steps.append(f"受理：{department}对材料进行审核，材料齐全的当场受理，不齐全的一次性告知需补正的内容")
    if promised == 0:
        steps.append("办结：符合条件的当场办结")
        return steps
    review = "审查：对申请材料进行审查"
    if parallel:
        review += "，" + "、".join(parallel) + "同步并联审查，无需申请人另行提交"
    steps.append(review)
    if visits >= 2:
        steps.append("现场核查：工作人员预约时间到现场核查，申请人配合")
    steps.append(f"决定：在{promised}个工作日内作出决定，不予批准的书面说明理由")
    steps.append("送达：结果通过电子证照推送，纸质证件可免费邮寄" if online else "领取：到窗口领取结果或选择免费邮寄")
    return steps


def _keywords(subject: Subject, suffix: str) -> str:
    """Colloquial names (失业金, 身份证丢了) next to the official one, and the themes."""
    return " ".join(dict.fromkeys([*subject.keywords, *subject.variant_keywords.get(suffix, ()), *subject.themes]))


def _questions(subject: Subject, suffix: str, first: bool) -> list[str]:
    """The questions people ask about this item by its everyday names (失业金怎么领), for search only.

    The engine drops question words, so each question counts for the everyday name it holds: a few
    per name, and none about another item's names (the main variant asks by the subject's own names).
    """
    colloquial = subject.variant_keywords.get(suffix) or (subject.keywords if first else ())
    questions = _PAYMENT_QUESTIONS if subject.type == "payment" else _QUESTIONS
    return [
        question.format(word)
        for word in colloquial
        for question in (_MISHAP_QUESTIONS if word.endswith(_MISHAPS) else questions)
    ]


def catalogue() -> Iterator[ServiceItemDraft]:
    """Every item, in catalogue order (department, subject, variant)."""
    rng = random.Random(20260101)
    orders = {code: n for n, (code, _name, _short) in enumerate(DEPARTMENTS)}
    short_names = {code: short for code, _name, short in DEPARTMENTS}
    serials: dict[str, int] = {}
    item_id = 0
    for subject in SUBJECTS:
        order = orders[subject.department]
        serials[subject.department] = serial = serials.get(subject.department, 0) + 1
        for variant_no, suffix in enumerate(subject.variants):
            item_id += 1
            action = _action(suffix)
            statutory = subject.statutory_days
            if statutory == 0:
                promised = 0
            else:
                share = rng.choice((0.3, 0.4, 0.5, 0.6)) if action != "注销" else 0.2
                promised = max(1, min(statutory, round(statutory * share)))
            online = subject.online and not (action == "补" and subject.in_person)
            visits = 0 if online else (2 if subject.type == "licensing" and statutory >= 30 else 1)
            themes = list(subject.themes)
            if action == "注销" and subject.audience == "business" and "注销退出" not in themes:
                themes.append("注销退出")
            approving = (subject.department, *subject.also)
            parallel = [short_names[code] for code in subject.also]
            window = 10 + order * 2 + rng.randrange(2)
            code = f"{credit_code(order)}{TYPE_CODES[subject.type]:02d}{serial:05d}{variant_no + 1:03d}"
            guide = {
                "fee": subject.fee,
                "conditions": [*subject.conditions]
                + ([ACTION_CONDITIONS[action].format(subject=subject.certificate)] if action else []),
                "materials": [m.model_dump(mode="json") for m in _materials(subject, suffix, action)],
                "steps": _steps(short_names[subject.department], online, visits, promised, parallel, window),
                "legal_basis": list(subject.legal_basis),
                "hall_address": f"{HALL}{window // 10 + 1}楼{window}号窗口",
                "hall_hours": (
                    "周一至周五 9:00-17:00（中午不休），周六 9:00-12:00（法定节假日除外）"
                    if subject.department in _BUSY_DEPARTMENTS
                    else "周一至周五 上午9:00-12:00，下午13:00-17:00（法定节假日除外）"
                ),
                "consult_phone": department_phone(order),
                "complaint_phone": COMPLAINT_PHONE,
                "form": [f.model_dump(mode="json", exclude_none=True) for f in _form(subject, action)],
            }
            yield ServiceItemDraft(
                id=item_id,
                code=code,
                name=subject.name + suffix,
                type=subject.type,
                department_code=subject.department,
                audience=subject.audience,
                themes=tuple(themes),
                statutory_days=statutory,
                promised_days=promised,
                online=online,
                visits=visits,
                popularity=subject.hot * 1000 // (variant_no + 1) + rng.randrange(100),
                sort_key=f"{order:02d}-{code}",
                approving=approving,
                guide=guide,
                keywords=_keywords(subject, suffix),
                questions=tuple(_questions(subject, suffix, variant_no == 0)),
            )


def search_source(draft: ServiceItemDraft, department_name: str, revised_on: dt.date) -> SearchSource:
    """What search reads: the name as title, colloquial names as keywords, the guide and questions as content."""
    guide = draft.guide
    content = "\n".join(
        [
            department_name,
            "办理条件：" + "；".join(guide["conditions"]),
            "申请材料：" + "、".join(m["name"] for m in guide["materials"]),
            "设定依据：" + "、".join(guide["legal_basis"]),
            *(["常见问题：" + "？".join(draft.questions) + "？"] if draft.questions else []),
        ]
    )
    return SearchSource(
        ref_id=draft.id,
        kind=draft.type,
        title=draft.name,
        keywords=draft.keywords,
        content=content,
        published_on=revised_on,
    )


def revision_dates(drafts: list[ServiceItemDraft]) -> dict[int, dt.date]:
    """Each item's guide revision date: the items people apply for most are revised most often, so the most
    popular guide is the latest (CATALOGUE_DATE) and each less popular one a day older. Search ranks equally
    relevant results newest first, so among them the item people apply for most comes first (办营业执照:
    有限责任公司设立登记 before 个体工商户登记)."""
    by_popularity = sorted(drafts, key=lambda d: (d.popularity, d.id), reverse=True)
    return {draft.id: CATALOGUE_DATE - dt.timedelta(days=rank) for rank, draft in enumerate(by_popularity)}


def seed_service_items(engine: Engine) -> int:
    """Insert the catalogue into an empty database; returns how many items were added (0 when present)."""
    with engine.begin() as connection:
        if connection.scalar(select(func.count()).select_from(ServiceItem)):
            return 0
        departments = {
            code: (dept_id, name)
            for dept_id, code, name in connection.execute(select(Department.id, Department.code, Department.name))
        }
        drafts = list(catalogue())
        connection.execute(
            insert(ServiceItem),
            [
                {
                    "id": d.id,
                    "code": d.code,
                    "name": d.name,
                    "type": d.type,
                    "department_id": departments[d.department_code][0],
                    "audience": d.audience,
                    "statutory_days": d.statutory_days,
                    "promised_days": d.promised_days,
                    "online": d.online,
                    "visits": d.visits,
                    "popularity": d.popularity,
                    "sort_key": d.sort_key,
                    "guide": d.guide,
                }
                for d in drafts
            ],
        )
        connection.execute(insert(ServiceItemTheme), [{"theme": t, "item_id": d.id} for d in drafts for t in d.themes])
        connection.execute(
            insert(ServiceItemDepartment),
            [
                {"item_id": d.id, "department_id": departments[code][0], "position": n}
                for d in drafts
                for n, code in enumerate(d.approving)
            ],
        )
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(
                "SELECT setval(pg_get_serial_sequence('service_items', 'id'), (SELECT max(id) FROM service_items))"
            )
        revised = revision_dates(drafts)
        index_documents(
            connection,
            "service",
            [search_source(d, departments[d.department_code][1], revised[d.id]) for d in drafts],
        )
    content_changed()
    return len(drafts)
