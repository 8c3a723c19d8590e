"""The store's errors. Each says what was refused and why, in words a person can act on."""

from __future__ import annotations

__all__ = [
    "Conflict",
    "Forbidden",
    "InvalidEvent",
    "InvalidTransition",
    "LimitExceeded",
    "NotFound",
    "StoreError",
]


class StoreError(Exception):
    """Root of every error the store raises."""


class NotFound(StoreError, LookupError):
    """A task, step, approval or target that does not exist."""


class InvalidEvent(StoreError, ValueError):
    """An event or request that is malformed: a bad percent, an unknown type, a missing field."""


class LimitExceeded(InvalidEvent):
    """Input beyond a configured limit (`Limits`): the message names the limit and its value."""


class InvalidTransition(StoreError):
    """A well-formed change that the current state does not allow (resume a running task)."""


class Forbidden(StoreError, PermissionError):
    """The person may not do this (approve without being an approver, approve their own task)."""


class Conflict(StoreError):
    """Someone else got there first (a second approver after the decision was made)."""
