"""Unified social credit codes (统一社会信用代码, GB 32100-2015).

Checks both check characters: position 18 over the whole code (GB 32100, ISO 7064 mod 31) and
position 17, the check character of the organisation code held in positions 9–17 (GB 11714, mod 11).
Also builds valid codes, which the demo-data builder and the tests need.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["ALPHABET", "CreditCodeProblem", "normalise", "check", "is_valid", "make", "region_code"]

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


def normalise(raw: object) -> str:
    """Trim, fold full-width characters (``９１３１…``) and upper-case; inner spaces and dashes removed."""
    text = unicodedata.normalize("NFKC", str(raw if raw is not None else "")).strip().upper()
    return text.replace(" ", "").replace("-", "")


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
