"""Ingest: from a scan folder to the upright, ordered, classified pages of each document.

>>> from pathlib import Path
>>> docs = discover(Path("scans"))            # doctest: +SKIP
>>> doc = ingest_document(docs[0], load_template(), get_engine())  # doctest: +SKIP
>>> [p.form_page for p in doc.pages], doc.missing  # doctest: +SKIP
(['cover', 'instructions', ...], [])
"""

from __future__ import annotations

from tasksheet.extract.ocr import OcrEngine
from tasksheet.ingest.classify import claim_continuations, classify_page, order_pages
from tasksheet.ingest.discover import discover
from tasksheet.ingest.document import DocumentSource, IngestedDocument, Page, RawPage, Word
from tasksheet.ingest.load import load_pages
from tasksheet.ingest.normalize import normalise
from tasksheet.schemas.errors import DocumentError
from tasksheet.schemas.template import Template

__all__ = ["DocumentSource", "IngestedDocument", "Page", "RawPage", "Word", "classify_page",
           "discover", "ingest_document", "load_pages", "normalise", "order_pages"]


def ingest_document(src: DocumentSource, template: Template, engine: OcrEngine,
                    dpi: int = 200) -> IngestedDocument:
    """Load, normalise, classify and order the pages of one document.

    Raises DocumentError when a file cannot be read or when no page belongs to the form.
    The engine's readings kept for the document before are dropped first (a document
    reads the same whichever came before it).
    """
    forget = getattr(engine, "new_document", None)
    if forget is not None:
        forget()
    pages: list[Page] = []
    for raw in load_pages(src, dpi=dpi):
        page = normalise(raw, engine, template)
        page.form_page, page.classify_score = classify_page(page, template, engine)
        pages.append(page)
    claim_continuations(pages, template)
    ordered, missing, out_of_order = order_pages(pages, template)
    foreign = sorted(p.index for p in pages if p.form_page is None)
    if len(foreign) == len(pages):
        best = max(p.classify_score for p in pages)
        raise DocumentError(f"not a {template.title} ({template.id}): none of its {len(pages)} "
                            f"page(s) matches a page of the form (best match {best:.2f})")
    return IngestedDocument(source=src, pages=ordered, scanned_order=[p.index for p in ordered],
                            missing=missing, out_of_order=out_of_order, foreign_pages=foreign)
