"""Migration 0010 on a database that already holds attachments cited by appeals, on both databases: owner_id
becomes nullable without losing or breaking a row (on SQLite the stored table definition is edited in place, since
a table copy would trip the appeal rows' foreign keys), and an ownerless row can then be stored."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, text

from server.config import Settings
from server.db import make_engine, utcnow
from server.lifecycle import alembic_config, migrate
from tests.conftest import _require_postgres

BEFORE = "0009"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_before(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database migrated up to 0009 with an owned attachment cited by an appeal."""
    admin: Engine | None = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'yiwang.db'}"
    else:
        admin_url = _require_postgres()
        name = f"yiwang_anon_migration_{os.getpid()}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    engine = make_engine(Settings(database_url=url, data_dir=tmp_path).database_url)
    config = alembic_config(engine)
    now = utcnow()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, BEFORE)
        statements = [
            "INSERT INTO users (id, phone, name, password_hash, role, created_at) "
            "VALUES (7, '13712345678', '王小明', 'x', 'citizen', :now)",
            "INSERT INTO departments (id, code, name, short_name, sort_order) VALUES (900, 'test', '测试厅', '测试', 900)",
            "INSERT INTO attachments (id, owner_id, filename, format, size, sha256, storage_key, created_at) "
            "VALUES ('a' || :pad, 7, '照片.png', 'png', 10, 's', 'k', :now)",
            "INSERT INTO appeals (id, number, type, category, department_id, title, content, public, citizen_id, "
            "status, submitted_at, deadline_days, due_on, reopened, amount_recovered_yuan, revision) VALUES (5, "
            "'S202511290000000001', '投诉', '其他', 900, '标题四字', '内容十个字以上的内容', false, 7, 'pending', :now, "
            "15, '2025-12-20', false, 0, 0)",
            "INSERT INTO appeal_attachments (appeal_id, attachment_id) VALUES (5, 'a' || :pad)",
        ]
        for statement in statements:
            connection.execute(text(statement), {"now": now, "pad": "0" * 31})
    yield engine
    engine.dispose()
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
        admin.dispose()


def test_owner_becomes_optional_and_cited_rows_survive(engine_before: Engine) -> None:
    migrate(engine_before)
    attachment_id = "a" + "0" * 31
    with engine_before.begin() as connection:
        rows = connection.execute(text("SELECT id, owner_id, claimed_at FROM attachments")).all()
        assert [tuple(r) for r in rows] == [(attachment_id, 7, None)]
        cited = connection.execute(text("SELECT attachment_id FROM appeal_attachments WHERE appeal_id = 5")).scalar()
        assert cited == attachment_id
        connection.execute(
            text(
                "INSERT INTO attachments (id, owner_id, filename, format, size, sha256, storage_key, created_at) "
                "VALUES (:id, NULL, 'anon.png', 'png', 10, 's', 'k2', :now)"
            ),
            {"id": "b" * 32, "now": utcnow()},
        )
        if engine_before.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    with engine_before.connect() as connection:
        owners = dict(connection.execute(text("SELECT id, owner_id FROM attachments")).all())
    assert owners == {attachment_id: 7, "b" * 32: None}
