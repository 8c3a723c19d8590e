"""`Reply` → Telegram HTML and an inline keyboard, and the signed callback data behind its buttons.

Everything here is pure. Text from task engines is escaped with `html.escape` after it has been
cut to size, so a cut never lands inside an entity or a tag. Buttons carry at most 64 bytes of
callback data: `<action>|<task>|<arg>|<mac>`, where the MAC (HMAC-SHA256, truncated) covers the
action, task, argument and the chat the message was sent to, so a forged button or one replayed
from another chat acts on nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import ipaddress
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.types import Button, Reply, visible_reply

__all__ = [
    "CALLBACK_DATA_LIMIT",
    "MESSAGE_LIMIT",
    "CallbackCodec",
    "Decoded",
    "is_public_url",
    "render",
    "telegram_length",
]

logger = logging.getLogger(__name__)

MESSAGE_LIMIT = 4096  # characters per message, counted in UTF-16 code units
CALLBACK_DATA_LIMIT = 64  # bytes
BUTTON_LABEL_LIMIT = 60
MAC_CHARS = 11  # 66 bits of HMAC-SHA256
DIGEST_CHARS = 12  # 72 bits: a stand-in for a task id too long to carry

# One character per action id keeps the data small; the set is closed, anything else is refused.
ACTION_CODES: dict[str, str] = {
    "status": "s",
    "logs": "l",
    "pause": "p",
    "resume": "r",
    "cancel": "c",
    "restart": "R",
    "retry_step": "t",
    "skip_step": "k",
    "approve": "a",
    "reject": "j",
    "confirm": "y",
    "dismiss": "n",
    "choose": "h",
    "open": "o",
    "ask": "q",
    "yes": "Y",
    "mute": "m",
    "unmute": "u",
    "subscribe": "b",
}
_ACTIONS_BY_CODE = {code: name for name, code in ACTION_CODES.items()}

# Intent names inside a confirm/choose argument ("skip_step:3"), shortened the same way.
_INTENT_CODES: dict[str, str] = {
    "status": "s",
    "logs": "l",
    "why_failed": "w",
    "eta": "e",
    "pause": "p",
    "resume": "r",
    "cancel": "c",
    "restart": "R",
    "retry_step": "t",
    "skip_step": "k",
    "approve": "a",
    "reject": "j",
    "subscribe": "b",
    "mute": "m",
    "unmute": "u",
}
_INTENTS_BY_CODE = {code: name for name, code in _INTENT_CODES.items()}
_PLAIN_TASK_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
_PLAIN_ARG = re.compile(r"^[A-Za-z0-9_:.-]*$")
_BULLET = "- "


# --- callback data ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decoded:
    """A verified button press: the action and what it acts on.

    `task_id` is None when the button named no task; `task_digest` is set instead of `task_id`
    when the id was too long to carry and must be looked up (`CallbackCodec.task_digest`).
    """

    action: str
    task_id: str | None
    task_digest: str | None
    arg: str | None


def _b64(raw: bytes, chars: int) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")[:chars]


class CallbackCodec:
    """Signs and verifies callback data with a secret only this bot knows."""

    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise ValueError("the callback secret must not be empty")
        self._mac_key = hmac.new(secret, b"progressbot/telegram/callback", hashlib.sha256).digest()
        self._digest_key = hmac.new(secret, b"progressbot/telegram/task", hashlib.sha256).digest()

    @classmethod
    def for_token(cls, token: str) -> CallbackCodec:
        """A codec keyed by the bot token: stable across restarts, unknown to anyone else."""
        return cls(token.encode("utf-8"))

    def task_digest(self, task_id: str) -> str:
        """The short stand-in for a task id that does not fit into callback data."""
        return _b64(
            hmac.new(self._digest_key, task_id.encode("utf-8"), hashlib.sha256).digest(),
            DIGEST_CHARS,
        )

    def _mac(self, chat: str, payload: str) -> str:
        message = f"{chat}\x1f{payload}".encode()
        return _b64(hmac.new(self._mac_key, message, hashlib.sha256).digest(), MAC_CHARS)

    def encode(self, button: Button, chat: str) -> str | None:
        """The callback data for `button` in `chat`, or None when it cannot be made to fit."""
        code = ACTION_CODES.get(button.action)
        if code is None:
            logger.warning("no callback code for action %r; button left out", button.action)
            return None
        arg = _encode_arg(button.arg)
        if arg is None:
            logger.warning("button argument for %s cannot be encoded; left out", button.action)
            return None
        task = button.task_id or ""
        candidates = [task] if task and _PLAIN_TASK_ID.match(task) else []
        if task:
            candidates.append("~" + self.task_digest(task))
        else:
            candidates.append("")
        for task_field in candidates:
            payload = f"{code}|{task_field}|{arg}"
            data = f"{payload}|{self._mac(chat, payload)}"
            if len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
                return data
        logger.warning("callback data for %s does not fit in 64 bytes; left out", button.action)
        return None

    def decode(self, data: str | None, chat: str) -> Decoded | None:
        """The press `data` stands for, or None when it is malformed, forged or from elsewhere."""
        if not data or len(data.encode("utf-8")) > CALLBACK_DATA_LIMIT:
            return None
        parts = data.split("|")
        if len(parts) != 4:
            return None
        code, task_field, arg_field, mac = parts
        expected = self._mac(chat, f"{code}|{task_field}|{arg_field}")
        if not hmac.compare_digest(expected.encode("ascii"), mac.encode("utf-8", "replace")):
            return None
        action = _ACTIONS_BY_CODE.get(code)
        if action is None:
            return None
        digest = task_field[1:] if task_field.startswith("~") else None
        task_id = None if digest is not None or not task_field else task_field
        return Decoded(action, task_id, digest, _decode_arg(arg_field))


def _encode_arg(arg: str | None) -> str | None:
    if arg is None:
        return ""
    name, colon, rest = arg.partition(":")
    if name in _INTENT_CODES and (not colon or rest.isdigit()):
        arg = "!" + _INTENT_CODES[name] + colon + rest
    elif not _PLAIN_ARG.match(arg):
        return None
    return arg


def _decode_arg(field: str) -> str | None:
    if not field:
        return None
    if field.startswith("!") and len(field) >= 2:
        name = _INTENTS_BY_CODE.get(field[1])
        if name is not None:
            return name + field[2:]
    return field


# --- text ---------------------------------------------------------------------------------------


def telegram_length(text: str) -> int:
    """How Telegram counts a text's length: UTF-16 code units (an emoji often counts two)."""
    return len(text.encode("utf-16-le")) // 2


def is_public_url(url: str | None) -> bool:
    """Whether Telegram accepts `url` on a button: http(s) and not a loopback or local host."""
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host == "localhost" or host.endswith((".localhost", ".local")):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." in host  # Telegram refuses single-label hosts
    return not (address.is_loopback or address.is_unspecified or address.is_link_local)


@dataclass(slots=True)
class _Line:
    text: str  # raw, unescaped
    style: str = ""  # "" | "b" | "code" | "item"
    last_item: bool = False


def _markup(line: _Line, tree: bool) -> str:
    if line.style == "item":
        body = line.text[len(_BULLET) :] if line.text.startswith(_BULLET) else line.text
        if tree:
            glyph = "└─ " if line.last_item else "├─ "
            return glyph + html.escape(body, quote=False)
        return html.escape(line.text, quote=False)
    escaped = html.escape(line.text, quote=False)
    if line.style in ("b", "code"):
        return f"<{line.style}>{escaped}</{line.style}>" if escaped else ""
    return escaped


def _join(lines: list[_Line], tree: bool) -> str:
    items = [i for i, line in enumerate(lines) if line.style == "item"]
    for i in items:
        lines[i].last_item = False
    if items:
        lines[items[-1]].last_item = True
    return "\n".join(_markup(line, tree) for line in lines)


def _lines(reply: Reply) -> list[_Line]:
    raw = reply.text.split("\n")
    lines: list[_Line] = []
    for number, text in enumerate(raw):
        if text.startswith(_BULLET):
            lines.append(_Line(text, "item"))
        elif number == 0 and reply.kind in ("card", "notification"):
            lines.append(_Line(text, "b"))
        elif number == 1 and reply.kind == "card" and text.startswith("["):
            lines.append(_Line(text, "code"))
        else:
            lines.append(_Line(text))
    return lines


def _first_open(items: list[_Line]) -> int:
    for i, line in enumerate(items):
        if not line.text.rstrip().endswith("✓"):
            return i
    return max(0, len(items) - 1)


def _window_items(lines: list[_Line], tree: bool, limit: int) -> list[_Line]:
    """Drop item lines (steps) far from the first open one until the message fits."""
    positions = [i for i, line in enumerate(lines) if line.style == "item"]
    if not positions:
        return lines
    first, last = positions[0], positions[-1]
    items = lines[first : last + 1]
    head, tail = lines[:first], lines[last + 1 :]
    focus = _first_open(items)
    keep = len(items)
    while keep > 1:
        keep = max(1, keep * 3 // 4)
        start = max(0, min(focus - 2, len(items) - keep))
        shown = items[start : start + keep]
        before, after = start, len(items) - start - keep
        middle: list[_Line] = []
        if before:
            middle.append(_Line(f"… {before} earlier"))
        middle += shown
        if after:
            middle.append(_Line(f"… {after} more"))
        candidate = [*head, *middle, *tail]
        if telegram_length(_join(candidate, tree)) <= limit:
            return candidate
    return lines


def _cut_longest(lines: list[_Line]) -> bool:
    longest = max(lines, key=lambda line: len(line.text), default=None)
    if longest is None or len(longest.text) <= 20:
        return False
    longest.text = longest.text[: len(longest.text) // 2].rstrip() + "…"
    return True


def _fit(lines: list[_Line], tree: bool, limit: int) -> str:
    text = _join(lines, tree)
    if telegram_length(text) <= limit:
        return text
    lines = _window_items(lines, tree, limit)
    text = _join(lines, tree)
    # Still too long (a giant error or log line): halve the longest raw line, then escape again,
    # so no cut ever falls inside an entity or a tag.
    while telegram_length(text) > limit:
        if not _cut_longest(lines):
            lines = lines[: max(1, len(lines) // 2)]
        text = _join(lines, tree)
    return text


# --- the message --------------------------------------------------------------------------------


def _label(button: Button) -> str:
    label = " ".join(button.label.split())
    if len(label) > BUTTON_LABEL_LIMIT:
        label = label[: BUTTON_LABEL_LIMIT - 1] + "…"
    return label or "…"


def render(
    reply: Reply, *, codec: CallbackCodec | None = None, chat: str = "", limit: int = MESSAGE_LIMIT
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The HTML text and inline keyboard for `reply` sent to `chat`.

    Buttons that need callback data are signed with `codec` for `chat`; without a codec they are
    left out. A link Telegram would refuse on a button (localhost, 127.x) goes into the text.
    """
    reply = visible_reply(reply)
    lines = _lines(reply)
    action_row: list[InlineKeyboardButton] = []
    link_rows: list[list[InlineKeyboardButton]] = []
    for button in reply.buttons:
        if button.url:
            if is_public_url(button.url):
                link_rows.append([InlineKeyboardButton(_label(button), url=button.url)])
            else:
                lines.append(_Line(f"{_label(button)}: {button.url}"))
            continue
        if codec is None:
            continue
        data = codec.encode(button, chat)
        if data is not None:
            action_row.append(InlineKeyboardButton(_label(button), callback_data=data))
    text = _fit(lines, reply.kind == "card", limit)
    rows = [action_row[i : i + 3] for i in range(0, len(action_row), 3)] + link_rows
    return text, InlineKeyboardMarkup(rows) if rows else None
