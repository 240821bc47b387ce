"""The FastAPI application: routers under /api/v1, errors as JSON, a request id on every answer."""

import threading
import uuid
from typing import Literal

from fastapi import APIRouter, FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api_client import API_PREFIX
from api_client import models as wire
from server import VERSION
from server.accounts.routes import auth as auth_routes
from server.accounts.routes import me as me_routes
from server.appeals.routes import citizen as appeal_routes
from server.appeals.routes import officer as officer_appeal_routes
from server.appeals.routes import public as appeal_public_routes
from server.appeals.routes import supervision as appeal_supervision_routes
from server.applications.routes import citizen as application_routes
from server.applications.routes import officer as officer_application_routes
from server.applications.routes import public as application_public_routes
from server.appointments.routes import routers as appointment_routes
from server.articles.routes import articles as article_routes
from server.articles.routes import topics as topic_routes
from server.attachments.routes import router as attachment_routes
from server.attachments.service import UPLOAD_BODY_LIMIT
from server.config import Settings
from server.core.admission import install_admission
from server.core.deps import TrustedProxies
from server.core.errors import error_responses, install_error_handlers
from server.core.field_errors import install_field_errors_handler
from server.core.http_cache import CachedReadsMiddleware, CachedResponse, ReadCache
from server.core.idempotency import install_replay_handler
from server.core.request_limits import RequestLimitsMiddleware
from server.core.security_headers import SecurityHeadersMiddleware, allow_cross_origin
from server.db import make_engine, make_sessionmaker
from server.departments.routes import router as department_routes
from server.notifications.routes import router as notification_routes
from server.search import lexicon as search_lexicon
from server.search.routes import router as search_routes
from server.services.routes import service_items as service_item_routes
from server.services.routes import service_themes as service_theme_routes
from server.workdays.routes import router as calendar_routes


class RequestIdMiddleware:
    """Echoes the caller's X-Request-ID or makes one, so a citizen's report can be traced in logs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"")[:64]
        request_id = incoming or uuid.uuid4().hex.encode()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", request_id))
            await send(message)

        await self.app(scope, receive, send_with_id)


def create_app(settings: Settings) -> FastAPI:
    """The API over an already migrated database (see `server.lifecycle.prepare`)."""
    app = FastAPI(title="一网通办 Yiwang API", version=VERSION, openapi_url="/openapi.json", docs_url="/docs")
    engine = make_engine(settings.database_url)
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    install_admission(app)
    app.state.settings = settings
    app.state.trusted_proxies = TrustedProxies(settings.trusted_proxies)
    threading.Thread(target=search_lexicon.warm_up, name="search-warm-up", daemon=True).start()
    database: Literal["sqlite", "postgresql"] = "postgresql" if settings.dialect == "postgresql" else "sqlite"

    system = APIRouter(tags=["system"])

    @system.get("/health", response_model=wire.Health, responses=error_responses())
    async def health() -> wire.Health:
        """On the event loop, with no database slot: answers at once however busy the rest is."""
        return wire.Health(status="ok", version=VERSION, database=database)

    # Each router straight onto the app, hot reads first: routing walks them in order, and on a cached read
    # matching costs more than the handler (tested by bench/articles_bench.py).
    for router in (
        article_routes,
        service_item_routes,
        search_routes,
        topic_routes,
        service_theme_routes,
        department_routes,
        system,
        auth_routes,
        me_routes,
        *appointment_routes,
    ):
        app.include_router(router, prefix=API_PREFIX)
    for router in (
        application_routes,
        officer_application_routes,
        application_public_routes,
        attachment_routes,
        notification_routes,
        calendar_routes,
        appeal_routes,
        officer_appeal_routes,
        appeal_supervision_routes,
        appeal_public_routes,
    ):
        app.include_router(router, prefix=API_PREFIX)
    install_error_handlers(app)
    install_field_errors_handler(app)
    install_replay_handler(app)
    public_reads = tuple(
        f"{API_PREFIX}{router.prefix}"
        for router in (article_routes, service_item_routes, search_routes, topic_routes, service_theme_routes)
    )
    app.state.read_cache = ReadCache[CachedResponse]()
    app.add_middleware(CachedReadsMiddleware, prefixes=public_reads, cache=app.state.read_cache)
    # Uploads have their own limit (a file plus its multipart envelope); the route counts the file's bytes itself.
    app.add_middleware(RequestLimitsMiddleware, body_limits_by_prefix={f"{API_PREFIX}/attachments": UPLOAD_BODY_LIMIT})
    app.add_middleware(SecurityHeadersMiddleware)
    allow_cross_origin(app, settings.cors_origins)
    app.add_middleware(RequestIdMiddleware)  # outermost: cached answers carry a request id too
    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn worker processes, which learn the settings from the environment."""
    return create_app(Settings.resolve())
