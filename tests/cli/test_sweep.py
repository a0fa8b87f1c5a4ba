"""``staffpath sweep``: golden table, JSON contract, default range, clear errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from staffpath.cli.app import app
from tests.conftest import ROOT, compare_golden

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
SHORTENER = str(ROOT / "examples" / "url-shortener.yaml")
WIDE = {"COLUMNS": "120"}
MM1 = """\
name: mm1
workload: {flows: {f: {rate: 50/s, steps: [s]}}}
components:
  s: {kind: service, replicas: 1, concurrency: 1, service_time: 10ms}
goals: {p99: 100ms}
"""


def stripped(text: str) -> str:
    """Rich pads lines to the console width; editors strip that, so the golden file does too."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def mm1(tmp_path: Path) -> str:
    path = tmp_path / "mm1.yaml"
    path.write_text(MM1)
    return str(path)


def test_terminal_golden(update_golden: bool) -> None:
    result = runner.invoke(app, ["sweep", SHORTENER, "--steps", "8"], env=WIDE)
    assert result.exit_code == 0, result.output
    compare_golden(GOLDEN / "sweep.txt", stripped(result.output), update_golden)


def test_mm1_table_states_the_knee_and_saturation(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["sweep", mm1(tmp_path), "--from", "10/s", "--to", "90/s", "--steps", "5"], env=WIDE
    )
    assert result.exit_code == 0, result.output
    # p99 = ln(100)/(μ − λ): 51.17 ms at 10/s, 460.5 ms at 90/s
    assert "51.17ms" in result.output and "460.5ms" in result.output
    assert "Knee: 50/s (50.0% of saturation), where f's p99 reaches twice" in result.output
    assert "Saturation: 100/s (bottleneck s)" in result.output
    assert "The knee is the lowest total rate" in result.output


def test_json_contract(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["sweep", mm1(tmp_path), "--from", "10/s", "--to", "90/s", "--steps", "5", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"design", "peak_rps", "saturation_rps", "knee", "knee_definition", "points"} <= set(
        data
    )
    assert [p["rate_rps"] for p in data["points"]] == [10, 30, 50, 70, 90]
    assert data["knee"]["flow"] == "f"
    assert data["p99_goals_ms"] == {"f": 100.0}
    first = data["points"][0]
    assert first["flows"]["f"]["p99_ms"] == pytest.approx(math.log(100) / 90 * 1e3, rel=1e-3)
    assert first["components"]["s"] == {"utilization": pytest.approx(0.1), "saturated": False}


def test_default_range_is_a_tenth_of_peak_to_saturation(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sweep", mm1(tmp_path), "--steps", "2", "--json"])
    assert result.exit_code == 0, result.output
    points = json.loads(result.output)["points"]
    assert [p["rate_rps"] for p in points] == pytest.approx([5.0, 100.0])
    assert points[-1]["flows"]["f"]["p99_ms"] is None
    assert points[-1]["flows"]["f"]["saturated"] is True


def test_only_to_starts_at_a_tenth_of_it_when_lower(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sweep", mm1(tmp_path), "--to", "20/s", "--steps", "2", "--json"])
    assert result.exit_code == 0, result.output
    points = json.loads(result.output)["points"]
    assert [p["rate_rps"] for p in points] == pytest.approx([2.0, 20.0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "50/s", "--to", "50/s"], "--from 50/s must be below --to 50/s"),
        (["--from", "80/s", "--to", "20/s"], "--from 80/s must be below --to 20/s"),
        (["--from", "200/s"], "is not below the saturation rate 100/s"),
        (["--steps", "1"], "--steps: give 2 to 200 rates, found 1"),
        (["--steps", "500"], "--steps: give 2 to 200 rates, found 500"),
        (["--from", "fast"], "--from: 'fast' is not a rate"),
        (["--to", "0/s"], "--to: the rate must be above 0/s"),
        (["--chart", "out.pdf"], "give a file ending in .svg or .png"),
    ],
)
def test_bad_input_is_a_user_error(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["sweep", mm1(tmp_path), *args], env=WIDE)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_design_without_traffic_cannot_be_swept(tmp_path: Path) -> None:
    path = tmp_path / "idle.yaml"
    path.write_text(MM1.replace("rate: 50/s", "rate: 0/s").replace("goals: {p99: 100ms}\n", ""))
    result = runner.invoke(app, ["sweep", str(path)])
    assert result.exit_code == 1
    assert "no traffic to sweep" in result.output


def test_help_has_examples() -> None:
    result = runner.invoke(app, ["sweep", "--help"], env=WIDE)
    assert result.exit_code == 0
    assert "staffpath sweep examples/url-shortener.yaml" in result.output


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_chart_draws_both_curves(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"load{suffix}"
    result = runner.invoke(
        app, ["sweep", mm1(tmp_path), "--from", "10/s", "--to", "90/s", "--chart", str(out)]
    )
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG")
    else:
        import xml.etree.ElementTree as ET

        text = "".join(ET.fromstring(data).itertext())
        assert "p99 latency against load" in text and "Utilisation against load" in text
        assert "knee" in text and "saturation" in text
    assert not list(tmp_path.glob("*.tmp"))
