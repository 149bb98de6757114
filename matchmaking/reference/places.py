"""The three cities and their districts, from ``data/reference/regions_hst.csv`` (sources in its README).

This module knows how people *write* a city or a district (``上海市``, ``shanghai``, ``Wuzhong District``,
``常熟``, a legacy name such as ``海门市``) and turns it into one canonical value. It reads reference data
only: it never talks to the database and knows nothing of uploads or matching.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from .paths import read_reference

__all__ = ["CITIES", "CITY_ZH", "District", "DistrictMatch", "Regions", "regions", "fold"]

CITIES = ("Shanghai", "Suzhou", "Nantong")
CITY_ZH = {"Shanghai": "上海", "Suzhou": "苏州", "Nantong": "南通"}

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



@cache
def regions() -> Regions:
    districts: dict[str, District] = {}
    rows = read_reference("regions_hst.csv")
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
