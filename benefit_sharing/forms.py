"""Scenarios from what an app page collects: form tables, an uploaded file's bytes, a bundled template;
and a cooperative game from an editable table of coalition values.

A form holds flat tables (establishments, factors, flows by year and establishment, an agreement's
host-share schedule, parameter overrides), because that is what an editable grid gives. This module
turns them into the scenario dict of the file format (``docs/benefit-sharing.md``) and back
(:func:`form_values`, in the reader's language), so an official can start from a template and change
it. It validates nothing itself beyond what a flat table cannot say (a flow for an unknown
establishment, a row given twice): ``Scenario.from_dict`` / ``load_scenario`` do the validation and
report every problem. It computes no tax and never imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import names
from ._yaml import YAMLError, load_yaml
from .engine import Result, allocate
from .errors import Problem, ScenarioError
from .parameters import default_parameters
from .scenario import NON_PARTICIPATING_ROLES, Scenario, establishment_label, load_scenario
from .trace import Allocation, Unused, Warning, in_language

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FormValues",
    "ESTABLISHMENT_COLUMNS",
    "FACTOR_COLUMNS",
    "COMPANY_FLOW_COLUMNS",
    "FLOW_COLUMNS",
    "SCHEDULE_COLUMNS",
    "PARAMETER_COLUMNS",
    "form_values",
    "scenario_from_form",
    "load_scenario_bytes",
    "scenario_templates",
    "templates_dir",
    "form_frame",
    "parameter_names",
    "scenario_yaml",
    "coalition_rows",
    "game_from_rows",
    "allocation_from_rows",
    "establishment_names",
    "changed_inputs",
    "why_unchanged",
    "outcome",
    "MAX_SCENARIO_BYTES",
]

#: Columns of the form's tables, in display order.
ESTABLISHMENT_COLUMNS = ("id", "name", "city", "city_zh", "province", "role", "location_type", "pays_local_vat",
                         "established", "closed", "cit_rate")
FACTOR_COLUMNS = ("id", "year", "revenue", "payroll", "assets")
#: Company-wide amounts per year (form: branch — one company's taxable income or CIT; the transfer-price cost base).
COMPANY_FLOW_COLUMNS = ("year", "taxable_income", "cit_payable", "service_cost")
#: Per year and establishment (taxable_income / cit_payable here only for form: subsidiary).
FLOW_COLUMNS = ("year", "id", "taxable_income", "cit_payable", "profit_before_fee", "vat_payable", "iit",
                "value_added")
SCHEDULE_COLUMNS = ("from", "share")
PARAMETER_COLUMNS = ("name", "value")
MAX_SCENARIO_BYTES = 2 * 1024 * 1024

_AGREEMENT_FIELDS = ("name", "host", "partner", "taxes", "increment_over", "cap", "floor", "sunset", "statistics",
                     "reference")
_TRANSFER_PRICE = ("markup", "service_provider", "service_recipient")


@dataclass(frozen=True)
class FormValues:
    """Everything the scenario form shows. Tables are lists of row dicts (cells may be None / NaN / "").

    ``agreement`` is None or a dict with ``name, host, partner, taxes, host_share`` (rows of ``from``,
    ``share``; one row with no ``from`` is a single share for every year), ``increment_over``, ``cap``,
    ``floor``, ``sunset``, ``statistics``, ``reference``. ``not_in_form`` names the parts of a template the
    form cannot show (they are dropped when the form is turned back into a scenario)."""

    name: str = ""
    enterprise: str = ""
    form: str = "branch"
    cit_rate: Any = 0.25
    years: tuple[int, ...] = ()
    establishments: Sequence[Mapping[str, Any]] = ()
    factors: Sequence[Mapping[str, Any]] = ()
    company_flows: Sequence[Mapping[str, Any]] = ()
    flows: Sequence[Mapping[str, Any]] = ()
    transfer_price: Mapping[str, Any] = field(default_factory=dict)
    agreement: Mapping[str, Any] | None = None
    parameters: Sequence[Mapping[str, Any]] = ()
    not_in_form: tuple[str, ...] = ()


# ------------------------------------------------------------------------------------------- cells
def _cell(v: Any) -> Any:
    """A grid cell as a plain value: blanks (None, NaN, NaT, "") → None; numpy scalars → Python;
    integral floats → int; dates → ISO text; text trimmed."""
    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalar
        try:
            v = v.item()
        except (ValueError, TypeError):
            pass
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return None if math.isnan(v) else v
        return int(v) if v.is_integer() else v
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        v = v.strip()
        return v or None
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return None
        if isinstance(v, pd.Timestamp):
            return v.date().isoformat()
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    return v


def _rows(table: Any) -> list[dict[str, Any]]:
    """Row dicts from a list of mappings or a DataFrame, blank cells as None, blank rows dropped."""
    if hasattr(table, "to_dict"):
        table = table.to_dict("records")
    out = []
    for row in table or ():
        clean = {str(k): _cell(v) for k, v in dict(row).items()}
        if any(v is not None for v in clean.values()):
            out.append(clean)
    return out


def _year_key(v: Any) -> Any:
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer() else v


def _per_establishment_year(table: Any, name: str, known: dict[str, Any], ids: list[str],
                            problems: list[Problem]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """(establishment id, year, row) of each row of a per-establishment, per-year table; a row naming an
    unknown establishment, or repeating an (establishment, year), is a problem and is skipped."""
    seen: set[tuple[str, Any]] = set()
    for i, f in enumerate(_rows(table)):
        est, year = f.get("id"), _year_key(f.get("year"))
        where = f"{name}[{i}]"
        if est is None or str(est) not in known:
            problems.append(Problem(f"{where}.id", "unknown establishment id; allowed: " + ", ".join(ids), est))
            continue
        if (str(est), year) in seen:
            problems.append(Problem(where, f"the {name} of {est!s} for {year} are given twice"))
            continue
        seen.add((str(est), year))
        yield str(est), year, f


# -------------------------------------------------------------------------------- form → scenario
def scenario_from_form(values: FormValues) -> dict[str, Any]:
    """The scenario dict (file contract) for the form's values; validate it with ``Scenario.from_dict``.

    Raises ``ScenarioError`` only for what the dict cannot express: a factor or flow row naming an
    establishment that is not in the table, the same (year, establishment) row twice, a schedule with
    several rows and a blank date."""
    problems: list[Problem] = []
    ests = _rows(values.establishments)
    ids = [str(e["id"]) for e in ests if e.get("id") is not None]
    establishments: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    for e in ests:
        d = {k: e[k] for k in ESTABLISHMENT_COLUMNS if e.get(k) is not None}
        if "id" in d:
            d["id"] = str(d["id"])
            by_id.setdefault(d["id"], d)
        establishments.append(d)

    for est, year, f in _per_establishment_year(values.factors, "factors", by_id, ids, problems):
        by_id[est].setdefault("factors", {})[year] = {k: f.get(k) for k in ("revenue", "payroll", "assets")}

    subsidiary = values.form == "subsidiary"
    flows: dict[Any, dict[str, Any]] = {}
    seen_company: set[Any] = set()
    for i, f in enumerate(_rows(values.company_flows)):
        year = _year_key(f.get("year"))
        if year in seen_company:
            problems.append(Problem(f"company_flows[{i}]", f"the year {year} is given twice"))
            continue
        seen_company.add(year)
        target = flows.setdefault(year, {})
        keys = ("service_cost",) if subsidiary else ("taxable_income", "cit_payable", "service_cost")
        for k in keys:
            if f.get(k) is not None:
                target[k] = f[k]
    for est, year, f in _per_establishment_year(values.flows, "flows", by_id, ids, problems):
        target = flows.setdefault(year, {})
        keys = ["profit_before_fee", "vat_payable", "iit", "value_added"]
        if subsidiary:
            keys[:0] = ["taxable_income", "cit_payable"]
        for k in keys:
            if f.get(k) is not None:
                target.setdefault(k, {})[est] = f[k]

    enterprise: dict[str, Any] = {"name": values.enterprise or values.name or "enterprise", "form": values.form}
    rate = _cell(values.cit_rate)
    if rate is not None:
        enterprise["cit_rate"] = rate
    for k in _TRANSFER_PRICE:
        v = _cell(values.transfer_price.get(k))
        if v is not None:
            enterprise[k] = v

    out: dict[str, Any] = {
        "name": values.name or values.enterprise or "scenario",
        "years": sorted({int(y) for y in values.years}) if values.years else [],
        "enterprise": enterprise,
        "establishments": establishments,
        "flows": flows,
    }
    params = {}
    for i, p in enumerate(_rows(values.parameters)):
        if p.get("name") is None:
            problems.append(Problem(f"parameters[{i}].name", "missing; choose a parameter"))
            continue
        if p["name"] in params:
            problems.append(Problem(f"parameters[{i}].name", "this parameter is given twice", p["name"]))
            continue
        params[str(p["name"])] = _parameter_value(p.get("value"))
    if params:
        out["parameters"] = params
    if values.agreement is not None:
        agreement = _agreement(values.agreement, problems)
        if agreement is not None:
            out["agreements"] = [agreement]
    if problems:
        raise ScenarioError(problems, "form")
    return out


def _parameter_value(v: Any) -> Any:
    # a share typed as text ("0.5") stays text: parameters read numeric text exactly; enum values are text
    return _cell(v)


def _agreement(a: Mapping[str, Any], problems: list[Problem]) -> dict[str, Any] | None:
    d: dict[str, Any] = {}
    for k in _AGREEMENT_FIELDS:
        v = a.get(k)
        if k == "taxes":
            v = [t for t in (v or []) if t]
            if v:
                d[k] = list(v)
            continue
        v = _cell(v)
        if v is not None:
            d[k] = v
    rows = [r for r in _rows(a.get("host_share") or ()) if r.get("share") is not None]
    if len(rows) == 1 and rows[0].get("from") is None:
        d["host_share"] = rows[0]["share"]
    elif rows:
        schedule: dict[str, Any] = {}
        for i, r in enumerate(rows):
            start = r.get("from")
            if start is None:
                problems.append(Problem(f"agreement.host_share[{i}].from",
                                        "missing; with several shares each needs its start date (YYYY-MM-01)"))
                continue
            schedule[str(start)] = r["share"]
        d["host_share"] = dict(sorted(schedule.items()))
    return d


# -------------------------------------------------------------------------------- scenario → form
def form_values(scenario: Scenario | Mapping[str, Any], lang: str = "en") -> FormValues:
    """The form's values for a scenario (e.g. a template), and what of it the form cannot show.

    The scenario's and the agreement's name and reference are given in ``lang`` (a form is filled in one
    language; the scenario it makes has that text as its name)."""
    raw = scenario.to_dict() if isinstance(scenario, Scenario) else dict(scenario)
    missing: list[str] = []
    for k in ("description", "unit", "precision"):
        if raw.get(k) not in (None, "", "万元") and not (k == "precision" and str(raw[k]) == "0.01"):
            missing.append(k)
    ent = dict(raw.get("enterprise") or {})
    form = str(ent.get("form") or "branch")
    for k in ent:
        if k not in ("name", "form", "cit_rate", *_TRANSFER_PRICE):
            missing.append(f"enterprise.{k}")

    ests, factors = [], []
    for e in raw.get("establishments") or []:
        row: dict[str, Any] = {k: e.get(k) for k in ESTABLISHMENT_COLUMNS}
        row["id"] = str(e.get("id"))
        if row["pays_local_vat"] is None:
            row["pays_local_vat"] = e.get("role") not in NON_PARTICIPATING_ROLES
        ests.append(row)
        for y, f in (e.get("factors") or {}).items():
            factors.append({"id": row["id"], "year": _year_key(y), **{k: (f or {}).get(k) for k in
                                                                      ("revenue", "payroll", "assets")}})

    company, per_est = [], []
    for y, f in sorted((raw.get("flows") or {}).items(), key=lambda kv: str(kv[0])):
        f = dict(f or {})
        year = _year_key(y)
        crow: dict[str, Any] = {"year": year}
        rows: dict[str, dict[str, Any]] = {}
        for k, v in f.items():
            if k in ("taxable_income", "cit_payable") and not isinstance(v, Mapping):
                crow[k] = v
            elif k == "service_cost":
                crow[k] = v
            elif k in ("taxable_income", "cit_payable", "profit_before_fee", "vat_payable", "iit", "value_added"):
                for est_id, amount in (v or {}).items():
                    rows.setdefault(str(est_id), {"year": year, "id": str(est_id)})[k] = amount
            else:
                missing.append(f"flows.{y}.{k}")
        if len(crow) > 1:
            company.append(crow)
        per_est.extend(rows.values())

    agreement = None
    agreements = raw.get("agreements") or []
    if agreements:
        a = dict(agreements[0])
        agreement = {k: a.get(k) for k in _AGREEMENT_FIELDS}
        for k in ("name", "reference"):
            agreement[k] = in_language(str(a.get(k) or ""), str(a.get(f"{k}_zh") or ""), lang) or None
        agreement["taxes"] = list(a.get("taxes") or ["vat", "cit"])
        hs = a.get("host_share")
        if isinstance(hs, Mapping):
            agreement["host_share"] = [{"from": str(k), "share": v} for k, v in hs.items()]
        elif isinstance(hs, list):
            agreement["host_share"] = [{"from": str(p.get("from")), "share": p.get("share")} for p in hs]
            if any(p.get("until") is not None for p in hs):
                missing.append("agreements[0].host_share.until")
        else:
            agreement["host_share"] = [{"from": None, "share": hs}]
        for k in ("cap", "floor"):
            if isinstance(a.get(k), Mapping):
                missing.append(f"agreements[0].{k}.by_year")
                agreement[k] = None
        if a.get("province_is_party"):
            missing.append("agreements[0].province_is_party")
        missing.extend(f"agreements[{i}]" for i in range(1, len(agreements)))

    params = []
    for name, v in (raw.get("parameters") or {}).items():
        if isinstance(v, Mapping):
            missing.append(f"parameters.{name}.by_date")
            continue
        params.append({"name": name, "value": str(v)})

    return FormValues(
        name=in_language(str(raw.get("name") or ""), str(raw.get("name_zh") or ""), lang),
        enterprise=str(ent.get("name") or ""),
        form=form,
        cit_rate=ent.get("cit_rate"),
        years=tuple(int(y) for y in raw.get("years") or ()),
        establishments=ests,
        factors=factors,
        company_flows=company,
        flows=per_est,
        transfer_price={k: ent.get(k) for k in _TRANSFER_PRICE if ent.get(k) is not None},
        agreement=agreement,
        parameters=params,
        not_in_form=tuple(missing),
    )


_INT_COLUMNS = frozenset({"year", "established", "closed"})
_BOOL_COLUMNS = frozenset({"pays_local_vat"})
_DATE_COLUMNS = frozenset({"from"})
_TEXT_COLUMNS = frozenset({"id", "name", "city", "city_zh", "province", "role", "location_type", "value", "coalition",
                           "player"})


def form_frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A form table as a DataFrame with a type per column that an editable grid understands: years as
    nullable integers, amounts and shares as numbers, ``from`` as dates, ids and names as text."""
    import pandas as pd

    data = {c: [r.get(c) for r in rows] for c in columns}
    out = {}
    for c, vals in data.items():
        if c in _INT_COLUMNS:
            out[c] = pd.array([None if _cell(v) is None else int(_cell(v)) for v in vals], dtype="Int64")
        elif c in _BOOL_COLUMNS:
            out[c] = pd.array([None if v is None else bool(v) for v in vals], dtype="boolean")
        elif c in _DATE_COLUMNS:
            out[c] = pd.Series([_date(v) for v in vals], dtype="object")
        elif c in _TEXT_COLUMNS:
            out[c] = pd.Series([None if _cell(v) is None else str(_cell(v)) for v in vals], dtype="object")
        else:
            out[c] = pd.to_numeric(pd.Series([_cell(v) for v in vals], dtype="object"), errors="coerce").astype(
                "float64")
    return pd.DataFrame(out, columns=list(columns))


def _date(v: Any) -> dt.date | None:
    v = _cell(v)
    if v is None:
        return None
    try:
        return dt.date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def parameter_names(provinces: Sequence[str] = ("Jiangsu",)) -> list[str]:
    """Parameter names an override may use: the statute's, and the provincial ones for ``provinces``."""
    names = set(default_parameters().parameters)
    for p in provinces:
        names |= {f"local_split.{p}.{tax}.province_share" for tax in ("cit", "vat", "iit", "surcharges")}
        names.add(f"intra_province_mode.{p}")
    return sorted(names)


def scenario_yaml(data: Mapping[str, Any]) -> bytes:
    """A scenario dict as a YAML file (UTF-8), to save a form and load it again later."""
    import yaml

    def plain(v: Any) -> Any:
        if isinstance(v, Mapping):
            return {(k if isinstance(k, (int, str)) else str(k)): plain(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        if isinstance(v, Decimal):
            return int(v) if v == v.to_integral_value() else float(v)
        return v

    return yaml.safe_dump(plain(data), allow_unicode=True, sort_keys=False).encode("utf-8")


# -------------------------------------------------------------------------------- files and templates
def load_scenario_bytes(data: bytes, file_name: str) -> Scenario:
    """A scenario from an uploaded file's bytes (``.yaml``, ``.yml`` or ``.json``), read exactly as
    ``load_scenario`` reads a file; every error is a ``ScenarioError`` naming ``file_name``."""
    name = Path(file_name or "").name or "scenario.yaml"
    suffix = Path(name).suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise ScenarioError([Problem("", "a scenario file must end in .yaml, .yml or .json", suffix or name)], name)
    if len(data) > MAX_SCENARIO_BYTES:
        raise ScenarioError([Problem("", f"the file is larger than {MAX_SCENARIO_BYTES // (1024 * 1024)} MB; "
                                         "a scenario is a short YAML/JSON text")], name)
    if not data.strip():
        raise ScenarioError([Problem("", "the file is empty")], name)
    safe = re.sub(r"[^\w.\-]", "_", name)
    with tempfile.TemporaryDirectory(prefix="hst-scenario-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        try:
            return load_scenario(path)
        except ScenarioError as exc:
            raise ScenarioError(exc.problems, name) from None


def templates_dir() -> Path:
    """Where the bundled scenario templates are: ``$HST_DATA_DIR/scenarios`` when that is set, else the
    data bundled in a built wheel, else ``data/scenarios`` of a source checkout."""
    override = os.environ.get("HST_DATA_DIR")
    if override:
        return Path(override) / "scenarios"
    bundled = Path(__file__).resolve().parent / "_bundled_data" / "scenarios"  # in a built wheel
    return bundled if bundled.is_dir() else Path(__file__).resolve().parent.parent / "data" / "scenarios"


def scenario_templates(directory: str | Path | None = None, lang: str = "en") -> list[tuple[str, Path]]:
    """The bundled scenario templates as (name in ``lang``, path), in file-name order (``templates_dir()``).

    A template's Chinese name is its ``name_zh``; a file that cannot be read is listed by its file name
    (choosing it shows the error)."""
    out = []
    for path in sorted(Path(directory or templates_dir()).glob("*.y*ml")):
        try:
            data = load_yaml(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, YAMLError, ValueError, RecursionError):
            data = None
        name = path.stem
        if isinstance(data, Mapping) and data.get("name"):
            name = in_language(str(data["name"]), str(data.get("name_zh") or ""), lang)
        out.append((name, path))
    return out


# -------------------------------------------------------------------------------- cooperative games
def coalition_rows(players: Sequence[str], values: Mapping[Any, Any] | None = None) -> list[dict[str, Any]]:
    """Every non-empty coalition of ``players`` (``A+B`` notation, singletons first) with its value from
    ``values`` (keyed by ``A+B`` text or by frozenset; missing → None)."""
    known: dict[frozenset[str], Any] = {}
    for k, v in (values or {}).items():
        members = frozenset(k) if isinstance(k, frozenset) else frozenset(m.strip() for m in str(k).split("+"))
        known[members] = _fraction_text(v)
    players = [p for p in dict.fromkeys(str(p).strip() for p in players) if p]
    return [{"coalition": "+".join(c), "value": known.get(frozenset(c))}
            for n in range(1, len(players) + 1) for c in combinations(players, n)]


def _fraction_text(v: Any) -> Any:
    if isinstance(v, Fraction):
        return int(v) if v.denominator == 1 else str(Decimal(v.numerator) / Decimal(v.denominator))
    return v


def game_from_rows(players: Sequence[Mapping[str, Any]] | Sequence[str], values: Sequence[Mapping[str, Any]],
                   rules: Sequence[str], name: str = "joint project") -> dict[str, Any]:
    """A scenario ``game`` section from the allocation panel's tables: ``players`` (names, or rows with
    ``player`` and an optional ``weight`` for nash_weighted), ``values`` (rows of ``coalition``, ``value``).
    Blank values are left out, so the scenario reader names the missing coalitions."""
    names, weights = [], {}
    for p in players:
        row = {"player": p} if isinstance(p, str) else {k: _cell(v) for k, v in dict(p).items()}
        name_ = _cell(row.get("player"))
        if name_ is None:
            continue
        names.append(str(name_))
        if row.get("weight") is not None:
            weights[str(name_)] = row["weight"]
    game: dict[str, Any] = {"name": name, "players": names, "rules": list(rules)}
    game["values"] = {str(r["coalition"]): r["value"] for r in _rows(values)
                      if r.get("coalition") is not None and r.get("value") is not None}
    if weights and "nash_weighted" in rules:
        game["weights"] = weights
    return game


def allocation_from_rows(players: Sequence[Mapping[str, Any]] | Sequence[str], values: Sequence[Mapping[str, Any]],
                         rules: Sequence[str], source: str = "allocation") -> tuple[list[Allocation], list[Warning]]:
    """Validate the panel's game (``ScenarioError`` naming ``source``) and allocate it by each rule;
    returns the allocations and the warnings (e.g. a rule undefined for this game)."""
    game = Scenario.from_dict({"name": "game", "game": game_from_rows(players, values, rules)}, source).game
    assert game is not None
    warnings: dict[tuple[str, str], Warning] = {}
    allocations = allocate(
        game, rules, warn=lambda code, msg, zh: warnings.setdefault((code, msg), Warning(code, msg, zh))
    )
    return allocations, list(warnings.values())


# -------------------------------------------------------------------------------- names and edits
def establishment_names(rows: Sequence[Mapping[str, Any]], lang: str = "en") -> dict[str, str]:
    """id → how the establishment reads (its name, else its city and role: 南通生产机构), for the rows of the
    form's establishment table; as ``Scenario.establishment_name``, the id is added only when two would
    read the same."""
    labels: dict[str, str] = {}
    for r in _rows(rows):
        if r.get("id") is None:
            continue
        city = str(r.get("city") or "")
        if lang == "zh" and city not in names.CITIES and r.get("city_zh"):
            city_name = str(r["city_zh"])
        else:
            city_name = names.name("city", city, lang)
        labels.setdefault(str(r["id"]), establishment_label(str(r.get("name") or ""), city_name,
                                                             str(r.get("role") or ""), lang))
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    return {i: (f"{label}（{i}）" if lang == "zh" else f"{label} ({i})") if counts[label] > 1 else label
            for i, label in labels.items()}


def changed_inputs(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The inputs that differ between two scenario dicts, as paths ``compare.sweep`` writes
    (``establishments[nt].factors.2025.revenue``, ``enterprise.markup``, ``flows.2026.vat_payable.sz``):
    establishments are matched by id, other list items by position. Names, references and descriptions
    are not inputs (they change no amount, and the form gives them in the reader's language)."""
    out: list[str] = []
    texts = ("name", "name_zh", "description", "reference", "reference_zh")

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            for k in sorted(set(a) | set(b), key=str):
                if k in texts:
                    continue
                walk(a.get(k), b.get(k), f"{path}.{k}" if path else str(k))
        elif path == "establishments" and isinstance(a, list) and isinstance(b, list):
            by_id = [{str(e.get("id")): e for e in x if isinstance(e, Mapping)} for x in (a, b)]
            for i in sorted(set(by_id[0]) | set(by_id[1])):
                walk(by_id[0].get(i), by_id[1].get(i), f"establishments[{i}]")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b) and path != "years":
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{path}[{i}]")
        elif _plain(a) != _plain(b):
            out.append(path)

    walk(before, after, "")
    return out


def _plain(v: Any) -> Any:
    if isinstance(v, (Decimal, Fraction)):
        return Fraction(v)
    if isinstance(v, float):
        return Fraction(Decimal(repr(v)))
    return v


def why_unchanged(result: Result, changed: Sequence[str]) -> list[tuple[str, Unused | None]]:
    """For each changed input, the rule that makes it unable to change ``result`` (from ``result.unused``),
    or None when no rule rules it out (the edit happened not to change any amount, e.g. a cap still binds)."""
    out: list[tuple[str, Unused | None]] = []
    for path in changed:
        found = next((u for u in result.unused if path == u.path or path.startswith(u.path + ".")
                      or path.startswith(u.path + "[")), None)
        out.append((path, found))
    return out


def outcome(result: Result) -> tuple[Any, ...]:
    """Every amount of ``result`` (rows and allocations), without texts: equal exactly when an edit changed
    no amount."""
    return (tuple((r.year, r.tax, r.city, r.component, r.period, r.amount) for r in result.rows),
            tuple((a.rule, a.player, a.exact) for a in result.allocations))
