"""Every way a user's file can fail to read is one clear InputError."""

from __future__ import annotations

from pathlib import Path

import pytest

from staffpath.errors import InputError
from staffpath.textfile import read_text


def test_the_text(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: é\n", encoding="utf-8")
    assert read_text(tmp_path / "a.yaml") == "x: é\n"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.yaml", "missing.yaml: no such file (run init)"),
        ("folder", "folder: is a folder; give the log file"),
        ("latin1.yaml", "latin1.yaml: not UTF-8 text"),
    ],
)
def test_failures(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "latin1.yaml").write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(InputError) as exc:
        read_text(tmp_path / name, what="log file", missing="run init")
    assert str(exc.value) == f"{tmp_path}/{message}"
