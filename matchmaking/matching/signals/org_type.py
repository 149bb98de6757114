"""机构类型相符 organisation type fits: how plausible the candidate's type is in the relation it would have
(a university as an R&D partner: 1; an investor as a supplier: 0). Always shown."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..relations import ORG_TYPES, RELATIONS
from .base import Pairs, PairSignal

__all__ = ["OrgType", "ORG_TYPE_FIT"]

#: organisation type → how plausible it is in each relation, in [0, 1]; a project fits every relation
ORG_TYPE_FIT = {
    "supplier": {"enterprise": 1.0, "institute": 0.6, "university": 0.3, "investor": 0.0},
    "customer": {"enterprise": 1.0, "institute": 0.6, "university": 0.5, "investor": 0.0},
    "rd_partner": {"university": 1.0, "institute": 1.0, "enterprise": 0.6, "investor": 0.0},
    "production_base": {"enterprise": 1.0, "institute": 0.3, "university": 0.1, "investor": 0.0},
    "investor": {"investor": 1.0, "enterprise": 0.3, "institute": 0.0, "university": 0.0},
    "investment_opportunity": {"enterprise": 1.0, "institute": 0.5, "university": 0.3, "investor": 0.0},
}
# [relation, org type (ORG_TYPES order)]
_FIT = np.array([[1.0 if t == "project" else ORG_TYPE_FIT[rel].get(t, 0.5) for t in ORG_TYPES]
                 for rel in RELATIONS], dtype=np.float32)


class OrgType(PairSignal):
    name = "org_type"
    label_zh = "机构类型相符"
    label_en = "organisation type fits"

    def values(self, pairs: Pairs) -> np.ndarray:
        return _FIT[pairs.relation, pairs.index.org_type[pairs.cand]]

    def evidence(self, pairs: Pairs, j: int) -> dict[str, Any]:
        return {"relation": RELATIONS[int(pairs.relation[j])],
                "org_type": ORG_TYPES[pairs.index.org_type[int(pairs.cand[j])]]}
