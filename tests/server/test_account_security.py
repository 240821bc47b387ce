"""Privacy and abuse on the account routes: refresh-token reuse, sealed ID numbers, throttles, trusted devices."""

import datetime as dt
import json
import socket
import stat
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from cryptography.exceptions import InvalidTag
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update

from server.__main__ import main
from server.accounts import routes as account_routes
from server.accounts.models import AuthSession, User
from server.app import app_from_env, create_app
from server.config import Settings
from server.core.errors import ApiError
from server.core.field_crypto import KEY_FILE, KEYS_ENV, FieldCipher, id_number_context, new_key
from server.db import utcnow
from tests.server.concurrency import at_once
from tests.server.test_accounts import PASSWORD, VALID_ID, bearer, register

PHONE = "13712345678"


def refresh(http: TestClient, token: str) -> httpx.Response:
    return http.post("/api/v1/auth/refresh", json={"refresh_token": token})


def test_old_refresh_token_gets_the_same_pair_once_then_is_refused_then_revokes(http: TestClient) -> None:
    first = register(http)
    second = refresh(http, first["refresh_token"])
    retried = refresh(http, first["refresh_token"])
    assert second.status_code == retried.status_code == 200
    assert retried.json() == second.json()  # the same new pair: the holder is not logged out
    again = refresh(http, first["refresh_token"])
    assert (again.status_code, again.json()["code"]) == (401, "refresh_invalid")
    assert http.get("/api/v1/me", headers=bearer(second.json())).status_code == 200  # refused, not yet revoked
    third_reuse = refresh(http, first["refresh_token"])
    assert third_reuse.status_code == 401
    assert http.get("/api/v1/me", headers=bearer(second.json())).status_code == 401  # the whole family is gone
    assert refresh(http, second.json()["refresh_token"]).status_code == 401


def test_reuse_after_the_grace_window_revokes_the_family(http: TestClient, app: FastAPI) -> None:
    first = register(http)
    second = refresh(http, first["refresh_token"]).json()
    with app.state.sessions() as db:
        db.execute(update(AuthSession).values(rotated_at=utcnow() - dt.timedelta(minutes=2)))
        db.commit()
    assert refresh(http, first["refresh_token"]).status_code == 401
    assert http.get("/api/v1/me", headers=bearer(second)).status_code == 401


def test_reuse_of_a_token_two_rotations_old_revokes_the_family(http: TestClient) -> None:
    first = register(http)
    second = refresh(http, first["refresh_token"]).json()
    third = refresh(http, second["refresh_token"]).json()
    assert refresh(http, first["refresh_token"]).status_code == 401
    assert http.get("/api/v1/me", headers=bearer(third)).status_code == 401


def test_same_refresh_token_at_once_without_keys_rotates_once(http: TestClient, app: FastAPI) -> None:
    first = register(http)
    request = {"method": "POST", "url": "/api/v1/auth/refresh", "json": {"refresh_token": first["refresh_token"]}}
    responses = at_once(app, [request] * 10)
    assert all(r.status_code in (200, 401) for r in responses), Counter(r.status_code for r in responses)
    pairs = {r.text for r in responses if r.status_code == 200}
    assert len(pairs) == 1  # the rotation and, at most, its one grace retry


def _raw_database_bytes(settings: Settings) -> bytes:
    return b"".join(path.read_bytes() for path in settings.data_dir.glob("yiwang.db*"))


def test_resident_id_is_not_stored_in_plain_text(http: TestClient, app: FastAPI, settings: Settings) -> None:
    tokens = register(http)
    response = http.patch("/api/v1/me", json={"id_number": VALID_ID}, headers=bearer(tokens))
    assert response.json()["id_number_masked"] == "1101**********002X"
    with app.state.sessions() as db:
        user = db.scalars(select(User)).one()
        assert user.id_number_sealed is not None and VALID_ID.encode() not in user.id_number_sealed
        assert app.state.id_cipher.open(user.id_number_sealed, id_number_context(user.id)) == VALID_ID
        row = db.execute(text("SELECT * FROM users")).one()
        assert all(VALID_ID not in str(value) for value in row)
    if settings.dialect == "sqlite":
        raw = _raw_database_bytes(settings)
        assert VALID_ID.encode() not in raw and VALID_ID.lower().encode() not in raw
    key_file = settings.data_dir / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert VALID_ID.encode() not in key_file.read_bytes()


def test_sealed_id_cannot_be_moved_to_another_account(tmp_path: Path) -> None:
    cipher = FieldCipher.for_settings(Settings.resolve(data_dir=tmp_path))
    sealed = cipher.seal(VALID_ID, id_number_context(1))
    with pytest.raises(InvalidTag):
        cipher.open(sealed, id_number_context(2))


def test_id_key_from_the_environment_and_old_keys_still_open(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    old, new = new_key(), new_key()
    monkeypatch.setenv(KEYS_ENV, old)
    sealed_with_old = FieldCipher.for_settings(Settings.resolve(data_dir=tmp_path)).seal(VALID_ID, "ctx")
    monkeypatch.setenv(KEYS_ENV, f"{new},{old}")
    rotated = FieldCipher.for_settings(Settings.resolve(data_dir=tmp_path))
    assert rotated.open(sealed_with_old, "ctx") == VALID_ID and not rotated.is_current(sealed_with_old)
    assert rotated.is_current(rotated.seal(VALID_ID, "ctx"))
    assert not (tmp_path / KEY_FILE).exists()  # no key file once the deployment provides the keys


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """`python -m server` as configured by its command line, serving from a thread on a free port."""
    for name in ("YIWANG_DATA_DIR", "DATABASE_URL", "YIWANG_TRUSTED_PROXIES"):
        monkeypatch.setenv(name, "")  # restored afterwards: serving writes the settings into the environment
    options: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda _target, **kwargs: options.update(kwargs))
    port = _free_port()
    main(["--data-dir", str(tmp_path), "--port", str(port)])
    options.pop("workers")
    server = uvicorn.Server(uvicorn.Config(app_from_env, log_level="warning", **options))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/api/v1"
    server.should_exit = True
    thread.join(10)


def test_forwarded_for_from_an_unconfigured_peer_does_not_reset_the_address_limit(served: str) -> None:
    statuses = []
    with httpx.Client(base_url=served) as client:
        for i in range(11):
            response = client.post(
                "/auth/login",
                json={"phone": f"1370000{i:04d}", "password": "wrong1234"},
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            )
            statuses.append(response.status_code)
    assert statuses == [401] * 10 + [429]


def test_forwarded_for_counts_from_a_configured_proxy(settings: Settings) -> None:
    behind_proxy = Settings(settings.database_url, settings.data_dir, trusted_proxies=("10.0.0.0/8",))
    app = create_app(behind_proxy)
    try:
        wrong = [
            {
                "method": "POST",
                "url": "/api/v1/auth/login",
                "json": {"phone": f"1370000{i:04d}", "password": "wrong1234"},
                "headers": {"X-Forwarded-For": f"198.51.100.{i % 2}, 10.0.0.7"},
            }
            for i in range(12)
        ]
        statuses = Counter(r.status_code for r in at_once(app, wrong, client_address=("10.0.0.2", 4000)))
        # Two clients behind one proxy: six guesses each, under the limit, so none is throttled (a 503 is a guess the
        # busy log-in lane never heard: server/core/admission.py).
        assert statuses[429] == 0 and statuses[401] > 0 and statuses[401] + statuses[503] == 12, statuses
    finally:
        app.state.engine.dispose()


def _login(http: TestClient, password: str, device_token: str | None = None) -> httpx.Response:
    body = {"phone": PHONE, "password": password, **({"device_token": device_token} if device_token else {})}
    return http.post("/api/v1/auth/login", json=body)


def test_the_owners_device_still_logs_in_after_strangers_lock_the_phone(http: TestClient, app: FastAPI) -> None:
    device_token = register(http)["device_token"]
    assert device_token
    guesses = [
        {"method": "POST", "url": "/api/v1/auth/login", "json": {"phone": PHONE, "password": f"guess{i}x"}}
        for i in range(12)
    ]
    statuses = Counter(r.status_code for r in at_once(app, guesses, client_address=("203.0.113.5", 1)))
    # A guess refused with 503 (the log-in lane was full on a starved machine, server/core/admission.py) was never
    # heard: the attacker sends it again, as a client honouring Retry-After would.
    for guess in guesses[: statuses.pop(503, 0)]:
        statuses[at_once(app, [guess], client_address=("203.0.113.5", 1))[0].status_code] += 1
    assert statuses == Counter({401: 10, 429: 2})
    assert _login(http, PASSWORD).status_code == 429  # an unknown device is locked out with the attacker
    owner = _login(http, PASSWORD, device_token)
    assert owner.status_code == 200 and owner.json()["device_token"] == device_token
    # Someone else's device token does not unlock this phone.
    other_device = register(http, "13700000009")["device_token"]
    assert _login(http, PASSWORD, other_device).status_code == 429
    assert _login(http, PASSWORD, "forged-token").status_code == 429


def test_guesses_the_server_was_too_busy_to_hear_do_not_lock_the_owner_out(
    http: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(http)

    def no_hashing_thread(password_hash: str | None, password: str) -> bool:
        raise ApiError(503, "server_busy", headers={"Retry-After": "2"})

    monkeypatch.setattr(account_routes, "verify_password", no_hashing_thread)
    for _ in range(12):
        busy = _login(http, PASSWORD)
        assert busy.status_code == 503 and busy.headers["Retry-After"] == "2"
    monkeypatch.undo()
    assert _login(http, PASSWORD).status_code == 200


def test_a_trusted_device_has_its_own_limit(http: TestClient) -> None:
    device_token = register(http)["device_token"]
    for _ in range(10):
        assert _login(http, "wrong1234", device_token).status_code == 401
    assert _login(http, PASSWORD, device_token).status_code == 429
    fresh_login = _login(http, PASSWORD)  # the phone's allowance for other devices is untouched
    assert fresh_login.status_code == 200 and fresh_login.json()["device_token"] != device_token


def test_registration_is_throttled_per_client_address(app: FastAPI) -> None:
    probes = [
        {
            "method": "POST",
            "url": "/api/v1/auth/register",
            "json": {"phone": "13712345678", "password": PASSWORD, "name": "探测"},
        }
        for _ in range(40)
    ]
    responses = at_once(app, probes, client_address=("203.0.113.7", 1))
    statuses = Counter(r.status_code for r in responses)
    # A 503 (the registration lane was full, server/core/admission.py) never reached the throttle; of the rest, 20
    # were heard and every further one refused.
    heard = 40 - statuses[503]
    assert statuses[201] == 1 and statuses[201] + statuses[409] == min(20, heard), statuses
    assert statuses[429] == max(0, heard - 20) > 0, statuses
    throttled = next(r for r in responses if r.status_code == 429)
    assert throttled.json()["code"] == "register_throttled" and int(throttled.headers["Retry-After"]) > 0
    elsewhere = at_once(app, probes[:1], client_address=("203.0.113.8", 1))
    assert elsewhere[0].status_code == 409


def test_hostile_device_tokens_are_refused_or_ignored(http: TestClient) -> None:
    register(http)
    for token, status in [("\udfff", 422), ("x" * 10_000, 422), ("a b", 422), ([1], 422), ("A" * 43, 200)]:
        response = http.post(
            "/api/v1/auth/login",
            content=json.dumps({"phone": PHONE, "password": PASSWORD, "device_token": token}),
            headers={"Content-Type": "application/json"},
        )
        assert response.status_code == status, (token, response.text)
        if status == 422:
            assert response.json()["field"] == "device_token"
