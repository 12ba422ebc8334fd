"""Small synthetic form pages for the ingest tests.

Each page prints the identifying text of one form page (`identify`, `heading`) as text
lines and a ruled table, at 150 DPI; `scan()` then skews it, turns it, adds a dark scanner
border and noise, like a real flatbed scan.
"""

from __future__ import annotations

from functools import cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont
from tasksheet.schemas.template import load_template

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
FONT2 = "/usr/share/fonts/truetype/arphic/uming.ttc"
DPI = 150
A4 = (round(8.27 * DPI), round(11.69 * DPI))

FILLER = ["本项目由双方共同商定并按照约定执行", "联系人应当及时反馈工作进展情况",
          "相关材料请于规定日期前报送", "经费使用须符合有关财务管理规定"]


@cache
def _font(size: int, path: str = FONT) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


def form_page(page_id: str, seed: int = 0, font: str = FONT) -> np.ndarray:
    """A clean upright BGR page carrying the printed marks of `page_id` (or 'foreign')."""
    rng = np.random.default_rng(seed)
    im = Image.new("RGB", A4, "white")
    d = ImageDraw.Draw(im)
    body, head = _font(24, font), _font(34, font)
    y = 120
    if page_id == "foreign":
        d.text((150, y), "会议纪要", font=head, fill="black")
        lines = ["今日天气晴朗适合出行", "请各位同事准时参加周五例会", "食堂菜单本周有所调整",
                 "停车场东侧区域暂停使用", "图书馆新到一批期刊杂志"] * 3
    else:
        tpl = load_template()
        page = next(p for p in tpl.pages if p.id == page_id)
        d.text((150, y), page.heading or page.title if page_id != "cover" else "附件",
               font=head, fill="black")
        lines = list(page.identify) + FILLER[: int(rng.integers(2, 4))]
    y += 90
    # a ruled table holding the marks, two per row, like the form's label cells
    x0, x1 = 120, A4[0] - 120
    row_h = 62
    table_rows = (len(lines) + 1) // 2
    for r in range(table_rows + 1):
        d.line([(x0, y + r * row_h), (x1, y + r * row_h)], fill="black", width=2)
    mid = (x0 + x1) // 2
    for x in (x0, mid, x1):
        d.line([(x, y), (x, y + table_rows * row_h)], fill="black", width=2)
    for i, text in enumerate(lines):
        cx = x0 + 20 if i % 2 == 0 else mid + 20
        d.text((cx, y + (i // 2) * row_h + 16), text, font=body, fill="black")
    y += table_rows * row_h + 60
    for text in FILLER:
        d.text((150, y), text + "。" + text[::-1], font=body, fill="black")
        y += 48
    return np.ascontiguousarray(np.asarray(im)[:, :, ::-1])


def scan(image: np.ndarray, angle: float = 0.0, quarter: int = 0, border: int = 40,
         seed: int = 0) -> np.ndarray:
    """Simulate a scan: skew by `angle` (degrees, counter-clockwise on screen), turn by
    `quarter` (clockwise), surround with a dark scanner border, add noise."""
    rng = np.random.default_rng(seed)
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    img = cv2.warpAffine(image, m, (w, h), borderValue=(30, 30, 30))
    if quarter:
        img = np.ascontiguousarray(np.rot90(img, k=-quarter // 90))
    if border:
        img = cv2.copyMakeBorder(img, border, border // 2, border // 2, border,
                                 cv2.BORDER_CONSTANT, value=(25, 25, 25))
    noise = rng.normal(0, 6, img.shape)
    return np.clip(img.astype(np.float64) + noise, 0, 255).astype(np.uint8)


def write_image(path, image: np.ndarray, quality: int = 85) -> None:
    """Save BGR as JPEG/PNG/BMP by the file's extension, with a dpi tag."""
    Image.fromarray(image[:, :, ::-1]).save(path, quality=quality, dpi=(DPI, DPI))


def rule_angle(image: np.ndarray) -> float:
    """Angle (degrees, descending to the right) of the longest horizontal rule on a page."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    ink = (grey < 128).astype(np.uint8) * 255
    lines = cv2.HoughLinesP(ink, 1, np.pi / 1800, threshold=200,
                            minLineLength=image.shape[1] // 2, maxLineGap=5)
    best = max(lines.reshape(-1, 4), key=lambda s: abs(s[2] - s[0]))
    x0, y0, x1, y1 = (float(v) for v in best)
    return float(np.degrees(np.arctan2(y1 - y0, x1 - x0)))


# -- PDF writers -----------------------------------------------------------------------------


def write_scanned_pdf(path, images: list[np.ndarray]) -> None:
    """One JPEG image per page, as a scanner's PDF export does."""
    ims = [Image.fromarray(i[:, :, ::-1]) for i in images]
    ims[0].save(path, save_all=True, append_images=ims[1:], resolution=DPI)


def pdf_document(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """Serialise numbered objects (1..n, object 1 the catalog) with a valid xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1)) + trailer_extra
    out += b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def text_pdf(pages: list[list[str]]) -> bytes:
    """A born-digital A4 PDF: each page's lines in the standard CJK font STSong-Light
    (not embedded; pdfminer decodes it through the UniGB-UCS2-H CMap)."""
    n = len(pages)
    font_id = 3 + 2 * n
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
    objs.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n))
    for i, lines in enumerate(pages):
        ops = [b"BT /F1 14 Tf"]
        y = 780
        for line in lines:
            hexed = line.encode("utf-16-be").hex().upper().encode()
            ops.append(b"1 0 0 1 72 %d Tm <%s> Tj" % (y, hexed))
            y -= 28
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                    b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                    % (font_id, 4 + 2 * i))
        objs.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objs.append(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
                b"/DescendantFonts [%d 0 R] >>" % (font_id + 1))
    objs.append(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
                b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
                b"/FontDescriptor %d 0 R /DW 1000 >>" % (font_id + 2))
    objs.append(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
                b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
                b"/CapHeight 880 /StemV 93 >>")
    return pdf_document(objs)


def encrypted_pdf() -> bytes:
    """A PDF locked with a user password (Standard handler, RC4-40): the /U entry cannot be
    matched by the empty password, so every reader asks for one."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /Filter /Standard /V 1 /R 2 /P -44 /O <" + b"ab" * 32 + b"> /U <"
            + b"cd" * 32 + b"> >>"]
    return pdf_document(objs, b"/Encrypt 4 0 R /ID [<" + b"01" * 16 + b"> <" + b"01" * 16 + b">] ")


def worded_page(index: int, lines: list[str], form_page: str | None):
    """A born-digital A4 page at 150 DPI whose text layer is `lines`, one word a line,
    classified as `form_page`: what the page classification and order tests start from."""
    from tasksheet.ingest.document import Page, Word

    words = [Word(t, (100, 100 + 60 * i, 600, 140 + 60 * i)) for i, t in enumerate(lines)]
    page = Page(index=index, source="x", image=np.full((1754, 1240, 3), 255, np.uint8),
                scan_size=(1240, 1754), matrix=np.eye(3)[:2], dpi=150.0, born_digital=True,
                words=words)
    page.form_page = form_page
    return page
