"""Pure pieces of the dialogue: yes and no in words, and which understandings are commands.

"yes" (y, yeah, yep, sure, ok, 👍) and "no" (n, nope, 👎) answer the confirmation the bot asked
the same person in the same chat; a reject reason is taken only from a message that is not
itself a command.
"""

from __future__ import annotations

import re

from bot.chat.policy import ACT_CONFIDENCE
from intents import Understanding

__all__ = ["is_command", "is_no", "is_yes", "said"]

_YES = frozenset(
    {
        "y", "yes", "yeah", "yea", "yep", "yup", "sure", "ok", "okay", "k", "👍", "✅",
        "yes please", "do it", "go ahead", "confirm", "confirmed", "affirmative",
    }
)  # fmt: skip
_NO = frozenset(
    {"n", "no", "nope", "nah", "👎", "❌", "no thanks", "dont", "don't", "do not", "stop"}
)
_TRIM = re.compile(r"^[\s.!,]+|[\s.!,]+$")
_SKIN_TONE = re.compile("[\U0001f3fb-\U0001f3ff\ufe0f]")


def said(text: str) -> str:
    """The message as a short answer: lower case, no surrounding punctuation or skin tones."""
    return _TRIM.sub("", _SKIN_TONE.sub("", text.lower())).replace("’", "'")


def is_yes(text: str) -> bool:
    return said(text) in _YES


def is_no(text: str) -> bool:
    return said(text) in _NO


def is_command(u: Understanding) -> bool:
    """A message that plainly asks for something the bot does (not a reason, not small talk)."""
    return (
        u.intent not in ("unknown", "greeting", "thanks")
        and u.act in ("command", "wish")
        and u.confidence >= ACT_CONFIDENCE
        and u.by_rule
        and not u.negated
    )
