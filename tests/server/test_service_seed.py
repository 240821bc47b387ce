"""The service catalogue seed reads as real: departments that really handle each item, whole guides, forms."""

import re
from collections import Counter

from sqlalchemy import func, select

from api_client.models import ServiceItemGuide
from server.config import Settings
from server.db import make_engine
from server.search.models import SCOPE_CODES, SearchDocument
from server.seed.departments import DEPARTMENTS
from server.seed.services import (
    CATALOGUE_DATE,
    ServiceItemDraft,
    catalogue,
    credit_code,
    revision_dates,
    seed_service_items,
)
from server.services.models import ServiceItem, ServiceItemDepartment, ServiceItemTheme
from server.services.themes import BUSINESS_THEMES, PERSON_THEMES

DRAFTS = list(catalogue())
BY_NAME = {draft.name: draft for draft in DRAFTS}
DOUBLED = re.compile(r"(.{2,})\1")
CODE = re.compile(r"^11210000[0-9A-Z]{9}[0-9A-HJ-NPQRTUWXY](01|05|07|09|10|20)\d{8}$")
ID_TYPES = ("id_number",)


def material_names(draft: ServiceItemDraft) -> list[str]:
    return [m["name"] for m in draft.guide["materials"]]


def guide(draft: ServiceItemDraft) -> ServiceItemGuide:
    """The draft as the API will show it: every guide is a valid wire model."""
    department = {"code": draft.department_code, "name": "n", "short_name": "s"}
    return ServiceItemGuide.model_validate(
        {
            **draft.guide,
            "code": draft.code,
            "name": draft.name,
            "type": draft.type,
            "department": department,
            "audience": draft.audience,
            "themes": list(draft.themes),
            "promised_days": draft.promised_days,
            "online": draft.online,
            "visits": draft.visits,
            "statutory_days": draft.statutory_days,
            "approving_departments": [{**department, "code": code} for code in draft.approving],
        }
    )


def test_at_least_499_items_across_all_40_departments() -> None:
    assert len(DRAFTS) >= 499
    per_department = Counter(draft.department_code for draft in DRAFTS)
    assert set(per_department) == {code for code, _name, _short in DEPARTMENTS}
    assert min(per_department.values()) >= 3


def test_items_belong_to_the_department_that_really_handles_them() -> None:
    expected = {
        "居民身份证补领": "gat",
        "出生登记": "gat",
        "户口迁移（投靠迁入）": "gat",
        "有限责任公司设立登记": "scjgj",
        "食品经营许可（新办）": "scjgj",
        "失业保险金申领": "rst",
        "婚姻登记（结婚登记）": "mzt",
        "住房公积金提取（购房提取）": "gjj",
        "异地就医备案（临时外出就医）": "ybj",
        "教师资格认定": "jyt",
        "建设项目环境影响评价审批（报告书）": "sthjt",
        "药品经营许可（变更）": "yjj",
        "发票领用（首次领用）": "swj",
    }
    assert {name: BY_NAME[name].department_code for name in expected} == expected
    for draft in DRAFTS:
        if "身份证" in draft.name or "户口" in draft.name:
            assert draft.department_code == "gat", draft.name
        if "失业保险金" in draft.name or "劳动" in draft.name:
            assert draft.department_code == "rst", draft.name
        if "营业执照" in draft.name or "食品经营许可" in draft.name:
            assert draft.department_code == "scjgj", draft.name
        if "婚姻" in draft.name or "收养登记" in draft.name:
            assert draft.department_code == "mzt", draft.name


def test_names_are_unique_per_department_and_no_word_is_doubled() -> None:
    names = Counter((draft.department_code, draft.name) for draft in DRAFTS)
    assert [key for key, count in names.items() if count > 1] == []
    for draft in DRAFTS:
        texts = [draft.name, *material_names(draft), *draft.guide["conditions"], *draft.guide["steps"]]
        for text in texts:
            assert not DOUBLED.search(text), text
        assert len(set(material_names(draft))) == len(material_names(draft)), draft.name


def test_codes_are_realistic_and_unique() -> None:
    assert len({draft.code for draft in DRAFTS}) == len(DRAFTS)
    for draft in DRAFTS:
        assert CODE.match(draft.code), draft.code
    # The department part is a valid 统一社会信用代码: its check character is recomputed equal.
    assert {draft.code[:18] for draft in DRAFTS} == {credit_code(n) for n in range(len(DEPARTMENTS))}


def test_every_guide_is_complete_and_consistent() -> None:
    for draft in DRAFTS:
        item = guide(draft)
        assert 0 <= item.promised_days <= item.statutory_days, item.name
        assert item.fee == "不收费" or "元" in item.fee
        assert item.visits in (0, 1, 2)
        assert item.online == (item.visits == 0), item.name
        assert item.conditions and item.steps and item.legal_basis
        assert all(basis.startswith("《") for basis in item.legal_basis)
        assert len(item.materials) >= 2 and any(m.required for m in item.materials)
        assert len({m.key for m in item.materials}) == len(item.materials)
        assert item.hall_address.startswith("辽宁省政务服务中心") and item.hall_hours
        assert item.consult_phone.startswith("024-") and item.complaint_phone == "12345"
        assert item.approving_departments[0].code == draft.department_code
        allowed = PERSON_THEMES if item.audience == "person" else BUSINESS_THEMES
        assert item.themes and set(item.themes) <= set(allowed), item.name


def test_forms_prefill_name_id_phone_and_address() -> None:
    for draft in DRAFTS:
        form = guide(draft).form
        assert len({f.key for f in form}) == len(form)
        assert {f.prefill for f in form if f.prefill} == {"name", "id_number", "phone", "address"}, draft.name
        for field in form:
            if field.type == "select":
                assert field.options, field.key
            if field.type in ("text", "textarea"):
                assert field.max_length, field.key
    change = guide(BY_NAME["食品经营许可（变更）"]).form
    assert "change_items" in [f.key for f in change]
    lost = guide(BY_NAME["居民身份证补领"]).form
    assert next(f for f in lost if f.key == "loss_reason").options == ["遗失", "被盗", "损坏"]


def test_materials_and_conditions_fit_the_item() -> None:
    assert "出生医学证明" in material_names(BY_NAME["出生登记"])
    assert "解除或终止劳动合同证明" in material_names(BY_NAME["失业保险金申领"])
    assert "经营场所平面布局图" in material_names(BY_NAME["食品经营许可（新办）"])
    assert "居民户口簿" in material_names(BY_NAME["婚姻登记（结婚登记）"])
    assert "居民身份证" not in material_names(BY_NAME["居民身份证补领"])  # it is the one that was lost
    assert "原食品经营许可证" in material_names(BY_NAME["食品经营许可（延续）"])
    assert "营业执照" in material_names(BY_NAME["有限责任公司变更登记"])
    assert "营业执照" not in material_names(BY_NAME["有限责任公司设立登记"])
    for draft in DRAFTS:
        names = material_names(draft)
        runs_a_business = "个体工商户" in draft.name or any("营业执照" in c for c in draft.guide["conditions"])
        if draft.audience == "person" and not runs_a_business:
            assert "营业执照" not in names, draft.name
        if draft.audience == "person" and "补" not in draft.name:
            assert {"居民身份证", "居民户口簿"} & set(names), draft.name
        if draft.name.endswith(("（变更）", "变更登记）")):
            assert "变更事项相关证明材料" in names, draft.name
        if draft.type == "licensing" and draft.name.endswith("（注销）"):
            assert any("注销" in c for c in draft.guide["conditions"]), draft.name


def test_parallel_approval_for_a_realistic_share_of_items() -> None:
    parallel = [draft for draft in DRAFTS if len(draft.approving) > 1]
    assert 0.08 <= len(parallel) / len(DRAFTS) <= 0.3
    assert BY_NAME["有限责任公司设立登记"].approving == ("scjgj", "swj", "gat")
    assert BY_NAME["新生儿出生一件事"].approving == ("wsjkw", "gat", "ybj")
    for draft in parallel:
        assert len(set(draft.approving)) == len(draft.approving)


def test_life_event_themes_cover_people_and_businesses() -> None:
    used = Counter(theme for draft in DRAFTS for theme in draft.themes)
    for theme in ("生育收养", "户籍办理", "教育", "就业创业", "社会保障", "医疗卫生", "住房", "婚姻登记", "交通出行"):
        assert used[theme] >= 3, theme
    for theme in ("退休养老", "残疾人服务", "设立变更", "准营准办", "税收财务", "工程建设"):
        assert used[theme] >= 3, theme
    assert Counter(draft.audience for draft in DRAFTS)["person"] >= 150
    assert sum(draft.online for draft in DRAFTS) >= 250
    assert sum(draft.guide["fee"] != "不收费" for draft in DRAFTS) >= 10


def test_seed_inserts_the_catalogue_once_with_search_entries(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    assert seed_service_items(engine) == len(DRAFTS)
    assert seed_service_items(engine) == 0
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(ServiceItem)) == len(DRAFTS)
        themes = sum(len(draft.themes) for draft in DRAFTS)
        assert connection.scalar(select(func.count()).select_from(ServiceItemTheme)) == themes
        approving = sum(len(draft.approving) for draft in DRAFTS)
        assert connection.scalar(select(func.count()).select_from(ServiceItemDepartment)) == approving
        documents = select(func.count()).where(SearchDocument.scope == SCOPE_CODES["service"])
        assert connection.scalar(documents) == len(DRAFTS)
    engine.dispose()


def test_guides_people_apply_for_most_are_revised_latest() -> None:
    """Search shows equally relevant items newest first: that puts the most applied-for one first."""
    revised = revision_dates(DRAFTS)
    newest_first = sorted(DRAFTS, key=lambda d: revised[d.id], reverse=True)
    assert newest_first == sorted(DRAFTS, key=lambda d: (d.popularity, d.id), reverse=True)
    assert max(revised.values()) == CATALOGUE_DATE
    assert len(set(revised.values())) == len(DRAFTS)
