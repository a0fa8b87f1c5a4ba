"""The document's figures are gathered once, from the engines, for every renderer."""

from __future__ import annotations

from functools import cache

from staffpath.design.load import load
from staffpath.report.document.content import Content, gather
from tests.conftest import ROOT


@cache
def content(name: str, simulate: bool = False) -> Content:
    design = load(ROOT / "examples" / f"{name}.yaml").design
    return gather(design, simulate=simulate, sim_requests=20_000, failure_requests=40_000)


def test_without_simulation_there_is_no_simulated_figure() -> None:
    c = content("url-shortener")
    assert c.simulation is None and c.effects == []
    assert set(c.charts) == {"utilisation", "latency-load", "utilisation-load", "cost"}


def test_the_sweep_spans_the_load_up_to_saturation() -> None:
    c = content("url-shortener")
    rates = [p.rate_rps for p in c.sweep.points]
    assert rates == sorted(rates)
    assert c.analysis.saturation_rps is not None
    assert rates[-1] < c.analysis.saturation_rps <= rates[-1] / 0.97
    assert rates[0] < c.analysis.peak_rps


def test_simulation_gives_a_distribution_and_one_effect_per_failure() -> None:
    c = content("url-shortener", simulate=True)
    assert c.simulation is not None
    assert len(c.effects) == len(c.design.failures)
    assert {f"failure-{i + 1}" for i in range(len(c.effects))} <= set(c.charts)
    for flow in c.simulation.flows.values():
        probs = [p for p, _ in flow.cdf_ms]
        times = [t for _, t in flow.cdf_ms]
        assert probs == sorted(probs) and times == sorted(times)
