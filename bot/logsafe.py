"""Log lines never carry a credential: configured secrets, bot tokens in URLs, link tokens,
session cookies and `Authorization` headers are replaced by `***` before any handler sees them.

`install(secrets)` sets a log-record factory, so it covers every logger and handler (including
ones added later, and libraries' own: httpx logs the Telegram token inside each request URL), at
every level. The CLI installs it at start-up, and so does the in-process server.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["install", "redact"]

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Telegram's Bot API puts the token in the path: /bot123456:ABC.../getUpdates
    (re.compile(r"/bot\d+:[A-Za-z0-9_-]+"), "/bot***"),
    # Signed links (?t=), tokens in query strings (?token=), the session cookie.
    (re.compile(r"(?i)([?&;](?:t|token|access_token)=)[^&\s\"'#<>]+"), r"\1***"),
    (re.compile(r"(progressbot_session=)[^;\s\"']+"), r"\1***"),
    # Authorization headers, in any of the ways a library may print them.
    (
        re.compile(
            r"(?i)(authorization['\"]?\s*[:=,]\s*['\"]?(?:bearer\s+|basic\s+|token\s+)?)"
            r"[^\s'\",})\]]+"
        ),
        r"\1***",
    ),
    # Slack tokens wherever they appear.
    (re.compile(r"\bx(?:ox[abprs]|app)-[A-Za-z0-9-]+"), "***"),
    # Passwords in URLs (postgresql://user:secret@host).
    (re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^/:@\s]*:)[^@/\s]+@"), r"\1***@"),
)

_lock = threading.Lock()
_secrets: set[str] = set()
_installed: dict[str, Callable[..., logging.LogRecord]] = {}


def redact(text: str) -> str:
    """`text` with every known secret and credential-looking part replaced by `***`."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, "***")
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def install(secrets: Iterable[str] = ()) -> None:
    """Redact every log record from now on; `secrets` are literal values to hide as well."""
    with _lock:
        # Very short values would blank ordinary words; a secret that short is no secret anyway.
        _secrets.update(s for s in secrets if s and len(s) >= 6)
        if "factory" in _installed:
            return
        previous = logging.getLogRecordFactory()
        _installed["factory"] = previous

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _scrub(record)
            return record

        logging.setLogRecordFactory(factory)


def _scrub(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: leave it for logging to report
        return
    record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
