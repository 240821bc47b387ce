"""The appeal form's pure rules: the wire model's limits as message codes, the draft as the body, the search
query typed text makes, where results open, and the credentials as text and QR code."""

import io

import pytest
from PIL import Image

from api_client.messages import message_for
from api_client.models import AppealCreate, FastChannelCredentials, SearchResult
from app.appeals.composing import (
    ATTACHMENTS,
    CONTENT_LIMIT,
    TITLE_LIMIT,
    TYPE_SLUGS,
    appeal_body,
    appeal_problems,
    counter_text,
    credentials_text,
    draft_key,
    new_route,
    qr_png,
    result_route,
    suggestion_query,
)
from app.service_items.drafts import Draft
from app.widgets.attachments import UploadedFile, rejection

VALID = {"category": "社保", "title": "社保转移咨询", "content": "请问跨省社保转移怎么办理？谢谢。"}


def test_every_type_has_a_slug_route_and_draft() -> None:
    assert list(TYPE_SLUGS.values()) == ["咨询", "投诉", "建议", "举报", "评议"]
    assert new_route("咨询") == "/interaction/new/consultation"
    assert draft_key("评议") == "appeal.evaluation"


def test_a_valid_appeal_has_no_problems_and_its_body_is_the_draft() -> None:
    assert appeal_problems("咨询", VALID, []) == {}
    draft = Draft(item_code=draft_key("咨询"), form={**VALID, "location": " 沈阳市和平区 ", "public": "false"})
    draft.materials[ATTACHMENTS] = [UploadedFile(id="a" * 32, filename="x.png", format="png", size=9)]
    body = appeal_body("咨询", draft)
    assert body == AppealCreate(
        type="咨询",
        category="社保",
        title="社保转移咨询",
        content="请问跨省社保转移怎么办理？谢谢。",
        attachments=["a" * 32],
        location={"address": "沈阳市和平区"},  # type: ignore[arg-type]
        public=False,
    )
    assert body.department == "不确定", "no department chosen: the category routes it"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"category": "", "title": " ", "content": ""},
            {"category": "field_required", "title": "field_required", "content": "field_required"},
        ),
        ({"title": "工资"}, {"title": "appeal_title_length"}),
        ({"title": "欠" * (TITLE_LIMIT + 1)}, {"title": "appeal_title_length"}),
        ({"content": "太短了"}, {"content": "appeal_content_length"}),
        ({"content": "字" * (CONTENT_LIMIT + 1)}, {"content": "appeal_content_length"}),
        ({"content": "字" * CONTENT_LIMIT}, {}),
        ({"title": "标题\x00控制字符"}, {"title": "text_invalid"}),
        ({"contact_phone": "12345"}, {"contact_phone": "phone_invalid"}),
        ({"location": "路" * 201}, {"location": "address_too_long"}),
        ({"category": "不存在的类别"}, {"category": "value_invalid"}),
        ({"title": "<script>alert(1)</script>拖欠工资"}, {}),
    ],
)
def test_problems_use_the_wire_models_rules(changes: dict[str, str], expected: dict[str, str]) -> None:
    assert appeal_problems("投诉", {**VALID, **changes}, []) == expected


def test_the_length_messages_say_the_limits() -> None:
    assert message_for("appeal_title_length", "zh") == f"标题请填写 4 到 {TITLE_LIMIT} 个字"
    assert message_for("appeal_content_length", "zh") == f"内容请填写 10 到 {CONTENT_LIMIT} 个字"
    assert counter_text(" 你好 ") == f"2/{CONTENT_LIMIT}"


def test_suggestion_query_needs_two_characters_and_fits_the_search_limit() -> None:
    assert suggestion_query("", " ") is None
    assert suggestion_query("失", "") is None
    assert suggestion_query("失业金怎么领", "") == "失业金怎么领"
    assert suggestion_query("标题", "第一行\n第二行") == "标题 第一行 第二行"
    assert len(suggestion_query("题" * 80, "容" * 80) or "") == 100


def test_results_open_in_their_own_screens() -> None:
    def result(scope: str, code: str | None, id_: int = 7) -> SearchResult:
        return SearchResult.model_validate(
            {
                "scope": scope,
                "id": id_,
                "title": "t",
                "snippet": "s",
                "code": code,
                "published_on": "2026-01-01",
                "score": 1,
            }
        )

    assert result_route(result("service", "11210000MB0123456X")) == "/services/item/11210000MB0123456X"
    assert result_route(result("appeal", "S202601010000000001")) == "/interaction/mailbox/S202601010000000001"
    assert result_route(result("article", None)) == "/disclosure/article/7"


def test_credentials_text_and_qr_code() -> None:
    credentials = FastChannelCredentials(username="ks0123456789", password="ABCDEFGHJKLMNPQR")
    text = credentials_text("S202601010000000001", credentials)
    assert "ks0123456789" in text and "ABCDEFGHJKLMNPQR" in text and "S202601010000000001" in text
    png = qr_png(text)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] == image.size[1] >= 150


def test_files_are_refused_before_upload_by_size_and_content() -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(10)
    assert rejection("a.png", len(png), png, ["png"]) is None
    assert rejection("a.png", len(png), png, ["pdf"]) == ("apply.wrong_format", {"name": "a.png", "formats": "pdf"})
    assert rejection("a.pdf", 11 * 1024 * 1024, b"%PDF-", ["pdf"]) == ("apply.too_large", {"name": "a.pdf"})
    assert rejection("fake.png", 5, b"<svg>", ["png", "jpeg"])[0] == "apply.wrong_format"  # type: ignore[index]
