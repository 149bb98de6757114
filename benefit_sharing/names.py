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
    "UNITS",
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
    "INPUTS",
    "GAME_RULE_HELP",
    "SHEETS",
    "COLUMNS",
    "WORDS",
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
    "core_empty": ("The core is empty", "核心为空"),
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

#: What a scenario's inputs and a rule's intermediate quantities are called (the last part of a trace line's
#: ``parameter``: ``flows.vat_payable.sz`` is the VAT payable of establishment ``sz``).
INPUTS: Names = {
    "taxable_income": ("taxable income", "应纳税所得额"),
    "cit_payable": ("CIT payable", "应纳所得税额"),
    "profit_before_fee": ("profit before the service fee", "收费前利润"),
    "service_cost": ("service cost", "服务成本"),
    "vat_payable": ("VAT payable", "应缴增值税"),
    "iit": ("IIT withheld", "代扣代缴个人所得税"),
    "value_added": ("value added", "增加值"),
    "prepayments": ("CIT prepayments", "企业所得税预缴"),
    "cit_rate": ("CIT rate", "企业所得税税率"),
    "markup": ("markup of the service fee", "服务费加成率"),
    "factors": ("apportionment factors", "分摊因素"),
    "revenue": ("revenue", "营业收入"),
    "payroll": ("payroll", "职工薪酬"),
    "assets": ("assets", "资产总额"),
    "role": ("role", "类型"),
    "city": ("city", "城市"),
    "location_type": ("location type", "所在地类型"),
    "pays_local_vat": ("pays VAT locally", "就地缴纳增值税"),
    "established": ("year set up", "设立年份"),
    "closed": ("year closed", "注销年份"),
    "years": ("years", "测算年度"),
    "form": ("form", "组织形式"),
    "T": ("consolidated CIT T", "汇总应纳所得税额 T"),
    "share_of_T": ("share of T", "分摊 T 的比例"),
    "apportionment_mode": ("apportionment method", "分摊办法"),
    "cit": ("CIT", "企业所得税"),
    "vat": ("VAT", "增值税"),
    "paid": ("amount paid", "缴纳金额"),
    "host_share": ("host share", "分享方留成比例"),
    "base": ("city-level base", "市级基数"),
    "cap": ("annual cap", "年度上限"),
    "floor": ("annual floor", "年度下限"),
    "increment_over": ("base year of increment-only sharing", "增量分成基期年"),
    "statistics": ("statistics for assessment", "考核口径统计"),
    "transfer": ("transfer", "转移额"),
    "sunset": ("sunset year", "终止年份"),
}
#: One paragraph per allocation rule, in plain words, for an official deciding which to propose.
GAME_RULE_HELP: Names = {
    "shapley": (
        "Each city receives its average contribution. Imagine the cities joining the project one after another, "
        "in every possible order; each time a city joins, it is credited with the extra value it brings. A city's "
        "Shapley value is the average of those credits over all orders. Cities that add the same get the same, "
        "and the shares add up exactly to what all cities earn together; the result need not be in the core.",
        "各城市得到自己的平均贡献。设想各城市按所有可能的先后顺序逐一加入合作项目，每个城市加入时都记下它带来的新增收益；"
        "对所有顺序取平均，就是该城市的夏普利值。贡献相同的城市所得相同，各份之和恰好等于全体合作的总收益；但结果不一定在核心内。",
    ),
    "nucleolus": (
        "The split that leaves the most dissatisfied group of cities as little dissatisfied as possible. A "
        "group's complaint is what it could earn on its own minus what the split gives it; the nucleolus first "
        "makes the largest complaint as small as it can be, then the next largest, and so on. Whenever some split "
        "exists that no group would walk away from (the core is not empty), the nucleolus is such a split.",
        "让“最不满意”的城市组合尽可能不那么不满意的分法。一个组合的“不满”是它单独合作能得到的收益减去分配给它的部分；"
        "核仁先把最大的不满降到最小，再降次大的，依此类推。只要存在任何组合都不愿退出的分法（核心非空），核仁就是其中之一。",
    ),
    "nash": (
        "Each city first keeps what it would earn alone; the extra value that working together creates is then "
        "shared equally among the cities. It is the outcome of a bargain in which failing to agree leaves every "
        "city with its stand-alone value.",
        "各城市先保留自己单干能得到的收益，合作新增的收益再由各城市平均分享。这是以“谈不拢就各自单干”为底线的谈判结果。",
    ),
    "nash_weighted": (
        "Like Nash bargaining, but the extra value of working together is shared by agreed bargaining weights "
        "(summing to 1) instead of equally: a city with more bargaining power gets more of the surplus.",
        "与对称纳什谈判相同，但合作新增的收益按约定的谈判权重（合计为 1）而非平均分配：谈判地位强的城市分得更多。",
    ),
    "proportional": (
        "What all cities earn together is shared in proportion to what each would earn alone (or to the "
        "contributions the scenario gives). Simple to explain, but it ignores what groups of cities can do "
        "together, so a group may be better off on its own.",
        "全体合作的总收益按各城市单干时的收益（或情景给定的贡献）的比例分配。简单易懂，但不考虑部分城市联合能做到什么，"
        "某些城市组合可能单独合作反而更好。",
    ),
    "equal": (
        "Every city receives the same share of what all cities earn together. The simplest rule; fair when the "
        "cities contribute about equally, and it may leave a strong city better off on its own.",
        "每个城市分得全体合作总收益的相同份额。最简单的规则；各城市贡献相近时较为公平，实力强的城市可能单干更有利。",
    ),
}
#: The sheets of the Excel workbook (``export.export_excel``) in a reader's language (the CLI's workbook
#: keeps the codes as sheet names).
SHEETS: Names = {
    "about": ("About", "说明"),
    "summary": ("Summary", "汇总"),
    "comparison": ("Comparison", "情景对比"),
    "rows": ("Rows", "明细"),
    "with_vs_without": ("With vs without", "有无协议对比"),
    "net_effect": ("Net effect", "协议净效果"),
    "allocations": ("Allocations", "收益分配"),
    "warnings": ("Warnings", "提示"),
    "unused": ("Unused inputs", "未起作用的输入"),
    "trace": ("Trace", "计算追溯"),
}
#: Column headers of the exported tables in a reader's language (the CLI's workbook keeps the codes).
COLUMNS: Names = {
    "year": ("Year", "年度"),
    "tax": ("Tax", "税种"),
    "city": ("City", "城市"),
    "component": ("Component", "项目"),
    "period": ("Period", "期间"),
    "amount": ("Amount", "金额"),
    "rule": ("Rule", "规则"),
    "reference": ("Legal reference", "法规依据"),
    "establishments": ("Establishments", "机构"),
    "row": ("Row", "行号"),
    "parameter": ("Parameter code", "参数代码"),
    "parameter_name": ("Parameter", "参数"),
    "value": ("Value", "取值"),
    "confidence": ("Confidence", "可信度"),
    "without_agreements": ("Without agreement (city level)", "无协议（市级）"),
    "transfer": ("Transfer (+ received / − paid)", "协议转移（+收入/−支出）"),
    "with_agreements": ("With agreement (city level)", "有协议（市级）"),
    "player": ("Player", "参与方"),
    "exact": ("Exact value", "精确值"),
    "fraction": ("As a fraction", "分数形式"),
    "in_core": ("In the core", "在核心内"),
    "note": ("Note", "说明"),
    "code": ("Warning", "提示"),
    "message": ("Message", "内容"),
    "input": ("Input", "输入项"),
    "why": ("Why it changes nothing", "不起作用的原因"),
    "item": ("Item", "项目"),
    "total": ("Total", "合计"),
}
#: Words the exports and pages need beside the tables above.
WORDS: Names = {
    "all cities": ("All cities", "全部城市"),
    "total": ("Total", "合计"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "scenario": ("Scenario", "情景"),
    "unit": ("Unit", "单位"),
    "years": ("Years", "年度"),
    "precision": ("Precision", "精度"),
    "note": ("Note", "说明"),
    "net_effect": ("Net effect of the agreement", "协议净效果"),
    "trace_note": ("Every amount is traced on the 'Trace' sheet: rule, parameter, value, legal reference.",
                   "每个金额的规则、参数、取值和法规依据见“计算追溯”工作表。"),
}

#: Money units a scenario may state (``Scenario.unit``), as each language writes them.
UNITS: Names = {
    "元": ("yuan", "元"),
    "万元": ("×10k yuan", "万元"),
    "亿元": ("×100m yuan", "亿元"),
}

TABLES: Mapping[str, Names] = {
    "unit": UNITS,
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
    "input": INPUTS,
    "game_rule_help": GAME_RULE_HELP,
    "sheet": SHEETS,
    "column": COLUMNS,
    "word": WORDS,
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
