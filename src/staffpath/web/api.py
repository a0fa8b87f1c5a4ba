"""The JSON API under ``/api``: designs and their versions, check, analyse, draw, simulate,
compare and export. Routes stay thin: the engine computes, the repository stores.

Errors from the design language come back as ``422 {"ok": false, "problems": [...]}`` with
the same fields as ``staffpath check --json``; an unknown id is a 404; nothing a client
sends is a 500. Every route is for signed-in users (:func:`~staffpath.web.policy.signed_in`),
and another user's design is a 404 like one that does not exist, unless it is shared with
the actor: a viewer reads, exports, duplicates and simulates it, an editor also saves and
restores versions, and what the role does not allow is a 403.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from annotated_types import Interval
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from staffpath.design.load import Loaded, load_text
from staffpath.engine.analyze import Analysis, analyze
from staffpath.errors import DesignError, Problem
from staffpath.store import repository as repo
from staffpath.store import shares
from staffpath.store.accounts import Actor
from staffpath.store.models import DesignRow, VersionRow
from staffpath.units import parse_rate
from staffpath.web.policy import Me, signed_in

MAX_YAML = 256 * 1024
Int64 = Annotated[int, Interval(ge=-(2**53 - 1), le=2**53 - 1)]
"""An id or a version number: one the database holds (its integers are 64-bit) and the pages'
JavaScript reads exactly (2**53 - 1); a bigger one is a 422, not an ``OverflowError`` from the
driver (a 500). The bound is a float exactly, so the OpenAPI range means what it says."""
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

router = APIRouter(prefix="/api", dependencies=[Depends(signed_in)])


def session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error.

    Reads too take the write transaction (one at a time, first come first served): with
    ``store.database.read_only`` sessions for GET and HEAD, the load test on the 2-core
    machine measured p95 570 ms for reads and 1,500 ms for writes, against 460 and 490 ms
    serialised: concurrent requests only contended for the interpreter (docs/durability.md)."""
    with request.app.state.sessions.begin() as s:
        yield s


DB = Annotated[Session, Depends(session, scope="function")]
"""Committed before the response is sent, so the next request reads what this one wrote."""


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewDesign(_In):
    yaml: Annotated[str | None, Field(max_length=MAX_YAML)] = None
    example: str | None = None
    name: Annotated[str | None, Field(max_length=200)] = None


class Text(_In):
    yaml: Annotated[str, Field(max_length=MAX_YAML)]
    at: str | None = None


class Save(_In):
    yaml: Annotated[str, Field(max_length=MAX_YAML)]
    note: Annotated[str | None, Field(max_length=200)] = None


class SimulationIn(_In):
    multiplier: Annotated[float, Field(gt=0, le=100)] = 1.0
    failure: Annotated[int | None, Field(ge=0)] = None
    requests: Annotated[int, Field(ge=1_000, le=5_000_000)] = 200_000
    seed: Annotated[int, Field(ge=0, le=2**31)] = 1


class Item(_In):
    design_id: Int64
    version: Int64 | None = None


class CompareIn(_In):
    items: Annotated[list[Item], Field(min_length=2, max_length=6)]


# --- helpers -------------------------------------------------------------------------------


def _problems(problems: Sequence[Problem], name: str = "design.yaml") -> list[dict[str, object]]:
    return [p.to_dict(name) for p in problems]


def invalid(exc: DesignError) -> JSONResponse:
    return JSONResponse({"ok": False, "problems": _problems(exc.problems)}, status_code=422)


def _load(text: str) -> Loaded:
    return load_text(text, name="design.yaml")


def figures(analysis: Analysis) -> repo.Figures:
    p99s = [f.p99_ms for f in analysis.flows.values() if f.p99_ms is not None]
    saturated = any(f.p99_ms is None for f in analysis.flows.values())
    return repo.Figures(
        meets_goals=analysis.meets_goals,
        worst_p99_ms=None if saturated or not p99s else max(p99s),
        cost_per_month=analysis.cost_per_month,
    )


def _figures_of(text: str) -> repo.Figures | None:
    return _read(text, "")[1]


def _read(text: str, fallback: str) -> tuple[str, repo.Figures | None]:
    """The design's name (``fallback`` if the text does not load) and its figures (``None``
    unless it loads and analyses), from one parse."""
    try:
        design = _load(text).design
    except DesignError:
        return fallback, None
    try:
        return design.name, figures(analyze(design))
    except DesignError:
        return design.name, None


def _name_of(text: str, fallback: str) -> str:
    try:
        return _load(text).design.name
    except DesignError:
        return fallback


def _when(moment: datetime) -> str:
    """ISO 8601 with its offset (SQLite hands back naive datetimes; they are stored in UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def _summary(design: DesignRow, version: VersionRow) -> dict[str, Any]:
    return {
        "id": design.id,
        "name": design.name,
        "version": version.number,
        "updated_at": _when(design.updated_at),
        "valid": version.valid,
        "meets_goals": version.meets_goals,
        "worst_p99_ms": version.worst_p99_ms,
        "cost_per_month": version.cost_per_month,
    }


def _version(v: VersionRow) -> dict[str, Any]:
    return {
        "number": v.number,
        "created_at": _when(v.created_at),
        "note": v.note,
        "valid": v.valid,
        "meets_goals": v.meets_goals,
        "worst_p99_ms": v.worst_p99_ms,
        "cost_per_month": v.cost_per_month,
    }


def _found(fn: Any, **kwargs: Any) -> Any:
    """``fn(**kwargs)``; an object the actor cannot see is a 404, one it sees but may not
    change (a viewer saving, an editor deleting) a 403."""
    try:
        return fn(**kwargs)
    except repo.NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except repo.Forbidden as exc:
        raise HTTPException(403, str(exc)) from None


def examples() -> dict[str, Path]:
    return {p.stem: p for p in sorted(EXAMPLES.glob("*.yaml"))}


# --- designs -------------------------------------------------------------------------------


@router.get("/schema")
def schema() -> dict[str, Any]:
    """The JSON Schema of the design language (as ``staffpath schema`` prints it)."""
    from staffpath.design.schema import design_schema

    out: dict[str, Any] = design_schema()
    return out


@router.get("/examples")
def list_examples() -> list[dict[str, str]]:
    out = []
    for key, path in examples().items():
        out.append({"name": key, "title": _name_of(path.read_text(encoding="utf-8"), key)})
    return out


PAGE, MAX_PAGE = 100, 1000


@router.get("/designs")
def list_designs(
    db: DB,
    actor: Me,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = PAGE,
    offset: Annotated[int, Query(ge=0, le=2**53 - 1)] = 0,  # the database's int, and JSON's
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> list[dict[str, Any]]:
    """The actor's designs and those shared with it (marked ``shared_by`` and ``role``), most
    recently changed first: ``limit`` of them (100 unless asked, at most 1,000) from
    ``offset``, only those whose name holds ``q`` (any case) if given. The header
    ``X-Total-Count`` says how many there are in all."""
    from staffpath.web.shares import mark

    count = repo.count_designs(session=db, actor=actor, search=q)
    response.headers["X-Total-Count"] = str(count)
    got = shares.received(session=db, obj="design", actor=actor)
    return [
        mark(
            {
                "id": d.id,
                "name": d.name,
                "version": d.version,
                "updated_at": _when(d.updated_at),
                "valid": d.valid,
                "meets_goals": d.meets_goals,
                "worst_p99_ms": d.worst_p99_ms,
                "cost_per_month": d.cost_per_month,
            },
            d.owner_id,
            got.get(d.id),
            actor,
        )
        for d in repo.design_summaries(
            session=db, actor=actor, limit=limit, offset=offset, search=q
        )
    ]


BLANK = """\
name: New design
workload:
  peak: 1k/s
  flows:
    read: {share: 100%, steps: [api]}
components:
  api: {kind: service, replicas: 2, concurrency: 8, service_time: 5ms}
goals: {p99: 100ms}
"""


@router.post("/designs", status_code=201)
def create_design(body: NewDesign, db: DB, actor: Me) -> dict[str, Any]:
    if body.example is not None:
        path = examples().get(body.example)
        if path is None:
            raise HTTPException(404, f"no example {body.example!r}; see GET /api/examples")
        text = path.read_text(encoding="utf-8")
    else:
        text = body.yaml if body.yaml is not None else BLANK
    name, figs = _read(text, "untitled")
    design = repo.create_design(
        session=db, name=body.name or name, yaml=text, figures=figs, actor=actor
    )
    version = repo.latest_version(session=db, design_id=design.id, actor=actor)
    return _summary(design, version)


@router.get("/designs/{design_id}")
def get_design(design_id: Int64, db: DB, actor: Me) -> dict[str, Any]:
    design = _found(repo.get_design, session=db, design_id=design_id, actor=actor)
    version = repo.latest_version(session=db, design_id=design_id, actor=actor)
    failures = []
    try:
        from staffpath.engine.impact import describe

        loaded = _load(version.yaml)
        for i, f in enumerate(loaded.design.failures):
            end = f.at + (f.for_ or f.failover or 0.0)
            failures.append({"index": i, "at_s": f.at, "end_s": end, "label": describe(f)})
    except DesignError:
        pass
    from staffpath.web.shares import mark

    # someone else's design carries its owner and my role, so the page offers what it allows
    got = shares.received(session=db, obj="design", actor=actor).get(design.id)
    out = {**_summary(design, version), "yaml": version.yaml, "failures": failures}
    return mark(out, design.owner_id, got, actor)


@router.put("/designs/{design_id}")
def save_design(design_id: Int64, body: Save, db: DB, actor: Me) -> dict[str, Any]:
    _found(repo.get_design, session=db, design_id=design_id, actor=actor)
    name, figs = _read(body.yaml, "")
    version = _found(
        repo.save_version,
        session=db,
        design_id=design_id,
        yaml=body.yaml,
        name=name,
        figures=figs,
        note=body.note,
        actor=actor,
    )
    return _summary(repo.get_design(session=db, design_id=design_id, actor=actor), version)


@router.delete("/designs/{design_id}", status_code=204)
def delete_design(design_id: Int64, db: DB, actor: Me) -> Response:
    _found(repo.delete_design, session=db, design_id=design_id, actor=actor)
    return Response(status_code=204)


@router.post("/designs/{design_id}/undelete")
def undelete_design(design_id: Int64, db: DB, actor: Me) -> dict[str, Any]:
    design = _found(repo.undelete_design, session=db, design_id=design_id, actor=actor)
    return _summary(design, repo.latest_version(session=db, design_id=design_id, actor=actor))


@router.post("/designs/{design_id}/duplicate", status_code=201)
def duplicate_design(design_id: Int64, db: DB, actor: Me) -> dict[str, Any]:
    design = _found(repo.duplicate_design, session=db, design_id=design_id, actor=actor)
    return _summary(design, repo.latest_version(session=db, design_id=design.id, actor=actor))


@router.get("/designs/{design_id}/versions")
def list_versions(design_id: Int64, db: DB, actor: Me) -> list[dict[str, Any]]:
    found = _found(repo.list_versions, session=db, design_id=design_id, actor=actor)
    return [_version(v) for v in found]


@router.get("/designs/{design_id}/versions/{number}")
def get_version(design_id: Int64, number: Int64, db: DB, actor: Me) -> dict[str, Any]:
    v = _found(repo.get_version, session=db, design_id=design_id, number=number, actor=actor)
    return {**_version(v), "yaml": v.yaml}


@router.post("/designs/{design_id}/versions/{number}/restore")
def restore_version(design_id: Int64, number: Int64, db: DB, actor: Me) -> dict[str, Any]:
    old = _found(repo.get_version, session=db, design_id=design_id, number=number, actor=actor)
    v = _found(
        repo.restore_version,
        session=db,
        design_id=design_id,
        number=number,
        figures=_figures_of(old.yaml),
        actor=actor,
    )
    return _version(v)


@router.get("/designs/{design_id}/diff")
def diff(design_id: Int64, a: Int64, b: Int64, db: DB, actor: Me) -> dict[str, Any]:
    text = _found(repo.diff, session=db, design_id=design_id, a=a, b=b, actor=actor)
    return {"a": a, "b": b, "diff": text}


# --- the engine ----------------------------------------------------------------------------


@router.post("/check")
def check(body: Text) -> JSONResponse:
    try:
        loaded = _load(body.yaml)
    except DesignError as exc:
        return invalid(exc)
    return JSONResponse({"ok": True, "problems": _problems(loaded.warnings)})


@router.post("/analyze")
def analyse(body: Text) -> JSONResponse:
    try:
        loaded = _load(body.yaml)
        at = parse_rate(body.at) if body.at else None
    except DesignError as exc:
        return invalid(exc)
    except ValueError as exc:
        raise HTTPException(422, f"at: {exc}") from None
    result = analyze(loaded.design, at=at)
    return JSONResponse(
        {
            "ok": True,
            "problems": _problems(loaded.warnings),
            "analysis": result.model_dump(mode="json"),
        }
    )


@router.post("/diagram", responses={200: {"content": {"image/svg+xml": {}}}})
def diagram(body: Text) -> Response:
    from staffpath.report.diagram import render_svg

    try:
        loaded = _load(body.yaml)
    except DesignError as exc:
        return invalid(exc)
    svg = render_svg(loaded.design, analyze(loaded.design))
    return Response(svg, media_type="image/svg+xml")


def _design_text(
    db: Session, design_id: int, version: int | None, actor: Actor
) -> tuple[DesignRow, str]:
    design = _found(repo.get_design, session=db, design_id=design_id, actor=actor)
    v = (
        repo.latest_version(session=db, design_id=design_id, actor=actor)
        if version is None
        else _found(repo.get_version, session=db, design_id=design_id, number=version, actor=actor)
    )
    return design, v.yaml


@router.post("/designs/{design_id}/simulations", status_code=202)
def simulate(
    design_id: Int64, body: SimulationIn, request: Request, db: DB, actor: Me
) -> JSONResponse:
    _, text = _design_text(db, design_id, None, actor)
    try:
        design = _load(text).design
    except DesignError as exc:
        return invalid(exc)
    if body.failure is not None and body.failure >= len(design.failures):
        raise HTTPException(
            422, f"failure: the design scripts {len(design.failures)} failure(s); no {body.failure}"
        )
    from staffpath.design.summary import total_rate

    rate = total_rate(design) * body.multiplier
    if rate <= 0:
        raise HTTPException(422, "the design has no traffic to simulate")

    def work(progress: Any) -> dict[str, Any]:
        from staffpath.engine.impact import simulate_failure
        from staffpath.engine.simulate import simulate as run

        if body.failure is None:
            steady = design.model_copy(
                update={
                    "failures": [],
                    "workload": design.workload.model_copy(update={"schedule": []}),
                }
            )
            sim = run(
                steady,
                requests=body.requests,
                seed=body.seed,
                at=rate,
                budget_s=120.0,
                progress=progress,
            )
            return {"simulation": sim.model_dump(mode="json"), "window": None}
        w = simulate_failure(
            design, body.failure, total_rate=rate, max_requests=body.requests, seed=body.seed
        )
        return {
            "simulation": w.simulation.model_dump(mode="json"),
            "window": {
                "start_s": w.start_s,
                "end_s": w.end_s,
                "label": w.label,
                "cut": w.cut,
                "lasts_s": w.lasts_s,
                "multiplier": w.multiplier,
            },
        }

    jobs = request.app.state.jobs
    job = jobs.submit(work)
    owners: dict[str, int | None] = request.app.state.job_owners
    for key in [k for k in owners if jobs.get(k) is None]:  # forgotten by the runner
        del owners[key]
    owners[job.id] = actor.user_id
    return JSONResponse(job.view(), status_code=202)


@router.get("/jobs/{job_id}")
def job(job_id: str, request: Request, actor: Me) -> dict[str, Any]:
    found = request.app.state.jobs.get(job_id)
    owners: dict[str, int | None] = request.app.state.job_owners
    if found is None or not (actor.is_admin or owners.get(job_id, -1) == actor.user_id):
        raise HTTPException(404, f"no job {job_id} (jobs are forgotten when the studio restarts)")
    view: dict[str, Any] = found.view()
    return view


@router.post("/compare")
def compare(body: CompareIn, db: DB, actor: Me) -> JSONResponse:
    from staffpath.engine.compare import compare as run
    from staffpath.report.compare import to_markdown

    analyses: dict[str, Analysis] = {}
    designs = {}
    for item in body.items:
        row, text = _design_text(db, item.design_id, item.version, actor)
        label = f"{row.name} v{item.version}" if item.version else row.name
        while label in analyses:
            label += "'"
        try:
            loaded = _load(text)
        except DesignError as exc:
            return JSONResponse(
                {"ok": False, "label": label, "problems": _problems(exc.problems)},
                status_code=422,
            )
        analyses[label] = analyze(loaded.design)
        designs[label] = loaded.design
    result = run(analyses, designs=designs)
    return JSONResponse(
        {"ok": True, "comparison": result.model_dump(mode="json"), "markdown": to_markdown(result)}
    )


Format = Literal["yaml", "md", "html", "pdf", "svg", "zip"]
MEDIA = {
    "yaml": "application/yaml",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "svg": "image/svg+xml",
    "zip": "application/zip",
}


@router.get(
    "/designs/{design_id}/export",
    responses={200: {"content": {m.split(";")[0]: {} for m in MEDIA.values()}}},
)
def export(
    design_id: Int64, db: DB, actor: Me, format: Format = "yaml", version: Int64 | None = None
) -> Response:
    row, text = _design_text(db, design_id, version, actor)
    stem = "".join(c if c.isalnum() else "-" for c in row.name.lower()).strip("-") or "design"
    if format == "yaml":
        body: str | bytes = text
    else:
        try:
            loaded = _load(text)
        except DesignError as exc:
            return invalid(exc)
        if format == "svg":
            from staffpath.report.diagram import render_svg

            body = render_svg(loaded.design, analyze(loaded.design))
        else:
            from staffpath.report.document import build

            doc = build(loaded.design, simulate=False, with_pdf=format in ("pdf", "zip"))
            if format == "zip":
                buffer = io.BytesIO()
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
                    for rel, data in sorted(doc.files.items()):
                        z.writestr(f"{stem}/{rel}", data)
                body = buffer.getvalue()
            else:
                body = doc.files[f"design.{format}"]
    suffix = {"yaml": "yaml"}.get(format, format)
    return Response(
        body,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{stem}.{suffix}"'},
    )
