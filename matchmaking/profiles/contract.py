"""The profile upload contract: columns, their Chinese headers, the spellings users write them in, the
allowed values of enumerated columns, which fields are private, and the key of each kind.

Pure data and small lookups; checking values is ``validate``. The contract is ``docs/profiles.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ..reference import fold

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
    "header_index",
    "label",
]

KINDS = ("organisations", "projects")
#: The column that identifies a profile of each kind (a second upload with the same key updates it).
KEY = {"organisations": "credit_code", "projects": "project_id"}


@dataclass(frozen=True)
class Column:
    name: str
    zh: str
    required: bool = False
    kind: str = "text"  # text | long_text | code | city | district | industry | enum | list | number | int | year | email | phone
    max_len: int = 500
    aliases: tuple[str, ...] = ()
    private: bool = False
    default: str | None = None  # given to a new profile when the file has no such column


_TEXT_MAX = 20_000

ORGANISATION_COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "统一社会信用代码", True, "code", 18,
           ("信用代码", "社会信用代码", "统一信用代码", "uscc", "unified social credit code", "credit code",
            "social credit code", "统一社会信用代码证")),
    Column("name", "名称", True, "text", 200,
           ("企业名称", "单位名称", "机构名称", "公司名称", "organisation", "organization", "company", "company name",
            "organisation name", "organization name")),
    Column("org_type", "机构类型", False, "enum", 50, ("类型", "单位类型", "主体类型", "type", "organisation type",
                                                    "organization type", "entity type"), default="enterprise"),
    Column("city", "城市", True, "city", 50, ("所在城市", "所在地", "城市名称", "city name", "location")),
    Column("district", "区县", False, "district", 100, ("区", "区域", "所在区县", "区/县", "区县市", "county",
                                                        "district/county")),
    Column("industry_code", "行业代码", False, "industry", 10, ("国民经济行业代码", "行业分类代码", "行业", "gbt4754",
                                                            "gb/t 4754", "industry", "industry classification")),
    Column("description", "简介", False, "long_text", _TEXT_MAX, ("企业简介", "机构简介", "单位简介", "介绍", "about",
                                                               "profile", "company profile", "overview")),
    Column("offers", "能力与产品", False, "long_text", _TEXT_MAX, ("产品与能力", "能力", "主要产品", "产品与服务", "供给",
                                                               "可提供", "offer", "offering", "offerings",
                                                               "capabilities", "products", "products and services",
                                                               "what we offer")),
    Column("seeks", "合作需求", False, "long_text", _TEXT_MAX, ("需求", "需求描述", "采购需求", "寻求", "seek",
                                                            "needs", "need", "requirements", "looking for",
                                                            "what we seek", "demand")),
    Column("partner_types", "合作类型", False, "list", 200, ("合作方式", "合作伙伴类型", "partner type", "partnership types",
                                                          "partnership type", "cooperation type")),
    Column("revenue_wan", "营业收入(万元)", False, "number", 40, ("营业收入", "营收(万元)", "营收", "年营业收入(万元)",
                                                              "revenue", "revenue (10k cny)", "annual revenue",
                                                              "revenue(wan)", "revenue_10k_cny"), private=True),
    Column("employees", "员工人数", False, "int", 20, ("员工数", "职工人数", "从业人数", "人数", "staff", "headcount",
                                                    "employee count", "number of employees")),
    Column("founded_year", "成立年份", False, "year", 20, ("成立时间", "成立年度", "成立日期", "founded", "year founded",
                                                        "established", "founding year")),
    Column("contact_name", "联系人", False, "text", 100, ("联系人姓名", "contact", "contact person"), private=True),
    Column("contact_phone", "联系电话", False, "phone", 50, ("电话", "手机", "联系方式", "phone", "telephone", "tel",
                                                         "mobile"), private=True),
    Column("contact_email", "邮箱", False, "email", 200, ("电子邮箱", "电子邮件", "email", "e-mail", "mail"),
           private=True),
)

PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("project_id", "项目编号", True, "text", 64, ("项目id", "项目代码", "编号", "project code", "project no",
                                                    "id")),
    Column("title", "项目名称", True, "text", 200, ("名称", "项目", "项目标题", "project", "project name", "name",
                                                "project title")),
    Column("sponsor_credit_code", "发起单位信用代码", False, "code", 18,
           ("发起单位统一社会信用代码", "发起方信用代码", "发起单位代码", "sponsor", "sponsor code", "sponsor credit code")),
    Column("city", "城市", True, "city", 50, ("所在城市", "所在地", "location")),
    Column("district", "区县", False, "district", 100, ("区", "区域", "所在区县", "county")),
    Column("industry_code", "行业代码", False, "industry", 10, ("国民经济行业代码", "行业", "industry")),
    Column("description", "项目简介", False, "long_text", _TEXT_MAX, ("简介", "项目介绍", "项目描述", "about", "overview",
                                                                  "project description")),
    Column("seeks", "合作需求", False, "long_text", _TEXT_MAX, ("需求", "项目需求", "needs", "requirements",
                                                            "looking for")),
    Column("investment_wan", "投资额(万元)", False, "number", 40, ("投资额", "总投资(万元)", "总投资", "计划投资(万元)",
                                                               "investment", "total investment",
                                                               "investment (10k cny)")),
    Column("stage", "阶段", False, "enum", 50, ("项目阶段", "所处阶段", "project stage", "phase")),
    Column("contact_name", "联系人", False, "text", 100, ("contact", "contact person"), private=True),
    Column("contact_phone", "联系电话", False, "phone", 50, ("电话", "phone", "telephone"), private=True),
    Column("contact_email", "邮箱", False, "email", 200, ("电子邮箱", "email", "e-mail"), private=True),
)

COLUMNS = {"organisations": ORGANISATION_COLUMNS, "projects": PROJECT_COLUMNS}
PROFILE_FIELDS = {k: tuple(c.name for c in cols) for k, cols in COLUMNS.items()}
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


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out = {}
    for canon, spellings in table.items():
        for s in (canon, *spellings):
            out[fold(s)] = canon
    return out


ENUM_LOOKUP = {name: _lookup(table) for name, table in ENUMS.items()}


@cache
def header_index(kind: str) -> dict[str, str]:
    """Folded header spelling → canonical column name, for one kind."""
    out: dict[str, str] = {}
    for col in COLUMNS[kind]:
        for s in (col.name, col.zh, col.name.replace("_", " "), *col.aliases):
            out.setdefault(fold(s.replace("_", "")), col.name)
            out.setdefault(fold(s), col.name)
    return out


def label(kind: str, column: str, lang: str) -> str:
    """The column's header as the user wrote it: English name or Chinese header."""
    for col in COLUMNS[kind]:
        if col.name == column:
            return col.zh if lang == "zh" else col.name
    return column
