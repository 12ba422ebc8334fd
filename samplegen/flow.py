"""The flowing layout: the sheet as a word processor lays it out, sections run on.

The paged layout (`form.layout_sheet`) starts every section on a page of its own. Copies
made in a word processor do not: after the cover (and, most often, the 填表说明 page) a
section starts wherever the previous one ends, often mid-page; a table breaks between rows
where the page ends and runs on over the next page without its header row; a section's
heading is the first, full-width row of its table or a line above it; the 四 clauses run on
line by line; a party's block in 五 may leave its signature, seal and date for the top of
the next page. The cover writes each value on an underlined blank right of its label.

Pages are `FlowPage`s: a `PageLayout` that also says which sections it holds (`sections`,
in order, the first being the one it starts in: its `id`) and whose headings it prints
(`starts`). Everything is drawn from one `random.Random`, so a layout is reproducible.
Beyond the page flow, each sheet draws `variants.Variants` (narrow member columns, western
faces, heavy ticks, pen dashes and dates, names as signatures, dust, margins), recorded on
its pages; `written_habits` words opinions and member units as the examples' fillers do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any

from tasksheet.samplegen.fill import DASH, Sheet
from tasksheet.samplegen.fonts import PT_MM, text_width, wrap
from tasksheet.samplegen.form import (
    ABOVE_TOP,
    CLAUSES,
    INSTRUCTIONS,
    TITLE,
    checkbox_cell,
    column_xs,
    cover_table,
    fill_date_blanks,
    finish,
    head_font,
    head_words,
    member_groups,
    page_heading,
    signature_box,
    signing_rows,
    stamp,
    typed_name,
    typed_signatures,
    write_date,
    written_date,
)
from tasksheet.samplegen.layout import (
    PAGE_H,
    PAGE_W,
    Builder,
    Cell,
    Group,
    Mark,
    PageLayout,
    Style,
    Text,
    label_cell,
    table,
    value_cell,
    with_office,
)
from tasksheet.samplegen.office import Office, cover_month
from tasksheet.samplegen.variants import Variants
from tasksheet.schemas.template import Template, load_template

CN_MONTHS = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
YEAR_LABELS = ("二〇一八年", "二O一八年", "二○一八年")
FUNDED_PARTIES = ("commissioning", "coordinating")  # parties with 经费支持 / 性质 / 来源


@dataclass
class FlowPage(PageLayout):
    """A page of a flowing sheet: the sections it holds and those whose heading it prints."""

    sections: list[str] = field(default_factory=list)
    starts: list[str] = field(default_factory=list)
    variants: Variants | None = None  # the sheet's variations, for tests and tools


@dataclass(frozen=True)
class FlowStyle:
    """What differs between two word-processor copies beyond the print style (`Style`)."""

    heading_rows: frozenset[str]  # sections whose heading is their table's first row
    spaced: bool  # letter-spaced headings: 填 表 说 明, 四、共 同 条 款
    cover_wrap: bool  # cover labels wrap in a narrow column: 项目名 / 称：
    year_label: str
    month_cn: bool  # the cover's month in Chinese numerals (五) or digits (5)
    instructions_alone: bool  # section 一 starts on a new page after 填表说明
    gap: float  # space between two sections' tables (0: one table running on)
    head_row_h: float
    content_h: float
    opinion_h: float
    split_p: float  # chance that a 五 block not fitting leaves its lower half for the next page
    dash_signed: bool  # an unused member row has "—" in its 签字 cell too

    @classmethod
    def random(cls, rng: random.Random) -> FlowStyle:
        rows_p = rng.choice((0.15, 0.8, 0.9, 1.0))
        sections = ("basic_info", "content", "members", "clauses", "opinions")
        return cls(
            heading_rows=frozenset(s for s in sections if rng.random() < rows_p),
            spaced=rng.random() < 0.6, cover_wrap=rng.random() < 0.35,
            year_label=rng.choice(YEAR_LABELS), month_cn=rng.random() < 0.6,
            instructions_alone=rng.random() < 0.75,
            gap=0.0 if rng.random() < 0.55 else rng.uniform(2.0, 9.0),
            head_row_h=rng.uniform(6.5, 8.5), content_h=rng.uniform(55, 150),
            opinion_h=rng.uniform(58, 80), split_p=rng.uniform(0.5, 0.9),
            dash_signed=rng.random() < 0.25)


class FlowBuilder(Builder):
    """A `Builder` whose page breaks continue the current section on a `FlowPage`."""

    def __init__(self, style: Style, rng: random.Random) -> None:
        super().__init__(style, rng)
        self.section = ""
        self.split_blocks: list[str] = []  # parties whose 五 block runs over two pages

    def page(self, page_id: str | None = None) -> None:  # the id is the section's
        self.pages.append(FlowPage(self.section, sections=[self.section]))
        self.y = self.s.margins[1]

    def start(self, section: str, need: float, new_page: bool = False) -> None:
        """Begin `section` here, or on a new page if `need` mm do not fit (or `new_page`)."""
        self.section = section
        if new_page or not self.pages or not self.fits(need):
            self.page()
        pg = self.pages[-1]
        assert isinstance(pg, FlowPage)
        if section not in pg.sections:
            pg.sections.append(section)
        pg.starts.append(section)


def layout_flowing(sheet: Sheet, style: Style, rng: random.Random,
                   template: Template | None = None,
                   skip: frozenset[str] | set[str] = frozenset(),
                   digital: bool = False, office: Office | None = None) -> list[FlowPage]:
    """All pages of one sheet laid out as flowing text; sections in `skip` are left out;
    `digital` (a born-digital PDF) adds nothing by pen to a typed sheet; `office` draws
    that office's habits (None: none, as before)."""
    t = template or load_template()
    fs = FlowStyle.random(rng)
    v = Variants.random(random.Random(rng.getrandbits(64)), style.hand, digital)
    if v.latin:
        style = replace(style, font=f"{style.font}+{v.latin}")
    if v.margins:
        style = replace(style, margins=v.margins)
    if v.line_gap:
        style = replace(style, line_gap=v.line_gap)
    if v.size_pt:
        k = v.size_pt * PT_MM / style.size
        style = replace(style, size=style.size * k, hand_size=style.hand_size * k)
    style = with_office(style, office)  # an office's margins over the variants' own
    if style.hand or v.fill_face == style.font.partition("+")[0]:
        v = replace(v, fill_face=None)  # a pen, or the print's own face: nothing to vary
    b = FlowBuilder(style, rng)
    b.v = v
    b.o = office
    cover(b, t, sheet, fs)
    first = True  # the first section after the cover starts a page
    if "instructions" not in skip:
        instructions(b, t, fs)
        first = fs.instructions_alone
    if "basic_info" not in skip:
        basic_info(b, t, sheet, fs, new_page=first)
    if "content" not in skip:
        content(b, t, sheet, fs)
    if "members" not in skip:
        members(b, t, sheet, fs)
    if "clauses" not in skip:
        clauses(b, t, fs)
    if "opinions" not in skip:
        opinions(b, t, sheet, fs)
    finish(b)
    pages = [p for p in b.pages if isinstance(p, FlowPage)]
    for p in pages:
        p.variants = v
    return pages


# -- headings ----------------------------------------------------------------------------------

def spaced(text: str, on: bool) -> str:
    """`四、共同条款` → `四、共 同 条 款` (after the numeral's 、) when `on`."""
    if not on:
        return text
    head, sep, rest = text.partition("、")
    if not sep:
        return " ".join(text)
    return head + sep + " ".join(rest)


def heading_height(b: Builder, fs: FlowStyle, section: str) -> float:
    return fs.head_row_h if section in fs.heading_rows else b.s.size * 2.2 + 1.5


def section_heading(b: FlowBuilder, fs: FlowStyle, section: str, text: str,
                    keep: float = 0.0, new_page: bool = False) -> None:
    """Start `section` with its heading: a full-width table row, or a line above the table.

    `keep` is the height that must fit under the heading for it to stay on this page; a
    word processor keeps a heading row with nothing, so most sections pass 0.
    """
    hh = heading_height(b, fs, section)
    if not new_page and b.pages and b.y > b.s.margins[1] + 1:
        b.y += fs.gap if section in fs.heading_rows else max(fs.gap, b.s.size * 0.8)
    b.start(section, hh + keep, new_page=new_page)
    size = b.s.size * 1.02
    text, font = head_words(b, text), head_font(b)
    if section in fs.heading_rows:
        y0, y1 = b.y, b.y + hh
        b.rect((b.left, y0, b.right, y1))
        b.print_text(b.left + 1.2, (y0 + y1) / 2 + size * 0.38, text, size=size, font=font)
        b.y = y1
    else:
        size *= b.o.head_scale / 1.05 if b.o else 1.0
        b.y += size * 1.3
        b.print_text(b.left + b.rng.uniform(0, 1.5), b.y, text, size=size * 1.05, font=font)
        b.y += size * 0.8


# -- cover and 填表说明 ----------------------------------------------------------------------------

def cover(b: FlowBuilder, t: Template, sheet: Sheet, fs: FlowStyle) -> None:
    """Title, four labels with their values on underlined blanks, and the maker and month."""
    b.start("cover", 0, new_page=True)
    s = b.s
    hf = head_font(b)
    b.print_text(b.left + b.rng.uniform(-4, 2), b.y + s.size * 1.4, "附件", size=s.size * 1.25,
                 font=hf)
    b.y += b.rng.uniform(30, 48)
    tsize = 22 * 25.4 / 72 * b.rng.uniform(0.85, 0.98)
    for ln in TITLE:
        b.y += tsize * 1.65
        b.print_text((PAGE_W - text_width(ln, hf, tsize)) / 2, b.y, ln, tsize, hf)
    b.y += b.rng.uniform(18, 32)
    lsize = s.size * b.rng.uniform(1.2, 1.35)
    x0 = b.rng.uniform(34, 50)
    x1 = PAGE_W - b.rng.uniform(36, 50)
    pitch = lsize * b.rng.uniform(2.3, 2.9)
    col = text_width("项目名", s.font, lsize) + 0.3
    centred = b.rng.random() < 0.75
    if b.o and b.o.cover_table:
        cover_table(b, t, sheet, x0 - 8, x1 + 8, lsize)
    for f in [f for f in t.lines if f.page == "cover" and f.type != "month"
              and not (b.o and b.o.cover_table)]:
        b.y += pitch
        if fs.cover_wrap:
            lines = wrap(f.label, s.font, lsize, col)
            b.print_text(x0, b.y, lines[0], size=lsize)
            y_last = b.y + lsize * 1.3 * (len(lines) - 1)
            for i, ln in enumerate(lines[1:], 1):
                yl = b.y + lsize * 1.3 * i
                b.print_text(x0 + col - text_width(ln, s.font, lsize), yl, ln, size=lsize)
            xl = x0 + col + b.rng.uniform(2, 5)
            y_line = y_last + lsize * b.rng.uniform(0.1, 0.3)
            y_val = y_line - b.rng.uniform(0.8, 1.6)
            b.y = y_last
        else:
            xl = b.print_text(x0, b.y, f.label, size=lsize) + b.rng.uniform(1, 4)
            y_val = b.y + lsize * b.rng.uniform(0.12, 0.35)
            y_line = y_val + b.rng.uniform(0.8, 1.6)
        b.line(xl, y_line, x1, y_line, b.rng.uniform(0.2, 0.3))
        value = sheet.get(f.id)
        if not value:
            continue
        font, vsize = (s.font, s.size * 1.1) if f.preprinted or not s.hand else b.fill_font()
        vsize = min(vsize, vsize * (x1 - xl - 4) / max(1e-6, text_width(value, font, vsize)))
        w = text_width(value, font, vsize)
        x = xl + (x1 - xl - w) / 2 + b.rng.uniform(-3, 3) if centred else xl + b.rng.uniform(2, 8)
        x = max(xl + 1, min(x, x1 - w - 1))
        if f.preprinted or not s.hand:
            b.print_text(x, y_val, value, size=vsize, font=font)
        else:
            b.add(Text(x, y_val, value, font, vsize, True, b.seed(), s.ink))
        if b.v and b.v.specks:
            specks(b, (x, y_val - vsize, x + w, y_line))
    # the maker and the month, centred, about two thirds down the page
    b.y = max(b.y + 30, PAGE_H * b.rng.uniform(0.48, 0.66))
    maker = "成都市科学技术协会制"
    b.print_text((PAGE_W - text_width(maker, s.font, lsize)) / 2, b.y, maker, size=lsize)
    b.y += lsize * 1.7
    month_line = next(f for f in t.lines if f.type == "month")
    month = sheet.get(month_line.id)
    written = CN_MONTHS[int(month)] if month and fs.month_cn and month.isdigit() else month
    if b.o and month:
        written = cover_month(month, b.o.month_style)
    gap = lsize * b.rng.uniform(0.6, 1.2)
    font, vsize = b.fill_font() if s.hand else (s.font, lsize)
    mw = text_width(written, font, vsize) if written else lsize * 1.5
    total = text_width(fs.year_label + "月", s.font, lsize) + mw + 2 * gap
    x = (PAGE_W - total) / 2
    xe = b.print_text(x, b.y, fs.year_label, size=lsize) + gap
    if written:
        if s.hand:
            b.fill_text(xe, b.y, written)
        else:
            b.print_text(xe, b.y, written, size=lsize)
    b.print_text(xe + mw + gap, b.y, "月", size=lsize)


def specks(b: Builder, r: tuple[float, float, float, float]) -> None:
    """0–3 dust dots near a cover value `r` (beside it or on its underline), none on it."""
    for _ in range(b.rng.choice((0, 1, 1, 2, 3))):
        d = b.rng.uniform(0.25, 0.75)
        if b.rng.random() < 0.5:  # beside the value, on its line
            x = b.rng.choice((r[0] - b.rng.uniform(2, 12), r[2] + b.rng.uniform(2, 12)))
            y = b.rng.uniform(r[1] + 1, r[3])
        else:  # above the value or on / under the underline
            x = b.rng.uniform(r[0] - 8, r[2] + 8)
            y = b.rng.choice((r[1] - b.rng.uniform(1, 4), r[3] + b.rng.uniform(-0.3, 2.5)))
        grey = b.rng.randint(20, 90)
        b.add(Mark("dot", (x, y, x + d * b.rng.uniform(0.7, 1.3), y + d), b.seed(),
                   (grey, grey, grey)))


def instructions(b: FlowBuilder, t: Template, fs: FlowStyle) -> None:
    b.start("instructions", 0, new_page=True)
    title = spaced(page_heading(t, "instructions"), fs.spaced)
    size = b.s.size * b.rng.uniform(1.3, 1.5)
    b.y += size * 1.6
    hf = head_font(b)
    title = head_words(b, title) if b.o and b.o.spaced_all else title
    b.print_text((PAGE_W - text_width(title, hf, size)) / 2, b.y, title, size, hf)
    b.y += size * 0.9
    for i, rule in enumerate(INSTRUCTIONS, 1):
        b.paragraph(b.left, b.right, f"{i}. {rule}", fill=False, indent=b.s.size * 2)
        b.y += b.s.size * 0.3
    b.y += b.rng.uniform(6, 16)


# -- section 一 --------------------------------------------------------------------------------

def exempt_group(sheet: Sheet, group_id: str) -> bool:
    """A 经费性质 / 经费来源 left unticked because its party's 经费支持 is 无."""
    party, _, name = group_id.partition(".")
    if party not in FUNDED_PARTIES or name not in ("funding_nature", "funding_source"):
        return False
    support = sheet.get(f"{party}.funding_support")
    return support.get("ticked") == ["无"] and not sheet.get(group_id).get("ticked")


def basic_info(b: FlowBuilder, t: Template, sheet: Sheet, fs: FlowStyle, new_page: bool) -> None:
    if not new_page and b.pages:
        b.y += b.rng.uniform(2, 10)
    section_heading(b, fs, "basic_info", page_heading(t, "basic_info"), keep=b.s.row_h * 2,
                    new_page=new_page)
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
                        dash = DASH if exempt_group(sheet, f.id) else None
                        cells.append(checkbox_cell(f, sheet.get(f.id), trailing=dash))
                    else:
                        cells.append(value_cell(sheet.get(f.id), 3 if f.span else 1,
                                                preprinted=bool(f.preprinted)))
                rows.append(cells)
            groups.append(Group(t.party(g.party).label, rows, b.s.row_h))
    table(b, xs, groups)


# -- sections 二 and 三 ------------------------------------------------------------------------

def content(b: FlowBuilder, t: Template, sheet: Sheet, fs: FlowStyle) -> None:
    block = t.blocks[0]
    section_heading(b, fs, "content", block.heading)
    text = sheet.get(block.id) or ""
    font, size = b.fill_font()
    lines = len(wrap(text, font, size, b.right - b.left - 6)) + 1 if text else 0
    text_h = lines * size * b.s.line_gap + 8
    h = max(text_h, fs.content_h)
    if not b.fits(h):
        room = b.bottom - b.y
        if room >= text_h + 25 and b.rng.random() < 0.5:
            h = room  # the cell ends at the foot of the page
        else:
            b.page()
    top = b.y
    b.y += 2
    if text:
        b.paragraph(b.left + 3, b.right - 3, text, fill=True, indent=size * 2)
    b.y = top + h
    b.rect((b.left, top, b.right, b.y))


def members(b: FlowBuilder, t: Template, sheet: Sheet, fs: FlowStyle) -> None:
    """The members table; a party's unused rows hold "—" in every text cell (rule 4)."""
    section_heading(b, fs, "members", t.members.heading)
    xs = column_xs(b, b.v.member_frac if b.v and b.v.member_frac else b.s.member_frac)
    table(b, xs, member_groups(t, sheet, b.s.row_h * 0.9, b.s.member_row_h, unused=DASH,
                               dash_signed=fs.dash_signed, names=True))


# -- section 四 --------------------------------------------------------------------------------

def clauses(b: FlowBuilder, t: Template, fs: FlowStyle) -> None:
    """The six clauses in a bordered cell that runs on, line by line, over a page break."""
    text = spaced(page_heading(t, "clauses").replace(" ", ""), fs.spaced)
    section_heading(b, fs, "clauses", text)
    s = b.s
    lh = s.size * s.line_gap
    x0, x1 = b.left + 2, b.right - 2
    lines: list[tuple[float, str]] = []
    for clause in CLAUSES:
        indent = s.size * 2
        first = wrap(clause, s.font, s.size, x1 - x0 - indent)
        rest = wrap(clause[len(first[0]):], s.font, s.size, x1 - x0) if len(first) > 1 else []
        lines += [(x0 + indent, first[0])] + [(x0, ln) for ln in rest if ln]
    top = b.y
    b.y += 1.5
    for x, ln in lines:
        if not b.fits(lh + 1):
            b.rect((b.left, top, b.right, b.y + 1))
            b.page()
            top = b.y
            b.y += 1.5
        b.y += lh
        b.print_text(x, b.y, ln)
    b.y += s.size * 0.8
    b.rect((b.left, top, b.right, b.y))


# -- section 五 --------------------------------------------------------------------------------

def opinions(b: FlowBuilder, t: Template, sheet: Sheet, fs: FlowStyle) -> None:
    """Three bordered blocks; one that does not fit may run over onto the next page."""
    section_heading(b, fs, "opinions", t.opinions.heading)
    s = b.s
    for blk in t.opinions.blocks:
        op = sheet.record["opinions"][blk.party]
        font, fsize = b.fill_font()
        text_lines = len(wrap(op["text"], font, fsize, b.right - b.left - 8 - s.size * 2)) \
            if op["text"] else 0
        top_need = s.size * 1.9 + text_lines * fsize * s.line_gap + s.size
        low_need = s.size * (2.1 * 2.2 + 5.0) + 6  # signature, seal and date lines
        if b.o and b.o.sig_place == "above":  # and the signature's own row over the label
            low_need += s.size * (ABOVE_TOP - 2.2)
        h = max(fs.opinion_h, top_need + low_need)
        room = b.bottom - b.y
        if b.fits(h):
            parts = [(b.y, b.y + h)]
        elif room >= top_need + 4 and b.rng.random() < fs.split_p:
            rest = max(h - room, low_need + 16)  # room for the seal above the signature
            parts = [(b.y, b.bottom), (b.s.margins[1], b.s.margins[1] + rest)]
            b.split_blocks.append(blk.party)
        else:
            if b.o and b.o.opinion_frame == "one" and blk is not t.opinions.blocks[0]:
                b.line(b.left, b.y, b.right, b.y)  # the cell closes where the page ends
            b.page()
            parts = [(b.y, b.y + h)]
        y0, y1 = parts[0]
        frame(b, y0, y1, blk is t.opinions.blocks[0],
              blk is t.opinions.blocks[-1] and len(parts) == 1)
        b.y = y0 + s.size * 1.6
        b.print_text(b.left + 2, b.y, blk.label)
        if op["text"]:
            b.paragraph(b.left + 4, b.right - 4, op["text"], fill=True, indent=s.size * 2)
        if len(parts) == 2:
            b.page()
            y0, y1 = parts[1]
            frame(b, y0, y1, True, blk is t.opinions.blocks[-1])
        sign_seal_date(b, (b.left, y0, b.right, y1), blk.signature_label, blk.seal_label, op,
                       sheet.dates[blk.party], signer(sheet, blk.party),
                       typed_signatures(sheet).get(f"opinions.{blk.party}.signed"))
        b.y = y1


def frame(b: Builder, y0: float, y1: float, first: bool, last: bool) -> None:
    """A 五 block's border; an office's one cell for all three has no rule between blocks
    (only where the page or the section ends)."""
    if not (b.o and b.o.opinion_frame == "one"):
        b.rect((b.left, y0, b.right, y1))
        return
    b.line(b.left, y0, b.left, y1)
    b.line(b.right, y0, b.right, y1)
    if first or y0 <= b.s.margins[1] + 0.5:
        b.line(b.left, y0, b.right, y0)
    if last or y1 >= b.bottom - 0.5:
        b.line(b.left, y1, b.right, y1)


def signer(sheet: Sheet, party: str) -> str | None:
    """Who signs a party's 五 block: its 负责人, or the society's 法定代表人."""
    rec = sheet.record
    name = (rec["undertaking"]["legal_representative"]["name"] if party == "undertaking"
            else rec[party]["head"])
    return name if name and name != DASH else None


def sign_seal_date(b: Builder, r: tuple[float, float, float, float], sig_label: str,
                   seal_label: str, op: dict[str, Any], date: tuple[str, str, str] | None,
                   name: str | None = None, typed: dict[str, Any] | None = None) -> None:
    """The lower half of a 五 block, at the foot of `r`: `负责人（签字）` with the signature right
    of it (or over it), `（单位公章）` under it with the seal over it, and the date: typed
    spaced or tight, or written by hand."""
    s = b.s
    lh = s.size * 2.1
    xs = r[0] + (r[2] - r[0]) * b.rng.uniform(0.42, 0.56)
    y_date = r[3] - s.size * b.rng.uniform(1.4, 2.6)
    y_seal = y_date - lh * 1.2
    y_sig = y_seal - lh
    y_sig, y_seal, y_date = signing_rows(b, max(b.y, r[1] + s.size), (y_sig, y_seal, y_date))
    if b.o and b.o.opinion_frame == "rows":  # the block as rows: opinion | signing | date
        b.line(r[0], y_sig - s.size * 2.5, r[2], y_sig - s.size * 2.5)
        b.line(r[0], y_date - s.size * 1.3, r[2], y_date - s.size * 1.3)
    xe = b.print_text(xs, y_sig, sig_label)
    if op["signed"]:
        x0 = xe + 1
        if b.v and b.v.sig_over:  # the pen starts on the label
            x0 = xe - text_width(sig_label, s.font, s.size) * b.rng.uniform(0.25, 0.6)
        box = (x0, y_sig - s.size * 2.2, min(x0 + 38, r[2] - 2), y_sig + s.size * 0.9)
        b.signature(signature_box(b, xs, xe, y_sig, r[2], sig_label) or box, name)
    elif typed:  # the name typed or stamped instead (an unsigned place)
        typed_name(b, xe + s.size * 0.5, y_sig, r[2] - 2, typed)
    seal_x = b.print_text(xs + s.size * b.rng.uniform(0, 1.0), y_seal, seal_label)
    gaps = (s.size * 2.4, s.size * 2.0)
    xd = xs + s.size * b.rng.uniform(0.5, 2.5)
    style = b.v.date_style if b.v else "spaced"
    whole = written_date(b, date)
    if whole:
        write_date(b, xd, y_date, whole)
    elif date and style == "tight":
        b.print_text(xd, y_date, f"{date[0]}年{date[1]}月{date[2]}日")
    elif date and style == "hand":  # typed sheet, dated with a pen: 2018 printed or not
        x = xd
        if b.rng.random() < 0.5:
            x = b.print_text(x, y_date, date[0]) + 0.8
        else:
            x = b.hand_text(x, y_date, date[0]) + 0.5
        for i, part in enumerate(("年", "月", "日")):
            x = b.print_text(x, y_date, part)
            if i < 2:
                x = b.hand_text(x + gaps[i] * 0.2, y_date, date[i + 1]) + gaps[i] * 0.25
    elif date and not s.hand:
        b.print_text(xd, y_date, f"{date[0]} 年 {date[1]} 月 {date[2]} 日")
    else:
        fill_date_blanks(b, xd + text_width("2018", s.font, s.size) + 1, y_date, date, gaps)
    if op["sealed"]:
        d = b.rng.uniform(36, 42)
        cx = (xs + seal_x) / 2 + b.rng.uniform(-6, 10)
        cy = y_seal - s.size * 0.4 + b.rng.uniform(-5, 5)
        stamp(b, d, cx, cy, (xe, y_sig), (xd + 12, y_date), op["seal_text"])


# -- what people filling a word-processor copy write differently --------------------------------

def exempt_unfunded(sheet: Sheet, rng: random.Random, p: float = 0.8) -> set[str]:
    """Where a party's 经费支持 is 无, leave its 经费性质 and 经费来源 unticked (the form's rule
    4 then wants the "—" the layout writes after them): not a defect. Returns the groups
    no defect may touch, the party's 经费支持 with them, so the exemption stays true."""
    keep: set[str] = set()
    for party in FUNDED_PARTIES:
        support = sheet.get(f"{party}.funding_support")
        if support["ticked"] != ["无"] or rng.random() >= p:
            continue
        nature, source = sheet.get(f"{party}.funding_nature"), sheet.get(f"{party}.funding_source")
        nature["ticked"], nature["other_text"] = [], None
        source["ticked"] = []
        keep |= {f"{party}.funding_support", f"{party}.funding_nature", f"{party}.funding_source"}
    return keep


ATTACHED = (("undertaking.self_funding", "有", "amount_wan"),
            ("commissioning.funding_support", "有", "amount_wan"),
            ("coordinating.funding_support", "有", "amount_wan"),
            ("commissioning.funding_nature", "其他", "other_text"),
            ("coordinating.funding_nature", "其他", "other_text"))


def dash_unused_blanks(sheet: Sheet, touched: set[str]) -> None:
    """"—" in the blank of an option left unticked (`□有，—万元`), as the form's rule 4 asks;
    groups a defect `touched` keep their blanks as the defect left them."""
    for gid, option, key in ATTACHED:
        group = sheet.get(gid)
        if gid not in touched and option not in group["ticked"] and not group.get(key):
            group[key] = DASH


# the examples' opinions, and the same without their final 。 (a filler who stops short)
OPINIONS_MORE = {
    "commissioning": ("同意该任务书内容。", "同意委托。"),
    "undertaking": ("同意。保证按期完成试点任务。", "同意承接该试点项目，严格按照任务书要求组织实施。"),
    "coordinating": ("同意，做好协调和保障工作。", "同意纳入学会承接政府转移职能试点。"),
}
OPINION_MORE_P = 0.3
NO_STOP_P = 0.2
DEPARTMENT_UNITS_P = 0.35
CAST_UNITS = ("成都市科协", "成都市科协学会部", "成都市科学技术协会学会部")


def written_habits(sheet: Sheet, rng: random.Random, touched: set[str]) -> None:
    """Opinions worded as in the examples, some without their final 。; member units that
    name a department inside the party's unit (`…委员会科技处`) or the form's short name
    (`成都市科协`, 填表说明 1). Members a defect `touched` keep their unit. Every draw is
    made whatever is touched, so the copies of a group agree."""
    for party, more in OPINIONS_MORE.items():
        op = sheet.record["opinions"][party]
        alt, stop = rng.random() < OPINION_MORE_P, rng.random() < NO_STOP_P
        pick = rng.choice(more)
        if op["text"] and alt:
            op["text"] = pick
        if op["text"] and stop and len(op["text"]) > 3:
            op["text"] = op["text"].rstrip("。")
    on = rng.random() < DEPARTMENT_UNITS_P
    dept = sheet.record["commissioning"]["department"]
    for i, m in enumerate(sheet.record["members"]):
        change, short = rng.random() < 0.6, rng.choice(CAST_UNITS)
        if not on or not change or f"members.{i}" in touched:
            continue
        if m["party"] == "commissioning" and dept and dept != DASH and m["unit"] == \
                sheet.record["cover"]["commissioning_unit"]:
            m["unit"] += dept
        elif m["party"] == "coordinating" and m["unit"] == sheet.record["cover"]["coordinating_unit"]:
            m["unit"] = short
