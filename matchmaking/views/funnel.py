"""The follow-up funnel staff see (跟进漏斗): how suggested pairs move from shown to landed — by stage, by
city pair, by industry chain and by staff member — how long pairs stay in each stage, which pairs have
stalled and should be chased, the learned weights and what changed them, and the share of top slots new
profiles got. Pure functions over the store's reads; no Streamlit, no SQL. The one entry point,
:func:`funnel`, takes the viewer and refuses anyone but staff.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import pandas as pd

from ..access import require
from ..followup import reason_name, status_name
from ..matching.signals import label
from ..reference.chains import chain_of_code, chains
from .names import city_name

if TYPE_CHECKING:
    from ..accounts import Viewer
    from ..store import Store

__all__ = ["Funnel", "funnel", "funnel_workbook", "STAGES", "STALL_DAYS"]

#: The stages a pair passes, in order; a pair counts at every stage up to the furthest it reached.
STAGES = ("shown", "contacted", "met", "mou", "signed", "landed")
#: A pair in progress with no change for this many days has stalled.
STALL_DAYS = 30
_PROGRESS = STAGES[1:]


@dataclass(frozen=True)
class Funnel:
    """The funnel's tables (column names are keys: the page labels them)."""

    stages: pd.DataFrame  # stage, pairs, of_previous, of_shown
    by_city: pd.DataFrame  # from_city, to_city, followed, met, signed, declined, conversion
    by_chain: pd.DataFrame  # chain, followed, met, signed, declined, conversion
    by_staff: pd.DataFrame  # by, changes, pairs, met, signed, declined
    time_in_stage: pd.DataFrame  # stage, pairs, median_days, mean_days
    stalled: pd.DataFrame  # query_id, query, candidate_id, candidate, status, since, days, owner, next_action_on
    declines: pd.DataFrame  # reason, pairs
    weights: pd.DataFrame  # weight (the ``Weights`` field), label (its name for people), before, after, change
    fits: pd.DataFrame  # fit_id, fitted_at, fitted_by, outcomes, queries, blend, lift, lift_low, lift_high
    new_share: pd.DataFrame  # shown_top10, to_new_profiles, share

    def is_empty(self) -> bool:
        return bool(self.stages.pairs.iloc[0] == 0 and self.stages.pairs.iloc[1:].sum() == 0)


def _parties(store: Store, lang: str) -> pd.DataFrame:
    orgs = store.profiles("organisations")
    projs = store.profiles("projects")
    frame = pd.concat([
        pd.DataFrame({"id": orgs.credit_code, "name": orgs["name"], "city": orgs.city, "code": orgs.industry_code}),
        pd.DataFrame({"id": projs.project_id, "name": projs.title, "city": projs.city, "code": projs.industry_code}),
    ], ignore_index=True)
    frame["city_name"] = [city_name(c, lang) for c in frame.city]
    frame["chain"] = [chain_of_code(c) for c in frame.code]
    return frame.set_index("id")


def _furthest(events: pd.DataFrame) -> pd.DataFrame:
    """Per pair: the furthest stage reached (index into STAGES, 0 = shown only), its current status, whether
    it was declined, who moved it last and when."""
    if events.empty:
        return pd.DataFrame(columns=["query_id", "candidate_id", "furthest", "status", "reason_code", "by", "at"])
    ev = events.copy()
    ev["stage"] = [STAGES.index(s) if s in _PROGRESS else 0 for s in ev.status]
    g = ev.groupby(["query_id", "candidate_id"], sort=False)
    last = g.tail(1).set_index(["query_id", "candidate_id"])
    out = pd.DataFrame({"furthest": g.stage.max()})
    out["status"] = last.status
    out["reason_code"] = last.reason_code
    out["by"] = last.changed_by
    out["at"] = last.changed_at
    return out.reset_index()


def _conversion(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    met, signed = STAGES.index("met"), STAGES.index("signed")
    if frame.empty:
        return pd.DataFrame(columns=[*keys, "followed", "met", "signed", "declined", "conversion"])
    g = frame.groupby(keys, dropna=False)
    out = pd.DataFrame({"followed": g.size(), "met": g.furthest.apply(lambda s: int((s >= met).sum())),
                        "signed": g.furthest.apply(lambda s: int((s >= signed).sum())),
                        "declined": g.status.apply(lambda s: int((s == "declined").sum()))}).reset_index()
    out["conversion"] = (out.met / out.followed).round(3)
    return out.sort_values(["followed", *keys], ascending=[False, *[True] * len(keys)]).reset_index(drop=True)


def funnel(store: Store, viewer: Viewer, lang: str = "zh", *, stall_days: int = STALL_DAYS,
           now: dt.datetime | None = None) -> Funnel:
    """Every table of the funnel page, for ``viewer`` (staff only: it names firms and staff members)."""
    require(viewer, "staff", what="The follow-up funnel", what_zh="跟进漏斗")
    now = now or dt.datetime.now()
    events = store.outcome_events()
    pairs = _furthest(events)
    shown = store.impression_counts()
    shown_pairs = set(zip(shown.query_id, shown.candidate_id, strict=True)) if not shown.empty else set()
    followed_pairs = set(zip(pairs.query_id, pairs.candidate_id, strict=True))
    # a pair followed up was shown (in the app, the CLI or a list staff worked from), recorded or not
    n_shown = len(shown_pairs | followed_pairs)
    counts = [n_shown] + [int((pairs.furthest >= i).sum()) for i in range(1, len(STAGES))]
    stages = pd.DataFrame({"stage": list(STAGES), "pairs": counts})
    prev = stages.pairs.shift(1)
    stages["of_previous"] = (stages.pairs / prev.where(prev > 0)).round(3)
    stages["of_shown"] = (stages.pairs / (n_shown or float("nan"))).round(3)

    parties = _parties(store, lang)
    def col(ids: pd.Series, field: str) -> list[str]:
        return [str(parties[field].get(i, "")) if i in parties.index else "" for i in ids]

    pairs["from_city"] = col(pairs.query_id, "city_name")
    pairs["to_city"] = col(pairs.candidate_id, "city_name")
    q_chain = col(pairs.query_id, "chain")
    c_chain = col(pairs.candidate_id, "chain")
    pairs["chain_id"] = [q or c for q, c in zip(q_chain, c_chain, strict=True)]
    ch = chains()
    pairs["chain"] = [ch.chain_name(c, lang) if c else ("（未分类）" if lang == "zh" else "(unclassified)")
                      for c in pairs.chain_id]
    by_city = _conversion(pairs, ["from_city", "to_city"])
    by_chain = _conversion(pairs, ["chain"])

    if events.empty:
        by_staff = pd.DataFrame(columns=["by", "changes", "pairs", "met", "signed", "declined"])
    else:
        ev = events.assign(by=events.changed_by.fillna("?"))
        g = ev.groupby("by")
        by_staff = pd.DataFrame({
            "changes": g.size(),
            "pairs": g.apply(lambda d: d[["query_id", "candidate_id"]].drop_duplicates().shape[0], include_groups=False),
            "met": g.status.apply(lambda s: int(s.isin(["met", "mou", "signed", "landed"]).sum())),
            "signed": g.status.apply(lambda s: int(s.isin(["signed", "landed"]).sum())),
            "declined": g.status.apply(lambda s: int((s == "declined").sum()))}).reset_index()
        by_staff = by_staff.sort_values(["changes", "by"], ascending=[False, True]).reset_index(drop=True)

    # time in stage: from entering a status to the pair's next change
    rows = []
    if not events.empty:
        for _, d in events.groupby(["query_id", "candidate_id"], sort=False):
            times = list(d.changed_at)
            for (s, t0), t1 in zip(zip(d.status, times, strict=True), times[1:], strict=False):
                if s in _PROGRESS:
                    rows.append((s, (pd.Timestamp(t1) - pd.Timestamp(t0)).total_seconds() / 86400))
    tis = pd.DataFrame(rows, columns=["stage", "days"])
    time_in_stage = pd.DataFrame({"stage": list(_PROGRESS[:-1])})
    agg = tis.groupby("stage").days.agg(["size", "median", "mean"]) if not tis.empty else None
    time_in_stage["pairs"] = [int(agg["size"].get(s, 0)) if agg is not None else 0 for s in time_in_stage.stage]
    time_in_stage["median_days"] = [round(float(agg["median"][s]), 1) if agg is not None and s in agg.index
                                    else float("nan") for s in time_in_stage.stage]
    time_in_stage["mean_days"] = [round(float(agg["mean"][s]), 1) if agg is not None and s in agg.index
                                  else float("nan") for s in time_in_stage.stage]

    follow = store.shortlist()
    stalled = pd.DataFrame(columns=["query_id", "query", "candidate_id", "candidate", "status", "since", "days",
                                    "owner", "next_action_on"])
    if not follow.empty:
        open_ = follow[follow.status.isin(["contacted", "met", "mou", "signed"])].copy()
        open_["days"] = [(now - pd.Timestamp(t).to_pydatetime()).days for t in open_.updated_at]
        open_ = open_[open_.days >= stall_days].sort_values(["days", "query_id"], ascending=[False, True])
        stalled = pd.DataFrame({
            "query_id": open_.query_id, "query": col(open_.query_id, "name"),
            "candidate_id": open_.candidate_id, "candidate": col(open_.candidate_id, "name"),
            "status": [status_name(s, lang) for s in open_.status], "since": open_.updated_at, "days": open_.days,
            "owner": open_.owner.fillna(""), "next_action_on": pd.to_datetime(open_.next_action_on)}).reset_index(drop=True)

    dec = pairs[pairs.status == "declined"]
    declines = (dec.groupby("reason_code").size().rename("pairs").reset_index() if not dec.empty
                else pd.DataFrame(columns=["reason_code", "pairs"]))
    declines.insert(0, "reason", [reason_name(r, lang) for r in declines.reason_code])
    declines = declines.drop(columns="reason_code").sort_values("pairs", ascending=False).reset_index(drop=True)

    fit = store.learned_weights()
    if fit is None:
        weights = pd.DataFrame(columns=["weight", "label", "before", "after", "change"])
    else:
        weights = pd.DataFrame({"weight": list(fit["hand"]), "label": [label(k, lang) for k in fit["hand"]],
                                "before": list(fit["hand"].values()),
                                "after": [fit["blended"].get(k, v) for k, v in fit["hand"].items()]})
        weights["change"] = (weights.after - weights.before).round(4)
    history = store.learned_weights_history()
    fits = history[["fit_id", "fitted_at", "fitted_by", "outcomes", "queries", "blend", "lift", "lift_low",
                    "lift_high"]].copy() if not history.empty else pd.DataFrame(
        columns=["fit_id", "fitted_at", "fitted_by", "outcomes", "queries", "blend", "lift", "lift_low", "lift_high"])

    new_share = _new_share(store, shown, now)
    return Funnel(stages, by_city, by_chain, by_staff, time_in_stage, stalled, declines, weights, fits, new_share)


def _new_share(store: Store, shown: pd.DataFrame, now: dt.datetime, new_days: int = 30) -> pd.DataFrame:
    """The measured share of top-10 places that went to profiles that were new (first seen within
    ``new_days``) when they were first shown."""
    seen = store.first_seen().set_index("id").first_seen
    if shown.empty:
        return pd.DataFrame({"shown_pairs": [0], "to_new_profiles": [0], "share": [None]})
    first = pd.to_datetime(shown.candidate_id.map(seen))
    new = (pd.to_datetime(shown.first_shown) - first) <= pd.Timedelta(days=new_days)
    n = len(shown)
    return pd.DataFrame({"shown_pairs": [n], "to_new_profiles": [int(new.sum())], "share": [round(new.sum() / n, 3)]})


def funnel_workbook(f: Funnel, labels: dict[str, str] | None = None) -> bytes:
    """Every table of ``f`` as one Excel workbook, a sheet per table (``labels``: table → sheet name)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        for fd in fields(f):
            frame: pd.DataFrame = getattr(f, fd.name)
            out = frame.copy()
            for c in out.columns:  # Excel has no time zones
                if isinstance(out[c].dtype, pd.DatetimeTZDtype):
                    out[c] = out[c].dt.tz_localize(None)
            out.to_excel(xl, sheet_name=(labels or {}).get(fd.name, fd.name)[:31], index=False)
    return buf.getvalue()
