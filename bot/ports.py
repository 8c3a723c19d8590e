"""The ports between the core and the channels, as small typed interfaces.

`Adapter` is what every channel implements (start, stop, send a `Reply`, edit a sent message)
and the errors it speaks back to the notifier. `ChatCore` is everything an adapter may ask of the
core: answer a message or a button press, say who a platform user is, remember a delivery, and
the few reads a platform's own views need (Slack's App Home, Telegram's deep links). Adapters
implement the first and call the second; neither side imports the other's modules, and only
`bot.wiring` names concrete adapters. A channel may also offer what only some platforms can do
(`KnowsChatAdmins`, `WhispersInChat`); the core looks for it and does without it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from aiohttp import web

from bot.types import Action, Answer, Message, Reply, Target

__all__ = [
    "Adapter",
    "AdapterError",
    "ChatCore",
    "DeliveryError",
    "HasRoutes",
    "KnowsChatAdmins",
    "MessageGone",
    "PacesSends",
    "SentMessage",
    "SlotBudget",
    "TargetGone",
    "ThreadsNotices",
    "WhispersInChat",
]


class AdapterError(Exception):
    """Root of every error an adapter raises."""


class DeliveryError(AdapterError):
    """A send or edit failed and may work later (outage, 5xx, rate limit)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TargetGone(AdapterError):
    """The platform says the target is gone for good (bot removed, chat deleted, bot blocked,
    token revoked): the target is disabled instead of retried forever."""


class MessageGone(AdapterError):
    """The message to edit no longer exists (deleted by a person): post a new one instead."""


@dataclass(frozen=True, slots=True)
class SentMessage:
    """What a platform answered for a sent message: its id (for edits) and thread, if any."""

    ref: str
    thread_ref: str | None = None


class Adapter(ABC):
    """A channel. `platform` names it in targets ("slack", "telegram", "console", "email")."""

    platform: str

    async def start(self) -> None:  # noqa: B027 - most adapters need no start-up work
        """Connect (Socket Mode, polling, ...). Called once before any send."""

    async def stop(self) -> None:  # noqa: B027
        """Disconnect and release resources. Safe to call when start failed half-way."""

    @abstractmethod
    async def send(self, target: Target, reply: Reply) -> SentMessage:
        """Post a new message. Raises DeliveryError, TargetGone."""

    async def edit(self, target: Target, ref: str, reply: Reply) -> SentMessage:
        """Replace a message in place. Channels that cannot edit post a new message."""
        return await self.send(target, reply)


@runtime_checkable
class HasRoutes(Protocol):
    """A channel that receives webhooks on the API's aiohttp server."""

    def add_routes(self, app: web.Application) -> None: ...


@runtime_checkable
class ThreadsNotices(Protocol):
    """A channel whose notices go into the thread of the task's live card (Slack). The notifier
    posts the card first when there is none yet, and hands the notice a target whose `thread`
    is the card's thread."""

    notices_in_card_thread: bool


@runtime_checkable
class KnowsChatAdmins(Protocol):
    """A channel that can say who administers a chat: the platform is asked, the core decides
    what that allows (today: changing a shared chat's notification settings)."""

    async def is_chat_admin(self, chat: str, user_id: str) -> bool:
        """Whether the platform says `user_id` administers `chat` (a Telegram group's creator
        or administrators; a Slack workspace's admins and owners). False when it cannot tell;
        never raises."""
        ...


@runtime_checkable
class WhispersInChat(Protocol):
    """A channel that can show a message in a shared chat to one person only (Slack's
    ephemeral messages). Channels without it get private messages in the person's own chat."""

    async def send_ephemeral(self, target: Target, user_id: str, reply: Reply) -> None:
        """Show `reply` in `target` to `user_id` alone. Raises DeliveryError."""
        ...


@runtime_checkable
class PacesSends(Protocol):
    """A channel that paces itself to the platform's rate limits and can say what waits: the
    notifier gives a chat's lease back rather than sit on a long wait, records when the chat
    may take its next message (so another worker does not send there too soon), and holds
    live-card edits back while notices queue for the channel's overall budget."""

    def chat_ready_in(self, target: Target) -> float:
        """Seconds until `target` may take its next message (0 when it may now)."""
        ...

    def backlog_seconds(self) -> float:
        """Seconds a message ready now would wait for the channel's overall budget (0 when a
        slot is free, or the platform has no overall limit)."""
        ...


class SlotBudget(Protocol):
    """A budget of send slots shared by every worker (a row in PostgreSQL), so a platform's
    overall rate limit holds for all of them together."""

    async def reserve(self, key: str, count: int, spacing: float) -> float:
        """Take the next `count` free slots of `key`, `spacing` seconds apart. Returns how many
        seconds from now the first of them starts (0 when it may start at once)."""
        ...


class ChatCore(Protocol):
    """What a channel may ask of the core. The wiring hands each adapter one of these."""

    async def handle_message(self, message: Message) -> Answer:
        """Answer what someone wrote. Never raises."""
        ...

    async def handle_delivery(self, message: Message, scope: str, key: str) -> Answer | None:
        """Answer what someone wrote unless this platform delivery (`scope`, `key`, as for
        `first_delivery`) was handled before, on any worker: None then. Recording it runs
        alongside the answer's first read; nothing changes before it is recorded. Never raises
        (None when it cannot be recorded)."""
        ...

    async def handle_action(self, action: Action) -> Answer:
        """Answer a button press, authorized again. Never raises."""
        ...

    def person_for(self, platform: str, user_id: str) -> str | None:
        """The configured person behind a platform user id, or None."""
        ...

    def person_for_email(self, email: str) -> str | None:
        """The configured person with this Slack e-mail (`users.<p>.slack_email`), or None."""
        ...

    def knows_emails(self) -> bool:
        """Whether any person is configured by e-mail, so a lookup by e-mail is worth it."""
        ...

    def is_person(self, key: str) -> bool:
        """Whether `key` names a configured person (a key of `users:`)."""
        ...

    def display_name(self, person: str) -> str:
        """How to call a person in a message ("Alice")."""
        ...

    def identity(self, person: str, platform: str) -> str | None:
        """The person's user id on a platform (for a mention), or None."""
        ...

    async def first_delivery(self, scope: str, key: str) -> bool:
        """True the first time a platform delivery is seen, on any worker; False for a resend."""
        ...

    async def active_tasks(self, person: str) -> list[dict[str, Any]]:
        """The person's active tasks with their progress, newest first (Slack's App Home)."""
        ...

    async def tasks_in_chat(self, person: str, platform: str, chat: str) -> list[dict[str, Any]]:
        """Tasks the person may see that notify this chat or are theirs."""
        ...

    async def approval(self, approval_id: int) -> dict[str, Any] | None:
        """An approval with its status and who decided, or None when there is none."""
        ...

    async def task_workspace(self, task_id: str) -> str | None:
        """The workspace a task says it belongs to, if any (a Slack team id)."""
        ...

    async def follow(self, task_id: str, target: Target, person: str) -> Reply:
        """Subscribe a chat to a task the person may see (a Telegram deep link), and say so."""
        ...
