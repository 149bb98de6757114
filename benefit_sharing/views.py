"""Result views an app page needs beyond ``Result``'s own: receipts by level of government, a table of
allocations, and the Excel workbook as bytes (for a download button).

Sums here are of ``Decimal`` amounts the engine produced (no re-rounding), so the parts shown add up
to the totals shown. Codes stay codes here (a page names them with ``names.name``). Never imports
streamlit.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from .engine import Result
from .export import export_excel
from .money import format_exact
from .trace import Allocation, in_language

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LEVELS", "receipts_by_level", "allocations_table", "side_by_side", "excel_bytes"]

#: Levels of government receiving tax revenue. ``national_pool`` is the central-treasury part of the
#: cross-province HQ quarter that is redistributed to all provinces (shown on the HQ city's line);
#: ``local`` is a city's local share while its province's part is not set (unsettled: no split invented).
LEVELS = ("central", "national_pool", "province", "municipal", "local")
_TAXES = ("cit", "vat", "surcharges", "iit")


def receipts_by_level(result: Result, with_agreements: bool = True) -> pd.DataFrame:
    """Per year and city where the tax arises: what each level of government receives (all taxes).

    Columns ``year, city, <levels present>, total`` (amounts ``Decimal``). Without agreements the total
    is what is paid in that city; with them, each city's net transfer is added to its city level
    (``municipal``, or ``local`` while the province's part is not set), so a partner city appears with
    what it receives. Over all cities a year's total is the same either way (transfers net to zero)."""
    import pandas as pd

    by_key: dict[tuple[int, str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in result.rows:
        if r.tax in _TAXES:
            by_key[(r.year, r.tax, r.city)][r.component] += r.amount
    out: dict[tuple[int, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (year, _tax, city), comp in by_key.items():
        line = out[(year, city)]
        split = "province" in comp or "municipal" in comp
        for level in ("central", "national_pool"):
            if level in comp:
                line[level] += comp[level]
        if split:
            line["province"] += comp.get("province", Decimal(0))
            line["municipal"] += comp.get("municipal", Decimal(0))
        elif "local" in comp:
            line["local"] += comp["local"]
        if with_agreements and "agreement" in comp:
            level = "local" if ("local" in comp and not split) else "municipal"
            line[level] += comp["agreement"]
    present = [lv for lv in LEVELS if any(lv in line for line in out.values())]
    rows = []
    for (year, city), line in sorted(out.items()):
        amounts = [line[lv] if lv in line else Decimal(0) for lv in present]
        rows.append([year, city, *amounts, sum(amounts, Decimal(0))])
    return pd.DataFrame(rows, columns=["year", "city", *present, "total"])


def allocations_table(allocations: Sequence[Allocation], lang: str = "en") -> pd.DataFrame:
    """rule, player, amount (Decimal, rounded so a rule's amounts add up to v(N)), exact (the exact value as
    a decimal: ``156.666667…``), fraction (the exact value when the decimal is not: ``470/3``), in_core,
    note (in ``lang``) — one line per rule and player."""
    import pandas as pd

    return pd.DataFrame([[a.rule, a.player, a.amount, *format_exact(a.exact), a.in_core,
                          in_language(a.note, a.note_zh, lang)] for a in allocations],
                        columns=["rule", "player", "amount", "exact", "fraction", "in_core", "note"])


def side_by_side(results: Sequence[Result], titles: Sequence[str]) -> pd.DataFrame:
    """Scenarios side by side: per city and level of government, what each scenario gives over its whole
    term (all taxes, with its agreements), one column per scenario (``titles``), then ``Δ <title>``
    columns against the first, and an ``all cities`` line per level; a level no scenario has is left out.
    Amounts are ``Decimal`` sums of the engine's rows (a scenario's term: ``effect.years_text(r.years)``).

    Columns: city, level, <titles...>, Δ <titles[1:]...>."""
    import pandas as pd

    if len(titles) != len(results):
        raise ValueError(f"The 'titles' parameter of side_by_side must name each of the {len(results)} results. "
                         f"Got {len(titles)} instead.")
    titles = _unique(list(titles))
    sums: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
    for title, result in zip(titles, results, strict=True):
        levels = receipts_by_level(result, with_agreements=True)
        for line in levels.itertuples(index=False):
            for level in [*LEVELS, "total"]:
                amount = getattr(line, level, None)
                if amount is None:
                    continue
                for city in (line.city, "all cities"):
                    cell = sums[(city, level)]
                    cell[title] = cell.get(title, Decimal(0)) + amount
    order = {lv: i for i, lv in enumerate([*LEVELS, "total"])}
    keys = sorted(sums, key=lambda k: (k[0] == "all cities", k[0], order[k[1]]))
    rows = [[city, level, *[sums[(city, level)].get(t, Decimal(0)) for t in titles]] for city, level in keys]
    rows = [r for r in rows if any(r[2:])]
    out = pd.DataFrame(rows, columns=["city", "level", *titles])
    for t in titles[1:]:
        out[f"Δ {t}"] = out[t] - out[titles[0]]
    return out


def _unique(titles: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for t in titles:
        seen[t] = seen.get(t, 0) + 1
        out.append(t if seen[t] == 1 else f"{t} ({seen[t]})")
    return out


def excel_bytes(result: Result, comparison: pd.DataFrame | None = None, lang: str | None = None) -> bytes:
    """The ``export_excel`` workbook as bytes, for a download button (``lang``: the reader's language)."""
    buffer = io.BytesIO()
    export_excel(result, buffer, comparison, lang=lang)
    return buffer.getvalue()
