"""资金需求 capital need ↔ investor: a capital need ('C轮融资约3亿元', 'raising a CNY 150 million Series B') met by
an investor's offer.

What the two texts share says little about the fit: every investor writes about rounds, amounts and equity,
and which blurb happens to be worded like the raise is noise (on dev it put a healthcare fund first for a
chip maker whose own investors came 40th). So the statement channels are not read for these pairs: the
pair gets ``Weights.capital`` points as a statement pair, and what an investor judges — focus, round and
ticket (``focus``, ``stage``, ``capacity``) — decides among investors. Chosen on dev: the points of a
capital need met were flat between 0.25 and 0.40 (nDCG@10 0.716–0.718, against 0.692 from the texts);
0.30 is taken from the middle.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..relations import INTENTS, ORG_TYPES
from ..result import Part
from .base import Explained, Signal, clip

__all__ = ["Capital", "capital_cells"]

_CAPITAL = INTENTS.index("capital")
_INVESTOR = ORG_TYPES.index("investor")


def capital_cells(index: Any, need_rows: np.ndarray, offer_rows: np.ndarray) -> np.ndarray | None:
    """need rows × offer rows: a capital need against an investor's offer (None when no need row asks for
    capital: most queries, so the hot path allocates nothing)."""
    capital = index.needs.intent[need_rows] == _CAPITAL
    if not capital.any():
        return None
    return capital[:, None] & (index.org_type[index.offers.party[offer_rows]] == _INVESTOR)[None, :]


class Capital(Signal):
    name = "capital"
    label_zh = "融资需求 ↔ 投资方"
    label_en = "capital need ↔ investor"

    def part(self, config: Any, evidence: dict[str, Any]) -> Part:
        w = self.weight(config)
        return Part(self.name, 1.0, w, w, evidence)

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        need, offer = clip(part.evidence.get("need", "")), clip(part.evidence.get("offer", ""))
        if ex.side == "query":
            return [f"您的融资需求“{need}” ↔ 对方投资“{offer}”" if ex.lang == "zh" else
                    f"your capital need “{need}” ↔ their investing “{offer}”"]
        return [f"对方的融资需求“{need}” ↔ 您的投资“{offer}”" if ex.lang == "zh" else
                f"their capital need “{need}” ↔ your investing “{offer}”"]
