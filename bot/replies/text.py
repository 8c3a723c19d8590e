"""Text pieces every reply shares: clean untrusted text, names, bars, durations, reading a snapshot.

Text from task engines (titles, step names, errors, logs) stays raw, since renderers escape it for
their markup, but control characters are stripped and absurdly long fields are cut so that no
reply can break a chat message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from bot.types import StepLine, SubstepLine, strip_invisible
from store.shapes import SnapshotShape

__all__ = [
    "BUTTON_LABEL_LIMIT",
    "LOG_INLINE_LIMIT",
    "NAME_LIMIT",
    "TEXT_LIMIT",
    "clean_text",
    "display_name",
    "failed_step_order",
    "gerund",
]


# A log longer than this goes out as a file: chat messages top out around 4,000 characters
# (Telegram 4,096, a Slack section 3,000), and the header and note need room too.
LOG_INLINE_LIMIT = 3500

NAME_LIMIT = 500  # a title, a step or substep name
TEXT_LIMIT = 2000  # an error message, a log message shown inline, a prompt
BUTTON_LABEL_LIMIT = 60  # Slack cuts button text at 75 characters

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WHITESPACE_RUN = re.compile(r"\s+")

_STATUS_PHRASES: dict[str, str] = {
    "pending": "not started yet",
    "running": "running",
    "paused": "paused",
    "approval": "waiting for approval",
    "completed": "complete",
    "failed": "failed",
    "cancelled": "cancelled",
}


# --- text hygiene -------------------------------------------------------------------------------


def clean_text(value: object, limit: int = TEXT_LIMIT) -> str:
    """`value` as text without ASCII control characters (except newline and tab), cut at `limit`."""
    if value is None:
        return ""
    text = strip_invisible(_CONTROL_CHARS.sub("", str(value)))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _name(value: object, limit: int = NAME_LIMIT) -> str:
    """A one-line name: like `clean_text`, with newlines and tabs folded into single spaces."""
    if value is None:
        return ""
    return _one_line(value if type(value) is str else str(value), limit)


@lru_cache(maxsize=4096)
def _one_line(text: str, limit: int) -> str:
    """`_name` of a string: the same task and step names come back in every answer."""
    folded = _WHITESPACE_RUN.sub(" ", _CONTROL_CHARS.sub("", text)).strip()
    return clean_text(folded, limit)


def _percent(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return 0
    try:
        number = round(float(value))
    except (ValueError, OverflowError):
        return 0
    return max(0, min(100, number))


# --- small pieces -------------------------------------------------------------------------------


def display_name(snap: SnapshotShape) -> str:
    """What notifications call the task: its short name ("CRM") if it has one, else its title."""
    data: Mapping[str, Any] = snap
    return _name(data.get("short_name")) or _title(data)


def _title(data: Mapping[str, Any]) -> str:
    return _name(data.get("title")) or "Untitled"


# Verbs that start step names; anything else is left as it is ("Data export" is no verb).
_VERB_WORDS = """
    add aggregate align analyse analyze apply archive assemble audit authenticate back benchmark
    bootstrap build bundle calculate check clean clone collect compile compress compute configure
    connect convert copy crawl create deduplicate define delete deploy design detect download draft
    drop dump enable encode enrich evaluate execute export extract fetch filter finalize fix format
    gather generate get import index infer initialize install integrate label launch link lint load
    make map merge migrate normalize notify optimize package parse plan populate prepare preprocess
    process provision publish pull push read rebuild record refactor refresh register reindex
    release remove render rename repair replace report rerun reset resize restart restore retrain
    review run sample save scaffold scan schedule scrape search seed send set ship sign simulate
    sort split start stop store submit summarize sync tag test train transcode transform translate
    trim tune update upgrade upload validate verify wait wire wrap write zip
"""
_VERBS = frozenset(_VERB_WORDS.split())
# Verbs that double their final consonant (one syllable, or stressed on the last one).
_DOUBLING_WORDS = (
    "begin commit cut drop get map plan rerun run scan set ship skip split stop submit"
)
_DOUBLING = frozenset([*_DOUBLING_WORDS.split(), "tag", "trim", "wrap", "zip"])


def _ing(verb: str) -> str:
    if verb in _DOUBLING:
        return verb + verb[-1] + "ing"
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith("ee"):
        return verb[:-1] + "ing"
    return verb + "ing"


def gerund(step_name: str) -> str:
    """ "Generate application UI" -> "Generating application UI"; other names stay as they are."""
    name = _name(step_name)
    first, sep, rest = name.partition(" ")
    word = first.lower()
    if word not in _VERBS:
        return name
    turned = _ing(word)
    if first[:1].isupper():
        turned = turned[:1].upper() + turned[1:]
    return turned + sep + rest


# --- reading a snapshot -------------------------------------------------------------------------


def _steps(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    steps = data.get("steps") or []
    return [step for step in steps if isinstance(step, Mapping)]


def _step(data: Mapping[str, Any], order: object) -> Mapping[str, Any] | None:
    if order is None:
        return None
    for step in _steps(data):
        if step.get("order") == order:
            return step
    return None


def _current_step(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    return _step(data, data.get("current_step"))


def _failed_step(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for step in _steps(data):
        if step.get("status") == "failed":
            return step
    return _current_step(data)


def failed_step_order(snap: Mapping[str, Any]) -> int | None:
    """The number of the task's failed step, if one has failed."""
    for step in _steps(snap):
        if step.get("status") == "failed":
            return int(step["order"])
    return None


def _total_steps(data: Mapping[str, Any]) -> int:
    return int(data.get("total_steps") or len(_steps(data)))


def _step_heading(data: Mapping[str, Any], step: Mapping[str, Any] | None) -> str | None:
    if step is None:
        return None
    return f"Step {step.get('order')} of {_total_steps(data)}: {_name(step.get('name'))}"


def _substep_label(substep: Mapping[str, Any]) -> str:
    return _name(substep.get("label") or substep.get("name"))


def _substeps(step: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    subs = step.get("substeps") or []
    return [sub for sub in subs if isinstance(sub, Mapping)]


def _substep_states(step: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, completed|running|pending) per substep; the first open one runs if the step does."""
    states: list[tuple[str, str]] = []
    running_marked = step.get("status") != "running"
    for sub in _substeps(step):
        if sub.get("done"):
            states.append((_substep_label(sub), "completed"))
        elif not running_marked:
            states.append((_substep_label(sub), "running"))
            running_marked = True
        else:
            states.append((_substep_label(sub), "pending"))
    return states


def _step_lines(data: Mapping[str, Any]) -> list[StepLine]:
    lines: list[StepLine] = []
    for step in _steps(data):
        subs = tuple(
            SubstepLine(name=label, done=state == "completed", status=state)
            for label, state in _substep_states(step)
        )
        error = step.get("error")
        lines.append(
            StepLine(
                order=int(step.get("order") or 0),
                name=_name(step.get("name")),
                status=str(step.get("status") or "pending"),
                progress=_percent(step.get("progress")),
                substeps=subs,
                error=clean_text(error) if error else None,
            )
        )
    return lines


def _error(data: Mapping[str, Any], step: Mapping[str, Any] | None) -> str:
    raw = (step.get("error") if step is not None else None) or data.get("error")
    return clean_text(raw).strip()


def _approval(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    approval = data.get("approval")
    return approval if isinstance(approval, Mapping) else None


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _duration_seconds(data: Mapping[str, Any]) -> int | None:
    """How long a finished task ran, or None when the snapshot cannot tell."""
    started = _parse_time(data.get("started_at"))
    finished = _parse_time(data.get("finished_at") or data.get("updated_at"))
    if started is not None and finished is not None:
        try:
            return max(0, round((finished - started).total_seconds()))
        except TypeError:  # one aware, one naive timestamp
            pass
    # Summing step times is only honest when every step reported one.
    steps = _steps(data)
    step_ms = [ms for step in steps if isinstance(ms := step.get("duration_ms"), int)]
    if steps and len(step_ms) == len(steps):
        return round(sum(step_ms) / 1000)
    return None


def _format_duration(seconds: int) -> str:
    if seconds < 60:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    if seconds < 3600:
        minutes = round(seconds / 60)
        return "1 minute" if minutes == 1 else f"{minutes} minutes"
    hours, minutes = divmod(round(seconds / 60), 60)
    hours_text = "1 hour" if hours == 1 else f"{hours} hours"
    if minutes == 0:
        return hours_text
    return f"{hours_text} {minutes} minute{'s' if minutes != 1 else ''}"


def _format_range(low: int, high: int) -> str:
    """ "between 2 and 4 minutes", in the coarsest unit that still tells the two apart."""
    low, high = min(low, high), max(low, high)
    if high < 60:
        low_n, high_n, unit = low, high, "seconds"
    elif high < 2 * 3600:
        low_n, high_n, unit = max(1, round(low / 60)), max(1, round(high / 60)), "minutes"
    else:
        low_n, high_n, unit = round(low / 3600), math.ceil(high / 3600), "hours"
    if low_n == high_n:
        return f"about {high_n} {unit}"
    return f"between {low_n} and {high_n} {unit}"
