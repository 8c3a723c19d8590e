"""The e-mail channel: notifications as mail, for people who follow long tasks away from chat.

A target's chat is an e-mail address. `render(reply, ...)` builds the message (a pure function):
a plain-text part (the reply's text, word for word, and its links) and an HTML part (title,
progress bar, step lines with the seed's symbols, link buttons), every engine-supplied string
escaped. The subject is the reply's first line ("✅ Your CRM is ready!").

Mail cannot be edited, and a live card is edited on every progress change; mailing each version
would bury the inbox. So a card is mailed once, when its task reaches a final state (completed,
failed, cancelled); before that `send`/`edit` accept the card without mailing it. Notices always
go out.

SMTP errors are translated here: a refused recipient (5xx) means the address is gone for good
(`TargetGone`, the target is disabled); 4xx answers, timeouts and lost connections are worth a
retry (`DeliveryError`).
"""

from __future__ import annotations

import asyncio
import html
import logging
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING

import aiosmtplib

from adapters.base import Adapter, AdapterError, DeliveryError, SentMessage, TargetGone
from bot.types import SYMBOLS, Reply, Target, strip_invisible, visible_reply

if TYPE_CHECKING:
    from bot.config import EmailConfig

__all__ = ["FINAL_STATES", "EmailAdapter", "EmailError", "render", "render_html", "subject_of"]

logger = logging.getLogger(__name__)

FINAL_STATES = frozenset({"completed", "failed", "cancelled"})
# A card accepted but not mailed; its live-message ref, so a later edit knows nothing went out.
UNSENT_PREFIX = "unsent:"
SUBJECT_LIMIT = 200
# SMTP servers limit concurrent connections per client; the notifier sends many targets at once.
MAX_CONNECTIONS = 8
_FONTS = "system-ui,-apple-system,Segoe UI,sans-serif"
_CARD_ENDINGS = {"completed": "✓ Completed", "failed": "✕ Failed", "cancelled": "Cancelled"}
_BAR_COLOURS = {"completed": "#16a34a", "failed": "#dc2626", "cancelled": "#6b7280"}


class EmailError(AdapterError):
    """E-mail is enabled but cannot work (no host or sender address)."""


def subject_of(reply: Reply) -> str:
    """The reply's first non-empty line, on one line and not too long."""
    reply = visible_reply(reply)
    for line in reply.text.splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= SUBJECT_LIMIT else line[: SUBJECT_LIMIT - 1] + "…"
    return reply.title or "Progress Bot"


def _domain(address: str) -> str:
    domain = address.rpartition("@")[2].strip(" >")
    return domain or "progressbot.invalid"


def _plain_text(reply: Reply) -> str:
    lines = [reply.text.rstrip("\n")]
    links = [b for b in reply.buttons if b.url]
    if links:
        lines.append("")
        lines.extend(f"{b.label}: {b.url}" for b in links)
    return "\n".join(lines) + "\n"


def _esc(value: object) -> str:
    return html.escape(strip_invisible("" if value is None else str(value)), quote=True)


def render_html(reply: Reply) -> str:
    """The HTML part. Everything from a task engine is escaped; only link buttons are links."""
    reply = visible_reply(reply)
    parts = [
        '<div style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:560px">'
    ]
    lines = reply.text.splitlines() or [""]
    card = reply.kind == "card"
    if reply.title and not card:
        parts.append(f'<p style="color:#6b7280;margin:0 0 4px">{_esc(reply.title)}</p>')
    heading = reply.title if card and reply.title else lines[0]
    parts.append(f'<h2 style="margin:0 0 12px;font-size:18px">{_esc(heading)}</h2>')
    if card:
        # The card's text repeats its fields as text art; the HTML draws the fields instead.
        ending = _CARD_ENDINGS.get(reply.status or "")
        if ending:
            parts.append(f'<p style="margin:0 0 8px"><strong>{_esc(ending)}</strong></p>')
    else:
        for line in lines[1:]:
            if line.strip():
                parts.append(f'<p style="margin:0 0 8px">{_esc(line)}</p>')
    if reply.percent is not None:
        percent = max(0, min(100, reply.percent))
        colour = _BAR_COLOURS.get(reply.status or "", "#2563eb")
        parts.append(
            '<div role="progressbar" aria-valuemin="0" aria-valuemax="100" '
            f'aria-valuenow="{percent}" style="background:#e5e7eb;border-radius:6px;height:12px;'
            'width:100%;margin:8px 0 4px">'
            f'<div style="background:{colour};border-radius:6px;height:12px;width:{percent}%">'
            "</div></div>"
            f'<p style="margin:0 0 12px;color:#374151">{percent}%</p>'
        )
    if reply.step_heading:
        parts.append(f'<p style="margin:0 0 6px"><strong>{_esc(reply.step_heading)}</strong></p>')
    if reply.steps:
        parts.append('<ul style="list-style:none;padding-left:0;margin:0 0 12px">')
        for step in reply.steps:
            parts.append(f"<li>{_esc(step.symbol)} {_esc(step.name)}")
            if step.error:
                parts.append(f' <span style="color:#dc2626">— {_esc(step.error)}</span>')
            if step.substeps:
                parts.append('<ul style="list-style:none;padding-left:20px">')
                for sub in step.substeps:
                    symbol = SYMBOLS.get(sub.status, "○")
                    parts.append(f"<li>{_esc(symbol)} {_esc(sub.name)}</li>")
                parts.append("</ul>")
            parts.append("</li>")
        parts.append("</ul>")
    if reply.eta_text:
        parts.append(f'<p style="margin:0 0 12px;color:#374151">{_esc(reply.eta_text)}</p>')
    links = [b for b in reply.buttons if b.url]
    if links:
        parts.append("<p>")
        for button in links:
            parts.append(
                f'<a href="{_esc(button.url)}" style="display:inline-block;padding:8px 14px;'
                "margin-right:8px;background:#2563eb;color:#ffffff;border-radius:6px;"
                f'text-decoration:none">{_esc(button.label)}</a>'
            )
        parts.append("</p>")
    parts.append("</div>")
    return "".join(parts)


def render(reply: Reply, *, to: str, from_address: str) -> EmailMessage:
    """The whole message: headers, a text part, an HTML part, and the log attachment if any."""
    reply = visible_reply(reply)
    message = EmailMessage()
    message["Subject"] = subject_of(reply)
    message["From"] = from_address
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    domain = _domain(from_address)
    if reply.delivery_id:
        # The same outbox row always gets the same Message-ID: mail clients fold a resend after
        # a crash into one message, and duplicates stay countable.
        message["Message-ID"] = f"<progressbot.{reply.delivery_id}@{domain}>"
        message["X-Progressbot-Delivery-Id"] = reply.delivery_id
    else:
        message["Message-ID"] = make_msgid("progressbot", domain=domain)
    if reply.task_id:
        message["X-Progressbot-Task"] = reply.task_id
        # One thread per task in mail clients.
        message["References"] = f"<progressbot.task.{reply.task_id}@{domain}>"
    message["X-Progressbot-Event"] = reply.event or reply.kind
    if reply.loud:
        message["X-Priority"] = "2"
    message.set_content(_plain_text(reply))
    message.add_alternative(render_html(reply), subtype="html")
    if reply.attachment is not None:
        filename, content = reply.attachment
        message.add_attachment(content, filename=filename)
    return message


class EmailAdapter(Adapter):
    """Sends notifications by SMTP (aiosmtplib), one connection per message."""

    platform = "email"

    def __init__(self, config: EmailConfig) -> None:
        self.config = config
        if not self.config.host or not self.config.from_address:
            raise EmailError("email needs email.host and email.from_address")
        self.from_address: str = self.config.from_address
        self._connections = asyncio.Semaphore(MAX_CONNECTIONS)

    async def send(self, target: Target, reply: Reply) -> SentMessage:
        if reply.kind == "card" and reply.status not in FINAL_STATES:
            return SentMessage(f"{UNSENT_PREFIX}{reply.task_id or ''}")
        return SentMessage(await self._deliver(target.chat, reply))

    async def edit(self, target: Target, ref: str, reply: Reply) -> SentMessage:
        if reply.kind == "card" and not ref.startswith(UNSENT_PREFIX):
            return SentMessage(ref)  # the final card already went out; mail cannot be edited
        return await self.send(target, reply)

    async def _deliver(self, address: str, reply: Reply) -> str:
        if "@" not in address or any(c in address for c in "\r\n <>,"):
            raise TargetGone(f"not an e-mail address: {address!r}")
        message = render(reply, to=address, from_address=self.from_address)
        password = self.config.password.get_secret_value() if self.config.password else None
        try:
            async with self._connections:
                await aiosmtplib.send(
                    message,
                    hostname=self.config.host,
                    port=self.config.port,
                    username=self.config.username,
                    password=password,
                    use_tls=self.config.use_tls,
                    start_tls=self.config.starttls and not self.config.use_tls,
                    timeout=30,
                )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            if codes and all(code >= 500 for code in codes):
                raise TargetGone(f"recipient refused ({codes[0]})") from exc
            raise DeliveryError(f"recipient deferred ({codes[0] if codes else '?'})") from exc
        except aiosmtplib.SMTPRecipientRefused as exc:
            if exc.code >= 500:
                raise TargetGone(f"recipient refused ({exc.code})") from exc
            raise DeliveryError(f"recipient deferred ({exc.code})") from exc
        except aiosmtplib.SMTPAuthenticationError as exc:
            # Only the code: the server's answer may echo what we sent.
            logger.error("SMTP login to %s failed (%s)", self.config.host, exc.code)
            raise DeliveryError(f"SMTP login failed ({exc.code})") from exc
        except aiosmtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP error {exc.code}: {exc.message[:200]}") from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            raise DeliveryError(f"SMTP unavailable: {type(exc).__name__}") from exc
        return str(message["Message-ID"])
