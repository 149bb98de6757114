"""The profile upload contract: columns, their Chinese headers, the spellings users write them in, the
allowed values of enumerated columns, which fields are private, and the key of each kind.

Pure data and small lookups; checking values is ``validate``. The contract is ``docs/profiles.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..reference import fold, read_reference

__all__ = [
    "Column",
    "ORGANISATION_COLUMNS",
    "PROJECT_COLUMNS",
    "COLUMNS",
    "KINDS",
    "KEY",
    "PROFILE_FIELDS",
    "PRIVATE_FIELDS",
    "ORG_TYPES",
    "PARTNER_TYPES",
    "STAGES",
    "ENUMS",
    "ENUM_LOOKUP",
    "enum_name",
    "header_index",
    "match_header",
    "known_header",
    "own_name",
    "split_unit",
    "UNITS",
    "STORED_COLUMNS",
    "label",
]

KINDS = ("organisations", "projects")
#: The column that identifies a profile of each kind (a second upload with the same key updates it).
KEY = {"organisations": "credit_code", "projects": "project_id"}


@dataclass(frozen=True)
class Column:
    """One column of the contract. Its header spellings beyond ``name`` and ``zh`` are in
    ``data/reference/profile_headers.csv``; ``unit`` is the unit amounts are stored in."""

    name: str
    zh: str
    required: bool = False
    kind: str = "text"  # a key of validate.VALIDATORS
    max_len: int = 500
    private: bool = False
    default: str | None = None  # given to a new profile when the file has no such column
    unit: str = ""
    stored: bool = True  # False: read and checked (a hint), kept with the profile's extra data
    read_from: tuple[str, ...] = ()  # a required column may be read from these instead (city from an address)


_TEXT_MAX = 20_000

ORGANISATION_COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "统一社会信用代码", True, "code", 18),
    Column("name", "名称", True, "text", 200),
    Column("org_type", "机构类型", False, "org_type", 100, default="enterprise"),
    Column("city", "城市", True, "city", 200, read_from=("district", "address")),
    Column("district", "区县", False, "district", 200),
    Column("industry_code", "行业代码", False, "industry", 200),
    Column("description", "简介", False, "long_text", _TEXT_MAX),
    Column("offers", "能力与产品", False, "long_text", _TEXT_MAX),
    Column("seeks", "合作需求", False, "long_text", _TEXT_MAX),
    Column("partner_types", "合作类型", False, "list", 200),
    Column("revenue_wan", "营业收入(万元)", False, "number", 40, private=True, unit="万元"),
    Column("employees", "员工人数", False, "int", 20),
    Column("founded_year", "成立年份", False, "year", 40),
    Column("contact_name", "联系人", False, "text", 100, private=True),
    Column("contact_phone", "联系电话", False, "phone", 50, private=True),
    Column("contact_email", "邮箱", False, "email", 200, private=True),
    Column("address", "地址", False, "address", 300),
    Column("business_scope", "经营范围", False, "long_text", _TEXT_MAX),
    Column("province", "省份", False, "province", 50, stored=False),
)

PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("project_id", "项目编号", True, "text", 64),
    Column("title", "项目名称", True, "text", 200),
    Column("sponsor_credit_code", "发起单位信用代码", False, "code", 18),
    Column("city", "城市", True, "city", 200, read_from=("district", "address")),
    Column("district", "区县", False, "district", 200),
    Column("industry_code", "行业代码", False, "industry", 200),
    Column("description", "项目简介", False, "long_text", _TEXT_MAX),
    Column("seeks", "合作需求", False, "long_text", _TEXT_MAX),
    Column("investment_wan", "投资额(万元)", False, "number", 40, unit="万元"),
    Column("stage", "阶段", False, "enum", 50),
    Column("contact_name", "联系人", False, "text", 100, private=True),
    Column("contact_phone", "联系电话", False, "phone", 50, private=True),
    Column("contact_email", "邮箱", False, "email", 200, private=True),
    Column("address", "地址", False, "address", 300),
    Column("province", "省份", False, "province", 50, stored=False),
)

COLUMNS = {"organisations": ORGANISATION_COLUMNS, "projects": PROJECT_COLUMNS}
#: The columns the store keeps, per kind (a hint column such as ``province`` is kept in ``extra``).
STORED_COLUMNS = {k: tuple(c for c in cols if c.stored) for k, cols in COLUMNS.items()}
PROFILE_FIELDS = {k: tuple(c.name for c in cols) for k, cols in STORED_COLUMNS.items()}
PRIVATE_FIELDS = frozenset(c.name for cols in COLUMNS.values() for c in cols if c.private)

# canonical value → spellings (folded on lookup)
ORG_TYPES = {
    "enterprise": ("企业", "公司", "company", "firm", "business", "corporate", "enterprises"),
    "university": ("高校", "大学", "学院", "高等院校", "univ", "college", "universities"),
    "institute": ("科研院所", "研究院", "研究所", "科研机构", "研究机构", "新型研发机构", "research institute",
                  "institution", "lab", "laboratory", "r&d institute", "institutes"),
    "investor": ("投资机构", "投资方", "基金", "创投", "风投", "产业基金", "vc", "pe", "fund", "investment firm",
                 "venture capital", "investors"),
}
PARTNER_TYPES = {
    "supplier": ("供应商", "供应", "供货商", "suppliers", "vendor"),
    "customer": ("客户", "采购方", "买方", "customers", "buyer"),
    "rd_partner": ("研发合作", "研发伙伴", "技术合作", "产学研", "r&d", "r&d partner", "rd partner", "research partner",
                   "研发合作伙伴"),
    "production_base": ("生产基地", "生产合作", "代工", "落地", "production base", "production", "manufacturing base",
                        "contract manufacturing"),
    "investor": ("投资方", "投资人", "投资", "资金", "investors", "capital"),
    "investee": ("被投资", "被投企业", "投资标的", "融资方", "investees", "investment target"),
}
STAGES = {
    "idea": ("构想", "概念", "设想", "concept", "ideation"),
    "rd": ("研发", "研发阶段", "r&d", "research", "development"),
    "pilot": ("中试", "试产", "小试", "pilot production", "pilot plant", "trial production"),
    "expansion": ("扩产", "量产", "扩建", "产业化", "scale-up", "scale up", "mass production", "expand"),
}
ENUMS = {"org_type": ORG_TYPES, "partner_types": PARTNER_TYPES, "stage": STAGES}
# The English name of each enumerated value for people (its Chinese name is its first spelling above).
_ENUM_NAMES_EN = {
    "org_type": {"enterprise": "enterprise", "university": "university", "institute": "research institute",
                 "investor": "investor"},
    "partner_types": {"supplier": "supplier", "customer": "customer", "rd_partner": "R&D partner",
                      "production_base": "production base", "investor": "investor", "investee": "investee"},
    "stage": {"idea": "idea", "rd": "R&D", "pilot": "pilot", "expansion": "expansion"},
}


def enum_name(column: str, value: str, lang: str) -> str:
    """The name of a stored enumerated value (``org_type``, ``partner_types``, ``stage``) for people in
    ``lang``: ``enterprise`` → 企业 / enterprise. A value the contract does not know is returned as is."""
    table = ENUMS.get(column, {})
    if value not in table:
        return value
    return table[value][0] if lang == "zh" else _ENUM_NAMES_EN[column].get(value, value)


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out = {}
    for canon, spellings in table.items():
        for s in (canon, *spellings):
            out[fold(s)] = canon
    return out


ENUM_LOOKUP = {name: _lookup(table) for name, table in ENUMS.items()}


# A unit written into a header, in brackets or after a slash: 营业收入（元）, revenue (10k CNY), 人数/人
_UNIT_IN_HEADER = re.compile(
    r"\s*(?:[(（\[【]\s*(?:单位\s*[:：]\s*)?(?P<a>[^()（）\[\]【】]{1,16}?)\s*[)）\]】]|[/／]\s*(?P<b>[^/／]{1,6}))\s*$")
UNITS = {"万元": ("万元", "万", "万元人民币", "人民币万元", "10kcny", "10000cny", "10,000cny", "wan", "10krmb", "tenthousandcny",
                 "cny10k", "rmb10k", "万人民币"),
         "元": ("元", "人民币", "人民币元", "cny", "rmb", "yuan", "rmbyuan"),
         "千元": ("千元",), "亿元": ("亿元", "亿", "亿人民币", "100mcny"),
         "人": ("人", "名", "个", "persons", "people", "staff", "employees"),
         "USD": ("usd", "美元", "us$", "usdollar", "dollars")}
_UNIT_OF = {fold(s): unit for unit, spellings in UNITS.items() for s in spellings}


def split_unit(header: str) -> tuple[str, str]:
    """(the header without a unit written into it, that unit or '') — ``营业收入（元）`` → (营业收入, 元)."""
    m = _UNIT_IN_HEADER.search(header)
    if m:
        unit = _UNIT_OF.get(fold(m.group("a") or m.group("b") or ""))
        if unit:
            return header[: m.start()], unit
    return header, ""


def _keys(header: str) -> list[str]:
    """The comparison keys of a header: folded, and folded without underscores (credit_code = creditcode)."""
    return list(dict.fromkeys((fold(header), fold(header.replace("_", " ")), fold(header.replace("_", "")))))


@cache
def _header_table() -> dict[str, list[tuple[str, str, str]]]:
    """kind → (column, header, unit) of every spelling: the contract's own names, then the data table."""
    out: dict[str, list[tuple[str, str, str]]] = {k: [] for k in KINDS}
    for kind, cols in COLUMNS.items():
        for col in cols:
            for h in (col.name, col.zh):
                out[kind].append((col.name, h, ""))
    for row in read_reference("profile_headers.csv"):
        kinds = KINDS if row["kind"] == "both" else (row["kind"],)
        for kind in kinds:
            out[kind].append((row["column"], row["header"], row["unit"]))
    return out


@cache
def header_index(kind: str) -> dict[str, str]:
    """Folded header spelling (its unit taken off) → canonical column name, for one kind."""
    out: dict[str, str] = {}
    for column, header, _ in _header_table()[kind]:
        for key in _keys(split_unit(header)[0]):
            out.setdefault(key, column)
    return out


@cache
def _header_units(kind: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, header, unit in _header_table()[kind]:
        if unit:
            for key in _keys(split_unit(header)[0]):
                out.setdefault(key, unit)
    return out


_NUMBERING = re.compile(r"^\s*(?:[qQ]?\d{1,3}|[一二三四五六七八九十]{1,3})\s*[、.．:：)）]\s*|^\s*[*＊]+|[*＊]+\s*$")
_BRACKETED = re.compile(r"^(?P<out>[^(（\[【]+?)\s*[(（\[【](?P<in>[^)）\]】]+)[)）\]】]\s*$")


def _header_forms(header: str) -> list[str]:
    """A header as written, then without a question number or a required-field star (问卷星's
    ``1、企业名称``, ``*企业名称``), then each language of a bilingual one (``企业名称（Company Name）``,
    ``企业名称 Company Name``)."""
    forms = [header]
    bare = _NUMBERING.sub("", _NUMBERING.sub("", header)).strip()
    forms.append(bare)
    m = _BRACKETED.match(bare)
    if m:
        forms += [m.group("out"), m.group("in")]
    mixed = re.match(r"^(?P<zh>[^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]*?)\s*[/|]?\s*(?P<en>[A-Za-z][A-Za-z /&.()-]*)$", bare)
    if mixed:
        forms += [mixed.group("zh"), mixed.group("en")]
    return list(dict.fromkeys(f.strip() for f in forms if f.strip()))


def match_header(header: str, kind: str) -> tuple[str | None, str]:
    """(the contract column a header means for ``kind`` or None, the unit its values are in: the one
    written into the header, else the one this spelling implies, else '')."""
    index = header_index(kind)
    for form in _header_forms(header):
        bare, unit = split_unit(form)
        for key in _keys(bare):
            if key in index:
                return index[key], unit or _header_units(kind).get(key, "")
    return None, ""


@cache
def known_header(header: str) -> bool:
    """The header names a contract column of either kind (to find the header row among title rows)."""
    return any(match_header(header, kind)[0] is not None for kind in KINDS)


def own_name(header: str, kind: str) -> bool:
    """The header is one of the contract's own names of its column (``title``, ``项目名称``), not an alias."""
    column, _ = match_header(header, kind)
    bare = split_unit(header)[0]
    return any(c.name == column and set(_keys(bare)) & set(_keys(c.name) + _keys(split_unit(c.zh)[0]))
               for c in COLUMNS[kind])


def label(kind: str, column: str, lang: str) -> str:
    """The column's header as the user wrote it: English name or Chinese header."""
    for col in COLUMNS[kind]:
        if col.name == column:
            return col.zh if lang == "zh" else col.name
    return column
