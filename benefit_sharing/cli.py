"""``hst split SCENARIO [--json] [--out FILE.xlsx|.csv]`` (contract: shared/spec/cli.md, benefit_sharing.md §6).

Only argument handling and printing live here; the work is :func:`benefit_sharing.evaluate`. A bad
scenario is a :class:`matchmaking.cli.UserError` (one line on stderr, exit 2), never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from matchmaking.cli import EXIT_OK, EXIT_USAGE, UserError

from .engine import Result, evaluate
from .errors import ScenarioError
from .scenario import load_scenario
from .trace import COMPONENTS

__all__ = ["add_arguments", "run", "render_text"]


def _user_error(message: str) -> UserError:
    """The dispatcher's own UserError class.

    Started as ``python -m matchmaking.cli``, the dispatcher runs as ``__main__`` and this module
    imports a second copy of it, whose UserError the dispatcher would not catch (a traceback instead
    of one line). Raise the class of the copy that is actually running.
    """
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    if spec is not None and spec.name == "matchmaking.cli" and hasattr(main, "UserError"):
        return main.UserError(message, EXIT_USAGE)  # type: ignore[no-any-return]
    return UserError(message, EXIT_USAGE)


def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
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


def run(args: argparse.Namespace, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    path: Path = args.scenario
    if args.out is not None and args.out.suffix.lower() not in (".xlsx", ".csv"):
        raise _user_error(f"--out {args.out}: the file must end in .xlsx or .csv")
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise _user_error(f"{path}: a scenario file ends in .yaml, .yml or .json")
    try:
        scenario = load_scenario(path)
        result = evaluate(scenario)
    except ScenarioError as exc:
        raise _user_error(str(exc)) from None
    if args.out is not None:
        _write(result, args.out)
    if args.json:
        json.dump(result.to_json_dict(), out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(render_text(result))
        if args.out is not None:
            out.write(f"\nwritten: {args.out}\n")
    return EXIT_OK


def _write(result: Result, target: Path) -> None:
    from .export import export_csv, export_excel

    try:
        if target.suffix.lower() == ".xlsx":
            export_excel(result, target)
        else:
            export_csv(result, target)
    except OSError as exc:
        raise _user_error(f"--out {target}: cannot write the file ({exc.strerror or exc})") from None


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
