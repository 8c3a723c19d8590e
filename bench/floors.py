"""How close does Progress Bot answer to the bare chat frameworks, on the same fakes, in one run?

The floors are written here: a slack-bolt `AsyncApp` that answers every app_mention at once with
chat.postMessage, and a python-telegram-bot `Application` that long-polls and answers every
message at once with sendMessage, each in its own process like `progressbot serve`. They and
Progress Bot talk to the repository's fake Slack and fake Telegram (tests/fakes), which run in
this process and note when each answer arrives. All run side by side, and each measure is taken
in turns (`--rounds`, 4): the floor, then Progress Bot, and again, so a neighbour's burst of
load on a shared machine falls on both. The drive is the same for all:

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

Run: python bench/floors.py                   (SQLite; under a minute)
     python bench/floors.py --postgres        (PostgreSQL at $PROGRESSBOT_TEST_DATABASE_URL)
     python bench/floors.py --messages 400    (more samples per figure)
     python bench/floors.py --profile FILE    (py-spy samples Progress Bot's server meanwhile,
                                               collapsed stacks to FILE; needs py-spy installed)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
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

    async def __aenter__(self) -> TimedSlack:
        await super().__aenter__()
        return self

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

    async def __aenter__(self) -> TimedTelegram:
        await super().__aenter__()
        return self

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
    """What one subject (a floor pair, or Progress Bot) showed, over every round."""

    answer: list[float] = field(default_factory=list)  # seconds
    ack: list[float] = field(default_factory=list)
    answered: int = 0  # with IN_FLIGHT waiting
    busy: float = 0.0  # seconds those took
    slack_cpu: float = 0.0  # seconds of the server's CPU over the one-at-a-time mentions
    telegram: list[float] = field(default_factory=list)
    telegram_cpu: float = 0.0

    @property
    def per_second(self) -> float:
        return self.answered / self.busy if self.busy else 0.0


@dataclass
class Subject:
    """Where a subject listens: its Slack events URL and process, its fake Telegram and
    process (the same process for Progress Bot)."""

    name: str
    slack_url: str
    slack_pid: int
    telegram: TimedTelegram
    telegram_pid: int
    figures: Figures = field(default_factory=Figures)


class SlackDriver:
    """Signed mentions from channels of their own, as Slack posts them."""

    def __init__(self, fake: TimedSlack, session: aiohttp.ClientSession) -> None:
        self.fake, self.session = fake, session
        self.count = 0

    async def ask(self, url: str) -> tuple[float, float]:
        """One mention; (seconds to the ack, seconds to the answer arriving)."""
        self.count += 1
        ts = f"1700000000.{self.count:06d}"
        channel = f"CF{self.count:08d}"
        body = json.dumps(event_callback(mention(ALICE_SLACK, QUESTION, channel=channel, ts=ts)))
        headers = {"Content-Type": "application/json", **sign(body, SIGNING_SECRET)}
        arrived = self.fake.answers.expect(ts)
        start = time.perf_counter()
        async with self.session.post(url + "/slack/events", data=body, headers=headers) as r:
            await r.read()
            acked = time.perf_counter()
            if r.status != 200:
                raise RuntimeError(f"/slack/events answered {r.status}")
        answered = await asyncio.wait_for(arrived, 30)
        return acked - start, answered - start


async def slack_one_at_a_time(driver: SlackDriver, subject: Subject, count: int) -> None:
    cpu = cpu_seconds(subject.slack_pid)
    for _ in range(count):
        ack, answer = await driver.ask(subject.slack_url)
        subject.figures.ack.append(ack)
        subject.figures.answer.append(answer)
    subject.figures.slack_cpu += cpu_seconds(subject.slack_pid) - cpu


async def slack_in_flight(driver: SlackDriver, subject: Subject, count: int) -> None:
    async def worker() -> None:
        for _ in range(count // IN_FLIGHT):
            await driver.ask(subject.slack_url)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    subject.figures.busy += time.perf_counter() - start
    subject.figures.answered += count // IN_FLIGHT * IN_FLIGHT


class TelegramDriver:
    """Messages queued on a fake Telegram, rotating over the people's private chats, no faster
    than Telegram lets a bot answer (TELEGRAM_SPACING)."""

    def __init__(self) -> None:
        self.count = 0

    async def ask(self, subject: Subject) -> float:
        self.count += 1
        fake, user = subject.telegram, TELEGRAM_FIRST_ID + self.count % TELEGRAM_PEOPLE
        arrived = fake.answers.expect(str(user))
        start = time.perf_counter()
        await fake.push(fake.message_update(user, QUESTION))
        answered = await asyncio.wait_for(arrived, 30) - start
        await asyncio.sleep(TELEGRAM_SPACING)
        return answered


async def telegram_messages(driver: TelegramDriver, subject: Subject, count: int) -> None:
    cpu = cpu_seconds(subject.telegram_pid)
    for _ in range(count):
        subject.figures.telegram.append(await driver.ask(subject))
    subject.figures.telegram_cpu += cpu_seconds(subject.telegram_pid) - cpu


async def drive(subjects: list[Subject], slack: TimedSlack, messages: int, rounds: int) -> None:
    """Each measure in `rounds` turns, the subjects taking turns, so a neighbour's burst of load
    falls on both rather than on whichever ran at that moment."""
    async with aiohttp.ClientSession() as session:
        slack_driver, telegram_driver = SlackDriver(slack, session), TelegramDriver()
        for subject in subjects:
            for _ in range(WARM_UP):
                await slack_driver.ask(subject.slack_url)
                await telegram_driver.ask(subject)
        per_round = max(1, messages // rounds)
        for _ in range(rounds):
            for subject in subjects:
                await slack_one_at_a_time(slack_driver, subject, per_round)
        for _ in range(rounds):
            for subject in subjects:
                await slack_in_flight(slack_driver, subject, max(per_round, IN_FLIGHT * 10))
        for _ in range(rounds):
            for subject in subjects:
                await telegram_messages(telegram_driver, subject, per_round)


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


@asynccontextmanager
async def profiled(pid: int, path: str | None) -> AsyncIterator[None]:
    """py-spy sampling `pid` meanwhile, its collapsed stacks written to `path` (if given): only
    the thread holding the GIL (`--gil`), as the CPU a figure costs is what it shows, at a rate
    low enough (250/s) that its pauses of the server barely move the figures."""
    if path is None:
        yield
        return
    spy = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("py-spy")),
        *("record", "--pid", str(pid), "--gil", "--format", "raw", "--rate", "250", "-o", path),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        await asyncio.wait_for(spy.wait(), 60)


async def run(messages: int, rounds: int, postgres: bool, profile: str | None) -> list[Subject]:
    async with (
        TimedSlack() as slack,
        TimedTelegram() as floor_telegram,
        TimedTelegram() as telegram,
        store_url(postgres) as url,
        floor_process("slack", slack.api_url) as floor_slack,
        floor_process("telegram", floor_telegram.api_url) as floor_polling,
    ):
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "floors.yaml"
            config.write_text(progressbot_config(url, slack, telegram))
            async with server_process(config) as server, profiled(server.pid, profile):
                async with aiohttp.ClientSession() as session:
                    await seed(session, server.url)
                subjects = [
                    Subject(
                        "floor", floor_slack.url, floor_slack.pid, floor_telegram, floor_polling.pid
                    ),
                    Subject("Progress Bot", server.url, server.pid, telegram, server.pid),
                ]
                await drive(subjects, slack, messages, rounds)
                return subjects


# ---------------------------------------------------------------------- the report


def _ms(values: list[float], fraction: float) -> float:
    return percentile(values, fraction) * 1000


def report(subjects: list[Subject], messages: int, rounds: int, backend: str) -> None:
    floor, ours = subjects[0].figures, subjects[1].figures
    print(
        f"{len(ours.answer)} Slack mentions and {len(ours.telegram)} Telegram messages one at a "
        f"time, {ours.answered} mentions with {IN_FLIGHT} in flight, each in {rounds} turns "
        f"taken with the floor (after {WARM_UP} to warm up); Progress Bot on {backend}"
    )
    print(f"{'':42s} {'Progress Bot':>12s} {'floor':>9s} {'ratio':>7s}   aim")
    slack_cpu = (ours.slack_cpu / len(ours.answer), floor.slack_cpu / len(floor.answer))
    telegram_cpu = (
        ours.telegram_cpu / len(ours.telegram),
        floor.telegram_cpu / len(floor.telegram),
    )
    rows = [
        ("Slack mention → postMessage p50 (ms)", ours.answer, floor.answer, 0.5, "≤ 2x"),
        ("Slack mention → postMessage p99 (ms)", ours.answer, floor.answer, 0.99, ""),
        ("Slack HTTP ack p50 (ms)", ours.ack, floor.ack, 0.5, ""),
        ("Slack HTTP ack p99 (ms)", ours.ack, floor.ack, 0.99, ""),
        (
            f"Slack answers/s, {IN_FLIGHT} in flight",
            ours.per_second,
            floor.per_second,
            None,
            "≥ 0.5x",
        ),
        ("Slack server CPU per answer (ms)", slack_cpu[0] * 1000, slack_cpu[1] * 1000, None, ""),
        ("Telegram message → sendMessage p50 (ms)", ours.telegram, floor.telegram, 0.5, "≤ 2x"),
        ("Telegram message → sendMessage p99 (ms)", ours.telegram, floor.telegram, 0.99, ""),
        (
            "Telegram server CPU per answer (ms)",
            telegram_cpu[0] * 1000,
            telegram_cpu[1] * 1000,
            None,
            "",
        ),
    ]
    for name, mine, base, fraction, aim in rows:
        if isinstance(mine, list) and isinstance(base, list) and fraction is not None:
            mine, base = _ms(mine, fraction), _ms(base, fraction)
        assert isinstance(mine, float) and isinstance(base, float)
        ratio = mine / base if base else float("nan")
        print(f"{name:42s} {mine:12.2f} {base:9.2f} {ratio:6.2f}x   {aim}")
    verdicts = [
        ("Slack p50", _ms(ours.answer, 0.5) <= 2 * _ms(floor.answer, 0.5)),
        ("Slack throughput", ours.per_second >= 0.5 * floor.per_second),
        ("Telegram p50", _ms(ours.telegram, 0.5) <= 2 * _ms(floor.telegram, 0.5)),
    ]
    print("aims: " + ", ".join(f"{name} {'met' if met else 'NOT met'}" for name, met in verdicts))


async def main(messages: int, rounds: int, postgres: bool, profile: str | None) -> None:
    subjects = await run(messages, rounds, postgres, profile)
    report(subjects, messages, rounds, "PostgreSQL" if postgres else "SQLite")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--messages", type=int, default=200, help="samples per figure")
    parser.add_argument("--rounds", type=int, default=4, help="turns taken with the floor")
    parser.add_argument("--postgres", action="store_true", help="Progress Bot on PostgreSQL")
    parser.add_argument(
        "--profile", metavar="PATH", help="py-spy Progress Bot's server into PATH (collapsed)"
    )
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
        asyncio.run(main(args.messages, args.rounds, args.postgres, args.profile))
