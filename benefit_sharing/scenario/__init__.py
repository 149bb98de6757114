"""Scenarios: what an official describes (a firm, its establishments, its flows, agreements, a game).

``model`` holds the frozen types, the allowed codes and who takes part in the CIT apportionment;
``reader`` reads and validates a file or a dict into them. Everything is importable from here::

    from benefit_sharing.scenario import Scenario, load_scenario, CITY_PROVINCE, takes_part

The package computes no tax.
"""

from .model import (
    CITY_PROVINCE,
    FORMS,
    GAME_RULES,
    LOCATION_TYPES,
    NON_PARTICIPATING_ROLES,
    ROLES,
    STATISTICS,
    TAXES,
    Agreement,
    Enterprise,
    Establishment,
    Factors,
    Game,
    Participation,
    Scenario,
    Schedule,
    YearFlows,
    establishment_label,
    takes_part,
    takes_part_many,
)
from .reader import load_scenario, read_scenario

__all__ = [
    "CITY_PROVINCE",
    "ROLES",
    "NON_PARTICIPATING_ROLES",
    "LOCATION_TYPES",
    "TAXES",
    "FORMS",
    "STATISTICS",
    "GAME_RULES",
    "Factors",
    "Establishment",
    "Enterprise",
    "YearFlows",
    "Schedule",
    "Agreement",
    "Game",
    "Scenario",
    "Participation",
    "establishment_label",
    "takes_part",
    "takes_part_many",
    "load_scenario",
    "read_scenario",
]
