"""What a pair would be to each other: the intent of a stated need (inputs, customers, R&D, production,
capital, deals), the relation it gives the candidate (supplier, customer, R&D partner, production base,
investor, investment opportunity), its mirror image for the other side, and the names of relations.

Pure rules over text and types: no scores, no arrays of the index.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["RELATIONS", "INTENTS", "ORG_TYPES", "RELATION_NAMES", "MIRROR", "intent_of", "relation_for",
           "relation_name", "RELATION_TABLE", "sold_object"]

RELATIONS = ("supplier", "customer", "rd_partner", "production_base", "investor", "investment_opportunity")
INTENTS = ("supply", "customer", "rd", "production", "capital", "opportunity")
#: The organisation types of the contract, and ``project`` for a project (the index's type codes, in order).
ORG_TYPES = ("enterprise", "university", "institute", "investor", "project")

RELATION_NAMES = {
    "supplier": ("供应商", "supplier"),
    "customer": ("客户", "customer"),
    "rd_partner": ("研发伙伴", "R&D partner"),
    "production_base": ("生产基地", "production base"),
    "investor": ("投资方", "investor"),
    "investment_opportunity": ("投资机会", "investment opportunity"),
}
#: What the query is to the candidate, given what the candidate is to the query.
MIRROR = {"supplier": "customer", "customer": "supplier", "rd_partner": "rd_partner",
          "production_base": "customer", "investor": "investment_opportunity", "investment_opportunity": "investor"}


def relation_name(relation: str, lang: str) -> str:
    zh, en = RELATION_NAMES.get(relation, (relation, relation))
    return zh if lang == "zh" else en


# A need to sell: customers, buyers, offtakers, a market for what the party makes. (Distributors and sales
# channels are not: they offer a service, and a need for one is met by those who offer it.)
_BUYERS_ZH = r"(?:客户|用户|采购方|采购商|买方|买家)(?!的)"
_CUSTOMER = re.compile(
    rf"(?:寻找|寻求|对接|发展).{{0,12}}{_BUYERS_ZH}|拓展.{{0,8}}(?:客户|市场)|开拓.{{0,4}}市场|"
    r"(?:looking for|seek(?:ing)?|find|expand|reach|grow) (?:new |more |potential |downstream |[a-z]+ )?(?:customers|buyers|"
    r"clients|offtakers|markets)(?: and (?:distributors|resellers|partners|channels))?|offtake", re.I)
# the words of that wish, to take out of it what is sold ('为碳纤维预浸料寻找下游客户' → '碳纤维预浸料')
_SELL_WORDS = re.compile(
    rf"(?:寻找|寻求|对接|发展|拓展|开拓)|(?:下游|长期|稳定|批量|潜在|新的?|更多|优质|海内外|国内外|海外)*(?:采购)?{_BUYERS_ZH}|"
    r"市场|(?:looking for|seek(?:ing)?|find|expand|reach|grow) (?:new |more |potential |downstream |[a-z]+ )?"
    r"(?:customers|buyers|clients|offtakers|markets)(?: and (?:distributors|resellers|partners|channels))?|offtake(?:rs)?",
    re.I)
_SELL_FILLER = re.compile(r"^(?:[为替给及和与的]|(?:of|for) (?:our|the|its)\b|our\b|of\b|for\b|and\b)\s*|"
                          r"\s*(?:[为替给及和与的]|(?:of|for) (?:our|the|its)|of|for|and)$", re.I)
_SELL_TRIM = " ，,；;:：。.、/|-–—"

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
        # money asked for with its amount between the verb and the kind ('拟引入10亿元股权资金', '本轮寻求3000万元天使投资');
        # never a project's own size ('总投资5亿元')
        r"(?:引入|引进|寻求|募集|吸引)[^，,。；;]{0,14}(?:投资|资金)|(?:股权|战略|天使|风险|创业)(?:投资|资金)|"
        r"fund(?:ing|raise)|financ(?:ing|e)|\binvestors?\b|capital|equity|series [a-d]\b|seed round|"
        r"raise|raising|venture|co-?invest|"
        # a round named by its stage or by its money ('CNY 20 million of seed or angel money', 'a CNY 250 million
        # round', 'a pre-IPO round')
        r"\b(?:seed|angel)(?:[- ]?plus)?(?: or (?:seed|angel))? (?:money|round|cheque|check|investment|funding)|"
        r"\bpre-?ipo\b|\binvestment of (?:rmb|cny|usd|eur|us\$|\$|¥)|"
        r"(?:million|billion|mn|bn|m)\s+(?:\w+\s+){0,2}round\b", re.I)),
    ("customer", _CUSTOMER),
    ("rd", re.compile(
        r"联合研发|合作研发|研发合作|技术合作|产学研|共建(?:实验室|研发中心|平台)|联合攻关|技术攻关|委托研发|委托开发|"
        r"技术转让|成果转化|课题合作|(?:与|和|同|联合|寻找|对接)(?:高校|大学|研究院|研究所|院所|科研院所|科研机构|实验室)|"
        r"(?:高校|大学|院所|科研)(?:合作|团队|伙伴)|"
        r"\bR&D (?:partner|collaboration|cooperation)|co-?develop|joint (?:development|research|lab)|"
        r"research (?:partner|collaboration)|(?:with|from) (?:a |an |the )?(?:universit|research institute|academic|"
        r"national lab)|technology (?:transfer|licens)|licen[cs]e (?:the|their|a) technology|"
        r"\b(?:universit(?:y|ies)|academic|research) (?:[a-z-]+ )?(?:labs?|laborator(?:y|ies)|groups?|teams?|"
        r"partners?)\b", re.I)),
    ("production", re.compile(
        r"代工|生产基地|厂房|用地|土地|落地|产能合作|委托生产|委托加工|贴牌|托管生产|承接.{0,6}(?:生产|制造)|"
        r"合作生产|生产线|产线|园区|选址|场地|(?:生产|研发|办公|实验)用房|(?:租用|租赁|购置).{0,10}(?:车间|仓库|楼宇)|"
        r"\bOEM\b|\bODM\b|\bCMO\b|\bCDMO\b|contract manufactur|toll manufactur|production (?:site|base|partner|"
        r"capacity)|manufacturing (?:partner|site|base|capacity)|factory|plant site|industrial land|"
        r"site selection|land plot|\bplot\b|standard workshop|fab capacity|foundry capacity|"
        r"(?:floor|factory|production|plant|lab|laboratory|workshop|warehouse) space|premises", re.I)),
)


def intent_of(statement: str) -> str:
    """'opportunity' | 'capital' | 'customer' | 'rd' | 'production' | 'supply' (default: an input to buy)."""
    for name, pattern in _INTENTS:
        if pattern.search(statement):
            return name
    return "supply"


def sold_object(statement: str) -> str:
    """What a need to sell offers: the statement without its wish for customers ('为碳纤维预浸料寻找下游客户'
    → '碳纤维预浸料', 'Looking for volume buyers of our DBC substrates' → 'DBC substrates'); the whole
    statement when too little is left to say what is sold."""
    rest = _SELL_WORDS.sub(" ", statement)
    rest = re.sub(r"\s+", " ", rest).strip(_SELL_TRIM)
    for _ in range(3):
        rest = _SELL_FILLER.sub("", rest).strip(_SELL_TRIM)
    says_something = len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 2 or re.search(r"[A-Za-z]{2}", rest)
    return rest if says_something else statement


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


#: relation index by [need intent, candidate is a project, candidate org type] (``relation_for`` as a table)
RELATION_TABLE = np.array([[[RELATIONS.index(relation_for(i, "project" if proj else "organisation", t))
                             for t in ORG_TYPES] for proj in (0, 1)] for i in INTENTS], dtype=np.int64)
