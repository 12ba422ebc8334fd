"""Loading files: good ones become raw pages, every kind of bad one a one-line DocumentError."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from helpers.synth import encrypted_pdf, form_page, text_pdf, write_image, write_scanned_pdf
from PIL import Image
from tasksheet.ingest.discover import _source
from tasksheet.ingest.load import load_pages
from tasksheet.schemas.errors import DocumentError


def _load(path: Path, **kw) -> list:
    return list(load_pages(_source(path.parent, [path]), **kw))


def _small(page_id: str = "cover") -> np.ndarray:
    return np.ascontiguousarray(form_page(page_id)[::2, ::2])


def bomb_png(w: int = 100_000, h: int = 100_000) -> bytes:
    """A valid PNG header claiming w×h pixels, with a tiny (wrong-sized) compressed body."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))


def _expect(path: Path, *words: str) -> str:
    with pytest.raises(DocumentError) as err:
        _load(path)
    msg = str(err.value)
    assert "\n" not in msg
    for w in words:
        assert w in msg, msg
    return msg


def test_zero_byte(tmp_path: Path) -> None:
    p = tmp_path / "empty.jpg"
    p.write_bytes(b"")
    _expect(p, "empty.jpg", "empty file")


def test_truncated_pdf(tmp_path: Path) -> None:
    good = tmp_path / "good.pdf"
    write_scanned_pdf(good, [_small()])
    p = tmp_path / "cut.pdf"
    p.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _expect(p, "cut.pdf", "truncated PDF")


def test_garbage_pdf(tmp_path: Path) -> None:
    p = tmp_path / "junk.pdf"
    p.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    _expect(p, "junk.pdf", "PDF")


def test_truncated_jpeg(tmp_path: Path) -> None:
    good = tmp_path / "good.jpg"
    write_image(good, _small())
    p = tmp_path / "cut.jpg"
    p.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _expect(p, "cut.jpg", "truncated JPEG")


def test_truncated_png(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    write_image(good, _small())
    p = tmp_path / "cut.png"
    p.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _expect(p, "cut.png", "PNG")


def test_corrupt_tiff(tmp_path: Path) -> None:
    p = tmp_path / "bad.tif"
    p.write_bytes(b"II*\x00" + b"\xff\xff\xff\x7f" + b"\x00" * 64)
    _expect(p, "bad.tif", "corrupt TIFF")


def test_truncated_tiff(tmp_path: Path) -> None:
    good = tmp_path / "good.tif"
    Image.fromarray(_small()[:, :, 0]).save(good)
    p = tmp_path / "cut.tif"
    p.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    _expect(p, "cut.tif", "TIFF")


def test_encrypted_pdf(tmp_path: Path) -> None:
    p = tmp_path / "locked.pdf"
    p.write_bytes(encrypted_pdf())
    _expect(p, "locked.pdf", "encrypted PDF", "password")


def test_decompression_bomb_png(tmp_path: Path) -> None:
    p = tmp_path / "bomb.png"
    p.write_bytes(bomb_png())
    msg = _expect(p, "bomb.png", "too large", "100000×100000")
    assert "limit" in msg


def test_text_renamed_pdf(tmp_path: Path) -> None:
    p = tmp_path / "notes.pdf"
    p.write_text("这不是 PDF，只是一份笔记。\n", encoding="utf-8")
    _expect(p, "notes.pdf", "not a PDF or image", "text")


def test_pdf_with_zero_pages(tmp_path: Path) -> None:
    from helpers.synth import pdf_document

    p = tmp_path / "none.pdf"
    p.write_bytes(pdf_document([b"<< /Type /Catalog /Pages 2 0 R >>",
                        b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    _expect(p, "none.pdf", "no pages")


def test_multipage_tiff_and_grey(tmp_path: Path) -> None:
    p = tmp_path / "doc.tif"
    frames = [Image.fromarray(_small(pid)[:, :, 0]) for pid in ("cover", "members", "clauses")]
    frames[0].save(p, save_all=True, append_images=frames[1:], compression="tiff_lzw",
                   dpi=(75, 75))
    pages = _load(p)
    assert [r.index for r in pages] == [1, 2, 3]
    assert all(r.source == "doc.tif" and r.image.ndim == 3 and r.image.dtype == np.uint8
               for r in pages)
    assert pages[0].dpi == pytest.approx(75, abs=1)  # header dpi under 100 → A4 estimate
    assert not any(r.born_digital for r in pages)


def test_scanned_pdf_native_resolution(tmp_path: Path) -> None:
    p = tmp_path / "scan.pdf"
    img = form_page("cover")
    write_scanned_pdf(p, [img, img])
    pages = _load(p, dpi=100)
    assert len(pages) == 2 and not pages[0].born_digital and pages[0].words is None
    assert pages[0].dpi == pytest.approx(150, abs=1)  # the image's own resolution, not 100
    assert abs(pages[0].image.shape[1] - img.shape[1]) <= 2


def test_born_digital_pdf_words(tmp_path: Path) -> None:
    p = tmp_path / "digital.pdf"
    p.write_bytes(text_pdf([["三、试点项目参与成员", "姓名 工作单位 职务/职称 分工",
                             "本项目由双方共同商定并按照约定执行"]]))
    (page,) = _load(p, dpi=144)
    assert page.born_digital and page.dpi == 144
    assert page.image.shape[:2] == (1684, 1190)
    first = page.words[0]
    assert first.text == "三、试点项目参与成员"
    x0, y0, x1, y1 = first.bbox  # 72 pt = 144 px from the left; 14 pt glyphs = 28 px tall
    assert (x0, x1 - x0) == (144, 280) and 26 <= y1 - y0 <= 30


def test_page_too_large_for_the_pixel_limit(tmp_path: Path) -> None:
    p = tmp_path / "big.png"
    write_image(p, _small())
    with pytest.raises(DocumentError, match="too large"):
        _load(p, max_pixels=10_000)


def _cff_cjk_pdf(path: Path) -> None:
    """A page whose Chinese is in a CFF-flavoured CJK face (Noto Sans CJK, as fpdf embeds
    it), pdfminer maps none of it, and its digits in a TrueType face, which it maps."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("noto", fname="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                 collection_font_number=2)
    pdf.add_font("latin", fname="/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")
    pdf.set_font("noto", size=14)
    pdf.text(20, 30, "项目任务书 委托单位 成都市科学技术协会")
    pdf.set_font("latin", size=14)
    pdf.text(20, 50, "2018 13800001111 abc@example.com")
    pdf.output(str(path))


def test_partial_text_layer_is_read_as_a_scan(tmp_path: Path) -> None:
    """A text layer that holds the digits but not the Chinese (a face pdfminer cannot map)
    would read every label as empty: the page is read from its pixels instead."""
    import pdfplumber

    p = tmp_path / "cff.pdf"
    _cff_cjk_pdf(p)
    with pdfplumber.open(p) as pdf:  # the layer holds only the 32 Latin characters
        assert "".join(c["text"] for c in pdf.pages[0].chars) == "2018 13800001111 abc@example.com"
    (page,) = _load(p, dpi=144)
    assert not page.born_digital and page.words is None
    assert (page.image < 128).any()  # pdfium drew the Chinese
