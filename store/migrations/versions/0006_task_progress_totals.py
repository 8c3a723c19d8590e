"""tasks keep running totals of their step weights, so an event reads no other step

Revision ID: 0006_task_progress_totals
Revises: 0005_approval_approvers
Create Date: 2026-12-06 20:00:00.000000
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

import sqlalchemy as sa
from alembic import op

revision = "0006_task_progress_totals"
down_revision = "0005_approval_approvers"
branch_labels = None
depends_on = None

# Tasks updated per statement batch while backfilling.
BATCH = 500


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("progress_total", sa.Text(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("progress_done", sa.Text(), nullable=False, server_default="0")
        )
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    """Count every task's totals from its steps, as the Tracker keeps them from now on (the
    rule of `store.tracker.views`, copied here so this migration never changes)."""
    substeps = dict[int, tuple[int, int]]()
    for step_id, count, done in conn.execute(
        sa.text(
            "SELECT step_id, COUNT(*), SUM(CASE WHEN done THEN 1 ELSE 0 END) "
            "FROM substeps GROUP BY step_id"
        )
    ):
        substeps[step_id] = (int(count), int(done or 0))
    totals: dict[str, list[Fraction]] = defaultdict(lambda: [Fraction(0), Fraction(0)])
    for step_id, task_id, weight, status, reported in conn.execute(
        sa.text("SELECT id, task_id, weight, status, reported_percent FROM steps")
    ):
        share = Fraction(max(float(weight if weight is not None else 1.0), 0.0))
        if status in ("completed", "skipped"):
            percent = 100
        elif reported is not None:
            percent = int(reported)
        elif step_id in substeps:
            count, done = substeps[step_id]
            percent = max(0, min(100, int(100 * done / count + 0.5)))
        else:
            percent = 0
        totals[task_id][0] += share
        totals[task_id][1] += share * percent
    update = sa.text(
        "UPDATE tasks SET progress_total = :total, progress_done = :done WHERE id = :id"
    )
    rows = [{"id": task, "total": str(t), "done": str(d)} for task, (t, d) in totals.items()]
    for start in range(0, len(rows), BATCH):
        conn.execute(update, rows[start : start + BATCH])


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("progress_done")
        batch_op.drop_column("progress_total")
