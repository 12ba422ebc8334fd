"""Defects: mutate a clean sheet the way real copies go wrong, and say which finding each
mutation must raise.

Each defect kind touches fields no other defect of the same document touched, so the
expected findings are exactly one per injected defect (page-level kinds act at assembly).

A missing signature is an empty 签字 place, or (`TYPED_SIGNATURE_P` of them) one holding
the signer's name typed or stamped instead (real paper, #17): the finding is the same, a
printed name is not a signature. How it is typed is drawn from a stream of its own, so a
seed's other defects stay what they were.

>>> import random
>>> from tasksheet.samplegen.fill import fake_sheet
>>> s = fake_sheet(random.Random(0))
>>> apply_defect("missing_seal", s, random.Random(0), set())[0]["code"]
'missing_seal'
"""

from __future__ import annotations

import random
from typing import Any

from tasksheet.samplegen.fill import (
    DASH,
    DOMAINS,
    FOREIGN,
    Sheet,
    email,
    landline,
    mobile,
    person,
    sync_dates,
)

# Field-level kinds change the sheet; page-level kinds change how pages are scanned.
FIELD_KINDS = (
    "missing_signature_member", "missing_signature_opinion", "missing_seal", "seal_unit_mismatch",
    "blank_field", "checkbox_none", "checkbox_multiple", "missing_amount", "missing_other_text",
    "invalid_mobile", "invalid_phone", "invalid_email", "missing_date", "invalid_date",
    "unit_name_mismatch", "foreign_name_without_abbreviation",
)
PAGE_KINDS = ("missing_page", "page_out_of_order", "upside_down")
KINDS = FIELD_KINDS + PAGE_KINDS
WARNINGS = {"foreign_name_without_abbreviation", "page_out_of_order"}
PARTIES = ("commissioning", "undertaking", "coordinating")
MOBILES = ("undertaking.legal_representative.mobile", "undertaking.project_lead.mobile",
           "commissioning.mobile", "coordinating.mobile")
PHONES = ("undertaking.legal_representative.phone", "undertaking.project_lead.phone",
          "commissioning.phone", "coordinating.phone")
EMAILS = ("undertaking.legal_representative.email", "undertaking.project_lead.email",
          "commissioning.email", "coordinating.email")
BLANKABLE = ("undertaking.legal_representative.name", "undertaking.project_lead.name",
             "commissioning.department", "commissioning.head", "commissioning.contact",
             "coordinating.head", "coordinating.contact", "coordinating.policy_support",
             *MOBILES, *PHONES, *EMAILS)
SINGLE_GROUPS = ("commissioning.cooperation_mode", "commissioning.funding_support",
                 "commissioning.funding_nature", "commissioning.funding_source",
                 "commissioning.policy_support", "coordinating.funding_support",
                 "coordinating.funding_nature", "coordinating.funding_source")
AMOUNT_GROUPS = ("undertaking.self_funding", "commissioning.funding_support",
                 "coordinating.funding_support")
OTHER_GROUPS = ("commissioning.funding_nature", "coordinating.funding_nature")
OPTIONS = {"cooperation_mode": ["授权委托", "购买服务"], "funding_support": ["有", "无"],
           "funding_nature": ["财政拨款", "其他"], "funding_source": ["公用经费", "项目经费"],
           "policy_support": ["有", "无"]}
BAD_DATES = (("2", "30"), ("2", "31"), ("4", "31"), ("6", "31"), ("9", "31"), ("2", "29"))
# missing signatures whose place holds the signer's name typed or stamped instead of a hand
TYPED_SIGNATURE_P = 0.5
# how (weights): the sheet's print face, another face, bold, a rubber-stamped name
TYPED_STYLES = (("print", 0.4), ("face", 0.2), ("bold", 0.2), ("stamp", 0.2))
COPY_FIELDS = ("commissioning.mobile", "undertaking.project_lead.name", "coordinating.contact",
               "undertaking.legal_representative.phone", "commissioning.contact")


def finding(code: str, field: str | None) -> dict[str, Any]:
    return {"code": code, "field": field,
            "severity": "warning" if code in WARNINGS else "error"}


def pick(rng: random.Random, options: list[str] | tuple[str, ...], used: set[str]) -> str | None:
    free = [o for o in options if o not in used]
    if not free:
        return None
    choice = rng.choice(free)
    used.add(choice)
    return choice


def apply_defect(kind: str, sheet: Sheet, rng: random.Random, used: set[str]) -> list[dict[str, Any]]:
    """Inject one field-level defect; returns the findings it must raise ([] if no room)."""
    rec = sheet.record
    if kind == "missing_signature_member":
        idx = [str(i) for i in range(len(rec["members"]))]
        i = pick(rng, [f"members.{j}" for j in idx], used)
        if i is None:
            return []
        sheet.set(f"{i}.signed", False)
        typed_signature(sheet, f"{i}.signed", sheet.get(f"{i}.name"), rng)
        return [finding("missing_signature", f"{i}.signed")]
    if kind == "unit_name_mismatch":
        i = pick(rng, [f"members.{j}" for j in range(len(rec["members"]))], used)
        if i is None:
            return []
        unit = sheet.get(f"{i}.unit")
        variants = [unit.replace("成都市", "成都", 1), unit.replace("成都市", "市", 1),
                    rng.choice([d[0] for d in DOMAINS if d[0] != unit])]
        sheet.set(f"{i}.unit", rng.choice(variants))
        return [finding("unit_name_mismatch", f"{i}.unit")]
    if kind in ("missing_signature_opinion", "missing_seal", "seal_unit_mismatch",
                "missing_date", "invalid_date"):
        slot = {"missing_signature_opinion": "signed", "missing_seal": "seal",
                "seal_unit_mismatch": "seal", "missing_date": "date", "invalid_date": "date"}[kind]
        p = pick(rng, [f"opinions.{q}.{slot}" for q in PARTIES], used)
        if p is None:
            return []
        party = p.split(".")[1]
        op = rec["opinions"][party]
        if kind == "missing_signature_opinion":
            op["signed"] = False
            typed_signature(sheet, f"opinions.{party}.signed", signer_name(sheet, party), rng)
            return [finding("missing_signature", f"opinions.{party}.signed")]
        if kind == "missing_seal":
            op["sealed"], op["seal_text"] = False, None
            return [finding("missing_seal", f"opinions.{party}.sealed")]
        if kind == "seal_unit_mismatch":
            units = {u for d in DOMAINS for u in d[:2]} - {op["seal_text"]}
            op["seal_text"] = rng.choice(sorted(units))
            return [finding("seal_unit_mismatch", f"opinions.{party}.seal_text")]
        if kind == "missing_date":
            sheet.dates[party] = None
            sync_dates(sheet)
            return [finding("missing_date", f"opinions.{party}.date")]
        m, d = rng.choice(BAD_DATES)
        sheet.dates[party] = ("2018", m, d)
        sync_dates(sheet)
        return [finding("invalid_date", f"opinions.{party}.date")]
    if kind == "blank_field":
        f = pick(rng, BLANKABLE, used)
        if f is None:
            return []
        sheet.set(f, None)
        return [finding("blank_field", f)]
    if kind in ("invalid_mobile", "invalid_phone", "invalid_email"):
        pool = {"invalid_mobile": MOBILES, "invalid_phone": PHONES, "invalid_email": EMAILS}[kind]
        f = pick(rng, pool, used)
        if f is None:
            return []
        sheet.set(f, malformed(kind, rng))
        return [finding(kind, f)]
    if kind in ("checkbox_none", "checkbox_multiple", "missing_amount", "missing_other_text"):
        pool = {"checkbox_none": SINGLE_GROUPS, "checkbox_multiple": SINGLE_GROUPS,
                "missing_amount": AMOUNT_GROUPS, "missing_other_text": OTHER_GROUPS}[kind]
        g = pick(rng, pool, used)
        while g is not None and kind == "checkbox_none" and not_applicable(sheet, g):
            g = pick(rng, pool, used)  # an unticked group that does not apply is no defect
        if g is None:
            return []
        group = sheet.get(g)
        opts = OPTIONS.get(g.split(".")[-1], ["有"])
        if kind == "checkbox_none":
            group["ticked"] = []
            for k in ("amount_wan", "other_text"):
                if k in group:
                    group[k] = None
            return [finding("checkbox_none", f"{g}.ticked")]
        if kind == "checkbox_multiple":
            group["ticked"] = list(opts)
            if "amount_wan" in group and not group["amount_wan"]:
                group["amount_wan"] = str(rng.randint(5, 30))
            if "other_text" in group and not group["other_text"]:
                group["other_text"] = "单位自有资金"
            return [finding("checkbox_multiple", f"{g}.ticked")]
        if kind == "missing_amount":
            group["ticked"], group["amount_wan"] = ["有"], None
            return [finding("missing_amount", f"{g}.amount_wan")]
        group["ticked"], group["other_text"] = ["其他"], None
        return [finding("missing_other_text", f"{g}.other_text")]
    if kind == "foreign_name_without_abbreviation":
        if "content" in used:
            return []
        used.add("content")
        text = rec["content"]
        if sheet.foreign:
            full, abbr = sheet.foreign
            rec["content"] = text.replace(f"{full}（{abbr}）", abbr)
        else:
            abbr = rng.choice(FOREIGN)[1]
            cut = text.rindex("项目周期")
            rec["content"] = text[:cut] + f"工作中参照{abbr}相关标准和方法。" + text[cut:]
        return [finding("foreign_name_without_abbreviation", "content")]
    raise ValueError(f"unknown defect kind {kind!r}")


def signer_name(sheet: Sheet, party: str) -> str:
    """Who signs a party's 五 block: its 负责人, or the society's 法定代表人."""
    rec = sheet.record
    return (rec["undertaking"]["legal_representative"]["name"] if party == "undertaking"
            else rec[party]["head"])


def typed_signature(sheet: Sheet, field: str, name: str | None, rng: random.Random) -> None:
    """Maybe (`TYPED_SIGNATURE_P`) put `name` typed or stamped in the emptied 签字 place
    `field` (`Sheet.notes["typed_signatures"]`, for the layout). Drawn from a stream seeded
    by `rng`'s state without advancing it: the document's other draws stay as they were."""
    if not name or name == DASH:
        return
    sub = random.Random(f"typed-signature:{field}:{hash(rng.getstate()[1])}")
    if sub.random() >= TYPED_SIGNATURE_P:
        return
    styles, weights = zip(*TYPED_STYLES, strict=True)
    style = sub.choices(styles, weights)[0]
    sheet.notes.setdefault("typed_signatures", {})[field] = {
        "name": name, "style": style, "seed": sub.getrandbits(31)}


def not_applicable(sheet: Sheet, group: str) -> bool:
    """经费性质 / 经费来源 of a party whose 经费支持 is 无: left unticked, it raises nothing."""
    party, _, name = group.partition(".")
    return (name in ("funding_nature", "funding_source")
            and "无" in sheet.get(f"{party}.funding_support")["ticked"])


def malformed(kind: str, rng: random.Random) -> str:
    """A contact value of the wrong shape, as someone might really write it."""
    if kind == "invalid_mobile":
        good = mobile(rng)
        return rng.choice([good[:-1], good + rng.choice("0123456789"), "2" + good[1:]])
    if kind == "invalid_phone":
        good = landline(rng)
        return rng.choice([good[:-2], good[:4] + good[4:] + "12", "28-" + good[4:]])
    good = email(rng)
    user, host = good.split("@")
    return rng.choice([user + host, f"{user}@{host.rsplit('.', 1)[0]}", f"{user}@{host.replace('.', ',')}"])


def copy_variant(sheet: Sheet, rng: random.Random) -> tuple[Sheet, str]:
    """The odd copy of a copy group: the same sheet with one field written differently."""
    odd = sheet.copy()
    f = rng.choice(COPY_FIELDS)
    old = odd.get(f)
    new = old
    while new == old:
        new = {"mobile": mobile, "phone": landline}.get(f.rsplit(".", 1)[-1], person)(rng)
    odd.set(f, new)
    return odd, f
