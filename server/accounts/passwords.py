"""argon2id hashing, capped so a burst of log-ins cannot take every core and gigabytes of memory."""

import functools
import os
import secrets
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as WaitedTooLong
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from server.config import worker_processes
from server.core.errors import ApiError

ResultT = TypeVar("ResultT")

HASH_NICENESS = 10  # on Linux: a CPU share of about a tenth against the threads that serve everything else
HASH_QUEUE_SECONDS = 3.0  # longest wait for a turn (at most one or two hashes are ahead: server.core.admission)


def _hashes_at_once() -> int:
    """Half of the machine's cores, shared among the server's processes: while log-ins queue for a turn, the
    other half keeps serving everything else."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, cores // (2 * worker_processes()))


def _lower_priority() -> None:
    """Runs first in each hashing thread. On Linux a thread has its own nice value, and the threads argon2 starts
    for its lanes (parallelism 4) inherit it: when the CPU is short, serving requests comes before hashing."""
    if sys.platform == "linux":
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, max(os.getpriority(os.PRIO_PROCESS, thread), HASH_NICENESS))


HASHES_AT_ONCE = _hashes_at_once()
_hasher = PasswordHasher()  # argon2id, 64 MiB, t=3, 4 lanes: ~0.1 s here
_hashing = ThreadPoolExecutor(HASHES_AT_ONCE, thread_name_prefix="argon2", initializer=_lower_priority)


def _in_turn(work: Callable[..., ResultT], *args: str | None) -> ResultT:
    """`work` on a hashing thread; 503 server_busy if its turn has not come within HASH_QUEUE_SECONDS."""
    future = _hashing.submit(work, *args)
    try:
        return future.result(timeout=HASH_QUEUE_SECONDS)
    except WaitedTooLong:
        if future.cancel():
            raise ApiError(503, "server_busy", headers={"Retry-After": "2"}) from None
        return future.result()  # already hashing: finish it


def hash_password(password: str) -> str:
    return _in_turn(_hasher.hash, password)


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def verify_password(password_hash: str | None, password: str) -> bool:
    """Checks against a dummy hash for unknown accounts, so timing does not tell which phones exist."""
    return _in_turn(_verify, password_hash, password)
