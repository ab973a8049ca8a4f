"""Imported activities.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activity",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("person.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("utc_offset_seconds", sa.Integer),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("sport", sa.String(40), nullable=False),
        sa.Column("sub_sport", sa.String(40)),
        sa.Column("elapsed_seconds", sa.Float, nullable=False),
        sa.Column("moving_seconds", sa.Float),
        sa.Column("distance_m", sa.Float),
        sa.Column("ascent_m", sa.Float),
        sa.Column("avg_heart_rate", sa.Integer),
        sa.Column("max_heart_rate", sa.Integer),
        sa.Column("avg_cadence_spm", sa.Float),
        sa.Column("avg_stance_time_ms", sa.Float),
        sa.Column("stance_time_balance_left_pct", sa.Float),
        sa.Column("avg_vertical_oscillation_mm", sa.Float),
        sa.Column("device", sa.String(100)),
        sa.Column("has_gps", sa.Boolean, nullable=False),
        sa.Column("laps", sa.JSON, nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False, index=True),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("rpe", sa.Integer),
        sa.CheckConstraint("rpe BETWEEN 0 AND 10", name="rpe_0_10"),
    )


def downgrade() -> None:
    op.drop_table("activity")
