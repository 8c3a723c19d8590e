"""Which task a request is about, beyond the words that name one: the task of the part of a
message that carries its request ("approve the crm and then give me the etl status"), the
choice of another task than the one just acted on ("hold that one as well"), and whether settings
are about one task or all ("a weekly summary" beside a "Weekly Sales Report" is about all)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from itertools import pairwise

from intents.clauses import after_lead_clause, request_clause, requested_intent
from intents.normalise import Normalised
from intents.pointing import refers_by_pronoun
from intents.resolve import Resolution, TaskIndex, resolve_named, resolve_unnamed
from intents.rules import rule_intent
from intents.task_index import light_stem
from intents.types import STATE_CHANGING

__all__ = [
    "PER_TASK_SETTINGS",
    "another_than",
    "in_asking_clause",
    "in_request",
    "named_plainly",
    "object_of_request",
    "said_outright",
    "setting_scope",
    "unsure_scope",
]


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
    if (
        named is None
        and remembered is not None
        and remembered.lower() in index.by_id
        and refers_by_pronoun(words)
    ):
        return Resolution("context", task_id=remembered)
    return resolution


def in_asking_clause(
    index: TaskIndex, norm: Normalised, kept: Sequence[str], intent: str, named: Resolution
) -> Resolution:
    """ "skip the ui tests, they're flaky": the task is in one clause, a reason in another; the
    clause that asks is read first ("… models take time, but when is the forecast done?"), and
    of a question that names two tasks, the one its asking clause names (a change to two is
    never narrowed so)."""
    if named.kind != "not_found" and (named.kind != "ambiguous" or intent in STATE_CHANGING):
        return named
    wanted = set(kept)
    reads = [rule_intent(" ".join(index.mask_names(c))) == intent for c in norm.clauses]
    if named.kind == "ambiguous" and all(reads):
        return named
    for clause, _ in sorted(zip(norm.clauses, reads, strict=True), key=lambda p: not p[1]):
        part = resolve_named(index, [w for w in clause if w in wanted], intent)
        if part is not None and (
            part.kind == "named" or (part.kind == "ambiguous" and named.kind == "not_found")
        ):
            return part
    return named


# Notification settings said of the bot as a whole, or of one task named in them.
PER_TASK_SETTINGS = frozenset({"notify_settings", "notify_channel"})
_SETTING_WORDS = frozenset(
    {"hourly", "daily", "weekly", "monthly", "summary", "summaries", "digest", "office", "hours"}
    # the setting's own verbs ("send my updates to ..." beside a "Newsletter Send")
    | {"send", "post", "route", "forward", "deliver"}
)


# "but only when it's done": a setting that narrows what was just asked for
_REFINES = re.compile(r"^(?:but|and|though) (?:only|just)\b|^(?:only|just) (?:when|once|if)\b")
# "move its alerts to email", "for that one, only when it's finished": a setting pointed at the
# task in view by a possessive or "that one" (not "send it to email": "it" may be the alerts;
# "its" is also "it's" by then: only before what a setting is about)
_POINTED = re.compile(
    r"\b(?:its|(?:that|this) ones) (?:\w+ )?(?:alerts|notifications|notifs|pings|updates"
    r"|messages)\b|^(?:(?:and|ok|okay|so|but|the|same) )*for (?:that|this) one\b"
)

# "is it (still) waiting on me", "does that one need my sign-off": "it" the subject of the question
_IT_WAITS = re.compile(
    r"^(?:(?:and|so|ok|okay|but|then) )*(?:is|isnt|was|does|did|has) (?:it|that one|this one)\b"
)
# "put those on telegram", "send them by email": the updates just subscribed to
_THOSE_UPDATES = re.compile(r"\b(?:those|them|these)\b")


def setting_scope(
    index: TaskIndex,
    norm: Normalised,
    name: str,
    named: Resolution | None,
    context_intent: str | None,
    remembered: str | None,
) -> Resolution | None:
    """The task a setting is about, of the one `named` in it: none when it is named only in the
    story before the request; the task just subscribed to when the setting narrows that
    subscription ("but only when it's done") and names none itself; the task in view when the
    setting points at it ("move its alerts to email")."""
    if named is not None:
        return named if setting_named_in_request(norm, name, named) else None
    # ("and put those on telegram" after a subscription: that subscription's updates, moved)
    refines = context_intent == "subscribe" and (
        (name == "notify_settings" and _REFINES.match(norm.normalised) is not None)
        or _THOSE_UPDATES.search(norm.normalised) is not None
    )
    # "is it still waiting on me?": the task in view is what waits (not "anything else
    # waiting for me besides that?", which asks about every other task)
    waits = name == "waiting_on_me" and _IT_WAITS.search(norm.normalised) is not None
    if (
        (refines or waits or _POINTED.search(norm.normalised))
        and remembered is not None
        and remembered.lower() in index.by_id
    ):
        return Resolution("context", task_id=remembered)
    return None


def setting_named_in_request(norm: Normalised, name: str, named: Resolution) -> bool:
    """Whether a setting said after its context is about the task `named` in its request: "I
    work nights at the clinic, … could you set quiet hours from 9 to 5" names the clinic's task
    only in the story before the request, so the quiet hours are for every task; True when the
    request is the whole message, or its part reads as something else or says the task's words."""
    part = request_clause(norm.clauses) or after_lead_clause(norm.clauses)
    if part is None or rule_intent(part) != name:
        return True
    words = part.split()
    # ("the etl keeps pinging me at night, could you set quiet hours for it": it is the etl)
    said = {w for w in (named.query or "").split() if not w.isdigit()}  # ("from 10 to 6")
    return refers_by_pronoun(words) or not said.isdisjoint(words)


def said_outright(named: Resolution, index: TaskIndex) -> bool:
    """A word of the task's name, its id or its owner's said as it is: not a near miss of one
    ("CET" of a "Cert Renewal"), a word of a step ("not every small message"), or a word of
    the setting itself ("a weekly summary" beside a "Weekly Sales Report")."""
    i = index.by_id[(named.task_id or "").lower()]
    for word in (named.query or "").split():
        if word in _SETTING_WORDS:
            continue  # "a weekly summary", "during office hours": a setting's own words
        if _names(index, word, i, steps=False):
            return True
        # an inflection of a word of its name ("the robots" of a "Robot Fleet Update")
        if any(i in index.postings[w] for w in index.stems.get(light_stem(word), ())):
            return True
    return False


# Below the policy's act threshold (0.8): asked first, not done.
_UNSURE_SCOPE_CAP = 0.75


def unsure_scope(named: Resolution, words: Sequence[str], confidence: float) -> float:
    """A setting said "for" a near miss of a task's words ("powiadamiaj mnie tylko o błędach
    dla detektora", the detector said in Polish) is about that task, or about all of them:
    which, the bot cannot tell, so it asks before changing every task's alerts (a near miss
    said elsewhere, "9 to 18 CET" beside a "Cert Renewal", names no scope)."""
    missed = {w for w in (named.query or "").split() if w not in _SETTING_WORDS}
    scoped = any(a in ("for", "about") and b in missed for a, b in pairwise(words))
    return min(confidence, _UNSURE_SCOPE_CAP) if scoped else confidence


def named_plainly(named: Resolution, index: TaskIndex, setting: bool) -> bool:
    """Whether a message that asks nothing of a task still names it: a setting, by a word of the
    task's name said as it is ("route the tax filing pings to #finance", not "9 to 18 CET" beside
    a "Cert Renewal"); a message we cannot read, by such a word or by more than one near word
    ("Mosaik abbrechen bitte", "hw's the wearhouse sycn"), not by one near word alone ("who won
    the LoL match" is no "batch job")."""
    if setting or len((named.query or "").split()) < 2:
        return said_outright(named, index)
    return True


def object_of_request(
    index: TaskIndex,
    words: Sequence[str],
    said: Sequence[str],
    verb: Collection[str],
    named: Resolution,
    intent: str,
    exclude: Collection[int] = (),
) -> Resolution:
    """ "the newsletter failed, so pause the classifier": when the words also name a second task
    outright, apart from the one `named`, the request is about the task said first after its
    verb (`verb`: the rule's words), or the one before it when a pronoun is its object ("lead
    scoring is eating the gpus, pause it before the fraud retrain"); and it is one of several,
    which the policy asks about before changing anything. `said` are the message's words."""
    first = named.task_id
    if first is None:
        return named
    i = index.by_id[first.lower()]
    # (a word of its name in another inflection is its own too: the "forecast" of a "Bed
    # Forecasting" names no second task beside it)
    stems = {stem for names in index.name_stem_sets[i] for stem in names}
    taken = {
        w for w in (named.query or "").split() if _names(index, w, i) or light_stem(w) in stems
    }
    # (the request's own words name no task: "the page for the parking app")
    rest = [w for w in _not_negated(words) if w not in taken and w not in verb]
    second = resolve_named(index, rest, intent, frozenset({i, *exclude}))
    if second is None or second.kind != "named" or second.task_id in (None, first):
        return named
    j = index.by_id[second.task_id.lower()]
    if not _named_outright(index, [w for w in rest if _names(index, w, j)], j, said):
        return named  # "the db", "a dashboard": a word that other things are called too
    spots = {first: _where(said, index, i), second.task_id: _where(said, index, j)}
    if abs(spots[first] - spots[second.task_id]) < 2:
        return named  # one phrase ("the nightly transcode"), not two tasks
    verb_at = next((k for k, w in enumerate(said) if w in verb), None)
    if verb_at is None:
        chosen = min(spots, key=lambda t: spots[t])
    else:
        object_is_pronoun = any(w in _OBJECT_PRONOUNS for w in said[verb_at + 1 : verb_at + 3])
        before = [t for t in spots if spots[t] < verb_at]
        after = [t for t in spots if spots[t] > verb_at]
        if object_is_pronoun and before:
            chosen = max(before, key=lambda t: spots[t])
        else:
            chosen = (
                min(after, key=lambda t: spots[t]) if after else max(spots, key=lambda t: spots[t])
            )
    query = named.query if chosen == first else second.query
    return Resolution("one_of_several", task_id=chosen, query=query)


_OBJECT_PRONOUNS = frozenset({"it", "that", "this", "them"})
_THE = frozenset({"the", "that", "this"})
_OF = frozenset({"for", "of", "from", "on", "in"})


def _where(said: Sequence[str], index: TaskIndex, i: int) -> int:
    spots = [k for k, w in enumerate(said) if _names(index, w, i)]
    return spots[0] if spots else len(said)


def _named_outright(index: TaskIndex, words: Sequence[str], i: int, said: Sequence[str]) -> bool:
    """More than half of the task's name is said, all of its short name, or its head noun after
    an article ("the classifier" of a "Shipment Classifier")."""
    named = set(words)
    short, title = index.short_words[i], index.name_words[i]
    if (short and short <= named) or len(named & title) * 2 > len(title):
        return True
    for k, w in enumerate(said):
        if w in index.heads and w in title and k > 0 and said[k - 1] in _THE:
            after = said[k + 1] if k + 1 < len(said) else ""
            if after not in _OF:  # ("the page for the parking app": a thing of something else)
                return True
    return False


def _not_negated(words: Sequence[str]) -> list[str]:
    """The words but those of a phrase after "not" ("not the dashboard ones")."""
    out: list[str] = []
    skip = 0
    for w in words:
        if w == "not":
            skip = 3
            continue
        if skip:
            skip -= 1
            continue
        out.append(w)
    return out


def _names(index: TaskIndex, word: str, i: int, *, steps: bool = True) -> bool:
    """Whether `word` is one of task `i`'s own: a word of its name, its id, its owner's, and
    (with `steps`) a word of one of its steps."""
    return (
        i in index.postings.get(word, ())
        or i in index.owners.get(word, ())
        or (steps and i in index.step_postings.get(word, ()))
        or word == index.tasks[i].task_id.lower()
    )
