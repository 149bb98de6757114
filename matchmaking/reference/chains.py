"""The curated industry chains (产业链): segments, their products in Chinese and English, who feeds whom.

From ``data/reference/industry_chains.csv``. Reference data only: no matching, no database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .paths import read_reference

__all__ = ["Segment", "Chains", "chains", "chain_of_code", "chain_order", "chains_of", "chains_named"]

_STAGES = {"upstream": 0, "midstream": 1, "downstream": 2, "support": 3}


@dataclass(frozen=True)
class Segment:
    segment_id: str
    chain_id: str
    chain_zh: str
    chain_en: str
    stage: str
    name_zh: str
    name_en: str
    products_zh: tuple[str, ...]
    products_en: tuple[str, ...]
    gbt_codes: tuple[str, ...]
    feeds_into: tuple[str, ...]


@dataclass(frozen=True)
class Chains:
    """The curated industry chains: segments, products (zh and en) and who feeds whom."""

    segments: dict[str, Segment]

    def chain_ids(self) -> list[str]:
        return sorted({s.chain_id for s in self.segments.values()})

    def chain_name(self, chain_id: str, lang: str = "zh") -> str:
        seg = next(s for s in self.segments.values() if s.chain_id == chain_id)
        return seg.chain_zh if lang == "zh" else seg.chain_en

    def segments_for_code(self, industry_code: str) -> list[Segment]:
        """Segments whose GB/T 4754 classes include this code (4-digit class, or a parent prefix)."""
        if not industry_code:
            return []
        return [s for s in self.segments.values() if any(c.startswith(industry_code) or industry_code.startswith(c)
                                                         for c in s.gbt_codes)]

    def feeds(self, upstream: str, downstream: str) -> bool:
        return downstream in self.segments[upstream].feeds_into


@cache
def chains() -> Chains:
    segs = {}
    for r in read_reference("industry_chains.csv"):
        segs[r["segment_id"]] = Segment(
            segment_id=r["segment_id"], chain_id=r["chain_id"], chain_zh=r["chain_zh"], chain_en=r["chain_en"],
            stage=r["stage"], name_zh=r["segment_zh"], name_en=r["segment_en"],
            products_zh=tuple(p.strip() for p in r["products_zh"].split("、") if p.strip()),
            products_en=tuple(p.strip() for p in r["products_en"].split(";") if p.strip()),
            gbt_codes=tuple(c for c in r["gbt4754_codes"].split(";") if c),
            feeds_into=tuple(c for c in r["feeds_into"].split(";") if c),
        )
    return Chains(segs)


def chains_of(segment_ids: Iterable[str]) -> tuple[str, ...]:
    """The chains (``IC``, ``BIO`` …) of some segments (``IC-U3`` …), each once, in order of appearance."""
    return tuple(dict.fromkeys(s.split("-")[0] for s in segment_ids))


def chain_of_code(industry_code: object) -> str:
    """The industry chain an industry code belongs to (first match in the chain table), or ''."""
    if not isinstance(industry_code, str) or not industry_code:
        return ""
    digits = industry_code.lstrip("ABCDEFGHIJKLMNOPQRST")
    segs = chains().segments_for_code(digits)
    return segs[0].chain_id if segs else ""


@cache
def chain_order(chain_id: str) -> tuple[str, ...]:
    """The segments of a chain from upstream to downstream: a topological order of ``feeds_into`` within
    the chain (ties by stage, then id), support segments last."""
    segs = {s.segment_id: s for s in chains().segments.values() if s.chain_id == chain_id}
    indeg = {s: 0 for s in segs}
    for s in segs.values():
        for t in s.feeds_into:
            if t in segs:
                indeg[t] += 1
    key = lambda s: (_STAGES.get(segs[s].stage, 9), s)  # noqa: E731
    ready = sorted((s for s, d in indeg.items() if d == 0), key=key)
    out: list[str] = []
    while ready:
        s = ready.pop(0)
        out.append(s)
        for t in segs[s].feeds_into:
            if t in segs:
                indeg[t] -= 1
                if indeg[t] == 0:
                    ready.append(t)
        ready.sort(key=key)
    out += sorted((s for s in segs if s not in out), key=key)  # a cycle, should the table ever get one
    return tuple(sorted(out, key=lambda s: segs[s].stage == "support"))


@cache
def _sector_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Per chain, one pattern of the words that name the whole chain (``chain_sector_terms.csv``): Chinese
    terms as written, Latin ones (English, CRO, AIGC) as whole words (a plural too), any case."""
    out = []
    for r in read_reference("chain_sector_terms.csv"):
        terms = [t for t in (*r["zh_terms"].split(";"), *r["en_terms"].split(";")) if t]
        parts = [r"(?<![A-Za-z])" + re.escape(t).replace(r"\ ", r"[\s-]+") + r"(?:e?s)?(?![A-Za-z])" if t.isascii()
                 else re.escape(t) for t in terms]
        out.append((r["chain_id"], re.compile("|".join(sorted(parts, key=len, reverse=True)), re.I)))
    return tuple(out)


def chains_named(text: str) -> tuple[str, ...]:
    """The chains a text names as a whole, the way investors, parks and policies write a sector
    ('集成电路和人工智能', 'biopharma and medtech', 'new-materials companies'), in the file's order."""
    return tuple(chain for chain, pattern in _sector_patterns() if pattern.search(text or ""))
