"""``hst app``: the Streamlit app on 127.0.0.1, usage statistics off."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from ..reference import app_path
from .errors import EXIT_OK
from .profiles import db_path

__all__ = ["add_arguments", "run"]


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--headless", action="store_true", help="do not try to open a browser")


def run(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    env["HST_DB"] = str(db_path(args).resolve())
    cmd = [sys.executable, "-m", "streamlit", "run", str(app_path()), "--server.address", "127.0.0.1",
           "--server.port", str(args.port), "--browser.gatherUsageStats", "false"]
    if args.headless:
        cmd += ["--server.headless", "true"]
    print(f"hst-alliance on http://127.0.0.1:{args.port}  (database {env['HST_DB']})")
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return EXIT_OK
