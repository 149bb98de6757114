"""Tables the app shows, built from the matcher: pure functions, no Streamlit, no SQL.

A page asks for a table with its filters and renders it; everything that decides *what* is shown
(filters, declined pairs, the two sides of an explanation, the parts as a waterfall) lives here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..matching import Match, Matcher, pair_object, reasons, reasons_for_candidate, relation_name
from ..matching.signals import label
from ..reference import chains_of
from .links import party_url, store_kind
from .names import city_name

__all__ = ["MatchFilters", "party_chains", "match_table", "explanation", "parts_frame", "points", "SCORE_SCALE",
           "MATCH_COLUMNS"]


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


#: Scores are shown as points: 100 is a need fully met by an offer (the statement channels' weights sum to
#: 1); the other parts (chain link, their own gain, organisation type …) add on top, so a score can pass 100.
SCORE_SCALE = 100
#: Display columns (a Chinese character is two) of each side of a match's object: the table shows it whole
#: beside name, city, relation, score and status on a 1366-pixel screen.
OBJECT_WIDTH = 18
MATCH_COLUMNS = ["rank", "id", "kind", "name", "link", "city", "relation", "score", "object"]


def points(score: float) -> int:
    """A score as the points the app shows (see ``SCORE_SCALE``)."""
    return int(round(score * SCORE_SCALE))


def match_table(matcher: Matcher, query_id: str, filters: MatchFilters = MatchFilters(), top_k: int = 20,
                lang: str = "zh", depth: int = 100, ranked: list[Match] | None = None) -> tuple[list[Match], pd.DataFrame]:
    """The filtered matches for one party and a table of them: rank, id, kind, name, link (the
    candidate's page, ``links.party_url``), city and relation in ``lang``, score in points, and what the
    match is about in a few words (``object``: their offer ↔ its need, theirs first). Filters apply to a deeper list, so a
    filter never leaves the page empty needlessly. ``ranked``: that list, when the caller has it already
    (re-ranked by what staff did with earlier suggestions, ``learning.shown_matches``)."""
    ranked = matcher.match(query_id, depth) if ranked is None else ranked
    ms = [m for m in ranked if _keep(matcher, m, filters)][:top_k]
    ix = matcher.index
    rows = []
    for i, m in enumerate(ms, start=1):
        c = ix.id_to_row[m.candidate_id]
        rows.append({"rank": i, "id": m.candidate_id, "kind": store_kind(ix.kind[c]), "name": ix.name[c],
                     "link": party_url("profile", ix.kind[c], m.candidate_id, lang, ix.name[c]),
                     "city": city_name(ix.city_name[c], lang), "relation": relation_name(m.relation, lang),
                     "score": points(m.score), "object": pair_object(m, OBJECT_WIDTH, theirs_first=True)})
    return ms, pd.DataFrame(rows, columns=MATCH_COLUMNS)


def parts_frame(match: Match, lang: str = "zh") -> pd.DataFrame:
    """The parts of a score in order, for a waterfall: signal, label, raw value (0–1), the most points the
    part can give (its weight, in points) and the points it gives — ``points = value × max_points``, and the
    points add up to the score shown."""
    return pd.DataFrame([{"signal": p.signal, "label": label(p.signal, lang), "value": round(p.value, 3),
                          "max_points": round(p.weight * SCORE_SCALE, 1),
                          "points": round(p.points * SCORE_SCALE, 1)} for p in match.parts],
                        columns=["signal", "label", "value", "max_points", "points"])


def explanation(matcher: Matcher, match: Match, lang: str = "zh") -> dict[str, object]:
    """Both sides' reasons (each in the chosen language) and the parts."""
    return {"for_query": reasons(match, matcher.index, lang), "for_candidate": reasons_for_candidate(
        match, matcher.index, lang), "parts": parts_frame(match, lang)}

