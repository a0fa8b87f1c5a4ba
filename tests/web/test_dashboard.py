"""The dashboard API on a seeded database: each number it shows is the one seeded through
the other pages' routes (stories, a finished interview, an assessment, a mentoring log, a
card review), and the next actions rank what is late first."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from staffpath.practice.problems import design_text
from staffpath.web import dashboard
from staffpath.web.app import create_app
from staffpath.web.settings import Settings
from tests.conftest import ROOT

BILLING = ROOT / "examples" / "stories" / "billing-migration.yaml"
ASSESSMENT = ROOT / "examples" / "career" / "assessment.yaml"
LATER = timedelta(days=40)  # the dashboard is asked 40 days on: the reviewed card is due again

WEAK_STORY = """\
title: Rescuing the search rollout
summary: I took over a stalled search rollout and shipped it.
competencies: [conflict]
situation: Our search rollout had stalled for two months.
task: I was asked to ship it.
action: I split the rollout into stages.
result: It went well for the team.
"""


def mentoring_log(today: date) -> str:
    """One mentee: two sessions held, one planned; one action overdue, one due later."""

    def d(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()

    return f"""\
mentor: Sam Okafor
mentees:
  - id: ana
    name: Ana Silva
    started: {d(-60)}
    goals:
      - id: outbox
        text: Replace the dual writes with an outbox
        skills: [backend-messaging/transactional-outbox]
sessions:
  - mentee: ana
    date: {d(-60)}
    goals: [outbox]
    actions:
      - {{text: Map the dual writes, owner: mentee, due: {d(-50)}, status: done}}
  - mentee: ana
    date: {d(-20)}
    goals: [outbox]
    actions:
      - {{text: Write the outbox proposal, owner: mentee, due: {d(-5)}, status: open}}
      - {{text: Find a reviewer, owner: mentor, due: {d(30)}, status: open}}
  - mentee: ana
    date: {d(10)}
    agenda: [Review the proposal]
    goals: [outbox]
"""


@pytest.fixture
def client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(data_dir=tmp_path / "data", database_url=database_url))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def later(monkeypatch: pytest.MonkeyPatch) -> date:
    moment = datetime.now(UTC) + LATER
    monkeypatch.setattr(dashboard, "_now", lambda: moment)
    return moment.date()


def post(client: TestClient, url: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(url, json=body)
    assert r.status_code in (200, 201), r.text
    out: dict[str, Any] = r.json()
    return out


def finished_interview(client: TestClient) -> float:
    iv = post(client, "/api/interviews", {"problem": "url-shortener", "minutes": 30})
    url = f"/api/interviews/{iv['id']}"
    assert client.put(
        url, json={"design_yaml": design_text("url-shortener", "reference")}
    ).is_success
    score: float = post(client, f"{url}/finish", {})["grading"]["score"]
    return score


def test_an_empty_studio_suggests_where_to_start(client: TestClient) -> None:
    board = client.get("/api/dashboard").json()
    assert board["practice"] == {
        "interviews": 0,
        "finished": 0,
        "in_progress": 0,
        "trend": [],
        "last_score": None,
        "best_score": None,
        "href": "/interviews",
    }
    assert board["tracks"] == [] and board["stories"]["stories"] == 0
    assert board["stories"]["competencies"]["strong"] == 0
    assert board["stories"]["competencies"]["gap"] == len(board["stories"]["gaps"]) > 0
    assert board["cards"]["review"] == 0 and board["cards"]["due"] == board["cards"]["new"] > 0
    kinds = [a["kind"] for a in board["actions"]]
    assert kinds[:3] == ["story", "story", "story"] and "interview" in kinds
    assert kinds[-1] == "cards"  # new cards come last when nothing is due for review


def test_every_number_is_what_was_seeded(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    strong = post(
        client,
        "/api/stories",
        {"text": BILLING.read_text(), "format": "yaml"},
    )
    weak = post(client, "/api/stories", {"text": WEAK_STORY, "format": "yaml"})
    assert strong["check"]["strength"] == "strong" and weak["check"]["strength"] == "weak"

    score = finished_interview(client)
    post(client, "/api/interviews", {"problem": "url-shortener", "minutes": 30})  # not finished

    text = ASSESSMENT.read_text()
    assessment = post(client, "/api/career/assessment", {"text": text, "name": "Messaging"})
    today = later(monkeypatch)
    post(client, "/api/career/mentoring", {"text": mentoring_log(today), "name": "Mentoring"})

    decks = client.get("/api/cards/decks").json()
    total = sum(d["cards"] for d in decks)
    card = client.get("/api/cards/queue", params={"limit": 1}).json()["cards"][0]
    post(client, f"/api/cards/{card['id']}/review", {"rating": "good"})
    cards_now = sum(d["cards"] for d in client.get("/api/cards/decks").json())

    board = client.get("/api/dashboard").json()
    assert board["today"] == today.isoformat()

    practice = board["practice"]
    assert (practice["interviews"], practice["finished"], practice["in_progress"]) == (2, 1, 1)
    assert [t["score"] for t in practice["trend"]] == [round(score, 1)]
    assert practice["trend"][0]["passed"] is True and practice["last_score"] == round(score, 1)

    (track,) = board["tracks"]
    report = assessment["report"]
    assert track["name"] == "Messaging" and track["track"] == "backend-messaging"
    assert track["overall"] == report["overall"]
    assert track["backed_overall"] == report["backed_overall"] < track["overall"]
    assert track["next"]["skill"] == report["next"][0]["skill"]
    # the example claims schema-evolution at mid with no evidence: one level not backed
    assert track["unbacked"] == 1

    stories = board["stories"]
    coverage = client.get("/api/stories/coverage").json()
    strong_tags = set(yaml.safe_load(BILLING.read_text())["competencies"])
    assert stories["stories"] == 2 and stories["strong_stories"] == 1
    assert stories["competencies"]["strong"] == len(strong_tags) > 0
    assert stories["competencies"]["weak"] == 1 and "conflict" in stories["weak"]
    assert stories["competencies"]["gap"] == len(coverage["competencies"]) - len(strong_tags) - 1
    assert sum(stories["questions"].values()) == len(coverage["questions"])
    assert stories["questions"]["strong"] == sum(
        q["status"] == "strong" for q in coverage["questions"]
    )

    cards = board["cards"]
    assert cards["reviews"] == 1 and cards["review"] == 1  # the card reviewed 40 days ago
    # the story deck appeared with the stories; every card but the reviewed one is new
    assert cards["new"] == cards_now - 1 and cards_now >= total
    assert cards["due"] == cards_now

    mentoring = board["mentoring"]
    assert (mentoring["mentees"], mentoring["sessions"], mentoring["planned"]) == (1, 2, 1)
    (overdue,) = mentoring["overdue"]
    assert overdue["text"] == "Write the outbox proposal" and overdue["mentee_name"] == "Ana Silva"
    assert [i["text"] for i in mentoring["due_soon"]] == []  # due in 30 days: not soon

    actions = board["actions"]
    kinds = [a["kind"] for a in actions]
    assert kinds[0] == "mentoring" and "Write the outbox proposal" in actions[0]["text"]
    assert kinds[1] == "cards" and actions[1]["text"] == "Review 1 due card"
    assert f"Work on {track['next']['title']}" in next(
        a["text"] for a in actions if a["kind"] == "skill"
    )
    assert kinds.index("story") < kinds.index("skill")
    assert "interview" not in kinds  # one is finished
    assert all(a["href"].startswith("/") for a in actions)


def test_a_document_that_no_longer_parses_is_marked_not_fatal(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    post(client, "/api/career/assessment", {"text": ASSESSMENT.read_text()})
    from staffpath.web import career_kinds

    def broken(text: str, ctx: Any) -> dict[str, Any]:
        raise career_kinds.UserError("assessment.yaml:1:1: no longer valid")

    kind = career_kinds.KINDS["assessment"]
    monkeypatch.setitem(
        career_kinds.KINDS, "assessment", type(kind)(**{**kind.__dict__, "report": broken})
    )
    board = client.get("/api/dashboard")
    assert board.status_code == 200
    (track,) = board.json()["tracks"]
    assert track["broken"] is True


def test_applications_and_certifications_from_their_examples(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    examples = ROOT / "examples" / "career"
    apps_text = (examples / "applications.yaml").read_text()
    certs_text = (examples / "certifications.yaml").read_text()
    post(client, "/api/career/applications", {"text": apps_text})
    post(client, "/api/career/certifications", {"text": certs_text})
    today = date(2026, 11, 26)
    moment = datetime(2026, 11, 26, 12, tzinfo=UTC)
    monkeypatch.setattr(dashboard, "_now", lambda: moment)
    monkeypatch.setattr("staffpath.web.career.today", lambda: today)
    board = client.get("/api/dashboard").json()

    apps = yaml.safe_load(apps_text)["applications"]
    funnel = board["applications"]["funnel"]
    assert funnel["total"] == len(apps) == 8
    assert funnel["stages"][0] == {
        "stage": "wishlist",
        "reached": 8,
        "share": 1.0,
        "conversion": None,
    }
    # the follow-ups due by 2026-11-26: open ones dated on or before it, and the nudges
    due = board["applications"]["follow_ups"]
    assert {r["status"] for r in due} <= {"overdue", "due"} and due
    assert all(r["date"] <= today.isoformat() for r in due)

    certs = {c["id"]: c for c in yaml.safe_load(certs_text)}
    expiring = board["certifications"]["expiring"]
    # an expired certificate, and none that is merely planned
    assert all(certs[c["id"]]["status"] in ("expired", "passed") for c in expiring)
    assert any(c["expired"] for c in expiring)
    exams = board["certifications"]["exams"]
    assert [c["target"] for c in exams] == sorted(c["target"] for c in exams)

    kinds = [a["kind"] for a in board["actions"]]
    assert kinds[: len(due)] == ["follow-up"] * len(due)  # late promises first
    assert kinds.index("certification") < kinds.index("story")
    companies = {r["company"] for r in due}
    assert {
        a["text"].split(" (")[0].removeprefix("Follow up with ")
        for a in board["actions"][: len(due)]
    } == companies


def test_each_user_sees_their_own_stage(database_url: str, tmp_path: Path) -> None:
    from tests.web.multiuser import studio

    with studio(database_url, tmp_path) as multi:
        if not any(getattr(r, "path", "") == "/api/dashboard" for r in multi.app.routes):
            multi.app.include_router(dashboard.router)
        multi.add_user("ada")
        multi.add_user("bob")
        ada, bob = multi.sign_in("ada"), multi.sign_in("bob")
        assert multi.anonymous().get("/api/dashboard").status_code == 401
        post(ada, "/api/stories", {"text": BILLING.read_text(), "format": "yaml"})
        finished_interview(ada)
        assert ada.get("/api/dashboard").json()["stories"]["stories"] == 1
        assert ada.get("/api/dashboard").json()["practice"]["finished"] == 1
        board = bob.get("/api/dashboard").json()
        assert board["stories"]["stories"] == 0 and board["practice"]["interviews"] == 0
