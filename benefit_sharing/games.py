"""Cooperative allocation of a joint project's surplus among cities, in exact arithmetic.

Shapley value, nucleolus, Nash bargaining (symmetric and weighted), proportional and equal split,
each with a core check. All arithmetic is ``Fraction``: the nucleolus is found by the sequential linear
programmes of Maschler, Peleg and Shapley (1979), each stage solved exactly by a small dual simplex in
(x, t) and its tight coalitions read off the exact optimal duals (tenths of a second at 10 players;
``bench/games.py``). Third-party nucleolus code has been seen to be wrong, so this one is tested against
published results (Aumann & Maschler 1985's Talmud estates, glove, airport and weighted majority games),
coopgame-py's rational solver and certifier, an exact Kohlberg certificate, the first exact
implementation (``_nucleolus_by_exact_lps``) and the worked example BS-08 (``docs/benefit-sharing.md``).
This module knows games, not taxes or cities; it never answers with a float.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from math import factorial, gcd

__all__ = [
    "CooperativeGame",
    "shapley",
    "nucleolus",
    "nash",
    "nash_weighted",
    "proportional",
    "equal_split",
    "in_core",
    "least_core_excess",
    "core_is_empty",
    "LPError",
    "AllocationUndefined",
    "PRE_NUCLEOLUS",
]

Coalition = frozenset[str]


#: The nucleolus's note when no imputation exists (English, Chinese).
PRE_NUCLEOLUS = (
    "no imputation exists (Σ v(i) > v(N)): the pre-nucleolus is given",
    "不存在个体理性分配（Σ v(i) > v(N)）：给出的是预核仁",
)


class LPError(ArithmeticError):
    """A linear programme that is infeasible or unbounded (a bug or an inconsistent game)."""


class AllocationUndefined(ValueError):
    """A rule that cannot allocate this game; ``zh`` says why in Chinese."""

    def __init__(self, message: str, zh: str) -> None:
        super().__init__(message)
        self.zh = zh


@dataclass(frozen=True)
class CooperativeGame:
    """Players and v(S) for every non-empty coalition S (v(∅) = 0)."""

    players: tuple[str, ...]
    values: Mapping[Coalition, Fraction]

    def v(self, coalition: Coalition) -> Fraction:
        return self.values[coalition] if coalition else Fraction(0)

    @property
    def grand(self) -> Coalition:
        return frozenset(self.players)

    def coalitions(self, proper: bool = True) -> list[Coalition]:
        n = len(self.players)
        top = n - 1 if proper else n
        return [frozenset(c) for k in range(1, top + 1) for c in combinations(self.players, k)]

    @property
    def imputations_exist(self) -> bool:
        return sum((self.v(frozenset([p])) for p in self.players), Fraction(0)) <= self.v(self.grand)


def shapley(game: CooperativeGame) -> dict[str, Fraction]:
    """φ_i = Σ_{S ⊆ N∖i} |S|!(n−|S|−1)!/n! · (v(S∪i) − v(S))."""
    n = len(game.players)
    out = {}
    for i in game.players:
        others = [p for p in game.players if p != i]
        total = Fraction(0)
        for k in range(n):
            weight = Fraction(factorial(k) * factorial(n - k - 1), factorial(n))
            for c in combinations(others, k):
                s = frozenset(c)
                total += weight * (game.v(s | {i}) - game.v(s))
        out[i] = total
    return out


def nash(game: CooperativeGame) -> dict[str, Fraction]:
    """Symmetric Nash bargaining with stand-alone values as disagreement point: v(i) + surplus/n."""
    surplus = game.v(game.grand) - sum((game.v(frozenset([p])) for p in game.players), Fraction(0))
    return {p: game.v(frozenset([p])) + surplus / len(game.players) for p in game.players}


def nash_weighted(game: CooperativeGame, weights: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """Weighted (asymmetric) Nash bargaining: v(i) + w_i·surplus, weights summing to 1."""
    surplus = game.v(game.grand) - sum((game.v(frozenset([p])) for p in game.players), Fraction(0))
    return {p: game.v(frozenset([p])) + Fraction(weights[p]) * surplus for p in game.players}


def proportional(
    game: CooperativeGame, contributions: Mapping[str, Fraction] | None = None
) -> dict[str, Fraction]:
    """v(N) in proportion to contributions (default: stand-alone values v(i)); None-safe for a zero total."""
    basis = {p: Fraction(contributions[p]) if contributions else game.v(frozenset([p])) for p in game.players}
    total = sum(basis.values(), Fraction(0))
    if total == 0 or any(b < 0 for b in basis.values()):
        raise AllocationUndefined(
            "proportional allocation needs non-negative contributions with a positive sum",
            "按比例分配要求各方贡献非负且总和为正",
        )
    return {p: game.v(game.grand) * b / total for p, b in basis.items()}


def equal_split(game: CooperativeGame) -> dict[str, Fraction]:
    return {p: game.v(game.grand) / len(game.players) for p in game.players}


def in_core(game: CooperativeGame, x: Mapping[str, Fraction]) -> bool:
    """Efficient (x(N) = v(N)) and no coalition can do better alone (x(S) ≥ v(S) for all S)."""
    if sum((x[p] for p in game.players), Fraction(0)) != game.v(game.grand):
        return False
    return all(sum((x[p] for p in s), Fraction(0)) >= game.v(s) for s in game.coalitions())


def least_core_excess(game: CooperativeGame) -> Fraction:
    """ε* = min over efficient x of max over proper coalitions S of v(S) − x(S): how much the most
    demanding coalition must be denied at best (the least core; the nucleolus's first stage, exact). The
    core is empty exactly when ε* > 0: every split leaves some coalition better off on its own."""
    n = len(game.players)
    if n < 2:
        return Fraction(0)
    v = _values_by_mask(game)
    full = (1 << n) - 1
    x_hat, w = _affine_parametrisation([([1] * n, v[full])], n)
    t, _, _ = _min_t(n, v, list(range(1, full)), [], x_hat, w)
    return t


def core_is_empty(game: CooperativeGame) -> bool:
    """Whether no split of v(N) gives every coalition at least what it earns on its own."""
    return least_core_excess(game) > 0


# ---------------------------------------------------------------------------------------------------
# Nucleolus: the Maschler–Peleg–Shapley LP sequence, exact and small.
#
# The first version (kept below as ``_nucleolus_by_exact_lps``, the slow reference for the tests and
# bench/games.py) put every coalition in a dense ``Fraction`` tableau (about 1,000 rows × 2,000 columns
# at 10 players) and ran one more LP per tight coalition: minutes at 7 players. Here each stage is
# solved in the space of (x, t) alone, restricted to what the fixed coalitions leave free, by a dual
# simplex whose basis has at most n + 1 rows, and the coalitions to fix are read off the exact optimal
# duals; 10 players take tenths of a second. Measured against a floating-point guide (HiGHS) with an
# exact Kohlberg certificate: that was 2–3× faster at 8–10 players once scipy was imported (0.75 s the
# first time), but games whose values span many orders of magnitude defeat the floats and need this
# exact path anyway — so this is the only path, and the certificate became a test oracle.


def nucleolus(game: CooperativeGame) -> tuple[dict[str, Fraction], str]:
    """The nucleolus (over imputations), or the pre-nucleolus when there are no imputations.

    Stage k: minimise t subject to v(S) − x(S) ≤ t for the coalitions not yet fixed, the fixed ones at
    their excess, x(N) = v(N) (and x_i ≥ v(i)). A coalition is fixed when its exact optimal dual is
    positive, which by complementary slackness means its excess is t on the whole optimal set (and a
    player is held at v(i) when the bound's dual is positive); a coalition whose incidence vector is
    in the span of the fixed ones is dropped, its excess being determined. Stops when x is determined.
    All in ``Fraction``s: the answer is exact, whatever the size of the values.
    """
    note = "" if game.imputations_exist else PRE_NUCLEOLUS[0]
    x = _nucleolus_by_exact_stages(len(game.players), _values_by_mask(game), game.imputations_exist)
    return dict(zip(game.players, x, strict=True)), note


def _values_by_mask(game: CooperativeGame) -> list[Fraction]:
    """v by coalition bit mask (bit k is ``game.players[k]``); v[0] = 0."""
    players = game.players
    out = [Fraction(0)]
    for mask in range(1, 1 << len(players)):
        out.append(Fraction(game.v(frozenset(p for k, p in enumerate(players) if mask >> k & 1))))
    return out


def _bits(mask: int, n: int) -> list[int]:
    return [mask >> k & 1 for k in range(n)]


class _Span:
    """The span of coalitions' incidence vectors, kept exactly. A coalition lies in it when K·1_S = 0
    for an integer matrix K whose rows span the orthogonal complement: integer arithmetic only."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.basis: list[int] = []
        self._complement: list[list[int]] = [[int(j == k) for j in range(n)] for k in range(n)]

    @property
    def rank(self) -> int:
        return len(self.basis)

    def contains(self, mask: int) -> bool:
        return not any(sum(row[k] for k in range(self.n) if mask >> k & 1) for row in self._complement)

    def members(self) -> list[bool]:
        """For every mask 0 … 2^n − 1, whether that coalition lies in the span (subset sums, one pass
        over the masks per row of K)."""
        inside = [True] * (1 << self.n)
        for row in self._complement:
            sums = [0] * (1 << self.n)
            for m in range(1, 1 << self.n):
                sums[m] = sums[m & (m - 1)] + row[(m & -m).bit_length() - 1]
                if sums[m]:
                    inside[m] = False
        return inside

    def add(self, mask: int) -> bool:
        if self.contains(mask):
            return False
        self.basis.append(mask)
        self._complement = _integer_nullspace([_bits(m, self.n) for m in self.basis], self.n)
        return True


def _integer_nullspace(rows: list[list[int]], n: int) -> list[list[int]]:
    """Integer vectors spanning {y : r·y = 0 for every row r} (exact: ``Fraction`` row reduction)."""
    pivots, reduced = _rref([[Fraction(a) for a in r] for r in rows], n)
    out = []
    for f in (c for c in range(n) if c not in pivots):
        y = [Fraction(0)] * n
        y[f] = Fraction(1)
        for row, p in zip(reduced, pivots, strict=True):
            y[p] = -row[f]
        scale = 1
        for a in y:
            scale = scale * a.denominator // gcd(scale, a.denominator)
        out.append([int(a * scale) for a in y])
    return out


def _rref(rows: list[list[Fraction]], ncols: int) -> tuple[list[int], list[list[Fraction]]]:
    """Reduced row echelon form of the first ``ncols`` columns: (pivot columns, non-zero rows)."""
    m = [list(r) for r in rows]
    pivots: list[int] = []
    r = 0
    for c in range(ncols):
        p = next((i for i in range(r, len(m)) if m[i][c] != 0), None)
        if p is None:
            continue
        m[r], m[p] = m[p], m[r]
        _eliminate(m, r, c)
        pivots.append(c)
        r += 1
        if r == len(m):
            break
    return pivots, m[:r]


def _nucleolus_by_exact_stages(n: int, v: list[Fraction], imputation: bool) -> list[Fraction]:
    """The nucleolus for v by bit mask (see ``nucleolus``). At each stage x = x̂ + W·u on the set the
    fixed coalitions leave free, and ``_min_t`` solves the stage exactly."""
    full = (1 << n) - 1
    span = _Span(n)
    span.add(full)
    equations: list[tuple[list[int], Fraction]] = [([1] * n, v[full])]
    free = list(range(1, full))
    held: set[int] = set()
    while span.rank < n:
        x_hat, w = _affine_parametrisation(equations, n)
        bounds = [k for k in range(n) if imputation and k not in held and any(col[k] for col in w)]
        t, dual_coalition, dual_bound = _min_t(n, v, free, bounds, x_hat, w)
        newly = [m for m in free if dual_coalition.get(m, 0) > 0]
        if not newly:  # Σ duals of the coalitions is 1 at any optimum; guard against a bug looping
            raise LPError("nucleolus: no coalition could be fixed at a stage")
        for m in newly:
            equations.append((_bits(m, n), v[m] - t))
            span.add(m)
        for k in bounds:
            if dual_bound.get(k, 0) > 0:
                held.add(k)
                equations.append(([int(j == k) for j in range(n)], v[1 << k]))
                span.add(1 << k)
        inside = span.members()
        free = [m for m in free if not inside[m]]
    x_hat, _ = _affine_parametrisation(equations, n)
    return x_hat


def _affine_parametrisation(
    equations: list[tuple[list[int], Fraction]], n: int
) -> tuple[list[Fraction], list[list[int]]]:
    """A point x̂ and integer directions W with {x : a·x = b for every equation} = x̂ + span W."""
    pivots, reduced = _rref([[Fraction(a) for a in row] + [b] for row, b in equations], n + 1)
    if n in pivots:
        raise LPError("nucleolus: the fixed excesses contradict each other")
    x_hat = [Fraction(0)] * n
    for row, p in zip(reduced, pivots, strict=True):
        x_hat[p] = row[-1]
    return x_hat, _integer_nullspace([row for row, _ in equations], n)


Row = tuple[tuple[int, ...], Fraction, tuple[str, int]]  # (coefficients of (u, t), right-hand side, key)


def _min_t(
    n: int,
    v: list[Fraction],
    free: list[int],
    bounds: list[int],
    x_hat: list[Fraction],
    w: list[list[int]],
) -> tuple[Fraction, dict[int, Fraction], dict[int, Fraction]]:
    """min t s.t. x(S) + t ≥ v(S) for S in ``free`` and x_k ≥ v(k) for k in ``bounds``, x = x̂ + W·u.
    Returns (t*, optimal duals of the coalitions, of the bounds), exact."""
    p = len(w) + 1
    rows: list[Row] = []
    for m in free:
        coef = tuple(sum(col[k] for k in range(n) if m >> k & 1) for col in w) + (1,)
        rows.append((coef, v[m] - sum((x_hat[k] for k in range(n) if m >> k & 1), Fraction(0)), ("S", m)))
    for k in bounds:
        rows.append((tuple(col[k] for col in w) + (0,), v[1 << k] - x_hat[k], ("i", k)))
    # The artificial box u ≥ −M, t ≥ −M gives a dual-feasible start; M grows until it binds nowhere.
    big = (1 + sum((abs(h) for _, h, _ in rows), Fraction(0))) * 2**20
    for _ in range(16):
        result = _dual_simplex(rows, p, big)
        if result is not None:
            t, duals = result
            coalitions = {key[1]: y for key, y in duals.items() if key[0] == "S"}
            return t, coalitions, {key[1]: y for key, y in duals.items() if key[0] == "i"}
        big *= 2**32
    raise LPError("nucleolus: a stage LP is unbounded")  # pragma: no cover - the stages are bounded


def _dual_simplex(rows: list[Row], p: int, big: Fraction) -> tuple[Fraction, dict] | None:
    """min t over G·(u, t) ≥ h, exact. The basis is p rows of G (tight at the current point) with duals
    y ≥ 0 and G_Bᵀ·y = e_t, so every basis is dual feasible; a violated row enters (the most violated;
    Bland's smallest index after 50 degenerate steps in a row, so it cannot cycle) and the ratio test
    keeps y ≥ 0. Ends when no row is violated: then the point and y are optimal, provided no
    artificial box row carries a dual (else None: a larger M is needed). Returns (t*, y by row key)."""
    art: list[Row] = [(tuple(int(j == k) for j in range(p)), -big, ("box", k)) for k in range(p)]
    allrows = art + rows
    h_den = 1
    for _, h, _ in rows:
        h_den = h_den * h.denominator // gcd(h_den, h.denominator)
    int_rows = [(coef, int(h * h_den)) for coef, h, _ in rows]
    basis = list(range(p))  # indices into allrows
    binv = [[Fraction(int(i == j)) for j in range(p)] for i in range(p)]  # G_B⁻¹
    y = [Fraction(int(k == p - 1)) for k in range(p)]  # duals of the basic rows
    degenerate = 0
    for _ in range(1_000_000):
        hb = [allrows[r][1] for r in basis]
        z = [sum((binv[i][j] * hb[j] for j in range(p) if hb[j]), Fraction(0)) for i in range(p)]
        # Pricing in integers: slack · D · Dh = (G_r · Z)·Dh − H_r·D, with z = Z/D and h = H/Dh.
        den = 1
        for a in z:
            den = den * a.denominator // gcd(den, a.denominator)
        zi = [int(a * den) for a in z]
        entering, worst = None, 0
        in_basis = set(basis)
        for r in range(p, len(allrows)):
            if r in in_basis:
                continue
            coef, h_num = int_rows[r - p]
            slack = sum(c * zj for c, zj in zip(coef, zi, strict=True) if c) * h_den - h_num * den
            if slack < worst:
                entering, worst = r, slack
                if degenerate > 50:
                    break
        if entering is None:
            if any(y[i] > 0 for i, r in enumerate(basis) if r < p):
                return None
            return z[-1], {allrows[r][2]: y[i] for i, r in enumerate(basis) if r >= p}
        coef = allrows[entering][0]
        d = [sum((coef[k] * binv[k][j] for k in range(p) if coef[k]), Fraction(0)) for j in range(p)]
        leave: int | None = None
        theta = Fraction(0)
        for i in range(p):
            if d[i] > 0:
                ratio = y[i] / d[i]
                if leave is None or ratio < theta or (ratio == theta and basis[i] < basis[leave]):
                    leave, theta = i, ratio
        if leave is None:
            raise LPError("nucleolus: a stage LP is infeasible")
        degenerate = degenerate + 1 if theta == 0 else 0
        y = [y[i] - theta * d[i] for i in range(p)]
        y[leave] = theta
        # G_B⁻¹ after row ``leave`` of G_B becomes G_r (Sherman–Morrison): column j −= column leave·d_j/d_l
        col = [binv[k][leave] for k in range(p)]
        for j in range(p):
            if j != leave and d[j]:
                f = d[j] / d[leave]
                for k in range(p):
                    if col[k]:
                        binv[k][j] -= col[k] * f
        for k in range(p):
            binv[k][leave] = col[k] / d[leave]
        basis[leave] = entering
    raise LPError("nucleolus: the dual simplex did not terminate")  # pragma: no cover - Bland's rule


# ---------------------------------------------------------------------------------------------------
# The first exact nucleolus: the slow reference (tests, bench/games.py). Not called by ``nucleolus``.


def _nucleolus_by_exact_lps(game: CooperativeGame) -> dict[str, Fraction]:
    """The nucleolus by exact sequential LPs, slow (the fallback, and the reference in tests/benches).

    Stage k: minimise t subject to v(S) − x(S) ≤ t for the coalitions not yet fixed, the fixed ones at
    their excess, x(N) = v(N) (and x_i ≥ v(i)). A coalition tight at the optimum is fixed only if its
    excess cannot be lowered on the optimal set (checked by a second LP), which is exact and does not
    rely on dual multipliers. Stops when the fixed coalitions determine x.
    """
    players = list(game.players)
    n = len(players)
    idx = {p: k for k, p in enumerate(players)}
    imputation = game.imputations_exist

    def vec(s: Coalition) -> list[Fraction]:
        return [Fraction(1) if p in s else Fraction(0) for p in players]

    free = game.coalitions()
    fixed: list[tuple[Coalition, Fraction]] = []
    basis_rows = [vec(game.grand)]
    x: list[Fraction] | None = None
    for _ in range(len(free) + 1):
        if _rank(basis_rows) == n or not free:
            break
        t_star, x = _stage(game, players, idx, free, fixed, imputation)
        newly = []
        for s in free:
            excess = game.v(s) - sum(x[idx[p]] for p in s)
            if excess == t_star and _excess_is_fixed(game, players, idx, free, fixed, imputation, t_star, s):
                newly.append(s)
        if not newly:  # cannot happen for a convex optimal set; guard against an infinite loop
            raise LPError("nucleolus: no coalition could be fixed at a stage")
        for s in newly:
            fixed.append((s, t_star))
            basis_rows.append(vec(s))
        free = [s for s in free if s not in newly and _rank([*basis_rows, vec(s)]) > _rank(basis_rows)]
    if x is None or _rank(basis_rows) < n:
        # Only the efficiency row (n = 1) or every coalition fixed: solve the final point once more.
        _, x = _stage(game, players, idx, free or game.coalitions(), fixed, imputation, minimise=False)
    return {p: x[idx[p]] for p in players}


def _stage(game, players, idx, free, fixed, imputation, minimise=True, t_fixed=None, objective=None):
    """Build and solve one LP. Variables: x_i (shifted by v(i) when imputations are required, else split
    into ±), then t = t⁺ − t⁻. Returns (t*, x) or, with ``objective``, (optimum, x)."""
    n = len(players)
    lower = [game.v(frozenset([p])) if imputation else None for p in players]
    # variable layout: for each player one var (x_i − v(i) ≥ 0) or two (x⁺, x⁻); then t⁺, t⁻
    cols: list[tuple[int, int]] = []  # (player index, sign) for x parts
    for k in range(n):
        cols.append((k, 1))
        if lower[k] is None:
            cols.append((k, -1))
    nx = len(cols)
    nvar = nx + 2
    shift = [lower[k] if lower[k] is not None else Fraction(0) for k in range(n)]

    def xrow(s: Coalition) -> list[Fraction]:
        row = [Fraction(0)] * nvar
        for j, (k, sign) in enumerate(cols):
            if players[k] in s:
                row[j] = Fraction(sign)
        return row

    def xconst(s: Coalition) -> Fraction:
        return sum((shift[idx[p]] for p in s), Fraction(0))

    a_ub, b_ub, a_eq, b_eq = [], [], [], []
    for s in free:
        # v(S) − x(S) ≤ t  ⇔  −x(S) − t ≤ −v(S)
        row = [-c for c in xrow(s)]
        if t_fixed is None:
            row[nx], row[nx + 1] = Fraction(-1), Fraction(1)
            rhs = -game.v(s) + xconst(s)
        else:
            rhs = -game.v(s) + xconst(s) + t_fixed
        a_ub.append(row)
        b_ub.append(rhs)
    for s, e in fixed:
        a_eq.append(xrow(s))
        b_eq.append(game.v(s) - e - xconst(s))
    a_eq.append(xrow(game.grand))
    b_eq.append(game.v(game.grand) - xconst(game.grand))
    c = [Fraction(0)] * nvar
    if objective is not None:
        c = objective(xrow)
    elif t_fixed is None:
        c[nx], c[nx + 1] = Fraction(1 if minimise else 0), Fraction(-1 if minimise else 0)
    value, z = _lp(c, a_ub, b_ub, a_eq, b_eq)
    x = list(shift)
    for j, (k, sign) in enumerate(cols):
        x[k] += sign * z[j]
    t = z[nx] - z[nx + 1]
    return (value if objective is not None else t), x


def _excess_is_fixed(game, players, idx, free, fixed, imputation, t_star, s) -> bool:
    """True if every point of the optimal set has excess t* on S (max x(S) = v(S) − t*)."""

    def objective(xrow):
        return [-c for c in xrow(s)]  # minimise −x(S)

    best, x = _stage(game, players, idx, free, fixed, imputation, t_fixed=t_star, objective=objective)
    max_xs = sum(x[idx[p]] for p in s)
    return game.v(s) - max_xs == t_star


def _rank(rows: Sequence[Sequence[Fraction]]) -> int:
    m = [list(r) for r in rows]
    rank, col = 0, 0
    ncols = len(m[0]) if m else 0
    while rank < len(m) and col < ncols:
        pivot = next((i for i in range(rank, len(m)) if m[i][col] != 0), None)
        if pivot is None:
            col += 1
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for i in range(len(m)):
            if i != rank and m[i][col] != 0:
                f = m[i][col] / m[rank][col]
                m[i] = [a - f * b for a, b in zip(m[i], m[rank], strict=True)]
        rank += 1
        col += 1
    return rank


def _lp(c, a_ub, b_ub, a_eq, b_eq) -> tuple[Fraction, list[Fraction]]:
    """min c·z, A_ub z ≤ b_ub, A_eq z = b_eq, z ≥ 0 — exact two-phase simplex with Bland's rule."""
    nvar = len(c)
    rows, rhs = [], []
    n_slack = len(a_ub)
    for k, (r, b) in enumerate(zip(a_ub, b_ub, strict=True)):
        slack = [Fraction(0)] * n_slack
        slack[k] = Fraction(1)
        rows.append(list(r) + slack)
        rhs.append(Fraction(b))
    for r, b in zip(a_eq, b_eq, strict=True):
        rows.append(list(r) + [Fraction(0)] * n_slack)
        rhs.append(Fraction(b))
    for i in range(len(rows)):
        if rhs[i] < 0:
            rows[i] = [-a for a in rows[i]]
            rhs[i] = -rhs[i]
    z, value = _simplex(rows, rhs, list(c) + [Fraction(0)] * n_slack)
    return value, z[:nvar]


def _simplex(
    a: list[list[Fraction]], b: list[Fraction], c: list[Fraction]
) -> tuple[list[Fraction], Fraction]:
    m, n = len(a), len(a[0])
    tab = [a[i] + [Fraction(1) if i == j else Fraction(0) for j in range(m)] + [b[i]] for i in range(m)]
    basis = [n + i for i in range(m)]
    _pivot_loop(tab, basis, [Fraction(0)] * n + [Fraction(1)] * m)
    if sum((tab[i][-1] for i in range(len(tab)) if basis[i] >= n), Fraction(0)) != 0:
        raise LPError("infeasible linear programme")
    # drive artificial variables out of the basis; drop redundant rows
    i = 0
    while i < len(tab):
        if basis[i] >= n:
            j = next((j for j in range(n) if tab[i][j] != 0), None)
            if j is None:
                del tab[i]
                del basis[i]
                continue
            _pivot(tab, basis, i, j)
        i += 1
    tab = [row[:n] + [row[-1]] for row in tab]
    _pivot_loop(tab, basis, c)
    z = [Fraction(0)] * n
    for i, j in enumerate(basis):
        z[j] = tab[i][-1]
    return z, sum((c[j] * z[j] for j in range(n)), Fraction(0))


def _eliminate(m: list[list[Fraction]], r: int, c: int) -> None:
    """Gauss–Jordan step in place: row ``r`` scaled to 1 in column ``c``, column ``c`` cleared elsewhere."""
    lead = m[r][c]
    m[r] = [a / lead for a in m[r]]
    for i in range(len(m)):
        if i != r and m[i][c] != 0:
            f = m[i][c]
            m[i] = [a - f * b for a, b in zip(m[i], m[r], strict=True)]


def _pivot(tab: list[list[Fraction]], basis: list[int], r: int, j: int) -> None:
    _eliminate(tab, r, j)
    basis[r] = j


def _pivot_loop(tab: list[list[Fraction]], basis: list[int], cost: list[Fraction]) -> None:
    ncols = len(tab[0]) - 1
    for _ in range(100_000):
        in_basis = set(basis)
        cb = [cost[j] for j in basis]
        entering = None
        for j in range(ncols):
            if j in in_basis:
                continue
            reduced = cost[j] - sum(
                (cb[i] * tab[i][j] for i in range(len(tab)) if tab[i][j] != 0), Fraction(0)
            )
            if reduced < 0:
                entering = j
                break
        if entering is None:
            return
        best = None
        for i in range(len(tab)):
            if tab[i][entering] > 0:
                ratio = tab[i][-1] / tab[i][entering]
                if best is None or ratio < best[0] or (ratio == best[0] and basis[i] < basis[best[1]]):
                    best = (ratio, i)
        if best is None:
            raise LPError("unbounded linear programme")
        _pivot(tab, basis, best[1], entering)
    raise LPError("simplex did not terminate")  # pragma: no cover - Bland's rule cannot cycle
