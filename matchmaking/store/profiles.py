"""Reading profiles: the current ones (private fields only on request), one profile's history, counts,
a search by name or key, and the data version that changes with every upload."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from ..profiles.contract import KEY, PRIVATE_FIELDS
from .connection import Connection
from .schema import TABLE, VERSIONS, profile_columns

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Profiles"]


class Profiles(Connection):
    """The profile tables, read."""

    def profiles(self, kind: str, *, include_private: bool = False, keys: Sequence[str] | None = None,
                 with_meta: bool = False, exact: bool = False) -> pd.DataFrame:
        """Current profiles of one kind, in upload-column order. Private fields (contacts, revenue) only
        with ``include_private`` — callers showing one party's data to another must leave it off.
        ``exact`` gives amounts as ``Decimal`` (as stored) instead of float, for export."""
        cols = [n for n, _ in profile_columns(kind) if include_private or n not in PRIVATE_FIELDS]
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
        cols = ", ".join(n for n, _ in profile_columns(kind))
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

    def search(self, kind: str, text: str, limit: int = 20) -> pd.DataFrame:
        """Profiles whose key or name/title contains ``text`` (case-insensitive), for pickers: columns
        id, name, city, by name."""
        key = KEY[kind]
        name = "name" if kind == "organisations" else "title"
        with self._cursor() as cur:
            return cur.execute(f"""SELECT {key} AS id, {name} AS name, city FROM {TABLE[kind]}
                WHERE {key} ILIKE ? OR {name} ILIKE ? ORDER BY {name} LIMIT ?""",
                               [f"%{text}%", f"%{text}%", limit]).df()

    def recent(self, kind: str, limit: int = 10) -> pd.DataFrame:
        """The profiles of one kind stored or changed last: columns id, name, city, type (org type or
        stage), version, updated_at; latest first."""
        key = KEY[kind]
        name, typ = ("name", "org_type") if kind == "organisations" else ("title", "stage")
        with self._cursor() as cur:
            return cur.execute(f"""SELECT {key} AS id, {name} AS name, city, {typ} AS type, version, updated_at
                FROM {TABLE[kind]} ORDER BY updated_at DESC, {key} LIMIT ?""", [limit]).df()

    def sponsored(self, credit_code: str) -> pd.DataFrame:
        """The projects an organisation sponsors: columns id, name, city, stage; by title."""
        with self._cursor() as cur:
            return cur.execute(f"""SELECT project_id AS id, title AS name, city, stage FROM {TABLE['projects']}
                WHERE sponsor_credit_code = ? ORDER BY title""", [credit_code]).df()

    def data_version(self) -> int:
        """A number that changes whenever profiles may have changed (the latest upload's id)."""
        with self._cursor() as cur:
            return int(cur.execute("SELECT coalesce(max(upload_id), 0) FROM uploads").fetchall()[0][0])


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
