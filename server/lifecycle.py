"""Bringing a database to the current schema and seeding it, once, before any worker serves."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from server.config import Settings
from server.core.field_crypto import FieldCipher
from server.db import make_engine, make_sessionmaker
from server.search.indexing import index_unindexed, merge_every_scope

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, id_cipher: FieldCipher | None = None) -> None:
    """Upgrade the schema, then index stored search documents that have no postings yet (after 0007)
    and merge search segments left by the former merge policy.
    `id_cipher` is needed only when the database holds resident ID numbers from before they were sealed."""
    config = alembic_config(engine)
    config.attributes["id_cipher"] = id_cipher
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        index_unindexed(connection)
        merge_every_scope(connection)
    if engine.dialect.name == "sqlite":  # leave no page of replaced plain values in the write-ahead log
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def prepare(settings: Settings, seed: bool = True) -> None:
    """Migrations, then the demo data the first time (a second start adds nothing)."""
    from server.seed import seed_demo_data

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    try:
        migrate(engine, FieldCipher.for_settings(settings))
        if seed:
            with make_sessionmaker(engine)() as db:
                seed_demo_data(db)
    finally:
        engine.dispose()
