"""The nucleolus against independent oracles, published games and the properties any nucleolus has.

``games.nucleolus`` solves the Maschler–Peleg–Shapley LP sequence exactly with a small dual simplex.
Its oracles share no code with it: coopgame-py's rational ``nucleolus_exact`` and ``certify_rational``;
closed forms from the literature; an exact Kohlberg certificate written here (weights proposed by a
float LP, checked in ``Fraction``s — it must also refuse every other point, and does); and the first
exact implementation (``games._nucleolus_by_exact_lps``) as a slow reference. Timings: ``bench/games.py``.

Published games: the Talmud rule is the nucleolus of the bankruptcy game (Aumann & Maschler, J. Econ.
Theory 36, 1985); glove markets with fewer left than right gloves have the single core point "each left
glove 1, each right glove 0"; the airport game's nucleolus by Littlechild's formula (Littlechild, "A
simple expression for the nucleolus in a special case", Int. J. Game Theory 3, 1974); the apex game
[n−1; n−2, 1, …, 1] has the nucleolus (n−2, 1, …, 1)/(2n−3) and a symmetric majority game the equal split.
"""

from __future__ import annotations

import random
from fractions import Fraction

import coopgame
import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from benefit_sharing import games as G
from benefit_sharing.games import CooperativeGame, in_core, nucleolus

SEED = 20261206


def game_from(n: int, value, names: tuple[str, ...] | None = None) -> CooperativeGame:
    """A game on n players; ``value(members)`` gives v(S) for a tuple of player indices."""
    players = names or tuple(f"P{k + 1}" for k in range(n))
    values = {}
    for mask in range(1, 1 << n):
        members = tuple(k for k in range(n) if mask >> k & 1)
        values[frozenset(players[k] for k in members)] = Fraction(value(members))
    return CooperativeGame(players, values)


def as_list(g: CooperativeGame, x) -> list[Fraction]:
    return [x[p] for p in g.players]


def oracle_args(g: CooperativeGame) -> tuple[list[Fraction], str]:
    """coopgame-py's input: v in binary order (v[mask − 1]) and the domain our nucleolus uses."""
    n = len(g.players)
    values = [g.v(frozenset(g.players[k] for k in range(n) if m >> k & 1)) for m in range(1, 1 << n)]
    return values, ("imputation" if g.imputations_exist else "preimputation")


def assert_certified_by_coopgame(g: CooperativeGame, x) -> None:
    values, domain = oracle_args(g)
    verdict = coopgame.certify_rational(values, as_list(g, x), domain, "binary")
    assert verdict["satisfied"], verdict["reason"]
    assert verdict["allocation"] == as_list(g, x)


@st.composite
def random_games(draw, n_min: int = 3, n_max: int = 8, low: int = -20, high: int = 200) -> CooperativeGame:
    """Games as a scenario would give them: integer values (sometimes few distinct ones, many ties)."""
    n = draw(st.integers(n_min, n_max))
    kind = draw(st.sampled_from(["uniform", "few values", "synergy"]))
    rng = random.Random(draw(st.integers(0, 2**32)))
    alone = [rng.randint(0, 50) for _ in range(n)]

    def value(members):
        if kind == "uniform":
            return rng.randint(low, high)
        if kind == "few values":
            return rng.randint(0, 3)
        return sum(alone[k] for k in members) + rng.randint(0, 10 * len(members) ** 2)

    return game_from(n, value)


# --- peers as oracles --------------------------------------------------------------------------------


@seed(SEED)
@settings(max_examples=80, deadline=None)
@given(random_games(3, 7))
def test_equals_coopgame_nucleolus_exact(g):
    values, domain = oracle_args(g)
    expected = coopgame.nucleolus_exact(values, domain, "binary")["allocation"]
    x, note = nucleolus(g)
    assert as_list(g, x) == list(expected)
    assert ("pre-nucleolus" in note) is (domain == "preimputation")


@seed(SEED)
@settings(max_examples=4, deadline=None)
@given(random_games(8, 8))
def test_equals_coopgame_nucleolus_exact_at_8_players(g):
    values, domain = oracle_args(g)
    expected = coopgame.nucleolus_exact(values, domain, "binary")["allocation"]
    assert as_list(g, nucleolus(g)[0]) == list(expected)


@seed(SEED)
@settings(max_examples=60, deadline=None)
@given(random_games(3, 10))
def test_coopgame_certifies_the_answer(g):
    assert_certified_by_coopgame(g, nucleolus(g)[0])


@seed(SEED)
@settings(max_examples=40, deadline=None)
@given(random_games(3, 6), st.integers(1, 10**6))
def test_coopgame_certifies_money_values(g, cents):
    """Amounts in cents of large totals: the floating-point guide sees values up to 10^10."""
    g = CooperativeGame(g.players, {s: v * cents + Fraction(cents, 100) for s, v in g.values.items()})
    x, _ = nucleolus(g)
    assert_certified_by_coopgame(g, x)


# --- published games ---------------------------------------------------------------------------------


def bankruptcy(estate, claims):
    return game_from(
        len(claims), lambda m: max(0, estate - sum(c for k, c in enumerate(claims) if k not in m))
    )


@pytest.mark.parametrize(
    "estate, claims",
    [
        (100, [100, 200, 300]),
        (200, [100, 200, 300]),
        (300, [100, 200, 300]),
        (400, [100, 200, 300]),
        (350, [100, 150, 200, 250]),
        (Fraction(1001, 2), [120, 80, 300, 45, 210]),
        (1000, [100, 250, 300, 400, 500, 600, 700]),
    ],
)
def test_talmud_rule_is_the_nucleolus_of_the_bankruptcy_game(estate, claims):
    g = bankruptcy(estate, claims)
    assert as_list(g, nucleolus(g)[0]) == coopgame.talmud(estate, claims, exact=True)


@pytest.mark.parametrize("left, right", [(1, 2), (2, 3), (1, 5), (3, 4), (2, 6), (3, 5)])
def test_glove_market_with_scarce_left_gloves(left, right):
    g = game_from(left + right, lambda m: min(sum(k < left for k in m), sum(k >= left for k in m)))
    x, _ = nucleolus(g)
    assert as_list(g, x) == [1] * left + [0] * right


@pytest.mark.parametrize("pairs", [1, 2, 3, 4])
def test_balanced_glove_market_splits_each_pair_equally(pairs):
    g = game_from(2 * pairs, lambda m: min(sum(k < pairs for k in m), sum(k >= pairs for k in m)))
    assert as_list(g, nucleolus(g)[0]) == [Fraction(1, 2)] * (2 * pairs)


def littlechild_airport(costs: list[Fraction]) -> list[Fraction]:
    """Littlechild (1974): with costs sorted, the next group pays min over k of (c_k − paid)/(players
    from the next to k, plus one unless k is the last) — the nucleolus of the airport cost game."""
    order = sorted(range(len(costs)), key=lambda k: costs[k])
    c = [Fraction(costs[k]) for k in order]
    n = len(c)
    share = [Fraction(0)] * n
    m, paid = 0, Fraction(0)
    while m < n:
        options = [((c[k] - paid) / (k - m + 2 if k < n - 1 else n - m), k) for k in range(m, n)]
        best = min(o for o, _ in options)
        last = max(k for o, k in options if o == best)
        for k in range(m, last + 1):
            share[k] = best
        paid += best * (last + 1 - m)
        m = last + 1
    out = [Fraction(0)] * n
    for pos, k in enumerate(order):
        out[k] = share[pos]
    return out


@pytest.mark.parametrize(
    "costs", [[1, 2, 3, 5], [4, 4, 4], [1, 3, 3, 8, 9], [2, 7, 7, 7, 11, 12], [5, 1, 9, 3, 3, 14, 2]]
)
def test_airport_game(costs):
    """The savings game v(S) = Σ_{i∈S} c_i − max_{i∈S} c_i; its nucleolus is c − (the cost nucleolus)."""
    g = game_from(len(costs), lambda m: sum(costs[k] for k in m) - max(costs[k] for k in m))
    x, _ = nucleolus(g)
    pays = [costs[k] - xk for k, xk in enumerate(as_list(g, x))]
    assert pays == littlechild_airport(costs)
    values, domain = oracle_args(g)
    assert as_list(g, x) == coopgame.nucleolus_exact(values, domain, "binary")["allocation"]
    assert pays == pytest.approx(coopgame.airport(costs)["nucleolus"], abs=1e-6)  # its float method


@pytest.mark.parametrize("n", [4, 5, 6, 7, 8])
def test_apex_game(n):
    weights = [n - 2] + [1] * (n - 1)
    g = game_from(n, lambda m: int(sum(weights[k] for k in m) >= n - 1))
    assert as_list(g, nucleolus(g)[0]) == [Fraction(w, 2 * n - 3) for w in weights]


@pytest.mark.parametrize("n, quota", [(3, 2), (5, 3), (7, 4), (9, 5)])
def test_symmetric_majority_game(n, quota):
    g = game_from(n, lambda m: int(len(m) >= quota))
    assert as_list(g, nucleolus(g)[0]) == [Fraction(1, n)] * n


@pytest.mark.parametrize(
    "weights, quota",
    [([4, 3, 2, 1], 6), ([5, 3, 3, 2, 1], 8), ([6, 4, 3, 3, 2, 1], 10), ([3, 3, 2, 2, 1, 1, 1], 7)],
)
def test_weighted_majority_games(weights, quota):
    g = game_from(len(weights), lambda m: int(sum(weights[k] for k in m) >= quota))
    values, domain = oracle_args(g)
    assert as_list(g, nucleolus(g)[0]) == coopgame.nucleolus_exact(values, domain, "binary")["allocation"]


def test_ten_players_with_many_ties():
    """Coalitions of one size worth the same, so hundreds of coalitions tie at each excess level."""
    g = game_from(10, lambda m: len(m) ** 2)
    assert as_list(g, nucleolus(g)[0]) == [10] * 10
    g = game_from(10, lambda m: (len(m) >= 6) + (0 in m) * (len(m) >= 3))
    assert_certified_by_coopgame(g, nucleolus(g)[0])


# --- properties ---------------------------------------------------------------------------------------


@seed(SEED)
@settings(max_examples=60, deadline=None)
@given(random_games(3, 8))
def test_efficient_and_individually_rational(g):
    x, note = nucleolus(g)
    assert sum(x.values()) == g.v(g.grand)
    if g.imputations_exist:
        assert note == ""
        assert all(x[p] >= g.v(frozenset([p])) for p in g.players)


@st.composite
def games_with_a_core_point(draw, n_min: int = 3, n_max: int = 8) -> tuple[CooperativeGame, dict]:
    """v(S) ≤ y(S) for every S and v(N) = y(N): y is in the core, so the core is not empty."""
    n = draw(st.integers(n_min, n_max))
    rng = random.Random(draw(st.integers(0, 2**32)))
    y = [Fraction(rng.randint(0, 100)) for _ in range(n)]
    slack = draw(st.sampled_from([0, 3, 40]))
    g = game_from(n, lambda m: sum(y[k] for k in m) - (rng.randint(0, slack) if len(m) < n else 0))
    return g, dict(zip(g.players, y, strict=True))


@seed(SEED)
@settings(max_examples=60, deadline=None)
@given(games_with_a_core_point())
def test_in_the_core_whenever_the_core_is_not_empty(case):
    g, y = case
    assert in_core(g, y)
    assert in_core(g, nucleolus(g)[0])


@seed(SEED)
@settings(max_examples=50, deadline=None)
@given(random_games(3, 7), st.data())
def test_symmetric_players_get_equal_payoffs(g, data):
    """Make two players interchangeable (v(S) = v(S with them swapped)) and both get the same."""
    i, j = data.draw(st.lists(st.sampled_from(g.players), min_size=2, max_size=2, unique=True))

    def swap(s):
        return frozenset(j if p == i else i if p == j else p for p in s)

    g = CooperativeGame(g.players, {s: min(v, g.v(swap(s))) for s, v in g.values.items()})
    x, _ = nucleolus(g)
    assert x[i] == x[j]


@seed(SEED)
@settings(max_examples=40, deadline=None)
@given(random_games(3, 8), st.randoms(use_true_random=False))
def test_does_not_depend_on_the_order_or_names_of_players(g, rnd):
    x, note = nucleolus(g)
    order = list(g.players)
    rnd.shuffle(order)
    names = {p: f"city-{rnd.randint(0, 10**6)}-{k}" for k, p in enumerate(order)}
    renamed = CooperativeGame(
        tuple(names[p] for p in order), {frozenset(names[p] for p in s): v for s, v in g.values.items()}
    )
    y, note2 = nucleolus(renamed)
    assert {p: y[names[p]] for p in g.players} == x and note2 == note


@seed(SEED)
@settings(max_examples=40, deadline=None)
@given(
    random_games(3, 7),
    st.fractions(Fraction(1, 7), 50),
    st.lists(st.integers(-30, 30), min_size=7, max_size=7),
)
def test_covariant_under_strategic_equivalence(g, a, b):
    """v'(S) = a·v(S) + b(S) with a > 0 has nucleolus a·x + b."""
    shift = dict(zip(g.players, b, strict=False))
    g2 = CooperativeGame(g.players, {s: a * v + sum(shift[p] for p in s) for s, v in g.values.items()})
    x, _ = nucleolus(g)
    assert nucleolus(g2)[0] == {p: a * x[p] + shift[p] for p in g.players}


# --- the old exact path as a slow reference ----------------------------------------------------------


@seed(SEED)
@settings(max_examples=60, deadline=None)
@given(random_games(2, 4))
def test_same_fractions_as_the_exact_lps(g):
    assert nucleolus(g)[0] == G._nucleolus_by_exact_lps(g)


@seed(SEED)
@settings(max_examples=3, deadline=None)
@given(random_games(5, 5))
def test_same_fractions_as_the_exact_lps_at_5_players(g):
    assert nucleolus(g)[0] == G._nucleolus_by_exact_lps(g)


# --- values whose scales differ by many orders of magnitude (where floating point would fail) --------


def wide_scale_game(n: int, rng: random.Random, kind: str) -> CooperativeGame:
    if kind == "square":  # 10¹²·|S|² plus a remainder of 0–2: the remainder decides the nucleolus
        return game_from(n, lambda m: 10**12 * len(m) ** 2 + sum(m) % 3)
    if kind == "mixed":  # each value 0, 1, 10⁹ or 10¹², plus a few units
        return game_from(n, lambda m: rng.choice([0, 1, 10**9, 10**12]) + rng.randint(0, 5))
    return game_from(n, lambda m: Fraction(rng.randint(0, 10**12), rng.randint(1, 10**9)))  # "ragged"


@pytest.mark.parametrize("kind", ["square", "mixed", "ragged"])
@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_wide_scales_equal_coopgame_nucleolus_exact(n, kind):
    rng = random.Random(SEED + n)
    for _ in range(3):
        g = wide_scale_game(n, rng, kind)
        values, domain = oracle_args(g)
        assert as_list(g, nucleolus(g)[0]) == coopgame.nucleolus_exact(values, domain, "binary")["allocation"]


@pytest.mark.parametrize("kind", ["square", "mixed", "ragged"])
def test_wide_scales_equal_the_exact_lps(kind):
    rng = random.Random(SEED)
    for n in (3, 4):
        g = wide_scale_game(n, rng, kind)
        assert nucleolus(g)[0] == G._nucleolus_by_exact_lps(g)


# --- an exact Kohlberg certificate, written here as an oracle ----------------------------------------


class Echelon:
    """Exact span of vectors in Q^n (row echelon form, ``Fraction``s)."""

    def __init__(self, n: int) -> None:
        self.n, self.rows = n, []  # (pivot column, row with 1 at the pivot)

    def reduce(self, vec):
        vec = [Fraction(a) for a in vec]
        for p, row in self.rows:
            if vec[p]:
                f = vec[p]
                vec = [a - f * b for a, b in zip(vec, row, strict=True)]
        return vec

    def add(self, vec) -> bool:
        vec = self.reduce(vec)
        p = next((k for k in range(self.n) if vec[k]), None)
        if p is None:
            return False
        self.rows.append((p, [a / vec[p] for a in vec]))
        return True


def balancing_weights(n, new, held, basis):
    """λ ≥ 1 on ``new``, μ ≥ 0 on ``held``, π free with Σ λ·S + Σ μ·e_i = Σ π·B: proposed by HiGHS,
    made exact by solving for independent columns (π first, then the largest weights) in Fractions."""
    import numpy as np
    from scipy.optimize import linprog

    cols = (
        [list(s) for s in new]
        + [[int(k == i) for k in range(n)] for i in held]
        + [[-a for a in b] for b in basis]
    )
    nl, nm = len(new), len(held)
    res = linprog(
        np.array([1.0] * (nl + nm) + [0.0] * len(basis)),
        A_eq=np.array(cols, dtype=float).T,
        b_eq=np.zeros(n),
        bounds=[(1.0, None)] * nl + [(0.0, None)] * nm + [(None, None)] * len(basis),
        method="highs",
    )
    if res.status != 0:
        return None
    value = [Fraction(0)] * len(cols)
    for j, a in enumerate(res.x[: nl + nm]):
        value[j] = (
            Fraction(float(a)).limit_denominator(1 << 40) if abs(a - (j < nl)) > 1e-9 else Fraction(j < nl)
        )
    order = list(range(nl + nm, len(cols))) + sorted(
        (j for j in range(nl + nm) if value[j]), key=lambda j: -value[j]
    )
    chosen, echelon = [], Echelon(n)
    for j in order:
        if echelon.add(cols[j]):
            chosen.append(j)
    target = [-sum(cols[j][k] * value[j] for j in range(len(cols)) if j not in chosen) for k in range(n)]
    # solve Σ_{chosen} z_j · col_j = target exactly
    m = [[Fraction(cols[j][k]) for j in chosen] + [target[k]] for k in range(n)]
    pivots, r = [], 0
    for c in range(len(chosen)):
        p = next((i for i in range(r, n) if m[i][c]), None)
        if p is None:
            return None
        m[r], m[p] = m[p], m[r]
        m[r] = [a / m[r][c] for a in m[r]]
        for i in range(n):
            if i != r and m[i][c]:
                m[i] = [a - m[i][c] * b for a, b in zip(m[i], m[r], strict=True)]
        pivots.append(c)
        r += 1
    if any(m[i][-1] for i in range(r, n)):
        return None
    for i, c in enumerate(pivots):
        value[chosen[c]] = m[i][-1]
    return value[:nl], value[nl : nl + nm], value[nl + nm :]


def kohlberg_certifies(g: CooperativeGame, x, find_weights=balancing_weights) -> bool:
    """True only if x is the nucleolus (the pre-nucleolus without imputations), proved exactly.

    Let B_1, B_2, … be the coalitions by decreasing excess at x, L_k the span of 1_N, B_1 … B_k, and T0
    the players at x_i = v(i) (imputations only). If for every k some λ_S > 0 on the coalitions of B_k
    outside L_(k−1) and μ_i ≥ 0 on T0 have Σ λ_S·1_S + Σ μ_i·e_i in L_(k−1), no direction keeping
    x(N) and x_i ≥ v(i) lowers an excess of B_1 … B_k without raising one at or above its level, so the
    sorted excess vector of any other imputation is lexicographically larger (Kohlberg 1971).
    """
    players, n = g.players, len(g.players)
    imputation = g.imputations_exist
    if sum(x[p] for p in players) != g.v(g.grand):
        return False
    if imputation and any(x[p] < g.v(frozenset([p])) for p in players):
        return False
    excess = {s: g.v(s) - sum(x[p] for p in s) for s in g.coalitions()}
    held = [k for k, p in enumerate(players) if imputation and x[p] == g.v(frozenset([p]))]
    span, basis = Echelon(n), [[1] * n]
    span.add(basis[0])
    for level in sorted(set(excess.values()), reverse=True):
        if len(basis) == n:
            break
        vectors = [[int(p in s) for p in players] for s, e in excess.items() if e == level]
        new = [vec for vec in vectors if any(span.reduce(vec))]
        if not new:
            continue
        weights = find_weights(n, new, held, list(basis))
        if weights is None:
            return False
        lam, mu, pi = weights
        if any(a <= 0 for a in lam) or any(a < 0 for a in mu):
            return False
        total = [Fraction(0)] * n
        for vec, wgt in (*zip(new, lam, strict=True), *zip(basis, (-a for a in pi), strict=True)):
            total = [t + wgt * a for t, a in zip(total, vec, strict=True)]
        for k, wgt in zip(held, mu, strict=True):
            total[k] += wgt
        if any(total):
            return False
        for vec in new:
            if span.add(vec):
                basis.append(vec)
    return len(basis) == n


@seed(SEED)
@settings(max_examples=40, deadline=None)
@given(random_games(3, 10))
def test_kohlberg_certificate_proves_the_answer(g):
    assert kohlberg_certifies(g, nucleolus(g)[0])


@seed(SEED)
@settings(max_examples=40, deadline=None)
@given(random_games(3, 6), st.data())
def test_kohlberg_certificate_refuses_any_other_point(g, data):
    """The oracle can fail: move the nucleolus by a small or a large step along e_i − e_j."""
    x, _ = nucleolus(g)
    i, j = data.draw(st.lists(st.sampled_from(g.players), min_size=2, max_size=2, unique=True))
    step = data.draw(st.sampled_from([Fraction(1, 10**9), Fraction(1, 7), Fraction(5)]))
    y = {**x, i: x[i] + step, j: x[j] - step}
    assert kohlberg_certifies(g, x)
    assert not kohlberg_certifies(g, y)
    values, domain = oracle_args(g)
    verdict = coopgame.certify_rational(values, as_list(g, y), domain, "binary")
    # coopgame-py rounds a nearly right point to the exact one it proves: that one must not be y
    assert not (verdict["satisfied"] and verdict["allocation"] == as_list(g, y))


def test_kohlberg_certificate_refuses_weights_that_do_not_balance():
    g = bankruptcy(200, [100, 200, 300])
    x, _ = nucleolus(g)

    def nudged(*args):
        lam, mu, pi = balancing_weights(*args)
        return [lam[0] + Fraction(1, 10**12), *lam[1:]], mu, pi

    def zero_weight(*args):
        lam, mu, pi = balancing_weights(*args)
        return [Fraction(0), *lam[1:]], mu, pi

    assert kohlberg_certifies(g, x)
    assert not kohlberg_certifies(g, x, nudged)
    assert not kohlberg_certifies(g, x, zero_weight)
    assert not kohlberg_certifies(g, x, lambda *args: None)


@pytest.mark.parametrize("kind", ["uniform", "synergy"])
def test_random_ten_player_games(kind):
    """Ten players (the most a scenario allows): coopgame-py and the certificate both accept."""
    rng = random.Random(SEED)
    for _ in range(2):
        if kind == "uniform":
            g = game_from(10, lambda m: rng.randint(-20, 200))
        else:
            g = game_from(10, lambda m: 10 * len(m) + rng.randint(0, 9 * len(m) ** 2))
        x, _ = nucleolus(g)
        assert_certified_by_coopgame(g, x)
        assert kohlberg_certifies(g, x)


def test_single_player_and_single_imputation():
    g = game_from(1, lambda m: 7)
    assert nucleolus(g) == ({"P1": 7}, "")
    g = game_from(4, lambda m: sum(m) if len(m) in (1, 4) else 100)  # Σ v(i) = v(N): one imputation
    assert as_list(g, nucleolus(g)[0]) == [0, 1, 2, 3]
