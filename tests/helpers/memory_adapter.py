"""An in-memory channel for notifier and handler tests: what it was sent, and failures on cue."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field

from adapters.base import Adapter, AdapterError, SentMessage
from bot.types import Reply, Target


@dataclass
class Delivered:
    op: str  # send | edit
    target: Target
    ref: str
    reply: Reply


@dataclass
class MemoryAdapter(Adapter):
    platform: str = "memory"
    delivered: list[Delivered] = field(default_factory=list)
    # Errors to raise, in order, before sends succeed again (per chat id, or "*" for any).
    failures: dict[str, list[AdapterError]] = field(default_factory=dict)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _maybe_fail(self, target: Target) -> None:
        for key in (target.chat, "*"):
            queue = self.failures.get(key)
            if queue:
                raise queue.pop(0)

    async def send(self, target: Target, reply: Reply) -> SentMessage:
        self._maybe_fail(target)
        ref = f"m{next(self._ids)}"
        self.delivered.append(Delivered("send", target, ref, reply))
        self.arrived.set()
        return SentMessage(ref)

    async def edit(self, target: Target, ref: str, reply: Reply) -> SentMessage:
        self._maybe_fail(target)
        self.delivered.append(Delivered("edit", target, ref, reply))
        self.arrived.set()
        return SentMessage(ref)

    def notices(self, chat: str | None = None) -> list[str]:
        """First lines of the notifications sent (not cards), in order."""
        return [
            d.reply.text.splitlines()[0]
            for d in self.delivered
            if d.reply.kind == "notification" and (chat is None or d.target.chat == chat)
        ]

    def pop(self) -> list[Delivered]:
        out, self.delivered = self.delivered, []
        return out
