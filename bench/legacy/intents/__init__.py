"""Chat text → `Intent`: rules, the intent catalog, task-reference resolution, chat context."""

from intents.catalog import CATALOG, IntentSpec, spec
from intents.context import ConversationContext
from intents.matcher import Matcher
from intents.types import (
    ACTIVE_STATUSES,
    INTENT_NAMES,
    Intent,
    IntentError,
    TaskRef,
    UnknownIntentError,
)

__all__ = [
    "ACTIVE_STATUSES",
    "CATALOG",
    "INTENT_NAMES",
    "ConversationContext",
    "Intent",
    "IntentError",
    "IntentSpec",
    "Matcher",
    "TaskRef",
    "UnknownIntentError",
    "spec",
]
