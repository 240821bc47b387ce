"""Real-browser test fixtures: Debian's Chromium driven by Playwright (sync API).

Never run ``playwright install``: we launch the system browser
(``/usr/bin/chromium``, Debian package ``chromium``; override with env
``CHROMIUM_PATH``) via ``executable_path``.  If it is missing the ``chromium``
fixture fails with a clear message when ``CI=true`` and skips the test otherwise.

Fixtures:
  * ``chromium`` (session): a launched ``playwright.sync_api.Browser``.
  * ``browser_page``: a fresh context + page per test (390x844 phone viewport,
    zh-CN locale), closed afterwards; console errors in ``page.console_errors``.
  * ``app_server``: factory ``app_server(args, port=None, cwd=None, env=None,
    timeout=60) -> "http://127.0.0.1:PORT"`` starting a subprocess (e.g.
    ``[sys.executable, "main.py", "--port", "{port}"]``, "{port}" is substituted)
    and waiting until its HTTP port answers; killed (process group) at teardown.
    Output goes to a log file whose tail is shown if startup fails.
  * ``browser_helpers``: namespace with the plain helpers below, for tests that
    prefer fixtures to ``from conftest import ...``.

Browser tests must be sync (Playwright sync API) and are moved to the end of the
session (see ``pytest_collection_modifyitems``; they are also marked ``browser``)
so the session-wide Playwright loop never overlaps pytest-asyncio tests.

Helpers (module functions):
  * ``wait_first_frame(page, timeout=60000)``: Flet's ``#loading`` element is gone;
  * ``enable_semantics(page)``: turn on Flutter's accessibility tree so
    ``get_by_role`` / ``[flt-semantics-identifier=...]`` work;
  * ``free_port()``: an unused TCP port on 127.0.0.1;
  * ``wait_http(url, timeout)``: poll until an HTTP GET answers;
  * ``start_server(args, ...)`` -> ``ServerProcess`` (what ``app_server`` uses).

Flet web notes: serve with ``no_cdn=True`` (offline CanvasKit) on 127.0.0.1; type
with ``locator.click()`` + ``page.keyboard.type()`` (``fill()`` does not reach
Flutter); NavigationBar destinations have role "tab"; TextField label -> textbox
name; ``ft.Semantics(identifier="x")`` -> ``[flt-semantics-identifier="x"]``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import types
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path

import psutil
import pytest

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
REPO_ROOT = Path(__file__).resolve().parents[2]


def is_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


# --------------------------------------------------------------------------- helpers
def free_port() -> int:
    """An unused TCP port on 127.0.0.1 (small race window until the app binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    """Poll ``url`` until it answers any HTTP status; raise TimeoutError/RuntimeError."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server process exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                r.read(1)
                return
        except urllib.error.HTTPError:
            return  # it answered, even if with 404/500
        except Exception as e:  # connection refused, reset, timeout
            last = e
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s (last error: {last})")


def wait_first_frame(page, timeout: float = 60000) -> None:
    """Wait until Flet's loading indicator is removed (first Flutter frame shown)."""
    page.wait_for_function("document.getElementById('loading') === null", timeout=timeout)


def enable_semantics(page, timeout: float = 30000) -> None:
    """Switch on Flutter web's semantics tree (needed for get_by_role & identifiers)."""
    placeholder = page.locator("flt-semantics-placeholder")
    placeholder.wait_for(state="attached", timeout=timeout)
    placeholder.dispatch_event("click")
    page.wait_for_selector("flt-semantics", state="attached", timeout=timeout)


class ServerProcess:
    """A subprocess serving HTTP on 127.0.0.1:port; ``stop()`` kills its process group."""

    def __init__(self, proc: subprocess.Popen, port: int, log_path: Path):
        self.proc = proc
        self.port = port
        self.log_path = log_path
        self.url = f"http://127.0.0.1:{port}"

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self, timeout: float = 10.0) -> None:
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # our own group (start_new_session)
        except ProcessLookupError:
            return
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)


def start_server(
    args: Sequence[str],
    *,
    port: int | None = None,
    cwd: str | Path | None = None,
    env: dict | None = None,
    timeout: float = 60.0,
    health_path: str = "/",
) -> ServerProcess:
    """Start ``args`` ("{port}" replaced) and wait until http://127.0.0.1:port answers.

    The environment forces Flet's web server on 127.0.0.1 without opening a browser
    (FLET_FORCE_WEB_SERVER, FLET_SERVER_IP, FLET_SERVER_PORT) and no CDN
    (FLET_WEB_NO_CDN); pass ``env`` to add or override.
    """
    port = port or free_port()
    full_env = dict(os.environ)
    full_env.update(
        {
            "FLET_FORCE_WEB_SERVER": "true",
            "FLET_SERVER_IP": "127.0.0.1",
            "FLET_SERVER_PORT": str(port),
            "FLET_WEB_NO_CDN": "true",
            "PYTHONUNBUFFERED": "1",
        }
    )
    full_env.update(env or {})
    argv = [str(a).replace("{port}", str(port)) for a in args]
    log_fd, log_name = tempfile.mkstemp(prefix="app-server-", suffix=".log")
    log_path = Path(log_name)
    with os.fdopen(log_fd, "wb") as log:
        proc = subprocess.Popen(
            argv,
            cwd=str(cwd) if cwd else None,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = ServerProcess(proc, port, log_path)
    try:
        wait_http(server.url + health_path, timeout=timeout, proc=proc)
    except Exception as e:
        server.stop()
        raise RuntimeError(f"server {argv} failed to start: {e}\n--- log tail ---\n{server.log_tail()}") from e
    return server


# --------------------------------------------------------------------------- ordering
def pytest_itemcollected(item):
    """Mark every test that uses Chromium ``browser`` (so ``-m "not browser"`` works);
    done at collection, before ``-m`` deselects."""
    if "chromium" in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.browser)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """Run tests that use Chromium last.

    Playwright's sync API marks its event loop as *running* in the main thread
    between calls for as long as it is started; pytest-asyncio tests (tests/ui)
    that run while the session-scoped Playwright driver is alive then fail
    with "Runner.run() cannot be called from a running event loop".  Moving the
    browser tests to the end keeps the two apart.  Browser tests must be sync.
    They are also marked ``browser``.
    """
    browser = [i for i in items if "chromium" in getattr(i, "fixturenames", ())]
    if browser:
        ids = {id(i) for i in browser}
        items[:] = [i for i in items if id(i) not in ids] + browser


# --------------------------------------------------------------------------- watchdog
# No browser test takes this long, setup and teardown included; past it, the test's Chromium pages are killed.
BROWSER_TEST_LIMIT_SECONDS = 240


def _kill_renderers() -> list[int]:
    """Kill this session's Chromium renderers (not the browsers): every Playwright call waiting on a page then
    fails at once with "Target crashed", and context.close(), which has no timeout of its own, returns."""
    killed = []
    for process in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "--type=renderer" in process.cmdline():
                process.kill()
                killed.append(process.pid)
    return killed


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """A browser test that overruns fails with a clear message instead of stalling the whole run."""
    if "chromium" not in getattr(item, "fixturenames", ()):
        yield
        return

    def overran() -> None:
        killed = _kill_renderers()
        print(
            f"\n{item.nodeid} overran {BROWSER_TEST_LIMIT_SECONDS} s: Chromium renderers {killed} killed",
            file=sys.__stderr__,
            flush=True,
        )

    timer = threading.Timer(BROWSER_TEST_LIMIT_SECONDS, overran)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright's driver (session-wide) and the path of Debian's Chromium."""
    exe = CHROMIUM_PATH if os.path.isabs(CHROMIUM_PATH) else shutil.which(CHROMIUM_PATH)
    if not exe or not os.path.exists(exe):
        msg = (
            f"Chromium not found at {CHROMIUM_PATH!r}: install Debian's package "
            "(apt-get install chromium) or set CHROMIUM_PATH. Do not run `playwright install`."
        )
        if is_ci():
            pytest.fail(msg, pytrace=False)
        pytest.skip(msg)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:  # pragma: no cover
        if is_ci():
            pytest.fail(f"playwright (Python) is not installed: {e}", pytrace=False)
        pytest.skip(f"playwright (Python) is not installed: {e}")

    pw = sync_playwright().start()
    try:
        yield pw, exe
    finally:
        pw.stop()


@pytest.fixture(scope="module")
def chromium(playwright_driver):
    """A Chromium of each test module's own: what one module's pages leave behind (a renderer still busy, memory)
    does not slow or stall the next module's."""
    pw, exe = playwright_driver
    browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def browser_page(chromium):
    """A new browser context + page (phone viewport, zh-CN); closed after the test."""
    ctx = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = ctx.new_page()
    page.console_errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    try:
        yield page
    finally:
        ctx.close()


@pytest.fixture
def app_server():
    """Factory: ``url = app_server([sys.executable, "app.py", "--port", "{port}"])``."""
    servers: list[ServerProcess] = []

    def start(args: Sequence[str], **kwargs) -> str:
        server = start_server(args, **kwargs)
        servers.append(server)
        return server.url

    start.servers = servers  # type: ignore[attr-defined]
    try:
        yield start
    finally:
        for s in servers:
            s.stop()


def backend_and_app(app_server, data: Path) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The backend as a server of its own on a fresh data folder, and the web app pointed at it with --api-url: the
    tests can then talk to the backend (an officer's reply) or stop it (offline reading). Returns both URLs."""
    backend = app_server(
        [sys.executable, "-m", "server", "--port", "{port}", "--data-dir", str(data / "data")],
        cwd=REPO_ROOT,
        timeout=120,
        health_path="/api/v1/health",
    )
    return backend, app_server(
        [sys.executable, "main.py", "--web", "--port", "{port}", "--api-url", backend], cwd=REPO_ROOT
    )


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One whole system (`python main.py --web`, fresh demo data) for a module: starting it takes a while."""
    data = tmp_path_factory.mktemp("system") / "data"
    server = start_server(
        [sys.executable, "main.py", "--web", "--port", "{port}", "--data-dir", str(data)], cwd=REPO_ROOT, timeout=120
    )
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def browser_helpers():
    return types.SimpleNamespace(
        wait_first_frame=wait_first_frame,
        enable_semantics=enable_semantics,
        free_port=free_port,
        wait_http=wait_http,
        start_server=start_server,
        python=sys.executable,
        repo_root=REPO_ROOT,
    )
