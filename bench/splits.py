"""Benchmark (not a test): 10,000 enterprises × 10 years of cross-province CIT apportionment.

Runs the exact batch path (``benefit_sharing.apportion_cit_batch``: int64 units, certified float quotas,
exact fallback) and, in the same run, a plain pandas/numpy float computation of the same apportionment
(no rounding, no participation rules beyond the same mask), and prints seconds, enterprise-years per
second and the ratio. Target: ≤ 2 s for the batch on the development machine.

    .venv/bin/python -m bench.splits [--enterprises 10000] [--years 10] [--seed 0]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from benefit_sharing import apportion_cit_batch
from benefit_sharing.scenario import CITY_PROVINCE as PROVINCE

CITIES = np.array(list(PROVINCE))


def make_register(n_ent: int, n_years: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Each enterprise: an HQ and 1–4 branches across the three cities, random factors and T (in cents)."""
    rng = np.random.default_rng(seed)
    n_br = rng.integers(1, 5, n_ent)
    sizes = n_br + 1
    ent = np.repeat(np.arange(n_ent), sizes)
    pos = np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    role = np.where(pos == 0, "hq", rng.choice(["production", "production", "sales", "rd"], sizes.sum()))
    est = pd.DataFrame(
        {
            "enterprise": ent,
            "establishment": pos,
            "city": CITIES[rng.integers(0, 3, sizes.sum())],
            "role": role,
        }
    )
    years = np.arange(2026, 2026 + n_years)
    fy = np.arange(2025, 2025 + n_years)
    br = est[est.role != "hq"]
    fac = pd.DataFrame(
        {
            "enterprise": np.repeat(br.enterprise.to_numpy(), n_years),
            "establishment": np.repeat(br.establishment.to_numpy(), n_years),
            "year": np.tile(fy, len(br)),
        }
    )
    for k in ("revenue", "payroll", "assets"):
        fac[k] = rng.integers(100, 10**9, len(fac)) / 100
    lia = pd.DataFrame(
        {
            "enterprise": np.repeat(np.arange(n_ent), n_years),
            "year": np.tile(years, n_ent),
            "cit_payable": rng.integers(0, 10**10, n_ent * n_years) / 100,
        }
    )
    return est, fac, lia


def plain_pandas(est: pd.DataFrame, fac: pd.DataFrame, lia: pd.DataFrame) -> pd.DataFrame:
    """The same apportionment in plain float pandas: participation, r_i, 50/25/25, 60/40 and pool."""
    ey = lia.merge(est, on="enterprise")
    hq_prov = est[est.role == "hq"].set_index("enterprise").city.map(PROVINCE)
    ey["hq_prov"] = ey.enterprise.map(hq_prov)
    part = ey.role.isin(["production", "sales"])
    prior = fac.assign(year=fac.year + 1)
    ey = ey.merge(prior, on=["enterprise", "establishment", "year"], how="left")
    for k in ("revenue", "payroll", "assets"):
        ey[k] = ey[k].where(part, 0.0)
    g = ey.groupby(["enterprise", "year"])
    r = (
        0.35 * ey.revenue / g.revenue.transform("sum")
        + 0.35 * ey.payroll / g.payroll.transform("sum")
        + 0.30 * ey.assets / g.assets.transform("sum")
    ).fillna(0)
    n_part = part.groupby([ey.enterprise, ey.year]).transform("sum")
    cross = (part & (ey.city.map(PROVINCE) != ey.hq_prov)).groupby([ey.enterprise, ey.year]).transform("any")
    is_hq = ey.role == "hq"
    national = cross & (n_part > 0)
    paid = np.where(
        is_hq,
        np.where(national | (n_part == 0), 0.5 * ey.cit_payable, ey.cit_payable),
        0.5 * ey.cit_payable * r,
    )
    paid = np.where(is_hq & (n_part == 0), ey.cit_payable, paid)
    paid = np.where(~is_hq & ~national, 0.0, paid)
    pool = np.where(is_hq & national, 0.25 * ey.cit_payable * 0.4, 0.0)
    ey["paid"], ey["central"], ey["national_pool"] = paid, 0.6 * paid, pool
    ey["local"] = ey.paid - ey.central - ey.national_pool
    return ey


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--enterprises", type=int, default=10_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    est, fac, lia = make_register(args.enterprises, args.years, args.seed)
    n = len(lia)
    apportion_cit_batch(*make_register(50, 2, 1))  # warm-up (imports, parameter files)

    t0 = time.perf_counter()
    res = apportion_cit_batch(est, fac, lia)
    t_batch = time.perf_counter() - t0
    t0 = time.perf_counter()
    plain = plain_pandas(est, fac, lia)
    t_plain = time.perf_counter() - t0

    total_ok = res.establishments.paid.sum() == int(round(lia.cit_payable.sum() * 100))
    both = res.establishments.merge(
        plain[["enterprise", "year", "establishment", "paid"]],
        on=["enterprise", "year", "establishment"],
        suffixes=("", "_plain"),
    )
    diff = float(np.abs(both.paid / 100 - both.paid_plain).max())
    print(
        f"enterprises × years: {args.enterprises:,} × {args.years} = {n:,} enterprise-years "
        f"({len(res.establishments):,} establishment-years)"
    )
    print(
        f"batch (exact, int64 + certified floats): {t_batch:.3f} s  → {n / t_batch:,.0f} enterprise-years/s  "
        f"(exact fallbacks: {res.exact_fallbacks})"
    )
    print(
        f"plain pandas/numpy (floats, unrounded):  {t_plain:.3f} s  → {n / t_plain:,.0f} enterprise-years/s"
    )
    print(
        f"ratio batch / plain: {t_batch / t_plain:.2f}×   target ≤ 2 s: {'met' if t_batch <= 2 else 'NOT met'}"
    )
    print(
        f"check: Σ paid = Σ T exactly: {total_ok}; max |batch − plain| per establishment-year: {diff:.4f} (rounding to the cent)"
    )


if __name__ == "__main__":
    main()
