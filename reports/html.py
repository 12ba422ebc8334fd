"""report.html: the batch overview and, per document, its pages, findings and record.

One HTML file plus `report_assets/` (page thumbnails and evidence crops), opened from disk:
no server, no external resources; the CSS is inlined and a few lines of inline JS filter
documents by status and finding code. Every text that came from a scan (values, raw text,
messages quoting them, file names) goes through `html.escape`, so a scan cannot inject
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

from tasksheet.checks.rules import display_for
from tasksheet.reports.images import PageImages, page_images
from tasksheet.reports.terminal import STATUSES, errors_of
from tasksheet.schemas.errors import TemplateError
from tasksheet.schemas.record import BBox, Finding
from tasksheet.schemas.result import Reading, SheetResult
from tasksheet.schemas.template import Template, load_template

ASSETS = "report_assets"
DEFAULT_IMAGE_WORKERS = 2
CSS_PATH = Path(__file__).with_name("report.css")
STATUS_ZH = {"complete": "完整", "incomplete": "不完整", "failed": "失败"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def e(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def safe_name(doc_id: str) -> str:
    """A file-system- and anchor-safe name for a document id."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", doc_id) or "_"


def _url(path: Path, root: Path) -> str:
    return e(quote(path.relative_to(root).as_posix()))


@dataclass(frozen=True)
class Mark:
    """One box drawn over a page: its frame box, CSS class and tooltip."""

    bbox: BBox
    cls: str
    title: str


# -- images ---------------------------------------------------------------------------------


def document_images(result: SheetResult, out: Path) -> dict[int, PageImages]:
    """Thumbnails and evidence crops of one document's pages, for those the pipeline wrote."""
    src_dir = out / "pages" / result.id
    dst_dir = out / ASSETS / safe_name(result.id)
    frames = {p.index: (p.width, p.height) for p in result.pages}
    numbers = set(frames) | {f.page for f in result.findings if f.page}
    boxes: dict[int, list[BBox]] = {}
    for f in result.findings:
        if f.page and f.bbox:
            boxes.setdefault(f.page, []).append(f.bbox)
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


def _svg(frame: tuple[int, int], marks: list[Mark]) -> str:
    w, h = frame
    rects = "".join(
        f'<rect class="{e(m.cls)}" x="{m.bbox[0]}" y="{m.bbox[1]}" width="{max(1, m.bbox[2] - m.bbox[0])}" '
        f'height="{max(1, m.bbox[3] - m.bbox[1])}"><title>{e(m.title)}</title></rect>'
        for m in marks)
    return (f'<svg class="overlay" viewBox="0 0 {w} {h}" preserveAspectRatio="none" '
            f'xmlns="http://www.w3.org/2000/svg">{rects}</svg>')


# -- document parts ---------------------------------------------------------------------------


def _finding_html(f: Finding, images: dict[int, PageImages], out: Path, result: SheetResult,
                  template: Template) -> str:
    crop = ""
    page = images.get(f.page) if f.page else None
    if page is not None and f.bbox is not None and f.bbox in page.crops:
        crop = (f'<img class="evidence" src="{_url(page.crops[f.bbox], out)}" '
                f'alt="{e(f.message)}" onerror="this.dataset.loaded=0">')
    elif page is not None:
        crop = f'<a class="noimg" href="{_url(page.thumb, out)}">第 {f.page} 页</a>'
    else:
        crop = '<span class="noimg">无图像</span>'
    where = []
    if f.field:
        label = display_for(template, f.field, result)
        where.append(f"<code>{e(f.field)}</code>" + (f" · {e(label)}" if label != f.field else ""))
    if f.page:
        where.append(f"第 {f.page} 页")
    if f.bbox:
        where.append("框 " + " ".join(map(str, f.bbox)))
    return (f'<li class="finding {e(f.severity)}" data-code="{e(f.code)}">'
            f'<div class="ev">{crop}</div><div class="what">'
            f'<span class="sev">{e(SEVERITY_ZH.get(f.severity, f.severity))}</span> '
            f'<code class="code">{e(f.code)}</code><p class="msg">{e(f.message)}</p>'
            f'<p class="where">{" · ".join(where)}</p></div></li>')


def _pages_html(result: SheetResult, images: dict[int, PageImages], out: Path,
                template: Template) -> str:
    if not images:
        return '<p class="noimg">没有页面图像（out/pages/ 中未找到）。</p>'
    titles = {p.id: p.title for p in template.pages}
    forms = {p.index: p.form_page for p in result.pages}
    marks = page_marks(result)
    bad_pages = {f.page for f in result.findings if f.page and f.severity == "error"}
    figures = []
    for n, img in sorted(images.items()):
        title = titles.get(forms.get(n) or "", forms.get(n) or "")
        cls = "page bad" if n in bad_pages else "page"
        figures.append(
            f'<figure class="{cls}"><a href="{_url(img.thumb, out)}" target="_blank">'
            f'<div class="stage"><img src="{_url(img.thumb, out)}" loading="lazy" alt="第 {n} 页">'
            f'{_svg(img.frame, marks.get(n, []))}</div></a>'
            f"<figcaption>第 {n} 页 · {e(title)}</figcaption></figure>")
    return f'<div class="thumbs">{"".join(figures)}</div>'


def _cell(reading: Reading | None, bar: float) -> str:
    if reading is None:
        return '<td class="none">—未读取—</td><td></td><td></td>'
    value = reading.value
    if reading.options:
        shown = "　".join(("☑" if o.ticked else "☐") + e(o.label) for o in reading.options)
    elif isinstance(value, list):
        shown = e("、".join(value)) or "（未勾选）"
    elif isinstance(value, bool):
        shown = "✔ 有" if value else "✘ 无"
    elif value is None or value == "":
        shown = '<span class="none">（空）</span>'
    else:
        shown = e(value)
    raw = "" if reading.raw is None or reading.raw == value else e(reading.raw)
    low = ' class="low"' if reading.confidence < bar else ""
    page = f"p{reading.page}" if reading.page else ""
    return f"<td>{shown}</td><td class=raw>{raw}</td><td{low}>{reading.confidence:.2f} {page}</td>"


def _record_html(result: SheetResult, template: Template) -> str:
    bar = template.low_confidence_below
    rows, seen = [], set()
    for spec in template.fields():
        ids = [spec.id] + [f"{spec.id}.{o.attach}" for o in spec.options if o.attach]
        for fid in ids:
            if fid in result.readings or fid == spec.id:
                seen.add(fid)
                rows.append(f"<tr><th>{e(display_for(template, fid))}</th>"
                            f"{_cell(result.readings.get(fid), bar)}</tr>")
    for fid, reading in result.readings.items():
        if fid not in seen:
            rows.append(f"<tr><th>{e(fid)}</th>{_cell(reading, bar)}</tr>")
    cols = template.members.columns
    head = "".join(f"<th>{e(c.header)}</th>" for c in cols)
    members = []
    for row in result.members:
        party = next((p.short for p in template.parties if p.id == row.party), row.party)
        cells = "".join(_member_cell(row.cells.get(c.key), bar) for c in cols)
        members.append(f"<tr><th>{e(party)}</th>{cells}</tr>")
    return (
        '<details class="record"><summary>识别结果（记录）</summary>'
        '<table class="fields"><tr><th>栏目</th><th>值</th><th>原文</th><th>置信度</th></tr>'
        + "".join(rows) + "</table>"
        + (f'<table class="members"><tr><th>单位</th>{head}</tr>{"".join(members)}</table>'
           if members else "")
        + "</details>")


def _member_cell(reading: Reading | None, bar: float) -> str:
    if reading is None:
        return '<td class="none">—</td>'
    value = reading.value
    shown = ("✔" if value else "✘") if isinstance(value, bool) else e(value)
    low = ' class="low"' if reading.confidence < bar else ""
    return f"<td{low}>{shown}</td>"


def document_html(result: SheetResult, images: dict[int, PageImages], out: Path,
                  template: Template) -> str:
    """One document's section: header, findings with evidence, pages, record."""
    codes = " ".join(sorted({f.code for f in result.findings}))
    order = {"error": 0, "warning": 1, "info": 2}
    findings = sorted(result.findings, key=lambda f: (order.get(f.severity, 3), f.page or 0))
    items = "".join(_finding_html(f, images, out, result, template) for f in findings)
    reason = f'<p class="reason">{e(result.error)}</p>' if result.error else ""
    return (
        f'<section class="doc {e(result.status)}" id="doc-{e(safe_name(result.id))}" '
        f'data-status="{e(result.status)}" data-codes="{e(codes)}">'
        f'<h2><span class="badge {e(result.status)}">{e(STATUS_ZH.get(result.status, result.status))}</span> '
        f'{e(result.id)}</h2><p class="sources">{e("; ".join(result.sources))} · '
        f'{len(result.pages)} 页</p>{reason}'
        + (f'<ul class="findings">{items}</ul>' if items else '<p class="ok">没有发现问题。</p>')
        + _pages_html(result, images, out, template)
        + _record_html(result, template) + "</section>")


# -- the page ---------------------------------------------------------------------------------


def overview_html(results: list[SheetResult]) -> str:
    """Counts by status and by code (each a filter), and the document index."""
    status = Counter(r.status for r in results)
    buttons = "".join(
        f'<button data-set-status="{s}" class="badge {s}">{STATUS_ZH[s]} {s} <b>{status[s]}</b></button>'
        for s in STATUSES)
    by_code: Counter[tuple[str, str]] = Counter()
    docs_by_code: Counter[str] = Counter()
    for r in results:
        for f in r.findings:
            by_code[(f.code, f.severity)] += 1
        for code in {f.code for f in r.findings}:
            docs_by_code[code] += 1
    code_rows = "".join(
        f'<tr data-set-code="{e(code)}"><td><code>{e(code)}</code></td><td>{e(SEVERITY_ZH.get(sev, sev))}</td>'
        f"<td>{n}</td><td>{docs_by_code[code]}</td></tr>"
        for (code, sev), n in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0])))
    codes = sorted({code for code, _ in by_code})
    options = "".join(f'<option value="{e(c)}">{e(c)}</option>' for c in codes)
    index = "".join(
        f'<tr class="docrow" data-doc="doc-{e(safe_name(r.id))}"><td><a href="#doc-{e(safe_name(r.id))}">'
        f"{e(r.id)}</a></td><td>{e('; '.join(r.sources))}</td>"
        f'<td><span class="badge {e(r.status)}">{e(STATUS_ZH.get(r.status, r.status))}</span></td>'
        f"<td>{errors_of(r)}</td><td>{sum(f.severity == 'warning' for f in r.findings)}</td></tr>"
        for r in sorted(results, key=lambda r: (-errors_of(r), r.id)))
    return (
        f'<section class="overview"><h1>任务书核查报告</h1><p>{len(results)} 份文件</p>'
        f'<div class="statuses">{buttons}</div>'
        '<div class="filters"><label>状态 <select id="f-status"><option value="">全部</option>'
        + "".join(f'<option value="{s}">{STATUS_ZH[s]}</option>' for s in STATUSES)
        + '</select></label> <label>问题 <select id="f-code"><option value="">全部</option>'
        f'{options}</select></label> <button id="f-clear">清除筛选</button> '
        f'显示 <b id="shown">{len(results)}</b> / {len(results)} 份</div>'
        '<div id="img-status" class="img-status"></div>'
        + (f'<table class="codes"><tr><th>问题代码</th><th>级别</th><th>次数</th><th>文件数</th></tr>'
           f"{code_rows}</table>" if code_rows else '<p class="ok">没有发现问题。</p>')
        + '<details class="index" open><summary>文件列表（按错误数）</summary><table>'
        "<tr><th>文件</th><th>来源</th><th>状态</th><th>错误</th><th>警告</th></tr>"
        f"{index}</table></details></section>")


SCRIPT = """
const $$ = s => document.querySelectorAll(s), fs = document.getElementById('f-status'),
  fc = document.getElementById('f-code');
function applyFilter() {
  const s = fs.value, c = fc.value; let n = 0;
  $$('section.doc').forEach(d => {
    d.hidden = !((!s || d.dataset.status === s) && (!c || d.dataset.codes.split(' ').includes(c)));
    if (!d.hidden) n++; });
  $$('tr.docrow').forEach(t => { t.hidden = document.getElementById(t.dataset.doc).hidden; });
  $$('li.finding').forEach(f => f.classList.toggle('dim', !!c && f.dataset.code !== c));
  document.getElementById('shown').textContent = n;
}
fs.onchange = fc.onchange = applyFilter;
document.addEventListener('click', ev => {
  const b = ev.target.closest('[data-set-status],[data-set-code],#f-clear'); if (!b) return;
  if (b.id === 'f-clear') { fs.value = fc.value = ''; }
  if (b.dataset.setStatus) fs.value = fs.value === b.dataset.setStatus ? '' : b.dataset.setStatus;
  if (b.dataset.setCode) fc.value = fc.value === b.dataset.setCode ? '' : b.dataset.setCode;
  applyFilter(); });
const q = new URLSearchParams(location.search);  // report.html?status=…&code=… presets
fs.value = q.get('status') || ''; fc.value = q.get('code') || ''; applyFilter();
window.addEventListener('load', () => {
  let ok = 0, bad = 0;
  $$('img.evidence').forEach(i => { const good = i.complete && i.naturalWidth > 0;
    i.dataset.loaded = good ? '1' : '0'; good ? ok++ : bad++; });
  const el = document.getElementById('img-status');
  el.dataset.ok = ok; el.dataset.broken = bad;
  el.textContent = bad ? bad + ' 张证据图像未能加载' : '';
});
"""


def report_html(results: list[SheetResult], documents: list[str]) -> str:
    css = CSS_PATH.read_text(encoding="utf-8") if CSS_PATH.is_file() else ""
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>任务书核查报告</title><style>{css}</style></head><body>"
            + overview_html(results) + "".join(documents)
            + f"<script>{SCRIPT}</script></body></html>")


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
    path.write_text(report_html(results, documents), encoding="utf-8")
    return path
