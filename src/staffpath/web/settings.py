"""The studio's configuration: one typed object, built once in the entry point.

Precedence: defaults < environment (``STAFFPATH_DATABASE_URL``, ``STAFFPATH_DATA_DIR``,
``STAFFPATH_ALLOWED_HOSTS``) < command-line flags.

Modes (docs/security.md): on a loopback address the studio is single-user with no login,
unless ``multi_user`` is asked for; any other address always requires accounts, so a studio
reachable from the network never runs without a login.

Host names (docs/security.md, "DNS rebinding"): a studio on a loopback address answers only
requests addressed to a loopback name, so a web page whose own name was pointed at 127.0.0.1
cannot reach it; ``--allowed-host`` adds names (a proxy's, a tunnel's).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from staffpath.errors import InputError
from staffpath.store.accounts import HashParams
from staffpath.store.database import sqlite_url

MAX_BODY = 1 << 20  # 1 MiB: a design is at most 256 KiB; a compare body holds a few
SESSION_IDLE = timedelta(hours=24)
SESSION_ABSOLUTE = timedelta(days=30)
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


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
    # the names the studio answers to (the Host header's, lower-case, "*.example.com" for a
    # domain's names); None answers to any
    allowed_hosts: tuple[str, ...] | None = None

    @classmethod
    def build(
        cls,
        *,
        data_dir: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 8000,
        multi_user: bool = False,
        allowed_hosts: Sequence[str] = (),
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
            allowed_hosts=answers_to(host, allowed_hosts or _listed(env)),
        )


def _listed(env: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(n for n in env.get("STAFFPATH_ALLOWED_HOSTS", "").split(",") if n.strip())


def answers_to(host: str, listed: Sequence[str]) -> tuple[str, ...] | None:
    """The Host names a studio listening on ``host`` answers to: on loopback, the loopback
    names and ``listed``; elsewhere ``listed``, or any when none are listed (accounts guard
    that studio, and its cookie goes to no other name). ``*`` alone means any."""
    names = [check_host_name(n) for n in listed]
    if "*" in names:
        return None
    if is_loopback(host):
        return tuple(dict.fromkeys([*LOOPBACK_NAMES, host.strip("[]").lower(), *names]))
    return tuple(dict.fromkeys(names)) or None


def check_host_name(name: str) -> str:
    """``name`` lower-cased and checked: a host name, an IP address, ``*.domain`` or ``*``."""
    plain = name.strip().lower().strip("[]")
    label = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    if plain == "*" or re.fullmatch(rf"(?:\*\.)?{label}(?:\.{label})*", plain):
        return plain
    try:
        return str(ipaddress.ip_address(plain))
    except ValueError:
        raise InputError(
            f"--allowed-host: {name!r} is not a host name (like studio.example.com, "
            "*.example.com or 10.0.0.5); give the name without a scheme, port or path"
        ) from None


def host_allowed(hostname: str | None, allowed: tuple[str, ...] | None) -> bool:
    """Whether a request for ``hostname`` (the Host header's name, without its port) is for
    this studio."""
    if allowed is None:
        return True
    if not hostname:
        return False
    name = hostname.lower().strip("[]").removesuffix(".")
    return any(
        name == pattern or (pattern.startswith("*.") and name.endswith(pattern[1:]))
        for pattern in allowed
    )
