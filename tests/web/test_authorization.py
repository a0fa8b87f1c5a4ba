"""The authorization matrix (goals AZ-1, AZ-2, AZ-3): every route × {anonymous, owner,
unrelated user, admin} → the expected status, 0 mismatches; another user's objects answer 404
and never appear in lists or exports; run again after the owner's account is disabled.

Share roles (viewer, editor), mentors and interview peers are the next slice; the interviewer
link (a capability: its key) is the one way another user reaches an interview today, and the
matrix pins that down too.

Each case runs on fresh objects of the owner's (a design with two versions, an interview,
a story, a simulation job) and a fresh sign-in, so no case depends on another's leftovers.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from staffpath.store import accounts
from staffpath.web.policy import declared
from tests.conftest import ROOT
from tests.web.multiuser import PASSWORD, Studio, studio

ROLES = ("anonymous", "owner", "other", "admin")
SECRET = "Zebra ledger migration"  # in the owner's design and story names
STORY = f"""\
title: {SECRET}
summary: Moved the billing ledger to a new store without downtime.
competencies: [ownership]
situation: >-
  The ledger store was end of life and payments depended on it.
task: >-
  I owned the migration plan and its rollout.
action: >-
  I ran both stores side by side, compared every write, and cut over region by region.
result: >-
  Zero lost payments; the old store was retired two months early.
metrics: []
questions: []
follow_ups: []
"""
OWN_STORY = STORY.replace(SECRET, "A story of my own")
DESIGN = f"""\
name: {SECRET}
workload:
  peak: 1k/s
  flows:
    read: {{share: 100%, steps: [api]}}
components:
  api: {{kind: service, replicas: 2, concurrency: 8, service_time: 5ms}}
goals: {{p99: 100ms}}
"""


EVIDENCE = (ROOT / "examples" / "career" / "evidence.yaml").read_text()
APPLICATIONS = (ROOT / "examples" / "career" / "applications.yaml").read_text()


@dataclass
class Objects:
    """The owner's objects a case runs against (made only when the case uses them)."""

    design: int = 0
    interview: int = 0
    key: str = ""
    story: int = 0
    job: str = ""
    card: str = ""
    career: int = 0  # an applications document (it has a picture and exports)
    evidence: int = 0  # an evidence log (it sends drafts to the story bank)


def _setup(owner: TestClient, needs: set[str]) -> Objects:
    o = Objects()
    if needs & {"design", "job"}:
        d = owner.post("/api/designs", json={"yaml": DESIGN})
        assert d.status_code == 201, d.text
        o.design = d.json()["id"]
        v2 = owner.put(f"/api/designs/{o.design}", json={"yaml": DESIGN + "# v2\n"})
        assert v2.json()["version"] == 2
    if needs & {"interview", "key"}:
        i = owner.post("/api/interviews", json={"problem": "url-shortener"}).json()
        o.interview, o.key = i["id"], i["key"]
    if needs & {"story", "card"}:
        o.story = owner.post("/api/stories", json={"text": STORY}).json()["id"]
    if "job" in needs:
        sim = owner.post(f"/api/designs/{o.design}/simulations", json={"requests": 1000})
        o.job = sim.json()["id"]
    if "card" in needs:
        o.card = owner.get("/api/cards/queue?deck=my-stories").json()["cards"][0]["id"]
    if "career" in needs:
        made = owner.post("/api/career/applications", json={"text": APPLICATIONS, "name": SECRET})
        assert made.status_code == 201, made.text
        o.career = made.json()["id"]
    if "evidence" in needs:
        made = owner.post("/api/career/evidence", json={"text": EVIDENCE, "name": SECRET})
        assert made.status_code == 201, made.text
        o.evidence = made.json()["id"]
    return o


# --- the matrix ------------------------------------------------------------------------------
# expected status per role: (anonymous, owner, other, admin)

API_ANY = (401, 200, 200, 200)  # a signed-in user's own collection, or no user data at all
PAGE_ANY = (303, 200, 200, 200)
OWN = (401, 200, 404, 200)  # an object of the owner's: hidden from the unrelated user
PAGE_OWN = (303, 200, 404, 200)
PERSONAL = (401, 200, 404, 404)  # a schedule or deck: the owner's own, even for an admin


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # the route's path, as declared
    url: str  # with the owner's ids: {design}, {interview}, {key}, {story}, {job}, {card}
    expect: tuple[int, int, int, int]
    body: Any = None
    leak_check: bool = False  # the other user's answer must not mention the owner's objects
    personal: bool = False  # nor the admin's: a schedule or a deck is its user's own


C = Case
CASES = [
    # accounts
    C("POST", "/api/login", "/api/login", (200, 200, 200, 200), "LOGIN"),
    C("POST", "/api/logout", "/api/logout", (204, 204, 204, 204)),
    C("GET", "/api/me", "/api/me", API_ANY),
    C("POST", "/api/password", "/api/password", (401, 403, 403, 403), "WRONG_PASSWORD"),
    C("GET", "/api/users", "/api/users", (401, 403, 403, 200)),
    C("GET", "/openapi.json", "/openapi.json", API_ANY),
    # designs
    C("GET", "/api/schema", "/api/schema", API_ANY),
    C("GET", "/api/examples", "/api/examples", API_ANY),
    C("GET", "/api/designs", "/api/designs", API_ANY, leak_check=True),
    C("POST", "/api/designs", "/api/designs", (401, 201, 201, 201), {}),
    C("GET", "/api/designs/{design_id}", "/api/designs/{design}", OWN),
    C("PUT", "/api/designs/{design_id}", "/api/designs/{design}", OWN, {"yaml": DESIGN + "#\n"}),
    C("DELETE", "/api/designs/{design_id}", "/api/designs/{design}", (401, 204, 404, 204)),
    C("POST", "/api/designs/{design_id}/undelete", "/api/designs/{design}/undelete", OWN),
    C(
        "POST",
        "/api/designs/{design_id}/duplicate",
        "/api/designs/{design}/duplicate",
        (401, 201, 404, 201),
    ),
    C("GET", "/api/designs/{design_id}/versions", "/api/designs/{design}/versions", OWN),
    C(
        "GET",
        "/api/designs/{design_id}/versions/{number}",
        "/api/designs/{design}/versions/1",
        OWN,
    ),
    C(
        "POST",
        "/api/designs/{design_id}/versions/{number}/restore",
        "/api/designs/{design}/versions/1/restore",
        OWN,
    ),
    C("GET", "/api/designs/{design_id}/diff", "/api/designs/{design}/diff?a=1&b=2", OWN),
    C("POST", "/api/check", "/api/check", API_ANY, {"yaml": DESIGN}),
    C("POST", "/api/analyze", "/api/analyze", API_ANY, {"yaml": DESIGN}),
    C("POST", "/api/diagram", "/api/diagram", API_ANY, {"yaml": DESIGN}),
    C(
        "POST",
        "/api/designs/{design_id}/simulations",
        "/api/designs/{design}/simulations",
        (401, 202, 404, 202),
        {"requests": 1000},
    ),
    C("GET", "/api/jobs/{job_id}", "/api/jobs/{job}", OWN),
    C(
        "POST",
        "/api/compare",
        "/api/compare",
        OWN,
        {"items": [{"design_id": "{design}"}, {"design_id": "{design}", "version": 1}]},
    ),
    C("GET", "/api/designs/{design_id}/export", "/api/designs/{design}/export", OWN),
    # interviews
    C("GET", "/api/problems", "/api/problems", API_ANY),
    C(
        "POST",
        "/api/interviews",
        "/api/interviews",
        (401, 201, 201, 201),
        {"problem": "url-shortener"},
    ),
    C("GET", "/api/interviews", "/api/interviews", API_ANY, leak_check=True),
    C("GET", "/api/interviews/{interview_id}", "/api/interviews/{interview}", OWN),
    C(
        "GET",
        "/api/interviews/{interview_id}",
        "/api/interviews/{interview}?key={key}",
        (401, 200, 200, 200),  # the interviewer link reaches it (a capability)
    ),
    C(
        "GET",
        "/api/interviews/{interview_id}",
        "/api/interviews/{interview}?key=wrong",
        (401, 403, 404, 403),
    ),
    C(
        "PUT",
        "/api/interviews/{interview_id}",
        "/api/interviews/{interview}",
        OWN,
        {"notes": "mine"},
    ),
    C(
        "POST",
        "/api/interviews/{interview_id}/questions",
        "/api/interviews/{interview}/questions",
        OWN,
        {"question": "How many users?"},
    ),
    C("POST", "/api/interviews/{interview_id}/phase", "/api/interviews/{interview}/phase", OWN),
    C(
        "POST",
        "/api/interviews/{interview_id}/curveball",
        "/api/interviews/{interview}/curveball",
        (401, 422, 404, 422),  # reached, and refused for its own reason (no design yet)
    ),
    C("POST", "/api/interviews/{interview_id}/finish", "/api/interviews/{interview}/finish", OWN),
    C(
        "PUT",
        "/api/interviews/{interview_id}/interviewer",
        "/api/interviews/{interview}/interviewer?key={key}",
        (401, 200, 200, 200),
        {"interviewer_notes": "good"},
    ),
    C(
        "PUT",
        "/api/interviews/{interview_id}/interviewer",
        "/api/interviews/{interview}/interviewer?key=wrong",
        (401, 403, 404, 403),
        {"interviewer_notes": "good"},
    ),
    # stories
    C("GET", "/api/stories", "/api/stories", API_ANY, leak_check=True),
    C("GET", "/api/stories/starter", "/api/stories/starter", API_ANY),
    C("POST", "/api/stories/check", "/api/stories/check", API_ANY, {"text": STORY}),
    C("POST", "/api/stories", "/api/stories", (401, 201, 201, 201), {"text": OWN_STORY}),
    C("GET", "/api/stories/coverage", "/api/stories/coverage", API_ANY, leak_check=True),
    C("GET", "/api/stories/question", "/api/stories/question?seed=1", API_ANY),
    C("GET", "/api/stories/export", "/api/stories/export", API_ANY, leak_check=True),
    C("GET", "/api/stories/{story_id}", "/api/stories/{story}", OWN),
    C("PUT", "/api/stories/{story_id}", "/api/stories/{story}", OWN, {"text": STORY}),
    C("DELETE", "/api/stories/{story_id}", "/api/stories/{story}", (401, 204, 404, 204)),
    C("POST", "/api/stories/{story_id}/undelete", "/api/stories/{story}/undelete", OWN),
    # flashcards: decks and schedules are each user's own
    C("GET", "/api/cards/decks", "/api/cards/decks", API_ANY, leak_check=True, personal=True),
    C("GET", "/api/cards/queue", "/api/cards/queue", API_ANY, leak_check=True, personal=True),
    C(
        "GET",
        "/api/cards/queue",
        "/api/cards/queue?deck=my-stories",
        API_ANY,  # everyone has a story deck of their own (see `world`), without the owner's
        leak_check=True,
        personal=True,
    ),
    C("GET", "/api/cards/stats", "/api/cards/stats", API_ANY),
    C(
        "POST",
        "/api/cards/{card_id}/review",
        "/api/cards/{card}/review",
        PERSONAL,
        {"rating": "good"},
    ),
    C(
        "POST",
        "/api/cards/{card_id}/review",
        "/api/cards/lat-l1-cache/review",
        API_ANY,
        {"rating": "good"},
    ),
    C(
        "GET",
        "/api/cards/decks/{deck_id}/export",
        "/api/cards/decks/my-stories/export",
        API_ANY,
        leak_check=True,
        personal=True,
    ),
    # review coach
    C("POST", "/api/review/lint", "/api/review/lint", API_ANY, {"text": "nit: rename this"}),
    C("GET", "/api/katas", "/api/katas", API_ANY),
    C("GET", "/api/katas/{kata_id}", "/api/katas/KATA", API_ANY),
    C("POST", "/api/katas/{kata_id}/check", "/api/katas/KATA/check", API_ANY, {"text": "L1: x"}),
    # career documents and the dashboard
    C("GET", "/api/career/kinds", "/api/career/kinds", API_ANY),
    C("GET", "/api/career/{kind}", "/api/career/applications", API_ANY, leak_check=True),
    C("GET", "/api/career/{kind}/starter", "/api/career/evidence/starter", API_ANY),
    C(
        "POST",
        "/api/career/{kind}/check",
        "/api/career/evidence/check",
        API_ANY,
        {"text": EVIDENCE},
    ),
    C(
        "POST",
        "/api/career/{kind}",
        "/api/career/evidence",
        (401, 201, 201, 201),
        {"text": EVIDENCE},
    ),
    C("GET", "/api/career/{kind}/{document_id}", "/api/career/applications/{career}", OWN),
    C(
        "PUT",
        "/api/career/{kind}/{document_id}",
        "/api/career/applications/{career}",
        OWN,
        {"text": APPLICATIONS},
    ),
    C(
        "DELETE",
        "/api/career/{kind}/{document_id}",
        "/api/career/applications/{career}",
        (401, 204, 404, 204),
    ),
    C(
        "POST",
        "/api/career/{kind}/{document_id}/undelete",
        "/api/career/applications/{career}/undelete",
        OWN,
    ),
    C(
        "GET",
        "/api/career/{kind}/{document_id}/pictures/{name}.svg",
        "/api/career/applications/{career}/pictures/funnel.svg",
        OWN,
    ),
    C(
        "GET",
        "/api/career/{kind}/{document_id}/export/{name}",
        "/api/career/applications/{career}/export/csv",
        OWN,
    ),
    C(
        "POST",
        "/api/career/evidence/{document_id}/stories",
        "/api/career/evidence/{evidence}/stories",
        OWN,
    ),
    C("GET", "/api/dashboard", "/api/dashboard", API_ANY, leak_check=True),
    # pages
    C("GET", "/login", "/login", (200, 200, 200, 200)),
    C("GET", "/", "/", PAGE_ANY),
    C("GET", "/designs/{design_id}", "/designs/{design}", PAGE_OWN),
    C("GET", "/designs/{design_id}/simulate", "/designs/{design}/simulate", PAGE_OWN),
    C("GET", "/interviews", "/interviews", PAGE_ANY),
    C("GET", "/interviews/{interview_id}", "/interviews/{interview}", PAGE_OWN),
    C(
        "GET",
        "/interviews/{interview_id}/interviewer",
        "/interviews/{interview}/interviewer?key={key}",
        PAGE_ANY,
    ),
    C(
        "GET",
        "/interviews/{interview_id}/interviewer",
        "/interviews/{interview}/interviewer?key=wrong",
        (303, 403, 404, 403),
    ),
    C("GET", "/stories", "/stories", PAGE_ANY),
    C("GET", "/cards", "/cards", PAGE_ANY),
    C("GET", "/review", "/review", PAGE_ANY),
    C("GET", "/compare", "/compare", PAGE_ANY),
    C("GET", "/dashboard", "/dashboard", PAGE_ANY),
    C("GET", "/career/{kind}", "/career/evidence", PAGE_ANY),
    C("GET", "/static", "/static/api.js", (200, 200, 200, 200)),
]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    """One studio (SQLite) for the whole matrix; each case makes its own objects."""
    tmp = tmp_path_factory.mktemp("matrix")
    with studio(f"sqlite:///{tmp / 'studio.db'}", tmp) as s:
        s.add_user("owner")
        s.add_user("other")
        s.add_user("admin", admin=True)
        for name in ("owner", "other", "admin"):
            made = s.sign_in(name).post("/api/stories", json={"text": OWN_STORY})
            assert made.status_code == 201
        yield s


def _fill(value: Any, objects: Objects, kata: str) -> Any:
    if isinstance(value, str):
        for name, v in vars(objects).items():
            value = value.replace("{" + name + "}", str(v))
        value = value.replace("KATA", kata)
        return int(value) if value.isdigit() else value
    if isinstance(value, dict):
        return {k: _fill(v, objects, kata) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, objects, kata) for v in value]
    return value


def _run(s: Studio, case: Case, role: str, kata: str, *, disabled: bool) -> tuple[int, bytes]:
    """One request of ``case`` by ``role`` on fresh objects of the owner's; with ``disabled``,
    the owner's account is disabled after the objects are made and the role signed in."""
    owner = s.sign_in("owner")
    text = f"{case.url} {case.body}"
    needs = {name for name in vars(Objects()) if "{" + name + "}" in text}
    if case.leak_check or case.url.endswith("my-stories/export") or "my-stories" in case.url:
        needs |= {"design", "interview", "story", "career"}
    objects = _setup(owner, needs)
    c = owner if role == "owner" else s.anonymous() if role == "anonymous" else s.sign_in(role)
    body = case.body
    if body == "LOGIN":
        body = {"username": "owner" if role == "anonymous" else role, "password": PASSWORD}
    elif body == "WRONG_PASSWORD":
        body = {"current": "not the password at all", "new": "a long enough new one"}
    else:
        body = _fill(body, objects, kata)
    url = _fill(case.url, objects, kata)
    if disabled:
        with s.db() as db:
            accounts.disable_user(session=db, username="owner", now=s.clock())
    try:
        r = c.request(case.method, str(url), json=body, follow_redirects=False)
    finally:
        if disabled:
            with s.db() as db:
                accounts.enable_user(session=db, username="owner")
    return r.status_code, r.content


def _expected(case: Case, role: str, *, disabled: bool) -> int:
    if disabled and role == "owner":  # every session of the owner's ended: anonymous now
        return 401 if case.body == "LOGIN" else case.expect[0]
    if disabled and role == "anonymous" and case.body == "LOGIN":  # signs in as the owner
        return 401
    return case.expect[ROLES.index(role)]


def _matrix(s: Studio, *, disabled: bool = False) -> list[str]:
    kata = s.sign_in("owner").get("/api/katas").json()[0]["id"]
    mismatches = []
    for case in CASES:
        for role in ROLES:
            status, content = _run(s, case, role, kata, disabled=disabled)
            expected = _expected(case, role, disabled=disabled)
            if status != expected:
                mismatches.append(
                    f"{case.method} {case.url} as {role}: {status}, expected {expected}"
                )
            watched = ("other", "admin") if case.personal else ("other",)
            leaked = case.leak_check and role in watched and status == 200
            if leaked and SECRET.lower() in _text(content).lower():
                mismatches.append(f"{case.method} {case.url} as {role}: shows the owner's")
    return mismatches


def _text(content: bytes) -> str:
    if content[:2] == b"PK":  # an export: read every file of the zip
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return " ".join(z.read(n).decode("utf-8", "replace") + " " + n for n in z.namelist())
    return content.decode("utf-8", "replace")


def test_every_route_is_in_the_matrix(world: Studio) -> None:
    """AZ-1/AZ-2: a new route fails here until its row is added to the matrix."""
    covered = {(c.method, c.path) for c in CASES}
    missing = sorted(
        f"{m} {d.path}"
        for d in declared(world.app)
        for m in (d.methods - {"HEAD"} or {"GET"})
        if (m, d.path) not in covered
    )
    assert not missing, f"routes missing from the authorization matrix: {missing}"


def test_the_matrix_has_no_mismatch(world: Studio) -> None:
    """AZ-2: every route × {anonymous, owner, unrelated user, admin}: 0 mismatches, another
    user's objects are 404, and lists, coverage, decks and exports never show them."""
    assert len(CASES) * len(ROLES) >= 280
    assert _matrix(world) == []


def test_the_matrix_after_the_owner_is_disabled(world: Studio) -> None:
    """AZ-3, SE-2: the whole matrix again, the owner's account disabled after its objects were
    made and it signed in: every one of its requests is now anonymous (401, or the sign-in
    page), lists and exports included; the others' answers do not change (an admin still
    sees the work, which stays)."""
    assert _matrix(world, disabled=True) == []
