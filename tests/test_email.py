"""The e-mail channel end to end: the notifier mails the seed's notifications to a real SMTP
server (aiosmtpd on a loopback port), escapes engine text in HTML, disables refused addresses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import select

from adapters.email import render, subject_of
from bot.api.wire import CreateTask
from bot.notify.notifier import Notifier
from bot.services import Services
from bot.types import Button, Reply, StepLine
from bot.wiring import build_services
from store.db import Database
from store.models import OutboxRow, Target
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import FakeClock, make_config
from tests.helpers.smtp_sink import SmtpSink, smtp_sink

ALICE = "alice@example.com"


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as running:
        yield running


@pytest.fixture
async def services(db: Database, sink: SmtpSink) -> AsyncIterator[Services]:
    config = make_config(
        "notifications: {card_interval_seconds: 3, max_attempts: 4}\n" + sink.config_yaml()
    )
    yield build_services(config, clock=FakeClock(), database=db, with_chat=False)


async def create_task(services: Services, *addresses: str, **overrides: object) -> str:
    body = {
        **SEED_CREATE,
        **overrides,
        "notify": [{"platform": "email", "chat": a} for a in addresses],
    }
    return await services.tracker.create_task(CreateTask.model_validate(body).to_new_task())


async def drain_all(services: Services, rounds: int = 12) -> None:
    """Drain, letting the fake clock run past backoffs and card intervals."""
    clock = services.clock
    assert isinstance(clock, FakeClock)
    notifier = Notifier(services)
    for _ in range(rounds):
        await notifier.drain()
        clock.advance(400)
    await notifier.drain()


async def test_seed_notifications_arrive_as_mail_with_text_and_html(
    services: Services, sink: SmtpSink
) -> None:
    task_id = await create_task(services, ALICE)
    tracker = services.tracker
    await tracker.apply(task_id, [{"type": "task_started"}, {"type": "step_started", "step": 1}])
    await tracker.apply(task_id, [{"type": "step_completed", "step": 1}])
    await tracker.apply(task_id, [{"type": "step_started", "step": 2}])
    await tracker.apply(task_id, [{"type": "step_failed", "step": 2, "error": "disk full"}])
    await drain_all(services)

    mails = sink.to(ALICE)
    notices = [m for m in mails if m.header("X-Progressbot-Event") != "card"]
    assert [m.header("Subject") for m in notices] == [
        "Your CRM task has started",
        "Step 1 complete: Database created",
        "❌ Task failed at Step 2",
    ]
    failed = notices[-1]
    assert failed.header("X-Progressbot-Task") == task_id
    assert failed.header("X-Progressbot-Event") == "task_failed"
    assert failed.header("From") == "progress@example.com"
    assert failed.header("Message-ID")
    plain = failed.part("plain")
    assert plain.startswith("❌ Task failed at Step 2\nError: disk full")
    html = failed.part("html")
    assert "❌ Task failed at Step 2" in html and "disk full" in html
    assert "✓ Create database tables" in html and "✕ Generate application UI" in html
    assert 'role="progressbar"' in html

    # Live cards are not mailed on every change: one card mail, for the final state.
    cards = [m for m in mails if m.header("X-Progressbot-Event") == "card"]
    assert len(cards) == 1
    assert "✕ Failed" in cards[0].part("html")
    # Every notification row is marked sent.
    async with services.db.read() as session:
        statuses = set(await session.scalars(select(OutboxRow.status)))
    assert statuses == {"sent"}


async def test_completion_subject_is_the_seed_text(services: Services, sink: SmtpSink) -> None:
    task_id = await create_task(services, ALICE)
    await services.tracker.apply(
        task_id,
        [{"type": "task_started"}]
        + [
            event
            for order in range(1, 5)
            for event in (
                {"type": "step_started", "step": order},
                {"type": "step_completed", "step": order},
            )
        ]
        + [{"type": "task_completed"}],
    )
    await drain_all(services)
    subjects = [m.header("Subject") for m in sink.to(ALICE)]
    assert "✅ Your CRM is ready!" in subjects


async def test_html_escapes_engine_text(services: Services, sink: SmtpSink) -> None:
    hostile = "<script>alert(1)</script> & <b>CRM</b>"
    task_id = await create_task(services, ALICE, title=hostile, short_name=None)
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    await drain_all(services)
    mail = next(m for m in sink.to(ALICE) if m.header("X-Progressbot-Event") == "task_started")
    html = mail.part("html")
    assert "<script>" not in html and "<b>CRM" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;CRM&lt;/b&gt;" in html
    # The plain part shows the text as it is: plain text cannot run anything.
    assert "<script>alert(1)</script>" in mail.part("plain")


async def test_refused_recipient_disables_the_target(
    services: Services, sink: SmtpSink, db: Database
) -> None:
    sink.refuse("gone@example.com")
    task_id = await create_task(services, "gone@example.com", ALICE)
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    await services.tracker.apply(task_id, [{"type": "step_started", "step": 1}])
    await drain_all(services)

    assert sink.to("gone@example.com") == []
    assert [m.header("Subject") for m in sink.to(ALICE)] == ["Your CRM task has started"]
    async with db.read() as session:
        gone = await session.scalar(select(Target).where(Target.chat == "gone@example.com"))
        assert gone is not None and gone.disabled
        assert gone.disabled_reason and "550" in gone.disabled_reason
        rows = list(await session.scalars(select(OutboxRow).where(OutboxRow.target_id == gone.id)))
    assert rows and {r.status for r in rows} == {"dead"}


async def test_temporary_refusal_is_retried_not_disabled(
    services: Services, sink: SmtpSink, db: Database
) -> None:
    sink.defer(ALICE)
    task_id = await create_task(services, ALICE)
    await services.tracker.apply(task_id, [{"type": "task_started"}])
    await Notifier(services).drain()
    assert sink.to(ALICE) == []
    async with db.read() as session:
        row = await session.scalar(select(OutboxRow).where(OutboxRow.kind == "notice"))
        target = await session.scalar(select(Target).where(Target.chat == ALICE))
    assert row is not None and row.status == "pending" and row.attempts == 1
    assert row.last_error and "451" in row.last_error
    assert target is not None and not target.disabled

    sink.handler.defer.clear()
    await drain_all(services)
    assert [m.header("Subject") for m in sink.to(ALICE)] == ["Your CRM task has started"]


def test_render_keeps_text_and_links_and_a_stable_message_id() -> None:
    reply = Reply(
        text="⚠️ Approval required for Step 3\nApply indexes?",
        kind="notification",
        title="Cellphone Store CRM",
        task_id="abc123",
        percent=65,
        steps=[StepLine(1, "Create database tables", "completed", 100)],
        buttons=[
            Button("Approve", "approve", "abc123", "7"),
            Button("Open progress view", "open", url="https://pb.example/tasks/abc123?t=x&y=1"),
        ],
        event="approval_requested",
        delivery_id="42",
    )
    first = render(reply, to=ALICE, from_address="Progress Bot <bot@pb.example>")
    again = render(reply, to=ALICE, from_address="Progress Bot <bot@pb.example>")
    assert first["Message-ID"] == again["Message-ID"] == "<progressbot.42@pb.example>"
    assert subject_of(reply) == "⚠️ Approval required for Step 3"
    plain = first.get_body(("plain",))
    html = first.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content().startswith(reply.text)
    assert "Open progress view: https://pb.example/tasks/abc123?t=x&y=1" in (plain.get_content())
    html_text = html.get_content()
    assert 'href="https://pb.example/tasks/abc123?t=x&amp;y=1"' in html_text
    assert "Approve</a>" not in html_text  # a chat button, not a link: mail cannot press it
