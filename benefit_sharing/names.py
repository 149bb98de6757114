"""The names of the library's codes, in English and Chinese: one table per kind of code.

Results, scenarios and parameters speak in codes (``cit``, ``national_pool``, ``hq``, ``Jiangsu``); people
read names. Every name lives here once, in both languages, so that the library's own messages (a
warning naming a province and a tax) and a page's tables use the same words. A code without a name is
shown as it is (a city outside the cluster, a player of a game). This module holds data only: it
computes nothing and imports nothing from the rest of the package.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "TAXES",
    "COMPONENTS",
    "LEVELS",
    "ROLES",
    "LOCATION_TYPES",
    "FORMS",
    "STATISTICS",
    "GAME_RULES",
    "WARNINGS",
    "CONFIDENCE",
    "PROVINCES",
    "CITIES",
    "TABLES",
    "name",
    "period_name",
]

Names = Mapping[str, tuple[str, str]]  # code → (English, Chinese)

TAXES: Names = {
    "cit": ("CIT", "企业所得税"),
    "vat": ("VAT", "增值税"),
    "surcharges": ("Surcharges", "城建税及教育费附加"),
    "iit": ("IIT", "个人所得税"),
    "value_added": ("Value added", "增加值"),
}
#: Output components of a row (``trace.COMPONENTS``).
COMPONENTS: Names = {
    "paid": ("Paid there", "入库地缴纳"),
    "central": ("Central", "中央"),
    "national_pool": ("National pool", "全国再分配"),
    "local": ("Local", "地方"),
    "province": ("Province", "省级"),
    "municipal": ("City", "市级"),
    "agreement": ("Agreement transfer", "协议转移"),
    "retained": ("City level after agreements", "协议后市级"),
    "official": ("Official", "官方统计"),
    "assessment": ("Assessment", "考核口径"),
}
#: Levels of government receiving revenue (``views.LEVELS``): ``local`` is a local share not yet split.
LEVELS: Names = {
    "central": ("Central", "中央"),
    "national_pool": ("National pool", "全国再分配"),
    "province": ("Province", "省级"),
    "municipal": ("City", "市级"),
    "local": ("Local (not split)", "地方（未拆分）"),
}
ROLES: Names = {
    "hq": ("Head office", "总机构"),
    "production": ("Production", "生产"),
    "sales": ("Sales", "销售"),
    "rd": ("R&D", "研发"),
    "warehouse": ("Warehouse", "仓储"),
    "after_sales": ("After-sales", "售后"),
    "hq_production_department": ("HQ production department", "总机构生产部门"),
}
LOCATION_TYPES: Names = {
    "urban_district": ("Urban district (7 %)", "市区（城建税 7%）"),
    "county_town": ("County town (5 %)", "县城、镇（5%）"),
    "elsewhere": ("Elsewhere (1 %)", "其他地区（1%）"),
}
FORMS: Names = {
    "branch": ("Branches (one company)", "总分机构（一家公司）"),
    "subsidiary": ("Subsidiaries (separate companies)", "子公司（各自独立纳税）"),
}
#: An agreement's rule for value added in internal assessments (统计分算).
STATISTICS: Names = {
    "split": ("Split", "按比例分算"),
    "double_count": ("Count for both", "双方都计"),
    "none": ("None", "不分算"),
}
GAME_RULES: Names = {
    "shapley": ("Shapley value", "夏普利值"),
    "nucleolus": ("Nucleolus", "核仁"),
    "nash": ("Nash bargaining", "纳什谈判（对称）"),
    "nash_weighted": ("Weighted Nash", "纳什谈判（加权）"),
    "proportional": ("Proportional", "按比例"),
    "equal": ("Equal split", "平均分配"),
}
#: The title of each warning code (the message says the details).
WARNINGS: Names = {
    "local_split_unset": ("Provincial split not set", "省市分成比例未设定"),
    "agreement_on_local_share": ("Agreement computed on the whole local share", "协议按整个地方分成计算"),
    "national_pool_unattributed": ("National pool not attributed", "全国再分配部分未分到各省"),
    "intra_province_mode_default": ("Intra-province: default method", "省内总分机构：采用默认办法"),
    "intra_province_mode_unset": ("Intra-province: method not set", "省内总分机构：办法未设定"),
    "no_branch_takes_part": ("No branch takes part", "没有分支机构参与分摊"),
    "location_type_default": ("Location type assumed", "未填所在地类型：按市区计"),
    "settlement_refund": ("Settlement refund", "汇算清缴退税"),
    "agreement_exceeds_base": ("Agreement exceeds the base", "协议转移超过市级收入"),
    "loss_year": ("Loss year", "亏损年度"),
    "excess_input_vat": ("Excess input VAT", "进项税额大于销项"),
    "mode_changes_mid_year": ("Method changes mid-year", "办法年中变化"),
    "unsettled_default": ("Unsettled default used", "采用未确认的默认值"),
    "allocation_undefined": ("Allocation rule undefined", "该分配规则不适用"),
}
#: How sure a trace line's value is: from the statute (high…low), or given by the user.
CONFIDENCE: Names = {
    "high": ("high", "高"),
    "medium-high": ("medium-high", "较高"),
    "medium": ("medium", "中"),
    "low": ("low", "低"),
    "user": ("user input", "用户输入"),
    "none": ("no value", "无取值"),
}
#: Provincial-level divisions (pinyin, as scenario files and parameter names write them).
PROVINCES: Names = {
    "Anhui": ("Anhui", "安徽"), "Beijing": ("Beijing", "北京"), "Chongqing": ("Chongqing", "重庆"),
    "Fujian": ("Fujian", "福建"), "Gansu": ("Gansu", "甘肃"), "Guangdong": ("Guangdong", "广东"),
    "Guangxi": ("Guangxi", "广西"), "Guizhou": ("Guizhou", "贵州"), "Hainan": ("Hainan", "海南"),
    "Hebei": ("Hebei", "河北"), "Heilongjiang": ("Heilongjiang", "黑龙江"), "Henan": ("Henan", "河南"),
    "Hubei": ("Hubei", "湖北"), "Hunan": ("Hunan", "湖南"), "Inner Mongolia": ("Inner Mongolia", "内蒙古"),
    "Jiangsu": ("Jiangsu", "江苏"), "Jiangxi": ("Jiangxi", "江西"), "Jilin": ("Jilin", "吉林"),
    "Liaoning": ("Liaoning", "辽宁"), "Ningxia": ("Ningxia", "宁夏"), "Qinghai": ("Qinghai", "青海"),
    "Shaanxi": ("Shaanxi", "陕西"), "Shandong": ("Shandong", "山东"), "Shanghai": ("Shanghai", "上海"),
    "Shanxi": ("Shanxi", "山西"), "Sichuan": ("Sichuan", "四川"), "Tianjin": ("Tianjin", "天津"),
    "Tibet": ("Tibet", "西藏"), "Xinjiang": ("Xinjiang", "新疆"), "Yunnan": ("Yunnan", "云南"),
    "Zhejiang": ("Zhejiang", "浙江"),
}  # fmt: skip
#: The cluster's cities; a scenario names any other city itself (``city_zh`` of an establishment).
CITIES: Names = {
    "Shanghai": ("Shanghai", "上海"),
    "Suzhou": ("Suzhou", "苏州"),
    "Nantong": ("Nantong", "南通"),
}

TABLES: Mapping[str, Names] = {
    "tax": TAXES,
    "component": COMPONENTS,
    "level": LEVELS,
    "role": ROLES,
    "location_type": LOCATION_TYPES,
    "form": FORMS,
    "statistics": STATISTICS,
    "game_rule": GAME_RULES,
    "warning": WARNINGS,
    "confidence": CONFIDENCE,
    "province": PROVINCES,
    "city": CITIES,
}


def name(kind: str, code: object, lang: str = "en") -> str:
    """The name of ``code`` (a tax, a component, a province…) in ``lang`` (``en`` or ``zh``).

    ``kind`` is a key of :data:`TABLES`; a code the table does not know is returned as it is, so that a
    city outside the cluster or a game's player keeps the name the user gave it.
    """
    names = TABLES[kind].get(str(code))
    if names is None:
        return "" if code is None else str(code)
    return names[1] if lang == "zh" else names[0]


def period_name(period: str, lang: str = "en") -> str:
    """A row's period: the whole year, a prepayment quarter (Q1…Q4) or month (M1…M12), the settlement."""
    zh = lang == "zh"
    if period == "year":
        return "全年" if zh else "year"
    if period == "settlement":
        return "汇算清缴" if zh else "annual settlement"
    if period[:1] in ("Q", "M") and period[1:].isdigit():
        n = int(period[1:])
        if period[0] == "Q":
            return f"第{n}季度预缴" if zh else f"prepayment Q{n}"
        return f"{n}月预缴" if zh else f"prepayment month {n}"
    return period
