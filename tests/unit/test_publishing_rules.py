"""The 发布 editor's logic apart from its controls: the article rules, the bodies it sends, its draft and debounce."""

import asyncio
import datetime as dt

import pytest
from pydantic import ValidationError

from api_client.forms import article_problems
from api_client.messages import MESSAGES
from api_client.models import ArticleCreate, ArticleDetail, ArticleUpdate, Department
from app.publishing.editing import ArticleDraft, Debouncer, draft_key_of, replacement_choices

TODAY = dt.date(2026, 3, 1)
TOPICS = ["shbz", "jycy"]
VALID = {"kind": "notice", "title": "关于开展就业见习的通知", "body": "正文", "written_on": "", "summary": ""}


def published(**changes: object) -> ArticleDetail:
    article = {
        "id": 7,
        "kind": "policy",
        "title": "辽宁省失业保险金标准",
        "summary": "摘要",
        "department": Department(code="rst", name="辽宁省人力资源和社会保障厅", short_name="人社厅", phone="12333"),
        "document_number": "辽人社发〔2026〕1号",
        "written_on": dt.date(2026, 1, 5),
        "published_on": dt.date(2026, 1, 6),
        "validity": "valid",
        "topics": ["shbz"],
        "body": "# 正文",
        "attachments": [],
        "supersedes": [],
        "interpretations": [],
    }
    return ArticleDetail.model_validate({**article, **changes})


def test_valid_metadata_has_no_problems_and_every_code_has_a_message() -> None:
    assert article_problems(VALID, ["shbz"], TODAY, TOPICS) == {}
    codes = {"article_title_length", "document_number_length", "article_topics_count", "written_on_out_of_range"}
    assert codes <= MESSAGES.keys()


@pytest.mark.parametrize(
    ("changes", "topics", "problems"),
    [
        ({"title": ""}, ["shbz"], {"title": "field_required"}),
        ({"title": "税"}, ["shbz"], {"title": "article_title_length"}),
        ({"title": "标" * 201}, ["shbz"], {"title": "article_title_length"}),
        ({"title": "标题\u202e反转"}, ["shbz"], {"title": "text_invalid"}),
        ({"title": "孤\ud800代理"}, ["shbz"], {"title": "text_invalid"}),
        ({"kind": "policy"}, ["shbz"], {"document_number": "field_required"}),
        ({"document_number": "号"}, ["shbz"], {"document_number": "document_number_length"}),
        ({"written_on": "2026-02-30"}, ["shbz"], {"written_on": "date_invalid"}),
        ({"written_on": "20260101"}, ["shbz"], {"written_on": "date_invalid"}),
        ({"written_on": "2026-03-02"}, ["shbz"], {"written_on": "written_on_out_of_range"}),
        ({"written_on": "1949-09-30"}, ["shbz"], {"written_on": "written_on_out_of_range"}),
        ({"summary": "摘" * 501}, ["shbz"], {"summary": "value_too_long"}),
        ({"body": "  \n"}, ["shbz"], {"body": "field_required"}),
        ({"body": "正" * 200_001}, ["shbz"], {"body": "value_too_long"}),
        ({"body": "正文\x00"}, ["shbz"], {"body": "text_invalid"}),
        ({}, [], {"topics": "article_topics_count"}),
        ({}, ["nope"], {"topics": "article_topics_count"}),
        ({}, ["shbz", "jycy"] * 3, {"topics": "article_topics_count"}),  # the API takes at most five
    ],
)
def test_each_rule_names_its_field(changes: dict[str, str], topics: list[str], problems: dict[str, str]) -> None:
    assert article_problems({**VALID, **changes}, topics, TODAY, TOPICS) == problems


def test_what_the_rules_accept_the_api_model_accepts() -> None:
    draft = ArticleDraft(
        kind="policy", title=" 标题 ", document_number="辽人社发〔2026〕2号", body="正文", topics=["shbz"]
    )
    draft.written_on = "2026-01-05"
    assert draft.problems(TODAY, TOPICS) == {}
    body = draft.create_body()
    assert body == ArticleCreate(
        kind="policy",
        title="标题",
        summary="",
        body="正文",
        document_number="辽人社发〔2026〕2号",
        written_on=dt.date(2026, 1, 5),
        topics=["shbz"],
    )
    assert draft.draft_key == draft_key_of(None) == "publish/new"


def test_an_interpretation_names_its_policy() -> None:
    draft = ArticleDraft(kind="interpretation", title="解读标题", body="正文", topics=["shbz"])
    assert draft.problems(TODAY, TOPICS) == {"interprets_id": "field_required"}
    draft.interprets_id = 7
    assert draft.create_body().interprets_id == 7
    draft.kind = "notice"
    assert draft.create_body().interprets_id is None, "only an interpretation interprets"


def test_an_edit_sends_only_what_changed() -> None:
    original = published()
    draft = ArticleDraft.of(original)
    assert draft.draft_key == "publish/7"
    assert draft.update_body(original) == ArticleUpdate()
    draft.take({"title": "辽宁省失业保险金标准（修订） ", "written_on": "", "body": "# 正文"})
    draft.topics = ["shbz", "jycy"]
    update = draft.update_body(original)
    assert update.model_dump(exclude_unset=True) == {
        "title": "辽宁省失业保险金标准（修订）",
        "written_on": None,
        "topics": ["shbz", "jycy"],
    }


def test_a_retry_keeps_the_key_and_a_changed_body_gets_a_new_one() -> None:
    draft = ArticleDraft(kind="notice", title="标题", body="正文", topics=["shbz"])
    first = draft.key_for(draft.create_body())
    assert draft.key_for(draft.create_body()) == first
    restored = ArticleDraft.model_validate_json(draft.model_dump_json())
    assert restored.key_for(restored.create_body()) == first, "kept with the draft across a restart"
    restored.body = "改过的正文"
    assert restored.key_for(restored.create_body()) != first


def test_a_document_is_never_its_own_replacement() -> None:
    assert replacement_choices([(1, "甲"), (2, "乙"), (3, "丙")], 2) == [(1, "甲"), (3, "丙")]


def test_the_model_refuses_what_slips_past_the_rules() -> None:
    with pytest.raises(ValidationError):
        ArticleDraft(kind="notice", title="标题", body="正文", topics=[]).create_body()


async def test_debouncer_runs_once_after_the_pause_and_flush_runs_at_once() -> None:
    runs: list[int] = []

    async def action() -> None:
        runs.append(len(runs))

    debounced = Debouncer(0.05, action)
    for _ in range(10):
        debounced.poke()
        await asyncio.sleep(0.005)
    assert runs == []
    await asyncio.sleep(0.1)
    assert runs == [0]
    debounced.poke()
    await debounced.flush()
    assert runs == [0, 1]
    await asyncio.sleep(0.1)
    assert runs == [0, 1], "flushed work is not done again"
    await debounced.flush()
    assert runs == [0, 1], "nothing due, nothing run"
