"""What every statutory rule shares: the year it works on, the rule protocol, and the row accumulator.

A rule sees a :class:`YearContext` (the scenario, the year, the parameters in force, a warning sink),
reads every rate and share through it (so each use leaves a trace line with its legal reference), and
adds amounts to a :class:`RowBuilder`, which sums them per city and component and keeps the trace of
every part. A :class:`Basis` is the rule text and legal reference of an amount, in English and Chinese,
written once where the amount is computed. This module computes no tax itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple, Protocol

from ..money import format_number, quantize, split_amount
from ..parameters import ParameterSet
from ..scenario import Enterprise, Scenario, YearFlows
from ..trace import Row, TraceLine, Unused

__all__ = [
    "factors_path",
    "Warn",
    "Basis",
    "YearContext",
    "SplitRule",
    "RowBuilder",
    "given",
    "split_levels",
    "cit_rate",
    "service_fee",
    "REF_CROSS_PROVINCE",
    "REF_CIT_LAW",
    "SCENARIO_INPUT",
]

#: A warning sink: ``warn(code, message, message_zh)`` (codes are named in ``names.WARNINGS``).
Warn = Callable[[str, str, str], None]

REF_CROSS_PROVINCE = "国家税务总局公告2012年第57号; 财预〔2012〕40号"
REF_CIT_LAW = "中华人民共和国企业所得税法"
SCENARIO_INPUT = ("scenario input", "情景输入")


class Basis(NamedTuple):
    """Why an amount is what it is: the rule and its legal reference, in English and in Chinese
    (an empty ``reference_zh``: the reference is a statute's name, the same in both)."""

    rule: str
    reference: str
    rule_zh: str
    reference_zh: str = ""

    def citing(self, line: TraceLine) -> Basis:
        """The same rule, with the reference of a parameter's trace line (e.g. the central share's)."""
        return self._replace(reference=line.reference, reference_zh=line.reference_zh)


def factors_path(est_id: str, year: int) -> str:
    """How an establishment's apportionment factors of ``year`` are named (as ``compare.sweep`` addresses them)."""
    return f"establishments[{est_id}].factors.{year}"


def given(rule: str, rule_zh: str, parameter: str, value: str) -> TraceLine:
    """The trace line of an amount the scenario gives (``flows.vat_payable.sz`` = 400)."""
    return TraceLine(
        f"{rule} (given)", parameter, value, SCENARIO_INPUT[0], "user", f"{rule_zh}（给定）", "", SCENARIO_INPUT[1]
    )


@dataclass
class YearContext:
    """What a rule sees: the scenario, the year, the parameters in force, and a warning sink."""

    scenario: Scenario
    year: int
    params: ParameterSet
    warn: Warn
    cache: dict[str, object] = field(default_factory=dict)
    #: inputs a rule found it cannot use (path → why), and inputs it used: shared by every year of one
    #: evaluation, so an input unused one year and used another counts as used
    unused: dict[str, Unused] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    def not_used(self, path: str, why: str, why_zh: str, reference: str, reference_zh: str = "") -> None:
        """Record that input ``path`` cannot change this year's result, and which rule makes it so."""
        self.unused.setdefault(path, Unused(path, why, reference, why_zh, reference_zh))

    def uses(self, path: str) -> None:
        """Record that input ``path`` enters this year's result."""
        self.used.add(path)

    @property
    def quantum(self) -> Decimal:
        return self.scenario.precision

    @property
    def flows(self) -> YearFlows:
        return self.scenario.flows[self.year]

    @property
    def enterprise(self) -> Enterprise:
        assert self.scenario.enterprise is not None
        return self.scenario.enterprise

    def share(self, name: str, rule: str, rule_zh: str) -> tuple[Fraction | None, TraceLine]:
        """A share parameter averaged by month over the year, and its trace line."""
        p = self.params.get(name)
        d = p.describe_year(self.year)
        avg = p.year_average(self.year)
        if avg is not None and not p.settled and not p.overridden:
            self.warn(
                "unsettled_default",
                f"{p.title('en')} = {d.value} is an unsettled default ({d.reference}; parameter `{name}`)",
                f"{p.title('zh')} = {d.value_zh} 是尚未确认的默认值（{d.reference_zh or d.reference}；参数 `{name}`）",
            )
        return avg, TraceLine(rule, name, d.value, d.reference, d.confidence, rule_zh, d.value_zh, d.reference_zh)

    def required_share(self, name: str, rule: str, rule_zh: str) -> tuple[Fraction, TraceLine]:
        """:meth:`share` for a parameter the statute always sets (a gap is a broken parameter file)."""
        v, line = self.share(name, rule, rule_zh)
        if v is None:
            raise ValueError(f"parameter {name} has no value for every month of {self.year}")
        return v, line

    def choice(self, name: str, rule: str, rule_zh: str) -> tuple[str | None, TraceLine]:
        """A categorical parameter for the year. Modes are not pro-rated: a mid-year change is warned about."""
        p = self.params.get(name)
        months = p.months(self.year)
        first = months[0]
        if len({m.value if m else None for m in months}) > 1:
            self.warn(
                "mode_changes_mid_year",
                f"{p.title('en')} (parameter `{name}`) changes during {self.year}; the value in force on 1 January "
                "is used for the whole year (a method cannot be pro-rated)",
                f"{p.title('zh')}（参数 `{name}`）在{self.year}年内有变化：全年按1月1日有效的取值计算（办法不能按月折算）",
            )
        if first is None:
            return None, TraceLine(
                rule, name, "unset", "no value (unsettled)", "none", rule_zh, "未设定", "无取值（尚未确认）"
            )
        return first.value, TraceLine(
            rule, name, first.text, first.reference, first.confidence, rule_zh, first.text_in("zh"),
            first.reference_zh,
        )  # fmt: skip


class SplitRule(Protocol):
    """One statutory rule: produces the rows of one tax for one year."""

    tax: str

    def apply(self, ctx: YearContext) -> list[Row]: ...


class RowBuilder:
    """Accumulates per-city amounts from several parts, keeping the basis and trace of each part."""

    def __init__(self, year: int, tax: str) -> None:
        self.year, self.tax = year, tax
        self.amounts: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
        self.traces: dict[tuple[str, str, str], list[TraceLine]] = defaultdict(list)
        self.bases: dict[tuple[str, str, str], dict[str, Basis]] = defaultdict(dict)
        self.ests: dict[tuple[str, str, str], list[str]] = defaultdict(list)

    def add(
        self,
        city: str,
        component: str,
        amount: Decimal,
        basis: Basis,
        trace: Iterable[TraceLine] = (),
        est: str | None = None,
        period: str = "year",
    ) -> None:
        key = (city, component, period)
        self.amounts[key] += amount
        self.bases[key].setdefault(basis.rule, basis)
        for t in trace:
            if t not in self.traces[key]:
                self.traces[key].append(t)
        if est and est not in self.ests[key]:
            self.ests[key].append(est)

    def rows(self) -> list[Row]:
        out = []
        for key, amount in self.amounts.items():
            city, component, period = key
            bases = list(self.bases[key].values())
            out.append(
                Row(
                    year=self.year,
                    tax=self.tax,
                    city=city,
                    component=component,
                    amount=amount,
                    rule=" + ".join(b.rule for b in bases),
                    reference=_references((b.reference for b in bases), "; "),
                    period=period,
                    establishments=tuple(sorted(self.ests[key])),
                    trace=tuple(self.traces[key]),
                    rule_zh=" + ".join(b.rule_zh for b in bases),
                    reference_zh=_references((b.reference_zh or b.reference for b in bases), "；"),
                )
            )
        return out


def _references(refs: Iterable[str], sep: str) -> str:
    """Several references as one, each document once (``a; b`` and ``b; c`` → ``a; b; c``)."""
    return sep.join(dict.fromkeys(r for ref in refs for r in ref.replace("；", "; ").split("; ")))


def split_levels(amount: Decimal, central: Fraction, quantum: Decimal) -> tuple[Decimal, Decimal]:
    """(central, rest) of one amount paid, exact to the quantum (分税制: the central share, the rest local)."""
    c, rest = split_amount(amount, [central, 1 - central], quantum, tie_keys=[0, 1])
    return c, rest


def cit_rate(rate: Decimal | None) -> tuple[Decimal, TraceLine]:
    """The CIT rate: the scenario's, or the standard 25 % (企业所得税法 第四条)."""
    if rate is not None:
        return rate, TraceLine(
            "CIT rate (scenario)", "enterprise.cit_rate", format_number(rate), SCENARIO_INPUT[0], "user",
            "企业所得税税率（情景给定）", "", SCENARIO_INPUT[1],
        )  # fmt: skip
    return Decimal("0.25"), TraceLine(
        "CIT standard rate (no rate given)", "cit_rate", "0.25", REF_CIT_LAW + " 第四条", "high",
        "企业所得税法定税率（未给定税率）",
    )  # fmt: skip


def service_fee(ctx: YearContext) -> tuple[Decimal, list[TraceLine]] | None:
    """The cost-plus fee between the R&D company and the production company (transfer price), if any.

    企业所得税法 第四十一条: transactions between related parties follow the arm's length principle; the
    markup is the scenario's input."""
    ent, f = ctx.enterprise, ctx.flows
    if f.service_cost is None or ent.markup is None:
        return None
    fee = quantize(f.service_cost * (1 + ent.markup), ctx.quantum)
    text = f"{format_number(f.service_cost)} × (1 + {format_number(ent.markup)}) = {format_number(fee)}"
    line = TraceLine(
        "transfer price: fee = service cost × (1 + markup)",
        "enterprise.markup",
        text,
        "企业所得税法 第四十一条 (arm's length principle); the markup is a scenario input",
        "user",
        "转让定价：服务费 = 服务成本 ×（1 + 加成率）",
        "",
        "企业所得税法 第四十一条（独立交易原则）；加成率为情景输入",
    )
    return fee, [line]
