"""The batch path: the CIT apportionment of many enterprises × years at once, exact and fast.

The Decimal engine (``rules.CitBranchRule``) is the reference; this module computes the same numbers
for a whole register in integer units of the precision (numpy int64). Shares of the head office and the
central/local splits are simple fractions, done exactly in integers. The branches' quotas
T·(1 − hq_share)·r_i are computed in float64 *with a certified error bound*: wherever a quota's floor
or the largest-remainder order at the cut-off could depend on the last bits (a fractional part within
the bound of an integer, two remainders within the bound of each other, exact ties), that enterprise-year
is recomputed with exact ``Fraction`` arithmetic by the same :func:`~benefit_sharing.money.split_units`
the engine uses. So every result is exact; the float path only decides what is unambiguous.
A test cross-checks this module against the engine on random samples, ties included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import Problem, ScenarioError
from .money import split_units
from .parameters import ParameterSet, default_parameters
from .scenario import CITY_PROVINCE, NON_PARTICIPATING_ROLES

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BatchResult", "apportion_cit_batch"]

_KINDS = ("hq_local", "hq_central", "branch", "hq_all")
_REL_ERR = 1e-13  # ≥ 50× the float64 error of T·h·r_i with r_i from three ratios (≈ 12 ulp)


@dataclass(frozen=True)
class BatchResult:
    """Per establishment × year: amounts in integer units of ``precision`` (exact)."""

    establishments: pd.DataFrame
    precision: Decimal
    exact_fallbacks: int
    warnings: tuple[str, ...] = field(default=())

    def by_city(self) -> pd.DataFrame:
        """Sum per year × city (units), the shape of the engine's CIT rows."""
        cols = ["paid", "central", "local", "national_pool"]
        return self.establishments.groupby(["year", "city"], as_index=False)[cols].sum()

    def amounts(self) -> pd.DataFrame:
        """The establishment table with amounts as ``Decimal`` in the scenario's unit (slow; for display)."""
        df = self.establishments.copy()
        for c in ("paid", "central", "local", "national_pool"):
            df[c] = [Decimal(int(v)) * self.precision for v in df[c].to_numpy()]
        return df


def _params_by_year(params: ParameterSet, years: np.ndarray) -> dict[int, dict[str, Fraction]]:
    out = {}
    for y in np.unique(years).tolist():
        vals = {}
        for key, name in (
            ("hq", "cit.cross_province.hq_share"),
            ("ct", "cit.cross_province.hq_central_treasury_share"),
            ("w_rev", "cit.cross_province.factor_weight.revenue"),
            ("w_pay", "cit.cross_province.factor_weight.payroll"),
            ("w_ast", "cit.cross_province.factor_weight.assets"),
            ("central", "cit.central_share"),
        ):
            v = params.get(name).year_average(int(y))
            if v is None:
                raise ScenarioError([Problem(name, f"has no value for every month of {y}")], "batch")
            vals[key] = v
        out[int(y)] = vals
    return out


def _units(values: Any, q: Decimal, where: str) -> np.ndarray:
    """Amounts → int64 units of q, refusing values that are not multiples of q (exactness)."""
    arr = np.asarray(values, dtype=np.float64)
    scaled = arr / float(q)
    units = np.rint(scaled)
    bad = np.flatnonzero(~np.isfinite(arr) | (np.abs(scaled - units) > 1e-6) | (arr < 0))
    if bad.size:
        i = int(bad[0])
        raise ScenarioError(
            [
                Problem(
                    f"{where}[{i}]",
                    f"must be a number ≥ 0 and a multiple of the precision {q}",
                    float(arr[i]),
                )
            ],
            "batch",
        )
    return units.astype(np.int64)


def apportion_cit_batch(
    establishments: pd.DataFrame,
    factors: pd.DataFrame,
    liabilities: pd.DataFrame,
    parameters: ParameterSet | None = None,
    precision: Decimal | str = Decimal("0.01"),
) -> BatchResult:
    """Split each enterprise-year's consolidated CIT T among its establishments (跨地区经营汇总纳税).

    ``establishments``: enterprise, establishment, city, role, [province, established, closed,
    pays_local_vat]; exactly one ``hq`` per enterprise, order = the order of the engine's parts.
    ``factors``: enterprise, establishment, year, revenue, payroll, assets.
    ``liabilities``: enterprise, year, cit_payable, [small_low_profit_prior_year].
    Same rules as :class:`~benefit_sharing.rules.CitBranchRule` given ``cit_payable`` (participation,
    cross-province 50/25/25/r_i, intra-province mode, no participating branch, 60/40 and national pool).
    """
    import pandas as pd

    q = Decimal(str(precision))
    params = parameters or default_parameters()
    warnings: set[str] = set()

    est = establishments.reset_index(drop=True)
    ent_codes, ent_names = pd.factorize(est["enterprise"], sort=False)
    # establishments of an enterprise must be contiguous for the block expansion; keep their order
    order = np.argsort(ent_codes, kind="stable")
    est = est.iloc[order].reset_index(drop=True)
    ent_of_est = ent_codes[order]
    n_est, n_ent = len(est), len(ent_names)
    city = est["city"].astype(str).to_numpy()
    province = (
        est["province"].astype(str).to_numpy()
        if "province" in est
        else np.array([CITY_PROVINCE.get(c, "") for c in city], dtype=object)
    )
    role = est["role"].astype(str).to_numpy()
    is_hq = role == "hq"
    hq_count = np.bincount(ent_of_est, weights=is_hq, minlength=n_ent)
    if np.any(hq_count != 1):
        bad = ent_names[int(np.flatnonzero(hq_count != 1)[0])]
        raise ScenarioError(
            [Problem(f"establishments[enterprise={bad}]", "needs exactly one establishment with role: hq")],
            "batch",
        )
    hq_of_ent = np.empty(n_ent, dtype=np.int64)
    hq_of_ent[ent_of_est[is_hq]] = np.flatnonzero(is_hq)
    pays_vat = (
        est["pays_local_vat"].to_numpy(dtype=bool)
        if "pays_local_vat" in est
        else ~np.isin(role, NON_PARTICIPATING_ROLES)
    )
    support = np.isin(role, NON_PARTICIPATING_ROLES) & ~pays_vat
    established = (
        est["established"].fillna(-1).to_numpy(dtype=np.int64) if "established" in est else np.full(n_est, -1)
    )
    closed = (
        est["closed"].fillna(10**6).to_numpy(dtype=np.int64) if "closed" in est else np.full(n_est, 10**6)
    )
    ent_start = np.searchsorted(ent_of_est, np.arange(n_ent))
    ent_size = np.bincount(ent_of_est, minlength=n_ent)

    # enterprise-years
    lia = liabilities.reset_index(drop=True)
    ey_ent = pd.Index(ent_names).get_indexer(lia["enterprise"])
    if np.any(ey_ent < 0):
        raise ScenarioError(
            [
                Problem(
                    "liabilities.enterprise",
                    "unknown enterprise",
                    str(lia["enterprise"][int(np.flatnonzero(ey_ent < 0)[0])]),
                )
            ],
            "batch",
        )
    ey_year = lia["year"].to_numpy(dtype=np.int64)
    T = _units(lia["cit_payable"], q, "liabilities.cit_payable")
    slp = (
        lia["small_low_profit_prior_year"].to_numpy(dtype=bool)
        if "small_low_profit_prior_year" in lia
        else np.zeros(len(lia), bool)
    )
    n_ey = len(lia)

    # expand to establishment-years (block per enterprise-year)
    counts = ent_size[ey_ent]
    row_ey = np.repeat(np.arange(n_ey), counts)
    block_start = np.repeat(np.cumsum(counts) - counts, counts)
    row_est = np.arange(len(row_ey)) - block_start + np.repeat(ent_start[ey_ent], counts)
    row_year = ey_year[row_ey]
    part = (
        ~is_hq[row_est]
        & ~support[row_est]
        & ~slp[row_ey]
        & (established[row_est] < row_year)
        & (closed[row_est] > row_year)
    )

    # prior-year factors, dense by (establishment, year)
    fac = factors.reset_index(drop=True)
    key_est = pd.MultiIndex.from_arrays([est["enterprise"], est["establishment"]])
    f_est = key_est.get_indexer(pd.MultiIndex.from_arrays([fac["enterprise"], fac["establishment"]]))
    if np.any(f_est < 0):
        i = int(np.flatnonzero(f_est < 0)[0])
        raise ScenarioError(
            [
                Problem(
                    f"factors[{i}]",
                    "unknown enterprise/establishment",
                    f"{fac['enterprise'][i]}/{fac['establishment'][i]}",
                )
            ],
            "batch",
        )
    y0 = int(min(fac["year"].min(), ey_year.min() - 1)) if len(fac) else int(ey_year.min() - 1)
    ny = int(max(fac["year"].max() if len(fac) else y0, ey_year.max())) - y0 + 1
    dense = {k: np.full((n_est, ny), -1, dtype=np.int64) for k in ("revenue", "payroll", "assets")}
    fy = fac["year"].to_numpy(dtype=np.int64) - y0
    for k in dense:
        dense[k][f_est, fy] = _units(fac[k], q, f"factors.{k}")
    prior = row_year - 1 - y0
    R = np.where(part, dense["revenue"][row_est, prior], 0)
    P = np.where(part, dense["payroll"][row_est, prior], 0)
    A = np.where(part, dense["assets"][row_est, prior], 0)
    missing = part & ((R < 0) | (P < 0) | (A < 0))
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        e = row_est[i]
        raise ScenarioError(
            [
                Problem(
                    f"factors[enterprise={est['enterprise'][e]}, establishment={est['establishment'][e]}, "
                    f"year={row_year[i] - 1}]",
                    f"missing: the {row_year[i]} apportionment needs the "
                    "prior year's revenue, payroll and assets of every branch that takes part",
                )
            ],
            "batch",
        )

    sumR = np.bincount(row_ey, weights=R.astype(np.float64), minlength=n_ey)
    sumP = np.bincount(row_ey, weights=P.astype(np.float64), minlength=n_ey)
    sumA = np.bincount(row_ey, weights=A.astype(np.float64), minlength=n_ey)
    n_part = np.bincount(row_ey, weights=part, minlength=n_ey).astype(np.int64)
    has_part = n_part > 0
    zero = has_part & ((sumR == 0) | (sumP == 0) | (sumA == 0))
    if zero.any():
        i = int(np.flatnonzero(zero)[0])
        raise ScenarioError(
            [
                Problem(
                    f"factors[enterprise={ent_names[ey_ent[i]]}, year={ey_year[i] - 1}]",
                    "a factor sums to 0 over the branches that take part; r_i is undefined",
                )
            ],
            "batch",
        )

    # mode per enterprise-year
    hq_prov = province[hq_of_ent[ey_ent]]
    cross = np.bincount(row_ey, weights=part & (province[row_est] != hq_prov[row_ey]), minlength=n_ey) > 0
    has_branches = ent_size[ey_ent] > 1
    mode = np.full(n_ey, "national", dtype=object)
    for prov in np.unique(hq_prov[has_part & ~cross]).tolist():
        sel = has_part & ~cross & (hq_prov == prov)
        for y in np.unique(ey_year[sel]).tolist():
            name = f"intra_province_mode.{prov}"
            p = params.get(name)
            v = p.at(dt.date(int(y), 1, 1))
            m = v.value if v is not None else "centralized_at_hq"
            if v is None or not p.overridden:
                warnings.add(f"{name}: {m} ({'unset: assumed' if v is None else 'unsettled default'})")
            mode[sel & (ey_year == y)] = "intra_" + m
    mode[~has_part & has_branches] = "unshared"
    mode[~has_branches] = "single"
    if np.any(mode == "unshared"):
        routing = params.get("cit.cross_province.unshared_branch_half").at(dt.date(int(ey_year.max()), 1, 1))
        if routing is not None and routing.value != "hq_local_treasury":
            raise ScenarioError(
                [
                    Problem(
                        "cit.cross_province.unshared_branch_half",
                        "the batch path supports hq_local_treasury only",
                        routing.value,
                    )
                ],
                "batch",
            )
        warnings.add(
            "no_branch_takes_part: HQ pays all of T for some enterprise-years (routing: hq_local_treasury)"
        )

    pyear = _params_by_year(params, ey_year)

    # HQ parts: exact integer weights a/b per enterprise-year
    hq_parts: list[tuple[np.ndarray, str, np.ndarray, np.ndarray]] = []  # (ey idx, kind, num, den)
    for y, pv in pyear.items():
        hs, ct = pv["hq"], pv["ct"]
        weights = {
            "national": [("hq_local", hs * (1 - ct)), ("hq_central", hs * ct)],
            "intra_apportion_like_national": [("hq_local", hs)],
            "intra_centralized_at_hq": [("hq_all", Fraction(1))],
            "unshared": [("hq_local", hs * (1 - ct) + (1 - hs)), ("hq_central", hs * ct)],
            "single": [("hq_all", Fraction(1))],
        }
        for m, ws in weights.items():
            sel = np.flatnonzero((ey_year == y) & (mode == m))
            if sel.size:
                for kind, w in ws:
                    hq_parts.append(
                        (sel, kind, np.full(sel.size, w.numerator), np.full(sel.size, w.denominator))
                    )
    branch_mode = np.isin(mode, ["national", "intra_apportion_like_national"])
    br = np.flatnonzero(part & branch_mode[row_ey])

    # assemble all parts: ey, est, kind, exact-or-float quota
    p_ey = np.concatenate([h[0] for h in hq_parts] + [row_ey[br]])
    p_est = np.concatenate([hq_of_ent[ey_ent[h[0]]] for h in hq_parts] + [row_est[br]])
    p_kind = np.concatenate(
        [np.full(h[0].size, _KINDS.index(h[1])) for h in hq_parts] + [np.full(br.size, 2)]
    )
    num = np.concatenate([h[2] for h in hq_parts]).astype(np.int64)
    den = np.concatenate([h[3] for h in hq_parts]).astype(np.int64)
    n_hq = num.size
    t_hq = T[p_ey[:n_hq]]
    hq_floor = (t_hq * num) // den  # exact (T·num < 2^63 for T < ~10^17 units)
    hq_frac = ((t_hq * num) % den) / den  # exact in float: den is a power of two here, else within 1 ulp
    hq_exact_frac = (den & (den - 1)) == 0

    ys = row_year[br]
    wr, wp, wa, h_br = (np.zeros(br.size) for _ in range(4))
    for y, pv in pyear.items():  # per-year parameters, vectorised
        sel = ys == y
        wr[sel], wp[sel], wa[sel] = float(pv["w_rev"]), float(pv["w_pay"]), float(pv["w_ast"])
        h_br[sel] = float(1 - pv["hq"])
    e_br = row_ey[br]
    r = wr * R[br] / sumR[e_br] + wp * P[br] / sumP[e_br] + wa * A[br] / sumA[e_br]
    quota_br = T[e_br].astype(np.float64) * h_br * r
    br_floor = np.floor(quota_br).astype(np.int64)
    br_frac = quota_br - br_floor
    # a lone participating branch has r_i = 1 exactly: its quota T·(1 − hq_share) is done in integers
    lone = n_part[e_br] == 1
    br_exact = np.zeros(br.size, dtype=bool)
    if lone.any():
        r[lone] = 1.0
        ln, ld = np.zeros(br.size, np.int64), np.ones(br.size, np.int64)
        for y, pv in pyear.items():
            sel = lone & (ys == y)
            ln[sel], ld[sel] = (1 - pv["hq"]).numerator, (1 - pv["hq"]).denominator
        t_lone = T[e_br[lone]]
        br_floor[lone] = (t_lone * ln[lone]) // ld[lone]
        br_frac[lone] = ((t_lone * ln[lone]) % ld[lone]) / ld[lone]
        quota_br[lone] = t_lone * ln[lone] / ld[lone]
        br_exact[lone] = (ld[lone] & (ld[lone] - 1)) == 0
    eps = _REL_ERR * T.astype(np.float64) + 1e-12
    flagged = np.zeros(n_ey, dtype=bool)
    near = ((br_frac < eps[e_br]) | (br_frac > 1 - eps[e_br])) & ~br_exact
    flagged[e_br[near]] = True
    flagged[p_ey[:n_hq][~hq_exact_frac]] = True

    floors = np.concatenate([hq_floor, br_floor])
    frac = np.concatenate([hq_frac, br_frac])
    exact_part = np.concatenate([hq_exact_frac, br_exact])
    left = T - np.bincount(p_ey, weights=floors, minlength=n_ey).astype(np.int64)

    # tie keys (city, kind) ranked like the engine's tuple comparison; then part index within the ey
    # (city, kind) compared as strings, like the engine's tuples: rank cities and kinds alphabetically
    _, city_rank = np.unique(city, return_inverse=True)
    kind_rank = np.argsort(np.argsort(np.array(_KINDS)))
    tie_code = city_rank[p_est] * len(_KINDS) + kind_rank[p_kind]
    quota = np.concatenate([(t_hq * num / den), quota_br])
    idx = np.arange(p_ey.size)
    order = np.lexsort((idx, tie_code, -quota, -frac, p_ey))
    grp_start = np.searchsorted(p_ey[order], np.arange(n_ey))
    pos = np.arange(order.size) - grp_start[p_ey[order]]
    bonus_sorted = pos < left[p_ey[order]]
    # ambiguity at the cut-off: the last part that gets a unit vs the first that does not
    gsize = np.bincount(p_ey, minlength=n_ey)
    cut = np.flatnonzero((left > 0) & (left < gsize))
    if cut.size:
        a = order[grp_start[cut] + left[cut] - 1]
        b = order[grp_start[cut] + left[cut]]
        close = (frac[a] - frac[b]) < 2 * eps[cut]
        close &= ~(exact_part[a] & exact_part[b])
        flagged[cut[close]] = True
    bad_left = (left < 0) | (left > gsize)
    flagged[bad_left] = True
    amount = floors.copy()
    amount[order[bonus_sorted]] += 1

    # exact fallback for the ambiguous enterprise-years, by the engine's own splitter
    fb = np.flatnonzero(flagged)
    if fb.size:
        part_idx_by_ey = _group_indices(p_ey, fb)
        for ey in fb.tolist():
            ids = part_idx_by_ey[ey]
            pv = pyear[int(ey_year[ey])]
            ws, keys = [], []
            sr = int(sumR[ey]), int(sumP[ey]), int(sumA[ey])  # integer sums < 2**53: exact in float64
            for i in ids:
                kind = _KINDS[p_kind[i]]
                if i < n_hq:
                    ws.append(Fraction(int(num[i]), int(den[i])))
                else:
                    j = br[i - n_hq]
                    rr = (
                        pv["w_rev"] * Fraction(int(R[j]), sr[0])
                        + pv["w_pay"] * Fraction(int(P[j]), sr[1])
                        + pv["w_ast"] * Fraction(int(A[j]), sr[2])
                    )
                    ws.append((1 - pv["hq"]) * rr)
                keys.append((city[p_est[i]], kind))
            amount[ids] = split_units(int(T[ey]), ws, keys)

    # central / local (or national pool) of each part, exact in integers: LR of p into [c, 1 − c]
    c_num, c_den = np.zeros(p_ey.size, np.int64), np.ones(p_ey.size, np.int64)
    p_year = ey_year[p_ey]
    for y, pv in pyear.items():
        c_num[p_year == y], c_den[p_year == y] = pv["central"].numerator, pv["central"].denominator
    central = _two_way(amount, c_num, c_den)
    rest = amount - central
    is_pool = p_kind == _KINDS.index("hq_central")

    # aggregate parts to establishment-years
    key = p_ey.astype(np.int64) * n_est + p_est
    uniq, inv = np.unique(key, return_inverse=True)
    agg = {
        name: np.bincount(inv, weights=v, minlength=uniq.size).astype(np.int64)
        for name, v in (
            ("paid", amount),
            ("central", central),
            ("local", np.where(is_pool, 0, rest)),
            ("national_pool", np.where(is_pool, rest, 0)),
        )
    }
    u_ey, u_est = uniq // n_est, uniq % n_est
    ratio = np.zeros(uniq.size)
    br_key = np.searchsorted(uniq, e_br.astype(np.int64) * n_est + row_est[br])
    ratio[br_key] = r
    df = pd.DataFrame(
        {
            "enterprise": est["enterprise"].to_numpy()[u_est],
            "year": ey_year[u_ey],
            "establishment": est["establishment"].to_numpy()[u_est],
            "city": city[u_est],
            "apportionment_ratio": ratio,
            **agg,
        }
    )
    return BatchResult(df, q, int(fb.size), tuple(sorted(warnings)))


def _two_way(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Largest-remainder split of p ≥ 0 units into [a/b, (b−a)/b]; returns the first part (exact).

    Ties (equal remainders) go to the larger quota, then to the first part, as in ``split_units``.
    """
    qa, ra = np.divmod(p * a, b)
    qb, rb = np.divmod(p * (b - a), b)
    left = p - qa - qb  # 0 or 1
    first_wins = (ra > rb) | ((ra == rb) & (a >= b - a))
    return qa + np.where((left == 1) & first_wins, 1, 0)


def _group_indices(groups: np.ndarray, wanted: np.ndarray) -> dict[int, np.ndarray]:
    sel = np.isin(groups, wanted)
    idx = np.flatnonzero(sel)
    g = groups[idx]
    order = np.argsort(g, kind="stable")
    idx, g = idx[order], g[order]
    bounds = np.flatnonzero(np.diff(g)) + 1
    return {
        int(chunk_g[0]): chunk
        for chunk, chunk_g in zip(np.split(idx, bounds), np.split(g, bounds), strict=True)
    }
