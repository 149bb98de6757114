"""What the stored outcomes say about a pair beyond its score parts: a collaborative (neighbourhood) signal,
and the pair's outcome from the other side.

Reciprocal recommenders that learn from outcomes do more than reweight their parts: a candidate accepted
for *similar* queries is likely right for this one too. The part ``collab`` (同类需求方已接洽 / accepted by
similar parties), from the outcomes of *other* queries only (a query's own outcomes never score its own
list): for query ``q`` and candidate ``c``, the similarity-weighted evidence about ``c`` from the
``neighbours`` queries with outcomes most similar to ``q``. Two queries are similar when their needs are
(cosine of their mean need vectors, from the matcher's index; only positive ones count) *and* the other was
judged on candidates ``q``'s own list holds (times the share of its judged candidates in ``q``'s first
``depth``): a query with like words but another relation, chain step or kind of partner was judged on other
candidates, and says little about ``q``'s. An acceptance (contacted … landed, or an expressed
interest) counts its grade (``outcomes.grade_of``: contacted 1, met 2 … landed 5: a pair taken further is
stronger evidence), a decline as not fit (grade 0) −1; a decline for timing, budget or an existing partner is
no evidence (no grade). The value is ``Σ sim·e / (Σ sim + prior)`` over the neighbours that judged ``c``: in
(−1, 5), shrunk towards 0 when little evidence exists.

The part ``mutual`` (对方已跟进 / followed up from their side): the same pair from the other side — its grade
(contacted 1 … landed 5) when staff took it forward on the candidate's own list, where the query came up as *its*
candidate; 0 otherwise. It counts only where the relation reads the same from both sides or is the converse of
the other side's (``TWO_WAY``: an investor and a deal, research partners, a customer here that took the query
up as its supplier there). Where the candidate would supply the query (a supplier, a production base), the
other side's follow-up was about the query supplying *it* — another relation — and says nothing here: on dev,
of the pairs taken forward from the other side that reach the query's top 50, 61 of 79 deals and investors were
right for the query's own list, and 3 of 38 suppliers. Not read: a decline on the other side's list (whether it
found the pair unfit is its own business, not the reader's; counting it as −1 gained nothing on dev, +0.0172
against +0.0180), an expressed interest (one side's interest is not told to the other before it is mutual, and
it is stored for both directions of the pair), and the query's own outcome of the pair (a declined pair leaves
its list through ``exposure``).

Both are added after the ranking (``FeedbackMatcher``) as a ``Part`` with its learned weight (``hst learn`` fits
it with the other weights; hand-set weight 0), so a score still is the sum of its parts and the explanation
says why a candidate moved. No outcome → value 0 and weight 0 → today's ranking exactly.

(A candidate's own track record — the same evidence over every other query, unweighted — was tried as a
second part and dropped: on dev it added nothing beyond the noise of the splits, see ``docs/feedback.md``.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..matching import Match, Matcher
from ..matching.result import Part
from ..matching.signals import SIGNALS, Explained, Signal
from .rank_learning import EXTRA

if TYPE_CHECKING:
    import pandas as pd

    from ..matching import MatchConfig, MatchIndex

__all__ = ["EXTRA", "TWO_WAY", "CollabPolicy", "Collaborative", "FeedbackMatcher"]

#: The relations (``matching.RELATIONS``) for which the other side's follow-up of the same pair is evidence about
#: it (the part ``mutual``): the same relation seen from both sides, or the converse of the other side's.
TWO_WAY: frozenset[str] = frozenset({"investor", "investment_opportunity", "rd_partner", "customer"})


@dataclass(frozen=True)
class CollabPolicy:
    """``neighbours``: how many of the most similar other queries count for ``collab``; ``prior``: the
    shrinkage (the evidence weight an unjudged candidate is assumed to have, at 0); ``depth``: how deep the
    matcher's list is read before the parts are added and the list re-ordered (and how much of a query's list
    the neighbours' judged candidates are looked for in)."""

    neighbours: int = 20
    prior: float = 1.0
    depth: int = 50


class Collaborative:
    """The outcomes of every query as evidence per candidate, and the similarity of queries, for ``values``."""

    def __init__(self, index: MatchIndex, outcomes: pd.DataFrame, policy: CollabPolicy | None = None) -> None:
        self.index = index
        self.policy = policy or CollabPolicy()
        graded = outcomes[outcomes.grade.notna()] if len(outcomes) else outcomes
        # e(q', c): the grade when accepted (1 … 5), −1 declined as not fit; only queries the index knows.
        # The pairs staff took forward on a query's own list (``mutual``), with their grade: an expressed
        # interest is not one — it is stored for both directions, and one side's interest is not told to the
        # other before it is mutual
        ev: dict[str, dict[str, float]] = {}
        self.taken_forward: dict[tuple[str, str], float] = {}
        statuses = graded.get("status", ["followed"] * len(graded))
        for q, c, g, st in zip(graded.get("query_id", []), graded.get("candidate_id", []), graded.get("grade", []),
                               statuses, strict=True):
            if q in index.id_to_row:
                ev.setdefault(q, {})[c] = float(g) if g >= 1 else -1.0
            if g >= 1 and st != "interest":
                self.taken_forward[(q, c)] = float(g)
        self.queries = sorted(ev)
        self.evidence = ev
        self._qpos = {q: i for i, q in enumerate(self.queries)}
        # who judged each candidate (positions in ``queries``), and how many each query judged: for ``neighbours``
        self._judged_by: dict[str, list[int]] = {}
        for q, cs in ev.items():
            for c in cs:
                self._judged_by.setdefault(c, []).append(self._qpos[q])
        self._n_judged = np.array([len(ev[q]) for q in self.queries], dtype=float)
        self._profiles = np.vstack([self.profile(index.id_to_row[q]) for q in self.queries]) if self.queries else None

    def __bool__(self) -> bool:
        return bool(self.queries)

    def profile(self, row: int) -> np.ndarray:
        """A party's mean need vector (its mean offer vector when it states no need), L2-normalised."""
        ix = self.index
        vecs = ix.need_vecs[ix.party_needs(row)]
        if not len(vecs) or not np.abs(vecs).sum():
            vecs = ix.offer_vecs[ix.party_offers(row)]
        dim = ix.need_vecs.shape[1] if ix.need_vecs.size else ix.offer_vecs.shape[1]
        v = vecs.mean(axis=0) if len(vecs) else np.zeros(dim, np.float32)
        n = float(np.linalg.norm(v))
        return (v / n if n > 0 else v).astype(np.float32)

    def neighbours(self, query_id: str, listed: Sequence[str] = ()) -> list[tuple[str, float]]:
        """The ``policy.neighbours`` other queries with outcomes most similar to ``query_id`` (similarity > 0).
        Similarity: the cosine of the two profiles and, given the query's list (``listed``, its first
        ``policy.depth``), times the share of the other query's judged candidates that are in it."""
        if self._profiles is None or query_id not in self.index.id_to_row:
            return []
        sims = np.maximum(self._profiles @ self.profile(self.index.id_to_row[query_id]), 0.0)
        if len(listed):
            shared = np.zeros(len(self.queries))
            for c in set(listed[:self.policy.depth]):
                for i in self._judged_by.get(c, ()):
                    shared[i] += 1
            sims = sims * shared / self._n_judged
        own = self._qpos.get(query_id)
        if own is not None:
            sims[own] = -np.inf
        k = min(self.policy.neighbours, len(sims))
        top = np.argsort(-sims, kind="stable")[:k]
        return [(self.queries[i], float(sims[i])) for i in top if sims[i] > 0]

    def values(self, query_id: str, candidate_ids: Sequence[str],
               relations: Sequence[str] | None = None) -> tuple[np.ndarray, list[dict[str, Any]]]:
        """Per candidate: the ``EXTRA`` values (rows) and the evidence each stands on (for the explanation).
        ``relations``: what each candidate is to the query (``Match.relation``), for ``mutual``; without them
        every relation counts as one of ``TWO_WAY``."""
        out = np.zeros((len(candidate_ids), len(EXTRA)))
        why: list[dict[str, Any]] = [{} for _ in candidate_ids]
        if not self.queries:
            return out, why
        prior = self.policy.prior
        near = self.neighbours(query_id, candidate_ids)
        for j, c in enumerate(candidate_ids):
            # the same pair from the other side: taken forward by staff on the candidate's own list
            two_way = relations is None or relations[j] in TWO_WAY
            theirs = self.taken_forward.get((c, query_id), 0.0) if two_way else 0.0
            num = den = 0.0
            acc: list[str] = []
            dec: list[str] = []
            for q, s in near:
                e = self.evidence[q].get(c)
                if e is None:
                    continue
                num += s * e
                den += s
                (acc if e > 0 else dec).append(q)
            value = {"collab": num / (den + prior) if den > 0 else 0.0, "mutual": theirs}
            out[j] = [value[k] for k in EXTRA]
            why[j] = {"accepted_by": acc, "declined_by": dec, "their_side": theirs}
        return out, why


class Collab(Signal):
    name = "collab"
    label_zh = "同类需求方已接洽"
    label_en = "accepted by similar parties"

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        # how many, never who: another party's follow-ups are not this reader's business (``evidence`` keeps the
        # ids, for staff and for tests)
        acc, dec = len(part.evidence.get("accepted_by", [])), len(part.evidence.get("declined_by", []))
        if part.points > 0 and acc:
            return [f"同类需求方已接洽：{acc}家需求相近的单位与其推进过对接" if ex.lang == "zh" else
                    f"accepted by similar parties: {acc} with similar needs took this pairing forward"]
        if part.points < 0 and dec:
            return [f"同类需求方认为不符：{dec}家需求相近的单位以“需求不符”放弃" if ex.lang == "zh" else
                    f"declined by similar parties: {dec} with similar needs found it not a fit"]
        return []


class Mutual(Signal):
    name = "mutual"
    label_zh = "对方已跟进"
    label_en = "followed up from their side"

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        if part.points > 0:
            return ["对方的匹配清单中，这一对接已在推进" if ex.lang == "zh" else
                    "this pairing is already being taken forward from the other side's list"]
        return []


# the parts' labels and reasons, for ``matching.explain`` and the parts tables
for _signal in (Collab(), Mutual()):
    SIGNALS.setdefault(_signal.name, _signal)


class FeedbackMatcher(Matcher):
    """A ``Matcher`` whose lists also count what staff did with other queries' suggestions: each list read
    ``policy.depth`` deep, the ``EXTRA`` parts added with their ``weights`` (only where non-zero), the list
    re-ordered by the new score and cut. ``customers`` is left as it is (no outcome is about that direction)."""

    def __init__(self, index: MatchIndex, config: MatchConfig | None, collab: Collaborative,
                 weights: dict[str, float]) -> None:
        super().__init__(index, config)
        self.collab = collab
        self.extra_weights = {k: float(weights.get(k, 0.0)) for k in EXTRA}

    def match_block(self, rows: Sequence[int], top_k: int) -> list[list[Match]]:
        deep = super().match_block(rows, max(top_k, self.collab.policy.depth))
        return [self.rerank(ms, top_k) for ms in deep]

    def rerank(self, matches: Iterable[Match], top_k: int) -> list[Match]:
        ms = list(matches)
        if not ms:
            return ms
        vals, why = self.collab.values(ms[0].query_id, [m.candidate_id for m in ms], [m.relation for m in ms])
        w = np.array([self.extra_weights[k] for k in EXTRA])
        scored = []
        for i, m in enumerate(ms):
            parts = [Part(k, round(float(vals[i, j]), 4), w[j], round(float(w[j] * vals[i, j]), 4), why[i])
                     for j, k in enumerate(EXTRA) if w[j] > 0 and vals[i, j] != 0]
            add = sum(p.points for p in parts)
            scored.append((m.score + add, i, replace(m, score=round(m.score + add, 4), parts=(*m.parts, *parts))
                           if parts else m))
        scored.sort(key=lambda t: (-t[0], t[1]))
        return [replace(m, rank=r + 1) if m.rank != r + 1 else m for r, (_, _, m) in enumerate(scored[:top_k])]
