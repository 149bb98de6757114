"""Excel and CSV output of a result: one sheet per view, and a trace sheet for every amount.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or CR) is
written as text that cannot run: in .xlsx as a string cell with the quote prefix, in .csv with a
leading apostrophe. Numbers stay numbers (amounts are exact to the scenario's precision). This module
writes what the result holds; it must not recompute or round an amount.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .engine import Result

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["export_excel", "export_csv", "FORMULA_PREFIXES"]

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


def export_excel(result: Result, path: str | Path | BinaryIO, comparison: pd.DataFrame | None = None) -> Path | BinaryIO:
    """Write ``result`` to an .xlsx file or a binary stream: summary, rows, with_vs_without, allocations,
    warnings, trace (and comparison, when given). Returns the path (or the stream)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    path = path if hasattr(path, "write") else Path(path)
    sheets: list[tuple[str, pd.DataFrame]] = [
        ("summary", result.summary()),
        ("rows", result.frame()),
        ("with_vs_without", result.with_vs_without()),
        ("allocations", result.allocations_frame()),
        ("warnings", result.warnings_frame()),
        ("trace", result.trace_frame()),
    ]
    if comparison is not None:
        sheets.insert(1, ("comparison", comparison))
    wb = Workbook()
    wb.remove(wb.active)
    for title, df in sheets:
        ws = wb.create_sheet(title)
        ws.append([str(c) for c in df.columns])
        for record in df.itertuples(index=False):
            ws.append([_cell_value(v) for v in record])
        for row in ws.iter_rows(min_row=1):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    cell.data_type = "s"  # a string, not a formula
                    cell.quotePrefix = True  # and shown as text if the user edits it
        ws.freeze_panes = "A2"
        for i, col in enumerate(df.columns, 1):
            width = (
                max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) if len(df) else len(str(col))
            )
            ws.column_dimensions[get_column_letter(i)].width = min(max(10, width + 2), 60)
    meta = wb.create_sheet("about", 0)
    for line in (
        ["scenario", result.scenario],
        ["unit", result.unit],
        ["years", ", ".join(map(str, result.years))],
        ["precision", _cell_value(result.precision)],
        ["note", "Every amount is traced on the 'trace' sheet (rule, parameter, value, legal reference)."],
    ):
        meta.append(line)
    for row in meta.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                cell.data_type = "s"
                cell.quotePrefix = True
    wb.save(path)
    return path


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
