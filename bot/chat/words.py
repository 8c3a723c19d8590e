"""Pure helpers the chat handlers share: task titles and state phrases, step names in words,
durations ("for 2 hours", "until tomorrow"), and pending approvals.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.replies import (
    clean_text,
)
from bot.types import Reply
from store.shapes import SnapshotShape

if TYPE_CHECKING:
    pass

__all__ = [
    "as_shapes",
    "duration_of",
    "empty_reply",
    "epoch",
    "pending_approval",
    "status_phrase",
    "step_named",
    "step_problem",
    "title_of",
    "verb_of",
]


_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
}
_AMOUNT_UNIT = re.compile(r"^(half an?|[\d.]+|[a-z]+) ?([a-z]+)$")


# ---------------------------------------------------------------------- pure helpers


def as_shapes(tasks: Sequence[Mapping[str, Any]]) -> list[SnapshotShape]:
    # The builders read only title, status, progress and task_id, which summaries carry too.
    return [dict(t) for t in tasks]  # type: ignore[misc]


def title_of(snap: Mapping[str, Any]) -> str:
    return clean_text(" ".join(str(snap.get("title") or "").split()), 500) or "Untitled"


def status_phrase(status: object) -> str:
    return {
        "pending": "not started yet",
        "approval": "waiting for approval",
    }.get(str(status), str(status))


def verb_of(intent_name: str) -> str:
    return {
        "cancel": "cancel",
        "restart": "restart",
        "skip_step": "skip a step of",
        "retry_step": "retry a step of",
        "pause": "pause",
        "resume": "resume",
    }.get(intent_name, intent_name.replace("_", " "))


def epoch(value: object) -> float:
    if not isinstance(value, str):
        return 0.0
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    return parsed.timestamp()


def pending_approval(snap: Mapping[str, Any]) -> Mapping[str, Any] | None:
    approval = snap.get("approval")
    if isinstance(approval, Mapping) and approval.get("status") == "pending":
        return approval
    return None


def step_named(snap: Mapping[str, Any], words: str | None) -> int | None:
    if not words:
        return None
    wanted = words.lower()
    for step in snap.get("steps") or []:
        if wanted in str(step.get("name") or "").lower():
            return int(step["order"])
    return None


def step_problem(
    snap: Mapping[str, Any], order: int, allowed: tuple[str, ...], done: str
) -> str | None:
    """Why Step `order` cannot be retried/skipped now, or None when it can."""
    steps = {s.get("order"): s for s in snap.get("steps") or []}
    step = steps.get(order)
    title = title_of(snap)
    if step is None:
        return f"{title} has no Step {order}; it has {len(steps)} steps."
    status = step.get("status")
    if status in allowed:
        return None
    return f"Step {order} of {title} is {status_phrase(status)}, so it can't be {done}."


def duration_of(argument: str | None, now: datetime) -> timedelta | None:
    """ "2 hours" / "30 min" / "until tomorrow" / "for today" → how long; None when unreadable."""
    if not argument:
        return None
    text = argument.lower().strip()
    if text.startswith(("until", "till", "til")):
        when = text.split(" ", 1)[1] if " " in text else ""
        if "tomorrow" in when:
            morning = (now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
            return morning - now
        found = re.search(r"(\d{1,2})(?::(\d{2}))?", when)
        if found:
            hour, minute = int(found.group(1)) % 24, int(found.group(2) or 0)
            at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
            if at <= now:
                at += timedelta(days=1)
            return at - now
        return None
    if text.startswith("for "):
        rest = text[4:]
        if rest in ("today", "tonight", "the day", "the night"):
            end = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
            return end - now
        if rest == "the weekend" or rest == "the week":
            return timedelta(days=7 if rest == "the week" else 2)
        if rest in ("a while", "now"):
            return timedelta(hours=1)
        if rest == "a bit":
            return timedelta(minutes=30)
        text = rest
    found = _AMOUNT_UNIT.match(text)
    if found is None:
        return None
    amount_text, unit = found.groups()
    if amount_text.startswith("half"):
        amount = 0.5
    elif amount_text in _NUMBER_WORDS:
        amount = float(_NUMBER_WORDS[amount_text])
    else:
        try:
            amount = float(amount_text)
        except ValueError:
            return None
    unit_key = "m" if unit.startswith("mi") or unit == "m" else unit[0]
    seconds = _UNIT_SECONDS.get(unit_key)
    if seconds is None or amount <= 0:
        return None
    return timedelta(seconds=min(amount * seconds, 366 * 86400))


def empty_reply() -> Reply:
    return Reply(
        text="I didn't get any text. Ask me “How's my CRM task going?”, or say “help”.",
    )
