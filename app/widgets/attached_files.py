"""Files attached to a case, opened on a tap: a photo in a dialog (with 下载), a PDF handed to the browser or the
system to save. Shared by the officers' appeal view and the citizen's (account or fast-channel credentials), which
differ only in how the bytes are fetched.

    rows = attached_file_rows(ctx, [ShownFile(id, "附件1", "S2025...-附件1")], fetch=service.attachment, saver=saver)

`saver` is an `ft.FilePicker` the screen keeps a reference to for as long as it is shown.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import flet as ft

from api_client.models.attachments import sniff_format
from app.context import AppContext


@dataclass(frozen=True)
class ShownFile:
    id: str
    name: str
    """Shown on the row and read out by screen readers."""
    save_as: str
    """The saved file's name without its extension (the extension comes from the content)."""


def attached_file_rows(
    ctx: AppContext,
    files: Sequence[ShownFile],
    fetch: Callable[[str], Awaitable[bytes]],
    saver: ft.FilePicker,
    identifier_prefix: str = "appeal-attachment",
) -> list[ft.Control]:
    t = ctx.t
    rows: list[ft.Control] = []
    for index, file in enumerate(files, start=1):

        async def opened(_: ft.Event[ft.ListTile], file: ShownFile = file) -> None:
            content = await fetch(file.id)
            kind = sniff_format(content[:8]) or "pdf"  # the server keeps only PDF, JPEG and PNG files
            file_name = f"{file.save_as}.{'jpg' if kind == 'jpeg' else kind}"
            if kind == "pdf":
                await saver.save_file(file_name=file_name, src_bytes=content)
                return

            async def save(_: ft.Event[ft.TextButton]) -> None:
                await saver.save_file(file_name=file_name, src_bytes=content)

            ctx.page.show_dialog(
                ft.AlertDialog(
                    title=ft.Text(file.name),
                    content=ft.Image(src=content, fit=ft.BoxFit.CONTAIN, semantics_label=file.name),
                    actions=[
                        ft.TextButton(t("files.download"), on_click=ctx.guard(save)),
                        ft.TextButton(t("files.dismiss"), on_click=lambda _: ctx.page.pop_dialog()),
                    ],
                )
            )

        rows.append(
            ft.Semantics(
                identifier=f"{identifier_prefix}-{index}",
                content=ft.ListTile(
                    leading=ft.Icon(ft.Icons.ATTACH_FILE),
                    title=ft.Text(file.name),
                    subtitle=ft.Text(t("files.open"), size=12),
                    on_click=ctx.guard(opened),
                    dense=True,
                ),
            )
        )
    return rows
