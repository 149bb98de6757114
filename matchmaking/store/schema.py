"""The database schema: profile tables built from the upload contract, and forward-only migrations.

The content hash of a profile row is computed in SQL (``hash_sql``) over its typed values. Nothing here
runs a statement: ``connection.Connection.migrate`` applies the steps.
"""

from __future__ import annotations

import duckdb

from ..profiles.contract import KEY, STORED_COLUMNS

__all__ = ["TABLE", "VERSIONS", "MIGRATIONS", "SCHEMA_VERSION", "HASH_FUNCTION", "profile_columns", "hash_sql"]

TABLE = {"organisations": "organisations", "projects": "projects"}
VERSIONS = {"organisations": "organisation_versions", "projects": "project_versions"}

_SQL_TYPES = {"number": "DECIMAL(18,4)", "int": "BIGINT", "year": "INTEGER", "list": "VARCHAR[]"}


def profile_columns(kind: str) -> list[tuple[str, str]]:
    """The profile columns of a kind as the current schema has them: (name, SQL type)."""
    cols = [(c.name, _SQL_TYPES.get(c.kind, "VARCHAR")) for c in STORED_COLUMNS[kind]]
    return [*cols, ("district_adcode", "VARCHAR"), ("extra", "JSON")]


# The profile columns of schema 1, frozen: a released migration never changes (later columns are added
# by their own steps).
_V1_COLUMNS = {
    "organisations": [("credit_code", "VARCHAR"), ("name", "VARCHAR"), ("org_type", "VARCHAR"), ("city", "VARCHAR"),
                      ("district", "VARCHAR"), ("industry_code", "VARCHAR"), ("description", "VARCHAR"),
                      ("offers", "VARCHAR"), ("seeks", "VARCHAR"), ("partner_types", "VARCHAR[]"),
                      ("revenue_wan", "DECIMAL(18,4)"), ("employees", "BIGINT"), ("founded_year", "INTEGER"),
                      ("contact_name", "VARCHAR"), ("contact_phone", "VARCHAR"), ("contact_email", "VARCHAR"),
                      ("district_adcode", "VARCHAR"), ("extra", "JSON")],
    "projects": [("project_id", "VARCHAR"), ("title", "VARCHAR"), ("sponsor_credit_code", "VARCHAR"),
                 ("city", "VARCHAR"), ("district", "VARCHAR"), ("industry_code", "VARCHAR"), ("description", "VARCHAR"),
                 ("seeks", "VARCHAR"), ("investment_wan", "DECIMAL(18,4)"), ("stage", "VARCHAR"),
                 ("contact_name", "VARCHAR"), ("contact_phone", "VARCHAR"), ("contact_email", "VARCHAR"),
                 ("district_adcode", "VARCHAR"), ("extra", "JSON")],
}


# The content hash of a profile row is DuckDB's hash() of its typed values: several times faster than
# md5 over their text, but DuckDB does not promise that hash() stays the same across its versions. So the
# function in use is recorded in `meta`, and every stored hash is recomputed when it changes (see migrate).
HASH_FUNCTION = f"hash() of duckdb {duckdb.__version__}"


def hash_sql(kind: str, alias: str) -> str:
    """SQL for the content hash of a profile row (over every profile column, in order)."""
    prefix = f"{alias}." if alias else ""
    return f"CAST(hash({', '.join(prefix + n for n, _ in profile_columns(kind))}) AS VARCHAR)"


def _create_profile_tables(kind: str) -> list[str]:
    key = KEY[kind]
    body = ",\n  ".join(f"{n} {t}" + (" PRIMARY KEY" if n == key else "") for n, t in _V1_COLUMNS[kind])
    vbody = ",\n  ".join(f"{n} {t}" for n, t in _V1_COLUMNS[kind])
    return [
        f"""CREATE TABLE {TABLE[kind]} (
  {body},
  version INTEGER NOT NULL,
  content_hash VARCHAR NOT NULL,
  upload_id BIGINT,
  updated_at TIMESTAMP NOT NULL)""",
        f"""CREATE TABLE {VERSIONS[kind]} (
  {vbody},
  version INTEGER NOT NULL,
  content_hash VARCHAR NOT NULL,
  upload_id BIGINT,
  recorded_at TIMESTAMP NOT NULL,
  PRIMARY KEY ({key}, version))""",
    ]


# Forward-only migrations: (version, statements). Never edit a released step; add a new one.
MIGRATIONS: list[tuple[int, list[str]]] = [
    (1, [
        "CREATE SEQUENCE upload_seq START 1",
        """CREATE TABLE uploads (
  upload_id BIGINT PRIMARY KEY,
  kind VARCHAR NOT NULL,
  file_name VARCHAR NOT NULL,
  file_hash VARCHAR NOT NULL,
  file_bytes BIGINT,
  format VARCHAR,
  encoding VARCHAR,
  header_lang VARCHAR,
  received_at TIMESTAMP NOT NULL,
  strict BOOLEAN NOT NULL,
  rows_total INTEGER NOT NULL,
  rows_new INTEGER NOT NULL,
  rows_updated INTEGER NOT NULL,
  rows_unchanged INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  status VARCHAR NOT NULL,
  unknown_columns VARCHAR[],
  notices VARCHAR[])""",
        """CREATE TABLE rejected_rows (
  upload_id BIGINT NOT NULL,
  row_number INTEGER NOT NULL,
  raw JSON NOT NULL,
  PRIMARY KEY (upload_id, row_number))""",
        """CREATE TABLE rejections (
  upload_id BIGINT NOT NULL,
  row_number INTEGER NOT NULL,
  column_name VARCHAR,
  value VARCHAR,
  reason VARCHAR NOT NULL,
  reason_zh VARCHAR NOT NULL)""",
        """CREATE TABLE embeddings (
  model_id VARCHAR NOT NULL,
  text_hash VARCHAR NOT NULL,
  dim INTEGER NOT NULL,
  vector BLOB NOT NULL,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (model_id, text_hash))""",
        *_create_profile_tables("organisations"),
        *_create_profile_tables("projects"),
    ]),
    # 2: the versions tables keep *earlier* versions only (the current one lives in the profile table, so a
    # first upload writes each profile once); content hashes are computed by DuckDB over the typed values
    # (recomputed by migrate(), see HASH_FUNCTION); upload notices are kept in Chinese too; upload ids are max + 1 within the upload's
    # transaction, so a failed upload leaves no trace (a sequence's increments survive a rollback).
    (2, [
        *[f"""DELETE FROM {VERSIONS[k]} WHERE ({KEY[k]}, version) IN (SELECT {KEY[k]}, version FROM {TABLE[k]})"""
          for k in ("organisations", "projects")],
        "ALTER TABLE uploads ADD COLUMN notices_zh VARCHAR[]",
        "DROP SEQUENCE upload_seq",
    ]),
    # 3: the follow-up of suggested pairs (see matchmaking.followup): current status per pair, and every
    # change as an event, so staff can see who moved a pair when.
    (3, [
        """CREATE TABLE shortlist (
  query_id VARCHAR NOT NULL,
  candidate_id VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  reason_code VARCHAR,
  note VARCHAR,
  updated_at TIMESTAMP NOT NULL,
  PRIMARY KEY (query_id, candidate_id))""",
        """CREATE TABLE shortlist_events (
  query_id VARCHAR NOT NULL,
  candidate_id VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  reason_code VARCHAR,
  note VARCHAR,
  changed_at TIMESTAMP NOT NULL)""",
    ]),
    # 4: stored results of `hst match --all --store`, for pages that summarise everyone's matches (flows,
    # alliances) on data too large to match on the fly; valid for one data version and one model.
    (4, [
        """CREATE TABLE match_results (
  data_version BIGINT NOT NULL,
  model_id VARCHAR NOT NULL,
  query_id VARCHAR NOT NULL,
  query_kind VARCHAR NOT NULL,
  rank INTEGER NOT NULL,
  candidate_id VARCHAR NOT NULL,
  candidate_kind VARCHAR NOT NULL,
  score DOUBLE NOT NULL,
  relation VARCHAR NOT NULL,
  PRIMARY KEY (data_version, model_id, query_id, rank))""",
    ]),
    # 5: what enterprise-information platforms export beside the contract: the address (where a place is
    # read from when no city or district is given) and the business scope (经营范围, what a firm is licensed
    # to do: its offers when it states none).
    (5, [f"ALTER TABLE {t} ADD COLUMN {c} VARCHAR" for k, cols in (("organisations", ("address", "business_scope")),
                                                                    ("projects", ("address",)))
         for t in (TABLE[k], VERSIONS[k]) for c in cols]),
    # 6: follow-up that staff can act on and audit: each followed-up pair gets an owner and a next-action date,
    # and every change (status, note, owner, date) is an event saying who made it. Notes are history: a save
    # adds its note as an event and never overwrites an earlier one. Events before 6 have no author (NULL).
    (6, [
        "ALTER TABLE shortlist ADD COLUMN owner VARCHAR",
        "ALTER TABLE shortlist ADD COLUMN next_action_on DATE",
        "ALTER TABLE shortlist ADD COLUMN updated_by VARCHAR",
        "ALTER TABLE shortlist_events ADD COLUMN owner VARCHAR",
        "ALTER TABLE shortlist_events ADD COLUMN next_action_on DATE",
        "ALTER TABLE shortlist_events ADD COLUMN changed_by VARCHAR",
    ]),
    # 7: accounts (issue 11; see matchmaking.accounts): one row per user with its role, argon2 hash, whether it
    # is disabled and its run of failed logins (the backoff holds across sessions and restarts); enterprise
    # accounts are bound to the organisations they speak for by credit code. The roles are written out here,
    # not taken from accounts.ROLES: a released step never changes.
    (7, [
        """CREATE TABLE users (
  name VARCHAR PRIMARY KEY,
  role VARCHAR NOT NULL CHECK (role IN ('admin', 'staff', 'official', 'enterprise')),
  password_hash VARCHAR NOT NULL,
  disabled BOOLEAN NOT NULL,
  created_at TIMESTAMP NOT NULL,
  changed_at TIMESTAMP NOT NULL,
  failed_logins INTEGER NOT NULL,
  last_failed_at TIMESTAMP,
  last_login_at TIMESTAMP)""",
        """CREATE TABLE user_orgs (
  name VARCHAR NOT NULL,
  credit_code VARCHAR NOT NULL,
  PRIMARY KEY (name, credit_code))""",
    ]),
    # 8: who may see whom (issue 11; see matchmaking.access). An interest is one side's "I would like to meet
    # them" (party → party, by an account); two interests in opposite directions, or an introduction by staff,
    # reveal the two parties to each other (their names and contacts). The audit log is every reveal, every
    # look at contacts, every change of a profile and every introduction: who, when, what, about whom.
    (8, [
        """CREATE TABLE interests (
  from_id VARCHAR NOT NULL,
  to_id VARCHAR NOT NULL,
  by_user VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (from_id, to_id))""",
        """CREATE TABLE introductions (
  a_id VARCHAR NOT NULL,
  b_id VARCHAR NOT NULL,
  how VARCHAR NOT NULL CHECK (how IN ('mutual', 'staff')),
  by_user VARCHAR NOT NULL,
  note VARCHAR,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (a_id, b_id))""",
        """CREATE TABLE audit_log (
  logged_at TIMESTAMP NOT NULL,
  actor VARCHAR NOT NULL,
  role VARCHAR NOT NULL,
  action VARCHAR NOT NULL,
  subject_id VARCHAR,
  other_id VARCHAR,
  detail VARCHAR)""",
        "ALTER TABLE uploads ADD COLUMN uploaded_by VARCHAR",
    ]),
    # 9: learning from outcomes (issue 13; see matchmaking.learning). Every time a pair is shown (the matches
    # page, `hst match`) is an impression, so a pair shown again and again and never acted on can move down;
    # each `hst feedback import` is recorded, and its status changes go into shortlist_events with their source
    # (NULL: the app's form); each `hst learn` keeps the weights before and after, how much feedback made them
    # and the lift measured on a time split, so the funnel page can show what changed the ranking.
    (9, [
        """CREATE TABLE impressions (
  query_id VARCHAR NOT NULL,
  candidate_id VARCHAR NOT NULL,
  rank INTEGER NOT NULL,
  surface VARCHAR NOT NULL,
  shown_by VARCHAR,
  shown_at TIMESTAMP NOT NULL)""",
        """CREATE TABLE feedback_imports (
  import_id INTEGER PRIMARY KEY,
  file_name VARCHAR NOT NULL,
  file_hash VARCHAR NOT NULL,
  imported_by VARCHAR NOT NULL,
  imported_at TIMESTAMP NOT NULL,
  rows_total INTEGER NOT NULL,
  rows_written INTEGER NOT NULL,
  rows_unchanged INTEGER NOT NULL)""",
        "ALTER TABLE shortlist_events ADD COLUMN source VARCHAR",
        """CREATE TABLE learned_weights (
  fit_id INTEGER PRIMARY KEY,
  fitted_at TIMESTAMP NOT NULL,
  fitted_by VARCHAR NOT NULL,
  model_id VARCHAR NOT NULL,
  hand JSON NOT NULL,
  learned JSON NOT NULL,
  blended JSON NOT NULL,
  blend DOUBLE NOT NULL,
  outcomes INTEGER NOT NULL,
  queries INTEGER NOT NULL,
  comparisons INTEGER NOT NULL,
  lift DOUBLE,
  lift_low DOUBLE,
  lift_high DOUBLE,
  test_queries INTEGER,
  report JSON)""",
    ]),
    # 10: server-side sessions (see matchmaking.accounts and store.sessions), so a login survives a reload: the
    # browser keeps a random token in a cookie, this table only its SHA-256 (a stolen copy of the file opens no
    # session), the account, the account's changed_at at login (a password change or a disable ends the
    # session), when it began and when it was last used (idle ones end). A log-out deletes its row.
    (10, [
        """CREATE TABLE sessions (
  token_hash VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  changed_at TIMESTAMP NOT NULL,
  created_at TIMESTAMP NOT NULL,
  last_seen TIMESTAMP NOT NULL)""",
    ]),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
