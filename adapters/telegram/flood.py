"""Telegram's flood limits, kept per chat so one chat in flood-wait never stalls the others.

Telegram allows about one message per second in a chat, twenty per minute in a group, and thirty
per second overall. python-telegram-bot's own limiter pauses every chat on any 429; this one
pauses only the chat that got it.

Slots are counted from when a request *finished*, and requests still in flight count against the
overall budget, so the limits hold at Telegram's end however long a request spends on the wire.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

__all__ = ["FloodControl"]


@dataclass
class _ChatState:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_at: float = 0.0  # the earliest time the next request may start
    recent: deque[float] = field(default_factory=deque)  # finish times, groups only


class FloodControl:
    """Waits out Telegram's limits: per chat, per group and overall."""

    def __init__(
        self,
        *,
        chat_interval: float = 1.0,
        group_per_minute: int = 20,
        overall_per_second: int = 30,
        time: Callable[[], float] | None = None,
    ) -> None:
        self.chat_interval = chat_interval
        self.group_per_minute = group_per_minute
        self.overall_per_second = overall_per_second
        self._time = time
        self._chats: dict[str, _ChatState] = {}
        self._overall = asyncio.Condition()
        self._in_flight = 0
        self._finished: deque[float] = deque()

    def _now(self) -> float:
        return self._time() if self._time is not None else asyncio.get_running_loop().time()

    def _chat(self, chat: str) -> _ChatState:
        state = self._chats.get(chat)
        if state is None:
            state = self._chats[chat] = _ChatState()
        return state

    def pause(self, chat: str, seconds: float) -> None:
        """Telegram said "retry after `seconds`" for `chat`: hold that chat, and only that one."""
        state = self._chat(chat)
        state.next_at = max(state.next_at, self._now() + max(0.0, seconds))

    def paused_for(self, chat: str) -> float:
        """How long `chat` must still wait before its next request may start."""
        state = self._chats.get(chat)
        return max(0.0, state.next_at - self._now()) if state else 0.0

    @contextlib.asynccontextmanager
    async def slot(self, chat: str) -> AsyncIterator[None]:
        """Hold one request's slot in `chat`; requests to one chat go out one at a time."""
        state = self._chat(chat)
        is_group = chat.startswith("-")
        async with state.lock:
            await self._wait_chat(state, is_group)
            await self._acquire_overall()
            try:
                yield
            finally:
                now = self._now()
                state.next_at = max(state.next_at, now + self.chat_interval)
                if is_group:
                    state.recent.append(now)
                await self._release_overall(now)

    async def _wait_chat(self, state: _ChatState, is_group: bool) -> None:
        while True:
            now = self._now()
            wait = state.next_at - now
            if is_group:
                while state.recent and state.recent[0] <= now - 60.0:
                    state.recent.popleft()
                if len(state.recent) >= self.group_per_minute:
                    wait = max(wait, state.recent[0] + 60.0 - now)
            if wait <= 0:
                return
            await asyncio.sleep(wait)

    async def _acquire_overall(self) -> None:
        async with self._overall:
            while True:
                now = self._now()
                while self._finished and self._finished[0] <= now - 1.0:
                    self._finished.popleft()
                if self._in_flight + len(self._finished) < self.overall_per_second:
                    self._in_flight += 1
                    return
                timeout = self._finished[0] + 1.0 - now if self._finished else None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._overall.wait(), timeout)

    async def _release_overall(self, now: float) -> None:
        async with self._overall:
            self._in_flight -= 1
            self._finished.append(now)
            self._overall.notify_all()
