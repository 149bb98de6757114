"""Invariants of every split (hypothesis): parts add up to the whole to the cent, no negative amount
except a transfer or a refund, and renaming or reordering establishments changes nothing."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from benefit_sharing import evaluate
from benefit_sharing.money import split_amount, split_units
from benefit_sharing.scenario import Scenario

CITIES = ["Shanghai", "Suzhou", "Nantong"]
ROLES = ["production", "sales", "rd", "hq_production_department"]
cents = st.integers(0, 10**8).map(lambda c: Decimal(c) / 100)


@st.composite
def scenarios(draw, agreements=True):
    n = draw(st.integers(1, 4))
    hq_city = draw(st.sampled_from(CITIES))
    ests = [{"id": "hq", "city": hq_city, "role": "hq", "location_type": "urban_district"}]
    for i in range(n):
        role = draw(st.sampled_from(ROLES))
        city = hq_city if role == "hq_production_department" else draw(st.sampled_from(CITIES))
        ests.append(
            {
                "id": f"b{i}",
                "city": city,
                "role": role,
                "location_type": draw(st.sampled_from(["urban_district", "county_town", "elsewhere"])),
                "factors": {
                    2025: {
                        k: str(draw(st.integers(1, 10**6)) / Decimal(100))
                        for k in ("revenue", "payroll", "assets")
                    },
                    2026: {
                        k: str(draw(st.integers(1, 10**6)) / Decimal(100))
                        for k in ("revenue", "payroll", "assets")
                    },
                },
            }
        )
    ids = [e["id"] for e in ests if e["role"] not in ("rd",)]
    flows = {}
    for y in (2026, 2027):
        f = {
            "taxable_income": str(draw(cents)),
            "vat_payable": {i: str(draw(cents)) for i in ids if draw(st.booleans())},
            "value_added": {i: str(draw(cents)) for i in ids if draw(st.booleans())},
        }
        if draw(st.booleans()):
            f["prepayments"] = [str(draw(cents)) for _ in range(4)]
        flows[y] = f
    d = {
        "name": "prop",
        "years": [2026, 2027],
        "enterprise": {"name": "P", "form": "branch", "cit_rate": "0.25"},
        "establishments": ests,
        "flows": flows,
        "parameters": {
            "local_split.Jiangsu.vat.province_share": str(draw(st.integers(0, 100)) / Decimal(100))
        },
    }
    if draw(st.booleans()):
        d["parameters"]["intra_province_mode.Jiangsu"] = draw(
            st.sampled_from(["centralized_at_hq", "apportion_like_national"])
        )
    if agreements and draw(st.booleans()):
        host, partner = draw(st.permutations(CITIES))[:2]
        d["agreements"] = [
            {
                "name": "a",
                "host": host,
                "partner": partner,
                "taxes": ["vat", "cit", "surcharges"],
                "host_share": {
                    "2026-01-01": str(draw(st.integers(0, 100)) / Decimal(100)),
                    f"2026-{draw(st.integers(2, 12)):02d}-01": str(draw(st.integers(0, 100)) / Decimal(100)),
                },
                "cap": str(draw(cents)) if draw(st.booleans()) else None,
                "statistics": draw(st.sampled_from(["split", "double_count", "none"])),
            }
        ]
    return d


def amounts(result):
    out = defaultdict(Decimal)
    for r in result.rows:
        out[(r.year, r.tax, r.city, r.component, r.period)] += r.amount
    return dict(out)


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_parts_add_up_to_the_whole_to_the_cent(d):
    res = evaluate(Scenario.from_dict(d))
    cents_ = Decimal("0.01")
    by = defaultdict(lambda: defaultdict(Decimal))
    for r in res.rows:
        assert r.amount == r.amount.quantize(cents_), r
        by[(r.year, r.tax, r.city)][r.component] += r.amount
    for y in (2026, 2027):
        f = d["flows"][y]
        T = Decimal(f["taxable_income"]) * Decimal("0.25")
        cit_paid = sum((v["paid"] for (yy, tax, _c), v in by.items() if yy == y and tax == "cit"), Decimal(0))
        assert cit_paid == T.quantize(cents_, rounding=ROUND_HALF_UP)  # 四舍五入
        vat_paid = sum((v["paid"] for (yy, tax, _c), v in by.items() if yy == y and tax == "vat"), Decimal(0))
        assert vat_paid == sum((Decimal(v) for v in f["vat_payable"].values()), Decimal(0))
        moved = defaultdict(Decimal)
        for (yy, tax, _c), v in by.items():
            if yy == y:
                moved[tax] += v.get("agreement", Decimal(0))
        assert all(m == 0 for m in moved.values())  # a transfer leaves one city and reaches another
    for v in by.values():
        if "paid" in v:
            assert v["paid"] == v["central"] + v["local"] + v.get("national_pool", Decimal(0))
        if "province" in v and "local" in v:
            assert v["province"] + v["municipal"] == v["local"]


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_no_negative_amount_unless_transfer_or_refund(d):
    for r in evaluate(Scenario.from_dict(d)).rows:
        if r.component == "agreement" or r.period == "settlement":
            continue
        assert r.amount >= 0, r


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_renaming_and_reordering_establishments_changes_nothing(d, rnd):
    base = amounts(evaluate(Scenario.from_dict(d)))
    ids = [e["id"] for e in d["establishments"]]
    new_ids = [f"x{n}" for n in rnd.sample(range(100, 200), len(ids))]
    rename = dict(zip(ids, new_ids, strict=True))
    d2 = {**d, "establishments": [{**e, "id": rename[e["id"]]} for e in d["establishments"]]}
    rnd.shuffle(d2["establishments"])
    d2["flows"] = {
        y: {
            k: ({rename[i]: v for i, v in val.items()} if isinstance(val, dict) else val)
            for k, val in f.items()
        }
        for y, f in d["flows"].items()
    }
    assert amounts(evaluate(Scenario.from_dict(d2))) == base


@settings(max_examples=200, deadline=None)
@given(
    st.integers(-(10**9), 10**9), st.lists(st.fractions(min_value=0, max_value=1000), min_size=1, max_size=8)
)
def test_largest_remainder_sums_and_stays_within_a_unit(total, weights):
    if sum(weights) == 0:
        return
    parts = split_units(total, weights)
    assert sum(parts) == total
    s = sum(weights, Fraction(0))
    for p, w in zip(parts, weights, strict=True):
        assert abs(p - Fraction(total) * w / s) < 1


def test_split_amount_example():
    # 100.00 in three equal parts: one part gets the extra cent, first by tie key
    assert split_amount(Decimal("100.00"), [1, 1, 1], tie_keys=["b", "a", "c"]) == [
        Decimal("33.33"),
        Decimal("33.34"),
        Decimal("33.33"),
    ]
