"""``hst embed`` and ``hst match`` (filled in by the matching engine)."""

from __future__ import annotations

import argparse

from .cli import UserError

__all__ = ["add_arguments", "run"]


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    if name == "match":
        g = p.add_mutually_exclusive_group(required=True)
        g.add_argument("--id", dest="query_id")
        g.add_argument("--all", action="store_true")
        p.add_argument("--top", type=int, default=10)
        p.add_argument("--json", action="store_true")
        p.add_argument("--out")


def run(args: argparse.Namespace) -> int:
    raise UserError("matching is not available in this build yet")
