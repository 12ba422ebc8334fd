"""Form readers: the template's sections read from a document's pages, by label text and
table structure, never by pixel position.

The layer above the detectors (`tasksheet.extract`: grid, checkbox, seal, signature, text
lines, OCR, which know nothing of this form) and below the checks. One reader per kind of
template section, chosen by what the template declares (`READERS`), each with one
contract: `reader(bands, template, result, engine)`, where `bands` maps each section of the
form to the stretches of pages it covers (`readers.flow`), and the reader adds its readings
to `result`. A reader that raises costs its own fields only (`unread`): the rest of the
sheet stands, and the checks ask a person to look at what it could not read.

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
from tasksheet.schemas.errors import TemplateError
from tasksheet.schemas.result import Reading, SheetResult
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
            try:
                reader(bands, template, result, engine)
            except TemplateError:
                raise
            except Exception as exc:  # one reader's bug costs its fields, not the sheet
                unread(result, template, kind, f"{type(exc).__name__}: {exc}".splitlines()[0])


def kind_fields(template: Template, kind: str) -> list[str]:
    """The record fields a reader of `kind` fills (members: none, its rows are not fields)."""
    if kind == "lines":
        return [f.id for f in template.lines]
    if kind == "tables":
        return [c.id for t in template.tables for g in t.groups for row in g.rows for c in row]
    if kind == "blocks":
        return [b.id for b in template.blocks]
    if kind == "opinions":
        return [f.id for f in template.fields() if f.id.startswith("opinions.")]
    return []


def unread(result: SheetResult, template: Template, kind: str, reason: str) -> None:
    """Record that the reader of `kind` failed: each of its fields not read before the
    failure becomes an empty reading that says why (`Reading.error`), so the checks ask a
    person to look (`low_confidence`) instead of convicting the sheet of a blank."""
    result.reader_errors[kind] = reason
    for fid in kind_fields(template, kind):
        if fid not in result.readings:
            result.readings[fid] = Reading(confidence=0.0, error=reason)
