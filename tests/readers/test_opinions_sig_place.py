"""Section 五: a signature written above its `（签字）` label's row, between the opinion and
the label (an office's habit, `samplegen.office` `sig_place="above"`), is the block's; and
ink in the signature's place is not opinion text."""

from __future__ import annotations

import pytest
from helpers.saved import data_image, saved_opinions


def _signed_and_text(result, *parties: str) -> dict[str, tuple]:
    """Each party's block as read: (signed, opinion text)."""
    return {p: (result.readings[f"opinions.{p}.signed"].value,
                result.readings[f"opinions.{p}.text"].value) for p in parties}


def test_signatures_above_their_labels_on_a_bitonal_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 8527 doc-0007 (1-bit TIFF, paged; `tests/data/opinions-bitonal-signatures-above-
    labels.png`: its undertaking and coordinating blocks as normalised). Each name is written
    over its label's row: the place looked in ran right of the label, a text height above it
    at most, and held none of it (false missing_signature on every block)."""
    _, result = saved_opinions(monkeypatch, "opinions-bitonal-signatures-above-labels.png",
                               scale=(5.0, 49.4, 3.0), dpi=300, index=7)
    assert _signed_and_text(result, "undertaking", "coordinating") == {
        "undertaking": (True, "同意承接，按任务书要求认真组织实施。"),
        "coordinating": (True, "同意，做好协调服务工作。")}


def test_a_name_above_its_label_is_no_opinion_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 8527 doc-0013 (colour scan, paged; `tests/data/opinions-colour-signature-above-
    label.jpg`: the undertaking block). The name above `法定代表人（签字）` was read as a line
    of its own (`U`) and joined the opinion (`同意。U`), and the block read unsigned."""
    _, result = saved_opinions(monkeypatch, "opinions-colour-signature-above-label.jpg",
                               scale=(3.0, 35.0, 1.0), dpi=240, index=7, colour=True)
    assert result.readings["opinions.undertaking.signed"].value is True
    assert result.readings["opinions.undertaking.text"].value == "同意。"
    assert result.readings["opinions.undertaking.date"].value == "2018-05-19"


def test_the_place_above_a_label_without_a_name_is_unsigned(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The same blocks with both names set to paper: the label's print, the opinion above it
    and the black seal's ring beside it are no signature."""
    image = data_image("opinions-bitonal-signatures-above-labels.png")
    for x0, y0, x1, y1 in ((1193, 386, 1478, 501), (1037, 1192, 1379, 1324)):  # the names
        image[y0 - 12:y1 + 12, x0 - 12:x1 + 12] = 255
    monkeypatch.setattr("helpers.saved.data_image", lambda *a, **k: image.copy())
    _, result = saved_opinions(monkeypatch, "opinions-bitonal-signatures-above-labels.png",
                               scale=(5.0, 49.4, 3.0), dpi=300, index=7)
    assert [result.readings[f"opinions.{p}.signed"].value
            for p in ("undertaking", "coordinating")] == [False, False]


def test_a_seals_glyphs_over_the_rule_are_no_opinion_text(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 8527 doc-0022 (phone photo, 五 as rows; `tests/data/opinions-photo-seal-glyphs-
    over-rule.jpg`: the commissioning block). The seal is centred in the block's signature
    row and its arc runs over the rule into the opinion's row, where `市档` of its text was
    read after the opinion (`同意按任务书开展试点工作。市档`): a seal is the cell's that holds
    its centre, and the opinion's row was read as if it had none."""
    _, result = saved_opinions(monkeypatch, "opinions-photo-seal-glyphs-over-rule.jpg",
                               scale=(4.0, 41.0, 2.0), dpi=240, index=7, colour=True)
    assert result.readings["opinions.commissioning.text"].value == "同意按任务书开展试点工作。"
    assert result.readings["opinions.commissioning.seal_text"].value == "成都市档案局"



def test_a_pens_stroke_above_its_label_is_no_opinion_text(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 8527 doc-0003 (1-bit TIFF, flowing; `tests/data/opinions-bitonal-pen-over-ring.png`:
    the undertaking and coordinating blocks on page 6, as normalised). The coordinating
    name runs from its label over the black seal's ring, its top stroke a row of its own
    above the label, read `A` (0.86) and joined to the opinion (`同意，加强指导和督促。A`):
    that row lies in the signature's place, right of the opinion's columns and between the
    opinion and the label."""
    _, result = saved_opinions(monkeypatch, "opinions-bitonal-pen-over-ring.png",
                               scale=(4.0, 43.0, 4.0), dpi=300, index=6)
    assert _signed_and_text(result, "undertaking", "coordinating") == {
        "undertaking": (True, "同意承接该项目。"),
        "coordinating": (True, "同意，加强指导和督促。")}


def test_a_label_misread_under_the_seal_is_placed_by_the_form(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The word-processor example wp-03 re-captured as a grey scan (`tests/data/opinions-grey-
    label-misread-under-seal.jpg`: its undertaking and coordinating blocks, as normalised).
    The seal's ring runs over each signature label, read `法是集集人商行)` and `人`: no label
    was found, the place looked in was the block's lower two thirds, below the names, and
    `寫婷` of 杨婷婷 joined the opinion. The form prints the label right above the seal
    label (`单位公章`, or the date when that is unread too): the row there, right of the
    opinion's columns and holding a character of the label, is the label's."""
    _, result = saved_opinions(monkeypatch, "opinions-grey-label-misread-under-seal.jpg",
                               scale=(2.0, 35.0, 2.0), dpi=300, index=5)
    assert _signed_and_text(result, "undertaking", "coordinating") == {
        "undertaking": (True, "同意承担该试点项目，"),
        "coordinating": (True, "同意纳入学会承接政府转移职能试点。")}


def test_a_blocks_print_under_a_grey_seal_is_no_signature(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The word-processor example wp-04 re-captured as a grey scan (`tests/data/opinions-grey-
    unsigned-under-seal.jpg`: its page 五, as normalised). The coordinating block is not
    signed; its seal lies over the signature label, the seal label and the date, read `fte`,
    `意` and `2018`: no label was found and the block's lower right was looked in, where the
    date's print beside the ring was taken for a pen (a missed missing_signature). A line
    with a character of a label or a date's is print. The commissioning name `杨建军`, right
    of its label misread `管、`, is no opinion text."""
    _, result = saved_opinions(monkeypatch, "opinions-grey-unsigned-under-seal.jpg",
                               scale=(5.0, 33.0, 5.0), dpi=200.17, index=6)
    assert _signed_and_text(result, "commissioning", "coordinating") == {"commissioning": (True, "同意该任务书内容。"), "coordinating": (False, "同意。")}
