"""The follow-up of suggested pairs: the current status of each pair and every change as an event.

Which steps are allowed is ``followup.check_transition``; it is checked inside the write's transaction,
against the status stored at that moment."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..followup import check_transition
from .connection import Connection

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Shortlist"]


class Shortlist(Connection):
    """The ``shortlist`` and ``shortlist_events`` tables."""

    def shortlist(self, query_id: str | None = None) -> pd.DataFrame:
        """The followed-up pairs (of one query, or all), latest change first."""
        sql = "SELECT query_id, candidate_id, status, reason_code, note, updated_at FROM shortlist"
        with self._cursor() as cur:
            if query_id is None:
                return cur.execute(sql + " ORDER BY updated_at DESC").df()
            return cur.execute(sql + " WHERE query_id = ? ORDER BY updated_at DESC", [query_id]).df()

    def set_shortlist_status(self, query_id: str, candidate_id: str, status: str, reason_code: str | None = None,
                             note: str | None = None) -> None:
        """Move a pair to ``status`` (a step ``followup.check_transition`` allows), keeping the event."""
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
