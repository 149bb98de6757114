"""The store: the only code that talks to DuckDB.

One DuckDB file holds the current profiles and every earlier version of each, one row per upload, the
rejected rows of each upload with their reasons, embedding vectors by model and text hash, the follow-up
of suggested pairs, stored ``match --all`` results, and the accounts of who may sign in. A module per
table family:

- ``schema``: tables and forward-only migrations; ``connection``: opening, cursors, locks, migrating;
- ``uploads`` (with the profile writes), ``profiles`` (reads), ``embeddings``, ``shortlist``,
  ``match_results``, ``accounts``, ``sessions`` (logins that survive a reload), ``reveals`` (interests,
  introductions, the audit log).

Every statement binds its values; the only text formatted into SQL is column and table names from the
schema's own constants.
"""

from .accounts import Accounts
from .connection import Connection, StoreBusy
from .embeddings import Embeddings
from .feedback import Feedback, ImportCounts, OutcomeChange, OutcomeProblem
from .match_results import MATCH_RESULT_COLUMNS, MatchResults
from .profiles import Profiles
from .reveals import AUDIT_COLUMNS, Reveals
from .schema import HASH_FUNCTION, SCHEMA_VERSION
from .sessions import Sessions
from .shortlist import Shortlist
from .uploads import PAUSE_ENV, PAUSE_MARKER, UploadCounts, UploadRecord, Uploads

__all__ = ["Store", "StoreBusy", "SCHEMA_VERSION", "HASH_FUNCTION", "UploadRecord", "UploadCounts",
           "MATCH_RESULT_COLUMNS", "AUDIT_COLUMNS", "PAUSE_ENV", "PAUSE_MARKER", "OutcomeChange", "OutcomeProblem",
           "ImportCounts"]


class Store(Uploads, Profiles, Embeddings, Shortlist, MatchResults, Accounts, Sessions, Reveals, Feedback, Connection):
    """A DuckDB file holding profiles, their history, uploads, embeddings, follow-ups, match results,
    accounts and their sessions.

    ``Store(path)`` holds the file open; ``transient=True`` opens it for each call and closes it straight
    after, so that other processes (``hst ingest`` while the app runs) can take their turn;
    ``wait_seconds`` is how long an open waits for another process to let go of the file;
    ``read_only`` never writes (and never migrates)."""
