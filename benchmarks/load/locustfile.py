"""Load test of the studio on loopback (goals LD-1 and DU-4): 50 users mixing reads, writes
and analyses. Run it with ``bash scripts/loadtest`` (it starts a studio on a temporary data
folder); it prints the p95 of each kind of request and exits non-zero on any 5xx, any
connection error, or any "database is locked".

Mix (LD-1: 70 % read / 20 % write / 10 % analysis): list the library (its first page of 100,
as the library page loads it; the library grows past 1,500 designs in five minutes), open a
design; create a design, save a new version; analyse a design text, check one.
"""

from __future__ import annotations

import random
import threading
from typing import Any

from locust import HttpUser, between, events, task
from locust.env import Environment
from locust.stats import StatsEntry

DESIGN = """\
name: {name}
workload:
  peak: {peak}/s
  flows:
    read: {{share: 80%, steps: [api, db]}}
    write: {{share: 20%, steps: [api, db]}}
components:
  api: {{kind: service, replicas: {replicas}, concurrency: 16, service_time: 4ms}}
  db: {{kind: database, replicas: 2, concurrency: 32, service_time: 2ms}}
goals: {{p99: 150ms}}
"""

KINDS = ("read", "write", "analysis")
ids: list[int] = []
ids_lock = threading.Lock()
problems: dict[str, int] = {"5xx": 0, "connection errors": 0, "database is locked": 0}


def design(name: str) -> str:
    return DESIGN.format(
        name=name, peak=random.choice([200, 500, 1000, 2000]), replicas=random.randint(2, 6)
    )


class StudioUser(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        self.mine: list[int] = []
        self.create()

    def _some_id(self) -> int | None:
        with ids_lock:
            return random.choice(ids) if ids else None

    @task(35)
    def list_designs(self) -> None:
        self.client.get("/api/designs", name="read: GET /api/designs")

    @task(35)
    def open_design(self) -> None:
        design_id = self._some_id()
        if design_id is not None:
            self.client.get(f"/api/designs/{design_id}", name="read: GET /api/designs/{id}")

    @task(8)
    def create(self) -> None:
        name = f"load {random.randrange(1 << 30)}"
        with self.client.post(
            "/api/designs",
            json={"yaml": design(name)},
            name="write: POST /api/designs",
            catch_response=True,
        ) as r:
            if r.status_code == 201:
                self.mine.append(r.json()["id"])
                with ids_lock:
                    ids.append(self.mine[-1])

    @task(12)
    def save(self) -> None:
        if not self.mine:
            return
        design_id = random.choice(self.mine)
        self.client.put(
            f"/api/designs/{design_id}",
            json={"yaml": design(f"load {design_id}"), "note": "load test"},
            name="write: PUT /api/designs/{id}",
        )

    @task(7)
    def analyse(self) -> None:
        self.client.post(
            "/api/analyze", json={"yaml": design("analysed")}, name="analysis: POST /api/analyze"
        )

    @task(3)
    def check(self) -> None:
        self.client.post(
            "/api/check", json={"yaml": design("checked")}, name="analysis: POST /api/check"
        )


@events.request.add_listener
def _watch(response: Any, exception: BaseException | None, **_: Any) -> None:
    if exception is not None and getattr(response, "status_code", 0) in (0, None):
        problems["connection errors"] += 1
        return
    status = getattr(response, "status_code", 0) or 0
    if status >= 500:
        problems["5xx"] += 1
    text = getattr(response, "text", "") or ""
    if "database is locked" in text:
        problems["database is locked"] += 1


@events.quitting.add_listener
def _report(environment: Environment, **_: Any) -> None:
    stats = environment.stats
    print("\np95 by request (ms):")
    by_kind = {kind: StatsEntry(stats, kind, "") for kind in KINDS}
    for (name, _method), entry in sorted(stats.entries.items()):
        if entry.num_requests == 0:
            continue
        print(
            f"  {name:<36} n={entry.num_requests:<6} p50={entry.get_response_time_percentile(0.5):<6}"
            f" p95={entry.get_response_time_percentile(0.95):<6}"
            f" max={round(entry.max_response_time)}"
        )
        by_kind[name.split(":")[0]].extend(entry)
    print("p95 by kind (ms):")
    for kind, entry in by_kind.items():
        if entry.num_requests:
            print(
                f"  {kind:<9} n={entry.num_requests:<6} "
                f"p95={entry.get_response_time_percentile(0.95)} "
                f"failures={entry.num_failures}"
            )
    total = stats.total
    print(
        f"total: {total.num_requests} requests, {total.total_rps:.1f}/s, "
        f"{total.num_failures} failures; " + ", ".join(f"{k}: {v}" for k, v in problems.items())
    )
    if any(problems.values()):
        print("FAIL: the studio answered 5xx, dropped connections or reported a locked database")
        environment.process_exit_code = 1
    elif total.num_failures:
        print("FAIL: requests a healthy studio accepts were refused (see the failures above)")
        environment.process_exit_code = 1
    else:
        environment.process_exit_code = 0
