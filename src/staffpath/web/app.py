"""The studio's FastAPI application: ``create_app(settings)``.

Nothing is created at import time: the database is connected and migrated, and the job
runner started, when the app is made. Every error a client can cause is a 4xx with a JSON
body that says what to fix; the one handler for the rest logs and answers 500.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from staffpath import __version__
from staffpath.errors import DesignError, UserError
from staffpath.store.database import connect
from staffpath.web import api, interviews, practice
from staffpath.web.jobs import Jobs
from staffpath.web.settings import Settings

HERE = Path(__file__).parent
log = logging.getLogger("staffpath.web")


def _validation(exc: RequestValidationError) -> list[dict[str, Any]]:
    """pydantic's errors in plain words: where in the body, and what was wrong."""
    out = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        out.append({"path": where, "message": err.get("msg", "invalid"), "type": err.get("type")})
    return out


def create_app(settings: Settings) -> FastAPI:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    sessions = connect(settings.database_url)
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
    )
    app.state.sessions = sessions
    app.state.jobs = jobs
    app.state.settings = settings

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

    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": "invalid request", "errors": _validation(exc)}, 422)

    @app.exception_handler(DesignError)
    async def on_design(_: Request, exc: DesignError) -> JSONResponse:
        return api.invalid(exc)

    @app.exception_handler(UserError)
    async def on_user(_: Request, exc: UserError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, 422)

    @app.exception_handler(Exception)
    async def on_bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error; the studio's log has the details"}, 500)

    app.include_router(api.router)
    app.include_router(interviews.router)
    app.include_router(practice.router)
    _pages(app)
    return app


def _pages(app: FastAPI) -> None:
    templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def page(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"version": __version__, **context})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def library(request: Request) -> HTMLResponse:
        return page(request, "library.html", title="Designs")

    @app.get("/designs/{design_id}", response_class=HTMLResponse, include_in_schema=False)
    def editor(request: Request, design_id: int) -> HTMLResponse:
        _exists(request, design_id)
        return page(request, "editor.html", title="Editor", design_id=design_id)

    @app.get("/designs/{design_id}/simulate", response_class=HTMLResponse, include_in_schema=False)
    def simulate(request: Request, design_id: int) -> HTMLResponse:
        _exists(request, design_id)
        return page(request, "simulate.html", title="Simulate", design_id=design_id)

    @app.get("/interviews", response_class=HTMLResponse, include_in_schema=False)
    def interview_list(request: Request) -> HTMLResponse:
        return page(request, "interviews.html", title="Interviews")

    @app.get("/interviews/{interview_id}", response_class=HTMLResponse, include_in_schema=False)
    def interview(request: Request, interview_id: int) -> HTMLResponse:
        _interview(request, interview_id, None)
        return page(request, "interview.html", title="Interview", interview_id=interview_id)

    @app.get(
        "/interviews/{interview_id}/interviewer",
        response_class=HTMLResponse,
        include_in_schema=False,
    )
    def interviewer(request: Request, interview_id: int, key: str) -> HTMLResponse:
        _interview(request, interview_id, key)
        return page(
            request, "interviewer.html", title="Interviewer", interview_id=interview_id, key=key
        )

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories(request: Request) -> HTMLResponse:
        return page(request, "stories.html", title="Stories")

    @app.get("/cards", response_class=HTMLResponse, include_in_schema=False)
    def cards(request: Request) -> HTMLResponse:
        return page(request, "cards.html", title="Flashcards")

    @app.get("/review", response_class=HTMLResponse, include_in_schema=False)
    def review(request: Request) -> HTMLResponse:
        return page(request, "review.html", title="Review coach")

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare(request: Request, a: int | None = None, b: int | None = None) -> HTMLResponse:
        return page(request, "compare.html", title="Compare", a=a, b=b)


def _interview(request: Request, interview_id: int, key: str | None) -> None:
    import secrets

    from staffpath.store import repository as repo

    with request.app.state.sessions() as s:
        try:
            row = repo.get_interview(session=s, interview_id=interview_id)
        except repo.NotFound:
            raise HTTPException(404, f"no interview {interview_id}") from None
        if key is not None and not secrets.compare_digest(row.key, key):
            raise HTTPException(403, "this interviewer link's key is wrong")


def _exists(request: Request, design_id: int) -> None:
    from staffpath.store import repository as repo

    with request.app.state.sessions() as s:
        try:
            repo.get_design(session=s, design_id=design_id)
        except repo.NotFound:
            raise HTTPException(404, f"no design {design_id}") from None
