"""Profile, session records, current doses and outcome scores.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _person() -> sa.Column[int]:
    return sa.Column(
        "person_id",
        sa.Integer,
        sa.ForeignKey("person.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )


def upgrade() -> None:
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("person.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column("painful_side", sa.String(10)),
        sa.Column("equipment", sa.JSON, nullable=False),
        sa.Column("minutes_per_day", sa.Integer, nullable=False),
        sa.Column("days_per_week", sa.Integer, nullable=False),
        sa.Column("running_status", sa.String(20), nullable=False),
        sa.Column("goals", sa.JSON, nullable=False),
        sa.Column("walks_30_min_pain_free", sa.Boolean, nullable=False),
        sa.Column("phase", sa.String(20), nullable=False),
        sa.Column("phase_since", sa.Date),
        sa.Column("last_check", sa.JSON),
    )
    op.create_table(
        "session_record",
        sa.Column("id", sa.Integer, primary_key=True),
        _person(),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("routine", sa.String(50), nullable=False),
        sa.Column("phase", sa.String(20), nullable=False),
        sa.Column("exercises", sa.JSON, nullable=False),
        sa.Column("completed", sa.Boolean, nullable=False),
        sa.Column("pain_during", sa.Integer),
        sa.Column("pain_after", sa.Integer),
        sa.Column("pain_next_morning", sa.Integer),
        sa.Column("usual_morning_pain", sa.Integer),
        sa.Column("decisions", sa.JSON, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.CheckConstraint("pain_during BETWEEN 0 AND 10", name="pain_during_0_10"),
        sa.CheckConstraint("pain_after BETWEEN 0 AND 10", name="pain_after_0_10"),
        sa.CheckConstraint("pain_next_morning BETWEEN 0 AND 10", name="pain_next_morning_0_10"),
    )
    op.create_table(
        "prescription",
        sa.Column("id", sa.Integer, primary_key=True),
        _person(),
        sa.Column("slot", sa.String(50), nullable=False),
        sa.Column("exercise", sa.String(50), nullable=False),
        sa.Column("sets", sa.Integer, nullable=False),
        sa.Column("reps", sa.Integer, nullable=False),
        sa.Column("good_sessions", sa.Integer, nullable=False),
        sa.UniqueConstraint("person_id", "slot", name="one_dose_per_slot"),
    )
    op.create_table(
        "outcome_score",
        sa.Column("id", sa.Integer, primary_key=True),
        _person(),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("instrument", sa.String(10), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for table in ("outcome_score", "prescription", "session_record", "profile"):
        op.drop_table(table)
