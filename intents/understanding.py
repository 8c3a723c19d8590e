"""What a message means: the `Understanding` that `Understander.understand` returns, and the
intent name today's bot handles for each intent (`bot_name`).
"""

from __future__ import annotations

from dataclasses import dataclass

from intents.types import STATE_CHANGING, Intent

__all__ = ["BOT_NAMES", "Understanding", "bot_name", "unknown_understanding"]

# Intent names the bot of today does not handle, and the one it handles them as.
BOT_NAMES: dict[str, str] = {
    "capabilities": "help",
    "notify_channel": "notify_settings",
    "who_approves": "status",
    "history": "status",
    "waiting_on_me": "list_tasks",
}


def bot_name(intent: str) -> str:
    """The intent name `Matcher.match` hands to today's bot for `intent`."""
    return BOT_NAMES.get(intent, intent)


@dataclass(frozen=True, slots=True)
class Understanding:
    """What a message means.

    `act` is the speech act (see `intents.speech_act`), `intent` the intent name, `confidence` its
    calibrated confidence (0..1), `alternatives` the top three (intent, confidence), best first,
    `negated` whether the message asks NOT to do `intent`. Task fields mean what they mean on
    `Intent` (`resolution`: named, context, only_active, one_of_several, waiting_step, ambiguous,
    not_found or none).
    `explicit` is True for a /command or a message whose words named the task.
    """

    text: str
    normalised: str
    act: str
    intent: str
    confidence: float
    alternatives: tuple[tuple[str, float], ...] = ()
    negated: bool = False
    task_id: str | None = None
    task_query: str | None = None
    candidates: tuple[str, ...] = ()
    resolution: str = "none"
    step: int | None = None
    argument: str | None = None
    by_rule: bool = False
    slash_command: bool = False
    names_step: bool = False
    # the task named by a part of its name only, or its words said as another thing's ("the
    # parking ticket"): a change so named is asked about first
    named_in_part: bool = False

    @property
    def state_changing(self) -> bool:
        return self.intent in STATE_CHANGING

    @property
    def explicit(self) -> bool:
        return self.slash_command or self.resolution == "named"

    def to_intent(self, name: str | None = None) -> Intent:
        return Intent(
            name or self.intent,
            task_id=self.task_id,
            task_query=self.task_query,
            candidates=self.candidates,
            resolution=self.resolution,
            step=self.step,
            argument=self.argument,
            confidence=self.confidence,
        )


def unknown_understanding(
    text: str = "", normalised: str = "", act: str = "statement"
) -> Understanding:
    return Understanding(
        text=text, normalised=normalised, act=act, intent="unknown", confidence=0.0
    )
