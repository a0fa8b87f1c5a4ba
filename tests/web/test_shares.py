"""Sharing through the API (goals AZ-2, AZ-3): a share marks the recipient's list, a viewer
reads and exports but may not save, an editor saves but may not delete or share again, a
revocation counts from the next request, mentors see what is shared with mentors, and an
interview peer has the interviewer's view of one interview (without its key)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from staffpath.store.models import InterviewRow
from staffpath.web.api import BLANK
from tests.web.multiuser import Studio, studio

DESIGN = BLANK.replace("name: New design", "name: Shared design")  # the studio's blank design


@pytest.fixture
def s(database_url: str, tmp_path: Path) -> Iterator[Studio]:
    with studio(database_url, tmp_path) as made:
        for name in ("ada", "bob", "cy"):
            made.add_user(name)
        yield made


def test_viewer_editor_and_revocation(s: Studio) -> None:
    ada, bob, cy = s.sign_in("ada"), s.sign_in("bob"), s.sign_in("cy")
    d = ada.post("/api/designs", json={"yaml": DESIGN}).json()["id"]
    assert bob.get(f"/api/designs/{d}").status_code == 404
    made = ada.post("/api/shares", json={"object": "design", "id": d, "user": "bob"})
    assert made.status_code == 201, made.text
    share = made.json()
    assert share["role"] == "viewer" and share["user"] == "bob" and share["name"] == "Shared design"
    listed = bob.get("/api/designs").json()
    assert [(x["id"], x["shared_by"], x["role"]) for x in listed] == [(d, "ada", "viewer")]
    assert "shared_by" not in ada.get("/api/designs").json()[0]
    assert bob.get(f"/api/designs/{d}/export").text == DESIGN
    assert bob.put(f"/api/designs/{d}", json={"yaml": DESIGN + "#\n"}).status_code == 403
    assert cy.get(f"/api/designs/{d}").status_code == 404
    assert bob.get("/api/shares").json()["received"][0]["id"] == share["id"]
    # the editor saves, and may neither delete nor share again
    again = ada.post(
        "/api/shares", json={"object": "design", "id": d, "user": "bob", "role": "editor"}
    )
    assert again.status_code == 200 and again.json()["id"] == share["id"]
    saved = bob.put(f"/api/designs/{d}", json={"yaml": DESIGN + "#\n"})
    assert saved.status_code == 200 and saved.json()["version"] == 2
    assert bob.delete(f"/api/designs/{d}").status_code == 403
    resh = bob.post("/api/shares", json={"object": "design", "id": d, "user": "cy"})
    assert resh.status_code == 403
    assert bob.delete(f"/api/shares/{share['id']}").status_code == 403
    assert cy.delete(f"/api/shares/{share['id']}").status_code == 404
    # revoked: the very next request is a 404, and the list forgets it
    assert ada.delete(f"/api/shares/{share['id']}").status_code == 204
    assert bob.get(f"/api/designs/{d}").status_code == 404
    assert bob.get("/api/designs").json() == []
    # a story is shared as "story", a career document as "document" (not the other way)
    wrong = ada.post("/api/shares", json={"object": "story", "id": d, "user": "bob"})
    assert wrong.status_code == 404
    assert ada.post("/api/shares", json={"object": "design", "id": d}).status_code == 422
    assert (
        ada.post("/api/shares", json={"object": "design", "id": d, "user": "nobody"}).status_code
        == 422
    )


def test_mentors_see_what_is_shared_with_mentors(s: Studio) -> None:
    ada, bob, cy = s.sign_in("ada"), s.sign_in("bob"), s.sign_in("cy")
    d = ada.post("/api/designs", json={"yaml": DESIGN}).json()["id"]
    hidden = ada.post("/api/designs", json={"yaml": DESIGN}).json()["id"]
    assert (
        ada.post("/api/shares", json={"object": "design", "id": d, "mentors": True}).status_code
        == 201
    )
    editor = ada.post(
        "/api/shares", json={"object": "design", "id": d, "mentors": True, "role": "editor"}
    )
    assert editor.status_code == 422  # mentors read only
    m = ada.post("/api/mentors", json={"user": "bob"}).json()
    assert m["accepted"] is False and bob.get("/api/designs").json() == []
    assert cy.post(f"/api/mentors/{m['id']}/accept").status_code == 404
    assert ada.post(f"/api/mentors/{m['id']}/accept").status_code == 403
    assert bob.post(f"/api/mentors/{m['id']}/accept").json()["accepted"] is True
    assert bob.get("/api/mentors").json()["mentees"][0]["mentee"] == "ada"
    listed = bob.get("/api/designs").json()
    assert [(x["id"], x["shared_by"], x["role"]) for x in listed] == [(d, "ada", "viewer")]
    assert bob.get(f"/api/designs/{hidden}").status_code == 404
    assert bob.put(f"/api/designs/{d}", json={"yaml": DESIGN + "#\n"}).status_code == 403
    assert bob.delete(f"/api/mentors/{m['id']}").status_code == 204  # either side ends it
    assert bob.get(f"/api/designs/{d}").status_code == 404


def test_an_interview_peer(s: Studio) -> None:
    ada, bob, cy = s.sign_in("ada"), s.sign_in("bob"), s.sign_in("cy")
    i = ada.post("/api/interviews", json={"problem": "url-shortener"}).json()
    other = ada.post("/api/interviews", json={"problem": "url-shortener"}).json()
    assert ada.post(f"/api/interviews/{i['id']}/peer", json={"user": "bob"}).status_code == 201
    seen = bob.get(f"/api/interviews/{i['id']}")
    assert seen.status_code == 200
    body = seen.json()
    assert body["peer"] is True and "rubric" in body and "key" not in body
    assert bob.get(f"/api/interviews/{other['id']}").status_code == 404  # that one only
    assert [(x["id"], x["role"]) for x in bob.get("/api/interviews").json()] == [(i["id"], "peer")]
    notes = bob.put(f"/api/interviews/{i['id']}/interviewer", json={"interviewer_notes": "ok"})
    assert notes.status_code == 200 and notes.json()["interviewer_notes"] == "ok"
    assert bob.post(f"/api/interviews/{i['id']}/finish").status_code == 403  # not the candidate
    assert cy.get(f"/api/interviews/{i['id']}").status_code == 404
    # a day's grace after the interview finished, then nothing
    assert ada.post(f"/api/interviews/{i['id']}/finish").status_code == 200
    assert bob.get(f"/api/interviews/{i['id']}").status_code == 200
    with s.db() as db:
        row = db.get(InterviewRow, i["id"])
        row.finished_at = row.finished_at - timedelta(hours=25)
    assert bob.get(f"/api/interviews/{i['id']}").status_code == 404
    assert bob.get("/api/interviews").json() == []
    # removed by name
    assert ada.post(f"/api/interviews/{other['id']}/peer", json={"user": "bob"}).status_code == 201
    assert ada.delete(f"/api/interviews/{other['id']}/peer/bob").status_code == 204
    assert bob.get(f"/api/interviews/{other['id']}").status_code == 404
