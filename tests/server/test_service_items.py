"""网上办事 catalogue over HTTP on SQLite and PostgreSQL: lists, filters, cursors, guides, ETags, search."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.config import Settings
from server.db import make_engine
from server.seed.services import catalogue, seed_service_items

DRAFTS = list(catalogue())
BY_NAME = {draft.name: draft for draft in DRAFTS}
POPULAR = [d.code for d in sorted(DRAFTS, key=lambda d: (d.popularity, d.id), reverse=True)]


@pytest.fixture(autouse=True)
def seeded(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    seed_service_items(engine)
    engine.dispose()


def codes(http: TestClient, **params: Any) -> list[str]:
    response = http.get("/api/v1/service-items", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    return [item["code"] for item in response.json()["items"]]


def walk(http: TestClient, limit: int, **params: Any) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        response = http.get("/api/v1/service-items", params={"limit": limit, "cursor": cursor, **params})
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [item["code"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


def expected(keep: Any, sort: str = "popular") -> list[str]:
    chosen = [d for d in DRAFTS if keep(d)]
    if sort == "catalogue":
        return [d.code for d in sorted(chosen, key=lambda d: d.sort_key)]
    return [d.code for d in sorted(chosen, key=lambda d: (d.popularity, d.id), reverse=True)]


def test_hot_items_first_and_every_item_once_across_pages(http: TestClient) -> None:
    first = http.get("/api/v1/service-items", params={"limit": 5}).json()
    assert [item["code"] for item in first["items"]] == POPULAR[:5]
    item = first["items"][0]
    assert set(item) == {
        "code",
        "name",
        "type",
        "department",
        "audience",
        "themes",
        "promised_days",
        "online",
        "visits",
    }
    assert walk(http, 97) == POPULAR
    assert walk(http, 100, sort="catalogue") == [d.code for d in sorted(DRAFTS, key=lambda d: d.sort_key)]


FILTER_CASES: list[tuple[dict[str, str], Any]] = [
    ({"department": "gat"}, lambda d: d.department_code == "gat"),
    ({"theme": "户籍办理"}, lambda d: "户籍办理" in d.themes),
    ({"theme": "设立变更", "audience": "business"}, lambda d: "设立变更" in d.themes and d.audience == "business"),
    ({"audience": "person", "online": "true"}, lambda d: d.audience == "person" and d.online),
    ({"online": "false", "department": "scjgj"}, lambda d: not d.online and d.department_code == "scjgj"),
    ({"theme": "婚姻登记", "department": "rst"}, lambda d: False),
]


def test_filters_combine(http: TestClient) -> None:
    for params, keep in FILTER_CASES:
        assert walk(http, 7, **params) == expected(keep), params
        assert walk(http, 7, sort="catalogue", **params) == expected(keep, "catalogue"), params


BAD_FILTERS = [
    ({"department": "nope"}, "department"),
    ({"theme": "不存在"}, "theme"),
    ({"theme": "x" * 17}, "theme"),
    ({"audience": "alien"}, "audience"),
    ({"online": "maybe"}, "online"),
    ({"sort": "random"}, "sort"),
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"cursor": "!!!"}, "cursor"),
    ({"cursor": "WyJ4Il0"}, "cursor"),  # ["x"] where the popular order wants [popularity, id]
    ({"cursor": "WzEsMl0", "sort": "catalogue"}, "cursor"),  # [1,2] where the catalogue order wants [key]
]


def test_bad_filters_are_clear_422s(http: TestClient) -> None:
    for params, field in BAD_FILTERS:
        response = http.get("/api/v1/service-items", params=params)
        assert response.status_code == 422, response.text
        assert response.json()["field"] == field, params


def test_guide_has_everything_a_citizen_needs(http: TestClient) -> None:
    draft = BY_NAME["出生登记"]
    response = http.get(f"/api/v1/service-items/{draft.code}")
    assert response.status_code == 200
    item = response.json()
    assert item["department"]["short_name"] == "公安厅"
    assert item["themes"] == ["生育收养", "户籍办理"]
    assert item["statutory_days"] == item["promised_days"] == 0
    assert item["visits"] == 1 and item["online"] is False
    assert "出生医学证明" in [m["name"] for m in item["materials"]]
    assert item["legal_basis"] == ["《中华人民共和国户口登记条例》第七条"]
    assert [f["prefill"] for f in item["form"][:4]] == ["name", "id_number", "phone", "address"]
    assert item["approving_departments"] == [item["department"]]
    joint = http.get(f"/api/v1/service-items/{BY_NAME['新生儿出生一件事'].code}").json()
    assert [d["code"] for d in joint["approving_departments"]] == ["wsjkw", "gat", "ybj"]
    assert any("公安厅、医保局同步并联审查" in step for step in joint["steps"])


UNKNOWN = [
    "/api/v1/service-items/11210000000000000X0100001001",
    "/api/v1/service-items/nope",
    "/api/v1/service-items/%ED%A0%80",  # a lone surrogate, UTF-8 encoded
    "/api/v1/service-items/%00",
    "/api/v1/service-items/' OR 1=1 --",
]


def test_unknown_codes_are_404(http: TestClient) -> None:
    for path in UNKNOWN:
        response = http.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


HOSTILE = [
    {"theme": "\udcff"},
    {"department": "%ED%A0%80"},
    {"department": "a" * 10_000},
    {"cursor": "x" * 10_000},
    {"online": "\x00"},
]


def test_hostile_input_is_a_4xx_never_a_500(http: TestClient) -> None:
    for params in HOSTILE:
        encoded = {k: v.encode("utf-8", "surrogateescape") for k, v in params.items()}
        response = http.get("/api/v1/service-items", params=encoded)
        assert 400 <= response.status_code < 500, response.text
    assert http.get("/api/v1/service-items/" + "9" * 41).status_code == 422


def test_etag_and_304(http: TestClient) -> None:
    for path in ("/api/v1/service-items?limit=5", "/api/v1/service-items?theme=住房", "/api/v1/service-themes"):
        first = http.get(path)
        assert first.headers["cache-control"].startswith("public")
        again = http.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
    code = BY_NAME["失业保险金申领"].code
    guide = http.get(f"/api/v1/service-items/{code}")
    assert (
        http.get(f"/api/v1/service-items/{code}", headers={"If-None-Match": guide.headers["etag"]}).status_code == 304
    )


def test_themes_for_people_and_businesses(http: TestClient) -> None:
    themes = http.get("/api/v1/service-themes").json()["items"]
    assert {"name": "生育收养", "audience": "person"} in themes
    assert {"name": "设立变更", "audience": "business"} in themes


QUESTIONS = [
    ("怎么办营业执照", "有限责任公司设立登记"),
    ("失业金怎么领", "失业保险金申领"),
    ("身份证丢了怎么办", "居民身份证补领"),
    ("新生儿落户需要什么材料", "出生登记"),
    ("失业金", "失业保险金申领"),
    ("shiyejin", "失业保险金申领"),
    ("营业执照丢了", "营业执照遗失补领"),
    ("公积金提取", "住房公积金提取（购房提取）"),
    ("结婚登记", "婚姻登记（结婚登记）"),
    ("异地就医", "异地就医备案（异地长期居住）"),
]


def test_questions_people_type_find_the_right_item_first(http: TestClient) -> None:
    for question, name in QUESTIONS:
        response = http.get("/api/v1/search", params={"q": question, "scope": "services"})
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert items, question
        assert (items[0]["title"], items[0]["scope"], items[0]["code"]) == (name, "service", BY_NAME[name].code)
        assert http.get(f"/api/v1/service-items/{items[0]['code']}").json()["name"] == name


def test_service_search_stays_apart_from_articles(http: TestClient) -> None:
    assert http.get("/api/v1/search", params={"q": "失业金", "scope": "articles"}).json()["items"] == []
    for hostile in ("%ED%A0%80", "%00", "%E4%B8", "x" * 200):  # a lone surrogate, NUL, a cut character, too long
        response = http.get(f"/api/v1/search?scope=services&q={hostile}")
        assert response.status_code in (200, 422), response.text
    assert http.get("/api/v1/search", params={"q": "x", "scope": "everything"}).status_code == 422


def test_many_concurrent_reads_agree(http: TestClient) -> None:
    code = BY_NAME["居民身份证补领"].code
    paths = [
        "/api/v1/service-items?limit=20&theme=社会保障",
        f"/api/v1/service-items/{code}",
        "/api/v1/search?scope=services&q=身份证丢了怎么办",
    ] * 20

    def fetch(path: str) -> tuple[str, int, bytes]:
        response = http.get(path, headers={"Cache-Control": "no-cache"})  # past the read cache, to the database
        return path, response.status_code, response.content

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(fetch, paths))
    assert {status for _path, status, _body in results} == {200}
    for path in set(paths):
        assert len({body for p, _status, body in results if p == path}) == 1
