"""The engine client's public import path: `from bot.client import ProgressClient`.

The client lives in `bot.engine`; this module keeps the documented import working.
"""

from bot.engine import (
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
