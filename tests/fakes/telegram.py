"""A fake Telegram Bot API server on a loopback port, for the real python-telegram-bot to talk to.

It serves `/bot<token>/<method>` with Telegram's answer shapes (`{"ok": true, "result": ...}` or
`{"ok": false, "error_code": 400, "description": "Bad Request: chat not found"}`), holds the
messages it was sent (so edits can succeed, change nothing, or miss), checks Telegram's limits
(4,096 characters, 64-byte callback data, well-formed HTML), can enforce the flood limits, and
records every call with the event loop's time. Updates reach the bot by long polling
(`getUpdates`) or, once `setWebhook` was called, by a POST to `webhook_target`.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import aiohttp
from aiohttp import web

__all__ = ["BOT_ID", "BOT_USERNAME", "Call", "FakeTelegram", "visible_text"]

BOT_ID = 999000111
BOT_USERNAME = "ProgressTestBot"
FLOOD_METHODS = frozenset(
    {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument"}
)
# Parameters PTB sends as plain strings; every other form field is JSON-encoded.
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "url",
        "secret_token",
        "callback_query_id",
        "filename",
        "chat_id",
    }
)
_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler"}
)
_TAGS |= {"span", "blockquote", "tg-emoji"}


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAGS:
            self.error = f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = f'Unexpected end tag "{tag}"'
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _parse_html(text: str) -> tuple[str, str | None]:
    parser = _Visible()
    parser.feed(text)
    parser.close()
    error = parser.error or (f'Can\'t find end tag "{parser.stack[-1]}"' if parser.stack else None)
    return "".join(parser.parts), error


def visible_text(text: str) -> str:
    """What a person sees of an HTML message: the text without tags, entities decoded."""
    return _parse_html(text)[0]


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    """One request the bot made: method, decoded parameters, loop time, and the status sent."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    description: str = ""

    @property
    def chat(self) -> str | None:
        chat = self.params.get("chat_id")
        return None if chat is None else str(chat)


@dataclass
class _Failure:
    status: int
    description: str
    retry_after: int | None
    times: int
    methods: frozenset[str] | None


@dataclass
class FakeTelegram:
    token: str = "123:ABC"
    enforce_flood: bool = False
    calls: list[Call] = field(default_factory=list)
    # (chat, message_id) → the message as Telegram holds it (visible text, markup, html)
    messages: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    blocked: set[str] = field(default_factory=set)
    missing_chats: set[str] = field(default_factory=set)
    webhook: dict[str, Any] | None = None
    webhook_target: str | None = None  # where pushed updates go in webhook mode
    documents: list[tuple[str, str, bytes]] = field(default_factory=list)  # chat, name, content
    # chat → {user id → status}: "creator", "administrator", "member", "restricted", "left",
    # "kicked". getChatMember answers "left" for anyone not listed, as Telegram does for a user
    # who is not in the group.
    members: dict[str, dict[int, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._new_update = asyncio.Condition()
        self._failures: dict[str, list[_Failure]] = {}
        self._last_in_chat: dict[str, float] = {}
        self._group_window: dict[str, deque[float]] = {}
        self._overall: deque[float] = deque()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.port = 0
        self._closing = False

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = getattr(site, "_server", None)
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        # Release any long poll still held open, or the server would wait out its timeout.
        self._closing = True
        async with self._new_update:
            self._new_update.notify_all()
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        """The `telegram.api_url` to configure: PTB appends the token and the method."""
        return f"http://127.0.0.1:{self.port}/bot"

    # ------------------------------------------------------------------ scripting

    def fail(
        self,
        chat: str,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
        methods: set[str] | None = None,
    ) -> None:
        """Answer the next `times` requests to `chat` with this error."""
        self._failures.setdefault(str(chat), []).append(
            _Failure(
                status,
                description,
                retry_after,
                times,
                frozenset(methods) if methods else None,
            )
        )

    def delete_message(self, chat: str, message_id: int) -> None:
        """A person deleted a message: editing it now fails."""
        self.messages.pop((str(chat), int(message_id)), None)

    async def push(self, update: dict[str, Any]) -> int:
        """Deliver an update: by webhook if one is set, else to the next getUpdates."""
        update = {"update_id": next(self._update_ids), **update}
        if self.webhook is not None and self.webhook_target is not None:
            assert self._session is not None
            headers = {}
            if self.webhook.get("secret_token"):
                headers["X-Telegram-Bot-Api-Secret-Token"] = str(self.webhook["secret_token"])
            async with self._session.post(self.webhook_target, json=update, headers=headers) as r:
                assert r.status == 200, await r.text()
            return int(update["update_id"])
        async with self._new_update:
            self._updates.append(update)
            self._new_update.notify_all()
        return int(update["update_id"])

    async def redeliver(self, update: dict[str, Any]) -> None:
        """Deliver an update again with its old update_id (Telegram does after a restart)."""
        async with self._new_update:
            self._updates.append(update)
            self._new_update.notify_all()

    # ------------------------------------------------------------------ reading

    def of(self, method: str, chat: str | None = None, *, ok: bool | None = True) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method
            and (chat is None or c.chat == str(chat))
            and (ok is None or (c.status == 200) == ok)
        ]

    def texts(self, chat: str, method: str = "sendMessage") -> list[str]:
        """The visible texts of what was accepted for `chat`, in order."""
        return [visible_text(c.params["text"]) for c in self.of(method, chat)]

    def delivered(self, chat: str) -> list[Call]:
        """Every accepted message-changing call to `chat`, in order."""
        return [c for c in self.calls if c.method in FLOOD_METHODS and c.chat == str(chat)]

    async def wait_for(self, check: Callable[[], Any], timeout: float = 15.0) -> Any:
        """Poll `check` until it returns something truthy (the server runs in this loop)."""
        deadline = time.monotonic() + timeout
        while True:
            result = check()
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError("the fake Telegram never saw what the test waited for")
            await asyncio.sleep(0.02)

    # ------------------------------------------------------------------ builders

    def user(self, user_id: int, name: str = "User") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": name}

    def message_update(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        thread: int | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        chat = chat_id if chat_id is not None else user_id
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat, "type": chat_type},
            "from": self.user(user_id),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(" ", 1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if thread is not None:
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return {"message": message}

    def callback_update(self, user_id: int, message: dict[str, Any], data: str) -> dict[str, Any]:
        return {
            "callback_query": {
                "id": f"cq{next(self._message_ids)}",
                "from": self.user(user_id),
                "chat_instance": "ci",
                "message": message,
                "data": data,
            }
        }

    def buttons(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        markup = message.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]

    # ------------------------------------------------------------------ the API

    async def _params(self, request: web.Request) -> dict[str, Any]:
        raw: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            raw.update(body or {})
            return raw
        if request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    raw[key] = (value.filename, value.file.read())
                elif key in _STRING_FIELDS:
                    raw[key] = value
                else:
                    try:
                        raw[key] = json.loads(value)
                    except ValueError:
                        raw[key] = value
        return raw

    async def _handle(self, request: web.Request) -> web.Response:
        now = asyncio.get_running_loop().time()
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params, now)
        self.calls.append(call)
        if request.match_info["token"] != self.token:
            return self._error(call, 401, "Unauthorized")
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._error(call, 404, "Not Found")
        chat = call.chat
        if chat is not None:
            refusal = self._refusal(call, chat, now)
            if refusal is not None:
                return refusal
        try:
            result = await handler(params)
        except _ApiError as exc:
            return self._error(call, exc.status, exc.description)
        if method in FLOOD_METHODS and chat is not None:
            self._count(chat, now)
        return web.json_response({"ok": True, "result": result})

    def _error(
        self, call: Call, status: int, description: str, retry_after: int | None = None
    ) -> web.Response:
        call.status, call.description = status, description
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return web.json_response(body, status=status)

    def _refusal(self, call: Call, chat: str, now: float) -> web.Response | None:
        if chat in self.blocked:
            return self._error(call, 403, "Forbidden: bot was blocked by the user")
        if chat in self.missing_chats:
            return self._error(call, 400, "Bad Request: chat not found")
        for failure in self._failures.get(chat, []):
            if failure.times > 0 and (failure.methods is None or call.method in failure.methods):
                failure.times -= 1
                return self._error(call, failure.status, failure.description, failure.retry_after)
        if self.enforce_flood and call.method in FLOOD_METHODS:
            wait = self._flood_wait(chat, now)
            if wait:
                return self._error(
                    call, 429, f"Too Many Requests: retry after {wait}", retry_after=wait
                )
        return None

    def _flood_wait(self, chat: str, now: float) -> int:
        last = self._last_in_chat.get(chat)
        if last is not None and now - last < 1.0 - 0.01:
            return 1
        if chat.startswith("-"):
            window = self._group_window.get(chat, deque())
            if len([t for t in window if t > now - 60.0]) >= 20:
                return 30
        while self._overall and self._overall[0] <= now - 1.0:
            self._overall.popleft()
        if len(self._overall) >= 30:
            return 1
        return 0

    def _count(self, chat: str, now: float) -> None:
        self._last_in_chat[chat] = now
        if chat.startswith("-"):
            self._group_window.setdefault(chat, deque()).append(now)
        self._overall.append(now)

    # --- methods ---

    async def _m_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Progress Bot",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    async def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = params
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise _ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        async with self._new_update:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout > 0 and not self._closing:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), timeout)
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            return list(self._updates)

    def _check_text(self, text: Any, parse_mode: Any) -> tuple[str, str]:
        if not isinstance(text, str) or not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        shown = text
        if parse_mode == "HTML":
            shown, error = _parse_html(text)
            if error:
                raise _ApiError(400, f"Bad Request: can't parse entities: {error}")
        if _utf16_len(shown) > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        return text, shown

    def _check_markup(self, markup: Any) -> dict[str, Any] | None:
        if not markup:
            return None
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                    raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and ("localhost" in url or "127.0.0.1" in url):
                    raise _ApiError(400, "Bad Request: wrong HTTP URL")
        return dict(markup)

    def _message(self, chat: str, params: dict[str, Any], text: str) -> dict[str, Any]:
        chat_id = int(chat)
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Progress Bot"},
            "text": text,
        }
        thread = params.get("message_thread_id")
        if thread is not None:
            message["message_thread_id"] = int(thread)
            message["is_topic_message"] = True
        return message

    async def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = str(params["chat_id"])
        raw, shown = self._check_text(params.get("text"), params.get("parse_mode"))
        markup = params.get("reply_markup")
        keyboard = self._check_markup(markup) if "inline_keyboard" in (markup or {}) else None
        message = self._message(chat, params, shown)
        if keyboard:
            message["reply_markup"] = keyboard
        self.messages[(chat, message["message_id"])] = {**message, "html": raw}
        return message

    async def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = str(params["chat_id"])
        key = (chat, int(params["message_id"]))
        held = self.messages.get(key)
        if held is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        raw, shown = self._check_text(params.get("text"), params.get("parse_mode"))
        keyboard = self._check_markup(params.get("reply_markup"))
        if raw == held["html"] and keyboard == held.get("reply_markup"):
            raise _ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message = {k: v for k, v in held.items() if k not in ("html", "reply_markup")}
        message["text"] = shown
        message["edit_date"] = int(time.time())
        if keyboard:
            message["reply_markup"] = keyboard
        self.messages[key] = {**message, "html": raw}
        return message

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (str(params["chat_id"]), int(params["message_id"]))
        held = self.messages.get(key)
        if held is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        keyboard = self._check_markup(params.get("reply_markup"))
        held = {k: v for k, v in held.items() if k != "reply_markup"}
        if keyboard:
            held["reply_markup"] = keyboard
        self.messages[key] = held
        return {k: v for k, v in held.items() if k != "html"}

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        text = params.get("text")
        if text is not None and len(text) > 200:
            raise _ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    async def _m_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = str(params["chat_id"])
        document = params.get("document")
        if not isinstance(document, tuple):
            raise _ApiError(400, "Bad Request: there is no document in the request")
        name, content = document
        self.documents.append((chat, str(name), content))
        message = self._message(chat, params, "")
        message.pop("text")
        message["document"] = {
            "file_id": f"doc{message['message_id']}",
            "file_unique_id": f"u{message['message_id']}",
            "file_name": name,
            "file_size": len(content),
        }
        return message

    async def _m_getChatMember(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, user = str(params.get("chat_id")), _user_id(params.get("user_id"))
        if not chat.startswith("-"):
            # A private chat's only other member is the person themselves.
            status = "member" if user == int(chat) else "left"
            return _chat_member(self.user(user), status)
        return _chat_member(self.user(user), self.members.get(chat, {}).get(user, "left"))

    async def _m_getChatAdministrators(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        chat = str(params.get("chat_id"))
        if not chat.startswith("-"):
            raise _ApiError(400, "Bad Request: there are no administrators in the private chat")
        return [
            _chat_member(self.user(user), status)
            for user, status in self.members.get(chat, {}).items()
            if status in ("creator", "administrator")
        ]


def _user_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _ApiError(400, "Bad Request: invalid user_id specified") from None


def _chat_member(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember as Telegram sends it: each status with the fields it requires."""
    member: dict[str, Any] = {"user": user, "status": status}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member.update(
            can_be_edited=False,
            is_anonymous=False,
            can_manage_chat=True,
            can_delete_messages=True,
            can_manage_video_chats=True,
            can_restrict_members=True,
            can_promote_members=False,
            can_change_info=True,
            can_invite_users=True,
            can_post_stories=False,
            can_edit_stories=False,
            can_delete_stories=False,
            can_pin_messages=True,
        )
    elif status == "restricted":
        member.update(
            is_member=True,
            can_send_messages=True,
            can_send_audios=True,
            can_send_documents=True,
            can_send_photos=True,
            can_send_videos=True,
            can_send_video_notes=True,
            can_send_voice_notes=True,
            can_send_polls=True,
            can_send_other_messages=True,
            can_add_web_page_previews=True,
            can_change_info=False,
            can_invite_users=False,
            can_pin_messages=False,
            can_manage_topics=False,
            until_date=0,
        )
    elif status == "kicked":
        member["until_date"] = 0
    return member


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


def decoded(text: str) -> str:
    """`html.unescape`, for tests that compare raw HTML bodies."""
    return html.unescape(text)
