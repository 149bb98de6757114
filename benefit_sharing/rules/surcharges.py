"""The VAT surcharges: 城市维护建设税 (7/5/1 % by location), 教育费附加 3 %, 地方教育附加 2 % of the VAT paid.

They are paid where the VAT is paid and are local revenue (the central share is a parameter, 0). The
rates are dated parameters (中华人民共和国城市维护建设税法 第四条; 征收教育费附加的暂行规定; 财综〔2010〕98号);
the “six taxes and two fees” relief applies only when the scenario asks for it.
No agreement is applied here (``agreements.py`` overlays the statutory rows).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..money import format_number, format_share, quantize
from ..trace import Row, TraceLine
from .base import Basis, RowBuilder, YearContext, split_levels
from .vat import vat_by_establishment

__all__ = ["SurchargesRule"]

_PAID = Basis(
    "VAT surcharges, where the VAT is paid", "城市维护建设税法; 征收教育费附加的暂行规定", "增值税附加税费，在增值税缴纳地缴纳",
    "城市维护建设税法；征收教育费附加的暂行规定",
)  # fmt: skip
_CENTRAL = Basis("surcharges: central share", "", "附加税费：中央部分")
_LOCAL = Basis("surcharges: local revenue", "", "附加税费：地方收入")
#: (parameter, what it is, in Chinese); ``{loc}`` is the establishment's location type.
_ITEMS = (
    ("surcharges.urban_maintenance_rate.{loc}", "urban maintenance and construction tax", "城市维护建设税"),
    ("surcharges.education_rate", "education surcharge", "教育费附加"),
    ("surcharges.local_education_rate", "local education surcharge", "地方教育附加"),
)


class SurchargesRule:
    """城建税 (7/5/1 % by location type) + 教育费附加 3 % + 地方教育附加 2 % of the VAT paid; local revenue."""

    tax = "surcharges"

    def apply(self, ctx: YearContext) -> list[Row]:
        q = ctx.quantum
        central, c_line = ctx.required_share("surcharges.central_share", "surcharges are local revenue", "附加税费为地方收入")
        relief_line = None
        relief = Fraction(0)
        if ctx.enterprise.six_taxes_two_fees_relief:
            relief, relief_line = ctx.required_share(
                "surcharges.six_taxes_two_fees_relief",
                "“six taxes and two fees” relief (asked for by the scenario)",
                "“六税两费”减征（情景要求）",
            )
        out = RowBuilder(ctx.year, "surcharges")
        for est_id, (vat, _lines) in sorted(vat_by_establishment(ctx).items()):
            if vat == 0:
                continue
            e = ctx.scenario.establishment(est_id)
            loc = e.location_type
            if loc is None:
                loc = "urban_district"
                ctx.warn(
                    "location_type_default",
                    f"establishment {est_id!r} ({e.city}) has no location_type: urban_district "
                    "(urban maintenance tax 7 %) assumed; allowed: urban_district, county_town, elsewhere",
                    f"机构“{est_id}”（{ctx.scenario.city_name(e.city, 'zh')}）未填所在地类型：按市区"
                    "（城建税 7%）计算；可选 urban_district、county_town、elsewhere",
                )
            total = Decimal(0)
            lines = []
            for param, label, label_zh in _ITEMS:
                name = param.format(loc=loc)
                rate, line = ctx.required_share(name, label, label_zh)
                amount = quantize(Fraction(vat) * rate * (1 - relief), q)
                total += amount
                extra = f" × (1 − {format_share(relief)})" if relief else ""
                text = f"{format_number(vat)} × {line.value}{extra} = {format_number(amount)}"
                text_zh = f"{format_number(vat)} × {line.value_zh or line.value}{extra} = {format_number(amount)}"
                lines.append(
                    TraceLine(
                        label, name, text, line.reference, line.confidence, label_zh,
                        text_zh if text_zh != text else "", line.reference_zh,
                    )  # fmt: skip
                )
            if relief_line is not None:
                lines.append(relief_line)
            out.add(e.city, "paid", total, _PAID, lines, est_id)
            c, rest = split_levels(total, central, q)
            out.add(e.city, "central", c, _CENTRAL.citing(c_line), [*lines, c_line], est_id)
            out.add(e.city, "local", rest, _LOCAL.citing(c_line), [*lines, c_line], est_id)
        return out.rows()
