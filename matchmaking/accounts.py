"""Accounts (账户): who may sign in, in which role, how a password is checked, how long a session lasts and
how repeated failures slow down. The tables are ``store.accounts``; this module talks to no database and
never imports Streamlit.

Roles: ``admin`` (accounts), ``staff`` (招商 staff: everything, contacts included), ``official`` (政府:
aggregates, no contacts), ``enterprise`` (企业: its own organisations, bound by credit code). A
:class:`Viewer` is who is looking; services take it to decide what they may show (issue 11, items 3–5).

Why a small own layer rather than streamlit-authenticator:

- **Offline and in our store.** streamlit-authenticator keeps credentials in a YAML file beside the app and
  re-authenticates through a signed cookie (a key to manage, a token that outlives a disabled account).
  Here accounts live in the DuckDB file with the data they guard: one file to back up, migrated like every
  other table, driven by ``hst user`` from scripts, and a disabled account or a changed password ends its
  sessions at the next click.
- **Server-side sessions.** A login survives a reload (F5, a link opened in a new tab) through a session
  kept in the store (``store.sessions``): the browser holds only a random token (``new_session_token``) in
  the ``SESSION_COOKIE`` cookie; the store holds only its SHA-256 (``session_token_hash``), the account and
  the account's ``changed_at`` at login. Nothing is signed, so there is no key to manage; a session ends on
  log-out, after ``SESSION_IDLE`` without a click, ``SESSION_LIFETIME`` after its login, and when its
  account is disabled or its password changed.
- **argon2id with rehash-on-verify.** argon2-cffi's ``PasswordHasher`` (RFC 9106 parameters) is memory-hard,
  unlike bcrypt (streamlit-authenticator's, which also truncates at 72 bytes); when its default cost
  parameters rise in a later release, a stored hash is upgraded at the user's next successful login
  (``verify_password`` returns the new hash, ``store.accounts`` writes it).
- **Backoff in the database.** Failures are counted per account in the store, so they hold across
  sessions, browser tabs and app restarts (``wait_seconds``).
- **No Streamlit in the library** (an import-linter contract): the login form is ``app_pages/login.py``,
  a thin page over ``Store.authenticate``.

argon2 is imported on first use, so ``hst ingest`` does not pay for it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Sequence

__all__ = ["ROLES", "SESSION_IDLE", "FREE_FAILURES", "BACKOFF_FIRST_SECONDS", "BACKOFF_MAX_SECONDS",
           "PASSWORD_MIN", "PASSWORD_MAX", "NAME_MAX", "AccountRefused", "UnknownAccount", "Account", "Viewer", "LoginResult",
           "check_name", "check_role", "check_password", "check_credit_codes", "hash_password", "verify_password", "backoff_seconds",
           "wait_seconds", "role_name", "SESSION_LIFETIME", "SESSION_COOKIE", "SESSION_TOUCH", "new_session_token",
           "session_token_hash"]

#: role → (zh, en) name
ROLES: dict[str, tuple[str, str]] = {
    "admin": ("管理员", "administrator"),
    "staff": ("招商人员", "staff"),
    "official": ("政府人员", "official"),
    "enterprise": ("企业", "enterprise"),
}

#: A session ends after this long without a click (one place: the app reads it from here).
SESSION_IDLE = dt.timedelta(hours=8)

#: A session kept for a reload (``store.sessions``) ends this long after its login however busy it is,
#: and the browser's cookie expires then too: a token found or copied later opens nothing.
SESSION_LIFETIME = dt.timedelta(days=7)

#: The cookie that carries a session's token (and nothing else) in the browser.
SESSION_COOKIE = "hst_session"

#: A stored session's ``last_seen`` is written at most this often (not at every click): a reload after
#: SESSION_IDLE less at most this much of idleness may find the session ended.
SESSION_TOUCH = dt.timedelta(minutes=1)

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet (256 random bits)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")

#: Failed logins allowed in a row before each further attempt must wait; the wait then doubles per failure
#: from BACKOFF_FIRST_SECONDS up to BACKOFF_MAX_SECONDS. A successful login (or ``hst user passwd``) resets it.
FREE_FAILURES = 3
BACKOFF_FIRST_SECONDS = 5.0
BACKOFF_MAX_SECONDS = 15 * 60.0

PASSWORD_MIN = 8
PASSWORD_MAX = 1024  # argon2 takes any length; a bound keeps a pasted file from being hashed
NAME_MAX = 64
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]*")


class AccountRefused(ValueError):
    """An account operation the rules refuse: what, the value given and what is allowed, in English
    (``str``) and Chinese (``zh``)."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.zh = zh


class UnknownAccount(AccountRefused):
    """No account of that name."""


def role_name(role: str, lang: str = "en") -> str:
    names = ROLES.get(role)
    return role if names is None else names[0 if lang == "zh" else 1]


def check_name(name: str) -> str:
    """The account name as stored: 1–64 letters, digits or ``. _ @ -``, starting with a letter or digit."""
    if not isinstance(name, str) or len(name) > NAME_MAX or not _NAME.fullmatch(name):
        raise AccountRefused(
            f"the user name must be 1–{NAME_MAX} letters, digits or . _ @ - (starting with a letter or digit); "
            f"got {name!r}",
            f"用户名须为 1–{NAME_MAX} 个字母、数字或 . _ @ -（以字母或数字开头），实际为 {name!r}")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountRefused(f"the role must be one of {', '.join(ROLES)}; got {role!r}",
                             f"角色须为 {'、'.join(ROLES)} 之一，实际为 {role!r}")
    return role


def check_password(password: str) -> str:
    """A password of PASSWORD_MIN to PASSWORD_MAX characters on one line (the value is never echoed)."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise AccountRefused(
            f"the password must have {PASSWORD_MIN} to {PASSWORD_MAX} characters; got {len(password)}",
            f"密码须为 {PASSWORD_MIN}–{PASSWORD_MAX} 个字符，实际为 {len(password)} 个")
    if "\n" in password or "\r" in password:
        raise AccountRefused("the password must be one line (it contains a line break)",
                             "密码须为一行（其中含有换行）")
    return password


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (its salt and parameters encoded in the string)."""
    return _hasher().hash(check_password(password))


# Verified against when the name is unknown, so an unknown name takes as long as a wrong password.
_DUMMY_HASH: list[str] = []


def verify_password(stored_hash: str | None, password: str) -> tuple[bool, str | None]:
    """``(ok, new_hash)``: whether ``password`` matches ``stored_hash`` (``None``: an unknown account,
    checked against a dummy hash and refused), and a fresh hash to store when the stored one was made with
    weaker parameters than today's (rehash-on-verify), else ``None``."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    if stored_hash is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hasher.hash("not a password of anyone"))
        stored_hash, known = _DUMMY_HASH[0], False
    else:
        known = True
    try:
        hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if not known:
        return False, None
    return True, (hasher.hash(password) if hasher.check_needs_rehash(stored_hash) else None)


def new_session_token() -> str:
    """A fresh session token: 256 random bits, safe in a cookie as it is. Given to the browser once; the
    store keeps only ``session_token_hash(token)``."""
    return secrets.token_urlsafe(32)


def session_token_hash(token: str) -> str | None:
    """What the store keeps of a session token: its SHA-256, in hex. ``None`` for anything that is not a
    token of ``new_session_token``'s form (a cookie is whatever the browser sends): it matches no session.
    A plain hash suffices, unlike for passwords: the token is 256 random bits, not guessable from its hash."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def backoff_seconds(failures: int) -> float:
    """How long the next attempt must wait after ``failures`` failed logins in a row: nothing for the first
    FREE_FAILURES, then BACKOFF_FIRST_SECONDS doubling per failure, at most BACKOFF_MAX_SECONDS."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(BACKOFF_FIRST_SECONDS * 2.0 ** (failures - FREE_FAILURES), BACKOFF_MAX_SECONDS)


def wait_seconds(failures: int, last_failed_at: dt.datetime | None, now: dt.datetime) -> float:
    """Seconds left before an account may try again (0: it may)."""
    if last_failed_at is None:
        return 0.0
    left = backoff_seconds(failures) - (now - last_failed_at).total_seconds()
    return max(left, 0.0)


@dataclasses.dataclass(frozen=True)
class Account:
    """An account as ``hst user list`` and the admin see it: never its password hash."""

    name: str
    role: str
    credit_codes: tuple[str, ...]
    disabled: bool
    created_at: dt.datetime
    changed_at: dt.datetime
    failed_logins: int
    last_failed_at: dt.datetime | None
    last_login_at: dt.datetime | None

    def to_dict(self) -> dict[str, object]:
        d = dataclasses.asdict(self)
        d["credit_codes"] = list(self.credit_codes)
        return {k: (v.isoformat(sep=" ", timespec="seconds") if isinstance(v, dt.datetime) else v)
                for k, v in d.items()}


@dataclasses.dataclass(frozen=True)
class Viewer:
    """Who is looking: the argument every service will take to decide what it may show.

    ``local`` marks the console of a database without accounts (``hst app`` on 127.0.0.1 only): one
    staff user at this machine. ``credit_codes`` are the organisations an enterprise account speaks for."""

    name: str
    role: str
    credit_codes: tuple[str, ...] = ()
    local: bool = False

    def __post_init__(self) -> None:
        check_role(self.role)

    @classmethod
    def local_console(cls) -> Viewer:
        return cls(name="local", role="staff", local=True)

    @classmethod
    def of(cls, account: Account) -> Viewer:
        return cls(name=account.name, role=account.role, credit_codes=account.credit_codes)

    def represents(self, credit_code: str) -> bool:
        """Whether this viewer speaks for the organisation ``credit_code`` (an enterprise's own)."""
        return self.role == "enterprise" and credit_code in self.credit_codes


@dataclasses.dataclass(frozen=True)
class LoginResult:
    """The outcome of one login attempt, or of a session resumed by its token. ``refused`` is ``None`` on
    success, else for a login ``"wrong"`` (unknown name or wrong password: the two are not told apart),
    ``"disabled"`` (right password, account disabled) or ``"wait"`` (too many failures: ``wait_seconds``
    left; the password was not checked); for a session ``"unknown"``, ``"expired"`` or ``"ended"``
    (``Store.resolve_session``). ``changed_at`` is the account's at login: its sessions are bound to it."""

    viewer: Viewer | None
    refused: str | None = None
    wait_seconds: float = 0.0
    changed_at: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.refused is None


def check_credit_codes(role: str, codes: Sequence[str]) -> tuple[str, ...]:
    """The organisations an account of ``role`` is bound to, normalised and each a valid credit code: at
    least one for an enterprise account, none for the others. Every problem is reported together.
    (Whether each code is in the store is checked by ``Store.add_user``, in its transaction.)"""
    from .reference.credit_code import check, normalise

    if role != "enterprise":
        if codes:
            raise AccountRefused(
                f"--org binds enterprise accounts only; got --org {' '.join(codes)} with --role {role}",
                f"只有企业账户可绑定机构（--org）；角色 {role} 却给了 --org {' '.join(codes)}")
        return ()
    if not codes:
        raise AccountRefused("an enterprise account needs at least one --org CREDIT_CODE (the organisation it "
                             "speaks for, already in the database)",
                             "企业账户须至少绑定一个机构：--org 统一社会信用代码（须已在数据库中）")
    problems_en, problems_zh, out = [], [], []
    for raw in codes:
        code = normalise(raw)
        problems = check(code)
        if problems:
            problems_en.append(f"{raw!r}: " + "; ".join(p.message for p in problems))
            problems_zh.append(f"{raw!r}：" + "；".join(p.message_zh for p in problems))
        out.append(code)
    if problems_en:
        raise AccountRefused("--org must be a valid 18-character unified social credit code: " + " | ".join(problems_en),
                             "--org 须为有效的18位统一社会信用代码：" + " | ".join(problems_zh))
    return tuple(dict.fromkeys(out))
