"""``staffpath tracks``: golden output of `show` and `assess --json`, the next-skill ranking,
the radar SVG, the template round trip, and clear errors for a broken assessment."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from staffpath.cli.tracks import app
from tests.conftest import ROOT, compare_golden

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = "examples/career/assessment.yaml"
WIDE = {"COLUMNS": "120"}


def stripped(text: str) -> str:
    """Rich pads lines to the console width; editors strip that, so the golden file does too."""
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_the_group_is_registered_in_the_staffpath_command() -> None:
    from staffpath.cli.app import app as staffpath

    result = runner.invoke(staffpath, ["tracks", "list", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) >= 5


def test_list() -> None:
    result = runner.invoke(app, ["list"], env=WIDE)
    assert result.exit_code == 0, result.output
    for track in ("backend-messaging", "frontend-performance", "ml-pipelines", "data-storage"):
        assert track in result.output
    rows = json.loads(runner.invoke(app, ["list", "--json"]).output)
    assert {r["id"]: r["skills"] for r in rows}["reliability"] == 9


def test_show_golden(update_golden: bool) -> None:
    result = runner.invoke(app, ["show", "backend-messaging"], env=WIDE)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "│ transactional-outbox          │ Reliable publishing (outbox and change" in out
    assert "https://microservices.io/patterns/data/transactional-outbox.html\n" in out
    assert "│ data-storage/transactions-isolation" in out
    assert "design problem: chat" in out
    compare_golden(GOLDEN / "tracks-show.txt", stripped(out), update_golden)


def test_show_one_skill_and_json() -> None:
    result = runner.invoke(
        app, ["show", "reliability", "--skill", "slos-and-error-budgets"], env=WIDE
    )
    assert result.exit_code == 0, result.output
    assert "senior: Sets SLOs for a team's services" in " ".join(result.output.split())
    assert "Site Reliability Engineering (book): https://sre.google/" in result.output
    data = json.loads(runner.invoke(app, ["show", "data-storage", "--json"]).output)
    assert data["id"] == "data-storage" and len(data["skills"]) == 9
    bad = runner.invoke(app, ["show", "reliabilty"])
    assert bad.exit_code == 1
    assert "no track 'reliabilty' (did you mean 'reliability'?)" in bad.output
    bad_skill = runner.invoke(app, ["show", "reliability", "--skill", "slo"])
    assert bad_skill.exit_code == 1 and "has no skill 'slo'" in bad_skill.output


def test_assess_json_golden(at_root: None, update_golden: bool) -> None:
    """By hand, target senior (2): capped levels 2+2+1+1+0+1+0+0+0 = 7 of 18 = 0.3889;
    schema-evolution's mid has no evidence, so backed is 6 of 18 = 0.3333."""
    result = runner.invoke(app, ["assess", EXAMPLE, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["overall"], data["backed_overall"]) == (0.3889, 0.3333)
    assert [f["skill"] for f in data["findings"]] == ["schema-evolution"]
    assert data["next"][0]["skill"] == "partitioning-and-ordering"
    compare_golden(GOLDEN / "tracks-assess.json", result.output, update_golden)


def test_assess_table(at_root: None) -> None:
    result = runner.invoke(app, ["assess", EXAMPLE], env=WIDE)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Overall 39% of senior (33% backed by evidence)" in out
    assert "Unbacked claims (1)" in out
    assert "1. partitioning-and-ordering (Partitioning and ordering): mid -> senior" in out


def test_next_ranking(at_root: None) -> None:
    result = runner.invoke(app, ["next", EXAMPLE, "--top", "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [n["skill"] for n in data["next"]] == [
        "partitioning-and-ordering",  # unlocks 3 below senior
        "transactional-outbox",  # unlocks 1 (sagas), gap 2
    ]
    assert {b["skill"] for b in data["blocked"]} == {
        "backpressure-and-flow-control",
        "sagas-and-choreography",
    }
    text = runner.invoke(app, ["next", EXAMPLE], env=WIDE)
    assert "messaging-operations" in text.output  # ready: its other-track need is assumed met


def test_radar_writes_an_svg(at_root: None, tmp_path: Path) -> None:
    out = tmp_path / "radar.svg"
    result = runner.invoke(app, ["radar", EXAMPLE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    texts = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Logs and queues" in texts and "target (senior)" in texts
    spec = json.loads(runner.invoke(app, ["radar", EXAMPLE, "--json"]).output)
    assert spec["title"] == "Backend messaging: your levels against senior"
    missing = runner.invoke(app, ["radar", EXAMPLE])
    assert missing.exit_code == 1 and "-o FILE.svg" in missing.output


def test_template_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    result = runner.invoke(app, ["template", "ml-pipelines", "-o", str(path), "--target", "staff"])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(path.read_text())
    assert (data["track"], data["target"]) == ("ml-pipelines", "staff")
    assert set(data["skills"]) >= {"data-validation", "model-serving"}
    assessed = json.loads(runner.invoke(app, ["assess", str(path), "--json"]).output)
    assert assessed["overall"] == 0 and [n["skill"] for n in assessed["next"]] == [
        "data-validation",  # unlocks 6 below staff
        "reproducible-training",  # unlocks 4
    ]
    again = runner.invoke(app, ["template", "ml-pipelines", "-o", str(path)])
    assert again.exit_code == 1 and "--force" in again.output
    bad = runner.invoke(
        app, ["template", "ml-pipelines", "-o", str(path), "--force", "--target", "cto"]
    )
    assert bad.exit_code == 1 and "expected mid, senior or staff" in bad.output


def test_a_bad_assessment_exits_1_with_a_located_message(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "track: reliability\ntarget: senior\nskills:\n  observability:\n    level: guru\n"
    )
    result = runner.invoke(app, ["assess", str(path)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # handled, not a crash
    assert "Traceback" not in result.output
    assert result.output == (
        f"error: {path}:5:12: skills.observability.level: expected one of 'none', 'mid', "
        "'senior' or 'staff', found 'guru' (write one of those words)\n"
    )
    missing = runner.invoke(app, ["next", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1 and "no such file" in missing.output


def test_every_command_in_the_guide_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/tracks.md's bash examples, in order, from a folder holding the example file."""
    guide = (ROOT / "docs" / "tracks.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", guide, re.S)
    lines = [ln for b in blocks for ln in b.splitlines() if ln.startswith("staffpath tracks ")]
    assert len(lines) >= 10
    (tmp_path / "examples" / "career").mkdir(parents=True)
    shutil.copy(ROOT / EXAMPLE, tmp_path / EXAMPLE)
    monkeypatch.chdir(tmp_path)
    for line in lines:
        result = runner.invoke(app, shlex.split(line)[2:], env=WIDE)
        assert result.exit_code == 0, f"{line}\n{result.output}"
    assert (tmp_path / "radar.svg").exists() and (tmp_path / "my-assessment.yaml").exists()


def test_assess_checks_evidence_ids_against_the_log(tmp_path: Path) -> None:
    career = ROOT / "examples" / "career"
    text = (career / "assessment.yaml").read_text().replace("[ledger-cutover]", "[ledger-cutovr]")
    (tmp_path / "a.yaml").write_text(text)
    args = ["assess", str(tmp_path / "a.yaml"), "--json"]
    alone = json.loads(runner.invoke(app, args).stdout)
    assert not [f for f in alone["findings"] if f["rule"] == "unknown-evidence"]
    result = runner.invoke(app, [*args, "--evidence", str(career / "evidence.yaml")])
    assert result.exit_code == 0, result.output
    (unknown,) = [
        f for f in json.loads(result.stdout)["findings"] if f["rule"] == "unknown-evidence"
    ]
    assert unknown["skill"] == "data-storage/transactions-isolation"
    assert "ledger-cutovr" in unknown["reason"]
