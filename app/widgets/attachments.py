"""`AttachmentPicker`: files for one purpose (an application's material, an appeal's evidence), each checked for
format (by content, like the server) and size before it is uploaded, with a progress bar while it uploads and a
删除 button per file. The form that shows it owns the `ft.FilePicker` (a service: it must stay referenced) and
the list of files, which it keeps in its draft::

    picker = AttachmentPicker(
        ctx,
        form.file_picker,
        key="attachments",                        # `[flt-semantics-identifier="pick-attachments"]`
        title=t("compose.attachments"),
        details=[t("compose.attachments_hint")],
        formats=("jpeg", "png", "pdf"),
        files=draft.materials.get("attachments", []),
        upload=service.upload,                     # (filename, bytes) -> AttachmentInfo
        changed=keep_in_draft,                     # gets the new list after every upload or removal
        limit=9,
    )
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

import flet as ft
from pydantic import BaseModel

from api_client import YiwangError
from api_client.models import AttachmentInfo, FileFormat
from api_client.models.attachments import MAX_ATTACHMENT_BYTES, sniff_format
from app.widgets.buttons import icon_button
from app.widgets.states import describe_error, update_if_shown

if TYPE_CHECKING:
    from app.context import AppContext

EXTENSIONS: dict[FileFormat, list[str]] = {"pdf": ["pdf"], "jpeg": ["jpg", "jpeg"], "png": ["png"]}


class UploadedFile(BaseModel):
    """A file the server has taken, as a draft keeps it: the id to cite, the rest to show it."""

    id: str
    filename: str
    format: FileFormat
    size: int


def rejection(
    name: str, declared_size: int, content: bytes, formats: Sequence[FileFormat]
) -> tuple[str, dict[str, str]] | None:
    """Why a picked file is not uploaded, as a string key and its values; None when it may go."""
    if declared_size > MAX_ATTACHMENT_BYTES or len(content) > MAX_ATTACHMENT_BYTES:
        return "apply.too_large", {"name": name}
    detected = sniff_format(content[:16])
    if detected is None or detected not in formats:
        return "apply.wrong_format", {"name": name, "formats": "、".join(e for f in formats for e in EXTENSIONS[f])}
    return None


class AttachmentPicker(ft.Column):
    """What the files are for, the files uploaded, a picker, and a progress bar while uploading."""

    def __init__(
        self,
        ctx: "AppContext",
        file_picker: ft.FilePicker,
        *,
        key: str,
        title: str,
        details: Sequence[str],
        formats: Sequence[FileFormat],
        files: Sequence[UploadedFile],
        upload: Callable[[str, bytes], Awaitable[AttachmentInfo]],
        changed: Callable[[list[UploadedFile]], Awaitable[None]],
        limit: int | None = None,
    ) -> None:
        self._ctx = ctx
        self._file_picker = file_picker
        self.files_key = key
        self._title = title
        self._formats = list(formats)
        self._upload_file = upload
        self._changed = changed
        self._limit = limit
        self.uploaded: list[UploadedFile] = list(files)
        t = ctx.t
        self.files = ft.Column(spacing=0)
        self.progress = ft.ProgressBar(visible=False)
        self.progress_text = ft.Text(visible=False, size=12)
        self.error = ft.Text(visible=False, color=ft.Colors.ERROR, size=12)
        self.pick_button = ft.OutlinedButton(t("apply.pick"), icon=ft.Icons.UPLOAD_FILE, on_click=ctx.guard(self._pick))
        super().__init__(
            [
                ft.Text(title, weight=ft.FontWeight.W_600),
                *(ft.Text(line, size=12, color=ft.Colors.OUTLINE) for line in details),
                self.files,
                self.progress_text,
                self.progress,
                self.error,
                ft.Semantics(identifier=f"pick-{key}", content=self.pick_button),
            ],
            spacing=4,
        )
        self._show_files()

    def show_error(self, message: str | None) -> None:
        self.error.value = message or ""
        self.error.visible = bool(message)

    def _show_files(self) -> None:
        t = self._ctx.t

        def remove(file: UploadedFile) -> Callable[[ft.Event[ft.IconButton]], Awaitable[None]]:
            async def removed(_: ft.Event[ft.IconButton]) -> None:
                self.uploaded = [f for f in self.uploaded if f.id != file.id]
                self._show_files()
                update_if_shown(self)
                await self._changed(list(self.uploaded))

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
        t = self._ctx.t
        picked = await self._file_picker.pick_files(
            dialog_title=self._title,
            file_type=ft.FilePickerFileType.CUSTOM,
            allowed_extensions=[e for f in self._formats for e in EXTENSIONS[f]],
            allow_multiple=True,
            with_data=True,
        )
        self.show_error(None)
        for file in picked:
            if self._limit is not None and len(self.uploaded) >= self._limit:
                self.show_error(t("attachments.too_many", limit=self._limit))
                break
            content = file.bytes or b""
            problem = rejection(file.name, file.size, content, self._formats)
            if problem is not None:
                self.show_error(t(problem[0], **problem[1]))
                continue
            await self._upload(file.name, content)
        update_if_shown(self)

    async def _upload(self, name: str, content: bytes) -> None:
        t = self._ctx.t
        self.progress.visible = self.progress_text.visible = True
        self.progress.value = None  # indeterminate: the upload is one request
        self.progress_text.value = t("apply.uploading", name=name)
        self.pick_button.disabled = True
        update_if_shown(self)
        try:
            info = await self._upload_file(name, content)
        except YiwangError as exc:
            self.show_error(describe_error(exc, t))
            return
        finally:
            self.progress.visible = self.progress_text.visible = False
            self.pick_button.disabled = False
        self.uploaded = [
            *self.uploaded,
            UploadedFile(id=info.id, filename=info.filename, format=info.format, size=info.size),
        ]
        self._show_files()
        await self._changed(list(self.uploaded))
