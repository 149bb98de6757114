"""The store: the only module that talks to DuckDB.

It holds organisations and projects (current versions), every version of every profile, one row per
upload, the rejected rows of each upload with their reasons, and embedding vectors keyed by model and
text hash. Every statement binds its values; the only text ever formatted into SQL is column and table
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
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
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
]
SCHEMA_VERSION = MIGRATIONS[-1][0]


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

    def migrate(self) -> int:
        """Bring the schema forward to ``SCHEMA_VERSION``; returns the version now in force."""
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise RuntimeError(f"{self.path} has schema version {current}, newer than this program's "
                               f"{SCHEMA_VERSION}: upgrade hst-alliance")
        if current == SCHEMA_VERSION or self.read_only:
            return current
        with self._transaction() as cur:
            cur.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
            for version, statements in MIGRATIONS:
                if version <= current:
                    continue
                for statement in statements:
                    cur.execute(statement)
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        return SCHEMA_VERSION

    # ---------------------------------------------------------------- uploads
    def existing(self, kind: str, keys: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
        """Current stored values of ``columns`` for the given keys (used to fill columns a file omits)."""
        key = KEY[kind]
        cols = ", ".join([key, "version", "content_hash", *columns])
        with self._cursor() as cur:
            cur.register("wanted_keys", pd.DataFrame({"k": list(keys)}))
            return cur.execute(
                f"SELECT {cols} FROM {TABLE[kind]} WHERE {key} IN (SELECT k FROM wanted_keys)").df()

    def record_upload(self, record: UploadRecord, rows: pd.DataFrame, rejected_raw: Sequence[tuple[int, dict]],
                      problems: Sequence[tuple[int, str | None, str | None, str, str]],
                      write_rows: bool = True) -> UploadCounts:
        """Store one upload in one transaction: its valid ``rows`` (one per key; all profile columns as
        text plus ``content_hash``; ``None`` for empty), its rejected rows and their problems, and the
        upload's own record. If anything fails, nothing of the upload is kept.

        Rows whose ``content_hash`` equals the stored one change nothing; changed rows get a new version
        (the earlier one stays in the versions table)."""
        kind = record.kind
        key, table, vtable = KEY[kind], TABLE[kind], VERSIONS[kind]
        cols = [n for n, _ in _profile_columns(kind)]
        types = dict(_profile_columns(kind))
        now = dt.datetime.now()
        with self._transaction() as cur:
            upload_id = int(cur.execute("SELECT nextval('upload_seq')").fetchall()[0][0])
            new_keys: list[str] = []
            upd_keys: list[str] = []
            unchanged = 0
            if write_rows and len(rows):
                staged = rows[[*cols, "content_hash"]].copy()
                cur.register("staged", staged)
                cur.execute(f"""CREATE TEMP TABLE staged_cls AS
                    SELECT s.{key} AS k, s.content_hash, t.version AS old_version, t.content_hash AS old_hash
                    FROM staged s LEFT JOIN {table} t ON t.{key} = s.{key}""")
                cls = cur.execute("SELECT k, old_version IS NULL AS is_new, content_hash = old_hash AS same "
                                  "FROM staged_cls").df()
                new_keys = cls.loc[cls["is_new"], "k"].tolist()
                upd_keys = cls.loc[~cls["is_new"] & ~cls["same"].fillna(False).astype(bool), "k"].tolist()
                unchanged = len(cls) - len(new_keys) - len(upd_keys)
                select = ", ".join(self._cast(n, types[n], "s") for n in cols)
                cur.execute(f"""CREATE TEMP TABLE staged_typed AS
                    SELECT {select}, s.content_hash,
                           COALESCE(c.old_version, 0) + 1 AS version
                    FROM staged s JOIN staged_cls c ON c.k = s.{key}
                    WHERE c.old_version IS NULL OR c.old_hash <> c.content_hash""")
                assignments = ", ".join(f"{n} = x.{n}" for n in cols if n != key)
                cur.execute(f"""UPDATE {table} SET {assignments}, version = x.version, content_hash = x.content_hash,
                    upload_id = ?, updated_at = ? FROM staged_typed x WHERE {table}.{key} = x.{key}""",
                            [upload_id, now])
                collist = ", ".join(cols)
                cur.execute(f"""INSERT INTO {table} ({collist}, version, content_hash, upload_id, updated_at)
                    SELECT {collist}, version, content_hash, ?, ? FROM staged_typed
                    WHERE {key} NOT IN (SELECT {key} FROM {table})""", [upload_id, now])
                cur.execute(f"""INSERT INTO {vtable} ({collist}, version, content_hash, upload_id, recorded_at)
                    SELECT {collist}, version, content_hash, ?, ? FROM staged_typed""", [upload_id, now])
                cur.execute("DROP TABLE staged_typed")
                cur.execute("DROP TABLE staged_cls")
                cur.unregister("staged")
            if rejected_raw:
                cur.register("rej_rows", pd.DataFrame({
                    "row_number": [r for r, _ in rejected_raw],
                    "raw": [json.dumps(raw, ensure_ascii=False) for _, raw in rejected_raw]}))
                cur.execute("INSERT INTO rejected_rows SELECT ?, row_number, raw FROM rej_rows", [upload_id])
                cur.unregister("rej_rows")
            if problems:
                cur.register("rej_problems", pd.DataFrame(
                    list(problems), columns=["row_number", "column_name", "value", "reason", "reason_zh"]))
                cur.execute("INSERT INTO rejections SELECT ?, row_number, column_name, value, reason, reason_zh "
                            "FROM rej_problems", [upload_id])
                cur.unregister("rej_problems")
            rejected = len(rejected_raw)
            written = len(new_keys) + len(upd_keys) + unchanged
            status = ("refused" if not write_rows or (rejected and not written)
                      else "partial" if rejected else "stored" if written else "empty")
            cur.execute(
                "INSERT INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [upload_id, kind, record.file_name, record.file_hash, record.file_bytes, record.format,
                 record.encoding, record.header_lang, now, record.strict, record.rows_total, len(new_keys),
                 len(upd_keys), unchanged, rejected, status, list(record.unknown_columns), list(record.notices)])
        return UploadCounts(upload_id, len(new_keys), len(upd_keys), unchanged, rejected, status,
                            tuple(new_keys), tuple(upd_keys))

    @staticmethod
    def _cast(name: str, sql_type: str, alias: str) -> str:
        ref = f"{alias}.{name}"
        if sql_type == "VARCHAR[]":
            return f"CASE WHEN {ref} IS NULL THEN NULL ELSE string_split({ref}, ';') END AS {name}"
        if sql_type == "JSON":
            return f"CAST({ref} AS JSON) AS {name}"
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
                 with_meta: bool = False) -> pd.DataFrame:
        """Current profiles of one kind, in upload-column order. Private fields (contacts, revenue) only
        with ``include_private`` — callers showing one party's data to another must leave it off."""
        cols = [n for n, _ in _profile_columns(kind) if include_private or n not in PRIVATE_FIELDS]
        if with_meta:
            cols += ["version", "content_hash", "upload_id", "updated_at"]
        key = KEY[kind]
        sql = f"SELECT {', '.join(cols)} FROM {TABLE[kind]}"
        with self._cursor() as cur:
            if keys is not None:
                cur.register("wanted_keys", pd.DataFrame({"k": list(keys)}))
                sql += f" WHERE {key} IN (SELECT k FROM wanted_keys)"
            return cur.execute(sql + f" ORDER BY {key}").df()

    def profile(self, kind: str, key: str, *, include_private: bool = False) -> dict[str, Any] | None:
        df = self.profiles(kind, include_private=include_private, keys=[key], with_meta=True)
        return None if df.empty else _record(df.iloc[0])

    def history(self, kind: str, key: str) -> pd.DataFrame:
        """Every version of one profile, oldest first (private fields included: for its owner and staff)."""
        with self._cursor() as cur:
            return cur.execute(f"SELECT * FROM {VERSIONS[kind]} WHERE {KEY[kind]} = ? ORDER BY version",
                               [key]).df()

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

    # ---------------------------------------------------------------- embeddings
    def get_vectors(self, model_id: str, text_hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors of ``model_id`` for these text hashes (missing ones are simply absent)."""
        if not len(text_hashes):
            return {}
        with self._cursor() as cur:
            cur.register("wanted_hashes", pd.DataFrame({"h": list(dict.fromkeys(text_hashes))}))
            rows = cur.execute("""SELECT text_hash, vector FROM embeddings
                WHERE model_id = ? AND text_hash IN (SELECT h FROM wanted_hashes)""", [model_id]).fetchall()
        return {h: np.frombuffer(v, dtype=np.float32) for h, v in rows}

    def put_vectors(self, model_id: str, text_hashes: Sequence[str], vectors: np.ndarray) -> int:
        """Store vectors (float32) for text hashes; existing (model, hash) pairs are left as they are."""
        if not len(text_hashes):
            return 0
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        frame = pd.DataFrame({"h": list(text_hashes), "v": [row.tobytes() for row in vectors]})
        frame = frame.drop_duplicates("h")
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
