"""Server-side sessions (schema 10): a login that survives a reload. Only the token's SHA-256 is stored; a
session resolves to its account while it is neither idle longer than SESSION_IDLE nor older than
SESSION_LIFETIME, its account is enabled and unchanged since the login; a log-out, a password change and a
disable end it; a schema-9 database gains the table. Real DuckDB files; nothing mocked."""

from __future__ import annotations

import datetime as dt
import hashlib

import duckdb
import pytest
from foundation_helpers import BAD_INPUTS, dump

from matchmaking.accounts import (
    SESSION_IDLE,
    SESSION_LIFETIME,
    SESSION_TOUCH,
    UnknownAccount,
    Viewer,
    new_session_token,
    session_token_hash,
)
from matchmaking.services import ingest_file
from matchmaking.store import SCHEMA_VERSION, Store
from matchmaking.store.schema import MIGRATIONS

ORGS = BAD_INPUTS / "01_utf8_valid.csv"  # five organisations, three of them enterprises
FIRM = "91310115MA0000007H"
PW = "correct horse battery"
T0 = dt.datetime(2025, 3, 1, 9, 0, 0)


@pytest.fixture
def store(tmp_path):
    """A store with a staff account and an enterprise one bound to FIRM."""
    with Store(tmp_path / "hst.duckdb") as s:
        assert ingest_file(s, ORGS).exit_code == 0
        s.add_user("alice", "staff", PW)
        s.add_user("firm", "enterprise", PW, [FIRM])
        yield s


def log_in(store: Store, name: str, now: dt.datetime = T0) -> str:
    result = store.authenticate(name, PW, now=now)
    assert result.ok
    return store.create_session(name, result.changed_at, now=now)


def test_tokens_are_random_and_only_their_hash_is_stored(store, tmp_path):
    tokens = {new_session_token() for _ in range(200)}
    assert len(tokens) == 200 and all(session_token_hash(t) for t in tokens)
    token = log_in(store, "alice")
    assert session_token_hash(token) == hashlib.sha256(token.encode()).hexdigest()
    store.close()
    everything = repr(dump(tmp_path / "hst.duckdb"))
    assert token not in everything and session_token_hash(token) in everything
    for not_a_token in ("", "x", token + "A", token[:-1] + "=", "' OR 1=1 --" + "a" * 32, None, 42):
        assert session_token_hash(not_a_token) is None  # type: ignore[arg-type]


def test_a_session_resolves_to_its_account(store):
    token = log_in(store, "firm")
    result = store.resolve_session(token, now=T0 + dt.timedelta(minutes=5))
    assert result.ok and result.viewer == Viewer("firm", "enterprise", (FIRM,))
    assert result.changed_at == store.account("firm").changed_at
    other = log_in(store, "alice")
    assert store.resolve_session(other, now=T0).viewer == Viewer("alice", "staff")
    assert store.session_count() == 2 and store.session_count("firm") == 1
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    for wrong in (new_session_token(), "", "garbage", flipped):
        assert store.resolve_session(wrong, now=T0).refused == "unknown"
    with pytest.raises(UnknownAccount):
        store.create_session("nobody", T0, now=T0)


def test_an_idle_session_expires_and_a_click_keeps_it_alive(store):
    token = log_in(store, "alice")
    assert store.resolve_session(token, now=T0 + SESSION_IDLE - dt.timedelta(seconds=1)).ok  # touched here
    later = T0 + SESSION_IDLE * 2 - dt.timedelta(seconds=2)  # idle just under the limit since the touch
    assert store.resolve_session(token, now=later).ok
    assert store.resolve_session(token, now=later + SESSION_IDLE + SESSION_TOUCH).refused == "expired"


def test_a_touch_is_written_at_most_once_per_interval(store):
    token = log_in(store, "alice")
    assert store.resolve_session(token, now=T0 + SESSION_TOUCH / 2).ok  # not written: too soon
    assert store.resolve_session(token, now=T0 + SESSION_IDLE + SESSION_TOUCH / 4).refused == "expired"


def test_a_session_ends_after_its_lifetime_however_busy(store):
    token = log_in(store, "alice")
    now = T0
    while now + SESSION_IDLE / 2 < T0 + SESSION_LIFETIME:
        now += SESSION_IDLE / 2
        assert store.resolve_session(token, now=now).ok
    assert store.resolve_session(token, now=T0 + SESSION_LIFETIME + dt.timedelta(seconds=1)).refused == "expired"


def test_a_password_change_or_a_disable_ends_every_session_of_the_account(store):
    a1, a2, f = log_in(store, "alice"), log_in(store, "alice"), log_in(store, "firm")
    store.set_password("alice", "another good one")
    assert store.resolve_session(a1, now=T0).refused == "unknown" and store.resolve_session(a2, now=T0).refused == "unknown"
    assert store.session_count("alice") == 0 and store.resolve_session(f, now=T0).ok  # the others' stay
    store.disable_user("firm")
    assert not store.resolve_session(f, now=T0).ok and store.session_count() == 0


def test_a_session_bound_to_an_older_changed_at_is_dead_at_birth(store):
    stale = store.account("alice").changed_at
    store.set_password("alice", "another good one")  # between the check and the session's creation
    token = store.create_session("alice", stale, now=T0)
    assert store.resolve_session(token, now=T0).refused == "ended"
    log_in(store, "firm", now=T0 + dt.timedelta(seconds=1))  # any new login sweeps the dead one away
    assert store.session_count("alice") == 0 and store.session_count("firm") == 1


def test_log_out_deletes_the_row_and_only_that_one(store):
    mine, other_tab_elsewhere = log_in(store, "alice"), log_in(store, "alice")
    assert store.revoke_session(mine) and not store.revoke_session(mine) and not store.revoke_session("garbage")
    assert store.resolve_session(mine, now=T0).refused == "unknown"
    assert store.resolve_session(other_tab_elsewhere, now=T0).ok
    assert store.revoke_sessions("alice") == 1 and store.session_count() == 0


def test_sessions_survive_reopening_the_file(store, tmp_path):
    token = log_in(store, "firm")
    store.close()
    with Store(tmp_path / "hst.duckdb", transient=True) as again:  # as the app opens it
        assert again.resolve_session(token, now=T0 + dt.timedelta(hours=1)).viewer.name == "firm"


def test_a_schema_9_database_gains_the_sessions_table(tmp_path):
    db = tmp_path / "v9.duckdb"
    with Store(db) as s:
        s.add_user("alice", "staff", PW)
    con = duckdb.connect(str(db))  # back to what the previous release left
    con.execute("DROP TABLE sessions")
    con.execute("UPDATE meta SET value = '9' WHERE key = 'schema_version'")
    con.close()
    assert MIGRATIONS[-1][0] == SCHEMA_VERSION >= 10
    with Store(db, read_only=True) as old:  # read-only never migrates: no session there, and no error
        assert old.schema_version() == 9 and old.session_count() == 0
        assert old.resolve_session(new_session_token()).refused == "unknown"
    with Store(db) as s:
        assert s.schema_version() == SCHEMA_VERSION and s.account("alice") is not None
        assert s.resolve_session(log_in(s, "alice", now=dt.datetime.now())).ok
