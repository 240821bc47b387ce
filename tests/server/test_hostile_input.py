"""Hostile input on SQLite and PostgreSQL: tampered cursors, characters no field may store, look-alike phone
numbers, unparseable bodies. Each is a clear 4xx naming what was wrong, never a 500, and nothing is stored."""

import base64
import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError

from api_client import models as wire
from server.core.errors import ApiError
from server.core.pagination import decode_cursor
from tests.server.test_accounts import PASSWORD, bearer, register

HUGE = 2**64


def cursor_of(key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


CURSOR_CASES = [
    ("/api/v1/articles", {}, [{}, []]),
    ("/api/v1/articles", {}, [None, None]),
    ("/api/v1/articles", {}, [[1], [2]]),
    ("/api/v1/articles", {}, ["2026-01-01", HUGE]),
    ("/api/v1/articles", {}, ["2026-01-01", -HUGE]),
    ("/api/v1/articles", {}, ["2026-01-01", True]),
    ("/api/v1/search", {"q": "社保"}, [{}, [], {}]),
    ("/api/v1/search", {"q": "社保"}, [None, None, None]),
    ("/api/v1/search", {"q": "社保"}, [[1], [2], [3]]),
    ("/api/v1/search", {"q": "社保"}, [HUGE, "2026-01-01", 1]),
    ("/api/v1/search", {"q": "社保"}, [1, "2026-01-01", HUGE]),
    ("/api/v1/departments", {}, [{}, []]),
    ("/api/v1/departments", {}, [None, None]),
    ("/api/v1/departments", {}, [[1], [2]]),
    ("/api/v1/departments", {}, [HUGE, 1]),
    ("/api/v1/departments", {}, [1, HUGE]),
    ("/api/v1/departments", {}, [1.5, 2]),
]


@pytest.mark.parametrize(("path", "params", "key"), CURSOR_CASES)
def test_cursor_of_the_wrong_shape_or_beyond_64_bits_is_cursor_invalid(
    http: TestClient, path: str, params: dict[str, str], key: list[Any]
) -> None:
    response = http.get(path, params={**params, "cursor": cursor_of(key)})
    assert response.status_code == 422, response.text
    assert (response.json()["code"], response.json()["field"]) == ("cursor_invalid", "cursor")


def test_deeply_nested_cursor_is_cursor_invalid(http: TestClient) -> None:
    cursor = base64.urlsafe_b64encode(b"[" * 300).decode()
    response = http.get("/api/v1/departments", params={"cursor": cursor})
    assert response.json()["code"] == "cursor_invalid"


def test_string_cursor_parts_are_checked_like_any_text() -> None:
    assert decode_cursor(cursor_of(["社保", 3]), str, int) == ["社保", 3]
    for key in (["\x00", 3], ["\udfff", 3], [3, 3]):
        with pytest.raises(ApiError) as refused:
            decode_cursor(cursor_of(key), str, int)
        assert refused.value.code == "cursor_invalid"


def raw_json(http: TestClient, method: str, path: str, body: str, **headers: str) -> Any:
    """Sends `body` as written: a JSON escape like \\udfff reaches the server as a lone surrogate."""
    return http.request(method, path, content=body.encode(), headers={"Content-Type": "application/json", **headers})


@pytest.mark.parametrize("bad", ["\\udfff", "\\u0000", "\\u001b", "\\u0085", "a\\ud800b"])
def test_register_refuses_a_name_no_database_can_store(http: TestClient, bad: str) -> None:
    body = f'{{"phone": "13712345678", "password": "{PASSWORD}", "name": "王{bad}"}}'
    response = raw_json(http, "POST", "/api/v1/auth/register", body)
    assert response.status_code == 422, response.text
    assert (response.json()["code"], response.json()["field"]) == ("text_invalid", "name")
    assert http.post("/api/v1/auth/login", json={"phone": "13712345678", "password": PASSWORD}).status_code == 401


@pytest.mark.parametrize("field", ["name", "address", "email"])
@pytest.mark.parametrize("bad", ["\\udfff", "\\u0000", "\\n", "\\t"])
def test_profile_fields_refuse_surrogates_and_control_characters(http: TestClient, field: str, bad: str) -> None:
    tokens = register(http)
    value = {"name": f"王{bad}明", "address": f"沈阳市{bad}和平区", "email": f"a{bad}@example.cn"}[field]
    response = raw_json(http, "PATCH", "/api/v1/me", f'{{"{field}": "{value}"}}', **bearer(tokens))
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    profile = http.get("/api/v1/me", headers=bearer(tokens)).json()
    assert profile["name"] == "王小明" and profile["address"] is None and profile["email"] is None


@pytest.mark.parametrize("field", ["phone", "password"])
def test_login_refuses_surrogates_before_they_reach_the_password_check(http: TestClient, field: str) -> None:
    body = {"phone": '"13712345678"', "password": f'"{PASSWORD}"'}
    body[field] = '"13712345678\\udfff"' if field == "phone" else '"Passw0rd\\udfff"'
    response = raw_json(
        http, "POST", "/api/v1/auth/login", "{" + ",".join(f'"{k}": {v}' for k, v in body.items()) + "}"
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field


def test_refresh_token_with_a_surrogate_is_refused(http: TestClient) -> None:
    response = raw_json(http, "POST", "/api/v1/auth/refresh", '{"refresh_token": "abc\\udfff"}')
    assert (response.status_code, response.json()["field"]) == (422, "refresh_token")


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/search?q=%E7%A4%BE%00", "q"),
        ("/api/v1/search?q=%1B%5B2J", "q"),
        ("/api/v1/articles?department=rst%00", "department"),
        ("/api/v1/articles?topic=%00", "topic"),
        ("/api/v1/departments/gat%00", "code"),
        ("/api/v1/search?q=%ED%BF%BF", "q"),  # a lone surrogate, as a browser or httpx would percent-encode it
        ("/api/v1/search?q=%E7%A4%BE%FF", "q"),
        ("/api/v1/articles?limit=5&department=%C0%80", "department"),
    ],
)
def test_query_and_path_parameters_refuse_control_characters(http: TestClient, path: str, field: str) -> None:
    response = http.get(path)
    assert response.status_code == 422, response.text
    assert (response.json()["code"], response.json()["field"]) == ("text_invalid", field)


def test_a_real_replacement_character_is_only_text(http: TestClient) -> None:
    assert http.get("/api/v1/search?q=%EF%BF%BD%E7%A4%BE%E4%BF%9D").status_code == 200


def test_every_request_body_field_refuses_what_no_database_can_store(app: FastAPI) -> None:
    """Future free-text fields too: each body model in the OpenAPI document refuses these in every field."""
    spec = app.openapi()
    models: set[type[BaseModel]] = set()
    for item in spec["paths"].values():
        for operation in item.values():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:  # uploads (multipart) are checked by content in test_attachments
                name = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                models.add(getattr(wire, name))
    assert {wire.RegisterRequest, wire.LoginRequest, wire.RefreshRequest, wire.ProfileUpdate} <= models
    for model in models:
        for field in model.model_fields:
            for probe in ("\udfff", "\x00", "Passw0rd\udfff", "13712345678\x00", "a\x7f"):
                with pytest.raises(ValidationError) as refused:
                    model.model_validate({field: probe})
                assert field in [error["loc"][0] for error in refused.value.errors()], (model, field, probe)


def test_long_text_keeps_newlines_and_tabs_but_no_other_control_characters() -> None:
    class Letter(BaseModel):
        title: wire.SingleLineText
        body: wire.LongText

    assert Letter(title="信访", body="第一行\r\n\t第二行").body == "第一行\n\t第二行"
    for title, body in (("a\nb", "ok"), ("ok", "a\x00b"), ("ok", "a\rb"), ("ok", "\udfff"), ("\x1b", "ok")):
        with pytest.raises(ValidationError) as refused:
            Letter(title=title, body=body)
        assert refused.value.errors()[0]["type"] == "text_invalid"


def test_full_width_digits_are_the_same_phone(http: TestClient) -> None:
    register(http, phone="13800138000")
    same = http.post(
        "/api/v1/auth/register", json={"phone": "13８００１３８０００", "password": PASSWORD, "name": "冒名者"}
    )
    assert (same.status_code, same.json()["code"]) == (409, "phone_taken")
    login = http.post("/api/v1/auth/login", json={"phone": "１３８００１３８０００", "password": PASSWORD})
    assert login.status_code == 200


@pytest.mark.parametrize("phone", ["13٨٠٠١٣٨٠٠٠", "13۸۰۰۱۳۸۰۰۰", "13८००१३८०००", "13800138००0", "13800138００𝟎"])
def test_other_digit_scripts_are_not_phone_numbers(http: TestClient, phone: str) -> None:
    register(http, phone="13800138000")
    response = http.post("/api/v1/auth/register", json={"phone": phone, "password": PASSWORD, "name": "冒名者"})
    assert (response.status_code, response.json()["code"], response.json()["field"]) == (422, "phone_invalid", "phone")
    tokens = register(http, phone="13712345678")
    change = http.patch("/api/v1/me", json={"phone": phone}, headers=bearer(tokens))
    assert (change.status_code, change.json()["code"]) == (422, "phone_invalid")


def test_id_numbers_in_other_digit_scripts_are_refused(http: TestClient) -> None:
    tokens = register(http)
    arabic = "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"
    response = http.patch("/api/v1/me", json={"id_number": arabic}, headers=bearer(tokens))
    assert (response.status_code, response.json()["code"]) == (422, "id_number_invalid")
    full_width = http.patch(
        "/api/v1/me", json={"id_number": "１１０１０５１９４９１２３１００２X"}, headers=bearer(tokens)
    )
    assert full_width.json()["id_number_masked"] == "1101**********002X"


@pytest.mark.parametrize(
    "body",
    [b'{"phone": "\xff\xfe", "password": "x"}', b"[" * 100_000, b'{"phone": ' + b"1" * 5000 + b"}", b"\x00\x00"],
)
def test_unparseable_bodies_are_the_documented_422(http: TestClient, body: bytes) -> None:
    response = http.post("/api/v1/auth/login", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "body_invalid"
