"""Benchmark of 网上办事 applications, printed as a table (a script, not a test).

    python bench/applications_bench.py [--databases sqlite,postgresql] [--seconds 5] [--cases 100000]

For each database it prepares a fresh database (migrations, departments, holiday table), one service item
approved in parallel by two departments, a citizen with two uploaded materials and an officer, starts the
real server with uvicorn on 127.0.0.1, and measures:
- submissions per second: POST /applications, each with its own Idempotency-Key, from a bounded number
  of concurrent keep-alive connections (target >= 200/s on SQLite);
- the officer inbox: GET /officer/applications p50/p99 after bulk-inserting --cases applications (with
  their two department steps, statuses and due dates spread as in a busy year) into that department,
  plain and with the overdue and due-soon filters.
PostgreSQL comes from YIWANG_BENCH_PG_URL, else from tools/test-postgres.sh; --databases sqlite skips it.
"""

import argparse
import asyncio
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

from api_client import models as wire  # noqa: E402
from server.accounts.models import User  # noqa: E402
from server.accounts.passwords import hash_password  # noqa: E402
from server.accounts.tokens import start_session  # noqa: E402
from server.applications.models import NOT_DUE, Application, ApplicationStep  # noqa: E402
from server.config import Settings, normalise_database_url  # noqa: E402
from server.db import make_engine, make_sessionmaker  # noqa: E402
from server.departments.models import Department  # noqa: E402
from server.lifecycle import migrate  # noqa: E402
from server.seed import seed_departments  # noqa: E402
from server.services.models import ServiceItem, ServiceItemDepartment  # noqa: E402
from server.workdays.seed import seed_calendar  # noqa: E402

ITEM_CODE = "BENCH0000000000000000000001"
FORM = {"applicant_name": "张三", "id_number": "11010519491231002X", "phone": "13800138000", "trainees": "30"}
PDF = b"%PDF-1.4\n% bench\n%%EOF\n"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_url() -> str:
    admin_url = (
        os.environ.get("YIWANG_BENCH_PG_URL")
        or subprocess.run(
            [str(ROOT / "tools/test-postgres.sh")], check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    admin_url = normalise_database_url(admin_url)
    name = "yiwang_bench_applications"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def prepare(settings: Settings) -> dict[str, str]:
    """Schema, reference data, the item and two accounts; returns their bearer tokens."""
    engine = make_engine(settings.database_url)
    migrate(engine)
    with make_sessionmaker(engine)() as db:
        seed_departments(db)
        seed_calendar(db)
        departments = {d.code: d.id for d in db.scalars(select(Department))}
        fields = [
            wire.FormField(key="applicant_name", label="申请人姓名", type="text"),
            wire.FormField(key="id_number", label="身份证号码", type="id_number"),
            wire.FormField(key="phone", label="联系电话", type="phone"),
            wire.FormField(key="trainees", label="招生人数", type="integer", min_value=1, max_value=5000),
        ]
        materials = [wire.Material(key="id_card", name="身份证"), wire.Material(key="site", name="场所证明")]
        item = ServiceItem(
            code=ITEM_CODE,
            name="民办职业培训学校设立审批",
            type="licensing",
            department_id=departments["rst"],
            audience="business",
            statutory_days=20,
            promised_days=10,
            online=True,
            visits=0,
            popularity=0,
            sort_key=ITEM_CODE,
            guide={"materials": [m.model_dump() for m in materials], "form": [f.model_dump() for f in fields]},
        )
        db.add(item)
        db.flush()
        db.add_all(
            [
                ServiceItemDepartment(item_id=item.id, department_id=departments["rst"], position=0),
                ServiceItemDepartment(item_id=item.id, department_id=departments["xfjy"], position=1),
            ]
        )
        password = hash_password("Bench12345")
        citizen = User(phone="13800138000", name="张三", password_hash=password, role="citizen")
        officer = User(
            phone="13900000002", name="赵科长", password_hash=password, role="officer", department_id=departments["rst"]
        )
        db.add_all([citizen, officer])
        db.flush()
        tokens = {
            "citizen": start_session(db, citizen).access_token,
            "officer": start_session(db, officer).access_token,
        }
        db.commit()
    engine.dispose()
    return tokens


def bulk_cases(settings: Settings, count: int) -> None:
    """`count` applications of the item with their two steps, in batches (Core INSERT, no ORM objects)."""
    engine = make_engine(settings.database_url)
    rng = random.Random(7)
    today = dt.date.today()
    statuses = ["completed"] * 6 + ["in_review"] * 3 + ["submitted", "supplement", "rejected"]
    with engine.begin() as conn:
        item_id, department_id = conn.execute(
            select(ServiceItem.id, ServiceItem.department_id).where(ServiceItem.code == ITEM_CODE)
        ).one()
        fire = conn.scalar(select(Department.id).where(Department.code == "xfjy"))
        applicant = conn.scalar(select(User.id).where(User.role == "citizen"))
        first_id = (conn.scalar(select(Application.id).order_by(Application.id.desc()).limit(1)) or 0) + 1
        batch = 5000
        for start in range(0, count, batch):
            apps, steps = [], []
            for n in range(start, min(start + batch, count)):
                status = rng.choice(statuses)
                due = None if status == "submitted" else today + dt.timedelta(days=rng.randint(-60, 30))
                submitted = dt.datetime.now(dt.UTC) - dt.timedelta(days=rng.randint(0, 365))
                app_id = first_id + n
                apps.append(
                    {
                        "id": app_id,
                        "number": f"B{app_id:019d}",
                        "item_id": item_id,
                        "department_id": department_id,
                        "applicant_id": applicant,
                        "contact_phone": "13800138000",
                        "status": status,
                        "form": FORM,
                        "requested_materials": [],
                        "submitted_at": submitted,
                        "due_on": due,
                        "working_days_used": 0,
                        "due_provisional": False,
                        "due_soon_warned": False,
                        "revision": 0,
                    }
                )
                for department in (department_id, fire):
                    steps.append(
                        {
                            "application_id": app_id,
                            "department_id": department,
                            "state": "passed" if status == "completed" else "pending",
                            "case_status": status,
                            "case_due_on": due or NOT_DUE,
                        }
                    )
            conn.execute(insert(Application), apps)
            conn.execute(insert(ApplicationStep), steps)
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE applications; ANALYZE application_steps"))
        else:
            conn.execute(text("ANALYZE"))
    engine.dispose()


@contextmanager
def server(settings: Settings) -> Iterator[str]:
    """The real app under uvicorn on a free port, stopped (by its own pid) when the block ends."""
    port = free_port()
    env = {**os.environ, **settings.to_env()}
    command = [sys.executable, "-m", "uvicorn", "server.app:app_from_env", "--factory", "--port", str(port)]
    process = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _submissions(base: str, token: str, seconds: float, connections: int) -> tuple[float, Counter[int]]:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        ids = []
        for name in ("id.pdf", "site.pdf"):
            response = await client.post("/api/v1/attachments", files={"file": (name, PDF)})
            ids.append(response.json()["id"])
        body = {"item_code": ITEM_CODE, "form": FORM, "materials": {"id_card": [ids[0]], "site": [ids[1]]}}
        statuses: Counter[int] = Counter()

        async def worker(stop_at: float) -> None:
            while time.perf_counter() < stop_at:
                key = {"Idempotency-Key": uuid.uuid4().hex}
                statuses[(await client.post("/api/v1/applications", json=body, headers=key)).status_code] += 1

        await asyncio.gather(*(worker(time.perf_counter() + 1) for _ in range(connections)))  # warm-up
        statuses.clear()
        started = time.perf_counter()
        await asyncio.gather(*(worker(started + seconds) for _ in range(connections)))
        return sum(statuses.values()) / (time.perf_counter() - started), statuses


async def _inbox(base: str, token: str, rounds: int) -> dict[str, list[float]]:
    headers = {"Authorization": f"Bearer {token}"}
    queries = {"inbox": {}, "overdue": {"overdue": "true"}, "due soon": {"due_soon": "true"}}
    samples: dict[str, list[float]] = {name: [] for name in queries}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as client:
        for _ in range(rounds):
            for name, params in queries.items():
                started = time.perf_counter()
                response = await client.get("/api/v1/officer/applications", params=params)
                samples[name].append((time.perf_counter() - started) * 1000)
                if response.status_code != 200 or not response.json()["items"]:
                    raise RuntimeError(f"inbox {name}: {response.status_code} {response.text[:200]}")
    return samples


def in_process_submissions(settings: Settings, seconds: float, threads: int) -> float:
    """The same write as the route (idempotency record, validation, case, steps, materials, timeline) through
    the same writer, from `threads` threads and without HTTP: what the storage side sustains."""
    from concurrent.futures import ThreadPoolExecutor

    from server.applications import service
    from server.attachments.models import StoredAttachment
    from server.core.group_commit import writer_for
    from server.core.idempotency import claim_in_transaction

    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        citizen = db.scalars(select(User).where(User.role == "citizen")).one()
        ids = list(db.scalars(select(StoredAttachment.id).where(StoredAttachment.owner_id == citizen.id).limit(2)))
    body = wire.ApplicationCreate(item_code=ITEM_CODE, form=FORM, materials={"id_card": ids[:1], "site": ids[1:]})
    writer = writer_for(engine, sessions)
    stop_at = time.perf_counter() + seconds

    def submit_until_stopped(_: int) -> int:
        done = 0
        while time.perf_counter() < stop_at:
            key = uuid.uuid4().hex
            writer.run(
                lambda db, key=key: claim_in_transaction(db, citizen, key, key).seal(
                    service.submit(db, citizen, body, dt.datetime.now(dt.UTC)), 201
                )
            )
            done += 1
        return done

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        total = sum(pool.map(submit_until_stopped, range(threads)))
    rate = total / (time.perf_counter() - started)
    engine.dispose()
    return rate


def p50_p99(samples: list[float]) -> str:
    ordered = sorted(samples)
    return f"{statistics.median(ordered):7.1f} / {ordered[round(0.99 * (len(ordered) - 1))]:7.1f} ms"


def run(database: str, args: argparse.Namespace, work_dir: Path) -> None:
    folder = work_dir / database
    url = postgres_url() if database == "postgresql" else None
    settings = Settings.resolve(data_dir=folder, database_url=url)
    tokens = prepare(settings)
    with server(settings) as base:
        rate, statuses = asyncio.run(_submissions(base, tokens["citizen"], args.seconds, args.connections))
    print(f"  {database:<10} submissions with Idempotency-Key over HTTP: {rate:7.0f} /s  (statuses {dict(statuses)})")
    inside = in_process_submissions(settings, args.seconds, args.connections)
    print(f"  {database:<10} submissions with Idempotency-Key in process (no HTTP): {inside:7.0f} /s")
    started = time.perf_counter()
    bulk_cases(settings, args.cases)
    print(f"  {database:<10} {args.cases:,} applications bulk-inserted in {time.perf_counter() - started:.0f} s")
    with server(settings) as base:
        samples = asyncio.run(_inbox(base, tokens["officer"], args.rounds))
    for name, values in samples.items():
        print(f"  {database:<10} officer {name:<9} p50 / p99 at {args.cases:,}: {p50_p99(values)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    print("Applications (uvicorn, one worker, load generator on the same machine)")
    with tempfile.TemporaryDirectory(prefix="yiwang-bench-") as work:
        for database in args.databases.split(","):
            run(database, args, Path(work))


if __name__ == "__main__":
    main()
