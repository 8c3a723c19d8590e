"""Who a browser acts for: a signed link in `?t=`, else the signed session cookie it opened.

The cookie holds the person, the one task a task link opened it for (or none, for the person's
whole list), and a per-session CSRF token, signed with `api.link_secret` and expiring with
`api.link_ttl_seconds`. A view link (`bot.links.view_link`) never starts a session. The page
embeds the CSRF token and its buttons send it back in `X-Progressbot-CSRF`; another site can
neither read it nor set that header without CORS.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from itsdangerous import BadData, URLSafeTimedSerializer

from bot.config import Config
from bot.links import Grant, read_link
from bot.services import SERVICES

__all__ = [
    "COOKIE_NAME",
    "CSRF_HEADER",
    "Session",
    "clear_session",
    "csrf_ok",
    "link_grant",
    "read_session",
    "session_viewer",
    "start_session",
]

COOKIE_NAME = "progressbot_session"
CSRF_HEADER = "X-Progressbot-CSRF"
SESSION_SALT = "progressbot-session"


@dataclass(frozen=True, slots=True)
class Session:
    person: str
    csrf: str
    task_id: str | None = None  # a session a task link opened sees that task only

    def covers(self, task_id: str) -> bool:
        return self.task_id is None or self.task_id == task_id


def _serializer(config: Config) -> URLSafeTimedSerializer:
    secret = config.api.link_secret.get_secret_value()
    if not secret:
        raise RuntimeError("api.link_secret is unset; call ensure_link_secret() at start-up")
    return URLSafeTimedSerializer(secret, salt=SESSION_SALT)


def start_session(
    response: web.StreamResponse, config: Config, person: str, task_id: str | None = None
) -> Session:
    """Set the session cookie for `person` (on `task_id` only, if given); returns the session."""
    session = Session(person, secrets.token_urlsafe(24), task_id)
    value = _serializer(config).dumps({"p": person, "c": session.csrf, "t": task_id})
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


def clear_session(response: web.StreamResponse) -> None:
    response.del_cookie(COOKIE_NAME, path="/")


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
    if origin == "null":
        # Our pages send no Referer, so a browser's own form post may say `Origin: null`.
        return request.headers.get("Sec-Fetch-Site") == "same-origin"
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
    person, csrf, task_id = data.get("p"), data.get("c"), data.get("t")
    if not isinstance(person, str) or not isinstance(csrf, str):
        return None
    if task_id is not None and not isinstance(task_id, str):
        return None
    if not services.directory.exists(person):
        return None
    return Session(person, csrf, task_id)


def link_grant(request: web.Request, task_id: str | None = None) -> Grant | None:
    """What a valid link token in `?t=` (or `token`) grants on this page, or None."""
    token = request.query.get("t")
    if not token:
        return None
    services = request.app[SERVICES]
    grant = read_link(services.config, token, task_id=task_id or _link_task_id(request))
    if grant is None or (grant.person is not None and not services.directory.exists(grant.person)):
        return None
    return grant


def session_viewer(request: web.Request) -> tuple[str | None, str | None] | None:
    """Who this browser request is, for the WebSockets: (person or None for a view link, the one
    task it is limited to or None). A valid link first, else the session cookie."""
    grant = link_grant(request)
    if grant is not None:
        return grant.person, grant.task_id
    session = read_session(request)
    return (session.person, session.task_id) if session is not None else None


def csrf_ok(request: web.Request, session: Session) -> bool:
    sent = request.headers.get(CSRF_HEADER, "")
    return bool(sent) and hmac.compare_digest(sent.encode(), session.csrf.encode())
