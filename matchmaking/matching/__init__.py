"""Matching: who should meet whom, and why, for both sides.

- ``config``: weights and settings (``MatchConfig``); ``result``: ``Match`` and its ``Part`` s;
- ``text`` (statements, tokens, language), ``concepts`` (the bilingual chain vocabulary), ``relations``
  (what a need asks for and what the pair would be);
- ``index`` (``MatchIndex``: everything about the parties, built once), ``rank`` (``Matcher``: retrieve,
  then rank a block of queries), ``signals`` (one module per score part), ``explain`` (the reasons),
  ``batch`` (everyone's matches as rows, over worker processes).

Nothing here talks to the database or reads files beyond the reference data.
"""

from .batch import MATCH_ROW_COLUMNS, match_all, match_records, match_rows
from .config import MatchConfig, Weights
from .explain import REASON_MIN_SHARE, pair_object, reasons, reasons_for_candidate
from .index import EmbedFn, MatchIndex
from .rank import Matcher
from .relations import RELATION_NAMES, RELATIONS, relation_name
from .result import Match, Part

__all__ = [
    "MatchConfig",
    "Weights",
    "MatchIndex",
    "EmbedFn",
    "Matcher",
    "Match",
    "Part",
    "reasons",
    "reasons_for_candidate",
    "pair_object",
    "REASON_MIN_SHARE",
    "RELATIONS",
    "RELATION_NAMES",
    "relation_name",
    "match_all",
    "match_records",
    "match_rows",
    "MATCH_ROW_COLUMNS",
]
