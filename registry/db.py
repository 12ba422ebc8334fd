"""The registry: every processed document in a real database, SQLite or PostgreSQL.

One `store()` is one transaction: a document is in the registry whole or not at all, so
a batch killed at any moment leaves nothing half-written. The full `SheetResult` is kept
as JSON next to the relational rows, so `results()` gives back exactly what was stored
while the tables (see `registry.tables`) serve SQL queries and the flat exports. Opening a
registry creates or upgrades its schema (`registry.migrations`, with Alembic).

Identity is content: a document is its content hash, and a record is never deleted because
another file now has its name. When a new document is stored at the very paths of an older
readable record of the same scan folder, the older record stays, with an info finding
`source_replaced` saying so (a `failed` record there is superseded: it described the file
that is gone). A document found again under other paths is `relocate`d, not reprocessed.

SQLite with several writers (two runs on one registry): every write transaction starts
with `BEGIN IMMEDIATE`, so a writer waits for the other (busy timeout `BUSY_TIMEOUT_S`)
instead of failing on a lock upgrade; readers never wait (WAL).

>>> reg = Registry("sqlite://")
>>> reg.is_done("ab" * 32, "2018.1")
False
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, get_args

from sqlalchemy import Connection, create_engine, delete, event, select, update
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool
from tasksheet.registry.migrations import NewerSchemaError, current_version, migrate
from tasksheet.registry.tables import CHILD_TABLES, documents, findings
from tasksheet.schemas.errors import RegistryError, TemplateError
from tasksheet.schemas.record import Finding, Record, Status
from tasksheet.schemas.result import SheetResult

PARTIES = ("commissioning", "undertaking", "coordinating")
CONNECT_TIMEOUT_S = 5
BUSY_TIMEOUT_S = 60  # SQLite: how long a writer waits for another run's transaction
REPLACED_CODE = "source_replaced"
_IMMEDIATE = "tasksheet_immediate"  # execution option: this transaction will write
MIGRATE_TRIES = 5  # SQLite: a fresh registry migrated by two runs at once


@dataclass(frozen=True)
class Stored:
    """What the registry holds for one content hash (at one template version)."""

    id: str
    status: str
    error: str | None
    root: str | None
    sources: list[str]
    pages: int


def normalize_url(url: str) -> URL:
    """Parse a registry URL; `postgresql://` and `postgres://` get the psycopg 3 driver.

    A bare filesystem path is taken as a SQLite file, which is what people type.
    """
    if "://" not in url:
        url = f"sqlite:///{Path(url).resolve()}"
    elif url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise RegistryError(f"not a database URL: {url!r}") from exc
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL (None for PostgreSQL or in-memory SQLite)."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _reason(exc: BaseException) -> str:
    """The first line of the driver's message, without SQLAlchemy's boilerplate."""
    orig = getattr(exc, "orig", None) or exc
    lines = [ln.strip() for ln in str(orig).splitlines() if ln.strip()]
    return lines[0] if lines else type(orig).__name__


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def make_engine(url: URL) -> Engine:
    """An engine with the settings every registry connection needs (WAL, real transactions)."""
    if url.get_backend_name() == "sqlite":
        memory = url.database in (None, "", ":memory:")
        engine = create_engine(url, json_serializer=_dumps,
                               poolclass=StaticPool if memory else None,
                               connect_args={"timeout": BUSY_TIMEOUT_S})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
            # pysqlite's own transaction handling skips DDL and defers BEGIN; take it over
            # (SQLAlchemy's documented recipe) so migrations and stores are really atomic.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
            if not memory:
                cur.execute("PRAGMA journal_mode=WAL")  # readers (reports) never block the writer
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            # A transaction that will write takes the write lock at once: upgrading a read
            # lock later fails at once with "database is locked" when another connection
            # wrote meanwhile, whatever the busy timeout. Reads stay deferred (WAL readers
            # never wait).
            immediate = conn.get_execution_options().get(_IMMEDIATE)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    if url.get_backend_name() == "postgresql":
        return create_engine(url, json_serializer=_dumps, pool_pre_ping=True,
                             connect_args={"connect_timeout": CONNECT_TIMEOUT_S})
    return create_engine(url, json_serializer=_dumps)


@cache
def _template_version(name: str) -> str | None:
    from tasksheet.schemas.template import load_template

    try:
        return load_template(name).version
    except TemplateError:
        return None


class Registry:
    """A database of processed documents, created and migrated on open."""

    def __init__(self, url: str) -> None:
        parsed = normalize_url(url)
        self.url = parsed.render_as_string(hide_password=True)
        try:
            self._engine = make_engine(parsed)
            self._migrate()
        except NewerSchemaError as exc:
            raise RegistryError(f"registry {self.url} {exc}") from exc
        except (NoSuchModuleError, ArgumentError) as exc:
            raise RegistryError(f"unsupported registry URL {self.url}: {_reason(exc)}") from exc
        except SQLAlchemyError as exc:
            raise RegistryError(f"cannot open registry {self.url}: {_reason(exc)}") from exc

    def _migrate(self) -> None:
        """Create or upgrade the schema. Two runs opening one fresh SQLite file at once: the
        second one's revision fails (its tables now exist); it reads the version again and
        goes on from there (SQLite has no advisory lock; PostgreSQL's migrate() takes one)."""
        sqlite = self._engine.dialect.name == "sqlite"
        for attempt in range(MIGRATE_TRIES):
            try:
                migrate(self._engine.execution_options(**{_IMMEDIATE: True}) if sqlite
                        else self._engine)
                return
            except OperationalError:
                if not sqlite or attempt == MIGRATE_TRIES - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
                with self._engine.connect() as conn:
                    current_version(conn)

    @property
    def engine(self) -> Engine:
        return self._engine

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction (`BEGIN IMMEDIATE` on SQLite)."""
        with self._engine.connect() as conn:
            conn.execution_options(**{_IMMEDIATE: True})
            with conn.begin():
                yield conn

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queries ---------------------------------------------------------------------------

    def is_done(self, sha256: str, template_version: str) -> bool:
        """True if a document with this content was stored at this template version."""
        q = select(documents.c.id).where(documents.c.sha256 == sha256,
                                         documents.c.template_version == template_version)
        with self._guard("query"), self._engine.connect() as conn:
            return conn.execute(q.limit(1)).first() is not None

    def lookup(self, shas: Iterable[str], template_version: str) -> dict[str, Stored]:
        """What is stored for each of these content hashes at this template version."""
        wanted = list(dict.fromkeys(shas))
        out: dict[str, Stored] = {}
        c = documents.c
        with self._guard("query"), self._engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                q = select(c.sha256, c.id, c.status, c.error, c.root, c.sources, c.pages).where(
                    c.sha256.in_(wanted[i:i + 500]), c.template_version == template_version)
                for row in conn.execute(q.order_by(c.processed_at)):
                    out[row.sha256] = Stored(id=row.id, status=row.status, error=row.error,
                                             root=row.root, sources=list(row.sources or []),
                                             pages=row.pages)
        return out

    def results(self, status: str | None = None) -> list[SheetResult]:
        """Every stored result (optionally of one status), exactly as stored, by source path."""
        q = select(documents.c.result).order_by(documents.c.source_key, documents.c.id)
        if status is not None:
            q = q.where(documents.c.status == status)
        with self._guard("query"), self._engine.connect() as conn:
            return [SheetResult.model_validate(row[0]) for row in conn.execute(q)]

    def records(self, status: str | None = None) -> list[Record]:
        """The exported records (RECORD.md) of `results()`."""
        return [r.to_record() for r in self.results(status)]

    def statuses(self, ids: Iterable[str]) -> dict[str, str]:
        """Status of each of these document ids that is stored (for batch summaries)."""
        wanted = list(ids)
        out: dict[str, str] = {}
        with self._guard("query"), self._engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                q = select(documents.c.id, documents.c.status).where(
                    documents.c.id.in_(wanted[i:i + 500]))
                out.update({row.id: row.status for row in conn.execute(q)})
        return out

    # -- writes ----------------------------------------------------------------------------

    def store(self, result: SheetResult, *, root: str | None = None) -> None:
        """Store one document in one transaction, replacing any older record of its id.

        With `root` (the scanned folder), an older record of that folder at exactly these
        source paths but of other content stays, marked `source_replaced` (a `failed` one
        is deleted: the file it could not read is gone).
        """
        record = result.to_record()
        source_key = _source_key(result.sources)
        doc_row = {
            "id": result.id, "sha256": result.sha256, "root": root, "sources": result.sources,
            "source_key": source_key, "status": result.status, "template": result.template,
            "template_version": _template_version(result.template), "pages": len(result.pages),
            "error": result.error, "timings": result.timings,
            "processed_at": datetime.now(UTC), "result": result.model_dump(mode="json"),
        }
        rows = _child_rows(result, record)
        with self._guard("store"), self._writing() as conn:
            stale = {result.id}
            if root is not None:
                for old_id, status, old in _same_place(conn, root, result.sources):
                    if old_id == result.id:
                        continue
                    if status == "failed":
                        stale.add(old_id)
                    else:
                        _mark_replaced(conn, old_id, old, result)
            _delete_documents(conn, stale)
            conn.execute(documents.insert(), [doc_row])
            for table in CHILD_TABLES:
                if rows[table.name]:
                    # executemany takes its columns from the first row: give every row all.
                    cols = [c.name for c in table.columns if c.name not in ("id", "document_id")]
                    conn.execute(table.insert(), [
                        {"document_id": result.id, **{c: r.get(c) for c in cols}}
                        for r in rows[table.name]])

    def relocate(self, doc_id: str, sources: list[str], root: str | None) -> None:
        """The document's files are now at `sources` (renamed or moved): record that, and
        drop a `source_replaced` mark it may carry (it is current again)."""
        with self._guard("relocate"), self._writing() as conn:
            stored = conn.execute(select(documents.c.result).where(
                documents.c.id == doc_id)).scalar()
            if stored is None:
                raise RegistryError(f"no document {doc_id!r} in the registry")
            result = SheetResult.model_validate(stored)
            result.sources = list(sources)
            kept = [f for f in result.findings if f.code != REPLACED_CODE]
            if kept != result.findings:
                _set_findings(conn, doc_id, result, kept)
            conn.execute(update(documents).where(documents.c.id == doc_id).values(
                sources=list(sources), source_key=_source_key(sources), root=root,
                result=result.model_dump(mode="json")))

    def update_findings(self, doc_id: str, findings_: list[Finding], status: str) -> None:
        """Replace a stored document's findings and status (after batch-level checks)."""
        with self._guard("update"), self._writing() as conn:
            stored = conn.execute(select(documents.c.result).where(
                documents.c.id == doc_id).with_for_update()).scalar()
            if stored is None:
                raise RegistryError(f"no document {doc_id!r} in the registry")
            if status not in get_args(Status):
                raise RegistryError(f"not a status: {status!r}")
            result = SheetResult.model_validate(stored)
            result.status = status  # type: ignore[assignment]
            _set_findings(conn, doc_id, result, list(findings_))

    def delete(self, doc_ids: Iterable[str]) -> None:
        """Remove documents and all their rows, in one transaction."""
        with self._guard("delete"), self._writing() as conn:
            _delete_documents(conn, set(doc_ids))

    def _guard(self, what: str) -> _Guard:
        return _Guard(f"registry {self.url}: {what} failed")


class _Guard:
    """Turn database errors into one-line `RegistryError`s."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __enter__(self) -> None:
        return None

    def __exit__(self, typ: type | None, exc: BaseException | None, _tb: object) -> None:
        if exc is not None and isinstance(exc, SQLAlchemyError):
            raise RegistryError(f"{self.prefix}: {_reason(exc)}") from exc


def _source_key(sources: list[str]) -> str:
    """The sorted sources, newline-joined: an index to look up, never proof (a name may
    hold a newline); `_same_place` compares the lists themselves."""
    return "\n".join(sorted(sources))


def _same_place(conn: Connection, root: str, sources: list[str]) -> list[tuple[str, str, Any]]:
    """(id, status, result JSON) of the records of `root` at exactly these source paths."""
    c = documents.c
    q = select(c.id, c.status, c.sources, c.result).where(
        c.root == root, c.source_key == _source_key(sources))
    return [(row.id, row.status, row.result) for row in conn.execute(q)
            if sorted(row.sources or []) == sorted(sources)]


def _mark_replaced(conn: Connection, doc_id: str, stored: Any, new: SheetResult) -> None:
    """Keep an older record whose paths now hold other content, with a finding saying so."""
    old = SheetResult.model_validate(stored)
    if any(f.code == REPLACED_CODE for f in old.findings):
        return
    where = "、".join(new.sources)
    note = Finding(code=REPLACED_CODE, severity="info", section="document", field=None,
                   message=f"来源文件已被新内容取代：{where} 现为文档 {new.id}；本记录保留为历史")
    _set_findings(conn, doc_id, old, [*old.findings, note])


def _set_findings(conn: Connection, doc_id: str, result: SheetResult,
                  findings_: list[Finding]) -> None:
    """Replace a document's findings (rows and JSON), status as `result` has it."""
    result.findings = findings_
    conn.execute(update(documents).where(documents.c.id == doc_id).values(
        status=result.status, result=result.model_dump(mode="json")))
    conn.execute(delete(findings).where(findings.c.document_id == doc_id))
    if findings_:
        conn.execute(findings.insert(), [{"document_id": doc_id, **_finding_row(f)}
                                         for f in findings_])


def _delete_documents(conn: Connection, ids: set[str]) -> None:
    # Explicit child deletes: correct even on a connection where cascades are off.
    for table in CHILD_TABLES:
        conn.execute(delete(table).where(table.c.document_id.in_(ids)))
    conn.execute(delete(documents).where(documents.c.id.in_(ids)))


def _finding_row(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "severity": f.severity, "section": f.section, "field": f.field,
            "message": f.message, "page": f.page, "bbox": list(f.bbox) if f.bbox else None}


def _child_rows(result: SheetResult, rec: Record) -> dict[str, list[dict[str, Any]]]:
    """The relational rows of one document, keyed by table name."""
    c = rec.cover
    out: dict[str, list[dict[str, Any]]] = {t.name: [] for t in CHILD_TABLES}
    out["sheets"].append({"project_name": c.project_name, "commissioning_unit": c.commissioning_unit,
                          "undertaking_unit": c.undertaking_unit,
                          "coordinating_unit": c.coordinating_unit, "month": c.month,
                          "content": rec.content})
    u, m, k = rec.undertaking, rec.commissioning, rec.coordinating
    out["parties"] += [
        {"party": "commissioning", "department": m.department,
         "cooperation_mode": m.cooperation_mode.ticked, "funding_ticked": m.funding_support.ticked,
         "funding_amount_wan": m.funding_support.amount_wan,
         "funding_nature": m.funding_nature.ticked, "funding_other_text": m.funding_nature.other_text,
         "funding_source": m.funding_source.ticked, "policy_support_ticked": m.policy_support.ticked},
        {"party": "undertaking", "funding_ticked": u.self_funding.ticked,
         "funding_amount_wan": u.self_funding.amount_wan},
        {"party": "coordinating", "department": k.department,
         "funding_ticked": k.funding_support.ticked, "funding_amount_wan": k.funding_support.amount_wan,
         "funding_nature": k.funding_nature.ticked, "funding_other_text": k.funding_nature.other_text,
         "funding_source": k.funding_source.ticked, "policy_support_text": k.policy_support},
    ]
    for party, p in (("commissioning", m), ("coordinating", k)):
        out["contacts"] += [
            {"party": party, "role": "head", "name": p.head},
            {"party": party, "role": "contact", "name": p.contact, "mobile": p.mobile,
             "phone": p.phone, "email": p.email},
        ]
    for role in ("legal_representative", "project_lead"):
        out["contacts"].append({"party": "undertaking", "role": role,
                                **getattr(u, role).model_dump()})
    out["members"] = [{"idx": i, **mem.model_dump()} for i, mem in enumerate(rec.members)]
    out["opinions"] = [{"party": p, **getattr(rec.opinions, p).model_dump()} for p in PARTIES]
    for field_id, r in result.readings.items():
        out["readings"].append(_reading_row(field_id, r))
    for i, row in enumerate(result.members):
        for key, r in row.cells.items():
            out["readings"].append(_reading_row(f"members.{i}.{key}", r))
    out["findings"] = [_finding_row(f) for f in result.findings]
    return out


def _reading_row(field_id: str, r: Any) -> dict[str, Any]:
    return {"field": field_id, "raw": r.raw, "value": r.value, "confidence": r.confidence,
            "page": r.page, "bbox": list(r.bbox) if r.bbox else None,
            "options": [o.model_dump(mode="json") for o in r.options] or None}
