"""The studio's configuration: one typed object, built once in the entry point.

Precedence: defaults < environment (``STAFFPATH_DATABASE_URL``, ``STAFFPATH_DATA_DIR``) <
command-line flags.

Modes (docs/security.md): on a loopback address the studio is single-user with no login,
unless ``multi_user`` is asked for; any other address always requires accounts, so a studio
reachable from the network never runs without a login.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from staffpath.store.accounts import HashParams
from staffpath.store.database import sqlite_url

MAX_BODY = 1 << 20  # 1 MiB: a design is at most 256 KiB; a compare body holds a few
SESSION_IDLE = timedelta(hours=24)
SESSION_ABSOLUTE = timedelta(days=30)


def is_loopback(host: str) -> bool:
    """``127.0.0.1``, ``::1`` and ``localhost`` are loopback; names and other addresses
    (``0.0.0.0`` included) are not."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    host: str = "127.0.0.1"
    port: int = 8000
    max_body: int = MAX_BODY
    multi_user: bool = False
    session_idle: timedelta = SESSION_IDLE
    session_absolute: timedelta = SESSION_ABSOLUTE
    password_hash: HashParams = field(default_factory=HashParams)

    @classmethod
    def build(
        cls,
        *,
        data_dir: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 8000,
        multi_user: bool = False,
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
        return cls(
            data_dir=data_dir,
            database_url=url,
            host=host,
            port=port,
            multi_user=multi_user or not is_loopback(host),
        )
