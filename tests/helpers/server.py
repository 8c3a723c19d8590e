"""A real Progress Bot server on a loopback port, with a clock the test controls."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from sqlalchemy import text

from bot.cli.server import RunningServer, start_server
from bot.config import Config, parse_config
from bot.services import Clock
from store.db import Database

# The tests' operator token: an admin, so tests may steer, relay decisions and chat as anyone.
TOKEN = "test-token"
# A second engine, a reader and a chat front-end that speaks for alice only.
ENGINE_TOKEN = "engine-token"
OTHER_ENGINE_TOKEN = "other-engine-token"
READER_TOKEN = "reader-token"
CHAT_TOKEN = "chat-token"
RASA_TOKEN = "rasa-test-token"

BASE_CONFIG = f"""
api:
  host: 127.0.0.1
  port: 0
  tokens:
    - {{name: operator, token: "{TOKEN}", role: admin}}
    - {{name: engine-a, token: "{ENGINE_TOKEN}"}}
    - {{name: engine-b, token: "{OTHER_ENGINE_TOKEN}", role: engine}}
    - {{name: reader, token: "{READER_TOKEN}", role: reader}}
    - {{name: chat-alice, token: "{CHAT_TOKEN}", role: chat, persons: [alice]}}
  link_secret: test-link-secret
console:
  enabled: false
rasa:
  token: {RASA_TOKEN}
users:
  alice: {{name: Alice, slack: U0ALICE01, telegram: "100000001", email: alice@example.com}}
  bob: {{name: Bob, slack: U0BOB0001, telegram: "100000002"}}
  carol: {{name: Carol, slack: U0CAROL01, telegram: "100000003"}}
teams:
  crm-team: [alice, bob]
"""


class FakeClock(Clock):
    """A clock that stands still until the test moves it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.current = start or datetime(2024, 1, 15, 10, 0, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def time(self) -> float:
        return self.current.timestamp()

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)

    def set(self, value: datetime) -> None:
        self.current = value


def make_config(extra: str = "", environ: Mapping[str, str] | None = None) -> Config:
    return parse_config(BASE_CONFIG + extra, environ=environ or {}, source="test-config.yaml")


@asynccontextmanager
async def running_server(
    db: Database, *, config: Config | None = None, clock: Clock | None = None
) -> AsyncIterator[RunningServer]:
    server = await start_server(config or make_config(), database=db, clock=clock)
    try:
        yield server
    finally:
        await server.stop()


@asynccontextmanager
async def deliveries_held(db: Database) -> AsyncIterator[None]:
    """Keep every worker from recording a platform delivery (`seen_keys`) until the block ends:
    a store busy with another write, as a channel sees it."""
    async with db.write() as session:  # on SQLite: the write lock, in this process and the file
        if db.is_postgres:
            await session.execute(text("LOCK TABLE seen_keys IN EXCLUSIVE MODE"))
        yield


class Api:
    """A thin HTTP client for tests: real requests, JSON answers, the status kept."""

    def __init__(self, session: aiohttp.ClientSession, base: str, token: str | None = TOKEN):
        self.session, self.base, self.token = session, base, token

    def _headers(self, token: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"} if token else {}

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: Any = None,
        token: str | None = "default",
        **kw: Any,
    ) -> tuple[int, Any]:
        headers = self._headers(self.token if token == "default" else token)
        async with self.session.request(
            method, self.base + path, json=json, data=data, headers=headers, **kw
        ) as resp:
            text = await resp.text()
            try:
                import json as _json

                body = _json.loads(text) if text else None
            except ValueError:
                body = text
            return resp.status, body

    async def get(self, path: str, **kw: Any) -> tuple[int, Any]:
        return await self.call("GET", path, **kw)

    async def post(self, path: str, json: Any = None, **kw: Any) -> tuple[int, Any]:
        return await self.call("POST", path, json=json, **kw)
