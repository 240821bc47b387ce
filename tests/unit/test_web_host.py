"""The web host's file serving: compression, caching, shell for client routes, fallback fonts, hostile paths."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import flet as ft
import pytest
from fastapi.testclient import TestClient

from app.theme_fonts import WEB_FALLBACK_FILE, WEB_SHELL_FONTS
from app.web.host import WebHost, create_web_app
from app.web.shell import APP_NAME, RIVE_CDN_PREFIX

ASSETS = Path(__file__).resolve().parents[2] / "assets"


async def hello(page: ft.Page) -> None:
    page.add(ft.Text("你好"))


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> WebHost:
    return create_web_app(hello, ASSETS, cache_dir=tmp_path_factory.mktemp("web-builds"))


@pytest.fixture(scope="module")
def client(host: WebHost) -> Iterator[TestClient]:
    with TestClient(host) as client:
        yield client


def test_shell_is_revalidated_and_loads_the_versioned_client(host: WebHost, client: TestClient) -> None:
    response = client.get("/")
    assert response.headers["cache-control"] == "no-cache"
    # Not cross-origin isolated, so skwasm runs single-threaded (see app/web/host.py: a multi-threaded heap race).
    assert "cross-origin-embedder-policy" not in response.headers
    assert "cross-origin-opener-policy" not in response.headers
    html = response.text
    assert f'src="{host.root.prefix}flutter_bootstrap.js"' in html
    assert f"<title>{APP_NAME}</title>" in html
    assert RIVE_CDN_PREFIX in html  # only inside the guard that keeps the script from loading
    again = client.get("/", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_client_files_are_compressed_and_immutable(host: WebHost, client: TestClient) -> None:
    for encoding in ("br", "gzip"):
        response = client.get(f"{host.root.prefix}main.dart.wasm", headers={"Accept-Encoding": encoding})
        assert response.status_code == 200
        assert response.headers["content-encoding"] == encoding
        assert "immutable" in response.headers["cache-control"]
    plain = client.get(f"{host.root.prefix}main.dart.mjs", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers


def test_client_routes_get_the_shell_and_missing_assets_404(client: TestClient) -> None:
    shell = client.get("/").content
    for route in ("/disclosure", "/me/login", "/articles/12"):
        assert client.get(route).content == shell
    assert client.get("/nothing-here.js").status_code == 404


def test_font_manifest_and_web_manifest(host: WebHost, client: TestClient) -> None:
    fonts = client.get(f"{host.root.prefix}assets/FontManifest.json").json()
    families = {family["family"] for family in fonts}
    assert families == {"MaterialIcons", "Roboto", *WEB_SHELL_FONTS}
    manifest = json.loads(client.get("/manifest.json").content)
    assert manifest["name"] == APP_NAME
    assert manifest["theme_color"] != "#FF005F"


def test_flutter_fallback_fonts_get_our_ext_face(host: WebHost, client: TestClient) -> None:
    ext = (ASSETS / "fonts" / WEB_FALLBACK_FILE).read_bytes()
    for family in ("notosanssc", "notosansjp"):
        response = client.get(f"{host.root.prefix}fallback-fonts/{family}/v37/slice.woff2")
        assert response.status_code == 200
        assert response.content == ext
        assert "immutable" in response.headers["cache-control"]


def test_many_requests_at_once(host: WebHost, client: TestClient) -> None:
    paths = ["/", "/manifest.json", f"{host.root.prefix}flutter_bootstrap.js", "/disclosure"] * 25
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda path: client.get(path).status_code, paths))
    assert statuses == [200] * len(paths)


@pytest.mark.parametrize(
    "path",
    [
        "/_v/../../../etc/passwd",
        "/_v/%2e%2e/%2e%2e/etc/passwd",
        "/fonts/..%2f..%2fREADME.md",
        "/%00.js",
        "/%ED%B3%BF.js",  # a lone surrogate, as UTF-8 bytes
        "/%FF%FE",
        "/" + "a" * 5000 + ".js",
        "/_v/not-a-build/main.dart.wasm",
    ],
)
def test_hostile_paths_never_500(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert b"root:" not in response.content
