"""python-telegram-bot's errors, translated at the adapter boundary into the adapters' own."""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)

from adapters.base import AdapterError, DeliveryError, MessageGone, TargetGone

__all__ = ["TelegramError", "is_not_modified", "is_parse_error", "retry_seconds", "translate"]

# 400 answers that mean the chat (or topic) is gone for good, or the bot may never post there.
_GONE = (
    "chat not found",
    "message thread not found",
    "topic_deleted",
    "topic deleted",
    "group chat was deactivated",
    "user is deactivated",
    "peer_id_invalid",
    "chat_write_forbidden",
    "not enough rights to send",
    "have no rights to send",
)
# 400 answers that mean the message to edit is not there (deleted, too old, not ours).
_MESSAGE_GONE = (
    "message to edit not found",
    "message can't be edited",
    "message_id_invalid",
    "message not found",
)


def retry_seconds(exc: RetryAfter) -> float:
    """The wait a 429 asks for, in seconds, whichever form this PTB version reports it in."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB 22 warns that the int form is deprecated
        value: int | float | timedelta = exc.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)


def is_not_modified(exc: TelegramError) -> bool:
    """An edit that changes nothing: Telegram calls it an error, we call it done."""
    return isinstance(exc, BadRequest) and "message is not modified" in exc.message.lower()


def is_parse_error(exc: TelegramError) -> bool:
    return isinstance(exc, BadRequest) and "can't parse entities" in exc.message.lower()


def translate(exc: TelegramError) -> AdapterError:
    """The adapter error that says what the notifier should do about `exc`."""
    text = exc.message
    lowered = text.lower()
    if isinstance(exc, RetryAfter):
        seconds = retry_seconds(exc)
        return DeliveryError(f"Telegram flood control: retry in {seconds:g} s", retry_after=seconds)
    if isinstance(exc, ChatMigrated):
        return TargetGone(f"the group became supergroup {exc.new_chat_id}")
    if isinstance(exc, Forbidden):
        return TargetGone(text)  # blocked by the user, kicked from the group, ...
    if isinstance(exc, BadRequest):
        if any(marker in lowered for marker in _GONE):
            return TargetGone(text)
        if any(marker in lowered for marker in _MESSAGE_GONE):
            return MessageGone(text)
        return DeliveryError(f"Telegram refused the request: {text}")
    if isinstance(exc, InvalidToken):
        return DeliveryError("Telegram refused the bot token; check telegram.token")
    return DeliveryError(f"Telegram unreachable: {text}")  # TimedOut, NetworkError, 5xx
