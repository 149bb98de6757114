"""Cooperative allocation against published results, and the properties any correct solver has.

Published results: the nucleolus of the bankruptcy games of the Babylonian Talmud (Aumann & Maschler,
"Game theoretic analysis of a bankruptcy problem from the Talmud", J. Econ. Theory 36, 1985: estates
100/200/300 with claims 100/200/300 → (33⅓, 33⅓, 33⅓), (50, 75, 75), (50, 100, 150)); the three-player
glove game (Shapley (2/3, 1/6, 1/6); the core and so the nucleolus is (1, 0, 0)); BS-08 (docs/benefit-sharing.md).
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benefit_sharing import allocate
from benefit_sharing.games import CooperativeGame, in_core, nash, nucleolus, shapley


def game(players, values):
    return CooperativeGame(tuple(players), {frozenset(k.split("+")): Fraction(v) for k, v in values.items()})


def bankruptcy(estate, claims):
    players = list(claims)
    values = {}
    for k in range(1, len(players) + 1):
        for c in itertools.combinations(players, k):
            values["+".join(c)] = max(0, estate - sum(claims[p] for p in players if p not in c))
    return game(players, values)


@pytest.mark.parametrize(
    "estate, expected",
    [
        (100, (Fraction(100, 3), Fraction(100, 3), Fraction(100, 3))),
        (200, (50, 75, 75)),
        (300, (50, 100, 150)),
    ],
)
def test_nucleolus_of_the_talmud_estates(estate, expected):
    x, note = nucleolus(bankruptcy(estate, {"a": 100, "b": 200, "c": 300}))
    assert (x["a"], x["b"], x["c"]) == tuple(Fraction(e) for e in expected)
    assert note == ""


def test_glove_game():
    g = game("123", {"1": 0, "2": 0, "3": 0, "1+2": 1, "1+3": 1, "2+3": 0, "1+2+3": 1})
    assert shapley(g) == {"1": Fraction(2, 3), "2": Fraction(1, 6), "3": Fraction(1, 6)}
    assert nucleolus(g)[0] == {"1": 1, "2": 0, "3": 0}
    assert not in_core(g, shapley(g))  # the core is the single point (1, 0, 0)


BS08 = {
    "Shanghai": 120,
    "Suzhou": 90,
    "Nantong": 30,
    "Shanghai+Suzhou": 300,
    "Shanghai+Nantong": 240,
    "Suzhou+Nantong": 180,
    "Shanghai+Suzhou+Nantong": 450,
}


def test_bs08_shapley_and_core():
    g = game(["Shanghai", "Suzhou", "Nantong"], BS08)
    assert shapley(g) == {"Shanghai": 200, "Suzhou": 155, "Nantong": 95}
    assert in_core(g, shapley(g))
    assert in_core(g, {"Shanghai": 150, "Suzhou": 150, "Nantong": 150})
    assert not in_core(g, {"Shanghai": 100, "Suzhou": 250, "Nantong": 100})  # SH+NT get 200 < 240


def test_allocate_rounds_to_the_total_exactly():
    values = {"A": 0, "B": 0, "C": 0, "A+B": 1, "A+C": 1, "B+C": 1, "A+B+C": 1}
    allocs = allocate({"players": ["A", "B", "C"], "values": values, "rules": ["shapley"]})
    assert [a.exact for a in allocs] == [Fraction(1, 3)] * 3
    assert sum(a.amount for a in allocs) == 1  # 0.34 + 0.33 + 0.33


def test_prenucleolus_when_no_imputation_exists():
    g = game("AB", {"A": 5, "B": 5, "A+B": 6})
    x, note = nucleolus(g)
    assert x == {"A": 3, "B": 3} and "pre-nucleolus" in note


# --- properties ---------------------------------------------------------------------------------

PLAYERS = ["P1", "P2", "P3", "P4"]


@st.composite
def games(draw, n_min=2, n_max=4):
    n = draw(st.integers(n_min, n_max))
    players = PLAYERS[:n]
    values = {}
    for k in range(1, n + 1):
        for c in itertools.combinations(players, k):
            values[frozenset(c)] = Fraction(draw(st.integers(-20, 200)))
    return CooperativeGame(tuple(players), values)


def brute_force_shapley(g):
    n = len(g.players)
    out = dict.fromkeys(g.players, Fraction(0))
    for order in itertools.permutations(g.players):
        before = frozenset()
        for p in order:
            out[p] += g.v(before | {p}) - g.v(before)
            before = before | {p}
    return {p: v / len(list(itertools.permutations(range(n)))) for p, v in out.items()}


@settings(max_examples=60, deadline=None)
@given(games())
def test_shapley_is_efficient_and_matches_permutations(g):
    phi = shapley(g)
    assert sum(phi.values()) == g.v(g.grand)
    assert phi == brute_force_shapley(g)


@settings(max_examples=40, deadline=None)
@given(games(3, 3), st.integers(0, 100))
def test_symmetric_players_get_the_same(g, pair_value):
    # make P1 and P2 symmetric: v(S ∪ P1) = v(S ∪ P2) for S without both
    values = dict(g.values)
    for s, v in list(values.items()):
        if "P1" in s and "P2" not in s:
            values[(s - {"P1"}) | {"P2"}] = v
    g = CooperativeGame(g.players, values)
    assert shapley(g)["P1"] == shapley(g)["P2"]
    assert nash(g)["P1"] == nash(g)["P2"]
    if g.imputations_exist:
        x, _ = nucleolus(g)
        assert x["P1"] == x["P2"]


def excess_vector(g, x):
    return sorted((g.v(s) - sum(x[p] for p in s) for s in g.coalitions()), reverse=True)


@settings(max_examples=40, deadline=None)
@given(games(), st.data())
def test_nucleolus_is_lexicographically_minimal(g, data):
    """No imputation has a lexicographically smaller sorted excess vector (random challengers)."""
    if not g.imputations_exist:
        return
    x, _ = nucleolus(g)
    assert sum(x.values()) == g.v(g.grand)
    assert all(x[p] >= g.v(frozenset([p])) for p in g.players)
    surplus = g.v(g.grand) - sum(g.v(frozenset([p])) for p in g.players)
    best = excess_vector(g, x)
    for _ in range(25):
        w = [data.draw(st.integers(0, 10)) for _ in g.players]
        if sum(w) == 0:
            continue
        y = {
            p: g.v(frozenset([p])) + surplus * Fraction(wi, sum(w))
            for p, wi in zip(g.players, w, strict=True)
        }
        assert best <= excess_vector(g, y)


@settings(max_examples=40, deadline=None)
@given(games())
def test_core_membership_is_consistent(g):
    """The nucleolus lies in the core whenever the core is non-empty (witnessed by any rule in it)."""
    if not g.imputations_exist:
        return
    x, _ = nucleolus(g)
    witnesses = [shapley(g), nash(g)]
    if any(in_core(g, w) for w in witnesses):
        assert in_core(g, x)
    # in_core agrees with its definition
    for w in witnesses:
        expected = sum(w.values()) == g.v(g.grand) and all(
            sum(w[p] for p in s) >= g.v(s) for s in g.coalitions()
        )
        assert in_core(g, w) is expected
