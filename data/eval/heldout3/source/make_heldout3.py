"""Write the third held-out matching set (heldout3): profiles as uploads, labels by construction.

    python data/eval/heldout3/source/make_heldout3.py

Deterministic (random.Random(SEED), fixed workbook timestamps): every file is rewritten byte for byte.
Written without reading the matching code, the demo generator or the earlier held-out sets' sources.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import sys
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalog import BOILER_OFFER, BOILER_SEEK, CHAIN_WORDS, DECOYS, ITEMS, SITES, TOPICS  # noqa: E402

SEED = 20260704
OUT = Path(__file__).resolve().parent.parent
R = random.Random(SEED)

IT = {i.id: i for i in ITEMS}
TP = {t.id: t for t in TOPICS}
SI = {s.id: s for s in SITES}
STAGES = ["idea", "rd", "pilot", "expansion"]
CHAINS = ["EQP", "BIO", "MAT", "NEV", "IC", "AI", "MAR", "TEX"]


def adj_of(x: str) -> list[str]:
    obj = IT.get(x) or TP.get(x) or SI.get(x)
    return list(obj.adj) if obj else []


# --------------------------------------------------------------------------------------------- places
# (canonical zh, canonical en, credit-code region, zh spellings, en spellings)
DISTRICTS = {
    "Shanghai": [
        ("浦东新区", "Pudong New Area", "310115", ["浦东新区", "浦东", "张江"], ["Pudong", "Pudong New Area"]),
        ("闵行区", "Minhang District", "310112", ["闵行区", "闵行"], ["Minhang", "Minhang District"]),
        ("嘉定区", "Jiading District", "310114", ["嘉定区", "嘉定"], ["Jiading", "Jiading District"]),
        ("松江区", "Songjiang District", "310117", ["松江区", "松江"], ["Songjiang", "Songjiang District"]),
        ("宝山区", "Baoshan District", "310113", ["宝山区"], ["Baoshan District"]),
        ("金山区", "Jinshan District", "310116", ["金山区", "金山"], ["Jinshan District"]),
        ("奉贤区", "Fengxian District", "310120", ["奉贤区"], ["Fengxian", "Fengxian District"]),
        ("青浦区", "Qingpu District", "310118", ["青浦区", "青浦"], ["Qingpu District"]),
        ("杨浦区", "Yangpu District", "310110", ["杨浦区"], ["Yangpu District", "Yangpu"]),
        ("徐汇区", "Xuhui District", "310104", ["徐汇区", "徐汇"], ["Xuhui District"]),
        ("崇明区", "Chongming District", "310151", ["崇明区"], ["Chongming District"]),
    ],
    "Suzhou": [
        ("苏州工业园区", "Suzhou Industrial Park", "320594", ["苏州工业园区", "工业园区", "园区"], ["SIP", "Suzhou Industrial Park"]),
        ("虎丘区", "Huqiu District", "320505", ["虎丘区", "苏州高新区"], ["Huqiu District", "Huqiu"]),
        ("吴中区", "Wuzhong District", "320506", ["吴中区", "吴中", "木渎"], ["Wuzhong", "Wuzhong District"]),
        ("相城区", "Xiangcheng District", "320507", ["相城区", "相城"], ["Xiangcheng District"]),
        ("吴江区", "Wujiang District", "320509", ["吴江区", "吴江"], ["Wujiang District"]),
        ("昆山市", "Kunshan", "320583", ["昆山市", "昆山"], ["Kunshan", "Kunshan City"]),
        ("太仓市", "Taicang", "320585", ["太仓市", "太仓"], ["Taicang"]),
        ("常熟市", "Changshu", "320581", ["常熟市", "常熟"], ["Changshu", "Changshu City"]),
        ("张家港市", "Zhangjiagang", "320582", ["张家港市", "张家港"], ["Zhangjiagang"]),
    ],
    "Nantong": [
        ("崇川区", "Chongchuan District", "320613", ["崇川区", "崇川"], ["Chongchuan District"]),
        ("通州区", "Tongzhou District", "320612", ["通州区"], ["Tongzhou District"]),
        ("海门区", "Haimen District", "320614", ["海门区"], ["Haimen District"]),
        ("如东县", "Rudong County", "320623", ["如东县", "如东"], ["Rudong", "Rudong County"]),
        ("启东市", "Qidong", "320681", ["启东市", "启东"], ["Qidong", "Qidong City"]),
        ("如皋市", "Rugao", "320682", ["如皋市", "如皋"], ["Rugao"]),
        ("海安市", "Hai'an", "320685", ["海安市", "海安"], ["Hai'an"]),
        ("南通经济技术开发区", "Nantong Economic and Technological Development Area", "320691",
         ["南通经济技术开发区"], ["Nantong Economic and Technological Development Area"]),
    ],
}
CITY_ZH = {"Shanghai": "上海", "Suzhou": "苏州", "Nantong": "南通"}
CITY_SPELL_ZH = {"Shanghai": ["上海市", "上海", "中国上海"], "Suzhou": ["苏州市", "江苏省苏州市", "苏州"],
                 "Nantong": ["南通市", "江苏省南通市", "南通"]}
CITY_SPELL_EN = {"Shanghai": ["Shanghai", "SHANGHAI", "Shanghai City"], "Suzhou": ["Suzhou", "Suzhou, Jiangsu", "SU ZHOU"],
                 "Nantong": ["Nantong", "Nantong, Jiangsu", "Nantong City"]}
COUNTY_CITIES = {"昆山市", "太仓市", "常熟市", "张家港市", "启东市", "如皋市", "海安市"}
ROADS_ZH = ["科创路", "智造大道", "纬二路", "经三路", "星港街", "银杏路", "梧桐路", "新民路", "学府路", "海韵路",
            "青年路", "锦绣大道", "翠微路", "长兴路", "丰收路"]
ROADS_EN = ["Kechuang", "Zhizao", "Weier", "Jingsan", "Xinggang", "Yinxing", "Wutong", "Xinmin", "Xuefu", "Haiyun"]
# chains' usual cities (weights Shanghai, Suzhou, Nantong)
CITY_W = {"EQP": (3, 4, 3), "BIO": (4, 4, 2), "MAT": (3, 3, 4), "NEV": (4, 3, 3), "IC": (5, 4, 1), "AI": (5, 4, 1),
          "MAR": (3, 1, 6), "TEX": (1, 5, 4)}


def pick_place(chain: str, city: str | None = None) -> tuple[str, tuple]:
    if city is None:
        city = R.choices(["Shanghai", "Suzhou", "Nantong"], weights=CITY_W.get(chain, (1, 1, 1)))[0]
    return city, R.choice(DISTRICTS[city])


# --------------------------------------------------------------------------------------------- names
CHARS = ("嘉禾澄远柏睿启衡瀚宇锦程沃拓恒泽润晟铭航峰源鑫诺朗维捷博凯弘诚聚优信晶耀盛和康泰安合德清敏杰光蓝帆"
         "立新华正益迪普欧瑞森跃驰腾峻翔钧昊骏汇通")
PY = dict(zip(CHARS, ("jia he cheng yuan bai rui qi heng han yu jin cheng wo tuo heng ze run sheng ming hang feng "
                      "yuan xin nuo lang wei jie bo kai hong cheng ju you xin jing yao sheng he kang tai an he de "
                      "qing min jie guang lan fan li xin hua zheng yi di pu ou rui sen yue chi teng jun xiang jun "
                      "hao jun hui tong").split(), strict=True))
_used_names: set[str] = set()


def brand2() -> tuple[str, str, str]:
    """A two-character trade name, its pinyin and its initials; not used before."""
    while True:
        a, b = R.sample(CHARS, 2)
        zh = a + b
        if zh in _used_names:
            continue
        _used_names.add(zh)
        py = (PY[a] + PY[b]).capitalize()
        return zh, py, (PY[a][0] + PY[b][0]).upper()


def ent_name(lang: str, sector: tuple[str, str], city: str, district: tuple) -> tuple[str, str]:
    zh, py, ab = brand2()
    dzh = district[0]
    place_zh = dzh[:-1] if dzh in COUNTY_CITIES else CITY_ZH[city]
    place_en = district[1] if dzh in COUNTY_CITIES else city
    if lang == "en":
        name = R.choice([f"{py} {sector[1]} ({place_en}) Co., Ltd.", f"{place_en} {py} {sector[1]} Co., Ltd.",
                         f"{ab} {sector[1]} Co., Ltd.", f"{py} {sector[1]} Technology Co., Ltd."])
    else:
        name = R.choice([f"{place_zh}{zh}{sector[0]}有限公司", f"{zh}{sector[0]}（{place_zh}）有限公司",
                         f"{place_zh}{zh}{sector[0]}股份有限公司", f"{zh}{sector[0]}科技（{place_zh}）有限公司"])
    return name, ab


# --------------------------------------------------------------------------------------------- credit codes
ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_used_codes: set[str] = set()


def _org_check(body: str) -> str:
    w = [3, 7, 9, 10, 5, 8, 4, 2]
    val = lambda c: int(c) if c.isdigit() else ord(c) - 55  # noqa: E731
    c = 11 - sum(val(ch) * wi for ch, wi in zip(body, w, strict=True)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def credit_code(prefix: str, region: str) -> str:
    while True:
        if R.random() < 0.45:
            body = "MA" + "".join(R.choice(ORG_CHARS) for _ in range(6))
        else:
            body = "".join(R.choice("0123456789") for _ in range(8))
        s17 = prefix + region + body + _org_check(body)
        total = sum(ALPHA.index(ch) * pow(3, i, 31) for i, ch in enumerate(s17))
        code = s17 + ALPHA[(31 - total % 31) % 31]
        if code not in _used_codes:
            _used_codes.add(code)
            return code


# --------------------------------------------------------------------------------------------- parties
@dataclass
class Party:
    kind: str                    # org / project
    key: str
    org_type: str                # enterprise university institute investor project
    chain: str
    city: str
    district: tuple
    lang: str                    # zh / en
    style: str
    mixed: bool = False
    id: str = ""
    name: str = ""
    brand: str = ""
    offers: list[str] = field(default_factory=list)      # item / topic / site ids
    needs: list[tuple] = field(default_factory=list)     # ("sup", item) ("rd", topic) ("site", site, city|None)
    #                                                      ("cust", item) ("cap", chain, stage, ask) ("inv",)
    focus: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    ticket: tuple[int, int] = (0, 0)
    stage: str = ""
    investment: int = 0
    sponsor: str = ""
    boiler: list[str] = field(default_factory=list)
    file: str = ""
    industry_code: str = ""
    texts: dict = field(default_factory=dict)


parties: list[Party] = []
counter: Counter = Counter()
CITY_ABBR = {"Shanghai": "sh", "Suzhou": "sz", "Nantong": "nt"}


def new_party(kind: str, org_type: str, chain: str, lang: str, style: str, city: str | None = None) -> Party:
    city, district = pick_place(chain, city)
    t = {"enterprise": "e", "university": "u", "institute": "i", "investor": "v", "project": "p", "park": "k"}[org_type]
    counter[(chain, t)] += 1
    key = f"h3-{chain.lower()}-{CITY_ABBR[city]}-{t}{counter[(chain, t)]:02d}"
    p = Party(kind, key, "enterprise" if org_type == "park" else org_type, chain, city, district, lang, style)
    parties.append(p)
    return p


ZH_STYLES_ENT = ["wechat", "announce", "proctable", "question", "capability", "longbg", "brand", "mixed", "mixed"]
EN_STYLES_ENT = ["nonnative", "capability", "question", "proctable", "longbg", "brand", "formal"]


def pick_lang(p_zh: float) -> str:
    return "zh" if R.random() < p_zh else "en"


def ent_style(lang: str) -> str:
    return R.choice(ZH_STYLES_ENT if lang == "zh" else EN_STYLES_ENT)


# parks: sites offered by parks
PARK_SITES = [s for s in SITES if s.by_park]
PARK_CITY = {"ST.quay": ["Nantong", "Nantong", "Nantong", "Shanghai"], "ST.chempilot": ["Nantong", "Suzhou", "Shanghai"],
             "ST.gmp": ["Suzhou", "Shanghai", "Nantong"], "ST.stdplant": ["Suzhou", "Nantong", "Shanghai"],
             "ST.heavyplant": ["Nantong", "Suzhou", "Shanghai"]}
PARK_DISTRICT = {("ST.quay", "Nantong"): ["启东市", "海门区", "如东县", "南通经济技术开发区"],
                 ("ST.quay", "Shanghai"): ["浦东新区", "崇明区"],
                 ("ST.chempilot", "Nantong"): ["如东县", "南通经济技术开发区"], ("ST.chempilot", "Suzhou"): ["太仓市", "张家港市"],
                 ("ST.chempilot", "Shanghai"): ["金山区"]}
for s in PARK_SITES:
    for city in PARK_CITY[s.id]:
        lang = pick_lang(0.75)
        p = new_party("org", "park", s.chain, lang, R.choice(["announce", "wechat", "formal"] if lang == "zh"
                                                             else ["formal", "nonnative"]), city)
        if p.style == "formal" and lang == "zh":
            p.style = "announce"
        names = PARK_DISTRICT.get((s.id, city))
        if names:
            want = R.choice(names)
            p.district = next(d for d in DISTRICTS[city] if d[0] == want)
        p.offers = [s.id]
        if s.adj and R.random() < 0.4 and SI[s.adj[0]].by_park:
            p.offers.append(s.adj[0])
        p.industry_code = "L7221"
        p.texts["park"] = True

# contract manufacturers
for s in SITES:
    if s.by_park:
        continue
    for _ in range(2 if s.id not in ("ST.dock",) else 3):
        lang = pick_lang(0.55)
        city = "Nantong" if s.id == "ST.dock" and R.random() < 0.7 else None
        p = new_party("org", "enterprise", s.chain, lang, ent_style(lang), city)
        p.offers = [s.id]
        p.industry_code = s.code

# product enterprises: every item offered by two makers; a few make a close or second item too
for it in ITEMS:
    for _ in range(2):
        lang = pick_lang(0.5)
        p = new_party("org", "enterprise", it.chain, lang, ent_style(lang))
        p.offers = [it.id]
        if R.random() < 0.3:
            same = [j.id for j in ITEMS if j.chain == it.chain and j.id != it.id]
            p.offers.append(R.choice(it.adj if it.adj and R.random() < 0.6 else same))
        p.industry_code = it.code

# universities and institutes
UNIS = [
    ("上海浦江理工大学", "Shanghai Pujiang University of Technology", "Shanghai", "杨浦区", ["IC", "AI"]),
    ("上海临港工程大学", "Shanghai Lingang University of Engineering", "Shanghai", "浦东新区", ["MAR", "EQP"]),
    ("上海滨海医科大学", "Shanghai Binhai Medical University", "Shanghai", "徐汇区", ["BIO"]),
    ("上海申江大学", "Shenjiang University, Shanghai", "Shanghai", "闵行区", ["MAT", "NEV"]),
    ("苏州金鸡湖理工学院", "Jinji Lake Institute of Technology, Suzhou", "Suzhou", "苏州工业园区", ["AI", "IC"]),
    ("苏州太湖大学", "Taihu University, Suzhou", "Suzhou", "吴中区", ["BIO", "MAT"]),
    ("苏州吴门纺织学院", "Wumen Textile College, Suzhou", "Suzhou", "吴江区", ["TEX"]),
    ("昆山玉山工程学院", "Yushan Institute of Engineering, Kunshan", "Suzhou", "昆山市", ["EQP", "NEV"]),
    ("南通江海大学", "Jianghai University, Nantong", "Nantong", "崇川区", ["MAR", "TEX"]),
    ("南通濠河医学院", "Haohe Medical College, Nantong", "Nantong", "崇川区", ["BIO"]),
    ("启东海洋学院", "Qidong Ocean College", "Nantong", "启东市", ["MAR"]),
    ("南通港城职业技术学院", "Gangcheng Polytechnic, Nantong", "Nantong", "通州区", ["EQP", "AI"]),
    ("上海海湾食品工程学院", "Haiwan College of Food Engineering, Shanghai", "Shanghai", "奉贤区", ["EQP"]),
    ("苏州星湖大学", "Xinghu University, Suzhou", "Suzhou", "苏州工业园区", ["MAT", "NEV", "IC"]),
]
FIELD = {"EQP": ("食品装备与智能物流", "Food & Logistics Engineering"), "BIO": ("生物医用材料", "Biomedical Materials"),
         "MAT": ("膜与光伏材料", "Membranes and Photovoltaics"), "NEV": ("氢能与动力电池", "Hydrogen and Batteries"),
         "IC": ("微系统与功率器件", "Microsystems and Power Devices"), "AI": ("智能感知与语言计算", "Intelligent Sensing and Language Computing"),
         "MAR": ("深远海工程", "Deep-Sea Engineering"), "TEX": ("纤维与过滤材料", "Fibres and Filtration Materials")}
topic_by_chain = defaultdict(list)
for t in TOPICS:
    topic_by_chain[t.chain].append(t.id)
academics: list[Party] = []
for zh, en, city, dist, chains in UNIS:
    lang = pick_lang(0.5)
    p = new_party("org", "university", chains[0], lang, "acad", city)
    p.district = next(d for d in DISTRICTS[city] if d[0] == dist)
    p.name = zh if lang == "zh" else en
    p.texts["chains"] = chains
    p.industry_code = "P8341"
    academics.append(p)
for k in range(20):
    chain = CHAINS[k % 8] if k < 16 else R.choice(CHAINS)
    lang = pick_lang(0.5)
    p = new_party("org", "institute", chain, lang, "acad")
    zh2, py, ab = brand2()
    f = FIELD[chain]
    p.name = (R.choice([f"{CITY_ZH[p.city]}{f[0]}研究院", f"{CITY_ZH[p.city]}{zh2}{f[0]}研究所", f"长三角{zh2}{f[0]}创新研究院"])
              if lang == "zh" else R.choice([f"{p.city} Institute of {f[1]}", f"{py} Institute for {f[1]} ({p.city})",
                                              f"Yangtze Delta {py} Research Institute of {f[1]}"]))
    if p.name in _used_names:
        p.name = p.name.replace("研究院", "技术研究院") if lang == "zh" else p.name + " (Branch)"
    _used_names.add(p.name)
    p.texts["chains"] = [chain]
    p.industry_code = "M7320"
    academics.append(p)
# topics: every topic at least two holders
order = list(TOPICS)
R.shuffle(order)
for t in order:
    holders = [a for a in academics if t.chain in a.texts["chains"]]
    holders.sort(key=lambda a: (len(a.offers), R.random()))
    for a in holders[:3]:
        a.offers.append(t.id)
for a in academics:
    while len(a.offers) < 2:
        pool = [t for c in a.texts["chains"] for t in topic_by_chain[c] if t not in a.offers]
        a.offers.append(R.choice(pool))
    if R.random() < 0.35:
        pool = [t for c in a.texts["chains"] for t in topic_by_chain[c] if t not in a.offers]
        if pool:
            a.offers.append(R.choice(pool))

# investors
TIERS = [(50, 300), (200, 1500), (500, 3000), (1000, 8000), (3000, 20000), (5000, 50000)]
STAGE_SETS = [["idea"], ["idea", "rd"], ["rd", "pilot"], ["pilot"], ["pilot", "expansion"], ["expansion"],
              ["rd", "pilot", "expansion"], ["idea", "rd", "pilot"]]
TIER_FOR = {("idea",): 0, ("idea", "rd"): 1, ("rd", "pilot"): 2, ("pilot",): 3, ("pilot", "expansion"): 4,
            ("expansion",): 5, ("rd", "pilot", "expansion"): 3, ("idea", "rd", "pilot"): 2}
investors: list[Party] = []
for k in range(24):
    focus = sorted(R.sample(CHAINS, R.choice([1, 2, 2, 3])), key=CHAINS.index)
    lang = pick_lang(0.55)
    p = new_party("org", "investor", focus[0], lang, R.choice(["fundsheet", "wechat", "formal"] if lang == "zh"
                                                                else ["fundsheet", "nonnative", "formal"]))
    p.focus = focus
    p.stages = STAGE_SETS[k % len(STAGE_SETS)]
    ti = TIER_FOR[tuple(p.stages)]
    p.ticket = TIERS[max(0, min(5, ti + R.choice([-1, 0, 0, 1])))]
    p.offers = ["CAPITAL"]
    p.needs = [("inv",)]
    p.industry_code = R.choice(["J6760", "L7212", ""])
    investors.append(p)

# --------------------------------------------------------------------------------------------- needs
TOPIC_FOR = {"MAT.romem": ["R.romem"], "MAT.uf": ["R.pvdf"], "EQP.mbr": ["R.pvdf"], "EQP.roskid": ["R.romem"],
             "MAT.cell": ["R.perov", "R.metal"], "MAT.module": ["R.perov"], "MAT.agpaste": ["R.metal"], "MAT.ltpaste": ["R.metal"],
             "MAT.pla": ["R.pla"], "MAT.pbat": ["R.pla"], "MAT.afpaint": ["R.foulrel"], "EQP.retort": ["R.thermal"],
             "EQP.uht": ["R.thermal", "R.hpp"], "EQP.aseptic": ["R.hpp"], "EQP.agv": ["R.mapf", "R.slam"], "EQP.agf": ["R.slam"],
             "EQP.shuttle": ["R.mapf"], "AI.rcs": ["R.mapf"], "AI.lidar": ["R.slam"], "AI.vision": ["R.fewshot"],
             "AI.xray": ["R.fewshot"], "AI.asr": ["R.dialect"], "AI.wms": ["R.rag"], "AI.gpu": ["R.rag"], "IC.sicmos": ["R.sicox"],
             "IC.memsmic": ["R.mic"], "IC.memsp": ["R.press"], "NEV.stack": ["R.lowpt"], "NEV.bpp": ["R.bppcoat"],
             "NEV.lfppack": ["R.runaway"], "NEV.tray": ["R.runaway"], "NEV.coldplate": ["R.runaway"], "MAR.cage": ["R.hydro"],
             "MAR.bwts": ["R.ballast"], "BIO.suture": ["R.suture"], "BIO.ivcath": ["R.coat"], "BIO.medium": ["R.cho"],
             "TEX.uhmwpe": ["R.uhmw"], "TEX.net": ["R.uhmw"], "TEX.filterbag": ["R.filt"], "TEX.ppsfelt": ["R.filt"],
             "TEX.rpet": ["R.chemrec"], "EQP.harmonic": ["R.reducer"], "EQP.rv": ["R.reducer"], "MAR.ctv": ["R.foulrel"]}
SITE_FOR = {"BIO": ["ST.gmp", "ST.devoem"], "EQP": ["ST.heavyplant", "ST.machining", "ST.sheetmetal"],
            "NEV": ["ST.packoem", "ST.stdplant", "ST.machining"], "AI": ["ST.pcba", "ST.stdplant"], "IC": ["ST.pcba"],
            "MAR": ["ST.quay", "ST.dock"], "MAT": ["ST.chempilot"], "TEX": ["ST.stdplant", "ST.heavyplant"]}
SITE_FOR_ITEM = {"BIO.gown": ["ST.gownoem"], "MAR.scrubber": ["ST.dock"], "MAR.bwts": ["ST.dock"], "MAR.monopile": ["ST.quay"],
                 "MAR.jacket": ["ST.quay"], "MAR.cage": ["ST.quay"], "EQP.retort": ["ST.sheetmetal", "ST.heavyplant"],
                 "EQP.fooddry": ["ST.sheetmetal"], "IC.mcu": ["ST.pcba"], "NEV.dcfc": ["ST.pcba", "ST.stdplant"]}
EXTRA_SUP = {"BIO": ["BIO.eo", "BIO.ebeam", "BIO.biocomp"], "AI": ["AI.gpu", "AI.label"], "EQP": ["AI.vision", "IC.mcu", "EQP.harmonic"],
             "NEV": ["IC.mcu", "AI.vision", "IC.sicmos"], "IC": ["IC.wetchem", "IC.socket"], "MAR": ["MAT.accoat", "AI.vision"],
             "TEX": ["AI.vision", "TEX.rpet"], "MAT": ["IC.wetchem", "AI.vision"]}
ASK = {"idea": [80, 150, 200, 300, 500], "rd": [300, 500, 800, 1000, 1500, 2000], "pilot": [1000, 2000, 3000, 5000, 6000],
       "expansion": [3000, 5000, 8000, 12000, 20000, 30000, 50000]}


def site_need(site: str, city_pref: bool = True) -> tuple:
    pref = None
    if city_pref and R.random() < 0.5:
        pref = R.choice(["Shanghai", "Suzhou", "Nantong"])
    return ("site", site, pref)


for p in parties:
    if p.org_type != "enterprise" or p.texts.get("park"):
        continue
    main = p.offers[0]
    n = R.choices([0, 1, 2, 3], weights=[15, 40, 35, 10])[0]
    pool: list[tuple] = []
    if main in IT:
        it = IT[main]
        pool += [("sup", x) for x in it.inputs]
        pool += [("sup", x) for x in EXTRA_SUP.get(it.chain, []) if x != main]
        pool += [("rd", t) for t in TOPIC_FOR.get(main, [])] * 3
        pool += [site_need(R.choice(SITE_FOR_ITEM.get(main, SITE_FOR[it.chain])))]
        pool += [("cap", it.chain, R.choice(["rd", "pilot", "expansion", "expansion"]), 0)]
    else:   # contract manufacturer: capital or equipment
        ch = SI[main].chain
        pool += [("cap", ch, "expansion", 0), ("sup", R.choice(EXTRA_SUP.get(ch) or ["AI.vision"]))]
    R.shuffle(pool)
    seen = set()
    for nd in pool:
        if len(p.needs) >= n:
            break
        k = nd[:2]
        if k in seen or (nd[0] == "sup" and nd[1] in p.offers):
            continue
        seen.add(k)
        if nd[0] == "cap":
            nd = ("cap", nd[1], nd[2], R.choice(ASK[nd[2]]))
        p.needs.append(nd)

# academia needs: compute, data, lab supplies
for a in academics:
    if R.random() < 0.35:
        ch = a.texts["chains"][0]
        pool = {"AI": ["AI.gpu", "AI.label"], "IC": ["IC.probecard", "IC.socket", "AI.gpu"], "BIO": ["BIO.medium", "BIO.biocomp"],
                "EQP": ["AI.vision", "EQP.harmonic"], "MAT": ["MAT.romem", "AI.gpu"], "NEV": ["NEV.dcfc", "AI.gpu"],
                "MAR": ["AI.gpu", "TEX.net"], "TEX": ["TEX.uhmwpe", "AI.vision"]}[ch]
        a.needs.append(("sup", R.choice(pool)))

# projects
PROJ_ITEMS = [i.id for i in ITEMS if i.chain != "AI" or R.random() < 0.6]
projects: list[Party] = []
for _k in range(60):
    main = R.choice(PROJ_ITEMS)
    it = IT[main]
    lang = pick_lang(0.6)
    style = R.choice(["announce", "wechat", "proctable", "question", "longbg"] if lang == "zh"
                     else ["nonnative", "formal", "longbg", "question"])
    p = new_party("project", "project", it.chain, lang, style)
    p.texts["item"] = main
    p.stage = R.choice(STAGES)
    p.industry_code = it.code
    ask = R.choice(ASK[p.stage])
    p.investment = ask * R.choice([1, 2, 3, 4]) + R.choice([0, 500, 1000])
    needs: list[tuple] = []
    if R.random() < 0.8:
        needs.append(("cap", it.chain, p.stage, ask))
    if R.random() < 0.5:
        needs.append(site_need(R.choice(SITE_FOR_ITEM.get(main, SITE_FOR[it.chain]))))
    if R.random() < 0.45 and TOPIC_FOR.get(main):
        needs.append(("rd", R.choice(TOPIC_FOR[main])))
    if R.random() < 0.35 and it.inputs:
        needs.append(("sup", R.choice(it.inputs)))
    if not needs:
        needs.append(("cap", it.chain, p.stage, ask))
    p.needs = needs
    projects.append(p)

# customers: sellers looking for buyers (a second pass, once the other needs exist)
seekers = defaultdict(list)       # item/site -> parties that seek it
for p in parties:
    for nd in p.needs:
        if nd[0] in ("sup", "site"):
            seekers[nd[1]].append(p)
consumers = defaultdict(list)     # item -> parties whose products consume it
for p in parties:
    for o in p.offers:
        for x in (IT[o].inputs if o in IT else []):
            consumers[x].append(p)
for p in parties:
    if p.kind != "org" or p.org_type != "enterprise":
        continue
    main = p.offers[0]
    want = 0.7 if p.texts.get("park") else 0.3
    if len(p.needs) < 3 and R.random() < want:
        others = [q for q in seekers[main] + consumers[main] if q is not p]
        if others:
            p.needs.append(("cust", main))

# --------------------------------------------------------------------------------------------- identities
CODE_PREFIX = {"enterprise": "91", "investor": "91", "university": "12", "institute": "12"}
for p in parties:
    if p.kind == "project":
        continue
    prefix = CODE_PREFIX[p.org_type]
    if p.org_type == "institute" and R.random() < 0.4:
        prefix = "52"
    p.id = credit_code(prefix, p.district[2])
    if p.org_type == "enterprise":
        obj = IT.get(p.offers[0]) or SI.get(p.offers[0])
        p.name, p.brand = ent_name(p.lang, obj.sector, p.city, p.district)
    elif p.org_type == "investor":
        zh, py, ab = brand2()
        cz = CITY_ZH[p.city]
        p.name = (R.choice([f"{cz}{zh}创业投资合伙企业（有限合伙）", f"{zh}资本管理（{cz}）有限公司", f"{cz}{zh}产业投资基金（有限合伙）",
                            f"{cz}{zh}股权投资管理有限公司"]) if p.lang == "zh"
                  else R.choice([f"{py} Capital", f"{py} Ventures", f"{p.city} {py} Growth Partners", f"{ab} Venture Partners"]))
        p.brand = ab
_pid = Counter()
for p in projects:
    pre = {"Shanghai": "SH", "Suzhou": "SZ", "Nantong": "NT"}[p.city]
    _pid[pre] += 1
    p.id = R.choice([f"{pre}-2026-{_pid[pre]:03d}", f"HST3-{pre}{_pid[pre]:02d}", f"{pre}ZS{260000 + _pid[pre] * 7}"])
    if R.random() < 0.35:
        cands = [q for q in parties if q.kind == "org" and q.org_type in ("enterprise", "university")
                 and q.chain == p.chain and not q.texts.get("park")]
        if cands:
            p.sponsor = R.choice(cands).id

# boilerplate groups
for p in parties:
    if p.org_type in ("enterprise",):
        if p.texts.get("park"):
            groups = ["years", "longterm", "yrd"]
        else:
            groups = ["iso9001", "iso14001", "hitech", "years", "longterm", "yrd"]
            groups += ["iatf"] if p.chain in ("NEV", "IC") else ["iso13485"] if p.chain == "BIO" else []
        p.boiler = sorted(R.sample(groups, R.choice([0, 1, 2, 2, 3])))
        if p.needs and R.random() < 0.5:
            p.boiler.append("seek:" + R.choice(["longterm", "yrd"] if p.texts.get("park") else sorted(BOILER_SEEK)))
    elif p.kind == "project" and R.random() < 0.5:
        p.boiler = ["seek:" + R.choice(sorted(BOILER_SEEK))]

# --------------------------------------------------------------------------------------------- labels
BYID = {p.id: p for p in parties}


def stage_near(s: str, stages: list[str]) -> bool:
    i = STAGES.index(s)
    return any(abs(i - STAGES.index(x)) == 1 for x in stages)


def cap_grade(chain: str, stage: str, ask: int, inv: Party) -> int:
    if chain not in inv.focus:
        return 0
    lo, hi = inv.ticket
    sf, sn = stage in inv.stages, stage_near(stage, inv.stages)
    tf, tn = lo <= ask <= hi, lo / 2 <= ask <= hi * 2
    if sf and tf:
        return 2
    if (sf and tn) or (sn and tf):
        return 1
    return 0


labels: dict[tuple[str, str], list] = {}


def add(q: Party, c: Party, rel: str, item: str, g: int) -> None:
    if g <= 0 or q is c:
        return
    cur = labels.get((q.id, c.id))
    if cur is None:
        labels[(q.id, c.id)] = [g, [rel], [item]]
    else:
        cur[0] = max(cur[0], g)
        if rel not in cur[1]:
            cur[1].append(rel)
        if item not in cur[2]:
            cur[2].append(item)


def grade_needs(q: Party) -> None:
    for nd in q.needs:
        kind = nd[0]
        for c in parties:
            if c is q:
                continue
            if kind in ("sup", "rd"):
                if nd[1] in c.offers:
                    add(q, c, "supplier" if kind == "sup" else "rd_partner", nd[1], 2)
                elif any(a in c.offers for a in adj_of(nd[1])):
                    add(q, c, "supplier" if kind == "sup" else "rd_partner", nd[1], 1)
            elif kind == "site":
                site, pref = nd[1], nd[2]
                ok_city = pref is None or c.city == pref
                if site in c.offers:
                    add(q, c, "production_base", site, 2 if ok_city else 1)
                elif ok_city and any(a in c.offers for a in adj_of(site)):
                    add(q, c, "production_base", site, 1)
            elif kind == "cust":
                x = nd[1]
                cn = c.needs
                # a site's customer: the seeker's preferred city (if any) must be the seller's, else 2 -> 1, 1 -> 0
                city_ok = lambda n: n[0] != "site" or n[2] is None or n[2] == q.city  # noqa: E731
                if any(n[0] in ("sup", "site") and n[1] == x for n in cn):
                    add(q, c, "customer", "CUST:" + x, 2 if all(city_ok(n) for n in cn if n[1] == x) else 1)
                elif any(n[0] in ("sup", "site") and n[1] in adj_of(x) and city_ok(n) for n in cn):
                    add(q, c, "customer", "CUST:" + x, 1)
                elif any(o in IT and x in IT[o].inputs for o in c.offers):
                    add(q, c, "customer", "CUST:" + x, 1)
            elif kind == "cap":
                if c.org_type == "investor":
                    add(q, c, "investor", "CAP:" + nd[1], cap_grade(nd[1], nd[2], nd[3], c))
            elif kind == "inv":
                for m in c.needs:
                    if m[0] == "cap":
                        add(q, c, "investment_opportunity", "CAP:" + m[1], cap_grade(m[1], m[2], m[3], q))


for p in parties:
    grade_needs(p)

# every need of a query must have at least one relevant candidate: drop needs that have none, re-grade
def need_ok(q: Party, nd: tuple) -> bool:
    if nd[0] == "inv":
        return any(qi == q.id and "investment_opportunity" in v[1] for (qi, _), v in labels.items())
    tag = {"cust": "CUST:", "cap": "CAP:"}.get(nd[0], "") + nd[1]
    rel = {"sup": "supplier", "rd": "rd_partner", "site": "production_base", "cust": "customer", "cap": "investor"}[nd[0]]
    return any(qi == q.id and tag in v[2] and rel in v[1] for (qi, _), v in labels.items())


changed = False
for p in parties:
    keep = [nd for nd in p.needs if need_ok(p, nd)]
    if len(keep) != len(p.needs):
        changed = True
        p.needs = keep
if changed:
    labels.clear()
    for p in parties:
        grade_needs(p)
# a project must be a query: give a project left without needs a capital need that some investor fits
for p in projects:
    if not p.needs:
        it = IT[p.texts["item"]]
        fits = [v for v in investors if cap_grade(it.chain, p.stage, 0, v) >= 0 and it.chain in v.focus and p.stage in v.stages]
        v = fits[0] if fits else next(v for v in investors if p.stage in v.stages)
        if it.chain not in v.focus:
            v.focus.append(it.chain)
        ask = v.ticket[0]
        p.needs = [("cap", it.chain, p.stage, ask)]
        p.investment = max(p.investment, ask)
labels.clear()
for p in parties:
    grade_needs(p)
for p in parties:
    assert all(need_ok(p, nd) for nd in p.needs), (p.key, p.needs)

# --------------------------------------------------------------------------------------------- text
def ph(x: str, lang: str) -> str:
    return R.choice(IT[x].zh if lang == "zh" else IT[x].en)


def spec(x: str, lang: str, p: float = 0.6) -> str:
    s = IT[x].spec_zh if lang == "zh" else IT[x].spec_en
    return R.choice(s) if s and R.random() < p else ""


def amount(wan: int, lang: str) -> str:
    if lang == "zh":
        if wan >= 10000 and R.random() < 0.7:
            v = wan / 10000
            return f"{v:g}亿元" if R.random() < 0.5 else f"{v:g}亿"
        return R.choice([f"{wan}万元", f"{wan:,}万元", f"{wan}万", f"人民币{wan}万元"])
    r = R.random()
    if r < 0.35:
        return f"RMB {wan / 100:g} million"
    if r < 0.6:
        return f"USD {wan / 720:.1f}m (approx.)"
    if r < 0.8:
        return f"CNY {wan * 10000:,}"
    return f"{wan:,} (10k CNY)"


ROUND = {"zh": {"idea": ["天使轮", "种子轮"], "rd": ["Pre-A轮"], "pilot": ["A轮"], "expansion": ["B轮", "扩产轮", "B+轮"]},
         "en": {"idea": ["seed round", "angel round"], "rd": ["pre-Series A"], "pilot": ["Series A"],
                "expansion": ["Series B", "growth round", "expansion round"]}}
STAGE_WORD = {"zh": {"idea": "种子/天使期", "rd": "Pre-A（研发期）", "pilot": "A轮（中试）", "expansion": "B轮及以后（扩产、成长期）"},
              "en": {"idea": "seed/angel", "rd": "pre-Series A (R&D)", "pilot": "Series A (pilot)",
                     "expansion": "Series B and later (scale-up)"}}
USE = {"zh": ["扩产线建设", "研发投入和人才引进", "中试线建设", "市场拓展", "新产线设备采购", "认证与临床前研究"],
       "en": ["capacity expansion", "R&D and hiring", "building the pilot line", "market expansion", "new line equipment"]}


def cityword(c: str, lang: str) -> str:
    if lang == "zh":
        return R.choice([CITY_ZH[c], CITY_ZH[c] + "市", CITY_ZH[c] + "周边"]) if R.random() < 0.8 else CITY_ZH[c] + "地区"
    return R.choice([c, f"{c} area", f"the {c} region"])


def need_text(nd: tuple, lang: str, style: str, me: Party) -> str:
    k = nd[0]
    zh = lang == "zh"
    if k == "sup":
        x = nd[1]
        if style == "mixed":
            p, s = ph(x, "en"), spec(x, "zh")
            return R.choice([f"需要{p}，{s or '规格可议'}，希望供应商能提供COA和样品",
                             f"找一家靠谱的 {p} vendor，{s or '量稳定'}", f"在找{p}的supplier，{s}"]).rstrip("，")
        p, s = ph(x, lang), spec(x, lang)
        if zh:
            t = {"question": [f"有没有做{p}的厂家？{s}", f"求推荐靠谱的{p}供应商{('，' + s) if s else ''}", f"谁家能稳定供{p}？{s}"],
                 "wechat": [f"📢求购｜{p}" + (f"\n要求：{s}" if s else "") + "\n有资源的老板私信～", f"【求购】{p}{('，' + s) if s else ''}，量大长期"]
                 }.get(style, [f"采购{p}{('（' + s + '）') if s else ''}", f"需要{p}，{s or '长期批量'}", f"拟寻找{p}供应商{('，' + s) if s else ''}"])
        else:
            t = {"question": [f"Anyone can supply {p}? {s}", f"Who makes {p}? We need {s or 'stable volumes'}.",
                              f"Can you recommend a {p} supplier? {s}"],
                 "nonnative": [f"We are looking supplier of {p}{(', ' + s) if s else ''}, please kindly contact us.",
                               f"Need buy {p} every month{(' (' + s + ')') if s else ''}.", f"We need {p} supplier, good quality and price."]
                 }.get(style, [f"Sourcing {p}{(' (' + s + ')') if s else ''}.", f"We purchase {p} on a regular basis{(', ' + s) if s else ''}.",
                               f"Seeking a qualified supplier of {p}."])
        return R.choice(t).strip()
    if k == "rd":
        t = TP[nd[1]]
        w = R.choice(t.need_zh if zh else t.need_en)
        if zh:
            opts = {"question": [f"有没有老师研究这个方向？{w}", f"{w}，有高校专家能帮忙吗？"],
                    "wechat": [f"🔬产学研合作｜{w}，诚邀高校院所团队"]}.get(style, [f"寻求高校/科研院所合作：{w}", f"产学研需求：{w}", f"希望与院校联合攻关：{w}"])
        else:
            opts = {"question": [f"Any professor working on this? {w}", f"{w} — can a university lab help?"],
                    "nonnative": [f"We want find university to cooperate research: {w}.", f"Need research partner because {w}."]
                    }.get(style, [f"Looking for an academic R&D partner: {w}.", f"Joint research wanted: {w}."])
        return R.choice(opts)
    if k == "site":
        s = SI[nd[1]]
        w = R.choice(s.need_zh if zh else s.need_en)
        area = R.choice([800, 1500, 2000, 3000, 5000, 10000])
        pref = nd[2]
        ptxt = ""
        if pref:
            ptxt = (R.choice([f"，优先{cityword(pref, 'zh')}", f"，地点最好在{CITY_ZH[pref]}", f"（限{CITY_ZH[pref]}）"]) if zh
                    else R.choice([f", preferably in {pref}", f" (location: {pref} only)", f", {pref} preferred"]))
        if s.by_park:
            opts = ([f"需要{w}约{area}㎡{ptxt}", f"寻找{w}，面积{area}平方米左右{ptxt}", f"有没有{w}可租？{area}㎡{ptxt}"] if zh
                    else [f"We need {w} of about {area} m²{ptxt}.", f"Looking for {w}, ~{area} sqm{ptxt}.",
                          f"Any {w} available? around {area} m2{ptxt}"])
        else:
            opts = ([f"寻找{w}{ptxt}", f"有没有{w}？{ptxt.lstrip('，')}", f"产品定型后需要{w}{ptxt}"] if zh
                    else [f"Looking for {w}{ptxt}.", f"We need: {w}{ptxt}.", f"Searching {w}{ptxt}."])
        return R.choice(opts).rstrip("？，") if not zh else R.choice(opts)
    if k == "cust":
        x = nd[1]
        if x in SI:
            s = SI[x]
            w = R.choice(s.offer_zh if zh else s.offer_en)
            return R.choice([f"诚邀有需要的企业入驻/合作：{w}", f"招商：{w}，欢迎意向企业洽谈"] if zh
                            else [f"Inviting companies that need it: {w}.", f"We welcome tenants and clients for our {w}."])
        p = ph(x, lang)
        return R.choice([f"为我们的{p}寻找下游客户", f"我们的{p}已批量供货，希望对接有需求的企业", f"有需要{p}的企业吗？欢迎联系",
                         f"寻找{p}的使用方和整机厂客户"] if zh
                        else [f"Looking for buyers of our {p}.", f"Who needs {p}? We have spare capacity.",
                              f"Seeking customers for {p}.", f"We want sell our {p} to more customers."])
    if k == "cap":
        _, ch, st, ask = nd
        rd = R.choice(ROUND[lang][st])
        am = amount(ask, lang)
        use = R.choice(USE[lang])
        return R.choice([f"拟进行{rd}融资{am}，用于{use}", f"寻求股权投资{am}（{rd}）", f"本轮（{rd}）计划融资{am}，欢迎产业资本和财务投资人"] if zh
                        else [f"Raising a {rd} of {am} for {use}.", f"Seeking equity investment of {am} ({rd}).",
                              f"Open for investors: {rd}, target {am}."])
    if k == "inv":
        return ""
    raise ValueError(k)


def boiler_text(p: Party, side: str) -> list[str]:
    out = []
    for b in p.boiler:
        if side == "seek" and b.startswith("seek:"):
            z, e = BOILER_SEEK[b[5:]]
            out.append(R.choice(z if p.lang == "zh" else e))
        elif side == "offer" and not b.startswith("seek:"):
            z, e = BOILER_OFFER[b]
            out.append(R.choice(z if p.lang == "zh" else e).replace("{n}", str(R.choice([8, 10, 12, 15, 20, 25]))))
    return out


BG = {  # a chain's background, in our own words, for long texts
    "EQP": (["近年来食品饮料、医药和电商物流对自动化装备的需求持续增长，国产设备在稳定性和交付周期上的优势日益明显。",
             "随着人工成本上升，越来越多的工厂和仓库开始推进“机器换人”。"],
            ["Demand for automated machinery in food, pharma and e-commerce logistics keeps growing.",
             "Rising labour costs push factories and warehouses to automate."]),
    "BIO": (["随着带量采购常态化，医用耗材企业面临降本和提质的双重压力。", "长三角是国内医疗器械产业最集中的区域之一，注册人制度为轻资产研发企业提供了新路径。"],
            ["Volume-based procurement puts pressure on consumables makers to cut cost while raising quality.",
             "The Yangtze River Delta is one of China's densest medtech clusters."]),
    "MAT": (["在“双碳”目标推动下，光伏、膜分离和可降解材料市场空间不断扩大。", "新材料产品从实验室走向量产，往往卡在工艺放大和稳定供货环节。"],
            ["Carbon-neutrality targets keep expanding the markets for solar, membrane and biodegradable materials.",
             "New materials often stall between the lab and stable mass production."]),
    "NEV": (["新能源汽车渗透率持续提升，热管理、充电基础设施和氢能等细分领域进入快速成长期。", "整车厂对供应商的成本和交付要求越来越严格。"],
            ["EV penetration keeps rising; thermal management, charging and hydrogen are growing fast.",
             "Automakers ask ever more of their suppliers on cost and delivery."]),
    "IC": (["国产替代为传感器和功率器件企业带来了窗口期，但验证周期长、客户导入难。", "车规和工规市场对芯片可靠性要求很高。"],
           ["Localisation gives sensor and power-device makers a window, but qualification cycles are long.",
            "Automotive and industrial customers demand high chip reliability."]),
    "AI": (["人工智能正在从“能用”走向“好用”，制造、物流和客服场景落地最快。", "算力成本和高质量数据是很多AI企业的瓶颈。"],
           ["AI is moving from demos to daily use, fastest in manufacturing, logistics and customer service.",
            "Compute cost and good data are the bottlenecks of many AI firms."]),
    "MAR": (["海上风电、深远海养殖和绿色航运为南通及沿江地区的海工企业带来了新机遇。", "国际海事组织的环保新规推动船东加装环保设备。"],
            ["Offshore wind, deep-sea aquaculture and green shipping open new markets for marine firms along the Yangtze.",
             "New IMO environmental rules push shipowners to retrofit."]),
    "TEX": (["纺织行业正从规模扩张转向功能化、绿色化，产业用纺织品增速明显高于服装用纺织品。", "环保政策趋严，再生纤维和高效过滤材料需求旺盛。"],
            ["Textiles are shifting from volume to function and sustainability; technical textiles grow faster than apparel.",
             "Stricter environmental rules lift demand for recycled fibres and filtration media."]),
}


def offer_text(p: Party) -> str:
    zh = p.lang == "zh"
    parts = []
    for o in p.offers:
        if o in IT:
            pz = ph(o, "en" if p.style == "mixed" else p.lang)
            s = spec(o, "zh" if p.style == "mixed" else p.lang, 0.7)
            if p.style == "capability":
                parts.append(R.choice([f"我们能做{pz}{('，' + s) if s else ''}，支持按图定制和小批量试产", f"可以提供{pz}的设计、生产和售后{('（' + s + '）') if s else ''}"]
                                      if zh else [f"We can make {pz}{(', ' + s) if s else ''}; custom designs and trial batches welcome.",
                                                  f"We are able to design and produce {pz}{(' (' + s + ')') if s else ''}."]))
            elif p.style == "brand":
                model = f"{p.brand}-{R.choice('RTXMPK')}{R.choice([100, 200, 360, 500, 800, 1200])}"
                parts.append(f"{model}系列{pz}{('，' + s) if s else ''}" if zh else f"{model} series {pz}{(', ' + s) if s else ''}")
            elif p.style == "wechat":
                parts.append(f"✅ {pz}" + (f"\n✅ {s}" if s else ""))
            elif p.style == "proctable":
                parts.append(f"{pz}|{s or '-'}" )
            elif p.style == "nonnative":
                parts.append(R.choice([f"Our company main produce {pz}, quality is very good{(', ' + s) if s else ''}.",
                                       f"We have produce {pz} for many years{(', ' + s) if s else ''}, also can customize."]))
            elif p.style == "mixed":
                parts.append(R.choice([f"主打{pz}，{s or '性能稳定'}，国内外客户都有在用", f"主营{pz}（{s or '可定制'}）"]))
            else:
                lead = "" if parts else R.choice(["主要产品：", "主营", ""]) if zh else R.choice(["Main products: ", ""])
                parts.append(f"{lead}{pz}{('（' + s + '）') if s else ''}" if zh else f"{lead}{pz}{(' (' + s + ')') if s else ''}")
        elif o in SI:
            s = SI[o]
            w = R.choice(s.offer_zh if zh else s.offer_en)
            if p.style == "capability":
                parts.append(f"我们能承接{w}" if zh else f"We can take on {w}.")
            elif p.style == "nonnative":
                parts.append(f"We can provide {w}, capacity is enough")
            else:
                parts.append(w)
    if p.style == "proctable":
        head = "产品|规格\n" if zh else "Product|Spec\n"
        body = head + "\n".join(x if "|" in x else f"{x}|-" for x in parts)
    elif p.style == "wechat":
        body = "\n".join(parts)
    else:
        body = ("；" if zh else "; ").join(parts)
    bp = boiler_text(p, "offer")
    if bp:
        body = body.rstrip("。.;； ") + ("。" if zh else ". ") + ("，".join(bp) if zh else "; ".join(bp))
    return body


def seek_text(p: Party) -> str:
    zh = p.lang == "zh"
    needs = [nd for nd in p.needs if nd[0] != "inv"]
    lines = [need_text(nd, p.lang, p.style, p) for nd in needs]
    bp = boiler_text(p, "seek")
    if not lines:
        return ""
    if p.style == "proctable":
        kinds = {"sup": ("采购", "Purchase"), "rd": ("研发合作", "R&D"), "site": ("场地/代工", "Site/CMO"),
                 "cust": ("销售", "Sales"), "cap": ("融资", "Funding")}
        head = "序号|类型|需求内容|备注" if zh else "No.|Type|Requirement|Remark"
        rows = [head] + [f"{i + 1}|{kinds[nd[0]][0 if zh else 1]}|{t}|{R.choice(['长期', '急', '-', '面议']) if zh else R.choice(['ASAP', '-', 'long term'])}"
                         for i, (nd, t) in enumerate(zip(needs, lines, strict=True))]
        txt = "\n".join(rows)
    elif p.style == "announce":
        bg = R.choice(BG[p.chain][0 if zh else 1])
        if zh:
            sec = "\n".join(f"（{'一二三四五'[i]}）{t}；" for i, t in enumerate(lines))
            txt = (f"一、背景\n{bg}{p.name or '项目发起方'}立足{CITY_ZH[p.city]}，经过多年发展，已形成一定的技术积累和客户基础。为进一步延链补链强链，现就以下事项公开征集合作伙伴。\n"
                   f"二、合作需求\n{sec}\n三、合作方式\n可采取采购、委托加工、联合研发、股权合作等多种方式，具体面议。")
        else:
            sec = "\n".join(f"({i + 1}) {t}" for i, t in enumerate(lines))
            txt = f"1. Background\n{bg}\n2. What we are looking for\n{sec}\n3. Cooperation\nPurchase, contract manufacturing, joint R&D or equity – to be discussed."
    elif p.style == "longbg":
        bgs = BG[p.chain][0 if zh else 1]
        if zh:
            txt = (f"{bgs[0]}{p.name or '项目团队'}近年来业务稳步增长，团队以工程技术人员为主，产品已进入多家头部客户的供应体系。"
                   f"在此过程中，我们也发现自身在部分环节仍有短板：{'；'.join(lines)}。{bgs[1]}我们希望借助联盟平台，与上下游伙伴共同成长。")
        else:
            txt = (f"{bgs[0]} Over the past years our {'business' if p.name else 'team'} has grown steadily and our products are now used by several leading customers. "
                   f"Along the way we have found a few gaps that we cannot close alone: {' '.join(lines)} {bgs[1]} "
                   "We hope the alliance platform can connect us with the right partners.")
    elif p.style == "wechat":
        txt = "\n".join(lines) + ("\n👉 感兴趣的伙伴欢迎留言或私信～" if zh else "")
    elif p.style == "question":
        txt = ("\n" if R.random() < 0.5 else " ").join(lines)
    else:
        sep = "；" if zh else " "
        txt = sep.join(lines)
    if bp:
        txt = txt.rstrip("。；;. ") + ("。" if zh else ". ") + ("，".join(bp) + "。" if zh else " ".join(x + "." for x in bp))
    return txt


def where_zh(p: Party) -> str:
    d = p.district[0]
    return d if d.startswith(CITY_ZH[p.city]) or d in COUNTY_CITIES else CITY_ZH[p.city] + d


def desc_text(p: Party) -> str:
    zh = p.lang == "zh"
    year = p.texts["year"]
    if p.org_type == "enterprise" and p.texts.get("park"):
        return (f"{p.name}负责{p.district[0]}重点产业园区的开发运营，园区规划面积{R.choice([3, 5, 8, 12])}平方公里，"
                f"聚焦{R.choice(CHAIN_WORDS[p.chain][0])}，配套人才公寓、政务服务和产业基金。" if zh
                else f"{p.name} develops and runs an industrial park in {p.district[1]}, {p.city}, focused on "
                     f"{R.choice(CHAIN_WORDS[p.chain][1])}, with staff housing, one-stop government services and an industry fund.")
    if p.org_type == "enterprise":
        obj = IT.get(p.offers[0]) or SI.get(p.offers[0])
        sec = obj.sector
        if p.style == "wechat" and zh:
            return f"🔥{p.name.split('有限公司')[0]}｜专注{sec[0]}{R.choice(['十余年', '多年', ''])}\n📍{CITY_ZH[p.city]}·{p.district[0]}"
        if p.style == "brand":
            return (f"{p.name}（品牌：{p.brand}）成立于{year}年，专注{sec[0]}领域。" if zh
                    else f"{p.name} (brand {p.brand}) was founded in {year} and focuses on {sec[1].lower()}.")
        if p.style == "nonnative":
            return f"{p.name} is established in {year}, located in {p.district[1]}, {p.city}. We are professional manufacturer in {sec[1].lower()} field."
        return (f"{p.name}成立于{year}年，位于{where_zh(p)}，主要从事{sec[0]}相关产品的研发、生产和销售。" if zh
                else f"{p.name}, founded in {year} in {p.district[1]}, {p.city}, develops, makes and sells {sec[1].lower()} products.")
    if p.org_type in ("university", "institute"):
        chains = p.texts["chains"]
        return (f"{p.name}建有{R.choice(['省级重点实验室', '工程技术研究中心', '联合实验室', '公共技术服务平台'])}，"
                f"面向{'、'.join(CHAIN_WORDS[c][0][0] for c in chains)}产业开展应用基础研究和技术服务。" if zh
                else f"{p.name} runs {R.choice(['a provincial key laboratory', 'an engineering research centre', 'joint labs with industry'])} "
                     f"serving the {' and '.join(CHAIN_WORDS[c][1][0] for c in chains)} industries.")
    if p.org_type == "investor":
        aum = R.choice([5, 10, 20, 30, 50, 80])
        return (f"{p.name}成立于{year}年，管理资金规模约{aum}亿元，出资人包括地方引导基金和产业集团。" if zh
                else f"{p.name} was founded in {year} and manages about RMB {aum} billion from government guidance funds and corporates.")
    return ""


def acad_offer(p: Party) -> str:
    zh = p.lang == "zh"
    ts = [R.choice(TP[t].acad_zh if zh else TP[t].acad_en) for t in p.offers]
    r = R.random()
    if zh:
        if r < 0.4:
            return "研究方向：\n" + "\n".join(f"{i + 1}. {t}" for i, t in enumerate(ts))
        if r < 0.7:
            return f"团队长期从事{'、'.join(ts)}等方面的研究，近五年承担国家及省部级项目{R.choice([6, 9, 12, 15])}项，可开展技术开发、委托研究和人才联合培养。"
        return "主要研究领域包括：" + "；".join(ts) + "。可提供测试分析与中试验证服务。"
    if r < 0.4:
        return "Research interests:\n" + "\n".join(f"- {t}" for t in ts)
    if r < 0.7:
        return f"Our group works on {'; '.join(ts)}. We take on contract research and joint PhD projects with industry."
    return "Key research areas: " + "; ".join(ts) + ". Analytical testing and pilot-scale validation available."


def investor_texts(p: Party) -> tuple[str, str]:
    zh = p.lang == "zh"
    focus = ("、" if zh else ", ").join(R.choice(CHAIN_WORDS[c][0 if zh else 1]) for c in p.focus)
    st = ("、" if zh else ", ").join(STAGE_WORD[p.lang][s] for s in p.stages)
    lo, hi = p.ticket
    if zh:
        tk = R.choice([f"{lo}–{hi}万元", f"{lo}万至{hi}万元" if hi < 10000 else f"{lo}万至{hi / 10000:g}亿元"])
        if p.style == "fundsheet":
            offer = f"投资阶段：{st}\n单笔投资：{tk}\n重点关注：{focus}\n投后赋能：产业资源对接、政府申报、后续融资"
        elif p.style == "wechat":
            offer = f"💰{p.name.split('（')[0]}在投中！\n赛道：{focus}\n阶段：{st}\n单笔：{tk}"
        else:
            offer = f"本机构专注于{focus}领域的股权投资，主要投资{st}企业，单笔投资金额{tk}。"
        seek = R.choice([f"寻找{focus}方向{st}的优质项目", f"欢迎{focus}领域、处于{st}的创业团队和企业投递BP",
                         f"重点寻找{focus}项目（{st}）"])
    else:
        usd = R.random() < 0.4
        tk = (f"USD {lo / 720:.1f}–{hi / 720:.1f} million" if usd else f"RMB {lo / 100:g}–{hi / 100:g} million")
        if p.style == "fundsheet":
            offer = f"Stage: {st}\nTicket: {tk}\nSectors: {focus}\nValue-add: industry network, follow-on rounds"
        elif p.style == "nonnative":
            offer = f"We are investment fund, we invest {focus} company in {st} stage, every deal about {tk}."
        else:
            offer = f"We back {focus} companies at {st} stage with tickets of {tk}."
        seek = R.choice([f"Looking for {focus} deals at {st} stage.", f"Founders in {focus} ({st}) are welcome to send us their deck.",
                         f"Seeking investment opportunities in {focus}, {st}."])
    p.texts["ticket_text"] = tk
    return offer, seek


def project_texts(p: Party) -> tuple[str, str, str]:
    zh = p.lang == "zh"
    x = p.texts["item"]
    pz = ph(x, p.lang)
    stz = {"idea": "概念验证", "rd": "研发", "pilot": "中试", "expansion": "产业化"}
    ste = {"idea": "proof-of-concept", "rd": "R&D", "pilot": "pilot", "expansion": "scale-up"}
    if zh:
        title = R.choice([f"{pz}{stz[p.stage]}项目", f"年产{R.choice(['50万', '200万', '1GW', '5000台', '3000吨'])}{pz}项目"
                          if p.stage == "expansion" else f"{pz}{stz[p.stage]}项目", f"新一代{pz}开发项目"])
        bg = R.choice(BG[p.chain][0])
        desc = (f"{bg}本项目拟在{where_zh(p)}建设{pz}{stz[p.stage]}平台，计划总投资{amount(p.investment, 'zh')}。"
                if p.style != "wechat" else f"🚀项目速递｜{pz}\n📍{where_zh(p)}\n💡阶段：{stz[p.stage]}")
    else:
        title = R.choice([f"{pz[0].upper() + pz[1:]} {ste[p.stage]} project", f"Next-generation {pz} ({ste[p.stage]})"])
        bg = R.choice(BG[p.chain][1])
        desc = (f"{bg} The project will set up a {ste[p.stage]} platform for {pz} in {p.district[1]}, {p.city}; "
                f"total investment {amount(p.investment, 'en')}." if p.style != "nonnative"
                else f"This project is for {pz}, now in {ste[p.stage]} stage, located {p.city}. Total invest is {amount(p.investment, 'en')}.")
    return title, desc, seek_text(p)


# render
for p in parties:
    p.texts["year"] = R.randint(1998, 2023)
for p in parties:
    if p.kind == "project":
        p.texts["title"], p.texts["description"], p.texts["seeks"] = project_texts(p)
        continue
    p.texts["description"] = desc_text(p)
    if p.org_type in ("university", "institute"):
        p.texts["offers"] = acad_offer(p)
        p.texts["seeks"] = seek_text(p) if p.needs else ""
        if p.needs and p.lang == "zh":
            p.texts["seeks"] = "科研采购：" + p.texts["seeks"]
    elif p.org_type == "investor":
        p.texts["offers"], p.texts["seeks"] = investor_texts(p)
    else:
        p.texts["offers"] = offer_text(p)
        p.texts["seeks"] = seek_text(p)
    if p.style == "mixed" or (p.lang == "zh" and R.random() < 0.04):
        p.mixed = p.style == "mixed"
    if p.lang == "en" and p.style == "nonnative" and p.offers and p.offers[0] in IT and R.random() < 0.35:
        p.texts["offers"] += f"（中文：{R.choice(IT[p.offers[0]].zh)}）"
        p.mixed = True

# --------------------------------------------------------------------------------------------- files
def gb_ok(s: str) -> bool:
    try:
        s.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def place_cells(p: Party, lang: str) -> tuple[str, str, str]:
    """city, district, address as an uploader writes them."""
    city, d = p.city, p.district
    road_n = R.randint(1, 999)
    if lang == "zh":
        prov = "" if city == "Shanghai" else "江苏省"
        cz = CITY_ZH[city] + "市"
        addr = f"{prov}{cz}{d[0]}{R.choice(ROADS_ZH)}{road_n}号"
        r = R.random()
        if r < 0.1:
            return "", "", addr                                  # read from the address
        if r < 0.2 and d[0] in COUNTY_CITIES:
            return d[0], "", addr                                # a county-level city as the city
        return R.choice(CITY_SPELL_ZH[city]), R.choice(d[3]), addr if R.random() < 0.6 else ""
    addr = f"No. {road_n} {R.choice(ROADS_EN)} Road, {d[1]}, {city}"
    if R.random() < 0.1:
        return "", "", addr
    return R.choice(CITY_SPELL_EN[city]), R.choice(d[4]), addr if R.random() < 0.5 else ""


def num_revenue(lang: str) -> str:
    v = R.choice([0, 800, 1200, 3500, 4800, 9000, 12000, 26000, 58000])
    if v == 0 or R.random() < 0.15:
        return R.choice(["", "-", ""]) if lang == "zh" else ""
    if lang == "zh" and v >= 10000 and R.random() < 0.6:
        return f"{v / 10000:g}亿"
    return f"{v:,}" if R.random() < 0.5 else str(v)


def num_emp(lang: str) -> str:
    v = R.choice([12, 35, 86, 120, 260, 480, 1200, 3200])
    if lang == "zh":
        return R.choice([f"{v}人", f"{v:,}人", str(v), ""])
    return R.choice([str(v), f"{v:,}", ""])


def founded(p: Party, lang: str) -> str:
    y = p.texts["year"]
    return R.choice([str(y), f"{y}年", f"{y}-0{R.randint(1, 9)}-1{R.randint(0, 9)}", f"{y}/{R.randint(1, 12)}/{R.randint(1, 28)}"]
                    if lang == "zh" else [str(y), str(y), f"{y}-0{R.randint(1, 9)}-1{R.randint(0, 9)}"])


ORG_TYPE_WORD = {"zh": {"enterprise": ["企业", "民营企业", "", "有限责任公司"], "university": ["高校", "高等院校"],
                        "institute": ["科研院所", "新型研发机构", "研究院"], "investor": ["投资机构", "创投基金"]},
                 "en": {"enterprise": ["enterprise", "Enterprise", ""], "university": ["university", "University"],
                        "institute": ["institute", "Research institute"], "investor": ["investor", "VC", "Investor"]}}
PT_WORD = {"sup": "supplier", "rd": "rd_partner", "site": "production_base", "cust": "customer", "cap": "investor", "inv": "investee"}


def partner_types(p: Party) -> str:
    if R.random() < 0.45 or not p.needs:
        return ""
    ts = []
    for nd in p.needs:
        w = PT_WORD[nd[0]]
        if w not in ts:
            ts.append(w)
    return R.choice([";", "; ", ","]).join(ts)


def assign_files() -> None:
    for p in parties:
        if p.kind == "project":
            p.file = "projects.xlsx" if p.lang == "zh" else "projects_en.csv"
        elif p.org_type in ("university", "institute"):
            p.file = "organisations_academia.csv"
        elif p.org_type == "investor":
            p.file = "organisations_investors.json"
        elif p.lang == "en":
            p.file = "organisations_en.xlsx"
        elif p.style in ("wechat", "mixed") or p.texts.get("park"):
            p.file = "organisations_zh.csv"
        else:
            txt = p.name + p.texts["description"] + p.texts["offers"] + p.texts["seeks"]
            p.file = "organisations_qcc.csv" if gb_ok(txt) and R.random() < 0.6 else "organisations_zh.csv"


assign_files()


def fix_xlsx(path: Path) -> None:
    """Rewrite a workbook with fixed zip timestamps so the file is the same byte for byte."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 7, 4, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":   # openpyxl stamps the save time as "modified"
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2026-07-04T09:00:00Z\g<2>", data)
            dst.writestr(zi, data)
    path.write_bytes(buf.getvalue())


def write_xlsx(path: Path, title: str | None, header: list[str], rows: list[list]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    fixed = datetime(2026, 7, 4, 9, 0, 0)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "hst-alliance"
    wb.save(path)
    fix_xlsx(path)


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if "gb" in encoding else "\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def by_file(name: str) -> list[Party]:
    return [p for p in parties if p.file == name]


def write_all() -> None:
    # organisations_zh.csv: contract Chinese headers, UTF-8 with BOM
    hdr = ["统一社会信用代码", "名称", "机构类型", "城市", "区县", "行业代码", "简介", "能力与产品", "合作需求", "合作类型",
           "营业收入(万元)", "员工人数", "成立年份", "地址"]
    rows = []
    for p in by_file("organisations_zh.csv"):
        c, d, a = place_cells(p, "zh")
        code = p.industry_code if R.random() < 0.6 else (p.industry_code[1:] if p.industry_code else "")
        rows.append([p.id, p.name, R.choice(ORG_TYPE_WORD["zh"][p.org_type]), c, d, code, p.texts["description"],
                     p.texts["offers"], p.texts["seeks"], partner_types(p), num_revenue("zh"), num_emp("zh"), founded(p, "zh"), a])
    write_csv(OUT / "organisations_zh.csv", hdr, rows, "utf-8-sig")
    # organisations_qcc.csv: an enterprise-information platform's export plus a needs column, GB18030
    hdr = ["企业名称", "统一社会信用代码", "所属省份", "所属城市", "所属区县", "企业地址", "成立日期", "参保人数", "营业收入（元）",
           "所属行业", "企业简介", "经营范围", "合作需求"]
    rows = []
    for p in by_file("organisations_qcc.csv"):
        c, d, a = place_cells(p, "zh")
        prov = "上海市" if p.city == "Shanghai" else "江苏省"
        rev = R.choice([0, 12000000, 35000000, 86000000, 240000000])
        rows.append([p.name, p.id, prov, c, d, a, founded(p, "zh"), R.choice(["", "56", "130", "412", "1,050"]),
                     str(rev) if rev else "", p.industry_code, p.texts["description"], p.texts["offers"], p.texts["seeks"]])
    write_csv(OUT / "organisations_qcc.csv", hdr, rows, "gb18030")
    # organisations_en.xlsx: English headers under a title row
    hdr = ["Credit Code", "Name", "Org Type", "City", "District", "Industry Code", "Description", "Offers", "Seeks",
           "Partner Types", "Revenue (10k CNY)", "Employees", "Founded Year", "Address"]
    rows = []
    for p in by_file("organisations_en.xlsx"):
        c, d, a = place_cells(p, "en")
        rows.append([p.id, p.name, R.choice(ORG_TYPE_WORD["en"][p.org_type]), c, d, p.industry_code, p.texts["description"],
                     p.texts["offers"], p.texts["seeks"], partner_types(p), num_revenue("en"), num_emp("en"), founded(p, "en"), a])
    write_xlsx(OUT / "organisations_en.xlsx", "HST Alliance partner intake - batch 3 (English-language submissions)", hdr, rows)
    # organisations_academia.csv: bilingual headers, UTF-8 without BOM
    hdr = ["统一社会信用代码（Credit Code）", "名称（Name）", "机构类型（Org Type）", "城市（City）", "区县（District）", "行业代码（Industry Code）",
           "简介（Description）", "能力与产品（Offers）", "合作需求（Seeks）", "员工人数（Employees）", "成立年份（Founded Year）"]
    rows = []
    for p in by_file("organisations_academia.csv"):
        c, d, a = place_cells(p, p.lang)
        if not c and not d:
            c, d = (CITY_ZH[p.city], p.district[3][0]) if p.lang == "zh" else (p.city, p.district[4][0])
        rows.append([p.id, p.name, R.choice(ORG_TYPE_WORD[p.lang][p.org_type]), c, d, p.industry_code, p.texts["description"],
                     p.texts["offers"], p.texts["seeks"], num_emp(p.lang), founded(p, p.lang)])
    write_csv(OUT / "organisations_academia.csv", hdr, rows, "utf-8")
    # organisations_investors.json
    items = []
    for p in by_file("organisations_investors.json"):
        c, d, a = place_cells(p, p.lang)
        if not c and not d:
            c, d = (CITY_ZH[p.city], p.district[3][0]) if p.lang == "zh" else (p.city, p.district[4][0])
        o = {"credit_code": p.id, "name": p.name, "org_type": R.choice(ORG_TYPE_WORD[p.lang]["investor"]), "city": c}
        if d:
            o["district"] = d
        if p.industry_code:
            o["industry_code"] = p.industry_code
        o |= {"description": p.texts["description"], "offers": p.texts["offers"], "seeks": p.texts["seeks"],
              "partner_types": "investee", "founded_year": str(p.texts["year"])}
        items.append(o)
    (OUT / "organisations_investors.json").write_text(json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    # projects.xlsx (Chinese, title row) and projects_en.csv
    stage_zh = {"idea": ["构想", "构想阶段", "概念"], "rd": ["研发", "研发阶段"], "pilot": ["中试", "中试阶段"], "expansion": ["扩产", "扩产阶段"]}
    stage_en = {"idea": ["idea", "Idea"], "rd": ["rd", "R&D"], "pilot": ["pilot", "Pilot"], "expansion": ["expansion", "Expansion"]}
    hdr = ["项目编号", "项目名称", "发起单位信用代码", "城市", "区县", "行业代码", "项目简介", "合作需求", "投资额(万元)", "阶段"]
    rows = []
    for p in by_file("projects.xlsx"):
        c, d, a = place_cells(p, "zh")
        if not c and not d:
            c, d = R.choice(CITY_SPELL_ZH[p.city]), p.district[3][0]
        inv = R.choice([str(p.investment), f"{p.investment:,}"]) if p.investment < 10000 or R.random() < 0.5 else f"{p.investment / 10000:g}亿"
        rows.append([p.id, p.texts["title"], p.sponsor, c, d, p.industry_code, p.texts["description"], p.texts["seeks"], inv,
                     R.choice(stage_zh[p.stage])])
    write_xlsx(OUT / "projects.xlsx", "2026年沪苏通产业合作重点项目征集表（第三批）", hdr, rows)
    hdr = ["project_id", "title", "sponsor_credit_code", "city", "district", "industry_code", "description", "seeks",
           "Investment (10k CNY)", "stage"]
    rows = []
    for p in by_file("projects_en.csv"):
        c, d, a = place_cells(p, "en")
        if not c and not d:
            c, d = p.city, p.district[4][0]
        rows.append([p.id, p.texts["title"], p.sponsor, c, d, p.industry_code, p.texts["description"], p.texts["seeks"],
                     str(p.investment), R.choice(stage_en[p.stage])])
    write_csv(OUT / "projects_en.csv", hdr, rows, "utf-8")


write_all()

# --------------------------------------------------------------------------------------------- labels and entities
def enc_need(nd: tuple) -> str:
    if nd[0] == "site":
        return f"site:{nd[1]}" + (f"@{nd[2]}" if nd[2] else "")
    if nd[0] == "cap":
        return f"cap:{nd[1]}:{nd[2]}:{nd[3]}"
    if nd[0] == "inv":
        return "inv"
    return f"{nd[0]}:{nd[1]}"


KIND = lambda p: "org" if p.kind == "org" else "project"  # noqa: E731
rows = []
for (qi, ci), (g, rels, items) in sorted(labels.items(), key=lambda kv: (BYID[kv[0][0]].key, BYID[kv[0][1]].key)):
    q, c = BYID[qi], BYID[ci]
    rows.append([KIND(q), q.id, q.key, q.lang, KIND(c), c.id, c.key, c.lang, ";".join(rels), ";".join(items), g])
buf = io.StringIO()
w = csv.writer(buf, lineterminator="\n")
w.writerow(["query_kind", "query_id", "query_key", "query_lang", "candidate_kind", "candidate_id", "candidate_key",
            "candidate_lang", "relation", "item_id", "grade"])
w.writerows(rows)
(OUT / "labels.csv").write_text(buf.getvalue(), encoding="utf-8")

buf = io.StringIO()
w = csv.writer(buf, lineterminator="\n")
w.writerow(["kind", "id", "key", "lang", "mixed", "style", "org_type", "city", "district", "industry_code", "chain", "sponsor_id",
            "investment_wan", "stage", "ticket_wan", "focus", "offer_items", "seek_items", "boilerplate", "source_file"])
for p in sorted(parties, key=lambda p: p.key):
    otype = "park" if p.texts.get("park") else p.org_type
    w.writerow([KIND(p), p.id, p.key, p.lang, "yes" if p.mixed else "no", p.style, otype, p.city, p.district[0],
                p.industry_code, p.chain, p.sponsor, p.investment or "", p.stage or ";".join(p.stages),
                f"{p.ticket[0]}-{p.ticket[1]}" if p.org_type == "investor" else "", ";".join(p.focus),
                ";".join(p.offers), ";".join(enc_need(n) for n in p.needs), ";".join(p.boiler), f"data/eval/heldout3/{p.file}"])
(OUT / "entities.csv").write_text(buf.getvalue(), encoding="utf-8")

# hard negatives: never relevant, for diagnosing
hn = []
labelled = set(labels)
for q in sorted(parties, key=lambda p: p.key):
    for nd in q.needs:
        if nd[0] in ("sup", "site", "rd"):
            chain = (IT.get(nd[1]) or SI.get(nd[1]) or TP.get(nd[1])).chain
            if nd[0] == "rd":
                pool = [c for c in parties if c.org_type == "enterprise" and c.chain == chain and (q.id, c.id) not in labelled and c is not q]
                tag = "enterprise_for_research_need"
            else:
                pool = [c for c in parties if c.org_type == "enterprise" and c.chain == chain and (q.id, c.id) not in labelled and c is not q]
                tag = "same_chain_other_segment"
            for c in sorted(pool, key=lambda c: c.key)[:0] + R.sample(sorted(pool, key=lambda c: c.key), min(2, len(pool))):
                hn.append([q.id, q.key, c.id, c.key, tag, enc_need(nd)])
            if nd[0] == "sup":
                for a, b in DECOYS:
                    if a == nd[1]:
                        for c in parties:
                            if b in c.offers and (q.id, c.id) not in labelled and c is not q:
                                hn.append([q.id, q.key, c.id, c.key, "decoy_object", f"{enc_need(nd)} vs {b}"])
                research = [c for c in academics if chain in c.texts["chains"] and (q.id, c.id) not in labelled]
                for c in R.sample(sorted(research, key=lambda c: c.key), min(1, len(research))):
                    hn.append([q.id, q.key, c.id, c.key, "research_for_product_need", enc_need(nd)])
        elif nd[0] == "cap":
            for v in investors:
                if nd[1] in v.focus and cap_grade(nd[1], nd[2], nd[3], v) == 0:
                    hn.append([q.id, q.key, v.id, v.key, "investor_stage_and_ticket_misfit", enc_need(nd)])
    qseek = {b[5:] for b in q.boiler if b.startswith("seek:")}
    if qseek:
        qchains = {(IT.get(n[1]) or SI.get(n[1]) or TP.get(n[1])).chain for n in q.needs if n[0] in ("sup", "site", "rd")}
        for c in sorted(parties, key=lambda p: p.key):
            if c is q or (q.id, c.id) in labelled or c.chain in qchains:
                continue
            if qseek & set(c.boiler):
                hn.append([q.id, q.key, c.id, c.key, "boilerplate_only", ";".join(sorted(qseek & set(c.boiler)))])
buf = io.StringIO()
w = csv.writer(buf, lineterminator="\n")
w.writerow(["query_id", "query_key", "candidate_id", "candidate_key", "kind", "detail"])
seen_hn = set()
for r in hn:
    if (r[0], r[2], r[4]) not in seen_hn:
        seen_hn.add((r[0], r[2], r[4]))
        w.writerow(r)
(OUT / "hard_negatives.csv").write_text(buf.getvalue(), encoding="utf-8")

# --------------------------------------------------------------------------------------------- summary
if "--quiet" not in sys.argv:
    lang = {p.id: p.lang for p in parties}
    print("parties", len(parties), Counter(("park" if p.texts.get("park") else p.org_type) for p in parties))
    print("cities", Counter(p.city for p in parties))
    print("chains", Counter(p.chain for p in parties))
    print("lang", Counter(p.lang for p in parties), "mixed", sum(p.mixed for p in parties))
    print("styles", Counter(p.style for p in parties))
    print("files", Counter(p.file for p in parties))
    qs = Counter(r[1] for r in rows) if False else Counter(q for q, _ in labels)
    print("labels", len(labels), "queries", len(qs), "per query min/mean/max", min(qs.values()),
          round(sum(qs.values()) / len(qs), 1), max(qs.values()))
    print("grades", Counter(v[0] for v in labels.values()))
    print("relations", Counter(r for v in labels.values() for r in v[1]))
    print("query types", Counter(BYID[q].org_type for q in qs))
    print("candidate types", Counter(BYID[c].org_type for _, c in labels))
    cross = sum(lang[q] != lang[c] for q, c in labels)
    print("cross-language", cross, round(100 * cross / len(labels), 1), Counter(f"{lang[q]}->{lang[c]}" for q, c in labels))
    print("hard negatives", Counter(r[4] for r in hn))
    rc = Counter()
    for (_q, c), v in labels.items():
        for r in v[1]:
            rc[(r, BYID[c].org_type)] += 1
    print("relation x candidate", sorted(rc.items()))
    queries_all = [p for p in parties if p.needs]
    print("queries with needs", len(queries_all), "without labels", [p.key for p in queries_all if p.id not in qs])
