"""The terminal channel: `progressbot chat` and the demo's console.

`render(reply)` turns a `Reply` into plain text with numbered buttons; it is a pure function and
strips anything a terminal would obey (ANSI escapes, control and bidi characters), because titles,
step names, errors and logs come from task engines. `ConsoleAdapter` prints notifications and,
for the live card, one compact progress line per update. `chat_loop` is the prompt loop.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import sys
import threading
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any, TextIO

from adapters.base import Adapter, AdapterError, ChatCore, SentMessage
from bot.types import (
    TASK_SYMBOLS,
    Action,
    Button,
    Message,
    Reply,
    Target,
    strip_invisible,
)

__all__ = [
    "BOT_PREFIX",
    "PROMPT",
    "ConsoleAdapter",
    "ConsoleError",
    "card_line",
    "chat_loop",
    "render",
    "sanitize",
]

logger = logging.getLogger(__name__)

PROMPT = "you> "
BOT_PREFIX = "bot> "
QUIT_WORDS = frozenset({"quit", "exit", "/quit", "/exit"})

# ANSI/VT escape sequences: CSI (colours, cursor moves), OSC (window titles, hyperlinks) up to
# BEL or ST, and the two-character escapes. Removed whole, so no "[31m" debris is left behind.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"
    r"|\x1b[@-Z\\-_]?"
    r"|\x9b[0-?]*[ -/]*[@-~]"
)
# C0 (but newline) and C1 controls, and the bidi overrides that can make text read backwards.
_UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class ConsoleError(AdapterError):
    """The console could not be used (no such person, no API token for --url)."""


def sanitize(text: object) -> str:
    """`text` safe for a terminal: no escape sequences, no control characters except newline."""
    value = "" if text is None else str(text)
    value = value.replace("\r\n", "\n").replace("\t", "    ")
    return strip_invisible(_UNSAFE.sub("", _ANSI.sub("", value)))


def _one_line(text: object) -> str:
    return " ".join(sanitize(text).split())


def _button_text(number: int, button: Button) -> str:
    label = _one_line(button.label)
    if button.url:
        return f"[{number}] {label} ({_one_line(button.url)})"
    return f"[{number}] {label}"


def render(reply: Reply) -> str:
    """The reply as plain terminal text: its text, the attachment's name, numbered buttons."""
    lines = [sanitize(reply.text).rstrip("\n")]
    if reply.attachment is not None:
        lines.append(f"(full log: {_one_line(reply.attachment[0])})")
    if reply.buttons:
        lines.append("  ".join(_button_text(i, b) for i, b in enumerate(reply.buttons, 1)))
    return "\n".join(lines)


def card_line(reply: Reply) -> str:
    """One compact line for a live card update:
    "◐ Cellphone Store CRM — 65% — Step 2 of 4: Generate application UI"."""
    symbol = TASK_SYMBOLS.get(reply.status or "", "○")
    parts = [f"{symbol} {_one_line(reply.title or 'Task')}", f"{reply.percent or 0}%"]
    if reply.status in ("running", "pending") and reply.step_heading:
        parts.append(_one_line(reply.step_heading))
    elif reply.status:
        parts.append(_one_line(reply.status))
    return " — ".join(parts)


def _prefixed(text: str) -> str:
    return "\n".join(BOT_PREFIX + line for line in text.split("\n"))


class ConsoleAdapter(Adapter):
    """Prints what the notifier sends to a terminal (or any text stream)."""

    platform = "console"

    def __init__(self, output: TextIO | None = None) -> None:
        self.output = output if output is not None else sys.stdout
        # The buttons of the last thing shown: typing their number presses them.
        self.buttons: list[Button] = []
        # A question (Yes/No, which task?) is on screen: its numbers stay its buttons until it
        # is answered, whatever cards or notifications arrive meanwhile.
        self.question_open = False
        self.prompting = False  # a prompt is on screen: reprint it after pushed lines
        self._ids = itertools.count(1)

    def show(self, reply: Reply) -> None:
        """Print a reply the person asked for, and make its buttons the pressable ones."""
        self._write(_prefixed(render(reply)))
        if reply.buttons:
            self.buttons = list(reply.buttons)
        self.question_open = reply.kind == "question" and bool(reply.buttons)

    async def send(self, target: Target, reply: Reply) -> SentMessage:
        if reply.kind == "card":
            self._push(card_line(reply))
        else:
            if reply.buttons and not self.question_open:
                self._push(render(reply))
                self.buttons = list(reply.buttons)
            else:  # keep the open question's numbers: show these buttons without numbers
                self._push(render(replace(reply, buttons=[]) if self.question_open else reply))
        return SentMessage(ref=str(next(self._ids)))

    async def edit(self, target: Target, ref: str, reply: Reply) -> SentMessage:
        # A terminal cannot redraw a past message: print the compact progress line instead.
        self._push(card_line(reply) if reply.kind == "card" else render(reply))
        return SentMessage(ref=ref)

    def _push(self, text: str) -> None:
        lead = "\n" if self.prompting else ""
        self._write(lead + _prefixed(text))
        if self.prompting:
            self.output.write(PROMPT)
            self.output.flush()

    def _write(self, text: str) -> None:
        try:
            self.output.write(text + "\n")
            self.output.flush()
        except (OSError, ValueError) as exc:  # closed terminal: nothing to retry
            logger.warning("console output failed: %s", exc)


# ---------------------------------------------------------------------- the prompt loop

Ask = Callable[[str], Awaitable[Reply]]
Press = Callable[[Button], Awaitable[Reply]]


def _reply_from_dict(data: Mapping[str, Any]) -> Reply:
    buttons = [
        Button(
            label=str(b.get("label") or ""),
            action=str(b.get("action") or ""),
            task_id=b.get("task_id"),
            arg=b.get("arg"),
            url=b.get("url"),
        )
        for b in data.get("buttons") or []
        if isinstance(b, Mapping)
    ]
    attachment = data.get("attachment")
    return Reply(
        text=str(data.get("text") or ""),
        kind=data.get("kind") or "answer",
        title=data.get("title"),
        task_id=data.get("task_id"),
        status=data.get("status"),
        percent=data.get("percent"),
        buttons=buttons,
        attachment=(attachment["filename"], attachment["content"])
        if isinstance(attachment, Mapping)
        else None,
    )


def _start_reader(stream: TextIO, queue: asyncio.Queue[str | None]) -> None:
    """Read lines in a daemon thread: a blocked read must never keep the process from exiting."""
    loop = asyncio.get_running_loop()

    def read() -> None:
        while True:
            try:
                line = stream.readline()
            except (OSError, ValueError):
                line = ""
            try:
                loop.call_soon_threadsafe(queue.put_nowait, line if line else None)
            except RuntimeError:  # the loop is gone
                return
            if not line:
                return

    threading.Thread(target=read, name="console-input", daemon=True).start()


async def chat_loop(
    console: ConsoleAdapter,
    *,
    person: str,
    core: ChatCore | None = None,
    url: str | None = None,
    token: str | None = None,
    input_stream: TextIO | None = None,
    output: TextIO | None = None,
    stop: asyncio.Event,
) -> None:
    """The prompt loop until quit, exit, EOF or `stop`: through the chat core in this process, or
    through a running server's `/api/chat` at `url` with `token`."""
    out = output if output is not None else sys.stdout
    session: Any = None
    target = Target("console", person)
    if url is not None:
        import aiohttp

        session = aiohttp.ClientSession(
            base_url=url.rstrip("/") + "/", headers={"Authorization": f"Bearer {token}"}
        )
        ask, press = _remote(session, person)
    elif core is not None:
        ask, press = _local(core, person, target)
    else:
        raise ConsoleError("the console needs the chat core or a server's --url")
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    _start_reader(input_stream if input_stream is not None else sys.stdin, lines)
    try:
        await _loop(console, out, lines, stop, ask, press)
    finally:
        if session is not None:
            await session.close()


async def _loop(
    console: ConsoleAdapter,
    out: TextIO,
    lines: asyncio.Queue[str | None],
    stopping: asyncio.Event,
    ask: Ask,
    press: Press,
) -> None:
    stop_wait = asyncio.ensure_future(stopping.wait())
    try:
        while not stopping.is_set():
            out.write(PROMPT)
            out.flush()
            console.prompting = True
            getter = asyncio.ensure_future(lines.get())
            await asyncio.wait({getter, stop_wait}, return_when=asyncio.FIRST_COMPLETED)
            console.prompting = False
            if not getter.done():
                getter.cancel()
                out.write("\n")
                return
            line = getter.result()
            if line is None:  # EOF (Ctrl-D)
                out.write("\n")
                return
            # Pasted escape sequences are not words; the bot should see what the person meant.
            text = sanitize(line.rstrip("\r\n"))
            if text.strip().lower() in QUIT_WORDS:
                return
            try:
                reply = await _answer(console, text, ask, press)
            except Exception as exc:
                logger.debug("console request failed", exc_info=True)
                reply = Reply(text=f"Sorry, I couldn't reach the bot: {exc}", kind="error")
            console.show(reply)
    finally:
        stop_wait.cancel()


async def _answer(console: ConsoleAdapter, text: str, ask: Ask, press: Press) -> Reply:
    choice = text.strip()
    if choice.isdigit() and console.buttons:
        number = int(choice)
        if not 1 <= number <= len(console.buttons):
            return Reply(text=f"There is no button {number}; pick 1 to {len(console.buttons)}.")
        button = console.buttons[number - 1]
        if button.url:
            return Reply(text=f"Open this in your browser: {button.url}")
        console.buttons = []
        console.question_open = False
        return await press(button)
    return await ask(text)


def _local(chat: ChatCore, person: str, target: Target) -> tuple[Ask, Press]:
    async def ask(text: str) -> Reply:
        message = Message(text=text, target=target, platform_user=person, person=person)
        return (await chat.handle_message(message)).reply

    async def press(button: Button) -> Reply:
        action = Action(
            action=button.action,
            target=target,
            platform_user=person,
            person=person,
            task_id=button.task_id,
            arg=button.arg,
        )
        return (await chat.handle_action(action)).reply

    return ask, press


def _remote(session: Any, person: str) -> tuple[Ask, Press]:
    async def post(path: str, body: dict[str, Any]) -> Reply:
        async with session.post(path, json=body) as resp:
            data = await resp.json(content_type=None)
            if resp.status >= 400 or not isinstance(data, Mapping):
                error = data.get("error", {}) if isinstance(data, Mapping) else {}
                message = error.get("message") if isinstance(error, Mapping) else None
                return Reply(text=f"The server said {resp.status}: {message or data}", kind="error")
            return _reply_from_dict(data.get("reply") or {})

    async def ask(text: str) -> Reply:
        return await post("api/chat", {"person": person, "chat": person, "text": text})

    async def press(button: Button) -> Reply:
        body = {"person": person, "chat": person, "action": button.action}
        body.update({k: v for k, v in (("task_id", button.task_id), ("arg", button.arg)) if v})
        return await post("api/chat/actions", body)

    return ask, press
