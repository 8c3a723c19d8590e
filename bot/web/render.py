"""HTML for the Progress View and the task list, rendered on the server.

Every string that came from a task engine or a person (titles, step and substep names, errors,
logs, prompts, reasons) goes through `esc` on its way out. `static/progress.js` re-renders the
same structure from WebSocket snapshots with `textContent`, so keep the two in step.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bot.progress.eta import format_ago, format_eta_short
from bot.replies import clean_text, display_name, failed_step_order
from bot.types import STATE_NOTES, SYMBOLS, TASK_SYMBOLS, progress_bar
from store.shapes import ACTIVE_TASK_STATES

__all__ = [
    "ICONS",
    "STATIC_DIR",
    "error_page",
    "index_page",
    "progress_page",
    "static_url",
]

STATIC_DIR = Path(__file__).parent / "static"
BAR_WIDTH = 30

STATUS_WORDS: dict[str, str] = {
    "pending": "Not started",
    "running": "Running",
    "paused": "Paused",
    "approval": "Needs approval",
    "completed": "Completed",
    "failed": "Failed",
    "cancelled": "Cancelled",
}


# The seed's symbols as small inline drawings: Debian's default fonts have no ✅ or ⏸, and a
# box where a symbol should be says nothing. Each drawing is a <symbol> in a sprite on the page
# (`<use href="#i-NAME">`); the character itself stays in the text for screen readers and tests.
ICONS: dict[str, str] = {
    "completed": '<path d="M3 8.5l3.2 3.2L13 4.8" fill="none" stroke="currentColor" '
    'stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/>',
    "running": '<circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.8"/>'
    '<path d="M8 2a6 6 0 0 0 0 12z" fill="currentColor"/>',
    "pending": '<circle cx="8" cy="8" r="5.8" fill="none" stroke="currentColor" '
    'stroke-width="1.6"/>',
    "approval": '<path d="M8 1.8L15 14.2H1z" fill="none" stroke="currentColor" '
    'stroke-width="1.6" stroke-linejoin="round"/><path d="M8 6v4" stroke="currentColor" '
    'stroke-width="1.8" stroke-linecap="round"/><circle cx="8" cy="12.2" r="1" '
    'fill="currentColor"/>',
    "failed": '<path d="M4 4l8 8M12 4l-8 8" fill="none" stroke="currentColor" '
    'stroke-width="2.2" stroke-linecap="round"/>',
    "paused": '<rect x="3.5" y="2.5" width="3" height="11" rx="0.8" fill="currentColor"/>'
    '<rect x="9.5" y="2.5" width="3" height="11" rx="0.8" fill="currentColor"/>',
    "done": '<rect x="0.5" y="0.5" width="15" height="15" rx="3.5" fill="#1f8a4c"/>'
    '<path d="M3.8 8.4l2.8 2.8 5.6-6" fill="none" stroke="#fff" stroke-width="2.2" '
    'stroke-linecap="round" stroke-linejoin="round"/>',
}
# A state's drawing: skipped reads as done, a cancelled task as failed.
ICON_OF: dict[str, str] = {"skipped": "completed", "cancelled": "failed"}
SPRITE = (
    '<svg class="sprite" aria-hidden="true" focusable="false" width="0" height="0">'
    + "".join(
        f'<symbol id="i-{name}" viewBox="0 0 16 16">{body}</symbol>' for name, body in ICONS.items()
    )
    + "</svg>"
)


def icon_html(name: str, char: str) -> str:
    """A drawn symbol; `char` (the seed's character) is kept for screen readers and text."""
    name = ICON_OF.get(name, name)
    if name not in ICONS:
        name = "pending"
    return (
        f'<svg class="icon icon-{name}" aria-hidden="true" focusable="false">'
        f'<use href="#i-{name}"/></svg><span class="sr-only">{escape(char)}</span>'
    )


def sym_html(state: str, symbols: Mapping[str, str] = SYMBOLS) -> str:
    """The seed's symbol for a step, substep or task state, drawn."""
    return (
        f'<span class="sym" title="{escape(state)}">'
        f"{icon_html(state, symbols.get(state, '○'))}</span>"
    )


def time_html(iso: object, *, seconds: bool = True) -> str:
    """<time> in UTC, said so; progress.js rewrites it in the viewer's own time zone."""
    clock = _clock(iso)
    if clock == "NULL":
        return ""
    shown = clock[11:19] if seconds else clock[11:16]
    return f'<time datetime="{esc(iso)}">{esc(shown)} UTC</time>'


def esc(value: object) -> str:
    """Untrusted text, cleaned of control characters and HTML-escaped (quotes too)."""
    return escape(clean_text(value), quote=True)


def static_url(name: str) -> str:
    """`/static/NAME?v=HASH`: the hash changes with the file, so browsers may cache it long."""
    digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]
    return f"/static/{name}?v={digest}"


def task_href(task_id: str) -> str:
    return "/tasks/" + quote(task_id, safe="")


def _percent(value: object) -> int:
    try:
        return max(0, min(100, int(value)))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def _epoch(iso: object) -> float | None:
    if not isinstance(iso, str) or not iso:
        return None
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _clock(iso: object) -> str:
    """ "2024-01-15T10:02:30Z" -> "2024-01-15 10:02:30", as the seed's history table shows it."""
    if not isinstance(iso, str) or not iso:
        return "NULL"
    return iso.replace("T", " ").replace("Z", "").split(".")[0].split("+")[0]


def _layout(title: str, body: str, *, csrf: str | None = None) -> str:
    csrf_meta = f'<meta name="progressbot-csrf" content="{escape(csrf)}">' if csrf else ""
    script = f'<script type="module" src="{static_url("progress.js")}"></script>' if csrf else ""
    icon = f'<link rel="icon" type="image/svg+xml" href="{static_url("favicon.svg")}">\n'
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>{title}</title>\n{csrf_meta}\n"
        f'<link rel="stylesheet" href="{static_url("app.css")}">\n{icon}{script}\n'
        f"</head>\n<body>\n{SPRITE}\n{body}\n</body>\n</html>\n"
    )


def error_page(heading: str, detail: str) -> str:
    """A short page that says what is wrong and nothing about any task."""
    body = f'<main class="box narrow"><h1>{escape(heading)}</h1><p>{escape(detail)}</p></main>'
    return _layout(f"{escape(heading)} · Progress Bot", body)


# ---------------------------------------------------------------------- the progress view


def bar_html(percent: int, label: str, *, element_id: str | None = "bar") -> str:
    id_attr = f' id="{element_id}"' if element_id else ""
    cells = progress_bar(percent, BAR_WIDTH)[1:-1]
    filled = cells.count("█")
    return (
        f'<span class="bar"{id_attr} role="progressbar" aria-valuemin="0" aria-valuemax="100" '
        f'aria-valuenow="{percent}" aria-label="{label}">'
        f'<span class="bar-edge" aria-hidden="true">[</span>'
        f'<span class="bar-fill" aria-hidden="true">{"█" * filled}</span>'
        f'<span class="bar-empty" aria-hidden="true">{"░" * (BAR_WIDTH - filled)}</span>'
        f'<span class="bar-edge" aria-hidden="true">]</span></span>'
    )


def substep_states(step: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, state) per substep; the first open one is in progress (or paused) with its step."""
    states: list[tuple[str, str]] = []
    status = step.get("status")
    open_state = status if status in ("running", "paused") else None
    for sub in step.get("substeps") or []:
        label = clean_text(sub.get("label") or sub.get("name"))
        if sub.get("done"):
            states.append((label, "completed"))
        elif open_state is not None:
            states.append((label, open_state))
            open_state = None
        else:
            states.append((label, "pending"))
    return states


def _note(state: str) -> str:
    note = STATE_NOTES.get(state)
    return f' <span class="note">({note})</span>' if note else ""


def _substeps_html(step: Mapping[str, Any] | None) -> str:
    if step is None:
        return ""
    states = substep_states(step)
    items = []
    for index, (label, state) in enumerate(states):
        branch = "└─" if index == len(states) - 1 else "├─"
        items.append(
            f'<li class="sub state-{state}"><span class="branch" aria-hidden="true">{branch}</span>'
            f" {escape(label)} {sym_html(state)}"
            f"{_note(state)}</li>"
        )
    return "".join(items)


def _steps_html(steps: Sequence[Mapping[str, Any]]) -> str:
    items = []
    for step in steps:
        state = str(step.get("status") or "pending")
        error = step.get("error")
        error_html = f'<div class="step-error">{esc(error)}</div>' if error else ""
        items.append(
            f'<li class="step state-{escape(state)}">{sym_html(state)} '
            f'<span class="step-name">Step {_percent(step.get("order"))}: {esc(step.get("name"))}'
            f"</span>{_note(state)}"
            f' <span class="step-pct">{_percent(step.get("progress"))}%</span>{error_html}</li>'
        )
    return "".join(items)


def _current(snap: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for step in snap.get("steps") or []:
        if step.get("order") == snap.get("current_step"):
            return step
    return None


def control_buttons(snap: Mapping[str, Any]) -> list[tuple[str, str, int | None]]:
    """(action, label, step) for the buttons a task's state allows."""
    status = snap.get("status")
    failed = failed_step_order(snap)
    if status in ("pending", "running"):
        return [("pause", "Pause", None), ("cancel", "Cancel", None)]
    if status == "paused":
        return [("resume", "Resume", None), ("cancel", "Cancel", None)]
    if status == "approval":
        return [("cancel", "Cancel", None)]
    if status == "failed":
        buttons: list[tuple[str, str, int | None]] = []
        if failed is not None:
            buttons += [
                ("retry", f"Retry step {failed}", failed),
                ("skip", f"Skip step {failed}", failed),
            ]
        return [*buttons, ("restart", "Restart", None)]
    if status == "cancelled":
        return [("restart", "Restart", None)]
    return []


def _buttons_html(snap: Mapping[str, Any]) -> str:
    parts = []
    for action, label, step in control_buttons(snap):
        step_attr = f' data-step="{step}"' if step is not None else ""
        danger = " danger" if action == "cancel" else ""
        parts.append(
            f'<button type="button" class="btn{danger}" data-action="{action}"{step_attr}>'
            f"{escape(label)}</button>"
        )
    return "".join(parts)


def _approval_html(snap: Mapping[str, Any], is_approver: bool) -> str:
    approval = snap.get("approval") or {}
    pending = snap.get("status") == "approval" and approval.get("status") == "pending"
    hidden = "" if pending else " hidden"
    prompt = esc(approval.get("prompt")) if pending else ""
    step = _percent(approval.get("step")) if pending else ""
    who = ", ".join(clean_text(a) for a in approval.get("approvers") or [])
    if is_approver:
        form = (
            '<label for="reason">Reason (optional)</label>'
            '<textarea id="reason" rows="2" maxlength="2000"></textarea>'
            '<div class="buttons"><button type="button" class="btn primary" '
            'data-decision="approve">Approve</button>'
            '<button type="button" class="btn danger" data-decision="reject">Reject</button></div>'
        )
    else:
        form = (
            '<p class="muted">Waiting for an approver: '
            f'<span id="approvers">{escape(who)}</span></p>'
        )
    return (
        f'<section class="approval" id="approval" role="dialog" aria-labelledby="approval-title"'
        f' data-approval-id="{esc(approval.get("id")) if pending else ""}"{hidden}>'
        f'<h2 id="approval-title">{icon_html("approval", "⚠")} Approval required for Step '
        '<span id="approval-step">'
        f"{step}</span></h2>"
        f'<p id="approval-prompt">{prompt}</p>{form}</section>'
    )


def _logs_html(logs: Iterable[Mapping[str, Any]]) -> str:
    items = []
    for entry in logs:
        step = entry.get("step")
        where = f"[step {_percent(step)}] " if step is not None else ""
        level = esc(entry.get("level") or "info")
        items.append(
            f'<li class="log level-{level}">{time_html(entry.get("at"))} '
            f'<span class="level">{level}</span> {where}{esc(entry.get("message"))}</li>'
        )
    return "".join(items)


def _history_html(events: Iterable[Mapping[str, Any]]) -> str:
    """The timeline (bot.web.timeline): one line per thing that happened."""
    return "".join(
        f'<li class="event kind-{esc(e.get("kind"))}">{time_html(e.get("at"))} '
        f'<span class="what">{esc(e.get("text"))}</span></li>'
        for e in events
    )


def logout_form(csrf: str | None) -> str:
    """The page's "Log out" button: a same-site form carrying the session's CSRF token."""
    if not csrf:
        return ""
    return (
        '<form class="logout" method="post" action="/web/logout">'
        f'<input type="hidden" name="csrf" value="{escape(csrf, quote=True)}">'
        '<button type="submit" class="btn subtle" id="logout">Log out</button></form>'
    )


def switch_page(current: str, wanted: str, token: str, csrf: str, next_url: str) -> str:
    """Asked before a link replaces the browser's session: no silent swap of who you are."""
    body = (
        '<main class="box"><h1>Switch who you are signed in as?</h1>'
        f"<p>This browser is signed in as <strong>{esc(current)}</strong>. "
        f"The link you opened is for <strong>{esc(wanted)}</strong>.</p>"
        '<form method="post" action="/web/switch">'
        f'<input type="hidden" name="t" value="{escape(token, quote=True)}">'
        f'<input type="hidden" name="csrf" value="{escape(csrf, quote=True)}">'
        f'<input type="hidden" name="next" value="{escape(next_url, quote=True)}">'
        f'<button type="submit" class="btn" id="switch">Continue as {esc(wanted)}</button>'
        "</form>"
        f'<p><a href="/">Stay signed in as {esc(current)}</a></p></main>'
    )
    return _layout("Switch account? · Progress Bot", body)


def progress_page(
    snap: Mapping[str, Any],
    *,
    logs: Sequence[Mapping[str, Any]],
    history: Sequence[Mapping[str, Any]],
    now: float,
    csrf: str,
    can_control: bool,
    is_approver: bool,
    view_only: bool = False,
    logout: str = "",
) -> str:
    """The seed's Progress View for one task, as it stands at `now` (epoch seconds)."""
    status = str(snap.get("status") or "pending")
    percent = _percent(snap.get("progress"))
    title = esc(snap.get("title"))
    name = esc(display_name(snap))  # type: ignore[arg-type]
    current = _current(snap)
    heading = (
        f"Step {_percent(current.get('order'))} of {_percent(snap.get('total_steps'))}: "
        f"{esc(current.get('name'))}"
        if current is not None
        else ""
    )
    started = _epoch(snap.get("started_at"))
    started_text = format_ago(now - started) if started is not None else "not yet"
    eta_text = format_eta_short(snap.get("eta_seconds")) if status in ("running", "pending") else ""
    done_hidden = "" if status == "completed" else " hidden"
    error = snap.get("error") if status == "failed" else None
    error_hidden = "" if error else " hidden"
    controls = _buttons_html(snap) if can_control else ""
    control_note = (
        ""
        if can_control
        else '<p class="muted">You can follow this task; its owner and team can steer it.</p>'
    )
    if view_only:
        control_note = (
            '<p class="muted" id="view-only">A read-only view. To steer or approve, ask the bot '
            "for your own link in a direct message.</p>"
        )
    badge = f"{sym_html(status, TASK_SYMBOLS)} {STATUS_WORDS.get(status, escape(status))}"
    eta_hidden = "" if eta_text else " hidden"
    data = {
        "taskId": snap.get("task_id"),
        "canControl": can_control,
        "isApprover": is_approver,
        "serverNow": now,
    }
    crumbs = "" if view_only else '<a href="/">← All my tasks</a>'
    body = f"""<p class="crumbs">{crumbs}{logout}</p>
<main class="box" id="view" data-view="{escape(json.dumps(data), quote=True)}">
<header class="box-head"><h1 id="title">{title}</h1>
<span class="badge state-{escape(status)}" id="status">{badge}</span></header>
<p class="done" id="done"{done_hidden}>{icon_html("done", "✅")}
<span id="done-text">Your {name} is ready!</span></p>
<div class="bar-row">{bar_html(percent, "Progress of " + title)}
<span class="percent" id="percent">{percent}%</span></div>
<p class="sr-only" id="announce" aria-live="polite"></p>
<p class="heading" id="heading">{heading}</p>
<ul class="tree" id="substeps">{_substeps_html(current)}</ul>
<p class="error" id="error"{error_hidden}>{esc(error)}</p>
<dl class="times"><div><dt>Started:</dt> <dd id="started">{started_text}</dd></div>
<div id="eta-row"{eta_hidden}><dt>ETA:</dt> <dd id="eta">{eta_text}</dd></div></dl>
{_approval_html(snap, is_approver)}
<div class="buttons" id="controls">{controls}</div>{control_note}
<p class="message" id="message" role="status"></p>
<p class="connection" id="connection" role="status"></p>
<p><button type="button" class="btn subtle" id="notify" hidden>
Enable desktop notifications</button></p>
</main>
<section class="panel"><h2>Steps</h2>
<ol class="steps" id="steps">{_steps_html(snap.get("steps") or [])}</ol></section>
<section class="panel"><h2>Logs</h2><ol class="logs" id="logs">{_logs_html(logs)}</ol>
<p class="muted" id="no-logs"{" hidden" if logs else ""}>No log lines yet.</p></section>
<section class="panel"><h2>History</h2>
<p class="muted zone" id="zone">Times in UTC.</p>
<ol class="history" id="history">{_history_html(history)}</ol></section>"""
    return _layout(f"{title} · {percent}% · Progress Bot", body, csrf=csrf)


# ---------------------------------------------------------------------- the task list


def index_page(person_name: str, tasks: Sequence[Mapping[str, Any]], logout: str = "") -> str:
    """The person's tasks, the active ones first."""
    ordered = sorted(tasks, key=lambda t: t.get("status") not in ACTIVE_TASK_STATES)
    items = []
    for task in ordered:
        status = str(task.get("status") or "pending")
        percent = _percent(task.get("progress"))
        title = esc(task.get("title"))
        items.append(
            f'<li class="task state-{escape(status)}">'
            f'<a href="{escape(task_href(str(task.get("task_id"))))}">'
            f'<span class="task-title">{title}</span></a> '
            f'<span class="badge state-{escape(status)}">{sym_html(status, TASK_SYMBOLS)} '
            f"{STATUS_WORDS.get(status, escape(status))}</span>"
            f'<span class="mini">{bar_html(percent, "Progress of " + title, element_id=None)}'
            f' <span class="percent">{percent}%</span></span></li>'
        )
    listing = (
        f'<ul class="tasks">{"".join(items)}</ul>'
        if items
        else '<p class="muted">No tasks yet.</p>'
    )
    body = f'{logout}<main class="box"><h1>{esc(person_name)}’s tasks</h1>{listing}</main>'
    return _layout("My tasks · Progress Bot", body)
