"""Signed links to the Progress View: chat cards and `progressbot open` hand them out.

Two kinds, both for one task and signed with `api.link_secret`:

- a **personal** link acts for one person on one task (`task_link`); it is good for
  `api.link_ttl_seconds` and opening it starts a browser session for that person and task. It is
  only ever sent where that person alone reads: a DM, a private chat, the console, their e-mail.
- a **view** link (`view_link`) shows one task, read-only, to whoever holds it, for
  `api.view_link_ttl_seconds`. Cards in channels and groups carry these.

`link_for(config, task_id, platform, chat, person)` picks the kind from where the link goes.
Links are stamped with the start of a time bucket, not the second they were made, so the card
edited ten times in a row keeps one URL.
"""

from __future__ import annotations

import functools
import logging
import secrets
import sys
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import quote

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer
from pydantic import SecretStr

from bot import logsafe
from bot.config import Config
from store.db import Database
from store.queries import Queries
from store.settings import shared_value

__all__ = [
    "LINK_SALT",
    "Grant",
    "ensure_link_secret",
    "index_link",
    "is_shared",
    "link_for",
    "print_link",
    "read_link",
    "task_link",
    "verify_link",
    "view_link",
]

logger = logging.getLogger(__name__)

LINK_SALT = "progressbot-link"
LINK_SECRET_KEY = "api.link_secret"


async def ensure_link_secret(config: Config, db: Database) -> None:
    """With no `api.link_secret` configured, use the one kept in the store (made on first use),
    so links printed by one process open on every other."""
    if not config.api.link_secret.get_secret_value():
        stored = await shared_value(db, LINK_SECRET_KEY, secrets.token_urlsafe(32))
        config.api.link_secret = SecretStr(stored)
        logsafe.install([stored])


VIEW_SALT = "progressbot-view-link"


def _bucket(ttl: int) -> int:
    # Links made within one bucket are the same link; a link lives between ttl - bucket and ttl.
    return max(1, min(3600, ttl // 8))


@functools.lru_cache(maxsize=64)
def _signer(bucket: int) -> type[TimestampSigner]:
    class BucketSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            now = int(time.time())
            return now - now % bucket

    return BucketSigner


# Tokens made in the current bucket, by what they sign: a token is the same throughout its
# bucket, and signing one costs more than the rest of a chat answer's link.
_MADE: OrderedDict[tuple[str, str, int, tuple[tuple[str, str], ...]], str] = OrderedDict()
MADE_CACHE_SIZE = 10_000


def _made(config: Config, salt: str, payload: dict[str, str]) -> str:
    ttl = config.api.view_link_ttl_seconds if salt == VIEW_SALT else config.api.link_ttl_seconds
    bucket = _bucket(ttl)
    now = int(time.time())
    secret = config.api.link_secret.get_secret_value()
    key = (secret, salt, now - now % bucket, tuple(sorted(payload.items())))
    token = _MADE.get(key)
    if token is None:
        token = _serializer(config, salt, making=True).dumps(payload)
        _MADE[key] = token
        while len(_MADE) > MADE_CACHE_SIZE:
            _MADE.popitem(last=False)
    return token


def _serializer(
    config: Config, salt: str = LINK_SALT, *, making: bool = False
) -> URLSafeTimedSerializer:
    """Reading checks the age against the real clock; making stamps the bucket's start."""
    ttl = config.api.view_link_ttl_seconds if salt == VIEW_SALT else config.api.link_ttl_seconds
    signer = _signer(_bucket(ttl)) if making else TimestampSigner
    secret = config.api.link_secret.get_secret_value()
    if not secret:
        raise RuntimeError("api.link_secret is unset; call ensure_link_secret() at start-up")
    return URLSafeTimedSerializer(secret, salt=salt, signer=signer)


@dataclass(frozen=True, slots=True)
class Grant:
    """What a link lets its holder do: act as `person` (None: only look), on `task_id` (None:
    every page that person may see)."""

    person: str | None
    task_id: str | None


def is_shared(platform: str, chat: str) -> bool:
    """Whether more than one person reads this chat: Slack channels (C…, G…), Telegram groups
    (negative ids), and any chat we cannot tell. DMs, private chats, the console, e-mail and the
    API's per-person chats are private."""
    if platform in ("console", "email", "api", "web"):
        return False
    if platform == "slack":
        return not chat.startswith(("D", "U", "W"))
    if platform == "telegram":
        try:
            return int(chat) < 0
        except ValueError:
            return True
    return True


def view_link(config: Config, task_id: str) -> str:
    """A read-only link to one task for whoever holds it."""
    token = _made(config, VIEW_SALT, {"v": task_id})
    return f"{_base(config)}/tasks/{quote(task_id, safe='')}?t={token}"


def link_for(config: Config, task_id: str, *, platform: str, chat: str, person: str | None) -> str:
    """The link to put in a message for (platform, chat): personal where only `person` reads it,
    else a view link."""
    if person and not is_shared(platform, chat):
        return task_link(config, task_id, person)
    return view_link(config, task_id)


def read_link(config: Config, token: str, *, task_id: str | None) -> Grant | None:
    """What a link token grants on the page of `task_id` (None: the task list), or None when it
    is forged, expired or for another page."""
    person = verify_link(config, token, task_id=task_id)
    if person is not None:
        payload = _serializer(config).loads(token, max_age=config.api.link_ttl_seconds)
        return Grant(person, payload.get("t"))
    try:
        payload = _serializer(config, VIEW_SALT).loads(
            token, max_age=config.api.view_link_ttl_seconds
        )
    except BadData:
        return None
    if isinstance(payload, dict) and task_id is not None and payload.get("v") == task_id:
        return Grant(None, task_id)
    return None


def _base(config: Config) -> str:
    return (config.api.public_url or "").rstrip("/")


def make_token(config: Config, person: str, task_id: str | None = None) -> str:
    payload: dict[str, str] = {"p": person}
    if task_id is not None:
        payload["t"] = task_id
    return _made(config, LINK_SALT, payload)


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
    """`progressbot open TASK [--person P]`: print P's personal link to the task (it acts as P:
    hand it to P alone); 1 when there is no such task."""
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
