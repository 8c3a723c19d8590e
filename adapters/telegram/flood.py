"""Telegram's flood limits, kept per chat so one chat in flood-wait never stalls the others.

Telegram allows about one message per second in a chat, twenty per minute in a group, and thirty
per second overall. python-telegram-bot's own limiter pauses every chat on any 429; this one
pauses only the chat that got it.

Telegram counts a request when it arrives, somewhere between our start and the answer; a slot is
counted from the answer (requests in flight count too), so a stall of our event loop that makes
a request arrive late can never squeeze thirty-one into Telegram's second. Requests take the
overall budget first come, first served, and only once their chat is ready: a chat waiting out
its own pacing holds no place in that queue, so a ready chat is never starved behind it, and no
free slot goes unused while anyone is ready. With a `SlotBudget` (PostgreSQL) every worker also
takes its turns from one grid of slots in the database, a few at a time, so two workers
together stay within the one limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from bot.ports import SlotBudget

__all__ = ["FloodControl"]

logger = logging.getLogger(__name__)

# The grid of a budget shared across workers keeps its slots this much further apart than the
# limit asks (30/s becomes 25/s): another worker's request may arrive late (its process stalled,
# its trip took longer) and we cannot see it finish, as we see our own.
SHARED_MARGIN = 0.2
# A pooled slot not used within this long after its start is dropped, not used late: used late
# it would crowd the slots other workers use on time.
SLOT_TOLERANCE = 0.01
# The most overall slots taken from a shared budget in one round trip: enough to keep the round
# trips few, few enough that slots this worker cannot use are not kept from the others for long.
MAX_BATCH = 6
BUDGET_KEY = "telegram"


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
        budget: SlotBudget | None = None,
        time: Callable[[], float] | None = None,
    ) -> None:
        self.chat_interval = chat_interval
        self.group_per_minute = group_per_minute
        self.overall_per_second = overall_per_second
        self.spacing = (1.0 + SHARED_MARGIN) / overall_per_second
        self.budget = budget
        self._time = time
        self._chats: dict[str, _ChatState] = {}
        # The overall budget: an asyncio.Lock serves its waiters in order, so the queue is fair.
        self._turn = asyncio.Lock()
        self._changed = asyncio.Event()
        self._in_flight = 0
        self._finished: deque[float] = deque()
        self._waiting = 0  # requests whose chat is ready, queued for the overall budget
        # Shared grid: slots taken from the budget and not used yet, oldest first.
        self._pool: deque[float] = deque()

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
        if state is None:
            return 0.0
        return max(0.0, self._chat_start(state, chat.startswith("-")) - self._now())

    def backlog(self) -> float:
        """How long a request ready now would wait for the overall budget, about (0 when a slot
        is free): the notifier holds back what can wait, such as live-card edits, meanwhile."""
        return self._waiting / self.overall_per_second

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
                self._in_flight -= 1
                self._finished.append(now)
                self._changed.set()

    def _chat_start(self, state: _ChatState, is_group: bool) -> float:
        now = self._now()
        start = state.next_at
        if is_group:
            while state.recent and state.recent[0] <= now - 60.0:
                state.recent.popleft()
            if len(state.recent) >= self.group_per_minute:
                start = max(start, state.recent[0] + 60.0)
        return start

    async def _wait_chat(self, state: _ChatState, is_group: bool) -> None:
        while (wait := self._chat_start(state, is_group) - self._now()) > 0:
            await asyncio.sleep(wait)

    async def _acquire_overall(self) -> None:
        """Wait for this request's turn, then for room in the last second's budget."""
        self._waiting += 1
        try:
            async with self._turn:
                if self.budget is not None:
                    wait = await self._shared_slot() - self._now()
                    if wait > 0:
                        await asyncio.sleep(wait)
                while True:
                    now = self._now()
                    while self._finished and self._finished[0] <= now - 1.0:
                        self._finished.popleft()
                    if self._in_flight + len(self._finished) < self.overall_per_second:
                        self._in_flight += 1
                        return
                    self._changed.clear()
                    timeout = self._finished[0] + 1.0 - now if self._finished else None
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), timeout)
        finally:
            self._waiting -= 1

    async def _shared_slot(self) -> float:
        """The start of this worker's next slot on the shared grid."""
        assert self.budget is not None
        now = self._now()
        while self._pool and self._pool[0] < now - SLOT_TOLERANCE:
            self._pool.popleft()  # a slot nobody here was ready for in time: gone
        if self._pool:
            return self._pool.popleft()
        count = max(1, min(MAX_BATCH, self._waiting))
        try:
            ahead = await self.budget.reserve(BUDGET_KEY, count, self.spacing)
        except Exception:
            # The database is unreachable: pace alone rather than stop sending.
            logger.warning("telegram: shared send budget unavailable; pacing alone")
            return now
        first = self._now() + ahead
        self._pool.extend(first + n * self.spacing for n in range(1, count))
        return first
