"""The discrete-event kernel, compiled by numba.

All state lives in arrays owned by the caller (:mod:`.driver`), so a run can stop after any
number of events (for progress, a wall-clock budget, or to grow an array) and go on exactly
where it stopped. The kernel keeps no globals but numba's random generator, which the
driver seeds before a run.

``run`` is one function compiled without numba's runtime (it allocates nothing), so the hot
loop does no reference counting: passing arrays between compiled functions used to cost two
atomic operations per array per call, most of the run time in the first layout. Its helpers
are closures over its arrays, which numba inlines.

Row numbers read from a table are masked with ``ROW`` before they index another table: numba
wraps negative indices (a compare, an add and a select per access, on the path from one load
to the next), and the mask lets LLVM prove the index is not negative and drop the wrap. That
was about a seventh of the time on the benchmark network. A row number is never negative
where it indexes (-1 means "none" and is tested first), so the mask changes no value.

Objects are rows of int64 tables (with a float64 twin where times are kept):

- **events**: a binary heap of (time, event slot), the slot's row holding what happens and
  when it was scheduled, so ties resolve in scheduling order in every run. The next arrival
  waits beside the heap with its own sequence number (one push and pop fewer per request);
- **requests** and their **tokens**: a token walks a flow's code; ``parallel`` and ``fanout``
  fork child tokens that meet again at a **join**;
- **jobs**: one try of one visit at one queue, waiting or in service. A job whose caller has
  given up (a timeout) or gone (its request failed) keeps its server to the end: abandoned
  work is real work.

Every row carries a generation or sequence number, and every event the number it was
scheduled with, so an event about something that has moved on is ignored.

Columns. tokens ``tk``: request, pc, join, tries, seq, request generation, current job,
join generation. requests ``rq``: flow, state (0 active, 1 ok, 2 failed), measured,
generation. joins ``jn``: parent token, branches, branches that may still succeed, decided,
branches outstanding, generation, join type (0 all, 1 first), successes still needed. jobs
``jb``: token, token seq, queue, next, prev, generation, replicate, pc; ``jbf``: enqueued,
service, started. queues ``q``: servers up, busy, waiting limit, wait head, wait tail,
waiting, pure delay (1: no queue, no servers to count), component; ``qf``: busy area, waiting
area, (unused), wait sum, sojourn sum, service-time multiplier (the component's, copied to each
of its queues); ``qc``: started, completed, rejected, failed.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from staffpath.engine.simulate.rng import exponential, uniform

# event kinds
E_ARRIVAL, E_DONE, E_TIMEOUT, E_RESUME, E_ACTION = 1, 2, 3, 4, 5
# instructions (program.py)
OP_VISIT, OP_HIT, OP_FORK, OP_BEND, OP_END = 1, 2, 3, 4, 5
D_EXP, D_DET, D_LOGN, D_GAMMA = 0, 1, 2, 3
R_ANY, R_PRIMARY, R_ALL = 0, 1, 2
M_POOLED, M_BALANCED, M_SPLIT, M_DELAY = 0, 1, 2, 3
A_CAPACITY, A_FLUSH, A_SLOW = 1, 2, 3
# error causes
C_TIMEOUT, C_REJECTED, C_FAILED = 0, 1, 2
# what run() returns
ST_DONE, ST_CHUNK, ST_GROW = 0, 1, 2

# float registers
F_NOW, F_HORIZON, F_WARMUP, F_BUCKET, F_RATE, F_MAXMULT, F_END = 0, 1, 2, 3, 4, 5, 6
F_NEXT_ARRIVAL = 7
# int registers
I_SEQ, I_EVENTS, I_HEAP = 0, 1, 2
I_TOK_FREE, I_JOB_FREE, I_REQ_FREE, I_JOIN_FREE = 3, 4, 5, 6
I_ARRIVED, I_MEASURED, I_MEASURED_INFLIGHT, I_TARGET = 7, 8, 9, 10
I_OK, I_FAILED, I_INFLIGHT, I_STOP, I_DETERMINISTIC, I_EV_FREE = 11, 12, 13, 14, 15, 16
I_ARRIVAL_SEQ = 17

# A no-op mask on a row number that tells LLVM it is not negative (see the module docstring).
# Two bits clear, so the sum of two masked numbers is known not negative too.
ROW = (1 << 62) - 1
HIST_X0 = 1e-7
HIST_LOG_G = math.log(1.01)
TL_LOG_G = math.log(1.05)
HIST_PER_LOG = 1.0 / HIST_LOG_G  # multiplied, not divided, in the loop
TL_PER_LOG = 1.0 / TL_LOG_G

inline = njit(cache=True, inline="always", error_model="numpy")

# Tables reach ``run`` flattened (``FLAT_TABLES``: name -> columns): row ``i``, column ``k`` is
# ``_at(i, columns, k)``. With the width a constant the address is a shift or an ``lea``; a
# 2-D array's row stride is a run-time value, which cost a multiply by a number spilled to the
# stack on every access (the hottest instructions of the loop on the benchmark network).
FLAT = (1 << 56) - 1  # a no-op mask (rows are far fewer) that keeps the product provably >= 0
FLAT_TABLES = {
    "tk": 8, "jb": 8, "q": 8, "jn": 8, "ev": 4, "rq": 4, "jbf": 3, "qf": 6, "qc": 5,
    "comp": 5, "compf": 4, "compi": 2, "code": 8, "fcode": 6, "fails": 2,
}  # fmt: skip


# Plain ``njit``: LLVM inlines it anyway, and numba's own inlining at ~190 call sites cost five
# seconds of the first compile.
@njit(cache=True, error_model="numpy")
def _at(i, columns, k):
    """The flat index of row ``i``, column ``k`` of a table of ``columns`` columns."""
    return (i & FLAT) * columns + k


@njit(cache=True, error_model="numpy")
def seed(value):
    """Seed numba's own generator, used for normal and gamma draws (the kernel's uniforms and
    exponentials come from its xoshiro state, seeded by the driver)."""
    np.random.seed(value)


@inline
def sample(dist, mean, cv, rng, zk, zw, zf):
    if mean <= 0.0:
        return 0.0
    if dist == D_EXP:
        return mean * exponential(rng, zk, zw, zf)
    if dist == D_DET:
        return mean
    if dist == D_LOGN:
        s2 = math.log(1.0 + cv * cv)
        return math.exp(math.log(mean) - s2 / 2.0 + math.sqrt(s2) * np.random.standard_normal())
    shape = 1.0 / (cv * cv)
    return np.random.gamma(shape, mean / shape)


@inline
def rate_multiplier(schedule, t):
    """Piecewise-linear multiple of the peak: each phase ramps from the level before it."""
    m = 1.0
    for i in range(schedule.shape[0]):
        at = schedule[i, 0]
        if t < at:
            break
        target = schedule[i, 1]
        ramp = schedule[i, 2]
        if ramp > 0.0 and t < at + ramp:
            return m + (target - m) * (t - at) / ramp
        m = target
    return m


# --- the event heap --------------------------------------------------------------------------


# --- small helpers ---------------------------------------------------------------------------


# --- the run -----------------------------------------------------------------------------------


# No NRT: run allocates nothing, and without the runtime numba emits no reference counting at
# all in the loop (about a fifth of the time on the benchmark network). ``_nrt`` is numba's
# own switch for this; the tests would fail loudly if a release dropped it.
@njit(cache=True, error_model="numpy", _nrt=False)  # type: ignore[call-overload]
def run(
    code,
    fcode,
    branches,
    flow_start,
    flow_cum,
    schedule,
    comp,
    act_i,
    act_f,
    zk,
    zw,
    zf,
    sf,
    si,
    hv,
    hid,
    ev,
    ev_free,
    tk,
    tok_free,
    rq,
    rqf,
    req_free,
    jn,
    join_free,
    jb,
    jbf,
    job_free,
    q,
    qf,
    qc,
    compf,
    compi,
    stack,
    fails,
    rng,
    f_hist,
    f_cnt,
    f_sum,
    tl_hist,
    tl_cnt,
    max_events,
    margin,
):
    """Process events until done, ``max_events`` more, or an array must grow."""
    # The clock and the measured window in locals, which the closures read (``sf`` is kept up
    # to date for the driver): a float read from ``sf`` after a store to any other float table
    # is a reload, since LLVM cannot tell the arrays apart.
    now = sf[F_NOW]
    horizon = sf[F_HORIZON]
    warmup = sf[F_WARMUP]
    bucket = sf[F_BUCKET]  # these three do not change during a run
    rate = sf[F_RATE]
    top_multiple = sf[F_MAXMULT]
    per_bucket = 1.0 / bucket  # a multiply in the loop costs less than a divide
    peak_gap = 1.0 / (rate * top_multiple)  # the mean gap between arrivals at the peak rate
    # The next arrival waits beside the heap, not in it (one push and pop fewer per request);
    # it takes a sequence number like any event, so the order of events is the same.
    next_arrival = sf[F_NEXT_ARRIVAL]
    arrival_seq = si[I_ARRIVAL_SEQ]
    # --- helpers: closures over the arrays above (numba inlines them) ---

    def _first(t1, s1, t2, s2):
        """Event (t1, slot s1) comes before (t2, s2): by time, then by scheduling order."""
        return t1 < t2 or (t1 == t2 and ev[_at(s1 & ROW, 4, 3)] < ev[_at(s2 & ROW, 4, 3)])

    def push(t, kind, a, b):
        si[I_EV_FREE] -= 1
        slot = ev_free[si[I_EV_FREE] & ROW] & ROW
        ev[_at(slot, 4, 0)] = kind
        ev[_at(slot, 4, 1)] = a
        ev[_at(slot, 4, 2)] = b
        ev[_at(slot, 4, 3)] = si[I_SEQ]
        si[I_SEQ] += 1
        n = si[I_HEAP] & ROW
        si[I_HEAP] = n + 1
        while n > 0:  # sift the hole up
            p = (n - 1) >> 1
            if _first(hv[p], hid[p], t, slot):
                break
            hv[n] = hv[p]
            hid[n] = hid[p]
            n = p
        hv[n] = t
        hid[n] = slot

    def pop():
        t = hv[0]
        slot = hid[0] & ROW
        kind, a, b = ev[_at(slot, 4, 0)], ev[_at(slot, 4, 1)] & ROW, ev[_at(slot, 4, 2)]
        ev_free[si[I_EV_FREE] & ROW] = slot
        si[I_EV_FREE] += 1
        n = (si[I_HEAP] - 1) & ROW
        si[I_HEAP] = n
        if n > 0:  # sift the last entry down from the root
            lt = hv[n]
            ls = hid[n] & ROW
            i = 0
            while True:
                c = (2 * i + 1) & ROW
                if c >= n:
                    break
                if c + 1 < n and _first(hv[c + 1], hid[c + 1], hv[c], hid[c]):
                    c += 1
                if _first(lt, ls, hv[c], hid[c]):
                    break
                hv[i] = hv[c]
                hid[i] = hid[c]
                i = c
            hv[i] = lt
            hid[i] = ls
        return t, kind, a, b

    def _alloc(free, reg):
        """Take a free row from a pool (``reg`` is the register holding its free count)."""
        si[reg] -= 1
        return free[si[reg] & ROW] & ROW

    def _release(free, reg, i):
        free[si[reg] & ROW] = i
        si[reg] += 1

    def _within(t0, t1):
        """The part of [t0, t1] inside the measured window: busy and waiting time are summed
        job by job (a server busy for a job's whole service is that much busy time)."""
        d = min(t1, horizon) - max(t0, warmup)
        return d if d > 0.0 else 0.0

    def _measuring():
        return warmup <= now <= horizon

    def _alive(t):
        r = tk[_at(t, 8, 0)] & ROW
        # a request's generation moves on when it finishes (``_finish``), so a token of the
        # current generation belongs to a request still active: its state need not be read
        return rq[_at(r, 4, 3)] == tk[_at(t, 8, 5)]

    def _free_token(t):
        tk[_at(t, 8, 4)] += 1  # events about this token are stale from now on
        tk[_at(t, 8, 6)] = -1
        _release(tok_free, I_TOK_FREE, t)

    def _own_join(t):
        """The token's join, or -1 for a root token (or a join that has moved on)."""
        j = tk[_at(t, 8, 2)]
        if j >= 0 and jn[_at(j & ROW, 8, 5)] == tk[_at(t, 8, 7)]:
            return j & ROW
        return -1

    def _join_leave(j):
        """One branch of join ``j`` is over, whatever its outcome; free the join after the last."""
        jn[_at(j, 8, 4)] -= 1
        if jn[_at(j, 8, 4)] == 0:
            jn[_at(j, 8, 5)] += 1
            _release(join_free, I_JOIN_FREE, j)

    def _free_job(j):
        jb[_at(j, 8, 5)] += 1
        jb[_at(j, 8, 4)] = -1
        _release(job_free, I_JOB_FREE, j)

    def _lose(j, nf):
        """Job ``j`` dies with its servers: free it, and if its caller still waits on it, record
        the try as failed at ``fails[nf]``. Returns how many failures it recorded (0 or 1)."""
        t, seq = jb[_at(j, 8, 0)], jb[_at(j, 8, 1)]
        _free_job(j)
        if t >= 0 and tk[_at(t & ROW, 8, 4)] == seq and tk[_at(t & ROW, 8, 6)] == j:
            tk[_at(t & ROW, 8, 6)] = -1
            fails[_at(nf, 2, 0)] = t
            fails[_at(nf, 2, 1)] = C_FAILED
            return 1
        return 0

    def _start(qi, j, waited):
        """Put job ``j`` into service at queue ``qi`` (a server is free). A job that did not
        wait (``waited`` false: it arrived now) adds nothing to the waiting sums."""
        q[_at(qi, 8, 1)] += 1
        jb[_at(j, 8, 4)] = 1  # in service
        if waited:
            qf[_at(qi, 6, 1)] += _within(jbf[_at(j, 3, 0)], now)
        if _measuring():
            qc[_at(qi, 5, 0)] += 1
            if waited:
                qf[_at(qi, 6, 3)] += now - jbf[_at(j, 3, 0)]
        jbf[_at(j, 3, 2)] = now
        push(now + jbf[_at(j, 3, 1)] * qf[_at(qi, 6, 5)], E_DONE, j, jb[_at(j, 8, 5)])

    def _start_waiting(qi):
        """Start waiting jobs while servers are free."""
        while q[_at(qi, 8, 5)] > 0 and q[_at(qi, 8, 1)] < q[_at(qi, 8, 0)]:
            j = q[_at(qi, 8, 3)] & ROW
            q[_at(qi, 8, 3)] = jb[_at(j, 8, 3)]
            if q[_at(qi, 8, 3)] < 0:
                q[_at(qi, 8, 4)] = -1
            q[_at(qi, 8, 5)] -= 1
            _start(qi, j, True)

    def _pick_queue(c, route):
        c &= ROW
        q0 = comp[_at(c, 5, 1)] & ROW
        mode, nq, policy, reps = (
            comp[_at(c, 5, 0)],
            comp[_at(c, 5, 2)],
            comp[_at(c, 5, 3)],
            comp[_at(c, 5, 4)],
        )
        if mode == M_SPLIT:
            # primary-only work goes to the primary; other work to any replica that is up
            if route != R_ANY or q[_at(q0 + 1, 8, 0)] == 0:
                return q0
            if q[_at(q0, 8, 0)] == 0 or uniform(rng) * reps >= 1.0:
                return q0 + 1
            return q0
        if mode != M_BALANCED:
            return q0
        if policy == 0:  # round robin over the replicas that are up
            for _ in range(nq):
                compi[_at(c, 2, 0)] = (compi[_at(c, 2, 0)] + 1) % nq
                k = q0 + (compi[_at(c, 2, 0)] & ROW)
                if q[_at(k, 8, 0)] > 0:
                    return k
            return q0
        if policy == 1:  # random
            for _ in range(nq):
                k = q0 + (int(uniform(rng) * nq) & ROW)
                if q[_at(k, 8, 0)] > 0:
                    return k
            return q0
        if policy == 2:  # least connections
            best = -1
            load = 0
            for k in range(q0, q0 + nq):
                if q[_at(k, 8, 0)] > 0 and (best < 0 or q[_at(k, 8, 1)] + q[_at(k, 8, 5)] < load):
                    best = k
                    load = q[_at(k, 8, 1)] + q[_at(k, 8, 5)]
            return q0 if best < 0 else best
        a = q0 + (int(uniform(rng) * nq) & ROW)  # power of two choices
        b = q0 + (int(uniform(rng) * nq) & ROW)
        if q[_at(a, 8, 0)] == 0 and q[_at(b, 8, 0)] == 0:  # both picks down: any replica that is up
            for k in range(q0, q0 + nq):
                if q[_at(k, 8, 0)] > 0:
                    return k
            return q0
        if q[_at(a, 8, 0)] == 0:
            return b
        if q[_at(b, 8, 0)] == 0:
            return a
        return a if q[_at(a, 8, 1)] + q[_at(a, 8, 5)] <= q[_at(b, 8, 1)] + q[_at(b, 8, 5)] else b

    def _enqueue(qi, token, seq, pc):
        """A new job at queue ``qi``; returns the job, or -1 (down) / -2 (full)."""
        qi &= ROW
        pc &= ROW
        if q[_at(qi, 8, 0)] == 0:
            if _measuring():
                qc[_at(qi, 5, 3)] += 1
            return -1
        delay = q[_at(qi, 8, 6)] == 1
        if (
            not delay
            and q[_at(qi, 8, 1)] >= q[_at(qi, 8, 0)]
            and q[_at(qi, 8, 2)] >= 0
            and q[_at(qi, 8, 5)] >= q[_at(qi, 8, 2)]
        ):
            if _measuring():
                qc[_at(qi, 5, 2)] += 1
            return -2
        j = _alloc(job_free, I_JOB_FREE)
        jb[_at(j, 8, 0)] = token
        jb[_at(j, 8, 1)] = seq
        jb[_at(j, 8, 2)] = qi
        jb[_at(j, 8, 3)] = -1
        jb[_at(j, 8, 4)] = 0  # waiting (1: in service, -1: free)
        jb[_at(j, 8, 6)] = 1 if code[_at(pc, 8, 2)] == R_ALL else 0
        jb[_at(j, 8, 7)] = pc
        jbf[_at(j, 3, 0)] = now
        jbf[_at(j, 3, 1)] = sample(
            code[_at(pc, 8, 3)], fcode[_at(pc, 6, 0)], fcode[_at(pc, 6, 1)], rng, zk, zw, zf
        )
        if delay:  # no queue: just the delay
            jbf[_at(j, 3, 2)] = now
            push(now + jbf[_at(j, 3, 1)] * qf[_at(qi, 6, 5)], E_DONE, j, jb[_at(j, 8, 5)])
        elif q[_at(qi, 8, 1)] < q[_at(qi, 8, 0)]:
            _start(qi, j, False)
        else:
            tail = q[_at(qi, 8, 4)]
            if tail >= 0:
                jb[_at(tail & ROW, 8, 3)] = j
            else:
                q[_at(qi, 8, 3)] = j
            q[_at(qi, 8, 4)] = j
            q[_at(qi, 8, 5)] += 1
        return j

    def _finish(r, ok, cause):
        f = rq[_at(r, 4, 0)] & ROW
        nb = tl_cnt.shape[0]
        b = int(now * per_bucket)
        b = (0 if b < 0 else (nb - 1 if b >= nb else b)) & ROW
        lat = now - rqf[r]
        # one logarithm serves both histograms (1% bins per flow, 5% on the timeline)
        logx = math.log(lat / HIST_X0) if lat > HIST_X0 else 0.0
        if ok:
            si[I_OK] += 1
            tl_cnt[b, 1] += 1
            tl_hist[b, min(int(logx * TL_PER_LOG), tl_hist.shape[1] - 1) & ROW] += 1
        else:
            si[I_FAILED] += 1
            tl_cnt[b, 2 + cause] += 1
        if rq[_at(r, 4, 2)] == 1:
            si[I_MEASURED_INFLIGHT] -= 1
            if ok:
                f_cnt[f, 0] += 1
                f_hist[f, min(int(logx * HIST_PER_LOG), f_hist.shape[1] - 1) & ROW] += 1
                f_sum[f, 0] += lat
                f_sum[f, 1] += lat * lat
            else:
                f_cnt[f, 1 + cause] += 1
        si[I_INFLIGHT] -= 1
        rq[_at(r, 4, 1)] = 1 if ok else 2
        rq[_at(r, 4, 3)] += 1  # tokens still out there now see a finished request
        _release(req_free, I_REQ_FREE, r)

    processed = 0
    while True:
        if (si[I_HEAP] == 0 and next_arrival == math.inf) or (
            si[I_STOP] >= 1 and si[I_MEASURED_INFLIGHT] == 0
        ):
            sf[F_END] = now
            # work still under way counts up to now (abandoned jobs of unmeasured requests)
            for j in range(jb.shape[0] // 8):
                if jb[_at(j, 8, 4)] == 1:
                    qf[_at(jb[_at(j, 8, 2)], 6, 0)] += _within(jbf[_at(j, 3, 2)], now)
                elif (
                    jb[_at(j, 8, 4)] == 0
                    and comp[_at(q[_at(jb[_at(j, 8, 2)], 8, 7)], 5, 0)] != M_DELAY
                ):
                    qf[_at(jb[_at(j, 8, 2)], 6, 1)] += _within(jbf[_at(j, 3, 0)], now)
                jb[_at(j, 8, 4)] = -1
            si[I_EVENTS] += processed
            return ST_DONE
        if processed >= max_events:
            si[I_EVENTS] += processed
            return ST_CHUNK
        room = hv.shape[0] - si[I_HEAP]
        if (
            si[I_TOK_FREE] < margin
            or si[I_JOB_FREE] < margin
            or si[I_REQ_FREE] < 4
            or si[I_JOIN_FREE] < margin
            or room < 4 * margin
        ):
            si[I_EVENTS] += processed
            return ST_GROW
        top = hid[0] & ROW
        if (
            si[I_HEAP] > 0
            and ev[_at(top, 4, 0)] == E_ACTION
            and act_i[ev[_at(top, 4, 1)], 0] == A_CAPACITY
        ):
            qq = act_i[ev[_at(top, 4, 1)], 1]
            if (
                room < 2 * (q[_at(qq, 8, 1)] + q[_at(qq, 8, 5)]) + 4 * margin
                or si[I_TOK_FREE] < q[_at(qq, 8, 1)] + q[_at(qq, 8, 5)] + margin
            ):
                si[I_EVENTS] += processed
                return ST_GROW
        if si[I_HEAP] > 0 and (
            hv[0] < next_arrival or (hv[0] == next_arrival and ev[_at(top, 4, 3)] < arrival_seq)
        ):
            now, kind, a, b = pop()
        else:
            now, kind, a, b = next_arrival, E_ARRIVAL, 0, 0
        sf[F_NOW] = now
        processed += 1  # added to si[I_EVENTS] on the way out: one store fewer per event
        ns = 0  # tokens to advance
        nf = 0  # tries that failed: (token, cause)

        if kind == E_ARRIVAL:
            if si[I_DETERMINISTIC] == 1:
                lam = rate * rate_multiplier(schedule, now)
                gap = 1.0 / lam if lam > 0 else 1.0
                keep = True
            else:  # thinning: arrivals at the peak rate, each kept with the schedule's share
                gap = exponential(rng, zk, zw, zf) * peak_gap
                keep = top_multiple == 1.0 or uniform(rng) * top_multiple <= rate_multiplier(
                    schedule, now
                )
            next_arrival = now + gap if si[I_STOP] != 1 else math.inf
            arrival_seq = si[I_SEQ]
            si[I_SEQ] += 1
            sf[F_NEXT_ARRIVAL] = next_arrival  # for the next call
            si[I_ARRIVAL_SEQ] = arrival_seq
            if keep:
                measured = 0
                if si[I_STOP] == 0 and now >= warmup:
                    if si[I_TARGET] >= 0:
                        measured = 1
                        if si[I_MEASURED] + 1 >= si[I_TARGET]:
                            # the last measured arrival closes the window
                            horizon = sf[F_HORIZON] = now
                            si[I_STOP] = 2
                    elif now < horizon:
                        measured = 1
                    else:
                        si[I_STOP] = 2
                f = 0
                if flow_cum.shape[0] > 1:
                    u = uniform(rng)
                    while f < flow_cum.shape[0] - 1 and u > flow_cum[f]:
                        f += 1
                f &= ROW
                r = _alloc(req_free, I_REQ_FREE)
                rq[_at(r, 4, 0)] = f
                rq[_at(r, 4, 1)] = 0
                rq[_at(r, 4, 2)] = measured
                rqf[r] = now
                si[I_ARRIVED] += 1
                si[I_INFLIGHT] += 1
                bk = int(now * per_bucket)
                tl_cnt[min(max(bk, 0), tl_cnt.shape[0] - 1) & ROW, 0] += 1
                if measured == 1:
                    si[I_MEASURED] += 1
                    si[I_MEASURED_INFLIGHT] += 1
                    f_cnt[f, 4] += 1
                t = _alloc(tok_free, I_TOK_FREE)
                tk[_at(t, 8, 0)] = r
                tk[_at(t, 8, 1)] = flow_start[f & ROW]
                tk[_at(t, 8, 2)] = -1
                tk[_at(t, 8, 3)] = 0
                tk[_at(t, 8, 4)] += 1
                tk[_at(t, 8, 5)] = rq[_at(r, 4, 3)]
                tk[_at(t, 8, 6)] = -1
                tk[_at(t, 8, 7)] = 0
                stack[ns] = t
                ns += 1

        elif kind == E_DONE:
            j = a
            if jb[_at(j, 8, 5)] == b:  # not failed by a capacity cut meanwhile
                qi = jb[_at(j, 8, 2)] & ROW
                c = q[_at(qi, 8, 7)] & ROW
                delay = q[_at(qi, 8, 6)] == 1
                if not delay:
                    q[_at(qi, 8, 1)] -= 1
                    qf[_at(qi, 6, 0)] += _within(jbf[_at(j, 3, 2)], now)
                    if _measuring():
                        qc[_at(qi, 5, 1)] += 1
                        qf[_at(qi, 6, 4)] += now - jbf[_at(j, 3, 0)]
                t, seq, pc, replicate = (
                    jb[_at(j, 8, 0)],
                    jb[_at(j, 8, 1)],
                    jb[_at(j, 8, 7)],
                    jb[_at(j, 8, 6)],
                )
                _free_job(j)
                if not delay:
                    _start_waiting(qi)
                if replicate == 1:
                    # on: all: every other replica repeats the work, and nobody waits for it
                    target = comp[_at(c, 5, 1)] + 1 if comp[_at(c, 5, 0)] == M_SPLIT else qi
                    for _ in range(comp[_at(c, 5, 4)] - 1):
                        k = _enqueue(target, -1, 0, pc)
                        if k >= 0:
                            jb[_at(k, 8, 6)] = 0
                if t >= 0 and tk[_at(t & ROW, 8, 4)] == seq and tk[_at(t & ROW, 8, 6)] == j:
                    t &= ROW
                    tk[_at(t, 8, 6)] = -1
                    tk[_at(t, 8, 3)] = 0
                    tk[_at(t, 8, 4)] += 1  # this visit's pending timeout is now stale
                    tk[_at(t, 8, 1)] += 1
                    stack[ns] = t
                    ns += 1

        elif kind == E_TIMEOUT:
            if tk[_at(a, 8, 4)] == b and tk[_at(a, 8, 6)] >= 0:
                tk[_at(a, 8, 6)] = -1  # the caller gives up; the job stays and is abandoned
                fails[_at(nf, 2, 0)] = a
                fails[_at(nf, 2, 1)] = C_TIMEOUT
                nf += 1

        elif kind == E_RESUME:
            if tk[_at(a, 8, 4)] == b:
                stack[ns] = a
                ns += 1

        else:  # E_ACTION
            akind = act_i[a, 0]
            if akind == A_FLUSH:
                compf[_at(act_i[a, 1], 4, 0)] = act_f[a, 0]
                compf[_at(act_i[a, 1], 4, 1)] = act_f[a, 1]
            elif akind == A_SLOW:
                c = act_i[a, 1]
                compf[_at(c, 4, 2)] = act_f[a, 0]
                for k in range(comp[_at(c, 5, 1)], comp[_at(c, 5, 1)] + comp[_at(c, 5, 2)]):
                    qf[_at(k, 6, 5)] = act_f[a, 0]  # each queue's copy, read as work starts
            else:
                qi = act_i[a, 1]
                q[_at(qi, 8, 0)] = max(q[_at(qi, 8, 0)] + act_i[a, 2], 0)
                if (
                    comp[_at(q[_at(qi, 8, 7)], 5, 0)] != M_DELAY
                    and q[_at(qi, 8, 1)] > q[_at(qi, 8, 0)]
                ):
                    # servers that went down take their requests with them (a rare event:
                    # a scan of the job table finds who is in service here)
                    for j in range(jb.shape[0] // 8):
                        if q[_at(qi, 8, 1)] <= q[_at(qi, 8, 0)]:
                            break
                        if jb[_at(j, 8, 4)] != 1 or jb[_at(j, 8, 2)] != qi:
                            continue
                        q[_at(qi, 8, 1)] -= 1
                        qf[_at(qi, 6, 0)] += _within(jbf[_at(j, 3, 2)], now)
                        nf += _lose(j, nf)
                if comp[_at(q[_at(qi, 8, 7)], 5, 0)] != M_DELAY:
                    if q[_at(qi, 8, 0)] == 0:  # nobody left to serve the queue
                        while q[_at(qi, 8, 5)] > 0:
                            j = q[_at(qi, 8, 3)]
                            q[_at(qi, 8, 3)] = jb[_at(j, 8, 3)]
                            q[_at(qi, 8, 5)] -= 1
                            qf[_at(qi, 6, 1)] += _within(jbf[_at(j, 3, 0)], now)
                            nf += _lose(j, nf)
                        q[_at(qi, 8, 4)] = -1
                    _start_waiting(qi)

        # --- run the tokens this event woke, and settle the tries that failed ---------------
        while ns > 0 or nf > 0:
            if nf > 0:
                nf -= 1
                t = fails[_at(nf, 2, 0)] & ROW
                cause = fails[_at(nf, 2, 1)]
                pc = tk[_at(t, 8, 1)] & ROW
                if _alive(t) and tk[_at(t, 8, 3)] < code[_at(pc, 8, 4)]:
                    tk[_at(t, 8, 3)] += 1  # retry after the backoff
                    tk[_at(t, 8, 4)] += 1
                    tk[_at(t, 8, 6)] = -1
                    wait = fcode[_at(pc, 6, 3)] * fcode[_at(pc, 6, 4)] ** (tk[_at(t, 8, 3)] - 1)
                    push(now + wait, E_RESUME, t, tk[_at(t, 8, 4)])
                    continue
                # the token fails for good: its join fails (all) or counts it out (first)
                while True:
                    if not _alive(t):
                        j = _own_join(t)
                        if j >= 0:
                            _join_leave(j)
                        _free_token(t)
                        break
                    if tk[_at(t, 8, 2)] < 0:
                        r = tk[_at(t, 8, 0)] & ROW
                        _free_token(t)
                        _finish(r, False, cause)
                        break
                    j = _own_join(t)
                    _free_token(t)
                    if j < 0:
                        break
                    if jn[_at(j, 8, 3)] == 1:  # already decided
                        _join_leave(j)
                        break
                    jn[_at(j, 8, 2)] -= 1  # branches that may still succeed
                    if jn[_at(j, 8, 6)] == 0 or jn[_at(j, 8, 2)] < jn[_at(j, 8, 7)]:
                        jn[_at(j, 8, 3)] = 1
                        parent = jn[_at(j, 8, 0)] & ROW
                        _join_leave(j)
                        t = parent
                        continue
                    _join_leave(j)
                    break
                continue

            ns -= 1
            t = stack[ns] & ROW
            while True:
                if not _alive(t):
                    j = _own_join(t)
                    if j >= 0:
                        _join_leave(j)
                    _free_token(t)
                    break
                pc = tk[_at(t, 8, 1)] & ROW
                op = code[_at(pc, 8, 0)]
                if op == OP_VISIT:
                    qi = code[_at(pc, 8, 5)]  # the component's only queue, or -1: pick one
                    if qi < 0:
                        qi = _pick_queue(code[_at(pc, 8, 1)], code[_at(pc, 8, 2)])
                    seq = tk[_at(t, 8, 4)]
                    j = _enqueue(qi, t, seq, pc)
                    if j < 0:
                        fails[_at(nf, 2, 0)] = t
                        fails[_at(nf, 2, 1)] = C_FAILED if j == -1 else C_REJECTED
                        nf += 1
                        break
                    tk[_at(t, 8, 6)] = j
                    if fcode[_at(pc, 6, 2)] > 0.0:
                        push(now + fcode[_at(pc, 6, 2)], E_TIMEOUT, t, seq)
                    break
                if op == OP_HIT:
                    c = code[_at(pc, 8, 1)] & ROW
                    h = fcode[_at(pc, 6, 0)]
                    if compf[_at(c, 4, 0)] <= now < compf[_at(c, 4, 1)]:  # flushed, warming back up
                        h *= (now - compf[_at(c, 4, 0)]) / (
                            compf[_at(c, 4, 1)] - compf[_at(c, 4, 0)]
                        )
                    tk[_at(t, 8, 1)] = code[_at(pc, 8, 2)] if uniform(rng) < h else pc + 1
                    continue
                if op == OP_FORK:
                    nbr = code[_at(pc, 8, 1)]
                    j = _alloc(join_free, I_JOIN_FREE)
                    jn[_at(j, 8, 0)] = t
                    jn[_at(j, 8, 1)] = nbr
                    jn[_at(j, 8, 2)] = nbr
                    jn[_at(j, 8, 3)] = 0
                    jn[_at(j, 8, 4)] = nbr
                    jn[_at(j, 8, 6)] = code[_at(pc, 8, 2)]
                    jn[_at(j, 8, 7)] = nbr if code[_at(pc, 8, 2)] == 0 else 1
                    tk[_at(t, 8, 1)] = code[_at(pc, 8, 4)]
                    for k in range(nbr):
                        c = _alloc(tok_free, I_TOK_FREE)
                        tk[_at(c, 8, 0)] = tk[_at(t, 8, 0)]
                        tk[_at(c, 8, 1)] = branches[(code[_at(pc, 8, 3)] + k) & ROW]
                        tk[_at(c, 8, 2)] = j
                        tk[_at(c, 8, 3)] = 0
                        tk[_at(c, 8, 4)] += 1
                        tk[_at(c, 8, 5)] = tk[_at(t, 8, 5)]
                        tk[_at(c, 8, 6)] = -1
                        tk[_at(c, 8, 7)] = jn[_at(j, 8, 5)]
                        stack[ns] = c
                        ns += 1
                    break
                if op == OP_BEND:
                    j = _own_join(t)
                    _free_token(t)
                    if j >= 0:
                        j &= ROW
                        if jn[_at(j, 8, 3)] == 0:
                            jn[_at(j, 8, 7)] -= 1
                            if jn[_at(j, 8, 7)] == 0:
                                jn[_at(j, 8, 3)] = 1
                                stack[ns] = jn[_at(j, 8, 0)]
                                ns += 1
                        _join_leave(j)
                    break
                # OP_END
                r = tk[_at(t, 8, 0)] & ROW
                _free_token(t)
                _finish(r, True, 0)
                break
