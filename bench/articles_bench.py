"""Benchmark of 政务公开 reads and search, printed as tables (a script, not a test).

    python bench/articles_bench.py [--sizes 1000,100000] [--databases sqlite,postgresql] [--seconds 5]

For each database and corpus size it generates the articles with `python -m server seed --articles N`
(kept under --work-dir and in databases named yiwang_bench_N, so a second run only tops them up), starts
the real server with uvicorn on 127.0.0.1, and measures side by side in one run:
- throughput of list and detail requests, driven by a bounded keep-alive load loop, against a bare
  FastAPI endpoint that returns the same bytes (the target is a ratio of at least 0.5);
- the search index against the text it indexes (bytes; see bench/search_quality.py);
- search latency (p50/p99) for two-character, four-character, pinyin, multi-word and question queries
  (questions, pinyin abbreviations), over HTTP and inside
  the process (the engine alone), each query sent to every corpus size in turn so that the growth from
  the smallest to the largest corpus compares like with like.
PostgreSQL comes from YIWANG_BENCH_PG_URL, else from tools/test-postgres.sh; --databases sqlite skips it.
"""

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = {
    "2-char": ["社保", "户口", "医保", "低保", "落户", "公积", "养老", "补贴"],
    "4-char": ["养老保险", "就业创业", "营商环境", "住房公积", "异地就医", "创业担保", "户口迁移", "耕地地力"],
    "pinyin": ["shebao", "hukou", "yibao", "dibao", "luohu", "gongjijin", "yanglaobaoxian", "jiuyechuangye"],
    "multi-word": [
        "养老保险 缴费",
        "医保 异地",
        "补贴 申请",
        "户口 迁移 材料",
        "住房公积金 提取",
        "就业 补贴",
        "驾驶证 换领",
        "低保 标准",
    ],
    "question": [
        "养老保险怎么交",
        "低保申请条件",
        "失业金怎么领",
        "身份证丢了怎么办",
        "怎么办理社保卡",
        "公积金怎么提取",
        "sb",
        "gjj",
    ],
}
LIST_PATH = "/api/v1/articles?limit=20"
HOT_ARTICLES = 20


@dataclass
class Row:
    database: str
    articles: int
    figures: dict[str, float] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_admin_url() -> str:
    url = os.environ.get("YIWANG_BENCH_PG_URL")
    if url:
        return url
    return subprocess.run(
        [str(ROOT / "tools/test-postgres.sh")], check=True, capture_output=True, text=True
    ).stdout.strip()


def prepare_database(database: str, articles: int, work_dir: Path, pg_prefix: str) -> list[str]:
    """Generate (or top up) the corpus; returns the server's database options."""
    if database == "sqlite":
        options = ["--data-dir", str(work_dir / f"sqlite-{articles}")]
    else:
        from sqlalchemy import create_engine, text

        admin_url = postgres_admin_url()
        name = f"{pg_prefix}_{articles}"
        admin = create_engine(
            admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"))
        admin.dispose()
        options = ["--database-url", admin_url.rsplit("/", 1)[0] + f"/{name}"]
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "server", "seed", "--articles", str(articles), *options],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"  {database} {articles:,} articles ready in {time.perf_counter() - started:.0f} s", flush=True)
    return options


@contextmanager
def server(command: list[str]) -> Iterator[int]:
    """A server process on a free port, stopped (by its own pid) when the block ends."""
    port = free_port()
    process = subprocess.Popen(
        [*command, "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _ = asyncio.run(fetch(port, "/api/v1/health"))
                if status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {command}")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str, extra_headers: str = ""
) -> tuple[int, bytes]:
    head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n{extra_headers}\r\n"
    writer.write(head.encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def fetch(port: int, path: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        return await _request(reader, writer, path)
    finally:
        writer.close()


async def _load(port: int, paths: list[str], seconds: float, connections: int) -> Counter[int]:
    """Keep-alive GETs over `connections` sockets until the time is up; counts answers by status."""
    statuses: Counter[int] = Counter()
    deadline = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = offset
        while time.perf_counter() < deadline:
            status, _ = await _request(reader, writer, paths[i % len(paths)])
            statuses[status] += 1
            i += 1
        writer.close()

    await asyncio.gather(*(worker(n * 7) for n in range(connections)))
    return statuses


def throughput(port: int, paths: list[str], seconds: float, connections: int) -> float:
    asyncio.run(_load(port, paths, min(1.0, seconds), connections))  # warm-up: caches, pools, page cache
    started = time.perf_counter()
    statuses = asyncio.run(_load(port, paths, seconds, connections))
    elapsed = time.perf_counter() - started
    if set(statuses) != {200}:
        raise RuntimeError(f"unexpected statuses {dict(statuses)} for {paths[0]}")
    return sum(statuses.values()) / elapsed


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


async def _http_latencies(ports: dict[int, int], rounds: int) -> dict[tuple[int, str], list[float]]:
    """Each query against every corpus size in turn, so that load from elsewhere hits all sizes alike."""
    connections = {size: await asyncio.open_connection("127.0.0.1", port) for size, port in ports.items()}
    samples: dict[tuple[int, str], list[float]] = {(size, kind): [] for size in ports for kind in QUERIES}
    for _ in range(rounds):
        for kind, queries in QUERIES.items():
            for query in queries:
                path = f"/api/v1/search?q={urllib.parse.quote(query)}&limit=20"
                for size, (reader, writer) in connections.items():
                    started = time.perf_counter()
                    # no-cache: each repetition must reach the engine, not the cache in front of the app
                    status, _ = await _request(reader, writer, path, "Cache-Control: no-cache\r\n")
                    samples[size, kind].append((time.perf_counter() - started) * 1000)
                    if status != 200:
                        raise RuntimeError(f"search answered {status} for {path}")
    for _, writer in connections.values():
        writer.close()
    return samples


def engine_latencies(options: dict[int, list[str]], rounds: int) -> dict[tuple[int, str], list[float]]:
    """The search engine alone, in this process, on the same databases, sizes interleaved: no HTTP, no JSON."""
    from server.config import Settings
    from server.db import make_engine
    from server.search.engine import search

    engines = {}
    for size, (flag, value) in options.items():
        settings = Settings.resolve(**{"data_dir" if flag == "--data-dir" else "database_url": value})
        engines[size] = make_engine(settings.database_url)
    samples: dict[tuple[int, str], list[float]] = {(size, kind): [] for size in options for kind in QUERIES}
    for _ in range(rounds):
        for kind, queries in QUERIES.items():
            for query in queries:
                for size, engine in engines.items():
                    with engine.connect() as connection:
                        started = time.perf_counter()
                        search(connection, "article", query, None, 20)
                        samples[size, kind].append((time.perf_counter() - started) * 1000)
    for engine in engines.values():
        engine.dispose()
    return samples


def measure_throughput(row: Row, options: list[str], args: argparse.Namespace) -> None:
    with server([sys.executable, "-m", "server", *options]) as port:
        _, first_page = asyncio.run(fetch(port, LIST_PATH))
        second_path = f"{LIST_PATH}&cursor={json.loads(first_page)['next_cursor']}"
        hot = [f"/api/v1/articles/{n}" for n in range(1, HOT_ARTICLES + 1)]
        spread = [f"/api/v1/articles/{1 + (n * 7919) % row.articles}" for n in range(2000)]
        _, detail = asyncio.run(fetch(port, hot[0]))
        row.figures["list first page"] = throughput(port, [LIST_PATH], args.seconds, args.connections)
        row.figures["list next page"] = throughput(port, [second_path], args.seconds, args.connections)
        row.figures["detail hot"] = throughput(port, hot, args.seconds, args.connections)
        row.figures["detail spread"] = throughput(port, spread, args.seconds, args.connections)
    with tempfile.TemporaryDirectory() as folder:
        bodies = {"list": Path(folder) / "list.json", "detail": Path(folder) / "detail.json"}
        bodies["list"].write_bytes(first_page)
        bodies["detail"].write_bytes(detail)
        row.figures["list bytes"] = len(first_page)
        row.figures["detail bytes"] = len(detail)
        bare = [
            sys.executable,
            str(Path(__file__)),
            "bare",
            "--list",
            str(bodies["list"]),
            "--detail",
            str(bodies["detail"]),
        ]
        with server(bare) as port:
            row.figures["bare list"] = throughput(port, ["/api/v1/articles"], args.seconds, args.connections)
            row.figures["bare detail"] = throughput(port, ["/api/v1/articles/1"], args.seconds, args.connections)


def measure_search(rows: dict[int, Row], options: dict[int, list[str]], args: argparse.Namespace) -> None:
    with ExitStack() as stack:
        ports = {size: stack.enter_context(server([sys.executable, "-m", "server", *options[size]])) for size in rows}
        http = asyncio.run(_http_latencies(ports, args.rounds))
    engine = engine_latencies(options, args.rounds)
    for size, row in rows.items():
        for kind in QUERIES:
            row.figures[f"{kind} http p50"], row.figures[f"{kind} http p99"] = percentiles(http[size, kind])
            row.figures[f"{kind} engine p50"], row.figures[f"{kind} engine p99"] = percentiles(engine[size, kind])


def measure_index(row: Row, options: list[str]) -> None:
    """Index and text sizes (see bench/search_quality.py) of the corpus."""
    from bench.search_quality import index_sizes
    from server.config import Settings
    from server.db import make_engine

    flag, value = options
    settings = Settings.resolve(**{"data_dir" if flag == "--data-dir" else "database_url": value})
    engine = make_engine(settings.database_url)
    with engine.connect() as connection:
        row.figures.update(index_sizes(connection))
    engine.dispose()


def measure(database: str, sizes: list[int], args: argparse.Namespace) -> list[Row]:
    options = {size: prepare_database(database, size, args.work_dir, args.pg_prefix) for size in sizes}
    rows = {size: Row(database, size) for size in sizes}
    for size, row in rows.items():
        measure_index(row, options[size])
    for size, row in rows.items():
        print(f"measuring {database} at {size:,} articles ...", flush=True)
        measure_throughput(row, options[size], args)
    print(f"measuring {database} search, all sizes interleaved ...", flush=True)
    measure_search(rows, options, args)
    return list(rows.values())


def serve_bare(args: argparse.Namespace) -> None:
    """FastAPI returning fixed bytes of the real responses' size: the ceiling for these machines."""
    import uvicorn
    from fastapi import FastAPI, Response

    list_body, detail_body = Path(args.list).read_bytes(), Path(args.detail).read_bytes()
    app = FastAPI()

    @app.get("/api/v1/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/v1/articles")
    async def articles() -> Response:
        return Response(list_body, media_type="application/json")

    @app.get("/api/v1/articles/{article_id}")
    async def article(article_id: int) -> Response:
        return Response(detail_body, media_type="application/json")

    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


def print_tables(rows: list[Row]) -> None:
    def table(title: str, header: list[str], lines: list[list[str]]) -> None:
        widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
        print(f"\n{title}")
        print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
        for line in lines:
            print(
                "  ".join(
                    cell.rjust(w) if n > 1 else cell.ljust(w)
                    for n, (cell, w) in enumerate(zip(line, widths, strict=True))
                )
            )

    lines = []
    for row in rows:
        f = row.figures
        for name, bare in (
            ("list first page", "bare list"),
            ("list next page", "bare list"),
            ("detail hot", "bare detail"),
            ("detail spread", "bare detail"),
        ):
            size = f["list bytes" if "list" in name else "detail bytes"]
            lines.append(
                [
                    row.database,
                    f"{row.articles:,}",
                    name,
                    f"{size:,.0f}",
                    f"{f[name]:,.0f}",
                    f"{f[bare]:,.0f}",
                    f"{f[name] / f[bare]:.2f}",
                ]
            )
    table(
        "Throughput (req/s through uvicorn, keep-alive load loop; bare = FastAPI returning the same bytes; target ratio >= 0.5)",
        ["database", "articles", "endpoint", "bytes", "req/s", "bare req/s", "ratio"],
        lines,
    )
    table(
        "Search index size (index = search tables but the stored documents; target index / text <= 3)",
        ["database", "articles", "index MB", "documents MB", "text MB", "index / text"],
        [
            [
                row.database,
                f"{row.articles:,}",
                f"{row.figures['index_bytes'] / 1e6:.1f}",
                f"{row.figures['stored_bytes'] / 1e6:.1f}",
                f"{row.figures['text_bytes'] / 1e6:.1f}",
                f"{row.figures['index_bytes'] / row.figures['text_bytes']:.2f}",
            ]
            for row in rows
        ],
    )
    lines = []
    for row in rows:
        for kind in QUERIES:
            f = row.figures
            lines.append(
                [row.database, f"{row.articles:,}", kind]
                + [f"{f[f'{kind} {what}']:.2f}" for what in ("http p50", "http p99", "engine p50", "engine p99")]
            )
    table(
        "Search latency, ms (limit 20; target p50 <= 20 ms at 100,000 on SQLite)",
        ["database", "articles", "queries", "http p50", "http p99", "engine p50", "engine p99"],
        lines,
    )
    lines = []
    for database in dict.fromkeys(row.database for row in rows):
        mine = sorted((row for row in rows if row.database == database), key=lambda row: row.articles)
        if len(mine) < 2:
            continue
        small, large = mine[0], mine[-1]
        for kind in QUERIES:
            growth = [
                f"{large.figures[f'{kind} {what}'] / small.figures[f'{kind} {what}']:.2f}"
                for what in ("http p50", "engine p50")
            ]
            lines.append([database, kind, f"{large.articles:,} / {small.articles:,}", *growth])
    if lines:
        table(
            "Growth of search latency p50 (target <= 1.5)", ["database", "queries", "articles", "http", "engine"], lines
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command")
    bare = commands.add_parser("bare", help="(internal) serve the bare comparison app")
    bare.add_argument("--port", type=int, required=True)
    bare.add_argument("--list", required=True)
    bare.add_argument("--detail", required=True)
    parser.add_argument("--sizes", default="1000,100000", help="corpus sizes, comma separated")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each throughput measurement")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=25, help="times each search query is repeated")
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "yiwang-bench")
    parser.add_argument("--pg-prefix", default="yiwang_bench", help="PostgreSQL databases are named PREFIX_N")
    args = parser.parse_args()
    if args.command == "bare":
        serve_bare(args)
        return
    sizes = sorted(int(size) for size in args.sizes.split(","))
    rows = [row for database in args.databases.split(",") for row in measure(database, sizes, args)]
    print_tables(rows)


if __name__ == "__main__":
    main()
