"""The statute as dated data: as-of lookups, month pro-rating, overrides that do not overwrite the future."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest

from benefit_sharing import ScenarioError, default_parameters
from benefit_sharing.parameters import load_parameter_file

PARAM_DIR = Path(__file__).resolve().parents[2] / "benefit_sharing" / "parameters"


def test_every_value_has_a_reference_and_a_confidence():
    files = sorted(PARAM_DIR.glob("*.yaml"))
    assert len(files) >= 20
    for f in files:
        p = load_parameter_file(f)
        assert p.description
        for v in p.values:
            assert v.reference and v.confidence in ("high", "medium-high", "medium", "low")


def test_as_of_lookup_and_month_pro_rating():
    vat = default_parameters().get("vat.central_share")
    assert vat.at(dt.date(2016, 4, 30)).value == Fraction(3, 4)
    assert vat.at(dt.date(2016, 5, 1)).value == Fraction(1, 2)
    assert vat.year_average(2016) == Fraction(4 * 3, 4 * 12) + Fraction(8, 24)  # 4/12·0.75 + 8/12·0.5
    assert vat.year_average(2017) == Fraction(1, 2)
    relief = default_parameters().get("surcharges.six_taxes_two_fees_relief")
    assert relief.year_average(2027) == Fraction(1, 2) and relief.year_average(2028) == 0


def test_unsettled_parameters_have_no_invented_value():
    ps = default_parameters()
    assert ps.get("local_split.Jiangsu.cit.province_share").year_average(2026) is None
    assert ps.get("local_split.Zhejiang.vat.province_share").year_average(2026) is None  # open name
    assert ps.get("national_pool.destination").at(dt.date(2026, 1, 1)) is None
    assert not ps.get("intra_province_mode.Jiangsu").settled


def test_dated_override_is_inserted_not_overwriting_later_values():
    ps = default_parameters().with_overrides({"vat.central_share": {"2010-07-01": 0.6}})
    vat = ps.get("vat.central_share")
    assert vat.at(dt.date(2012, 1, 1)).value == Fraction(3, 5)
    assert vat.at(dt.date(2017, 1, 1)).value == Fraction(1, 2)  # the 2016-05-01 statute still starts
    assert vat.year_average(2010) == Fraction(6 * 3, 6 * 4 * 2) + Fraction(6 * 3, 5 * 12)


def test_undated_override_replaces_all_dates():
    ps = default_parameters().with_overrides({"local_split.Jiangsu.cit.province_share": 0.3})
    assert ps.get("local_split.Jiangsu.cit.province_share").year_average(2030) == Fraction(3, 10)


@pytest.mark.parametrize(
    "overrides, fragment",
    [
        ({"cit.central_shares": 0.6}, "unknown parameter; allowed:"),
        ({"local_split.Jiangsu.cit.province_share": 1.5}, "a share must be a number in [0, 1]"),
        ({"intra_province_mode.Jiangsu": "x"}, "allowed values: centralized_at_hq, apportion_like_national"),
        ({"vat.central_share": {"2020-01-01": 0.5, "2019-01-01": 0.4}}, "ascending order"),
        ({"national_pool.destination": {"Jiangsu": 0.7, "Shanghai": 0.5}}, "sum to at most 1"),
    ],
)
def test_bad_overrides(overrides, fragment):
    with pytest.raises(ScenarioError) as info:
        default_parameters().with_overrides(overrides)
    assert fragment in str(info.value)
