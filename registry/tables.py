"""The registry's tables as the program uses them: the schema at the head revision.

Tables (one `documents` row per document; every other table hangs off `document_id`):

- `documents`: id, sha256, root, sources, source_key, status, template, template_version,
  pages, error, timings, processed_at, result (the full `SheetResult` JSON)
- `sheets`: the cover and section-二 values, one row per document
- `parties` / `contacts`: each party's table values / its people (head, contact,
  legal_representative, project_lead)
- `members`, `opinions`, `readings` (every value as read), `findings`
- `reviews`: a person's review of a document (revision 0003): the reviewed values kept apart
  from the machine's, dismissed and confirmed findings, the disposition (returned / accepted),
  the status and findings after the rules ran again on the reviewed values, and a version
  that every save checks (`registry.reviews`)
- `decisions`: the audit trail, one row per decision: reviewer, time, kind, target, old and
  new value, reason. Neither review table hangs off `documents` by a foreign key: the audit
  outlives a document processed again (`run --force`), whose id is its content

This module describes; it never creates. The database is built and upgraded only by the
Alembic revisions in `registry/alembic/versions/` (see `registry.migrations`). A change
here needs a new revision too: tests/test_migrations.py compares the two.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()


def _doc_fk() -> Column:
    return Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"),
                  nullable=False)


def _doc_index(table: str) -> Index:
    # Every per-document delete looks rows up by document_id; without this it scans.
    return Index(f"ix_{table}_document", "document_id")


def _json() -> JSON:
    # Plain JSON (not JSONB): PostgreSQL keeps the text as written, key order included.
    return JSON(none_as_null=True)


documents = Table(
    "documents", metadata,
    Column("id", String(64), primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("root", Text),  # the scanned folder, when stored by a batch
    Column("sources", _json(), nullable=False),
    Column("source_key", Text, nullable=False),  # sorted sources, newline-joined: comparable
    Column("status", String(16), nullable=False),
    Column("template", String(64), nullable=False),
    Column("template_version", String(32)),
    Column("pages", Integer, nullable=False),
    Column("error", Text),
    Column("timings", _json()),
    Column("processed_at", DateTime(timezone=True), nullable=False),
    Column("result", _json(), nullable=False),
    Index("ix_documents_hash_version", "sha256", "template_version"),  # is_done()
    Index("ix_documents_source_key", "root", "source_key"),  # store(root=...) supersedes
)

sheets = Table(
    "sheets", metadata,
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"),
           primary_key=True),
    Column("project_name", Text),
    Column("commissioning_unit", Text),
    Column("undertaking_unit", Text),
    Column("coordinating_unit", Text),
    Column("month", Text),
    Column("content", Text),
)

parties = Table(
    "parties", metadata,
    _doc_fk(),
    Column("party", String(16), nullable=False),
    Column("department", Text),
    Column("cooperation_mode", _json()),  # ticked labels
    Column("funding_ticked", _json()),  # funding_support, or the undertaking's self_funding
    Column("funding_amount_wan", Text),
    Column("funding_nature", _json()),
    Column("funding_other_text", Text),
    Column("funding_source", _json()),
    Column("policy_support_ticked", _json()),  # commissioning: a checkbox group
    Column("policy_support_text", Text),  # coordinating: free text
    _doc_index("parties"),
)

contacts = Table(
    "contacts", metadata,
    _doc_fk(),
    Column("party", String(16), nullable=False),
    Column("role", String(32), nullable=False),
    Column("name", Text),
    Column("mobile", Text),
    Column("phone", Text),
    Column("email", Text),
    _doc_index("contacts"),
)

members = Table(
    "members", metadata,
    _doc_fk(),
    Column("idx", Integer, nullable=False),  # 0-based index of the exported members list
    Column("party", String(16), nullable=False),
    Column("name", Text),
    Column("unit", Text),
    Column("title", Text),
    Column("role", Text),
    Column("signed", Boolean, nullable=False),
    _doc_index("members"),
)

opinions = Table(
    "opinions", metadata,
    _doc_fk(),
    Column("party", String(16), nullable=False),
    Column("text", Text),
    Column("signed", Boolean, nullable=False),
    Column("sealed", Boolean, nullable=False),
    Column("seal_text", Text),
    Column("date", Text),
    _doc_index("opinions"),
)

readings = Table(
    "readings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("field", Text, nullable=False),
    Column("raw", Text),
    Column("value", _json()),
    Column("confidence", Float, nullable=False),
    Column("page", Integer),
    Column("bbox", _json()),
    Column("options", _json()),
    _doc_index("readings"),
)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _doc_fk(),
    Column("code", String(64), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("section", Text, nullable=False),
    Column("field", Text),
    Column("message", Text, nullable=False),
    Column("page", Integer),
    Column("bbox", _json()),
    Index("ix_findings_code", "code"),
    _doc_index("findings"),
)

CHILD_TABLES = (sheets, parties, contacts, members, opinions, readings, findings)

reviews = Table(
    "reviews", metadata,
    Column("document_id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),  # +1 on every decision: the version check
    Column("state", _json(), nullable=False),  # values, confirmed, dismissed, confirmed_findings
    Column("disposition", String(16)),  # returned | accepted | None
    Column("status", String(16), nullable=False),  # after the re-check on the reviewed values
    Column("findings", _json(), nullable=False),  # ditto, dismissed ones left out
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", Text, nullable=False),
)

decisions = Table(
    "decisions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(64), nullable=False),
    Column("version", Integer, nullable=False),  # the review's version this decision made
    Column("kind", String(32), nullable=False),
    Column("target", Text),  # a field id, a finding key (code|field), or None for the sheet
    Column("old_value", _json()),
    Column("new_value", _json()),
    Column("reason", Text),
    Column("reviewer", Text, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Index("ix_decisions_document", "document_id"),
)

REVIEW_TABLES = (reviews, decisions)
