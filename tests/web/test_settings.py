"""Settings: defaults < environment < flags."""

from __future__ import annotations

from pathlib import Path

from staffpath.web.settings import Settings


def test_sqlite_in_the_data_folder_by_default(tmp_path: Path) -> None:
    s = Settings.build(data_dir=tmp_path, env={})
    assert s.database_url == f"sqlite:///{tmp_path / 'studio.db'}"
    assert (s.host, s.port) == ("127.0.0.1", 8000)


def test_environment_names_the_folder_and_the_database(tmp_path: Path) -> None:
    env = {"STAFFPATH_DATA_DIR": str(tmp_path), "STAFFPATH_DATABASE_URL": "postgresql://x/y"}
    s = Settings.build(env=env)
    assert s.data_dir == tmp_path and s.database_url == "postgresql://x/y"


def test_a_flag_beats_the_environment(tmp_path: Path) -> None:
    s = Settings.build(data_dir=tmp_path / "flag", env={"STAFFPATH_DATA_DIR": str(tmp_path)})
    assert s.data_dir == tmp_path / "flag"
