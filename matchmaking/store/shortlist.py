"""The follow-up of suggested pairs: the current state of each pair (status, reason, latest note, owner,
next-action date) and every change as an event (who, when, what), so a note is never overwritten.

Which steps are allowed is ``followup.check_transition``; it is checked inside the write's transaction,
against the status stored at that moment, so a refused or failed save leaves both tables as they were."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..followup import check_entry, check_transition, default_actor
from .connection import Connection

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Shortlist", "KEEP"]


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


#: Leave a field of a pair as stored (the default for owner and next-action date).
KEEP: Any = _Keep()

_COLUMNS = "query_id, candidate_id, status, reason_code, note, owner, next_action_on, updated_by, updated_at"


class Shortlist(Connection):
    """The ``shortlist`` and ``shortlist_events`` tables."""

    def shortlist(self, query_id: str | None = None) -> pd.DataFrame:
        """The followed-up pairs (of one query, or all), latest change first."""
        sql = f"SELECT {_COLUMNS} FROM shortlist"
        with self._cursor() as cur:
            if query_id is None:
                return cur.execute(sql + " ORDER BY updated_at DESC").df()
            return cur.execute(sql + " WHERE query_id = ? ORDER BY updated_at DESC", [query_id]).df()

    def shortlist_history(self, query_id: str, candidate_id: str | None = None) -> pd.DataFrame:
        """Every change of one pair (or of all pairs of ``query_id``), latest first: status, reason, the
        note added, owner and next-action date as set then, who made it (null before schema 6) and when."""
        sql = """SELECT query_id, candidate_id, status, reason_code, note, owner, next_action_on, changed_by,
                 changed_at FROM shortlist_events WHERE query_id = ?"""
        params: list[Any] = [query_id]
        if candidate_id is not None:
            sql += " AND candidate_id = ?"
            params.append(candidate_id)
        with self._cursor() as cur:
            return cur.execute(sql + " ORDER BY changed_at DESC", params).df()

    def set_shortlist_status(self, query_id: str, candidate_id: str, status: str, reason_code: str | None = None,
                             note: str | None = None, *, owner: str | None = KEEP,
                             next_action_on: dt.date | None = KEEP, by: str | None = None) -> bool:
        """Save one follow-up of a pair: move it to ``status`` (a step ``followup.check_transition``
        allows), add ``note`` to its history, set its ``owner`` and ``next_action_on`` (``KEEP``: as
        stored; ``None``: cleared). ``by`` is who made it (default ``followup.default_actor()``).

        Returns False, writing nothing, when the save changes nothing (same status, reason, owner and
        date, and no note). Raises ``followup.FollowUpRefused`` for a step or entry the rules refuse."""
        note = (note or "").strip() or None
        if owner is not KEEP:
            owner = (owner or "").strip() or None
        check_entry(None if owner is KEEP else owner, note, None if next_action_on is KEEP else next_action_on)
        now = dt.datetime.now()
        by = by or default_actor()
        with self._transaction() as cur:
            old = cur.execute("""SELECT status, reason_code, note, owner, next_action_on FROM shortlist
                                 WHERE query_id = ? AND candidate_id = ?""", [query_id, candidate_id]).fetchall()
            old_status, old_reason, old_note, old_owner, old_next = old[0] if old else (None, None, None, None, None)
            check_transition(old_status, status, reason_code)
            if status != "declined":
                reason_code = None
            owner = old_owner if owner is KEEP else owner
            next_action_on = old_next if next_action_on is KEEP else next_action_on
            if old and note is None and (status, reason_code, owner, next_action_on) == (
                    old_status, old_reason, old_owner, old_next):
                return False
            cur.execute("""INSERT INTO shortlist (query_id, candidate_id, status, reason_code, note, owner,
                    next_action_on, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (query_id, candidate_id) DO UPDATE SET status = excluded.status,
                reason_code = excluded.reason_code, note = excluded.note, owner = excluded.owner,
                next_action_on = excluded.next_action_on, updated_by = excluded.updated_by,
                updated_at = excluded.updated_at""",
                        [query_id, candidate_id, status, reason_code, note or old_note, owner, next_action_on,
                         by, now])
            cur.execute("""INSERT INTO shortlist_events (query_id, candidate_id, status, reason_code, note, owner,
                    next_action_on, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        [query_id, candidate_id, status, reason_code, note, owner, next_action_on, by, now])
        return True
