"""The studio's FastAPI application: ``create_app(settings)``.

Nothing is created at import time: the database is connected and migrated, and the job
runner started, when the app is made. Every error a client can cause is a 4xx with a JSON
body that says what to fix; the one handler for the rest logs and answers 500.

Every route declares who may call it (:mod:`staffpath.web.policy`); the middleware works out
who the request is from and refuses cross-site forgeries (:mod:`staffpath.web.auth`), and
every response carries the security headers (:data:`SECURITY_HEADERS`).
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from sqlalchemy.exc import DataError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.routing import compile_path

from staffpath import __version__
from staffpath.errors import DesignError, UserError
from staffpath.store.accounts import Actor, Passwords
from staffpath.store.database import connect, safe_traceback
from staffpath.web import (
    account,
    api,
    auth,
    career,
    dashboard,
    interviews,
    practice,
    shares,
    two_step,
)
from staffpath.web.api import Int64
from staffpath.web.jobs import Jobs
from staffpath.web.policy import (
    SECURITY_HEADERS,
    Me,
    SignInRequired,
    content_security_policy,
    declared,
    public,
    signed_in,
    style_nonce,
)
from staffpath.web.settings import Settings, host_allowed

HERE = Path(__file__).parent
log = logging.getLogger("staffpath.web")


def _validation(exc: RequestValidationError) -> list[dict[str, Any]]:
    """pydantic's errors in plain words: where in the body, and what was wrong."""
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        out.append({"path": where, "message": err.get("msg", "invalid"), "type": err.get("type")})
    return out


class FieldError(BaseModel):
    path: str
    message: str
    type: str | None = None


class ErrorBody(BaseModel):
    """An error the client can fix, in words; for a request that did not validate, where."""

    detail: str
    errors: list[FieldError] | None = None


class DesignProblems(BaseModel):
    """A design that does not load: the problems ``staffpath check --json`` lists."""

    ok: bool
    problems: list[dict[str, Any]]


_METHODS_WITH_BODY = {"post", "put", "patch"}
_STATE_CHANGING = {"post", "put", "patch", "delete"}


def _describe_errors(app: FastAPI) -> None:
    """Declare in the OpenAPI description the errors the studio really answers (goal AP-1),
    with their real bodies: FastAPI's default 422 (``HTTPValidationError``) is not what
    :func:`_validation` sends, and the middleware's 400/401/403/413 are invisible to it.

    - 400 and 413 (``limit_body``): operations that take a body;
    - 401 (no session): operations behind ``signed_in`` or ``admin``;
    - 403: state-changing operations (CSRF) and ``admin`` ones;
    - 404 and 422: operations with any parameter or body (an id, a deck, an example, a kind
      that does not exist, or another user's object; a request that does not validate:
      ``ErrorBody``, or ``DesignProblems`` for a design that does not load)."""
    policies = {(d.path, m.lower()): d.policy for d in declared(app) for m in d.methods if d.policy}
    plain = FastAPI.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        doc = plain(app)
        ref = "#/components/schemas/{model}"
        _, defs = models_json_schema(
            [(ErrorBody, "serialization"), (DesignProblems, "serialization")], ref_template=ref
        )
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        schemas.update(defs["$defs"])
        error = {"$ref": ref.format(model="ErrorBody")}
        invalid = {"anyOf": [error, {"$ref": ref.format(model="DesignProblems")}]}
        for path, operations in doc.get("paths", {}).items():
            for method, op in operations.items():
                policy = policies.get((path, method))
                wanted: dict[str, tuple[str, dict[str, Any]]] = {}
                if method in _METHODS_WITH_BODY:
                    wanted["400"] = ("Content-Length is not a number", error)
                    wanted["413"] = ("The body is larger than the studio accepts", error)
                if policy in ("signed_in", "admin"):
                    wanted["401"] = ("Not signed in", error)
                if method in _STATE_CHANGING or policy == "admin":
                    wanted["403"] = (
                        "Forbidden (CSRF token missing or wrong, or not allowed)",
                        error,
                    )
                responses = op.setdefault("responses", {})
                if "422" in responses or op.get("parameters") or op.get("requestBody"):
                    responses.pop("422", None)
                    wanted["404"] = ("No such object (or another user's)", error)
                    wanted["422"] = ("Invalid request", invalid)
                for status, response in responses.items():
                    if status.startswith("4") and "content" not in response:
                        response["content"] = {"application/json": {"schema": error}}
                for status, (description, schema) in wanted.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": schema}},
                        },
                    )
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]


def _method_table(app: FastAPI) -> list[tuple[re.Pattern[str], int, frozenset[str]]]:
    """The API's routes: their path pattern, how many parameters it has, their methods."""
    table = []
    for ctx in iter_route_contexts(app.routes):
        path = str(ctx.path)
        if path.startswith("/api/") and isinstance(ctx.original_route, APIRoute):
            regex, _, _ = compile_path(path)
            table.append((regex, path.count("{"), frozenset(ctx.methods or ())))
    return table


def _allowed_methods(
    table: list[tuple[re.Pattern[str], int, frozenset[str]]], path: str
) -> frozenset[str]:
    """The methods the API declares for ``path`` (empty for an unknown path). Starlette alone
    answers a wrong method with the methods of the first route whose pattern matches, and lets
    ``PUT /api/stories/starter`` reach ``PUT /api/stories/{story_id}`` (a 422); a path belongs
    to the routes that match it with the fewest parameters, like the OpenAPI description says."""
    matched = [(params, methods) for regex, params, methods in table if regex.match(path)]
    if not matched:
        return frozenset()
    fewest = min(params for params, _ in matched)
    return frozenset().union(*(methods for params, methods in matched if params == fewest))


def _utc_now() -> datetime:
    return datetime.now(UTC)


def wrong_host(request: Request, settings: Settings) -> str:
    """Why a request addressed to a name the studio does not answer to is refused."""
    asked = (request.url.hostname or "")[:100] or "no name"
    names = ", ".join(settings.allowed_hosts or ())
    return (
        f"this studio answers to {names} only, not to {asked!r}: a web page of another site "
        "whose name was pointed at this machine (DNS rebinding) is refused this way. To "
        f"reach the studio by that name, start it with --allowed-host {asked}"
    )


def create_app(settings: Settings, *, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """The studio. ``clock`` (default: the system's, in UTC) dates sessions and counts the
    sign-in failures; tests pass their own to travel in time."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    sessions = connect(settings.database_url, backups=settings.data_dir / "backups")
    jobs = Jobs()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()
        sessions.kw["bind"].dispose()

    app = FastAPI(
        title="staffpath studio",
        version=__version__,
        description="Design, analyse, simulate, compare and document system designs.",
        lifespan=lifespan,
        openapi_url=None,  # served below, behind the sign-in like the API it describes
        docs_url=None,
        redoc_url=None,
    )
    app.state.sessions = sessions
    app.state.jobs = jobs
    app.state.job_owners = {}
    app.state.settings = settings
    app.state.clock = clock or _utc_now
    app.state.passwords = Passwords(settings.password_hash)
    app.state.login_limits = auth.LoginLimits(app.state.clock)

    @app.middleware("http")
    async def limit_body(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                return JSONResponse({"detail": "Content-Length is not a number"}, 400)
            if int(declared) > settings.max_body:
                return JSONResponse(
                    {"detail": f"the body is larger than {settings.max_body // 1024} KiB"}, 413
                )
        elif request.method in ("POST", "PUT", "PATCH"):
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > settings.max_body:
                    return JSONResponse(
                        {"detail": f"the body is larger than {settings.max_body // 1024} KiB"},
                        413,
                    )
            request._body = body  # read once; the route reads it from here
        return await call_next(request)

    @app.middleware("http")
    async def who_and_forgery(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        found = await auth.authenticate(request)
        request.state.auth = found
        refused = auth.forgery(request, found)
        if refused is not None:
            return JSONResponse({"detail": refused}, 403)
        return await call_next(request)

    methods: list[tuple[re.Pattern[str], int, frozenset[str]]] = []  # filled on first use

    @app.middleware("http")
    async def undeclared_method(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not request.url.path.startswith("/api/"):
            return await call_next(request)
        if not methods:
            methods.extend(_method_table(app))
        allowed = _allowed_methods(methods, request.url.path)
        if allowed and request.method not in allowed:
            return JSONResponse(
                {"detail": f"{request.method} is not allowed here"},
                405,
                headers={"Allow": ", ".join(sorted(allowed))},
            )
        return await call_next(request)

    @app.middleware("http")
    async def host_names(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not host_allowed(request.url.hostname, settings.allowed_hosts):
            return JSONResponse({"detail": wrong_host(request, settings)}, 400)
        return await call_next(request)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        nonce = request.state.csp_nonce = style_nonce()  # the page's templates read it
        response = await call_next(request)
        if response.headers.get("content-type", "").startswith("text/html"):
            policy = content_security_policy(nonce)
            response.headers.setdefault("Content-Security-Policy", policy)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(SignInRequired)
    async def on_signed_out(request: Request, _: SignInRequired) -> Response:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": "sign in first (POST /api/login)"}, 401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", 303)

    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": "invalid request", "errors": _validation(exc)}, 422)

    @app.exception_handler(DesignError)
    async def on_design(_: Request, exc: DesignError) -> JSONResponse:
        return api.invalid(exc)

    @app.exception_handler(UserError)
    async def on_user(_: Request, exc: UserError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, 422)

    @app.exception_handler(PoolTimeout)
    async def on_busy(request: Request, exc: PoolTimeout) -> JSONResponse:
        """Every database connection busy for the pool's whole timeout: the studio is
        overloaded, not broken; the client may try again."""
        log.warning("no database connection free for %s %s", request.method, request.url.path)
        return JSONResponse(
            {"detail": "the studio is busy; try again in a few seconds"},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(DataError)
    async def on_unstorable(request: Request, exc: DataError) -> JSONResponse:
        """A value the database refuses (PostgreSQL: text holding NUL, a number beyond its
        column): the request's fault, not a bug; its transaction was rolled back."""
        log.info("unstorable value on %s %s (%s)", request.method, request.url.path, exc.code)
        return JSONResponse(
            {
                "detail": "a value could not be stored: text must not hold NUL characters "
                "(\\u0000) and numbers must fit the database's 64-bit integers"
            },
            422,
        )

    @app.exception_handler(Exception)
    async def on_bug(request: Request, exc: Exception) -> JSONResponse:
        log.error(  # no user data: database errors carry the row (goal PR-1)
            "internal error on %s %s\n%s", request.method, request.url.path, safe_traceback(exc)
        )
        return JSONResponse({"detail": "internal error; the studio's log has the details"}, 500)

    app.include_router(auth.router)
    app.include_router(api.router)
    app.include_router(interviews.router)
    app.include_router(practice.router)
    app.include_router(career.router)
    app.include_router(dashboard.router)
    app.include_router(shares.router)
    app.include_router(account.router)
    app.include_router(two_step.router)

    _describe_errors(app)

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(signed_in)])
    def openapi() -> dict[str, Any]:
        return app.openapi()

    _pages(app)
    return app


def _pages(app: FastAPI) -> None:
    templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(
            request,
            name,
            {
                "version": __version__,
                "csp_nonce": request.state.csp_nonce,
                **auth.page_context(request),
                **context,
            },
        )

    signed = [Depends(signed_in)]
    html: dict[str, Any] = {"response_class": HTMLResponse, "include_in_schema": False}

    @app.get("/login", dependencies=[Depends(public)], **html)
    def login(request: Request, next: str = "/") -> Response:
        if not request.app.state.settings.multi_user:
            return RedirectResponse("/", 303)
        target = next if next.startswith("/") and not next.startswith("//") else "/"
        return page(request, "login.html", title="Sign in", next=target)

    @app.get("/", dependencies=signed, **html)
    def library(request: Request) -> HTMLResponse:
        return page(request, "library.html", title="Designs")

    @app.get("/designs/{design_id}", **html)
    def editor(request: Request, design_id: Int64, actor: Me) -> HTMLResponse:
        _exists(request, design_id, actor)
        return page(request, "editor.html", title="Editor", design_id=design_id)

    @app.get("/designs/{design_id}/simulate", **html)
    def simulate(request: Request, design_id: Int64, actor: Me) -> HTMLResponse:
        _exists(request, design_id, actor)
        return page(request, "simulate.html", title="Simulate", design_id=design_id)

    @app.get("/interviews", dependencies=signed, **html)
    def interview_list(request: Request) -> HTMLResponse:
        return page(request, "interviews.html", title="Interviews")

    @app.get("/interviews/{interview_id}", **html)
    def interview(request: Request, interview_id: Int64, actor: Me) -> HTMLResponse:
        _interview(request, interview_id, None, actor)
        return page(request, "interview.html", title="Interview", interview_id=interview_id)

    @app.get("/interviews/{interview_id}/interviewer", **html)
    def interviewer(
        request: Request, interview_id: Int64, actor: Me, key: str | None = None
    ) -> HTMLResponse:
        """With the interviewer link's key, or without it for a live peer of the interview
        (whose page then calls the API without a key, as a peer)."""
        if key is None:
            with request.app.state.sessions() as s:
                interviews.reach_as_peer(s, interview_id, actor)
        else:
            _interview(request, interview_id, key, actor)
        return page(
            request,
            "interviewer.html",
            title="Interviewer",
            interview_id=interview_id,
            key=key or "",
            peer=key is None,
        )

    @app.get("/stories", dependencies=signed, **html)
    def stories(request: Request) -> HTMLResponse:
        return page(request, "stories.html", title="Stories")

    @app.get("/cards", dependencies=signed, **html)
    def cards(request: Request) -> HTMLResponse:
        return page(request, "cards.html", title="Flashcards")

    @app.get("/review", dependencies=signed, **html)
    def review(request: Request) -> HTMLResponse:
        return page(request, "review.html", title="Review coach")

    @app.get("/account", dependencies=signed, **html)
    def account_page(request: Request) -> HTMLResponse:
        multi = request.app.state.settings.multi_user
        return page(request, "account.html", title="Account", multi_user=multi)

    @app.get("/dashboard", dependencies=signed, **html)
    def dashboard(request: Request) -> HTMLResponse:
        return page(request, "dashboard.html", title="Dashboard")

    @app.get("/sharing", **html)
    def sharing(request: Request, actor: Me) -> HTMLResponse:
        """What the actor shares and what reaches it, mentors and interview peers (the data
        comes from the API, but for the peers the actor granted, which no route lists)."""
        multi = request.app.state.settings.multi_user
        with request.app.state.sessions() as s:
            peers = interviews.peers_granted(s, actor) if multi else []
        return page(request, "sharing.html", title="Sharing", multi_user=multi, peers=peers)

    @app.get("/career/{kind}", dependencies=signed, **html)
    def career_page(request: Request, kind: str) -> HTMLResponse:
        from staffpath.web.career_kinds import KINDS

        if kind not in KINDS:
            raise HTTPException(404, f"no kind of career document {kind!r}")
        return page(request, "career.html", title=KINDS[kind].title, kind=kind)

    @app.get("/compare", dependencies=signed, **html)
    def compare(request: Request, a: int | None = None, b: int | None = None) -> HTMLResponse:
        return page(request, "compare.html", title="Compare", a=a, b=b)


def _interview(request: Request, interview_id: int, key: str | None, actor: Actor) -> None:

    from staffpath.store import repository as repo

    with request.app.state.sessions() as s:
        try:
            row = repo.get_interview(session=s, interview_id=interview_id, actor=actor, key=key)
        except repo.NotFound:
            raise HTTPException(404, f"no interview {interview_id}") from None
        if key is not None and not secrets.compare_digest(row.key.encode(), key.encode()):
            raise HTTPException(403, "this interviewer link's key is wrong")


def _exists(request: Request, design_id: int, actor: Actor) -> None:
    from staffpath.store import repository as repo

    with request.app.state.sessions() as s:
        try:
            repo.get_design(session=s, design_id=design_id, actor=actor)
        except repo.NotFound:
            raise HTTPException(404, f"no design {design_id}") from None
