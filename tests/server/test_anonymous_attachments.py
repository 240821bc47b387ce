"""The fast channel's attachments on SQLite and PostgreSQL: POST /attachments/anonymous, throttled per address;
an anonymous appeal claims such uploads once, within a day; the credentials' holder and the department read them;
unclaimed ones are purged with their bytes; nothing hostile is a 500."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.attachments.models import StoredAttachment
from server.config import Settings
from server.db import make_engine, make_sessionmaker
from tests.server.appeal_world import COMPLAINT, AppealWorld, make_appeal_world
from tests.server.application_world import jpeg_bytes, pdf_bytes, png_bytes
from tests.server.concurrency import at_once

LONE = "\udcff"


@pytest.fixture
def world(app: FastAPI, http: TestClient, settings: Settings) -> AppealWorld:
    return make_appeal_world(app, http, settings)


def upload_anonymously(world: AppealWorld, content: bytes, name: str = "现场.jpg", **headers: str) -> httpx.Response:
    return world.http.post("/api/v1/attachments/anonymous", files={"file": (name, content)}, headers=headers)


def anonymous_id(world: AppealWorld, content: bytes | None = None, name: str = "现场.jpg") -> str:
    response = upload_anonymously(world, content or jpeg_bytes(), name)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def appeal_with(world: AppealWorld, ids: list[Any], who: str | None = None) -> httpx.Response:
    return world.appeal(who, attachments=ids, category="环境污染", title="河道排污", department="不确定")


def stored_files(settings: Settings) -> list[Path]:
    return [p for p in (Path(settings.data_dir) / "attachments").rglob("*") if p.is_file()]


def post_raw(world: AppealWorld, path: str, body: Any) -> httpx.Response:
    """JSON without a token, non-ASCII escaped, so lone surrogates can be sent."""
    content = json.dumps(body).encode()
    return world.http.post(f"/api/v1{path}", content=content, headers={"Content-Type": "application/json"})


def upload_request(content: bytes, name: str = "photo.png") -> dict[str, Any]:
    return {"method": "POST", "url": "/api/v1/attachments/anonymous", "files": {"file": (name, content)}}


def appeal_request(ids: list[str]) -> dict[str, Any]:
    body = {**COMPLAINT, "attachments": ids}
    return {"method": "POST", "url": "/api/v1/appeals", "json": body}


def test_anonymous_photo_reaches_the_department_and_the_holder(world: AppealWorld) -> None:
    photo, pdf = jpeg_bytes(), pdf_bytes("检测报告")
    ids = [anonymous_id(world, photo, "排污口.jpg"), anonymous_id(world, pdf, "报告.pdf")]
    receipt = appeal_with(world, ids)
    assert receipt.status_code == 201, receipt.text
    appeal, credentials = receipt.json()["appeal"], receipt.json()["credentials"]
    assert sorted(appeal["attachments"]) == sorted(ids)
    assert {f["filename"]: f["format"] for f in appeal["files"]} == {"排污口.jpg": "jpeg", "报告.pdf": "pdf"}
    number = appeal["number"]
    assert appeal["department"]["code"] == "sthjt"
    for attachment_id, content in zip(ids, [photo, pdf], strict=True):
        officer = world.get("sthjt", f"/officer/appeals/{number}/attachments/{attachment_id}")
        assert officer.status_code == 200 and officer.content == content
        holder = world.http.post(f"/api/v1/appeals/fast-channel/attachments/{attachment_id}", json=credentials)
        assert holder.status_code == 200 and holder.content == content
        assert holder.headers["x-content-type-options"] == "nosniff"
    looked_up = world.lookup(credentials["username"], credentials["password"]).json()
    assert [f["filename"] for f in looked_up["files"]] == [f["filename"] for f in appeal["files"]]
    # Nobody else: another department, a wrong password, another appeal's credentials, the owner download route.
    assert world.get("rst", f"/officer/appeals/{number}/attachments/{ids[0]}").status_code == 404
    wrong = {**credentials, "password": "A" * 16}
    assert world.http.post(f"/api/v1/appeals/fast-channel/attachments/{ids[0]}", json=wrong).status_code == 404
    other = appeal_with(world, []).json()["credentials"]
    assert world.http.post(f"/api/v1/appeals/fast-channel/attachments/{ids[0]}", json=other).status_code == 404
    assert world.get("citizen", f"/attachments/{ids[0]}").status_code == 404


def test_an_anonymous_upload_is_attached_once_within_a_day(world: AppealWorld) -> None:
    used = anonymous_id(world)
    assert appeal_with(world, [used]).status_code == 201
    again = appeal_with(world, [used])
    assert again.status_code == 422
    assert again.json() == {
        "code": "attachment_unknown",
        "message": "附件不存在或已失效，请重新上传",
        "field": "attachments",
    }
    fresh = anonymous_id(world)
    assert appeal_with(world, [fresh, used]).status_code == 422  # all or none: the fresh one stays unclaimed
    assert appeal_with(world, [fresh]).status_code == 201
    late = anonymous_id(world)
    world.clock.moment += dt.timedelta(hours=24, seconds=1)
    assert appeal_with(world, [late]).status_code == 422


def test_a_retried_submission_replays_and_linking_hands_the_photos_to_the_account(world: AppealWorld) -> None:
    photo = anonymous_id(world)
    first = world.appeal(None, key="anon-appeal-1", attachments=[photo])
    again = world.appeal(None, key="anon-appeal-1", attachments=[photo])
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    credentials = first.json()["credentials"]
    assert world.get("citizen", f"/attachments/{photo}").status_code == 404
    linked = world.http.post(
        "/api/v1/appeals/link", json={"credentials": [credentials]}, headers=world.headers("citizen")
    )
    assert linked.status_code == 200, linked.text
    assert world.get("citizen", f"/attachments/{photo}").content == jpeg_bytes()
    assert world.get("other", f"/attachments/{photo}").status_code == 404


def test_ownership_rules_between_accounts_and_the_fast_channel(world: AppealWorld) -> None:
    anonymous = anonymous_id(world)
    owned = world.upload("citizen", png_bytes(), "mine.png")
    assert appeal_with(world, [anonymous], who="citizen").status_code == 422  # an account cannot take it
    assert appeal_with(world, [owned]).status_code == 422  # nor the fast channel someone's owned file
    assert appeal_with(world, [owned], who="other").status_code == 422
    assert appeal_with(world, [owned], who="citizen").status_code == 201
    assert appeal_with(world, [anonymous]).status_code == 201  # still unclaimed after the refusals


def test_idempotent_retry_replays_the_upload(world: AppealWorld, settings: Settings) -> None:
    first = upload_anonymously(world, png_bytes(), **{"Idempotency-Key": "anon-upload-1"})
    second = upload_anonymously(world, png_bytes(), **{"Idempotency-Key": "anon-upload-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second.headers.get("idempotent-replayed") == "true"
    assert len(stored_files(settings)) == 1


def test_uploads_are_throttled_per_address_with_retry_after(app: FastAPI, world: AppealWorld) -> None:
    burst = at_once(app, [upload_request(png_bytes()) for _ in range(24)], ("198.51.100.7", 1))
    statuses = sorted(r.status_code for r in burst)
    assert statuses == [201] * 20 + [429] * 4
    refused = next(r for r in burst if r.status_code == 429)
    assert refused.json()["code"] == "anonymous_upload_throttled"
    assert refused.json()["message"] == "上传过于频繁，请稍后再试，或登录后上传"
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    elsewhere = at_once(app, [upload_request(png_bytes())], ("198.51.100.8", 1))
    assert elsewhere[0].status_code == 201
    world.clock.moment += dt.timedelta(hours=1, seconds=1)
    later = at_once(app, [upload_request(png_bytes())], ("198.51.100.7", 1))
    assert later[0].status_code == 201


def test_many_submissions_naming_one_upload_have_one_winner(app: FastAPI, world: AppealWorld) -> None:
    shared = anonymous_id(world)
    responses = at_once(app, [appeal_request([shared]) for _ in range(8)])
    assert sorted(r.status_code for r in responses) == [201] + [422] * 7
    winner = next(r for r in responses if r.status_code == 201).json()["appeal"]["number"]
    assert world.get("rst", f"/officer/appeals/{winner}").json()["attachments"] == [shared]


def test_parallel_uploads_each_get_their_own_file(app: FastAPI, world: AppealWorld, settings: Settings) -> None:
    responses = at_once(app, [upload_request(png_bytes(), f"{i}.png") for i in range(10)], ("198.51.100.9", 1))
    assert [r.status_code for r in responses] == [201] * 10
    assert len({r.json()["id"] for r in responses}) == 10 and len(stored_files(settings)) == 10


def test_unclaimed_uploads_are_purged_with_their_bytes(world: AppealWorld, settings: Settings) -> None:
    kept = anonymous_id(world)
    assert appeal_with(world, [kept]).status_code == 201
    stale = anonymous_id(world)
    world.upload("citizen", pdf_bytes(), "owned.pdf")  # owned uploads are not the fast channel's to purge
    assert len(stored_files(settings)) == 3
    world.clock.moment += dt.timedelta(hours=24, minutes=1)
    newest = anonymous_id(world)  # each anonymous upload purges expired ones
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        remaining = set(db.scalars(select(StoredAttachment.id)))
    engine.dispose()
    assert stale not in remaining and {kept, newest} <= remaining and len(remaining) == 3
    assert len(stored_files(settings)) == 3


@pytest.mark.parametrize(
    ("content", "name", "status"),
    [
        (b"MZ\x90\x00 an executable", "report.pdf", 415),
        (b"<html><script>alert(1)</script>", "x.png", 415),
        (b"", "empty.png", 422),
        (png_bytes(), f"{LONE}照片{LONE}.png", 201),
        (png_bytes(), "../../etc/passwd\x00.png", 201),
        (png_bytes(), "长" * 300 + ".png", 201),
        (png_bytes(), "长" * 5000 + ".png", 422),  # a part header over the parser's limit
    ],
)
def test_hostile_uploads_are_refused_or_cleaned(world: AppealWorld, content: bytes, name: str, status: int) -> None:
    encoded = name.encode("utf-8", "surrogatepass")
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="' + encoded + b'"\r\n'
        b"Content-Type: image/png\r\n\r\n" + content + b"\r\n--b--\r\n"
    )
    response = world.http.post(
        "/api/v1/attachments/anonymous", content=body, headers={"Content-Type": "multipart/form-data; boundary=b"}
    )
    assert response.status_code == status, response.text
    if status == 201:
        filename = response.json()["filename"]
        assert "/" not in filename and "\x00" not in filename and len(filename) <= 255
        filename.encode("utf-8")  # no lone surrogate survives into what is stored and shown


def test_malformed_and_oversized_bodies_are_4xx(world: AppealWorld) -> None:
    anonymous = "/api/v1/attachments/anonymous"
    post = world.http.post
    assert post(anonymous, content=b"just text", headers={"Content-Type": "text/plain"}).status_code == 415
    assert post(anonymous, json={"file": "x"}).status_code == 415
    broken = post(anonymous, content=b"--b\r\nbroken", headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert broken.status_code == 422
    no_file = post(anonymous, data={"other": "x"}, files={"x": ("a.png", png_bytes())})
    assert no_file.status_code == 422
    huge = post(anonymous, files={"file": ("big.png", png_bytes() + b"\0" * (10 * 1024 * 1024 + 1))})
    assert huge.status_code == 413 and huge.json()["code"] == "attachment_too_large"
    declared = post(
        anonymous,
        content=b"x",
        headers={"Content-Type": "multipart/form-data; boundary=b", "Content-Length": "999999999"},
    )
    assert declared.status_code == 413


@pytest.mark.parametrize("ids", [["0" * 32], ["g" * 32], [f"{LONE}" * 32], ["a" * 5000], ["x"] * 10, [None], [1234]])
def test_hostile_attachment_ids_in_an_anonymous_appeal_are_4xx(world: AppealWorld, ids: list[Any]) -> None:
    response = post_raw(world, "/appeals", {**COMPLAINT, "attachments": ids})
    assert response.status_code == 422, response.text


def test_hostile_reads_with_credentials_are_4xx(world: AppealWorld) -> None:
    photo = anonymous_id(world)
    credentials = appeal_with(world, [photo]).json()["credentials"]
    paths = ["0" * 32, "%ED%B3%BF", "a" * 5000, "..%2F..%2Fetc", photo.upper(), photo + "%00"]
    for path in paths:
        response = world.http.post(f"/api/v1/appeals/fast-channel/attachments/{path}", json=credentials)
        assert response.status_code in (404, 422), (path, response.text)
    bad_bodies: list[Any] = [{}, {"username": LONE, "password": LONE}, [credentials], {"username": "a" * 5000}]
    for body in bad_bodies:
        response = post_raw(world, f"/appeals/fast-channel/attachments/{photo}", body)
        assert response.status_code in (404, 422), (body, response.text)


def test_many_reads_with_credentials_at_once(app: FastAPI, world: AppealWorld) -> None:
    photo = anonymous_id(world)
    credentials = appeal_with(world, [photo]).json()["credentials"]
    reads = at_once(
        app,
        [
            {"method": "POST", "url": f"/api/v1/appeals/fast-channel/attachments/{photo}", "json": credentials}
            for _ in range(8)
        ],
    )
    assert [r.status_code for r in reads] == [200] * 8
