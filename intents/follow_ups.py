"""A reply to the action last proposed or asked about, said with a pronoun and no action of its own.

"yes, do it" after the bot proposed a pause goes ahead with that pause; "nah, leave it alone"
refuses it. A refusal is read as that action negated (the policy explains it, nothing changes),
not as the "leave the X alone" that, said out of the blue, refuses a cancel (`intents.rules`).
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["GO_AHEAD", "reply_to_proposal"]

# "yes, do it", "go for it", "ok, confirmed, do it": a yes to the action last proposed.
GO_AHEAD = re.compile(
    r"^(?:(?:yes|yeah|yea|ok|okay|sure|alright|right|fine|confirmed|confirm|please|go|then)\s)*"
    r"(?:(?:please )?do (?:it|that|so)|go for it|confirmed|yes please|go ahead)"
    r"(?: (?:please|now|then|thumbs up|thanks))*$"
)
# "nah leave it alone, it's fine", "no, let it be", "just leave that as it is": the action in view,
# refused (the message opens with it: "forget it, leave it as is" takes the request back instead).
_REFUSED = re.compile(
    r"^(?:(?:no|nah|nope|naw|ok|okay|hmm|actually|wait|oh|please|pls|just)\s)*"
    r"(?:leave|let) (?:it|that|this|them) (?:alone|be|as it is|as is)\b"
    r"(?! (?:and|but|then)\b)"
)


def reply_to_proposal(normalized: str) -> Literal["go", "refused"] | None:
    """ "go" for a yes to the action last proposed, "refused" for a no to it, else None."""
    if GO_AHEAD.match(normalized):
        return "go"
    if _REFUSED.match(normalized):
        return "refused"
    return None
