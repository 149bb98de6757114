"""选址 site location: a site, a plant or a production partner asked for in a named place ('需要在苏州租用约3,000
平方米单层厂房', 'factory space in Songjiang or neighbouring districts'), and the candidate is there — or is not.

For a pair whose relation is a production base only: the cities the query's production needs name
(``objects.places_named``: cities, regions, districts), against the candidate's city: −1 when it is in
none of them (a park in Nantong is no answer to a site needed in Suzhou, however well its buildings fit),
silent otherwise — being in the right city makes no one a production base (a place met is said by
``qualifiers``, scaled by how well the object is met). Where a
supplier is (优先长三角供应商) is a preference, not a requirement: that stays with ``qualifiers``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...reference import CITY_ZH
from ..objects import places_named
from ..relations import INTENTS, RELATIONS
from ..result import Part
from .base import Explained, Pairs, PairSignal

__all__ = ["Site"]

_PRODUCTION_BASE = RELATIONS.index("production_base")
_PRODUCTION = INTENTS.index("production")


class Site(PairSignal):
    name = "site"
    label_zh = "选址"
    label_en = "site location"

    def prepare(self, index: Any) -> list[frozenset[str]]:
        """Per party: the cities its production needs name."""
        named = index.memo.of(places_named)
        out: list[frozenset[str]] = [frozenset()] * index.n
        needs = index.needs
        for r in np.flatnonzero(needs.intent == _PRODUCTION):
            p = int(needs.party[r])
            out[p] = out[p] | named(needs.text[r])
        return out

    def values(self, pairs: Pairs) -> np.ndarray:
        wanted = pairs.index.prepared[self.name][pairs.q]
        if not wanted:
            return np.full(len(pairs.cand), np.nan)
        here = np.isin(pairs.index.city_name[pairs.cand], list(wanted))
        return np.where((pairs.relation == _PRODUCTION_BASE) & ~here, -1.0, np.nan)

    def evidence(self, pairs: Pairs, j: int) -> dict[str, Any]:
        return {"wanted": sorted(pairs.index.prepared[self.name][pairs.q]),
                "city": pairs.index.city_name[int(pairs.cand[j])]}

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        city, wanted = part.evidence.get("city", ""), part.evidence.get("wanted") or []
        if part.value >= 0:
            return []
        mine = ex.side == "query"
        if ex.lang == "zh":
            names, here = "、".join(CITY_ZH.get(c, c) for c in wanted), CITY_ZH.get(city, city)
            return [f"选址不符：您要在{names}，对方在{here}" if mine else f"选址不符：对方要在{names}，您在{here}"]
        names = ", ".join(wanted)
        return [f"site elsewhere: you want it in {names}; they are in {city}" if mine else
                f"site elsewhere: they want it in {names}; you are in {city}"]
