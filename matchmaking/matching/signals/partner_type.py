"""合作类型相符 partnership type fits: each side lists the partnership this pair would be.

Half a point for the query listing the partner it wants (a supplier, when the candidate would be its
supplier), half for the candidate listing the role it would play (a customer). Silent when neither does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..relations import RELATIONS
from .base import Pairs, PairSignal

__all__ = ["PartnerType", "PARTNER_TYPES"]

PARTNER_TYPES = ("supplier", "customer", "rd_partner", "production_base", "investor", "investee")
_BITS = {t: 1 << i for i, t in enumerate(PARTNER_TYPES)}
# the partner type a party lists to say it wants this relation (query side) / plays it (candidate side)
_WANTS_TYPE = {"supplier": "supplier", "customer": "customer", "rd_partner": "rd_partner",
               "production_base": "production_base", "investor": "investor", "investment_opportunity": "investee"}
_PLAYS_TYPE = {"supplier": "customer", "customer": "supplier", "rd_partner": "rd_partner",
               "production_base": "production_base", "investor": "investee", "investment_opportunity": "investor"}
_WANTS = np.array([_BITS[_WANTS_TYPE[r]] for r in RELATIONS], dtype=np.int16)
_PLAYS = np.array([_BITS[_PLAYS_TYPE[r]] for r in RELATIONS], dtype=np.int16)


class PartnerType(PairSignal):
    name = "partner_type"
    label_zh = "合作类型相符"
    label_en = "partnership type fits"

    def prepare(self, index: Any) -> np.ndarray:
        """Each party's listed partner types as bits."""
        return np.array([sum(_BITS.get(t, 0) for t in ts) for ts in index.partner_types], dtype=np.int16)

    def values(self, pairs: Pairs) -> np.ndarray:
        mask = pairs.index.prepared[self.name]
        fit = (((mask[pairs.q] & _WANTS[pairs.relation]) > 0).astype(np.float32)
               + ((mask[pairs.cand] & _PLAYS[pairs.relation]) > 0).astype(np.float32)) / 2
        return np.where(fit > 0, fit, np.float32(np.nan))

    def evidence(self, pairs: Pairs, j: int) -> dict[str, Any]:
        ix = pairs.index
        return {"query_types": list(ix.partner_types[pairs.q]),
                "candidate_types": list(ix.partner_types[int(pairs.cand[j])])}
