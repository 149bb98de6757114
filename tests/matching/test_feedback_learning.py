"""Learning from outcomes: non-negative, deterministic weights that follow the evidence, exactly the
hand-set weights without feedback; exposure keeps declined pairs out, discounts what was ignored, and
leaves a list without feedback exactly as the matcher made it."""

from __future__ import annotations

import numpy as np
import pytest

from matchmaking.learning import (
    LEARNABLE,
    ExposurePolicy,
    QueryOutcomes,
    RankLearner,
    adjust,
    features,
    ndcg_at,
    time_split_lift,
)
from matchmaking.learning.rank_learning import rescored_ndcg
from matchmaking.matching import Match, Part, Weights

HAND = Weights()
CHAIN, DENSE = LEARNABLE.index("chain"), LEARNABLE.index("dense")


def _queries(n: int, seed: int = 0, signal: int = CHAIN) -> list[QueryOutcomes]:
    """Queries whose accepted candidates are told apart by one feature (plus noise in the others)."""
    rng = np.random.default_rng(seed)
    out = []
    for q in range(n):
        X = rng.uniform(0, 1, size=(10, len(LEARNABLE))) * 0.3
        good = rng.choice(10, size=3, replace=False)
        X[good, signal] += 1.0
        grades = {f"c{j}": (2 if j in good else 0) for j in range(10)}
        out.append(QueryOutcomes(f"q{q:03d}", [f"c{j}" for j in range(10)], X, grades, f"2026-01-{1 + q % 28:02d}"))
    return out


def test_no_feedback_gives_exactly_the_hand_set_weights():
    fit = RankLearner().fit([], HAND)
    assert fit.weights_ == HAND and fit.blend_ == 0 and fit.n_outcomes_ == 0
    only_declines = [QueryOutcomes("q", ["a", "b"], np.ones((2, len(LEARNABLE))), {"a": 0, "b": 0})]
    assert RankLearner().fit(only_declines, HAND).weights_ == HAND


def test_the_part_that_separates_outcomes_gains_weight_and_none_goes_negative():
    fit = RankLearner().fit(_queries(60), HAND)
    assert (fit.coef_ >= 0).all() and all(getattr(fit.weights_, f) >= 0 for f in LEARNABLE)
    assert fit.weights_.chain > 2 * HAND.chain
    assert fit.weights_.coverage == HAND.coverage, "coverage is a policy of the list, never learned"
    assert 0 < fit.blend_ < 1 and fit.n_comparisons_ == 60 * 21


def test_more_feedback_counts_more_and_the_fit_is_deterministic():
    few, many = RankLearner().fit(_queries(5), HAND), RankLearner().fit(_queries(80), HAND)
    assert few.blend_ < many.blend_
    again = RankLearner().fit(_queries(80), HAND)
    assert np.allclose(again.coef_, many.coef_, rtol=1e-9, atol=1e-12) and again.weights_ == many.weights_


def test_bad_settings_are_refused_with_their_name():
    with pytest.raises(ValueError, match="'half_weight' parameter of RankLearner must be a number > 0. Got 0"):
        RankLearner(half_weight=0)


def test_time_split_lift_is_positive_when_the_evidence_is_consistent():
    lift = time_split_lift(_queries(60), HAND)
    assert lift is not None and lift.test_queries == 18 and lift.train_queries == 42
    assert lift.lift > 0.05 and lift.low <= lift.lift <= lift.high and lift.low > 0
    assert time_split_lift(_queries(1), HAND) is None


def test_ndcg():
    assert ndcg_at(["a", "b"], {"a": 2, "b": 0}) == pytest.approx(1.0)
    assert ndcg_at(["b", "a"], {"a": 1}) == pytest.approx(1 / np.log2(3))
    assert ndcg_at(["a"], {"a": 0}) is None


def _m(cid: str, rank: int, score: float) -> Match:
    return Match("Q", "organisation", cid, "organisation", rank, score, "supplier",
                 (Part("dense", score / HAND.dense, HAND.dense, score),))


def test_features_are_points_per_unit_of_weight():
    m = Match("Q", "organisation", "C", "organisation", 1, 0.5, "supplier",
              (Part("dense", 0.8, 0.5, 0.4), Part("chain", 1.0, 0.06, 0.06), Part("coverage", -1, 0.05, -0.05)))
    x = features(m, Weights(dense=0.5))
    assert x[DENSE] == pytest.approx(0.8) and x[CHAIN] == pytest.approx(1.0) and len(x) == len(LEARNABLE)


def test_exposure_without_feedback_leaves_the_list_as_it_was():
    ms = [_m(f"c{i}", i, 1 - i / 100) for i in range(1, 31)]
    out = adjust(ms, 10)
    assert out.matches == ms[:10] and not out.notes and not out.hidden


def test_declined_pairs_are_out_and_the_list_fills_up_from_below():
    ms = [_m(f"c{i}", i, 1 - i / 100) for i in range(1, 31)]
    out = adjust(ms, 10, declined={"c1", "c5"})
    assert [m.candidate_id for m in out.matches] == [f"c{i}" for i in (2, 3, 4, 6, 7, 8, 9, 10, 11, 12)]
    assert [m.rank for m in out.matches] == list(range(1, 11)) and out.hidden == ["c1", "c5"]


def test_a_pair_shown_often_and_never_acted_on_moves_down_but_keeps_its_score():
    ms = [_m(f"c{i}", i, 1 - i / 100) for i in range(1, 31)]
    policy = ExposurePolicy(free_impressions=3, discount_per_impression=0.02, max_discount=0.1)
    out = adjust(ms, 10, unacted={"c1": 3, "c2": 6}, policy=policy)
    ids = [m.candidate_id for m in out.matches]
    assert ids[0] == "c1", "shown 3 times: still free"
    # 0.98 − 0.06 ties with c8 (0.92): a tie keeps the matcher's order
    assert ids.index("c2") == 6 and out.notes["c2"] == {"impressions": 6, "discount": 0.06}
    assert next(m for m in out.matches if m.candidate_id == "c2").score == ms[1].score
    capped = adjust(ms, 10, unacted={"c1": 100}, policy=policy)
    assert capped.notes["c1"]["discount"] == 0.1


def test_new_profiles_get_their_share_of_the_top_only_above_the_floor():
    ms = [_m(f"c{i}", i, 1 - i / 100) for i in range(1, 31)]
    policy = ExposurePolicy(new_share=0.2, new_floor=0.6)
    out = adjust(ms, 10, new_ids={"c15", "c25", "c29"}, share_active=True, policy=policy)
    ids = [m.candidate_id for m in out.matches]
    assert ids[-2:] == ["c15", "c25"] and "c10" not in ids and "c9" not in ids
    assert out.notes["c15"] == {"new_profile": True, "from_rank": 15}
    assert adjust(ms, 10, new_ids={"c15"}, share_active=False).matches == ms[:10], "no outcomes yet: no share"
    poor = [_m(f"c{i}", i, 1.0 if i <= 10 else 0.1) for i in range(1, 31)]
    assert adjust(poor, 10, new_ids={"c15"}, share_active=True).matches == poor[:10], "below the floor: not promoted"
    already = adjust(ms, 10, new_ids={"c2", "c3", "c15"}, share_active=True)
    assert already.matches == ms[:10], "the share is already there"


def test_the_time_split_judges_only_what_staff_judged():
    # two parts: the first puts the unjudged candidate "u" on top, the second ranks the judged ones right
    X = np.zeros((3, len(LEARNABLE)))
    X[:, 0] = [1.0, 0.2, 0.0]  # u, good, bad
    X[:, 1] = [0.0, 1.0, 0.0]
    q = QueryOutcomes("q", ["u", "good", "bad"], X, {"good": 2, "bad": 0})
    first = np.eye(len(LEARNABLE))[0]
    # the full list counts "u" (never shown, no outcome) as a miss at rank 1 …
    assert rescored_ndcg(q, first) < 1.0
    # … the condensed list leaves it out: the judged candidates are in the right order
    assert rescored_ndcg(q, first, judged_only=True) == pytest.approx(1.0)
    assert rescored_ndcg(q, -first, judged_only=True) < 1.0  # and a wrong order still counts
