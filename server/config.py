"""Where the backend keeps its data. Read once at start-up; nothing here changes while serving."""

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "yiwang"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def normalise_database_url(url: str) -> str:
    """Accept the `postgresql://` form that hosting platforms hand out, and use psycopg 3 for it."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    cors_origins: tuple[str, ...] = ()
    """Web origins allowed to call the API from a browser (YIWANG_CORS_ORIGINS, comma-separated); none by default."""

    @property
    def dialect(self) -> str:
        return "postgresql" if self.database_url.startswith("postgresql") else "sqlite"

    @classmethod
    def resolve(cls, data_dir: str | Path | None = None, database_url: str | None = None) -> "Settings":
        """Explicit arguments first, then YIWANG_DATA_DIR / DATABASE_URL, then the user's data folder.
        YIWANG_CORS_ORIGINS lists the web origins allowed to call the API, e.g. `https://gov.example.cn`."""
        folder = Path(data_dir or os.environ.get("YIWANG_DATA_DIR") or default_data_dir()).expanduser()
        url = database_url or os.environ.get("DATABASE_URL")
        if not url:
            url = f"sqlite:///{folder / 'yiwang.db'}"
        origins = tuple(o.strip() for o in os.environ.get("YIWANG_CORS_ORIGINS", "").split(",") if o.strip())
        return cls(database_url=normalise_database_url(url), data_dir=folder, cors_origins=origins)

    def to_env(self) -> dict[str, str]:
        """The environment that makes worker processes resolve these same settings."""
        return {
            "YIWANG_DATA_DIR": str(self.data_dir),
            "DATABASE_URL": self.database_url,
            "YIWANG_CORS_ORIGINS": ",".join(self.cors_origins),
        }
