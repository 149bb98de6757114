"""Unified social credit codes: both check characters, against the reference examples and by property."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matchmaking.reference import credit_code, reference_dir

EXAMPLES = list(csv.DictReader((reference_dir() / "uscc_examples.csv").open(encoding="utf-8")))


@pytest.mark.parametrize("row", EXAMPLES, ids=[r["code"] for r in EXAMPLES])
def test_reference_examples(row):
    code = credit_code.normalise(row["code"])
    problems = {p.code for p in credit_code.check(code)}
    assert credit_code.is_valid(code) == (row["valid_strict"] == "true")
    mod31_ok = not problems & {"length", "charset", "check18"}
    assert mod31_ok == (row["valid_mod31"] == "true")


def test_examples_cover_both_checks():
    assert any(r["valid_mod31"] == "true" and r["valid_strict"] == "false" for r in EXAMPLES)
    assert sum(r["valid_strict"] == "true" for r in EXAMPLES) >= 10


@pytest.mark.parametrize(("raw", "expected"), [
    (" 91310115ma1hx7k27l ", "91310115MA1HX7K27L"),
    ("９１３１０１１５ＭＡ１ＨＸ７Ｋ２７Ｌ", "91310115MA1HX7K27L"),  # full-width, as typed with a Chinese IME
    ("913101-15MA1HX7K27L", "91310115MA1HX7K27L"),
    ("9131 0115 MA1H X7K2 7L", "91310115MA1HX7K27L"),
    (None, ""),
])
def test_normalise(raw, expected):
    assert credit_code.normalise(raw) == expected


@pytest.mark.parametrize(("code", "problem", "words"), [
    ("91310115MA1HX7K27M", "check18", ["position 18", "expected L"]),
    ("91320594MA1Q2A0X1Y", "check17", ["position 17", "GB 11714"]),
    ("91310115MA1HX7K2IL", "charset", ["I"]),
    ("91310115MA1HX7K27", "length", ["18 characters", "has 17"]),
    ("9131A115MA1HX7K27L", "region", ["positions 3-8"]),
])
def test_each_problem_is_named(code, problem, words):
    problems = credit_code.check(code)
    assert problem in {p.code for p in problems}
    text = " ".join(p.message for p in problems)
    assert all(w in text for w in words), text
    assert all(p.message_zh for p in problems)


@given(region=st.sampled_from(["310115", "320594", "320583", "320681", "110000"]),
       body=st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8),
       prefix=st.sampled_from(["91", "92", "93", "12", "52"]))
def test_made_codes_are_valid_and_any_single_change_is_caught(region, body, prefix):
    code = credit_code.make(region, body, prefix)
    assert credit_code.is_valid(code) and credit_code.region_code(code) == region
    for pos in (0, 5, 9, 16, 17):  # change one character: one of the two checks must fail
        for c in "0A":
            if code[pos] != c:
                assert not credit_code.is_valid(code[:pos] + c + code[pos + 1:])


def test_make_refuses_bad_parts():
    with pytest.raises(ValueError, match="region"):
        credit_code.make("31011", "MA1HX7K2")
    with pytest.raises(ValueError, match="body8"):
        credit_code.make("310115", "MA1HX7KI")
