"""Understand one message in a fresh chat over a test file's own tasks, and ask the policy
whether it would change something at once: what the understanding tests share."""

from __future__ import annotations

from collections.abc import Sequence

from bot.chat.policy import decide
from intents import STATE_CHANGING, ConversationContext, TaskRef, Understander, Understanding


def understand_over(
    tasks: Sequence[TaskRef],
    text: str,
    *,
    context_task: str | None = None,
    context_intent: str | None = None,
) -> Understanding:
    """`text` understood in a chat that has just been about `context_task` (and
    `context_intent`), if given."""
    understander = Understander(context=ConversationContext())
    if context_task is not None:
        understander.context.remember("chat", context_task, now=1000.0)
    if context_intent is not None:
        understander.context.remember_intent("chat", context_intent, now=1000.0)
    return understander.understand(text, list(tasks), chat_key="chat", now=1001.0)


def acts_at_once(u: Understanding) -> bool:
    """Would the bot change something without asking first?"""
    decision = decide(u)
    return decision.outcome == "act" and decision.intent in STATE_CHANGING


def check_reading(
    tasks: Sequence[TaskRef],
    text: str,
    intent: str,
    task: str | None,
    act: str,
    outcome: str,
    *,
    context_task: str | None = None,
    context_intent: str | None = None,
) -> Understanding:
    """`text` over `tasks` (in a chat just about `context_task` and `context_intent`, if given)
    reads as `intent` on `task` with speech act `act`, and the policy's outcome for it is
    `outcome`; returns the reading for further checks."""
    u = understand_over(tasks, text, context_task=context_task, context_intent=context_intent)
    assert (u.intent, u.task_id, u.act, decide(u).outcome) == (intent, task, act, outcome), u
    return u
