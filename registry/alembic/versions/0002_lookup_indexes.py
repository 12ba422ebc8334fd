"""lookup indexes: the old migration 2

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-01

is_done() and every per-document delete look these up; without them they scan.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (name, table, columns), in the order the old migration 2 created them.
INDEXES = [
    ("ix_documents_hash_version", "documents", ["sha256", "template_version"]),
    ("ix_documents_source_key", "documents", ["root", "source_key"]),
    ("ix_findings_code", "findings", ["code"]),
    *[(f"ix_{t}_document", t, ["document_id"])
      for t in ("parties", "contacts", "members", "opinions", "readings", "findings")],
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
