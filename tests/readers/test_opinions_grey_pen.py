"""Section 五 on a greyscale scan: a signature written wholly inside its block's grey seal."""

from __future__ import annotations

import cv2
from conftest import DATA
from tasksheet.extract.signature import detect_signature

TH = 39.0  # the page's text height (300 DPI, copied at 93 %)
SEAL = (404, 274, 232)  # the grey seal found on the page, in the crop


def _page():
    gray = cv2.imread(str(DATA / "opinions-grey-pen-inside-seal.png"), cv2.IMREAD_GRAYSCALE)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


def test_a_signature_inside_a_grey_seal_is_the_pens_by_its_tone() -> None:
    """Seed 191 doc-0023 (grey scan, 4.4° skew, `tests/data/opinions-grey-pen-inside-seal.png`:
    the commissioning block's lower right as normalised). The seal, stamped large over
    the signature place, holds the whole signature: a piece of ink wholly inside a grey
    seal was taken for the seal's own, and the block read unsigned (two false findings
    on the document). The seal's ink is a mid grey (its ring's tone); the pen is darker."""
    exclude = [(10, 292, 207, 331), (173, 395, 327, 433), (378, 396, 468, 433),
               (516, 396, 593, 433)]
    got = detect_signature(_page(), (214, 167, 847, 284), text_height=TH, exclude=exclude,
                           discs=[SEAL])
    assert (got.signed, got.bbox) == (True, (285, 167, 599, 272))


def test_the_seals_own_star_and_text_are_still_no_signature() -> None:
    """Right of the seal label, the same seal's star and arc text alone, its tone."""
    got = detect_signature(_page(), (215, 290, 620, 380), text_height=TH, discs=[SEAL])
    assert got.signed is False


def test_print_inside_a_grey_seal_is_no_signature_where_the_label_was_not_read() -> None:
    """The examples' wp-04 (grey): the coordinating block's labels, inside its seal, were
    not read, and its signature place was taken as the block's lower right, over the
    label's print. Told by tone alone, that print was a pen's: without a label read,
    what lies wholly inside the seal is the seal's or print (`by_tone=False`)."""
    date_row = (250, 380, 560, 440)  # `8 年 7 月 4 日`, inside the seal
    assert detect_signature(_page(), date_row, text_height=TH, discs=[SEAL],
                            by_tone=False).signed is False
