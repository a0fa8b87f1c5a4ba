"""The studio's database as the CLI reaches it: the same data folder and URL as ``serve``, so
the terminal and the studio share interviews, stories and the flashcard schedule."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker


def sessions(data_dir: Path | None) -> sessionmaker[Session]:
    from staffpath.store.database import connect
    from staffpath.web.settings import Settings

    settings = Settings.build(data_dir=data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return connect(settings.database_url, backups=settings.data_dir / "backups")


def data_folder(data_dir: Path | None) -> Path:
    from staffpath.web.settings import Settings

    return Settings.build(data_dir=data_dir).data_dir
