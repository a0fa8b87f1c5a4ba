"""Every route declares who may call it (AZ-1); every change needs the CSRF token (CS-1, CS-2);
every response carries the security headers (AP-3)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from staffpath.web.policy import (
    CSP,
    PUBLIC_PATHS,
    SECURITY_HEADERS,
    content_security_policy,
    declared,
    policy_of,
    public,
    signed_in,
)
from tests.web.multiuser import Studio, studio

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def multi(database_url: str, tmp_path: Path) -> Iterator[Studio]:
    with studio(database_url, tmp_path) as s:
        s.add_user("ada")
        yield s


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _routes(app: FastAPI) -> list[tuple[str, str, str | None]]:
    """(method, path, policy) of every route with methods (the static mount has none)."""
    return [(m, d.path, d.policy) for d in declared(app) for m in sorted(d.methods - {"HEAD"})]


def test_every_route_declares_a_policy(multi: Studio) -> None:
    """AZ-1: 100 % of routes declare a policy; only the allowlist is public. Deny by default."""
    routes = declared(multi.app)
    undeclared = sorted({d.path for d in routes if d.policy is None})
    public_ones = {d.path for d in routes if d.policy == "public"}
    assert not undeclared, f"routes without a policy: {undeclared}"
    assert public_ones <= PUBLIC_PATHS | {"/api/logout"}, public_ones
    assert {"/login", "/api/login", "/static"} <= public_ones  # the mount was seen too
    assert len(routes) >= 60


def test_a_route_without_a_policy_is_caught() -> None:
    """The check can fail: a route that forgets its policy has none."""
    app = FastAPI()
    guarded = APIRouter(dependencies=[Depends(signed_in)])

    @app.get("/forgot")
    def forgot() -> None: ...

    @guarded.get("/guarded")
    def fine() -> None: ...

    @app.get("/open", dependencies=[Depends(public)])
    def open_() -> None: ...

    app.include_router(guarded)
    found = {str(r.path): policy_of(r) for r in iter_route_contexts(app.routes)}
    assert found["/forgot"] is None
    assert found["/guarded"] == "signed_in" and found["/open"] == "public"
    assert found["/openapi.json"] is None  # FastAPI's own route: ours replaces it


def test_anonymous_requests_are_denied_everywhere_but_the_allowlist(multi: Studio) -> None:
    """AZ-1: without a session, every non-public route answers 401 (API) or 303 (pages)."""
    c = multi.anonymous()
    wrong = []
    for method, path, policy in _routes(multi.app):
        if policy == "public":
            continue
        r = c.request(method, _concrete(path), follow_redirects=False)
        expected = 401 if path.startswith("/api/") or path == "/openapi.json" else 303
        if r.status_code != expected:
            wrong.append((method, path, r.status_code))
    assert not wrong


def test_every_change_with_a_session_needs_the_csrf_token(multi: Studio) -> None:
    """CS-1 (auto-enumerated, sign-in and sign-out included) and CS-2 (a forged bearer)."""
    c = multi.sign_in("ada")
    token = c.headers.pop("X-CSRF-Token")
    unsafe = [(m, p) for m, p, _ in _routes(multi.app) if m in UNSAFE]
    assert len(unsafe) >= 25 and ("POST", "/api/login") in unsafe
    for method, path in unsafe:
        url = _concrete(path)
        assert c.request(method, url, json={}).status_code == 403, (method, path)
        forged = {"Authorization": "Bearer junk"}
        assert c.request(method, url, json={}, headers=forged).status_code == 403, (method, path)
        wrong = {"X-CSRF-Token": token[:-1] + ("A" if token[-1] != "A" else "B")}
        assert c.request(method, url, json={}, headers=wrong).status_code == 403, (method, path)
    # and with the token, the same requests get through the check (to a 2xx or a 4xx of their own)
    for method, path in unsafe:
        if path in ("/api/logout", "/api/password", "/api/login"):
            continue
        r = c.request(method, _concrete(path), json={}, headers={"X-CSRF-Token": token})
        assert r.status_code != 403 or "CSRF" not in r.text, (method, path)


def _page_paths(app: FastAPI) -> list[str]:
    """The HTML pages: the GET routes outside /api (and the OpenAPI description)."""
    return [
        d.path
        for d in declared(app)
        if "GET" in d.methods and not d.path.startswith("/api/") and d.path != "/openapi.json"
    ]


NONCE = re.compile(r'<meta name="csp-nonce" nonce="([A-Za-z0-9_-]{22})">')


@pytest.mark.parametrize("mode", ["single", "multi"])
def test_security_headers_on_every_page_and_response(
    database_url: str, tmp_path: Path, mode: str
) -> None:
    """AP-3: CSP default-src 'self' and frame-ancestors 'none', nosniff, Referrer-Policy; styles
    from 'self' only, and on an HTML page from a ``<style>`` with the page's own nonce."""
    with studio(database_url, tmp_path, multi_user=mode == "multi") as s:
        if mode == "multi":
            s.add_user("ada")
            c = s.sign_in("ada")
        else:
            c = s.client
        design = c.post("/api/designs", json={"example": "url-shortener"}).json()["id"]
        interview = c.post("/api/interviews", json={"problem": "url-shortener"}).json()
        urls = [
            p.replace("{design_id}", str(design))
            .replace("{interview_id}", str(interview["id"]))
            .replace("{kind}", "assessment")
            .replace("/interviewer", f"/interviewer?key={interview['key']}")
            for p in _page_paths(s.app)
        ]
        urls += ["/static/studio.css", "/static/api.js", "/api/designs", "/api/nope"]
        assert len(urls) >= 14
        nonces = []
        for url in urls:
            r = c.get(url, follow_redirects=False)
            assert r.status_code in (200, 303, 404), (url, r.status_code)
            for name, value in SECURITY_HEADERS.items():
                if name != "Content-Security-Policy":
                    assert r.headers.get(name) == value, (url, name)
            policy = r.headers["Content-Security-Policy"]
            assert "unsafe-inline" not in policy and "unsafe-hashes" not in policy, url
            if r.headers.get("content-type", "").startswith("text/html") and r.status_code == 200:
                found = NONCE.search(r.text)
                assert found, (url, "no <meta name=csp-nonce> on the page")
                nonces.append(found[1])
                assert policy == content_security_policy(found[1]), url
            else:
                assert policy == CSP, url
        assert len(nonces) >= 11 and len(set(nonces)) == len(nonces)  # one per response
        again = NONCE.search(c.get("/").text)
        assert again and again[1] not in nonces
        directives = dict(d.split(" ", 1) for d in CSP.split("; "))
        assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
        assert directives["style-src"] == "'self'"
        assert content_security_policy("abc").split("; ")[2] == "style-src 'self' 'nonce-abc'"
        assert "script-src" not in directives  # scripts fall back to 'self': no inline script runs
        assert SECURITY_HEADERS["X-Content-Type-Options"] == "nosniff"
        assert SECURITY_HEADERS["Referrer-Policy"] == "same-origin"


def test_no_page_needs_an_inline_script(client: TestClient) -> None:
    """AP-3: the CSP allows scripts from /static only; the templates have no inline script or
    event-handler attribute, so nothing is blocked."""
    templates = Path(__file__).resolve().parents[2] / "src" / "staffpath" / "web" / "templates"
    for template in templates.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert 'src="/static/' in tag, (template.name, tag)
        assert not re.search(r"\son[a-z]+\s*=", text), template.name


def test_no_page_has_an_inline_style() -> None:
    """AP-3: styles come from /static/studio.css only (``style-src 'self'``): no template has a
    style attribute or a ``<style>`` element, and no script builds markup with one (scripts
    set sizes through the CSSOM; tests/e2e/test_csp.py watches the pages for violations)."""
    web = Path(__file__).resolve().parents[2] / "src" / "staffpath" / "web"
    for template in (web / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\sstyle\s*=", text), template.name
        assert not re.search(r"<style\b", text), template.name
    for script in (web / "static").glob("*.js"):
        text = script.read_text(encoding="utf-8")
        assert not re.search(r"<[a-z][^<>]*\sstyle\s*=", text), script.name
        assert not re.search(r"setAttribute\(\s*[\"']style", text), script.name
