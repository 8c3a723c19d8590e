"""A fake Slack on a loopback port: the Web API, file uploads, response URLs and Socket Mode.

The real slack_sdk `AsyncWebClient` talks to `api_url` (`http://127.0.0.1:PORT/api/`) and gets
Slack's answer shapes: `{"ok": true, ...}` or `{"ok": false, "error": "..."}`, and HTTP 429 with
`Retry-After` when told to. Block Kit limits are enforced the way Slack does (`invalid_blocks`,
`msg_too_long`), so a test that passes here would not be rejected by Slack. Every call is
recorded. Socket Mode: `apps.connections.open` hands out a `ws://` URL on this server; envelopes
the test pushes go over that WebSocket, and the acks that come back are recorded.

Also here: builders for the payloads Slack sends to an app, and `sign()`, which signs an HTTP
request body exactly as Slack does (v0, HMAC-SHA256 over "v0:{timestamp}:{body}").
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import WSMsgType, web

__all__ = [
    "BOT_TOKEN",
    "BOT_USER",
    "TEAM",
    "Call",
    "FakeSlack",
    "block_actions",
    "event_callback",
    "sign",
    "slash_command",
    "view_submission",
    "visible_text",
]

BOT_TOKEN = "xoxb-test"
APP_TOKEN = "xapp-test"
TEAM = "T0TEST001"
BOT_USER = "U0BOT0001"

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
VALUE_LIMIT = 2000
ACTION_ID_LIMIT = 255
BLOCK_LIMIT = 50
ELEMENTS_LIMIT = 25
TEXT_LIMIT = 40_000


@dataclass
class Call:
    """One Web API request: the method, its parameters (query, form and JSON merged), status."""

    method: str
    params: dict[str, Any]
    status: int = 200
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None


@dataclass
class _Failure:
    status: int
    error: str
    retry_after: int | None
    times: int


def _block_problem(blocks: Any) -> str | None:
    """Why Slack would refuse these blocks, or None."""
    if not isinstance(blocks, list):
        return "blocks is not a list"
    if len(blocks) > BLOCK_LIMIT:
        return f"{len(blocks)} blocks"
    for block in blocks:
        kind = block.get("type")
        if kind == "header" and len(block["text"]["text"]) > HEADER_LIMIT:
            return "header too long"
        if kind == "section":
            text = block.get("text", {}).get("text", "")
            if not text or len(text) > SECTION_LIMIT:
                return "section text empty or longer than 3000"
        if kind == "actions":
            elements = block.get("elements", [])
            if not elements or len(elements) > ELEMENTS_LIMIT:
                return "actions elements"
            ids = set()
            for element in elements:
                if len(element["text"]["text"]) > BUTTON_TEXT_LIMIT:
                    return "button text too long"
                if len(element.get("value", "")) > VALUE_LIMIT:
                    return "button value too long"
                action_id = element.get("action_id", "")
                if len(action_id) > ACTION_ID_LIMIT or action_id in ids:
                    return "action_id too long or repeated"
                ids.add(action_id)
        if kind == "context":
            for element in block.get("elements", []):
                if len(element.get("text", "")) > 2000:
                    return "context text too long"
    return None


def visible_text(message: dict[str, Any]) -> str:
    """Everything a person reads in a message's blocks, line by line (entities decoded)."""
    parts: list[str] = []
    for block in message.get("blocks") or []:
        kind = block.get("type")
        if kind in ("header", "section"):
            parts.append(block["text"]["text"])
        elif kind == "context":
            parts += [e.get("text", "") for e in block.get("elements", [])]
        elif kind == "actions":
            parts.append(" ".join(f"[{e['text']['text']}]" for e in block["elements"]))
    text = "\n".join(parts)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        e for b in message.get("blocks") or [] if b.get("type") == "actions" for e in b["elements"]
    ]


@dataclass
class FakeSlack:
    bot_token: str = BOT_TOKEN
    app_token: str = APP_TOKEN
    team: str = TEAM
    bot_user: str = BOT_USER
    calls: list[Call] = field(default_factory=list)
    # (channel, ts) → the message as Slack holds it
    messages: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)  # posts to response URLs
    views: list[dict[str, Any]] = field(default_factory=list)  # views.open
    homes: list[dict[str, Any]] = field(default_factory=list)  # views.publish
    files: list[dict[str, Any]] = field(default_factory=list)  # completed uploads
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # users.info answers
    gone_channels: set[str] = field(default_factory=set)
    acks: list[dict[str, Any]] = field(default_factory=list)  # Socket Mode acks

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        self._failures: dict[str, list[_Failure]] = {}
        self._uploads: dict[str, dict[str, Any]] = {}
        self._sockets: list[web.WebSocketResponse] = []
        self._connected = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FakeSlack:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/respond/{token}", self._respond)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = getattr(site, "_server", None)
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The `slack.api_url` to configure."""
        return f"{self.base}/api/"

    def config_yaml(self, *, mode: str = "http", team_id: str | None = None) -> str:
        """A `slack:` section that points the real SDK here."""
        fields = [
            "enabled: true",
            f"mode: {mode}",
            f"bot_token: {self.bot_token}",
            "signing_secret: s3cret",
            f"api_url: '{self.api_url}'",
        ]
        if mode == "socket":
            fields.append(f"app_token: {self.app_token}")
        if team_id:
            fields.append(f"team_id: {team_id}")
        return "slack: {" + ", ".join(fields) + "}\n"

    # ------------------------------------------------------------------ scripting

    def fail(
        self,
        method: str,
        *,
        status: int = 429,
        error: str = "ratelimited",
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with this error."""
        self._failures.setdefault(method, []).append(_Failure(status, error, retry_after, times))

    def response_url(self) -> str:
        return f"{self.base}/respond/{uuid.uuid4().hex}"

    def calls_of(self, method: str, *, ok: bool | None = True) -> list[Call]:
        return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    def posted(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Messages posted (not ephemeral), in order, as Slack holds them now (edits applied)."""
        found = [m for (ch, _), m in self.messages.items() if channel in (None, ch)]
        return sorted(found, key=lambda m: float(m["ts"]))

    async def wait_for(
        self, check: Callable[[], Any], *, timeout: float = 10.0, what: str = "a call"
    ) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = check()
            if result:
                return result
            if loop.time() > deadline:
                raise AssertionError(f"the fake Slack never saw {what}")
            await asyncio.sleep(0.02)

    # ------------------------------------------------------------------ the Web API

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    params.update(body)
            else:
                form = await request.post()
                params.update({k: v for k, v in form.items() if isinstance(v, str)})
        for key in ("blocks", "view", "files"):
            if isinstance(params.get(key), str):
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(params[key])
        return params

    def _token(self, request: web.Request) -> str:
        return request.headers.get("Authorization", "").removeprefix("Bearer ").strip()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params)
        self.calls.append(call)
        failures = self._failures.get(method)
        if failures:
            failure = failures[0]
            failure.times -= 1
            if failure.times <= 0:
                failures.pop(0)
            call.status, call.error = failure.status, failure.error
            headers = {}
            if failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            return web.json_response(
                {"ok": False, "error": failure.error}, status=failure.status, headers=headers
            )
        wanted = self.app_token if method == "apps.connections.open" else self.bot_token
        if self._token(request) != wanted:
            return self._error(call, "invalid_auth")
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return self._error(call, "unknown_method")
        result = handler(call, params)
        if isinstance(result, str):
            return self._error(call, result)
        return web.json_response({"ok": True, **result})

    def _error(self, call: Call, error: str) -> web.Response:
        call.error = error
        return web.json_response({"ok": False, "error": error})

    def _next_ts(self) -> str:
        return f"{1700000000 + next(self._ts)}.000100"

    def _check_message(self, params: dict[str, Any]) -> str | None:
        text = params.get("text")
        blocks = params.get("blocks")
        if not text and not blocks:
            return "no_text"
        if text is not None and len(str(text)) > TEXT_LIMIT:
            return "msg_too_long"
        if blocks is not None and _block_problem(blocks) is not None:
            return "invalid_blocks"
        channel = str(params.get("channel") or "")
        if not channel or channel in self.gone_channels:
            return "channel_not_found"
        return None

    def _m_auth_test(self, call: Call, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://test.slack.com/",
            "team": "Test",
            "user": "progressbot",
            "team_id": self.team,
            "user_id": self.bot_user,
            "bot_id": "B0BOT0001",
            "is_enterprise_install": False,
        }

    def _m_chat_postMessage(self, call: Call, params: dict[str, Any]) -> dict[str, Any] | str:
        problem = self._check_message(params)
        if problem:
            return problem
        ts, channel = self._next_ts(), str(params["channel"])
        message = {
            "type": "message",
            "ts": ts,
            "user": self.bot_user,
            "bot_id": "B0BOT0001",
            "text": params.get("text", ""),
            "blocks": params.get("blocks") or [],
            "thread_ts": params.get("thread_ts"),
            "reply_broadcast": bool(params.get("reply_broadcast")),
            "edits": 0,
        }
        self.messages[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "message": message}

    def _m_chat_update(self, call: Call, params: dict[str, Any]) -> dict[str, Any] | str:
        problem = self._check_message(params)
        if problem:
            return problem
        channel, ts = str(params["channel"]), str(params.get("ts"))
        message = self.messages.get((channel, ts))
        if message is None:
            return "message_not_found"
        message.update(
            text=params.get("text", ""),
            blocks=params.get("blocks") or [],
            edits=message["edits"] + 1,
        )
        return {"channel": channel, "ts": ts, "text": message["text"]}

    def _m_chat_postEphemeral(self, call: Call, params: dict[str, Any]) -> dict[str, Any] | str:
        problem = self._check_message(params)
        if problem:
            return problem
        self.ephemerals.append(dict(params))
        return {"message_ts": self._next_ts()}

    def _m_conversations_history(self, call: Call, params: dict[str, Any]) -> dict[str, Any]:
        message = self.messages.get((str(params.get("channel")), str(params.get("latest"))))
        return {"messages": [message] if message else [], "has_more": False}

    def _m_conversations_open(self, call: Call, params: dict[str, Any]) -> dict[str, Any]:
        return {"channel": {"id": "D" + str(params.get("users", "X"))[1:]}}

    def _m_views_open(self, call: Call, params: dict[str, Any]) -> dict[str, Any] | str:
        if not params.get("trigger_id"):
            return "invalid_trigger_id"
        view = {"id": f"V{len(self.views) + 1:08d}", **params["view"]}
        self.views.append(view)
        return {"view": view}

    def _m_views_publish(self, call: Call, params: dict[str, Any]) -> dict[str, Any] | str:
        view = params.get("view") or {}
        if len(view.get("blocks") or []) > 100 or _block_problem((view.get("blocks") or [])[:50]):
            return "invalid_blocks"
        self.homes.append({"user_id": params.get("user_id"), "view": view})
        return {"view": view}

    def _m_users_info(self, call: Call, params: dict[str, Any]) -> dict[str, Any] | str:
        user = self.users.get(str(params.get("user")))
        return {"user": user} if user is not None else "user_not_found"

    def _m_apps_connections_open(self, call: Call, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": f"ws://127.0.0.1:{self.port}/socket"}

    def _m_files_getUploadURLExternal(
        self, call: Call, params: dict[str, Any]
    ) -> dict[str, Any] | str:
        if not params.get("filename") or not params.get("length"):
            return "invalid_arguments"
        file_id = f"F{len(self._uploads) + 1:08d}"
        self._uploads[file_id] = {"filename": params["filename"], "length": int(params["length"])}
        return {"upload_url": f"{self.base}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(
        self, call: Call, params: dict[str, Any]
    ) -> dict[str, Any] | str:
        done = []
        for item in params.get("files") or []:
            upload = self._uploads.get(item.get("id"))
            if upload is None or "content" not in upload:
                return "file_not_found"
            record = {
                **upload,
                "id": item["id"],
                "title": item.get("title"),
                "channel": params.get("channel_id"),
                "thread_ts": params.get("thread_ts"),
            }
            self.files.append(record)
            done.append({"id": item["id"], "title": item.get("title")})
        return {"files": done}

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self._uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="not found")
        upload["content"] = await request.read()
        return web.Response(text="OK - " + str(len(upload["content"])), content_type="text/plain")

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        problem = _block_problem(body["blocks"]) if "blocks" in body else None
        if problem:
            return web.Response(status=400, text="invalid_blocks")
        self.responses.append(body)
        return web.Response(text="ok", content_type="text/plain")

    # ------------------------------------------------------------------ Socket Mode

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {}})
        self._connected.set()
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self.acks.append(json.loads(msg.data))
        finally:
            self._sockets.remove(ws)
        return ws

    async def connected(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def push_envelope(
        self,
        payload: dict[str, Any],
        *,
        kind: str = "events_api",
        envelope_id: str | None = None,
        retry_attempt: int = 0,
    ) -> str:
        """Send one envelope over the app's WebSocket; returns its envelope_id."""
        envelope_id = envelope_id or str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "accepts_response_payload": kind != "events_api",
            "payload": payload,
        }
        if kind == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = "timeout" if retry_attempt else ""
        assert self._sockets, "no Socket Mode connection"
        await self._sockets[-1].send_json(envelope)
        return envelope_id


# ---------------------------------------------------------------------- what Slack sends


def sign(body: str, secret: str = "s3cret", timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack puts on a request to /slack/events."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def event_callback(
    event: dict[str, Any], *, event_id: str | None = None, team: str = TEAM
) -> dict[str, Any]:
    """An Events API envelope around `event` (app_mention, message, app_home_opened ...)."""
    return {
        "token": "legacy",
        "team_id": team,
        "api_app_id": "A0TEST",
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": BOT_USER, "is_bot": True}],
    }


def mention(
    user: str, text: str, *, channel: str = "C0CRM0001", ts: str = "1700000000.000001"
) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }


def direct_message(
    user: str, text: str, *, channel: str = "D0ALICE01", ts: str = "1700000000.000002"
) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }


def slash_command(
    user: str, text: str, *, response_url: str, channel: str = "C0CRM0001", team: str = TEAM
) -> str:
    """A /progress command as Slack posts it (form-encoded)."""
    return urlencode(
        {
            "token": "legacy",
            "team_id": team,
            "channel_id": channel,
            "user_id": user,
            "command": "/progress",
            "text": text,
            "response_url": response_url,
            "trigger_id": f"trig.{uuid.uuid4().hex}",
            "api_app_id": "A0TEST",
        }
    )


def block_actions(
    user: str,
    message: dict[str, Any],
    button: dict[str, Any],
    *,
    channel: str,
    team: str = TEAM,
    response_url: str = "",
) -> dict[str, Any]:
    """A press of `button` on `message` (as the fake holds it)."""
    return {
        "type": "block_actions",
        "team": {"id": team, "domain": "test"},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A0TEST",
        "trigger_id": f"trig.{uuid.uuid4().hex}",
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "channel": {"id": channel},
        "message": message,
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "action_id": button["action_id"],
                "block_id": "b",
                "text": button["text"],
                "value": button.get("value", ""),
                "action_ts": str(time.time()),
            }
        ],
    }


def view_submission(
    user: str, view: dict[str, Any], values: dict[str, Any], *, team: str = TEAM
) -> dict[str, Any]:
    """The submit of a modal the app opened, with the state Slack collected."""
    return {
        "type": "view_submission",
        "team": {"id": team, "domain": "test"},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A0TEST",
        "trigger_id": f"trig.{uuid.uuid4().hex}",
        "view": {**view, "state": {"values": values}},
    }


def form_payload(payload: dict[str, Any]) -> str:
    """An interactive payload as Slack posts it: `payload=<json>`, form-encoded."""
    return urlencode({"payload": json.dumps(payload)})
