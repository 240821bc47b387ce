"""Admission to the database: never more requests holding a session than the pool has connections.

Sync routes and dependencies run in anyio's thread pool (40 threads a process). When more requests wanted a
connection than the pool held, the extra threads blocked inside the pool while the requests that held the
connections waited for a free thread to finish on: everyone waited out the pool's timeout and got a 500. So a
request first waits for a database slot here, on the event loop, holding neither a thread nor a connection.
There are as many slots as pooled connections (`server.db.POOL_CONNECTIONS`, well under the 40 threads),
given in arrival order; a request that gets none within `wait` seconds is answered 503 `server_busy` with
Retry-After, which the app's client honours.

No single route may hold more than half of the slots, so a burst of slow requests of one kind leaves the rest
of the API its share. Routes that hash a password hold no more slots than can hash at once, plus one about to:
a burst of log-ins queues here, within the bounded wait, not inside with a connection each.
"""

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Annotated

import anyio
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from api_client import API_PREFIX
from server.accounts.passwords import HASHES_AT_ONCE
from server.core.errors import ApiError, error_response
from server.db import POOL_CONNECTIONS

WAIT_SECONDS = 5.0
RETRY_AFTER_SECONDS = 2
ROUTE_SHARE = 0.5
PASSWORD_ROUTES = (f"POST {API_PREFIX}/auth/login", f"POST {API_PREFIX}/auth/register")

log = logging.getLogger("yiwang.admission")


class DatabaseGate:
    """Slots for holding a database session, per process; see the module docstring."""

    def __init__(
        self,
        slots: int,
        wait: float = WAIT_SECONDS,
        retry_after: int = RETRY_AFTER_SECONDS,
        narrow_routes: Mapping[str, int] | None = None,
    ) -> None:
        """`narrow_routes` gives some routes (by "METHOD /path") fewer slots than the usual share."""
        self.slots = slots
        self.wait = wait
        self.retry_after = retry_after
        self.route_slots = max(1, int(slots * ROUTE_SHARE))
        self._all = anyio.CapacityLimiter(slots)
        self._routes = {route: anyio.CapacityLimiter(n) for route, n in (narrow_routes or {}).items()}

    @asynccontextmanager
    async def admit(self, route: str) -> AsyncIterator[None]:
        """Holds a slot (first the route's, then one of all) for the block, or raises 503 after `wait`."""
        lane = self._routes.get(route)
        if lane is None:
            lane = self._routes[route] = anyio.CapacityLimiter(self.route_slots)
        borrower = object()
        held: list[anyio.CapacityLimiter] = []
        try:
            with anyio.move_on_after(self.wait):
                for limiter in (lane, self._all):
                    await limiter.acquire_on_behalf_of(borrower)
                    held.append(limiter)
            if len(held) < 2:
                raise ApiError(503, "server_busy", headers={"Retry-After": str(self.retry_after)})
            yield
        finally:
            for limiter in reversed(held):
                limiter.release_on_behalf_of(borrower)


async def database_slot(request: Request) -> AsyncIterator[None]:
    """Dependency held by every request that touches the database, from before its session opens until after
    it closes (FastAPI ends dependencies in reverse order)."""
    key = f"{request.method} {getattr(request.scope.get('route'), 'path', '')}"
    async with request.app.state.database_gate.admit(key):
        yield


DatabaseSlot = Annotated[None, Depends(database_slot)]


def install_admission(app: FastAPI) -> None:
    """A gate as wide as the pool, and 503 (not 500) should a connection still be late: the safety net for any
    path that opened one without a slot."""
    narrow = dict.fromkeys(PASSWORD_ROUTES, HASHES_AT_ONCE + 1)
    app.state.database_gate = DatabaseGate(slots=POOL_CONNECTIONS, narrow_routes=narrow)

    @app.exception_handler(PoolTimeoutError)
    async def pool_exhausted(request: Request, _exc: PoolTimeoutError) -> JSONResponse:
        log.warning("database pool exhausted on %s %s", request.method, request.url.path)
        return error_response(request, 503, "server_busy", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
