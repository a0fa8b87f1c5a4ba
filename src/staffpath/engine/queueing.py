"""Multi-server stations: exact M/M/c (Erlang C) and the Allen–Cunneen G/G/c approximation.

A station has ``c`` identical servers fed by one FIFO queue. With Poisson arrivals at rate
λ and exponential service of mean S (rate μ = 1/S), the offered load is a = λS and the
utilisation ρ = a/c. The station is stable only when ρ < 1.

- **M/M/c** (exact). The probability an arrival waits is Erlang C, computed from the Erlang B
  recursion ``B(k) = a·B(k−1) / (k + a·B(k−1))`` which never forms a factorial or a power and so
  stays accurate for thousands of servers. The wait is 0 with probability 1 − C and otherwise
  exponential with rate cμ − λ; the response time adds one service time, which gives a closed
  form for its distribution (a mixture of an exponential and a hypoexponential).
- **G/G/c** (Allen–Cunneen). For other service distributions the mean wait is scaled by
  (c_a² + c_s²)/2, with c_a² and c_s² the squared coefficients of variation of inter-arrival and
  service times; it is exact for M/M/c and for M/G/1 (Pollaczek–Khinchine). The wait keeps the
  Erlang C probability of waiting and an exponential conditional wait with the scaled mean.

Sources: Gross & Harris, *Fundamentals of Queueing Theory*, ch. 2 (M/M/c); Allen,
*Probability, Statistics and Queueing Theory* (1990), §6 (the Allen–Cunneen formula).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WARN_UTILIZATION = 0.8

SATURATION_EPSILON = 1e-12
"""Utilisation within this of 1 counts as saturated. There, rounding decides whether cμ − λ
comes out positive, zero or negative (a station analysed at exactly its saturation rate
lands here), and the waits would be some 10^12 service times anyway."""


def erlang_b(c: int, a: float) -> float:
    """Blocking probability of M/M/c/c with offered load ``a`` (stable recursion)."""
    if c < 1 or a < 0:
        raise ValueError("erlang_b needs c >= 1 and a >= 0")
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c: int, a: float) -> float:
    """Probability an arrival waits in M/M/c with offered load ``a`` (needs a < c)."""
    if a >= c:
        raise ValueError("erlang_c needs a < c (a stable station)")
    if a == 0:
        return 0.0
    b = erlang_b(c, a)
    return c * b / (c - a * (1.0 - b))


@dataclass(frozen=True, slots=True)
class Station:
    """One station: ``servers`` in parallel behind one queue."""

    servers: int
    arrival_rate: float
    service_mean: float
    service_scv: float = 1.0
    arrival_scv: float = 1.0

    @property
    def offered_load(self) -> float:
        return self.arrival_rate * self.service_mean

    @property
    def utilization(self) -> float:
        return self.offered_load / self.servers

    @property
    def exact(self) -> bool:
        """True when the M/M/c formulas are exact for this station."""
        return self.service_scv == 1.0 and self.arrival_scv == 1.0


@dataclass(frozen=True, slots=True)
class StationResult:
    """Steady-state figures of a station. Latencies are ``None`` when it is saturated."""

    utilization: float
    saturated: bool
    p_wait: float | None
    mean_wait: float | None
    mean_response: float | None
    mean_queue: float | None
    mean_in_system: float | None
    method: str
    growth_needed: float
    """Factor by which capacity must grow to bring utilisation under 100% (1 when stable)."""

    @property
    def warning(self) -> bool:
        return self.utilization >= WARN_UTILIZATION


def solve(st: Station) -> StationResult:
    """Mean-value figures of a station; the method says which formula gave them."""
    rho = st.utilization
    if rho >= 1.0 - SATURATION_EPSILON:
        return StationResult(rho, True, None, None, None, None, None, "saturated", rho)
    if st.service_mean == 0 or st.arrival_rate == 0:
        return StationResult(
            rho, False, 0.0, 0.0, st.service_mean, 0.0, st.offered_load, "no queueing", 1.0
        )
    c_prob = erlang_c(st.servers, st.offered_load)
    wq_mm = c_prob / (st.servers / st.service_mean - st.arrival_rate)
    if st.exact:
        wq, method = wq_mm, "M/M/c (Erlang C, exact)"
    else:
        wq = wq_mm * (st.arrival_scv + st.service_scv) / 2.0
        method = "G/G/c (Allen–Cunneen approximation)"
    lq = st.arrival_rate * wq
    return StationResult(
        utilization=rho,
        saturated=False,
        p_wait=c_prob,
        mean_wait=wq,
        mean_response=wq + st.service_mean,
        mean_queue=lq,
        mean_in_system=lq + st.offered_load,
        method=method,
        growth_needed=1.0,
    )


def wait_rate(st: Station, result: StationResult) -> float:
    """Rate of the exponential conditional wait (cμ − λ for M/M/c, scaled otherwise)."""
    assert result.p_wait is not None and result.mean_wait is not None
    if result.mean_wait == 0:
        return math.inf
    return result.p_wait / result.mean_wait


def wait_survival(st: Station, t: float) -> float:
    """P(wait > t): C·exp(−θt), exact for M/M/c (θ = cμ − λ)."""
    res = solve(st)
    if res.saturated:
        return 1.0
    assert res.p_wait is not None
    if t < 0:
        return 1.0
    theta = wait_rate(st, res)
    return res.p_wait * math.exp(-theta * t) if math.isfinite(theta) else 0.0


def mmc_response_survival(st: Station, t: float) -> float:
    """P(response > t) for M/M/c, in closed form (exponential service only)."""
    law = _mmc_law(st)
    return 1.0 if law is None else _survival(*law, t)


def _mmc_law(st: Station) -> tuple[float, float, float] | None:
    """(C, θ = cμ − λ, μ) of a stable M/M/c station, or None when saturated."""
    if not st.exact:
        raise ValueError("the closed form needs exponential service and Poisson arrivals")
    res = solve(st)
    if res.saturated:
        return None
    assert res.p_wait is not None
    mu = 1.0 / st.service_mean
    return res.p_wait, st.servers * mu - st.arrival_rate, mu


def _survival(c_prob: float, theta: float, mu: float, t: float) -> float:
    """(1 − C)·e^{−μt} + C·P(Exp(θ) + Exp(μ) > t)."""
    if t <= 0:
        return 1.0
    if abs(theta - mu) < 1e-12 * mu:
        hypo = math.exp(-mu * t) * (1.0 + mu * t)
    else:
        hypo = (mu * math.exp(-theta * t) - theta * math.exp(-mu * t)) / (mu - theta)
    return (1.0 - c_prob) * math.exp(-mu * t) + c_prob * hypo


def _density(c_prob: float, theta: float, mu: float, t: float) -> float:
    if abs(theta - mu) < 1e-12 * mu:
        hypo = mu * mu * t * math.exp(-mu * t)
    else:
        hypo = theta * mu * (math.exp(-theta * t) - math.exp(-mu * t)) / (mu - theta)
    return (1.0 - c_prob) * mu * math.exp(-mu * t) + c_prob * hypo


def mmc_response_quantiles(st: Station, ps: tuple[float, ...]) -> list[float]:
    """Quantiles of the M/M/c response time: Newton's method on the closed form, kept inside
    a bisection bracket (so it always converges), to a relative 1e-12."""
    if any(not 0 < p < 1 for p in ps):
        raise ValueError("p must lie strictly between 0 and 1")
    law = _mmc_law(st)
    if law is None:
        raise ValueError("a saturated station has no response-time distribution")
    out = []
    _, theta, mu = law
    for p in ps:
        target = 1.0 - p
        # start from the slower exponential tail, e^{-min(θ, μ) t}: Newton then needs a few steps
        guess = -math.log(target) / min(theta, mu)
        lo, hi = 0.0, guess
        while _survival(*law, hi) > target:
            lo, hi = hi, hi * 2.0
        t = guess if lo < guess < hi else (lo + hi) / 2.0
        for _ in range(100):
            gap = _survival(*law, t) - target
            if gap > 0:
                lo = t
            else:
                hi = t
            dens = _density(*law, t)
            step = t + gap / dens if dens > 0 else (lo + hi) / 2.0
            new = step if lo < step < hi else (lo + hi) / 2.0
            if abs(new - t) <= 1e-12 * max(new, 1e-300) or hi - lo <= 1e-12 * hi:
                t = new
                break
            t = new
        out.append(t)
    return out


def mmc_response_quantile(st: Station, p: float) -> float:
    """The p-quantile of the M/M/c response time (see :func:`mmc_response_quantiles`)."""
    return mmc_response_quantiles(st, (p,))[0]


@dataclass(frozen=True, slots=True)
class FiniteResult:
    """M/M/c/K: c servers and room for K requests in all (K − c waiting); arrivals beyond are lost."""

    p0: float
    p_block: float
    throughput: float
    mean_queue: float
    mean_in_system: float
    mean_wait: float
    mean_response: float
    p_wait_any_arrival: float
    """P(N >= c) seen by any arrival, blocked ones included (what some tools print as P(wait))."""
    p_admitted_and_waits: float
    """P(an arrival is admitted and waits) = P(c <= N < K)."""
    p_wait_admitted: float
    """P(an arrival waits, given it is admitted) = P(c <= N < K) / (1 − P_K)."""
    utilization: float


def solve_finite(
    servers: int, capacity: int, arrival_rate: float, service_mean: float
) -> FiniteResult:
    """Exact M/M/c/K by the birth-death balance equations (stable for any load)."""
    c, k = servers, capacity
    if k < c:
        raise ValueError("capacity must be at least the number of servers")
    a = arrival_rate * service_mean
    if a <= 0:
        p = [1.0] + [0.0] * k
    else:
        # log(p_n / p_0) by the ratios, then scaled by the largest: far past capacity the
        # ratios themselves overflow a float (a/c = 10 over a few hundred places is 10^300)
        logs = [0.0]
        for n in range(1, k + 1):
            logs.append(logs[-1] + math.log(a / min(n, c)))
        top = max(logs)
        weights = [math.exp(v - top) for v in logs]
        total = math.fsum(weights)
        p = [w / total for w in weights]
    p_block = p[k]
    lam_eff = arrival_rate * (1.0 - p_block)
    lq = math.fsum((n - c) * p[n] for n in range(c, k + 1))
    ls = math.fsum(n * p[n] for n in range(k + 1))
    wq = lq / lam_eff if lam_eff > 0 else 0.0
    ws = ls / lam_eff if lam_eff > 0 else service_mean
    waiting = math.fsum(p[c:])
    return FiniteResult(
        p0=p[0],
        p_block=p_block,
        throughput=lam_eff,
        mean_queue=lq,
        mean_in_system=ls,
        mean_wait=wq,
        mean_response=ws,
        p_wait_any_arrival=waiting,
        p_admitted_and_waits=waiting - p_block,
        p_wait_admitted=(waiting - p_block) / (1.0 - p_block) if p_block < 1 else 1.0,
        utilization=lam_eff * service_mean / c,
    )


def jackson(
    external: list[float],
    routing: list[list[float]],
    servers: list[int],
    service_means: list[float],
) -> list[StationResult]:
    """An open Jackson network: solve the traffic equations, then each station as M/M/c.

    ``routing[i][j]`` is the probability that a request leaving station i goes to station j
    (rows may sum to less than 1: the rest leaves the network). The total arrival rates solve
    λ = γ + Pᵀλ; by Jackson's theorem each station then behaves as an independent M/M/c.
    staffpath's designs are acyclic, so :mod:`.compile` gets the same rates by walking the
    steps; this general form serves networks with feedback and the tests against them.
    """
    import numpy as np  # local: keeps `staffpath check` free of numpy at start-up

    n = len(external)
    p = np.asarray(routing, dtype=float)
    if p.shape != (n, n) or len(servers) != n or len(service_means) != n:
        raise ValueError("external, routing, servers and service_means must agree in size")
    rates = np.linalg.solve(np.eye(n) - p.T, np.asarray(external, dtype=float))
    return [solve(Station(servers[i], float(rates[i]), service_means[i])) for i in range(n)]


def mmc_response_quantile_table(
    laws: list[tuple[float, float, float]], ps: tuple[float, ...]
) -> list[list[float]]:
    """Response-time quantiles of many M/M/c stations at once, each law (C, θ, μ).

    Vectorised bisection in log-time on the closed form (60 halvings of a bracket that holds
    the answer by construction), so its accuracy matches
    :func:`mmc_response_quantiles` while costing a few array operations per step.
    """
    import numpy as np  # local: `staffpath check` stays free of numpy at start-up

    if not laws:
        return []
    c = np.repeat(np.array([law[0] for law in laws]), len(ps))
    theta = np.repeat(np.array([law[1] for law in laws]), len(ps))
    mu = np.repeat(np.array([law[2] for law in laws]), len(ps))
    target = np.tile(1.0 - np.array(ps), len(laws))
    slow = np.minimum(theta, mu)
    hi = np.log(-np.log(target) / slow * 4.0 + 4.0 / mu)  # survival there is below target
    lo = np.log(1e-12 / mu)  # and here still above it
    near = np.abs(theta - mu) < 1e-12 * mu
    safe = np.where(near, 1.0, mu - theta)
    for _ in range(60):
        mid = (lo + hi) / 2.0
        t = np.exp(mid)
        hypo = np.where(
            near,
            np.exp(-mu * t) * (1.0 + mu * t),
            (mu * np.exp(-theta * t) - theta * np.exp(-mu * t)) / safe,
        )
        surv = (1.0 - c) * np.exp(-mu * t) + c * hypo
        above = surv > target
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    out = np.exp((lo + hi) / 2.0).reshape(len(laws), len(ps))
    return [[float(v) for v in row] for row in out]
