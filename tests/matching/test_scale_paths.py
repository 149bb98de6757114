"""The whole-block array paths of ``match --all`` (issue 12, item 2) against the per-candidate code they
replace, kept here as the brute-force reference: the qualifiers of every candidate at once, the
coverage choice over arrays, the clause spread without gathering a calibration matrix per row. Each is
the same to the last bit (the same float operations in the same order), on random inputs."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.embedding import HashEmbedder
from matchmaking.matching import Matcher, MatchIndex
from matchmaking.matching.objects import Clauses, chain_spread
from matchmaking.matching.signals import COVERAGE, PAIR_SIGNALS, Pairs
from matchmaking.reference.credit_code import ALPHABET, make

QUALIFIERS = next(s for s in PAIR_SIGNALS if s.name == "qualifiers")

_NEEDS = ["需要光刻胶，月用量约{n}吨，要求通过ISO 9001认证", "寻找伺服电机供应商，优先长三角地区", "采购碳纤维预浸料{n}吨，需IATF 16949认证",
          "We need photoresist, about {n} t per month, ISO 9001 certified", "Looking for servo motors in Jiangsu",
          "需要工业机器人{n}台，苏州优先"]
_OFFERS = ["提供光刻胶，年产能{n}吨，通过ISO 9001认证", "专业生产伺服电机，年产{n}台", "碳纤维预浸料，通过IATF 16949认证",
           "We supply photoresist, capacity {n} t a year, ISO 9001", "工业机器人制造，年产能{n}台，GMP"]


def profiles(n: int, seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    rows, seen = [], set()
    for i in range(n):
        while True:
            code = make(rng.choice(["310115", "320594", "320612"]), "".join(rng.choice(ALPHABET) for _ in range(8)))
            if code not in seen:
                seen.add(code)
                break
        rows.append({"credit_code": code, "name": f"企业{i}", "org_type": "enterprise",
                     "city": rng.choice(["Shanghai", "Suzhou", "Nantong"]), "district": "", "industry_code": "",
                     "description": "", "offers": rng.choice(_OFFERS).format(n=rng.choice([0, 5, 50, 500])),
                     "seeks": rng.choice(_NEEDS).format(n=rng.choice([5, 50, 500])) if rng.random() < 0.8 else "",
                     "partner_types": ["supplier"]})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    emb = HashEmbedder(64)
    return MatchIndex(profiles(150, 4), pd.DataFrame(), emb.encode, model_id=emb.model_id)


def test_qualifiers_of_a_whole_block_are_the_per_candidate_values(index):
    matcher = Matcher(index)
    st_ = index.prepared["qualifiers"]
    stated = 0
    for q in range(index.n):
        cand = np.array([c for c in range(index.n) if c != q], dtype=np.int64)
        pairs = Pairs(index, matcher.config, q, cand, np.zeros(len(cand), np.int64))
        got = QUALIFIERS.values(pairs)
        want = (np.array([QUALIFIERS._met(st_.required[q], st_.held[int(c)])[0] for c in cand])
                if st_.required[q] else np.full(len(cand), np.nan))
        assert np.array_equal(got, want, equal_nan=True), q
        stated += int(np.isfinite(want).any())
    assert stated > 50  # certifications, places and volumes were compared, not only silence


def _coverage_reference(w, order, score, need_of, n_needs, top_k):
    """The greedy choice as it was written first: a Python list per step."""
    above = np.zeros(len(score), np.int64)
    if w <= 0 or n_needs < 2:
        return order[:top_k], above
    pool = list(order[: 4 * top_k])
    listed = np.zeros(n_needs, np.int64)
    chosen: list[int] = []
    while pool and len(chosen) < top_k:
        adjusted = [score[j] - w * listed[need_of[j]] for j in pool]
        j = pool.pop(int(np.argmax(adjusted)))
        above[j] = listed[need_of[j]]
        listed[need_of[j]] += 1
        chosen.append(j)
    return np.array(chosen, dtype=np.int64), above


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 60), st.integers(1, 4), st.integers(1, 12), st.integers(0, 2**31 - 1),
       st.sampled_from([0.0, 0.05, 0.1, 0.3]))
def test_coverage_choice_over_arrays_is_the_greedy_loop(n, n_needs, top_k, seed, w):
    rng = np.random.default_rng(seed)
    # ties on purpose: scores on a coarse grid
    score = (rng.integers(0, 8, n) / 8).astype(np.float32)
    need_of = rng.integers(0, n_needs, n)
    order = np.lexsort((np.arange(n), -score))

    class Cfg:
        class weights:  # noqa: N801 - the shape of MatchConfig.weights
            coverage = w

    got = COVERAGE.select(Cfg, order, score, need_of, n_needs, top_k)
    want = _coverage_reference(w, order, score, need_of, n_needs, top_k)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


@pytest.mark.parametrize("seed", range(3))
def test_clause_spread_is_the_gathered_calibration(seed):
    rng = np.random.default_rng(seed)
    n, parties = 700, 120
    vecs = rng.standard_normal((n, 16)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs[::7] = vecs[1::7][: len(vecs[::7])]  # copies: neighbours whatever the spread
    cl = Clauses([f"c{i}-{rng.integers(1e9)}" for i in range(n)], rng.integers(0, 2, n).astype(np.int8),
                 np.arange(n), rng.integers(0, parties, n), rng.integers(0, 4, n), np.ones(n, bool))
    pc = rng.random((parties, 5)).astype(np.float32)
    pc /= pc.sum(axis=1, keepdims=True)
    got = chain_spread(cl, lambda rows: vecs[rows], pc, sample=300, z_near=2.0, block=256)
    # the reference: the same function with the calibration gathered for every row (mu[g][:, sgroup])
    import matchmaking.matching.objects as objects

    pick = np.sort(np.argsort(objects.hash_keys(cl.text), kind="stable")[:300])
    sv, sgroup, sparty = vecs[pick], cl.group[pick], cl.party[pick]
    ss = sv @ sv.T
    other = sparty[:, None] != sparty[None, :]
    pooled = ss[other]
    mu = np.full((4, 4), np.median(pooled), np.float32)
    sd = np.full((4, 4), max((np.percentile(pooled, 90) - np.percentile(pooled, 10)) / 2.563, 1e-3), np.float32)
    for a in range(4):
        for b in range(4):
            blk = ss[np.ix_(sgroup == a, sgroup == b)][other[np.ix_(sgroup == a, sgroup == b)]]
            if blk.size >= 25:
                mu[a, b] = np.median(blk)
                sd[a, b] = max((np.percentile(blk, 90) - np.percentile(blk, 10)) / 2.563, 1e-3)
    want = np.zeros(n, np.float32)
    for i in range(0, n, 256):
        rows = np.arange(i, min(n, i + 256))
        g = cl.group[rows]
        sims = vecs[rows] @ sv.T
        z = (sims - mu[g][:, sgroup]) / sd[g][:, sgroup]
        near = ((z >= 2.0) | (sims >= 0.97)) & (cl.party[rows, None] != sparty[None, :])
        mass = near.astype(np.float32) @ pc[sparty]
        total = mass.sum(axis=1, keepdims=True)
        p = np.divide(mass, total, out=np.zeros_like(mass), where=total > 0)
        h = -(p * np.log(np.where(p > 0, p, 1.0))).sum(axis=1)
        want[rows] = np.where(total[:, 0] > 0, np.exp(h), 0.0)
    assert np.array_equal(got, want)
    assert (got > 0).sum() > 50


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(1, 6), st.integers(1, 40))
def test_products_of_stacked_matrices_are_each_pairs_own_to_the_bit(seed, n_a, n_b):
    """``rows_dots`` over matrices stacked side by side gives, block by block, what ``rows_dot`` gives for
    each pair alone (the concept channel scores concepts and segments in one pass) — either side the small one."""
    import scipy.sparse as sp

    from matchmaking.matching.arrays import rows_dot, rows_dots

    rng = np.random.default_rng(seed)
    widths = [int(w) for w in rng.integers(1, 30, size=3)]
    A = [sp.random(50, w, density=0.15, format="csr", dtype=np.float32, random_state=rng) for w in widths]
    B = [sp.random(60, w, density=0.2, format="csr", dtype=np.float32, random_state=rng) for w in widths]
    bounds = tuple(int(x) for x in np.cumsum([0, *widths]))
    a_rows, b_rows = rng.integers(0, 50, size=n_a), rng.integers(0, 60, size=n_b)
    stacked = rows_dots(sp.hstack(A, format="csr"), a_rows, sp.hstack(B, format="csr"), b_rows, bounds)
    for got, a, b in zip(stacked, A, B, strict=True):
        want = rows_dot(a, a_rows, b, b_rows)
        assert got.shape == want.shape == (n_a, n_b)
        assert np.array_equal(got, want)
        assert np.allclose(want, (a[a_rows] @ b[b_rows].T).toarray(), atol=1e-5)


def _group_max_reference(values: np.ndarray, owner: np.ndarray, n_groups: int, tie: float):
    """Per row and group: the max, and the first column within ``tie`` of it (plain Python)."""
    out = np.full((values.shape[0], n_groups), -np.inf, np.float32)
    arg = np.full((values.shape[0], n_groups), -1, np.int64)
    for i in range(values.shape[0]):
        for g in range(n_groups):
            cols = [j for j in range(values.shape[1]) if owner[j] == g]
            if cols:
                out[i, g] = max(values[i, j] for j in cols)
                arg[i, g] = next(j for j in cols if values[i, j] >= out[i, g] - np.float32(tie))
    return out, arg


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**31 - 1), st.integers(1, 4), st.integers(0, 30), st.sampled_from([0.0, 1e-6]))
def test_group_max_is_the_max_and_first_column_of_each_group(seed, n_rows, n_cols, tie):
    """The compiled ``group_max`` against plain Python: groups without columns, columns of -inf, exact ties
    and values within ``tie`` of the max (the first of them is the group's column)."""
    from matchmaking.matching.arrays import group_max

    rng = np.random.default_rng(seed)
    n_groups = int(rng.integers(1, 8))
    owner = np.sort(rng.integers(0, n_groups, size=n_cols))
    values = rng.choice(np.float32([0.5, 0.5 + 4e-7, 0.25, -np.inf, 0.9, 0.9 - 5e-7]), size=(n_rows, n_cols))
    values = np.where(rng.random((n_rows, n_cols)) < 0.5, values, rng.random((n_rows, n_cols))).astype(np.float32)
    got_max, got_arg = group_max(values, owner, n_groups, tie)
    want_max, want_arg = _group_max_reference(values, owner, n_groups, tie)
    assert np.array_equal(got_max, want_max) and np.array_equal(got_arg, want_arg)


def test_dense_channel_is_the_calibrated_logistic_of_the_dot_products(index):
    """The compiled dense channel against the formula in numpy: z = sim / σ − μ / σ of the pair's languages,
    then the logistic (to 1e-5: the dot products are summed in another order, and z divides by a small σ)."""
    from matchmaking.matching.signals import CHANNELS

    dense = next(c for c in CHANNELS if c.name == "dense")
    config = Matcher(index).config
    rng = np.random.default_rng(3)
    d = index.dense
    for _ in range(20):
        n = rng.integers(0, len(index.needs.text), size=int(rng.integers(1, 4)))
        o = rng.integers(0, len(index.offers.text), size=int(rng.integers(1, 60)))
        sims = index.need_vecs[n] @ index.offer_vecs[o].T
        lq = index.needs.lang[n].astype(np.int64)
        z = sims * d.offer_inv_sigma[lq][:, o] - d.offer_mu_sigma[lq][:, o]
        want = 1.0 / (1.0 + np.exp(-(z - config.dense_z0) / config.dense_scale))
        got = dense.scores(index, config, n, o)
        assert got.dtype == np.float32 and got.shape == (len(n), len(o))
        assert np.allclose(got, want, atol=1e-5, rtol=0)


def test_needs_met_equally_well_go_to_the_first(index):
    """Which need a match answers (what ``coverage`` counts) never hangs on float32 noise: of needs whose
    best statement scores are equal to ``arrays.TIE``, the first is the one. Here one need stated twice,
    the copy given a lead of a quarter of a tie on every other offer statement: the list is the one
    without the lead (without the rule, the candidates would split between the two copies and count as
    answering different needs)."""
    from matchmaking.matching import rank as rank_module
    from matchmaking.matching.arrays import TIE

    matcher = Matcher(index)
    real = rank_module.statement_scores

    def nudged(ix, config, need_rows, offer_rows):
        s = real(ix, config, need_rows, offer_rows)
        if len(need_rows) == 2 and need_rows[0] == need_rows[1]:
            s.total[1, ::2] += np.float32(TIE / 4)
        return s

    checked = 0
    for q in index.query_rows():
        need = index.party_needs(q)
        if len(need) != 1:
            continue
        twice = np.concatenate([need, need])
        retrieved = matcher._retrieve(twice)
        plain = matcher._rank(q, twice, retrieved, 10)
        rank_module.statement_scores = nudged
        try:
            got = matcher._rank(q, twice, retrieved, 10)
        finally:
            rank_module.statement_scores = real
        # the same scores, rank by rank (candidates tied on a score — duplicate texts — may trade places)
        assert np.allclose([m.score for m in got], [m.score for m in plain], atol=1e-5, rtol=0)
        checked += any(p.signal == "coverage" for m in plain for p in m.parts)
    assert checked >= 10, checked
