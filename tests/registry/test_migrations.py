"""Registry migrations with Alembic, on SQLite and PostgreSQL.

A fresh registry must reach exactly the schema the old hand-written runner built; a registry
made by that runner (a `schema_version` table at version 1 or 2) must upgrade to the same
schema with its data; migrating twice does nothing. The old runner is frozen below
(`_legacy_migrate`), copied from registry/migrations.py as it was before Alembic.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import tasksheet.registry.migrations as m
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from helpers.records import PG_URL, make_result, pg_database
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
    inspect,
    text,
)
from tasksheet.registry.db import Registry, _child_rows, make_engine, normalize_url
from tasksheet.registry.tables import metadata
from tasksheet.schemas.errors import RegistryError

BOOKKEEPING = {"schema_version", "alembic_version"}


# -- the old runner, frozen ------------------------------------------------------------------

_old = MetaData()


def _old_fk() -> Column:
    return Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"),
                  nullable=False)


def _old_json() -> JSON:
    return JSON(none_as_null=True)


_old_schema_version = Table(
    "schema_version", _old,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)
Table("documents", _old,
      Column("id", String(64), primary_key=True), Column("sha256", String(64), nullable=False),
      Column("root", Text), Column("sources", _old_json(), nullable=False),
      Column("source_key", Text, nullable=False), Column("status", String(16), nullable=False),
      Column("template", String(64), nullable=False), Column("template_version", String(32)),
      Column("pages", Integer, nullable=False), Column("error", Text),
      Column("timings", _old_json()),
      Column("processed_at", DateTime(timezone=True), nullable=False),
      Column("result", _old_json(), nullable=False))
Table("sheets", _old,
      Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"),
             primary_key=True),
      *[Column(c, Text) for c in ("project_name", "commissioning_unit", "undertaking_unit",
                                  "coordinating_unit", "month", "content")])
Table("parties", _old, _old_fk(), Column("party", String(16), nullable=False),
      Column("department", Text), Column("cooperation_mode", _old_json()),
      Column("funding_ticked", _old_json()), Column("funding_amount_wan", Text),
      Column("funding_nature", _old_json()), Column("funding_other_text", Text),
      Column("funding_source", _old_json()), Column("policy_support_ticked", _old_json()),
      Column("policy_support_text", Text))
Table("contacts", _old, _old_fk(), Column("party", String(16), nullable=False),
      Column("role", String(32), nullable=False),
      *[Column(c, Text) for c in ("name", "mobile", "phone", "email")])
Table("members", _old, _old_fk(), Column("idx", Integer, nullable=False),
      Column("party", String(16), nullable=False),
      *[Column(c, Text) for c in ("name", "unit", "title", "role")],
      Column("signed", Boolean, nullable=False))
Table("opinions", _old, _old_fk(), Column("party", String(16), nullable=False),
      Column("text", Text), Column("signed", Boolean, nullable=False),
      Column("sealed", Boolean, nullable=False), Column("seal_text", Text), Column("date", Text))
Table("readings", _old, Column("id", Integer, primary_key=True, autoincrement=True), _old_fk(),
      Column("field", Text, nullable=False), Column("raw", Text), Column("value", _old_json()),
      Column("confidence", Float, nullable=False), Column("page", Integer),
      Column("bbox", _old_json()), Column("options", _old_json()))
Table("findings", _old, Column("id", Integer, primary_key=True, autoincrement=True), _old_fk(),
      Column("code", String(64), nullable=False), Column("severity", String(16), nullable=False),
      Column("section", Text, nullable=False), Column("field", Text),
      Column("message", Text, nullable=False), Column("page", Integer),
      Column("bbox", _old_json()))
_OLD_CHILDREN = ("sheets", "parties", "contacts", "members", "opinions", "readings", "findings")


def _old_m2(conn: Any) -> None:
    ddl = ["CREATE INDEX ix_documents_hash_version ON documents (sha256, template_version)",
           "CREATE INDEX ix_documents_source_key ON documents (root, source_key)",
           "CREATE INDEX ix_findings_code ON findings (code)"]
    ddl += [f"CREATE INDEX ix_{t}_document ON {t} (document_id)" for t in _OLD_CHILDREN[1:]]
    for statement in ddl:
        conn.execute(text(statement))


_OLD_MIGRATIONS = [("create tables", _old.create_all), ("lookup indexes", _old_m2)]


def _legacy_migrate(engine: Engine, target: int = len(_OLD_MIGRATIONS)) -> None:
    """The old `migrate()`: each migration in a transaction, recorded in schema_version."""
    for number, (description, step) in enumerate(_OLD_MIGRATIONS[:target], start=1):
        with engine.begin() as conn:
            version = 0
            if inspect(conn).has_table("schema_version"):
                version = conn.execute(text("SELECT max(version) FROM schema_version")).scalar()
            if version >= number:
                continue
            step(conn)
            conn.execute(_old_schema_version.insert().values(
                version=number, description=description, applied_at=datetime.now(UTC)))


def _legacy_store(engine: Engine, doc_id: str) -> None:
    """Store a document the way the old `Registry.store()` did (same rows)."""
    result = make_result(doc_id)
    rows = _child_rows(result, result.to_record())
    with engine.begin() as conn:
        conn.execute(_old.tables["documents"].insert(), [{
            "id": result.id, "sha256": result.sha256, "root": "/scans", "sources": result.sources,
            "source_key": "\n".join(sorted(result.sources)), "status": result.status,
            "template": result.template, "template_version": "2018.1",
            "pages": len(result.pages), "error": result.error, "timings": result.timings,
            "processed_at": datetime.now(UTC), "result": result.model_dump(mode="json")}])
        for name in _OLD_CHILDREN:
            table = _old.tables[name]
            cols = [c.name for c in table.columns if c.name not in ("id", "document_id")]
            if rows[name]:
                conn.execute(table.insert(), [{"document_id": doc_id, **{c: r.get(c) for c in cols}}
                                              for r in rows[name]])


# -- helpers ---------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Make empty databases of one kind: each call gives the URL of another."""
    if request.param == "postgres" and not PG_URL:
        pytest.skip("TASKSHEET_TEST_PG_URL is not set: run `export TASKSHEET_TEST_PG_URL=$(./scripts/pg.sh)`")
    with ExitStack() as stack:
        count = iter(range(1000))

        def make() -> str:
            if request.param == "sqlite":
                return f"sqlite:///{tmp_path / f'registry-{next(count)}.sqlite'}"
            gen = pg_database()
            stack.callback(gen.close)
            return next(gen)

        yield make


def _engine(url: str) -> Engine:
    return make_engine(normalize_url(url))


def _schema(engine: Engine) -> dict[str, Any]:
    """What inspect() sees: columns, keys and indexes of every table but the bookkeeping."""
    insp = inspect(engine)
    out: dict[str, Any] = {}
    for t in sorted(set(insp.get_table_names()) - BOOKKEEPING):
        out[t] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], c.get("default"),
                         c.get("autoincrement")) for c in insp.get_columns(t)],
            "pk": insp.get_pk_constraint(t),
            "fks": sorted(insp.get_foreign_keys(t), key=str),
            "indexes": sorted(insp.get_indexes(t), key=lambda i: i["name"]),
            "uniques": insp.get_unique_constraints(t),
        }
    return out


def _sqlite_ddl(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(r[0] for r in conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL") if
            not any(t in r[0] for t in BOOKKEEPING))


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


# -- tests -----------------------------------------------------------------------------------


def test_revisions_are_the_old_migrations() -> None:
    assert m.revisions()[:2] == ["0001", "0002"]  # then 0003: the review tables (#19)
    assert m.LATEST == len(m.revisions()) == 3
    assert m.LEGACY_REVISIONS == {1: "0001", 2: "0002"}


def test_fresh_registry_has_exactly_the_old_schema(new_db: Callable[[], str]) -> None:
    old, new = _engine(new_db()), _engine(new_db())
    try:
        _legacy_migrate(old)
        assert m.migrate(new, target=2) == 2
        assert _tables(old) - _tables(new) == {"schema_version"}
        assert _tables(new) - _tables(old) == {"alembic_version"}
        assert _schema(new) == _schema(old)
        assert len(_schema(new)) == 8
        if new.dialect.name == "sqlite":
            assert _sqlite_ddl(new) == _sqlite_ddl(old)  # the very same CREATE statements
        assert _revision(new) == "0002"
    finally:
        old.dispose()
        new.dispose()


def test_each_revision_matches_the_old_version(new_db: Callable[[], str]) -> None:
    for version in sorted(m.LEGACY_REVISIONS):  # the later revisions have no old version
        old, new = _engine(new_db()), _engine(new_db())
        try:
            _legacy_migrate(old, target=version)
            assert m.migrate(new, target=version) == version
            assert _schema(new) == _schema(old)
        finally:
            old.dispose()
            new.dispose()


def test_tables_module_matches_head(new_db: Callable[[], str]) -> None:
    """`registry.tables` (what the program queries) is what the revisions build."""
    engine = _engine(new_db())
    try:
        m.migrate(engine)
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    finally:
        engine.dispose()


@pytest.mark.parametrize("version", [1, 2])
def test_old_registry_upgrades_with_its_data(new_db: Callable[[], str], version: int) -> None:
    url, fresh_url = new_db(), new_db()
    old = _engine(url)
    _legacy_migrate(old, target=version)
    _legacy_store(old, "aaaaaaaaaaaaaaaa")
    _legacy_store(old, "bbbbbbbbbbbbbbbb")
    counts = {t: _count(old, t) for t in ("documents", *_OLD_CHILDREN)}
    old.dispose()

    reg = Registry(url)  # stamps revision `version`, drops schema_version, upgrades
    try:
        assert _revision(reg.engine) == "0003"
        assert "schema_version" not in _tables(reg.engine)
        assert {t: _count(reg.engine, t) for t in counts} == counts
        assert [r.id for r in reg.results()] == ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]
        assert reg.results()[0] == make_result("aaaaaaaaaaaaaaaa")
        assert reg.is_done(make_result("aaaaaaaaaaaaaaaa").sha256, "2018.1")
        reg.store(make_result("cccccccccccccccc"))
        reg.delete(["aaaaaaaaaaaaaaaa"])
        assert _count(reg.engine, "readings", "aaaaaaaaaaaaaaaa") == 0
        fresh = _engine(fresh_url)
        m.migrate(fresh)
        assert _schema(reg.engine) == _schema(fresh)
        assert _tables(reg.engine) == _tables(fresh)
        fresh.dispose()
    finally:
        reg.close()


def test_migrate_twice_is_a_no_op(new_db: Callable[[], str]) -> None:
    engine = _engine(new_db())
    try:
        assert m.migrate(engine) == m.LATEST
        before = _schema(engine)
        statements: list[str] = []
        event.listen(engine, "before_cursor_execute",
                     lambda _c, _cur, statement, *_a: statements.append(statement))
        assert m.migrate(engine) == m.LATEST
        writes = [s for s in statements
                  if s.split()[0].upper() in ("CREATE", "ALTER", "DROP", "INSERT", "UPDATE",
                                              "DELETE")]
        assert writes == []
        assert _schema(engine) == before
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        engine.dispose()
    url = new_db()
    Registry(url).close()
    Registry(url).close()


def test_target_then_head(new_db: Callable[[], str]) -> None:
    """Numbers still work as targets; a lower target never goes down."""
    engine = _engine(new_db())
    try:
        assert m.migrate(engine, target=0) == 0
        assert not inspect(engine).has_table("documents")
        assert m.migrate(engine, target=1) == 1
        assert "ix_documents_hash_version" not in {
            i["name"] for i in inspect(engine).get_indexes("documents")}
        assert m.migrate(engine) == m.LATEST
        assert m.migrate(engine, target=1) == m.LATEST
        assert "ix_documents_hash_version" in {
            i["name"] for i in inspect(engine).get_indexes("documents")}
        with pytest.raises(ValueError):
            m.migrate(engine, target=m.LATEST + 1)
    finally:
        engine.dispose()


def _extra_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    """Point the migrations at a copy of the scripts with a revision after the head."""
    location = tmp_path / "scripts"
    shutil.copytree(m.SCRIPT_LOCATION, location,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (location / "versions" / "9999_extra.py").write_text(
        '"""extra"""\nimport sqlalchemy as sa\nfrom alembic import op\n\n'
        f'revision = "9999"\ndown_revision = "{m.revisions()[-1]}"\nbranch_labels = None\n'
        'depends_on = None\n\n\n'
        f"def upgrade():\n{body}\n\n\ndef downgrade():\n    pass\n", encoding="utf-8")
    monkeypatch.setattr(m, "SCRIPT_LOCATION", location)


def test_failed_revision_rolls_back(new_db: Callable[[], str], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """DDL is transactional on both (SQLite thanks to the BEGIN recipe in make_engine)."""
    _extra_revision(tmp_path, monkeypatch,
                    '    op.execute("CREATE TABLE half_done (x INTEGER)")\n'
                    '    raise RuntimeError("migration bug")')
    engine = _engine(new_db())
    try:
        with pytest.raises(RuntimeError, match="migration bug"):
            m.migrate(engine, target=m.LATEST + 1)
        assert not inspect(engine).has_table("half_done")
        assert _revision(engine) == "0003"  # the good revisions are each committed
        with engine.connect() as conn:
            assert m.current_version(conn) == m.LATEST
    finally:
        engine.dispose()


def test_batch_revision_on_sqlite_keeps_child_rows(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Batch mode copies `documents`: with foreign keys on, the drop would cascade."""
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    reg = Registry(url)
    reg.store(make_result())
    readings = _count(reg.engine, "readings")
    reg.close()
    _extra_revision(tmp_path, monkeypatch,
                    '    with op.batch_alter_table("documents", recreate="always") as b:\n'
                    '        b.add_column(sa.Column("note", sa.Text))')
    engine = _engine(url)
    try:
        assert m.migrate(engine, target=m.LATEST + 1) == m.LATEST + 1
        assert "note" in {c["name"] for c in inspect(engine).get_columns("documents")}
        assert _count(engine, "readings") == readings > 0
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_sqlite_revision_breaking_foreign_keys_is_rolled_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    reg = Registry(url)
    reg.store(make_result())
    reg.close()
    _extra_revision(tmp_path, monkeypatch, '    op.execute("DELETE FROM documents")')
    engine = _engine(url)
    try:
        with pytest.raises(RuntimeError, match="without their document"):
            m.migrate(engine, target=m.LATEST + 1)
        assert _count(engine, "documents") == 1
        assert _revision(engine) == "0003"
    finally:
        engine.dispose()


def test_in_memory_registry_keeps_foreign_keys_on() -> None:
    reg = Registry("sqlite://")  # one connection (StaticPool): migrate() must restore the pragma
    with reg.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    reg.close()


def test_newer_registry_is_refused(new_db: Callable[[], str]) -> None:
    url = new_db()
    Registry(url).close()
    engine = _engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    engine.dispose()
    with pytest.raises(RegistryError, match="'0999', unknown to this program.*upgrade tasksheet"):
        Registry(url)


def test_old_registry_of_unknown_version_is_refused(new_db: Callable[[], str]) -> None:
    url = new_db()
    engine = _engine(url)
    _legacy_migrate(engine)
    with engine.begin() as conn:
        conn.execute(_old_schema_version.insert().values(
            version=3, description="from the future", applied_at=datetime.now(UTC)))
    engine.dispose()
    with pytest.raises(RegistryError, match="schema_version 3.*upgrade tasksheet"):
        Registry(url)
    engine = _engine(url)
    assert "schema_version" in _tables(engine)  # left as it was
    assert "alembic_version" not in _tables(engine)
    engine.dispose()


def test_stray_schema_version_from_an_old_program_is_dropped(new_db: Callable[[], str]) -> None:
    """An old program opening a migrated registry makes schema_version, then fails."""
    url = new_db()
    Registry(url).close()
    engine = _engine(url)
    with pytest.raises(Exception, match="ix_documents_hash_version"):
        _legacy_migrate(engine)
    assert "schema_version" in _tables(engine)
    engine.dispose()
    reg = Registry(url)
    try:
        assert "schema_version" not in _tables(reg.engine)
        assert _revision(reg.engine) == "0003"
        reg.store(make_result())
    finally:
        reg.close()


def _count(engine: Engine, table: str, doc_id: str | None = None) -> int:
    q = f"SELECT count(*) FROM {table}" + (" WHERE document_id = :d" if doc_id else "")
    with engine.connect() as conn:
        return conn.execute(text(q), {"d": doc_id}).scalar_one()

