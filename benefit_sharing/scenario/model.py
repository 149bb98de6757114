"""What a scenario is made of: frozen dataclasses, the allowed codes, and who takes part in the CIT
apportionment (57号 Art. 5), which is a property of the establishments themselves.

Both the validating reader (``reader.py``: factors are required exactly for the branches that take part)
and the rules (``rules/cit_branch.py``: who shares T) ask :func:`takes_part`; the batch path asks its
vectorised twin :func:`takes_part_many`, in this module too, so the participation rule has one home.
This module reads no file, validates nothing and computes no tax.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import names
from ..trace import in_language

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "CITY_PROVINCE",
    "ROLES",
    "NON_PARTICIPATING_ROLES",
    "LOCATION_TYPES",
    "TAXES",
    "FORMS",
    "STATISTICS",
    "GAME_RULES",
    "Factors",
    "Establishment",
    "Enterprise",
    "YearFlows",
    "Schedule",
    "Agreement",
    "Game",
    "Scenario",
    "Participation",
    "establishment_label",
    "takes_part",
    "takes_part_many",
]

#: Cities of the cluster and their province; other cities need an explicit ``province``.
CITY_PROVINCE = {"Shanghai": "Shanghai", "Suzhou": "Jiangsu", "Nantong": "Jiangsu"}
ROLES = ("hq", "production", "sales", "rd", "warehouse", "after_sales", "hq_production_department")
#: 57号 Art. 5: internal support units that pay no VAT locally do not take part in the apportionment.
NON_PARTICIPATING_ROLES = ("rd", "warehouse", "after_sales")
LOCATION_TYPES = ("urban_district", "county_town", "elsewhere")
TAXES = ("cit", "vat", "surcharges", "iit")
FORMS = ("branch", "subsidiary")
STATISTICS = ("split", "double_count", "none")
GAME_RULES = ("shapley", "nucleolus", "nash", "nash_weighted", "proportional", "equal")


@dataclass(frozen=True)
class Factors:
    """Prior-year apportionment factors of one establishment (营业收入、职工薪酬、资产总额)."""

    revenue: Decimal
    payroll: Decimal
    assets: Decimal


@dataclass(frozen=True)
class Establishment:
    """A head office, branch or company at one place. ``city_zh`` names a city outside the cluster in
    Chinese (the cluster's cities are named in ``names.CITIES``)."""

    id: str
    city: str
    province: str
    role: str
    pays_local_vat: bool
    location_type: str | None = None  # None: not given (the engine assumes urban_district and warns)
    established: int | None = None
    closed: int | None = None
    cit_rate: Decimal | None = None
    factors: Mapping[int, Factors] = field(default_factory=dict)
    name: str = ""
    city_zh: str = ""

    @property
    def is_hq(self) -> bool:
        return self.role == "hq"


@dataclass(frozen=True)
class Enterprise:
    name: str
    form: str
    cit_rate: Decimal | None = None  # None: the statutory standard rate
    markup: Decimal | None = None
    service_provider: str | None = None
    service_recipient: str | None = None
    fee_vat_rate: Decimal | None = None
    six_taxes_two_fees_relief: bool = False
    small_low_profit_years: frozenset[int] = frozenset()


@dataclass(frozen=True)
class YearFlows:
    """One year's amounts. ``taxable_income``/``cit_payable`` are a number (branch form) or a map by id."""

    taxable_income: Decimal | Mapping[str, Decimal] | None = None
    cit_payable: Decimal | Mapping[str, Decimal] | None = None
    profit_before_fee: Mapping[str, Decimal] | None = None
    service_cost: Decimal | None = None
    prepayments: tuple[Decimal, ...] = ()
    vat_payable: Mapping[str, Decimal] = field(default_factory=dict)
    iit: Mapping[str, Decimal] = field(default_factory=dict)
    value_added: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Schedule:
    """A step function of time: ``periods`` are (first day, last day or None, value), sorted, disjoint.

    A mapping ``{start: value}`` becomes periods that each run until the next start; a list of
    ``{from, until, share}`` periods may leave gaps (no value there).
    """

    periods: tuple[tuple[dt.date, dt.date | None, Fraction], ...]

    def at(self, when: dt.date) -> Fraction | None:
        for start, end, value in self.periods:
            if start <= when and (end is None or when <= end):
                return value
        return None

    def months(self, year: int) -> tuple[Fraction | None, ...]:
        """The value on the first day of each month (schedule dates are first days of months)."""
        return tuple(self.at(dt.date(year, m, 1)) for m in range(1, 13))


@dataclass(frozen=True)
class Agreement:
    """A negotiated overlay between two cities (飞地经济 / 共建园区): never an edit of the statute.

    ``name_zh`` and ``reference_zh`` give the agreement's name and basis in Chinese when they differ."""

    name: str
    host: str
    partner: str
    taxes: tuple[str, ...]
    host_share: Schedule
    increment_over: int | None = None
    cap: Mapping[int, Decimal] | Decimal | None = None
    floor: Mapping[int, Decimal] | Decimal | None = None
    sunset: int | None = None
    statistics: str = "none"
    reference: str = "negotiated agreement (user input)"
    province_is_party: bool = False
    name_zh: str = ""
    reference_zh: str = ""

    def annual(self, which: str, year: int) -> Decimal | None:
        """The cap or floor for ``year`` (a number, or the last ``{year: amount}`` entry not after it)."""
        v = self.cap if which == "cap" else self.floor
        if v is None or isinstance(v, Decimal):
            return v
        found = None
        for y in sorted(v):
            if y <= year:
                found = v[y]
        return found


@dataclass(frozen=True)
class Game:
    """A joint project's coalition values v(S) (exact), for cooperative allocation among cities."""

    players: tuple[str, ...]
    values: Mapping[frozenset[str], Fraction]
    rules: tuple[str, ...]
    weights: Mapping[str, Fraction] | None = None
    contributions: Mapping[str, Fraction] | None = None
    name: str = "joint project"


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. ``raw`` keeps the normalised input so that sweeps can edit and reload it.

    ``name_zh`` is the scenario's name in Chinese (a template is listed in the reader's language);
    ``name`` stays the name results and exports carry."""

    name: str
    years: tuple[int, ...]
    unit: str = "万元"
    precision: Decimal = Decimal("0.01")
    parameters: Mapping[str, Any] = field(default_factory=dict)
    enterprise: Enterprise | None = None
    establishments: tuple[Establishment, ...] = ()
    flows: Mapping[int, YearFlows] = field(default_factory=dict)
    agreements: tuple[Agreement, ...] = ()
    game: Game | None = None
    description: str = ""
    source: str = "<dict>"
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    name_zh: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<dict>") -> Scenario:
        from .reader import read_scenario  # the reader builds these types; the types do not need it

        return read_scenario(data, source)

    def to_dict(self) -> dict[str, Any]:
        """A deep copy of the (normalised) input, suitable for editing and :meth:`from_dict`."""
        return copy.deepcopy(dict(self.raw))

    def without_agreements(self) -> Scenario:
        d = self.to_dict()
        d.pop("agreements", None)
        d["name"] = f"{self.name} (without agreements)"
        if d.get("name_zh"):
            d["name_zh"] = f"{self.name_zh}（无协议）"
        return Scenario.from_dict(d, self.source)

    def establishment(self, est_id: str) -> Establishment:
        for e in self.establishments:
            if e.id == est_id:
                return e
        raise KeyError(est_id)

    @property
    def hq(self) -> Establishment | None:
        return next((e for e in self.establishments if e.is_hq), None)

    def title(self, lang: str = "en") -> str:
        """The scenario's name in ``lang``."""
        return in_language(self.name, self.name_zh, lang)

    def establishment_name(self, est_id: str, lang: str = "en") -> str:
        """An establishment as a reader knows it: its ``name`` when the scenario gives one, else its city
        and role (上海总机构, Nantong production); its id is added only when two would read the same. An
        id the scenario does not know is returned as it is."""
        try:
            e = self.establishment(est_id)
        except KeyError:
            return str(est_id)
        label = self._establishment_label(e, lang)
        if sum(1 for o in self.establishments if self._establishment_label(o, lang) == label) > 1:
            return f"{label}（{e.id}）" if lang == "zh" else f"{label} ({e.id})"
        return label

    def _establishment_label(self, e: Establishment, lang: str) -> str:
        return establishment_label(e.name, self.city_name(e.city, lang), e.role, lang)

    def city_name(self, city: str, lang: str = "en") -> str:
        """A city's name in ``lang``: the cluster's from ``names.CITIES``, others as the scenario names them."""
        if lang == "zh" and city not in names.CITIES:
            given = next((e.city_zh for e in self.establishments if e.city == city and e.city_zh), "")
            if given:
                return given
        return names.name("city", city, lang)


def establishment_label(name: str, city: str, role: str, lang: str = "en") -> str:
    """How an establishment reads: its own ``name`` when it has one, else the name of its ``city`` (in
    ``lang``) and its role: 上海总机构, 南通生产机构, Nantong production, Shanghai R&D."""
    if name:
        return name
    role_name = names.name("role", role, lang)
    if lang == "zh":
        return f"{city}{role_name}" + ("" if role_name.endswith(("机构", "部门")) else "机构")
    return f"{city} {role_name if role_name[:2].isupper() else role_name.lower()}"


# --------------------------------------------------------------------------------------------------
# Who takes part in the apportionment (57号 Art. 5): one rule, for one establishment and for many.


class Participation(NamedTuple):
    """Whether an establishment takes part in a year's apportionment, and why not (English, Chinese)."""

    takes_part: bool
    why: str = ""
    why_zh: str = ""


def takes_part(e: Establishment, year: int, ent: Enterprise) -> Participation:
    """Whether branch ``e`` takes part in the apportionment of ``year``'s CIT, and why not.

    国家税务总局公告2012年第57号 第五条 (Art. 5): the head office pays its own half and is not
    apportioned; no branch takes part in a year after one in which the company was a small low-profit
    enterprise (小型微利企业); internal support units (R&D, warehouse, after-sales) that pay no VAT
    locally do not take part; a new branch takes part from the year after the one it is set up in, and a
    closed branch no longer takes part from the year it is closed. :func:`takes_part_many` is this rule
    over arrays (the batch path); a test checks the two agree on random establishments.
    """
    if e.is_hq:
        return Participation(False, "the head office pays its own half", "总机构自行缴纳其分摊部分")
    if year - 1 in ent.small_low_profit_years:
        return Participation(
            False,
            f"the company was a small low-profit enterprise in {year - 1} (no branch takes part)",
            f"企业{year - 1}年度为小型微利企业（分支机构均不就地分摊）",
        )
    if e.role in NON_PARTICIPATING_ROLES and not e.pays_local_vat:
        return Participation(
            False,
            f"an internal support unit ({names.name('role', e.role)}) paying no VAT locally does not take part "
            "(57号 Art. 5)",
            f"不在当地缴纳增值税的{names.name('role', e.role, 'zh')}等内部辅助性机构不就地分摊（57号公告第五条）",
        )
    if e.established is not None and year <= e.established:
        if year == e.established:
            return Participation(
                False,
                f"a branch does not take part in the year it is set up ({e.established})",
                f"新设立的分支机构设立当年不就地分摊（{e.established}年设立）",
            )
        return Participation(False, f"not yet set up ({e.established})", f"尚未设立（{e.established}年设立）")
    if e.closed is not None and year >= e.closed:
        return Participation(
            False,
            f"a branch does not take part from the year it is closed ({e.closed})",
            f"撤销的分支机构自撤销当年起不再就地分摊（{e.closed}年撤销）",
        )
    return Participation(True)


def takes_part_many(
    year: np.ndarray,
    role: np.ndarray,
    pays_local_vat: np.ndarray,
    established: np.ndarray,
    closed: np.ndarray,
    small_low_profit_prior_year: np.ndarray,
) -> np.ndarray:
    """:func:`takes_part` for many establishment-years at once (57号 Art. 5), one element per pair.

    ``established`` and ``closed`` are float arrays with NaN where not given; ``role`` holds the role
    codes (``hq`` never takes part); ``small_low_profit_prior_year`` says whether the company was a small
    low-profit enterprise in the year before.
    """
    import numpy as np

    support = np.isin(role, NON_PARTICIPATING_ROLES) & ~pays_local_vat
    set_up = np.isnan(established) | (established < year)
    open_ = np.isnan(closed) | (closed > year)
    return (role != "hq") & ~support & ~small_low_profit_prior_year & set_up & open_
