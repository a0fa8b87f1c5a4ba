"""The practice API: stories stored and checked, coverage, flashcards scheduled through the
shared store, Anki export, the review coach and katas; bad input is a 4xx that says why."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient

from staffpath.practice.cards import load_deck
from staffpath.practice.problems import design_text
from tests.conftest import ROOT

STORIES = ROOT / "examples" / "stories"


def add(client: TestClient, name: str) -> dict[str, Any]:
    path = STORIES / name
    fmt = "markdown" if path.suffix == ".md" else "yaml"
    r = client.post("/api/stories", json={"text": path.read_text(), "format": fmt})
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def test_a_story_is_stored_as_written_and_checked(client: TestClient) -> None:
    story = add(client, "billing-migration.yaml")
    assert story["title"] == "Moving billing off the shared database"
    assert story["text"] == (STORIES / "billing-migration.yaml").read_text()
    assert story["check"]["strength"] == "strong" and story["check"]["score"] == 100
    md = add(client, "flaky-deploys.md")
    assert md["format"] == "markdown"
    listed = client.get("/api/stories").json()
    assert [s["id"] for s in listed] == [md["id"], story["id"]]  # newest first
    assert "text" not in listed[0]


def test_editing_a_story_rechecks_it_and_a_broken_one_is_refused(client: TestClient) -> None:
    story = add(client, "billing-migration.yaml")
    url = f"/api/stories/{story['id']}"
    data = yaml.safe_load(story["text"])
    data["result"] = "It went well and everyone was happy with how it turned out in the end."
    data["metrics"] = []
    r = client.put(url, json={"text": yaml.safe_dump(data), "format": "yaml"})
    assert r.status_code == 200, r.text
    measurable = next(f for f in r.json()["check"]["findings"] if f["rule"] == "measurable")
    assert measurable["passed"] is False and measurable["suggestion"]
    before = client.get(url).json()["text"]
    bad = client.put(url, json={"text": "title: [unclosed", "format": "yaml"})
    assert bad.status_code == 422 and "line 1" in bad.json()["detail"]
    wrong = client.put(url, json={"text": "title: x\nsituaton: typo\n", "format": "yaml"})
    assert wrong.status_code == 422 and "situaton" in wrong.json()["detail"]
    assert client.get(url).json()["text"] == before  # nothing half-saved


def test_check_without_storing_and_the_starter(client: TestClient) -> None:
    starter = client.get("/api/stories/starter").json()
    checked = client.post("/api/stories/check", json={"text": starter["text"]}).json()
    assert checked["strength"] == "weak"
    assert client.get("/api/stories").json() == []


def test_delete_and_undelete(client: TestClient) -> None:
    story = add(client, "billing-migration.yaml")
    url = f"/api/stories/{story['id']}"
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404 and client.get("/api/stories").json() == []
    assert client.post(f"{url}/undelete").json()["id"] == story["id"]
    assert client.get("/api/stories/9999").status_code == 404


def test_coverage_and_rehearsal_questions(client: TestClient) -> None:
    add(client, "billing-migration.yaml")
    cov = client.get("/api/stories/coverage").json()
    assert cov["competencies"]["delivery"]["status"] == "strong"
    assert cov["competencies"]["conflict"]["status"] == "gap"
    q = next(q for q in cov["questions"] if q["id"] == "delivery-large-migration")
    assert q["status"] == "strong" and q["match"] == "named"
    one = client.get("/api/stories/question", params={"seed": 7}).json()
    assert one == client.get("/api/stories/question", params={"seed": 7}).json()
    conflict = client.get("/api/stories/question", params={"competency": "conflict"}).json()
    assert "conflict" in conflict["competencies"]
    bad = client.get("/api/stories/question", params={"competency": "bravery"})
    assert bad.status_code == 422 and "bravery" in bad.json()["detail"]


def test_export_gives_back_the_files(client: TestClient) -> None:
    add(client, "billing-migration.yaml")
    add(client, "flaky-deploys.md")
    r = client.get("/api/stories/export")
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        names = sorted(z.namelist())
        assert names == [
            "stories/making-deploys-boring-again.md",
            "stories/moving-billing-off-the-shared-database.yaml",
        ]
        assert z.read(names[0]).decode() == (STORIES / "flaky-deploys.md").read_text()


def test_a_review_reschedules_the_card_and_is_stored(client: TestClient, tmp_path: Path) -> None:
    decks = {d["id"]: d for d in client.get("/api/cards/decks").json()}
    assert decks["latency"]["due"] == decks["latency"]["cards"] == len(load_deck("latency").cards)
    queue = client.get("/api/cards/queue", params={"deck": "latency", "limit": 2}).json()
    assert queue["total"] == decks["latency"]["cards"] and len(queue["cards"]) == 2
    first = queue["cards"][0]
    r = client.post(f"/api/cards/{first['id']}/review", json={"rating": "good"})
    assert r.status_code == 200 and r.json()["reviews"] == 1
    after = client.get("/api/cards/queue", params={"deck": "latency"}).json()
    assert after["total"] == queue["total"] - 1 and first["id"] not in {
        c["id"] for c in after["cards"]
    }
    stats = client.get("/api/cards/stats", params={"deck": "latency"}).json()
    assert stats["reviews"] == 1 and stats["reviewed"] == 1
    db = tmp_path / "data" / "studio.db"
    if db.exists():  # SQLite: the rating is in the table the terminal reads too
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT card, rating FROM card_reviews").fetchall() == [
                (first["id"], 3)
            ]


def test_cram_and_deadline_queues_and_their_errors(client: TestClient) -> None:
    cram = client.get("/api/cards/queue", params={"deck": "caching", "mode": "cram"}).json()
    assert cram["total"] == len(load_deck("caching").cards)
    r = client.get("/api/cards/queue", params={"mode": "deadline"})
    assert r.status_code == 422 and "needs a date" in r.json()["detail"]
    r = client.get("/api/cards/queue", params={"mode": "deadline", "deadline": "2001-01-01"})
    assert r.status_code == 422 and "not in the future" in r.json()["detail"]
    r = client.get("/api/cards/queue", params={"mode": "deadline", "deadline": "soon"})
    assert r.status_code == 422
    assert client.get("/api/cards/queue", params={"deck": "nope"}).status_code == 404
    assert client.get("/api/cards/queue", params={"target": 2}).status_code == 422
    r = client.post("/api/cards/nope/review", json={"rating": "good"})
    assert r.status_code == 404
    r = client.post("/api/cards/lat-l1-cache/review", json={"rating": "perfect"})
    assert r.status_code == 422


def test_my_stories_and_missed_checkpoints_become_decks(client: TestClient) -> None:
    add(client, "billing-migration.yaml")
    iv = client.post("/api/interviews", json={"problem": "url-shortener", "minutes": 30}).json()
    naive = design_text("url-shortener", "naive")
    client.put(f"/api/interviews/{iv['id']}", json={"design_yaml": naive})
    report = client.post(f"/api/interviews/{iv['id']}/finish").json()
    failed = [s for s in report["grading"]["scenarios"] if not s["passed"]]
    decks = {d["id"]: d for d in client.get("/api/cards/decks").json()}
    assert decks["my-stories"]["mine"] and decks["my-stories"]["cards"] >= 1
    missed = client.get("/api/cards/queue", params={"deck": "missed-checkpoints"}).json()
    scenario_cards = [c for c in missed["cards"] if "-estimate-" not in c["id"]]
    assert len(scenario_cards) == len(failed) >= 1
    card = scenario_cards[0]
    assert client.post(f"/api/cards/{card['id']}/review", json={"rating": "again"}).is_success


def test_a_deck_exports_to_anki(client: TestClient) -> None:
    r = client.get("/api/cards/decks/latency/export")
    assert r.status_code == 200 and r.headers["content-type"] == "application/octet-stream"
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        assert "collection.anki2" in z.namelist()
    assert client.get("/api/cards/decks/nope/export").status_code == 404


def test_the_review_coach_and_a_kata(client: TestClient) -> None:
    report = client.post("/api/review/lint", json={"text": "just rename this"}).json()
    rules = {f["rule"] for c in report["comments"] for f in c["findings"]}
    assert {"label-missing", "belittling"} <= rules
    katas = client.get("/api/katas").json()
    assert len(katas) >= 15
    kata = client.get(f"/api/katas/{katas[0]['id']}").json()
    assert "explanation" not in str(kata) and kata["numbered"]
    empty = client.post(f"/api/katas/{kata['id']}/check", json={"text": ""})
    assert empty.status_code == 422, empty.text
    praise = "praise: the tests read well."
    result = client.post(f"/api/katas/{kata['id']}/check", json={"text": praise}).json()
    assert result["found"] == 0 and result["total"] == kata["problems"]
    assert client.get("/api/katas/nope").status_code == 404
    assert client.get("/api/katas/..%2F..%2Fquestions").status_code == 404


def test_pages_are_served(client: TestClient) -> None:
    for path in ("/stories", "/cards", "/review"):
        r = client.get(path)
        assert r.status_code == 200 and "<main" in r.text


def test_openapi_lists_the_media_types_of_exports(client: TestClient) -> None:
    """Found by Schemathesis (ST105): the zip and the Anki deck were declared as JSON."""
    paths = client.get("/openapi.json").json()["paths"]
    stories = paths["/api/stories/export"]["get"]["responses"]["200"]["content"]
    deck = paths["/api/cards/decks/{deck_id}/export"]["get"]["responses"]["200"]["content"]
    assert "application/zip" in stories and "application/octet-stream" in deck
    r = client.get("/api/stories/export")
    assert r.headers["content-type"] in stories


def test_text_the_database_cannot_store_is_a_422_not_a_500(
    client: TestClient, database_url: str
) -> None:
    """PostgreSQL refuses text holding NUL (SQLite keeps it): a 422 that says so, nothing
    stored; found by the sign-in fuzz (a NUL in a username) on PostgreSQL."""
    text = (STORIES / "flaky-deploys.md").read_text() + "\nA NUL here: \x00.\n"
    r = client.post("/api/stories", json={"text": text, "format": "markdown"})
    if database_url.startswith("postgresql"):
        assert r.status_code == 422, r.text
        assert "NUL" in r.json()["detail"]
        assert client.get("/api/stories").json() == []
    else:
        assert r.status_code == 201, r.text
        assert client.get(f"/api/stories/{r.json()['id']}").json()["text"] == text
