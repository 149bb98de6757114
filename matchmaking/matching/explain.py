"""Readable reasons for a match, for both sides, in Chinese or English.

The first line says what the pair would be to the reader; every further line comes from a part of the
match and is written by that part's own signal (``signals``), so an explanation can only say what the
score counted. Built from a match's parts and public profile fields only: never contacts or financials.
"""

from __future__ import annotations

from .index import MatchIndex
from .relations import MIRROR, relation_name
from .result import Match
from .signals import Explained, signal

__all__ = ["reasons", "reasons_for_candidate"]


def _lines(match: Match, index: MatchIndex, lang: str, side: str) -> list[str]:
    ex = Explained(match, index, lang, side)
    parts = list(match.parts)
    if side == "candidate":  # for the candidate, its own need met comes first
        parts.sort(key=lambda p: p.signal != "reverse")
    return [line for p in parts for line in signal(p.signal).reasons(p, ex)]


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
