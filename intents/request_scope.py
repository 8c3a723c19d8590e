"""Which task a request is about, beyond the words that name one: the task of the part of a
message that carries its request ("approve the cutover and then show me the gdpr status"), the
choice of another task than the one just acted on ("pause that one too"), and whether settings
are about one task or all ("a weekly summary" beside a "Weekly Sales Report" is about all)."""

from __future__ import annotations

from intents.clauses import requested_intent
from intents.normalise import Normalised
from intents.pointing import refers_by_pronoun
from intents.resolve import Resolution, TaskIndex, resolve_named, resolve_unnamed
from intents.rules import rule_intent
from intents.task_index import light_stem

__all__ = ["PER_TASK_SETTINGS", "another_than", "in_request", "said_outright"]


def another_than(index: TaskIndex, intent: str, seen: Resolution) -> Resolution:
    """The choice among the tasks the intent fits, other than the one just acted on."""
    exclude = frozenset({index.by_id[(seen.task_id or "").lower()]})
    other = resolve_unnamed(index, intent, exclude)
    if other.kind == "only_active" and other.task_id is not None:
        return Resolution("ambiguous", candidates=(other.task_id,))  # asked, never assumed
    return other


def in_request(
    index: TaskIndex,
    norm: Normalised,
    act: str,
    name: str,
    resolution: Resolution,
    remembered: str | None,
) -> Resolution:
    """The task named in the part of the message that carries its request, if one is, or the
    task in view when that part points at it ("pause it and tell me the eta for churn")."""
    part = requested_intent(
        norm.clauses, act, name, lambda t: rule_intent(" ".join(index.mask_names(t.split())))
    )
    if part[0] != name or part[1] is None:
        return resolution
    words = part[1].split()
    named = resolve_named(index, words, name)
    if named is not None and named.kind == "named":
        return named
    pointed = named is None and remembered is not None and refers_by_pronoun(words)
    if pointed and remembered is not None and remembered.lower() in index.by_id:
        return Resolution("context", task_id=remembered)
    return resolution


# Notification settings said of the bot as a whole, or of one task named in them.
PER_TASK_SETTINGS = frozenset({"notify_settings", "notify_channel"})
_SETTING_WORDS = frozenset(
    {"hourly", "daily", "weekly", "monthly", "summary", "summaries", "digest", "office", "hours"}
)


def said_outright(named: Resolution, index: TaskIndex) -> bool:
    """A word of the task's name, its id or its owner's said as it is: not a near miss of one
    ("CET" of a "Cert Renewal"), a word of a step ("not every small message"), or a word of
    the setting itself ("a weekly summary" beside a "Weekly Sales Report")."""
    i = index.by_id[(named.task_id or "").lower()]
    for word in (named.query or "").split():
        if word in _SETTING_WORDS:
            continue  # "a weekly summary", "during office hours": a setting's own words
        if i in index.postings.get(word, ()) or i in index.owners.get(word, ()):
            return True
        if word == index.tasks[i].task_id.lower():
            return True
        # an inflection of a word of its name ("the robots" of a "Robot Fleet Update")
        if any(i in index.postings[w] for w in index.stems.get(light_stem(word), ())):
            return True
    return False
