"""Industry matchmaking for the 沪苏通 cluster: profiles in, matches with their reasons out.

The packages, from the bottom up (each imports only those below it; ``make lint`` checks this):

- ``reference``: data locations, cities and districts, industry codes, chains, credit codes;
- ``profiles`` (the upload contract, reading, checking, reports, templates) and ``followup`` (the
  steps of following up a pair);
- ``store`` (the only code that talks to DuckDB) and ``embedding`` (models and the vector cache);
- ``matching`` (index, signals, ranking, explanations) and ``network`` (flows, alliances, maps);
- ``services`` (the one place joining storage with intake and matching);
- ``cli`` (``hst``) and ``views`` (the tables the app's pages show).

Import what you need from the subpackage; this package imports nothing itself (``hst ingest`` must not
pay for torch).
"""

__all__ = ["reference", "profiles", "followup", "store", "embedding", "matching", "network", "services", "cli",
           "views"]
