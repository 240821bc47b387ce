"""Many requests at once against the ASGI app: sync routes run in the thread pool, as under uvicorn."""

import asyncio
from collections.abc import Sequence
from typing import Any

import httpx
from fastapi import FastAPI


async def send_at_once(
    app: FastAPI, requests: Sequence[dict[str, Any]], client_address: tuple[str, int]
) -> list[httpx.Response]:
    transport = httpx.ASGITransport(app=app, client=client_address)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as client:
        return list(await asyncio.gather(*(client.request(**request) for request in requests)))


def at_once(
    app: FastAPI, requests: Sequence[dict[str, Any]], client_address: tuple[str, int] = ("192.0.2.1", 50000)
) -> list[httpx.Response]:
    """Sends every request concurrently and returns the responses in the same order."""
    return asyncio.run(send_at_once(app, requests, client_address))
