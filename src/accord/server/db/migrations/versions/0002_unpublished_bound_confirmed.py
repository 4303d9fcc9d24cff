"""Unpublished versions, invitations bound to an email, delegates confirmed by a mediator.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing versions were public and existing members were in: they stay so.
    with op.batch_alter_table("texts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    with op.batch_alter_table("memberships", schema=None) as batch_op:
        batch_op.drop_column("confirmed")
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_column("email")
    with op.batch_alter_table("texts", schema=None) as batch_op:
        batch_op.drop_column("published")
