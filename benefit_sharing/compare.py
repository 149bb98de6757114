"""Side-by-side comparison of scenarios, and sensitivity sweeps over one input.

``compare`` answers "branch or subsidiary?", "with or without the agreement?", "8 % or 12 % markup?" in
one table (year × tax × city × component, a column per scenario, differences against the first);
a scenario that has agreements brings its own "without agreements" column automatically. ``sweep``
re-evaluates a scenario for each value of one input and returns a tidy table ready to plot.
Both work on the scenario's dict form, so every variant is validated like a file would be. Neither
computes a tax itself: every column is an :func:`~benefit_sharing.evaluate`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .engine import Result, evaluate
from .errors import Problem, ScenarioError
from .scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["compare", "sweep", "set_path"]

_KEY_COLS = ["year", "tax", "city", "component"]


def compare(
    scenarios: Sequence[Scenario | Result | Mapping[str, Any]], with_without: bool = True
) -> pd.DataFrame:
    """A wide table: one column per scenario (amounts summed over periods), plus ``Δ <name>`` columns
    against the first scenario, and ``all cities`` total lines per year × tax × component.

    For each scenario with agreements, a ``<name> (without agreements)`` column is added right after it.
    """
    import pandas as pd

    results: list[Result] = []
    for s in scenarios:
        res = (
            s if isinstance(s, Result) else evaluate(s if isinstance(s, Scenario) else Scenario.from_dict(s))
        )
        results.append(res)
        if with_without and res.has_agreements and isinstance(res.source, Scenario):
            results.append(evaluate(res.source.without_agreements()))
    names = _unique([r.scenario for r in results])
    frames = []
    for name, res in zip(names, results, strict=True):
        df = res.frame()
        if df.empty:
            continue
        df = df.groupby(_KEY_COLS, as_index=False, sort=False)["amount"].sum()
        df["scenario"] = name
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=_KEY_COLS + names)
    long = pd.concat(frames, ignore_index=True)
    wide = long.pivot_table(index=_KEY_COLS, columns="scenario", values="amount", aggfunc="sum").reset_index()
    wide.columns.name = None
    for n in names:
        if n not in wide:
            wide[n] = None
    totals = (
        long[long["city"] != "central"]
        .groupby(["year", "tax", "component", "scenario"], as_index=False)["amount"]
        .sum()
    )
    totals = totals.pivot_table(
        index=["year", "tax", "component"], columns="scenario", values="amount", aggfunc="sum"
    ).reset_index()
    totals.columns.name = None
    totals["city"] = "all cities"
    wide = pd.concat([wide, totals], ignore_index=True)
    wide = wide[_KEY_COLS + names]
    for n in names:
        wide[n] = wide[n].map(lambda v: v if isinstance(v, Decimal) else Decimal(0))
    for n in names[1:]:
        wide[f"Δ {n}"] = wide[n] - wide[names[0]]
    wide["_order"] = wide["city"].eq("all cities")
    wide = (
        wide.sort_values(["year", "tax", "_order", "city", "component"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    return wide


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def sweep(scenario: Scenario | Mapping[str, Any], path: str, values: Sequence[Any]) -> pd.DataFrame:
    """Evaluate ``scenario`` with the input at ``path`` set to each of ``values``; a tidy table.

    ``path`` addresses the scenario's dict form: ``enterprise.markup``,
    ``establishments[sz].factors.2025.revenue`` (list items by id or name, or by index),
    ``agreements[0].host_share``, ``parameters.local_split.Jiangsu.cit.province_share``.
    Columns: value, year, tax, city, component, amount (float, ready to plot), amount_exact (Decimal).
    """
    import pandas as pd

    base = scenario.to_dict() if isinstance(scenario, Scenario) else copy.deepcopy(dict(scenario))
    frames = []
    for v in values:
        d = set_path(base, path, v)
        res = evaluate(Scenario.from_dict(d, f"sweep {path}={v}"))
        df = res.frame()
        if df.empty:
            continue
        df = df.groupby(_KEY_COLS, as_index=False, sort=False)["amount"].sum()
        df.insert(0, "value", v)
        frames.append(df)
    out = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["value", *_KEY_COLS, "amount"])
    )
    out = out.rename(columns={"amount": "amount_exact"})
    out["amount"] = out["amount_exact"].map(float)
    return out[["value", *_KEY_COLS, "amount", "amount_exact"]]


_STEP = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


def set_path(data: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``data`` with ``path`` set to ``value``; a bad path is a ScenarioError naming it."""
    d = copy.deepcopy(dict(data))
    if path.startswith("parameters."):
        d.setdefault("parameters", {})
        d["parameters"] = dict(d["parameters"] or {})
        d["parameters"][path[len("parameters.") :]] = value
        return d
    steps = [m.group(1) if m.group(1) is not None else ("[", m.group(2)) for m in _STEP.finditer(path)]
    node: Any = d
    for i, step in enumerate(steps):
        last = i == len(steps) - 1
        if isinstance(step, tuple):
            if not isinstance(node, list):
                raise ScenarioError(
                    [Problem(path, f"{step[1]!r} selects an item of a list, but this is not a list")], "sweep"
                )
            key = _list_index(node, step[1], path)
        else:
            if not isinstance(node, dict):
                raise ScenarioError(
                    [Problem(path, f"{step!r} is a key, but this part of the scenario is not a mapping")],
                    "sweep",
                )
            key = _dict_key(node, step)
        if last:
            node[key] = value
        else:
            if isinstance(node, dict) and key not in node:
                node[key] = {}
            node = node[key]
    return d


def _dict_key(node: dict[Any, Any], step: str) -> Any:
    if step in node:
        return step
    if step.isdigit() and int(step) in node:
        return int(step)
    return int(step) if step.isdigit() and len(step) == 4 else step


def _list_index(node: list[Any], sel: str, path: str) -> int:
    for i, item in enumerate(node):
        if isinstance(item, Mapping) and sel in (str(item.get("id")), str(item.get("name"))):
            return i
    if sel.isdigit() and int(sel) < len(node):
        return int(sel)
    ids = [str(item.get("id") or item.get("name")) for item in node if isinstance(item, Mapping)]
    raise ScenarioError(
        [Problem(path, f"no item {sel!r}; allowed: {', '.join(ids)} or an index 0–{len(node) - 1}")], "sweep"
    )
