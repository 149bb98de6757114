"""Learning from what staff and enterprises do with the suggestions (issue 13).

- ``outcomes``: the feedback file (``hst feedback import``/``export``), checked row by row, and what an
  outcome says about the fit (its grade);
- ``rank_learning``: pairwise logistic regression on the score parts, non-negative, blended with the
  hand-set weights by the amount of feedback; the lift on a time split with a bootstrap interval;
- ``collaborative``: the part ``collab`` (同类需求方已接洽): candidates taken forward — or declined as not fit —
  for similar queries, weighted by their similarity; and ``mutual`` (对方已跟进): the same pair's outcome
  from the other side's list; both added after the ranking by ``FeedbackMatcher``;
- ``exposure``: declined pairs kept out, the impression discount, the new profiles' share of the top;
- ``apply``: the above joined with the store — ``learn``, ``learned_matcher``, ``shown_matches``.

The ranking code is not changed: learned weights reach it as ``MatchConfig(weights=...)``; the ``collab``
and ``mutual`` parts and exposure are steps over a query's ranked list. See ``docs/feedback.md``.
"""

from .apply import (
    APP_REDRAW,
    LEARN_DEPTH,
    LearnReport,
    collect,
    evidence,
    learn,
    learned_matcher,
    record_shown,
    shown_matches,
)
from .collaborative import TWO_WAY, Collaborative, CollabPolicy, FeedbackMatcher
from .exposure import Adjusted, ExposurePolicy, adjust, depth_for, without_declined
from .outcomes import (
    COLUMNS,
    REASONS,
    STATUSES,
    FeedbackFileError,
    FeedbackRow,
    export_rows,
    grade_of,
    parse_feedback,
    read_feedback,
)
from .rank_learning import (
    EXTRA,
    LEARNABLE,
    Lift,
    QueryOutcomes,
    RankLearner,
    features,
    ndcg_at,
    time_split_lift,
)

__all__ = [
    "COLUMNS",
    "STATUSES",
    "REASONS",
    "FeedbackFileError",
    "FeedbackRow",
    "parse_feedback",
    "read_feedback",
    "export_rows",
    "grade_of",
    "LEARNABLE",
    "EXTRA",
    "Collaborative",
    "TWO_WAY",
    "CollabPolicy",
    "FeedbackMatcher",
    "RankLearner",
    "QueryOutcomes",
    "Lift",
    "features",
    "ndcg_at",
    "time_split_lift",
    "ExposurePolicy",
    "Adjusted",
    "adjust",
    "depth_for",
    "without_declined",
    "LEARN_DEPTH",
    "LearnReport",
    "evidence",
    "collect",
    "learn",
    "learned_matcher",
    "shown_matches",
    "record_shown",
    "APP_REDRAW",
]
