"""Builders that turn a task snapshot into the bot's `Reply` objects.

Chat answers, live progress cards and notifications are all made here, platform-neutral: each
builder fills the plain `text` (the seed's wording, word for word where the seed shows it) and the
structured card fields that rich channels draw. Everything here is a pure function.

Text from task engines (titles, step names, errors, logs) stays raw, since renderers escape it for
their markup, but control characters are stripped and absurdly long fields are cut so that no
reply can break a chat message.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.eta import format_eta, format_eta_short
from bot.types import STATE_NOTES, SYMBOLS, TASK_SYMBOLS, Button, Reply, StepLine, SubstepLine
from store.shapes import ACTIVE_TASK_STATES, SnapshotShape

__all__ = [
    "LOG_INLINE_LIMIT",
    "apology_reply",
    "card_reply",
    "choose_task_reply",
    "clean_text",
    "confirm_reply",
    "display_name",
    "done_reply",
    "eta_reply",
    "failed_step_order",
    "gerund",
    "help_reply",
    "logs_reply",
    "not_found_reply",
    "notification_reply",
    "progress_bar",
    "refusal_reply",
    "small_talk_reply",
    "state_buttons",
    "status_reply",
    "task_list_reply",
    "why_failed_reply",
]

logger = logging.getLogger(__name__)

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

VIEW_LABEL = "Open progress view"


# --- text hygiene -------------------------------------------------------------------------------


def clean_text(value: object, limit: int = TEXT_LIMIT) -> str:
    """`value` as text without ASCII control characters (except newline and tab), cut at `limit`."""
    if value is None:
        return ""
    text = _CONTROL_CHARS.sub("", str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _name(value: object, limit: int = NAME_LIMIT) -> str:
    """A one-line name: like `clean_text`, with newlines and tabs folded into single spaces."""
    if value is None:
        return ""
    folded = _WHITESPACE_RUN.sub(" ", _CONTROL_CHARS.sub("", str(value))).strip()
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


def progress_bar(percent: int, width: int = 30) -> str:
    """The seed's bar: 65 -> `[████████████████████░░░░░░░░░░]` (cells rounded half up)."""
    pct = _percent(percent)
    filled = (pct * width * 2 + 100) // 200
    return "[" + "█" * filled + "░" * (width - filled) + "]"


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


# --- buttons ------------------------------------------------------------------------------------


def _view_button(view_url: str | None) -> list[Button]:
    return [Button(VIEW_LABEL, "open", url=view_url)] if view_url else []


def _approval_buttons(data: Mapping[str, Any]) -> list[Button]:
    approval = _approval(data)
    if approval is None or approval.get("id") is None:
        return []
    task_id, approval_id = data.get("task_id"), str(approval["id"])
    return [
        Button("Approve", "approve", task_id, approval_id, "primary"),
        Button("Reject", "reject", task_id, approval_id, "danger"),
    ]


def _failure_buttons(data: Mapping[str, Any], order: object) -> list[Button]:
    task_id = data.get("task_id")
    buttons: list[Button] = []
    if order is not None:
        buttons += [
            Button("Retry", "retry_step", task_id, str(order)),
            Button("Skip", "skip_step", task_id, str(order)),
        ]
    return [*buttons, Button("Restart", "restart", task_id)]


def state_buttons(snap: SnapshotShape, *, view_url: str | None = None) -> list[Button]:
    """The buttons that fit the task's state, plus the "Open progress view" link when given."""
    data: Mapping[str, Any] = snap
    task_id, status = data.get("task_id"), data.get("status")
    buttons: list[Button] = []
    if status in ("running", "pending"):
        buttons = [
            Button("Pause", "pause", task_id),
            Button("Cancel", "cancel", task_id, None, "danger"),
        ]
    elif status == "paused":
        buttons = [
            Button("Resume", "resume", task_id),
            Button("Cancel", "cancel", task_id, None, "danger"),
        ]
    elif status == "approval":
        buttons = _approval_buttons(data)
    elif status == "failed":
        failed = _failed_step(data)
        buttons = _failure_buttons(data, failed.get("order") if failed is not None else None)
    return buttons + _view_button(view_url)


def _card_fields(
    data: Mapping[str, Any], buttons: list[Button], heading_step: Mapping[str, Any] | None
) -> dict[str, Any]:
    return {
        "title": _title(data),
        "task_id": data.get("task_id"),
        "status": data.get("status"),
        "percent": _percent(data.get("progress")),
        "step_heading": _step_heading(data, heading_step),
        "steps": _step_lines(data),
        "buttons": buttons,
    }


# --- chat answers -------------------------------------------------------------------------------


def _chat_list(step: Mapping[str, Any] | None, data: Mapping[str, Any]) -> list[str]:
    """The chat's bullet list: the step's substeps with ✓/⏳, else every step with its symbol."""
    if step is not None and _substeps(step):
        lines = []
        for label, state in _substep_states(step):
            if state == "completed":
                lines.append(f"- ✓ {label}")
            elif state == "running":
                lines.append(f"- ⏳ {label} (in progress)")
            else:
                lines.append(f"- ⏳ {label}")
        return lines
    return [
        f"- {SYMBOLS.get(str(s.get('status')), '○')} {_name(s.get('name'))}" for s in _steps(data)
    ]


def _status_text(data: Mapping[str, Any]) -> str:
    title, status = _title(data), data.get("status")
    pct = _percent(data.get("progress"))
    step = _current_step(data)
    heading = _step_heading(data, step)
    eta_line = f"ETA: {format_eta(data.get('eta_seconds'))}"

    if status == "completed":
        seconds = _duration_seconds(data)
        took = f" It took {_format_duration(seconds)}." if seconds is not None else ""
        return f"✅ Your {title} task is complete.{took}"
    if status == "failed":
        failed = _failed_step(data)
        error = _error(data, failed)
        where = f" at Step {failed.get('order')}: {_name(failed.get('name'))}" if failed else ""
        text = f"❌ Your {title} task failed{where}."
        if error:
            text += f" Error: {error}"
        return text + "\n\nYou can retry the step, skip it, or restart the task."
    if status == "cancelled":
        where = f" at {heading}" if heading else ""
        return f"🛑 Your {title} task was cancelled{where} ({pct}% complete)."
    if status == "paused":
        where = f" at {heading}" if heading else ""
        lines = [f"⏸ Your {title} task is paused{where}.", "", f"{pct}% complete so far."]
        return "\n".join([*lines, *_chat_list(step, data)])
    if status == "approval":
        approval = _approval(data)
        order = (approval or {}).get("step") or data.get("current_step")
        prompt = _name((approval or {}).get("prompt"), TEXT_LIMIT)
        what = prompt or _name((_step(data, order) or {}).get("name"))
        if order is not None:
            lines = [f"⚠️ Your {title} task is waiting for approval at Step {order}: {what}"]
        else:
            lines = [
                f"⚠️ Your {title} task is waiting for approval" + (f": {what}" if what else ".")
            ]
        approvers = [_name(a) for a in (approval or {}).get("approvers") or []]
        if approvers:
            lines += ["", f"Approvers: {', '.join(approvers)}"]
        return "\n".join(lines)
    if status == "pending":
        lines = [f"🕓 Your {title} task has not started yet."]
        steps = _chat_list(None, data)
        if steps:
            lines += ["", *steps]
        if data.get("eta_seconds") is not None:
            lines += ["", eta_line]
        return "\n".join(lines)

    # running, and any state we do not know yet: the seed's chat answer
    lines = [f"📊 Your {title} task is {pct}% complete.", ""]
    if step is not None:
        lines.append(f"Currently: {gerund(str(step.get('name') or ''))}")
    lines += _chat_list(step, data)
    lines += ["", eta_line]
    return "\n".join(lines)


def status_reply(snap: SnapshotShape, *, view_url: str | None = None) -> Reply:
    """The answer to "How's my CRM task going?": the seed's chat text plus the card fields."""
    data: Mapping[str, Any] = snap
    active = data.get("status") in ACTIVE_TASK_STATES
    return Reply(
        text=_status_text(data),
        eta_text=f"ETA: {format_eta(data.get('eta_seconds'))}" if active else None,
        **_card_fields(data, state_buttons(snap, view_url=view_url), _current_step(data)),
    )


def _card_text(data: Mapping[str, Any], heading: str | None, eta_text: str | None) -> str:
    pct = _percent(data.get("progress"))
    lines = [_title(data), f"{progress_bar(pct)} {pct}%"]
    status = data.get("status")
    step = _current_step(data)
    if heading:
        lines.append(heading)
    elif status == "pending":
        lines.append("Not started yet")
    if step is not None and _substeps(step):
        for label, state in _substep_states(step):
            note = f" ({STATE_NOTES[state]})" if state in STATE_NOTES else ""
            lines.append(f"- {label} {SYMBOLS.get(state, '○')}{note}")
    else:
        for s in _steps(data):
            state = str(s.get("status") or "pending")
            note = f" ({STATE_NOTES[state]})" if state in STATE_NOTES else ""
            lines.append(f"- {_name(s.get('name'))} {SYMBOLS.get(state, '○')}{note}")
    if status == "paused":
        lines.append("⏸ Paused")
    elif status == "approval":
        prompt = _name((_approval(data) or {}).get("prompt"), TEXT_LIMIT)
        lines.append("⚠ Waiting for approval" + (f": {prompt}" if prompt else ""))
    elif status == "failed":
        error = _error(data, _failed_step(data))
        lines.append("✕ Failed" + (f": {error}" if error else ""))
    elif status == "completed":
        lines.append("✓ Completed")
    elif status == "cancelled":
        lines.append("Cancelled")
    if eta_text:
        lines.append(eta_text)
    return "\n".join(lines)


def card_reply(snap: SnapshotShape, *, view_url: str | None = None) -> Reply:
    """The live progress card: the seed's Progress View as fields, and a compact plain text."""
    data: Mapping[str, Any] = snap
    step = _current_step(data)
    eta_text = None
    if data.get("status") in ("running", "pending"):
        eta_text = f"ETA: {format_eta_short(data.get('eta_seconds'))}"
    heading = _step_heading(data, step)
    return Reply(
        text=_card_text(data, heading, eta_text),
        kind="card",
        eta_text=eta_text,
        **_card_fields(data, state_buttons(snap, view_url=view_url), step),
    )


# --- notifications ------------------------------------------------------------------------------

# The seed's WebSocket names and other spellings, mapped to the notifier's event names.
_EVENT_ALIASES: dict[str, str] = {
    "step_complete": "step_completed",
    "approval_needed": "approval_requested",
    "task_complete": "task_completed",
    "task_paused": "paused",
    "task_resumed": "resumed",
    "task_cancelled": "cancelled",
}
_LOUD_EVENTS = frozenset(
    {"approval_requested", "approval_reminder", "task_failed", "task_completed", "task_stalled"}
)


def _last_completed_order(data: Mapping[str, Any]) -> object:
    done = [s.get("order") for s in _steps(data) if s.get("status") == "completed"]
    return done[-1] if done else None


def _approval_decided_text(data: Mapping[str, Any]) -> str:
    approval = _approval(data) or {}
    by = approval.get("decided_by")
    decisions = approval.get("decisions") or []
    if not by and decisions and isinstance(decisions[-1], Mapping):
        by = decisions[-1].get("by")
    by_text = f" by {_name(by)}" if by else ""
    status = approval.get("status")
    if status == "approved":
        return f"✅ Approved{by_text}"
    if status == "rejected":
        reason = _name(approval.get("reason"), TEXT_LIMIT)
        return f"❌ Rejected{by_text}" + (f": {reason}" if reason else "")
    step = approval.get("step")
    if status == "expired":
        return f"⌛ The approval for Step {step} expired" if step else "⌛ The approval expired"
    return f"Approval for Step {step}: {_name(status)}"


def notification_reply(
    event: str, snap: SnapshotShape, *, step: int | None = None, view_url: str | None = None
) -> Reply:
    """A pushed update for `event`; the first line of `text` is the seed's notification text."""
    data: Mapping[str, Any] = snap
    event = _EVENT_ALIASES.get(event, event)
    name = display_name(snap)
    task_id = data.get("task_id")
    lines: list[str]
    buttons = _view_button(view_url)
    heading_step = _current_step(data)

    if event == "task_started":
        lines = [f"Your {name} task has started"]
    elif event == "step_completed":
        order = step if step is not None else _last_completed_order(data)
        done = _step(data, order) or {}
        heading_step = done or heading_step
        label = _name(done.get("done_label")) or _name(done.get("name"))
        lines = [f"Step {order} complete: {label}" if label else f"Step {order} complete"]
    elif event == "approval_requested":
        approval = _approval(data) or {}
        order = step if step is not None else approval.get("step") or data.get("current_step")
        heading_step = _step(data, order) or heading_step
        lines = [f"⚠️ Approval required for Step {order}"]
        prompt = _name(approval.get("prompt"), TEXT_LIMIT)
        if prompt:
            lines.append(prompt)
        buttons = _approval_buttons(data) + buttons
    elif event == "task_completed":
        lines = [f"✅ Your {name} is ready!"]
        seconds = _duration_seconds(data)
        if seconds is not None:
            lines.append(f"It took {_format_duration(seconds)}.")
    elif event == "task_failed":
        failed = _step(data, step) if step is not None else _failed_step(data)
        order = step if step is not None else (failed or {}).get("order")
        heading_step = failed or heading_step
        lines = [f"❌ Task failed at Step {order}" if order is not None else "❌ Task failed"]
        error = _error(data, failed)
        if error:
            lines.append(f"Error: {error}")
        buttons = _failure_buttons(data, order) + buttons
    elif event == "paused":
        lines = [f"⏸ Your {name} task is paused"]
        buttons = state_buttons(snap, view_url=view_url)
    elif event == "resumed":
        lines = [f"▶️ Your {name} task has resumed"]
    elif event == "cancelled":
        lines = [f"🛑 Your {name} task was cancelled"]
    elif event == "task_stalled":
        lines = [f"⚠ Your {name} task is taking longer than expected"]
        heading = _step_heading(data, heading_step)
        if heading:
            lines.append(f"Still at {heading} ({_percent(data.get('progress'))}%).")
        buttons = [
            Button("Status", "status", task_id),
            Button("Logs", "logs", task_id),
            Button("Cancel", "cancel", task_id, None, "danger"),
            *buttons,
        ]
    elif event == "approval_decided":
        lines = [_approval_decided_text(data)]
    elif event == "approval_reminder":
        approval = _approval(data) or {}
        order = step if step is not None else approval.get("step")
        lines = [f"⏰ Reminder: approval required for Step {order}"]
        prompt = _name(approval.get("prompt"), TEXT_LIMIT)
        if prompt:
            lines.append(prompt)
        buttons = _approval_buttons(data) + buttons
    elif event == "task_checkin":
        # The seed's best practice for long tasks: check in periodically.
        lines = [f"📊 Check-in: your {name} task is {_percent(data.get('progress'))}% complete"]
        heading = _step_heading(data, heading_step)
        if heading:
            lines.append(f"Currently: {heading}")
        lines.append(f"ETA: {format_eta(data.get('eta_seconds'))}")
    elif event == "restarted":
        lines = [f"🔁 Your {name} task was cancelled and started over"]
    else:
        logger.warning("no notification wording for event %s; sending a generic one", event)
        status = _STATUS_PHRASES.get(str(data.get("status")), _name(data.get("status")))
        lines = [f"Your {name} task is {status} ({_percent(data.get('progress'))}%)"]

    active = data.get("status") in ("running", "pending")
    return Reply(
        text="\n".join(lines),
        kind="notification",
        event=event,
        loud=event in _LOUD_EVENTS,
        eta_text=f"ETA: {format_eta_short(data.get('eta_seconds'))}" if active else None,
        **_card_fields(data, buttons, heading_step),
    )


# --- lists, logs, estimates ---------------------------------------------------------------------


def _task_line(data: Mapping[str, Any]) -> str:
    status = str(data.get("status") or "pending")
    symbol = TASK_SYMBOLS.get(status, "○")
    return f"{symbol} {_title(data)} — {_percent(data.get('progress'))}% ({_name(status)})"


def _ordered(snaps: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(snaps, key=lambda s: s.get("status") not in ACTIVE_TASK_STATES)


def task_list_reply(snaps: Sequence[SnapshotShape], *, heading: str = "Your tasks") -> Reply:
    """One line per task, active ones first."""
    if not snaps:
        return Reply(text="You have no active tasks.\nSay “help” to see what I can do.")
    lines = [f"{_name(heading)}:", *(_task_line(s) for s in _ordered(snaps))]
    return Reply(text="\n".join(lines))


def _clock(value: object) -> str:
    parsed = _parse_time(value)
    if parsed is not None:
        return parsed.strftime("%H:%M:%S")
    return "--:--:--"


def _log_line(entry: Mapping[str, Any], limit: int) -> str:
    parts = [_clock(entry.get("at")), _name(entry.get("level") or "info", 20).upper()]
    if entry.get("step") is not None:
        parts.append(f"[step {_name(entry.get('step'), 20)}]")
    parts.append(clean_text(entry.get("message"), limit))
    return " ".join(parts)


def logs_reply(snap: SnapshotShape, logs: Sequence[Mapping[str, Any]], *, limit: int = 20) -> Reply:
    """The task's last `limit` log lines; the whole log as a file when it is too long for chat."""
    data: Mapping[str, Any] = snap
    title, task_id = _title(data), data.get("task_id")
    if not logs:
        return Reply(text=f"📜 No log lines for {title} yet.", title=title, task_id=task_id)

    # The file keeps each message whole; only the inline copy is cut down to chat size.
    full_text = "\n".join(_log_line(entry, 1_000_000) for entry in logs)
    attachment = None
    if len(full_text) > LOG_INLINE_LIMIT:
        attachment = (f"{task_id}-logs.txt", full_text)

    tail = [_log_line(entry, TEXT_LIMIT) for entry in logs[-limit:]] if limit > 0 else []
    budget = LOG_INLINE_LIMIT - 200  # room for the header and the note
    while len(tail) > 1 and sum(len(line) + 1 for line in tail) > budget:
        tail.pop(0)
    if tail and len(tail[0]) > budget:
        tail[0] = tail[0][: budget - 1] + "…"

    if len(tail) < len(logs):
        header = f"📜 Logs for {title} (last {len(tail)} of {len(logs)} lines):"
    else:
        header = f"📜 Logs for {title}:"
    lines = [header, *tail]
    if attachment is not None:
        lines += ["", f"Full log attached: {attachment[0]}"]
    return Reply(
        text="\n".join(lines),
        title=title,
        task_id=task_id,
        status=data.get("status"),
        percent=_percent(data.get("progress")),
        attachment=attachment,
    )


def why_failed_reply(snap: SnapshotShape, logs: Sequence[Mapping[str, Any]]) -> Reply:
    """Why the task failed: the failing step's error and its last five log lines."""
    data: Mapping[str, Any] = snap
    title, status = _title(data), str(data.get("status") or "")
    if status != "failed":
        phrase = _STATUS_PHRASES.get(status, _name(status))
        pct = _percent(data.get("progress"))
        text = f"Your {title} task hasn't failed: it's {phrase} ({pct}% complete)."
        return Reply(text=text, **_card_fields(data, state_buttons(snap), _current_step(data)))

    failed = _failed_step(data)
    order = failed.get("order") if failed is not None else None
    where = f" at Step {order}: {_name(failed.get('name'))}" if failed is not None else ""
    lines = [f"❌ Your {title} task failed{where}."]
    error = _error(data, failed)
    lines += ["", f"Error: {error}" if error else "The task engine gave no error message."]
    step_logs = [entry for entry in logs if order is not None and entry.get("step") == order]
    recent = (step_logs or list(logs))[-5:]
    if recent:
        lines += ["", "Last log lines:", *(_log_line(entry, TEXT_LIMIT) for entry in recent)]
    return Reply(text="\n".join(lines), **_card_fields(data, state_buttons(snap), failed))


def eta_reply(snap: SnapshotShape) -> Reply:
    """ "⏱ Cellphone Store CRM: About 3 minutes remaining.", with the likely range when known."""
    data: Mapping[str, Any] = snap
    title, status = _title(data), data.get("status")
    eta = data.get("eta_seconds")
    eta_text: str | None = f"ETA: {format_eta(eta)}"
    if status == "completed":
        text, eta_text = f"⏱ {title} is already complete.", None
    elif status == "failed":
        text, eta_text = f"⏱ {title} failed, so there is no estimate.", None
    elif status == "cancelled":
        text, eta_text = f"⏱ {title} was cancelled, so there is no estimate.", None
    else:
        text = f"⏱ {title}: {format_eta(eta)}"
        low, high = data.get("eta_low_seconds"), data.get("eta_high_seconds")
        if isinstance(low, int) and isinstance(high, int):
            text += f" Likely {_format_range(low, high)}."
        if status == "paused":
            text += "\nThe task is paused; the clock starts again when it resumes."
        elif status == "approval":
            text += "\nThe task is waiting for approval; the clock starts again once it's decided."
    return Reply(
        text=text,
        title=title,
        task_id=data.get("task_id"),
        status=status,
        percent=_percent(data.get("progress")),
        eta_text=eta_text,
    )


# --- questions ----------------------------------------------------------------------------------


def _confirm_text(intent_name: str, data: Mapping[str, Any], step: int | None) -> str:
    title = _title(data)
    base = intent_name.lower().removesuffix("_task").removesuffix("_step")
    step_name = _name((_step(data, step) or {}).get("name"))
    which = f"Step {step} ({step_name})" if step_name else f"Step {step}"
    if base == "cancel":
        return f"Cancel {title}? This stops the task."
    if base == "restart":
        return f"Restart {title}? This starts the task over from the beginning."
    if base == "skip" and step is not None:
        return f"Skip {which} of {title}? That step's work will not be done."
    if base == "retry" and step is not None:
        return f"Retry {which} of {title}? The step runs again from its start."
    if base == "reject":
        return f"Reject the approval request of {title}? The step will not run."
    verb = base.replace("_", " ").capitalize() or "Go ahead with"
    if step is not None:
        return f"{verb} {which} of {title}?"
    return f"{verb} {title}?"


def confirm_reply(intent_name: str, snap: SnapshotShape, *, step: int | None = None) -> Reply:
    """Ask before a destructive command: "Cancel Cellphone Store CRM? This stops the task."."""
    data: Mapping[str, Any] = snap
    task_id = data.get("task_id")
    arg = f"{intent_name}:{step}" if step is not None else intent_name
    return Reply(
        text=_confirm_text(intent_name, data, step),
        kind="question",
        title=_title(data),
        task_id=task_id,
        status=data.get("status"),
        percent=_percent(data.get("progress")),
        buttons=[
            Button("Yes", "confirm", task_id, arg, "danger"),
            Button("No", "dismiss", task_id),
        ],
    )


def choose_task_reply(
    intent_name: str,
    snaps: Sequence[SnapshotShape],
    *,
    step: int | None = None,
    argument: str | None = None,
) -> Reply:
    """ "Which task do you mean?" with one button per candidate task.

    `argument` (say a reject reason) does not ride on the buttons, because button data is tiny on
    some platforms (Telegram: 64 bytes); the caller keeps it in the conversation context.
    """
    del argument
    arg = f"{intent_name}:{step}" if step is not None else intent_name
    ordered = _ordered(snaps)
    titles = [_title(s) for s in ordered]
    buttons = []
    for data, title in zip(ordered, titles, strict=True):
        label = clean_text(title, BUTTON_LABEL_LIMIT)
        if titles.count(title) > 1:  # same title twice: the id tells them apart
            label = f"{clean_text(title, BUTTON_LABEL_LIMIT - 12)} · {data.get('task_id')}"
        buttons.append(Button(label, "choose", data.get("task_id"), arg))
    lines = ["Which task do you mean?", *(_task_line(s) for s in ordered)]
    return Reply(text="\n".join(lines), kind="question", buttons=buttons)


# --- short answers ------------------------------------------------------------------------------


def not_found_reply(query: str | None, active: Sequence[SnapshotShape]) -> Reply:
    """No task matched: say what was looked for and list the person's active tasks."""
    looked_for = _name(query, 100)
    if looked_for:
        first = f"I couldn't find a task matching “{looked_for}”."
    else:
        first = "I couldn't tell which task you mean."
    if active:
        lines = [first, "", "Your active tasks:", *(_task_line(s) for s in _ordered(active))]
    else:
        lines = [first, "You have no active tasks right now."]
    return Reply(text="\n".join(lines))


def refusal_reply(text: str) -> Reply:
    """The bot will not do it (not allowed, wrong state): `text` says why."""
    return Reply(text=clean_text(text), kind="error")


def done_reply(
    text: str, snap: SnapshotShape | None = None, *, view_url: str | None = None
) -> Reply:
    """A command went through ("Paused Cellphone Store CRM."); with `snap`, the card fields too."""
    if snap is None:
        return Reply(text=clean_text(text))
    data: Mapping[str, Any] = snap
    return Reply(
        text=clean_text(text),
        **_card_fields(data, state_buttons(snap, view_url=view_url), _current_step(data)),
    )


def apology_reply() -> Reply:
    """What the person sees when a handler failed on our side."""
    return Reply(
        text="Sorry, something went wrong on my side. Please try again in a moment.",
        kind="error",
    )


def help_reply(entries: Sequence[tuple[str, str]]) -> Reply:
    """ "Here's what I can do:" and one "• summary — “example”" line per entry."""
    lines = ["Here's what I can do:"]
    lines += [f"• {_name(summary)} — “{_name(example)}”" for summary, example in entries]
    return Reply(text="\n".join(lines))


_SMALL_TALK: dict[str, str] = {
    "greeting": "Hi! Ask me “How's my task going?”, or say “help” to see what I can do.",
    "thanks": "You're welcome!",
    "goodbye": "Bye! I'll keep you posted on your tasks.",
}


def small_talk_reply(kind: str) -> Reply:
    """A short friendly answer to a greeting, thanks or goodbye."""
    return Reply(text=_SMALL_TALK.get(kind, "I'm here. Say “help” to see what I can do."))


def quiet_summary_reply(lines: Sequence[str], *, held: int) -> Reply:
    """What was held back during quiet hours, as one message when they end."""
    shown = [f"• {clean_text(line, 300)}" for line in lines[:20]]
    if len(lines) > 20:
        shown.append(f"… and {len(lines) - 20} more")
    noun = "update" if held == 1 else "updates"
    text = "\n".join([f"🌙 While notifications were quiet you missed {held} {noun}:", *shown])
    return Reply(text=text, kind="notification", event="quiet_summary", loud=False)
