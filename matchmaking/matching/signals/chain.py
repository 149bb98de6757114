"""产业链上下游 chain link: the candidate's segment feeds one of the query's, or the other way round.

A party's segments are what it *is*: those of its industry code, its offers and its description
(``MatchIndex.own_segments``); ``feeds_into`` comes from the chain table (``data/reference``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from ...reference import chains
from ..result import Part
from .base import Explained, Pairs, PairSignal

__all__ = ["Chain", "segment_name"]


@dataclass(frozen=True)
class _State:
    seg_bool: np.ndarray  # parties × segments: the party is in the segment
    feeds_to: np.ndarray  # parties × segments: the party supplies into the segment


def segment_name(segment_id: str, lang: str) -> str:
    seg = chains().segments.get(segment_id)
    if seg is None:
        return segment_id
    return seg.name_zh if lang == "zh" else seg.name_en


class Chain(PairSignal):
    name = "chain"
    label_zh = "产业链上下游"
    label_en = "chain link"

    def prepare(self, index: Any) -> _State:
        segs = chains().segments
        sidx = index.segment_index
        feeds = [(sidx[a], sidx[b]) for a, s in segs.items() for b in s.feeds_into if a in sidx and b in sidx]
        S = len(sidx)
        feeds_m = sp.csr_matrix((np.ones(len(feeds), np.float32), ([a for a, _ in feeds], [b for _, b in feeds])),
                                shape=(S, S))
        rows = [i for i, ss in enumerate(index.own_segments) for s in ss if s in sidx]
        cols = [sidx[s] for ss in index.own_segments for s in ss if s in sidx]
        party_seg = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(index.n, S))
        return _State(party_seg.toarray() > 0, (party_seg @ feeds_m).toarray() > 0)

    def values(self, pairs: Pairs) -> np.ndarray:
        st: _State = pairs.index.prepared[self.name]
        q, cand = pairs.q, pairs.cand
        fwd = (st.feeds_to[cand] & st.seg_bool[q]).any(axis=1)
        rev = (st.seg_bool[cand] & st.feeds_to[q]).any(axis=1)
        return np.where(fwd | rev, 1.0, np.nan)

    def evidence(self, pairs: Pairs, j: int) -> dict[str, Any]:
        ix = pairs.index
        segs = chains().segments
        qs, cs = ix.own_segments[pairs.q], ix.own_segments[int(pairs.cand[j])]
        link = next(((a, b, "feeds_query") for a in cs for b in qs if a in segs and b in segs[a].feeds_into), None) \
            or next(((a, b, "fed_by_query") for a in qs for b in cs if a in segs and b in segs[a].feeds_into), None)
        assert link is not None, "values() found a link"
        return {"from": link[0], "to": link[1], "direction": link[2]}

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        a, b = segment_name(part.evidence["from"], ex.lang), segment_name(part.evidence["to"], ex.lang)
        return [f"产业链：{a} → {b}" if ex.lang == "zh" else f"chain link: {a} → {b}"]


