"""The authorization matrix (goals AZ-1, AZ-2, AZ-3): every route × {anonymous, owner,
share viewer, share editor, mentor, interview peer, unrelated user, admin} → the expected
status, 0 mismatches. Another user's objects answer 404 and never appear in lists or exports;
what is shared appears in the recipient's lists and exports (and a viewer's write is a 403).
The matrix runs three times: as set up, after every share and peer grant was revoked (the
recipients are then unrelated users: 404, and gone from lists), and with the owner's
account disabled (the owner is anonymous; the others' answers do not change).

Each case runs on fresh objects of the owner's (a design with two versions, an interview,
a story, career documents, a simulation job), shared with ``viewer`` (viewer), ``editor``
(editor) and the owner's mentors (``mentor`` accepted the owner's invitation once), the
interview with ``peer``. A case that changes something gets fresh objects for every role; a
``GET`` case shares one set among the roles (a read changes nothing), which keeps the run
time down, as does one signed-in browser per role (a fresh one where a session ends).
"""

from __future__ import annotations

import io
import itertools
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from staffpath.store import accounts, shares
from staffpath.store.accounts import Actor
from staffpath.store.models import InterviewPeerRow, MentorshipRow, ShareRow
from staffpath.web.policy import declared
from tests.conftest import ROOT, fresh_database
from tests.web.multiuser import PASSWORD, Studio, story_text, studio

ROLES = ("anonymous", "owner", "viewer", "editor", "mentor", "peer", "other", "admin")
RECIPIENTS = ("viewer", "editor", "mentor", "peer")  # the roles a revocation turns into "other"
SECRET = "Zebra ledger migration"  # in the owner's design and story names
STORY = story_text(SECRET)
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
REVIEW = (ROOT / "examples" / "career" / "design-review.yaml").read_text()


IDS: dict[str, int] = {}  # the world's user ids, by name
DOOMED = itertools.count(1)  # the accounts made to be deleted, numbered


@dataclass
class Objects:
    """The owner's objects a case runs against (made only when the case uses them), shared
    with the viewer, the editor and the owner's mentors; the interview has ``peer``."""

    design: int = 0
    interview: int = 0
    key: str = ""
    story: int = 0
    job: str = ""
    card: str = ""
    career: int = 0  # an applications document (it has a picture and exports)
    evidence: int = 0  # an evidence log (it sends drafts to the story bank)
    review: int = 0  # a design review of the owner's url-shortener design
    share: int = 0  # the design's share with the viewer
    mentorship: int = 0  # a pending invitation from peer to mentor
    granted: tuple[int, ...] = ()  # every share made, for the revocation
    doomed: str = ""  # an account of its own that an admin may delete


def _owner() -> Actor:
    return Actor(user_id=IDS["owner"], username="owner")


def _setup(s: Studio, owner: TestClient, needs: set[str]) -> Objects:
    o = Objects()
    shared: list[tuple[shares.Obj, int]] = []
    if needs & {"design", "job", "share"}:
        d = owner.post("/api/designs", json={"yaml": DESIGN})
        assert d.status_code == 201, d.text
        o.design = d.json()["id"]
        v2 = owner.put(f"/api/designs/{o.design}", json={"yaml": DESIGN + "# v2\n"})
        assert v2.json()["version"] == 2
        shared.append(("design", o.design))
    if needs & {"interview", "key"}:
        i = owner.post("/api/interviews", json={"problem": "url-shortener"}).json()
        o.interview, o.key = i["id"], i["key"]
    if needs & {"story", "card"}:
        o.story = owner.post("/api/stories", json={"text": STORY}).json()["id"]
        shared.append(("document", o.story))
    if "job" in needs:
        sim = owner.post(f"/api/designs/{o.design}/simulations", json={"requests": 1000})
        o.job = sim.json()["id"]
    if "card" in needs:
        o.card = owner.get("/api/cards/queue?deck=my-stories").json()["cards"][0]["id"]
    if "career" in needs:
        made = owner.post("/api/career/applications", json={"text": APPLICATIONS, "name": SECRET})
        assert made.status_code == 201, made.text
        o.career = made.json()["id"]
        shared.append(("document", o.career))
    if "evidence" in needs:
        made = owner.post("/api/career/evidence", json={"text": EVIDENCE, "name": SECRET})
        assert made.status_code == 201, made.text
        o.evidence = made.json()["id"]
        shared.append(("document", o.evidence))
    if "review" in needs:
        d = owner.post("/api/designs", json={"example": "url-shortener"})
        assert d.status_code == 201, d.text
        made = owner.post("/api/career/review", json={"text": REVIEW, "name": SECRET})
        assert made.status_code == 201, made.text
        o.review = made.json()["id"]
        shared += [("design", d.json()["id"]), ("document", o.review)]
    if "doomed" in needs:
        o.doomed = f"doomed-{next(DOOMED)}"
        s.add_user(o.doomed)
    granted = []
    with s.db() as db:
        for obj, oid in shared:
            for user, role in (("viewer", "viewer"), ("editor", "editor"), (None, "viewer")):
                row, _ = shares.share(
                    session=db, obj=obj, object_id=oid, username=user, role=role, actor=_owner()
                )
                granted.append(row.id)
                if (obj, oid, user) == ("design", o.design, "viewer"):
                    o.share = row.id
        if o.interview:
            shares.add_peer(session=db, interview_id=o.interview, username="peer", actor=_owner())
        if "mentorship" in needs:
            pending = MentorshipRow(mentee_id=IDS["peer"], mentor_id=IDS["mentor"])
            db.add(pending)
            db.flush()
            o.mentorship = pending.id
    o.granted = tuple(granted)
    return o


def _revoke(s: Studio, o: Objects) -> None:
    """Every share and the peer grant revoked (AZ-3: effective from the next request)."""
    with s.db() as db:
        for share_id in o.granted:
            shares.revoke(session=db, share_id=share_id, actor=_owner())
        if o.interview:
            shares.remove_peer(
                session=db, interview_id=o.interview, username="peer", actor=_owner()
            )


# --- the matrix ------------------------------------------------------------------------------


def E(  # noqa: N802 - reads like the table it is
    anonymous: int,
    owner: int,
    viewer: int,
    editor: int,
    other: int,
    admin: int,
    *,
    mentor: int | None = None,
    peer: int | None = None,
) -> dict[str, int]:
    """The expected status per role. A mentor reads what the owner shares with mentors, so it
    answers like the viewer unless told; an interview peer answers like the unrelated user
    except on the interview it was given."""
    return {
        "anonymous": anonymous,
        "owner": owner,
        "viewer": viewer,
        "editor": editor,
        "mentor": viewer if mentor is None else mentor,
        "peer": other if peer is None else peer,
        "other": other,
        "admin": admin,
    }


API_ANY = E(401, 200, 200, 200, 200, 200)  # a signed-in user's own collection, or no user data
PAGE_ANY = E(303, 200, 200, 200, 200, 200)
OWN = E(401, 200, 404, 404, 404, 200)  # an object of the owner's that is never shared
READ = E(401, 200, 200, 200, 404, 200)  # a shared object: read (viewer, editor, mentor)
WRITE = E(401, 200, 403, 200, 404, 200)  # a shared object: changed (the editor may)
OWNER_ONLY = E(401, 200, 403, 403, 404, 200)  # undelete, and the like: the owner (or admin)
DELETE = E(401, 204, 403, 403, 404, 204)
PAGE_READ = E(303, 200, 200, 200, 404, 200)
PAGE_OWN = E(303, 200, 404, 404, 404, 200)
PERSONAL = E(401, 200, 404, 404, 404, 404)  # a schedule or deck: the owner's own, even for admin
CANDIDATE = E(401, 200, 404, 404, 404, 200, peer=403)  # the candidate's part of an interview


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # the route's path, as declared
    url: str  # with the owner's ids: {design}, {interview}, {key}, {story}, {job}, {card}...
    expect: dict[str, int]
    body: Any = None
    leak_check: bool = False  # the unrelated user's answer must not mention the owner's objects
    personal: bool = False  # nor the admin's: a schedule or a deck is its user's own
    shows_shared: bool = False  # a list that shows what is shared with the role (must show it)
    revocable: bool = True  # also run after the revocation (not the revocation routes)


C = Case
CASES = [
    # accounts
    C("POST", "/api/login", "/api/login", E(200, 200, 200, 200, 200, 200), "LOGIN"),
    C("POST", "/api/logout", "/api/logout", E(204, 204, 204, 204, 204, 204)),
    C("GET", "/api/me", "/api/me", API_ANY),
    C("POST", "/api/password", "/api/password", E(401, 403, 403, 403, 403, 403), "WRONG_PASSWORD"),
    C("GET", "/api/users", "/api/users", E(401, 403, 403, 403, 403, 200)),
    C("DELETE", "/api/users/{name}", "/api/users/{doomed}", E(401, 403, 403, 403, 403, 200)),
    # no leak check: the caller's own copies (a duplicate, story drafts) may hold the owner's
    # text; tests/web/test_account.py checks that an export holds the caller's objects only
    C("GET", "/api/me/export", "/api/me/export", API_ANY),
    # two-step sign-in of one's own account: a key for anyone signed in; turning it on or off
    # is tried with a wrong password (refused, 403), so that no account of the matrix has it
    C("POST", "/api/me/two-step/key", "/api/me/two-step/key", API_ANY),
    C("POST", "/api/me/two-step", "/api/me/two-step", E(401, 403, 403, 403, 403, 403), "TWO_STEP"),
    C(
        "POST",
        "/api/me/two-step/off",
        "/api/me/two-step/off",
        E(401, 403, 403, 403, 403, 403),
        "TWO_STEP",
    ),
    C("GET", "/openapi.json", "/openapi.json", API_ANY),
    # designs
    C("GET", "/api/schema", "/api/schema", API_ANY),
    C("GET", "/api/examples", "/api/examples", API_ANY),
    C("GET", "/api/designs", "/api/designs", API_ANY, leak_check=True, shows_shared=True),
    C("POST", "/api/designs", "/api/designs", E(401, 201, 201, 201, 201, 201), {}),
    C("GET", "/api/designs/{design_id}", "/api/designs/{design}", READ),
    C("PUT", "/api/designs/{design_id}", "/api/designs/{design}", WRITE, {"yaml": DESIGN + "#\n"}),
    C("DELETE", "/api/designs/{design_id}", "/api/designs/{design}", DELETE),
    C("POST", "/api/designs/{design_id}/undelete", "/api/designs/{design}/undelete", OWNER_ONLY),
    C(
        "POST",
        "/api/designs/{design_id}/duplicate",
        "/api/designs/{design}/duplicate",
        E(401, 201, 201, 201, 404, 201),  # a copy of what one may read, owned by the copier
    ),
    C("GET", "/api/designs/{design_id}/versions", "/api/designs/{design}/versions", READ),
    C(
        "GET",
        "/api/designs/{design_id}/versions/{number}",
        "/api/designs/{design}/versions/1",
        READ,
    ),
    C(
        "POST",
        "/api/designs/{design_id}/versions/{number}/restore",
        "/api/designs/{design}/versions/1/restore",
        WRITE,
    ),
    C("GET", "/api/designs/{design_id}/diff", "/api/designs/{design}/diff?a=1&b=2", READ),
    C("POST", "/api/check", "/api/check", API_ANY, {"yaml": DESIGN}),
    C("POST", "/api/analyze", "/api/analyze", API_ANY, {"yaml": DESIGN}),
    C("POST", "/api/diagram", "/api/diagram", API_ANY, {"yaml": DESIGN}),
    C(
        "POST",
        "/api/designs/{design_id}/simulations",
        "/api/designs/{design}/simulations",
        E(401, 202, 202, 202, 404, 202),
        {"requests": 1000},
    ),
    C("GET", "/api/jobs/{job_id}", "/api/jobs/{job}", OWN),  # a job is its submitter's
    C(
        "POST",
        "/api/compare",
        "/api/compare",
        READ,
        {"items": [{"design_id": "{design}"}, {"design_id": "{design}", "version": 1}]},
    ),
    C("GET", "/api/designs/{design_id}/export", "/api/designs/{design}/export", READ),
    # interviews
    C("GET", "/api/problems", "/api/problems", API_ANY),
    C(
        "POST",
        "/api/interviews",
        "/api/interviews",
        E(401, 201, 201, 201, 201, 201),
        {"problem": "url-shortener"},
    ),
    C("GET", "/api/interviews", "/api/interviews", API_ANY, leak_check=True),
    C(
        "GET",
        "/api/interviews/{interview_id}",
        "/api/interviews/{interview}",
        E(401, 200, 404, 404, 404, 200, peer=200),  # the peer: the interviewer's view
    ),
    C(
        "GET",
        "/api/interviews/{interview_id}",
        "/api/interviews/{interview}?key={key}",
        API_ANY,  # the interviewer link reaches it (a capability)
    ),
    C(
        "GET",
        "/api/interviews/{interview_id}",
        "/api/interviews/{interview}?key=wrong",
        E(401, 403, 404, 404, 404, 403, peer=403),
    ),
    C(
        "PUT",
        "/api/interviews/{interview_id}",
        "/api/interviews/{interview}",
        CANDIDATE,
        {"notes": "mine"},
    ),
    C(
        "POST",
        "/api/interviews/{interview_id}/questions",
        "/api/interviews/{interview}/questions",
        CANDIDATE,
        {"question": "How many users?"},
    ),
    C(
        "POST",
        "/api/interviews/{interview_id}/phase",
        "/api/interviews/{interview}/phase",
        CANDIDATE,
    ),
    C(
        "POST",
        "/api/interviews/{interview_id}/curveball",
        "/api/interviews/{interview}/curveball",
        E(401, 422, 404, 404, 404, 422, peer=403),  # reached, and refused (no design yet)
    ),
    C(
        "POST",
        "/api/interviews/{interview_id}/finish",
        "/api/interviews/{interview}/finish",
        CANDIDATE,
    ),
    C(
        "PUT",
        "/api/interviews/{interview_id}/interviewer",
        "/api/interviews/{interview}/interviewer?key={key}",
        API_ANY,
        {"interviewer_notes": "good"},
    ),
    C(
        "PUT",
        "/api/interviews/{interview_id}/interviewer",
        "/api/interviews/{interview}/interviewer?key=wrong",
        E(401, 403, 404, 404, 404, 403, peer=403),
        {"interviewer_notes": "good"},
    ),
    C(
        "PUT",
        "/api/interviews/{interview_id}/interviewer",
        "/api/interviews/{interview}/interviewer",
        E(401, 422, 404, 404, 404, 422, peer=200),  # no key: the peer's way in
        {"interviewer_notes": "good"},
    ),
    C(
        "POST",
        "/api/interviews/{interview_id}/peer",
        "/api/interviews/{interview}/peer",
        E(401, 201, 404, 404, 404, 201, peer=403),
        {"user": "bystander"},  # never a role: leaves no grant a later case could see
    ),
    C(
        "DELETE",
        "/api/interviews/{interview_id}/peer/{user}",
        "/api/interviews/{interview}/peer/peer",
        E(401, 204, 404, 404, 404, 204, peer=403),
        revocable=False,
    ),
    # stories
    C("GET", "/api/stories", "/api/stories", API_ANY, leak_check=True, shows_shared=True),
    C("GET", "/api/stories/starter", "/api/stories/starter", API_ANY),
    C("POST", "/api/stories/check", "/api/stories/check", API_ANY, {"text": STORY}),
    C("POST", "/api/stories", "/api/stories", E(401, 201, 201, 201, 201, 201), {"text": OWN_STORY}),
    C("GET", "/api/stories/coverage", "/api/stories/coverage", API_ANY, leak_check=True),
    C("GET", "/api/stories/question", "/api/stories/question?seed=1", API_ANY),
    C(
        "GET",
        "/api/stories/export",
        "/api/stories/export",
        API_ANY,
        leak_check=True,
        shows_shared=True,
    ),
    C("GET", "/api/stories/{story_id}", "/api/stories/{story}", READ),
    C("PUT", "/api/stories/{story_id}", "/api/stories/{story}", WRITE, {"text": STORY}),
    C("DELETE", "/api/stories/{story_id}", "/api/stories/{story}", DELETE),
    C("POST", "/api/stories/{story_id}/undelete", "/api/stories/{story}/undelete", OWNER_ONLY),
    # flashcards: decks and schedules are each user's own (shared stories make no cards)
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
    C(
        "GET",
        "/api/career/{kind}",
        "/api/career/applications",
        API_ANY,
        leak_check=True,
        shows_shared=True,
    ),
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
        E(401, 201, 201, 201, 201, 201),
        {"text": EVIDENCE},
    ),
    C("GET", "/api/career/{kind}/{document_id}", "/api/career/applications/{career}", READ),
    C(
        "PUT",
        "/api/career/{kind}/{document_id}",
        "/api/career/applications/{career}",
        WRITE,
        {"text": APPLICATIONS},
    ),
    C("DELETE", "/api/career/{kind}/{document_id}", "/api/career/applications/{career}", DELETE),
    C(
        "POST",
        "/api/career/{kind}/{document_id}/undelete",
        "/api/career/applications/{career}/undelete",
        OWNER_ONLY,
    ),
    C(
        "GET",
        "/api/career/{kind}/{document_id}/pictures/{name}.svg",
        "/api/career/applications/{career}/pictures/funnel.svg",
        READ,
    ),
    C(
        "GET",
        "/api/career/{kind}/{document_id}/export/{name}",
        "/api/career/applications/{career}/export/csv",
        READ,
    ),
    C(
        "POST",
        "/api/career/evidence/{document_id}/stories",
        "/api/career/evidence/{evidence}/stories",
        READ,  # drafts from a log one may read go to one's own bank
    ),
    C(
        "POST",
        "/api/career/review/{document_id}/apply",
        "/api/career/review/{review}/apply",
        WRITE,  # a new version of the reviewed design: the editor may, a viewer may not
    ),
    C("GET", "/api/dashboard", "/api/dashboard", API_ANY, leak_check=True),
    # sharing
    C("GET", "/api/shares", "/api/shares", API_ANY, leak_check=True, shows_shared=True),
    C(
        "POST",
        "/api/shares",
        "/api/shares",
        E(401, 201, 403, 403, 404, 201),  # the owner (or an admin) shares; no re-sharing
        {"object": "design", "id": "{design}", "user": "bystander", "role": "viewer"},
    ),
    C(
        "POST",
        "/api/shares",
        "/api/shares",
        E(401, 200, 403, 403, 404, 200),  # shared with mentors already: 200, no second row
        {"object": "story", "id": "{story}", "mentors": True},
        revocable=False,
    ),
    C(
        "DELETE",
        "/api/shares/{share_id}",
        "/api/shares/{share}",
        E(401, 204, 403, 404, 404, 204, mentor=404),  # its recipient sees it, may not revoke
        revocable=False,
    ),
    C("GET", "/api/mentors", "/api/mentors", API_ANY),
    C("GET", "/api/interviews/peers", "/api/interviews/peers", API_ANY),
    C(
        "POST",
        "/api/mentors",
        "/api/mentors",
        E(401, 201, 201, 201, 201, 201),
        {"user": "bystander"},
    ),
    C(
        "POST",
        "/api/mentors/{mentorship_id}/accept",
        "/api/mentors/{mentorship}/accept",
        E(401, 404, 404, 404, 404, 403, mentor=200, peer=403),  # peer invited mentor
        revocable=False,  # a mentorship is no share: revoking shares leaves it
    ),
    C(
        "DELETE",
        "/api/mentors/{mentorship_id}",
        "/api/mentors/{mentorship}",
        E(401, 404, 404, 404, 404, 204, mentor=204, peer=204),  # either side ends it
        revocable=False,
    ),
    # pages
    C("GET", "/login", "/login", E(200, 200, 200, 200, 200, 200)),
    C("GET", "/", "/", PAGE_ANY),
    C("GET", "/designs/{design_id}", "/designs/{design}", PAGE_READ),
    C("GET", "/designs/{design_id}/simulate", "/designs/{design}/simulate", PAGE_READ),
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
        E(303, 403, 404, 404, 404, 403),
    ),
    C(
        "GET",
        "/interviews/{interview_id}/interviewer",
        "/interviews/{interview}/interviewer",
        E(303, 403, 404, 404, 404, 403, peer=200),  # no key: the peer's way in
    ),
    C("GET", "/stories", "/stories", PAGE_ANY),
    C("GET", "/cards", "/cards", PAGE_ANY),
    C("GET", "/review", "/review", PAGE_ANY),
    C("GET", "/compare", "/compare", PAGE_ANY),
    C("GET", "/dashboard", "/dashboard", PAGE_ANY),
    C("GET", "/sharing", "/sharing", PAGE_ANY),
    C("GET", "/account", "/account", PAGE_ANY),
    C("GET", "/career/{kind}", "/career/evidence", PAGE_ANY),
    C("GET", "/static", "/static/api.js", E(200, 200, 200, 200, 200, 200)),
]
LIST_NEEDS = {"design", "interview", "story", "career"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    """One studio for the whole matrix (SQLite, or PostgreSQL in the suite's PostgreSQL run);
    each case makes its own objects. ``mentor`` is the owner's accepted mentor throughout;
    ``bystander`` is only ever invited."""
    tmp = tmp_path_factory.mktemp("matrix")
    with studio(fresh_database(tmp), tmp) as s:
        for name in (*ROLES[1:], "bystander"):
            IDS[name] = s.add_user(name, admin=name == "admin")
        for name in ROLES[1:]:
            made = s.sign_in(name).post("/api/stories", json={"text": OWN_STORY})
            assert made.status_code == 201
        owner, mentor = s.sign_in("owner"), s.sign_in("mentor")
        invited = owner.post("/api/mentors", json={"user": "mentor"})
        assert invited.status_code == 201, invited.text
        accepted = mentor.post(f"/api/mentors/{invited.json()['id']}/accept")
        assert accepted.status_code == 200, accepted.text
        IDS["mentorship"] = invited.json()["id"]
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


class Clients:
    """One signed-in browser per role for a whole pass (signing in for every request would
    double the run time). A fresh one where the case or the mode ends a session: the sign-in
    and sign-out cases, and the owner while its account is disabled for every request."""

    def __init__(self, s: Studio, mode: str) -> None:
        self.s, self.mode, self.cache = s, mode, dict[str, TestClient]()

    def __call__(self, role: str, case: Case | None = None) -> TestClient:
        if role == "anonymous":
            return self.s.anonymous()
        fresh = case is not None and (case.body == "LOGIN" or case.path == "/api/logout")
        if fresh or (self.mode == "disabled" and role == "owner"):
            return self.s.sign_in(role)
        if role not in self.cache:
            self.cache[role] = self.s.sign_in(role)
        return self.cache[role]


def _objects(s: Studio, case: Case, mode: str, clients: Clients) -> Objects:
    """Fresh objects of the owner's for ``case`` (revoked at once in the "revoked" mode)."""
    text = f"{case.url} {case.body}"
    needs = {name for name in vars(Objects()) if "{" + name + "}" in text}
    if case.leak_check or "my-stories" in case.url:
        needs |= LIST_NEEDS
    objects = _setup(s, clients("owner"), needs)
    if mode == "revoked":
        _revoke(s, objects)
    return objects


def _run(
    s: Studio, case: Case, role: str, objects: Objects, kata: str, clients: Clients
) -> tuple[int, bytes]:
    """One request of ``case`` by ``role``; in the "disabled" mode the owner's account is
    disabled after the role signed in, and enabled again after the request."""
    c, mode = clients(role, case), clients.mode
    body = case.body
    if body == "LOGIN":
        body = {"username": "owner" if role == "anonymous" else role, "password": PASSWORD}
    elif body == "WRONG_PASSWORD":
        body = {"current": "not the password at all", "new": "a long enough new one"}
    elif body == "TWO_STEP":
        body = {"code": "123456", "password": "not the password at all"}
        if not case.path.endswith("/off"):
            body["key"] = "A" * 32
    else:
        body = _fill(body, objects, kata)
    url = _fill(case.url, objects, kata)
    if mode == "disabled":
        with s.db() as db:
            accounts.disable_user(session=db, username="owner", now=s.clock())
    try:
        r = c.request(case.method, str(url), json=body, follow_redirects=False)
    finally:
        if mode == "disabled":
            with s.db() as db:
                accounts.enable_user(session=db, username="owner")
        if case.path.endswith("/duplicate") and r.status_code == 201:  # the copy has SECRET
            assert c.delete(f"/api/designs/{r.json()['id']}").status_code == 204
        if case.path.startswith("/api/mentors"):  # only the world's mentorship stays
            with s.db() as db:
                for row in db.query(MentorshipRow).filter(MentorshipRow.id != IDS["mentorship"]):
                    db.delete(row)
    return r.status_code, r.content


def _expected(case: Case, role: str, mode: str) -> int:
    if mode == "disabled" and role == "owner":  # every session of the owner's ended: anonymous
        return 401 if case.body == "LOGIN" else case.expect["anonymous"]
    if mode == "disabled" and role == "anonymous" and case.body == "LOGIN":  # as the owner
        return 401
    if mode == "revoked" and role in RECIPIENTS:  # nothing is shared any more
        return case.expect["other"]
    return case.expect[role]


def _leaks(case: Case, role: str, mode: str, status: int, content: bytes, o: Objects) -> str:
    """What a list or an export shows that it must not (or hides that it must show)."""
    if not case.leak_check or status != 200:
        return ""
    shared = case.shows_shared and mode != "revoked"
    hidden = {"other", "peer"} | ({"admin"} if case.personal else set())
    if not shared:
        hidden |= {"viewer", "editor", "mentor"}
    seen = SECRET.lower() in _text(content).lower()
    if role in hidden and seen:
        return "shows the owner's"
    if shared and role in {"viewer", "editor", "mentor"} and not seen:
        return "does not show what is shared with it"
    if case.path == "/api/interviews" and role in RECIPIENTS:
        listed = o.interview in {row["id"] for row in json.loads(content)}
        if listed != (role == "peer" and mode != "revoked"):
            return "lists the peer interview wrongly"
    return ""


def _matrix(s: Studio, mode: str = "shared") -> tuple[list[str], int]:
    """Every case × every role in ``mode`` ("shared", "revoked", "disabled"): the mismatches,
    and the number of requests made."""
    s.clock.advance(minutes=16)  # the last pass's failed sign-ins (wrong passwords) age out
    kata = s.sign_in("owner").get("/api/katas").json()[0]["id"]
    clients = Clients(s, mode)
    if mode == "revoked":  # what earlier passes shared goes too
        with s.db() as db:
            db.execute(delete(ShareRow))
            db.execute(delete(InterviewPeerRow))
    mismatches, count = [], 0
    for case in CASES:
        if mode == "revoked" and not case.revocable:
            continue
        reused = _objects(s, case, mode, clients) if case.method == "GET" else None
        for role in ROLES:
            objects = reused or _objects(s, case, mode, clients)
            status, content = _run(s, case, role, objects, kata, clients)
            count += 1
            expected = _expected(case, role, mode)
            if status != expected:
                mismatches.append(
                    f"{case.method} {case.url} as {role}: {status}, expected {expected}"
                )
            leak = _leaks(case, role, mode, status, content, objects)
            if leak:
                mismatches.append(f"{case.method} {case.url} as {role}: {leak}")
    return mismatches, count


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
    """AZ-2: every route × {anonymous, owner, viewer, editor, mentor, peer, unrelated user,
    admin}: 0 mismatches; another user's objects are 404, a shared one answers its recipient
    by role, and lists, coverage, decks and exports show exactly what they should."""
    mismatches, count = _matrix(world)
    assert count == len(CASES) * len(ROLES) >= 800
    assert mismatches == []


def test_the_matrix_after_the_shares_are_revoked(world: Studio) -> None:
    """AZ-3: the matrix again with every share and peer grant revoked right after it was made:
    the viewer, editor, mentor and peer now answer exactly like the unrelated user (404, and
    nothing of the owner's in their lists and exports), from the very next request."""
    mismatches, count = _matrix(world, "revoked")
    assert count == sum(c.revocable for c in CASES) * len(ROLES) >= 760
    assert mismatches == []


def test_the_matrix_after_the_owner_is_disabled(world: Studio) -> None:
    """AZ-3, SE-2: the whole matrix again, the owner's account disabled after its objects were
    made and it signed in: every one of its requests is now anonymous (401, or the sign-in
    page), lists and exports included; the others' answers do not change (an admin still
    sees the work, and what the owner shared stays shared until it is revoked)."""
    mismatches, count = _matrix(world, "disabled")
    assert count == len(CASES) * len(ROLES)
    assert mismatches == []
