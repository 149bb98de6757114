"""Stored results of ``hst match --all --store``: pages that summarise everyone's matches (flows,
alliances) read them on data too large to match on every visit. Valid for one data version and model."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .connection import Connection

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MatchResults", "MATCH_RESULT_COLUMNS"]

#: The columns of a stored match result (the database adds the data version and the model).
MATCH_RESULT_COLUMNS = ["query_id", "query_kind", "rank", "candidate_id", "candidate_kind", "score", "relation"]


class MatchResults(Connection):
    """The ``match_results`` table."""

    def save_match_results(self, data_version: int, model_id: str, rows: pd.DataFrame) -> int:
        """Replace the stored results with ``rows`` (query_id, query_kind, rank, candidate_id,
        candidate_kind, score, relation) computed for ``data_version`` and ``model_id``."""
        frame = rows[MATCH_RESULT_COLUMNS].copy()
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
