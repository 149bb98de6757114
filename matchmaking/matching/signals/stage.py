"""投资阶段相符 round fits: the round the investee is raising is one the investor invests in.

Rounds on one scale: 0 seed/angel (种子、天使), 1 A (Pre-A, A+), 2 B, 3 C and later growth rounds,
4 pre-IPO, IPO and M&A (并购). An investor's rounds are read from its texts, ranges included ('A轮至C轮',
'Series B to pre-IPO', '天使轮和A轮'; 早期/early stage = 0–1, 成长期/growth = 2–3, 中后期/late stage = 3–4);
an investee's from what it says about its raise ('C轮融资约3亿元', 'raising a Series B') and, for a
project, its stage (构想 idea 0, 研发 rd 0–1, 中试 pilot 1–2, 扩产 expansion 2–4). 1 when the rounds
overlap, 0.5 one round apart, else 0; silent when either side says nothing. Only for pairs about capital.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..relations import ORG_TYPES
from ..result import Part
from .base import Explained, Pairs, PairSignal
from .deal import deal_sides

__all__ = ["Stage", "rounds_in", "ROUND_NAMES"]

ROUND_NAMES = {0: ("种子/天使轮", "seed/angel"), 1: ("A轮", "Series A"), 2: ("B轮", "Series B"),
               3: ("C轮及以后", "Series C+"), 4: ("Pre-IPO/并购", "pre-IPO/M&A")}
_PROJECT_STAGE = {"idea": (0,), "rd": (0, 1), "pilot": (1, 2), "expansion": (2, 3, 4)}
# one mention of a round (or of a span of rounds), with the rounds it stands for
_MENTIONS: tuple[tuple[tuple[int, ...], re.Pattern[str]], ...] = tuple((r, re.compile(p, re.I)) for r, p in (
    ((4,), r"pre-?ipo|上市前|(?<![a-z])ipo(?![a-z])|并购|m&a|buy-?outs?|控股收购"),
    ((0,), r"种子|天使|(?<![a-z])(?:pre-?)?seed(?![a-z])|(?<![a-z])angels?(?![a-z])"),
    ((1,), r"pre-?a(?![a-z])|(?<![a-z])a\+?\s*轮|(?:series|round)\s*a(?![a-z])|(?<![a-z])a[\s-]round"),
    ((2,), r"(?<![a-z])b\+?\s*轮|(?:series|round)\s*b(?![a-z])|(?<![a-z])b[\s-]round"),
    ((3,), r"(?<![a-z])[c-f]\+?\s*轮|(?:series|round)\s*[c-f](?![a-z])|(?<![a-z])[c-f][\s-]round"),
    ((0, 1), r"早期|初创|天使期|(?<![a-z])early[\s-]*stage|(?<![a-z])start-?ups?(?![a-z])"),
    ((2, 3), r"成长期|成长阶段|扩张期|(?<![a-z])growth(?:[\s-]*(?:stage|equity|round|capital))?(?![a-z])"),
    ((3, 4), r"中后期|后期|成熟期|(?<![a-z])(?:late|later)[\s-]*stage"),
))
# 'A轮至C轮', 'A-C轮', 'Series A to C', 'Series B through D': a span written with one word for 'round'
_SPAN = re.compile(r"(?<![a-z])(?:series\s*)?([a-f])\+?\s*轮?\s*(?:至|到|-|–|—|~|～|to|through)\s*(?:series\s*)?([a-f])"
                   r"(?:\+?\s*轮|(?![a-z]))", re.I)
_CONNECTOR = re.compile(r"^\s*(?:至|到|-|–|—|~|～|to|through|up to)\s*$", re.I)
_LETTER = {"a": 1, "b": 2, "c": 3, "d": 3, "e": 3, "f": 3}


def rounds_in(text: str) -> frozenset[int]:
    """The rounds a text names (see the module's scale), spans filled in: 'Series B to pre-IPO' → {2, 3, 4}."""
    found: set[int] = set()
    for m in _SPAN.finditer(text):
        a, b = sorted((_LETTER[m.group(1).lower()], _LETTER[m.group(2).lower()]))
        found.update(range(a, b + 1))
    mentions = sorted((m.start(), m.end(), r) for r, p in _MENTIONS for m in p.finditer(text))
    for (_, e1, r1), (s2, _, r2) in zip(mentions, mentions[1:], strict=False):
        if s2 >= e1 and _CONNECTOR.match(text[e1:s2]):  # 'B轮至Pre-IPO', 'seed to Series A'
            found.update(range(min(r1), max(r2) + 1))
    for _, _, r in mentions:
        found.update(r)
    return frozenset(found)


_INVESTOR = ORG_TYPES.index("investor")


def _rounds(bits: int) -> list[int]:
    """The rounds (``ROUND_NAMES``' keys, ascending) whose bits are set (``Stage.prepare``)."""
    return [r for r in ROUND_NAMES if int(bits) >> r & 1]


class Stage(PairSignal):
    name = "stage"
    label_zh = "投资阶段相符"
    label_en = "round fits"

    def prepare(self, index: Any) -> np.ndarray:
        """Each party's rounds as bits (round r → bit r): an investor's from its texts, an investee's from its
        raise and stage."""
        P = index.parties
        out = []
        for i, (offers, seeks, desc, stage) in enumerate(zip(P["offers"], P["seeks"], P["description"], P["stage"],
                                                          strict=True)):
            if index.org_type[i] == _INVESTOR:  # investor
                out.append(rounds_in(f"{offers} {seeks}") or rounds_in(desc))
            else:
                out.append(rounds_in(index.capital_text[i]) or frozenset(_PROJECT_STAGE.get(stage, ())))
        return np.array([sum(1 << r for r in rs) for rs in out], dtype=np.int64)

    def values(self, pairs: Pairs) -> np.ndarray:
        bits = pairs.index.prepared[self.name]
        out = np.full(len(pairs.cand), np.nan)
        investor, investee = deal_sides(pairs)
        j = np.flatnonzero(investor >= 0)  # the pairs about capital only
        a, b = bits[investor[j]], bits[investee[j]]
        # a round in common → 1; none, but two rounds next to each other (B and C) → 0.5; else 0
        fit = np.where((a & b) != 0, 1.0, np.where((((a << 1) | (a >> 1)) & b) != 0, 0.5, 0.0))
        out[j] = np.where((a != 0) & (b != 0), fit, np.nan)  # silent where either side names no round
        return out

    def evidence(self, pairs: Pairs, j: int) -> dict[str, Any]:
        bits = pairs.index.prepared[self.name]
        investor, investee = (int(x[j]) for x in deal_sides(pairs))
        return {"investor_rounds": _rounds(bits[investor]), "investee_rounds": _rounds(bits[investee])}

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        if part.value <= 0:
            return []
        k = 0 if ex.lang == "zh" else 1
        theirs = "、".join(ROUND_NAMES[r][k] for r in part.evidence["investee_rounds"]) if k == 0 else \
            ", ".join(ROUND_NAMES[r][k] for r in part.evidence["investee_rounds"])
        ours = "、".join(ROUND_NAMES[r][k] for r in part.evidence["investor_rounds"]) if k == 0 else \
            ", ".join(ROUND_NAMES[r][k] for r in part.evidence["investor_rounds"])
        fit = ("在" if part.value >= 1 else "接近") if k == 0 else ("within" if part.value >= 1 else "next to")
        if k == 0:
            return [f"融资轮次 {theirs} {fit}投资方阶段（{ours}）"]
        return [f"round {theirs} is {fit} the investor's stages ({ours})"]
