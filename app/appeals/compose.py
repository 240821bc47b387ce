"""The appeal form: category and department pickers, title, content with a counter, attachments (uploaded
anonymously on the fast channel), the address as text, a contact phone and public/private; and, for a
consultation, published answers to what is being typed ("answer before asking").

Every change goes to the draft at once (`app.service_items.drafts`, the applications' store), with the
submission's Idempotency-Key: a retry after a lost answer gets the same appeal and, on the fast channel, the same
credentials. Checks are `app.appeals.composing.appeal_problems` (the wire model's own rules): a problem shows
under its field as soon as the text is over a limit, and on submit for everything; a server error that names a
field goes under it. Nothing typed is lost: the values stay on screen and in the draft whatever fails.
"""

import asyncio
from collections.abc import Awaitable, Callable

import flet as ft

from api_client import APIStatusError, YiwangError
from api_client.messages import message_for
from api_client.models import (
    APPEAL_CATEGORIES,
    UNDECIDED_DEPARTMENT,
    AppealReceipt,
    AppealType,
    Department,
    SearchResult,
    split_highlights,
)
from app.appeals.composing import (
    ATTACHMENT_LIMIT,
    ATTACHMENTS,
    CONTENT_LIMIT,
    SLUG_OF,
    TITLE_LIMIT,
    appeal_body,
    appeal_problems,
    counter_text,
    result_route,
    suggestion_query,
)
from app.appeals.service import AppealService
from app.context import AppContext
from app.service_items.drafts import Draft, DraftStore
from app.widgets.attachments import AttachmentPicker, UploadedFile
from app.widgets.choices import name_choice, named_dropdown
from app.widgets.forms import FieldErrors, Form
from app.widgets.states import section_title, update_if_shown

SUGGESTION_DELAY = 0.6
"""Seconds of quiet typing before published answers are looked up: typing itself never waits for them."""
OVER_LIMIT = {"title": TITLE_LIMIT, "content": CONTENT_LIMIT}


class AnswerSuggestions(ft.Column):
    """Published answers and service guides close to what is typed, looked up after a pause; one tap opens one."""

    def __init__(self, ctx: AppContext, service: AppealService) -> None:
        super().__init__(spacing=4, visible=False)
        self._ctx = ctx
        self._service = service
        self._pending: asyncio.Task[None] | None = None
        self._shown_query: str | None = None

    def typed(self, title: str, content: str) -> None:
        """Called on every keystroke: restarts the pause; the lookup runs in its own task."""
        if self._pending is not None:
            self._pending.cancel()
        query = suggestion_query(title, content)
        if query is None and self.visible:  # everything erased: so are the answers to it
            self.visible, self._shown_query = False, None
            update_if_shown(self)
        if query is None or query == self._shown_query:
            return
        self._pending = asyncio.create_task(self._look_up(query))

    async def _look_up(self, query: str) -> None:
        await asyncio.sleep(SUGGESTION_DELAY)
        try:
            appeals, services = await self._service.answers_before_asking(query)
        except YiwangError:
            return  # a hint, not a step: the form goes on without it
        self._shown_query = query
        self._show(appeals, services)
        update_if_shown(self)

    def _show(self, appeals: list[SearchResult], services: list[SearchResult]) -> None:
        t = self._ctx.t
        groups = [(t("compose.suggested_appeals"), appeals), (t("compose.suggested_services"), services)]
        controls: list[ft.Control] = [section_title(t("compose.suggestions"))]
        for heading, results in groups:
            if results:
                controls.append(ft.Text(heading, size=12, color=ft.Colors.OUTLINE))
                controls += [self._tile(r) for r in results]
        controls.append(ft.Text(t("compose.still_submit"), size=12))
        self.controls = controls
        self.visible = bool(appeals or services)

    def _tile(self, result: SearchResult) -> ft.Control:
        snippet = "".join(text for text, _ in split_highlights(result.snippet))
        route = result_route(result)
        return ft.ListTile(
            leading=ft.Icon(ft.Icons.QUESTION_ANSWER_OUTLINED if result.scope == "appeal" else ft.Icons.MENU_BOOK),
            title=ft.Text(result.title),
            subtitle=ft.Text(snippet, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS, size=12),
            on_click=lambda _: self._ctx.go(route),
            dense=True,
        )


class AppealForm:
    def __init__(
        self,
        ctx: AppContext,
        appeal_type: AppealType,
        departments: list[Department],
        draft: Draft,
        drafts: DraftStore[Draft],
        service: AppealService,
        done: Callable[[AppealReceipt], Awaitable[None] | None],
    ) -> None:
        self.ctx = ctx
        self.appeal_type = appeal_type
        self.draft = draft
        self.drafts = drafts
        self.service = service
        self.picker = ft.FilePicker()  # a service: the form keeps the reference it needs to stay registered
        t = ctx.t
        form = draft.form
        self.category = ft.Dropdown(
            label=t("compose.category"),
            value=form.get("category") or None,
            options=[ft.DropdownOption(key=c, text=c) for c in APPEAL_CATEGORIES],
            on_select=self._selected,
            expand=True,
        )
        self.department = ft.Dropdown(
            label=t("compose.department"),
            value=form.get("department") or UNDECIDED_DEPARTMENT,
            options=[
                ft.DropdownOption(key=UNDECIDED_DEPARTMENT, text=t("compose.undecided")),
                *(ft.DropdownOption(key=d.code, text=d.name) for d in departments),
            ],
            on_select=self._selected,
            expand=True,
        )
        self.named = {
            self.category: named_dropdown("appeal-category", t("compose.category"), self.category),
            self.department: named_dropdown("appeal-department", t("compose.department"), self.department),
        }
        content = form.get("content", "")
        self.text_fields = {
            "title": ft.TextField(
                label=t("compose.title"),
                value=form.get("title", ""),
                helper=t("compose.title_hint"),
                on_change=self._typed,
            ),
            "content": ft.TextField(
                label=t("compose.content"),
                value=content,
                helper=t("compose.content_hint"),
                counter=counter_text(content),
                multiline=True,
                min_lines=5,
                on_change=self._typed,
            ),
            "location": ft.TextField(
                label=t("compose.address"),
                value=form.get("location", ""),
                helper=t("compose.address_hint"),
                on_change=self._typed,
            ),
            "contact_phone": ft.TextField(
                label=t("compose.phone"),
                value=form.get("contact_phone", ""),
                helper=t("compose.phone_hint"),
                keyboard_type=ft.KeyboardType.PHONE,
                on_change=self._typed,
            ),
        }
        self.public = ft.Switch(
            label=t("compose.public"), value=form.get("public", "true") != "false", on_change=self._public_changed
        )
        self.attachments = AttachmentPicker(
            ctx,
            self.picker,
            key=ATTACHMENTS,
            title=t("compose.attachments"),
            details=[t("compose.attachments_hint", limit=ATTACHMENT_LIMIT)],
            formats=("jpeg", "png", "pdf"),
            files=draft.materials.get(ATTACHMENTS, []),
            upload=service.upload if ctx.profile is not None else service.upload_anonymously,
            changed=self._attachments_changed,
            limit=ATTACHMENT_LIMIT,
        )
        self.suggestions = AnswerSuggestions(ctx, service) if appeal_type == "咨询" else None
        self.form: Form[AppealReceipt] = Form(
            ctx,
            self.text_fields,
            submit_label=t("compose.submit"),
            identifier="submit-appeal",
            check=self._check,
            send=self._send,
            done=done,
        )

    def controls(self) -> list[ft.Control]:
        """The fields in order; the screen places `form.button` where it stays in view."""
        t = self.ctx.t
        fields = self.text_fields
        return [
            *([self._fast_channel_note()] if self.ctx.profile is None else []),
            ft.Text(t("apply.saved_note"), size=12, color=ft.Colors.OUTLINE),
            self.named[self.category],
            self.named[self.department],
            fields["title"],
            fields["content"],
            *([self.suggestions] if self.suggestions is not None else []),
            self.attachments,
            fields["location"],
            fields["contact_phone"],
            ft.Column([self.public, ft.Text(t("compose.public_hint"), size=12, color=ft.Colors.OUTLINE)], spacing=0),
        ]

    def _fast_channel_note(self) -> ft.Control:
        t = self.ctx.t
        return ft.Container(
            ft.Column(
                [
                    ft.Row([ft.Icon(ft.Icons.BOLT), ft.Text(t("compose.fast_channel"), expand=True)]),
                    ft.TextButton(t("compose.login"), icon=ft.Icons.LOGIN, on_click=lambda _: self.ctx.go("/me/login")),
                ],
                spacing=4,
            ),
            bgcolor=ft.Colors.SECONDARY_CONTAINER,
            padding=12,
            border_radius=8,
        )

    def values(self) -> dict[str, str]:
        values = {key: field.value or "" for key, field in self.text_fields.items()}
        values["category"] = self.category.value or ""
        values["department"] = self.department.value or UNDECIDED_DEPARTMENT
        values["public"] = "true" if self.public.value else "false"
        return values

    def _attachment_ids(self) -> list[str]:
        return [f.id for f in self.draft.materials.get(ATTACHMENTS, [])]

    async def _save(self) -> None:
        self.draft.form.update(self.values())
        await self.drafts.save(self.draft)

    async def _typed(self, event: ft.Event[ft.TextField]) -> None:
        field = event.control
        name = next(n for n, f in self.text_fields.items() if f is field)
        value = field.value or ""
        if name == "content":
            field.counter = counter_text(value)
        limit = OVER_LIMIT.get(name)
        if field.error or (limit is not None and len(value.strip()) > limit):
            code = appeal_problems(self.appeal_type, self.values(), self._attachment_ids()).get(name)
            field.error = message_for(code, self.ctx.t.language) if code else None
        update_if_shown(field)
        if self.suggestions is not None and name in ("title", "content"):
            self.suggestions.typed(self.text_fields["title"].value or "", self.text_fields["content"].value or "")
        await self._save()

    async def _selected(self, event: ft.Event[ft.Dropdown]) -> None:
        event.control.error_text = None
        named = self.named[event.control]
        name_choice(named)
        update_if_shown(named)
        await self._save()

    async def _public_changed(self, _: ft.Event[ft.Switch]) -> None:
        await self._save()

    async def _attachments_changed(self, files: list[UploadedFile]) -> None:
        self.draft.materials[ATTACHMENTS] = files
        await self._save()

    def _check(self, _: dict[str, str]) -> FieldErrors:
        """Every field; `Form` shows the text fields' problems, this the pickers'."""
        language = self.ctx.t.language
        problems = appeal_problems(self.appeal_type, self.values(), self._attachment_ids())
        for key, dropdown in (("category", self.category), ("department", self.department)):
            dropdown.error_text = message_for(problems[key], language) if key in problems else None
        code = problems.get(ATTACHMENTS)
        self.attachments.show_error(message_for(code, language) if code else None)
        return problems

    async def _send(self, _: dict[str, str]) -> AppealReceipt:
        await self._save()
        body = appeal_body(self.appeal_type, self.draft)
        key = self.draft.key_for(body)
        await self.drafts.save(self.draft)  # the key is on the device before the request leaves it
        try:
            receipt = await self.service.submit(body, key)
        except APIStatusError as exc:
            self._show_server_error(exc)
            raise
        await self.drafts.remove(self.draft.item_code)
        return receipt

    def _show_server_error(self, exc: APIStatusError) -> None:
        """A server error naming a picker goes under it (`Form` puts text fields' under theirs)."""
        if exc.field == "category":
            self.category.error_text = exc.message
        elif exc.field == "department":
            self.department.error_text = exc.message
        elif exc.field == ATTACHMENTS:
            self.attachments.show_error(exc.message)


def draft_title(ctx: AppContext, appeal_type: AppealType) -> str:
    return ctx.t("compose.screen", type=ctx.t(f"appeal_type.{SLUG_OF[appeal_type]}"))
