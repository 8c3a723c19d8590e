"""targets remember when they may take their next message; a shared budget of send slots

Revision ID: 0007_send_pacing
Revises: 0006_task_progress_totals
Create Date: 2026-12-06 20:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.models

revision = "0007_send_pacing"
down_revision = "0006_task_progress_totals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A chat's pacing outlives its lease: another worker leases it only once the platform
    # will take its next message (the last sender, whose limiter knows, may lease it sooner).
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_send_at", store.models.UTCDateTime(timezone=True), nullable=True)
        )
    # A platform's overall rate limit, shared by every worker: the start of its next free slot.
    op.create_table(
        "send_budgets",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("next_free", store.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("send_budgets")
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_column("next_send_at")
