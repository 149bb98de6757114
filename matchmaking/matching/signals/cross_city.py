"""跨城协作 cross-city: the pair spans two of the cities. A mild preference (a policy knob of the
cluster's integration, never a filter)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...reference import CITY_ZH
from ..result import Part
from .base import Explained, Pairs, PairSignal

__all__ = ["CrossCity"]


class CrossCity(PairSignal):
    name = "cross_city"
    label_zh = "跨城协作"
    label_en = "cross-city"

    def values(self, pairs: Pairs) -> np.ndarray:
        city = pairs.index.city
        return np.where(city[pairs.cand] != city[pairs.q], 1.0, np.nan)

    def evidence(self, pairs: Pairs, j: int) -> dict[str, Any]:
        names = pairs.index.city_name
        return {"from": names[pairs.q], "to": names[int(pairs.cand[j])]}

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        a, b = part.evidence["from"], part.evidence["to"]
        if ex.side == "candidate":
            a, b = b, a
        if ex.lang == "zh":
            return [f"跨城协作：{CITY_ZH.get(a, a)} ↔ {CITY_ZH.get(b, b)}"]
        return [f"cross-city: {a} ↔ {b}"]
