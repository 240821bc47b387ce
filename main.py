"""Runs the whole system on one machine: the embedded backend and the app.

python main.py                      # backend on SQLite in the user's data folder + the app
python main.py --api-url URL        # the app only, against a remote backend
python main.py --web --port 8550    # always serve the web app on http://127.0.0.1:PORT
"""

import argparse
import dataclasses
import socket
import sys
import threading
import time
from pathlib import Path

import flet as ft
import uvicorn

from app.main import create_main
from app.web.host import serve as serve_web
from server.app import create_app
from server.config import Settings
from server.core.request_limits import server_options
from server.lifecycle import prepare

ASSETS = Path(__file__).resolve().parent / "assets"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="一网通办 Yiwang: backend + app")
    parser.add_argument("--api-url", help="use this backend instead of starting the embedded one")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--data-dir", help="folder for the embedded database (default: user data folder)")
    where.add_argument("--database-url", help="run the embedded backend on this database (e.g. PostgreSQL)")
    parser.add_argument("--host", default="127.0.0.1", help="address the web app listens on")
    parser.add_argument("--port", type=int, default=8550, help="port of the web app")
    parser.add_argument("--web", action="store_true", help="serve the web app even where a window could open")
    return parser.parse_args(argv)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_embedded_backend(settings: Settings) -> str:
    """Migrates and seeds, then serves the API from a background thread on a free loopback port.

    Only this machine reaches that port, and the web app on it speaks for many citizens: loopback is a trusted proxy,
    so the citizen's address the app forwards, not the app's own, is what per-address limits count.
    """
    settings = dataclasses.replace(settings, trusted_proxies=(*settings.trusted_proxies, "127.0.0.1", "::1"))
    prepare(settings)
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning", **server_options())
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, name="yiwang-backend", daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            sys.exit("the embedded backend did not start within 30 s")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}"


def desktop_client_available() -> bool:
    """A window needs a display and Flet's desktop client, which is downloaded once and cached."""
    from flet.utils.platform_utils import is_linux_server

    if is_linux_server():
        return False
    try:
        import flet_desktop

        flet_desktop.ensure_client_cached()
    except Exception as exc:  # offline, or no client for this platform
        print(f"The desktop client is not available ({exc}); serving the web app instead.")
        return False
    return True


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.api_url:
        api_url = args.api_url.rstrip("/")
        print(f"Using the backend at {api_url}")
    else:
        settings = Settings.resolve(args.data_dir, args.database_url)
        api_url = start_embedded_backend(settings)
        print(f"Embedded backend on {api_url}/api/v1 ({settings.dialect}, data in {settings.data_dir})")

    app_main = create_main(api_url)
    if not args.web and desktop_client_available():
        ft.run(app_main, view=ft.AppView.FLET_APP, assets_dir=str(ASSETS))
        return
    print(f"Yiwang is being served on http://{args.host}:{args.port}", flush=True)
    serve_web(app_main, args.host, args.port, ASSETS)


if __name__ == "__main__":
    main()
