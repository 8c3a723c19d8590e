"""Shared pieces of the benchmarks: throwaway databases, a server in a subprocess, percentiles."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("PROGRESSBOT_TEST_DATABASE_URL")
TOKEN = "bench-token"

CONFIG = """store:
  url: {url}
api:
  host: 127.0.0.1
  port: 0
  tokens: ["{token}"]
  link_secret: bench-link-secret
console:
  enabled: false
users:
  alice: {{name: Alice}}
  bob: {{name: Bob}}
teams:
  crm-team: [alice, bob]
"""


def write_config(path: Path, url: str) -> Path:
    path.write_text(CONFIG.format(url=url, token=TOKEN))
    return path


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction 0.5 = median, 0.99 = p99)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


@asynccontextmanager
async def pg_schema() -> AsyncIterator[str]:
    """A fresh schema in the test database, dropped afterwards (as tests/conftest.py does)."""
    assert PG_URL, "PROGRESSBOT_TEST_DATABASE_URL is not set"
    schema = f"bench_{secrets.token_hex(6)}"
    admin = create_async_engine(PG_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()


@asynccontextmanager
async def pg_database() -> AsyncIterator[str]:
    """A fresh database on the test server, for a server in another process (a URL cannot
    carry a search_path for asyncpg); dropped afterwards. Yields its URL."""
    assert PG_URL, "PROGRESSBOT_TEST_DATABASE_URL is not set"
    name = f"progressbot_bench_{secrets.token_hex(6)}"
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(PG_URL).set(database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


class ServerProcess:
    """`progressbot serve` in a subprocess on a port the OS picks; its URL is read from its log."""

    def __init__(self, config: Path) -> None:
        self.config = config
        self.process: asyncio.subprocess.Process | None = None
        self.url = ""
        self._log_reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PROGRESSBOT_")}
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "--config",
            str(self.config),
            "--log-level",
            "INFO",
            "serve",
            cwd=ROOT,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        assert self.process.stderr is not None
        while True:
            line = (await asyncio.wait_for(self.process.stderr.readline(), 120)).decode()
            if not line:
                raise RuntimeError("the server exited before it listened")
            found = re.search(r"listening on (http://\S+)", line)
            if found:
                self.url = found.group(1)
                break
        # Keep reading its log so a full pipe never stalls the server.
        self._log_reader = asyncio.create_task(self._drain(self.process.stderr))

    @staticmethod
    async def _drain(stream: asyncio.StreamReader) -> None:
        while await stream.readline():
            pass

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def peak_rss_mib(self) -> float:
        """VmHWM: the most resident memory the server process has used."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(found.group(1)) / 1024 if found else float("nan")

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await asyncio.wait_for(self.process.wait(), 30)
        if self._log_reader is not None:
            self._log_reader.cancel()


@asynccontextmanager
async def server_process(config: Path) -> AsyncIterator[ServerProcess]:
    server = ServerProcess(config)
    try:
        await server.start()
        yield server
    finally:
        await server.stop()
