"""Deleting an account (admins) and exporting one's own data through the API (goal PR-2).

The store's tests (tests/store/test_erasure.py) prove the deletion against every table of the
metadata; these prove the routes: who may call them, what they answer, that a deleted user's
session and in-memory jobs are gone, and that an export holds the caller's objects only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from staffpath.store.models import UserRow
from tests.conftest import ROOT
from tests.web.multiuser import Studio, story_text, studio

SECRET = "canary-grace-7f3a9c"
OTHER = "canary-ada-7f3a9c"
DESIGN = """\
name: {secret}
workload:
  peak: 1k/s
  flows:
    read: {{share: 100%, steps: [api]}}
components:
  api: {{kind: service, replicas: 2, concurrency: 8, service_time: 5ms}}
goals: {{p99: 100ms}}
"""


@pytest.fixture
def multi(database_url: str, tmp_path: Path) -> Iterator[Studio]:
    with studio(database_url, tmp_path) as s:
        s.add_user("root", admin=True)
        s.add_user("ada")
        s.add_user("grace")
        yield s


def _work(c: TestClient, secret: str, peer: str) -> dict[str, int]:
    """A design with two versions, a story, a resume, an interview with a peer, a card
    review: one of each kind the studio's pages make."""
    d = c.post("/api/designs", json={"yaml": DESIGN.format(secret=secret)})
    assert d.status_code == 201, d.text
    v2 = c.put(f"/api/designs/{d.json()['id']}", json={"yaml": DESIGN.format(secret=secret) + "#"})
    assert v2.status_code == 200, v2.text
    story = c.post("/api/stories", json={"text": story_text(secret)})
    assert story.status_code == 201, story.text
    resume = json.loads((ROOT / "examples" / "career" / "resume.json").read_text())
    resume["basics"]["summary"] = secret
    made = c.post("/api/career/resume", json={"text": json.dumps(resume), "name": secret})
    assert made.status_code == 201, made.text
    interview = c.post("/api/interviews", json={"problem": "url-shortener"}).json()["id"]
    r = c.post(f"/api/interviews/{interview}/peer", json={"user": peer})
    assert r.status_code == 201, r.text
    card = c.get("/api/cards/queue?deck=my-stories").json()["cards"][0]["id"]
    assert c.post(f"/api/cards/{card}/review", json={"rating": "good"}).status_code == 200
    return {"design": d.json()["id"], "story": story.json()["id"], "resume": made.json()["id"]}


def _links(multi: Studio, grace: TestClient, ada: TestClient, ids: dict[str, int]) -> None:
    for obj, oid in (("design", ids["design"]), ("story", ids["story"])):
        r = grace.post("/api/shares", json={"object": obj, "id": oid, "user": "ada"})
        assert r.status_code == 201, r.text
    mine = ada.get("/api/designs").json()
    theirs = next(d["id"] for d in mine if "shared_by" not in d)
    r = ada.post("/api/shares", json={"object": "design", "id": theirs, "user": "grace"})
    assert r.status_code == 201, r.text
    invited = grace.post("/api/mentors", json={"user": "ada"})
    assert ada.post(f"/api/mentors/{invited.json()['id']}/accept").status_code == 200


def _count(multi: Studio, sql: str, **params: object) -> int:
    with multi.db() as db:
        return int(db.execute(text(sql), params).scalar_one())


def test_an_admin_deletes_an_account_and_everything_of_it(multi: Studio) -> None:
    root, ada, grace = (multi.sign_in(n) for n in ("root", "ada", "grace"))
    ids = _work(grace, SECRET, peer="ada")
    _work(ada, OTHER, peer="grace")
    _links(multi, grace, ada, ids)
    job = grace.post(f"/api/designs/{ids['design']}/simulations", json={"requests": 1000})
    assert job.status_code == 202
    with multi.db() as db:
        gid = db.execute(text("SELECT id FROM users WHERE username = 'grace'")).scalar_one()
    assert SECRET in ada.get("/api/shares").text

    r = root.delete("/api/users/grace")
    assert r.status_code == 200, r.text
    deleted = r.json()["deleted"]
    assert r.json()["username"] == "grace" and deleted["users"] == 1
    assert deleted["designs"] == 1 and deleted["versions"] == 2 and deleted["documents"] == 2
    assert deleted["shares"] == 3 and deleted["interview_peers"] == 2  # given and received
    assert deleted["mentorships"] == 1 and deleted["login_sessions"] >= 1

    assert grace.get("/api/me").status_code == 401  # every session ended with the account
    assert [u["username"] for u in root.get("/api/users").json()] == ["ada", "root"]
    assert SECRET not in ada.get("/api/shares").text + ada.get("/api/designs").text
    assert SECRET not in root.get("/api/designs").text  # not even an admin finds it
    for table, column in (
        ("designs", "owner_id"),
        ("documents", "owner_id"),
        ("interviews", "owner_id"),
        ("card_reviews", "user_id"),
        ("login_sessions", "user_id"),
        ("shares", "user_id"),
        ("interview_peers", "user_id"),
        ("mentorships", "mentor_id"),
    ):
        assert _count(multi, f"SELECT count(*) FROM {table} WHERE {column} = :u", u=gid) == 0
    assert OTHER in ada.get("/api/designs").text  # the other user's work stays
    by_ada = (
        "SELECT count(*) FROM designs d JOIN users u ON u.id = d.owner_id WHERE u.username = 'ada'"
    )
    assert _count(multi, by_ada) == 1

    # a new account may be given the freed id (SQLite reuses the highest): it sees nothing
    multi.add_user("hal")
    hal = multi.sign_in("hal")
    assert hal.get(f"/api/jobs/{job.json()['id']}").status_code == 404
    assert SECRET not in hal.get("/api/designs").text + hal.get("/api/me/export").text


def test_who_may_delete_and_what_is_refused(multi: Studio) -> None:
    root, ada = multi.sign_in("root"), multi.sign_in("ada")
    assert multi.anonymous().delete("/api/users/grace").status_code == 401
    assert ada.delete("/api/users/grace").status_code == 403
    r = root.delete("/api/users/nobody")
    assert r.status_code == 404 and "nobody" in r.json()["detail"]
    r = root.delete("/api/users/root")  # the only admin
    assert r.status_code == 409 and "last admin" in r.json()["detail"]
    assert root.get("/api/me").status_code == 200
    no_csrf = multi.sign_in("root")
    del no_csrf.headers["X-CSRF-Token"]
    assert no_csrf.delete("/api/users/grace").status_code == 403  # CS-1
    assert root.delete("/api/users/GRACE").status_code == 200  # names compare lower-cased
    assert root.delete("/api/users/grace").status_code == 404


def test_a_single_user_studio_has_no_accounts_to_delete(client: TestClient) -> None:
    r = client.delete("/api/users/local")
    assert r.status_code == 404 and "single-user" in r.json()["detail"]


OWN = {
    "designs": "SELECT count(*) FROM designs WHERE owner_id = :u",
    "versions": "SELECT count(*) FROM versions v JOIN designs d ON d.id = v.design_id"
    " WHERE d.owner_id = :u",
    "documents": "SELECT count(*) FROM documents WHERE owner_id = :u",
    "interviews": "SELECT count(*) FROM interviews WHERE owner_id = :u",
    "interview_peers": "SELECT count(*) FROM interview_peers p"
    " JOIN interviews i ON i.id = p.interview_id WHERE i.owner_id = :u",
    "card_states": "SELECT count(*) FROM card_states WHERE user_id = :u",
    "card_reviews": "SELECT count(*) FROM card_reviews WHERE user_id = :u",
    "shares_given": "SELECT count(*) FROM shares WHERE owner_id = :u",
    "mentorships": "SELECT count(*) FROM mentorships WHERE mentee_id = :u OR mentor_id = :u",
    "sessions": "SELECT count(*) FROM login_sessions WHERE user_id = :u",
}


def test_an_export_holds_the_callers_objects_only(multi: Studio) -> None:
    ada, grace = multi.sign_in("ada"), multi.sign_in("grace")
    ids = _work(grace, SECRET, peer="ada")
    _work(ada, OTHER, peer="grace")
    _links(multi, grace, ada, ids)
    assert grace.delete(f"/api/career/resume/{ids['resume']}").status_code == 204  # binned
    for who, mine, theirs in ((grace, SECRET, OTHER), (ada, OTHER, SECRET)):
        r = who.get("/api/me/export")
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/json"
        assert r.headers["content-disposition"].startswith('attachment; filename="staffpath-')
        document = r.json()
        with multi.db() as db:
            name = document["account"]["username"]
            uid = db.scalar(select(UserRow.id).where(UserRow.username == name))
        found = {
            "designs": len(document["designs"]),
            "versions": sum(len(d["versions"]) for d in document["designs"]),
            "documents": len(document["documents"]),
            "interviews": len(document["interviews"]),
            "interview_peers": sum(len(i["peers"]) for i in document["interviews"]),
            **{k: len(document[k]) for k in ("card_states", "card_reviews", "shares_given")},
            "mentorships": len(document["mentorships"]),
            "sessions": len(document["sessions"]),
        }
        assert found == {kind: _count(multi, sql, u=uid) for kind, sql in OWN.items()}
        assert all(found.values())
        assert mine in r.text and theirs not in r.text  # what was shared with it is not its
    assert multi.anonymous().get("/api/me/export").status_code == 401


def test_the_local_user_exports_in_a_single_user_studio(client: TestClient) -> None:
    assert client.post("/api/stories", json={"text": story_text(SECRET)}).status_code == 201
    r = client.get("/api/me/export")
    assert r.status_code == 200 and r.json()["account"] == {"username": "local"}
    assert [d["text"] for d in r.json()["documents"]] == [story_text(SECRET)]
    assert 'filename="staffpath-local-' in r.headers["content-disposition"]
