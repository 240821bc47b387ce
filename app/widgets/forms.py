"""`Form`: the one way a screen collects input and sends it.

It holds named text fields and their submit button. On submit it trims the values (fields named in
`raw` are sent as typed), runs the screen's local `check` (the same rules and message codes as the
server, see `api_client.validation` and `api_client.messages`), shows each problem under its field, and
only then calls `send`. The button is disabled while `send` runs and a second tap is ignored, so one tap
is one submission (a write's Idempotency-Key covers retries below that). A server error that names a
`field` goes under that field; any other goes to a snack bar. The typed values always stay. A field
that shows an error is checked again as the citizen corrects it (a field's own `on_change` is left
alone). Enter in a field submits.

    form = Form(
        ctx,
        {"phone": ft.TextField(label=t("form.phone")), "password": ft.TextField(label=..., password=True)},
        submit_label=t("form.submit_login"),
        identifier="login-submit",                   # `[flt-semantics-identifier=...]` in browser tests
        check=lambda v: required(v, "phone", "password"),
        send=lambda v: service.login(v["phone"], v["password"]),
        done=signed_in,                              # gets what `send` returned
    )
    return Screen(title, ft.ListView([*form.fields.values(), form.button]))
"""

from collections.abc import Awaitable, Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import flet as ft

from api_client import APIStatusError, YiwangError
from api_client.messages import Language, message_for
from app.widgets.states import describe_error, update_if_shown

if TYPE_CHECKING:
    from app.context import AppContext

ResultT = TypeVar("ResultT")

FieldErrors = dict[str, str]
"""Field name to message code (`api_client.messages`), like the server's `{"code", "field"}`."""


def required(values: Mapping[str, str], *fields: str) -> FieldErrors:
    return {f: "field_required" for f in fields if not values.get(f, "").strip()}


def messages(errors: FieldErrors, language: Language) -> dict[str, str]:
    return {field: message_for(code, language) for field, code in errors.items()}


class Form(Generic[ResultT]):
    def __init__(
        self,
        ctx: "AppContext",
        fields: dict[str, ft.TextField],
        *,
        submit_label: str,
        identifier: str,
        send: Callable[[dict[str, str]], Awaitable[ResultT]],
        done: Callable[[ResultT], Awaitable[None] | None],
        check: Callable[[dict[str, str]], FieldErrors] = lambda values: {},
        raw: Collection[str] = ("password",),
    ) -> None:
        self._ctx = ctx
        self.fields = fields
        self._send = send
        self._done = done
        self._check = check
        self._raw = raw
        self._busy = False
        self.submit_button = ft.FilledButton(submit_label, on_click=self._clicked, width=float("inf"), height=44)
        self.button = ft.Semantics(identifier=identifier, content=self.submit_button)
        for field in fields.values():
            if field.on_submit is None and not field.multiline:
                field.on_submit = self._clicked

    def values(self) -> dict[str, str]:
        return {
            name: (field.value or "") if name in self._raw else (field.value or "").strip()
            for name, field in self.fields.items()
        }

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Messages under their fields; fields not named are cleared. Only a field showing an error
        reports each keystroke (to `_edited`), so typing in a clean form costs no round trips."""
        for name, field in self.fields.items():
            field.error = errors.get(name)
            if field.on_change is None or field.on_change == self._edited:
                field.on_change = self._edited if field.error else None

    async def submit(self) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            values = self.values()
            errors = self._check(values)
            self.show_errors(messages(errors, self._ctx.t.language))
            if errors:
                return
            self.submit_button.disabled = True
            self._ctx.page.update()
            try:
                result = await self._send(values)
            except APIStatusError as exc:
                if exc.field in self.fields:
                    self.show_errors({exc.field: exc.message})
                else:
                    self._ctx.notify(exc.message)
                return
            except YiwangError as exc:
                self._ctx.notify(describe_error(exc, self._ctx.t))
                return
        finally:
            self._busy = False
            self.submit_button.disabled = False
            self._ctx.page.update()  # errors under fields and the button, whichever way it ended
        outcome = self._done(result)
        if outcome is not None:
            await outcome

    async def _clicked(self, _: ft.Event[Any]) -> None:
        await self.submit()

    async def _edited(self, event: ft.Event[ft.TextField]) -> None:
        """A field showing an error is checked again as it changes, so the message goes once it is right."""
        field = event.control
        if not field.error:
            return
        name = next(n for n, f in self.fields.items() if f is field)
        code = self._check(self.values()).get(name)
        field.error = message_for(code, self._ctx.t.language) if code else None
        if field.error is None:
            field.on_change = None
        update_if_shown(field)
