"""Which action a question or a hypothetical is about.

"does resume pick up where it left off?", "would rejecting restart it?", "what does skip do
exactly?": an action as the subject of a question is the action asked about, whatever the
question says it does. "what if we killed the etl", "if i pause it now will it resume by
itself?": the action imagined is said in the past tense, or after "if"; its base form is what the
rules read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from intents.types import STATE_CHANGING

__all__ = ["IF_PART", "action_asked_about", "base_forms", "first_alternative"]

# Past forms of the action verbs, read as the verb in a hypothetical ("what if we killed it").
_PAST_FORMS: dict[str, str] = {
    "paused": "pause", "resumed": "resume", "unpaused": "unpause", "cancelled": "cancel",
    "canceled": "cancel", "stopped": "stop", "killed": "kill", "aborted": "abort",
    "nuked": "nuke", "scrapped": "scrap", "halted": "halt", "terminated": "terminate",
    "restarted": "restart", "reran": "rerun", "relaunched": "relaunch", "retried": "retry",
    "skipped": "skip", "approved": "approve", "rejected": "reject", "declined": "decline",
    "muted": "mute", "unmuted": "unmute", "silenced": "silence", "froze": "freeze",
    "frozen": "freeze", "suspended": "suspend",
    # ("subscribing the whole team would be too noisy": the -ing form, weighed)
    "subscribed": "subscribe", "subscribing": "subscribe",
}  # fmt: skip


IF_PART = re.compile(
    r"\b(?:if|when|once|suppose|imagine|what if) ((?:\w+ ){1,8}?\w+)"
    r"(?= (?:will|would|does|do|is|can|could|then|and)\b|$)"
)


# "does resume …", "would rejecting …", "will a retry …": an action as the subject of a question.
_ACTION_AS_SUBJECT = re.compile(
    r"^(?:(?:so|and|but|ok|okay|quick q) )*(?:does|do|will|would|did|could|can) (?:a |the |an )?"
    # ("does skip work on telegram?" asks what the bot can do)
    r"(\w+)(?= (?!(?:it|me|us|you|them|i|we|work|works)\b)\w+)"
)


# "what does restart do exactly, compared to retrying a step?": the action asked about.
_WHAT_ACTION_DOES = re.compile(r"^(?:(?:so|and|but|ok|okay) )*what does (\w+)(?= (?:\w+ )?do\b)")


def action_asked_about(normalized: str, rules: Callable[[str], str | None]) -> str | None:
    """The action a question has as its subject ("does resume …"), if it is one."""
    match = _ACTION_AS_SUBJECT.match(normalized) or _WHAT_ACTION_DOES.match(normalized)
    if match is None:
        return None
    word = match.group(1)
    forms = (word, word[:-3], word[:-3] + "e") if word.endswith("ing") else (word,)
    for form in forms:
        named = rules(form) if len(form) > 2 else None
        if named in STATE_CHANGING:
            return named
    return None


def base_forms(text: str) -> str:
    """`text` with the past (and third-person) forms of the action verbs in their base form;
    a past form said before a noun, after an article ("when a paused batch resumes"), only says
    what the thing is, and is left out (the action is the verb that follows)."""
    words = text.split()
    return " ".join(
        _PAST_FORMS.get(w) or _THIRD_PERSON.get(w, w)
        for i, w in enumerate(words)
        if not (0 < i < len(words) - 1 and w in _PAST_FORMS and words[i - 1] in _ARTICLES)
    )


# "when a paused batch resumes": what a task does, imagined, read as the action
_THIRD_PERSON = {
    "pauses": "pause", "resumes": "resume", "unpauses": "unpause", "restarts": "restart",
    "reruns": "rerun", "retries": "retry", "skips": "skip", "approves": "approve",
    "rejects": "reject", "cancels": "cancel",
}  # fmt: skip


_ARTICLES = frozenset({"a", "an", "the", "any", "every", "each"})


# The action verbs, as the rules read them one word at a time.
_ACTION_WORD = re.compile(
    r"\b(?:pause|resume|unpause|cancel|kill|abort|stop|restart|rerun|retry|skip|approve|reject"
    r"|decline|mute|unmute)\b"
)


# An action verb, then a condition or a time said after it that holds a word of another action
# ("pause it while it waits for sign-off", "cancel it if the budget isn't approved").
_ACTION_THEN_CONDITION = re.compile(
    _ACTION_WORD.pattern + r".*\b(?:while|if|unless|until|once|before|after)\b.*\b(?:sign ?off"
    r"|signed off|approved?|approval|rejected|cancelled|canceled|paused|restarted|skipped)\b"
)


def first_alternative(
    normalized: str, clauses: Sequence[Sequence[str]], rules: Callable[[str], str | None]
) -> str | None:
    """Of two actions offered as alternatives ("rerun the whole thing or only retry the failed
    step?", "reject? approve?"), the one named first; of an action asked about and another in
    the condition or the time after it ("can we pause it while it waits for sign-off?"), the
    first; None when the message offers neither."""
    offered = (
        " or " in normalized
        or (len(clauses) > 1 and len(clauses[0]) == 1 and len(clauses[1]) == 1)
        or _ACTION_THEN_CONDITION.search(normalized) is not None
    )
    if not offered:
        return None
    named = [rules(m.group(0)) for m in _ACTION_WORD.finditer(normalized)]
    actions = [n for n in named if n in STATE_CHANGING]
    if actions and _ACTION_THEN_CONDITION.search(normalized) is not None:
        return actions[0]
    if len(set(actions)) > 1:
        return actions[0]
    # ("is it safe to resume it or will it start from scratch?": the second action said in
    # words of more than one, which no single action word shows)
    before, _, after = normalized.partition(" or ")
    first, second = (rules(before), rules(after)) if after else (None, None)
    if first in STATE_CHANGING and second in STATE_CHANGING and first != second:
        return first
    return None
