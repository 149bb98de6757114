"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

Checks both check characters: position 18 over the whole code (GB 32100, ISO 7064 mod 31) and
position 17, the check character of the organisation code held in positions 9–17 (GB 11714, mod 11).
The one home of the rule, for a single code (``check``) and for a whole column at once (``valid_array``,
the upload's fast path), with one cleaning rule for both (``normalise`` / ``normalise_array``). Also
builds valid codes, which the demo-data builder and the tests need.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["ALPHABET", "CreditCodeProblem", "normalise", "normalise_array", "check", "is_valid", "valid_array",
           "make", "region_code"]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS_18 = [pow(3, i, 31) for i in range(17)]
_WEIGHTS_ORG = [3, 7, 9, 10, 5, 8, 4, 2]
_ORG_BODY_CHARS = set("0123456789ABCDEFGHJKLMNPQRTUWXY")  # GB 11714 excludes I, O, S, V, Z as well


@dataclass(frozen=True)
class CreditCodeProblem:
    """Why a credit code is not valid; ``code`` is a stable identifier, ``message`` says it in English."""

    code: str
    message: str
    message_zh: str


# What people put around and inside a code that is not part of it: white space, dashes of every kind
# (hyphen, non-breaking hyphen, figure/en/em dash, minus sign, small and full-width hyphen-minus) and the
# apostrophe that keeps Excel from turning a code into a number ('9131…).
_NOT_PART = "[\\s\\-'\u2010-\u2015\u2212\ufe58\ufe63\uff0d]"  # literal characters: Python's re and Arrow's RE2 alike
_NOT_PART_RE = re.compile(_NOT_PART)


def normalise(raw: object) -> str:
    """Fold full-width characters (``９１３１…``), upper-case, and drop white space, dashes and apostrophes."""
    return _NOT_PART_RE.sub("", unicodedata.normalize("NFKC", str(raw if raw is not None else "")).upper())


def normalise_array(codes: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """``normalise`` over a column of codes (Arrow kernels; nulls become empty)."""
    out = pc.utf8_upper(pc.utf8_normalize(pc.fill_null(codes, ""), "NFKC"))
    if pc.any(pc.match_substring_regex(out, _NOT_PART)).as_py():
        out = pc.replace_substring_regex(out, _NOT_PART, "")
    return out


def _check_18(first17: str) -> str:
    total = sum(_INDEX[c] * w for c, w in zip(first17, _WEIGHTS_18, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def _org_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def _check_org(body8: str) -> str:
    r = 11 - sum(_org_value(c) * w for c, w in zip(body8, _WEIGHTS_ORG, strict=True)) % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


def check(code: str) -> list[CreditCodeProblem]:
    """All problems with an already-normalised code (empty list: valid)."""
    if len(code) != 18:
        return [CreditCodeProblem("length", f"must have 18 characters, has {len(code)}",
                                  f"应为18位，实际{len(code)}位")]
    bad = sorted({c for c in code if c not in _INDEX})
    if bad:
        chars = "".join(bad)
        return [CreditCodeProblem("charset", f"contains characters not allowed in a credit code: {chars} "
                                  f"(allowed: 0-9 and {ALPHABET[10:]}; no I, O, S, V, Z)",
                                  f"含有不允许的字符：{chars}（不得含 I、O、S、V、Z）")]
    problems = []
    if not code[2:8].isdigit():
        problems.append(CreditCodeProblem("region", f"positions 3-8 must be a 6-digit region code, got {code[2:8]}",
                                          f"第3-8位应为6位行政区划码，实际为{code[2:8]}"))
    expected18 = _check_18(code[:17])
    if code[17] != expected18:
        problems.append(CreditCodeProblem(
            "check18", f"check character (position 18) is {code[17]}, expected {expected18} (GB 32100)",
            f"校验码（第18位）为{code[17]}，应为{expected18}（GB 32100）"))
    expected17 = _check_org(code[8:16])
    if code[16] != expected17:
        problems.append(CreditCodeProblem(
            "check17", f"organisation-code check character (position 17) is {code[16]}, expected {expected17} "
            "(GB 11714)", f"组织机构代码校验码（第17位）为{code[16]}，应为{expected17}（GB 11714）"))
    return problems


def is_valid(code: str) -> bool:
    return not check(normalise(code))


def make(region: str, body8: str, prefix: str = "91") -> str:
    """A valid code from a registration prefix (``91`` enterprise), a 6-digit region and an 8-char body."""
    if len(prefix) != 2 or len(region) != 6 or not region.isdigit() or len(body8) != 8:
        raise ValueError(f"make(prefix={prefix!r}, region={region!r}, body8={body8!r}): need 2 + 6 digits + 8")
    if any(c not in _ORG_BODY_CHARS for c in body8):
        raise ValueError(f"body8={body8!r} may only use {ALPHABET}")
    first17 = prefix + region + body8 + _check_org(body8)
    return first17 + _check_18(first17)


def region_code(code: str) -> str:
    """Positions 3–8: the region code of the registering authority (may be a legacy code)."""
    return code[2:8]


_LUT = np.full(256, -1, dtype=np.int32)
for _i, _c in enumerate(ALPHABET):
    _LUT[ord(_c)] = _i
_ORG_LUT = np.zeros(256, dtype=np.int32)
_ORG_LUT[ord("0"):ord("9") + 1] = np.arange(10)
_ORG_LUT[ord("A"):ord("Z") + 1] = np.arange(10, 36)
_W18 = np.array(_WEIGHTS_18, dtype=np.int32)
_W_ORG = np.array(_WEIGHTS_ORG, dtype=np.int32)


def valid_array(codes: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """``is_valid`` for a column of already-normalised codes at once (both check characters and the
    region digits, computed on the array's bytes): a boolean per code. ``check`` says why one is not."""
    if isinstance(codes, pa.ChunkedArray):
        codes = codes.combine_chunks()
    n = len(codes)
    ok = np.zeros(n, dtype=bool)
    shape = pc.fill_null(pc.and_(pc.equal(pc.binary_length(codes), 18), pc.string_is_ascii(codes)), False)
    shape_ok = shape.to_numpy(zero_copy_only=False)
    idx = np.flatnonzero(shape_ok)
    if not len(idx):
        return ok
    sel = codes.filter(shape) if len(idx) < n else codes
    offsets = np.frombuffer(sel.buffers()[1], dtype=np.int32)
    start = int(offsets[sel.offset])
    raw = np.frombuffer(sel.buffers()[2], dtype=np.uint8)[start:start + 18 * len(idx)].reshape(-1, 18)
    v = _LUT.take(raw)
    good = (v >= 0).all(axis=1)
    good &= (31 - (v[:, :17] @ _W18) % 31) % 31 == v[:, 17]
    r = 11 - (_ORG_LUT.take(raw[:, 8:16]) @ _W_ORG) % 11
    expected17 = np.where(r == 10, ord("X"), np.where(r == 11, ord("0"), r + ord("0")))
    good &= expected17 == raw[:, 16]
    good &= ((raw[:, 2:8] >= ord("0")) & (raw[:, 2:8] <= ord("9"))).all(axis=1)
    ok[idx] = good
    return ok
