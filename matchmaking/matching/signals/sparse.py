"""关键词重合 shared terms: TF-IDF over Chinese characters and bigrams and English words (``text.tokens``),
exact on Chinese terms without a word segmenter.

One vocabulary over needs and offers; retrieval looks at rare terms only (a term in at most 1 % of the
offers, or 20), which is what makes a shared term informative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..arrays import csr_topk, rows_dot
from ..text import tokens
from .base import StatementChannel

__all__ = ["Sparse"]


@dataclass
class _State:
    vectorizer: Any
    need: sp.csr_matrix  # need statements × terms
    offer: sp.csr_matrix  # offer statements × terms
    need_rare: sp.csr_matrix
    offer_rare: sp.csr_matrix
    offer_rare_t: sp.csr_matrix  # the retrieval's other operands, transposed once
    need_rare_t: sp.csr_matrix


class Sparse(StatementChannel):
    name = "sparse"
    label_zh = "关键词重合"
    label_en = "shared terms"

    def build(self, index: Any) -> _State:
        from sklearn.feature_extraction.text import TfidfVectorizer

        # the tokens of texts an earlier build read are remembered (``index.memo``); the vectorizer kept
        # in the index tokenises with ``tokens`` itself
        vectorizer = TfidfVectorizer(analyzer=index.memo.of(tokens), sublinear_tf=True, max_df=0.2, dtype=np.float32)
        corpus = index.needs.object + index.offers.object  # objects only: qualifiers share words across chains
        try:  # one pass over the texts: fit and transform together, then split needs from offers
            both = vectorizer.fit_transform(corpus).tocsr()
        except ValueError:  # an empty index (a new database) still gets a vocabulary
            vectorizer.set_params(max_df=1.0).fit(["empty"])
            both = (vectorizer.transform(corpus) if corpus else
                    sp.csr_matrix((0, len(vectorizer.vocabulary_)), dtype=np.float32)).tocsr()
        vectorizer.set_params(analyzer=tokens)
        need = both[:len(index.needs.text)]
        offer = both[len(index.needs.text):]
        df = np.bincount(offer.indices, minlength=offer.shape[1])
        rare = sp.diags((df <= max(20, 0.01 * max(len(index.offers.text), 1))).astype(np.float32))
        offer_rare = (offer @ rare).tocsr()
        offer_rare.eliminate_zeros()
        need_rare = (need @ rare).tocsr()
        need_rare.eliminate_zeros()
        # a few rows times a CSR keeps the product proportional to the terms they share, where ``@ m.T``
        # converted all of ``m`` on every call
        return _State(vectorizer, need, offer, need_rare, offer_rare, offer_rare.T.tocsr(), need_rare.T.tocsr())

    def scores(self, index: Any, config: Any, need_rows: np.ndarray, offer_rows: np.ndarray) -> np.ndarray:
        s: _State = index.sparse
        return np.minimum(1.0, rows_dot(s.need, need_rows, s.offer, offer_rows) / config.sparse_full)

    def retrieve(self, index: Any, config: Any, need_rows: np.ndarray, k: int, found: list[set[int]]) -> None:
        s: _State = index.sparse
        for i, cols in enumerate(csr_topk(s.need_rare[need_rows] @ s.offer_rare_t, k)):
            found[i].update(cols.tolist())

    def retrieve_reverse(self, index: Any, config: Any, offer_rows: np.ndarray, k: int, found: set[int]) -> None:
        s: _State = index.sparse
        for cols in csr_topk(s.offer_rare[offer_rows] @ s.need_rare_t, k):
            found.update(cols.tolist())
