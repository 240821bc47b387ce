"""Fixtures shared by every test: a migrated database on SQLite and on PostgreSQL, and the API over it.

PostgreSQL tests need YIWANG_TEST_PG_URL (set by `make test`, which starts a server). Without it they
are skipped on a developer's machine and fail under CI=true, where nothing may be skipped.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from server.app import create_app
from server.config import Settings, normalise_database_url
from server.db import Base, make_engine, make_sessionmaker
from server.lifecycle import migrate
from server.seed import seed_departments
from server.workdays.seed import seed_calendar

PG_URL_ENV = "YIWANG_TEST_PG_URL"


def _require_postgres() -> str:
    url = os.environ.get(PG_URL_ENV)
    if url:
        return normalise_database_url(url)
    if os.environ.get("CI") == "true":
        pytest.fail(f"{PG_URL_ENV} is not set: CI must run the PostgreSQL tests (see Makefile)")
    pytest.skip(f"{PG_URL_ENV} not set")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with departments, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with make_sessionmaker(engine)() as db:
        seed_departments(db)
        seed_calendar(db)
        db.commit()
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database() -> str:
    """A fresh, migrated database on the test server, made once per run."""
    admin_url = _require_postgres()
    name = f"yiwang_test_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"))
    admin.dispose()
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return url


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    with make_sessionmaker(engine)() as db:
        seed_departments(db)
        seed_calendar(db)
        db.commit()
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Settings:
    """Settings for a database holding just the departments; each test gets its own data."""
    if request.param == "sqlite":
        shutil.copy(sqlite_template, tmp_path / "yiwang.db")
        return Settings.resolve(data_dir=tmp_path)
    url = request.getfixturevalue("postgres_database")
    _reset_postgres(url)
    return Settings(database_url=url, data_dir=tmp_path)


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def http(app: FastAPI) -> Iterator[TestClient]:
    """Raw HTTP against the API, for status codes, headers and error bodies."""
    with TestClient(app) as client:
        yield client
