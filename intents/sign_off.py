"""An approval asked of a step that waits for sign-off: "approve the hotel engine cutover",
"who's allowed to approve the cutover?" beside a "Booking Engine v5 Upgrade" waiting at its "prod
cutover sign-off" step.

What an approval is about is the step that waits for it, and people name it by that step's own
words ("the cutover", "the fleet rollout") as often as by the task's name. A step's word alone
names another thing as often (`intents.resolve`: "retry the payment" beside a "match payments"
step), but not in an approval asked while one task waits at a step made for signing off that
says it: there, the word is that step's.
"""

from __future__ import annotations

from collections.abc import Sequence

from intents.resolve import Resolution, TaskIndex
from intents.task_index import GENERIC_TASK_WORDS, light_stem, step_stem, words_of_name
from intents.text import PLAIN_STOPWORDS

__all__ = ["by_sign_off_step"]

_APPROVALS = frozenset({"approve", "reject", "who_approves"})
# The words that make a step one that waits for a person's sign-off: "prod cutover sign-off",
# "legal approval", "approve close", "curator review".
_SIGN_OFF = frozenset({"sign", "signoff", "approval", "approve", "review", "go", "gate"})
# ... and the words beside those that are no object of the signing ("sign off", "go/no-go").
_NOT_OBJECT = _SIGN_OFF | {"off", "no", "nogo", "final", "manual"}
# Words after a noun that make it another thing's ("the cutover of my kitchen", "the rollout for
# the new office"): a step's object so said is not the step's.
_OF = frozenset({"of", "from", "for", "on", "in", "at", "with", "about"})


def by_sign_off_step(
    index: TaskIndex, words: Sequence[str], intent: str, resolution: Resolution
) -> Resolution:
    """The one task waiting for approval whose sign-off step the words name by its object
    ("the cutover" of "prod cutover sign-off"), when an approval names no task otherwise: a
    "waiting_step" resolution, which the policy asks about before it changes anything."""
    if intent not in _APPROVALS or resolution.kind not in ("not_found", "none"):
        return resolution
    said: dict[str, str] = {}
    for k, w in enumerate(words):
        if k + 1 < len(words) and words[k + 1] in _OF:
            continue  # "approve the cutover of my kitchen": the cutover of another thing
        said.setdefault(light_stem(w), w)
        if (stem := step_stem(w, index)) is not None:
            said.setdefault(light_stem(stem), w)
    found: list[tuple[str, str]] = []
    for task in index.by_status.get("approval", ()):
        for step in task.steps:
            step_words = words_of_name(step)
            if _SIGN_OFF.isdisjoint(step_words):
                continue
            objects = [
                w
                for w in step_words
                if w not in _NOT_OBJECT and w not in PLAIN_STOPWORDS and w not in GENERIC_TASK_WORDS
            ]
            hit = next((said[s] for s in map(light_stem, objects) if s in said), None)
            if hit is not None:
                found.append((task.task_id, hit))
                break
    if len(found) != 1:
        return resolution
    ((task_id, word),) = found
    # (a step's word may still name another thing: a change so named is asked about first)
    return Resolution("waiting_step", task_id=task_id, query=word)
