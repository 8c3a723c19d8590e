"""The Rasa channel: a rasa-sdk action server whose custom actions answer through the ChatBot.

A team that already runs a Rasa assistant keeps its own NLU and stories; Rasa calls these custom
actions (`action_task_status`, `action_cancel_task`, ...) over rasa-sdk's webhook, and each one
turns the tracker (sender, `task` entity or slot, `reason`) into the words the chat matcher
understands and hands them to the same `ChatBot` every other channel uses. Permissions,
confirmations and texts are therefore identical to Slack, Telegram and the console.

Buttons come back as Rasa intent payloads (`/progressbot_button{...}`); the assistant routes that
intent to `action_progressbot_button`, which presses the button through `ChatBot.handle_action`.

The server is rasa-sdk's `ActionExecutor` behind an aiohttp route with rasa-sdk's wire format
(`POST /webhook`, `GET /health`, `GET /actions`, the same error bodies and status codes), so the
whole process stays on one asyncio stack instead of bringing up Sanic's worker manager.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import zlib
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from aiohttp import web
from rasa_sdk import Action as RasaAction
from rasa_sdk import Tracker, utils
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from rasa_sdk.interfaces import (
    ActionExecutionRejection,
    ActionMissingDomainException,
    ActionNotFoundException,
)

from adapters.base import AdapterError, ChatCore
from bot.types import Action, Answer, Button, Message, Target

__all__ = [
    "BUTTON_ENTITIES",
    "BUTTON_INTENT",
    "EXECUTOR",
    "IDENTITY_CHANNELS",
    "PLATFORM",
    "ButtonAction",
    "ChatAction",
    "ProgressBotAction",
    "RasaError",
    "TaskAction",
    "build_executor",
    "button_payload",
    "create_action_app",
    "parse_button_payload",
    "render_buttons",
]

logger = logging.getLogger(__name__)

PLATFORM = "rasa"
BUTTON_INTENT = "progressbot_button"
# Entity names a button payload carries. Prefixed so they cannot clash with the entities of the
# assistant we are plugged into (an "action" or "arg" entity is a likely name there).
BUTTON_ENTITIES = ("progressbot_action", "progressbot_task_id", "progressbot_arg")
# Rasa input channels whose sender ids are the user ids `users:` lists for that platform.
IDENTITY_CHANNELS = frozenset({"slack", "telegram"})
# Longest task reference / reason we put into a sentence for the matcher.
_MAX_WORDS = 500
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

EXECUTOR: web.AppKey[ActionExecutor] = web.AppKey("rasa_executor", ActionExecutor)


class RasaError(AdapterError):
    """Root of the Rasa channel's errors."""


# ---------------------------------------------------------------------- pure helpers


def button_payload(button: Button) -> str:
    """The Rasa intent payload a button sends back: `/progressbot_button{"progressbot_action":...}`.

    Absent values are left out rather than sent as null, which Rasa would store as an entity
    with no value.
    """
    values = dict(zip(BUTTON_ENTITIES, (button.action, button.task_id, button.arg), strict=True))
    data = {key: value for key, value in values.items() if value is not None}
    return f"/{BUTTON_INTENT}" + json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def render_buttons(buttons: Sequence[Button]) -> list[dict[str, Any]]:
    """`Reply.buttons` as Rasa buttons. Link buttons carry the URL (as `url` and as `payload`,
    since channels differ in which one they open)."""
    rendered: list[dict[str, Any]] = []
    for button in buttons:
        if button.url:
            rendered.append({"title": button.label, "url": button.url, "payload": button.url})
        else:
            rendered.append({"title": button.label, "payload": button_payload(button)})
    return rendered


def parse_button_payload(text: str | None) -> dict[str, str]:
    """The entities of a `/progressbot_button{...}` text, for assistants that drop the entities
    they do not declare. Anything else gives an empty dict."""
    prefix = f"/{BUTTON_INTENT}"
    if not isinstance(text, str) or not text.startswith(prefix):
        return {}
    try:
        data = json.loads(text[len(prefix) :] or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: str(v) for k, v in data.items() if k in BUTTON_ENTITIES and v is not None}


def _words(value: object) -> str | None:
    """An entity or slot value made safe to put into a sentence; None when empty."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = " ".join(_CONTROL.sub(" ", str(value)).split())[:_MAX_WORDS]
    return text or None


def _entity(tracker: Tracker, name: str) -> str | None:
    for value in tracker.get_latest_entity_values(name):
        words = _words(value)
        if words:
            return words
    return None


def _slot(tracker: Tracker, name: str) -> str | None:
    return _words(tracker.slots.get(name)) if isinstance(tracker.slots, Mapping) else None


# ---------------------------------------------------------------------- the actions


class ProgressBotAction(RasaAction):
    """A Rasa custom action answered by the ChatBot. Subclasses say what to ask it."""

    action_name: ClassVar[str]

    def __init__(self, core: ChatCore) -> None:
        self.core = core

    def name(self) -> str:
        return self.action_name

    @property
    def chat(self) -> ChatCore:
        return self.core

    def person(self, sender_id: str, input_channel: str | None = None) -> str | None:
        """The configured person behind a Rasa sender, or None when they are not set up.

        Rasa's sender id is whatever its input channel says: on its Slack and Telegram channels
        the user id we already map for those platforms. Then a `rasa` identity is tried, then
        the id as a person key of `users:` (a REST front-end that signs its users in).
        """
        if input_channel in IDENTITY_CHANNELS:
            person = self.core.person_for(input_channel, sender_id)
            if person is not None:
                return person
        person = self.core.person_for(PLATFORM, sender_id)
        if person is None and self.core.is_person(sender_id):
            person = sender_id
        return person

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        sender = str(tracker.sender_id or "")
        target = Target(PLATFORM, sender)
        person = self.person(sender, tracker.get_latest_input_channel())
        answer = await self.answer(tracker, target, person)
        reply = answer.reply
        dispatcher.utter_message(text=reply.text, buttons=render_buttons(reply.buttons))
        # A restart answers with the new attempt; later "it" should mean that one.
        task_id = reply.task_id or answer.task_id
        events = [SlotSet("task", task_id)] if task_id else []
        return events + self.more_events(answer)

    async def answer(self, tracker: Tracker, target: Target, person: str | None) -> Answer:
        raise NotImplementedError

    def more_events(self, answer: Answer) -> list[dict[str, Any]]:
        return []

    async def _forget_open_question(self, target: Target, person: str | None) -> None:
        # The ChatBot reads a person's next message as the reason it asked for after a Reject.
        # A Rasa action is an explicit command the assistant already understood, never that
        # reason, so any open question is dropped first (a "No" press, whose reply we discard).
        if person is not None:
            await self.chat.handle_action(
                Action("dismiss", target=target, platform_user=target.chat, person=person)
            )


class TaskAction(ProgressBotAction):
    """A command about one task: the `task` entity of the latest message, else the `task` slot,
    else whatever the chat context means ("it", the only active task)."""

    with_task: ClassVar[str]  # "status of {task}"
    without_task: ClassVar[str]  # "status"

    def text(self, task: str | None, tracker: Tracker) -> str:
        return self.with_task.format(task=task) if task else self.without_task

    async def answer(self, tracker: Tracker, target: Target, person: str | None) -> Answer:
        task = _entity(tracker, "task") or _slot(tracker, "task")
        await self._forget_open_question(target, person)
        message = Message(
            text=self.text(task, tracker),
            target=target,
            platform_user=target.chat,
            person=person,
            raw=tracker.current_state(),
        )
        return await self.chat.handle_message(message)


class TaskStatus(TaskAction):
    action_name = "action_task_status"
    with_task, without_task = "status of {task}", "status"


class TaskLogs(TaskAction):
    action_name = "action_task_logs"
    with_task, without_task = "show logs for {task}", "show logs"


class ListTasks(TaskAction):
    action_name = "action_list_tasks"
    with_task = without_task = "list my tasks"


class PauseTask(TaskAction):
    action_name = "action_pause_task"
    with_task, without_task = "pause {task}", "pause"


class ResumeTask(TaskAction):
    action_name = "action_resume_task"
    with_task, without_task = "resume {task}", "resume"


class CancelTask(TaskAction):
    action_name = "action_cancel_task"
    with_task, without_task = "cancel {task}", "cancel"


class RestartTask(TaskAction):
    action_name = "action_restart_task"
    with_task, without_task = "restart {task}", "restart"


class ApproveStep(TaskAction):
    action_name = "action_approve_step"
    with_task, without_task = "approve {task}", "approve"


class RejectStep(TaskAction):
    """Reject with the `reason` entity or slot; without one the ChatBot asks for it."""

    action_name = "action_reject_step"
    with_task, without_task = "reject {task}", "reject"

    def text(self, task: str | None, tracker: Tracker) -> str:
        reason = _entity(tracker, "reason") or _slot(tracker, "reason")
        said = super().text(task, tracker)
        return f"{said} because {reason}" if reason else said

    def more_events(self, answer: Answer) -> list[dict[str, Any]]:
        # A reason belongs to one rejection; a later Reject must not reuse it.
        return [SlotSet("reason", None)]


class ChatAction(ProgressBotAction):
    """The latest user message, word for word: for a fallback rule, and for the answer to a
    question the ChatBot asked (the reason for a Reject)."""

    action_name = "action_progressbot_chat"

    async def answer(self, tracker: Tracker, target: Target, person: str | None) -> Answer:
        text = tracker.latest_message.get("text") if tracker.latest_message else None
        message = Message(
            text=text if isinstance(text, str) else "",
            target=target,
            platform_user=target.chat,
            person=person,
            raw=tracker.current_state(),
        )
        return await self.chat.handle_message(message)


class ButtonAction(ProgressBotAction):
    """A pressed button (`/progressbot_button{...}`), authorized and done by the ChatBot."""

    action_name = "action_progressbot_button"

    async def answer(self, tracker: Tracker, target: Target, person: str | None) -> Answer:
        values = parse_button_payload(tracker.latest_message.get("text"))
        for name in BUTTON_ENTITIES:
            found = _entity(tracker, name)
            if found:
                values[name] = found
        action_name, task_id, arg = (values.get(name) for name in BUTTON_ENTITIES)
        reason = _entity(tracker, "reason") or _slot(tracker, "reason")
        pressed = Action(
            action=action_name or "",
            target=target,
            platform_user=target.chat,
            person=person,
            task_id=task_id,
            arg=arg,
            text=reason if action_name == "reject" else None,
            raw=tracker.current_state(),
        )
        return await self.chat.handle_action(pressed)

    def more_events(self, answer: Answer) -> list[dict[str, Any]]:
        return [SlotSet("reason", None)] if answer.intent == "reject" else []


ACTIONS: tuple[type[ProgressBotAction], ...] = (
    TaskStatus,
    TaskLogs,
    ListTasks,
    PauseTask,
    ResumeTask,
    CancelTask,
    RestartTask,
    ApproveStep,
    RejectStep,
    ButtonAction,
    ChatAction,
)


def build_executor(core: ChatCore) -> ActionExecutor:
    """A rasa-sdk executor with every Progress Bot action registered over the chat core."""
    executor = ActionExecutor()
    for action_class in ACTIONS:
        executor.register_action(action_class(core))
    return executor


# ---------------------------------------------------------------------- the webhook server


async def _webhook(request: web.Request) -> web.Response:
    """rasa-sdk's `POST /webhook`: the same body, status codes and error shapes as its Sanic app."""
    executor = request.app[EXECUTOR]
    action_call = _action_call(await request.read(), request.headers.get("Content-Encoding"))
    if not isinstance(action_call, dict):
        return web.json_response({"error": "Invalid body request"}, status=400)
    utils.check_version_compatibility(action_call.get("version"))
    try:
        result = await executor.run(action_call)
    except ActionExecutionRejection as exc:
        logger.debug("%s", exc)
        return _error(exc, 400)
    except ActionNotFoundException as exc:
        logger.error("%s", exc)
        return _error(exc, 404)
    except ActionMissingDomainException as exc:
        logger.debug("%s", exc)
        return _error(exc, 449)
    except Exception as exc:
        logger.exception("Rasa action %s failed", action_call.get("next_action"))
        return web.json_response({"error": str(exc), "request_body": action_call}, status=500)
    return web.json_response(result.model_dump() if result else None)


def _action_call(body: bytes, encoding: str | None) -> Any:
    # Rasa compresses large calls with zlib and says "deflate". aiohttp may already have
    # inflated the body, so the bytes as they are come first.
    try:
        return json.loads(body) if body else None
    except ValueError:
        if encoding != "deflate":
            return None
    try:
        return json.loads(zlib.decompress(body))
    except (ValueError, zlib.error):
        return None


def _error(exc: Any, status: int) -> web.Response:
    return web.json_response({"error": exc.message, "action_name": exc.action_name}, status=status)


async def _health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _actions(request: web.Request) -> web.Response:
    names = [item.model_dump() for item in request.app[EXECUTOR].list_actions()]
    return web.json_response(names)


def _require_token(token: str | None) -> Any:
    """Rasa sends the action endpoint's `token` as `?token=`; every call but `/health` needs it."""

    @web.middleware
    async def check(request: web.Request, handler: Any) -> web.StreamResponse:
        if token is not None and request.path != "/health":
            sent = request.query.get("token", "")
            if not hmac.compare_digest(sent.encode(), token.encode()):
                return web.json_response(
                    {"error": "send the action endpoint's token (rasa.token) as ?token="},
                    status=401,
                )
        response: web.StreamResponse = await handler(request)
        return response

    return check


def create_action_app(core: ChatCore, *, token: str | None = None) -> web.Application:
    """The action server as an aiohttp app: `POST /webhook`, `GET /health`, `GET /actions`.

    With `token`, a call without `?token=<token>` answers 401. The wiring adds the store's start
    and stop (`bot.wiring.create_action_app`) and refuses a public address without a token.
    """
    app = web.Application(middlewares=[_require_token(token)])
    app[EXECUTOR] = build_executor(core)
    app.router.add_post("/webhook", _webhook)
    app.router.add_get("/health", _health)
    app.router.add_get("/actions", _actions)
    return app
