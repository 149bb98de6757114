"""What staff and enterprises did with the suggestions: outcomes imported from a file (into the follow-up
history, ``shortlist_events``, with their source), the impressions (every time a pair was shown), expressed
interests (read only; written by the roles issue's code), the first time each profile was seen, and the
weights ``hst learn`` fitted.

A feedback import is one transaction: each change is checked against the status stored at that moment
(``followup.check_transition``), and if any row is refused nothing is written; the refusals come back
with their row, column and value. Re-importing the same rows changes nothing (an identical event — pair,
status, reason, time — is already there).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..followup import FollowUpRefused, check_transition
from .connection import Connection

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Feedback", "OutcomeChange", "OutcomeProblem", "ImportCounts"]


@dataclass(frozen=True)
class OutcomeChange:
    """One status change to record: ``row`` is its line in the file (for messages); ``reason_code`` is the
    follow-up's own code (``followup.DECLINE_REASONS``)."""

    row: int
    query_id: str
    candidate_id: str
    status: str
    reason_code: str | None
    changed_at: dt.datetime


@dataclass(frozen=True)
class OutcomeProblem:
    """A change the follow-up rules refused: where (row, column), the value, and why in both languages."""

    row: int
    column: str
    value: str
    message: str
    message_zh: str


@dataclass(frozen=True)
class ImportCounts:
    import_id: int | None
    rows_total: int
    rows_written: int
    rows_unchanged: int


class _Refused(Exception):
    """Some change was refused: the transaction is rolled back."""


class Feedback(Connection):
    """The ``impressions``, ``feedback_imports`` and ``learned_weights`` tables; outcome events in
    ``shortlist_events``; ``interests`` read only."""

    # ------------------------------------------------------------------ outcomes
    def record_outcomes(self, changes: Sequence[OutcomeChange], *, file_name: str, file_hash: str,
                        by: str) -> tuple[ImportCounts, list[OutcomeProblem]]:
        """Record imported status changes (in time order per pair) as made by ``by``. Nothing is written if
        any change is refused; then the problems are returned (and the counts say nothing was written)."""
        problems: list[OutcomeProblem] = []
        ordered = sorted(changes, key=lambda c: (c.query_id, c.candidate_id, c.changed_at, c.row))
        now = dt.datetime.now()
        try:
            counts = self._write_outcomes(ordered, problems, file_name, file_hash, by, now)
        except _Refused:
            problems.sort(key=lambda p: p.row)
            return ImportCounts(None, len(changes), 0, 0), problems
        return counts, []

    def _write_outcomes(self, ordered: list[OutcomeChange], problems: list[OutcomeProblem], file_name: str,
                        file_hash: str, by: str, now: dt.datetime) -> ImportCounts:
        written = unchanged = 0
        with self._transaction() as cur:
            import_id = int(cur.execute("SELECT coalesce(max(import_id), 0) + 1 FROM feedback_imports").fetchone()[0])
            source = f"import:{import_id}"
            state: dict[tuple[str, str], tuple[str | None, dt.datetime | None]] = {}
            for c in ordered:
                key = (c.query_id, c.candidate_id)
                if key not in state:
                    got = cur.execute("""SELECT status, updated_at FROM shortlist WHERE query_id = ? AND candidate_id = ?""",
                                      list(key)).fetchall()
                    state[key] = (got[0][0], got[0][1]) if got else (None, None)
                same = cur.execute("""SELECT count(*) FROM shortlist_events WHERE query_id = ? AND candidate_id = ?
                    AND status = ? AND reason_code IS NOT DISTINCT FROM ? AND changed_at = ?""",
                                   [*key, c.status, c.reason_code, c.changed_at]).fetchone()[0]
                if same:
                    unchanged += 1
                    continue
                old, old_at = state[key]
                if old_at is not None and c.changed_at < old_at:
                    problems.append(OutcomeProblem(
                        c.row, "date", c.changed_at.date().isoformat(),
                        f"row {c.row}, column date: {c.changed_at.date()} is before the pair's latest recorded change "
                        f"({old_at:%Y-%m-%d %H:%M}, status {old}): a pair's history only moves forward; give a date on "
                        f"or after {old_at:%Y-%m-%d}",
                        f"第 {c.row} 行“date”列：{c.changed_at.date()} 早于该配对最近一次记录的变化（{old_at:%Y-%m-%d %H:%M}，"
                        f"状态 {old}）：跟进记录只能向前；请填写 {old_at:%Y-%m-%d} 或之后的日期"))
                    continue
                try:
                    check_transition(old, c.status, c.reason_code)
                except FollowUpRefused as exc:
                    problems.append(OutcomeProblem(c.row, "status", c.status, f"row {c.row}, column status: {exc}",
                                                   f"第 {c.row} 行“status”列：{exc.message_zh}"))
                    continue
                if old == c.status and c.status != "declined":
                    unchanged += 1
                    continue
                cur.execute("""INSERT INTO shortlist (query_id, candidate_id, status, reason_code, updated_by, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (query_id, candidate_id) DO UPDATE SET status = excluded.status,
                    reason_code = excluded.reason_code, updated_by = excluded.updated_by,
                    updated_at = excluded.updated_at""", [*key, c.status, c.reason_code, by, c.changed_at])
                cur.execute("""INSERT INTO shortlist_events (query_id, candidate_id, status, reason_code, changed_by,
                    changed_at, source) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                            [*key, c.status, c.reason_code, by, c.changed_at, source])
                state[key] = (c.status, c.changed_at)
                written += 1
            if problems:
                raise _Refused
            cur.execute("""INSERT INTO feedback_imports (import_id, file_name, file_hash, imported_by, imported_at,
                rows_total, rows_written, rows_unchanged) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                        [import_id, file_name, file_hash, by, now, len(ordered), written, unchanged])
        return ImportCounts(import_id, len(ordered), written, unchanged)

    def outcome_events(self) -> pd.DataFrame:
        """Every follow-up change (from the app's form and from imports), oldest first: query_id,
        candidate_id, status, reason_code, changed_by, changed_at, source (NULL: the app's form)."""
        with self._cursor() as cur:
            return cur.execute("""SELECT query_id, candidate_id, status, reason_code, changed_by, changed_at, source
                FROM shortlist_events ORDER BY changed_at, query_id, candidate_id""").df()

    def most_declined(self) -> int:
        """The largest number of declined pairs any one query has (how much deeper a list must be read)."""
        with self._cursor() as cur:
            return int(cur.execute("""SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM shortlist
                WHERE status = 'declined' GROUP BY query_id)""").fetchone()[0])

    def interest_outcomes(self) -> pd.DataFrame:
        """Expressed interests (from_id, to_id, by_user, created_at), oldest first."""
        with self._cursor() as cur:
            return cur.execute("SELECT from_id, to_id, by_user, created_at FROM interests ORDER BY created_at").df()

    def feedback_imports(self) -> pd.DataFrame:
        with self._cursor() as cur:
            return cur.execute("SELECT * FROM feedback_imports ORDER BY import_id").df()

    # ------------------------------------------------------------------ impressions
    def record_impressions(self, query_id: str, shown: Iterable[tuple[str, int]], *, surface: str,
                           by: str | None = None, at: dt.datetime | None = None,
                           unless_within: dt.timedelta | None = None) -> int:
        """Record that the candidates ``shown`` ((candidate id, rank) pairs) were shown for ``query_id`` on
        ``surface`` ('app', 'cli'). ``unless_within``: leave out a pair already recorded for the same
        person on the same surface that recently (a page drawn again is not a new showing). Returns how
        many were recorded."""
        at = at or dt.datetime.now()
        rows = [[query_id, cid, int(rank), surface, by, at] for cid, rank in shown]
        if not rows:
            return 0
        with self._transaction() as cur:
            if unless_within is not None:
                recent = {r[0] for r in cur.execute("""SELECT DISTINCT candidate_id FROM impressions WHERE query_id = ?
                    AND surface = ? AND shown_by IS NOT DISTINCT FROM ? AND shown_at >= ?""",
                                                      [query_id, surface, by, at - unless_within]).fetchall()}
                rows = [r for r in rows if r[1] not in recent]
            if rows:
                cur.executemany("""INSERT INTO impressions (query_id, candidate_id, rank, surface, shown_by, shown_at)
                    VALUES (?, ?, ?, ?, ?, ?)""", rows)
        return len(rows)

    def impression_counts(self, query_id: str | None = None) -> pd.DataFrame:
        """Per pair: how many times it was shown (``shown``), first and last time."""
        sql = """SELECT query_id, candidate_id, count(*) AS shown, min(shown_at) AS first_shown,
                 max(shown_at) AS last_shown FROM impressions"""
        with self._cursor() as cur:
            if query_id is None:
                return cur.execute(sql + " GROUP BY query_id, candidate_id").df()
            return cur.execute(sql + " WHERE query_id = ? GROUP BY query_id, candidate_id", [query_id]).df()

    def candidate_impressions(self) -> pd.DataFrame:
        """Per candidate: how many times it was shown to anyone (``shown``)."""
        with self._cursor() as cur:
            return cur.execute("SELECT candidate_id, count(*) AS shown FROM impressions GROUP BY candidate_id").df()

    # ------------------------------------------------------------------ profiles' age
    def first_seen(self) -> pd.DataFrame:
        """Per current profile (``id``): when its first version was stored (``first_seen``)."""
        with self._cursor() as cur:
            return cur.execute("""
                SELECT o.credit_code AS id, least(o.updated_at, min(v.recorded_at)) AS first_seen
                FROM organisations o LEFT JOIN organisation_versions v USING (credit_code) GROUP BY o.credit_code, o.updated_at
                UNION ALL
                SELECT p.project_id AS id, least(p.updated_at, min(v.recorded_at)) AS first_seen
                FROM projects p LEFT JOIN project_versions v USING (project_id) GROUP BY p.project_id, p.updated_at""").df()

    # ------------------------------------------------------------------ learned weights
    def save_learned_weights(self, *, model_id: str, by: str, hand: dict[str, float], learned: dict[str, float],
                             blended: dict[str, float], blend: float, outcomes: int, queries: int,
                             comparisons: int, lift: float | None, lift_low: float | None,
                             lift_high: float | None, test_queries: int | None, report: dict[str, Any]) -> int:
        """Keep one fit (``hst learn``); the latest fit for a model is the one ``hst match`` uses."""
        with self._transaction() as cur:
            fit_id = int(cur.execute("SELECT coalesce(max(fit_id), 0) + 1 FROM learned_weights").fetchone()[0])
            cur.execute("""INSERT INTO learned_weights (fit_id, fitted_at, fitted_by, model_id, hand, learned, blended,
                blend, outcomes, queries, comparisons, lift, lift_low, lift_high, test_queries, report)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                        [fit_id, dt.datetime.now(), by, model_id, json.dumps(hand), json.dumps(learned),
                         json.dumps(blended), blend, outcomes, queries, comparisons, lift, lift_low, lift_high,
                         test_queries, json.dumps(report, default=str)])
        return fit_id

    def learned_weights(self, model_id: str | None = None) -> dict[str, Any] | None:
        """The latest fit (for ``model_id``, or any), with its weight tables decoded; None if there is none."""
        sql = "SELECT * FROM learned_weights"
        params: list[Any] = []
        if model_id is not None:
            sql += " WHERE model_id = ?"
            params.append(model_id)
        with self._cursor() as cur:
            df = cur.execute(sql + " ORDER BY fit_id DESC LIMIT 1", params).df()
        if df.empty:
            return None
        row = df.iloc[0].to_dict()
        for k in ("hand", "learned", "blended", "report"):
            row[k] = json.loads(row[k]) if isinstance(row[k], str) else row[k]
        return row

    def learned_weights_history(self) -> pd.DataFrame:
        with self._cursor() as cur:
            return cur.execute("""SELECT fit_id, fitted_at, fitted_by, model_id, blend, outcomes, queries, comparisons,
                lift, lift_low, lift_high, test_queries, hand, blended FROM learned_weights ORDER BY fit_id""").df()
