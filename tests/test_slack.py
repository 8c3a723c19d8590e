"""Slack end to end: the real slack_bolt and slack_sdk against a fake Slack on a loopback port,
the real Progress Bot server, and the store on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import copy
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest

from adapters.slack import SlackAdapter
from bot.cli.server import RunningServer
from bot.client import ApprovalRejected, AsyncProgressClient
from bot.notify.notifier import Notifier
from store.db import Database
from tests.fakes.slack import (
    BOT_USER,
    FakeSlack,
    block_actions,
    buttons,
    direct_message,
    event_callback,
    form_payload,
    mention,
    sign,
    slash_command,
    view_submission,
    visible_text,
)
from tests.helpers.seed import SEED_CREATE, SEED_EVENTS
from tests.helpers.server import (
    TOKEN,
    Api,
    FakeClock,
    deliveries_held,
    make_config,
    running_server,
)

ALICE, BOB, CAROL = "U0ALICE01", "U0BOB0001", "U0CAROL01"
CHANNEL = "C0CRM0001"
STEP_NAMES = [
    "Create database tables",
    "Generate application UI",
    "Add search and filters",
    "Configure workflows",
]


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


@asynccontextmanager
async def bot(
    db: Database,
    slack: FakeSlack,
    *,
    mode: str = "http",
    clock: FakeClock | None = None,
    extra: str = "",
) -> AsyncIterator[RunningServer]:
    config = make_config(slack.config_yaml(mode=mode) + extra)
    async with running_server(db, config=config, clock=clock or FakeClock()) as server:
        yield server


def adapter_of(server: RunningServer) -> SlackAdapter:
    adapter = server.services.adapters["slack"]
    assert isinstance(adapter, SlackAdapter)
    return adapter


async def post_events(
    server: RunningServer,
    body: str,
    *,
    form: bool = False,
    headers: dict[str, str] | None = None,
) -> int:
    content_type = "application/x-www-form-urlencoded" if form else "application/json"
    all_headers = {"Content-Type": content_type, **sign(body), **(headers or {})}
    async with (
        aiohttp.ClientSession() as session,
        session.post(server.url + "/slack/events", data=body, headers=all_headers) as resp,
    ):
        return resp.status


async def deliver(server: RunningServer, event: dict[str, Any], **kw: Any) -> int:
    return await post_events(server, json.dumps(event_callback(event, **kw)))


async def create_seed(server: RunningServer, *, notify: bool = False) -> str:
    body = dict(SEED_CREATE)
    if notify:
        body["notify"] = [{"platform": "slack", "chat": CHANNEL}]
    async with aiohttp.ClientSession() as session:
        api = Api(session, server.url)
        status, created = await api.post("/api/tasks", json=body)
        assert status == 201, created
        status, _ = await api.post(f"/api/tasks/{created['task_id']}/events", json=SEED_EVENTS)
        assert status == 200
    return str(created["task_id"])


async def drain(server: RunningServer, clock: FakeClock, rounds: int = 6) -> None:
    notifier = Notifier(server.services)
    for _ in range(rounds):
        await notifier.drain()
        clock.advance(5)


# ---------------------------------------------------------------------- asking


async def test_a_mention_gets_the_seed_card_in_its_thread(db: Database, slack: FakeSlack) -> None:
    async with bot(db, slack) as server:
        await create_seed(server)
        event = mention(ALICE, "how's my CRM task going?", ts="1700000000.000042")
        assert await deliver(server, event) == 200
        await adapter_of(server).idle()
        [reply] = slack.posted(CHANNEL)
        assert reply["thread_ts"] == "1700000000.000042"
        seen = visible_text(reply)
        assert "Cellphone Store CRM" in seen and "*65%*" in seen
        assert "Step 2 of 4: Generate application UI" in seen
        for order, name in enumerate(STEP_NAMES, 1):
            assert f"{order}. {name}" in seen
        assert reply["text"].startswith("📊 Your Cellphone Store CRM task is 65% complete.")


async def test_a_direct_message_and_the_slash_command_work(db: Database, slack: FakeSlack) -> None:
    async with bot(db, slack) as server:
        await create_seed(server)
        assert await deliver(server, direct_message(ALICE, "status of my CRM task")) == 200
        await adapter_of(server).idle()
        [dm] = slack.posted("D0ALICE01")
        assert dm["thread_ts"] is None and "*65%*" in visible_text(dm)

        url = slack.response_url()
        command = slash_command(ALICE, "status crm", response_url=url)
        assert await post_events(server, command, form=True) == 200
        await adapter_of(server).idle()
        [answer] = slack.responses
        assert answer["response_type"] == "in_channel"
        assert "*65%*" in visible_text(answer)

        command = slash_command(ALICE, "help", response_url=slack.response_url())
        assert await post_events(server, command, form=True) == 200
        await adapter_of(server).idle()
        assert slack.responses[-1]["response_type"] == "ephemeral"
        assert "Here's what I can do" in slack.responses[-1]["text"]


async def test_an_unknown_person_is_told_how_to_get_set_up(db: Database, slack: FakeSlack) -> None:
    async with bot(db, slack) as server:
        await deliver(server, mention("U0NOBODY1", "how's my CRM task going?"))
        await adapter_of(server).idle()
        [reply] = slack.posted(CHANNEL)
        assert "I don't know you yet" in reply["text"]


# ---------------------------------------------------------------------- security and delivery


async def test_a_forged_or_stale_request_gets_401_and_changes_nothing(
    db: Database, slack: FakeSlack
) -> None:
    async with bot(db, slack) as server:
        await create_seed(server)
        body = json.dumps(event_callback(mention(ALICE, "pause my CRM task")))
        forged = {"X-Slack-Signature": "v0=" + "0" * 64}
        assert await post_events(server, body, headers=forged) == 401
        stale = sign(body, timestamp=int(time.time()) - 600)
        assert await post_events(server, body, headers=stale) == 401
        wrong_secret = sign(body, secret="not-the-secret")
        assert await post_events(server, body, headers=wrong_secret) == 401
        await adapter_of(server).idle()
        assert slack.posted() == []
        snap = await server.services.queries.snapshot("abc123")
        assert snap["status"] == "running"


async def test_the_same_event_delivered_three_times_is_answered_once(
    db: Database, slack: FakeSlack
) -> None:
    async with bot(db, slack) as server:
        await create_seed(server)
        body = json.dumps(event_callback(mention(ALICE, "how's my CRM task going?")))
        statuses = [await post_events(server, body)]
        for retry in (1, 2):
            retry_headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "timeout"}
            statuses.append(await post_events(server, body, headers=retry_headers))
        assert statuses == [200, 200, 200]
        await adapter_of(server).idle()
        assert len(slack.calls_of("chat.postMessage")) == 1


async def test_a_mention_is_acknowledged_while_the_store_is_busy_and_answered_after(
    db: Database, slack: FakeSlack
) -> None:
    async with bot(db, slack) as server:
        await create_seed(server)
        body = json.dumps(event_callback(mention(ALICE, "how's my CRM task going?")))
        async with deliveries_held(db):
            # Slack retries what is not acknowledged within 3 s: the ack must not wait for the
            # store. (The timeout only keeps a regression from hanging the run.)
            assert await asyncio.wait_for(post_events(server, body), 10) == 200
            assert slack.calls_of("chat.postMessage") == []  # not answered before it is recorded
        await adapter_of(server).idle()
        [answer] = slack.posted(CHANNEL)
        assert "*65%*" in visible_text(answer)


@pytest.mark.parametrize("text", ["how's my CRM task going?", "pause my CRM task"])
async def test_retries_that_reach_another_worker_are_not_answered_again(
    db: Database, slack: FakeSlack, text: str
) -> None:
    other_worker = Database(db.url, schema=db.schema)
    try:
        async with bot(db, slack) as one, bot(other_worker, slack) as two:
            await create_seed(one)
            body = json.dumps(event_callback(mention(ALICE, text)))

            def retry(n: int) -> dict[str, str]:
                return {"X-Slack-Retry-Num": str(n), "X-Slack-Retry-Reason": "http_timeout"}

            # The first delivery and its retries arrive at both workers at once.
            statuses = await asyncio.gather(
                post_events(one, body),
                post_events(two, body, headers=retry(1)),
                post_events(one, body, headers=retry(2)),
                post_events(two, body, headers=retry(3)),
            )
            assert statuses == [200, 200, 200, 200]
            await adapter_of(one).idle()
            await adapter_of(two).idle()
            [answer] = slack.calls_of("chat.postMessage")
            snap = await one.services.queries.snapshot("abc123")
            if text.startswith("pause"):
                assert "paused" in answer.params["text"].lower()
                assert snap["status"] == "paused"
            else:
                assert "65%" in answer.params["text"] and snap["status"] == "running"
    finally:
        await other_worker.dispose()


async def test_another_workspace_is_ignored_when_team_id_is_set(
    db: Database, slack: FakeSlack
) -> None:
    config = make_config(slack.config_yaml(team_id="T0TEST001"))
    async with running_server(db, config=config, clock=FakeClock()) as server:
        await create_seed(server)
        await deliver(server, mention(ALICE, "how's my CRM task going?"), team="T0OTHER01")
        await adapter_of(server).idle()
        assert slack.posted() == []
        await deliver(server, mention(ALICE, "how's my CRM task going?"))
        await adapter_of(server).idle()
        assert len(slack.posted()) == 1


# ---------------------------------------------------------------------- approvals


async def request_approval_in_background(
    server: RunningServer, slack: FakeSlack, clock: FakeClock
) -> tuple[asyncio.Task[dict[str, Any]], dict[str, Any], AsyncProgressClient]:
    """The engine asks for approval of Step 3; the notifier posts the approval message."""
    task_id = await create_seed(server, notify=True)
    client = AsyncProgressClient(server.url, TOKEN, check_interval=0)
    handle = client.task(task_id)
    await handle.send([{"type": "step_completed", "step": 2}, {"type": "step_started", "step": 3}])
    waiting = asyncio.create_task(handle.request_approval(3, "Apply the new indexes?"))
    for _ in range(200):
        snap = await server.services.queries.snapshot(task_id)
        if snap.get("status") == "approval":
            break
        await asyncio.sleep(0.02)
    await drain(server, clock)
    approval_message = await slack.wait_for(
        lambda: next(
            (m for m in slack.posted(CHANNEL) if "Approval required for Step 3" in m["text"]),
            None,
        ),
        what="the approval message",
    )
    # A copy: the message as it was when people saw it, buttons and all.
    return waiting, copy.deepcopy(approval_message), client


def button(message: dict[str, Any], label: str) -> dict[str, Any]:
    return next(b for b in buttons(message) if b["text"]["text"] == label)


async def press(
    server: RunningServer, user: str, message: dict[str, Any], label: str, **kw: Any
) -> int:
    payload = block_actions(user, message, button(message, label), channel=CHANNEL, **kw)
    status = await post_events(server, form_payload(payload), form=True)
    await adapter_of(server).idle()
    return status


async def test_an_approvers_click_resumes_the_engine(db: Database, slack: FakeSlack) -> None:
    clock = FakeClock()
    async with bot(db, slack, clock=clock) as server:
        waiting, message, client = await request_approval_in_background(server, slack, clock)
        try:
            # The card came first; the approval went into its thread and to the channel too.
            card = slack.posted(CHANNEL)[0]
            assert message["thread_ts"] == card["ts"] and message["reply_broadcast"]

            # A stranger is refused, privately, and nothing changes.
            assert await press(server, CAROL, message, "Approve") == 200
            [refusal] = slack.ephemerals
            assert refusal["user"] == CAROL and "not an approver" in refusal["text"]
            assert not waiting.done()
            approval_id = int(json.loads(button(message, "Approve")["value"])["a"])
            assert (await server.services.queries.approval(approval_id))["status"] == "pending"
            assert slack.messages[(CHANNEL, message["ts"])]["edits"] == 0

            assert await press(server, ALICE, message, "Approve") == 200
            approval = await asyncio.wait_for(waiting, 30)
            assert approval["status"] == "approved"
            decided = slack.messages[(CHANNEL, message["ts"])]
            assert f"✅ Approved by <@{ALICE}>" in visible_text(decided)
            assert buttons(decided) == []

            # Bob clicks the old buttons a moment later: told who won, nothing changes.
            assert await press(server, BOB, message, "Approve") == 200
            assert slack.ephemerals[-1]["user"] == BOB
            assert "Already approved by alice" in slack.ephemerals[-1]["text"]
        finally:
            waiting.cancel()
            await client.close()


async def test_two_approvers_at_once_make_one_decision(db: Database, slack: FakeSlack) -> None:
    clock = FakeClock()
    async with bot(db, slack, clock=clock) as server:
        waiting, message, client = await request_approval_in_background(server, slack, clock)
        try:
            statuses = await asyncio.gather(
                press(server, ALICE, message, "Approve"), press(server, BOB, message, "Approve")
            )
            assert statuses == [200, 200]
            await asyncio.wait_for(waiting, 30)
            approval_id = int(json.loads(button(message, "Approve")["value"])["a"])
            approval = await server.services.queries.approval(approval_id)
            assert approval["status"] == "approved"
            assert len(approval["decisions"]) == 1
            winner = approval["decided_by"]
            [loser] = [e for e in slack.ephemerals if "Already approved by" in e["text"]]
            assert loser["user"] == (BOB if winner == "alice" else ALICE)
            assert f"Already approved by {winner}" in loser["text"]
            assert (
                len([c for c in slack.calls_of("chat.update") if c.params["ts"] == message["ts"]])
                == 1
            )
        finally:
            waiting.cancel()
            await client.close()


async def test_reject_asks_for_a_reason_in_a_modal(db: Database, slack: FakeSlack) -> None:
    clock = FakeClock()
    async with bot(db, slack, clock=clock) as server:
        waiting, message, client = await request_approval_in_background(server, slack, clock)
        try:
            assert await press(server, BOB, message, "Reject") == 200
            [view] = slack.views
            assert view["type"] == "modal" and not waiting.done()
            values = {
                "reason": {
                    "reason_input": {"type": "plain_text_input", "value": "Indexes need review"}
                }
            }
            submit = view_submission(BOB, view, values)
            assert await post_events(server, form_payload(submit), form=True) == 200
            await adapter_of(server).idle()
            with pytest.raises(ApprovalRejected):
                await asyncio.wait_for(waiting, 30)
            decided = slack.messages[(CHANNEL, message["ts"])]
            assert f"❌ Rejected by <@{BOB}>: Indexes need review" in visible_text(decided)
            assert not slack.calls_of("conversations.history", ok=None)  # no extra scope needed
            assert buttons(decided) == []
            # The modal took the reason: Bob's next message is a question again, not a reason.
            await deliver(server, mention(BOB, "how's the CRM task going?", ts="1700000001.000001"))
            await adapter_of(server).idle()
            answer = [m for m in slack.posted(CHANNEL) if m["thread_ts"] == "1700000001.000001"]
            assert answer and "Already rejected" not in answer[0]["text"]
        finally:
            waiting.cancel()
            await client.close()


# ---------------------------------------------------------------------- pushed updates


async def test_the_live_card_is_posted_once_then_edited_even_after_a_restart(
    db: Database, slack: FakeSlack
) -> None:
    clock = FakeClock()
    async with bot(db, slack, clock=clock) as server:
        task_id = await create_seed(server, notify=True)
        await drain(server, clock)
        cards = [m for m in slack.posted(CHANNEL) if m["thread_ts"] is None]
        assert len(cards) == 1
        card = cards[0]
        assert "*65%*" in visible_text(slack.messages[(CHANNEL, card["ts"])])
        notices = [m for m in slack.posted(CHANNEL) if m["thread_ts"] == card["ts"]]
        assert [n["text"].splitlines()[0] for n in notices] == [
            "Your CRM task has started",
            "Step 1 complete: Database created",
        ]
        await server.services.tracker.apply(task_id, [{"type": "progress", "percent": 80}])
        await drain(server, clock)
        assert "*80%*" in visible_text(slack.messages[(CHANNEL, card["ts"])])

    async with bot(db, slack, clock=clock) as server:  # a restart: new services, same store
        await server.services.tracker.apply(task_id, [{"type": "progress", "percent": 90}])
        await drain(server, clock)
        assert "*90%*" in visible_text(slack.messages[(CHANNEL, card["ts"])])
        assert len([m for m in slack.posted(CHANNEL) if m["thread_ts"] is None]) == 1
        assert slack.calls_of("chat.update")


async def test_a_429_is_waited_out_and_the_message_arrives_once(
    db: Database, slack: FakeSlack
) -> None:
    clock = FakeClock()
    async with bot(db, slack, clock=clock) as server:
        slack.fail("chat.postMessage", status=429, retry_after=2)
        await create_seed(server, notify=True)
        notifier = Notifier(server.services)
        await notifier.drain()
        assert [c.status for c in slack.calls_of("chat.postMessage", ok=None)] == [429]
        clock.advance(1)
        await notifier.drain()  # Retry-After is not over: nothing is sent
        assert len(slack.calls_of("chat.postMessage", ok=None)) == 1
        clock.advance(2)
        for _ in range(4):
            await notifier.drain()
            clock.advance(5)
        texts = [m["text"].splitlines()[0] for m in slack.posted(CHANNEL)]
        assert texts.count("Your CRM task has started") == 1
        assert texts.count("Cellphone Store CRM") == 1  # the card, once


async def test_200_steps_and_a_1mb_log_stay_within_slacks_limits(
    db: Database, slack: FakeSlack
) -> None:
    clock = FakeClock()
    # Only the card: 99 "step complete" notices would take 99 s at Slack's 1 message/s.
    quiet = "notifications: {events: [task_failed]}\n"
    async with bot(db, slack, clock=clock, extra=quiet) as server:
        body = {
            "task_id": "big1",
            "title": "Data warehouse migration",
            "owner": "alice",
            "steps": [{"name": f"Migrate table {n}"} for n in range(1, 201)],
            "notify": [{"platform": "slack", "chat": CHANNEL}],
        }
        async with aiohttp.ClientSession() as session:
            status, _ = await Api(session, server.url).post("/api/tasks", json=body)
            assert status == 201
        tracker = server.services.tracker
        events: list[dict[str, Any]] = [{"type": "task_started"}]
        for n in range(1, 100):
            events += [{"type": "step_started", "step": n}, {"type": "step_completed", "step": n}]
        events.append({"type": "step_started", "step": 100})
        await tracker.apply("big1", events)
        for batch in range(4):
            await tracker.apply(
                "big1",
                [
                    {"type": "log", "step": 100, "message": f"row batch {batch}.{i} " + "r" * 5200}
                    for i in range(50)
                ],
            )
        await drain(server, clock)
        await deliver(server, mention(ALICE, "show logs for the data warehouse migration"))
        await adapter_of(server).idle()
        refused = [c for c in slack.calls if not c.ok]
        assert refused == []
        card = next(m for m in slack.posted(CHANNEL) if m["thread_ts"] is None)
        assert "… and 92 more" in visible_text(card)
        [upload] = slack.files
        assert len(upload["content"]) > 1_000_000
        assert upload["thread_ts"] is not None
        logs_message = [m for m in slack.posted(CHANNEL) if "Full log attached" in m["text"]]
        assert len(logs_message) == 1


# ---------------------------------------------------------------------- App Home, Socket Mode


async def test_app_home_shows_the_persons_active_tasks(db: Database, slack: FakeSlack) -> None:
    async with bot(db, slack) as server:
        await create_seed(server)
        event = {"type": "app_home_opened", "user": ALICE, "channel": "D0ALICE01", "tab": "home"}
        await deliver(server, event)
        await adapter_of(server).idle()
        [home] = slack.homes
        assert home["user_id"] == ALICE
        text = visible_text(home["view"])
        assert "Cellphone Store CRM" in text and "65% · running" in text


async def test_socket_mode_answers_and_acks_and_handles_a_replay_once(
    db: Database, slack: FakeSlack
) -> None:
    async with bot(db, slack, mode="socket") as server:
        await create_seed(server)
        await slack.connected()
        payload = event_callback(mention(ALICE, "how's my CRM task going?"))
        envelope = await slack.push_envelope(payload)
        await slack.wait_for(lambda: any(a.get("envelope_id") == envelope for a in slack.acks))
        await slack.wait_for(lambda: slack.posted(CHANNEL), what="the answer")
        await slack.push_envelope(payload, envelope_id=envelope, retry_attempt=1)
        await slack.wait_for(
            lambda: len([a for a in slack.acks if a.get("envelope_id") == envelope]) == 2,
            what="the second ack",
        )
        await adapter_of(server).idle()
        [answer] = slack.posted(CHANNEL)
        assert "*65%*" in visible_text(answer)
        assert BOT_USER not in answer["text"]
