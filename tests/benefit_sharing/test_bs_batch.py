"""The batch path must give exactly the Decimal engine's numbers (brute-force cross-check).

Random registers are run through ``apportion_cit_batch`` and, enterprise by enterprise, through the
engine; every city's paid/central/local/national-pool amount must agree to the cent. Crafted cases
force exact ties and remainders at the cut-off, which the batch must hand to its exact fallback.
"""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

import pandas as pd
import pytest

from benefit_sharing import ScenarioError, apportion_cit_batch, evaluate
from benefit_sharing.scenario import Scenario

CITIES = ["Shanghai", "Suzhou", "Nantong"]


def register(n: int, seed: int, tie_heavy: bool = False):
    rnd = random.Random(seed)
    ests, facs, lias = [], [], []
    for e in range(n):
        ent = f"E{e}"
        hq_city = rnd.choice(CITIES)
        ests.append({"enterprise": ent, "establishment": "hq", "city": hq_city, "role": "hq"})
        for b in range(rnd.randint(1, 4)):
            role = rnd.choice(["production", "production", "sales", "rd", "hq_production_department"])
            city = hq_city if role == "hq_production_department" else rnd.choice(CITIES)
            row = {"enterprise": ent, "establishment": f"b{b}", "city": city, "role": role}
            if rnd.random() < 0.1:
                row["established"] = rnd.choice([2025, 2026])
            ests.append(row)
            for y in (2025, 2026):
                if tie_heavy:
                    vals = {"revenue": 100, "payroll": 10, "assets": 100}
                else:
                    vals = {k: rnd.randint(1, 10**7) / 100 for k in ("revenue", "payroll", "assets")}
                facs.append({"enterprise": ent, "establishment": f"b{b}", "year": y, **vals})
        for y in (2026, 2027):
            t = rnd.choice([1, 2, 3, 7, 10, 101]) if tie_heavy else rnd.randint(0, 10**9)
            lias.append(
                {
                    "enterprise": ent,
                    "year": y,
                    "cit_payable": t / 100,
                    "small_low_profit_prior_year": rnd.random() < 0.05,
                }
            )
    est = pd.DataFrame(ests)
    for col in ("established",):
        if col not in est:
            est[col] = None
    return est, pd.DataFrame(facs), pd.DataFrame(lias)


def engine_by_city(est, fac, lia):
    out = defaultdict(lambda: defaultdict(Decimal))
    for ent, rows in est.groupby("enterprise", sort=False):
        establishments = []
        for r in rows.itertuples():
            f = fac[(fac.enterprise == ent) & (fac.establishment == r.establishment)]
            d = {
                "id": r.establishment,
                "city": r.city,
                "role": r.role,
                "factors": {
                    int(x.year): {
                        "revenue": repr(x.revenue),
                        "payroll": repr(x.payroll),
                        "assets": repr(x.assets),
                    }
                    for x in f.itertuples()
                },
            }
            if not pd.isna(r.established):
                d["established"] = int(r.established)
            establishments.append(d)
        ls = lia[lia.enterprise == ent]
        slp = [int(x.year) - 1 for x in ls.itertuples() if x.small_low_profit_prior_year]
        scenario = Scenario.from_dict(
            {
                "name": ent,
                "years": [int(y) for y in ls.year],
                "enterprise": {"name": ent, "form": "branch", "small_low_profit_years": slp},
                "establishments": establishments,
                "flows": {int(x.year): {"cit_payable": repr(x.cit_payable)} for x in ls.itertuples()},
            }
        )
        for r in evaluate(scenario).rows:
            if r.tax == "cit" and r.component in ("paid", "central", "local", "national_pool"):
                out[(r.year, r.city, ent)][r.component] += r.amount
    return out


@pytest.mark.parametrize("seed, tie_heavy", [(1, False), (2, False), (3, True), (4, True)])
def test_batch_equals_engine(seed, tie_heavy):
    est, fac, lia = register(60, seed, tie_heavy)
    res = apportion_cit_batch(est, fac, lia)
    expected = engine_by_city(est, fac, lia)
    got = res.establishments.groupby(["year", "city", "enterprise"])[
        ["paid", "central", "local", "national_pool"]
    ].sum()
    assert len(got) == len(expected)
    for (year, city, ent), comps in expected.items():
        row = got.loc[(year, city, ent)]
        for comp in ("paid", "central", "local", "national_pool"):
            assert Decimal(int(row[comp])) / 100 == comps.get(comp, Decimal(0)), (year, city, ent, comp)
    if tie_heavy:
        assert res.exact_fallbacks > 0  # ties must have been resolved exactly


def test_batch_sums_to_t_exactly():
    est, fac, lia = register(300, 7)
    res = apportion_cit_batch(est, fac, lia)
    paid = res.establishments.groupby(["enterprise", "year"])["paid"].sum()
    expected = (lia.set_index(["enterprise", "year"])["cit_payable"] * 100).round().astype("int64")
    assert (paid.sort_index() == expected.sort_index()).all()
    df = res.establishments
    assert (df.paid == df.central + df.local + df.national_pool).all()


def test_batch_errors_name_the_problem():
    est, fac, lia = register(3, 9)
    with pytest.raises(ScenarioError, match="missing: the 2026 apportionment"):
        apportion_cit_batch(est, fac[fac.year != 2025], lia)
    bad = lia.copy()
    bad.loc[0, "cit_payable"] = 1.001
    with pytest.raises(ScenarioError, match="multiple of the precision"):
        apportion_cit_batch(est, fac, bad)
