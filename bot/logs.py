"""Logs worth reading: one line per thing that happened, with `key=value` fields, and no chatter.

`setup_logging` is called once by the CLI. Libraries that narrate their routine work (APScheduler's
"Running job" every second, alembic's plugin list) speak at WARNING unless DEBUG is asked for, so
an idle server is silent. Fields go in `extra=fields(task=..., owner=...)` and are printed after
the message as `task=crm-1 owner=alice`, quoted when they hold spaces.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

__all__ = ["KeyValueFormatter", "fields", "log_task_change", "setup_logging"]

logger = logging.getLogger("progressbot.tasks")

# Libraries whose INFO lines describe their own routine, not anything an operator acts on.
CHATTY_LIBRARIES = (
    "alembic",
    "apscheduler",
    "aiohttp.access",
    "httpx",
    "httpcore",
    "slack_bolt",
    "slack_sdk",
    "telegram",
    "asyncio",
    # The MCP SDK logs every session it opens and closes (with its id) at INFO.
    "mcp",
    "httpx2",
    "sse_starlette",
)
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_FIELDS = "kv_fields"


def fields(**values: object) -> dict[str, Mapping[str, object]]:
    """`extra=` for a log call: `logger.info("task created", extra=fields(task=task_id))`."""
    return {_FIELDS: values}


def _value(value: object) -> str:
    text = str(value)
    if not text or any(ch.isspace() or ch in '"=' for ch in text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


class KeyValueFormatter(logging.Formatter):
    """The usual line, then the record's fields as `key=value`."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        values: Mapping[str, object] | None = getattr(record, _FIELDS, None)
        if values:
            line += " " + " ".join(f"{k}={_value(v)}" for k, v in values.items() if v is not None)
        return line


def setup_logging(level: str | None, *, default: str = "INFO") -> None:
    """Log to stderr at `level` (a name; `default` when None), libraries at WARNING unless DEBUG."""
    chosen = getattr(logging, str(level or default).upper(), logging.INFO)
    handler = logging.StreamHandler()
    handler.setFormatter(KeyValueFormatter(FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(chosen)
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(
            logging.DEBUG if chosen <= logging.DEBUG else logging.WARNING
        )


# Task-level messages worth one INFO line each: a task appears, and a task ends.
_ENDINGS = {"task_complete": "completed", "task_failed": "failed", "cancelled": "cancelled"}


def log_task_change(change: Any) -> None:
    """A Tracker listener: one INFO line when a task is created and when it finishes."""
    for message in change.messages:
        kind = message.get("type")
        if kind == "task_created":
            logger.info("task created", extra=fields(task=change.task_id))
        elif kind in _ENDINGS:
            extra = fields(
                task=change.task_id,
                outcome=_ENDINGS[kind],
                step=message.get("step"),
                by=message.get("by"),
            )
            logger.info("task finished", extra=extra)
