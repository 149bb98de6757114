"""Cooperative allocation of a joint project's surplus among cities, in exact arithmetic.

Shapley value, nucleolus, Nash bargaining (symmetric and weighted), proportional and equal split,
each with a core check. All arithmetic is ``Fraction``: the nucleolus is found by the sequential linear
programmes of Maschler, Peleg and Shapley (1979), each solved by an exact simplex (Bland's rule), and a
coalition's excess is fixed only when a second exact LP proves it cannot move. Third-party nucleolus
code has been seen to be wrong, so this one is tested against published results (Aumann & Maschler
1985's Talmud estates, the glove game) and the worked example BS-08 (``docs/benefit-sharing.md``).
This module knows games, not taxes or cities.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations
from math import factorial

__all__ = [
    "CooperativeGame",
    "shapley",
    "nucleolus",
    "nash",
    "nash_weighted",
    "proportional",
    "equal_split",
    "in_core",
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


# ---------------------------------------------------------------------------------------------------
# Nucleolus: sequential LPs, exact.


def nucleolus(game: CooperativeGame) -> tuple[dict[str, Fraction], str]:
    """The nucleolus (over imputations), or the pre-nucleolus when there are no imputations.

    Stage k: minimise t subject to v(S) − x(S) ≤ t for the coalitions not yet fixed, the fixed ones at
    their excess, x(N) = v(N) (and x_i ≥ v(i)). A coalition tight at the optimum is fixed only if its
    excess cannot be lowered on the optimal set (checked by a second LP), which is exact and does not
    rely on dual multipliers. Stops when the fixed coalitions determine x.
    """
    players = list(game.players)
    n = len(players)
    idx = {p: k for k, p in enumerate(players)}
    imputation = game.imputations_exist
    note = "" if imputation else PRE_NUCLEOLUS[0]

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
    return {p: x[idx[p]] for p in players}, note


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


def _pivot(tab: list[list[Fraction]], basis: list[int], r: int, j: int) -> None:
    p = tab[r][j]
    tab[r] = [v / p for v in tab[r]]
    for i in range(len(tab)):
        if i != r and tab[i][j] != 0:
            f = tab[i][j]
            tab[i] = [u - f * v for u, v in zip(tab[i], tab[r], strict=True)]
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
