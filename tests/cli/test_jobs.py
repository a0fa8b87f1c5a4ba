"""``staffpath jobs``: golden list and funnel, checks with located errors, edits that keep the
user's comments, follow-ups, calendar and CSV files, contacts to and from vCard."""

from __future__ import annotations

import csv
import json
import re
import shlex
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from staffpath.career.applications import load_applications
from staffpath.career.contacts import load_contacts
from staffpath.cli.app import app
from tests.conftest import ROOT, compare_golden

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = ROOT / "examples" / "career"
TODAY = ["--today", "2026-11-26"]
WIDE = {"COLUMNS": "160"}


def stripped(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.fixture
def career(tmp_path: Path) -> Path:
    """A copy of the example folder: applications.yaml and contacts.yaml."""
    for name in ("applications.yaml", "contacts.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["jobs", *args], env=WIDE)
    return result.exit_code, result.output


def test_list_golden(update_golden: bool) -> None:
    code, out = run("list", str(EXAMPLES / "applications.yaml"), *TODAY)
    assert code == 0, out
    compare_golden(GOLDEN / "jobs-list.txt", stripped(out), update_golden)


def test_list_json_and_stage_filter() -> None:
    code, out = run(
        "list", str(EXAMPLES / "applications.yaml"), *TODAY, "--stage", "rejected", "--json"
    )
    assert code == 0, out
    rows = json.loads(out)
    assert [(r["id"], r["since"], r["days"]) for r in rows] == [
        ("quarry-staff-data", "2026-10-30", 27),
        ("tessel-senior-sre", "2026-10-29", 28),
    ]
    code, out = run("list", str(EXAMPLES / "applications.yaml"), "--stage", "hired")
    assert code == 1 and "--stage: no stage 'hired'; choose from wishlist" in out


def test_funnel_json_golden(update_golden: bool) -> None:
    code, out = run("funnel", str(EXAMPLES / "applications.yaml"), *TODAY, "--json")
    assert code == 0, out
    data = json.loads(out)
    # by hand from the example: 8 in all; 6 applied (not cobalt, oriel); 4 screened
    # (northwind, lumen, quarry, harbor); 2 onsite (northwind, lumen); 1 offer
    assert [s["reached"] for s in data["stages"]] == [8, 6, 4, 2, 1]
    assert data["outcomes"] == {
        "rejected": {"applied": 1, "screen": 1},
        "withdrawn": {"wishlist": 1},
    }
    # days in stage, by hand: wishlist 4, 7, 8 (northwind, quarry, oriel); applied 8, 8, 9,
    # 14, 10; screen 18, 25, 9; onsite 21; open: cobalt 6, kestrel 17, harbor 14, lumen 23,
    # northwind 16 days in their current stage on 2026-11-26
    assert [
        (t["stage"], t["n"], t["median_days"], t["mean_days"], t["oldest_open_days"])
        for t in data["time_in_stage"]
    ] == [
        ("wishlist", 3, 7.0, 6.3, 6),
        ("applied", 5, 9.0, 9.8, 17),
        ("screen", 3, 18.0, 17.3, 14),
        ("onsite", 1, 21.0, 21.0, 23),
        ("offer", 0, None, None, 16),
    ]
    compare_golden(GOLDEN / "jobs-funnel.json", out, update_golden)


def test_funnel_table_and_svg(tmp_path: Path) -> None:
    svg = tmp_path / "funnel.svg"
    code, out = run("funnel", str(EXAMPLES / "applications.yaml"), *TODAY, "-o", str(svg))
    assert code == 0, out
    assert "rejected: 2 (1 after applied, 1 after screen)" in out
    assert "8 applications, 5 open" in out
    texts = {t.text for t in ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}text")}
    assert "6 (75% of wishlist)" in texts


def test_check_finds_the_contacts_beside_the_file(career: Path) -> None:
    code, out = run("check", str(career / "applications.yaml"))
    assert code == 0, out
    assert out.endswith("applications.yaml: 8 applications, no problems\n")
    people = career / "contacts.yaml"
    people.write_text(people.read_text().replace("name: Ana Ruiz", "name: Ana Ruíz"))
    code, out = run("check", str(career / "applications.yaml"))
    assert code == 1
    assert (
        "applications.yaml:38:16: applications[0].contacts[0]: no contact 'Ana Ruiz' in the "
        "contacts file (did you mean 'Ana Ruíz'?)"
    ) in out
    assert "Traceback" not in out


def test_check_reports_located_errors_as_text_and_json(tmp_path: Path) -> None:
    bad = tmp_path / "a.yaml"
    bad.write_text(
        "applications:\n"
        "  - id: x\n"
        "    posting: {title: T, company: C}\n"
        "    stages: [{stage: offer, date: 2026-01-05}, {stage: applied, date: 2026-01-06}]\n"
    )
    code, out = run("check", str(bad))
    assert code == 1
    assert out == (
        f"error: {bad}:4:56: applications[0].stages[1].stage: cannot go from offer to applied "
        "(allowed after offer: rejected, withdrawn)\n"
    )
    code, out = run("check", str(bad), "--json")
    assert code == 1
    assert json.loads(out)["problems"][0]["path"] == "applications[0].stages[1].stage"


def test_due_lists_overdue_due_and_upcoming(career: Path) -> None:
    code, out = run("due", str(career / "applications.yaml"), *TODAY, "--json")
    assert code == 0, out
    assert [
        (r["application"], r["kind"], r["status"], r["days_overdue"]) for r in json.loads(out)
    ] == [
        ("kestrel-staff-ml", "nudge", "overdue", 10),
        ("lumen-senior-backend", "follow-up", "overdue", 2),
        ("northwind-staff-platform", "follow-up", "upcoming", -1),
        ("harbor-senior-frontend", "follow-up", "upcoming", -4),
    ]
    code, out = run(
        "due", str(career / "applications.yaml"), *TODAY, "--nudge-days", "30", "--within", "0"
    )
    assert code == 0, out
    assert "Ask Raj when the debrief is" in out and "Kestrel" not in out
    assert "1 to do, 1 overdue" in out


def test_add_appends_text_and_keeps_comments(career: Path) -> None:
    file = career / "applications.yaml"
    before = file.read_text()
    code, out = run(
        "add", str(file), "--company", "Acme: Rockets", "--title", "Staff Engineer",
        "--url", "https://jobs.example.com/acme/1", "--date", "2026-11-26",
    )  # fmt: skip
    assert code == 0, out
    assert "added acme-rockets-staff-engineer (wishlist on 2026-11-26)" in out
    assert file.read_text() == before + (
        "\n"
        "  - id: acme-rockets-staff-engineer\n"
        "    posting:\n"
        "      title: Staff Engineer\n"
        '      company: "Acme: Rockets"\n'
        '      url: "https://jobs.example.com/acme/1"\n'
        "    stages:\n"
        "      - {stage: wishlist, date: 2026-11-26}\n"
    )
    code, out = run(
        "add",
        str(file),
        "--company",
        "Acme: Rockets",
        "--title",
        "Staff Engineer",
        "--stage",
        "applied",
    )
    assert code == 0, out
    assert [a.id for a in load_applications(file).applications][-2:] == [
        "acme-rockets-staff-engineer",
        "acme-rockets-staff-engineer-2",
    ]


def test_add_creates_a_missing_file_and_refuses_bad_input(tmp_path: Path) -> None:
    file = tmp_path / "applications.yaml"
    code, out = run(
        "add", str(file), "--company", "Initech", "--title", "SRE", "--date", "2026-11-01"
    )
    assert code == 0, out
    assert file.read_text() == (
        "# Job applications for `staffpath jobs` (the format: docs/applications.md)\n"
        "applications:\n"
        "  - id: initech-sre\n"
        "    posting:\n"
        "      title: SRE\n"
        "      company: Initech\n"
        "    stages:\n"
        "      - {stage: wishlist, date: 2026-11-01}\n"
    )
    code, out = run("add", str(file), "--company", "X", "--title", "Y", "--stage", "rejected")
    assert code == 1 and "--stage: an application cannot start as rejected" in out
    code, out = run("add", str(file), "--company", "X", "--title", "Y", "--id", "initech-sre")
    assert code == 1 and "--id: 'initech-sre' is already used" in out
    inline = tmp_path / "inline.yaml"
    inline.write_text("applications: []\n")
    code, out = run("add", str(inline), "--company", "X", "--title", "Y")
    assert code == 1 and "'applications:' is written as an inline [...] list" in out
    assert inline.read_text() == "applications: []\n"


def test_move_inserts_one_line_in_place(career: Path) -> None:
    file = career / "applications.yaml"
    before = file.read_text().splitlines(keepends=True)
    code, out = run(
        "move",
        str(file),
        "cobalt-staff-infra",
        "applied",
        "--date",
        "2026-11-26",
        "--note",
        "via Ana, referral",
    )
    assert code == 0, out
    assert "cobalt-staff-infra: wishlist -> applied on 2026-11-26" in out
    after = file.read_text().splitlines(keepends=True)
    at = before.index("      - {stage: wishlist, date: 2026-11-20}\n") + 1
    assert after == [
        *before[:at],
        '      - {stage: applied, date: 2026-11-26, note: "via Ana, referral"}\n',
        *before[at:],
    ]
    assert after[at + 1] == "    notes: Wait for the Q1 headcount; Ana knows the hiring manager.\n"


def test_move_follows_block_and_inline_layouts(tmp_path: Path) -> None:
    file = tmp_path / "a.yaml"
    file.write_text(
        "applications:\n"
        "- id: block  # no indent before the dash\n"
        "  posting: {title: T, company: C}\n"
        "  stages:\n"
        "  - stage: applied\n"
        "    date: 2026-11-01\n"
        "    note: |\n"
        "      sent through the portal\n"
        "\n"
        "  # a comment about the next one\n"
        "- id: inline\n"
        "  posting: {title: T, company: C}\n"
        "  stages: [{stage: applied, date: 2026-11-01}]  # one line\n"
    )
    assert run("move", str(file), "block", "screen", "--date", "2026-11-05")[0] == 0
    assert run("move", str(file), "inline", "rejected", "--date", "2026-11-06")[0] == 0
    assert file.read_text() == (
        "applications:\n"
        "- id: block  # no indent before the dash\n"
        "  posting: {title: T, company: C}\n"
        "  stages:\n"
        "  - stage: applied\n"
        "    date: 2026-11-01\n"
        "    note: |\n"
        "      sent through the portal\n"
        "  - stage: screen\n"
        "    date: 2026-11-05\n"
        "\n"
        "  # a comment about the next one\n"
        "- id: inline\n"
        "  posting: {title: T, company: C}\n"
        "  stages: [{stage: applied, date: 2026-11-01}, {stage: rejected, date: 2026-11-06}]  # one line\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["quarry-staff-data", "onsite", "--date", "2026-11-26"],
            "error: quarry-staff-data: nothing can follow rejected (the application ended on "
            "2026-10-30) (to apply again, add a new application)",
        ),
        (
            ["harbor-senior-frontend", "applied", "--date", "2026-11-26"],
            "error: harbor-senior-frontend: cannot go from screen to applied (allowed after "
            "screen: onsite, offer, rejected, withdrawn)",
        ),
        (
            ["harbor-senior-frontend", "onsite", "--date", "2026-11-01"],
            "error: harbor-senior-frontend: 2026-11-01 is before the previous stage (screen on "
            "2026-11-12) (list stages in the order they happened, with dates that never go back)",
        ),
        (["harbor-senior-frontnd", "onsite"], "(did you mean harbor-senior-frontend?)"),
        (["harbor-senior-frontend", "hired"], "no stage 'hired'; choose from wishlist"),
        (["harbor-senior-frontend", "onsite", "--date", "26/11"], "--date: '26/11' is not a date"),
    ],
)
def test_a_move_that_is_not_allowed_leaves_the_file_alone(
    career: Path, args: list[str], message: str
) -> None:
    file = career / "applications.yaml"
    before = file.read_text()
    code, out = run("move", str(file), *args)
    assert code == 1
    assert message in out
    assert file.read_text() == before


def test_ics_and_csv_files(career: Path) -> None:
    ics, table = career / "jobs.ics", career / "jobs.csv"
    code, out = run("ics", str(career / "applications.yaml"), "-o", str(ics))
    assert code == 0, out
    events = list(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT"))
    # 6 interviews (northwind 2, lumen 3, harbor 1) and the 3 open follow-ups of open
    # applications (northwind's second, lumen's, harbor's)
    assert len(events) == 6 + 3
    assert sum(bool(e.walk("VALARM")) for e in events) == 6
    code, out = run("csv", str(career / "applications.yaml"), "-o", str(table))
    assert code == 0, out
    with table.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows][:2] == ["northwind-staff-platform", "lumen-senior-backend"]
    assert rows[0]["offer"] == "2026-11-10" and rows[0]["title"] == "Staff Engineer, Platform"


def test_contacts_export_then_import_changes_nothing(career: Path) -> None:
    vcf = career / "contacts.vcf"
    people = career / "contacts.yaml"
    code, out = run("contacts", "export", str(people), "-o", str(vcf))
    assert code == 0 and "(4 contacts)" in out
    before = people.read_text()
    code, out = run("contacts", "import", str(vcf), "--into", str(people))
    assert code == 0, out
    assert "0 added, 0 updated, 4 unchanged; nothing to write" in out
    assert people.read_text() == before  # untouched, comments and all


def test_contacts_import_reports_changes_and_dry_run_writes_nothing(career: Path) -> None:
    vcf = career / "phone.vcf"
    vcf.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Raj Patel\r\nTITLE:Director of Engineering\r\n"
        "EMAIL;TYPE=INTERNET:raj.patel@lumen.example\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Noor Haddad\r\nEMAIL:noor@x.example\r\nEND:VCARD\r\n"
    )
    people = career / "contacts.yaml"
    before = people.read_text()
    code, out = run("contacts", "import", str(vcf), "--into", str(people), "--dry-run")
    assert code == 0, out
    assert stripped(out) == (
        "updated   Raj Patel\n"
        "          role: Engineering Manager, Messaging -> Director of Engineering\n"
        "added     Noor Haddad\n"
        f"1 added, 1 updated, 0 unchanged; would change {people}\n"
    )
    assert people.read_text() == before
    code, out = run("contacts", "import", str(vcf), "--into", str(people), "--json")
    assert code == 0, out
    assert json.loads(out)["written"] is True
    merged = load_contacts(people)
    assert [c.name for c in merged][-1] == "Noor Haddad"
    assert merged[1].role == "Director of Engineering"
    assert merged[1].how_met == "QCon London 2026, hallway track after the Kafka talk"


def test_contacts_import_into_a_new_file(tmp_path: Path) -> None:
    vcf = tmp_path / "a.vcf"
    vcf.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n")
    code, out = run("contacts", "import", str(vcf), "--into", str(tmp_path / "c.yaml"))
    assert code == 0, out
    assert [c.name for c in load_contacts(tmp_path / "c.yaml")] == ["Ann"]


DOC = ROOT / "docs" / "applications.md"


def test_the_documented_files_load() -> None:
    from staffpath.career.applications import parse_applications
    from staffpath.career.contacts import parse_contacts

    blocks = dict(re.findall(r"```yaml\n# file: (\S+)\n(.*?)```", DOC.read_text(), re.S))
    assert set(blocks) == {"applications.yaml", "contacts.yaml"}
    (app_,) = parse_applications(blocks["applications.yaml"]).applications
    assert app_.current.stage == "screen"
    posting = app_.posting.model_dump(by_alias=True, exclude_none=True)
    job_schema = {
        "title", "company", "type", "date", "description", "location", "remote", "salary",
        "experience", "responsibilities", "qualifications", "skills", "meta",
    }  # fmt: skip
    assert set(posting) - job_schema == {"url"}
    assert set(posting["location"]) == {"city", "countryCode"}
    assert parse_contacts(blocks["contacts.yaml"])[0].last_contact is not None


def test_every_documented_command_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in (tmp_path / "career", tmp_path / "examples" / "career"):
        folder.mkdir(parents=True)
        for name in ("applications.yaml", "contacts.yaml"):
            shutil.copy(EXAMPLES / name, folder / name)
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```bash\n(.*?)```", DOC.read_text(), re.S)
    lines = [ln for b in blocks for ln in b.splitlines() if ln.startswith("staffpath jobs ")]
    assert len(lines) >= 18
    for line in lines:
        result = runner.invoke(app, shlex.split(line)[1:], env=WIDE)
        assert result.exit_code == 0, f"{line}\n{result.output}"
    assert (tmp_path / "funnel.svg").exists() and (tmp_path / "jobs.ics").exists()
