"""The ``sessions`` table (schema 10): logins that survive a reload of the page.

A session is created after a successful ``Accounts.authenticate``; the browser is given its token (a cookie
set by the app) and this table keeps only the token's SHA-256 (``accounts.session_token_hash``), so
neither a copy of the database nor the audit of its rows opens anyone's session. A session resolves to its
account while it is not idle longer than ``accounts.SESSION_IDLE`` nor older than
``accounts.SESSION_LIFETIME``, its account is enabled and its ``changed_at`` is still the one at login (a
password change or a disable ends every session of the account, as the app's per-click check always did).
A log-out deletes the row; a password change or a disable deletes the account's rows too, and a new login
sweeps away rows that can no longer resolve.

What a session may be used for (the role's pages, the viewer's rights) is ``matchmaking.access``; this
module only stores.
"""

from __future__ import annotations

import datetime as dt

from ..accounts import (
    SESSION_IDLE,
    SESSION_LIFETIME,
    SESSION_TOUCH,
    LoginResult,
    UnknownAccount,
    Viewer,
    new_session_token,
    session_token_hash,
)
from .connection import Connection

__all__ = ["Sessions"]

# The rows that can no longer resolve: idle too long, too old, or bound to an account that is gone, disabled
# or changed.
_DEAD = """DELETE FROM sessions WHERE last_seen < ? OR created_at < ? OR NOT EXISTS (
             SELECT 1 FROM users u WHERE u.name = sessions.name AND u.changed_at = sessions.changed_at AND NOT u.disabled)"""


class Sessions(Connection):
    """Server-side sessions: create one at login, resolve a token at a reload, revoke at log-out."""

    def _has_sessions_table(self, cur) -> bool:
        rows = cur.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'sessions'").fetchall()
        return bool(rows[0][0])

    def create_session(self, name: str, changed_at: dt.datetime, *, now: dt.datetime | None = None) -> str:
        """Open a session for ``name``, logged in just now while its account was last changed at
        ``changed_at`` (``LoginResult.changed_at``: a change made since then leaves the session dead at
        birth). Returns the token, which is given to the browser and stored nowhere."""
        now = now or dt.datetime.now()
        token = new_session_token()
        token_hash = session_token_hash(token)
        with self._transaction() as cur:
            if not cur.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchall():
                raise UnknownAccount(f"no user named {name!r} (see 'hst user list')",
                                     f"没有名为 {name!r} 的用户（见 hst user list）")
            cur.execute(_DEAD, [now - SESSION_IDLE, now - SESSION_LIFETIME])
            cur.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?)", [token_hash, name, changed_at, now, now])
        return token

    def resolve_session(self, token: str, *, now: dt.datetime | None = None) -> LoginResult:
        """The account a session token stands for, as a login's result: on success its viewer and the
        ``changed_at`` it is bound to; else ``refused`` says why: ``"unknown"`` (no such session: never
        opened, malformed, logged out, or its account's password changed or disabled, which deletes its
        rows), ``"expired"`` (idle longer than SESSION_IDLE, or older than SESSION_LIFETIME) or ``"ended"``
        (its account is gone, disabled or changed since the login). A live session's ``last_seen`` becomes
        ``now`` (written at most once per SESSION_TOUCH, so a click costs no write)."""
        token_hash = session_token_hash(token)
        if token_hash is None:
            return LoginResult(None, "unknown")
        now = now or dt.datetime.now()
        with self._cursor() as cur:
            if not self._has_sessions_table(cur):  # a read-only store of an older schema
                return LoginResult(None, "unknown")
            rows = cur.execute("""SELECT s.name, s.changed_at, s.created_at, s.last_seen, u.role, u.changed_at,
                                         u.disabled
                                  FROM sessions s LEFT JOIN users u ON u.name = s.name
                                  WHERE s.token_hash = ?""", [token_hash]).fetchall()
            if not rows:
                return LoginResult(None, "unknown")
            name, changed_at, created_at, last_seen, role, account_changed_at, disabled = rows[0]
            if role is None or disabled or account_changed_at != changed_at:
                return LoginResult(None, "ended")
            if now - last_seen > SESSION_IDLE or now - created_at > SESSION_LIFETIME:
                return LoginResult(None, "expired")
            codes = cur.execute("SELECT credit_code FROM user_orgs WHERE name = ? ORDER BY credit_code",
                                [name]).fetchall()
        if now - last_seen >= SESSION_TOUCH and not self.read_only:
            with self._transaction() as cur:
                cur.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ? AND last_seen < ?",
                            [now, token_hash, now])
        return LoginResult(Viewer(name, role, tuple(c for (c,) in codes)), changed_at=changed_at)

    def revoke_session(self, token: str) -> bool:
        """End the session of ``token`` (log-out). Returns whether there was one."""
        token_hash = session_token_hash(token)
        if token_hash is None:
            return False
        with self._transaction() as cur:
            (deleted,) = cur.execute("DELETE FROM sessions WHERE token_hash = ?", [token_hash]).fetchall()[0]
        return bool(deleted)

    def revoke_sessions(self, name: str) -> int:
        """End every session of account ``name`` (in every browser); returns how many there were."""
        with self._transaction() as cur:
            (deleted,) = cur.execute("DELETE FROM sessions WHERE name = ?", [name]).fetchall()[0]
        return int(deleted)

    def session_count(self, name: str | None = None) -> int:
        """How many sessions are stored (of ``name``, when given), live or not yet swept away."""
        with self._cursor() as cur:
            if not self._has_sessions_table(cur):
                return 0
            if name is None:
                return int(cur.execute("SELECT count(*) FROM sessions").fetchall()[0][0])
            return int(cur.execute("SELECT count(*) FROM sessions WHERE name = ?", [name]).fetchall()[0][0])
