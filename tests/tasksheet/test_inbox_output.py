"""Safe output: no formula injection in any CSV, no terminal escapes from a file name, and
report files written whole or not at all."""

from __future__ import annotations

import csv
import errno
import io
from pathlib import Path

import pytest
from helpers.records import make_result
from tasksheet.registry.db import Registry
from tasksheet.registry.export import export_records
from tasksheet.reports import print_summary
from tasksheet.reports.findings_csv import write_findings_csv
from tasksheet.schemas.record import Finding
from tasksheet.schemas.result import Reading

OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # sets the clipboard, in a terminal that obeys


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:  # a CR inside a cell stays a CR
        return list(csv.DictReader(fh))


def _hostile():
    r = make_result("1111111111111111", sources=["=HYPERLINK(\"http://x\",\"a\").pdf"])
    r.findings = [
        Finding(code="missing_seal", severity="error", section="opinions", field=None,
                message="-2+3"),
        Finding(code="low_confidence", severity="warning", section="cover",
                field="cover.project_name", message="@SUM(A1:A2)"),
        Finding(code="low_confidence", severity="warning", section="cover", field=None,
                message="\t=1"),
        Finding(code="low_confidence", severity="warning", section="cover", field=None,
                message="\r=1"),
        Finding(code="low_confidence", severity="warning", section="cover", field=None,
                message="电话 028-86661234 = 正常"),
    ]
    r.readings["cover.project_name"] = Reading(raw="+86 138 0000 0000", value="=1+1", page=1)
    r.readings["commissioning.department"] = Reading(raw="028-86661234", value="028-86661234")
    return r


def test_findings_csv_neutralises_formulas_and_keeps_the_rest(tmp_path: Path) -> None:
    path = write_findings_csv([_hostile()], tmp_path / "findings.csv")
    rows = _rows(path)
    assert [r["message"] for r in rows] == ["'-2+3", "'@SUM(A1:A2)", "'\t=1", "'\r=1",
                                            "电话 028-86661234 = 正常"]
    assert {r["sources"] for r in rows} == {"'=HYPERLINK(\"http://x\",\"a\").pdf"}
    assert rows[0]["document_id"] == "1111111111111111" and rows[0]["page"] == ""


def test_csv_export_neutralises_every_table(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    with Registry(url) as reg:
        reg.store(_hostile())
    export_records(url, "csv", out=tmp_path / "csv")
    docs = _rows(tmp_path / "csv" / "documents.csv")
    assert docs[0]["document.sources"] == "'=HYPERLINK(\"http://x\",\"a\").pdf"
    assert docs[0]["cover.project_name"] == "'=1+1"
    assert docs[0]["commissioning.department"] == "028-86661234"  # a phone number stays
    readings = {r["field"]: r for r in _rows(tmp_path / "csv" / "readings.csv")}
    assert (readings["cover.project_name"]["raw"], readings["cover.project_name"]["value"]) == (
        "'+86 138 0000 0000", "'=1+1")
    assert readings["commissioning.department"]["raw"] == "028-86661234"
    assert readings["cover.project_name"]["confidence"] == "1.0"  # numbers untouched
    found = [r["message"] for r in _rows(tmp_path / "csv" / "findings.csv")]
    assert found[:4] == ["'-2+3", "'@SUM(A1:A2)", "'\t=1", "'\r=1"]
    assert not list(tmp_path.glob("csv/.*"))  # no temporary file left


def test_terminal_summary_prints_no_control_characters(tmp_path: Path) -> None:
    r = make_result("1111111111111111", sources=[f"scan{OSC52}.pdf", "a.jpg\nb.jpg"])
    r.findings = [Finding(code="unreadable_document", severity="error", section="document",
                          field=None, message=f"无法读取：scan{OSC52}.pdf:\ncorrupt\x9b2J")]
    buf = io.StringIO()
    print_summary([r], file=buf)
    text = buf.getvalue()
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert ("  1111111111111111  incomplete  1 error(s)  scan?]52;c;cm0gLXJmIH4=?.pdf, "
            "a.jpg?b.jpg\n") in text
    assert "      unreadable_document: 无法读取：scan?]52;c;cm0gLXJmIH4=?.pdf: corrupt?2J\n" in text


def test_findings_csv_is_whole_or_as_it_was(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "findings.csv"
    write_findings_csv([_hostile()], path)
    before = path.read_bytes()

    def full_disk(self, rows):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(csv.DictWriter, "writerows", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_findings_csv([], path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["findings.csv"]


def test_export_files_are_whole_or_as_they_were(tmp_path: Path, monkeypatch) -> None:
    import types

    import tasksheet.registry.export as export

    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    with Registry(url) as reg:
        reg.store(_hostile())
    export_records(url, "csv", out=tmp_path / "csv")
    before = {p.name: p.read_bytes() for p in (tmp_path / "csv").iterdir()}

    class FullDisk:  # a csv.writer whose rows hit a full disk after the header
        def __init__(self, fh):
            self.real = csv.writer(fh)

        def writerow(self, row):
            self.real.writerow(row)

        def writerows(self, rows):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export, "csv", types.SimpleNamespace(writer=FullDisk))
    with pytest.raises(OSError, match="No space left"):
        export_records(url, "csv", out=tmp_path / "csv")
    with pytest.raises(OSError, match="No space left"):
        export_records(url, "csv", out=tmp_path / "new")
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in (tmp_path / "csv").iterdir()} == before
    assert list((tmp_path / "new").iterdir()) == []  # absent, not cut short
