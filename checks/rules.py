"""The template's `rules:` applied to one document: findings with their evidence, and a status.

Each rule names a `kind`; `RULE_KINDS` maps a kind to the function that applies it, so a new
rule of an existing kind is one line of YAML. A kind function receives the rule and a
`Context` (the document, its template, which form pages are missing) and yields findings;
`Context.targets` expands the rule's field patterns (`all`, `opinions.*.sealed`,
`members.*.signed` → one target per filled member row) and skips fields on pages the
document lacks, since `missing_page` already says so.

>>> result = check_document(SheetResult(id="x", sources=[], sha256="", template="t"))
>>> result.status
'incomplete'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from tasksheet.checks.names import (
    DEFAULT_NAME_SIMILARITY,
    lost_chars_only,
    ratio,
    ring_start,
    same_name,
)
from tasksheet.checks.names import normalise as normalise_name
from tasksheet.schemas.errors import TemplateError
from tasksheet.schemas.record import BBox, Finding, Status
from tasksheet.schemas.result import MemberRow, Reading, SheetResult
from tasksheet.schemas.template import FieldSpec, Rule, Template, load_template

# Findings that earlier stages (ingest, pipeline, batch) append; check_document keeps them.
UNREADABLE = "unreadable_document"
STRUCTURAL_CODES = frozenset({"missing_page", "page_out_of_order", "unreadable_document",
                              "copy_mismatch"})
# Types whose emptiness not_blank does not judge: marks have their own rules, a date its own.
NOT_BLANK_EXCLUDED = frozenset({"checkbox_group", "signature", "seal", "seal_text", "date"})
DEFAULT_NEAR_NAME = 0.6  # similarity from which two unit names may be one misread
ATTACH_NAMES = {"amount_wan": "金额（万元）", "other_text": "其他说明"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SIGN_SUFFIX = re.compile(r"[（(]签字[)）]$")


@dataclass(frozen=True)
class Target:
    """One place a rule looks at: the exported field id, its spec and its reading."""

    field: str
    spec: FieldSpec
    reading: Reading | None
    display: str
    row: MemberRow | None = None

    @property
    def value(self) -> object:
        return None if self.reading is None else self.reading.value


@dataclass
class Context:
    """What every rule needs: the document, its template and the pages it lacks."""

    result: SheetResult
    template: Template
    missing_pages: set[str] = field(default_factory=set)
    # fields a rule would have flagged had they been read surely enough (`min_confidence`),
    # with why a person should look
    unsure: dict[str, str] = field(default_factory=dict)

    def sure(self, rule: Rule, *readings: Reading | None) -> bool:
        """Whether `readings` are read surely enough for `rule` to raise its error on them."""
        bar = rule.min_confidence
        return bar is None or all(r is not None and r.confidence >= bar for r in readings)

    def targets(self, rule: Rule, types: Iterable[str] | None = None) -> Iterator[Target]:
        """The rule's fields (of `types`, if given), members expanded to filled rows."""
        wanted = set(types) if types is not None else None
        seen: set[str] = set()
        for pattern in rule.fields:
            for spec in match(self.template, pattern):
                if spec.id in seen or (wanted is not None and spec.type not in wanted):
                    continue
                seen.add(spec.id)
                if spec.page in self.missing_pages or self.exempt(rule, spec):
                    continue
                if spec.id.startswith("members."):
                    yield from self._member_targets(spec)
                else:
                    yield Target(spec.id, spec, self.result.readings.get(spec.id),
                                 display_of(self.template, spec))

    def exempt(self, rule: Rule, spec: FieldSpec) -> bool:
        """The rule's `unless`: the field does not apply, by another group's tick — or may
        not, when that group was read under the confidence bar (an option not seen: its
        tick unknown). The unsure group is itself reported `low_confidence`, so a person
        settles both; the rule is not let convict on a condition nobody read."""
        for cond in rule.unless:
            if any(spec.id == f.id for pattern in cond.fields for f in match(self.template, pattern)):
                when = self.result.readings.get(cond.when.format(party=spec.party or ""))
                if cond.ticked in ticked_labels(when) or (
                        when is not None and when.confidence < self.template.low_confidence_below):
                    return True
        return False

    def _member_targets(self, spec: FieldSpec) -> Iterator[Target]:
        key = spec.id.rsplit(".", 1)[1]
        for i, row in enumerate(self.result.members):
            if row.party == spec.party:
                yield Target(f"members.{i}.{key}", spec, row.cells.get(key),
                             member_display(self.template, self.result, i, key), row)

    def unit_of(self, party_id: str | None) -> str | None:
        """The party's unit: printed on the form (协调单位), else as the cover names it."""
        if party_id is None:
            return None
        unit_field = self.template.party(party_id).unit_field
        printed = specs_of(self.template)[1][unit_field].preprinted
        value = self.result.value(unit_field)
        if printed or not isinstance(value, str) or is_blank(value) or value == self.template.dash:
            return printed
        return value

    def finding(self, rule: Rule, target: Target, detail: str = "", field_id: str | None = None,
                reading: Reading | None = None, **fmt: str) -> Finding:
        """A finding of `rule` at `target`, its page and box taken from the reading."""
        fid = field_id or target.field
        page, bbox = self.evidence(reading or target.reading, target)
        message = rule.message.format_map(_Format(display=target.display, **fmt)) + detail
        return Finding(code=rule.code, severity=rule.severity, section=fid.split(".")[0],
                       field=fid, message=message, page=page, bbox=bbox)

    def evidence(self, reading: Reading | None, target: Target) -> tuple[int | None, BBox | None]:
        """Page and box of the reading; else the row's or opinion block's box; else the page."""
        if reading is not None and reading.page is not None and reading.bbox is not None:
            return reading.page, reading.bbox
        siblings: list[Reading] = []
        if target.row is not None:
            siblings = list(target.row.cells.values())
        elif target.field.startswith("opinions."):
            prefix = target.field.rsplit(".", 1)[0] + "."
            siblings = [r for k, r in self.result.readings.items() if k.startswith(prefix)]
        page = reading.page if reading is not None and reading.page is not None else None
        boxed = [r for r in siblings if r.bbox is not None and r.page is not None
                 and (page is None or r.page == page)]
        if boxed:
            page = boxed[0].page
            return page, union([r.bbox for r in boxed if r.page == page])
        if page is None:
            page = next((p.index for p in self.result.pages if p.form_page == target.spec.page),
                        None)
        return page, None


class _Format(dict):
    """Message placeholders the rule does not fill stay empty instead of raising."""

    def __missing__(self, key: str) -> str:
        return ""


# -- helpers ------------------------------------------------------------------------------

_SPECS: dict[int, tuple[Template, list[FieldSpec], dict[str, FieldSpec]]] = {}


def specs_of(template: Template) -> tuple[list[FieldSpec], dict[str, FieldSpec]]:
    """The template's fields (members' included) as a list and by id, built once per template:
    `Template.fields()` rebuilds them on every call, and reports look up thousands."""
    hit = _SPECS.get(id(template))
    if hit is None or hit[0] is not template:
        specs = template.fields() + template.member_fields()
        hit = _SPECS[id(template)] = (template, specs, {f.id: f for f in specs})
    return hit[1], hit[2]


def match(template: Template, pattern: str) -> list[FieldSpec]:
    """`Template.match_fields` over the cached fields; `all` is every field."""
    specs, _ = specs_of(template)
    if pattern == "all":
        return specs
    parts = pattern.split(".")
    return [f for f in specs if len(f.id.split(".")) == len(parts)
            and all(p in ("*", q) for p, q in zip(parts, f.id.split("."), strict=True))]


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def union(boxes: Iterable[BBox | None]) -> BBox | None:
    real = [b for b in boxes if b is not None]
    if not real:
        return None
    return (min(b[0] for b in real), min(b[1] for b in real),
            max(b[2] for b in real), max(b[3] for b in real))


def ticked_labels(reading: Reading | None) -> list[str]:
    """The ticked options of a group: its list value, else its ticked option marks."""
    if reading is None:
        return []
    if isinstance(reading.value, list):
        return list(reading.value)
    return [o.label for o in reading.options if o.ticked]


def _quote(value: object) -> str:
    return f"“{value}”"


def display_of(template: Template, spec: FieldSpec) -> str:
    """The Chinese label a person reads in a message, without words the message repeats."""
    parts = spec.id.split(".")
    if parts[0] == "opinions" and spec.party:
        party = template.party(spec.party).label
        if parts[-1] == "signed":
            return f"{party} {_SIGN_SUFFIX.sub('', spec.label)}"
        if parts[-1] in ("sealed", "seal_text", "date"):
            return party
    return spec.display


def member_display(template: Template, result: SheetResult | None, index: int, key: str) -> str:
    """`参与成员（承接单位）张三 工作单位`: the row by its name (or place), then the column."""
    header = next((c.header for c in template.members.columns if c.key == key), key)
    col = "" if key == "signed" else f" {header}"
    if result is None or index >= len(result.members):
        return f"参与成员第{index + 1}行{col}"
    row = result.members[index]
    short = template.party(row.party).short if row.party in {p.id for p in template.parties} else row.party
    name = row.cells.get("name")
    if name is not None and isinstance(name.value, str) and not is_blank(name.value):
        who = name.value
    else:
        k = sum(1 for r in result.members[: index + 1] if r.party == row.party)
        who = f"第{k}行"
    return f"参与成员（{short}）{who}{col}"


def display_for(template: Template, field_id: str, result: SheetResult | None = None) -> str:
    """The display label of any exported field id, members and attached values included."""
    parts = field_id.split(".")
    if parts[0] == "members" and len(parts) == 3 and parts[1].isdigit():
        return member_display(template, result, int(parts[1]), parts[2])
    if parts[-1] in ATTACH_NAMES and len(parts) > 1:
        parent = ".".join(parts[:-1])
        if parent in specs_of(template)[1]:
            return f"{specs_of(template)[1][parent].display} {ATTACH_NAMES[parts[-1]]}"
    spec = specs_of(template)[1].get(field_id)
    return field_id if spec is None else display_of(template, spec)


def missing_pages(result: SheetResult, template: Template) -> set[str]:
    """Sections of the form the document lacks: those extraction found nowhere; for a
    record without that map (read back from a registry), named by missing_page findings
    or absent from `pages`."""
    if result.sections is not None:
        return {p.id for p in template.pages} - set(result.sections)
    missing = {f.field.split(".", 1)[1] for f in result.findings
               if f.code == "missing_page" and f.field and f.field.startswith("pages.")}
    present = {p.form_page for p in result.pages if p.form_page}
    if present:
        missing |= {p.id for p in template.pages} - present
    return missing


SECTION_CODES = frozenset({"missing_page", "page_out_of_order"})


def structural_findings(result: SheetResult, template: Template,
                        missing: set[str]) -> list[Finding]:
    """missing_page for each section found nowhere in the flow; page_out_of_order when
    ingest put the scanned pages back in the form's order."""
    out = []
    rules = {r.code: r for r in template.rules if r.code in SECTION_CODES}
    if "missing_page" in rules:
        rule = rules["missing_page"]
        for page in template.pages:
            if page.id in missing:
                out.append(Finding(code=rule.code, severity=rule.severity, section="pages",
                                   field=f"pages.{page.id}",
                                   message=rule.message.format(
                                       page=template.page_index(page.id) + 1,
                                       display=page.title)))
    if result.reordered and "page_out_of_order" in rules:
        rule = rules["page_out_of_order"]
        out.append(Finding(code=rule.code, severity=rule.severity, section="pages", field=None,
                           message=rule.message))
    return out


def unreadable(result: SheetResult, template: Template) -> list[Finding]:
    """The one finding of a document that could not be read: its reason, in the template's
    wording."""
    rule = next((r for r in template.rules if r.code == UNREADABLE), None)
    if rule is None:
        return []
    return [Finding(code=rule.code, severity=rule.severity, section="document", field=None,
                    message=rule.message.format(reason=result.error or "unknown error"))]


def document_status(result: SheetResult) -> Status:
    """failed if unreadable, incomplete if any error finding, else complete."""
    if result.status == "failed" or any(f.code == UNREADABLE for f in result.findings):
        return "failed"
    return "incomplete" if any(f.severity == "error" for f in result.findings) else "complete"


# -- rule kinds ---------------------------------------------------------------------------


def required_mark(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """A signature or seal place that is not marked (False, or never read).

    What the place holds instead (a typed name: the reading's raw) is worded by the rule of
    the same code whose `shape` matches it, so the message tells a name typed there from
    one left out; the rule without a shape words every other place.
    """
    shaped = [r for r in ctx.template.rules
              if r.code == rule.code and r.kind == rule.kind and r.shape]
    for t in ctx.targets(rule, types=("signature", "seal")):
        if t.value is True:
            continue
        raw = t.reading.raw if t.reading is not None else None
        worded_by = next((r for r in shaped if raw and re.fullmatch(ctx.template.shapes[r.shape or ""], raw)),
                         None)
        if worded_by is rule or (worded_by is None and not rule.shape):
            yield ctx.finding(rule, t)


def seal_names_unit(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """A seal's text that does not name its block's unit, OCR noise tolerated."""
    for t in ctx.targets(rule, types=("seal_text",)):
        text, unit = t.value, ctx.unit_of(t.spec.party)
        if not isinstance(text, str) or is_blank(text) or text == ctx.template.dash or not unit:
            continue
        ring = ring_start(text, unit)
        if same_name(ring, unit) or lost_chars_only(ring, unit):
            continue
        # a misread rim (成都市 → 成市, 用都币) looks like another unit's name; a wholly
        # different name does not. A rim read in part, its characters all the unit's
        # (`学技术会`), names no unit: too little to convict, however surely read.
        if ((same_name(ring, unit, DEFAULT_NEAR_NAME) and not ctx.sure(rule, t.reading))
                or lost_chars_only(ring, unit, least=0.0)):
            ctx.unsure[t.field] = f"（公章读作{_quote(text)}，与{_quote(unit)}相近，可能是识别误差）"
            continue
        # another unit's seal names that unit, whole: read as no unit's name (`成都市剩学發办益`
        # for 成都市科学技术协会, a pale rim under print), it is a misread, however sure
        if rule.name_endings and not normalise_name(text).endswith(tuple(rule.name_endings)):
            ctx.unsure[t.field] = f"（公章读作{_quote(text)}，不是完整的单位名称，可能是识别误差）"
            continue
        yield ctx.finding(rule, t, f"（公章读作{_quote(text)}，单位为{_quote(unit)}）")


def not_blank(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """An empty field: the form asks for "—" where nothing is filled in."""
    for t in ctx.targets(rule):
        if t.spec.type not in NOT_BLANK_EXCLUDED and is_blank(t.value):
            yield ctx.finding(rule, t)


def checkbox_count(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """Too many ticks (over `rule.max_ticked`), or else too few (under the group's min_ticked)."""
    for t in ctx.targets(rule, types=("checkbox_group",)):
        ticked = ticked_labels(t.reading)
        if rule.max_ticked is not None:
            if len(ticked) > rule.max_ticked:
                yield ctx.finding(rule, t, f"（{'、'.join(ticked)}）", field_id=f"{t.field}.ticked",
                                  reading=t.reading)
        elif len(ticked) < t.spec.min_ticked:
            yield ctx.finding(rule, t, field_id=f"{t.field}.ticked", reading=t.reading)


def attached_value(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """An option ticked whose blank (`____万元`, `其他，____`) stayed empty."""
    for t in ctx.targets(rule, types=("checkbox_group",)):
        ticked = ticked_labels(t.reading)
        for option in t.spec.options:
            if option.attach != rule.attach or option.label not in ticked:
                continue
            fid = f"{t.field}.{option.attach}"
            attached = ctx.result.readings.get(fid)
            if attached is None or is_blank(attached.value):
                yield ctx.finding(rule, t, field_id=fid, reading=attached if attached and attached.bbox else None)


def shape(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """A value of the wrong shape; fields of the shape's type, and attached values of its name."""
    pattern = re.compile(ctx.template.shapes[rule.shape or ""])
    for t in ctx.targets(rule):
        if t.spec.type == rule.shape:
            yield from _shape_one(ctx, rule, pattern, t, t.field, t.reading)
        elif t.spec.type == "checkbox_group" and any(o.attach == rule.shape for o in t.spec.options):
            fid = f"{t.field}.{rule.shape}"
            yield from _shape_one(ctx, rule, pattern, t, fid, ctx.result.readings.get(fid))


def _shape_one(ctx: Context, rule: Rule, pattern: re.Pattern[str], t: Target, fid: str,
               reading: Reading | None) -> Iterator[Finding]:
    value = None if reading is None else reading.value
    if is_blank(value) or value == ctx.template.dash:
        return
    if not pattern.fullmatch(str(value)):
        yield ctx.finding(rule, t, f"（读作{_quote(value)}）", field_id=fid, reading=reading)


def date_rule(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """Without `of_form_year`: the date is missing. With it: a present date that is not a
    real, ISO date in the form's year (and not in the future)."""
    year = ctx.template.year if rule.of_form_year else None
    for t in ctx.targets(rule, types=("date",)):
        value = t.value
        if year is None:
            if is_blank(value):
                yield ctx.finding(rule, t)
            continue
        if is_blank(value):
            continue
        if not _plausible_date(str(value), year):
            raw = t.reading.raw if t.reading is not None and t.reading.raw else value
            if _DATE.match(str(value)) and _plausible_date(str(value), int(str(value)[:4])) and \
                    _one_digit_off(str(value)[:4], str(year)) and not ctx.sure(rule, t.reading):
                # a real day, in a year one digit from the form's (2019 on a 2018 sheet):
                # a misread digit makes exactly that, so only a sure reading convicts
                ctx.unsure[t.field] = f"（读作{_quote(raw)}，年份与{year}差一个数字，可能是识别误差）"
                continue
            yield ctx.finding(rule, t, f"（读作{_quote(raw)}）")


def _one_digit_off(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def _plausible_date(text: str, year: int) -> bool:
    if not _DATE.match(text):
        return False
    try:
        d = date.fromisoformat(text)
    except ValueError:
        return False
    return d.year == year and d <= date.today()


def same_unit(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """A unit (a member's 工作单位) that is not the cover's unit of its party.

    The cover's name itself, or a department of it (`成都市药学会秘书处`), is the same unit.
    A name a character or two away (`成都药学会`) is flagged when both were read surely
    (`min_confidence`): from a clean reading that is a real difference, from a doubtful one
    it may be the reader's, and a person is asked to look. A doubtful reading that is the
    cover's name short of characters is flagged too when every character written was read
    (`whole`): the recogniser may misshape a character, but it did not drop one.
    """
    for t in ctx.targets(rule, types=("unit",)):
        value, unit = t.value, ctx.unit_of(t.spec.party)
        if not isinstance(value, str) or is_blank(value) or not unit:
            continue
        names = [unit, *(ctx.template.party(t.spec.party).aliases if t.spec.party else [])]
        if any(normalise_name(n) in normalise_name(value) for n in names):
            continue  # the unit, a department inside it, or the short name the form defines
        sure = ctx.sure(rule, t.reading) or (
            t.reading is not None and t.reading.whole and lost_chars_only(value, unit))
        if same_name(value, unit) and not (sure and _unit_is_sure(ctx, rule, t.spec.party, unit)):
            ctx.unsure[t.field] = f"（读作{_quote(value)}，与封面{_quote(unit)}相近，可能是识别误差）"
            continue
        yield ctx.finding(rule, t, f"（读作{_quote(value)}，封面为{_quote(unit)}）")


def _unit_is_sure(ctx: Context, rule: Rule, party: str | None, unit: str) -> bool:
    """The party's unit is known surely: printed on the form, read surely on the cover, or
    read the same elsewhere on the sheet (another member's 工作单位, the seal's rim)."""
    if party is None:
        return False
    unit_field = ctx.template.party(party).unit_field
    cover = ctx.result.readings.get(unit_field)
    if specs_of(ctx.template)[1][unit_field].preprinted or ctx.sure(rule, cover):
        return True
    same = normalise_name(unit)
    others = [r.cells.get("unit") for r in ctx.result.members if r.party == party]
    others.append(ctx.result.readings.get(f"opinions.{party}.seal_text"))
    return any(r is not None and isinstance(r.value, str) and normalise_name(r.value) == same
               and ctx.sure(rule, r) for r in others)


def fixed_value(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """A field printed on the form (协调单位, 分管部室) that reads otherwise."""
    for t in ctx.targets(rule):
        expected, value = t.spec.preprinted, t.value
        if not expected or is_blank(value):
            continue
        if ratio(str(value), expected) < DEFAULT_NAME_SIMILARITY:
            yield ctx.finding(rule, t, f"（读作{_quote(value)}）", expected=expected)


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_ABBR = re.compile(r"(?<![A-Za-z])[A-Z]{2,}(?![A-Za-z])")
_OPEN, _CLOSE = "(（", ")）"
_NAME_CHAR = re.compile(r"[A-Za-z\u4e00-\u9fff]")


def foreign_abbreviations(text: str) -> tuple[set[str], list[str]]:
    """(abbreviations given with a full name, bare abbreviations) of one text.

    >>> given, bare = foreign_abbreviations("国际标准化组织（ISO）与 IEEE（电气电子工程师学会）及 ITU")
    >>> sorted(given), bare
    (['IEEE', 'ISO'], ['ITU'])
    >>> foreign_abbreviations("参照世界卫生组织（WHO相关标准")  # its ） not read
    ({'WHO'}, [])
    >>> foreign_abbreviations("参照关键控制点HACCP）相关标准")  # its （ not read
    ({'HACCP'}, [])
    """
    text = _EMAIL.sub(" ", unicodedata.normalize("NFKC", text))
    defined: set[str] = set()
    bare: list[str] = []
    for m in _ABBR.finditer(text):
        before, after = text[: m.start()], text[m.end():]
        if (_inside_brackets_after_name(before, after) or _followed_by_name(after)
                or _open_bracket_lost(before, after)):
            defined.add(m.group())
        else:
            bare.append(m.group())
    return defined, bare


def _inside_brackets_after_name(before: str, after: str) -> bool:
    opened = max(before.rfind(c) for c in _OPEN)
    closed = max(before.rfind(c) for c in _CLOSE)
    if opened < 0 or closed > opened:
        return False
    # `名称（ABC`: right after the bracket, the abbreviation form even if `）` was not read
    if not any(c in after for c in _CLOSE) and before[opened + 1:].strip():
        return False
    return bool(_NAME_CHAR.search(before[max(0, opened - 4):opened]))


def _open_bracket_lost(before: str, after: str) -> bool:
    """`控制点HACCP）`: the abbreviation closes a bracket right after a name, its `（` not read."""
    return bool(after) and after[0] in _CLOSE and bool(before) and \
        bool(_NAME_CHAR.match(before[-1])) and \
        max(before.rfind(c) for c in _OPEN) <= max(before.rfind(c) for c in _CLOSE)


def _followed_by_name(after: str) -> bool:
    after = after.lstrip()
    if not after or after[0] not in _OPEN:
        return False
    end = min((after.find(c) for c in _CLOSE if c in after), default=len(after))
    return len(_NAME_CHAR.findall(after[1:end])) >= 2


def foreign_name(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """A Latin abbreviation with no full name (`ISO` alone); once defined anywhere in the
    rule's fields, later bare uses of the same abbreviation are fine."""
    targets = [t for t in ctx.targets(rule) if isinstance(t.value, str)]
    found = {t.field: foreign_abbreviations(t.value) for t in targets}  # type: ignore[arg-type]
    defined = set().union(*(d for d, _ in found.values())) if found else set()
    for t in targets:
        bare = [a for a in dict.fromkeys(found[t.field][1]) if a not in defined]
        if bare:
            yield ctx.finding(rule, t, f"（{'、'.join(bare)}）")


def low_confidence(ctx: Context, rule: Rule, errors: set[str],
                   unsure: dict[str, str] | None = None) -> Iterator[Finding]:
    """Readings under the template's confidence bar, unless an error already names the field;
    and `unsure` ones: over the bar, but under what a rule needs to raise its error."""
    bar = ctx.template.low_confidence_below
    readings: list[tuple[str, Reading, MemberRow | None]] = [
        (k, r, None) for k, r in ctx.result.readings.items()]
    for i, row in enumerate(ctx.result.members):
        readings += [(f"members.{i}.{k}", r, row) for k, r in row.cells.items()]
    unsure = unsure or {}
    for fid, reading in ((f, r) for f, r, _ in readings):
        if (reading.confidence >= bar and fid not in unsure) or fid in errors:
            continue
        disp = display_for(ctx.template, fid, ctx.result)
        spec = FieldSpec(id=fid, type="text", page="", display=disp, label=disp)
        t = Target(fid, spec, reading, disp)
        if reading.error:  # not read at all: the sheet cannot pass as complete on it
            yield ctx.finding(rule, t, f"（未能读取：{reading.error}）").model_copy(
                update={"severity": "error"})
            continue
        yield ctx.finding(rule, t, unsure.get(fid) or f"（置信度 {reading.confidence:.2f}）")


def unread_parts(ctx: Context, rule: Rule) -> Iterator[Finding]:
    """Each part of the form whose reader failed: one finding for the part, an error, so the
    sheet does not pass as complete without it (the members' rows have no other)."""
    titles = {p.id: p.title for p in ctx.template.pages}
    for kind, reason in ctx.result.reader_errors.items():
        page = getattr(getattr(ctx.template, kind, None), "page", None)
        disp = titles.get(page, kind) if isinstance(page, str) else kind
        message = rule.message.format_map(_Format(display=disp)) + f"（未能读取：{reason}）"
        yield Finding(code=rule.code, severity="error", section=kind, field=None,
                      message=message)


KindFn = Callable[[Context, Rule], Iterable[Finding]]
RULE_KINDS: dict[str, KindFn] = {
    "required_mark": required_mark,
    "seal_names_unit": seal_names_unit,
    "not_blank": not_blank,
    "checkbox_count": checkbox_count,
    "attached_value": attached_value,
    "shape": shape,
    "date": date_rule,
    "same_unit": same_unit,
    "fixed_value": fixed_value,
    "foreign_name": foreign_name,
}
LOW_CONFIDENCE = "low_confidence"
# A missing signature or seal is reported however unsure the detector: it is what the office
# most needs to see, and the evidence crop lets a person overrule it at a glance.
ALWAYS_REPORTED = {"missing_signature", "missing_seal"}


def unsure_fields(result: SheetResult, bar: float) -> set[str]:
    """Fields read under the bar, and those a checked result flags `low_confidence` (read
    over the bar but not surely enough for a rule): not sure enough to make copies differ."""
    return doubtful_fields(result, bar) | {f.field for f in result.findings
                                           if f.code == LOW_CONFIDENCE and f.field}


def doubtful_fields(result: SheetResult, bar: float) -> set[str]:
    """Fields whose reading is under the confidence bar (member cells as `members.<i>.<key>`)."""
    out = {fid for fid, r in result.readings.items() if r.confidence < bar}
    for i, row in enumerate(result.members):
        out |= {f"members.{i}.{k}" for k, r in row.cells.items() if r.confidence < bar}
    return out


def _rule_codes(template: Template) -> set[str]:
    return {r.code for r in template.rules if r.kind in RULE_KINDS} | {LOW_CONFIDENCE}


def check_document(result: SheetResult, template: Template | None = None) -> SheetResult:
    """Apply every rule of the template to `result`; set its findings and status.

    Findings of earlier stages (missing_page, page_out_of_order, unreadable_document,
    copy_mismatch) are kept; findings of a previous check are replaced, so checking twice
    gives the same result. An unreadable document is not checked further.
    """
    template = template or _template_of(result)
    own = _rule_codes(template) - STRUCTURAL_CODES
    kept = [f for f in result.findings if f.code not in own]
    result.findings = kept
    if document_status(result) == "failed":
        result.status = "failed"
        result.findings = [f for f in kept if f.code != UNREADABLE] + unreadable(result, template)
        return result
    ctx = Context(result, template, missing_pages(result, template))
    if result.sections is not None:  # where extraction found the sections: what is absent
        result.findings = kept = [f for f in kept if f.code not in SECTION_CODES]
        kept += structural_findings(result, template, ctx.missing_pages)
    new: list[Finding] = []
    for rule in template.rules:
        fn = RULE_KINDS.get(rule.kind)
        if fn is not None:
            new.extend(fn(ctx, rule))
    low = next((r for r in template.rules if r.code == LOW_CONFIDENCE), None)
    if low is not None:
        # a value read with low confidence is not trusted to convict the sheet: a person
        # looks at it (low_confidence) instead of reading an error that may be the reader's
        doubtful = doubtful_fields(result, template.low_confidence_below)
        unread = {fid for fid, r in result.readings.items() if r.error}
        new = [f for f in new if not (f.severity == "error" and _read_as(f.field) in doubtful
                                      and (f.code not in ALWAYS_REPORTED
                                           or _read_as(f.field) in unread))]
        errors = {f.field for f in new + kept if f.severity == "error" and f.field}
        new.extend(low_confidence(ctx, low, errors,
                                  {k: v for k, v in ctx.unsure.items() if k not in doubtful}))
        new.extend(unread_parts(ctx, low))
    result.findings = kept + new
    result.status = document_status(result)
    return result


def _read_as(field_id: str | None) -> str | None:
    """The reading a finding's field stands on: a checkbox group's count (`<group>.ticked`)
    on the group's reading."""
    if field_id is not None and field_id.endswith(".ticked"):
        return field_id.removesuffix(".ticked")
    return field_id


def _template_of(result: SheetResult) -> Template:
    """The template the document names, or the default one when it names none we know."""
    try:
        return load_template(result.template)
    except TemplateError:
        return load_template()
