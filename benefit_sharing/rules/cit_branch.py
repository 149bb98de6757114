"""CIT of one company with branches in several places (跨地区经营汇总纳税).

The company computes one consolidated tax T; the head office pays its share (50 %: half into the
treasury where it is, half into the central treasury) and each branch that takes part pays
50 %·r_i, with r_i from the branches' prior-year revenue, payroll and assets (国家税务总局公告2012年第57号,
财预〔2012〕40号). When the head office and the participating branches are all in one province, the
province's own method applies (a dated parameter, unsettled for Jiangsu). Each step below is one
provision, named in its docstring; every share comes from the dated parameters, every split is exact.
No agreement is applied here (``agreements.py`` overlays the statutory rows).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..money import format_number, format_share, quantize, split_amount, to_fraction
from ..scenario import Establishment, takes_part
from ..trace import Row, TraceLine
from .base import (
    REF_CIT_LAW,
    REF_CROSS_PROVINCE,
    Basis,
    RowBuilder,
    YearContext,
    cit_rate,
    factors_path,
    given,
    split_levels,
)

__all__ = ["CitBranchRule", "apportionment_ratios"]

REF_ART_6 = "国家税务总局公告2012年第57号 第六条"
REF_ART_18 = "国家税务总局公告2012年第57号 第十八条"
_INTRA_UNSETTLED = (
    "unsettled: the province's method for a head office and branches in different cities of the province",
    "尚未确认：省内跨市总分机构的分配办法",
)

#: The basis of each kind of part of T.
_PART_BASIS = {
    "hq_local": Basis(
        "cross-province CIT: HQ part into the HQ-location treasury", REF_CROSS_PROVINCE,
        "跨省总分机构企业所得税：总机构就地入库部分",
    ),
    "hq_central": Basis(
        "cross-province CIT: HQ part into the central treasury", REF_CROSS_PROVINCE,
        "跨省总分机构企业所得税：总机构缴入中央国库部分",
    ),
    "branch": Basis(
        "cross-province CIT: branch share 50 %·r_i", REF_CROSS_PROVINCE, "跨省总分机构企业所得税：分支机构分摊 50%·r_i"
    ),
    "hq_all": Basis(
        "CIT paid in full where the company is registered", REF_CIT_LAW + " 第五十条", "企业所得税在企业登记注册地全额缴纳"
    ),
}  # fmt: skip
_CENTRAL = Basis("CIT central share of the amount paid there", "", "缴纳地所缴企业所得税的中央部分")
_LOCAL = Basis("CIT local share, where paid", "", "企业所得税地方部分（缴纳地）")
_POOL = Basis(
    "national pool: local share of the HQ's central-treasury quarter, redistributed to all provinces",
    REF_CROSS_PROVINCE,
    "全国再分配：总机构缴入中央国库部分中的地方部分，在各省之间再分配",
)
_POOL_TO_PROVINCE = Basis(
    "national pool redistributed to the province (provincial revenue)",
    REF_CROSS_PROVINCE,
    "全国再分配部分返还该省（省级收入）",
)


@dataclass(frozen=True)
class _Part:
    """One share of T: who pays it, which kind of share, its weight, and how the weight was found."""

    est: Establishment
    kind: str  # hq_local | hq_central | branch | hq_all
    weight: Fraction
    explanation: str
    explanation_zh: str

    @property
    def tie_key(self) -> tuple[str, str]:
        return (self.est.city, self.kind)

    def trace_line(self) -> TraceLine:
        b = _PART_BASIS[self.kind]
        return TraceLine(
            b.rule, "share_of_T", self.explanation, b.reference, "high", b.rule_zh, self.explanation_zh
        )


def apportionment_ratios(
    branches: Sequence[Establishment],
    year: int,
    weights: tuple[Fraction, Fraction, Fraction],
    label: Callable[[Establishment, str], str] | None = None,
) -> dict[str, tuple[Fraction, str, str]]:
    """r_i = w_rev·Rev_i/ΣRev + w_pay·Pay_i/ΣPay + w_ast·Assets_i/ΣAssets on prior-year factors (exact).

    57号 Art. 16 (分支机构分摊比例). Returns id → (r_i, explanation, explanation in Chinese); ``label`` names
    a branch in a language (default: its id). Validation guarantees the factors exist and no sum is 0.
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
        terms = " + ".join(
            f"{format_share(w)}×{format_number(v)}/{format_number(s)}"
            for w, v, s in zip(weights, vals, sums, strict=True)
        )
        en, zh = (label(b, "en"), label(b, "zh")) if label else (b.id, b.id)
        out[b.id] = (
            r,
            f"r({en}) = {terms} = {format_share(r)} ({prior} revenue/payroll/assets)",
            f"r（{zh}）= {terms} = {format_share(r)}（{prior}年营业收入/职工薪酬/资产总额）",
        )
    return out


class CitBranchRule:
    """CIT of one company with branches: 50 % at the HQ (25 % local treasury + 25 % central treasury),
    50 %·r_i at each participating branch; intra-province and no-branch cases by parameter."""

    tax = "cit"

    def apply(self, ctx: YearContext) -> list[Row]:
        f, hq = ctx.flows, ctx.scenario.hq
        assert hq is not None
        self._internal_fee_unused(ctx)
        if f.taxable_income is None and f.cit_payable is None and f.profit_before_fee is None:
            for e in ctx.scenario.establishments:
                if ctx.year - 1 in e.factors:
                    ctx.not_used(
                        factors_path(e.id, ctx.year - 1), f"no CIT is given for {ctx.year}: nothing to apportion",
                        f"未给出{ctx.year}年的企业所得税：没有需要分摊的税款", REF_CROSS_PROVINCE,
                    )  # fmt: skip
            return []
        parts, part_lines = self._parts(ctx, hq)
        tax, tax_lines = self._consolidated_tax(ctx, parts)
        self._factors_used(ctx, parts, tax)
        amounts = split_amount(
            tax, [p.weight for p in parts], ctx.quantum, tie_keys=[p.tie_key for p in parts]
        )
        central, c_line = ctx.required_share(
            "cit.central_share", "CIT central/local sharing", "所得税收入分享（中央/地方）"
        )
        base_trace = [*tax_lines, *part_lines]
        prepaid = self._prepayments(ctx, parts)
        out = RowBuilder(ctx.year, "cit")
        for part, amount in zip(parts, amounts, strict=True):
            trace = [*base_trace, part.trace_line()]
            if prepaid is None:
                out.add(part.est.city, "paid", amount, _PART_BASIS[part.kind], trace, part.est.id)
            self._levels(ctx, out, part, amount, central, c_line, trace)
        if prepaid is not None:
            self._paid_by_period(ctx, out, parts, amounts, prepaid, base_trace)
        return out.rows()

    # -- which inputs can matter ----------------------------------------------------------------------
    @staticmethod
    def _internal_fee_unused(ctx: YearContext) -> None:
        """One company: a fee between its head office and branches is internal (no transfer price)."""
        why = ("one company with branches: a service fee between the head office and its branches is internal and "
               "nets out of the consolidated taxable income, so the transfer price cannot change any tax")
        why_zh = "总分机构为同一家公司：总机构与分支机构之间的服务费属于内部往来，在汇总应纳税所得额中相互抵消，转让定价不影响任何税款"
        ref = REF_CIT_LAW + " 第五十条; " + REF_CROSS_PROVINCE
        if ctx.enterprise.markup is not None:
            ctx.not_used("enterprise.markup", why, why_zh, ref)
        if ctx.flows.service_cost is not None:
            ctx.not_used(f"flows.{ctx.year}.service_cost", why, why_zh, ref)

    @staticmethod
    def _factors_used(ctx: YearContext, parts: Sequence[_Part], tax: Decimal) -> None:
        """57号 Art. 16: the prior-year factors of the participating branches set r_i, unless there is one such
        branch (its r is 1 whatever they are) or no tax to apportion."""
        branches = [p.est for p in parts if p.kind == "branch"]
        prior = ctx.year - 1
        for e in branches:
            path = factors_path(e.id, prior)
            if len(branches) == 1:
                ctx.not_used(
                    path,
                    f"only one branch takes part in {ctx.year}: its ratio r is 1 whatever its revenue, payroll and "
                    "assets (r_i is its share of the participating branches' totals)",
                    f"{ctx.year}年只有一个分支机构参与分摊：无论其营业收入、职工薪酬和资产总额是多少，分摊比例 r 都是 1"
                    "（r_i 是其在参与分摊的分支机构合计中的占比）",
                    "国家税务总局公告2012年第57号 第十六条",
                )
            elif tax == 0:
                ctx.not_used(
                    path, f"no CIT in {ctx.year} (taxable income not above 0): nothing to apportion",
                    f"{ctx.year}年应纳企业所得税为 0（应纳税所得额不大于 0）：没有需要分摊的税款", REF_CIT_LAW + " 第五条",
                )  # fmt: skip
            else:
                ctx.uses(path)

    # -- who takes part, and the shares of T ----------------------------------------------------------
    def _parts(self, ctx: YearContext, hq: Establishment) -> tuple[list[_Part], list[TraceLine]]:
        """The shares of T, in the engine's order: the HQ's, then each participating branch's."""
        branches = [e for e in ctx.scenario.establishments if not e.is_hq]
        taking, lines = self._who_takes_part(ctx, branches)
        hq_share, hq_line = ctx.required_share(
            "cit.cross_province.hq_share", "HQ pays its share of T", "总机构分摊 T 的比例"
        )
        ct_share, ct_line = ctx.required_share(
            "cit.cross_province.hq_central_treasury_share",
            "part of the HQ share paid into the central treasury",
            "总机构分摊部分中缴入中央国库的比例",
        )
        if not taking:
            if not branches:
                single = _Part(
                    hq, "hq_all", Fraction(1), "single location: the company pays all of T where registered",
                    "单一地点：企业在登记注册地缴纳全部 T",
                )  # fmt: skip
                return [single], lines
            parts, routing_line = self._no_branch_takes_part(ctx, hq, hq_share, ct_share)
            return parts, [*lines, hq_line, ct_line, routing_line]
        weights = [
            ctx.required_share(f"cit.cross_province.factor_weight.{k}", "apportionment factor weight", "分摊因素权重")
            for k in ("revenue", "payroll", "assets")
        ]
        mode, mode_line = self._mode(ctx, hq, taking)
        lines.append(mode_line)
        if mode == "centralized_at_hq":
            method = ctx.params.get(mode_line.parameter)
            for e in taking:
                ctx.not_used(
                    factors_path(e.id, ctx.year - 1),
                    f"{ctx.year}: head office and branches are in one province, and by {method.title('en')} all of T "
                    "is paid at the head office (centralized_at_hq): the factors split nothing",
                    f"{ctx.year}年：总机构与分支机构在同一省内，按{method.title('zh')}，全部 T 由总机构缴纳"
                    "（centralized_at_hq）：分摊因素不参与分配",
                    mode_line.reference, mode_line.reference_zh,
                )
            centralized = _Part(
                hq, "hq_all", Fraction(1), "centralized at the HQ: all of T where the HQ is registered",
                "总机构集中缴纳：全部 T 在总机构登记注册地缴纳",
            )  # fmt: skip
            return [centralized], lines
        ratios = apportionment_ratios(taking, ctx.year, (weights[0][0], weights[1][0], weights[2][0]),
                                      lambda e, lang: ctx.scenario.establishment_name(e.id, lang))
        parts = [*self._hq_shares(hq, mode, hq_share, ct_share), *self._branch_shares(taking, ratios, hq_share)]
        return parts, [*lines, hq_line, ct_line, *(w[1] for w in weights)]

    def _who_takes_part(
        self, ctx: YearContext, branches: Sequence[Establishment]
    ) -> tuple[list[Establishment], list[TraceLine]]:
        """The branches that take part this year, and a trace line for each that does not (57号 Art. 5)."""
        taking, lines = [], []
        for e in branches:
            p = takes_part(e, ctx.year, ctx.enterprise)
            if p.takes_part:
                taking.append(e)
            else:
                if ctx.year - 1 in e.factors:
                    ctx.not_used(factors_path(e.id, ctx.year - 1), f"{ctx.year}: {p.why}", f"{ctx.year}年：{p.why_zh}",
                                 "国家税务总局公告2012年第57号 第五条")
                lines.append(
                    TraceLine(
                        "branch does not take part", f"establishments[{e.id}]", p.why, REF_CROSS_PROVINCE, "high",
                        "分支机构不参与分摊", p.why_zh,
                    )  # fmt: skip
                )
        return taking, lines

    def _no_branch_takes_part(
        self, ctx: YearContext, hq: Establishment, hq_share: Fraction, ct_share: Fraction
    ) -> tuple[list[_Part], TraceLine]:
        """57号 Art. 5: with branches but none taking part, the HQ pays all of T. Where the branches' half
        goes is unsettled: a dated parameter (default: into the HQ-location treasury), always warned."""
        y = ctx.year
        routing, r_line = ctx.choice(
            "cit.cross_province.unshared_branch_half", "no branch takes part", "无分支机构参与分摊"
        )
        ctx.warn(
            "no_branch_takes_part",
            f"{y}: no branch takes part in the apportionment, so the HQ pays all of T; "
            f"the branches' half is routed as '{routing}' ({r_line.reference})",
            f"{y}年：没有分支机构参与分摊，全部 T 由总机构缴纳；分支机构部分按“{routing}”入库"
            f"（{r_line.reference_zh or r_line.reference}）",
        )
        if routing == "as_hq_half":
            return [
                _Part(
                    hq, "hq_local", 1 - ct_share,
                    "no branch takes part: all of T as the HQ half (local-treasury part)",
                    "无分支机构参与分摊：全部 T 按总机构部分处理（就地入库部分）",
                ),
                _Part(
                    hq, "hq_central", ct_share,
                    "no branch takes part: all of T as the HQ half (central-treasury part)",
                    "无分支机构参与分摊：全部 T 按总机构部分处理（缴入中央国库部分）",
                ),
            ], r_line  # fmt: skip
        local, central = hq_share * (1 - ct_share), hq_share * ct_share
        return [
            _Part(
                hq, "hq_local", local + (1 - hq_share),
                f"HQ local-treasury quarter {format_share(local)} + branches' half {format_share(1 - hq_share)} "
                "(no branch takes part)",
                f"总机构就地入库部分 {format_share(local)} + 分支机构部分 {format_share(1 - hq_share)}"
                "（无分支机构参与分摊）",
            ),
            _Part(
                hq, "hq_central", central, f"HQ central-treasury part {format_share(central)}",
                f"总机构缴入中央国库部分 {format_share(central)}",
            ),
        ], r_line  # fmt: skip

    def _mode(self, ctx: YearContext, hq: Establishment, taking: Sequence[Establishment]) -> tuple[str, TraceLine]:
        """``national`` when a participating branch is in another province (跨省市总分机构, 57号 Art. 2);
        else the province's own method (``intra_province_mode.<province>``, unsettled: warned)."""
        if any(e.province != hq.province for e in taking):
            return "national", TraceLine(
                "cross-province company (HQ and branches in different provinces)", "apportionment_mode",
                "national 50/25/25/r_i rule", REF_CROSS_PROVINCE, "high", "跨省市总分机构",
                "全国统一的 50/25/25/r_i 办法",
            )  # fmt: skip
        param = f"intra_province_mode.{hq.province}"
        mode, m_line = ctx.choice(param, "HQ and branches in one province", "总机构与分支机构在同一省内")
        method = ctx.params.get(param)
        if mode is None:
            ctx.warn(
                "intra_province_mode_unset",
                f"{method.title('en')} is not set (parameter `{param}`): all of T is reported at the HQ "
                f"({ctx.scenario.city_name(hq.city)}) as an assumption; set it to centralized_at_hq or "
                "apportion_like_national",
                f"{method.title('zh')}未设定（参数 `{param}`）：假定全部 T 在总机构所在地"
                f"（{ctx.scenario.city_name(hq.city, 'zh')}）缴纳；请设为 centralized_at_hq 或 apportion_like_national",
            )
            return "centralized_at_hq", TraceLine(
                m_line.rule, param, "unset → centralized_at_hq assumed", _INTRA_UNSETTLED[0], "low",
                m_line.rule_zh, "未设定 → 假定 centralized_at_hq", _INTRA_UNSETTLED[1],
            )  # fmt: skip
        if not method.overridden:
            ctx.warn(
                "intra_province_mode_default",
                f"{method.title('en')} = {mode} is the default for an unsettled provincial method "
                f"({m_line.reference}); override it (parameter `{param}`) if the province's rule differs",
                f"{method.title('zh')} = {mode} 是省级办法尚未确认时的默认值（{m_line.reference_zh or m_line.reference}）；"
                f"如该省规定不同，请调整参数 `{param}`",
            )
        return mode, m_line

    def _hq_shares(self, hq: Establishment, mode: str, hq_share: Fraction, ct_share: Fraction) -> list[_Part]:
        """The HQ's share of T (57号 Art. 15: 50 %) and, across provinces, its split between the treasury
        where the HQ is and the central treasury (财预〔2012〕40号: half each)."""
        hs, local, central = format_share(hq_share), format_share(1 - ct_share), format_share(ct_share)
        if mode == "national":
            return [
                _Part(
                    hq, "hq_local", hq_share * (1 - ct_share),
                    f"{hs} × {local} = HQ part paid into the HQ-location treasury", f"{hs} × {local} = 总机构就地入库部分",
                ),
                _Part(
                    hq, "hq_central", hq_share * ct_share,
                    f"{hs} × {central} = HQ part paid into the central treasury", f"{hs} × {central} = 总机构缴入中央国库部分",
                ),
            ]  # fmt: skip
        # apportion_like_national, inside one province: no central-treasury quarter (an assumption)
        return [
            _Part(
                hq, "hq_local", hq_share,
                f"{hs} = HQ half, all into the local treasury (inside one province there is no central-treasury "
                "quarter: assumption)",
                f"{hs} = 总机构部分，全部就地入库（省内不设缴入中央国库部分：假设）",
            )
        ]  # fmt: skip

    def _branch_shares(
        self, taking: Sequence[Establishment], ratios: dict[str, tuple[Fraction, str, str]], hq_share: Fraction
    ) -> list[_Part]:
        """Each participating branch's share of T: (1 − HQ share)·r_i (57号 Art. 15–16). An HQ production
        department counts as a branch in the HQ's city."""
        parts = []
        for e in taking:
            r, text, text_zh = ratios[e.id]
            where, where_zh = "", ""
            if e.role == "hq_production_department":
                where = " (HQ production department, counted as a branch in the HQ city)"
                where_zh = "（总机构生产部门，视同分支机构，位于总机构所在城市）"
            h = format_share(1 - hq_share)
            parts.append(_Part(e, "branch", (1 - hq_share) * r, f"{h} × {text}{where}", f"{h} × {text_zh}{where_zh}"))
        return parts

    # -- T, with the different-rates method -----------------------------------------------------------
    def _consolidated_tax(self, ctx: YearContext, parts: Sequence[_Part]) -> tuple[Decimal, list[TraceLine]]:
        """The consolidated tax T: given, or taxable income × rate (企业所得税法 第四条); with different
        rates at the locations, 57号 Art. 18 (:meth:`_tax_at_each_rate`)."""
        f, q = ctx.flows, ctx.quantum
        if f.cit_payable is not None:
            assert isinstance(f.cit_payable, Decimal)
            return quantize(f.cit_payable, q), [
                given("consolidated CIT payable T", "汇总应纳所得税额 T", "flows.cit_payable", format_number(f.cit_payable))
            ]
        lines: list[TraceLine] = []
        if f.profit_before_fee is not None:
            income = sum(f.profit_before_fee.values(), Decimal(0))
            lines.append(
                TraceLine(
                    "taxable income = Σ profit before the internal fee (the fee between an HQ and its "
                    "branches is internal and nets out)",
                    "flows.profit_before_fee", format_number(income), "scenario input", "user",
                    "应纳税所得额 = Σ 收费前利润（总机构与分支机构之间的内部收费相互抵消）", "", "情景输入",
                )  # fmt: skip
            )
        else:
            assert isinstance(f.taxable_income, Decimal)
            income = f.taxable_income
        if income <= 0:
            if income < 0:
                ctx.warn(
                    "loss_year",
                    f"{ctx.year}: taxable income {format_number(income)} is negative: no CIT; loss carry-forward "
                    "(企业所得税法 第十八条) is not modelled",
                    f"{ctx.year}年：应纳税所得额 {format_number(income)} 为负，不缴企业所得税；"
                    "未模拟亏损结转（企业所得税法 第十八条）",
                )
            return Decimal(0) * q, [
                *lines,
                TraceLine(
                    "no taxable income", "taxable_income", format_number(income), REF_CIT_LAW, "user", "无应纳税所得额"
                ),
            ]
        base_rate, r_line = cit_rate(ctx.enterprise.cit_rate)
        lines.append(r_line)
        rates = {p.est.id: (p.est.cit_rate if p.est.cit_rate is not None else base_rate) for p in parts}
        if len(set(rates.values())) > 1:
            tax, line = self._tax_at_each_rate(ctx, income, parts, rates)
            return tax, [*lines, line]
        tax = quantize(income * base_rate, q)
        lines.append(
            TraceLine(
                "T = taxable income × rate", "T",
                f"{format_number(income)} × {format_number(base_rate)} = {format_number(tax)}",
                REF_CIT_LAW + " 第四条", "high", "T = 应纳税所得额 × 税率",
            )  # fmt: skip
        )
        return tax, lines

    def _tax_at_each_rate(
        self, ctx: YearContext, income: Decimal, parts: Sequence[_Part], rates: dict[str, Decimal]
    ) -> tuple[Decimal, TraceLine]:
        """57号 Art. 18: different rates — split the taxable income like T, tax each part at its location's
        rate, add the parts up to T."""
        q = ctx.quantum
        by_est: dict[str, Fraction] = defaultdict(Fraction)
        keys: dict[str, tuple[str, str]] = {}
        for p in parts:
            by_est[p.est.id] += p.weight
            keys[p.est.id] = p.tie_key
        ids = list(by_est)
        incomes = split_amount(quantize(income, q), [by_est[i] for i in ids], q, tie_keys=[keys[i] for i in ids])
        tax = Decimal(0)
        texts: dict[str, list[str]] = {"en": [], "zh": []}
        for est_id, inc in zip(ids, incomes, strict=True):
            t = quantize(inc * rates[est_id], q)
            tax += t
            for lang, found in texts.items():
                name = ctx.scenario.establishment_name(est_id, lang)
                found.append(f"{name} {format_number(inc)}×{format_number(rates[est_id])}={format_number(t)}")
        return tax, TraceLine(
            "different rates: taxable income split like T, each part at its location's rate", "T",
            "; ".join(texts["en"]) + f" → T = {format_number(tax)}", REF_ART_18, "high",
            "税率不同：应纳税所得额按 T 的分摊方式拆分，各部分按所在地税率计税",
            "；".join(texts["zh"]) + f" → T = {format_number(tax)}",
        )  # fmt: skip

    # -- levels of government -------------------------------------------------------------------------
    def _levels(
        self,
        ctx: YearContext,
        out: RowBuilder,
        part: _Part,
        amount: Decimal,
        central: Fraction,
        c_line: TraceLine,
        trace: list[TraceLine],
    ) -> None:
        """One part's central and local shares (所得税收入分享: central 60 %). The local share of the HQ's
        central-treasury part is the national pool (财预〔2012〕40号), redistributed to all provinces."""
        c, rest = split_levels(amount, central, ctx.quantum)
        e = part.est
        out.add(e.city, "central", c, _CENTRAL.citing(c_line), [*trace, c_line], e.id)
        if part.kind == "hq_central":
            out.add(e.city, "national_pool", rest, _POOL, [*trace, c_line], e.id)
            self._pool_destination(ctx, out, rest, part, trace)
        else:
            out.add(e.city, "local", rest, _LOCAL.citing(c_line), [*trace, c_line], e.id)

    def _pool_destination(
        self, ctx: YearContext, out: RowBuilder, pool: Decimal, part: _Part, trace: list[TraceLine]
    ) -> None:
        """财预〔2012〕40号: the national pool returns to every province by its 2004–2006 share
        (``national_pool.destination``, unsettled: without it the pool stays on the HQ city's row)."""
        v = ctx.params.get("national_pool.destination").at(dt.date(ctx.year, 1, 1))
        if v is None:
            ctx.warn(
                "national_pool_unattributed",
                "the national pool (10 % of T under the cross-province rule) is "
                "redistributed to all provinces by their 2004–2006 shares, which are not set "
                "(parameter `national_pool.destination`): it is reported on the HQ city's row only",
                "全国再分配部分（跨省办法下为 T 的 10%）按各省2004—2006年的份额返还各省，"
                "这些份额未设定（参数 `national_pool.destination`）：仅列在总机构所在城市一行",
            )
            return
        provinces = list(v.value)
        shares = [v.value[k] for k in provinces]
        rest = 1 - sum(shares, Fraction(0))
        amounts = split_amount(pool, [*shares, rest], ctx.quantum, tie_keys=[*provinces, "~"])
        line = TraceLine(
            "national pool returned to provinces", "national_pool.destination", v.text, v.reference, v.confidence,
            "全国再分配部分返还各省", v.text_in("zh"), v.reference_zh,
        )  # fmt: skip
        for prov, a in zip(provinces, amounts, strict=False):
            out.add(prov, "province", a, _POOL_TO_PROVINCE, [*trace, line], part.est.id)

    # -- prepayments and the annual settlement --------------------------------------------------------
    def _prepayments(self, ctx: YearContext, parts: Sequence[_Part]) -> list[list[Decimal]] | None:
        """Each prepayment split by the year's shares (57号 Art. 6: prepaid monthly or quarterly)."""
        if not ctx.flows.prepayments:
            return None
        q = ctx.quantum
        return [
            split_amount(quantize(a, q), [p.weight for p in parts], q, tie_keys=[p.tie_key for p in parts])
            for a in ctx.flows.prepayments
        ]

    def _paid_by_period(
        self,
        ctx: YearContext,
        out: RowBuilder,
        parts: Sequence[_Part],
        annual: Sequence[Decimal],
        prepaid: list[list[Decimal]],
        base_trace: list[TraceLine],
    ) -> None:
        """57号 Art. 6: what each place receives per prepayment period, and at the annual settlement
        (汇算清缴) the annual amount less the prepayments — a refund when they exceed it."""
        n = len(prepaid)
        periods = [f"Q{k + 1}" for k in range(n)] if n <= 4 else [f"M{k + 1}" for k in range(n)]
        for i, part in enumerate(parts):
            b = _PART_BASIS[part.kind]
            line = part.trace_line()
            reference = f"{REF_ART_6}; {b.reference}"
            done = Decimal(0)
            for k, amounts in enumerate(prepaid):
                prepayment = Basis(
                    f"prepayment split by the year's ratios: {b.rule}", reference, f"预缴税款按当年分摊比例拆分：{b.rule_zh}"
                )
                out.add(part.est.city, "paid", amounts[i], prepayment, [*base_trace, line], part.est.id, periods[k])
                done += amounts[i]
            refund = annual[i] - done < 0
            settlement = Basis(
                ("annual settlement refund" if refund else "annual settlement")
                + f" = annual amount − prepayments, split the same way: {b.rule}",
                reference,
                ("汇算清缴退税" if refund else "汇算清缴") + f" = 全年税额 − 预缴税款，按同样比例拆分：{b.rule_zh}",
            )
            out.add(part.est.city, "paid", annual[i] - done, settlement, [*base_trace, line], part.est.id, "settlement")
        total_pre = sum((sum(a) for a in prepaid), Decimal(0))
        if total_pre > sum(annual):
            ctx.warn(
                "settlement_refund",
                f"{ctx.year}: prepayments {format_number(total_pre)} exceed the annual CIT "
                f"{format_number(sum(annual))}: the settlement is a refund, split by the same ratios (negative amounts)",
                f"{ctx.year}年：预缴税款 {format_number(total_pre)} 超过全年企业所得税 {format_number(sum(annual))}："
                "汇算清缴为退税，按同样比例拆分（金额为负）",
            )
