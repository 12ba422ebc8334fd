"""The registry on SQLite and on a real PostgreSQL: store, supersede, round trip.

Schema migrations (Alembic) are tested in test_migrations.py.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text
from tasksheet.registry.db import Registry, normalize_url
from tasksheet.registry.tables import documents
from tasksheet.schemas.errors import RegistryError
from tasksheet.schemas.record import Finding
from tasksheet.schemas.result import MemberRow, OptionMark, PageInfo, Reading, SheetResult

PG_URL = os.environ.get("TASKSHEET_TEST_PG_URL")


def make_result(doc_id: str = "0123456789abcdef", sha: str | None = None,
                sources: list[str] | None = None, project: str = "成都市青少年科技创新试点项目",
                status: str = "incomplete") -> SheetResult:
    """A hand-built result that touches every kind of value the registry must keep."""
    sha = sha or (doc_id * 4)[:64]
    r = SheetResult(id=doc_id, sources=sources or [f"扫描/{doc_id}.pdf"], sha256=sha,
                    template="task_sheet_2018", status=status,  # type: ignore[arg-type]
                    timings={"ingest": 0.5, "extract": 2.25})
    r.pages = [PageInfo(index=i, source=r.sources[0], form_page=f"p{i}", rotation=90 * (i % 2),
                        skew=0.4, width=1654, height=2339, dpi=200.0) for i in range(1, 4)]
    r.readings = {
        "cover.project_name": Reading(raw=project, value=project, confidence=0.97, page=1,
                                      bbox=(100, 200, 900, 260)),
        "cover.month": Reading(raw="5月", value="5", confidence=0.9, page=1),
        "commissioning.department": Reading(raw="—", value="—", confidence=0.99, page=2),
        "commissioning.funding_support": Reading(
            raw=None, value=["有"], confidence=0.88, page=2, bbox=(10, 20, 30, 40),
            options=[OptionMark(label="有", ticked=True, score=0.9, bbox=(10, 20, 30, 40)),
                     OptionMark(label="无", ticked=False, score=0.1, bbox=(50, 20, 70, 40))]),
        "commissioning.funding_support.amount_wan": Reading(raw="20万元", value="20", page=2),
        "undertaking.project_lead.name": Reading(raw="张三", value="张三", page=2),
        "undertaking.project_lead.mobile": Reading(raw="138 0000 0000", value="13800000000"),
        "coordinating.policy_support": Reading(raw="场地支持", value="场地支持", page=3),
        "opinions.undertaking.signed": Reading(value=True, confidence=0.8, page=3),
        "opinions.undertaking.sealed": Reading(value=False, confidence=0.7, page=3),
        "opinions.undertaking.seal_text": Reading(raw=None, value=None, confidence=0.0),
        "opinions.undertaking.date": Reading(raw="2018年6月12日", value="2018-06-12", page=3),
        "content": Reading(raw="开展科普活动。\n第二行", value="开展科普活动。\n第二行", page=2),
    }
    r.members = [
        MemberRow(party="commissioning", index=0, cells={
            "name": Reading(raw="李四", value="李四", page=3, bbox=(1, 2, 3, 4)),
            "unit": Reading(raw="成都市科学技术协会", value="成都市科学技术协会"),
            "signed": Reading(value=True, confidence=0.6)}),
        MemberRow(party="undertaking", index=0, cells={
            "name": Reading(raw="John Smith", value="John Smith"),
            "signed": Reading(value=False)}),
    ]
    r.findings = [
        Finding(code="missing_seal", severity="error", section="opinions",
                field="opinions.undertaking.sealed", message="承担单位意见未盖公章", page=3,
                bbox=(5, 6, 7, 8)),
        Finding(code="low_confidence", severity="warning", section="members",
                field="members.0.signed", message="签字不清，请人工核对"),
    ]
    return r


def _pg_database() -> Iterator[str]:
    """A fresh database on the test server, dropped afterwards: tests never see each other."""
    import psycopg

    admin = normalize_url(PG_URL or "")
    name = f"tasksheet_test_{uuid.uuid4().hex[:10]}"
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.sqlite'}"
        return
    if not PG_URL:
        pytest.skip("TASKSHEET_TEST_PG_URL is not set: run `export TASKSHEET_TEST_PG_URL=$(./scripts/pg.sh)`")
    yield from _pg_database()


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
