"""The database: where it is, how to reach it, and bringing its schema up to date.

The URL comes from the settings (``STAFFPATH_DATABASE_URL``, else a SQLite file in the data
folder). ``connect`` migrates with Alembic to the latest revision before anything else runs,
so the studio never works on an old schema.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'studio.db'}"


def _alembic(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest revision (creates the tables on a new database)."""
    command.upgrade(_alembic(engine), "head")


def connect(url: str) -> sessionmaker[Session]:
    """An engine for ``url``, migrated; returns the session factory."""
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

    migrate(engine)
    return sessionmaker(engine, expire_on_commit=False)
