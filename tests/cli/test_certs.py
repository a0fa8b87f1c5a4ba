"""``staffpath certs``: the list (golden), the check, the .ics file read back by icalendar and
vobject, the resume entries, and clear errors."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject
from typer.testing import CliRunner

from staffpath.cli.app import app
from tests.conftest import ROOT, compare_golden

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
EXAMPLE = "examples/career/certifications.yaml"
TODAY = ["--today", "2026-11-26"]
WIDE = {"COLUMNS": "200"}


def stripped(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_list_golden(at_root: None, update_golden: bool) -> None:
    result = runner.invoke(app, ["certs", "list", EXAMPLE, *TODAY], env=WIDE)
    assert result.exit_code == 0, result.output
    compare_golden(GOLDEN / "certs-list.txt", stripped(result.output), update_golden)


def test_list_json_flags_what_expires(at_root: None) -> None:
    args = ["certs", "list", EXAMPLE, "--today", "2027-01-01", "--within", "70", "--json"]
    rows = {r["id"]: r for r in json.loads(runner.invoke(app, args).output)}
    # 1 Jan -> 12 Mar 2027: 30 + 28 + 12 = 70 days
    assert rows["aws-sa-associate"]["days_to_expiry"] == 70
    assert rows["aws-sa-associate"]["expiring"] is True
    assert rows["aws-sa-pro"]["days_to_target"] == 48  # 30 + 18
    assert rows["cka"]["expired"] is True
    assert rows["togaf"]["days_to_target"] is None


def test_check(at_root: None) -> None:
    result = runner.invoke(app, ["certs", "check", EXAMPLE, *TODAY])
    assert result.exit_code == 0, result.output
    assert result.output == f"{EXAMPLE}: 6 certifications, no errors, 0 warnings\n"
    later = runner.invoke(app, ["certs", "check", EXAMPLE, "--today", "2027-02-01"])
    assert later.output.splitlines() == [
        # 1 Feb -> 12 Mar 2027: 27 + 12 = 39 days
        "AWS Certified Solutions Architect - Associate expires on 2027-03-12 (in 39 days): "
        "plan the renewal",
        f"{EXAMPLE}: 6 certifications, no errors, 0 warnings",
    ]
    args = ["certs", "check", EXAMPLE, "--today", "2027-03-01", "--json"]
    data = json.loads(runner.invoke(app, args).output)
    assert data["expiring"] == ["aws-sa-associate"]
    assert [w["path"] for w in data["warnings"]] == ["aws-sa-pro.target"]


def test_check_errors_are_located(tmp_path: Path) -> None:
    plans = tmp_path / "certs.yaml"
    plans.write_text("- id: a\n  name: A\n  provider: P\n  deck: caching-101\n  cost: 12\n")
    result = runner.invoke(app, ["certs", "check", str(plans)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.splitlines()[0] == (
        f"error: {plans}:5:9: [0].cost: expected an amount and a currency code like '300 USD', "
        "found 12"
    )
    plans.write_text("- id: a\n  name: A\n  provider: P\n  deck: caching-101\n")
    result = runner.invoke(app, ["certs", "check", str(plans)])
    assert result.output.startswith(
        f"error: {plans}:4:3: a.deck: no deck 'caching-101' (did you mean 'caching'? "
    )
    missing = runner.invoke(app, ["certs", "list", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1 and "nope.yaml: no such file" in missing.output


def test_ics_read_back_by_two_parsers(tmp_path: Path, at_root: None) -> None:
    out = tmp_path / "certs.ics"
    result = runner.invoke(app, ["certs", "ics", EXAMPLE, "-o", str(out), "--exam-alarm", "10"])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out} (4 events)\n"
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    got = sorted(
        (
            str(e["uid"]),
            e.decoded("dtstart"),
            str(e["summary"]),
            e.walk("VALARM")[0].decoded("trigger"),
        )
        for e in cal.walk("VEVENT")
    )
    assert got == [
        (
            "aws-sa-associate-expiry@staffpath.certifications",
            date(2027, 3, 12),
            "Expires: AWS Certified Solutions Architect - Associate",
            timedelta(days=-60),
        ),
        (
            "aws-sa-pro-exam@staffpath.certifications",
            date(2027, 2, 18),
            "Exam: AWS Certified Solutions Architect - Professional",
            timedelta(days=-10),
        ),
        (
            "ckad-exam@staffpath.certifications",
            date(2027, 4, 30),
            "Exam: Certified Kubernetes Application Developer (CKAD)",
            timedelta(days=-10),
        ),
        (
            "gcp-pde-exam@staffpath.certifications",
            date(2027, 9, 15),
            "Exam: Google Cloud Professional Data Engineer",
            timedelta(days=-10),
        ),
    ]
    parsed = vobject.readOne(out.read_text())
    assert sorted((e.uid.value, e.dtstart.value) for e in parsed.vevent_list) == [
        (uid, day) for uid, day, _, _ in got
    ]
    first = out.read_bytes()
    runner.invoke(app, ["certs", "ics", EXAMPLE, "-o", str(out), "--exam-alarm", "10"])
    uids = [line for line in out.read_bytes().splitlines() if line.startswith(b"UID:")]
    assert uids == [line for line in first.splitlines() if line.startswith(b"UID:")]
    data = json.loads(
        runner.invoke(app, ["certs", "ics", EXAMPLE, "-o", str(out), "--json"]).output
    )
    assert data == {"file": str(out), "events": 4}


def test_resume_entries(at_root: None) -> None:
    result = runner.invoke(app, ["certs", "resume", EXAMPLE, *TODAY])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {
            "name": "AWS Certified Solutions Architect - Associate",
            "date": "2024-03-12",
            "issuer": "Amazon Web Services",
            "url": "https://www.credly.com/badges/00000000-example",
        }
    ]
    everything = runner.invoke(app, ["certs", "resume", EXAMPLE, *TODAY, "--include-expired"])
    assert [c["name"] for c in json.loads(everything.output)][1] == (
        "Certified Kubernetes Administrator (CKA)"
    )
    bad = runner.invoke(app, ["certs", "resume", EXAMPLE, "--today", "tomorrow"])
    assert bad.exit_code == 1
    assert "error: --today: expected a date written YYYY-MM-DD, found 'tomorrow'" in bad.output
