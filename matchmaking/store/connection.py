"""Opening the DuckDB file: one cursor per call, one write at a time, waiting for another process's lock,
and bringing the schema forward.

Concurrency: within a process every call runs on its own cursor and writes are serialised by a lock.
Across processes DuckDB allows one process to hold the file; a transient connection (the app) opens the
file per call and closes it at once, and every open retries while another process holds the lock, so a
terminal ``hst ingest`` waits for the app instead of failing. Within a process, connections to one file
are opened and closed one at a time (``_OPENING``): DuckDB 2.0 loses the Python client's table functions
('python_arrow_scan does not exist') when threads open and close connections to one file at once — the
app's sessions and its background index refresh do.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Self

import duckdb

from ..profiles.contract import KEY
from .schema import HASH_FUNCTION, MIGRATIONS, SCHEMA_VERSION, TABLE, VERSIONS, hash_sql

__all__ = ["Connection", "StoreBusy"]


_OPENING = threading.Lock()  # one open or close of a DuckDB connection at a time in this process


class StoreBusy(RuntimeError):
    """Another process has held the database file for longer than the wait allowed."""


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text or "resource temporarily" in text)


class Connection:
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
                with _OPENING:
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
            with _OPENING:
                con.close()

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> Self:
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
                cur.execute(f"UPDATE {TABLE[kind]} SET content_hash = {hash_sql(kind, '')}")
                cur.execute(f"UPDATE {VERSIONS[kind]} SET content_hash = {hash_sql(kind, '')}")
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
            cur.execute("INSERT OR REPLACE INTO meta VALUES ('content_hash_function', ?)", [HASH_FUNCTION])
        return SCHEMA_VERSION
