"""Fake but plausible data for one task sheet, in the shape of the exported record.

The sheet's values are kept as the nested dict of `schemas.record.Record` (minus `document`
and `findings`) so that the truth *is* the data the renderer draws; the only extra is
`dates`, the opinion dates as written (year, month, day) — the record wants ISO.

>>> s = fake_sheet(random.Random(1))
>>> s.record["cover"]["coordinating_unit"]
'成都市科学技术协会'
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

COORDINATING_UNIT = "成都市科学技术协会"
COORDINATING_DEPARTMENT = "学会部"
DASH = "—"

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
            "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯龙史贺")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红建文辉力鹏宇浩凯欣婷雪琳晨斌峰"
         "林波宁俊志新丹蓉川锦春燕梅兰松柏海涵瑶佳颖博昊然立国庆荣")

# (society, government agency, topic): the society takes over a function of the agency.
DOMAINS = (
    ("成都市计量测试学会", "成都市质量技术监督局", "计量器具检定技术规范"),
    ("成都市气象学会", "成都市气象局", "气象灾害防御科普"),
    ("成都市营养学会", "成都市卫生和计划生育委员会", "居民膳食营养状况"),
    ("成都市药学会", "成都市食品药品监督管理局", "合理用药"),
    ("成都市园艺学会", "成都市农业委员会", "都市现代农业园艺技术"),
    ("成都市环境科学学会", "成都市环境保护局", "重点行业环境影响"),
    ("成都市土木建筑学会", "成都市城乡建设委员会", "绿色建筑技术"),
    ("成都市水利学会", "成都市水务局", "河湖水生态保护"),
    ("成都市林学会", "成都市林业和园林管理局", "林业有害生物防治"),
    ("成都市标准化协会", "成都市质量技术监督局", "团体标准"),
    ("成都市软件行业协会", "成都市经济和信息化委员会", "软件企业能力"),
    ("成都市防震减灾学会", "成都市防震减灾局", "防震减灾科普"),
    ("成都市体育科学学会", "成都市体育局", "全民健身科学指导"),
    ("成都市中医药学会", "成都市卫生和计划生育委员会", "中医药适宜技术"),
    ("成都市地理学会", "成都市规划管理局", "地理国情监测"),
    ("成都市科普作家协会", "成都市科学技术局", "科普作品创作"),
    ("成都市食品科学技术学会", "成都市食品药品监督管理局", "食品安全"),
    ("成都市档案学会", "成都市档案局", "数字档案管理"),
    ("成都市电子学会", "成都市科学技术局", "电子信息产业技术"),
    ("成都市城市科学研究会", "成都市规划管理局", "公园城市建设"),
)
KINDS = ("评估服务", "团体标准制定", "专业技术人员水平评价", "宣传培训", "调查研究",
         "技术咨询服务", "第三方评价")
FOREIGN = (("国际标准化组织", "ISO"), ("世界卫生组织", "WHO"), ("地理信息系统", "GIS"),
           ("建筑信息模型", "BIM"), ("危害分析与关键控制点", "HACCP"), ("国际电工委员会", "IEC"),
           ("全球定位系统", "GPS"), ("良好农业规范", "GAP"))
DEPARTMENTS = ("科技处", "法规处", "计划财务处", "产业发展处", "综合处", "社会事务处", "标准化处",
               "科技与信息化处", "政策法规处", "办公室")
TITLES_GOV = ("处长", "副处长", "科长", "主任科员", "调研员", "副主任科员")
TITLES_SOC = ("秘书长", "副秘书长", "理事长", "教授", "高级工程师", "研究员", "副研究员", "工程师")
TITLES_CAST = ("部长", "副部长", "主任科员", "科员")
ROLES = ("项目总负责", "项目监督", "组织协调", "技术负责", "专家组织", "资料整理", "经费管理",
         "项目实施", "联络协调", "考核评估", "宣传推广")
OPINIONS = {
    "commissioning": ("同意委托{soc}承接该试点项目。", "同意。", "同意按任务书开展试点工作。"),
    "undertaking": ("同意承接，按任务书要求认真组织实施。", "同意承接该项目。", "同意。"),
    "coordinating": ("同意，做好协调服务工作。", "同意。", "同意，加强指导和督促。"),
}
POLICY_TEXT = ("协助宣传推广", "提供学会能力建设指导", "协调相关政策支持", DASH, DASH)
OTHER_FUNDS = ("单位自有资金", "社会捐助", "上级专项", "学会自筹")
MAIL_HOSTS = ("163.com", "126.com", "qq.com", "sina.com", "foxmail.com", "139.com")


@dataclass
class Sheet:
    """One filled sheet: `record` as exported (no document, no findings) plus written dates."""

    record: dict[str, Any]
    dates: dict[str, tuple[str, str, str] | None]
    foreign: tuple[str, str] | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> Sheet:
        return copy.deepcopy(self)

    def get(self, field_id: str) -> Any:
        node: Any = self.record
        for key in field_id.split("."):
            node = node[int(key)] if isinstance(node, list) else node[key]
        return node

    def set(self, field_id: str, value: Any) -> None:
        *head, last = field_id.split(".")
        node: Any = self.record
        for key in head:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value


def person(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
    return rng.choice(SURNAMES) + given


def mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def landline(rng: random.Random) -> str:
    return "028-8" + "".join(rng.choice("0123456789") for _ in range(7))


def email(rng: random.Random) -> str:
    host = rng.choice(MAIL_HOSTS)
    if host == "qq.com":
        user = str(rng.randint(10_000_000, 2_999_999_999))
    else:
        letters = "".join(rng.choice("abcdefghjklmnpqrstwxyz") for _ in range(rng.randint(3, 7)))
        user = letters + (str(rng.randint(1, 2018)) if rng.random() < 0.6 else "")
    return f"{user}@{host}"


def amount(rng: random.Random, lo: int, hi: int) -> str:
    value = rng.randint(lo, hi)
    return f"{value}.5" if rng.random() < 0.2 else str(value)


def contact(rng: random.Random, dash_email: float = 0.15) -> dict[str, Any]:
    return {"name": person(rng), "mobile": mobile(rng), "phone": landline(rng),
            "email": DASH if rng.random() < dash_email else email(rng)}


def content_text(rng: random.Random, soc: str, agency: str, project: str,
                 foreign: tuple[str, str] | None) -> str:
    """Section 二: a paragraph of what the pilot does, optionally naming a foreign body."""
    topic = project
    parts = [f"受{agency}委托，{soc}承接“{topic}”试点项目。"]
    items = rng.sample(["开展现状调查和资料收集", "组织专家论证和技术评审", "制定工作方案和实施细则",
                        "开展专业培训和宣传活动", "建立专家库和评价指标体系",
                        "形成调研报告并提出政策建议", "跟踪评估实施效果"], rng.randint(3, 4))
    parts.append("主要内容包括：" + "；".join(f"{i + 1}.{t}" for i, t in enumerate(items)) + "。")
    if foreign:
        parts.append(f"工作中参照{foreign[0]}（{foreign[1]}）相关标准和方法。")
    parts.append(f"项目周期为2018年{rng.randint(6, 8)}月至2018年12月，"
                 f"完成后由委托单位会同协调单位进行考核评估。")
    return "".join(parts)


def member_rows(rng: random.Random, party: str, unit: str, names: list[str]) -> list[dict[str, Any]]:
    titles = {"commissioning": TITLES_GOV, "undertaking": TITLES_SOC, "coordinating": TITLES_CAST}[party]
    count = rng.randint(1, 3)
    people = names[:count] + [person(rng) for _ in range(count - len(names[:count]))]
    roles = rng.sample(ROLES, count)
    return [{"party": party, "name": n, "unit": unit, "title": rng.choice(titles), "role": r,
             "signed": True} for n, r in zip(people, roles, strict=True)]


def fake_date(rng: random.Random, month: int) -> tuple[str, str, str]:
    return ("2018", str(month), str(rng.randint(1, 28)))


def fake_sheet(rng: random.Random) -> Sheet:
    """A clean sheet: every field filled or "—", one tick per group, all signed and sealed."""
    soc, agency, topic = rng.choice(DOMAINS)
    project = topic + rng.choice(KINDS)
    foreign = rng.choice(FOREIGN) if rng.random() < 0.35 else None
    month = rng.randint(5, 7)

    lr = contact(rng)
    lead = contact(rng, 0.05)
    self_on = rng.random() < 0.6
    comm_support = rng.random() < 0.75
    other_nature = rng.random() < 0.3
    coord_support = rng.random() < 0.25
    comm_head, comm_contact = person(rng), person(rng)
    coord_head, coord_contact = person(rng), person(rng)
    members = (member_rows(rng, "commissioning", agency, [comm_head, comm_contact])
               + member_rows(rng, "undertaking", soc, [lr["name"], lead["name"]])
               + member_rows(rng, "coordinating", COORDINATING_UNIT, [coord_head, coord_contact]))
    record: dict[str, Any] = {
        "cover": {"project_name": project, "commissioning_unit": agency, "undertaking_unit": soc,
                  "coordinating_unit": COORDINATING_UNIT, "month": str(month)},
        "undertaking": {
            "legal_representative": lr, "project_lead": lead,
            "self_funding": {"ticked": ["有"] if self_on else [],
                             "amount_wan": amount(rng, 1, 10) if self_on else None},
        },
        "commissioning": {
            "department": rng.choice(DEPARTMENTS), "head": comm_head, "contact": comm_contact,
            "phone": landline(rng), "mobile": mobile(rng),
            "email": DASH if rng.random() < 0.2 else email(rng),
            "cooperation_mode": {"ticked": [rng.choice(["授权委托", "购买服务"])]},
            "funding_support": {"ticked": ["有" if comm_support else "无"],
                                "amount_wan": amount(rng, 5, 50) if comm_support else None},
            "funding_nature": {"ticked": ["其他" if other_nature else "财政拨款"],
                               "other_text": rng.choice(OTHER_FUNDS) if other_nature else None},
            "funding_source": {"ticked": [rng.choice(["公用经费", "项目经费"])]},
            "policy_support": {"ticked": [rng.choice(["有", "无"])]},
        },
        "coordinating": {
            "department": COORDINATING_DEPARTMENT, "head": coord_head, "contact": coord_contact,
            "phone": landline(rng), "mobile": mobile(rng),
            "email": DASH if rng.random() < 0.3 else email(rng),
            "funding_support": {"ticked": ["有" if coord_support else "无"],
                                "amount_wan": amount(rng, 1, 5) if coord_support else None},
            "funding_nature": {"ticked": ["财政拨款"], "other_text": None},
            "funding_source": {"ticked": [rng.choice(["公用经费", "项目经费"])]},
            "policy_support": rng.choice(POLICY_TEXT),
        },
        "content": content_text(rng, soc, agency, project, foreign),
        "members": members,
        "opinions": {},
    }
    dates: dict[str, tuple[str, str, str] | None] = {}
    for party, unit in (("commissioning", agency), ("undertaking", soc),
                        ("coordinating", COORDINATING_UNIT)):
        text = rng.choice(OPINIONS[party]).format(soc=soc)
        dates[party] = fake_date(rng, month)
        record["opinions"][party] = {"text": text, "signed": True, "sealed": True,
                                     "seal_text": unit, "date": None}
    sheet = Sheet(record=record, dates=dates, foreign=foreign)
    sync_dates(sheet)
    return sheet


def sync_dates(sheet: Sheet) -> None:
    """Write the record's opinion dates from the written ones: ISO if valid, else as read."""
    for party, written in sheet.dates.items():
        value: str | None = None
        if written:
            y, m, d = written
            try:
                value = dt.date(int(y), int(m), int(d)).isoformat()
            except ValueError:
                value = f"{y}年{m}月{d}日"
        sheet.record["opinions"][party]["date"] = value
