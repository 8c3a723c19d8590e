"""The bot's words: chat answers, cards and notifications built from a task snapshot."""

from __future__ import annotations

import copy
from typing import Any, cast

import pytest

from bot.replies import (
    LOG_INLINE_LIMIT,
    apology_reply,
    card_reply,
    choose_task_reply,
    confirm_reply,
    display_name,
    done_reply,
    eta_reply,
    gerund,
    help_reply,
    logs_reply,
    not_found_reply,
    notification_reply,
    progress_bar,
    refusal_reply,
    small_talk_reply,
    status_reply,
    task_list_reply,
    why_failed_reply,
)
from bot.types import Button
from store.shapes import SnapshotShape
from tests.helpers.seed import SEED_CHAT_ANSWER, SEED_PROGRESS

VIEW_URL = "https://bot.example/tasks/abc123"


def seed_snapshot(**changes: Any) -> SnapshotShape:
    """The seed's Progress API state, with the short name and labels the seed's engine sends."""
    snap = copy.deepcopy(SEED_PROGRESS)
    snap["short_name"] = "CRM"
    snap["steps"][0]["done_label"] = "Database created"
    snap["steps"][1]["substeps"][0]["label"] = "Customer list view"
    snap["steps"][1]["substeps"][1]["label"] = "Product list view"
    snap.update(changes)
    return cast(SnapshotShape, snap)


def paused_snapshot() -> SnapshotShape:
    snap = seed_snapshot(status="paused")
    snap["steps"][1]["status"] = "paused"
    return snap


def approval_snapshot(
    prompt: str | None = "Publish the search page?",
    *,
    status: str = "pending",
    decided_by: str | None = None,
    reason: str | None = None,
) -> SnapshotShape:
    snap = seed_snapshot(status="approval", current_step=3, progress=75)
    snap["steps"][1]["status"] = "completed"
    snap["steps"][2]["status"] = "approval"
    snap["approval"] = {
        "id": "ap-7",
        "step": 3,
        "prompt": prompt,
        "status": status,
        "approvers": ["alice", "crm-team"],
        "quorum": 1,
        "decisions": [],
        "decided_by": decided_by,
        "reason": reason,
        "expires_at": None,
    }
    return snap


def failed_snapshot(error: str = "Template render error in sales_form.html") -> SnapshotShape:
    snap = seed_snapshot(status="failed", eta_seconds=None)
    snap["steps"][1]["status"] = "failed"
    snap["steps"][1]["error"] = error
    return snap


def completed_snapshot() -> SnapshotShape:
    snap = seed_snapshot(
        status="completed",
        progress=100,
        current_step=4,
        eta_seconds=0,
        finished_at="2024-01-15T10:05:00Z",
    )
    for step in snap["steps"]:
        step["status"] = "completed"
        step["progress"] = 100
    return snap


# --- the seed's texts, word for word -------------------------------------------------------------


def test_status_of_the_seed_task_is_the_seeds_chat_answer() -> None:
    reply = status_reply(seed_snapshot())

    assert reply.text == SEED_CHAT_ANSWER
    assert reply.kind == "answer"


def test_status_carries_the_card_fields_of_the_progress_view() -> None:
    reply = status_reply(seed_snapshot())

    assert reply.title == "Cellphone Store CRM"
    assert reply.task_id == "abc123"
    assert reply.status == "running"
    assert reply.percent == 65
    assert reply.step_heading == "Step 2 of 4: Generate application UI"
    assert reply.eta_text == "ETA: About 3 minutes remaining."
    assert [(s.order, s.symbol) for s in reply.steps] == [(1, "✓"), (2, "◐"), (3, "○"), (4, "○")]
    substeps = reply.steps[1].substeps
    assert [(s.name, s.status) for s in substeps] == [
        ("Customer list view", "completed"),
        ("Product list view", "completed"),
        ("Sales form", "running"),
        ("Repair board", "pending"),
    ]


def test_progress_bar_for_65_percent_is_the_seeds_bar() -> None:
    assert progress_bar(65) == "[████████████████████░░░░░░░░░░]"
    assert progress_bar(0) == "[" + "░" * 30 + "]"
    assert progress_bar(100) == "[" + "█" * 30 + "]"
    assert progress_bar(150, width=10) == "[" + "█" * 10 + "]"


@pytest.mark.parametrize(
    ("event", "step", "first_line"),
    [
        ("task_started", None, "Your CRM task has started"),
        ("step_completed", 1, "Step 1 complete: Database created"),
        ("approval_requested", 3, "⚠️ Approval required for Step 3"),
        ("task_completed", None, "✅ Your CRM is ready!"),
        ("task_failed", 2, "❌ Task failed at Step 2"),
    ],
)
def test_notifications_open_with_the_seeds_text(
    event: str, step: int | None, first_line: str
) -> None:
    reply = notification_reply(event, seed_snapshot(), step=step)

    assert reply.text.splitlines()[0] == first_line
    assert reply.kind == "notification"
    assert reply.event == event
    assert reply.title == "Cellphone Store CRM"
    assert reply.percent == 65
    assert len(reply.steps) == 4


def test_card_text_is_the_progress_view_without_the_box() -> None:
    reply = card_reply(seed_snapshot(), view_url=VIEW_URL)

    assert reply.kind == "card"
    assert reply.text == "\n".join(
        [
            "Cellphone Store CRM",
            "[████████████████████░░░░░░░░░░] 65%",
            "Step 2 of 4: Generate application UI",
            "- Customer list view ✓",
            "- Product list view ✓",
            "- Sales form ◐ (in progress)",
            "- Repair board ○ (pending)",
            "ETA: 3 min remaining",
        ]
    )
    assert reply.eta_text == "ETA: 3 min remaining"
    assert [b.label for b in reply.buttons] == ["Pause", "Cancel", "Open progress view"]


# --- other states read naturally ----------------------------------------------------------------


def test_status_of_a_paused_task_names_where_it_stopped() -> None:
    text = status_reply(paused_snapshot()).text

    assert text.startswith(
        "⏸ Your Cellphone Store CRM task is paused at Step 2 of 4: Generate application UI."
    )
    assert "(in progress)" not in text
    assert "- ⏳ Sales form" in text


def test_status_waiting_for_approval_shows_the_prompt() -> None:
    text = status_reply(approval_snapshot()).text

    assert text.startswith(
        "⚠️ Your Cellphone Store CRM task is waiting for approval at Step 3: "
        "Publish the search page?"
    )


def test_status_waiting_for_approval_without_prompt_names_the_step() -> None:
    text = status_reply(approval_snapshot(prompt=None)).text

    assert text.startswith(
        "⚠️ Your Cellphone Store CRM task is waiting for approval at Step 3: Add search and filters"
    )


def test_status_of_a_failed_task_gives_step_and_error() -> None:
    text = status_reply(failed_snapshot()).text

    assert text.startswith(
        "❌ Your Cellphone Store CRM task failed at Step 2: Generate application UI. "
        "Error: Template render error in sales_form.html"
    )


def test_status_of_a_completed_task_says_how_long_it_took() -> None:
    reply = status_reply(completed_snapshot())

    assert reply.text == "✅ Your Cellphone Store CRM task is complete. It took 5 minutes."
    assert reply.eta_text is None


def test_status_of_cancelled_and_pending_tasks() -> None:
    cancelled = status_reply(seed_snapshot(status="cancelled")).text
    pending = status_reply(seed_snapshot(status="pending", current_step=None, progress=0)).text

    assert cancelled.startswith("🛑 Your Cellphone Store CRM task was cancelled")
    assert pending.startswith("🕓 Your Cellphone Store CRM task has not started yet.")


def test_status_lists_the_steps_when_the_current_step_has_no_substeps() -> None:
    snap = seed_snapshot(current_step=3)
    snap["steps"][1]["status"] = "completed"
    snap["steps"][2]["status"] = "running"

    text = status_reply(snap).text

    assert "Currently: Adding search and filters" in text
    assert "- ✓ Create database tables\n- ✓ Generate application UI\n- ◐ Add search" in text
    assert "- ○ Configure workflows" in text


# --- buttons ------------------------------------------------------------------------------------


def _actions(buttons: list[Button]) -> list[tuple[str, str | None, str | None]]:
    return [(b.action, b.arg, b.style) for b in buttons]


@pytest.mark.parametrize(
    ("snap", "expected"),
    [
        (seed_snapshot(), [("pause", None, None), ("cancel", None, "danger")]),
        (seed_snapshot(status="pending"), [("pause", None, None), ("cancel", None, "danger")]),
        (paused_snapshot(), [("resume", None, None), ("cancel", None, "danger")]),
        (approval_snapshot(), [("approve", "ap-7", "primary"), ("reject", "ap-7", "danger")]),
        (
            failed_snapshot(),
            [("retry_step", "2", None), ("skip_step", "2", None), ("restart", None, None)],
        ),
        (completed_snapshot(), []),
        (seed_snapshot(status="cancelled"), []),
    ],
    ids=["running", "pending", "paused", "approval", "failed", "completed", "cancelled"],
)
def test_buttons_fit_the_task_state(
    snap: SnapshotShape, expected: list[tuple[str, str | None, str | None]]
) -> None:
    without_link = status_reply(snap).buttons
    with_link = status_reply(snap, view_url=VIEW_URL).buttons

    assert _actions(without_link) == expected
    assert all(b.task_id == "abc123" for b in without_link)
    assert with_link[:-1] == without_link
    assert with_link[-1].label == "Open progress view"
    assert with_link[-1].url == VIEW_URL


# --- notifications ------------------------------------------------------------------------------


def test_approval_notification_is_loud_with_prompt_and_decision_buttons() -> None:
    reply = notification_reply("approval_requested", approval_snapshot(), view_url=VIEW_URL)

    assert reply.text == "⚠️ Approval required for Step 3\nPublish the search page?"
    assert reply.loud is True
    assert _actions(reply.buttons[:2]) == [
        ("approve", "ap-7", "primary"),
        ("reject", "ap-7", "danger"),
    ]
    assert reply.buttons[-1].url == VIEW_URL


def test_failure_notification_carries_the_error_and_recovery_buttons() -> None:
    reply = notification_reply("task_failed", failed_snapshot())

    assert reply.text == "❌ Task failed at Step 2\nError: Template render error in sales_form.html"
    assert reply.loud is True
    assert _actions(reply.buttons) == [
        ("retry_step", "2", None),
        ("skip_step", "2", None),
        ("restart", None, None),
    ]


@pytest.mark.parametrize(
    ("event", "first_line", "loud"),
    [
        ("task_started", "Your CRM task has started", False),
        ("step_completed", "Step 1 complete: Database created", False),
        ("paused", "⏸ Your CRM task is paused", False),
        ("resumed", "▶️ Your CRM task has resumed", False),
        ("cancelled", "🛑 Your CRM task was cancelled", False),
        ("task_completed", "✅ Your CRM is ready!", True),
        ("task_stalled", "⚠ Your CRM task is taking longer than expected", True),
    ],
)
def test_notification_wording_and_loudness(event: str, first_line: str, loud: bool) -> None:
    reply = notification_reply(event, seed_snapshot())

    assert reply.text.splitlines()[0] == first_line
    assert reply.loud is loud


def test_step_completed_without_done_label_uses_the_step_name() -> None:
    snap = seed_snapshot(current_step=3)
    snap["steps"][1]["status"] = "completed"

    reply = notification_reply("step_completed", snap)

    assert reply.text == "Step 2 complete: Generate application UI"


def test_stalled_notification_offers_status_logs_and_cancel() -> None:
    reply = notification_reply("task_stalled", seed_snapshot())

    assert [b.action for b in reply.buttons] == ["status", "logs", "cancel"]
    assert reply.buttons[2].style == "danger"


@pytest.mark.parametrize(
    ("status", "reason", "text"),
    [
        ("approved", None, "✅ Approved by alice"),
        ("rejected", "Search page needs review", "❌ Rejected by alice: Search page needs review"),
    ],
)
def test_approval_decided_names_who_decided(status: str, reason: str | None, text: str) -> None:
    snap = approval_snapshot(status=status, decided_by="alice", reason=reason)

    reply = notification_reply("approval_decided", snap)

    assert reply.text == text
    assert reply.loud is False


def test_display_name_falls_back_to_the_title() -> None:
    snap = seed_snapshot(short_name=None)

    assert display_name(snap) == "Cellphone Store CRM"
    assert notification_reply("task_started", snap).text == (
        "Your Cellphone Store CRM task has started"
    )


# --- lists, logs, estimates ---------------------------------------------------------------------


def test_task_list_puts_active_tasks_first() -> None:
    done = completed_snapshot()
    done["title"] = "Inventory Sync"
    reply = task_list_reply([done, seed_snapshot()])

    assert reply.text == (
        "Your tasks:\n◐ Cellphone Store CRM — 65% (running)\n✓ Inventory Sync — 100% (completed)"
    )


def test_empty_task_list_says_so() -> None:
    assert task_list_reply([]).text.startswith("You have no active tasks.")


def _log(i: int, message: str = "rendered a template", step: int | None = 2) -> dict[str, Any]:
    return {
        "at": f"2024-01-15T10:02:{i % 60:02d}Z",
        "level": "info",
        "step": step,
        "message": message,
    }


def test_logs_show_the_last_lines_in_the_seed_timeline_format() -> None:
    logs = [_log(i, f"line {i}") for i in range(30)]
    logs[-1] = {"at": "2024-01-15T10:03:05Z", "level": "warning", "step": None, "message": "slow"}

    reply = logs_reply(seed_snapshot(), logs, limit=20)

    lines = reply.text.splitlines()
    assert lines[0] == "📜 Logs for Cellphone Store CRM (last 20 of 30 lines):"
    assert lines[1] == "10:02:10 INFO [step 2] line 10"
    assert lines[-1] == "10:03:05 WARNING slow"
    assert "line 9\n" not in reply.text
    assert reply.attachment is None


def test_logs_up_to_the_limit_stay_inline() -> None:
    line = "10:02:00 INFO [step 2] "
    logs = [_log(0, "x" * (LOG_INLINE_LIMIT - len(line)))]

    reply = logs_reply(seed_snapshot(), logs)

    assert reply.attachment is None
    assert "Full log attached" not in reply.text


def test_logs_past_the_limit_come_as_a_file_with_the_tail_inline() -> None:
    line = "10:02:00 INFO [step 2] "
    logs = [_log(0, "first " + "x" * 2000), _log(1, "y" * (LOG_INLINE_LIMIT - len(line)))]
    logs.append(_log(2, "last line"))

    reply = logs_reply(seed_snapshot(), logs)

    assert reply.attachment is not None
    filename, content = reply.attachment
    assert filename == "abc123-logs.txt"
    assert content.startswith("10:02:00 INFO [step 2] first xxx")
    assert content.endswith("10:02:02 INFO [step 2] last line")
    assert "Full log attached" in reply.text
    assert "10:02:02 INFO [step 2] last line" in reply.text
    assert "first xxx" not in reply.text
    assert len(reply.text) <= LOG_INLINE_LIMIT


def test_why_failed_gives_the_error_and_the_failing_steps_last_five_lines() -> None:
    logs = [_log(i, f"step one {i}", step=1) for i in range(3)]
    logs += [_log(10 + i, f"ui {i}") for i in range(7)]

    reply = why_failed_reply(failed_snapshot(), logs)

    assert reply.text.startswith(
        "❌ Your Cellphone Store CRM task failed at Step 2: Generate application UI."
    )
    assert "Error: Template render error in sales_form.html" in reply.text
    assert "ui 1\n" not in reply.text
    assert all(f"ui {i}" in reply.text for i in range(2, 7))
    assert "step one" not in reply.text
    assert [b.action for b in reply.buttons] == ["retry_step", "skip_step", "restart"]


def test_why_failed_on_a_running_task_says_it_has_not_failed() -> None:
    reply = why_failed_reply(seed_snapshot(), [])

    assert reply.text == "Your Cellphone Store CRM task hasn't failed: it's running (65% complete)."


def test_eta_reply_gives_the_estimate_and_its_range() -> None:
    reply = eta_reply(seed_snapshot(eta_low_seconds=120, eta_high_seconds=240))

    assert reply.text == (
        "⏱ Cellphone Store CRM: About 3 minutes remaining. Likely between 2 and 4 minutes."
    )
    assert eta_reply(seed_snapshot()).text == "⏱ Cellphone Store CRM: About 3 minutes remaining."


def test_eta_reply_for_a_finished_task_gives_no_estimate() -> None:
    reply = eta_reply(completed_snapshot())

    assert reply.text == "⏱ Cellphone Store CRM is already complete."
    assert reply.eta_text is None


# --- questions and short answers ----------------------------------------------------------------


def test_confirm_cancel_asks_with_yes_and_no() -> None:
    reply = confirm_reply("cancel", seed_snapshot())

    assert reply.kind == "question"
    assert reply.text == "Cancel Cellphone Store CRM? This stops the task."
    assert reply.buttons == [
        Button("Yes", "confirm", "abc123", "cancel", "danger"),
        Button("No", "dismiss", "abc123"),
    ]


def test_confirm_with_a_step_carries_it_on_the_yes_button() -> None:
    reply = confirm_reply("skip_step", failed_snapshot(), step=2)

    assert reply.text.startswith("Skip Step 2 (Generate application UI) of Cellphone Store CRM?")
    assert reply.buttons[0].arg == "skip_step:2"


def test_choose_task_offers_one_button_per_task() -> None:
    other = seed_snapshot(task_id="def456", title="Repair Shop Portal", progress=10)

    reply = choose_task_reply("pause", [seed_snapshot(), other], step=None)
    with_step = choose_task_reply("retry_step", [seed_snapshot(), other], step=2)

    assert reply.kind == "question"
    assert reply.text.splitlines()[0] == "Which task do you mean?"
    assert [(b.label, b.action, b.task_id, b.arg) for b in reply.buttons] == [
        ("Cellphone Store CRM", "choose", "abc123", "pause"),
        ("Repair Shop Portal", "choose", "def456", "pause"),
    ]
    assert {b.arg for b in with_step.buttons} == {"retry_step:2"}


def test_not_found_quotes_the_query_and_lists_active_tasks() -> None:
    reply = not_found_reply("crn", [seed_snapshot()])

    assert reply.text == (
        "I couldn't find a task matching “crn”.\n\n"
        "Your active tasks:\n◐ Cellphone Store CRM — 65% (running)"
    )


def test_short_answers() -> None:
    assert apology_reply().text == (
        "Sorry, something went wrong on my side. Please try again in a moment."
    )
    assert apology_reply().kind == "error"
    assert refusal_reply("Only alice can approve this step.").kind == "error"
    assert small_talk_reply("thanks").text == "You're welcome!"
    assert small_talk_reply("greeting").text.startswith("Hi!")
    assert help_reply([("Check a task's progress", "How's my CRM task going?")]).text == (
        "Here's what I can do:\n• Check a task's progress — “How's my CRM task going?”"
    )


def test_done_reply_with_a_snapshot_offers_the_next_buttons() -> None:
    reply = done_reply("Paused Cellphone Store CRM.", paused_snapshot())

    assert reply.text == "Paused Cellphone Store CRM."
    assert [b.action for b in reply.buttons] == ["resume", "cancel"]
    assert done_reply("Done.").buttons == []


# --- untrusted text -----------------------------------------------------------------------------


def test_control_characters_are_stripped_but_newlines_in_errors_kept() -> None:
    snap = failed_snapshot(error="boom\x00\x07\nat line 3\tcol 2\x1b[31m")
    snap["title"] = "Cellphone\x00 Store\x1b CRM\x7f"

    reply = status_reply(snap)

    assert "Cellphone Store CRM" in reply.text
    assert "Error: boom\nat line 3\tcol 2[31m" in reply.text
    assert not any(ch in reply.text for ch in "\x00\x07\x1b\x7f")
    assert reply.steps[1].error == "boom\nat line 3\tcol 2[31m"


def test_absurdly_long_names_are_cut() -> None:
    snap = seed_snapshot(title="A" * 5000)
    snap["steps"][1]["name"] = "Generate " + "B" * 5000

    reply = status_reply(snap)

    assert reply.title is not None
    assert len(reply.title) == 500
    assert reply.title.endswith("…")
    assert len(reply.steps[1].name) == 500
    assert len(reply.text) < 1500


# --- gerunds ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Generate application UI", "Generating application UI"),
        ("Create database tables", "Creating database tables"),
        ("Add search and filters", "Adding search and filters"),
        ("Configure workflows", "Configuring workflows"),
        ("Run tests", "Running tests"),
        ("Train model", "Training model"),
        ("Set up billing", "Setting up billing"),
        ("Data export", "Data export"),
        ("UI polish", "UI polish"),
    ],
)
def test_gerund(name: str, expected: str) -> None:
    assert gerund(name) == expected
