"""The platform-neutral types every channel speaks.

An adapter turns a platform event into a `Message` (someone wrote) or an `Action` (someone pressed
a button), hands it to the bot, and renders the `Reply` it gets back in its platform's terms
(Block Kit, Telegram HTML, plain text). Nothing here knows any platform.

Text held in these types is raw and untrusted (task names, step names, errors and logs come from
task engines); each renderer escapes it for its own markup.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TypeVar

__all__ = [
    "INVISIBLE",
    "STATE_NOTES",
    "SYMBOLS",
    "TASK_SYMBOLS",
    "VIEW_LABEL",
    "Action",
    "Answer",
    "Button",
    "Message",
    "Reply",
    "StepLine",
    "SubstepLine",
    "Target",
    "progress_bar",
    "strip_invisible",
    "visible_reply",
]

# The seed's progress indicators, by step state. "approval" is the seed's "needs attention".
SYMBOLS: dict[str, str] = {
    "completed": "✓",
    "running": "◐",
    "pending": "○",
    "approval": "⚠",
    "failed": "✕",
    "paused": "⏸",
    "skipped": "✓",
}

# Symbols for a task's own state in lists; "cancelled" is a task state only, so SYMBOLS lacks it.
TASK_SYMBOLS: dict[str, str] = {**SYMBOLS, "cancelled": "✕"}

# The words after a step's or substep's symbol, as the seed's Progress View writes them
# ("Sales form ◐ (in progress)").
STATE_NOTES: dict[str, str] = {
    "running": "in progress",
    "pending": "pending",
    "failed": "failed",
    "approval": "needs approval",
    "paused": "paused",
    "skipped": "skipped",
}

# The label of the link button to the Progress View, the same on every channel.
VIEW_LABEL = "Open progress view"


def progress_bar(percent: object, width: int = 30) -> str:
    """The seed's bar: 65 -> `[████████████████████░░░░░░░░░░]` (cells rounded half up)."""
    if isinstance(percent, bool) or not isinstance(percent, int | float | str):
        pct = 0
    else:
        try:
            pct = max(0, min(100, round(float(percent))))
        except (ValueError, OverflowError):
            pct = 0
    filled = (pct * width * 2 + 100) // 200
    return "[" + "█" * filled + "░" * (width - filled) + "]"


@dataclass(frozen=True, slots=True)
class Target:
    """Where a message goes: a platform, a chat (channel) id and an optional thread/topic."""

    platform: str
    chat: str
    thread: str | None = None

    def key(self) -> str:
        return f"{self.platform}:{self.chat}:{self.thread or ''}"


@dataclass(frozen=True, slots=True)
class Message:
    """Someone wrote to the bot.

    `person` is the configured person (a key of `users:`) the platform user maps to, or None when
    the platform user is unknown to us. `raw` keeps the platform payload for adapters that need it.
    """

    text: str
    target: Target
    platform_user: str
    person: str | None = None
    raw: Any = field(default=None, compare=False, repr=False)
    # The surface the audit trail records, when it is not the platform (`api:<token name>`).
    via: str | None = None


@dataclass(frozen=True, slots=True)
class Button:
    """A button on a reply. `action` is a bot action id (see `bot.handlers.ACTIONS`).

    `task_id` and `arg` (a step number, an approval id, a choice) say what it acts on; `url`
    makes it a link button instead ("Open progress view").
    """

    label: str
    action: str
    task_id: str | None = None
    arg: str | None = None
    style: Literal["primary", "danger"] | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """Someone pressed a button: the button's action id and arguments, and who pressed it where."""

    action: str
    target: Target
    platform_user: str
    person: str | None = None
    task_id: str | None = None
    arg: str | None = None
    text: str | None = None  # free text that came with it, e.g. a reject reason from a modal
    raw: Any = field(default=None, compare=False, repr=False)
    # The surface the audit trail records, when it is not the platform (`api:<token name>`).
    via: str | None = None


@dataclass(frozen=True, slots=True)
class SubstepLine:
    name: str
    done: bool
    status: str  # completed | running | pending, as the step view shows it


@dataclass(frozen=True, slots=True)
class StepLine:
    order: int
    name: str
    status: str  # one of the seed's step states
    progress: int
    substeps: tuple[SubstepLine, ...] = ()
    error: str | None = None

    @property
    def symbol(self) -> str:
        return SYMBOLS.get(self.status, "○")


ReplyKind = Literal["answer", "card", "notification", "question", "error"]


@dataclass(slots=True)
class Reply:
    """What the bot says, before any platform has formatted it.

    `text` is the complete plain-text version (the seed's chat texts, word for word) and is what a
    channel without rich formatting shows, and the fallback for notifications and screen readers.
    The structured fields let rich channels draw a card: a header, a bar, step lines, buttons.
    """

    text: str
    kind: ReplyKind = "answer"
    title: str | None = None
    task_id: str | None = None
    status: str | None = None
    percent: int | None = None
    step_heading: str | None = None  # "Step 2 of 4: Generate application UI"
    steps: list[StepLine] = field(default_factory=list)
    eta_text: str | None = None  # "ETA: About 3 minutes remaining."
    buttons: list[Button] = field(default_factory=list)
    loud: bool = False  # push notification sound/vibration on phones (approval, failure, done)
    event: str | None = None  # the notification's event type, when it is one
    attachment: tuple[str, str] | None = None  # (file name, text) for a log too long to show inline
    # Set by the notifier to the outbox row id: stable across retries, so a channel can mark a
    # message idempotent (an e-mail's Message-ID) and duplicates after a crash are countable.
    delivery_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["steps"] = [
            {**asdict(step), "symbol": step.symbol, "substeps": [asdict(s) for s in step.substeps]}
            for step in self.steps
        ]
        if self.attachment is not None:
            data["attachment"] = {"filename": self.attachment[0], "content": self.attachment[1]}
        return data


@dataclass(frozen=True)
class Answer:
    """What the bot answered: the intent it understood, the task it was about, and the reply."""

    intent: str
    task_id: str | None
    reply: Reply


# --- text that cannot disguise itself -----------------------------------------------------------

# Bidi embeddings, overrides and isolates (U+202A-E, U+2066-9), the marks U+200E/F and U+061C,
# and invisible characters that hide or join text (zero-width space, word joiner and the
# invisible operators, the byte-order mark, the Mongolian vowel separator). They can make a title
# read backwards or look like another; every renderer drops them. The zero-width (non-)joiners
# U+200C/D stay: emoji sequences and several scripts need them.
INVISIBLE = re.compile(
    "[\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)

_T = TypeVar("_T")


def strip_invisible(text: str) -> str:
    """`text` without bidi controls and invisible formatting characters."""
    return INVISIBLE.sub("", text) if INVISIBLE.search(text) else text


def _visible(value: _T) -> _T:
    """`value` with its text made visible; the very same object when nothing in it changed.
    Strings inside are handled in place, not by a call each: a card holds dozens of them."""
    if isinstance(value, str):
        return strip_invisible(value)  # type: ignore[return-value]
    if isinstance(value, list | tuple):
        if not value:
            return value
        items = [strip_invisible(v) if type(v) is str else _visible(v) for v in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return type(value)(items)
    names = _field_names(type(value))
    if names:
        changes = {}
        for name in names:
            old = getattr(value, name)
            kind = type(old)
            if kind is str:
                new = strip_invisible(old)
            elif old is None or kind in _NO_TEXT:
                continue
            else:
                new = _visible(old)
            if new is not old:
                changes[name] = new
        return dataclasses.replace(value, **changes) if changes else value  # type: ignore[type-var]
    return value


# Values that hold no text, passed over without a look (a card has dozens of them).
_NO_TEXT = frozenset({int, float, bool})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    """The field names of a dataclass type (none for any other type), found once per type:
    every reply walks a card's every step and substep."""
    names = _FIELD_NAMES.get(kind)
    if names is None:
        is_dataclass = dataclasses.is_dataclass(kind)
        names = tuple(f.name for f in dataclasses.fields(kind)) if is_dataclass else ()
        _FIELD_NAMES[kind] = names
    return names


def visible_reply(reply: Reply) -> Reply:
    """`reply` with `strip_invisible` applied to every piece of text in it, for a renderer to
    read from: a new `Reply`, sharing the parts that had nothing to strip."""
    return dataclasses.replace(_visible(reply))
