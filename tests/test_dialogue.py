"""The dialogue policy in the brain: what people say, what they read back, what the store holds."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.chat.brain import REASON_QUESTION
from bot.services import Services
from bot.wiring import build_services
from store.db import Database
from tests.helpers.seed import SEED_CREATE
from tests.helpers.server import FakeClock, make_config
from tests.test_chat import (
    _waiting_for_approval,
    button,
    create_task,
    press,
    say,
    seed_task,
    status_of,
)


@pytest.fixture
async def services(db: Database) -> AsyncIterator[Services]:
    svc = build_services(make_config(), database=db, clock=FakeClock())
    await svc.start()
    try:
        yield svc
    finally:
        await svc.stop()


async def test_a_question_about_pausing_explains_and_changes_nothing(services: Services) -> None:
    task_id = await seed_task(services)
    answer = await say(services, "can I pause the crm?")
    assert answer.reply.text.startswith("Pausing Cellphone Store CRM would")
    assert "and so may you" in answer.reply.text
    assert [(b.label, b.action) for b in answer.reply.buttons] == [("Pause", "pause")]
    assert await status_of(services, task_id) == "running"
    pressed = await press(services, "pause", task_id)
    assert pressed.reply.text == "⏸ Paused Cellphone Store CRM."
    assert await status_of(services, task_id) == "paused"


async def test_please_dont_pause_it_does_nothing(services: Services) -> None:
    task_id = await seed_task(services)
    answer = await say(services, "please don't pause the crm")
    assert "won't pause" in answer.reply.text
    assert not answer.reply.buttons
    assert await status_of(services, task_id) == "running"


async def test_a_plain_request_pauses_at_once(services: Services) -> None:
    task_id = await seed_task(services)
    answer = await say(services, "pause the crm")
    assert answer.reply.text == "⏸ Paused Cellphone Store CRM."
    assert await status_of(services, task_id) == "paused"


async def test_who_signs_off_explains_and_approves_nothing(services: Services) -> None:
    task_id, _ = await _waiting_for_approval(services)
    answer = await say(services, "who's supposed to sign off on the crm", person="bob")
    assert answer.intent == "who_approves"
    assert "is waiting for approval" in answer.reply.text
    assert "Approvers: Alice, the crm-team team (one of them must approve)." in answer.reply.text
    assert await status_of(services, task_id) == "approval"


async def test_yes_and_no_answer_a_confirmation(services: Services) -> None:
    task_id = await seed_task(services)
    asked = await say(services, "cancel the crm task")
    assert asked.reply.kind == "question"
    no = await say(services, "nope")
    assert no.reply.text == "OK, nothing changed."
    assert await status_of(services, task_id) == "running"
    await say(services, "cancel the crm task")
    other = await say(services, "yes", person="bob")  # not bob's question
    assert await status_of(services, task_id) == "running"
    del other
    done = await say(services, "👍")
    assert done.reply.text == "🛑 Cancelled Cellphone Store CRM."
    assert await status_of(services, task_id) == "cancelled"


async def test_a_reject_reason_comes_only_from_the_asker(services: Services) -> None:
    task_id, approval_id = await _waiting_for_approval(services)
    asked = await press(services, "reject", task_id, approval_id, person="bob")
    assert asked.reply.text == REASON_QUESTION.format(what="Step 3 of Cellphone Store CRM")
    await say(services, "Too many tables for now", person="alice")
    assert await status_of(services, task_id) == "approval"
    answer = await say(services, "Too many tables for now", person="bob")
    assert answer.reply.text.endswith(": Too many tables for now")
    assert await status_of(services, task_id) == "failed"


async def test_a_command_is_no_reject_reason_and_never_mind_backs_out(services: Services) -> None:
    task_id, approval_id = await _waiting_for_approval(services)
    await press(services, "reject", task_id, approval_id, person="bob")
    status = await say(services, "show logs for the crm task", person="bob")
    assert status.intent == "logs"
    assert await status_of(services, task_id) == "approval"
    later = await say(services, "Too many tables", person="bob")  # the question is gone
    assert await status_of(services, task_id) == "approval"
    del later
    await press(services, "reject", task_id, approval_id, person="bob")
    backed = await say(services, "never mind", person="bob")
    assert backed.reply.text == "OK, I won't reject it."
    assert await status_of(services, task_id) == "approval"


async def test_a_reject_reason_expires(services: Services) -> None:
    task_id, approval_id = await _waiting_for_approval(services)
    await press(services, "reject", task_id, approval_id, person="bob")
    clock = services.clock
    assert isinstance(clock, FakeClock)
    clock.advance(3600)
    await say(services, "Too many tables", person="bob")
    assert await status_of(services, task_id) == "approval"


async def test_unknown_gets_a_short_help_with_buttons(services: Services) -> None:
    await seed_task(services)
    answer = await say(services, "florp the zibble quarks")
    assert answer.intent == "unknown"
    assert len(answer.reply.text.splitlines()) <= 5
    assert answer.reply.buttons
    pressed = await press(services, button(answer, "ask").action, None, button(answer, "ask").arg)
    assert pressed.reply.text.startswith("Your tasks")


async def test_what_waits_on_me_and_capabilities(services: Services) -> None:
    await _waiting_for_approval(services)
    waiting = await say(services, "is anything waiting on me?", person="bob")
    assert waiting.intent == "waiting_on_me"
    assert "Step 3 (Add search and filters) of Cellphone Store CRM" in waiting.reply.text
    nothing = await say(services, "is anything waiting on me?", person="carol")
    assert nothing.reply.text == "Nothing is waiting on you right now. 🎉"
    can = await say(services, "what can you do")
    assert can.intent == "capabilities"
    assert len(can.reply.text.splitlines()) <= 6


async def test_an_approver_may_name_a_task_they_do_not_own(services: Services) -> None:
    task_id = await create_task(
        services,
        {**SEED_CREATE, "owner": "bob", "team": None, "approval": {"approvers": ["carol"]}},
    )
    await services.tracker.apply(task_id, [{"type": "approval_requested", "step": 1}])
    answer = await say(services, "who may approve the crm?", person="carol")
    assert answer.task_id == task_id
    assert "You may decide it." in answer.reply.text
    approve = await say(services, "/approve crm", person="carol")
    assert approve.reply.text.startswith("✅ Approved Step 1 of Cellphone Store CRM")


async def test_updates_by_mail_are_refused_when_mail_cannot_reach(services: Services) -> None:
    refused = await say(services, "send my updates by mail from now on")
    assert refused.reply.kind == "error"
    assert "e-mail is not set up" in refused.reply.text
    assert await services.queries.preferences("person:alice") == {}
    back = await say(services, "everywhere again")
    assert back.reply.text.startswith("🔔 Your updates go everywhere again.")


async def test_what_happened_to_a_task(services: Services) -> None:
    task_id = await seed_task(services)
    await say(services, "pause the crm")
    answer = await say(services, "what happened to the crm")
    assert answer.intent == "history"
    assert answer.task_id == task_id
    assert "alice paused it" in answer.reply.text


async def test_finished_tasks_drop_out_of_a_choice(services: Services) -> None:
    crm = await seed_task(services)
    old = await create_task(services, {**SEED_CREATE, "task_id": "old1", "title": "Old CRM"})
    await services.tracker.apply(old, [{"type": "task_started"}, {"type": "task_completed"}])
    shop = await create_task(
        services, {**SEED_CREATE, "task_id": "shop1", "title": "Webshop", "short_name": "Shop"}
    )
    await services.tracker.apply(shop, [{"type": "task_started"}])
    ask = await say(services, "how's my task going?")
    assert {b.task_id for b in ask.reply.buttons} == {crm, shop}
