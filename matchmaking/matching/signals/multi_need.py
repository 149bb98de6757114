"""满足多项需求 meets several needs: a candidate that also answers a second need of the query.

Points grow with how well the second-best need is met above 0.3 (the best need already counts in the
forward channels); the part's value is that second need's score.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..arrays import TIE_DECIMALS
from ..result import Part
from .base import Explained, Signal, clip

__all__ = ["MultiNeed"]


class MultiNeed(Signal):
    name = "multi_need"
    label_zh = "满足多项需求"
    label_en = "meets several needs"

    def points(self, config: Any, best: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """From the best score of each need for each candidate (needs × candidates): (the best need's
        score, this signal's points) per candidate."""
        nc = best.shape[1]
        srt = -np.sort(-best, axis=0)
        first = srt[0]
        second = srt[1] if len(srt) > 1 else np.zeros(nc, np.float32)
        multi = self.weight(config) * np.clip(second - 0.3, 0, None) / 0.7 * (first > 0)
        return first, multi

    def part(self, config: Any, index: Any, best: np.ndarray, arg: np.ndarray, need_rows: np.ndarray,
             off_rows: np.ndarray, multi: np.ndarray, j: int) -> Part | None:
        if not multi[j] > 0:
            return None
        k2 = int(np.argsort(-np.round(best[:, j], TIE_DECIMALS), kind="stable")[1])  # of equals, the first
        return Part(self.name, float(best[k2, j]), self.weight(config), float(multi[j]),
                    {"need": index.needs.object[int(need_rows[k2])],
                     "offer": index.offers.object[int(off_rows[int(arg[k2, j])])]})

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        if ex.side != "query":
            return []
        need = clip(part.evidence.get("need", ""), 40)
        return [f"还可满足：“{need}”" if ex.lang == "zh" else f"also meets: “{need}”"]
