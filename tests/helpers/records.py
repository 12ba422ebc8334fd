"""Results and registries for the tests: a hand-built result touching every kind of value,
and a fresh PostgreSQL database per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

from tasksheet.registry.db import normalize_url
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


def pg_database() -> Iterator[str]:
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
