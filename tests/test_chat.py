"""The chat brain, in process: what a person types or presses, what they read back, what changed."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.api.wire import CreateTask
from bot.chat.brain import REASON_QUESTION, Answer
from bot.services import Services
from bot.types import Action, Message, Target
from bot.wiring import build_services
from store.db import Database
from tests.helpers.seed import SEED_CHAT_ANSWER, SEED_CREATE, SEED_EVENTS
from tests.helpers.server import FakeClock, make_config

CHAT = Target("console", "room-1")


@pytest.fixture
async def services(db: Database) -> AsyncIterator[Services]:
    clock = FakeClock()
    svc = build_services(make_config(), database=db, clock=clock)
    await svc.start()
    try:
        yield svc
    finally:
        await svc.stop()


def _clock(services: Services) -> FakeClock:
    assert isinstance(services.clock, FakeClock)
    return services.clock


async def create_task(services: Services, spec: dict[str, Any] | None = None) -> str:
    body = CreateTask.model_validate(copy.deepcopy(spec or SEED_CREATE))
    return await services.tracker.create_task(body.to_new_task())


async def seed_task(services: Services, **changes: Any) -> str:
    """The seed's Cellphone Store CRM task, at 65 % of Step 2, as engines report it."""
    task_id = await create_task(services, {**SEED_CREATE, **changes})
    for event in SEED_EVENTS:
        await services.tracker.apply(task_id, [event])
        _clock(services).advance(5)
    return task_id


async def say(
    services: Services, text: str, person: str | None = "alice", target: Target = CHAT
) -> Answer:
    assert services.chat is not None
    message = Message(text=text, target=target, platform_user=person or "U_STRANGER", person=person)
    return await services.chat.handle_message(message)


async def press(
    services: Services,
    action: str,
    task_id: str | None,
    arg: str | None = None,
    person: str = "alice",
    text: str | None = None,
) -> Answer:
    assert services.chat is not None
    pressed = Action(
        action=action,
        target=CHAT,
        platform_user=person,
        person=person,
        task_id=task_id,
        arg=arg,
        text=text,
    )
    return await services.chat.handle_action(pressed)


def button(answer: Answer, action: str) -> Any:
    found = [b for b in answer.reply.buttons if b.action == action]
    assert found, f"no {action!r} button in {answer.reply.buttons}"
    return found[0]


async def status_of(services: Services, task_id: str) -> str:
    snap = await services.queries.snapshot(task_id)
    return str(snap["status"])


async def test_seed_question_gets_the_seed_answer(services: Services) -> None:
    task_id = await seed_task(services)
    answer = await say(services, "How's my CRM task going?")

    assert answer.intent == "status"
    assert answer.task_id == task_id
    *body, eta = answer.reply.text.split("\n")
    *seed_body, _seed_eta = SEED_CHAT_ANSWER.split("\n")
    assert body == seed_body
    assert eta.startswith("ETA: ")
    assert eta.endswith("remaining.")
    labels = [b.label for b in answer.reply.buttons]
    assert labels == ["Pause", "Cancel", "Open progress view"]
    assert button(answer, "open").url and task_id in button(answer, "open").url


async def test_status_and_logs_in_the_seeds_words(services: Services) -> None:
    task_id = await seed_task(services)
    await services.tracker.apply(
        task_id,
        [
            {"type": "log", "step": 2, "level": "info", "message": "Rendering the sales form"},
            {"type": "log", "step": 2, "level": "warning", "message": "Slow template cache"},
        ],
    )
    status = await say(services, "Status of my CRM task")
    assert status.intent == "status"
    assert status.reply.text.startswith("📊 Your Cellphone Store CRM task is 65% complete.")

    logs = await say(services, "Show logs for my CRM task")
    assert logs.intent == "logs"
    assert logs.reply.text.splitlines()[0] == "📜 Logs for Cellphone Store CRM:"
    assert "INFO [step 2] Rendering the sales form" in logs.reply.text
    assert "WARNING [step 2] Slow template cache" in logs.reply.text


async def test_cancel_and_start_over_asks_then_makes_attempt_two(services: Services) -> None:
    task_id = await seed_task(services)
    asked = await say(services, "Cancel my CRM task and start over")
    assert asked.intent == "restart"
    assert asked.reply.kind == "question"
    assert asked.reply.text.startswith("Restart Cellphone Store CRM?")
    assert await status_of(services, task_id) == "running"  # nothing happens before Yes

    yes = button(asked, "confirm")
    done = await press(services, "confirm", yes.task_id, yes.arg)
    assert done.intent == "restart"
    assert await status_of(services, task_id) == "cancelled"
    assert done.reply.task_id not in (None, task_id)
    fresh = await services.queries.snapshot(str(done.reply.task_id))
    assert fresh["attempt"] == 2
    assert fresh["previous_task_id"] == task_id
    assert "attempt 2" in done.reply.text

    # "it" now means the new attempt
    follow = await say(services, "how is it going?")
    assert follow.task_id == done.reply.task_id


async def test_no_on_a_confirmation_changes_nothing(services: Services) -> None:
    task_id = await seed_task(services)
    asked = await say(services, "cancel the crm task")
    assert asked.intent == "cancel"
    dismissed = await press(services, "dismiss", task_id)
    assert dismissed.reply.text == "OK, nothing changed."
    assert await status_of(services, task_id) == "running"


async def test_a_stranger_cannot_pause_or_confirm(services: Services) -> None:
    task_id = await seed_task(services, notify=[{"platform": "console", "chat": "room-1"}])
    refused = await say(services, "pause the crm task", person="carol")
    assert refused.reply.kind == "error"
    assert "You can't pause Cellphone Store CRM" in refused.reply.text
    assert await status_of(services, task_id) == "running"

    pressed = await press(services, "pause", task_id, person="carol")
    assert pressed.reply.kind == "error"
    forged_yes = await press(services, "confirm", task_id, "cancel", person="carol")
    assert forged_yes.reply.kind == "error"
    assert await status_of(services, task_id) == "running"


async def test_team_member_can_pause_and_resume(services: Services) -> None:
    task_id = await seed_task(services)
    paused = await say(services, "pause the CRM task", person="bob")
    assert paused.intent == "pause"
    assert paused.reply.text == "⏸ Paused Cellphone Store CRM."
    assert await status_of(services, task_id) == "paused"
    assert [b.action for b in paused.reply.buttons][:2] == ["resume", "cancel"]

    resumed = await press(services, "resume", task_id, person="bob")
    assert resumed.reply.text == "▶️ Resumed Cellphone Store CRM."
    assert await status_of(services, task_id) == "running"


async def test_resume_on_a_running_task_explains(services: Services) -> None:
    task_id = await seed_task(services)
    answer = await say(services, "resume the crm task")
    assert answer.intent == "resume"
    assert answer.reply.text == (
        "Cellphone Store CRM is running, not paused, so there is nothing to resume."
    )
    assert await status_of(services, task_id) == "running"


async def _waiting_for_approval(services: Services) -> tuple[str, str]:
    task_id = await seed_task(services)
    await services.tracker.apply(
        task_id,
        [
            {"type": "step_completed", "step": 2},
            {"type": "approval_requested", "step": 3, "prompt": "Add search to 4 tables?"},
        ],
    )
    snap = await services.queries.snapshot(task_id)
    approval = snap["approval"]
    assert approval is not None
    return task_id, str(approval["id"])


async def test_approve_in_chat(services: Services) -> None:
    task_id, _ = await _waiting_for_approval(services)
    asked = await say(services, "approve", person="bob")  # free text: asks first
    assert asked.intent == "approve"
    assert asked.reply.text == "Approve Step 3 (Add search and filters) of Cellphone Store CRM?"
    assert [b.label for b in asked.reply.buttons] == ["Approve", "No"]
    assert await status_of(services, task_id) == "approval"
    answer = await say(services, "yes", person="bob")
    assert answer.intent == "approve"
    assert answer.reply.text == "✅ Approved Step 3 of Cellphone Store CRM. The task continues."
    assert await status_of(services, task_id) == "running"

    again = await say(services, "approve the crm task", person="alice")
    assert again.reply.text == "Nothing of Cellphone Store CRM is waiting for approval."


async def test_second_approver_on_a_stale_button_hears_who_decided(services: Services) -> None:
    task_id, approval_id = await _waiting_for_approval(services)
    first = await press(services, "approve", task_id, approval_id, person="alice")
    assert first.reply.text.startswith("✅ Approved Step 3")
    late = await press(services, "approve", task_id, approval_id, person="bob")
    assert late.reply.kind == "error"
    assert late.reply.text == "Already approved by alice."


async def test_stranger_cannot_approve(services: Services) -> None:
    task_id, approval_id = await _waiting_for_approval(services)
    refused = await press(services, "approve", task_id, approval_id, person="carol")
    assert refused.reply.kind == "error"
    assert "not an approver" in refused.reply.text
    assert await status_of(services, task_id) == "approval"


async def test_reject_with_a_reason_in_chat(services: Services) -> None:
    task_id, _ = await _waiting_for_approval(services)
    answer = await say(services, "reject it because the schema is wrong", person="bob")
    assert answer.intent == "reject"
    assert answer.reply.text == "❌ Rejected Step 3 of Cellphone Store CRM: the schema is wrong"
    snap = await services.queries.snapshot(task_id)
    assert snap["status"] == "failed"
    assert snap["approval"] is not None and snap["approval"]["reason"] == "the schema is wrong"


async def test_reject_button_asks_for_the_reason(services: Services) -> None:
    task_id, approval_id = await _waiting_for_approval(services)
    asked = await press(services, "reject", task_id, approval_id, person="bob")
    assert asked.reply.text == REASON_QUESTION.format(what="Step 3 of Cellphone Store CRM")
    assert await status_of(services, task_id) == "approval"

    answer = await say(services, "Too many tables for now", person="bob")
    assert answer.intent == "reject"
    assert answer.reply.text.endswith(": Too many tables for now")
    assert await status_of(services, task_id) == "failed"


async def test_reject_button_with_modal_text_rejects_at_once(services: Services) -> None:
    task_id, approval_id = await _waiting_for_approval(services)
    answer = await press(services, "reject", task_id, approval_id, person="bob", text="Not now")
    assert answer.reply.text == "❌ Rejected Step 3 of Cellphone Store CRM: Not now"
    assert await status_of(services, task_id) == "failed"


async def test_two_tasks_ask_which_one_and_the_button_answers(services: Services) -> None:
    crm = await seed_task(services)
    shop = await create_task(
        services,
        {
            **SEED_CREATE,
            "task_id": "shop1",
            "title": "Webshop Inventory",
            "short_name": "Shop",
            "steps": [{"name": "Import products"}, {"name": "Build storefront"}],
        },
    )
    await services.tracker.apply(shop, [{"type": "task_started"}])
    ask = await say(services, "how's my task going?")
    assert ask.intent == "status"
    assert ask.task_id is None
    assert ask.reply.text.startswith("Which task do you mean?")
    assert {b.task_id for b in ask.reply.buttons} == {crm, shop}

    choice = next(b for b in ask.reply.buttons if b.task_id == shop)
    answer = await press(services, "choose", choice.task_id, choice.arg)
    assert answer.intent == "status"
    assert answer.task_id == shop
    assert "Webshop Inventory" in answer.reply.text

    follow = await say(services, "and the logs?")
    assert follow.intent == "logs"
    assert follow.task_id == shop


async def test_a_reject_reason_survives_the_choice(services: Services) -> None:
    crm, approval_id = await _waiting_for_approval(services)
    other = await create_task(services, {**SEED_CREATE, "task_id": "crm2", "title": "CRM Mobile"})
    await services.tracker.apply(
        other, [{"type": "approval_requested", "step": 1, "prompt": "Start?"}]
    )
    ask = await say(services, "reject because too expensive", person="bob")
    assert ask.task_id is None
    pick = next(b for b in ask.reply.buttons if b.task_id == crm)
    answer = await press(services, "choose", pick.task_id, pick.arg, person="bob")
    assert answer.reply.text == "❌ Rejected Step 3 of Cellphone Store CRM: too expensive"
    assert await status_of(services, other) == "approval"
    del approval_id


async def test_it_follow_ups_use_the_chat_context(services: Services) -> None:
    task_id = await seed_task(services)
    await say(services, "How's my CRM task going?")
    logs = await say(services, "and the logs?")
    assert logs.intent == "logs"
    assert logs.task_id == task_id
    eta = await say(services, "when will it be done?")
    assert eta.intent == "eta"
    assert eta.reply.text.startswith("⏱ Cellphone Store CRM: ")


async def test_unknown_person_is_told_they_are_not_set_up(services: Services) -> None:
    await seed_task(services)
    answer = await say(services, "How's my CRM task going?", person=None)
    assert answer.intent == "unknown"
    assert "U_STRANGER" in answer.reply.text
    assert "not set up" in answer.reply.text
    assert "Cellphone" not in answer.reply.text


async def test_no_tasks_says_so(services: Services) -> None:
    answer = await say(services, "how is my task going")
    assert answer.intent == "status"
    assert answer.reply.text.startswith("You have no tasks I can show you yet.")


async def test_not_found_lists_active_tasks(services: Services) -> None:
    await seed_task(services)
    answer = await say(services, "status of the payroll task")
    assert answer.intent == "status"
    assert "I couldn't find a task matching" in answer.reply.text
    assert "Cellphone Store CRM — 65% (running)" in answer.reply.text


async def test_subscribe_and_mute(services: Services) -> None:
    task_id = await seed_task(services)
    sub = await say(services, "notify me about the crm task")
    assert sub.intent == "subscribe"
    assert sub.reply.text == "🔔 I'll tell you here when Cellphone Store CRM completes or fails."
    subscribers = await services.queries.subscribers(task_id)
    assert any(s.get("chat") == "room-1" for s in subscribers), subscribers

    muted = await say(services, "mute the crm task for 2 hours")
    assert muted.intent == "mute"
    assert muted.reply.text.startswith("🔕 Muted Cellphone Store CRM here until ")
    unmuted = await say(services, "unmute the crm task")
    assert unmuted.intent == "unmute"
    assert unmuted.reply.text == "🔔 Notifications about Cellphone Store CRM are back on here."


async def test_turning_notifications_on_where_none_come_follows_the_task(
    services: Services,
) -> None:
    task_id = await seed_task(services)
    on = await say(services, "🔔 crm task")
    assert on.intent == "unmute"
    assert on.reply.text == "🔔 I'll tell you here when Cellphone Store CRM completes or fails."
    subscribers = await services.queries.subscribers(task_id)
    assert any(s.get("chat") == "room-1" for s in subscribers), subscribers


async def test_help_greeting_thanks(services: Services) -> None:
    helped = await say(services, "help")
    assert helped.intent == "help"
    assert helped.reply.text.startswith("Here's what I can do:")
    assert "• Ask how a task is going — “How's my CRM task going?”" in helped.reply.text
    assert (await say(services, "hello")).intent == "greeting"
    assert (await say(services, "thanks!")).reply.text == "You're welcome!"


async def test_failed_task_why_and_retry_and_skip(services: Services) -> None:
    task_id = await seed_task(services)
    await services.tracker.apply(
        task_id, [{"type": "step_failed", "step": 2, "error": "Template syntax error"}]
    )
    why = await say(services, "why did the crm task fail?")
    assert why.intent == "why_failed"
    assert "Error: Template syntax error" in why.reply.text

    retried = await say(services, "retry it")
    assert retried.intent == "retry_step"
    assert retried.reply.text == "🔁 Retrying Step 2 of Cellphone Store CRM."
    assert await status_of(services, task_id) == "running"


async def test_skip_asks_then_skips(services: Services) -> None:
    task_id = await seed_task(services)
    asked = await say(services, "skip step 4 of the crm task")
    assert asked.intent == "skip_step"
    assert asked.reply.text.startswith("Skip Step 4 (Configure workflows) of Cellphone Store CRM?")
    yes = button(asked, "confirm")
    assert yes.arg == "skip_step:4"
    done = await press(services, "confirm", yes.task_id, yes.arg)
    assert done.reply.text == "⏭ Skipped Step 4 of Cellphone Store CRM."
    snap = await services.queries.snapshot(task_id)
    assert snap["steps"][3]["status"] == "skipped"


async def test_list_tasks(services: Services) -> None:
    await seed_task(services)
    answer = await say(services, "what are my tasks")
    assert answer.intent == "list_tasks"
    assert answer.reply.text == "Your tasks:\n◐ Cellphone Store CRM — 65% (running)"
    carol = await say(services, "what are my tasks", person="carol")
    assert "Cellphone" not in carol.reply.text


@pytest.mark.parametrize(
    "text",
    ["", "   ", "x" * 100_000, "😀🎉🔥", "\x00\x07\x1b[31m", "\u202e\u200b", "how's \x00 my task"],
)
async def test_odd_input_gets_a_short_answer(services: Services, text: str) -> None:
    await seed_task(services)
    answer = await say(services, text)
    assert answer.reply.text
    assert len(answer.reply.text) < 2000
    assert answer.reply.kind != "error" or "Sorry" not in answer.reply.text


async def test_a_failing_handler_apologizes(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_task(services)

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services.progress, "snapshot", broken)
    answer = await say(services, "How's my CRM task going?")
    assert answer.reply.text == (
        "Sorry, something went wrong on my side. Please try again in a moment."
    )


async def test_messages_from_adapters_are_counted(services: Services) -> None:
    await seed_task(services)
    await say(services, "How's my CRM task going?")
    value = services.metrics.registry.get_sample_value(
        "progressbot_chat_messages_total", {"channel": "console", "intent": "status"}
    )
    assert value == 1.0
