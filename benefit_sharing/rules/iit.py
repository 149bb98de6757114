"""Individual income tax withheld at each establishment: central/local by the dated shares.

The amounts are the scenario's (withheld where the staff are employed, 个人所得税法); the central share is
a dated parameter (国发〔2001〕37号: 60 % since 2003).
No agreement is applied here (``agreements.py`` overlays the statutory rows).
"""

from __future__ import annotations

from ..money import format_number, quantize
from ..trace import Row
from .base import Basis, RowBuilder, YearContext, given, split_levels

__all__ = ["IitRule"]

_PAID = Basis(
    "IIT withheld where the staff are employed", "个人所得税法; scenario input", "个人所得税在员工任职单位所在地扣缴",
    "个人所得税法；情景输入",
)  # fmt: skip
_CENTRAL = Basis("IIT central share", "", "个人所得税中央部分")
_LOCAL = Basis("IIT local share, where withheld", "", "个人所得税地方部分（扣缴地）")


class IitRule:
    """Individual income tax withheld at each establishment: central/local by the dated shares."""

    tax = "iit"

    def apply(self, ctx: YearContext) -> list[Row]:
        central, c_line = ctx.required_share("iit.central_share", "IIT central/local sharing", "个人所得税收入分享（中央/地方）")
        out = RowBuilder(ctx.year, "iit")
        for est_id, raw in sorted(ctx.flows.iit.items()):
            e = ctx.scenario.establishment(est_id)
            amount = quantize(raw, ctx.quantum)
            lines = [given("IIT withheld", "代扣代缴个人所得税", f"flows.iit.{est_id}", format_number(amount))]
            out.add(e.city, "paid", amount, _PAID, lines, est_id)
            c, rest = split_levels(amount, central, ctx.quantum)
            out.add(e.city, "central", c, _CENTRAL.citing(c_line), [*lines, c_line], est_id)
            out.add(e.city, "local", rest, _LOCAL.citing(c_line), [*lines, c_line], est_id)
        return out.rows()
