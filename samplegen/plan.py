"""Plan a sample set before drawing anything: format, fill, defects and copy groups per
document. Cheap and deterministic, so coverage of defect kinds is tested without rendering.

Defective documents get the defect kinds round-robin from a shuffled list, as many per
document as needed for every kind to appear once the set is large enough (a 50-document
set at `defect_rate=0.5` shows them all); copy groups are three consecutive documents.

Each scanned document is captured (`capture`) by a flatbed `scan` (colour or grey, decided
with the scan), as a 1-bit archive scan (`bitonal`: always a G4 TIFF) or as phone photos
(`photo`: always a JPG folder). A mixed set photographs about half of its JPG folders and
stores about half of its TIFFs as 1-bit, by a draw of its own (every other choice of a plan
stays as it was); `captures` restricts them (`["photo"]`: every scanned document a photo).

Each document is laid out `paged` (every section on a page of its own) or `flowing` (as
a word processor lays it out: sections run on mid-page, tables break between rows); a
mixed set has about as many of each, chosen by a random draw of its own so that adding
the layout left every other choice of a plan as it was. A copy group shares its layout.

>>> [p.format for p in plan_documents(4, seed=1, defect_rate=0)]
['image_pdf', 'jpg_folder', 'tiff', 'digital_pdf']
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace

from tasksheet.samplegen.defects import KINDS

FORMATS = ("image_pdf", "jpg_folder", "tiff", "digital_pdf")
SCANNED = ("image_pdf", "jpg_folder", "tiff")
LAYOUTS = ("paged", "flowing")
PLAN_CAPTURES = ("scan", "bitonal", "photo")  # how a scanned document is captured
CAPTURE_FORMAT = {"bitonal": "tiff", "photo": "jpg_folder"}  # the file each one makes


@dataclass(frozen=True)
class DocPlan:
    index: int  # 1-based
    name: str
    format: str
    fill: str  # typed | handwritten
    defects: tuple[str, ...]
    copy_group: str | None = None
    odd_copy: bool = False
    data_seed: int = 0  # the sheet's data and print layout (shared within a copy group)
    seed: int = 0  # everything about this copy: defects, scan
    layout: str = "paged"  # paged | flowing (shared within a copy group)
    capture: str = "scan"  # scan | bitonal | photo (a born-digital PDF: scan, unused)
    office: bool = True  # draw an office's habits (`samplegen.office`) and scan defects


def doc_seed(seed: int, index: int) -> int:
    return random.Random(f"samplegen:{seed}:{index}").getrandbits(63)


def layout_choice(seed: int, data_indices: list[int], layouts: tuple[str, ...]) -> dict[int, str]:
    """The layout of each distinct sheet (data index): half of them flowing when mixed."""
    if len(layouts) == 1:
        return dict.fromkeys(data_indices, layouts[0])
    rng = random.Random(f"layout:{seed}")
    order = sorted(set(data_indices))
    rng.shuffle(order)
    k = len(order) // 2 + (len(order) % 2 if rng.random() < 0.5 else 0)
    flowing = set(order[:k])
    return {i: "flowing" if i in flowing else "paged" for i in order}


def capture_choice(seed: int, fmts: list[str], captures: tuple[str, ...]) -> list[str]:
    """The capture of each document (by its format), drawn from a random stream of its own.

    Mixed (every capture allowed): about half the TIFFs are 1-bit and half the JPG folders
    photos. Without `scan`, every scanned document gets one of `captures`, in turn.
    """
    rng = random.Random(f"capture:{seed}")
    out = ["scan"] * len(fmts)
    scanned = [i for i, f in enumerate(fmts) if f in SCANNED]
    if "scan" not in captures:
        for k, i in enumerate(scanned):
            out[i] = captures[k % len(captures)]
        return out
    for capture in captures:
        if capture == "scan":
            continue
        pool = [i for i in scanned if fmts[i] == CAPTURE_FORMAT[capture]]
        k = len(pool) // 2 + (len(pool) % 2 if rng.random() < 0.5 else 0)
        for i in rng.sample(pool, k):
            out[i] = capture
    return out


def plan_documents(n: int, seed: int, defect_rate: float = 0.5,
                   formats: list[str] | None = None,
                   layouts: list[str] | None = None,
                   captures: list[str] | None = None) -> list[DocPlan]:
    fmts = list(formats or FORMATS)
    unknown = set(fmts) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats {sorted(unknown)}; known: {', '.join(FORMATS)}")
    lays = tuple(dict.fromkeys(layouts or LAYOUTS))
    if set(lays) - set(LAYOUTS):
        raise ValueError(f"unknown layouts {sorted(set(lays) - set(LAYOUTS))}; "
                         f"known: {', '.join(LAYOUTS)}")
    caps = tuple(dict.fromkeys(captures or PLAN_CAPTURES))
    if set(caps) - set(PLAN_CAPTURES):
        raise ValueError(f"unknown captures {sorted(set(caps) - set(PLAN_CAPTURES))}; "
                         f"known: {', '.join(PLAN_CAPTURES)}")
    rng = random.Random(f"plan:{seed}")
    # copy groups: one per 25 documents, or one in a small defective set of 6+
    n_groups = n // 25 if n >= 25 else int(n >= 6 and defect_rate > 0)
    group_of: dict[int, tuple[str, int]] = {}
    for g in range(n_groups):
        width = n // max(1, n_groups)
        start = g * width + max(0, width // 2 - 1)
        start = min(start, n - 3)
        odd = start + rng.randrange(3)
        for i in range(start, start + 3):
            group_of[i] = (f"copy-{g + 1:02d}", odd)
    free = [i for i in range(n) if i not in group_of]
    n_bad = round(defect_rate * len(free))
    bad = sorted(rng.sample(free, n_bad))
    kinds = list(KINDS)
    rng.shuffle(kinds)
    per_doc = max(1, math.ceil(len(kinds) / n_bad)) if n_bad else 0
    assigned: dict[int, list[str]] = {i: [] for i in bad}
    k = 0
    for i in bad:
        extra = 1 if per_doc == 1 and rng.random() < 0.25 else 0
        for _ in range(per_doc + extra):
            kind = kinds[k % len(kinds)]
            k += 1
            if kind not in assigned[i]:
                assigned[i].append(kind)

    data_of = {i: min(j for j, gg in group_of.items() if gg[0] == group_of[i][0])
               if i in group_of else i for i in range(n)}
    layout_of = layout_choice(seed, list(data_of.values()), lays)
    plans = []
    for i in range(n):
        fmt = fmts[i % len(fmts)]
        defects = tuple(assigned.get(i, ()))
        if "upside_down" in defects and fmt == "digital_pdf":
            scanned = [f for f in fmts if f in SCANNED]
            if scanned:
                fmt = scanned[0]
            else:
                defects = tuple(d for d in defects if d != "upside_down")
        group = group_of.get(i)
        fill = "handwritten" if (i + seed) % 3 == 0 and fmt != "digital_pdf" else "typed"
        data_index = i
        if group:
            data_index = min(j for j, gg in group_of.items() if gg[0] == group[0])
            fill = "handwritten" if (data_index + seed) % 3 == 0 else "typed"
            if fmt == "digital_pdf" and fill == "handwritten":
                fmt = next((f for f in fmts if f in SCANNED), fmt)
        plans.append(DocPlan(
            index=i + 1, name=f"doc-{i + 1:04d}", format=fmt, fill=fill, defects=defects,
            copy_group=group[0] if group else None, odd_copy=bool(group and group[1] == i),
            data_seed=doc_seed(seed, data_index), seed=doc_seed(seed, i),
            layout=layout_of[data_of[i]]))
    caught = capture_choice(seed, [p.format for p in plans], caps)
    return [replace(p, capture=c, format=CAPTURE_FORMAT.get(c, p.format))
            for p, c in zip(plans, caught, strict=True)]
