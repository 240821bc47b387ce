"""What a phone downloads and waits for, and how many sessions one web server holds.

Part 1 (page loads) serves Flet's hello world (bench/hello_web.py, `no_cdn`) and Yiwang (`python main.py --web`)
side by side and loads each in Chromium at 390x844 with a fresh profile, interleaved, `--runs` times: bytes and
requests of the cold visit and of a reload, failed/4xx responses, requests to other hosts, and the median time to
the first frame and to the first Chinese text on screen (the semantics tree holding CJK text: 首页's greeting for
Yiwang, 你好 for hello world, which has no CJK font and draws boxes).

Part 2 (sessions) opens `--sessions` app sessions against Yiwang's server with Flet's own protocol (a WebSocket per
session speaking what the Flutter client speaks: register, answer method calls, send route changes) and prints the
server process's memory and CPU per idle and per active session (active: a route change every 2 s each).

    python bench/web_bench.py [--runs 7] [--sessions 50] [--no-loads] [--no-sessions]

Figures from a shared, busy machine are noisy: compare runs made the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import msgpack
import psutil
import websockets
from playwright.sync_api import Browser, sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.browser.conftest import CHROMIUM_ARGS, CHROMIUM_PATH, ServerProcess, start_server  # noqa: E402
from tests.browser.network import NetworkLog  # noqa: E402

PHONE = {"width": 390, "height": 844}
# Records when Flutter's first frame happens and when the semantics tree first holds Chinese text.
TIMING_SCRIPT = """
window.__bench = {};
window.addEventListener('flutter-first-frame', () => {
  window.__bench.frame = performance.now();
  const poll = () => {
    document.querySelector('flt-semantics-placeholder')?.click();
    const text = [...document.querySelectorAll('flt-semantics')]
      .map(el => (el.textContent || '') + (el.getAttribute('aria-label') || '')).join(' ');
    if (/[\\u4e00-\\u9fff]{2}/.test(text.replace(/首页|政务公开|网上办事|互动交流|我的/g, ''))) {
      window.__bench.content = performance.now();
    } else {
      requestAnimationFrame(poll);
    }
  };
  requestAnimationFrame(poll);
}, { once: true });
"""


@dataclass
class LoadFigures:
    cold_bytes: list[int] = field(default_factory=list)
    cold_requests: list[int] = field(default_factory=list)
    cold_errors: list[int] = field(default_factory=list)
    foreign: list[int] = field(default_factory=list)
    warm_bytes: list[int] = field(default_factory=list)
    warm_requests: list[int] = field(default_factory=list)
    warm_errors: list[int] = field(default_factory=list)
    first_frame: list[float] = field(default_factory=list)
    first_content: list[float] = field(default_factory=list)


def load_once(browser: Browser, server: ServerProcess, figures: LoadFigures) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        context.add_init_script(TIMING_SCRIPT)
        page = context.new_page()
        cold = NetworkLog.attach(context, page)
        page.goto(server.url)
        page.wait_for_function("window.__bench.content !== undefined", timeout=90000)
        page.wait_for_timeout(2000)  # what the first screen fetches late counts too
        timing = page.evaluate("window.__bench")
        figures.first_frame.append(timing["frame"] / 1000)
        figures.first_content.append(timing["content"] / 1000)
        figures.cold_bytes.append(cold.transferred)
        figures.cold_requests.append(len(cold.requests))
        figures.cold_errors.append(len(cold.errors()))
        figures.foreign.append(len(cold.foreign(server.url.split("//", 1)[1])))

        warm = NetworkLog.attach(context, page)
        page.reload()
        page.wait_for_function("window.__bench.content !== undefined", timeout=90000)
        page.wait_for_timeout(2000)
        figures.warm_bytes.append(warm.transferred)
        figures.warm_requests.append(len(warm.requests))
        figures.warm_errors.append(len(warm.errors()))
    finally:
        context.close()


def print_loads(results: dict[str, LoadFigures], runs: int) -> None:
    def mb(values: list[int]) -> str:
        return f"{statistics.median(values) / 1e6:.2f} MB"

    def kb(values: list[int]) -> str:
        return f"{statistics.median(values) / 1e3:.1f} KB"

    def count(values: list[int]) -> str:
        return f"{min(values)}-{max(values)}" if min(values) != max(values) else str(values[0])

    def seconds(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} s"

    rows = [
        ("cold visit, bytes transferred", lambda f: mb(f.cold_bytes)),
        ("cold visit, requests", lambda f: count(f.cold_requests)),
        ("cold visit, failed or 4xx/5xx", lambda f: count(f.cold_errors)),
        ("cold visit, requests to other hosts", lambda f: count(f.foreign)),
        ("reload, bytes transferred", lambda f: kb(f.warm_bytes)),
        ("reload, requests / failed or 4xx", lambda f: f"{count(f.warm_requests)} / {count(f.warm_errors)}"),
        ("first frame, median", lambda f: seconds(f.first_frame)),
        ("first Chinese text, median", lambda f: seconds(f.first_content)),
    ]
    names = list(results)
    print(f"\nPage loads at 390x844, fresh profile, {runs} interleaved runs each")
    print(f"| | {' | '.join(names)} |")
    print(f"|---|{'---|' * len(names)}")
    for label, cell in rows:
        print(f"| {label} | {' | '.join(cell(results[n]) for n in names)} |")
    hello, yiwang = results["hello world"], results["Yiwang"]
    frame_ratio = statistics.median(yiwang.first_frame) / statistics.median(hello.first_frame)
    content_ratio = statistics.median(yiwang.first_content) / statistics.median(yiwang.first_frame)
    print(f"Yiwang first frame / hello world's: {frame_ratio:.2f}x (goal <= 1.1x)")
    print(f"Yiwang first Chinese text / its first frame: {content_ratio:.2f}x (goal <= 1.5x)")


def run_loads(servers: dict[str, ServerProcess], runs: int) -> None:
    results = {name: LoadFigures() for name in servers}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS, headless=True)
        try:
            for _ in range(runs):
                for name, server in servers.items():
                    load_once(browser, server, results[name])
        finally:
            browser.close()
    print_loads(results, runs)


class ProtocolSession:
    """One app session as the Flutter client holds it: registers, answers method calls, changes routes."""

    ROUTES = ("/disclosure", "/services", "/interaction", "/me", "/")

    def __init__(self, url: str) -> None:
        self.url = url.replace("http://", "ws://") + "/ws"
        self.received = 0
        self.registered = asyncio.Event()
        self.socket: websockets.ClientConnection | None = None

    async def _send(self, action: int, body: object) -> None:
        assert self.socket is not None
        await self.socket.send(b"\x00" + msgpack.packb([action, body]))

    async def run(self) -> None:
        async with websockets.connect(self.url, max_size=None) as socket:
            self.socket = socket
            page = {"route": "/", "web": True, "platform": "android", "width": 390.0, "height": 844.0}
            await self._send(1, {"session_id": "", "page_name": "", "page": page})
            async for frame in socket:
                if not isinstance(frame, bytes) or frame[:1] != b"\x00":
                    continue
                self.received += 1
                action, body = msgpack.unpackb(frame[1:], strict_map_key=False)
                if action == 1:
                    self.registered.set()
                elif action == 5:  # the client's answer to a method call (SharedPreferences, storage): nothing kept
                    result = {"control_id": body["control_id"], "call_id": body["call_id"], "result": None}
                    await self._send(5, {**result, "error": None})

    async def navigate(self, index: int) -> None:
        route = self.ROUTES[index % len(self.ROUTES)]
        await self._send(4, {"id": 1, "props": {"route": route}})
        await self._send(3, {"target": 1, "name": "route_change", "data": {"route": route}})


def _usage(process: psutil.Process) -> tuple[int, float]:
    cpu = process.cpu_times()
    return process.memory_info().rss, cpu.user + cpu.system


async def measure_sessions(server: ServerProcess, count: int, seconds: float) -> None:
    process = psutil.Process(server.proc.pid)
    await asyncio.sleep(2)
    rss_before, _ = _usage(process)
    sessions = [ProtocolSession(server.url) for _ in range(count)]
    tasks = []
    for session in sessions:  # a few at a time, like people arriving
        tasks.append(asyncio.create_task(session.run()))
        await asyncio.wait_for(session.registered.wait(), 60)
    await asyncio.sleep(5)  # first screens loaded
    rss_idle, cpu_start = _usage(process)
    await asyncio.sleep(seconds)
    _, cpu_idle_end = _usage(process)

    async def active(session: ProtocolSession, offset: int) -> None:
        step = offset
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await session.navigate(step)
            step += 1
            await asyncio.sleep(2)

    await asyncio.gather(*(active(s, i) for i, s in enumerate(sessions)))
    rss_active, cpu_active_end = _usage(process)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    messages = sum(s.received for s in sessions) / count

    idle_cpu = (cpu_idle_end - cpu_start) / seconds / count * 100
    active_cpu = (cpu_active_end - cpu_idle_end) / seconds / count * 100
    print(f"\nSessions: {count} concurrent app sessions on one server process (Flet's protocol, {seconds:.0f} s each)")
    print("| | per session | all sessions |")
    print("|---|---|---|")
    print(f"| memory, idle | {(rss_idle - rss_before) / count / 1e6:.2f} MB | {(rss_idle - rss_before) / 1e6:.0f} MB |")
    print(
        f"| memory, active | {(rss_active - rss_before) / count / 1e6:.2f} MB | {(rss_active - rss_before) / 1e6:.0f} MB |"
    )
    print(f"| CPU, idle | {idle_cpu:.3f} % of a core | {idle_cpu * count:.1f} % |")
    print(f"| CPU, active (a route change / 2 s) | {active_cpu:.2f} % of a core | {active_cpu * count:.1f} % |")
    print(f"(a fresh server process: {rss_before / 1e6:.0f} MB before the sessions, the API in the same process;")
    print(f" {messages:.0f} messages from the server per session)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20, help="length of the idle and the active phase")
    parser.add_argument("--no-loads", action="store_true")
    parser.add_argument("--no-sessions", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="web-bench-") as data:
        yiwang = [sys.executable, "main.py", "--web", "--port", "{port}", "--data-dir", data]
        if not args.no_loads:
            servers = {
                "hello world": start_server([sys.executable, "bench/hello_web.py", "{port}"], cwd=REPO),
                "Yiwang": start_server(yiwang, cwd=REPO, timeout=180),
            }
            try:
                run_loads(servers, args.runs)
            finally:
                for server in servers.values():
                    server.stop()
        if not args.no_sessions:  # a fresh process: memory freed by the page loads would hide the sessions' own
            server = start_server(yiwang, cwd=REPO, timeout=180)
            try:
                asyncio.run(measure_sessions(server, args.sessions, args.seconds))
            finally:
                server.stop()


if __name__ == "__main__":
    main()
