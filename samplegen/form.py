"""The seven pages of the task sheet, laid out from the template and filled from a `Sheet`.

Labels, rows, options and headings come from `schemas/task_sheet_2018.yaml`; only the
printed prose that the template does not carry (title lines, 填表说明, the six clauses)
is quoted here, verbatim from the seed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from tasksheet.samplegen.fill import DASH, Sheet
from tasksheet.samplegen.fonts import BOLD, SYMBOL_FONT, text_width, wrap
from tasksheet.samplegen.layout import (
    PAGE_W,
    Builder,
    Cell,
    Group,
    Mark,
    PageLayout,
    Rect,
    Style,
    Text,
    add_folios,
    glyph_box,
    label_cell,
    table,
    value_cell,
    with_office,
)
from tasksheet.samplegen.office import Office, cover_month, heading_text, office_date
from tasksheet.schemas.template import CellField, Template, load_template

HEAD_FONT = "zenhei"  # headings print in a 黑体-like face in every copy
TITLE = ("成都市科协所属学会有序承接政府", "转移职能试点项目任务书")
INSTRUCTIONS = (
    "本项目任务书是成都市科学技术协会（以下简称成都市科协）为市科协所属学会（以下简称学会）"
    "有序承接政府转移职能试点项目而设计。项目任务书委托单位为参与试点项目的政府部门，"
    "承接单位为承担试点项目的学会，协调单位为成都市科协。",
    "本项目任务书一式三份，政府部门、学会和成都市科协各执一份。",
    "填写内容涉及到外文名称，须写清全称和缩写字母。",
    "凡不填内容的栏目，请用“—”表示。",
)
CLAUSES = (
    "(1) 委托单位有权监督、检查任务履行情况。试点项目履行期间，委托单位根据需要有权委派专家组，"
    "对承担单位履行试点情况进行检查、监督。承担单位完成试点项目任务后，由委托单位联合协调单位进行考核评估。",
    "(2) 承担单位严格按照试点项目任务书开展工作，如需变更试点项目工作内容，须以书面形式向委托单位"
    "和协调单位提交试点内容变更请求，按照规定程序报批。",
    "(3) 承担单位应积极配合或参加由委托单位召集的有关本项目的监督、管理和评估等活动。",
    "(4) 承担单位因某种原因（如：与试点项目工作内容有出入或某些条件不落实）不能按计划执行而主动要求"
    "中止任务时，应视不同情况，部分或全部退还所拨经费；承担单位未主动提出中止任务的要求，委托单位有权"
    "会同协调单位提出中止任务。",
    "(5) 协调单位应为项目的顺利实施提供指导与保障，具有配合委托单位为保证项目的顺利实施，"
    "进行相关的协调和督促的义务。",
    "(6) 任务书签订各方均负有相应的责任。若有争议或纠纷时，按有关法规和管理办法处理。",
)
SEAL_RED = (205, 32, 42)


def layout_sheet(sheet: Sheet, style: Style, rng: random.Random,
                 template: Template | None = None, office: Office | None = None
                 ) -> list[PageLayout]:
    """All pages of one printed sheet, in form order (continuations repeat the page id);
    `office` draws that office's habits (`office.Office`; None: none, as before)."""
    t = template or load_template()
    b = Builder(with_office(style, office), rng)
    b.o = office
    cover(b, t, sheet)
    instructions(b, t)
    basic_info(b, t, sheet)
    content(b, t, sheet)
    members(b, t, sheet)
    clauses(b, t)
    opinions(b, t, sheet)
    finish(b)
    return b.pages


def finish(b: Builder) -> None:
    """The office's page furniture, and its rules turned against the text (each page a
    little differently, as each sheet goes through the printer on its own)."""
    add_folios(b.pages, b.s, b.o)
    if b.o and b.o.tilt:
        for p in b.pages:
            p.tilt = b.o.tilt * b.orng.uniform(0.8, 1.15)


def head_font(b: Builder) -> str:
    """The headings' face: 黑体-like in every copy, or an office's (its body face, bold)."""
    if not b.o:
        return HEAD_FONT
    body = b.s.font.partition("+")[0]
    return {"body": body, "body_bold": body + BOLD}.get(b.o.head_font, b.o.head_font)


def head_words(b: Builder, text: str) -> str:
    """A heading as this office sets it (numbered 一、 一． （一）, letter-spaced or not)."""
    return heading_text(text, b.o.numbering, b.o.spaced_all) if b.o else text


def heading(b: Builder, text: str, centred: bool = False, scale: float = 1.15) -> None:
    size = b.s.size * scale * (b.o.head_scale / 1.15 if b.o else 1.0)
    text = head_words(b, text)
    font = head_font(b)
    b.y += size * 1.2
    x = (PAGE_W - text_width(text, font, size)) / 2 if centred else b.left
    b.print_text(x, b.y, text, size=size, font=font)
    b.y += size * 0.9


def page_heading(t: Template, page_id: str) -> str:
    return next(p.heading for p in t.pages if p.id == page_id) or ""


# -- cover, instructions, clauses: mostly print --------------------------------------------

def cover(b: Builder, t: Template, sheet: Sheet) -> None:
    b.page("cover")
    s = b.s
    hf = head_font(b)
    b.print_text(b.left, b.y + s.size * 1.4, "附件", size=s.size * 1.3, font=hf)
    b.y += b.rng.uniform(35, 50)
    tsize = 22 * 25.4 / 72 * b.rng.uniform(0.9, 1.0)
    for ln in TITLE:
        b.y += tsize * 1.6
        b.print_text((PAGE_W - text_width(ln, hf, tsize)) / 2, b.y, ln, tsize, hf)
    b.y += b.rng.uniform(35, 55)
    lsize = s.size * 1.3
    x0 = b.rng.uniform(34, 44)
    x1 = PAGE_W - b.rng.uniform(30, 40)
    if b.o and b.o.cover_table:
        cover_table(b, t, sheet, x0 - 6, x1 + 6, lsize)
    for f in [f for f in t.lines if f.page == "cover" and f.type != "month"
              and not (b.o and b.o.cover_table)]:
        b.y += lsize * 2.6
        xl = b.print_text(x0, b.y, f.label, size=lsize)
        value = sheet.get(f.id)
        font, vsize = b.fill_font() if not f.preprinted else (s.font, s.size)
        vsize *= 1.25
        lines = wrap(value or "", font, vsize, x1 - xl - 4) if value else [""]
        for i, ln in enumerate(lines):
            if i:
                b.y += lsize * 1.9
            b.line(xl, b.y + 1.2, x1, b.y + 1.2)
            if ln:
                if f.preprinted:
                    b.print_text(xl + 3, b.y, ln, size=vsize)
                elif s.hand:
                    b.add(Text(xl + 3, b.y, ln, font, vsize, True, b.seed(), s.ink))
                else:
                    b.print_text(xl + 3, b.y, ln, size=vsize, font=font)
    # footer
    b.y = b.bottom - b.rng.uniform(25, 40)
    maker = "成都市科学技术协会制"
    b.print_text((PAGE_W - text_width(maker, s.font, lsize)) / 2, b.y, maker, size=lsize)
    b.y += lsize * 1.9
    month_line = next(f for f in t.lines if f.type == "month")
    label, until = month_line.label, month_line.until or "月"
    gap = lsize * 2.6
    total = text_width(label + until, s.font, lsize) + gap
    x = (PAGE_W - total) / 2
    xe = b.print_text(x, b.y, label, size=lsize)
    b.print_text(xe + gap, b.y, until, size=lsize)
    month = sheet.get(month_line.id)
    if month:
        month = cover_month(month, b.o.month_style) if b.o else month
        font, vsize = b.fill_font()
        b.fill_text(xe + (gap - text_width(month, font, vsize)) / 2, b.y, month)


def cover_table(b: Builder, t: Template, sheet: Sheet, x0: float, x1: float,
                lsize: float) -> None:
    """The cover's four lines as a bordered table, label | value (an office's variant of
    the underlined blanks); values typed or written, centred or from the left."""
    s = b.s
    col = x0 + max(text_width(f.label, s.font, lsize) for f in t.lines if f.page == "cover") + 4
    row_h = lsize * b.rng.uniform(2.0, 2.8)
    centred = b.rng.random() < 0.6
    top = b.y + lsize
    fields = [f for f in t.lines if f.page == "cover" and f.type != "month"]
    for i, f in enumerate(fields):
        y0 = top + i * row_h
        b.line(x0, y0, x1, y0)
        yb = y0 + row_h / 2 + lsize * 0.38
        b.print_text(x0 + 2, yb, f.label, size=lsize)
        value = sheet.get(f.id)
        if not value:
            continue
        hand = s.hand and not f.preprinted
        font, vsize = b.fill_font() if hand else (s.font, s.size * 1.1)
        vsize = min(vsize, vsize * (x1 - col - 4) / max(1e-6, text_width(value, font, vsize)))
        w = text_width(value, font, vsize)
        x = (col + x1 - w) / 2 if centred else col + 2.5
        if hand:
            b.add(Text(x, yb, value, font, vsize, True, b.seed(), s.ink))
        else:
            b.print_text(x, yb, value, size=vsize, font=font)
    bottom = top + len(fields) * row_h
    b.line(x0, bottom, x1, bottom)
    for x in (x0, col, x1):
        b.line(x, top, x, bottom)
    b.y = bottom


def instructions(b: Builder, t: Template) -> None:
    b.page("instructions")
    title = " ".join(page_heading(t, "instructions"))
    b.y += 6
    heading(b, title, centred=True, scale=1.5)
    b.y += 4
    for i, rule in enumerate(INSTRUCTIONS, 1):
        b.paragraph(b.left, b.right, f"{i}. {rule}", fill=False, indent=b.s.size * 2)
        b.y += b.s.size * 0.4


def clauses(b: Builder, t: Template) -> None:
    b.page("clauses")
    heading(b, page_heading(t, "clauses"))
    top = b.y
    b.y += 2
    for clause in CLAUSES:
        b.paragraph(b.left + 2, b.right - 2, clause, fill=False, indent=b.s.size * 2)
    b.y = max(b.y + 6, top + b.rng.uniform(120, 170))
    b.rect((b.left, top, b.right, b.y))


# -- section 一 ------------------------------------------------------------------------------

def column_xs(b: Builder, fracs: tuple[float, ...]) -> list[float]:
    xs = [b.left]
    for f in fracs:
        xs.append(xs[-1] + f * (b.right - b.left))
    xs[-1] = b.right
    return xs


def basic_info(b: Builder, t: Template, sheet: Sheet) -> None:
    b.page("basic_info")
    heading(b, page_heading(t, "basic_info"))
    b.y += 1.5
    xs = column_xs(b, b.s.col_frac)
    groups = []
    for tbl in t.tables:
        for g in tbl.groups:
            rows = []
            for row in g.rows:
                cells: list[Cell] = []
                for f in row:
                    cells.append(label_cell(f.label))
                    if f.type == "checkbox_group":
                        cells.append(checkbox_cell(f, sheet.get(f.id)))
                    else:
                        cells.append(value_cell(sheet.get(f.id), 3 if f.span else 1,
                                                preprinted=bool(f.preprinted)))
                rows.append(cells)
            groups.append(Group(t.party(g.party).label, rows, b.s.row_h))
    table(b, xs, groups)


def checkbox_cell(f: CellField, value: dict[str, Any], trailing: str | None = None) -> Cell:
    """`□有，预算额度____万元   □无`: boxes, printed text, and blanks holding written values;
    `trailing` is written after the options (the "—" of a group that does not apply)."""
    ticked = set(value.get("ticked", []))

    def need(b: Builder, w: float) -> float:
        return b.s.size * 2.2

    def draw(b: Builder, r: Rect) -> None:
        s = b.s
        y = (r[1] + r[3]) / 2 + s.size * 0.38
        x = r[0] + 2.0
        for oi, opt in enumerate(f.options):
            if oi:
                x += s.size * b.rng.choice((2.0, 3.0, 4.0))
            box_x = x
            x = b.print_text(x, y, "□")
            if opt.label in ticked:
                tick(b, box_x, y, b.rng.choice(s.tick_kinds))
            before, _, after = opt.text.partition("____")
            x = b.print_text(x, y, before)
            if opt.attach:
                written = value.get(opt.attach)
                blank = s.size * (4.5 if opt.attach == "amount_wan" else 9.0)
                if written:
                    font, vsize = b.fill_font()
                    blank = max(blank, text_width(written, font, vsize) + 4)
                    xw = x + (blank - text_width(written, font, vsize)) / 2
                    if written == DASH and b.v and b.v.hand_dash:  # `其他，__—__` by pen
                        b.hand_text(xw + b.rng.uniform(-1, 1), y - b.rng.uniform(0, 1.2),
                                    written, b.v.dash_ink)
                    else:
                        b.fill_text(xw, y - 0.3, written)
                b.line(x + 0.5, y + 1.0, x + blank - 0.5, y + 1.0, 0.15)
                x += blank
                x = b.print_text(x, y, after) if after else x
        if trailing and b.v and b.v.hand_dash:
            b.hand_text(x + s.size * b.rng.uniform(1.5, 3.5), y, trailing, b.v.dash_ink)
        elif trailing:
            b.fill_text(x + s.size * b.rng.uniform(1.5, 3.5), y, trailing)

    return Cell(3, need, draw)


def tick(b: Builder, x: float, y: float, kind: str) -> None:
    """Tick the □ printed at baseline (x, y): glyph ☑, filled ■, or a hand-drawn √ or ×;
    a flowing sheet's heavy hand draws ✗ over the label's start or a ✓ reaching over it."""
    s = b.s
    box = glyph_box("□", s.font, s.size, x, y)
    if kind in ("tick_typed", "x_typed", "boxcross", "pen_fill"):
        office_tick(b, box, y, kind)
        return
    if b.v and b.v.heavy_ticks:  # a pen that does not stop at the box
        kind = b.rng.choice(("xheavy", "vlong", "filled"))
    if kind in ("xheavy", "vlong"):
        bw = box[3] - box[1]
        reach = bw * (b.rng.uniform(0.8, 1.6) if kind == "xheavy" else b.rng.uniform(1.5, 2.6))
        lift = bw * (0.15 if kind == "xheavy" else b.rng.uniform(0.5, 0.9))
        b.add(Mark(kind, (box[0] - bw * 0.15, box[1] - lift, box[2] + reach, box[3] + bw * 0.2),
                   b.seed(), s.ink if s.hand else b.rng.choice(((24, 40, 140), (25, 25, 30)))))
        return
    if kind == "glyph":
        items = b.pages[-1].items
        items.pop()  # the □ just printed
        w = text_width("☑", SYMBOL_FONT, s.size * 1.05)
        items.append(Text((box[0] + box[2] - w) / 2, y, "☑", SYMBOL_FONT, s.size * 1.05))
    elif kind == "filled":
        b.pages[-1].items.pop()
        b.print_text(x, y, "■")
    else:
        g = s.size * b.rng.uniform(0.1, 0.5)  # strokes spill outside the box
        b.add(Mark(kind, (box[0] - g, box[1] - g * 1.4, box[2] + g, box[3] + g * 0.5),  # type: ignore[arg-type]
                   b.seed(), s.ink if s.hand else b.rng.choice(((24, 40, 140), (25, 25, 30)))))


def office_tick(b: Builder, box: Rect, y: float, kind: str) -> None:
    """An office's tick of the □ at `box`: √, ✓ or × typed over it, ☒ in its place, or the
    box inked solid by pen."""
    s = b.s
    if kind == "boxcross":
        items = b.pages[-1].items
        items.pop()
        w = text_width("☒", SYMBOL_FONT, s.size * 1.05)
        items.append(Text((box[0] + box[2] - w) / 2, y, "☒", SYMBOL_FONT, s.size * 1.05))
    elif kind in ("tick_typed", "x_typed"):  # √ or ✓ (or ×) typed over the box
        size = s.size * b.rng.uniform(0.9, 1.25)
        mark = b.rng.choice(("√", "✓")) if kind == "tick_typed" else "×"
        w = text_width(mark, SYMBOL_FONT, size)
        b.add(Text((box[0] + box[2] - w) / 2 + b.rng.uniform(-0.3, 0.6), y + b.rng.uniform(-0.4, 0.3),
                   mark, SYMBOL_FONT, size))
    else:
        g = (box[3] - box[1]) * 0.12
        b.add(Mark("scribble", (box[0] - g, box[1] - g, box[2] + g, box[3] + g), b.seed(),
                   s.ink if s.hand else b.rng.choice(((24, 40, 140), (25, 25, 30)))))


# -- sections 二 and 三 ------------------------------------------------------------------------

def content(b: Builder, t: Template, sheet: Sheet) -> None:
    b.page("content")
    block = t.blocks[0]
    heading(b, block.heading)
    top = b.y
    b.y += 3
    text = sheet.get(block.id)
    if text:
        font, size = b.fill_font()
        b.paragraph(b.left + 3, b.right - 3, text, fill=True, indent=size * 2)
    b.y = min(max(b.y + 8, top + b.s.content_h), b.bottom)
    b.rect((b.left, top, b.right, b.y))


def signature_cell(signed: bool, name: str | None = None,
                   typed: dict[str, Any] | None = None) -> Cell:
    """A 签字 cell; `name` is the member's, which a flowing sheet's signer may write;
    `typed`: an unsigned cell holding the name typed or stamped (`typed_name`)."""
    def need(b: Builder, w: float) -> float:
        return 0.0

    def draw(b: Builder, r: Rect) -> None:
        if typed and not signed:
            w, h = r[2] - r[0], r[3] - r[1]
            typed_name(b, r[0] + w * 0.06, (r[1] + r[3]) / 2 + b.s.size * 0.35,
                       r[2] - w * 0.06, typed)
        if signed:
            w, h = r[2] - r[0], r[3] - r[1]
            if b.o and b.o.sig_spill:  # a large hand: over the cell's rules, into the margin
                b.signature((r[0] + w * 0.04, r[1] - h * b.orng.uniform(0.1, 0.3),
                             r[2] + w * b.orng.uniform(0.15, 0.45), r[3] + h * 0.12), name)
                return
            b.signature((r[0] + w * 0.06, r[1] + h * 0.08, r[2] - w * 0.06, r[3] - h * 0.08), name)

    return Cell(1, need, draw)


def member_groups(t: Template, sheet: Sheet, header_h: float, row_h: float,
                  unused: str | None = None, dash_signed: bool = False,
                  names: bool = False) -> list[Group]:
    """The members table's rows by party, under its header row.

    A flowing sheet writes the form's "—" (`unused`) in an unused row's text cells (rule 4),
    and in its 签字 cell too with `dash_signed`; with `names` a signer may write the member's
    name. The paged sheet leaves unused rows blank.
    """
    mt = t.members
    header = [label_cell(c.header) for c in mt.columns]
    groups = [Group("", [header], header_h)]
    rows_by_party: dict[str, list[dict[str, Any]]] = {}
    typed_of: dict[int, dict[str, Any]] = {}  # id(member) → its typed name, if any
    for i, m in enumerate(sheet.record["members"]):
        rows_by_party.setdefault(m["party"], []).append(m)
        if f"members.{i}.signed" in typed_signatures(sheet):
            typed_of[id(m)] = typed_signatures(sheet)[f"members.{i}.signed"]
    for g in mt.groups:
        filled = rows_by_party.get(g.party, [])
        rows = []
        for i in range(max(g.rows, len(filled))):
            m = filled[i] if i < len(filled) else None
            cells: list[Cell] = []
            for c in mt.columns:
                if c.key == "signed":
                    if m is None and dash_signed:
                        cells.append(value_cell(DASH))
                    else:
                        name = m["name"] if m and names else None
                        cells.append(signature_cell(bool(m and m["signed"]), name,
                                                    typed_of.get(id(m))))
                else:
                    cells.append(value_cell(m[c.key] if m else unused))
            rows.append(cells)
        groups.append(Group(g.label, rows, row_h))
    return groups


def members(b: Builder, t: Template, sheet: Sheet) -> None:
    b.page("members")
    heading(b, t.members.heading)
    b.y += 1.5
    xs = column_xs(b, b.s.member_frac)
    table(b, xs, member_groups(t, sheet, b.s.row_h * 0.9, b.s.member_row_h))


# -- section 五 --------------------------------------------------------------------------------

def opinions(b: Builder, t: Template, sheet: Sheet) -> None:
    b.page("opinions")
    heading(b, t.opinions.heading)
    b.y += 1.5
    b.line(b.left, b.y, b.right, b.y)
    for blk in t.opinions.blocks:
        h = b.s.opinion_h
        if not b.fits(h):
            b.page("opinions")
            b.line(b.left, b.y, b.right, b.y)
        r = (b.left, b.y, b.right, b.y + h)
        opinion_block(b, r, blk.label, blk.signature_label, blk.seal_label,
                      sheet.record["opinions"][blk.party], sheet.dates[blk.party],
                      typed_signatures(sheet).get(f"opinions.{blk.party}.signed"))
        b.line(r[0], r[1], r[0], r[3])
        b.line(r[2], r[1], r[2], r[3])
        b.y = r[3]
        # one cell for the three blocks (an office's variant): no rule between them
        if not (b.o and b.o.opinion_frame == "one") or blk is t.opinions.blocks[-1] \
                or not b.fits(h):
            b.line(r[0], r[3], r[2], r[3])


def opinion_block(b: Builder, r: Rect, label: str, sig_label: str, seal_label: str,
                  op: dict[str, Any], date: tuple[str, str, str] | None,
                  typed: dict[str, Any] | None = None) -> None:
    s = b.s
    b.y = r[1]
    b.y += s.size * 1.6
    b.print_text(r[0] + 2, b.y, label)
    if op["text"]:
        b.paragraph(r[0] + 4, r[2] - 4, op["text"], fill=True, indent=s.size * 2)
    lh = s.size * 2.1
    xs = r[0] + (r[2] - r[0]) * b.rng.uniform(0.40, 0.5)
    y_date = r[3] - s.size * 1.4
    y_seal = y_date - lh * 1.2
    y_sig = y_seal - lh
    y_sig, y_seal, y_date = signing_rows(b, b.y, (y_sig, y_seal, y_date))
    if b.o and b.o.opinion_frame == "rows":  # the block as rows: opinion | signing | date
        b.line(r[0], y_sig - s.size * 2.5, r[2], y_sig - s.size * 2.5)
        b.line(r[0], y_date - s.size * 1.3, r[2], y_date - s.size * 1.3)
    xe = b.print_text(xs, y_sig, sig_label)
    if op["signed"]:
        b.signature(signature_box(b, xs, xe, y_sig, r[2], sig_label)
                    or (xe + 1, y_sig - s.size * 2.2, min(xe + 38, r[2] - 2), y_sig + s.size * 0.9))
    elif typed:
        typed_name(b, xe + s.size * 0.5, y_sig, r[2] - 2, typed)
    seal_x = b.print_text(xs + s.size * b.rng.uniform(0, 1.5), y_seal, seal_label)
    # date: printed skeleton `年    月   日`, filled by typing or by hand
    gaps = (s.size * 2.6, s.size * 2.0)
    xd = r[2] - b.rng.uniform(14, 30) - text_width("年月日", s.font, s.size) - sum(gaps)
    whole = written_date(b, date)
    if whole:
        write_date(b, xd - text_width("2018 ", s.font, s.size), y_date, whole)
    elif date and not s.hand:
        txt = f"{date[0]} 年 {date[1]} 月 {date[2]} 日"
        b.print_text(xd - text_width("2018 ", s.font, s.size), y_date, txt)
    else:
        fill_date_blanks(b, xd, y_date, date, gaps)
    if op["sealed"]:
        d = b.rng.uniform(38, 42)
        cx = (xs + seal_x) / 2 + b.rng.uniform(-8, 12)
        cy = y_seal - s.size * 0.4 + b.rng.uniform(-6, 6)
        stamp(b, d, cx, cy, (xe, y_sig), (xd + 8, y_date), op["seal_text"])


def fill_date_blanks(b: Any, x: float, y_date: float, date: tuple[str, str, str] | None,
                     gaps: tuple[float, float]) -> None:
    """The printed skeleton `年  月  日` from `x`, its blanks filled as the sheet is (typed or by
    hand); the year written before `年`. Left empty where there is no date."""
    font, vsize = b.fill_font()
    if date:
        b.fill_text(x - text_width(date[0], font, vsize) - 1, y_date, date[0])
    for i, part in enumerate(("年", "月", "日")):
        x = b.print_text(x, y_date, part)
        if i < 2:
            if date:
                w = text_width(date[i + 1], font, vsize)
                b.fill_text(x + (gaps[i] - w) / 2, y_date, date[i + 1])
            x += gaps[i]


STAMP_INKS = ((196, 38, 48), (88, 64, 150))  # a name stamp's red or blue-violet 印油
TYPED_FACES = ("uming", "zenhei", "ukai")


def typed_signatures(sheet: Sheet) -> dict[str, dict[str, Any]]:
    """The 签字 places holding a typed or stamped name (`samplegen.defects.typed_signature`)."""
    return sheet.notes.get("typed_signatures", {})


def typed_name(b: Builder, x: float, y: float, right: float, typed: dict[str, Any]) -> None:
    """The signer's name typed (in the print's face, another face or bold) or rubber-stamped
    where a signature belongs, on baseline `y` from `x`, kept left of `right`: print, not a
    hand, so the place stays unsigned. Drawn from the note's own seed (the layout's other
    draws stay as they were)."""
    rng = random.Random(typed["seed"])
    cjk = b.s.font.partition("+")[0]
    font, size, color = cjk, b.s.size, (0, 0, 0)
    if typed["style"] == "face":
        font = rng.choice([f for f in TYPED_FACES if f != cjk])
    elif typed["style"] == "bold":
        font = cjk + BOLD
    elif typed["style"] == "stamp":
        font = rng.choice(("zenhei", "uming"))
        size *= rng.uniform(1.1, 1.4)
        color = rng.choice(STAMP_INKS)
    name = typed["name"]
    if len(name) == 2 and rng.random() < 0.4:  # 王  芳: a two-character name spaced out
        name = name[0] + "\u3000" + name[1]
    w = text_width(name, font, size)
    x += max(0.0, right - x - w) * rng.uniform(0.0, 0.4)
    b.add(Text(x, y, name, font, size, color=color))


def signature_box(b: Builder, xs: float, xe: float, y_sig: float, right: float,
                  label: str) -> Rect | None:
    """Where this office's signer puts a 五 signature against `label` (printed from `xs` to
    `xe` on baseline `y_sig`): a hand's width right of it (wp-04), above the label's row, or
    low, over the label's end and the （单位公章） line; None: right after it (the layout's
    own way)."""
    place = b.o.sig_place if b.o else "beside"
    size = b.s.size
    if place == "far" and xe + 36 <= right - 2:
        x0 = xe + b.orng.uniform(8, min(22, right - 2 - 28 - xe))
        return (x0, y_sig - size * 2.2, min(x0 + 34, right - 2), y_sig + size * 0.9)
    if place == "above":
        x0 = xs + b.orng.uniform(-4, 12)
        return (x0, y_sig - size * ABOVE_TOP, min(x0 + 38, right - 2), y_sig - size * 1.3)
    if place == "low":
        x0 = xe - text_width(label, b.s.font, size) * b.orng.uniform(0.2, 0.5)
        return (x0, y_sig - size * 0.5, min(x0 + 36, right - 2), y_sig + size * 2.4)
    return None


def signing_rows(b: Builder, text_end: float, foot: tuple[float, float, float]
                 ) -> tuple[float, float, float]:
    """The baselines of a 五 block's signature, seal label and date: at the block's foot
    (`foot`), or where this office signs under the opinion (`Office.sign_at` "top", as the
    examples do: a few lines below the text ending at `text_end`, blank below) when that
    fits above the foot."""
    if not (b.o and b.o.sign_at == "top"):
        return foot
    size = b.s.size
    lead = size * (ABOVE_TOP + 0.6 if b.o.sig_place == "above" else 2.6)
    y_sig = text_end + lead + size * b.orng.uniform(0.3, 1.6)
    shift = y_sig - foot[0]
    return foot if shift >= 0 else (y_sig, foot[1] + shift, foot[2] + shift)


ABOVE_TOP = 4.4  # a signature above its label's row reaches this many ems over the baseline


def stamp(b: Builder, d: float, cx: float, cy: float, sig: tuple[float, float],
          date: tuple[float, float], text: str | None) -> None:
    """The unit's seal centred at (cx, cy), or where this office stamps: over the date, over
    the signature, right of the label; in its red and size."""
    if b.o:
        d = b.rng.uniform(*b.o.seal_d)
        if b.o.seal_place == "date":
            cx, cy = date[0] + b.rng.uniform(-4, 8), date[1] - b.s.size * 0.4 + b.rng.uniform(-5, 3)
        elif b.o.seal_place == "signature":
            cx, cy = sig[0] + b.rng.uniform(0, 14), sig[1] + b.rng.uniform(-2, 6)
        elif b.o.seal_place == "right":
            cx += b.rng.uniform(18, 30)
        cx = min(cx, b.right - d * 0.3)
    color = b.o.seal_color if b.o else SEAL_RED
    b.add(Mark("seal", (cx - d / 2, cy - d / 2, cx + d / 2, cy + d / 2), b.seed(), color,
               text=text or "", angle=b.rng.uniform(-25, 25),
               double_ring=b.rng.random() < 0.5))


def written_date(b: Builder, date: tuple[str, str, str] | None) -> str | None:
    """A valid date the way this office writes it whole (二〇一八年七月十六日, 2018年07月06日,
    2018.7.16), or None: the layout's own way (an impossible date is always digits)."""
    if not (b.o and b.o.date_style and date):
        return None
    try:
        dt.date(*(int(v) for v in date))
    except ValueError:
        return None
    y, m, d = office_date(date, b.o.date_style)
    return f"{y}.{m}.{d}" if b.o.date_style == "dotted" else f"{y}年{m}月{d}日"


def write_date(b: Builder, x: float, y: float, text: str) -> None:
    """A whole date typed (a typed sheet) or written by the sheet's pen."""
    if b.s.hand:
        b.fill_text(x, y, text)
    else:
        b.print_text(x, y, text)
