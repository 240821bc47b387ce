"""Accounts over raw HTTP: registration, log-in, tokens, profile, throttling, idempotency."""

import datetime as dt

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from server.accounts.models import AuthSession
from server.core.idempotency import IdempotencyRecord
from server.db import utcnow

VALID_ID = "11010519491231002X"
PASSWORD = "Passw0rd!"


def register(http: TestClient, phone: str = "13712345678", **headers: str) -> dict[str, str]:
    response = http.post(
        "/api/v1/auth/register", json={"phone": phone, "password": PASSWORD, "name": "王小明"}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


def bearer(tokens: dict[str, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def test_register_then_me_shows_the_account(http: TestClient) -> None:
    tokens = register(http)
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] > 0
    me = http.get("/api/v1/me", headers=bearer(tokens)).json()
    assert me["phone"] == "13712345678" and me["name"] == "王小明" and me["role"] == "citizen"
    assert me["id_number_masked"] is None


def test_register_rejects_bad_input_with_field_codes(http: TestClient) -> None:
    cases = [
        ({"phone": "23712345678", "password": PASSWORD, "name": "a"}, "phone_invalid", "phone"),
        ({"phone": "13712345678", "password": "short1", "name": "a"}, "password_too_short", "password"),
        ({"phone": "13712345678", "password": "onlyletters", "name": "a"}, "password_too_weak", "password"),
        ({"phone": "13712345678", "password": PASSWORD, "name": "  "}, "name_invalid", "name"),
        ({"phone": "13712345678", "password": PASSWORD}, "field_required", "name"),
    ]
    for body, code, field in cases:
        response = http.post("/api/v1/auth/register", json=body)
        assert response.status_code == 422, body
        assert (response.json()["code"], response.json()["field"]) == (code, field)
    english = http.post("/api/v1/auth/register", json=cases[0][0], headers={"Accept-Language": "en"})
    assert english.json()["message"] == "The mobile number is not valid"


def test_malformed_json_is_a_clear_422(http: TestClient) -> None:
    response = http.post("/api/v1/auth/login", content=b'{"phone": ', headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["code"] == "body_invalid"


def test_duplicate_phone_is_409(http: TestClient) -> None:
    register(http)
    response = http.post(
        "/api/v1/auth/register", json={"phone": "13712345678", "password": PASSWORD, "name": "另一个人"}
    )
    assert response.status_code == 409
    assert response.json() == {"code": "phone_taken", "message": "该手机号已注册", "field": "phone"}


def test_login_does_not_reveal_whether_a_phone_exists(http: TestClient) -> None:
    register(http)
    wrong_password = http.post("/api/v1/auth/login", json={"phone": "13712345678", "password": "nope12345"})
    unknown_phone = http.post("/api/v1/auth/login", json={"phone": "13799999999", "password": "nope12345"})
    assert wrong_password.status_code == unknown_phone.status_code == 401
    assert wrong_password.json() == unknown_phone.json()
    ok = http.post("/api/v1/auth/login", json={"phone": "13712345678", "password": PASSWORD})
    assert ok.status_code == 200 and ok.json()["access_token"]


def test_login_is_throttled_after_ten_failures_per_phone(http: TestClient) -> None:
    register(http)
    for _ in range(10):
        response = http.post("/api/v1/auth/login", json={"phone": "13712345678", "password": "wrong1234"})
        assert response.status_code == 401
    blocked = http.post("/api/v1/auth/login", json={"phone": "13712345678", "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "login_throttled"
    assert 0 < int(blocked.headers["Retry-After"]) <= 15 * 60


def test_login_is_throttled_per_client_address_across_phones(http: TestClient) -> None:
    for i in range(10):
        http.post("/api/v1/auth/login", json={"phone": f"1370000000{i}", "password": "wrong1234"})
    response = http.post("/api/v1/auth/login", json={"phone": "13712345678", "password": "wrong1234"})
    assert response.status_code == 429


def test_refresh_rotates_and_old_access_token_stops_working(http: TestClient) -> None:
    first = register(http)
    second = http.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    assert second["access_token"] != first["access_token"]
    assert http.get("/api/v1/me", headers=bearer(first)).status_code == 401
    assert http.get("/api/v1/me", headers=bearer(second)).status_code == 200


def test_retried_refresh_works_within_the_grace_window_only(http: TestClient, app: FastAPI) -> None:
    first = register(http)
    http.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    # The phone never saw that answer and sends the same refresh token again (without a key).
    retried = http.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert retried.status_code == 200
    assert http.get("/api/v1/me", headers=bearer(retried.json())).status_code == 200
    with app.state.sessions() as db:
        db.execute(update(AuthSession).values(rotated_at=utcnow() - dt.timedelta(minutes=2)))
        db.commit()
    late = http.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert late.status_code == 401 and late.json()["code"] == "refresh_invalid"
    garbage = http.post("/api/v1/auth/refresh", json={"refresh_token": "not-a-token"})
    assert garbage.status_code == 401


def test_retried_refresh_with_same_idempotency_key_returns_the_same_pair(http: TestClient) -> None:
    first = register(http)
    headers = {"Idempotency-Key": "refresh-once"}
    a = http.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}, headers=headers)
    b = http.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}, headers=headers)
    assert a.status_code == b.status_code == 200
    assert a.json() == b.json()
    assert b.headers["Idempotent-Replayed"] == "true"


def test_logout_revokes_the_tokens(http: TestClient) -> None:
    tokens = register(http)
    assert http.post("/api/v1/auth/logout", headers=bearer(tokens)).json() == {"ok": True}
    assert http.get("/api/v1/me", headers=bearer(tokens)).status_code == 401
    refreshed = http.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 401


def test_me_requires_a_token(http: TestClient) -> None:
    response = http.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert http.get("/api/v1/me", headers={"Authorization": "Bearer forged"}).json()["code"] == "token_invalid"


def test_profile_update_validates_and_masks_the_id_number(http: TestClient) -> None:
    tokens = register(http)
    bad = http.patch("/api/v1/me", json={"id_number": "110105194912310021"}, headers=bearer(tokens))
    assert bad.status_code == 422 and bad.json()["code"] == "id_number_invalid"
    assert bad.json()["field"] == "id_number"
    impossible_date = http.patch("/api/v1/me", json={"id_number": "110105194913310028"}, headers=bearer(tokens))
    assert impossible_date.status_code == 422
    ok = http.patch(
        "/api/v1/me",
        json={"id_number": VALID_ID.lower(), "address": "沈阳市和平区南京北街 1 号", "email": "wang@example.cn"},
        headers=bearer(tokens),
    )
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["id_number_masked"] == "1101**********002X"
    assert VALID_ID not in ok.text
    assert body["address"] == "沈阳市和平区南京北街 1 号"
    cleared = http.patch("/api/v1/me", json={"email": ""}, headers=bearer(tokens)).json()
    assert cleared["email"] is None and cleared["id_number_masked"] == "1101**********002X"


def test_profile_phone_change_cannot_take_another_accounts_phone(http: TestClient) -> None:
    register(http, "13700000001")
    tokens = register(http, "13700000002")
    response = http.patch("/api/v1/me", json={"phone": "13700000001"}, headers=bearer(tokens))
    assert response.status_code == 409 and response.json()["field"] == "phone"


def test_same_idempotency_key_replays_and_other_body_is_422(http: TestClient) -> None:
    key = {"Idempotency-Key": "reg-123"}
    body = {"phone": "13712345678", "password": PASSWORD, "name": "王小明"}
    first = http.post("/api/v1/auth/register", json=body, headers=key)
    again = http.post("/api/v1/auth/register", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    other = http.post("/api/v1/auth/register", json={**body, "name": "别人"}, headers=key)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_failed_write_frees_its_idempotency_key(http: TestClient) -> None:
    key = {"Idempotency-Key": "will-fail-first"}
    register(http, "13700000001")
    body = {"phone": "13700000001", "password": PASSWORD, "name": "重复"}
    for _ in range(2):  # a key still held by the failed attempt would answer idempotency_in_progress
        response = http.post("/api/v1/auth/register", json=body, headers=key)
        assert (response.status_code, response.json()["code"]) == (409, "phone_taken")


def test_stored_responses_are_not_readable_from_the_database(http: TestClient, app: FastAPI) -> None:
    tokens = register(http, **{"Idempotency-Key": "secret-key"})
    with app.state.sessions() as db:
        record = db.scalars(select(IdempotencyRecord)).one()
    assert record.body is not None and tokens["access_token"].encode() not in record.body
    assert "secret-key" not in record.key_hash
