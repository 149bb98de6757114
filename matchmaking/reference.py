"""Reference tables: the three cities and their districts, GB/T 4754-2017 industry codes, industry chains.

Loaded once per process from ``data/reference`` (see its README for sources). This module knows how
people *write* a city or a district (``上海市``, ``shanghai``, ``Wuzhong District``, ``常熟``, a legacy
name such as ``海门市``) and turns it into one canonical value; it never talks to the database.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .paths import reference_dir

__all__ = [
    "CITIES",
    "CITY_ZH",
    "District",
    "DistrictMatch",
    "Segment",
    "Regions",
    "Industries",
    "Chains",
    "regions",
    "industries",
    "chains",
    "fold",
]

CITIES = ("Shanghai", "Suzhou", "Nantong")
CITY_ZH = {"Shanghai": "上海", "Suzhou": "苏州", "Nantong": "南通"}
CITY_PROVINCE = {"Shanghai": "Shanghai", "Suzhou": "Jiangsu", "Nantong": "Jiangsu"}

# Spellings seen in real uploads that the reference's alias column does not carry.
_EXTRA_CITY_ALIASES = {
    "Shanghai": ["沪", "上海市", "shanghai city", "shanghai shi", "sh", "shang hai"],
    "Suzhou": ["苏州市", "suzhou city", "suzhou shi", "su zhou", "soochow"],
    "Nantong": ["南通市", "nantong city", "nantong shi", "nan tong"],
}
_EXTRA_DISTRICT_ALIASES = {
    "320571": ["SIP", "苏州工业园区", "园区", "Suzhou Industrial Park", "工业园区", "苏州园区"],
    "320505": ["SND", "苏州高新区", "高新区", "Suzhou New District", "Suzhou Hi-tech Zone", "虎丘区"],
    "320671": ["NETDA", "南通开发区", "南通经开区", "Nantong ETDZ", "Nantong Development Zone"],
    "310115": ["临港", "Lingang", "张江", "Zhangjiang", "浦东新区", "Pudong New District"],
}
_PROVINCE_PREFIX = re.compile(r"^(中国|china)?(江苏省|江苏|jiangsu(province)?)?")


def fold(text: object) -> str:
    """A comparison key: NFKC, no tone marks, lower case, no spaces, dots, hyphens or apostrophes."""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(text or "")))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s.\-'’·,，()（）]", "", s)


@dataclass(frozen=True)
class District:
    adcode: str
    name_zh: str
    name_en: str
    city: str
    status: str  # current | abolished
    successor: tuple[str, ...]
    lng: float | None
    lat: float | None
    uscc_region_codes: tuple[str, ...]

    @property
    def short_en(self) -> str:
        return re.sub(r"\s*\(.*\)$", "", self.name_en)


@dataclass(frozen=True)
class DistrictMatch:
    """How a written district resolved: ``status`` is ok, legacy (mapped to its successor: a note),
    split (an abolished division that became several: the writer must choose), other_city or unknown."""

    district: District | None
    status: str
    message: str | None
    message_zh: str | None


@dataclass
class Regions:
    """Cities and districts with every spelling the reference knows."""

    districts: dict[str, District]
    _city_keys: dict[str, str] = field(default_factory=dict)
    _district_keys: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def city(self, raw: object) -> str | None:
        """The canonical city (``Shanghai``/``Suzhou``/``Nantong``) for any usual spelling, else None."""
        key = fold(raw)
        key = _PROVINCE_PREFIX.sub("", key) or key
        return self._city_keys.get(key)

    def resolve_district(self, city: str, raw: object) -> DistrictMatch:
        """Resolve a district of ``city`` as people write it (``常熟``, ``Wuzhong District``, ``Wúzhōng Qū``,
        ``江苏省苏州市吴中区``, a legacy name such as ``海门市``), with the reason in English and Chinese when
        it is not a plain match. A legacy name resolves to its successor (status ``legacy``)."""
        text = str(raw if raw is not None else "").strip()
        folded = fold(text)
        for key in self._district_keys_for(city, folded):
            candidates = self._district_keys.get(city, {}).get(key)
            if candidates:
                break
        else:
            elsewhere = sorted({c for c, keys in self._district_keys.items() if c != city
                                for k in self._district_keys_for(c, folded) if k in keys})
            if elsewhere:
                other = elsewhere[0]
                return DistrictMatch(None, "other_city", f"district {text!r} is in {other}, not in {city}",
                                     f"区县“{text}”属于{CITY_ZH[other]}，不属于{CITY_ZH[city]}")
            return DistrictMatch(None, "unknown", f"unknown district {text!r} for {city}: use a district or "
                                 f"county-level city of {city}, e.g. {self._examples(city, 'en')}",
                                 f"{CITY_ZH[city]}没有名为“{text}”的区县，例如：{self._examples(city, 'zh')}")
        current = [self.districts[a] for a in candidates if self.districts[a].status == "current"]
        if current:
            return DistrictMatch(current[0], "ok", None, None)
        old = self.districts[candidates[0]]
        if len(old.successor) == 1:
            new = self.districts[old.successor[0]]
            return DistrictMatch(new, "legacy", f"{old.name_zh} ({old.short_en}) is now {new.name_zh} ({new.short_en})",
                                 f"{old.name_zh}已调整为{new.name_zh}")
        names_en = " or ".join(f"{self.districts[a].name_zh} ({self.districts[a].short_en})" for a in old.successor)
        names_zh = "或".join(self.districts[a].name_zh for a in old.successor)
        return DistrictMatch(None, "split", f"{old.name_zh} ({text!r}) no longer exists; it was split into "
                             f"{names_en}: give the current one",
                             f"{old.name_zh}（“{text}”）已撤销，分为{names_zh}：请填写现行区县")

    def district(self, city: str, raw: object) -> tuple[District | None, str | None]:
        """Resolve a district of ``city``. Returns (district, note): the district is the *current* one
        (a legacy name maps to its successor, with a note); (None, reason) when it cannot be resolved."""
        m = self.resolve_district(city, raw)
        return m.district, m.message

    @staticmethod
    def _district_keys_for(city: str, folded: str) -> list[str]:
        """The folded text as written, then without a leading province and/or city (``江苏省苏州市吴中区``)."""
        keys = [folded]
        rest = _PROVINCE_PREFIX.sub("", folded) or folded
        if rest != folded:
            keys.append(rest)
        for prefix in (fold(f"{CITY_ZH[city]}市"), fold(CITY_ZH[city]), fold(f"{city} city"), fold(city)):
            if rest.startswith(prefix) and len(rest) > len(prefix):
                keys.append(rest[len(prefix):])
                break
        return keys

    def _examples(self, city: str, lang: str) -> str:
        ds = self.of_city(city)[:3]
        return "、".join(d.name_zh for d in ds) if lang == "zh" else ", ".join(d.short_en for d in ds)

    def of_city(self, city: str, current_only: bool = True) -> list[District]:
        return [d for d in self.districts.values()
                if d.city == city and d.adcode not in {"310000", "320500", "320600"}
                and (d.status == "current" or not current_only)]

    def by_uscc_region(self, code6: str) -> District | None:
        for d in self.districts.values():
            if code6 in d.uscc_region_codes:
                return d if d.status == "current" or not d.successor else self.districts[d.successor[0]]
        return None


def _read(name: str) -> list[dict[str, str]]:
    path: Path = reference_dir() / name
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def regions() -> Regions:
    districts: dict[str, District] = {}
    rows = _read("regions_hst.csv")
    city_keys: dict[str, str] = {}
    for r in rows:
        d = District(
            adcode=r["adcode"], name_zh=r["name_zh"], name_en=r["name_en"], city=r["city"] or "",
            status=r["status"] or "current",
            successor=tuple(s for s in (r.get("successor_adcode") or "").split(";") if s),
            lng=float(r["seat_lng"]) if r.get("seat_lng") else None,
            lat=float(r["seat_lat"]) if r.get("seat_lat") else None,
            uscc_region_codes=tuple(s for s in (r.get("uscc_region_codes") or "").split(";") if s),
        )
        districts[d.adcode] = d
    # some abolished rows carry their city only through the parent code
    parents = {"310000": "Shanghai", "320500": "Suzhou", "320600": "Nantong"}
    for r in rows:
        d = districts[r["adcode"]]
        if d.city not in CITIES:
            districts[d.adcode] = District(**{**d.__dict__, "city": parents.get(r["parent_adcode"], ""),
                                              "status": "abolished" if d.successor else d.status})
    reg = Regions(districts)
    for city in CITIES:
        for alias in [city, CITY_ZH[city], *_EXTRA_CITY_ALIASES[city]]:
            city_keys[fold(alias)] = city
    for r in rows:
        if r["adcode"] in parents:
            for alias in [r["name_zh"], r["name_en"], r["name_pinyin"], *r["aliases"].split(";")]:
                city_keys[fold(alias)] = parents[r["adcode"]]
    reg._city_keys = city_keys
    keys: dict[str, dict[str, list[str]]] = {c: {} for c in CITIES}
    for r in rows:
        d = reg.districts[r["adcode"]]
        if d.adcode in parents or d.city not in CITIES:
            continue
        names = [r["name_zh"], r["name_en"], d.short_en, r["name_pinyin"], r["adcode"],
                 *r["aliases"].split(";"), *_EXTRA_DISTRICT_ALIASES.get(d.adcode, [])]
        for alias in names:
            k = fold(alias)
            if k and d.adcode not in keys[d.city].setdefault(k, []):
                keys[d.city][k].append(d.adcode)
    reg._district_keys = keys
    return reg


@dataclass(frozen=True)
class Industries:
    """GB/T 4754-2017: every code with its Chinese (and, to division level, English) name."""

    names_zh: dict[str, str]
    names_en: dict[str, str]
    level: dict[str, str]
    parent: dict[str, str]

    def normalise(self, raw: object) -> str:
        """``c3973`` / ``C 3973`` / ``3973`` / ``3973.0`` (Excel) → ``3973``: the digits, no section letter."""
        s = unicodedata.normalize("NFKC", str(raw or "")).strip().upper().replace(" ", "")
        s = re.sub(r"\.0+$", "", s)
        if len(s) >= 3 and s[0].isalpha() and s[1:].isdigit():
            s = s[1:]
        return s

    def exists(self, code: str) -> bool:
        return code in self.names_zh

    def section(self, code: str) -> str:
        while code and self.level.get(code) != "section":
            code = self.parent.get(code, "")
        return code

    def label(self, code: str, lang: str = "zh") -> str:
        name = self.names_zh.get(code, "") if lang == "zh" else (
            self.names_en.get(code) or self.names_en.get(code[:2]) or self.names_zh.get(code, ""))
        return f"{self.section(code)}{code} {name}".strip()


@cache
def industries() -> Industries:
    rows = _read("industry_gbt4754.csv")
    return Industries(
        names_zh={r["code"]: r["name_zh"] for r in rows},
        names_en={r["code"]: r["name_en"] for r in rows if r["name_en"]},
        level={r["code"]: r["level"] for r in rows},
        parent={r["code"]: r["parent_code"] for r in rows},
    )


@dataclass(frozen=True)
class Segment:
    segment_id: str
    chain_id: str
    chain_zh: str
    chain_en: str
    stage: str
    name_zh: str
    name_en: str
    products_zh: tuple[str, ...]
    products_en: tuple[str, ...]
    gbt_codes: tuple[str, ...]
    feeds_into: tuple[str, ...]


@dataclass(frozen=True)
class Chains:
    """The curated industry chains: segments, products (zh and en) and who feeds whom."""

    segments: dict[str, Segment]

    def chain_ids(self) -> list[str]:
        return sorted({s.chain_id for s in self.segments.values()})

    def chain_name(self, chain_id: str, lang: str = "zh") -> str:
        seg = next(s for s in self.segments.values() if s.chain_id == chain_id)
        return seg.chain_zh if lang == "zh" else seg.chain_en

    def segments_for_code(self, industry_code: str) -> list[Segment]:
        """Segments whose GB/T 4754 classes include this code (4-digit class, or a parent prefix)."""
        if not industry_code:
            return []
        return [s for s in self.segments.values() if any(c.startswith(industry_code) or industry_code.startswith(c)
                                                         for c in s.gbt_codes)]

    def feeds(self, upstream: str, downstream: str) -> bool:
        return downstream in self.segments[upstream].feeds_into


@cache
def chains() -> Chains:
    segs = {}
    for r in _read("industry_chains.csv"):
        segs[r["segment_id"]] = Segment(
            segment_id=r["segment_id"], chain_id=r["chain_id"], chain_zh=r["chain_zh"], chain_en=r["chain_en"],
            stage=r["stage"], name_zh=r["segment_zh"], name_en=r["segment_en"],
            products_zh=tuple(p.strip() for p in r["products_zh"].split("、") if p.strip()),
            products_en=tuple(p.strip() for p in r["products_en"].split(";") if p.strip()),
            gbt_codes=tuple(c for c in r["gbt4754_codes"].split(";") if c),
            feeds_into=tuple(c for c in r["feeds_into"].split(";") if c),
        )
    return Chains(segs)
