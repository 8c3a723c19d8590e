"""The Progress View's doors: signed links, the session cookie, the page's buttons, escaping."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from bot.cli.server import RunningServer
from bot.links import LINK_SALT, index_link, print_link, task_link, verify_link
from store.db import Database
from tests.helpers.seed import SEED_CREATE, SEED_EVENTS
from tests.helpers.server import TOKEN, Api, FakeClock, make_config, running_server

TITLE = "Cellphone Store CRM"


@dataclass
class Site:
    server: RunningServer
    api: Api
    clock: FakeClock

    @property
    def config(self) -> Any:
        return self.server.services.config

    def url(self, path: str) -> str:
        return self.server.url + path


async def create(api: Api, **changes: Any) -> str:
    status, body = await api.post("/api/tasks", {**SEED_CREATE, **changes})
    assert status == 201, body
    return str(body["task_id"])


@pytest.fixture
async def site(sqlite_db: Database) -> AsyncIterator[Site]:
    clock = FakeClock()
    async with (
        running_server(sqlite_db, clock=clock) as server,
        aiohttp.ClientSession() as session,
    ):
        api = Api(session, server.url)
        await create(api)
        status, body = await api.post("/api/tasks/abc123/events", SEED_EVENTS)
        assert status == 200, body
        clock.advance(150)  # the seed's "Started: 2 min ago"
        yield Site(server, api, clock)


def browser() -> aiohttp.ClientSession:
    # A cookie jar that keeps cookies for 127.0.0.1, as a browser does.
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


def csrf_of(page: str) -> str:
    found = re.search(r'<meta name="progressbot-csrf" content="([^"]+)">', page)
    assert found, "the page embeds its CSRF token"
    return found.group(1)


async def test_a_valid_link_shows_the_seed_task_and_starts_a_session(site: Site) -> None:
    async with browser() as client:
        async with client.get(task_link(site.config, "abc123", "alice")) as resp:
            page = await resp.text()
            assert resp.status == 200
            cookie = resp.cookies["progressbot_session"]
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert TITLE in page
        assert "65%" in page
        assert "Step 2 of 4: Generate application UI" in page
        # Each symbol is drawn (SVG) and kept as text for screen readers.
        sym = r'<span class="sym"[^>]*><svg[^>]*><use[^>]*/></svg><span class="sr-only">'
        assert re.search(rf"├─</span> Customer list view {sym}✓</span>", page)
        assert re.search(rf"├─</span> Sales form {sym}◐</span>.*\(in progress\)", page)
        assert re.search(rf"└─</span> Repair board {sym}○</span>.*\(pending\)", page)
        assert 'Started:</dt> <dd id="started">2 min ago' in page
        assert 'data-action="pause">Pause' in page and 'data-action="cancel">Cancel' in page
        assert 'role="progressbar"' in page and 'aria-valuenow="65"' in page

        # A reload without the token rides on the session cookie.
        async with client.get(site.url("/tasks/abc123")) as resp:
            assert resp.status == 200
            assert TITLE in await resp.text()
        # A session a task link opened is for that task only: no list of the person's tasks.
        async with client.get(site.url("/")) as resp:
            assert resp.status == 403
            assert TITLE not in await resp.text()
        async with client.get(index_link(site.config, "alice")) as resp:
            listing = await resp.text()
            assert resp.status == 200
            assert TITLE in listing and 'href="/tasks/abc123"' in listing


async def test_without_a_token_the_pages_say_401_and_nothing_of_the_task(site: Site) -> None:
    async with browser() as client:
        for path in ("/tasks/abc123", "/", "/tasks/abc123?t=not-a-token"):
            async with client.get(site.url(path)) as resp:
                assert resp.status == 401, path
                page = await resp.text()
                assert TITLE not in page and "Generate application UI" not in page
                assert "progressbot_session" not in resp.cookies


def old_token(secret: str, payload: dict[str, str], age_seconds: int) -> str:
    class OldSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age_seconds

    return URLSafeTimedSerializer(secret, salt=LINK_SALT, signer=OldSigner).dumps(payload)


async def test_forged_expired_and_other_task_links_are_refused(site: Site) -> None:
    await create(site.api, task_id="other1", title="Payroll Export")
    forged = URLSafeTimedSerializer("another-secret", salt=LINK_SALT).dumps(
        {"p": "alice", "t": "abc123"}
    )
    expired = old_token("test-link-secret", {"p": "alice", "t": "abc123"}, 2 * 86400)
    fresh = old_token("test-link-secret", {"p": "alice", "t": "abc123"}, 60)
    other_task = task_link(site.config, "other1", "alice").split("?t=")[1]
    assert verify_link(site.config, fresh, task_id="abc123") == "alice"
    assert verify_link(site.config, expired, task_id="abc123") is None
    assert verify_link(site.config, other_task, task_id="abc123") is None
    assert verify_link(site.config, forged, task_id="abc123") is None
    async with browser() as client:
        for token in (forged, expired, other_task):
            async with client.get(site.url(f"/tasks/abc123?t={token}")) as resp:
                page = await resp.text()
                assert resp.status == 401
                assert TITLE not in page and "Payroll Export" not in page


async def test_a_person_who_may_not_see_the_task_gets_403(site: Site) -> None:
    async with browser() as client:
        async with client.get(task_link(site.config, "abc123", "carol")) as resp:
            page = await resp.text()
            assert resp.status == 403
            assert TITLE not in page and "Generate application UI" not in page
        # carol's own list does not show alice's task either.
        async with client.get(index_link(site.config, "carol")) as resp:
            assert resp.status == 200
            assert TITLE not in await resp.text()


async def test_the_websocket_needs_the_cookie_or_a_link(site: Site) -> None:
    async with browser() as client:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(site.url("/ws/tasks/abc123"))
        assert refused.value.status == 401
        async with client.get(task_link(site.config, "abc123", "bob")) as resp:
            assert resp.status == 200
        async with client.ws_connect(site.url("/ws/tasks/abc123")) as ws:
            first = await ws.receive_json(timeout=5)
        assert first["type"] == "snapshot"
        assert first["task"]["title"] == TITLE and first["task"]["progress"] == 65

    async with browser() as client:
        # carol's session is genuine, but the task is not hers.
        async with client.get(index_link(site.config, "carol")) as resp:
            assert resp.status == 200
        with pytest.raises(aiohttp.WSServerHandshakeError) as forbidden:
            await client.ws_connect(site.url("/ws/tasks/abc123"))
        assert forbidden.value.status == 403


async def test_the_page_buttons_act_as_the_sessions_person(site: Site) -> None:
    await create(site.api, task_id="carol1", title="Carol's Site", owner="carol", team=None)
    async with browser() as bob:
        async with bob.get(task_link(site.config, "abc123", "bob")) as resp:
            csrf = csrf_of(await resp.text())
        async with bob.post(site.url("/web/tasks/abc123/pause"), json={}) as resp:
            assert resp.status == 403  # no CSRF header
            assert (await resp.json())["error"]["code"] == "csrf"
        async with bob.post(
            site.url("/web/tasks/abc123/pause"),
            json={},
            headers={"X-Progressbot-CSRF": "guess"},
        ) as resp:
            assert resp.status == 403
        _, progress = await site.api.get("/api/tasks/abc123/progress")
        assert progress["status"] == "running"

        async with bob.post(
            site.url("/web/tasks/abc123/pause"), json={}, headers={"X-Progressbot-CSRF": csrf}
        ) as resp:
            assert resp.status == 200
            assert (await resp.json())["status"] == "paused"
        async with bob.post(
            site.url("/web/tasks/abc123/pause"), json={}, headers={"X-Progressbot-CSRF": csrf}
        ) as resp:
            assert resp.status == 409  # already paused
            assert "error" in await resp.json()

    _, progress = await site.api.get("/api/tasks/abc123/progress")
    assert progress["status"] == "paused"
    _, history = await site.api.get("/api/tasks/abc123/history")
    controls = [(a["action"], a["by"], a["via"]) for a in history["audit"] if a["by"]]
    assert controls == [("pause", "bob", "web")]

    async with browser() as carol:
        async with carol.get(task_link(site.config, "carol1", "carol")) as resp:
            carol_csrf = csrf_of(await resp.text())
        async with carol.post(
            site.url("/web/tasks/abc123/resume"),
            json={},
            headers={"X-Progressbot-CSRF": carol_csrf},
        ) as resp:
            assert resp.status == 403
            assert TITLE not in await resp.text()
    _, progress = await site.api.get("/api/tasks/abc123/progress")
    assert progress["status"] == "paused"


async def test_approval_buttons_go_through_the_approvers(site: Site) -> None:
    await create(site.api, task_id="appr1", title="Needs a yes", owner="bob")
    await site.api.post(
        "/api/tasks/appr1/events",
        [
            {"type": "task_started"},
            {"type": "approval_requested", "step": 1, "prompt": "Drop the <b>old</b> tables?"},
        ],
    )
    _, snap = await site.api.get("/api/tasks/appr1/progress")
    approval_id = snap["approval"]["id"]
    async with browser() as alice:
        async with alice.get(task_link(site.config, "appr1", "alice")) as resp:
            page = await resp.text()
        assert '⚠</span> Approval required for Step <span id="approval-step">1</span>' in page
        assert "Drop the &lt;b&gt;old&lt;/b&gt; tables?" in page
        assert 'data-decision="approve">Approve' in page
        async with alice.post(
            site.url(f"/web/approvals/{approval_id}/approve"),
            json={"reason": "looks fine"},
            headers={"X-Progressbot-CSRF": csrf_of(page)},
        ) as resp:
            body = await resp.json()
            assert resp.status == 200, body
        assert body["decision"] == {"status": "approved", "decided_by": "alice"}
        assert body["status"] == "running"


async def test_untrusted_text_is_escaped(site: Site) -> None:
    await create(
        site.api,
        task_id="xss1",
        title="<script>alert(1)</script>",
        steps=[{"name": '"><img src=x onerror=alert(2)>', "substeps": ["<i>sub</i>"]}],
    )
    await site.api.post(
        "/api/tasks/xss1/events",
        [
            {"type": "step_started", "step": 1},
            {"type": "log", "step": 1, "level": "info", "message": "<svg onload=alert(3)>"},
        ],
    )
    async with browser() as client:
        async with client.get(task_link(site.config, "xss1", "alice")) as resp:
            page = await resp.text()
        async with client.get(index_link(site.config, "alice")) as resp:
            listing = await resp.text()
    for html in (page, listing):
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in page and "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<i>sub</i>" not in page and "&lt;i&gt;sub&lt;/i&gt;" in page
    assert "<svg onload" not in page and "&lt;svg onload=alert(3)&gt;" in page


async def test_static_files_have_types_and_cache_headers(site: Site) -> None:
    async with browser() as client:
        async with client.get(task_link(site.config, "abc123", "alice")) as resp:
            page = await resp.text()
            assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
        css = re.search(r'href="(/static/app\.css\?v=\w+)"', page)
        js = re.search(r'src="(/static/progress\.js\?v=\w+)"', page)
        assert css and js
        async with client.get(site.url(css.group(1))) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"].startswith("text/css")
            assert "max-age=31536000" in resp.headers["Cache-Control"]
        async with client.get(site.url(js.group(1))) as resp:
            assert resp.headers["Content-Type"].startswith("text/javascript")
            assert "innerHTML" not in await resp.text()
        async with client.get(site.url("/static/../config.py")) as resp:
            assert resp.status == 404


async def test_progressbot_open_prints_a_link(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config(f"store:\n  url: {sqlite_db.url}\n")
    async with running_server(sqlite_db, config=config) as server:
        async with aiohttp.ClientSession() as session:
            await create(Api(session, server.url, TOKEN))
        assert await print_link(config, "abc123") == 0
        link = capsys.readouterr().out.strip()
        assert link.startswith(f"{server.url}/tasks/abc123?t=")
        assert verify_link(config, link.split("?t=")[1], task_id="abc123") == "alice"
        assert await print_link(config, "nope") == 1
        assert "no task 'nope'" in capsys.readouterr().err
