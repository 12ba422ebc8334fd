"""Reports: terminal summary, findings.csv and the HTML report, from the same findings.

>>> from pathlib import Path; import tempfile
>>> [p.name for p in write_reports([], Path(tempfile.mkdtemp()))]
['findings.csv', 'report.html']
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from tasksheet.reports.findings_csv import write_findings_csv
from tasksheet.reports.html import write_html
from tasksheet.reports.terminal import print_summary
from tasksheet.schemas.result import SheetResult


def write_reports(results: list[SheetResult], out: Path) -> list[Path]:
    """Write out/findings.csv and out/report.html (+ out/report_assets/) for `results`."""
    out = Path(out)
    return [write_findings_csv(results, out / "findings.csv"), write_html(results, out)]


def build_reports(registry: str, out: Path, file: TextIO | None = sys.stdout) -> list[Path]:
    """Read every result from the registry at `registry` (a URL), print the summary to
    `file` (None: quiet) and write the report files into `out`."""
    from tasksheet.registry.db import Registry  # the registry is optional for write_reports' users

    reg = Registry(registry)
    try:
        results = reg.results()
    finally:
        reg.close()
    if file is not None:
        print_summary(results, file=file)
    return write_reports(results, Path(out))


__all__ = ["build_reports", "print_summary", "write_reports"]
