"""What the upload page shows about a file: its validation report, a preview of the valid rows, and
the rejected rows as a file to fix and re-submit (for the file just checked, or any past upload).

Validation itself is ``profiles.prepare``; storing is ``services.commit``. This module only shapes their
results into tables and bytes, and never imports streamlit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import pandas as pd

from ..profiles import COLUMNS, PRIVATE_FIELDS, REASON_HEADER, Prepared, label
from ..profiles.export import defuse
from ..store import Store

__all__ = ["counts", "problems_table", "preview_table", "rejected_table", "rejected_csv", "stored_rejected_csv"]

_SEVERITY = {"error": ("拒绝", "rejected"), "warning": ("提示", "note")}


def counts(prepared: Prepared) -> dict[str, int]:
    """``valid`` rows (to be stored, one per key), ``rejected`` rows, ``notes`` (warnings that reject nothing)."""
    return {"valid": prepared.rows.num_rows, "rejected": prepared.rejected_count,
            "notes": sum(1 for p in prepared.problems if p.severity != "error")}


def problems_table(prepared: Prepared, lang: str) -> pd.DataFrame:
    """row, column, value, severity, reason: the column named as in the file's header language (how the
    uploader wrote it), the severity and reason in ``lang`` (the reader's language)."""
    i = 0 if lang == "zh" else 1
    return pd.DataFrame(
        [{"row": p.row, "column": label(prepared.kind, p.column, prepared.header_lang) if p.column else "",
          "value": p.value or "", "severity": _SEVERITY.get(p.severity, (p.severity, p.severity))[i],
          "reason": p.text(lang)} for p in prepared.problems],
        columns=["row", "column", "value", "severity", "reason"])


def preview_table(prepared: Prepared, lang: str, limit: int = 200) -> pd.DataFrame:
    """The first ``limit`` valid rows, public profile columns only (no contacts, no revenue), headers in
    ``lang``; values as they will be stored (canonical text)."""
    cols = [c.name for c in COLUMNS[prepared.kind]
            if c.name in prepared.rows.column_names and c.name not in PRIVATE_FIELDS]
    head = prepared.rows.select(cols).slice(0, limit).to_pylist()
    return pd.DataFrame([[r[c] for c in cols] for r in head], columns=[label(prepared.kind, c, lang) for c in cols])


def rejected_table(rows: Sequence[tuple[int, dict]], reasons: Iterable[tuple[int, str, str]],
                   lang: str) -> pd.DataFrame:
    """Rejected rows with their original headers and values, plus a reason column in ``lang``.

    ``rows`` are (row number, {original header: raw value}); ``reasons`` are (row number, where, reason)
    with ``where`` the column's header (or "" for the whole row); a row's reasons are joined by "; "."""
    by_row: dict[int, list[str]] = defaultdict(list)
    for row, where, reason in reasons:
        by_row[row].append(f"{where}: {reason}" if where else reason)
    headers = list(dict.fromkeys(h for _, raw in rows for h in raw))
    reason_header = REASON_HEADER["zh" if lang == "zh" else "en"]
    data = [[raw.get(h, "") for h in headers] + ["; ".join(by_row.get(row, []))] for row, raw in rows]
    return pd.DataFrame(data, columns=[*headers, reason_header])


def _csv(table: pd.DataFrame) -> bytes:
    """UTF-8 with BOM; text a spreadsheet would run as a formula gets a leading apostrophe."""
    return table.map(defuse).to_csv(index=False).encode("utf-8-sig")


def rejected_csv(prepared: Prepared, lang: str | None = None) -> bytes:
    """The rejected rows of a checked file as CSV (original headers + reasons in ``lang``, default the
    file's header language)."""
    lang = lang or prepared.header_lang
    reasons = [(p.row, _label(prepared.kind, p.column, lang), p.text(lang)) for p in prepared.problems]
    return _csv(rejected_table(prepared.rejected_raw, reasons, lang))


def stored_rejected_csv(store: Store, upload_id: int, kind: str, lang: str) -> bytes:
    """The rejected rows the store kept for a past upload (``kind`` and header language as recorded in
    ``Store.uploads()``), as :func:`rejected_csv` gives them."""
    zh = lang == "zh"
    reasons = [(int(r.row_number), _label(kind, r.column_name, lang), r.reason_zh if zh else r.reason)
               for r in store.rejections(upload_id).itertuples()]
    return _csv(rejected_table(store.rejected_rows(upload_id), reasons, lang))


def _label(kind: str, column: object, lang: str) -> str:
    if not isinstance(column, str) or not column:
        return ""
    return label(kind, column, lang) if kind in COLUMNS else column
