"""The Progress View's history: moments a person reads, not one row per percent."""

from __future__ import annotations

from typing import Any

from bot.web.timeline import format_duration, timeline


def row(step: int | None, percent: int, status: str, at: str) -> dict[str, Any]:
    return {"step": step, "percent": percent, "status": status, "updated_at": at}


def test_steps_and_task_events_read_as_sentences_with_durations() -> None:
    history = [
        row(None, 0, "pending", "2024-01-15T10:00:00Z"),
        row(1, 0, "pending", "2024-01-15T10:00:00Z"),
        row(None, 0, "running", "2024-01-15T10:00:00Z"),
        row(1, 0, "running", "2024-01-15T10:00:00Z"),
        *[row(1, p, "running", f"2024-01-15T10:00:{p // 10:02d}Z") for p in range(1, 100)],
        row(1, 100, "completed", "2024-01-15T10:00:15Z"),
        row(2, 0, "running", "2024-01-15T10:00:15Z"),
        row(None, 50, "paused", "2024-01-15T10:01:00Z"),
        row(2, 40, "paused", "2024-01-15T10:01:00Z"),
        row(None, 50, "running", "2024-01-15T10:02:00Z"),
        row(2, 40, "running", "2024-01-15T10:02:00Z"),
        row(2, 100, "completed", "2024-01-15T10:07:25Z"),
        row(None, 100, "completed", "2024-01-15T10:07:25Z"),
    ]
    audit = [
        {"action": "create", "by": None, "at": "2024-01-15T10:00:00Z"},
        {"action": "pause", "by": "alice", "at": "2024-01-15T10:01:00Z"},
        {"action": "resume", "by": "bob", "at": "2024-01-15T10:02:00Z"},
    ]
    snap = {
        "steps": [
            {"order": 1, "name": "Create database tables"},
            {"order": 2, "name": "Generate application UI"},
        ]
    }

    lines = [(e["at"][11:19], e["text"]) for e in timeline(history, audit, snap)]

    assert lines == [
        ("10:00:00", "Task created"),
        ("10:00:00", "Task started"),
        ("10:00:00", "Step 1 Create database tables started"),
        ("10:00:15", "Step 1 Create database tables completed (took 15 s)"),
        ("10:00:15", "Step 2 Generate application UI started"),
        ("10:01:00", "Paused by alice"),
        ("10:02:00", "Resumed by bob"),
        ("10:07:25", "Step 2 Generate application UI completed (took 7 min 10 s)"),
        ("10:07:25", "Task completed"),
    ]


def test_approvals_are_asked_for_and_decided() -> None:
    history = [
        row(None, 0, "running", "2024-01-15T10:00:00Z"),
        row(None, 0, "approval", "2024-01-15T10:01:00Z"),
        row(1, 0, "approval", "2024-01-15T10:01:00Z"),
        row(None, 0, "running", "2024-01-15T10:03:00Z"),
        row(1, 0, "running", "2024-01-15T10:03:00Z"),
        row(1, 100, "completed", "2024-01-15T10:03:45Z"),
    ]
    snap = {
        "steps": [{"order": 1, "name": "Add search"}],
        "approval": {
            "step": 1,
            "decisions": [{"by": "carol", "decision": "approve", "at": "2024-01-15T10:03:00Z"}],
        },
    }

    texts = [e["text"] for e in timeline(history, [], snap)]

    assert texts == [
        "Task started",
        "Approval requested",
        "Step 1 Add search is waiting for approval",
        "Step 1 approved by carol",
        "Step 1 Add search completed (took 45 s)",
    ]


def test_durations_read_naturally() -> None:
    assert [format_duration(s) for s in (0, 15, 60, 310, 3600, 3720)] == [
        "0 s",
        "15 s",
        "1 min",
        "5 min 10 s",
        "1 h",
        "1 h 2 min",
    ]
