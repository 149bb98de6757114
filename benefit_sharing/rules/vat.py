"""Domestic VAT: paid where the establishment files, then central/local by the dated shares.

The amounts are the scenario's; in the subsidiary model the VAT on an intra-group service fee is output
VAT of the company that earns the fee and input VAT of the one that pays it, which moves VAT between
their cities (财税〔2016〕36号: modern services 6 %). The central share is a dated parameter
(国发〔2016〕26号: 50 % since 2016-05-01). The surcharges rule reads the same amounts.
No agreement is applied here (``agreements.py`` overlays the statutory rows).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..money import format_number, format_share, quantize
from ..trace import Row, TraceLine
from .base import Basis, RowBuilder, YearContext, given, service_fee, split_levels

__all__ = ["VatRule", "vat_by_establishment"]

_PAID = Basis("VAT paid where the establishment files", "增值税法; scenario input", "增值税在机构申报地缴纳", "增值税法；情景输入")
_CENTRAL = Basis("VAT central share", "", "增值税中央部分")
_LOCAL = Basis("VAT local share, where paid", "", "增值税地方部分（缴纳地）")


def vat_by_establishment(ctx: YearContext) -> dict[str, tuple[Decimal, list[TraceLine]]]:
    """VAT paid at each establishment, after the VAT on an intra-group fee (subsidiary model) moves it."""
    key = "vat_by_establishment"
    if key in ctx.cache:
        return ctx.cache[key]  # type: ignore[return-value]
    ent, f, q = ctx.enterprise, ctx.flows, ctx.quantum
    out = {
        k: (
            quantize(v, q),
            [given("VAT payable", "应缴增值税", f"flows.vat_payable.{k}", format_number(quantize(v, q)))],
        )
        for k, v in f.vat_payable.items()
    }
    fee = service_fee(ctx) if ent.form == "subsidiary" and f.profit_before_fee is not None else None
    if fee is not None and ent.service_provider and ent.service_recipient:
        amount, fee_lines = fee
        if ent.fee_vat_rate is not None:
            rate, ref, conf, ref_zh = Fraction(ent.fee_vat_rate), "scenario input", "user", "情景输入"
        else:
            rate, line = ctx.required_share(
                "vat.service_rate", "VAT on the intra-group service fee", "集团内部服务费的增值税"
            )
            ref, conf, ref_zh = line.reference, line.confidence, line.reference_zh
        fee_vat = quantize(amount * Decimal(rate.numerator) / Decimal(rate.denominator), q)
        line = TraceLine(
            "VAT on the service fee: output VAT of the provider, input VAT of the recipient",
            "vat.service_rate",
            f"{format_number(amount)} × {format_share(rate)} = {format_number(fee_vat)}",
            ref,
            conf,
            "服务费的增值税：提供方的销项税额、接受方的进项税额",
            "",
            ref_zh,
        )
        prov_amt, prov_lines = out.get(ent.service_provider, (Decimal(0) * q, []))
        out[ent.service_provider] = (prov_amt + fee_vat, [*prov_lines, *fee_lines, line])
        rec_amt, rec_lines = out.get(ent.service_recipient, (Decimal(0) * q, []))
        new = rec_amt - fee_vat
        if new < 0:
            ctx.warn(
                "excess_input_vat",
                f"{ctx.year}: the fee's input VAT exceeds {ent.service_recipient!r}'s VAT "
                f"payable by {format_number(-new)}; the excess credit is carried forward (not modelled)",
                f"{ctx.year}年：服务费的进项税额超过“{ent.service_recipient}”的应缴增值税 {format_number(-new)}；"
                "留抵税额结转以后期间（未模拟）",
            )
            new = Decimal(0) * q
        out[ent.service_recipient] = (new, [*rec_lines, *fee_lines, line])
    ctx.cache[key] = out
    return out


class VatRule:
    """Domestic VAT: paid where the establishment files; central/local by the dated shares."""

    tax = "vat"

    def apply(self, ctx: YearContext) -> list[Row]:
        central, c_line = ctx.required_share("vat.central_share", "VAT central/local sharing", "增值税收入分享（中央/地方）")
        out = RowBuilder(ctx.year, "vat")
        for est_id, (amount, lines) in sorted(vat_by_establishment(ctx).items()):
            e = ctx.scenario.establishment(est_id)
            out.add(e.city, "paid", amount, _PAID, lines, est_id)
            c, rest = split_levels(amount, central, ctx.quantum)
            out.add(e.city, "central", c, _CENTRAL.citing(c_line), [*lines, c_line], est_id)
            out.add(e.city, "local", rest, _LOCAL.citing(c_line), [*lines, c_line], est_id)
        return out.rows()
