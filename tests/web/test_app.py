"""Whatever a client sends, the answer is a clear 4xx, never a 500; pages exist."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("method", "url", "body", "status"),
    [
        ("post", "/api/analyze", b"{not json", 422),
        ("post", "/api/analyze", b"[]", 422),
        ("post", "/api/analyze", b'{"yaml": 5}', 422),
        ("post", "/api/analyze", b'{"yaml": "x", "extra": 1}', 422),
        ("post", "/api/designs", b'{"example": "nope"}', 404),
        ("put", "/api/designs/404", b'{"yaml": "x"}', 404),
        ("get", "/api/designs/abc", None, 422),
        ("get", "/api/designs/404/versions/1", None, 404),
        ("get", "/api/designs/404/diff?a=1&b=2", None, 404),
        ("get", "/api/jobs/nope", None, 404),
        ("post", "/api/compare", b'{"items": [{"design_id": 1}]}', 422),
        ("post", "/api/compare", b'{"items": [{"design_id": 404}, {"design_id": 405}]}', 404),
        ("post", "/api/designs/404/simulations", b"{}", 404),
        ("delete", "/api/designs/404", None, 404),
        ("get", "/designs/404", None, 404),
    ],
)
def test_bad_requests_get_clear_answers(
    client: TestClient, method: str, url: str, body: bytes | None, status: int
) -> None:
    r = client.request(
        method, url, content=body, headers={"content-type": "application/json"} if body else {}
    )
    assert r.status_code == status, r.text
    assert r.json().get("detail")


def test_validation_errors_name_the_field(client: TestClient) -> None:
    r = client.post("/api/analyze", json={"yaml": 5})
    assert r.json()["errors"][0]["path"] == "yaml"


def test_a_huge_body_is_refused_before_it_is_read(client: TestClient) -> None:
    r = client.post(
        "/api/analyze", content=b"x" * (2 << 20), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413 and "KiB" in r.json()["detail"]


def test_a_design_too_large_for_the_language_is_refused(client: TestClient) -> None:
    r = client.post("/api/analyze", json={"yaml": "#" * (300 * 1024)})
    assert r.status_code == 422


def test_openapi_describes_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/designs", "/api/analyze", "/api/compare", "/api/jobs/{job_id}"} <= set(paths)
    assert "/" not in paths  # pages are not part of the API


def test_pages_render(client: TestClient) -> None:
    r = client.post("/api/designs", json={"example": "url-shortener"})
    i = r.json()["id"]
    for url in ("/", f"/designs/{i}", f"/designs/{i}/simulate", f"/compare?a={i}&b={i}"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.headers["content-type"].startswith("text/html")
