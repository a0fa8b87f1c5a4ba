"""House rules that keep the code base navigable: tests mirror the package; layers point down."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

SRC = ROOT / "src" / "staffpath"
# Modules whose behaviour is tested through another module's tests (named here on purpose).
COVERED_ELSEWHERE = {
    "__init__.py",
    "errors.py",
    "cli/errors.py",
    "cli/app.py",
    "cli/__main__.py",
    "cli/files.py",
    "cli/database.py",
    "design/quantities.py",
    "design/dump.py",
    "design/schema.py",
    "design/summary.py",
    "design/checks.py",
    "design/model.py",
    "store/models.py",
    "store/migrations/env.py",
    "store/migrations/versions/0001_designs.py",
    "store/migrations/versions/0002_interviews.py",
    "store/migrations/versions/0003_documents_cards.py",
}


def test_tests_mirror_the_package() -> None:
    missing = []
    for module in sorted(SRC.rglob("*.py")):
        rel = module.relative_to(SRC).as_posix()
        if rel in COVERED_ELSEWHERE or module.name == "__init__.py":
            continue
        expected = ROOT / "tests" / Path(rel).parent / f"test_{module.name}"
        if not expected.exists():
            missing.append(f"{rel} -> {expected.relative_to(ROOT)}")
    assert not missing, "modules without a mirrored test file: " + ", ".join(missing)


LOWER = {
    "units": 0,
    "errors": 0,
    "design": 1,
    "engine": 2,
    "report": 3,
    "practice": 3,
    "career": 3,
    "store": 4,
    "cli": 5,
    "web": 5,
}


def test_imports_point_down_the_layers() -> None:
    offenders = []
    for module in SRC.rglob("*.py"):
        parts = module.relative_to(SRC).parts
        layer = parts[0].removesuffix(".py")
        if layer not in LOWER:
            continue
        for node in ast.walk(ast.parse(module.read_text())):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("staffpath.")
            ):
                target = node.module.split(".")[1]
                if target in LOWER and LOWER[target] > LOWER[layer]:
                    offenders.append(f"{module.relative_to(SRC)} imports {node.module}")
    assert not offenders, offenders
