"""`Reply` → Block Kit, pure functions, within Slack's limits for any task.

Every untrusted string (task titles, step names, errors, logs) is escaped for Slack's mrkdwn
(`&`, `<`, `>`) after it has been cut to size, so a cut never lands inside an entity and no
`<!channel>`, `<@U…>` or `<http://…|…>` written by a task engine ever becomes a mention or a link.
Text objects are `verbatim` so Slack does not auto-link bare URLs or `@here` either.

Limits that hold for any reply: at most 50 blocks, 3,000 characters per section, 150 for the
header, 75 per button label, 2,000 per button value, 255 per action id, 25 elements per actions
block, and 40,000 characters of fallback text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.types import (
    STATE_NOTES,
    SYMBOLS,
    VIEW_LABEL,
    Button,
    Reply,
    StepLine,
    progress_bar,
    strip_invisible,
    visible_reply,
)

__all__ = [
    "ACTION_PREFIX",
    "BLOCK_LIMIT",
    "BUTTON_TEXT_LIMIT",
    "HEADER_LIMIT",
    "SECTION_LIMIT",
    "TEXT_LIMIT",
    "ButtonValue",
    "decision_blocks",
    "decode_value",
    "encode_value",
    "escape",
    "home_view",
    "reject_modal",
    "render",
    "text_only",
]

BLOCK_LIMIT = 50
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
VALUE_LIMIT = 2000
ACTION_ID_LIMIT = 255
ELEMENTS_PER_ACTIONS = 25
URL_LIMIT = 3000
TEXT_LIMIT = 40_000
CONTEXT_LIMIT = 2000  # a context element's text

ACTION_PREFIX = "pb."  # our action ids: "pb.<bot action>.<index>"
REJECT_CALLBACK = "pb.reject_reason"
REASON_BLOCK, REASON_INPUT = "reason", "reason_input"

# How much of a long step list a message shows: the current step's neighbourhood.
STEPS_BEFORE, STEPS_AFTER = 3, 8
SUBSTEPS_BEFORE, SUBSTEPS_AFTER = 2, 6
LINE_LIMIT = 200  # one step or substep line, before escaping
TEXT_SECTIONS = 4  # sections of free text at most; the rest is cut with a note
MAX_BUTTONS = 50

_STATUS_LINE = re.compile(r"^(⏸ Paused|⚠ Waiting for approval|✕ Failed|✓ Completed|Cancelled)")
_ENTITY_TAIL = re.compile(r"&[a-z]{0,4}$")
# The step that tells where a task is: the first one that is not finished.
_OPEN_STATES = ("running", "approval", "failed", "paused")


# --- escaping and cutting -----------------------------------------------------------------------


def escape(text: str) -> str:
    """Slack mrkdwn escaping: the three characters Slack gives a meaning to (and no bidi
    controls or invisible characters)."""
    return strip_invisible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, ending with "…" when it was longer."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)] + "…"


def _cut_escaped(escaped: str, limit: int) -> str:
    """Cut already escaped text without leaving half an entity (`&am`) at the end."""
    if len(escaped) <= limit:
        return escaped
    head = _ENTITY_TAIL.sub("", escaped[: max(0, limit - 1)])
    return head + "…"


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": _cut(text, limit) or " ", "emoji": True}


def _mrkdwn(escaped: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": escaped or " ", "verbatim": True}


def _section(escaped: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(_cut_escaped(escaped, SECTION_LIMIT))}


def _context(escaped: str) -> dict[str, Any]:
    return {"type": "context", "elements": [_mrkdwn(_cut_escaped(escaped, CONTEXT_LIMIT))]}


def _pack(lines: Iterable[str], limit: int = SECTION_LIMIT) -> list[str]:
    """Escaped lines packed into as few texts of at most `limit` characters as possible."""
    chunks: list[str] = []
    current = ""
    for line in lines:
        line = _cut_escaped(line, limit)
        if current and len(current) + 1 + len(line) > limit:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks


# --- buttons ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ButtonValue:
    """What a pressed button acts on, decoded from its `value`."""

    action: str
    task_id: str | None
    arg: str | None


def encode_value(button: Button) -> str:
    data = {"t": button.task_id, "a": button.arg}
    value = _COMPACT_JSON.encode({k: v for k, v in data.items() if v is not None})
    return value[:VALUE_LIMIT]


# json.dumps builds a new encoder for every call with separators; every button needs one.
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))


def decode_value(action_id: str, value: str | None) -> ButtonValue | None:
    """The bot action behind `pb.<action>.<n>` and its value; None for anything else."""
    if not action_id.startswith(ACTION_PREFIX):
        return None
    action = action_id[len(ACTION_PREFIX) :].rsplit(".", 1)[0]
    if not action:
        return None
    try:
        data = json.loads(value) if value else {}
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    task_id, arg = data.get("t"), data.get("a")
    return ButtonValue(
        action,
        task_id if isinstance(task_id, str) else None,
        arg if isinstance(arg, str) else None,
    )


def _button(button: Button, index: int) -> dict[str, Any] | None:
    element: dict[str, Any] = {
        "type": "button",
        "text": _plain(button.label, BUTTON_TEXT_LIMIT),
        "action_id": f"{ACTION_PREFIX}{button.action}.{index}"[:ACTION_ID_LIMIT],
    }
    if button.url:
        if len(button.url) > URL_LIMIT or not button.url.startswith(("http://", "https://")):
            return None
        element["url"] = button.url
    else:
        element["value"] = encode_value(button)
    if button.style in ("primary", "danger"):
        element["style"] = button.style
    return element


def _actions(buttons: Sequence[Button]) -> list[dict[str, Any]]:
    elements = [e for i, b in enumerate(buttons[:MAX_BUTTONS]) if (e := _button(b, i)) is not None]
    return [
        {"type": "actions", "elements": elements[start : start + ELEMENTS_PER_ACTIONS]}
        for start in range(0, len(elements), ELEMENTS_PER_ACTIONS)
    ]


# --- step lines ---------------------------------------------------------------------------------


def _focus(steps: Sequence[StepLine]) -> int:
    """Index of the step a reader cares about now."""
    for state in _OPEN_STATES:
        for index, step in enumerate(steps):
            if step.status == state:
                return index
    for index, step in enumerate(steps):
        if step.status == "pending":
            return index
    return max(0, len(steps) - 1)


def _step_line(step: StepLine) -> str:
    note = STATE_NOTES.get(step.status)
    if step.status == "running" and 0 < step.progress < 100:
        note = f"in progress, {step.progress}%"
    suffix = f" ({note})" if note else ""
    return escape(_cut(f"{step.symbol} {step.order}. {step.name}{suffix}", LINE_LIMIT))


def _substep_lines(step: StepLine) -> list[str]:
    subs = step.substeps
    first_open = next((i for i, s in enumerate(subs) if s.status != "completed"), len(subs) - 1)
    start = max(0, first_open - SUBSTEPS_BEFORE)
    end = min(len(subs), first_open + SUBSTEPS_AFTER + 1)
    lines = [f"      ├─ … {start} done"] if start > 0 else []
    for index in range(start, end):
        sub = subs[index]
        branch = "└─" if index == len(subs) - 1 else "├─"
        note = STATE_NOTES.get(sub.status)
        suffix = f" ({note})" if note else ""
        symbol = SYMBOLS.get(sub.status, "○")
        lines.append("      " + escape(_cut(f"{branch} {sub.name} {symbol}{suffix}", LINE_LIMIT)))
    if end < len(subs):
        lines.append(f"      └─ … and {len(subs) - end} more")
    return lines


def step_lines(steps: Sequence[StepLine]) -> list[str]:
    """Escaped lines: the focused step's neighbourhood, its substeps, and what was left out."""
    if not steps:
        return []
    focus = _focus(steps)
    start = max(0, focus - STEPS_BEFORE)
    end = min(len(steps), focus + STEPS_AFTER + 1)
    lines: list[str] = []
    if start > 0:
        lines.append(f"… {start} earlier step{'s' if start != 1 else ''}")
    for index in range(start, end):
        step = steps[index]
        lines.append(_step_line(step))
        if index == focus and step.substeps:
            lines += _substep_lines(step)
        if step.error and step.status == "failed":
            lines.append("      " + escape(_cut(f"Error: {step.error}", LINE_LIMIT)))
    if end < len(steps):
        lines.append(f"… and {len(steps) - end} more")
    return lines


# --- the reply ----------------------------------------------------------------------------------


def text_only(text: str) -> str:
    """The fallback text: escaped, within 40,000 characters, never empty."""
    return _cut_escaped(escape(text), TEXT_LIMIT) or "…"


def _text_sections(text: str) -> list[dict[str, Any]]:
    chunks = _pack(escape(line) for line in text.split("\n"))
    blocks = [_section(chunk) for chunk in chunks[:TEXT_SECTIONS]]
    if len(chunks) > TEXT_SECTIONS:
        blocks.append(_context("… the rest is cut here; ask for the logs for everything."))
    return blocks


def _bar(reply: Reply) -> dict[str, Any]:
    pct = reply.percent or 0
    return _section(f"`{progress_bar(pct)}` *{pct}%*")


def _status_lines(reply: Reply) -> list[str]:
    return [escape(line) for line in reply.text.split("\n") if _STATUS_LINE.match(line)]


def _card_body(reply: Reply, *, full: bool) -> list[dict[str, Any]]:
    """The seed's Progress View: bar, "Step 2 of 4: …", step lines, status, ETA."""
    blocks: list[dict[str, Any]] = []
    if reply.percent is not None:
        blocks.append(_bar(reply))
    heading = [f"*{escape(_cut(reply.step_heading, LINE_LIMIT))}*"] if reply.step_heading else []
    if full:
        lines = heading + step_lines(reply.steps) + _status_lines(reply)
        blocks += [_section(chunk) for chunk in _pack(lines)]
    elif heading:
        blocks.append(_section(heading[0]))
    if reply.eta_text and (full or reply.eta_text not in reply.text):
        blocks.append(_context(escape(_cut(reply.eta_text, LINE_LIMIT))))
    return blocks


def render(reply: Reply, *, view_url: str | None = None) -> dict[str, Any]:
    """`{"text": fallback, "blocks": [...]}` for chat.postMessage, chat.update and friends."""
    reply = visible_reply(reply)
    buttons = list(reply.buttons)
    if view_url and not any(b.url for b in buttons):
        buttons.append(Button(VIEW_LABEL, "open", task_id=reply.task_id, url=view_url))

    blocks: list[dict[str, Any]] = []
    is_card = reply.kind == "card"
    has_card = reply.title is not None and (reply.percent is not None or bool(reply.steps))
    if reply.title and (is_card or (reply.steps and reply.kind != "notification")):
        blocks.append({"type": "header", "text": _plain(reply.title, HEADER_LIMIT)})
    if not is_card:
        blocks += _text_sections(reply.text)
    if has_card:
        # Notices are short: their card lives in the channel; answers and cards show it all.
        blocks += _card_body(reply, full=reply.kind != "notification")
    if reply.attachment is not None and "Full log attached" not in reply.text:
        blocks.append(_context(escape(f"📎 Full log attached: {_cut(reply.attachment[0], 200)}")))
    actions = _actions(buttons)
    room = BLOCK_LIMIT - len(actions)
    if len(blocks) > room:
        blocks = [*blocks[: room - 1], _context("… more than fits in one message")]
    return {"text": text_only(reply.text), "blocks": blocks + actions}


# --- approvals, modals, App Home ----------------------------------------------------------------


def decision_blocks(blocks: Sequence[dict[str, Any]], line_escaped: str) -> list[dict[str, Any]]:
    """An approval message after the decision: its blocks without buttons, plus the decision."""
    kept = [b for b in blocks if b.get("type") != "actions"][: BLOCK_LIMIT - 1]
    return [*kept, _section(line_escaped)]


def reject_modal(private_metadata: str, title: str | None) -> dict[str, Any]:
    """The modal that asks an approver why they reject."""
    what = f"Why are you rejecting {title}?" if title else "Why are you rejecting?"
    return {
        "type": "modal",
        "callback_id": REJECT_CALLBACK,
        "private_metadata": private_metadata[:3000],
        "title": _plain("Reject", 24),
        "submit": _plain("Reject", 24),
        "close": _plain("Cancel", 24),
        "blocks": [
            {
                "type": "input",
                "block_id": REASON_BLOCK,
                "label": _plain(what, 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": REASON_INPUT,
                    "multiline": True,
                    "max_length": 2000,
                },
            }
        ],
    }


def home_view(tasks: Sequence[dict[str, Any]], *, intro: str | None = None) -> dict[str, Any]:
    """App Home: the person's active tasks with their progress."""
    blocks: list[dict[str, Any]] = [{"type": "header", "text": _plain("Your active tasks", 150)}]
    if intro:
        blocks.append(_section(escape(intro)))
    elif not tasks:
        blocks.append(_section("You have no active tasks right now."))
    shown = list(tasks[:40])
    for task in shown:
        pct = int(task.get("progress") or 0)
        title = escape(_cut(" ".join(str(task.get("title") or "Untitled").split()), 200))
        status = escape(_cut(str(task.get("status") or ""), 40))
        line = f"*{title}*\n`{progress_bar(pct)}` {pct}% · {status}"
        blocks.append(_section(line))
    if len(tasks) > len(shown):
        blocks.append(_context(f"… and {len(tasks) - len(shown)} more"))
    return {"type": "home", "blocks": blocks[:100]}
