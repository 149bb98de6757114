"""Who has been revealed to whom, and the audit log (schema 8).

An interest is one party's "we would like to meet them", recorded with the account that said it. Two
interests in opposite directions, or an introduction by staff, reveal the two parties to each other: an
``introductions`` row, written in the same transaction as the interest or introduction that made it. The
audit log records every reveal, every look at contacts, every profile change made through the app and
every introduction: who (account and role), when, what, about whom. The rules of who may do which are
``matchmaking.access``; this module only stores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .connection import Connection

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

__all__ = ["Reveals", "AUDIT_COLUMNS"]

AUDIT_COLUMNS = ["logged_at", "actor", "role", "action", "subject_id", "other_id", "detail"]


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


class Reveals(Connection):
    """The ``interests``, ``introductions`` and ``audit_log`` tables."""

    # ---------------------------------------------------------------- the audit log
    @staticmethod
    def _log(cur: duckdb.DuckDBPyConnection, actor: str, role: str, action: str, subject_id: str | None = None,
             other_id: str | None = None, detail: str | None = None, at: dt.datetime | None = None) -> None:
        cur.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [at or dt.datetime.now(), actor, role, action, subject_id, other_id, detail])

    def log(self, actor: str, role: str, action: str, subject_id: str | None = None, other_id: str | None = None,
            detail: str | None = None, *, once_per: dt.timedelta | None = None) -> bool:
        """Add one entry to the audit log. With ``once_per``, an entry equal in actor, action, subject and
        other party to one logged within that span is not repeated (a page redrawn at every click would
        otherwise log the same look many times). Returns whether it was written."""
        now = dt.datetime.now()
        with self._transaction() as cur:
            if once_per is not None and cur.execute(
                    """SELECT 1 FROM audit_log WHERE actor = ? AND action = ? AND subject_id IS NOT DISTINCT FROM ?
                       AND other_id IS NOT DISTINCT FROM ? AND logged_at > ? LIMIT 1""",
                    [actor, action, subject_id, other_id, now - once_per]).fetchall():
                return False
            self._log(cur, actor, role, action, subject_id, other_id, detail, now)
        return True

    def audit_log(self, since: dt.datetime | None = None) -> pd.DataFrame:
        """The audit log, oldest first (from ``since`` when given)."""
        sql = f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit_log"
        with self._cursor() as cur:
            if since is None:
                return cur.execute(sql + " ORDER BY logged_at").df()
            return cur.execute(sql + " WHERE logged_at >= ? ORDER BY logged_at", [since]).df()

    # ---------------------------------------------------------------- interest and introductions
    def express_interest(self, from_id: str, to_id: str, by: str, role: str) -> str:
        """Record that ``from_id`` would like to meet ``to_id`` (said by account ``by``). Returns
        ``"recorded"``, ``"already"`` (said before), or ``"revealed"`` (the other side had said so too: the
        two are introduced now, and both can see each other's name and contacts)."""
        now = dt.datetime.now()
        with self._transaction() as cur:
            if cur.execute("SELECT 1 FROM interests WHERE from_id = ? AND to_id = ?", [from_id, to_id]).fetchall():
                return "already"
            cur.execute("INSERT INTO interests VALUES (?, ?, ?, ?)", [from_id, to_id, by, now])
            self._log(cur, by, role, "interest", from_id, to_id, at=now)
            mutual = cur.execute("SELECT by_user FROM interests WHERE from_id = ? AND to_id = ?",
                                 [to_id, from_id]).fetchall()
            a, b = _pair(from_id, to_id)
            if not mutual or cur.execute("SELECT 1 FROM introductions WHERE a_id = ? AND b_id = ?",
                                         [a, b]).fetchall():
                return "recorded"
            cur.execute("INSERT INTO introductions VALUES (?, ?, 'mutual', ?, NULL, ?)", [a, b, by, now])
            self._log(cur, by, role, "reveal", from_id, to_id, "mutual interest", now)
        return "revealed"

    def introduce(self, a_id: str, b_id: str, by: str, role: str, note: str | None = None) -> bool:
        """Staff introduce two parties: each sees the other's name and contacts from now on. Returns False
        when they were introduced already (by staff or by mutual interest)."""
        a, b = _pair(a_id, b_id)
        now = dt.datetime.now()
        with self._transaction() as cur:
            if cur.execute("SELECT 1 FROM introductions WHERE a_id = ? AND b_id = ?", [a, b]).fetchall():
                return False
            cur.execute("INSERT INTO introductions VALUES (?, ?, 'staff', ?, ?, ?)", [a, b, by, note or None, now])
            self._log(cur, by, role, "introduce", a_id, b_id, note or None, now)
        return True

    def revealed_with(self, party_ids: Iterable[str]) -> set[str]:
        """The parties introduced to any of ``party_ids`` (by mutual interest or by staff)."""
        ids = list(party_ids)
        if not ids:
            return set()
        with self._cursor() as cur:
            rows = cur.execute("""SELECT a_id, b_id FROM introductions
                                  WHERE a_id IN (SELECT unnest(?)) OR b_id IN (SELECT unnest(?))""",
                               [ids, ids]).fetchall()
        own = set(ids)
        return {b for a, b in rows if a in own} | {a for a, b in rows if b in own}

    def interests(self, party_ids: Iterable[str]) -> pd.DataFrame:
        """Interests said by or to any of ``party_ids``: from_id, to_id, by_user, created_at; latest first."""
        ids = list(party_ids)
        with self._cursor() as cur:
            return cur.execute("""SELECT from_id, to_id, by_user, created_at FROM interests
                                  WHERE from_id IN (SELECT unnest(?)) OR to_id IN (SELECT unnest(?))
                                  ORDER BY created_at DESC""", [ids, ids]).df()

    def introductions(self, party_ids: Iterable[str] | None = None) -> pd.DataFrame:
        """Introductions (all, or those of ``party_ids``): a_id, b_id, how, by_user, note, created_at."""
        sql = "SELECT a_id, b_id, how, by_user, note, created_at FROM introductions"
        with self._cursor() as cur:
            if party_ids is None:
                return cur.execute(sql + " ORDER BY created_at DESC").df()
            ids = list(party_ids)
            return cur.execute(sql + " WHERE a_id IN (SELECT unnest(?)) OR b_id IN (SELECT unnest(?)) "
                               "ORDER BY created_at DESC", [ids, ids]).df()
