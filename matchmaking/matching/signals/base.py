"""The two shapes a score part takes, and what each is given.

A *statement channel* (dense, sparse, concept) scores need statements against offer statements: it
builds its own part of the index once, scores a block of statement pairs exactly, and retrieves the
offers (or needs) worth scoring. A *pair signal* (chain, partner type, …) scores a query against each of
its candidate parties at once. Both give, from the same arrays the ranking used, the ``Part`` of a match:
its value, weight, points and evidence, and the lines that explain it. So the ranking and its
explanation cannot drift apart, and adding a signal is adding one module.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from ..result import Match, Part

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..config import MatchConfig
    from ..index import MatchIndex

__all__ = ["Signal", "StatementChannel", "PairSignal", "Pairs", "Explained", "clip", "said"]


@dataclass(frozen=True)
class Explained:
    """What a signal's ``reasons`` is given: the match, the index, the language and the side reading it
    (``query``: the party the matches are for; ``candidate``: the party suggested to it)."""

    match: Match
    index: MatchIndex
    lang: str
    side: str
    min_points: float = 0.0  # a part carrying fewer points is no reason (``explain.REASON_MIN_SHARE``)

    @functools.cached_property
    def statement_parts(self) -> tuple[Part, ...]:
        """The match's statement channel parts (read by each of them: computed once)."""
        return tuple(p for p in self.match.parts if p.signal in _CHANNEL_NAMES)


def said(values: np.ndarray) -> np.ndarray:
    """A pair signal's values with its silence (NaN) as 0: what its points are computed from (values are
    finite or NaN)."""
    return np.where(np.isnan(values), 0.0, values)


def clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class Signal:
    """A score part: its name (the ``Weights`` field and ``Part.signal``), its label in both languages,
    and the lines that explain it."""

    name: ClassVar[str]
    label_zh: ClassVar[str]
    label_en: ClassVar[str]

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def weight(self, config: MatchConfig) -> float:
        return float(getattr(config.weights, self.name))

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        """Lines saying why this part counts, for ``ex.side`` in ``ex.lang`` (none by default)."""
        return []


class StatementChannel(Signal):
    """A channel over statement pairs. ``build`` adds its state to the index (``index.<name>``);
    ``scores`` gives values in [0, 1] for need rows × offer rows; ``retrieve`` adds, per need row, the
    offer rows this channel would rank highest; ``retrieve_reverse`` the need rows the given offers may
    answer."""

    def build(self, index: MatchIndex) -> Any:
        raise NotImplementedError

    def scores(self, index: MatchIndex, config: MatchConfig, need_rows: np.ndarray,
               offer_rows: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def retrieve(self, index: MatchIndex, config: MatchConfig, need_rows: np.ndarray, k: int,
                 found: list[set[int]]) -> None:
        raise NotImplementedError

    def retrieve_reverse(self, index: MatchIndex, config: MatchConfig, offer_rows: np.ndarray, k: int,
                         found: set[int]) -> None:
        raise NotImplementedError

    def evidence(self, index: MatchIndex, need_row: int, offer_row: int) -> dict[str, Any]:
        """What the value of one statement pair was computed from, beyond the two statements."""
        return {}

    def reasons(self, part: Part, ex: Explained) -> list[str]:
        """The statement pair that made the match (said once, by the first channel of the match, when it
        counts), then what this channel adds (``own_reasons``)."""
        channels = ex.statement_parts
        together = sum(p.points for p in channels)  # the statement pair counts as all its channels together
        lines = statement_pair_line(part, ex) if part is channels[0] and together > max(ex.min_points, 0) else []
        return lines + (self.own_reasons(part, ex) if part.points >= ex.min_points else [])

    def own_reasons(self, part: Part, ex: Explained) -> list[str]:
        return []


_CHANNEL_NAMES = ("dense", "sparse", "concept")


def statement_pair_line(part: Part, ex: Explained) -> list[str]:
    """The objects that met — the need's and the offer's (``objects``: without their qualifiers) — as the
    side reading it sees them."""
    need, offer = clip(part.evidence.get("need", "")), clip(part.evidence.get("offer", ""))
    if ex.side == "query":
        return [f"您需要的“{need}”↔ 对方提供的“{offer}”" if ex.lang == "zh" else f"you need “{need}” ↔ they offer “{offer}”"]
    return [f"对方需要的“{need}”↔ 您提供的“{offer}”" if ex.lang == "zh" else
            f"they need “{need}” ↔ you offer “{offer}”"]


@dataclass
class Pairs:
    """One query and its candidate parties, as the pair signals see them: arrays over candidates."""

    index: MatchIndex
    config: MatchConfig
    q: int  # the query's row in the index
    cand: np.ndarray  # candidate rows
    relation: np.ndarray  # index into RELATIONS, per candidate
    forward: np.ndarray | None = None  # per candidate: how well the query's best-met need is met (objects)
    # what signals derive from the same pairs, computed once per query (``derive``)
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def derive(self, key: str, make: Callable[[Pairs], Any]) -> Any:
        """``make(self)``, computed on the first call for ``key`` and kept with these pairs: what several
        signals (or one signal for every listed match) read from the same query's pairs."""
        if key not in self.derived:
            self.derived[key] = make(self)
        return self.derived[key]


class PairSignal(Signal):
    """A signal over (query, candidate) pairs. ``prepare`` computes once per index what it needs about
    every party (kept as ``index.prepared[name]``); ``values`` gives the raw value per candidate in
    [0, 1] (or in [−1, 1] for a signal that can say a pair is a known misfit: ``focus``), NaN where the signal is
    silent (no part); ``evidence`` says what one value came from."""

    def prepare(self, index: MatchIndex) -> Any:
        return None

    def values(self, pairs: Pairs) -> np.ndarray:
        raise NotImplementedError

    def evidence(self, pairs: Pairs, j: int) -> dict[str, Any]:
        return {}

    def points(self, pairs: Pairs, values: np.ndarray) -> np.ndarray:
        return self.weight(pairs.config) * said(values)

    def part(self, pairs: Pairs, values: np.ndarray, j: int) -> Part | None:
        """The part of candidate ``j`` (a position in ``pairs.cand``), or None when the signal is silent."""
        v = float(values[j])
        if math.isnan(v):
            return None
        w = self.weight(pairs.config)
        return Part(self.name, v, w, w * v, self.evidence(pairs, j))
