"""What a pair would be to each other: the intent of a stated need (inputs, customers, R&D, production,
capital, deals), the relation it gives the candidate (supplier, customer, R&D partner, production base,
investor, investment opportunity), its mirror image for the other side, and the names of relations.

Pure rules over text and types: no scores, no arrays of the index.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["RELATIONS", "INTENTS", "ORG_TYPES", "RELATION_NAMES", "MIRROR", "intent_of", "relation_for",
           "relation_name", "RELATION_TABLE"]

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


#: relation index by [need intent, candidate is a project, candidate org type] (``relation_for`` as a table)
RELATION_TABLE = np.array([[[RELATIONS.index(relation_for(i, "project" if proj else "organisation", t))
                             for t in ORG_TYPES] for proj in (0, 1)] for i in INTENTS], dtype=np.int64)
