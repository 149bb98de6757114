"""The parts a match score is the sum of: one module per part, each computing its term for a whole
block of pairs, its ``Part`` (value, weight, points, evidence), its label and its reasons in Chinese and
English — the ranking and its explanation come from the same code.

In the order their points are added and their parts are listed:

- statement channels (need ↔ offer statements): ``dense``, ``sparse``, ``concept``; for a capital need against
  an investor's offer, ``capital`` instead (fixed points: the deal signals decide among investors);
- ``multi_need`` (a second need met too), ``reverse`` (the candidate's own needs met);
- pair signals (query ↔ candidate party): ``qualifiers`` (what the needs require besides their object, met:
  a certification, a place, a quantity — only ever scaling a match the objects made), ``chain``,
  ``partner_type``, ``org_type``, ``cross_city``, ``site`` (a production base in the place the needs name);
  for a pair about capital (``deal``): ``capacity`` (ticket size), ``focus`` (the investor's chains),
  ``stage`` (rounds);
- ``coverage``: a deduction that lets a query with several needs see answers to each.

To add a signal: write its module (a ``PairSignal`` or ``StatementChannel``), add it to the tuple below
and give it a weight in ``config.Weights``.
"""

from .base import Explained, Pairs, PairSignal, Signal, StatementChannel
from .capacity import Capacity, capacity_fit, parse_money_range
from .capital import Capital, capital_cells
from .chain import Chain, segment_name
from .concept import Concept
from .coverage import Coverage
from .cross_city import CrossCity
from .dense import Dense
from .focus import Focus
from .multi_need import MultiNeed
from .org_type import ORG_TYPE_FIT, OrgType
from .partner_type import PARTNER_TYPES, PartnerType
from .qualifiers import Qualifiers
from .reverse import Reverse, ReverseScores
from .site import Site
from .sparse import Sparse
from .stage import Stage, rounds_in

__all__ = [
    "Signal",
    "StatementChannel",
    "PairSignal",
    "Pairs",
    "Explained",
    "CHANNELS",
    "MULTI_NEED",
    "CAPITAL",
    "capital_cells",
    "REVERSE",
    "COVERAGE",
    "PAIR_SIGNALS",
    "SIGNALS",
    "signal",
    "label",
    "ReverseScores",
    "parse_money_range",
    "capacity_fit",
    "rounds_in",
    "segment_name",
    "ORG_TYPE_FIT",
    "PARTNER_TYPES",
]

CHANNELS: tuple[StatementChannel, ...] = (Dense(), Sparse(), Concept())
MULTI_NEED = MultiNeed()
CAPITAL = Capital()
REVERSE = Reverse()
COVERAGE = Coverage()
PAIR_SIGNALS: tuple[PairSignal, ...] = (Qualifiers(), Chain(), PartnerType(), OrgType(), CrossCity(), Site(), Capacity(),
                                        Focus(), Stage())
#: every signal by name, in the order of a match's parts
SIGNALS: dict[str, Signal] = {s.name: s for s in (*CHANNELS, CAPITAL, MULTI_NEED, REVERSE, *PAIR_SIGNALS, COVERAGE)}


def signal(name: str) -> Signal:
    """The signal called ``name`` (``Part.signal``)."""
    return SIGNALS[name]


def label(name: str, lang: str) -> str:
    """A signal's name for people, in ``lang`` (the name itself for one this version does not know)."""
    s = SIGNALS.get(name)
    return s.label(lang) if s is not None else name
