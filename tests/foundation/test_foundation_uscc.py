"""Unified social credit codes: both check characters, against the reference examples and by property."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given, settings
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


# ------------------------------------------------------------------------------- one rule, both paths
_NOISE = st.sampled_from([" ", "\t", "-", "'", "\u2010", "\u2011", "\u2013", "\u2014", "\u2212", "\uff0d", "\u3000"])


@settings(deadline=None, max_examples=300)  # the first call compiles Arrow's regular expressions
@given(st.lists(st.one_of(st.sampled_from(list(credit_code.ALPHABET + "IOSVZabc９Ａ")), _NOISE), max_size=24))
def test_the_column_and_the_single_code_are_cleaned_and_checked_alike(chars):
    import pyarrow as pa

    raw = "".join(chars)
    one = credit_code.normalise(raw)
    column = credit_code.normalise_array(pa.array([raw]))
    assert column.to_pylist() == [one]
    assert bool(credit_code.valid_array(column)[0]) == credit_code.is_valid(one)


@given(region=st.sampled_from(["310115", "320594"]),
       body=st.text(alphabet=credit_code.ALPHABET.replace("I", ""), min_size=8, max_size=8),
       dash=st.sampled_from(["-", "\u2010", "\u2011", "\u2013", "\u2014", "\u2212", "\uff0d", " ", "'"]))
def test_a_code_written_with_any_dash_or_an_apostrophe_is_the_code(region, body, dash):
    code = credit_code.make(region, body)
    written = f"{dash if dash == chr(39) else ''}{code[:2]}{dash}{code[2:8]}{dash}{code[8:]}"
    assert credit_code.normalise(written) == code and credit_code.is_valid(written)


# ------------------------------------------------------------------ python-stdnum as an oracle
# stdnum.cn.uscc checks the length, digits in positions 1-8 and the GB 32100 check character (position
# 18). Ours differs on purpose in two places: positions 1-2 may be letters (registration authorities and
# types such as N, Y, A under GB 32100: stdnum refuses them), and position 17 must be the GB 11714 check
# character of the organisation code (stdnum does not check it). Everywhere else the two agree.
uscc = pytest.importorskip("stdnum.cn.uscc")


def _stdnum_valid(code: str) -> bool:
    return uscc.is_valid(code)


@settings(max_examples=500)
@given(st.text(alphabet=credit_code.ALPHABET, min_size=17, max_size=19))
def test_position_18_agrees_with_stdnum_on_random_codes(code):
    ours = credit_code.is_valid(code)
    problems = {p.code for p in credit_code.check(credit_code.normalise(code))}
    if code[:8].isdigit() and "check17" not in problems:
        assert ours == _stdnum_valid(code), (code, problems)
    if ours:  # we accept: stdnum accepts unless positions 1-2 hold letters
        assert _stdnum_valid(code) or not code[:2].isdigit()


@settings(max_examples=500)
@given(region=st.sampled_from(["310115", "320594", "320681"]), prefix=st.sampled_from(["91", "92", "12", "N1", "Y1"]),
       body=st.text(alphabet=credit_code.ALPHABET.replace("I", ""), min_size=8, max_size=8),
       pos=st.integers(0, 17), new=st.sampled_from(list(credit_code.ALPHABET)))
def test_mutated_valid_codes_agree_with_stdnum_where_the_standards_agree(region, prefix, body, pos, new):
    code = credit_code.make(region, body, prefix)
    assert credit_code.is_valid(code)
    assert _stdnum_valid(code) == prefix.isdigit()  # letters in positions 1-2: GB 32100 allows them, stdnum not
    mutated = code[:pos] + new + code[pos + 1:]
    problems = {p.code for p in credit_code.check(mutated)}
    if mutated[:8].isdigit() and "check17" not in problems:
        assert credit_code.is_valid(mutated) == _stdnum_valid(mutated)
    if "check17" in problems and "check18" not in problems and mutated[:8].isdigit():
        assert _stdnum_valid(mutated) and not credit_code.is_valid(mutated)  # stricter by design: GB 11714
