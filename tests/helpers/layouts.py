"""Generated sheets and their drawn strings, for the generator's tests."""

from __future__ import annotations

import dataclasses

from tasksheet.samplegen import plan_documents, prepare
from tasksheet.samplegen.document import Prepared, layout_pages, office_of
from tasksheet.samplegen.fonts import text_width
from tasksheet.samplegen.layout import PageLayout, Text
from tasksheet.samplegen.office import Office


def office_sheets(seeds: tuple[int, ...], n: int = 40
                  ) -> list[tuple[Prepared, Office, list[PageLayout]]]:
    """Sheets of `n`-document sets (both layouts, with defects), their offices and pages."""
    out = []
    for seed in seeds:
        for plan in plan_documents(n, seed=seed):
            prep = prepare(plan)
            office = office_of(prep)
            assert office is not None
            out.append((prep, office, layout_pages(prep)))
    return out


def joined(items: list) -> list[Text]:
    """The typed and written strings of `items`, a string typed in runs of two faces (ASCII
    in the western one) joined back into one."""
    out: list[Text] = []
    end = 0.0  # where the last string ends
    for it in items:
        if not isinstance(it, Text) or not it.text:
            continue
        prev = out[-1] if out else None
        if (prev and not prev.hand and not it.hand and prev.y == it.y and prev.size == it.size
                and abs(end - it.x) < 1e-6):
            out[-1] = dataclasses.replace(prev, text=prev.text + it.text)
        else:
            out.append(it)
        end = it.x + text_width(it.text, it.font, it.size)
    return out
