"""A real ``staffpath serve`` in a child process on a free port, for tests that need HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Served:
    base: str
    output: list[str] = field(default_factory=list)  # stdout, once the server has stopped


@contextmanager
def serve(data_dir: Path) -> Iterator[Served]:
    """The studio on SQLite in ``data_dir``, answering by the time this yields."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "STAFFPATH_DATABASE_URL"}
    args = ["serve", "--no-open", "--port", str(port), "--data-dir", str(data_dir)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "staffpath.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    served = Served(f"http://127.0.0.1:{port}")
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{served.base}/api/examples").read()
                break
            except OSError:
                time.sleep(0.1)
        yield served
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
        served.output.append(out)
