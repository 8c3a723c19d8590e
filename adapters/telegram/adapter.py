"""The Telegram channel: long polling or a webhook in, HTML messages and inline keyboards out.

Updates become `Message`s and `Action`s for the chat bot; its `Reply`s and the notifier's go out
through one path that honours Telegram's flood limits per chat (`FloodControl`). Every update id
is remembered in the store (`seen_keys`, scope "telegram") as its handling starts, so an update
Telegram delivers again after a restart is handled once. Neither the next long poll nor the
webhook's answer waits for that write.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    CallbackQuery,
    ForceReply,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MaybeInaccessibleMessage,
    ReplyParameters,
    Update,
    User,
)
from telegram import Message as TgMessage
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import Conflict as PollConflict
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from adapters.base import (
    Adapter,
    AdapterError,
    ChatCore,
    DeliveryError,
    SentMessage,
    SlotBudget,
)
from adapters.telegram.errors import (
    is_not_modified,
    is_parse_error,
    retry_seconds,
    translate,
)
from adapters.telegram.flood import FloodControl
from adapters.telegram.render import CallbackCodec, render, telegram_length
from bot.config import TelegramConfig
from bot.types import Action, Answer, Message, Reply, Target

__all__ = ["COMMANDS", "INVALID_BUTTON", "TelegramAdapter", "TelegramSetupError"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

COMMANDS: list[tuple[str, str]] = [
    ("start", "Start, or follow a task: /start <task id>"),
    ("tasks", "List your tasks"),
    ("status", "How a task is going: /status crm"),
    ("logs", "A task's latest log lines"),
    ("pause", "Pause a task"),
    ("resume", "Resume a paused task"),
    ("cancel", "Cancel a task"),
    ("restart", "Start a task over"),
    ("mute", "Mute a task's updates here for a while"),
    ("link", "Your own link to a task's live page, sent privately"),
    ("help", "What I can do"),
]
INVALID_BUTTON = "This button is no longer valid."
ALLOWED_UPDATES = ["message", "callback_query"]
POLL_TIMEOUT = 25  # seconds Telegram holds a getUpdates open
# The longest the next long poll waits for the answers to the updates the last one brought: a
# chat in flood-wait, or a slow store, must not keep the others' updates waiting much longer.
ANSWER_FIRST_SECONDS = 0.05
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CALLBACK_TEXT_LIMIT = 200
DIGEST_CACHE_SIZE = 10_000
REPLY_RETRIES = 3
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class TelegramSetupError(AdapterError):
    """Telegram refused to set the bot up (a wrong token, a bad webhook URL)."""


class TelegramAdapter(Adapter):
    """Progress Bot on Telegram, through python-telegram-bot's `Bot`."""

    platform = "telegram"

    def __init__(
        self,
        config: TelegramConfig,
        core: ChatCore,
        *,
        bot: Bot | None = None,
        flood: FloodControl | None = None,
        budget: SlotBudget | None = None,
        poll_timeout: int = POLL_TIMEOUT,
    ) -> None:
        self.core = core
        self.config = config
        token = self.config.token.get_secret_value() if self.config.token else ""
        self.bot = bot or _make_bot(token, self.config.api_url, poll_timeout)
        self.codec = CallbackCodec.for_token(token or "unset")
        # With a shared budget (several workers on one database) the overall limit holds for all.
        self.flood = flood or FloodControl(budget=budget)
        self.poll_timeout = poll_timeout
        self.username: str | None = None
        self.bot_id: int | None = None
        self._poller: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._chat_locks: dict[str, asyncio.Lock] = {}
        self._digests: OrderedDict[str, str] = OrderedDict()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        # httpx logs every request URL at INFO, and Telegram URLs contain the bot token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        try:
            await self.bot.initialize()
            me = self.bot.bot
            self.username, self.bot_id = me.username, me.id
            await self.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
            if self.config.mode == "webhook":
                secret = self.config.webhook_secret
                await self.bot.set_webhook(
                    str(self.config.webhook_url),
                    secret_token=secret.get_secret_value() if secret else None,
                    allowed_updates=ALLOWED_UPDATES,
                )
            else:
                await self.bot.delete_webhook()
        except InvalidToken as exc:
            await self._shutdown_bot()
            raise TelegramSetupError("Telegram refused telegram.token") from exc
        except TelegramError as exc:
            await self._shutdown_bot()
            raise TelegramSetupError(f"setting up the Telegram bot failed: {exc}") from exc
        logger.info("telegram: @%s ready (%s mode)", self.username, self.config.mode)
        if self.config.mode == "polling":
            self._poller = asyncio.create_task(self._poll(), name="telegram-poll")

    async def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._shutdown_bot()

    async def _shutdown_bot(self) -> None:
        try:
            await self.bot.shutdown()
        except Exception:
            logger.exception("closing the Telegram client failed")

    # ------------------------------------------------------------------ receiving

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(WEBHOOK_PATH, self._webhook)

    async def _webhook(self, request: web.Request) -> web.Response:
        secret = self.config.webhook_secret
        if self.config.mode != "webhook" or secret is None:
            return web.json_response({"error": "the Telegram webhook is not in use"}, status=404)
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.get_secret_value().encode()):
            logger.warning("telegram webhook: refused a request without the right secret")
            return web.json_response({"error": "forbidden"}, status=403)
        try:
            update = Update.de_json(await request.json(), self.bot)
        except Exception:
            return web.json_response({"error": "not a Telegram update"}, status=400)
        if update is not None:
            # Answer Telegram at once; a slow reply must not make it deliver the update again.
            self._spawn(self._handle_once(update))
        return web.json_response({"ok": True})

    async def _poll(self) -> None:
        offset: int | None = None
        failures = 0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset, timeout=self.poll_timeout, allowed_updates=ALLOWED_UPDATES
                )
                failures = 0
            except asyncio.CancelledError:
                raise
            except RetryAfter as exc:
                await asyncio.sleep(retry_seconds(exc))
                continue
            except PollConflict:
                logger.error("telegram: another poller or a webhook uses this bot token")
                await asyncio.sleep(30)
                continue
            except Exception as exc:
                failures += 1
                delay = min(60.0, 2.0**failures)
                logger.warning("telegram: getUpdates failed (%s); retrying in %.0f s", exc, delay)
                await asyncio.sleep(delay)
                continue
            answering = []
            for update in updates:
                offset = update.update_id + 1
                answering.append(self._spawn(self._handle_once(update)))
            if answering:
                # Answer first, then poll again: the next getUpdates is a request of its own,
                # and sent first it would hold up every answer to the updates just read (its
                # offset only confirms them, and nothing new is there to fetch that soon).
                await asyncio.wait(answering, timeout=ANSWER_FIRST_SECONDS)

    def _spawn(self, work: Awaitable[None]) -> asyncio.Task[None]:
        async def run() -> None:
            await work

        task = asyncio.create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _first_delivery(self, update_id: int) -> bool:
        """Remember `update_id`; False when it was handled before (a redelivery)."""
        return await self.core.first_delivery("telegram", self._delivery_key(update_id))

    def _delivery_key(self, update_id: int) -> str:
        return f"{self.bot_id}:{update_id}"

    async def _handle_once(self, update: Update) -> None:
        """Handle one update unless it was handled before (by any worker, before a restart).
        One chat's updates are handled in the order they came: the chat's lock is taken in that
        order, before the de-duplication write."""
        chat = update.effective_chat
        lock = self._chat_locks.setdefault(str(chat.id) if chat else "", asyncio.Lock())
        async with lock:
            try:
                if update.callback_query is not None:
                    if await self._first_delivery(update.update_id):
                        await self._on_callback(update.callback_query)
                elif update.message is not None:
                    # The message is recorded as its answer starts (`handle_delivery`).
                    await self._on_message(update.message, update.update_id)
            except Exception:
                logger.exception("telegram: handling update %s failed", update.update_id)

    # ------------------------------------------------------------------ messages

    async def _on_message(self, msg: TgMessage, update_id: int) -> None:
        user = msg.from_user
        text = msg.text or msg.caption
        if user is None or user.is_bot or not text:
            return
        target = _target_of(msg)
        group = msg.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        command, args = self._command(text)
        if command is None and text.startswith("/"):
            return  # a command for another bot
        if command is None and group and not self._addressed(msg):
            return
        person = self.core.person_for("telegram", str(user.id))
        if command == "start" and args:
            if not await self._first_delivery(update_id):
                return
            reply = await self._start_link(target, str(user.id), person, args.split()[0])
        else:
            words = self._strip_mention(text) if command is None else _command_text(command, args)
            # The message object itself as the payload: nothing on the way to an answer reads
            # it, so turning every one into a dict was work for nobody.
            answer = await self.core.handle_delivery(
                Message(words, target, str(user.id), person, raw=msg),
                "telegram",
                self._delivery_key(update_id),
            )
            if answer is None:
                return  # handled before: a redelivery
            reply = answer.reply
        reply_to = msg.message_id if group else None
        await self._reply(target, reply, reply_to=reply_to, asker=user if group else None)

    def _command(self, text: str) -> tuple[str | None, str]:
        """ "/status@ProgressBot crm" → ("status", "crm"); None for plain text or another bot."""
        if not text.startswith("/"):
            return None, ""
        head, _, args = text.partition(" ")
        name, _, addressee = head[1:].partition("@")
        if addressee and (self.username or "").lower() != addressee.lower():
            return None, ""
        return name.lower(), args.strip()

    def _addressed(self, msg: TgMessage) -> bool:
        """In a group, only a mention of the bot or a reply to it is meant for us."""
        replied = msg.reply_to_message
        replier = replied.from_user if replied is not None else None
        if replier is not None and self.bot_id is not None and replier.id == self.bot_id:
            return True
        mention = f"@{self.username}".lower() if self.username else None
        return mention is not None and mention in (msg.text or msg.caption or "").lower()

    def _strip_mention(self, text: str) -> str:
        if not self.username:
            return text
        mention = f"@{self.username}"
        start = text.lower().find(mention.lower())
        if start < 0:
            return text
        return (text[:start] + text[start + len(mention) :]).strip(" ,:")

    async def _start_link(
        self, target: Target, platform_user: str, person: str | None, task_id: str
    ) -> Reply:
        """`/start <task_id>` from a t.me/<bot>?start=<task_id> link: follow that task here."""
        if person is None:
            answer = await self.core.handle_message(Message("help", target, platform_user, None))
            return answer.reply
        return await self.core.follow(task_id, target, person)

    # ------------------------------------------------------------------ buttons

    async def _on_callback(self, query: CallbackQuery) -> None:
        answered = False

        async def answer(text: str | None = None, alert: bool = False) -> None:
            nonlocal answered
            if answered:
                return
            answered = True
            if text and len(text) > CALLBACK_TEXT_LIMIT:
                text = text[: CALLBACK_TEXT_LIMIT - 1] + "…"
            try:
                await query.answer(text=text, show_alert=alert or None)
            except TelegramError as exc:
                logger.warning("telegram: answering a button press failed: %s", exc)

        try:
            await self._press(query, answer)
        except Exception:
            logger.exception("telegram: a button press failed")
            await answer("Sorry, something went wrong on my side. Please try again.", alert=True)
        finally:
            await answer()  # every press is answered, or the button spins on the phone

    async def _press(
        self, query: CallbackQuery, answer: Callable[[str | None, bool], Awaitable[None]]
    ) -> None:
        msg = query.message
        decoded = self.codec.decode(query.data, str(msg.chat.id)) if msg is not None else None
        if msg is None or decoded is None:
            await answer(INVALID_BUTTON, True)
            return
        target = _target_of(msg)
        user = query.from_user
        person = self.core.person_for("telegram", str(user.id))
        task_id = decoded.task_id
        if decoded.task_digest is not None:
            task_id = await self._task_for_digest(decoded.task_digest, person, target.chat)
            if task_id is None:
                await answer(INVALID_BUTTON, True)
                return
        action = Action(
            decoded.action,
            target,
            str(user.id),
            person,
            task_id=task_id,
            arg=decoded.arg,
            raw=query,
        )
        result = await self.core.handle_action(action)
        reply = result.reply
        if reply.kind == "error":
            await answer(reply.text, True)  # refused: nothing changed, and the presser knows why
            return
        if decoded.action in ("approve", "reject"):
            await self._after_decision(query, msg, target, decoded.arg, result, answer)
            return
        await answer(_first_line(reply.text), False)
        if decoded.action in ("confirm", "dismiss", "choose") and isinstance(msg, TgMessage):
            await self._edit_or_send(target, str(msg.message_id), reply)
        else:
            await self._reply(target, reply)

    async def _after_decision(
        self,
        query: CallbackQuery,
        msg: MaybeInaccessibleMessage,
        target: Target,
        approval_arg: str | None,
        result: Answer,
        answer: Callable[[str | None, bool], Awaitable[None]],
    ) -> None:
        reply = result.reply
        if reply.kind == "question":  # Reject: ask why, as a reply the person types
            await answer("Reply with the reason.", False)
            await self._reply(target, reply, asker=query.from_user, force_reply=True)
            return
        await answer(_first_line(reply.text), False)
        line = await self._decision_line(approval_arg)
        if line is None or not isinstance(msg, TgMessage):
            return
        original = msg.text_html if msg.text else ""
        text = f"{original}\n\n{html.escape(line, quote=False)}" if original else line
        # The decision replaces the buttons, so nobody presses a decided approval again.
        with contextlib.suppress(AdapterError):
            await self._edit_html(target, str(msg.message_id), text, None)

    async def _decision_line(self, approval_arg: str | None) -> str | None:
        """ "✅ Approved by Alice", or None while the approval still waits for others."""
        if not approval_arg or not approval_arg.isdigit():
            return None
        approval = await self.core.approval(int(approval_arg))
        if approval is None:
            return None
        status = approval.get("status")
        by = approval.get("decided_by")
        who = f" by {self.core.display_name(by)}" if by else ""
        if status == "approved":
            return f"✅ Approved{who}"
        if status == "rejected":
            reason = approval.get("reason")
            return f"❌ Rejected{who}" + (f": {reason}" if reason else "")
        return None

    async def _task_for_digest(self, digest: str, person: str | None, chat: str) -> str | None:
        known = self._digests.get(digest)
        if known is not None:
            return known
        if person is None:
            return None
        tasks = await self.core.tasks_in_chat(person, "telegram", chat)
        for task in tasks:
            if self.codec.task_digest(task["task_id"]) == digest:
                return str(task["task_id"])
        return None

    def _remember_digests(self, reply: Reply) -> None:
        for button in reply.buttons:
            if button.task_id and not button.url:
                self._digests[self.codec.task_digest(button.task_id)] = button.task_id
        while len(self._digests) > DIGEST_CACHE_SIZE:
            self._digests.popitem(last=False)

    # ------------------------------------------------------------------ who runs a chat

    async def is_chat_admin(self, chat: str, user_id: str) -> bool:
        """Whether Telegram says `user_id` is the creator or an administrator of the group
        `chat` (getChatMember). A private chat has no administrators."""
        if not chat.lstrip("-").isdigit() or not user_id.isdigit() or not chat.startswith("-"):
            return False
        try:
            member = await self.bot.get_chat_member(chat_id=int(chat), user_id=int(user_id))
        except TelegramError as exc:
            logger.warning("telegram: getChatMember in %s failed: %s", chat, exc)
            return False
        return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)

    # ------------------------------------------------------------------ sending

    async def send(self, target: Target, reply: Reply) -> SentMessage:
        """Post `reply`; minor events silently, approvals, failures and completions loudly."""
        text, markup = self._render(target, reply)
        sent = await self._send_html(target, text, markup, reply)
        if reply.attachment is not None:
            await self._send_document(target, *reply.attachment)
        return SentMessage(str(sent.message_id), target.thread)

    async def edit(self, target: Target, ref: str, reply: Reply) -> SentMessage:
        """Replace the live card in place; an unchanged card counts as done."""
        text, markup = self._render(target, reply)
        await self._edit_html(target, ref, text, markup)
        return SentMessage(ref, target.thread)

    def chat_ready_in(self, target: Target) -> float:
        """Seconds until the chat may take another message (its pacing, or a flood-wait)."""
        return self.flood.paused_for(target.chat)

    def backlog_seconds(self) -> float:
        """Seconds a message ready now would wait for Telegram's overall budget."""
        return self.flood.backlog()

    def _render(self, target: Target, reply: Reply) -> tuple[str, InlineKeyboardMarkup | None]:
        self._remember_digests(reply)
        text, markup = render(reply, codec=self.codec, chat=target.chat)
        return text or "…", markup

    async def _call(self, chat: str, request: Callable[[], Awaitable[T]]) -> T:
        """One request to `chat` inside its flood-control slot; errors become adapter errors."""
        async with self.flood.slot(chat):
            try:
                return await request()
            except RetryAfter as exc:
                seconds = retry_seconds(exc)
                self.flood.pause(chat, seconds)  # this chat only; the others carry on
                logger.warning("telegram: chat %s is in flood-wait for %g s", chat, seconds)
                raise translate(exc) from exc

    async def _send_html(
        self,
        target: Target,
        text: str,
        markup: InlineKeyboardMarkup | ForceReply | None,
        reply: Reply,
        *,
        reply_to: int | None = None,
    ) -> TgMessage:
        async def post(parse: bool) -> TgMessage:
            return await self.bot.send_message(
                chat_id=target.chat,
                text=text if parse else _plain(reply.text),
                parse_mode=ParseMode.HTML if parse else None,
                reply_markup=markup,
                message_thread_id=int(target.thread) if target.thread else None,
                disable_notification=not reply.loud,
                link_preview_options=NO_PREVIEW,
                reply_parameters=(
                    ReplyParameters(reply_to, allow_sending_without_reply=True)
                    if reply_to is not None
                    else None
                ),
            )

        try:
            return await self._call(target.chat, lambda: post(True))
        except TelegramError as exc:
            if not is_parse_error(exc):
                raise translate(exc) from exc
            # Should never happen, since everything is escaped; a plain copy beats no message.
            logger.error("telegram: HTML refused (%s); sending plain text", exc)
        try:
            return await self._call(target.chat, lambda: post(False))
        except TelegramError as exc:
            raise translate(exc) from exc

    async def _edit_html(
        self, target: Target, ref: str, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        try:
            await self._call(
                target.chat,
                lambda: self.bot.edit_message_text(
                    text=text,
                    chat_id=target.chat,
                    message_id=int(ref),
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    link_preview_options=NO_PREVIEW,
                ),
            )
        except TelegramError as exc:
            if is_not_modified(exc):
                return
            raise translate(exc) from exc

    async def _send_document(self, target: Target, filename: str, content: str) -> None:
        try:
            await self._call(
                target.chat,
                lambda: self.bot.send_document(
                    chat_id=target.chat,
                    document=content.encode("utf-8"),
                    filename=filename,
                    message_thread_id=int(target.thread) if target.thread else None,
                    disable_notification=True,
                ),
            )
        except TelegramError as exc:
            raise translate(exc) from exc

    async def _edit_or_send(self, target: Target, ref: str, reply: Reply) -> None:
        try:
            await self.edit(target, ref, reply)
        except AdapterError:
            await self._reply(target, reply)

    async def _reply(
        self,
        target: Target,
        reply: Reply,
        *,
        reply_to: int | None = None,
        asker: User | None = None,
        force_reply: bool = False,
    ) -> None:
        """Answer a person now: a flood-wait is waited out here rather than left to the outbox."""
        text, markup = self._render(target, reply)
        asks = force_reply or (reply.kind == "question" and not reply.buttons)
        keyboard: InlineKeyboardMarkup | ForceReply | None = markup
        if asks:
            # Selective: in a group only the person asked sees the reply field.
            keyboard = ForceReply(selective=True, input_field_placeholder="Your answer")
            if asker is not None and target.chat.startswith("-"):
                text = f"{_mention(asker)}, {text}"
        for attempt in range(REPLY_RETRIES):
            try:
                await self._send_html(target, text, keyboard, reply, reply_to=reply_to)
                break
            except DeliveryError as exc:
                if exc.retry_after is None or attempt == REPLY_RETRIES - 1:
                    logger.warning("telegram: a reply to chat %s was lost: %s", target.chat, exc)
                    return
                await asyncio.sleep(exc.retry_after)
            except AdapterError as exc:
                logger.warning("telegram: cannot answer in chat %s: %s", target.chat, exc)
                return
        if reply.attachment is not None:
            with contextlib.suppress(AdapterError):
                await self._send_document(target, *reply.attachment)


# ---------------------------------------------------------------------- helpers


def _make_bot(token: str, api_url: str, poll_timeout: int) -> Bot:
    # PTB's default pool has one connection; the notifier sends to many chats at once.
    request = HTTPXRequest(
        connection_pool_size=64, connect_timeout=10.0, read_timeout=20.0, pool_timeout=30.0
    )
    polling = HTTPXRequest(connection_pool_size=2, read_timeout=poll_timeout + 10.0)
    return Bot(token or "0:unset", base_url=api_url, request=request, get_updates_request=polling)


def _target_of(msg: MaybeInaccessibleMessage) -> Target:
    """Where to answer: the chat, and the forum topic the message is in, if any."""
    thread = None
    if isinstance(msg, TgMessage) and msg.is_topic_message and msg.message_thread_id:
        thread = str(msg.message_thread_id)
    return Target("telegram", str(msg.chat.id), thread)


def _command_text(command: str, args: str) -> str:
    """A command as words the intent matcher understands: "/status crm" → "status crm"."""
    if command == "start":
        return "help"
    return f"{command} {args}".strip()


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def _plain(text: str) -> str:
    while telegram_length(text) > 4096:
        text = text[: len(text) * 9 // 10]
    return text or "…"


def _mention(user: User) -> str:
    name = html.escape(user.first_name or user.username or "you", quote=False)
    return f'<a href="tg://user?id={int(user.id)}">{name}</a>'
