"""The store: the only module that talks to DuckDB.

It holds organisations and projects (current versions), every earlier version of every profile (the
``*_versions`` tables: a version moves there when an upload changes it), one row per upload, the
rejected rows of each upload with their reasons, and embedding vectors keyed by model and text hash. Every statement binds its values; the only text ever formatted into SQL is column and table
names taken from this module's own constants.

Concurrency: within a process every call runs on its own cursor and writes are serialised by a lock.
Across processes DuckDB allows one process to hold the file; a ``Store(transient=True)`` (the app)
opens the file per call and closes it at once, and every open retries while another process holds
the lock, so a terminal ``hst ingest`` waits for the app instead of failing.

It must not validate or interpret profile content: ``ingest`` does that and hands over clean rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pyarrow as pa

if TYPE_CHECKING:  # pandas is imported only where a DataFrame is made: `hst ingest` starts faster
    import pandas as pd

from .profiles import COLUMNS, PRIVATE_FIELDS

__all__ = ["Store", "StoreBusy", "SCHEMA_VERSION", "UploadRecord", "UploadCounts", "KEY", "TABLE"]

KEY = {"organisations": "credit_code", "projects": "project_id"}
TABLE = {"organisations": "organisations", "projects": "projects"}
VERSIONS = {"organisations": "organisation_versions", "projects": "project_versions"}

_SQL_TYPES = {"number": "DECIMAL(18,4)", "int": "BIGINT", "year": "INTEGER", "list": "VARCHAR[]"}


def _profile_columns(kind: str) -> list[tuple[str, str]]:
    cols = [(c.name, _SQL_TYPES.get(c.kind, "VARCHAR")) for c in COLUMNS[kind]]
    return [*cols, ("district_adcode", "VARCHAR"), ("extra", "JSON")]


# The content hash of a profile row is DuckDB's hash() of its typed values: several times faster than
# md5 over their text, but DuckDB does not promise that hash() stays the same across its versions. So the
# function in use is recorded in `meta`, and every stored hash is recomputed when it changes (see migrate).
HASH_FUNCTION = f"hash() of duckdb {duckdb.__version__}"


def _hash_sql(kind: str, alias: str) -> str:
    """SQL for the content hash of a profile row (over every profile column, in order)."""
    prefix = f"{alias}." if alias else ""
    return f"CAST(hash({', '.join(prefix + n for n, _ in _profile_columns(kind))}) AS VARCHAR)"


def _create_profile_tables(kind: str) -> list[str]:
    key = KEY[kind]
    body = ",\n  ".join(f"{n} {t}" + (" PRIMARY KEY" if n == key else "") for n, t in _profile_columns(kind))
    vbody = ",\n  ".join(f"{n} {t}" for n, t in _profile_columns(kind))
    return [
        f"""CREATE TABLE {TABLE[kind]} (
  {body},
  version INTEGER NOT NULL,
  content_hash VARCHAR NOT NULL,
  upload_id BIGINT,
  updated_at TIMESTAMP NOT NULL)""",
        f"""CREATE TABLE {VERSIONS[kind]} (
  {vbody},
  version INTEGER NOT NULL,
  content_hash VARCHAR NOT NULL,
  upload_id BIGINT,
  recorded_at TIMESTAMP NOT NULL,
  PRIMARY KEY ({key}, version))""",
    ]


# Forward-only migrations: (version, statements). Never edit a released step; add a new one.
MIGRATIONS: list[tuple[int, list[str]]] = [
    (1, [
        "CREATE SEQUENCE upload_seq START 1",
        """CREATE TABLE uploads (
  upload_id BIGINT PRIMARY KEY,
  kind VARCHAR NOT NULL,
  file_name VARCHAR NOT NULL,
  file_hash VARCHAR NOT NULL,
  file_bytes BIGINT,
  format VARCHAR,
  encoding VARCHAR,
  header_lang VARCHAR,
  received_at TIMESTAMP NOT NULL,
  strict BOOLEAN NOT NULL,
  rows_total INTEGER NOT NULL,
  rows_new INTEGER NOT NULL,
  rows_updated INTEGER NOT NULL,
  rows_unchanged INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  status VARCHAR NOT NULL,
  unknown_columns VARCHAR[],
  notices VARCHAR[])""",
        """CREATE TABLE rejected_rows (
  upload_id BIGINT NOT NULL,
  row_number INTEGER NOT NULL,
  raw JSON NOT NULL,
  PRIMARY KEY (upload_id, row_number))""",
        """CREATE TABLE rejections (
  upload_id BIGINT NOT NULL,
  row_number INTEGER NOT NULL,
  column_name VARCHAR,
  value VARCHAR,
  reason VARCHAR NOT NULL,
  reason_zh VARCHAR NOT NULL)""",
        """CREATE TABLE embeddings (
  model_id VARCHAR NOT NULL,
  text_hash VARCHAR NOT NULL,
  dim INTEGER NOT NULL,
  vector BLOB NOT NULL,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (model_id, text_hash))""",
        *_create_profile_tables("organisations"),
        *_create_profile_tables("projects"),
    ]),
    # 2: the versions tables keep *earlier* versions only (the current one lives in the profile table, so a
    # first upload writes each profile once); content hashes are computed by DuckDB over the typed values
    # (recomputed by migrate(), see HASH_FUNCTION); upload notices are kept in Chinese too; upload ids are max + 1 within the upload's
    # transaction, so a failed upload leaves no trace (a sequence's increments survive a rollback).
    (2, [
        *[f"""DELETE FROM {VERSIONS[k]} WHERE ({KEY[k]}, version) IN (SELECT {KEY[k]}, version FROM {TABLE[k]})"""
          for k in ("organisations", "projects")],
        "ALTER TABLE uploads ADD COLUMN notices_zh VARCHAR[]",
        "DROP SEQUENCE upload_seq",
    ]),
    # 3: the follow-up of suggested pairs (see matchmaking.shortlist): current status per pair, and every
    # change as an event, so staff can see who moved a pair when.
    (3, [
        """CREATE TABLE shortlist (
  query_id VARCHAR NOT NULL,
  candidate_id VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  reason_code VARCHAR,
  note VARCHAR,
  updated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (query_id, candidate_id))""",
        """CREATE TABLE shortlist_events (
  query_id VARCHAR NOT NULL,
  candidate_id VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  reason_code VARCHAR,
  note VARCHAR,
  changed_at TIMESTAMP NOT NULL)""",
    ]),
    # 4: stored results of `hst match --all --store`, for pages that summarise everyone's matches (flows,
    # alliances) on data too large to match on the fly; valid for one data version and one model.
    (4, [
        """CREATE TABLE match_results (
  data_version BIGINT NOT NULL,
  model_id VARCHAR NOT NULL,
  query_id VARCHAR NOT NULL,
  query_kind VARCHAR NOT NULL,
  rank INTEGER NOT NULL,
  candidate_id VARCHAR NOT NULL,
  candidate_kind VARCHAR NOT NULL,
  score DOUBLE NOT NULL,
  relation VARCHAR NOT NULL,
  PRIMARY KEY (data_version, model_id, query_id, rank))""",
    ]),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]

# Test-only hook: seconds to wait inside the upload transaction, just before COMMIT, after printing a marker
# line on stderr; the crash-safety test kills the process there. Never set it outside tests.
PAUSE_ENV = "HST_TEST_PAUSE_IN_TRANSACTION"
PAUSE_MARKER = "HST_TEST: inside upload transaction"


class StoreBusy(RuntimeError):
    """Another process has held the database file for longer than the wait allowed."""


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


@dataclass(frozen=True)
class UploadCounts:
    upload_id: int
    new: int
    updated: int
    unchanged: int
    rejected: int
    status: str  # stored | partial | refused | empty
    new_keys: tuple[str, ...] = field(default=(), repr=False)
    updated_keys: tuple[str, ...] = field(default=(), repr=False)


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text or "resource temporarily" in text)


class Store:
    """A DuckDB file holding profiles, their history, uploads and embeddings.

    ``transient=True`` opens the file for each call and closes it straight after, so that other
    processes (``hst ingest`` while the app runs) can take their turn; ``wait_seconds`` is how long an
    open waits for another process to let go of the file.
    """

    def __init__(self, path: str | Path, *, transient: bool = False, wait_seconds: float = 60.0,
                 read_only: bool = False) -> None:
        self.path = Path(path)
        self.transient = transient
        self.wait_seconds = wait_seconds
        self.read_only = read_only
        self._write_lock = threading.RLock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._session: duckdb.DuckDBPyConnection | None = None
        self._session_owner: int | None = None
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if not transient:
            self._con = self._open()
        self.migrate()

    # ---------------------------------------------------------------- connections
    def _open(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.wait_seconds
        delay = 0.05
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=self.read_only)
            except duckdb.Error as exc:
                if not _is_lock_error(exc) or time.monotonic() >= deadline:
                    if _is_lock_error(exc):
                        raise StoreBusy(f"{self.path} is held by another process and was not released within "
                                        f"{self.wait_seconds:.0f} s") from exc
                    raise
                time.sleep(delay)
                delay = min(delay * 1.5, 0.5)

    @contextlib.contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if self._session is not None and self._session_owner == threading.get_ident():
            cur = self._session.cursor()
            try:
                yield cur
            finally:
                cur.close()
            return
        if self._con is not None:
            cur = self._con.cursor()
            try:
                yield cur
            finally:
                cur.close()
            return
        con = self._open()
        try:
            yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def session(self) -> Iterator[Store]:
        """Hold the file open for a block of calls (a transient store otherwise reopens per call)."""
        if self._con is not None or self._session is not None:
            yield self
            return
        self._session = self._open()
        self._session_owner = threading.get_ident()
        try:
            yield self
        finally:
            con, self._session, self._session_owner = self._session, None, None
            con.close()

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._write_lock, self._cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    # ---------------------------------------------------------------- schema
    def schema_version(self) -> int:
        with self._cursor() as cur:
            exists = cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'").fetchall()
            if not exists[0][0]:
                return 0
            rows = cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        return int(rows[0][0]) if rows else 0

    def _hash_function(self) -> str | None:
        with self._cursor() as cur:
            exists = cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'").fetchall()
            if not exists[0][0]:
                return None
            rows = cur.execute("SELECT value FROM meta WHERE key = 'content_hash_function'").fetchall()
        return rows[0][0] if rows else None

    def migrate(self) -> int:
        """Bring the schema forward to ``SCHEMA_VERSION`` (and the content hashes to ``HASH_FUNCTION``);
        returns the version now in force. A database from a newer program is refused."""
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise RuntimeError(f"{self.path} has schema version {current}, newer than this program's "
                               f"{SCHEMA_VERSION}: upgrade hst-alliance")
        hashes_stale = self._hash_function() != HASH_FUNCTION
        if self.read_only or (current == SCHEMA_VERSION and not hashes_stale):
            return current
        with self._transaction() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
            for version, statements in MIGRATIONS:
                if version <= current:
                    continue
                for statement in statements:
                    cur.execute(statement)
            for kind in KEY:  # only the hash column changes: an in-place update
                cur.execute(f"UPDATE {TABLE[kind]} SET content_hash = {_hash_sql(kind, '')}")
                cur.execute(f"UPDATE {VERSIONS[kind]} SET content_hash = {_hash_sql(kind, '')}")
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('content_hash_function', ?)", [HASH_FUNCTION])
        return SCHEMA_VERSION

    # ---------------------------------------------------------------- uploads
    def existing(self, kind: str, keys: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
        """Current stored values of ``columns`` for the given keys (used to fill columns a file omits)."""
        key = KEY[kind]
        cols = ", ".join([key, "version", "content_hash", *columns])
        with self._cursor() as cur:
            cur.register("wanted_keys", pa.table({"k": pa.array(list(keys), type=pa.string())}))
            return cur.execute(
                f"SELECT {cols} FROM {TABLE[kind]} WHERE {key} IN (SELECT k FROM wanted_keys)").df()

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
                       rows_rejected, status, unknown_columns, notices, notices_zh)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [upload_id, kind, record.file_name, record.file_hash, record.file_bytes, record.format,
                 record.encoding, record.header_lang, now, record.strict, record.rows_total, len(new_keys),
                 len(upd_keys), unchanged, rejected, status, list(record.unknown_columns), list(record.notices),
                 list(record.notices_zh)])
            pause = os.environ.get(PAUSE_ENV)
            if pause:  # test-only: see PAUSE_ENV
                print(PAUSE_MARKER, file=sys.stderr, flush=True)
                time.sleep(float(pause))
        return UploadCounts(upload_id, len(new_keys), len(upd_keys), unchanged, rejected, status,
                            tuple(new_keys), tuple(upd_keys))

    def _merge_rows(self, cur: duckdb.DuckDBPyConnection, kind: str, rows: pa.Table, upload_id: int,
                    now: dt.datetime) -> tuple[list[str], list[str], int]:
        key, table, vtable = KEY[kind], TABLE[kind], VERSIONS[kind]
        cols = [n for n, _ in _profile_columns(kind)]
        types = dict(_profile_columns(kind))
        defaults = {c.name: c.default for c in COLUMNS[kind] if c.default is not None}
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
                SELECT {collist}, 1, {_hash_sql(kind, '')}, ?, ? FROM (
                    SELECT {', '.join(exprs)} FROM staged s LEFT JOIN {table} t ON false)""",
                        [upload_id, now, *params])
            cur.unregister("staged")
            keys = rows.column(key).to_pylist()
            return keys, [], 0
        cur.execute(f"""CREATE TEMP TABLE staged_typed AS
            SELECT *, {_hash_sql(kind, '')} AS content_hash FROM (
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

    def uploads(self, limit: int = 100) -> pd.DataFrame:
        with self._cursor() as cur:
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

    # ---------------------------------------------------------------- profiles
    def profiles(self, kind: str, *, include_private: bool = False, keys: Sequence[str] | None = None,
                 with_meta: bool = False, exact: bool = False) -> pd.DataFrame:
        """Current profiles of one kind, in upload-column order. Private fields (contacts, revenue) only
        with ``include_private`` — callers showing one party's data to another must leave it off.
        ``exact`` gives amounts as ``Decimal`` (as stored) instead of float, for export."""
        cols = [n for n, _ in _profile_columns(kind) if include_private or n not in PRIVATE_FIELDS]
        if with_meta:
            cols += ["version", "content_hash", "upload_id", "updated_at"]
        key = KEY[kind]
        sql = f"SELECT {', '.join(cols)} FROM {TABLE[kind]}"
        with self._cursor() as cur:
            if keys is not None:
                cur.register("wanted_keys", pa.table({"k": pa.array(list(keys), type=pa.string())}))
                sql += f" WHERE {key} IN (SELECT k FROM wanted_keys)"
            result = cur.execute(sql + f" ORDER BY {key}")
            if not exact:
                return result.df()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "Arrow output on a DB-API result makes an extra copy"
                return result.to_arrow_table().to_pandas()

    def profile(self, kind: str, key: str, *, include_private: bool = False) -> dict[str, Any] | None:
        df = self.profiles(kind, include_private=include_private, keys=[key], with_meta=True)
        return None if df.empty else _record(df.iloc[0])

    def history(self, kind: str, key: str) -> pd.DataFrame:
        """Every version of one profile, the current one included, oldest first (private fields included:
        for its owner and staff). ``recorded_at`` is when the version was stored."""
        cols = ", ".join(n for n, _ in _profile_columns(kind))
        with self._cursor() as cur:
            return cur.execute(f"""
                SELECT {cols}, version, content_hash, upload_id, recorded_at FROM {VERSIONS[kind]}
                WHERE {KEY[kind]} = ?
                UNION ALL
                SELECT {cols}, version, content_hash, upload_id, updated_at AS recorded_at FROM {TABLE[kind]}
                WHERE {KEY[kind]} = ?
                ORDER BY version""", [key, key]).df()

    def count(self, kind: str) -> int:
        with self._cursor() as cur:
            return int(cur.execute(f"SELECT count(*) FROM {TABLE[kind]}").fetchall()[0][0])

    def counts_by(self, kind: str, column: str) -> pd.DataFrame:
        if column not in dict(_profile_columns(kind)):
            raise ValueError(f"counts_by: unknown column {column!r} for {kind}")
        with self._cursor() as cur:
            return cur.execute(f"SELECT {column} AS value, count(*) AS n FROM {TABLE[kind]} "
                               f"GROUP BY ALL ORDER BY n DESC, value").df()

    def find(self, kind: str, text: str, limit: int = 20) -> pd.DataFrame:
        """Profiles whose key or name/title contains ``text`` (case-insensitive), for pickers."""
        key = KEY[kind]
        name = "name" if kind == "organisations" else "title"
        with self._cursor() as cur:
            return cur.execute(f"""SELECT {key} AS id, {name} AS name, city FROM {TABLE[kind]}
                WHERE {key} ILIKE ? OR {name} ILIKE ? ORDER BY {name} LIMIT ?""",
                               [f"%{text}%", f"%{text}%", limit]).df()

    def data_version(self) -> int:
        """A number that changes whenever profiles may have changed (the latest upload's id)."""
        with self._cursor() as cur:
            return int(cur.execute("SELECT coalesce(max(upload_id), 0) FROM uploads").fetchall()[0][0])

    # ---------------------------------------------------------------- stored match results
    def save_match_results(self, data_version: int, model_id: str, rows: pd.DataFrame) -> int:
        """Replace the stored results with ``rows`` (query_id, query_kind, rank, candidate_id,
        candidate_kind, score, relation) computed for ``data_version`` and ``model_id``."""
        cols = ["query_id", "query_kind", "rank", "candidate_id", "candidate_kind", "score", "relation"]
        frame = rows[cols].copy()
        with self._transaction() as cur:
            cur.execute("DELETE FROM match_results")
            cur.register("new_results", frame)
            cur.execute("INSERT INTO match_results SELECT ?, ?, * FROM new_results", [data_version, model_id])
            cur.unregister("new_results")
        return len(frame)

    def match_results(self, data_version: int, model_id: str) -> pd.DataFrame | None:
        """The stored results if they were computed for this data version and model, else None."""
        with self._cursor() as cur:
            df = cur.execute("""SELECT query_id, query_kind, rank, candidate_id, candidate_kind, score, relation
                FROM match_results WHERE data_version = ? AND model_id = ? ORDER BY query_id, rank""",
                             [data_version, model_id]).df()
        return df if len(df) else None

    # ---------------------------------------------------------------- shortlist
    def shortlist(self, query_id: str | None = None) -> pd.DataFrame:
        """The followed-up pairs (of one query, or all), latest change first."""
        sql = "SELECT query_id, candidate_id, status, reason_code, note, updated_at FROM shortlist"
        with self._cursor() as cur:
            if query_id is None:
                return cur.execute(sql + " ORDER BY updated_at DESC").df()
            return cur.execute(sql + " WHERE query_id = ? ORDER BY updated_at DESC", [query_id]).df()

    def set_shortlist_status(self, query_id: str, candidate_id: str, status: str, reason_code: str | None = None,
                             note: str | None = None) -> None:
        """Move a pair to ``status`` (a step ``shortlist.check_transition`` allows), keeping the event."""
        from .shortlist import check_transition

        now = dt.datetime.now()
        with self._transaction() as cur:
            old = cur.execute("SELECT status FROM shortlist WHERE query_id = ? AND candidate_id = ?",
                              [query_id, candidate_id]).fetchall()
            check_transition(old[0][0] if old else None, status, reason_code)
            if status != "declined":
                reason_code = None
            cur.execute("""INSERT INTO shortlist VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (query_id, candidate_id) DO UPDATE SET status = excluded.status,
                reason_code = excluded.reason_code, note = excluded.note, updated_at = excluded.updated_at""",
                        [query_id, candidate_id, status, reason_code, note, now])
            cur.execute("INSERT INTO shortlist_events VALUES (?, ?, ?, ?, ?, ?)",
                        [query_id, candidate_id, status, reason_code, note, now])

    def shortlist_events(self, query_id: str, candidate_id: str) -> pd.DataFrame:
        with self._cursor() as cur:
            return cur.execute("""SELECT status, reason_code, note, changed_at FROM shortlist_events
                WHERE query_id = ? AND candidate_id = ? ORDER BY changed_at""", [query_id, candidate_id]).df()

    # ---------------------------------------------------------------- embeddings
    def get_vectors(self, model_id: str, text_hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors of ``model_id`` for these text hashes (missing ones are simply absent)."""
        if not len(text_hashes):
            return {}
        with self._cursor() as cur:
            cur.register("wanted_hashes", pa.table({"h": pa.array(list(dict.fromkeys(text_hashes)),
                                                                  type=pa.string())}))
            rows = cur.execute("""SELECT text_hash, vector FROM embeddings
                WHERE model_id = ? AND text_hash IN (SELECT h FROM wanted_hashes)""", [model_id]).fetchall()
        return {h: np.frombuffer(v, dtype=np.float32) for h, v in rows}

    def put_vectors(self, model_id: str, text_hashes: Sequence[str], vectors: np.ndarray) -> int:
        """Store vectors (float32) for text hashes; existing (model, hash) pairs are left as they are."""
        if not len(text_hashes):
            return 0
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        first: dict[str, bytes] = {}
        for h, row in zip(text_hashes, vectors, strict=True):
            first.setdefault(h, row.tobytes())
        frame = pa.table({"h": pa.array(list(first), type=pa.string()),
                          "v": pa.array(list(first.values()), type=pa.binary())})
        with self._transaction() as cur:
            cur.register("new_vectors", frame)
            before = cur.execute("SELECT count(*) FROM embeddings WHERE model_id = ?", [model_id]).fetchall()[0][0]
            cur.execute("""INSERT INTO embeddings
                SELECT ?, h, ?, v, now() FROM new_vectors
                WHERE h NOT IN (SELECT text_hash FROM embeddings WHERE model_id = ?)""",
                        [model_id, int(vectors.shape[1]), model_id])
            after = cur.execute("SELECT count(*) FROM embeddings WHERE model_id = ?", [model_id]).fetchall()[0][0]
            cur.unregister("new_vectors")
        return int(after - before)

    def embedding_models(self) -> pd.DataFrame:
        with self._cursor() as cur:
            return cur.execute("SELECT model_id, dim, count(*) AS n FROM embeddings GROUP BY ALL ORDER BY 1").df()

    def delete_vectors(self, model_id: str) -> int:
        with self._transaction() as cur:
            n = cur.execute("SELECT count(*) FROM embeddings WHERE model_id = ?", [model_id]).fetchall()[0][0]
            cur.execute("DELETE FROM embeddings WHERE model_id = ?", [model_id])
        return int(n)


def _record(row: pd.Series) -> dict[str, Any]:
    import pandas as pd

    out: dict[str, Any] = {}
    for k, v in row.items():
        if isinstance(v, float) and np.isnan(v):
            v = None
        elif v is pd.NA or v is pd.NaT:
            v = None
        elif isinstance(v, np.ndarray):
            v = v.tolist()
        elif isinstance(v, np.generic):
            v = v.item()
        out[str(k)] = v
    return out
