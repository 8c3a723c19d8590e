"""The Telegram channel (python-telegram-bot v22): polling or webhook, HTML, inline approvals."""

from adapters.telegram.adapter import COMMANDS, INVALID_BUTTON, TelegramAdapter, TelegramSetupError
from adapters.telegram.flood import FloodControl
from adapters.telegram.render import CallbackCodec, Decoded, is_public_url, render

__all__ = [
    "COMMANDS",
    "INVALID_BUTTON",
    "CallbackCodec",
    "Decoded",
    "FloodControl",
    "TelegramAdapter",
    "TelegramSetupError",
    "is_public_url",
    "render",
]
