"""A real SMTP server on a loopback port the OS picks (aiosmtpd), recording what it receives.

It runs in its own thread, so worker processes and the test's event loop can both talk to it.
Addresses in `refuse` get "550 mailbox unavailable" at RCPT, those in `defer` a 451.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    def header(self, name: str) -> str | None:
        value = self.message[name]
        return None if value is None else str(value)

    def part(self, subtype: str) -> str:
        """The text of the message's text/<subtype> part ("plain" or "html")."""
        for part in self.message.walk():
            if part.get_content_type() == f"text/{subtype}" and not part.get_filename():
                content = part.get_content()
                return str(content).replace("\r\n", "\n")
        raise AssertionError(f"no text/{subtype} part in {self.message['Subject']!r}")


@dataclass
class RecordingHandler:
    refuse: set[str] = field(default_factory=set)
    defer: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    # Seconds each message takes to accept, to make a run last long enough to interrupt it.
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        with self.lock:
            if address in self.refuse:
                return "550 5.1.1 mailbox unavailable"
            if address in self.defer:
                return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        raw = envelope.original_content or envelope.content or b""
        data = raw if isinstance(raw, bytes) else raw.encode()
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.received.append(
                Received(str(envelope.mail_from), tuple(envelope.rcpt_tos), parsed)
            )
        return "250 Message accepted"


class _AnyPortController(Controller):
    """aiosmtpd's Controller, bound to the port the OS picks (it cannot take port 0 itself)."""

    def _create_server(self) -> Any:
        async def serve() -> asyncio.AbstractServer:
            server = await self.loop.create_server(
                self._factory_invoker, host=self.hostname, port=0
            )
            self.port = server.sockets[0].getsockname()[1]
            return server

        return serve()


class SmtpSink:
    """What the server received, thread-safe, with waits for a number of messages."""

    def __init__(self, handler: RecordingHandler, controller: Controller) -> None:
        self.handler = handler
        self.controller = controller
        self.host = "127.0.0.1"
        self.port: int = controller.port

    @property
    def messages(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def count(self) -> int:
        with self.handler.lock:
            return len(self.handler.received)

    def refuse(self, address: str) -> None:
        with self.handler.lock:
            self.handler.refuse.add(address)

    def defer(self, address: str) -> None:
        with self.handler.lock:
            self.handler.defer.add(address)

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.rcpt_tos]

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Wait (without blocking the event loop) until at least `count` messages arrived."""
        deadline = time.monotonic() + timeout
        while self.count() < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} messages, got {self.count()}")
            await asyncio.sleep(0.02)
        return self.messages

    async def wait_quiet(self, seconds: float = 0.5, timeout: float = 30.0) -> int:
        """Wait until nothing new arrived for `seconds`; returns the count."""
        deadline = time.monotonic() + timeout
        last, since = self.count(), time.monotonic()
        while time.monotonic() - since < seconds and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            now_count = self.count()
            if now_count != last:
                last, since = now_count, time.monotonic()
        return last

    def config_yaml(self, *, from_address: str = "progress@example.com") -> str:
        """An `email:` config section that points the adapter at this sink."""
        return (
            "email:\n"
            "  enabled: true\n"
            f"  host: {self.host}\n"
            f"  port: {self.port}\n"
            "  starttls: false\n"
            f"  from_address: {from_address}\n"
        )


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    handler = RecordingHandler()
    controller = _AnyPortController(handler, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        yield SmtpSink(handler, controller)
    finally:
        controller.stop()
