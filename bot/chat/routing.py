"""The dialogue policy at work: every understood message is acted on, confirmed, explained,
clarified or answered with a short help (`bot.chat.policy.decide` says which), and confirmations
wait for a "yes" or "no" from the same person in the same chat.

A state-changing intent acts at once only when it is a confident command or stated wish about one
task the person may steer, and nothing negates it; a question about it explains what it would do
and who may, with a button to do it; "please don't pause it" does nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.chat.policy import decide
from bot.chat.turn import CONTROL_INTENTS, PENDING_TTL_SECONDS, Asked, Turn
from bot.chat.words import pending_approval, title_of
from bot.notify.preferences import describe_settings, parse_settings
from bot.replies import (
    ACTION_LABELS,
    confirm_reply,
    did_you_mean_reply,
    explain_reply,
    failed_step_order,
    refusal_reply,
    short_help_reply,
    wont_reply,
)
from bot.steering.permissions import can_control, can_see, is_approver
from bot.types import Answer, Button, Reply
from intents import STATE_CHANGING, Intent, Understanding, spec
from store.errors import NotFound
from store.shapes import SnapshotShape

__all__ = ["SETTINGS_INTENTS", "Dialogue"]

logger = logging.getLogger(__name__)

SETTINGS_INTENTS = frozenset({"notify_settings", "notify_channel"})
_ASK_FIRST = frozenset({"cancel", "restart", "skip_step"})
_APPROVALS = frozenset({"approve", "reject"})


class Dialogue:
    """Routes understandings for a `ChatBot` (passed in; this module never imports the brain)."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot

    @property
    def services(self) -> Any:
        return self.bot.services

    # ------------------------------------------------------------------ routing

    async def route(self, turn: Turn, u: Understanding) -> Answer:
        bot = self.bot
        if u.intent == "notify_settings" and parse_settings(u.argument or "").is_empty:
            return await bot._run(turn, u.to_intent())  # only shows the settings
        # Only a change needs the task itself here (who may steer it); answers load it later.
        changes = u.intent in STATE_CHANGING
        snap = await self._snapshot(turn, u.task_id) if changes else None
        may_steer = self._may_steer(turn, u.intent, snap)
        d = decide(u, may_steer=may_steer)
        logger.debug("%r → %s %s (%s)", u.normalised, d.outcome, d.intent, d.reason)
        if d.outcome == "act":
            return await bot._run(turn, u.to_intent())
        if d.outcome == "help":
            return Answer("unknown", None, short_help_reply())
        if d.outcome == "clarify":
            if d.reason.startswith("which task"):
                return Answer(u.intent, None, await bot._no_task(turn, u.to_intent()))
            if u.intent == "unknown" and not d.alternatives:
                text = "What should I do instead? Say it again with the task's name."
                return Answer("unknown", None, Reply(text=text, kind="question"))
            return Answer(u.intent, u.task_id, self._did_you_mean(u, d.alternatives))
        if d.outcome == "explain":
            return Answer(u.intent, u.task_id, await self._explain(turn, u, snap, d.reason))
        return Answer(u.intent, u.task_id, await self._confirm(turn, u, snap))

    async def _snapshot(self, turn: Turn, task_id: str | None) -> SnapshotShape | None:
        if task_id is None:
            return None
        try:
            snap: SnapshotShape = await self.services.progress.snapshot(
                task_id, version=turn.version(task_id)
            )
        except NotFound:
            return None
        if turn.visible(task_id) or can_see(self.services.directory, turn.person, snap):
            return snap
        return None

    def _may_steer(self, turn: Turn, intent: str, snap: SnapshotShape | None) -> bool:
        if snap is None:
            return True  # nothing to steer yet: the handler says what is missing
        directory = self.services.directory
        if intent in CONTROL_INTENTS:
            return can_control(directory, turn.person, snap)
        if intent in _APPROVALS:
            return is_approver(directory, turn.person, snap)
        return True  # mute, unmute, subscribe: anyone who follows it, in their own chat

    # ------------------------------------------------------------------ outcomes

    def _did_you_mean(self, u: Understanding, alternatives: tuple[str, ...]) -> Reply:
        buttons = []
        for name in alternatives[:3]:
            label = ACTION_LABELS.get(name)
            if label is None:
                continue
            if spec(name).needs_task and u.task_id is not None:
                buttons.append(Button(label, "choose", u.task_id, name))
            else:
                buttons.append(Button(label, "ask", None, name))
        return did_you_mean_reply(buttons) if buttons else short_help_reply()

    async def _explain(
        self, turn: Turn, u: Understanding, snap: SnapshotShape | None, reason: str
    ) -> Reply:
        bot, intent = self.bot, u.intent
        if u.negated and u.act not in ("question", "hypothetical", "report"):
            return wont_reply(intent, snap)
        if reason == "not a task this person may steer" and snap is not None:
            return await bot._on_task(turn, u.to_intent())  # its handler refuses, saying why
        if intent in SETTINGS_INTENTS:
            return self._confirm_settings(turn, u)
        if snap is None:
            what = ACTION_LABELS.get(intent, intent).lower()
            return Reply(
                text=f"I can {what} a task for its owner or their team (approvals: for its "
                "approvers). Name the task and I'll tell you what it would do and whether you may."
            )
        directory = self.services.directory
        task_id = snap["task_id"]
        button: Button | None = None
        if intent in _APPROVALS:
            approval = pending_approval(snap)
            if approval is None:
                return refusal_reply(f"Nothing of {title_of(snap)} is waiting for approval.")
            names = ", ".join(_display(self.services, a) for a in approval.get("approvers") or [])
            who = f"Its approvers ({names or 'none named'})"
            you_may = is_approver(directory, turn.person, snap)
            button = Button(ACTION_LABELS[intent], intent, task_id, str(approval["id"]))
        elif intent in CONTROL_INTENTS:
            owner = snap.get("owner")
            team = snap.get("team")
            who = "Its owner" + (f" {_display(self.services, owner)}" if owner else "")
            who += f" or the {team} team" if team else ""
            you_may = can_control(directory, turn.person, snap)
            arg = str(u.step) if u.step is not None else None
            button = Button(ACTION_LABELS[intent], intent, task_id, arg)
        else:
            who, you_may = "Anyone who follows it, in their own chat,", True
            button = Button(ACTION_LABELS.get(intent, "Do it"), intent, task_id)
        return explain_reply(intent, snap, who=who, you_may=you_may, button=button)

    async def _confirm(self, turn: Turn, u: Understanding, snap: SnapshotShape | None) -> Reply:
        bot, intent = self.bot, u.intent
        if intent in SETTINGS_INTENTS:
            return self._confirm_settings(turn, u)
        if snap is None:
            return await bot._run(turn, u.to_intent())  # no task in view: the handler says so
        bot.context.remember(turn.chat_key, snap["task_id"], bot._now())
        if intent in _ASK_FIRST:
            reply: Reply = await bot._ask_first(turn, u.to_intent(), snap)
            return reply
        refusal = self._precheck(turn, intent, snap)
        if refusal is not None:
            return refusal
        step = u.step
        if intent in _APPROVALS:
            step = (pending_approval(snap) or {}).get("step")
        if intent == "retry_step" and step is None:
            step = failed_step_order(snap)
        return confirm_reply(
            intent, snap, step=step, label=ACTION_LABELS.get(intent, "Yes"), style="primary"
        )

    def _precheck(self, turn: Turn, intent: str, snap: SnapshotShape) -> Reply | None:
        """What makes the action impossible now, said before asking whether to do it."""
        bot, title, status = self.bot, title_of(snap), snap["status"]
        if intent in CONTROL_INTENTS:
            refusal: Reply | None = bot._control_refusal(turn, snap, _verb(intent))
            if refusal is not None:
                return refusal
        if intent == "pause" and status not in ("pending", "running"):
            return refusal_reply(f"{title} is {status}; only a running task can be paused.")
        if intent == "resume" and status != "paused":
            return refusal_reply(f"{title} is {status}, not paused, so there is nothing to resume.")
        if intent in _APPROVALS:
            if pending_approval(snap) is None:
                return refusal_reply(f"Nothing of {title} is waiting for approval.")
            if not is_approver(self.services.directory, turn.person, snap):
                return refusal_reply(
                    f"You're not an approver of {title}, so you can't {_verb(intent)} it."
                )
        return None

    def _confirm_settings(self, turn: Turn, u: Understanding) -> Reply:
        bot = self.bot
        if u.intent == "notify_channel":
            where = (u.argument or "").replace("all", "everywhere") or "somewhere else"
            text = f"Send your updates {where} from now on?"
        else:
            change = parse_settings(u.argument or "")
            text = (
                "Change your notification settings to this?\n"
                + describe_settings(
                    change.changes, where="for you" if change.scope == "person" else "for this chat"
                )
                .split("\n", 1)[1]
                .rsplit("\n", 1)[0]
            )
        bot._confirms[(turn.chat_key, turn.person)] = Asked(
            u.intent, None, u.argument, None, bot._now() + PENDING_TTL_SECONDS
        )
        return Reply(
            text=text,
            kind="question",
            buttons=[Button("Yes", "yes", None, None, "primary"), Button("No", "dismiss")],
        )

    # ------------------------------------------------------------------ yes and no

    def remember_confirmation(self, turn: Turn, reply: Reply, u: Understanding | None) -> None:
        """A question with a Yes button waits for "yes" or "no" from this person in this chat."""
        if reply.kind != "question":
            return
        yes = next((b for b in reply.buttons if b.action == "confirm"), None)
        if yes is None or yes.task_id is None:
            return
        name, _, step_text = (yes.arg or "").partition(":")
        self.bot._confirms[(turn.chat_key, turn.person)] = Asked(
            name,
            yes.task_id,
            u.argument if u is not None and u.intent == name else None,
            None,
            self.bot._now() + PENDING_TTL_SECONDS,
            int(step_text) if step_text.isdigit() else None,
        )

    async def confirmed(self, turn: Turn, asked: Asked) -> Answer:
        """Do what a "yes" agreed to, checking every right again."""
        bot = self.bot
        if asked.intent in SETTINGS_INTENTS:
            return await bot._run(turn, _intent(asked))
        if asked.task_id is None:
            return Answer(asked.intent, None, refusal_reply("That question has expired."))
        reply = await bot._confirmed(turn, asked.intent, asked.task_id, asked.step, asked.argument)
        return Answer(asked.intent, asked.task_id, reply)


def _intent(asked: Asked) -> Intent:
    return Intent(asked.intent, task_id=asked.task_id, step=asked.step, argument=asked.argument)


def _verb(intent: str) -> str:
    return {"retry_step": "retry a step of", "skip_step": "skip a step of"}.get(intent, intent)


def _display(services: Any, name: str) -> str:
    directory = services.directory
    return str(directory.display_name(name)) if directory.exists(name) else f"the {name} team"
