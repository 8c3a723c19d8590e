"""The status answer and the live card, with the buttons a task's state offers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.progress.eta import format_eta, format_eta_short
from bot.replies.text import (
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
    _step_lines,
    _steps,
    _substep_states,
    _substeps,
    _title,
    gerund,
)
from bot.types import STATE_NOTES, SYMBOLS, VIEW_LABEL, Button, Reply, progress_bar
from store.shapes import ACTIVE_TASK_STATES, SnapshotShape

__all__ = ["card_reply", "state_buttons", "status_reply"]


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
