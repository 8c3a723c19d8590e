"""The Progress View's doors in a real browser: a view link shows and cannot steer, a link for
someone else asks before switching, and log-out ends the session."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from playwright.async_api import Browser, expect

from bot.cli.server import RunningServer
from bot.links import task_link, view_link
from store.db import Database
from tests.helpers.server import Api, FakeClock, running_server
from tests.test_web_browser import CHROMIUM, TITLE, WAIT_MS, browser, seed_task

__all__ = ["browser"]
assert CHROMIUM.exists()


@pytest.fixture
async def server(sqlite_db: Database) -> AsyncIterator[RunningServer]:
    async with running_server(sqlite_db, clock=FakeClock()) as running:
        async with aiohttp.ClientSession() as session:
            await seed_task(Api(session, running.url))
        yield running


async def status_of(server: RunningServer) -> str:
    async with aiohttp.ClientSession() as session:
        _, snap = await Api(session, server.url).get("/api/tasks/abc123/progress")
        return str(snap["status"])


async def test_a_view_link_shows_the_task_live_and_cannot_pause(
    browser: Browser, server: RunningServer
) -> None:
    page = await browser.new_page()
    response = await page.goto(view_link(server.services.config, "abc123"))
    assert response is not None and response.status == 200
    await expect(page.locator("#title")).to_have_text(TITLE, timeout=WAIT_MS)
    await expect(page.locator("#view-only")).to_be_visible()
    assert await page.locator('[data-action="pause"]').count() == 0
    assert await page.locator("#logout").count() == 0
    assert not [c for c in await page.context.cookies() if c["name"] == "progressbot_session"]
    # Even a hand-made press from the page is refused: there is no session behind it.
    status = await page.evaluate(
        """async () => (await fetch('/web/tasks/abc123/pause', {method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-Progressbot-CSRF': 'view-only'},
            body: '{}'})).status"""
    )
    assert status == 401
    assert await status_of(server) == "running"


async def test_another_persons_link_asks_and_log_out_ends_the_session(
    browser: Browser, server: RunningServer
) -> None:
    page = await browser.new_page()
    await page.goto(task_link(server.services.config, "abc123", "alice"))
    await expect(page.locator("#title")).to_have_text(TITLE, timeout=WAIT_MS)
    await page.goto(task_link(server.services.config, "abc123", "bob"))
    await expect(page.locator("h1")).to_have_text("Switch who you are signed in as?")
    # Declining keeps alice.
    await page.goto(server.url + "/tasks/abc123")
    await expect(page.locator("#title")).to_have_text(TITLE, timeout=WAIT_MS)
    # Confirming switches to bob.
    await page.goto(task_link(server.services.config, "abc123", "bob"))
    await page.locator("#switch").click()
    await expect(page.locator("#title")).to_have_text(TITLE, timeout=WAIT_MS)
    # Log out, and the page is closed to this browser.
    await page.locator("#logout").click()
    await expect(page.locator("h1")).to_have_text("Logged out")
    response = await page.goto(server.url + "/tasks/abc123")
    assert response is not None and response.status == 401
