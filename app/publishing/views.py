"""发布 screens: the department's documents with their validity, and the editor (metadata form, Markdown with a
live preview, repeal). The editor's state and checks live in `app.publishing.editing`."""

from collections.abc import Sequence
from typing import Any

import flet as ft

from api_client import APIStatusError
from api_client.models import ArticleDetail, ArticleSummary, Page, Topic
from app.articles.widgets import article_markdown, article_meta
from app.context import AppContext
from app.device_cache import Reading
from app.drafts import DraftStore
from app.publishing.editing import (
    PREVIEW_DELAY,
    ArticleDraft,
    Debouncer,
    china_today,
    draft_key_of,
    replacement_choices,
)
from app.publishing.service import PublishingService
from app.shell.links import share_link
from app.shell.not_found import not_found_screen
from app.shell.routes import is_compact
from app.shell.screen import Screen
from app.widgets.choices import choice_group, name_choice, named_dropdown
from app.widgets.forms import Form, messages
from app.widgets.paged_list import PagedList
from app.widgets.states import AsyncSection, section_title, update_if_shown
from app.workbench.views import is_officer

KINDS = ("policy", "notice", "news", "interpretation")
CHOSEN_FIELDS = ("kind", "topics", "interprets_id")
"""Fields chosen rather than typed, whose errors the editor shows itself."""
VALIDITY_COLORS = {"valid": ft.Colors.PRIMARY, "amended": ft.Colors.TERTIARY, "repealed": ft.Colors.ERROR}
LIST_ROUTE = "/workbench/publish"
TOPIC_WIDTH = 150
"""A topic's checkbox with its name: two to a phone's row, more on a wider screen."""


def _department(ctx: AppContext) -> str | None:
    """The officer's department, whose documents they publish; None for anyone else."""
    return ctx.profile.department_code if is_officer(ctx) and ctx.profile is not None else None


def _officers_only(ctx: AppContext) -> Screen:
    return Screen(ctx.t("publish.title"), ft.Column([ft.Text(ctx.t("workbench.officers_only"))]), back_route="/")


def validity_badge(ctx: AppContext, validity: str) -> ft.Control:
    color = VALIDITY_COLORS[validity]
    return ft.Container(
        ft.Text(ctx.t(f"articles.validity.{validity}"), size=12, color=color, weight=ft.FontWeight.W_600),
        border=ft.Border.all(1, color),
        border_radius=4,
        padding=ft.Padding.symmetric(horizontal=6, vertical=1),
    )


def document_tile(ctx: AppContext, article: ArticleSummary) -> ft.Control:
    meta = article_meta(ctx.t, article.kind, None, article.published_on.isoformat())
    if article.document_number:
        meta = f"{article.document_number} · {meta}"
    return ft.ListTile(
        title=ft.Text(article.title, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS, weight=ft.FontWeight.W_500),
        subtitle=ft.Text(meta, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        trailing=validity_badge(ctx, article.validity),
        on_click=lambda _: ctx.go(f"{LIST_ROUTE}/{article.id}"),
        content_padding=ft.Padding.symmetric(horizontal=4),
    )


def documents_screen(ctx: AppContext) -> Screen:
    t = ctx.t
    department = _department(ctx)
    if department is None:
        return _officers_only(ctx)
    service = PublishingService(ctx.api)

    async def load_page(cursor: str | None) -> Reading[Page[ArticleSummary]]:
        return Reading(await service.documents(department, cursor))

    new = ft.Semantics(
        identifier="publish-new",
        content=ft.FilledButton(
            t("publish.new"), icon=ft.Icons.POST_ADD, on_click=lambda _: ctx.go(f"{LIST_ROUTE}/new")
        ),
    )
    documents: PagedList[ArticleSummary] = PagedList(
        t,
        load_page,
        lambda article: document_tile(ctx, article),
        header=[ft.Row([new], wrap=True), section_title(t("publish.documents"))],
        empty_text=t("publish.none"),
    )
    return Screen(t("publish.title"), documents, loads=[documents.reload], back_route="/workbench")


class ArticleEditor:
    """The metadata form, the Markdown body and its preview, for a new document or one being edited."""

    def __init__(
        self,
        ctx: AppContext,
        service: PublishingService,
        drafts: DraftStore[ArticleDraft],
        draft: ArticleDraft,
        topics: list[Topic],
        in_force: Sequence[ArticleSummary],
        original: ArticleDetail | None,
        restored: bool,
    ) -> None:
        self.ctx, self.service, self.drafts, self.draft, self.original = ctx, service, drafts, draft, original
        self.restored = restored
        self.topics = topics
        t = ctx.t
        self.fields = {
            "title": ft.TextField(label=t("publish.field.title"), value=draft.title),
            "document_number": ft.TextField(
                label=t("publish.field.document_number"), value=draft.document_number, hint_text="辽人社发〔2026〕12号"
            ),
            "written_on": ft.TextField(
                label=t("publish.field.written_on"),
                value=draft.written_on,
                hint_text=t("publish.date_hint"),
                keyboard_type=ft.KeyboardType.DATETIME,
            ),
            "summary": ft.TextField(
                label=t("publish.field.summary"), value=draft.summary, multiline=True, min_lines=2, max_lines=4
            ),
            "body": ft.TextField(label=t("publish.field.body"), value=draft.body, multiline=True, min_lines=12),
        }
        for field in self.fields.values():
            field.on_change = self._typed
        self.kind = ft.Dropdown(
            label=t("publish.field.kind"),
            value=draft.kind,
            options=[ft.DropdownOption(key=k, text=t(f"articles.kind.{k}")) for k in KINDS],
            on_select=self._kind_chosen,
            disabled=original is not None,  # the API keeps a document's kind
        )
        self.kind_named = named_dropdown("publish-kind", t("publish.field.kind"), self.kind)
        policies = [a for a in in_force if a.kind == "policy"]
        self.interprets = ft.Dropdown(
            label=t("publish.field.interprets"),
            value=str(draft.interprets_id) if draft.interprets_id else None,
            options=[ft.DropdownOption(key=str(a.id), text=a.title) for a in policies],
            on_select=self._interprets_chosen,
        )
        self.interprets_named = named_dropdown("publish-interprets", t("publish.field.interprets"), self.interprets)
        self.interprets_named.visible = original is None and draft.kind == "interpretation"
        self.topic_boxes = [
            ft.Checkbox(label=tp.name, value=tp.code in draft.topics, data=tp.code, on_change=self._topic_toggled)
            for tp in topics
        ]
        self.topics_error = ft.Text(color=ft.Colors.ERROR, size=12, visible=False)
        self.preview_title = ft.Text(draft.title, theme_style=ft.TextThemeStyle.TITLE_LARGE, weight=ft.FontWeight.BOLD)
        self.preview = article_markdown(draft.body)
        self.follow = Debouncer(PREVIEW_DELAY, self._follow_guarded)
        self.form: Form[ArticleDetail] = Form(
            ctx,
            self.fields,
            submit_label=t("publish.submit_new" if original is None else "publish.submit_edit"),
            identifier="publish-submit",
            check=self._check,
            send=self._send,
            done=self._done,
            raw=("body",),
        )
        self._caught_up = ctx.guard(self._catch_up)

    # ---- what the officer does

    async def _typed(self, event: ft.Event[ft.TextField]) -> None:
        field = event.control
        name = next(n for n, f in self.fields.items() if f is field)
        self.draft.take({name: field.value or ""})
        if field.error:  # a field showing an error is checked again as it is corrected
            code = self._problems().get(name)
            field.error = messages({name: code}, self.ctx.t.language)[name] if code else None
            update_if_shown(field)
        self.follow.poke()

    async def _kind_chosen(self, event: ft.Event[ft.Dropdown]) -> None:
        self.draft.kind = event.control.value or "policy"  # type: ignore[assignment]
        self.interprets_named.visible = self.original is None and self.draft.kind == "interpretation"
        name_choice(self.kind_named)
        update_if_shown(self.kind_named)
        update_if_shown(self.interprets_named)
        self.follow.poke()

    async def _interprets_chosen(self, event: ft.Event[ft.Dropdown]) -> None:
        self.draft.interprets_id = int(event.control.value) if event.control.value else None
        self.interprets.error_text = None
        name_choice(self.interprets_named)
        update_if_shown(self.interprets_named)
        self.follow.poke()

    async def _topic_toggled(self, event: ft.Event[ft.Checkbox]) -> None:
        self.draft.topics = [str(box.data) for box in self.topic_boxes if box.value]
        if self.topics_error.visible:
            self._show_own_errors(self._problems())
        self.follow.poke()

    async def _follow_guarded(self) -> None:
        await self._caught_up(None)

    async def _catch_up(self, _: object) -> None:
        """After a pause in typing: the preview shows the text, and the draft is kept."""
        self.preview_title.value = self.draft.title
        self.preview.value = self.draft.body
        update_if_shown(self.preview_title)
        update_if_shown(self.preview)
        await self.drafts.save(self.draft)

    # ---- the form kit's hooks

    def _problems(self) -> dict[str, str]:
        return self.draft.problems(china_today(), [tp.code for tp in self.topics])

    def _check(self, values: dict[str, str]) -> dict[str, str]:
        self.draft.take(values)
        problems = self._problems()
        self._show_own_errors(problems)
        return problems

    def _show_own_errors(self, problems: dict[str, str]) -> None:
        """Topics and the interpreted policy are chosen, not typed: their messages are shown here."""
        self._show_own_messages(messages(problems, self.ctx.t.language))

    def _show_own_messages(self, shown: dict[str, str]) -> None:
        self.topics_error.value = shown.get("topics", "")
        self.topics_error.visible = "topics" in shown
        self.interprets.error_text = shown.get("interprets_id")
        self.kind.error_text = shown.get("kind")
        for control in (self.topics_error, self.interprets, self.kind):
            update_if_shown(control)

    async def _send(self, values: dict[str, str]) -> ArticleDetail:
        await self.follow.flush()
        try:
            if self.original is None:
                body = self.draft.create_body()
                key = self.draft.key_for(body)
                await self.drafts.save(self.draft)  # the key is kept before it is first sent
                return await self.service.publish(body, key)
            return await self.service.update(self.original.id, self.draft.update_body(self.original))
        except APIStatusError as exc:
            if exc.field in CHOSEN_FIELDS:  # the form kit puts typed fields' errors; these are shown here
                self._show_own_messages({exc.field: exc.message})
            raise

    async def _done(self, article: ArticleDetail) -> None:
        await self.drafts.remove(self.draft.draft_key)
        if self.original is None:
            self.ctx.go(f"{LIST_ROUTE}/{article.id}?published=1")
        else:
            self.ctx.notify(self.ctx.t("publish.saved"))
            self.ctx.rerender()

    # ---- layout

    async def _discard(self, _: ft.Event[ft.TextButton]) -> None:
        await self.drafts.remove(self.draft.draft_key)
        self.ctx.rerender()

    def _restored_notice(self) -> ft.Control:
        t = self.ctx.t
        return ft.Semantics(
            identifier="draft-restored",
            content=ft.Container(
                ft.Row(
                    [
                        ft.Icon(ft.Icons.RESTORE),
                        ft.Text(t("publish.restored"), expand=True),
                        ft.TextButton(t("publish.discard"), on_click=self.ctx.guard(self._discard)),
                    ]
                ),
                bgcolor=ft.Colors.SECONDARY_CONTAINER,
                border_radius=8,
                padding=ft.Padding.symmetric(horizontal=12, vertical=4),
            ),
        )

    def editing_part(self, before: Sequence[ft.Control]) -> ft.Control:
        t = self.ctx.t
        f = self.fields
        parts: list[ft.Control] = [
            *before,
            *([self._restored_notice()] if self.restored else []),
            self.kind_named,
            self.interprets_named,
            f["title"],
            f["document_number"],
            f["written_on"],
            ft.Text(t("publish.field.topics"), weight=ft.FontWeight.W_600),
            ft.Row(
                [ft.Container(box, width=TOPIC_WIDTH) for box in self.topic_boxes], wrap=True, spacing=0, run_spacing=0
            ),
            self.topics_error,
            f["summary"],
            f["body"],
            self.form.button,
        ]
        return ft.ListView(parts, spacing=12, padding=ft.Padding.only(top=8, bottom=24), expand=True)

    def preview_part(self) -> ft.Control:
        return ft.Semantics(
            identifier="publish-preview",
            content=ft.ListView([self.preview_title, self.preview], spacing=12, padding=8, expand=True),
            expand=True,
        )

    def layout(self, before: Sequence[ft.Control]) -> ft.Control:
        """Side by side on a wide screen; 编辑/预览 tabs on a phone."""
        t = self.ctx.t
        if is_compact(self.ctx.page.width):
            return ft.Tabs(
                length=2,
                expand=True,
                content=ft.Column(
                    [
                        ft.TabBar(tabs=[ft.Tab(label=t("publish.edit_tab")), ft.Tab(label=t("publish.preview_tab"))]),
                        ft.TabBarView([self.editing_part(before), self.preview_part()], expand=True),
                    ],
                    expand=True,
                ),
            )
        return ft.Row(
            [
                ft.Container(self.editing_part(before), expand=1),
                ft.VerticalDivider(width=1),
                ft.Container(self.preview_part(), expand=1),
            ],
            expand=True,
            vertical_alignment=ft.CrossAxisAlignment.START,
        )


def _published_notice(ctx: AppContext, article: ArticleDetail) -> ft.Control:
    """Where citizens find what was just published."""
    t = ctx.t
    route = f"/disclosure/article/{article.id}"
    lines: list[ft.Control] = [
        ft.Text(t("publish.published", kind=t(f"articles.kind.{article.kind}")), weight=ft.FontWeight.W_600),
    ]
    link = share_link(ctx.page.url, route)
    if link is not None:
        lines.append(ft.Text(link, selectable=True, size=12))
    lines.append(ft.TextButton(t("publish.view_as_citizen"), on_click=lambda _: ctx.go(route)))
    return ft.Semantics(
        identifier="published-notice",
        content=ft.Container(
            ft.Column(lines, spacing=4), bgcolor=ft.Colors.PRIMARY_CONTAINER, border_radius=8, padding=12
        ),
    )


def _validity_part(
    ctx: AppContext, service: PublishingService, article: ArticleDetail, in_force: Sequence[ArticleSummary]
) -> ft.Control:
    t = ctx.t
    row: list[ft.Control] = [ft.Text(t("articles.validity")), validity_badge(ctx, article.validity)]
    if article.superseded_by is not None:
        row.append(ft.Text(t("articles.replaced_by", title=article.superseded_by.title), size=12))
    if article.validity == "valid":
        choices = replacement_choices([(a.id, a.title) for a in in_force], article.id)
        row.append(
            ft.Semantics(
                identifier="repeal-open",
                content=ft.OutlinedButton(
                    t("publish.repeal"),
                    icon=ft.Icons.GAVEL,
                    on_click=ctx.guard(lambda _: _confirm_repeal(ctx, service, article, choices)),
                ),
            )
        )
    return ft.Row(row, wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER)


def _confirm_repeal(
    ctx: AppContext, service: PublishingService, article: ArticleDetail, choices: list[tuple[int, str]]
) -> None:
    """The confirm dialog: 已废止, or 已修订 with the document that replaces it."""
    t = ctx.t
    replacement = ft.Dropdown(
        label=t("publish.replaced_by"),
        options=[ft.DropdownOption(key=str(doc_id), text=title) for doc_id, title in choices],
    )
    replacement_named = named_dropdown("repeal-replacement", t("publish.replaced_by"), replacement)
    replacement.on_select = lambda _: name_choice(replacement_named)
    replacement_named.visible = False

    def chosen_validity(event: ft.Event[ft.RadioGroup]) -> None:
        replacement_named.visible = event.control.value == "amended"

    validity = ft.RadioGroup(
        value="repealed",
        content=ft.Column(
            [
                ft.Radio(value="repealed", label=t("publish.as_repealed")),
                ft.Radio(value="amended", label=t("publish.as_amended")),
            ]
        ),
        on_change=chosen_validity,
    )

    async def confirm(_: Any) -> None:
        replaced_by = int(replacement.value) if validity.value == "amended" and replacement.value else None
        if validity.value == "amended" and replaced_by is None:
            replacement.error_text = t("publish.choose_replacement")
            update_if_shown(replacement)
            return
        confirm_button.disabled = True  # one repeal per tap
        update_if_shown(confirm_button)
        try:
            await service.repeal(article.id, replaced_by)
        finally:
            confirm_button.disabled = False
        done.append(True)
        ctx.page.pop_dialog()

    def dismissed(_: Any) -> None:
        """The screen is rebuilt once Flutter has taken the dialog away: rebuilt earlier, the dialog stays over it."""
        if done:
            ctx.notify(t("publish.repealed"))
            ctx.rerender()

    done: list[bool] = []
    confirm_button = ft.FilledButton(t("publish.confirm_repeal"), on_click=ctx.guard(confirm))
    ctx.page.show_dialog(
        ft.AlertDialog(
            modal=True,
            on_dismiss=dismissed,
            title=ft.Text(t("publish.repeal_title", title=article.title)),
            content=ft.Column(
                [
                    ft.Text(t("publish.repeal_warning")),
                    choice_group(t("publish.validity"), validity),
                    replacement_named,
                ],
                tight=True,
            ),
            actions=[
                ft.TextButton(t("publish.cancel"), on_click=lambda _: ctx.page.pop_dialog()),
                ft.Semantics(identifier="repeal-confirm", content=confirm_button),
            ],
        )
    )


def editor_screen(ctx: AppContext) -> Screen:
    """/workbench/publish/new and /workbench/publish/:id (the latter for the officer's own department's)."""
    t = ctx.t
    department = _department(ctx)
    if department is None:
        return _officers_only(ctx)
    raw_id = ctx.route.params.get("id")
    try:
        article_id = int(raw_id) if raw_id is not None else None
    except ValueError:
        return not_found_screen(ctx)
    service = PublishingService(ctx.api)
    drafts = DraftStore(ctx.preferences, ArticleDraft)
    just_published = ctx.route.query.get("published") == "1"

    async def load() -> tuple[ArticleEditor, ArticleDetail | None, list[ArticleSummary]] | None:
        topics, in_force = await service.topics(), await service.in_force(department)
        original = await service.document(article_id) if article_id is not None else None
        if original is not None and original.department.code != department:
            return None  # another department's: the server would refuse every write with a 404
        kept = await drafts.load(draft_key_of(article_id))
        draft = kept or (ArticleDraft.of(original) if original is not None else ArticleDraft())
        restored = kept is not None and kept.differs_from(original)
        return ArticleEditor(ctx, service, drafts, draft, topics, in_force, original, restored), original, in_force

    def build(loaded: tuple[ArticleEditor, ArticleDetail | None, list[ArticleSummary]] | None) -> ft.Control:
        if loaded is None:
            return ft.Text(t("state.not_found"))
        editor, original, in_force = loaded
        before: list[ft.Control] = []
        if original is not None:
            if just_published:
                before.append(_published_notice(ctx, original))
            before.append(_validity_part(ctx, service, original, in_force))
        return editor.layout(before)

    section = AsyncSection(t, load=load, build=build, is_empty=lambda _: False)
    section.expand = True
    title = t("publish.new") if article_id is None else t("publish.edit")
    return Screen(title, section, loads=[section.reload], back_route=LIST_ROUTE)
