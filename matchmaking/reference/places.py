"""The three cities and their districts, and how people write a place.

The gazetteer is data: ``data/reference/regions_hst.csv`` (every district and county-level city, current
and abolished, with its Chinese, pinyin and English names and their usual short forms),
``place_aliases.csv`` (development zones, towns and subdistricts, and the names people use for them, some
valid only within one city) and ``provinces_cn.csv``. ``Regions.parse`` reads any usual written form
against it — ``上海市``, ``Suzhou, Jiangsu``, ``江苏省苏州市``, ``苏州市（江苏省）``, ``SUZHOU``, ``Su Zhou``,
``昆山市`` or ``Kunshan`` (a county-level city of Suzhou), ``SIP``, ``Wuzhong District``, a legacy name such
as ``海门市``, or a full address such as ``江苏省苏州市吴中区木渎镇金枫路216号`` — by finding the names it
contains: Chinese names anywhere in the text (longest first, a short name not when it names a road), Latin
names as whole words (pinyin spaced or not). Reference data only: no database, no uploads.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .paths import read_reference

__all__ = ["CITIES", "CITY_ZH", "District", "DistrictMatch", "Place", "Regions", "regions", "fold"]

CITIES = ("Shanghai", "Suzhou", "Nantong")
CITY_ZH = {"Shanghai": "上海", "Suzhou": "苏州", "Nantong": "南通"}
_CITY_ADCODE = {"310000": "Shanghai", "320500": "Suzhou", "320600": "Nantong"}
_CLUSTER_PROVINCES = {"31": "Shanghai", "32": "Jiangsu"}

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@cache
def _simplified() -> Any:
    """OpenCC's traditional → simplified conversion (its own dictionaries, no download)."""
    import opencc

    return opencc.OpenCC("t2s.json")


def fold(text: object) -> str:
    """A comparison key: NFKC, no tone marks, lower case, no spaces, dots, hyphens or apostrophes, and
    traditional characters as simplified ones (``蘇州`` = ``苏州``, ``統一社會信用代碼`` = ``统一社会信用代码``)."""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(text or "")))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[\s.\-'’·,，()（）]", "", s)
    return _simplified().convert(s) if _HAN.search(s) else s


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
    split (an abolished division that became several: the writer must choose), other_city, ambiguous or
    unknown."""

    district: District | None
    status: str
    message: str | None
    message_zh: str | None


@dataclass(frozen=True)
class Place:
    """A written place as read: the city, the current district if one is named, and how it was read.

    ``notes`` are (English, Chinese) sentences worth telling the writer (a legacy name, a town read as its
    district); ``problem`` is set when no place can be told: (code, English, Chinese), the code one of
    unknown, ambiguous, split, outside (a place outside the cluster) or conflict (two places that disagree)."""

    city: str | None = None
    district: District | None = None
    notes: tuple[tuple[str, str], ...] = ()
    problem: tuple[str, str, str] | None = None
    province: str | None = None  # a province named in the text (Shanghai, Jiangsu or another)


@dataclass(frozen=True)
class _Name:
    """One spelling in the gazetteer: what it names, how specific it is, and where it is valid."""

    kind: str  # city | district | province | country
    target: str  # a city, an adcode, or a province code
    full: bool  # the name carries its unit (区, 市, 县, District, City): a short form is weaker
    scope: str = ""  # valid only when the city is known to be this one (园区 in Suzhou)
    sort: str = "name"  # name: the place itself; zone or town: a place inside it (张江 in 浦东新区)


@dataclass(frozen=True)
class _Hit:
    name: _Name
    start: int
    text: str


_ROAD_AFTER = re.compile(r"^(?:路|街|巷|弄|桥|大道|大街|公路)")  # 昆山路 in Shanghai is a road, not Kunshan
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_UNIT_WORDS = {"district", "city", "county", "shi", "qu", "xian", "xinqu", "newarea", "province", "sheng", "prc",
               "municipality", "zone", "area", "new"}
_MAX_LATIN_WORDS = 6


def _latin_key(words: Iterable[str]) -> str:
    return "".join(words)


@dataclass
class Regions:
    """Cities and districts with every spelling the gazetteer knows, and a reader of written places."""

    districts: dict[str, District]
    _han: dict[str, list[_Name]] = field(default_factory=dict)  # folded Chinese name → what it names
    _han_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)  # first character → name lengths
    _latin: dict[str, list[_Name]] = field(default_factory=dict)  # Latin words joined (lower, no accents)
    _provinces: dict[str, tuple[str, str]] = field(default_factory=dict)  # code → (name_zh, name_en)
    _short_latin: list[tuple[str, _Name]] = field(default_factory=list)  # forms without their unit word
    _one_character: dict[str, str] = field(default_factory=dict)  # 沪 → Shanghai

    # ------------------------------------------------------------------------------------------- reading
    def parse(self, raw: object, city: str | None = None) -> Place:
        """Where ``raw`` is: a city of the three and, if one is named, its current district. ``city`` is
        what the row's city column says, if anything: it settles a name two cities share and the names
        valid in one city only, and a district of another city is a conflict."""
        text = str(raw if raw is not None else "").strip()
        if not text:
            return Place(city=city)
        if fold(text) in self._one_character:
            return Place(city=self._one_character[fold(text)])
        hits = self._hits(text, city)
        named = {h.name.target for h in hits if h.name.kind == "city"}
        if city is None and len(named) == 1:  # 南通市开发区: a name valid in one city, once the text names it
            hits = self._hits(text, next(iter(named)))
        if not hits:
            return Place(problem=("unknown", "", ""))
        provinces = {h.name.target for h in hits if h.name.kind == "province"}
        province = self._provinces[sorted(provinces)[0]][1] if provinces else None
        outside = sorted(p for p in provinces if p not in _CLUSTER_PROVINCES)
        cities = list(dict.fromkeys(h.name.target for h in hits if h.name.kind == "city"))
        districts = [h for h in hits if h.name.kind == "district"]
        if outside and not cities and not districts:
            name_zh, name_en = self._provinces[outside[0]]
            return Place(province=name_en, problem=(
                "outside", f"it is in {name_en}, outside Shanghai, Suzhou, Nantong",
                f"位于{name_zh}，不在上海、苏州、南通三市"))
        named_city = cities[0] if len(cities) == 1 else None
        if len(cities) > 1:
            return Place(province=province, problem=(
                "conflict", f"{text!r} names more than one city: {' and '.join(cities)}",
                f"“{text}”同时写了{'和'.join(CITY_ZH[c] for c in cities)}"))
        if city and named_city and named_city != city:
            return Place(province=province, problem=(
                "conflict", f"{text!r} is in {named_city}, not in {city}",
                f"“{text}”属于{CITY_ZH[named_city]}，不属于{CITY_ZH[city]}"))
        context = named_city or city
        if districts:
            chosen = self._choose(districts, context)
            if isinstance(chosen, tuple):
                return Place(province=province, problem=chosen)
            place = self._current(chosen, text)
            if place.problem is None and context and place.city != context:
                return Place(province=province, problem=(
                    "conflict", f"district {text!r} is in {place.city}, not in {context}",
                    f"区县“{text}”属于{CITY_ZH[place.city]}，不属于{CITY_ZH[context]}"))
            return Place(place.city, place.district, place.notes, place.problem, province)
        if named_city:
            return Place(city=named_city, province=province)
        return Place(province=province, problem=("unknown", "", ""))

    def _hits(self, text: str, city: str | None) -> list[_Hit]:
        """Every gazetteer name in ``text``, in order: Chinese names anywhere (longest first, each character
        used once), Latin names as whole words."""
        norm = unicodedata.normalize("NFKC", text)
        low = "".join(c for c in unicodedata.normalize("NFKD", norm) if not unicodedata.combining(c)).lower()
        han = _simplified().convert(low) if _HAN.search(low) else low
        hits: list[_Hit] = []
        i = 0
        while i < len(han):
            for length in self._han_lengths.get(han[i], ()):
                key = han[i:i + length]
                names = [n for n in self._han.get(key, ()) if not n.scope or n.scope == city]
                if not names:
                    continue
                if not all(n.full for n in names) and _ROAD_AFTER.match(han[i + length:]):
                    continue
                hits.extend(_Hit(n, i, key) for n in names)
                i += length
                break
            else:
                i += 1
        words = [(m.start(), m.group()) for m in _LATIN_WORD.finditer(han)]
        j = 0
        while j < len(words):
            for n in range(min(_MAX_LATIN_WORDS, len(words) - j), 0, -1):
                key = _latin_key(w for _, w in words[j:j + n])
                names = [x for x in self._latin.get(key, ()) if not x.scope or x.scope == city]
                if names:
                    hits.extend(_Hit(x, words[j][0], key) for x in names)
                    j += n
                    break
            else:
                j += 1
        hits.sort(key=lambda h: h.start)
        return hits

    def _choose(self, hits: list[_Hit], city: str | None) -> _Hit | tuple[str, str, str]:
        """The district a text means: of the names consistent with the city (when known), a full name
        before a short one, then the first written; a short name shared by districts of two cities is
        ambiguous unless the city says which."""
        def city_of(h: _Hit) -> str:
            return self.districts[h.name.target].city

        pool = [h for h in hits if not city or city_of(h) == city] or hits
        best = min(pool, key=lambda h: (not h.name.full, h.start))
        same_text = [h for h in pool if h.text == best.text and h.start == best.start]
        owners = sorted({city_of(h) for h in same_text})
        if len(owners) > 1:
            options_en = " or ".join(f"{self.districts[h.name.target].name_zh} ({city_of(h)})" for h in same_text)
            options_zh = "或".join(f"{CITY_ZH[city_of(h)]}{self.districts[h.name.target].name_zh}" for h in same_text)
            return ("ambiguous", f"{best.text!r} is a district of more than one city: {options_en}; give the city",
                    f"“{best.text}”在多个城市都有：{options_zh}；请写明城市")
        current = [h for h in same_text if self.districts[h.name.target].status == "current"]
        return current[0] if current else same_text[0]

    def _current(self, hit: _Hit, text: str) -> Place:
        """The current district a name stands for: a legacy name maps to its successor (a note); one that
        was split must be written as one of its successors."""
        d = self.districts[hit.name.target]
        if d.status == "current":
            notes = ()
            if not hit.name.full and d.adcode not in _CITY_ADCODE and hit.name.kind == "district" and \
                    hit.text not in {fold(d.name_zh), fold(_short_zh(d.name_zh))} and _HAN.search(hit.text):
                notes = ((f"{hit.text} is in {d.name_zh} ({d.short_en})", f"{hit.text}属于{d.name_zh}"),)
            return Place(d.city, d, notes)
        if len(d.successor) == 1:
            new = self.districts[d.successor[0]]
            return Place(new.city, new, ((f"{d.name_zh} ({d.short_en}) is now {new.name_zh} ({new.short_en})",
                                          f"{d.name_zh}已调整为{new.name_zh}"),))
        names_en = " or ".join(f"{self.districts[a].name_zh} ({self.districts[a].short_en})" for a in d.successor)
        names_zh = "或".join(self.districts[a].name_zh for a in d.successor)
        return Place(d.city, problem=("split", f"{d.name_zh} ({text!r}) no longer exists; it was split into "
                                      f"{names_en}: give the current one",
                                      f"{d.name_zh}（“{text}”）已撤销，分为{names_zh}：请填写现行区县"))

    # ------------------------------------------------------------------------------------------- the API
    def is_name_of(self, written: object, target: str) -> bool:
        """``written`` is, as a whole, one of the names of the city or district ``target`` (Suzhou, 苏州市,
        SIP, Songjiang, 松江) — not a place inside it (张江, 木渎) nor a text around it (江苏省苏州市)."""
        text = unicodedata.normalize("NFKC", str(written or "")).strip()
        low = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
        keys = [fold(text)] if _HAN.search(low) else [_latin_key(_LATIN_WORD.findall(low))]
        table = self._han if _HAN.search(low) else self._latin
        return any(n.target == target and n.sort == "name" for k in keys for n in table.get(k, ())) or \
            self._one_character.get(fold(text)) == target

    def city(self, raw: object) -> str | None:
        """The canonical city (``Shanghai``/``Suzhou``/``Nantong``) a written place is in, else None."""
        return self.parse(raw).city

    def resolve_district(self, city: str, raw: object) -> DistrictMatch:
        """A district of ``city`` as people write it (``常熟``, ``Wuzhong District``, ``Wúzhōng Qū``,
        ``江苏省苏州市吴中区``, a legacy name such as ``海门市``), with the reason in English and Chinese when
        it is not a plain match."""
        text = str(raw if raw is not None else "").strip()
        place = self.parse(text, city)
        if place.problem is None and place.district is not None:
            legacy = next((n for n in place.notes if "is now" in n[0]), None)
            if legacy:
                return DistrictMatch(place.district, "legacy", legacy[0], legacy[1])
            return DistrictMatch(place.district, "ok", None, None)
        code = place.problem[0] if place.problem else "unknown"
        if code == "conflict":
            other = self.parse(text).city
            if other and other != city:
                return DistrictMatch(None, "other_city", f"district {text!r} is in {other}, not in {city}",
                                     f"区县“{text}”属于{CITY_ZH[other]}，不属于{CITY_ZH[city]}")
        if code in ("split", "ambiguous", "outside", "conflict"):
            _, en, zh = place.problem  # type: ignore[misc]
            return DistrictMatch(None, code, en, zh)
        return DistrictMatch(None, "unknown", *self.unknown_district(city, text))

    def unknown_district(self, city: str, text: str) -> tuple[str, str]:
        """The reason a district of ``city`` is not known, with examples (and a near miss when one is close)."""
        hint_en, hint_zh = self.suggestion(text, city)
        return (f"unknown district {text!r} for {city}: use a district or county-level city of {city}, e.g. "
                f"{self._examples(city, 'en')}{hint_en}",
                f"{CITY_ZH[city]}没有名为“{text}”的区县，例如：{self._examples(city, 'zh')}{hint_zh}")

    def suggestion(self, text: str, city: str | None = None) -> tuple[str, str]:
        """``; did you mean 'X'?`` (and its Chinese) when one known name is close to ``text``, else empty."""
        from rapidfuzz import fuzz, process

        key = fold(text)
        if len(key) < 3:
            return "", ""
        choices = {k: names for k, names in (*self._latin.items(), *self._han.items())
                   if any(n.kind in ("city", "district") and (not city or self._city_of(n) == city)
                          and (n.kind == "city" or self.districts[n.target].status == "current") for n in names)}
        found = process.extractOne(key, list(choices), scorer=fuzz.ratio, score_cutoff=80)
        if not found:
            return "", ""
        name = next(n for n in choices[found[0]] if n.kind in ("city", "district"))
        label_en, label_zh = self._label(name)
        return f"; did you mean {label_en!r}?", f"；是否应为“{label_zh}”？"

    def _city_of(self, name: _Name) -> str:
        return name.target if name.kind == "city" else self.districts[name.target].city

    def _label(self, name: _Name) -> tuple[str, str]:
        if name.kind == "city":
            return name.target, CITY_ZH[name.target]
        d = self.districts[name.target]
        return d.short_en, d.name_zh

    def _examples(self, city: str, lang: str) -> str:
        ds = self.of_city(city)[:3]
        return "、".join(d.name_zh for d in ds) if lang == "zh" else ", ".join(d.short_en for d in ds)

    def of_city(self, city: str, current_only: bool = True) -> list[District]:
        return [d for d in self.districts.values()
                if d.city == city and d.adcode not in _CITY_ADCODE
                and (d.status == "current" or not current_only)]

    def district(self, city: str, raw: object) -> tuple[District | None, str | None]:
        """Resolve a district of ``city``. Returns (district, note): the district is the *current* one
        (a legacy name maps to its successor, with a note); (None, reason) when it cannot be resolved."""
        m = self.resolve_district(city, raw)
        return m.district, m.message

    # ------------------------------------------------------------------------------------------- building
    def _add(self, spelling: str, name: _Name) -> None:
        s = unicodedata.normalize("NFKC", spelling).strip()
        if not s:
            return
        if _HAN.search(s):
            key = fold(s)
            if len(key) >= 2 and name not in self._han.setdefault(key, []):
                self._han[key].append(name)
            elif len(key) == 1 and name.kind == "city":  # 沪: only a whole value, never inside a text
                self._one_character[key] = name.target
            return
        low = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()
        words = _LATIN_WORD.findall(re.sub(r"\(.*\)", " ", low))  # "Kunshan (county-level city)"
        if not words:
            return
        key = _latin_key(words)
        if len(key) >= 2 and name not in self._latin.setdefault(key, []):
            self._latin[key].append(name)
        core = list(words)
        while len(core) > 1 and core[-1] in _UNIT_WORDS:  # "Wuzhong District" is also "Wuzhong"
            core.pop()
        if core != words and name.kind in ("city", "district"):
            self._short_latin.append((_latin_key(core), name))

    def _finish(self) -> None:
        for key, name in self._short_latin:  # a short form never takes a name another place already has
            if key not in self._latin and len(key) >= 3:
                self._latin[key] = [name]
        lengths: dict[str, set[int]] = {}
        for key in self._han:
            lengths.setdefault(key[0], set()).add(len(key))
        self._han_lengths = {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}


def _short_zh(name: str) -> str:
    """``吴中区`` → ``吴中``, ``昆山市`` → ``昆山``, ``浦东新区`` → ``浦东``, ``如东县`` → ``如东`` (a short form people write)."""
    return re.sub(r"(新区|区|市|县)$", "", name)


def _pinyin_forms(pinyin: str) -> list[str]:
    """``Wúzhōng Qū`` → ``Wuzhong Qu``; the unit word is dropped by the builder for the short form."""
    return [pinyin]


@cache
def regions() -> Regions:
    rows = read_reference("regions_hst.csv")
    districts: dict[str, District] = {}
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
    for r in rows:  # some abolished rows carry their city only through the parent code
        d = districts[r["adcode"]]
        if d.city not in CITIES:
            districts[d.adcode] = District(**{**d.__dict__, "city": _CITY_ADCODE.get(r["parent_adcode"], ""),
                                              "status": "abolished" if d.successor else d.status})
    reg = Regions(districts)
    for r in rows:
        d = reg.districts[r["adcode"]]
        if d.adcode in _CITY_ADCODE:
            city = _CITY_ADCODE[d.adcode]
            for s in (r["name_zh"], r["name_en"], r["name_pinyin"], city):
                reg._add(s, _Name("city", city, True))
            for s in (*r["aliases"].split(";"), _short_zh(r["name_zh"])):
                reg._add(s, _Name("city", city, False))
            continue
        if d.city not in CITIES:
            continue
        for s in (r["name_zh"], r["name_en"], d.short_en, *_pinyin_forms(r["name_pinyin"]), d.adcode):
            reg._add(s, _Name("district", d.adcode, True))
        for s in (*r["aliases"].split(";"), _short_zh(r["name_zh"])):
            if s and not s.startswith(("Chongchuan District, old code",)):
                reg._add(s, _Name("district", d.adcode, bool(re.search(r"(区|市|县|District|City|County)$", s))))
    for r in read_reference("place_aliases.csv"):
        code, alias, scope, sort = r["adcode"], r["alias"], r["city_scope"], r["kind"]
        if code in _CITY_ADCODE:
            reg._add(alias, _Name("city", _CITY_ADCODE[code], True, scope, sort))
        else:
            full = bool(re.search(r"(区|市|县|镇|District|Park|Zone|Area|ETDZ)$", alias)) or len(alias) >= 4
            reg._add(alias, _Name("district", code, full, scope, sort))
    for r in read_reference("provinces_cn.csv"):
        reg._provinces[r["code"]] = (r["name_zh"], r["name_en"])
        for s in (r["name_zh"], r["short_zh"], r["name_en"], f"{r['name_en']} Province"):
            if r["code"] in _CLUSTER_PROVINCES and _CLUSTER_PROVINCES[r["code"]] in CITIES:
                continue  # Shanghai is its own province: its name is the city's
            reg._add(s, _Name("province", r["code"], True))
    for s in ("中国", "中华人民共和国", "China", "PRC", "P.R. China", "People's Republic of China"):
        reg._add(s, _Name("country", "CN", True))
    reg._finish()
    return reg
