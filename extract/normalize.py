"""Raw text → value, by field type.

OCR and typists produce full-width digits, stray spaces, several kinds of dash and dates
in Chinese. Every normaliser keeps what it cannot understand as written (a malformed mobile
stays malformed so that the check can say so) and returns `None` only for an empty cell.

>>> normalize("date", "2018年6月12日")
'2018-06-12'
>>> normalize("landline", "（028）8661 2345")
'028-86612345'
>>> normalize("text", "一")
'—'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache

DASH = "—"
# What a written dash comes back as from OCR or a keyboard.
DASH_LIKE = set("-—–―－一‐_~～") | {"——", "--", "一一"}
_FULL = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_FULL["\u3000"] = " "


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional characters to simplified: the sheet is printed and filled in simplified
    Chinese, and a brush hand often comes back from OCR as 學會, 醫葯, 減災."""
    return _t2s().convert(text) if _CJK.search(text) else text


def halfwidth(text: str) -> str:
    """Full-width ASCII (０-９, Ａ-Ｚ, ＠, －, …) to half-width."""
    return text.translate(str.maketrans(_FULL))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_dash(text: str) -> bool:
    t = _squash(text)
    return bool(t) and (t in DASH_LIKE or set(t) <= {"—", "-", "一", "－", "–", "_"})


_CJK = re.compile(r"[\u4e00-\u9fff]")
_FULL_PUNCT = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；", "?": "？", "!": "！"})


_HAN_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def _text(raw: str) -> str | None:
    """Chinese text keeps the sheet's full-width punctuation, whatever OCR returned; a space
    between two Han characters is the recogniser's reading of a wide gap (Chinese sets no
    spaces between its characters).

    >>> _text("项目 实施"), _text("Email  ab@163.com")
    ('项目实施', 'Email ab@163.com')
    """
    t = raw.strip()
    if not t:
        return None
    if is_dash(t):
        return DASH
    t = _HAN_GAP.sub("", re.sub(r"\s{2,}", " ", t))
    return t.translate(_FULL_PUNCT) if _CJK.search(t) else t


def _compact(raw: str) -> str | None:
    t = _text(raw)
    return t if t in (None, DASH) else _squash(t)


# a label's colon or a separator read at a name's edge: no name starts or ends with one
_NAME_EDGE = "：:，,。；;、"


def _name(raw: str) -> str | None:
    """A person's name, without punctuation at its ends (seed 5417 doc-0011: 协调单位's
    负责人 read `：郭强`, the label's colon taken into the value's crop).

    >>> _name("：郭强"), _name("郭强，"), _name("：")
    ('郭强', '郭强', None)
    """
    t = _compact(raw)
    if t in (None, DASH):
        return t
    return t.strip(_NAME_EDGE) or None


def _mobile(raw: str) -> str | None:
    t = _compact(raw)
    if t in (None, DASH):
        return t
    t = halfwidth(t)
    digits = re.sub(r"[-\s()（）]", "", t)
    if digits.isdigit():
        return digits
    # a `|` before or after eleven digits is the cell's ruling, grown into the crop with a
    # hand written over it (a mobile has eleven digits: a `1` there would make twelve)
    bare = digits.strip("|")
    if bare != digits and bare.isdigit() and len(bare) == 11:
        return Mended(bare)
    mended = digits.translate(_DIGIT_FOR)
    return Mended(mended) if mended.isdigit() and len(mended) == 11 else t


def _landline(raw: str) -> str | None:
    t = _compact(raw)
    if t in (None, DASH):
        return t
    # a hyphen read as a dash or a tilde (`028~89148685`: a photo's thin hyphen, seed 7411)
    t = re.sub(r"[—–~〜]", "-", halfwidth(t))
    m = re.fullmatch(_LANDLINE, t)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    # a `|` at either end is the cell's ruling grown into the crop with the hand (`_mobile`)
    m = re.fullmatch(_LANDLINE, t.strip("|"))
    if m and t.strip("|") != t:
        return Mended(f"{m.group(1)}-{m.group(2)}")
    m = re.fullmatch(_LANDLINE, t.translate(_DIGIT_FOR))
    return Mended(f"{m.group(1)}-{m.group(2)}") if m else t


# China's area codes 010 and 020-029 have three digits, all others four.
_LANDLINE = r"[(（]?(0[12]\d|0[3-9]\d{2})[)）]?-?(\d{7,8})"
# a digit a reader took for a letter of its shape (`028-831i7638`: a 1-bit 1, wp-06; `D28-`:
# a 0 with the cell's ruling against its left side, seed 9857 doc-0019); a number mended so
# is `Mended`: the likely number, not the one read
_DIGIT_FOR = str.maketrans("lIi|oOD", "1111000")


def _letters_for_digits(part: str, pattern: str) -> str:
    return re.sub(pattern, lambda m: m.group(0).replace("1", "l").replace("0", "o"), part)


def _digit_host(label: str) -> str | None:
    """`l39` → `139`, `l63` → `163`: a host of digits whose first one was read as a letter."""
    m = re.fullmatch(r"([lIio])(\d{2,})", label)  # I: lower-cased to i
    return None if m is None else {"o": "0"}.get(m.group(1), "1") + m.group(2)


# hosts mail in China is most often written at: a `0`, `O`, `o` or `a` read just before one
# of them, in an address without `@`, is the `@` (1-bit crops lose its tail and its ring)
MAIL_HOSTS = frozenset({"qq.com", "vip.qq.com", "foxmail.com", "163.com", "126.com", "yeah.net",
                        "sina.com", "sina.cn", "sohu.com", "139.com", "189.cn", "aliyun.com",
                        "gmail.com", "hotmail.com", "outlook.com"})
# what an `@` is read as, before a host of MAIL_HOSTS (a 1-bit scan's blotted `@`: `ø`)
_AT_FOR_HOST = "0Ooa©®øØ"
_AT_FOR_ANY = "0O©®øØ"  # ... before any host (a letter there may be the name's own)
_HOST = re.compile(r"[a-z0-9-]*[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.(com|cn|net|org|edu|gov)")


class Mended(str):
    """A value the normaliser mended (an e-mail's `@` put back where the reading had a `0`,
    a phone's `i` read for a `1`): the likely value, not the one read, so `misread` says so
    and the reading's confidence is lowered to ask a person to look. Plain `str` once
    stored."""


def _host(domain: str) -> str:
    """A host as read, OCR's slips undone: `foxmai1.com` → `foxmail.com`, `l39.com` →
    `139.com`, `cOm` → `com` (domains are case-blind). A comma typed for a dot (the
    writer's slip, left for the check to report) parts labels all the same: `l63,com` →
    `163,com`."""
    return "".join(lb if lb in ".," else _digit_host(lb) or (
        _letters_for_digits(lb, r"[10]").lower() if re.search(r"[A-Za-z]", lb) else lb)
        for lb in re.split(r"([.,])", domain))


def _mend_at(t: str) -> str:
    """An address read without its `@`: the one character where it stands put back, when the
    form leaves no doubt — exactly one place where an `@`-like character is followed by a
    known mail host (`abc0qq.com`), or failing that by any host (`li0cdkx.org.cn`). An
    address with no such place, or several, stays as read (the writer's slip, or unsure)."""
    if "@" in t:
        return t
    for chars, ok in ((_AT_FOR_HOST, lambda h: h in MAIL_HOSTS), (_AT_FOR_ANY, _HOST.fullmatch)):
        at = [i for i, c in enumerate(t) if c in chars and i > 0 and ok(_host(t[i + 1:]))]
        if len(at) == 1:
            return Mended(t[:at[0]] + "@" + t[at[0] + 1:])
        if at:
            return t
    return t


_STROKES = "|¦丨"


def _strokes(t: str) -> str:
    """Each bare stroke as the run it follows goes on: a `1` after a digit, else an `l`
    (`hllq|775` → `hllql775`, `ab12|3` → `ab1213`)."""
    return "".join(("1" if i and t[i - 1].isdigit() else "l") if c in _STROKES else c
                   for i, c in enumerate(t))


def _email(raw: str) -> str | None:
    """E-mail as written, in lower case; OCR's 1-for-l and 0-for-o inside letter runs are undone.

    `foxmai1.com` → `foxmail.com`; `hh11nn` → `hhllnn`; digits that end a name
    (`ytyapf1133`) or form a label (`163.com`) stay digits, and a host of digits gets back
    the one read as a letter (`l39.com` → `139.com`). An address read without `@` gets it
    back where a `0` (or the like) stands before a host (`_mend_at`), as a `Mended` value.

    >>> _email("abc0qq.com"), type(_email("abc0qq.com")).__name__, _email("abcqq.com")
    ('abc@qq.com', 'Mended', 'abcqq.com')
    """
    t = _compact(raw)
    if t in (None, DASH):
        return t
    t = halfwidth(t).replace("。", ".").replace("，", ",")
    t = re.sub("[·•・‧∙]", ".", t)  # a dot read as a middle dot
    # in lower case: a host is case-blind and so are the mailboxes of the providers these
    # forms name; a hand's w, o, c, s, v, x, z are the same shape in either case (seed 7411:
    # fpqwy37 read fpqWy37 on three copies)
    t = t.lower()
    # a host's dot read as `-` (a 1-bit scan's dot grown: wp-05 `qq-com`); a comma there is
    # the writer's (seed 5209), kept for `invalid_email`
    if re.search(r"[-_](com|cn|net|org)$", t):
        t = Mended(re.sub(r"[-_](com|cn|net|org)$", r".\1", t))
    if any(c in _STROKES for c in t):  # a bare stroke is an l or a 1: no mailbox has a `|`
        t = Mended(_strokes(t))  # (seed 9133: hllql775 read hllq|775, a false invalid_email)
    mended = _mend_at(t)
    local, at, domain = mended.partition("@")
    local = _letters_for_digits(local, r"(?<=[A-Za-z])[10]+(?=[A-Za-z])|^[10]+(?=[A-Za-z])")
    value = local + at + _host(domain)
    return Mended(value) if isinstance(mended, Mended) else value


def _amount(raw: str) -> str | None:
    t = _compact(raw)
    if t in (None, DASH):
        return t
    t = halfwidth(t)
    m = re.search(r"\d+(?:\.\d+)?", t)
    return m.group(0) if m else t


def parse_date(raw: str) -> str | None:
    """`2018年6月12日` → `2018-06-12`; an impossible or partial date stays as written."""
    t = halfwidth(_squash(raw))
    if not re.search(r"[0-9〇零一二三四五六七八九十]", t):  # the printed 年 月 日 alone
        return None
    m = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", t) or \
        re.fullmatch(r"(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})", t)
    if not m:
        return t
    t = m.group(0)  # a stray stroke read beside the date is not part of it
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return t


_NUMERALS = "〇零○一二三四五六七八九十"


def month_lost(value: str | None) -> bool:
    """A date read without its month: nothing between 年 and 月 (a seal's star over it),
    or a month not written as the rest of the date is (a Chinese numeral among digits:
    the month's digit half hidden under a ring, read `二`). A date is written in digits or
    in Chinese numerals, never both: such a month is a misreading, and the date unknown.

    >>> month_lost("2018年月16日"), month_lost("2018年二月23日"), month_lost("2018年5月23日")
    (True, True, False)
    >>> month_lost("二〇一八年五月二十三日"), month_lost("2018-05-23"), month_lost(None)
    (False, False, False)
    """
    m = re.search(r"年(.*?)月", value or "")
    if m is None:
        return False
    month = _squash(m.group(1))
    return not month or (bool(re.search(r"\d", value)) and bool(re.search(f"[{_NUMERALS}]", month)))


def _month(raw: str) -> str | None:
    t = halfwidth(_squash(raw))
    if not t:
        return None
    m = re.search(r"\d{1,2}", t)
    return str(int(m.group(0))) if m else t


NORMALIZERS: dict[str, Callable[[str], str | None]] = {
    "text": _text, "unit": _compact, "person_name": _name, "free_text": _text,
    "mobile": _mobile, "landline": _landline, "email": _email, "amount_wan": _amount,
    "date": parse_date, "month": _month, "seal_text": _compact,
}


_TLDS = ("com", "cn", "net", "org", "edu", "gov")


def misread(field_type: str, value: str | None) -> bool:
    """The value is malformed the way a reader errs, not a writer: the dot of an e-mail's
    host lost (`foxmailcom`: the smallest mark on the line), or a date's month or day out of
    any calendar (`72月`, `0月`: a stroke read as a digit, a 6 as a 0). A writer's slips (`2月30日`, no `@`,
    no top-level domain) stay errors; these ask a person to look instead.

    >>> misread("email", "ab@foxmailcom"), misread("email", "ab@foxmail")
    (True, False)
    >>> misread("date", "2018年72月26日"), misread("date", "2018年2月30日")
    (True, False)
    """
    if not value:
        return False
    if field_type == "email":
        if isinstance(value, Mended):  # its `@` put back: the likely address, not the read one
            return True
        local, at, host = value.partition("@")
        return bool(at and local) and bool(re.fullmatch(r"[A-Za-z0-9-]+", host)) and \
            any(host.endswith(t) and len(host) > len(t) + 1 for t in _TLDS)
    if field_type in ("landline", "mobile"):
        return isinstance(value, Mended)
    if field_type == "date":
        m = re.fullmatch(r"\d{4}年(\d{1,2})月(\d{1,2})日", value)
        return bool(m) and not (1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 31)
    return False


CHINESE_TYPES = {"text", "unit", "person_name", "free_text", "seal_text"}


def normalize(field_type: str, raw: str | None) -> str | None:
    """The value of `raw` for a field of `field_type` (see the template's field types)."""
    if raw is None:
        return None
    if field_type in CHINESE_TYPES:
        raw = simplified(raw)
    return NORMALIZERS.get(field_type, _text)(raw)
