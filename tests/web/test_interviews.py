"""The interview API: the candidate never sees what is hidden; the interviewer's key does."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from staffpath.practice.problems import design_text


def start(client: TestClient) -> dict[str, Any]:
    r = client.post("/api/interviews", json={"problem": "url-shortener", "minutes": 30})
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def test_a_whole_interview_through_the_api(client: TestClient) -> None:
    iv = start(client)
    url = f"/api/interviews/{iv['id']}"
    assert iv["interviewer_url"].endswith(f"key={iv['key']}")
    answer = client.post(f"{url}/questions", json={"question": "How long are links kept?"}).json()
    assert answer["answer"] == "Links are kept for ten years; no deletion."
    body = {
        "estimates": {"writes_per_s": "1.2k/s", "records": "365B", "storage_bytes": 36.5e12},
        "notes": "cache first",
        "design_yaml": design_text("url-shortener", "reference"),
    }
    saved = client.put(url, json=body).json()
    assert saved["estimates"]["records"] == 365e9 and saved["notes"] == "cache first"
    assert client.post(f"{url}/phase").json()["current_phase"] == "estimation"
    curve = client.post(f"{url}/curveball").json()
    assert {"name", "passed", "reasons"} <= set(curve)
    report = client.post(f"{url}/finish").json()
    assert report["grading"]["passed"] is True and report["rubric"]["deep_dive"]["staff"]
    assert client.post(f"{url}/phase").status_code == 409
    (row,) = client.get("/api/interviews").json()
    assert row["score"] == report["grading"]["score"] and row["finished_at"]


def test_hidden_parts_need_the_interviewers_key(client: TestClient) -> None:
    iv = start(client)
    url = f"/api/interviews/{iv['id']}"
    candidate = client.get(url).json()
    assert not {"scenarios", "rubric", "clarifications", "key"} & set(candidate)
    assert client.get(url, params={"key": "wrong"}).status_code == 403
    interviewer = client.get(url, params={"key": iv["key"]}).json()
    assert interviewer["scenarios"] and interviewer["rubric"] and interviewer["clarifications"]
    r = client.put(
        f"{url}/interviewer",
        params={"key": iv["key"]},
        json={"scores": {"api": 3}, "interviewer_notes": "ok"},
    )
    assert r.json()["scores"] == {"api": 3}
    bad = client.put(f"{url}/interviewer", params={"key": iv["key"]}, json={"scores": {"nope": 3}})
    assert bad.status_code == 422
    assert client.put(f"{url}/interviewer", params={"key": "x"}, json={}).status_code == 403


def test_bad_input_gets_clear_answers(client: TestClient) -> None:
    assert client.post("/api/interviews", json={"problem": "nope"}).status_code == 404
    assert (
        client.post("/api/interviews", json={"problem": "url-shortener", "minutes": 5}).status_code
        == 422
    )
    iv = start(client)
    url = f"/api/interviews/{iv['id']}"
    r = client.put(url, json={"estimates": {"records": "lots"}})
    assert r.status_code == 422 and "records" in r.json()["detail"]
    assert client.put(url, json={"estimates": {"nope": 1}}).status_code == 422
    client.put(url, json={"design_yaml": "name: [broken"})
    assert client.post(f"{url}/curveball").status_code == 422
    assert client.get("/api/interviews/999").status_code == 404
    assert client.get(f"/interviews/{iv['id']}/interviewer", params={"key": "x"}).status_code == 403


def test_problems_are_listed_for_the_start_form(client: TestClient) -> None:
    rows = client.get("/api/problems").json()
    assert "url-shortener" in [r["id"] for r in rows]
