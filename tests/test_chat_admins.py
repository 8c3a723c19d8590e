"""A chat's admins may change its settings, as the platform says who they are: a Telegram
group's creator and administrators (getChatMember), a Slack workspace's admins and owners
(users.info). Carol steers none of the seed task (alice's, the crm-team's) that notifies the
chat, so only the platform's word lets her change the chat's settings."""

from __future__ import annotations

from typing import Any

from bot.chat.chat_settings import ADMIN_TTL_SECONDS, CHAT_SETTINGS_REFUSAL
from bot.cli.server import RunningServer
from store.db import Database
from store.tracker import chat_scope
from tests.fakes.slack import TEAM, FakeSlack, mention, visible_text
from tests.fakes.telegram import BOT_USERNAME, FakeTelegram
from tests.fakes.telegram import visible_text as telegram_text
from tests.helpers.server import FakeClock
from tests.test_slack import CAROL as SLACK_CAROL
from tests.test_slack import CHANNEL, adapter_of, bot, create_seed, deliver, slack
from tests.test_telegram import ALICE, BOB, CAROL, bot_world
from tests.test_telegram import create_seed as create_telegram_seed

__all__ = ["slack"]

GROUP = -1001234567890
SETTING = "only notify me about completions here"
CHANGED = "Notification settings for this chat"


async def preferences(server: RunningServer, platform: str, chat: str) -> dict[str, Any]:
    return dict(await server.services.queries.preferences(chat_scope(platform, chat, None)))


# ---------------------------------------------------------------------- Telegram


async def say_in_group(fake: FakeTelegram, user: int, text: str) -> str:
    before = len(fake.texts(str(GROUP)))
    await fake.push(
        fake.message_update(user, f"@{BOT_USERNAME} {text}", chat_id=GROUP, chat_type="supergroup")
    )
    texts = await fake.wait_for(
        lambda: len(fake.texts(str(GROUP))) > before and fake.texts(str(GROUP))
    )
    return telegram_text(texts[before])


async def test_a_telegram_group_admin_changes_the_groups_settings(db: Database) -> None:
    async with bot_world(db) as (fake, server, api, clock):
        await create_telegram_seed(api, clock, [{"platform": "telegram", "chat": str(GROUP)}])
        fake.members[str(GROUP)] = {ALICE: "creator", CAROL: "administrator", BOB: "member"}

        answer = await say_in_group(fake, CAROL, SETTING)

        assert CHANGED in answer, answer
        stored = await preferences(server, "telegram", str(GROUP))
        # Approvals and failures still reach the group, whoever narrowed it.
        assert {"task_completed", "approval_requested", "task_failed"} == set(stored["events"])
        [asked] = fake.of("getChatMember")
        assert (asked.params["chat_id"], asked.params["user_id"]) == (str(GROUP), CAROL)


async def test_a_plain_telegram_member_is_refused_and_the_answer_is_kept_briefly(
    db: Database,
) -> None:
    async with bot_world(db) as (fake, server, api, clock):
        await create_telegram_seed(api, clock, [{"platform": "telegram", "chat": str(GROUP)}])
        fake.members[str(GROUP)] = {ALICE: "creator", CAROL: "member"}

        answer = await say_in_group(fake, CAROL, SETTING)

        assert answer == CHAT_SETTINGS_REFUSAL
        assert await preferences(server, "telegram", str(GROUP)) == {}

        # Promoted: the platform's earlier answer holds for a short while, then she may.
        fake.members[str(GROUP)][CAROL] = "administrator"
        assert await say_in_group(fake, CAROL, SETTING) == CHAT_SETTINGS_REFUSAL
        assert len(fake.of("getChatMember")) == 1
        clock.advance(ADMIN_TTL_SECONDS + 1)
        assert CHANGED in await say_in_group(fake, CAROL, SETTING)
        assert len(fake.of("getChatMember")) == 2


async def test_a_task_steerer_needs_no_question_to_telegram(db: Database) -> None:
    async with bot_world(db) as (fake, _server, api, clock):
        await create_telegram_seed(api, clock, [{"platform": "telegram", "chat": str(GROUP)}])
        fake.members[str(GROUP)] = {BOB: "member"}

        assert CHANGED in await say_in_group(fake, BOB, SETTING)  # bob is in the crm-team
        assert fake.of("getChatMember") == []


# ---------------------------------------------------------------------- Slack


def slack_user(user: str, **flags: bool) -> dict[str, Any]:
    """A users.info `user` as Slack sends it."""
    return {
        "id": user,
        "team_id": TEAM,
        "name": user.lower(),
        "deleted": False,
        "is_bot": False,
        "is_admin": flags.get("admin", False),
        "is_owner": flags.get("owner", False),
        "is_primary_owner": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "profile": {"real_name": user, "email": f"{user.lower()}@example.com"},
    }


async def say_in_channel(server: RunningServer, slack: FakeSlack, user: str, text: str) -> str:
    before = len(slack.posted(CHANNEL))
    ts = f"17000000{len(slack.calls):02d}.000001"
    assert await deliver(server, mention(user, text, ts=ts)) == 200
    await adapter_of(server).idle()
    posted = slack.posted(CHANNEL)
    assert len(posted) == before + 1, posted
    return visible_text(posted[-1])


async def test_a_slack_workspace_admin_changes_a_channels_settings(
    db: Database, slack: FakeSlack
) -> None:
    slack.users[SLACK_CAROL] = slack_user(SLACK_CAROL, admin=True)
    async with bot(db, slack) as server:
        await create_seed(server, notify=True)

        answer = await say_in_channel(server, slack, SLACK_CAROL, SETTING)

        assert CHANGED in answer, answer
        stored = await preferences(server, "slack", CHANNEL)
        assert {"task_completed", "approval_requested", "task_failed"} == set(stored["events"])
        [asked] = slack.calls_of("users.info")
        assert asked.params["user"] == SLACK_CAROL


async def test_a_plain_slack_member_is_refused(db: Database, slack: FakeSlack) -> None:
    slack.users[SLACK_CAROL] = slack_user(SLACK_CAROL)
    clock = FakeClock()
    async with bot(db, slack, clock=clock) as server:
        await create_seed(server, notify=True)

        answer = await say_in_channel(server, slack, SLACK_CAROL, SETTING)

        assert CHAT_SETTINGS_REFUSAL.split(":")[0] in answer
        assert "the chat's admins" in answer
        assert await preferences(server, "slack", CHANNEL) == {}

        # A workspace owner of another workspace (Slack Connect) runs nothing here.
        slack.users[SLACK_CAROL] = {**slack_user(SLACK_CAROL, owner=True), "team_id": "T0OTHER01"}
        clock.advance(ADMIN_TTL_SECONDS + 1)
        assert "the chat's admins" in await say_in_channel(server, slack, SLACK_CAROL, SETTING)
        assert await preferences(server, "slack", CHANNEL) == {}
