"""Group commit on SQLite (and plain sessions on PostgreSQL): every job's result comes back after its batch
is committed, a failing job rolls back alone, and jobs sent from many threads all land exactly once."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.accounts.models import User
from server.config import Settings
from server.core.group_commit import writer_for
from server.db import make_engine, make_sessionmaker, utcnow
from server.notifications.models import Notification
from server.notifications.service import notify


def test_jobs_commit_in_batches_and_fail_alone(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    with sessions() as db:
        user = User(phone="13800138000", name="张三", password_hash="x", role="citizen")
        db.add(user)
        db.commit()
        user_id = user.id
    writer = writer_for(engine, sessions)
    assert writer_for(engine, sessions) is writer

    def job(index: int) -> int:
        def work(db: Session) -> int:
            notify(db, user_id, "test", f"第{index}条", "正文", None, utcnow())
            db.flush()
            if index % 5 == 0:
                raise ValueError(index)
            return index

        try:
            return writer.run(work)
        except ValueError:
            return -index

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(job, range(1, 121)))
    assert results == [-i if i % 5 == 0 else i for i in range(1, 121)]
    with sessions() as db:
        titles = set(db.scalars(select(Notification.title)))
        assert db.scalar(select(func.count()).select_from(Notification)) == 96
    assert titles == {f"第{i}条" for i in range(1, 121) if i % 5}
    engine.dispose()


def test_a_failing_commit_fails_every_job_of_the_batch(settings: Settings) -> None:
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)

    def work(db: Session) -> None:
        notify(db, 999_999, "test", "无此用户", "外键不成立", None, utcnow())

    with pytest.raises(Exception):  # noqa: B017 - the driver's IntegrityError, raised at flush or commit
        writer_for(engine, sessions).run(work)
    engine.dispose()
