"""Links that act for nobody: a card in a group carries a read-only view link; personal links
are bound to one person and one task; a session is never swapped silently; there is a log-out."""

from __future__ import annotations

import re
from typing import Any

import aiohttp

from bot.links import index_link, is_shared, link_for, task_link
from store.db import Database
from tests.fakes.telegram import FakeTelegram
from tests.test_telegram import (
    ALICE,
    CAROL,
    bot_world,
    button_data,
    create_seed,
    drain,
    press,
)
from tests.test_web_access import TITLE, Site, browser, csrf_of, site

__all__ = ["site"]
GROUP = -100123


def links_in(fake: FakeTelegram, chat: int) -> list[str]:
    found: list[str] = []
    for (held_chat, _), message in fake.messages.items():
        if held_chat != str(chat):
            continue
        found += re.findall(r"https?://[^\s\"'<>]+\?t=[A-Za-z0-9_.-]+", str(message))
    return found


def test_shared_is_told_from_the_target() -> None:
    assert is_shared("slack", "C0123") and is_shared("slack", "G0123")
    assert not is_shared("slack", "D0123")
    assert is_shared("telegram", "-100123") and not is_shared("telegram", "100000001")
    assert not is_shared("console", "alice") and not is_shared("email", "a@example.com")


async def test_a_group_card_link_shows_one_task_and_acts_for_nobody(db: Database) -> None:
    async with bot_world(db) as (fake, server, api, clock):
        await create_seed(
            api,
            clock,
            [
                {"platform": "telegram", "chat": str(GROUP)},
                {"platform": "telegram", "chat": str(ALICE)},
            ],
        )
        await drain(server, clock)
        group_links = links_in(fake, GROUP)
        assert group_links, "the group card carries a link"
        # A card edited again with nothing new keeps its URL.
        config = server.services.config
        assert link_for(config, "abc123", platform="telegram", chat=str(GROUP), person=None) in (
            group_links
        )
        async with browser() as stranger:
            async with stranger.get(group_links[-1].replace("&amp;", "&")) as resp:
                page = await resp.text()
                assert resp.status == 200
                assert TITLE in page and 'id="view-only"' in page
                assert 'data-action="pause"' not in page
                assert "progressbot_session" not in resp.cookies
            # Nothing to act with: no session, so a press is refused and the task runs on.
            async with stranger.post(
                server.url + "/web/tasks/abc123/pause",
                json={},
                headers={"X-Progressbot-CSRF": "view-only"},
            ) as resp:
                assert resp.status == 401
            async with stranger.get(server.url + "/") as resp:
                assert resp.status == 401
        _, snap = await api.get("/api/tasks/abc123/progress")
        assert snap["status"] == "running"
        # Alice's private chat gets her personal link.
        private = links_in(fake, ALICE)
        assert private and all(link not in group_links for link in private)


async def test_a_link_for_someone_else_asks_before_switching(site: Site) -> None:
    async with browser() as client:
        async with client.get(task_link(site.config, "abc123", "alice")) as resp:
            page = await resp.text()
            assert resp.status == 200
        alice_csrf = csrf_of(page)
        # An attacker's own link, visited top-level, does not replace alice's session.
        async with client.get(task_link(site.config, "abc123", "bob")) as resp:
            page = await resp.text()
            assert resp.status == 200
            assert "Switch who you are signed in as?" in page
            assert "progressbot_session" not in resp.cookies
        async with client.get(site.url("/tasks/abc123")) as resp:
            assert csrf_of(await resp.text()) == alice_csrf
        # Another site's form cannot press "Continue".
        token = task_link(site.config, "abc123", "bob").split("?t=")[1]
        form: dict[str, Any] = {"t": token, "csrf": alice_csrf, "next": "/tasks/abc123"}
        async with client.post(
            site.url("/web/switch"), data=form, headers={"Origin": "https://evil.example"}
        ) as resp:
            assert resp.status == 403
        async with client.post(site.url("/web/switch"), data={**form, "csrf": "guess"}) as resp:
            assert resp.status == 403
        # The person asked for it: now bob.
        async with client.post(site.url("/web/switch"), data=form) as resp:
            assert resp.status == 200
            assert TITLE in await resp.text()
        async with client.get(site.url("/tasks/abc123")) as resp:
            assert csrf_of(await resp.text()) != alice_csrf


async def test_log_out_ends_the_session(site: Site) -> None:
    async with browser() as client:
        async with client.get(index_link(site.config, "alice")) as resp:
            page = await resp.text()
            assert 'id="logout"' in page
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf
        async with client.post(site.url("/web/logout"), data={"csrf": csrf.group(1)}) as resp:
            assert resp.status == 200
            assert "Logged out" in await resp.text()
        async with client.get(site.url("/")) as resp:
            assert resp.status == 401


async def test_a_task_session_reaches_no_other_task(site: Site) -> None:
    await site.api.post(
        "/api/tasks",
        {"task_id": "other1", "title": "Other", "owner": "alice", "steps": [{"name": "x"}]},
    )
    async with browser() as client:
        async with client.get(task_link(site.config, "abc123", "alice")) as resp:
            csrf = csrf_of(await resp.text())
        async with client.get(site.url("/tasks/other1")) as resp:
            assert resp.status == 403
        async with client.post(
            site.url("/web/tasks/other1/pause"), json={}, headers={"X-Progressbot-CSRF": csrf}
        ) as resp:
            assert resp.status == 403
        try:
            ws = await client.ws_connect(site.url("/ws/tasks/other1"))
        except aiohttp.WSServerHandshakeError as exc:
            assert exc.status == 403
        else:
            await ws.close()
            raise AssertionError("a task session opened another task's WebSocket")
    _, snap = await site.api.get("/api/tasks/other1/progress")
    assert snap["status"] == "pending"


async def test_my_link_in_a_group_sends_the_personal_link_privately(db: Database) -> None:
    async with bot_world(db) as (fake, server, api, clock):
        await create_seed(api, clock, [{"platform": "telegram", "chat": str(GROUP)}])
        await drain(server, clock)
        cards = [
            m
            for (chat, _), m in fake.messages.items()
            if chat == str(GROUP) and any(b["text"] == "My link" for b in fake.buttons(m))
        ]
        assert cards, "the group's card offers a private link"
        card = cards[-1]
        data = button_data(fake, card, "My link")
        group_links_before = links_in(fake, GROUP)
        await press(fake, ALICE, card, data)
        private = await fake.wait_for(lambda: links_in(fake, ALICE))
        assert "tasks/abc123?t=" in private[0]
        # The group hears only that it was sent; no personal link lands there.
        assert links_in(fake, GROUP) == group_links_before
        # The private link acts as alice: it opens a session with her buttons.
        async with browser() as client, client.get(private[0]) as resp:
            page = await resp.text()
            assert resp.status == 200 and 'data-action="pause"' in page
        # A person who may not see the task gets nothing.
        await press(fake, CAROL, card, data)
        assert links_in(fake, CAROL) == []
