"""Tables the app's pages show, as pandas frames and bytes: pure functions over a matcher, a prepared
upload or the store's reads. No Streamlit here (pages render), no SQL (that is ``store``).
"""

from .matches import MatchFilters, explanation, match_table, parts_frame, party_chains
from .upload import counts, preview_table, problems_table, rejected_csv, rejected_table, stored_rejected_csv

__all__ = ["MatchFilters", "explanation", "match_table", "parts_frame", "party_chains", "counts", "preview_table",
           "problems_table", "rejected_csv", "rejected_table", "stored_rejected_csv"]
