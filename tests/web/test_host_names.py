"""DNS rebinding (docs/security.md): a studio on loopback answers only to loopback names, so
a page of another site whose name was pointed at 127.0.0.1 is refused before it reaches a
route; ``--allowed-host`` and ``STAFFPATH_ALLOWED_HOSTS`` add names."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from staffpath.errors import InputError
from staffpath.web.app import create_app
from staffpath.web.settings import LOOPBACK_NAMES, Settings, host_allowed


def _build(tmp_path: Path, host: str = "127.0.0.1", *listed: str, env: str = "") -> Settings:
    environment = {"STAFFPATH_ALLOWED_HOSTS": env} if env else {}
    return Settings.build(data_dir=tmp_path, host=host, allowed_hosts=listed, env=environment)


def test_the_defaults(tmp_path: Path) -> None:
    assert _build(tmp_path).allowed_hosts == LOOPBACK_NAMES
    assert _build(tmp_path, "localhost").allowed_hosts == LOOPBACK_NAMES
    assert _build(tmp_path, "127.0.0.2").allowed_hosts == (*LOOPBACK_NAMES, "127.0.0.2")
    assert _build(tmp_path, "[::1]").allowed_hosts == LOOPBACK_NAMES
    assert _build(tmp_path, "0.0.0.0").allowed_hosts is None  # any: accounts guard it
    assert Settings(data_dir=tmp_path, database_url="sqlite://").allowed_hosts is None


def test_names_from_flags_and_the_environment(tmp_path: Path) -> None:
    assert _build(tmp_path, "127.0.0.1", "Studio.Internal").allowed_hosts == (
        *LOOPBACK_NAMES,
        "studio.internal",
    )
    assert _build(tmp_path, "0.0.0.0", env="a.example, *.corp.example").allowed_hosts == (
        "a.example",
        "*.corp.example",
    )
    assert _build(tmp_path, "0.0.0.0", "b.example", env="a.example").allowed_hosts == (
        "b.example",
    )  # the flag beats the environment
    assert _build(tmp_path, "127.0.0.1", "*").allowed_hosts is None
    assert _build(tmp_path, "0.0.0.0", "[fe80::1]").allowed_hosts == ("fe80::1",)


@pytest.mark.parametrize(
    "bad", ["http://a.example", "a.example:8000", "a.example/x", "*a.example", "a.*.example", ""]
)
def test_what_is_not_a_name_is_a_clear_error(tmp_path: Path, bad: str) -> None:
    with pytest.raises(InputError, match=r"--allowed-host: .* is not a host name"):
        _build(tmp_path, "127.0.0.1", bad)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("127.0.0.1", True),
        ("LOCALHOST", True),
        ("localhost.", True),  # the fully qualified form
        ("::1", True),
        ("[::1]", True),
        ("evil.example", False),
        ("localhost.evil.example", False),
        ("127.0.0.1.nip.io", False),
        ("", False),
        (None, False),
        ("x.corp.example", True),
        ("corp.example", False),  # *.corp.example is the names under it
        ("xcorp.example", False),
    ],
)
def test_matching(name: str | None, allowed: bool) -> None:
    assert host_allowed(name, (*LOOPBACK_NAMES, "*.corp.example")) is allowed


@pytest.fixture
def guarded(tmp_path: Path, database_url: str) -> TestClient:
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database_url, allowed_hosts=LOOPBACK_NAMES
    )
    return TestClient(create_app(settings), base_url="http://127.0.0.1:8000")


def test_a_rebound_name_reaches_no_route(guarded: TestClient) -> None:
    with guarded as c:
        assert c.get("/api/designs").status_code == 200
        assert c.get("/api/designs", headers={"host": "[::1]:8000"}).status_code == 200
        assert c.get("/", headers={"host": "localhost:8000"}).status_code == 200
        for method, path in [("GET", "/api/designs"), ("POST", "/api/designs"), ("GET", "/")]:
            r = c.request(method, path, headers={"host": "rebind.example:8000"}, json={})
            assert r.status_code == 400
            assert "DNS rebinding" in r.json()["detail"]
            assert "--allowed-host rebind.example" in r.json()["detail"]
            assert r.headers["x-content-type-options"] == "nosniff"  # still our headers
        assert c.get("/api/designs").json() == []  # the refused POST made nothing
