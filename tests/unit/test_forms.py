"""The form rules the server enforces and the app shows while people type: pure functions over FormField."""

import datetime as dt

import pytest

from api_client.forms import clean_form, field_problem, form_problems, material_problems
from api_client.models import FormField, Material

TODAY = dt.date(2025, 10, 1)


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        (FormField(key="n", label="姓名", type="text"), "张三", None),
        (FormField(key="n", label="姓名", type="text"), "", "field_required"),
        (FormField(key="n", label="姓名", type="text", required=False), "  ", None),
        (FormField(key="n", label="姓名", type="text", max_length=2), "欧阳娜娜", "value_too_long"),
        (FormField(key="n", label="姓名", type="text"), "x" * 101, "value_too_long"),
        (FormField(key="n", label="说明", type="textarea"), "第一行\n第二行", None),
        (FormField(key="n", label="姓名", type="text"), "第一行\n第二行", "text_invalid"),
        (FormField(key="i", label="身份证", type="id_number"), "11010519491231002x", None),
        (FormField(key="i", label="身份证", type="id_number"), "11010519491231002X", None),
        (FormField(key="i", label="身份证", type="id_number"), "110105194912310020", "id_number_invalid"),
        (FormField(key="i", label="身份证", type="id_number"), "110105202601010028", "id_number_invalid"),
        (FormField(key="p", label="手机", type="phone"), "19912345678", None),
        (FormField(key="p", label="手机", type="phone"), "+8613800138000", "phone_invalid"),
        (FormField(key="e", label="邮箱", type="email"), "a@b.cn", None),
        (FormField(key="d", label="日期", type="date"), "2024-02-29", None),
        (FormField(key="d", label="日期", type="date"), "2025-02-29", "date_invalid"),
        (FormField(key="d", label="日期", type="date"), "20250101", "date_invalid"),
        (FormField(key="a", label="金额", type="amount"), "0.5", None),
        (FormField(key="a", label="金额", type="amount"), "1,000", "amount_invalid"),
        (FormField(key="a", label="金额", type="amount", max_value=100), "100.01", "value_out_of_range"),
        (FormField(key="c", label="人数", type="integer", min_value=1), "-3", "value_out_of_range"),
        (FormField(key="c", label="人数", type="integer"), "三", "integer_invalid"),
        (FormField(key="s", label="类别", type="select", options=["甲", "乙"]), "乙", None),
        (FormField(key="s", label="类别", type="select", options=["甲", "乙"]), "丙", "option_invalid"),
    ],
)
def test_field_problem(field: FormField, value: str, problem: str | None) -> None:
    assert field_problem(field, value, TODAY) == problem


def test_form_problems_and_clean_values() -> None:
    fields = [
        FormField(key="name", label="姓名", type="text"),
        FormField(key="id_number", label="身份证", type="id_number"),
        FormField(key="note", label="备注", type="textarea", required=False),
    ]
    assert form_problems(fields, {"id_number": "1", "x": "y"}, TODAY) == {
        "name": "field_required",
        "id_number": "id_number_invalid",
        "x": "field_unknown",
    }
    values = {"name": " 张三 ", "id_number": "11010519491231002x", "note": ""}
    assert form_problems(fields, values, TODAY) == {}
    assert clean_form(fields, values) == {"name": "张三", "id_number": "11010519491231002X"}


def test_material_problems() -> None:
    materials = [
        Material(key="id_card", name="身份证"),
        Material(key="proof", name="证明", formats=["pdf"]),
        Material(key="extra", name="其他", required=False),
    ]
    assert material_problems(materials, {"id_card": ["png"], "proof": ["pdf"]}) == {}
    assert material_problems(materials, {"proof": ["jpeg"], "nope": ["pdf"]}) == {
        "id_card": "material_required",
        "proof": "material_format_invalid",
        "nope": "material_unknown",
    }
    assert material_problems(materials, {"id_card": ["png"] * 11, "proof": ["pdf"]}) == {"id_card": "material_too_many"}
    # A 补正 round asks for some materials: those become required, and only those may be sent.
    assert material_problems(materials, {}, only=["extra"]) == {"extra": "material_required"}
    assert material_problems(materials, {"proof": ["pdf"]}, only=["extra"]) == {
        "proof": "material_unknown",
        "extra": "material_required",
    }
