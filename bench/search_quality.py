"""Search quality and index size, before and after, on SQLite and PostgreSQL (a script, not a test).

    python bench/search_quality.py [--databases sqlite,postgresql] [--articles 1000] [--before REV]

For each database and each version of the engine — the working tree ("after") and the commit REV
("before", extracted with `git archive`, default: the last commit before the segment index) — a child
process seeds a fresh database with the generated corpus (`prepare` + `seed_articles`), runs every
judged query of bench/search_judgements.py through `server.search.engine.search` (the interface both
versions share) and measures the index. The parent grades the first five results of each query by
the rules of the judged set and prints:
- success@1: share of queries whose first result is grade 2 (answers the query);
- nDCG@5: gains 2^grade - 1, ideal ranking from every judged document of the corpus;
- zero-result rate: share of queries with no result at all;
- engine latency p50/p99 over the judged queries;
- index size: bytes of the search tables other than the stored text (postings, vocabulary,
  synonyms, with their indexes) against the bytes of text they index (titles, keywords, bodies).
Latency growth with corpus size is measured by bench/articles_bench.py.
PostgreSQL comes from YIWANG_BENCH_PG_URL, else from tools/test-postgres.sh.
"""

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_judgements import JUDGEMENTS, NUMBER_SUBJECTS, Judgement  # noqa: E402

BEFORE_REVISION = "0240bcf"  # the engine with one posting row per token and document, all words required
INDEX_TABLES = (
    "search_postings",
    "search_tokens",
    "search_terms",
    "search_segments",
    "search_blocks",
    "search_synonyms",
)
PAGE = 5


def number_queries(articles: list[dict[str, Any]]) -> list[Judgement]:
    """文号 queries made from the corpus: the first policy of each subject, typed three ways."""
    found = []
    for subject in NUMBER_SUBJECTS:
        policy = next(a for a in articles if a["document_number"] and subject in a["title"])
        number = policy["document_number"]
        bare = number[number.index("〔") :]
        year, serial = bare[1:5], bare[6:-1]
        found.append(Judgement(number, "number", (f"={number}",), (subject,)))
        # Without the issuer's prefix a number is ambiguous: every issuer's 〔year〕n号 answers it.
        for typed in (bare, f"{year} {serial}号"):
            found.append(Judgement(typed, "number", (f"~{bare}",), (subject,)))
    return found


def grade(judgement: Judgement, article: dict[str, Any]) -> int:
    title, summary = article["title"], article["summary"]
    number = article["document_number"] or ""
    for rule in judgement.strong:
        if (rule[0] == "=" and number == rule[1:]) or (rule[0] == "~" and number.endswith(rule[1:])):
            return 2
        if rule[0] not in "=~" and rule in title:
            return 2
    if any(rule in title or rule in summary for rule in judgement.weak):
        return 1
    return 0


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def evaluate(run: dict[str, Any]) -> dict[str, Any]:
    articles = {a["id"]: a for a in run["articles"]}
    judgements = JUDGEMENTS + number_queries(run["articles"])
    rows: dict[str, list[tuple[float, float, bool]]] = defaultdict(list)
    unjudgeable = []
    for judgement in judgements:
        all_grades = sorted((grade(judgement, a) for a in articles.values()), reverse=True)
        if not all_grades or all_grades[0] < 2:
            unjudgeable.append(judgement.query)
            continue
        grades = [grade(judgement, articles[i]) for i in run["results"][judgement.query]]
        ideal = dcg(all_grades[:PAGE])
        row = (float(bool(grades) and grades[0] == 2), dcg(grades) / ideal, not grades)
        rows[judgement.kind].append(row)
        rows["all"].append(row)
    summary = {
        kind: {
            "queries": len(values),
            "success@1": statistics.mean(v[0] for v in values),
            "nDCG@5": statistics.mean(v[1] for v in values),
            "zero-result rate": statistics.mean(float(v[2]) for v in values),
        }
        for kind, values in rows.items()
    }
    return {"summary": summary, "unjudgeable": unjudgeable}


# ---- child: one engine version on one database ----------------------------------------------------


def run_child(tree: Path, database_url: str | None, data_dir: str | None, articles: int) -> None:
    sys.path.insert(0, str(tree))
    from sqlalchemy import text

    from server.config import Settings
    from server.db import make_engine
    from server.lifecycle import prepare
    from server.search.engine import search
    from server.seed.articles import seed_articles

    settings = Settings.resolve(Path(data_dir) if data_dir else None, database_url)
    started = time.perf_counter()
    prepare(settings)
    engine = make_engine(settings.database_url)
    seed_articles(engine, articles)
    seeded = time.perf_counter() - started
    with engine.connect() as db:
        corpus = [
            dict(zip(("id", "title", "summary", "document_number"), row, strict=True))
            for row in db.execute(text("SELECT id, title, summary, document_number FROM articles ORDER BY id"))
        ]
        queries = [j.query for j in JUDGEMENTS + number_queries(corpus)]
        search(db, "article", "养老保险怎么交", None, PAGE)  # load dictionaries before timing
        results, latencies = {}, []
        for query in queries:
            began = time.perf_counter()
            page = search(db, "article", query, None, PAGE)
            latencies.append((time.perf_counter() - began) * 1000)
            results[query] = [item.id for item in page.items]
        sizes = index_sizes(db)
    engine.dispose()
    json.dump({"articles": corpus, "results": results, "latencies": latencies, "seconds": seeded, **sizes}, sys.stdout)


def index_sizes(db: Any) -> dict[str, int]:
    """Bytes of the index tables, of the stored documents, and of the text they index (UTF-8)."""
    from sqlalchemy import text

    if db.dialect.name == "postgresql":
        index = sum(
            db.scalar(text("SELECT coalesce(pg_total_relation_size(to_regclass(:t)), 0)"), {"t": table})
            for table in INDEX_TABLES
        )
        stored = db.scalar(text("SELECT pg_total_relation_size('search_documents')"))
        indexed = db.scalar(
            text(
                "SELECT sum(octet_length(title) + octet_length(keywords) + octet_length(content)) FROM search_documents"
            )
        )
    else:
        names = [
            row[0]
            for row in db.execute(
                text(f"SELECT name FROM sqlite_master WHERE tbl_name IN ({','.join(repr(t) for t in INDEX_TABLES)})")
            )
        ]
        index = db.scalar(text(f"SELECT sum(pgsize) FROM dbstat WHERE name IN ({','.join(repr(n) for n in names)})"))
        documents = [
            row[0] for row in db.execute(text("SELECT name FROM sqlite_master WHERE tbl_name = 'search_documents'"))
        ]
        stored = db.scalar(
            text(f"SELECT sum(pgsize) FROM dbstat WHERE name IN ({','.join(repr(n) for n in documents)})")
        )
        indexed = db.scalar(
            text(
                "SELECT sum(length(CAST(title AS BLOB)) + length(CAST(keywords AS BLOB)) "
                "+ length(CAST(content AS BLOB))) FROM search_documents"
            )
        )
    return {"index_bytes": int(index or 0), "stored_bytes": int(stored or 0), "text_bytes": int(indexed or 0)}


# ---- parent ---------------------------------------------------------------------------------------


def extract(revision: str, folder: Path) -> Path:
    """The engine as of `revision`, unpacked from git (no worktree, nothing else touched)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, "server", "api_client"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    target = folder / f"tree-{revision}"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as handle:
        handle.write(archive)
        handle.seek(0)
        with tarfile.open(fileobj=handle) as tar:
            tar.extractall(target, filter="data")
    return target


def postgres_admin_url() -> str:
    url = os.environ.get("YIWANG_BENCH_PG_URL")
    if url:
        return url
    return subprocess.run(
        [str(ROOT / "tools/test-postgres.sh")], check=True, capture_output=True, text=True
    ).stdout.strip()


def fresh_postgres(name: str) -> str:
    from sqlalchemy import create_engine, text

    admin_url = postgres_admin_url()
    admin = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def measure(tree: Path, database: str, version: str, articles: int, work: Path) -> dict[str, Any]:
    if database == "sqlite":
        where = ["--data-dir", str(work / f"quality-{version}-{articles}")]
    else:
        where = ["--database-url", fresh_postgres(f"yiwang_quality_{version}_{articles}")]
    output = subprocess.run(
        [sys.executable, str(Path(__file__)), "child", "--tree", str(tree), "--articles", str(articles), *where],
        cwd=tree,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tree)},
    ).stdout
    run: dict[str, Any] = json.loads(output)
    return run


def print_report(database: str, runs: dict[str, dict[str, Any]]) -> None:
    print(f"\n== {database}: {len(runs['after']['articles']):,} articles ==")
    evaluations = {version: evaluate(run) for version, run in runs.items()}
    header = f"{'':26}" + "".join(f"{version:>12}" for version in runs)
    print(header)
    for metric in ("success@1", "nDCG@5", "zero-result rate"):
        values = "".join(f"{evaluations[v]['summary']['all'][metric]:>12.3f}" for v in runs)
        print(f"{metric:26}{values}")
    for label, pick in (("latency p50 ms", 50), ("latency p99 ms", 99)):
        values = "".join(f"{_percentile(runs[v]['latencies'], pick):>12.1f}" for v in runs)
        print(f"{label:26}{values}")
    for label, key in (
        ("index MB", "index_bytes"),
        ("stored documents MB", "stored_bytes"),
        ("indexed text MB", "text_bytes"),
    ):
        print(f"{label:26}" + "".join(f"{runs[v][key] / 1e6:>12.2f}" for v in runs))
    print(f"{'index / text':26}" + "".join(f"{runs[v]['index_bytes'] / runs[v]['text_bytes']:>12.2f}" for v in runs))
    after = evaluations["after"]["summary"]
    print(f"queries judged: {after['all']['queries']}; after, by kind:")
    for kind, figures in sorted(after.items()):
        if kind != "all":
            print(
                f"  {kind:12} {figures['queries']:>3} queries  success@1 {figures['success@1']:.3f}  "
                f"nDCG@5 {figures['nDCG@5']:.3f}  zero-result {figures['zero-result rate']:.3f}"
            )
    if evaluations["after"]["unjudgeable"]:
        print(f"  without a grade-2 document in this corpus (left out): {evaluations['after']['unjudgeable']}")


def _percentile(samples: list[float], pick: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pick / 100))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", nargs="?", default="report", choices=["report", "child"])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--before", default=BEFORE_REVISION, help="git revision of the engine to compare with")
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "yiwang-search-quality")
    parser.add_argument("--tree", type=Path, default=ROOT)
    parser.add_argument("--data-dir")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if args.mode == "child":
        run_child(args.tree, args.database_url, args.data_dir, args.articles)
        return
    args.work_dir.mkdir(parents=True, exist_ok=True)
    trees = {"before": extract(args.before, args.work_dir), "after": ROOT}
    print("figures taken on a shared, busy machine; latencies are indicative only", flush=True)
    for database in args.databases.split(","):
        for version in trees:
            folder = args.work_dir / f"quality-{version}-{args.articles}"
            shutil.rmtree(folder, ignore_errors=True)
        runs = {
            version: measure(tree, database, version, args.articles, args.work_dir) for version, tree in trees.items()
        }
        print_report(database, runs)


if __name__ == "__main__":
    main()
