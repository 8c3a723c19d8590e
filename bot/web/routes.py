"""The web page's routes: the task list, the Progress View, its static files and its buttons.

Pages answer 401 without a valid link or session and 403 to a person who may not see the task,
with a short page that names no task. The buttons act as the session's person, with the same
permissions as in chat, and must carry the session's CSRF token.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.api.http import BROWSER_SESSION, ApiError, read_json
from bot.links import Grant, read_link
from bot.services import SERVICES, Services
from bot.steering.controls import steer, steered_snapshot
from bot.steering.permissions import can_control, can_see, is_approver
from bot.web.render import (
    STATIC_DIR,
    error_page,
    index_page,
    logout_form,
    progress_page,
    switch_page,
)
from bot.web.session import (
    Session,
    clear_session,
    csrf_ok,
    link_grant,
    read_session,
    session_viewer,
    start_session,
)
from bot.web.timeline import read_timeline
from store.errors import NotFound
from store.shapes import SnapshotShape

__all__ = ["add_web_routes"]

logger = logging.getLogger(__name__)

STATIC_FILES: dict[str, str] = {
    "app.css": "text/css; charset=utf-8",
    "progress.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}
PAGE_HEADERS: dict[str, str] = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self' ws: wss:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
UNAUTHORIZED = (
    "This link is not valid",
    "The link has expired or is not right. Ask the bot for a fresh link to your task.",
)
FORBIDDEN = ("Not yours to see", "You don't have access to this page.")
NOT_FOUND = ("Nothing here", "There is no such page.")
LOG_LINES = 200


def _html(body: str, status: int = 200) -> web.Response:
    return web.Response(
        text=body, status=status, content_type="text/html", charset="utf-8", headers=PAGE_HEADERS
    )


def _error_html(status: int, words: tuple[str, str]) -> web.Response:
    return _html(error_page(*words), status)


def _same_session(session: Session | None, grant: Grant) -> bool:
    """Whether the browser's session already is what the link grants (nothing to change)."""
    return (
        session is not None
        and session.person == grant.person
        and (session.task_id is None or session.task_id == grant.task_id)
    )


def _ask_before_switching(request: web.Request, session: Session, grant: Grant) -> web.Response:
    services = request.app[SERVICES]
    assert grant.person is not None
    return _html(
        switch_page(
            services.directory.display_name(session.person),
            services.directory.display_name(grant.person),
            request.query["t"],
            session.csrf,
            request.path,
        )
    )


async def index(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    session = read_session(request)
    grant = link_grant(request)
    fresh = False
    if grant is not None and grant.person is not None and not _same_session(session, grant):
        if session is not None and session.person != grant.person:
            return _ask_before_switching(request, session, grant)
        session, fresh = Session(grant.person, "", grant.task_id), True
    if session is None:
        return _error_html(401, UNAUTHORIZED)
    if session.task_id is not None:
        # A session a task link opened shows that task only.
        return _error_html(403, FORBIDDEN)
    person = session.person
    tasks = await services.queries.list_tasks(
        person=person, teams=services.directory.teams_of(person), limit=200
    )
    response = _html("")
    if fresh:
        session = start_session(response, services.config, person)
    response.text = index_page(
        services.directory.display_name(person), tasks, logout_form(session.csrf)
    )
    return response


async def task_page(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    task_id = request.match_info["task_id"]
    session = read_session(request)
    grant = link_grant(request, task_id)
    response = web.Response(status=200)
    person: str | None = None
    if grant is not None and grant.person is None:
        pass  # a view link: this task, read-only, whoever holds it; the session is left alone
    elif grant is not None and not _same_session(session, grant):
        if session is not None and session.person != grant.person:
            return _ask_before_switching(request, session, grant)
        assert grant.person is not None
        session = start_session(response, services.config, grant.person, grant.task_id)
        person = session.person
    elif session is not None and session.covers(task_id):
        person = session.person
    else:
        return _error_html(401 if session is None else 403, UNAUTHORIZED)
    try:
        snap = await services.progress.snapshot(task_id)
    except NotFound:
        return _error_html(404, NOT_FOUND)
    if person is not None and not can_see(services.directory, person, snap):
        return _error_html(403, FORBIDDEN)
    logs = await services.queries.logs(task_id, limit=LOG_LINES)
    history = await read_timeline(services, task_id, snap)
    view_only = person is None
    body = progress_page(
        snap,
        logs=logs,
        history=history,
        now=services.clock.time(),
        csrf=session.csrf if session is not None and not view_only else "view-only",
        can_control=not view_only and can_control(services.directory, person or "", snap),
        is_approver=not view_only and is_approver(services.directory, person or "", snap),
        view_only=view_only,
        logout=logout_form(session.csrf) if session is not None and not view_only else "",
    )
    response.text = body
    response.content_type = "text/html"
    response.charset = "utf-8"
    response.headers.update(PAGE_HEADERS)
    return response


async def static_file(request: web.Request) -> web.Response:
    # Browsers ask for /favicon.ico on their own; the page's icon is an SVG.
    name = request.match_info.get("name", "favicon.svg")
    content_type = STATIC_FILES.get(name)
    if content_type is None:
        raise web.HTTPNotFound()
    body = (STATIC_DIR / name).read_bytes()
    # The pages ask for ?v=<content hash>, so a changed file is a new URL.
    cache = "public, max-age=31536000, immutable" if request.query.get("v") else "no-cache"
    return web.Response(
        body=body,
        headers={
            "Content-Type": content_type,
            "Cache-Control": cache,
            "X-Content-Type-Options": "nosniff",
        },
    )


# ---------------------------------------------------------------------- the page's buttons


def _button_session(request: web.Request) -> Session:
    """The session behind a button press; a press without the page's CSRF token is refused."""
    session = read_session(request)
    if session is None:
        raise ApiError(401, "unauthorized", "open the task's link again to sign in")
    if not csrf_ok(request, session):
        raise ApiError(403, "csrf", "the request did not come from the Progress View")
    return session


async def _steerable(services: Services, session: Session, task_id: str) -> SnapshotShape:
    person = session.person
    if not session.covers(task_id):
        raise ApiError(403, "forbidden", "this session is for another task")
    try:
        snap = await services.progress.snapshot(task_id)
    except NotFound:
        raise ApiError(404, "not_found", "there is no such task") from None
    if not can_see(services.directory, person, snap):
        raise ApiError(403, "forbidden", "this task is not yours to see")
    if not can_control(services.directory, person, snap):
        raise ApiError(403, "forbidden", "only the task's owner and team can steer it")
    return snap


async def _reason(request: web.Request) -> str | None:
    data: Any = await read_json(request, optional=True)
    if not isinstance(data, dict):
        raise ApiError(422, "invalid", "the body must be a JSON object")
    reason = data.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise ApiError(422, "invalid", "reason must be text")
    return reason.strip() or None if reason else None


async def press_control(request: web.Request) -> web.Response:
    session = _button_session(request)
    services = request.app[SERVICES]
    task_id = request.match_info["task_id"]
    action = request.match_info["action"]
    await _steerable(services, session, task_id)
    reason = await _reason(request)
    shown = await steer(services, task_id, action, by=session.person, via="web", reason=reason)
    return web.json_response(await steered_snapshot(services, task_id, shown))


async def press_step(request: web.Request) -> web.Response:
    session = _button_session(request)
    services = request.app[SERVICES]
    task_id = request.match_info["task_id"]
    action = request.match_info["action"]
    step = int(request.match_info["step"])
    await _steerable(services, session, task_id)
    reason = await _reason(request)
    await steer(services, task_id, action, step=step, by=session.person, via="web", reason=reason)
    return web.json_response(await services.progress.snapshot(task_id))


async def press_decision(request: web.Request) -> web.Response:
    session = _button_session(request)
    services = request.app[SERVICES]
    approval_id = int(request.match_info["approval_id"])
    try:
        approval = await services.queries.approval(approval_id)
    except NotFound:
        raise ApiError(404, "not_found", "there is no such approval") from None
    if not session.covers(str(approval.get("task_id"))):
        raise ApiError(403, "forbidden", "this session is for another task")
    reason = await _reason(request)
    # The Tracker checks the approval's approvers; a stranger gets Forbidden (403).
    result = await services.tracker.decide(
        approval_id, request.match_info["decision"], by=session.person, via="web", reason=reason
    )
    snap = await services.progress.snapshot(result.task_id)
    return web.json_response(
        {**snap, "decision": {"status": result.status, "decided_by": result.decided_by}}
    )


async def task_history(request: web.Request) -> web.Response:
    """The page refreshes its history table from here after each change it hears of."""
    session = read_session(request)
    if session is None:
        raise ApiError(401, "unauthorized", "open the task's link again to sign in")
    services = request.app[SERVICES]
    task_id = request.match_info["task_id"]
    try:
        snap = await services.progress.snapshot(task_id)
    except NotFound:
        raise ApiError(404, "not_found", "there is no such task") from None
    if not session.covers(task_id) or not can_see(services.directory, session.person, snap):
        raise ApiError(403, "forbidden", "this task is not yours to see")
    history = await services.queries.history(task_id)
    events = await read_timeline(services, task_id, snap)
    return web.json_response({"task_id": task_id, "history": history, "timeline": events})


async def _form(request: web.Request) -> dict[str, str]:
    """A form post from our own pages: another site's form is refused by its Origin."""
    # The pages send no Referer, so browsers may say `Origin: null`; Sec-Fetch-Site still tells.
    # The CSRF token in the form is the real check; these refuse other sites early.
    origin = request.headers.get("Origin")
    fetch_site = request.headers.get("Sec-Fetch-Site")
    config = request.app[SERVICES].config
    allowed = {f"{request.scheme}://{request.host}", (config.api.public_url or "").rstrip("/")}
    foreign = fetch_site is not None and fetch_site not in ("same-origin", "none")
    if origin is not None and origin != "null" and origin.rstrip("/") not in allowed:
        foreign = True
    if foreign:
        raise web.HTTPForbidden(text="the form did not come from the Progress View")
    data = await request.post()
    return {k: v for k, v in data.items() if isinstance(v, str)}


async def switch(request: web.Request) -> web.StreamResponse:
    """The interstitial's button: replace the session with the link's, asked and confirmed."""
    services = request.app[SERVICES]
    form = await _form(request)
    session = read_session(request)
    if session is None or not hmac.compare_digest(
        form.get("csrf", "").encode(), session.csrf.encode()
    ):
        return _error_html(403, FORBIDDEN)
    next_url = form.get("next", "/")
    task_id = next_url.removeprefix("/tasks/") if next_url.startswith("/tasks/") else None
    grant = read_link(services.config, form.get("t", ""), task_id=task_id)
    if grant is None or grant.person is None or not services.directory.exists(grant.person):
        return _error_html(401, UNAUTHORIZED)
    target = f"/tasks/{quote(grant.task_id, safe='')}" if grant.task_id else "/"
    response = web.Response(status=303, headers={"Location": target})
    start_session(response, services.config, grant.person, grant.task_id)
    return response


async def logout(request: web.Request) -> web.StreamResponse:
    form = await _form(request)
    session = read_session(request)
    if session is not None and not hmac.compare_digest(
        form.get("csrf", "").encode(), session.csrf.encode()
    ):
        return _error_html(403, FORBIDDEN)
    response = _html(error_page("Logged out", "Open a link from the bot to sign in again."))
    clear_session(response)
    return response


def add_web_routes(app: web.Application) -> None:
    """The Progress View's pages, static files and button endpoints."""
    # The API's WebSockets accept the page's session (or a view link) as well as tokens.
    app[BROWSER_SESSION] = session_viewer
    app.router.add_post("/web/switch", switch)
    app.router.add_post("/web/logout", logout)
    app.router.add_get("/", index)
    app.router.add_get("/tasks/{task_id}", task_page)
    app.router.add_get("/static/{name}", static_file)
    app.router.add_get("/favicon.ico", static_file)
    app.router.add_get("/web/tasks/{task_id}/history", task_history)
    app.router.add_post(
        "/web/tasks/{task_id}/{action:(pause|resume|cancel|restart)}", press_control
    )
    app.router.add_post("/web/tasks/{task_id}/steps/{step:\\d+}/{action:(retry|skip)}", press_step)
    app.router.add_post(
        "/web/approvals/{approval_id:\\d+}/{decision:(approve|reject)}", press_decision
    )
