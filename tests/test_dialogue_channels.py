"""The dialogue policy through the real channels: Slack (slack_bolt against the fake Slack),
Telegram (python-telegram-bot against the fake Bot API) and the console. Each outcome (act,
confirm, explain, clarify, help) as the person sees it, and what the store holds afterwards."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.console import ConsoleAdapter
from bot.cli.server import RunningServer
from bot.config import parse_config
from bot.types import Button, Reply, Target
from bot.wiring import run_console_chat
from store.db import Database
from store.queries import Queries
from tests.fakes.slack import FakeSlack, mention, visible_text
from tests.test_console import seed_store, write_config
from tests.test_slack import ALICE as S_ALICE
from tests.test_slack import BOB as S_BOB
from tests.test_slack import CHANNEL, adapter_of, bot, create_seed, deliver
from tests.test_telegram import ALICE, BOB, bot_world, button_data, last_message, press
from tests.test_telegram import create_seed as tg_seed


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


async def _status(server: RunningServer, task_id: str) -> str:
    return str((await server.services.queries.snapshot(task_id))["status"])


async def _ask_approval(server: RunningServer, task_id: str) -> None:
    await server.services.tracker.apply(
        task_id,
        [
            {"type": "step_completed", "step": 2},
            {"type": "approval_requested", "step": 3, "prompt": "Add search to 4 tables?"},
        ],
    )


# ---------------------------------------------------------------------- Slack


async def test_slack_each_outcome(db: Database, slack: FakeSlack) -> None:
    async with bot(db, slack) as server:
        task_id = await create_seed(server)
        ts = iter(f"1700000100.{n:06d}" for n in range(1, 100))

        async def say(user: str, text: str) -> dict[str, Any]:
            before = len(slack.posted(CHANNEL))
            assert await deliver(server, mention(user, text, ts=next(ts))) == 200
            await adapter_of(server).idle()
            posted = await slack.wait_for(
                lambda: len(slack.posted(CHANNEL)) > before and slack.posted(CHANNEL)
            )
            return posted[-1]

        explained = await say(S_ALICE, "can I pause the crm?")  # explain
        assert visible_text(explained).count("Pausing Cellphone Store CRM would") == 1
        assert await _status(server, task_id) == "running"

        wont = await say(S_ALICE, "please don't pause the crm")  # a negation does nothing
        assert "won't pause" in wont["text"]
        assert await _status(server, task_id) == "running"

        helped = await say(S_ALICE, "florp the zibble quarks")  # help
        assert len(helped["text"].splitlines()) <= 5
        assert [b["text"]["text"] for b in _buttons(helped)] == [
            "My tasks",
            "Waiting on me",
            "Help",
        ]

        asked = await say(S_ALICE, "cancel the crm task")  # confirm, answered "no"
        assert asked["text"].startswith("Cancel Cellphone Store CRM?")
        no = await say(S_ALICE, "no")
        assert no["text"] == "OK, nothing changed."
        assert await _status(server, task_id) == "running"

        paused = await say(S_ALICE, "pause the crm")  # act
        assert paused["text"] == "⏸ Paused Cellphone Store CRM."
        assert await _status(server, task_id) == "paused"
        await say(S_ALICE, "resume the crm")

        await _ask_approval(server, task_id)
        who = await say(S_BOB, "who's supposed to sign off on the crm")
        assert "Approvers: Alice, the crm-team team" in who["text"]
        assert await _status(server, task_id) == "approval"

        confirm = await say(S_BOB, "approve")  # free text: confirm, answered "yes"
        assert confirm["text"].startswith("Approve Step 3")
        yes = await say(S_BOB, "yes")
        assert yes["text"].startswith("✅ Approved Step 3 of Cellphone Store CRM")
        assert await _status(server, task_id) == "running"


async def test_slack_reject_reason_only_from_the_asker(db: Database, slack: FakeSlack) -> None:
    async with bot(db, slack) as server:
        task_id = await create_seed(server)
        await _ask_approval(server, task_id)
        ts = iter(f"1700000200.{n:06d}" for n in range(1, 100))

        async def say(user: str, text: str) -> dict[str, Any]:
            before = len(slack.posted(CHANNEL))
            assert await deliver(server, mention(user, text, ts=next(ts))) == 200
            await adapter_of(server).idle()
            return (
                await slack.wait_for(
                    lambda: len(slack.posted(CHANNEL)) > before and slack.posted(CHANNEL)
                )
            )[-1]

        question = await say(S_BOB, "reject the crm task")
        assert question["text"].startswith("Why are you rejecting")
        await say(S_ALICE, "the tables are fine")  # not the asker: no reason taken
        assert await _status(server, task_id) == "approval"
        done = await say(S_BOB, "too many tables")
        assert done["text"].endswith(": too many tables")
        assert await _status(server, task_id) == "failed"


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        e for b in message.get("blocks") or [] if b.get("type") == "actions" for e in b["elements"]
    ]


# ---------------------------------------------------------------------- Telegram


async def test_telegram_each_outcome(db: Database) -> None:
    async with bot_world(db) as (fake, server, api, clock):
        task_id = await tg_seed(api, clock, [])
        chat = str(ALICE)

        async def say(user: int, text: str) -> str:
            before = len(fake.texts(str(user)))
            await fake.push(fake.message_update(user, text))
            texts = await fake.wait_for(
                lambda: len(fake.texts(str(user))) > before and fake.texts(str(user))
            )
            return str(texts[-1])

        explained = await say(ALICE, "can I pause the crm?")  # explain, with a button
        assert explained.startswith("Pausing Cellphone Store CRM would")
        assert await _status(server, task_id) == "running"
        message = last_message(fake, ALICE)
        await press(fake, ALICE, message, button_data(fake, message, "Pause"))
        await fake.wait_for(lambda: any("Paused" in t for t in fake.texts(chat)))
        assert await _status(server, task_id) == "paused"

        wont = await say(ALICE, "please don't resume it")
        assert "won't resume" in wont
        assert await _status(server, task_id) == "paused"

        helped = await say(ALICE, "florp the zibble quarks")  # help
        assert len(helped.splitlines()) <= 5
        assert [b["text"] for b in fake.buttons(last_message(fake, ALICE))] == [
            "My tasks",
            "Waiting on me",
            "Help",
        ]

        asked = await say(ALICE, "cancel the crm task")  # confirm, answered "yes"
        assert asked.startswith("Cancel Cellphone Store CRM?")
        yes = await say(ALICE, "yep")
        assert yes.startswith("🛑 Cancelled Cellphone Store CRM.")
        assert await _status(server, task_id) == "cancelled"

        restarted = await say(BOB, "status of the crm")  # act: a question is answered
        assert "Cellphone Store CRM" in restarted


async def test_telegram_no_answers_a_confirmation(db: Database) -> None:
    async with bot_world(db) as (fake, server, api, clock):
        task_id = await tg_seed(api, clock, [])
        await fake.push(fake.message_update(ALICE, "restart the crm"))
        await fake.wait_for(lambda: fake.texts(str(ALICE)))
        await fake.push(fake.message_update(ALICE, "👎"))
        texts = await fake.wait_for(
            lambda: len(fake.texts(str(ALICE))) >= 2 and fake.texts(str(ALICE))
        )
        assert texts[-1] == "OK, nothing changed."
        assert await _status(server, task_id) == "running"


# ---------------------------------------------------------------------- the console


async def test_console_each_outcome(tmp_path: Path) -> None:
    task_id = await seed_store(tmp_path)
    config = parse_config(write_config(tmp_path).read_text(), environ={}, source="t.yaml")
    out = io.StringIO()
    lines = io.StringIO(
        "can I pause the crm?\n"
        "please don't pause the crm\n"
        "florp the zibble quarks\n"
        "cancel the crm task\n"
        "no\n"
        "pause the crm\n"
        "restart the crm\n"
        "y\n"
        "exit\n"
    )
    status = await asyncio.wait_for(
        run_console_chat(config, input_stream=lines, output=out), timeout=60
    )
    assert status == 0
    text = out.getvalue()
    assert "bot> Pausing Cellphone Store CRM would" in text  # explain
    assert "bot> OK, I won't pause Cellphone Store CRM. Nothing changed." in text
    assert "bot> I didn't catch that." in text  # help
    assert "[1] My tasks  [2] Waiting on me  [3] Help" in text
    assert "bot> Cancel Cellphone Store CRM? This stops the task." in text  # confirm
    assert "bot> OK, nothing changed." in text
    assert "bot> ⏸ Paused Cellphone Store CRM." in text  # act
    assert "bot> 🔁 Started Cellphone Store CRM over: attempt 2." in text
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'var' / 'progress.db'}")
    try:
        snap = await Queries(db).snapshot(task_id)
        assert snap["status"] == "cancelled"
    finally:
        await db.dispose()


async def test_console_numbers_stay_with_the_open_question() -> None:
    out = io.StringIO()
    console = ConsoleAdapter(out)
    question = Reply(
        text="Pause Cellphone Store CRM?",
        kind="question",
        buttons=[Button("Pause", "confirm", "abc", "pause"), Button("No", "dismiss", "abc")],
    )
    console.show(question)
    notice = Reply(
        text="⚠️ Approval required for Step 3",
        kind="notification",
        buttons=[Button("Approve", "approve", "xyz", "1"), Button("Reject", "reject", "xyz", "1")],
    )
    await console.send(Target("console", "alice"), notice)
    assert [b.action for b in console.buttons] == ["confirm", "dismiss"]
    assert "[1] Approve" not in out.getvalue()
