"""投资方向相符 investment focus fits: the investee works in a chain the investor invests in.

An investor's chains are those its texts name ('集成电路和人工智能', 'biopharma and medtech':
``reference.chains_named``) and those of the products it names; an investee's are those of its industry
code, its products (``MatchIndex.own_segments``) and the sectors its texts name. Only for pairs about
capital (``deal``); silent when either side names no chain, 0 when both do and none is shared.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...reference import chain_of_code, chains, chains_named, chains_of
from ..relations import ORG_TYPES
from ..result import Part
from .base import Explained, Pairs, PairSignal
from .deal import deal_sides

__all__ = ["Focus"]


_INVESTOR = ORG_TYPES.index("investor")


class Focus(PairSignal):
    name = "focus"
    label_zh = "投资方向相符"
    label_en = "investment focus fits"

    def prepare(self, index: Any) -> np.ndarray:
        """Each party's chains as bits (in ``chains().chain_ids()`` order)."""
        bit = {c: 1 << i for i, c in enumerate(chains().chain_ids())}
        out = np.zeros(index.n, dtype=np.int64)
        P = index.parties
        for i, (code, name, desc, offers, seeks) in enumerate(zip(P["industry_code"], P["name"], P["description"],
                                                                 P["offers"], P["seeks"], strict=True)):
            found = {*chains_of(index.own_segments[i]), chain_of_code(code),
                     *chains_named(f"{name} {desc} {offers} {seeks if index.org_type[i] == _INVESTOR else ''}")}
            out[i] = sum(bit[c] for c in found if c in bit)
        return out

    def values(self, pairs: Pairs) -> np.ndarray:
        bits = pairs.index.prepared[self.name]
        investor, investee = deal_sides(pairs)
        known = (investor >= 0) & (bits[investor] != 0) & (bits[investee] != 0)
        shared = (bits[investor] & bits[investee]) != 0
        return np.where(known, shared.astype(np.float64), np.nan)

    def evidence(self, pairs: Pairs, j: int) -> dict[str, Any]:
        bits = pairs.index.prepared[self.name]
        investor, investee = (int(x[j]) for x in deal_sides(pairs))
        ids = chains().chain_ids()
        names = lambda b: [c for i, c in enumerate(ids) if b >> i & 1]  # noqa: E731
        return {"investor_chains": names(bits[investor]), "investee_chains": names(bits[investee]),
                "shared": names(bits[investor] & bits[investee])}

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        shared = part.evidence.get("shared") or []
        if not shared:
            return []
        names = "、".join(chains().chain_name(c, "zh") for c in shared) if ex.lang == "zh" else \
            ", ".join(chains().chain_name(c, "en") for c in shared)
        return [f"投资方向相符：{names}" if ex.lang == "zh" else f"investment focus fits: {names}"]
