"""Tables the app's pages show, as pandas frames and bytes: pure functions over a matcher, a prepared
upload or the store's reads. No Streamlit here (pages render), no SQL (that is ``store``).

- ``matches``: a party's ranked matches (scores in points, what each is about), both sides' reasons, parts;
- ``followup``: a party's followed-up pairs and one pair's history;
- ``profile``: a party's own page (public fields, needs and offers, tables of linked parties);
- ``upload``: a checked file's report, preview and rejected rows;
- ``links``: the app's addresses for one party (``profile?org=…``), shared by every table;
- ``names``: stored values (cities, districts, types, industry codes) as people read them.
"""

from .followup import PairState, history_table, pair_state, shortlist_table
from .links import LINK_TEXT, party_from_params, party_param, party_url, store_kind
from .matches import (
    MATCH_COLUMNS,
    SCORE_SCALE,
    MatchFilters,
    explanation,
    match_table,
    parts_frame,
    party_chains,
    points,
)
from .names import city_name, value_text
from .profile import parties_table, party_name, profile_facts, profile_texts, recent_parties
from .upload import counts, preview_table, problems_table, rejected_csv, rejected_table, stored_rejected_csv

__all__ = ["MatchFilters", "explanation", "match_table", "parts_frame", "party_chains", "points", "SCORE_SCALE",
           "MATCH_COLUMNS", "PairState", "pair_state", "shortlist_table", "history_table", "LINK_TEXT", "party_url", "party_param",
           "party_from_params", "store_kind", "city_name", "value_text", "party_name", "profile_facts",
           "profile_texts", "parties_table", "recent_parties", "counts", "preview_table", "problems_table", "rejected_csv",
           "rejected_table", "stored_rejected_csv"]
