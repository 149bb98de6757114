"""Excel and CSV output of a result: one sheet per view, and a trace sheet for every amount; for the CLI in
codes, for people in their language (sheet names, headers and values).

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or CR) is
written as text that cannot run: in .xlsx as a string cell with the quote prefix, in .csv with a
leading apostrophe. Numbers stay numbers (amounts are exact to the scenario's precision). This module
writes what the result holds; it must not recompute or round an amount.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from . import names
from .effect import NetEffect, net_effect, years_text
from .engine import Result
from .scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["export_excel", "export_csv", "export_file_name", "FORMULA_PREFIXES"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if v is None or isinstance(v, (int, float, bool)):
        return v
    try:
        import pandas as pd

        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)


def export_excel(
    result: Result,
    path: str | Path | BinaryIO,
    comparison: pd.DataFrame | None = None,
    lang: str | None = None,
) -> Path | BinaryIO:
    """Write ``result`` to an .xlsx file or a binary stream; returns the path (or the stream).

    Sheets: about, summary, (comparison, when given), rows, and — only when they have lines —
    with_vs_without and net_effect (a scenario with agreements), allocations (a game), warnings, unused
    (inputs that cannot change the result, and why), then trace. With ``lang`` (``zh`` or ``en``) the
    workbook is for people in that language: sheet names, headers and values (cities, taxes, components,
    rules, parameters by name); without it the sheet names, headers and values are the codes of
    ``hst split --json`` (the CLI's workbook, for machines)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    if lang not in (None, "en", "zh"):
        raise ValueError(f"The 'lang' parameter of export_excel must be 'en', 'zh' or None. Got {lang!r} instead.")
    path = path if hasattr(path, "write") else Path(path)
    text = lang or "en"
    effect = net_effect(result)
    sheets: list[tuple[str, pd.DataFrame]] = [
        ("summary", result.summary()),
        ("rows", result.frame(text)),
        ("with_vs_without", result.with_vs_without()),
        ("net_effect", effect.frame(text) if effect is not None else None),
        ("allocations", result.allocations_frame(text)),
        ("warnings", result.warnings_frame(text)),
        ("unused", result.unused_frame(text)),
        ("trace", result.trace_frame(text)),
    ]
    if comparison is not None:
        sheets.insert(1, ("comparison", comparison))
    wb = Workbook()
    wb.remove(wb.active)
    meta = wb.create_sheet(_sheet("about", lang))
    for line in _about(result, lang, effect):
        meta.append(line)
    _as_text(meta)
    for title, df in sheets:
        if df is None or df.empty:
            continue  # a sheet is written only when it has something to say
        if lang is not None:
            df = _localise(df, result, lang)
        ws = wb.create_sheet(_sheet(title, lang))
        ws.append([_header(str(c), lang) for c in df.columns])
        for record in df.itertuples(index=False):
            ws.append([_cell_value(v) for v in record])
        _as_text(ws)
        ws.freeze_panes = "A2"
        for i, col in enumerate(df.columns, 1):
            width = (
                max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) if len(df) else len(str(col))
            )
            ws.column_dimensions[get_column_letter(i)].width = min(max(10, width + 2), 60)
    wb.save(path)
    return path


def export_file_name(result: Result, lang: str = "en", suffix: str = ".xlsx") -> str:
    """A file name after the scenario (its title in ``lang``), safe on every system:
    ``BS-07_沪通产业转移工厂_分阶段分享协议.xlsx``."""
    title = result.source.title(lang) if isinstance(result.source, Scenario) else result.scenario
    stem = re.sub(r"[^\w\-]+", "_", title, flags=re.UNICODE).strip("_.")[:80] or "scenario"
    return stem + suffix


def _sheet(code: str, lang: str | None) -> str:
    return names.name("sheet", code, lang)[:31] if lang else code


def _header(column: str, lang: str | None) -> str:
    if lang is None:
        return column
    for kind in ("column", "component", "level"):
        if column in names.TABLES[kind]:
            return names.name(kind, column, lang)
    return column  # a scenario's name (comparison) or a Δ column


def _about(result: Result, lang: str | None, effect: NetEffect | None) -> list[list[Any]]:
    if lang is None:
        return [
            ["scenario", result.scenario],
            ["unit", result.unit],
            ["years", ", ".join(map(str, result.years))],
            ["precision", _cell_value(result.precision)],
            ["note", "Every amount is traced on the 'trace' sheet (rule, parameter, value, legal reference)."],
        ]
    title = result.source.title(lang) if isinstance(result.source, Scenario) else result.scenario
    word = partial(names.name, "word", lang=lang)
    lines: list[list[Any]] = [
        [word("scenario"), title],
        [word("unit"), names.name("unit", result.unit, lang)],
        [word("years"), years_text(result.years, lang)],
        [word("precision"), _cell_value(result.precision)],
        [word("note"), word("trace_note")],
    ]
    if effect is not None:
        lines.append([word("net_effect"), effect.sentence(lang)])
    return lines


def _localise(df: pd.DataFrame, result: Result, lang: str) -> pd.DataFrame:
    """Codes by their names in ``lang``: cities, taxes, components, periods, confidence, allocation rules,
    players that are cities, yes/no, warnings by their title. Amounts untouched."""
    scenario = result.source if isinstance(result.source, Scenario) else None
    word = partial(names.name, "word", lang=lang)

    def city(c: object) -> str:
        if c == "all cities":
            return word("all cities")
        return scenario.city_name(str(c), lang) if scenario is not None else names.name("city", c, lang)

    out = df.copy()
    maps = {
        "city": city,
        "tax": lambda t: word("total") if t == "total" else names.name("tax", t, lang),
        "component": partial(names.name, "component", lang=lang),
        "period": partial(names.period_name, lang=lang),
        "confidence": partial(names.name, "confidence", lang=lang),
        "player": lambda p: names.name("city", p, lang),
        "in_core": lambda b: word("yes") if b else word("no"),
        "code": partial(names.name, "warning", lang=lang),
    }
    if "player" in out:  # the allocations sheet: its rule is an allocation rule
        maps["rule"] = partial(names.name, "game_rule", lang=lang)
    for column, fn in maps.items():
        if column in out:
            out[column] = out[column].map(fn)
    return out


def _as_text(ws: Any) -> None:
    """Text a spreadsheet would run as a formula is stored (and shown) as text."""
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                cell.data_type = "s"  # a string, not a formula
                cell.quotePrefix = True  # and shown as text if the user edits it


def _csv_text(v: Any) -> Any:
    v = _cell_value(v)
    if isinstance(v, str) and v.startswith(FORMULA_PREFIXES):
        return "'" + v
    return v


def export_csv(result: Result, path: str | Path, columns: Sequence[str] | None = None) -> Path:
    """Write the rows as CSV in UTF-8 with a BOM (so Excel opens the Chinese text correctly)."""
    path = Path(path)
    df = result.frame()
    cols = list(columns or df.columns)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for record in df[cols].itertuples(index=False):
            w.writerow([_csv_text(v) for v in record])
    return path
