"""The ``hst`` dispatcher (contract: ``docs/cli.md``): parses arguments and runs the command's module.

Each command module exposes ``add_arguments(parser, name)`` and ``run(args) -> int``; they are imported
lazily so that ``hst stats`` does not pay for torch. User errors end as one line on stderr and an exit
code, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import EXIT_OK, EXIT_USAGE, UserError

__all__ = ["main", "build_parser"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit 2 with usage; keep that, one line
        self.exit(EXIT_USAGE, f"hst: error: {message}\n")


# command → (module, help). ``split`` is benefit sharing's own CLI module, loaded by name: the two
# libraries never import each other, and it handles its own errors (``run`` returns the exit code).
_COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("matchmaking.cli.profiles", "create the database (idempotent); --demo loads the demo data"),
    "ingest": ("matchmaking.cli.profiles", "load organisation or project profile files"),
    "export": ("matchmaking.cli.profiles", "write the stored profiles as .csv or .xlsx"),
    "stats": ("matchmaking.cli.profiles", "counts by city, industry chain and type"),
    "embed": ("matchmaking.cli.matching", "compute missing or stale embeddings"),
    "match": ("matchmaking.cli.matching", "matches for one party (--id) or for all (--all)"),
    "feedback": ("matchmaking.cli.feedback", "outcomes of suggested pairs: import FILE.csv, export --out FILE.csv"),
    "learn": ("matchmaking.cli.feedback", "learn the score weights from the recorded outcomes"),
    "split": ("benefit_sharing.cli", "evaluate a benefit-sharing scenario file"),
    "user": ("matchmaking.cli.accounts", "accounts of the app: add, list, disable, passwd"),
    "audit": ("matchmaking.cli.accounts", "write the audit log (contacts seen, profiles changed, introductions)"),
    "app": ("matchmaking.cli.app", "start the Streamlit app (127.0.0.1 unless accounts exist)"),
}


def _module(command: str):
    import importlib

    return importlib.import_module(_COMMANDS[command][0])


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; only ``command``'s own options are loaded (importing every command would cost seconds)."""
    parser = _Parser(prog="hst", description="hst-alliance: 沪苏通 industry matchmaking and benefit sharing")
    parser.add_argument("--db", type=Path, default=None, help="DuckDB file (default: $HST_DB, else data/hst.duckdb)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, (_, help_text) in _COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            adder: Callable[[argparse.ArgumentParser, str], None] = _module(name).add_arguments
            adder(p, name)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--db")
    pre.add_argument("command", nargs="?")
    known, _ = pre.parse_known_args(list(argv))
    return known.command if known.command in _COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_of(argv))
    args = parser.parse_args(argv)
    try:
        return int(_module(args.command).run(args) or 0)
    except UserError as exc:
        print(f"hst {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("hst: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug or a broken installation: one line for the user, the trace on request
        if os.environ.get("HST_DEBUG"):
            raise
        text = " ".join(str(exc).split()) or "(no message)"
        print(f"hst {args.command}: unexpected error: {type(exc).__name__}: {text[:500]} "
              "(run again with HST_DEBUG=1 to see the traceback, and please report it)", file=sys.stderr)
        return EXIT_USAGE

