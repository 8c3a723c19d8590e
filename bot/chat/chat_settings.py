"""Notification settings said in chat: a person's own, or a shared chat's, and who may change
the latter.

A shared chat's settings change only for someone who steers a task that notifies it, or for the
chat's admins where the platform says who they are (a Telegram group's creator and
administrators, a Slack workspace's admins and owners). The channel asks its platform
(`bot.ports.KnowsChatAdmins`); this module decides, and remembers the platform's answer briefly
so a run of settings messages costs one question.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.chat import questions
from bot.chat.turn import Turn
from bot.links import is_shared
from bot.notify.preferences import describe_settings, parse_settings
from bot.ports import KnowsChatAdmins
from bot.replies import done_reply, refusal_reply
from bot.steering.permissions import CHAT_KEEPS, can_set_chat
from bot.types import Reply
from store.tracker import chat_scope, person_scope

if TYPE_CHECKING:
    from bot.services import Services

__all__ = ["ADMIN_TTL_SECONDS", "CHAT_SETTINGS_REFUSAL", "ChatAdmins", "ChatSettings"]

logger = logging.getLogger(__name__)

# How long the platform's word on who administers a chat is trusted: long enough for a few
# settings messages in a row, short enough that a demoted admin loses the right within a minute.
ADMIN_TTL_SECONDS = 60.0
ADMIN_CACHE_SIZE = 10_000
CHAT_SETTINGS_REFUSAL = (
    "You can't change this chat's settings: only the owners and teams of the tasks it follows, "
    "and the chat's admins, can. You can change your own: say “only notify me about …”."
)


class ChatAdmins:
    """Asks a channel whether a platform user administers a chat, and remembers the answer for
    `ADMIN_TTL_SECONDS`."""

    def __init__(self, services: Services) -> None:
        self.services = services
        # (platform, chat, user) -> (until, is admin)
        self._known: dict[tuple[str, str, str], tuple[float, bool]] = {}

    async def is_admin(self, platform: str, chat: str, user: str | None) -> bool:
        if not user:
            return False
        adapter = self.services.adapters.get(platform)
        if not isinstance(adapter, KnowsChatAdmins):
            return False
        now = self.services.clock.time()
        key = (platform, chat, user)
        cached = self._known.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            answer = bool(await adapter.is_chat_admin(chat, user))
        except Exception:  # a channel that broke its promise never to raise: not an admin
            logger.exception("asking %s who administers a chat failed", platform)
            return False
        if len(self._known) >= ADMIN_CACHE_SIZE:
            self._known.clear()
        self._known[key] = (now + ADMIN_TTL_SECONDS, answer)
        return answer


class ChatSettings:
    """Shows and changes notification settings for a person or the chat they speak in."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.admins = ChatAdmins(services)

    async def answer(self, turn: Turn, text: str) -> Reply:
        """Which updates a person (or this chat) gets, where, and quiet hours."""
        services = self.services
        change = parse_settings(text)
        target = turn.target
        if change.scope == "chat":
            scope, where = chat_scope(target.platform, target.chat, target.thread), "for this chat"
        else:
            scope, where = person_scope(turn.person), "for you"
        changes = dict(change.changes)
        if change.scope == "chat" and changes:
            refused = await self.refusal(turn)
            if refused is not None:
                return refused
            if changes.get("events") is not None:
                changes["events"] = [*changes["events"], *CHAT_KEEPS]
        if changes.get("channels") and change.scope == "person":
            refusal = questions.channel_refusal(services, turn.person, changes["channels"])
            if refusal is not None:
                return refusal
        user = services.config.users.get(turn.person)
        if "quiet_hours" in changes and change.scope == "chat" and user and user.timezone:
            changes["timezone"] = user.timezone  # the asker's clock, for a chat's quiet hours
        if changes:
            stored = await services.tracker.set_preferences(scope, **changes)
        else:
            stored = await services.queries.preferences(scope)
        defaults = services.tracker.default_preferences.get(scope, {})
        return done_reply(describe_settings({**defaults, **stored}, where=where))

    async def refusal(self, turn: Turn) -> Reply | None:
        """None when `turn.person` may change the settings of the chat they speak in."""
        target = turn.target
        if not is_shared(target.platform, target.chat):
            return None
        tasks = await self.services.queries.tasks_notifying(target.platform, target.chat)
        directory = self.services.directory
        if can_set_chat(directory, turn.person, tasks):
            return None  # no need to ask the platform
        user = turn.user or self._identity(turn.person, target.platform)
        admin = await self.admins.is_admin(target.platform, target.chat, user)
        if can_set_chat(directory, turn.person, tasks, chat_admin=admin):
            return None
        return refusal_reply(CHAT_SETTINGS_REFUSAL)

    def _identity(self, person: str, platform: str) -> str | None:
        user = self.services.config.users.get(person)
        value = getattr(user, platform, None) if user is not None else None
        return str(value) if value else None
