"""The worked examples of docs/benefit-sharing.md and other rule cases as YAML (input scenario → expected amounts).

Each file in ``cases/`` holds a ``scenario`` (a path under the repository or an inline mapping) and
``expect``: ``rows`` as ``[year, tax, city, component, amount]`` (``tax`` may be ``vat+cit`` to add
taxes; an optional sixth item selects a ``period``), ``absent`` rows, ``allocations`` as
``[rule, player, amount, in_core]``, and warning ``codes`` that must (``warnings``) or must not
(``no_warnings``) appear. Expected amounts are worked out by hand from the law, never copied from output.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from benefit_sharing import evaluate, load_scenario
from benefit_sharing.scenario import Scenario

REPO = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"

CASE_FILES = sorted(CASES.glob("*.yaml"))


def _load(case: dict) -> Scenario:
    src = case["scenario"]
    if isinstance(src, str):
        return load_scenario(REPO / src)
    return Scenario.from_dict(src, source=case.get("name", "case"))


def _amount(result, year, tax, city, component, period=None) -> Decimal | None:
    taxes = tax.split("+")
    found = [
        r
        for r in result.rows
        if r.year == year
        and r.tax in taxes
        and r.city == city
        and r.component == component
        and (period is None or r.period == period)
    ]
    if not found:
        return None
    return sum((r.amount for r in found), Decimal(0))


def test_there_are_cases():
    assert len(CASE_FILES) >= 12


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_case(path: Path):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = evaluate(_load(case))
    expect = case["expect"]
    for item in expect.get("rows", []):
        year, tax, city, component, amount, *period = item
        got = _amount(result, year, tax, city, component, period[0] if period else None)
        assert got is not None, f"no row {item}"
        assert got == Decimal(str(amount)), f"{item}: got {got}"
    for item in expect.get("absent", []):
        assert _amount(result, *item) is None, f"unexpected row {item}"
    alloc = {(a.rule, a.player): a for a in result.allocations}
    for rule, player, amount, core in expect.get("allocations", []):
        a = alloc[(rule, player)]
        assert a.amount == Decimal(str(amount)), f"{rule} {player}: got {a.amount}"
        assert a.in_core is core, f"{rule} {player}: in_core {a.in_core}"
    codes = {w.code for w in result.warnings}
    for code in expect.get("warnings", []):
        assert code in codes, f"missing warning {code}; got {sorted(codes)}"
    for code in expect.get("no_warnings", []):
        assert code not in codes, f"unexpected warning {code}"
