"""Exact money: ``Decimal`` amounts, ``Fraction`` shares, and largest-remainder splitting.

Every split of an amount into parts goes through :func:`split_amount`, so the parts add up to the whole
*exactly* at the scenario's precision (a tax office cannot lose or invent a cent). Shares are kept as
``Fraction`` until the last step: 0.35·Rev_i/ΣRev is a rational number, and rounding it early would
make the parts drift from the total. It also formats numbers for explanations (one formatter for every
trace line). This module must not know anything about taxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

__all__ = [
    "CENT",
    "to_decimal",
    "to_fraction",
    "quantize",
    "split_amount",
    "split_units",
    "format_share",
    "format_number",
    "round_parts",
    "format_exact",
]

CENT = Decimal("0.01")


def to_decimal(value: Any) -> Decimal:
    """A ``Decimal`` from an int, a numeric string, a ``Fraction`` or a float.

    Floats go through ``str`` (``0.1`` → ``Decimal('0.1')``, not the binary expansion), because
    amounts in scenario files are written in decimal by people.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError(f"not an amount: {value!r}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", "").replace("_", ""))
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    raise TypeError(f"not an amount: {value!r}")


def to_fraction(value: Any) -> Fraction:
    """An exact ``Fraction`` from a ``Decimal``, int, numeric string or float (via its decimal text)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    return Fraction(to_decimal(value))


def quantize(value: Decimal | Fraction, quantum: Decimal = CENT) -> Decimal:
    """Round one amount half-up (四舍五入, as tax offices do) to ``quantum``."""
    if isinstance(value, Fraction):
        units = value / to_fraction(quantum)
        # half-up on the exact rational, away from zero for negative values like Decimal's ROUND_HALF_UP
        sign = -1 if units < 0 else 1
        n = int(abs(units) + Fraction(1, 2))
        return Decimal(sign * n) * quantum
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def split_units(total: int, weights: Sequence[Fraction], tie_keys: Sequence[Any] | None = None) -> list[int]:
    """Split an integer number of units by non-negative ``weights`` with largest-remainder rounding.

    Each part gets the floor of its exact quota; the units left over go one each to the parts with the
    largest remainders. Equal remainders go first to the larger quota, then by ``tie_keys`` (default:
    position). Callers pass tie keys that name the *outcome* (e.g. the city), never an input order, so
    that reordering or renaming inputs cannot move a cent. A negative total (a refund) is split as the
    mirror image of the positive one.
    """
    if total < 0:
        return [-u for u in split_units(-total, weights, tie_keys)]
    ws = [Fraction(w) for w in weights]
    if any(w < 0 for w in ws):
        raise ValueError(f"weights must be non-negative, got {[str(w) for w in ws]}")
    wsum = sum(ws, Fraction(0))
    if not ws:
        raise ValueError("cannot split an amount into zero parts")
    if wsum == 0:
        raise ValueError("cannot split an amount by weights that sum to 0")
    quotas = [total * w / wsum for w in ws]
    floors = [q.numerator // q.denominator for q in quotas]
    left = total - sum(floors)
    keys = list(tie_keys) if tie_keys is not None else list(range(len(ws)))
    order = sorted(range(len(ws)), key=lambda i: (-(quotas[i] - floors[i]), -quotas[i], keys[i], i))
    for i in order[:left]:
        floors[i] += 1
    return floors


def split_amount(
    total: Decimal,
    weights: Sequence[Fraction],
    quantum: Decimal = CENT,
    tie_keys: Sequence[Any] | None = None,
) -> list[Decimal]:
    """Split ``total`` (a multiple of ``quantum``) by ``weights``; the parts sum to ``total`` exactly."""
    units = Fraction(total) / Fraction(quantum)
    if units.denominator != 1:
        raise ValueError(f"{total} is not a multiple of {quantum}; quantize it first")
    return [Decimal(u) * quantum for u in split_units(int(units), weights, tie_keys)]


def format_share(share: Fraction, places: int = 6) -> str:
    """A share for people: exact decimal when it is one (``0.47``), else rounded with its fraction."""
    d = Decimal(share.numerator) / Decimal(share.denominator)
    text = format(quantize(Fraction(share), Decimal(1).scaleb(-places)).normalize(), "f")
    if Fraction(d) == share and len(format(d.normalize(), "f")) <= places + 2:
        return format(d.normalize(), "f")
    return f"{text}… (={share.numerator}/{share.denominator})"


def format_number(value: Decimal | Fraction) -> str:
    """A number for trace text: a Decimal as written (integers without decimals: ``2500``, ``587.5``),
    a Fraction as a share (:func:`format_share`). The one formatter of amounts in explanations."""
    if isinstance(value, Fraction):
        return format_share(value)
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def round_parts(
    values: Sequence[Fraction], quantum: Decimal = CENT, tie_keys: Sequence[Any] | None = None
) -> list[Decimal]:
    """Round exact parts (possibly negative) to ``quantum`` so that they still add up to their exact sum.

    Used for cooperative allocations, where a player's share can be negative and the total v(N) must be
    kept to the unit. The exact sum must itself be a multiple of ``quantum``.
    """
    q = to_fraction(quantum)
    units = [v / q for v in values]
    total = sum(units, Fraction(0))
    if total.denominator != 1:
        raise ValueError(f"the parts add up to {total * q}, which is not a multiple of {quantum}")
    floors = [u.numerator // u.denominator for u in units]
    left = int(total) - sum(floors)
    keys = list(tie_keys) if tie_keys is not None else list(range(len(values)))
    order = sorted(range(len(values)), key=lambda i: (-(units[i] - floors[i]), -units[i], keys[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(f) * quantum for f in floors]


def format_exact(value: Fraction, places: int = 6) -> tuple[str, str]:
    """An exact value for people: (decimal, fraction). The decimal is exact when it terminates within
    ``places`` digits (``155``, ``156.5``), else rounded with an ellipsis (``156.666667…``); the fraction
    is the value itself (``470/3``), empty when the decimal is already exact."""
    value = Fraction(value)
    d = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(d) == value and -d.as_tuple().exponent <= places:  # type: ignore[operator]
        return format(d.normalize(), "f") if d != d.to_integral_value() else str(int(d)), ""
    rounded = quantize(value, Decimal(1).scaleb(-places))
    return f"{format(rounded, 'f')}…", f"{value.numerator}/{value.denominator}"
