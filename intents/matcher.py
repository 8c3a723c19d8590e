"""`Matcher.match`: the bot's view of understanding, as an `Intent`.

Built on `intents.understand.Understander` (normalise → speech act → rules + classifier → task
reference → context). Two things keep today's bot safe and working while it learns the new API:
- an intent that would change something is never handed over when the message only asks about
  it, imagines it, negates it, corrects an earlier message or reports the past ("can I pause it?",
  "please don't pause it", "who cancelled the crm?"): the bot gets a status question instead
  (about the same task), or "unknown" when no task is in view;
- intents the bot has no handler for yet get the name it handles them as (`bot_name`):
  capabilities → help, notify_channel → notify_settings, who_approves and history → status,
  waiting_on_me → list_tasks.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from intents.context import ConversationContext
from intents.said_again import READINGS_KEPT
from intents.task_index import TaskIndex
from intents.trained import warm_up
from intents.types import Intent, TaskRef
from intents.understand import Understander
from intents.understanding import Understanding, bot_name

__all__ = ["NOT_ACTIONABLE_ACTS", "Matcher", "intent_for_bot"]

logger = logging.getLogger(__name__)

UNKNOWN = Intent("unknown", confidence=0.0)
NOT_ACTIONABLE_ACTS = frozenset({"question", "hypothetical", "report", "correction"})


def intent_for_bot(u: Understanding) -> Intent:
    """The `Intent` today's bot should run for understanding `u` (see the module docstring)."""
    if u.state_changing and (u.negated or u.act in NOT_ACTIONABLE_ACTS):
        if u.task_id is None and u.resolution not in ("ambiguous",):
            return Intent("unknown", confidence=0.0)
        return u.to_intent("status")
    return u.to_intent(bot_name(u.intent))


class Matcher:
    """Reads chat messages into intents, resolving task references over the tasks it is given.

    Task indexes are cached per task list, by content (its items are frozen), so passing the same
    list, or an equal list of `TaskRef`s, costs no rebuild.
    """

    def __init__(
        self,
        *,
        context: ConversationContext | None = None,
        index_cache_size: int = 8,
        readings_kept: int = READINGS_KEPT,
    ) -> None:
        self.context = context if context is not None else ConversationContext()
        self.understander = Understander(
            context=self.context, index_cache_size=index_cache_size, readings_kept=readings_kept
        )
        warm_up()  # the bot builds its matcher at start-up: train while nobody is asking yet

    def match(
        self,
        text: str,
        tasks: Sequence[TaskRef],
        *,
        chat_key: str | None = None,
        now: float | None = None,
    ) -> Intent:
        """The intent of `text`; never raises (anything unreadable is "unknown")."""
        try:
            u = self.understander.understand(text, tasks, chat_key=chat_key, now=now)
            return intent_for_bot(u)
        except Exception:  # a chat message must never take the handler down
            logger.exception("intent matching failed; answering unknown")
            return UNKNOWN

    def index(self, tasks: Sequence[TaskRef]) -> TaskIndex:
        """The (cached) index of `tasks`."""
        return self.understander.index(tasks)
