"""The statutory rules: who receives which tax, by city and level of government, for one year.

Each rule is a :class:`SplitRule` (swappable, e.g. for a province's own method) that turns one year of
a scenario into :class:`~benefit_sharing.trace.Row` s with their trace. The rules read every rate and
share from the dated parameters, never from constants, and split every amount with largest-remainder
rounding so that the parts add up to the whole exactly. Agreements are *not* applied here: they are
overlays on these statutory results (``agreements.py``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from .money import format_share, quantize, split_amount, to_fraction
from .parameters import MUNICIPALITIES, ParameterSet
from .scenario import NON_PARTICIPATING_ROLES, Enterprise, Establishment, Scenario, YearFlows
from .trace import Row, TraceLine

__all__ = [
    "YearContext",
    "SplitRule",
    "CitBranchRule",
    "CitSubsidiaryRule",
    "VatRule",
    "SurchargesRule",
    "IitRule",
    "LocalSplitRule",
    "default_rules",
    "takes_part",
    "apportionment_ratios",
    "service_fee",
    "REF_CROSS_PROVINCE",
]

REF_CROSS_PROVINCE = "国家税务总局公告2012年第57号; 财预〔2012〕40号"
REF_CIT_LAW = "中华人民共和国企业所得税法"
REF_INTRA = "unsettled: provincial method for HQ and branches in one province (省内跨市总分机构)"

Warn = Callable[[str, str], None]


@dataclass
class YearContext:
    """What a rule sees: the scenario, the year, the parameters in force, and a warning sink."""

    scenario: Scenario
    year: int
    params: ParameterSet
    warn: Warn
    cache: dict[str, object] = field(default_factory=dict)

    @property
    def quantum(self) -> Decimal:
        return self.scenario.precision

    @property
    def flows(self) -> YearFlows:
        return self.scenario.flows[self.year]

    @property
    def enterprise(self) -> Enterprise:
        assert self.scenario.enterprise is not None
        return self.scenario.enterprise

    def share(self, name: str, rule: str) -> tuple[Fraction | None, TraceLine]:
        """A share parameter averaged by month over the year, and its trace line."""
        p = self.params.get(name)
        value, ref, conf = p.describe_year(self.year)
        avg = p.year_average(self.year)
        if avg is not None and not p.settled and not p.overridden:
            self.warn("unsettled_default", f"{name} = {value} is an unsettled default ({ref})")
        return avg, TraceLine(rule, name, value, ref, conf)

    def required_share(self, name: str, rule: str) -> tuple[Fraction, TraceLine]:
        v, line = self.share(name, rule)
        if v is None:
            raise ValueError(f"parameter {name} has no value for every month of {self.year}")
        return v, line

    def choice(self, name: str, rule: str) -> tuple[str | None, TraceLine]:
        """A categorical parameter for the year. Modes are not pro-rated: a mid-year change is warned about."""
        p = self.params.get(name)
        months = p.months(self.year)
        first = months[0]
        if len({m.value if m else None for m in months}) > 1:
            self.warn(
                "mode_changes_mid_year",
                f"{name} changes during {self.year}; the value in force on 1 January "
                "is used for the whole year (a method cannot be pro-rated)",
            )
        if first is None:
            return None, TraceLine(rule, name, "unset", "no value (unsettled)", "none")
        return first.value, TraceLine(rule, name, first.text, first.reference, first.confidence)


class SplitRule(Protocol):
    """One statutory rule: produces the rows of one tax for one year."""

    tax: str

    def apply(self, ctx: YearContext) -> list[Row]: ...


# ---------------------------------------------------------------------------------------------------
# Shared helpers


def takes_part(e: Establishment, year: int, ent: Enterprise) -> tuple[bool, str]:
    """Whether a branch takes part in the apportionment in ``year`` (57号 Art. 5), and why not."""
    if e.is_hq:
        return False, "the head office pays its own half"
    if year - 1 in ent.small_low_profit_years:
        return False, f"the company was a small low-profit enterprise in {year - 1} (no branch takes part)"
    if e.role in NON_PARTICIPATING_ROLES and not e.pays_local_vat:
        return False, f"a {e.role} unit paying no VAT locally does not take part (57号 Art. 5)"
    if e.established is not None and year <= e.established:
        return (
            False,
            f"a branch does not take part in the year it is set up ({e.established})"
            if year == e.established
            else f"not yet set up ({e.established})",
        )
    if e.closed is not None and year >= e.closed:
        return False, f"a branch does not take part from the year it is closed ({e.closed})"
    return True, ""


def apportionment_ratios(
    branches: Sequence[Establishment], year: int, weights: tuple[Fraction, Fraction, Fraction]
) -> dict[str, tuple[Fraction, str]]:
    """r_i = w_rev·Rev_i/ΣRev + w_pay·Pay_i/ΣPay + w_ast·Assets_i/ΣAssets on prior-year factors (exact).

    Returns id → (r_i, explanation). Validation guarantees the factors exist and no sum is 0.
    """
    prior = year - 1
    fs = {b.id: b.factors[prior] for b in branches}
    sums = [sum((getattr(f, k) for f in fs.values()), Decimal(0)) for k in ("revenue", "payroll", "assets")]
    out = {}
    for b in branches:
        f = fs[b.id]
        vals = (f.revenue, f.payroll, f.assets)
        r = sum(
            (w * to_fraction(v) / to_fraction(s) for w, v, s in zip(weights, vals, sums, strict=True)),
            Fraction(0),
        )
        text = " + ".join(
            f"{format_share(w)}×{_num(v)}/{_num(s)}" for w, v, s in zip(weights, vals, sums, strict=True)
        )
        out[b.id] = (r, f"r_{b.id} = {text} = {format_share(r)} ({prior} revenue/payroll/assets)")
    return out


def _num(d: Decimal | Fraction) -> str:
    if isinstance(d, Fraction):
        return format_share(d)
    return format(d.normalize(), "f") if d == d.to_integral_value() else format(d, "f")


def _split_levels(amount: Decimal, central: Fraction, quantum: Decimal) -> tuple[Decimal, Decimal]:
    """(central, rest) of one paid amount, exact to the quantum."""
    c, rest = split_amount(amount, [central, 1 - central], quantum, tie_keys=[0, 1])
    return c, rest


def service_fee(ctx: YearContext) -> tuple[Decimal, list[TraceLine]] | None:
    """The cost-plus fee between the R&D company and the production company (transfer price), if any."""
    ent, f = ctx.enterprise, ctx.flows
    if f.service_cost is None or ent.markup is None:
        return None
    fee = quantize(f.service_cost * (1 + ent.markup), ctx.quantum)
    line = TraceLine(
        "transfer price: fee = service cost × (1 + markup)",
        "enterprise.markup",
        f"{_num(f.service_cost)} × (1 + {_num(ent.markup)}) = {_num(fee)}",
        "企业所得税法 第四十一条 (arm's length, 独立交易原则); markup is a scenario input",
        "user",
    )
    return fee, [line]


class _Rows:
    """Accumulates per-city amounts from several parts, keeping the trace of each part."""

    def __init__(self, year: int, tax: str) -> None:
        self.year, self.tax = year, tax
        self.amounts: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
        self.traces: dict[tuple[str, str, str], list[TraceLine]] = defaultdict(list)
        self.rules: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
        self.ests: dict[tuple[str, str, str], list[str]] = defaultdict(list)

    def add(
        self,
        city: str,
        component: str,
        amount: Decimal,
        rule: str,
        reference: str,
        trace: Iterable[TraceLine] = (),
        est: str | None = None,
        period: str = "year",
    ) -> None:
        key = (city, component, period)
        self.amounts[key] += amount
        self.rules[key].setdefault(rule, reference)
        for t in trace:
            if t not in self.traces[key]:
                self.traces[key].append(t)
        if est and est not in self.ests[key]:
            self.ests[key].append(est)

    def rows(self) -> list[Row]:
        out = []
        for key, amount in self.amounts.items():
            city, component, period = key
            rules = self.rules[key]
            out.append(
                Row(
                    year=self.year,
                    tax=self.tax,
                    city=city,
                    component=component,
                    amount=amount,
                    rule=" + ".join(rules),
                    reference="; ".join(dict.fromkeys(r for ref in rules.values() for r in ref.split("; "))),
                    period=period,
                    establishments=tuple(sorted(self.ests[key])),
                    trace=tuple(self.traces[key]),
                )
            )
        return out


# ---------------------------------------------------------------------------------------------------
# CIT, one company with branches (跨地区经营汇总纳税)


@dataclass(frozen=True)
class _Part:
    est: Establishment
    kind: str  # hq_local | hq_central | branch | hq_all
    weight: Fraction
    explanation: str

    @property
    def tie_key(self) -> tuple[str, str]:
        return (self.est.city, self.kind)


class CitBranchRule:
    """CIT of one company with branches: 50 % at the HQ (25 % local treasury + 25 % central treasury),
    50 %·r_i at each participating branch; intra-province and no-branch cases by parameter."""

    tax = "cit"

    def apply(self, ctx: YearContext) -> list[Row]:
        s, f = ctx.scenario, ctx.flows
        hq = s.hq
        assert hq is not None
        if f.taxable_income is None and f.cit_payable is None and f.profit_before_fee is None:
            return []
        parts, mode_lines = self._parts(ctx, hq)
        tax, t_lines = self._consolidated_tax(ctx, hq, parts)
        out = _Rows(ctx.year, "cit")
        amounts = split_amount(
            tax, [p.weight for p in parts], ctx.quantum, tie_keys=[p.tie_key for p in parts]
        )
        central, c_line = ctx.required_share(
            "cit.central_share", "CIT central/local sharing (所得税收入分享)"
        )
        base_trace = [*t_lines, *mode_lines]
        prepaid = self._prepayments(ctx, parts)
        for part, amount in zip(parts, amounts, strict=True):
            rule, ref = _PART_RULES[part.kind]
            trace = [*base_trace, TraceLine(rule, "share of T", part.explanation, ref, "high")]
            if prepaid is None:
                out.add(part.est.city, "paid", amount, rule, ref, trace, part.est.id)
            c, rest = _split_levels(amount, central, ctx.quantum)
            out.add(
                part.est.city,
                "central",
                c,
                "CIT central share of the amount paid there",
                c_line.reference,
                [*trace, c_line],
                part.est.id,
            )
            if part.kind == "hq_central":
                out.add(
                    part.est.city,
                    "national_pool",
                    rest,
                    "national pool: local share of the HQ's central-treasury "
                    "quarter, redistributed to all provinces",
                    REF_CROSS_PROVINCE,
                    [*trace, c_line],
                    part.est.id,
                )
                self._pool_destination(ctx, out, rest, part, trace)
            else:
                out.add(
                    part.est.city,
                    "local",
                    rest,
                    "CIT local share, where paid",
                    c_line.reference,
                    [*trace, c_line],
                    part.est.id,
                )
        if prepaid is not None:
            self._paid_by_period(ctx, out, parts, amounts, prepaid, base_trace)
        return out.rows()

    # -- who takes part, and the shares of T --------------------------------------------------------
    def _parts(self, ctx: YearContext, hq: Establishment) -> tuple[list[_Part], list[TraceLine]]:
        s, ent, y = ctx.scenario, ctx.enterprise, ctx.year
        branches = [e for e in s.establishments if not e.is_hq]
        taking, lines = [], []
        for e in branches:
            ok, why = takes_part(e, y, ent)
            if ok:
                taking.append(e)
            else:
                lines.append(
                    TraceLine(
                        "branch does not take part",
                        f"establishments[{e.id}]",
                        why,
                        REF_CROSS_PROVINCE,
                        "high",
                    )
                )
        hq_share, hq_line = ctx.required_share("cit.cross_province.hq_share", "HQ pays its share of T")
        ct_share, ct_line = ctx.required_share(
            "cit.cross_province.hq_central_treasury_share",
            "part of the HQ share paid into the central treasury",
        )
        if not taking:
            if not branches:
                return [
                    _Part(
                        hq,
                        "hq_all",
                        Fraction(1),
                        "single location: the company pays all of T where registered",
                    )
                ], lines
            routing, r_line = ctx.choice("cit.cross_province.unshared_branch_half", "no branch takes part")
            ctx.warn(
                "no_branch_takes_part",
                f"{y}: no branch takes part in the apportionment, so the HQ pays all of T; "
                f"the branches' half is routed as '{routing}' ({r_line.reference})",
            )
            if routing == "as_hq_half":
                return [
                    _Part(
                        hq,
                        "hq_local",
                        1 - ct_share,
                        "no branch takes part: all of T as the HQ half (local-treasury part)",
                    ),
                    _Part(
                        hq,
                        "hq_central",
                        ct_share,
                        "no branch takes part: all of T as the HQ half (central-treasury part)",
                    ),
                ], [*lines, hq_line, ct_line, r_line]
            return [
                _Part(
                    hq,
                    "hq_local",
                    hq_share * (1 - ct_share) + (1 - hq_share),
                    f"HQ local-treasury quarter {format_share(hq_share * (1 - ct_share))} + branches' half "
                    f"{format_share(1 - hq_share)} (no branch takes part)",
                ),
                _Part(
                    hq,
                    "hq_central",
                    hq_share * ct_share,
                    f"HQ central-treasury part {format_share(hq_share * ct_share)}",
                ),
            ], [*lines, hq_line, ct_line, r_line]
        cross = any(e.province != hq.province for e in taking)
        weights = tuple(
            ctx.required_share(f"cit.cross_province.factor_weight.{k}", "apportionment factor weight")
            for k in ("revenue", "payroll", "assets")
        )
        w_lines = [w[1] for w in weights]
        if cross:
            mode = "national"
            lines.append(
                TraceLine(
                    "cross-province company (跨省市总分机构)",
                    "mode",
                    "national 50/25/25/r_i rule",
                    REF_CROSS_PROVINCE,
                    "high",
                )
            )
        else:
            name = f"intra_province_mode.{hq.province}"
            mode, m_line = ctx.choice(name, "HQ and branches in one province")
            if mode is None:
                mode = "centralized_at_hq"
                m_line = TraceLine(m_line.rule, name, "unset → centralized_at_hq assumed", REF_INTRA, "low")
                ctx.warn(
                    "intra_province_mode_unset",
                    f"{name} is not set: all of T is reported at the HQ "
                    f"({hq.city}) as an assumption; set it to centralized_at_hq or apportion_like_national",
                )
            elif not ctx.params.get(name).overridden:
                ctx.warn(
                    "intra_province_mode_default",
                    f"{name} = {mode} is the spec's default for an unsettled "
                    f"provincial method ({m_line.reference}); override it in `parameters` if the province's rule differs",
                )
            lines.append(m_line)
            if mode == "centralized_at_hq":
                return [
                    _Part(
                        hq,
                        "hq_all",
                        Fraction(1),
                        "centralized at the HQ: all of T where the HQ is registered",
                    )
                ], lines
        ratios = apportionment_ratios(taking, ctx.year, tuple(w[0] for w in weights))  # type: ignore[arg-type]
        parts: list[_Part] = []
        if mode == "national":
            parts += [
                _Part(
                    hq,
                    "hq_local",
                    hq_share * (1 - ct_share),
                    f"{format_share(hq_share)} × {format_share(1 - ct_share)} "
                    "= HQ part paid into the HQ-location treasury",
                ),
                _Part(
                    hq,
                    "hq_central",
                    hq_share * ct_share,
                    f"{format_share(hq_share)} × {format_share(ct_share)} "
                    "= HQ part paid into the central treasury",
                ),
            ]
        else:  # apportion_like_national, inside one province: no central-treasury quarter (assumption)
            parts.append(
                _Part(
                    hq,
                    "hq_local",
                    hq_share,
                    f"{format_share(hq_share)} = HQ half, all into the local "
                    "treasury (inside one province there is no central-treasury quarter: assumption)",
                )
            )
        for e in taking:
            r, text = ratios[e.id]
            where = (
                " (HQ production department, counted as a branch in the HQ city)"
                if e.role == "hq_production_department"
                else ""
            )
            parts.append(
                _Part(e, "branch", (1 - hq_share) * r, f"{format_share(1 - hq_share)} × {text}{where}")
            )
        return parts, [*lines, hq_line, ct_line, *w_lines]

    # -- T, with the different-rates method ---------------------------------------------------------
    def _consolidated_tax(
        self, ctx: YearContext, hq: Establishment, parts: Sequence[_Part]
    ) -> tuple[Decimal, list[TraceLine]]:
        f, ent, q = ctx.flows, ctx.enterprise, ctx.quantum
        if f.cit_payable is not None:
            assert isinstance(f.cit_payable, Decimal)
            return quantize(f.cit_payable, q), [
                TraceLine(
                    "consolidated CIT payable T (given)",
                    "flows.cit_payable",
                    _num(f.cit_payable),
                    "scenario input",
                    "user",
                )
            ]
        lines: list[TraceLine] = []
        if f.profit_before_fee is not None:
            income = sum(f.profit_before_fee.values(), Decimal(0))
            lines.append(
                TraceLine(
                    "taxable income = Σ profit before the internal fee (the fee between an HQ and its "
                    "branches is internal and nets out)",
                    "flows.profit_before_fee",
                    _num(income),
                    "scenario input",
                    "user",
                )
            )
        else:
            assert isinstance(f.taxable_income, Decimal)
            income = f.taxable_income
        if income <= 0:
            if income < 0:
                ctx.warn(
                    "loss_year",
                    f"{ctx.year}: taxable income {_num(income)} is negative: no CIT; loss carry-forward "
                    "(企业所得税法 第十八条) is not modelled",
                )
            return Decimal(0) * q, [
                *lines,
                TraceLine("no taxable income", "taxable_income", _num(income), REF_CIT_LAW, "user"),
            ]
        base_rate, r_line = _rate(ctx, ent.cit_rate)
        lines.append(r_line)
        rates = {p.est.id: (p.est.cit_rate if p.est.cit_rate is not None else base_rate) for p in parts}
        if len(set(rates.values())) <= 1:
            tax = quantize(income * base_rate, q)
            lines.append(
                TraceLine(
                    "T = taxable income × rate",
                    "T",
                    f"{_num(income)} × {_num(base_rate)} = {_num(tax)}",
                    REF_CIT_LAW + " 第四条",
                    "high",
                )
            )
            return tax, lines
        # 57号 Art. 18 / BS-03: split the taxable income like T, tax each part at its own rate, add up.
        by_est: dict[str, Fraction] = defaultdict(Fraction)
        keys: dict[str, tuple[str, str]] = {}
        for p in parts:
            by_est[p.est.id] += p.weight
            keys[p.est.id] = p.tie_key
        ids = list(by_est)
        incomes = split_amount(
            quantize(income, q), [by_est[i] for i in ids], q, tie_keys=[keys[i] for i in ids]
        )
        tax = Decimal(0)
        texts = []
        for est_id, inc in zip(ids, incomes, strict=True):
            t = quantize(inc * rates[est_id], q)
            tax += t
            texts.append(f"{est_id} {_num(inc)}×{_num(rates[est_id])}={_num(t)}")
        lines.append(
            TraceLine(
                "different rates: taxable income split like T, each part at its location's rate",
                "T",
                "; ".join(texts) + f" → T = {_num(tax)}",
                "国家税务总局公告2012年第57号 第十八条",
                "high",
            )
        )
        return tax, lines

    # -- prepayments and the annual settlement --------------------------------------------------
    def _prepayments(self, ctx: YearContext, parts: Sequence[_Part]) -> list[list[Decimal]] | None:
        pre = ctx.flows.prepayments
        if not pre:
            return None
        return [
            split_amount(
                quantize(a, ctx.quantum),
                [p.weight for p in parts],
                ctx.quantum,
                tie_keys=[p.tie_key for p in parts],
            )
            for a in pre
        ]

    def _paid_by_period(
        self,
        ctx: YearContext,
        out: _Rows,
        parts: Sequence[_Part],
        annual: Sequence[Decimal],
        prepaid: list[list[Decimal]],
        base_trace: list[TraceLine],
    ) -> None:
        n = len(prepaid)
        names = [f"Q{k + 1}" for k in range(n)] if n <= 4 else [f"M{k + 1}" for k in range(n)]
        settled: dict[str, Decimal] = defaultdict(Decimal)
        for i, part in enumerate(parts):
            rule, ref = _PART_RULES[part.kind]
            line = TraceLine(rule, "share of T", part.explanation, ref, "high")
            done = Decimal(0)
            for k, amounts in enumerate(prepaid):
                out.add(
                    part.est.city,
                    "paid",
                    amounts[i],
                    f"prepayment (预缴) split by the year's ratios: {rule}",
                    "国家税务总局公告2012年第57号 第六条; " + ref,
                    [*base_trace, line],
                    part.est.id,
                    names[k],
                )
                done += amounts[i]
            settled[part.est.id] = annual[i] - done
            refund = annual[i] - done < 0
            out.add(
                part.est.city,
                "paid",
                annual[i] - done,
                ("annual settlement (汇算清缴) refund" if refund else "annual settlement (汇算清缴)")
                + f" = annual amount − prepayments, split the same way: {rule}",
                "国家税务总局公告2012年第57号 第六条; " + ref,
                [*base_trace, line],
                part.est.id,
                "settlement",
            )
        total_pre = sum((sum(a) for a in prepaid), Decimal(0))
        if total_pre > sum(annual):
            ctx.warn(
                "settlement_refund",
                f"{ctx.year}: prepayments {_num(total_pre)} exceed the annual CIT "
                f"{_num(sum(annual))}: the settlement is a refund, split by the same ratios (negative amounts)",
            )

    def _pool_destination(
        self, ctx: YearContext, out: _Rows, pool: Decimal, part: _Part, trace: list[TraceLine]
    ) -> None:
        p = ctx.params.get("national_pool.destination")
        v = p.at(dt.date(ctx.year, 1, 1))
        if v is None:
            ctx.warn(
                "national_pool_unattributed",
                "the national pool (10 % of T under the cross-province rule) is "
                "redistributed to all provinces by their 2004–2006 shares, which are not set "
                "(national_pool.destination): it is reported on the HQ city's row only",
            )
            return
        provinces = list(v.value)
        shares = [v.value[k] for k in provinces]
        rest = 1 - sum(shares, Fraction(0))
        amounts = split_amount(pool, [*shares, rest], ctx.quantum, tie_keys=[*provinces, "~"])
        line = TraceLine(
            "national pool returned to provinces",
            "national_pool.destination",
            v.text,
            v.reference,
            v.confidence,
        )
        for prov, a in zip(provinces, amounts, strict=False):
            out.add(
                prov,
                "province",
                a,
                "national pool redistributed to the province (provincial revenue)",
                REF_CROSS_PROVINCE,
                [*trace, line],
                part.est.id,
            )


_PART_RULES = {
    "hq_local": (
        "cross-province CIT: HQ part into the HQ-location treasury (总机构就地入库)",
        REF_CROSS_PROVINCE,
    ),
    "hq_central": (
        "cross-province CIT: HQ part into the central treasury (总机构缴入中央国库)",
        REF_CROSS_PROVINCE,
    ),
    "branch": ("cross-province CIT: branch share 50 %·r_i (分支机构分摊)", REF_CROSS_PROVINCE),
    "hq_all": ("CIT paid in full where the company is registered", REF_CIT_LAW + " 第五十条"),
}


def _rate(ctx: YearContext, rate: Decimal | None) -> tuple[Decimal, TraceLine]:
    if rate is not None:
        return rate, TraceLine(
            "CIT rate (scenario)", "enterprise.cit_rate", _num(rate), "scenario input", "user"
        )
    return Decimal("0.25"), TraceLine(
        "CIT standard rate (no rate given)", "cit_rate", "0.25", REF_CIT_LAW + " 第四条", "high"
    )


# ---------------------------------------------------------------------------------------------------
# CIT, separate companies (subsidiary model)


class CitSubsidiaryRule:
    """Each company pays CIT on its own profit where it is registered; a cost-plus fee moves profit."""

    tax = "cit"

    def apply(self, ctx: YearContext) -> list[Row]:
        s, ent, f, q = ctx.scenario, ctx.enterprise, ctx.flows, ctx.quantum
        central, c_line = ctx.required_share(
            "cit.central_share", "CIT central/local sharing (所得税收入分享)"
        )
        out = _Rows(ctx.year, "cit")
        fee = service_fee(ctx) if f.profit_before_fee is not None else None
        for e in s.establishments:
            lines: list[TraceLine] = []
            if isinstance(f.cit_payable, Mapping):
                if e.id not in f.cit_payable:
                    continue
                tax = quantize(f.cit_payable[e.id], q)
                lines.append(
                    TraceLine(
                        "CIT payable (given)",
                        f"flows.cit_payable.{e.id}",
                        _num(tax),
                        "scenario input",
                        "user",
                    )
                )
            else:
                if isinstance(f.taxable_income, Mapping):
                    if e.id not in f.taxable_income:
                        continue
                    income = f.taxable_income[e.id]
                    lines.append(
                        TraceLine(
                            "taxable income (given)",
                            f"flows.taxable_income.{e.id}",
                            _num(income),
                            "scenario input",
                            "user",
                        )
                    )
                elif f.profit_before_fee is not None:
                    if e.id not in f.profit_before_fee:
                        continue
                    income = f.profit_before_fee[e.id]
                    text = _num(income)
                    if fee is not None:
                        amount, fee_lines = fee
                        if e.id == ent.service_provider:
                            income += amount
                            text += f" + fee {_num(amount)}"
                        elif e.id == ent.service_recipient:
                            income -= amount
                            text += f" − fee {_num(amount)}"
                        lines += fee_lines
                    lines.append(
                        TraceLine(
                            "taxable income = profit before the fee ± the fee",
                            f"flows.profit_before_fee.{e.id}",
                            f"{text} = {_num(income)}",
                            "scenario input; 企业所得税法 第八条 (fee deductible)",
                            "user",
                        )
                    )
                else:
                    continue
                rate, r_line = _rate(ctx, e.cit_rate if e.cit_rate is not None else ent.cit_rate)
                lines.append(r_line)
                if income < 0:
                    ctx.warn(
                        "loss_year",
                        f"{ctx.year}: company {e.id!r} has taxable income {_num(income)}: no CIT; "
                        "loss carry-forward (企业所得税法 第十八条) is not modelled",
                    )
                tax = quantize(max(income, Decimal(0)) * rate, q)
                lines.append(
                    TraceLine(
                        "CIT = taxable income × rate",
                        f"{e.id}.cit",
                        f"{_num(max(income, Decimal(0)))} × {_num(rate)} = {_num(tax)}",
                        REF_CIT_LAW + " 第四条",
                        "high",
                    )
                )
            rule, ref = "separate company: CIT paid where it is registered", REF_CIT_LAW + " 第五十条"
            out.add(e.city, "paid", tax, rule, ref, lines, e.id)
            c, rest = _split_levels(tax, central, q)
            out.add(
                e.city,
                "central",
                c,
                "CIT central share of the amount paid there",
                c_line.reference,
                [*lines, c_line],
                e.id,
            )
            out.add(
                e.city, "local", rest, "CIT local share, where paid", c_line.reference, [*lines, c_line], e.id
            )
        return out.rows()


# ---------------------------------------------------------------------------------------------------
# VAT, surcharges, IIT


def vat_by_establishment(ctx: YearContext) -> dict[str, tuple[Decimal, list[TraceLine]]]:
    """VAT paid at each establishment, after the VAT on an intra-group fee (subsidiary model) moves it."""
    key = "vat_by_establishment"
    if key in ctx.cache:
        return ctx.cache[key]  # type: ignore[return-value]
    ent, f, q = ctx.enterprise, ctx.flows, ctx.quantum
    out = {
        k: (
            quantize(v, q),
            [
                TraceLine(
                    "VAT payable (given)",
                    f"flows.vat_payable.{k}",
                    _num(quantize(v, q)),
                    "scenario input",
                    "user",
                )
            ],
        )
        for k, v in f.vat_payable.items()
    }
    fee = service_fee(ctx) if ent.form == "subsidiary" and f.profit_before_fee is not None else None
    if fee is not None and ent.service_provider and ent.service_recipient:
        amount, fee_lines = fee
        if ent.fee_vat_rate is not None:
            rate, ref, conf = Fraction(ent.fee_vat_rate), "scenario input", "user"
        else:
            rate, line = ctx.required_share("vat.service_rate", "VAT on the intra-group service fee")
            ref, conf = line.reference, line.confidence
        fee_vat = quantize(amount * Decimal(rate.numerator) / Decimal(rate.denominator), q)
        line = TraceLine(
            "VAT on the service fee: output VAT of the provider, input VAT of the recipient",
            "vat.service_rate",
            f"{_num(amount)} × {format_share(rate)} = {_num(fee_vat)}",
            ref,
            conf,
        )
        prov_amt, prov_lines = out.get(ent.service_provider, (Decimal(0) * q, []))
        out[ent.service_provider] = (prov_amt + fee_vat, [*prov_lines, *fee_lines, line])
        rec_amt, rec_lines = out.get(ent.service_recipient, (Decimal(0) * q, []))
        new = rec_amt - fee_vat
        if new < 0:
            ctx.warn(
                "excess_input_vat",
                f"{ctx.year}: the fee's input VAT exceeds {ent.service_recipient!r}'s VAT "
                f"payable by {_num(-new)}; the excess credit (留抵) is carried forward, not modelled",
            )
            new = Decimal(0) * q
        out[ent.service_recipient] = (new, [*rec_lines, *fee_lines, line])
    ctx.cache[key] = out
    return out


class VatRule:
    """Domestic VAT: paid where the establishment files; central/local by the dated shares."""

    tax = "vat"

    def apply(self, ctx: YearContext) -> list[Row]:
        central, c_line = ctx.required_share("vat.central_share", "VAT central/local sharing")
        out = _Rows(ctx.year, "vat")
        for est_id, (amount, lines) in sorted(vat_by_establishment(ctx).items()):
            e = ctx.scenario.establishment(est_id)
            out.add(
                e.city,
                "paid",
                amount,
                "VAT paid where the establishment files",
                "增值税法; scenario input",
                lines,
                est_id,
            )
            c, rest = _split_levels(amount, central, ctx.quantum)
            out.add(e.city, "central", c, "VAT central share", c_line.reference, [*lines, c_line], est_id)
            out.add(
                e.city,
                "local",
                rest,
                "VAT local share, where paid",
                c_line.reference,
                [*lines, c_line],
                est_id,
            )
        return out.rows()


class SurchargesRule:
    """城建税 (7/5/1 % by location type) + 教育费附加 3 % + 地方教育附加 2 % of the VAT paid; local revenue."""

    tax = "surcharges"

    def apply(self, ctx: YearContext) -> list[Row]:
        q = ctx.quantum
        central, c_line = ctx.required_share("surcharges.central_share", "surcharges are local revenue")
        relief_line = None
        relief = Fraction(0)
        if ctx.enterprise.six_taxes_two_fees_relief:
            relief, relief_line = ctx.required_share(
                "surcharges.six_taxes_two_fees_relief", "“六税两费”减征 (asked for by the scenario)"
            )
        out = _Rows(ctx.year, "surcharges")
        for est_id, (vat, _lines) in sorted(vat_by_establishment(ctx).items()):
            if vat == 0:
                continue
            e = ctx.scenario.establishment(est_id)
            loc = e.location_type
            if loc is None:
                loc = "urban_district"
                ctx.warn(
                    "location_type_default",
                    f"establishment {est_id!r} ({e.city}) has no location_type: "
                    "urban_district (城建税 7 %) assumed; allowed: urban_district, county_town, elsewhere",
                )
            items = [
                (
                    f"surcharges.urban_maintenance_rate.{loc}",
                    "urban maintenance and construction tax (城建税)",
                ),
                ("surcharges.education_rate", "education surcharge (教育费附加)"),
                ("surcharges.local_education_rate", "local education surcharge (地方教育附加)"),
            ]
            total = Decimal(0)
            lines = []
            for name, label in items:
                rate, line = ctx.required_share(name, label)
                eff = rate * (1 - relief)
                amount = quantize(Fraction(vat) * eff, q)
                total += amount
                extra = f" × (1 − {format_share(relief)})" if relief else ""
                lines.append(
                    TraceLine(
                        label,
                        name,
                        f"{_num(vat)} × {line.value}{extra} = {_num(amount)}",
                        line.reference,
                        line.confidence,
                    )
                )
            if relief_line is not None:
                lines.append(relief_line)
            out.add(
                e.city,
                "paid",
                total,
                "VAT surcharges, where the VAT is paid",
                "城市维护建设税法; 教育费附加 rules",
                lines,
                est_id,
            )
            c, rest = _split_levels(total, central, q)
            out.add(
                e.city, "central", c, "surcharges: central share", c_line.reference, [*lines, c_line], est_id
            )
            out.add(
                e.city, "local", rest, "surcharges: local revenue", c_line.reference, [*lines, c_line], est_id
            )
        return out.rows()


class IitRule:
    """Individual income tax withheld at each establishment: central/local by the dated shares."""

    tax = "iit"

    def apply(self, ctx: YearContext) -> list[Row]:
        central, c_line = ctx.required_share("iit.central_share", "IIT central/local sharing")
        out = _Rows(ctx.year, "iit")
        for est_id, raw in sorted(ctx.flows.iit.items()):
            e = ctx.scenario.establishment(est_id)
            amount = quantize(raw, ctx.quantum)
            lines = [
                TraceLine(
                    "IIT withheld (given)", f"flows.iit.{est_id}", _num(amount), "scenario input", "user"
                )
            ]
            out.add(
                e.city,
                "paid",
                amount,
                "IIT withheld where the staff are employed",
                "个人所得税法; scenario input",
                lines,
                est_id,
            )
            c, rest = _split_levels(amount, central, ctx.quantum)
            out.add(e.city, "central", c, "IIT central share", c_line.reference, [*lines, c_line], est_id)
            out.add(
                e.city,
                "local",
                rest,
                "IIT local share, where withheld",
                c_line.reference,
                [*lines, c_line],
                est_id,
            )
        return out.rows()


class LocalSplitRule:
    """Local → province + city level (省以下分成). No invented value: unset means `local` only, and a warning."""

    def apply(self, ctx: YearContext, rows: Sequence[Row]) -> list[Row]:
        out: list[Row] = []
        province_of = {e.city: e.province for e in ctx.scenario.establishments}
        for r in rows:
            if r.component != "local" or r.city not in province_of:
                continue
            prov = province_of[r.city]
            if prov in MUNICIPALITIES:
                out.append(
                    Row(
                        r.year,
                        r.tax,
                        r.city,
                        "municipal",
                        r.amount,
                        f"{r.city} is a province-level municipality (直辖市): its local share is city-level revenue "
                        "(the municipal/district division is internal and not modelled)",
                        "分税制; 直辖市财政体制",
                        r.period,
                        r.establishments,
                        r.trace,
                    )
                )
                continue
            name = f"local_split.{prov}.{r.tax}.province_share"
            share, line = ctx.share(name, "provincial part of the local share (省以下分成)")
            if share is None:
                ctx.warn(
                    "local_split_unset",
                    f"{name} is not set (unsettled): {prov} cities' {r.tax} is reported as "
                    "`local` only, without a province/municipal split",
                )
                continue
            prov_amt, city_amt = split_amount(r.amount, [share, 1 - share], ctx.quantum, tie_keys=[0, 1])
            trace = (*r.trace, line)
            out.append(
                Row(
                    r.year,
                    r.tax,
                    r.city,
                    "province",
                    prov_amt,
                    "provincial part of the local share",
                    line.reference,
                    r.period,
                    r.establishments,
                    trace,
                )
            )
            out.append(
                Row(
                    r.year,
                    r.tax,
                    r.city,
                    "municipal",
                    city_amt,
                    "city-level part of the local share",
                    line.reference,
                    r.period,
                    r.establishments,
                    trace,
                )
            )
        return out


def default_rules(form: str) -> list[SplitRule]:
    """The statutory rules for an enterprise form (``branch`` or ``subsidiary``)."""
    cit: SplitRule = CitBranchRule() if form == "branch" else CitSubsidiaryRule()
    return [cit, VatRule(), SurchargesRule(), IitRule()]
