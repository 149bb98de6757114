"""Upload templates: an empty profile file to fill in, in the upload format (``docs/profiles.md``).

Each template has every contract column, headers in English or Chinese, and one example row that
re-ingests cleanly (``prepare`` accepts it with no problem). The allowed values of each column
are documented in :func:`template_guide`: in ``.xlsx`` as a comment on each header cell and as a second
sheet (the upload reads the first sheet with a recognisable header, so the guide sheet is never taken
for data), and a drop-down list in each enumerated column (organisation type, city, partner types, stage);
a ``.csv`` cannot hold comments without breaking the header row, so the app shows the guide beside the
download. This module writes bytes only: no file system, no database.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pandas as pd

from .contract import ENUMS, KINDS, STORED_COLUMNS, Column
from .export import defuse, numeric_headers

__all__ = ["template_bytes", "template_frame", "template_guide", "template_file_name", "dropdown_values", "FORMATS",
           "LANGS", "DROPDOWN_ROWS"]

FORMATS = ("csv", "xlsx")
LANGS = ("zh", "en")

# One example row per kind and language (canonical text; enum values in the template's language).
# The credit code is valid (check characters computed with uscc.make('320594', 'MA1EXAMP')); 320594 is the
# registration region of Suzhou Industrial Park, so the example's city and district agree with it.
_EXAMPLES: dict[str, dict[str, dict[str, str]]] = {
    "organisations": {
        "zh": {
            "credit_code": "91320594MA1EXAMP3D",
            "name": "苏州示例电子材料有限公司",
            "org_type": "企业",
            "city": "苏州",
            "district": "苏州工业园区",
            "industry_code": "C3985",
            "description": "生产半导体封装用电子化学品的企业，2016 年落户苏州工业园区。",
            "offers": "KrF/ArF 光刻胶配套试剂、高纯湿电子化学品（G4 级），月产能 300 吨。",
            "seeks": "寻找南通或上海的晶圆厂客户，以及高校在光刻材料方面的研发合作。",
            "partner_types": "客户;研发合作",
            "revenue_wan": "12000",
            "employees": "180",
            "founded_year": "2016",
            "contact_name": "张三",
            "contact_phone": "0512-66668888",
            "contact_email": "zhangsan@example.com",
            "address": "江苏省苏州市苏州工业园区星湖街328号",
            "business_scope": "电子化学品的研发、生产和销售；技术服务、技术转让",
        },
        "en": {
            "credit_code": "91320594MA1EXAMP3D",
            "name": "Suzhou Example Electronic Materials Co., Ltd.",
            "org_type": "enterprise",
            "city": "Suzhou",
            "district": "Suzhou Industrial Park",
            "industry_code": "C3985",
            "description": "Maker of electronic chemicals for semiconductor packaging, in Suzhou Industrial Park since 2016.",
            "offers": "KrF/ArF photoresist ancillaries and high-purity wet chemicals (G4 grade), 300 t a month.",
            "seeks": "Wafer-fab customers in Nantong or Shanghai; R&D partners in lithography materials.",
            "partner_types": "customer;rd_partner",
            "revenue_wan": "12000",
            "employees": "180",
            "founded_year": "2016",
            "contact_name": "Zhang San",
            "contact_phone": "0512-66668888",
            "contact_email": "zhangsan@example.com",
            "address": "No. 328 Xinghu Street, Suzhou Industrial Park, Suzhou",
            "business_scope": "R&D, manufacture and sale of electronic chemicals; technical services",
        },
    },
    "projects": {
        "zh": {
            "project_id": "P-SZ-2026-001",
            "title": "车规级功率模块封装中试线",
            "sponsor_credit_code": "91320594MA1EXAMP3D",
            "city": "苏州",
            "district": "苏州工业园区",
            "industry_code": "C3985",
            "description": "建设一条车规级 SiC 功率模块封装中试线，年产 10 万只。",
            "seeks": "封装设备供应商、整车厂验证客户，以及约 5000 万元的产业投资。",
            "investment_wan": "8000",
            "stage": "中试",
            "contact_name": "李四",
            "contact_phone": "0512-66669999",
            "contact_email": "lisi@example.com",
            "address": "江苏省苏州市苏州工业园区金鸡湖大道88号",
        },
        "en": {
            "project_id": "P-SZ-2026-001",
            "title": "Automotive power-module packaging pilot line",
            "sponsor_credit_code": "91320594MA1EXAMP3D",
            "city": "Suzhou",
            "district": "Suzhou Industrial Park",
            "industry_code": "C3985",
            "description": "A pilot line packaging automotive SiC power modules, 100,000 units a year.",
            "seeks": "Packaging-equipment suppliers, carmakers to qualify the modules, and about CNY 50 million of investment.",
            "investment_wan": "8000",
            "stage": "pilot",
            "contact_name": "Li Si",
            "contact_phone": "0512-66669999",
            "contact_email": "lisi@example.com",
            "address": "No. 88 Jinji Lake Avenue, Suzhou Industrial Park, Suzhou",
        },
    },
}

# What each column means, in both languages (the contract's "meaning and rules", shortened).
_MEANING: dict[str, tuple[str, str]] = {
    "credit_code": ("18 位统一社会信用代码（GB 32100-2015），校验位须正确；同一代码再次上传即更新该机构",
                    "18-character unified social credit code (GB 32100-2015), check character must verify; "
                    "uploading the same code again updates the organisation"),
    "name": ("机构名称，最多 200 字", "organisation name, at most 200 characters"),
    "title": ("项目名称，最多 200 字", "project title, at most 200 characters"),
    "project_id": ("上传方自定的项目编号（最多 64 字）；同一编号再次上传即更新该项目",
                   "an id you choose (at most 64 characters); uploading the same id again updates the project"),
    "sponsor_credit_code": ("发起单位的统一社会信用代码，填写时须有效", "credit code of the sponsoring organisation, valid if given"),
    "org_type": ("机构类型，默认“企业”", "organisation type, default enterprise"),
    "city": ("所在城市，常见写法均可（上海、上海市、Shanghai …）", "city, in any usual spelling (上海, 上海市, Shanghai …)"),
    "district": ("该城市下辖的区县（或县级市），如 吴中区、海门区", "a district or county-level city of that city, e.g. Wuzhong, Haimen"),
    "industry_code": ("国民经济行业代码（GB/T 4754-2017），门类字母加 2–4 位数字，如 C3985",
                      "GB/T 4754-2017 code: a section letter and 2–4 digits, e.g. C3985"),
    "description": ("简介，中英文均可，最多 20000 字", "free text, Chinese or English, at most 20,000 characters"),
    "offers": ("能提供什么：产品、服务、产能、研发、资金", "what you can provide: products, services, capacity, R&D, capital"),
    "seeks": ("在找什么：原料、合作伙伴、生产基地、投资", "what you are looking for: inputs, partners, production sites, investment"),
    "partner_types": ("希望的合作类型，可填多个，用 ; 分隔", "wanted kinds of partner, several separated by ;"),
    "revenue_wan": ("年营业收入，单位万元，≥ 0（不向其他机构展示）",
                    "annual revenue in 10,000 CNY, ≥ 0 (never shown to other organisations)"),
    "investment_wan": ("总投资额，单位万元，≥ 0", "total investment in 10,000 CNY, ≥ 0"),
    "employees": ("员工人数，整数 ≥ 0", "number of employees, an integer ≥ 0"),
    "founded_year": ("成立年份，四位数字，不能晚于今年", "year founded, 4 digits, not in the future"),
    "stage": ("项目阶段", "project stage"),
    "contact_name": ("联系人（仅存储，不向其他机构展示）", "contact person (stored, never shown to other organisations)"),
    "contact_phone": ("联系电话（仅存储，不向其他机构展示）", "contact phone (stored, never shown to other organisations)"),
    "contact_email": ("邮箱（仅存储，不向其他机构展示）", "contact e-mail (stored, never shown to other organisations)"),
    "address": ("地址；未填城市、区县时从地址中读取", "the address; when city or district are not given, they are read from it"),
    "business_scope": ("经营范围（营业执照所载）；未填能力与产品时作为能力与产品", "the registered business scope; the offers when none are given"),
}

_KIND_ALLOWED: dict[str, tuple[str, str]] = {
    "code": ("18 位数字或大写字母（不含 I、O、S、V、Z）", "18 digits or capital letters (no I, O, S, V, Z)"),
    "city": ("上海 / 苏州 / 南通", "Shanghai / Suzhou / Nantong"),
    "district": ("所填城市的区县", "a district of the given city"),
    "address": ("文字", "text"),
    "industry": ("GB/T 4754-2017 行业代码表中的代码", "a code of the GB/T 4754-2017 table"),
    "number": ("数字，如 1200、1,200.5、1.2亿、3万；最多 4 位小数", "a number, e.g. 1200, 1,200.5, 1.2亿, 3万; at most 4 decimals"),
    "int": ("整数，如 180", "an integer, e.g. 180"),
    "year": ("年份，如 2016、2016年、2016-05-01", "a year, e.g. 2016, 2016年, 2016-05-01"),
    "email": ("电子邮箱地址", "an e-mail address"),
    "phone": ("电话号码，如 0512-66668888、13800000000", "a phone number, e.g. 0512-66668888, 13800000000"),
    "text": ("文字", "text"),
    "long_text": ("文字", "text"),
}


def _check(kind: str, lang: str, fmt: str | None = None) -> None:
    if kind not in KINDS:
        raise ValueError(f"The 'kind' parameter of template_bytes must be one of {KINDS}. Got {kind!r} instead.")
    if lang not in LANGS:
        raise ValueError(f"The 'lang' parameter of template_bytes must be one of {LANGS}. Got {lang!r} instead.")
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"The 'fmt' parameter of template_bytes must be one of {FORMATS}. Got {fmt!r} instead.")


def _header(col: Column, lang: str) -> str:
    return col.zh if lang == "zh" else col.name


def _allowed(col: Column, lang: str) -> str:
    zh = lang == "zh"
    if col.name in ENUMS:
        # the first spelling of every canonical value is its Chinese name
        values = [(spellings[0] if zh else canon) for canon, spellings in ENUMS[col.name].items()]
        sep = "；多个用 ; 分隔" if col.kind == "list" else ""
        sep_en = "; several separated by ;" if col.kind == "list" else ""
        return " / ".join(values) + (sep if zh else sep_en)
    zh_text, en_text = _KIND_ALLOWED.get(col.kind, ("", ""))
    return zh_text if zh else en_text


#: Rows of the XLSX template that offer a drop-down list in the enumerated columns (the header is row 1).
DROPDOWN_ROWS = 1000
_CITY_NAMES = {"zh": ("上海", "苏州", "南通"), "en": ("Shanghai", "Suzhou", "Nantong")}


def dropdown_values(column: str, lang: str) -> tuple[str, ...]:
    """The values an enumerated column offers in a drop-down list, as the template's language writes them
    (the upload reads both languages): org_type, partner_types, stage and city; () for other columns."""
    if column == "city":
        return _CITY_NAMES[lang]
    if column in ENUMS:
        return tuple(spellings[0] if lang == "zh" else canon for canon, spellings in ENUMS[column].items())
    return ()


def _dropdown(col: Column, choices: tuple[str, ...], lang: str, letter: str) -> Any:
    """An Excel list validation over the column's data rows. Typing another value only warns: the upload
    reads more spellings than the list shows (上海市, Shanghai), and a list column takes several values."""
    from openpyxl.worksheet.datavalidation import DataValidation

    zh = lang == "zh"
    several = col.kind == "list"
    dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                        showDropDown=False, showErrorMessage=not several, errorStyle="warning",
                        showInputMessage=True)
    dv.promptTitle = col.zh if zh else col.name
    dv.prompt = (("从列表中选择；多个值用 ; 分隔，如 客户;研发合作" if several else "从列表中选择") if zh else
                 ("Pick from the list; several values separated by ;, e.g. customer;rd_partner" if several
                  else "Pick from the list"))
    dv.errorTitle = dv.promptTitle
    dv.error = ("该值不在列表中：上传时仍会尝试识别，请核对" if zh else
                "This value is not in the list: the upload will still try to read it; please check")
    dv.add(f"{letter}2:{letter}{DROPDOWN_ROWS + 1}")
    return dv


def template_frame(kind: str, lang: str) -> pd.DataFrame:
    """The template as text: every contract column (headers in ``lang``) and one example row."""
    _check(kind, lang)
    example = _EXAMPLES[kind][lang]
    return pd.DataFrame([[example.get(c.name, "") for c in STORED_COLUMNS[kind]]],
                        columns=[_header(c, lang) for c in STORED_COLUMNS[kind]])


def template_guide(kind: str, lang: str) -> pd.DataFrame:
    """One line per column: header, required, meaning, allowed values, example — in ``lang``."""
    _check(kind, lang)
    zh = lang == "zh"
    example = _EXAMPLES[kind][lang]
    cols = ["列名", "必填", "含义", "允许的值", "示例"] if zh else ["column", "required", "meaning", "allowed values",
                                                               "example"]
    lines = []
    for c in STORED_COLUMNS[kind]:
        meaning = _MEANING.get(c.name, ("", ""))[0 if zh else 1]
        required = ("是" if c.required else "否") if zh else ("yes" if c.required else "no")
        lines.append([_header(c, lang), required, meaning, _allowed(c, lang), example.get(c.name, "")])
    return pd.DataFrame(lines, columns=cols)


def template_file_name(kind: str, lang: str, fmt: str) -> str:
    """e.g. ``organisations_template_zh.xlsx``."""
    _check(kind, lang, fmt)
    return f"{kind}_template_{lang}.{fmt}"


def template_bytes(kind: str, lang: str, fmt: str) -> bytes:
    """The template file's bytes: ``kind`` organisations | projects, ``lang`` zh | en, ``fmt`` csv | xlsx.

    CSV is UTF-8 with a BOM (Excel on a Chinese Windows opens it correctly). XLSX has the template on
    its first sheet (codes formatted as text so Excel keeps all 18 characters; a comment on each header
    saying what is allowed) and the column guide on a second sheet."""
    _check(kind, lang, fmt)
    frame = template_frame(kind, lang)
    if fmt == "csv":
        return frame.map(defuse).to_csv(index=False).encode("utf-8-sig")
    return _xlsx(kind, lang, frame)


def _xlsx(kind: str, lang: str, frame: pd.DataFrame) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    zh = lang == "zh"
    numeric = numeric_headers(kind)
    guide = template_guide(kind, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "模板" if zh else "template"
    ws.append(list(frame.columns))
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for j, col in enumerate(STORED_COLUMNS[kind], start=1):
        cell = ws.cell(row=1, column=j)
        cell.font = bold
        if col.required:
            cell.fill = required_fill
        g = guide.iloc[j - 1]
        need = ("必填" if zh else "required") if col.required else ("选填" if zh else "optional")
        lines = [need, str(g.iloc[2]), f"{'允许' if zh else 'allowed'}: {g.iloc[3]}"]
        cell.comment = Comment("\n".join(x for x in lines if x), "hst-alliance", width=320, height=140)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = 40 if col.kind == "long_text" else max(14, len(frame.columns[j - 1]) + 4)
        if col.kind not in ("number", "int", "year"):
            ws.column_dimensions[letter].number_format = "@"  # text: Excel keeps 18-digit codes whole
    for j, (header, value) in enumerate(zip(frame.columns, frame.iloc[0], strict=True), start=1):
        if value == "":
            continue
        cell = ws.cell(row=2, column=j)
        if header in numeric:
            cell.value = Decimal(value)
        else:
            cell.value = value
            cell.data_type = TYPE_STRING
            cell.number_format = "@"
    for j, col in enumerate(STORED_COLUMNS[kind], start=1):
        choices = dropdown_values(col.name, lang)
        if choices:
            ws.add_data_validation(_dropdown(col, choices, lang, get_column_letter(j)))
    ws.freeze_panes = "A2"
    gs = wb.create_sheet("填写说明" if zh else "guide")
    gs.append(list(guide.columns))
    for c in gs[1]:
        c.font = bold
    for line in guide.itertuples(index=False):
        gs.append([str(v) for v in line])
    for j, width in enumerate((22, 8, 60, 50, 40), start=1):
        gs.column_dimensions[get_column_letter(j)].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
