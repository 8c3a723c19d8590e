"""approval_approvers: each approval's approvers as indexed rows; subscriptions by target

"What is waiting on alice?" read every pending approval's JSON list of approvers; with one row per
(approval, name) and an index on (approver, pending) it is an index lookup. Existing approvals
are copied over. `subscriptions.target_id` gets an index too: "the tasks that notify this chat"
is part of what a person may name in a chat, asked on every chat message.

Revision ID: 0005_approval_approvers
Revises: 0004_task_created_by_token
Create Date: 2026-12-06 20:00:00.000000
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005_approval_approvers"
down_revision = "0004_task_created_by_token"
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    table = op.create_table(
        "approval_approvers",
        sa.Column(
            "approval_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("approver", sa.String(length=100), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["approval_id"], ["approvals.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("approval_id", "approver"),
    )
    with op.batch_alter_table("approval_approvers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_approval_approvers_approver_pending",
            ["approver", "pending", "task_id"],
            unique=False,
        )
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.create_index("ix_subscriptions_target_id", ["target_id"], unique=False)
    _backfill(table)


def _backfill(table: Any) -> None:
    """One row per distinct name in each approval's JSON list, in batches."""
    bind = op.get_bind()
    approvals = sa.table(
        "approvals",
        sa.column("id", sa.Integer()),
        sa.column("task_id", sa.String()),
        sa.column("status", sa.String()),
        sa.column("approvers", sa.JSON()),
    )
    last = 0
    while True:
        c = approvals.c
        rows = bind.execute(
            sa.select(c.id, c.task_id, c.status, c.approvers)
            .where(c.id > last)
            .order_by(c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        out = []
        for approval_id, task_id, status, approvers in rows:
            names = json.loads(approvers) if isinstance(approvers, str) else approvers
            for name in dict.fromkeys(n[:100] for n in names or [] if isinstance(n, str) and n):
                out.append(
                    {
                        "approval_id": approval_id,
                        "approver": name,
                        "task_id": task_id,
                        "pending": status == "pending",
                    }
                )
        if out:
            bind.execute(sa.insert(table), out)
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_subscriptions_target_id")
    op.drop_table("approval_approvers")
