"""在线申请: the form generated from an item's `FormField`s and `Material`s, checked by the server's own rules.

Values come from the draft if there is one, else from the profile (name, phone, address, email; the profile
only gives the masked ID number, so the citizen types the full one once and the draft keeps it). Each field
is checked with `api_client.forms.field_problem` as it changes, and everything again on submit (the `Form`
kit sends once per tap); a 422 `form_invalid` puts each of the server's messages under its field. Every
change is written to the draft (`app.service_items.drafts`). Each material has its own `AttachmentPicker`
(`app.widgets.attachments`, shared with the appeal form): format and size checked before the upload, progress.
"""

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Protocol

import flet as ft

from api_client import UnprocessableEntityError
from api_client.forms import field_problem, form_problems, material_problems
from api_client.messages import message_for
from api_client.models import MATERIAL_FORM_LABELS, FormField, Material, Profile, Receipt, ServiceItemGuide
from app.applications.service import ApplicationService
from app.context import AppContext
from app.service_items.drafts import Draft, DraftStore
from app.widgets.attachments import AttachmentPicker, UploadedFile
from app.widgets.buttons import icon_button
from app.widgets.choices import name_choice, named_dropdown
from app.widgets.forms import FieldErrors, Form
from app.widgets.states import update_if_shown

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


class MaterialPicker(AttachmentPicker):
    """The shared attachment picker for one material, its files kept in the owner's draft under the material key."""

    def __init__(self, owner: MaterialOwner, material: Material) -> None:
        self.material = material
        t = owner.ctx.t
        kind = MATERIAL_FORM_LABELS[material.form]
        need = t("apply.required") if material.required else t("apply.optional")
        formats = " / ".join(f.upper() for f in material.formats)

        async def keep(files: list[UploadedFile]) -> None:
            owner.draft.materials[material.key] = files
            await owner.save_draft()

        super().__init__(
            owner.ctx,
            owner.picker,
            key=material.key,
            title=material.name,
            details=[f"{need} · {kind} × {material.count} · {formats}", *([material.note] if material.note else [])],
            formats=material.formats,
            files=owner.draft.materials.get(material.key, []),
            upload=owner.service.upload,
            changed=keep,
        )


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
        self.named_selects: dict[str, ft.Semantics] = {}
        """Each select inside the Semantics that gives it its name and choice for screen readers."""
        for field in guide.form:
            value = draft.form.get(field.key)
            if value is None:
                value = prefilled(field, profile)
                if value:
                    draft.form[field.key] = value
            label = field.label if field.required else t("apply.optional_label", label=field.label)
            if field.type == "select":
                self.selects[field.key] = select = ft.Dropdown(
                    label=label,
                    value=value or None,
                    options=[ft.DropdownOption(key=o, text=o) for o in field.options],
                    on_select=self._selected,
                    expand=True,
                )
                self.named_selects[field.key] = named_dropdown(f"apply-field-{field.key}", label, select)
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
            control = self.text_fields.get(field.key) or self.named_selects[field.key]
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
        name_choice(self.named_selects[key])
        update_if_shown(self.named_selects[key])
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
