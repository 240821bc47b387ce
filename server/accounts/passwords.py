"""argon2id hashing, capped so a burst of log-ins cannot take every core and gigabytes of memory."""

import functools
import os
import secrets
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from server.config import worker_processes


def _hashes_at_once() -> int:
    """Half of the machine's cores, shared among the server's processes: while log-ins queue for a turn, the
    other half keeps serving everything else."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, cores // (2 * worker_processes()))


HASHES_AT_ONCE = _hashes_at_once()
_hasher = PasswordHasher()  # argon2id, 64 MiB, t=3: ~0.1 s here
_slots = threading.BoundedSemaphore(HASHES_AT_ONCE)


def hash_password(password: str) -> str:
    with _slots:
        return _hasher.hash(password)


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Checks against a dummy hash for unknown accounts, so timing does not tell which phones exist."""
    with _slots:
        try:
            return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
