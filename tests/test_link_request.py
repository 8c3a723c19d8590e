"""Asking for one's own link in words ("give me a link to the crm"): the personal link, bound to
the asker and that one task, goes where only they read it (an ephemeral message in a Slack
channel, their private chat in a Telegram group, the reply itself in a DM or the console); a
shared chat hears only that it was sent. Someone who may not see the task gets no link."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.chat.private_link import NOT_YOURS, SENT_HERE, SENT_PRIVATELY, UNREACHABLE
from bot.services import Services
from bot.types import Message, Target
from bot.wiring import build_services
from store.db import Database
from tests.fakes.slack import FakeSlack, direct_message, mention, visible_text
from tests.fakes.telegram import BOT_USERNAME, FakeTelegram
from tests.fakes.telegram import visible_text as telegram_text
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import FakeClock, make_config
from tests.test_links import links_in
from tests.test_slack import ALICE as SLACK_ALICE
from tests.test_slack import CAROL as SLACK_CAROL
from tests.test_slack import (
    CHANNEL,
    adapter_of,
    bot,
    create_seed,
    deliver,
    drain,
    press,
    slack,
)
from tests.test_telegram import ALICE, BOB, CAROL, bot_world
from tests.test_telegram import create_seed as create_telegram_seed
from tests.test_web_access import browser

__all__ = ["slack"]

LINK = re.compile(r"https?://[^\s\"'<>|]+\?t=[A-Za-z0-9_.-]+")
GROUP = -1001234567890


def links(value: Any) -> list[str]:
    return LINK.findall(json.dumps(value) if not isinstance(value, str) else value)


async def acts_as_alice(url: str) -> bool:
    """The link opens a browser session that may steer the task: it acts as alice."""
    async with browser() as client, client.get(url) as resp:
        page = await resp.text()
        return resp.status == 200 and 'data-action="pause"' in page


# ---------------------------------------------------------------------- Slack


async def test_asked_in_a_slack_channel_the_link_is_shown_to_the_asker_alone(
    db: Database, slack: FakeSlack
) -> None:
    async with bot(db, slack) as server:
        task_id = await create_seed(server, notify=True)
        event = mention(SLACK_ALICE, "give me a link to the crm", ts="1700000000.000077")
        assert await deliver(server, event) == 200
        await adapter_of(server).idle()

        [whisper] = slack.ephemerals
        assert (whisper["channel"], whisper["user"]) == (CHANNEL, SLACK_ALICE)
        [url] = set(links(whisper["text"]))
        assert f"/tasks/{task_id}?t=" in url
        assert await acts_as_alice(url)
        # The channel hears only that it was sent, in the asker's thread; no link acts there.
        [public] = slack.posted(CHANNEL)
        assert public["thread_ts"] == "1700000000.000077"
        assert visible_text(public) == SENT_HERE
        assert links(public) == []
        assert slack.calls_of("conversations.open") == []


async def test_asked_in_a_slack_dm_the_answer_is_the_link(db: Database, slack: FakeSlack) -> None:
    async with bot(db, slack) as server:
        task_id = await create_seed(server)
        assert await deliver(server, direct_message(SLACK_ALICE, "open the crm in my browser"))
        await adapter_of(server).idle()
        [reply] = slack.posted("D0ALICE01")
        [url] = set(links(reply["text"]))
        assert f"/tasks/{task_id}?t=" in url
        assert slack.ephemerals == []


async def test_a_slack_member_who_may_not_see_the_task_gets_no_link(
    db: Database, slack: FakeSlack
) -> None:
    async with bot(db, slack) as server:
        await create_seed(server, notify=True)  # alice's, crm-team's; carol only reads the channel
        assert await deliver(server, mention(SLACK_CAROL, "send me the link for the crm"))
        await adapter_of(server).idle()
        [public] = slack.posted(CHANNEL)
        assert visible_text(public) == NOT_YOURS
        assert slack.ephemerals == [] and links(public) == []


async def test_my_link_pressed_in_a_slack_channel_is_shown_to_the_presser_alone(
    db: Database, slack: FakeSlack
) -> None:
    clock = FakeClock()
    async with bot(db, slack, clock=clock) as server:
        task_id = await create_seed(server, notify=True)
        await drain(server, clock)
        [card] = [m for m in slack.posted(CHANNEL) if "My link" in json.dumps(m["blocks"])]
        assert await press(server, SLACK_ALICE, card, "My link") == 200
        whispers = [e for e in slack.ephemerals if links(e["text"])]
        [url] = set(links(whispers[0]["text"]))
        assert whispers[0]["user"] == SLACK_ALICE and f"/tasks/{task_id}?t=" in url
        assert any(e["text"] == SENT_HERE for e in slack.ephemerals)


# ---------------------------------------------------------------------- Telegram


async def ask_in_group(fake: FakeTelegram, user: int, text: str) -> str:
    before = len(fake.texts(str(GROUP)))
    await fake.push(
        fake.message_update(user, f"@{BOT_USERNAME} {text}", chat_id=GROUP, chat_type="supergroup")
    )
    texts = await fake.wait_for(
        lambda: len(fake.texts(str(GROUP))) > before and fake.texts(str(GROUP))
    )
    return telegram_text(texts[before])


async def test_asked_in_a_telegram_group_the_link_goes_to_the_private_chat(db: Database) -> None:
    async with bot_world(db) as (fake, _server, api, clock):
        task_id = await create_telegram_seed(
            api, clock, [{"platform": "telegram", "chat": str(GROUP)}]
        )
        group_links = links_in(fake, GROUP)

        answer = await ask_in_group(fake, ALICE, "send me the link for the crm")

        assert answer == SENT_PRIVATELY
        [url] = set(links_in(fake, ALICE))
        assert f"/tasks/{task_id}?t=" in url
        assert await acts_as_alice(url)
        assert links_in(fake, GROUP) == group_links  # the group got no personal link

        # Carol reads the group but may not see the task: told so, with no link anywhere.
        assert await ask_in_group(fake, CAROL, "give me a link to the crm") == NOT_YOURS
        assert links_in(fake, CAROL) == []

        # Bob may, but never opened a chat with the bot: Telegram refuses, and he is told how.
        fake.blocked.add(str(BOB))
        assert await ask_in_group(fake, BOB, "where can i see the crm") == UNREACHABLE
        assert links_in(fake, GROUP) == group_links


# ---------------------------------------------------------------------- in one's own chat


@pytest.fixture
async def services(db: Database) -> AsyncIterator[Services]:
    yield build_services(make_config(), clock=FakeClock(), database=db)


async def ask(services: Services, person: str, text: str) -> tuple[str, str]:
    assert services.chat is not None
    answer = await services.chat.handle_message(
        Message(text=text, target=Target("console", person), platform_user=person, person=person)
    )
    return answer.intent, answer.reply.text


async def test_in_the_console_the_answer_is_the_link_and_only_for_who_may_see(
    services: Services,
) -> None:
    from bot.api.wire import CreateTask

    body = {**SEED_CREATE, "task_id": "abc123"}
    await services.tracker.create_task(CreateTask.model_validate(body).to_new_task())

    intent, text = await ask(services, "alice", "give me a link to the crm")
    assert intent == "open_link"
    [url] = links(text)
    assert "/tasks/abc123?t=" in url and "Cellphone Store CRM" not in text.split(url)[1]

    # Carol may not see it: the bot does not know of such a task for her, and names none.
    intent, text = await ask(services, "carol", "give me a link to the crm")
    assert links(text) == [] and "Cellphone Store" not in text

    # A status question stays a status question.
    intent, _ = await ask(services, "alice", "where is the crm at")
    assert intent == "status"
