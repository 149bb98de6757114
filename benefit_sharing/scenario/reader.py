"""Reading a scenario: from a YAML/JSON file or a dict, validated up front, every problem reported together.

A scenario comes from a file (the format is in ``docs/benefit-sharing.md``) or from a plain Python dict
(e.g. built by a form). :func:`load_scenario` checks everything before the engine sees it and reports
every problem at once, each naming the field, the bad value and what is allowed; the engine can then
assume a consistent scenario. This module builds the types of ``model.py``; it computes no tax.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import combinations
from pathlib import Path
from typing import Any

from .._yaml import DuplicateKeyError, YAMLError, load_yaml
from ..errors import Problem, ScenarioError
from ..money import to_decimal, to_fraction
from ..parameters import MUNICIPALITIES, PROVINCES, default_parameters, parse_start
from .model import (
    CITY_PROVINCE,
    FORMS,
    GAME_RULES,
    LOCATION_TYPES,
    NON_PARTICIPATING_ROLES,
    ROLES,
    STATISTICS,
    TAXES,
    Agreement,
    Enterprise,
    Establishment,
    Factors,
    Game,
    Scenario,
    Schedule,
    YearFlows,
    takes_part,
)

__all__ = ["load_scenario", "read_scenario"]

_TOP_KEYS = (
    "name", "description", "years", "unit", "precision", "parameters", "enterprise", "establishments",
    "flows", "agreements", "game", "name_zh",
)  # fmt: skip
_ENTERPRISE_KEYS = (
    "name", "form", "cit_rate", "markup", "service_provider", "service_recipient", "fee_vat_rate",
    "six_taxes_two_fees_relief", "small_low_profit_years",
)  # fmt: skip
_EST_KEYS = (
    "id", "name", "city", "province", "role", "pays_local_vat", "location_type", "established", "closed",
    "cit_rate", "factors", "city_zh",
)  # fmt: skip
_FACTOR_KEYS = ("revenue", "payroll", "assets")
_FLOW_KEYS = (
    "taxable_income", "cit_payable", "profit_before_fee", "service_cost", "prepayments", "vat_payable", "iit",
    "value_added", "small_low_profit",
)  # fmt: skip
_AGREEMENT_KEYS = (
    "name", "host", "partner", "taxes", "host_share", "increment_over", "cap", "floor", "sunset", "statistics",
    "reference", "province_is_party", "name_zh", "reference_zh",
)  # fmt: skip
_GAME_KEYS = ("players", "values", "rules", "weights", "contributions", "name")
_PERIOD_KEYS = ("from", "until", "share")
_NEGOTIATED = ("negotiated agreement (user input)", "协商议定的协议（用户输入）")  # an agreement's default basis


def read_scenario(data: Mapping[str, Any], source: str = "<dict>") -> Scenario:
    """A validated :class:`Scenario` from a dict in the file format; raises ScenarioError naming ``source``."""
    return _Reader(source).scenario(data)


def load_scenario(source: str | Path | Mapping[str, Any]) -> Scenario:
    """A scenario from a ``.yaml``/``.yml``/``.json`` file path or from a dict; raises ScenarioError."""
    if isinstance(source, Mapping):
        return read_scenario(source)
    path = Path(source)
    label = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError([Problem("", "file not found")], str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(
            [Problem("", f"cannot read the file ({exc.__class__.__name__}: {exc})")], str(path)
        ) from None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = load_yaml(text)
    except DuplicateKeyError as exc:
        where = f"{exc.path} (line {exc.line})" if exc.path else f"line {exc.line}"
        raise ScenarioError(
            [
                Problem(
                    where,
                    f"key {exc.key!s} appears twice; each key may appear once (two "
                    "schedule entries on one date would overlap)",
                )
            ],
            label,
        ) from None
    except (YAMLError, ValueError, RecursionError) as exc:  # YAML syntax, JSON syntax (a ValueError), nesting
        first = str(exc).strip().splitlines()
        msg = " ".join(line.strip() for line in first[:3])
        raise ScenarioError([Problem("", f"not valid YAML/JSON: {msg}")], label) from None
    if not isinstance(data, Mapping):
        raise ScenarioError(
            [Problem("", "the file must hold a mapping (name, years, enterprise, …)", type(data).__name__)],
            label,
        )
    return read_scenario(data, label)


# --------------------------------------------------------------------------------------------------
# Validation: one reader collects problems and keeps going, so the user sees everything at once.


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str, *value: Any) -> None:
        self.problems.append(Problem(where, message, *value))

    # -- generic checks ------------------------------------------------------------------------
    def keys(self, obj: Any, where: str, allowed: Sequence[str], required: Sequence[str] = ()) -> bool:
        if not isinstance(obj, Mapping):
            self.problem(where or "scenario", "must be a mapping with keys: " + ", ".join(allowed), obj)
            return False
        for k in obj:
            if k not in allowed:
                self.problem(_join(where, str(k)), "unknown key; allowed keys: " + ", ".join(allowed))
        for k in required:
            if k not in obj or obj[k] is None:
                self.problem(_join(where, k), "missing; it is required")
        return True

    def number(
        self, value: Any, where: str, minimum: Decimal | None = None, what: str = "a number"
    ) -> Decimal | None:
        if isinstance(value, bool) or value is None:
            self.problem(where, f"must be {what}", value)
            return None
        try:
            d = to_decimal(value)
        except (TypeError, ValueError):
            self.problem(where, f"must be {what}", value)
            return None
        if not d.is_finite() or (minimum is not None and d < minimum):
            self.problem(where, f"must be {what}", value)
            return None
        return d

    def amount(self, value: Any, where: str) -> Decimal | None:
        return self.number(value, where, Decimal(0), "a number ≥ 0")

    def share(self, value: Any, where: str) -> Fraction | None:
        d = self.number(value, where, None, "a number in [0, 1]")
        if d is None:
            return None
        if not 0 <= d <= 1:
            self.problem(where, "a share must be a number in [0, 1]", value)
            return None
        return to_fraction(d)

    def year(self, value: Any, where: str) -> int | None:
        y = _as_year(value)
        if y is None:
            self.problem(where, "must be a year between 1990 and 2100", value)
        return y

    def choice(
        self, value: Any, where: str, allowed: Sequence[str], default: str | None = None
    ) -> str | None:
        if value is None and default is not None:
            return default
        if value not in allowed:
            self.problem(where, "allowed values: " + ", ".join(allowed), value)
            return None
        return value

    def boolean(self, value: Any, where: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(where, "must be true or false", value)
            return default
        return value

    def id_map(
        self, value: Any, where: str, ids: Sequence[str], *, signed: bool = False
    ) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        if value is None:
            return out
        if not isinstance(value, Mapping):
            self.problem(where, "must be a mapping establishment id → amount, e.g. {sz: 400}", value)
            return out
        for k, v in value.items():
            w = f"{where}.{k}"
            if str(k) not in ids:
                self.problem(w, "unknown establishment id; allowed: " + ", ".join(ids))
                continue
            d = self.number(v, w, None, "a number") if signed else self.amount(v, w)
            if d is not None:
                out[str(k)] = d
        return out

    # -- the scenario --------------------------------------------------------------------------
    def scenario(self, data: Mapping[str, Any]) -> Scenario:
        data = _normalise(data)
        if not self.keys(data, "", _TOP_KEYS, ("name",)):
            raise ScenarioError(self.problems, self.source)
        name = str(data.get("name") or "")
        precision = Decimal("0.01")
        if data.get("precision") is not None:
            p = self.number(data["precision"], "precision", None, "a power of ten such as 0.01 or 1")
            if p is not None and (p <= 0 or p != Decimal(1).scaleb(p.adjusted())):
                self.problem("precision", "must be a power of ten such as 0.01 or 1", data["precision"])
            elif p is not None:
                precision = p
        unit = str(data.get("unit") or "万元")

        years: list[int] = []
        raw_years = data.get("years")
        if raw_years is not None:
            if not isinstance(raw_years, list) or not raw_years:
                self.problem("years", "must be a non-empty list of years, e.g. [2026, 2027]", raw_years)
            else:
                for i, y in enumerate(raw_years):
                    yy = self.year(y, f"years[{i}]")
                    if yy is not None:
                        years.append(yy)
                if len(set(years)) != len(years):
                    self.problem("years", "a year appears twice", raw_years)
        params = data.get("parameters") or {}
        if not isinstance(params, Mapping):
            self.problem("parameters", "must be a mapping of dotted parameter names to values", params)
            params = {}
        elif params:
            try:
                default_parameters().with_overrides(params, "parameters", self.source)
            except ScenarioError as exc:
                self.problems.extend(exc.problems)

        enterprise = None
        establishments: tuple[Establishment, ...] = ()
        flows: dict[int, YearFlows] = {}
        if data.get("enterprise") is not None or data.get("establishments") is not None:
            enterprise = self.enterprise(data.get("enterprise"))
            establishments = self.establishments(data.get("establishments"), enterprise)
            if raw_years is None:
                self.problem(
                    "years",
                    "missing; a scenario with an enterprise needs the years to evaluate, e.g. [2026, 2027]",
                )
            flows = self.flows(data.get("flows"), enterprise, establishments, years)
        elif data.get("flows") is not None:
            self.problem("flows", "flows need an enterprise and its establishments")
        agreements = self.agreements(data.get("agreements"), establishments, flows, years)
        game = self.game(data["game"]) if data.get("game") is not None else None
        if enterprise is None and game is None:
            self.problem(
                "", "a scenario needs an enterprise with establishments and flows, or a game section, or both"
            )
        if enterprise is not None and establishments:
            self.participation(enterprise, establishments, flows, years, agreements)
        if self.problems:
            raise ScenarioError(self.problems, self.source)
        return Scenario(
            name=name,
            years=tuple(sorted(years)),
            unit=unit,
            precision=precision,
            parameters=dict(params),
            enterprise=enterprise,
            establishments=establishments,
            flows=flows,
            agreements=agreements,
            game=game,
            description=str(data.get("description") or ""),
            source=self.source,
            raw=data,
            name_zh=str(data.get("name_zh") or ""),
        )

    def enterprise(self, d: Any) -> Enterprise | None:
        w = "enterprise"
        if d is None:
            self.problem(w, "missing; give at least {name: ..., form: branch}")
            return None
        if not self.keys(d, w, _ENTERPRISE_KEYS, ("name",)):
            return None
        form = self.choice(d.get("form"), f"{w}.form", FORMS, "branch") or "branch"
        rate = None
        if d.get("cit_rate") is not None:
            s = self.share(d["cit_rate"], f"{w}.cit_rate")
            rate = to_decimal(s) if s is not None else None
        markup = None
        if d.get("markup") is not None:
            markup = self.number(d["markup"], f"{w}.markup", Decimal(0), "a number ≥ 0 (0.1 = cost + 10 %)")
        fee_vat = None
        if d.get("fee_vat_rate") is not None:
            s = self.share(d["fee_vat_rate"], f"{w}.fee_vat_rate")
            fee_vat = to_decimal(s) if s is not None else None
        slp: list[int] = []
        raw = d.get("small_low_profit_years") or []
        if not isinstance(raw, list):
            self.problem(f"{w}.small_low_profit_years", "must be a list of years", raw)
        else:
            slp = [
                y
                for i, v in enumerate(raw)
                if (y := self.year(v, f"{w}.small_low_profit_years[{i}]")) is not None
            ]
        return Enterprise(
            name=str(d.get("name") or ""),
            form=form,
            cit_rate=rate,
            markup=markup,
            service_provider=d.get("service_provider"),
            service_recipient=d.get("service_recipient"),
            fee_vat_rate=fee_vat,
            six_taxes_two_fees_relief=self.boolean(
                d.get("six_taxes_two_fees_relief"), f"{w}.six_taxes_two_fees_relief", False
            ),
            small_low_profit_years=frozenset(slp),
        )

    def establishments(self, items: Any, ent: Enterprise | None) -> tuple[Establishment, ...]:
        if not isinstance(items, list) or not items:
            self.problem("establishments", "must be a non-empty list of {id, city, role, ...}", items)
            return ()
        out: list[Establishment] = []
        seen: set[str] = set()
        for i, d in enumerate(items):
            w = f"establishments[{i}]"
            if not self.keys(d, w, _EST_KEYS, ("id", "city", "role")):
                continue
            est_id = str(d.get("id"))
            if est_id in seen:
                self.problem(f"{w}.id", "this id is used twice; ids must be unique", est_id)
            seen.add(est_id)
            role = self.choice(d.get("role"), f"{w}.role", ROLES) or "production"
            city = str(d.get("city") or "")
            province = d.get("province")
            if province is not None and province not in PROVINCES:
                self.problem(f"{w}.province", "unknown province; allowed: " + ", ".join(PROVINCES), province)
                province = None
            if province is None:
                if city in CITY_PROVINCE:
                    province = CITY_PROVINCE[city]
                elif city in PROVINCES and city in MUNICIPALITIES:
                    province = city
                elif d.get("province") is None and city:
                    self.problem(
                        f"{w}.province",
                        f"missing for city {city!r}: give the province of a city outside "
                        + ", ".join(CITY_PROVINCE)
                        + " (allowed: "
                        + ", ".join(PROVINCES)
                        + ")",
                    )
            elif city in CITY_PROVINCE and CITY_PROVINCE[city] != province:
                self.problem(f"{w}.province", f"{city} is in {CITY_PROVINCE[city]}", province)
            loc = None
            if d.get("location_type") is not None:
                loc = self.choice(d["location_type"], f"{w}.location_type", LOCATION_TYPES)
            default_vat = role not in NON_PARTICIPATING_ROLES
            rate = None
            if d.get("cit_rate") is not None:
                s = self.share(d["cit_rate"], f"{w}.cit_rate")
                rate = to_decimal(s) if s is not None else None
            established = (
                self.year(d["established"], f"{w}.established") if d.get("established") is not None else None
            )
            closed = self.year(d["closed"], f"{w}.closed") if d.get("closed") is not None else None
            if established and closed and closed < established:
                self.problem(f"{w}.closed", f"is before the year it was established ({established})", closed)
            out.append(
                Establishment(
                    id=est_id,
                    name=str(d.get("name") or ""),
                    city=city,
                    province=province or "",
                    role=role,
                    pays_local_vat=self.boolean(d.get("pays_local_vat"), f"{w}.pays_local_vat", default_vat),
                    location_type=loc,
                    established=established,
                    closed=closed,
                    cit_rate=rate,
                    factors=self.factors(d.get("factors"), f"{w}.factors"),
                    city_zh=str(d.get("city_zh") or ""),
                )
            )
        hqs = [e for e in out if e.is_hq]
        form = ent.form if ent else "branch"
        if form == "branch" and len(hqs) != 1:
            self.problem(
                "establishments",
                f"a company with branches (form: branch) needs exactly one establishment "
                f"with role: hq; found {len(hqs)}",
            )
        if form == "subsidiary" and any(e.role == "hq_production_department" for e in out):
            self.problem(
                "establishments",
                "role hq_production_department exists only in the branch form (form: branch)",
            )
        if form == "subsidiary" and len(hqs) > 1:
            self.problem("establishments", f"at most one company may have role: hq; found {len(hqs)}")
        return tuple(out)

    def factors(self, d: Any, w: str) -> dict[int, Factors]:
        out: dict[int, Factors] = {}
        if d is None:
            return out
        if not isinstance(d, Mapping):
            self.problem(w, "must be a mapping year → {revenue, payroll, assets}", d)
            return out
        for k, v in d.items():
            y = self.year(k, f"{w}.{k}")
            if y is None or not self.keys(v, f"{w}.{y}", _FACTOR_KEYS, _FACTOR_KEYS):
                continue
            vals = [
                self.amount(v.get(f), f"{w}.{y}.{f}") if v.get(f) is not None else None for f in _FACTOR_KEYS
            ]
            if all(x is not None for x in vals):
                out[y] = Factors(*vals)  # type: ignore[arg-type]
        return out

    def flows(
        self, d: Any, ent: Enterprise | None, ests: Sequence[Establishment], years: Sequence[int]
    ) -> dict[int, YearFlows]:
        out: dict[int, YearFlows] = {}
        if d is None:
            d = {}
        if not isinstance(d, Mapping):
            self.problem("flows", "must be a mapping year → {taxable_income, vat_payable, ...}", d)
            return out
        ids = [e.id for e in ests]
        form = ent.form if ent else "branch"
        for k, v in d.items():
            y = self.year(k, f"flows.{k}")
            w = f"flows.{y if y is not None else k}"
            if y is None or not self.keys(v, w, _FLOW_KEYS):
                continue
            given = [
                key
                for key in ("taxable_income", "cit_payable", "profit_before_fee")
                if v.get(key) is not None
            ]
            if len(given) > 1:
                self.problem(
                    w, "give only one of taxable_income, cit_payable, profit_before_fee", ", ".join(given)
                )
            ti = cp = None
            for key in ("taxable_income", "cit_payable"):
                if v.get(key) is None:
                    continue
                if form == "branch":
                    val = self.number(
                        v[key],
                        f"{w}.{key}",
                        None if key == "taxable_income" else Decimal(0),
                        "a number (the whole company's figure; form: branch)"
                        if key == "taxable_income"
                        else "a number ≥ 0 (the whole company's figure; form: branch)",
                    )
                else:
                    val = self.id_map(v[key], f"{w}.{key}", ids, signed=key == "taxable_income")
                    if not isinstance(v[key], Mapping):
                        val = None
                if key == "taxable_income":
                    ti = val
                else:
                    cp = val
            pbf = (
                self.id_map(v.get("profit_before_fee"), f"{w}.profit_before_fee", ids, signed=True)
                if v.get("profit_before_fee") is not None
                else None
            )
            cost = (
                self.amount(v["service_cost"], f"{w}.service_cost")
                if v.get("service_cost") is not None
                else None
            )
            prepay: tuple[Decimal, ...] = ()
            if v.get("prepayments") is not None:
                pp = v["prepayments"]
                if not isinstance(pp, list) or not 1 <= len(pp) <= 12:
                    self.problem(
                        f"{w}.prepayments",
                        "must be a list of 1 to 12 amounts (e.g. four quarterly prepayments)",
                        pp,
                    )
                else:
                    vals = [self.amount(x, f"{w}.prepayments[{i}]") for i, x in enumerate(pp)]
                    if all(x is not None for x in vals):
                        prepay = tuple(vals)  # type: ignore[arg-type]
                if form != "branch":
                    self.problem(f"{w}.prepayments", "prepayment apportionment applies to form: branch only")
            if v.get("small_low_profit") is not None:
                self.problem(
                    f"{w}.small_low_profit", "put small low-profit years in enterprise.small_low_profit_years"
                )
            out[y] = YearFlows(
                taxable_income=ti,
                cit_payable=cp,
                profit_before_fee=pbf,
                service_cost=cost,
                prepayments=prepay,
                vat_payable=self.id_map(v.get("vat_payable"), f"{w}.vat_payable", ids),
                iit=self.id_map(v.get("iit"), f"{w}.iit", ids),
                value_added=self.id_map(v.get("value_added"), f"{w}.value_added", ids),
            )
            by_id = {e.id: e for e in ests}
            for est_id in out[y].vat_payable:
                e = by_id[est_id]
                if not e.pays_local_vat and form == "branch" and not e.is_hq:
                    self.problem(
                        f"{w}.vat_payable.{est_id}",
                        f"establishment {est_id!r} has pays_local_vat: false; "
                        "its VAT is paid by the HQ: put it under the HQ's id or set pays_local_vat: true",
                    )
        for y in years:
            if y not in out:
                self.problem(
                    f"flows.{y}",
                    f"missing; every year in `years` needs flows (given: {', '.join(map(str, sorted(out))) or 'none'})",
                )
        if ent is not None and form == "subsidiary":
            self.subsidiary_checks(ent, ests, out)
        return out

    def subsidiary_checks(
        self, ent: Enterprise, ests: Sequence[Establishment], flows: Mapping[int, YearFlows]
    ) -> None:
        ids = [e.id for e in ests]
        needs_tp = any(f.profit_before_fee is not None for f in flows.values())
        for key in ("service_provider", "service_recipient"):
            v = getattr(ent, key)
            if v is not None and v not in ids:
                self.problem(f"enterprise.{key}", "unknown establishment id; allowed: " + ", ".join(ids), v)
        if needs_tp:
            missing = [
                k for k in ("markup", "service_provider", "service_recipient") if getattr(ent, k) is None
            ]
            if missing:
                self.problem(
                    "enterprise",
                    "profit_before_fee with form: subsidiary needs a transfer price: give "
                    + ", ".join(missing)
                    + " (fee = service_cost × (1 + markup))",
                )
            elif ent.service_provider == ent.service_recipient:
                self.problem(
                    "enterprise.service_recipient", "must differ from service_provider", ent.service_recipient
                )
            for y, f in flows.items():
                if f.profit_before_fee is not None and f.service_cost is None:
                    self.problem(
                        f"flows.{y}.service_cost",
                        "missing; the cost base of the service fee is needed with profit_before_fee",
                    )

    def agreements(
        self, items: Any, ests: Sequence[Establishment], flows: Mapping[int, YearFlows], years: Sequence[int]
    ) -> tuple[Agreement, ...]:
        if items is None:
            return ()
        if not isinstance(items, list):
            self.problem("agreements", "must be a list of agreements", items)
            return ()
        cities = sorted({e.city for e in ests} | set(CITY_PROVINCE))
        out = []
        for i, d in enumerate(items):
            w = f"agreements[{i}]"
            if not self.keys(d, w, _AGREEMENT_KEYS, ("host", "partner", "host_share")):
                continue
            host, partner = d.get("host"), d.get("partner")
            for key, v in (("host", host), ("partner", partner)):
                if v is not None and v not in cities:
                    self.problem(f"{w}.{key}", "unknown city; allowed: " + ", ".join(cities), v)
            if host is not None and host == partner:
                self.problem(f"{w}.partner", "must differ from host", partner)
            taxes = d.get("taxes") or ["vat", "cit"]
            if not isinstance(taxes, list) or not taxes:
                self.problem(f"{w}.taxes", "must be a list; allowed: " + ", ".join(TAXES), taxes)
                taxes = []
            for j, t in enumerate(taxes):
                if t not in TAXES:
                    self.problem(f"{w}.taxes[{j}]", "allowed values: " + ", ".join(TAXES), t)
            sched = self.schedule(d.get("host_share"), f"{w}.host_share")
            inc = (
                self.year(d["increment_over"], f"{w}.increment_over")
                if d.get("increment_over") is not None
                else None
            )
            if inc is not None and inc not in flows:
                self.problem(
                    f"{w}.increment_over",
                    f"needs flows for the base year {inc} (flows given for: "
                    f"{', '.join(map(str, sorted(flows))) or 'none'})",
                    inc,
                )
            cap = self.annual_amounts(d.get("cap"), f"{w}.cap")
            floor = self.annual_amounts(d.get("floor"), f"{w}.floor")
            if isinstance(cap, Decimal) and isinstance(floor, Decimal) and floor > cap:
                self.problem(f"{w}.floor", f"is above the cap ({cap})", floor)
            sunset = self.year(d["sunset"], f"{w}.sunset") if d.get("sunset") is not None else None
            stats = self.choice(d.get("statistics"), f"{w}.statistics", STATISTICS, "none") or "none"
            out.append(
                Agreement(
                    name=str(d.get("name") or f"agreement {i + 1}"),
                    host=str(host),
                    partner=str(partner),
                    taxes=tuple(t for t in taxes if t in TAXES),
                    host_share=sched or Schedule(()),
                    increment_over=inc,
                    cap=cap,
                    floor=floor,
                    sunset=sunset,
                    statistics=stats,
                    reference=str(d.get("reference") or _NEGOTIATED[0]),
                    province_is_party=self.boolean(
                        d.get("province_is_party"), f"{w}.province_is_party", False
                    ),
                    name_zh=str(d.get("name_zh") or ""),
                    reference_zh=str(d.get("reference_zh") or ("" if d.get("reference") else _NEGOTIATED[1])),
                )
            )
        return tuple(out)

    def annual_amounts(self, v: Any, w: str) -> Mapping[int, Decimal] | Decimal | None:
        if v is None:
            return None
        if isinstance(v, Mapping):
            out: dict[int, Decimal] = {}
            for k, x in v.items():
                y = self.year(k, f"{w}.{k}")
                a = self.amount(x, f"{w}.{k}")
                if y is not None and a is not None:
                    out[y] = a
            if list(out) != sorted(out):
                self.problem(w, "years must be in ascending order", ", ".join(map(str, out)))
            return out
        return self.amount(v, w)

    def schedule(self, v: Any, w: str) -> Schedule | None:
        """A share schedule: a number, ``{start: share}`` or ``[{from, until, share}]``."""
        if v is None:
            return None
        if isinstance(v, (int, float, Decimal, str)) and not isinstance(v, bool):
            s = self.share(v, w)
            return Schedule(((dt.date(1900, 1, 1), None, s),)) if s is not None else None
        if isinstance(v, Mapping):
            entries: list[tuple[dt.date, Fraction]] = []
            for k, x in v.items():
                start = self.month_start(
                    k, f"{w}[{k!r}]" if not isinstance(k, dt.date) else f"{w}['{k.isoformat()}']"
                )
                s = self.share(x, f"{w}['{start.isoformat()}']" if start else f"{w}[{k!r}]")
                if start is not None and s is not None:
                    entries.append((start, s))
            starts = [e[0] for e in entries]
            if len(set(starts)) != len(starts):
                self.problem(
                    w,
                    "a date appears twice: the schedule's periods overlap",
                    ", ".join(d.isoformat() for d in starts),
                )
            elif starts != sorted(starts):
                self.problem(
                    w,
                    "dates must be in ascending order (each entry starts where the previous one ends)",
                    ", ".join(d.isoformat() for d in starts),
                )
            periods = []
            for j, (start, s) in enumerate(entries):
                nxt = entries[j + 1][0] - dt.timedelta(days=1) if j + 1 < len(entries) else None
                periods.append((start, nxt, s))
            return Schedule(tuple(periods))
        if isinstance(v, list):
            periods2: list[tuple[dt.date, dt.date | None, Fraction]] = []
            for j, p in enumerate(v):
                pw = f"{w}[{j}]"
                if not self.keys(p, pw, _PERIOD_KEYS, ("from", "share")):
                    continue
                start = self.month_start(p.get("from"), f"{pw}.from")
                end = self.month_end(p["until"], f"{pw}.until") if p.get("until") is not None else None
                s = self.share(p.get("share"), f"{pw}.share")
                if start and end and end < start:
                    self.problem(f"{pw}.until", f"is before `from` ({start.isoformat()})", str(end))
                if start is not None and s is not None:
                    periods2.append((start, end, s))
            ordered = sorted(periods2, key=lambda p: p[0])
            if ordered != periods2:
                self.problem(
                    w,
                    "periods must be in ascending order of `from`",
                    ", ".join(p[0].isoformat() for p in periods2),
                )
            for a, b in zip(ordered, ordered[1:], strict=False):
                if a[1] is None or a[1] >= b[0]:
                    self.problem(
                        w,
                        f"periods overlap: the one from {a[0].isoformat()} runs "
                        f"{'without end' if a[1] is None else 'until ' + a[1].isoformat()}, the next starts "
                        f"{b[0].isoformat()}; each period must end before the next starts",
                    )
            return Schedule(tuple(ordered))
        self.problem(w, "must be a share, a mapping start date → share, or a list of {from, until, share}", v)
        return None

    def month_start(self, k: Any, w: str) -> dt.date | None:
        d = parse_start(k)
        if d is None:
            self.problem(
                w, "must be a date YYYY-MM-01 (or a year)", k if not isinstance(k, dt.date) else k.isoformat()
            )
            return None
        if d.day != 1:
            self.problem(
                w,
                "schedules change on the first day of a month (pro-rated by month); allowed: YYYY-MM-01",
                d.isoformat(),
            )
            return None
        return d

    def month_end(self, k: Any, w: str) -> dt.date | None:
        d = parse_start(k) if not (isinstance(k, int) and not isinstance(k, bool)) else dt.date(k, 12, 31)
        if d is None:
            self.problem(w, "must be a date (the last day of a month) or a year", k)
            return None
        if (d + dt.timedelta(days=1)).day != 1:
            self.problem(w, "a period ends on the last day of a month (pro-rated by month)", d.isoformat())
            return None
        return d

    def game(self, d: Any) -> Game | None:
        w = "game"
        if not self.keys(d, w, _GAME_KEYS, ("players", "values")):
            return None
        players = d.get("players")
        if not isinstance(players, list) or len(players) < 2 or len(players) > 10:
            self.problem(f"{w}.players", "must be a list of 2 to 10 distinct player names", players)
            return None
        players = [str(p) for p in players]
        if len(set(players)) != len(players):
            self.problem(f"{w}.players", "a player appears twice", players)
            return None
        values: dict[frozenset[str], Fraction] = {}
        raw = d.get("values")
        if not isinstance(raw, Mapping):
            self.problem(
                f"{w}.values", "must be a mapping coalition → value, e.g. {Shanghai+Suzhou: 300}", raw
            )
            return None
        for k, v in raw.items():
            members = [m.strip() for m in str(k).split("+")]
            bad = [m for m in members if m not in players]
            if bad:
                self.problem(
                    f"{w}.values.{k}",
                    f"unknown player {bad[0]!r}; coalitions are players joined by '+' "
                    "from: " + ", ".join(players),
                )
                continue
            c = frozenset(members)
            if c in values:
                self.problem(f"{w}.values.{k}", "this coalition is given twice")
                continue
            x = self.number(v, f"{w}.values.{k}")
            if x is not None:
                values[c] = to_fraction(x)
        missing = [
            "+".join(c)
            for n in range(1, len(players) + 1)
            for c in combinations(players, n)
            if frozenset(c) not in values
        ]
        if missing and not any(p.where.startswith(f"{w}.values") for p in self.problems):
            self.problem(
                f"{w}.values",
                f"missing coalitions (every non-empty coalition needs a value): {', '.join(missing[:8])}"
                + (f" … ({len(missing)} in all)" if len(missing) > 8 else ""),
            )
        rules_raw = d.get("rules") or list(
            GAME_RULES if d.get("weights") is not None else [r for r in GAME_RULES if r != "nash_weighted"]
        )
        if not isinstance(rules_raw, list):
            self.problem(f"{w}.rules", "must be a list; allowed: " + ", ".join(GAME_RULES), rules_raw)
            rules_raw = []
        for j, r in enumerate(rules_raw):
            if r not in GAME_RULES:
                self.problem(f"{w}.rules[{j}]", "allowed values: " + ", ".join(GAME_RULES), r)
        weights = self.player_shares(d.get("weights"), f"{w}.weights", players, must_sum_to_one=True)
        if "nash_weighted" in rules_raw and weights is None:
            self.problem(
                f"{w}.weights", "missing; rule nash_weighted needs a weight per player (summing to 1)"
            )
        contrib = None
        if d.get("contributions") is not None:
            cm = d["contributions"]
            if not isinstance(cm, Mapping) or set(map(str, cm)) != set(players):
                self.problem(
                    f"{w}.contributions", "must give a number ≥ 0 for each player: " + ", ".join(players), cm
                )
            else:
                contrib = {
                    str(k): to_fraction(a)
                    for k, v in cm.items()
                    if (a := self.amount(v, f"{w}.contributions.{k}")) is not None
                }
        return Game(
            players=tuple(players),
            values=values,
            rules=tuple(r for r in rules_raw if r in GAME_RULES),
            weights=weights,
            contributions=contrib,
            name=str(d.get("name") or "joint project"),
        )

    def player_shares(
        self, v: Any, w: str, players: Sequence[str], must_sum_to_one: bool
    ) -> dict[str, Fraction] | None:
        if v is None:
            return None
        if not isinstance(v, Mapping) or set(map(str, v)) != set(players):
            self.problem(w, "must give a share in [0, 1] for each player: " + ", ".join(players), v)
            return None
        out = {str(k): s for k, x in v.items() if (s := self.share(x, f"{w}.{k}")) is not None}
        if len(out) == len(players) and must_sum_to_one and sum(out.values()) != 1:
            self.problem(w, "the weights must sum to 1", v)
        return out

    def participation(
        self,
        ent: Enterprise,
        ests: Sequence[Establishment],
        flows: Mapping[int, YearFlows],
        years: Sequence[int],
        agreements: Sequence[Agreement],
    ) -> None:
        """Factors must exist for every branch that takes part (prior year), and must not all be zero."""
        if ent.form != "branch":
            return
        needed_years = set(years) | {a.increment_over for a in agreements if a.increment_over is not None}
        for y in sorted(needed_years):
            f = flows.get(y)
            if f is None or (
                f.taxable_income is None and f.cit_payable is None and f.profit_before_fee is None
            ):
                continue
            parts = []
            for i, e in enumerate(ests):
                if e.is_hq or not takes_part(e, y, ent).takes_part:
                    continue
                if y - 1 not in e.factors:
                    self.problem(
                        f"establishments[{i}].factors.{y - 1}",
                        f"missing: the {y} apportionment needs the {y - 1} revenue, payroll and assets of every "
                        f"branch that takes part (given years: {', '.join(map(str, sorted(e.factors))) or 'none'})",
                    )
                else:
                    parts.append(e.factors[y - 1])
            if parts and len(parts) == sum(1 for e in ests if not e.is_hq and takes_part(e, y, ent).takes_part):
                for fname in _FACTOR_KEYS:
                    if sum(getattr(p, fname) for p in parts) == 0:
                        self.problem(
                            f"establishments[*].factors.{y - 1}.{fname}",
                            f"sums to 0 over the branches that take part in {y}; r_i is undefined "
                            "(allowed: at least one branch with a positive value)",
                        )


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _as_year(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        y = v
    elif isinstance(v, str) and v.strip().isdigit():
        y = int(v.strip())
    elif isinstance(v, float) and v.is_integer():
        y = int(v)
    else:
        return None
    return y if 1990 <= y <= 2100 else None


def _normalise(data: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy with year keys as ints (JSON gives strings) and dates as ISO strings, for ``raw``."""

    def fix(obj: Any, parent: str | None = None) -> Any:
        if isinstance(obj, Mapping):
            out = {}
            for k, v in obj.items():
                key = k
                if (
                    isinstance(k, str)
                    and k.strip().isdigit()
                    and len(k.strip()) == 4
                    and parent in ("flows", "factors", "cap", "floor")
                ):
                    key = int(k.strip())
                elif isinstance(k, (dt.date, dt.datetime)):
                    key = k.isoformat()[:10]
                out[key] = fix(v, str(k) if isinstance(k, str) else None)
            return out
        if isinstance(obj, list):
            return [fix(x, parent) for x in obj]
        if isinstance(obj, (dt.date, dt.datetime)):
            return obj.isoformat()[:10]
        return obj

    return fix(data)
