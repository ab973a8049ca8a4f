"""Gait checks from the web app: the uploaded clip's analysis, its report and key frames.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gait_check",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer,
            sa.ForeignKey("person.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(10), nullable=False, index=True),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("view_asked", sa.String(10), nullable=True),
        sa.Column("fps_given", sa.Float, nullable=True),
        sa.Column("keep_video", sa.Boolean, nullable=False),
        sa.Column("video_file", sa.String(200), nullable=True),
        sa.Column("frames_done", sa.Integer, nullable=False),
        sa.Column("frames_expected", sa.Integer, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("view", sa.String(10), nullable=True),
        sa.Column("film_again", sa.Boolean, nullable=True),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'done', 'failed')", name="gait_check_status"
        ),
    )
    op.create_table(
        "gait_frame",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "check_id",
            sa.Integer,
            sa.ForeignKey("gait_check.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("leg", sa.String(10), nullable=True),
        sa.Column("time_s", sa.Float, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("media_type", sa.String(30), nullable=False),
        sa.Column("image", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("gait_frame")
    op.drop_table("gait_check")
