"""Learning to rank on the score parts: how much each part should count, learned from outcomes.

A match's score is the sum of its parts, each ``weight × value`` (``matching.result.Part``), so the
ranking is (nearly) linear in ``matching.config.Weights``: the *feature* of a field for one pair is the
points its parts carry per unit of that weight (``features``). Within one query, a pair that went further
(landed > signed > … > contacted > declined as not fit; ``outcomes.grade_of``) should outscore one that did
not: a pairwise logistic regression (scikit-learn, no intercept, L2) on the within-query differences of the
features learns how much each part should count. Weights are kept non-negative (a part whose learned
weight would be negative is left out and the model fitted again, until none is), so a part never counts
against a match and the explanation stays faithful: every part still adds what it says. The learned
weights are rescaled so an average score stays where it was (``coverage`` and the gates compare points
with fixed amounts), then blended with the hand-set weights in proportion to the amount of feedback:
``blend = n / (n + half_weight)`` for ``n`` outcomes used, so 0 outcomes give exactly the hand-set weights.

The lift is measured on a time split (``time_split_lift``): fitted on the queries whose feedback came
first, scored on the later ones (nDCG@10 of the outcomes among the engine's top candidates, re-scored with
the weights before and after), with a bootstrap interval over the test queries. Fixed seeds throughout:
the same feedback gives the same weights.

Nothing here talks to the database; ``apply`` joins it with the store.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from ..matching import Match, Weights

#: Parts added after the ranking from the stored outcomes (``collaborative``): learned like the others,
#: hand-set weight 0. Their columns follow ``LEARNABLE`` in ``QueryOutcomes.X`` when present.
EXTRA: tuple[str, ...] = ("collab", "mutual")

__all__ = ["LEARNABLE", "EXTRA", "QueryOutcomes", "RankLearner", "Lift", "features", "weights_dict", "ndcg_at",
           "time_split_lift", "rescored_ndcg"]

#: The ``Weights`` fields learned from outcomes. ``coverage`` is a deduction that spreads a list over a
#: query's several needs: a policy of the list, not evidence about a pair, so it stays as set by hand.
LEARNABLE: tuple[str, ...] = tuple(f.name for f in fields(Weights) if f.name != "coverage")


def weights_dict(w: Weights) -> dict[str, float]:
    return {k: float(v) for k, v in asdict(w).items()}


def features(match: Match, weights: Weights) -> np.ndarray:
    """Points of ``match`` per unit of each learnable weight (the score's derivative by that weight with
    the gates held): ``Σ points / weight`` over the parts of each field (its value where the weight is 0)."""
    out = np.zeros(len(LEARNABLE))
    for p in match.parts:
        if p.signal not in _POS:
            continue
        w = float(getattr(weights, p.signal))
        out[_POS[p.signal]] += p.points / w if w > 0 else p.value
    return out


_POS = {name: i for i, name in enumerate(LEARNABLE)}


@dataclass
class QueryOutcomes:
    """One query's outcomes, as learning sees them: its candidates in the engine's order (``ids``), their
    features (rows of ``X``), the evidence per candidate with an outcome (``grades``), and the date of its
    first outcome (for the time split)."""

    query_id: str
    ids: list[str]
    X: np.ndarray
    grades: dict[str, int]
    first_date: object = None
    missing: list[str] = field(default_factory=list)  # candidates with an outcome but not among ``ids``

    def comparisons(self) -> list[tuple[int, int]]:
        """(better, worse) row pairs: every two candidates with outcomes of different grades."""
        pos = {c: i for i, c in enumerate(self.ids)}
        had = [(pos[c], g) for c, g in self.grades.items() if c in pos]
        return [(i, j) for i, gi in had for j, gj in had if gi > gj]


def _check_positive(name: str, value: float, upper: float | None = None) -> None:
    if not isinstance(value, (int, float)) or not value > 0 or (upper is not None and value > upper):
        allowed = f"(0, {upper}]" if upper is not None else "> 0"
        raise ValueError(f"The '{name}' parameter of RankLearner must be a number {allowed}. Got {value!r} instead.")


class RankLearner:
    """Pairwise logistic regression on within-query differences of the score parts, non-negative, blended
    with the hand-set weights.

    ``half_weight``: the number of outcomes at which learned and hand-set weights count equally;
    ``C``: the inverse L2 strength of scikit-learn's ``LogisticRegression``. After ``fit``: ``coef_`` (the
    raw non-negative coefficients, per ``LEARNABLE``), ``learned_`` (rescaled to the hand-set weights'
    average score), ``blend_``, ``weights_`` (the blended ``Weights``), ``n_outcomes_``, ``n_comparisons_``,
    ``n_queries_``. When the queries' ``X`` has the ``EXTRA`` columns too, they are learned with the rest
    (hand-set weight 0): ``coef_`` and ``learned_`` then have them last, and ``extra_`` holds their blended
    weights by name (all 0 without those columns)."""

    def __init__(self, half_weight: float = 150.0, C: float = 1.0, max_rounds: int = 20) -> None:
        _check_positive("half_weight", half_weight)
        _check_positive("C", C)
        self.half_weight = half_weight
        self.C = C
        self.max_rounds = max_rounds

    def fit(self, queries: Sequence[QueryOutcomes], hand: Weights) -> RankLearner:
        n_feat = max((q.X.shape[1] for q in queries if q.X.ndim == 2 and len(q.X)), default=len(LEARNABLE))
        hand_vec = np.r_[np.array([getattr(hand, f) for f in LEARNABLE], dtype=float),
                         np.zeros(n_feat - len(LEARNABLE))]
        diffs, sample_w = [], []
        n_outcomes = n_queries = 0
        for q in queries:
            comps = q.comparisons()
            used = {c for c in q.grades if c in set(q.ids)}
            n_outcomes += len(used)
            if not comps:
                continue
            n_queries += 1
            for i, j in comps:
                diffs.append(q.X[i] - q.X[j])
                sample_w.append(1.0 / len(comps))  # every query counts the same, however many pairs it has
        self.n_outcomes_ = n_outcomes
        self.n_comparisons_ = len(diffs)
        self.n_queries_ = n_queries
        self.hand_ = hand
        coef = np.zeros(n_feat)
        if diffs:
            coef = self._fit_non_negative(np.asarray(diffs), np.asarray(sample_w))
        self.coef_ = coef
        # where no comparison says anything about a part (its feature never differs), keep the hand-set weight
        informative = np.zeros(n_feat, bool)
        if diffs:
            informative = np.abs(np.asarray(diffs)).max(axis=0) > 1e-9
        learned = np.where(informative, coef, hand_vec)
        learned = self._rescale(learned, hand_vec, queries, informative)
        self.learned_ = learned
        self.blend_ = n_outcomes / (n_outcomes + self.half_weight) if self.n_comparisons_ else 0.0
        blended = (1 - self.blend_) * hand_vec + self.blend_ * learned
        self.weights_ = _with(hand, blended[:len(LEARNABLE)]) if self.blend_ > 0 else hand
        self.extra_ = {k: (float(round(v, 6)) if self.blend_ > 0 else 0.0)
                       for k, v in zip(EXTRA, blended[len(LEARNABLE):], strict=False)}
        self.extra_.update({k: 0.0 for k in EXTRA if k not in self.extra_})
        self.vector_ = np.r_[np.array([getattr(self.weights_, f) for f in LEARNABLE]),
                             [self.extra_[k] for k in EXTRA][:n_feat - len(LEARNABLE)]]
        return self

    def _fit_non_negative(self, D: np.ndarray, sw: np.ndarray) -> np.ndarray:
        from sklearn.linear_model import LogisticRegression

        scale = D.std(axis=0)
        scale = np.where(scale > 1e-12, scale, 1.0)
        Z = D / scale
        X = np.vstack([Z, -Z])  # symmetric: the model has no intercept and no preferred side
        y = np.r_[np.ones(len(Z)), np.zeros(len(Z))]
        w = np.r_[sw, sw]
        active = np.abs(D).max(axis=0) > 1e-9
        coef = np.zeros(D.shape[1])
        for _ in range(self.max_rounds):  # active set: drop parts that come out negative, refit
            if not active.any():
                break
            model = LogisticRegression(C=self.C, fit_intercept=False, solver="lbfgs", max_iter=2000)
            model.fit(X[:, active], y, sample_weight=w)
            c = model.coef_[0]
            if (c >= 0).all():
                coef[:] = 0
                coef[active] = c
                break
            idx = np.flatnonzero(active)
            active[idx[c < 0]] = False
        return coef / scale

    @staticmethod
    def _rescale(learned: np.ndarray, hand: np.ndarray, queries: Sequence[QueryOutcomes],
                 informative: np.ndarray) -> np.ndarray:
        """Scale the learned part so the average score over all candidates seen stays the hand-set one."""
        rows = [q.X for q in queries if len(q.X)]
        if not rows or not informative.any():
            return learned
        mean = np.vstack(rows).mean(axis=0)
        # the scale is set by the score parts alone (an ``EXTRA`` part averages about 0), then applied to all
        parts = informative.copy()
        parts[len(LEARNABLE):] = False
        want = float(hand[parts] @ mean[parts])
        got = float(learned[parts] @ mean[parts])
        if got <= 1e-12 or want <= 0:
            return learned
        out = learned.copy()
        out[informative] *= want / got
        return out


def _with(hand: Weights, vec: np.ndarray) -> Weights:
    from dataclasses import replace

    return replace(hand, **{f: float(round(v, 6)) for f, v in zip(LEARNABLE, vec, strict=True)})


def ndcg_at(ranked: Sequence[str], grades: dict[str, int], k: int = 10) -> float | None:
    """nDCG@k of ``ranked`` with gains ``2^grade − 1``; None when no candidate has a positive grade."""
    ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
    if not ideal:
        return None
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    dcg = sum((2 ** grades.get(c, 0) - 1) / math.log2(i + 2) for i, c in enumerate(ranked[:k]))
    return dcg / idcg


def rescored_ndcg(q: QueryOutcomes, weights: Weights | np.ndarray, k: int = 10, judged_only: bool = False) -> float | None:
    """nDCG@k of ``q``'s candidates re-scored with ``weights`` (linear in the parts; ties in the engine's order);
    a vector may carry the ``EXTRA`` weights after the ``LEARNABLE`` ones. ``judged_only``: the list condensed to
    the candidates with an outcome (Sakai's condensed lists): one nobody judged — never shown, or shown and
    left alone — is neither a hit nor a miss."""
    vec = weights if isinstance(weights, np.ndarray) else np.array([getattr(weights, f) for f in LEARNABLE])
    if len(q.X):
        vec = np.r_[vec, np.zeros(max(q.X.shape[1] - len(vec), 0))][:q.X.shape[1]]
    score = q.X @ vec if len(q.X) else np.zeros(0)
    order = np.lexsort((np.arange(len(score)), -np.round(score, 9)))
    ranked = [q.ids[i] for i in order]
    if judged_only:
        ranked = [c for c in ranked if c in q.grades]
    return ndcg_at(ranked, q.grades, k)


@dataclass(frozen=True)
class Lift:
    """nDCG@10 on the later queries before and after learning on the earlier ones, and the bootstrap
    interval (2.5 %, 97.5 %) of the difference."""

    before: float
    after: float
    lift: float
    low: float
    high: float
    train_queries: int
    test_queries: int


def time_split_lift(queries: Sequence[QueryOutcomes], hand: Weights, learner: RankLearner | None = None,
                    test_share: float = 0.3, n_boot: int = 1000, seed: int = 0) -> Lift | None:
    """Fit on the queries whose first outcome came first, score on the rest (``test_share`` of them);
    None when either side would have no query with a positive outcome."""
    usable = [q for q in queries if q.grades and any(g > 0 for g in q.grades.values())]
    usable.sort(key=lambda q: (str(q.first_date), q.query_id))
    n_test = int(round(len(usable) * test_share))
    if n_test < 1 or len(usable) - n_test < 1:
        return None
    train, test = usable[:-n_test], usable[-n_test:]
    learner = learner or RankLearner()
    fitted = RankLearner(learner.half_weight, learner.C, learner.max_rounds).fit(train, hand)
    pairs = [(rescored_ndcg(q, hand, judged_only=True), rescored_ndcg(q, fitted.vector_, judged_only=True))
             for q in test]
    pairs = [(b, a) for b, a in pairs if b is not None and a is not None]
    if not pairs:
        return None
    arr = np.array(pairs)
    diff = arr[:, 1] - arr[:, 0]
    rng = np.random.default_rng(seed)
    boots = diff[rng.integers(0, len(diff), size=(n_boot, len(diff)))].mean(axis=1)
    return Lift(float(arr[:, 0].mean()), float(arr[:, 1].mean()), float(diff.mean()),
                float(np.quantile(boots, 0.025)), float(np.quantile(boots, 0.975)), len(train), len(pairs))
