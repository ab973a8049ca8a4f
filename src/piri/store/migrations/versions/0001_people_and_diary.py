"""People and the pain diary.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_table(
        "diary_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("person.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("pain_now", sa.Integer, nullable=False),
        sa.Column("worst_pain", sa.Integer, nullable=False),
        sa.Column("sitting_pain", sa.Integer),
        sa.Column("sitting_minutes_before_pain", sa.Integer),
        sa.Column("running_pain", sa.Integer),
        sa.Column("tingling", sa.Boolean, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.UniqueConstraint("person_id", "day", name="one_diary_entry_a_day"),
        sa.CheckConstraint("pain_now BETWEEN 0 AND 10", name="pain_now_0_10"),
        sa.CheckConstraint("worst_pain BETWEEN 0 AND 10", name="worst_pain_0_10"),
        sa.CheckConstraint("sitting_pain BETWEEN 0 AND 10", name="sitting_pain_0_10"),
        sa.CheckConstraint("running_pain BETWEEN 0 AND 10", name="running_pain_0_10"),
    )


def downgrade() -> None:
    op.drop_table("diary_entry")
    op.drop_table("person")
