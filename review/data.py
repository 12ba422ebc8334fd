"""What the review pages show, gathered from the registry: the queue, a document, a project.

Everything here is plain data for the templates (`review/templates/`); the web layer
(`review.app`) only routes, checks and renders. A document is always shown as reviewed
(`registry.reviews`): a person's values over the machine's, the status and findings of
the rules run again on them.

Evidence comes from the run's page images (`out/pages/<doc>/p<N>.jpg`, ARCHITECTURE.md):
the report's cropper (`reports.images.page_images`) cuts one crop per finding and per
reading into `out/review_assets/<doc>/`, once (a crop newer than its page is kept).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from tasksheet.checks.names import normalise
from tasksheet.checks.rules import display_for, specs_of
from tasksheet.registry.db import Registry
from tasksheet.registry.reviews import (
    Reviews,
    ReviewState,
    finding_key,
    machine_reading,
    recheck,
    reviewed_result,
)
from tasksheet.registry.tables import documents
from tasksheet.reports.html import Figure, document_images, page_marks, safe_name
from tasksheet.reports.images import PageImages
from tasksheet.review.projects import Project, Submission, group_projects
from tasksheet.schemas.errors import TemplateError
from tasksheet.schemas.record import BBox, Finding
from tasksheet.schemas.result import Reading, SheetResult
from tasksheet.schemas.template import Template, load_template

ASSETS = "review_assets"
STATUS_RANK = {"failed": 0, "incomplete": 1, "complete": 2}
SHOWS = ("todo", "returned", "accepted", "all")
BOOL_TYPES = frozenset({"signature", "seal"})
LIST_TYPES = frozenset({"checkbox_group"})
LIST_SEPS = ("、", ",", "，", ";", "；")


@dataclass
class Item:
    """One document as the queue lists it."""

    result: SheetResult  # as reviewed
    machine: SheetResult
    state: ReviewState | None
    root: str | None
    processed_at: datetime | None

    @property
    def id(self) -> str:
        return self.result.id

    @property
    def disposition(self) -> str | None:
        return self.state.disposition if self.state else None

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.result.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.result.findings)

    @property
    def codes(self) -> list[str]:
        return sorted({f.code for f in self.result.findings})

    @property
    def needs_person(self) -> bool:
        """Not settled (returned or accepted), and something to look at."""
        if self.disposition in ("returned", "accepted"):
            return False
        return self.result.status != "complete" or any(
            f.severity in ("error", "warning") for f in self.result.findings)

    @property
    def units(self) -> list[str]:
        return [v for f in ("cover.commissioning_unit", "cover.undertaking_unit",
                            "cover.coordinating_unit")
                if isinstance(v := self.result.value(f), str) and v]

    @property
    def rank(self) -> tuple[int, int, int, str]:
        return (STATUS_RANK.get(self.result.status, 3), -self.errors, -self.warnings, self.id)


def template_of(result: SheetResult) -> Template:
    try:
        return load_template(result.template)
    except TemplateError:
        return load_template()


def load_items(registry: Registry, doc_id: str | None = None) -> list[Item]:
    """Every stored document (or the one of `doc_id`) with its review, as reviewed."""
    c = documents.c
    q = select(c.id, c.root, c.processed_at, c.result).order_by(c.source_key, c.id)
    if doc_id is not None:
        q = q.where(c.id == doc_id)
    with registry.engine.connect() as conn:
        rows = list(conn.execute(q))
    states = Reviews(registry).states(None if doc_id is None else [doc_id])
    items = []
    for row in rows:
        machine = SheetResult.model_validate(row.result)
        state = states.get(row.id)
        items.append(Item(reviewed_result(machine, state), machine, state, row.root,
                          row.processed_at))
    return items


@dataclass
class Filters:
    """The queue's filters, as given in its URL (unknown values ignored)."""

    status: str = ""
    code: str = ""
    unit: str = ""
    batch: str = ""
    show: str = "todo"

    @classmethod
    def of(cls, params: Any) -> Filters:
        show = params.get("show") or "todo"
        return cls(status=params.get("status") or "", code=params.get("code") or "",
                   unit=(params.get("unit") or "").strip(), batch=params.get("batch") or "",
                   show=show if show in SHOWS else "todo")

    def keep(self, item: Item) -> bool:
        if self.show == "todo" and not item.needs_person:
            return False
        if self.show in ("returned", "accepted") and item.disposition != self.show:
            return False
        if self.status and item.result.status != self.status:
            return False
        if self.code and self.code not in item.codes:
            return False
        if self.batch and (item.root or "") != self.batch:
            return False
        return not self.unit or unit_matches(self.unit, item.units)


def unit_matches(wanted: str, units: list[str]) -> bool:
    """Whether a unit typed in a filter is part of one of these names (as normalised)."""
    key = normalise(wanted)
    return any(key in normalise(u) for u in units)


def queue(items: list[Item], filters: Filters) -> list[Item]:
    """The documents the filters keep, worst first: failed, then most errors, warnings."""
    return sorted((i for i in items if filters.keep(i)), key=lambda i: i.rank)


def choices(items: list[Item]) -> dict[str, list[str]]:
    """The values each filter can take, from what is stored."""
    return {"codes": sorted({c for i in items for c in i.codes}),
            "batches": sorted({i.root for i in items if i.root}),
            "units": sorted({u for i in items for u in i.units})}


def counts(items: list[Item]) -> dict[str, int]:
    c = Counter(i.result.status for i in items)
    return {"todo": sum(i.needs_person for i in items), "all": len(items),
            "returned": sum(i.disposition == "returned" for i in items),
            "accepted": sum(i.disposition == "accepted" for i in items), **c}


def projects(items: list[Item]) -> list[Project]:
    """The items' projects, incomplete first."""
    found = group_projects([Submission(i.result, i.state, i.processed_at) for i in items])
    return sorted(found, key=lambda p: (p.complete, p.name))


def project_of(items: list[Item], doc_id: str) -> Project | None:
    return next((p for p in projects(items) for s in p.history if s.result.id == doc_id), None)


# -- one document ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    """A field as the document page shows it: the machine's reading, the reviewed value,
    its crop, and how its input is edited (`text`, `bool`, `list`)."""

    id: str
    label: str
    machine: Reading | None
    value: Any  # what counts now: the reviewed value, else the machine's
    origin: str
    confirmed: bool
    kind: str
    crop: str | None
    flagged: bool  # under the confidence bar, or named by an open finding

    @property
    def top(self) -> bool:
        """Shown first: to be checked, or decided by a person."""
        return self.flagged or self.origin == "reviewed"

    @property
    def shown(self) -> str:
        return show_value(self.value)

    @property
    def input(self) -> str:
        if self.kind == "list":
            return "、".join(self.value or [])
        return "" if self.value is None or isinstance(self.value, bool) else str(self.value)


@dataclass(frozen=True)
class FindingRow:
    """A finding with its key, evidence crop and what a person decided on it."""

    finding: Finding
    key: str
    label: str | None
    crop: str | None
    state: str  # open | confirmed | dismissed
    reason: str | None


@dataclass
class DocumentView:
    item: Item
    fields: list[FieldRow]
    findings: list[FindingRow]
    figures: list[Figure]
    version: int
    decisions: list[Any] = field(default_factory=list)


def show_value(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "✔ 有" if value else "✘ 无"
    if isinstance(value, list):
        return "、".join(value) or "（未勾选）"
    return str(value)


def field_kind(template: Template, field_id: str, machine: Reading | None) -> str:
    if machine is not None and isinstance(machine.value, bool):
        return "bool"
    if machine is not None and isinstance(machine.value, list):
        return "list"
    if field_id.startswith("members."):
        return "bool" if field_id.endswith(".signed") else "text"
    spec = specs_of(template)[1].get(field_id)
    if spec is not None and spec.type in BOOL_TYPES:
        return "bool"
    if spec is not None and spec.type in LIST_TYPES:
        return "list"
    return "text"


def parse_value(kind: str, text: str | None) -> Any:
    """A value as typed into the form, in the field's type.

    >>> parse_value("list", "有、 无"), parse_value("bool", "true"), parse_value("text", " 5 ")
    (['有', '无'], True, '5')
    """
    text = (text or "").strip()
    if kind == "bool":
        return text.lower() in ("true", "1", "yes", "有", "是")
    if kind == "list":
        for sep in LIST_SEPS[1:]:
            text = text.replace(sep, LIST_SEPS[0])
        return [t.strip() for t in text.split(LIST_SEPS[0]) if t.strip()]
    return text or None


def _field_ids(result: SheetResult, template: Template) -> list[str]:
    ids: list[str] = []
    for spec in template.fields():
        if spec.id.startswith("members."):
            continue
        ids.append(spec.id)
        ids += [f"{spec.id}.{o.attach}" for o in spec.options
                if o.attach and f"{spec.id}.{o.attach}" in result.readings]
    ids += [f for f in result.readings if f not in ids]
    for i, row in enumerate(result.members):
        ids += [f"members.{i}.{k}" for k in row.cells]
    return ids


def _images(machine: SheetResult, out: Path | None, boxes: dict[int, list[BBox]]
            ) -> dict[int, PageImages]:
    return {} if out is None else document_images(machine, out, boxes, ASSETS)


def image_url(doc_id: str, path: Path) -> str:
    return f"/img/{safe_name(doc_id)}/{path.name}"


def document_view(item: Item, out: Path | None, decisions: list[Any]) -> DocumentView:
    """Everything the document page shows."""
    machine, state = item.machine, item.state or ReviewState(document_id=item.id)
    template = template_of(machine)
    # every finding the rules raise on the reviewed values, dismissed ones included
    full = recheck(machine, ReviewState(document_id=item.id, values=state.values))
    shown = item.result
    boxes: dict[int, list[BBox]] = {}
    for f in full.findings:
        if f.page and f.bbox:
            boxes.setdefault(f.page, []).append(f.bbox)
    ids = _field_ids(machine, template)
    for fid in ids:
        r = machine_reading(machine, fid)
        if r is not None and r.page and r.bbox:
            boxes.setdefault(r.page, []).append(r.bbox)
    images = _images(machine, out, boxes)

    def crop(page: int | None, bbox: BBox | None) -> str | None:
        img = images.get(page) if page else None
        if img is None or bbox is None or bbox not in img.crops:
            return None
        return image_url(item.id, img.crops[bbox])

    bar = template.low_confidence_below
    named = {f.field for f in shown.findings if f.field}
    rows = []
    for fid in ids:
        r = machine_reading(machine, fid)
        reviewed = fid in state.values
        value = state.values[fid] if reviewed else (r.value if r is not None else None)
        rows.append(FieldRow(
            id=fid, label=display_for(template, fid, machine), machine=r, value=value,
            origin="reviewed" if reviewed else "machine", confirmed=fid in state.confirmed,
            kind=field_kind(template, fid, r), crop=crop(r.page, r.bbox) if r else None,
            flagged=not reviewed and ((r is not None and r.confidence < bar) or fid in named)))
    order = {"error": 0, "warning": 1, "info": 2}
    finding_rows = []
    for f in sorted(full.findings, key=lambda f: (order.get(f.severity, 3), f.page or 0)):
        key = finding_key(f)
        st = ("dismissed" if key in state.dismissed
              else "confirmed" if key in state.confirmed_findings else "open")
        finding_rows.append(FindingRow(f, key, display_for(template, f.field, machine)
                                       if f.field else None, crop(f.page, f.bbox), st,
                                       state.dismissed.get(key)))
    titles = {p.id: p.title for p in template.pages}
    forms = {p.index: p.form_page for p in machine.pages}
    marks = page_marks(shown) if images else {}
    bad_pages = {f.page for f in shown.findings if f.page and f.severity == "error"}
    figures = [Figure(n, image_url(item.id, img.thumb), img.frame, marks.get(n, []),
                      titles.get(forms.get(n) or "", forms.get(n) or ""), n in bad_pages)
               for n, img in sorted(images.items())]
    return DocumentView(item, rows, finding_rows, figures, state.version, decisions)
