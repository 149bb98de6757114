"""Exposure: what has already been shown, and to whom, changes what is shown next — a step after the
ranking, over one query's ranked matches (the matcher itself is untouched).

- **Declined pairs stay out** of their query's list (whatever the reason: a decline for timing is not
  evidence against the fit for learning, but staff asked not to see the pair again).
- **Impression discount** (LinkedIn PYMK's lesson): a pair shown more than ``free_impressions`` times and
  never acted on (no follow-up status, no expressed interest) is ordered as if its score were lower by
  ``discount_per_impression`` per further showing, at most ``max_discount``. Its score and parts are not
  changed — they still say what the pair is worth — only its place; the note says why it moved.
- **New profiles get a share of the top slots**: up to ``new_share`` of the ``top_k`` places go to
  profiles first seen within ``new_days`` days and shown fewer than ``new_max_shown`` times in all, when
  the list would otherwise hold fewer, taken from further down the list only if their score is at least
  ``new_floor`` × the score of the last place (so a poor match is never promoted for being new). It applies
  only once outcomes exist: before anyone has acted on a suggestion, old profiles have no head start.

No feedback, no impressions → exactly the matcher's list. Nothing here talks to the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..matching import Match
from ..matching.arrays import TIE_DECIMALS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ExposurePolicy", "Adjusted", "adjust", "depth_for", "without_declined"]


@dataclass(frozen=True)
class ExposurePolicy:
    free_impressions: int = 3
    discount_per_impression: float = 0.02
    max_discount: float = 0.10
    new_share: float = 0.2
    new_days: int = 30
    new_max_shown: int = 20
    new_floor: float = 0.6

    def __post_init__(self) -> None:
        if not 0 <= self.new_share <= 1:
            raise ValueError(f"The 'new_share' parameter of ExposurePolicy must be a number in [0, 1]. "
                             f"Got {self.new_share!r} instead.")
        for name in ("discount_per_impression", "max_discount", "new_floor"):
            if getattr(self, name) < 0:
                raise ValueError(f"The '{name}' parameter of ExposurePolicy must be a number >= 0. "
                                 f"Got {getattr(self, name)!r} instead.")

    def discount(self, unacted_impressions: int) -> float:
        extra = max(0, int(unacted_impressions) - self.free_impressions)
        return min(self.max_discount, self.discount_per_impression * extra)


@dataclass(frozen=True)
class Adjusted:
    """The list to show (ranks renumbered from 1) and, per candidate moved by exposure, why:
    ``{"impressions": n, "discount": d}`` or ``{"new_profile": True, "from_rank": r}``; ``hidden``: the
    declined candidates taken out."""

    matches: list[Match]
    notes: dict[str, dict] = field(default_factory=dict)
    hidden: list[str] = field(default_factory=list)


def depth_for(top_k: int, declined: int = 0) -> int:
    """How deep to ask the matcher so that ``top_k`` remain after exposure (declined pairs taken out, new
    profiles found further down)."""
    return min(1000, max(3 * top_k, top_k + declined + 10))


def adjust(matches: Sequence[Match], top_k: int, *, declined: frozenset[str] | set[str] = frozenset(),
           unacted: Mapping[str, int] | None = None, new_ids: frozenset[str] | set[str] = frozenset(),
           share_active: bool = False, policy: ExposurePolicy | None = None) -> Adjusted:
    """Apply the exposure rules to one query's ranked ``matches`` (deeper than ``top_k``: ``depth_for``).
    ``unacted``: per candidate, how many times the pair was shown without being acted on; ``new_ids``:
    candidates that count as new profiles; ``share_active``: whether the new-profile share applies."""
    policy = policy or ExposurePolicy()
    unacted = unacted or {}
    hidden = [m.candidate_id for m in matches if m.candidate_id in declined]
    kept = [m for m in matches if m.candidate_id not in declined]
    notes: dict[str, dict] = {}
    order_score = {}
    for m in kept:
        d = policy.discount(unacted.get(m.candidate_id, 0))
        order_score[m.candidate_id] = m.score - d
        if d > 0:
            notes[m.candidate_id] = {"impressions": int(unacted[m.candidate_id]), "discount": round(d, 4)}
    if notes:  # only move anything when there is a discount: ties keep the matcher's order exactly
        kept = sorted(kept, key=lambda m: (-round(order_score[m.candidate_id], TIE_DECIMALS), m.rank))
    top, rest = kept[:top_k], kept[top_k:]
    slots = int(policy.new_share * top_k)
    if share_active and slots and top and new_ids:
        have = sum(m.candidate_id in new_ids for m in top)
        floor = policy.new_floor * order_score[top[-1].candidate_id]
        promote = [m for m in rest if m.candidate_id in new_ids and order_score[m.candidate_id] >= floor]
        promote = promote[:max(0, slots - have)]
        if promote and len(top) == top_k:
            # the lowest places not held by new profiles make room, in order
            out_pos = [i for i in range(len(top) - 1, -1, -1) if top[i].candidate_id not in new_ids][:len(promote)]
            out_pos.sort()
            for i, m in zip(out_pos, promote, strict=False):
                notes[m.candidate_id] = {"new_profile": True, "from_rank": m.rank}
                top[i] = m
            # promoted ones go after the established matches they joined, in their own order
            regular = [m for m in top if m.candidate_id not in {p.candidate_id for p in promote}]
            top = regular + list(promote)
    return Adjusted([replace(m, rank=i) for i, m in enumerate(top, start=1)], notes, hidden)


def without_declined(table: pd.DataFrame, shortlist: pd.DataFrame, top_k: int) -> pd.DataFrame:
    """``match --all`` rows (query_id, rank, candidate_id, …) without the declined pairs, the first ``top_k``
    of each query kept and ranked 1.. again (the rows were computed ``Store.most_declined()`` deeper)."""
    declined = shortlist[shortlist.status == "declined"] if not shortlist.empty else shortlist
    if len(declined):
        gone = table.set_index(["query_id", "candidate_id"]).index.isin(
            list(zip(declined.query_id, declined.candidate_id, strict=True)))
        table = table[~gone]
    table = table.sort_values(["query_id", "rank"], kind="stable")
    table = table[table.groupby("query_id").cumcount() < top_k].copy()
    table["rank"] = table.groupby("query_id").cumcount() + 1
    return table.reset_index(drop=True)
