"""The Slack channel on slack-bolt's AsyncApp: Socket Mode or HTTP in, Block Kit out.

Every request is acknowledged at once, before any database work, and handled afterwards. A
delivery Slack repeats (an HTTP retry with X-Slack-Retry-Num, a replayed Socket Mode envelope)
carries the same `event_id` (or, for interactions, the same `trigger_id`); the handling starts by
recording it in the store (`seen_keys`, scope "slack", one row per key), so of all the copies,
acknowledged alike, only the one that recorded it first is answered, across workers and restarts.

Pushed updates (the notifier's `send`/`edit`) keep one live card per task and channel: notices go
into the card's thread, approvals and failures are broadcast to the channel as well.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.base import Adapter, AdapterError, ChatCore, DeliveryError, SentMessage
from adapters.slack.ratelimit import Pacer, translate
from adapters.slack.render import (
    REASON_BLOCK,
    REASON_INPUT,
    REJECT_CALLBACK,
    decision_blocks,
    decode_value,
    escape,
    home_view,
    reject_modal,
    render,
    text_only,
)
from bot.config import SlackConfig
from bot.types import Action, Message, Reply, Target

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

__all__ = ["EVENTS_PATH", "SlackAdapter", "SlackSetupError"]

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
BROADCAST_EVENTS = frozenset({"approval_requested", "approval_reminder", "task_failed"})
REPLY_RETRIES = 3
MAX_REPLY_WAIT = 30.0  # seconds a person's answer may wait out a 429 before it is dropped
USER_CACHE_SIZE = 10_000
_BOT_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


class SlackSetupError(AdapterError):
    """Slack refused to set the bot up (a wrong token, Socket Mode not enabled)."""


class SlackAdapter(Adapter):
    """Progress Bot on Slack. `add_routes` serves HTTP mode; `start` opens Socket Mode."""

    platform = "slack"
    # Notices go into the thread of the task's card in each channel (the notifier posts the
    # card first when there is none yet).
    notices_in_card_thread = True

    def __init__(self, config: SlackConfig, core: ChatCore, *, pacer: Pacer | None = None) -> None:
        self.core = core
        self.config = config
        token = _secret(self.config.bot_token)
        # No retry handlers: a 429 goes back to the notifier, which waits Retry-After and sends
        # once; a built-in retry here would hide it and could send twice after a timeout.
        self.client = AsyncWebClient(
            token=token,
            base_url=self.config.api_url,
            retry_handlers=[],
            logger=_debug_only_when_asked(logging.getLogger("slack_sdk.web.async_base_client")),
        )
        self.app = AsyncApp(
            name="progressbot",
            client=self.client,
            signing_secret=_secret(self.config.signing_secret),
            process_before_response=False,
            logger=_debug_only_when_asked(logging.getLogger("adapters.slack.bolt")),
        )
        self.pacer = pacer or Pacer()
        self.bot_user_id: str | None = None
        self.team_id: str | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._people: dict[str, str | None] = {}
        # Approval messages whose Reject modal is open, so the submit can mark them decided
        # without reading the channel's history (a scope the app does not ask for).
        self._rejecting: dict[tuple[str, str], dict[str, Any]] = {}
        self._register()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        # One session for every Web API call, so answers reuse open connections to Slack; the
        # SDK alone opens and closes a connection per call.
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        self.client.session = self._session
        try:
            auth = await self.client.auth_test()
        except SlackApiError as exc:
            raise SlackSetupError(f"Slack refused slack.bot_token: {_code(exc)}") from exc
        except Exception as exc:
            raise SlackSetupError(f"Slack is not reachable at slack.api_url: {exc}") from exc
        self.bot_user_id, self.team_id = auth.get("user_id"), auth.get("team_id")
        if self.config.mode == "socket":
            await self._connect_socket()
        logger.info(
            "slack: ready as %s in %s (%s mode)", self.bot_user_id, self.team_id, self.config.mode
        )

    async def _connect_socket(self) -> None:
        from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

        app_token = _secret(self.config.app_token)
        try:
            # Asked here once so a wrong app token fails start-up instead of retrying forever.
            opened = await self.client.apps_connections_open(app_token=app_token)
        except SlackApiError as exc:
            raise SlackSetupError(f"Slack refused slack.app_token: {_code(exc)}") from exc
        handler = AsyncSocketModeHandler(self.app, app_token, web_client=self.client)
        handler.client.wss_uri = opened["url"]
        self._socket = handler
        await handler.connect_async()

    async def stop(self) -> None:
        if self._socket is not None:
            try:
                await self._socket.close_async()
            except Exception:
                logger.exception("slack: closing Socket Mode failed")
            self._socket = None
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            self.client.session = None
            await self._session.close()
            self._session = None

    async def idle(self) -> None:
        """Wait until every request handled so far is finished (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # ------------------------------------------------------------------ receiving

    def add_routes(self, app: web.Application) -> None:
        if self.config.mode == "http":
            app.router.add_post(EVENTS_PATH, self._http_events)

    async def _http_events(self, request: web.Request) -> web.Response:
        bolt_response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    def _register(self) -> None:
        self.app.use(self._gate)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("message")(self._on_message)
        self.app.event("app_home_opened")(self._on_home_opened)
        self.app.command("/progress")(self._on_command)
        self.app.action(re.compile(r"^pb\."))(self._on_button)
        self.app.view(REJECT_CALLBACK)(self._on_reject_submitted)

    async def _gate(self, body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> Any:
        """Refuse other workspaces. Nothing here touches the store: the listener acknowledges
        first, and the handling it spawns asks whether the delivery is new (`_spawn`)."""
        team = _team_of(body)
        if self.config.team_id and team and team != self.config.team_id:
            logger.warning("slack: ignored a request from workspace %s", team)
            return BoltResponse(status=200, body="")
        await next()
        return None

    async def _first_delivery(self, body: dict[str, Any]) -> bool:
        """Remember the delivery's key; False when it was seen before (by this or any other
        worker): a retry or a replay, acknowledged like the first and not handled again."""
        key = _delivery_key(body)
        if key is None or await self.core.first_delivery("slack", key):
            return True
        logger.info("slack: %s delivered again; handled once already", key)
        return False

    def _spawn(
        self, body: dict[str, Any] | None, work: Callable[[], Awaitable[None]], what: str
    ) -> None:
        """Handle a delivery after its ack: once, however often and wherever it arrives. With
        no `body`, `work` records the delivery itself (a message, through `handle_delivery`)."""

        async def run() -> None:
            try:
                if body is None or await self._first_delivery(body):
                    await work()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("slack: handling %s failed", what)

        task = asyncio.create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _on_mention(self, ack: Any, body: dict[str, Any], event: dict[str, Any]) -> None:
        await ack()
        key = _delivery_key(body)
        self._spawn(None, lambda: self._answer_event(event, key, mention=True), "a mention")

    async def _on_message(self, ack: Any, body: dict[str, Any], event: dict[str, Any]) -> None:
        await ack()
        # Only direct messages from people: channel chatter, edits, joins and bots are not ours.
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return
        key = _delivery_key(body)
        self._spawn(None, lambda: self._answer_event(event, key, mention=False), "a DM")

    async def _answer_event(self, event: dict[str, Any], key: str | None, *, mention: bool) -> None:
        user, channel = event.get("user"), event.get("channel")
        if not user or not channel:
            return
        text = self._words(str(event.get("text") or ""))
        thread = event.get("thread_ts")
        target = Target("slack", channel, thread)
        person = await self._person(user)
        message = Message(text, target, user, person, raw=event)
        if key is None:
            answer = await self.core.handle_message(message)
        else:
            delivered = await self.core.handle_delivery(message, "slack", key)
            if delivered is None:
                logger.info("slack: %s delivered again; handled once already", key)
                return
            answer = delivered
        # In a channel the answer goes into the asker's thread; in a DM right below.
        reply_thread = thread or (event.get("ts") if mention else None)
        await self._reply(channel, answer.reply, thread_ts=reply_thread)

    async def _on_command(self, ack: Any, command: dict[str, Any], respond: Any) -> None:
        await ack()
        self._spawn(command, lambda: self._answer_command(command, respond), "/progress")

    async def _answer_command(self, command: dict[str, Any], respond: Any) -> None:
        user, channel = str(command.get("user_id") or ""), str(command.get("channel_id") or "")
        text = self._words(str(command.get("text") or "")) or "help"
        person = await self._person(user)
        answer = await self.core.handle_message(
            Message(text, Target("slack", channel), user, person, raw=command)
        )
        reply = answer.reply
        # A status card is for everyone in the channel; anything else only for the asker.
        visible = answer.intent == "status" and bool(reply.steps) and reply.kind != "error"
        payload = render(reply)
        await respond(
            text=payload["text"],
            blocks=payload["blocks"],
            response_type="in_channel" if visible else "ephemeral",
            replace_original=False,
        )
        if reply.attachment is not None:
            await self._upload_to_user(user, *reply.attachment)

    async def _on_home_opened(self, ack: Any, body: dict[str, Any], event: dict[str, Any]) -> None:
        await ack()
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        self._spawn(body, lambda: self.publish_home(str(event["user"])), "App Home")

    async def publish_home(self, user: str) -> None:
        """Show `user`'s active tasks with their progress on the bot's Home tab."""
        person = await self._person(user)
        if person is None:
            view = home_view(
                [], intro="I don't know you yet: ask whoever runs Progress Bot to add you."
            )
        else:
            tasks = await self.core.active_tasks(person)
            view = home_view(tasks)
        await self.client.views_publish(user_id=user, view=view)

    # ------------------------------------------------------------------ buttons and the modal

    async def _on_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self._spawn(body, lambda: self._press(body, action), "a button")

    async def _press(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        decoded = decode_value(str(action.get("action_id") or ""), action.get("value"))
        if decoded is None or (decoded.action == "open" and action.get("url")):
            return  # a link button: Slack opened the link, there is nothing to do
        user = str((body.get("user") or {}).get("id") or "")
        message = body.get("message") or {}
        container = body.get("container") or {}
        channel = str((body.get("channel") or {}).get("id") or container.get("channel_id") or "")
        message_ts = container.get("message_ts") or message.get("ts")
        thread = message.get("thread_ts") if message.get("thread_ts") != message_ts else None
        target = Target("slack", channel, thread)
        person = await self._person(user)
        if decoded.action in ("approve", "reject") and not await self._same_workspace(
            body, decoded.task_id
        ):
            await self._ephemeral(
                channel, user, _refusal("This task belongs to another workspace.")
            )
            return
        act = Action(
            decoded.action,
            target,
            user,
            person,
            task_id=decoded.task_id,
            arg=decoded.arg,
            raw=body,
        )
        result = await self.core.handle_action(act)
        reply = result.reply
        if reply.kind == "error":  # refused: nothing changed, and only the presser is told why
            await self._ephemeral(channel, user, reply, thread_ts=thread)
            return
        if decoded.action == "reject" and reply.kind == "question":
            meta = {
                "channel": channel,
                "ts": message_ts,
                "thread": thread,
                "task": decoded.task_id,
                "arg": decoded.arg,
            }
            if message_ts:
                if len(self._rejecting) >= USER_CACHE_SIZE:
                    self._rejecting.clear()
                self._rejecting[(channel, str(message_ts))] = message
            await self._ask_reason(body, act, meta, reply)
            return
        if decoded.action in ("approve", "reject"):
            await self._mark_decided(channel, message_ts, message, decoded.arg)
        await self._ephemeral(channel, user, reply, thread_ts=thread)

    async def _ask_reason(
        self, body: dict[str, Any], act: Action, meta: dict[str, Any], question: Reply
    ) -> None:
        try:
            await self.client.views_open(
                trigger_id=str(body.get("trigger_id") or ""),
                view=reject_modal(json.dumps(meta), _title_of(body)),
            )
        except SlackApiError as exc:
            # The trigger expired (3 s): the chat bot's own question asks for a typed reason.
            logger.warning("slack: the reject modal did not open: %s", _code(exc))
            await self._ephemeral(meta["channel"], act.platform_user, question)
            return
        # The modal collects the reason, so the chat must not read the next message as one.
        await self.core.handle_action(
            Action("dismiss", act.target, act.platform_user, act.person, task_id=act.task_id)
        )

    async def _on_reject_submitted(
        self, ack: Any, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        values = (view.get("state") or {}).get("values") or {}
        reason = str(((values.get(REASON_BLOCK) or {}).get(REASON_INPUT) or {}).get("value") or "")
        if not reason.strip():
            await ack(response_action="errors", errors={REASON_BLOCK: "Please say why."})
            return
        await ack()
        self._spawn(
            body, lambda: self._reject_with_reason(body, view, reason.strip()), "a reject reason"
        )

    async def _reject_with_reason(
        self, body: dict[str, Any], view: dict[str, Any], reason: str
    ) -> None:
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            return
        user = str((body.get("user") or {}).get("id") or "")
        channel = str(meta.get("channel") or "")
        if not await self._same_workspace(body, meta.get("task")):
            await self._ephemeral(
                channel, user, _refusal("This task belongs to another workspace.")
            )
            return
        result = await self.core.handle_action(
            Action(
                "reject",
                Target("slack", channel, meta.get("thread")),
                user,
                await self._person(user),
                task_id=meta.get("task"),
                arg=meta.get("arg"),
                text=reason,
                raw=body,
            )
        )
        if result.reply.kind != "error" and meta.get("ts"):
            message = self._rejecting.pop((channel, str(meta["ts"])), None)
            await self._mark_decided(channel, meta["ts"], message, meta.get("arg"))
        await self._ephemeral(channel, user, result.reply, thread_ts=meta.get("thread"))

    async def _mark_decided(
        self, channel: str, ts: str | None, message: dict[str, Any] | None, approval: str | None
    ) -> None:
        """Replace the approval message's buttons with "✅ Approved by @alice"."""
        line = await self._decision_line(approval)
        if line is None or not ts:
            return
        if message is None:
            message = await self._message(channel, ts) or {}
        text = f"{message.get('text') or ''}\n{line}".strip()
        blocks = decision_blocks(message.get("blocks") or [], line)
        try:
            await self.pacer.wait("update", channel)
            await self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except Exception as exc:
            logger.warning("slack: marking the approval message decided failed: %s", exc)

    async def _message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The message as Slack holds it: needs channels:history, so only a fallback."""
        try:
            found = await self.client.conversations_history(
                channel=channel, latest=ts, inclusive=True, limit=1
            )
        except Exception:
            return None
        messages = found.get("messages") or []
        return messages[0] if messages else None

    async def _decision_line(self, approval: str | None) -> str | None:
        """ "✅ Approved by <@U…>" (escaped mrkdwn), or None while the approval still waits."""
        if not approval or not approval.isdigit():
            return None
        data = await self.core.approval(int(approval))
        if data is None:
            return None
        by = data.get("decided_by")
        who = f" by {self._mention(str(by))}" if by else ""
        if data.get("status") == "approved":
            return f"✅ Approved{who}"
        if data.get("status") == "rejected":
            reason = " ".join(str(data.get("reason") or "").split())[:2000]
            return f"❌ Rejected{who}" + (f": {escape(reason)}" if reason else "")
        return None

    def _mention(self, person: str) -> str:
        user = self.core.identity(person, "slack")
        if user:
            return f"<@{user}>"
        return "@" + escape(self.core.display_name(person))

    async def _same_workspace(self, body: dict[str, Any], task_id: object) -> bool:
        """A decision may only come from the workspace the task belongs to, when it says one."""
        if not isinstance(task_id, str) or not task_id:
            return True
        # A task that is gone answers None: the handler then says so.
        workspace = await self.core.task_workspace(task_id)
        team = _team_of(body)
        return not workspace or not team or workspace == team

    # ------------------------------------------------------------------ people

    def _words(self, text: str) -> str:
        """Slack's escaped text as the person typed it, without the mention of the bot."""

        def drop_bot(match: re.Match[str]) -> str:
            is_bot = self.bot_user_id is None or match.group(1) == self.bot_user_id
            return "" if is_bot else match.group(0)

        text = _BOT_MENTION.sub(drop_bot, text)
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        return " ".join(text.split()).strip(" ,:")

    async def _person(self, user: str) -> str | None:
        """The configured person behind a Slack user: by user id, else by e-mail when the config
        names people by `slack_email` (looked up once with users.info)."""
        person = self.core.person_for("slack", user)
        if person is not None or not self.core.knows_emails() or not user:
            return person
        if user in self._people:
            return self._people[user]
        try:
            info = await self.client.users_info(user=user)
        except Exception as exc:
            logger.warning("slack: users.info failed: %s", exc)
            return None
        email = str(((info.get("user") or {}).get("profile") or {}).get("email") or "").lower()
        person = self.core.person_for_email(email) if email else None
        if len(self._people) >= USER_CACHE_SIZE:
            self._people.clear()
        self._people[user] = person
        return person

    async def is_chat_admin(self, chat: str, user_id: str) -> bool:
        """Whether Slack says `user_id` is an admin or owner of this workspace (users.info), who
        may run any of its channels. A member of another workspace never is."""
        if not user_id:
            return False
        try:
            info = await self.client.users_info(user=user_id)
        except Exception as exc:
            logger.warning("slack: users.info failed: %s", exc)
            return False
        user = info.get("user") or {}
        team = user.get("team_id")
        if self.team_id and team and team != self.team_id:
            return False
        if user.get("deleted") or user.get("is_restricted") or user.get("is_bot"):
            return False
        return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))

    # ------------------------------------------------------------------ answering people

    async def _reply(self, channel: str, reply: Reply, *, thread_ts: str | None) -> None:
        """Answer a person now: a 429 is waited out here rather than left to the outbox."""
        for attempt in range(REPLY_RETRIES):
            try:
                ts = await self._post(channel, reply, thread_ts=thread_ts)
                break
            except DeliveryError as exc:
                last = attempt == REPLY_RETRIES - 1
                if exc.retry_after is None or exc.retry_after > MAX_REPLY_WAIT or last:
                    logger.warning("slack: an answer in %s was lost: %s", channel, exc)
                    return
                await asyncio.sleep(exc.retry_after)
            except AdapterError as exc:
                logger.warning("slack: cannot answer in %s: %s", channel, exc)
                return
        if reply.attachment is not None:
            with contextlib.suppress(AdapterError):
                await self._upload(channel, *reply.attachment, thread_ts=thread_ts or ts)

    async def _ephemeral(
        self, channel: str, user: str, reply: Reply, *, thread_ts: str | None = None
    ) -> None:
        if not channel or not user:
            return
        try:
            await self._post_ephemeral(channel, user, reply, thread_ts=thread_ts)
        except Exception as exc:
            logger.warning("slack: an ephemeral answer in %s was lost: %s", channel, exc)

    async def send_ephemeral(self, target: Target, user_id: str, reply: Reply) -> None:
        """Show `reply` in the channel to `user_id` alone (a personal link asked for there)."""
        try:
            await self._post_ephemeral(target.chat, user_id, reply, thread_ts=target.thread)
        except Exception as exc:
            raise self._failed(exc, "chat.postEphemeral", "post", target.chat) from exc

    async def _post_ephemeral(
        self, channel: str, user: str, reply: Reply, *, thread_ts: str | None
    ) -> None:
        payload = render(reply)
        await self.client.chat_postEphemeral(
            channel=channel,
            user=user,
            text=payload["text"],
            blocks=payload["blocks"],
            thread_ts=thread_ts,
        )

    async def _upload_to_user(self, user: str, filename: str, content: str) -> None:
        """A file for one person only (a slash command's log): into their DM with the bot."""
        try:
            opened = await self.client.conversations_open(users=user)
            channel = str((opened.get("channel") or {}).get("id") or "")
            await self._upload(channel, filename, content, thread_ts=None)
        except Exception as exc:
            logger.warning("slack: sending a log file failed: %s", exc)

    # ------------------------------------------------------------------ the notifier's side

    async def send(self, target: Target, reply: Reply) -> SentMessage:
        """Post a card, or a notice into the thread the notifier names (the card's thread)."""
        if reply.kind == "card":
            ts = await self._post(target.chat, reply, thread_ts=target.thread)
            return SentMessage(ts, target.thread or ts)
        thread = target.thread
        broadcast = thread is not None and reply.event in BROADCAST_EVENTS
        ts = await self._post(target.chat, reply, thread_ts=thread, broadcast=broadcast)
        if reply.attachment is not None:
            await self._upload(target.chat, *reply.attachment, thread_ts=thread or ts)
        return SentMessage(ts, thread)

    def chat_ready_in(self, target: Target) -> float:
        """Seconds until another worker may take the channel over without bursting past its
        per-channel limit (a Retry-After included)."""
        return self.pacer.settled_in(target.chat)

    def backlog_seconds(self) -> float:
        """Slack's limits are per channel and method: no overall budget to queue for."""
        return 0.0

    async def edit(self, target: Target, ref: str, reply: Reply) -> SentMessage:
        """Replace the live card in place (chat.update)."""
        payload = render(reply)
        await self.pacer.wait("update", target.chat)
        try:
            await self.client.chat_update(
                channel=target.chat, ts=ref, text=payload["text"], blocks=payload["blocks"]
            )
        except Exception as exc:
            raise self._failed(exc, "chat.update", "update", target.chat) from exc
        return SentMessage(ref, target.thread or ref)

    async def _post(
        self, channel: str, reply: Reply, *, thread_ts: str | None, broadcast: bool = False
    ) -> str:
        payload = render(reply)
        await self.pacer.wait("post", channel)
        kwargs: dict[str, Any] = {
            "channel": channel,
            "text": payload["text"],
            "blocks": payload["blocks"],
            "unfurl_links": False,
            "unfurl_media": False,
        }
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
            if broadcast:
                kwargs["reply_broadcast"] = True
        try:
            sent = await self.client.chat_postMessage(**kwargs)
        except SlackApiError as exc:
            if _code(exc) not in ("invalid_blocks", "msg_too_long"):
                raise self._failed(exc, "chat.postMessage", "post", channel) from exc
            # Never expected, since render keeps every limit; the plain text beats no message.
            logger.error("slack: blocks refused (%s); sending the plain text", _code(exc))
            kwargs.pop("blocks")
            kwargs["text"] = text_only(reply.text)
            try:
                sent = await self.client.chat_postMessage(**kwargs)
            except Exception as retry_exc:
                raise self._failed(retry_exc, "chat.postMessage", "post", channel) from retry_exc
        except Exception as exc:
            raise self._failed(exc, "chat.postMessage", "post", channel) from exc
        return str(sent.get("ts"))

    async def _upload(
        self, channel: str, filename: str, content: str, *, thread_ts: str | None
    ) -> None:
        await self.pacer.wait("post", channel)
        try:
            await self.client.files_upload_v2(
                channel=channel,
                content=content,
                filename=filename,
                title=filename,
                thread_ts=thread_ts,
            )
        except Exception as exc:
            raise self._failed(exc, "files.uploadV2", "post", channel) from exc

    def _failed(self, exc: BaseException, method: str, kind: str, channel: str) -> AdapterError:
        error = translate(exc, method)
        if isinstance(error, DeliveryError) and error.retry_after is not None:
            self.pacer.pause(kind, channel, error.retry_after)
            logger.warning(
                "slack: %s rate limited in %s for %g s", method, channel, error.retry_after
            )
        return error


# ---------------------------------------------------------------------- helpers


def _debug_only_when_asked(sdk_logger: logging.Logger) -> logging.Logger:
    """slack_bolt and slack_sdk build a debug line of every request, its whole body included,
    whenever their logger's own level is unset: they test `logger.level`, not the level it
    inherits. Set it to the inherited one, so that work is done only when DEBUG is on."""
    if sdk_logger.level == logging.NOTSET:
        sdk_logger.setLevel(sdk_logger.getEffectiveLevel())
    return sdk_logger


def _secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""


def _code(exc: SlackApiError) -> str:
    data = getattr(exc.response, "data", None)
    return str(data.get("error") or "") if isinstance(data, dict) else ""


def _delivery_key(body: dict[str, Any]) -> str | None:
    """What names a delivery however often Slack sends it: the event's id, else the trigger's."""
    key = body.get("event_id") or body.get("trigger_id")
    return key if isinstance(key, str) and key else None


def _team_of(body: dict[str, Any]) -> str | None:
    team = body.get("team_id") or (body.get("team") or {}).get("id")
    return str(team) if team else None


def _title_of(body: dict[str, Any]) -> str | None:
    for block in (body.get("message") or {}).get("blocks") or []:
        if block.get("type") == "header":
            return str((block.get("text") or {}).get("text") or "") or None
    return None


def _refusal(text: str) -> Reply:
    return Reply(text=text, kind="error")
