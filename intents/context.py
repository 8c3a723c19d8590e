"""Per-chat memory of the task and intent last discussed, so "and the logs?" knows what "it" is and
"and the other one?" knows what to do with the other one."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["ContextWrite", "ConversationContext"]

# One write to a chat's context, without the chat and the time: the method and its value.
ContextWrite = tuple[str, Any]


class ConversationContext:
    """Remembers, per chat, the last task talked about for `ttl_seconds` (in memory only).

    Times are epoch seconds (`time.time()`) unless the caller passes its own `now` everywhere.
    At most `max_chats` chats are kept; the least recently used (remembered or recalled)
    one is forgotten first.
    """

    def __init__(self, ttl_seconds: float = 900, max_chats: int = 10000) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_chats = max(1, max_chats)
        self._last: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._intent: OrderedDict[str, tuple[str, float]] = OrderedDict()
        self._candidates: OrderedDict[str, tuple[tuple[str, ...], float]] = OrderedDict()
        self._journal: list[ContextWrite] | None = None

    @contextmanager
    def journaled(self) -> Iterator[list[ContextWrite]]:
        """The writes made meanwhile, in order (`replay` makes them again)."""
        journal: list[ContextWrite] = []
        outer, self._journal = self._journal, journal
        try:
            yield journal
        finally:
            self._journal = outer
            if outer is not None:
                outer.extend(journal)

    def replay(self, chat_key: str, writes: Sequence[ContextWrite], now: float | None) -> None:
        """Make `writes` (from `journaled`) again, to this chat, at `now`."""
        for method, value in writes:
            if method == "remember":
                self.remember(chat_key, value, now)
            elif method == "remember_intent":
                self.remember_intent(chat_key, value, now)
            elif method == "remember_candidates":
                self.remember_candidates(chat_key, value, now)
            else:
                self.forget(chat_key)

    def state(self, chat_key: str, now: float | None = None) -> tuple[Any, ...]:
        """All that is remembered of this chat at `now`: its task, intent and candidates."""
        return (
            self.recall(chat_key, now),
            self.recall_intent(chat_key, now),
            self.recall_candidates(chat_key, now),
        )

    def _noted(self, method: str, value: Any) -> None:
        if self._journal is not None:
            self._journal.append((method, value))

    def remember(self, chat_key: str, task_id: str, now: float | None = None) -> None:
        """Make `task_id` the task this chat is about."""
        self._noted("remember", task_id)
        at = time.time() if now is None else now
        self._last[chat_key] = (task_id, at)
        self._last.move_to_end(chat_key)
        while len(self._last) > self.max_chats:
            self._last.popitem(last=False)

    def recall(self, chat_key: str, now: float | None = None) -> str | None:
        """The task this chat was last about, if that was less than `ttl_seconds` ago."""
        entry = self._last.get(chat_key)
        if entry is None:
            return None
        task_id, at = entry
        if (time.time() if now is None else now) - at > self.ttl_seconds:
            del self._last[chat_key]
            return None
        self._last.move_to_end(chat_key)
        return task_id

    def forget(self, chat_key: str) -> None:
        """Drop what this chat was about (no error if nothing was remembered)."""
        self._noted("forget", None)
        self._last.pop(chat_key, None)
        self._intent.pop(chat_key, None)
        self._candidates.pop(chat_key, None)

    def remember_intent(self, chat_key: str, intent: str, now: float | None = None) -> None:
        """Make `intent` what this chat last asked for ("and the other one?" asks it again)."""
        self._noted("remember_intent", intent)
        self._put(self._intent, chat_key, intent, now)

    def recall_intent(self, chat_key: str, now: float | None = None) -> str | None:
        """The intent this chat last asked for, if less than `ttl_seconds` ago."""
        return self._get(self._intent, chat_key, now)

    def remember_candidates(
        self, chat_key: str, candidates: tuple[str, ...], now: float | None = None
    ) -> None:
        """The tasks a message could have meant: "the other one" picks among them."""
        self._noted("remember_candidates", candidates)
        self._put(self._candidates, chat_key, candidates, now)

    def recall_candidates(self, chat_key: str, now: float | None = None) -> tuple[str, ...]:
        found = self._get(self._candidates, chat_key, now)
        return found if found is not None else ()

    def _put(
        self, store: OrderedDict[str, Any], chat_key: str, value: Any, now: float | None
    ) -> None:
        store[chat_key] = (value, time.time() if now is None else now)
        store.move_to_end(chat_key)
        while len(store) > self.max_chats:
            store.popitem(last=False)

    def _get(self, store: OrderedDict[str, Any], chat_key: str, now: float | None) -> Any:
        entry = store.get(chat_key)
        if entry is None:
            return None
        value, at = entry
        if (time.time() if now is None else now) - at > self.ttl_seconds:
            del store[chat_key]
            return None
        return value

    def __len__(self) -> int:
        return len(self._last)
