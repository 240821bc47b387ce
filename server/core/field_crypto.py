"""Personal data encrypted at rest (resident ID numbers): AES-GCM with keys kept outside the database.

The keys come from the environment variable YIWANG_ID_KEYS (base64 keys separated by commas, newest first),
for deployments whose secrets live elsewhere, or else from the file `id-keys` in the data folder (one base64
key a line, newest first), created with mode 0600 on the first start. A sealed value starts with the id of
its key, so values sealed with an older key stay readable once a new key is put first; `python -m server
reencrypt-ids` then moves them all to the newest key, after which the old key can be deleted.
"""

import base64
import hashlib
import os
import secrets
import threading
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from server.config import Settings

KEYS_ENV = "YIWANG_ID_KEYS"
KEY_FILE = "id-keys"
_KEY_ID_LENGTH = 4
_NONCE_LENGTH = 12


def _key_id(key: bytes) -> bytes:
    return hashlib.sha256(key).digest()[:_KEY_ID_LENGTH]


def new_key() -> str:
    """A fresh 256-bit key in the form the key file and YIWANG_ID_KEYS hold."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _parse_keys(lines: list[str], source: str) -> list[bytes]:
    keys = [base64.b64decode(line.strip(), validate=True) for line in lines if line.strip()]
    if not keys or any(len(key) != 32 for key in keys):
        raise ValueError(f"{source}: expected base64-encoded 32-byte keys, newest first")
    return keys


def _key_file_lines(path: Path) -> list[str]:
    """The key file's lines, creating it (0600, one new key) if it does not exist yet. The file appears whole or
    not at all (written aside, then linked into place), so a concurrent first reader never sees it empty."""
    if not path.exists():
        draft = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(new_key() + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process or thread made it first: theirs is the key
        finally:
            draft.unlink()
    return path.read_text().splitlines()


class FieldCipher:
    """Seals and opens short strings; `context` binds a value to its row, so it cannot be moved to another."""

    def __init__(self, keys: list[bytes]) -> None:
        self._current = keys[0]
        self._by_id = {_key_id(key): AESGCM(key) for key in keys}

    @classmethod
    def for_settings(cls, settings: Settings) -> "FieldCipher":
        if configured := os.environ.get(KEYS_ENV):
            return cls(_parse_keys(configured.split(","), KEYS_ENV))
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        path = settings.data_dir / KEY_FILE
        return cls(_parse_keys(_key_file_lines(path), str(path)))

    def seal(self, plain: str, context: str) -> bytes:
        nonce = os.urandom(_NONCE_LENGTH)
        sealed = AESGCM(self._current).encrypt(nonce, plain.encode(), context.encode())
        return _key_id(self._current) + nonce + sealed

    def open(self, sealed: bytes, context: str) -> str:
        key_id, nonce = sealed[:_KEY_ID_LENGTH], sealed[_KEY_ID_LENGTH : _KEY_ID_LENGTH + _NONCE_LENGTH]
        cipher = self._by_id.get(key_id)
        if cipher is None:
            raise KeyError("the key this value was sealed with is not configured")
        return cipher.decrypt(nonce, sealed[_KEY_ID_LENGTH + _NONCE_LENGTH :], context.encode()).decode()

    def is_current(self, sealed: bytes) -> bool:
        return sealed[:_KEY_ID_LENGTH] == _key_id(self._current)


def id_number_context(user_id: int) -> str:
    return f"users.id_number:{user_id}"
