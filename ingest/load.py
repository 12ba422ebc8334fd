"""Read a document's files into raw pages; turn every kind of bad input into a DocumentError.

Files are recognised by their magic bytes, not their names, so a text file renamed `.pdf`
is refused with a reason a clerk understands. Image dimensions are checked from the header
before any pixel is decoded, so a decompression bomb costs nothing.

Limits (`Limits`, settings read from the environment so worker processes share them):
pages per document, bytes per file, pixels per page; each exceeded limit is a
DocumentError naming it, raised before the pages are decoded. Pages are yielded one at a
time (a multi-page TIFF or PDF is never decoded whole), and no file is ever read whole
just to look at it: only regular files are opened (`hashing.open_regular`), in bounded
pieces.

PDF pages are told apart: a page whose text layer covers it is *born digital* (rasterised
at `dpi`, its words kept in pixel coordinates); a page that is one big image is a *scan*
(rendered at the embedded image's own resolution, so no detail is invented or lost).
"""

from __future__ import annotations

import contextlib
import os
import stat
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageFile
from tasksheet.ingest.document import DocumentSource, RawPage, Word
from tasksheet.ingest.hashing import (
    NotRegularFile,
    contains,
    kind_of,
    open_regular,
    printable,
    read_head,
)
from tasksheet.schemas.errors import DocumentError, TasksheetError

DEFAULT_MAX_PIXELS = 60_000_000  # per page
DEFAULT_MAX_PAGES = 50  # per document (the form has 8 or so)
DEFAULT_MAX_FILE_MB = 500  # per file, in MB of 10^6 bytes
DEFAULT_MAX_SCAN_DPI = 600  # a scanned PDF page is rendered at its image's dpi, up to this
MIN_BORN_DIGITAL_CHARS = 5  # fewer text chars than this: not a real text layer
# the share of the page's drawn characters (pdfium's count) its parsed text layer must hold
# to be read from: below it, fonts pdfminer cannot map (a CJK face embedded as CFF) left
# their text out, and the page is read from its pixels like a scan
MIN_TEXT_LAYER_SHARE = 0.9
FULL_PAGE_IMAGE = 0.8  # an image covering this share of the page makes it a scan
A4_LONG_INCH = 11.69

IMAGE_KINDS = {"jpeg": "JPEG", "png": "PNG", "tiff": "TIFF", "bmp": "BMP"}


@dataclass(frozen=True)
class Limits:
    """What one document may cost; exceeding any is a `failed` document with its reason.

    Settings: the environment variables of `ENV` (so that worker processes, which inherit
    the environment, apply the same limits), or `tasksheet run --max-pages/--max-file-mb/
    --max-pixels`, which set them.

    >>> Limits.from_env({"TASKSHEET_MAX_PAGES": "8"})
    Limits(max_pages=8, max_file_mb=500.0, max_pixels=60000000)
    >>> Limits(max_file_mb=1.5).max_file_bytes
    1500000
    """

    max_pages: int = DEFAULT_MAX_PAGES
    max_file_mb: float = float(DEFAULT_MAX_FILE_MB)
    max_pixels: int = DEFAULT_MAX_PIXELS

    ENV = {"max_pages": "TASKSHEET_MAX_PAGES", "max_file_mb": "TASKSHEET_MAX_FILE_MB",
           "max_pixels": "TASKSHEET_MAX_PIXELS"}

    def __post_init__(self) -> None:
        for name in self.ENV:
            if not getattr(self, name) > 0:
                raise TasksheetError(f"limit {name} must be positive, not {getattr(self, name)}")

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1_000_000)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        """The limits set in the environment, defaults for those not set."""
        env = os.environ if env is None else env
        kw: dict[str, float | int] = {}
        for name, var in cls.ENV.items():
            text = env.get(var, "").strip()
            if not text:
                continue
            try:
                kw[name] = float(text) if name == "max_file_mb" else int(text.replace("_", ""))
            except ValueError as exc:
                raise TasksheetError(f"{var}={text!r} is not a number") from exc
        return cls(**kw)  # type: ignore[arg-type]

    def env(self) -> dict[str, str]:
        """These limits as environment variables (what `from_env` reads back)."""
        return {var: str(getattr(self, name)) for name, var in self.ENV.items()}


def check_file(path: Path, rel: str, limits: Limits) -> int:
    """Before any read: the file exists, is a regular file and is not over the size limit.

    Returns its size; raises DocumentError with the reason otherwise.
    """
    name = printable(rel)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise DocumentError(f"{name}: cannot read file ({_os_reason(exc)})") from exc
    if not stat.S_ISREG(st.st_mode):
        raise DocumentError(f"{name}: {kind_of(st.st_mode)}, not a regular file: not read")
    if st.st_size > limits.max_file_bytes:
        raise DocumentError(f"{name}: file too large ({st.st_size / 1e6:,.1f} MB, over the "
                            f"{limits.max_file_mb:g} MB limit)")
    return st.st_size


def _os_reason(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if isinstance(exc, NotRegularFile):
        return str(exc)
    return exc.strerror or str(exc) or type(exc).__name__


def sniff(path: Path) -> str:
    """The file's kind from its first bytes: pdf, jpeg, png, tiff, bmp, empty or unknown.

    Only a regular file is opened (a FIFO or a device raises `NotRegularFile`), and only
    its first KB is read.
    """
    head = read_head(path, 1024)
    if not head:
        return "empty"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head.startswith(b"BM"):
        return "bmp"
    if b"%PDF-" in head:
        return "pdf"
    return "unknown"


def load_pages(src: DocumentSource, dpi: int = 200, max_pixels: int | None = None,
               limits: Limits | None = None) -> Iterator[RawPage]:
    """Yield the document's pages in scanned order, numbered from 1, one at a time.

    Raises DocumentError (one-line reason) for an empty, truncated, corrupt, encrypted,
    oversized or unsupported file, as soon as that file is reached, and for a document
    over `limits` (default: `Limits.from_env()`; `max_pixels` overrides its pixel limit).
    """
    limits = limits or Limits.from_env()
    if max_pixels is not None:
        limits = Limits(max_pages=limits.max_pages, max_file_mb=limits.max_file_mb,
                        max_pixels=max_pixels)
    index = 0
    for path, rel in zip(src.paths, src.sources, strict=True):
        for page in _load_file(path, rel, dpi, limits, room=limits.max_pages - index):
            index += 1
            page.index = index
            yield page
    if index == 0:
        raise DocumentError("document has no pages")


def _too_many(rel: str, limits: Limits, count: str = "") -> DocumentError:
    count = count or f"more than {limits.max_pages}"
    return DocumentError(f"{printable(rel)}: too many pages ({count}; the limit is "
                         f"{limits.max_pages} pages per document)")


def _load_file(path: Path, rel: str, dpi: int, limits: Limits,
               room: int) -> Iterator[RawPage]:
    """One file's pages; `room`: how many more pages the document may have."""
    check_file(path, rel, limits)
    try:
        kind = sniff(path)
    except OSError as exc:
        raise DocumentError(f"{printable(rel)}: cannot read file ({_os_reason(exc)})") from exc
    if kind == "empty":
        raise DocumentError(f"{printable(rel)}: empty file (0 bytes)")
    if room <= 0:
        raise _too_many(rel, limits)
    if kind == "pdf":
        yield from _load_pdf(path, rel, dpi, limits, room)
    elif kind in IMAGE_KINDS:
        yield from _load_image(path, rel, kind, limits, room)
    else:
        claimed = printable(path.suffix.lower().lstrip(".")) or "no extension"
        name = printable(rel)
        raise DocumentError(f"{name}: not a PDF or image file (named .{claimed}, content is "
                            f"{_describe(path)})" if claimed != "no extension"
                            else f"{name}: not a PDF or image file ({_describe(path)})")


def _describe(path: Path) -> str:
    """Text or binary, from the first 512 bytes (a character cut at the end is still text)."""
    import codecs

    try:
        codecs.getincrementaldecoder("utf-8")().decode(read_head(path, 512), final=False)
        return "text"
    except UnicodeDecodeError:
        return "unrecognised binary data"


# -- images --------------------------------------------------------------------------------


def _load_image(path: Path, rel: str, kind: str, limits: Limits,
                room: int) -> Iterator[RawPage]:
    """The image's pages (a TIFF's frames), decoded one at a time, each checked first."""
    name = IMAGE_KINDS[kind]
    label = printable(rel)
    max_pixels = limits.max_pixels
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    previous = Image.MAX_IMAGE_PIXELS
    try:
        # Opening reads the header only. PIL's own bomb guard (which fires in `open`) is
        # lifted for the open so that our check below, against `max_pixels` and before any
        # decoding, gives the one clear reason; it is restored right after.
        Image.MAX_IMAGE_PIXELS = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im = Image.open(path)
    except (OSError, SyntaxError, ValueError, TypeError) as exc:
        raise DocumentError(f"{label}: corrupt {name} file (cannot read header: "
                            f"{_short(exc)})") from exc
    finally:
        Image.MAX_IMAGE_PIXELS = previous
    with im:
        if kind == "tiff" and _has_frame(im, room):  # frame `room` exists: one too many
            raise _too_many(rel, limits)
        n = 0
        while True:
            try:
                if kind == "tiff":
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        im.seek(n)
                elif n:
                    break
            except EOFError:
                break
            except Exception as exc:  # a broken IFD: TypeError, struct.error, KeyError, …
                if isinstance(exc, MemoryError):
                    raise
                raise DocumentError(f"{label}: corrupt {name} (page {n + 1}: "
                                    f"{_short(exc)})") from exc
            n += 1
            if n > room:
                raise _too_many(rel, limits)
            w, h = im.size
            if w * h > max_pixels or w <= 0 or h <= 0:
                raise DocumentError(f"{label}: image too large ({w}×{h} pixels, over the "
                                    f"{max_pixels:,} pixel limit; possible decompression bomb)")
            where = f"{label} page {n}" if kind == "tiff" else label
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    im.load()
                    bgr = _to_bgr(im)
            except Exception as exc:  # truncated data, bad tags ("Missing dimensions"), …
                if isinstance(exc, MemoryError):
                    raise
                raise DocumentError(f"{where}: corrupt or truncated {name} "
                                    f"({_short(exc)})") from exc
            page = RawPage(index=n, source=rel, image=bgr, dpi=_image_dpi(im, w, h),
                           grey=im.mode in GREY_MODES)
            del bgr
            if kind != "tiff":
                # one frame: PIL's decoded copy (4 bytes a pixel for RGB: 35 MB for an A4
                # page at 300 DPI) is not needed while the page is worked on
                im.close()
            yield page
            del page
        if n == 0:
            raise DocumentError(f"{label}: {name} holds no image")


def _has_frame(im: Image.Image, index: int) -> bool:
    """Whether a multi-frame image has frame `index` (0-based): walks the frame headers up
    to it, decodes nothing; a broken header counts as no (the decoding loop says why)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            im.seek(index)
    except Exception:
        return False
    finally:
        with contextlib.suppress(Exception):
            im.seek(0)
    return True


# PIL modes `_to_bgr` makes BGR from one grey plane (three equal channels): 1-bit and 8-bit
# grey, then 16/32-bit grey
GREY_MODES = ("1", "L", "P;L", "I;16", "I;16B", "I;16L", "I")


def _to_bgr(im: Image.Image) -> np.ndarray:
    """Any PIL mode to BGR uint8 (16-bit and 1-bit scans included; alpha onto white)."""
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        im = im.convert("RGBA")
        bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(bg, im)
    if im.mode in GREY_MODES[3:]:
        arr = np.asarray(im, dtype=np.float64)
        top = max(float(arr.max()), 1.0)
        grey = (arr * (255.0 / (65535.0 if top > 255 else 255.0))).clip(0, 255).astype(np.uint8)
        return _grey_to_bgr(grey)
    if im.mode in GREY_MODES[:3]:
        return _grey_to_bgr(np.asarray(im.convert("L"), dtype=np.uint8))
    rgb = np.asarray(im if im.mode == "RGB" else im.convert("RGB"), dtype=np.uint8)
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)  # no second copy of the page, as a flip made


def _grey_to_bgr(grey: np.ndarray) -> np.ndarray:
    """A grey plane as three equal channels: `cv2.merge` writes them in one pass, a tenth
    of `np.repeat`'s time on a page (4 vs 39 ms for an A4 page at 300 dpi)."""
    grey = np.ascontiguousarray(grey, dtype=np.uint8)
    return cv2.merge([grey, grey, grey])


def _image_dpi(im: Image.Image, w: int, h: int) -> float:
    """The header's dpi when plausible, else the dpi an A4 page of this size would have."""
    dpi = im.info.get("dpi")
    with contextlib.suppress(TypeError, ValueError, IndexError):
        if dpi and 100 <= float(dpi[0]) <= 1200 and abs(float(dpi[0]) - float(dpi[1])) < 1:
            return float(dpi[0])
    return round(max(w, h) / A4_LONG_INCH, 1)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return printable(text[0][:120]) if text else type(exc).__name__


# -- PDF -----------------------------------------------------------------------------------


def _load_pdf(path: Path, rel: str, dpi: int, limits: Limits,
              room: int) -> Iterator[RawPage]:
    import pdfplumber
    import pypdfium2 as pdfium

    _check_pdf_tail(path, rel)
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise DocumentError(_pdf_open_error(path, rel, exc)) from exc
    try:
        n = len(doc)
        if n == 0:
            raise DocumentError(f"{printable(rel)}: PDF has no pages")
        if n > room:
            before = limits.max_pages - room
            raise _too_many(rel, limits, f"{n}" if not before else f"at least {before + n}")
        try:
            plumber = pdfplumber.open(str(path))
        except Exception as exc:  # pdfminer raises many kinds for broken files
            raise DocumentError(f"{printable(rel)}: corrupt PDF ({_short(exc)})") from exc
        with plumber:
            for i in range(n):
                where = f"{printable(rel)} page {i + 1}"
                try:
                    page = _pdf_page(doc[i], plumber.pages[i], where, i + 1, dpi,
                                      limits.max_pixels)
                except DocumentError:
                    raise
                except Exception as exc:
                    raise DocumentError(f"{where}: corrupt PDF page ({_short(exc)})") from exc
                page.source = rel
                yield page
    finally:
        doc.close()


def _pdf_open_error(path: Path, rel: str, exc: Exception) -> str:
    """Why PDFium refused the file: it reports a password error for some page-less files
    too, so a password is blamed only when the file declares encryption."""
    import pdfplumber

    rel = printable(rel)
    if "password" in str(exc).lower() and contains(path, b"/Encrypt"):
        return f"{rel}: encrypted PDF (needs a password)"
    try:
        with pdfplumber.open(str(path)) as pdf:
            if not pdf.pages:
                return f"{rel}: PDF has no pages"
    except Exception:
        pass
    return f"{rel}: corrupt PDF ({_short(exc)})"


def _check_pdf_tail(path: Path, rel: str) -> None:
    """A PDF whose end lacks `%%EOF` was cut short: refuse it rather than guess its pages."""
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        fh.seek(max(0, size - 2048))
        tail = fh.read(2048)
    if b"%%EOF" not in tail:
        raise DocumentError(f"{printable(rel)}: truncated PDF (file ends without %%EOF)")


def _pdf_page(pdfium_page, plumber_page, where: str, n: int, dpi: int,
              max_pixels: int) -> RawPage:
    w_pt, h_pt = pdfium_page.get_size()
    scan_dpi = _scan_image_dpi(plumber_page)
    born_digital = scan_dpi is None and _has_text_layer(plumber_page, pdfium_page)
    page_dpi = float(dpi)
    if scan_dpi is not None:
        page_dpi = float(min(max(scan_dpi, 72), DEFAULT_MAX_SCAN_DPI))
    scale = page_dpi / 72.0
    px = (w_pt * scale) * (h_pt * scale)
    if px > max_pixels:
        raise DocumentError(f"{where}: page too large ({w_pt / 72:.0f}×{h_pt / 72:.0f} inches "
                            f"at {page_dpi:.0f} dpi is over the {max_pixels:,} pixel limit)")
    bitmap = pdfium_page.render(scale=scale, rev_byteorder=False, fill_color=(255, 255, 255, 255))
    arr = bitmap.to_numpy()
    mode = bitmap.mode
    if arr.ndim == 2:
        bgr = _grey_to_bgr(arr)
    elif mode in ("BGRA", "BGRX"):
        bgr = arr[:, :, :3]
    elif mode in ("RGBA", "RGBX"):
        bgr = arr[:, :, 2::-1]
    else:
        bgr = arr[:, :, :3]
    bgr = np.ascontiguousarray(bgr, dtype=np.uint8)
    words = _words(plumber_page, scale) if born_digital else None
    return RawPage(index=n, source=where, image=bgr, dpi=page_dpi, born_digital=born_digital,
                   words=words, grey=arr.ndim == 2)


def _scan_image_dpi(page) -> float | None:
    """The dpi of the image that covers the page, or None when no image covers it."""
    area = float(page.width * page.height) or 1.0
    for im in page.images:
        w = float(im["x1"] - im["x0"])
        h = float(im["bottom"] - im["top"])
        if w * h >= FULL_PAGE_IMAGE * area and w > 0:
            src_w, src_h = im.get("srcsize") or (0, 0)
            if src_w and src_h:
                return max(src_w / (w / 72.0), src_h / (h / 72.0))
            return None
    return None


def _has_text_layer(page, pdfium_page=None) -> bool:
    """Whether the page's text can be read from its text layer: enough real characters
    (not `(cid:N)` glyphs without a Unicode mapping), and, where pdfium's count of the
    page's drawn characters is at hand, nearly all of those (a partial layer would read
    the rest of the page as empty)."""
    chars = [t for c in page.chars if (t := c.get("text", "")).strip()]
    real = [t for t in chars if _mapped(t)]
    if len(real) < MIN_BORN_DIGITAL_CHARS or len(real) < MIN_TEXT_LAYER_SHARE * len(chars):
        return False
    drawn = _drawn_chars(pdfium_page)
    return drawn is None or len(real) >= MIN_TEXT_LAYER_SHARE * drawn


def _mapped(text: str) -> bool:
    """A character pdfminer could map to Unicode (not `(cid:N)`, a private-use or
    replacement character)."""
    return not text.startswith("(cid:") and not any(
        ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff" for ch in text)


def _drawn_chars(pdfium_page) -> int | None:
    """How many non-space characters pdfium finds drawn on the page (None: not known)."""
    if pdfium_page is None:
        return None
    try:
        text = pdfium_page.get_textpage().get_text_range()
    except Exception:  # noqa: BLE001 - only a cross-check; pdfminer's layer decides alone
        return None
    return sum(1 for ch in text if not ch.isspace())


def _words(page, scale: float) -> list[Word]:
    """pdfplumber's words, in the rasterised page's pixels (top-left origin, like pdfplumber)."""
    out = []
    for w in page.extract_words(keep_blank_chars=False, use_text_flow=True):
        box = (int(w["x0"] * scale), int(w["top"] * scale),
               int(np.ceil(w["x1"] * scale)), int(np.ceil(w["bottom"] * scale)))
        out.append(Word(text=w["text"], bbox=box))
    return out
