"""CIT of separate companies (the subsidiary model): each pays on its own profit where it is registered.

企业所得税法 第五十条: a resident company pays where it is registered; there is no apportionment between
separate companies. A cost-plus service fee between them (a transfer price, ``base.service_fee``) moves
taxable profit from the company that pays it to the one that earns it. Rates and the central share come
from the scenario and the dated parameters.
No agreement is applied here (``agreements.py`` overlays the statutory rows).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ..money import format_number, quantize
from ..scenario import Establishment
from ..trace import Row, TraceLine
from .base import REF_CIT_LAW, Basis, RowBuilder, YearContext, cit_rate, given, service_fee, split_levels

__all__ = ["CitSubsidiaryRule"]

_PAID = Basis(
    "separate company: CIT paid where it is registered", REF_CIT_LAW + " 第五十条", "独立法人公司：企业所得税在登记注册地缴纳"
)
_CENTRAL = Basis("CIT central share of the amount paid there", "", "缴纳地所缴企业所得税的中央部分")
_LOCAL = Basis("CIT local share, where paid", "", "企业所得税地方部分（缴纳地）")


class CitSubsidiaryRule:
    """Each company pays CIT on its own profit where it is registered; a cost-plus fee moves profit."""

    tax = "cit"

    def apply(self, ctx: YearContext) -> list[Row]:
        central, c_line = ctx.required_share(
            "cit.central_share", "CIT central/local sharing", "所得税收入分享（中央/地方）"
        )
        fee = service_fee(ctx) if ctx.flows.profit_before_fee is not None else None
        out = RowBuilder(ctx.year, "cit")
        for e in ctx.scenario.establishments:
            found = self._company_tax(ctx, e, fee)
            if found is None:
                continue
            tax, lines = found
            out.add(e.city, "paid", tax, _PAID, lines, e.id)
            c, rest = split_levels(tax, central, ctx.quantum)
            out.add(e.city, "central", c, _CENTRAL.citing(c_line), [*lines, c_line], e.id)
            out.add(e.city, "local", rest, _LOCAL.citing(c_line), [*lines, c_line], e.id)
        return out.rows()

    def _company_tax(
        self, ctx: YearContext, e: Establishment, fee: tuple[Decimal, list[TraceLine]] | None
    ) -> tuple[Decimal, list[TraceLine]] | None:
        """One company's CIT: given, or its taxable income × its rate (企业所得税法 第四条); None when the
        scenario gives nothing for this company this year."""
        f, q = ctx.flows, ctx.quantum
        if isinstance(f.cit_payable, Mapping):
            if e.id not in f.cit_payable:
                return None
            tax = quantize(f.cit_payable[e.id], q)
            return tax, [given("CIT payable", "应纳所得税额", f"flows.cit_payable.{e.id}", format_number(tax))]
        found = self._taxable_income(ctx, e, fee)
        if found is None:
            return None
        income, lines = found
        rate, r_line = cit_rate(e.cit_rate if e.cit_rate is not None else ctx.enterprise.cit_rate)
        lines.append(r_line)
        if income < 0:
            ctx.warn(
                "loss_year",
                f"{ctx.year}: company {e.id!r} has taxable income {format_number(income)}: no CIT; "
                "loss carry-forward (企业所得税法 第十八条) is not modelled",
                f"{ctx.year}年：公司“{e.id}”应纳税所得额为 {format_number(income)}，不缴企业所得税；"
                "未模拟亏损结转（企业所得税法 第十八条）",
            )
        base = max(income, Decimal(0))
        tax = quantize(base * rate, q)
        lines.append(
            TraceLine(
                "CIT = taxable income × rate", f"{e.id}.cit",
                f"{format_number(base)} × {format_number(rate)} = {format_number(tax)}", REF_CIT_LAW + " 第四条",
                "high", "企业所得税 = 应纳税所得额 × 税率",
            )  # fmt: skip
        )
        return tax, lines

    def _taxable_income(
        self, ctx: YearContext, e: Establishment, fee: tuple[Decimal, list[TraceLine]] | None
    ) -> tuple[Decimal, list[TraceLine]] | None:
        """A company's taxable income: given, or its profit before the service fee ± the fee (the fee is
        deductible for the company that pays it: 企业所得税法 第八条)."""
        f = ctx.flows
        if isinstance(f.taxable_income, Mapping):
            if e.id not in f.taxable_income:
                return None
            income = f.taxable_income[e.id]
            return income, [
                given("taxable income", "应纳税所得额", f"flows.taxable_income.{e.id}", format_number(income))
            ]
        if f.profit_before_fee is None or e.id not in f.profit_before_fee:
            return None
        income = f.profit_before_fee[e.id]
        text = text_zh = format_number(income)
        lines: list[TraceLine] = []
        if fee is not None:
            amount, fee_lines = fee
            if e.id == ctx.enterprise.service_provider:
                income += amount
                text += f" + fee {format_number(amount)}"
                text_zh += f" + 服务费 {format_number(amount)}"
            elif e.id == ctx.enterprise.service_recipient:
                income -= amount
                text += f" − fee {format_number(amount)}"
                text_zh += f" − 服务费 {format_number(amount)}"
            lines += fee_lines
        lines.append(
            TraceLine(
                "taxable income = profit before the fee ± the fee", f"flows.profit_before_fee.{e.id}",
                f"{text} = {format_number(income)}", "scenario input; 企业所得税法 第八条 (the fee is deductible)",
                "user", "应纳税所得额 = 收费前利润 ± 服务费",
                f"{text_zh} = {format_number(income)}" if text_zh != text else "",
                "情景输入；企业所得税法 第八条（服务费可扣除）",
            )  # fmt: skip
        )
        return income, lines
