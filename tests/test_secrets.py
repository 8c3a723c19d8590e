"""Safe defaults and quiet secrets: example credentials never face the outside, and no log line
at any level shows a token, a secret or a session-granting link."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import logsafe
from store.db import Database
from tests.fakes.telegram import FakeTelegram
from tests.helpers.seed import SEED_CREATE, SEED_EVENTS
from tests.test_telegram import ALICE, SECRET, bot_world

ROOT = Path(__file__).resolve().parent.parent


def progressbot(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROGRESSBOT_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "--config", str(config), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("api", "key"),
    [
        ("{host: 0.0.0.0, tokens: [dev-token], link_secret: s3cret-value-1}", "api.tokens.0"),
        (
            "{host: 127.0.0.1, public_url: 'https://progress.example.com', tokens: [real-1234],"
            " link_secret: change-me}",
            "api.link_secret",
        ),
    ],
)
def test_serve_refuses_example_secrets_when_reachable(tmp_path: Path, api: str, key: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"api: {api}\nconsole: {{enabled: false}}\n")
    done = progressbot(config, "serve")
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.startswith("progressbot:")]
    assert len(lines) == 1 and key in lines[0], done.stderr


def test_config_hides_the_database_password(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "store: {url: 'postgresql+asyncpg://bot:hunter2-db@db.internal/progress'}\n"
        "console: {enabled: false}\n"
    )
    done = progressbot(config, "config")
    assert done.returncode == 0, done.stderr
    assert "hunter2-db" not in done.stdout
    assert "postgresql+asyncpg://bot:***@db.internal/progress" in done.stdout


def test_redaction_covers_tokens_links_and_headers() -> None:
    logsafe.install(["my-very-own-secret"])
    for line, hidden in [
        ("POST https://api.telegram.org/bot123456:AAE-x_y/getUpdates", "123456:AAE-x_y"),
        ("open http://h/tasks/abc?t=eyJwIjoiYWxpY2UifQ.Zx.sig&x=1", "eyJwIjoiYWxpY2UifQ.Zx.sig"),
        ("headers={'Authorization': 'Bearer sekrit-tok'}", "sekrit-tok"),
        ("value my-very-own-secret here", "my-very-own-secret"),
        ("xoxb-1234-5678-abcdef", "xoxb-1234-5678-abcdef"),
    ]:
        assert hidden not in logsafe.redact(line)


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_debug_logs_show_no_token_secret_or_link(
    db: Database, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with bot_world(db, mode) as (fake, _server, api, _clock):
        assert isinstance(fake, FakeTelegram)
        body = {**SEED_CREATE, "notify": [{"platform": "telegram", "chat": str(ALICE)}]}
        status, _ = await api.post("/api/tasks", body)
        assert status == 201
        for event in SEED_EVENTS:
            await api.post("/api/tasks/abc123/events", event)
        await fake.push(fake.message_update(ALICE, "/status crm"))
        await fake.wait_for(lambda: fake.texts(str(ALICE)))
        logging.getLogger("test").debug("request with Authorization: Bearer %s", "test-token")
    text = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    text += caplog.text
    assert caplog.records, "DEBUG logging produced nothing to check"
    # The SDK does log its request URLs; they arrive with the token blanked.
    assert "/bot***" in text
    assert "/bot123:ABC" not in text and "123:ABC" not in text
    assert SECRET not in text
    assert "test-token" not in text
    assert "test-link-secret" not in text
    assert "?t=" not in text or "?t=***" in text
    for record in caplog.records:
        assert "?t=" not in record.getMessage().replace("?t=***", "")
