"""``hst init``, ``ingest``, ``export`` and ``stats``: argument definitions and thin handlers over
``services`` and the store.

Each handler returns the exit code of the CLI contract; user errors are raised as ``UserError``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from ..reference import default_db_path
from .errors import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, UserError

__all__ = ["add_arguments", "run", "open_store", "db_path"]


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    if name == "init":
        p.add_argument("--demo", action="store_true", help="load the bundled demo data set")
        p.add_argument("--accounts", action="store_true",
                       help="with --demo: also create a demo account for each role and print their passwords once")
    elif name == "ingest":
        p.add_argument("files", nargs="+", metavar="FILE", help=".csv (UTF-8 or GBK), .xlsx or .json")
        p.add_argument("--kind", choices=["organisations", "projects"], help="default: inferred from the headers")
        p.add_argument("--strict", action="store_true", help="all or nothing per file")
        p.add_argument("--json", action="store_true", help="print the report as JSON")
        p.add_argument("--lang", choices=["zh", "en"], help="language of the report (default: the file's headers)")
    elif name == "export":
        p.add_argument("--kind", choices=["organisations", "projects"], default="organisations")
        p.add_argument("--out", required=True, type=Path, help="FILE.csv or FILE.xlsx")
        p.add_argument("--lang", choices=["en", "zh"], default="en", help="header language (default en)")
        p.add_argument("--public", action="store_true",
                       help="leave out private fields (contacts, revenue) — for sharing outside the platform team")
    elif name == "stats":
        p.add_argument("--json", action="store_true")


def db_path(args: argparse.Namespace) -> Path:
    """``--db``, else ``$HST_DB``, else ``data/hst.duckdb`` under the current directory."""
    return Path(args.db) if args.db else default_db_path()


def open_store(args: argparse.Namespace, *, must_exist: bool = False):
    """The store of ``--db``; a missing, busy or unreadable database is a ``UserError``."""
    from ..store import Store, StoreBusy

    path = db_path(args)
    if must_exist and not path.exists():
        raise UserError(f"no database at {path}: run 'hst init' (or 'hst init --demo') first")
    import duckdb

    if path.is_dir():
        raise UserError(f"cannot open the database {path}: it is a directory (give a file, e.g. {path / 'hst.duckdb'})")
    try:
        return Store(path)
    except StoreBusy as exc:
        raise UserError(str(exc)) from exc
    except (duckdb.Error, OSError, RuntimeError) as exc:  # not a DuckDB file, no access, a newer schema
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise UserError(f"cannot open the database {path}: {first}") from exc


def run(args: argparse.Namespace) -> int:
    return {"init": _init, "ingest": _ingest, "export": _export, "stats": _stats}[args.command](args)


def _init(args: argparse.Namespace) -> int:
    from ..services import load_demo

    if args.accounts and not args.demo:
        raise UserError("--accounts creates the demo accounts and needs --demo; for real accounts use "
                        "'hst user add NAME --role ROLE --password-stdin'")
    with open_store(args) as store:
        print(f"database {store.path} ready (schema version {store.schema_version()})")
        if args.demo:
            for rep in load_demo(store):
                if rep.exit_code != EXIT_OK:
                    print(rep.format_text("en"), file=sys.stderr)
                    return rep.exit_code
                print(rep.format_text("en").splitlines()[0])
        if args.accounts:
            from .accounts import create_demo_accounts

            print("\n".join(create_demo_accounts(store)))
            print(f"to log in: start the app (hst --db {store.path} app), open the address it prints and give one "
                  "of these names with its password; with accounts the app asks everyone to log in "
                  "('hst user list' shows them)")
    return EXIT_OK


class _NoPandas:
    """A meta-path finder that makes ``import pandas`` fail (see ``_pandas_not_needed``)."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("pandas is not needed by hst ingest")


@contextlib.contextmanager
def _pandas_not_needed() -> Iterator[None]:
    """Keep pyarrow from importing pandas (a fifth of the start-up of ``hst ingest``, which never uses it).

    pyarrow imports pandas on its first conversion of a Python object, only to recognise pandas objects;
    when that import fails it tries again whenever pandas is really needed, so unblocking is safe."""
    if "pandas" in sys.modules:
        yield
        return
    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


def _ingest(args: argparse.Namespace) -> int:
    with _pandas_not_needed():
        import pyarrow as pa

        from ..services import ingest_file

        pa.array([""])  # pyarrow's one attempt to import pandas happens here, and fails quietly
    reports = []
    with open_store(args) as store:
        for f in args.files:
            rep = ingest_file(store, f, kind=args.kind, strict=args.strict)
            reports.append(rep)
            if not args.json:
                stream = sys.stdout if rep.status != "refused" else sys.stderr
                print(rep.format_text(args.lang), file=stream)
    if args.json:
        out = [r.to_dict() for r in reports]
        print(json.dumps(out[0] if len(out) == 1 else out, ensure_ascii=False, indent=2, default=str))
    codes = [r.exit_code for r in reports]
    if any(c == EXIT_USAGE for c in codes):
        return EXIT_USAGE
    return EXIT_REJECTED if any(c == EXIT_REJECTED for c in codes) else EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from ..profiles import numeric_headers, profiles_table, write_table

    if args.out.suffix.lower() not in (".csv", ".xlsx"):
        raise UserError(f"--out must end in .csv or .xlsx, got {args.out.name!r}")
    with open_store(args, must_exist=True) as store:
        frame = store.profiles(args.kind, include_private=not args.public, exact=True)
    table = profiles_table(frame, args.kind, args.lang)
    try:
        write_table(table, args.out, numeric_headers(args.kind))
    except OSError as exc:
        raise UserError(f"cannot write {args.out}: {exc.strerror}") from exc
    print(f"wrote {len(table)} {args.kind} to {args.out}")
    return EXIT_OK


def _stats(args: argparse.Namespace) -> int:
    from ..services import stats

    with open_store(args, must_exist=True) as store:
        tables = stats(store)
        counts = {k: store.count(k) for k in ("organisations", "projects")}
    if args.json:
        print(json.dumps({"counts": counts, **{k: json.loads(v.to_json(orient="index")) if not v.empty else {}
                                               for k, v in tables.items()}}, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"organisations: {counts['organisations']}   projects: {counts['projects']}")
    for name, table in tables.items():
        if table.empty:
            continue
        print(f"\n{name.replace('_', ' ')}")
        print(table.to_string())
    return EXIT_OK
