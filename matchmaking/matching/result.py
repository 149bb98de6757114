"""What a matcher returns: a match and the labelled parts its score is the sum of."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Part", "Match"]


@dataclass(frozen=True)
class Part:
    """One labelled contribution to a score: ``points = weight × value`` (``signal`` names its module in
    ``signals``; ``evidence`` is what the value was computed from, for the explanation)."""

    signal: str
    value: float
    weight: float
    points: float
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    query_id: str
    query_kind: str
    candidate_id: str
    candidate_kind: str
    rank: int
    score: float
    relation: str
    parts: tuple[Part, ...]

    def part(self, signal: str) -> Part | None:
        return next((p for p in self.parts if p.signal == signal), None)
