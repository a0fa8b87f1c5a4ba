"""The JSON API end to end in process: designs, versions, the engine, jobs, exports."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from staffpath.design.load import load_text
from staffpath.engine.analyze import analyze
from staffpath.web.api import BLANK
from tests.conftest import ROOT

SHORTENER = (ROOT / "examples" / "url-shortener.yaml").read_text()


def new(client: TestClient, **body: Any) -> dict[str, Any]:
    r = client.post("/api/designs", json=body or {"example": "url-shortener"})
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def wait(client: TestClient, job: str) -> dict[str, Any]:
    for _ in range(600):
        view: dict[str, Any] = client.get(f"/api/jobs/{job}").json()
        if view["state"] in ("done", "failed"):
            return view
        time.sleep(0.05)
    raise AssertionError("the job did not finish in 30 s")


def test_examples_are_listed_with_their_titles(client: TestClient) -> None:
    names = {e["name"]: e["title"] for e in client.get("/api/examples").json()}
    assert names["url-shortener"] == "URL shortener"
    assert len(names) == len(list((ROOT / "examples").glob("*.yaml")))


def test_a_new_design_carries_the_engines_headline_figures(client: TestClient) -> None:
    d = new(client)
    a = analyze(load_text(SHORTENER).design)
    assert d["name"] == "URL shortener" and d["version"] == 1 and d["valid"]
    assert d["meets_goals"] is a.meets_goals
    assert d["cost_per_month"] == a.cost_per_month
    assert d["worst_p99_ms"] == max(f.p99_ms for f in a.flows.values() if f.p99_ms)
    assert [x["id"] for x in client.get("/api/designs").json()] == [d["id"]]


def test_blank_and_raw_text_and_broken_text_all_save(client: TestClient) -> None:
    blank = new(client, name="mine")
    assert blank["name"] == "mine" and blank["valid"]
    broken = new(client, yaml="name: [unclosed\n")
    assert broken["valid"] is False and broken["meets_goals"] is None
    assert broken["name"] == "untitled"


def test_edit_history_diff_and_restore(client: TestClient) -> None:
    d = new(client)
    url = f"/api/designs/{d['id']}"
    text = client.get(url).json()["yaml"]
    assert text == SHORTENER  # kept exactly, comments and all
    edited = text.replace("replicas: 21", "replicas: 30")
    saved = client.put(url, json={"yaml": edited}).json()
    assert saved["version"] == 2 and saved["cost_per_month"] > d["cost_per_month"]
    diff = client.get(f"{url}/diff", params={"a": 1, "b": 2}).json()["diff"]
    assert "-    replicas: 21" in diff and "+    replicas: 30" in diff
    restored = client.post(f"{url}/versions/1/restore").json()
    assert restored["number"] == 3 and restored["note"] == "restored version 1"
    assert client.get(url).json()["yaml"] == SHORTENER
    assert [v["number"] for v in client.get(f"{url}/versions").json()] == [3, 2, 1]
    assert client.get(f"{url}/versions/2").json()["yaml"] == edited


def test_delete_then_undo(client: TestClient) -> None:
    d = new(client)
    assert client.delete(f"/api/designs/{d['id']}").status_code == 204
    assert client.get("/api/designs").json() == []
    assert client.get(f"/api/designs/{d['id']}").status_code == 404
    assert client.post(f"/api/designs/{d['id']}/undelete").status_code == 200
    assert len(client.get("/api/designs").json()) == 1


def test_the_library_comes_a_page_at_a_time(client: TestClient) -> None:
    """Most recently changed first, ``limit`` from ``offset``; the pages tile the whole list
    (no row twice, none lost) and ``X-Total-Count`` counts it; deleted designs are not in it."""
    made = [new(client, yaml=f"name: d{i}\n")["id"] for i in range(7)]
    client.delete(f"/api/designs/{made[3]}")
    client.put(f"/api/designs/{made[0]}", json={"yaml": "name: d0 again\n"})  # now the newest
    whole = client.get("/api/designs", params={"limit": 1000})
    assert whole.headers["X-Total-Count"] == "6"
    assert [d["id"] for d in whole.json()] == [made[0], made[6], made[5], made[4], made[2], made[1]]
    pages = []
    for offset in range(0, 8, 3):
        r = client.get("/api/designs", params={"limit": 3, "offset": offset})
        assert r.status_code == 200 and r.headers["X-Total-Count"] == "6"
        pages.append([d["id"] for d in r.json()])
    assert pages == [[made[0], made[6], made[5]], [made[4], made[2], made[1]], []]
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}, {"limit": "x"}, {"offset": 2**63}):
        assert client.get("/api/designs", params=bad).status_code == 422, bad  # 2**63: was a 500
    far = client.get("/api/designs", params={"offset": 2**53 - 1})
    assert far.status_code == 200 and far.json() == []


def test_the_library_finds_designs_by_name(client: TestClient) -> None:
    """``q`` keeps the designs whose name holds it, in any case; ``%`` and ``_`` are plain
    characters, not SQL wildcards; the total and the pages follow the filter."""
    names = ["Chat service", "Group CHAT", "Payments", "100% uptime", "rate_limiter", "ratelimiter"]
    for name in names:
        new(client, yaml=BLANK.replace("New design", name))

    def found(**params: object) -> tuple[list[str], str]:
        r = client.get("/api/designs", params=params)
        assert r.status_code == 200, r.text
        return [d["name"] for d in r.json()], r.headers["X-Total-Count"]

    assert found(q="chat") == (["Group CHAT", "Chat service"], "2")
    assert found(q="%") == (["100% uptime"], "1")
    assert found(q="_") == (["rate_limiter"], "1")
    assert found(q="rate_l") == (["rate_limiter"], "1")
    assert found(q="nothing like it") == ([], "0")
    assert found(q="") == (names[::-1], "6")  # an empty search is no search
    assert found(q="a", limit=2, offset=2)[1] == "5"
    assert client.get("/api/designs", params={"q": "x" * 201}).status_code == 422


def test_the_library_shows_a_hundred_unless_asked(client: TestClient) -> None:
    made = [new(client, yaml=f"name: d{i}\n")["id"] for i in range(101)]
    r = client.get("/api/designs")
    assert r.headers["X-Total-Count"] == "101"
    assert [d["id"] for d in r.json()] == made[:0:-1]  # the newest 100


def test_duplicate(client: TestClient) -> None:
    d = new(client)
    copy = client.post(f"/api/designs/{d['id']}/duplicate").json()
    assert copy["id"] != d["id"] and copy["name"] == "URL shortener (copy)"


def test_check_and_analyze_report_problems_like_the_cli(client: TestClient) -> None:
    bad = SHORTENER.replace("kind: service", "kind: servce", 1)
    line = bad.splitlines().index("    kind: servce") + 1
    for route in ("/api/check", "/api/analyze"):
        r = client.post(route, json={"yaml": bad})
        assert r.status_code == 422
        (p,) = [p for p in r.json()["problems"] if p["severity"] == "error"]
        assert (p["line"], p["column"], p["path"]) == (line, 11, "components.api.kind")
        assert p["hint"] == "did you mean 'service'?"
    ok = client.post("/api/analyze", json={"yaml": SHORTENER}).json()
    assert ok["ok"] and ok["analysis"] == analyze(load_text(SHORTENER).design).model_dump(
        mode="json"
    )


def test_analyze_at_another_rate(client: TestClient) -> None:
    r = client.post("/api/analyze", json={"yaml": SHORTENER, "at": "10k/s"})
    assert r.json()["analysis"]["peak_rps"] == 10_000
    assert client.post("/api/analyze", json={"yaml": SHORTENER, "at": "fast"}).status_code == 422


def test_diagram_is_svg(client: TestClient) -> None:
    r = client.post("/api/diagram", json={"yaml": SHORTENER})
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.lstrip().startswith("<svg") and "api" in r.text


def test_steady_simulation_job(client: TestClient) -> None:
    d = new(client)
    r = client.post(f"/api/designs/{d['id']}/simulations", json={"requests": 20_000})
    assert r.status_code == 202
    view = wait(client, r.json()["id"])
    assert view["state"] == "done", view["error"]
    sim = view["result"]["simulation"]
    assert sim["requests"] == 20_000 and view["result"]["window"] is None
    assert set(sim["flows"]) == {"redirect", "create"}


def test_failure_simulation_job_shows_the_window(client: TestClient) -> None:
    d = new(client)
    r = client.post(f"/api/designs/{d['id']}/simulations", json={"failure": 0, "requests": 50_000})
    view = wait(client, r.json()["id"])
    window = view["result"]["window"]
    assert window["label"] == "db.primary killed (failover 1.5min)" and window["cut"]
    errors = sum(sum(b["errors"].values()) for b in view["result"]["simulation"]["timeline"])
    assert errors > 0  # writes fail while the primary is down


def test_simulation_asks_for_a_failure_the_design_has(client: TestClient) -> None:
    d = new(client)
    r = client.post(f"/api/designs/{d['id']}/simulations", json={"failure": 9})
    assert r.status_code == 422 and "3 failure(s)" in r.json()["detail"]


def test_compare_two_versions(client: TestClient) -> None:
    d = new(client)
    url = f"/api/designs/{d['id']}"
    client.put(url, json={"yaml": SHORTENER.replace("replicas: 21", "replicas: 42")})
    r = client.post(
        "/api/compare",
        json={"items": [{"design_id": d["id"], "version": 1}, {"design_id": d["id"]}]},
    )
    body = r.json()
    assert r.status_code == 200 and body["markdown"].startswith("### Design comparison")
    labels = [x["label"] for x in body["comparison"]["designs"]]
    assert labels == ["URL shortener v1", "URL shortener"]


def test_exports(client: TestClient) -> None:
    d = new(client)
    url = f"/api/designs/{d['id']}/export"
    r = client.get(url, params={"format": "yaml"})
    assert r.text == SHORTENER
    assert 'filename="url-shortener.yaml"' in r.headers["content-disposition"]
    assert client.get(url, params={"format": "md"}).text.startswith("# URL shortener")
    assert "<svg" in client.get(url, params={"format": "html"}).text
    assert client.get(url, params={"format": "pdf"}).content.startswith(b"%PDF")
    z = zipfile.ZipFile(io.BytesIO(client.get(url, params={"format": "zip"}).content))
    assert "url-shortener/design.html" in z.namelist()
    assert client.get(url, params={"format": "docx"}).status_code == 422


def test_the_schema_is_served_for_editor_completion(client: TestClient) -> None:
    from staffpath.design.schema import design_schema

    assert client.get("/api/schema").json() == design_schema()


def test_a_write_is_visible_to_the_very_next_read(client: TestClient) -> None:
    d = new(client)
    for _ in range(5):
        copy = client.post(f"/api/designs/{d['id']}/duplicate").json()
        assert copy["id"] in [x["id"] for x in client.get("/api/designs").json()]
        client.delete(f"/api/designs/{copy['id']}")
        assert copy["id"] not in [x["id"] for x in client.get("/api/designs").json()]


def test_times_carry_their_offset(client: TestClient) -> None:
    d = new(client)
    assert d["updated_at"].endswith("+00:00")
    (v,) = client.get(f"/api/designs/{d['id']}/versions").json()
    assert v["created_at"].endswith("+00:00")


TOO_BIG = str(2**64)  # what Schemathesis sent: the driver raised OverflowError (a 500)


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", f"/api/designs/{TOO_BIG}", None),
        ("delete", f"/api/designs/{TOO_BIG}", None),
        ("get", f"/api/designs/1/versions/{TOO_BIG}", None),
        ("get", f"/api/designs/1/diff?a={TOO_BIG}&b=1", None),
        ("get", f"/api/designs/1/export?version={TOO_BIG}", None),
        ("post", "/api/compare", {"items": [{"design_id": 2**64}, {"design_id": 1}]}),
        ("get", f"/api/stories/{TOO_BIG}", None),
        ("get", f"/api/interviews/{TOO_BIG}", None),
        ("get", f"/api/career/resume/{TOO_BIG}", None),
        ("delete", f"/api/shares/{TOO_BIG}", None),
        ("post", f"/api/mentors/{TOO_BIG}/accept", None),
    ],
)
def test_an_id_too_big_for_the_database_is_a_422(
    client: TestClient, method: str, url: str, body: Any
) -> None:
    """Found by Schemathesis: an id beyond 64 bits reached SQLite and came back a 500."""
    r = client.request(method, url, json=body)
    assert r.status_code == 422, r.text
    assert "less than or equal to 9007199254740991" in r.text


def test_the_largest_id_is_simply_not_found(client: TestClient) -> None:
    assert client.get(f"/api/designs/{2**53 - 1}").status_code == 404
    assert client.get(f"/api/designs/{-(2**53 - 1)}").status_code == 404


def test_openapi_lists_the_media_types_of_files(client: TestClient) -> None:
    """Found by Schemathesis (ST105): an export answered application/yaml, declared JSON."""
    paths = client.get("/openapi.json").json()["paths"]
    export = paths["/api/designs/{design_id}/export"]["get"]["responses"]["200"]["content"]
    assert {"application/yaml", "text/markdown", "text/html", "application/pdf"} <= set(export)
    assert {"image/svg+xml", "application/zip"} <= set(export)
    assert "image/svg+xml" in paths["/api/diagram"]["post"]["responses"]["200"]["content"]
    r = client.post("/api/designs", json={"example": "url-shortener"})
    design = r.json()["id"]
    for fmt, media in [("yaml", "application/yaml"), ("md", "text/markdown")]:
        got = client.get(f"/api/designs/{design}/export?format={fmt}")
        assert got.headers["content-type"].split(";")[0] == media
        assert media in export
