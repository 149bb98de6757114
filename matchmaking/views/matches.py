"""Tables the app shows, built from the matcher: pure functions, no Streamlit, no SQL.

A page asks for a table with its filters and renders it; everything that decides *what* is shown
(filters, declined pairs, the two sides of an explanation, the parts as a waterfall) lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..matching import Match, Matcher, reasons, reasons_for_candidate, relation_name
from ..matching.signals import label
from ..reference import chains_of

__all__ = ["MatchFilters", "party_chains", "match_table", "explanation", "parts_frame"]


@dataclass(frozen=True)
class MatchFilters:
    cities: tuple[str, ...] = ()
    chains: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    cross_city_only: bool = False
    min_score: float = 0.0
    hide: frozenset[str] = field(default_factory=frozenset)  # candidate ids not to suggest (declined pairs)


def party_chains(matcher: Matcher, row: int) -> tuple[str, ...]:
    """The chains (IC, BIO, …) a party belongs to, from its segments."""
    return chains_of(matcher.index.own_segments[row])


def _keep(matcher: Matcher, m: Match, f: MatchFilters) -> bool:
    ix = matcher.index
    c = ix.id_to_row[m.candidate_id]
    q = ix.id_to_row[m.query_id]
    org_type = "project" if ix.kind[c] == "project" else ix.parties.org_type.iloc[c]
    return (m.candidate_id not in f.hide and m.score >= f.min_score
            and (not f.cities or ix.city_name[c] in f.cities)
            and (not f.chains or bool(set(party_chains(matcher, c)) & set(f.chains)))
            and (not f.relations or m.relation in f.relations)
            and (not f.org_types or org_type in f.org_types)
            and (not f.cross_city_only or ix.city_name[c] != ix.city_name[q]))


def match_table(matcher: Matcher, query_id: str, filters: MatchFilters = MatchFilters(), top_k: int = 20,
                lang: str = "zh", depth: int = 100) -> tuple[list[Match], pd.DataFrame]:
    """The filtered matches for one party and a table of them (rank, name, city, relation, score,
    first reasons). Filters apply to a deeper list, so a filter never leaves the page empty needlessly."""
    ms = [m for m in matcher.match(query_id, depth) if _keep(matcher, m, filters)][:top_k]
    ix = matcher.index
    rows = []
    for i, m in enumerate(ms, start=1):
        c = ix.id_to_row[m.candidate_id]
        why = reasons(m, ix, lang)
        rows.append({"rank": i, "id": m.candidate_id, "name": ix.name[c], "city": ix.city_name[c],
                     "relation": relation_name(m.relation, lang), "score": round(m.score, 3),
                     "why": why[1] if len(why) > 1 else ""})
    return ms, pd.DataFrame(rows, columns=["rank", "id", "name", "city", "relation", "score", "why"])


def parts_frame(match: Match, lang: str = "zh") -> pd.DataFrame:
    """The parts of a score in order, for a waterfall: signal, label, raw value, weight, points."""
    return pd.DataFrame([{"signal": p.signal, "label": label(p.signal, lang), "value": round(p.value, 4),
                          "weight": round(p.weight, 4), "points": round(p.points, 4)} for p in match.parts],
        columns=["signal", "label", "value", "weight", "points"])


def explanation(matcher: Matcher, match: Match, lang: str = "zh") -> dict[str, object]:
    """Both sides' reasons (each in the chosen language) and the parts."""
    return {"for_query": reasons(match, matcher.index, lang), "for_candidate": reasons_for_candidate(
        match, matcher.index, lang), "parts": parts_frame(match, lang)}

