"""What must hold for every ranking: order independence, additive parts, no self or sponsor matches,
and the fast retrieval path agreeing with brute force."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.matching import MatchConfig, Matcher, MatchIndex

from .conftest import synthetic

EXHAUSTIVE = MatchConfig(exhaustive=True)


def _rankings(orgs, projs, embed, config=EXHAUSTIVE, top_k=10):
    index = MatchIndex(orgs, projs, embed)
    m = Matcher(index, config)
    ids = sorted(index.id_to_row)
    return index, {q: m.match(q, top_k) for q in ids}


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), perm=st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_input_order(hash_embed, seed, perm):
    orgs, projs = synthetic(30, seed, projects=3)
    _, base = _rankings(orgs, projs, hash_embed)
    order = list(range(len(orgs)))
    perm.shuffle(order)
    _, shuffled = _rankings(orgs.iloc[order].reset_index(drop=True), projs.iloc[::-1].reset_index(drop=True),
                            hash_embed)
    for q, ms in base.items():
        got = shuffled[q]
        assert [m.candidate_id for m in ms] == [m.candidate_id for m in got], q
        assert np.allclose([m.score for m in ms], [m.score for m in got], atol=1e-6)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000))
def test_parts_add_up_and_no_forbidden_pairs(hash_embed, seed):
    orgs, projs = synthetic(40, seed, projects=4)
    index, res = _rankings(orgs, projs, hash_embed, MatchConfig(retrieve=8))
    sponsor = dict(zip(projs.project_id, projs.sponsor_credit_code, strict=True))
    for q, ms in res.items():
        assert [m.rank for m in ms] == list(range(1, len(ms) + 1))
        assert all(a.score >= b.score - 1e-6 for a, b in zip(ms, ms[1:], strict=False))  # ties: to 1e-6, then id
        for m in ms:
            assert abs(sum(p.points for p in m.parts) - m.score) < 1e-9
            assert all(abs(p.points - p.weight * p.value) < 1e-6 for p in m.parts if p.signal != "multi_need")
            assert m.candidate_id != q
            assert sponsor.get(q) != m.candidate_id and sponsor.get(m.candidate_id) != q
            assert m.relation in {"supplier", "customer", "rd_partner", "production_base", "investor",
                                  "investment_opportunity"}


def test_fast_path_agrees_with_brute_force(hash_embed):
    orgs, projs = synthetic(600, 7, projects=20)
    index = MatchIndex(orgs, projs, hash_embed)
    fast, brute = Matcher(index, MatchConfig(retrieve=32)), Matcher(index, EXHAUSTIVE)
    recalls = []
    for q in sorted(index.id_to_row)[:150]:
        f, b = fast.match(q, 10), brute.match(q, 200)
        exact = {m.candidate_id: m.score for m in b}
        for m in f:  # a candidate's score does not depend on how it was found
            assert abs(exact[m.candidate_id] - m.score) < 1e-6, (q, m.candidate_id)
        top = {m.candidate_id for m in b[:10]}
        if top:
            recalls.append(len(top & {m.candidate_id for m in f}) / len(top))
    assert np.mean(recalls) >= 0.9, np.mean(recalls)


def test_party_without_needs_gets_who_needs_its_offers(hash_embed):
    orgs, projs = synthetic(60, 3)
    index = MatchIndex(orgs, projs, hash_embed)
    m = Matcher(index)
    silent = orgs[orgs.seeks == ""]
    quiet = silent[silent.org_type != "investor"].credit_code.iloc[0]
    res = m.match(quiet, 5)
    assert res and all(x.relation == "customer" and x.part("reverse") for x in res)
    assert m.customers(quiet, 5)[0].candidate_id == res[0].candidate_id
    for investor in silent[silent.org_type == "investor"].credit_code:  # for an investor they are deals
        assert all(x.relation == "investment_opportunity" for x in m.match(investor, 5))


def test_top_k_is_validated(hash_embed):
    orgs, projs = synthetic(20, 1)
    m = Matcher(MatchIndex(orgs, projs, hash_embed))
    import pytest

    with pytest.raises(ValueError, match="'top_k' parameter of Matcher must be an int in \\[1, 1000\\]. Got 0"):
        m.match(orgs.credit_code.iloc[0], 0)
    with pytest.raises(KeyError):
        m.match("nope", 5)


def test_an_empty_database_builds_an_empty_index(hash_embed):
    import pandas as pd

    index = MatchIndex(pd.DataFrame(columns=["credit_code", "name", "city", "offers", "seeks"]),
                       pd.DataFrame(columns=["project_id", "title", "city"]), hash_embed)
    assert index.n == 0 and Matcher(index).match_block([], 10) == []
