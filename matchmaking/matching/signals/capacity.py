"""投资规模相符 ticket size fits: the investee's raise against an investor's ticket range.

Ticket sizes are read from the investor's own prose (``单笔投资2000万至2亿元``, ``tickets of USD 3-15m``);
the raise from what the investee says it is raising (``C轮融资约3亿元``, ``a CNY 150 million Series B``),
else a project's ``investment_wan``. Only for pairs about capital (``deal``); silent when either side is
unknown.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from ..result import Part
from .base import Explained, Pairs, PairSignal
from .deal import deal_sides

__all__ = ["Capacity", "parse_money_range", "capacity_fit", "capacity_fits"]


_UNITS = {"万": 1.0, "万元": 1.0, "亿": 10_000.0, "亿元": 10_000.0, "千万": 1_000.0, "百万": 100.0,
          "k": 0.1, "thousand": 0.1, "m": 100.0, "mn": 100.0, "mio": 100.0, "million": 100.0,
          "b": 100_000.0, "bn": 100_000.0, "billion": 100_000.0}
_USD = 7.2  # CNY per USD, fixed and documented: ticket sizes are rough
_AMOUNT = re.compile(
    r"(?P<cur>rmb|cny|usd|us\$|\$|￥|¥|人民币|美元)?\s*"
    r"(?P<a>\d+(?:\.\d+)?)\s*(?P<unit1>千万|百万|万元?|亿元?|million|billion|thousand|mn|bn|mio|[kmb](?![a-z]))?\s*"
    r"(?:(?:-|–|—|~|～|至|到|to|and)\s*(?P<cur2>rmb|cny|usd|us\$|\$|￥|¥)?\s*(?P<b>\d+(?:\.\d+)?)\s*"
    r"(?P<unit2>千万|百万|万元?|亿元?|million|billion|thousand|mn|bn|mio|[kmb](?![a-z]))?)?\s*"
    r"(?P<cur3>rmb|cny|usd|美元|人民币|元)?", re.I)
_TICKET_CONTEXT = re.compile(r"单笔|单个项目|每个项目|投资额|投资规模|出资|ticket|cheque|check size|per deal|"
                             r"invest(?:ment)? (?:size|range|of)|between|from", re.I)


def parse_money_range(text: str) -> tuple[float, float] | None:
    """A ticket-size range in 万元 read from prose ('单笔投资2000万至2亿元', 'tickets of USD 3-15m',
    'RMB 20–200 million'); None when the text states none. USD at 7.2 CNY."""
    best = None
    for m in _AMOUNT.finditer(text):
        unit1, unit2 = (m.group("unit1") or "").lower(), (m.group("unit2") or "").lower()
        if not (unit1 or unit2):
            continue
        a = float(m.group("a"))
        b = float(m.group("b")) if m.group("b") else None
        u2 = _UNITS.get(unit2 or unit1, 1.0)
        u1 = _UNITS.get(unit1, u2) if unit1 else u2
        cur = " ".join(filter(None, (m.group("cur"), m.group("cur2"), m.group("cur3")))).lower()
        fx = _USD if ("usd" in cur or "$" in cur or "美元" in cur) else 1.0
        lo, hi = a * u1 * fx, (b * u2 * fx if b is not None else a * u1 * fx)
        window = text[max(0, m.start() - 30): m.end() + 10]
        score = (b is not None) + bool(_TICKET_CONTEXT.search(window))
        if lo > 0 and (best is None or score > best[0]):
            best = (score, (min(lo, hi), max(lo, hi)))
    return best[1] if best else None


def capacity_fits(amount_wan: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Element-wise: 1.0 inside the ticket range [lo, hi], falling with the log-distance outside it (0.5 at
    3x, ~0 at 30x); NaN where the amount (≤ 0 or NaN) or the ticket (NaN) is unknown: the signal is silent,
    not negative."""
    out = np.full(len(amount_wan), np.nan)
    k = np.flatnonzero((amount_wan > 0) & ~np.isnan(lo))
    a, low, high = amount_wan[k], lo[k], hi[k]
    ratio = np.where(a < low, low / a, a / high)
    out[k] = np.where((low <= a) & (a <= high), 1.0, np.maximum(0.0, 1.0 - np.log10(ratio) / math.log10(30)))
    return out


def capacity_fit(amount_wan: float | None, ticket: tuple[float, float] | None) -> float | None:
    """``capacity_fits`` of one amount and one ticket range; None when either side is unknown."""
    if amount_wan is None or ticket is None:
        return None
    v = capacity_fits(np.array([amount_wan], np.float64), *(np.array([x], np.float64) for x in ticket))[0]
    return None if np.isnan(v) else float(v)


class Capacity(PairSignal):
    name = "capacity"
    label_zh = "投资规模相符"
    label_en = "ticket size fits"

    def prepare(self, index: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(each party's raise in 万元: what it says it is raising ('C轮融资约3亿元'), else a project's
        investment; each investor's ticket range in 万元, read from its texts, as its low and high ends — NaN
        for everyone else)."""
        tickets = [parse_money_range(f"{r.offers} {r.seeks} {r.description}") if r.org_type == "investor" else None
                   for r in index.parties.itertuples()]
        raise_wan = index.amount.copy()
        for i, text in enumerate(index.capital_text):
            stated = parse_money_range(text) if text else None
            if stated:
                raise_wan[i] = math.sqrt(stated[0] * stated[1])
        lo = np.array([t[0] if t else np.nan for t in tickets], dtype=np.float64)
        hi = np.array([t[1] if t else np.nan for t in tickets], dtype=np.float64)
        return raise_wan, lo, hi

    def values(self, pairs: Pairs) -> np.ndarray:
        raise_wan, lo, hi = pairs.index.prepared[self.name]
        out = np.full(len(pairs.cand), np.nan)
        investor, investee = deal_sides(pairs)
        j = np.flatnonzero(investor >= 0)  # the pairs about capital only
        out[j] = capacity_fits(raise_wan[investee[j]], lo[investor[j]], hi[investor[j]])
        return out

    def evidence(self, pairs: Pairs, j: int) -> dict[str, Any]:
        raise_wan, lo, hi = pairs.index.prepared[self.name]
        investor, investee = (int(x[j]) for x in deal_sides(pairs))
        ticket = [] if np.isnan(lo[investor]) else [float(lo[investor]), float(hi[investor])]
        return {"amount_wan": float(raise_wan[investee]), "ticket_wan": ticket}

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        lo, hi = part.evidence["ticket_wan"]
        amt = part.evidence["amount_wan"]
        if ex.lang == "zh":
            fit = "在" if part.value >= 1 else "接近"
            return [f"融资额 {amt:,.0f} 万元{fit}投资方单笔范围 {lo:,.0f}–{hi:,.0f} 万元内"]
        fit = "within" if part.value >= 1 else "near"
        return [f"the raise of {amt:,.0f} (10k CNY) is {fit} the ticket range {lo:,.0f}–{hi:,.0f}"]
