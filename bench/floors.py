"""How close does Progress Bot answer to the bare chat frameworks, on the same fakes, in one run?

The floors are written here: a slack-bolt `AsyncApp` that answers every app_mention at once with
chat.postMessage, and a python-telegram-bot `Application` that long-polls and answers every
message at once with sendMessage, each in its own process like `progressbot serve`. They and
Progress Bot talk to the repository's fake Slack and fake Telegram (tests/fakes), which run in
this process and note when each answer arrives. The drive is the same for all:

1. Slack, one at a time: a signed app_mention ("how's the crm task going?") posted to
   /slack/events; p50/p99 of mention → chat.postMessage arriving at the fake, and of the HTTP
   ack (the answer to the POST).
2. Slack, 10 in flight: answers per second over a run of mentions, 10 waiting at any time.
3. Telegram: a message queued on the fake (getUpdates hands it out) → sendMessage arriving;
   p50/p99.

Progress Bot answers a realistic status question about a seeded task (the seed's Cellphone
Store CRM, owned by alice, shared with her team), through understanding, the dialogue policy,
the store and its renderers. Each Slack mention comes from a channel of its own and each
Telegram message is sent 40 ms after the last (rotating over 100 people's private chats), so
the platforms' own limits that Progress Bot keeps and a floor does not (Slack's 1 post/s per
channel, Telegram's 1 message/s per chat and 30/s overall) do not enter the figures. Besides
wall time it prints each server's CPU time per answer (utime + stime from /proc), which moves
less with the neighbours' load.

Aims (issue 14): Slack p50 ≤ 2x the bolt floor; Slack throughput with 10 in flight ≥ 50 % of
the floor's; Telegram p50 ≤ 2x the PTB floor.

Run: python bench/floors.py                 (SQLite; about a minute)
     python bench/floors.py --postgres      (PostgreSQL at $PROGRESSBOT_TEST_DATABASE_URL)
     python bench/floors.py --messages 400  (more samples)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

# Import from the repository root, not from bench/ (first on sys.path when run as a script),
# where bench/mcp.py would hide the `mcp` package the server imports.
sys.path.pop(0)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, TOKEN, percentile, pg_database, server_process
from tests.fakes.slack import Call, FakeSlack, event_callback, mention, sign
from tests.fakes.telegram import FakeTelegram
from tests.helpers.seed import SEED_CREATE, SEED_EVENTS

QUESTION = "how's the crm task going?"
SIGNING_SECRET = "s3cret"
ALICE_SLACK = "U0ALICE01"
TELEGRAM_PEOPLE = 100
TELEGRAM_FIRST_ID = 300_000_001
TELEGRAM_SPACING = 0.040  # seconds between two Telegram messages: 25/s, under the 30/s budget
IN_FLIGHT = 10
WARM_UP = 20
FLOOR_ANSWER = "📊 Your Cellphone Store CRM task is 65% complete."


# ---------------------------------------------------------------------- fakes that note arrivals


class ArrivalWaiters:
    """Futures keyed by what an answer names (a thread ts, a chat id), set when it arrives."""

    def __init__(self) -> None:
        self._waiting: dict[str, asyncio.Future[float]] = {}

    def expect(self, key: str) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting[key] = future
        return future

    def arrived(self, key: str) -> None:
        future = self._waiting.pop(key, None)
        if future is not None and not future.done():
            future.set_result(time.perf_counter())


class TimedSlack(FakeSlack):
    """The fake Slack, noting when each chat.postMessage for a thread arrives."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.answers = ArrivalWaiters()

    def _m_chat_postMessage(self, call: Call, params: dict[str, Any]) -> dict[str, Any] | str:
        result = super()._m_chat_postMessage(call, params)
        self.answers.arrived(str(params.get("thread_ts")))
        self.calls.clear()  # nothing reads them here; keep memory flat over a long run
        return result


class TimedTelegram(FakeTelegram):
    """The fake Telegram, noting when each sendMessage to a chat arrives."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.answers = ArrivalWaiters()

    async def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        result = await super()._m_sendMessage(params)
        self.answers.arrived(str(params["chat_id"]))
        self.calls.clear()
        return result


# ---------------------------------------------------------------------- the floors' processes


def floor_slack_main(api_url: str) -> None:
    """A bare slack-bolt AsyncApp: every app_mention answered at once in its thread."""
    from aiohttp import web
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    client = AsyncWebClient(token="xoxb-test", base_url=api_url, retry_handlers=[])
    app = AsyncApp(client=client, signing_secret=SIGNING_SECRET)

    @app.event("app_mention")
    async def answer(event: dict[str, Any], client: AsyncWebClient) -> None:
        await client.chat_postMessage(
            channel=event["channel"], thread_ts=event["ts"], text=FLOOR_ANSWER
        )

    async def run() -> None:
        runner = web.AppRunner(app.web_app(path="/slack/events"), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        print(f"listening on http://127.0.0.1:{port}", file=sys.stderr, flush=True)
        await asyncio.Event().wait()

    asyncio.run(run())


def floor_telegram_main(api_url: str) -> None:
    """A bare python-telegram-bot Application: long polling, every message answered at once."""
    from telegram import Update
    from telegram.ext import Application, ContextTypes, MessageHandler, filters

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(chat_id=update.effective_chat.id, text=FLOOR_ANSWER)

    async def run() -> None:
        application = Application.builder().token("123:ABC").base_url(api_url).build()
        application.add_handler(MessageHandler(filters.TEXT, answer))
        async with application:
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(timeout=25)
            print("listening on polling", file=sys.stderr, flush=True)
            await asyncio.Event().wait()

    asyncio.run(run())


@dataclass
class Process:
    """A floor in a subprocess; `url` is what it said it listens on."""

    process: asyncio.subprocess.Process
    url: str
    reader: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int:
        return self.process.pid


@asynccontextmanager
async def floor_process(kind: str, api_url: str) -> AsyncIterator[Process]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(Path(__file__).resolve()),
        f"--floor-{kind}",
        api_url,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    try:
        while True:
            line = (await asyncio.wait_for(process.stderr.readline(), 60)).decode()
            if not line:
                raise RuntimeError(f"the {kind} floor exited before it listened")
            found = re.search(r"listening on (\S+)", line)
            if found:
                break
        floor = Process(process, found.group(1))
        floor.reader = asyncio.create_task(_drain(process.stderr))
        yield floor
    finally:
        if process.returncode is None:
            process.terminate()
            await asyncio.wait_for(process.wait(), 30)


async def _drain(stream: asyncio.StreamReader) -> None:
    while await stream.readline():
        pass


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------- the drive


@dataclass
class Figures:
    answer: list[float] = field(default_factory=list)  # seconds
    ack: list[float] = field(default_factory=list)
    per_second: float = 0.0
    cpu_per_answer: float = 0.0  # seconds of the server's CPU per answer, one at a time
    telegram: list[float] = field(default_factory=list)
    telegram_cpu: float = 0.0


class SlackDriver:
    """Signed mentions from channels of their own, as Slack posts them."""

    def __init__(self, fake: TimedSlack, url: str, session: aiohttp.ClientSession) -> None:
        self.fake, self.url, self.session = fake, url + "/slack/events", session
        self.count = 0

    async def ask(self) -> tuple[float, float]:
        """One mention; (seconds to the ack, seconds to the answer arriving)."""
        self.count += 1
        ts = f"1700000000.{self.count:06d}"
        channel = f"CF{self.count:08d}"
        body = json.dumps(event_callback(mention(ALICE_SLACK, QUESTION, channel=channel, ts=ts)))
        headers = {"Content-Type": "application/json", **sign(body, SIGNING_SECRET)}
        arrived = self.fake.answers.expect(ts)
        start = time.perf_counter()
        async with self.session.post(self.url, data=body, headers=headers) as response:
            await response.read()
            acked = time.perf_counter()
            if response.status != 200:
                raise RuntimeError(f"/slack/events answered {response.status}")
        answered = await asyncio.wait_for(arrived, 30)
        return acked - start, answered - start


async def drive_slack(driver: SlackDriver, pid: int, messages: int) -> Figures:
    figures = Figures()
    for _ in range(WARM_UP):
        await driver.ask()
    cpu = cpu_seconds(pid)
    for _ in range(messages):
        ack, answer = await driver.ask()
        figures.ack.append(ack)
        figures.answer.append(answer)
    figures.cpu_per_answer = (cpu_seconds(pid) - cpu) / messages

    async def worker(count: int) -> None:
        for _ in range(count):
            await driver.ask()

    total = max(messages, IN_FLIGHT * 30)
    start = time.perf_counter()
    await asyncio.gather(*(worker(total // IN_FLIGHT) for _ in range(IN_FLIGHT)))
    figures.per_second = (total // IN_FLIGHT * IN_FLIGHT) / (time.perf_counter() - start)
    return figures


async def drive_telegram(fake: TimedTelegram, pid: int, messages: int, figures: Figures) -> None:
    async def ask(n: int) -> float:
        user = TELEGRAM_FIRST_ID + n % TELEGRAM_PEOPLE
        arrived = fake.answers.expect(str(user))
        start = time.perf_counter()
        await fake.push(fake.message_update(user, QUESTION))
        return await asyncio.wait_for(arrived, 30) - start

    for n in range(WARM_UP):
        await ask(n)
        await asyncio.sleep(TELEGRAM_SPACING)
    cpu = cpu_seconds(pid)
    for n in range(WARM_UP, WARM_UP + messages):
        figures.telegram.append(await ask(n))
        await asyncio.sleep(TELEGRAM_SPACING)
    figures.telegram_cpu = (cpu_seconds(pid) - cpu) / messages


# ---------------------------------------------------------------------- Progress Bot


def progressbot_config(url: str, slack: FakeSlack, telegram: FakeTelegram) -> str:
    people = "\n".join(
        f'  t{n:03d}: {{name: "Tester {n}", telegram: "{TELEGRAM_FIRST_ID + n}"}}'
        for n in range(TELEGRAM_PEOPLE)
    )
    team = ", ".join(["alice", "bob"] + [f"t{n:03d}" for n in range(TELEGRAM_PEOPLE)])
    return f"""store:
  url: {url}
api:
  host: 127.0.0.1
  port: 0
  tokens: ["{TOKEN}"]
  link_secret: bench-link-secret
console:
  enabled: false
slack:
  enabled: true
  mode: http
  bot_token: {slack.bot_token}
  signing_secret: {SIGNING_SECRET}
  api_url: '{slack.api_url}'
telegram:
  enabled: true
  mode: polling
  token: '{telegram.token}'
  api_url: '{telegram.api_url}'
users:
  alice: {{name: Alice, slack: {ALICE_SLACK}}}
  bob: {{name: Bob}}
{people}
teams:
  crm-team: [{team}]
"""


async def seed(session: aiohttp.ClientSession, url: str) -> None:
    """The seed's task, at its 65 %, owned by alice and her team."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with session.post(url + "/api/tasks", json=SEED_CREATE, headers=headers) as response:
        created = await response.json()
        assert response.status == 201, created
    task = created["task_id"]
    async with session.post(
        f"{url}/api/tasks/{task}/events", json=SEED_EVENTS, headers=headers
    ) as response:
        assert response.status == 200, await response.text()


@asynccontextmanager
async def store_url(postgres: bool) -> AsyncIterator[str]:
    if postgres:
        async with pg_database() as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as tmp:
        yield f"sqlite+aiosqlite:///{tmp}/floors.db"


async def run_progressbot(messages: int, postgres: bool) -> Figures:
    async with (
        TimedSlack() as slack,
        TimedTelegram() as telegram,
        store_url(postgres) as url,
        aiohttp.ClientSession() as session,
    ):
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "floors.yaml"
            config.write_text(progressbot_config(url, slack, telegram))
            async with server_process(config) as server:
                await seed(session, server.url)
                figures = await drive_slack(
                    SlackDriver(slack, server.url, session), server.pid, messages
                )
                await drive_telegram(telegram, server.pid, messages, figures)
                return figures


async def run_floors(messages: int) -> Figures:
    async with (
        TimedSlack() as slack,
        aiohttp.ClientSession() as session,
        floor_process("slack", slack.api_url) as floor,
    ):
        driver = SlackDriver(slack, floor.url, session)
        figures = await drive_slack(driver, floor.pid, messages)
    async with (
        TimedTelegram() as telegram,
        floor_process("telegram", telegram.api_url) as floor,
    ):
        await drive_telegram(telegram, floor.pid, messages, figures)
    return figures


# ---------------------------------------------------------------------- the report


def _ms(values: list[float], fraction: float) -> float:
    return percentile(values, fraction) * 1000


def report(ours: Figures, floor: Figures, messages: int, backend: str) -> None:
    print(
        f"{messages} messages one at a time (after {WARM_UP} to warm up), "
        f"{max(messages, IN_FLIGHT * 30)} with {IN_FLIGHT} in flight; Progress Bot on {backend}"
    )
    print(f"{'':40s} {'Progress Bot':>14s} {'floor':>10s} {'ratio':>7s}   aim")
    rows: list[tuple[str, float, float, str]] = [
        (
            "Slack mention → postMessage p50 (ms)",
            _ms(ours.answer, 0.5),
            _ms(floor.answer, 0.5),
            "≤ 2x",
        ),
        (
            "Slack mention → postMessage p99 (ms)",
            _ms(ours.answer, 0.99),
            _ms(floor.answer, 0.99),
            "",
        ),
        ("Slack HTTP ack p50 (ms)", _ms(ours.ack, 0.5), _ms(floor.ack, 0.5), ""),
        ("Slack HTTP ack p99 (ms)", _ms(ours.ack, 0.99), _ms(floor.ack, 0.99), ""),
        (f"Slack answers/s, {IN_FLIGHT} in flight", ours.per_second, floor.per_second, "≥ 0.5x"),
        (
            "Slack server CPU per answer (ms)",
            ours.cpu_per_answer * 1000,
            floor.cpu_per_answer * 1000,
            "",
        ),
        (
            "Telegram message → sendMessage p50 (ms)",
            _ms(ours.telegram, 0.5),
            _ms(floor.telegram, 0.5),
            "≤ 2x",
        ),
        (
            "Telegram message → sendMessage p99 (ms)",
            _ms(ours.telegram, 0.99),
            _ms(floor.telegram, 0.99),
            "",
        ),
        (
            "Telegram server CPU per answer (ms)",
            ours.telegram_cpu * 1000,
            floor.telegram_cpu * 1000,
            "",
        ),
    ]
    for name, mine, base, aim in rows:
        ratio = mine / base if base else float("nan")
        print(f"{name:40s} {mine:14.2f} {base:10.2f} {ratio:6.2f}x   {aim}")
    verdicts = [
        ("Slack p50", _ms(ours.answer, 0.5) <= 2 * _ms(floor.answer, 0.5)),
        ("Slack throughput", ours.per_second >= 0.5 * floor.per_second),
        ("Telegram p50", _ms(ours.telegram, 0.5) <= 2 * _ms(floor.telegram, 0.5)),
    ]
    print("aims: " + ", ".join(f"{name} {'met' if met else 'NOT met'}" for name, met in verdicts))


async def main(messages: int, postgres: bool) -> None:
    floor = await run_floors(messages)
    ours = await run_progressbot(messages, postgres)
    report(ours, floor, messages, "PostgreSQL" if postgres else "SQLite")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--messages", type=int, default=200, help="samples per figure")
    parser.add_argument("--postgres", action="store_true", help="Progress Bot on PostgreSQL")
    parser.add_argument("--floor-slack", metavar="API_URL", help=argparse.SUPPRESS)
    parser.add_argument("--floor-telegram", metavar="API_URL", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    args = _arguments()
    if args.floor_slack:
        floor_slack_main(args.floor_slack)
    elif args.floor_telegram:
        floor_telegram_main(args.floor_telegram)
    else:
        if args.postgres and not os.environ.get("PROGRESSBOT_TEST_DATABASE_URL"):
            sys.exit("--postgres needs PROGRESSBOT_TEST_DATABASE_URL")
        asyncio.run(main(args.messages, args.postgres))
