"""Checking and cleaning the values of a profile file, column by column, on Arrow arrays.

``VALIDATORS`` holds one check per column kind of the contract (``contract.Column.kind``). Text columns
go through Arrow's compute kernels; low-cardinality columns (city, district, industry, enums, years) are
checked once per distinct value. Only rejected rows are looked at one by one, to say precisely what is
wrong. Every problem is recorded with its row position, column, bad value and what is allowed, in both
languages. Nothing here reads a file or talks to the database.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..reference import CITIES, credit_code, fold, industries, regions
from .contract import ENUM_LOOKUP, ENUMS, Column
from .read import has_control_bytes

__all__ = ["VALIDATORS", "validate_column", "Errors", "short", "as_bool", "cell_text"]

Checked = tuple[pa.Array, pa.Array | None]


@dataclass(frozen=True)
class _Context:
    """What a check may need beyond its own column: the cleaned city of each row (for districts)."""

    cities: pa.Array | None = None


_CONTROL_RE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_PHONE_RE = r"^[0-9+()\-\s/转xX#ext.]{6,50}$"
_LIST_SPLIT = re.compile(r"[;；,，、/|]+")
_YEAR = re.compile(r"^(\d{4})(?:年|\.0+|[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
                   r"|年(\d{1,2})月(?:(\d{1,2})日)?)?$")


def short(v: object, n: int = 60) -> str:
    s = str(v)
    return s if len(s) <= n else s[: n - 1] + "…"


class Errors:
    """Collects (position, column, value, en, zh, severity) for the rows of one table."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str | None, str | None, str, str, str]] = []

    def add(self, positions: Iterable[int], column: str, values: pa.Array,
            en: str | Callable[[str], str], zh: str | Callable[[str], str], severity: str = "error") -> None:
        for pos in positions:
            v = values[int(pos)].as_py()
            v = "" if v is None else str(v)
            self.items.append((int(pos), column, v, en(v) if callable(en) else en, zh(v) if callable(zh) else zh,
                               severity))

    def add_mask(self, mask: pa.Array | np.ndarray, column: str, values: pa.Array,
                 en: str | Callable[[str], str], zh: str | Callable[[str], str], severity: str = "error") -> None:
        self.add(np.flatnonzero(as_bool(mask)), column, values, en, zh, severity)


def as_bool(mask: pa.Array | pa.ChunkedArray | np.ndarray) -> np.ndarray:
    if isinstance(mask, np.ndarray):
        return mask
    filled = pc.fill_null(mask, False)
    if isinstance(filled, pa.ChunkedArray):
        return np.asarray(filled.to_numpy(), dtype=bool)
    return filled.to_numpy(zero_copy_only=False)


def _any(mask: pa.Array | pa.ChunkedArray) -> bool:
    return bool(pc.any(mask).as_py())


def _flat(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _has_control(arr: pa.Array | pa.ChunkedArray) -> bool:
    """Any control character (other than tab and line breaks) in a string array, checked on its bytes."""
    for chunk in (arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]):
        if len(chunk) == 0 or chunk.buffers()[2] is None:
            continue
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32 if chunk.type == pa.string() else np.int64)
        lo, hi = int(offsets[chunk.offset]), int(offsets[chunk.offset + len(chunk)])
        if has_control_bytes(bytes(memoryview(chunk.buffers()[2])[lo:hi])):
            return True
    return False


def cell_text(arr: pa.Array | pa.ChunkedArray, maybe_control: bool = True) -> pa.Array | pa.ChunkedArray:
    """A cell as text: control characters removed, our export's formula guard (``'=…``) undone, trimmed."""
    arr = pc.fill_null(arr, "")
    if maybe_control and _has_control(arr):
        arr = pc.replace_substring_regex(arr, _CONTROL_RE, "")
    apos = pc.starts_with(arr, "'")
    if _any(apos):  # our own export writes '=… so that no spreadsheet runs it; read it back as written
        arr = pc.replace_substring_regex(arr, r"^'([=+\-@])", r"\1")
    # trimming copies the column: only when some value starts or ends with white space
    edges = pc.or_(pc.utf8_is_space(pc.utf8_slice_codeunits(arr, 0, 1)),
                   pc.utf8_is_space(pc.utf8_slice_codeunits(arr, -1, 2**31 - 1)))
    return pc.utf8_trim_whitespace(arr) if _any(edges) else arr


def _nfkc(arr: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(pc.utf8_normalize(arr, "NFKC"))


class _Distinct:
    """A column checked once per distinct value: ``fn(value) -> (outputs..., error)``."""

    def __init__(self, arr: pa.Array | pa.ChunkedArray, fn: Callable[[str], tuple[Any, ...]]) -> None:
        enc = pc.dictionary_encode(_flat(arr))
        self.indices = enc.indices
        self.results = [fn(v) for v in enc.dictionary.to_pylist()]

    def output(self, i: int = 0) -> pa.Array:
        return pc.take(pa.array([r[i] for r in self.results], type=pa.string()), self.indices)

    def errors(self) -> list[tuple[int, Any]]:
        """(row position, error) for the rows whose value has an error."""
        flags = np.array([r[-1] is not None for r in self.results], dtype=bool)
        if not flags.any():
            return []
        idx = self.indices.to_numpy(zero_copy_only=False)
        return [(int(p), self.results[idx[p]][-1]) for p in np.flatnonzero(flags[idx])]


def _check_code(col: Column, s: pa.Array, errs: Errors, ctx: _Context) -> Checked:
    """Credit codes: both check characters (GB 32100, GB 11714), one rule for the whole column."""
    codes = credit_code.normalise_array(s)
    ok = credit_code.valid_array(codes)
    bad = np.flatnonzero(~ok & as_bool(pc.not_equal(codes, "")))
    for pos in bad:
        code = codes[int(pos)].as_py()
        raw = s[int(pos)].as_py()
        if re.fullmatch(r"\d(\.\d+)?E\+?\d+", code):
            en = (f"{col.name} {raw!r} was typed as a number, and Excel keeps only 15 digits, so the code has lost "
                  "its last digits: format the column as text and type the code again")
            zh = f"{col.zh}“{raw}”以数值形式录入，Excel 只保留 15 位数字，代码末尾已丢失：请将该列设为文本格式后重新填写"
        else:
            problems = credit_code.check(code)
            en = (f"{col.name} {short(code)!r} is not a valid unified social credit code: "
                  + "; ".join(p.message for p in problems))
            zh = f"{col.zh}“{short(code)}”不是有效的统一社会信用代码：" + "；".join(p.message_zh for p in problems)
        errs.items.append((int(pos), col.name, raw, en, zh, "error"))
    return codes, None


_GROUPED = r"^[+-]?\d{1,3}(?:[, ]\d{3})+(?:\.\d*)?$"
_PLAIN = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"


_NO_VALUE = r"(?i)^(?:-+|—+|－+|/|n/?a|null|none|无|暂无|不详|未知)$"


def _no_value_markers(s: pa.Array, col: Column, errs: Errors) -> pa.Array:
    """``-``, ``N/A``, ``无``, ``暂无`` … in a number or year column mean 'no value': empty, with a note."""
    marked = pc.match_substring_regex(s, _NO_VALUE)
    if not _any(marked):
        return s
    errs.add_mask(marked, col.name, s, lambda v: f"{col.name} {v!r} is taken as no value (empty)",
                  lambda v: f"{col.zh}“{v}”按空值处理", "warning")
    return pc.if_else(marked, "", s)


def _all_plain_digits(s: pa.Array | pa.ChunkedArray) -> bool:
    """Every value empty or ASCII digits only (at most 15, so that float64 holds it exactly)."""
    return bool(pc.all(pc.match_substring_regex(s, r"^\d{0,15}$")).as_py())


def _validate_numbers(s: pa.Array, col: Column, errs: Errors) -> pa.Array:
    """Numbers as Excel and people write them (``1,200.5``, ``１２００``, ``￥3,000``, ``1.2亿``, ``1e3``):
    canonical decimal text, or a rejection. Amounts are in the column's unit (万元), so ``万``/``万元`` is
    dropped and ``亿`` multiplies by 10,000."""
    integer = col.kind == "int"
    limit = 5e6 if integer else 1e9
    if _all_plain_digits(s):  # the common case (what a database or a careful user writes): one pass
        num = pc.cast(pc.if_else(pc.equal(s, ""), "0", s), pa.float64()).to_numpy(zero_copy_only=False)
        out_of_range = num > limit
        errs.add_mask(out_of_range, col.name, s,
                      lambda v: f"{col.name} {short(v)!r} is out of range: must be between 0 and {limit:,.0f}",
                      lambda v: f"{col.zh}“{short(v)}”超出范围：应在 0 到 {limit:,.0f} 之间")
        return s
    t = _nfkc(s)
    present = as_bool(pc.not_equal(t, ""))
    if not present.any():
        return t
    t = pc.replace_substring_regex(t, r"(?i)^(?:'|[¥$]|rmb|cny|人民币)\s*", "")
    yi = as_bool(pc.match_substring_regex(t, r"\s*亿元?$"))
    if yi.any():
        t = pc.replace_substring_regex(t, r"\s*亿元?$", "")
    if not integer:
        t = pc.replace_substring_regex(t, r"\s*万元?$", "")
    grouped = pc.match_substring_regex(t, _GROUPED)
    if _any(grouped):
        t = pc.if_else(grouped, pc.replace_substring_regex(t, r"[, ]", ""), t)
    is_num = as_bool(pc.match_substring_regex(t, _PLAIN))
    bad_fmt = present & ~is_num
    what, what_zh = ("a whole number", "整数") if integer else ("a number", "数字")
    def fmt_en(v: str) -> str:
        hint = (" (use a dot for decimals; commas only between groups of three digits, e.g. 1,200.5)"
                if "," in v or "，" in v else "")
        return f"{col.name} {short(v)!r} is not {what}{hint}"

    def fmt_zh(v: str) -> str:
        hint = "（小数请用小数点；逗号只能用作千位分隔，如 1,200.5）" if "," in v or "，" in v else ""
        return f"{col.zh}“{short(v)}”不是{what_zh}{hint}"

    errs.add_mask(bad_fmt, col.name, s, fmt_en, fmt_zh)
    ok = present & is_num
    # the rare spellings that need exact decimal arithmetic: 1.2亿, 1e3
    exotic = ok & (yi | as_bool(pc.match_substring_regex(t, r"[eE]")))
    if exotic.any():
        vals = t.to_pylist()
        for pos in np.flatnonzero(exotic):
            try:
                d = Decimal(vals[pos]) * (10000 if yi[pos] else 1)
                vals[pos] = format(d.normalize(), "f") if d == d.to_integral_value() or abs(d) < 1e15 else vals[pos]
            except InvalidOperation:
                ok[pos] = False
        t = pa.array(vals, type=pa.string())
    t = pc.replace_substring_regex(t, r"^\+", "")
    if not ok.any():
        return pc.if_else(pa.array(ok), t, "")
    num = np.full(len(t), np.nan)
    num[ok] = pc.cast(t.filter(pa.array(ok)), pa.float64()).to_numpy(zero_copy_only=False)
    out_of_range = ok & ((num < 0) | (num > limit))
    errs.add_mask(out_of_range, col.name, s,
                  lambda v: f"{col.name} {short(v)!r} is out of range: must be between 0 and {limit:,.0f}",
                  lambda v: f"{col.zh}“{short(v)}”超出范围：应在 0 到 {limit:,.0f} 之间")
    ok &= ~out_of_range
    if integer:
        frac = ok & as_bool(pc.match_substring_regex(t, r"\.\d*[1-9]"))
        errs.add_mask(frac, col.name, s, lambda v: f"{col.name} {short(v)!r} must be a whole number",
                      lambda v: f"{col.zh}“{short(v)}”必须是整数")
        ok &= ~frac
        t = pc.replace_substring_regex(t, r"\.0*$", "")
    else:
        many = ok & as_bool(pc.match_substring_regex(t, r"\.\d{5,}$"))
        errs.add_mask(many, col.name, s, lambda v: f"{col.name} {short(v)!r} has more than 4 decimal places",
                      lambda v: f"{col.zh}“{short(v)}”小数位数超过 4 位")
    return pc.if_else(pa.array(present & is_num), t, "")


def _year(v: str) -> tuple[str, str | None]:
    if not v:
        return "", None
    m = _YEAR.match(unicodedata.normalize("NFKC", v).strip())
    if not m:
        return "", "format"
    month, day = m.group(2) or m.group(4), m.group(3) or m.group(5)
    if (month and not 1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
        return "", "format"
    y = int(m.group(1))
    if not 1800 <= y <= dt.date.today().year:
        return "", "range"
    return str(y), None

def _check_text(col: Column, s: pa.Array, errs: Errors, ctx: _Context) -> Checked:
    """Free text (one line unless ``long_text``), e-mail and phone shapes, and the column's length limit."""
    n_en, n_zh = col.name, col.zh
    if col.kind != "long_text" and _any(pc.match_substring_regex(s, r"\s\s|[\t\r\n]")):
        s = pc.replace_substring_regex(s, r"\s+", " ")
    if col.kind == "email":
        s = pc.utf8_lower(_nfkc(s))
        bad = pc.and_(pc.not_equal(s, ""), pc.invert(pc.match_substring_regex(s, _EMAIL_RE)))
        errs.add_mask(bad, col.name, s, lambda v: f"{n_en} {short(v)!r} is not an e-mail address",
                      lambda v: f"{n_zh}“{short(v)}”不是有效的电子邮箱")
    elif col.kind == "phone":
        s = _nfkc(s)
        bad = pc.and_(pc.not_equal(s, ""), pc.invert(pc.match_substring_regex(s, _PHONE_RE)))
        errs.add_mask(bad, col.name, s, lambda v: f"{n_en} {short(v)!r} is not a phone number "
                      "(digits, spaces, + - ( ) and an extension)",
                      lambda v: f"{n_zh}“{short(v)}”不是有效的电话号码")
    too_long = pc.greater(pc.utf8_length(s), col.max_len)
    errs.add_mask(too_long, col.name, s,
                  lambda v: f"{n_en} has {len(v):,} characters; at most {col.max_len:,} are allowed",
                  lambda v: f"{n_zh}长度为 {len(v):,} 个字符，最多允许 {col.max_len:,} 个")
    return s, None


def _check_city(col: Column, s: pa.Array, errs: Errors, ctx: _Context) -> Checked:
    """One of the three cities, in any usual spelling."""
    d = _Distinct(s, lambda v: (regions().city(v) or "", None if not v or regions().city(v) else 1))
    allowed = ", ".join(CITIES)
    errs.add((i for i, _ in d.errors()), col.name, s,
             lambda v: f"unknown city {short(v)!r}: allowed are {allowed} "
             "(any usual spelling, e.g. 上海 / 上海市 / shanghai)",
             lambda v: f"未知城市“{short(v)}”：只能是上海、苏州或南通（可写作 上海 / 上海市 / Shanghai 等）")
    return d.output(), None


def _check_district(col: Column, s: pa.Array, errs: Errors, ctx: _Context) -> Checked:
    """A district (or county-level city) of the row's city; a legacy name is stored as its successor with
    a note. Returns the district's Chinese name and, as the extra array, its adcode."""
    assert ctx.cities is not None, "the city column is checked before the district"
    pairs = pc.binary_join_element_wise(ctx.cities, s, "\x1f")

    def one(pair: str) -> tuple[str, str, Any]:
        c, v = pair.split("\x1f", 1)
        if not v or not c:
            return "", "", None
        m = regions().resolve_district(c, v)
        return ((m.district.name_zh, m.district.adcode) if m.district else ("", "")) + (
            None if m.status == "ok" else m,)

    d = _Distinct(pairs, one)
    for pos, m in d.errors():
        v = s[pos].as_py()
        if m.district is None:
            errs.items.append((pos, col.name, v, m.message, m.message_zh, "error"))
        else:
            errs.items.append((pos, col.name, v, f"district {m.message}; stored as the current district",
                               f"区县已调整：{m.message_zh}；按现行区县保存", "warning"))
    return d.output(0), d.output(1)


def _check_industry(col: Column, s: pa.Array, errs: Errors, ctx: _Context) -> Checked:
    """A GB/T 4754-2017 code, stored as section letter + digits (``C3973``)."""
    ind = industries()

    def one(u: str) -> tuple[str, Any]:
        code = ind.normalise(u)
        letter = unicodedata.normalize("NFKC", u).strip().upper()[:1]
        if not code:
            return "", None
        if not (code.isdigit() and 2 <= len(code) <= 4 and ind.exists(code)):
            return "", "unknown"
        if letter.isalpha() and letter != ind.section(code):
            return "", ind.section(code)
        return ind.section(code) + code, None

    d = _Distinct(s, one)
    for pos, err in d.errors():
        v = s[pos].as_py()
        if err == "unknown":
            errs.items.append((pos, col.name, v,
                               f"industry code {short(v)!r} is not in GB/T 4754-2017 (a section letter and "
                               "2–4 digits, e.g. C3973)",
                               f"行业代码“{short(v)}”不在 GB/T 4754-2017 中（门类字母加 2–4 位数字，如 C3973）",
                               "error"))
        else:
            errs.items.append((pos, col.name, v,
                               f"industry code {short(v)!r}: the digits belong to section {err}, "
                               f"so the code is {err}{ind.normalise(v)}",
                               f"行业代码“{short(v)}”的门类字母有误：该代码属于门类 {err}，应为 {err}{ind.normalise(v)}",
                               "error"))
    return d.output(), None


def _check_choice(col: Column, s: pa.Array, errs: Errors, ctx: _Context) -> Checked:
    """An enumerated value (``enum``) or several separated by ``;`` ``、`` ``,`` … (``list``), by synonym."""
    lookup = ENUM_LOOKUP[col.name]
    allowed_en = " / ".join(ENUMS[col.name])
    allowed_zh = " / ".join(v[0] for v in ENUMS[col.name].values())

    def one(v: str) -> tuple[str, Any]:
        v = unicodedata.normalize("NFKC", v).strip()
        if not v:
            return "", None
        if col.kind == "enum":
            got = lookup.get(fold(v))
            return (got, None) if got else ("", 1)
        parts = [p for p in _LIST_SPLIT.split(v) if p.strip()]
        found = [lookup.get(fold(p)) for p in parts]
        if any(g is None for g in found):
            return "", 1
        return ";".join(dict.fromkeys(g for g in found if g)), None

    d = _Distinct(s, one)
    errs.add((i for i, _ in d.errors()), col.name, s,
             lambda v: f"{col.name} {short(v)!r} is not allowed: use {allowed_en}",
             lambda v: f"{col.zh}“{short(v)}”不在允许范围内：应为 {allowed_zh}")
    return d.output(), None


def _check_number(col: Column, s: pa.Array, errs: Errors, ctx: _Context) -> Checked:
    """Amounts (in the column's unit, 万元) and whole numbers as people write them."""
    return _validate_numbers(_no_value_markers(s, col, errs), col, errs), None


def _check_year(col: Column, s: pa.Array, errs: Errors, ctx: _Context) -> Checked:
    """A year (``2011``, ``2011年``, a date), not in the future."""
    this_year = dt.date.today().year
    d = _Distinct(_no_value_markers(s, col, errs), _year)
    res = d.errors()
    errs.add((i for i, e in res if e == "format"), col.name, s,
             lambda v: f"{col.name} {short(v)!r} is not a 4-digit year (e.g. 2011, 2011年, 2011-05-01)",
             lambda v: f"{col.zh}“{short(v)}”不是四位年份（如 2011、2011年、2011-05-01）")
    errs.add((i for i, e in res if e == "range"), col.name, s,
             lambda v: f"{col.name} {short(v)!r} must be a year between 1800 and {this_year} (not in the future)",
             lambda v: f"{col.zh}“{short(v)}”应为 1800 至 {this_year} 之间的年份（不能是未来年份）")
    return d.output(), None


#: The check of each column kind of the contract (``Column.kind``): cleans a column to canonical text
#: (``""`` = empty), records its problems, and may return a second array (a district's adcode).
VALIDATORS: dict[str, Callable[[Column, pa.Array, Errors, _Context], Checked]] = {
    "code": _check_code,
    "text": _check_text,
    "long_text": _check_text,
    "email": _check_text,
    "phone": _check_text,
    "city": _check_city,
    "district": _check_district,
    "industry": _check_industry,
    "enum": _check_choice,
    "list": _check_choice,
    "number": _check_number,
    "int": _check_number,
    "year": _check_year,
}


def validate_column(col: Column, raw: pa.Array, errs: Errors, cities: pa.Array | None = None,
                    maybe_control: bool = True) -> Checked:
    """Clean one column with its kind's check and record its problems; a required column must have a
    value. Returns canonical text ('' = empty) and, for districts, the adcodes."""
    s = cell_text(raw, maybe_control)
    out, extra = VALIDATORS[col.kind](col, s, errs, _Context(cities))
    if col.required:
        missing = pc.and_(pc.equal(out, ""), pc.equal(s, ""))
        errs.add_mask(missing, col.name, s, f"{col.name} is required", f"{col.zh}为必填项")
    return out, extra
