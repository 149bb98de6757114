"""The statute as dated data: one YAML file per parameter, each value keyed by the date it starts.

Design taken from OpenFisca (not its code): the law is data with its legal reference beside every
value, looked up "as of" a date, and a scenario overrides parameters without editing the files.
Two of its pitfalls are avoided on purpose:

* an annual rule never reads a parameter at 1 January only: :meth:`Parameter.year_average` weighs the
  value in force on the first day of each month, so a change on 2016-05-01 counts for 8/12 of 2016;
* a dated override (``{2027-01-01: 0.3}``) is *inserted*: a later statutory value still starts on its
  own date, an open-ended update never overwrites the future.

Unsettled parameters (``settled: false``) either have no value at all (the engine then reports what
it can and warns) or a documented default that the engine warns about every time it uses it.
A description or reference that is more than a statute's name has a Chinese twin (``description_zh``,
``reference_zh``) in the same file. This module reads files and answers lookups; it knows nothing about
how a tax is computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .. import names
from .._yaml import load_yaml
from ..errors import Problem, ScenarioError
from ..money import format_share, to_fraction

__all__ = [
    "ParameterValue",
    "Parameter",
    "YearDescription",
    "ParameterSet",
    "PROVINCES",
    "MUNICIPALITIES",
    "LOCAL_SPLIT_TAXES",
    "parse_start",
    "default_parameters",
]

_DIR = Path(__file__).resolve().parent

#: Provincial-level divisions (pinyin), for validating the open parameter names (named in ``names``).
PROVINCES = tuple(names.PROVINCES)
#: 直辖市: the province *is* the city, so its whole local share is city-level revenue.
MUNICIPALITIES = ("Beijing", "Chongqing", "Shanghai", "Tianjin")
LOCAL_SPLIT_TAXES = ("cit", "vat", "iit", "surcharges")
_KINDS = ("share", "enum", "province_shares")
_CONFIDENCE = ("high", "medium-high", "medium", "low", "user")


@dataclass(frozen=True)
class ParameterValue:
    """One value of a parameter, in force from ``start`` until the next value starts."""

    start: dt.date
    value: Any  # Fraction for shares, str for enums, dict[str, Fraction] for province shares
    reference: str
    confidence: str
    reference_zh: str = ""

    @property
    def text(self) -> str:
        return self.text_in("en")

    def text_in(self, lang: str) -> str:
        """The value for a trace line (a province's share names the province in ``lang``)."""
        v = self.value
        if isinstance(v, Fraction):
            return format_share(v)
        if isinstance(v, Mapping):
            return ", ".join(f"{names.name('province', k, lang)} {format_share(s)}" for k, s in v.items())
        return str(v)


class YearDescription(NamedTuple):
    """How a parameter was used for a year, for its trace line: value, reference, confidence (English),
    and the value and reference in Chinese."""

    value: str
    reference: str
    confidence: str
    value_zh: str
    reference_zh: str


@dataclass(frozen=True)
class Parameter:
    """A named parameter and its dated values (sorted by start, no two on the same date)."""

    name: str
    description: str
    kind: str
    values: tuple[ParameterValue, ...] = ()
    allowed: tuple[str, ...] = ()
    settled: bool = True
    overridden: bool = False
    description_zh: str = ""
    label: str = ""
    label_zh: str = ""

    def describe(self, lang: str = "en") -> str:
        """What the parameter is, in ``lang``."""
        return self.description_zh if lang == "zh" and self.description_zh else self.description

    def title(self, lang: str = "en") -> str:
        """The parameter's short name in ``lang`` (what a page shows instead of its dotted code); the
        description when the file gives no label."""
        if lang == "zh":
            return self.label_zh or self.description_zh or self.label or self.description or self.name
        return self.label or self.description or self.name

    def at(self, when: dt.date) -> ParameterValue | None:
        """The value in force on ``when`` (None when the parameter has no value then)."""
        found = None
        for v in self.values:
            if v.start <= when:
                found = v
            else:
                break
        return found

    def months(self, year: int) -> tuple[ParameterValue | None, ...]:
        """The value in force on the first day of each month of ``year`` (12 entries)."""
        return tuple(self.at(dt.date(year, m, 1)) for m in range(1, 13))

    def year_average(self, year: int) -> Fraction | None:
        """Month-weighted average of a share over ``year``; None if any month has no value.

        Annual amounts are assumed to accrue evenly over the year (the assumption is in the trace).
        """
        months = self.months(year)
        if any(m is None for m in months):
            return None
        return sum((m.value for m in months if m is not None), Fraction(0)) / 12

    def year_values(self, year: int) -> tuple[ParameterValue, ...]:
        """The distinct values in force during ``year``, in order (for the trace)."""
        out: list[ParameterValue] = []
        for m in self.months(year):
            if m is not None and (not out or out[-1] is not m):
                out.append(m)
        return tuple(out)

    def describe_year(self, year: int) -> YearDescription:
        """Value, reference and confidence (in both languages) for the trace of an annual use."""
        vals = self.year_values(year)
        if not vals:
            return YearDescription("unset", "no value (unsettled)", "none", "未设定", "无取值（尚未确认）")
        if len(vals) == 1:
            v = vals[0]
            return YearDescription(v.text, v.reference, v.confidence, v.text_in("zh"), v.reference_zh)
        months = self.months(year)
        parts, parts_zh = [], []
        for v in vals:
            n = sum(1 for m in months if m is v)
            parts.append(f"{n}/12 at {v.text} (from {v.start.isoformat()})")
            parts_zh.append(f"{n}/12 按 {v.text_in('zh')}（{v.start.isoformat()} 起）")
        avg = self.year_average(year)
        avg_text = f" → {format_share(avg)}" if avg is not None and self.kind == "share" else ""
        refs = "; ".join(dict.fromkeys(v.reference for v in vals))
        refs_zh = "; ".join(dict.fromkeys(v.reference_zh or v.reference for v in vals))
        conf = max((v.confidence for v in vals), key=_CONFIDENCE.index)  # the weakest one
        return YearDescription(
            " + ".join(parts) + avg_text, refs, conf, " + ".join(parts_zh) + avg_text, refs_zh
        )


@dataclass(frozen=True)
class ParameterSet:
    """All parameters, by dotted name; open names (per province) resolve to an empty parameter."""

    parameters: Mapping[str, Parameter] = field(default_factory=dict)

    def known(self, name: str) -> bool:
        return name in self.parameters or _open_parameter(name) is not None

    def get(self, name: str) -> Parameter:
        if name in self.parameters:
            return self.parameters[name]
        p = _open_parameter(name)
        if p is None:
            raise KeyError(f"unknown parameter {name!r}")
        return p

    def with_overrides(
        self, overrides: Mapping[str, Any], where: str = "parameters", source: str = "scenario"
    ) -> ParameterSet:
        """A copy with the scenario's overrides applied (validated; every problem reported at once)."""
        problems: list[Problem] = []
        params = dict(self.parameters)
        for name, raw in overrides.items():
            path = f"{where}.{name}" if isinstance(name, str) else f"{where}[{name!r}]"
            if not isinstance(name, str) or not self.known(name):
                problems.append(
                    Problem(path, "unknown parameter; allowed: " + ", ".join(self.allowed_names()))
                )
                continue
            base = self.get(name)
            new_values, probs = _override_values(base, raw, path)
            problems.extend(probs)
            if not probs:
                params[name] = replace(base, values=new_values, overridden=True)
        if problems:
            raise ScenarioError(problems, source)
        return ParameterSet(params)

    def allowed_names(self) -> list[str]:
        names = sorted(
            n for n in self.parameters if not n.startswith(("local_split.", "intra_province_mode."))
        )
        return names + [
            "local_split.<province>.<cit|vat|iit|surcharges>.province_share",
            "intra_province_mode.<province>",
        ]


def _open_parameter(name: str) -> Parameter | None:
    """Parameters the law leaves to each province: valid names with no value unless a file gives one."""
    parts = name.split(".")
    if len(parts) == 4 and parts[0] == "local_split" and parts[3] == "province_share":
        if parts[1] in PROVINCES and parts[2] in LOCAL_SPLIT_TAXES:
            return Parameter(
                name=name,
                description=f"Share of the local {parts[2]} revenue of a {parts[1]} city that goes to the province.",
                kind="share",
                settled=False,
                description_zh=f"{names.name('province', parts[1], 'zh')}各市地方{names.name('tax', parts[2], 'zh')}"
                "收入中归省级的比例",
                label=f"{parts[1]}'s provincial part of local {_tax_word(parts[2])}",
                label_zh=f"{names.name('province', parts[1], 'zh')}省级分成比例（{names.name('tax', parts[2], 'zh')}）",
            )
    if len(parts) == 2 and parts[0] == "intra_province_mode" and parts[1] in PROVINCES:
        return Parameter(
            name=name,
            description=f"How CIT is divided when HQ and branches are all in {parts[1]}.",
            kind="enum",
            allowed=("centralized_at_hq", "apportion_like_national"),
            settled=False,
            description_zh=f"总机构与分支机构均在{names.name('province', parts[1], 'zh')}时企业所得税的分配办法",
            label=f"{parts[1]}'s method for HQ and branches inside the province",
            label_zh=f"{names.name('province', parts[1], 'zh')}省内总分机构分配办法",
        )
    return None


def _tax_word(tax: str) -> str:
    """A tax's English name inside a phrase: acronyms as they are, other names in lower case."""
    word = names.name("tax", tax)
    return word if word.isupper() else word.lower()


def parse_start(key: Any) -> dt.date | None:
    """A start date from a YAML/JSON key: a date, ``'2029-01-01'``, or a year (2029 → 2029-01-01)."""
    if isinstance(key, dt.datetime):
        return key.date()
    if isinstance(key, dt.date):
        return key
    if isinstance(key, int) and not isinstance(key, bool) and 1900 <= key <= 2200:
        return dt.date(key, 1, 1)
    if isinstance(key, str):
        s = key.strip()
        if s.isdigit() and len(s) == 4:
            return dt.date(int(s), 1, 1)
        try:
            return dt.date.fromisoformat(s)
        except ValueError:
            return None
    return None


def check_value(param: Parameter, raw: Any, path: str) -> tuple[Any, list[Problem]]:
    """Validate one value for ``param``'s kind; returns (value, problems)."""
    if param.kind == "share":
        try:
            if isinstance(raw, bool) or raw is None:
                raise TypeError
            v = to_fraction(raw)
        except (TypeError, ValueError):
            return None, [Problem(path, "a share must be a number in [0, 1]", raw)]
        if not 0 <= v <= 1:
            return None, [Problem(path, "a share must be a number in [0, 1]", raw)]
        return v, []
    if param.kind == "enum":
        if raw not in param.allowed:
            return None, [Problem(path, "allowed values: " + ", ".join(param.allowed), raw)]
        return raw, []
    if param.kind == "province_shares":
        if not isinstance(raw, Mapping) or not raw:
            return None, [
                Problem(path, "must be a mapping province → share of the pool, e.g. {Jiangsu: 0.09}", raw)
            ]
        out: dict[str, Fraction] = {}
        probs: list[Problem] = []
        for prov, s in raw.items():
            if prov not in PROVINCES:
                probs.append(Problem(f"{path}.{prov}", "unknown province; allowed: " + ", ".join(PROVINCES)))
                continue
            sub = Parameter(name=param.name, description="", kind="share")
            val, p = check_value(sub, s, f"{path}.{prov}")
            probs.extend(p)
            if val is not None:
                out[prov] = val
        if not probs and sum(out.values(), Fraction(0)) > 1:
            probs.append(Problem(path, "the provinces' shares of the pool must sum to at most 1", raw))
        return out, probs
    raise AssertionError(param.kind)


def _override_values(
    base: Parameter, raw: Any, path: str
) -> tuple[tuple[ParameterValue, ...], list[Problem]]:
    dated = isinstance(raw, Mapping) and raw and all(parse_start(k) is not None for k in raw)
    if not dated:
        # An undated value replaces the parameter for all dates: the user states it holds throughout.
        v, probs = check_value(base, raw, path)
        return (ParameterValue(dt.date(1900, 1, 1), v, "scenario override", "user", "情景调整"),), probs
    problems: list[Problem] = []
    starts = [parse_start(k) for k in raw]
    if starts != sorted(starts):
        problems.append(Problem(path, "dates must be in ascending order", ", ".join(str(k) for k in raw)))
    inserted: dict[dt.date, ParameterValue] = {v.start: v for v in base.values}
    for key, start in zip(raw, starts, strict=True):
        assert start is not None
        v, probs = check_value(base, raw[key], f"{path}['{start.isoformat()}']")
        problems.extend(probs)
        inserted[start] = ParameterValue(start, v, "scenario override", "user", "情景调整")
    return tuple(inserted[d] for d in sorted(inserted)), problems


def load_parameter_file(path: Path) -> Parameter:
    """Read one parameter file; a malformed bundled file is a programming error, so it raises."""
    name = path.name[: -len(".yaml")]
    data = load_yaml(path.read_text(encoding="utf-8"))
    kind = data.get("kind", "share")
    if kind not in _KINDS:
        raise ValueError(f"{path.name}: kind {kind!r} not in {_KINDS}")
    base = Parameter(
        name=name,
        description=str(data.get("description", "")),
        kind=kind,
        allowed=tuple(data.get("allowed", ())),
        settled=bool(data.get("settled", True)),
        description_zh=str(data.get("description_zh", "")),
        label=str(data.get("label", "")),
        label_zh=str(data.get("label_zh", "")),
    )
    values = []
    for key, entry in (data.get("values") or {}).items():
        start = parse_start(key)
        if start is None:
            raise ValueError(f"{path.name}: {key!r} is not a start date")
        v, probs = check_value(base, entry["value"], f"{name}[{key}]")
        if probs:
            raise ValueError(f"{path.name}: {probs[0]}")
        conf = entry.get("confidence", "medium")
        if conf not in _CONFIDENCE:
            raise ValueError(f"{path.name}: confidence {conf!r} not in {_CONFIDENCE}")
        values.append(
            ParameterValue(start, v, str(entry["reference"]), conf, str(entry.get("reference_zh", "")))
        )
    values.sort(key=lambda v: v.start)
    if len({v.start for v in values}) != len(values):
        raise ValueError(f"{path.name}: two values start on the same date")
    return replace(base, values=tuple(values))


@lru_cache(maxsize=1)
def default_parameters() -> ParameterSet:
    """The bundled statute (read once per process)."""
    return ParameterSet({p.name: p for p in _load_dir(_DIR.glob("*.yaml"))})


def _load_dir(paths: Iterable[Path]) -> list[Parameter]:
    return [load_parameter_file(p) for p in sorted(paths)]
