"""findings.csv: one row per finding, UTF-8 with a BOM so that Excel opens the Chinese right.

(Named `findings_csv` so that it does not shadow the standard library's `csv`.)

Cells are written `spreadsheet_safe`: a file name or message beginning with `= + - @` (or
tab, carriage return) gets a leading `'`, so a spreadsheet never runs it as a formula. The
file is written under a temporary name and renamed: it is whole or absent, never cut.
"""

from __future__ import annotations

import csv
from pathlib import Path

from tasksheet.ingest.hashing import atomic_text, spreadsheet_safe
from tasksheet.schemas.result import SheetResult

COLUMNS = ["document_id", "sources", "status", "code", "severity", "section", "field",
           "message", "page", "bbox"]


def finding_rows(results: list[SheetResult]) -> list[dict[str, str]]:
    """The CSV's rows: documents in the given order, findings in theirs."""
    rows = []
    for r in results:
        for f in r.findings:
            rows.append({
                "document_id": r.id, "sources": "; ".join(r.sources), "status": r.status,
                "code": f.code, "severity": f.severity, "section": f.section,
                "field": f.field or "", "message": f.message,
                "page": "" if f.page is None else str(f.page),
                "bbox": "" if f.bbox is None else " ".join(map(str, f.bbox)),
            })
    return rows


def write_findings_csv(results: list[SheetResult], path: Path) -> Path:
    """Write findings.csv (bbox as `x0 y0 x1 y1` in the scanned page's pixels)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [{k: spreadsheet_safe(v) for k, v in row.items()} for row in finding_rows(results)]
    with atomic_text(path) as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path
