"""tasks remember the API token that created them

Revision ID: 0004_task_created_by_token
Revises: 0003_step_estimates
Create Date: 2026-12-01 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_task_created_by_token"
down_revision = "0003_step_estimates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An engine token reaches only the tasks it created; older tasks (NULL) only readers and
    # admins reach.
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_token", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("created_by_token")
