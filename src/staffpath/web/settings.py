"""The studio's configuration: one typed object, built once in the entry point.

Precedence: defaults < environment (``STAFFPATH_DATABASE_URL``, ``STAFFPATH_DATA_DIR``) <
command-line flags.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from staffpath.store.database import sqlite_url

MAX_BODY = 1 << 20  # 1 MiB: a design is at most 256 KiB; a compare body holds a few


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    host: str = "127.0.0.1"
    port: int = 8000
    max_body: int = MAX_BODY

    @classmethod
    def build(
        cls,
        *,
        data_dir: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 8000,
        env: Mapping[str, str] | None = None,
    ) -> Settings:
        env = os.environ if env is None else env
        if data_dir is None:
            given = env.get("STAFFPATH_DATA_DIR")
            if given:
                data_dir = Path(given)
            else:
                from platformdirs import user_data_dir

                data_dir = Path(user_data_dir("staffpath", appauthor=False))
        url = env.get("STAFFPATH_DATABASE_URL") or sqlite_url(data_dir)
        return cls(data_dir=data_dir, database_url=url, host=host, port=port)
