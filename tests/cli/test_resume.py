"""``staffpath resume``: check, tailor, gap, pdf (with --check), ats and rendercv from the
command line, with golden output and clear errors."""

from __future__ import annotations

import io
import json
import re
import shlex
import shutil
from pathlib import Path

import pypdf
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from staffpath.cli.app import app
from tests.conftest import ROOT, compare_golden

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
RESUME = "examples/career/resume.json"
STAFF = "examples/career/variants/staff-platform.yaml"
POSTING = "examples/career/job-posting.txt"
BROKEN = "tests/career/resume/broken/typos.json"
WIDE = {"COLUMNS": "120"}


def stripped(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_check_valid() -> None:
    result = runner.invoke(app, ["resume", "check", RESUME])
    assert result.exit_code == 0, result.output
    assert result.output == f"{RESUME}: valid, 0 errors, 0 warnings\n"


def test_check_broken_golden(update_golden: bool) -> None:
    result = runner.invoke(app, ["resume", "check", BROKEN])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"{BROKEN}: invalid, 7 errors, 0 warnings"
    compare_golden(GOLDEN / "resume-check-broken.txt", result.output, update_golden)


def test_check_json() -> None:
    result = runner.invoke(
        app, ["resume", "check", "tests/career/resume/broken/warnings.yaml", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["valid"], data["errors"], data["warnings"]) == (True, 0, 5)
    first = data["problems"][0]
    assert (first["line"], first["column"], first["pointer"]) == (7, 14, "/work/0/endDate")
    assert first["severity"] == "warning"


def test_tailor_golden(tmp_path: Path, update_golden: bool) -> None:
    out = tmp_path / "staff.json"
    result = runner.invoke(app, ["resume", "tailor", RESUME, STAFF, "-o", str(out)])
    assert result.exit_code == 0, result.output
    compare_golden(GOLDEN / "resume-tailor-staff-platform.json", out.read_text(), update_golden)
    again = runner.invoke(app, ["resume", "check", str(out)])
    assert again.exit_code == 0, again.output  # a tailored resume is a valid master


def test_tailor_to_stdout_and_a_bad_variant(tmp_path: Path) -> None:
    result = runner.invoke(app, ["resume", "tailor", RESUME, STAFF])
    assert json.loads(result.output)["meta"]["staffpath"]["variant"] == "Staff engineer, platform"
    bad = tmp_path / "bad.yaml"
    bad.write_text("label: x\nwork: [Fjordpai]\n")
    result = runner.invoke(app, ["resume", "tailor", RESUME, str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2:8: work[0]: no work entry 'Fjordpai' in the master resume" in result.output
    assert "did you mean 'Fjordpay' (0)?" in result.output
    assert "Traceback" not in result.output


def test_gap_golden(update_golden: bool) -> None:
    args = [
        "resume",
        "gap",
        RESUME,
        "--job",
        POSTING,
        "--ignore",
        "Kestrel Mobility",
        "--top",
        "15",
    ]
    result = runner.invoke(app, args, env=WIDE)
    assert result.exit_code == 0, result.output
    compare_golden(GOLDEN / "resume-gap.txt", stripped(result.output), update_golden)


def test_gap_json_with_variant_raises_coverage() -> None:
    base = ["resume", "gap", RESUME, "--job", POSTING, "--ignore", "Kestrel Mobility", "--json"]
    master = json.loads(runner.invoke(app, base).output)
    tailored = json.loads(runner.invoke(app, [*base, "--variant", STAFF]).output)
    assert master["found"] + master["missing"] == len(master["keywords"]) == 30
    assert master["coverage"] == round(100 * master["found"] / 30, 1)
    # the staff variant adds "developer experience" and says "platform" in its headline
    assert tailored["coverage"] > master["coverage"]
    dx = next(k for k in tailored["keywords"] if k["keyword"] == "developer experience")
    assert dx["found"] and dx["where"] == ["meta.staffpath.keywords[1]"]


def test_gap_empty_posting(tmp_path: Path) -> None:
    empty = tmp_path / "job.txt"
    empty.write_text("  \n")
    result = runner.invoke(app, ["resume", "gap", RESUME, "--job", str(empty)])
    assert result.exit_code == 1
    assert "the job posting is empty" in result.output


@pytest.mark.parametrize("template", ["classic", "compact"])
def test_pdf_with_check(template: str, tmp_path: Path) -> None:
    out = tmp_path / "resume.pdf"
    args = [
        "resume",
        "pdf",
        RESUME,
        "-v",
        STAFF,
        "-t",
        template,
        "--check",
        "-o",
        str(out),
        "--json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["ats"]["passed"] and data["ats"]["checked"] == 67
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert "Staff Backend Engineer, Platform" in reader.pages[0].extract_text()


def test_pdf_bad_template(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["resume", "pdf", RESUME, "-t", "fancy", "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 1
    assert "--template: expected one of classic, compact, found 'fancy'" in result.output


def test_ats_passes_and_fails(tmp_path: Path) -> None:
    out = tmp_path / "staff.pdf"
    assert runner.invoke(app, ["resume", "pdf", RESUME, "-v", STAFF, "-o", str(out)]).exit_code == 0
    ok = runner.invoke(app, ["resume", "ats", str(out), "--resume", RESUME, "--variant", STAFF])
    assert ok.exit_code == 0, ok.output
    assert ok.output == "ATS check: passed, all 67 fields read back in order\n"
    wrong = runner.invoke(app, ["resume", "ats", str(out), "--resume", RESUME, "--json"])
    assert wrong.exit_code == 1
    data = json.loads(wrong.output)
    assert not data["passed"]
    assert {"where": "Volunteering / heading", "text": "Volunteering", "status": "missing"} in data[
        "problems"
    ]


def test_ats_not_a_pdf(tmp_path: Path) -> None:
    fake = tmp_path / "x.pdf"
    fake.write_text("hello")
    result = runner.invoke(app, ["resume", "ats", str(fake), "--resume", RESUME])
    assert result.exit_code == 1
    assert "not a readable PDF" in result.output


def test_rendercv_to_file(tmp_path: Path) -> None:
    out = tmp_path / "cv.yaml"
    result = runner.invoke(app, ["resume", "rendercv", RESUME, "-o", str(out)])
    assert result.exit_code == 0, result.output
    golden = ROOT / "tests" / "career" / "resume" / "golden" / "rendercv-example.yaml"
    assert out.read_text() == golden.read_text()


def test_every_command_has_an_example() -> None:
    for command in ("check", "tailor", "gap", "pdf", "ats", "rendercv"):
        result = runner.invoke(app, ["resume", command, "--help"], env=WIDE)
        assert result.exit_code == 0
        assert "staffpath resume " + command in result.output


def doc_commands() -> list[str]:
    text = (ROOT / "docs" / "resume.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
    return [line for block in blocks for line in block.splitlines() if line.startswith("staffpath")]


def test_docs_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command in docs/resume.md's bash blocks runs and succeeds, in order."""
    shutil.copytree(ROOT / "examples" / "career", tmp_path / "examples" / "career")
    monkeypatch.chdir(tmp_path)
    lines = doc_commands()
    assert len(lines) >= 6
    for line in lines:
        result = runner.invoke(app, shlex.split(line)[1:])
        assert result.exit_code == 0, f"{line}\n{result.output}"
    assert (tmp_path / "staff.pdf").exists() and (tmp_path / "cv.yaml").exists()


def test_pdf_adds_the_passed_certificates(tmp_path: Path) -> None:
    career = ROOT / "examples" / "career"
    out = tmp_path / "r.pdf"
    args = ["resume", "pdf", str(career / "resume.json"), "-o", str(out)]
    certs = ["--certifications", str(career / "certifications.yaml")]
    result = runner.invoke(app, [*args, *certs])
    assert result.exit_code == 0, result.output
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    assert "Solutions Architect" in text and "Kubernetes Application Developer" in text
