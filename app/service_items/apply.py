"""在线申请: the form generated from an item's `FormField`s and `Material`s, checked by the server's own rules.

Values come from the draft if there is one, else from the profile (name, phone, address, email; the profile
only gives the masked ID number, so the citizen types the full one once and the draft keeps it). Each field
is checked with `api_client.forms.field_problem` as it changes, and everything again on submit (the `Form`
kit sends once per tap); a 422 `form_invalid` puts each of the server's messages under its field. Every
change is written to the draft (`app.service_items.drafts`). Each material has its own file picker: the
format (by content, like the server) and size are checked before the upload, which shows a progress bar.
"""

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Protocol

import flet as ft

from api_client import UnprocessableEntityError, YiwangError
from api_client.forms import field_problem, form_problems, material_problems
from api_client.messages import message_for
from api_client.models import MATERIAL_FORM_LABELS, FileFormat, FormField, Material, Profile, Receipt, ServiceItemGuide
from api_client.models.attachments import MAX_ATTACHMENT_BYTES, sniff_format
from app.applications.service import ApplicationService
from app.context import AppContext
from app.service_items.drafts import Draft, DraftStore, UploadedFile
from app.widgets.buttons import icon_button
from app.widgets.forms import FieldErrors, Form
from app.widgets.states import describe_error, update_if_shown

EXTENSIONS: dict[FileFormat, list[str]] = {"pdf": ["pdf"], "jpeg": ["jpg", "jpeg"], "png": ["png"]}
KEYBOARDS = {
    "phone": ft.KeyboardType.PHONE,
    "email": ft.KeyboardType.EMAIL,
    "amount": ft.KeyboardType.NUMBER,
    "integer": ft.KeyboardType.NUMBER,
    "date": ft.KeyboardType.DATETIME,
}
MATERIAL_PREFIX = "materials."


def prefilled(field: FormField, profile: Profile | None) -> str:
    """The profile's value for a field that names one; the ID number is never in the profile in full."""
    if profile is None or field.prefill is None or field.prefill == "id_number":
        return ""
    return getattr(profile, field.prefill) or ""


class MaterialOwner(Protocol):
    """What a `MaterialPicker` needs from the screen it is on (an application form, a 补正)."""

    ctx: AppContext
    draft: Draft
    picker: ft.FilePicker
    service: ApplicationService

    async def save_draft(self) -> None: ...


class MaterialPicker(ft.Column):
    """One material: what it is, the files uploaded for it, a picker and a progress bar while uploading."""

    def __init__(self, owner: MaterialOwner, material: Material) -> None:
        self._owner = owner
        self.material = material
        t = owner.ctx.t
        kind = MATERIAL_FORM_LABELS[material.form]
        need = t("apply.required") if material.required else t("apply.optional")
        formats = " / ".join(f.upper() for f in material.formats)
        self.files = ft.Column(spacing=0)
        self.progress = ft.ProgressBar(visible=False)
        self.progress_text = ft.Text(visible=False, size=12)
        self.error = ft.Text(visible=False, color=ft.Colors.ERROR, size=12)
        self.pick_button = ft.OutlinedButton(
            t("apply.pick"), icon=ft.Icons.UPLOAD_FILE, on_click=owner.ctx.guard(self._pick)
        )
        super().__init__(
            [
                ft.Text(material.name, weight=ft.FontWeight.W_600),
                ft.Text(f"{need} · {kind} × {material.count} · {formats}", size=12, color=ft.Colors.OUTLINE),
                *([ft.Text(material.note, size=12)] if material.note else []),
                self.files,
                self.progress_text,
                self.progress,
                self.error,
                ft.Semantics(identifier=f"pick-{material.key}", content=self.pick_button),
            ],
            spacing=4,
        )
        self._show_files()

    @property
    def uploaded(self) -> list[UploadedFile]:
        return self._owner.draft.materials.get(self.material.key, [])

    def show_error(self, message: str | None) -> None:
        self.error.value = message or ""
        self.error.visible = bool(message)

    def _show_files(self) -> None:
        t = self._owner.ctx.t

        def remove(file: UploadedFile) -> Callable[[ft.Event[ft.IconButton]], Awaitable[None]]:
            async def removed(_: ft.Event[ft.IconButton]) -> None:
                kept = [f for f in self.uploaded if f.id != file.id]
                self._owner.draft.materials[self.material.key] = kept
                self._show_files()
                update_if_shown(self)
                await self._owner.save_draft()

            return removed

        self.files.controls = [
            ft.ListTile(
                leading=ft.Icon(ft.Icons.CHECK_CIRCLE, color=ft.Colors.PRIMARY),
                title=ft.Text(f.filename),
                subtitle=ft.Text(f"{f.format.upper()} · {max(1, f.size // 1024)} KB"),
                trailing=icon_button(ft.Icons.DELETE_OUTLINE, t("apply.remove_file", name=f.filename), remove(f)),
                dense=True,
            )
            for f in self.uploaded
        ]

    async def _pick(self, _: ft.Event[ft.OutlinedButton]) -> None:
        t = self._owner.ctx.t
        extensions = [e for f in self.material.formats for e in EXTENSIONS[f]]
        picked = await self._owner.picker.pick_files(
            dialog_title=self.material.name,
            file_type=ft.FilePickerFileType.CUSTOM,
            allowed_extensions=extensions,
            allow_multiple=True,
            with_data=True,
        )
        self.show_error(None)
        for file in picked:
            content = file.bytes or b""
            detected = sniff_format(content[:16])
            if file.size > MAX_ATTACHMENT_BYTES or len(content) > MAX_ATTACHMENT_BYTES:
                self.show_error(t("apply.too_large", name=file.name))
                continue
            if detected is None or detected not in self.material.formats:
                self.show_error(t("apply.wrong_format", name=file.name, formats="、".join(extensions)))
                continue
            await self._upload(file.name, content)
        update_if_shown(self)

    async def _upload(self, name: str, content: bytes) -> None:
        t = self._owner.ctx.t
        self.progress.visible = self.progress_text.visible = True
        self.progress.value = None  # indeterminate: the upload is one request
        self.progress_text.value = t("apply.uploading", name=name)
        self.pick_button.disabled = True
        update_if_shown(self)
        try:
            info = await self._owner.service.upload(name, content)
        except YiwangError as exc:
            self.show_error(describe_error(exc, t))
            return
        finally:
            self.progress.visible = self.progress_text.visible = False
            self.pick_button.disabled = False
        uploaded = UploadedFile(id=info.id, filename=info.filename, format=info.format, size=info.size)
        self._owner.draft.materials[self.material.key] = [*self.uploaded, uploaded]
        self._show_files()
        await self._owner.save_draft()


class ApplicationForm:
    def __init__(
        self,
        ctx: AppContext,
        guide: ServiceItemGuide,
        draft: Draft,
        drafts: DraftStore[Draft],
        service: ApplicationService,
        done: Callable[[Receipt], Awaitable[None] | None],
    ) -> None:
        self.ctx = ctx
        self.guide = guide
        self.draft = draft
        self.drafts = drafts
        self.service = service
        self.picker = ft.FilePicker()  # a service: this form keeps the reference it needs to stay registered
        self._by_key = {f.key: f for f in guide.form}
        t = ctx.t
        profile = ctx.profile
        self.text_fields: dict[str, ft.TextField] = {}
        self.selects: dict[str, ft.Dropdown] = {}
        for field in guide.form:
            value = draft.form.get(field.key)
            if value is None:
                value = prefilled(field, profile)
                if value:
                    draft.form[field.key] = value
            label = field.label if field.required else t("apply.optional_label", label=field.label)
            if field.type == "select":
                self.selects[field.key] = ft.Dropdown(
                    label=label,
                    value=value or None,
                    options=[ft.DropdownOption(key=o, text=o) for o in field.options],
                    on_select=self._selected,
                    expand=True,
                )
                continue
            helper = field.help
            if field.type == "id_number" and profile is not None and profile.id_number_masked:
                helper = t("apply.id_hint", masked=profile.id_number_masked)
            elif field.type == "date":
                helper = helper or t("apply.date_hint")
            self.text_fields[field.key] = ft.TextField(
                label=label,
                value=value,
                helper=helper,
                multiline=field.type == "textarea",
                min_lines=3 if field.type == "textarea" else None,
                max_length=field.max_length if field.type in ("text", "textarea") else None,
                keyboard_type=KEYBOARDS.get(field.type, ft.KeyboardType.TEXT),
                on_change=self._typed,
            )
            if field.type == "date":
                self.text_fields[field.key].suffix = icon_button(
                    ft.Icons.CALENDAR_MONTH, t("apply.choose_date"), on_click=self._calendar(field.key)
                )
        self.materials = {m.key: MaterialPicker(self, m) for m in guide.materials}
        self.form: Form[Receipt] = Form(
            ctx,
            self.text_fields,
            submit_label=t("apply.submit"),
            identifier="submit-application",
            check=self._check,
            send=self._send,
            done=done,
        )

    def controls(self) -> list[ft.Control]:
        """The fields and material pickers; the screen places `form.button` where it stays in view."""
        t = self.ctx.t
        inputs: list[ft.Control] = []
        for field in self.guide.form:
            control = self.text_fields.get(field.key) or self.selects[field.key]
            inputs.append(control)
        return [
            ft.Text(t("apply.saved_note"), size=12, color=ft.Colors.OUTLINE),
            *inputs,
            ft.Divider(),
            ft.Text(t("apply.materials"), theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
            *self.materials.values(),
        ]

    def values(self) -> dict[str, str]:
        values = {key: (f.value or "").strip() for key, f in self.text_fields.items()}
        values.update({key: d.value or "" for key, d in self.selects.items()})
        return values

    async def save_draft(self) -> None:
        await self.drafts.save(self.draft)

    def _problem(self, key: str, value: str) -> str | None:
        code = field_problem(self._by_key[key], value, dt.date.today())
        return message_for(code, self.ctx.t.language) if code else None

    def _calendar(self, key: str) -> Callable[[ft.Event[ft.IconButton]], None]:
        """A date field can be typed (2026-01-31) or chosen in Flutter's calendar."""

        async def chosen(event: ft.Event[ft.DatePicker]) -> None:
            value = event.control.value
            if value is not None:
                day = value.date() if isinstance(value, dt.datetime) else value
                await self._changed(key, day.isoformat())

        def open_calendar(_: ft.Event[ft.IconButton]) -> None:
            today = dt.date.today()
            self.ctx.page.show_dialog(
                ft.DatePicker(
                    first_date=dt.datetime(today.year - 100, 1, 1),
                    last_date=dt.datetime(today.year + 10, 12, 31),
                    on_change=chosen,
                )
            )

        return open_calendar

    async def _typed(self, event: ft.Event[ft.TextField]) -> None:
        key = next(k for k, f in self.text_fields.items() if f is event.control)
        await self._changed(key, event.control.value or "")

    async def _changed(self, key: str, value: str) -> None:
        """Checked as typed: a problem shows under the field once it has something in it."""
        field = self.text_fields[key]
        field.value = value
        field.error = self._problem(key, value) if value.strip() else None
        self.draft.form[key] = value
        update_if_shown(field)
        await self.save_draft()

    async def _selected(self, event: ft.Event[ft.Dropdown]) -> None:
        dropdown = event.control
        key = next(k for k, d in self.selects.items() if d is dropdown)
        dropdown.error_text = None
        self.draft.form[key] = dropdown.value or ""
        update_if_shown(dropdown)
        await self.save_draft()

    def _check(self, values: dict[str, str]) -> FieldErrors:
        """Every field and material with the server's rules; Form shows the text fields', this the rest."""
        language = self.ctx.t.language
        values = self.values()
        self.draft.form.update(values)
        problems: FieldErrors = form_problems(self.guide.form, values, dt.date.today())
        for key, dropdown in self.selects.items():
            dropdown.error_text = message_for(problems[key], language) if key in problems else None
        provided = {key: [f.format for f in files] for key, files in self.draft.materials.items() if files}
        missing = material_problems(self.guide.materials, provided)
        for key, picker in self.materials.items():
            picker.show_error(message_for(missing[key], language) if key in missing else None)
        problems.update({MATERIAL_PREFIX + key: code for key, code in missing.items()})
        return problems

    async def _send(self, _: dict[str, str]) -> Receipt:
        self.draft.form.update(self.values())
        body = self.draft.body()
        key = self.draft.key_for(body)
        await self.save_draft()  # the key is on the device before the request leaves it
        try:
            receipt = await self.service.submit(body, key)
        except UnprocessableEntityError as exc:
            self.show_server_errors(exc)
            raise
        await self.drafts.remove(self.draft.item_code)
        return receipt

    def show_server_errors(self, exc: UnprocessableEntityError) -> None:
        """The server's `errors` list of a 422 `form_invalid`, each message under its field or material."""
        try:
            errors = exc.response.json().get("errors") or []
        except ValueError:
            errors = []
        for error in errors:
            where, _, key = str(error.get("field", "")).partition(".")
            message = str(error.get("message", ""))
            if where == "form" and key in self.text_fields:
                self.text_fields[key].error = message
            elif where == "form" and key in self.selects:
                self.selects[key].error_text = message
            elif where == "materials" and key in self.materials:
                self.materials[key].show_error(message)
