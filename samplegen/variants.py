"""How word-processor copies differ beyond `Style` and `FlowStyle`: what the examples show
and our layouts did not draw (member cells wrapping in narrow columns, western fonts for
ASCII, heavy ticks over the label, a handwritten "—", names written as signatures, dates
typed tight or written by hand, dust on the cover, wider margins).

Drawn once per flowing sheet from the layout's random stream; a paged sheet has none
(`Builder.v` is None), so the paged layout stays byte for byte what it was. Each variation
changes only how a value is drawn, never the value: the truth stays exact.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tasksheet.samplegen.fonts import LATIN_FONTS

# share of flowing sheets that show each variation
NARROW_MEMBERS_P = 0.35
CENTRED_P = 0.5
LATIN_P = 0.4
HEAVY_TICKS_P = 0.3
HAND_DASH_P = 0.35  # typed sheets only: handwritten sheets write every "—" by hand
NAME_SIGN_P = 0.4
SIG_OVER_P = 0.3
TIGHT_DATE_P = 0.25
HAND_DATE_P = 0.3  # typed sheets only
SPECKS_P = 0.35
MARGINS_P = 0.3
FILL_FACE_P = 0.2  # typed values in another face than the form's print (楷体, 黑体, 宋体)
SIZE_P = 0.3  # a body size anywhere in 10.5–12 pt, not only the common steps
FILL_FACES = ("ukai", "zenhei", "uming")
PALE_INKS = ((92, 104, 150), (110, 110, 118), (70, 86, 160))


@dataclass(frozen=True)
class Variants:
    member_frac: tuple[float, ...] | None  # narrow columns: 数据分 / 析, 委 / 托 / 单 / 位
    centred: bool  # typed values centred in their cells
    latin: str | None  # western face for ASCII runs (latin_serif | latin_mono)
    heavy_ticks: bool  # ✗ across box and label start, ✓ over the label, ■
    hand_dash: bool  # a typed sheet's option blanks get a handwritten "—"
    dash_ink: tuple[int, int, int]
    name_sign: float  # share of signatures written as the signer's name
    sig_over: bool  # 五's signature over its 负责人（签字） label
    date_style: str  # spaced (2018 年 7 月 16 日) | tight (2018年7月16日) | hand
    specks: bool  # dust dots near the cover's values
    margins: tuple[float, float, float, float] | None
    line_gap: float | None
    fill_face: str | None = None  # typed values' face when it is not the print's
    size_pt: float | None = None  # body size in pt

    @classmethod
    def random(cls, rng: random.Random, hand: bool, digital: bool = False) -> Variants:
        """`digital`: a born-digital PDF, where nothing is added by pen (the draws are the
        same, so a copy group's layouts agree)."""
        narrow = None
        if rng.random() < NARROW_MEMBERS_P:
            m = [rng.uniform(0.055, 0.075), rng.uniform(0.12, 0.14), rng.uniform(0.30, 0.36),
                 rng.uniform(0.10, 0.12), rng.uniform(0.095, 0.115)]
            narrow = (*m, 1 - sum(m))
        latin = None
        if LATIN_FONTS and rng.random() < LATIN_P:
            latin = rng.choice(sorted(LATIN_FONTS) + ["latin_serif"] * 2)
            latin = latin if latin in LATIN_FONTS else next(iter(LATIN_FONTS))
        date = rng.random()
        margins = None
        if rng.random() < MARGINS_P:
            margins = (rng.uniform(15, 38), rng.uniform(15, 36), rng.uniform(14, 32),
                       rng.uniform(14, 30))
        return cls(
            member_frac=narrow, centred=rng.random() < CENTRED_P, latin=latin,
            heavy_ticks=rng.random() < HEAVY_TICKS_P,
            hand_dash=rng.random() < HAND_DASH_P and not hand and not digital, dash_ink=rng.choice(PALE_INKS),
            name_sign=rng.uniform(0.5, 0.9) if rng.random() < NAME_SIGN_P else 0.0,
            sig_over=rng.random() < SIG_OVER_P,
            date_style=("tight" if date < TIGHT_DATE_P else
                        "hand" if date < TIGHT_DATE_P + HAND_DATE_P and not hand and not digital
                        else "spaced"),
            specks=rng.random() < SPECKS_P, margins=margins,
            line_gap=rng.uniform(1.2, 1.45) if rng.random() < 0.3 else None,
            # drawn last, so the draws above stay what they were
            fill_face=rng.choice(FILL_FACES) if rng.random() < FILL_FACE_P else None,
            size_pt=rng.uniform(10.5, 12.0) if rng.random() < SIZE_P else None)
