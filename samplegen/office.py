"""How offices' copies differ beyond what `Style`, `FlowStyle` and `Variants` draw (#15).

Our own seeds had stopped finding weaknesses (100 % on fresh seeds) while a set rendered by
an independent generator fell to 3 % finding precision: what offices do and we did not
draw. One `Office` per sheet, drawn for both layouts by `generate()` (through
`document.layout_pages`): the faces an office prints in (宋体-, 黑体-, 楷体-like, bold
headings), heading numbering and spacing, the cover as a bordered table, row heights and
column widths and margins beyond the usual, a table row broken over a page, 五's blocks as one bordered
cell, dates written 二〇一八年七月十六日 / 2018年07月06日 / 2018.7.16, the cover's month
as 05, ticks typed as √ ✓ × or ☒ or inked solid, pens of other colours, seals of other reds,
sizes and places (over the date, over the signature).

What the word-processor examples show beyond those (drawn after them, so every earlier
draw stays what it was): rules printed turned ~0.4–1.7° against the text (wp-04; a scan
only), 五's signature a hand's width right of its label, above its row or low over it, the
signature, seal and date rows under the opinion with the block's foot blank, page numbers
(`- 3 -`, `第 3 页 共 6 页`, `3 / 6`) or a running header over Word's header rule, the
members' header row repeated atop a continued table, a split merged party cell labelled on
one part only, member signatures larger than their cell, a hand whose lines wander.

Each draw changes only how a value is drawn, never the value, so the truth stays exact.
`office=None` (the default of `layout_sheet` / `layout_flowing`, and so of `page_images`
and every test helper) draws nothing new: those layouts are as they were.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

Color = tuple[int, int, int]

# print faces: 宋体-like (uming, 简报宋, Noto Serif), 黑体-like (zenhei, 微米黑, Noto Sans)
BODY_FONTS = ("uming", "song", "song", "noto_serif", "noto_serif", "zenhei", "microhei",
              "noto_sans")
HEAD_FONTS = ("zenhei", "noto_sans_bold", "noto_serif_bold", "microhei", "body", "body_bold")
HAND_FONTS = ("ukai", "kaiti")
NUMBERINGS = ("、", "、", "．", "（）", "　")  # 一、 一． （一） 一␣
DATE_STYLES = ("cn", "padded", "dotted", "cn_o")  # valid dates only: see `office_date`
MONTH_STYLES = ("digits", "padded", "cn")
TYPED_TICKS = (("tick_typed",), ("boxcross",), ("pen_fill",), ("tick_typed", "filled"),
               ("boxcross", "glyph"), ("pen_fill", "check"), ("x_typed",))
INKS: tuple[Color, ...] = ((20, 60, 170), (40, 40, 44), (70, 40, 120), (10, 90, 160),
                           (60, 70, 90))
SEAL_REDS: tuple[Color, ...] = ((205, 32, 42), (220, 70, 80), (190, 40, 30), (215, 55, 95),
                                (175, 25, 45), (230, 95, 90))
SEAL_PLACES = ("label", "date", "signature", "right")
CN_DIGITS = "〇一二三四五六七八九"
# 五's signature: right after its label, a hand's width further right (wp-04), above the
# label's row (between the opinion and the label), or low, over the label's end and the
# （单位公章） line under it
SIG_PLACES = ("beside", "far", "above", "low")
# page furniture Word adds: a centred footer `- 3 -`, `第 3 页 共 6 页`, `3 / 6` or `3`; or a
# running header (the title, small, over Word's default header rule)
FOLIOS = ("dash", "page_of", "slash", "plain", "header")
TILT_P = 0.3
SIG_PLACE_P = 0.5
FOLIO_P = 0.4
REPEAT_HEADER_P = 0.35
PARTY_ONCE_P = 0.5
SIG_SPILL_P = 0.25
SIGN_TOP_P = 0.5
HAND_WANDER_P = 0.5  # handwritten sheets only
MARGIN_PRESETS = ((31.8, 25.4, 31.8, 25.4), (12.7, 12.7, 12.7, 12.7), (19.1, 25.4, 19.1, 25.4),
                  (50.8, 25.4, 50.8, 25.4), (28.0, 37.0, 26.0, 35.0))


@dataclass(frozen=True)
class Office:
    body_font: str | None  # the print face when not the `Style`'s
    head_font: str  # a face name, or "body" / "body_bold": the body face (stroked bold)
    head_scale: float  # heading size over the body size
    numbering: str  # how a heading's numeral is set off: 一、 一． （一） 一␣
    spaced_all: bool  # every heading letter-spaced, not only 填表说明 and 四
    hand_font: str  # the pen's hand: ukai or kaiti
    cover_table: bool  # the cover's four lines as a bordered label | value table
    row_h: float | None  # basic-info row height beyond the usual range
    member_row_h: float | None
    col_frac: tuple[float, float, float, float, float] | None
    split_rows: bool  # a table row that does not fit breaks over the page (Word's default)
    opinion_frame: str  # blocks: each party's block bordered | one: one cell for all three |
    # rows: each block's opinion, signature and date in rows of their own (rules between)
    date_style: str | None  # a valid 五 date written other than with digits
    month_style: str  # the cover's month: digits, 05, or 五
    ticks: tuple[str, ...] | None  # a typed sheet's ticks
    ink: Color | None  # the pen
    seal_color: Color
    seal_place: str  # where the seal lands: on （单位公章）, on the date, on the signature
    seal_d: tuple[float, float]  # seal diameter range, mm
    margins: tuple[float, float, float, float] | None = None  # Word's presets: left, top,
    # right, bottom (普通 31.8/25.4, 窄 12.7, 适中 19.1/25.4, 宽 50.8/25.4)
    # -- what the word-processor examples show and the fields above did not draw --
    tilt: float = 0.0  # degrees the rules print turned against the text (wp-04: ~1.5°)
    sig_place: str = "beside"  # 五's signature against its label: see SIG_PLACES
    folio: str | None = None  # page furniture: see FOLIOS
    folio_cover: bool = False  # the cover carries the folio too (else 首页不同)
    repeat_header: bool = False  # the members' header row repeated atop a continued table
    party_once: bool = False  # a merged party cell split over a page labelled on one part
    sig_spill: bool = False  # members sign larger than their 签字 cell, across its rules
    sign_at: str = "foot"  # 五's signature, seal and date rows: at the block's foot, or
    # "top": a few lines under the opinion, the block's rest blank (the examples)
    hand_wander: bool = False  # handwritten paragraph lines wander: crowd, touch, overlap
    seed: int = 0  # the stream these habits draw positions from (`Builder.orng`), apart
    # from the layout's own, so that every other position stays what it was

    @classmethod
    def random(cls, rng: random.Random, hand: bool, digital: bool = False) -> Office:
        """One office's habits; `digital`: a born-digital PDF (nothing by pen is drawn
        differently, the draws are the same so a copy group agrees)."""
        del digital  # the draws do not depend on it
        narrow = None
        if rng.random() < 0.35:  # label columns wider or narrower than Word's default
            c0 = rng.uniform(0.08, 0.16)
            c1 = rng.uniform(0.12, 0.22)
            c3 = rng.uniform(0.09, 0.16)
            rest = 1 - c0 - c1 - c3
            c2 = rest * rng.uniform(0.38, 0.56)
            narrow = (c0, c1, c2, c3, rest - c2)
        return cls(
            body_font=rng.choice(BODY_FONTS) if rng.random() < 0.7 else None,
            head_font=rng.choice(HEAD_FONTS),
            head_scale=rng.uniform(0.95, 1.35),
            numbering=rng.choice(NUMBERINGS) if rng.random() < 0.35 else "、",
            spaced_all=rng.random() < 0.2,
            hand_font=rng.choice(HAND_FONTS),
            cover_table=rng.random() < 0.25,
            row_h=rng.uniform(7.0, 9.5) if rng.random() < 0.25 else (
                rng.uniform(13.5, 16) if rng.random() < 0.15 else None),
            member_row_h=rng.uniform(8.0, 10.5) if rng.random() < 0.25 else (
                rng.uniform(19, 24) if rng.random() < 0.15 else None),
            col_frac=narrow,
            split_rows=rng.random() < 0.4,
            opinion_frame="one" if rng.random() < 0.3 else (
                "rows" if rng.random() < 0.3 else "blocks"),
            date_style=rng.choice(DATE_STYLES) if rng.random() < 0.4 else None,
            month_style=rng.choice(MONTH_STYLES),
            ticks=None if hand or rng.random() < 0.5 else rng.choice(TYPED_TICKS),
            ink=rng.choice(INKS) if rng.random() < 0.5 else None,
            seal_color=rng.choice(SEAL_REDS),
            seal_place=rng.choice(SEAL_PLACES) if rng.random() < 0.5 else "label",
            seal_d=rng.choice(((38.0, 42.0), (34.0, 38.0), (40.0, 46.0))),
            # drawn last, so the draws above stay what they were
            margins=rng.choice(MARGIN_PRESETS) if rng.random() < 0.3 else None,
            # drawn after the margins, so every draw above stays what it was
            tilt=rng.choice((-1, 1)) * rng.uniform(0.4, 1.7) if rng.random() < TILT_P else 0.0,
            sig_place=rng.choice(SIG_PLACES[1:]) if rng.random() < SIG_PLACE_P else "beside",
            folio=rng.choice(FOLIOS) if rng.random() < FOLIO_P else None,
            folio_cover=rng.random() < 0.3,
            repeat_header=rng.random() < REPEAT_HEADER_P,
            party_once=rng.random() < PARTY_ONCE_P,
            sig_spill=rng.random() < SIG_SPILL_P,
            sign_at="top" if rng.random() < SIGN_TOP_P else "foot",
            hand_wander=hand and rng.random() < HAND_WANDER_P,
            seed=rng.getrandbits(32),
        )


def heading_text(text: str, numbering: str, spaced: bool = False) -> str:
    """`一、三方单位基本信息` set off as `一．…`, `（一）…` or `一 …`; letter-spaced after the
    numeral when `spaced`. A heading without a numeral (填表说明) keeps its words."""
    head, sep, rest = text.partition("、")
    if not sep:
        return " ".join(text.replace(" ", "")) if spaced else text
    rest = " ".join(rest.replace(" ", "")) if spaced else rest
    if numbering == "（）":
        return f"（{head}）{rest}"
    return f"{head}{numbering}{rest}"


def _cn_number(n: int) -> str:
    """1..31 in Chinese numerals as dates write them: 七, 十六, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    if not tens:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def office_date(date: tuple[str, str, str], style: str) -> tuple[str, str, str]:
    """(year, month, day) as an office writes them in `style`: cn 二〇一八 / 七 / 十六,
    cn_o 二O一八 (a letter O for 〇), padded 07 / 06; dotted keeps digits (the layout
    joins them with dots)."""
    y, m, d = date
    if style in ("cn", "cn_o"):
        zero = "〇" if style == "cn" else "O"
        year = "".join(CN_DIGITS[int(c)] for c in y).replace("〇", zero)
        return year, _cn_number(int(m)), _cn_number(int(d))
    if style == "padded":
        return y, m.zfill(2), d.zfill(2)
    return y, m, d


def cover_month(month: str, style: str) -> str:
    """The cover's month as written: 5, 05 or 五."""
    if not month.isdigit():
        return month
    if style == "padded":
        return month.zfill(2)
    if style == "cn":
        return _cn_number(int(month))
    return month
