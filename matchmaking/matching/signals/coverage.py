"""兼顾其他需求 other needs first: a query that states several needs gets answers to each of them.

Ten investors for a firm that also needs a supplier and a university answer one need ten times. So the
list is chosen greedily (aspect diversification, as xQuAD): each pick is the candidate with the highest
score after a deduction of ``Weights.coverage`` for every candidate already listed for the same need
(the need it meets best). The deduction is a part of the score, so scores still fall with the rank and
still add up; it is silent for a query with one need, and for the first answer to each need.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..arrays import TIE_DECIMALS
from ..result import Part
from .base import Explained, Signal, clip

__all__ = ["Coverage"]

_POOL = 4  # the greedy choice looks at this many times top_k of the best-scored candidates


class Coverage(Signal):
    name = "coverage"
    label_zh = "兼顾其他需求"
    label_en = "other needs first"

    def select(self, config: Any, order: np.ndarray, score: np.ndarray, need_of: np.ndarray, n_needs: int,
               top_k: int) -> tuple[np.ndarray, np.ndarray]:
        """From candidates in score order: the ``top_k`` to list, in order, and the deduction of each
        (how many were listed before it for the same need, times the weight) — per candidate position."""
        above = np.zeros(len(score), np.int64)
        w = self.weight(config)
        if w <= 0 or n_needs < 2:
            return order[:top_k], above
        pool = np.asarray(order[: _POOL * top_k], dtype=np.int64)
        pool_score = score[pool].astype(np.float64)  # as ``score[j] - w * listed[...]`` computes: in float64
        pool_need = need_of[pool]
        listed = np.zeros(n_needs, np.int64)
        free = np.ones(len(pool), bool)
        chosen: list[int] = []
        while free.any() and len(chosen) < top_k:
            # the first of equals (``arrays.TIE``, as the score order rounds them): score order, then id
            adjusted = np.where(free, np.round(pool_score - w * listed[pool_need], TIE_DECIMALS), -np.inf)
            i = int(np.argmax(adjusted))
            free[i] = False
            j = int(pool[i])
            above[j] = listed[need_of[j]]
            listed[need_of[j]] += 1
            chosen.append(j)
        return np.array(chosen, dtype=np.int64), above

    def part(self, config: Any, need_text: str, above: int) -> Part | None:
        if above <= 0:
            return None
        w = self.weight(config)
        return Part(self.name, float(above), -w, -w * above, {"need": need_text, "listed_above": above})

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        if ex.side != "query":
            return []
        n, need = part.evidence["listed_above"], clip(part.evidence["need"], 40)
        return [f"同一需求“{need}”已有 {n} 个更靠前的匹配，为兼顾其他需求略微后移" if ex.lang == "zh" else
                f"{n} match(es) above already answer “{need}”: moved down a little so other needs are answered too"]
