"""One task, three channels at once: the fake Slack, the fake Telegram and a local SMTP server.

Every event of the product's notification table reaches every subscribed target with its text;
a platform that fails five times and then works still delivers once; a rate limit is waited out;
quiet hours hold mail back and deliver one summary.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from adapters.slack import SlackAdapter
from adapters.slack.ratelimit import Pacer, Rate
from adapters.telegram import FloodControl, TelegramAdapter
from bot.cli.server import RunningServer
from bot.notify.notifier import Notifier
from store.db import Database
from store.tracker import chat_scope
from tests.fakes.slack import FakeSlack
from tests.fakes.telegram import FakeTelegram, visible_text
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import Api, FakeClock, make_config, running_server
from tests.helpers.smtp_sink import SmtpSink, smtp_sink

CHANNEL, CHAT, INBOX = "C0PROGRESS", "456", "alice@example.com"
SEED_TEXTS = [
    "Your CRM task has started",
    "Step 1 complete: Database created",
    "⚠️ Approval required for Step 3",
    "✅ Your CRM is ready!",
]
FAILED_TEXT = "❌ Task failed at Step 2"


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as running:
        yield running


@asynccontextmanager
async def three_channels(
    db: Database, sink: SmtpSink
) -> AsyncIterator[tuple[RunningServer, FakeSlack, FakeTelegram]]:
    async with FakeSlack() as slack, FakeTelegram() as telegram:
        config = make_config(
            slack.config_yaml()
            + f"telegram: {{enabled: true, mode: webhook, token: '{telegram.token}', "
            f"api_url: '{telegram.api_url}', webhook_url: 'https://bot.example.com/telegram/webhook',"
            " webhook_secret: hook-secret}\n"
            + sink.config_yaml()
            + "notifications: {card_interval_seconds: 3, max_attempts: 8}\n"
        )
        clock = FakeClock()
        async with running_server(db, config=config, clock=clock) as server:
            # The platforms' pacing is tested on its own; here it would only make the test slow.
            slack_adapter = server.services.adapters["slack"]
            assert isinstance(slack_adapter, SlackAdapter)
            slack_adapter.pacer = Pacer(post=Rate(1000, 1000), update=Rate(1000, 1000))
            telegram_adapter = server.services.adapters["telegram"]
            assert isinstance(telegram_adapter, TelegramAdapter)
            telegram_adapter.flood = FloodControl(chat_interval=0.0, overall_per_second=1000)
            yield server, slack, telegram


async def create(api: Api, task_id: str, **extra: Any) -> None:
    body = {
        **SEED_CREATE,
        "task_id": task_id,
        "notify": [
            {"platform": "slack", "chat": CHANNEL},
            {"platform": "telegram", "chat": CHAT},
            {"platform": "email", "chat": INBOX},
        ],
        **extra,
    }
    status, answer = await api.post("/api/tasks", body)
    assert status == 201, answer


async def events(api: Api, task_id: str, *batch: dict[str, Any]) -> None:
    status, answer = await api.post(f"/api/tasks/{task_id}/events", list(batch))
    assert status == 200, answer


async def drain(server: RunningServer, rounds: int = 12) -> None:
    clock = server.services.clock
    assert isinstance(clock, FakeClock)
    notifier = Notifier(server.services)
    for _ in range(rounds):
        await notifier.drain()
        clock.advance(60)
    await notifier.drain()


def slack_notices(slack: FakeSlack) -> list[str]:
    return [
        m["text"].splitlines()[0]
        for m in slack.posted(CHANNEL)
        if m["thread_ts"] is not None  # notices go into the card's thread
    ]


def telegram_firsts(telegram: FakeTelegram) -> list[str]:
    return [text.splitlines()[0] for text in telegram.texts(CHAT)]


def mail_subjects(sink: SmtpSink) -> list[str]:
    return [
        m.header("Subject") or ""
        for m in sink.to(INBOX)
        if m.header("X-Progressbot-Event") != "card"
    ]


async def run_the_seed_task(api: Api, server: RunningServer) -> None:
    await create(api, "abc123")
    await events(api, "abc123", {"type": "task_started"}, {"type": "step_started", "step": 1})
    await events(api, "abc123", {"type": "step_completed", "step": 1})
    await events(
        api,
        "abc123",
        {"type": "step_started", "step": 2},
        {"type": "step_progress", "step": 2, "percent": 65},
    )
    await drain(server)
    await events(
        api,
        "abc123",
        {"type": "step_completed", "step": 2},
        {"type": "approval_requested", "step": 3, "prompt": "Add search indexes?"},
    )
    await drain(server)
    snap = (await api.get("/api/tasks/abc123/progress"))[1]
    status, _ = await api.post(f"/api/approvals/{snap['approval']['id']}/approve", {"by": "bob"})
    assert status == 200
    await events(api, "abc123", {"type": "step_completed", "step": 3})
    await events(api, "abc123", {"type": "step_completed", "step": 4}, {"type": "task_completed"})
    await drain(server)


def in_order(wanted: list[str], got: list[str]) -> bool:
    """`wanted` appear in `got` in this order (other lines may stand between them)."""
    position = 0
    for line in got:
        if position < len(wanted) and line == wanted[position]:
            position += 1
    return position == len(wanted)


async def test_every_seed_event_reaches_every_channel(db: Database, sink: SmtpSink) -> None:
    async with three_channels(db, sink) as (server, slack, telegram), aiohttp.ClientSession() as s:
        api = Api(s, server.url)
        await run_the_seed_task(api, server)
        await create(api, "def456", title="Nightly Sales Pipeline", short_name="pipeline")
        await events(
            api,
            "def456",
            {"type": "step_started", "step": 2},
            {"type": "step_failed", "step": 2, "error": "disk full"},
        )
        await drain(server)

        wanted = [*SEED_TEXTS, FAILED_TEXT]
        for name, got in (
            ("slack", slack_notices(slack)),
            ("telegram", telegram_firsts(telegram)),
            ("email", mail_subjects(sink)),
        ):
            assert in_order(wanted, got), (name, got)
            for text in wanted:
                assert got.count(text) == 1, (name, text, got)


async def test_five_server_errors_then_success_delivers_once(db: Database, sink: SmtpSink) -> None:
    async with three_channels(db, sink) as (server, slack, telegram), aiohttp.ClientSession() as s:
        api = Api(s, server.url)
        telegram.fail(CHAT, 500, "Internal Server Error", times=5, methods={"sendMessage"})
        slack.fail("chat.postMessage", status=500, error="internal_error", times=5)
        await create(api, "abc123")
        await events(api, "abc123", {"type": "task_started"})
        await drain(server, rounds=20)
        assert telegram_firsts(telegram).count("Your CRM task has started") == 1
        assert [m["text"].splitlines()[0] for m in slack.posted(CHANNEL)].count(
            "Your CRM task has started"
        ) == 1
        assert mail_subjects(sink).count("Your CRM task has started") == 1
        refused = [c for c in telegram.calls if c.method == "sendMessage" and c.status == 500]
        assert len(refused) == 5


async def test_a_rate_limit_is_waited_out(db: Database, sink: SmtpSink) -> None:
    async with three_channels(db, sink) as (server, _slack, telegram), aiohttp.ClientSession() as s:
        api = Api(s, server.url)
        telegram.fail(
            CHAT, 429, "Too Many Requests: retry after 2", retry_after=2, methods={"sendMessage"}
        )
        await create(api, "abc123")
        await events(api, "abc123", {"type": "task_started"})
        notifier = Notifier(server.services)
        await notifier.drain()
        assert "Your CRM task has started" not in telegram_firsts(telegram)
        await drain(server)
        assert telegram_firsts(telegram).count("Your CRM task has started") == 1


async def test_quiet_hours_hold_mail_and_deliver_a_summary(db: Database, sink: SmtpSink) -> None:
    async with (
        three_channels(db, sink) as (server, _slack, _telegram),
        aiohttp.ClientSession() as s,
    ):
        api = Api(s, server.url)
        clock = server.services.clock
        assert isinstance(clock, FakeClock)
        await server.services.tracker.set_preferences(
            chat_scope("email", INBOX), quiet_hours={"start": "22:00", "end": "07:00"}
        )
        clock.set(datetime(2024, 1, 15, 23, 0, tzinfo=UTC))
        await create(api, "abc123")
        await events(api, "abc123", {"type": "task_started"})
        await events(api, "abc123", {"type": "step_completed", "step": 1})
        notifier = Notifier(server.services)
        await notifier.drain()
        clock.advance(3600)
        await notifier.drain()
        assert mail_subjects(sink) == []
        clock.set(datetime(2024, 1, 16, 7, 5, tzinfo=UTC))
        await notifier.drain()
        subjects = mail_subjects(sink)
        assert subjects == ["🌙 While notifications were quiet you missed 2 updates:"]
        body = sink.to(INBOX)[-1].part("plain")
        assert "• Your CRM task has started" in body
        assert "• Step 1 complete: Database created" in body


def test_visible_text_helper_reads_html() -> None:
    assert visible_text("<b>a</b> &amp; b") == "a & b"
