"""Page layout in millimetres: drawing primitives, the per-document style, and a tiny
flow builder with bordered tables that break between rows onto continuation pages.

Both renderers consume the same `PageLayout`s, so a born-digital PDF and a scan of the
same sheet put every label at the same place. Coordinates: x right, y down, mm on A4;
text is placed by its baseline-left point.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from tasksheet.samplegen.fonts import HAND_FONT, PRINT_FONTS, face, runs, text_width, wrap
from tasksheet.samplegen.office import Office
from tasksheet.samplegen.variants import Variants

PAGE_W, PAGE_H = 210.0, 297.0
Rect = tuple[float, float, float, float]
Color = tuple[int, int, int]
MarkKind = Literal["signature", "check", "cross", "seal", "xheavy", "vlong", "dot", "scribble"]

INKS: tuple[Color, ...] = ((28, 36, 92), (22, 30, 120), (30, 30, 36))  # blue-black, blue, black


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    font: str
    size: float
    hand: bool = False
    seed: int = 0
    color: Color = (0, 0, 0)


@dataclass(frozen=True)
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.2


@dataclass(frozen=True)
class Mark:
    """Ink or stamp drawn as an image: signature, hand tick, seal (seal `text` = unit) or a
    speck of dust (`dot`); a signature with a `text` is that name written by hand."""

    kind: MarkKind
    box: Rect
    seed: int
    color: Color
    text: str = ""
    angle: float = 0.0
    double_ring: bool = True


Item = Text | Line | Mark


@dataclass
class PageLayout:
    """One printed page. `furniture` is what Word repeats on every page (a header, a page
    number): drawn like `items`, apart so that the body stays what the form holds; `tilt`
    turns the page's rules (degrees, about the page's centre) against its text, as a page
    whose rules print out of register with the text does (wp-04); a scan draws it, a
    born-digital export does not."""

    id: str
    items: list[Item] = field(default_factory=list)
    # out of the repr: a page without them prints as it did (the layouts' digests hold)
    furniture: list[Item] = field(default_factory=list, repr=False)
    tilt: float = field(default=0.0, repr=False)


@dataclass(frozen=True)
class Style:
    """Everything that varies between two printouts of the same Word template."""

    font: str
    size: float  # body em size, mm
    margins: Rect  # left, top, right, bottom
    row_h: float
    member_row_h: float
    opinion_h: float
    content_h: float
    col_frac: tuple[float, float, float, float, float]
    member_frac: tuple[float, float, float, float, float, float]
    line_gap: float
    hand: bool
    hand_size: float
    ink: Color
    tick_kinds: tuple[str, ...]

    @classmethod
    def random(cls, rng: random.Random, hand: bool) -> Style:
        size = rng.choice((10.5, 10.5, 11.0, 12.0)) * 25.4 / 72
        c0 = rng.uniform(0.10, 0.13)
        c1 = rng.uniform(0.15, 0.19)
        c3 = rng.uniform(0.11, 0.14)
        rest = 1 - c0 - c1 - c3
        c2 = rest * rng.uniform(0.42, 0.5)
        m = [rng.uniform(0.09, 0.12), rng.uniform(0.12, 0.15), rng.uniform(0.29, 0.34),
             rng.uniform(0.15, 0.2), rng.uniform(0.14, 0.18)]
        m.append(1 - sum(m))
        ticks = ("check", "cross", "check") if hand else rng.choice(
            (("glyph",), ("filled",), ("glyph", "check"), ("check",), ("cross", "glyph")))
        return cls(
            font=rng.choice(PRINT_FONTS), size=size,
            margins=(rng.uniform(24, 32), rng.uniform(22, 34), rng.uniform(22, 30), rng.uniform(20, 28)),
            row_h=rng.uniform(9.0, 13.5), member_row_h=rng.uniform(10.0, 19.0),
            opinion_h=rng.uniform(62, 84), content_h=rng.uniform(150, 215),
            col_frac=(c0, c1, c2, c3, rest - c2), member_frac=tuple(m),  # type: ignore[arg-type]
            line_gap=rng.uniform(1.45, 1.9), hand=hand,
            hand_size=size * rng.uniform(1.2, 1.4), ink=rng.choice(INKS), tick_kinds=ticks)


def with_office(style: Style, o: Office | None) -> Style:
    """The print style as this office sets it: its face, row heights, columns, pen, ticks."""
    if o is None:
        return style
    _, plus, latin = style.font.partition("+")
    return replace(
        style, font=(o.body_font + plus + latin) if o.body_font else style.font,
        row_h=o.row_h or style.row_h, member_row_h=o.member_row_h or style.member_row_h,
        col_frac=o.col_frac or style.col_frac, ink=o.ink or style.ink,
        tick_kinds=o.ticks if o.ticks and not style.hand else style.tick_kinds,
        margins=o.margins or style.margins)


class Builder:
    """A top-to-bottom flow over pages; `need()` breaks to a continuation page."""

    def __init__(self, style: Style, rng: random.Random) -> None:
        self.s = style
        self.rng = rng
        self.pages: list[PageLayout] = []
        self.y = 0.0
        self.v: Variants | None = None  # a flowing sheet's extra variations
        self.o: Office | None = None  # an office's habits (`generate()`'s sheets)
        self._orng: random.Random | None = None

    @property
    def orng(self) -> random.Random:
        """The stream an office's later habits draw from (`Office.seed`): drawing from
        `rng` would move everything laid out after them."""
        if self._orng is None:
            self._orng = random.Random(self.o.seed if self.o else 0)
        return self._orng

    @property
    def hand_font(self) -> str:
        return self.o.hand_font if self.o else HAND_FONT

    @property
    def left(self) -> float:
        return self.s.margins[0]

    @property
    def right(self) -> float:
        return PAGE_W - self.s.margins[2]

    @property
    def bottom(self) -> float:
        return PAGE_H - self.s.margins[3]

    def page(self, page_id: str) -> None:
        self.pages.append(PageLayout(page_id))
        self.y = self.s.margins[1]

    def fits(self, h: float) -> bool:
        return self.y + h <= self.bottom

    def add(self, item: Item) -> None:
        self.pages[-1].items.append(item)

    def seed(self) -> int:
        return self.rng.getrandbits(31)

    # -- text ------------------------------------------------------------------------

    def print_text(self, x: float, y: float, text: str, size: float | None = None,
                   font: str | None = None) -> float:
        """Printed (form) text; returns its right edge."""
        size = size or self.s.size
        font = font or self.s.font
        return self.typed(x, y, text, font, size)

    def typed(self, x: float, y: float, text: str, font: str, size: float) -> float:
        """Type `text` in one face per run (a composite font: ASCII in the western face)."""
        for piece, f in runs(text, font):
            self.add(Text(x, y, piece, f, size))
            x += text_width(piece, f, size)
        return x

    def fill_font(self) -> tuple[str, float]:
        """The face and size values are filled in: the pen's, the print's, or a typed face
        of the filler's own (a flowing sheet's `Variants.fill_face`)."""
        if self.s.hand:
            return self.hand_font, self.s.hand_size
        if self.v and self.v.fill_face:
            _, plus, latin = self.s.font.partition("+")
            return self.v.fill_face + plus + latin, self.s.size
        return self.s.font, self.s.size

    def fill_text(self, x: float, y: float, text: str) -> float:
        """A filled-in value: typed in the print font, or handwritten in ink."""
        font, size = self.fill_font()
        if self.s.hand:
            self.add(Text(x, y, text, font, size, hand=True, seed=self.seed(), color=self.s.ink))
            return x + text_width(text, font, size)
        return self.typed(x, y, text, font, size)

    def hand_text(self, x: float, y: float, text: str,
                  color: Color | None = None) -> float:
        """Written by hand whatever the sheet's fill (a dash or a date added with a pen)."""
        size = self.s.hand_size if self.s.hand else self.s.size * self.rng.uniform(1.15, 1.35)
        self.add(Text(x, y, text, self.hand_font, size, hand=True, seed=self.seed(),
                      color=color or self.s.ink))
        return x + text_width(text, self.hand_font, size)

    def line(self, x0: float, y0: float, x1: float, y1: float, w: float = 0.2) -> None:
        self.add(Line(x0, y0, x1, y1, w))

    def rect(self, r: Rect) -> None:
        x0, y0, x1, y1 = r
        for a in ((x0, y0, x1, y0), (x1, y0, x1, y1), (x1, y1, x0, y1), (x0, y1, x0, y0)):
            self.line(*a)

    def signature(self, box: Rect, name: str | None = None) -> None:
        """A signature in `box`; on a flowing sheet some signers write their `name`."""
        color = self.rng.choice(((24, 40, 140), (20, 20, 28), (30, 36, 96)))
        written = ""
        if name and self.v and self.v.name_sign and self.rng.random() < self.v.name_sign:
            written = name
        self.add(Mark("signature", box, self.seed(), color, text=written))

    def paragraph(self, x0: float, x1: float, text: str, *, fill: bool, indent: float = 0.0,
                  size: float | None = None) -> None:
        """Wrapped text from `self.y` down; `fill` writes it as a filled value."""
        font, fsize = self.fill_font() if fill else (self.s.font, size or self.s.size)
        lines = wrap(text, font, fsize, x1 - x0 - indent)
        # re-wrap after the first (indented) line at full width
        if indent and len(lines) > 1:
            rest = wrap(text[len(lines[0]):], font, fsize, x1 - x0)
            lines = [lines[0], *rest]
        wander = fill and self.s.hand and bool(self.o and self.o.hand_wander)
        for i, ln in enumerate(lines):
            self.y += fsize * self.s.line_gap
            x = x0 + (indent if i == 0 else 0)
            if wander:  # a hand's lines off their pitch: the first up against the rule
                pitch = fsize * self.s.line_gap
                dy = pitch * (self.orng.uniform(-0.45, 0.0) if i == 0 else
                              self.orng.uniform(-0.35, 0.2))
                self.fill_text(x, self.y + dy, ln)
            elif fill:
                self.fill_text(x, self.y, ln)
            else:
                self.print_text(x, self.y, ln, size=fsize, font=font)


FOLIO_SIZE = 9 * 25.4 / 72  # 小五 / 9 pt, Word's header and footer size
RUNNING_HEAD = "成都市科协所属学会有序承接政府转移职能试点项目任务书"


def folio_text(style: str, n: int, total: int) -> str:
    """A page number as Word's page-number gallery sets it."""
    return {"dash": f"- {n} -", "page_of": f"第 {n} 页 共 {total} 页",
            "slash": f"{n} / {total}", "plain": str(n)}[style]


def add_folios(pages: list[PageLayout], style: Style, o: Office | None) -> None:
    """The office's page furniture on every page (the cover only with `folio_cover`; it
    counts as page 1 either way, as Word's 首页不同 does): a centred page number in the
    bottom margin, or the title as a running header over Word's default header rule."""
    if not (o and o.folio):
        return
    font = style.font
    for n, page in enumerate(pages, 1):
        if n == 1 and not o.folio_cover:
            continue
        if o.folio == "header":
            y = max(7.0, style.margins[1] * 0.55)
            w = text_width(RUNNING_HEAD, font, FOLIO_SIZE)
            x = (PAGE_W - w) / 2
            page.furniture.extend([*_typed_runs(x, y, RUNNING_HEAD, font, FOLIO_SIZE),
                                   Line(style.margins[0], y + 1.6, PAGE_W - style.margins[2],
                                        y + 1.6, 0.25)])
            continue
        text = folio_text(o.folio, n, len(pages))
        y = PAGE_H - max(7.0, style.margins[3] * 0.5)
        x = (PAGE_W - text_width(text, font, FOLIO_SIZE)) / 2
        page.furniture.extend(_typed_runs(x, y, text, font, FOLIO_SIZE))


def _typed_runs(x: float, y: float, text: str, font: str, size: float) -> list[Text]:
    out = []
    for piece, f in runs(text, font):
        out.append(Text(x, y, piece, f, size))
        x += text_width(piece, f, size)
    return out


def glyph_box(ch: str, font: str, size: float, x: float, y: float) -> Rect:
    """The inked box of one glyph placed at baseline (x, y), in mm."""
    x0, y0, x1, y1 = face(font, 200).getbbox(ch, anchor="ls")
    k = size / 200
    return (x + x0 * k, y + y0 * k, x + x1 * k, y + y1 * k)


# -- tables ------------------------------------------------------------------------------

@dataclass
class Cell:
    """One cell: `need(width)` → height it wants, `draw(builder, rect)` puts its content."""

    span: int
    need: Callable[[Builder, float], float]
    draw: Callable[[Builder, Rect], None]


@dataclass
class Group:
    label: str
    rows: list[list[Cell]]
    row_h: float


def table(b: Builder, xs: list[float], groups: list[Group]) -> None:
    """Draw a bordered table whose first column is a merged cell per group.

    Rows never split (unless the office lets Word break them); a row that does not fit
    starts a continuation page (same page id), where the group's merged cell continues with
    its label repeated, or blank where the office's Word labels a split merged cell once
    (`Office.party_once`). A header group (label "", first) is repeated atop the
    continuation when the office marks it a repeated title row (`Office.repeat_header`).
    """
    labelled: set[int] = set()
    header = groups[0] if groups and not groups[0].label else None
    repeat = bool(b.o and b.o.repeat_header and header)

    def close(top: float, gi: int, label: str) -> None:
        once = bool(b.o and b.o.party_once and label)
        party_cell(b, (xs[0], top, xs[1], b.y), "" if once and gi in labelled else label)
        if b.y > top + 1e-6:
            labelled.add(gi)
        b.line(xs[0], b.y, xs[-1], b.y)

    def draw_row(row: list[Cell], h: float) -> None:
        col = 1
        for cell in row:
            r = (xs[col], b.y, xs[col + cell.span], b.y + h)
            b.line(r[0], r[1], r[0], r[3])
            cell.draw(b, r)
            col += cell.span
        b.line(xs[-1], b.y, xs[-1], b.y + h)
        b.y += h

    def next_page(gi: int) -> float:
        b.page(b.pages[-1].id)
        b.line(xs[0], b.y, xs[-1], b.y)
        if repeat and header is not None and gi > 0:
            top = b.y
            for row in header.rows:
                draw_row(row, header.row_h)
            party_cell(b, (xs[0], top, xs[1], b.y), "")
            b.line(xs[0], b.y, xs[-1], b.y)
        return b.y

    b.line(xs[0], b.y, xs[-1], b.y)
    for gi, g in enumerate(groups):
        top = b.y
        for ri, row in enumerate(g.rows):
            heights = []
            col = 1
            for cell in row:
                heights.append(cell.need(b, xs[col + cell.span] - xs[col]))
                col += cell.span
            h = max([g.row_h, *heights])
            room = b.bottom - b.y
            split = (not b.fits(h) and b.o is not None and b.o.split_rows and g.label
                     and room >= max(max(heights, default=0.0) + 1.0, 0.45 * h, 5.0))
            if not b.fits(h) and not split:
                if b.y > top:
                    close(top, gi, g.label)
                top = next_page(gi)
            part = room if split else h  # a row Word breaks: its content above the break
            draw_row(row, part)
            if split:  # the row's empty rest runs on atop the next page
                close(top, gi, g.label)
                top = next_page(gi)
                rest = max(h - room, 4.0)
                col = 1
                for cell in row:
                    b.line(xs[col], b.y, xs[col], b.y + rest)
                    col += cell.span
                b.line(xs[-1], b.y, xs[-1], b.y + rest)
                b.y += rest
            if ri < len(g.rows) - 1:
                b.line(xs[1], b.y, xs[-1], b.y)
        close(top, gi, g.label)


def party_cell(b: Builder, r: Rect, label: str) -> None:
    b.line(r[0], r[1], r[0], r[3])
    b.line(r[2], r[1], r[2], r[3])
    if not label:
        return
    size = b.s.size
    lines = wrap(label, b.s.font, size, r[2] - r[0] - 2.0)
    lh = size * 1.35
    y = (r[1] + r[3]) / 2 - lh * len(lines) / 2 + size * 0.95
    for ln in lines:
        w = text_width(ln, b.s.font, size)
        b.print_text((r[0] + r[2] - w) / 2, y, ln)
        y += lh


def label_cell(label: str, span: int = 1) -> Cell:
    """A printed label, centred."""
    def need(b: Builder, w: float) -> float:
        return len(wrap(label, b.s.font, b.s.size, w - 1.5)) * b.s.size * 1.3 + 2.0

    def draw(b: Builder, r: Rect) -> None:
        size = b.s.size
        lines = wrap(label, b.s.font, size, r[2] - r[0] - 1.5)
        lh = size * 1.3
        y = (r[1] + r[3]) / 2 - lh * len(lines) / 2 + size * 0.9
        for ln in lines:
            b.print_text((r[0] + r[2] - text_width(ln, b.s.font, size)) / 2, y, ln)
            y += lh

    return Cell(span, need, draw)


def value_cell(value: str | None, span: int = 1, preprinted: bool = False) -> Cell:
    """A filled value, left-aligned and wrapped; None leaves the cell blank."""
    pad = 1.6

    def lines_for(b: Builder, w: float) -> tuple[list[str], str, float]:
        font, size = (b.s.font, b.s.size) if preprinted else b.fill_font()
        return (wrap(value or "", font, size, w - 2 * pad), font, size)

    def need(b: Builder, w: float) -> float:
        if not value:
            return 0.0
        lines, _, size = lines_for(b, w)
        return len(lines) * size * 1.35 + 3.0

    def draw(b: Builder, r: Rect) -> None:
        if not value:
            return
        lines, font, size = lines_for(b, r[2] - r[0])
        lh = size * 1.35
        y = (r[1] + r[3]) / 2 - lh * len(lines) / 2 + size * 0.95
        x = r[0] + pad
        if value == "—":
            x = (r[0] + r[2]) / 2 - size / 2
        centred = bool(b.v and b.v.centred and not b.s.hand and value != "—")
        for ln in lines:
            if centred:
                x = (r[0] + r[2] - text_width(ln, font, size)) / 2
            if preprinted:
                b.print_text(x, y, ln)
            else:
                b.fill_text(x + b.rng.uniform(0, 1.5) if b.s.hand else x, y, ln)
            y += lh

    return Cell(span, need, draw)
