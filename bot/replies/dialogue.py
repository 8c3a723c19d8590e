"""Answers of the dialogue policy and the questions people ask about people and history:
explanations ("what would pausing do, and who may?"), "Did you mean …?", the short help,
capabilities, who approves, what waits on me, what happened to a task, where updates go."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.replies.text import BUTTON_LABEL_LIMIT, _name, _step, _title, clean_text
from bot.types import Button, Reply
from store.shapes import SnapshotShape

__all__ = [
    "ACTION_LABELS",
    "approvers_reply",
    "capabilities_reply",
    "did_you_mean_reply",
    "explain_reply",
    "history_reply",
    "short_help_reply",
    "waiting_reply",
    "wont_reply",
]

# A button's label for each intent: what pressing it does.
ACTION_LABELS: dict[str, str] = {
    "status": "Status",
    "list_tasks": "My tasks",
    "logs": "Logs",
    "why_failed": "Why it failed",
    "eta": "ETA",
    "pause": "Pause",
    "resume": "Resume",
    "cancel": "Cancel",
    "restart": "Restart",
    "retry_step": "Retry step",
    "skip_step": "Skip step",
    "approve": "Approve",
    "reject": "Reject",
    "subscribe": "Notify me",
    "mute": "Mute",
    "unmute": "Unmute",
    "notify_settings": "Notification settings",
    "notify_channel": "Where updates go",
    "help": "Help",
    "who_approves": "Who approves",
    "waiting_on_me": "Waiting on me",
    "capabilities": "What can you do",
    "history": "History",
    "open_link": "My link",
}

# What each state-changing intent would do to a task, after "Pausing Cellphone Store CRM would".
_EFFECTS: dict[str, str] = {
    "pause": "hold it after the work in progress until someone resumes it",
    "resume": "let it continue from where it stopped",
    "cancel": "stop it for good",
    "restart": "cancel it and start it over from the beginning",
    "retry_step": "run its failed step again from the start",
    "skip_step": "skip a step: that step's work would not be done",
    "approve": "let the step waiting for approval run",
    "reject": "refuse the step waiting for approval, and the task would fail",
    "mute": "stop its notifications in this chat for a while",
    "unmute": "turn its notifications in this chat back on",
    "subscribe": "tell this chat when it completes or fails",
}
_GERUNDS: dict[str, str] = {
    "pause": "Pausing",
    "resume": "Resuming",
    "cancel": "Cancelling",
    "restart": "Restarting",
    "retry_step": "Retrying a step of",
    "skip_step": "Skipping a step of",
    "approve": "Approving",
    "reject": "Rejecting",
    "mute": "Muting",
    "unmute": "Unmuting",
    "subscribe": "Following",
}
_BASE_VERBS: dict[str, str] = {
    "retry_step": "retry a step of",
    "skip_step": "skip a step of",
    "subscribe": "follow",
}


def explain_reply(
    intent: str,
    snap: SnapshotShape,
    *,
    who: str,
    you_may: bool,
    button: Button | None,
) -> Reply:
    """ "Pausing Cellphone Store CRM would hold it … Its owner or their team may do that (you
    may)." with a button to do it; nothing is done."""
    title = _title(snap)
    effect = _EFFECTS.get(intent, "change it")
    lines = [f"{_GERUNDS.get(intent, 'Doing that to')} {title} would {effect}."]
    lines.append(f"{who} may do that" + (", and so may you." if you_may else "; you may not."))
    if you_may and button is not None:
        lines.append("Nothing has changed yet: press the button if you want it done.")
    return Reply(
        text="\n".join(lines),
        task_id=snap.get("task_id"),
        title=title,
        buttons=[button] if you_may and button is not None else [],
    )


def wont_reply(intent: str, snap: SnapshotShape | None) -> Reply:
    """ "please don't pause it": nothing is done, and the person hears so."""
    verb = _BASE_VERBS.get(intent, intent.replace("_", " "))
    what = _title(snap) if snap is not None else "anything"
    return Reply(text=f"OK, I won't {verb} {what}. Nothing changed.")


def did_you_mean_reply(buttons: Sequence[Button]) -> Reply:
    """ "Did you mean …?" with up to three buttons."""
    shown = list(buttons)[:3]
    labels = " or ".join(f"“{b.label}”" for b in shown)
    return Reply(text=f"Did you mean {labels}?", kind="question", buttons=shown)


def short_help_reply() -> Reply:
    """What an unknown message gets: five lines at most, with buttons to start from."""
    return Reply(
        text="\n".join(
            [
                "I didn't catch that. You can ask me, for example:",
                "• “How's my CRM task going?”",
                "• “pause the crm” or “resume it”",
                "• “is anything waiting on me?”",
                "Say “help” for everything I understand.",
            ]
        ),
        buttons=[
            Button("My tasks", "ask", None, "list_tasks"),
            Button("Waiting on me", "ask", None, "waiting_on_me"),
            Button("Help", "ask", None, "help"),
        ],
    )


def capabilities_reply() -> Reply:
    """ "what can you do": the short version."""
    return Reply(
        text="\n".join(
            [
                "I follow your long-running tasks and let you steer them from chat:",
                "• tell you how a task is going, when it will be done, and what happened to it",
                "• pause, resume, cancel or restart it; retry or skip a step",
                "• approve or reject steps that wait for you, and say who else may",
                "• mute a task, or choose which updates you get and where",
                "• send you, privately, your own link to a task's live page in the browser",
            ]
        ),
        buttons=[
            Button("My tasks", "ask", None, "list_tasks"),
            Button("Help", "ask", None, "help"),
        ],
    )


def _which(snap: SnapshotShape, step: object) -> str:
    title = _title(snap)
    if step is None:
        return title
    name = _name((_step(snap, step) or {}).get("name"))
    return f"Step {step} ({name}) of {title}" if name else f"Step {step} of {title}"


def approvers_reply(
    snap: SnapshotShape,
    approval: Mapping[str, Any] | None,
    *,
    names: Sequence[str],
    you_may: bool,
) -> Reply:
    """Who may approve what waits, how many must, and who already did."""
    title = _title(snap)
    if approval is None:
        return Reply(text=f"Nothing of {title} is waiting for approval.", task_id=snap["task_id"])
    which = _which(snap, approval.get("step"))
    quorum = int(approval.get("quorum") or 1)
    lines = [f"⚠️ {which} is waiting for approval."]
    prompt = clean_text(approval.get("prompt"), 300)
    if prompt:
        lines.append(f"“{prompt}”")
    who = ", ".join(clean_text(n, 100) for n in names) or "nobody is named"
    need = "one of them" if quorum <= 1 else f"{quorum} of them"
    lines.append(f"Approvers: {who} ({need} must approve).")
    done = [d for d in approval.get("decisions") or [] if d.get("decision") == "approve"]
    if done:
        lines.append("Approved so far by " + ", ".join(clean_text(d["by"], 100) for d in done))
    lines.append("You may decide it." if you_may else "You are not one of its approvers.")
    buttons = []
    if you_may:
        approval_id = str(approval.get("id"))
        buttons = [
            Button("Approve", "approve", snap["task_id"], approval_id, "primary"),
            Button("Reject", "reject", snap["task_id"], approval_id, "danger"),
        ]
    return Reply(text="\n".join(lines), task_id=snap["task_id"], title=title, buttons=buttons)


def waiting_reply(waiting: Sequence[tuple[SnapshotShape, Mapping[str, Any]]]) -> Reply:
    """The approvals this person may decide, one line each, with a Status button per task."""
    if not waiting:
        return Reply(text="Nothing is waiting on you right now. 🎉")
    lines = ["Waiting for your approval:"]
    buttons = []
    for snap, approval in waiting[:10]:
        line = f"⚠️ {_which(snap, approval.get('step'))}"
        prompt = clean_text(approval.get("prompt"), 120)
        lines.append(line + (f" — “{prompt}”" if prompt else ""))
        label = clean_text(f"Who approves {_title(snap)}", BUTTON_LABEL_LIMIT)
        buttons.append(Button(label, "choose", snap["task_id"], "who_approves"))
    if len(waiting) > 10:
        lines.append(f"…and {len(waiting) - 10} more.")
    return Reply(text="\n".join(lines), buttons=buttons[:5])


_EVENT_WORDS: dict[str, str] = {
    "created": "created",
    "task_started": "started",
    "step_started": "started",
    "step_completed": "completed",
    "step_failed": "failed",
    "step_skipped": "skipped",
    "approval_requested": "waits for approval",
    "approval_approved": "approved",
    "approval_rejected": "rejected",
    "task_completed": "task completed",
    "task_failed": "task failed",
    "task_cancelled": "task cancelled",
    "paused": "paused",
    "resumed": "resumed",
}
_ACTION_WORDS: dict[str, str] = {
    "pause": "paused it",
    "resume": "resumed it",
    "cancel": "cancelled it",
    "restart": "started it over",
    "retry": "retried step",
    "skip": "skipped step",
    "approve": "approved step",
    "reject": "rejected step",
}


def _clock(at: object) -> str:
    text = str(at or "")
    return text[11:16] if len(text) >= 16 else "--:--"


def history_reply(
    snap: SnapshotShape,
    history: Sequence[Mapping[str, Any]],
    audit: Sequence[Mapping[str, Any]],
    *,
    limit: int = 12,
) -> Reply:
    """What happened to a task, oldest first: step transitions and who did what (UTC times)."""
    title = _title(snap)
    entries: list[tuple[str, str]] = []
    last: tuple[object, object] | None = None
    for row in history:
        event, step = row.get("event"), row.get("step")
        if event in (None, "progress", "card", "log"):
            continue
        if (event, step) == last:
            continue
        last = (event, step)
        words = _EVENT_WORDS.get(str(event), _name(str(event).replace("_", " ")))
        where = f"Step {step}" if step and not str(event).startswith("task") else "Task"
        entries.append((str(row.get("updated_at") or ""), f"{where} {words}"))
    for row in audit:
        action = str(row.get("action") or "")
        words = _ACTION_WORDS.get(action, action.replace("_", " "))
        if row.get("step") and words.endswith("step"):
            words += f" {row['step']}"
        by = clean_text(row.get("by") or "someone", 100)
        via = f" via {clean_text(row['via'], 40)}" if row.get("via") else ""
        reason = f": {clean_text(row['reason'], 200)}" if row.get("reason") else ""
        entries.append((str(row.get("at") or ""), f"{by} {words}{via}{reason}"))
    entries.sort(key=lambda e: e[0])
    if not entries:
        return Reply(text=f"Nothing has happened to {title} yet.", task_id=snap["task_id"])
    shown = entries[-limit:]
    head = f"🕘 What happened to {title} (UTC)"
    if len(shown) < len(entries):
        head += f", the last {len(shown)} of {len(entries)}"
    lines = [head + ":", *(f"{_clock(at)} {text}" for at, text in shown)]
    status = _name(str(snap.get("status") or ""))
    lines.append(f"Now: {status}, {snap.get('progress') or 0}% complete.")
    return Reply(text="\n".join(lines), task_id=snap["task_id"], title=title)
