"""The follow-up tables the pages show: a party's followed-up pairs (with names, links, owner and next-action
date) and one pair's history (every status change and note, who and when), statuses and reasons by their
names in the page's language. Pure functions over the store's reads; no Streamlit, no SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..followup import reason_name, status_name
from .links import party_url

__all__ = ["PairState", "pair_state", "shortlist_table", "history_table", "SHORTLIST_COLUMNS", "HISTORY_COLUMNS"]

SHORTLIST_COLUMNS = ["id", "name", "link", "status", "reason", "owner", "next_action_on", "note", "updated_by",
                     "updated_at"]
HISTORY_COLUMNS = ["changed_at", "changed_by", "status", "reason", "owner", "next_action_on", "note"]


def _text(v: object) -> str:
    return v if isinstance(v, str) else ""


def _date(v: object) -> dt.date | None:
    if v is None or v is pd.NaT or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, dt.datetime):  # pandas gives a stored DATE as a timestamp at midnight
        return v.date()
    return v if isinstance(v, dt.date) else None


@dataclass(frozen=True)
class PairState:
    """What is stored about one pair, as the follow-up form starts from it (``status`` None: not followed
    up yet)."""

    status: str | None = None
    reason: str = ""
    owner: str = ""
    next_action_on: dt.date | None = None
    note: str = ""


def pair_state(shortlist: pd.DataFrame, candidate_id: str) -> PairState:
    """The stored state of the pair (query, ``candidate_id``) in ``Store.shortlist(query_id)``."""
    rows = shortlist[shortlist.candidate_id == candidate_id] if not shortlist.empty else shortlist
    if rows.empty:
        return PairState()
    r = rows.iloc[0]
    return PairState(r.status, _text(r.reason_code), _text(r.owner), _date(r.next_action_on), _text(r.note))


def shortlist_table(shortlist: pd.DataFrame, parties: Mapping[str, tuple[str, str]], lang: str) -> pd.DataFrame:
    """One row per followed-up pair of ``Store.shortlist(query_id)``: the candidate's id, name and page
    link (``parties``: id → (kind, name); an id it lacks is shown as itself), status, reason, owner,
    next-action date, latest note, who changed it last and when. Pairs with a next action first (soonest
    first), then the latest changed."""
    rows = []
    for r in shortlist.itertuples():
        kind, name = parties.get(r.candidate_id, ("organisations", r.candidate_id))
        rows.append({"id": r.candidate_id, "name": name, "link": party_url("profile", kind, r.candidate_id, lang, name),
                     "status": status_name(r.status, lang),
                     "reason": reason_name(r.reason_code, lang) if isinstance(r.reason_code, str) else "",
                     "owner": _text(getattr(r, "owner", None)), "next_action_on": _date(getattr(r, "next_action_on", None)),
                     "note": _text(r.note), "updated_by": _text(getattr(r, "updated_by", None)),
                     "updated_at": r.updated_at})
    table = pd.DataFrame(rows, columns=SHORTLIST_COLUMNS)
    if table.empty:
        return table
    order = pd.to_datetime(table.next_action_on, errors="coerce")
    return (table.assign(_no_next=order.isna(), _next=order, _changed=pd.to_datetime(table.updated_at))
            .sort_values(["_no_next", "_next", "_changed"], ascending=[True, True, False])
            .drop(columns=["_no_next", "_next", "_changed"]).reset_index(drop=True))


def history_table(events: pd.DataFrame, lang: str, unknown: str = "") -> pd.DataFrame:
    """One pair's changes from ``Store.shortlist_history``, latest first: when, who (``unknown`` for a
    change recorded before authors were), status, reason, owner and next-action date as set then, the
    note added."""
    rows = [{"changed_at": e.changed_at, "changed_by": _text(e.changed_by) or unknown,
             "status": status_name(e.status, lang),
             "reason": reason_name(e.reason_code, lang) if isinstance(e.reason_code, str) else "",
             "owner": _text(e.owner), "next_action_on": _date(e.next_action_on), "note": _text(e.note)}
            for e in events.itertuples()]
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)
