"""What the upload page shows about a file: its validation report, a preview of the valid rows, and
the rejected rows as a file to fix and re-submit (for the file just checked, or any past upload).

Validation itself is ``profiles.prepare``; storing is ``services.commit``. This module only shapes their
results into tables and bytes, and never imports streamlit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

import pandas as pd

from ..profiles import COLUMNS, KEY, PRIVATE_FIELDS, REASON_HEADER, Prepared, label
from ..profiles.export import defuse
from ..profiles.validate import short
from ..store import Store
from .links import party_url
from .names import value_text

__all__ = ["counts", "problems_table", "preview_table", "rejected_table", "rejected_csv", "stored_rejected_csv"]

_SEVERITY = {"error": ("拒绝", "rejected"), "warning": ("提示", "note")}


def counts(prepared: Prepared) -> dict[str, int]:
    """``valid`` rows (to be stored, one per key), ``rejected`` rows, ``notes`` (warnings that reject nothing)."""
    return {"valid": prepared.rows.num_rows, "rejected": prepared.rejected_count,
            "notes": sum(1 for p in prepared.problems if p.severity != "error")}


def _without_lead(reason: str, kind: str, column: str | None, value: str | None, lang: str) -> str:
    """A reason without the column and value it starts with (``员工人数“约120人”是估计值…`` → ``是估计值…``):
    the table shows them in their own columns, so the reason's own words get the room. The whole reason
    when it starts otherwise."""
    if not column or value is None:
        return reason
    col = next((c for c in COLUMNS.get(kind, ()) if c.name == column), None)
    if col is None:
        return reason
    lead = f"{col.zh}“{short(value)}”" if lang == "zh" else f"{col.name} {short(value)!r}"
    if not reason.startswith(lead):
        return reason
    rest = reason[len(lead):].lstrip(" ：:，,")
    return rest or reason


def problems_table(prepared: Prepared, lang: str) -> pd.DataFrame:
    """row, column, value, severity, reason: the column named as in the file's header language (how the
    uploader wrote it), the severity and reason in ``lang`` (the reader's language). ``reason`` leaves out
    the column and value it would repeat; ``full_reason`` is the whole text (as the rejected-rows file has
    it)."""
    i = 0 if lang == "zh" else 1
    return pd.DataFrame(
        [{"row": p.row, "column": label(prepared.kind, p.column, prepared.header_lang) if p.column else "",
          "value": p.value or "", "severity": _SEVERITY.get(p.severity, (p.severity, p.severity))[i],
          "reason": _without_lead(p.text(lang), prepared.kind, p.column, p.value, lang),
          "full_reason": p.text(lang)} for p in prepared.problems],
        columns=["row", "column", "value", "severity", "reason", "full_reason"])


def preview_table(prepared: Prepared, lang: str, limit: int = 200, stored: Collection[str] = ()) -> pd.DataFrame:
    """The first ``limit`` valid rows, public profile columns only (no contacts, no revenue), headers in
    ``lang`` and values as people read them in ``lang`` (苏州 / Suzhou, 企业 / enterprise: ``names.value_text``).
    A first column ``link`` leads to the page of each row already ``stored`` (by key), else is empty."""
    cols = [c.name for c in COLUMNS[prepared.kind]
            if c.name in prepared.rows.column_names and c.name not in PRIVATE_FIELDS]
    have = set(prepared.rows.column_names)
    head = prepared.rows.slice(0, limit).to_pylist()
    key, name = KEY[prepared.kind], "name" if prepared.kind == "organisations" else "title"
    stored = set(stored)
    rows = []
    for r in head:
        link = (party_url("profile", prepared.kind, r[key], lang, r.get(name) or r[key]) if r[key] in stored
                else None)
        rows.append([link, *(value_text(c, r[c], lang, r.get("district_adcode") if "district_adcode" in have else None)
                             for c in cols)])
    return pd.DataFrame(rows, columns=["link", *(label(prepared.kind, c, lang) for c in cols)])


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
