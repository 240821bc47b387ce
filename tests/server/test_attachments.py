"""POST /attachments on SQLite and PostgreSQL: types by content, the size limit counted while streaming,
random storage names, the owner's download, idempotent retries and uploads in parallel."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api_client.models import MAX_ATTACHMENT_BYTES
from server.config import Settings
from tests.server.application_world import World, jpeg_bytes, make_world, pdf_bytes, png_bytes


@pytest.fixture
def world(app: FastAPI, http: TestClient, settings: Settings) -> World:
    return make_world(app, http, settings)


def upload(
    world: World, content: bytes, name: str = "file.pdf", who: str = "citizen", **headers: str
) -> httpx.Response:
    return world.http.post(
        "/api/v1/attachments", files={"file": (name, content)}, headers={**world.headers(who), **headers}
    )


@pytest.mark.parametrize(
    ("content", "name", "fmt"),
    [(pdf_bytes(), "申请书.PDF", "pdf"), (png_bytes(), "photo.jpg", "png"), (jpeg_bytes(), "scan", "jpeg")],
)
def test_formats_are_recognised_by_content_not_name(
    world: World, settings: Settings, content: bytes, name: str, fmt: str
) -> None:
    response = upload(world, content, name)
    assert response.status_code == 201, response.text
    info = response.json()
    assert (info["format"], info["size"], info["filename"]) == (fmt, len(content), name)
    stored = [p for p in (Path(settings.data_dir) / "attachments").rglob("*") if p.is_file()]
    assert len(stored) == 1 and name not in str(stored[0]) and len(stored[0].name) == 32
    back = world.get("citizen", f"/attachments/{info['id']}")
    assert back.content == content
    assert back.headers["content-type"] == {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg"}[fmt]
    assert world.get("other", f"/attachments/{info['id']}").status_code == 404


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"MZ\x90\x00 an executable", "report.pdf"), (b"<html><script>", "x.png"), (b"GIF89a....", "a.gif")],
)
def test_other_types_are_415_in_chinese(world: World, content: bytes, name: str) -> None:
    response = upload(world, content, name)
    assert response.status_code == 415
    assert response.json() == {
        "code": "attachment_type_invalid",
        "message": "只能上传 PDF、JPG 或 PNG 文件",
        "field": "file",
    }


def test_size_limit_and_bad_bodies(world: World) -> None:
    too_big = upload(world, b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES)
    assert too_big.status_code == 413
    assert too_big.json()["message"] == "文件不能超过 10 MB"
    exactly = upload(world, b"%PDF-" + b"0" * (MAX_ATTACHMENT_BYTES - 5))
    assert exactly.status_code == 201

    def endless() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-'
        for _ in range(12):
            yield b"0" * (1024 * 1024)

    streamed = world.http.post(
        "/api/v1/attachments",
        content=endless(),
        headers={**world.headers("citizen"), "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert streamed.status_code == 413  # chunked, no Content-Length: cut off while counting
    assert upload(world, b"").status_code == 422
    as_json = world.post("citizen", "/attachments", {"file": "x"})
    assert as_json.status_code == 415
    wrong_field = world.http.post(
        "/api/v1/attachments", files={"document": ("a.pdf", pdf_bytes())}, headers=world.headers("citizen")
    )
    assert (wrong_field.status_code, wrong_field.json()["field"]) == (422, "file")
    garbage = world.http.post(
        "/api/v1/attachments",
        content=b"--x\r\nnot a part",
        headers={**world.headers("citizen"), "Content-Type": "multipart/form-data; boundary=y"},
    )
    assert garbage.status_code == 422
    assert world.http.post("/api/v1/attachments", files={"file": ("a.pdf", pdf_bytes())}).status_code == 401
    assert world.get("citizen", "/attachments/" + "z" * 500).status_code == 404


def test_hostile_filenames_are_kept_only_as_display_names(world: World) -> None:
    response = upload(world, pdf_bytes(), "..\\..\\etc/pass\u202ewd.pdf")
    assert response.status_code == 201
    assert response.json()["filename"] == "passwd.pdf"


def test_a_retried_upload_replays_and_parallel_uploads_all_land(world: World, app: FastAPI) -> None:
    first = upload(world, pdf_bytes("one"), **{"Idempotency-Key": "upload-1"})
    again = upload(world, pdf_bytes("one"), **{"Idempotency-Key": "upload-1"})
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    other_file = upload(world, pdf_bytes("two"), **{"Idempotency-Key": "upload-1"})
    assert other_file.status_code == 422

    def send(index: int) -> int:
        with TestClient(app) as client:
            files = {"file": (f"{index}.pdf", pdf_bytes(str(index)))}
            return client.post("/api/v1/attachments", files=files, headers=world.headers("citizen")).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert list(pool.map(send, range(18))) == [201] * 18
