"""The settings of a matcher: how many points each score part can add, which channels run, how the
candidate's own gain enters, how much is retrieved. Frozen: a config is a value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

__all__ = ["Weights", "MatchConfig", "CHANNELS", "ADAPTED_CALIBRATION"]

#: The statement channels, in the order their points are added (see ``signals``).
CHANNELS = ("dense", "sparse", "concept")


@dataclass(frozen=True)
class Weights:
    """How many points each signal can add (a field per signal of ``signals``). Forward channels are per
    statement pair."""

    dense: float = 0.45
    sparse: float = 0.25
    concept: float = 0.30
    capital: float = 0.30  # a capital need met by an investor's offer, in place of the channels (signals.capital)
    multi_need: float = 0.10
    reverse: float = 0.15
    chain: float = 0.06
    partner_type: float = 0.04
    org_type: float = 0.08
    capacity: float = 0.10
    cross_city: float = 0.03
    site: float = 0.20  # deducted: a production base in none of the places the needs name
    focus: float = 0.15
    stage: float = 0.08
    coverage: float = 0.05  # deducted per answer already listed for the same need
    qualifiers: float = 0.04  # scaled by how well the object is met: never a match on its own


#: The dense calibration and channel weights for vectors passed through the chain adapter
#: (``embedding.adapter``; model ids with ``+adapter:``): (dense_z0, dense_scale, (dense, sparse, concept)).
#: Adapted vectors raise the standardised similarity of true pairs by 0.4–0.7 in every language pair, so
#: with the logistic centred at 2.0 many same-language pairs got nearly full dense points. Chosen on dev by
#: ``python -m bench.adapter calibrate`` (a rule fixed beforehand: the best nDCG@10 among the settings not
#: below the unadapted engine on en→en and zh→zh); held-out only checked.
ADAPTED_CALIBRATION = (3.0, 1.0, (0.50, 0.25, 0.25))


@dataclass(frozen=True)
class MatchConfig:
    """Settings of a matcher.

    ``channels`` switches channels off (ablations). ``fusion`` says how the candidate's own gain (the
    reverse direction) enters: 'gated' (scaled by how well the stated need is met, so it can lift a good
    answer but never carry a poor one), 'additive', or 'none'. ``retrieve`` is how many statements each
    channel retrieves per need before re-ranking; ``exhaustive`` re-ranks everyone (the brute-force path
    the fast one is checked against)."""

    weights: Weights = field(default_factory=Weights)
    channels: tuple[str, ...] = CHANNELS
    fusion: str = "gated"
    calibrate_languages: bool = True
    dense_z0: float = 2.0
    dense_scale: float = 1.0
    sparse_full: float = 0.35
    retrieve: int = 64
    exhaustive: bool = False
    cross_language_reweight: float = 1.0
    rerank: bool = True
    # the calibration (dense_z0, dense_scale, the channel weights) follows the vectors (``for_vectors``);
    # False: the fields as given
    follow_vectors: bool = True

    def __post_init__(self) -> None:
        bad = [c for c in self.channels if c not in CHANNELS]
        if bad or not self.channels:
            raise ValueError(f"The 'channels' parameter of MatchConfig must be a non-empty subset of dense, sparse, "
                             f"concept. Got {self.channels!r} instead.")
        if self.fusion not in ("gated", "additive", "none"):
            raise ValueError(f"The 'fusion' parameter of MatchConfig must be one of gated, additive, none. "
                             f"Got {self.fusion!r} instead.")
        if not 1 <= self.retrieve <= 100_000:
            raise ValueError(f"The 'retrieve' parameter of MatchConfig must be an int in [1, 100000]. "
                             f"Got {self.retrieve!r} instead.")

    def for_vectors(self, model_id: str) -> MatchConfig:
        """This config for vectors of ``model_id``: with ``follow_vectors``, adapted vectors get
        ``ADAPTED_CALIBRATION`` in place of dense_z0, dense_scale and the channel weights."""
        if not self.follow_vectors or "+adapter:" not in model_id:
            return self
        z0, scale, (dense, sparse, concept) = ADAPTED_CALIBRATION
        return replace(self, dense_z0=z0, dense_scale=scale, follow_vectors=False,
                       weights=replace(self.weights, dense=dense, sparse=sparse, concept=concept))

    def channel_weights(self, cross: bool) -> tuple[float, float, float]:
        """(dense, sparse, concept) weights for a statement pair. Words cannot be shared across
        languages, so for a cross-language pair (a share ``cross_language_reweight`` of) the sparse
        channel's weight goes to the channels that can bridge: every language pair can reach the same
        score. The parts of a match carry these effective weights."""
        w = self.weights
        wd = w.dense if "dense" in self.channels else 0.0
        ws = w.sparse if "sparse" in self.channels else 0.0
        wc = w.concept if "concept" in self.channels else 0.0
        if not cross or not ws or not (wd + wc):
            return wd, ws, wc
        a = self.cross_language_reweight
        lift = (wd + wc + a * ws) / (wd + wc)
        return wd * lift, ws * (1 - a), wc * lift
