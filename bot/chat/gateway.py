"""The core as a channel sees it: `bot.ports.ChatCore` implemented over the services and the brain.

Adapters get one of these from the wiring instead of the whole `Services`, so what a channel may
ask of the core is written down in one protocol and answered here, with the same permission
checks as everywhere else.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.chat.brain import ChatBot
from bot.services import Services
from bot.steering.permissions import can_see
from bot.types import Action, Answer, Message, Reply, Target
from store.errors import NotFound

__all__ = ["ChannelGateway"]

logger = logging.getLogger(__name__)

# Enough for any one person's tasks in one chat; a digest lookup reads no further.
CHAT_TASK_LIMIT = 1000
_NO_CHAT = Reply(text="This Progress Bot process does not answer chat.", kind="error")


class ChannelGateway:
    """Answers what adapters ask (see `ChatCore`)."""

    def __init__(self, services: Services, brain: ChatBot | None) -> None:
        self._services = services
        # None in processes built without the chat (a drain-only worker): they only send.
        self._brain = brain

    async def handle_message(self, message: Message) -> Answer:
        if self._brain is None:
            return Answer("unknown", None, _NO_CHAT)
        return await self._brain.handle_message(message)

    async def handle_delivery(self, message: Message, scope: str, key: str) -> Answer | None:
        # Started now, so the record is on its way whatever the brain does first, and may be
        # awaited more than once.
        recorded = asyncio.ensure_future(self._recorded(scope, key))
        if self._brain is None:
            return Answer("unknown", None, _NO_CHAT) if await recorded else None
        return await self._brain.handle_delivery(message, recorded)

    async def _recorded(self, scope: str, key: str) -> bool:
        try:
            return await self.first_delivery(scope, key)
        except Exception:
            # Unrecorded, it could be answered twice: better once too few, as the platform
            # sees it acknowledged.
            logger.exception("recording a %s delivery failed; it is not answered", scope)
            return False

    async def handle_action(self, action: Action) -> Answer:
        if self._brain is None:
            return Answer(action.action, action.task_id, _NO_CHAT)
        return await self._brain.handle_action(action)

    def person_for(self, platform: str, user_id: str) -> str | None:
        return self._services.directory.person_for(platform, user_id)

    def person_for_email(self, email: str) -> str | None:
        wanted = email.strip().lower()
        for person, user in self._services.config.users.items():
            if user.slack_email and user.slack_email.lower() == wanted:
                return person
        return None

    def knows_emails(self) -> bool:
        return any(user.slack_email for user in self._services.config.users.values())

    def is_person(self, key: str) -> bool:
        return self._services.directory.exists(key)

    def display_name(self, person: str) -> str:
        return self._services.directory.display_name(person)

    def identity(self, person: str, platform: str) -> str | None:
        user = self._services.config.users.get(person)
        if user is None:
            return None
        value = getattr(user, platform, None)
        return str(value) if value else None

    async def first_delivery(self, scope: str, key: str) -> bool:
        return await self._services.deliveries.first_delivery(scope, key)

    async def active_tasks(self, person: str) -> list[dict[str, Any]]:
        directory = self._services.directory
        return await self._services.queries.list_tasks(
            person=person, teams=directory.teams_of(person), active_only=True
        )

    async def tasks_in_chat(self, person: str, platform: str, chat: str) -> list[dict[str, Any]]:
        return await self._services.queries.list_tasks(
            person=person,
            teams=self._services.directory.teams_of(person),
            chat=(platform, chat),
            limit=CHAT_TASK_LIMIT,
        )

    async def approval(self, approval_id: int) -> dict[str, Any] | None:
        try:
            return await self._services.queries.approval(approval_id)
        except NotFound:
            return None

    async def task_workspace(self, task_id: str) -> str | None:
        try:
            snap = await self._services.progress.snapshot(task_id)
        except NotFound:
            return None
        workspace = snap.get("workspace")
        return str(workspace) if workspace else None

    async def follow(self, task_id: str, target: Target, person: str) -> Reply:
        try:
            snap = await self._services.progress.snapshot(task_id)
        except NotFound:
            return Reply(text=f"I couldn't find a task with the id “{task_id[:64]}”.", kind="error")
        if not can_see(self._services.directory, person, snap):
            return Reply(text="That task is not one you can follow.", kind="error")
        added = await self._services.tracker.subscribe(
            task_id, target.platform, target.chat, target.thread, person=person
        )
        title = " ".join(str(snap.get("title") or "your task").split())
        if added:
            return Reply(text=f"🔔 I'll post updates about {title} here.", task_id=task_id)
        return Reply(text=f"🔔 This chat already gets updates about {title}.", task_id=task_id)
