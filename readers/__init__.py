"""Form readers: the template's sections read from a document's pages, by label text and
table structure, never by pixel position.

The layer above the detectors (`tasksheet.extract`: grid, checkbox, seal, signature, text
lines, OCR, which know nothing of this form) and below the checks. One reader per kind of
template section, chosen by what the template declares (`READERS`), each with one
contract: `reader(bands, template, result, engine)`, where `bands` maps each section of the
form to the stretches of pages it covers (`readers.flow`), and the reader adds its readings
to `result`.

>>> sorted(READERS)
['blocks', 'lines', 'members', 'opinions', 'tables']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tasksheet.readers.blocks import read_block
from tasksheet.readers.cover import read_lines
from tasksheet.readers.flow import section_bands
from tasksheet.readers.members import read_members
from tasksheet.readers.opinions import read_opinions
from tasksheet.readers.tables import read_table
from tasksheet.readers.work import PageWork
from tasksheet.schemas.result import SheetResult
from tasksheet.schemas.template import Template

Bands = dict[str, list[PageWork]]
Reader = Callable[[Bands, Template, SheetResult, object], None]


def _lines(bands: Bands, template: Template, result: SheetResult, engine) -> None:
    pages = list(dict.fromkeys(spec.page for spec in template.lines))
    for page in pages:
        for w in bands.get(page, [])[:1]:
            read_lines(w, template, result, [s for s in template.lines if s.page == page])


def _tables(bands: Bands, template: Template, result: SheetResult, engine) -> None:
    for table in template.tables:
        read_table(bands.get(table.page, []), table, template, result)


def _blocks(bands: Bands, template: Template, result: SheetResult, engine) -> None:
    for block in template.blocks:
        read_block(bands.get(block.page, []), block, result)


def _members(bands: Bands, template: Template, result: SheetResult, engine) -> None:
    read_members(bands.get(template.members.page, []), template, result)


def _opinions(bands: Bands, template: Template, result: SheetResult, engine) -> None:
    read_opinions(bands.get(template.opinions.page, []), template, engine, result)


READERS: dict[str, Reader] = {"lines": _lines, "tables": _tables, "blocks": _blocks,
                              "members": _members, "opinions": _opinions}


def extract_document(pages: Iterable, result: SheetResult, template: Template, engine) -> None:
    """Fill `result.readings`, `result.members` and `result.sections` from the ordered pages.

    The pages are one flow: each section is read from the bands where its heading puts it
    (`readers.flow`), whatever page it starts on; `result.sections` records where each was.
    """
    works = [PageWork.of(page, engine) for page in pages if page.form_page]
    bands = section_bands(works, template)
    result.sections = {sid: sorted({w.page.index for w in ws}) for sid, ws in bands.items() if ws}
    for kind, reader in READERS.items():
        if getattr(template, kind):
            reader(bands, template, result, engine)
