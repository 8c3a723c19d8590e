"""Chat answers beyond the status: lists, logs, why it failed, ETA, questions and short answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from bot.progress.eta import format_eta
from bot.replies.cards import _card_fields, state_buttons
from bot.replies.text import (
    _STATUS_PHRASES,
    BUTTON_LABEL_LIMIT,
    LOG_INLINE_LIMIT,
    TEXT_LIMIT,
    _current_step,
    _error,
    _failed_step,
    _format_range,
    _name,
    _parse_time,
    _percent,
    _step,
    _title,
    clean_text,
)
from bot.types import TASK_SYMBOLS, Button, Reply
from store.shapes import ACTIVE_TASK_STATES, SnapshotShape

__all__ = [
    "apology_reply",
    "choose_task_reply",
    "confirm_reply",
    "done_reply",
    "eta_reply",
    "help_reply",
    "logs_reply",
    "not_found_reply",
    "refusal_reply",
    "small_talk_reply",
    "task_list_reply",
    "why_failed_reply",
]


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


def confirm_reply(
    intent_name: str,
    snap: SnapshotShape,
    *,
    step: int | None = None,
    label: str = "Yes",
    style: Literal["primary", "danger"] = "danger",
) -> Reply:
    """Ask before doing it: "Cancel Cellphone Store CRM? This stops the task." [Yes] [No];
    `label` names the Yes button ("Pause Cellphone Store CRM?" [Pause] [No])."""
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
            Button(label, "confirm", task_id, arg, style),
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
