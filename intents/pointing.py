"""A task pointed at rather than named: by a pronoun ("pause it", "that one"), by its state
("the failed one", "the one waiting for approval"), or by "my" among several that fit."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from intents.action_talk import ACTION_VERBS
from intents.resolve import Resolution, TaskIndex, resolve_named
from intents.task_index import step_stem
from intents.text import PLAIN_STOPWORDS
from intents.types import STATE_CHANGING

__all__ = [
    "POSSESSIVES",
    "any_task",
    "bare_request",
    "by_state",
    "context_meant",
    "only_a_person",
    "prefer_mine",
    "refers_by_pronoun",
    "several_named",
]

_PRONOUNS = frozenset({"it", "its", "them"})
POSSESSIVES = frozenset({"his", "her", "their"})
_DEMONSTRATIVE = frozenset({"that", "this"})
_MINE = frozenset({"my", "our"})
# Words that open the object a request names: "retry the invoice from mr patel".
_OBJECT_OPENS = frozenset({"the", "a", "an", "that", "this", "these", "those"})
_ACTION_VERB = re.compile(ACTION_VERBS)
_BELONGS = frozenset({"from", "for", "of", "by", "on", "in", "at", "about"})
# Words a message opens with before its subject: "so the numbers look off".
_OPENERS = frozenset(
    {"and", "but", "so", "or", "then", "also", "ok", "okay", "well", "hey", "hi", "yes", "no"}
    | {"please", "pls", "plz", "now", "because", "since", "as", "when", "if", "after"}
)
# A task named by its state: "the failed one", "the pending job", "the one waiting for approval".
_STATE_WORDS: dict[str, tuple[str, ...]] = {
    "failed": ("failed",), "failing": ("failed",), "broken": ("failed",), "crashed": ("failed",),
    "red": ("failed",), "pending": ("pending",), "queued": ("pending",),
    "paused": ("paused",), "suspended": ("paused",), "running": ("running",),
    "approval": ("approval",), "finished": ("completed",), "completed": ("completed",),
    "cancelled": ("cancelled",), "canceled": ("cancelled",),
}  # fmt: skip
_BY_STATE = re.compile(
    r"\bthe (failed|failing|broken|crashed|red|pending|queued|paused|suspended|running|finished"
    # (a word that names no task may describe it: "the failed finance job")
    r"|completed|cancelled|canceled) (?:\w+ )?(?:one|task|job|run)\b"
    r"|\bthe (?:one|task|job) (?:that is |thats |which is )?(?:waiting|waits|pending) (?:for|on) "
    r"(approval)\b|\bthe (?:one|task|job) (?:that |which )?(?:is |has )?(failed|crashed|broke)\b"
)


# Speech acts that ask for a change at once, and the one that takes back the task in view.
_ASKS_A_CHANGE = frozenset({"command", "suggestion", "wish"})


def context_meant(act: str, intent: str, remembered: str | None) -> bool:
    """Beside the task just discussed, words that name no task mean that task when nothing is
    asked to change at once: a question, a negation, a thing imagined or weighed, or a request
    that changes nothing ("what's the real error then?", "resuming won't fix the bad rows",
    "not yet, I need to ask the owner first"): such words are a reason, an opinion or the
    thing asked about, not another task. A change asked for keeps to its words ("pause the
    coffee machine" is not the task in view), and a correction takes the task in view back."""
    if remembered is None or act == "correction":
        return False
    return act not in _ASKS_A_CHANGE or intent not in STATE_CHANGING


def bare_request(
    index: TaskIndex,
    clauses: Sequence[Sequence[str]],
    intent: str,
    rules: Callable[[str], str | None],
) -> bool:
    """ "that's wrong data, reject", "numbers look off. pause please": the request said in a
    clause of its own, with no word that could name a task, beside another that gives the
    reason: the task in view is meant (the reason's words name another thing no more than a
    question's do)."""
    return len(clauses) > 1 and any(
        resolve_named(index, list(clause), intent) is None and rules(" ".join(clause)) == intent
        for clause in clauses
    )


# "a task that has been paused for days", "any job": a task in general, not one of these.
_ANY_TASK = re.compile(r"\b(?:a|an|any) (?:task|job|run|pipeline)\b")


def any_task(normalized: str, act: str, resolution: Resolution) -> Resolution:
    """Asked or imagined of a task in general ("what happens if I resume a job that sat paused
    for weeks?"), nothing named: no task is meant, however few fit the action."""
    if (
        act in ("question", "hypothetical")
        and resolution.kind in ("only_active", "ambiguous")
        and resolution.query is None
        and _ANY_TASK.search(normalized)
    ):
        return Resolution("none")
    return resolution


def refers_by_pronoun(words: Sequence[str], unnamed: str | None = None) -> bool:
    """ "it", "them", or "that"/"this" standing alone ("pause that now"), not before a noun
    that names nothing ("approve this expense" is not about the task in view); nor when the
    speaker's own thing, of the `unnamed` words that name no task, is what "it" stands for
    ("retry my upload on the portal, it keeps failing")."""
    said = set(unnamed.split()) if unnamed else set()
    if said and (
        any(w in _MINE and said.intersection(words[i + 1 : i + 3]) for i, w in enumerate(words))
        or _object_named_first(words, said)
    ):
        return False
    for i, word in enumerate(words):
        if word in _PRONOUNS:
            return True
        if word in _DEMONSTRATIVE:
            after = words[i + 1] if i + 1 < len(words) else None
            # "this message" is a thing of its own: only plain grammar words may follow
            if after is None or after == "one" or after in PLAIN_STOPWORDS:
                return True
    return False


def _object_named_first(words: Sequence[str], unnamed: set[str]) -> bool:
    """ "retry the invoice from mr patel, the clerk rejected it by mistake": before any "it", a
    request's own object named by words no task has ("the invoice from mr patel", right after
    an action's verb, or after the message's first word, a verb of its own: "resend"); the "it"
    after it stands for that thing, not for a task. A subject ("the numbers look off, pause
    it", "..., the clerk rejected it") is the reason for a request, not its object."""
    for i in range(1, len(words) - 1):
        if words[i] in _PRONOUNS:
            return False
        verb = words[i - 1]
        if (
            words[i] in _OBJECT_OPENS
            and (_ACTION_VERB.fullmatch(verb) or (i == 1 and verb not in _OPENERS))
            and unnamed.intersection(words[i + 1 : i + 3])
            # (the thing described by whom or where it belongs: "from mr patel", "for dora")
            and _BELONGS.intersection(words[i + 2 : i + 4])
        ):
            return True
    return False


def by_state(index: TaskIndex, normalized: str, exclude: set[int]) -> Resolution | None:
    match = _BY_STATE.search(normalized)
    if match is None:
        return None
    word = next(g for g in match.groups() if g)
    found = [
        t.task_id
        for s in _STATE_WORDS.get(word, ())
        for t in index.by_status.get(s, [])
        if index.by_id[t.task_id.lower()] not in exclude
    ]
    if len(found) == 1:
        return Resolution("named", task_id=found[0], query=match.group(0))
    return None


def prefer_mine(
    index: TaskIndex, resolution: Resolution, words: Sequence[str], person: str | None
) -> Resolution:
    """ "my sync" when several fit: the one the person owns, if exactly one."""
    if person is None or resolution.kind != "ambiguous" or "my" not in words:
        return resolution
    me = person.lower()
    mine = [
        c
        for c in resolution.candidates
        if (index.tasks[index.by_id[c.lower()]].owner or "").lower() == me
    ]
    if len(mine) == 1:
        return Resolution("named", task_id=mine[0], query=resolution.query)
    return resolution


def only_a_person(index: TaskIndex, named: Resolution | None, intent: str) -> bool:
    """ "is rafael the only one who can approve?", "rafael approved the cutover already": words
    that name no task but one owner, alone or with words of that owner's tasks' steps, ask about
    that person's task (`resolve.persons_task`); not when something would change ("pause
    rafael" is no request about his task)."""
    if named is None or named.kind != "not_found" or not named.query or intent in STATE_CHANGING:
        return False
    said = named.query.split()
    people = [w for w in said if w in index.by_person]
    if len(people) != 1:
        return False
    theirs = index.by_person[people[0]]
    return all(
        not set(theirs).isdisjoint(index.step_postings.get(step_stem(w, index) or w, ()))
        for w in said
        if w not in people
    )


# Words that join two names: "the etl and the sync", "the etl or the sync".
_CONJUNCTIONS = frozenset({"and", "or", "both", "vs", "versus", "plus"})


def several_named(index: TaskIndex, words: Sequence[str], intent: str) -> Resolution | None:
    """ "the etl and the sync", "the etl or the sync": two tasks named, so not one."""
    cuts = [i for i, w in enumerate(words) if w in _CONJUNCTIONS]
    if not cuts:
        return None
    found: list[str] = []
    start = 0
    ends = [*cuts, len(words)]
    for k, cut in enumerate(ends):
        if len(found) + len(ends) - k < 2:
            break  # the parts left cannot make two tasks: no need to read them
        part = resolve_named(index, words[start:cut], intent)
        start = cut + 1
        if (
            part is not None
            and part.kind == "named"
            and part.task_id is not None
            and part.task_id not in found
        ):
            found.append(part.task_id)
    if len(found) < 2:
        return None
    return Resolution("ambiguous", candidates=tuple(found), query=" ".join(words))
