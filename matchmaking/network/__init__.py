"""What the whole set of strong matches says about the 沪苏通 cluster: flows between the cities,
alliances proposed from communities of strong matches within one chain (with where their members are,
the chain segments they lack and who could fill them), the graph laid out for drawing (an alliance a
cluster), and the districts on a map.

Pure functions of a matcher/index and a match table: no Streamlit, no SQL, no I/O.
"""

from .communities import (
    ALLIANCE_NODE_LIMIT,
    MIN_MATCH_STRENGTH,
    Alliance,
    alliance_edges,
    alliances,
    gap_candidates,
    largest_chain,
    party_chains,
    roster,
    segment_name,
    strong_parties,
)
from .flows import TOP_MATCH_COLUMNS, city_flows, from_stored, strong_edges, top_matches
from .geo import DISTRICT_COLUMNS, aspect_ratio, city_outlines, district_table
from .layout import LABELLED_NODES, network, spring_layout

__all__ = [
    "TOP_MATCH_COLUMNS",
    "top_matches",
    "from_stored",
    "city_flows",
    "strong_edges",
    "Alliance",
    "alliances",
    "gap_candidates",
    "roster",
    "strong_parties",
    "largest_chain",
    "ALLIANCE_NODE_LIMIT",
    "MIN_MATCH_STRENGTH",
    "alliance_edges",
    "party_chains",
    "segment_name",
    "LABELLED_NODES",
    "network",
    "spring_layout",
    "district_table",
    "city_outlines",
    "aspect_ratio",
    "DISTRICT_COLUMNS",
]
