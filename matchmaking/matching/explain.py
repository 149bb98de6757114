"""Readable reasons for a match, for both sides, in Chinese or English.

The first line says what the pair would be to the reader; every further line comes from a part of the
match and is written by that part's own signal (``signals``), so an explanation can only say what the
score counted. Built from a match's parts and public profile fields only: never contacts or financials.
"""

from __future__ import annotations

import re
import unicodedata

from .index import MatchIndex
from .relations import MIRROR, relation_name
from .result import Match
from .signals import Explained, signal

__all__ = ["reasons", "reasons_for_candidate", "pair_object", "REASON_MIN_SHARE"]

#: A part that carries less than this share of a match's score is not given as a reason: it still counts,
#: and the parts (waterfall, parts table) still list it, but a reason of 0.019 points in a score of 1.03
#: reads as nonsense to the people acting on it. The need ↔ offer statement pair counts as all the
#: statement channels together. Used for every reason the app and the CLI give.
REASON_MIN_SHARE = 0.05
_CHANNELS = ("dense", "sparse", "concept")
_ALWAYS = frozenset((*_CHANNELS, "qualifiers"))  # said whatever their share (``_lines``)
# the order reasons are said in (a stable sort: parts of one rank keep the match's order)
_QUERY_ORDER = {**dict.fromkeys(_CHANNELS, 0), "qualifiers": 1}
_CANDIDATE_ORDER = {"reverse": -1, **_QUERY_ORDER}


def _lines(match: Match, index: MatchIndex, lang: str, side: str) -> list[str]:
    floor = REASON_MIN_SHARE * max(match.score, 0.0)
    ex = Explained(match, index, lang, side, floor)
    # the objects that met lead, then the qualifiers that hold; for the candidate, its own need met first
    order = _CANDIDATE_ORDER if side == "candidate" else _QUERY_ORDER
    parts = sorted(match.parts, key=lambda p: order.get(p.signal, 2))
    # the qualifiers that hold are said with the objects they qualify, however few points they add
    return [line for p in parts if p.signal in _ALWAYS or abs(p.points) >= floor
            for line in signal(p.signal).reasons(p, ex)]


def reasons(match: Match, index: MatchIndex, lang: str | None = None) -> list[str]:
    """Why the candidate is a good match for the query (the query's point of view), in ``lang`` (default:
    the query's own language)."""
    lang = lang or index.lang[index.id_to_row[match.query_id]]
    head = (f"关系：对方可作为您的{relation_name(match.relation, 'zh')}" if lang == "zh" else
            f"relation: they would be your {relation_name(match.relation, 'en')}")
    return [head, *_lines(match, index, lang, "query")]


def reasons_for_candidate(match: Match, index: MatchIndex, lang: str | None = None) -> list[str]:
    """Why the pair is worth it for the candidate (what it gets from the query), in ``lang`` (default: the
    candidate's own language)."""
    lang = lang or index.lang[index.id_to_row[match.candidate_id]]
    mirror = MIRROR.get(match.relation, match.relation)
    head = (f"关系：对方可作为您的{relation_name(mirror, 'zh')}" if lang == "zh" else
            f"relation: they would be your {relation_name(mirror, 'en')}")
    return [head, *_lines(match, index, lang, "candidate")]


# What a statement is about, before its details: up to the first clause break (，；：。 , ; : and brackets).
_CLAUSE = re.compile(r"[，,；;：:。（(【\[]|\s[-–—]\s|\.\s")
_LEAD = re.compile(r"^(?:we\s+)?(?:are\s+)?(?:looking\s+for|seeking|seek|need|want|offer|offering|supply|supplying"
                   r"|provide|providing|can\s+provide)\s+(?:an?\s+|the\s+)?"
                   r"|^(?:我们|本公司|我司|本院|本所|本校)?(?:希望|想要|想|需要|寻找|寻求|急需|拟|计划|可以|能够|主要|长期)*"
                   r"(?:提供|采购|引进|引入|对接)?", re.IGNORECASE)


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _gist(text: str, width: int) -> str:
    """A statement in at most ``width`` display columns (a Chinese character is two): its first clause,
    without a lead-in such as 我们希望采购 / we are looking for, cut with … if still longer."""
    text = " ".join(str(text or "").split())
    head = _CLAUSE.split(text, maxsplit=1)[0].strip() or text
    head = _LEAD.sub("", head, count=1).strip() or head
    out, used = [], 0
    for ch in head:
        used += _width(ch)
        if used > width - 1 and len(out) < len(head) - 1:
            return "".join(out).rstrip() + "…"
        out.append(ch)
    return "".join(out)


def pair_object(match: Match, width: int = 24, theirs_first: bool = False) -> str:
    """What a match is about, in a few words: the query's statement ↔ the candidate's (its need ↔ their
    offer; for a party with no needs, its offer ↔ their need), each shortened to ``width`` display columns;
    ``theirs_first`` puts the candidate's side first (a table of one party's matches: its own side repeats).
    The users' own words, so in no particular language; "" when the match rests on no statement pair."""
    lead = next((p for p in match.parts if p.signal in _CHANNELS and p.points > 0), None)
    back = match.part("reverse")
    if lead is not None and (lead.evidence.get("need") or lead.evidence.get("offer")):
        ours, theirs = lead.evidence.get("need", ""), lead.evidence.get("offer", "")
    elif back is not None and back.points > 0:
        ours, theirs = back.evidence.get("our_offer", ""), back.evidence.get("their_need", "")
    else:
        return ""
    a, b = (theirs, ours) if theirs_first else (ours, theirs)
    return f"{_gist(a, width)} ↔ {_gist(b, width)}"
