"""Readable reasons for a match, for both sides, in Chinese or English.

Built only from a match's parts and the public profile fields: never from contacts or financials.
"""

from __future__ import annotations

from typing import Any

from .matcher import Match, MatchIndex
from .reference import CITY_ZH, chains

__all__ = ["reasons", "reasons_for_candidate", "parts_table", "RELATION_NAMES", "SIGNAL_NAMES", "relation_name"]

RELATION_NAMES = {
    "supplier": ("供应商", "supplier"),
    "customer": ("客户", "customer"),
    "rd_partner": ("研发伙伴", "R&D partner"),
    "production_base": ("生产基地", "production base"),
    "investor": ("投资方", "investor"),
    "investment_opportunity": ("投资机会", "investment opportunity"),
}
SIGNAL_NAMES = {
    "dense": ("语义相似", "semantic similarity"),
    "sparse": ("关键词重合", "shared terms"),
    "concept": ("产品/环节对应", "same products/segment"),
    "multi_need": ("满足多项需求", "meets several needs"),
    "reverse": ("对方也受益", "they gain too"),
    "chain": ("产业链上下游", "chain link"),
    "partner_type": ("合作类型相符", "partnership type fits"),
    "org_type": ("机构类型相符", "organisation type fits"),
    "capacity": ("投资规模相符", "ticket size fits"),
    "cross_city": ("跨城协作", "cross-city"),
}
# mirror image: what the query is to the candidate
_MIRROR = {"supplier": "customer", "customer": "supplier", "rd_partner": "rd_partner",
           "production_base": "customer", "investor": "investment_opportunity", "investment_opportunity": "investor"}


def relation_name(relation: str, lang: str) -> str:
    zh, en = RELATION_NAMES.get(relation, (relation, relation))
    return zh if lang == "zh" else en


def _city(city: str, lang: str) -> str:
    return CITY_ZH.get(city, city) if lang == "zh" else city


def _seg(segment_id: str, lang: str) -> str:
    seg = chains().segments.get(segment_id)
    if seg is None:
        return segment_id
    return seg.name_zh if lang == "zh" else seg.name_en


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _concept_names(index: MatchIndex, ids: list[str], lang: str) -> list[str]:
    return [index.lexicon.concepts[c].name(lang) for c in ids if c in index.lexicon.concepts]


def _forward_lines(match: Match, index: MatchIndex, lang: str) -> list[str]:
    lines: list[str] = []
    part = match.part("dense") or match.part("sparse") or match.part("concept")
    if part and part.points > 0:
        need, offer = part.evidence.get("need", ""), part.evidence.get("offer", "")
        if lang == "zh":
            lines.append(f"您的需求“{_clip(need)}”↔ 对方能力“{_clip(offer)}”")
        else:
            lines.append(f"your need “{_clip(need)}” ↔ their offer “{_clip(offer)}”")
    concept = match.part("concept")
    if concept and concept.value > 0:
        names = _concept_names(index, concept.evidence.get("concepts", []), lang)
        segs = [_seg(s, lang) for s in concept.evidence.get("segments", [])]
        if names:
            lines.append("共同产品：" + "、".join(names[:4]) if lang == "zh" else "same product: " + "; ".join(names[:4]))
        elif segs:
            lines.append(("同一产业环节：" + "、".join(segs[:3])) if lang == "zh" else
                         "same chain segment: " + "; ".join(segs[:3]))
    multi = match.part("multi_need")
    if multi:
        lines.append(f"还可满足：“{_clip(multi.evidence.get('need', ''), 40)}”" if lang == "zh" else
                     f"also meets: “{_clip(multi.evidence.get('need', ''), 40)}”")
    return lines


def _common_lines(match: Match, index: MatchIndex, lang: str, viewer: str) -> list[str]:
    lines: list[str] = []
    chain = match.part("chain")
    if chain:
        a, b = _seg(chain.evidence["from"], lang), _seg(chain.evidence["to"], lang)
        lines.append(f"产业链：{a} → {b}" if lang == "zh" else f"chain link: {a} → {b}")
    cap = match.part("capacity")
    if cap:
        lo, hi = cap.evidence["ticket_wan"]
        amt = cap.evidence["amount_wan"]
        if lang == "zh":
            fit = "在" if cap.value >= 1 else "接近"
            lines.append(f"项目投资额 {amt:,.0f} 万元{fit}投资方单笔范围 {lo:,.0f}–{hi:,.0f} 万元内")
        else:
            fit = "within" if cap.value >= 1 else "near"
            lines.append(f"investment of {amt:,.0f} (10k CNY) is {fit} the ticket range {lo:,.0f}–{hi:,.0f}")
    city = match.part("cross_city")
    if city:
        a, b = city.evidence["from"], city.evidence["to"]
        if viewer == "candidate":
            a, b = b, a
        lines.append(f"跨城协作：{_city(a, lang)} ↔ {_city(b, lang)}" if lang == "zh" else
                     f"cross-city: {_city(a, lang)} ↔ {_city(b, lang)}")
    return lines


def reasons(match: Match, index: MatchIndex, lang: str | None = None) -> list[str]:
    """Why the candidate is a good match for the query (the query's point of view)."""
    lang = lang or index.lang[index.id_to_row[match.query_id]]
    lines = [(f"关系：对方可作为您的{relation_name(match.relation, 'zh')}" if lang == "zh" else
              f"relation: they would be your {relation_name(match.relation, 'en')}")]
    lines += _forward_lines(match, index, lang)
    rev = match.part("reverse")
    if rev and rev.points > 0:
        their, ours = rev.evidence.get("their_need", ""), rev.evidence.get("our_offer", "")
        lines.append(f"对方需求“{_clip(their)}”可由您的“{_clip(ours)}”满足" if lang == "zh" else
                     f"they need “{_clip(their)}”, which your “{_clip(ours)}” meets")
    return lines + _common_lines(match, index, lang, "query")


def reasons_for_candidate(match: Match, index: MatchIndex, lang: str | None = None) -> list[str]:
    """Why the pair is worth it for the candidate (what it gets from the query), in its own language."""
    lang = lang or index.lang[index.id_to_row[match.candidate_id]]
    mirror = _MIRROR.get(match.relation, match.relation)
    lines = [(f"关系：对方可作为您的{relation_name(mirror, 'zh')}" if lang == "zh" else
              f"relation: they would be your {relation_name(mirror, 'en')}")]
    rev = match.part("reverse")
    if rev and rev.points > 0:
        their, ours = rev.evidence.get("their_need", ""), rev.evidence.get("our_offer", "")
        lines.append(f"您的需求“{_clip(their)}”↔ 对方能力“{_clip(ours)}”" if lang == "zh" else
                     f"your need “{_clip(their)}” ↔ their offer “{_clip(ours)}”")
    part = match.part("dense") or match.part("sparse") or match.part("concept")
    if part and part.points > 0:
        need, offer = part.evidence.get("need", ""), part.evidence.get("offer", "")
        lines.append(f"对方需要“{_clip(need)}”，正是您提供的“{_clip(offer)}”" if lang == "zh" else
                     f"they need “{_clip(need)}”, which you offer: “{_clip(offer)}”")
    return lines + _common_lines(match, index, lang, "candidate")


def parts_table(match: Match, lang: str = "zh") -> list[dict[str, Any]]:
    """The parts as rows (signal name, raw value, weight, points), for tables and waterfalls."""
    return [{"signal": p.signal, "name": SIGNAL_NAMES.get(p.signal, (p.signal, p.signal))[0 if lang == "zh" else 1],
             "value": round(p.value, 4), "weight": round(p.weight, 4), "points": round(p.points, 4)}
            for p in match.parts]
