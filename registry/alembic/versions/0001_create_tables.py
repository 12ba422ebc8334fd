"""create tables: the registry as the old migration 1 built it (schema_version aside)

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Frozen: this is the schema of a registry at the old `schema_version` 1. Never edit it;
change the schema with a new revision. It must not import `tasksheet.registry.tables`,
which follows the head revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _doc_fk() -> sa.Column:
    return sa.Column("document_id", sa.String(64),
                     sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False)


def _json() -> sa.JSON:
    return sa.JSON(none_as_null=True)


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("root", sa.Text),
        sa.Column("sources", _json(), nullable=False),
        sa.Column("source_key", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("template", sa.String(64), nullable=False),
        sa.Column("template_version", sa.String(32)),
        sa.Column("pages", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("timings", _json()),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", _json(), nullable=False),
    )
    op.create_table(
        "sheets",
        sa.Column("document_id", sa.String(64),
                  sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("project_name", sa.Text),
        sa.Column("commissioning_unit", sa.Text),
        sa.Column("undertaking_unit", sa.Text),
        sa.Column("coordinating_unit", sa.Text),
        sa.Column("month", sa.Text),
        sa.Column("content", sa.Text),
    )
    op.create_table(
        "parties",
        _doc_fk(),
        sa.Column("party", sa.String(16), nullable=False),
        sa.Column("department", sa.Text),
        sa.Column("cooperation_mode", _json()),
        sa.Column("funding_ticked", _json()),
        sa.Column("funding_amount_wan", sa.Text),
        sa.Column("funding_nature", _json()),
        sa.Column("funding_other_text", sa.Text),
        sa.Column("funding_source", _json()),
        sa.Column("policy_support_ticked", _json()),
        sa.Column("policy_support_text", sa.Text),
    )
    op.create_table(
        "contacts",
        _doc_fk(),
        sa.Column("party", sa.String(16), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("mobile", sa.Text),
        sa.Column("phone", sa.Text),
        sa.Column("email", sa.Text),
    )
    op.create_table(
        "members",
        _doc_fk(),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("party", sa.String(16), nullable=False),
        sa.Column("name", sa.Text),
        sa.Column("unit", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("role", sa.Text),
        sa.Column("signed", sa.Boolean, nullable=False),
    )
    op.create_table(
        "opinions",
        _doc_fk(),
        sa.Column("party", sa.String(16), nullable=False),
        sa.Column("text", sa.Text),
        sa.Column("signed", sa.Boolean, nullable=False),
        sa.Column("sealed", sa.Boolean, nullable=False),
        sa.Column("seal_text", sa.Text),
        sa.Column("date", sa.Text),
    )
    op.create_table(
        "readings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _doc_fk(),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("raw", sa.Text),
        sa.Column("value", _json()),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("bbox", _json()),
        sa.Column("options", _json()),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _doc_fk(),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("section", sa.Text, nullable=False),
        sa.Column("field", sa.Text),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("bbox", _json()),
    )


def downgrade() -> None:
    for table in ("findings", "readings", "opinions", "members", "contacts", "parties",
                  "sheets", "documents"):
        op.drop_table(table)
