"""对方也受益 they gain too: the candidate's own needs met by what the query offers.

How it enters the score is ``MatchConfig.fusion``: 'gated' (scaled by how well the query's stated need
is met, so it can lift a good answer but never carry a poor one), 'additive', or 'none'. For a party
that states no needs, it is the whole score: who needs what the party offers (its would-be customers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..arrays import TIE, first_best, group_max
from ..relations import INTENTS
from ..result import Part
from .base import Explained, Signal, clip

__all__ = ["Reverse", "ReverseScores"]

_OPP = INTENTS.index("opportunity")


@dataclass
class ReverseScores:
    value: np.ndarray  # per candidate: how well its best-met need is met by the query's offers
    need: np.ndarray  # per candidate: that need's statement row (-1: none)
    offer: np.ndarray  # per candidate: the query's offer statement row meeting it (-1: none)


class Reverse(Signal):
    name = "reverse"
    label_zh = "对方也受益"
    label_en = "they gain too"

    def values(self, index: Any, q: int, cand: np.ndarray, q_offers: np.ndarray,
               score: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> ReverseScores:
        """The candidates' needs against the query's offers; ``score(need_rows, offer_rows)`` gives the
        weighted statement scores (the forward channels, summed)."""
        nc = len(cand)
        value = np.zeros(nc, np.float32)
        need = np.full(nc, -1, np.int64)
        offer = np.full(nc, -1, np.int64)
        cneed_rows = index.needs.rows_of(cand)
        if len(q_offers) and len(cneed_rows):
            total = score(cneed_rows, q_offers)
            per_need = total.max(axis=1)
            per_need_arg = first_best(total, axis=1)
            # a candidate asking for deals looks at projects and raising organisations, not at anyone's offers
            deal = (index.needs.intent[cneed_rows] == _OPP) & ~index.raising[q]
            per_need = np.where(deal, 0.0, per_need)
            owner = np.searchsorted(cand, index.needs.party[cneed_rows])
            red, rarg = group_max(per_need[None, :], owner, nc, TIE)
            value = np.where(np.isfinite(red[0]), red[0], 0.0).astype(np.float32)
            need = np.where(rarg[0] >= 0, cneed_rows[np.maximum(rarg[0], 0)], -1)
            offer = np.where(rarg[0] >= 0, q_offers[per_need_arg[np.maximum(rarg[0], 0)]], -1)
        return ReverseScores(value, need, offer)

    def points(self, config: Any, forward_mode: bool, first: np.ndarray, reverse: np.ndarray) -> np.ndarray:
        """Points per candidate: all of ``reverse`` for a query without needs, else by ``config.fusion``."""
        w = config.weights
        if not forward_mode:
            return reverse
        if config.fusion == "gated":
            gate = np.minimum(1.0, 2 * first / max(w.dense + w.sparse + w.concept, 1e-9))
            return w.reverse * gate * reverse
        if config.fusion == "additive":
            return w.reverse * reverse
        return np.zeros(len(reverse), np.float32)

    def part(self, index: Any, rs: ReverseScores, points: np.ndarray, j: int) -> Part | None:
        if not (points[j] > 0 and rs.need[j] >= 0):
            return None
        ev = {"their_need": index.needs.object[int(rs.need[j])], "our_offer": index.offers.object[int(rs.offer[j])]}
        weight = float(points[j] / rs.value[j]) if rs.value[j] else 0.0
        return Part(self.name, float(rs.value[j]), weight, float(points[j]), ev)

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        if part.points <= 0:
            return []
        their, ours = clip(part.evidence.get("their_need", "")), clip(part.evidence.get("our_offer", ""))
        if ex.side == "query":
            return [f"对方需求“{their}”可由您的“{ours}”满足" if ex.lang == "zh" else
                    f"they need “{their}”, which your “{ours}” meets"]
        return [f"您需要的“{their}”↔ 对方提供的“{ours}”" if ex.lang == "zh" else f"you need “{their}” ↔ they offer “{ours}”"]
