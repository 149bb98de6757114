"""Who takes part in the CIT apportionment (57号 Art. 5) has one home, ``scenario.model``: the engine asks
``takes_part`` about one establishment, the batch path asks ``takes_part_many`` about arrays. They must
agree on every establishment-year, whatever its role, VAT status, set-up and closing years."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from benefit_sharing import names
from benefit_sharing.scenario import ROLES, Enterprise, Establishment, takes_part, takes_part_many
from benefit_sharing.scenario.model import FORMS, GAME_RULES, LOCATION_TYPES, STATISTICS, TAXES
from benefit_sharing.trace import COMPONENTS
from benefit_sharing.views import LEVELS

PACKAGE = Path(names.__file__).resolve().parent
YEARS = st.integers(2020, 2030)
ESTABLISHMENT_YEARS = st.lists(
    st.tuples(
        st.sampled_from(ROLES),
        st.booleans(),  # pays VAT locally
        st.none() | YEARS,  # established
        st.none() | YEARS,  # closed
        YEARS,  # the year apportioned
        st.booleans(),  # a small low-profit enterprise the year before
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(ESTABLISHMENT_YEARS)
def test_takes_part_many_is_takes_part_over_arrays(cases):
    expected = []
    for role, vat, established, closed, year, slp in cases:
        e = Establishment("e", "Suzhou", "Jiangsu", role, vat, established=established, closed=closed)
        ent = Enterprise("E", "branch", small_low_profit_years=frozenset({year - 1} if slp else ()))
        expected.append(takes_part(e, year, ent).takes_part)
    role, vat, established, closed, year, slp = zip(*cases, strict=True)
    got = takes_part_many(
        year=np.array(year),
        role=np.array(role, dtype=object),
        pays_local_vat=np.array(vat),
        established=np.array([np.nan if y is None else y for y in established], dtype=float),
        closed=np.array([np.nan if y is None else y for y in closed], dtype=float),
        small_low_profit_prior_year=np.array(slp),
    )
    assert got.tolist() == expected


def test_a_branch_that_does_not_take_part_says_why_in_both_languages():
    ent = Enterprise("E", "branch")
    new = Establishment("n", "Nantong", "Jiangsu", "production", True, established=2026)
    p = takes_part(new, 2026, ent)
    assert not p.takes_part and "set up" in p.why and "设立当年" in p.why_zh
    assert takes_part(new, 2027, ent) == (True, "", "")


def test_every_code_has_a_name_in_both_languages():
    """One home per name (``names``): every code the library uses is named in English and Chinese."""
    for kind, codes in (
        ("tax", (*TAXES, "value_added")),
        ("component", COMPONENTS),
        ("level", LEVELS),
        ("role", ROLES),
        ("location_type", LOCATION_TYPES),
        ("form", FORMS),
        ("statistics", STATISTICS),
        ("game_rule", GAME_RULES),
    ):
        assert set(names.TABLES[kind]) == set(codes), kind
        for code in codes:
            en, zh = names.name(kind, code, "en"), names.name(kind, code, "zh")
            assert en and zh and en != zh, (kind, code)
    assert names.name("city", "Chengdu", "zh") == "Chengdu", "an unknown code keeps its own name"


def test_every_warning_code_has_a_title():
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    raised = set(re.findall(r"warn\(\s*\"([a-z_]+)\"", source))
    assert len(raised) >= 12 and raised == set(names.WARNINGS)
