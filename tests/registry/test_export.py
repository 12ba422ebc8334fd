"""Exports: JSON is exactly Record.export(); CSV and XLSX keep the Chinese."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.records import make_result, pg_database
from tasksheet.checks import check_document
from tasksheet.registry.db import Registry
from tasksheet.registry.export import document_columns, export_records
from tasksheet.schemas.errors import RegistryError, TasksheetError
from tasksheet.schemas.record import Record

PROJECT = "成都市青少年科技创新试点项目"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def filled(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, list]]:
    """A registry holding two documents (one failed), and their results."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'registry.sqlite'}"
        urls: Iterator[str] = iter([url])
    else:
        from helpers.records import PG_URL

        if not PG_URL:
            pytest.skip("TASKSHEET_TEST_PG_URL is not set: run `export TASKSHEET_TEST_PG_URL=$(./scripts/pg.sh)`")
        urls = pg_database()
    url = next(urls)
    first = make_result("1111111111111111", sources=["a.pdf"], project=PROJECT)
    second = make_result("2222222222222222", sources=["b.pdf"], project="第二个项目")
    second.fail("文件已损坏")
    check_document(second)
    reg = Registry(url)
    reg.store(first)
    reg.store(second)
    reg.close()
    yield url, [first, second]
    for _ in urls:  # finish the generator: drops the PostgreSQL database
        pass


def test_json_is_record_export(filled, tmp_path: Path, capsys) -> None:
    url, results = filled
    assert export_records(url, "json", None, None) is None
    data = json.loads(capsys.readouterr().out)
    assert data == [r.to_record().export() for r in results]
    assert [Record.model_validate(d) for d in data] == [r.to_record() for r in results]
    out = export_records(url, "json", "failed", tmp_path / "x" / "failed.json")
    text = out.read_text(encoding="utf-8")
    assert "文件已损坏" in text  # ensure_ascii=False
    assert json.loads(text) == [results[1].to_record().export()]


def test_jsonl(filled, tmp_path: Path) -> None:
    url, results = filled
    out = export_records(url, "jsonl", None, tmp_path / "r.jsonl")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(ln) for ln in lines] == [r.to_record().export() for r in results]
    assert PROJECT in lines[0]


def _read_csv(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_folder(filled, tmp_path: Path) -> None:
    url, results = filled
    out = export_records(url, "csv", None, tmp_path / "csv")
    assert out == tmp_path / "csv"
    docs = _read_csv(out / "documents.csv")
    assert list(docs[0]) == document_columns()
    assert [d["document.id"] for d in docs] == [r.id for r in results]
    assert docs[0]["cover.project_name"] == PROJECT
    assert docs[0]["commissioning.funding_support.ticked"] == "有"
    assert docs[0]["opinions.undertaking.signed"] == "true"
    assert docs[1]["document.status"] == "failed"
    members = _read_csv(out / "members.csv")
    assert [(m["document_id"], m["index"], m["name"]) for m in members][:2] == [
        ("1111111111111111", "0", "李四"), ("1111111111111111", "1", "John Smith")]
    findings = _read_csv(out / "findings.csv")
    assert sum(len(r.findings) for r in results) == len(findings)
    assert findings[0]["message"] == "承担单位意见未盖公章"
    assert findings[0]["bbox"] == "5、6、7、8"
    readings = _read_csv(out / "readings.csv")
    assert {"members.0.name", "cover.project_name"} <= {r["field"] for r in readings}


def test_csv_file_and_siblings(filled, tmp_path: Path) -> None:
    url, _ = filled
    out = export_records(url, "csv", "complete", tmp_path / "records.csv")
    assert out == tmp_path / "records.csv"
    assert sorted(p.name for p in tmp_path.glob("records*.csv")) == [
        "records.csv", "records.findings.csv", "records.members.csv", "records.readings.csv"]
    assert _read_csv(out) == []  # no complete document: header only
    assert out.read_text(encoding="utf-8-sig").startswith("document.id,")


def test_xlsx(filled, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    url, results = filled
    out = export_records(url, "xlsx", None, tmp_path / "records.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["documents", "members", "findings", "readings"]
    rows = list(wb["documents"].iter_rows(values_only=True))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[0] == "document.id"
    assert first["cover.project_name"] == PROJECT
    assert first["opinions.undertaking.signed"] is True
    assert first["document.pages"] == 3
    cells = {v for ws in wb for row in ws.iter_rows(values_only=True) for v in row}
    assert {"李四", "承担单位意见未盖公章", "无法读取：文件已损坏"} <= cells


def test_needs_out_and_known_format(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    Registry(url).close()
    for fmt in ("csv", "xlsx"):
        with pytest.raises(TasksheetError, match="needs --out"):
            export_records(url, fmt, None, None)
    with pytest.raises(TasksheetError, match="unknown export format"):
        export_records(url, "xml", None, tmp_path / "x")


def test_missing_registry(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="no registry at"):
        export_records(f"sqlite:///{tmp_path / 'none.sqlite'}", "json", None, None)
    assert not (tmp_path / "none.sqlite").exists()


def test_cli_export(filled, tmp_path: Path, capsys) -> None:
    from tasksheet.cli import main

    url, results = filled
    assert main(["export", "--registry", url, "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert json.loads(lines[0])["cover"]["project_name"] == PROJECT
    assert main(["export", "--registry", url, "--format", "csv"]) == 2
    assert "needs --out" in capsys.readouterr().err
