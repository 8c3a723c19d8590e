"""Notifications: step done, approval needed, failed, finished, decided; the quiet summary."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from bot.progress.eta import format_eta, format_eta_short
from bot.replies.cards import (
    _approval_buttons,
    _card_fields,
    _failure_buttons,
    _view_button,
    state_buttons,
)
from bot.replies.text import (
    _STATUS_PHRASES,
    TEXT_LIMIT,
    _approval,
    _current_step,
    _duration_seconds,
    _error,
    _failed_step,
    _format_duration,
    _name,
    _percent,
    _step,
    _step_heading,
    _steps,
    clean_text,
    display_name,
)
from bot.types import Button, Reply
from store.shapes import SnapshotShape

__all__ = ["notification_reply", "quiet_summary_reply"]

logger = logging.getLogger(__name__)


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


def retired_approval_reply(snap: SnapshotShape, approval: Mapping[str, Any] | None) -> Reply:
    """What a message that offered Approve/Reject says once that approval is no longer waiting:
    who decided what (or that it expired, or that the task ended), with no buttons left."""
    data: Mapping[str, Any] = snap
    name = display_name(snap)
    approval = approval or {}
    status = approval.get("status")
    if status in ("approved", "rejected", "expired"):
        line = _approval_decided_text({"approval": approval})
    else:
        ended = _STATUS_PHRASES.get(str(data.get("status")), _name(data.get("status")))
        line = f"The approval is no longer needed: your {name} task is {ended}"
    # The message keeps saying what was asked, and now also how it ended.
    step = approval.get("step")
    asked = f"⚠️ Approval required for Step {step}" if step else "⚠️ Approval required"
    prompt = _name(approval.get("prompt"), TEXT_LIMIT)
    lines = [asked, prompt, line] if prompt else [asked, line]
    return Reply(
        text="\n".join(lines),
        kind="notification",
        event="approval_decided",
        loud=False,
        **_card_fields(data, [], _current_step(data)),
    )


def quiet_summary_reply(lines: Sequence[str], *, held: int) -> Reply:
    """What was held back during quiet hours, as one message when they end."""
    shown = [f"• {clean_text(line, 300)}" for line in lines[:20]]
    if len(lines) > 20:
        shown.append(f"… and {len(lines) - 20} more")
    noun = "update" if held == 1 else "updates"
    text = "\n".join([f"🌙 While notifications were quiet you missed {held} {noun}:", *shown])
    return Reply(text=text, kind="notification", event="quiet_summary", loud=False)
