"""``hst split SCENARIO [--json] [--out FILE.xlsx|.csv]``: evaluate a scenario file from the command line.

Only argument handling and printing live here; the work is :func:`benefit_sharing.evaluate`. The ``hst``
dispatcher adds these arguments to its ``split`` command and returns what :func:`run` returns. A user's
mistake (a bad scenario, a wrong suffix, an output that cannot be written) is one line on stderr,
``hst split: <message>``, and exit code 2, never a traceback. This module must not import the
dispatcher (``matchmaking``): the two packages are independent. Usage and outputs:
``docs/benefit-sharing.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from .engine import Result, evaluate
from .errors import ScenarioError
from .scenario import load_scenario
from .trace import COMPONENTS

__all__ = ["add_arguments", "run", "render_text", "EXIT_OK", "EXIT_USAGE"]

EXIT_OK = 0
EXIT_USAGE = 2  # the user's input is wrong (as argparse's own usage errors)


class _UserError(Exception):
    """A mistake in the user's input, reported as one line."""


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    """The arguments of ``hst <name>`` (``name`` is the command's name; the options do not depend on it)."""
    parser.add_argument(
        "scenario", metavar="SCENARIO", type=Path, help="scenario file (.yaml, .yml or .json)"
    )
    parser.add_argument(
        "--json", action="store_true", help='print {"scenario", "rows", "allocations", "warnings"} as JSON'
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write the result: .xlsx (one sheet per view + trace) or .csv (rows, UTF-8 with BOM)",
    )


def run(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Evaluate ``args.scenario``, print the result (text or ``--json``) and write ``--out``.

    Returns 0, or 2 after printing ``hst split: <message>`` on ``stderr`` when the input is wrong.
    """
    try:
        _split(args, stdout or sys.stdout)
    except _UserError as exc:
        print(f"hst split: {exc}", file=stderr or sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _split(args: argparse.Namespace, out: TextIO) -> None:
    path: Path = args.scenario
    if args.out is not None and args.out.suffix.lower() not in (".xlsx", ".csv"):
        raise _UserError(f"--out {args.out}: the file must end in .xlsx or .csv")
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise _UserError(f"{path}: a scenario file ends in .yaml, .yml or .json")
    try:
        result = evaluate(load_scenario(path))
    except ScenarioError as exc:
        raise _UserError(" ".join(str(exc).split())) from None
    if args.out is not None:
        _write(result, args.out)
    if args.json:
        json.dump(result.to_json_dict(), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(render_text(result))
        if args.out is not None:
            out.write(f"\nwritten: {args.out}\n")


def _write(result: Result, target: Path) -> None:
    from .export import export_csv, export_excel

    try:
        if target.suffix.lower() == ".xlsx":
            export_excel(result, target)
        else:
            export_csv(result, target)
    except OSError as exc:
        raise _UserError(f"--out {target}: cannot write the file ({exc.strerror or exc})") from None


def _fmt(d: Decimal | None) -> str:
    if d is None:
        return ""
    return f"{d:,.2f}" if d == d.quantize(Decimal("0.01")) else f"{d:,}"


def render_text(result: Result) -> str:
    """A readable report: per year, city × component for each tax with totals; allocations; warnings."""
    lines = [f"Scenario: {result.scenario}   (amounts in {result.unit})", ""]
    for year in result.years:
        lines.append(f"== {year} ==")
        for tax in ("cit", "vat", "surcharges", "iit", "value_added"):
            rows = [r for r in result.rows if r.year == year and r.tax == tax]
            if not rows:
                continue
            table: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
            for r in rows:
                table[r.city][r.component] += r.amount
            comps = [c for c in COMPONENTS if any(c in v for v in table.values())]
            cities = sorted(table)
            width = max(10, *(len(c) for c in cities), len("total"))
            colw = [max(len(c), 12) for c in comps]
            lines.append(f"  {tax}")
            lines.append(
                "    "
                + "city".ljust(width)
                + "".join(c.rjust(w + 2) for c, w in zip(comps, colw, strict=True))
            )
            for city in cities:
                lines.append(
                    "    "
                    + city.ljust(width)
                    + "".join(_fmt(table[city].get(c)).rjust(w + 2) for c, w in zip(comps, colw, strict=True))
                )
            totals = [sum((table[city].get(c, Decimal(0)) for city in cities), Decimal(0)) for c in comps]
            lines.append(
                "    "
                + "total".ljust(width)
                + "".join(_fmt(t).rjust(w + 2) for t, w in zip(totals, colw, strict=True))
            )
        lines.append("")
    if result.allocations:
        lines.append("== allocations ==")
        lines.append("    " + "rule".ljust(14) + "player".ljust(14) + "amount".rjust(14) + "  in core")
        for a in result.allocations:
            lines.append(
                "    "
                + a.rule.ljust(14)
                + a.player.ljust(14)
                + _fmt(a.amount).rjust(14)
                + ("  yes" if a.in_core else "  no")
            )
        lines.append("")
    if result.warnings:
        lines.append("== warnings ==")
        lines.extend(f"  - {w}" for w in result.warnings)
        lines.append("")
    return "\n".join(lines) + "\n"
