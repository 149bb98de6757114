"""Evaluate a scenario: statutory rows for every year, agreement overlays, statistics, allocations.

The order is the design: statute first (``rules``), then agreements on top (``agreements``), never the
other way round, so that every result holds the "without agreement" numbers too. The result offers
pandas views (in English or Chinese) for a thin app page and a JSON form for ``hst split --json``.
This module sequences the rules and overlays; it holds no tax rule itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .agreements import AgreementOverlay, Overlay, retained_rows, statistics_rows
from .games import (
    PRE_NUCLEOLUS,
    AllocationUndefined,
    CooperativeGame,
    core_is_empty,
    equal_split,
    in_core,
    least_core_excess,
    nash,
    nash_weighted,
    nucleolus,
    proportional,
    shapley,
)
from .labels import input_name
from .money import format_exact, quantize, round_parts, to_fraction
from .names import name
from .parameters import ParameterSet, default_parameters
from .rules import LocalSplitRule, SplitRule, YearContext, default_rules
from .rules.base import SCENARIO_INPUT, factors_path
from .scenario import GAME_RULES, Game, Scenario
from .trace import COMPONENTS, Allocation, Row, TraceLine, Unused, Warning, in_language

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
    #: inputs that cannot change this result, each with the rule that makes it so
    unused: tuple[Unused, ...] = ()

    # -- JSON (hst split --json) -------------------------------------------------------------------
    def to_json_dict(self, with_trace: bool = True) -> dict[str, Any]:
        """Exactly ``{"scenario", "rows", "allocations", "warnings"}`` (the `hst split --json` contract, docs/benefit-sharing.md); rows carry extra keys."""
        return {
            "scenario": self.scenario,
            "rows": [r.to_dict(with_trace) for r in self.rows],
            "allocations": [a.to_dict() for a in self.allocations],
            "warnings": [w.to_dict() for w in self.warnings],
        }

    # -- pandas views (for the app page and the Excel export) ------------------------------------
    def frame(self, lang: str = "en") -> pd.DataFrame:
        """One line per row: year, tax, city, component, period, amount (Decimal), rule, reference (texts
        in ``lang``; codes and amounts the same in both)."""
        import pandas as pd

        cols = ["year", "tax", "city", "component", "period", "amount", "rule", "reference", "establishments"]
        sep = "、" if lang == "zh" else ", "
        return pd.DataFrame(
            [
                [r.year, r.tax, r.city, r.component, r.period, r.amount, *r.texts(lang),
                 sep.join(self.establishment_name(e, lang) for e in r.establishments)]
                for r in self.rows
            ],
            columns=cols,
        )

    def establishment_name(self, est_id: str, lang: str = "en") -> str:
        """An establishment by its name (or city and role), not its id."""
        return self.source.establishment_name(est_id, lang) if isinstance(self.source, Scenario) else est_id

    def input_name(self, path: str, lang: str = "en") -> str:
        """The name of an input or parameter path in ``lang`` (``labels.input_name``)."""
        return input_name(path, lang, self.source if isinstance(self.source, Scenario) else None)

    def unused_frame(self, lang: str = "en") -> pd.DataFrame:
        """The inputs that cannot change this result: input (its name), why, reference, and the path."""
        import pandas as pd

        return pd.DataFrame([[self.input_name(u.path, lang), u.text(lang), u.cites(lang), u.path] for u in self.unused],
                            columns=["input", "why", "reference", "parameter"])

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

    def allocations_frame(self, lang: str = "en") -> pd.DataFrame:
        """rule, player, amount, exact (as a decimal), fraction (the exact value), in_core, note (in ``lang``)."""
        import pandas as pd

        return pd.DataFrame(
            [
                [a.rule, a.player, a.amount, *format_exact(a.exact), a.in_core, in_language(a.note, a.note_zh, lang)]
                for a in self.allocations
            ],
            columns=["rule", "player", "amount", "exact", "fraction", "in_core", "note"],
        )

    def warnings_frame(self, lang: str = "en") -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([[w.code, w.text(lang)] for w in self.warnings], columns=["code", "message"])

    def trace_frame(self, lang: str = "en") -> pd.DataFrame:
        """Every amount → each rule, parameter, value, reference and confidence behind it (texts in ``lang``)."""
        import pandas as pd

        lines = []
        named: dict[str, str] = {}
        for n, r in enumerate(self.rows, 1):
            head = [n, r.year, r.tax, r.city, r.component, r.period, r.amount]
            rule, reference = r.texts(lang)
            lines.append([*head, rule, "", "", reference, "", ""])
            for t in r.trace:
                rule, value, reference = t.texts(lang)
                if t.parameter not in named:
                    named[t.parameter] = self.input_name(t.parameter, lang)
                lines.append([*head, rule, t.parameter, value, reference, t.confidence, named[t.parameter]])
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
                "parameter_name",
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
    """The warning sink of one evaluation: each (code, message) once, in the order first raised."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], Warning] = {}

    def __call__(self, code: str, message: str, message_zh: str = "") -> None:
        self.items.setdefault((code, message), Warning(code, message, message_zh))


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
    unused: dict[str, Unused] = {}
    used: set[str] = set()
    if scenario.enterprise is not None:
        active = list(rules) if rules is not None else default_rules(scenario.enterprise.form)
        needed = sorted(
            set(scenario.years) | {a.increment_over for a in scenario.agreements if a.increment_over}
        )
        statutory: dict[int, list[Row]] = {}
        for year in needed:
            ctx = YearContext(scenario, year, params, warn, unused=unused, used=used)
            year_rows: list[Row] = []
            for rule in active:
                year_rows += rule.apply(ctx)
            year_rows += LocalSplitRule().apply(ctx, year_rows)
            statutory[year] = year_rows
        overlays: list[Overlay] = [AgreementOverlay(a, scenario, i) for i, a in enumerate(scenario.agreements)]
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
                        f"{year}年：各协议合计从{scenario.city_name(r.city, 'zh')}转出的{name('tax', r.tax, 'zh')}"
                        f"超过其从该企业取得的市级收入（协议后 {r.amount}）",
                    )
            rows += retained
            rows += _value_added(scenario, year)
        if rules is None:  # the statutory rules say which inputs they use; other rules may not
            _factors_never_read(scenario, needed, unused)
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
        unused=tuple(u for path, u in sorted(unused.items()) if path not in used),
    )


def _factors_never_read(scenario: Scenario, years: Sequence[int], unused: dict[str, Unused]) -> None:
    """Factors no rule looked at: separate companies apportion nothing, and a year's factors are read only
    for the CIT of the year after (57号 Art. 16: the prior year's revenue, payroll and assets)."""
    assert scenario.enterprise is not None
    subsidiary = scenario.enterprise.form == "subsidiary"
    for e in scenario.establishments:
        for year in e.factors:
            path = factors_path(e.id, year)
            if subsidiary:
                unused.setdefault(path, Unused(
                    path, "separate companies each pay CIT where they are registered: nothing is apportioned",
                    "中华人民共和国企业所得税法 第五十条", "各子公司在各自登记注册地缴纳企业所得税：不存在分摊",
                ))  # fmt: skip
            elif year + 1 not in years:
                unused.setdefault(path, Unused(
                    path, f"the factors of {year} are read only for the CIT of {year + 1}, which the scenario does "
                    f"not cover", "国家税务总局公告2012年第57号 第十六条",
                    f"{year}年的分摊因素只用于{year + 1}年企业所得税的分摊，本情景不含{year + 1}年",
                ))  # fmt: skip


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
                rule_zh=" + ".join(r.rule_zh or r.rule for r in rs),
                reference_zh="；".join(dict.fromkeys(r.reference_zh or r.reference for r in rs)),
            )
        )
    return out


def _value_added(scenario: Scenario, year: int) -> list[Row]:
    """Value added where each establishment is (在地统计, 中华人民共和国统计法), then for assessment."""
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
            "official statistics count value added where the establishment is",
            "中华人民共和国统计法; 国家统计局 地区生产总值统一核算 (where the establishment is)",
            establishments=tuple(sorted(ests[city])),
            trace=(TraceLine(
                "value added (given)", "flows.value_added",
                ", ".join(scenario.establishment_name(e, "en") for e in sorted(ests[city])), SCENARIO_INPUT[0],
                "user", "增加值（给定）", "、".join(scenario.establishment_name(e, "zh") for e in sorted(ests[city])),
                SCENARIO_INPUT[1],
            ),),  # fmt: skip
            rule_zh="官方统计按机构所在地统计增加值（在地统计）",
            reference_zh="中华人民共和国统计法；国家统计局 地区生产总值统一核算（在地原则）",
        )
        for city, amount in sorted(by_city.items())
    ]
    return rows + statistics_rows(year, by_city, scenario)


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
    if warn is not None and core_is_empty(cg):
        eps, _ = format_exact(least_core_excess(cg), 4)
        warn(
            "core_empty",
            "no split of the joint value is in the core: whatever the rule, some group of players would earn more "
            f"on its own (at best the most demanding group still falls {eps} short); expect that group to ask for "
            "more, or check the coalition values",
            "任何分法都不在核心内：无论采用哪种规则，总有某些参与方组合单独合作能得到更多（即使最优分法下，要求最高的组合"
            f"仍少得 {eps}）；该组合可能要求多分，或请检查各联盟收益 v(S)",
        )
    for rule in rules or game.rules:
        if rule not in GAME_RULES:
            raise ValueError(f"unknown allocation rule {rule!r}; allowed: {', '.join(GAME_RULES)}")
        try:
            x, note = _allocate_by(rule, cg, game)
        except AllocationUndefined as exc:
            if warn is not None:
                warn("allocation_undefined", f"{rule}: {exc}", f"{name('game_rule', rule, 'zh')}：{exc.zh}")
            continue
        players = list(game.players)
        exact = [x[p] for p in players]
        total = sum(exact, Fraction(0))
        if (total / to_fraction(q)).denominator == 1:
            amounts = round_parts(exact, q, tie_keys=players)
        else:
            amounts = [quantize(v, q) for v in exact]
            note = tuple(
                (n + sep if n else "") + alone
                for n, sep, alone in zip(
                    note, ("; ", "；"),
                    ("v(N) is not a multiple of the precision: each amount rounded alone", "v(N) 不是精度的整数倍：各金额单独舍入"),
                    strict=True,
                )
            )  # fmt: skip
        core = in_core(cg, x)
        for p, a, e in zip(players, amounts, exact, strict=True):
            out.append(Allocation(rule, p, a, e, core, note[0], note[1]))
    return out


def _allocate_by(rule: str, cg: CooperativeGame, game: Game) -> tuple[dict[str, Fraction], tuple[str, str]]:
    """One rule's exact allocation, and its note (English, Chinese); AllocationUndefined when the rule
    cannot allocate this game."""
    if rule == "shapley":
        return shapley(cg), ("", "")
    if rule == "nucleolus":
        x, note = nucleolus(cg)
        return x, (PRE_NUCLEOLUS if note else ("", ""))
    if rule == "nash":
        return nash(cg), ("symmetric: v(i) + (v(N) − Σ v(j))/n", "对称：v(i) + (v(N) − Σ v(j))/n")
    if rule == "nash_weighted":
        if game.weights is None:
            raise AllocationUndefined("nash_weighted needs weights", "加权纳什谈判需要各方权重")
        return nash_weighted(cg, game.weights), ("weighted: v(i) + w_i·(v(N) − Σ v(j))", "加权：v(i) + w_i·(v(N) − Σ v(j))")
    if rule == "proportional":
        if game.contributions:
            return proportional(cg, game.contributions), ("to the given contributions", "按给定的贡献")
        return proportional(cg), ("to stand-alone values v(i)", "按各方单独收益 v(i)")
    return equal_split(cg), ("", "")
