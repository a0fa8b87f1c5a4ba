"""The interview API: the candidate never sees what is hidden; the interviewer's key does."""

from __future__ import annotations

import html as markup
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from staffpath.practice.problems import design_text
from staffpath.store.models import InterviewRow
from tests.web.multiuser import studio


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


# --- the interviewer's page without the key: a peer's (reach_as_peer) ------------------------


def _page_key(html: str) -> tuple[str | None, bool]:
    """The key the interviewer page hands its script, and whether it is marked a peer's."""
    found = re.search(r'data-key="([^"]*)"', html)
    return (found.group(1) if found else None), 'data-peer="true"' in html


def test_a_peer_opens_the_interviewer_page_without_the_key(
    database_url: str, tmp_path: Path
) -> None:
    with studio(database_url, tmp_path) as s:
        for name in ("ada", "bob", "cy"):
            s.add_user(name)
        s.add_user("root", admin=True)
        ada, bob, cy, root = (s.sign_in(n) for n in ("ada", "bob", "cy", "root"))
        iv = start(ada)
        page = f"/interviews/{iv['id']}/interviewer"
        # nobody reaches the page without the key before the grant: the interview does not
        # exist for bob and cy; its candidate and an admin are told the page needs the key
        assert bob.get(page).status_code == 404
        assert cy.get(page).status_code == 404
        owner = ada.get(page)
        assert owner.status_code == 403 and "key" in owner.json()["detail"]
        assert root.get(page).status_code == 403
        anonymous = s.anonymous().get(page, follow_redirects=False)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")

        assert ada.post(f"/api/interviews/{iv['id']}/peer", json={"user": "bob"}).status_code == 201
        seen = bob.get(page)
        assert seen.status_code == 200
        assert _page_key(seen.text) == ("", True)
        assert iv["key"] not in seen.text  # the grant does not hand out the link's key
        # what the page's script then calls, without a key: the interviewer's view, and a save
        view = bob.get(f"/api/interviews/{iv['id']}").json()
        assert view["peer"] is True and view["rubric"]
        saved = bob.put(f"/api/interviews/{iv['id']}/interviewer", json={"scores": {"api": 3}})
        assert saved.status_code == 200 and saved.json()["scores"] == {"api": 3}
        assert cy.get(page).status_code == 404  # the grant is bob's alone

        # the key link keeps working, for anyone signed in; a wrong key is refused as before
        keyed = cy.get(page, params={"key": iv["key"]})
        assert keyed.status_code == 200 and _page_key(keyed.text) == (iv["key"], False)
        assert _page_key(ada.get(page, params={"key": iv["key"]}).text) == (iv["key"], False)
        assert bob.get(page, params={"key": "wrong"}).status_code == 404
        assert ada.get(page, params={"key": "wrong"}).status_code == 403

        # removed: from the very next request, the page is gone for bob
        assert ada.delete(f"/api/interviews/{iv['id']}/peer/bob").status_code == 204
        assert bob.get(page).status_code == 404


def test_the_peers_page_ends_a_day_after_the_interview_finished(
    database_url: str, tmp_path: Path
) -> None:
    with studio(database_url, tmp_path) as s:
        for name in ("ada", "bob"):
            s.add_user(name)
        ada, bob = s.sign_in("ada"), s.sign_in("bob")
        iv = start(ada)
        page = f"/interviews/{iv['id']}/interviewer"
        assert ada.post(f"/api/interviews/{iv['id']}/peer", json={"user": "bob"}).status_code == 201
        assert ada.post(f"/api/interviews/{iv['id']}/finish").status_code == 200
        assert bob.get(page).status_code == 200  # the report, for a day
        with s.db() as db:
            row = db.get(InterviewRow, iv["id"])
            row.finished_at = row.finished_at - timedelta(hours=25)
        assert bob.get(page).status_code == 404


def test_without_accounts_the_page_still_needs_the_key(client: TestClient) -> None:
    """Single-user mode has no peers: the local user is the candidate, who needs the key."""
    iv = start(client)
    page = f"/interviews/{iv['id']}/interviewer"
    assert client.get(page).status_code == 403
    assert client.get(page, params={"key": iv["key"]}).status_code == 200


def _named_peers(html: str) -> list[dict[str, Any]]:
    """The peers the Sharing page is given (its ``data-peers``), as its script reads them."""
    found = re.search(r"data-peers='([^']*)'", html)
    assert found, "the Sharing page carries no data-peers"
    peers: list[dict[str, Any]] = json.loads(markup.unescape(found.group(1)))
    return peers


def test_the_sharing_page_lists_the_peers_one_named(database_url: str, tmp_path: Path) -> None:
    """The Sharing page is given the peers a candidate named (``GET /api/interviews/peers``
    lists the same): its own interviews' peers only, open until a day after the interview
    finished."""
    with studio(database_url, tmp_path) as s:
        for name in ("ada", "bob", "cy"):
            s.add_user(name)
        ada, bob = s.sign_in("ada"), s.sign_in("bob")
        first, second = start(ada), start(ada)
        theirs = start(bob)
        assert _named_peers(ada.get("/sharing").text) == []
        for iv, user in ((first, "bob"), (second, "bob"), (second, "cy")):
            made = ada.post(f"/api/interviews/{iv['id']}/peer", json={"user": user})
            assert made.status_code == 201
        named = bob.post(f"/api/interviews/{theirs['id']}/peer", json={"user": "ada"})
        assert named.status_code == 201
        assert ada.post(f"/api/interviews/{first['id']}/finish").status_code == 200
        with s.db() as db:
            row = db.get(InterviewRow, first["id"])
            row.finished_at = row.finished_at - timedelta(hours=25)
        peers = _named_peers(ada.get("/sharing").text)
        assert [(p["interview"], p["user"], p["live"], p["finished"]) for p in peers] == [
            (second["id"], "bob", True, False),
            (second["id"], "cy", True, False),
            (first["id"], "bob", False, True),
        ]
        assert {p["title"] for p in peers} == {"URL shortener"}
        assert ada.get("/api/interviews/peers").json() == peers
        assert [p["user"] for p in _named_peers(bob.get("/sharing").text)] == ["ada"]
        assert ada.delete(f"/api/interviews/{second['id']}/peer/cy").status_code == 204
        assert len(_named_peers(ada.get("/sharing").text)) == 2


def test_without_accounts_the_sharing_page_says_so(client: TestClient) -> None:
    page = client.get("/sharing")
    assert page.status_code == 200
    assert "staffpath serve --multi-user" in page.text
    assert "data-peers" not in page.text and "/static/sharing.js" not in page.text
