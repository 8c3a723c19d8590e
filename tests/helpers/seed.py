"""The seed's model case, the Cellphone Store CRM task, as engines send it and the API shows it."""

from __future__ import annotations

from typing import Any

# The seed's Progress API example, word for word.
SEED_PROGRESS: dict[str, Any] = {
    "task_id": "abc123",
    "title": "Cellphone Store CRM",
    "status": "running",
    "progress": 65,
    "current_step": 2,
    "total_steps": 4,
    "started_at": "2024-01-15T10:00:00Z",
    "eta_seconds": 180,
    "steps": [
        {
            "order": 1,
            "name": "Create database tables",
            "status": "completed",
            "progress": 100,
            "duration_ms": 15000,
        },
        {
            "order": 2,
            "name": "Generate application UI",
            "status": "running",
            "progress": 65,
            "substeps": [
                {"name": "Customer list", "done": True},
                {"name": "Product list", "done": True},
                {"name": "Sales form", "done": False},
                {"name": "Repair board", "done": False},
            ],
        },
        {"order": 3, "name": "Add search and filters", "status": "pending", "progress": 0},
        {"order": 4, "name": "Configure workflows", "status": "pending", "progress": 0},
    ],
}

# The seed's chat answer to "How's my CRM task going?", word for word.
SEED_CHAT_ANSWER = """📊 Your Cellphone Store CRM task is 65% complete.

Currently: Generating application UI
- ✓ Customer list view
- ✓ Product list view
- ⏳ Sales form (in progress)
- ⏳ Repair board

ETA: About 3 minutes remaining."""

# What an engine posts to create the seed's task (DESIGN.md wire format). The seed's chat example
# and Progress View show "Customer list view" where its API JSON says "Customer list": a substep
# may carry a display `label` beside its `name`.
SEED_CREATE: dict[str, Any] = {
    "task_id": "abc123",
    "title": "Cellphone Store CRM",
    "short_name": "CRM",
    "kind": "app-generation",
    "owner": "alice",
    "team": "crm-team",
    "complexity": {"tables": 4},
    "steps": [
        {"name": "Create database tables", "done_label": "Database created"},
        {
            "name": "Generate application UI",
            "substeps": [
                {"name": "Customer list", "label": "Customer list view"},
                {"name": "Product list", "label": "Product list view"},
                "Sales form",
                "Repair board",
            ],
        },
        {"name": "Add search and filters"},
        {"name": "Configure workflows"},
    ],
    "notify": [],
    "approval": {"approvers": ["alice", "crm-team"], "quorum": 1},
}

# The events that bring a fresh task to the seed's state (started 10:00:00, step 1 done after
# 15 s, step 2 at 65 % with two of four substeps done).
SEED_EVENTS: list[dict[str, Any]] = [
    {"type": "task_started"},
    {"type": "step_started", "step": 1},
    {"type": "step_completed", "step": 1},
    {"type": "step_started", "step": 2},
    {"type": "substep_done", "step": 2, "substep": "Customer list"},
    {"type": "substep_done", "step": 2, "substep": "Product list"},
    {"type": "step_progress", "step": 2, "percent": 65},
    {"type": "progress", "percent": 65},
]
