"""report.html: the batch overview and, per document, its pages, findings and record.

One HTML file plus `report_assets/` (page thumbnails and evidence crops), opened from disk:
no server, no external resources; the CSS is inlined and a few lines of inline JS filter
documents by status and finding code. The markup is in the Jinja2 templates of
`templates/` (a layout, the overview, a document and its parts, shared macros); this module
gathers what they show. Templates are autoescaped, so every text that came from a scan
(values, raw text, messages quoting them, file names) is escaped and a scan cannot inject
markup. Boxes are drawn as SVG over the thumbnails in the bbox frame of the page as
scanned, so they stay sharp and carry the value read as a tooltip.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.ext import Extension
from tasksheet.checks.rules import display_for
from tasksheet.ingest.hashing import atomic_text
from tasksheet.reports.images import PageImages, page_images
from tasksheet.reports.terminal import STATUSES, errors_of
from tasksheet.schemas.errors import TemplateError
from tasksheet.schemas.record import BBox, Finding
from tasksheet.schemas.result import Reading, SheetResult
from tasksheet.schemas.template import Template, load_template

ASSETS = "report_assets"
DEFAULT_IMAGE_WORKERS = 2
CSS_PATH = Path(__file__).with_name("report.css")
TEMPLATES = Path(__file__).with_name("templates")
STATUS_ZH = {"complete": "完整", "incomplete": "不完整", "failed": "失败"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def e(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute (the templates autoescape)."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_name(doc_id: str) -> str:
    """A file-system- and anchor-safe name for a document id."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", doc_id) or "_"


def _url(path: Path, root: Path) -> str:
    return quote(path.relative_to(root).as_posix())


# -- templates ------------------------------------------------------------------------------


class JoinLines(Extension):
    """Drop each line break of an .html template and the indentation after it, as it loads:
    templates are laid out one element a line, the page keeps no whitespace of that layout."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return re.sub(r"\n[ \t]*", "", source) if (name or "").endswith(".html") else source


def _blank_none(value: object) -> object:
    return "" if value is None else value


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, finalize=_blank_none, extensions=[JoinLines])
    env.filters["safe_name"] = safe_name
    env.globals.update(statuses=STATUSES, status_zh=STATUS_ZH, severity_zh=SEVERITY_ZH)
    return env


ENV = _environment()


def _render(name: str, **context: object) -> str:
    return ENV.get_template(name).render(**context)


@dataclass(frozen=True)
class Mark:
    """One box drawn over a page: its frame box, CSS class and tooltip."""

    bbox: BBox
    cls: str
    title: str

    @property
    def x(self) -> int:
        return self.bbox[0]

    @property
    def y(self) -> int:
        return self.bbox[1]

    @property
    def width(self) -> int:
        return max(1, self.bbox[2] - self.bbox[0])

    @property
    def height(self) -> int:
        return max(1, self.bbox[3] - self.bbox[1])


@dataclass(frozen=True)
class FindingItem:
    """A finding as listed: its evidence crop's URL, else its page thumbnail's, and the
    display label of its field."""

    finding: Finding
    crop: str | None
    thumb: str | None
    label: str | None


@dataclass(frozen=True)
class Figure:
    """A page thumbnail as shown: its number, URL, bbox frame, boxes and form-page title."""

    number: int
    thumb: str
    frame: tuple[int, int]
    marks: list[Mark]
    title: str
    bad: bool


@dataclass(frozen=True)
class CodeRow:
    """A finding code in the overview: how often, and in how many documents."""

    code: str
    severity: str
    count: int
    documents: int


@dataclass(frozen=True)
class IndexRow:
    """A document in the overview's index, with its error and warning counts."""

    result: SheetResult
    errors: int
    warnings: int


# -- images ---------------------------------------------------------------------------------


def document_images(result: SheetResult, out: Path,
                    boxes: dict[int, list[BBox]] | None = None,
                    assets: str = ASSETS) -> dict[int, PageImages]:
    """Thumbnails and evidence crops of one document's pages, for those the pipeline wrote,
    under `out/<assets>/`. `boxes`: the crops to cut per page (default: every finding's
    box); the review page cuts its readings' too, into its own folder."""
    src_dir = out / "pages" / result.id
    dst_dir = out / assets / safe_name(result.id)
    frames = {p.index: (p.width, p.height) for p in result.pages}
    if boxes is None:
        boxes = {}
        for f in result.findings:
            if f.page and f.bbox:
                boxes.setdefault(f.page, []).append(f.bbox)
    numbers = set(frames) | set(boxes) | {f.page for f in result.findings if f.page}
    images = {}
    for n in sorted(numbers):
        src = src_dir / f"p{n}.jpg"
        if src.is_file():
            done = page_images(src, dst_dir, n, frames.get(n, (0, 0)), boxes.get(n, []))
            if done is not None:
                images[n] = done
    return images


# -- overlays -------------------------------------------------------------------------------


def _reading_marks(fid: str, reading: Reading, bad: bool) -> Iterable[tuple[int, Mark]]:
    if reading.page is None:
        return
    shown = reading.value if not isinstance(reading.value, list) else "、".join(reading.value)
    if reading.bbox is not None:
        last = fid.rsplit(".", 1)[-1]
        kind = {"signed": "sig", "sealed": "seal"}.get(last, "val")
        if kind != "val" and reading.value is not True:
            kind += " off"
        if not reading.options or kind != "val":
            yield reading.page, Mark(reading.bbox, kind + (" bad" if bad else ""), f"{fid}: {shown}")
        else:
            yield reading.page, Mark(reading.bbox, "group" + (" bad" if bad else ""), f"{fid}: {shown}")
    for option in reading.options:
        if option.bbox is not None:
            cls = "opt-on" if option.ticked else "opt-off"
            yield reading.page, Mark(option.bbox, cls, f"{fid}: □{option.label} "
                                     + ("已勾选" if option.ticked else "未勾选"))


def page_marks(result: SheetResult) -> dict[int, list[Mark]]:
    """Every box to draw, by page: values, checkbox options, signatures, seals, findings."""
    flagged = {f.field for f in result.findings if f.field and f.severity == "error"}
    items: list[tuple[str, Reading]] = list(result.readings.items())
    for i, row in enumerate(result.members):
        items += [(f"members.{i}.{k}", r) for k, r in row.cells.items()]
    marks: dict[int, list[Mark]] = {}
    for fid, reading in items:
        for page, mark in _reading_marks(fid, reading, fid in flagged):
            marks.setdefault(page, []).append(mark)
    for f in result.findings:
        if f.page and f.bbox:
            marks.setdefault(f.page, []).append(
                Mark(f.bbox, f"finding {f.severity}", f"{f.code}: {f.message}"))
    return marks


# -- document parts ---------------------------------------------------------------------------


def _finding_item(f: Finding, images: dict[int, PageImages], out: Path, result: SheetResult,
                  template: Template) -> FindingItem:
    page = images.get(f.page) if f.page else None
    crop = thumb = None
    if page is not None and f.bbox is not None and f.bbox in page.crops:
        crop = _url(page.crops[f.bbox], out)
    elif page is not None:
        thumb = _url(page.thumb, out)
    label = display_for(template, f.field, result) if f.field else None
    return FindingItem(f, crop, thumb, label)


def _figures(result: SheetResult, images: dict[int, PageImages], out: Path,
             template: Template) -> list[Figure]:
    titles = {p.id: p.title for p in template.pages}
    forms = {p.index: p.form_page for p in result.pages}
    marks = page_marks(result) if images else {}
    bad_pages = {f.page for f in result.findings if f.page and f.severity == "error"}
    return [Figure(n, _url(img.thumb, out), img.frame, marks.get(n, []),
                   titles.get(forms.get(n) or "", forms.get(n) or ""), n in bad_pages)
            for n, img in sorted(images.items())]


def _record(result: SheetResult, template: Template) -> dict[str, object]:
    """The record's context: labelled field readings (None: not read) and member rows."""
    fields: list[tuple[str, Reading | None]] = []
    seen: set[str] = set()
    for spec in template.fields():
        ids = [spec.id] + [f"{spec.id}.{o.attach}" for o in spec.options if o.attach]
        for fid in ids:
            if fid in result.readings or fid == spec.id:
                seen.add(fid)
                fields.append((display_for(template, fid), result.readings.get(fid)))
    fields += [(fid, r) for fid, r in result.readings.items() if fid not in seen]
    cols = template.members.columns
    members = [(next((p.short for p in template.parties if p.id == row.party), row.party),
                [row.cells.get(c.key) for c in cols])
               for row in result.members]
    return {"fields": fields, "members": members, "member_headers": [c.header for c in cols],
            "bar": template.low_confidence_below}


def document_html(result: SheetResult, images: dict[int, PageImages], out: Path,
                  template: Template) -> str:
    """One document's section: header, findings with evidence, pages, record."""
    order = {"error": 0, "warning": 1, "info": 2}
    findings = sorted(result.findings, key=lambda f: (order.get(f.severity, 3), f.page or 0))
    return _render(
        "document.html", result=result,
        codes=" ".join(sorted({f.code for f in result.findings})),
        findings=[_finding_item(f, images, out, result, template) for f in findings],
        figures=_figures(result, images, out, template), **_record(result, template))


# -- the page ---------------------------------------------------------------------------------


def overview_html(results: list[SheetResult]) -> str:
    """Counts by status and by code (each a filter), and the document index."""
    by_code: Counter[tuple[str, str]] = Counter()
    docs_by_code: Counter[str] = Counter()
    for r in results:
        for f in r.findings:
            by_code[(f.code, f.severity)] += 1
        for code in {f.code for f in r.findings}:
            docs_by_code[code] += 1
    code_rows = [CodeRow(code, sev, n, docs_by_code[code])
                 for (code, sev), n in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0]))]
    index = [IndexRow(r, errors_of(r), sum(f.severity == "warning" for f in r.findings))
             for r in sorted(results, key=lambda r: (-errors_of(r), r.id))]
    return _render("overview.html", total=len(results),
                   counts=Counter(r.status for r in results), code_rows=code_rows,
                   codes=sorted({code for code, _ in by_code}), index=index)


def report_html(results: list[SheetResult], documents: list[str]) -> str:
    """The whole page around the overview and the documents' sections (from document_html)."""
    css = CSS_PATH.read_text(encoding="utf-8") if CSS_PATH.is_file() else ""
    return _render("report.html", css=css, overview=overview_html(results), documents=documents)


def _template_of(result: SheetResult) -> Template:
    try:
        return load_template(result.template)
    except TemplateError:
        return load_template()


def write_html(results: list[SheetResult], out: Path,
               workers: int = DEFAULT_IMAGE_WORKERS) -> Path:
    """Write out/report.html and its images under out/report_assets/."""
    out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        images = list(pool.map(lambda r: document_images(r, out), results))
    order = {"failed": 0, "incomplete": 1, "complete": 2}
    ranked = sorted(zip(results, images, strict=True),
                    key=lambda ri: (order.get(ri[0].status, 3), -errors_of(ri[0]), ri[0].id))
    documents = [document_html(r, imgs, out, _template_of(r)) for r, imgs in ranked]
    path = out / "report.html"
    text = report_html(results, documents)
    with atomic_text(path, encoding="utf-8") as fh:  # whole or the old one, never half
        fh.write(text)
    return path
