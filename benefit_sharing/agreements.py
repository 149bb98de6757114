"""Agreements between cities as overlays on the statutory result (飞地经济, 共建园区, 统计分算).

An agreement never edits a statutory row: it adds ``agreement`` rows (net transfers, + received,
− paid) and ``retained`` rows (city level after agreements), so that "with" and "without" stand side by
side. Only city-level revenue moves: the central share, the national pool and (unless the province is a
party) the provincial part are untouched (spec §3). Schedules are pro-rated by month, never read at
1 January only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from .money import format_share, quantize, split_amount
from .scenario import Agreement, Scenario
from .trace import Row, TraceLine

__all__ = ["Overlay", "AgreementOverlay", "city_level", "host_share_for_year", "statistics_rows"]

Warn = Callable[[str, str], None]
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Overlay(Protocol):
    """Something applied on top of the statutory rows of one year (an agreement, a reform)."""

    def rows(self, year: int, statutory: Mapping[int, Sequence[Row]], warn: Warn) -> list[Row]: ...


def host_share_for_year(a: Agreement, year: int) -> tuple[Fraction, str, int]:
    """The host's share for ``year``: the month-weighted average of the schedule (BS-07: 6·0.7 + 6·0.5 → 0.6).

    Months outside the schedule, and every month after the sunset year, count as 1 (no transfer).
    Returns (share, explanation, months in force).
    """
    if a.sunset is not None and year > a.sunset:
        return Fraction(1), f"after the sunset year {a.sunset}: no transfer", 0
    months = a.host_share.months(year)
    values = [Fraction(1) if m is None else m for m in months]
    in_force = sum(1 for m in months if m is not None)
    avg = sum(values, Fraction(0)) / 12
    runs: list[tuple[int, int, Fraction, bool]] = []
    for i, (v, m) in enumerate(zip(values, months, strict=True)):
        if runs and runs[-1][2] == v and runs[-1][3] == (m is None):
            runs[-1] = (runs[-1][0], i, v, m is None)
        else:
            runs.append((i, i, v, m is None))
    if len(runs) == 1:
        text = f"{format_share(avg)} all year" if in_force else "not in force this year"
    else:
        text = (
            " + ".join(
                f"{e - s + 1}×{format_share(v)}{' (not in force)' if off else ''} ({_MONTHS[s]}–{_MONTHS[e]})"
                for s, e, v, off in runs
            )
            + f", /12 = {format_share(avg)}"
        )
    return avg, text, in_force


def city_level(
    rows: Sequence[Row], city: str, tax: str, province_is_party: bool
) -> tuple[Decimal, bool, tuple[TraceLine, ...]]:
    """A city's city-level revenue of one tax from the statutory rows: (amount, assumed?, trace).

    ``municipal`` when the provincial part is known; otherwise the whole ``local`` share, flagged as an
    assumption (the caller warns). With the province as a party, the whole local share is shared.
    """
    by_comp: dict[str, Decimal] = defaultdict(Decimal)
    trace: list[TraceLine] = []
    for r in rows:
        if r.city == city and r.tax == tax and r.period == "year" and r.component in ("local", "municipal"):
            by_comp[r.component] += r.amount
            trace.extend(t for t in r.trace if t.parameter.startswith("local_split."))
    if province_is_party:
        return by_comp["local"], False, tuple(dict.fromkeys(trace))
    if "municipal" in by_comp:
        return by_comp["municipal"], False, tuple(dict.fromkeys(trace))
    return by_comp["local"], "local" in by_comp, ()


class AgreementOverlay:
    """Transfers between the host and the partner city under one agreement."""

    def __init__(self, agreement: Agreement, scenario: Scenario) -> None:
        self.agreement = agreement
        self.scenario = scenario

    def _base(self, rows: Sequence[Row], year: int, warn: Warn) -> dict[str, Decimal]:
        a = self.agreement
        out = {}
        for tax in a.taxes:
            amount, assumed, _ = city_level(rows, a.host, tax, a.province_is_party)
            if assumed:
                prov = next((e.province for e in self.scenario.establishments if e.city == a.host), "?")
                warn(
                    "agreement_on_local_share",
                    f"agreement {a.name!r}: the provincial part of {a.host}'s {tax} "
                    f"(local_split.{prov}.{tax}.province_share) is not set, so the transfer is computed on the whole "
                    "local share, as if the province took nothing: it overstates the city-level base; set the "
                    "parameter (or province_is_party: true if the province is a party)",
                )
            out[tax] = amount
        return out

    def rows(self, year: int, statutory: Mapping[int, Sequence[Row]], warn: Warn) -> list[Row]:
        a, q = self.agreement, self.scenario.precision
        share, share_text, in_force = host_share_for_year(a, year)
        base = self._base(statutory[year], year, warn)
        total = sum(base.values(), Decimal(0))
        ref = a.reference
        lines = [
            TraceLine(
                "agreement: host share for the year (pro-rated by month)",
                f"agreements[{a.name}].host_share",
                share_text,
                ref,
                "user",
            ),
            TraceLine(
                "agreement: city-level base of the host (after the provincial part)",
                f"{a.host}.city_level",
                ", ".join(f"{t} {_num(v)}" for t, v in base.items()) + f" = {_num(total)}",
                "spec §3; statutory rows",
                "high",
            ),
        ]
        shareable = Fraction(total)
        weights = {t: Fraction(base[t]) for t in a.taxes}
        if a.increment_over is not None and in_force:
            base0 = self._base(statutory[a.increment_over], a.increment_over, warn)
            total0 = sum(base0.values(), Decimal(0))
            shareable = max(Fraction(0), Fraction(total) - Fraction(total0))
            # the transfer comes out of the taxes that grew, in proportion to their growth
            weights = {t: max(Fraction(0), Fraction(base[t] - base0[t])) for t in a.taxes}
            lines.append(
                TraceLine(
                    "increment-only (存量不动、增量分成): only the amount above the base year is shared",
                    f"agreements[{a.name}].increment_over",
                    f"{a.increment_over}: base {_num(total0)}; increment {_num(total)} − {_num(total0)} → "
                    f"{format_share(shareable)}",
                    ref,
                    "user",
                )
            )
        raw = shareable * (1 - share)
        transfer = raw
        rule = f"agreement {a.name!r}: (1 − host share {format_share(share)}) × " + (
            "increment over the base year" if a.increment_over is not None else "city-level base"
        )
        if in_force:
            cap, floor = a.annual("cap", year), a.annual("floor", year)
            if cap is not None and transfer > Fraction(cap):
                lines.append(
                    TraceLine(
                        "cap on the transfer",
                        f"agreements[{a.name}].cap",
                        f"{format_share(raw)} capped at {_num(cap)}",
                        ref,
                        "user",
                    )
                )
                transfer = Fraction(cap)
            if floor is not None and transfer < Fraction(floor):
                lines.append(
                    TraceLine(
                        "floor on the transfer",
                        f"agreements[{a.name}].floor",
                        f"{format_share(transfer)} raised to {_num(floor)}",
                        ref,
                        "user",
                    )
                )
                transfer = Fraction(floor)
            if transfer > Fraction(total):
                warn(
                    "agreement_exceeds_base",
                    f"agreement {a.name!r}, {year}: the transfer {format_share(transfer)} "
                    f"exceeds {a.host}'s city-level base {_num(total)}; it is limited to the base",
                )
                lines.append(
                    TraceLine(
                        "transfer limited to the host's city-level base",
                        f"{a.host}.city_level",
                        _num(total),
                        "no city pays more than it receives from the firm (assumption)",
                        "user",
                    )
                )
                transfer = Fraction(total)
        amount = quantize(transfer, q)
        parts = []
        if any(weights.values()):
            parts = split_amount(amount, [weights[t] for t in a.taxes], q, tie_keys=list(a.taxes))
        if parts and all(p <= base[t] for p, t in zip(parts, a.taxes, strict=True)):
            pass  # no tax pays more than its own city-level base
        elif any(base.values()):
            parts = split_amount(amount, [Fraction(base[t]) for t in a.taxes], q, tie_keys=list(a.taxes))
        else:
            parts = [Decimal(0) * q for _ in a.taxes]
        lines.append(
            TraceLine(
                "transfer, split over the taxes in proportion to the host's base (increment-only: "
                "to each tax's growth)",
                "transfer",
                f"{_num(amount)} = "
                + " + ".join(f"{t} {_num(p)}" for t, p in zip(a.taxes, parts, strict=True)),
                ref,
                "user",
            )
        )
        out = []
        for tax, part in zip(a.taxes, parts, strict=True):
            out.append(Row(year, tax, a.host, "agreement", -part, rule + " (paid)", ref, trace=tuple(lines)))
            out.append(
                Row(year, tax, a.partner, "agreement", part, rule + " (received)", ref, trace=tuple(lines))
            )
        return out


def retained_rows(
    statutory: Sequence[Row], transfers: Sequence[Row], agreements: Sequence[Agreement]
) -> list[Row]:
    """City level after agreements, for every (tax, city) an agreement touches or that has city-level revenue."""
    if not transfers:
        return []
    year = transfers[0].year
    moved: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in transfers:
        moved[(r.tax, r.city)] += r.amount
    keys = set(moved) | {(r.tax, r.city) for r in statutory if r.component == "local" and r.period == "year"}
    party = {(t, a.host) for a in agreements for t in a.taxes if a.province_is_party}
    out = []
    for tax, city in sorted(keys):
        if tax not in {t for a in agreements for t in a.taxes}:
            continue
        base, assumed, _ = city_level(statutory, city, tax, (tax, city) in party)
        note = " (city level assumed = local: provincial part not set)" if assumed else ""
        out.append(
            Row(
                year,
                tax,
                city,
                "retained",
                base + moved[(tax, city)],
                f"city level after agreements = city level {_num(base)}{note} + net transfer {_num(moved[(tax, city)])}",
                "spec §3 (agreements redistribute city-level revenue only)",
                trace=tuple(t for r in transfers if r.tax == tax and r.city == city for t in r.trace[:1]),
            )
        )
    return out


def statistics_rows(
    year: int, official: Mapping[str, Decimal], agreements: Sequence[Agreement], quantum: Decimal
) -> list[Row]:
    """Value added for assessment (统计分算): official (在地统计) adjusted by each agreement's statistics rule."""
    assess: dict[str, Decimal] = defaultdict(Decimal, official)
    traces: dict[str, list[TraceLine]] = defaultdict(list)
    for a in agreements:
        if a.statistics == "none":
            continue
        share, text, in_force = host_share_for_year(a, year)
        host_va = official.get(a.host, Decimal(0))
        if a.statistics == "split":
            moved = quantize(Fraction(host_va) * (1 - share), quantum)
            how = f"split by the host share {text}: {_num(host_va)} × (1 − {format_share(share)}) = {_num(moved)} moved"
            assess[a.host] -= moved
            assess[a.partner] += moved
        else:  # double_count: the partner also counts the host's value added, for the months in force
            moved = quantize(Fraction(host_va) * in_force / 12, quantum)
            how = f"double counted for {in_force}/12 of the year: {_num(moved)} also counted by {a.partner}"
            assess[a.partner] += moved
        line = TraceLine(
            f"statistics for assessment ({a.statistics})",
            f"agreements[{a.name}].statistics",
            how,
            a.reference,
            "user",
        )
        traces[a.host].append(line)
        traces[a.partner].append(line)
    rows = []
    for city in sorted(assess):
        rows.append(
            Row(
                year,
                "value_added",
                city,
                "assessment",
                assess[city],
                "value added for internal assessment (统计分算): official, adjusted by agreements",
                "发改地区〔2017〕922号 (by agreement)",
                trace=tuple(traces[city]),
            )
        )
    return rows


def _num(d: Decimal) -> str:
    return format(d.normalize(), "f") if d == d.to_integral_value() else format(d, "f")
