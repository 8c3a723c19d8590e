"""Untrusted text from task engines through every renderer: nothing breaks, nothing leaks.

Titles, step names, errors and log messages come from task engines and may hold markup, escape
sequences, control characters, emoji or megabytes. Every reply builder, the matcher and every
renderer in this build must take them without an exception, and the console must never print
anything a terminal would obey.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.console import card_line, render, sanitize
from bot import replies
from bot.types import Reply
from intents import Matcher, TaskRef

NASTY = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "&amp; &lt; & < >",
        "*bold* _it_ `code` ~x~ ```block```",
        "\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1b[2J",
        "\x00\x07\x08\r\x0b\x0c\x7f\x9b",
        "\u202eevil\u202c \u2066x\u2069",
        "😀🎉 👩‍👩‍👧 🇳🇱",
        "<@U123> @channel <!here> <http://x|y>",
        "line1\nline2\r\nline3\ttab",
        "a" * 5000,
    ]
)
TEXT = st.one_of(st.text(max_size=300), NASTY, st.text(alphabet="<>&*_`\x1b\x00\n😀", max_size=50))
LONG = st.text(min_size=0, max_size=20).map(lambda s: s * 2000)

_CONTROL_BUT_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def make_snapshot(title: str, step_name: str, error: str, status: str) -> dict[str, Any]:
    return {
        "task_id": "abc123",
        "title": title,
        "short_name": title[:10],
        "status": status,
        "progress": 65,
        "current_step": 2,
        "total_steps": 3,
        "started_at": "2024-01-15T10:00:00Z",
        "finished_at": None,
        "eta_seconds": 180,
        "owner": "alice",
        "team": "crm-team",
        "error": error if status == "failed" else None,
        "steps": [
            {"order": 1, "name": step_name, "status": "completed", "progress": 100},
            {
                "order": 2,
                "name": step_name,
                "status": "failed" if status == "failed" else "running",
                "progress": 65,
                "error": error,
                "substeps": [
                    {"name": step_name, "done": True},
                    {"name": error, "label": title, "done": False},
                ],
            },
            {"order": 3, "name": error, "status": "pending", "progress": 0},
        ],
        "approval": {
            "id": "7",
            "step": 3,
            "prompt": error,
            "status": "pending" if status == "approval" else "approved",
            "approvers": [title],
            "decisions": [],
            "decided_by": step_name,
            "reason": error,
        },
    }


def every_reply(snap: dict[str, Any], log_message: str) -> list[Reply]:
    logs = [
        {"at": "2024-01-15T10:00:01Z", "level": "info", "step": 2, "message": log_message},
        {"at": "not a time", "level": log_message[:30], "step": None, "message": log_message},
    ]
    built = [
        replies.status_reply(snap, view_url="http://127.0.0.1:8080/tasks/abc123?t=x"),  # type: ignore[arg-type]
        replies.card_reply(snap),  # type: ignore[arg-type]
        replies.logs_reply(snap, logs),  # type: ignore[arg-type]
        replies.why_failed_reply(snap, logs),  # type: ignore[arg-type]
        replies.eta_reply(snap),  # type: ignore[arg-type]
        replies.confirm_reply("skip_step", snap, step=2),  # type: ignore[arg-type]
        replies.choose_task_reply("status", [snap, snap]),  # type: ignore[list-item]
        replies.not_found_reply(log_message, [snap]),  # type: ignore[list-item]
        replies.task_list_reply([snap]),  # type: ignore[list-item]
        replies.done_reply(log_message, snap),  # type: ignore[arg-type]
        replies.refusal_reply(log_message),
    ]
    for event in (
        "task_started",
        "step_completed",
        "approval_requested",
        "task_completed",
        "task_failed",
        "paused",
        "approval_decided",
        "task_stalled",
    ):
        built.append(replies.notification_reply(event, snap))  # type: ignore[arg-type]
    return built


STATUSES = st.sampled_from(["running", "failed", "approval", "paused", "completed", "pending"])
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(title=TEXT, step_name=TEXT, error=st.one_of(TEXT, LONG), log=TEXT, status=STATUSES)
def test_console_shows_untrusted_text_safely(
    title: str, step_name: str, error: str, log: str, status: str
) -> None:
    snap = make_snapshot(title, step_name, error, status)
    for reply in every_reply(snap, log):
        for shown in (render(reply), card_line(reply)):
            assert not _CONTROL_BUT_NEWLINE.search(shown), repr(shown[:200])
            assert "\x1b" not in shown
        assert "\n" not in card_line(reply)


@SETTINGS
@given(text=TEXT, title=TEXT)
def test_matcher_takes_any_text(text: str, title: str) -> None:
    matcher = Matcher()
    tasks = [TaskRef("abc123", title or "x", title[:5] or None, "running", 1.0)]
    intent = matcher.match(text, tasks, chat_key="console:alice:", now=1.0)
    assert intent.name
    assert matcher.match(title, tasks, chat_key="console:alice:", now=2.0).name


def test_console_keeps_markup_characters_as_written() -> None:
    # A terminal has no markup: < > & * _ ` are shown as they are, never escaped or eaten.
    reply = Reply(text="Fix <Sales> & *Repair* _board_ `now`")
    assert render(reply) == "Fix <Sales> & *Repair* _board_ `now`"


def test_console_removes_escape_sequences_whole() -> None:
    assert sanitize("\x1b[31mred\x1b[0m and \x1b]0;pwned\x07title") == "red and title"
    assert sanitize("a\x00b\x07c\rd\u202ee") == "abcde"
    assert sanitize("tab\there") == "tab    here"
    assert sanitize("two\nlines") == "two\nlines"


def _renderer(module_name: str) -> Callable[[Reply], Any]:
    try:
        module: ModuleType = importlib.import_module(module_name)
    except ImportError as exc:
        pytest.skip(f"{module_name} is not in this build ({exc})")
    render_fn = getattr(module, "render", None)
    if render_fn is None:
        pytest.skip(f"{module_name} has no render()")
    return render_fn


@pytest.mark.parametrize("module_name", ["adapters.slack", "adapters.telegram"])
def test_chat_platform_renderers_take_untrusted_text(module_name: str) -> None:
    render_fn = _renderer(module_name)

    @SETTINGS
    @given(title=TEXT, step_name=TEXT, error=TEXT, log=TEXT, status=STATUSES)
    def check(title: str, step_name: str, error: str, log: str, status: str) -> None:
        snap = make_snapshot(title, step_name, error, status)
        for reply in every_reply(snap, log):
            render_fn(reply)

    check()


def test_web_page_escapes_untrusted_text() -> None:
    try:
        from bot.web.render import progress_page
    except ImportError as exc:
        pytest.skip(f"the web page is not in this build ({exc})")

    @SETTINGS
    @given(title=TEXT, step_name=TEXT, error=TEXT, log=TEXT, status=STATUSES)
    def check(title: str, step_name: str, error: str, log: str, status: str) -> None:
        snap = make_snapshot(title, step_name, error, status)
        logs = [{"at": "2024-01-15T10:00:01Z", "level": "info", "step": 2, "message": log}]
        page = progress_page(
            snap,
            logs=logs,
            history=[],
            now=1705312980.0,
            csrf="c",
            can_control=True,
            is_approver=True,
        )
        assert "<script>alert(1)</script>" not in page

    check()
