"""Memory does not grow with the number of requests: peak RSS at 10^6 and 10^8 requests.

Each size runs in a fresh process (so the peaks do not mix) on a small network with a cache
branch and a timeout; prints the peak resident set size and the time. The 10^8 run takes a
minute or two, so `python -m benchmarks` runs it only with `--memory`.
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = """
import json, resource, sys, time
from staffpath.design.load import load_text
from staffpath.engine.simulate import simulate
design = load_text('''
name: memory
workload: {flows: {f: {rate: 900/s, steps: [lb, {app: {timeout: 1s}}, {cache: {hit: 30%, on_miss: [db]}}]}}}
components:
  lb: {kind: load_balancer, replicas: 1, concurrency: 64, service_time: 100us}
  app: {kind: service, replicas: 1, concurrency: 4, service_time: 3ms}
  cache: {kind: cache, replicas: 1, concurrency: 1, service_time: 500us}
  db: {kind: database, replicas: 1, concurrency: 2, service_time: 2ms}
''').design
simulate(design, requests=1000, seed=1)  # compile or load the kernel first
start = time.perf_counter()
result = simulate(design, requests=int(sys.argv[1]), seed=1)
seconds = time.perf_counter() - start
# VmHWM is this process's own high-water mark; ru_maxrss on Linux keeps the parent's across
# fork and exec, so after the other benchmarks it read 1 GiB (theirs) at any request count.
try:
    with open("/proc/self/status") as status:
        hwm = [l for l in status if l.startswith("VmHWM:")][0]
    peak = int(hwm.split()[1]) * 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"requests": result.requests, "seconds": seconds, "peak_bytes": peak,
                  "events": result.events}))
"""


def measure(requests: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(requests)], capture_output=True, text=True, check=True
    ).stdout
    data: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return data


def run(*, quick: bool = False) -> None:
    sizes = [10**5, 10**6] if quick else [10**6, 10**8]
    print("\nsimulate: memory against requests (fresh process each; target: 10^8 within 1 GiB)")
    print(f"{'requests':>14} {'events':>14} {'seconds':>9} {'requests/s':>12} {'peak RSS':>10}")
    for n in sizes:
        m = measure(n)
        print(
            f"{int(m['requests']):>14,} {int(m['events']):>14,} {m['seconds']:>9.1f} "
            f"{m['requests'] / m['seconds']:>12,.0f} {m['peak_bytes'] / 2**20:>8.0f}MiB"
        )
