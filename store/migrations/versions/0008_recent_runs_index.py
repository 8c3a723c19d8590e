"""an index that finds a kind's newest completed tasks, for ETAs on a big store

Revision ID: 0008_recent_runs_index
Revises: 0007_send_pacing
Create Date: 2026-12-07 02:20:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0008_recent_runs_index"
down_revision = "0007_send_pacing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An ETA reads the 200 newest completed tasks of its kind; with 100,000 tasks of one kind the
    # kind's index alone made that a sort of every completed one (25 ms, every minute per kind).
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tasks_kind_status_finished", ["kind", "status", "finished_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_kind_status_finished")
