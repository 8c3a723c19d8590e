"""The small interface every channel implements, and the errors it speaks.

An adapter starts and stops, sends a `Reply` to a target, and edits a message it sent. Rendering
(`Reply` → the platform's payload) is a pure function in the adapter's module; optional abilities
(threads, modals, files) are the adapter's own business, not stubs here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from aiohttp import web

from bot.types import Reply, Target

__all__ = [
    "Adapter",
    "AdapterError",
    "DeliveryError",
    "HasRoutes",
    "MessageGone",
    "SentMessage",
    "TargetGone",
    "ThreadsNotices",
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
