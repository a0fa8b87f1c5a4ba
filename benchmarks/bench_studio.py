"""The studio's edit-to-analysis round trip: what a keystroke costs before the page updates.

A real ``staffpath serve`` on loopback (uvicorn, SQLite in a temporary folder); an HTTP client
sends each example's text with one number changed per request (as typing does) to
``POST /api/analyze`` and times the whole round trip: request, YAML load and checks, the
analysis, JSON, response. Target: p95 under 100 ms on every example.

The peer is what an engineer does without the studio: run ``staffpath analyze FILE --json``
after each edit (a new process each time). The ratio is the peer's median over ours.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 100.0


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _edits(text: str, n: int) -> list[str]:
    """``n`` versions of ``text``, each with the first ``replicas:`` count changed."""
    key = "replicas: "
    at = text.find(key)
    if at < 0:
        return [text] * n
    end = at + len(key)
    digits = ""
    while text[end + len(digits)].isdigit():
        digits += text[end + len(digits)]
    base = int(digits)
    return [text[:end] + str(base + i % 3) + text[end + len(digits) :] for i in range(n)]


@contextmanager
def serving(data: str, *flags: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real ``staffpath serve`` on a free loopback port over the data folder ``data``, up
    and answering; yields its address and process, and stops it after."""
    port = _port()
    env = {k: v for k, v in os.environ.items() if k != "STAFFPATH_DATABASE_URL"}
    cli = [sys.executable, "-m", "staffpath.cli", "serve", "--no-open", "--port", str(port)]
    server = subprocess.Popen(
        [*cli, "--data-dir", data, *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as probe:
            for _ in range(300):
                try:
                    probe.get("/login" if "--multi-user" in flags else "/api/examples")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
        yield base, server
    finally:
        server.terminate()
        server.communicate(timeout=20)


def run(*, quick: bool = False) -> None:
    n = 30 if quick else 100
    with (
        tempfile.TemporaryDirectory(prefix="staffpath-bench-") as data,
        serving(data) as (base, _),
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        print(f"\nstudio: edit-to-analysis round trip over HTTP ({n} edits per example)")
        print(
            f"  {'example':<18} {'p50':>8} {'p95':>8} {'max':>8}  {'CLI analyze':>12} {'ratio':>7}"
        )
        worst = 0.0
        for path in sorted((ROOT / "examples").glob("*.yaml")):
            texts = _edits(path.read_text(encoding="utf-8"), n)
            client.post("/api/analyze", json={"yaml": texts[0]})  # warm
            times = []
            for text in texts:
                t = time.perf_counter()
                r = client.post("/api/analyze", json={"yaml": text})
                times.append((time.perf_counter() - t) * 1e3)
                assert r.status_code == 200, r.text
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            worst = max(worst, p95)
            cli = []
            for _ in range(1 if quick else 3):
                t = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "staffpath.cli", "analyze", str(path), "--json"],
                    capture_output=True,
                    check=True,
                    cwd=ROOT,
                )
                cli.append((time.perf_counter() - t) * 1e3)
            peer = statistics.median(cli)
            p50 = statistics.median(times)
            print(
                f"  {path.stem:<18} {p50:>6.1f}ms {p95:>6.1f}ms {times[-1]:>6.1f}ms  "
                f"{peer:>10.0f}ms {peer / p50:>6.0f}x"
            )
        verdict = "met" if worst < TARGET_P95_MS else "NOT met"
        print(f"  worst p95 {worst:.1f} ms (target < {TARGET_P95_MS:.0f} ms: {verdict})")
