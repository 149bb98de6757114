"""``hst app``: the Streamlit app, usage statistics off.

A database without accounts makes the app one local staff console (no login), so it listens on the
loopback address only; ``--address`` may name another interface once accounts exist (then everyone logs
in). The check is here, before Streamlit starts, because only the launcher knows the address."""

from __future__ import annotations

import argparse
import ipaddress
import os
import subprocess
import sys

from ..reference import app_path
from .errors import EXIT_OK, UserError
from .profiles import db_path, open_store

__all__ = ["add_arguments", "run", "is_loopback", "LOCAL_ADDRESS"]

LOCAL_ADDRESS = "127.0.0.1"


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default=LOCAL_ADDRESS,
                   help="address to listen on (default 127.0.0.1; another one only when the database has accounts)")
    p.add_argument("--headless", action="store_true", help="do not try to open a browser")


def is_loopback(address: str) -> bool:
    """Whether ``address`` is this machine only: ``localhost``, 127.0.0.0/8 or ``::1`` (``[::1]`` too)."""
    host = address.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    env["HST_DB"] = str(db_path(args).resolve())
    address = args.address.strip()
    if not is_loopback(address):
        with open_store(args) as store:  # closed before Streamlit opens the file
            has_accounts = store.has_accounts()
        if not has_accounts:
            raise UserError(
                f"refusing to listen on {address!r}: the database {env['HST_DB']} has no accounts, so the app "
                "would be an open staff console to anyone on the network. Listen on 127.0.0.1, localhost or ::1 "
                "(the default), or create accounts first: hst user add NAME --role admin --password-stdin")
    cmd = [sys.executable, "-m", "streamlit", "run", str(app_path()), "--server.address", address,
           "--server.port", str(args.port), "--browser.gatherUsageStats", "false"]
    if args.headless:
        cmd += ["--server.headless", "true"]
    shown = f"[{address}]" if ":" in address else address
    print(f"hst-alliance on http://{shown}:{args.port}  (database {env['HST_DB']})")
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return EXIT_OK
