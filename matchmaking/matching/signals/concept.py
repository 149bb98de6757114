"""产品/环节对应 same products/segment: both texts name the same concept of the industry-chain vocabulary
(``concepts.lexicon``: 光刻胶 and photoresist are one concept), or concepts of the same chain segment.

The value is 0.7 × the IDF-weighted share of the need's concepts the offer names + 0.3 × the share of
the need's segments the offer's concepts fall in. Retrieval looks at the concepts alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..arrays import csr_topk, rows_dots
from ..result import Part
from .base import Explained, StatementChannel
from .chain import segment_name

__all__ = ["Concept"]


@dataclass
class _State:
    offer_c: sp.csr_matrix  # offer statements × concepts (0/1)
    need_cw: sp.csr_matrix  # need statements × concepts, IDF weights summing to 1
    offer_c_t: sp.csr_matrix  # transposed once, for retrieval
    need_cw_t: sp.csr_matrix
    # concepts, then segments (0/1 for offers; IDF weights summing to 1 for needs), side by side: one
    # gather of rows scores both (``arrays.rows_dots``); ``bounds`` are where each block of columns starts
    offer_cs: sp.csr_matrix
    need_cs: sp.csr_matrix
    bounds: tuple[int, int, int]


def _incidence(index: Any, hits: list[Any], what: str, weighted: bool = False) -> sp.csr_matrix:
    rows, cols, vals = [], [], []
    idx = index.concept_index if what == "c" else index.segment_index
    for i, h in enumerate(hits):
        keys = list(h.concepts) if what == "c" else [s for s in h.segments if s != "*"]
        if not keys:
            continue
        w = np.array([index.lexicon.idf.get(k, 1.0) for k in keys], dtype=np.float32) if weighted else None
        total = float(w.sum()) if w is not None else 1.0
        for j, k in enumerate(keys):
            rows.append(i)
            cols.append(idx[k])
            vals.append(float(w[j]) / total if w is not None else 1.0)
    return sp.csr_matrix((np.array(vals, dtype=np.float32), (rows, cols)), shape=(len(hits), len(idx)),
                         dtype=np.float32)


class Concept(StatementChannel):
    name = "concept"
    label_zh = "产品/环节对应"
    label_en = "same products/segment"

    def build(self, index: Any) -> _State:
        offer_c = _incidence(index, index.offer_hits, "c")
        offer_s = _incidence(index, index.offer_hits, "s")
        need_cw = _incidence(index, index.need_hits, "c", weighted=True)
        need_sw = _incidence(index, index.need_hits, "s", weighted=True)
        n_c, n_s = offer_c.shape[1], offer_s.shape[1]
        return _State(offer_c, need_cw, offer_c.T.tocsr(), need_cw.T.tocsr(),
                      sp.hstack([offer_c, offer_s], format="csr", dtype=np.float32),
                      sp.hstack([need_cw, need_sw], format="csr", dtype=np.float32), (0, n_c, n_c + n_s))

    def scores(self, index: Any, config: Any, need_rows: np.ndarray, offer_rows: np.ndarray) -> np.ndarray:
        c: _State = index.concept
        concepts, segments = rows_dots(c.need_cs, need_rows, c.offer_cs, offer_rows, c.bounds)
        return 0.7 * concepts + 0.3 * segments

    def retrieve(self, index: Any, config: Any, need_rows: np.ndarray, k: int, found: list[set[int]]) -> None:
        c: _State = index.concept
        for i, cols in enumerate(csr_topk(c.need_cw[need_rows] @ c.offer_c_t, k)):
            found[i].update(cols.tolist())

    def retrieve_reverse(self, index: Any, config: Any, offer_rows: np.ndarray, k: int, found: set[int]) -> None:
        c: _State = index.concept
        for cols in csr_topk(c.offer_c[offer_rows] @ c.need_cw_t, k):
            found.update(cols.tolist())

    def evidence(self, index: Any, need_row: int, offer_row: int) -> dict[str, Any]:
        _, shared_c, shared_s = index.lexicon.similarity(index.need_hits[need_row], index.offer_hits[offer_row])
        return {"concepts": shared_c, "segments": shared_s}

    def own_reasons(self, part: Part, ex: Explained) -> list[str]:
        """The products (or segments) both sides name, for the party whose need it is."""
        if ex.side != "query" or part.value <= 0:
            return []
        lex = ex.index.lexicon
        names = [lex.concepts[c].name(ex.lang) for c in part.evidence.get("concepts", []) if c in lex.concepts]
        segs = [segment_name(s, ex.lang) for s in part.evidence.get("segments", [])]
        if names:
            return ["共同产品：" + "、".join(names[:4]) if ex.lang == "zh" else "same product: " + "; ".join(names[:4])]
        if segs:
            return ["同一产业环节：" + "、".join(segs[:3]) if ex.lang == "zh" else "same chain segment: " + "; ".join(segs[:3])]
        return []
