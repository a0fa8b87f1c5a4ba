"""Simulations run in a background thread, one at a time; pages poll their progress.

A job lives in memory only: a restart forgets it (the design and its versions are stored;
a simulation is cheap to run again).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

State = Literal["queued", "running", "done", "failed"]
KEEP = 64  # finished jobs remembered


@dataclass
class Job:
    id: str
    state: State = "queued"
    progress: float = 0.0
    result: dict[str, Any] | None = None
    error: str | None = None
    started: float = field(default_factory=time.monotonic)
    seconds: float | None = None

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "progress": round(self.progress, 4),
            "result": self.result,
            "error": self.error,
            "seconds": self.seconds,
        }


class Jobs:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="staffpath-sim")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def submit(self, work: Callable[[Callable[[float], None]], dict[str, Any]]) -> Job:
        """Run ``work(progress)`` in the background; it returns the JSON result."""
        job = Job(id=uuid.uuid4().hex[:12])
        with self._lock:
            self._jobs[job.id] = job
            done = [k for k, j in self._jobs.items() if j.state in ("done", "failed")]
            for key in done[: max(0, len(done) - KEEP)]:
                del self._jobs[key]

        def run() -> None:
            job.state = "running"

            def progress(x: float) -> None:
                job.progress = min(max(x, 0.0), 1.0)

            try:
                job.result = work(progress)
                job.progress = 1.0
                job.state = "done"
            except Exception as exc:  # reported to the page, never lost in a thread
                from staffpath.errors import UserError

                job.error = str(exc) if isinstance(exc, UserError) else f"internal error: {exc!r}"
                job.state = "failed"
            job.seconds = time.monotonic() - job.started

        self._pool.submit(run)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
