"""The runs of the return-to-running plan.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "walk_run",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("person.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("step", sa.String(40), nullable=False),
        sa.Column("planned_minutes", sa.Integer, nullable=False),
        sa.Column("pain_during", sa.Integer, nullable=False),
        sa.Column("pain_after", sa.Integer, nullable=False),
        sa.Column("pain_built", sa.Boolean, nullable=False),
        sa.Column("limp", sa.Boolean, nullable=False),
        sa.Column("finished", sa.Boolean, nullable=False),
        sa.Column("pain_next_morning", sa.Integer),
        sa.Column("usual_morning_pain", sa.Integer),
        sa.Column("activity_key", sa.String(64)),
        sa.Column("notes", sa.Text, nullable=False),
        sa.UniqueConstraint("person_id", "day", name="one_walk_run_a_day"),
        sa.CheckConstraint("pain_during BETWEEN 0 AND 10", name="walk_run_pain_during_0_10"),
        sa.CheckConstraint("pain_after BETWEEN 0 AND 10", name="walk_run_pain_after_0_10"),
        sa.CheckConstraint(
            "pain_next_morning BETWEEN 0 AND 10", name="walk_run_pain_next_morning_0_10"
        ),
        sa.CheckConstraint("usual_morning_pain BETWEEN 0 AND 10", name="walk_run_usual_0_10"),
    )


def downgrade() -> None:
    op.drop_table("walk_run")
