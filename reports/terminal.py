"""The batch at a glance on the terminal: statuses, finding codes, the worst documents.

A person running a batch wants to know in a few lines whether it went well and where to
look first; the full detail is in findings.csv and report.html. What came from outside
(file names, messages quoting them or text read from a scan) is printed `printable`: an
escape sequence in a file name cannot drive the terminal.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import TextIO

from tasksheet.ingest.hashing import printable
from tasksheet.schemas.result import SheetResult

STATUSES = ("complete", "incomplete", "failed")
DEFAULT_WORST = 5
DEFAULT_TOP_FINDINGS = 3


def errors_of(result: SheetResult) -> int:
    return sum(1 for f in result.findings if f.severity == "error")


def worst(results: list[SheetResult], n: int = DEFAULT_WORST) -> list[SheetResult]:
    """The documents with the most errors (then warnings), those without any left out."""
    ranked = sorted((r for r in results if errors_of(r)),
                    key=lambda r: (-errors_of(r), -len(r.findings), r.id))
    return ranked[:n]


def print_summary(results: list[SheetResult], file: TextIO = sys.stdout,
                  n_worst: int = DEFAULT_WORST) -> None:
    """Print documents by status, findings by code and the worst documents."""
    status = Counter(r.status for r in results)
    parts = ", ".join(f"{status[s]} {s}" for s in STATUSES if status[s])
    print(f"{len(results)} documents" + (f": {parts}" if parts else ""), file=file)
    findings = [f for r in results for f in r.findings]
    if not findings:
        print("no findings", file=file)
        return
    severity = Counter(f.severity for f in findings)
    print(f"findings: {len(findings)} ("
          + ", ".join(f"{s}s {severity[s]}" for s in ("error", "warning", "info") if severity[s])
          + ")", file=file)
    codes = Counter((f.code, f.severity) for f in findings)
    width = max(len(code) for code, _ in codes)
    for (code, sev), count in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {printable(code):<{width}}  {count:>5}  {sev}", file=file)
    bad = worst(results, n_worst)
    if bad:
        print("worst documents:", file=file)
    for r in bad:
        sources = ", ".join(printable(s) for s in r.sources)
        print(f"  {printable(r.id)}  {r.status}  {errors_of(r)} error(s)  {sources}", file=file)
        ranked = sorted(r.findings, key=lambda f: f.severity != "error")
        for f in ranked[:DEFAULT_TOP_FINDINGS]:
            where = f" (p{f.page})" if f.page else ""
            message = printable(" ".join(f.message.split()))
            print(f"      {printable(f.code)}: {message}{where}", file=file)
        if len(ranked) > DEFAULT_TOP_FINDINGS:
            print(f"      … {len(ranked) - DEFAULT_TOP_FINDINGS} more", file=file)
