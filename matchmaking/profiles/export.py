"""Write stored profiles back out in the upload format (``.csv`` UTF-8 with BOM, or ``.xlsx``).

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-`` or ``@``) is written
so that it shows as text: in CSV with a leading apostrophe (which the upload removes again, so an export
re-ingests unchanged), in XLSX as a string cell.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .contract import COLUMNS

__all__ = ["profiles_table", "write_table", "numeric_headers", "defuse", "FORMULA_PREFIXES"]

FORMULA_PREFIXES = ("=", "+", "-", "@")


def _cell(v: object) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return ""
    if hasattr(v, "tolist") and not isinstance(v, str):
        v = v.tolist()
    if isinstance(v, list):
        return ";".join(str(x) for x in v)
    if hasattr(v, "normalize") and hasattr(v, "as_tuple"):  # Decimal: 1200.5000 → 1200.5
        text = format(v.normalize(), "f")
        return text
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def profiles_table(frame: pd.DataFrame, kind: str, lang: str = "en") -> pd.DataFrame:
    """Stored profiles → the upload columns as text (headers in English or Chinese); extra columns last."""
    cols = [c for c in COLUMNS[kind] if c.name in frame.columns]
    out = pd.DataFrame({(c.zh if lang == "zh" else c.name): frame[c.name].map(_cell) for c in cols})
    if "extra" in frame.columns:
        extras = [json.loads(x) if isinstance(x, str) and x else {} for x in frame["extra"]]
        names = list(dict.fromkeys(k for e in extras for k in e))
        for name in names:
            out[name] = [str(e.get(name, "")) for e in extras]
    return out


def numeric_headers(kind: str) -> frozenset[str]:
    """The headers (both languages) of the numeric columns of a kind."""
    return frozenset(h for c in COLUMNS[kind] if c.kind in ("number", "int", "year") for h in (c.name, c.zh))


def defuse(value: object) -> object:
    """Text a spreadsheet would run as a formula, with a leading apostrophe (which the upload removes
    again); anything else as it is."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) else value


def write_table(table: pd.DataFrame, path: str | Path, numeric: frozenset[str] = frozenset()) -> Path:
    """Write text cells to ``.csv`` (UTF-8 with BOM) or ``.xlsx``; formulas are never runnable.
    In ``.xlsx`` the ``numeric`` columns are written as numbers (exact, from their decimal text)."""
    path = Path(path)
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        table.map(defuse).to_csv(path, index=False, encoding="utf-8-sig")
    elif suffix == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.cell.cell import TYPE_STRING

        wb = Workbook(write_only=False)
        ws = wb.active
        ws.title = "profiles"
        ws.append(list(table.columns))
        is_num = [name in numeric for name in table.columns]
        for r, row in enumerate(table.itertuples(index=False), start=2):
            for c, v in enumerate(row, start=1):
                if v == "":
                    continue
                cell = ws.cell(row=r, column=c)
                if is_num[c - 1]:
                    cell.value = Decimal(v)
                else:
                    cell.value = v
                    cell.data_type = TYPE_STRING  # a string starting with '=' stays a string, never a formula
        wb.save(path)
    else:
        raise ValueError(f"the output file must end in .csv or .xlsx, got {path.name!r}")
    return path
