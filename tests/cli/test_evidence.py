"""``staffpath evidence``: checks with located errors, listing, appending as text, story drafts
the story bank checks, bullets, and the packet as golden Markdown and as a PDF read back."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from staffpath.career.evidence import load_evidence
from staffpath.career.packet import groups
from staffpath.cli.app import app
from tests.conftest import ROOT, compare_golden

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = "examples/career/evidence.yaml"
TODAY = ["--today", "2026-11-26"]
WIDE = {"COLUMNS": "160"}


def stripped(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_check_the_example(at_root: None) -> None:
    result = runner.invoke(app, ["evidence", "check", EXAMPLE, *TODAY])
    assert result.exit_code == 0, result.output
    assert result.output == f"{EXAMPLE}: 10 records, no errors, 0 warnings\n"
    data = json.loads(runner.invoke(app, ["evidence", "check", EXAMPLE, "--json"]).output)
    assert data == {"records": 10, "warnings": []}


def test_check_track_skills_against_the_shipped_tracks(at_root: None, tmp_path: Path) -> None:
    result = runner.invoke(app, ["evidence", "check", EXAMPLE, "--tracks"])
    assert result.exit_code == 0, result.output
    log = tmp_path / "evidence.yaml"
    log.write_text("- id: a\n  date: 2026-01-05\n  what: x\n  skills: [reliability/no-such]\n")
    bad = runner.invoke(app, ["evidence", "check", str(log), "--tracks"])
    assert bad.exit_code == 1
    assert f"error: {log}:4:3: a.skills: no track skill 'reliability/no-such'" in bad.output
    assert runner.invoke(app, ["evidence", "check", str(log)]).exit_code == 0


def test_check_a_broken_log_lists_every_problem(tmp_path: Path) -> None:
    log = tmp_path / "evidence.yaml"
    log.write_text(
        "- id: a\n  date: 2026-01-05\n  what: Did a\n  metric: faster\n"
        "- id: b\n  date: 2026-02-30\n  what: Did b\n  competencies: [mentorship]\n"
    )
    result = runner.invoke(app, ["evidence", "check", str(log)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.splitlines() == [
        f"error: {log}:4:11: [0].metric: expected a measured change with a number, found "
        "'faster' (say by how much, e.g. 'p99 900 ms -> 120 ms' or '3 pages a week -> 0'; an "
        "estimate you can defend beats none)",
        f"{log}:6:9: [1].date: expected a real calendar date, found '2026-02-30' (write it "
        "like 2026-03-14)",
        f"{log}:8:18: [1].competencies[0]: expected a competency, found 'mentorship' (did you "
        "mean 'mentoring'? choose from leadership, conflict, failure, ambiguity, trade-off, "
        "mentoring, influence, delivery, customer-focus, ownership, communication, growth)",
    ]


def test_check_warnings(tmp_path: Path) -> None:
    log = tmp_path / "evidence.yaml"
    log.write_text("- id: a\n  date: 2027-01-05\n  what: Did a\n")
    result = runner.invoke(app, ["evidence", "check", str(log), *TODAY])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{log}:1:3: warning: a: no metric (add 'metric:' with the number that changed; "
        "unmeasured wins make weak stories and weak bullets)",
        f"{log}:2:3: warning: a.date: 2027-01-05 is in the future (today is 2026-11-26) (log "
        "wins once they happened; check the year)",
        f"{log}: 1 record, no errors, 2 warnings",
    ]
    data = json.loads(runner.invoke(app, ["evidence", "check", str(log), *TODAY, "--json"]).output)
    assert [w["path"] for w in data["warnings"]] == ["a", "a.date"]


def test_list_golden_and_filters(at_root: None, update_golden: bool) -> None:
    result = runner.invoke(app, ["evidence", "list", EXAMPLE, *TODAY], env=WIDE)
    assert result.exit_code == 0, result.output
    compare_golden(GOLDEN / "evidence-list.txt", stripped(result.output), update_golden)
    args = ["evidence", "list", EXAMPLE, "--competency", "ownership", "--since", "2026-02-01"]
    rows = json.loads(runner.invoke(app, [*args, "--json"]).output)
    assert [r["id"] for r in rows] == ["retry-storm-postmortem", "flaky-ci", "storage-cost-cut"]
    assert rows[0]["line"] == 28 and rows[0]["file"] == EXAMPLE
    bad = runner.invoke(app, ["evidence", "list", EXAMPLE, "--since", "March"])
    assert bad.exit_code == 1
    assert "error: --since: expected a date written YYYY-MM-DD, found 'March'" in bad.output


def test_add_appends_as_text_and_keeps_comments(tmp_path: Path) -> None:
    log = tmp_path / "evidence.yaml"
    original = "# my wins\n- id: a  # the first one\n  date: 2026-01-05\n  what: Did a\n"
    log.write_text(original)
    args = [
        "evidence",
        "add",
        str(log),
        "--title",
        "Cut the nightly build time",
        "--what",
        "Cached the dependency layer of the build image",
        "--metric",
        "build 48 min -> 19 min",
        "--date",
        "2026-02-03",
        "--competency",
        "delivery",
        "--person",
        "Build team",
        "--link",
        "https://ci.example.com/dashboards/build",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.output == f"added cut-the-nightly-build-time (2026-02-03) to {log}\n"
    text = log.read_text()
    assert text.startswith(original + "\n- id: cut-the-nightly-build-time\n  date: 2026-02-03\n")
    ids = [r.evidence.id for r in load_evidence(log, today=load_today()).records]
    assert ids == ["a", "cut-the-nightly-build-time"]
    again = runner.invoke(app, [*args, "--json"])  # same title: a new id
    assert json.loads(again.output)["id"] == "cut-the-nightly-build-time-2"
    bad = runner.invoke(app, ["evidence", "add", str(log), "--what", "x", "--metric", "loads"])
    assert bad.exit_code == 1 and "error: --metric: expected a measured change" in bad.output
    assert log.read_text().count("- id:") == 3  # nothing written on error


def load_today() -> date:
    return date(2026, 11, 26)


def test_add_creates_the_file(tmp_path: Path) -> None:
    log = tmp_path / "evidence.yaml"
    args = ["evidence", "add", str(log), "--what", "Mentored Ana", "--metric", "6 sessions"]
    result = runner.invoke(app, [*args, *TODAY])
    assert result.exit_code == 0, result.output
    (record,) = load_evidence(log, today=load_today()).records
    assert (record.evidence.id, str(record.evidence.date)) == ("mentored-ana", "2026-11-26")
    md = runner.invoke(app, ["evidence", "add", str(tmp_path / "x.md"), "--what", "x"])
    assert md.exit_code == 1 and "appends to a .yaml file" in md.output


def test_story_drafts_then_the_story_check(tmp_path: Path, at_root: None) -> None:
    out = tmp_path / "stories"
    result = runner.invoke(app, ["evidence", "stories", EXAMPLE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("*.yaml"))) == 10
    assert f"Next: complete the TODOs, then run `staffpath stories check {out}`" in result.output
    checked = runner.invoke(app, ["stories", "check", str(out), "--json"])
    assert checked.exit_code == 0, checked.output
    stories = {s["id"]: s for s in json.loads(checked.output)}
    flaky = {f["rule"]: f for f in stories["flaky-ci"]["findings"]}
    assert flaky["parts"]["reason"].startswith("missing: task; thin: situation")
    assert not flaky["follow-ups"]["passed"] and flaky["measurable"]["passed"]
    (out / "flaky-ci.yaml").write_text("title: Mine now\n")
    (out / "ledger-cutover.yaml").unlink()
    again = runner.invoke(app, ["evidence", "stories", EXAMPLE, "-o", str(out), "--json"])
    data = json.loads(again.output)
    assert data["written"] == [str(out / "ledger-cutover.yaml")]
    assert len(data["kept"]) == 9 and str(out / "flaky-ci.yaml") in data["kept"]
    assert (out / "flaky-ci.yaml").read_text() == "title: Mine now\n"
    forced = runner.invoke(app, ["evidence", "stories", EXAMPLE, "-o", str(out), "--force"])
    assert forced.exit_code == 0 and (out / "flaky-ci.yaml").read_text().startswith("# Story")


def test_bullets_golden_and_json(at_root: None, update_golden: bool) -> None:
    result = runner.invoke(app, ["evidence", "bullets", EXAMPLE], env=WIDE)
    assert result.exit_code == 0, result.output
    compare_golden(GOLDEN / "evidence-bullets.txt", stripped(result.output), update_golden)
    data = json.loads(runner.invoke(app, ["evidence", "bullets", EXAMPLE, "--json"]).output)
    highlights = data["jsonresume"]["work"][0]["highlights"]
    assert highlights == [b["text"] for b in data["bullets"]]
    assert highlights[0] == (
        "Learned from a slipped Kafka upgrade; 3-week slip; 0 minutes of consumer downtime; "
        "14 services upgraded."
    )


def test_bullets_flag_and_rewrite(tmp_path: Path) -> None:
    log = tmp_path / "evidence.yaml"
    log.write_text(
        "- id: a\n  date: 2026-01-05\n  what: I was responsible for the release train.\n"
        "- id: b\n  date: 2026-01-06\n  what: We helped the data team.\n  metric: 2 weeks\n"
    )
    result = runner.invoke(app, ["evidence", "bullets", str(log)], env=WIDE)
    assert result.output.splitlines() == [
        "- We helped the data team; 2 weeks.",
        "    flag: starts with 'we': open with the verb for what you did",
        "- Owned the release train.",
        "    rewritten: 'I was responsible for' names a duty, not an action",
        "    flag: no number: add the metric (how much, how many, how fast)",
        "2 bullets, 2 flagged",
    ]


@pytest.mark.parametrize(
    ("name", "extra"),
    [("all", []), ("spring", ["--since", "2026-03-01", "--until", "2026-05-31"])],
)
def test_packet_golden(
    name: str, extra: list[str], tmp_path: Path, at_root: None, update_golden: bool
) -> None:
    out = tmp_path / "packet.md"
    result = runner.invoke(app, ["evidence", "packet", EXAMPLE, "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    compare_golden(GOLDEN / f"evidence-packet-{name}.md", out.read_text(), update_golden)


def test_packet_json_summary(tmp_path: Path, at_root: None) -> None:
    out = tmp_path / "packet.md"
    args = ["evidence", "packet", EXAMPLE, "-o", str(out), "--since", "2026-03-01", "--json"]
    data = json.loads(runner.invoke(app, [*args, "--until", "2026-05-31"]).output)
    assert data["wins"] == 4
    assert {r["competency"]: r["wins"] for r in data["summary"]} == {
        "leadership": 1,
        "conflict": 1,
        "trade-off": 1,
        "mentoring": 1,
        "influence": 1,
        "delivery": 1,
        "ownership": 1,
        "communication": 1,
    }


def test_packet_pdf_has_every_title_in_order(tmp_path: Path, at_root: None) -> None:
    out = tmp_path / "packet.pdf"
    result = runner.invoke(app, ["evidence", "packet", EXAMPLE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(out).pages).split())
    records = load_evidence(ROOT / EXAMPLE, today=load_today()).records
    titles = [r.evidence.headline for g in groups(records) for r in g.records]
    positions = [text.find(t) for t in titles]
    assert -1 not in positions and positions == sorted(positions), list(
        zip(titles, positions, strict=True)
    )
    assert "ownership 4 2026-01-22 to 2026-07-30" in text


def test_packet_injection_renders_literally(tmp_path: Path) -> None:
    log = tmp_path / "evidence.yaml"
    hostile = "#set page(fill: red)] \\ #emph[x] *not bold* <b>"
    log.write_text(
        "- id: x\n  date: 2026-01-05\n  title: '#set text(size: 40pt)'\n"
        f'  what: {json.dumps(hostile)}\n  metric: "1 ] \\\\ #strong[bold]"\n'
        "  competencies: [growth]\n"
    )
    md = tmp_path / "p.md"
    assert runner.invoke(app, ["evidence", "packet", str(log), "-o", str(md)]).exit_code == 0
    text = md.read_text()
    assert "### 2026-01-05: \\#set text(size: 40pt)" in text
    assert "\\#set page(fill: red)\\] \\\\ \\#emph\\[x\\] \\*not bold\\* \\<b>" in text
    pdf = tmp_path / "p.pdf"
    result = runner.invoke(app, ["evidence", "packet", str(log), "-o", str(pdf)])
    assert result.exit_code == 0, result.output
    read = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages).split())
    assert "#set text(size: 40pt)" in read
    assert hostile in read
    assert "1 ] \\ #strong[bold]" in read


def test_packet_errors(tmp_path: Path, at_root: None) -> None:
    bad = runner.invoke(app, ["evidence", "packet", EXAMPLE, "-o", str(tmp_path / "p.docx")])
    assert bad.exit_code == 1 and "expected a .md or .pdf file name" in bad.output
    empty = runner.invoke(
        app, ["evidence", "packet", EXAMPLE, "-o", str(tmp_path / "p.md"), "--since", "2030-01-01"]
    )
    assert empty.exit_code == 1 and "no evidence in the period" in empty.output


def test_packet_takes_mentoring_as_evidence(tmp_path: Path) -> None:
    career = ROOT / "examples" / "career"
    plain, mentored = tmp_path / "plain.md", tmp_path / "mentored.md"
    base = ["evidence", "packet", str(career / "evidence.yaml"), "--today", "2026-11-26"]
    assert runner.invoke(app, [*base, "-o", str(plain)]).exit_code == 0
    mentoring = ["--mentoring", str(career / "mentoring.yaml")]
    result = runner.invoke(app, [*base, *mentoring, "-o", str(mentored)])
    assert result.exit_code == 0, result.output
    from staffpath.career.mentorship import load_mentoring, mentoring_evidence

    sessions = mentoring_evidence(
        load_mentoring(career / "mentoring.yaml"), today=date(2026, 11, 26)
    )
    added = mentored.read_text().count("### ") - plain.read_text().count("### ")
    assert added == len(sessions) > 0
    assert "| mentoring |" in mentored.read_text()
