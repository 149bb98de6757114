"""Accounts (issue 11, items 1–2): ``hst user`` as scripts drive it, argon2 hashes, refusals, the backoff
after failed logins, the upgrade of a schema-6 database, and ``hst app``'s refusal to listen beyond this
machine without accounts. Real DuckDB files and the real CLI in subprocesses; nothing mocked."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import subprocess
from pathlib import Path

import duckdb
import pytest
from foundation_helpers import BAD_INPUTS, assert_no_traceback, hst_command, hst_env

from matchmaking.accounts import (
    BACKOFF_MAX_SECONDS,
    FREE_FAILURES,
    AccountRefused,
    Viewer,
    backoff_seconds,
    check_name,
)
from matchmaking.cli.app import is_loopback
from matchmaking.reference.credit_code import make
from matchmaking.services import ingest_file
from matchmaking.store import SCHEMA_VERSION, Store
from matchmaking.store.schema import HASH_FUNCTION, MIGRATIONS

ORGS = BAD_INPUTS / "01_utf8_valid.csv"  # five organisations, three of them enterprises
FIRM, FIRM2 = "91310115MA0000007H", "91320594MA0000015J"
NOT_STORED = make("310115", "MA0000AB")  # a valid code of no stored organisation
PW = "correct horse battery"


def user(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """``hst --db DB user ARGS`` with ``stdin`` on its standard input; never a traceback."""
    proc = subprocess.run(hst_command(db, "user", *args), input=stdin, env=hst_env(), capture_output=True,
                          text=True, timeout=120, check=False)
    assert_no_traceback(proc)
    return proc


def filled(path: Path) -> Path:
    with Store(path) as store:
        assert ingest_file(store, ORGS).exit_code == 0
    return path


@pytest.fixture
def db(tmp_path) -> Path:
    return filled(tmp_path / "hst.duckdb")


# ------------------------------------------------------------------------------------------------ CLI
def test_add_list_disable_passwd_round_trip(db):
    add = user(db, "add", "alice", "--role", "staff", "--password-stdin", stdin=PW + "\n")
    assert add.returncode == 0, add.stderr
    assert "alice" in add.stdout and PW not in add.stdout
    firm = user(db, "add", "acme", "--role", "enterprise", "--org", FIRM, "--org", FIRM2.lower(),
                "--password-stdin", stdin=PW)
    assert firm.returncode == 0, firm.stderr

    listed = user(db, "list")
    assert listed.returncode == 0
    lines = [ln.split() for ln in listed.stdout.splitlines()]
    assert lines[0][:4] == ["name", "role", "orgs", "disabled"]
    assert lines[1][:4] == ["acme", "enterprise", f"{FIRM},{FIRM2}", "no"]  # normalised, by name
    assert lines[2][:4] == ["alice", "staff", "-", "no"]
    as_json = json.loads(user(db, "list", "--json").stdout)
    assert [(a["name"], a["role"], a["credit_codes"], a["disabled"]) for a in as_json] == [
        ("acme", "enterprise", [FIRM, FIRM2], False), ("alice", "staff", [], False)]
    for out in (listed.stdout, json.dumps(as_json)):
        assert "argon2" not in out and "hash" not in out and PW not in out

    with Store(db) as store:  # the line ending piped in is not part of the password
        assert store.authenticate("alice", PW).viewer == Viewer("alice", "staff")
        assert store.authenticate("acme", PW).viewer == Viewer("acme", "enterprise", (FIRM, FIRM2))

    assert user(db, "passwd", "alice", "--password-stdin", stdin="a new one, longer\n").returncode == 0
    with Store(db) as store:
        assert store.authenticate("alice", PW).refused == "wrong"
        assert store.authenticate("alice", "a new one, longer").ok

    off = user(db, "disable", "alice")
    assert off.returncode == 0 and "disabled" in off.stdout
    assert "already" in user(db, "disable", "alice").stdout
    assert user(db, "list").stdout.splitlines()[2].split()[:4] == ["alice", "staff", "-", "yes"]
    with Store(db) as store:
        assert store.authenticate("alice", "a new one, longer").refused == "disabled"


@pytest.fixture(scope="module")
def one_user_db(tmp_path_factory) -> Path:
    db = filled(tmp_path_factory.mktemp("accounts") / "hst.duckdb")
    with Store(db) as store:
        store.add_user("alice", "staff", PW)
    return db


# (arguments, standard input, exit code, what the one line on stderr must say)
ERRORS = [
    (["add", "bob", "--role", "boss", "--password-stdin"], PW, 2, ["'boss'", "admin, staff, official, enterprise"]),
    (["add", "bob", "--role", "enterprise", "--password-stdin"], PW, 2, ["at least one --org"]),
    (["add", "bob", "--role", "enterprise", "--org", "91310115MA0000007X", "--password-stdin"], PW, 2,
     ["'91310115MA0000007X'", "credit code", "position 18"]),
    (["add", "bob", "--role", "enterprise", "--org", FIRM, "--org", NOT_STORED, "--password-stdin"], PW, 2,
     [NOT_STORED, "no organisation", "hst ingest"]),
    (["add", "bob", "--role", "staff", "--org", FIRM, "--password-stdin"], PW, 2, ["enterprise accounts only", FIRM]),
    (["add", "alice", "--role", "staff", "--password-stdin"], PW, 2, ["'alice'", "already exists"]),
    (["add", "bob smith", "--role", "staff", "--password-stdin"], PW, 2, ["'bob smith'", "letters, digits"]),
    (["add", "bob", "--role", "staff", "--password-stdin"], "short", 2, ["8 to 1024 characters", "got 5"]),
    (["add", "bob", "--role", "staff", "--password-stdin"], "two\nlines here", 2, ["one line"]),
    (["add", "bob", "--role", "staff", "--password-stdin"], "", 2, ["standard input was empty"]),
    (["add", "bob", "--role", "staff"], PW, 2, ["--password-stdin", "never on the command line"]),
    (["passwd", "alice", "--password-stdin"], "short", 2, ["8 to 1024 characters"]),
    (["disable", "zed"], None, 3, ["'zed'", "hst user list"]),
    (["passwd", "zed", "--password-stdin"], PW, 3, ["'zed'"]),
]


@pytest.mark.parametrize("args, stdin, code, says", ERRORS, ids=[" ".join(e[0][:3]) + f" [{i}]" for i, e in enumerate(ERRORS)])
def test_a_refused_command_says_what_and_why_in_one_line_and_stores_nothing(one_user_db, args, stdin, code, says):
    proc = user(one_user_db, *args, stdin=stdin)
    assert proc.returncode == code, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("hst user: "), proc.stderr
    for fragment in says:
        assert fragment in lines[0], lines[0]
    with Store(one_user_db, read_only=True) as store:
        assert [a.name for a in store.accounts()] == ["alice"]
        assert not store.account("alice").disabled


def test_init_demo_accounts_prints_each_password_once_and_they_log_in(tmp_path):
    db = tmp_path / "demo.duckdb"
    assert subprocess.run(hst_command(db, "init", "--accounts"), env=hst_env(), capture_output=True,
                          text=True, check=False).returncode == 2  # demo accounts need the demo data
    proc = subprocess.run(hst_command(db, "init", "--demo", "--accounts"), env=hst_env(), capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    passwords = dict(re.findall(r"^\s+(\w+)\s+\w+\s+password (\S+)", proc.stdout, re.M))
    assert set(passwords) == {"admin", "staff", "official", "firm"}
    assert "hst --db" in proc.stdout and " app" in proc.stdout  # how to log in
    with Store(db) as store:
        roles = {a.name: (a.role, a.credit_codes) for a in store.accounts()}
        assert {n: r for n, (r, _) in roles.items()} == {"admin": "admin", "staff": "staff",
                                                         "official": "official", "firm": "enterprise"}
        (code,) = roles["firm"][1]
        assert store.profile("organisations", code)["org_type"] == "enterprise"
        for name, password in passwords.items():
            assert store.authenticate(name, password).viewer.role == roles[name][0]
    again = subprocess.run(hst_command(db, "init", "--demo", "--accounts"), env=hst_env(), capture_output=True,
                           text=True, timeout=300, check=False)
    assert again.returncode == 0 and again.stdout.count("exists, unchanged") == 4
    assert not re.findall(r"^\s+\w+\s+\w+\s+password ", again.stdout, re.M)  # no password shown twice
    assert all(p not in again.stdout for p in passwords.values())


def test_init_demo_alone_creates_no_accounts(tmp_path):
    """``make run`` stays the local console (and the app tests open pages without logging in)."""
    db = tmp_path / "demo.duckdb"
    proc = subprocess.run(hst_command(db, "init", "--demo"), env=hst_env(), capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0 and "password" not in proc.stdout
    with Store(db, read_only=True) as store:
        assert not store.has_accounts()


# ------------------------------------------------------------------------------------------ hst app
@pytest.mark.parametrize("address, loopback", [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.1.1", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("example.org", False), ("", False)])
def test_loopback_addresses(address, loopback):
    assert is_loopback(address) is loopback


@pytest.mark.parametrize("address", ["0.0.0.0", "192.168.1.20", "::"])
def test_app_refuses_to_listen_beyond_this_machine_without_accounts(db, address):
    proc = subprocess.run(hst_command(db, "app", "--headless", "--address", address, "--port", "1"), env=hst_env(),
                          capture_output=True, text=True, timeout=60, check=False)
    assert_no_traceback(proc)
    assert proc.returncode == 2 and "http://" not in proc.stdout  # nothing was started
    (line,) = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert f"refusing to listen on '{address}'" in line and "no accounts" in line
    assert "127.0.0.1" in line and "hst user add" in line


# -------------------------------------------------------------------------------------------- hashing
def test_passwords_are_stored_as_argon2id_hashes_with_a_salt_each(db):
    with Store(db) as store:
        store.add_user("alice", "staff", PW)
        store.add_user("bob", "official", PW)
    con = duckdb.connect(str(db), read_only=True)
    hashes = dict(con.execute("SELECT name, password_hash FROM users").fetchall())
    con.close()
    assert all(h.startswith("$argon2id$") and PW not in h for h in hashes.values())
    assert hashes["alice"] != hashes["bob"]  # same password, different salts


def test_wrong_unknown_and_disabled_are_refused(db):
    with Store(db) as store:
        store.add_user("alice", "staff", PW)
        assert store.authenticate("alice", PW + "!").refused == "wrong"
        assert store.authenticate("Alice", PW).refused == "wrong"  # names are exact
        assert store.authenticate("nobody", PW).refused == "wrong"  # not told apart from a wrong password
        assert store.authenticate("alice", "").refused == "wrong"
        store.disable_user("alice")
        assert store.authenticate("alice", PW).refused == "disabled"
        assert store.authenticate("alice", PW + "!").refused == "wrong"  # a disabled account reveals nothing


def test_a_hash_with_weaker_parameters_is_upgraded_at_the_next_login(db):
    from argon2 import PasswordHasher

    with Store(db) as store:
        store.add_user("alice", "staff", PW)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PW)
    con = duckdb.connect(str(db))
    con.execute("UPDATE users SET password_hash = ? WHERE name = 'alice'", [weak])
    con.close()
    with Store(db) as store:
        assert store.authenticate("alice", PW).ok
    con = duckdb.connect(str(db), read_only=True)
    (stored,), = con.execute("SELECT password_hash FROM users WHERE name = 'alice'").fetchall()
    con.close()
    assert stored != weak and not PasswordHasher().check_needs_rehash(stored)
    with Store(db) as store:
        assert store.authenticate("alice", PW).ok


# -------------------------------------------------------------------------------------------- backoff
def test_backoff_grows_after_the_free_failures_up_to_its_cap():
    waits = [backoff_seconds(n) for n in range(12)]
    assert waits[:FREE_FAILURES] == [0.0] * FREE_FAILURES
    assert waits[FREE_FAILURES] > 0
    assert all(b == min(2 * a, BACKOFF_MAX_SECONDS) for a, b in itertools.pairwise(waits[FREE_FAILURES:]))
    assert backoff_seconds(1000) == BACKOFF_MAX_SECONDS


def test_repeated_failures_make_the_next_attempt_wait_and_are_kept_in_the_database(db):
    t0 = dt.datetime(2026, 1, 5, 9, 0, 0)
    with Store(db) as store:
        store.add_user("alice", "staff", PW)
        for i in range(FREE_FAILURES):  # the free failures: refused, and the next try may follow at once
            assert store.authenticate("alice", "guess", now=t0 + dt.timedelta(seconds=i)).refused == "wrong"
        last = t0 + dt.timedelta(seconds=FREE_FAILURES - 1)
        first_wait = backoff_seconds(FREE_FAILURES)
        at_once = store.authenticate("alice", PW, now=last + dt.timedelta(seconds=1))
        assert at_once.refused == "wait" and 0 < at_once.wait_seconds <= first_wait  # even the right password
        assert store.account("alice").failed_logins == FREE_FAILURES  # a refused wait is not a failure
    with Store(db) as store:  # held in the database: a new session (or process) waits just the same
        assert store.authenticate("alice", PW, now=last + dt.timedelta(seconds=2)).refused == "wait"
        after = last + dt.timedelta(seconds=first_wait + 1)
        assert store.authenticate("alice", "guess", now=after).refused == "wrong"  # the 4th failure
        longer = store.authenticate("alice", PW, now=after + dt.timedelta(seconds=first_wait + 1))
        assert longer.refused == "wait"  # the wait grew: twice the first
        later = after + dt.timedelta(seconds=2 * first_wait + 1)
        assert store.authenticate("alice", PW, now=later).ok
        account = store.account("alice")
        assert account.failed_logins == 0 and account.last_failed_at is None and account.last_login_at == later


def test_a_new_password_clears_the_wait(db):
    now = dt.datetime.now()
    with Store(db) as store:
        store.add_user("alice", "staff", PW)
        for _ in range(FREE_FAILURES + 2):
            store.authenticate("alice", "guess", now=now)
        assert store.authenticate("alice", PW, now=now).refused == "wait"
        store.set_password("alice", "another good one")
        assert store.authenticate("alice", "another good one", now=now).ok


# ------------------------------------------------------------------------------------------- migration
def test_a_schema_6_database_gains_the_account_tables_and_keeps_its_data(tmp_path):
    db = tmp_path / "v6.duckdb"
    con = duckdb.connect(str(db))  # a database as the previous release left it
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    for version, statements in MIGRATIONS:
        if version <= 6:
            for statement in statements:
                con.execute(statement)
    con.execute("INSERT INTO meta VALUES ('schema_version', '6'), ('content_hash_function', ?)", [HASH_FUNCTION])
    con.execute("""INSERT INTO shortlist (query_id, candidate_id, status, updated_at, owner)
                   VALUES ('q', 'c', 'contacted', now(), 'Wang')""")
    con.close()

    with Store(db, read_only=True) as old:  # read-only never migrates: no accounts there, and no error
        assert old.schema_version() == 6 and not old.has_accounts() and old.accounts() == []
    with Store(db) as store:
        assert SCHEMA_VERSION >= 7 and store.schema_version() == SCHEMA_VERSION
        assert not store.has_accounts()
        assert store.shortlist()[["query_id", "owner"]].values.tolist() == [["q", "Wang"]]
        assert ingest_file(store, ORGS).exit_code == 0
        store.add_user("firm", "enterprise", PW, [FIRM])
        assert store.has_accounts() and store.authenticate("firm", PW).viewer.credit_codes == (FIRM,)
    with Store(db) as again:  # migrating is idempotent
        assert again.schema_version() == SCHEMA_VERSION and [a.name for a in again.accounts()] == ["firm"]


def test_the_database_refuses_a_role_it_does_not_know_even_bypassing_the_library(db):
    with Store(db):
        pass
    con = duckdb.connect(str(db))
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO users VALUES ('x', 'root', 'h', false, now(), now(), 0, NULL, NULL)")
    con.close()


# ------------------------------------------------------------------------------------------------ viewer
def test_the_viewer_is_a_frozen_value_services_can_take():
    firm = Viewer("acme", "enterprise", (FIRM,))
    assert firm.represents(FIRM) and not firm.represents(FIRM2)
    assert not Viewer("alice", "staff").represents(FIRM)
    local = Viewer.local_console()
    assert local.local and local.role == "staff"
    with pytest.raises(AccountRefused, match="'root'"):
        Viewer("x", "root")
    with pytest.raises(AttributeError):
        firm.role = "staff"  # type: ignore[misc]
    assert check_name("a.b_c@d-e") == "a.b_c@d-e"
