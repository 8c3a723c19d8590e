"""Turn what a person wrote in chat into an `Intent`.

The map of `Matcher.match`:
1. clean: truncate, drop control characters and mentions, split off a /command
2. words: tokenize and fix typos of intent words ("staus" → "status")
3. intent: the /command, else the first rule in `catalog.RULES` that matches, else a bare task
   name ("crm?") reads as status, else unknown
4. details: step number, reject reason, mute duration, step name, list filter, "all" tasks
5. task: the id or name the words give, else the chat's last task, else the one task that fits
6. remember the resolved task for the chat
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Sequence

from intents.catalog import COMPILED_RULES, spec
from intents.context import ConversationContext
from intents.resolve import Resolution, TaskIndex, resolve_named, resolve_unnamed
from intents.text import (
    Cleaned,
    clean,
    correct_typo,
    extract_duration,
    extract_reason,
    extract_step,
    extract_step_name,
    is_number_word,
    tokenize,
)
from intents.types import Intent, TaskRef

__all__ = ["Matcher"]

logger = logging.getLogger(__name__)

UNKNOWN = Intent("unknown", confidence=0.0)
TYPO_CONFIDENCE = 0.8
BARE_TASK_CONFIDENCE = 0.5
# "crm?" or "the cellphone store task" alone asks for status; longer text naming a task does not.
BARE_TASK_MAX_WORDS = 4
_ALL_TASKS = re.compile(
    r"\ball (?:of )?(?:my |the |our |your )?(?:tasks|jobs|them)\b|\beverything\b|\bevery task\b"
)
_LIST_FILTER = re.compile(
    r"\b(running|active|failed|paused|pending|completed|finished|done|cancelled|canceled)\b"
)


class Matcher:
    """Reads chat messages into intents, resolving task references over the tasks it is given.

    Task indexes are cached per task list (by the identity of its items, which are frozen), so
    passing the same list, or a list of the same `TaskRef` objects, costs no rebuild.
    """

    def __init__(
        self, *, context: ConversationContext | None = None, index_cache_size: int = 8
    ) -> None:
        self.context = context if context is not None else ConversationContext()
        self._index_cache_size = max(1, index_cache_size)
        self._indexes: OrderedDict[tuple[int, ...], TaskIndex] = OrderedDict()

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
            return self._match(text if isinstance(text, str) else "", tasks, chat_key, now)
        except Exception:  # a chat message must never take the handler down
            logger.exception("intent matching failed; answering unknown")
            return UNKNOWN

    def index(self, tasks: Sequence[TaskRef]) -> TaskIndex:
        """The (cached) index of `tasks`."""
        key = tuple(map(id, tasks))
        index = self._indexes.get(key)
        if index is None:
            index = TaskIndex(tasks)  # holds the tasks, so their ids stay unique while cached
            self._indexes[key] = index
            while len(self._indexes) > self._index_cache_size:
                self._indexes.popitem(last=False)
        else:
            self._indexes.move_to_end(key)
        return index

    def _match(
        self, text: str, tasks: Sequence[TaskRef], chat_key: str | None, now: float | None
    ) -> Intent:
        cleaned = clean(text)
        if cleaned.unknown_command:
            return UNKNOWN
        index = self.index(tasks)
        words, fixed = _fix_typos(tokenize(cleaned.body), index)
        normalized = " ".join(words)

        name, confidence = _classify(cleaned, normalized, fixed)
        if name == "unknown":
            if not words or len(words) > BARE_TASK_MAX_WORDS:
                return UNKNOWN
            bare = resolve_named(index, words, "status")
            if bare is None or bare.kind != "named":
                return UNKNOWN
            name, confidence = "status", BARE_TASK_CONFIDENCE

        step = extract_step(normalized)
        argument, task_words = _argument(name, cleaned, normalized, words, index)
        if not spec(name).needs_task:
            return Intent(name, argument=argument, confidence=confidence)

        if _ALL_TASKS.search(normalized):
            # "cancel all my tasks": never narrow that down to the one task "it" would mean
            resolution = resolve_unnamed(index, "status")
            argument = "all"
        else:
            resolution = self._resolve(index, task_words, name, chat_key, now)
        if resolution.task_id is not None and chat_key is not None:
            self.context.remember(chat_key, resolution.task_id, now)
        return Intent(
            name,
            task_id=resolution.task_id,
            task_query=resolution.query,
            candidates=resolution.candidates,
            resolution=resolution.kind,
            step=step,
            argument=argument,
            confidence=confidence,
        )

    def _resolve(
        self,
        index: TaskIndex,
        words: Sequence[str],
        intent: str,
        chat_key: str | None,
        now: float | None,
    ) -> Resolution:
        named = resolve_named(index, words, intent)
        if named is not None:
            return named
        if chat_key is not None:
            remembered = self.context.recall(chat_key, now)
            if remembered is not None and remembered.lower() in index.by_id:
                return Resolution("context", task_id=remembered)
        return resolve_unnamed(index, intent)


def _fix_typos(words: list[str], index: TaskIndex) -> tuple[list[str], bool]:
    """Replace intent-word typos, unless the word is (nearly) a task word: "stor" stays a store."""
    fixed = False
    out = words
    for i, word in enumerate(words):
        if index.knows(word):
            continue
        keyword = correct_typo(word)
        if keyword is None or index.fuzzy(word):
            continue
        if out is words:
            out = list(words)
        out[i] = keyword
        fixed = True
    return out, fixed


def _classify(cleaned: Cleaned, normalized: str, fixed: bool) -> tuple[str, float]:
    if cleaned.command is not None:
        return cleaned.command, 1.0
    for name, pattern in COMPILED_RULES:
        if pattern.search(normalized):
            return name, TYPO_CONFIDENCE if fixed else 1.0
    return "unknown", 0.0


def _argument(
    name: str, cleaned: Cleaned, normalized: str, words: list[str], index: TaskIndex
) -> tuple[str | None, list[str]]:
    """The intent's free-text argument, and the words left to name a task with."""
    task_words = [w for w in words if not is_number_word(w) or index.knows(w)]
    if name == "reject":
        reason, before = extract_reason(cleaned.body)
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
    if name in ("skip_step", "retry_step", "approve"):
        step_name = extract_step_name(normalized)
        if step_name is not None and not any(index.knows(w) for w in step_name.split()):
            dropped = set(step_name.split())
            return step_name, [w for w in task_words if w not in dropped]
        return None, task_words
    if name == "notify_settings":
        return cleaned.body, task_words  # times keep their colons: "22:00-07:00"
    if name == "list_tasks":
        found = _LIST_FILTER.search(normalized)
        return (found.group(1) if found else None), task_words
    return None, task_words
