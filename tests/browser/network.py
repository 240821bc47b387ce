"""What a page downloads, as Chromium's network layer reports it (bytes on the wire, after compression).

Shared by tests/browser/test_web_delivery.py and bench/web_bench.py so the test and the benchmark count alike.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page


@dataclass
class Request:
    url: str
    started: float
    status: int | None = None
    encoding: str | None = None
    cached: bool = False
    transferred: int = 0
    failed: str | None = None

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


@dataclass
class NetworkLog:
    """Every request of one page from now on; `transferred` is what came over the network (0 from the cache)."""

    requests: dict[str, Request] = field(default_factory=dict)

    @classmethod
    def attach(cls, context: BrowserContext, page: Page) -> NetworkLog:
        log = cls()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", log._sent)
        cdp.on("Network.responseReceived", log._received)
        cdp.on("Network.loadingFinished", log._finished)
        cdp.on("Network.loadingFailed", log._failed)
        return log

    def _sent(self, event: dict) -> None:  # type: ignore[type-arg]
        url = event["request"]["url"]
        if not url.startswith(("blob:", "data:")):
            self.requests[event["requestId"]] = Request(url, time.monotonic())

    def _received(self, event: dict) -> None:  # type: ignore[type-arg]
        request = self.requests.get(event["requestId"])
        if request is not None:
            response = event["response"]
            headers = {name.lower(): value for name, value in response["headers"].items()}
            request.status = response["status"]
            request.encoding = headers.get("content-encoding")
            request.cached = bool(response.get("fromDiskCache") or response.get("fromMemoryCache"))

    def _finished(self, event: dict) -> None:  # type: ignore[type-arg]
        request = self.requests.get(event["requestId"])
        if request is not None:
            request.transferred = int(event["encodedDataLength"])

    def _failed(self, event: dict) -> None:  # type: ignore[type-arg]
        request = self.requests.get(event["requestId"])
        if request is not None:
            request.failed = event["errorText"]

    @property
    def transferred(self) -> int:
        return sum(r.transferred for r in self.requests.values())

    def foreign(self, own_host: str) -> list[str]:
        return [r.url for r in self.requests.values() if r.host != own_host]

    def errors(self) -> list[str]:
        """Responses 4xx/5xx and requests that failed (aborted ones included)."""
        return [
            f"{r.status or r.failed} {r.url}"
            for r in self.requests.values()
            if (r.status or 0) >= 400 or (r.failed and r.status is None)
        ]

    def by_path(self, suffix: str) -> list[Request]:
        return [r for r in self.requests.values() if r.path.endswith(suffix)]
