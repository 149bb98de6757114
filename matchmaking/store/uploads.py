"""Uploads: one transaction per file writes its valid rows (new versions of changed profiles, the
replaced versions kept), its rejected rows as they were sent with their reasons, and the upload's record.

It must not validate or interpret profile content: ``profiles.prepare`` does that and hands over clean
rows. Every statement binds its values; the only text formatted into SQL is column and table names
taken from the schema's own constants.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pyarrow as pa

from ..profiles.contract import KEY, STORED_COLUMNS
from .connection import Connection
from .schema import TABLE, VERSIONS, hash_sql, profile_columns

if TYPE_CHECKING:  # pandas is imported only where a DataFrame is made: `hst ingest` starts faster
    import pandas as pd

__all__ = ["Uploads", "UploadRecord", "UploadCounts", "PAUSE_ENV", "PAUSE_MARKER"]

# Test-only hook: seconds to wait inside the upload transaction, just before COMMIT, after printing a marker
# line on stderr; the crash-safety test kills the process there. Never set it outside tests.
PAUSE_ENV = "HST_TEST_PAUSE_IN_TRANSACTION"
PAUSE_MARKER = "HST_TEST: inside upload transaction"


@dataclass(frozen=True)
class UploadRecord:
    """What the store records about one upload besides its rows."""

    kind: str
    file_name: str
    file_hash: str
    file_bytes: int
    format: str
    encoding: str
    header_lang: str
    strict: bool
    rows_total: int
    unknown_columns: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    notices_zh: tuple[str, ...] = ()
    uploaded_by: str | None = None  # the account (None: the command line, or before schema 8)


@dataclass(frozen=True)
class UploadCounts:
    upload_id: int
    new: int
    updated: int
    unchanged: int
    rejected: int
    status: str  # stored | partial | refused | empty (| compared: counts of a dry run, nothing stored)
    new_keys: tuple[str, ...] = field(default=(), repr=False)
    updated_keys: tuple[str, ...] = field(default=(), repr=False)


class _Rollback(Exception):
    """Raised inside a transaction to undo it (``compare_rows``)."""


class Uploads(Connection):
    """The upload tables: ``uploads``, ``rejected_rows``, ``rejections``, and the profile tables' writes."""

    def record_upload(self, record: UploadRecord, rows: pa.Table | pd.DataFrame | None,
                      rejected_raw: Sequence[tuple[int, dict]],
                      problems: Sequence[tuple[int, str | None, str | None, str, str]],
                      write_rows: bool = True) -> UploadCounts:
        """Store one upload in one transaction: its valid ``rows``, its rejected rows and their problems, and
        the upload's own record. If anything fails (or the process dies), nothing of the upload is kept.

        ``rows`` holds one row per key as canonical text (``""`` or null = empty) with the key and any
        subset of the profile columns: a column it lacks keeps the stored value (a new profile gets the
        column's default); an empty cell clears the value; ``extra`` (JSON) is merged into the stored one
        key by key. Rows whose merged content equals the stored one change nothing; changed rows get a new
        version and the one they replace moves to the versions table."""
        kind = record.kind
        now = dt.datetime.now()
        if rows is not None and not isinstance(rows, pa.Table):  # a pandas DataFrame
            rows = pa.Table.from_pandas(rows.astype(object).where(rows.notna(), None), preserve_index=False)
        if rows is not None and "content_hash" in rows.column_names:  # the store computes it (schema 2 on)
            rows = rows.drop_columns(["content_hash"])
        with self._transaction() as cur:
            # max + 1 inside the transaction (not a sequence, whose increments survive a rollback)
            upload_id = int(cur.execute("SELECT coalesce(max(upload_id), 0) + 1 FROM uploads").fetchall()[0][0])
            new_keys: list[str] = []
            upd_keys: list[str] = []
            unchanged = 0
            if write_rows and rows is not None and rows.num_rows:
                new_keys, upd_keys, unchanged = self._merge_rows(cur, kind, rows, upload_id, now)
            if rejected_raw:
                cur.register("rej_rows", pa.table({
                    "row_number": pa.array([r for r, _ in rejected_raw], type=pa.int32()),
                    "raw": pa.array([json.dumps(raw, ensure_ascii=False) for _, raw in rejected_raw],
                                    type=pa.string())}))
                cur.execute("INSERT INTO rejected_rows SELECT ?, row_number, raw FROM rej_rows", [upload_id])
                cur.unregister("rej_rows")
            if problems:
                cur.register("rej_problems", pa.table({
                    name: pa.array([p[i] for p in problems], type=pa.int32() if i == 0 else pa.string())
                    for i, name in enumerate(["row_number", "column_name", "value", "reason", "reason_zh"])}))
                cur.execute("INSERT INTO rejections SELECT ?, row_number, column_name, value, reason, reason_zh "
                            "FROM rej_problems", [upload_id])
                cur.unregister("rej_problems")
            rejected = len(rejected_raw)
            written = len(new_keys) + len(upd_keys) + unchanged
            status = ("refused" if not write_rows or (rejected and not written)
                      else "partial" if rejected else "stored" if written else "empty")
            cur.execute(
                """INSERT INTO uploads (upload_id, kind, file_name, file_hash, file_bytes, format, encoding,
                       header_lang, received_at, strict, rows_total, rows_new, rows_updated, rows_unchanged,
                       rows_rejected, status, unknown_columns, notices, notices_zh, uploaded_by)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [upload_id, kind, record.file_name, record.file_hash, record.file_bytes, record.format,
                 record.encoding, record.header_lang, now, record.strict, record.rows_total, len(new_keys),
                 len(upd_keys), unchanged, rejected, status, list(record.unknown_columns), list(record.notices),
                 list(record.notices_zh), record.uploaded_by])
            pause = os.environ.get(PAUSE_ENV)
            if pause:  # test-only: see PAUSE_ENV
                print(PAUSE_MARKER, file=sys.stderr, flush=True)
                time.sleep(float(pause))
        return UploadCounts(upload_id, len(new_keys), len(upd_keys), unchanged, rejected, status,
                            tuple(new_keys), tuple(upd_keys))

    def compare_rows(self, kind: str, rows: pa.Table | None) -> UploadCounts:
        """What storing ``rows`` (as ``record_upload`` takes them) would do, without storing anything: how
        many are new, would update a stored profile, or are already stored unchanged. The same merge as an
        upload runs, inside a transaction that is always rolled back, so the counts cannot disagree with
        what a commit then reports (unless another upload comes in between)."""
        if rows is None or not rows.num_rows:
            return UploadCounts(0, 0, 0, 0, 0, "empty")
        if "content_hash" in rows.column_names:
            rows = rows.drop_columns(["content_hash"])
        result: list[tuple[list[str], list[str], int]] = []
        try:
            with self._transaction() as cur:
                result.append(self._merge_rows(cur, kind, rows, 0, dt.datetime.now()))
                raise _Rollback
        except _Rollback:
            pass
        new_keys, upd_keys, unchanged = result[0]
        return UploadCounts(0, len(new_keys), len(upd_keys), unchanged, 0, "compared", tuple(new_keys),
                            tuple(upd_keys))

    def _merge_rows(self, cur: duckdb.DuckDBPyConnection, kind: str, rows: pa.Table, upload_id: int,
                    now: dt.datetime) -> tuple[list[str], list[str], int]:
        key, table, vtable = KEY[kind], TABLE[kind], VERSIONS[kind]
        cols = [n for n, _ in profile_columns(kind)]
        types = dict(profile_columns(kind))
        defaults = {c.name: c.default for c in STORED_COLUMNS[kind] if c.default is not None}
        staged_cols = set(rows.column_names)
        if key not in staged_cols:
            raise ValueError(f"record_upload: rows for {kind} must have the key column {key!r}")
        unknown = staged_cols - set(cols)
        if unknown:
            raise ValueError(f"record_upload: unknown columns for {kind}: {sorted(unknown)}")
        params: list[Any] = []
        exprs = []
        for n in cols:
            if n in staged_cols:
                exprs.append(self._cast(n, types[n], "s"))
            elif n in defaults:
                exprs.append(f"CASE WHEN t.{key} IS NULL THEN ? ELSE t.{n} END AS {n}")
                params.append(defaults[n])
            else:
                exprs.append(f"t.{n} AS {n}")
        cur.register("staged", rows)
        collist = ", ".join(cols)
        existing = cur.execute(f"SELECT count(*) FROM {table} WHERE {key} IN (SELECT {key} FROM staged)").fetchall()
        if not existing[0][0]:  # all new (a first upload): one INSERT straight from the Arrow table
            cur.execute(f"""INSERT INTO {table} ({collist}, version, content_hash, upload_id, updated_at)
                SELECT {collist}, 1, {hash_sql(kind, '')}, ?, ? FROM (
                    SELECT {', '.join(exprs)} FROM staged s LEFT JOIN {table} t ON false)""",
                        [upload_id, now, *params])
            cur.unregister("staged")
            keys = rows.column(key).to_pylist()
            return keys, [], 0
        cur.execute(f"""CREATE TEMP TABLE staged_typed AS
            SELECT *, {hash_sql(kind, '')} AS content_hash FROM (
                SELECT {', '.join(exprs)}, t.version AS old_version, t.content_hash AS old_hash
                FROM staged s LEFT JOIN {table} t ON t.{key} = s.{key})""", params)
        cur.unregister("staged")
        changed = cur.execute(f"""SELECT {key} AS k, old_version IS NULL AS is_new FROM staged_typed
            WHERE old_version IS NULL OR old_hash <> content_hash""").fetchnumpy()
        is_new = np.asarray(changed["is_new"], dtype=bool)
        keys = np.asarray(changed["k"], dtype=object)
        new_keys = [str(k) for k in keys[is_new]]
        upd_keys = [str(k) for k in keys[~is_new]]
        total = int(cur.execute("SELECT count(*) FROM staged_typed").fetchall()[0][0])
        if upd_keys:
            cur.execute(f"""INSERT INTO {vtable} ({collist}, version, content_hash, upload_id, recorded_at)
                SELECT {', '.join(f't.{c}' for c in cols)}, t.version, t.content_hash, t.upload_id, t.updated_at
                FROM {table} t JOIN staged_typed x ON t.{key} = x.{key}
                WHERE x.old_version IS NOT NULL AND x.old_hash <> x.content_hash""")
            # DELETE + INSERT rather than UPDATE: DuckDB rewrites every row an UPDATE touches on a table with
            # list columns and an index, some twenty times slower
            cur.execute(f"""DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM staged_typed
                WHERE old_version IS NOT NULL AND old_hash <> content_hash)""")
            cur.execute(f"""INSERT INTO {table} ({collist}, version, content_hash, upload_id, updated_at)
                SELECT {collist}, old_version + 1, content_hash, ?, ? FROM staged_typed
                WHERE old_version IS NOT NULL AND old_hash <> content_hash""", [upload_id, now])
        if new_keys:
            cur.execute(f"""INSERT INTO {table} ({collist}, version, content_hash, upload_id, updated_at)
                SELECT {collist}, 1, content_hash, ?, ? FROM staged_typed WHERE old_version IS NULL""",
                        [upload_id, now])
        cur.execute("DROP TABLE staged_typed")
        return new_keys, upd_keys, total - len(new_keys) - len(upd_keys)

    @staticmethod
    def _cast(name: str, sql_type: str, alias: str) -> str:
        ref = f"NULLIF({alias}.{name}, '')"
        if sql_type == "VARCHAR[]":
            return f"CASE WHEN {ref} IS NULL THEN NULL ELSE string_split({ref}, ';') END AS {name}"
        if sql_type == "JSON":  # merged key by key into the stored object; a null value removes a key
            return (f"CAST(NULLIF(CAST(json_merge_patch(COALESCE(t.{name}, '{{}}'), COALESCE({ref}, '{{}}')) "
                    f"AS VARCHAR), '{{}}') AS JSON) AS {name}")
        if sql_type == "VARCHAR":
            return f"{ref} AS {name}"
        return f"CAST({ref} AS {sql_type}) AS {name}"

    def uploads(self, limit: int = 100, *, by: str | None = None) -> pd.DataFrame:
        """The latest uploads (of account ``by`` only, when given), latest first."""
        with self._cursor() as cur:
            if by is not None:
                return cur.execute("SELECT * FROM uploads WHERE uploaded_by = ? ORDER BY upload_id DESC LIMIT ?",
                                   [by, limit]).df()
            return cur.execute("SELECT * FROM uploads ORDER BY upload_id DESC LIMIT ?", [limit]).df()

    def rejections(self, upload_id: int) -> pd.DataFrame:
        with self._cursor() as cur:
            return cur.execute("""SELECT row_number, column_name, value, reason, reason_zh FROM rejections
                                  WHERE upload_id = ? ORDER BY row_number, column_name""", [upload_id]).df()

    def rejected_rows(self, upload_id: int) -> list[tuple[int, dict]]:
        with self._cursor() as cur:
            rows = cur.execute("SELECT row_number, raw FROM rejected_rows WHERE upload_id = ? ORDER BY row_number",
                               [upload_id]).fetchall()
        return [(int(r), json.loads(raw)) for r, raw in rows]
