"""One generated document, end to end: data → defects → layout → pages → files → truth.

`prepare()` does everything that decides *what* the document says (and which findings it
must raise) without drawing, so defect coverage can be checked in milliseconds.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from tasksheet.samplegen.capture import (
    PHOTO_DPI,
    bitonal,
    photograph,
    random_bitonal_params,
    random_photo_params,
)
from tasksheet.samplegen.defects import FIELD_KINDS, apply_defect, copy_variant, finding
from tasksheet.samplegen.fill import Sheet, fake_sheet
from tasksheet.samplegen.flow import (
    FlowPage,
    dash_unused_blanks,
    exempt_unfunded,
    layout_flowing,
    written_habits,
)
from tasksheet.samplegen.form import SEAL_RED, layout_sheet
from tasksheet.samplegen.layout import PageLayout, Style
from tasksheet.samplegen.office import Office
from tasksheet.samplegen.paper import PaperParams, apply_paper, apply_scanner, random_paper
from tasksheet.samplegen.plan import DocPlan
from tasksheet.samplegen.render_pdf import MARK_DPI, write_digital_pdf, write_image_pdf
from tasksheet.samplegen.render_raster import render_page
from tasksheet.samplegen.scan import random_params, scan
from tasksheet.samplegen.truth import build_truth, write_truth
from tasksheet.schemas.template import load_template

OPTIONAL_PAGES = ("instructions", "clauses")  # pages without fields: the only ones that go missing
DASH_BLANKS_P = 0.5  # flowing copies whose filler writes "—" in the blanks of unticked options


@dataclass
class Prepared:
    plan: DocPlan
    sheet: Sheet
    style: Style
    findings: list[dict[str, Any]]
    missing_page: str | None = None
    defects: list[str] = field(default_factory=list)


def prepare(plan: DocPlan) -> Prepared:
    data_rng = random.Random(plan.data_seed)
    sheet = fake_sheet(data_rng)
    style = Style.random(data_rng, plan.fill == "handwritten")
    rng = random.Random(plan.seed)
    findings: list[dict[str, Any]] = []
    defects: list[str] = []
    used: set[str] = set()
    flowing = plan.layout == "flowing"
    if flowing:  # the filler's habits belong to the sheet: a copy group shares them
        habits = random.Random(plan.data_seed ^ 0xF111)
        used |= exempt_unfunded(sheet, habits)
        dash_blanks = habits.random() < DASH_BLANKS_P
    exempt = set(used)
    if plan.odd_copy:
        sheet, f = copy_variant(sheet, rng)
        findings.append(finding("copy_mismatch", f))
        defects.append("copy_mismatch")
    for kind in plan.defects:
        if kind in FIELD_KINDS:
            found = apply_defect(kind, sheet, rng, used)
            findings += found
            if found:
                defects.append(kind)
    if flowing and dash_blanks:
        dash_unused_blanks(sheet, used - exempt)
    if flowing:
        written_habits(sheet, habits, used)
    missing = None
    if "missing_page" in plan.defects:
        missing = rng.choice(OPTIONAL_PAGES)
        findings.append(finding("missing_page", f"pages.{missing}"))
        defects.append("missing_page")
    if "page_out_of_order" in plan.defects:
        findings.append(finding("page_out_of_order", None))
        defects.append("page_out_of_order")
    if "upside_down" in plan.defects:
        defects.append("upside_down")
    return Prepared(plan, sheet, style, findings, missing, defects)


def layout_pages(prep: Prepared) -> list[PageLayout]:
    """The printed pages of the prepared sheet, in form order, in the plan's layout; a
    flowing sheet with a missing page is laid out without that section."""
    lrng = random.Random(prep.plan.data_seed ^ 0x5EED)
    office = office_of(prep)
    if prep.plan.layout == "flowing":
        skip = {prep.missing_page} if prep.missing_page else set()
        return list(layout_flowing(prep.sheet, prep.style, lrng, skip=skip,
                                   digital=prep.plan.format == "digital_pdf", office=office))
    return layout_sheet(prep.sheet, prep.style, lrng, office=office)


def office_of(prep: Prepared) -> Office | None:
    """The office habits of the sheet (shared by a copy group: drawn from its data seed),
    or None for a plan that asks for none (`DocPlan.office`)."""
    if not prep.plan.office:
        return None
    office = Office.random(random.Random(prep.plan.data_seed ^ 0x0FF1CE), prep.style.hand)
    if prep.plan.capture == "bitonal" and luma(office.seal_color) > BITONAL_SEAL_LUMA:
        # a pale red would fall above a 1-bit scanner's threshold: the seal would be gone
        # from the page while the truth says sealed (a copy group's other copies keep theirs)
        office = replace(office, seal_color=SEAL_RED)
    return office


BITONAL_SEAL_LUMA = 95  # the palest seal red a 1-bit scan keeps whole (SEAL_RED: 85)


def luma(color: tuple[int, int, int]) -> float:
    return 0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2]


def scanned_order(pages: list[PageLayout], prep: Prepared, rng: random.Random) -> list[PageLayout]:
    order = [p for p in pages if p.id != prep.missing_page]
    if "page_out_of_order" in prep.plan.defects:
        swaps = [i for i in range(len(order) - 1) if order[i].id != order[i + 1].id]
        # flowing: swap two pages that each start a section, so the sections' order shows it
        swaps = [i for i in swaps if all(getattr(order[j], "starts", True) for j in (i, i + 1))] \
            or swaps
        i = rng.choice(swaps)
        order[i], order[i + 1] = order[i + 1], order[i]
    return order


def encode_jpeg(arr: np.ndarray, quality: int, dpi: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "JPEG", quality=quality, dpi=(dpi, dpi))
    return buf.getvalue()


def make_document(plan: DocPlan, out: Path, *, dpi: int | tuple[int, ...] | None = None,
                  jpeg_quality: int | None = None) -> dict[str, Any]:
    """Write one document (and its truth file) into `out`; returns the truth dict."""
    prep = prepare(plan)
    pages = layout_pages(prep)
    rng = random.Random(plan.seed ^ 0xD0C)
    order = scanned_order(pages, prep, rng)
    nrng = np.random.default_rng(plan.seed)
    upside: list[int] = []
    if "upside_down" in prep.defects:
        upside = sorted(rng.sample(range(1, len(order) + 1), 1 if rng.random() < 0.7 else 2))
    capture = plan.capture
    paper = random_paper(np.random.default_rng(plan.seed ^ 0xBAC)) if plan.office else None
    if paper is not None and plan.capture == "bitonal" and plan.format != "digital_pdf":
        paper = replace(paper, contrast=1.0)  # faded, pale ink and seals would cut to white
    if plan.format == "digital_pdf":
        sources = [f"{plan.name}.pdf"]
        write_digital_pdf(order, out / sources[0])
        used_dpi, grey, capture = MARK_DPI, False, "born_digital"
    elif plan.capture == "bitonal":
        bp = random_bitonal_params(nrng, dpi=_pinned(nrng, dpi))
        pages_1bit = [bitonal(img, bp, nrng, upside_down=i + 1 in upside, defects=paper)
                      for i, img in enumerate(on_paper(order, bp.dpi, paper, nrng))]
        sources = [f"{plan.name}.tif"]
        write_g4_tiff(pages_1bit, bp.dpi, out / sources[0])
        used_dpi, grey = bp.dpi, True
    elif plan.capture == "photo":
        used_dpi, grey = _pinned(nrng, dpi) or int(nrng.choice(PHOTO_DPI)), False
        photos = []
        for i, img in enumerate(on_paper(order, used_dpi, paper, nrng)):
            pp = random_photo_params(nrng)
            img, _ = photograph(img, pp, nrng, upside_down=i + 1 in upside)
            photos.append(encode_jpeg(img, jpeg_quality or pp.quality, used_dpi))
        sources = write_jpeg_folder(plan, photos, out)
    else:
        # archival TIFF scans are mostly grey (and colour JPEG-in-TIFF is three times larger)
        p = random_params(nrng, dpi=dpi, quality=jpeg_quality,
                          grayscale_p=0.75 if plan.format == "tiff" else 0.25)
        if paper is not None and jpeg_quality is None and nrng.random() < 0.2:
            p = replace(p, quality=int(nrng.integers(40, 66)))  # an office's small files
        if paper is not None and paper.skew:
            p = replace(p, max_skew=paper.skew)
        used_dpi, grey = p.dpi, p.grayscale
        scans = [scan(img, p, nrng, upside_down=i + 1 in upside)
                 for i, img in enumerate(on_paper(order, p.dpi, paper, nrng))]
        if paper is not None:
            scans = [apply_scanner(img, paper, nrng) for img in scans]
        sources = write_scans(plan, scans, p.quality, p.dpi, out)
        capture = "grey_scan" if grey else "colour_scan"
    truth = build_truth(name=plan.name, out=out, sources=sources, fmt=plan.format, fill=plan.fill,
                        dpi=used_dpi, grayscale=grey, defects=prep.defects,
                        pages=truth_pages(order), upside_down=upside,
                        copy_group=plan.copy_group, sheet=prep.sheet, findings=prep.findings,
                        layout=plan.layout, page_sections=page_sections(order),
                        capture=capture)
    write_truth(truth, out)
    return truth


def on_paper(order: list[PageLayout], dpi: int, paper: PaperParams | None,
             rng: np.random.Generator) -> list[np.ndarray]:
    """The pages rendered, as the paper is (`paper.apply_paper`: the next page's print
    showing through, holes, staple, fading), or clean when the plan draws no defects."""
    pages = [render_page(pg, dpi) for pg in order]
    if paper is None:
        return pages
    return [apply_paper(img, paper, rng, pages[i + 1] if i + 1 < len(pages) else None)
            for i, img in enumerate(pages)]


def page_sections(order: list[PageLayout]) -> list[list[str]]:
    """Per scanned page, the sections it holds (a paged sheet: its one page id)."""
    return [list(pg.sections) if isinstance(pg, FlowPage) else [pg.id] for pg in order]


def truth_pages(order: list[PageLayout]) -> list[str]:
    """The truth's `pages`: a paged sheet's page ids in scanned order; for a flowing sheet,
    whose pages hold several sections, each section present once, in form order."""
    if not any(isinstance(pg, FlowPage) for pg in order):
        return [pg.id for pg in order]
    present = {s for pg in page_sections(order) for s in pg}
    return [p.id for p in load_template().pages if p.id in present]


def write_scans(plan: DocPlan, scans: list[np.ndarray], quality: int, dpi: int, out: Path) -> list[str]:
    if plan.format == "image_pdf":
        name = f"{plan.name}.pdf"
        write_image_pdf([encode_jpeg(s, quality, dpi) for s in scans], out / name)
        return [name]
    if plan.format == "jpg_folder":
        return write_jpeg_folder(plan, [encode_jpeg(s, quality, dpi) for s in scans], out)
    name = f"{plan.name}.tif"
    images = [Image.fromarray(s) for s in scans]
    images[0].save(out / name, save_all=True, append_images=images[1:], compression="jpeg",
                   quality=quality, dpi=(dpi, dpi))
    return [name]


def write_jpeg_folder(plan: DocPlan, jpegs: list[bytes], out: Path) -> list[str]:
    folder = out / plan.name
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i, data in enumerate(jpegs, 1):
        (folder / f"p{i}.jpg").write_bytes(data)
        names.append(f"{plan.name}/p{i}.jpg")
    return names


def write_g4_tiff(pages: list[np.ndarray], dpi: int, path: Path) -> None:
    """1-bit pages (bool, True = white) as one multi-page CCITT Group 4 TIFF."""
    images = [Image.fromarray(p) for p in pages]  # a bool array gives mode "1"
    images[0].save(path, save_all=True, append_images=images[1:], compression="group4",
                   dpi=(dpi, dpi))


def _pinned(rng: np.random.Generator, dpi: int | tuple[int, ...] | None) -> int | None:
    """The resolution a caller pinned (an int, or a tuple to choose from), else None."""
    if dpi is None or isinstance(dpi, int):
        return dpi
    return int(rng.choice(dpi))
