"""Per-chat memory of the task last discussed, so "and the logs?" knows what "it" is."""

from __future__ import annotations

import time
from collections import OrderedDict

__all__ = ["ConversationContext"]


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

    def remember(self, chat_key: str, task_id: str, now: float | None = None) -> None:
        """Make `task_id` the task this chat is about."""
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
        self._last.pop(chat_key, None)

    def __len__(self) -> int:
        return len(self._last)
