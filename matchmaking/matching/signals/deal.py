"""Who is the investor in a pair about capital: shared by the signals that judge a deal (``focus``,
``stage``, ``capacity``). A pair is about capital when its relation is 'investor' or 'investment
opportunity' and one side is an investor; the other side is the investee (a project, or an organisation
raising capital)."""

from __future__ import annotations

import numpy as np

from ..relations import ORG_TYPES, RELATIONS
from .base import Pairs

__all__ = ["deal_sides", "MONEY_RELATIONS"]

_INVESTOR = ORG_TYPES.index("investor")
MONEY_RELATIONS = (RELATIONS.index("investor"), RELATIONS.index("investment_opportunity"))


def deal_sides(pairs: Pairs) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate, (investor row, investee row), both -1 where the pair is not about capital. Computed
    once per ``Pairs``: ``focus``, ``stage`` and ``capacity`` ask for it, for every candidate and for each
    listed one."""
    return pairs.derive("deal_sides", _deal_sides)


def _deal_sides(pairs: Pairs) -> tuple[np.ndarray, np.ndarray]:
    ix = pairs.index
    q = np.full(len(pairs.cand), pairs.q, dtype=np.int64)
    money = np.isin(pairs.relation, MONEY_RELATIONS)
    cand_inv = money & (ix.org_type[pairs.cand] == _INVESTOR)
    query_inv = money & ~cand_inv & (ix.org_type[pairs.q] == _INVESTOR)
    investor = np.where(cand_inv, pairs.cand, np.where(query_inv, q, -1))
    investee = np.where(cand_inv, q, np.where(query_inv, pairs.cand, -1))
    return investor, investee
