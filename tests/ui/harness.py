"""Pure-Python test harness for Flet 1.0.5 apps (no Flutter, no browser).

It runs ``main(page)`` in a real :class:`flet.messaging.session.Session` over a
fake :class:`flet.messaging.connection.Connection` that plays the part of the
Flutter client: it msgpack-encodes every outgoing message exactly like the real
transport (the encoder records the snapshots that later ``update()`` diffs rely
on), answers client method invocations (``push_route``, SharedPreferences, ...)
and sends events the way the Dart client does (property patch first, then the
event).  This uses flet's internal API: keep it in this one file.

Usage (pytest-asyncio; mark tests with ``@pytest.mark.asyncio``)::

    import flet as ft
    import pytest
    from harness import FletHarness          # or: from tests.ui.harness import ...

    @pytest.mark.asyncio
    async def test_submit():
        async with FletHarness(main, width=390, height=844, route="/") as h:
            await h.type(h.get(type=ft.TextField, label="姓名"), "张三")
            await h.click("提交")                     # text of a clickable control
            assert "提交成功" in h.texts()
            await h.route("/settings")                # browser URL change
            await h.resize(1280, 800)                 # wide layout
            assert h.find(type=ft.NavigationRail)
            assert h.prefs == {"lang": "zh"}          # SharedPreferences store

Defaults: ``web=True, platform="android"`` (a phone browser); use ``web=False,
platform="linux"`` for desktop-only APIs (ft.StoragePaths raises in web mode).
With ``asyncio_mode = "auto"`` (pyproject) the asyncio marker is optional.
Debug helpers: ``h.dump()`` (indented tree), ``h.views`` / ``h.top_view``,
``h.dialogs()`` (open dialogs), ``h.describe(ctrl)``.

Session start follows the web server (flet_web/fastapi/flet_app.py):
``apply_page_patch({route, web, platform, width, height, ...})`` -> before_main ->
REGISTER_CLIENT reply built from ``get_page_patch()`` -> ``main(page)`` in a
task -> ``session.after_event(page)`` (auto-update).  ``async with`` waits for
``main`` to finish (see ``settle``) before the body runs.

Finding controls (``find`` returns a list, ``get`` exactly one, else AssertionError):
  * ``h.find(ft.Button)`` / ``h.find(type=ft.Button)``; ``h.find(lambda c: ...)``;
  * ``text="提交"``: the control's own text (Text.value/spans, a str ``content``,
    ``text``, ``label``, ``title``, or a ``content`` that is a Text with that value);
    ``text_contains="提交"`` for a substring; ``key="submit"`` (str or ft.Key value);
    ``label="姓名"``; any other keyword ``attr=value`` compares ``getattr(c, attr)``;
  * ``visible_only=True`` (default) walks what the user sees: the top view of
    ``page.views`` (incl. its appbar/navigation_bar/drawer...), ``page.overlay`` and
    open dialogs; controls with ``visible=False`` are skipped with their subtree.
    ``visible_only=False`` walks everything (all views, closed dialogs, services).
    Caveat: there is no layout, so every Tab's content of a TabBarView, every
    AnimatedSwitcher child etc. counts as "visible".
  * ``h.texts()`` -> list of visible Text strings; ``h.all_text()`` -> one string with
    those plus labels, hints, errors, str contents, tooltips... (for ``in`` asserts).

Acting (each waits for the handler and then ``settle()``; ``settle=False`` to skip):
  * ``await h.click(ctrl_or_text)``: "click" event; the control must be mounted,
    enabled, visible and have ``on_click`` or a client ``action`` (else
    AssertionError: catches a test pressing the wrong thing).  Client actions
    (``ft.CopyToClipboard``, ``ft.OpenUrl``) are performed like the client does
    (recorded in ``h.invocations`` with ``client_action=True``);
  * ``await h.type(field, "文本", submit=False)``: patch ``value`` + "change"
    (+ "submit");
  * ``await h.select(ctrl, index_or_value)``: NavigationBar/Rail/Tabs/... -> patch
    ``selected_index`` + "change"; Dropdown (str value) -> patch ``value`` + "select";
  * ``await h.fire(ctrl, "event", data, props={...})``: anything else (patch, event);
  * ``await h.route("/x")``: what the browser does on a URL change (page.route patch +
    "route_change" {"route": ...}); ``await h.back()`` fires "view_pop" for the top
    view like the AppBar back button;
  * ``await h.resize(w, h)``: page width/height patch + "resize" {"width", "height"};
  * ``await h.dismiss(dialog=None)``: what Flutter reports when a dialog / SnackBar
    goes away by itself or by the user (SnackBar timeout, tap outside, back):
    removes it from the dialog stack and calls on_dismiss.  Dialogs the app closes
    (``page.pop_dialog()``) are dismissed automatically by ``settle()``, as the
    client would after the close animation;
  * ``await h.settle(timeout=None)``: wait until every task started since the harness
    began (event handlers, ``page.run_task``, ``asyncio.create_task``, replies to
    invocations) and every ``page.run_thread`` job is done, or until the timeout
    (default ``settle_timeout=2.0``) passes: it never raises for time, returns False.
    Tasks that run forever (pollers) only cost that timeout; exclude them with
    ``h.ignore_task(task)`` or ``h.ignore_task("poll_func_name")``.

Client method invocations (INVOKE_METHOD) are answered so awaiting app code never
hangs; each one is recorded in ``h.invocations`` as an ``Invocation``:
  * Page ``push_route`` -> result None, then a real route change (patch + event);
  * ``ft.SharedPreferences`` -> in-memory dict ``h.prefs`` (set/get/contains_key/
    remove/get_keys/clear, values kept as given);
  * ``flet_secure_storage.SecureStorage`` -> dict ``h.secure_storage``;
  * ``ft.Clipboard`` -> ``h.clipboard`` (str); ``ft.UrlLauncher`` -> URLs appended to
    ``h.launched_urls``, can_launch/supports_* -> True;
  * anything else -> ``default_result`` (constructor arg, default None);
  * override or add: ``h.on_invoke("StoragePaths", "get_temporary_directory",
    lambda args: "/tmp")`` (type name = control ``_c``, or "*" for any; the handler
    may be async and may raise: the app then gets RuntimeError(str(exc)) like a
    client-side error).

Errors: exceptions in ``main`` or in event handlers reach the client as
SESSION_CRASHED messages; the harness collects them in ``h.errors`` and raises
``FletAppError`` from the next action / settle / ``async with`` exit
(``raise_errors=False`` to only collect).  ``h.messages`` holds every decoded
outgoing message ``(MessageAction, body)`` for low-level asserts.
"""

from __future__ import annotations

import asyncio
import builtins
import concurrent.futures
import dataclasses
import inspect
import logging
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import flet as ft
import msgpack
from flet.controls.base_control import BaseControl
from flet.controls.context import _context_page, context
from flet.messaging.connection import Connection
from flet.messaging.protocol import (
    InvokeMethodRequestBody,
    Message,
    MessageAction,
    RegisterClientResponseBody,
    configure_encode_object_for_msgpack,
    decode_ext_from_msgpack,
)
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

__all__ = ["FletAppError", "FletHarness", "Invocation"]

logger = logging.getLogger("flet_harness")

_ENCODE = configure_encode_object_for_msgpack(BaseControl)

# fields never walked: bookkeeping dicts and back references
_SKIP_FIELDS = {"_values", "_dirty", "_internals", "_parent", "_parent_component"}
# str-valued props collected by all_text()
_STRING_PROPS = (
    "value",
    "content",
    "text",
    "label",
    "title",
    "hint_text",
    "error",
    "error_text",
    "helper",
    "counter",
    "prefix",
    "suffix",
    "tooltip",
    "semantics_label",
    "subtitle",
    "leading",
    "message",
)


class FletAppError(AssertionError):
    """The app crashed (exception in main or in an event handler)."""


@dataclass
class Invocation:
    control_type: str
    control_id: int
    name: str
    args: Any
    result: Any = None
    error: str | None = None
    client_action: bool = False  # performed by the client for a control's `action`


class _TrackingExecutor(concurrent.futures.ThreadPoolExecutor):
    """ThreadPoolExecutor that remembers futures, so settle() can wait for run_thread."""

    def __init__(self):
        super().__init__(max_workers=4, thread_name_prefix="flet-harness")
        self.futures: set[concurrent.futures.Future] = set()

    def submit(self, fn, /, *args, **kwargs):
        fut = super().submit(fn, *args, **kwargs)
        self.futures.add(fut)
        fut.add_done_callback(self.futures.discard)
        return fut


class _FakeConnection(Connection):
    """Plays the Flutter client: encodes messages, answers invocations."""

    def __init__(self, harness: FletHarness, loop: asyncio.AbstractEventLoop):
        super().__init__()
        self._h = harness
        self.loop = loop
        self.executor = _TrackingExecutor()
        self.pubsubhub = PubSubHub(loop=loop, executor=self.executor)
        self.page_url = harness.page_url
        self.page_name = ""

    def send_message(self, message: Message):
        # Encode exactly like FletSocketServer / FletApp do: the default= hook
        # records __prev_* snapshots that later diffs depend on.
        packed = msgpack.packb([message.action, message.body], default=_ENCODE)
        decoded = msgpack.unpackb(packed, ext_hook=decode_ext_from_msgpack, strict_map_key=False)
        self._h._on_message(message, decoded)

    def get_upload_url(self, file_name: str, expires: int) -> str:
        return f"{self.page_url}/upload/{file_name}?expires={expires}"

    def oauth_authorize(self, attrs):
        self._h.invocations.append(Invocation("Page", 1, "oauth_authorize", attrs))


def _is_control(v: Any) -> bool:
    return isinstance(v, BaseControl)


def _key_value(c: BaseControl) -> Any:
    k = getattr(c, "key", None)
    return getattr(k, "value", k)


def _own_text(c: BaseControl) -> str | None:
    """The text a user would read on/for this control itself."""
    if isinstance(c, ft.Text):
        s = c.value or ""
        for sp in _iter_spans(c.spans):
            s += sp
        return s
    for name in ("content", "text", "label", "title"):
        v = getattr(c, name, None)
        if isinstance(v, str):
            return v
    content = getattr(c, "content", None)
    if isinstance(content, ft.Text):
        return _own_text(content)
    return None


def _iter_spans(spans) -> Iterator[str]:
    for sp in spans or []:
        if getattr(sp, "text", None):
            yield sp.text
        yield from _iter_spans(getattr(sp, "spans", None))


def _children(obj: Any) -> Iterator[Any]:
    """Yield direct values of a control/dataclass worth walking."""
    if not dataclasses.is_dataclass(obj):
        return
    for f in dataclasses.fields(obj):
        if f.name in _SKIP_FIELDS or f.metadata.get("skip", False):
            continue
        try:
            v = getattr(obj, f.name)
        except Exception:  # pragma: no cover - defensive
            continue
        if v is None or isinstance(v, (str, int, float, bool)):
            continue
        yield f.name, v


class FletHarness:
    """Run a Flet ``main(page)`` in-process and drive it like the Flutter client.

    Args:
        main: the app entry point, sync or async (generators work too).
        width, height: initial page size in logical pixels (phone by default).
        route: initial route (what the browser URL holds).
        web: value of ``page.web``; platform: ``page.platform`` ("android", "ios",
            "linux", "windows", "macos"); the browser sends the OS name.
        before_main: optional, run before the REGISTER_CLIENT reply (like ft.run's).
        prefs: initial SharedPreferences content (dict copied into ``h.prefs``).
        default_result: answer for client method calls nobody handles.
        settle_timeout: default seconds for ``settle()``.
        raise_errors: raise FletAppError when the app reports a crash.
        page_extra: additional page props sent on register (e.g. {"pwa": True}).
    """

    def __init__(
        self,
        main: Callable[[ft.Page], Any],
        *,
        width: float = 390,
        height: float = 844,
        route: str = "/",
        web: bool = True,
        platform: str = "android",
        before_main: Callable[[ft.Page], Any] | None = None,
        prefs: dict | None = None,
        default_result: Any = None,
        settle_timeout: float = 2.0,
        raise_errors: bool = True,
        page_url: str = "http://127.0.0.1:8550",
        page_extra: dict | None = None,
    ):
        self._main = main
        self._before_main = before_main
        self._initial = {
            "route": route,
            "web": web,
            "platform": platform,
            "width": width,
            "height": height,
            **(page_extra or {}),
        }
        self.page_url = page_url
        self.default_result = default_result
        self.settle_timeout = settle_timeout
        self.raise_errors = raise_errors

        self.prefs: dict[str, Any] = dict(prefs or {})
        self.secure_storage: dict[str, str] = {}
        self.clipboard: str | None = None
        self.launched_urls: list[str] = []
        self.invocations: list[Invocation] = []
        self.messages: list[tuple[MessageAction, Any]] = []
        self.errors: list[str] = []
        self._errors_raised = 0
        self._handlers: dict[tuple[str, str], Callable[[Any], Any]] = {}
        self._ignored: set[asyncio.Task] = set()
        self._ignored_names: set[str] = set()
        self._baseline: set[asyncio.Task] = set()
        self._tasks: set[asyncio.Task] = set()
        self.session: Session | None = None
        self.conn: _FakeConnection | None = None

    # ------------------------------------------------------------------ lifecycle
    async def __aenter__(self) -> FletHarness:
        try:
            await self.start()
        except BaseException:
            await self.close(raise_errors=False)  # __aexit__ is not called then
            raise
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await self.close(raise_errors=exc_type is None)

    async def start(self):
        loop = asyncio.get_running_loop()
        self._baseline = set(asyncio.all_tasks(loop))
        self.conn = _FakeConnection(self, loop)
        self.session = Session(self.conn)
        session = self.session
        _context_page.set(session.page)

        session.apply_page_patch(dict(self._initial))
        page = session.page
        page.client_ip = "127.0.0.1"
        page.client_user_agent = "FletHarness"

        register_error = ""
        if self._before_main is not None:
            try:
                r = self._before_main(page)
                if inspect.isawaitable(r):
                    await r
            except Exception as e:  # like the server: report, don't run main
                register_error = f"{e}\n{traceback.format_exc()}"

        self.conn.send_message(
            Message(
                MessageAction.REGISTER_CLIENT,
                RegisterClientResponseBody(
                    session_id=session.id,
                    page_patch=session.get_page_patch(),
                    error=register_error,
                ),
            )
        )
        if register_error:
            session.error(register_error)
        else:
            self._spawn(self._run_main(), name="flet-harness-main")
        await self.settle()

    async def _run_main(self):
        session = self.session
        main = self._main
        _context_page.set(session.page)
        context.reset_auto_update()
        try:
            if inspect.iscoroutinefunction(main):
                await main(session.page)
            elif inspect.isasyncgenfunction(main):
                async for _ in main(session.page):
                    await session.after_event(session.page)
            elif inspect.isgeneratorfunction(main):
                for _ in main(session.page):
                    await session.after_event(session.page)
            else:
                main(session.page)
            await session.after_event(session.page)
        except Exception as e:
            logger.error("Unhandled error in main()", exc_info=True)
            session.error(f"{e}\n{traceback.format_exc()}")

    async def close(self, raise_errors: bool = True):
        if self.session is None:
            return
        try:
            if raise_errors:
                self._raise_new_errors()
        finally:
            session, self.session = self.session, None
            try:
                session.close()  # cancels pending invokes, fires page "close"
            except Exception:  # pragma: no cover
                logger.debug("session.close failed", exc_info=True)
            await asyncio.sleep(0)
            pending = [t for t in self._pending_tasks() if not t.done()]
            for t in pending:
                t.cancel()
            if pending:
                await asyncio.wait(pending, timeout=1.0)
            self.conn.executor.shutdown(wait=False, cancel_futures=True)
            self._keep_session = session  # keep weakly-referenced objects alive until GC

    # ------------------------------------------------------------------ properties
    @property
    def page(self) -> ft.Page:
        assert self.session is not None, "harness not started (use `async with`)"
        return self.session.page

    @property
    def views(self) -> list[ft.View]:
        from flet.components.public_utils import unwrap_component

        views = unwrap_component(self.page.views)
        if isinstance(views, ft.View):
            return [views]
        return [unwrap_component(v) for v in views]

    @property
    def top_view(self) -> ft.View:
        return self.views[-1]

    # ------------------------------------------------------------------ messages
    def _on_message(self, message: Message, decoded: Any):
        action = message.action
        self.messages.append((action, decoded[1]))
        if action == MessageAction.SESSION_CRASHED:
            self.errors.append(message.body.message)
            logger.error("App crashed: %s", message.body.message)
        elif action == MessageAction.INVOKE_METHOD:
            body: InvokeMethodRequestBody = message.body
            # Answer asynchronously, like a real client does.
            self.conn.loop.call_soon(lambda: self._spawn(self._answer(body), name=f"flet-harness-invoke-{body.name}"))

    def on_invoke(self, control_type: str, method: str, handler: Callable[[Any], Any]):
        """Register an answer for ``control_type`` ("SharedPreferences", "Page", "*")."""
        self._handlers[(control_type, method)] = handler

    async def _answer(self, body: InvokeMethodRequestBody):
        session = self.session
        if session is None:
            return
        ctrl = session.index.get(body.control_id)
        ctype = getattr(ctrl, "_c", "?")
        inv = Invocation(ctype, body.control_id, body.name, body.args)
        after = await self._compute_answer(inv)
        try:
            session.handle_invoke_method_results(body.control_id, body.call_id, inv.result, inv.error)
        except RuntimeError:
            logger.debug("invoke result for unregistered control %s", body.control_id)
        if after is not None:
            await after()

    async def _compute_answer(self, inv: Invocation) -> Callable[[], Any] | None:
        """Fill inv.result / inv.error; return an optional coroutine factory to run after."""
        self.invocations.append(inv)
        after = None
        try:
            handler = self._handlers.get((inv.control_type, inv.name)) or self._handlers.get(("*", inv.name))
            if handler is not None:
                r = handler(inv.args)
                inv.result = await r if inspect.isawaitable(r) else r
            else:
                inv.result, after = self._builtin_answer(inv.control_type, inv.name, inv.args or {})
        except Exception as e:
            inv.error = str(e) or type(e).__name__
        return after

    async def _run_client_actions(self, control: BaseControl) -> bool:
        """Perform ``control.action`` (ft.CopyToClipboard, ft.OpenUrl, ...) the way the
        client does on activation, without a round trip. Returns True if any ran."""
        actions = getattr(control, "action", None)
        if not actions:
            return False
        for a in actions if isinstance(actions, list) else [actions]:
            service = getattr(a, "_service", None)
            inv = Invocation(getattr(service, "_c", "?"), a.service_id, a.method, dict(a.args), client_action=True)
            after = await self._compute_answer(inv)
            if after is not None:
                await after()
        return True

    def _builtin_answer(self, ctype: str, name: str, args: dict):
        if ctype == "Page" and name == "push_route":
            route = args.get("route")
            # the client changes its route state; that patches page.route and
            # fires route_change (only if the route really changed)
            if route != self.page.route:
                self.page.session.apply_page_patch({"route": route})
                return None, lambda: self._dispatch(self.page, "route_change", {"route": route})
            return None, None
        if ctype == "SharedPreferences":
            d = self.prefs
            if name == "set":
                d[args["key"]] = args["value"]
                return True, None
            if name == "get":
                return d.get(args["key"]), None
            if name == "contains_key":
                return args["key"] in d, None
            if name == "remove":
                return d.pop(args["key"], None) is not None, None
            if name == "get_keys":
                return [k for k in d if k.startswith(args.get("key_prefix") or "")], None
            if name == "clear":
                d.clear()
                return True, None
        if ctype == "SecureStorage":
            d = self.secure_storage
            if name == "set":
                d[args["key"]] = args["value"]
                return None, None
            if name == "get":
                return d.get(args["key"]), None
            if name == "get_all":
                return dict(d), None
            if name == "contains_key":
                return args["key"] in d, None
            if name == "remove":
                d.pop(args["key"], None)
                return None, None
            if name == "clear":
                d.clear()
                return None, None
            if name == "get_availability":
                return True, None
        if ctype == "Clipboard":
            if name == "set":
                self.clipboard = args.get("data")
                return None, None
            if name == "get":
                return self.clipboard, None
        if ctype == "UrlLauncher":
            if name in ("launch_url", "open_window"):
                url = args.get("url")
                self.launched_urls.append(getattr(url, "url", url))  # ft.Url(url, target) -> str
                return None, None
            if name.startswith("can_") or name.startswith("supports_"):
                return True, None
        return self.default_result, None

    # ------------------------------------------------------------------ tasks
    def _spawn(self, coro, name: str | None = None) -> asyncio.Task:
        t = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(t)
        t.add_done_callback(self._tasks.discard)
        return t

    def ignore_task(self, task: asyncio.Task | str):
        """Exclude never-ending work (pollers) from settle(): an asyncio.Task, or a
        name matched against task names and coroutine names (e.g. the function
        given to page.run_task, whose concurrent Future cannot be mapped back)."""
        if isinstance(task, str):
            self._ignored_names.add(task)
        else:
            self._ignored.add(task)

    def _pending_tasks(self) -> list[asyncio.Task]:
        me = asyncio.current_task()
        updates_task = None
        if self.session is not None:
            updates_task = getattr(self.session, "_Session__updates_task", None)
        out = []
        for t in asyncio.all_tasks():
            if t is me or t in self._baseline or t in self._ignored or t is updates_task:
                continue
            if self._ignored_names:
                coro = t.get_coro()
                names = {t.get_name(), getattr(coro, "__name__", None), getattr(coro, "__qualname__", None)}
                if names & self._ignored_names:
                    continue
            if not t.done():
                out.append(t)
        return out

    async def settle(self, timeout: float | None = None) -> bool:  # noqa: ASYNC109
        """Wait for tasks/threads started since the harness began. True if all done."""
        timeout = self.settle_timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        quiet_rounds = 0
        ok = True
        while True:
            # let call_soon / call_soon_threadsafe callbacks (run_task) create tasks
            for _ in range(3):
                await asyncio.sleep(0)
            pending = self._pending_tasks()
            futures = list(self.conn.executor.futures) if self.conn else []
            if not pending and not futures and self._auto_dismiss_closed_dialogs():
                quiet_rounds = 0
                continue
            if not pending and not futures:
                quiet_rounds += 1
                if quiet_rounds >= 2:
                    break
                continue
            quiet_rounds = 0
            remaining = deadline - loop.time()
            if remaining <= 0:
                ok = False
                logger.warning(
                    "settle(): still pending after %.1fs: %s",
                    timeout,
                    [t.get_name() for t in pending] + [f"thread job {f}" for f in futures],
                )
                break
            waitables = list(pending) + [asyncio.wrap_future(f) for f in futures]
            await asyncio.wait(waitables, timeout=min(remaining, 0.05), return_when=asyncio.FIRST_COMPLETED)
        self._raise_new_errors()
        return ok

    def _auto_dismiss_closed_dialogs(self) -> bool:
        """A dialog closed by the app (page.pop_dialog / open=False) is reported back by
        the client with "dismiss" once its animation ends: do the same. True if any."""
        if self.session is None:
            return False
        closed = [d for d in self.page._dialogs.controls if not getattr(d, "open", False)]
        for d in closed:
            if getattr(d, "on_dismiss", None) is not None:
                self._spawn(self._dispatch(d, "dismiss", None), name="flet-harness-dismiss")
            else:  # pragma: no cover - show_dialog always wraps on_dismiss
                self.page._dialogs.controls.remove(d)
        return bool(closed)

    def _raise_new_errors(self):
        if self.raise_errors and len(self.errors) > self._errors_raised:
            new = self.errors[self._errors_raised :]
            self._errors_raised = len(self.errors)
            raise FletAppError("App reported an error:\n" + "\n---\n".join(new))

    # ------------------------------------------------------------------ tree walking
    def _roots(self, visible_only: bool) -> list[Any]:
        page = self.page
        if not visible_only:
            return [page]
        roots: list[Any] = [self.top_view, page._overlay]
        roots.extend(d for d in page._dialogs.controls if getattr(d, "open", False))
        return roots

    def walk(self, visible_only: bool = True) -> Iterator[BaseControl]:
        """Yield controls depth-first (each once)."""
        seen: set[int] = set()

        def visit(v: Any) -> Iterator[BaseControl]:
            if isinstance(v, (list, tuple)):
                for x in v:
                    yield from visit(x)
                return
            if isinstance(v, dict):
                for x in v.values():
                    yield from visit(x)
                return
            if not dataclasses.is_dataclass(v) or isinstance(v, type):
                return
            if id(v) in seen:
                return
            seen.add(id(v))
            if _is_control(v):
                if visible_only:
                    if getattr(v, "visible", True) is False:
                        return
                    if isinstance(v, ft.DialogControl) and not getattr(v, "open", False):
                        return
                    if isinstance(v, ft.View) and v is not self.top_view:
                        return
                    if isinstance(v, ft.Service):
                        return
                yield v
            for _name, child in _children(v):
                yield from visit(child)

        for r in self._roots(visible_only):
            yield from visit(r)

    def find(
        self,
        predicate: type | tuple | Callable[[BaseControl], bool] | None = None,
        *,
        type: type | tuple | None = None,
        text: str | None = None,
        text_contains: str | None = None,
        key: Any = None,
        visible_only: bool = True,
        **attrs: Any,
    ) -> list[BaseControl]:
        """Controls matching all given criteria (see module docstring)."""
        if isinstance(predicate, (tuple, builtins.type)):
            type, predicate = predicate, None
        out = []
        for c in self.walk(visible_only=visible_only):
            if type is not None and not isinstance(c, type):
                continue
            if key is not None and _key_value(c) != key and getattr(c, "key", None) != key:
                continue
            if text is not None and _own_text(c) != text:
                continue
            if text_contains is not None and text_contains not in (_own_text(c) or ""):
                continue
            if any(getattr(c, a, _MISSING) != v for a, v in attrs.items()):
                continue
            if predicate is not None and not predicate(c):
                continue
            out.append(c)
        return out

    def get(self, *args, **kwargs) -> BaseControl:
        """Exactly one matching control, else AssertionError listing what is there."""
        found = self.find(*args, **kwargs)
        if len(found) != 1:
            raise AssertionError(
                f"expected 1 control for {args} {kwargs}, found {len(found)}: "
                f"{[self.describe(c) for c in found][:10]}\nvisible texts: {self.texts()}"
            )
        return found[0]

    def texts(self, visible_only: bool = True) -> list[str]:
        """Strings of visible ft.Text controls (value + spans), in tree order."""
        return [_own_text(c) for c in self.walk(visible_only) if isinstance(c, ft.Text) and _own_text(c)]

    def all_text(self, visible_only: bool = True) -> str:
        """Every visible string (Text, labels, hints, errors, str contents...), one per line."""
        parts: list[str] = []
        for c in self.walk(visible_only):
            if isinstance(c, ft.Text):
                s = _own_text(c)
                if s:
                    parts.append(s)
                continue
            for name in _STRING_PROPS:
                v = getattr(c, name, None)
                if isinstance(v, str) and v:
                    parts.append(v)
        return "\n".join(parts)

    @staticmethod
    def describe(c: BaseControl) -> str:
        t = _own_text(c)
        k = _key_value(c)
        return f"{c._c}#{c._i}" + (f" key={k!r}" if k is not None else "") + (f" {t!r}" if t else "")

    def dump(self, visible_only: bool = True) -> str:
        """Indented outline of the tree, for debugging failing tests."""
        lines = []

        def rec(v, depth):
            for name, child in _children(v):
                items = child if isinstance(child, (list, tuple)) else [child]
                for x in items:
                    if _is_control(x):
                        if visible_only and getattr(x, "visible", True) is False:
                            continue
                        lines.append("  " * depth + f"{name}: {self.describe(x)}")
                        rec(x, depth + 1)

        for r in self._roots(visible_only):
            lines.append(self.describe(r))
            rec(r, 1)
        return "\n".join(lines)

    # ------------------------------------------------------------------ actions
    def _resolve(self, target: BaseControl | str, need_handler: str | None = None) -> BaseControl:
        if isinstance(target, str):
            cands = self.find(text=target)
            if need_handler:
                with_h = [c for c in cands if self._has_handler(c, need_handler)]
                if not with_h:  # e.g. Text inside a Container with on_click
                    with_h = [p for p in (self._clickable_ancestor(c, need_handler) for c in cands) if p is not None]
                cands = list({id(c): c for c in with_h}.values())
            if len(cands) != 1:
                raise AssertionError(
                    f"expected 1 control with text {target!r}"
                    f"{' and on_' + need_handler if need_handler else ''}, found "
                    f"{[self.describe(c) for c in cands]}\nvisible texts: {self.texts()}"
                )
            return cands[0]
        return target

    @staticmethod
    def _clickable_ancestor(c: BaseControl, event: str) -> BaseControl | None:
        p = c
        while p is not None:
            if FletHarness._has_handler(p, event):
                return p
            p = p.parent
        return None

    def _check_interactive(self, c: BaseControl, event: str, require_handler: bool = True):
        assert self.session is not None
        if self.session.index.get(c._i) is not c:
            raise AssertionError(
                f"{self.describe(c)} is not mounted on the client (not in the page, or the page "
                f"was not updated after adding it)"
            )
        p = c
        while p is not None:
            if getattr(p, "disabled", False):
                raise AssertionError(f"{self.describe(c)} is disabled (via {self.describe(p)})")
            if getattr(p, "visible", True) is False:
                raise AssertionError(f"{self.describe(c)} is not visible (via {self.describe(p)})")
            p = p.parent
        if require_handler and not self._has_handler(c, event):
            raise AssertionError(f"{self.describe(c)} has no on_{event} handler")

    @staticmethod
    def _has_handler(c: BaseControl, event: str) -> bool:
        if getattr(c, f"on_{event}", None) is not None:
            return True
        return event == "click" and bool(getattr(c, "action", None))

    async def _dispatch(self, control: BaseControl, name: str, data: Any):
        await self.session.dispatch_event(control._i, name, data)

    async def fire(
        self,
        control: BaseControl,
        event: str,
        data: Any = None,
        *,
        props: dict | None = None,
        only_if_handler: bool = True,
        settle: bool = True,
    ):
        """Client-side property patch (``props``) then event ``event`` with ``data``.

        Like the Dart client, the event is only sent when ``on_<event>`` is set
        (``only_if_handler=False`` to send anyway).
        """
        if props:
            self.session.apply_patch(control._i, props)
        if not only_if_handler or getattr(control, f"on_{event}", None) is not None:
            await self._dispatch(control, event, data)
        if settle:
            await self.settle()
        else:
            self._raise_new_errors()

    async def click(self, target: BaseControl | str, *, settle: bool = True):
        c = self._resolve(target, need_handler="click")
        self._check_interactive(c, "click")
        await self._run_client_actions(c)  # client-side `action`s run first, inside the gesture
        await self.fire(c, "click", None, settle=settle)

    async def long_press(self, target: BaseControl | str, *, settle: bool = True):
        c = self._resolve(target, need_handler="long_press")
        self._check_interactive(c, "long_press")
        await self.fire(c, "long_press", None, settle=settle)

    async def type(self, field: BaseControl, value: str, *, submit: bool = False, settle: bool = True):
        """Set a TextField's value as the user typing would: patch + change (+ submit)."""
        self._check_interactive(field, "change", require_handler=False)
        if getattr(field, "read_only", False):
            raise AssertionError(f"{self.describe(field)} is read-only")
        await self.fire(field, "change", value, props={"value": value}, settle=False)
        if submit:
            await self.fire(field, "submit", value, settle=False)
        if settle:
            await self.settle()

    async def select(self, control: BaseControl, value: int | str | None, *, settle: bool = True):
        """Pick an item: int -> selected_index + "change" (NavigationBar/Rail, Tabs, ...);
        str -> value + "select" for Dropdown, value + "change" otherwise (RadioGroup...)."""
        self._check_interactive(control, "change", require_handler=False)
        if isinstance(value, int) and not isinstance(value, bool) and hasattr(control, "selected_index"):
            await self.fire(control, "change", value, props={"selected_index": value}, settle=settle)
        elif isinstance(control, ft.Dropdown):
            await self.fire(control, "select", value, props={"value": value}, settle=settle)
        else:
            await self.fire(control, "change", value, props={"value": value}, settle=settle)

    async def route(self, route: str, *, settle: bool = True):
        """The browser URL changed (typed URL, back/forward, deep link)."""
        self.session.apply_page_patch({"route": route})
        await self._dispatch(self.page, "route_change", {"route": route})
        if settle:
            await self.settle()
        else:
            self._raise_new_errors()

    async def back(self, *, settle: bool = True):
        """AppBar back arrow / Android back: "view_pop" for the top view's route."""
        await self._dispatch(self.page, "view_pop", {"route": self.top_view.route})
        if settle:
            await self.settle()
        else:
            self._raise_new_errors()

    async def resize(self, width: float, height: float, *, settle: bool = True):
        """Window/browser resized: page width/height patch + "resize" event."""
        self.session.apply_page_patch({"width": width, "height": height})
        await self._dispatch(self.page, "resize", {"width": width, "height": height})
        if settle:
            await self.settle()
        else:
            self._raise_new_errors()

    def dialogs(self) -> list[BaseControl]:
        """Open dialogs (AlertDialog, SnackBar, BottomSheet, Banner, pickers)."""
        return [d for d in self.page._dialogs.controls if getattr(d, "open", False)]

    async def dismiss(self, dialog: BaseControl | None = None, *, settle: bool = True):
        """What the client reports when a dialog/SnackBar closes (timeout, tap outside,
        after pop_dialog): fires "dismiss", which removes it from the dialog stack."""
        if dialog is None:
            stack = self.page._dialogs.controls
            assert stack, "no dialog to dismiss"
            dialog = stack[-1]
        self.session.apply_patch(dialog._i, {"open": False})
        if getattr(dialog, "on_dismiss", None) is not None:
            await self._dispatch(dialog, "dismiss", None)
        if settle:
            await self.settle()
        else:
            self._raise_new_errors()


_MISSING = object()
