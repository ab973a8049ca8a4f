"""The care team: consent links, invitation codes, the audit log, notes, published plans and
clinicians' templates; accounts say whether they also look after runners.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _person(name: str, *, cascade: bool = True, index: bool = True) -> sa.Column[int]:
    return sa.Column(
        name,
        sa.Integer,
        sa.ForeignKey("person.id", ondelete="CASCADE" if cascade else "SET NULL"),
        nullable=not cascade,
        index=index,
    )


def upgrade() -> None:
    # A plain ALTER TABLE ... ADD COLUMN, never a batch (copy-and-move) on SQLite: with foreign
    # keys on, dropping the old account table would cascade to every login session and API
    # token (tests/test_migrations.py caught exactly that).
    op.add_column(
        "account", sa.Column("is_clinician", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.create_table(
        "care_link",
        sa.Column("id", sa.Integer, primary_key=True),
        _person("runner_id"),
        _person("clinician_id"),
        sa.Column("shares", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "care_invitation",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        _person("made_by_id"),
        sa.Column("made_as", sa.String(10), nullable=False),
        sa.Column("shares", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        _person("runner_id"),
        _person("actor_id", cascade=False, index=False),
        sa.Column("actor_name", sa.String(40), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("what", sa.String(60), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_table(
        "care_note",
        sa.Column("id", sa.Integer, primary_key=True),
        _person("runner_id"),
        _person("author_id", cascade=False, index=False),
        sa.Column("author_name", sa.String(40), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "care_plan",
        sa.Column("id", sa.Integer, primary_key=True),
        _person("person_id"),
        _person("author_id", cascade=False, index=False),
        sa.Column("author_name", sa.String(40), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("progression", sa.String(10), nullable=False),
        sa.Column("source", sa.String(80), nullable=False),
        sa.Column("items", sa.JSON, nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "care_template",
        sa.Column("id", sa.Integer, primary_key=True),
        _person("owner_id"),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("items", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("owner_id", "name", name="one_template_name_per_owner"),
    )


def downgrade() -> None:
    for table in (
        "care_template",
        "care_plan",
        "care_note",
        "audit_entry",
        "care_invitation",
        "care_link",
    ):
        op.drop_table(table)
    op.drop_column("account", "is_clinician")  # SQLite 3.35 and newer drop columns in place
