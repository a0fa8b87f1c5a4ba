"""The discrete-event kernel, compiled by numba.

All state lives in arrays owned by the caller (:mod:`.driver`), so a run can stop after any
number of events (for progress, a wall-clock budget, or to grow an array) and go on exactly
where it stopped. The kernel keeps no globals but numba's random generator, which the
driver seeds before a run.

The arrays come in three tuples: ``P`` the program (:mod:`.program`), ``S`` the state and
``T`` the statistics. Objects are rows of int64 tables (with a float64 twin for times):

- **events**: a binary heap ordered by (time, insertion number), so ties resolve the same
  way in every run;
- **requests** and their **tokens**: a token walks a flow's code; ``parallel`` and ``fanout``
  fork child tokens that meet again at a **join**;
- **jobs**: one try of one visit at one queue, waiting or in service. A job whose caller has
  given up (a timeout) or gone (its request failed) keeps its server to the end: abandoned
  work is real work.

Every row carries a generation or sequence number, and every event the number it was
scheduled with, so an event about something that has moved on is ignored.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

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
# int registers
I_SEQ, I_EVENTS, I_HEAP = 0, 1, 2
I_TOK_FREE, I_JOB_FREE, I_REQ_FREE, I_JOIN_FREE = 3, 4, 5, 6
I_ARRIVED, I_MEASURED, I_MEASURED_INFLIGHT, I_TARGET = 7, 8, 9, 10
I_OK, I_FAILED, I_INFLIGHT, I_STOP, I_DETERMINISTIC = 11, 12, 13, 14, 15

HIST_X0 = 1e-7
HIST_LOG_G = math.log(1.01)
TL_LOG_G = math.log(1.05)


@njit(cache=True, inline="always")
def hist_bin(x, log_g, nbins):  # type: ignore[no-untyped-def]
    if x <= HIST_X0:
        return 0
    b = int(math.log(x / HIST_X0) / log_g)
    return nbins - 1 if b >= nbins else b


@njit(cache=True)
def seed(value):  # type: ignore[no-untyped-def]
    """Seed numba's generator (separate from NumPy's): every run starts here."""
    np.random.seed(value)


# --- events ------------------------------------------------------------------------------------


@njit(cache=True, inline="always")
def _before(hv, hi, x, y):  # type: ignore[no-untyped-def]
    return hv[x] < hv[y] or (hv[x] == hv[y] and hi[x, 0] < hi[y, 0])


@njit(cache=True, inline="always")
def _swap(hv, hi, x, y):  # type: ignore[no-untyped-def]
    tv = hv[x]
    hv[x] = hv[y]
    hv[y] = tv
    for k in range(4):
        tk = hi[x, k]
        hi[x, k] = hi[y, k]
        hi[y, k] = tk


@njit(cache=True, inline="always")
def push(S, t, kind, a, b):  # type: ignore[no-untyped-def]
    sf, si, hv, hi = S[0], S[1], S[2], S[3]
    n = si[I_HEAP]
    hv[n] = t
    hi[n, 0] = si[I_SEQ]
    hi[n, 1] = kind
    hi[n, 2] = a
    hi[n, 3] = b
    si[I_SEQ] += 1
    si[I_HEAP] = n + 1
    while n > 0:
        p = (n - 1) >> 1
        if _before(hv, hi, p, n):
            break
        _swap(hv, hi, p, n)
        n = p


@njit(cache=True, inline="always")
def pop(S):  # type: ignore[no-untyped-def]
    si, hv, hi = S[1], S[2], S[3]
    n = si[I_HEAP] - 1
    t, kind, a, b = hv[0], hi[0, 1], hi[0, 2], hi[0, 3]
    hv[0] = hv[n]
    for k in range(4):
        hi[0, k] = hi[n, k]
    si[I_HEAP] = n
    i = 0
    while True:
        c = 2 * i + 1
        if c >= n:
            break
        if c + 1 < n and _before(hv, hi, c + 1, c):
            c += 1
        if _before(hv, hi, i, c):
            break
        _swap(hv, hi, i, c)
        i = c
    return t, kind, a, b


# --- small helpers -----------------------------------------------------------------------------


@njit(cache=True, inline="always")
def sample(dist, mean, cv):  # type: ignore[no-untyped-def]
    if mean <= 0.0:
        return 0.0
    if dist == D_EXP:
        return -mean * math.log(1.0 - np.random.random())
    if dist == D_DET:
        return mean
    if dist == D_LOGN:
        s2 = math.log(1.0 + cv * cv)
        return math.exp(math.log(mean) - s2 / 2.0 + math.sqrt(s2) * np.random.standard_normal())
    shape = 1.0 / (cv * cv)
    return np.random.gamma(shape, mean / shape)


@njit(cache=True, inline="always")
def rate_multiplier(schedule, t):  # type: ignore[no-untyped-def]
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


@njit(cache=True, inline="always")
def _alloc(free, si, reg):  # type: ignore[no-untyped-def]
    si[reg] -= 1
    return free[si[reg]]


@njit(cache=True, inline="always")
def _release(free, si, reg, i):  # type: ignore[no-untyped-def]
    free[si[reg]] = i
    si[reg] += 1


@njit(cache=True, inline="always")
def _bucket(S, T):  # type: ignore[no-untyped-def]
    n = T[4].shape[0]
    b = int(S[0][F_NOW] / S[0][F_BUCKET])
    return 0 if b < 0 else (n - 1 if b >= n else b)


@njit(cache=True, inline="always")
def _area(S, i):  # type: ignore[no-untyped-def]
    """Busy servers and waiting requests integrated over the measured window."""
    sf, q, qf = S[0], S[14], S[15]
    now = sf[F_NOW]
    t1 = min(now, sf[F_HORIZON])
    t0 = max(qf[i, 2], sf[F_WARMUP])
    if t1 > t0:
        qf[i, 0] += q[i, 1] * (t1 - t0)
        qf[i, 1] += q[i, 5] * (t1 - t0)
    qf[i, 2] = now


@njit(cache=True, inline="always")
def _measuring(S):  # type: ignore[no-untyped-def]
    now = S[0][F_NOW]
    return S[0][F_WARMUP] <= now <= S[0][F_HORIZON]


# --- requests, tokens, joins ---------------------------------------------------------------------


@njit(cache=True, inline="always")
def _alive(S, t):  # type: ignore[no-untyped-def]
    tk, rq = S[4], S[7]
    r = tk[t, 0]
    return rq[r, 3] == tk[t, 5] and rq[r, 1] == 0


@njit(cache=True, inline="always")
def _free_token(S, t):  # type: ignore[no-untyped-def]
    tk = S[4]
    tk[t, 4] += 1  # events about this token are stale from now on
    tk[t, 6] = -1
    _release(S[6], S[1], I_TOK_FREE, t)


@njit(cache=True, inline="always")
def _join_leave(S, j):  # type: ignore[no-untyped-def]
    """One branch of join ``j`` is over, whatever its outcome; free the join after the last."""
    jn = S[10]
    jn[j, 4] -= 1
    if jn[j, 4] == 0:
        jn[j, 5] += 1
        _release(S[11], S[1], I_JOIN_FREE, j)


@njit(cache=True, inline="always")
def _own_join(S, t):  # type: ignore[no-untyped-def]
    """The token's join, or -1 for a root token (or a join that has moved on)."""
    tk, jn = S[4], S[10]
    j = tk[t, 2]
    if j >= 0 and jn[j, 5] == tk[t, 7]:
        return j
    return -1


@njit(cache=True)
def _drop(S, t):  # type: ignore[no-untyped-def]
    """A token whose request is over: leave its join quietly and free it."""
    j = _own_join(S, t)
    if j >= 0:
        _join_leave(S, j)
    _free_token(S, t)


@njit(cache=True)
def _finish(S, T, r, ok, cause):  # type: ignore[no-untyped-def]
    sf, si, rq, rqf = S[0], S[1], S[7], S[8]
    f_hist, f_cnt, f_sum, tl_hist, tl_cnt = T[0], T[1], T[2], T[3], T[4]
    f = rq[r, 0]
    b = _bucket(S, T)
    lat = sf[F_NOW] - rqf[r]
    if ok:
        si[I_OK] += 1
        tl_cnt[b, 1] += 1
        tl_hist[b, hist_bin(lat, TL_LOG_G, tl_hist.shape[1])] += 1
    else:
        si[I_FAILED] += 1
        tl_cnt[b, 2 + cause] += 1
    if rq[r, 2] == 1:
        si[I_MEASURED_INFLIGHT] -= 1
        if ok:
            f_cnt[f, 0] += 1
            f_hist[f, hist_bin(lat, HIST_LOG_G, f_hist.shape[1])] += 1
            f_sum[f, 0] += lat
            f_sum[f, 1] += lat * lat
        else:
            f_cnt[f, 1 + cause] += 1
    si[I_INFLIGHT] -= 1
    rq[r, 1] = 1 if ok else 2
    rq[r, 3] += 1  # tokens still out there now see a finished request
    _release(S[9], si, I_REQ_FREE, r)


@njit(cache=True)
def _fail(S, T, t, cause):  # type: ignore[no-untyped-def]
    """A token fails for good: it fails its join (all) or is counted out (first), upwards."""
    jn = S[10]
    while True:
        if not _alive(S, t):
            _drop(S, t)
            return
        j = _own_join(S, t)
        if S[4][t, 2] < 0:
            r = S[4][t, 0]
            _free_token(S, t)
            _finish(S, T, r, False, cause)
            return
        _free_token(S, t)
        if j < 0:
            return
        if jn[j, 3] == 1:  # the join is already decided
            _join_leave(S, j)
            return
        jn[j, 2] -= 1  # branches that may still succeed
        if jn[j, 6] == 0 or jn[j, 2] < jn[j, 7]:
            # join all: one failure fails it; join first: when too few branches are left
            jn[j, 3] = 1
            parent = jn[j, 0]
            _join_leave(S, j)
            t = parent
            continue
        _join_leave(S, j)
        return


@njit(cache=True)
def _retry_or_fail(S, T, P, t, cause):  # type: ignore[no-untyped-def]
    """One try of a visit failed: try again after the backoff, or fail the token."""
    code, fcode = P[0], P[1]
    tk = S[4]
    pc = tk[t, 1]
    if _alive(S, t) and tk[t, 3] < code[pc, 4]:
        tk[t, 3] += 1
        tk[t, 4] += 1
        tk[t, 6] = -1
        delay = fcode[pc, 3] * fcode[pc, 4] ** (tk[t, 3] - 1)
        push(S, S[0][F_NOW] + delay, E_RESUME, t, tk[t, 4])
        return
    _fail(S, T, t, cause)


# --- queues --------------------------------------------------------------------------------------


@njit(cache=True)
def _start(S, T, qi, j):  # type: ignore[no-untyped-def]
    """Put job ``j`` into service at queue ``qi`` (a free server exists)."""
    sf, q, qf, qc, jb, jbf, compf = S[0], S[14], S[15], S[16], S[12], S[13], S[18]
    _area(S, qi)
    q[qi, 1] += 1
    # in-service list: doubly linked through jb[:, 3] (next) and jb[:, 4] (prev)
    head = q[qi, 6]
    jb[j, 3] = head
    jb[j, 4] = -1
    if head >= 0:
        jb[head, 4] = j
    q[qi, 6] = j
    now = sf[F_NOW]
    if _measuring(S):
        qc[qi, 0] += 1
        qf[qi, 3] += now - jbf[j, 0]
    svc = jbf[j, 1] * compf[q[qi, 7], 2]
    jbf[j, 2] = now
    push(S, now + svc, E_DONE, j, jb[j, 5])


@njit(cache=True, inline="always")
def _unlink_service(S, qi, j):  # type: ignore[no-untyped-def]
    q, jb = S[14], S[12]
    nxt, prv = jb[j, 3], jb[j, 4]
    if prv >= 0:
        jb[prv, 3] = nxt
    else:
        q[qi, 6] = nxt
    if nxt >= 0:
        jb[nxt, 4] = prv


@njit(cache=True)
def _next_waiting(S, T, qi):  # type: ignore[no-untyped-def]
    """Start waiting jobs while servers are free."""
    q, jb = S[14], S[12]
    while q[qi, 5] > 0 and q[qi, 1] < q[qi, 0]:
        j = q[qi, 3]
        q[qi, 3] = jb[j, 3]
        if q[qi, 3] < 0:
            q[qi, 4] = -1
        _area(S, qi)
        q[qi, 5] -= 1
        _start(S, T, qi, j)


@njit(cache=True, inline="always")
def _free_job(S, j):  # type: ignore[no-untyped-def]
    S[12][j, 5] += 1
    _release(S[20], S[1], I_JOB_FREE, j)


@njit(cache=True)
def _pick_queue(S, P, c, route):  # type: ignore[no-untyped-def]
    comp, q, compi = P[6], S[14], S[19]
    mode, q0, nq, policy, reps = comp[c, 0], comp[c, 1], comp[c, 2], comp[c, 3], comp[c, 4]
    if mode == M_SPLIT:
        if route != R_ANY or np.random.random() * reps < 1.0:
            return q0
        return q0 + 1
    if mode != M_BALANCED:
        return q0
    if policy == 0:  # round robin over the replicas that are up
        for _ in range(nq):
            compi[c, 0] = (compi[c, 0] + 1) % nq
            if q[q0 + compi[c, 0], 0] > 0:
                return q0 + compi[c, 0]
        return q0
    if policy == 1:  # random
        for _ in range(nq):
            k = q0 + np.random.randint(nq)
            if q[k, 0] > 0:
                return k
        return q0
    if policy == 2:  # least connections
        best = -1
        load = 0
        for k in range(q0, q0 + nq):
            if q[k, 0] > 0 and (best < 0 or q[k, 1] + q[k, 5] < load):
                best = k
                load = q[k, 1] + q[k, 5]
        return q0 if best < 0 else best
    a = q0 + np.random.randint(nq)  # power of two choices
    b = q0 + np.random.randint(nq)
    if q[a, 0] == 0:
        return b
    if q[b, 0] == 0:
        return a
    return a if q[a, 1] + q[a, 5] <= q[b, 1] + q[b, 5] else b


@njit(cache=True)
def _enqueue(S, T, P, qi, token, seq, pc):  # type: ignore[no-untyped-def]
    """A new job at queue ``qi``; returns the job, or -1 (down) / -2 (full)."""
    sf, q, qc, jb, jbf = S[0], S[14], S[16], S[12], S[13]
    code, fcode = P[0], P[1]
    if q[qi, 0] == 0:
        if _measuring(S):
            qc[qi, 3] += 1
        return -1
    mode = P[6][q[qi, 7], 0]
    if mode != M_DELAY and q[qi, 1] >= q[qi, 0] and q[qi, 2] >= 0 and q[qi, 5] >= q[qi, 2]:
        if _measuring(S):
            qc[qi, 2] += 1
        return -2
    j = _alloc(S[20], S[1], I_JOB_FREE)
    jb[j, 0] = token
    jb[j, 1] = seq
    jb[j, 2] = qi
    jb[j, 3] = -1
    jb[j, 4] = -1
    jb[j, 6] = 1 if code[pc, 2] == R_ALL else 0
    jb[j, 7] = pc
    now = sf[F_NOW]
    jbf[j, 0] = now
    jbf[j, 1] = sample(code[pc, 3], fcode[pc, 0], fcode[pc, 1])
    if mode == M_DELAY:  # no queue: just the delay
        jbf[j, 2] = now
        push(S, now + jbf[j, 1] * S[18][q[qi, 7], 2], E_DONE, j, jb[j, 5])
        return j
    if q[qi, 1] < q[qi, 0]:
        _start(S, T, qi, j)
    else:
        _area(S, qi)
        tail = q[qi, 4]
        if tail >= 0:
            jb[tail, 3] = j
        else:
            q[qi, 3] = j
        q[qi, 4] = j
        q[qi, 5] += 1
    return j


# --- walking the code ------------------------------------------------------------------------------


@njit(cache=True)
def _advance(S, T, P, n):  # type: ignore[no-untyped-def]
    """Run the ``n`` tokens on the stack until each blocks (a visit, a join) or ends."""
    code, fcode, branches = P[0], P[1], P[2]
    sf, si, tk, jn, compf, stack = S[0], S[1], S[4], S[10], S[18], S[17]
    while n > 0:
        n -= 1
        t = stack[n]
        while True:
            if not _alive(S, t):
                _drop(S, t)
                break
            pc = tk[t, 1]
            op = code[pc, 0]
            if op == OP_VISIT:
                qi = _pick_queue(S, P, code[pc, 1], code[pc, 2])
                seq = tk[t, 4]
                j = _enqueue(S, T, P, qi, t, seq, pc)
                if j < 0:
                    _retry_or_fail(S, T, P, t, C_FAILED if j == -1 else C_REJECTED)
                    break
                tk[t, 6] = j
                if fcode[pc, 2] > 0.0:
                    push(S, sf[F_NOW] + fcode[pc, 2], E_TIMEOUT, t, seq)
                break
            if op == OP_HIT:
                c = code[pc, 1]
                h = fcode[pc, 0]
                now = sf[F_NOW]
                if compf[c, 0] <= now < compf[c, 1]:  # flushed, warming back up
                    h *= (now - compf[c, 0]) / (compf[c, 1] - compf[c, 0])
                if np.random.random() < h:
                    tk[t, 1] = code[pc, 2]
                else:
                    tk[t, 1] = pc + 1
                continue
            if op == OP_FORK:
                nbr = code[pc, 1]
                j = _alloc(S[11], si, I_JOIN_FREE)
                jn[j, 0] = t
                jn[j, 1] = nbr
                jn[j, 2] = nbr
                jn[j, 3] = 0
                jn[j, 4] = nbr
                jn[j, 6] = code[pc, 2]
                jn[j, 7] = nbr if code[pc, 2] == 0 else 1
                tk[t, 1] = code[pc, 4]
                for k in range(nbr):
                    c = _alloc(S[6], si, I_TOK_FREE)
                    tk[c, 0] = tk[t, 0]
                    tk[c, 1] = branches[code[pc, 3] + k]
                    tk[c, 2] = j
                    tk[c, 3] = 0
                    tk[c, 4] += 1
                    tk[c, 5] = tk[t, 5]
                    tk[c, 6] = -1
                    tk[c, 7] = jn[j, 5]
                    stack[n] = c
                    n += 1
                break
            if op == OP_BEND:
                j = _own_join(S, t)
                _free_token(S, t)
                if j >= 0:
                    if jn[j, 3] == 0:
                        jn[j, 7] -= 1
                        if jn[j, 7] == 0:
                            jn[j, 3] = 1
                            stack[n] = jn[j, 0]
                            n += 1
                    _join_leave(S, j)
                break
            # OP_END
            r = tk[t, 0]
            _free_token(S, t)
            _finish(S, T, r, True, 0)
            break


# --- event handlers ----------------------------------------------------------------------------------


@njit(cache=True)
def _arrival(S, T, P):  # type: ignore[no-untyped-def]
    sf, si, tk, rq, rqf, stack = S[0], S[1], S[4], S[7], S[8], S[17]
    flow_start, flow_cum, schedule = P[3], P[4], P[5]
    now = sf[F_NOW]
    rate = sf[F_RATE]
    top = sf[F_MAXMULT]
    if si[I_DETERMINISTIC] == 1:
        lam = rate * rate_multiplier(schedule, now)
        gap = 1.0 / lam if lam > 0 else 1.0
        keep = True
    else:
        gap = -math.log(1.0 - np.random.random()) / (rate * top)
        keep = np.random.random() * top <= rate_multiplier(schedule, now)
    if si[I_STOP] != 1:
        push(S, now + gap, E_ARRIVAL, 0, 0)
    if not keep:
        return
    measured = 0
    if si[I_STOP] == 0 and now >= sf[F_WARMUP]:
        if si[I_TARGET] >= 0:
            measured = 1
            if si[I_MEASURED] + 1 >= si[I_TARGET]:
                sf[F_HORIZON] = now  # the last measured arrival closes the window
                si[I_STOP] = 2
        elif now < sf[F_HORIZON]:
            measured = 1
        else:
            si[I_STOP] = 2
    if si[I_STOP] == 2 and si[I_MEASURED_INFLIGHT] == 0 and measured == 0:
        si[I_STOP] = 1
        return
    u = np.random.random()
    f = 0
    while f < flow_cum.shape[0] - 1 and u > flow_cum[f]:
        f += 1
    r = _alloc(S[9], si, I_REQ_FREE)
    rq[r, 0] = f
    rq[r, 1] = 0
    rq[r, 2] = measured
    rqf[r] = now
    si[I_ARRIVED] += 1
    si[I_INFLIGHT] += 1
    T[4][_bucket(S, T), 0] += 1
    if measured == 1:
        si[I_MEASURED] += 1
        si[I_MEASURED_INFLIGHT] += 1
        T[1][f, 4] += 1
    t = _alloc(S[6], si, I_TOK_FREE)
    tk[t, 0] = r
    tk[t, 1] = flow_start[f]
    tk[t, 2] = -1
    tk[t, 3] = 0
    tk[t, 4] += 1
    tk[t, 5] = rq[r, 3]
    tk[t, 6] = -1
    tk[t, 7] = 0
    stack[0] = t
    _advance(S, T, P, 1)


@njit(cache=True)
def _done(S, T, P, j, gen):  # type: ignore[no-untyped-def]
    sf, q, qf, qc, jb, jbf, tk, stack = S[0], S[14], S[15], S[16], S[12], S[13], S[4], S[17]
    if jb[j, 5] != gen:
        return  # the job was failed by a capacity cut
    qi = jb[j, 2]
    now = sf[F_NOW]
    mode = P[6][q[qi, 7], 0]
    if mode != M_DELAY:
        _area(S, qi)
        q[qi, 1] -= 1
        _unlink_service(S, qi, j)
        if _measuring(S):
            qc[qi, 1] += 1
            qf[qi, 4] += now - jbf[j, 0]
    t, seq, pc, replicate = jb[j, 0], jb[j, 1], jb[j, 7], jb[j, 6]
    _free_job(S, j)
    if mode != M_DELAY:
        _next_waiting(S, T, qi)
    if replicate == 1:
        # on: all: every other replica repeats the work, and nobody waits for it
        comp = P[6]
        c = q[qi, 7]
        copies = comp[c, 4] - 1
        target = comp[c, 1] + 1 if comp[c, 0] == M_SPLIT else qi
        for _ in range(copies):
            k = _enqueue(S, T, P, target, -1, 0, pc)
            if k >= 0:
                jb[k, 6] = 0
    if t >= 0 and tk[t, 4] == seq and tk[t, 6] == j:
        tk[t, 6] = -1
        tk[t, 3] = 0
        tk[t, 4] += 1  # this visit's timeout, still pending, is now stale
        tk[t, 1] += 1
        stack[0] = t
        _advance(S, T, P, 1)


@njit(cache=True)
def _action(S, T, P, a):  # type: ignore[no-untyped-def]
    act_i, act_f = P[9], P[10]
    q, jb, compf, tk = S[14], S[12], S[18], S[4]
    kind = act_i[a, 0]
    if kind == A_FLUSH:
        c = act_i[a, 1]
        compf[c, 0] = act_f[a, 0]
        compf[c, 1] = act_f[a, 1]
        return
    if kind == A_SLOW:
        compf[act_i[a, 1], 2] = act_f[a, 0]
        return
    qi = act_i[a, 1]
    _area(S, qi)
    q[qi, 0] = max(q[qi, 0] + act_i[a, 2], 0)
    if P[6][q[qi, 7], 0] == M_DELAY:
        return
    # servers that went down take their requests with them
    while q[qi, 1] > q[qi, 0]:
        j = q[qi, 6]
        _unlink_service(S, qi, j)
        q[qi, 1] -= 1
        t, seq = jb[j, 0], jb[j, 1]
        _free_job(S, j)
        if t >= 0 and tk[t, 4] == seq and tk[t, 6] == j:
            _retry_or_fail(S, T, P, t, C_FAILED)
    if q[qi, 0] == 0:  # nobody left to serve the queue
        while q[qi, 5] > 0:
            j = q[qi, 3]
            q[qi, 3] = jb[j, 3]
            q[qi, 5] -= 1
            t, seq = jb[j, 0], jb[j, 1]
            _free_job(S, j)
            if t >= 0 and tk[t, 4] == seq and tk[t, 6] == j:
                _retry_or_fail(S, T, P, t, C_FAILED)
        q[qi, 4] = -1
    _next_waiting(S, T, qi)


@njit(cache=True)
def run(P, S, T, max_events, margin):  # type: ignore[no-untyped-def]
    """Process events until done, ``max_events`` more, or an array must grow."""
    sf, si, hv, hi, q = S[0], S[1], S[2], S[3], S[14]
    act_i = P[9]
    processed = 0
    while True:
        if si[I_HEAP] == 0 or (si[I_STOP] >= 1 and si[I_MEASURED_INFLIGHT] == 0):
            sf[F_END] = sf[F_NOW]
            for i in range(q.shape[0]):
                _area(S, i)
            return ST_DONE
        if processed >= max_events:
            return ST_CHUNK
        room = hv.shape[0] - si[I_HEAP]
        if (si[I_TOK_FREE] < margin or si[I_JOB_FREE] < margin or si[I_REQ_FREE] < 4
                or si[I_JOIN_FREE] < margin or room < 4 * margin):
            return ST_GROW
        if hi[0, 1] == E_ACTION and act_i[hi[0, 2], 0] == A_CAPACITY:
            qq = act_i[hi[0, 2], 1]
            if room < 2 * (q[qq, 1] + q[qq, 5]) + 4 * margin:
                return ST_GROW
        t, kind, a, b = pop(S)
        sf[F_NOW] = t
        processed += 1
        si[I_EVENTS] += 1
        if kind == E_ARRIVAL:
            _arrival(S, T, P)
        elif kind == E_DONE:
            _done(S, T, P, a, b)
        elif kind == E_TIMEOUT:
            tk = S[4]
            if tk[a, 4] == b and tk[a, 6] >= 0:
                tk[a, 6] = -1  # the caller gives up; the job stays and is abandoned
                _retry_or_fail(S, T, P, a, C_TIMEOUT)
        elif kind == E_RESUME:
            if S[4][a, 4] == b:
                S[17][0] = a
                _advance(S, T, P, 1)
        else:
            _action(S, T, P, a)
