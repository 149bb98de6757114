"""What an agreement does, in one sentence and one table: its net effect per city over the scenario's term.

An official asks "what does this agreement move, and to whom?" The answer is the sum, over the scenario's
years, of the agreement rows the engine already produced (``agreement``: the net transfer, + received,
− paid; ``retained``: city level after agreements), per city and tax, beside the city-level revenue under
the law. Nothing is recomputed or re-rounded here: every amount is a sum of the engine's ``Decimal`` rows,
so the totals add up to the cent and equal the per-year table (``Result.with_vs_without``); the rows summed
are kept (``lines``) with their rule and reference. Value added for internal assessment (统计分算) is
reported beside the money, never added to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .engine import TAX_ORDER, Result
from .names import name
from .scenario import Scenario
from .trace import Row

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TaxEffect", "CityEffect", "NetEffect", "net_effect", "years_text", "format_amount"]

ZERO = Decimal(0)


@dataclass(frozen=True)
class TaxEffect:
    """One city's city-level revenue of one tax over the term: under the law, moved, after the agreement."""

    tax: str
    without: Decimal
    transfer: Decimal
    with_: Decimal


@dataclass(frozen=True)
class CityEffect:
    """One city over the term: the shared taxes' city-level revenue without the agreement, the net
    transfer (+ received, − paid) and what it keeps with the agreement, in total and per tax."""

    city: str
    without: Decimal
    transfer: Decimal
    with_: Decimal
    by_tax: tuple[TaxEffect, ...]


@dataclass(frozen=True)
class NetEffect:
    """The agreements' net effect on each city over ``years`` (amounts in ``unit``).

    ``moved`` is the total received by the cities that gain (equal to the total paid by those that lose);
    ``lines`` the engine's agreement rows it sums, each with its rule and reference; ``assessment`` per city
    the value added of official statistics and for internal assessment over the term."""

    years: tuple[int, ...]
    unit: str
    cities: tuple[CityEffect, ...]
    moved: Decimal
    lines: tuple[Row, ...]
    assessment: tuple[tuple[str, Decimal, Decimal], ...] = ()
    city_names: Mapping[str, tuple[str, str]] | None = None

    def city_name(self, city: str, lang: str = "en") -> str:
        found = (self.city_names or {}).get(city)
        if found is None:
            return name("city", city, lang)
        return found[1] if lang == "zh" else found[0]

    def sentence(self, lang: str = "en") -> str:
        """The effect in words: who pays whom how much over the term, per tax (one paragraph)."""
        zh = lang == "zh"
        span, unit = years_text(self.years, lang), name("unit", self.unit, lang)
        payers = [c for c in self.cities if c.transfer < 0]
        takers = [c for c in self.cities if c.transfer > 0]
        if not payers:
            return (f"{span}年间，协议没有转移任何收入：各城市的市级收入与法定结果相同。" if zh else
                    f"Over {span} the agreement moves nothing: every city keeps its city-level revenue under the law.")
        sep = "、" if zh else ", "

        def who(cs: Sequence[CityEffect]) -> str:
            if len(cs) == 1:
                return self.city_name(cs[0].city, lang)
            return sep.join(f"{self.city_name(c.city, lang)}（{format_amount(abs(c.transfer))}）" if zh
                            else f"{self.city_name(c.city, lang)} ({format_amount(abs(c.transfer))})" for c in cs)

        per_tax: dict[str, Decimal] = defaultdict(Decimal)
        for c in takers:
            for t in c.by_tax:
                per_tax[t.tax] += t.transfer
        taxes = sep.join(f"{name('tax', t, lang)} {format_amount(v)}" for t, v in per_tax.items() if v)
        moved = format_amount(self.moved)
        if zh:
            text = f"{span}年间，协议共将 {moved} {unit}市级收入从{who(payers)}转移到{who(takers)}（{taxes}）。"
            keeps = "；".join(
                f"{self.city_name(c.city, 'zh')}按法定规则得 {format_amount(c.without)}，协议后为 {format_amount(c.with_)}"
                f"（{_signed(c.transfer)}{_percent(c, zh)}）" for c in self.cities if c.transfer)
            return f"{text}{keeps}。{self._assessment_text(lang)}"
        text = (f"Over {span} the agreement moves {moved} {unit} of city-level revenue from {who(payers)} "
                f"to {who(takers)} ({taxes}).")
        keeps = "; ".join(
            f"{self.city_name(c.city, 'en')} receives {format_amount(c.without)} under the law and "
            f"{format_amount(c.with_)} with the agreement ({_signed(c.transfer)}{_percent(c, zh)})"
            for c in self.cities if c.transfer)
        return f"{text} {keeps}.{self._assessment_text(lang)}"

    def _assessment_text(self, lang: str) -> str:
        changed = [(c, o, a) for c, o, a in self.assessment if a != o]
        if not changed:
            return ""
        if lang == "zh":
            parts = "、".join(f"{self.city_name(c, 'zh')} {_signed(a - o)}" for c, o, a in changed)
            return f"考核口径增加值：{parts}（官方统计不变）。"
        parts = ", ".join(f"{self.city_name(c, 'en')} {_signed(a - o)}" for c, o, a in changed)
        return f" Value added counted for internal assessment: {parts} (official statistics are unchanged)."

    def frame(self, lang: str = "en") -> pd.DataFrame:
        """city, tax, without_agreements, transfer, with_agreements over the term: a line per city and tax,
        then the city's ``total``; last, ``all cities`` (codes stay codes: a page names them)."""
        import pandas as pd

        lines = []
        for c in self.cities:
            for t in c.by_tax:
                lines.append([c.city, t.tax, t.without, t.transfer, t.with_])
            lines.append([c.city, "total", c.without, c.transfer, c.with_])
        lines.append(["all cities", "total", sum((c.without for c in self.cities), ZERO),
                      sum((c.transfer for c in self.cities), ZERO), sum((c.with_ for c in self.cities), ZERO)])
        return pd.DataFrame(lines, columns=["city", "tax", "without_agreements", "transfer", "with_agreements"])

    def trace_frame(self, lang: str = "en") -> pd.DataFrame:
        """The agreement rows summed: year, tax, city, amount, rule, reference (texts in ``lang``)."""
        import pandas as pd

        return pd.DataFrame([[r.year, r.tax, r.city, r.amount, *r.texts(lang)] for r in self.lines],
                            columns=["year", "tax", "city", "amount", "rule", "reference"])


def net_effect(result: Result) -> NetEffect | None:
    """The net effect of ``result``'s agreements over its years (None when it has no agreement)."""
    if not result.has_agreements:
        return None
    moved: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    kept: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    lines: list[Row] = []
    official: dict[str, Decimal] = defaultdict(Decimal)
    assessed: dict[str, Decimal] = defaultdict(Decimal)
    for r in result.rows:
        if r.component == "agreement":
            moved[(r.city, r.tax)] += r.amount
            lines.append(r)
        elif r.component == "retained":
            kept[(r.city, r.tax)] += r.amount
        elif r.tax == "value_added" and r.component == "official":
            official[r.city] += r.amount
        elif r.tax == "value_added" and r.component == "assessment":
            assessed[r.city] += r.amount
    cities = []
    for city in sorted({c for c, _ in kept}):
        taxes = sorted({t for c, t in kept if c == city}, key=TAX_ORDER.index)
        by_tax = tuple(TaxEffect(t, kept[(city, t)] - moved[(city, t)], moved[(city, t)], kept[(city, t)])
                       for t in taxes)
        cities.append(CityEffect(city, sum((t.without for t in by_tax), ZERO), sum((t.transfer for t in by_tax), ZERO),
                                 sum((t.with_ for t in by_tax), ZERO), by_tax))
    cities.sort(key=lambda c: (c.transfer, c.city))  # who pays first
    source = result.source
    names_of = {c.city: (source.city_name(c.city, "en"), source.city_name(c.city, "zh")) for c in cities} \
        if isinstance(source, Scenario) else None
    assessment = tuple((c, official[c], assessed[c]) for c in sorted(set(official) | set(assessed)))
    return NetEffect(
        years=result.years, unit=result.unit, cities=tuple(cities),
        moved=sum((c.transfer for c in cities if c.transfer > 0), ZERO), lines=tuple(lines),
        assessment=assessment, city_names=names_of,
    )


def years_text(years: Sequence[int], lang: str = "en") -> str:
    """A scenario's term: ``2026–2031`` when the years run on, else the years listed."""
    ys = sorted(years)
    if not ys:
        return ""
    if len(ys) == 1:
        return str(ys[0])
    if ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}—{ys[-1]}" if lang == "zh" else f"{ys[0]}–{ys[-1]}"
    return ("、" if lang == "zh" else ", ").join(map(str, ys))


def format_amount(amount: Decimal) -> str:
    """An amount as written for people: thousands separated, every decimal of its precision kept."""
    return format(amount, ",f")


def _signed(amount: Decimal) -> str:
    return ("+" if amount > 0 else "−" if amount < 0 else "") + format_amount(abs(amount))


def _percent(c: CityEffect, zh: bool) -> str:
    if not c.without:
        return ""
    pct = (c.transfer / c.without * 100).quantize(Decimal("0.1"))
    return f"，{_signed(pct)}%" if zh else f", {_signed(pct)} %"
