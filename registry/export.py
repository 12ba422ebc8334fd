"""Exports of the registry: JSON / JSON Lines records (RECORD.md), and flat CSV / XLSX tables.

JSON is the interchange shape (`Record.export()`, one object per document). CSV and XLSX
are for people with a spreadsheet: four flat tables, Chinese kept as written.

- `documents`: one row per document; columns are the dotted paths of RECORD.md
  (`document.id`, `cover.project_name`, `commissioning.funding_support.ticked`, …),
  members and findings excepted. Ticked lists are joined with "、".
- `members`: document_id, index, party, name, unit, title, role, signed
- `findings`: document_id, code, severity, section, field, message, page, bbox
- `readings`: document_id, field, raw, value, confidence, page, bbox, origin, machine_value —
  every value, members as `members.<i>.<key>`; `origin` is `machine` or `reviewed`

Reviewed documents (`tasksheet review`, `registry.reviews`) are exported as reviewed: a
person's value takes precedence over the machine's, and the status and findings are those of
the rules run again on the reviewed values. The JSON of a reviewed document carries one more
key, `review`: its `origin` (every field id → `machine` / `reviewed`), the machine's status,
the disposition, the dismissed findings with their reasons, the version, who and when. A
document nobody reviewed exports exactly as before.

CSV cells are `spreadsheet_safe` (a text beginning with `= + - @`, tab or carriage return
gets a leading `'`: a value read from a scan is never run as a formula); XLSX cells are
typed as text. Every file is written under a temporary name and renamed into place.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tasksheet.ingest.hashing import atomic_text, spreadsheet_safe
from tasksheet.registry.db import Registry, sqlite_file
from tasksheet.registry.reviews import (
    MACHINE,
    ReviewState,
    machine_reading,
    origins,
    reviewed_results,
)
from tasksheet.schemas.errors import RegistryError, TasksheetError
from tasksheet.schemas.record import DocumentInfo, Record
from tasksheet.schemas.record_model import record_model
from tasksheet.schemas.result import SheetResult, template_of
from tasksheet.schemas.template import Template

FORMATS = ("json", "jsonl", "csv", "xlsx")
TABLE_NAMES = ("documents", "members", "findings", "readings")
LIST_SEP = "、"
MEMBER_COLUMNS = ["document_id", "index", "party", "name", "unit", "title", "role", "signed"]
FINDING_COLUMNS = ["document_id", "code", "severity", "section", "field", "message", "page", "bbox"]
READING_COLUMNS = ["document_id", "field", "raw", "value", "confidence", "page", "bbox", "origin",
                   "machine_value"]


def export_records(registry: str, fmt: str, status: str | None = None,
                   out: Path | None = None) -> Path | None:
    """Write the registry's records as `fmt`; return the path written (None for stdout).

    json / jsonl go to standard output when `out` is None. csv writes one file per table:
    into the folder `out` (`documents.csv`, `members.csv`, `findings.csv`, `readings.csv`;
    returns the folder), or, when `out` ends in `.csv`, `out` itself is the documents table
    and the others are its siblings `<stem>.members.csv`, … (returns `out`). CSV files are
    UTF-8 with a BOM so that Excel shows the Chinese. xlsx writes one sheet per table.
    """
    if fmt not in FORMATS:
        raise TasksheetError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt in ("csv", "xlsx") and out is None:
        raise TasksheetError(f"--format {fmt} needs --out (a file or folder to write)")
    path = sqlite_file(registry)
    if path is not None and not path.exists():
        raise RegistryError(f"no registry at {path}: run `tasksheet run` first")
    reg = Registry(registry)
    try:
        pairs = reviewed_results(reg, status)
        machine = {r.id: r for r in reg.results()} if any(s for _, s in pairs) else {}
    finally:
        reg.close()
    results = [r for r, _ in pairs]
    reviews = {r.id: (s, machine[r.id]) for r, s in pairs if s is not None and r.id in machine}
    if fmt in ("json", "jsonl"):
        return _write_json(results, fmt, out, reviews)
    tables = flat_tables(results, reviews)
    return _write_csv(tables, out) if fmt == "csv" else _write_xlsx(tables, out)  # type: ignore[arg-type]


Reviewed = dict[str, tuple[ReviewState, SheetResult]]  # document id -> (review, machine result)


def review_json(state: ReviewState, machine: SheetResult) -> dict[str, Any]:
    """The `review` key of a reviewed document's JSON."""
    return {
        "origin": origins(machine, state),
        "machine_status": machine.status,
        "disposition": state.disposition,
        "dismissed": [{"finding": k, "reason": v} for k, v in state.dismissed.items()],
        "version": state.version,
        "updated_by": state.updated_by,
        "updated_at": state.updated_at.isoformat() if state.updated_at else None,
    }


def record_json(result: SheetResult, reviews: Reviewed | None = None) -> dict[str, Any]:
    """A document's exported JSON: `Record.export()`, with `review` when it was reviewed."""
    data = result.to_record().export()
    if reviews and result.id in reviews:
        data["review"] = review_json(*reviews[result.id])
    return data


def _write_json(results: list[SheetResult], fmt: str, out: Path | None,
                reviews: Reviewed | None = None) -> Path | None:
    records = [record_json(r, reviews) for r in results]
    if fmt == "json":
        text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    else:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if out is None:
        sys.stdout.write(text)
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_text(out, encoding="utf-8") as fh:
        fh.write(text)
    return out


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _cell(value: Any) -> Any:
    """A spreadsheet cell: lists joined, boxes as x0,y0,x1,y1, None left empty."""
    if isinstance(value, list | tuple):
        return LIST_SEP.join(str(v) for v in value)
    return value


def _flatten(node: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in node.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, path + ".")
        else:
            yield path, value


def document_columns(template: Template | None = None) -> list[str]:
    """The documents table's columns: every scalar path of an empty record of `template`'s
    record model (the bundled form's by default: RECORD.md), in its order. A field added to
    a template is a column of its documents with no code written for it."""
    model = Record if template is None else record_model(template)
    empty = model(document=DocumentInfo(id="", sources=[], sha256="", pages=0,
                                        status="complete", template="")).export()
    return [k for k, _ in _flatten(empty) if k not in ("members", "findings")]


def _columns_of(results: list[SheetResult]) -> list[str]:
    """The documents' columns: their templates' columns in order, the first template's first
    (a batch read with one form, the usual case, has exactly that form's)."""
    cols: list[str] = []
    for name in dict.fromkeys(r.template for r in results) or [None]:
        for c in document_columns(None if name is None else template_of(name)):
            if c not in cols:
                cols.append(c)
    return cols


def flat_tables(results: list[SheetResult], reviews: Reviewed | None = None
                ) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The four export tables as (header, rows), values still typed (bool, int, float)."""
    reviews = reviews or {}
    doc_cols = _columns_of(results)
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {
        "documents": (doc_cols, []), "members": (MEMBER_COLUMNS, []),
        "findings": (FINDING_COLUMNS, []), "readings": (READING_COLUMNS, [])}
    for result in results:
        rec = result.to_record().export()
        flat = dict(_flatten(rec))
        tables["documents"][1].append([_cell(flat.get(c)) for c in doc_cols])
        for i, m in enumerate(rec["members"]):
            tables["members"][1].append([result.id, i] + [m[c] for c in MEMBER_COLUMNS[2:]])
        for f in rec["findings"]:
            tables["findings"][1].append([result.id] + [_cell(f[c]) for c in FINDING_COLUMNS[1:]])
        cells = list(result.readings.items())
        cells += [(f"members.{i}.{k}", r) for i, row in enumerate(result.members)
                  for k, r in row.cells.items()]
        state, machine = reviews.get(result.id, (None, result))
        origin = origins(machine, state)
        for field_id, r in cells:
            was = machine_reading(machine, field_id)
            tables["readings"][1].append([
                result.id, field_id, r.raw, _cell(r.value), r.confidence, r.page, _cell(r.bbox),
                origin.get(field_id, MACHINE), _cell(was.value) if was is not None else None])
    return tables


def _csv_paths(out: Path) -> dict[str, Path]:
    if out.suffix.lower() == ".csv":
        return {name: out if name == "documents" else out.with_name(f"{out.stem}.{name}.csv")
                for name in TABLE_NAMES}
    return {name: out / f"{name}.csv" for name in TABLE_NAMES}


def _write_csv(tables: dict[str, tuple[list[str], list[list[Any]]]], out: Path) -> Path:
    paths = _csv_paths(out)
    paths["documents"].parent.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in tables.items():
        with atomic_text(paths[name]) as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows([["" if v is None else _csv_scalar(v) for v in row] for row in rows])
    return out


def _csv_scalar(value: Any) -> Any:
    """One CSV cell: booleans as true/false, a formula-like text neutralised.

    >>> _csv_scalar(True), _csv_scalar("=cmd|' /C calc'!A0"), _csv_scalar("028-86661234")
    ('true', "'=cmd|' /C calc'!A0", '028-86661234')
    """
    return ("true" if value else "false") if isinstance(value, bool) else spreadsheet_safe(value)


def _write_xlsx(tables: dict[str, tuple[list[str], list[list[Any]]]], out: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in tables.items():
        ws = wb.create_sheet(name)
        ws.append(header)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # read text, never a formula
        ws.freeze_panes = "A2"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(out)
    try:
        wb.save(tmp)
        os.replace(tmp, out)
    finally:
        if tmp.exists():
            tmp.unlink()
    return out
