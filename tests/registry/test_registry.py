"""The registry on SQLite and on a real PostgreSQL: store, supersede, round trip.

Schema migrations (Alembic) are tested in test_migrations.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers.records import PG_URL, make_result, pg_database
from sqlalchemy import select, text
from tasksheet.registry.db import Registry, normalize_url
from tasksheet.registry.tables import documents
from tasksheet.schemas.errors import RegistryError
from tasksheet.schemas.record import Finding


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.sqlite'}"
        return
    if not PG_URL:
        pytest.skip("TASKSHEET_TEST_PG_URL is not set: run `export TASKSHEET_TEST_PG_URL=$(./scripts/pg.sh)`")
    yield from pg_database()


@pytest.fixture
def reg(db_url: str) -> Iterator[Registry]:
    r = Registry(db_url)
    yield r
    r.close()


def _count(reg: Registry, table: str, doc_id: str | None = None) -> int:
    q = f"SELECT count(*) FROM {table}" + (" WHERE document_id = :d" if doc_id else "")
    with reg.engine.connect() as conn:
        return conn.execute(text(q), {"d": doc_id}).scalar_one()


def test_store_and_results_round_trip_exactly(reg: Registry) -> None:
    result = make_result()
    reg.store(result)
    [back] = reg.results()
    assert back == result
    assert back.readings["commissioning.funding_support"].options[0].bbox == (10, 20, 30, 40)
    assert list(back.readings) == list(result.readings)  # order kept too (plain JSON, not JSONB)
    assert reg.records() == [result.to_record()]
    assert reg.records()[0].cover.project_name == "成都市青少年科技创新试点项目"


def test_relational_rows(reg: Registry) -> None:
    result = make_result()
    reg.store(result)
    doc = result.id
    assert _count(reg, "sheets", doc) == 1
    assert _count(reg, "parties", doc) == 3
    assert _count(reg, "contacts", doc) == 6
    assert _count(reg, "members", doc) == 2
    assert _count(reg, "opinions", doc) == 3
    assert _count(reg, "readings", doc) == len(result.readings) + 5
    assert _count(reg, "findings", doc) == 2
    with reg.engine.connect() as conn:
        row = conn.execute(text("SELECT project_name FROM sheets")).one()
        assert row[0] == "成都市青少年科技创新试点项目"
        lead = conn.execute(text("SELECT name, mobile FROM contacts WHERE party='undertaking' "
                                 "AND role='project_lead'")).one()
        assert tuple(lead) == ("张三", "13800000000")
        op = conn.execute(text("SELECT signed, sealed, date FROM opinions "
                               "WHERE party='undertaking'")).one()
        assert tuple(op) == (True, False, "2018-06-12")
        funding = conn.execute(text("SELECT funding_ticked, funding_amount_wan FROM parties "
                                    "WHERE party='commissioning'")).one()
        assert funding[1] == "20"
        member = conn.execute(text("SELECT field, raw FROM readings WHERE field='members.0.name'")).one()
        assert tuple(member) == ("members.0.name", "李四")
        f = conn.execute(select(documents.c.template_version, documents.c.pages)).one()
        assert tuple(f) == ("2018.1", 3)


def test_store_supersedes_same_id_and_is_done(reg: Registry) -> None:
    first = make_result(project="旧项目")
    reg.store(first)
    assert reg.is_done(first.sha256, "2018.1")
    assert not reg.is_done(first.sha256, "2019.1")
    assert not reg.is_done("f" * 64, "2018.1")
    second = make_result(project="新项目", status="complete")
    second.findings = second.findings[:1]
    reg.store(second)
    assert reg.results() == [second]
    assert _count(reg, "documents") == 1
    assert _count(reg, "findings") == 1
    assert _count(reg, "sheets") == 1
    assert reg.results("complete") == [second]
    assert reg.results("failed") == []


def test_new_content_at_an_old_path_keeps_the_old_record(reg: Registry) -> None:
    """Identity is content: a reused file name is a new document; the older record stays,
    marked `source_replaced`, whole (a failed record at that path is superseded)."""
    old = make_result("aaaaaaaaaaaaaaaa", sources=["a.pdf"])
    other_folder = make_result("cccccccccccccccc", sources=["a.pdf"])
    reg.store(old, root="/scans/one")
    reg.store(other_folder, root="/scans/two")
    new = make_result("bbbbbbbbbbbbbbbb", sources=["a.pdf"])
    reg.store(new, root="/scans/one")
    results = {r.id: r for r in reg.results()}
    assert sorted(results) == ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "cccccccccccccccc"]
    assert _count(reg, "readings", "aaaaaaaaaaaaaaaa") == len(old.readings) + 5
    kept = results["aaaaaaaaaaaaaaaa"]
    assert kept.status == "incomplete" and kept.findings[:2] == old.findings
    assert [(f.code, f.severity, f.message) for f in kept.findings[2:]] == [
        ("source_replaced", "info",
         "来源文件已被新内容取代：a.pdf 现为文档 bbbbbbbbbbbbbbbb；本记录保留为历史")]
    assert _count(reg, "findings", "aaaaaaaaaaaaaaaa") == 3
    assert [f.code for f in results["cccccccccccccccc"].findings] == [
        "missing_seal", "low_confidence"]  # another folder's a.pdf is not touched
    reg.store(make_result("dddddddddddddddd", sources=["a.pdf"]), root="/scans/one")
    assert sum(f.code == "source_replaced" for r in reg.results() for f in r.findings
               if r.id == "aaaaaaaaaaaaaaaa") == 1  # marked once
    failed = make_result("eeeeeeeeeeeeeeee", sources=["b.pdf"], status="failed")
    reg.store(failed, root="/scans/one")
    reg.store(make_result("ffffffffffffffff", sources=["b.pdf"]), root="/scans/one")
    assert "eeeeeeeeeeeeeeee" not in {r.id for r in reg.results()}


def test_sources_that_join_alike_are_different_places(reg: Registry) -> None:
    """A file named `a.jpg⏎b.jpg` and the loose pages a.jpg + b.jpg: two documents."""
    pages = make_result("aaaaaaaaaaaaaaaa", sources=["a.jpg", "b.jpg"])
    odd = make_result("bbbbbbbbbbbbbbbb", sources=["a.jpg\nb.jpg"])
    reg.store(pages, root="/scans")
    reg.store(odd, root="/scans")
    results = {r.id: r for r in reg.results()}
    assert sorted(results) == ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]
    assert results["aaaaaaaaaaaaaaaa"].findings == pages.findings  # not marked replaced


def test_relocate_updates_the_paths(reg: Registry) -> None:
    result = make_result("aaaaaaaaaaaaaaaa", sources=["a.pdf"])
    reg.store(result, root="/scans")
    reg.store(make_result("bbbbbbbbbbbbbbbb", sources=["a.pdf"]), root="/scans")
    reg.relocate("aaaaaaaaaaaaaaaa", ["archive/a-2018.pdf"], "/scans")
    [back] = [r for r in reg.results() if r.id == "aaaaaaaaaaaaaaaa"]
    assert back.sources == ["archive/a-2018.pdf"]
    assert back.findings == result.findings  # current again: the replaced mark goes
    with reg.engine.connect() as conn:
        row = conn.execute(select(documents.c.sources, documents.c.source_key).where(
            documents.c.id == "aaaaaaaaaaaaaaaa")).one()
    assert (row.sources, row.source_key) == (["archive/a-2018.pdf"], "archive/a-2018.pdf")
    assert reg.lookup([result.sha256], "2018.1")[result.sha256].sources == ["archive/a-2018.pdf"]


def test_update_findings(reg: Registry) -> None:
    result = make_result()
    reg.store(result)
    copy = Finding(code="copy_mismatch", severity="error", section="cover",
                   field="cover.project_name", message="与同项目其他副本不一致：项目名称")
    reg.update_findings(result.id, [*result.findings, copy], "incomplete")
    [back] = reg.results()
    assert back.findings[-1] == copy
    assert _count(reg, "findings", result.id) == 3
    reg.update_findings(result.id, [], "complete")
    assert reg.results("complete")[0].findings == []
    assert _count(reg, "findings") == 0
    with pytest.raises(RegistryError, match="no document"):
        reg.update_findings("nope", [], "complete")
    with pytest.raises(RegistryError, match="not a status"):
        reg.update_findings(result.id, [], "done")


def test_failed_store_leaves_nothing(reg: Registry) -> None:
    """A store that fails midway rolls back: the older record is still there, whole."""
    good = make_result()
    reg.store(good)
    bad = make_result(project="不该留下的项目")

    class Boom(Exception):
        pass

    from sqlalchemy import event

    def fail_on_findings(conn, cursor, statement, params, context, executemany):
        if statement.startswith("INSERT INTO findings"):
            raise Boom("disk on fire")

    event.listen(reg.engine, "before_cursor_execute", fail_on_findings)
    try:
        with pytest.raises(Boom):
            reg.store(bad)
    finally:
        event.remove(reg.engine, "before_cursor_execute", fail_on_findings)
    assert reg.results() == [good]
    assert _count(reg, "readings", good.id) == len(good.readings) + 5


@pytest.mark.parametrize("url, match", [
    ("nonsense://x/y", "unsupported registry URL"),
    ("not a url at all://", "not a database URL"),
    ("postgresql://postgres@127.0.0.1:1/none", "cannot open registry postgresql\\+psycopg"),
    ("sqlite:////nonexistent-dir/deeper/r.sqlite", "cannot open registry"),
])
def test_bad_url_is_a_registry_error(url: str, match: str) -> None:
    with pytest.raises(RegistryError, match=match) as exc:
        Registry(url)
    assert "\n" not in str(exc.value)


def test_url_normalisation(tmp_path) -> None:
    assert normalize_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalize_url(str(tmp_path / "r.sqlite")).database == str(tmp_path / "r.sqlite")


def test_sqlite_uses_wal_and_foreign_keys(tmp_path) -> None:
    reg = Registry(f"sqlite:///{tmp_path / 'r.sqlite'}")
    with reg.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    reg.close()


@pytest.mark.postgres
def test_plain_postgresql_url_gets_psycopg(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    plain = db_url.replace("postgresql+psycopg://", "postgresql://")
    reg = Registry(plain)
    assert reg.engine.dialect.driver == "psycopg"
    reg.store(make_result())
    assert reg.is_done(make_result().sha256, "2018.1")
    reg.close()
