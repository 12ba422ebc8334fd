"""Copies of one project across a batch: the sheet is made out in three, one per party.

Copies are grouped by their normalised project name, commissioning and undertaking unit, then
compared field by field. For each field the values are clustered (equal after
normalisation; long texts by similarity, since OCR of three scans never agrees to the
character); the copies outside the majority cluster get `copy_mismatch`, every copy when
there is no majority.

>>> copy_findings([])
{}
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tasksheet.checks.names import normalise, ratio
from tasksheet.checks.rules import display_for, unsure_fields
from tasksheet.schemas.record import Finding, Record
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import Template, load_template

DEFAULT_TEXT_SIMILARITY = 0.9  # long texts (≥ DEFAULT_LONG_TEXT chars) this alike are one value
DEFAULT_LONG_TEXT = 12
DEFAULT_COPY_AGREEMENT = 0.5  # share of people and contacts copies of one sheet agree on
_SECTIONS = ("cover", "undertaking", "commissioning", "coordinating")
_OPINION_KEYS = ("signed", "sealed", "date")


def copy_key(record: Record) -> tuple[str, str, str] | None:
    """The project a copy belongs to, or None when its name or units were not read."""
    key = (normalise(record.cover.project_name), normalise(record.cover.commissioning_unit),
           normalise(record.cover.undertaking_unit))
    return key if all(key) else None


def comparable_values(record: Record) -> dict[str, Any]:
    """Field id → value for every compared field (checkbox groups by their ticked labels)."""
    data = record.export()
    out: dict[str, Any] = {}
    for section in _SECTIONS:
        _flatten(section, data[section], out)
    out["content"] = data["content"]
    for i, member in enumerate(data["members"]):
        for key, value in member.items():
            if key != "party":
                out[f"members.{i}.{key}"] = value
    for party, opinion in data["opinions"].items():
        for key in _OPINION_KEYS:
            out[f"opinions.{party}.{key}"] = opinion[key]
    return out


def _flatten(prefix: str, node: Any, out: dict[str, Any]) -> None:
    if not isinstance(node, dict):
        out[prefix] = node
        return
    for key, value in node.items():
        if key == "ticked":
            out[prefix] = sorted(value)
        else:
            _flatten(f"{prefix}.{key}", value, out)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        if normalise(a) == normalise(b):
            return True
        return (min(len(a), len(b)) >= DEFAULT_LONG_TEXT
                and ratio(a, b) >= DEFAULT_TEXT_SIMILARITY)
    if isinstance(a, str) != isinstance(b, str):
        return False
    return a == b


def _shown(value: Any) -> str:
    if value is None or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "有" if value else "无"
    if isinstance(value, list):
        return "、".join(map(str, value))
    text = str(value)
    return f"“{text[:30]}…”" if len(text) > 30 else f"“{text}”"


def copy_findings(records: list[Record], template: Template | None = None,
                  doubtful: dict[str, set[str]] | None = None) -> dict[str, list[Finding]]:
    """`copy_mismatch` findings by document id, for copies that differ from their majority.

    Only documents with findings appear. Failed documents and those whose project cannot be
    identified are not compared. `doubtful` (document id → field ids read under the
    confidence bar) leaves those copies out of that field's comparison: a copy that could
    not be read surely neither differs nor makes the others differ.
    """
    template = template or load_template()
    rule = next(iter(template.rules_for("copy_mismatch")), None)
    severity = rule.severity if rule else "error"
    pattern = rule.message if rule else "同一项目的副本在 {display} 上不一致"
    groups: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for record in records:
        key = copy_key(record)
        if key is not None and record.document.status != "failed":
            groups[key].append(record)
    out: dict[str, list[Finding]] = defaultdict(list)
    for same_name in groups.values():
        for copies in _split_unrelated(same_name):
            _compare(copies, template, severity, pattern, out, doubtful or {})
    return dict(out)


def result_copy_findings(results: list[SheetResult],
                         template: Template | None = None) -> dict[str, list[Finding]]:
    """`copy_findings` of checked results, each leaving out the fields it read unsurely."""
    template = template or load_template()
    bar = template.low_confidence_below
    ok = [r for r in results if r.status != "failed"]
    return copy_findings([r.to_record() for r in ok], template,
                         doubtful={r.id: unsure_fields(r, bar) for r in ok})


IDENTITY = (".name", ".mobile", ".phone", ".email", ".head", ".contact")


def _agreement(a: dict, b: dict) -> float:
    """Share of the people and contacts two sheets agree on (ticks and marks agree by chance)."""
    keys = {k for k in set(a) | set(b) if k.endswith(IDENTITY)}
    return sum(_same(a.get(k), b.get(k)) for k in keys) / len(keys) if keys else 1.0


def _split_unrelated(records: list[Record]) -> list[list[Record]]:
    """Sheets that share a project name and units but little else are different sheets.

    Copies of one sheet agree on most fields (a copy that differs, differs in a few); two
    sheets of a recurring project (another year, another team) agree on almost none.
    """
    groups: list[tuple[dict, list[Record]]] = []
    for record in records:
        values = comparable_values(record)
        home = next((g for g in groups if _agreement(g[0], values) >= DEFAULT_COPY_AGREEMENT), None)
        if home is None:
            groups.append((values, [record]))
        else:
            home[1].append(record)
    return [g for _, g in groups if len(g) >= 2]


def _compare(copies: list[Record], template: Template, severity: str, pattern: str,
             out: dict[str, list[Finding]], doubtful: dict[str, set[str]]) -> None:
    values = [comparable_values(r) for r in copies]
    fields = list(dict.fromkeys(k for v in values for k in v))
    for fid in fields:
        column = [v.get(fid) for v in values]
        sure = [i for i, r in enumerate(copies) if fid not in doubtful.get(r.document.id, ())]
        clusters: list[list[int]] = []
        for i in sure:
            home = next((c for c in clusters if _same(column[c[0]], column[i])), None)
            if home is None:
                clusters.append([i])
            else:
                home.append(i)
        if len(clusters) <= 1:
            continue
        biggest = max(clusters, key=len)
        majority = biggest if len(biggest) * 2 > len(sure) else []
        display = display_for(template, fid)
        for i in sure:
            if i in majority:
                continue
            record = copies[i]
            others = "；".join(_shown(column[j]) for j in sure if j != i)
            message = (pattern.replace("{display}", display)
                       + f"：本件为{_shown(column[i])}，其他副本为{others}")
            out[record.document.id].append(Finding(
                code="copy_mismatch", severity=severity, section=fid.split(".")[0],
                field=fid, message=message))
