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
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..reference import CITIES, CITY_ZH, credit_code, fold, industries, read_reference, regions
from ..reference.places import District, DistrictMatch
from .contract import ENUM_LOOKUP, ENUMS, Column
from .read import has_control_bytes

__all__ = ["VALIDATORS", "validate_column", "check_places", "PLACE_KINDS", "org_type_of", "org_type_from_name", "Errors", "short", "as_bool", "cell_text"]

Checked = tuple[pa.Array, pa.Array | None]


@dataclass(frozen=True)
class _Context:
    """What a check may need beyond its own column: the unit its header gives (营业收入（元）)."""

    unit: str = ""


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


# A number's own unit, written after it (3000000元, 1.2亿, 120人, 500 万元), and a currency before it (¥, RMB)
_AMOUNT = re.compile(r"^(?P<cur>[¥$]|rmb|cny|人民币)?\s*(?P<num>.*?)\s*(?P<unit>亿元|亿|万元|万|千元|元|人民币|rmb|cny|yuan"
                     r"|名员工|名职工|员工|职工|人|名|个|persons|people|employees|staff)?$", re.IGNORECASE)
_UNIT_FACTOR = {"亿元": Decimal(10000), "亿": Decimal(10000), "万元": Decimal(1), "万": Decimal(1),
                "千元": Decimal("0.1"), "元": Decimal("0.0001")}
_COUNT_UNITS = ("人", "名", "个", "名员工", "名职工", "员工", "职工", "persons", "people", "employees", "staff")
_ESTIMATE = r"(?i)约|大约|左右|以上|以下|余|多|上下|approx|about|around|circa|~|～|\+$|<|>|≈"


def _money_factor(written_unit: str, header_unit: str, currency: bool) -> Decimal | None:
    """How many 万元 one written unit is: the value's own unit, else the header's, else 万元 (the
    contract's unit) — but a currency sign with no unit anywhere means yuan (¥3,000,000 is 300 万元)."""
    unit = written_unit.lower()
    if unit in ("人民币", "rmb", "cny", "yuan"):
        unit = "元"
    if not unit:
        unit = header_unit or ("元" if currency else "万元")
    return _UNIT_FACTOR.get(unit)


def _validate_numbers(s: pa.Array, col: Column, errs: Errors, header_unit: str = "") -> pa.Array:
    """Numbers as Excel and people write them (``1,200.5``, ``１２００``, ``￥3,000,000``, ``1.2亿``, ``1e3``,
    ``120人``): canonical decimal text in the column's unit (amounts in 万元), or a rejection. A unit written
    with the value, or in the header (营业收入（元）), is converted, with a note on the row; an estimate
    (约120人, approx. 300) is rejected, never rounded."""
    integer = col.kind == "int"
    limit = 5e6 if integer else 1e9
    if _all_plain_digits(s) and header_unit in ("", "万元", "人"):  # the common case: one pass
        num = pc.cast(pc.if_else(pc.equal(s, ""), "0", s), pa.float64()).to_numpy(zero_copy_only=False)
        errs.add_mask(num > limit, col.name, s,
                      lambda v: f"{col.name} {short(v)!r} is out of range: must be between 0 and {limit:,.0f}",
                      lambda v: f"{col.zh}“{short(v)}”超出范围：应在 0 到 {limit:,.0f} 之间")
        return s
    t = pc.replace_substring_regex(_nfkc(s), r"^'", "")  # '1200: typed so that Excel keeps it as written
    present = as_bool(pc.not_equal(t, ""))
    if not present.any():
        return t
    estimate = present & as_bool(pc.match_substring_regex(t, _ESTIMATE)) & as_bool(pc.match_substring_regex(t, r"\d"))
    errs.add_mask(estimate, col.name, s,
                  lambda v: f"{col.name} {short(v)!r} is an estimate, not a number: give the figure itself",
                  lambda v: f"{col.zh}“{short(v)}”是估计值，不是确切数字：请填写具体数值")
    # the usual spellings (1200, 1,200.5, 1200万) in one vectorised pass; the rest one distinct value at a time
    if integer or header_unit in ("", "万元"):
        simple = present & ~estimate & as_bool(pc.match_substring_regex(t, _SIMPLE_INT if integer else _SIMPLE_WAN))
    else:  # a unit in the header: every value is converted
        simple = np.zeros(len(t), dtype=bool)
    checked = simple.copy()  # read here, right or wrong; the others one by one below
    out = pc.replace_substring_regex(t, r"[,\s]|万元?$|^\+", "") if simple.any() else t
    if simple.any():
        num = np.full(len(t), np.nan)
        num[simple] = pc.cast(out.filter(pa.array(simple)), pa.float64()).to_numpy(zero_copy_only=False)
        bad = simple & (num > limit)
        errs.add_mask(bad, col.name, s,
                      lambda v: f"{col.name} {short(v)!r} is out of range: must be between 0 and {limit:,.0f}",
                      lambda v: f"{col.zh}“{short(v)}”超出范围：应在 0 到 {limit:,.0f} 之间")
        many = simple & as_bool(pc.match_substring_regex(out, r"\.\d{5,}$" if not integer else r"\.\d*[1-9]"))
        errs.add_mask(many, col.name, s,
                      (lambda v: f"{col.name} {short(v)!r} must be a whole number") if integer else
                      (lambda v: f"{col.name} {short(v)!r} has more than 4 decimal places"),
                      (lambda v: f"{col.zh}“{short(v)}”必须是整数") if integer else
                      (lambda v: f"{col.zh}“{short(v)}”小数位数超过 4 位"))
        simple &= ~bad & ~many
        if integer:
            out = pc.replace_substring_regex(out, r"\.0*$", "")
    rest = np.flatnonzero(present & ~estimate & ~checked)
    texts = out.to_pylist() if rest.size else None
    if rest.size:
        values = t.to_pylist()
        cache: dict[str, tuple[str, Any]] = {}
        for pos in rest:
            v = values[pos]
            if v not in cache:
                cache[v] = _one_number(v, col, integer, limit, header_unit)
            text, problem = cache[v]
            texts[pos] = text if problem is None or problem[0] == "note" else ""
            if problem is not None:
                errs.items.append((int(pos), col.name, v, problem[1], problem[2],
                                   "warning" if problem[0] == "note" else "error"))
        out = pa.array(texts, type=pa.string())
    keep = simple.copy()
    keep[rest] = True
    return pc.if_else(pa.array(keep), out, "")


_SIMPLE_INT = r"^\+?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.0*)?$"
_SIMPLE_WAN = r"^\+?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:\s*万元?)?$"


def _one_number(v: str, col: Column, integer: bool, limit: float, header_unit: str) -> tuple[str, Any]:
    """(canonical text, None | ('note'|'error', en, zh)) for one written number."""
    m = _AMOUNT.match(v.strip())
    num, unit, currency = (m.group("num"), m.group("unit") or "", bool(m.group("cur"))) if m else (v, "", False)
    what, what_zh = ("a whole number", "整数") if integer else ("a number", "数字")
    if re.fullmatch(r"[+-]?\d{1,3}(?:[, ]\d{3})+(?:\.\d*)?", num):
        num = re.sub(r"[, ]", "", num)
    if not re.fullmatch(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", num):
        hint_en = (" (use a dot for decimals; commas only between groups of three digits, e.g. 1,200.5)"
                   if "," in v or "，" in v else "")
        hint_zh = "（小数请用小数点；逗号只能用作千位分隔，如 1,200.5）" if "," in v or "，" in v else ""
        return "", ("error", f"{col.name} {short(v)!r} is not {what}{hint_en}", f"{col.zh}“{short(v)}”不是{what_zh}{hint_zh}")
    try:
        d = Decimal(num)
    except InvalidOperation:
        return "", ("error", f"{col.name} {short(v)!r} is not {what}", f"{col.zh}“{short(v)}”不是{what_zh}")
    converted = False
    if integer:
        if unit in ("万", "万元") and not unit.endswith("元"):  # 3万 people
            d, converted = d * 10000, True
        elif unit and unit.lower() not in _COUNT_UNITS:
            return "", ("error", f"{col.name} {short(v)!r} is not a count ({unit})", f"{col.zh}“{short(v)}”不是人数（{unit}）")
        else:
            converted = bool(unit)
    else:
        if unit.lower() in _COUNT_UNITS or header_unit == "USD":
            return "", ("error", f"{col.name} {short(v)!r}: amounts are in 万元 (CNY 10,000); this unit cannot be "
                        "converted", f"{col.zh}“{short(v)}”：金额单位为万元，该单位无法换算")
        factor = _money_factor(unit, header_unit, currency)
        if factor is None:
            return "", ("error", f"{col.name} {short(v)!r} has a unit that cannot be converted to 万元",
                        f"{col.zh}“{short(v)}”的单位无法换算为万元")
        converted = factor != 1
        d = d * factor
    if d < 0 or d > limit:
        return "", ("error", f"{col.name} {short(v)!r} is out of range: must be between 0 and {limit:,.0f}",
                    f"{col.zh}“{short(v)}”超出范围：应在 0 到 {limit:,.0f} 之间")
    if integer and d != d.to_integral_value():
        return "", ("error", f"{col.name} {short(v)!r} must be a whole number", f"{col.zh}“{short(v)}”必须是整数")
    if not integer and d != d.quantize(Decimal("0.0001")):
        return "", ("error", f"{col.name} {short(v)!r} has more than 4 decimal places (in 万元)",
                    f"{col.zh}“{short(v)}”小数位数超过 4 位（以万元计）")
    # as written when nothing was converted (.5, 1200.50: the store keeps the decimal), else the exact result
    text = format(d.normalize(), "f") if converted or re.search(r"[eE]", num) else num.lstrip("+")
    if integer and not converted:
        text = re.sub(r"\.0*$", "", format(d, "f"))
    if converted:
        unit_en, unit_zh = ("", "") if integer else (" (10k CNY)", " 万元")
        return text, ("note", f"{col.name} {short(v)!r} is stored as {text}{unit_en}",
                      f"{col.zh}“{short(v)}”按 {text}{unit_zh} 保存")
    return text, None


_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")  # 12/03/2014: the year either way round
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def _year(v: str) -> tuple[str, str | None]:
    """(the year, None | 'format' | 'range' | 'serial') of a year or a date as written; 'serial': an Excel
    date number (41395 is 2013-05-01), read with a note."""
    if not v:
        return "", None
    text = unicodedata.normalize("NFKC", v).strip()
    serial = re.fullmatch(r"(\d{5})(?:\.0+)?", text)
    if serial and 9000 < int(serial.group(1)) < 60000:
        y = (_EXCEL_EPOCH + dt.timedelta(days=int(serial.group(1)))).year
        return (str(y), "serial") if 1800 <= y <= dt.date.today().year else ("", "range")
    m = _YEAR.match(text)
    if m:
        month, day = m.group(2) or m.group(4), m.group(3) or m.group(5)
        year = int(m.group(1))
    else:
        m2 = _DAY_FIRST.match(text)
        if not m2:
            return "", "format"
        a, b, year = int(m2.group(1)), int(m2.group(2)), int(m2.group(3))
        month, day = (str(b), str(a)) if a > 12 else (str(a), str(b))
    if (month and not 1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
        return "", "format"
    if not 1800 <= year <= dt.date.today().year:
        return "", "range"
    return str(year), None

def _check_text(col: Column, s: pa.Array, errs: Errors, ctx: _Context) -> Checked:
    """Free text (one line unless ``long_text``), e-mail and phone shapes, and the column's length limit."""
    n_en, n_zh = col.name, col.zh
    if col.kind != "long_text" and _any(pc.match_substring_regex(s, r"\s\s|[\t\r\n]")):
        s = pc.replace_substring_regex(s, r"\s+", " ")
    if col.kind == "email":
        s = pc.utf8_lower(_nfkc(_no_value_markers(s, col, errs)))
        bad = pc.and_(pc.not_equal(s, ""), pc.invert(pc.match_substring_regex(s, _EMAIL_RE)))
        errs.add_mask(bad, col.name, s, lambda v: f"{n_en} {short(v)!r} is not an e-mail address",
                      lambda v: f"{n_zh}“{short(v)}”不是有效的电子邮箱")
    elif col.kind == "phone":
        s = _nfkc(_no_value_markers(s, col, errs))
        bad = pc.and_(pc.not_equal(s, ""), pc.invert(pc.match_substring_regex(s, _PHONE_RE)))
        errs.add_mask(bad, col.name, s, lambda v: f"{n_en} {short(v)!r} is not a phone number "
                      "(digits, spaces, + - ( ) and an extension)",
                      lambda v: f"{n_zh}“{short(v)}”不是有效的电话号码")
    too_long = pc.greater(pc.utf8_length(s), col.max_len)
    errs.add_mask(too_long, col.name, s,
                  lambda v: f"{n_en} has {len(v):,} characters; at most {col.max_len:,} are allowed",
                  lambda v: f"{n_zh}长度为 {len(v):,} 个字符，最多允许 {col.max_len:,} 个")
    return s, None


def _check_industry(col: Column, s: pa.Array, errs: Errors, ctx: _Context) -> Checked:
    """A GB/T 4754-2017 code, stored as section letter + digits (``C3973``)."""
    ind = industries()

    def one(u: str) -> tuple[str, Any]:
        text = unicodedata.normalize("NFKC", u).strip()
        if not text:
            return "", None
        m = re.match(r"^([A-Ta-t]?\s*\d{2,4})(?:\.0+)?(?:\s*[-–—:：]?\s*(\D.*))?$", text)  # C3976 光电子器件制造
        written_name = m.group(2) if m else None
        code = ind.normalise(m.group(1)) if m else ""
        if not code:  # a name alone: 集成电路制造, 计算机、通信和其他电子设备制造业, Manufacture of …
            by_name = ind.by_name(text)
            return (ind.section(by_name) + by_name, "by_name") if by_name else ("", "unknown")
        letter = text.upper()[:1]
        if not (code.isdigit() and 2 <= len(code) <= 4 and ind.exists(code)):
            return "", "unknown"
        if letter.isalpha() and letter != ind.section(code):
            return "", ind.section(code)
        if written_name and ind.by_name(written_name) not in (None, code):
            return "", "name_differs"
        return ind.section(code) + code, None

    d = _Distinct(s, one)
    out = d.output()
    for pos, err in d.errors():
        v = s[pos].as_py()
        if err == "by_name":
            code = out[pos].as_py()
            errs.items.append((pos, col.name, v, f"industry {short(v)!r} is stored as the code {code}",
                               f"行业“{short(v)}”按代码 {code} 保存", "warning"))
        elif err == "name_differs":
            errs.items.append((pos, col.name, v, f"industry {short(v)!r}: the code and the name are two different "
                               "industries of GB/T 4754-2017: give one", f"行业“{short(v)}”的代码与名称不是同一行业：请只填一个",
                               "error"))
        elif err == "unknown":
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
    return out, None


def _check_choice(col: Column, s: pa.Array, errs: Errors, ctx: _Context) -> Checked:
    """An enumerated value (``enum``) or several separated by ``;`` ``、`` ``,`` … (``list``), by synonym."""
    lookup = ENUM_LOOKUP[col.name]
    allowed_en = " / ".join(ENUMS[col.name])
    allowed_zh = " / ".join(v[0] for v in ENUMS[col.name].values())

    def one(v: str) -> tuple[str, Any]:
        v = unicodedata.normalize("NFKC", v).strip()
        if not v:
            return "", None
        if col.kind == "enum":  # 中试阶段 is 中试, "pilot stage" is pilot
            got = lookup.get(fold(v)) or lookup.get(fold(re.sub(r"(?i)\s*(阶段|时期|期|stage|phase)$", "", v)))
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


def _check_org_type(col: Column, s: pa.Array, errs: Errors, ctx: _Context) -> Checked:
    """What kind of organisation: a canonical value or its spelling (企业, 高校, VC …), else by the words the
    value holds (民营企业, 有限责任公司（自然人投资或控股）, 创投基金, 新型研发机构), with a note saying how it was read."""
    lookup = ENUM_LOOKUP[col.name]
    allowed_en = " / ".join(ENUMS[col.name])
    allowed_zh = " / ".join(v[0] for v in ENUMS[col.name].values())

    def one(v: str) -> tuple[str, Any]:
        if not v:
            return "", None
        exact = lookup.get(fold(v))
        if exact:
            return exact, None
        by_words = org_type_of(v)
        return (by_words, "note") if by_words else ("", "error")

    d = _Distinct(s, one)
    res = d.errors()
    out = d.output()
    errs.add((i for i, e in res if e == "error"), col.name, s,
             lambda v: f"{col.name} {short(v)!r} is not allowed: use {allowed_en}",
             lambda v: f"{col.zh}“{short(v)}”不在允许范围内：应为 {allowed_zh}")
    stored = out.to_pylist()
    for pos, e in res:
        if e == "note":
            v, got = s[pos].as_py(), stored[pos]
            errs.items.append((pos, col.name, v, f"{col.name} {short(v)!r} is stored as {got}",
                               f"{col.zh}“{short(v)}”按“{ENUMS[col.name][got][0]}”保存", "warning"))
    return out, None


def org_type_of(text: str) -> str | None:
    """The organisation type the words of ``text`` say (a type column's value: 民营企业, 创投基金, 研究院),
    checked in the order university, institute, investor, enterprise (投资公司 is an investor, 研究院有限公司 an
    institute); None when no word of ``data/reference/org_type_words.csv`` is in it."""
    han = fold(text)
    latin = " ".join(re.findall(r"[a-z0-9&]+", unicodedata.normalize("NFKC", text).lower()))
    words = _org_type_words()
    for org_type in ("university", "institute", "investor", "enterprise"):
        for word, pattern in words[org_type]:
            if (pattern.search(latin) if pattern else word in han):
                return org_type
    return None


def org_type_from_name(name: str) -> str | None:
    """The type a name shows when no type is given: a name ending in 大学/学院 (University, College) is a
    university, in 研究院/研究所/实验室 (Institute, Laboratory) an institute, and a name with the words of a fund
    (基金, 创投, 资本, 投资管理 …; Capital, Ventures, Fund) an investor; None otherwise (an enterprise)."""
    bare = re.sub(r"[（(][^）)]*[）)]\s*$", "", unicodedata.normalize("NFKC", name)).strip()  # …（有限合伙）
    text = re.sub(r"(股份)?有限(责任)?公司$|有限合伙$", "", fold(bare))
    latin = re.sub(r"[\s,.]*(co\.?,?\s*ltd|ltd|limited|inc|llc|gmbh|corp)\.?$", "",
                   " ".join(re.findall(r"[a-z0-9&]+", bare.lower())))
    if re.search(r"(大学|学院)$", text) or re.search(r"(university|college)$|^university of", latin):
        return "university"
    if re.search(r"(研究院|研究所|实验室|研究中心|科学院|研发中心)$", text) or \
            re.search(r"(institute|laboratory|laboratories|lab|academy)$|^institute of", latin):
        return "institute"
    if org_type_of(bare) == "investor":
        return "investor"
    return None


@cache
def _org_type_words() -> dict[str, list[tuple[str, re.Pattern[str] | None]]]:
    """type → (folded word, a whole-word pattern for a Latin word or None), from the data table."""
    out: dict[str, list[tuple[str, re.Pattern[str] | None]]] = {t: [] for t in ENUMS["org_type"]}
    for row in read_reference("org_type_words.csv"):
        raw = row["word"].strip().lower()
        if raw.isascii():  # a Latin word, matched as a whole word among the text's words
            words = " ".join(re.findall(r"[a-z0-9&]+", raw))
            out[row["org_type"]].append((words, re.compile(rf"(?<![a-z0-9]){re.escape(words)}(?![a-z0-9])")))
        else:
            out[row["org_type"]].append((fold(raw), None))
    return out


def _check_number(col: Column, s: pa.Array, errs: Errors, ctx: _Context) -> Checked:
    """Amounts (in the column's unit, 万元) and whole numbers as people write them."""
    return _validate_numbers(_no_value_markers(s, col, errs), col, errs, ctx.unit), None


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
    out = d.output()
    stored = out.to_pylist()
    for pos, e in res:
        if e == "serial":
            errs.items.append((pos, col.name, s[pos].as_py(), f"{col.name} {s[pos].as_py()!r} is an Excel date "
                               f"number: stored as the year {stored[pos]}",
                               f"{col.zh}“{s[pos].as_py()}”是 Excel 日期序号：按年份 {stored[pos]} 保存", "warning"))
    return out, None


#: The check of each column kind of the contract (``Column.kind``): cleans a column to canonical text
#: (``""`` = empty), records its problems, and may return a second array (a district's adcode).
VALIDATORS: dict[str, Callable[[Column, pa.Array, Errors, _Context], Checked]] = {
    "code": _check_code,
    "text": _check_text,
    "long_text": _check_text,
    "address": _check_text,
    "email": _check_text,
    "phone": _check_text,
    "industry": _check_industry,
    "enum": _check_choice,
    "org_type": _check_org_type,
    "list": _check_choice,
    "number": _check_number,
    "int": _check_number,
    "year": _check_year,
}


def validate_column(col: Column, raw: pa.Array, errs: Errors, unit: str = "", maybe_control: bool = True) -> Checked:
    """Clean one column with its kind's check and record its problems; a required column must have a
    value. Returns canonical text ('' = empty) and, for districts, the adcodes."""
    s = cell_text(raw, maybe_control)
    out, extra = VALIDATORS[col.kind](col, s, errs, _Context(unit))
    if col.required:
        missing = pc.and_(pc.equal(out, ""), pc.equal(s, ""))
        errs.add_mask(missing, col.name, s, f"{col.name} is required", f"{col.zh}为必填项")
    return out, extra


# ------------------------------------------------------------------------------------------------ places
PLACE_KINDS = ("province", "city", "district", "address")
_SEP = "\x1f"


def check_places(columns: dict[str, pa.Array], errs: Errors, maybe_control: bool = True) -> dict[str, pa.Array]:
    """The place of every row from whichever place columns the file has (``columns``: kind → raw cells of
    province, city, district, address): each row's city (Shanghai, Suzhou, Nantong), its current district
    and adcode, and the address as text. A city column may name a county-level city or a zone (昆山市, SIP:
    the district comes with it), a district column may hold a whole address, and without a city or
    district the place is read from the address — each such reading is a note on its row. Checked once per
    distinct combination of the row's values."""
    texts = {k: cell_text(v, maybe_control) for k, v in columns.items()}
    n = len(next(iter(texts.values())))
    empty = pa.array([""] * n, type=pa.string())
    province, city, district = (texts.get(k, empty) for k in ("province", "city", "district"))
    address = texts.get("address")
    if address is not None and "city" in texts and "district" in texts:  # the address is read only when needed
        both = pc.and_(pc.not_equal(city, ""), pc.not_equal(district, ""))
        address = pc.if_else(both, "", address)
    parts = [province, city, district, address if address is not None else empty]
    d = _Distinct(pc.binary_join_element_wise(*parts, _SEP), lambda key: _place_row(*key.split(_SEP)))
    for pos, problems in d.errors():
        for column, value, en, zh, severity in problems:
            errs.items.append((pos, column, value, en, zh, severity))
    out = {"city": d.output(0), "district": d.output(1), "district_adcode": d.output(2)}
    if address is not None:
        out["address"] = texts["address"]
    return out


def _place_row(province: str, city: str, district: str, address: str) -> tuple[str, str, str, Any]:
    """(city, district, adcode, problems or None) of one row's place columns (see ``check_places``)."""
    reg = regions()
    problems: list[tuple[str, str, str, str, str]] = []

    def note(column: str, value: str, en: str, zh: str) -> None:
        problems.append((column, value, en, zh, "warning"))

    def error(column: str, value: str, en: str, zh: str) -> None:
        problems.append((column, value, en, zh, "error"))

    province_city = ""  # a municipality written as the province (所属省份 上海市) is the city too
    if province:
        p = reg.parse(province)
        if p.problem and p.problem[0] == "outside":
            error("province", province, p.problem[1], p.problem[2])
        elif p.city and p.district is None:
            province_city = p.city
    found_city, found = "", None  # the city and the current district
    if city and province_city and _municipal_districts(city):
        note("city", city, f"city {short(city)!r} under the province {province_city}: {province_city}",
             f"城市“{short(city)}”，省份为{CITY_ZH[province_city]}：按“{CITY_ZH[province_city]}”保存")
        city = province_city
    if city:
        c = reg.parse(city)
        if c.problem or not c.city:
            en, zh = _place_problem(c, city, "city")
            error("city", city, en, zh)
        else:
            found_city = c.city
            if c.district is not None:
                found = c.district
                note("city", city, f"city {short(city)!r} is {c.city}, {c.district.name_zh} ({c.district.short_en})",
                     f"城市“{short(city)}”为{CITY_ZH[c.city]}{c.district.name_zh}")
            elif not _plain(city):
                note("city", city, f"city {short(city)!r} is stored as {c.city}", f"城市“{short(city)}”按“{CITY_ZH[c.city]}”保存")
    if district and _only_a_city(district, found_city):
        note("district", district, f"district {short(district)!r} names only the city: no district",
             f"区县“{short(district)}”只写了城市：未填写区县")
        district = ""
    if district and found is not None and _below_a_district(district) and \
            reg.resolve_district(found_city, district).district is None:
        note("district", district, f"{short(district)!r} is a town or subdistrict: the district is {found.name_zh}",
             f"“{short(district)}”为乡镇或街道：区县按{found.name_zh}保存")
        district = ""
    if district:
        m = reg.resolve_district(found_city, district) if found_city else None
        if m is None:
            p = reg.parse(district)
            m = DistrictMatch(p.district, "ok" if p.district else "unknown", None, None) if not p.problem else \
                DistrictMatch(None, p.problem[0], p.problem[1], p.problem[2])
        if m.district is None:
            if m.status == "unknown":
                m = DistrictMatch(None, "unknown", *(reg.unknown_district(found_city, district) if found_city else
                                                     _place_problem(reg.parse(district), district, "district")))
            error("district", district, m.message or "", m.message_zh or "")
        else:
            if found is not None and found.adcode != m.district.adcode:
                error("district", district, f"district {short(district)!r} is {m.district.name_zh}, but the city "
                      f"column says {found.name_zh}", f"区县“{short(district)}”为{m.district.name_zh}，但城市列写的是{found.name_zh}")
            found = m.district
            if m.status == "legacy":
                note("district", district, f"district {m.message}; stored as the current district",
                     f"区县已调整：{m.message_zh}；按现行区县保存")
            elif not _plain(district, m.district):
                note("district", district, f"district {short(district)!r} is stored as {m.district.name_zh}",
                     f"区县“{short(district)}”按“{m.district.name_zh}”保存")
            if not found_city:
                found_city = m.district.city
                note("district", district, f"the city, {found_city}, is read from the district",
                     f"城市取自区县：{CITY_ZH[found_city]}")
    if address and (not found_city or found is None):
        a = reg.parse(address, found_city or None)
        if not a.problem and a.city and (not found_city or a.city == found_city):
            read = []
            if not found_city:
                found_city = a.city
                read.append((a.city, CITY_ZH[a.city]))
            if found is None and a.district is not None:
                found = a.district
                read.append((a.district.name_zh, a.district.name_zh))
            if read:
                note("address", address, f"{' and '.join(en for en, _ in read)} read from the address",
                     f"{'、'.join(zh for _, zh in read)}取自地址")
        elif not found_city:
            en, zh = _place_problem(a, address, "address")
            error("address", address, en, zh)
    if not found_city and not any(sev == "error" for *_rest, sev in problems):
        error("city", city, "city is required (or a district or an address it can be read from)",
              "城市为必填项（或可从中读出城市的区县、地址）")
    return (found_city, found.name_zh if found else "", found.adcode if found else "", problems or None)


def _municipal_districts(written: str) -> bool:
    """市辖区 (how national division tables name a municipality's districts), 市辖, 城区."""
    return fold(written) in ("市辖区", "市辖", "城区", "辖区")


def _below_a_district(written: str) -> bool:
    """A town, township or subdistrict (镇, 乡, 街道): below the district level."""
    return bool(re.search(r"(镇|乡|街道|town|township|subdistrict)$", fold(written)))


def _only_a_city(written: str, city: str) -> bool:
    """上海市, 上海市市辖区, 苏州 in a district column: the city again, no district."""
    p = regions().parse(written, city or None)
    return not p.problem and p.district is None and bool(p.city) and (not city or p.city == city)


def _plain(written: str, district: District | None = None) -> bool:
    """The value is just a name of the place (苏州, Suzhou, 吴中区, Songjiang, SIP): nothing to tell."""
    reg = regions()
    if district is None:
        return any(reg.is_name_of(written, c) for c in CITIES)
    return reg.is_name_of(written, district.adcode)


def _place_problem(place: Any, written: str, column: str) -> tuple[str, str]:
    """Why a written place is not one of the three cities' (with a near miss when one is close)."""
    what_en = {"city": "city", "district": "district", "address": "place in the address"}[column]
    what_zh = {"city": "城市", "district": "区县", "address": "地址中的地点"}[column]
    head_en, head_zh = f"unknown {what_en} {short(written)!r}", f"未知{what_zh}“{short(written)}”"
    if place.problem and place.problem[0] == "outside":  # a place we know, outside the cluster: say where
        return f"{head_en}: {place.problem[1]}", f"{head_zh}：{place.problem[2]}"
    if place.problem and place.problem[0] != "unknown":
        return place.problem[1], place.problem[2]
    hint_en, hint_zh = regions().suggestion(written)
    return (f"{head_en}: allowed are places in {', '.join(CITIES)} "
            f"(any usual spelling, e.g. 上海 / 上海市 / shanghai, Suzhou, Jiangsu, 昆山市){hint_en}",
            f"{head_zh}：只能是上海、苏州或南通的地点（可写作 上海 / 上海市 / Shanghai、江苏省苏州市、昆山市 等）{hint_zh}")
