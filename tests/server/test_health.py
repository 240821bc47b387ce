from fastapi.testclient import TestClient

from server.config import Settings


def test_health_reports_version_and_database(http: TestClient, settings: Settings) -> None:
    response = http.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == settings.dialect
    assert response.headers["x-request-id"]


def test_unknown_path_is_json_404_in_chinese_and_english(http: TestClient) -> None:
    zh = http.get("/api/v1/nope")
    en = http.get("/api/v1/nope", headers={"Accept-Language": "en-GB,en"})
    assert zh.status_code == en.status_code == 404
    assert zh.json()["code"] == en.json()["code"] == "not_found"
    assert zh.json()["message"] == "内容不存在或已删除"
    assert en.json()["message"] == "Not found"


def test_departments_are_seeded_and_paged_by_cursor(http: TestClient) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        page = http.get("/api/v1/departments", params={"limit": 15, "cursor": cursor}).json()
        seen += [d["code"] for d in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 40
    assert "gat" in seen and "rst" in seen
    assert http.get("/api/v1/departments/gat").json()["short_name"] == "公安厅"
    assert http.get("/api/v1/departments/nope").status_code == 404


def test_bad_cursor_is_a_clear_422(http: TestClient) -> None:
    response = http.get("/api/v1/departments", params={"cursor": "!!not-a-cursor"})
    assert response.status_code == 422
    assert response.json()["code"] == "cursor_invalid"
