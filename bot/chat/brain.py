"""The chat brain: a `Message` or a button press in, an `Answer` (intent, task, `Reply`) out.

Every channel (console, Slack, Telegram, the `/api/chat` route, Rasa) hands its events here. The
intents package reads the words; this module decides what that means for the person asking:
which tasks they may name, whether they may steer the one they named, whether to ask before a
destructive command, and what to say back. It never formats for a platform.

Nothing here is ever silent and nothing escapes as a traceback: a failing handler is logged and
the person gets a short apology.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.chat import questions
from bot.chat.chat_settings import ChatSettings
from bot.chat.dialogue import is_command, is_no, is_yes, said
from bot.chat.private_link import asked_for_link, open_link
from bot.chat.refs import TaskRefs
from bot.chat.routing import Dialogue
from bot.chat.turn import CONTROL_INTENTS, PENDING_TTL_SECONDS, Asked, TaskHandler, Turn
from bot.links import link_for
from bot.replies import (
    apology_reply,
    capabilities_reply,
    choose_task_reply,
    clean_text,
    confirm_reply,
    done_reply,
    eta_reply,
    failed_step_order,
    help_reply,
    logs_reply,
    not_found_reply,
    refusal_reply,
    short_help_reply,
    small_talk_reply,
    status_reply,
    task_list_reply,
    why_failed_reply,
)
from bot.steering.controls import steer
from bot.steering.permissions import can_control, can_see, is_approver
from bot.types import Action, Answer, Message, Reply, Target
from intents import (
    CATALOG,
    INTENT_NAMES,
    ConversationContext,
    Intent,
    Understander,
    Understanding,
    warm_up,
)
from store.errors import Conflict, Forbidden, InvalidTransition, NotFound
from store.shapes import ACTIVE_TASK_STATES, SnapshotShape

if TYPE_CHECKING:
    from bot.services import Services
from bot.chat.words import (
    as_shapes,
    duration_of,
    empty_reply,
    pending_approval,
    status_phrase,
    step_named,
    step_problem,
    title_of,
    verb_of,
)

__all__ = [
    "DEFAULT_MUTE",
    "PENDING_TTL_SECONDS",
    "REASON_QUESTION",
    "ChatBot",
    "TaskHandler",
    "logger",
]


logger = logging.getLogger(__name__)

DEFAULT_MUTE = timedelta(hours=1)
REASON_QUESTION = "Why are you rejecting {what}? Reply with the reason."
_NEVER_MIND = frozenset(
    {
        "never mind",
        "nevermind",
        "forget it",
        "no",
        "nope",
        "stop",
        "dismiss",
        "cancel",
        "cancel that",
    }
)
_LIST_FILTERS: dict[str, frozenset[str]] = {
    "running": frozenset({"running"}),
    "active": ACTIVE_TASK_STATES,
    "failed": frozenset({"failed"}),
    "paused": frozenset({"paused"}),
    "pending": frozenset({"pending"}),
    "completed": frozenset({"completed"}),
    "finished": frozenset({"completed"}),
    "done": frozenset({"completed"}),
    "cancelled": frozenset({"cancelled"}),
    "canceled": frozenset({"cancelled"}),
}


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ChatBot:
    """Answers chat messages and button presses for every channel."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.context = ConversationContext()
        # One index per distinct list of tasks people may name; many people chat at once.
        self.understander = Understander(context=self.context, index_cache_size=64)
        self._task_refs = TaskRefs()  # one TaskRef per task version: an unchanged list is reused
        # The classifier trains at first use; start now, while nobody is asking yet.
        warm_up()
        # (chat key, person) -> the reject reason we asked for
        self._reasons: dict[tuple[str, str], Asked] = {}
        # (chat key, person) -> the confirmation we asked for, answered by "yes" or "no"
        self._confirms: dict[tuple[str, str], Asked] = {}
        # (chat key, person, intent) -> the argument a "which task?" choice must carry on
        self._choices: dict[tuple[str, str, str], Asked] = {}
        self._task_handlers: dict[str, TaskHandler] = {
            "status": self._status,
            "logs": self._logs,
            "why_failed": self._why_failed,
            "eta": self._eta,
            "pause": self._pause,
            "resume": self._resume,
            "cancel": self._ask_first,
            "restart": self._ask_first,
            "skip_step": self._ask_first,
            "retry_step": self._retry,
            "approve": self._approve,
            "reject": self._reject,
            "subscribe": self._subscribe,
            "mute": self._mute,
            "unmute": self._unmute,
            "who_approves": self._who_approves,
            "history": self._history,
            "open_link": lambda turn, intent, snap: asked_for_link(services, turn, intent, snap),
        }
        self.dialogue = Dialogue(self)
        self.chat_settings = ChatSettings(services)

    # ------------------------------------------------------------------ entry points

    async def handle_message(self, message: Message) -> Answer:
        """Answer what someone wrote. Never raises."""
        answer = await self.handle_delivery(message, None)
        assert answer is not None  # only a delivery seen before goes unanswered
        return answer

    async def handle_delivery(
        self, message: Message, first: asyncio.Future[bool] | None
    ) -> Answer | None:
        """Answer what someone wrote, unless `first` (recording a platform delivery, None for
        none) answers False: None then. It runs alongside the read of the tasks the person may
        name, and nothing that changes anything happens before it has answered True. Never
        raises."""
        try:
            answer = await self._message(message, first)
        except Exception:
            logger.exception("chat handler failed on a %s message", message.target.platform)
            if first is not None and not await first:
                return None  # even an apology goes out once
            answer = Answer("unknown", None, apology_reply())
        if answer is not None and message.target.platform != "api":  # the API counts its own
            try:
                self.services.metrics.chat_messages.labels(
                    message.target.platform, answer.intent
                ).inc()
            except Exception:
                logger.exception("counting a chat message failed")
        return answer

    async def handle_action(self, action: Action) -> Answer:
        """Answer a button press. Every press is authorized again. Never raises."""
        try:
            return await self._action(action)
        except Exception:
            logger.exception("chat action %s failed", action.action)
            return Answer(action.action, action.task_id, apology_reply())

    # ------------------------------------------------------------------ messages

    async def _message(self, message: Message, first: asyncio.Future[bool] | None) -> Answer | None:
        person = self._person(message.person, message.target.platform, message.platform_user)
        text = message.text if isinstance(message.text, str) else ""
        readable = _CONTROL.sub(" ", text).strip()
        if person is None or not readable:
            if first is not None and not await first:
                return None
            if person is None:
                reply = self._not_set_up(message.target, message.platform_user)
                return Answer("unknown", None, reply)
            return Answer("unknown", None, empty_reply())
        reading = self._turn(person, message.target, message.via, message.platform_user)
        if first is None:
            turn = await reading
        else:
            # Two trips to the store at once: both are needed, and only the second decides.
            read, new = await asyncio.gather(reading, first, return_exceptions=True)
            if new is not True:
                return None  # seen before (or it could not be recorded): not answered again
            if isinstance(read, BaseException):
                raise read
            turn = read
        key = (turn.chat_key, person)

        confirming = self._take(self._confirms, key)  # a confirmation answers the next message
        if confirming is not None and is_yes(readable):
            return await self.dialogue.confirmed(turn, confirming)
        if confirming is not None and is_no(readable):
            reply = done_reply("OK, nothing changed.")
            return Answer(confirming.intent, confirming.task_id, reply)

        u: Understanding | None = None
        asked = self._take(self._reasons, key)
        if asked is not None:
            if said(readable) in _NEVER_MIND:
                return Answer("reject", asked.task_id, done_reply("OK, I won't reject it."))
            u = self._understand(turn, text)
            if not is_command(u):  # a command is not a reason: do it, and drop the question
                return await self._answer_reason(turn, asked, readable)
        u = u or self._understand(turn, text)
        answer = await self.dialogue.route(turn, u)
        self.dialogue.remember_confirmation(turn, answer.reply, u)
        return answer

    def _understand(self, turn: Turn, text: str) -> Understanding:
        return self.understander.understand(
            text,
            self._task_refs.of(turn.tasks),
            chat_key=turn.chat_key,
            now=self._now(),
            person=turn.person,
        )

    async def _run(self, turn: Turn, intent: Intent) -> Answer:
        name = intent.name
        if name == "help":
            return Answer(name, None, self._help())
        if name in ("greeting", "thanks"):
            return Answer(name, None, small_talk_reply(name))
        if name == "list_tasks":
            return Answer(name, None, self._task_list(turn, intent.argument))
        if name == "notify_settings":
            return Answer(name, None, await self.chat_settings.answer(turn, intent.argument or ""))
        if name == "notify_channel":
            reply = await questions.notify_channel(self.services, turn, intent.argument)
            return Answer(name, None, reply)
        if name == "capabilities":
            return Answer(name, None, capabilities_reply())
        if name == "waiting_on_me":
            return Answer(name, None, await questions.waiting_on_me(self.services, turn))
        handler = self._task_handlers.get(name)
        if handler is None:
            return Answer("unknown", None, short_help_reply())

        if intent.task_id is None:
            return Answer(name, None, await self._no_task(turn, intent))
        return Answer(name, intent.task_id, await self._on_task(turn, intent))

    async def _on_task(self, turn: Turn, intent: Intent) -> Reply:
        assert intent.task_id is not None
        try:
            snap = await self.services.progress.snapshot(
                intent.task_id, version=turn.version(intent.task_id)
            )
        except NotFound:
            self.context.forget(turn.chat_key)
            return refusal_reply("That task no longer exists.")
        if not (turn.visible(intent.task_id) or can_see(self._dir, turn.person, snap)):
            return refusal_reply("That task is not one you can follow.")
        self.context.remember(turn.chat_key, intent.task_id, self._now())
        return await self._task_handlers[intent.name](turn, intent, snap)

    async def _no_task(self, turn: Turn, intent: Intent) -> Reply:
        if intent.resolution == "ambiguous" and intent.candidates:
            snaps = [t for c in intent.candidates for t in turn.tasks if t["task_id"] == c]
            going = [t for t in snaps if t["status"] in ACTIVE_TASK_STATES]
            snaps = going or snaps  # finished tasks drop out of a choice unless all are
            if intent.argument is not None:
                self._choices[(turn.chat_key, turn.person, intent.name)] = Asked(
                    intent.name, None, intent.argument, None, self._now() + PENDING_TTL_SECONDS
                )
            return choose_task_reply(intent.name, as_shapes(snaps), step=intent.step)
        active = [t for t in turn.tasks if t["status"] in ACTIVE_TASK_STATES]
        if intent.resolution == "not_found":
            return not_found_reply(intent.task_query, as_shapes(active))
        if not turn.tasks:
            return Reply(
                text="You have no tasks I can show you yet. "
                "When a task that is yours, your team's, or this chat's starts, ask me again."
            )
        if not active:
            recent = turn.tasks[:5]
            reply = choose_task_reply(intent.name, as_shapes(recent), step=intent.step)
            reply.text = (
                "You have no active tasks right now. Did you mean one of these?\n"
                + (reply.text.partition("\n")[2])
            )
            return reply
        return not_found_reply(None, as_shapes(active))

    # ------------------------------------------------------------------ task handlers

    async def _status(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        return status_reply(
            snap, view_url=self._view_url(snap["task_id"], turn.person, turn.target)
        )

    async def _logs(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        logs = await self.services.queries.logs(snap["task_id"], limit=200)
        return logs_reply(snap, logs)

    async def _why_failed(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        logs = await self.services.queries.logs(snap["task_id"], limit=200)
        return why_failed_reply(snap, logs)

    async def _eta(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        return eta_reply(snap)

    async def _who_approves(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        return await questions.who_approves(self.services, turn, intent, snap)

    async def _history(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        return await questions.history(self.services, turn, intent, snap)

    async def _pause(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        refusal = self._control_refusal(turn, snap, "pause")
        if refusal is not None:
            return refusal
        title = title_of(snap)
        if snap["status"] == "paused":
            return refusal_reply(f"{title} is already paused. Say “resume” to continue it.")
        if snap["status"] not in ("pending", "running"):
            return refusal_reply(
                f"{title} is {status_phrase(snap['status'])}; only a running task can be paused."
            )
        return await self._control(turn, snap, "pause", f"⏸ Paused {title}.")

    async def _resume(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        refusal = self._control_refusal(turn, snap, "resume")
        if refusal is not None:
            return refusal
        title = title_of(snap)
        if snap["status"] != "paused":
            return refusal_reply(
                f"{title} is {status_phrase(snap['status'])}, not paused, "
                "so there is nothing to resume."
            )
        return await self._control(turn, snap, "resume", f"▶️ Resumed {title}.")

    async def _ask_first(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        """Cancel, restart and skip change things for good: ask before doing them."""
        refusal = self._control_refusal(turn, snap, verb_of(intent.name))
        if refusal is not None:
            return refusal
        title, status = title_of(snap), snap["status"]
        if intent.name == "cancel" and status in ("completed", "cancelled", "failed"):
            return refusal_reply(
                f"{title} is already {status_phrase(status)}; there is nothing to cancel."
            )
        if intent.name == "restart" and status == "completed":
            return refusal_reply(f"{title} is complete; there is nothing to start over.")
        step = intent.step
        if intent.name == "skip_step":
            step = step if step is not None else step_named(snap, intent.argument)
            step = step if step is not None else failed_step_order(snap)
            if step is None:
                return refusal_reply(f"Which step of {title}? Say “skip step 3”, for example.")
            problem = step_problem(snap, step, ("failed", "pending"), "skipped")
            if problem:
                return refusal_reply(problem)
        return confirm_reply(intent.name, snap, step=step)

    async def _retry(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        refusal = self._control_refusal(turn, snap, "retry a step of")
        if refusal is not None:
            return refusal
        step = intent.step if intent.step is not None else step_named(snap, intent.argument)
        step = step if step is not None else failed_step_order(snap)
        if step is None:
            return refusal_reply(
                f"No step of {title_of(snap)} has failed, so there is nothing to retry."
            )
        problem = step_problem(snap, step, ("failed",), "retried")
        if problem:
            return refusal_reply(problem)
        return await self._step_control(turn, snap, "retry", step)

    async def _approve(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        approval = pending_approval(snap)
        if approval is None:
            return refusal_reply(f"Nothing of {title_of(snap)} is waiting for approval.")
        return await self._decide(turn, snap, int(approval["id"]), "approve", None)

    async def _reject(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        approval = pending_approval(snap)
        if approval is None:
            return refusal_reply(f"Nothing of {title_of(snap)} is waiting for approval.")
        approval_id = int(approval["id"])
        if not intent.argument:
            return self._ask_reason(turn, snap, approval_id)
        return await self._decide(turn, snap, approval_id, "reject", intent.argument)

    async def _subscribe(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        added = await self.services.tracker.subscribe(
            snap["task_id"],
            turn.target.platform,
            turn.target.chat,
            turn.target.thread,
            person=turn.person,
            events=["task_completed", "task_failed"],
        )
        title = title_of(snap)
        if not added:
            return done_reply(f"🔔 This chat already hears about {title}.")
        return done_reply(f"🔔 I'll tell you here when {title} completes or fails.")

    async def _mute(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        length = duration_of(intent.argument, self.services.clock.now()) or DEFAULT_MUTE
        until = self.services.clock.now() + length
        muted = await self.services.tracker.mute(
            snap["task_id"], turn.target.platform, turn.target.chat, turn.target.thread, until=until
        )
        title = title_of(snap)
        if not muted:
            return refusal_reply(
                f"This chat gets no notifications about {title}, so there is nothing to mute."
            )
        return done_reply(
            f"🔕 Muted {title} here until {until:%Y-%m-%d %H:%M} UTC. "
            "Say “unmute” to hear it again."
        )

    async def _unmute(self, turn: Turn, intent: Intent, snap: SnapshotShape) -> Reply:
        unmuted = await self.services.tracker.mute(
            snap["task_id"], turn.target.platform, turn.target.chat, turn.target.thread, until=None
        )
        if not unmuted:
            # "🔔 price list" in a chat that hears nothing of it: turning notifications on
            # there is following it
            return await self._subscribe(turn, intent, snap)
        return done_reply(f"🔔 Notifications about {title_of(snap)} are back on here.")

    # ------------------------------------------------------------------ doing it

    async def _control(self, turn: Turn, snap: SnapshotShape, action: str, said: str) -> Reply:
        task_id = snap["task_id"]
        try:
            shown = await steer(
                self.services, task_id, action, by=turn.person, via=turn.via, origin=turn.origin
            )
        except InvalidTransition:
            fresh = await self.services.progress.snapshot(task_id)
            return refusal_reply(
                f"{title_of(fresh)} is {status_phrase(fresh['status'])}, "
                f"so I can't {action} it now."
            )
        fresh = await self.services.progress.snapshot(shown)
        if action == "restart":
            self.context.remember(turn.chat_key, shown, self._now())
            said = f"🔁 Started {title_of(fresh)} over: attempt {fresh['attempt']}."
        return done_reply(said, fresh, view_url=self._view_url(shown, turn.person, turn.target))

    async def _step_control(self, turn: Turn, snap: SnapshotShape, action: str, step: int) -> Reply:
        task_id, title = snap["task_id"], title_of(snap)
        try:
            await steer(self.services, task_id, action, step=step, by=turn.person, via=turn.via)
        except (InvalidTransition, NotFound):
            fresh = await self.services.progress.snapshot(task_id)
            problem = step_problem(fresh, step, ("failed", "pending"), "changed")
            return refusal_reply(problem or f"I can't {action} Step {step} of {title} now.")
        said = (
            f"🔁 Retrying Step {step} of {title}."
            if action == "retry"
            else (f"⏭ Skipped Step {step} of {title}.")
        )
        fresh = await self.services.progress.snapshot(task_id)
        return done_reply(said, fresh, view_url=self._view_url(task_id, turn.person, turn.target))

    async def _decide(
        self,
        turn: Turn,
        snap: SnapshotShape,
        approval_id: int,
        decision: str,
        reason: str | None,
    ) -> Reply:
        title = title_of(snap)
        if not is_approver(self._dir, turn.person, snap):
            return refusal_reply(f"You're not an approver of {title}, so you can't {decision} it.")
        try:
            result = await self.services.tracker.decide(
                approval_id,
                decision,
                by=turn.person,
                via=turn.via,
                reason=reason,
                origin=turn.origin,
            )
        except Forbidden as exc:
            return refusal_reply(f"You can't {decision} {title}: {exc}.")
        except Conflict:
            return refusal_reply(await self._already_decided(approval_id, turn.person))
        except NotFound:
            return refusal_reply("That approval request no longer exists.")
        fresh = await self.services.progress.snapshot(result.task_id)
        decided: Mapping[str, Any] = fresh.get("approval") or {}
        step = decided.get("step")
        which = f"Step {step} of {title}" if step else title
        if result.status == "approved":
            said = f"✅ Approved {which}. The task continues."
        elif result.status == "rejected":
            said = f"❌ Rejected {which}" + (f": {clean_text(reason)}" if reason else ".")
        else:
            said = f"👍 Your approval of {which} is recorded; it needs more approvers."
        return done_reply(
            said, fresh, view_url=self._view_url(result.task_id, turn.person, turn.target)
        )

    async def _already_decided(self, approval_id: int, person: str) -> str:
        try:
            approval = await self.services.queries.approval(approval_id)
        except NotFound:
            return "That approval request no longer exists."
        status = approval.get("status")
        if status == "pending":
            return "You have already decided on this approval; it is waiting for other approvers."
        by = approval.get("decided_by")
        return f"Already {status}" + (f" by {clean_text(by, 100)}." if by else ".")

    def _ask_reason(self, turn: Turn, snap: SnapshotShape, approval_id: int) -> Reply:
        if not is_approver(self._dir, turn.person, snap):
            return refusal_reply(
                f"You're not an approver of {title_of(snap)}, so you can't reject it."
            )
        self._reasons[(turn.chat_key, turn.person)] = Asked(
            "reject", snap["task_id"], None, approval_id, self._now() + PENDING_TTL_SECONDS
        )
        approval = pending_approval(snap) or {}
        step = approval.get("step")
        what = f"Step {step} of {title_of(snap)}" if step else title_of(snap)
        return Reply(
            text=REASON_QUESTION.format(what=what), kind="question", task_id=snap["task_id"]
        )

    async def _answer_reason(self, turn: Turn, asked: Asked, text: str) -> Answer:
        if text.lower().strip(" .!") in _NEVER_MIND:
            return Answer("reject", asked.task_id, done_reply("OK, I won't reject it."))
        assert asked.task_id is not None and asked.approval_id is not None
        snap = await self.services.progress.snapshot(asked.task_id)
        reply = await self._decide(turn, snap, asked.approval_id, "reject", text)
        return Answer("reject", asked.task_id, reply)

    # ------------------------------------------------------------------ buttons

    async def _action(self, action: Action) -> Answer:
        person = self._person(action.person, action.target.platform, action.platform_user)
        if person is None:
            return Answer(
                action.action, None, self._not_set_up(action.target, action.platform_user)
            )
        name = action.action
        key = (action.target.key(), person)
        confirming = self._take(self._confirms, key)  # any press answers an open confirmation
        if name == "dismiss":
            self._reasons.pop(key, None)
            return Answer("dismiss", action.task_id, done_reply("OK, nothing changed."))
        if name == "open":
            if not action.task_id:
                return Answer("open", None, Reply(text="Open the link in your browser."))
            reply = await open_link(
                self.services, person, action.target, action.task_id, user=action.platform_user
            )
            return Answer("open", action.task_id, reply)
        turn = await self._turn(person, action.target, action.via, action.platform_user)

        if name == "yes":
            if confirming is None:
                return Answer(name, None, refusal_reply("That question has expired; ask again."))
            return await self.dialogue.confirmed(turn, confirming)
        if name == "ask":  # a "Did you mean …?" or help button: as if the person had said it
            if not action.arg or action.arg not in INTENT_NAMES or action.arg == "unknown":
                return Answer(name, None, refusal_reply("That button no longer works."))
            return await self._run(turn, Intent(action.arg, task_id=action.task_id))
        if name in ("approve", "reject"):
            return await self._decision_button(turn, action)
        if name in ("confirm", "choose"):
            intent_name, _, step_text = (action.arg or "").partition(":")
        else:
            intent_name, step_text = name, action.arg or ""
        step = int(step_text) if step_text.isdigit() else None
        if intent_name not in self._task_handlers or not action.task_id:
            return Answer(name, action.task_id, refusal_reply("That button no longer works."))

        if name == "choose":
            kept = self._take(self._choices, (turn.chat_key, person, intent_name))
            intent = Intent(
                intent_name,
                task_id=action.task_id,
                resolution="named",
                step=step,
                argument=kept.argument if kept else None,
            )
            return Answer(intent_name, action.task_id, await self._on_task(turn, intent))
        if name == "confirm" or intent_name in ("retry_step", "skip_step"):
            reply = await self._confirmed(turn, intent_name, action.task_id, step)
            return Answer(intent_name, action.task_id, reply)
        intent = Intent(intent_name, task_id=action.task_id, resolution="named", step=step)
        return Answer(intent_name, action.task_id, await self._on_task(turn, intent))

    async def _confirmed(
        self, turn: Turn, name: str, task_id: str, step: int | None, argument: str | None = None
    ) -> Reply:
        """Do what a Yes (or a Retry/Skip button) asked for, checking the rights again."""
        try:
            snap = await self.services.progress.snapshot(task_id)
        except NotFound:
            return refusal_reply("That task no longer exists.")
        if name in CONTROL_INTENTS:
            refusal = self._control_refusal(turn, snap, verb_of(name))
            if refusal is not None:
                return refusal
        elif not (turn.visible(task_id) or can_see(self._dir, turn.person, snap)):
            return refusal_reply("That task is not one you can follow.")
        self.context.remember(turn.chat_key, task_id, self._now())
        title = title_of(snap)
        if name == "cancel":
            return await self._control(turn, snap, "cancel", f"🛑 Cancelled {title}.")
        if name == "restart":
            return await self._control(turn, snap, "restart", "")
        if name in ("skip_step", "retry_step"):
            order = step if step is not None else failed_step_order(snap)
            if order is None:
                return refusal_reply(f"Which step of {title}? The button did not say.")
            return await self._step_control(turn, snap, name.removesuffix("_step"), order)
        intent = Intent(name, task_id=task_id, resolution="named", step=step, argument=argument)
        return await self._task_handlers[name](turn, intent, snap)

    async def _decision_button(self, turn: Turn, action: Action) -> Answer:
        name = action.action
        approval_id = int(action.arg) if action.arg and action.arg.isdigit() else None
        if approval_id is None:
            return Answer(name, action.task_id, refusal_reply("That button no longer works."))
        try:
            approval = await self.services.queries.approval(approval_id)
            snap = await self.services.progress.snapshot(approval["task_id"])
        except NotFound:
            return Answer(
                name, action.task_id, refusal_reply("That approval request no longer exists.")
            )
        task_id = snap["task_id"]
        self.context.remember(turn.chat_key, task_id, self._now())
        if name == "reject" and not (action.text or "").strip():
            return Answer(name, task_id, self._ask_reason(turn, snap, approval_id))
        reason = action.text.strip() if name == "reject" and action.text else None
        return Answer(name, task_id, await self._decide(turn, snap, approval_id, name, reason))

    # ------------------------------------------------------------------ helpers

    @property
    def _dir(self) -> Any:
        return self.services.directory

    def _now(self) -> float:
        return self.services.clock.time()

    def _person(self, person: str | None, platform: str, platform_user: str) -> str | None:
        if person is not None:
            return person if self.services.directory.exists(person) else None
        return self.services.directory.person_for(platform, platform_user)

    async def _turn(
        self, person: str, target: Target, via: str | None = None, user: str | None = None
    ) -> Turn:
        # One indexed query: their tasks, their teams', this chat's, and those waiting on them.
        tasks = await self.services.queries.nameable_tasks(
            person,
            teams=sorted(self.services.directory.teams_of(person)),
            chat=(target.platform, target.chat),
        )
        return Turn(person, target, tasks, via, user)

    def _take(self, store: dict[Any, Asked], key: Any) -> Asked | None:
        asked = store.pop(key, None)
        if asked is None or asked.expires_at < self._now():
            return None
        return asked

    def _control_refusal(self, turn: Turn, snap: SnapshotShape, verb: str) -> Reply | None:
        if can_control(self._dir, turn.person, snap):
            return None
        owner = snap.get("owner")
        whose = f"{self.services.directory.display_name(owner)}'s" if owner else "someone else's"
        return refusal_reply(
            f"You can't {verb} {title_of(snap)}: it is {whose} task. "
            "Only its owner or their team can steer it."
        )

    def _view_url(self, task_id: str | None, person: str, target: Target) -> str | None:
        # Where others read too, a read-only view link: a link there must act for nobody.
        if not task_id:
            return None
        try:
            return link_for(
                self.services.config,
                task_id,
                platform=target.platform,
                chat=target.chat,
                person=person,
            )
        except Exception:
            logger.exception("making a link to task %s failed", task_id)
            return None

    def _help(self) -> Reply:
        entries = [
            (s.summary, s.examples[0])
            for s in CATALOG
            if s.examples and s.name not in ("unknown", "greeting", "thanks")
        ]
        return help_reply(entries)

    def _task_list(self, turn: Turn, which: str | None) -> Reply:
        statuses = _LIST_FILTERS.get(which or "")
        tasks = [t for t in turn.tasks if statuses is None or t["status"] in statuses]
        heading = f"Your {which} tasks" if statuses is not None else "Your tasks"
        if not tasks and statuses is not None:
            return Reply(text=f"You have no {which} tasks.")
        return task_list_reply(as_shapes(tasks[:20]), heading=heading)

    def _not_set_up(self, target: Target, platform_user: str) -> Reply:
        who = clean_text(platform_user, 100) or "(unknown)"
        return Reply(
            text=f"Hi! I don't know you yet: your {clean_text(target.platform, 40)} user id "
            f"{who} is not set up. Ask whoever runs Progress Bot to add it under users: "
            "in the config, then I can show you your tasks.",
            kind="error",
        )
