"""Agreements between cities as overlays on the statutory result (飞地经济, 共建园区, 统计分算).

An agreement never edits a statutory row: it adds ``agreement`` rows (net transfers, + received,
− paid) and ``retained`` rows (city level after agreements), so that "with" and "without" stand side by
side. Only city-level revenue moves: the central share, the national pool and (unless the province is a
party) the provincial part are untouched. Schedules are pro-rated by month, never read at 1 January
only. This module must not change a statutory amount.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple, Protocol

from .money import format_number, format_share, quantize, split_amount
from .names import name
from .scenario import Agreement, Scenario
from .trace import Row, TraceLine, in_language

__all__ = [
    "Overlay",
    "AgreementOverlay",
    "HostShare",
    "city_level",
    "host_share_for_year",
    "retained_rows",
    "statistics_rows",
]

Warn = Callable[[str, str, str], None]
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_CITY_LEVEL_ONLY = ("agreements redistribute city-level revenue only", "协议只重新分配市级收入")


class Overlay(Protocol):
    """Something applied on top of the statutory rows of one year (an agreement, a reform)."""

    def rows(self, year: int, statutory: Mapping[int, Sequence[Row]], warn: Warn) -> list[Row]: ...


class HostShare(NamedTuple):
    """The host's share for a year, how it was found (English, Chinese), and the months in force."""

    share: Fraction
    text: str
    text_zh: str
    months_in_force: int


def host_share_for_year(a: Agreement, year: int) -> HostShare:
    """The host's share for ``year``: the month-weighted average of the schedule (BS-07: 6·0.7 + 6·0.5 → 0.6).

    Months outside the schedule, and every month after the sunset year, count as 1 (no transfer).
    """
    if a.sunset is not None and year > a.sunset:
        return HostShare(
            Fraction(1), f"after the sunset year {a.sunset}: no transfer", f"终止年份{a.sunset}之后：不再转移", 0
        )
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
        if in_force:
            return HostShare(avg, f"{format_share(avg)} all year", f"全年 {format_share(avg)}", in_force)
        return HostShare(avg, "not in force this year", "本年度未生效", in_force)
    text = " + ".join(
        f"{e - s + 1}×{format_share(v)}{' (not in force)' if off else ''} ({_MONTHS[s]}–{_MONTHS[e]})"
        for s, e, v, off in runs
    )
    text_zh = " + ".join(
        f"{e - s + 1}×{format_share(v)}{'（未生效）' if off else ''}（{s + 1}—{e + 1}月）" for s, e, v, off in runs
    )
    return HostShare(avg, f"{text}, /12 = {format_share(avg)}", f"{text_zh}，÷12 = {format_share(avg)}", in_force)


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


def _taxes_text(amounts: Mapping[str, Decimal], lang: str) -> str:
    return ", ".join(f"{name('tax', t, lang) if lang == 'zh' else t} {format_number(v)}" for t, v in amounts.items())


class AgreementOverlay:
    """Transfers between the host and the partner city under one agreement (``index``: its place in the
    scenario's ``agreements``, which names it in the trace)."""

    def __init__(self, agreement: Agreement, scenario: Scenario, index: int = 0) -> None:
        self.agreement = agreement
        self.scenario = scenario
        self.path = f"agreements[{index}]"

    def _base(self, rows: Sequence[Row], warn: Warn) -> dict[str, Decimal]:
        """The host's city-level revenue of each shared tax (the base of the transfer)."""
        a, s = self.agreement, self.scenario
        out = {}
        for tax in a.taxes:
            amount, assumed, _ = city_level(rows, a.host, tax, a.province_is_party)
            if assumed:
                prov = next((e.province for e in s.establishments if e.city == a.host), "?")
                param = f"local_split.{prov}.{tax}.province_share"
                warn(
                    "agreement_on_local_share",
                    f"agreement {a.name!r}: the provincial part of {s.city_name(a.host)}'s {name('tax', tax)} "
                    f"(parameter `{param}`) is not set, so the transfer is computed on the whole local share, as if "
                    "the province took nothing: it overstates the city-level base; set the parameter (or "
                    "`province_is_party: true` if the province is a party)",
                    f"协议“{in_language(a.name, a.name_zh, 'zh')}”：{s.city_name(a.host, 'zh')}{name('tax', tax, 'zh')}"
                    f"的省级分成比例（参数 `{param}`）未设定，转移额按整个地方部分计算，相当于省级不分成，会高估市级基数；"
                    "请设定该参数（如省级是协议一方，设 `province_is_party: true`）",
                )
            out[tax] = amount
        return out

    def rows(self, year: int, statutory: Mapping[int, Sequence[Row]], warn: Warn) -> list[Row]:
        a, q = self.agreement, self.scenario.precision
        host_share = host_share_for_year(a, year)
        share, in_force = host_share.share, host_share.months_in_force
        base = self._base(statutory[year], warn)
        total = sum(base.values(), Decimal(0))
        ref, ref_zh = a.reference, a.reference_zh
        lines = [
            TraceLine(
                "agreement: host share for the year (pro-rated by month)", f"{self.path}.host_share",
                host_share.text, ref, "user", "协议：分享方当年留成比例（按月折算）", host_share.text_zh, ref_zh,
            ),
            TraceLine(
                "agreement: city-level base of the host (after the provincial part)", f"{self.path}.base",
                f"{_taxes_text(base, 'en')} = {format_number(total)}", f"statutory rows; {_CITY_LEVEL_ONLY[0]}",
                "high", "协议：分享方的市级基数（扣除省级部分后）", f"{_taxes_text(base, 'zh')} = {format_number(total)}",
                f"法定测算结果；{_CITY_LEVEL_ONLY[1]}",
            ),
        ]  # fmt: skip
        shareable = Fraction(total)
        weights = {t: Fraction(base[t]) for t in a.taxes}
        if a.increment_over is not None and in_force:
            base0 = self._base(statutory[a.increment_over], warn)
            total0 = sum(base0.values(), Decimal(0))
            shareable = max(Fraction(0), Fraction(total) - Fraction(total0))
            # the transfer comes out of the taxes that grew, in proportion to their growth
            weights = {t: max(Fraction(0), Fraction(base[t] - base0[t])) for t in a.taxes}
            increment = f"{format_number(total)} − {format_number(total0)} → {format_share(shareable)}"
            lines.append(
                TraceLine(
                    "increment-only: only the amount above the base year is shared", f"{self.path}.increment_over",
                    f"{a.increment_over}: base {format_number(total0)}; increment {increment}", ref, "user",
                    "存量不动、增量分成：只分享超过基期年的部分",
                    f"{a.increment_over}年：基数 {format_number(total0)}；增量 {increment}", ref_zh,
                )  # fmt: skip
            )
        raw = shareable * (1 - share)
        transfer = raw
        on_what = ("increment over the base year", "超过基期年的增量")
        if a.increment_over is None:
            on_what = ("city-level base", "市级基数")
        rule = f"agreement {a.name!r}: (1 − host share {format_share(share)}) × {on_what[0]}"
        rule_zh = f"协议“{in_language(a.name, a.name_zh, 'zh')}”：(1 − 分享方留成比例 {format_share(share)}) × {on_what[1]}"
        if in_force:
            transfer = self._limits(year, raw, total, lines, warn)
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
        by_tax = dict(zip(a.taxes, parts, strict=True))
        lines.append(
            TraceLine(
                "transfer, split over the taxes in proportion to the host's base (increment-only: "
                "to each tax's growth)",
                f"{self.path}.transfer",
                f"{format_number(amount)} = " + " + ".join(_taxes_text({t: p}, "en") for t, p in by_tax.items()),
                ref,
                "user",
                "转移额按分享方各税种基数的比例拆分（增量分成：按各税种的增量）",
                f"{format_number(amount)} = " + " + ".join(_taxes_text({t: p}, "zh") for t, p in by_tax.items()),
                ref_zh,
            )
        )
        out = []
        for tax, part in by_tax.items():
            out.append(
                Row(year, tax, a.host, "agreement", -part, rule + " (paid)", ref, trace=tuple(lines),
                    rule_zh=rule_zh + "（支付）", reference_zh=ref_zh)
            )  # fmt: skip
            out.append(
                Row(year, tax, a.partner, "agreement", part, rule + " (received)", ref, trace=tuple(lines),
                    rule_zh=rule_zh + "（收取）", reference_zh=ref_zh)
            )  # fmt: skip
        return out

    def _limits(self, year: int, raw: Fraction, total: Decimal, lines: list[TraceLine], warn: Warn) -> Fraction:
        """The transfer after the agreement's cap and floor, and never above the host's city-level base."""
        a, s, ref, ref_zh = self.agreement, self.scenario, self.agreement.reference, self.agreement.reference_zh
        transfer = raw
        cap, floor = a.annual("cap", year), a.annual("floor", year)
        if cap is not None and transfer > Fraction(cap):
            lines.append(
                TraceLine(
                    "cap on the transfer", f"{self.path}.cap", f"{format_share(raw)} capped at {format_number(cap)}",
                    ref, "user", "转移额上限", f"{format_share(raw)} 以 {format_number(cap)} 为上限", ref_zh,
                )  # fmt: skip
            )
            transfer = Fraction(cap)
        if floor is not None and transfer < Fraction(floor):
            lines.append(
                TraceLine(
                    "floor on the transfer", f"{self.path}.floor",
                    f"{format_share(transfer)} raised to {format_number(floor)}", ref, "user", "转移额下限",
                    f"{format_share(transfer)} 提高到 {format_number(floor)}", ref_zh,
                )  # fmt: skip
            )
            transfer = Fraction(floor)
        if transfer > Fraction(total):
            warn(
                "agreement_exceeds_base",
                f"agreement {a.name!r}, {year}: the transfer {format_share(transfer)} "
                f"exceeds {a.host}'s city-level base {format_number(total)}; it is limited to the base",
                f"协议“{in_language(a.name, a.name_zh, 'zh')}”，{year}年：转移额 {format_share(transfer)} 超过"
                f"{s.city_name(a.host, 'zh')}的市级基数 {format_number(total)}，以基数为限",
            )
            lines.append(
                TraceLine(
                    "transfer limited to the host's city-level base", f"{self.path}.base", format_number(total),
                    "no city pays more than it receives from the firm (assumption)", "user",
                    "转移额以分享方的市级基数为限", "", "任何城市支付的不超过其从该企业取得的收入（假设）",
                )  # fmt: skip
            )
            transfer = Fraction(total)
        return transfer


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
    shared = {t for a in agreements for t in a.taxes}
    out = []
    for tax, city in sorted(keys):
        if tax not in shared:
            continue
        base, assumed, _ = city_level(statutory, city, tax, (tax, city) in party)
        note = " (city level assumed = local: provincial part not set)" if assumed else ""
        note_zh = "（省级部分未设定：市级按地方部分计）" if assumed else ""
        net = format_number(moved[(tax, city)])
        out.append(
            Row(
                year, tax, city, "retained", base + moved[(tax, city)],
                f"city level after agreements = city level {format_number(base)}{note} + net transfer {net}",
                _CITY_LEVEL_ONLY[0],
                trace=tuple(t for r in transfers if r.tax == tax and r.city == city for t in r.trace[:1]),
                rule_zh=f"协议后市级收入 = 市级收入 {format_number(base)}{note_zh} + 净转移 {net}",
                reference_zh=_CITY_LEVEL_ONLY[1],
            )  # fmt: skip
        )
    return out


def statistics_rows(year: int, official: Mapping[str, Decimal], scenario: Scenario) -> list[Row]:
    """Value added for assessment (统计分算): official (在地统计) adjusted by each agreement's statistics rule
    (发改地区〔2017〕922号: the cities of a joint park may agree how its value added counts for them)."""
    quantum = scenario.precision
    assess: dict[str, Decimal] = defaultdict(Decimal, official)
    traces: dict[str, list[TraceLine]] = defaultdict(list)
    for i, a in enumerate(scenario.agreements):
        if a.statistics == "none":
            continue
        host_share = host_share_for_year(a, year)
        share, in_force = host_share.share, host_share.months_in_force
        host_va = official.get(a.host, Decimal(0))
        if a.statistics == "split":
            moved = quantize(Fraction(host_va) * (1 - share), quantum)
            calc = f"{format_number(host_va)} × (1 − {format_share(share)}) = {format_number(moved)}"
            how = f"split by the host share {host_share.text}: {calc} moved"
            how_zh = f"按分享方留成比例分算（{host_share.text_zh}）：{calc} 转出"
            assess[a.host] -= moved
            assess[a.partner] += moved
        else:  # double_count: the partner also counts the host's value added, for the months in force
            moved = quantize(Fraction(host_va) * in_force / 12, quantum)
            how = f"double counted for {in_force}/12 of the year: {format_number(moved)} also counted by {a.partner}"
            how_zh = f"全年 {in_force}/12 双方都计：{format_number(moved)} 同时计入{scenario.city_name(a.partner, 'zh')}"
            assess[a.partner] += moved
        line = TraceLine(
            f"statistics for assessment ({a.statistics})", f"agreements[{i}].statistics", how, a.reference, "user",
            f"考核口径统计（{name('statistics', a.statistics, 'zh')}）", how_zh, a.reference_zh,
        )  # fmt: skip
        traces[a.host].append(line)
        traces[a.partner].append(line)
    return [
        Row(
            year, "value_added", city, "assessment", assess[city],
            "value added for internal assessment: official, adjusted by agreements", "发改地区〔2017〕922号 (by agreement)",
            trace=tuple(traces[city]), rule_zh="考核口径增加值（统计分算）：官方统计按协议调整",
            reference_zh="发改地区〔2017〕922号（按协议）",
        )  # fmt: skip
        for city in sorted(assess)
    ]
