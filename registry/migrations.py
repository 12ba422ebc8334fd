"""The registry's tables and the migrations that build them, in code (as sqlite-utils does).

`TABLES` describes the schema as migration 1 creates it; later migrations change it with
explicit DDL (never by editing migration 1), so a registry of any age upgrades the same way.
`migrate()` applies the missing ones in order, each in its own transaction, and records
it in `schema_version`: a half-applied migration never stays behind.

Tables (one `documents` row per document; every other table hangs off `document_id`):

- `documents`: id, sha256, root, sources, source_key, status, template, template_version,
  pages, error, timings, processed_at, result (the full `SheetResult` JSON)
- `sheets`: the cover and section-二 values, one row per document
- `parties` / `contacts`: each party's table values / its people (head, contact,
  legal_representative, project_lead)
- `members`, `opinions`, `readings` (every value as read), `findings`
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
    text,
)

metadata = MetaData()


def _doc_fk() -> Column:
    return Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"),
                  nullable=False)


def _json() -> JSON:
    # Plain JSON (not JSONB): PostgreSQL keeps the text as written, key order included.
    return JSON(none_as_null=True)


schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

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
)

CHILD_TABLES = (sheets, parties, contacts, members, opinions, readings, findings)


def _m1_create_tables(conn: Connection) -> None:
    metadata.create_all(conn)


def _m2_lookup_indexes(conn: Connection) -> None:
    # is_done() and every per-document delete look these up; without them they scan.
    # Plain DDL: an `Index` object would attach itself to `metadata` and so to migration 1.
    ddl = ["CREATE INDEX ix_documents_hash_version ON documents (sha256, template_version)",
           "CREATE INDEX ix_documents_source_key ON documents (root, source_key)",
           "CREATE INDEX ix_findings_code ON findings (code)"]
    ddl += [f"CREATE INDEX ix_{t.name}_document ON {t.name} (document_id)" for t in CHILD_TABLES[1:]]
    for statement in ddl:
        conn.execute(text(statement))


Migration = Callable[[Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = [
    ("create tables", _m1_create_tables),
    ("lookup indexes", _m2_lookup_indexes),
]
LATEST = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    """The highest applied migration, 0 for an empty database."""
    if not inspect(conn).has_table("schema_version"):
        return 0
    return conn.execute(select(schema_version.c.version).order_by(
        schema_version.c.version.desc()).limit(1)).scalar() or 0


def migrate(engine: Engine, target: int = LATEST) -> int:
    """Apply the migrations up to `target`, each in one transaction; return the version."""
    version = 0
    for number, (description, step) in enumerate(MIGRATIONS[:target], start=1):
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Two processes opening a fresh registry at once must not both migrate.
                conn.execute(text("SELECT pg_advisory_xact_lock(4815162342)"))
            version = current_version(conn)
            if version >= number:
                continue
            step(conn)
            conn.execute(schema_version.insert().values(
                version=number, description=description, applied_at=datetime.now(UTC)))
            version = number
    return version
