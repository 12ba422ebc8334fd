"""A missing signature whose 签字 place holds the signer's name typed or stamped (real
paper, #17): the truth is missing_signature on that field, one finding per defect, the
layout types the name where the hand would be, and the seed's other draws stay as they
were."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from tasksheet.samplegen import defects, plan_documents, prepare
from tasksheet.samplegen.defects import apply_defect
from tasksheet.samplegen.document import layout_pages
from tasksheet.samplegen.fill import fake_sheet
from tasksheet.samplegen.layout import Mark, Text
from tasksheet.samplegen.render_raster import PRINT_BLACK, render_page

KINDS = ("missing_signature_opinion", "missing_signature_member")


def _typed_plans(n: int = 8, seed: int = 5) -> list:
    return [replace(p, defects=KINDS) for p in plan_documents(n, seed, defect_rate=0)]


def test_a_typed_name_is_a_missing_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defects, "TYPED_SIGNATURE_P", 1.0)
    styles = set()
    for plan in _typed_plans():
        prep = prepare(plan)
        typed = prep.sheet.notes["typed_signatures"]
        sig = [f["field"] for f in prep.findings if f["code"] == "missing_signature"]
        # one finding per injected defect, on the very place that holds the typed name
        assert len(sig) == 2 and sorted(sig) == sorted(typed), (sig, typed)
        for field, note in typed.items():
            assert prep.sheet.get(field) is False
            if field.startswith("members."):
                assert note["name"] == prep.sheet.get(field.replace("signed", "name"))
        styles |= {n["style"] for n in typed.values()}
    assert styles == {"print", "face", "bold", "stamp"}


def test_typing_the_name_leaves_the_documents_other_draws_alone() -> None:
    """The typed name is drawn from a stream of its own: whether a place gets one, the
    document's random stream goes on the same (a seed's other defects stay put)."""
    for seed in range(6):
        states = []
        for p in (0.0, 1.0):
            defects.TYPED_SIGNATURE_P = p
            try:
                rng, sheet = random.Random(seed), fake_sheet(random.Random(seed))
                apply_defect("missing_signature_opinion", sheet, rng, set())
                apply_defect("missing_signature_member", sheet, rng, set())
                states.append(rng.getstate())
            finally:
                defects.TYPED_SIGNATURE_P = 0.5
        assert states[0] == states[1]


def test_a_default_set_mixes_typed_and_empty_places() -> None:
    """About half the missing signatures of a set are typed names, reproducibly."""
    def typed_share(seed: int) -> tuple[int, int]:
        n_typed = n_missing = 0
        for plan in plan_documents(60, seed):
            prep = prepare(plan)
            n_missing += sum(f["code"] == "missing_signature" for f in prep.findings)
            n_typed += len(prep.sheet.notes.get("typed_signatures", {}))
        return n_typed, n_missing

    first = typed_share(3)
    assert first == typed_share(3)
    assert 0 < first[0] < first[1], first


@pytest.mark.parametrize("layout", ["paged", "flowing"])
def test_the_layout_types_the_name_in_the_place(layout: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defects, "TYPED_SIGNATURE_P", 1.0)
    plan = next(replace(p, layout=layout) for p in _typed_plans(4, 11)
                if p.format != "digital_pdf")
    prep = prepare(plan)
    typed = prep.sheet.notes["typed_signatures"]
    pages = layout_pages(prep)
    items = [it for pg in pages for it in pg.items]
    for note in typed.values():
        name = note["name"]
        drawn = [it for it in items if isinstance(it, Text) and not it.hand
                 and it.text.replace("\u3000", "") == name]
        assert drawn, (name, note)
    # a place holding a typed name has no signature: one hand per signed place
    rec = prep.sheet.record
    signed = (sum(m["signed"] for m in rec["members"])
              + sum(op["signed"] for op in rec["opinions"].values()))
    hands = [it for it in items if isinstance(it, Mark) and it.kind == "signature"]
    assert len(hands) == signed


def test_a_stamped_name_keeps_its_ink_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rubber-stamped name is printed in its 印油's colour, not the printer's black."""
    monkeypatch.setattr(defects, "TYPED_SIGNATURE_P", 1.0)
    for plan in _typed_plans():
        prep = prepare(plan)
        stamped = {n["name"] for n in prep.sheet.notes["typed_signatures"].values()
                   if n["style"] == "stamp"}
        if not stamped:
            continue
        for page in layout_pages(prep):
            texts = [it for it in page.items if isinstance(it, Text) and it.text in stamped]
            if not texts:
                continue
            t = texts[0]
            assert t.color != (0, 0, 0)
            arr = render_page(page, 100)
            k = 100 / 25.4
            x0, y1 = round(t.x * k), round(t.y * k)
            crop = arr[y1 - round(t.size * k):y1 + 2, x0:x0 + round(3 * t.size * k)].astype(int)
            ink = crop.sum(axis=2) < 600
            assert ink.any()
            r, g, b = (crop[ink][:, c].mean() for c in range(3))
            assert max(r, b) - g > 40, (r, g, b)  # red or blue-violet, not grey
            return
    pytest.fail("no stamped name in the plans")


def test_render_page_is_unchanged_for_black_print() -> None:
    """Print without a colour stays the printer's black (the layouts' pixels hold)."""
    from tasksheet.samplegen.layout import PageLayout

    page = PageLayout("x", items=[Text(20, 30, "王芳", "uming", 5.0)])
    arr = render_page(page, 100).reshape(-1, 3)
    assert tuple(arr[arr.sum(axis=1).argmin()]) == PRINT_BLACK
