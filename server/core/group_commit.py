"""Group commit for SQLite: many small writes share one transaction, so one fsync acknowledges them all.

SQLite has one writer at a time and, with `synchronous=FULL`, every commit waits for the disk (~7 ms
here). A write submitted as a job runs on the writer thread inside its own SAVEPOINT of the current
batch; the batch commits once, and only then does each caller get its answer, so every acknowledged write
is on disk. A job that fails rolls back its savepoint alone. PostgreSQL has group commit of its own:
there a job just runs in a short session of its own.
"""

import queue
import threading
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")
MAX_BATCH = 64
IDLE_SECONDS = 5.0  # the writer thread ends after this long without work and starts again on demand


class _Job(Generic[T]):
    def __init__(self, work: Callable[[Session], T]) -> None:
        self.work = work
        self.result: T | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()


class GroupCommit:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._jobs: queue.SimpleQueue[_Job[Any]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._writer: threading.Thread | None = None

    def run(self, work: Callable[[Session], T]) -> T:
        """Runs `work(session)` in the next batch and returns its result once the batch is committed."""
        job = _Job(work)
        self._jobs.put(job)
        with self._lock:
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(target=self._write, name="group-commit", daemon=True)
                self._writer.start()
        job.done.wait()
        if job.error is not None:
            raise job.error
        return job.result  # type: ignore[return-value]

    def _write(self) -> None:
        while True:
            try:
                batch = [self._jobs.get(timeout=IDLE_SECONDS)]
            except queue.Empty:
                with self._lock:
                    if self._jobs.empty():
                        self._writer = None
                        return
                continue
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._jobs.get_nowait())
                except queue.Empty:
                    break
            self._commit(batch)

    def _commit(self, batch: list[_Job[Any]]) -> None:
        with self._sessions() as db:
            db.execute(text("BEGIN IMMEDIATE"))  # one real transaction: the jobs' savepoints nest in it
            for job in batch:
                try:
                    with db.begin_nested():
                        job.result = job.work(db)
                except BaseException as exc:  # the job's own failure: its savepoint is rolled back
                    job.error = exc
            try:
                db.commit()
            except BaseException as exc:
                for job in batch:
                    job.error = job.error or exc
        for job in batch:
            job.done.set()


class ShortSessions:
    """The same interface where the database groups commits itself (PostgreSQL)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def run(self, work: Callable[[Session], T]) -> T:
        with self._sessions() as db:
            result = work(db)
            db.commit()
            return result


_writers: "weakref.WeakKeyDictionary[Engine, GroupCommit | ShortSessions]" = weakref.WeakKeyDictionary()
_writers_lock = threading.Lock()


def writer_for(engine: Engine, sessions: sessionmaker[Session]) -> GroupCommit | ShortSessions:
    """One writer per engine (per process): SQLite's single writer, or plain sessions on PostgreSQL."""
    with _writers_lock:
        writer = _writers.get(engine)
        if writer is None:
            writer = GroupCommit(sessions) if engine.dialect.name == "sqlite" else ShortSessions(sessions)
            _writers[engine] = writer
        return writer
