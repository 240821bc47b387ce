"""The command line and start-up: migrations and demo data are applied once, accounts can be added."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.__main__ import main
from server.accounts.models import User
from server.config import Settings
from server.db import make_engine, make_sessionmaker
from server.departments.models import Department
from server.lifecycle import prepare
from server.seed import DEMO_ACCOUNTS


def counts(settings: Settings) -> tuple[int, int]:
    engine = make_engine(settings.database_url)
    with make_sessionmaker(engine)() as db:
        result = (db.scalar(select(func.count(User.id))) or 0, db.scalar(select(func.count(Department.id))) or 0)
    engine.dispose()
    return result


def test_first_start_seeds_and_second_start_adds_nothing(tmp_path: Path) -> None:
    settings = Settings.resolve(data_dir=tmp_path)
    prepare(settings)
    first = counts(settings)
    prepare(settings)
    assert counts(settings) == first == (len(DEMO_ACCOUNTS), 40)


def test_create_user_officer_needs_a_known_department(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["create-user", "--data-dir", str(tmp_path), "--phone", "13912345678", "--password", "Passw0rd"]
    with pytest.raises(SystemExit) as no_department:
        main([*base, "--role", "officer"])
    assert "department" in str(no_department.value)
    main([*base, "--role", "officer", "--department", "gat", "--name", "周警官"])
    assert "created officer" in capsys.readouterr().out
    engine = make_engine(Settings.resolve(data_dir=tmp_path).database_url)
    with make_sessionmaker(engine)() as db:
        officer = db.scalars(select(User).where(User.phone == "13912345678")).one()
        assert officer.department is not None and officer.department.code == "gat"
    engine.dispose()


def test_create_user_rejects_bad_phone_and_weak_password(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="phone_invalid"):
        main(["create-user", "--data-dir", str(tmp_path), "--phone", "123", "--password", "Passw0rd"])
    with pytest.raises(SystemExit, match="password_too_weak"):
        main(["create-user", "--data-dir", str(tmp_path), "--phone", "13912345678", "--password", "password"])


def test_workers_need_postgresql(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="PostgreSQL"):
        main(["--data-dir", str(tmp_path), "--workers", "2"])
