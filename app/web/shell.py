"""Builds the web root the browser downloads: Flet's web client plus our assets, our HTML shell, manifest and font
manifest, every compressible file precompressed (brotli and gzip) once, under a content-derived build id.

Why each generated file differs from Flet's:

* ``index.html`` loads the client from ``/_v/<build id>/`` (so everything but the shell and the manifest can be cached
  as immutable), preloads the fonts of the first frame, names the app, and stops the one request to a public CDN:
  Flet's client links the Rive runtime (``rive_native``), whose loader appends a ``<script>`` for
  ``rive_native.js`` from jsDelivr at start (the host is fixed when the client is compiled). No screen of ours
  uses Rive, so the shell leaves that script without a source: nothing is fetched, and Rive stays unloaded exactly
  as it does offline.
* ``assets/FontManifest.json`` lists what Flutter loads before its first frame. Flet's lists twelve KaTeX faces
  (``flutter_math_fork``, for the Markdown/Math controls) and CupertinoIcons: we use neither, so they go, and our
  primary Chinese face (theme_fonts.WEB_SHELL_FONTS) comes in. Text is then drawn with its final font from the
  first frame on: no font registered after the first frame for the first screen, no relayout, and no request to
  Flutter's fallback-font URLs (which 404 under ``no_cdn``) for characters the first frame could not draw.
* ``manifest.json`` carries 一网通办, our icons and theme colour.

The build is keyed by Flet's version, the generator's and the content of our assets; it lives in the user's cache
folder and is reused by every later start and by every process of a deployment (they build it atomically).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import brotli
import platformdirs
from flet_web import get_package_web_dir, patch_index_html
from flet_web.version import version as flet_web_version

from app.theme_fonts import WEB_SHELL_FONTS

log = logging.getLogger("yiwang.web")

APP_NAME = "一网通办"
APP_DESCRIPTION = "政务公开、网上办事、互动交流"
THEME_COLOR = "#1F5FAD"
BACKGROUND_COLOR = "#FFFFFF"
GENERATOR_VERSION = "9"  # bump whenever what this module writes changes
VERSIONED_PREFIX = "/_v/"
FALLBACK_FONTS_DIR = "fallback-fonts/"
# Flutter's fallback fonts for Han characters (Google Fonts' CJK families); our Ext face covers all of them.
CJK_FALLBACK_FAMILIES = ("notosanssc", "notosanstc", "notosanshk", "notosansjp", "notosanskr")
COMPRESSIBLE = {".wasm", ".js", ".mjs", ".json", ".otf", ".ttf", ".html", ".css", ".frag", ".bin", ".txt", ".svg", ""}
SKIPPED_WEB_DIRS = ("pyodide",)  # Python in the browser: not how this app runs
RIVE_CDN_PREFIX = "https://cdn.jsdelivr.net/npm/@rive-app/"
READY_MARK = ".complete"
PRUNE_AFTER_SECONDS = 24 * 3600
GENERATED = ("index.html", "manifest.json", "assets/FontManifest.json")  # never links: written in the web root


@dataclass(frozen=True)
class WebRoot:
    directory: Path
    build_id: str

    @property
    def prefix(self) -> str:
        """URL prefix of the immutable copy of every file."""
        return f"{VERSIONED_PREFIX}{self.build_id}/"


def _files(root: Path, skip: tuple[str, ...] = ()) -> Iterator[tuple[str, Path]]:
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not relative.startswith(skip) and not relative.endswith((".gz", ".br")):
            yield relative, path


def build_id(assets_dir: Path) -> str:
    """Changes with Flet's client, with this generator and with the content of any of our assets."""
    digest = hashlib.sha256(f"{flet_web_version}|{GENERATOR_VERSION}".encode())
    for relative, path in _files(Path(get_package_web_dir()), SKIPPED_WEB_DIRS):
        digest.update(f"{relative}|{path.stat().st_size}\n".encode())
    for relative, path in _files(assets_dir):
        digest.update(relative.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    shutil.copyfile(source, target)


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        target.unlink()
    try:
        target.symlink_to(source)
    except OSError:  # no symlinks (Windows without the privilege): copy
        shutil.copyfile(source, target)


def _font_manifest(web_dir: Path) -> list[dict[str, object]]:
    flet_fonts = json.loads((web_dir / "assets" / "FontManifest.json").read_text(encoding="utf-8"))
    kept = [family for family in flet_fonts if family["family"] == "MaterialIcons"]
    chinese = [{"asset": f"fonts/{file}"} for file in WEB_SHELL_FONTS.values()]
    # Roboto is Flutter's default family (what Flet adds under no_cdn); our face joins it so that text without our
    # theme's family (drawn before the theme arrives, or styled by a widget of its own) has its Chinese too.
    kept.append({"family": "Roboto", "fonts": [{"asset": "fonts/roboto.woff2"}, *chinese]})
    kept += [{"family": family, "fonts": [{"asset": f"fonts/{file}"}]} for family, file in WEB_SHELL_FONTS.items()]
    return kept


def _rive_guard() -> str:
    return f"""<script>
    // Flet's client appends <script src="{RIVE_CDN_PREFIX}…/rive_native.js"> at start; we use no Rive control,
    // so that script gets no source and nothing leaves this origin (see app/web/shell.py).
    (() => {{
      const src = Object.getOwnPropertyDescriptor(HTMLScriptElement.prototype, "src");
      Object.defineProperty(HTMLScriptElement.prototype, "src", {{
        configurable: true, enumerable: src.enumerable, get: src.get,
        set(value) {{
          if (String(value).startsWith("{RIVE_CDN_PREFIX}")) return;
          src.set.call(this, value);
        }},
      }});
    }})();
  </script>
"""


def _connection_status(font_url: str) -> str:
    """A line over the app while its WebSocket is down: Flet's client reconnects by itself and the server keeps the
    session (screen, typed values) meanwhile; this says so. A phone that reports going offline closes the socket at
    once, rather than leaving it to hang until TCP gives up, so the reconnect starts as soon as the network is back."""
    return """<div id="connection-status" role="status" aria-live="polite" hidden>正在重新连接… Reconnecting…</div>
  <style>
    @font-face { font-family: YiwangShell; src: url("FONT_URL"); }
    #connection-status { position: fixed; z-index: 10; top: 0; left: 0; right: 0; padding: 6px 12px;
      font: 14px/1.4 YiwangShell, system-ui, sans-serif; text-align: center; color: #fff; background: #8a5300; }
  </style>
  <script>
    (() => {
      const Native = window.WebSocket;
      const open = new Set();
      let everConnected = false;
      const show = (down) => {
        const status = document.getElementById("connection-status");
        if (status) status.hidden = !down;
      };
      // A server that restarted has forgotten the session: Flet's client then registers a new one but cannot put
      // it on its old screen (it stays blank, and that session may wait on calls the old screen never answers).
      // Starting the page afresh opens a new session at the same route, with the device's storage (cached
      // lists, settings) as it was; the half-made one expires with the session timeout.
      const SESSION_KEY = "_flet_session_id";
      let lostSession = null;
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener("open", () => { open.add(this); everConnected = true; show(false); });
          this.addEventListener("close", () => {
            open.delete(this);
            if (everConnected && !open.size) {
              lostSession = lostSession || sessionStorage.getItem(SESSION_KEY);
              show(true);
            }
          });
          this.addEventListener("message", () => {
            if (!lostSession) return;
            let checks = 20;  // the client stores the id it was given once it has handled the reply
            const check = () => {
              const current = sessionStorage.getItem(SESSION_KEY);
              if (current && current !== lostSession) {  // a fresh start, not the half-made session
                sessionStorage.removeItem(SESSION_KEY);
                location.reload();
              }
              else if (--checks > 0) setTimeout(check, 250);
              else lostSession = null;
            };
            setTimeout(check, 250);
          }, { once: true });
        }
      };
      addEventListener("offline", () => { for (const socket of [...open]) socket.close(4000, "offline"); show(true); });
    })();
  </script>
""".replace("FONT_URL", font_url)


def _index_html(web_dir: Path, work: Path, root: WebRoot, preload: list[str]) -> str:
    index_path = work / "index.flet.html"
    shutil.copyfile(web_dir / "index.html", index_path)
    patch_index_html(
        index_path=str(index_path),
        base_href="/",
        websocket_endpoint_path="/ws",
        app_name=APP_NAME,
        app_description=APP_DESCRIPTION,
        no_cdn=True,
    )
    html = index_path.read_text(encoding="utf-8")
    index_path.unlink()
    versioned = root.prefix
    replacements = {
        'flet.canvasKitBaseUrl="/canvaskit/";': f'flet.canvasKitBaseUrl="{versioned}canvaskit/";',
        'flet.fontFallbackBaseUrl="assets/fonts/";': f'flet.fontFallbackBaseUrl="{versioned}{FALLBACK_FONTS_DIR}";',
        'flet.entrypointBaseUrl="/";': f'flet.entrypointBaseUrl="{versioned}";',
        'flet.assetBase="/";': f'flet.assetBase="{versioned}";',
        '<script src="python.js"></script>': f'<script src="{versioned}python.js"></script>',
        '<script src="flutter_bootstrap.js" async></script>': (
            f'<script src="{versioned}flutter_bootstrap.js" async></script>'
        ),
        'src="icons/loading-animation.png"': f'src="{versioned}icons/loading-animation.png"',
        'href="icons/apple-touch-icon-192.png"': f'href="{versioned}icons/apple-touch-icon-192.png"',
        'href="favicon.png"': f'href="{versioned}favicon.png"',
        'content="black"': 'content="default"',
    }
    for old, new in replacements.items():
        if old not in html:
            raise RuntimeError(f"Flet's index.html changed; app/web/shell.py cannot find {old!r}")
        html = html.replace(old, new)
    head = [f'<meta name="theme-color" content="{THEME_COLOR}">']
    head += [f'<link rel="preload" href="{versioned}{path}" as="fetch" crossorigin>' for path in preload]
    head.append(_rive_guard())
    html = html.replace("</head>", "  " + "\n  ".join(head) + "\n</head>", 1)
    return html.replace("<body>", "<body>\n  " + _connection_status(f"{versioned}{preload[0]}"), 1)


def _manifest(web_dir: Path) -> dict[str, object]:
    manifest: dict[str, object] = json.loads((web_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(
        name=APP_NAME,
        short_name=APP_NAME,
        description=APP_DESCRIPTION,
        lang="zh-CN",
        start_url="/",
        scope="/",
        id="/",
        theme_color=THEME_COLOR,
        background_color=BACKGROUND_COLOR,
        orientation="any",
    )
    return manifest


def _compressible(path: Path) -> bool:
    return path.suffix.lower() in COMPRESSIBLE and not path.name.endswith((".symbols", ".map"))


def _generate(work: Path, assets_dir: Path, root: WebRoot, quality: int) -> None:
    web_dir = Path(get_package_web_dir())
    for relative, path in _files(web_dir, SKIPPED_WEB_DIRS):
        if relative not in GENERATED:
            _link(path, work / relative)
    for relative, path in _files(assets_dir):  # ours win over Flet's (icons, favicon), as with Flet's server
        if relative not in GENERATED:
            _copy(path, work / relative)  # copied: the build outlives a moved or edited checkout
    preload = []
    for file in WEB_SHELL_FONTS.values():
        _copy(assets_dir / "fonts" / file, work / "assets" / "fonts" / file)
        preload.append(f"assets/fonts/{file}")
    generated = {
        "index.html": _index_html(web_dir, work, root, preload),
        "manifest.json": json.dumps(_manifest(web_dir), ensure_ascii=False, indent=2),
        "assets/FontManifest.json": json.dumps(_font_manifest(web_dir)),
    }
    for relative, text in generated.items():
        (work / relative).write_text(text, encoding="utf-8")
    compressible = [path for _, path in _files(work) if _compressible(path)]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda path: _compress_into(path, quality), compressible))
    (work / READY_MARK).write_text(root.build_id, encoding="utf-8")


def _compress_into(link: Path, quality: int) -> None:
    """Compresses the file a link points at, writing the variants next to the link (never into site-packages)."""
    data = link.read_bytes()
    packed = brotli.compress(data, quality=quality)
    if len(packed) < len(data) * 0.95:
        link.with_name(link.name + ".br").write_bytes(packed)
    zipped = gzip.compress(data, compresslevel=6, mtime=0)
    if len(zipped) < len(data) * 0.95:
        link.with_name(link.name + ".gz").write_bytes(zipped)


def build_web_root(assets_dir: Path, cache_dir: Path | None = None, quality: int = 5) -> WebRoot:
    """The web root for these assets, built once per build id (concurrent builders: the first one's wins).

    Brotli quality 5 takes a few seconds for the whole client at start, 3% larger than quality 11 which takes
    minutes: prebuild with ``python -m app.web.shell --quality 11`` where start-up time matters less than bytes.
    """
    assets_dir = assets_dir.resolve()
    builds = cache_dir or Path(platformdirs.user_cache_dir("yiwang")) / "web"
    root = WebRoot(builds / build_id(assets_dir), build_id(assets_dir))
    if (root.directory / READY_MARK).exists():
        return root
    builds.mkdir(parents=True, exist_ok=True)
    log.info("Building the web root %s (compressing the web client once)", root.directory)
    work = Path(tempfile.mkdtemp(prefix=f"{root.build_id}-", dir=builds))
    try:
        _generate(work, assets_dir, root, quality)
        try:
            work.rename(root.directory)
        except OSError:  # another process finished first
            if not (root.directory / READY_MARK).exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _prune(builds, keep=root.directory)
    return root


def _prune(builds: Path, keep: Path) -> None:
    """Drops builds of other versions untouched for a day (a rolling deploy may still serve yesterday's)."""
    for old in builds.iterdir():
        if old != keep and old.is_dir() and time.time() - old.stat().st_mtime > PRUNE_AFTER_SECONDS:
            shutil.rmtree(old, ignore_errors=True)


def _main() -> None:
    parser = argparse.ArgumentParser(description="Build the web root ahead of time (e.g. in a container image).")
    parser.add_argument("--assets", type=Path, default=Path(__file__).resolve().parents[2] / "assets")
    parser.add_argument("--cache-dir", type=Path, help="where builds live (default: the user's cache folder)")
    parser.add_argument("--quality", type=int, default=11, help="brotli quality, 0-11")
    args = parser.parse_args()
    root = build_web_root(args.assets, args.cache_dir, args.quality)
    print(f"{root.directory} (build {root.build_id})")


if __name__ == "__main__":
    _main()
