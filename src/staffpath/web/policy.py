"""Who may call a route: every route declares one policy (goal AZ-1), deny by default.

A policy is a FastAPI dependency. A router gets one for all its routes
(``APIRouter(dependencies=[Depends(signed_in)])``), or a route its own
(``@router.post("/login", dependencies=[Depends(public)])``); the route then asks for the
actor with ``actor: Me``, which reuses the policy's answer. :func:`policy_of` reads a route's
policy back, and the test suite fails for any route that has none and is not on
:data:`PUBLIC_PATHS`.

- :func:`public`: anyone, signed in or not (the sign-in page and call, sign-out);
- :func:`signed_in`: an account (in single-user mode, the local user: there is no sign-in);
- :func:`admin`: an admin account.

Who the request comes from is worked out once, by the middleware of :mod:`staffpath.web.auth`,
and left on ``request.state.auth``. Without a session a page redirects to ``/login`` and an
API call answers 401 (see the handler in :mod:`staffpath.web.app`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.routing import Mount

from staffpath.store.accounts import Actor

PUBLIC_PATHS = frozenset({"/login", "/api/login", "/static"})
"""Paths reachable without an account, besides routes that declare :func:`public`. The
static files are the pages' scripts and styles; they hold no user data."""


@dataclass(frozen=True)
class Auth:
    """What the middleware found: the actor (None: anonymous), and the session's CSRF token
    and cookie token when there is a session."""

    actor: Actor | None
    csrf: str | None = None
    token: str | None = None


ANONYMOUS = Auth(actor=None)


class SignInRequired(Exception):
    """No (live) session: a page redirects to the sign-in page, the API answers 401."""


def auth_of(request: Request) -> Auth:
    found = getattr(request.state, "auth", None)
    return found if isinstance(found, Auth) else ANONYMOUS


def public(request: Request) -> Actor | None:
    """Anyone may call the route; the actor, if signed in."""
    return auth_of(request).actor


def signed_in(request: Request) -> Actor:
    actor = auth_of(request).actor
    if actor is None:
        raise SignInRequired
    return actor


def admin(request: Request) -> Actor:
    actor = signed_in(request)
    if not actor.is_admin:
        raise HTTPException(403, "only an admin may do this")
    return actor


POLICIES: dict[Any, str] = {public: "public", signed_in: "signed_in", admin: "admin"}

Me = Annotated[Actor, Depends(signed_in)]
"""The acting user of a route behind :func:`signed_in` (or :func:`admin`, which calls it)."""


def policy_of(route: RouteContext) -> str | None:
    """The policy a route declares (the strictest in its dependency tree, the dependencies of
    the routers it was included through counted), or None. A mount (the static files) has no
    dependencies: it is public when it is on :data:`PUBLIC_PATHS`."""
    if isinstance(route.original_route, Mount):
        return "public" if route.path in PUBLIC_PATHS else None
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    found = set()
    stack = [dependant]
    while stack:
        dep = stack.pop()
        if dep.call in POLICIES:
            found.add(POLICIES[dep.call])
        stack.extend(dep.dependencies)
    for name in ("admin", "signed_in", "public"):
        if name in found:
            return name
    return None


@dataclass(frozen=True)
class Declared:
    path: str
    methods: frozenset[str]
    policy: str | None


def declared(app: FastAPI) -> list[Declared]:
    """Every route of ``app`` (those of included routers with their full paths), and its
    policy: what the AZ-1 test walks."""
    return [
        Declared(path=str(ctx.path), methods=frozenset(ctx.methods or ()), policy=policy_of(ctx))
        for ctx in iter_route_contexts(app.routes)
    ]


# --- security headers (goal AP-3) -------------------------------------------------------------


def content_security_policy(nonce: str | None = None) -> str:
    """The Content-Security-Policy of one response (goal AP-3). Scripts and styles come only
    from the studio's own /static files: no inline script, style attribute or ``<style>``
    element applies, except, on an HTML page, a ``<style>`` element that carries the page's
    ``nonce``. The YAML editor (CodeMirror) writes its theme into such an element at
    run time; it reads the nonce from the page's ``<meta name="csp-nonce">``. The pages'
    scripts set sizes and positions through the CSSOM (``element.style``), which the policy
    does not restrict."""
    styles = "style-src 'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    return "; ".join(
        [
            "default-src 'self'",
            "img-src 'self' data:",
            styles,
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CSP = content_security_policy()
"""The policy of every response but an HTML page's, which adds its own nonce for styles."""
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
"""On every response (goal AP-3); an HTML page's policy is ``content_security_policy(nonce)``
with a fresh nonce (:func:`style_nonce`) per response."""


def style_nonce() -> str:
    """A fresh nonce for one page's ``<style>`` elements: 16 random bytes, URL-safe base64."""
    return secrets.token_urlsafe(16)
