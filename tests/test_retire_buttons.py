"""A decision taken anywhere retires the Approve/Reject buttons everywhere: the messages in Slack
and Telegram that offered them are edited to say who decided what, with no buttons left."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import aiohttp

from bot.links import task_link
from store.db import Database
from store.tracker import chat_scope, person_scope
from tests.fakes.slack import FakeSlack
from tests.fakes.slack import buttons as slack_buttons
from tests.fakes.slack import visible_text as slack_text
from tests.fakes.telegram import FakeTelegram
from tests.helpers.server import Api
from tests.helpers.smtp_sink import SmtpSink
from tests.test_every_channel import CHANNEL, CHAT, create, drain, events, sink, three_channels

__all__ = ["sink"]


def slack_approval_messages(slack: FakeSlack) -> list[dict[str, Any]]:
    return [
        m
        for m in slack.posted(CHANNEL)
        if any(b.get("text", {}).get("text") == "Approve" for b in slack_buttons(m))
    ]


def telegram_approval_messages(telegram: FakeTelegram) -> list[dict[str, Any]]:
    return [
        m
        for (chat, _), m in telegram.messages.items()
        if chat == CHAT and any(b["text"] == "Approve" for b in telegram.buttons(m))
    ]


async def waiting_for_approval(api: Api, server: Any, task_id: str) -> str:
    await create(api, task_id, approval={"approvers": ["alice", "bob"]})
    await events(api, task_id, {"type": "task_started"}, {"type": "step_started", "step": 1})
    await events(
        api, task_id, {"type": "approval_requested", "step": 1, "prompt": "Add search indexes?"}
    )
    await drain(server)
    _, snap = await api.get(f"/api/tasks/{task_id}/progress")
    return str(snap["approval"]["id"])


async def test_a_decision_on_the_web_retires_the_buttons_in_slack_and_telegram(
    db: Database, sink: SmtpSink
) -> None:
    async with three_channels(db, sink) as (server, slack, telegram):
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            api = Api(browser, server.url)
            approval = await waiting_for_approval(api, server, "appr1")
            assert slack_approval_messages(slack), "Slack offered Approve/Reject"
            assert telegram_approval_messages(telegram), "Telegram offered Approve/Reject"

            async with browser.get(task_link(server.services.config, "appr1", "alice")) as resp:
                page = await resp.text()
                assert resp.status == 200
            csrf = re.search(r'<meta name="progressbot-csrf" content="([^"]+)">', page)
            assert csrf
            async with browser.post(
                f"{server.url}/web/approvals/{approval}/approve",
                json={},
                headers={"X-Progressbot-CSRF": csrf.group(1)},
            ) as resp:
                assert resp.status == 200, await resp.text()
            await drain(server)

        assert slack_approval_messages(slack) == []
        assert telegram_approval_messages(telegram) == []
        assert any("approved by alice" in slack_text(m).lower() for m in slack.posted(CHANNEL))
        assert any(
            "approved by alice" in str(m.get("text", "")).lower()
            for (chat, _), m in telegram.messages.items()
            if chat == CHAT
        )


async def test_a_cancelled_task_retires_its_approval_buttons(db: Database, sink: SmtpSink) -> None:
    async with three_channels(db, sink) as (server, slack, telegram):
        async with aiohttp.ClientSession() as session:
            api = Api(session, server.url)
            await waiting_for_approval(api, server, "appr2")
            status, _ = await api.post("/api/tasks/appr2/cancel", {"by": "alice"})
            assert status == 200
            await drain(server)
        assert slack_approval_messages(slack) == []
        assert telegram_approval_messages(telegram) == []


async def approve_on_the_web(server: Any, task_id: str, approval: str) -> None:
    """Alice approves in her browser, a surface other than the chats that show the buttons."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(task_link(server.services.config, task_id, "alice")) as resp:
            page = await resp.text()
            assert resp.status == 200
        csrf = re.search(r'<meta name="progressbot-csrf" content="([^"]+)">', page)
        assert csrf
        async with browser.post(
            f"{server.url}/web/approvals/{approval}/approve",
            json={},
            headers={"X-Progressbot-CSRF": csrf.group(1)},
        ) as resp:
            assert resp.status == 200, await resp.text()


async def test_a_muted_chat_still_has_its_approval_buttons_retired(
    db: Database, sink: SmtpSink
) -> None:
    """Retiring buttons is not a notice: a mute holds back news, not the edit that takes away
    buttons nobody may press any more."""
    async with three_channels(db, sink) as (server, slack, telegram):
        async with aiohttp.ClientSession() as session:
            api = Api(session, server.url)
            approval = await waiting_for_approval(api, server, "appr3")
        assert slack_approval_messages(slack) and telegram_approval_messages(telegram)
        clock = server.services.clock
        until = clock.now() + timedelta(hours=6)
        tracker = server.services.tracker
        assert await tracker.mute("appr3", "slack", CHANNEL, None, until=until)
        assert await tracker.mute("appr3", "telegram", CHAT, None, until=until)
        posted_before = len(slack.posted(CHANNEL))
        telegram_before = len(telegram.texts(CHAT))

        await approve_on_the_web(server, "appr3", approval)
        await drain(server)

        assert slack_approval_messages(slack) == []
        assert telegram_approval_messages(telegram) == []
        assert any("approved by alice" in slack_text(m).lower() for m in slack.posted(CHANNEL))
        assert any(
            "approved by alice" in str(m.get("text", "")).lower()
            for (chat, _), m in telegram.messages.items()
            if chat == CHAT
        )
        # Still muted: the buttons were edited away, and nothing new was posted.
        assert len(slack.posted(CHANNEL)) == posted_before
        assert len(telegram.texts(CHAT)) == telegram_before


async def test_a_person_who_hears_only_completions_still_has_the_buttons_retired(
    db: Database, sink: SmtpSink
) -> None:
    async with three_channels(db, sink) as (server, slack, telegram):
        async with aiohttp.ClientSession() as session:
            api = Api(session, server.url)
            approval = await waiting_for_approval(api, server, "appr4")
        assert telegram_approval_messages(telegram)
        # Alice (whose private chat CHAT is) now hears only completions, and the channel too.
        await server.services.tracker.set_preferences(
            person_scope("alice"), events=["task_completed"]
        )
        await server.services.tracker.set_preferences(
            chat_scope("slack", CHANNEL, None), events=["task_completed"]
        )

        await approve_on_the_web(server, "appr4", approval)
        await drain(server)

        assert slack_approval_messages(slack) == []
        assert telegram_approval_messages(telegram) == []
