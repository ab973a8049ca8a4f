"""Each person's data version: a random token that changes with any of their data.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "person",
        sa.Column("data_version", sa.String(32), nullable=False, server_default=""),
    )
    person = sa.table("person", sa.column("id", sa.Integer), sa.column("data_version"))
    connection = op.get_bind()
    for (person_id,) in connection.execute(sa.select(person.c.id)).all():
        connection.execute(
            sa.update(person).where(person.c.id == person_id).values(data_version=uuid.uuid4().hex)
        )


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("data_version")
