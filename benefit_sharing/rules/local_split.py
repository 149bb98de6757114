"""The local share split between the province and the city (省以下分成).

Below the province, each province sets how its cities' local revenue is shared with it; none of these
figures for Jiangsu was obtained, so the parameters have no value and nothing is invented: without an
override a Jiangsu city's revenue stays ``local`` (and a warning says so). A province-level
municipality (直辖市) such as Shanghai keeps its whole local share at city level.
No agreement is applied here (``agreements.py`` overlays the statutory rows).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..money import split_amount
from ..names import name
from ..parameters import MUNICIPALITIES
from ..trace import Row
from .base import YearContext

__all__ = ["LocalSplitRule"]

_MUNICIPALITY_REF = (
    "国发〔1993〕85号 (tax-sharing system); fiscal system of the province-level municipalities",
    "国发〔1993〕85号（分税制）；直辖市财政体制",
)


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
                out.append(self._municipality(ctx, r))
                continue
            param = f"local_split.{prov}.{r.tax}.province_share"
            share, line = ctx.share(
                param, "provincial part of the local share (below-province sharing)", "地方部分中的省级部分（省以下分成）"
            )
            if share is None:
                title = ctx.params.get(param)
                ctx.warn(
                    "local_split_unset",
                    f"{title.title('en')} is not set (unsettled; parameter `{param}`): {prov} cities' "
                    f"{name('tax', r.tax)} is reported as local only, without a province/city split",
                    f"{title.title('zh')}未设定（尚未确认；参数 `{param}`）：{name('province', prov, 'zh')}各市的"
                    f"{name('tax', r.tax, 'zh')}只列为“地方”，不拆分为省级和市级",
                )
                continue
            prov_amt, city_amt = split_amount(r.amount, [share, 1 - share], ctx.quantum, tie_keys=[0, 1])
            trace = (*r.trace, line)
            out.append(
                Row(
                    r.year, r.tax, r.city, "province", prov_amt, "provincial part of the local share", line.reference,
                    r.period, r.establishments, trace, "地方部分中的省级部分", line.reference_zh,
                )  # fmt: skip
            )
            out.append(
                Row(
                    r.year, r.tax, r.city, "municipal", city_amt, "city-level part of the local share", line.reference,
                    r.period, r.establishments, trace, "地方部分中的市级部分", line.reference_zh,
                )  # fmt: skip
            )
        return out

    def _municipality(self, ctx: YearContext, r: Row) -> Row:
        """A province-level municipality: its whole local share is city-level revenue (分税制)."""
        return Row(
            r.year, r.tax, r.city, "municipal", r.amount,
            f"{r.city} is a province-level municipality: its local share is city-level revenue "
            "(the municipal/district division is internal and not modelled)",
            _MUNICIPALITY_REF[0], r.period, r.establishments, r.trace,
            f"{ctx.scenario.city_name(r.city, 'zh')}是直辖市：地方部分即为市级收入（市与区之间的划分属内部事项，未模拟）",
            _MUNICIPALITY_REF[1],
        )  # fmt: skip
