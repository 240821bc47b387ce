"""Building blocks of the 政务公开 screens: article and search-result tiles, validity badges, the article body."""

import flet as ft

from api_client.models import ArticleRef, ArticleSummary, SearchResult, split_highlights
from app.context import AppContext
from app.i18n import Translator


def validity_chip(validity: str, t: Translator) -> ft.Control | None:
    if validity == "valid":
        return None
    color = ft.Colors.ERROR if validity == "repealed" else ft.Colors.TERTIARY
    return ft.Container(
        ft.Text(t(f"articles.validity.{validity}"), size=12, color=color, weight=ft.FontWeight.W_600),
        border=ft.Border.all(1, color),
        border_radius=4,
        padding=ft.Padding.symmetric(horizontal=6, vertical=1),
    )


def article_meta(t: Translator, kind: str, department: str | None, date: str) -> str:
    return " · ".join(part for part in (t(f"articles.kind.{kind}"), department, date) if part)


def article_tile(ctx: AppContext, article: ArticleSummary | ArticleRef) -> ft.Control:
    department = article.department.short_name if isinstance(article, ArticleSummary) else None
    meta = article_meta(ctx.t, article.kind, department, article.published_on.isoformat())
    if article.document_number:
        meta = f"{article.document_number} · {meta}"
    badge = validity_chip(article.validity, ctx.t)
    return ft.ListTile(
        title=ft.Text(article.title, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS, weight=ft.FontWeight.W_500),
        subtitle=ft.Text(meta, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        trailing=badge,
        on_click=lambda _: ctx.go(f"/disclosure/article/{article.id}"),
        content_padding=ft.Padding.symmetric(horizontal=4),
    )


def search_result_tile(ctx: AppContext, result: SearchResult) -> ft.Control:
    spans = [
        ft.TextSpan(text, ft.TextStyle(color=ft.Colors.PRIMARY, weight=ft.FontWeight.BOLD) if match else None)
        for text, match in split_highlights(result.snippet)
    ]
    kind = ctx.t(f"articles.kind.{result.kind}") if result.kind else ""
    return ft.ListTile(
        title=ft.Text(result.title, max_lines=2, weight=ft.FontWeight.W_500),
        subtitle=ft.Column(
            [
                ft.Text(spans=spans, max_lines=3, size=13),
                ft.Text(f"{kind} · {result.published_on.isoformat()}", size=12, color=ft.Colors.ON_SURFACE_VARIANT),
            ],
            spacing=2,
        ),
        on_click=lambda _: ctx.go(f"/disclosure/article/{result.id}"),
        content_padding=ft.Padding.symmetric(horizontal=4),
    )


def _markdown_style(scale: float) -> ft.MarkdownStyleSheet:
    def size(base: float) -> ft.TextStyle:
        return ft.TextStyle(size=round(base * scale, 1), height=1.6)

    return ft.MarkdownStyleSheet(
        p_text_style=size(16),
        h1_text_style=size(22),
        h2_text_style=size(19),
        h3_text_style=size(17),
        list_bullet_text_style=size(16),
        table_head_text_style=ft.TextStyle(size=round(15 * scale, 1), weight=ft.FontWeight.BOLD),
        table_body_text_style=ft.TextStyle(size=round(15 * scale, 1)),
    )


def article_markdown(body: str, scale: float = 1.0) -> ft.Markdown:
    """A document's Markdown as citizens read it, and as the 发布 preview shows it.

    Links are text only: nothing follows them and no handler opens them (a document cannot send a reader
    anywhere by a tap), and HTML in the text is not rendered as HTML (Flutter's Markdown has no HTML engine).
    """
    return ft.Markdown(
        body,
        selectable=True,
        extension_set=ft.MarkdownExtensionSet.GITHUB_WEB,
        md_style_sheet=_markdown_style(scale),
        auto_follow_links=False,
    )
