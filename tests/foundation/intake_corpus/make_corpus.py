"""Write the intake corpus (``tests/foundation/intake_corpus/``): profile files as real users and the
enterprise-information platforms produce them, and ``expected.yaml``, the values each row must be stored with.

Written independently of the intake code (from the upload contract ``docs/profiles.md``, the district
table ``data/reference/regions_hst.csv`` and the industry table ``data/reference/industry_gbt4754.csv``),
so the intake is judged on data it was not tuned on. Run ``.venv/bin/python
tests/foundation/intake_corpus/make_corpus.py`` after changing it; the output is deterministic (credit
codes derived from the firm names, fixed workbook dates and ZIP timestamps), so the committed files only
change when this script does.

Every row below carries what it must give: ``ok(...)`` the canonical stored values (only the columns
that matter for the case), ``bad(...)`` the column and the words one of which the rejection reason must
contain (in English or Chinese), ``why`` the reading chosen where the issue leaves one open (written as a
comment into expected.yaml).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from matchmaking.reference import credit_code  # noqa: E402

OUT = Path(__file__).resolve().parent
REF = ROOT / "data" / "reference"

_USED: dict[str, str] = {}


def cc(region: str, name: str, prefix: str = "91", old: bool = False) -> str:
    """A valid credit code for ``name``: a post-2015 body (``MA`` + 6) or, for ``old`` registrations, the
    8-digit organisation code the firm had before; derived from the name, so stable across runs."""
    h = hashlib.sha256(name.encode("utf-8")).digest()
    if old:
        body = "".join(str(b % 10) for b in h[:8])
    else:
        body = "MA" + "".join(credit_code.ALPHABET[b % 31] for b in h[:6])
    code = credit_code.make(region, body, prefix)
    assert _USED.setdefault(code, name) == name, (code, name)
    return code


def bad_check(code: str) -> str:
    """The same code with a wrong check character (position 18)."""
    wrong = next(c for c in "0123456789ABCDEFGH" if c != code[17])
    return code[:17] + wrong


@dataclass
class Row:
    cells: list[object]
    key: str = ""
    expect: dict[str, object] = field(default_factory=dict)
    reject: tuple[str, list[str]] | None = None
    why: str = ""
    warn: bool = False
    also: list[str] = field(default_factory=list)  # a second group of words, one of which must be there too


def ok(cells: list[object], key: str, why: str = "", warn: bool = False, **expect: object) -> Row:
    return Row(cells, key, expect, None, why, warn)


def bad(cells: list[object], key: str, column: str, words: list[str], why: str = "",
        also: list[str] | None = None) -> Row:
    return Row(cells, key, {}, (column, words), why, also=also or [])


@dataclass
class Case:
    file: str
    source: str
    tests: str
    encoding: str  # utf-8 / utf-8-sig / gbk / xlsx / json
    kind: str
    header: list[str]
    rows: list[Row]
    title: list[list[object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cover: list[list[object]] = field(default_factory=list)  # xlsx: a first sheet without the data
    sheet: str = "Sheet1"

    @property
    def header_row(self) -> int:
        return len(self.title) + 1


ORG_TYPES = {"enterprise", "university", "institute", "investor"}
STAGES = {"idea", "rd", "pilot", "expansion"}
CITIES = {"Shanghai", "Suzhou", "Nantong"}

CASES: list[Case] = []


def add(case: Case) -> Case:
    for r in case.rows:
        assert len(r.cells) == len(case.header), (case.file, r.cells)
    CASES.append(case)
    return case


ENT = "enterprise"
# A place outside the alliance: the reason says it is about the city, or says which cities are allowed.
UNKNOWN_CITY = ["city", "城市", "Shanghai", "上海"]


def belongs_to(city_en: str, city_zh: str) -> list[str]:
    """Words of a reason that says which city a district really belongs to (not just the list of cities)."""
    return [f"in {city_en}", f"of {city_en}", f"属于{city_zh}", f"位于{city_zh}", f"{city_zh}的"]


# ----------------------------------------------------------------------------------------- 01 企查查
QCC = ["企业名称", "登记状态", "法定代表人", "注册资本", "实缴资本", "成立日期", "统一社会信用代码", "所属省份",
       "所属城市", "所属区县", "电话", "更多电话", "邮箱", "企业类型", "所属行业", "参保人数", "曾用名", "英文名",
       "企业地址", "经营范围"]
n = "苏州瀚芯微电子科技有限公司"
C01_1 = cc("320594", n)
n2 = "苏州恒毅精密机械有限公司"
C01_2 = cc("320506", n2, old=True)
SCOPE_01_2 = "精密机械零部件、液压件的研发、制造与销售；自营和代理各类商品及技术的进出口业务"
n6 = "常熟市华虞汽车部件有限公司"
C01_6 = cc("320581", n6, old=True)
n_bad = "苏州启明星半导体设备有限公司"
add(Case(
    "01_qichacha_export_suzhou.csv",
    "企查查 batch export (查企业 → 导出数据) of Suzhou firms, saved by Excel as 'CSV UTF-8'",
    "the platform's column set (企业名称, 所属省份/城市/区县, 成立日期, 参保人数, 所属行业 as a division name, "
    "注册资本 with its unit, 经营范围); company types as the registry writes them; '-' for no value; one code "
    "with a wrong check character",
    "utf-8-sig", "organisations", QCC, [
        ok([n, "存续", "王立群", "5000万元人民币", "3200万元人民币", "2016-03-18", C01_1, "江苏省", "苏州市",
            "苏州工业园区", "0512-62880101", "0512-62880102；13800000101", "ir@hanxin-micro.example.com",
            "有限责任公司（自然人投资或控股）", "计算机、通信和其他电子设备制造业", "186", "-",
            "Suzhou Hanxin Microelectronics Technology Co., Ltd.", "苏州工业园区星湖街328号创意产业园12幢501室",
            "集成电路芯片设计及服务；集成电路制造；半导体分立器件销售；技术进出口。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"],
           C01_1, "注册资本/实缴资本 are not revenue: revenue_wan stays empty", name=n, city="Suzhou",
           district="苏州工业园区", org_type=ENT, industry_code="C39", employees=186, founded_year=2016,
           revenue_wan=""),
        ok([n2, "存续", "陈建华", "1000万元人民币", "1000万元人民币", "2009-07-22", C01_2, "江苏省", "苏州市",
            "吴中区", "0512-66210202", "-", "sales@hengyi-jm.example.com", "有限责任公司（自然人投资或控股）",
            "通用设备制造业", "95", "苏州恒毅机械厂", "Suzhou Hengyi Precision Machinery Co., Ltd.",
            "苏州市吴中区胥口镇孙武路1017号", SCOPE_01_2],
           C01_2, "no offers column: 经营范围 is the offers text (issue §3)", name=n2, city="Suzhou", district="吴中区",
           org_type=ENT, industry_code="C34", employees=95, founded_year=2009, revenue_wan="", offers=SCOPE_01_2),
        ok(["昆山澜达光电科技有限公司", "在业", "林志明", "2亿元人民币", "2亿元人民币", "2012-11-05",
            c := cc("320583", "昆山澜达光电科技有限公司"), "江苏省", "苏州市", "昆山市", "0512-57770303", "-",
            "hr@landa-opto.example.com", "有限责任公司（台港澳法人独资）", "计算机、通信和其他电子设备制造业", "420",
            "-", "Kunshan Landa Optoelectronics Technology Co., Ltd.", "昆山开发区前进东路888号",
            "光电子器件、显示器件的研发、生产；销售自产产品"],
           c, name="昆山澜达光电科技有限公司", city="Suzhou", district="昆山市", org_type=ENT, industry_code="C39",
           employees=420, founded_year=2012),
        ok(["苏州汇丝新材料有限公司", "存续", "沈国强", "800万元人民币", "-", "2005-04-12",
            c := cc("320584", "苏州汇丝新材料有限公司", old=True), "江苏省", "苏州市", "吴江区", "0512-63330404", "-",
            "-", "有限责任公司（自然人投资或控股）", "纺织业", "-", "吴江汇丝纺织有限公司",
            "Suzhou Huisi New Material Co., Ltd.", "苏州市吴江区盛泽镇市场东路73号", "化纤织造加工；纺织品销售"],
           c, "参保人数 '-' is no value (empty, with a note); the code carries 吴江市's old region 320584",
           name="苏州汇丝新材料有限公司", city="Suzhou", district="吴江区", industry_code="C17", employees="",
           founded_year=2005),
        ok(["苏州新锐医疗器械有限公司", "存续", "Thomas Müller", "500万美元", "500万美元", "2018-09-30",
            c := cc("320505", "苏州新锐医疗器械有限公司"), "江苏省", "苏州市", "虎丘区", "0512-68050505", "-",
            "info@xinrui-med.example.com", "有限责任公司（外国法人独资）", "专用设备制造业", "58", "-",
            "Suzhou Xinrui Medical Devices Co., Ltd.", "苏州高新区科灵路78号", "医疗器械的研发、生产、销售；医疗设备租赁"],
           c, name="苏州新锐医疗器械有限公司", city="Suzhou", district="虎丘区", org_type=ENT, industry_code="C35",
           employees=58, founded_year=2018),
        ok([n6, "存续", "顾卫东", "3000万元人民币", "3000万元人民币", "2003-01-15", C01_6, "江苏省", "苏州市", "常熟市",
            "0512-52660606", "0512-52660607", "-", "有限责任公司（自然人投资或控股）", "汽车制造业", "312", "-",
            "Changshu Huayu Auto Parts Co., Ltd.", "常熟市虞山街道东南大道1088号", "汽车零部件及配件制造；模具制造"],
           C01_6, name=n6, city="Suzhou", district="常熟市", industry_code="C36", employees=312, founded_year=2003),
        ok(["苏州相数智能科技有限公司", "存续", "周晓", "100万元人民币", "-", "2021-06-08",
            c := cc("320507", "苏州相数智能科技有限公司"), "江苏省", "苏州市", "相城区", "-", "-",
            "contact@xiangshu.example.com", "有限责任公司（自然人独资）", "软件和信息技术服务业", "0", "-", "-",
            "苏州市相城区高铁新城青龙港路286号", "软件开发；人工智能应用软件开发；信息系统集成服务"],
           c, "参保人数 0 is zero employees, not empty", name="苏州相数智能科技有限公司", city="Suzhou",
           district="相城区", industry_code="I65", employees=0, founded_year=2021),
        ok(["张家港市锦泰化工有限公司", "存续", "钱锦泰", "6800万元人民币", "6800万元人民币", "1998-03-20",
            c := cc("320582", "张家港市锦泰化工有限公司", old=True), "江苏省", "苏州市", "张家港市", "0512-58680808",
            "-", "-", "有限责任公司", "化学原料和化学制品制造业", "240", "-", "Zhangjiagang Jintai Chemical Co., Ltd.",
            "江苏扬子江国际化学工业园南海路18号", "化工原料及产品（危险化学品除外）的生产、销售"],
           c, name="张家港市锦泰化工有限公司", city="Suzhou", district="张家港市", org_type=ENT, industry_code="C26",
           employees=240, founded_year=1998),
        ok(["苏州姑苏云启科技服务有限公司", "存续", "吴悦", "200万元人民币", "50万元人民币", "2019-12-02",
            c := cc("320508", "苏州姑苏云启科技服务有限公司"), "江苏省", "苏州市", "姑苏区", "0512-65090909", "-", "-",
            "有限责任公司（自然人投资或控股）", "科技推广和应用服务业", "12", "-", "-", "苏州市姑苏区人民路1688号",
            "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广"],
           c, name="苏州姑苏云启科技服务有限公司", city="Suzhou", district="姑苏区", industry_code="M75",
           employees=12, founded_year=2019),
        ok(["太仓德瑞精工有限公司", "存续", "Klaus Weber", "1200万欧元", "1200万欧元", "2007-05-10",
            c := cc("320585", "太仓德瑞精工有限公司", old=True), "江苏省", "苏州市", "太仓市", "0512-53571010", "-",
            "info@derui-taicang.example.com", "有限责任公司（外国法人独资）", "通用设备制造业", "150", "-",
            "Taicang Derui Precision Engineering Co., Ltd.", "太仓市经济开发区青岛西路11号", "精密轴承、液压元件的生产"],
           c, name="太仓德瑞精工有限公司", city="Suzhou", district="太仓市", org_type=ENT, industry_code="C34",
           employees=150, founded_year=2007),
        bad([n_bad, "存续", "黄晨", "2000万元人民币", "-", "2020-08-08", bad_check(cc("320594", n_bad)), "江苏省",
             "苏州市", "苏州工业园区", "-", "-", "-", "有限责任公司（自然人投资或控股）", "专用设备制造业", "66", "-", "-",
             "苏州工业园区金鸡湖大道99号", "半导体设备零部件的研发、销售"],
            bad_check(cc("320594", n_bad)), "credit_code", ["check", "校验"],
            "a code with a wrong check character is rejected, whatever the source"),
    ]))

# --------------------------------------------------------------------------------------- 02 天眼查
TYC = ["公司名称", "登记状态", "法定代表人", "注册资本", "成立日期", "核准日期", "所属省份", "所属城市", "所属区县",
       "电话", "更多电话", "邮箱", "更多邮箱", "统一社会信用代码", "纳税人识别号", "注册号", "组织机构代码", "参保人数",
       "公司类型", "所属行业", "曾用名", "英文名称", "网址", "企业地址", "经营范围"]


def tyc(name: str, capital: str, founded: dt.date, district: str, staff: object, ctype: str, industry: str,
        region: str, address: str, scope: str, old: bool = False, city: str = "南通市") -> list[object]:
    code = cc(region, name, old=old)
    reg_no = region + "000" + str(int(hashlib.sha256(name.encode()).hexdigest(), 16) % 10**6).zfill(6) if old else "-"
    return [name, "存续", "张海峰" if "海" in name else "李明", capital, founded, dt.date(2025, 4, 1),
            "江苏省", city, district, "0513-8" + str(int(code[8:16], 36) % 10**7).zfill(7),
            "-", "-", "-", code, code, reg_no, code[8:16] + "-" + code[16], staff, ctype, industry, "-", "-", "-",
            address, scope]


T = {}
for key, args in {
    1: ("南通海宸海洋工程装备有限公司", "5亿人民币", dt.date(2006, 8, 16), "启东市", 860, "有限责任公司(自然人投资或控股)",
        "铁路、船舶、航空航天和其他运输设备制造业", "320681", "启东市海工船舶工业园江海路8号",
        "海洋工程装备、船舶及配套设备的设计、制造、修理", True),
    2: ("南通瑞纺家居用品有限公司", "1500万人民币", dt.date(2010, 3, 9), "海门区", 134, "有限责任公司(自然人独资)",
        "纺织业", "320684", "南通市海门区三星镇叠石桥国际家纺城", "床上用品、家用纺织品的生产、销售", True),
    3: ("江苏通锂新能源科技有限公司", "2亿人民币", dt.date(2017, 4, 21), "通州区", 305, "有限责任公司(自然人投资或控股)",
        "电气机械和器材制造业", "320612", "南通市通州区高新技术产业开发区希望路6号", "锂离子电池、储能系统的研发、生产", False),
    4: ("南通崇川智造科技有限公司", "500万人民币", dt.date(2020, 10, 10), "崇川区", 48, "有限责任公司(自然人投资或控股)",
        "软件和信息技术服务业", "320613", "南通市崇川区崇川路79号", "工业软件开发；信息系统集成服务", False),
    5: ("如皋市锐驰汽车配件有限公司", "2000万人民币", dt.date(2004, 12, 1), "如皋市", 210, "有限责任公司",
        "汽车制造业", "320682", "如皋市城北街道仁寿路2号", "汽车配件制造、销售", True),
    6: ("海安华扬橡塑制品有限公司", "1000万人民币", dt.date(2008, 6, 30), "海安市", 76, "有限责任公司(自然人投资或控股)",
        "橡胶和塑料制品业", "320621", "海安市城东镇开发大道西88号", "橡胶制品、塑料制品制造", True),
    7: ("南通瀚海生物医药有限公司", "1.5亿人民币", dt.date(2015, 11, 11), "南通经济技术开发区", 122,
        "有限责任公司(外商投资、非独资)", "医药制造业", "320600", "南通市经济技术开发区通盛大道188号",
        "生物药品、化学药品制剂的研发、生产", False),
    8: ("如东洋口风电设备有限公司", "8000万人民币", dt.date(2011, 9, 19), "如东县", "-", "有限责任公司",
        "电气机械和器材制造业", "320623", "如东县洋口港经济开发区黄海一路16号", "风力发电设备及零部件制造", False),
}.items():
    T[key] = tyc(*args)
T_BAD = tyc("靖江港新船舶配件有限公司", "3000万人民币", dt.date(2013, 5, 6), "靖江市", 95, "有限责任公司",
            "铁路、船舶、航空航天和其他运输设备制造业", "321282", "靖江市新港园区", "船舶配件制造", True, city="泰州市")
C02 = {k: v[13] for k, v in T.items()}
add(Case(
    "02_tianyancha_export_nantong.xlsx",
    "天眼查 export (高级搜索 → 导出) of Nantong firms: two title rows above the header, dates as Excel dates, "
    "参保人数 as numbers",
    "title rows in a workbook (header on row 3, rows numbered as Excel shows them); 公司名称 as the name; "
    "纳税人识别号 and 组织机构代码 beside the credit code (neither is the key); legacy region codes inside "
    "codes of old firms; a firm from 泰州 (not in the alliance) rejected",
    "xlsx", "organisations", TYC, [
        ok(T[1], C02[1], name=T[1][0], city="Nantong", district="启东市", org_type=ENT, industry_code="C37",
           employees=860, founded_year=2006),
        ok(T[2], C02[2], name=T[2][0], city="Nantong", district="海门区", industry_code="C17", employees=134,
           founded_year=2010),
        ok(T[3], C02[3], name=T[3][0], city="Nantong", district="通州区", industry_code="C38", employees=305,
           founded_year=2017),
        ok(T[4], C02[4], name=T[4][0], city="Nantong", district="崇川区", industry_code="I65", employees=48,
           founded_year=2020),
        ok(T[5], C02[5], name=T[5][0], city="Nantong", district="如皋市", org_type=ENT, industry_code="C36",
           employees=210, founded_year=2004),
        ok(T[6], C02[6], name=T[6][0], city="Nantong", district="海安市", industry_code="C29", employees=76,
           founded_year=2008),
        ok(T[7], C02[7], name=T[7][0], city="Nantong", district="南通经济技术开发区", org_type=ENT,
           industry_code="C27", employees=122, founded_year=2015),
        ok(T[8], C02[8], "参保人数 '-' is no value", name=T[8][0], city="Nantong", district="如东县",
           industry_code="C38", employees="", founded_year=2011),
        bad(T_BAD, T_BAD[13], "city", UNKNOWN_CITY, "泰州市 is not one of the three cities"),
    ],
    title=[["天眼查 - 企业数据导出"], ["筛选条件：所属地区 江苏省南通市；导出时间：2026-03-02 10:15:32；共 9 条"]],
    sheet="导出数据"))

# --------------------------------------------------------------------------------------- 03 启信宝
QXB = ["企业名称", "统一社会信用代码", "法定代表人", "经营状态", "成立日期", "注册资本", "实缴资本", "企业类型", "所属省份",
       "所属城市", "所属区县", "所属行业", "联系电话", "邮箱", "参保人数", "注册地址", "经营范围", "英文名称"]


def qxb(name: str, region: str, founded: str, capital: str, ctype: str, district: str, industry: str, staff: str,
        address: str, scope: str, old: bool = False, city: str = "上海市") -> list[object]:
    code = cc(region, name, old=old)
    return [name, code, "李文涛" if len(name) % 2 else "赵倩", "存续（在营、开业、在册）", founded, capital, "-", ctype,
            "上海市", city, district, industry, "021-5" + str(len(name) * 1234567)[:7], "-", staff, address, scope, "-"]


Q = {
    1: qxb("上海芯瑞集成电路有限公司", "310115", "2011年5月1日", "12000万元人民币", "有限责任公司（自然人投资或控股）",
           "浦东新区", "计算机、通信和其他电子设备制造业", "430", "中国（上海）自由贸易试验区祖冲之路1077号",
           "集成电路芯片制造、销售；集成电路设计", True),
    2: qxb("上海闵研生物医药科技有限公司", "310112", "2014年9月12日", "3000万元人民币", "有限责任公司（自然人投资或控股）",
           "闵行区", "医药制造业", "88", "上海市闵行区紫星路588号", "生物医药技术开发；药品生产", True),
    3: qxb("上海嘉驰汽车科技有限公司", "310114", "2008年3月6日", "1亿元人民币", "有限责任公司（中外合资）",
           "嘉定区", "汽车制造业", "512", "上海市嘉定区安亭镇墨玉南路888号", "汽车零部件的研发、生产", True),
    4: qxb("上海松擎机器人有限公司", "310117", "2016年11月30日", "5000万元人民币", "有限责任公司（自然人投资或控股）",
           "松江区", "通用设备制造业", "143", "上海市松江区九亭镇九泾路1201号", "工业机器人制造；智能机器人的研发"),
    5: qxb("上海徐汇云算信息技术有限公司", "310104", "2019年7月1日", "1000万元人民币", "有限责任公司（自然人独资）",
           "徐汇区", "软件和信息技术服务业", "67", "上海市徐汇区云锦路701号", "软件开发；云计算装备技术服务"),
    6: qxb("上海静安数科技术服务有限公司", "310106", "2012年2月29日", "500万元人民币", "有限责任公司（自然人投资或控股）",
           "静安区", "科技推广和应用服务业", "25", "上海市静安区共和新路3088号", "技术服务、技术开发、技术咨询", True),
    7: qxb("上海杨浦云感科技有限公司", "310110", "2017年10月18日", "2000万元人民币", "有限责任公司（国有控股）",
           "杨浦区", "研究和试验发展", "31", "上海市杨浦区国定路335号", "传感技术研究与试验发展", city="市辖区"),
    8: qxb("上海临港海风电气有限公司", "310115", "2020年4月3日", "8000万元人民币", "其他有限责任公司", "浦东新区",
           "电气机械和器材制造业", "96", "中国（上海）自由贸易试验区临港新片区环湖西二路888号", "海上风电变流器制造"),
    9: qxb("上海宝山智能装备有限公司", "310113", "2001年12月25日", "6000万元人民币", "有限责任公司（国有独资）",
           "宝山区", "专用设备制造业", "280", "上海市宝山区富联路1100号", "冶金专用设备制造", True),
    10: qxb("上海青浦精测仪器有限公司", "310118", "2010年6月8日", "800万元人民币", "有限责任公司（自然人投资或控股）",
            "青浦区", "仪器仪表制造业", "45", "上海市青浦区华新镇华志路1688号", "测量仪器制造", True),
}
Q_BAD = qxb("上海奉贤美谷生物科技有限公司", "310120", "2031年3月15日", "1000万元人民币",
            "有限责任公司（自然人投资或控股）", "奉贤区", "医药制造业", "38", "上海市奉贤区金海公路6055号", "化妆品原料研发")
QX = [("浦东新区", "C39", 430, 2011), ("闵行区", "C27", 88, 2014), ("嘉定区", "C36", 512, 2008),
      ("松江区", "C34", 143, 2016), ("徐汇区", "I65", 67, 2019), ("静安区", "M75", 25, 2012),
      ("杨浦区", "M73", 31, 2017), ("浦东新区", "C38", 96, 2020), ("宝山区", "C35", 280, 2001),
      ("青浦区", "C40", 45, 2010)]
WHY_03 = {1: "注册资本 is not revenue: revenue_wan stays empty",
          7: "所属城市 '市辖区' (how national division data name a municipality's districts) under 所属省份 上海市: "
             "the city is Shanghai",
          8: "an address in the 临港新片区 of the Shanghai FTZ; 所属区县 says 浦东新区"}
add(Case(
    "03_qixinbao_export_shanghai.csv",
    "启信宝 export (批量导出) of Shanghai firms, saved as CSV by Excel on a Chinese Windows (GBK)",
    "GBK; the platform's column set (经营状态, 注册地址, 所属行业); 成立日期 as '2011年5月1日'; 所属城市 '上海市' and "
    "once '市辖区'; a founding date in the future (2031 for 2013) rejected",
    "gbk", "organisations", QXB, [
        ok(Q[i], Q[i][1], WHY_03.get(i, ""), name=Q[i][0], city="Shanghai", district=d, org_type=ENT,
           industry_code=ind, employees=e, founded_year=y, **({"revenue_wan": ""} if i == 1 else {}))
        for i, (d, ind, e, y) in enumerate(QX, start=1)
    ] + [bad(Q_BAD, Q_BAD[1], "founded_year", ["future", "year", "range", "年份", "未来", "范围"],
             "founded in 2031: a year after this one is rejected")]))

# ------------------------------------------------------------------------- 04 staff list, title row
H04 = ["序号", "企业名称", "统一社会信用代码", "所在城市", "所在区县", "机构类型", "所属行业", "主营产品", "员工人数",
       "成立时间", "营业收入", "联系人", "联系电话", "备注"]
S = {}
S[1] = ["1", "苏州工业园区瀚博生物科技有限公司", cc("320594", "苏州工业园区瀚博生物科技有限公司"), "苏州", "工业园区",
        "民营企业", "医药制造业", "抗体药物CDMO服务；细胞株构建", "120人", "2013年5月1日", "1.2亿元", "刘洋", "0512-62990001",
        "园区生物医药产业园"]
S[2] = ["2", "苏州金枫精密制造有限公司", cc("320506", "苏州金枫精密制造有限公司", old=True), "江苏省苏州市",
        "江苏省苏州市吴中区木渎镇金枫路216号", "民营企业", "通用设备制造业", "精密零部件加工", "350", "2011/5/1",
        "3000000元", "徐斌", "13900000002", ""]
S[3] = ["3", "昆山铭泰电子科技有限公司", cc("320583", "昆山铭泰电子科技有限公司"), "苏州市（江苏省）", "昆山", "外资企业",
        "计算机、通信和其他电子设备制造业", "笔记本电脑结构件", "1,200", "2003-08-15", "5.6亿元", "林佳", "0512-57000003",
        "台资"]
S[4] = ["4", "苏州纳微先进材料研究院", cc("320505", "苏州纳微先进材料研究院", prefix="12"), "江苏苏州", "苏州高新区",
        "研究院", "研究和试验发展", "纳米材料中试与检测", "260人", "2008年", "", "赵磊", "0512-68000004", "事业单位"]
S[5] = ["5", "南通海洋大学", cc("320602", "南通海洋大学", prefix="12", old=True), "南通", "崇川区", "大学", "",
        "船舶与海洋工程人才培养与联合研发", "1,850", "1958年", "", "孙老师", "0513-85000005", ""]
S[6] = ["6", "南通江海创业投资基金（有限合伙）", cc("320600", "南通江海创业投资基金（有限合伙）"), "江苏省南通市", "崇川区",
        "创投基金", "资本市场服务", "早期科技企业股权投资", "12", "2019-03", "", "钱蕾", "0513-85000006", "基金规模5亿元"]
S[7] = ["7", "南通港航装备集团有限公司", cc("320612", "南通港航装备集团有限公司", old=True), "Nantong, Jiangsu", "通州区",
        "国有企业", "铁路、船舶、航空航天和其他运输设备制造业", "港口装卸设备、船舶分段", "2300人", "1996年6月18日",
        "５６０００万元", "马骏", "0513-86000007", ""]
S[8] = ["8", "无锡新吴微纳传感有限公司", cc("320214", "无锡新吴微纳传感有限公司"), "无锡", "新吴区", "民营企业",
        "仪器仪表制造业", "MEMS压力传感器", "85", "2016年", "8000万元", "蒋涛", "0510-85000008", "外市企业，误列"]
S[9] = ["9", "苏州相城智联科技有限公司", cc("320507", "苏州相城智联科技有限公司"), "苏州", "相城区", "民营企业",
        "软件和信息技术服务业", "工业互联网平台", "约120人", "2018年", "2000万元", "沈琳", "0512-65000009", ""]
S[10] = ["10", "苏州相城智造装备有限公司", cc("320507", "苏州相城智造装备有限公司"), "苏州", "相城区", "民营企业",
         "专用设备制造业", "锂电池生产设备", "86", "2015年3月", "8500万", "朱峰", "0512-65000010", ""]
S[11] = ["11", "海安锦绣纺织有限公司", cc("320621", "海安锦绣纺织有限公司", old=True), "江苏省南通市", "海安",
         "民营企业", "纺织业", "高档色织面料", "45人", "2013年6月", "¥3,000,000", "韩梅", "0513-88000011", ""]
add(Case(
    "04_staff_list_title_row.csv",
    "an investment-promotion officer's list typed in Excel and saved as CSV (UTF-8): a title row above the header",
    "title row in a CSV (header on row 2); cities with province (江苏省苏州市, 苏州市（江苏省）, 江苏苏州, Nantong, "
    "Jiangsu); a full address in the district column; 工业园区 / 苏州高新区 / 昆山 / 海安 as districts; "
    "organisation types as people write them; numbers with units (120人, 1,200, 1.2亿元, 3000000元, 8500万, "
    "¥3,000,000, full-width ５６０００万元); dates 2013年5月1日, 2011/5/1, 2019-03, 2015年3月; an unknown city (无锡) "
    "and '约120人' rejected",
    "utf-8", "organisations", H04, [
        ok(S[1], S[1][2], "工业园区 in a Suzhou row is 苏州工业园区; 主营产品 is the offers text", name=S[1][1],
           city="Suzhou", district="苏州工业园区", org_type=ENT, industry_code="C27", employees=120, founded_year=2013,
           revenue_wan="12000", offers="抗体药物CDMO服务；细胞株构建"),
        ok(S[2], S[2][2], "the district column holds a full address: its district is the district", name=S[2][1],
           city="Suzhou", district="吴中区", org_type=ENT, industry_code="C34", employees=350, founded_year=2011,
           revenue_wan="300"),
        ok(S[3], S[3][2], name=S[3][1], city="Suzhou", district="昆山市", org_type=ENT, industry_code="C39",
           employees=1200, founded_year=2003, revenue_wan="56000"),
        ok(S[4], S[4][2], "苏州高新区 is co-extensive with 虎丘区 (regions_hst notes)", name=S[4][1], city="Suzhou",
           district="虎丘区", org_type="institute", industry_code="M73", employees=260, founded_year=2008,
           revenue_wan=""),
        ok(S[5], S[5][2], name=S[5][1], city="Nantong", district="崇川区", org_type="university", industry_code="",
           employees=1850, founded_year=1958),
        ok(S[6], S[6][2], "创投基金 is an investor; the fund size in 备注 is not revenue", name=S[6][1],
           city="Nantong", district="崇川区", org_type="investor", industry_code="J67", employees=12,
           founded_year=2019, revenue_wan=""),
        ok(S[7], S[7][2], name=S[7][1], city="Nantong", district="通州区", org_type=ENT, industry_code="C37",
           employees=2300, founded_year=1996, revenue_wan="56000"),
        bad(S[8], S[8][2], "city", UNKNOWN_CITY, "无锡 is not one of the three cities"),
        bad(S[9], S[9][2], "employees", ["integer", "number", "整数", "数字", "数值"],
            "'约120人' is an estimate, not a count: rejected, not read as 120"),
        ok(S[10], S[10][2], name=S[10][1], city="Suzhou", district="相城区", org_type=ENT, industry_code="C35",
           employees=86, founded_year=2015, revenue_wan="8500"),
        ok(S[11], S[11][2], "¥ with a plain number under a header without a unit (营业收入) is yuan: "
           "¥3,000,000 = 300 万元", name=S[11][1], city="Nantong", district="海安市", org_type=ENT,
           industry_code="C17", employees=45, founded_year=2013, revenue_wan="300"),
    ],
    title=[["2026年苏州、南通重点企业名录（第一批）"]],
    notes=["营业收入 has no unit in its header, so every value carries its own (亿元, 元, 万, ¥ = 元)."]))

# ----------------------------------------------------------------- 05 workbook behind a cover sheet
H05 = ["序号", "单位名称", "信用代码", "城市", "区/县", "单位性质", "行业代码", "主要产品", "从业人数", "成立年份",
       "年营收（万元）", "合作需求"]
W = {}
W[1] = [1, "上海浦芯半导体有限公司", cc("310115", "上海浦芯半导体有限公司"), "上海市市辖区", "浦东新区", "民营企业", "3973",
        "功率器件晶圆代工", 620, 2015, 86000, "寻找封测合作伙伴"]
W[2] = [2, "上海张江微系统技术有限公司", cc("310115", "上海张江微系统技术有限公司", old=True), "中国上海", "Pudong", "国有企业",
        "C 3973", "MEMS传感器芯片", 1500, 1998, 230000.5, "寻找苏州、南通的封装测试产能"]
W[3] = [3, "上海闵行精密光学有限公司", cc("310112", "上海闵行精密光学有限公司", old=True), "Shanghai, China", "闵行",
        "外资企业", "C3976 光电子器件制造", "激光光学元件", 210, 2006, 35000, ""]
W[4] = [4, "上海嘉定氢驰动力科技有限公司", cc("310114", "上海嘉定氢驰动力科技有限公司"), "上海", "嘉定区", "中外合资企业",
        "3670", "燃料电池电堆", 330, 2018, 41000, "寻找南通的零部件供应商"]
W[5] = [5, "南通海门生物制药股份有限公司", cc("320684", "南通海门生物制药股份有限公司", old=True), "南通市", "海门区",
        "上市公司", "c2761", "重组蛋白药物", 540, 2010, 98000, ""]
W[6] = [6, "上海浦江科创投资管理有限公司", cc("310101", "上海浦江科创投资管理有限公司"), "上海", "黄浦区", "投资公司",
        "J6731", "硬科技早期投资", 25, 2012, None, "寻找长三角优质项目"]
W[7] = [7, "苏州长三角先进材料研究院有限公司", cc("320507", "苏州长三角先进材料研究院有限公司"), "苏州", "相城区",
        "新型研发机构", "39", "电子专用材料中试", 180, 2019, 5200, ""]
W[8] = [8, "上海松江星联电子有限公司", cc("310117", "上海松江星联电子有限公司"), "上海", "松江区", "民营企业", "C3998",
        "电子元器件", 120, 2014, 9000, ""]
W[9] = [9, "南通崇川光电材料有限公司", cc("320613", "南通崇川光电材料有限公司"), "南通", "崇川区", "民营企业", "C3985",
        "OLED电子专用材料", "１２０", 2021, "３６００", ""]
add(Case(
    "05_staff_workbook_cover_sheet.xlsx",
    "a district office's Excel workbook: a cover sheet (封面: title, 填报单位, 填报说明) and the data on the second "
    "sheet 企业信息, numbers typed as numbers",
    "the data sheet found behind a cover sheet; typed numeric cells (620, 2015, 230000.5); industry codes "
    "without the section letter, with a space, with their name, lower-case, a division only; 上海市市辖区 / 中国上海 / "
    "Shanghai, China; 投资公司 (an investor, not an enterprise), 新型研发机构, 上市公司; full-width digits; a code "
    "that is not in GB/T 4754 (C3998) rejected",
    "xlsx", "organisations", H05, [
        ok(W[1], W[1][2], name=W[1][1], city="Shanghai", district="浦东新区", org_type=ENT, industry_code="C3973",
           employees=620, founded_year=2015, revenue_wan="86000"),
        ok(W[2], W[2][2], name=W[2][1], city="Shanghai", district="浦东新区", org_type=ENT, industry_code="C3973",
           employees=1500, founded_year=1998, revenue_wan="230000.5"),
        ok(W[3], W[3][2], name=W[3][1], city="Shanghai", district="闵行区", org_type=ENT, industry_code="C3976",
           employees=210, founded_year=2006, revenue_wan="35000"),
        ok(W[4], W[4][2], name=W[4][1], city="Shanghai", district="嘉定区", org_type=ENT, industry_code="C3670",
           employees=330, founded_year=2018, revenue_wan="41000"),
        ok(W[5], W[5][2], name=W[5][1], city="Nantong", district="海门区", org_type=ENT, industry_code="C2761",
           employees=540, founded_year=2010, revenue_wan="98000"),
        ok(W[6], W[6][2], "投资公司 is an investor although it ends in 公司", name=W[6][1], city="Shanghai",
           district="黄浦区", org_type="investor", industry_code="J6731", employees=25, founded_year=2012,
           revenue_wan=""),
        ok(W[7], W[7][2], "新型研发机构 is an institute (issue §3) even when registered as a company",
           name=W[7][1], city="Suzhou", district="相城区", org_type="institute", industry_code="C39", employees=180,
           founded_year=2019, revenue_wan="5200"),
        bad(W[8], W[8][2], "industry_code", ["industry", "行业", "3998"], "C3998 is not a GB/T 4754-2017 code"),
        ok(W[9], W[9][2], name=W[9][1], city="Nantong", district="崇川区", org_type=ENT, industry_code="C3985",
           employees=120, founded_year=2021, revenue_wan="3600"),
    ],
    cover=[["沪苏通产业链合作对接企业信息汇总表"], [], ["填报单位：上海市浦东新区投资促进服务中心（盖章）"],
           ["填报日期：2026年2月"], [], ["填报说明："], ["1. 请在“企业信息”表中逐行填写，每行一家单位；"],
           ["2. 信用代码请填写18位统一社会信用代码；"], ["3. 年营收以万元为单位，无数据可不填。"]],
    sheet="企业信息"))

# ----------------------------------------------------------------------- 06 foreign-invested, English
H06 = ["Company Name", "Unified Social Credit Code", "City", "District/County", "Address", "Main Products",
       "Employees", "Founded", "Annual Revenue (RMB)", "Industry", "Contact Person", "Email"]


def en(name: str, region: str, city: str, district: str, address: str, products: str, staff: str, founded: str,
       revenue: str, industry: str, contact: str, old: bool = False) -> list[object]:
    slug = re.sub(r"[^a-z]", "", name.lower())[:14]
    return [name, cc(region, name, old=old), city, district, address, products, staff, founded, revenue, industry,
            contact, f"{contact.split()[0].lower()}@{slug}.example.com"]


E = {
    1: en("Suzhou Kaltenbach Precision Components Co., Ltd.", "320594", "Suzhou, Jiangsu", "SIP",
          "No. 88 Suhong East Road, Suzhou Industrial Park, Suzhou, Jiangsu 215021, China",
          "Precision stamped and deep-drawn parts", "240", "2006-04-18", "¥380,000,000",
          "Manufacture of General-purpose Machinery", "Stefan Kaltenbach", old=True),
    2: en("Kunshan Formosa Electronics Co., Ltd.", "320583", "Kunshan", "",
          "No. 1288 Qianjin East Road, Kunshan Economic & Technical Development Zone, Jiangsu 215300",
          "Notebook PC motherboards; EMS", "1,850", "2001", "RMB 1,200,000,000",
          "Manufacture of Computers, Communication and Other Electronic Equipment", "David Lin", old=True),
    3: en("Shanghai Meridian Medical Devices Co., Ltd.", "310115", "Shanghai, China", "Pudong New Area",
          "Building 3, No. 999 Zhangheng Road, Pudong, Shanghai 201203", "Patient monitors; ultrasound probes",
          "85", "12/03/2014", "¥96,500,000", "C3581", "Anna Schmidt"),
    4: en("Nantong Nordic Marine Engineering Co., Ltd.", "320681", "Nantong, Jiangsu Province", "Qidong",
          "No. 8 Jianghai Road, Qidong Marine Industry Park, Nantong, Jiangsu", "Offshore modules; ship outfitting",
          "460", "2008", "¥1,050,000,000", "Manufacture of Railway, Ship, Aerospace and Other Transport Equipment",
          "Lars Nilsson", old=True),
    5: en("Taicang Schwaben Automotive Parts Co., Ltd.", "320585", "Taicang", "",
          "No. 52 Qingdao West Road, Taicang, Jiangsu 215400", "Fuel injection components", "320", "2016-09-01",
          "¥420,000,000", "C3670", "Jürgen Bauer"),
    6: en("Suzhou Lumina Optics Co., Ltd.", "320505", "SUZHOU", "Suzhou New District",
          "No. 78 Keling Road, Suzhou New District, Jiangsu", "Optical lenses; lidar optics", "150", "2012",
          "¥88,000,000", "C3976", "Kenji Sato"),
    7: en("Wujiang Eurotex Fibre Co., Ltd.", "320584", "Su Zhou", "Wujiang District",
          "Shengze Town, Wujiang District, Suzhou, Jiangsu", "Polyester filament; functional fibres", "510", "2004",
          "¥650,000,000", "Manufacture of Textiles", "Marco Rossi", old=True),
    8: en("Shanghai Minhang Chemtec Co., Ltd.", "310112", "Shanghai", "Minhang",
          "No. 1000 Jianchuan Road, Minhang District, Shanghai", "Specialty coatings", "95", "2010",
          "¥150,000,000", "C26", "Pierre Dubois", old=True),
    9: en("Suzhou Helix Biologics Co., Ltd.", "320594", "Suzhou City, Jiangsu Province", "Suzhou Industrial Park",
          "BioBAY, No. 218 Xinghu Street, SIP, Suzhou", "Monoclonal antibodies", "210", "2015", "¥3,000,000",
          "Manufacture of Medicines", "Emily Chen"),
    10: en("Zhangjiagang Baltic Steel Cord Co., Ltd.", "320582", "Zhangjiagang, Jiangsu", "",
           "Jinfeng Town, Zhangjiagang, Jiangsu", "Steel cord for tyres", "700", "2005", "¥2,300,000,000", "C33",
           "Jan Kowalski", old=True),
}
E_BAD1 = en("Wuxi Alpine Sensors Co., Ltd.", "320214", "Wuxi, Jiangsu", "Xinwu District",
            "No. 10 Xinhua Road, Xinwu District, Wuxi", "Pressure sensors", "130", "2017", "¥75,000,000", "C40",
            "Hans Gruber")
E_BAD2 = en("Nantong Kiwa Coatings Co., Ltd.", "320612", "Nantong", "Tongzhou District",
            "No. 6 Xiwang Road, Tongzhou District, Nantong", "Marine coatings", "approx. 300", "2012", "¥210,000,000",
            "C26", "Tom Baker")
EX = [("Suzhou", "苏州工业园区", "C34", 240, 2006, "38000"), ("Suzhou", "昆山市", "C39", 1850, 2001, "120000"),
      ("Shanghai", "浦东新区", "C3581", 85, 2014, "9650"), ("Nantong", "启东市", "C37", 460, 2008, "105000"),
      ("Suzhou", "太仓市", "C3670", 320, 2016, "42000"), ("Suzhou", "虎丘区", "C3976", 150, 2012, "8800"),
      ("Suzhou", "吴江区", "C17", 510, 2004, "65000"), ("Shanghai", "闵行区", "C26", 95, 2010, "15000"),
      ("Suzhou", "苏州工业园区", "C27", 210, 2015, "300"), ("Suzhou", "张家港市", "C33", 700, 2005, "230000")]
WHY_06 = {1: "SIP is Suzhou Industrial Park; Main Products is the offers text; ¥380,000,000 under a header "
             "saying RMB (yuan) is 38000 万元",
          2: "Kunshan as the city: city Suzhou, district 昆山市", 3: "12/03/2014: day/month order does not "
          "matter for the year", 6: "Suzhou New District (SND) is 虎丘区", 5: "Taicang as the city: 太仓市"}
add(Case(
    "06_foreign_invested_en.csv",
    "an English list of foreign-invested firms (a foreign chamber of commerce / the FDI desk), UTF-8",
    "English headers (Company Name, Unified Social Credit Code, District/County, Main Products, Employees, "
    "Founded); cities 'Suzhou, Jiangsu', 'Suzhou City, Jiangsu Province', 'SUZHOU', 'Su Zhou', 'Kunshan', "
    "'Taicang' (county-level cities as the city); districts SIP, Suzhou New District, Pudong New Area, Qidong; "
    "revenue in yuan (¥…, RMB …) to 万元; industry as the GB/T 4754 English division name or a code; Wuxi and "
    "'approx. 300' rejected",
    "utf-8", "organisations", H06, [
        ok(E[i], E[i][1], WHY_06.get(i, ""), name=E[i][0], city=c_, district=d, industry_code=ind, employees=e,
           founded_year=y, revenue_wan=rv,
           **({"offers": "Precision stamped and deep-drawn parts"} if i == 1 else {}))
        for i, (c_, d, ind, e, y, rv) in enumerate(EX, start=1)
    ] + [bad(E_BAD1, E_BAD1[1], "city", UNKNOWN_CITY, "Wuxi is not one of the three cities"),
         bad(E_BAD2, E_BAD2[1], "employees", ["integer", "number", "整数", "数字", "数值"],
             "'approx. 300' is an estimate, not a count")],
    notes=["Annual Revenue (RMB): the header says the unit is yuan, so ¥380,000,000 → 38000 万元; a careful "
           "officer never reads it as 380 million 万元."]))

# --------------------------------------------------------------------------------- 07 project list
H07 = ["序号", "项目名称", "项目编号", "发起单位", "发起单位统一社会信用代码", "所在城市", "所在区县", "所属行业", "总投资",
       "项目阶段", "项目简介", "合作需求", "联系人", "联系电话"]
P = {
    1: ["1", "12英寸功率半导体特色工艺产线扩建", "HST-2026-SZ-001", "苏州瀚芯微电子科技有限公司", C01_1, "苏州", "苏州工业园区",
        "集成电路制造", "5.5亿元", "扩产", "新增月产能2万片，建设特色工艺平台", "寻找设备零部件供应商与封测合作伙伴", "王立群",
        "0512-62880101"],
    2: ["2", "海上风电运维母船研制", "HST-2026-NT-002", "南通海宸海洋工程装备有限公司", C02[1], "南通", "启东",
        "铁路、船舶、航空航天和其他运输设备制造业", "3000万元", "研发", "研制适应东海海况的运维母船", "寻找上海的船舶设计院所联合研发",
        "张海峰", "0513-83210001"],
    3: ["3", "细胞治疗CDMO中试平台", "HST-2026-SH-003", "上海闵研生物医药科技有限公司", Q[2][1], "上海", "浦东",
        "医药制造业", "8000万", "中试阶段", "建设符合GMP的细胞治疗中试车间", "寻找苏州的生产基地", "赵倩", "021-50000003"],
    4: ["4", "家纺数字化印染示范工厂", "HST-2026-NT-004", "南通瑞纺家居用品有限公司", C02[2], "南通市", "海门",
        "纺织业", "1.2亿", "构想", "数码印花与柔性生产示范", "寻找投资机构与数字化服务商", "李明", "0513-82000004"],
    5: ["5", "新能源汽车电驱系统产线", "HST-2026-SZ-005", "常熟市华虞汽车部件有限公司", C01_6, "江苏省苏州市", "常熟市",
        "汽车制造业", "２０００万元", "扩产", "新增电驱壳体与减速器产线", "寻找上海整车厂客户", "顾卫东", "0512-52660606"],
    6: ["6", "工业机器人关节模组研发", "HST-2026-SH-006", "上海松擎机器人有限公司", Q[4][1], "上海市", "松江区",
        "工业机器人制造", "50000000元", "研发阶段", "谐波减速器与关节模组国产化", "寻找南通的精密加工供应商", "李文涛",
        "021-50000006"],
    7: ["7", "动力电池梯次利用与回收", "HST-2026-NT-007", "", "", "南通", "如东县", "电气机械和器材制造业", "约5亿", "构想",
        "退役电池梯次利用与材料回收", "寻找技术合作方", "陈静", "0513-84000007"],
    8: ["8", "光纤预制棒扩能项目", "HST-2026-SZ-008", "", "", "苏州", "吴江区", "光纤制造", "3.6亿元", "扩产",
        "新增光纤预制棒产能", "寻找上海的研发合作", "沈国强", "0512-63000008"],
    9: ["9", "长三角先进材料联合实验室共建", "HST-2026-SZ-009", "苏州长三角先进材料研究院有限公司", W[7][2],
        "Suzhou, Jiangsu", "相城区", "研究和试验发展", "1500万元", "构想", "与上海高校共建联合实验室", "寻找高校与科研院所",
        "朱峰", "0512-65000009"],
}
add(Case(
    "07_project_list.csv",
    "a project list (招商项目库) from the municipal investment-promotion bureau, saved as CSV by Excel (GBK)",
    "the project kind (项目编号 and 发起单位统一社会信用代码, which is the sponsor's code, not the key); 总投资 with "
    "units (亿元, 万元, 万, 元, full-width) to 万元; 项目阶段 written with 阶段; the industry as a class name "
    "(集成电路制造 → C3973, 工业机器人制造 → C3491, 光纤制造 → C3832) or a division name; '约5亿' rejected",
    "gbk", "projects", H07, [
        ok(P[1], "HST-2026-SZ-001", title=P[1][1], sponsor_credit_code=C01_1, city="Suzhou", district="苏州工业园区",
           industry_code="C3973", investment_wan="55000", stage="expansion"),
        ok(P[2], "HST-2026-NT-002", "启东 alone is 启东市", title=P[2][1], city="Nantong", district="启东市",
           industry_code="C37", investment_wan="3000", stage="rd"),
        ok(P[3], "HST-2026-SH-003", "中试阶段 is pilot", title=P[3][1], city="Shanghai", district="浦东新区",
           industry_code="C27", investment_wan="8000", stage="pilot"),
        ok(P[4], "HST-2026-NT-004", title=P[4][1], city="Nantong", district="海门区", industry_code="C17",
           investment_wan="12000", stage="idea"),
        ok(P[5], "HST-2026-SZ-005", title=P[5][1], city="Suzhou", district="常熟市", industry_code="C36",
           investment_wan="2000", stage="expansion"),
        ok(P[6], "HST-2026-SH-006", "50000000元 = 5000 万元; 研发阶段 is rd", title=P[6][1], city="Shanghai",
           district="松江区", industry_code="C3491", investment_wan="5000", stage="rd"),
        bad(P[7], "HST-2026-NT-007", "investment_wan", ["number", "数字", "数值", "金额", "amount"],
            "'约5亿' is an estimate: rejected, not read as 50000"),
        ok(P[8], "HST-2026-SZ-008", "no sponsor: sponsor_credit_code empty", title=P[8][1], sponsor_credit_code="",
           city="Suzhou", district="吴江区", industry_code="C3832", investment_wan="36000", stage="expansion"),
        ok(P[9], "HST-2026-SZ-009", title=P[9][1], city="Suzhou", district="相城区", industry_code="M73",
           investment_wan="1500", stage="idea"),
    ],
    notes=["总投资 has no unit in its header; every value carries its own."]))

# ------------------------------------------------------------------------------- 08 addresses only
H08 = ["企业名称", "统一社会信用代码", "注册地址", "主营业务", "行业代码"]
A = [
    ("上海虹口海纳数据科技有限公司", "310109", "上海市虹口区昆山路146号3楼", "数据治理软件", "I6513", "Shanghai", "虹口区",
     "昆山路 is a road in 虹口区, not 昆山市"),
    ("苏州越溪智能装备有限公司", "320506", "江苏省苏州市吴中区越溪街道吴中大道1368号", "自动化装配线", "C35", "Suzhou", "吴中区", ""),
    ("苏州星湖数字科技有限公司", "320594", "苏州工业园区星湖街328号创意产业园5-301", "工业软件", "I65", "Suzhou", "苏州工业园区",
     "an address starting with 苏州工业园区 names the city and the zone"),
    ("昆山元丰精密模具有限公司", "320583", "昆山市玉山镇元丰路232号", "精密模具", "C3525", "Suzhou", "昆山市",
     "an address starting with a county-level city: city Suzhou"),
    ("南通濠河信息技术有限公司", "320613", "江苏省南通市崇川区工农路57号", "政务软件", "I65", "Nantong", "崇川区", ""),
    ("上海张江蓝海生物科技有限公司", "310115", "上海市浦东新区张江路665号", "体外诊断试剂", "C27", "Shanghai", "浦东新区", ""),
    ("张家港暨阳新材料有限公司", "320582", "江苏省张家港市杨舍镇暨阳中路", "高分子材料", "C29", "Suzhou", "张家港市", ""),
    ("南通金沙纺织科技有限公司", "320683", "江苏省南通市通州区金沙镇新金西路8号", "家纺面料", "C17", "Nantong", "通州区", ""),
    ("上海江场智能科技有限公司", "310106", "上海市静安区江场西路1228弄", "智能楼宇系统", "I65", "Shanghai", "静安区", ""),
    ("苏州狮山光电科技有限公司", "320505", "江苏省苏州市高新区狮山路28号", "激光器", "C3976", "Suzhou", "虎丘区",
     "苏州市高新区 is 苏州高新区 = 虎丘区"),
    ("南通永兴机电有限公司", "320611", "江苏省南通市港闸区永兴大道888号", "电机", "C38", "Nantong", "崇川区",
     "港闸区 (abolished 2020) is now 崇川区"),
    ("上海富特检测技术有限公司", "310115", "中国（上海）自由贸易试验区富特北路211号", "检测认证服务", "M74", "Shanghai", "浦东新区",
     "'中国（上海）自由贸易试验区' without a district (外高桥 roads) is registered in 浦东新区: every Shanghai "
     "officer reads it so"),
    ("苏州干将文化科技有限公司", "320508", "苏州市姑苏区干将西路1298号", "数字文创", "I65", "Suzhou", "姑苏区", ""),
]
H08_ROWS = []
for name, region, addr, prod, ind, city, dist, why in A:
    code = cc(region, name, old=region in ("320683", "320611"))
    H08_ROWS.append(ok([name, code, addr, prod, ind], code, why, warn=False, name=name, city=city, district=dist,
                       industry_code=ind))
code = cc("320211", "无锡蠡湖传感技术有限公司")
H08_ROWS.append(bad(["无锡蠡湖传感技术有限公司", code, "江苏省无锡市滨湖区蠡湖大道2288号", "传感器", "C40"], code, "city",
                    UNKNOWN_CITY, "the address is in 无锡, not one of the three cities"))
add(Case(
    "08_addresses_only.csv",
    "a list exported from a park's tenant register: name, code and registered address only (UTF-8 with BOM)",
    "no city or district column: both come from the address (issue §1); a road named after another place "
    "(上海市虹口区昆山路); an address beginning with the zone or the county-level city; 港闸区 in an old address; "
    "an FTZ address; an address in 无锡 rejected",
    "utf-8-sig", "organisations", ["企业名称", "统一社会信用代码", "注册地址", "主营业务", "行业代码"], H08_ROWS))

# -------------------------------------------------------------------- 09 county-level cities as city
H09 = ["企业名称", "统一社会信用代码", "城市", "区县", "主营产品", "员工人数", "成立年份"]
K = [
    ("昆山佳禾电子有限公司", "320583", "昆山市", "", "连接器", "680", "2009", "Suzhou", "昆山市", ""),
    ("昆山智汇精密机械有限公司", "320583", "Kunshan", "", "数控机床", "150", "2014", "Suzhou", "昆山市", ""),
    ("太仓港华物流装备有限公司", "320585", "太仓", "太仓市", "港口起重机", "210", "2011", "Suzhou", "太仓市", ""),
    ("张家港沙洲新能源有限公司", "320582", "张家港市", "", "光伏组件", "390", "2010", "Suzhou", "张家港市", ""),
    ("常熟虞山服饰有限公司", "320581", "常熟", "常熟市", "羽绒服", "820", "1999", "Suzhou", "常熟市", ""),
    ("海安南莫机电有限公司", "320685", "海安市", "", "电机", "230", "2019", "Nantong", "海安市", ""),
    ("启东吕四海洋生物科技有限公司", "320681", "启东", "", "海洋生物制品", "96", "2016", "Nantong", "启东市", ""),
    ("如皋长江船舶配套有限公司", "320682", "如皋市", "", "船用舾装件", "175", "2007", "Nantong", "如皋市", ""),
    ("昆山玉山光电有限公司", "320583", "KUNSHAN", "玉山镇", "光学膜", "340", "2012", "Suzhou", "昆山市",
     "a town (镇) of 昆山 in the district column: the district is the county-level city named as the city"),
    ("太仓德企精工有限公司", "320585", "Taicang City", "", "精密轴承", "125", "2017", "Suzhou", "太仓市", ""),
    ("昆山花桥数字科技有限公司", "320583", "江苏省昆山市", "花桥镇", "金融外包软件", "520", "2008", "Suzhou", "昆山市",
     "the same with the province before the city"),
]
R09 = []
for name, region, city_in, dist_in, prod, staff, year, city, dist, why in K:
    code = cc(region, name, old=int(year) < 2015)
    R09.append(ok([name, code, city_in, dist_in, prod, staff, year], code, why, name=name, city=city, district=dist,
                  employees=int(staff), founded_year=int(year)))
code = cc("320281", "江阴澄江化纤有限公司", old=True)
R09.append(bad(["江阴澄江化纤有限公司", code, "江阴市", "", "涤纶短纤", "400", "2002"], code, "city", UNKNOWN_CITY,
               "江阴市 is a county-level city of 无锡, not of the alliance"))
add(Case(
    "09_county_level_cities_as_city.csv",
    "lists from the county-level cities' commerce bureaus (昆山、太仓、张家港、常熟、海安、启东、如皋), merged, UTF-8",
    "a county-level city written as the city (昆山市, Kunshan, KUNSHAN, 太仓, Taicang City, 江苏省昆山市 …): city "
    "Suzhou/Nantong and the county-level city as the district; the district column empty, repeated, or a town; "
    "江阴市 (Wuxi) rejected",
    "utf-8", "organisations", H09, R09))

# ---------------------------------------------------------------------------- 10 development zones
H10 = ["企业名称", "信用代码", "城市", "区县", "主导产业", "员工数"]
Z = [
    ("苏州园区星海半导体有限公司", "320594", "苏州", "苏州工业园区", "苏州工业园区", ""),
    ("苏州金鸡湖精密电子有限公司", "320594", "苏州", "工业园区", "苏州工业园区", "工业园区 in a Suzhou row"),
    ("苏州独墅湖生物制药有限公司", "320594", "Suzhou", "SIP", "苏州工业园区", ""),
    ("苏州斜塘软件有限公司", "320594", "苏州", "园区", "苏州工业园区",
     "'园区' is what Suzhou people call SIP (苏州工业园区); in a Suzhou row it means nothing else"),
    ("苏州科技城光电有限公司", "320505", "苏州", "苏州高新区", "虎丘区", "苏州高新区 = 虎丘区"),
    ("苏州浒墅关智能装备有限公司", "320505", "苏州", "高新区", "虎丘区",
     "'高新区' in a Suzhou row is 苏州高新区 (Nantong's 高新区 lies in 通州区, not asked here)"),
    ("苏州狮山医疗科技有限公司", "320505", "苏州", "苏州高新区（虎丘区）", "虎丘区", "the official double name"),
    ("苏州通安新材料有限公司", "320505", "苏州", "SND", "虎丘区", "SND = Suzhou New District"),
    ("南通星湖药业有限公司", "320600", "南通", "南通经济技术开发区", "南通经济技术开发区", ""),
    ("南通开发区精密机械有限公司", "320600", "南通", "南通开发区", "南通经济技术开发区", "the everyday short name"),
    ("南通能达新能源有限公司", "320600", "南通", "南通经开区", "南通经济技术开发区", "经开区 = 经济技术开发区"),
    ("昆山开发区光电显示有限公司", "320583", "苏州", "昆山开发区", "昆山市",
     "a zone inside a county-level city: the county-level city is the district"),
    ("张家港保税区化工物流有限公司", "320582", "苏州", "张家港保税区", "张家港市", "a zone inside 张家港市"),
    ("苏州吴中开发区机器人有限公司", "320506", "苏州", "吴中经济技术开发区", "吴中区", "the zone named after its district"),
    ("上海张江智芯科技有限公司", "310115", "上海", "张江高科技园区", "浦东新区", "张江 lies wholly in 浦东新区"),
    ("上海紫竹数字创意有限公司", "310112", "上海", "紫竹高新区", "闵行区", "紫竹高新区 lies in 闵行区"),
]
R10 = []
for i, (name, region, city_in, zone, dist, why) in enumerate(Z):
    code = cc(region, name)
    city = {"苏州": "Suzhou", "Suzhou": "Suzhou", "南通": "Nantong", "上海": "Shanghai"}[city_in]
    staff = str(60 + 37 * i)
    R10.append(ok([name, code, city_in, zone, "电子信息" if i % 2 else "高端装备", staff], code, why, name=name,
                  city=city, district=dist, employees=int(staff)))
add(Case(
    "10_development_zones.csv",
    "a list kept by zone administrations (园区、高新区、开发区) and merged by the city bureau, CSV from Excel (GBK)",
    "development zones as people name them in the district column: SIP (苏州工业园区, 工业园区, SIP, 园区), Suzhou "
    "New District (苏州高新区, 高新区, 苏州高新区（虎丘区）, SND), 南通经济技术开发区 (南通开发区, 南通经开区), zones inside "
    "a county-level city or a district (昆山开发区, 张家港保税区, 吴中经济技术开发区), Shanghai parks (张江高科技园区, "
    "紫竹高新区)",
    "gbk", "organisations", H10, R10))

# --------------------------------------------------------------------------------- 11 legacy names
H11 = ["企业名称", "统一社会信用代码", "城市", "区县", "成立年份", "员工人数"]
L = [
    ("上海闸北数据港科技有限公司", "310108", "上海", "闸北区", "静安区", "2009"),
    ("上海卢湾时尚设计有限公司", "310103", "上海", "卢湾区", "黄浦区", "2006"),
    ("上海南汇航空配件有限公司", "310119", "上海", "南汇区", "浦东新区", "2003"),
    ("上海崇明生态农业科技有限公司", "310230", "上海", "崇明县", "崇明区", "2012"),
    ("吴江盛泽丝绸有限公司", "320584", "苏州", "吴江市", "吴江区", "1997"),
    ("苏州平江文化创意有限公司", "320503", "苏州", "平江区", "姑苏区", "2008"),
    ("苏州沧浪精密仪器有限公司", "320502", "苏州", "沧浪区", "姑苏区", "2005"),
    ("海门三厂纺织有限公司", "320684", "南通", "海门市", "海门区", "2002"),
    ("通州川港机械有限公司", "320683", "南通", "通州市", "通州区", "2004"),
    ("南通港闸数码科技有限公司", "320611", "南通", "港闸区", "崇川区", "2013"),
    ("海安县曲塘纺机有限公司", "320621", "南通", "海安县", "海安市", "2010"),
    ("吴江震泽羊毛衫有限公司", "320584", "吴江市", "", "吴江区", "2000"),
    ("海门临江生物科技有限公司", "320684", "海门市", "", "海门区", "2011"),
]
R11 = []
for i, (name, region, city_in, dist_in, dist, year) in enumerate(L):
    code = cc(region, name, old=True)
    city = "Shanghai" if city_in == "上海" else "Nantong" if city_in in ("南通", "海门市") else "Suzhou"
    why = "a legacy county-level city written as the city" if not dist_in else ""
    R11.append(ok([name, code, city_in, dist_in, year, str(40 + 23 * i)], code, why, warn=True, name=name, city=city,
                  district=dist, founded_year=int(year)))
code = cc("320586", "吴县藏书石材有限公司", old=True)
R11.append(bad(["吴县藏书石材有限公司", code, "苏州", "吴县市", "1996", "75"], code, "district",
               ["吴中", "相城", "Wuzhong", "Xiangcheng"],
               "吴县市 was split in 2001 into 吴中区 and 相城区: rejected, naming both candidates"))
add(Case(
    "11_legacy_names.csv",
    "an older list (about 2012) brought up to date by hand, UTF-8: district names of before the mergers",
    "legacy names stored as their successor with a note (闸北区 → 静安区, 卢湾区 → 黄浦区, 南汇区 → 浦东新区, 崇明县 → "
    "崇明区, 吴江市 → 吴江区, 平江区/沧浪区 → 姑苏区, 海门市 → 海门区, 通州市 → 通州区, 港闸区 → 崇川区, 海安县 → 海安市), "
    "also as the city (吴江市, 海门市); 吴县市 (split in two) rejected with the candidates",
    "utf-8", "organisations", H11, R11,
    notes=["Every legacy row must carry a warning (the note 'read as … → stored as …') on its row: warned_rows."]))

# --------------------------------------------------------------------- 12 district of another city
H12 = ["企业名称", "统一社会信用代码", "城市", "区县", "机构类型"]
X = [
    ("苏州木渎电子有限公司", "320506", "苏州", "吴中区", None, "Suzhou", ""),
    ("上海金桥汽车电子有限公司", "310115", "苏州", "浦东新区", belongs_to("Shanghai", "上海"), "",
     "浦东新区 is in Shanghai, the row says 苏州: rejected, naming Shanghai"),
    ("南通濠东精密有限公司", "320613", "南通", "崇川区", None, "Nantong", ""),
    ("昆山陆家电子有限公司", "320583", "南通", "昆山市", belongs_to("Suzhou", "苏州"), "", "昆山市 is in Suzhou, the row says 南通"),
    ("上海闵联检测有限公司", "310112", "上海", "闵行区", None, "Shanghai", ""),
    ("吴江平望新材料有限公司", "320509", "上海", "吴江区", belongs_to("Suzhou", "苏州"), "", "吴江区 is in Suzhou, the row says 上海"),
    ("上海长风软件有限公司", "310107", "Suzhou", "Putuo", belongs_to("Shanghai", "上海"), "",
     "Putuo (普陀区) is in Shanghai, the row says Suzhou"),
    ("苏州观前文旅科技有限公司", "320508", "苏州", "姑苏区", None, "Suzhou", ""),
    ("南通通州湾装备有限公司", "320612", "南通", "通州区", None, "Nantong",
     "通州区 is a district of Nantong (Beijing's 通州 is not in the table)"),
    ("海门包场机电有限公司", "320614", "上海", "海门区", belongs_to("Nantong", "南通"), "", "海门区 is in Nantong, the row says 上海"),
]
R12 = []
for name, region, city_in, dist_in, words, city, why in X:
    code = cc(region, name)
    cells = [name, code, city_in, dist_in, "民营企业"]
    R12.append(bad(cells, code, "district", words, why) if words
               else ok(cells, code, why, name=name, city=city, district=dist_in, org_type=ENT))
add(Case(
    "12_district_in_other_city.csv",
    "a merged list where rows were pasted under the wrong city, UTF-8 with BOM",
    "a district that exists, but in another of the three cities: rejected with a reason naming the city it "
    "belongs to (never silently moved, never stored under the written city); the valid rows of the file stored",
    "utf-8-sig", "organisations", H12, R12,
    notes=["A careful officer does not guess which of the two columns is wrong: the row is rejected and the "
           "reason says where the district really is."]))

# ------------------------------------------------------------ 13 bilingual headers, pinyin values
H13 = ["企业名称（Company Name）", "统一社会信用代码（USCC）", "城市（City）", "区县（District）", "员工人数（Employees）",
       "成立年份（Year Founded）"]
B = [
    ("苏州吴中太湖软件有限公司", "320506", "Sūzhōu", "Wu Zhong", "１２０", "2011年", "Suzhou", "吴中区", 120, 2011,
     "pinyin with tone marks; spaced pinyin district; full-width digits"),
    ("苏州虎丘智能传感有限公司", "320505", "Su Zhou", "Huqiu District", "85", "2016", "Suzhou", "虎丘区", 85, 2016, ""),
    ("昆山锦溪精工有限公司", "320583", "SUZHOU", "KUNSHAN", "230", "2009", "Suzhou", "昆山市", 230, 2009, ""),
    ("上海浦东智算科技有限公司", "310115", "Shanghai Shi", "Pudong New Area", "140", "2019", "Shanghai", "浦东新区", 140,
     2019, ""),
    ("上海徐汇光谱仪器有限公司", "310104", "Shànghǎi", "Xu Hui", "60", "2013", "Shanghai", "徐汇区", 60, 2013, ""),
    ("上海静安云链科技有限公司", "310106", "中国上海", "Jing'an", "45", "2017", "Shanghai", "静安区", 45, 2017, ""),
    ("上海大宁数据服务有限公司", "310106", "上海市市辖区", "Jingan", "38", "2018", "Shanghai", "静安区", 38, 2018,
     "Jingan without the apostrophe"),
    ("南通崇川港城电子有限公司", "320613", "Nan Tong", "Chongchuan District", "300", "2021", "Nantong", "崇川区", 300,
     2021, ""),
    ("海安凤山机械有限公司", "320621", "NANTONG", "Hai'an", "110", "2005", "Nantong", "海安市", 110, 2005,
     "Hai'an today is 海安市 (the county became a city in 2018)"),
    ("南通海门叠石桥家纺有限公司", "320684", "nantong", "Haimen", "95", "2003", "Nantong", "海门区", 95, 2003,
     "Haimen today is 海门区"),
]
R13 = []
for name, region, city_in, dist_in, staff, year, city, dist, e, y, why in B:
    code = cc(region, name, old=y < 2015)
    R13.append(ok([name, code, city_in, dist_in, staff, year], code, why, name=name, city=city, district=dist,
                  employees=e, founded_year=y))
code = cc("320507", "苏州相城阳澄湖科技有限公司")
R13.append(bad(["苏州相城阳澄湖科技有限公司", code, "Suzhuo", "Xiangcheng", "70", "2020"], code, "city",
               ["did you mean", "mean", "是否", "是不是"], "a typo (Suzhuo): rejected with 'did you mean Suzhou'",
               also=["Suzhou", "苏州"]))
add(Case(
    "13_bilingual_headers_pinyin.csv",
    "a bilingual form of a Sino-foreign park (headers 'Chinese（English）'), values typed in pinyin, UTF-8",
    "bilingual headers with the English in full-width brackets; cities and districts in pinyin with tones, "
    "spaced, upper- and lower-case, 'Shanghai Shi', 中国上海, 上海市市辖区, Jing'an/Jingan, Hai'an; a city typo "
    "(Suzhuo) rejected with a suggestion",
    "utf-8", "organisations", H13, R13))

# ---------------------------------------------------------------- 14 universities, institutes, funds
H14 = ["单位名称", "统一社会信用代码", "单位类型", "所在城市", "所在区县", "研究方向", "人员规模", "成立时间"]
U = [
    ("上海江湾科技大学", "310110", "12", "大学", "上海", "杨浦区", "集成电路、人工智能", "3,200人", "1952年", "university",
     "Shanghai", 3200, 1952, ""),
    ("苏州独墅湖大学", "320594", "12", "高校", "苏州", "苏州工业园区", "生物医药、纳米技术", "1,100人", "2012年",
     "university", "Suzhou", 1100, 2012, ""),
    ("南通滨海职业技术学院", "320612", "12", "学院", "南通", "通州区", "船舶制造、海工装备技能培训", "680人", "2004年",
     "university", "Nantong", 680, 2004, "学院 is a university-level institution (issue §3)"),
    ("上海张江脑科学研究院", "310115", "52", "研究院", "上海", "浦东新区", "类脑芯片", "210人", "2018-06-01", "institute",
     "Shanghai", 210, 2018, ""),
    ("苏州精密光学研究所", "320505", "12", "研究所", "苏州", "虎丘区", "精密光学", "150人", "1985年", "institute",
     "Suzhou", 150, 1985, ""),
    ("南通江海新材料创新中心", "320600", "52", "新型研发机构", "南通", "南通经济技术开发区", "先进高分子材料中试", "95人",
     "2020年", "institute", "Nantong", 95, 2020, ""),
    ("上海长江口海洋装备重点实验室", "310151", "12", "国家重点实验室", "上海", "崇明区", "海洋装备测试", "60人", "2011年",
     "institute", "Shanghai", 60, 2011, "a laboratory is an institute (issue §3)"),
    ("苏州金鸡湖创业投资合伙企业（有限合伙）", "320594", "91", "创投基金", "苏州", "苏州工业园区", "早期硬科技", "18人", "2016年",
     "investor", "Suzhou", 18, 2016, ""),
    ("南通江海产业投资基金（有限合伙）", "320600", "91", "产业基金", "南通", "崇川区", "新能源、海工", "9人", "2021年",
     "investor", "Nantong", 9, 2021, ""),
    ("上海陆家嘴科创投资有限公司", "310115", "91", "投资公司", "上海", "浦东新区", "半导体、生物医药", "35人", "2009年",
     "investor", "Shanghai", 35, 2009, "投资公司 is an investor, not an enterprise"),
    ("上海徐汇启明股权投资管理有限公司", "310104", "91", "股权投资机构", "上海", "徐汇区", "人工智能", "42人", "2014年",
     "investor", "Shanghai", 42, 2014, ""),
    ("苏州高新创新资本管理有限公司", "320505", "91", "国有资本投资公司", "苏州", "虎丘区", "高端制造", "56人", "2015年",
     "investor", "Suzhou", 56, 2015,
     "国有资本投资公司 is a state-owned investor: its function (资本/投资公司) decides, not its ownership (国有)"),
    ("苏州相城恒达电子有限公司", "320507", "91", "民营企业", "苏州", "相城区", "电子元件", "260人", "2010年", "enterprise",
     "Suzhou", 260, 2010, ""),
    ("南通通州中日精工有限公司", "320612", "91", "外资企业", "南通", "通州区", "精密轴承", "310人", "2007年", "enterprise",
     "Nantong", 310, 2007, ""),
    ("上海临港装备集团有限公司", "310115", "91", "国有企业", "上海", "浦东新区", "重型装备", "4,500人", "1993年",
     "enterprise", "Shanghai", 4500, 1993, ""),
    ("南通船舶设计研究所", "320613", "12", "科研院所", "南通", "崇川区", "船型设计", "320人", "1978年", "institute",
     "Nantong", 320, 1978, ""),
    ("上海宝山新材料股份有限公司", "310113", "91", "上市公司", "上海", "宝山区", "特种合金", "1,600人", "2000年", "enterprise",
     "Shanghai", 1600, 2000, "上市公司 is an enterprise (公司)"),
]
R14 = []
for name, region, prefix, typ, city_in, dist, field_, staff, founded, org, city, e, y, why in U:
    code = cc(region, name, prefix=prefix, old=y < 2015)
    R14.append(ok([name, code, typ, city_in, dist, field_, staff, founded], code, why, name=name, city=city,
                  district=dist, org_type=org, employees=e, founded_year=y))
add(Case(
    "14_innovation_partners.csv",
    "the science-and-technology bureau's list of universities, institutes and funds, UTF-8 with BOM",
    "organisation types as people write them: 大学/高校/学院 → university; 研究院/研究所/新型研发机构/国家重点实验室/"
    "科研院所 → institute; 创投基金/产业基金/投资公司/股权投资机构/国有资本投资公司 → investor; 民营企业/外资企业/国有企业/"
    "上市公司 → enterprise; 12/52 registration prefixes; 人员规模 '3,200人'",
    "utf-8-sig", "organisations", H14, R14))

# ------------------------------------------------------------------------------------- 15 JSON
J = [
    {"企业名称": "苏州湖东智造科技有限公司", "统一社会信用代码": cc("320594", "苏州湖东智造科技有限公司", old=True),
     "城市": "苏州市", "区县": "苏州工业园区", "机构类型": "企业", "行业代码": "C3562", "员工人数": 230,
     "成立日期": "2011-05-01", "营业收入(万元)": 18500.5, "联系人": "顾明", "联系电话": "0512-62000001"},
    {"企业名称": "苏州湖西软件有限公司", "统一社会信用代码": cc("320594", "苏州湖西软件有限公司"), "城市": "苏州市",
     "区县": "苏州工业园区", "机构类型": "企业", "行业代码": "I6513", "员工人数": 96, "成立日期": "2017-09-20",
     "营业收入(万元)": 3200, "联系人": "施佳", "联系电话": "0512-62000002"},
    {"企业名称": "南通开发区智能装备有限公司", "统一社会信用代码": cc("320600", "南通开发区智能装备有限公司"), "城市": "南通市",
     "区县": "南通经济技术开发区", "机构类型": "企业", "行业代码": "C3491", "员工人数": 180, "成立日期": "2015-03-10",
     "营业收入(万元)": 24000, "联系人": "陆伟", "联系电话": "0513-85900003"},
    {"企业名称": "上海张江医学研究院有限公司", "统一社会信用代码": cc("310115", "上海张江医学研究院有限公司"), "城市": "上海市",
     "区县": "浦东新区", "机构类型": "科研院所", "行业代码": "M7340", "员工人数": 140, "成立日期": "2019-01-15",
     "营业收入(万元)": None, "联系人": "许静", "联系电话": "021-58000004"},
    {"企业名称": "苏州工业园区创新投资有限公司", "统一社会信用代码": cc("320594", "苏州工业园区创新投资有限公司", old=True),
     "城市": "苏州市", "区县": "苏州工业园区", "机构类型": "投资机构", "行业代码": "J6731", "员工人数": 30,
     "成立日期": "2008-06-06", "营业收入(万元)": None, "联系人": "程远", "联系电话": "0512-62000005"},
    {"企业名称": "昆山富泰光电有限公司", "统一社会信用代码": cc("320583", "昆山富泰光电有限公司", old=True), "城市": "苏州市",
     "区县": "昆山市", "机构类型": "企业", "行业代码": "C3974", "员工人数": "1,200", "成立日期": "2006-10-01",
     "营业收入(万元)": 56000, "联系人": "黄志", "联系电话": "0512-57000006"},
]
JX = [("Suzhou", "苏州工业园区", "enterprise", "C3562", 230, 2011, "18500.5"),
      ("Suzhou", "苏州工业园区", "enterprise", "I6513", 96, 2017, "3200"),
      ("Nantong", "南通经济技术开发区", "enterprise", "C3491", 180, 2015, "24000"),
      ("Shanghai", "浦东新区", "institute", "M7340", 140, 2019, ""),
      ("Suzhou", "苏州工业园区", "investor", "J6731", 30, 2008, ""),
      ("Suzhou", "昆山市", "enterprise", "C3974", 1200, 2006, "56000")]
JH = list(J[0])
add(Case(
    "15_park_system_export.json",
    "a JSON export of a park's enterprise-service system (a list of objects, typed numbers, null for none)",
    "JSON numbers (230, 18500.5) and null; a date where the year is asked; '1,200' as a string beside numbers",
    "json", "organisations", JH, [
        ok([j[h] for h in JH], j["统一社会信用代码"], name=j["企业名称"], city=c_, district=d, org_type=o,
           industry_code=ind, employees=e, founded_year=y, revenue_wan=rv)
        for j, (c_, d, o, ind, e, y, rv) in zip(J, JX, strict=True)
    ]))

# -------------------------------------------------------------------------- 16 units in the header
H16 = ["企业名称", "统一社会信用代码", "所在城市", "所在区县", "营业收入（亿元）", "从业人员（人）", "注册资本（万美元）", "成立年份"]
V = [
    ("如东洋口港能源装备有限公司", "320623", "南通", "如东县", "2.3", "320", "1500", "2012", "23000"),
    ("启东海工配套有限公司", "320681", "南通", "启东市", "0.85", "140", "800", "2009", "8500"),
    ("南通崇川智能电网设备有限公司", "320613", "南通", "崇川区", "12", "1100", "5000", "2004", "120000"),
    ("海门叠石桥家纺数字科技有限公司", "320614", "南通", "海门区", "0.05", "40", "100", "2022", "500"),
    ("如皋港船舶配件有限公司", "320682", "南通", "如皋市", "1.25", "260", "1200", "2014", "12500"),
]
R16 = []
for name, region, city_in, dist, rev, staff, cap, year, wan in V:
    code = cc(region, name, old=int(year) < 2015)
    R16.append(ok([name, code, city_in, dist, rev, staff, cap, year], code,
                  f"营业收入（亿元） {rev} = {wan} 万元" if rev == "2.3" else "", name=name, city="Nantong",
                  district=dist, revenue_wan=wan, employees=int(staff), founded_year=int(year)))
add(Case(
    "16_units_in_header.csv",
    "a zone's annual statistics sheet (园区企业统计表), units in the headers, CSV from Excel (GBK)",
    "a unit written in the header applies to the bare numbers below it: 营业收入（亿元） 2.3 → 23000 万元; "
    "从业人员（人） → employees; 注册资本（万美元） kept aside (not revenue)",
    "gbk", "organisations", H16, R16,
    notes=["The unit in the header is part of the value: a careful officer never stores 2.3 亿元 as 2.3 万元. "
           "Stripping the unit to match the header name and then ignoring it would be off by 10,000."]))

# ------------------------------------------------------------------------- 17 问卷星 form export
H17 = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、企业名称", "2、统一社会信用代码", "3、所在地区",
       "4、单位性质", "5、员工人数", "6、主营产品", "7、合作需求"]
F = [
    ("苏州木渎精工科技有限公司", "320506", "江苏省-苏州市-吴中区", "民营企业", 150, "Suzhou", "吴中区", "enterprise"),
    ("上海浦东芯测科技有限公司", "310115", "上海-上海市-浦东新区", "民营企业", 88, "Shanghai", "浦东新区", "enterprise"),
    ("南通海门锦绣家纺有限公司", "320614", "江苏省-南通市-海门区", "民营企业", 60, "Nantong", "海门区", "enterprise"),
    ("昆山巴城光电有限公司", "320583", "江苏省-苏州市-昆山市", "外资企业", 430, "Suzhou", "昆山市", "enterprise"),
    ("苏州姑苏文化遗产研究院", "320508", "江苏省-苏州市-姑苏区", "研究院", 40, "Suzhou", "姑苏区", "institute"),
    ("南通创新资本投资有限公司", "320613", "江苏省-南通市-崇川区", "创投基金", 15, "Nantong", "崇川区", "investor"),
]
R17 = []
for i, (name, region, area, typ, staff, city, dist, org) in enumerate(F, start=1):
    code = cc(region, name, prefix="52" if typ == "研究院" else "91")
    cells = [i, f"2026/2/{10 + i} 10:{10 + 3 * i}:33", f"{120 + 41 * i}秒", "微信", "N/A", f"58.210.{i}.{30 + i}(江苏-苏州)",
             name, code, area, typ, staff, "精密零部件" if org == "enterprise" else "技术服务", "寻找合作伙伴"]
    R17.append(ok(cells, code, "来自IP '(江苏-苏州)' is where the form was filled in, not where the firm is"
                  if city == "Shanghai" else "", name=name, city=city, district=dist, org_type=org, employees=staff))
add(Case(
    "17_wjx_form_export.xlsx",
    "问卷星 (wjx.cn) survey export, 按选项文本下载: the platform's own columns, then the questions numbered '1、…'",
    "question-numbered headers (1、企业名称 …); the region picker's answer 江苏省-苏州市-吴中区 / 上海-上海市-浦东新区 in "
    "one 所在地区 column gives city and district; 来自IP carries a place that is not the firm's",
    "xlsx", "organisations", H17, R17, sheet="Sheet1",
    notes=["所在地区 is one location column holding province-city-district: city and district both come from it."]))

# ---------------------------------------------------------------------- 18 English partners list
H18 = ["Organization Name", "Credit Code", "Type", "City", "District", "Staff", "Year Established",
       "Revenue (10k CNY)"]
G = [
    ("East Shanghai University of Science and Technology", "310110", "12", "University", "Shanghai, China",
     "Yangpu District", "2,400", "1956", "", "university", "Shanghai", "杨浦区"),
    ("Suzhou Institute of Advanced Photonics", "320505", "12", "Research Institute", "Suzhou, Jiangsu",
     "Suzhou New District", "180", "2013", "", "institute", "Suzhou", "虎丘区"),
    ("Jinji Lake Venture Capital Fund LP", "320594", "91", "VC fund", "Suzhou", "SIP", "14", "2018", "", "investor",
     "Suzhou", "苏州工业园区"),
    ("Nantong Marine Equipment Laboratory", "320613", "12", "Laboratory", "Nantong", "Chongchuan", "45", "2019", "",
     "institute", "Nantong", "崇川区"),
    ("Shanghai Huaxin Private Equity Co., Ltd.", "310115", "91", "Investment company", "Shanghai", "Pudong", "28",
     "2011", "", "investor", "Shanghai", "浦东新区"),
    ("Suzhou Wuzhong Robotics Co., Ltd.", "320506", "91", "Private enterprise", "Suzhou", "Wuzhong", "310", "2012",
     "12,500", "enterprise", "Suzhou", "吴中区"),
    ("Nantong Tongzhou Grid Tech Co., Ltd.", "320612", "91", "State-owned enterprise", "Nantong",
     "Tongzhou District", "650", "2001", "48,000", "enterprise", "Nantong", "通州区"),
    ("Kunshan Precision Molding Co., Ltd.", "320583", "91", "Foreign-invested enterprise", "Kunshan, Jiangsu", "",
     "420", "2006", "36,000", "enterprise", "Suzhou", "昆山市"),
    ("Suzhou Dushu Lake Polytechnic College", "320594", "12", "College", "Suzhou", "Suzhou Industrial Park", "520",
     "2008", "", "university", "Suzhou", "苏州工业园区"),
]
R18 = []
for name, region, prefix, typ, city_in, dist_in, staff, year, rev, org, city, dist in G:
    code = cc(region, name, prefix=prefix, old=int(year) < 2015)
    R18.append(ok([name, code, typ, city_in, dist_in, staff, year, rev], code,
                  "English organisation types read like their Chinese synonyms" if typ == "VC fund" else "",
                  name=name, city=city, district=dist, org_type=org, employees=int(staff.replace(",", "")),
                  founded_year=int(year), revenue_wan=rev.replace(",", "")))
add(Case(
    "18_partners_en.csv",
    "an English partner list prepared for a delegation (international office), UTF-8",
    "English headers other than the contract's (Organization Name, Credit Code, Type, Staff, Year Established, "
    "Revenue (10k CNY)); English organisation types (University, College, Research Institute, Laboratory, VC "
    "fund, Investment company, Private / State-owned / Foreign-invested enterprise); English district names "
    "without 'District'",
    "utf-8", "organisations", H18, R18))


# --------------------------------------------------------------------------------------- checks
def _check_reference() -> None:
    """Every expected district is a current name_zh of regions_hst.csv in its city; every expected industry
    code exists in GB/T 4754 (section letter + code of the table); enum values are allowed ones."""
    regions = list(csv.DictReader((REF / "regions_hst.csv").open(encoding="utf-8")))
    current = {(r["city"], r["name_zh"]) for r in regions if r["status"] == "current"}
    industries = {r["section"] + (r["code"] if r["level"] != "section" else "")
                  for r in csv.DictReader((REF / "industry_gbt4754.csv").open(encoding="utf-8"))}
    keys: set[str] = set()
    for case in CASES:
        for r in case.rows:
            assert r.key and r.key not in keys, (case.file, r.key)
            keys.add(r.key)
            e = r.expect
            if "city" in e:
                assert e["city"] in CITIES, (case.file, e)
            if e.get("district"):
                assert (e["city"], e["district"]) in current, (case.file, e)
            if e.get("industry_code"):
                assert e["industry_code"] in industries, (case.file, e)
            if "org_type" in e:
                assert e["org_type"] in ORG_TYPES, (case.file, e)
            if "stage" in e:
                assert e["stage"] in STAGES, (case.file, e)
            if case.kind == "organisations" and r.reject is None:
                assert credit_code.is_valid(r.key), (case.file, r.key)


# ---------------------------------------------------------------------------------------- writing
def _fixed_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-03-02T00:00:00Z", content)
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 3, 2, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, content)
    return buf.getvalue()


def _xlsx(case: Case) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.properties.creator = "hst-alliance staff"
    fixed = dt.datetime(2026, 3, 2)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    ws = wb.active
    if case.cover:
        ws.title = "封面"
        for line in case.cover:
            ws.append(line)
        ws = wb.create_sheet(case.sheet)
    else:
        ws.title = case.sheet
    for line in case.title:
        ws.append(line)
    ws.append(case.header)
    for r in case.rows:
        ws.append(r.cells)
    for row in ws.iter_rows(min_row=case.header_row + 1):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue())


def _csv(case: Case) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    width = len(case.header)
    for line in case.title:  # as Excel saves a title typed in A1: the other cells of the row empty
        w.writerow(list(line) + [""] * (width - len(line)))
    w.writerow(case.header)
    for r in case.rows:
        w.writerow(["" if v is None else v for v in r.cells])
    return out.getvalue().encode(case.encoding)  # gbk: raises if a character is outside GBK


def _json(case: Case) -> bytes:
    items = [dict(zip(case.header, r.cells, strict=True)) for r in case.rows]
    return (json.dumps(items, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _q(v: object) -> str:
    return json.dumps(v, ensure_ascii=False) if isinstance(v, str) else str(v)


def _comment(text: str, indent: str = "") -> list[str]:
    import textwrap

    return [indent + "# " + line for line in textwrap.wrap(text, 106 - len(indent))]


def expected_yaml() -> str:
    lines = [
        "# What every file of the intake corpus must give (written by make_corpus.py; do not edit by hand).",
        "# For each file: the kind, how many rows are stored and rejected; for each stored row (by credit code or",
        "# project id) the canonical values it must be stored with (only the columns that matter for the case;",
        "# \"\" = stored empty; amounts in 万元 compared as decimals); for each rejected row its spreadsheet row",
        "# number, the column, and words one of which the reason (English or Chinese) must contain (and, with",
        "# reason_also, one of a second group as well); warned_rows: rows that must carry a warning (a note).",
        "# Readings the issue leaves open are decided as a careful investment-promotion officer would, and say so",
        "# in a comment beside the row.",
        "",
    ]
    for case in CASES:
        rejected = [r for r in case.rows if r.reject]
        stored = [r for r in case.rows if not r.reject]
        lines.append("# " + "-" * 104)
        lines += _comment(f"{case.file}: {case.source}.")
        lines += _comment(f"Tests: {case.tests}.")
        for note in case.notes:
            lines += _comment(note)
        lines.append(f"- file: {case.file}")
        lines.append(f"  encoding: {case.encoding}")
        lines.append(f"  kind: {case.kind}")
        lines.append(f"  header_row: {case.header_row if case.encoding != 'json' else 0}")
        lines.append(f"  stored: {len(stored)}")
        lines.append(f"  rejected: {len(rejected)}")
        lines.append("  rows:")
        for i, r in enumerate(case.rows):
            if r.reject:
                continue
            row_no = case.header_row + 1 + i if case.encoding != "json" else i + 1
            if r.why:
                lines += _comment(r.why, "    ")
            lines.append(f"    {_q(r.key)}:")
            lines.append(f"      row: {row_no}")
            for col, val in r.expect.items():
                lines.append(f"      {col}: {_q(val)}")
        if rejected:
            lines.append("  rejected_rows:")
            for i, r in enumerate(case.rows):
                if not r.reject:
                    continue
                column, words = r.reject
                if r.why:
                    lines += _comment(r.why, "    ")
                lines.append(f"    - row: {case.header_row + 1 + i}")
                lines.append(f"      key: {_q(r.key)}")
                lines.append(f"      column: {column}")
                lines.append(f"      reason_any: [{', '.join(_q(w) for w in words)}]")
                if r.also:
                    lines.append(f"      reason_also: [{', '.join(_q(w) for w in r.also)}]")
        warned = [case.header_row + 1 + i for i, r in enumerate(case.rows) if r.warn]
        if warned:
            lines.append(f"  warned_rows: [{', '.join(map(str, warned))}]")
        lines.append("")
    return "\n".join(lines)


def main(out: Path = OUT) -> None:
    _check_reference()
    out.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        if case.encoding == "xlsx":
            data = _xlsx(case)
        elif case.encoding == "json":
            data = _json(case)
        else:
            data = _csv(case)
        (out / case.file).write_bytes(data)
    (out / "expected.yaml").write_text(expected_yaml(), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
