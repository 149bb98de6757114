"""The signals a match score is built from, each a small pure function with a documented range.

Dense and sparse similarity and concept overlap are computed in bulk by the matcher; this module holds
the rest: what a stated need is about (its *intent*: inputs, R&D, production, capital, deals), ticket
sizes written in prose, and the fit of partner types, organisation types, capacity and cities.
"""

from __future__ import annotations

import math
import re

__all__ = [
    "RELATIONS",
    "intent_of",
    "parse_money_range",
    "relation_for",
    "org_type_fit",
    "partner_type_fit",
    "capacity_fit",
    "logistic",
]

RELATIONS = ("supplier", "customer", "rd_partner", "production_base", "investor", "investment_opportunity")

# What a need statement asks for. Order matters: the first intent whose pattern matches wins.
_INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("opportunity", re.compile(
        r"投资标的|项目源|寻找.{0,12}(?:项目|企业|标的|团队)(?:进行|开展)?(?:投资|股权)|(?:拟|计划|希望)投资|"
        r"投资(?:早期|成长期|初创)|看好.{0,10}(?:项目|企业)|"
        r"deal ?flow|investment opportunit|invest(?:ing)? in (?:early|growth|start|compan|project|team)|"
        r"looking to invest|portfolio compan|seek(?:ing)? (?:start-?ups|investees|targets)", re.I)),
    ("capital", re.compile(
        r"融资|募资|引入(?:战略)?投资|寻求(?:股权)?投资|资金支持|资本|注资|[A-DＡ-Ｄ]\+?轮|天使轮|Pre-?[A-D]|战略投资者|"
        r"产业基金|股权合作|投资方|投资人|"
        r"fund(?:ing|raise)|financ(?:ing|e)|\binvestors?\b|capital|equity|series [a-d]\b|seed round|"
        r"raise|raising|venture|co-?invest", re.I)),
    ("customer", re.compile(
        r"寻找.{0,8}客户|拓展.{0,8}(?:客户|市场|渠道)|对接.{0,6}客户|开拓.{0,4}市场|寻找(?:采购商|经销商|代理商|买家|渠道)|销售渠道|"
        r"(?:looking for|seek(?:ing)?|find|expand|reach|grow) (?:new |more |potential |downstream |[a-z]+ )?(?:customers|buyers|clients|"
        r"distributors|offtakers|sales channels|markets)|offtake", re.I)),
    ("rd", re.compile(
        r"联合研发|合作研发|研发合作|技术合作|产学研|共建(?:实验室|研发中心|平台)|联合攻关|技术攻关|委托研发|委托开发|"
        r"技术转让|成果转化|课题合作|(?:与|和|同|联合|寻找|对接)(?:高校|大学|研究院|研究所|院所|科研院所|科研机构|实验室)|"
        r"(?:高校|大学|院所|科研)(?:合作|团队|伙伴)|"
        r"\bR&D (?:partner|collaboration|cooperation)|co-?develop|joint (?:development|research|lab)|"
        r"research (?:partner|collaboration)|(?:with|from) (?:a |an |the )?(?:universit|research institute|academic|"
        r"national lab)|technology (?:transfer|licens)|licen[cs]e (?:the|their|a) technology", re.I)),
    ("production", re.compile(
        r"代工|生产基地|厂房|用地|土地|落地|产能合作|委托生产|委托加工|贴牌|托管生产|承接.{0,6}(?:生产|制造)|"
        r"合作生产|生产线|产线|园区|选址|"
        r"\bOEM\b|\bODM\b|\bCMO\b|\bCDMO\b|contract manufactur|toll manufactur|production (?:site|base|partner|"
        r"capacity)|manufacturing (?:partner|site|base|capacity)|factory|plant site|industrial land|"
        r"site selection|land plot|\bplot\b|standard workshop|fab capacity|foundry capacity", re.I)),
)


def intent_of(statement: str) -> str:
    """'opportunity' | 'capital' | 'customer' | 'rd' | 'production' | 'supply' (default: an input to buy)."""
    for name, pattern in _INTENTS:
        if pattern.search(statement):
            return name
    return "supply"


def relation_for(intent: str, candidate_kind: str, candidate_org_type: str | None) -> str:
    """What the candidate would be to the query, given what the query's need asks for."""
    if intent == "customer":  # the candidate (a firm or a project) would buy what the query offers
        return "customer"
    if intent == "opportunity" or candidate_kind == "project":
        return "investment_opportunity"
    if intent == "capital":
        return "investor" if candidate_org_type == "investor" else "supplier"
    if intent == "rd":
        return "rd_partner"
    if intent == "production":
        return "production_base"
    if candidate_org_type in ("university", "institute"):
        return "rd_partner"
    if candidate_org_type == "investor":
        return "investor"
    return "supplier"


# organisation type → how plausible it is in each relation, in [0, 1]
_ORG_TYPE_FIT = {
    "supplier": {"enterprise": 1.0, "institute": 0.6, "university": 0.3, "investor": 0.0},
    "customer": {"enterprise": 1.0, "institute": 0.6, "university": 0.5, "investor": 0.0},
    "rd_partner": {"university": 1.0, "institute": 1.0, "enterprise": 0.6, "investor": 0.0},
    "production_base": {"enterprise": 1.0, "institute": 0.3, "university": 0.1, "investor": 0.0},
    "investor": {"investor": 1.0, "enterprise": 0.3, "institute": 0.0, "university": 0.0},
    "investment_opportunity": {"enterprise": 1.0, "institute": 0.5, "university": 0.3, "investor": 0.0},
}


def org_type_fit(relation: str, candidate_kind: str, candidate_org_type: str | None) -> float:
    if candidate_kind == "project":
        return 1.0
    return _ORG_TYPE_FIT.get(relation, {}).get(candidate_org_type or "enterprise", 0.5)


# the partner type a party lists to say it wants this relation (query side) / offers it (candidate side)
_WANTS = {"supplier": "supplier", "customer": "customer", "rd_partner": "rd_partner",
          "production_base": "production_base", "investor": "investor", "investment_opportunity": "investee"}
_PLAYS = {"supplier": "customer", "customer": "supplier", "rd_partner": "rd_partner",
          "production_base": "production_base", "investor": "investee", "investment_opportunity": "investor"}


def partner_type_fit(relation: str, query_types: tuple[str, ...], candidate_types: tuple[str, ...]) -> float:
    """1.0 when both sides list the partnership this pair would be, 0.5 when one does, 0 when neither
    does (or neither lists any types: then the signal is silent, not negative)."""
    hits = (_WANTS.get(relation) in query_types) + (_PLAYS.get(relation) in candidate_types)
    return hits / 2


_UNITS = {"万": 1.0, "万元": 1.0, "亿": 10_000.0, "亿元": 10_000.0, "千万": 1_000.0, "百万": 100.0,
          "k": 0.1, "thousand": 0.1, "m": 100.0, "mn": 100.0, "mio": 100.0, "million": 100.0,
          "b": 100_000.0, "bn": 100_000.0, "billion": 100_000.0}
_USD = 7.2  # CNY per USD, fixed and documented: ticket sizes are rough
_AMOUNT = re.compile(
    r"(?P<cur>rmb|cny|usd|us\$|\$|￥|¥|人民币|美元)?\s*"
    r"(?P<a>\d+(?:\.\d+)?)\s*(?P<unit1>千万|百万|万元?|亿元?|million|billion|thousand|mn|bn|mio|[kmb](?![a-z]))?\s*"
    r"(?:(?:-|–|—|~|～|至|到|to|and)\s*(?P<cur2>rmb|cny|usd|us\$|\$|￥|¥)?\s*(?P<b>\d+(?:\.\d+)?)\s*"
    r"(?P<unit2>千万|百万|万元?|亿元?|million|billion|thousand|mn|bn|mio|[kmb](?![a-z]))?)?\s*"
    r"(?P<cur3>rmb|cny|usd|美元|人民币|元)?", re.I)
_TICKET_CONTEXT = re.compile(r"单笔|单个项目|每个项目|投资额|投资规模|出资|ticket|cheque|check size|per deal|"
                             r"invest(?:ment)? (?:size|range|of)|between|from", re.I)


def parse_money_range(text: str) -> tuple[float, float] | None:
    """A ticket-size range in 万元 read from prose ('单笔投资2000万至2亿元', 'tickets of USD 3-15m',
    'RMB 20–200 million'); None when the text states none. USD at 7.2 CNY."""
    best = None
    for m in _AMOUNT.finditer(text):
        unit1, unit2 = (m.group("unit1") or "").lower(), (m.group("unit2") or "").lower()
        if not (unit1 or unit2):
            continue
        a = float(m.group("a"))
        b = float(m.group("b")) if m.group("b") else None
        u2 = _UNITS.get(unit2 or unit1, 1.0)
        u1 = _UNITS.get(unit1, u2) if unit1 else u2
        cur = " ".join(filter(None, (m.group("cur"), m.group("cur2"), m.group("cur3")))).lower()
        fx = _USD if ("usd" in cur or "$" in cur or "美元" in cur) else 1.0
        lo, hi = a * u1 * fx, (b * u2 * fx if b is not None else a * u1 * fx)
        window = text[max(0, m.start() - 30): m.end() + 10]
        score = (b is not None) + bool(_TICKET_CONTEXT.search(window))
        if lo > 0 and (best is None or score > best[0]):
            best = (score, (min(lo, hi), max(lo, hi)))
    return best[1] if best else None


def capacity_fit(amount_wan: float | None, ticket: tuple[float, float] | None) -> float | None:
    """1.0 inside the ticket range, falling with the log-distance outside it (0.5 at 3x, ~0 at 30x);
    None when either side is unknown: the signal is silent, not negative."""
    if amount_wan is None or ticket is None or amount_wan <= 0:
        return None
    lo, hi = ticket
    if lo <= amount_wan <= hi:
        return 1.0
    ratio = lo / amount_wan if amount_wan < lo else amount_wan / hi
    return max(0.0, 1.0 - math.log10(ratio) / math.log10(30))


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))
