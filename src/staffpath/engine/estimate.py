"""Back-of-the-envelope capacity estimates, each with the arithmetic that produced it.

An estimate is only as good as the reader's ability to check it, so every :class:`Estimate`
carries its formula with the inputs filled in (``100M/day / 86,400 s/day = 1,157/s``), built
from the very numbers that gave its ``value``, never typed in by hand. Shown figures are
rounded (four significant digits, or whole units per second) and the ``value`` is not.

An estimate appears only when the design gives its inputs. Three inputs have defaults, and
each estimate that leans on one says so in its ``note``:

- the peak factor (peak rate / daily average) is 2, a common rule of thumb;
- replication is 3 copies, the common default of replicated stores;
- the hot fraction for a cache is 20%, the 80/20 rule.

Calendar conventions are those of :mod:`staffpath.units`: a day is 86,400 s and a year 365
days. Stored bytes are logical (one copy, no index, compression or overhead) unless the
estimate says ``replicated``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from staffpath.design.model import Data, Design
from staffpath.design.summary import total_rate
from staffpath.units import (
    DAY,
    format_count,
    format_duration,
    format_percent,
    format_rate,
    format_size,
)

DEFAULT_PEAK_FACTOR = 2.0
DEFAULT_REPLICATION = 3
DEFAULT_HOT_FRACTION = 0.2

_DAY = float(DAY)
_DAY_TEXT = f"{_DAY:,.0f} s/day"


class Estimate(BaseModel):
    """One estimated quantity, in base units, with the arithmetic a reader can redo."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    label: str
    value: float
    unit: str
    formula: str
    note: str = ""


def estimate(design: Design) -> list[Estimate]:
    """Every estimate the design's workload and ``data`` give inputs for, in reading order."""
    data = design.data or Data()
    return [
        *_requests(design, data),
        *_from_users(data),
        *_writes(data),
        *_storage(data),
        *_bandwidth(design, data),
        *_cache(design, data),
    ]


# --- the families of estimates -------------------------------------------------------------------


def _requests(design: Design, data: Data) -> list[Estimate]:
    peak = total_rate(design)
    if peak <= 0:
        return []
    factor, factor_note = _peak_factor(data)
    avg = peak / factor
    per_day = avg * _DAY
    return [
        Estimate(
            name="requests_peak",
            label="Requests per second at peak (all flows)",
            value=peak,
            unit="1/s",
            formula=f"{_flows_formula(design)} = {_rate(peak)}",
        ),
        Estimate(
            name="requests_avg",
            label="Requests per second (daily average)",
            value=avg,
            unit="1/s",
            formula=f"{_rate(peak)} / {factor:g} (peak factor) = {_rate(avg)}",
            note=factor_note,
        ),
        Estimate(
            name="requests_per_day",
            label="Requests per day",
            value=per_day,
            unit="1/day",
            formula=f"{_rate(avg)} × {_DAY_TEXT} = {_count(per_day)}/day",
            note=factor_note,
        ),
    ]


def _from_users(data: Data) -> list[Estimate]:
    """The same traffic seen from the other side: who the users are and how often they come."""
    dau, per_user = data.daily_active_users, data.requests_per_user
    if dau is None or per_user is None:
        return []
    factor, factor_note = _peak_factor(data)
    avg = dau * per_user
    peak = avg * factor
    return [
        Estimate(
            name="requests_avg_from_users",
            label="Requests per second from users (daily average)",
            value=avg,
            unit="1/s",
            formula=(
                f"{format_count(dau)} daily active users × {_number(per_user * _DAY)}/day each"
                f" = {_count(avg * _DAY)}/day / {_DAY_TEXT} = {_rate(avg)}"
            ),
        ),
        Estimate(
            name="requests_peak_from_users",
            label="Requests per second from users at peak",
            value=peak,
            unit="1/s",
            formula=f"{_rate(avg)} × {factor:g} (peak factor) = {_rate(peak)}",
            note=factor_note,
        ),
    ]


def _writes(data: Data) -> list[Estimate]:
    writes = data.new_items
    if writes is None:
        return []
    factor, factor_note = _peak_factor(data)
    peak = writes * factor
    out = [
        Estimate(
            name="writes_avg",
            label="New items per second (daily average)",
            value=writes,
            unit="1/s",
            formula=_per_day_formula(writes),
        ),
        Estimate(
            name="writes_peak",
            label="New items per second at peak",
            value=peak,
            unit="1/s",
            formula=f"{_rate(writes)} × {factor:g} (peak factor) = {_rate(peak)}",
            note=factor_note,
        ),
    ]
    if data.reads_per_write is not None:
        reads = writes * data.reads_per_write
        out.append(
            Estimate(
                name="reads_avg",
                label="Reads per second (daily average)",
                value=reads,
                unit="1/s",
                formula=(
                    f"{_rate(writes)} × {data.reads_per_write:g} reads per write = {_rate(reads)}"
                ),
            )
        )
    return out


def _storage(data: Data) -> list[Estimate]:
    writes, size, retention = data.new_items, data.item_size, data.retention
    out: list[Estimate] = []
    if writes is not None and retention is not None:
        items = writes * retention
        out.append(
            Estimate(
                name="items_total",
                label="Items stored at the end of retention",
                value=items,
                unit="items",
                formula=f"{_rate(writes)} × {_retention(retention)} = {_count(items)} items",
                note="assumes every new item is kept for the whole retention and none is deleted",
            )
        )
    if writes is None or size is None:
        return out
    per_day = writes * size * _DAY
    out.append(
        Estimate(
            name="storage_per_day",
            label="Storage added per day (one copy)",
            value=per_day,
            unit="B/day",
            formula=f"{_rate(writes)} × {format_size(size)} × {_DAY_TEXT} = {_size(per_day)}/day",
        )
    )
    if retention is None:
        return out
    total = writes * size * retention
    copies, copies_note = (
        (data.replication, "")
        if data.replication is not None
        else (
            DEFAULT_REPLICATION,
            f"replication not given: assumed {DEFAULT_REPLICATION} copies, the common default "
            "of replicated stores",
        )
    )
    replicated = total * copies
    out += [
        Estimate(
            name="storage_total",
            label="Storage at the end of retention (one copy)",
            value=total,
            unit="B",
            formula=(
                f"{_rate(writes)} × {format_size(size)} × {_retention(retention)} = {_size(total)}"
            ),
            note="logical bytes before replication, indexes and compression",
        ),
        Estimate(
            name="storage_total_replicated",
            label="Storage at the end of retention (all copies)",
            value=replicated,
            unit="B",
            formula=f"{_size(total)} × {copies} copies = {_size(replicated)}",
            note=copies_note,
        ),
    ]
    return out


def _bandwidth(design: Design, data: Data) -> list[Estimate]:
    peak = total_rate(design)
    if peak <= 0:
        return []
    out: list[Estimate] = []
    for name, label, size in (
        ("bandwidth_in", "Ingress bandwidth at peak (request bodies)", data.request_size),
        ("bandwidth_out", "Egress bandwidth at peak (response bodies)", data.response_size),
    ):
        if size is None:
            continue
        value = peak * size
        out.append(
            Estimate(
                name=name,
                label=label,
                value=value,
                unit="B/s",
                formula=f"{_rate(peak)} × {format_size(size)} = {_size(value)}/s",
                note="payload bytes only: no protocol, TLS or retransmission overhead",
            )
        )
    return out


def _cache(design: Design, data: Data) -> list[Estimate]:
    """Memory to keep the hot share of a day's reads, the classic interview sizing.

    Reads come from ``new_items × reads_per_write`` when the design gives them, otherwise
    from the workload's average request rate (every request counted as a read, which errs
    towards a larger cache).
    """
    size, size_name = (
        (data.response_size, "response")
        if data.response_size is not None
        else (data.item_size, "item")
    )
    if size is None:
        return []
    factor_note = ""
    if data.new_items is not None and data.reads_per_write is not None:
        reads, source = (
            data.new_items * data.reads_per_write,
            "reads from new_items × reads_per_write",
        )
    else:
        peak = total_rate(design)
        if peak <= 0:
            return []
        factor, factor_note = _peak_factor(data)
        reads, source = peak / factor, "every request counted as a read"
    hot, hot_note = (
        (data.hot_fraction, "")
        if data.hot_fraction is not None
        else (
            DEFAULT_HOT_FRACTION,
            "hot fraction not given: assumed 20%; the 80/20 rule is a convention, not a law",
        )
    )
    reads_per_day = reads * _DAY
    value = reads_per_day * size * hot
    notes = [
        n
        for n in (
            hot_note,
            factor_note,
            f"{source}; {size_name} size per entry",
            "counts a day's reads as distinct entries, so repeats make it an upper bound",
        )
        if n
    ]
    return [
        Estimate(
            name="cache_memory",
            label="Cache memory for the hot set",
            value=value,
            unit="B",
            formula=(
                f"{_rate(reads)} × {_DAY_TEXT} = {_count(reads_per_day)} reads/day"
                f" × {format_size(size)} × {format_percent(hot)} hot = {_size(value)}"
            ),
            note="; ".join(notes),
        )
    ]


# --- shared inputs and rendering ---------------------------------------------------------------


def _peak_factor(data: Data) -> tuple[float, str]:
    """The factor and, when it is the default, the note that says it was assumed."""
    if data.peak_factor is not None:
        return data.peak_factor, ""
    return DEFAULT_PEAK_FACTOR, (
        f"peak factor not given: assumed {DEFAULT_PEAK_FACTOR:g} "
        "(peak = 2 × the daily average), a common rule of thumb"
    )


def _flows_formula(design: Design) -> str:
    """The terms :func:`total_rate` adds, one per flow, so the peak total can be checked."""
    peak = design.workload.peak or 0.0
    terms = []
    for name, flow in design.workload.flows.items():
        if flow.rate is not None:
            terms.append(f"{name} {_rate(flow.rate)}")
        else:
            terms.append(f"{name} {format_percent(flow.share or 0.0)} × {_rate(peak)}")
    return " + ".join(terms)


def _per_day_formula(rate: float) -> str:
    """``100M/day / 86,400 s/day = 1,157/s``, led by the input as written when not per day."""
    given = format_rate(rate)
    per_day = f"{_count(rate * _DAY)}/day"
    core = f"{per_day} / {_DAY_TEXT} = {_rate(rate)}"
    return core if given == per_day else f"{given} = {core}"


def _retention(seconds: float) -> str:
    return f"{format_duration(seconds)} ({seconds:,.0f} s)"


def _sig(value: float) -> float:
    """Rounded to four significant digits, so units formatting picks a short unit."""
    return float(f"{value:.4g}")


def _number(value: float) -> str:
    """Whole numbers with thousands separators; four significant digits below 1,000."""
    if value == 0 or abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def _rate(per_second: float) -> str:
    return f"{_number(per_second)}/s"


def _count(value: float) -> str:
    return format_count(_sig(value))


def _size(value: float) -> str:
    return format_size(_sig(value))
