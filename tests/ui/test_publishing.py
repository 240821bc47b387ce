"""发布 in the officer's workbench: the department's documents, the editor with its live preview, publishing once
with the draft's key, editing and repealing; what the citizen's article API returns afterwards is the proof."""

import json
from collections.abc import AsyncIterator
from pathlib import Path

import flet as ft
import pytest

from api_client import AsyncClient, ops
from api_client.models import ArticleFilters, ArticleSummary
from app.drafts import PREFIX
from app.publishing.editing import draft_key_of
from server.config import Settings
from tests.server.application_world import make_people
from tests.ui.conftest import AppFactory, Network
from tests.ui.harness import FletHarness
from tests.ui.test_shell import group_name

RST_OFFICER = "13900000002"
NEW_DRAFT = PREFIX + draft_key_of(None)
BODY = "## 第一条 适用范围\n\n本通知适用于**全省**高校毕业生。\n\n- 申请材料一\n- 申请材料二"


@pytest.fixture
def network() -> Network:
    return Network(lossy_path="/api/v1/articles")


@pytest.fixture
def people(tmp_path: Path, ui: AppFactory) -> dict[str, dict[str, str]]:
    return make_people(Settings.resolve(data_dir=tmp_path))


@pytest.fixture
async def reader(network: Network, people: dict[str, dict[str, str]]) -> AsyncIterator[AsyncClient]:
    """A citizen's view of 政务公开: the public article API, no account."""
    assert network.inner is not None
    async with AsyncClient("http://testserver", transport=network.inner) as client:
        yield client


async def documents_of(reader: AsyncClient, department: str) -> list[ArticleSummary]:
    return (await reader.send(ops.articles.list_articles(ArticleFilters(department=department), limit=100))).items


async def log_in(h: FletHarness, phone: str) -> None:
    await h.route("/me/login")
    await h.type(h.get(type=ft.TextField, label="手机号"), phone)
    await h.type(h.get(type=ft.TextField, label="密码"), "Demo12345")
    await h.click(h.get(type=ft.FilledButton, text="登录"))
    assert h.page.route == "/me", h.texts()


def by_id(h: FletHarness, identifier: str) -> ft.Control:
    semantics = h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == identifier)
    assert isinstance(semantics, ft.Semantics) and semantics.content is not None
    return semantics.content


def field(h: FletHarness, label: str) -> ft.TextField:
    found = h.get(lambda c: isinstance(c, ft.TextField) and c.label == label)
    assert isinstance(found, ft.TextField)
    return found


def preview(h: FletHarness) -> ft.Markdown:
    found = h.get(type=ft.Markdown)
    assert isinstance(found, ft.Markdown)
    return found


async def tick(h: FletHarness, label: str) -> None:
    box = h.get(type=ft.Checkbox, label=label)
    await h.fire(box, "change", None, props={"value": not box.value})


async def fill_notice(h: FletHarness, title: str) -> None:
    await h.select(h.get(lambda c: isinstance(c, ft.Dropdown) and c.label == "文件类型"), "notice")
    await h.type(field(h, "标题"), title)
    await tick(h, "就业创业")
    await h.type(field(h, "正文（Markdown）"), BODY)


async def test_a_citizen_sees_no_publish_entry_and_no_editor(ui: AppFactory, people: dict[str, dict[str, str]]) -> None:
    async with ui() as h:
        await log_in(h, "13800138000")
        await h.route("/")
        assert not h.find(lambda c: isinstance(c, ft.Semantics) and c.identifier == "workbench-publish")
        for route in ("/workbench/publish", "/workbench/publish/new", "/workbench/publish/1"):
            await h.route(route)
            assert "工作台仅供工作人员使用" in h.texts()
            assert not h.find(type=ft.Markdown)


async def test_the_preview_follows_the_text_and_the_draft_is_kept_as_typed(
    ui: AppFactory, people: dict[str, dict[str, str]]
) -> None:
    async with ui(width=1280, height=800) as h:
        await log_in(h, RST_OFFICER)
        await h.route("/")
        await h.click(by_id(h, "workbench-publish"))
        assert h.page.route == "/workbench/publish"
        await h.click(by_id(h, "publish-new"))
        assert h.page.route == "/workbench/publish/new"
        assert not h.find(type=ft.Tabs), "side by side on a desktop"
        await fill_notice(h, "关于开展高校毕业生就业见习的通知")
        assert preview(h).value == BODY
        assert h.get(text="关于开展高校毕业生就业见习的通知", type=ft.Text)
        kept = json.loads(h.prefs[NEW_DRAFT])
        assert kept["body"] == BODY and kept["topics"] == ["jycy"] and kept["kind"] == "notice"
        prefs, secure = dict(h.prefs), dict(h.secure_storage)

    restarted = ui(prefs=prefs)  # a phone, after the app was closed
    restarted.secure_storage = secure
    async with restarted as h:
        await h.route("/workbench/publish/new")
        assert field(h, "标题").value == "关于开展高校毕业生就业见习的通知"
        assert field(h, "正文（Markdown）").value == BODY
        tabs = h.get(type=ft.TabBar)
        assert [tab.label for tab in tabs.tabs] == ["编辑", "预览"], "编辑/预览 tabs on a 360 px phone"
        assert preview(h).value == BODY
        assert "已恢复上次未提交的内容" in h.texts()
        await h.click(h.get(type=ft.TextButton, text="放弃"))
        assert NEW_DRAFT not in h.prefs
        assert field(h, "标题").value == "" and preview(h).value == ""
        assert "已恢复上次未提交的内容" not in h.texts()


async def test_an_interpretation_names_the_policy_it_explains(
    ui: AppFactory, people: dict[str, dict[str, str]], reader: AsyncClient
) -> None:
    policy = next(a for a in await documents_of(reader, "rst") if a.kind == "policy" and a.validity == "valid")
    async with ui(width=1280, height=800) as h:
        await log_in(h, RST_OFFICER)
        await h.route("/workbench/publish/new")
        assert not h.find(type=ft.Dropdown, label="解读的政策文件"), "only an interpretation names a policy"
        await h.select(h.get(lambda c: isinstance(c, ft.Dropdown) and c.label == "文件类型"), "interpretation")
        named = h.get(lambda c: isinstance(c, ft.Semantics) and c.identifier == "publish-kind")
        assert isinstance(named, ft.Semantics) and named.value == "政策解读", "a screen reader hears the choice"
        interprets = h.get(type=ft.Dropdown, label="解读的政策文件")
        assert isinstance(interprets, ft.Dropdown)
        await h.type(field(h, "标题"), "一图读懂" + policy.title)
        await tick(h, "社会保障")
        await h.type(field(h, "正文（Markdown）"), BODY)
        await h.click(h.get(type=ft.FilledButton, text="发布"))
        assert interprets.error_text == "此项为必填项"
        await h.select(interprets, str(policy.id))
        await h.click(h.get(type=ft.FilledButton, text="发布"))
        article_id = int(h.page.route.partition("?")[0].rsplit("/", 1)[1])

    explained = await reader.send(ops.articles.get_article(article_id))
    assert explained.kind == "interpretation" and explained.interprets is not None
    assert explained.interprets.id == policy.id


async def test_the_preview_renders_like_the_reader_and_follows_no_link(
    ui: AppFactory, people: dict[str, dict[str, str]], reader: AsyncClient
) -> None:
    hostile = "[点我](javascript:alert(1)) <script>alert(1)</script> <img src=x onerror=alert(1)>"
    async with ui() as h:
        await log_in(h, RST_OFFICER)
        await h.route("/workbench/publish/new")
        await h.type(field(h, "正文（Markdown）"), hostile)
        shown = preview(h)
        assert shown.value == hostile, "shown as the text it is"
        assert shown.auto_follow_links is False and shown.on_tap_link is None
        article = (await documents_of(reader, "rst"))[0]
        await h.route(f"/disclosure/article/{article.id}")
        body = preview(h)
        assert body.extension_set == shown.extension_set and body.md_style_sheet == shown.md_style_sheet
        assert body.auto_follow_links is False and body.on_tap_link is None


async def test_metadata_errors_are_shown_under_their_fields_in_chinese(
    ui: AppFactory, people: dict[str, dict[str, str]], network: Network
) -> None:
    async with ui(width=1280, height=800) as h:
        await log_in(h, RST_OFFICER)
        await h.route("/workbench/publish/new")
        await h.type(field(h, "成文日期（可不填）"), "2026-13-40")
        await h.click(h.get(type=ft.FilledButton, text="发布"))
        assert field(h, "标题").error == "此项为必填项"
        assert field(h, "文号（政策文件必填）").error == "此项为必填项", "a policy document needs its 文号"
        assert field(h, "成文日期（可不填）").error == "请按 年-月-日 填写日期，如 2025-10-01"
        assert field(h, "正文（Markdown）").error == "此项为必填项"
        assert "请选择 1 到 5 个主题" in h.texts()
        await h.type(field(h, "标题"), "税")
        assert field(h, "标题").error == "标题应为 2 到 200 个字", "checked again as it is corrected"
        await h.type(field(h, "成文日期（可不填）"), "2099-01-01")
        assert field(h, "成文日期（可不填）").error == "成文日期应在 1949-10-01 至今天之间"
        assert network.keys_sent("/api/v1/articles") == [], "nothing is sent while a field is wrong"

        # The server's own refusal lands under its field: a 文号 another document holds.
        taken = next(a for a in await documents_of_app(network) if a.document_number)
        await h.type(field(h, "标题"), "关于调整失业保险金标准的通知")
        await h.type(field(h, "文号（政策文件必填）"), taken.document_number or "")
        await h.type(field(h, "成文日期（可不填）"), "")
        await tick(h, "社会保障")
        await h.type(field(h, "正文（Markdown）"), BODY)
        await h.click(h.get(type=ft.FilledButton, text="发布"))
        assert field(h, "文号（政策文件必填）").error == "该文号已被其他文件使用"
        assert h.page.route == "/workbench/publish/new"


async def documents_of_app(network: Network) -> list[ArticleSummary]:
    assert network.inner is not None
    async with AsyncClient("http://testserver", transport=network.inner) as client:
        return (await client.send(ops.articles.list_articles(ArticleFilters(kind="policy"), limit=100))).items


async def test_publishing_once_after_a_lost_answer_makes_one_document_citizens_read(
    ui: AppFactory, people: dict[str, dict[str, str]], network: Network, reader: AsyncClient
) -> None:
    title = "关于开展高校毕业生就业见习的通知"
    async with ui(width=1280, height=800) as h:
        await log_in(h, RST_OFFICER)
        await h.route("/workbench/publish/new")
        await fill_notice(h, title)
        network.lose_answers = 100  # published, but the app never hears so, however often it asks
        await h.click(h.get(type=ft.FilledButton, text="发布"))
        assert h.page.route == "/workbench/publish/new"
        assert NEW_DRAFT in h.prefs, "the draft and its key stay for the retry"
        network.lose_answers = 0
        await h.click(h.get(type=ft.FilledButton, text="发布"))
        assert len(network.keys_sent("/api/v1/articles")) >= 2 and len(set(network.keys_sent("/api/v1/articles"))) == 1
        assert NEW_DRAFT not in h.prefs
        route, _, query = h.page.route.partition("?")
        assert route.startswith("/workbench/publish/") and query == "published=1"
        article_id = int(route.rsplit("/", 1)[1])
        notice = by_id(h, "published-notice")
        assert notice is not None and any("政务公开" in t and "通知公告" in t for t in h.texts())
        await h.click(h.get(type=ft.TextButton, text="以市民视角查看"))
        assert h.page.route == f"/disclosure/article/{article_id}"

    published = await reader.send(ops.articles.get_article(article_id))
    assert published.title == title and published.body == BODY and published.department.code == "rst"
    assert published.kind == "notice" and published.topics == ["jycy"] and published.validity == "valid"
    assert [a.id for a in await documents_of(reader, "rst") if a.title == title] == [article_id]


async def test_editing_changes_the_document(
    ui: AppFactory, people: dict[str, dict[str, str]], reader: AsyncClient
) -> None:
    article = next(a for a in await documents_of(reader, "rst") if a.validity == "valid")
    async with ui(width=1280, height=800) as h:
        await log_in(h, RST_OFFICER)
        await h.route("/workbench/publish")
        await h.click(_tile(h, article.title))
        assert h.page.route == f"/workbench/publish/{article.id}"
        assert field(h, "标题").value == article.title
        assert h.get(lambda c: isinstance(c, ft.Dropdown) and c.label == "文件类型").disabled
        await h.type(field(h, "标题"), article.title + "（修订稿）")
        await h.type(field(h, "正文（Markdown）"), BODY)
        assert preview(h).value == BODY
        await h.click(h.get(type=ft.FilledButton, text="保存修改"))
        assert "修改已保存" in h.texts()
        assert field(h, "标题").value == article.title + "（修订稿）"
        assert PREFIX + draft_key_of(article.id) not in h.prefs

    edited = await reader.send(ops.articles.get_article(article.id))
    assert edited.title == article.title + "（修订稿）" and edited.body == BODY
    assert edited.document_number == article.document_number and edited.topics == article.topics


def _tile(h: FletHarness, title: str) -> ft.Control:
    text = h.get(lambda c: isinstance(c, ft.Text) and c.value == title)
    return next(c for c in h.walk() if isinstance(c, ft.ListTile) and c.title is text)


async def test_repeal_marks_the_document_amended_by_the_one_chosen(
    ui: AppFactory, people: dict[str, dict[str, str]], reader: AsyncClient
) -> None:
    in_force = [a for a in await documents_of(reader, "rst") if a.validity == "valid"]
    old, new = in_force[1], in_force[0]
    async with ui() as h:
        await log_in(h, RST_OFFICER)
        await h.route(f"/workbench/publish/{old.id}")
        await h.click(by_id(h, "repeal-open"))
        assert group_name(h.get(type=ft.RadioGroup)) == "新的效力状态"
        await h.select(h.get(type=ft.RadioGroup), "amended")
        await h.click(by_id(h, "repeal-confirm"))
        assert h.get(type=ft.Dropdown, label="替代它的文件").error_text == "请选择替代它的文件"
        replacement = h.get(type=ft.Dropdown, label="替代它的文件")
        assert isinstance(replacement, ft.Dropdown)
        assert str(old.id) not in {o.key for o in replacement.options}, "never replaced by itself"
        await h.select(replacement, str(new.id))
        await h.click(by_id(h, "repeal-confirm"))
        assert "效力状态已变更" in h.texts()
        assert "已修订" in h.texts()
        assert not h.find(lambda c: isinstance(c, ft.Semantics) and c.identifier == "repeal-open")

    repealed = await reader.send(ops.articles.get_article(old.id))
    assert repealed.validity == "amended"
    assert repealed.superseded_by is not None and repealed.superseded_by.id == new.id


async def test_repeal_without_replacement_and_repealed_documents_stay_listed(
    ui: AppFactory, people: dict[str, dict[str, str]], reader: AsyncClient
) -> None:
    article = next(a for a in await documents_of(reader, "rst") if a.validity == "valid")
    async with ui() as h:
        await log_in(h, RST_OFFICER)
        await h.route(f"/workbench/publish/{article.id}")
        await h.click(by_id(h, "repeal-open"))
        await h.click(by_id(h, "repeal-confirm"))
        await h.route("/workbench/publish")
        tile = _tile(h, article.title)
        assert isinstance(tile, ft.ListTile) and isinstance(tile.trailing, ft.Container)
        assert isinstance(tile.trailing.content, ft.Text) and tile.trailing.content.value == "已废止"
    assert (await reader.send(ops.articles.get_article(article.id))).validity == "repealed"


async def test_an_officer_sees_only_their_departments_documents(
    ui: AppFactory, people: dict[str, dict[str, str]], reader: AsyncClient
) -> None:
    own = {a.title for a in await documents_of(reader, "rst")}
    everyone = (await reader.send(ops.articles.list_articles(limit=100))).items
    others = [a for a in everyone if a.department.code != "rst" and a.title not in own]
    assert own and others, "the seed gives several departments documents"
    async with ui(width=1280, height=800) as h:
        await log_in(h, RST_OFFICER)
        await h.route("/workbench/publish")
        shown = [c.title.value for c in h.walk() if isinstance(c, ft.ListTile) and isinstance(c.title, ft.Text)]
        assert shown and set(shown) <= own
        assert not {a.title for a in others} & set(shown)
        await h.route(f"/workbench/publish/{others[0].id}")
        assert "页面不存在" in h.texts()
        assert not h.find(type=ft.Markdown) and not h.find(type=ft.FilledButton, text="保存修改")
