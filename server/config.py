"""Where the backend keeps its data. Read once at start-up; nothing here changes while serving."""

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "yiwang"
WORKERS_ENV = "YIWANG_WORKERS"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def normalise_database_url(url: str) -> str:
    """Accept the `postgresql://` form that hosting platforms hand out, and use psycopg 3 for it."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def worker_processes() -> int:
    """How many server processes share this machine: `python -m server --workers N` tells its workers."""
    value = os.environ.get(WORKERS_ENV, "")
    return int(value) if value.isdigit() and int(value) > 0 else 1


TRUSTED_PROXIES_ENV = "YIWANG_TRUSTED_PROXIES"


def _proxy_list(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    # Addresses or networks (e.g. "127.0.0.1,10.0.0.0/8") of reverse proxies whose X-Forwarded-For is believed.
    trusted_proxies: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()
    """Web origins allowed to call the API from a browser (YIWANG_CORS_ORIGINS, comma-separated); none by default."""

    @property
    def dialect(self) -> str:
        return "postgresql" if self.database_url.startswith("postgresql") else "sqlite"

    @classmethod
    def resolve(cls, data_dir: str | Path | None = None, database_url: str | None = None) -> "Settings":
        """Explicit arguments first, then YIWANG_DATA_DIR / DATABASE_URL / YIWANG_TRUSTED_PROXIES, then defaults.
        YIWANG_CORS_ORIGINS lists the web origins allowed to call the API, e.g. `https://gov.example.cn`."""
        folder = Path(data_dir or os.environ.get("YIWANG_DATA_DIR") or default_data_dir()).expanduser()
        url = database_url or os.environ.get("DATABASE_URL")
        if not url:
            url = f"sqlite:///{folder / 'yiwang.db'}"
        proxies = _proxy_list(os.environ.get(TRUSTED_PROXIES_ENV))
        origins = _proxy_list(os.environ.get("YIWANG_CORS_ORIGINS"))
        return cls(
            database_url=normalise_database_url(url), data_dir=folder, trusted_proxies=proxies, cors_origins=origins
        )

    def to_env(self) -> dict[str, str]:
        """The environment that makes worker processes resolve these same settings."""
        return {
            "YIWANG_DATA_DIR": str(self.data_dir),
            "DATABASE_URL": self.database_url,
            TRUSTED_PROXIES_ENV: ",".join(self.trusted_proxies),
            "YIWANG_CORS_ORIGINS": ",".join(self.cors_origins),
        }
