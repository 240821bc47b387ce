"""Turns the page's route into a screen inside the frame, and rebuilds it when the route or width changes."""

import flet as ft

from app.context import AppContext
from app.shell.boundary import ErrorBoundary
from app.shell.layout import frame
from app.shell.not_found import not_found_screen
from app.shell.routes import RouteTable, is_compact
from app.theme_fonts import ensure_rare_font


class Navigator:
    def __init__(self, ctx: AppContext, routes: RouteTable) -> None:
        self.ctx = ctx
        self.routes = routes
        self.current_route = "/"
        self._compact = is_compact(ctx.page.width)
        ctx.rerender = self.rerender

    def show(self, route: str) -> None:
        self.current_route = route
        self.ctx.route = current = self.routes.match(route)
        self.ctx.boundary = boundary = ErrorBoundary(self.ctx.t, self.ctx.notify, self.rerender)
        screen = (self.routes.builder(current) or not_found_screen)(self.ctx)
        boundary.content = screen.body
        page = self.ctx.page
        page.title = f"{screen.title} - {self.ctx.t('app.title')}"
        if self.ctx.profile is not None:  # a name with a rare character (生僻字) brings its font along
            ensure_rare_font(page, self.ctx.profile.name, self.ctx.profile.address or "")
        page.views.clear()
        unread = self.ctx.unread_messages
        badges = {"/me": "99+" if unread > 99 else str(unread)} if unread > 0 else {}
        page.views.append(frame(screen, boundary, current, page.width, self.ctx.t, self.ctx.go, badges))
        page.update()
        for load in screen.loads:
            page.run_task(boundary.run, load)

    def rerender(self) -> None:
        self.show(self.current_route)

    def route_changed(self, event: ft.RouteChangeEvent) -> None:
        self.show(event.route)

    def resized(self, event: ft.PageResizeEvent) -> None:
        """Only crossing the phone/tablet boundary changes the frame; other resizes are Flutter's job."""
        compact = is_compact(event.width)
        if compact != self._compact:
            self._compact = compact
            self.rerender()
