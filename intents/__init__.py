"""Chat text → what the person means: a pipeline of normalise → speech act → intent (rules plus a
trained classifier) → task reference → chat context, behind `Understander.understand`; and
`Matcher.match`, the bot's view of it as an `Intent`."""

from intents.catalog import CATALOG, IntentSpec, spec
from intents.classifier import IntentClassifier
from intents.context import ConversationContext
from intents.matcher import Matcher, intent_for_bot
from intents.normalise import Normalised, normalise
from intents.speech_act import ACTS, SpeechAct, classify_act
from intents.trained import default_classifier, warm_up
from intents.types import (
    ACTIVE_STATUSES,
    FINISHED_STATUSES,
    INTENT_NAMES,
    STATE_CHANGING,
    Intent,
    IntentError,
    TaskRef,
    UnknownIntentError,
)
from intents.understand import Understander
from intents.understanding import Understanding, bot_name

__all__ = [
    "ACTIVE_STATUSES",
    "ACTS",
    "CATALOG",
    "FINISHED_STATUSES",
    "INTENT_NAMES",
    "STATE_CHANGING",
    "ConversationContext",
    "Intent",
    "IntentClassifier",
    "IntentError",
    "IntentSpec",
    "Matcher",
    "Normalised",
    "SpeechAct",
    "TaskRef",
    "Understander",
    "Understanding",
    "UnknownIntentError",
    "bot_name",
    "classify_act",
    "default_classifier",
    "intent_for_bot",
    "normalise",
    "spec",
    "warm_up",
]
