"""Result records that explain themselves: every amount carries its rule, parameters and legal basis.

A :class:`Row` is one amount (year × tax × city × component) with the rule that produced it, the main
legal reference, and :class:`TraceLine` s naming each parameter and value used. Warnings are data too,
with a stable ``code`` (its title is in ``names.WARNINGS``). Every text a person reads is built once, in
English and in Chinese, where the amount is computed: the ``*_zh`` fields hold the Chinese text, and an
empty ``*_zh`` means the text reads the same in both languages (a number, a code, a statute's name).
Nothing here computes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

__all__ = ["TraceLine", "Row", "Warning", "Allocation", "Unused", "COMPONENTS", "amount_json", "in_language"]

#: Output components, in the order tables show them (their names: ``names.COMPONENTS``).
COMPONENTS = (
    "paid", "central", "national_pool", "local", "province", "municipal", "agreement", "retained",
    "official", "assessment",
)  # fmt: skip


def in_language(en: str, zh: str, lang: str) -> str:
    """``zh`` in Chinese when there is one, else the English text (which then reads the same in both)."""
    return zh if lang == "zh" and zh else en


@dataclass(frozen=True)
class TraceLine:
    """One step of an explanation: which rule used which parameter with which value, and why (legal basis)."""

    rule: str
    parameter: str
    value: str
    reference: str
    confidence: str = ""
    rule_zh: str = ""
    value_zh: str = ""
    reference_zh: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "parameter": self.parameter,
            "value": self.value,
            "reference": self.reference,
            "confidence": self.confidence,
        }

    def texts(self, lang: str = "en") -> tuple[str, str, str]:
        """(rule, value, reference) in ``lang``."""
        return (
            in_language(self.rule, self.rule_zh, lang),
            in_language(self.value, self.value_zh, lang),
            in_language(self.reference, self.reference_zh, lang),
        )


@dataclass(frozen=True)
class Row:
    """One amount. ``period`` is ``year`` except for CIT paid in prepayments and the annual settlement."""

    year: int
    tax: str
    city: str
    component: str
    amount: Decimal
    rule: str
    reference: str
    period: str = "year"
    establishments: tuple[str, ...] = ()
    trace: tuple[TraceLine, ...] = ()
    rule_zh: str = ""
    reference_zh: str = ""

    def texts(self, lang: str = "en") -> tuple[str, str]:
        """(rule, reference) in ``lang``."""
        return in_language(self.rule, self.rule_zh, lang), in_language(self.reference, self.reference_zh, lang)

    def to_dict(self, with_trace: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "year": self.year,
            "tax": self.tax,
            "city": self.city,
            "component": self.component,
            "amount": amount_json(self.amount),
            "rule": self.rule,
            "reference": self.reference,
            "period": self.period,
            "establishments": list(self.establishments),
        }
        if with_trace:
            d["trace"] = [t.to_dict() for t in self.trace]
        return d


@dataclass(frozen=True)
class Warning:  # noqa: A001 - the domain word; not the builtin category
    """Something the user must know to read the numbers (an assumption, an unset parameter, a clamp)."""

    code: str
    message: str
    message_zh: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}

    def text(self, lang: str = "en") -> str:
        return in_language(self.message, self.message_zh, lang)

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


@dataclass(frozen=True)
class Allocation:
    """One player's share of a joint surplus under one rule; ``exact`` is the unrounded value."""

    rule: str
    player: str
    amount: Decimal
    exact: Fraction
    in_core: bool
    note: str = ""
    note_zh: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "player": self.player,
            "amount": amount_json(self.amount),
            "in_core": self.in_core,
            "exact": str(self.exact),
            "note": self.note,
        }


@dataclass(frozen=True)
class Unused:
    """An input of the scenario that cannot change its result, and the rule that makes it so: editing it
    changes nothing (e.g. the factors of the only branch that takes part: its ratio is 1 whatever they are).
    ``path`` names the input as ``compare.sweep`` does (``establishments[nt].factors.2025``)."""

    path: str
    why: str
    reference: str
    why_zh: str = ""
    reference_zh: str = ""

    def text(self, lang: str = "en") -> str:
        return in_language(self.why, self.why_zh, lang)

    def cites(self, lang: str = "en") -> str:
        return in_language(self.reference, self.reference_zh, lang)


def amount_json(amount: Decimal) -> int | float:
    """A JSON number that prints exactly as the Decimal (shortest float repr round-trips ≤ 15 digits)."""
    if amount == amount.to_integral_value():
        return int(amount)
    f = float(amount)
    if Decimal(repr(f)) != amount:  # pragma: no cover - only beyond 15 significant digits
        raise ValueError(f"{amount} cannot be written exactly as a JSON number")
    return f
