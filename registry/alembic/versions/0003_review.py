"""review: a person's decisions on a document and their audit trail

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

`reviews` holds each reviewed document's state (reviewed values kept apart from the
machine's readings, dismissed findings, disposition, the re-checked status and findings, a
version for the save check); `decisions` is the audit trail, one row per decision. No foreign
key to `documents`: the audit outlives a document processed again under its id.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _json() -> sa.JSON:
    return sa.JSON(none_as_null=True)


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("document_id", sa.String(64), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("state", _json(), nullable=False),
        sa.Column("disposition", sa.String(16)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("findings", _json(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Text, nullable=False),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("target", sa.Text),
        sa.Column("old_value", _json()),
        sa.Column("new_value", _json()),
        sa.Column("reason", sa.Text),
        sa.Column("reviewer", sa.Text, nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_decisions_document", "decisions", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_decisions_document", table_name="decisions")
    op.drop_table("decisions")
    op.drop_table("reviews")
