"""Benchmark of 网上办事 catalogue reads and service search, printed as a table (a script, not a test).

    python bench/services_bench.py [--databases sqlite,postgresql] [--seconds 3]

For each database it prepares the demo data (`python -m server seed`: departments, articles and the
500-item catalogue; kept under --work-dir and in the database yiwang_bench_services, so a second run
reuses them), starts the real server with uvicorn on 127.0.0.1 and measures side by side in one run:
- throughput of item lists (first page, a theme's page, the next page) and guides (the hot ones and
  all 500), against a bare FastAPI endpoint returning the same bytes (target ratio >= 0.5);
- latency (p50/p99) of the questions people type, searched in the services scope past the read cache.
The load loop, the server runner and the bare app are those of bench/articles_bench.py.
"""

import argparse
import asyncio
import json
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import articles_bench as common  # the shared load loop, server runner and bare app

QUESTIONS = ["怎么办营业执照", "失业金怎么领", "身份证丢了怎么办", "新生儿落户需要什么材料", "公积金提取", "shebao"]
LIST_PATH = "/api/v1/service-items?limit=20"
THEME_PATH = "/api/v1/service-items?limit=20&theme=" + urllib.parse.quote("社会保障")
HOT_GUIDES = 20


def prepare_database(database: str, work_dir: Path) -> list[str]:
    if database == "sqlite":
        options = ["--data-dir", str(work_dir / "sqlite-services")]
    else:
        from sqlalchemy import create_engine, text

        admin_url = common.postgres_admin_url()
        name = "yiwang_bench_services"
        admin = create_engine(
            admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"))
        admin.dispose()
        options = ["--database-url", admin_url.rsplit("/", 1)[0] + f"/{name}"]
    started = time.perf_counter()
    common.subprocess.run(
        [sys.executable, "-m", "server", "seed", *options],
        cwd=common.ROOT,
        check=True,
        stdout=common.subprocess.DEVNULL,
    )
    print(f"  {database} demo data ready in {time.perf_counter() - started:.0f} s", flush=True)
    return options


async def _question_latencies(port: int, rounds: int) -> list[float]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    samples = []
    for _ in range(rounds):
        for question in QUESTIONS:
            path = f"/api/v1/search?scope=services&limit=20&q={urllib.parse.quote(question)}"
            started = time.perf_counter()
            status, _ = await common._request(reader, writer, path, "Cache-Control: no-cache\r\n")
            samples.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise RuntimeError(f"search answered {status} for {path}")
    writer.close()
    return samples


def measure(database: str, args: argparse.Namespace) -> dict[str, float]:
    options = prepare_database(database, args.work_dir)
    figures: dict[str, float] = {}
    print(f"measuring {database} ...", flush=True)
    with common.server([sys.executable, "-m", "server", *options]) as port:
        _, first_page = asyncio.run(common.fetch(port, LIST_PATH))
        codes = [item["code"] for item in json.loads(first_page)["items"]]
        next_path = f"{LIST_PATH}&cursor={json.loads(first_page)['next_cursor']}"
        _, everything = asyncio.run(common.fetch(port, "/api/v1/service-items?limit=100&sort=catalogue"))
        all_codes = [item["code"] for item in json.loads(everything)["items"]]
        cursor = json.loads(everything)["next_cursor"]
        while cursor:
            _, page = asyncio.run(common.fetch(port, f"/api/v1/service-items?limit=100&sort=catalogue&cursor={cursor}"))
            all_codes += [item["code"] for item in json.loads(page)["items"]]
            cursor = json.loads(page)["next_cursor"]
        hot = [f"/api/v1/service-items/{code}" for code in codes[:HOT_GUIDES]]
        spread = [f"/api/v1/service-items/{code}" for code in all_codes]
        _, guide = asyncio.run(common.fetch(port, hot[0]))
        figures["list first page"] = common.throughput(port, [LIST_PATH], args.seconds, args.connections)
        figures["list by theme"] = common.throughput(port, [THEME_PATH], args.seconds, args.connections)
        figures["list next page"] = common.throughput(port, [next_path], args.seconds, args.connections)
        figures["guide hot"] = common.throughput(port, hot, args.seconds, args.connections)
        figures["guide all 500"] = common.throughput(port, spread, args.seconds, args.connections)
        questions = asyncio.run(_question_latencies(port, args.rounds))
        figures["search p50"], figures["search p99"] = common.percentiles(questions)
    figures["items"] = len(all_codes)
    with tempfile.TemporaryDirectory() as folder:
        list_file, guide_file = Path(folder) / "list.json", Path(folder) / "guide.json"
        list_file.write_bytes(first_page)
        guide_file.write_bytes(guide)
        figures["list bytes"], figures["guide bytes"] = len(first_page), len(guide)
        bare = [
            sys.executable,
            str(Path(common.__file__)),
            "bare",
            "--list",
            str(list_file),
            "--detail",
            str(guide_file),
        ]
        with common.server(bare) as port:
            figures["bare list"] = common.throughput(port, ["/api/v1/articles"], args.seconds, args.connections)
            figures["bare guide"] = common.throughput(port, ["/api/v1/articles/1"], args.seconds, args.connections)
    return figures


def print_table(results: dict[str, dict[str, float]]) -> None:
    header = ["database", "endpoint", "bytes", "req/s", "bare req/s", "ratio"]
    lines = []
    for database, f in results.items():
        for name in ("list first page", "list by theme", "list next page", "guide hot", "guide all 500"):
            kind = "list" if name.startswith("list") else "guide"
            bare = f[f"bare {kind}"]
            lines.append(
                [
                    database,
                    name,
                    f"{f[f'{kind} bytes']:,.0f}",
                    f"{f[name]:,.0f}",
                    f"{bare:,.0f}",
                    f"{f[name] / bare:.2f}",
                ]
            )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    print(
        "\nCatalogue throughput (req/s through uvicorn; bare = FastAPI returning the same bytes; target ratio >= 0.5)"
    )
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for line in lines:
        print("  ".join(c.rjust(w) if n > 1 else c.ljust(w) for n, (c, w) in enumerate(zip(line, widths, strict=True))))
    print("\nService search, the questions people type (ms over HTTP, past the read cache)")
    for database, f in results.items():
        print(f"{database}: items {f['items']:.0f}, p50 {f['search p50']:.2f}, p99 {f['search p99']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each throughput measurement")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=20, help="times each question is searched")
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "yiwang-bench")
    args = parser.parse_args()
    print_table({database: measure(database, args) for database in args.databases.split(",")})


if __name__ == "__main__":
    main()
