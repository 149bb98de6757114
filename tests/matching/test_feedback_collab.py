"""The collaborative signal (``learning.collaborative``): outcomes of *similar* queries re-rank a list, as
parts of the score that explain themselves; no outcome → today's ranking exactly. On a real DuckDB file with
the demo data and the hash stand-in embedder (the model is not what is tested here)."""

from __future__ import annotations

import csv
import json

import numpy as np
import pandas as pd
import pytest
from hst_testing import hst

from matchmaking.embedding import load_embedder
from matchmaking.learning import (
    EXTRA,
    TWO_WAY,
    Collaborative,
    CollabPolicy,
    FeedbackMatcher,
    evidence,
    learned_matcher,
    shown_matches,
)
from matchmaking.matching import reasons
from matchmaking.services import build_matcher
from matchmaking.store import Store

from .conftest import HASH_ENV

pytestmark = pytest.mark.slow
ENV = HASH_ENV


@pytest.fixture(scope="module")
def hand(hash_demo):
    store = Store(hash_demo, read_only=True)
    built = build_matcher(store, embedder=load_embedder("hash"), progress=False)
    store.close()
    return built.matcher


def _outcomes(rows):
    return pd.DataFrame(rows, columns=["query_id", "candidate_id", "grade"])


def _pair(hand):
    """A query ``q``, its most similar other query ``near``, and a candidate of ``q``'s list below its top 10."""
    ix = hand.index
    qs = [ix.pid[r] for r in ix.query_rows()]
    col = Collaborative(ix, _outcomes([(q, "x", 1) for q in qs]))
    q = qs[0]
    near = col.neighbours(q)[0][0]
    deep = hand.match(q, 40)
    return q, near, deep[25].candidate_id, [m.candidate_id for m in deep[:10]]


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["query_id", "candidate_id", "status", "reason_code", "date"])
        w.writerows(rows)


def test_no_outcomes_contribute_nothing(hand):
    col = Collaborative(hand.index, _outcomes([]))
    assert not col and col.neighbours(hand.index.pid[0]) == []
    ids = [m.candidate_id for m in hand.match(hand.index.pid[hand.index.query_rows()[0]], 30)]
    vals, _ = col.values(hand.index.pid[0], ids)
    assert vals.shape == (30, len(EXTRA)) and not vals.any()
    # even with weights, a matcher that knows no outcome ranks exactly as the hand-set one
    fm = FeedbackMatcher(hand.index, hand.config, col, {"collab": 0.3})
    for q in [hand.index.pid[r] for r in hand.index.query_rows()[:5]]:
        assert fm.match(q, 10) == hand.match(q, 10)


def test_acceptance_by_a_similar_query_moves_a_candidate_up_and_says_why(hand):
    q, near, c, top = _pair(hand)
    col = Collaborative(hand.index, _outcomes([(near, c, 2)]), CollabPolicy(neighbours=5))
    vals, why = col.values(q, [c])
    assert vals[0, 0] > 0 and why[0]["accepted_by"] == [near]
    contacted = Collaborative(hand.index, _outcomes([(near, c, 1)]), CollabPolicy(neighbours=5)).values(q, [c])[0]
    assert vals[0, 0] == pytest.approx(2 * contacted[0, 0]), "a pair taken further (met: 2) counts more"
    fm = FeedbackMatcher(hand.index, hand.config, col, {"collab": 1.0})
    got = fm.match(q, 10)
    assert got[0].candidate_id == c and [m.rank for m in got] == list(range(1, 11))
    part = got[0].part("collab")
    assert part is not None and part.points == pytest.approx(part.weight * part.value, abs=1e-4)
    assert got[0].score == pytest.approx(sum(p.points for p in got[0].parts), abs=2e-3), "the score is its parts"
    assert [m.candidate_id for m in got[1:]] == top[:9], "the rest keeps its order"
    en = [line for line in reasons(got[0], hand.index, "en") if "accepted by similar parties" in line]
    assert en == ["accepted by similar parties: 1 with similar needs took this pairing forward"]
    assert hand.index.name[hand.index.id_to_row[near]] not in en[0], "who took it forward is not said"
    assert any("同类需求方已接洽" in line for line in reasons(got[0], hand.index, "zh"))


def test_not_fit_declines_subtract_and_neutral_ones_are_no_evidence(hand):
    q, near, _, top = _pair(hand)
    c = top[0]
    # a decline for timing or budget has no grade (``outcomes.grade_of``): not evidence
    neutral = Collaborative(hand.index, _outcomes([(near, c, None)]))
    assert not neutral and not neutral.values(q, [c])[0].any()
    col = Collaborative(hand.index, _outcomes([(near, c, 0)]))
    vals, why = col.values(q, [c])
    assert vals[0, 0] < 0 and why[0]["declined_by"] == [near]
    got = FeedbackMatcher(hand.index, hand.config, col, {"collab": 1.0}).match(q, 10)
    assert c not in [m.candidate_id for m in got[:1]]
    moved = next(m for m in hand.match(q, 50) if m.candidate_id == c)
    after = next(m for m in FeedbackMatcher(hand.index, hand.config, col, {"collab": 1.0}).match(q, 50)
                  if m.candidate_id == c)
    assert after.part("collab").points < 0 and after.rank > moved.rank
    assert any("1 with similar needs found it not a fit" in line for line in reasons(after, hand.index, "en"))


def test_neighbours_are_queries_judged_on_what_this_list_holds(hand):
    """Given the query's list, a neighbour's similarity is the profiles' cosine times the share of its judged
    candidates that the list holds: a query whose outcomes are all about other candidates is no neighbour."""
    ix = hand.index
    q, near, c, top = _pair(hand)
    listed = [m.candidate_id for m in hand.match(q, 60)]
    elsewhere = next(ix.pid[r] for r in range(ix.n) if ix.pid[r] not in listed and ix.pid[r] != q)
    col = Collaborative(ix, _outcomes([(near, listed[0], 1), (near, elsewhere, 0)]))
    (only, cos), = col.neighbours(q)
    assert only == near and cos > 0
    (_, sim), = col.neighbours(q, listed)
    assert sim == pytest.approx(cos / 2), "half of its judged candidates are in the list"
    assert col.neighbours(q, listed[1:]) == [], "none of its judged candidates is in the list"
    # only the first ``depth`` of the list count
    assert len(listed) > col.policy.depth + 1
    assert col.neighbours(q, [*listed[1:col.policy.depth + 1], listed[0]]) == []


def test_a_querys_own_outcome_is_not_evidence_about_its_own_list(hand):
    q, _, c, _ = _pair(hand)
    col = Collaborative(hand.index, _outcomes([(q, c, 3)]))
    assert col.neighbours(q) == [] and not col.values(q, [c])[0].any()


def test_learn_fits_the_outcome_parts_and_match_uses_them(hash_demo_db, hand, tmp_path):
    ix = hand.index
    queries = [ix.pid[r] for r in ix.query_rows()[:40]]
    rows = []
    for i, q in enumerate(queries):
        for m in hand.match(q, 10):
            chain = m.part("chain")
            good = chain is not None and chain.value > 0
            rows.append([q, m.candidate_id, "met" if good else "declined", "" if good else "not_fit",
                         f"2026-0{1 + i * 8 // len(queries)}-1{i % 9}"])
    f = tmp_path / "feedback.csv"
    _write(f, rows)
    hst(hash_demo_db, "feedback", "import", str(f), env=ENV)
    report = json.loads(hst(hash_demo_db, "learn", "--json", env=ENV).stdout)
    assert set(EXTRA) <= set(report["before"]) and all(report["before"][k] == 0 for k in EXTRA)
    assert all(report["after"][k] >= 0 for k in EXTRA)
    text = hst(hash_demo_db, "learn", "--dry-run", env=ENV).stdout
    assert "collab" in text
    store = Store(hash_demo_db)
    matcher, fit = learned_matcher(store, hand)
    assert fit is not None
    assert fit["blended"]["collab"] > 0 and isinstance(matcher, FeedbackMatcher), "similar queries' outcomes count"
    declined = {(r[0], r[1]) for r in rows if r[2] == "declined"}
    for q in queries[:5]:
        shown = shown_matches(store, matcher, q, 10, surface="cli", record=False).matches
        assert len(shown) == 10 and not [m for m in shown if (q, m.candidate_id) in declined]
        assert all(m.score == pytest.approx(sum(p.points for p in m.parts), abs=2e-3) for m in shown)
    # the evidence the matcher reads is the stored outcomes
    ev = evidence(store)
    assert len(Collaborative(ix, ev).queries) == len(queries)
    store.close()
    # hst match --all ranks with it too, declined pairs out, ranks 1..k
    every = tmp_path / "all.csv"
    hst(hash_demo_db, "match", "--all", "--top", "5", "--out", str(every), "--workers", "1", env=ENV)
    table = pd.read_csv(every, dtype=str)
    assert not [1 for q, c in zip(table.query_id, table.candidate_id, strict=True) if (q, c) in declined]
    ranks = table.groupby("query_id")["rank"].apply(lambda r: list(map(int, r)))
    assert all(r == list(range(1, len(r) + 1)) for r in ranks)
    assert np.isfinite(table["score"].astype(float)).all()


def _by_relation(hand, two_way: bool):
    """A query and a candidate of its list below the top 10 whose relation is (not) one of ``TWO_WAY``."""
    for r in hand.index.query_rows():
        q = hand.index.pid[r]
        deep = hand.match(q, 40)
        for m in deep[10:]:
            if (m.relation in TWO_WAY) == two_way:
                return q, m.candidate_id, [x.candidate_id for x in deep[:10]]
    raise AssertionError("the demo data has no such pair")


def test_the_other_sides_outcome_of_the_same_pair_counts_where_the_relation_reads_both_ways(hand):
    """``mutual``: what the candidate's own follow-up said about this query (the same pair from its side)."""
    q, c, top = _by_relation(hand, two_way=True)
    col = Collaborative(hand.index, _outcomes([(c, q, 2)]))
    vals, why = col.values(q, [c, top[0]])
    m = EXTRA.index("mutual")
    assert vals[0, m] == 2.0 and why[0]["their_side"] == 2.0 and vals[1, m] == 0.0, "met on their side: grade 2"
    assert not col.values(c, [q])[0][0, m], "the outcome is about c's own list: not evidence for it from q's side"
    got = FeedbackMatcher(hand.index, hand.config, col, {"mutual": 1.0}).match(q, 10)
    assert got[0].candidate_id == c and got[0].part("mutual").points == pytest.approx(2.0)
    assert got[0].part("collab") is None, "a weight of 0 adds no part"
    assert any("other side's list" in line for line in reasons(got[0], hand.index, "en"))
    assert any("对方的匹配清单" in line for line in reasons(got[0], hand.index, "zh"))
    # an expressed interest is not told to the other side before it is mutual (and is stored both ways)
    rows = [(c, q, 1, "interest"), (top[0], q, 1, "contacted")]
    told = Collaborative(hand.index, pd.DataFrame(rows, columns=["query_id", "candidate_id", "grade", "status"]))
    assert told.values(q, [c, top[0]])[0][:, m].tolist() == [0.0, 1.0]
    # a decline on the other side's list is that side's business: not read, nothing moves
    declined = Collaborative(hand.index, _outcomes([(c, q, 0)]))
    assert declined.values(q, [c])[0][0, m] == 0.0
    assert FeedbackMatcher(hand.index, hand.config, declined, {"mutual": 1.0}).match(q, 40) == hand.match(q, 40)


def test_the_other_sides_outcome_says_nothing_where_the_candidate_would_supply_the_query(hand):
    q, c, _ = _by_relation(hand, two_way=False)
    col = Collaborative(hand.index, _outcomes([(c, q, 2)]))
    m = EXTRA.index("mutual")
    rel = next(x.relation for x in hand.match(q, 40) if x.candidate_id == c)
    assert rel in ("supplier", "production_base")
    assert col.values(q, [c], [rel])[0][0, m] == 0.0 and col.values(q, [c])[0][0, m] == 2.0
    got = FeedbackMatcher(hand.index, hand.config, col, {"mutual": 1.0}).match(q, 40)
    assert next(x for x in got if x.candidate_id == c).part("mutual") is None
    assert [x.candidate_id for x in got] == [x.candidate_id for x in hand.match(q, 40)], "nothing moved"
