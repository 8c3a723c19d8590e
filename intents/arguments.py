"""An intent's free-text argument, read from the message: a rejection's reason, a mute's duration,
a step's name, notification settings or channels, a list's filter; and the words it leaves to name
a task with.
"""

from __future__ import annotations

import re

from intents.normalise import Normalised
from intents.resolve import TaskIndex
from intents.text import (
    extract_duration,
    extract_reason,
    extract_step_name,
    is_number_word,
    tokenize,
)

__all__ = ["STEP_INTENTS", "intent_argument"]

_LIST_FILTER = re.compile(
    r"\b(running|active|failed|paused|pending|completed|finished|done|cancelled|canceled)\b"
)
_CHANNELS = (
    ("email", re.compile(r"\be ?mail\b|\bmail\b")),
    ("telegram", re.compile(r"\btelegram\b")),
    ("slack", re.compile(r"\bslack\b")),
    ("console", re.compile(r"\bconsole\b")),
)
_CHANNEL_NOT = re.compile(
    r"\b(?:instead of|stop using|not|no more|rather than|except|but not) (?:by |on |via )?"
    r"(?:e ?mail|mail|telegram|slack|console)\b"
)
_ALL_CHANNELS = re.compile(
    r"\beverywhere\b|\ball (?:the )?channels\b|\bevery channel\b|\ball of them\b|\bboth channels\b"
)
_CHANNEL_WORDS = frozenset({"email", "mail", "e", "telegram", "slack", "console"})
_SETTINGS = frozenset({"notify_settings", "notify_channel", "subscribe"})
_NOT_A_STEP = frozenset({"current", "next", "failed", "failing", "last", "broken", "stuck"})
STEP_INTENTS = frozenset({"skip_step", "retry_step", "approve", "reject"})
# "what error did backtest throw", "paste the log from backtest": a question about what a step
# printed or why it failed names the step where it happened after one of these words, as a request
# names it after its verb; a word only one task's steps have then names that task, as it does for
# STEP_INTENTS. `STEP_WORDS`: by intent, the words besides its verbs a step is said after.
_READ_AT = frozenset({"from", "did", "during", "at", "in", "of"})
STEP_WORDS = dict.fromkeys(STEP_INTENTS, frozenset[str]()) | dict.fromkeys(
    ("logs", "why_failed"), _READ_AT
)


def _channels(normalized: str) -> str | None:
    if _ALL_CHANNELS.search(normalized):
        return "all"
    text = _CHANNEL_NOT.sub(" ", normalized)
    found = sorted(
        ((m.start(), name) for name, pattern in _CHANNELS for m in [pattern.search(text)] if m),
    )
    names = [name for _, name in found]
    return " ".join(names) if names else None


def intent_argument(
    name: str, norm: Normalised, normalized: str, words: list[str], index: TaskIndex
) -> tuple[str | None, list[str]]:
    """The intent's free-text argument, and the words left to name a task with."""
    task_words = [w for w in words if not is_number_word(w) or index.knows(w)]
    if name == "reject":
        reason, before = extract_reason(norm.body)
        if reason is not None:
            kept = set(tokenize(before))
            task_words = [w for w in task_words if w in kept]
        return reason, task_words
    if name == "mute":
        duration, rest = extract_duration(normalized)
        if duration is not None:
            kept = set(rest.split())
            task_words = [w for w in task_words if w in kept]
        return duration, task_words
    if name in STEP_INTENTS:
        step_name = extract_step_name(normalized)
        if step_name is not None and not any(
            w in index.postings
            or w in index.by_id
            or w in index.kinds
            or w in index.owners
            or w in _NOT_A_STEP
            for w in step_name.split()
        ):
            dropped = set(step_name.split())
            return step_name, [w for w in task_words if w not in dropped]
        return None, task_words
    if name in _SETTINGS:
        # "send my updates to email": a channel is where updates go, never the name of a task
        # (an "email campaign", a "Slack Bot Migration"); the task is named by other words
        task_words = [w for w in task_words if w not in _CHANNEL_WORDS]
    if name == "notify_settings":
        return norm.body, task_words  # times keep their colons: "22:00-07:00"
    if name == "notify_channel":
        return _channels(normalized), task_words
    if name == "list_tasks":
        found = _LIST_FILTER.search(normalized)
        return (found.group(1) if found else None), task_words
    return None, task_words
