"""A message said again, in the same circumstances, is understood once.

Chat repeats itself: "status?", "eta?", the same question from each member of a team in a chat of
their own. How a message reads depends on nothing but its text, the tasks in view (their index),
who writes it and what the chat was about a moment ago (`ConversationContext.state`); what reading
it changes is that chat's context. So the last readings are kept by those, each with the context
writes it made, and a message read again in the same circumstances gets the same reading and
makes the same writes (`ConversationContext.replay`) without going through the pipeline again.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

from intents.context import ContextWrite
from intents.task_index import TaskIndex
from intents.understanding import Understanding

__all__ = ["SaidAgain"]

# Readings kept: chat repeats itself within minutes, and a reading is a few hundred bytes.
READINGS_KEPT = 2048

Circumstances = tuple[Any, ...]


class SaidAgain:
    """The last readings, by the message and its circumstances."""

    def __init__(self, size: int = READINGS_KEPT) -> None:
        self.size = size  # 0: none kept (a bench that times the pipeline itself)
        # The key holds only the index's id, which a new index could reuse once the old one is
        # gone; a weak reference to it tells them apart without keeping the old one alive (every
        # person's tasks make an index of their own, and an index holds all its tasks).
        self._readings: dict[
            Circumstances,
            tuple[weakref.ref[TaskIndex], Understanding, tuple[ContextWrite, ...]],
        ] = {}

    @staticmethod
    def circumstances(
        text: str, index: TaskIndex, person: str | None, context_state: Any
    ) -> Circumstances:
        return (text, id(index), person, context_state)

    def get(
        self, circumstances: Circumstances, index: TaskIndex
    ) -> tuple[Understanding, tuple[ContextWrite, ...]] | None:
        """The reading of a message said before in these circumstances, and its writes."""
        found = self._readings.get(circumstances)
        if found is None or found[0]() is not index:
            return None
        return found[1], found[2]

    def put(
        self,
        circumstances: Circumstances,
        index: TaskIndex,
        reading: Understanding,
        writes: Sequence[ContextWrite],
    ) -> None:
        if self.size <= 0:
            return
        if len(self._readings) >= self.size:
            self._readings.clear()  # bounded; what is said again is said again soon
        self._readings[circumstances] = (weakref.ref(index), reading, tuple(writes))
