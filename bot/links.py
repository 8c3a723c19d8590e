"""Signed links to the Progress View: chat cards and `progressbot open` hand them out.

A link carries the person it acts for (and, for a task link, the task) signed with
`api.link_secret`; it is good for `api.link_ttl_seconds`. Opening one starts a browser session
(`bot.web.session`), so the link itself never has to be shown again.
"""

from __future__ import annotations

import logging
import secrets
import sys
from typing import Any
from urllib.parse import quote

from itsdangerous import BadData, URLSafeTimedSerializer
from pydantic import SecretStr

from bot.config import Config
from store.db import Database
from store.queries import Queries
from store.settings import shared_value

__all__ = [
    "LINK_SALT",
    "ensure_link_secret",
    "index_link",
    "print_link",
    "task_link",
    "verify_link",
]

logger = logging.getLogger(__name__)

LINK_SALT = "progressbot-link"
LINK_SECRET_KEY = "api.link_secret"


def _serializer(config: Config) -> URLSafeTimedSerializer:
    secret = config.api.link_secret.get_secret_value()
    if not secret:
        raise RuntimeError("api.link_secret is unset; call ensure_link_secret() at start-up")
    return URLSafeTimedSerializer(secret, salt=LINK_SALT)


async def ensure_link_secret(config: Config, db: Database) -> None:
    """With no `api.link_secret` configured, use the one kept in the store (made on first use),
    so links printed by one process open on every other."""
    if not config.api.link_secret.get_secret_value():
        stored = await shared_value(db, LINK_SECRET_KEY, secrets.token_urlsafe(32))
        config.api.link_secret = SecretStr(stored)


def _base(config: Config) -> str:
    return (config.api.public_url or "").rstrip("/")


def make_token(config: Config, person: str, task_id: str | None = None) -> str:
    payload: dict[str, Any] = {"p": person}
    if task_id is not None:
        payload["t"] = task_id
    return _serializer(config).dumps(payload)


def task_link(config: Config, task_id: str, person: str) -> str:
    """The absolute URL of a task's Progress View, acting for `person`."""
    token = make_token(config, person, task_id)
    return f"{_base(config)}/tasks/{quote(task_id, safe='')}?t={token}"


def index_link(config: Config, person: str) -> str:
    """The absolute URL of `person`'s task list."""
    return f"{_base(config)}/?t={make_token(config, person)}"


def verify_link(config: Config, token: str, *, task_id: str | None = None) -> str | None:
    """The person a link token acts for, or None when it is forged, expired or for another page.

    A task link is good for its own task only; an index link (no task) for any page, since it
    was given to the person as a whole and each page still checks what they may see."""
    try:
        payload = _serializer(config).loads(token, max_age=config.api.link_ttl_seconds)
    except BadData:
        return None
    if not isinstance(payload, dict):
        return None
    person = payload.get("p")
    if not isinstance(person, str) or not person:
        return None
    linked_task = payload.get("t")
    if linked_task is not None and linked_task != task_id:
        return None
    return person


async def print_link(config: Config, task_id: str, *, person: str | None = None) -> int:
    """`progressbot open TASK`: print the task's signed link; 1 when there is no such task."""
    person = person or config.console.person
    if not config.directory().exists(person):
        print(f"error: {person!r} is not a person in users:", file=sys.stderr)
        return 1
    db = Database(config.store.url)
    try:
        found = await Queries(db).exists(task_id)
        await ensure_link_secret(config, db)
    except Exception as exc:  # an unreachable store or a missing schema
        logger.debug("looking up task %s failed", task_id, exc_info=True)
        print(f"error: cannot read the task store: {type(exc).__name__}", file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    if not found:
        print(f"error: there is no task {task_id!r}", file=sys.stderr)
        return 1
    print(task_link(config, task_id, person))
    return 0
