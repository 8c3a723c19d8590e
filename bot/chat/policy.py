"""Dialogue policy: what to do with an `Understanding` (pure; stdlib and `intents` only).

Outcomes:
- `act`: do it now (for a question about a task: answer it);
- `confirm`: ask "Pause the ETL nightly?" with buttons, then do it;
- `explain`: say what the action would do and who may do it (with a button), do nothing;
- `clarify`: "Did you mean …?" with up to three alternatives, or "which task?";
- `help`: show what the bot understands.

Rules (the order of the checks in `decide`):
1. nothing understood → help, or clarify when the classifier has likely alternatives;
2. low confidence → clarify;
3. a question, hypothetical, report or negation about a state-changing intent never acts: explain;
   a correction never acts either: confirm (with the task it now names) or clarify;
4. a state-changing intent acts at once only when it is a confident command or stated wish, it
   refers to exactly one task the person may steer, and nothing negates it; otherwise confirm
   (a suggestion, "maybe pause it" or "should we skip the tests step", is confirmed, never done);
   cancel, restart and skip always confirm (today's rule); approving from free text confirms
   unless the message is an explicit command, the verb first, naming the task or the step (or a
   /command); a task
   named only by one inner word of its name ("pause the podcast" beside a "Podcast Transcription
   Batch") confirms: the words may mean something else; and a message with any sign that it may
   not be a plain request (`intents.hedges`: a question, a condition, a negation, a quotation,
   doubt, a joke, the past, a correction, someone else to do it) confirms, whatever the speech
   act read: in text nobody has seen, that reading can be wrong, and asking costs a tap;
5. other intents act (answer), or clarify when the task they ask about is ambiguous or unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intents import STATE_CHANGING, Understanding, spec
from intents.hedges import hedge

__all__ = [
    "ACT_CONFIDENCE",
    "ALWAYS_CONFIRM",
    "CLARIFY_BELOW",
    "OUTCOMES",
    "Decision",
    "decide",
]

OUTCOMES: tuple[str, ...] = ("act", "confirm", "explain", "clarify", "help")
# Below this an understanding is a guess: ask which intent was meant.
CLARIFY_BELOW = 0.5
# A state-changing intent acts without asking only at or above this confidence.
ACT_CONFIDENCE = 0.8
# Alternatives offered in a "Did you mean …?" must be at least this likely.
ALTERNATIVE_FLOOR = 0.1
# Today's rule: these ask first, however clearly they were asked for.
ALWAYS_CONFIRM: frozenset[str] = frozenset({"cancel", "restart", "skip_step"})
# (not "one_of_several": a message that names two tasks is asked about before either changes)
_ONE_TASK = frozenset({"named", "context", "only_active"})


def _orders_approval(u: Understanding) -> bool:
    """An approval said as an order, the verb first, in English or in a language the normaliser
    reads as English ("gib die landing site frei"); not an emoji or an English participle that
    the normaliser turned into the verb ("✅ price list", "approving it now")."""
    said = u.text.lower()
    if _APPROVE_ORDER.match(said):
        return True
    first = _FIRST_WORD.match(said)
    return (
        first is not None
        and not first.group(1).startswith("approv")
        and _APPROVE_ORDER.match(u.normalised) is not None
    )


_FIRST_WORD = re.compile(r"^\s*(?:(?:@\S+|<@\w+>)\s+)*([^\W\d_]+)")
# An approval said as an order, the verb first ("approve the crm deploy", "please sign off the
# price list"); "the price list is approved", "price list approved", "approving it now" say it
# is or will be, and are asked about first.
_APPROVE_ORDER = re.compile(
    r"^\W*(?:(?:@\S+|<@\w+>|please|pls|plz|ok|okay|yes|yep|sure|so|then|now|and|kindly"
    r"|go ahead and"
    r"|can you|could you|would you)\W+)*(?:approve|sign off|signoff|accept|greenlight"
    r"|green light)\b"
)
_NEVER_ACT = frozenset({"question", "hypothetical", "report"})


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do: `outcome` (one of `OUTCOMES`) for `intent` on `task_id`; `alternatives` are
    intents to offer (clarify) or tasks to choose from (when `reason` says "which task");
    `reason` says why, for logs and tests."""

    outcome: str
    intent: str
    task_id: str | None
    alternatives: tuple[str, ...]
    reason: str


def _intent_choices(u: Understanding) -> tuple[str, ...]:
    return tuple(
        name
        for name, p in u.alternatives[:3]
        if name != "unknown" and (p >= ALTERNATIVE_FLOOR or name == u.intent)
    )


def decide(
    u: Understanding,
    *,
    may_steer: bool = True,
    always_confirm: frozenset[str] = ALWAYS_CONFIRM,
) -> Decision:
    """The outcome for understanding `u` (see the module docstring).

    `may_steer`: whether the person may steer the task `u` names (or change the settings it is
    about); `always_confirm`: intents that ask first however clearly asked for.
    """
    intent = u.intent
    if intent == "unknown":
        if u.act == "correction":
            return Decision("clarify", intent, None, (), "correction: what should I do instead?")
        choices = _intent_choices(u)
        # Only a likely second opinion earns a "Did you mean …?"; words the bot does not know
        # at all get the short help, not a guess at an action.
        if choices and u.alternatives and u.alternatives[1][1] >= CLARIFY_BELOW:
            return Decision("clarify", intent, None, choices, "not understood; likely meanings")
        return Decision("help", intent, None, (), "not understood")
    if u.confidence < CLARIFY_BELOW:
        return Decision("clarify", intent, u.task_id, _intent_choices(u), "low confidence")
    needs_task = spec(intent).needs_task
    if intent not in STATE_CHANGING:
        if needs_task and u.task_id is None and u.resolution in ("ambiguous", "not_found"):
            return Decision("clarify", intent, None, u.candidates, f"which task ({u.resolution})")
        return Decision("act", intent, u.task_id, (), "answer")
    # --- state-changing from here on
    if u.act in _NEVER_ACT:
        return Decision("explain", intent, u.task_id, (), f"{u.act} about {intent}: nothing done")
    if u.negated:
        return Decision("explain", intent, u.task_id, (), f"negated {intent}: nothing done")
    if needs_task and u.task_id is None:
        if u.resolution == "ambiguous" and u.candidates:
            return Decision("clarify", intent, None, u.candidates, "which task (ambiguous)")
        return Decision("clarify", intent, None, u.candidates, f"which task ({u.resolution})")
    if u.act == "correction":
        return Decision("confirm", intent, u.task_id, (), "correction: ask before acting")
    if u.act not in ("command", "wish"):
        return Decision("confirm", intent, u.task_id, (), f"{u.act}: not a plain request")
    if not may_steer:
        return Decision("explain", intent, u.task_id, (), "not a task this person may steer")
    if u.confidence < ACT_CONFIDENCE:
        return Decision("confirm", intent, u.task_id, (), "not confident enough to act")
    if intent in always_confirm:
        return Decision("confirm", intent, u.task_id, (), f"{intent} always asks first")
    if needs_task and u.resolution not in _ONE_TASK:
        return Decision("confirm", intent, u.task_id, (), "task not clearly one")
    if u.named_in_part:
        reason = "task named only in part, or as another thing's word"
        return Decision("confirm", intent, u.task_id, (), reason)
    if intent == "approve" and not (
        u.slash_command
        or (
            u.act == "command" and (u.resolution == "named" or u.names_step) and _orders_approval(u)
        )
    ):
        return Decision("confirm", intent, u.task_id, (), "approval from free text")
    if (
        not u.slash_command
        and (sign := hedge(u.text, intent, argument=u.argument, task_words=u.task_query))
        is not None
    ):
        return Decision("confirm", intent, u.task_id, (), f"not a plain request: {sign}")
    return Decision("act", intent, u.task_id, (), "confident request")
