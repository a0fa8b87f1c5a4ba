"""``staffpath serve`` starts the studio, prints its address, and answers on it."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from staffpath.cli.app import app
from tests.servers import serve


def test_serves_the_studio_on_a_fresh_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with serve(data) as served:
        with urllib.request.urlopen(f"{served.base}/api/examples") as r:
            assert b"url-shortener" in r.read()
        assert (data / "studio.db").exists()
    assert f"{served.base}/" in served.output[0]


def test_a_bad_port_is_a_clear_error() -> None:
    result = CliRunner().invoke(app, ["serve", "--no-open", "--port", "0"])
    assert result.exit_code == 1 and "not a port number" in result.output
