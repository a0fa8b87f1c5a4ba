"""Capacity estimates against published worked examples, hand arithmetic and invariants.

Published figures (each book rounds; the tolerance of each check says by how much):

- Alex Xu, *System Design Interview – An Insider's Guide* (vol. 1, 2020), ch. 9 "Design a URL
  shortener", back-of-the-envelope estimation: 100 million new URLs a day, 10:1 read:write,
  10 years, 100 bytes per URL.
- Xu, same book, ch. 2 "Back-of-the-envelope estimation", the Twitter example: 150 million
  daily active users posting 2 tweets a day, 10% with 1 MB of media, kept 5 years.
- Donne Martin, *The System Design Primer*, "Design Pastebin.com (or Bit.ly)"
  (solutions/system_design/pastebin/README.md): 10 million writes a month, 10:1 read:write,
  ~1.27 KB per paste, 3 years.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staffpath.design.load import load_text
from staffpath.design.model import Design
from staffpath.engine.estimate import Estimate, estimate
from staffpath.units import DAY, MONTH, parse_size

ONE_FLOW = "{flows: {read: {rate: 100/s, steps: [api]}}}"


def make_design(data: dict[str, str] | None = None, *, workload: str = ONE_FLOW) -> Design:
    """A minimal valid design with the given ``data`` inputs, written as a person would."""
    text = f"name: estimates\nworkload: {workload}\ncomponents:\n  api: {{kind: service}}\n"
    if data is not None:
        text += "data: {" + ", ".join(f"{k}: {v}" for k, v in data.items()) + "}\n"
    return load_text(text).design


def by_name(design: Design) -> dict[str, Estimate]:
    found = estimate(design)
    names = [e.name for e in found]
    assert len(names) == len(set(names)), f"an estimate appears twice: {names}"
    return {e.name: e for e in found}


def result_size(e: Estimate) -> float:
    """The figure after the last ``=`` of a size formula, read back with the units module."""
    text = e.formula.rsplit("= ", 1)[1]
    return parse_size(text.removesuffix("/day").removesuffix("/s"))


# --- published worked examples -------------------------------------------------------------------

XU_URLS = {
    "new_items": "100M/day",
    "reads_per_write": "10",
    "retention": "10y",
    "item_size": "100B",
}


def test_xu_url_shortener_rates() -> None:
    """Xu ch. 9: 100M URLs/day / 24 / 3600 = 1160 writes/s; at 10:1, 11,600 reads/s."""
    est = by_name(make_design(XU_URLS))
    assert est["writes_avg"].value == pytest.approx(1160, rel=0.005)
    assert est["reads_avg"].value == pytest.approx(11_600, rel=0.005)


def test_xu_url_shortener_records_and_storage() -> None:
    """Xu ch. 9: 100M × 365 × 10 = 365 billion records; × 100 bytes = 36.5 TB."""
    est = by_name(make_design(XU_URLS))
    assert est["items_total"].value == pytest.approx(365e9, rel=1e-12)
    assert est["storage_total"].value == pytest.approx(36.5e12, rel=1e-12)
    assert est["storage_total"].unit == "B"


def test_xu_url_shortener_at_500_bytes() -> None:
    """The same 10 years at 500 bytes a URL: 100M/day × 500 B × 3,650 days = 182.5 TB.

    The formula is checked whole: it is what a reader will redo on paper.
    """
    est = by_name(make_design({**XU_URLS, "item_size": "500B"}))
    assert est["storage_total"].value == pytest.approx(182.5e12, rel=1e-12)
    assert est["writes_avg"].formula == "100M/day / 86,400 s/day = 1,157/s"
    assert est["storage_total"].formula == "1,157/s × 500B × 10y (315,360,000 s) = 182.5TB"
    assert est["storage_per_day"].value == pytest.approx(50e9, rel=1e-12)  # 100M × 500 B


def test_xu_twitter_users_and_media() -> None:
    """Xu ch. 2: 150M DAU × 2 tweets / 24 h / 3600 s ≈ 3500 QPS, peak 2 × QPS ≈ 7000;
    media 150M × 2 × 10% × 1 MB = 30 TB/day, and 30 TB × 365 × 5 ≈ 55 PB over 5 years.
    """
    users = {"daily_active_users": "150M", "requests_per_user": "2/day"}
    est = by_name(make_design(users))
    assert est["requests_avg_from_users"].value == pytest.approx(3500, rel=0.01)
    assert est["requests_peak_from_users"].value == pytest.approx(7000, rel=0.01)

    media = {"new_items": "30M/day", "item_size": "1MB", "retention": "5y"}  # 150M × 2 × 10%
    est = by_name(make_design(media))
    assert est["storage_per_day"].value == pytest.approx(30e12, rel=1e-12)
    assert est["storage_total"].value == pytest.approx(55e15, rel=0.01)


PRIMER_PASTEBIN = {
    "new_items": "10M/month",
    "reads_per_write": "10",
    "item_size": "1.27kB",
    "retention": "3y",
}


def test_primer_pastebin() -> None:
    """System Design Primer, Pastebin: 10M writes/month ≈ 4 writes/s and 40 reads/s;
    1.27 KB × 10M = 12.7 GB a month; 360 million pastes and ~450 GB in 3 years.

    The Primer rounds a month to 2.5M seconds; staffpath's month is 730 h (2.628M s), so
    the per-second rates come out 5% lower and are checked to that tolerance.
    """
    est = by_name(make_design(PRIMER_PASTEBIN))
    assert est["writes_avg"].value == pytest.approx(4, rel=0.06)
    assert est["reads_avg"].value == pytest.approx(40, rel=0.06)
    per_month = est["storage_per_day"].value * float(MONTH / DAY)
    assert per_month == pytest.approx(12.7e9, rel=1e-9)
    assert est["items_total"].value == pytest.approx(360e6, rel=1e-9)
    assert est["storage_total"].value == pytest.approx(450e9, rel=0.02)
    assert est["writes_avg"].formula.startswith("10M/month = ")


# --- hand arithmetic for the rest ----------------------------------------------------------------


def test_cache_holds_the_hot_fifth_of_a_days_reads() -> None:
    """100M/day × 10 reads = 1 billion reads a day; × 500 B × 20% = 100 GB."""
    data = {**XU_URLS, "response_size": "500B"}
    cache = by_name(make_design(data))["cache_memory"]
    assert cache.value == pytest.approx(100e9, rel=1e-12)
    assert cache.unit == "B"
    assert "80/20 rule is a convention, not a law" in cache.note
    assert "500B" in cache.formula
    assert "20% hot" in cache.formula
    assert result_size(cache) == pytest.approx(cache.value, rel=5e-4)


def test_cache_uses_the_given_hot_fraction_and_item_size() -> None:
    data = {**XU_URLS, "item_size": "1kB", "hot_fraction": "5%"}
    cache = by_name(make_design(data))["cache_memory"]
    assert cache.value == pytest.approx(1e9 * 1000 * 0.05, rel=1e-12)  # 1B reads × 1 kB × 5%
    assert "80/20" not in cache.note
    assert "5% hot" in cache.formula


def test_cache_falls_back_to_requests_as_reads() -> None:
    """Without reads_per_write, every average request counts as a read (and says so)."""
    cache = by_name(make_design({"response_size": "1kB"}))["cache_memory"]
    # 100/s peak / 2 = 50/s; × 86,400 s = 4.32M a day; × 1 kB × 20% = 864 MB
    assert cache.value == pytest.approx(864e6, rel=1e-12)
    assert "every request counted as a read" in cache.note
    assert "peak factor not given: assumed 2" in cache.note


def test_requests_from_the_workload() -> None:
    """Peak is the sum of the flows: 12k/s × 90% + 12k/s × 10% + 600/s = 12,600/s."""
    workload = (
        "{peak: 12k/s, flows: {redirect: {share: 90%, steps: [api]},"
        " stats: {share: 10%, steps: [api]}, shorten: {rate: 600/s, steps: [api]}}}"
    )
    est = by_name(make_design({"peak_factor": "3"}, workload=workload))
    assert est["requests_peak"].value == pytest.approx(12_600)
    assert est["requests_peak"].formula == (
        "redirect 90% × 12,000/s + stats 10% × 12,000/s + shorten 600/s = 12,600/s"
    )
    assert est["requests_avg"].value == pytest.approx(4_200)  # 12,600 / 3
    assert est["requests_avg"].formula == "12,600/s / 3 (peak factor) = 4,200/s"
    assert est["requests_avg"].note == ""
    assert est["requests_per_day"].value == pytest.approx(4_200 * 86_400)
    assert est["requests_per_day"].formula == "4,200/s × 86,400 s/day = 362.9M/day"


def test_default_peak_factor_is_two_and_said_to_be_assumed() -> None:
    est = by_name(make_design({"new_items": "100M/day"}))
    assert est["requests_avg"].value == pytest.approx(50)  # 100/s / 2
    assert est["writes_peak"].value == pytest.approx(2 * 1e8 / 86_400)
    for name in ("requests_avg", "requests_per_day", "writes_peak"):
        assert "assumed 2" in est[name].note
    assert est["writes_peak"].formula == "1,157/s × 2 (peak factor) = 2,315/s"


def test_replication_defaults_to_three_with_a_note() -> None:
    est = by_name(make_design(XU_URLS))
    replicated = est["storage_total_replicated"]
    assert replicated.value == pytest.approx(3 * 36.5e12, rel=1e-12)
    assert "common default of replicated stores" in replicated.note
    assert replicated.formula == "36.5TB × 3 copies = 109.5TB"

    given_two = by_name(make_design({**XU_URLS, "replication": "2"}))
    assert given_two["storage_total_replicated"].value == pytest.approx(73e12, rel=1e-12)
    assert given_two["storage_total_replicated"].note == ""
    assert given_two["storage_total"].value == est["storage_total"].value  # before replication


def test_bandwidth_at_peak() -> None:
    """12k/s × 2 kB = 24 MB/s in; 12k/s × 500 B = 6 MB/s out."""
    workload = "{flows: {read: {rate: 12k/s, steps: [api]}}}"
    est = by_name(make_design({"request_size": "2kB", "response_size": "500B"}, workload=workload))
    assert est["bandwidth_in"].value == pytest.approx(24e6)
    assert est["bandwidth_out"].value == pytest.approx(6e6)
    assert est["bandwidth_in"].unit == est["bandwidth_out"].unit == "B/s"
    assert est["bandwidth_in"].formula == "12,000/s × 2kB = 24MB/s"
    assert est["bandwidth_out"].formula == "12,000/s × 500B = 6MB/s"


def test_formulas_show_their_inputs() -> None:
    data = {
        **XU_URLS,
        "item_size": "640B",
        "retention": "7y",
        "reads_per_write": "25",
        "daily_active_users": "40M",
        "requests_per_user": "30/day",
    }
    est = by_name(make_design(data))
    assert "640B" in est["storage_total"].formula
    assert "7y" in est["storage_total"].formula
    assert "640B" in est["storage_per_day"].formula
    assert "× 25 reads per write" in est["reads_avg"].formula
    assert "40M daily active users × 30/day" in est["requests_avg_from_users"].formula
    for name in ("storage_total", "storage_per_day", "storage_total_replicated", "cache_memory"):
        assert result_size(est[name]) == pytest.approx(est[name].value, rel=5e-4), name


# --- absent inputs give no estimate --------------------------------------------------------------


def test_no_data_gives_only_the_workload_estimates() -> None:
    assert [e.name for e in estimate(make_design())] == [
        "requests_peak",
        "requests_avg",
        "requests_per_day",
    ]


@pytest.mark.parametrize(
    ("data", "absent"),
    [
        ({"new_items": "1M/day"}, {"reads_avg", "items_total", "storage_per_day", "cache_memory"}),
        ({"item_size": "1kB", "retention": "1y"}, {"writes_avg", "storage_total", "items_total"}),
        ({"new_items": "1M/day", "item_size": "1kB"}, {"storage_total", "items_total"}),
        ({"new_items": "1M/day", "retention": "1y"}, {"storage_per_day", "storage_total"}),
        ({"daily_active_users": "1M"}, {"requests_avg_from_users", "requests_peak_from_users"}),
        ({"requests_per_user": "5/day"}, {"requests_avg_from_users"}),
        ({"request_size": "1kB"}, {"bandwidth_out", "cache_memory"}),
        ({"replication": "5", "hot_fraction": "10%", "reads_per_write": "3"}, {"reads_avg"}),
    ],
)
def test_absent_inputs_give_no_estimate(data: dict[str, str], absent: set[str]) -> None:
    names = set(by_name(make_design(data)))
    assert not names & absent


def test_partial_inputs_give_exactly_what_they_can() -> None:
    names = [e.name for e in estimate(make_design({"new_items": "1M/day", "item_size": "1kB"}))]
    assert names == [
        "requests_peak",
        "requests_avg",
        "requests_per_day",
        "writes_avg",
        "writes_peak",
        "storage_per_day",
        "cache_memory",
    ]


# --- invariants ----------------------------------------------------------------------------------

SCALES_WITH_NEW_ITEMS = {
    "writes_avg",
    "writes_peak",
    "reads_avg",
    "items_total",
    "storage_per_day",
    "storage_total",
    "storage_total_replicated",
    "cache_memory",
}


@settings(max_examples=60, deadline=None)
@given(
    per_day=st.integers(min_value=1, max_value=10**12),
    factor=st.integers(min_value=2, max_value=1000),
)
def test_estimates_scale_linearly_with_new_items(per_day: int, factor: int) -> None:
    data = {
        "item_size": "500B",
        "retention": "10y",
        "reads_per_write": "10",
        "request_size": "1kB",
        "daily_active_users": "1M",
        "requests_per_user": "10/day",
    }
    base = by_name(make_design({**data, "new_items": f"{per_day}/day"}))
    scaled = by_name(make_design({**data, "new_items": f"{per_day * factor}/day"}))
    assert base.keys() == scaled.keys()
    assert base.keys() >= SCALES_WITH_NEW_ITEMS
    for name, e in base.items():
        expected = e.value * factor if name in SCALES_WITH_NEW_ITEMS else e.value
        assert scaled[name].value == pytest.approx(expected, rel=1e-12), name


def test_estimates_are_frozen_and_strict() -> None:
    e = estimate(make_design())[0]
    with pytest.raises(ValueError, match="frozen"):
        e.value = 0.0  # type: ignore[misc]
    with pytest.raises(ValueError, match="Extra inputs"):
        Estimate(name="x", label="x", value=1.0, unit="1/s", formula="1", extra="no")  # type: ignore[call-arg]
