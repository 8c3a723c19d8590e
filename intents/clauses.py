"""Which part of a long or compound message carries its request.

People give context before they ask ("the auditors asked us to freeze uploads this week. Could
you please pause the invoices sync until Friday?", "legal cleared it, so please resume the booking
app"), put a reason or a time first ("before we rerun anything, why did the etl fail?"), and join
two requests with "and" ("rerun the etl and ping me when it's done", "how long for the etl? and
also mute the crm"). The words of the context, of the clause in front, or of the second request
read as intents of their own; the request is the clause a request marker opens ("please", "could
you", an imperative), the clause after a leading "before …, / since …, / because …,", or the
first of two joined requests.

Each function returns the words to read (or None: the whole message is read as it is); the caller
reads them with the rules, and keeps the whole message's speech act, so a sign that the message may
not be a plain request (a plan, a condition, a negation, someone else's words) still counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from intents.speech_act import ACTION_VERBS, leaves_alone

__all__ = [
    "after_lead_clause",
    "first_of_joined",
    "refused_action",
    "request_clause",
    "requested_intent",
    "said_after_follow_up",
    "told_instead",
]

_FILLER = r"(?:(?:so|and|then|now|but|ok|okay|hey|hi|hello|also|anyway|btw|in short|basically)\s)*"
# A clause that opens with a request: "please pause it now", "could you please reject the pending
# approval", "can someone tell me why", "pls retry the load step".
_REQUEST_OPENER = re.compile(
    rf"^{_FILLER}(?:(?:please|pls|plz|kindly)\s(?!(?:dont|do not|never|stop)\b)"
    r"|(?:could|can|would|will) (?:you|u|someone|somebody|anyone|we)(?: please| pls| kindly)? "
    r"(?!(?:tell me (?:if|whether)|be|not)\b)"
    # "can I see how the report is doing?"
    r"|(?:can|could|may) i (?:please )?(?:see|get|have|check|know)\b"
    # "would it be possible to get the full log …", "i'd love to see the raw output …": asked
    # as politely, the request of a long message whose story follows it
    r"|(?:would|will|is) it be possible (?:for you )?to (?!(?:\w+ )?not\b)"
    r"|(?:id|i d|i would|wed|we would) (?:love|like) to (?:see|get|have|check|look at)\b)"
)
# Where a request clause's own words end: "… and I'll resume it after lunch", "… and note that …"
# (what the speaker will do, or a second thing to note, is not the request).
_REQUEST_ENDS = re.compile(
    r"\s(?:and|then|but)\s(?:(?:i|we|ill|well|i ll|we ll|im|i am|we are|weve|ive)\b"
    r"|(?:note|add|say|mention|explain|write)\b)"
)
# A clause in front that sets a time or gives a reason, before the request.
_LEAD = re.compile(
    r"^(?:(?:so|and|but|ok|okay|hey|hi)\s)*(?:before|while|since|because|cause|now that|given that"
    r"|seeing as|as)\b"
)
# Two requests joined by "and": the first said, an imperative or a question, then "and (also |
# then )" a second.
_JOINED = re.compile(r"\s(?:and|&)\s(?:also\s|then\s|after that\s|afterwards\s|pls\s|please\s)?")
# What a task's run is told to do (a subscription or a mute after one is a second request).
_RUNS = frozenset(
    {"pause", "resume", "cancel", "restart", "retry_step", "skip_step", "approve", "reject"}
)
# A clause that opens with a verb (an order may follow): only then is its reading worth taking.
_VERB_FIRST = re.compile(
    rf"^(?:(?:please|pls|kindly|ok|okay|so|just|now|then|lets|let s|let us)\s)*(?:{ACTION_VERBS}"
    r"|start|kick|run"
    r"|rerun|redo|give|show|send|dump|post|paste|list|get|fetch|pull|share|open|tell|put|take"
    r"|bring|turn|switch|move|drop|park|hold|freeze|nuke|bin|ditch|scrap|stop|kill|abort)\b"
)
# An approval or a rejection ordered first ("reject the crm that's waiting on me").
_APPROVAL_ORDER = re.compile(
    r"^(?:(?:please|pls|ok|okay|so|then|now|just) )*(approve|reject|decline|deny|sign off)\b"
)
# An order said first whatever it asks for: "paste the etl output here, curious where it
# stopped", "show me the errors, it seems stuck at the load".
_ORDER_FIRST = re.compile(
    r"^(?:(?:please|pls|kindly|ok|okay|so|hey)\s)*(?:show|give|send|dump|post|paste|list|get|fetch"
    r"|pull up|share|open|tell)\b"
)
_FIRST_ASKS = re.compile(
    rf"^(?:(?:please|pls|kindly|ok|okay|so|hey|lets|let s|let us)\s)*(?:{ACTION_VERBS}|show|give"
    r"|send|tell|list"
    r"|whats|what is|when|how|hows|why|where|wheres|is|are|can you|could you)\b"
)


def requested_intent(
    clauses: Sequence[Sequence[str]], act: str, name: str | None, rules: Callable[[str], str | None]
) -> tuple[str | None, str | None]:
    """(the intent, the words that carry it) of the part of a message that carries its request,
    where that part is not the whole message and another part reads otherwise; else (`name`, the
    whole message's reading, None)."""
    if name == "waiting_on_me" and act == "command" and clauses:
        # "reject the crm that's waiting on me": what waits describes the thing approved
        order = _APPROVAL_ORDER.match(" ".join(clauses[0]))
        if order is not None and (asked := rules(order.group(1))) is not None:
            return asked, " ".join(clauses[0])
    if act in ("negation", "correction") or (
        len(clauses) < 2 and "and" not in clauses[0] and "&" not in clauses[0]
    ):
        return name, None
    part = request_clause(clauses) or after_lead_clause(clauses)
    if part is not None and (asked := rules(part)) is not None:
        return asked, part
    first = " ".join(clauses[0])
    opener = len(clauses) > 1 and _REQUEST_OPENER.match(first) is not None
    ordered = len(clauses) > 1 and act == "command" and _VERB_FIRST.match(first) is not None
    asked = rules(first) if opener or ordered else None
    if (
        asked is not None
        and asked != name
        and (opener or asked in _RUNS or _ORDER_FIRST.match(first))
        and name == rules(" ".join(w for clause in clauses[1:] for w in clause))
    ):
        # "could you kill the etl please, ops will rerun it by hand", "redo
        # the fraud training from scratch, the new features are in"
        return asked, first
    joined = first_of_joined(clauses)
    if joined is not None and (asked := rules(joined[0])) is not None:
        later = rules(joined[1])
        # (two actions in a row may be one: "abort the export and start it over" restarts it)
        both_act = asked in _RUNS and name in _RUNS
        if asked == name and later not in (None, name):
            return asked, joined[0]  # "approve the crm and then give me the etl status"
        if asked != name and name == later and (not both_act or _BY_SOMEONE.match(joined[1])):
            # ("reject the plan and have matteo redo the numbers": his redo is no second run
            # of ours)
            return asked, joined[0]
    return name, None


# "… and have matteo redo the numbers", "… and get ops to restart it": what someone else is to
# do after the request, not a second action of the bot's.
_BY_SOMEONE = re.compile(
    r"^(?:have|get|let|ask|tell) (?!(?:it|me|us|them|that|this|him|her|the|a|an)\b)\w+ (?:to )?\w+"
)


# "just tell me when it's done", "only let me know whether it was published"
_JUST_TELL = re.compile(
    r"^(?:(?:but|and|so)\s)?(?:just|only|simply)\s(?:tell|let|ping)\s(?:me|us)\s(?:know\s)?"
    r"(?=(?:when|if|once|whether|whenever)\b)"
)


def told_instead(positive: str, rules: Callable[[str], str | None]) -> str | None:
    """ "leave it running, just tell me when it ends", "don't sign me up, just tell me if it
    was published": after a negated action, "just tell me when …" asks one question (its reading: an
    ETA, or else the status), not for updates; None when the positive part is not one."""
    match = _JUST_TELL.match(positive)
    if match is None:
        return None
    asked = rules(positive[match.end() :])
    return asked if asked in ("eta", "status") else "status"


def request_clause(clauses: Sequence[Sequence[str]]) -> str | None:
    """The words of the first clause after the first one that a request marker opens, up to
    where its request ends, when no clause before it asks or orders anything itself (the context
    before a request); None when there is none (or the message is one clause)."""
    if len(clauses) < 2:
        return None
    for i, clause in enumerate(clauses):
        text = " ".join(clause)
        if i > 0 and _REQUEST_OPENER.match(text):
            end = _REQUEST_ENDS.search(text)
            return text[: end.start()] if end is not None else text
        if _FIRST_ASKS.match(text) or _REQUEST_OPENER.match(text):
            return None
    return None


def after_lead_clause(clauses: Sequence[Sequence[str]]) -> str | None:
    """ "before we rerun anything, why did the etl fail": the words after a first
    clause that only sets a time or gives a reason."""
    if len(clauses) < 2 or not _LEAD.match(" ".join(clauses[0])):
        return None
    return " ".join(w for clause in clauses[1:] for w in clause)


def first_of_joined(clauses: Sequence[Sequence[str]]) -> tuple[str, str] | None:
    """(the first request, the rest) of "restart the sync and ping me when it's done" or "what's
    the eta on pg, and also mute the invoice one": the first clause, or the words before the
    first "and" of a one-clause message, when they are an imperative or a question."""
    if len(clauses) > 1:
        first = " ".join(clauses[0])
        rest = " ".join(w for clause in clauses[1:] for w in clause)
        if rest.startswith(("and ", "also ", "then ")) and _FIRST_ASKS.match(first):
            return first, rest
        return None
    text = " ".join(clauses[0]) if clauses else ""
    joint = _JOINED.search(text)
    if joint is None or not _FIRST_ASKS.match(text):
        return None
    return text[: joint.start()], text[joint.end() :]


# A clause that only refuses: "don't", "no, don't do that", "please don't".
_BARE_REFUSAL = re.compile(
    r"^(?:(?:no|nope|nah|wait|please|pls|oh|hey)\s)*(?:dont|do not)(?: do (?:it|that|this))?"
    r"(?: (?:please|pls|yet))?$"
)
# A clause that refuses one action: "don't resume", "do not resume it".
_REFUSES = re.compile(r"^(?:(?:no|please|pls|and|but)\s)*(?:dont|do not|never) (.+)$")


def refused_action(
    clauses: Sequence[Sequence[str]],
    act: str,
    context_intent: str | None,
    rules: Callable[[str], str | None],
    state_changing: frozenset[str],
) -> str | None:
    """The action a message refuses, when it refuses it in a clause of its own besides words
    that only leave the task as it is: "don't, leave it running" after a pause was asked for
    refuses that pause (the "leave it running" reads as nothing asked); "no wait, keep it
    paused, don't resume" refuses the resume. None otherwise."""
    if act not in ("negation", "correction") or len(clauses) < 2:
        return None
    texts = [" ".join(clause) for clause in clauses]
    if act == "negation" and context_intent in state_changing and _BARE_REFUSAL.match(texts[0]):
        return context_intent
    # (only beside words that ask nothing: "no wait, don't cancel it, just pause it" asks a pause)
    refusals = [m for m in map(_REFUSES.match, texts[1:]) if m and len(m[1].split()) <= 3]
    rest = [t for t in texts if not _REFUSES.match(t)]
    if act != "correction" or len(refusals) != 1 or not all(map(_ASKS_NOTHING, rest)):
        return None
    said = rules(refusals[0].group(0))
    # (a refused approval is the corpus's reject: "no, don't approve that")
    return said if said in state_changing and said != "approve" else None


def _ASKS_NOTHING(text: str) -> bool:
    """ "no wait", "keep it paused": an interjection, or words that leave the task as it is."""
    return _INTERJECTION.match(text) is not None or leaves_alone(text)


_INTERJECTION = re.compile(r"^(?:(?:no|nope|wait|hold on|hang on|oh|oops|sorry|ok|okay)\s?)+$")


def said_after_follow_up(
    clauses: Sequence[Sequence[str]], rules: Callable[[str], str | None]
) -> str | None:
    """ "same for that one, failures only": a follow-up ("same for …") whose later clause says
    what is asked, by itself (a setting, here) asks that, not the last request again."""
    later = (rules(" ".join(clause)) for clause in clauses[1:])
    return next((said for said in later if said is not None), None)
