"""Migration 0004 seals the resident ID numbers stored in plain text before it, on both databases."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, inspect, text

from server.__main__ import main
from server.config import Settings
from server.core.field_crypto import KEYS_ENV, FieldCipher, id_number_context, new_key
from server.db import make_engine, utcnow
from server.lifecycle import alembic_config, migrate, prepare
from tests.conftest import _require_postgres

PLAIN_ID = "11010519491231002X"


@pytest.fixture(params=["sqlite", "postgresql"])
def settings_at_0003(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """An empty database migrated only up to 0003, the schema that stored ID numbers in plain text."""
    if request.param == "sqlite":
        settings = Settings.resolve(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'yiwang.db'}")
        admin: Engine | None = None
    else:
        admin_url = _require_postgres()
        name = f"yiwang_migration_{os.getpid()}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        settings = Settings(database_url=admin_url.rsplit("/", 1)[0] + f"/{name}", data_dir=tmp_path)
    engine = make_engine(settings.database_url)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.execute(
            text(
                "INSERT INTO users (id, phone, name, password_hash, role, id_number, created_at) "
                "VALUES (7, '13712345678', '王小明', 'x', 'citizen', :id_number, :now)"
            ),
            {"id_number": PLAIN_ID.lower(), "now": utcnow()},
        )
        connection.execute(
            text(
                "INSERT INTO auth_sessions (user_id, access_hash, refresh_hash, access_expires_at, "
                "refresh_expires_at, created_at) VALUES (7, 'a', 'r', :now, :now, :now)"
            ),
            {"now": utcnow()},
        )
    engine.dispose()
    yield settings
    if admin is not None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{settings.database_url.rsplit("/", 1)[1]}" WITH (FORCE)'))
        admin.dispose()


def test_plain_id_numbers_are_sealed_and_the_plain_column_dropped(settings_at_0003: Settings) -> None:
    engine = make_engine(settings_at_0003.database_url)
    with pytest.raises(RuntimeError, match="ID key"):
        migrate(engine)  # without the key, nothing is half-migrated
    cipher = FieldCipher.for_settings(settings_at_0003)
    migrate(engine, cipher)
    with engine.connect() as connection:
        sealed, masked = connection.execute(text("SELECT id_number_sealed, id_number_masked FROM users")).one()
        sessions = connection.execute(text("SELECT count(*) FROM auth_sessions")).scalar_one()
    columns = {column["name"] for column in inspect(engine).get_columns("users")}
    engine.dispose()
    assert cipher.open(bytes(sealed), id_number_context(7)) == PLAIN_ID
    assert masked == "1101**********002X"
    assert "id_number" not in columns
    assert sessions == 1  # SQLite did not rebuild `users`, which would have cascaded into the sessions
    if settings_at_0003.dialect == "sqlite":
        raw = b"".join(path.read_bytes() for path in settings_at_0003.data_dir.glob("yiwang.db*"))
        assert PLAIN_ID.encode() not in raw and PLAIN_ID.lower().encode() not in raw


def test_reencrypt_moves_sealed_numbers_to_the_newest_key(
    settings_at_0003: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = new_key(), new_key()
    monkeypatch.setenv(KEYS_ENV, old)
    prepare(settings_at_0003, seed=False)
    monkeypatch.setenv(KEYS_ENV, f"{new},{old}")
    main(["reencrypt-ids", "--database-url", settings_at_0003.database_url])
    assert "re-sealed 1 " in capsys.readouterr().out
    monkeypatch.setenv(KEYS_ENV, new)  # the old key is gone, and the number still opens
    engine = make_engine(settings_at_0003.database_url)
    with engine.connect() as connection:
        sealed = connection.execute(text("SELECT id_number_sealed FROM users")).scalar_one()
    engine.dispose()
    cipher = FieldCipher.for_settings(settings_at_0003)
    assert cipher.open(bytes(sealed), id_number_context(7)) == PLAIN_ID
