"""The Progress View in a real browser (Debian's Chromium via Playwright): live, steerable, safe."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.cli.server import RunningServer, start_server
from bot.client import AsyncProgressClient
from bot.links import task_link
from store.db import Database
from tests.helpers.seed import SEED_CREATE, SEED_EVENTS
from tests.helpers.server import TOKEN, Api, FakeClock, make_config, running_server

CHROMIUM = Path("/usr/bin/chromium")
NO_BROWSER = "Debian's chromium is not installed (apt-get install chromium); CI installs it"
SCREENSHOT = Path(__file__).resolve().parent.parent / "test-output" / "progress-view.png"
TITLE = "Cellphone Store CRM"
WAIT_MS = 15_000

if not CHROMIUM.exists():
    if os.environ.get("PROGRESSBOT_REQUIRE_BROWSER") == "1":
        pytest.fail(NO_BROWSER + " (PROGRESSBOT_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(NO_BROWSER, allow_module_level=True)

from playwright.async_api import Browser, Page, async_playwright, expect  # noqa: E402


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield launched
        finally:
            await launched.close()


async def seed_task(api: Api) -> None:
    status, body = await api.post("/api/tasks", SEED_CREATE)
    assert status == 201, body
    status, body = await api.post("/api/tasks/abc123/events", SEED_EVENTS)
    assert status == 200, body


@pytest.fixture
async def server(sqlite_db: Database) -> AsyncIterator[RunningServer]:
    clock = FakeClock()
    async with running_server(sqlite_db, clock=clock) as running:
        async with aiohttp.ClientSession() as session:
            await seed_task(Api(session, running.url))
            await Api(session, running.url).post(
                "/api/tasks/abc123/events",
                {
                    "type": "log",
                    "step": 2,
                    "level": "info",
                    "message": "Sales form: fields laid out",
                },
            )
        clock.advance(150)
        yield running


async def engine(server: RunningServer, events: Any) -> Any:
    async with aiohttp.ClientSession() as session:
        status, body = await Api(session, server.url).post("/api/tasks/abc123/events", events)
        assert status == 200, body
        return body


async def api_get(server: RunningServer, path: str) -> Any:
    async with aiohttp.ClientSession() as session:
        status, body = await Api(session, server.url).get(path)
        assert status == 200, body
        return body


async def open_view(browser: Browser, server: RunningServer, person: str = "alice") -> Page:
    page = await browser.new_page(viewport={"width": 900, "height": 1100})
    response = await page.goto(task_link(server.services.config, "abc123", person))
    assert response is not None and response.status == 200
    return page


async def test_the_seed_task_goes_live_to_done(server: RunningServer, browser: Browser) -> None:
    page = await open_view(browser, server)
    await expect(page.locator("#title")).to_have_text(TITLE)
    await expect(page.locator("#percent")).to_have_text("65%")
    await expect(page.locator("#heading")).to_have_text("Step 2 of 4: Generate application UI")
    subs = page.locator("#substeps li")
    await expect(subs).to_have_text(
        [
            "├─ Customer list view ✓",
            "├─ Product list view ✓",
            "├─ Sales form ◐ (in progress)",
            "└─ Repair board ○ (pending)",
        ]
    )
    await expect(page.locator("#started")).to_have_text("2 min ago")
    await expect(page.get_by_role("button", name="Pause")).to_be_visible()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    await page.screenshot(path=str(SCREENSHOT), full_page=True)
    # The token left the address bar once the session cookie took over.
    assert "?t=" not in page.url

    await engine(
        server,
        [
            {"type": "substep_done", "step": 2, "substep": "Sales form"},
            {"type": "log", "step": 2, "level": "info", "message": "Repair board <drafted>"},
        ],
    )
    await expect(page.locator("#substeps li").nth(2)).to_have_text("├─ Sales form ✓")
    await expect(page.locator("#logs li").last).to_contain_text("Repair board <drafted>")
    await engine(
        server,
        [
            {"type": "substep_done", "step": 2, "substep": "Repair board"},
            {"type": "step_completed", "step": 2},
            {"type": "step_started", "step": 3},
            {"type": "step_completed", "step": 3},
            {"type": "step_started", "step": 4},
            {"type": "step_completed", "step": 4},
            {"type": "task_completed", "result": {"url": "http://crm.local"}},
        ],
    )
    await expect(page.locator("#percent")).to_have_text("100%", timeout=WAIT_MS)
    await expect(page.locator("#done")).to_have_text("✅ Your CRM is ready!")
    await expect(page.locator("#bar")).to_have_attribute("aria-valuenow", "100")
    await expect(page.locator("#controls button")).to_have_count(0)
    await expect(page.locator("#history tr").last).to_contain_text("completed")


async def test_pause_in_the_page_reaches_the_engine(
    server: RunningServer, browser: Browser
) -> None:
    page = await open_view(browser, server, person="bob")
    async with AsyncProgressClient(server.url, TOKEN, check_interval=0.05) as client:
        engine_task = client.task("abc123")
        await engine_task.checkpoint()  # running: returns at once
        await page.get_by_role("button", name="Pause").click()
        await expect(page.locator("#status")).to_have_text("⏸ Paused")
        waiting = asyncio.create_task(engine_task.checkpoint())
        await asyncio.sleep(0.5)
        assert not waiting.done()  # the engine holds still while the task is paused
        await page.get_by_role("button", name="Resume").click()
        await asyncio.wait_for(waiting, timeout=30)  # and goes on once it is resumed
    await page.get_by_role("button", name="Pause").click()
    await expect(page.locator("#status")).to_have_text("⏸ Paused")
    await expect(page.get_by_role("button", name="Resume")).to_be_visible()
    await expect(page.locator("#substeps li").nth(2)).to_have_text("├─ Sales form ⏸ (paused)")

    progress = await api_get(server, "/api/tasks/abc123/progress")
    assert progress["status"] == "paused"
    control = await api_get(server, "/api/tasks/abc123/control")
    assert control["state"] == "pause"
    # An engine that reports meanwhile is told to hold still.
    answer = await engine(server, {"type": "log", "message": "still here"})
    assert answer["control"]["state"] == "pause"

    await page.get_by_role("button", name="Resume").click()
    await expect(page.locator("#status")).to_have_text("◐ Running")
    control = await api_get(server, "/api/tasks/abc123/control")
    assert control["state"] == "run"


async def test_a_bad_link_sees_nothing(server: RunningServer, browser: Browser) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    response = await page.goto(server.url + "/tasks/abc123?t=forged.token.here")
    assert response is not None and response.status == 401
    body = await page.locator("body").inner_text()
    assert "not valid" in body
    assert TITLE not in body and "Generate application UI" not in body
    await context.close()


async def test_the_page_reconnects_after_the_server_drops_it(
    sqlite_db: Database, browser: Browser
) -> None:
    config = make_config()
    first = await start_server(config, database=sqlite_db, clock=FakeClock())
    port = int(first.url.rsplit(":", 1)[1])
    async with aiohttp.ClientSession() as session:
        await seed_task(Api(session, first.url))
    page = await open_view(browser, first)
    await expect(page.locator("#percent")).to_have_text("65%")
    await page.wait_for_function("() => document.querySelector('#history tr') !== null")

    await first.stop()  # the server closes its WebSockets as it goes
    await expect(page.locator("#connection")).to_have_text(
        "Disconnected — reconnecting…", timeout=WAIT_MS
    )

    config.api.port = port
    second = await start_server(config, database=sqlite_db, clock=FakeClock())
    try:
        # The task moved on while the page was away; the snapshot on reconnect shows it at once.
        await engine(second, {"type": "substep_done", "step": 2, "substep": "Sales form"})
        await expect(page.locator("#substeps li").nth(2)).to_have_text(
            "├─ Sales form ✓", timeout=WAIT_MS
        )
        await expect(page.locator("#connection")).to_be_hidden()
        await expect(page.locator("#connection")).to_have_text("")
    finally:
        await page.close()
        await second.stop()


async def test_keyboard_and_phone(server: RunningServer, browser: Browser) -> None:
    page = await browser.new_page(viewport={"width": 375, "height": 740})
    await page.goto(task_link(server.services.config, "abc123", "alice"))
    await expect(page.locator("#percent")).to_have_text("65%")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "nothing overflows a phone's width"
    # Tab reaches the Pause button, and Enter presses it.
    for _ in range(12):
        await page.keyboard.press("Tab")
        focused = await page.evaluate("document.activeElement.textContent.trim()")
        if focused == "Pause":
            break
    assert focused == "Pause"
    await page.keyboard.press("Enter")
    await expect(page.locator("#status")).to_have_text("⏸ Paused")
    await asyncio.sleep(0)
