"""``staffpath serve`` starts the studio, prints its address, and answers on it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from staffpath.cli.app import app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_serves_the_studio_on_a_fresh_data_folder(tmp_path: Path) -> None:
    port = free_port()
    data = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if k != "STAFFPATH_DATABASE_URL"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "staffpath.cli",
            "serve",
            "--no-open",
            "--port",
            str(port),
            "--data-dir",
            str(data),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        body = b""
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/examples") as r:
                    body = r.read()
                    break
            except OSError:
                time.sleep(0.1)
        assert b"url-shortener" in body
        assert (data / "studio.db").exists()
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in out, err


def test_a_bad_port_is_a_clear_error() -> None:
    result = CliRunner().invoke(app, ["serve", "--no-open", "--port", "0"])
    assert result.exit_code == 1 and "not a port number" in result.output
