"""Find the task a message names among the tasks the person can see.

`TaskIndex` is built once per task list (the matcher caches it) so a lookup costs a few dict hits
plus one bounded fuzzy search over the distinct task words, not a fuzzy score per task.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from intents.text import STOPWORDS, tokenize
from intents.types import ACTIVE_STATUSES, TaskRef

__all__ = ["Resolution", "TaskIndex", "resolve_named", "resolve_unnamed"]

# Candidates within this share of the best score are "close": the person could mean either.
CLOSE_SHARE = 0.85
# A task word that is also an asking word ("Status Page", "Log Rotation") counts for less.
STOPWORD_WEIGHT = 0.3
COVERAGE_BONUS = 1.0
FUZZY_LIMIT = 4
MAX_CANDIDATES = 10

# The tasks an intent most likely means when nothing names one; also the tie-break among close ones.
PREFERRED_STATUSES: dict[str, frozenset[str]] = {
    "why_failed": frozenset({"failed"}),
    "retry_step": frozenset({"failed"}),
    "resume": frozenset({"paused"}),
    "approve": frozenset({"approval"}),
    "reject": frozenset({"approval"}),
    "pause": frozenset({"running", "pending"}),
}


@dataclass(frozen=True, slots=True)
class Resolution:
    """Outcome of resolving a task reference (see `Intent.resolution`)."""

    kind: str
    task_id: str | None = None
    candidates: tuple[str, ...] = ()
    query: str | None = None


def _max_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


class TaskIndex:
    """Normalised task names: exact ids, a word → tasks index with IDF weights, fuzzy choices."""

    def __init__(self, tasks: Sequence[TaskRef]) -> None:
        self.tasks: tuple[TaskRef, ...] = tuple(tasks)
        self.by_id: dict[str, int] = {}
        self.postings: dict[str, list[int]] = {}
        self.name_words: list[frozenset[str]] = []
        self.short_words: list[frozenset[str]] = []
        for i, task in enumerate(self.tasks):
            self.by_id.setdefault(task.task_id.lower(), i)
            title = frozenset(tokenize(task.title))
            short = frozenset(tokenize(task.short_name)) if task.short_name else frozenset()
            self.name_words.append(title | short)
            self.short_words.append(short)
            for word in title | short:
                self.postings.setdefault(word, []).append(i)
        n = max(len(self.tasks), 1)
        self.idf: dict[str, float] = {
            word: math.log(1.0 + n / len(ids)) for word, ids in self.postings.items()
        }
        self.by_status: dict[str, list[TaskRef]] = {}
        for task in sorted(self.tasks, key=lambda t: t.updated_at, reverse=True):
            self.by_status.setdefault(task.status, []).append(task)
        # Fuzzy matching only ever looks at real words; ids and numbers must match exactly.
        self.fuzzy_choices: list[str] = [
            w for w in self.postings if len(w) >= 3 and w.isalpha() and w not in STOPWORDS
        ]
        self.longest_word = max(map(len, self.fuzzy_choices), default=0)

    def knows(self, word: str) -> bool:
        return word in self.postings or word in self.by_id

    def fuzzy(self, word: str) -> list[tuple[str, float]]:
        """Task words one or two edits from `word`, with a weight in (0, 1)."""
        if not 3 <= len(word) <= self.longest_word + 2 or not word.isalpha():
            return []
        found = process.extract(
            word,
            self.fuzzy_choices,
            scorer=Levenshtein.distance,
            score_cutoff=_max_edits(word),
            limit=FUZZY_LIMIT,
        )
        out: list[tuple[str, float]] = []
        for choice, distance, _ in found:
            if len(word) <= 4 and choice[0] != word[0]:
                continue  # "crn" may be "crm", but not "arn"
            out.append((choice, 1.0 - distance / max(len(word), len(choice))))
        return out


def resolve_named(index: TaskIndex, words: Sequence[str], intent: str) -> Resolution | None:
    """Resolve the task `words` name; None when they name nothing (no content words at all)."""
    for word in words:
        if word in index.by_id:
            return Resolution("named", task_id=index.tasks[index.by_id[word]].task_id, query=word)
    content = [w for w in words if w not in STOPWORDS or w in index.postings]
    if not content:
        return None
    scores: dict[int, float] = {}
    hits: dict[int, set[str]] = {}
    strong: set[int] = set()
    used: list[str] = []
    for word in content:
        matches: Iterable[tuple[str, float]]
        if word in index.postings:
            matches = ((word, 1.0),)
        elif word in STOPWORDS:
            continue
        else:
            matches = index.fuzzy(word)
        best_for_task: dict[int, float] = {}
        for task_word, weight in matches:
            is_stop = task_word in STOPWORDS
            value = weight * index.idf[task_word] * (STOPWORD_WEIGHT if is_stop else 1.0)
            for i in index.postings[task_word]:
                if value > best_for_task.get(i, 0.0):
                    best_for_task[i] = value
                hits.setdefault(i, set()).add(task_word)
                if not is_stop:
                    strong.add(i)
        if best_for_task:
            used.append(word)
        for i, value in best_for_task.items():
            scores[i] = scores.get(i, 0.0) + value
    # Only asking words matched ("the status"): a task counts only if they spell its whole name.
    for i in list(scores):
        if i not in strong and not (
            hits[i] >= index.name_words[i]
            or (index.short_words[i] and hits[i] >= index.short_words[i])
        ):
            del scores[i]
    leftovers = [w for w in content if w not in STOPWORDS]
    if not scores:
        if not leftovers:
            return None
        return Resolution("not_found", query=" ".join(leftovers))
    for i in scores:
        short = index.short_words[i]
        cover = len(hits[i] & index.name_words[i]) / len(index.name_words[i])
        if short:
            cover = max(cover, len(hits[i] & short) / len(short))
        scores[i] += COVERAGE_BONUS * cover
    query = " ".join(used)
    return _pick(index, scores, intent, query)


def _pick(index: TaskIndex, scores: dict[int, float], intent: str, query: str) -> Resolution:
    best = max(scores.values())
    close = [i for i, s in scores.items() if s >= CLOSE_SHARE * best]
    preferred = PREFERRED_STATUSES.get(intent, ACTIVE_STATUSES)

    def rank(i: int) -> tuple[float, bool, float]:
        task = index.tasks[i]
        return (scores[i], task.status in preferred, task.updated_at)

    close.sort(key=rank, reverse=True)
    if len(close) == 1:
        return Resolution("named", task_id=index.tasks[close[0]].task_id, query=query)
    fitting = [i for i in close if index.tasks[i].status in preferred]
    if len(fitting) == 1:
        return Resolution("named", task_id=index.tasks[fitting[0]].task_id, query=query)
    ids = tuple(index.tasks[i].task_id for i in close[:MAX_CANDIDATES])
    return Resolution("ambiguous", candidates=ids, query=query)


def resolve_unnamed(index: TaskIndex, intent: str) -> Resolution:
    """No task named and no context: the one task the intent fits, else the choice, else none."""
    preferred = PREFERRED_STATUSES.get(intent)
    for statuses in (preferred, ACTIVE_STATUSES):
        if statuses is None:
            continue
        groups = [index.by_status[s] for s in statuses if s in index.by_status]
        if sum(map(len, groups)) == 1:
            return Resolution("only_active", task_id=next(t for g in groups for t in g).task_id)
    groups = [index.by_status[s] for s in ACTIVE_STATUSES if s in index.by_status]
    if sum(map(len, groups)) > 1:
        newest_first = heapq.merge(*groups, key=lambda t: -t.updated_at)
        return Resolution(
            "ambiguous", candidates=tuple(t.task_id for t in islice(newest_first, MAX_CANDIDATES))
        )
    return Resolution("none")
