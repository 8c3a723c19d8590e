"""The Progress View in a real browser (Debian's Chromium via Playwright): live, steerable, safe."""

from __future__ import annotations

import asyncio
import os
import re
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
    await expect(page.locator("#history li").last).to_contain_text("Task completed")
    history = await page.locator("#history li").all_inner_texts()
    # Step transitions with times and durations; no row per percent.
    assert any("Step 1 Create database tables completed (took" in line for line in history)
    assert not any("65" in line for line in history), history


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
    await page.wait_for_function("() => document.querySelector('#history li') !== null")

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


# Render each character that is visible on the page to a canvas in the page's own font, and compare
# it with characters no font has (the browser draws those as an empty box, or nothing).
GLYPH_CHECK = """() => {
  const seen = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(".sr-only, [hidden], script, style, svg")) continue;
    if (!parent.getClientRects().length) continue;
    const style = getComputedStyle(parent);
    const font = `${style.fontStyle} ${style.fontWeight} 32px ${style.fontFamily}`;
    for (const ch of node.nodeValue) {
      if (ch.codePointAt(0) > 0x7e && !/\\s/.test(ch)) seen.set(`${ch}|${font}`, [ch, font]);
    }
  }
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 48;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const draw = (ch, font) => {
    ctx.clearRect(0, 0, 48, 48);
    ctx.font = font;
    ctx.fillStyle = "#000";
    ctx.textBaseline = "middle";
    ctx.fillText(ch, 4, 24);
    return Array.from(ctx.getImageData(0, 0, 48, 48).data.filter((_, i) => i % 4 === 3)).join(",");
  };
  const blank = draw(" ", "32px sans-serif");
  const results = [];
  for (const [ch, font] of seen.values()) {
    const tofu = ["\\u0378", "\\uFFFF", "\\u{10FFFD}"].map((t) => draw(t, font));
    const mine = draw(ch, font);
    results.push({ ch, font, box: tofu.includes(mine), empty: mine === blank });
  }
  return { results, tofuIsVisible: draw("\\u0378", "32px sans-serif") !== blank };
}"""


async def test_no_symbol_on_the_page_is_drawn_as_a_box(
    server: RunningServer, browser: Browser
) -> None:
    page = await open_view(browser, server)
    await expect(page.locator("#percent")).to_have_text("65%")
    await engine(server, {"type": "approval_requested", "step": 3, "prompt": "Go on?"})
    await expect(page.locator("#approval")).to_be_visible()
    checked = await page.evaluate(GLYPH_CHECK)
    chars = {r["ch"] for r in checked["results"]}
    assert {"█", "░", "├", "└"} <= chars, chars  # the detector sees the page's own text
    boxes = [r for r in checked["results"] if r["box"] or r["empty"]]
    assert not boxes, boxes
    # The seed's symbols are drawn, each with its character kept for screen readers.
    for symbol in ("✓", "◐", "○"):
        await expect(page.locator(".sym .sr-only", has_text=symbol).first).to_be_attached()
    drawn = await page.evaluate(
        "() => [...document.querySelectorAll('main svg.icon')]"
        ".filter((s) => s.getClientRects().length)"
        ".map((s) => s.getBoundingClientRect().width)"
    )
    assert drawn and all(width > 8 for width in drawn), drawn
    # The favicon is ours and local.
    icon = await page.locator('link[rel="icon"]').get_attribute("href")
    assert icon is not None and icon.startswith("/static/favicon.svg")
    response = await page.request.get(server.url + "/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/svg+xml"
    await page.close()


async def test_times_are_in_the_viewers_time_zone(server: RunningServer, browser: Browser) -> None:
    context = await browser.new_context(timezone_id="America/New_York", locale="en-US")
    page = await context.new_page()
    await page.goto(task_link(server.services.config, "abc123", "alice"))
    await expect(page.locator("#zone")).to_have_text("Times in your time zone: America/New_York.")
    # The fake clock's 10:00 UTC on 15 January is 05:00 in New York.
    first = page.locator("#history li time").first
    await expect(first).to_have_text(re.compile(r"^(Jan 15, )?05:0\d:\d\d EST$"))
    await expect(page.locator("#logs time").first).to_contain_text("EST")
    await context.close()
