"""Normalisers: exact values for the forms people and OCR produce, and properties."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tasksheet.extract.normalize import DASH, halfwidth, misread, normalize, parse_date


@pytest.mark.parametrize(("kind", "raw", "value"), [
    ("date", "2018年6月12日", "2018-06-12"),
    ("date", "2018 年 6 月 12 日", "2018-06-12"),
    ("date", "２０１８年０６月１２日", "2018-06-12"),
    ("date", "2018年2月30日", "2018年2月30日"),
    ("date", "年    月   日", None),
    ("date", "", None),
    ("month", "5", "5"),
    ("month", " 05 ", "5"),
    ("mobile", "138 0013 8000", "13800138000"),
    ("mobile", "１３８００１３８０００", "13800138000"),
    ("mobile", "1380013800", "1380013800"),
    ("landline", "028-86612345", "028-86612345"),
    ("landline", "（028）86612345", "028-86612345"),
    ("landline", "028 8661 2345", "028-86612345"),
    ("landline", "86612345", "86612345"),
    ("landline", "028~89148685", "028-89148685"),  # a photo's thin hyphen read as a tilde
    ("landline", "028～89148685", "028-89148685"),
    ("email", "li.wei＠cdkx.org.cn", "li.wei@cdkx.org.cn"),
    ("email", "li wei@163.com", "liwei@163.com"),
    ("email", "fpqWy37@Sina.com", "fpqwy37@sina.com"),  # a hand's w read in upper case
    ("amount_wan", "20", "20"),
    ("amount_wan", "5.5万元", "5.5"),
    ("text", "—", DASH),
    ("text", "一", DASH),
    ("text", "--", DASH),
    ("text", "  ", None),
    ("person_name", "张 三", "张三"),
    ("text", "科技处", "科技处"),
    ("free_text", "开展  科技成果评价", "开展科技成果评价"),
])
def test_normalize(kind, raw, value):
    assert normalize(kind, raw) == value


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_any_chinese_date_round_trips(day):
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == day.isoformat()


@given(st.text(alphabet="0123456789ABCDEFXYZabc@.-", max_size=20))
def test_halfwidth_inverts_fullwidth(text):
    full = "".join(chr(ord(c) + 0xFEE0) for c in text)
    assert halfwidth(full) == text


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_valid_mobiles_survive_spacing(mobile):
    spaced = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    assert normalize("mobile", spaced) == mobile


@pytest.mark.parametrize(("raw", "value"), [
    ("qgsxnw1060@foxmai1.com", "qgsxnw1060@foxmail.com"),
    ("hh11nn1396@139.com", "hhllnn1396@139.com"),
    ("1wqaxj767@163.com", "lwqaxj767@163.com"),
    ("ytyapf1133@163.com", "ytyapf1133@163.com"),
    ("2210083912@qq.com", "2210083912@qq.com"),
    ("zmerrzq@l39.com", "zmerrzq@139.com"),
    ("cwtldr1504@foxmail·com", "cwtldr1504@foxmail.com"),
    ("zmerrzq@I63.com", "zmerrzq@163.com"),
    ("kepu@lab.cn", "kepu@lab.cn"),
])
def test_email_undoes_digit_for_letter_confusions(raw, value):
    assert normalize("email", raw) == value


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("email", "shqtqs1824@foxmailcom", True),  # the dot lost in reading
    ("email", "shqtqs1824@foxmail", False),  # no top-level domain: as written
    ("email", "shqtqs1824foxmail.com", False),  # no @
    ("email", "shqtqs1824@foxmail,com", False),
    ("email", "shqtqs1824@foxmail.com", False),
    ("date", "2018年72月26日", True),
    ("date", "2018年7月46日", True),
    ("date", "2018年0月4日", True),
    ("date", "2018年2月30日", False),  # a writer's slip: the check's invalid_date
    ("date", "2018-07-26", False),
    ("mobile", "1381234567", False),
])
def test_misread_tells_a_readers_error_from_a_writers(kind, value, expected):
    assert misread(kind, value) is expected


def test_date_ignores_strokes_read_beside_it():
    assert normalize("date", "12018年7月17日") == "2018-07-17"
    assert normalize("date", "2018年9月31日丿") == "2018年9月31日"


@pytest.mark.parametrize(("kind", "raw", "value"), [
    ("unit", "成都市防震減灾學會", "成都市防震减灾学会"),
    ("unit", "成都市中醫葯學會", "成都市中医药学会"),
    ("person_name", "張三", "张三"),
    ("email", "abc@163.com", "abc@163.com"),
])
def test_traditional_characters_read_from_a_brush_hand_come_back_simplified(kind, raw, value):
    assert normalize(kind, raw) == value


@pytest.mark.parametrize(("raw", "value"), [
    ("abc0qq.com", "abc@qq.com"),  # a 1-bit crop: the @ lost its tail and ring
    ("26326418900qq.com", "2632641890@qq.com"),  # the name's own 0 stays
    ("cyu92O139.com", "cyu92@139.com"),
    ("leooqq.com", "leo@qq.com"),
    ("lindaafoxmai1.com", "linda@foxmail.com"),  # the host's slips undone as ever
    ("li0cdkx.org.cn", "li@cdkx.org.cn"),  # any host: only a 0 or O stands for the @
    ("ncempdfø139.com", "ncempdf@139.com"),  # a 1-bit scan blotted the @ (seed 4107 doc-0019)
])
def test_an_at_read_as_0_before_a_host_is_put_back_and_said_to_be_mended(raw, value):
    got = normalize("email", raw)
    assert got == value and misread("email", got)  # the reading then asks a person to look


@pytest.mark.parametrize("raw", [
    "shqtqs1824foxmail.com",  # no @ and nothing in its place: the writer's slip
    "liacdkx.org.cn",  # a letter before an unknown host may be the name's own
    "ab0c0de.com",  # two places it could stand: not guessed
    "abc@qq.com",  # read whole
])
def test_an_at_is_not_invented(raw):
    got = normalize("email", raw)
    assert got.count("@") == raw.count("@") and not misread("email", got)


def test_a_phone_digit_read_as_a_letter_is_mended_and_asks_to_look() -> None:
    """Re-captured wp-06 (1-bit): 028-83117638 read 028-831i7638, a false invalid_phone; the
    likely number is given back, marked as mended (a person looks), never taken as read."""
    phone = normalize("landline", "028-831i7638")
    assert phone == "028-83117638" and misread("landline", phone)
    mobile = normalize("mobile", "1380O138000")
    assert mobile == "13800138000" and misread("mobile", mobile)
    assert not misread("landline", normalize("landline", "028-83117638"))
    assert normalize("landline", "028-831x7638") == "028-831x7638"  # no digit's shape: as read
    assert normalize("mobile", "138001380") == "138001380"  # too short to mend: as read


def test_an_email_read_with_a_dash_for_its_hosts_dot_is_mended() -> None:
    """Re-captured wp-05 (1-bit): 4886970228@qq.com read 48869702280qq-com, a false
    invalid_email: the `@` and the dot put back, the value marked as mended."""
    email = normalize("email", "48869702280qq-com")
    assert email == "4886970228@qq.com" and misread("email", email)
    assert normalize("email", "ab@my-host.com") == "ab@my-host.com"


def test_a_stroke_in_an_email_is_the_letter_or_digit_of_its_run() -> None:
    """Seed 9133 doc-0022: hllql775@139.com read hllq|775, a false invalid_email. A bare
    stroke is an l after a letter, a 1 after a digit; the value is marked as mended."""
    email = normalize("email", "hllq|775@139.com")
    assert email == "hllql775@139.com" and misread("email", email)
    assert normalize("email", "ab12|3@qq.com") == "ab1213@qq.com"
    assert not misread("email", normalize("email", "hllql775@139.com"))


@pytest.mark.parametrize(("raw", "value", "mended"), [
    ("|17009897681", "17009897681", True),   # seed 9133 doc-0019: the ruling grown into the crop
    ("13266861979|", "13266861979", True),
    ("1|7009897681", "1|7009897681", False),  # inside the number: not a ruling, left as read
    ("|1700989768", "11700989768", True),    # ten digits after it: the `|` is a `1` read so
])
def test_a_ruling_beside_a_mobile_is_no_digit(raw: str, value: str, mended: bool) -> None:
    got = normalize("mobile", raw)
    assert (got, misread("mobile", got)) == (value, mended)


def test_a_zero_against_a_ruling_read_d_is_mended() -> None:
    """Seed 9857 doc-0019 (1-bit): `028-…` read `D28-…`, the ruling against the 0's left."""
    got = normalize("landline", "D28-85870473")
    assert (got, misread("landline", got)) == ("028-85870473", True)


def test_a_ruling_before_a_landline_is_no_digit() -> None:
    """Seed 6143 doc-0023: `|028-81512169`, the cell's ruling grown into the crop."""
    got = normalize("landline", "|028-81512169")
    assert (got, misread("landline", got)) == ("028-81512169", True)
