"""GB/T 4754-2017 industry codes (国民经济行业分类), from ``data/reference/industry_gbt4754.csv``.

Reference data only: how a code is written (``C3973``, ``3973``, ``3973.0`` from Excel), which section it
belongs to, its name. It never talks to the database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from .paths import read_reference
from .places import fold

__all__ = ["Industries", "industries"]


@dataclass(frozen=True, eq=False)
class Industries:
    """GB/T 4754-2017: every code with its Chinese (and, to division level, English) name."""

    names_zh: dict[str, str]
    names_en: dict[str, str]
    level: dict[str, str]
    parent: dict[str, str]

    def normalise(self, raw: object) -> str:
        """``c3973`` / ``C 3973`` / ``3973`` / ``3973.0`` (Excel) → ``3973``: the digits, no section letter."""
        s = unicodedata.normalize("NFKC", str(raw or "")).strip().upper().replace(" ", "")
        s = re.sub(r"\.0+$", "", s)
        if len(s) >= 3 and s[0].isalpha() and s[1:].isdigit():
            s = s[1:]
        return s

    def exists(self, code: str) -> bool:
        return code in self.names_zh

    def by_name(self, name: object) -> str | None:
        """The code of a class, group or division written by its name (``集成电路制造`` → ``3973``,
        ``计算机、通信和其他电子设备制造业`` → ``39``; English to division level), the most specific first."""
        return _names_index(self).get(fold(name))

    def section(self, code: str) -> str:
        while code and self.level.get(code) != "section":
            code = self.parent.get(code, "")
        return code

    def label(self, code: str, lang: str = "zh") -> str:
        name = self.names_zh.get(code, "") if lang == "zh" else (
            self.names_en.get(code) or self.names_en.get(code[:2]) or self.names_zh.get(code, ""))
        return f"{self.section(code)}{code} {name}".strip()


@cache
def _names_index(ind: Industries) -> dict[str, str]:
    out: dict[str, str] = {}
    for names in (ind.names_zh, ind.names_en):
        for code, name in sorted(names.items(), key=lambda kv: -len(kv[0])):  # classes before their groups
            if code.isdigit():
                out.setdefault(fold(name), code)
    return out


@cache
def industries() -> Industries:
    rows = read_reference("industry_gbt4754.csv")
    return Industries(
        names_zh={r["code"]: r["name_zh"] for r in rows},
        names_en={r["code"]: r["name_en"] for r in rows if r["name_en"]},
        level={r["code"]: r["level"] for r in rows},
        parent={r["code"]: r["parent_code"] for r in rows},
    )
