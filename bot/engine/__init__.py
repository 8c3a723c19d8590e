"""The client SDK task engines import: report steps, obey pause and cancel, ask for approval.

Owns `client.py` (async and sync clients over the HTTP API). Imports nothing of the server: an
engine installs Progress Bot only to talk to it. `bot.client` re-exports these names.
"""

from bot.engine.client import (
    ApprovalRejected,
    AsyncProgressClient,
    AsyncTaskHandle,
    AsyncTracked,
    ProgressClient,
    ProgressError,
    Step,
    TaskCancelled,
    TaskHandle,
    Tracked,
)

__all__ = [
    "ApprovalRejected",
    "AsyncProgressClient",
    "AsyncTaskHandle",
    "AsyncTracked",
    "ProgressClient",
    "ProgressError",
    "Step",
    "TaskCancelled",
    "TaskHandle",
    "Tracked",
]
