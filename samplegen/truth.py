"""The truth file of one generated document: what a perfect reader would export.

The record is validated by `schemas.record.Record`; its id and hash come from
`ingest.hashing` over the written files in page order, exactly as ingest computes them.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tasksheet.ingest.hashing import content_sha256, document_id
from tasksheet.samplegen.capture import capture_of
from tasksheet.samplegen.fill import Sheet
from tasksheet.schemas.record import Record
from tasksheet.schemas.template import Template, load_template


def field_info(t: Template, sheet: Sheet, field: str | None) -> tuple[str, str, int | None]:
    """(section, display, form page number) of a finding's field."""
    if field is None:
        return "document", "", None
    if field.startswith("pages."):
        pid = field.split(".", 1)[1]
        page = next(p for p in t.pages if p.id == pid)
        return pid, page.title, t.page_index(pid) + 1
    parts = field.split(".")
    if parts[0] == "members":
        party = sheet.record["members"][int(parts[1])]["party"]
        spec = t.field(f"members.{party}.{parts[2]}")
    else:
        try:
            spec = t.field(field)
        except KeyError:  # an attached value: the group is the field
            spec = t.field(field.rsplit(".", 1)[0])
    return spec.page, spec.display, None


def record_findings(t: Template, sheet: Sheet, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for f in findings:
        section, display, page = field_info(t, sheet, f["field"])
        rule = t.rules_for(f["code"])[0]
        message = rule.message.format(display=display, page=page, expected="", reason="")
        out.append({**f, "section": section, "message": message})
    return out


def build_truth(*, name: str, out: Path, sources: list[str], fmt: str, fill: str, dpi: int,
                grayscale: bool, defects: list[str], pages: list[str], upside_down: list[int],
                copy_group: str | None, sheet: Sheet, findings: list[dict[str, Any]],
                template: Template | None = None, layout: str = "paged",
                page_sections: list[list[str]] | None = None,
                capture: str | None = None) -> dict[str, Any]:
    """The truth dict. `pages` lists the form pages (a flowing sheet: the sections present);
    `page_sections`, per scanned page, the sections on it (default: `pages`, one each);
    `capture` how the pages were captured (`samplegen.capture.CAPTURES`; default: from the
    format and `grayscale`)."""
    t = template or load_template()
    if page_sections is None:
        page_sections = [[p] for p in pages]
    sha = content_sha256(out / s for s in sources)
    status = "incomplete" if any(f["severity"] == "error" for f in findings) else "complete"
    tree = copy.deepcopy(sheet.record)
    tree["document"] = {"id": document_id(sha), "sources": sources, "sha256": sha,
                        "pages": len(page_sections), "status": status, "template": t.id}
    tree["findings"] = record_findings(t, sheet, findings)
    record = Record.model_validate(tree).export()
    return {"name": name, "sources": sources, "format": fmt, "fill": fill, "dpi": dpi,
            "layout": layout, "capture": capture or capture_of({"format": fmt,
                                                                 "grayscale": grayscale}),
            "grayscale": grayscale, "defects": defects, "pages": pages,
            "page_sections": page_sections,
            "upside_down": upside_down, "copy_group": copy_group, "record": record,
            "findings": [{"code": f["code"], "field": f["field"], "severity": f["severity"]}
                         for f in findings]}


def write_truth(truth: dict[str, Any], out: Path) -> None:
    path = out / "truth" / f"{truth['name']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
