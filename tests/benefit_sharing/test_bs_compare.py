"""Scenario comparison (branch vs subsidiary, with vs without agreements) and sensitivity sweeps."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from benefit_sharing import ScenarioError, compare, load_scenario, sweep

SCEN = Path(__file__).resolve().parents[2] / "data" / "scenarios"


def test_branch_vs_subsidiary_side_by_side():
    a = load_scenario(SCEN / "branch_vs_subsidiary_branch.yaml")
    b = load_scenario(SCEN / "branch_vs_subsidiary_subsidiary.yaml")
    table = compare([a, b])
    assert list(table.columns[:6]) == ["year", "tax", "city", "component", a.name, b.name]
    row = table[
        (table.year == 2026) & (table.tax == "cit") & (table.city == "Shanghai") & (table.component == "paid")
    ].iloc[0]
    assert row[a.name] == Decimal(1250) and row[b.name] == Decimal(50)
    assert row[f"Δ {b.name}"] == Decimal(-1200)
    total = table[
        (table.year == 2026)
        & (table.tax == "cit")
        & (table.city == "all cities")
        & (table.component == "paid")
    ].iloc[0]
    assert total[a.name] == Decimal(2500) and total[b.name] == Decimal(2500)  # same T, split differently


def test_agreement_brings_its_without_column():
    s = load_scenario(SCEN / "bs07_sh_nt_phased_agreement.yaml")
    table = compare([s])
    without = f"{s.name} (without agreements)"
    assert without in table.columns
    row = table[
        (table.year == 2029)
        & (table.tax == "vat")
        & (table.city == "Nantong")
        & (table.component == "retained")
    ].iloc[0]
    assert row[s.name] == Decimal(125) and row[without] == 0
    local = table[
        (table.year == 2029) & (table.tax == "vat") & (table.city == "Nantong") & (table.component == "local")
    ].iloc[0]
    assert local[s.name] == local[without] == Decimal(500)  # the statute is identical with and without


def test_sweep_markup_is_tidy_and_moves_profit():
    s = load_scenario(SCEN / "branch_vs_subsidiary_subsidiary.yaml")
    df = sweep(s, "enterprise.markup", [0.05, 0.10, 0.15])
    assert list(df.columns) == ["value", "year", "tax", "city", "component", "amount", "amount_exact"]
    sh = df[(df.year == 2026) & (df.tax == "cit") & (df.city == "Shanghai") & (df.component == "paid")]
    assert sh.amount_exact.tolist() == [Decimal(25), Decimal(50), Decimal(75)]  # (2000·m) × 25 %


def test_sweep_a_factor_by_establishment_id():
    s = load_scenario(SCEN / "bs01_sh_hq_sz_nt_branches.yaml")
    df = sweep(s, "establishments[sz].factors.2025.revenue", [4000, 6000])
    sz = df[(df.tax == "cit") & (df.city == "Suzhou") & (df.component == "paid")]
    # r_SZ = 0.35·Rev/ΣRev + 0.14 + 0.12: 4000 → 0.435 (1087.5 of 2500 × 0.5 = 543.75); 6000 → 0.47 (587.5)
    assert sz.amount_exact.tolist() == [Decimal("543.75"), Decimal("587.5")]


def test_sweep_bad_path_names_the_choices():
    s = load_scenario(SCEN / "bs01_sh_hq_sz_nt_branches.yaml")
    with pytest.raises(ScenarioError, match="no item 'xx'; allowed: hq, sz, nt"):
        sweep(s, "establishments[xx].factors.2025.revenue", [1])
