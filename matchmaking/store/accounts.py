"""The ``users`` and ``user_orgs`` tables (schema 7): accounts, their roles and password hashes, their run
of failed logins, and the organisations an enterprise account is bound to. (Their sessions: ``sessions``;
a password change or a disable deletes them here, in the same transaction.)

The rules (names, roles, password length, hashing, how long a failed login makes the next one wait) are
``matchmaking.accounts``; they are applied here inside each write's transaction, against the row stored at
that moment, so two logins at once cannot both skip the wait. A password hash never leaves this module
except into ``accounts.verify_password``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..accounts import (
    Account,
    AccountRefused,
    LoginResult,
    UnknownAccount,
    Viewer,
    check_credit_codes,
    check_name,
    check_role,
    hash_password,
    verify_password,
    wait_seconds,
)
from .connection import Connection

__all__ = ["Accounts"]

_COLUMNS = "name, role, disabled, created_at, changed_at, failed_logins, last_failed_at, last_login_at"


def _unknown(name: str) -> UnknownAccount:
    return UnknownAccount(f"no user named {name!r} (see 'hst user list')", f"没有名为 {name!r} 的用户（见 hst user list）")


class Accounts(Connection):
    """Accounts: add, list, disable, change a password, and check a login."""

    def _has_users_table(self, cur) -> bool:
        rows = cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'").fetchall()
        return bool(rows[0][0])

    def has_accounts(self) -> bool:
        """Whether any account exists (disabled ones count: disabling every account must not open the app
        as a console). A read-only store of an older schema has none."""
        with self._cursor() as cur:
            if not self._has_users_table(cur):
                return False
            return bool(cur.execute("SELECT count(*) FROM users").fetchall()[0][0])

    def accounts(self) -> list[Account]:
        """Every account, by name, with the organisations it is bound to (never a password hash)."""
        with self._cursor() as cur:
            if not self._has_users_table(cur):
                return []
            rows = cur.execute(f"SELECT {_COLUMNS} FROM users ORDER BY name").fetchall()
            orgs = cur.execute("SELECT name, credit_code FROM user_orgs ORDER BY name, credit_code").fetchall()
        bound: dict[str, list[str]] = {}
        for name, code in orgs:
            bound.setdefault(name, []).append(code)
        return [Account(r[0], r[1], tuple(bound.get(r[0], ())), *r[2:]) for r in rows]

    def account(self, name: str) -> Account | None:
        with self._cursor() as cur:
            if not self._has_users_table(cur):
                return None
            rows = cur.execute(f"SELECT {_COLUMNS} FROM users WHERE name = ?", [name]).fetchall()
            if not rows:
                return None
            codes = cur.execute("SELECT credit_code FROM user_orgs WHERE name = ? ORDER BY credit_code",
                                [name]).fetchall()
        return Account(rows[0][0], rows[0][1], tuple(c for (c,) in codes), *rows[0][2:])

    def first_enterprise(self) -> tuple[str, str] | None:
        """(credit code, name) of the first enterprise by credit code: the one the demo's enterprise
        account speaks for."""
        with self._cursor() as cur:
            rows = cur.execute("""SELECT credit_code, name FROM organisations WHERE org_type = 'enterprise'
                                  ORDER BY credit_code LIMIT 1""").fetchall()
        return (rows[0][0], rows[0][1]) if rows else None

    def add_user(self, name: str, role: str, password: str, credit_codes: Sequence[str] = ()) -> Account:
        """Create an account. Raises ``AccountRefused`` for a taken or malformed name, an unknown role, a
        password out of bounds, or organisations that are missing, malformed or not in the store (all the
        codes at fault named together)."""
        check_name(name)
        check_role(role)
        codes = check_credit_codes(role, credit_codes)
        password_hash = hash_password(password)  # slow on purpose: outside the write lock
        now = dt.datetime.now()
        with self._transaction() as cur:
            if cur.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchall():
                raise AccountRefused(f"a user named {name!r} already exists (change its password with "
                                     f"'hst user passwd {name} --password-stdin')",
                                     f"用户 {name!r} 已存在（改密码：hst user passwd {name} --password-stdin）")
            if codes:
                found = {c for (c,) in cur.execute(
                    "SELECT credit_code FROM organisations WHERE credit_code IN (SELECT unnest(?))",
                    [list(codes)]).fetchall()}
                missing = [c for c in codes if c not in found]
                if missing:
                    raise AccountRefused(
                        f"--org {', '.join(missing)}: no organisation with this credit code in the database "
                        "(load its profile first with 'hst ingest')",
                        f"--org {'、'.join(missing)}：数据库中没有此统一社会信用代码的机构（请先用 hst ingest 导入其档案）")
            cur.execute("INSERT INTO users VALUES (?, ?, ?, false, ?, ?, 0, NULL, NULL)",
                        [name, role, password_hash, now, now])
            for code in codes:
                cur.execute("INSERT INTO user_orgs VALUES (?, ?)", [name, code])
        account = self.account(name)
        assert account is not None
        return account

    def set_password(self, name: str, password: str) -> None:
        """Give ``name`` a new password; its run of failures is cleared and its open sessions end (they
        are bound to ``changed_at``; their rows are deleted)."""
        password_hash = hash_password(password)
        with self._transaction() as cur:
            if not cur.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchall():
                raise _unknown(name)
            cur.execute("""UPDATE users SET password_hash = ?, changed_at = ?, failed_logins = 0,
                           last_failed_at = NULL WHERE name = ?""", [password_hash, dt.datetime.now(), name])
            cur.execute("DELETE FROM sessions WHERE name = ?", [name])

    def disable_user(self, name: str) -> bool:
        """Disable ``name`` (it can no longer log in; its open sessions end at their next click). Returns
        False when it was disabled already."""
        with self._transaction() as cur:
            rows = cur.execute("SELECT disabled FROM users WHERE name = ?", [name]).fetchall()
            if not rows:
                raise _unknown(name)
            if rows[0][0]:
                return False
            cur.execute("UPDATE users SET disabled = true, changed_at = ? WHERE name = ?", [dt.datetime.now(), name])
            cur.execute("DELETE FROM sessions WHERE name = ?", [name])
        return True

    def authenticate(self, name: str, password: str, *, now: dt.datetime | None = None) -> LoginResult:
        """Check one login attempt and record its outcome: a failure adds to the account's run (the next
        attempt may have to wait, ``accounts.backoff_seconds``), a success clears it, records the time
        and upgrades the hash when its parameters are out of date. An attempt made while the account must
        wait is refused without checking the password and without counting."""
        now = now or dt.datetime.now()
        with self._transaction() as cur:
            rows = cur.execute("""SELECT role, password_hash, disabled, failed_logins, last_failed_at, changed_at
                                  FROM users WHERE name = ?""", [name]).fetchall()
            if not rows:
                verify_password(None, password)  # as slow as a wrong password: names cannot be probed by time
                return LoginResult(None, "wrong")
            role, stored, disabled, failures, last_failed_at, changed_at = rows[0]
            left = wait_seconds(failures, last_failed_at, now)
            if left > 0:
                return LoginResult(None, "wait", wait_seconds=left)
            ok, new_hash = verify_password(stored, password)
            if not ok:
                cur.execute("UPDATE users SET failed_logins = failed_logins + 1, last_failed_at = ? WHERE name = ?",
                            [now, name])
                return LoginResult(None, "wrong")
            if disabled:
                return LoginResult(None, "disabled")
            cur.execute("""UPDATE users SET failed_logins = 0, last_failed_at = NULL, last_login_at = ?,
                           password_hash = coalesce(?, password_hash) WHERE name = ?""", [now, new_hash, name])
            codes = cur.execute("SELECT credit_code FROM user_orgs WHERE name = ? ORDER BY credit_code",
                                [name]).fetchall()
        return LoginResult(Viewer(name, role, tuple(c for (c,) in codes)), changed_at=changed_at)
