"""The batch path: the CIT apportionment of many enterprises × years at once, exact and fast.

The Decimal engine (``rules.CitBranchRule``) is the reference; this module computes the same numbers
for a whole register in integer units of the precision (numpy int64), in five steps: read and check the
inputs; who takes part (``scenario.takes_part_many``, the engine's own rule over arrays); the shares of T
(the HQ's exact fractions, each branch's (1 − hq_share)·r_i from its factor ratios); the split into
units; the result table. Shares of the head office and the central/local splits are simple fractions,
done exactly in integers. The branches' quotas T·(1 − hq_share)·r_i are computed in float64 *with a
certified error bound*: wherever a quota's floor or the largest-remainder order at the cut-off could
depend on the last bits (a fractional part within the bound of an integer, two remainders within the
bound of each other, exact ties), that enterprise-year is recomputed with exact ``Fraction`` arithmetic
by the same :func:`~benefit_sharing.money.split_units` the engine uses. So every result is exact; the
float path only decides what is unambiguous. A test cross-checks this module against the engine on
random samples, ties included. This module must not hold a rule of its own: participation, shares and
weights come from ``scenario`` and the dated parameters.
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
from .scenario import CITY_PROVINCE, NON_PARTICIPATING_ROLES, takes_part_many

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BatchResult", "apportion_cit_batch"]

_KINDS = ("hq_local", "hq_central", "branch", "hq_all")
_BRANCH = _KINDS.index("branch")
_REL_ERR = 1e-13  # ≥ 50× the float64 error of T·h·r_i with r_i from three ratios (≈ 12 ulp)
_FACTORS = ("revenue", "payroll", "assets")


@dataclass(frozen=True)
class BatchResult:
    """Per establishment × year: amounts in integer units of ``precision`` (exact)."""

    establishments: pd.DataFrame
    precision: Decimal
    exact_fallbacks: int
    warnings: tuple[str, ...] = field(default=())


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
    q = Decimal(str(precision))
    params = parameters or default_parameters()
    reg = _read_establishments(establishments)
    years = _read_liabilities(liabilities, reg, q)
    rows = _who_takes_part(reg, years)
    fac = _prior_factors(factors, reg, years, rows, q)
    mode, warnings = _modes(reg, years, rows, fac, params)
    by_year = _params_by_year(params, years.year)
    parts = _shares(reg, years, rows, fac, mode, by_year)
    amount, fallbacks = _split_to_units(reg, years, fac, parts, by_year)
    table = _result(reg, years, parts, amount, by_year)
    return BatchResult(table, q, fallbacks, tuple(sorted(warnings)))


# ---------------------------------------------------------------------------------------------------
# Step 1: read and check the inputs


@dataclass(frozen=True)
class _Register:
    """The establishments, sorted so that each enterprise's are contiguous (in their given order)."""

    table: pd.DataFrame
    names: Any  # the enterprises, by code
    enterprise: np.ndarray  # code of each establishment's enterprise
    city: np.ndarray
    province: np.ndarray
    role: np.ndarray
    pays_local_vat: np.ndarray
    established: np.ndarray  # float, NaN where not given
    closed: np.ndarray  # float, NaN where not given
    hq: np.ndarray  # per enterprise: its head office's row
    start: np.ndarray  # per enterprise: its first row
    size: np.ndarray  # per enterprise: its number of establishments


@dataclass(frozen=True)
class _Years:
    """The enterprise-years: enterprise code, year, T in units, small low-profit in the prior year."""

    enterprise: np.ndarray
    year: np.ndarray
    tax: np.ndarray
    small_low_profit: np.ndarray

    @property
    def n(self) -> int:
        return len(self.year)


def _read_establishments(establishments: pd.DataFrame) -> _Register:
    """The register, checked: exactly one head office per enterprise."""
    import pandas as pd

    est = establishments.reset_index(drop=True)
    codes, names = pd.factorize(est["enterprise"], sort=False)
    order = np.argsort(codes, kind="stable")  # contiguous for the block expansion, order kept
    est = est.iloc[order].reset_index(drop=True)
    enterprise = codes[order]
    n_est, n_ent = len(est), len(names)
    city = est["city"].astype(str).to_numpy()
    role = est["role"].astype(str).to_numpy()
    is_hq = role == "hq"
    hq_count = np.bincount(enterprise, weights=is_hq, minlength=n_ent)
    if np.any(hq_count != 1):
        bad = names[int(np.flatnonzero(hq_count != 1)[0])]
        raise ScenarioError(
            [Problem(f"establishments[enterprise={bad}]", "needs exactly one establishment with role: hq")], "batch"
        )
    hq = np.empty(n_ent, dtype=np.int64)
    hq[enterprise[is_hq]] = np.flatnonzero(is_hq)

    def year_column(name: str) -> np.ndarray:
        return est[name].astype(float).to_numpy() if name in est else np.full(n_est, np.nan)

    return _Register(
        table=est,
        names=names,
        enterprise=enterprise,
        city=city,
        province=(
            est["province"].astype(str).to_numpy()
            if "province" in est
            else np.array([CITY_PROVINCE.get(c, "") for c in city], dtype=object)
        ),
        role=role,
        pays_local_vat=(
            est["pays_local_vat"].to_numpy(dtype=bool)
            if "pays_local_vat" in est
            else ~np.isin(role, NON_PARTICIPATING_ROLES)
        ),
        established=year_column("established"),
        closed=year_column("closed"),
        hq=hq,
        start=np.searchsorted(enterprise, np.arange(n_ent)),
        size=np.bincount(enterprise, minlength=n_ent),
    )


def _read_liabilities(liabilities: pd.DataFrame, reg: _Register, q: Decimal) -> _Years:
    """The enterprise-years, checked: known enterprises, T ≥ 0 and a multiple of the precision."""
    import pandas as pd

    lia = liabilities.reset_index(drop=True)
    enterprise = pd.Index(reg.names).get_indexer(lia["enterprise"])
    if np.any(enterprise < 0):
        unknown = str(lia["enterprise"][int(np.flatnonzero(enterprise < 0)[0])])
        raise ScenarioError([Problem("liabilities.enterprise", "unknown enterprise", unknown)], "batch")
    return _Years(
        enterprise=enterprise,
        year=lia["year"].to_numpy(dtype=np.int64),
        tax=_units(lia["cit_payable"], q, "liabilities.cit_payable"),
        small_low_profit=(
            lia["small_low_profit_prior_year"].to_numpy(dtype=bool)
            if "small_low_profit_prior_year" in lia
            else np.zeros(len(lia), bool)
        ),
    )


def _units(values: Any, q: Decimal, where: str) -> np.ndarray:
    """Amounts → int64 units of q, refusing values that are not multiples of q (exactness)."""
    arr = np.asarray(values, dtype=np.float64)
    scaled = arr / float(q)
    units = np.rint(scaled)
    bad = np.flatnonzero(~np.isfinite(arr) | (np.abs(scaled - units) > 1e-6) | (arr < 0))
    if bad.size:
        i = int(bad[0])
        raise ScenarioError(
            [Problem(f"{where}[{i}]", f"must be a number ≥ 0 and a multiple of the precision {q}", float(arr[i]))],
            "batch",
        )
    return units.astype(np.int64)


# ---------------------------------------------------------------------------------------------------
# Step 2: who takes part, per establishment-year


@dataclass(frozen=True)
class _Rows:
    """Establishment-years, in blocks per enterprise-year: its enterprise-year, establishment, year."""

    ey: np.ndarray
    est: np.ndarray
    year: np.ndarray
    takes_part: np.ndarray


def _who_takes_part(reg: _Register, years: _Years) -> _Rows:
    """Every establishment of every enterprise-year, and whether it takes part (57号 Art. 5, the rule of
    :func:`~benefit_sharing.scenario.takes_part`, over arrays)."""
    counts = reg.size[years.enterprise]
    ey = np.repeat(np.arange(years.n), counts)
    block_start = np.repeat(np.cumsum(counts) - counts, counts)
    est = np.arange(len(ey)) - block_start + np.repeat(reg.start[years.enterprise], counts)
    year = years.year[ey]
    part = takes_part_many(
        year=year,
        role=reg.role[est],
        pays_local_vat=reg.pays_local_vat[est],
        established=reg.established[est],
        closed=reg.closed[est],
        small_low_profit_prior_year=years.small_low_profit[ey],
    )
    return _Rows(ey=ey, est=est, year=year, takes_part=part)


@dataclass(frozen=True)
class _Factors:
    """Prior-year factors in units (0 where a row does not take part), their sums per enterprise-year,
    and the number of participating branches per enterprise-year."""

    values: dict[str, np.ndarray]
    sums: dict[str, np.ndarray]
    n_part: np.ndarray


def _prior_factors(factors: pd.DataFrame, reg: _Register, years: _Years, rows: _Rows, q: Decimal) -> _Factors:
    """The prior-year revenue, payroll and assets of each participating branch (57号 Art. 16), checked:
    present for every branch that takes part, and no sum of 0 over them."""
    import pandas as pd

    fac = factors.reset_index(drop=True)
    key_est = pd.MultiIndex.from_arrays([reg.table["enterprise"], reg.table["establishment"]])
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
    y0 = int(min(fac["year"].min(), years.year.min() - 1)) if len(fac) else int(years.year.min() - 1)
    ny = int(max(fac["year"].max() if len(fac) else y0, years.year.max())) - y0 + 1
    fy = fac["year"].to_numpy(dtype=np.int64) - y0
    prior = rows.year - 1 - y0
    values = {}
    for k in _FACTORS:
        dense = np.full((len(reg.table), ny), -1, dtype=np.int64)  # -1: not given
        dense[f_est, fy] = _units(fac[k], q, f"factors.{k}")
        values[k] = np.where(rows.takes_part, dense[rows.est, prior], 0)
    missing = rows.takes_part & ((values["revenue"] < 0) | (values["payroll"] < 0) | (values["assets"] < 0))
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        e = rows.est[i]
        raise ScenarioError(
            [
                Problem(
                    f"factors[enterprise={reg.table['enterprise'][e]}, establishment={reg.table['establishment'][e]}, "
                    f"year={rows.year[i] - 1}]",
                    f"missing: the {rows.year[i]} apportionment needs the "
                    "prior year's revenue, payroll and assets of every branch that takes part",
                )
            ],
            "batch",
        )
    sums = {k: np.bincount(rows.ey, weights=v.astype(np.float64), minlength=years.n) for k, v in values.items()}
    n_part = np.bincount(rows.ey, weights=rows.takes_part, minlength=years.n).astype(np.int64)
    zero = (n_part > 0) & ((sums["revenue"] == 0) | (sums["payroll"] == 0) | (sums["assets"] == 0))
    if zero.any():
        i = int(np.flatnonzero(zero)[0])
        raise ScenarioError(
            [
                Problem(
                    f"factors[enterprise={reg.names[years.enterprise[i]]}, year={years.year[i] - 1}]",
                    "a factor sums to 0 over the branches that take part; r_i is undefined",
                )
            ],
            "batch",
        )
    return _Factors(values, sums, n_part)


def _modes(
    reg: _Register, years: _Years, rows: _Rows, fac: _Factors, params: ParameterSet
) -> tuple[np.ndarray, set[str]]:
    """The method of each enterprise-year, as the engine chooses it: ``national`` (a participating branch
    in another province), ``intra_<mode>`` (all in the HQ's province: the province's dated method),
    ``unshared`` (branches, none taking part), ``single`` (no branch)."""
    warnings: set[str] = set()
    has_part = fac.n_part > 0
    hq_prov = reg.province[reg.hq[years.enterprise]]
    elsewhere = rows.takes_part & (reg.province[rows.est] != hq_prov[rows.ey])
    cross = np.bincount(rows.ey, weights=elsewhere, minlength=years.n) > 0
    has_branches = reg.size[years.enterprise] > 1
    mode = np.full(years.n, "national", dtype=object)
    for prov in np.unique(hq_prov[has_part & ~cross]).tolist():
        sel = has_part & ~cross & (hq_prov == prov)
        for y in np.unique(years.year[sel]).tolist():
            name = f"intra_province_mode.{prov}"
            p = params.get(name)
            v = p.at(dt.date(int(y), 1, 1))
            m = v.value if v is not None else "centralized_at_hq"
            if v is None or not p.overridden:
                warnings.add(f"{name}: {m} ({'unset: assumed' if v is None else 'unsettled default'})")
            mode[sel & (years.year == y)] = "intra_" + m
    mode[~has_part & has_branches] = "unshared"
    mode[~has_branches] = "single"
    if np.any(mode == "unshared"):
        routing = params.get("cit.cross_province.unshared_branch_half").at(dt.date(int(years.year.max()), 1, 1))
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
        warnings.add("no_branch_takes_part: HQ pays all of T for some enterprise-years (routing: hq_local_treasury)")
    return mode, warnings


def _params_by_year(params: ParameterSet, years: np.ndarray) -> dict[int, dict[str, Fraction]]:
    """The shares and weights of each year (month-weighted averages, as the engine reads them)."""
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


# ---------------------------------------------------------------------------------------------------
# Step 3: the shares of T (the HQ's exact fractions; the branches' factor ratios)


@dataclass(frozen=True)
class _Parts:
    """Every share of T: the HQ parts first (``n_hq``, exact weights num/den), then the branch parts
    (row ``branch_rows`` of the establishment-years, ratio r_i and float quota T·(1 − hq_share)·r_i)."""

    ey: np.ndarray
    est: np.ndarray
    kind: np.ndarray
    num: np.ndarray
    den: np.ndarray
    branch_rows: np.ndarray
    ratio: np.ndarray
    branch_quota: np.ndarray
    lone: np.ndarray  # branch parts that are their enterprise-year's only participant (r_i = 1)

    @property
    def n_hq(self) -> int:
        return self.num.size


def _shares(
    reg: _Register,
    years: _Years,
    rows: _Rows,
    fac: _Factors,
    mode: np.ndarray,
    by_year: dict[int, dict[str, Fraction]],
) -> _Parts:
    """The HQ's share per method (57号 Art. 15, 财预〔2012〕40号; exact fractions) and each participating
    branch's (1 − hq_share)·r_i with r_i from its factor ratios (57号 Art. 16; float, certified later)."""
    hq_parts: list[tuple[np.ndarray, int, Fraction]] = []  # (enterprise-years, kind, weight)
    for y, pv in by_year.items():
        hs, ct = pv["hq"], pv["ct"]
        weights = {
            "national": [("hq_local", hs * (1 - ct)), ("hq_central", hs * ct)],
            "intra_apportion_like_national": [("hq_local", hs)],
            "intra_centralized_at_hq": [("hq_all", Fraction(1))],
            "unshared": [("hq_local", hs * (1 - ct) + (1 - hs)), ("hq_central", hs * ct)],
            "single": [("hq_all", Fraction(1))],
        }
        for m, ws in weights.items():
            sel = np.flatnonzero((years.year == y) & (mode == m))
            if sel.size:
                hq_parts.extend((sel, _KINDS.index(kind), w) for kind, w in ws)
    branch_mode = np.isin(mode, ["national", "intra_apportion_like_national"])
    br = np.flatnonzero(rows.takes_part & branch_mode[rows.ey])
    e_br = rows.ey[br]

    # r_i = w_rev·Rev_i/ΣRev + w_pay·Pay_i/ΣPay + w_ast·Assets_i/ΣAssets, per-year weights
    ys = rows.year[br]
    wr, wp, wa, h_br = (np.zeros(br.size) for _ in range(4))
    for y, pv in by_year.items():
        sel = ys == y
        wr[sel], wp[sel], wa[sel] = float(pv["w_rev"]), float(pv["w_pay"]), float(pv["w_ast"])
        h_br[sel] = float(1 - pv["hq"])
    v, s = fac.values, fac.sums
    ratio = (
        wr * v["revenue"][br] / s["revenue"][e_br]
        + wp * v["payroll"][br] / s["payroll"][e_br]
        + wa * v["assets"][br] / s["assets"][e_br]
    )
    lone = fac.n_part[e_br] == 1
    ratio[lone] = 1.0  # exactly, whatever the float sum gave
    return _Parts(
        ey=np.concatenate([h[0] for h in hq_parts] + [e_br]),
        est=np.concatenate([reg.hq[years.enterprise[h[0]]] for h in hq_parts] + [rows.est[br]]),
        kind=np.concatenate([np.full(h[0].size, h[1]) for h in hq_parts] + [np.full(br.size, _BRANCH)]),
        num=np.concatenate([np.full(h[0].size, h[2].numerator) for h in hq_parts]).astype(np.int64),
        den=np.concatenate([np.full(h[0].size, h[2].denominator) for h in hq_parts]).astype(np.int64),
        branch_rows=br,
        ratio=ratio,
        branch_quota=years.tax[e_br].astype(np.float64) * h_br * ratio,
        lone=lone,
    )


# ---------------------------------------------------------------------------------------------------
# Step 4: the split into units (largest remainder), exact where the floats cannot decide


def _split_to_units(
    reg: _Register, years: _Years, fac: _Factors, parts: _Parts, by_year: dict[int, dict[str, Fraction]]
) -> tuple[np.ndarray, int]:
    """Each part's units: floors of the quotas, then the units left over to the largest remainders (ties
    by (city, kind) as the engine). Enterprise-years whose floor or order at the cut-off the float error
    could change are redone exactly by :func:`split_units`. Returns the amounts and that count."""
    T, n_hq = years.tax, parts.n_hq
    hq_ey = parts.ey[:n_hq]
    t_hq = T[hq_ey]
    hq_floor = (t_hq * parts.num) // parts.den  # exact (T·num < 2^63 for T < ~10^17 units)
    hq_frac = ((t_hq * parts.num) % parts.den) / parts.den  # exact when den is a power of two, else ≤ 1 ulp off
    hq_exact_frac = (parts.den & (parts.den - 1)) == 0

    e_br = parts.ey[n_hq:]
    quota_br = parts.branch_quota.copy()
    br_floor = np.floor(quota_br).astype(np.int64)
    br_frac = quota_br - br_floor
    br_exact = np.zeros(e_br.size, dtype=bool)
    lone = parts.lone
    if lone.any():  # a lone participating branch: its quota T·(1 − hq_share) is done in integers
        ln, ld = np.zeros(e_br.size, np.int64), np.ones(e_br.size, np.int64)
        ys = years.year[e_br]
        for y, pv in by_year.items():
            sel = lone & (ys == y)
            ln[sel], ld[sel] = (1 - pv["hq"]).numerator, (1 - pv["hq"]).denominator
        t_lone = T[e_br[lone]]
        br_floor[lone] = (t_lone * ln[lone]) // ld[lone]
        br_frac[lone] = ((t_lone * ln[lone]) % ld[lone]) / ld[lone]
        quota_br[lone] = t_lone * ln[lone] / ld[lone]
        br_exact[lone] = (ld[lone] & (ld[lone] - 1)) == 0

    eps = _REL_ERR * T.astype(np.float64) + 1e-12
    flagged = np.zeros(years.n, dtype=bool)
    near = ((br_frac < eps[e_br]) | (br_frac > 1 - eps[e_br])) & ~br_exact
    flagged[e_br[near]] = True
    flagged[hq_ey[~hq_exact_frac]] = True

    floors = np.concatenate([hq_floor, br_floor])
    frac = np.concatenate([hq_frac, br_frac])
    exact_part = np.concatenate([hq_exact_frac, br_exact])
    left = T - np.bincount(parts.ey, weights=floors, minlength=years.n).astype(np.int64)

    # order within each enterprise-year: remainder, quota, then (city, kind) compared as strings like the
    # engine's tie keys, then the part's position
    _, city_rank = np.unique(reg.city, return_inverse=True)
    kind_rank = np.argsort(np.argsort(np.array(_KINDS)))
    tie_code = city_rank[parts.est] * len(_KINDS) + kind_rank[parts.kind]
    quota = np.concatenate([(t_hq * parts.num / parts.den), quota_br])
    idx = np.arange(parts.ey.size)
    order = np.lexsort((idx, tie_code, -quota, -frac, parts.ey))
    grp_start = np.searchsorted(parts.ey[order], np.arange(years.n))
    pos = np.arange(order.size) - grp_start[parts.ey[order]]
    bonus_sorted = pos < left[parts.ey[order]]
    # ambiguity at the cut-off: the last part that gets a unit vs the first that does not
    gsize = np.bincount(parts.ey, minlength=years.n)
    cut = np.flatnonzero((left > 0) & (left < gsize))
    if cut.size:
        a = order[grp_start[cut] + left[cut] - 1]
        b = order[grp_start[cut] + left[cut]]
        close = (frac[a] - frac[b]) < 2 * eps[cut]
        close &= ~(exact_part[a] & exact_part[b])
        flagged[cut[close]] = True
    flagged[(left < 0) | (left > gsize)] = True
    amount = floors.copy()
    amount[order[bonus_sorted]] += 1

    fb = np.flatnonzero(flagged)
    if fb.size:
        for ey, ids in _group_indices(parts.ey, fb).items():
            amount[ids] = _exact_split(ey, ids, reg, years, fac, parts, by_year)
    return amount, int(fb.size)


def _exact_split(
    ey: int,
    ids: np.ndarray,
    reg: _Register,
    years: _Years,
    fac: _Factors,
    parts: _Parts,
    by_year: dict[int, dict[str, Fraction]],
) -> list[int]:
    """One enterprise-year split as the engine splits it: exact Fraction weights, ``split_units``."""
    pv = by_year[int(years.year[ey])]
    v, s = fac.values, fac.sums
    sums = [int(s[k][ey]) for k in _FACTORS]  # integer sums < 2**53: exact in float64
    ws, keys = [], []
    for i in ids:
        if i < parts.n_hq:
            ws.append(Fraction(int(parts.num[i]), int(parts.den[i])))
        else:
            j = parts.branch_rows[i - parts.n_hq]
            r = sum(
                (w * Fraction(int(v[k][j]), sums[n]) for n, (k, w) in enumerate(zip(_FACTORS, _weights(pv), strict=True))),
                Fraction(0),
            )
            ws.append((1 - pv["hq"]) * r)
        keys.append((reg.city[parts.est[i]], _KINDS[parts.kind[i]]))
    return split_units(int(years.tax[ey]), ws, keys)


def _weights(pv: dict[str, Fraction]) -> tuple[Fraction, Fraction, Fraction]:
    return pv["w_rev"], pv["w_pay"], pv["w_ast"]


def _group_indices(groups: np.ndarray, wanted: np.ndarray) -> dict[int, np.ndarray]:
    """For each wanted group, the positions of its elements (in order)."""
    sel = np.isin(groups, wanted)
    idx = np.flatnonzero(sel)
    g = groups[idx]
    order = np.argsort(g, kind="stable")
    idx, g = idx[order], g[order]
    bounds = np.flatnonzero(np.diff(g)) + 1
    return {
        int(chunk_g[0]): chunk for chunk, chunk_g in zip(np.split(idx, bounds), np.split(g, bounds), strict=True)
    }


# ---------------------------------------------------------------------------------------------------
# Step 5: levels of government and the result table


def _result(
    reg: _Register, years: _Years, parts: _Parts, amount: np.ndarray, by_year: dict[int, dict[str, Fraction]]
) -> pd.DataFrame:
    """Per establishment-year: paid, central, local and national pool (units), and r_i. Each part's central
    share is an exact two-way split (所得税收入分享); the local share of the HQ's central-treasury part is
    the national pool (财预〔2012〕40号)."""
    import pandas as pd

    c_num, c_den = np.zeros(parts.ey.size, np.int64), np.ones(parts.ey.size, np.int64)
    p_year = years.year[parts.ey]
    for y, pv in by_year.items():
        c_num[p_year == y], c_den[p_year == y] = pv["central"].numerator, pv["central"].denominator
    central = _two_way(amount, c_num, c_den)
    rest = amount - central
    is_pool = parts.kind == _KINDS.index("hq_central")

    n_est = len(reg.table)
    key = parts.ey.astype(np.int64) * n_est + parts.est
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
    e_br = parts.ey[parts.n_hq :]
    ratio[np.searchsorted(uniq, e_br.astype(np.int64) * n_est + parts.est[parts.n_hq :])] = parts.ratio
    return pd.DataFrame(
        {
            "enterprise": reg.table["enterprise"].to_numpy()[u_est],
            "year": years.year[u_ey],
            "establishment": reg.table["establishment"].to_numpy()[u_est],
            "city": reg.city[u_est],
            "apportionment_ratio": ratio,
            **agg,
        }
    )


def _two_way(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Largest-remainder split of p ≥ 0 units into [a/b, (b−a)/b]; returns the first part (exact).

    Ties (equal remainders) go to the larger quota, then to the first part, as in ``split_units``.
    """
    qa, ra = np.divmod(p * a, b)
    qb, rb = np.divmod(p * (b - a), b)
    left = p - qa - qb  # 0 or 1
    first_wins = (ra > rb) | ((ra == rb) & (a >= b - a))
    return qa + np.where((left == 1) & first_wins, 1, 0)
