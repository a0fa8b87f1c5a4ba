"""The career API under ``/api/career``: each kind of career document (a track assessment,
the mentoring log, and the others in :mod:`.career_kinds`) stored as the text of its file,
checked on every write, with its report, pictures and exports.

A text that does not parse is refused with ``422 {"ok": false, "problems": [...]}`` (each
problem located by line and column), and nothing is stored; the page keeps the text.

Another user's document is a 404 unless it is shared with the actor: a viewer (or a mentor)
reads it, draws its pictures and exports it, an editor also saves it; what the role does not
allow is a 403. Shared documents are listed with ``shared_by``. A report that needs another
kind of document (a resume variant needs the master resume) reads the *actor's* own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Response
from fastapi.responses import JSONResponse
from pydantic import Field

from staffpath.errors import UserError
from staffpath.store import documents as docs
from staffpath.store import shares
from staffpath.store.accounts import Actor
from staffpath.store.models import DocumentRow
from staffpath.store.repository import NotFound
from staffpath.store.shares import EDITOR, OWNER, VIEWER, Forbidden, Role
from staffpath.web.api import DB, Int64, _In, _when
from staffpath.web.career_kinds import KINDS, Context, Kind, problems_of
from staffpath.web.policy import Me, signed_in

router = APIRouter(prefix="/api/career", dependencies=[Depends(signed_in)])
MAX_TEXT = 256 * 1024


class DocumentIn(_In):
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
    name: Annotated[str | None, Field(max_length=200)] = None


class CheckIn(_In):
    text: Annotated[str, Field(max_length=MAX_TEXT)]


def today() -> date:
    return datetime.now(UTC).date()


def _kind(kind: str) -> Kind:
    found = KINDS.get(kind)
    if found is None:
        raise HTTPException(
            404, f"no kind of career document {kind!r}; the kinds: {', '.join(KINDS)}"
        )
    return found


class Refused(Exception):
    def __init__(self, problems: list[dict[str, Any]]) -> None:
        self.problems = problems


def context(db: Any, actor: Actor) -> Context:
    """Today, and the actor's latest stored text of each kind, read when a kind asks for it."""

    def latest(kind: str) -> str | None:
        rows = docs.list_documents(session=db, kind=kind, actor=actor, own=True)
        return rows[0].text if rows else None

    def design(ref: str) -> str | None:
        from staffpath.practice.personal_decks import slug
        from staffpath.store import repository as repo

        stem = slug(ref.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0])
        for row, version in repo.list_designs(session=db, actor=actor):
            if (
                ref == str(row.id)
                or ref.casefold() == row.name.casefold()
                or stem == slug(row.name)
            ):
                return version.yaml
        return None

    return Context(today=today(), latest=latest, design=design)


def _report(kind: Kind, text: str, db: Any, actor: Actor) -> dict[str, Any]:
    try:
        return kind.report(text, context(db, actor))
    except UserError as exc:
        raise Refused(problems_of(exc)) from None


def _refused(problems: list[dict[str, Any]]) -> JSONResponse:
    return JSONResponse({"ok": False, "problems": problems}, status_code=422)


def _get(db: Any, kind: Kind, document_id: int, actor: Actor, need: Role = VIEWER) -> DocumentRow:
    try:
        return docs.get_document(
            session=db, kind=kind.id, document_id=document_id, actor=actor, need=need
        )
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except Forbidden as exc:
        raise HTTPException(403, str(exc)) from None


def _row(row: DocumentRow, *, text: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": row.id,
        "kind": row.kind,
        "name": row.name,
        "format": row.format,
        "updated_at": _when(row.updated_at),
    }
    if text:
        out["text"] = row.text
    return out


@router.get("/kinds")
def kinds(db: DB, actor: Me) -> list[dict[str, Any]]:
    return [
        {
            "id": k.id,
            "title": k.title,
            "file": k.file,
            "format": k.format,
            "blurb": k.blurb,
            "pictures": list(k.pictures),
            "exports": [{"id": e, "label": x.label} for e, x in k.exports.items()],
            "count": len(docs.list_documents(session=db, kind=k.id, actor=actor)),
        }
        for k in KINDS.values()
    ]


@router.get("/{kind}")
def list_documents(kind: str, db: DB, actor: Me) -> list[dict[str, Any]]:
    """The actor's documents of a kind and those shared with it (marked ``shared_by``)."""
    from staffpath.web.shares import mark

    k = _kind(kind)
    got = shares.received(session=db, obj="document", actor=actor)
    return [
        mark(_row(r, text=False), r.owner_id, got.get(r.id), actor)
        for r in docs.list_documents(session=db, kind=k.id, actor=actor)
    ]


@router.get("/{kind}/starter")
def starter(kind: str) -> dict[str, Any]:
    """The example file of this kind, to start from."""
    k = _kind(kind)
    return {"text": k.starter(), "format": k.format, "file": k.file}


@router.post("/{kind}/check")
def check(kind: str, body: CheckIn, db: DB, actor: Me) -> JSONResponse:
    """Check a text without storing it: its problems, or its report."""
    k = _kind(kind)
    try:
        return JSONResponse({"ok": True, "report": _report(k, body.text, db, actor)})
    except Refused as exc:
        return JSONResponse({"ok": False, "problems": exc.problems})


@router.post("/{kind}", status_code=201)
def create(kind: str, body: DocumentIn, db: DB, actor: Me) -> Any:
    k = _kind(kind)
    try:
        report = _report(k, body.text, db, actor)
    except Refused as exc:
        return _refused(exc.problems)
    row = docs.create_document(
        session=db,
        kind=k.id,
        name=body.name or k.title,
        format=k.format,
        text=body.text,
        actor=actor,
    )
    return JSONResponse({**_row(row), "report": report}, status_code=201)


@router.get("/{kind}/{document_id}")
def get(kind: str, document_id: Int64, db: DB, actor: Me) -> dict[str, Any]:
    k = _kind(kind)
    row = _get(db, k, document_id, actor)
    try:
        return {**_row(row), "report": _report(k, row.text, db, actor), "ok": True}
    except Refused as exc:  # stored before a stricter parser: shown with its problems
        return {**_row(row), "ok": False, "problems": exc.problems}


@router.put("/{kind}/{document_id}")
def save(kind: str, document_id: Int64, body: DocumentIn, db: DB, actor: Me) -> Any:
    k = _kind(kind)
    row = _get(db, k, document_id, actor, EDITOR)
    try:
        report = _report(k, body.text, db, actor)
    except Refused as exc:
        return _refused(exc.problems)
    row = docs.update_document(
        session=db,
        kind=k.id,
        document_id=document_id,
        name=body.name or row.name,
        format=k.format,
        text=body.text,
        actor=actor,
    )
    return {**_row(row), "report": report}


@router.delete("/{kind}/{document_id}", status_code=204)
def delete(kind: str, document_id: Int64, db: DB, actor: Me) -> Response:
    k = _kind(kind)
    _get(db, k, document_id, actor, OWNER)
    docs.delete_document(session=db, kind=k.id, document_id=document_id, actor=actor)
    return Response(status_code=204)


@router.post("/{kind}/{document_id}/undelete")
def undelete(kind: str, document_id: Int64, db: DB, actor: Me) -> dict[str, Any]:
    k = _kind(kind)
    try:
        row = docs.undelete_document(session=db, kind=k.id, document_id=document_id, actor=actor)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except Forbidden as exc:
        raise HTTPException(403, str(exc)) from None
    return _row(row)


@router.get(
    "/{kind}/{document_id}/pictures/{name}.svg",
    responses={200: {"content": {"image/svg+xml": {}}}},
)
def picture(kind: str, document_id: Int64, name: str, db: DB, actor: Me) -> Response:
    k = _kind(kind)
    draw = k.pictures.get(name)
    if draw is None:
        raise HTTPException(404, f"{k.title} has no picture {name!r}")
    row = _get(db, k, document_id, actor)
    try:
        svg = draw(row.text, context(db, actor))
    except UserError as exc:
        return _refused(problems_of(exc))
    return Response(svg, media_type="image/svg+xml")


EXPORTED = sorted(
    {"text/plain"}
    | {e.media_type.split(";")[0] for k in KINDS.values() for e in k.exports.values()}
)
"""What an export may answer, for the OpenAPI description."""


@router.get(
    "/{kind}/{document_id}/export/{name}",
    responses={200: {"content": {m: {} for m in EXPORTED}}},
)
def export(kind: str, document_id: Int64, name: str, db: DB, actor: Me) -> Response:
    """The document in an open format (its own file, iCalendar, vCard, CSV, PDF...)."""
    k = _kind(kind)
    row = _get(db, k, document_id, actor)
    if name == "file":
        data: bytes = row.text.encode("utf-8")
        filename, media = k.file.rsplit("/", 1)[-1], "text/plain; charset=utf-8"
    else:
        ex = k.exports.get(name)
        if ex is None:
            raise HTTPException(404, f"{k.title} has no export {name!r}")
        try:
            data = ex.make(row.text, context(db, actor))
        except UserError as exc:
            return _refused(problems_of(exc))
        filename, media = ex.filename, ex.media_type
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/evidence/{document_id}/stories")
def evidence_to_stories(document_id: Int64, db: DB, actor: Me) -> dict[str, Any]:
    """Send the log's wins to the story bank as STAR drafts (each with TODO comments where the
    story needs the user's words); a draft whose title is already a story is skipped."""
    from staffpath.career.evidence import story_draft
    from staffpath.store.practice import STORY
    from staffpath.web.career_kinds import evidence_log

    k = _kind("evidence")
    row = _get(db, k, document_id, actor)
    try:
        log = evidence_log(row.text, context(db, actor))
    except UserError as exc:
        raise HTTPException(422, str(exc)) from None
    titles = {r.name for r in docs.list_documents(session=db, kind=STORY, actor=actor, own=True)}
    added, skipped = [], []
    for rec in log.records:
        title = rec.evidence.headline
        if title in titles:
            skipped.append(title)
            continue
        story = docs.create_document(
            session=db,
            kind=STORY,
            name=title,
            format="yaml",
            text=story_draft(rec.evidence),
            actor=actor,
        )
        titles.add(title)
        added.append({"id": story.id, "title": title})
    return {"added": added, "skipped": skipped}


@router.post("/review/{document_id}/apply")
def apply_review(document_id: Int64, db: DB, actor: Me) -> Any:
    """Record the review's decisions as the reviewed design's ADRs: a new version of the
    stored design (its text kept, the decisions appended), or nothing when all are there."""
    from staffpath.career.design_review import read_review
    from staffpath.store import repository as repo
    from staffpath.web.api import _figures_of
    from staffpath.web.career_kinds import reviewed_design

    k = _kind("review")
    row = _get(db, k, document_id, actor)
    ctx = context(db, actor)
    try:
        applied = reviewed_design(row.text, ctx)
        ref = read_review(row.text, name="review.yaml")[0].design
    except UserError as exc:
        return _refused(problems_of(exc))
    text = ctx.design(ref)
    target = next(
        (d for d, v in repo.list_designs(session=db, actor=actor) if v.yaml == text), None
    )
    if target is None or not applied.added:
        return {"design": target.id if target else None, "added": [], "version": None}
    try:  # the design may be one shared with the actor read-only
        version = repo.save_version(
            session=db,
            design_id=target.id,
            yaml=applied.text,
            name=None,
            figures=_figures_of(applied.text),
            note="decisions recorded in a design review",
            actor=actor,
        )
    except Forbidden as exc:
        raise HTTPException(403, str(exc)) from None
    return {
        "design": target.id,
        "added": list(applied.added),
        "superseded": list(applied.superseded),
        "version": version.number,
    }
