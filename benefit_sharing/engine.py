"""Evaluate a scenario: statutory rows for every year, agreement overlays, statistics, allocations.

The order is the design: statute first (``rules``), then agreements on top (``agreements``), never the
other way round, so that every result holds the "without agreement" numbers too. The result offers
pandas views for a thin app page and a JSON form for ``hst split --json``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .agreements import AgreementOverlay, retained_rows, statistics_rows
from .games import (
    CooperativeGame,
    equal_split,
    in_core,
    nash,
    nash_weighted,
    nucleolus,
    proportional,
    shapley,
)
from .money import quantize, round_parts, to_fraction
from .parameters import ParameterSet, default_parameters
from .rules import LocalSplitRule, SplitRule, YearContext, default_rules
from .scenario import GAME_RULES, Game, Scenario
from .trace import COMPONENTS, Allocation, Row, TraceLine, Warning

if TYPE_CHECKING:  # pandas is imported lazily: the CLI's --json path does not need it
    import pandas as pd

__all__ = ["Result", "evaluate", "allocate"]

TAX_ORDER = ("cit", "vat", "surcharges", "iit", "value_added")


@dataclass(frozen=True)
class Result:
    """Everything one scenario produces. Rows are sorted by year, tax, city, component, period."""

    scenario: str
    unit: str
    years: tuple[int, ...]
    rows: tuple[Row, ...]
    allocations: tuple[Allocation, ...] = ()
    warnings: tuple[Warning, ...] = ()
    has_agreements: bool = False
    precision: Decimal = Decimal("0.01")
    source: Any = field(default=None, repr=False, compare=False)

    # -- JSON (hst split --json) -------------------------------------------------------------------
    def to_json_dict(self, with_trace: bool = True) -> dict[str, Any]:
        """Exactly ``{"scenario", "rows", "allocations", "warnings"}`` (spec §6); rows carry extra keys."""
        return {
            "scenario": self.scenario,
            "rows": [r.to_dict(with_trace) for r in self.rows],
            "allocations": [a.to_dict() for a in self.allocations],
            "warnings": [w.to_dict() for w in self.warnings],
        }

    # -- pandas views (for the app page and the Excel export) ------------------------------------
    def frame(self) -> pd.DataFrame:
        """One line per row: year, tax, city, component, period, amount (Decimal), rule, reference."""
        import pandas as pd

        cols = ["year", "tax", "city", "component", "period", "amount", "rule", "reference", "establishments"]
        return pd.DataFrame(
            [
                [
                    r.year,
                    r.tax,
                    r.city,
                    r.component,
                    r.period,
                    r.amount,
                    r.rule,
                    r.reference,
                    ", ".join(r.establishments),
                ]
                for r in self.rows
            ],
            columns=cols,
        )

    def summary(self) -> pd.DataFrame:
        """Year × tax × city in lines, components in columns (prepayment periods summed to the year)."""
        import pandas as pd

        totals: dict[tuple[int, str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        for r in self.rows:
            totals[(r.year, r.tax, r.city)][r.component] += r.amount
        comps = [c for c in COMPONENTS if any(c in v for v in totals.values())]
        lines = [[*k, *[v.get(c) for c in comps]] for k, v in totals.items()]
        return pd.DataFrame(lines, columns=["year", "tax", "city", *comps])

    def with_vs_without(self) -> pd.DataFrame:
        """Per year × tax × city: city level without agreements, the net transfer, and with (retained)."""
        import pandas as pd

        cols = ["year", "tax", "city", "without_agreements", "transfer", "with_agreements"]
        data: dict[tuple[int, str, str], dict[str, Decimal]] = defaultdict(dict)
        for r in self.rows:
            if r.component in ("agreement", "retained"):
                data[(r.year, r.tax, r.city)][r.component] = r.amount
        lines = []
        for k, v in sorted(data.items()):
            if "retained" not in v:
                continue
            transfer = v.get("agreement", Decimal(0))
            lines.append([*k, v["retained"] - transfer, transfer, v["retained"]])
        return pd.DataFrame(lines, columns=cols)

    def allocations_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [[a.rule, a.player, a.amount, str(a.exact), a.in_core, a.note] for a in self.allocations],
            columns=["rule", "player", "amount", "exact", "in_core", "note"],
        )

    def warnings_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([[w.code, w.message] for w in self.warnings], columns=["code", "message"])

    def trace_frame(self) -> pd.DataFrame:
        """Every amount → each rule, parameter, value, reference and confidence behind it."""
        import pandas as pd

        lines = []
        for n, r in enumerate(self.rows, 1):
            head = [n, r.year, r.tax, r.city, r.component, r.period, r.amount]
            lines.append([*head, r.rule, "", "", r.reference, ""])
            for t in r.trace:
                lines.append([*head, t.rule, t.parameter, t.value, t.reference, t.confidence])
        return pd.DataFrame(
            lines,
            columns=[
                "row",
                "year",
                "tax",
                "city",
                "component",
                "period",
                "amount",
                "rule",
                "parameter",
                "value",
                "reference",
                "confidence",
            ],
        )

    def total(
        self,
        *,
        year: int | None = None,
        tax: str | None = None,
        city: str | None = None,
        component: str | None = None,
    ) -> Decimal:
        """Sum of the matching rows (a convenience for tests and pages)."""
        return sum(
            (
                r.amount
                for r in self.rows
                if (year is None or r.year == year)
                and (tax is None or r.tax == tax)
                and (city is None or r.city == city)
                and (component is None or r.component == component)
            ),
            Decimal(0),
        )


class _Warnings:
    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Warning] = {}

    def __call__(self, code: str, message: str) -> None:
        self.items.setdefault((code, message), Warning(code, message))


def evaluate(
    scenario: Scenario | Mapping[str, Any],
    parameters: ParameterSet | None = None,
    rules: Sequence[SplitRule] | None = None,
) -> Result:
    """Evaluate a scenario (or a dict) under the statute, then its agreements; allocate its game.

    ``parameters`` replaces the bundled statute (e.g. a reform as a baseline); ``rules`` replaces the
    statutory rules (a province's own method), both before the scenario's own overrides.
    """
    if not isinstance(scenario, Scenario):
        scenario = Scenario.from_dict(scenario)
    params = (parameters or default_parameters()).with_overrides(scenario.parameters, source=scenario.source)
    warn = _Warnings()
    rows: list[Row] = []
    if scenario.enterprise is not None:
        active = list(rules) if rules is not None else default_rules(scenario.enterprise.form)
        needed = sorted(
            set(scenario.years) | {a.increment_over for a in scenario.agreements if a.increment_over}
        )
        statutory: dict[int, list[Row]] = {}
        for year in needed:
            ctx = YearContext(scenario, year, params, warn)
            year_rows: list[Row] = []
            for rule in active:
                year_rows += rule.apply(ctx)
            year_rows += LocalSplitRule().apply(ctx, year_rows)
            statutory[year] = year_rows
        overlays = [AgreementOverlay(a, scenario) for a in scenario.agreements]
        for year in scenario.years:
            rows += statutory[year]
            transfers = [r for o in overlays for r in o.rows(year, statutory, warn)]
            rows += _net(transfers)
            retained = retained_rows(statutory[year], _net(transfers), scenario.agreements)
            for r in retained:
                if r.amount < 0:  # several agreements together took more than the city receives
                    warn(
                        "agreement_exceeds_base",
                        f"{year}: agreements together take more {r.tax} from {r.city} "
                        f"than its city-level revenue from the firm (retained {r.amount})",
                    )
            rows += retained
            rows += _value_added(scenario, year)
    allocations: list[Allocation] = []
    if scenario.game is not None:
        allocations = allocate(scenario.game, precision=scenario.precision, warn=warn)
    return Result(
        scenario=scenario.name,
        unit=scenario.unit,
        years=scenario.years,
        rows=tuple(sorted(rows, key=_row_order)),
        allocations=tuple(allocations),
        warnings=tuple(warn.items.values()),
        has_agreements=bool(scenario.agreements),
        precision=scenario.precision,
        source=scenario,
    )


def _row_order(r: Row) -> tuple[Any, ...]:
    period_order = {"year": 0, "settlement": 99}
    period = period_order.get(r.period, int(r.period[1:]) if r.period[1:].isdigit() else 50)
    return (r.year, TAX_ORDER.index(r.tax), r.city, COMPONENTS.index(r.component), period)


def _net(transfers: Iterable[Row]) -> list[Row]:
    """One agreement row per (year, tax, city): the net of all agreements' transfers, with their traces."""
    grouped: dict[tuple[int, str, str], list[Row]] = defaultdict(list)
    for r in transfers:
        grouped[(r.year, r.tax, r.city)].append(r)
    out = []
    for (year, tax, city), rs in grouped.items():
        if len(rs) == 1:
            out.append(rs[0])
            continue
        out.append(
            Row(
                year,
                tax,
                city,
                "agreement",
                sum((r.amount for r in rs), Decimal(0)),
                " + ".join(r.rule for r in rs),
                "; ".join(dict.fromkeys(r.reference for r in rs)),
                trace=tuple(t for r in rs for t in r.trace),
            )
        )
    return out


def _value_added(scenario: Scenario, year: int) -> list[Row]:
    va = scenario.flows[year].value_added
    if not va:
        return []
    by_city: dict[str, Decimal] = defaultdict(Decimal)
    ests: dict[str, list[str]] = defaultdict(list)
    for est_id, amount in va.items():
        city = scenario.establishment(est_id).city
        by_city[city] += quantize(amount, scenario.precision)
        ests[city].append(est_id)
    rows = [
        Row(
            year,
            "value_added",
            city,
            "official",
            amount,
            "official statistics count value added where the establishment is (在地统计)",
            "中华人民共和国统计法; 国家统计局 地区生产总值统一核算 (在地原则)",
            establishments=tuple(sorted(ests[city])),
            trace=(
                TraceLine(
                    "value added (given)",
                    "flows.value_added",
                    ", ".join(sorted(ests[city])),
                    "scenario input",
                    "user",
                ),
            ),
        )
        for city, amount in sorted(by_city.items())
    ]
    return rows + statistics_rows(year, by_city, scenario.agreements, scenario.precision)


def allocate(
    game: Game | Mapping[str, Any],
    rules: Sequence[str] | None = None,
    precision: Decimal | str = Decimal("0.01"),
    warn: Any = None,
) -> list[Allocation]:
    """Allocate a joint surplus by each rule; amounts rounded so they add up to v(N), exact kept.

    ``game`` is a scenario's :class:`Game` or a dict like the scenario file's ``game`` section.
    """
    if not isinstance(game, Game):
        g = Scenario.from_dict({"name": "game", "game": dict(game)}).game
        assert g is not None
        game = g
    q = Decimal(str(precision))
    cg = CooperativeGame(game.players, game.values)
    out: list[Allocation] = []
    for rule in rules or game.rules:
        if rule not in GAME_RULES:
            raise ValueError(f"unknown allocation rule {rule!r}; allowed: {', '.join(GAME_RULES)}")
        note = ""
        try:
            if rule == "shapley":
                x = shapley(cg)
            elif rule == "nucleolus":
                x, note = nucleolus(cg)
            elif rule == "nash":
                x = nash(cg)
                note = "symmetric: v(i) + (v(N) − Σ v(j))/n"
            elif rule == "nash_weighted":
                if game.weights is None:
                    raise ValueError("nash_weighted needs weights")
                x = nash_weighted(cg, game.weights)
                note = "weighted: v(i) + w_i·(v(N) − Σ v(j))"
            elif rule == "proportional":
                x = proportional(cg, game.contributions)
                note = "to the given contributions" if game.contributions else "to stand-alone values v(i)"
            else:
                x = equal_split(cg)
        except ValueError as exc:
            if warn is not None:
                warn("allocation_undefined", f"{rule}: {exc}")
            continue
        players = list(game.players)
        exact = [x[p] for p in players]
        total = sum(exact, Fraction(0))
        if (total / to_fraction(q)).denominator == 1:
            amounts = round_parts(exact, q, tie_keys=players)
        else:
            amounts = [quantize(v, q) for v in exact]
            note = (
                note + "; " if note else ""
            ) + "v(N) is not a multiple of the precision: each amount rounded alone"
        core = in_core(cg, x)
        for p, a, e in zip(players, amounts, exact, strict=True):
            out.append(Allocation(rule, p, a, e, core, note))
    return out
