"""The installed ``staffpath`` console script, run as a user would run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXE = shutil.which("staffpath", path=str(Path(sys.executable).parent)) or "staffpath"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [EXE, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )


def test_check_all_examples() -> None:
    examples = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*.yaml"))
    assert len(examples) >= 6
    result = run("check", *examples)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("\nok ") + result.stdout.startswith("ok ") == len(examples)


def test_user_error_has_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    result = run("check", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{bad}:2:1: YAML syntax error" in result.stdout


@pytest.mark.parametrize(
    "args", [["--help"], ["check", "--help"], ["schema", "--help"], ["demo", "--help"]]
)
def test_help_pages_have_examples(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 0
    assert "Usage" in result.stdout
    if args != ["--help"]:
        assert "staffpath " in result.stdout.split("Usage", 1)[1]


def test_check_and_analyze_never_import_the_simulators_compiler() -> None:
    """The CLI starts without the heavy imports: numba (the simulator), and textstat with nltk
    and scipy.stats (the review coach), which cost about a second of every command."""
    probe = (
        "import sys, staffpath.cli.app, staffpath.engine.analyze; "
        "print(sorted(m for m in ('numba', 'textstat', 'nltk', 'scipy.stats') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
