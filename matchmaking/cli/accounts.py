"""``hst user add | list | disable | passwd``: the accounts of the app (rules: ``matchmaking.accounts``;
tables: ``store.accounts``). A password is read from standard input only (``--password-stdin``), never
from the command line, where other users of the machine could read it in the process list.

``hst audit --out FILE``: the audit log (who saw whose contacts, who changed which profile or account, who
introduced whom) as ``.csv`` or ``.xlsx``. Changes made here are logged as the operating-system user with
the role ``console``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import secrets
import sys
from pathlib import Path

from ..accounts import AccountRefused, UnknownAccount, role_name
from ..followup import default_actor
from .errors import EXIT_OK, EXIT_UNKNOWN_ID, UserError
from .profiles import open_store

__all__ = ["add_arguments", "run", "read_password", "create_demo_accounts", "DEMO_ACCOUNTS"]

_ROLES_HELP = "admin | staff | official | enterprise"


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    if name == "audit":
        p.add_argument("--out", required=True, type=Path, metavar="FILE", help="where to write it: .csv or .xlsx")
        p.add_argument("--since", type=dt.date.fromisoformat, metavar="YYYY-MM-DD", help="entries from this day on")
        return
    sub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    sub.required = True
    add = sub.add_parser("add", help="create an account", description="create an account")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, metavar="ROLE", help=_ROLES_HELP)
    add.add_argument("--org", action="append", default=[], metavar="CREDIT_CODE",
                     help="an organisation an enterprise account speaks for (repeat for several; must be in the database)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    ls = sub.add_parser("list", help="the accounts (never their passwords)", description="the accounts")
    ls.add_argument("--json", action="store_true")
    off = sub.add_parser("disable", help="disable an account", description="disable an account")
    off.add_argument("name", metavar="NAME")
    pw = sub.add_parser("passwd", help="set a new password", description="set a new password")
    pw.add_argument("name", metavar="NAME")
    pw.add_argument("--password-stdin", action="store_true", help="read the password from standard input")


def read_password(args: argparse.Namespace) -> str:
    """The password from standard input: one line, its line ending dropped (``echo pw | hst user ...``
    and ``printf pw | ...`` give the same password). At a terminal it is asked for twice, not echoed."""
    if not args.password_stdin:
        raise UserError("give the password on standard input with --password-stdin (never on the command line), "
                        f"e.g. printf '%s' \"$PW\" | hst user {args.action} {args.name} ... --password-stdin")
    if sys.stdin.isatty():  # a person at a terminal: ask without echo, twice
        import getpass

        text = getpass.getpass("password: ")
        if getpass.getpass("again: ") != text:
            raise UserError("--password-stdin: the two passwords typed differ; nothing changed")
        return text
    text = sys.stdin.read()
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith("\r"):
        text = text[:-1]
    if not text:
        raise UserError("--password-stdin: standard input was empty (pipe the password in)")
    return text


def run(args: argparse.Namespace) -> int:
    if args.command == "audit":
        return _audit(args)
    return {"add": _add, "list": _list, "disable": _disable, "passwd": _passwd}[args.action](args)


def _audit(args: argparse.Namespace) -> int:
    from ..profiles.export import write_table
    from ..store import AUDIT_COLUMNS

    if args.out.suffix.lower() not in (".csv", ".xlsx"):
        raise UserError(f"--out must end in .csv or .xlsx; got {str(args.out)!r}")
    with open_store(args, must_exist=True) as store:
        since = dt.datetime.combine(args.since, dt.time()) if args.since else None
        log = store.audit_log(since)
    table = log.astype(object).where(log.notna(), "")
    table["logged_at"] = [v.isoformat(sep=" ", timespec="seconds") if hasattr(v, "isoformat") else str(v)
                          for v in table["logged_at"]]
    write_table(table[AUDIT_COLUMNS].astype(str), args.out)
    print(f"wrote {len(table)} audit entries to {args.out}")
    return EXIT_OK


def _logged(store, action: str, name: str, detail: str | None = None) -> None:
    store.log(default_actor(), "console", action, name, None, detail)


def _add(args: argparse.Namespace) -> int:
    password = read_password(args)
    with open_store(args) as store:
        try:
            account = store.add_user(args.name, args.role, password, args.org)
        except AccountRefused as exc:
            raise UserError(str(exc)) from exc
        _logged(store, "add_user", account.name, f"role {account.role}" + (
            f", orgs {','.join(account.credit_codes)}" if account.credit_codes else ""))
    orgs = f", bound to {', '.join(account.credit_codes)}" if account.credit_codes else ""
    print(f"added user {account.name} (role {account.role}{orgs})")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    with open_store(args, must_exist=True) as store:
        accounts = store.accounts()
    if args.json:
        print(json.dumps([a.to_dict() for a in accounts], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not accounts:
        print("no accounts: the app is a local staff console on 127.0.0.1 only "
              "(add one with 'hst user add NAME --role admin --password-stdin')")
        return EXIT_OK
    rows = [("name", "role", "orgs", "disabled", "last login")]
    for a in accounts:
        last = a.last_login_at.isoformat(sep=" ", timespec="minutes") if a.last_login_at else "-"
        rows.append((a.name, a.role, ",".join(a.credit_codes) or "-", "yes" if a.disabled else "no", last))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
    return EXIT_OK


def _disable(args: argparse.Namespace) -> int:
    with open_store(args, must_exist=True) as store:
        try:
            changed = store.disable_user(args.name)
        except UnknownAccount as exc:
            raise UserError(str(exc), EXIT_UNKNOWN_ID) from exc
        except AccountRefused as exc:
            raise UserError(str(exc)) from exc
        if changed:
            _logged(store, "disable_user", args.name)
    print(f"disabled user {args.name}" if changed else f"user {args.name} was disabled already")
    return EXIT_OK


def _passwd(args: argparse.Namespace) -> int:
    password = read_password(args)
    with open_store(args, must_exist=True) as store:
        try:
            store.set_password(args.name, password)
        except UnknownAccount as exc:
            raise UserError(str(exc), EXIT_UNKNOWN_ID) from exc
        except AccountRefused as exc:
            raise UserError(str(exc)) from exc
        _logged(store, "set_password", args.name)
    print(f"changed the password of {args.name}")
    return EXIT_OK


# ------------------------------------------------------------------------------------------- demo accounts
#: name → role of the demo accounts ``hst init --demo --accounts`` creates (the enterprise one is bound to
#: the first demo enterprise by credit code).
DEMO_ACCOUNTS: dict[str, str] = {"admin": "admin", "staff": "staff", "official": "official", "firm": "enterprise"}


def create_demo_accounts(store) -> list[str]:
    """Create the demo accounts that do not exist yet, each with a fresh random password; returns the lines
    to print (the passwords are shown this once and stored only as hashes)."""
    lines: list[str] = []
    firm = store.first_enterprise()
    for name, role in DEMO_ACCOUNTS.items():
        if store.account(name) is not None:
            lines.append(f"  {name:<9} {role:<11} exists, unchanged (new password: hst user passwd {name} --password-stdin)")
            continue
        if role == "enterprise" and firm is None:
            lines.append(f"  {name:<9} {role:<11} not created: no enterprise in the database")
            continue
        password = secrets.token_urlsafe(12)
        orgs = [firm[0]] if role == "enterprise" and firm else []
        store.add_user(name, role, password, orgs)
        bound = f"  (speaks for {firm[1]}, {firm[0]})" if orgs and firm else ""
        lines.append(f"  {name:<9} {role:<11} password {password}{bound}")
    return ["demo accounts, one per role (" + ", ".join(role_name(r) for r in DEMO_ACCOUNTS.values())
            + "); the passwords are shown only this once:", *lines]
