"""Who a browser acts for: a signed link in `?t=`, else the signed session cookie it opened.

The cookie holds the person and a per-session CSRF token, signed with `api.link_secret` and
expiring with `api.link_ttl_seconds`. The page embeds the CSRF token and its buttons send it back
in `X-Progressbot-CSRF`; another site can neither read it nor set that header without CORS.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from itsdangerous import BadData, URLSafeTimedSerializer

from bot.config import Config
from bot.links import verify_link
from bot.services import SERVICES

__all__ = [
    "COOKIE_NAME",
    "CSRF_HEADER",
    "Session",
    "csrf_ok",
    "read_session",
    "session_person",
    "start_session",
]

COOKIE_NAME = "progressbot_session"
CSRF_HEADER = "X-Progressbot-CSRF"
SESSION_SALT = "progressbot-session"


@dataclass(frozen=True, slots=True)
class Session:
    person: str
    csrf: str


def _serializer(config: Config) -> URLSafeTimedSerializer:
    secret = config.api.link_secret.get_secret_value()
    if not secret:
        raise RuntimeError("api.link_secret is unset; call ensure_link_secret() at start-up")
    return URLSafeTimedSerializer(secret, salt=SESSION_SALT)


def start_session(response: web.StreamResponse, config: Config, person: str) -> Session:
    """Set the session cookie for `person` on `response`; returns the new session."""
    session = Session(person, secrets.token_urlsafe(24))
    value = _serializer(config).dumps({"p": person, "c": session.csrf})
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=config.api.link_ttl_seconds,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=(config.api.public_url or "").startswith("https://"),
    )
    return session


def _link_task_id(request: web.Request) -> str | None:
    # A task link opens only its own task's page and WebSocket.
    if request.path.startswith(("/tasks/", "/ws/tasks/")):
        return request.match_info.get("task_id")
    return None


def _same_origin(request: web.Request, config: Config) -> bool:
    """Cookies are sent by same-site pages on other ports too; WebSockets carry an Origin."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    allowed = {f"{request.scheme}://{request.host}", (config.api.public_url or "").rstrip("/")}
    return origin.rstrip("/") in allowed


def read_session(request: web.Request) -> Session | None:
    """The session cookie's person and CSRF token, if the cookie is genuine and fresh."""
    services = request.app[SERVICES]
    config = services.config
    raw = request.cookies.get(COOKIE_NAME)
    if not raw or not _same_origin(request, config):
        return None
    try:
        data: Any = _serializer(config).loads(raw, max_age=config.api.link_ttl_seconds)
    except BadData:
        return None
    if not isinstance(data, dict):
        return None
    person, csrf = data.get("p"), data.get("c")
    if not isinstance(person, str) or not isinstance(csrf, str):
        return None
    if not services.directory.exists(person):
        return None
    return Session(person, csrf)


def link_person(request: web.Request) -> str | None:
    """The person of a valid link token in `?t=` for this page, or None."""
    token = request.query.get("t")
    if not token:
        return None
    services = request.app[SERVICES]
    person = verify_link(services.config, token, task_id=_link_task_id(request))
    if person is None or not services.directory.exists(person):
        return None
    return person


def session_person(request: web.Request) -> str | None:
    """The person this browser request acts for: a valid link first, else the session cookie."""
    person = link_person(request)
    if person is not None:
        return person
    session = read_session(request)
    return session.person if session is not None else None


def csrf_ok(request: web.Request, session: Session) -> bool:
    sent = request.headers.get(CSRF_HEADER, "")
    return bool(sent) and hmac.compare_digest(sent.encode(), session.csrf.encode())
