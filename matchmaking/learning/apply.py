"""Learning joined with the store: the outcomes as evidence per pair, ``hst learn`` (fit, measure, keep),
the matcher with the learned weights, and the list a person is shown (exposure applied, impressions
recorded). The one place where feedback reaches a ranking: ``hst match`` and the matches page go through
``shown_matches``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from ..matching import Match, Matcher, Weights
from .collaborative import Collaborative, CollabPolicy, FeedbackMatcher
from .exposure import Adjusted, ExposurePolicy, adjust, depth_for
from .outcomes import grade_of
from .rank_learning import (
    EXTRA,
    LEARNABLE,
    Lift,
    QueryOutcomes,
    RankLearner,
    features,
    time_split_lift,
    weights_dict,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..store import Store

__all__ = ["evidence", "collect", "LearnReport", "learn", "learned_matcher", "shown_matches", "record_shown",
           "LEARN_DEPTH", "ACTED_STATUSES", "APP_REDRAW"]

#: How deep the engine's list is read for learning: the candidates outcomes are compared among.
LEARN_DEPTH = 100
#: A page drawn again within this time shows the same list to the same person: not a new impression.
APP_REDRAW = dt.timedelta(minutes=30)
#: A pair in any of these statuses has been acted on (no impression discount).
ACTED_STATUSES = ("contacted", "met", "mou", "signed", "landed", "declined", "new")


def evidence(store: Store) -> pd.DataFrame:
    """Per pair with an outcome: query_id, candidate_id, status, reason_code (the latest change), grade
    (``outcomes.grade_of``; an expressed interest by either side counts as contacted unless the pair was
    declined later), first_date (its first outcome), by (who made the latest change)."""
    import pandas as pd

    ev = store.outcome_events()
    ev = ev[ev.status != "new"]
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for r in ev.itertuples(index=False):
        key = (r.query_id, r.candidate_id)
        first = rows.get(key, {}).get("first_date", r.changed_at)
        rows[key] = {"status": r.status, "reason_code": r.reason_code, "first_date": first, "last_date": r.changed_at,
                     "by": r.changed_by}
    interests = store.interest_outcomes()
    for r in interests.itertuples(index=False):
        for key in ((r.from_id, r.to_id), (r.to_id, r.from_id)):
            cur = rows.get(key)
            if cur is None:
                rows[key] = {"status": "interest", "reason_code": None, "first_date": r.created_at,
                             "last_date": r.created_at, "by": r.by_user}
            elif cur["status"] == "declined" and cur["last_date"] < r.created_at:
                cur.update(status="interest", reason_code=None, last_date=r.created_at, by=r.by_user)
    out = pd.DataFrame([{"query_id": q, "candidate_id": c, **v} for (q, c), v in rows.items()],
                       columns=["query_id", "candidate_id", "status", "reason_code", "first_date", "last_date", "by"])
    out["grade"] = [grade_of("contacted" if s == "interest" else s, r)
                    for s, r in zip(out.status, out.reason_code, strict=True)]
    return out


def collect(matcher: Matcher, outcomes: pd.DataFrame, depth: int = LEARN_DEPTH,
            collab: Collaborative | None = None) -> list[QueryOutcomes]:
    """Each query with graded outcomes, as learning sees it: the engine's top ``depth`` candidates (hand-set
    weights) with their features, and the grades. With ``collab``, the ``EXTRA`` values (from the *other*
    queries' outcomes) are further columns of the features."""
    graded = outcomes[outcomes.grade.notna()]
    graded = graded[graded.query_id.isin(matcher.index.id_to_row)]
    if graded.empty:
        return []
    qids = sorted(graded.query_id.unique())
    got = matcher.match_many(qids, top_k=depth)
    hand = matcher.config.weights
    out = []
    for qid, group in graded.groupby("query_id", sort=True):
        ms = got.get(qid, [])
        X = np.array([features(m, hand) for m in ms]) if ms else np.zeros((0, len(LEARNABLE)))
        ids = [m.candidate_id for m in ms]
        if collab is not None:
            extra = collab.values(str(qid), ids, [m.relation for m in ms])[0]
            X = np.hstack([X, extra]) if ms else np.zeros((0, len(LEARNABLE) + len(EXTRA)))
        grades = {c: int(g) for c, g in zip(group.candidate_id, group.grade, strict=True)}
        out.append(QueryOutcomes(qid, ids, X, grades, min(group.first_date), [c for c in grades if c not in set(ids)]))
    return out


@dataclass(frozen=True)
class LearnReport:
    """What ``hst learn`` did: the weights before (hand-set) and after, how much feedback, the lift."""

    fit_id: int | None
    model_id: str
    before: dict[str, float]
    after: dict[str, float]
    learned: dict[str, float]
    blend: float
    outcomes: int
    queries: int
    comparisons: int
    not_in_list: int  # outcomes whose candidate the engine no longer lists in its top LEARN_DEPTH
    lift: Lift | None
    gated: bool = False  # the fit did worse than the hand-set weights on the time split (interval < 0): not used
    blend_fitted: float = 0.0  # the blend the amount of feedback gives (``blend`` is 0 when gated)
    after_fitted: dict[str, float] | None = None  # the weights that blend gives (``after`` when not gated)


def learn(store: Store, matcher: Matcher, *, by: str, learner: RankLearner | None = None,
          save: bool = True, policy: CollabPolicy | None = None) -> LearnReport:
    """Fit the weights on every stored outcome, measure the lift on a time split, keep the fit (the latest
    fit is what ``learned_matcher`` uses). ``matcher`` must have the hand-set weights. A fit that did worse
    than the hand-set weights on the time split (its whole bootstrap interval below 0) is kept for the record
    with blend 0: the ranking stays hand-set."""
    ungated: dict[str, float] | None = None
    learner = learner or RankLearner()
    hand = matcher.config.weights
    outcomes = evidence(store)
    queries = collect(matcher, outcomes, collab=Collaborative(matcher.index, outcomes, policy))
    fitted = learner.fit(queries, hand)
    lift = time_split_lift(queries, hand, learner)
    before = {**weights_dict(hand), **dict.fromkeys(EXTRA, 0.0)}
    after = {**weights_dict(fitted.weights_), **fitted.extra_}
    learned = {f: round(float(v), 6) for f, v in zip((*LEARNABLE, *EXTRA), fitted.learned_, strict=False)}
    not_in_list = sum(len(q.missing) for q in queries)
    blend, gated = fitted.blend_, False
    if lift is not None and lift.high < 0:
        # weights that did worse on the later feedback than the hand-set ones, beyond the noise of the split (the
        # whole bootstrap interval below 0), are kept for the record, not used
        blend, gated, ungated, after = 0.0, True, after, dict(before)
    fit_id = None
    if save:
        fit_id = store.save_learned_weights(
            model_id=matcher.index.model_id, by=by, hand=before, learned=learned, blended=after, blend=blend,
            outcomes=fitted.n_outcomes_, queries=fitted.n_queries_, comparisons=fitted.n_comparisons_,
            lift=lift.lift if lift else None, lift_low=lift.low if lift else None,
            lift_high=lift.high if lift else None, test_queries=lift.test_queries if lift else None,
            report={"half_weight": learner.half_weight, "C": learner.C, "not_in_list": not_in_list,
                    "lift": lift.__dict__ if lift else None, "gated": gated, "blend_fitted": fitted.blend_,
                    "blended_fitted": ungated if gated else after})
    return LearnReport(fit_id, matcher.index.model_id, before, after, learned, blend, fitted.n_outcomes_,
                       fitted.n_queries_, fitted.n_comparisons_, not_in_list, lift, gated, fitted.blend_,
                       ungated if gated else after)


def learned_matcher(store: Store, matcher: Matcher, use_learned: bool = True,
                    policy: CollabPolicy | None = None) -> tuple[Matcher, dict | None]:
    """The matcher with the latest learned weights for its model (and the fit), or ``matcher`` itself with
    the hand-set weights when there is no fit, it blends nothing in, or ``use_learned`` is False. When the
    fit gives the outcome part (``collab``) a weight and outcomes are stored, a
    ``FeedbackMatcher``: its lists count what staff did with similar queries' suggestions."""
    if not use_learned:
        return matcher, None
    fit = store.learned_weights(matcher.index.model_id)
    if fit is None or not fit["blend"] > 0:
        return matcher, None
    known = {k: float(v) for k, v in fit["blended"].items() if k in Weights.__dataclass_fields__}
    weights = replace(matcher.config.weights, **known)
    extra = {k: float(fit["blended"].get(k, 0.0)) for k in EXTRA}
    if any(v > 0 for v in extra.values()):
        collab = Collaborative(matcher.index, evidence(store), policy)
        if collab:
            return FeedbackMatcher(matcher.index, replace(matcher.config, weights=weights), collab, extra), fit
    if weights == matcher.config.weights:
        return matcher, fit
    return Matcher(matcher.index, replace(matcher.config, weights=weights)), fit


def _new_ids(store: Store, policy: ExposurePolicy, now: dt.datetime) -> set[str]:
    import pandas as pd

    seen = store.first_seen()
    if seen.empty:
        return set()
    recent = set(seen.id[pd.to_datetime(seen.first_seen) >= pd.Timestamp(now - dt.timedelta(days=policy.new_days))])
    shown = store.candidate_impressions()
    often = set(shown.candidate_id[shown.shown >= policy.new_max_shown]) if not shown.empty else set()
    return recent - often


def shown_matches(store: Store, matcher: Matcher, query_id: str, top_k: int = 10, *, surface: str,
                  by: str | None = None, record: bool = True, policy: ExposurePolicy | None = None,
                  customers: bool = False) -> Adjusted:
    """The matches to show for ``query_id``: the matcher's list read deeper, declined pairs taken out,
    pairs shown often and never acted on moved down, new profiles given their share of the top; the
    shown list recorded as impressions (``surface``: 'app' or 'cli'; ``by``: who looked) unless
    ``record`` is False. ``matcher`` is the one to rank with (``learned_matcher``). ``customers``: the
    candidates that need what the query offers (``Matcher.customers``) instead of its own matches."""
    policy = policy or ExposurePolicy()
    follow = store.shortlist(query_id)
    declined = set(follow.candidate_id[follow.status == "declined"]) if not follow.empty else set()
    acted = set(follow.candidate_id) if not follow.empty else set()
    interests = store.interest_outcomes()
    if not interests.empty:
        acted |= set(interests.to_id[interests.from_id == query_id]) | set(interests.from_id[interests.to_id == query_id])
    counts = store.impression_counts(query_id)
    unacted = {c: int(n) for c, n in zip(counts.candidate_id, counts.shown, strict=True) if c not in acted} \
        if not counts.empty else {}
    depth = depth_for(top_k, len(declined))
    ranked: list[Match] = matcher.customers(query_id, depth) if customers else matcher.match(query_id, depth)
    share_active = bool(len(store.outcome_events()) or not interests.empty)
    new_ids = _new_ids(store, policy, dt.datetime.now()) if share_active else set()
    out = adjust(ranked, top_k, declined=declined, unacted=unacted, new_ids=new_ids, share_active=share_active,
                 policy=policy)
    if record and out.matches:
        store.record_impressions(query_id, [(m.candidate_id, m.rank) for m in out.matches], surface=surface, by=by)
    return out


def record_shown(store: Store, query_id: str, matches: list[Match], *, surface: str = "app", by: str | None = None,
                 unless_within: dt.timedelta | None = APP_REDRAW) -> int:
    """Record the list a person was shown (the matches page calls this with the rows it displays; a rerun
    of the page within ``unless_within`` records nothing new). Returns how many impressions were recorded."""
    return store.record_impressions(query_id, [(m.candidate_id, m.rank) for m in matches], surface=surface, by=by,
                                    unless_within=unless_within)
