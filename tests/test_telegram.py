"""The Telegram channel end to end: real python-telegram-bot against a fake Bot API server.

The Progress Bot server runs for real (`running_server`), its Telegram adapter talks to
`tests.fakes.telegram.FakeTelegram` through `telegram.api_url`, in polling and in webhook mode.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from adapters.telegram import INVALID_BUTTON, FloodControl, TelegramAdapter
from bot.cli.server import RunningServer
from bot.client import AsyncProgressClient
from bot.notify.notifier import Notifier
from store.db import Database
from store.models import Target
from tests.fakes.telegram import BOT_USERNAME, FakeTelegram, visible_text
from tests.helpers.seed import SEED_CHAT_ANSWER, SEED_CREATE, SEED_EVENTS
from tests.helpers.server import (
    TOKEN,
    Api,
    FakeClock,
    deliveries_held,
    make_config,
    running_server,
)

ALICE, BOB, CAROL = 100000001, 100000002, 100000003
SECRET = "hook-secret-123"
MODES = ["polling", "webhook"]


def telegram_config(fake: FakeTelegram, mode: str) -> str:
    hook = ""
    if mode == "webhook":
        hook = (
            f", webhook_url: 'https://bot.example.com/telegram/webhook', webhook_secret: {SECRET}"
        )
    return (
        f"telegram: {{enabled: true, mode: {mode}, token: '123:ABC', "
        f"api_url: '{fake.api_url}'{hook}}}\n"
        "notifications: {card_interval_seconds: 0, max_attempts: 5}\n"
    )


@asynccontextmanager
async def bot_world(
    db: Database, mode: str = "polling", *, real_flood_limits: bool = False
) -> AsyncIterator[tuple[FakeTelegram, RunningServer, Api, FakeClock]]:
    clock = FakeClock()
    async with FakeTelegram(enforce_flood=real_flood_limits) as fake:
        config = make_config(telegram_config(fake, mode))
        async with running_server(db, config=config, clock=clock) as server:
            fake.webhook_target = server.url + "/telegram/webhook"
            if not real_flood_limits:
                # Only the flood test needs Telegram's pace; the others would idle a second
                # between two messages to one chat.
                adapter = server.services.adapters["telegram"]
                assert isinstance(adapter, TelegramAdapter)
                adapter.flood = FloodControl(chat_interval=0.0, overall_per_second=1000)
            async with aiohttp.ClientSession() as session:
                yield fake, server, Api(session, server.url), clock


async def create_seed(
    api: Api, clock: FakeClock, notify: list[dict[str, Any]], task_id: str = "abc123"
) -> str:
    body = copy.deepcopy(SEED_CREATE)
    body["notify"] = notify
    body["task_id"] = task_id
    status, created = await api.post("/api/tasks", body)
    assert status == 201, created
    task_id = str(created["task_id"])
    for event in SEED_EVENTS:
        status, _ = await api.post(f"/api/tasks/{task_id}/events", event)
        assert status == 200
        clock.advance(5)
    return task_id


async def drain(server: RunningServer, clock: FakeClock, rounds: int = 3) -> None:
    notifier = Notifier(server.services)
    for _ in range(rounds):
        while await notifier.drain():
            pass
        clock.advance(60)


def last_message(fake: FakeTelegram, chat: int) -> dict[str, Any]:
    held = [m for (c, _), m in fake.messages.items() if c == str(chat)]
    assert held, f"nothing in chat {chat}"
    return held[-1]


def for_callback(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if k != "html"}


def button_data(fake: FakeTelegram, message: dict[str, Any], label: str) -> str:
    found = [b for b in fake.buttons(message) if b["text"] == label]
    assert found, f"no {label!r} button on {message.get('text')!r}"
    return str(found[0]["callback_data"])


async def press(fake: FakeTelegram, user: int, message: dict[str, Any], data: str) -> str:
    """Press a button; returns the callback id, answered (every press must be) by the bot."""
    update = fake.callback_update(user, for_callback(message), data)
    query_id = update["callback_query"]["id"]
    await fake.push(update)
    await fake.wait_for(
        lambda: [
            c for c in fake.of("answerCallbackQuery") if c.params["callback_query_id"] == query_id
        ]
    )
    return str(query_id)


def callback_answer(fake: FakeTelegram, query_id: str) -> dict[str, Any]:
    calls = [c for c in fake.of("answerCallbackQuery") if c.params["callback_query_id"] == query_id]
    assert len(calls) == 1, "a press must be answered exactly once"
    return calls[0].params


# ---------------------------------------------------------------------- commands


@pytest.mark.parametrize("mode", MODES)
async def test_status_command_gets_the_seed_summary(db: Database, mode: str) -> None:
    async with bot_world(db, mode) as (fake, _server, api, clock):
        assert [c["command"] for c in fake.of("setMyCommands")[0].params["commands"]] == [
            "start",
            "tasks",
            "status",
            "logs",
            "pause",
            "resume",
            "cancel",
            "restart",
            "mute",
            "link",
            "help",
        ]
        if mode == "webhook":
            assert fake.webhook is not None
            assert fake.webhook["secret_token"] == SECRET
        await create_seed(api, clock, [])
        await fake.push(fake.message_update(ALICE, "/status crm"))
        texts = await fake.wait_for(lambda: fake.texts(str(ALICE)))
        body = texts[0].split("\n")
        seed = SEED_CHAT_ANSWER.split("\n")
        assert body[: len(seed) - 1] == seed[:-1]
        assert body[len(seed) - 1].startswith("ETA: ") and body[len(seed) - 1].endswith(
            "remaining."
        )
        sent = fake.of("sendMessage", str(ALICE))[0]
        assert sent.params["parse_mode"] == "HTML"
        labels = [b["text"] for b in fake.buttons(last_message(fake, ALICE))]
        assert labels == ["Pause", "Cancel"]


async def test_a_redelivered_update_is_handled_once(db: Database) -> None:
    async with bot_world(db) as (fake, _server, api, clock):
        await create_seed(api, clock, [])
        update = fake.message_update(ALICE, "/status crm")
        update_id = await fake.push(update)
        await fake.wait_for(lambda: fake.texts(str(ALICE)))
        # Telegram sends it again (say, our offset confirmation was lost in a restart).
        await fake.redeliver({"update_id": update_id, **update})
        await fake.push(fake.message_update(ALICE, "/help"))
        texts = await fake.wait_for(
            lambda: len(fake.texts(str(ALICE))) >= 2 and fake.texts(str(ALICE))
        )
        await asyncio.sleep(0.3)
        texts = fake.texts(str(ALICE))
        assert len(texts) == 2 and texts[1].startswith("Here's what I can do:")


@pytest.mark.parametrize("mode", MODES)
async def test_updates_are_taken_while_the_store_is_busy_then_answered_in_order(
    db: Database, mode: str
) -> None:
    async with bot_world(db, mode) as (fake, _server, api, clock):
        await create_seed(api, clock, [])
        async with deliveries_held(db):
            # A webhook is answered, and long polling goes on, without waiting for the store.
            # (The timeouts only keep a regression from hanging the run.)
            first = await asyncio.wait_for(fake.push(fake.message_update(ALICE, "/help")), 10)
            await asyncio.wait_for(fake.push(fake.message_update(ALICE, "/status crm")), 10)
            if mode == "polling":
                await fake.wait_for(
                    lambda: any(
                        int(c.params.get("offset") or 0) > first + 1 for c in fake.of("getUpdates")
                    )
                )
            assert fake.texts(str(ALICE)) == []  # nothing is answered before it is recorded
        texts = await fake.wait_for(
            lambda: len(fake.texts(str(ALICE))) >= 2 and fake.texts(str(ALICE))
        )
        assert len(texts) == 2
        assert texts[0].startswith("Here's what I can do:")
        assert "65% complete" in texts[1]


async def test_groups_answer_only_when_addressed_and_topics_keep_their_thread(db: Database) -> None:
    group = -1001234567890
    async with bot_world(db) as (fake, _server, api, clock):
        await create_seed(api, clock, [])
        await fake.push(
            fake.message_update(ALICE, "how is crm going", chat_id=group, chat_type="supergroup")
        )
        await fake.push(
            fake.message_update(
                ALICE,
                f"@{BOT_USERNAME} status crm",
                chat_id=group,
                chat_type="supergroup",
                thread=42,
            )
        )
        sent = await fake.wait_for(lambda: fake.of("sendMessage", str(group)))
        await asyncio.sleep(0.3)
        sent = fake.of("sendMessage", str(group))
        assert len(sent) == 1  # the unaddressed message got no answer
        assert sent[0].params["message_thread_id"] == 42
        assert visible_text(sent[0].params["text"]).startswith("📊 Your Cellphone Store CRM task")


async def test_a_stranger_is_told_how_to_get_set_up(db: Database) -> None:
    async with bot_world(db) as (fake, _server, _api, _clock):
        await fake.push(fake.message_update(555, "/status crm"))
        texts = await fake.wait_for(lambda: fake.texts("555"))
        assert "555 is not set up" in texts[0]


# ---------------------------------------------------------------------- push updates


@pytest.mark.parametrize("mode", MODES)
async def test_events_reach_a_deep_linked_chat_as_one_card_and_loud_notices(
    db: Database, mode: str
) -> None:
    async with bot_world(db, mode) as (fake, server, api, clock):
        task_id = await create_seed(api, clock, [])
        await drain(server, clock)
        await fake.push(fake.message_update(BOB, f"/start {task_id}"))
        texts = await fake.wait_for(lambda: fake.texts(str(BOB)))
        assert texts == ["🔔 I'll post updates about Cellphone Store CRM here."]

        chat = str(BOB)
        for event in (
            {"type": "step_completed", "step": 2},
            {"type": "step_started", "step": 3},
            {"type": "approval_requested", "step": 3, "prompt": "Apply <indexes> & views?"},
        ):
            await api.post(f"/api/tasks/{task_id}/events", event)
            clock.advance(5)
            await drain(server, clock)
        snap = (await api.get(f"/api/tasks/{task_id}/progress"))[1]
        approval_id = snap["approval"]["id"]
        status, _ = await api.post(f"/api/approvals/{approval_id}/approve", {"by": "alice"})
        assert status == 200
        for event in (
            {"type": "step_completed", "step": 3},
            {"type": "step_started", "step": 4},
            {"type": "step_failed", "step": 4, "error": "disk <full>"},
            {"type": "task_failed", "step": 4, "error": "disk <full>"},
        ):
            await api.post(f"/api/tasks/{task_id}/events", event)
            clock.advance(5)
        await drain(server, clock)

        sends = fake.of("sendMessage", chat)[1:]  # after the /start answer
        cards = [
            c for c in sends if visible_text(c.params["text"]).startswith("Cellphone Store CRM")
        ]
        notices = [c for c in sends if c not in cards]
        assert len(cards) == 1, "one live card, edited in place"
        card_id = next(
            m
            for (c, m_id), m in fake.messages.items()
            if c == chat and m["text"].startswith("Cellphone Store CRM")
        )
        assert card_id
        edits = fake.of("editMessageText", chat)
        assert edits, "the card is edited as the task moves"
        final_card = visible_text(edits[-1].params["text"])
        assert "✕ Failed: disk <full>" in final_card

        firsts = [
            (visible_text(c.params["text"]).split("\n")[0], c.params.get("disable_notification"))
            for c in notices
        ]
        assert firsts == [
            ("Step 2 complete: Generate application UI", True),
            ("⚠️ Approval required for Step 3", False),
            ("✅ Approved by alice", True),
            ("Step 3 complete: Add search and filters", True),
            ("❌ Task failed at Step 4", False),
        ]
        approval_notice = visible_text(notices[1].params["text"])
        assert "Apply <indexes> & views?" in approval_notice


async def test_completion_is_loud_and_a_deleted_card_is_posted_again(db: Database) -> None:
    async with bot_world(db) as (fake, server, api, clock):
        task_id = await create_seed(api, clock, [{"platform": "telegram", "chat": str(ALICE)}])
        await drain(server, clock)
        chat = str(ALICE)
        card = [
            m
            for (c, _), m in fake.messages.items()
            if c == chat and m["text"].startswith("Cellphone")
        ]
        assert len(card) == 1
        fake.delete_message(chat, card[0]["message_id"])
        for step in (2, 3, 4):
            await api.post(f"/api/tasks/{task_id}/events", {"type": "step_completed", "step": step})
        await api.post(f"/api/tasks/{task_id}/events", {"type": "task_completed"})
        clock.advance(5)
        await drain(server, clock)
        cards = [
            c
            for c in fake.of("sendMessage", chat)
            if visible_text(c.params["text"]).startswith("Cellphone")
        ]
        assert len(cards) == 2  # re-posted after "message to edit not found"
        done = [
            c
            for c in fake.of("sendMessage", chat)
            if visible_text(c.params["text"]).startswith("✅ Your CRM is ready!")
        ]
        assert len(done) == 1 and done[0].params["disable_notification"] is False


async def test_a_blocked_bot_or_a_deleted_chat_disables_the_target(db: Database) -> None:
    async with bot_world(db) as (fake, server, api, clock):
        fake.blocked.add(str(BOB))
        fake.missing_chats.add("-100777")
        await create_seed(
            api,
            clock,
            [
                {"platform": "telegram", "chat": str(BOB)},
                {"platform": "telegram", "chat": "-100777"},
                {"platform": "telegram", "chat": str(ALICE)},
            ],
        )
        await drain(server, clock)
        async with server.services.db.read() as session:
            rows = {t.chat: t for t in await session.scalars(select(Target))}
        assert rows[str(BOB)].disabled and "blocked" in (rows[str(BOB)].disabled_reason or "")
        assert (
            rows["-100777"].disabled
            and "not found" in (rows["-100777"].disabled_reason or "").lower()
        )
        assert not rows[str(ALICE)].disabled
        metrics = server.services.metrics.render().decode()
        assert 'progressbot_targets_disabled_total{platform="telegram"} 2.0' in metrics
        attempts = len(fake.of("sendMessage", str(BOB), ok=False))
        await drain(server, clock)
        assert len(fake.of("sendMessage", str(BOB), ok=False)) == attempts  # not retried forever


# ---------------------------------------------------------------------- approvals inline


async def approval_world_task(
    api: Api, clock: FakeClock, chat: int, task_id: str = "abc123"
) -> tuple[str, str]:
    task_id = await create_seed(api, clock, [{"platform": "telegram", "chat": str(chat)}], task_id)
    await api.post(f"/api/tasks/{task_id}/events", {"type": "step_completed", "step": 2})
    await api.post(
        f"/api/tasks/{task_id}/events",
        {"type": "approval_requested", "step": 3, "prompt": "Apply indexes?"},
    )
    snap = (await api.get(f"/api/tasks/{task_id}/progress"))[1]
    return task_id, str(snap["approval"]["id"])


def approval_message(fake: FakeTelegram, chat: int) -> dict[str, Any]:
    found = [
        m
        for (c, _), m in fake.messages.items()
        if c == str(chat) and m["text"].startswith("⚠️ Approval required")
    ]
    assert len(found) == 1
    return found[0]


async def wait_for_approval(api: Api, task_id: str) -> dict[str, Any]:
    """Poll the control state (what every engine watches) until the approval is decided."""
    for _ in range(200):
        status, control = await api.get(f"/api/tasks/{task_id}/control")
        assert status == 200
        approval = control.get("approval") or {}
        if approval.get("status") in ("approved", "rejected"):
            return dict(control)
        await asyncio.sleep(0.05)
    raise AssertionError("the approval was never decided")


async def until_pending_approval(api: Api, task_id: str) -> None:
    for _ in range(200):
        snap = (await api.get(f"/api/tasks/{task_id}/progress"))[1]
        if (snap.get("approval") or {}).get("status") == "pending":
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the engine never asked for approval")


@pytest.mark.parametrize("mode", MODES)
async def test_an_approvers_click_resumes_the_engine(db: Database, mode: str) -> None:
    async with bot_world(db, mode) as (fake, server, api, clock):
        task_id = await create_seed(api, clock, [{"platform": "telegram", "chat": str(ALICE)}])
        await api.post(f"/api/tasks/{task_id}/events", {"type": "step_completed", "step": 2})
        async with AsyncProgressClient(server.url, TOKEN) as client:
            engine = asyncio.create_task(
                client.task(task_id).request_approval(3, "Apply indexes?", timeout=30)
            )
            await until_pending_approval(api, task_id)
            await drain(server, clock)
            message = approval_message(fake, ALICE)
            assert [b["text"] for b in fake.buttons(message)] == ["Approve", "Reject"]
            assert not engine.done()
            query = await press(fake, ALICE, message, button_data(fake, message, "Approve"))
            approval = await asyncio.wait_for(engine, 20)  # the engine's call returns
        assert approval["status"] == "approved" and approval["decided_by"] == "alice"
        assert not callback_answer(fake, query).get("show_alert")
        edited = await fake.wait_for(
            lambda: approval_message(fake, ALICE).get("edit_date") and approval_message(fake, ALICE)
        )
        assert edited["text"].endswith("✅ Approved by Alice")
        assert fake.buttons(edited) == []


async def test_a_strangers_click_is_refused_and_nothing_changes(db: Database) -> None:
    group = -100555
    async with bot_world(db) as (fake, server, api, clock):
        task_id, _ = await approval_world_task(api, clock, group)
        await drain(server, clock)
        message = approval_message(fake, group)
        query = await press(fake, CAROL, message, button_data(fake, message, "Approve"))
        answer = callback_answer(fake, query)
        assert answer["show_alert"] is True
        assert "not an approver" in answer["text"]
        snap = (await api.get(f"/api/tasks/{task_id}/progress"))[1]
        assert snap["status"] == "approval" and snap["approval"]["status"] == "pending"
        assert fake.buttons(approval_message(fake, group))  # the buttons are still there


async def test_tampered_callback_data_acts_on_nothing(db: Database) -> None:
    async with bot_world(db) as (fake, server, api, clock):
        task_id, approval_id = await approval_world_task(api, clock, ALICE)
        other_id, _ = await approval_world_task(api, clock, ALICE, "def456")
        await drain(server, clock)
        message = next(
            m
            for (c, _), m in fake.messages.items()
            if c == str(ALICE) and m["text"].startswith("⚠️ Approval required")
        )
        data = button_data(fake, message, "Approve")
        code, task, arg, mac = data.split("|")
        forged = [
            f"{code}|{other_id}|{arg}|{mac}",
            f"{code}|{task}|{int(arg) + 1}|{mac}",
            f"j|{task}|{arg}|{mac}",
            "a|" + task + "|" + arg + "|AAAAAAAAAAA",
            "garbage",
        ]
        for bad in forged:
            query = await press(fake, ALICE, message, bad)
            answer = callback_answer(fake, query)
            assert answer["show_alert"] is True and answer["text"] == INVALID_BUTTON
        # the genuine data, replayed into another chat (alice's button shown to carol's chat)
        elsewhere = {**for_callback(message), "chat": {"id": CAROL, "type": "private"}}
        query = await press(fake, ALICE, elsewhere, data)
        assert callback_answer(fake, query)["text"] == INVALID_BUTTON
        for tid in (task_id, other_id):
            snap = (await api.get(f"/api/tasks/{tid}/progress"))[1]
            assert snap["approval"]["status"] == "pending"
        assert approval_id


async def test_reject_asks_for_a_reason_and_records_it(db: Database) -> None:
    async with bot_world(db) as (fake, server, api, clock):
        task_id, _ = await approval_world_task(api, clock, ALICE)
        await drain(server, clock)
        message = approval_message(fake, ALICE)
        await press(fake, ALICE, message, button_data(fake, message, "Reject"))
        asked = await fake.wait_for(
            lambda: [
                c
                for c in fake.of("sendMessage", str(ALICE))
                if "force_reply" in (c.params.get("reply_markup") or {})
            ]
        )
        assert "Reply with the reason" in visible_text(asked[0].params["text"])
        question = last_message(fake, ALICE)
        await fake.push(
            fake.message_update(ALICE, "Indexes need review first", reply_to=for_callback(question))
        )
        control = await asyncio.wait_for(wait_for_approval(api, task_id), 10)
        assert control["approval"]["status"] == "rejected"
        assert control["approval"]["reason"] == "Indexes need review first"


async def test_two_approvers_at_once_make_one_decision(db: Database) -> None:
    group = -100999
    async with bot_world(db) as (fake, server, api, clock):
        task_id, _ = await approval_world_task(api, clock, group)
        await drain(server, clock)
        message = approval_message(fake, group)
        approve = button_data(fake, message, "Approve")
        reject = button_data(fake, message, "Reject")
        first = fake.callback_update(ALICE, for_callback(message), approve)
        second = fake.callback_update(BOB, for_callback(message), approve)
        third = fake.callback_update(BOB, for_callback(message), reject)
        await asyncio.gather(fake.push(first), fake.push(second), fake.push(third))
        ids = [u["callback_query"]["id"] for u in (first, second, third)]
        await fake.wait_for(
            lambda: (
                {c.params["callback_query_id"] for c in fake.of("answerCallbackQuery")} >= set(ids)
            )
        )
        answers = [callback_answer(fake, i) for i in ids]
        refused = [a for a in answers if a.get("show_alert")]
        assert len(refused) >= 1  # the later presses are told it was already decided
        snap = (await api.get(f"/api/tasks/{task_id}/progress"))[1]
        assert snap["approval"]["status"] == "approved"
        assert snap["approval"]["decided_by"] in ("alice", "bob")


# ---------------------------------------------------------------------- webhook security


async def test_a_forged_webhook_gets_403_and_changes_nothing(db: Database) -> None:
    async with bot_world(db, "webhook") as (fake, server, api, clock):
        task_id = await create_seed(api, clock, [])
        update = {"update_id": 77, **fake.message_update(ALICE, f"/start {task_id}")}
        url = server.url + "/telegram/webhook"
        async with aiohttp.ClientSession() as session:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with session.post(url, json=update, headers=headers) as resp:
                    assert resp.status == 403
        await asyncio.sleep(0.3)
        assert fake.of("sendMessage") == []
        subscribers = await server.services.queries.subscribers(task_id)
        assert subscribers == []


# ---------------------------------------------------------------------- flood control


async def test_a_hundred_chats_stay_within_the_flood_limits(db: Database) -> None:
    chats = [str(200000000 + i) for i in range(100)]
    slow = chats[7]
    async with bot_world(db, real_flood_limits=True) as (fake, server, api, clock):
        fake.fail(slow, 429, "Too Many Requests: retry after 2", retry_after=2)
        body = copy.deepcopy(SEED_CREATE)
        body["notify"] = [{"platform": "telegram", "chat": c} for c in chats]
        status, created = await api.post("/api/tasks", body)
        assert status == 201
        task_id = created["task_id"]
        await api.post(f"/api/tasks/{task_id}/events", {"type": "task_started"})
        notifier = Notifier(server.services)
        while await notifier.drain():
            pass
        others = [c for c in chats if c != slow]
        assert all(len(fake.delivered(c)) >= 1 for c in others)
        # What went before the slow chat's retry (live cards may wait while notices queue).
        others_first = max(c.at for c in fake.calls if c.status == 200 and c.chat in others)
        # The slow chat's retry waits for its retry_after; nothing else did. Live cards that
        # waited while notices queued go out as time moves on.
        for _ in range(4):
            clock.advance(5)
            while await notifier.drain():
                pass

    assert [c for c in fake.calls if c.status == 429 and c.chat != slow] == []
    refused = [c for c in fake.calls if c.status == 429]
    assert len(refused) == 1
    for chat in chats:
        times = [c.at for c in fake.delivered(chat) if c.status == 200]
        assert len(times) == 2  # the notice and the card
        assert all(b - a >= 0.99 for a, b in itertools.pairwise(times))
    accepted = sorted(c.at for c in fake.calls if c.status == 200 and c.chat in chats)
    for i, start in enumerate(accepted):
        assert sum(1 for t in accepted[i:] if t < start + 1.0) <= 30
    slow_ok = [c.at for c in fake.delivered(slow) if c.status == 200]
    assert min(slow_ok) > others_first  # one chat's flood-wait did not hold up the rest
    assert min(slow_ok) - refused[0].at >= 2.0
