"""Publishing articles, on SQLite and PostgreSQL: officers for their department, admins for any; the search
index and the read cache follow; who may write what; retries, races and hostile input."""

import datetime as dt
import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from server.config import Settings
from server.core.clock import china_date, current_time
from server.db import make_engine
from server.search.models import SearchDocument
from tests.server.application_world import make_people
from tests.server.article_corpus import load_corpus
from tests.server.concurrency import at_once

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def people(app: FastAPI, settings: Settings) -> dict[str, dict[str, str]]:
    load_corpus(settings)
    app.dependency_overrides[current_time] = lambda: dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    return make_people(settings)


def draft(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "policy",
        "title": "辽宁省鲟鳇鱼增殖放流补助办法",
        "body": "## 第一章 总则\n\n**第一条** 为保护水生生物资源，制定本办法。\n\n| 地区类别 | 失业保险金（元/月） |\n| --- | --- |\n| 一类地区 | 1890 |",
        "document_number": "辽人社发〔2026〕901号",
        "written_on": "2026-11-10",
        "topics": ["shbz", "jycy"],
        **overrides,
    }


def send(http: TestClient, method: str, path: str, who: dict[str, str], body: Any, key: str | None = None) -> Any:
    """JSON with non-ASCII escaped, so a test can send what httpx will not encode (lone surrogates)."""
    headers = {**who, "Content-Type": "application/json", **({"Idempotency-Key": key} if key else {})}
    return http.request(method, f"/api/v1{path}", content=json.dumps(body).encode(), headers=headers)


def search_ids(http: TestClient, query: str) -> list[int]:
    response = http.get("/api/v1/search", params={"q": query, "scope": "articles"})
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_a_published_document_is_read_searched_and_new_for_its_topics(
    http: TestClient, people: dict[str, dict[str, str]]
) -> None:
    topic_today = {"topic": "jycy", "published_from": TODAY.isoformat(), "limit": 100}
    before = http.get("/api/v1/articles", params=topic_today).json()["items"]  # cached from now on
    assert search_ids(http, "鲟鳇鱼") == []
    created = send(http, "POST", "/articles", people["rst"], draft(), key="publish-1")
    assert created.status_code == 201, created.text
    article = created.json()
    assert article["department"]["code"] == "rst"
    assert article["published_on"] == TODAY.isoformat() and article["validity"] == "valid"
    assert article["summary"].startswith("第一章 总则")
    again = send(http, "POST", "/articles", people["rst"], draft(), key="publish-1")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == article["id"]
    after = http.get("/api/v1/articles", params=topic_today).json()["items"]
    assert [item["id"] for item in after] == [article["id"]] + [item["id"] for item in before]
    assert http.get(f"/api/v1/articles/{article['id']}").json()["title"] == "辽宁省鲟鳇鱼增殖放流补助办法"
    assert search_ids(http, "鲟鳇鱼")[0] == article["id"]
    assert search_ids(http, "辽人社发〔2026〕901号")[0] == article["id"]

    http.get(f"/api/v1/articles/{article['id']}")  # cached
    patched = send(http, "PATCH", f"/articles/{article['id']}", people["rst"], {"title": "辽宁省琥珀矿藏保护规程"})
    assert patched.status_code == 200, patched.text
    assert patched.json()["body"] == draft()["body"]
    assert http.get(f"/api/v1/articles/{article['id']}").json()["title"] == "辽宁省琥珀矿藏保护规程"
    assert search_ids(http, "琥珀矿藏")[0] == article["id"]
    assert article["id"] not in search_ids(http, "鲟鳇鱼")


def test_repeal_links_the_replacing_document_and_happens_once(
    app: FastAPI, http: TestClient, people: dict[str, dict[str, str]]
) -> None:
    old = send(http, "POST", "/articles", people["rst"], draft()).json()
    new = send(http, "POST", "/articles", people["rst"], draft(document_number="辽人社发〔2026〕902号", title="新办法"))
    new_id = new.json()["id"]
    amend = {"validity": "amended", "superseded_by_id": new_id}
    assert (
        send(http, "POST", f"/articles/{old['id']}/repeal", people["rst"], {"validity": "amended"}).status_code == 422
    )
    responses = at_once(
        app,
        [
            {"method": "POST", "url": f"/api/v1/articles/{old['id']}/repeal", "json": amend, "headers": people["rst"]}
            for _ in range(8)
        ],
    )
    assert sorted(r.status_code for r in responses) == [200] + [409] * 7
    repealed = http.get(f"/api/v1/articles/{old['id']}").json()
    assert repealed["validity"] == "amended" and repealed["superseded_by"]["id"] == new_id
    assert [ref["id"] for ref in http.get(f"/api/v1/articles/{new_id}").json()["supersedes"]] == [old["id"]]
    assert http.get("/api/v1/articles", params={"validity": "amended"}).json()["items"][0]["id"] == old["id"]


def test_officers_write_only_for_their_department_and_citizens_not_at_all(
    http: TestClient, people: dict[str, dict[str, str]]
) -> None:
    own = send(http, "POST", "/articles", people["rst"], draft()).json()
    assert send(http, "POST", "/articles", {}, draft()).status_code == 401
    for who in ("citizen", "other"):
        assert send(http, "POST", "/articles", people[who], draft()).status_code == 403
        assert send(http, "PATCH", f"/articles/{own['id']}", people[who], {"title": "改"}).status_code == 403
    denied = send(
        http, "POST", "/articles", people["rst"], draft(department="gat", document_number="辽公发〔2026〕9号")
    )
    assert (denied.status_code, denied.json()["field"]) == (403, "department")
    for path, body in (
        (f"/articles/{own['id']}", {"title": "改了"}),
        (f"/articles/{own['id']}/repeal", {"validity": "repealed"}),
    ):
        method = "PATCH" if body.get("title") else "POST"
        assert send(http, method, path, people["gat"], body).status_code == 404
    assert send(http, "PATCH", "/articles/1", people["gat"], {"title": "改了"}).status_code == 404  # an rst document
    assert http.get(f"/api/v1/articles/{own['id']}").json()["title"] == draft()["title"]
    missing = send(http, "POST", "/articles", people["admin"], draft(document_number="辽公发〔2026〕9号"))
    assert (missing.status_code, missing.json()["field"]) == (422, "department")
    by_admin = send(
        http, "POST", "/articles", people["admin"], draft(department="gat", document_number="辽公发〔2026〕9号")
    )
    assert by_admin.status_code == 201 and by_admin.json()["department"]["code"] == "gat"
    assert send(http, "PATCH", f"/articles/{own['id']}", people["admin"], {"title": "管理员改"}).status_code == 200
    assert send(http, "PATCH", f"/articles/{own['id']}", people["rst2"], {"summary": ""}).status_code == 200


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"title": "失业\udc00保险"}, 422, "title"),
        ({"body": "正文\x00"}, 422, "body"),
        ({"body": "x" * 200_001}, 422, "body"),
        ({"title": "题" * 201}, 422, "title"),
        ({"topics": ["nope"]}, 422, "topics"),
        ({"topics": []}, 422, "topics"),
        ({"topics": ["shbz"] * 6}, 422, "topics"),
        ({"kind": "memo"}, 422, "kind"),
        ({"document_number": None}, 422, "document_number"),
        ({"document_number": "辽人社发〔2026〕12号"}, 409, "document_number"),  # the corpus's article 1
        ({"written_on": "2026-12-01"}, 422, "written_on"),
        ({"written_on": "2026-02-30"}, 422, "written_on"),
        ({"interprets_id": 1}, 422, "interprets_id"),  # only an interpretation interprets
        ({"kind": "interpretation", "interprets_id": 3}, 422, "interprets_id"),  # article 3 is no policy
        ({"kind": "interpretation", "interprets_id": 2**40}, 422, "interprets_id"),
        ({"department": "nope"}, 403, "department"),
        ({"author": "x"}, 422, "author"),
    ],
)
def test_hostile_or_wrong_input_is_refused_with_its_field(
    http: TestClient, people: dict[str, dict[str, str]], change: dict[str, Any], status: int, field: str | None
) -> None:
    response = send(http, "POST", "/articles", people["rst"], draft(**change))
    assert response.status_code == status, response.text
    assert response.json()["field"] == field, response.text


def test_hostile_requests_on_existing_documents_are_4xx(http: TestClient, people: dict[str, dict[str, str]]) -> None:
    own = send(http, "POST", "/articles", people["rst"], draft()).json()["id"]
    officer = people["rst"]
    cases = [
        ("PATCH", f"/articles/{2**31}", {"title": "x"}, 422),
        ("PATCH", "/articles/999999", {"title": "改了"}, 404),
        ("PATCH", f"/articles/{own}", {"document_number": "辽人社发〔2026〕12号"}, 409),
        ("PATCH", f"/articles/{own}", {"document_number": None}, 422),
        ("PATCH", f"/articles/{own}", {"topics": ["shbz", "\ud800"]}, 422),
        ("PATCH", f"/articles/{own}", {"kind": "news"}, 422),
        ("POST", f"/articles/{own}/repeal", {"validity": "valid"}, 422),
        ("POST", f"/articles/{own}/repeal", {"validity": "repealed", "superseded_by_id": own}, 422),
        ("POST", f"/articles/{own}/repeal", {"validity": "repealed", "superseded_by_id": 999999}, 422),
        ("POST", f"/articles/{own}/repeal", {"validity": "amended", "superseded_by_id": 6}, 422),  # 6 is repealed
    ]
    for method, path, body, status in cases:
        response = send(http, method, path, officer, body)
        assert response.status_code == status, (path, body, response.text)
    raw = http.post("/api/v1/articles", content=b'{"kind": "policy", "title": ', headers=officer)
    assert raw.status_code == 422
    huge = http.post(
        "/api/v1/articles", content=b"x" * (2 * 2**20), headers={**officer, "Content-Type": "application/json"}
    )
    assert huge.status_code == 413
    assert send(http, "POST", f"/articles/{own}/repeal", officer, {"validity": "repealed"}).status_code == 200
    assert send(http, "POST", f"/articles/{own}/repeal", officer, {"validity": "repealed"}).status_code == 409


def test_many_publications_at_once(app: FastAPI, http: TestClient, people: dict[str, dict[str, str]]) -> None:
    distinct = [
        {
            "method": "POST",
            "url": "/api/v1/articles",
            "json": draft(document_number=f"辽人社发〔2026〕{950 + n}号", title=f"第{n}号办法"),
            "headers": {**people["rst"], "Idempotency-Key": f"many-{n}"},
        }
        for n in range(12)
    ]
    one_number = [
        {"method": "POST", "url": "/api/v1/articles", "json": draft(title=f"同号{n}"), "headers": people["gat"]}
        for n in range(6)
    ]
    one_number = [{**r, "json": {**r["json"], "document_number": "辽公发〔2026〕77号"}} for r in one_number]
    one_key = [
        {
            "method": "POST",
            "url": "/api/v1/articles",
            "json": draft(document_number="辽人社发〔2026〕990号"),
            "headers": {**people["rst"], "Idempotency-Key": "same"},
        }
        for _ in range(6)
    ]
    responses = at_once(app, distinct + one_number + one_key)
    assert all(r.status_code == 201 for r in responses[:12]), [r.text for r in responses[:12]]
    assert len({r.json()["id"] for r in responses[:12]}) == 12
    assert sorted(r.status_code for r in responses[12:18]) == [201] + [409] * 5
    assert {r.status_code for r in responses[18:]} <= {201, 409}
    assert len({r.json()["id"] for r in responses[18:] if r.status_code == 201}) == 1
    listed = http.get("/api/v1/articles", params={"published_from": TODAY.isoformat(), "limit": 100}).json()["items"]
    assert len(listed) == 12 + 1 + 1
    for n in range(12):
        assert search_ids(http, f"第{n}号办法")


def test_published_today_is_china_date(app: FastAPI, http: TestClient, people: dict[str, dict[str, str]]) -> None:
    late_evening_utc = dt.datetime(2026, 11, 20, 17, tzinfo=dt.UTC)  # 01:00 on the 21st in China
    app.dependency_overrides[current_time] = lambda: late_evening_utc
    created = send(http, "POST", "/articles", people["rst"], draft()).json()
    assert created["published_on"] == china_date(late_evening_utc).isoformat() == "2026-11-21"


def test_many_edits_of_one_document_at_once_leave_one_search_entry(
    app: FastAPI, http: TestClient, people: dict[str, dict[str, str]], settings: Settings
) -> None:
    own = send(http, "POST", "/articles", people["rst"], draft()).json()["id"]
    titles = [f"辽宁省琥珀矿藏保护规程第{n}稿" for n in range(10)]
    responses = at_once(
        app,
        [
            {"method": "PATCH", "url": f"/api/v1/articles/{own}", "json": {"title": title}, "headers": people["rst"]}
            for title in titles
        ],
    )
    assert {r.status_code for r in responses} == {200}
    final = http.get(f"/api/v1/articles/{own}").json()["title"]
    assert final in titles
    engine = make_engine(settings.database_url)
    with engine.connect() as db:
        entries = db.execute(select(SearchDocument.title).where(SearchDocument.ref_id == own)).scalars().all()
    engine.dispose()
    assert entries == [final]
    assert search_ids(http, "琥珀矿藏")[0] == own


def test_the_department_list_holds_its_repealed_documents_for_the_publish_screen(
    http: TestClient, people: dict[str, dict[str, str]]
) -> None:
    """The app's 发布 list is `GET /articles?department=` with no validity filter: every validity, one department."""
    old = send(http, "POST", "/articles", people["rst"], draft()).json()
    new = send(http, "POST", "/articles", people["rst"], draft(document_number="辽人社发〔2026〕902号", title="新办法"))
    gone = send(
        http, "POST", "/articles", people["rst"], draft(document_number="辽人社发〔2026〕903号", title="旧通知")
    )
    amend = {"validity": "amended", "superseded_by_id": new.json()["id"]}
    assert send(http, "POST", f"/articles/{old['id']}/repeal", people["rst"], amend).status_code == 200
    repeal = {"validity": "repealed"}
    assert send(http, "POST", f"/articles/{gone.json()['id']}/repeal", people["rst"], repeal).status_code == 200
    listed = http.get("/api/v1/articles", params={"department": "rst", "limit": 100}).json()["items"]
    validity = {item["id"]: item["validity"] for item in listed}
    assert validity[old["id"]] == "amended" and validity[gone.json()["id"]] == "repealed"
    assert validity[new.json()["id"]] == "valid"
    assert {item["department"]["code"] for item in listed} == {"rst"}
