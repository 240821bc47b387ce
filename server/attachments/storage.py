"""Where attachment bytes live: a small interface, and a folder under the data directory behind it."""

import os
import secrets
from pathlib import Path
from typing import IO, Protocol


class FileStorage(Protocol):
    def save(self, source: IO[bytes]) -> str:
        """Stores the stream under a new random key and returns the key."""
        ...

    def read(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class FolderStorage:
    """Files under `root` in two-level folders, named by random keys: nothing a caller chose reaches a path."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if len(key) != 32 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("not a storage key")
        return self.root / key[:2] / key

    def save(self, source: IO[bytes]) -> str:
        key = secrets.token_hex(16)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        with partial.open("wb") as target:
            while chunk := source.read(1 << 16):
                target.write(chunk)
            target.flush()
            os.fsync(target.fileno())
        partial.replace(path)
        return key

    def read(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
