#!/usr/bin/env python
"""Build the demo (dev) or held-out evaluation data from authored YAML sources.

    .venv/bin/python scripts/build_demo.py                  # dev set: data/demo/source -> data/demo
    .venv/bin/python scripts/build_demo.py --set heldout    # data/eval/heldout/source -> data/eval/heldout
    .venv/bin/python scripts/build_demo.py --check          # validate only, write nothing
    .venv/bin/python scripts/build_demo.py --items IC       # list the catalog items of a chain

The authoring format is described in ``data/demo/source/FORMAT.md``; the item catalog is
``data/demo/source/items.csv`` (shared by both sets). The builder validates every entry strictly and
prints every problem with its file, key and line; on any problem it exits 1 and writes nothing.
Otherwise it writes the upload files of the profile contract (``organisations_zh.csv`` in GB18030
with Chinese headers, ``organisations_en.csv`` in UTF-8 with BOM, ``projects.xlsx``), the ground truth
``labels.csv`` derived only from the hidden item tags, ``entities.csv`` (every entity with its id and
hidden tags) and prints a coverage report. Same input, byte-identical output.
"""

from __future__ import annotations

import argparse
import collections
import csv
import datetime as dt
import difflib
import hashlib
import io
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from matchmaking.reference import credit_code  # noqa: E402

REFERENCE = ROOT / "data" / "reference"
CATALOG = ROOT / "data" / "demo" / "source" / "items.csv"
SETS = {
    "dev": (ROOT / "data" / "demo" / "source", ROOT / "data" / "demo"),
    "heldout": (ROOT / "data" / "eval" / "heldout" / "source", ROOT / "data" / "eval" / "heldout"),
}
PROJECT_NUMBER_START = {"dev": 1, "heldout": 5001}

CITIES = ("Shanghai", "Suzhou", "Nantong")
CITY_ZH = {"Shanghai": "上海市", "Suzhou": "苏州市", "Nantong": "南通市"}
CITY_ABBR = {"Shanghai": "SH", "Suzhou": "SZ", "Nantong": "NT"}
CITY_CODE = {"Shanghai": "310000", "Suzhou": "320500", "Nantong": "320600"}
CHAINS = ("IC", "BIO", "AI", "NEV", "MAR", "TEX", "MAT", "EQP")
LANGS = ("zh", "en")
ORG_TYPES = ("enterprise", "university", "institute", "investor")
ORG_TYPE_ZH = {"enterprise": "企业", "university": "高校", "institute": "科研院所", "investor": "投资机构"}
PARTNER_TYPES = ("supplier", "customer", "rd_partner", "production_base", "investor", "investee")
STAGES = ("idea", "rd", "pilot", "expansion")
STAGE_ZH = {"idea": "构想", "rd": "研发", "pilot": "中试", "expansion": "扩产"}
ITEM_KINDS = ("product", "service", "rd", "contract_mfg", "site", "capital", "opportunity")
RELATION = {"product": "supplier", "service": "supplier", "rd": "rd_partner", "contract_mfg": "production_base",
            "site": "production_base", "capital": "investor", "opportunity": "investment_opportunity"}
RELATION_ORDER = ("supplier", "rd_partner", "production_base", "investor", "investment_opportunity")

ORG_FIELDS = {  # name -> required
    "key": True, "lang": True, "org_type": True, "name": True, "city": True, "district": True,
    "industry_code": True, "description": True, "offers": True, "seeks": True, "partner_types": True,
    "revenue_wan": False, "employees": False, "founded_year": False, "offer_items": True, "seek_items": True,
    "ticket_wan": False, "contact": True,
}
PROJECT_FIELDS = {
    "key": True, "lang": True, "title": True, "sponsor": True, "city": True, "district": True,
    "industry_code": True, "description": True, "seeks": True, "investment_wan": True, "stage": True,
    "chain": True, "seek_items": True, "contact": False,
}
CONTACT_FIELDS = ("name", "phone", "email")

# Districts people write that the reference's alias column does not carry (a subset of what ingest accepts;
# deliberately no park nicknames that straddle districts such as 临港/Lingang).
EXTRA_DISTRICT_ALIASES = {
    "320571": ("SIP", "苏州园区", "苏州工业园区管委会"),
    "320505": ("SND", "苏州高新区", "Suzhou New District", "Suzhou Hi-tech Zone"),
    "320671": ("NETDA", "南通开发区", "南通经开区", "Nantong ETDZ", "Nantong Development Zone"),
    "310115": ("Pudong New District",),
}

# Brands of real firms (from the reference's hub notes and general knowledge): an authored name must not
# contain one. Chinese tokens match as substrings, Latin ones as whole words, case-insensitively.
REAL_BRANDS = (
    "上海微电子", "中微", "盛美", "沪硅", "紫光", "展锐", "澜起", "中芯", "华虹", "积塔", "和舰", "通富", "晶方",
    "长电", "华天", "安集", "南大光电", "彤程", "晶瑞", "药明", "信达生物", "联影", "微创", "中际旭创", "亨通",
    "永鼎", "稀宇", "科沃斯", "禾赛", "联合汽车电子", "上汽", "奇瑞", "宝武", "宝钢", "中天钢铁", "沙钢", "中船",
    "江南造船", "外高桥造船", "沪东中华", "中远", "川崎", "招商局", "振华重工", "中集", "恒力", "盛虹", "上海石化",
    "蓝海新材料", "绿的谐波", "发那科", "商飞", "航发", "卡斯柯", "上海电气", "海力风电", "华为", "宁德时代",
    "比亚迪", "台积电", "特斯拉", "恒瑞", "百济", "君实", "复星", "蔚来", "小米", "阿里", "腾讯", "百度", "商汤",
    "SMEE", "AMEC", "ACM Research", "NSIG", "UNISOC", "Montage", "SMIC", "Hua Hong", "HeJian", "Tongfu",
    "WuXi", "Innovent", "United Imaging", "MicroPort", "Innolight", "Hengtong", "Yongding", "MiniMax", "ABB",
    "FANUC", "Ecovacs", "Hesai", "UAES", "Tesla", "SAIC", "Chery", "Baowu", "Baosteel", "Zenith Steel", "Shagang",
    "CSSC", "NACKS", "CMHI", "COSCO", "ZPMC", "CIMC", "Hengli", "Shenghong", "Sinopec", "PetroChina",
    "Leaderdrive", "KUKA", "COMAC", "AECC", "CASCO", "Shanghai Electric", "Haili Wind", "Huawei", "CATL", "BYD",
    "TSMC", "Siemens", "Bosch", "Continental", "Schaeffler", "Roche", "Pfizer", "AstraZeneca", "Novartis",
    "Intel", "Samsung", "Applied Materials", "Lam Research", "Tokyo Electron", "ASML", "KLA", "Merck", "BASF",
    "Covestro", "Dow", "DuPont", "Thermo Fisher", "Danaher", "GE Healthcare", "Philips", "Medtronic",
)

FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
FIXED_CORE_TIME = "2024-01-01T00:00:00Z"


# --------------------------------------------------------------------------------------------- reference


def fold(text: object) -> str:
    """Comparison key: NFKC, no tone marks, lower case, no spaces/dots/hyphens/apostrophes/brackets."""
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(text or "")))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[\s.\-'’·,，()（）]", "", s)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class District:
    adcode: str
    name_zh: str
    name_en: str  # short English name, without the note in parentheses
    city: str
    status: str
    successor: tuple[str, ...]
    uscc_region: str  # the region code a new registration there carries


@dataclass
class Reference:
    districts: dict[str, District]
    district_keys: dict[str, dict[str, list[str]]]  # city -> folded alias -> adcodes
    industry: dict[str, str]  # 4-digit class -> section letter
    industry_names: dict[str, str]
    segments: dict[str, str]  # segment_id -> chain_id

    def district(self, city: str, raw: str) -> tuple[District | None, str]:
        key = fold(raw)
        found = self.district_keys[city].get(key)
        for prefix in (fold(CITY_ZH[city]), fold(CITY_ZH[city][:-1]), fold(city)):
            if not found and key.startswith(prefix) and len(key) > len(prefix):  # 苏州市吴中区, Suzhou Wuzhong
                key = key[len(prefix):]
                found = self.district_keys[city].get(key)
        if not found:
            elsewhere = sorted(c for c, keys in self.district_keys.items() if c != city and key in keys)
            if elsewhere:
                return None, f"district {raw!r} is in {elsewhere[0]}, not in {city}"
            names = sorted({d.name_zh for d in self.districts.values() if d.city == city and d.status == "current"})
            return None, f"unknown district {raw!r} for {city} (known: {', '.join(names)})"
        current = [self.districts[a] for a in found if self.districts[a].status == "current"]
        if len(current) == 1:
            return current[0], ""
        if len(current) > 1:
            return None, f"district {raw!r} is ambiguous: {' / '.join(d.name_zh for d in current)}"
        old = self.districts[found[0]]
        if len(old.successor) == 1 and old.successor[0] in self.districts:
            return self.districts[old.successor[0]], ""
        return None, f"district {raw!r} no longer exists and was split; give the current district"


def load_reference() -> Reference:
    rows = _read_csv(REFERENCE / "regions_hst.csv")
    city_rows = {r["adcode"]: r for r in rows if r["adcode"] in CITY_CODE.values()}
    parent_city = {CITY_CODE[c]: c for c in CITIES}
    districts: dict[str, District] = {}
    for r in rows:
        if r["adcode"] in city_rows:
            continue
        city = r["city"] or parent_city.get(r["parent_adcode"], "")
        if city not in CITIES:
            continue
        codes = [c for c in r["uscc_region_codes"].split(";") if c]
        if not codes:  # statistical zones without a registration code: the city's own code
            codes = [c for c in city_rows[CITY_CODE[city]]["uscc_region_codes"].split(";") if c]
        districts[r["adcode"]] = District(
            adcode=r["adcode"], name_zh=r["name_zh"], name_en=re.sub(r"\s*\(.*\)$", "", r["name_en"]),
            city=city, status=r["status"] or "current",
            successor=tuple(s for s in r["successor_adcode"].split(";") if s), uscc_region=codes[0])
    keys: dict[str, dict[str, list[str]]] = {c: {} for c in CITIES}
    for r in rows:
        d = districts.get(r["adcode"])
        if d is None:
            continue
        for alias in (r["name_zh"], r["name_en"], d.name_en, r["name_pinyin"], *r["aliases"].split(";"),
                      *EXTRA_DISTRICT_ALIASES.get(d.adcode, ())):
            k = fold(alias)
            if k and d.adcode not in keys[d.city].setdefault(k, []):
                keys[d.city][k].append(d.adcode)
    industry, names = {}, {}
    for r in _read_csv(REFERENCE / "industry_gbt4754.csv"):
        if r["level"] == "class":
            industry[r["code"]] = r["section"]
            names[r["code"]] = r["name_zh"]
    segments = {r["segment_id"]: r["chain_id"] for r in _read_csv(REFERENCE / "industry_chains.csv")}
    return Reference(districts, keys, industry, names, segments)


@dataclass(frozen=True)
class Item:
    item_id: str
    segment_id: str
    kind: str
    name_zh: str
    name_en: str
    aliases_zh: tuple[str, ...]
    aliases_en: tuple[str, ...]
    notes: str = ""

    @property
    def chain(self) -> str:
        return self.segment_id.split("-")[0] if self.segment_id else ""

    @property
    def relation(self) -> str:
        return RELATION[self.kind]


def load_catalog(ref: Reference, path: Path = CATALOG) -> tuple[dict[str, Item], list[str]]:
    """The item catalog and the problems found in it (the catalog is checked like the sources)."""
    items: dict[str, Item] = {}
    problems = []
    where = _rel(path)
    for n, r in enumerate(_read_csv(path), start=2):
        iid = r["item_id"].strip()
        it = Item(iid, r["segment_id"].strip(), r["kind"].strip(), r["name_zh"].strip(), r["name_en"].strip(),
                  tuple(a.strip() for a in r["aliases_zh"].split(";") if a.strip()),
                  tuple(a.strip() for a in r["aliases_en"].split(";") if a.strip()), r["notes"].strip())
        if iid in items:
            problems.append(f"{where}: line {n}: duplicate item_id {iid}")
        if it.kind not in ITEM_KINDS:
            problems.append(f"{where}: line {n}: {iid}: kind {it.kind!r} not one of {', '.join(ITEM_KINDS)}")
        if it.segment_id and it.segment_id not in ref.segments and it.segment_id not in CHAINS:
            problems.append(f"{where}: line {n}: {iid}: unknown segment_id {it.segment_id!r}")
        if not it.name_zh or not it.name_en:
            problems.append(f"{where}: line {n}: {iid}: name_zh and name_en are required")
        if it.kind in ("product", "service", "contract_mfg") and not iid.startswith(f"{it.segment_id}."):
            problems.append(f"{where}: line {n}: {iid}: a {it.kind} item id must start with its segment "
                            f"({it.segment_id}.)")
        if it.kind in ("capital", "opportunity") and it.segment_id not in CHAINS:
            problems.append(f"{where}: line {n}: {iid}: a {it.kind} item needs a chain code as segment_id")
        items[iid] = it
    return items, problems


# ----------------------------------------------------------------------------------------------- sources


@dataclass
class Entry:
    kind: str  # org | project
    data: dict
    file: str
    line: int
    # filled in by validation
    district: District | None = None
    industry: str = ""
    id: str = ""

    @property
    def key(self) -> str:
        return str(self.data.get("key") or "")

    def where(self) -> str:
        return f"{self.file}: {self.key or '<no key>'} (line {self.line})"

    def items(self, name: str) -> list[str]:
        return list(self.data.get(name) or [])

    def text(self, name: str) -> str:
        v = self.data.get(name)
        return "" if v is None else clean_text(str(v))


_WIDE = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_SPACE_NEXT_TO_WIDE = re.compile(rf"(?<=[{_WIDE}]) +| +(?=[{_WIDE}])")


def clean_text(text: str) -> str:
    """One line; runs of whitespace become one space, and a space next to a Chinese character or Chinese
    punctuation is dropped (YAML folds a line break into a space, which Chinese text must not have)."""
    return _SPACE_NEXT_TO_WIDE.sub("", re.sub(r"\s+", " ", text)).strip()


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys inside a mapping (YAML would silently keep the last)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = {}
    for key_node, _ in node.value:
        k = loader.construct_object(key_node, deep=deep)
        if k in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate field {k!r} (first at line {seen[k] + 1})", key_node.start_mark)
        seen[k] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def load_sources(source_dir: Path) -> tuple[list[Entry], list[str]]:
    entries, problems = [], []
    files = sorted(source_dir.glob("*.yaml")) + sorted(source_dir.glob("*.yml"))
    if not files:
        problems.append(f"{_rel(source_dir)}: no *.yaml source files")
    for path in files:
        where = _rel(path)
        if path.name.startswith("orgs_") and path.suffix == ".yaml":
            kind = "org"
        elif path.name.startswith("projects_") and path.suffix == ".yaml":
            kind = "project"
        else:
            problems.append(f"{where}: file name must be orgs_<batch>.yaml or projects_<batch>.yaml")
            continue
        text = path.read_text(encoding="utf-8")
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            problems.append(f"{where}: YAML error{at}: {exc.problem or exc.context}")
            continue
        except yaml.YAMLError as exc:
            problems.append(f"{where}: YAML error: {exc}".replace("\n", " "))
            continue
        if data is None:
            continue
        if not isinstance(data, list) or not isinstance(node, yaml.SequenceNode):
            problems.append(f"{where}: the file must be a YAML list of entries (each starting with '- key:')")
            continue
        for i, (d, n) in enumerate(zip(data, node.value, strict=True)):
            line = n.start_mark.line + 1
            if not isinstance(d, dict):
                problems.append(f"{where}: entry #{i + 1} (line {line}) is not a mapping")
                continue
            entries.append(Entry(kind, d, where, line))
    return entries, problems


# ------------------------------------------------------------------------------------------- validation

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_PHONE = re.compile(r"^(0\d{2,3}-\d{7,8}|1[3-9]\d{9}|\+86 ?\d{2,3}[ -]?\d{7,8})$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)*example(\.edu|\.ac|\.com)?\.(cn|com|org|net)$")


def cjk_share(text: str) -> float:
    """Chinese characters among Chinese characters + Latin letters (1.0 for all-Chinese text)."""
    c, latin = len(_CJK.findall(text)), len(_LATIN.findall(text))
    return c / (c + latin) if c + latin else 0.0


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=3, cutoff=0.6)
    return f" (did you mean {' / '.join(close)}?)" if close else ""


def _brand_hits(name: str) -> list[str]:
    hits = []
    for b in REAL_BRANDS:
        if _CJK.search(b):
            if b in name:
                hits.append(b)
        elif re.search(rf"(?<![A-Za-z]){re.escape(b)}(?![A-Za-z])", name, flags=re.IGNORECASE):
            hits.append(b)
    return hits


@dataclass
class Checked:
    orgs: list[Entry] = field(default_factory=list)
    projects: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _number(v: object) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v)
    return None


def _check_common(e: Entry, ref: Reference, items: dict[str, Item], out: Checked) -> None:
    d, p = e.data, out.problems
    fields = ORG_FIELDS if e.kind == "org" else PROJECT_FIELDS
    for name in d:
        if name not in fields:
            p.append(f"{e.where()}: unknown field {name!r}{_suggest(str(name), fields)}")
    for name, required in fields.items():
        if required and name not in d:
            p.append(f"{e.where()}: missing required field {name!r}")
    key = d.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        p.append(f"{e.where()}: key must be a lower-case slug like ic-sz-photoresist-1, got {key!r}")
    if d.get("lang") not in LANGS:
        p.append(f"{e.where()}: lang must be zh or en, got {d.get('lang')!r}")
    # city and district
    city = d.get("city")
    if city not in CITIES:
        hint = ""
        for c in CITIES:
            if fold(city) in (fold(c), fold(CITY_ZH[c]), fold(CITY_ZH[c][:-1])):
                hint = f" (write it as {c})"
        p.append(f"{e.where()}: city must be one of {', '.join(CITIES)}, got {city!r}{hint}")
    elif "district" in d:
        raw = d.get("district")
        if not isinstance(raw, str) or not raw.strip():
            p.append(f"{e.where()}: district must be a non-empty text")
        else:
            dist, why = ref.district(city, raw)
            if dist is None:
                p.append(f"{e.where()}: {why}")
            e.district = dist
    # industry code: a GB/T 4754-2017 class (4 digits), optionally with its section letter
    code = d.get("industry_code")
    if isinstance(code, int) and not isinstance(code, bool) and 1000 <= code <= 9999:
        code = str(code)
    if not isinstance(code, str):
        if "industry_code" in d:
            p.append(f"{e.where()}: industry_code must be a quoted 4-digit GB/T 4754 class such as \"3985\" "
                     f"(YAML misreads unquoted numbers with a leading 0), got {code!r}")
    else:
        s = code.strip().upper()
        letter = ""
        if len(s) == 5 and s[0].isalpha():
            letter, s = s[0], s[1:]
        if s not in ref.industry:
            p.append(f"{e.where()}: industry_code {code!r} is not a GB/T 4754-2017 class (4 digits, e.g. \"3985\")")
        elif letter and ref.industry[s] != letter:
            p.append(f"{e.where()}: industry_code {code!r}: class {s} is in section {ref.industry[s]}, not {letter}")
        else:
            e.industry = s
    # texts
    lang = d.get("lang")
    for name in ("description", "seeks") + (("offers",) if e.kind == "org" else ()):
        v = d.get(name)
        if name in d and v is not None and not isinstance(v, str):
            p.append(f"{e.where()}: {name} must be text")
            continue
        text = e.text(name)
        if name == "description" and not text:
            p.append(f"{e.where()}: description is empty")
        if text and lang == "zh" and cjk_share(text) < 0.5:
            p.append(f"{e.where()}: lang is zh but {name} is mostly not Chinese")
        if text and lang == "en" and cjk_share(text) > 0.05:
            p.append(f"{e.where()}: lang is en but {name} contains Chinese text")
    # items
    for name in ("seek_items",) + (("offer_items",) if e.kind == "org" else ()):
        v = d.get(name)
        if v is None:
            v = []
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            p.append(f"{e.where()}: {name} must be a list of item ids, e.g. [IC-U3.photoresist]")
            d[name] = []
            continue
        d[name] = v
        dupes = sorted({x for x in v if v.count(x) > 1})
        if dupes:
            p.append(f"{e.where()}: {name} lists {', '.join(dupes)} more than once")
        for x in v:
            if x not in items:
                p.append(f"{e.where()}: unknown item id {x!r} in {name}{_suggest(x, items)}")
        text_field = "seeks" if name == "seek_items" else "offers"
        if e.text(text_field) and not v:
            p.append(f"{e.where()}: {text_field} has text but {name} is empty (tag what the text states)")
        if v and not e.text(text_field):
            p.append(f"{e.where()}: {name} is set but {text_field} is empty (the text must state every tagged item)")
    contact = d.get("contact")
    if contact is not None:
        if not isinstance(contact, dict):
            p.append(f"{e.where()}: contact must be a mapping {{name: ..., phone: ..., email: ...}}")
        else:
            for k in contact:
                if k not in CONTACT_FIELDS:
                    p.append(f"{e.where()}: contact has unknown field {k!r} (allowed: name, phone, email)")
            if not str(contact.get("name") or "").strip():
                p.append(f"{e.where()}: contact.name is required")
            phone, email = contact.get("phone"), contact.get("email")
            if not phone and not email:
                p.append(f"{e.where()}: contact needs a phone or an email")
            if phone and not _PHONE.match(str(phone)):
                p.append(f"{e.where()}: contact.phone {phone!r} should look like 0512-62881234, 021-58881234 "
                         "or 13912345678")
            if email and not _EMAIL.match(str(email)):
                p.append(f"{e.where()}: contact.email {email!r} must be fictional, on an example.cn / example.com "
                         "domain")


def _check_org(e: Entry, items: dict[str, Item], out: Checked, this_year: int) -> None:
    d, p = e.data, out.problems
    otype = d.get("org_type")
    if otype not in ORG_TYPES:
        p.append(f"{e.where()}: org_type must be one of {', '.join(ORG_TYPES)}, got {otype!r}")
    name = d.get("name")
    if not isinstance(name, str) or not name.strip():
        p.append(f"{e.where()}: name is empty")
    else:
        if d.get("lang") == "zh" and not _CJK.search(name):
            p.append(f"{e.where()}: lang is zh but the name has no Chinese characters")
        if d.get("lang") == "en" and _CJK.search(name):
            p.append(f"{e.where()}: lang is en: give the English (registered English) name without Chinese")
        hits = _brand_hits(name)
        if hits:
            p.append(f"{e.where()}: name {name!r} contains the brand of a real firm ({', '.join(hits)}); invent one")
    pts = d.get("partner_types")
    if not isinstance(pts, list) or not pts or not all(x in PARTNER_TYPES for x in pts):
        p.append(f"{e.where()}: partner_types must be a non-empty list of {', '.join(PARTNER_TYPES)}, got {pts!r}")
    elif len(set(pts)) != len(pts):
        p.append(f"{e.where()}: partner_types repeats a value")
    for fld, lo in (("revenue_wan", 0),):
        if fld in d and d[fld] is not None and ((_number(d[fld]) is None) or d[fld] < lo):
            p.append(f"{e.where()}: {fld} must be a number >= {lo}, got {d[fld]!r}")
    if d.get("employees") is not None and (not isinstance(d["employees"], int) or isinstance(d["employees"], bool)
                                           or d["employees"] < 0):
        p.append(f"{e.where()}: employees must be a whole number >= 0, got {d['employees']!r}")
    fy = d.get("founded_year")
    if fy is not None and (not isinstance(fy, int) or isinstance(fy, bool) or not 1800 <= fy <= this_year):
        p.append(f"{e.where()}: founded_year must be a 4-digit year not in the future, got {fy!r}")
    offers, seeks = e.items("offer_items"), e.items("seek_items")
    known = [x for x in offers if x in items]
    for x in known:
        if items[x].kind == "opportunity":
            p.append(f"{e.where()}: {x} is an investment opportunity: investors seek it, nobody offers it")
        if items[x].kind == "capital" and otype != "investor":
            p.append(f"{e.where()}: only investors offer capital ({x}); a firm raising money seeks it")
    for x in (x for x in seeks if x in items):
        if items[x].kind == "opportunity" and otype != "investor":
            p.append(f"{e.where()}: only investors seek {x}; a firm that wants investors seeks CAP-<CHAIN>")
    both = sorted(set(offers) & set(seeks))
    if both:
        out.warnings.append(f"{e.where()}: offers and seeks the same item(s): {', '.join(both)}")
    ticket = d.get("ticket_wan")
    if otype == "investor":
        if not any(items[x].kind == "capital" for x in known):
            p.append(f"{e.where()}: an investor must offer at least one CAP-<CHAIN> item")
        if (not isinstance(ticket, list) or len(ticket) != 2 or any(_number(t) is None for t in ticket)
                or not 0 < ticket[0] <= ticket[1]):
            p.append(f"{e.where()}: an investor needs ticket_wan: [min, max] in 10k CNY, 0 < min <= max, "
                     f"got {ticket!r}")
        caps = {items[x].chain for x in known if items[x].kind == "capital"}
        opps = {items[x].chain for x in seeks if x in items and items[x].kind == "opportunity"}
        if opps - caps:
            out.warnings.append(f"{e.where()}: seeks OPP-{'/'.join(sorted(opps - caps))} but offers no matching "
                                "CAP item")
    elif ticket is not None:
        p.append(f"{e.where()}: ticket_wan is for investors only")


def _check_project(e: Entry, items: dict[str, Item], out: Checked) -> None:
    d, p = e.data, out.problems
    title = d.get("title")
    if not isinstance(title, str) or not title.strip():
        p.append(f"{e.where()}: title is empty")
    elif d.get("lang") == "zh" and not _CJK.search(title):
        p.append(f"{e.where()}: lang is zh but the title has no Chinese characters")
    elif d.get("lang") == "en" and _CJK.search(title):
        p.append(f"{e.where()}: lang is en but the title contains Chinese")
    if d.get("stage") not in STAGES:
        p.append(f"{e.where()}: stage must be one of {', '.join(STAGES)}, got {d.get('stage')!r}")
    chain = d.get("chain")
    if chain not in CHAINS:
        p.append(f"{e.where()}: chain must be one of {', '.join(CHAINS)}, got {chain!r}")
    inv = d.get("investment_wan")
    if _number(inv) is None or inv <= 0:
        p.append(f"{e.where()}: investment_wan must be a number > 0 (10k CNY), got {inv!r}")
    seeks = e.items("seek_items")
    if not seeks:
        p.append(f"{e.where()}: a project must seek something (seeks text and seek_items)")
    for x in (x for x in seeks if x in items):
        it = items[x]
        if it.kind == "opportunity":
            p.append(f"{e.where()}: a project cannot seek {x}; to raise money seek CAP-{chain}")
        if it.kind == "capital" and chain in CHAINS and it.chain != chain:
            p.append(f"{e.where()}: {chain} projects raise money with CAP-{chain}, not {x}")


def validate(entries: list[Entry], ref: Reference, items: dict[str, Item]) -> Checked:
    out = Checked()
    this_year = dt.date.today().year
    by_key: dict[str, Entry] = {}
    for e in entries:
        if e.key and e.key in by_key:
            out.problems.append(f"{e.where()}: duplicate key (also {by_key[e.key].where()})")
        elif e.key:
            by_key[e.key] = e
        _check_common(e, ref, items, out)
        if e.kind == "org":
            _check_org(e, items, out, this_year)
            out.orgs.append(e)
        else:
            _check_project(e, items, out)
            out.projects.append(e)
    names: dict[str, Entry] = {}
    for e in out.orgs:
        n = fold(e.data.get("name"))
        if n and n in names:
            out.problems.append(f"{e.where()}: same name as {names[n].where()}")
        names.setdefault(n, e)
    org_keys = {e.key: e for e in out.orgs}
    for e in out.projects:
        sp = e.data.get("sponsor")
        if sp is not None and sp not in org_keys:
            hint = " (that key is a project)" if sp in by_key else _suggest(str(sp), org_keys)
            out.problems.append(f"{e.where()}: sponsor {sp!r} is not an organisation key of this set{hint}")
    for e in out.orgs:  # a site item names a city: offering it from elsewhere is possible (co-built parks) but rare
        for x in e.items("offer_items"):
            m = re.match(r"SITE-(SH|SZ|NT)-", x)
            if m and e.data.get("city") in CITIES and CITY_ABBR[e.data["city"]] != m.group(1):
                out.warnings.append(f"{e.where()}: offers {x} but is located in {e.data['city']}")
    return out


# ------------------------------------------------------------------------------------------------- ids


def _body(seed: str, modern: bool) -> str:
    n = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big")
    if modern:  # post-2015 registrations: MA + digit + 5 characters (e.g. MA1MC3H4)
        chars = [credit_code.ALPHABET[1 + n % 9]]
        n //= 9
        for _ in range(5):
            chars.append(credit_code.ALPHABET[n % 31])
            n //= 31
        return "MA" + "".join(chars)
    return f"{n % 10**8:08d}"


def assign_ids(checked: Checked, set_name: str) -> None:
    used: set[str] = set()
    for e in sorted(checked.orgs, key=lambda x: x.key):
        otype = e.data["org_type"]
        prefix = "12" if otype in ("university", "institute") else "91"
        modern = prefix == "91" and (e.data.get("founded_year") or 0) >= 2016
        n = 0
        while True:
            code = credit_code.make(e.district.uscc_region, _body(f"{set_name}:{e.key}:{n}", modern), prefix)
            if code not in used:
                break
            n += 1
        used.add(code)
        e.id = code
    start = PROJECT_NUMBER_START[set_name]
    for city in CITIES:
        in_city = sorted((e for e in checked.projects if e.data["city"] == city), key=lambda x: x.key)
        for i, e in enumerate(in_city):
            e.id = f"P-{CITY_ABBR[city]}-{start + i:04d}"


# ---------------------------------------------------------------------------------------------- labels


@dataclass
class Label:
    query: Entry
    candidate: Entry
    items: set[str] = field(default_factory=set)
    relations: set[str] = field(default_factory=set)
    grade: int = 0


def _in_ticket(inv: float, ticket: list) -> bool:
    return float(ticket[0]) <= float(inv) <= float(ticket[1])


def derive_labels(checked: Checked, items: dict[str, Item]) -> list[Label]:
    offered: dict[str, list[Entry]] = collections.defaultdict(list)
    for o in checked.orgs:
        for x in o.items("offer_items"):
            offered[x].append(o)
    queries = [o for o in checked.orgs if o.items("seek_items")] + checked.projects
    out: list[Label] = []
    for q in queries:
        found: dict[str, Label] = {}

        def add(cand: Entry, item: str, relation: str, grade: int, q=q, found=found) -> None:
            lab = found.setdefault(cand.key, Label(q, cand))
            lab.items.add(item)
            lab.relations.add(relation)
            lab.grade = max(lab.grade, grade)

        sponsor = q.data.get("sponsor") if q.kind == "project" else None
        for x in q.items("seek_items"):
            it = items[x]
            if it.kind == "opportunity":
                for p in checked.projects:
                    if (p.data["chain"] == it.chain and f"CAP-{it.chain}" in p.items("seek_items")
                            and p.data.get("sponsor") != q.key):
                        grade = 2 if _in_ticket(p.data["investment_wan"], q.data["ticket_wan"]) else 1
                        add(p, x, it.relation, grade)
                continue
            for o in offered.get(x, []):
                if o.key == q.key or o.key == sponsor:
                    continue
                grade = 2
                if it.kind == "capital" and q.kind == "project":
                    grade = 2 if _in_ticket(q.data["investment_wan"], o.data["ticket_wan"]) else 1
                add(o, x, it.relation, grade)
        out.extend(found.values())
    out.sort(key=lambda lab: (lab.query.kind, lab.query.id, lab.candidate.kind, lab.candidate.id))
    return out


# ---------------------------------------------------------------------------------------------- writers


def _fmt_num(v: object) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _write_csv(path: Path, header: list[str], rows: list[list[str]], encoding: str, newline: str) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=newline)
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


ORG_HEADER_EN = ["credit_code", "name", "org_type", "city", "district", "industry_code", "description", "offers",
                 "seeks", "partner_types", "revenue_wan", "employees", "founded_year", "contact_name",
                 "contact_phone", "contact_email"]
ORG_HEADER_ZH = ["统一社会信用代码", "名称", "机构类型", "城市", "区县", "行业代码", "简介", "能力与产品", "合作需求",
                 "合作类型", "营业收入(万元)", "员工人数", "成立年份", "联系人", "联系电话", "邮箱"]
PROJECT_HEADER = ["project_id", "title", "sponsor_credit_code", "city", "district", "industry_code", "description",
                  "seeks", "investment_wan", "stage", "contact_name", "contact_phone", "contact_email"]
LABEL_HEADER = ["query_kind", "query_id", "query_key", "query_lang", "candidate_kind", "candidate_id",
                "candidate_key", "candidate_lang", "relation", "item_id", "grade"]
ENTITY_HEADER = ["kind", "id", "key", "lang", "org_type", "city", "district", "industry_code", "chain", "sponsor_id",
                 "investment_wan", "ticket_wan", "offer_items", "seek_items", "source_file"]


def _contact(e: Entry) -> list[str]:
    c = e.data.get("contact") or {}
    return [str(c.get(k) or "") for k in CONTACT_FIELDS]


def _org_row(e: Entry, ref: Reference, zh: bool) -> list[str]:
    d = e.data
    code = ref.industry[e.industry] + e.industry
    return [e.id, clean_text(d["name"]), ORG_TYPE_ZH[d["org_type"]] if zh else d["org_type"],
            CITY_ZH[d["city"]] if zh else d["city"], e.district.name_zh if zh else e.district.name_en, code,
            e.text("description"), e.text("offers"), e.text("seeks"), ";".join(d["partner_types"]),
            _fmt_num(d.get("revenue_wan")), _fmt_num(d.get("employees")), _fmt_num(d.get("founded_year")),
            *_contact(e)]


def _write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "projects"
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    for col, width in zip("ABCDEFGHIJKLM", (12, 36, 22, 10, 16, 10, 60, 60, 14, 10, 10, 16, 26), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    wb.properties.creator = "hst-alliance build_demo"
    raw = io.BytesIO()
    wb.save(raw)
    # openpyxl stamps the current time into docProps/core.xml and the zip entries: pin both
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                              lambda m: m.group(1) + FIXED_CORE_TIME + m.group(3), text)
                data = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zout.writestr(zi, data)
    path.write_bytes(out.getvalue())


def write_outputs(out_dir: Path, checked: Checked, labels: list[Label], ref: Reference,
                  items: dict[str, Item]) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    orgs = sorted(checked.orgs, key=lambda e: e.key)
    projects = sorted(checked.projects, key=lambda e: e.id)
    by_key = {e.key: e for e in orgs}
    paths = [out_dir / n for n in ("organisations_zh.csv", "organisations_en.csv", "projects.xlsx", "labels.csv",
                                   "entities.csv")]
    _write_csv(paths[0], ORG_HEADER_ZH, [_org_row(e, ref, True) for e in orgs if e.data["lang"] == "zh"],
               "gb18030", "\r\n")
    _write_csv(paths[1], ORG_HEADER_EN, [_org_row(e, ref, False) for e in orgs if e.data["lang"] == "en"],
               "utf-8-sig", "\r\n")
    prow = []
    for e in projects:
        d, zh = e.data, e.data["lang"] == "zh"
        sponsor = by_key[d["sponsor"]].id if d.get("sponsor") else None
        inv = d["investment_wan"]
        prow.append([e.id, clean_text(d["title"]), sponsor, CITY_ZH[d["city"]] if zh else d["city"],
                     e.district.name_zh if zh else e.district.name_en, ref.industry[e.industry] + e.industry,
                     e.text("description"), e.text("seeks"), int(inv) if float(inv).is_integer() else float(inv),
                     STAGE_ZH[d["stage"]] if zh else d["stage"], *(x or None for x in _contact(e))])
    _write_xlsx(paths[2], PROJECT_HEADER, prow)
    lrows = []
    for lab in labels:
        q, c = lab.query, lab.candidate
        lrows.append([q.kind, q.id, q.key, q.data["lang"], c.kind, c.id, c.key, c.data["lang"],
                      ";".join(r for r in RELATION_ORDER if r in lab.relations), ";".join(sorted(lab.items)),
                      str(lab.grade)])
    _write_csv(paths[3], LABEL_HEADER, lrows, "utf-8", "\n")
    erows = []
    for e in orgs + projects:
        d = e.data
        ticket = d.get("ticket_wan")
        erows.append([e.kind, e.id, e.key, d["lang"], d.get("org_type", ""), d["city"], e.district.name_zh,
                      e.industry, entity_chain(e, items),
                      by_key[d["sponsor"]].id if e.kind == "project" and d.get("sponsor") else "",
                      _fmt_num(d.get("investment_wan")), f"{_fmt_num(ticket[0])}-{_fmt_num(ticket[1])}" if ticket else "",
                      ";".join(e.items("offer_items")), ";".join(e.items("seek_items")), e.file])
    _write_csv(paths[4], ENTITY_HEADER, erows, "utf-8", "\n")
    return paths



def entity_chain(e: Entry, items: dict[str, Item]) -> str:
    """A project's chain; an organisation's primary chain: the most frequent chain among its offer items,
    else among its seek items (ties: the order of CHAINS)."""
    if e.kind == "project":
        return e.data.get("chain", "")
    for name in ("offer_items", "seek_items"):
        counts = collections.Counter(items[x].chain for x in e.items(name) if x in items and items[x].chain)
        if counts:
            best = max(counts.values())
            return next(c for c in CHAINS if counts.get(c) == best)
    return ""


# ---------------------------------------------------------------------------------------------- report


def _verbatim(e: Entry, items: dict[str, Item]) -> tuple[int, int]:
    """(items whose catalog name appears verbatim in the seeks text, items sought)."""
    text = fold(e.text("seeks"))
    hit = 0
    for x in e.items("seek_items"):
        it = items[x]
        names = {it.name_zh, it.name_en, re.sub(r"\s*[（(].*[)）]", "", it.name_zh),
                 re.sub(r"\s*[（(].*[)）]", "", it.name_en)}
        if any(len(fold(n)) >= 3 and fold(n) in text for n in names):
            hit += 1
    return hit, len(e.items("seek_items"))


def report(checked: Checked, labels: list[Label], items: dict[str, Item], set_name: str, source: Path) -> str:
    L: list[str] = []
    orgs, projects = checked.orgs, checked.projects
    everyone = orgs + projects
    n_zh = sum(e.data["lang"] == "zh" for e in everyone)
    L.append(f"== {set_name} set ({_rel(source)}) ==")
    L.append(f"organisations {len(orgs)} (zh {sum(e.data['lang'] == 'zh' for e in orgs)} / "
             f"en {sum(e.data['lang'] == 'en' for e in orgs)}), projects {len(projects)} "
             f"(zh {sum(e.data['lang'] == 'zh' for e in projects)} / en {sum(e.data['lang'] == 'en' for e in projects)})"
             f"; zh share {100 * n_zh / max(1, len(everyone)):.1f} % (target ~60 %)")
    types = collections.Counter(e.data["org_type"] for e in orgs)
    L.append("org types: " + ", ".join(f"{t} {types.get(t, 0)}" for t in ORG_TYPES))
    L.append("")
    L.append("per chain (org = its primary chain)   orgs: SH  SZ  NT | zh  en    projects: SH SZ NT | zh en")
    for ch in (*CHAINS, ""):
        o = [e for e in orgs if entity_chain(e, items) == ch]
        p = [e for e in projects if e.data["chain"] == ch]
        if not o and not p and ch == "":
            continue

        def cnt(es, city=None, lang=None):
            return sum((city is None or e.data["city"] == city) and (lang is None or e.data["lang"] == lang)
                       for e in es)
        L.append(f"  {ch or '(none)':<6} orgs {len(o):>4}: {cnt(o, 'Shanghai'):>3} {cnt(o, 'Suzhou'):>3} "
                 f"{cnt(o, 'Nantong'):>3} | {cnt(o, lang='zh'):>3} {cnt(o, lang='en'):>3}    projects {len(p):>3}: "
                 f"{cnt(p, 'Shanghai'):>2} {cnt(p, 'Suzhou'):>2} {cnt(p, 'Nantong'):>2} | {cnt(p, lang='zh'):>2} "
                 f"{cnt(p, lang='en'):>2}")
        if len(o) >= 10:
            missing = [c for c in CITIES if not cnt(o, c)]
            if missing:
                checked.warnings.append(f"chain {ch}: no organisation in {', '.join(missing)}")
    city_tot = collections.Counter(e.data["city"] for e in everyone)
    L.append("per city (orgs + projects): " + ", ".join(f"{c} {city_tot.get(c, 0)}" for c in CITIES))
    L.append("")
    queries = [o for o in orgs if o.items("seek_items")] + projects
    labelled = {lab.query.key for lab in labels}
    grades = collections.Counter(lab.grade for lab in labels)
    rels = collections.Counter(r for lab in labels for r in lab.relations)
    L.append(f"queries {len(queries)} (orgs seeking {len(queries) - len(projects)}, projects {len(projects)}); "
             f"labelled {len(labelled)}; label rows {len(labels)} (grade 2: {grades.get(2, 0)}, "
             f"grade 1: {grades.get(1, 0)})")
    L.append("  by relation: " + ", ".join(f"{r} {rels.get(r, 0)}" for r in RELATION_ORDER))
    pairs = collections.defaultdict(set)
    rows = collections.Counter()
    for lab in labels:
        pr = f"{lab.query.data['lang']}→{lab.candidate.data['lang']}"
        pairs[pr].add(lab.query.key)
        rows[pr] += 1
    L.append("  language pairs (labelled queries / rows): " + ", ".join(
        f"{p} {len(pairs.get(p, ()))}/{rows.get(p, 0)}" for p in ("zh→zh", "en→en", "zh→en", "en→zh")))
    unanswered = [q for q in queries if q.key not in labelled]
    if unanswered:
        L.append(f"  queries with no label at all ({len(unanswered)}): "
                 + ", ".join(q.id + " " + q.key for q in sorted(unanswered, key=lambda e: e.key)))
    offered = {x for o in orgs for x in o.items("offer_items")}
    capital_projects = {p.data["chain"] for p in projects if f"CAP-{p.data['chain']}" in p.items("seek_items")}
    gaps: dict[str, list[str]] = collections.defaultdict(list)
    for q in queries:
        for x in q.items("seek_items"):
            it = items[x]
            answered = (it.chain in capital_projects) if it.kind == "opportunity" else x in offered
            if not answered:
                gaps[x].append(q.key)
    L.append("")
    if gaps:
        L.append(f"items sought that nobody offers ({len(gaps)}): writers, fill these gaps")
        for x in sorted(gaps):
            L.append(f"  {x:<34} {items[x].name_zh} / {items[x].name_en}  <- {', '.join(sorted(gaps[x]))}")
    else:
        L.append("items sought that nobody offers: none")
    L.append("")
    L.append("catalog use per chain (items offered / sought / in catalog):")
    sought = {x for q in queries for x in q.items("seek_items")}
    parts = []
    for ch in CHAINS:
        ids = [x for x, it in items.items() if it.chain == ch]
        parts.append(f"{ch} {sum(x in offered for x in ids)}/{sum(x in sought for x in ids)}/{len(ids)}")
    L.append("  " + ", ".join(parts))
    per_file = collections.defaultdict(lambda: [0, 0])
    for q in queries:
        h, n = _verbatim(q, items)
        per_file[q.file][0] += h
        per_file[q.file][1] += n
    if per_file:
        L.append("seek items named verbatim in the seeks text (keep well under 50 %): " + ", ".join(
            f"{Path(f).name} {100 * h / max(1, n):.0f} % of {n}" for f, (h, n) in sorted(per_file.items())))
        for f, (h, n) in sorted(per_file.items()):
            if n >= 10 and h / n > 0.5:
                checked.warnings.append(f"{f}: {100 * h / n:.0f} % of sought items are named verbatim; "
                                        "use aliases, jargon or a description of the use")
    if checked.warnings:
        L.append("")
        L.append(f"warnings ({len(checked.warnings)}):")
        L.extend(f"  {w}" for w in checked.warnings)
    return "\n".join(L)


# ------------------------------------------------------------------------------------------------ main


def list_items(items: dict[str, Item], chain: str) -> str:
    rows = [it for it in items.values() if it.chain == chain.upper() or (chain.upper() == "SITE" and it.kind == "site")]
    if not rows:
        return f"no items for {chain!r}; chains: {', '.join(CHAINS)} (or SITE)"
    out = []
    for it in rows:
        out.append(f"{it.item_id:<36} {it.kind:<12} {it.name_zh} / {it.name_en}")
        out.append(f"{'':<36} aliases: {'; '.join(it.aliases_zh)} | {'; '.join(it.aliases_en)}")
        if it.notes:
            out.append(f"{'':<36} note: {it.notes}")
    return "\n".join(out)


def build(set_name: str = "dev", out_dir: Path | None = None, source_dir: Path | None = None,
          check_only: bool = False, stream=None) -> int:
    stream = stream or sys.stdout
    src_default, out_default = SETS[set_name]
    source_dir = source_dir or src_default
    out_dir = out_dir or out_default
    ref = load_reference()
    items, problems = load_catalog(ref)
    entries, load_problems = load_sources(source_dir)
    problems += load_problems
    checked = validate(entries, ref, items)
    problems += checked.problems
    if problems:
        print(f"{len(problems)} problem(s); nothing written:", file=stream)
        for p in problems:
            print(f"  {p}", file=stream)
        return 1
    assign_ids(checked, set_name)
    labels = derive_labels(checked, items)
    text = report(checked, labels, items, set_name, source_dir)
    if not check_only:
        paths = write_outputs(out_dir, checked, labels, ref, items)
        text += "\n\nwrote " + ", ".join(_rel(p) for p in paths)
    print(text, file=stream)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=sorted(SETS), default="dev", help="which set to build (default dev)")
    ap.add_argument("--out", type=Path, help="output directory (default: data/demo or data/eval/heldout)")
    ap.add_argument("--source", type=Path, help="source directory (default: the set's source/ folder)")
    ap.add_argument("--check", action="store_true", help="validate and report only; write nothing")
    ap.add_argument("--items", metavar="CHAIN", help="list the catalog items of a chain (IC, BIO, …, or SITE)")
    args = ap.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    if args.items:
        items, _ = load_catalog(load_reference())
        print(list_items(items, args.items))
        return 0
    return build(args.set, args.out, args.source, args.check)


if __name__ == "__main__":
    sys.exit(main())
