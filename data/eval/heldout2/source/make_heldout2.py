"""Write the heldout2 evaluation set: profiles in the upload format, labels by construction, entities,
hard negatives and the README figures.

    .venv/bin/python data/eval/heldout2/source/make_heldout2.py

Deterministic (one seeded ``random.Random``; workbooks with fixed timestamps). Written independently of
the project's demo and held-out generators and of the matching code: only the upload contract
(docs/profiles.md), the list of chains and the district table were read. Every label comes from the
hidden mapping below (which item each profile offers, which needs it writes), never from running the
engine. This set must never be used for tuning or for any choice; it is for measuring only.
"""

from __future__ import annotations

import csv
import io
import random
import re
import sys
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
ROOT = OUT.parents[2]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from catalog import CHAIN_WORDS, CHAINS, ITEMS, offerable, topics  # noqa: E402

from matchmaking.reference import credit_code  # noqa: E402

SEED = 20260611
R = random.Random(SEED)
USD = 720  # 万元 per USD million (7.2 CNY/USD), for comparing asks and tickets

# ------------------------------------------------------------------------------------------- places
REGIONS = {r["adcode"]: r for r in csv.DictReader(open(ROOT / "data/reference/regions_hst.csv", encoding="utf-8"))}
SECTION = {r["code"]: r["section"] for r in
           csv.DictReader(open(ROOT / "data/reference/industry_gbt4754.csv", encoding="utf-8"))}
CITY_OF = {a: r["city"] for a, r in REGIONS.items()}
CITY_ZH = {"Shanghai": "上海", "Suzhou": "苏州", "Nantong": "南通"}
CITY_ABBR = {"Shanghai": "sh", "Suzhou": "sz", "Nantong": "nt"}

# where each chain's organisations sit (adcodes; repeats weight a hub)
HUBS = {
    "IC": "310115 310115 310115 320571 320571 320571 320613 310112 320505 310117 320583 320506 320613 320671",
    "BIO": "310115 310115 310115 320571 320571 320571 320506 320506 310120 320585 320671 310112 320612 320613",
    "AI": "310104 310104 310112 310115 320571 320571 320505 320671 320623 310107 310110 320613 320583",
    "NEV": "310114 310114 310115 320581 320582 320682 320614 320571 320612 320671 320583 320685 310120",
    "MAR": "310151 310113 320681 320681 320614 320623 320613 320582 310115 320612 320671 320581",
    "TEX": "320509 320509 320612 320612 320614 320581 310117 320685 310105 310106 320613 320583",
    "MAT": "310116 320582 320585 320623 310113 320581 320612 320505 310112 320681 320671 320682",
    "EQP": "310117 310114 320583 320505 310112 320685 320682 320506 310115 320585 320613 320612",
}
HUBS = {k: v.split() for k, v in HUBS.items()}
ALL_DISTRICTS = sorted({a for v in HUBS.values() for a in v})


def region6(adcode: str) -> str:
    if adcode == "320571":
        return "320594"  # SIP registrations
    if adcode == "320671":
        return "320600"
    codes = REGIONS[adcode]["uscc_region_codes"].split(";")
    return codes[0] if R.random() < 0.85 or len(codes) == 1 else codes[-1]  # sometimes a legacy code


def district_text(adcode: str, lang: str) -> str:
    r = REGIONS[adcode]
    zh, en = r["name_zh"], r["name_en"]
    short_zh = r["aliases"].split(";")[0]
    if adcode == "320571":
        return R.choice(["苏州工业园区", "工业园区"]) if lang == "zh" else R.choice(["SIP", "Suzhou Industrial Park"])
    if adcode == "320671":
        return "南通经济技术开发区" if lang == "zh" else "Nantong Economic and Technological Development Area"
    if lang == "zh":
        return R.choice([zh, zh, short_zh])
    en_short = en.split(" (")[0]
    return R.choice([en_short, en_short.replace(" District", ""), en_short])


def city_text(city: str, lang: str) -> str:
    if lang == "zh":
        return R.choice({"Shanghai": ["上海市", "上海", "上海市"], "Suzhou": ["苏州市", "苏州", "江苏省苏州市"],
                         "Nantong": ["南通市", "南通", "江苏省南通市"]}[city])
    return R.choice({"Shanghai": ["Shanghai", "Shanghai", "Shanghai, China"], "Suzhou": ["Suzhou", "Suzhou, Jiangsu"],
                     "Nantong": ["Nantong", "Nantong, Jiangsu"]}[city])


ROADS_ZH = ["兴业路", "创业大道", "科技园路", "瑞华路", "永和路", "汇通路", "长兴路", "鸿福路", "星湾路", "丰泽路",
            "锦程路", "明德路", "泰山北路", "富民路", "振兴路"]
ROADS_EN = ["Xingye Road", "Chuangye Avenue", "Ruihua Road", "Yonghe Road", "Huitong Road", "Hongfu Road",
            "Jincheng Road", "Mingde Road", "Fumin Road", "Zhenxing Road"]


def address(adcode: str, lang: str) -> str:
    r = REGIONS[adcode]
    city = r["city"]
    if lang == "zh":
        prov = "" if city == "Shanghai" else "江苏省"
        city_zh = "上海市" if city == "Shanghai" else CITY_ZH[city] + "市"
        dist = r["name_zh"] if adcode not in ("320571", "320671") else r["name_zh"]
        return f"{prov}{city_zh}{dist}{R.choice(ROADS_ZH)}{R.randint(1, 999)}号"
    dist = r["name_en"].split(" (")[0]
    if adcode == "320571":
        dist = "Suzhou Industrial Park"
    return f"No. {R.randint(1, 999)} {R.choice(ROADS_EN)}, {dist}, {city}" + ("" if city == "Shanghai" else ", Jiangsu")


# ------------------------------------------------------------------------------------------- boilerplate
# group -> (offer zh, offer en, seek zh, seek en); None = that side never carries it
BP = {
    "iso9001": (["通过ISO 9001质量管理体系认证", "已通过ISO9001:2015认证"], ["ISO 9001:2015 certified", "ISO 9001 certified quality system"],
                ["供应商须通过ISO 9001认证", "要求通过ISO9001体系认证"], ["ISO 9001 certification required", "supplier must be ISO 9001 certified"]),
    "longterm": (["愿与客户建立长期稳定的合作关系", "诚信经营，长期合作"], ["committed to long-term partnerships", "we value long-term relationships"],
                 ["希望建立长期稳定合作", "寻求长期战略合作伙伴"], ["looking for a long-term partnership", "long-term cooperation preferred"]),
    "yrd": (["服务长三角客户，24小时内到场", "立足长三角，辐射全国"], ["local support across the Yangtze River Delta", "serving the YRD region from our local hub"],
            ["优先考虑长三角地区供应商", "长三角地区企业优先"], ["suppliers in the Yangtze River Delta preferred", "YRD-based partners preferred"]),
    "jointdev": (["可开展联合开发", "欢迎联合开发新产品"], ["open to joint development", "co-development projects welcome"],
                 ["欢迎联合开发", "可共同开发"], ["open to joint development", "joint development possible"]),
    "experience": (["深耕该领域{y}年", "拥有{y}年行业经验"], ["over {y} years of experience in the field", "{y}+ years of industry experience"],
                   ["要求具有5年以上行业经验", "供应商需有3年以上同类项目经验"], ["minimum 5 years' track record", "proven references required"]),
    "massprod": (["具备大规模量产经验", "量产交付能力强"], ["proven mass-production experience", "high-volume manufacturing capability"],
                 ["欢迎具备量产经验的企业联系", "需具备量产能力"], ["mass-production experience a must", "volume capability required"]),
    "custom": (["可提供定制化服务", "支持非标定制"], ["customised solutions available", "tailor-made configurations"],
               ["需可定制", "需按我方要求定制"], ["customisation needed", "must support custom specifications"]),
    "iso14001": (["通过ISO 14001环境管理体系认证"], ["ISO 14001 and ISO 45001 certified"], None, None),
    "hitech": (["国家级高新技术企业、专精特新“小巨人”", "省级专精特新企业"], ["national high-tech enterprise", "recognised 'little giant' specialist firm"], None, None),
    "iso13485": (["通过ISO 13485认证", "质量体系符合ISO 13485"], ["ISO 13485 certified", "ISO 13485:2016 certified site"],
                 ["供应商须具备ISO 13485体系", "需ISO 13485认证"], ["ISO 13485 required", "supplier must hold ISO 13485"]),
    "iatf": (["通过IATF 16949认证"], ["IATF 16949 certified"], ["须通过IATF 16949认证"], ["IATF 16949 mandatory"]),
    "payment": (None, None, ["付款方式面议，可签年度框架协议", "账期60天"], ["payment terms negotiable", "annual frame agreement possible"]),
    "samples": (["可免费提供样品", "样品3天寄出"], ["free samples available", "samples within one week"],
                ["需提供样品验证", "要求先送样测试"], ["samples required for qualification", "sample approval before PO"]),
    "export": (["产品远销欧美及东南亚", "出口30余个国家和地区"], ["exporting to 30+ countries", "customers in Europe, the Americas and Asia"], None, None),
    "support": (["7×24小时技术支持", "售后响应快"], ["24/7 technical support", "fast after-sales response"], ["要求售后响应及时"], ["fast after-sales service expected"]),
    "rdteam": (["拥有一支经验丰富的研发团队，研发人员占比30%", "可提供技术攻关与测试验证服务"],
               ["R&D staff make up 30 % of headcount", "technical problem-solving and validation services"],
               ["希望对方具备较强研发实力"], ["strong in-house R&D expected"]),
    "quick": (["交期短、响应快", "价格优势明显"], ["short lead times", "competitive pricing"],
              ["价格合理、交期稳定", "要求交期稳定"], ["competitive pricing and reliable lead times expected", "on-time delivery essential"]),
}
BP_UNIV = (["可开展产学研合作、技术转让与联合培养研究生", "欢迎企业共建联合实验室"],
           ["open to industry collaboration, licensing and joint PhD programmes", "joint labs with industry welcome"])
BP_INVEST = (["可协助对接产业资源与地方政府引导基金", "提供投后赋能与资本市场规划", "LP包括多家上市公司与市场化母基金"],
             ["value-add through our portfolio and LP network", "board-level support and IPO readiness", "backed by leading corporates and fund-of-funds"])
BP_OFFER_GROUPS = [g for g, v in BP.items() if v[0]]
BP_SEEK_GROUPS = [g for g, v in BP.items() if v[2]]


def bp_text(group: str, side: str, lang: str) -> str:
    zo, eo, zs, es = BP[group]
    pool = {("offer", "zh"): zo, ("offer", "en"): eo, ("seek", "zh"): zs, ("seek", "en"): es}[(side, lang)]
    return R.choice(pool).replace("{y}", str(R.choice([7, 8, 10, 12, 15, 18, 20, 25])))


# ------------------------------------------------------------------------------------------- names
ZH_BRAND = list("瑞禾恒泰华芯博创源达汇晶盛弘澜骏峰卓越嘉誉锐智融启鼎璟辰昊睿翔宏鑫德浩安康达腾飞沃科远拓泽润和元瀚")
EN_BRAND = ["Kessler", "Nordwin", "Aventra", "Meridian", "Halvorsen", "Lumisil", "Corvane", "Helixon", "Sorensen",
            "Brightwater", "Tamura-Keiki", "Vantor", "Oberland", "Axiom", "Castellan", "Eiger", "Fjordline", "Greystone",
            "Hanwell", "Isola", "Junova", "Kaimon", "Lindqvist", "Marlow", "Novatech", "Orbis", "Pellion", "Quaestor",
            "Rheinwerk", "Silvane", "Toyokawa", "Ulmer", "Valdis", "Westgate", "Yoshida", "Zephyrine", "Arcadis-Lumen",
            "Borealis-Tec", "Caldera", "Daehan", "Elmsworth", "Ferrano", "Gaulois", "Hesper", "Innoval", "Jadestone",
            "Kronberg", "Lakeshore", "Mistral", "Nakamura", "Osterfeld", "Pacifica", "Quorra", "Ravensberg", "Stellan",
            "Tessaro", "Uniqo", "Verdant", "Wexford", "Xandor", "Yarrow", "Zellweg", "Alder", "Baxley", "Cirrus"]
PINYIN_BRAND = ["Ruihe", "Hengtai", "Huaxin", "Bochuang", "Yuanda", "Huijing", "Shengyuan", "Hongtai", "Lanjun",
                "Zhuoyue", "Jiayu", "Ruizhi", "Qiding", "Jingchen", "Haorui", "Xiangyu", "Hongxin", "Dehao", "Ankang",
                "Tengfei", "Wokeyuan", "Tuoze", "Runhe", "Hanyuan", "Mingrui", "Zhongheng", "Jiahua", "Xinchuang"]
COUNTRIES = [("Germany", "German"), ("Japan", "Japanese"), ("United States", "US"), ("South Korea", "Korean"),
             ("Singapore", "Singaporean"), ("Switzerland", "Swiss"), ("the Netherlands", "Dutch"), ("Sweden", "Swedish"),
             ("France", "French"), ("Italy", "Italian"), ("the United Kingdom", "British"), ("Finland", "Finnish")]

# trade words by chain (zh, en) and a few items that need their own
TRADE = {  # products / services
    "IC": (["微电子", "半导体", "集成电路", "电子材料", "芯片", "电子科技"], ["Semiconductor", "Microelectronics", "Electronic Materials", "Semiconductor Technology"],
           ["半导体技术服务", "电子科技"], ["Semiconductor Services", "Technology Services"]),
    "BIO": (["生物医药", "生物科技", "医药科技", "医疗科技", "生物技术"], ["Biotech", "Life Sciences", "Pharmaceutical", "Medical Technology", "Biologics"],
            ["医药研发服务", "生物技术服务", "医药科技"], ["Pharma Services", "Life Science Services", "Clinical Research"]),
    "AI": (["智能科技", "信息技术", "智能装备", "人工智能"], ["Intelligent Systems", "AI Technology", "Smart Devices"],
           ["数据科技", "智算科技", "信息技术"], ["Data Technology", "Computing", "Digital Solutions"]),
    "NEV": (["新能源", "动力科技", "能源科技", "汽车科技", "汽车零部件"], ["New Energy", "Automotive Systems", "Battery Technology", "E-Mobility"],
            ["新能源技术服务", "能源科技"], ["Energy Services", "E-Mobility Services"]),
    "MAR": (["船舶配套", "船舶", "海工装备", "重工"], ["Marine Systems", "Marine Equipment", "Heavy Industries"],
            ["海事服务", "海洋工程", "船舶工程"], ["Marine Services", "Offshore Engineering", "Naval Engineering"]),
    "TEX": (["纺织", "化纤", "服饰", "纺织科技", "家纺"], ["Textiles", "Fibre", "Apparel", "Textile Technology"],
            ["染整", "纺织科技"], ["Textile Services", "Finishing"]),
    "MAT": (["新材料", "材料科技", "复合材料", "化工新材料", "合金材料"], ["Advanced Materials", "Specialty Materials", "Composites", "Materials Technology"],
            ["材料技术服务", "材料科技"], ["Materials Services", "Materials Technology"]),
    "EQP": (["智能装备", "精密机械", "机器人", "自动化", "装备制造"], ["Precision Machinery", "Automation", "Robotics", "Industrial Equipment"],
            ["自动化工程", "装备技术服务"], ["Automation Engineering", "Industrial Services"]),
}
TRADE_ITEM = {
    "IC.gas": (["特种气体", "电子气体"], ["Specialty Gases", "Electronic Gases"]),
    "IC.pcba": (["电路科技", "电子电路"], ["Circuits", "PCB Technology"]),
    "IC.ems": (["电子制造", "电子科技"], ["Electronics Manufacturing", "EMS"]),
    "IC.fa": (["检测技术", "可靠性技术"], ["Testing Services", "Reliability Lab"]),
    "BIO.coldchain": (["医药物流", "冷链物流"], ["Pharma Logistics", "Cold Chain"]),
    "BIO.qms": (["医疗器械咨询", "企业管理咨询"], ["Regulatory Consulting", "Quality Consulting"]),
    "BIO.devicetest": (["检测技术", "医疗器械检测"], ["Testing & Certification", "Medical Device Testing"]),
    "NEV.battest": (["检测认证", "电池检测技术"], ["Testing & Certification", "Battery Testing"]),
    "NEV.recycle": (["资源再生", "循环科技"], ["Recycling", "Circular Materials"]),
    "TEX.testing": (["检测技术", "质量检测"], ["Testing Services", "Quality Assurance"]),
    "MAT.testing": (["检测技术", "材料检测"], ["Testing Laboratory", "Materials Testing"]),
    "MAT.indgas": (["气体", "工业气体"], ["Industrial Gases", "Gas Supply"]),
    "EQP.leasing": (["融资租赁"], ["Financial Leasing", "Equipment Finance"]),
    "MAR.installvessel": (["海洋工程", "海上风电工程"], ["Offshore Installation", "Marine Contractors"]),
    "MAR.heavylift": (["物流", "港口物流"], ["Logistics", "Project Cargo"]),
    "AI.compute": (["智算科技", "云计算"], ["Cloud Computing", "Compute Services"]),
    "AI.idc": (["数据科技", "云数据"], ["Data Centres", "Digital Infrastructure"]),
    "AI.label": (["数据科技", "数据服务"], ["Data Services", "Data Annotation"]),
    "TEX.brand": (["服饰", "商贸"], ["Fashion Trading", "Brands"]),
    "AI.amr": (["机器人", "智能装备"], ["Robotics", "Mobile Robots"]),
    "NEV.ncm": (["锂电材料", "新能源材料"], ["Battery Materials", "Energy Materials"]),
    "NEV.lfp": (["锂电材料", "新能源材料"], ["Battery Materials", "Energy Materials"]),
    "NEV.graphite": (["碳材料", "锂电材料"], ["Carbon Materials", "Anode Materials"]),
    "NEV.sicanode": (["锂电材料", "纳米材料"], ["Anode Materials", "Battery Materials"]),
    "NEV.electrolyte": (["电解液", "化学材料"], ["Electrolyte", "Battery Chemicals"]),
    "NEV.separator": (["隔膜", "膜材料"], ["Separator", "Membrane Technology"]),
    "NEV.cell": (["电池", "动力电池"], ["Battery", "Power Battery"]),
    "NEV.esscell": (["储能", "电池"], ["Energy Storage", "Battery"]),
    "NEV.eaxle": (["电驱动", "动力系统"], ["E-Drive", "Powertrain"]),
    "NEV.motor": (["电机", "电驱动"], ["Electric Motors", "E-Drive"]),
    "NEV.sicmod": (["功率半导体", "半导体"], ["Power Semiconductors", "Power Electronics"]),
    "NEV.igbt": (["功率半导体", "电力电子"], ["Power Semiconductors", "Power Electronics"]),
    "NEV.harness": (["汽车电子", "连接技术"], ["Connectivity", "Automotive Electronics"]),
    "NEV.coldplate": (["热管理", "汽车零部件"], ["Thermal Systems", "Automotive Components"]),
    "NEV.heatpump": (["热管理", "汽车空调"], ["Thermal Systems", "Climate Systems"]),
    "NEV.charger": (["充电科技", "能源科技"], ["Charging", "EV Charging"]),
    "NEV.adas": (["智能驾驶", "汽车电子"], ["Autonomous Driving", "Automotive Electronics"]),
    "NEV.diecast": (["精密压铸", "汽车零部件"], ["Die Casting", "Automotive Components"]),
    "NEV.fuelcell": (["氢能", "氢能科技"], ["Hydrogen", "Fuel Cell"]),
    "NEV.recycledmat": (["资源再生", "锂业"], ["Recycled Materials", "Lithium"]),
    "MAT.alsheet": (["铝业", "合金材料"], ["Aluminium", "Light Metals"]),
    "MAT.alext": (["铝业", "铝型材"], ["Aluminium", "Extrusions"]),
    "MAT.ti": (["钛业", "特种金属"], ["Titanium", "Specialty Metals"]),
    "MAT.cf": (["碳纤维", "复合材料"], ["Carbon Fibre", "Composites"]),
    "MAT.prepreg": (["复合材料", "碳纤维"], ["Composites", "Prepreg"]),
    "MAT.cfrp": (["复合材料"], ["Composites", "Composite Structures"]),
    "MAT.peek": (["高分子材料", "新材料"], ["Polymers", "High-Performance Polymers"]),
    "MAT.pifilm": (["薄膜材料", "高分子材料"], ["Films", "Polymer Films"]),
    "MAT.epoxy": (["电子材料", "化工新材料"], ["Electronic Materials", "Resins"]),
    "MAT.ceramic": (["电子陶瓷", "陶瓷"], ["Ceramics", "Technical Ceramics"]),
    "MAT.dbc": (["电子陶瓷", "陶瓷基板"], ["Ceramic Substrates", "Power Ceramics"]),
    "MAT.graphene": (["碳材料", "纳米科技"], ["Carbon Nanomaterials", "Nano Materials"]),
    "MAT.bioplastic": (["生物材料", "新材料"], ["Biopolymers", "Bioplastics"]),
    "EQP.pcs": (["电气", "电力设备"], ["Power Systems", "Electric"]),
    "EQP.servo": (["电机", "驱动技术"], ["Motion Control", "Drives"]),
    "EQP.robot": (["机器人", "智能装备"], ["Robotics", "Robot Systems"]),
    "EQP.cobot": (["机器人", "智能科技"], ["Robotics", "Cobots"]),
    "EQP.line": (["自动化", "智能装备"], ["Automation", "Automation Systems"]),
    "EQP.robotsvc": (["自动化工程", "机器人技术服务"], ["Robot Services", "Automation Services"]),
    "EQP.bess": (["储能科技", "能源科技"], ["Energy Storage", "Power Systems"]),
    "EQP.blade": (["风电", "风能"], ["Wind Power", "Wind Energy"]),
    "EQP.turbine": (["风电装备", "风能"], ["Wind Power", "Wind Energy"]),
    "EQP.casting": (["铸造", "重工"], ["Castings", "Heavy Industries"]),
    "EQP.bearing": (["轴承", "精密机械"], ["Bearings", "Precision Bearings"]),
    "EQP.reducer": (["传动", "精密机械"], ["Transmission", "Precision Drives"]),
    "EQP.cnc": (["机床", "数控"], ["Machine Tools", "CNC"]),
    "EQP.mes": (["工业软件", "软件"], ["Industrial Software", "Software"]),
    "EQP.iiot": (["工业互联网", "信息技术"], ["Industrial IoT", "Digital Industry"]),
    "EQP.plc": (["自动化", "控制技术"], ["Automation", "Controls"]),
    "EQP.aeroparts": (["航空科技", "精密制造"], ["Aerospace", "Aero Components"]),
    "EQP.am": (["增材制造", "三维打印"], ["Additive Manufacturing", "3D Printing"]),
    "MAR.plate": (["钢铁", "特钢"], ["Steel", "Steel Plate"]),
    "MAR.coating": (["涂料", "化工"], ["Coatings", "Marine Coatings"]),
    "TEX.dyes": (["染料", "化工"], ["Dyestuffs", "Colour Chemicals"]),
    "TEX.aux": (["化工", "助剂"], ["Textile Chemicals", "Specialty Chemicals"]),
    "TEX.loom": (["纺织机械", "纺机"], ["Textile Machinery", "Weaving Machinery"]),
    "IC.etch": (["半导体设备", "精密设备"], ["Semiconductor Equipment", "Process Equipment"]),
    "IC.metrology": (["半导体设备", "精密仪器"], ["Semiconductor Equipment", "Metrology"]),
    "IC.cleantool": (["半导体设备"], ["Semiconductor Equipment", "Wet Processing"]),
    "IC.eda": (["软件", "电子设计自动化"], ["Design Automation", "EDA Software"]),
    "IC.wetchem": (["电子化学品", "电子材料"], ["Electronic Chemicals", "Electronic Materials"]),
    "IC.photoresist": (["电子材料", "光电材料"], ["Electronic Materials", "Photoresist"]),
    "IC.wafer300": (["硅材料", "半导体材料"], ["Silicon", "Wafer Technology"]),
    "IC.wafer200": (["硅材料", "半导体材料"], ["Silicon", "Wafer Technology"]),
    "AI.lidar": (["光电科技", "传感技术"], ["Photonics", "Sensing"]),
    "AI.camera": (["视觉科技", "光电科技"], ["Vision Systems", "Imaging"]),
    "AI.chip": (["芯片", "微电子"], ["Semiconductor", "Silicon"]),
    "NEV.vehicle": (["汽车", "新能源汽车"], ["Motors", "Commercial Vehicles"]),
    "MAR.build": (["造船", "船舶重工"], ["Shipbuilding", "Shipyard"]),
    "MAR.repair": (["船舶修造", "船舶工程"], ["Ship Repair", "Shiprepair & Conversion"]),
    "BIO.cdmo_bio": (["生物制药", "生物医药"], ["Biologics", "Biomanufacturing"]),
    "BIO.cdmo_chem": (["制药", "药业"], ["Pharmaceutical", "Pharma Manufacturing"]),
    "TEX.garment": (["服饰", "制衣"], ["Apparel", "Garment"]),
    "IC.foundry": (["集成电路", "半导体制造"], ["Semiconductor Manufacturing", "Foundry"]),
}


def trade_words(item: str, lang: str) -> list[str]:
    if item in TRADE_ITEM:
        return TRADE_ITEM[item][0 if lang == "zh" else 1]
    t = TRADE[ITEMS[item].chain]
    svc = ITEMS[item].kind == "service"
    return t[(2 if svc else 0) + (0 if lang == "zh" else 1)]


def a_an(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word

USED_NAMES: set[str] = set()
USED_CODES: set[str] = set()


def unique(make, *args):
    for _ in range(200):
        n = make(*args)
        if n not in USED_NAMES:
            USED_NAMES.add(n)
            return n
    raise RuntimeError("names exhausted")


def new_code(adcode: str, prefix: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    while True:
        if prefix == "91" and R.random() < 0.55:
            body = "MA" + "".join(R.choice(alphabet) for _ in range(6))
        else:
            body = "".join(R.choice("0123456789") for _ in range(R.choice([8, 8, 7]))).ljust(8, R.choice("0123456789"))
        code = credit_code.make(region6(adcode), body, prefix)
        if code not in USED_CODES:
            USED_CODES.add(code)
            return code


# ------------------------------------------------------------------------------------------- model
@dataclass
class Need:
    rel: str  # supplier / rd_partner / production_base / customer / capital / opportunity
    item: str | None = None
    city: str | None = None  # preferred city (site needs)
    chain: str | None = None  # capital: the seeker's chain
    stage: str | None = None  # capital: seed / early / growth / late / project
    ask: float | None = None  # capital: 万元
    usd: bool = False


@dataclass
class Party:
    kind: str  # org / project
    id: str
    key: str
    org_type: str  # enterprise / university / institute / investor / park ('' for projects)
    chain: str
    lang: str  # primary: zh / en
    mixed: bool
    style: str
    adcode: str
    name: str = ""
    offers: list[str] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    bp_offer: list[str] = field(default_factory=list)
    bp_seek: list[str] = field(default_factory=list)
    # investors
    focus: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    ticket: tuple[float, float] | None = None
    ticket_usd: bool = False
    # projects
    sponsor: str = ""
    investment: float | None = None
    pstage: str = ""
    title: str = ""
    row: dict = field(default_factory=dict)
    file: str = ""

    @property
    def city(self) -> str:
        return CITY_OF[self.adcode]


def pick_lang(p_zh=0.55, p_en=0.35) -> tuple[str, bool]:
    x = R.random()
    if x < p_zh:
        return "zh", False
    if x < p_zh + p_en:
        return "en", False
    return ("zh" if R.random() < 0.6 else "en"), True


def deal(n: int, p_zh: float, p_en: float) -> list[tuple[str, bool]]:
    """Exactly round(p·n) profiles of each language, in a shuffled order (mixed: 60 % zh-based)."""
    n_zh, n_en = round(p_zh * n), round(p_en * n)
    n_mx = n - n_zh - n_en
    out = [("zh", False)] * n_zh + [("en", False)] * n_en + [("zh", True)] * round(0.6 * n_mx)
    out += [("en", True)] * (n - len(out))
    R.shuffle(out)
    return out


STYLES = {"zh": ["formal", "bullets", "list", "sales", "prose", "telegraph"],
          "en": ["corporate", "bullets", "terse", "spec", "sales", "rfq"]}

# ------------------------------------------------------------------------------------------- clauses


def iname(item: str, lang: str) -> str:
    return R.choice(ITEMS[item].zh if lang == "zh" else ITEMS[item].en)


def ispec(item: str, lang: str) -> str:
    pool = ITEMS[item].szh if lang == "zh" else ITEMS[item].sen
    return R.choice(pool) if pool else ""


def iqty(item: str, lang: str) -> str:
    pool = ITEMS[item].qzh if lang == "zh" else ITEMS[item].qen
    return R.choice(pool) if pool else ""


def model_code() -> str:
    return f"{R.choice(['HX', 'SP', 'NV', 'TR', 'KM', 'QX', 'AL', 'MX', 'RG'])}-{R.choice(['', '2', '3', '5'])}{R.randint(10, 990)}{R.choice(['', 'A', 'S', 'Pro', 'L'])}"


def offer_clause(item: str, lang: str, style: str, name_lang: str | None = None) -> str:
    it = ITEMS[item]
    n = iname(item, name_lang or lang)
    s = ispec(item, lang) if R.random() < 0.6 else ""
    if style in ("telegraph", "terse"):
        return f"{n}（{s}）" if (s and lang == "zh") else (f"{n} ({s})" if s else n)
    if style == "spec" and it.kind == "product" and it.code[:2] not in ("64", "65"):
        return f"{n} – model {model_code()}" + (f", {s}" if s else "")
    soft = it.code[:2] in ("64", "65")
    if lang == "zh":
        sc = f"，{s}" if s else ""
        sp = f"（{s}）" if s else ""
        svc = "" if n.endswith(("服务", "加工", "检测", "代工", "租赁", "回租")) else "服务"
        pools = {
            "product": ([f"主要产品为{n}{sp}", f"自主研发{n}{sc}", f"产品线涵盖{n}{sp}", f"{n}已在多家头部客户落地{sc}"] if soft else
                        [f"主要产品为{n}{sp}", f"可稳定批量供应{n}{sc}", f"自主研发并量产{n}{sc}", f"产品线涵盖{n}{sp}",
                         f"{n}已在多家头部客户实现批量导入{sc}", f"{n}{sp}，型号{model_code()}"]),
            "service": [f"提供{n}{sc}", f"可承接{n}{sc}", f"对外提供{n}{svc}{sc}", f"{n}{sp}"],
            "cmo": [f"可承接{n}{sc}", f"提供{n}，产能可弹性调配{sc}", f"{n}{sp}"],
            "rd": [f"研究方向：{n}", f"在{n}方向有长期研究积累，承担国家重点研发计划课题", f"团队主要从事{n}研究",
                   f"{n}（已有中试成果，可技术转让）"],
            "site": [f"可提供{n}{sc}", f"园区现有{n}待租售{sc}", f"{n}{sp}，拎包入驻"],
        }
    else:
        sc = f", {s}" if s else ""
        sp = f" ({s})" if s else ""
        pools = {
            "product": ([f"We develop {n}{sp}", f"Product range: {n}{sp}", f"{n} deployed at leading manufacturers{sc}", f"{n}{sp}"]
                        if soft else
                        [f"We manufacture {n}{sp}", f"Product range: {n}{sp}", f"{n} in volume production{sc}",
                         f"Supplier of {n} to tier-1 customers{sc}", f"{n}{sp}"]),
            "service": [f"We provide {n}{sp}", f"{n} available{sc}", f"Services: {n}{sp}"],
            "cmo": [f"Contract capacity for {n}{sp}", f"{n}{sp}, capacity available now"],
            "rd": [f"Research focus: {n}", f"The group works on {n} and welcomes industry-funded projects",
                   f"{n} (publications, patents and pilot-scale results)"],
            "site": [f"{n} available for lease or sale{sc}", f"We offer {n}{sp}"],
        }
    return R.choice(pools[it.kind])


STAGE_WORDS = {
    "seed": (["天使轮", "种子轮"], ["seed round", "angel round"]),
    "early": (["A轮", "Pre-A轮", "A+轮"], ["Series A", "pre-Series A"]),
    "growth": (["B轮", "C轮", "B+轮"], ["Series B", "Series C"]),
    "late": (["Pre-IPO轮", "D轮"], ["pre-IPO round", "late-stage round"]),
    "project": (["项目股权融资", "产业化项目融资"], ["project equity", "expansion capital"]),
}
USES = (["产线扩建", "研发投入与团队扩充", "新产品量产", "海外市场拓展", "中试线建设"],
        ["capacity expansion", "R&D and hiring", "volume ramp-up", "international expansion", "a pilot line"])


def money_zh(w: float) -> str:
    if w >= 10000:
        return f"{w / 10000:g}亿元"
    return f"{w:g}万元"


def money_en(w: float, usd: bool) -> str:
    if usd:
        return f"USD {w / USD:g}m" if R.random() < 0.6 else f"US${w / USD:g} million"
    return f"RMB {w / 100:g} million" if w < 100000 else f"RMB {w / 100000:g} billion"


def seek_clause(need: Need, lang: str, style: str, name_lang: str | None = None, own: Party | None = None) -> str:
    nl = name_lang or lang
    if need.rel == "capital":
        amt = money_zh(need.ask) if lang == "zh" else money_en(need.ask, need.usd)
        rnd = R.choice(STAGE_WORDS[need.stage][0 if lang == "zh" else 1])
        use = R.choice(USES[0 if lang == "zh" else 1])
        if own is not None and own.kind == "project":
            inv = money_zh(own.investment) if lang == "zh" else money_en(own.investment, False)
            if lang == "zh":
                return R.choice([f"项目总投资{inv}，拟引入股权融资{amt}", f"寻求产业基金或股权投资机构，融资需求{amt}",
                                 f"拟融资{amt}（{rnd}）"])
            return R.choice([f"Seeking {amt} of equity for the project (total capex {inv})",
                             f"Open to investors: {amt} {rnd}", f"Raising {amt} from strategic or financial investors"])
        if lang == "zh":
            return R.choice([f"拟开展{rnd}融资，金额约{amt}", f"寻求{rnd}投资，融资{amt}，用于{use}",
                             f"计划引入战略投资者，融资需求{amt}（{rnd}）"])
        return R.choice([f"Raising {amt} ({rnd}) to fund {use}", f"{rnd[0].upper() + rnd[1:]} of {amt} now open",
                         f"Seeking investors for a {amt} {rnd}"])
    if need.rel == "opportunity":
        raise AssertionError
    item = need.item
    it = ITEMS[item]
    n = iname(item, nl)
    q = iqty(item, lang) if R.random() < 0.6 else ""
    s = ispec(item, lang) if R.random() < 0.4 else ""
    city = need.city
    if need.rel == "customer":
        if lang == "zh":
            if it.kind == "site":
                return R.choice([f"园区{n}招商，欢迎相关项目入驻", f"为{n}寻找入驻企业和项目"])
            if it.kind in ("service", "cmo"):
                return R.choice([f"为{n}业务寻找客户", f"{n}尚有富余产能，欢迎委托"])
            return R.choice([f"为{n}寻找下游客户", f"寻求{n}的批量采购方及渠道合作伙伴", f"{n}产能释放，寻找长期采购客户"])
        if it.kind == "site":
            return R.choice([f"Inviting tenants and projects for our {n}", f"Looking for investors to occupy {n}"])
        if it.kind in ("service", "cmo"):
            return R.choice([f"Looking for new clients for our {n}", f"Spare capacity in {n} – seeking clients"])
        return R.choice([f"Looking for volume buyers of our {n}", f"Seeking OEM customers and distributors for {n}",
                         f"New capacity for {n} – looking for customers"])
    if style in ("telegraph", "terse"):
        if lang == "zh":
            head = {"supplier": "求购" if it.kind == "product" else "需", "rd_partner": "寻合作：", "production_base": "需"}[need.rel]
            return f"{head}{n}" + (f"，{q}" if q else "") + (f"，{s}" if s else "") + (f"，{CITY_ZH[city]}" if city else "")
        head = {"supplier": "WTB: ", "rd_partner": "Academic partner: ", "production_base": "Need: "}[need.rel]
        return f"{head}{n}" + (f", {q}" if q else "") + (f", {s}" if s else "") + (f", {city}" if city else "")
    if lang == "zh":
        qc = f"，{q}" if q else ""
        sc = f"，要求{s}" if s else ""
        cz = CITY_ZH[city] if city else ""
        pools = {
            "product": [f"求购{n}{qc}{sc}", f"拟采购{n}{qc}{sc}", f"寻找{n}合格供应商{sc}", f"需要{n}的国产替代方案{qc}",
                        f"开发{n}第二供应商{qc}"],
            "service": [f"寻找{n}服务商{qc}", f"拟外包{n}{qc}", f"需要{n}{qc}{sc}"],
            "cmo": [f"寻找可承接{n}的合作方{qc}", f"需要{n}{qc}"],
            "rd": [f"寻求在{n}方向有研究基础的高校或科研院所开展联合攻关", f"拟就{n}开展产学研合作",
                   f"希望与{n}领域的高校研究团队合作"],
            "site": [f"项目拟落地{cz}，需要{n}{qc}" if city else f"寻找{n}{qc}", f"寻求{n}{qc}" + (f"，{cz}优先" if city else "")],
        }
    else:
        qc = f", {q}" if q else ""
        sc = f", {s}" if s else ""
        ic = f" in {city}" if city else ""
        pools = {
            "product": [f"Sourcing {n}{qc}{sc}", f"Looking for qualified suppliers of {n}{sc}", f"Need a local second source for {n}{qc}",
                        f"RFQ: {n}{qc}{sc}"],
            "service": [f"Seeking a provider of {n}{qc}", f"Outsourcing {n}{qc}", f"RFQ: {n}{qc}"],
            "cmo": [f"Looking for a partner with capacity for {n}{qc}", f"Need {n}{qc}"],
            "rd": [f"Looking for an academic partner in {n}", f"Seeking a university or institute with expertise in {n} for a joint project",
                   f"University collaboration wanted on {n}"],
            "site": [f"Searching for {n}{ic}{qc}", f"Need {n}{qc}{ic}"],
        }
    return R.choice(pools[it.kind])


def assemble(clauses: list[str], lang: str, style: str, side: str) -> str:
    if not clauses:
        return ""
    cl = [c.strip() for c in clauses if c.strip()]
    if lang == "zh":
        if style == "formal":
            if len(cl) >= 2 and R.random() < 0.6:
                nums = "一二三四五六七"
                return "；".join(f"{nums[i]}是{c}" for i, c in enumerate(cl)) + "。"
            return ("本公司" if side == "offer" else "现") + "；".join(cl) + "。"
        if style == "bullets":
            mark = R.choice(["{i}. ", "{i}、", "• ", "- ", "（{i}）"])
            return "\n".join(mark.format(i=i + 1) + c for i, c in enumerate(cl))
        if style == "list":
            return "；".join(cl)
        if style == "sales":
            return "".join(f"★{c}！" for c in cl) + ("欢迎来电洽谈！" if side == "offer" else "")
        if style == "telegraph":
            return R.choice(["；", "/", " | "]).join(cl)
        return "。".join(cl) + "。"
    if style == "corporate":
        out = []
        for i, c in enumerate(cl):
            c = c[0].upper() + c[1:]
            low = c[0].lower() + c[1:] if c[1:2].islower() else c
            out.append(c if i == 0 or R.random() < 0.6 else ("In addition, " + low))
        return ". ".join(out) + "."
    if style == "bullets":
        mark = R.choice(["- ", "• ", "* "])
        return "\n".join(mark + c for c in cl)
    if style in ("terse", "spec"):
        return R.choice(["; ", " | ", " / "]).join(cl)
    if style == "sales":
        return " ".join(c[0].upper() + c[1:] + "!" for c in cl) + (" Contact us today." if side == "offer" else "")
    if style == "rfq":
        if side == "seek":
            return f"RFQ-{R.randint(2025001, 2026999)}: " + "; ".join(cl) + "."
        return ". ".join(c[0].upper() + c[1:] for c in cl) + "."
    return ". ".join(c[0].upper() + c[1:] for c in cl) + "."


def clause_langs(p: Party, n: int) -> list[tuple[str, str | None]]:
    """(template language, item-name language) per clause: mixed profiles switch language inside."""
    if not p.mixed:
        return [(p.lang, None)] * n
    other = "en" if p.lang == "zh" else "zh"
    out = []
    for _ in range(n):
        x = R.random()
        out.append((p.lang, other) if x < 0.45 else ((other, None) if x < 0.7 else (p.lang, None)))
    if n >= 2 and all(o == (p.lang, None) for o in out):
        out[0] = (p.lang, other)
    if n == 1 and out[0] == (p.lang, None):
        out[0] = (p.lang, other)
    return out


def style_for(lang: str, style: str) -> str:
    """A mixed profile's clause in its other language keeps a comparable style."""
    if style in STYLES[lang]:
        return style
    return {"formal": "corporate", "list": "terse", "telegraph": "terse", "prose": "corporate",
            "corporate": "prose", "terse": "list", "spec": "list", "rfq": "list"}.get(style, style)


def write_offers(p: Party) -> str:
    items = list(p.offers)
    langs = clause_langs(p, len(items) + len(p.bp_offer))
    cl = []
    for it, (tl, nl) in zip(items, langs, strict=False):
        cl.append(offer_clause(it, tl, style_for(tl, p.style), nl))
    for g, (tl, _) in zip(p.bp_offer, langs[len(items):], strict=False):
        cl.append(bp_text(g, "offer", tl))
    # boilerplate sits anywhere, not only at the end
    if len(cl) > 2 and R.random() < 0.4:
        b = cl.pop()
        cl.insert(R.randrange(len(cl)), b)
    return assemble(cl, p.lang, p.style, "offer")


def write_seeks(p: Party) -> str:
    needs = [n for n in p.needs if n.rel != "opportunity"]
    langs = clause_langs(p, len(needs) + len(p.bp_seek))
    cl = []
    for n, (tl, nl) in zip(needs, langs, strict=False):
        cl.append(seek_clause(n, tl, style_for(tl, p.style), nl, own=p))
    for g, (tl, _) in zip(p.bp_seek, langs[len(needs):], strict=False):
        cl.append(bp_text(g, "seek", tl))
    if len(cl) > 2 and R.random() < 0.4:
        b = cl.pop()
        cl.insert(R.randrange(len(cl)), b)
    st = p.style if p.style != "spec" else "terse"
    return assemble(cl, p.lang, st, "seek")


# ------------------------------------------------------------------------------------------- enterprises
FAMILY = {
    "IC": [["IC.eda", "IC.ip"], ["IC.etch", "IC.metrology", "IC.cleantool"], ["IC.partsclean"], ["IC.wafer300", "IC.wafer200"],
           ["IC.gas", "IC.wetchem"], ["IC.photoresist", "IC.wetchem"], ["IC.foundry"], ["IC.advpkg", "IC.test"],
           ["IC.convpkg", "IC.test"], ["IC.fa"], ["IC.mcu", "IC.analog"], ["IC.pcba", "IC.ems"]],
    "BIO": [["BIO.tox", "BIO.clinical"], ["BIO.api", "BIO.hpapi", "BIO.cdmo_chem"], ["BIO.media", "BIO.proteina", "BIO.iex", "BIO.sub"],
            ["BIO.bioreactor", "BIO.sub"], ["BIO.cdmo_bio"], ["BIO.ivdraw", "BIO.clia", "BIO.poct"], ["BIO.device"],
            ["BIO.devicecmo"], ["BIO.devicetest"], ["BIO.qms"], ["BIO.coldchain"]],
    "AI": [["AI.chip"], ["AI.server"], ["AI.compute", "AI.idc"], ["AI.label"], ["AI.lidar", "AI.camera"], ["AI.llm", "AI.integration"],
           ["AI.vision", "AI.integration"], ["AI.amr"]],
    "NEV": [["NEV.ncm", "NEV.lfp", "NEV.recycledmat"], ["NEV.graphite", "NEV.sicanode"], ["NEV.electrolyte"], ["NEV.separator"],
            ["NEV.cell", "NEV.esscell"], ["NEV.battest"], ["NEV.eaxle", "NEV.motor"], ["NEV.sicmod", "NEV.igbt"], ["NEV.harness"],
            ["NEV.coldplate", "NEV.heatpump"], ["NEV.charger"], ["NEV.recycle"], ["NEV.adas"], ["NEV.diecast"], ["NEV.vehicle"],
            ["NEV.fuelcell"]],
    "MAR": [["MAR.plate"], ["MAR.coating"], ["MAR.design"], ["MAR.build", "MAR.repair"], ["MAR.mainengine", "MAR.genset", "MAR.deck"],
            ["MAR.bwts", "MAR.scrubber"], ["MAR.foundation", "MAR.topside"], ["MAR.installvessel", "MAR.heavylift"], ["MAR.repair"],
            ["MAR.heavylift"], ["MAR.windops"]],
    "TEX": [["TEX.rpet", "TEX.pet", "TEX.spandex"], ["TEX.cotton"], ["TEX.knit", "TEX.woven", "TEX.dyeing"], ["TEX.dyes", "TEX.aux"],
            ["TEX.dyeing", "TEX.digital"], ["TEX.loom"], ["TEX.garment"], ["TEX.hometex"], ["TEX.meltblown", "TEX.spunlace"],
            ["TEX.testing"], ["TEX.brand"]],
    "MAT": [["MAT.cf", "MAT.prepreg", "MAT.cfrp"], ["MAT.alsheet", "MAT.alext"], ["MAT.ti"], ["MAT.peek", "MAT.pifilm", "MAT.epoxy"],
            ["MAT.ceramic", "MAT.dbc"], ["MAT.graphene"], ["MAT.testing"], ["MAT.bioplastic"], ["MAT.indgas"]],
    "EQP": [["EQP.robot", "EQP.cobot", "EQP.line"], ["EQP.robotsvc"], ["EQP.reducer", "EQP.bearing"], ["EQP.servo", "EQP.plc"],
            ["EQP.cnc"], ["EQP.am"], ["EQP.plc", "EQP.mes", "EQP.iiot"], ["EQP.casting"], ["EQP.blade", "EQP.turbine"],
            ["EQP.pcs", "EQP.bess"], ["EQP.leasing"], ["EQP.line"], ["EQP.aeroparts"]],
}
N_ENTERPRISE = 30
SITE_FIT = {"IC": ["SITE.factory", "SITE.chem", "SITE.pilot"], "BIO": ["SITE.gmp", "SITE.gmp", "SITE.pilot", "SITE.chem"],
            "AI": ["SITE.dc", "SITE.factory"], "NEV": ["SITE.factory", "SITE.chem", "SITE.pilot"], "MAR": ["SITE.port", "SITE.factory"],
            "TEX": ["SITE.factory", "SITE.chem"], "MAT": ["SITE.chem", "SITE.pilot", "SITE.factory"], "EQP": ["SITE.factory", "SITE.port"]}


def family_of(item: str) -> list[str]:
    for fam in FAMILY[ITEMS[item].chain]:
        if item in fam:
            return fam
    return [item]


def zh_enterprise_name(chain: str, item: str, adcode: str, foreign: bool) -> str:
    trade = R.choice(trade_words(item, "zh"))
    city = CITY_OF[adcode]
    place = R.choice([CITY_ZH[city], CITY_ZH[city], REGIONS[adcode]["aliases"].split(";")[0]]) \
        if adcode not in ("320571", "320671") else CITY_ZH[city]
    brand = R.choice(ZH_BRAND) + R.choice(ZH_BRAND)
    if foreign:
        return f"{brand}{trade}（{CITY_ZH[city]}）有限公司"
    suffix = R.choice(["有限公司", "股份有限公司", "科技有限公司"]) if not trade.endswith(("科技", "技术", "服务", "工程")) \
        else R.choice(["有限公司", "股份有限公司"])
    return f"{place}{brand}{trade}{suffix}"


def en_enterprise_name(chain: str, item: str, adcode: str, foreign: bool) -> str:
    trade = R.choice(trade_words(item, "en"))
    city = CITY_OF[adcode]
    loc = {"320583": "Kunshan", "320582": "Zhangjiagang", "320585": "Taicang", "320581": "Changshu", "320681": "Qidong",
           "320614": "Haimen", "320682": "Rugao", "320685": "Hai'an"}.get(adcode, city)
    if foreign:
        brand = R.choice(EN_BRAND)
        return R.choice([f"{brand} {trade} ({loc}) Co., Ltd.", f"{brand} {trade} (China) Co., Ltd.",
                         f"{brand} {trade} Trading ({city}) Co., Ltd."])
    return f"{'Jiangsu' if city != 'Shanghai' else 'Shanghai'} {R.choice(PINYIN_BRAND)} {trade} Co., Ltd."


def describe_enterprise(p: Party) -> str:
    main = p.offers[0]
    year = p.row["founded_year"]
    r = REGIONS[p.adcode]
    kind = ITEMS[main].kind
    if p.lang == "zh":
        m = iname(main, "en" if (p.mixed and R.random() < 0.5) else "zh")
        act = {"product": "的研发与制造", "service": "服务", "cmo": "业务", "site": ""}[kind]
        place = CITY_ZH[p.city] + r["name_zh"]
        v = R.randrange(5)
        if v == 0:
            return (f"{p.name}成立于{year}年，注册资本{R.choice([500, 1000, 2000, 5000, 12000])}万元，坐落于{place}，"
                    f"是一家{R.choice(['高新技术企业', '民营科技企业', '中外合资企业', '国有控股企业'])}，主要从事{m}{act}。")
        if v == 1:
            return f"{m}{'研发生产企业' if kind == 'product' else '专业服务商'}。"
        if v == 2:
            return (f"公司{year}年创立于{place}，核心团队来自{R.choice(['国内头部企业', '海外知名企业', '高校及科研院所'])}，"
                    f"已形成以{m}为核心的产品体系，客户覆盖{R.choice(['华东、华南', '全国20余个省市', '国内外'])}。")
        if v == 3:
            return f"专注{m}，品质成就未来！"
        return f"{CHAIN_WORDS[p.chain][0][0]}领域企业，{year}年成立，员工{p.row['employees']}人。"
    m = iname(main, "zh" if (p.mixed and R.random() < 0.5) else "en")
    place = r["name_en"].split(" (")[0] if p.adcode != "320571" else "Suzhou Industrial Park"
    v = R.randrange(4)
    if v == 0 and p.row.get("foreign"):
        country, adj = R.choice(COUNTRIES)
        verb = "develops and manufactures" if kind == "product" else "provides"
        return (f"{p.name} is a wholly foreign-owned enterprise of {a_an(adj)} group founded in {R.randint(1890, 1995)}. "
                f"Established in {place} in {year}, the company {verb} {m} for customers in China and across Asia, "
                f"backed by the group's engineering centres in {country}.")
    if v == 1:
        return f"{m[0].upper() + m[1:]}. Est. {year}, {p.row['employees']} employees, {place}."
    if v == 2:
        return f"Founded in {year} by a team from {R.choice(['industry leaders', 'Silicon Valley', 'top universities', 'a Fortune 500 group'])}, we {'build' if kind == 'product' else 'offer'} {m}."
    w = a_an(CHAIN_WORDS[p.chain][1][0])
    return f"{w[0].upper() + w[1:]} company located in {place}, {p.city}."


# ------------------------------------------------------------------------------------------- research & capital
UNIS = [  # (zh, en, adcode, chains its schools work in)
    ("上海滨江理工大学", "Shanghai Binjiang University of Technology", "310110", ["IC", "MAT", "EQP"]),
    ("上海浦江医科大学", "Shanghai Pujiang Medical University", "310104", ["BIO", "AI"]),
    ("沪东海洋大学", "Hudong Maritime University", "310115", ["MAR", "NEV"]),
    ("上海临港工程大学", "Shanghai Lingang University of Engineering", "310115", ["EQP", "NEV", "MAR"]),
    ("上海徐汇信息科技大学", "Shanghai Xuhui University of Information Technology", "310104", ["AI", "IC"]),
    ("苏州金鸡湖大学", "Jinji Lake University", "320571", ["IC", "BIO", "AI"]),
    ("苏州姑苏科技大学", "Gusu University of Science and Technology", "320508", ["MAT", "EQP", "TEX"]),
    ("吴中职业技术学院", "Wuzhong Polytechnic", "320506", ["EQP", "AI"]),
    ("中英湖畔国际大学", "Sino-British Lakeside University", "320571", ["AI", "BIO", "MAT"]),
    ("昆山杜克湾国际学院", "Kunshan Dukewan International College", "320583", ["BIO", "NEV"]),
    ("南通江海大学", "Jianghai University", "320613", ["MAR", "TEX", "MAT"]),
    ("南通濠河理工学院", "Haohe Institute of Technology", "320613", ["NEV", "EQP"]),
    ("南通纺织职业技术学院", "Nantong Textile Polytechnic", "320612", ["TEX"]),
    ("上海松江工程技术大学", "Songjiang University of Engineering and Technology", "310117", ["EQP", "TEX", "AI"]),
    ("苏州相城医学院", "Xiangcheng Medical College", "320507", ["BIO"]),
    ("上海宝山材料科技大学", "Baoshan University of Materials Science", "310113", ["MAT", "MAR", "NEV"]),
]
INSTITUTES = [  # (zh name, en name, adcode, research topics, services)
    ("上海先进半导体研究院", "Shanghai Institute of Advanced Semiconductors", "310115", ["IC.rd.gan", "IC.rd.chiplet"], ["IC.fa"]),
    ("苏州纳米器件研究所", "Suzhou Institute of Nano Devices", "320571", ["IC.rd.resist", "MAT.rd.membrane"], []),
    ("上海张江生物医药创新研究院", "Zhangjiang Biomedical Innovation Institute", "310115", ["BIO.rd.adc", "BIO.rd.lnp"], []),
    ("苏州医疗器械研究院", "Suzhou Medical Device Research Institute", "320505", ["BIO.rd.biomat"], ["BIO.devicetest"]),
    ("上海智能算法研究中心", "Shanghai Centre for Intelligent Algorithms", "310104", ["AI.rd.mm", "AI.rd.edge"], []),
    ("长三角具身智能创新中心", "YRD Embodied Intelligence Innovation Centre", "320571", ["AI.rd.embodied", "EQP.rd.motion"], []),
    ("上海新能源汽车技术研究院", "Shanghai NEV Technology Institute", "310114", ["NEV.rd.bms", "NEV.rd.solid"], ["NEV.battest"]),
    ("南通储能与氢能研究院", "Nantong Institute of Energy Storage and Hydrogen", "320612", ["NEV.rd.h2", "NEV.rd.solid"], []),
    ("南通船舶与海洋工程研究院", "Nantong Shipbuilding and Ocean Engineering Research Institute", "320613", ["MAR.rd.hydro", "MAR.rd.fuel"], []),
    ("启东海上风电技术研究所", "Qidong Offshore Wind Technology Institute", "320681", ["MAR.rd.corr", "MAT.rd.comp"], []),
    ("苏州吴江纺织科技研究院", "Wujiang Textile Technology Institute", "320509", ["TEX.rd.waterless", "TEX.rd.bio"], ["TEX.testing"]),
    ("南通家纺产业技术研究院", "Nantong Home Textile Industry Research Institute", "320614", ["TEX.rd.smart"], ["TEX.testing"]),
    ("上海化工新材料研究所", "Shanghai Research Institute of Chemical Materials", "310116", ["MAT.rd.membrane"], ["MAT.testing"]),
    ("张家港复合材料研究院", "Zhangjiagang Composite Materials Institute", "320582", ["MAT.rd.comp"], ["MAT.testing"]),
    ("上海精密传动研究所", "Shanghai Precision Transmission Institute", "310112", ["EQP.rd.tribo", "EQP.rd.motion"], []),
    ("Sino-German Lightweight Engineering Centre (Taicang)", "", "320585", ["MAT.rd.am", "MAT.rd.comp"], ["MAT.testing"]),
    ("YRD Institute of Marine Technology", "", "320623", ["MAR.rd.corr", "MAR.rd.hydro"], []),
    ("Suzhou-Nordic Battery Research Lab", "", "320571", ["NEV.rd.solid", "NEV.rd.bms"], ["NEV.battest"]),
    ("Shanghai-Lyon Textile Innovation Lab", "", "310117", ["TEX.rd.smart", "TEX.rd.waterless"], []),
    ("Kunshan Applied AI Research Center", "", "320583", ["AI.rd.edge", "AI.rd.embodied"], []),
    ("苏州生物材料工程研究中心", "Suzhou Biomaterials Engineering Research Centre", "320506", ["BIO.rd.biomat"], []),
    ("南通智能装备技术研究院", "Nantong Intelligent Equipment Technology Institute", "320671", ["EQP.rd.combust", "EQP.rd.motion"], []),
]
DEPTS = {"IC": ("微电子学院", "School of Microelectronics"), "BIO": ("药学院", "School of Pharmacy"),
         "AI": ("人工智能研究院", "Institute of Artificial Intelligence"), "NEV": ("能源与动力工程学院", "School of Energy and Power"),
         "MAR": ("船舶与海洋工程学院", "School of Naval Architecture"), "TEX": ("纺织与服装学院", "School of Textiles and Fashion"),
         "MAT": ("材料科学与工程学院", "School of Materials Science"), "EQP": ("机械工程学院", "School of Mechanical Engineering")}
TEST_ITEMS = {"IC": "IC.fa", "BIO": "BIO.devicetest", "NEV": "NEV.battest", "TEX": "TEX.testing", "MAT": "MAT.testing"}
LAB_GEAR = ["EQP.am", "AI.server", "AI.compute", "BIO.bioreactor", "IC.etch", "IC.metrology", "EQP.cnc", "EQP.robot", "AI.camera"]

# investors: (name, adcode, kind, stages, ticket lo-hi 万元, usd, fixed focus or None = drawn in turn)
INVESTORS = [
    ("苏州星湖天使投资管理有限公司", "320571", "angel", ["seed"], (200, 1500), False, None),
    ("上海澄溪天使创业投资合伙企业（有限合伙）", "310104", "angel", ["seed"], (300, 2000), False, None),
    ("南通濠河种子创业投资基金（有限合伙）", "320613", "angel", ["seed", "early"], (500, 3000), False, None),
    ("Sable Peak Venture Partners", "310115", "angel", ["seed"], (1 * USD, 3 * USD), True, None),
    ("上海浦汇创业投资管理有限公司", "310115", "vc", ["early"], (2000, 10000), False, None),
    ("苏州太湖硬科技创业投资基金（有限合伙）", "320506", "vc", ["early", "growth"], (3000, 15000), False, None),
    ("昆山玉山科创投资有限公司", "320583", "vc", ["early"], (1000, 6000), False, None),
    ("Bluestem Ventures (Shanghai) Management Co., Ltd.", "310106", "vc", ["early", "growth"], (5 * USD, 20 * USD), True, None),
    ("Northbridge Deep Tech Fund", "320571", "vc", ["early"], (2 * USD, 10 * USD), True, None),
    ("苏州相城成长创业投资合伙企业（有限合伙）", "320507", "vc", ["seed", "early"], (800, 5000), False, None),
    ("上海张江医疗健康创业投资合伙企业（有限合伙）", "310115", "vc", ["early"], (1500, 8000), False, ["BIO"]),
    ("上海临港科创股权投资基金合伙企业（有限合伙）", "310115", "growth", ["growth"], (5000, 30000), False, None),
    ("Yangtze Delta Growth Partners", "310101", "growth", ["growth", "late"], (10000, 50000), False, None),
    ("Lotusgate Healthcare Fund", "310104", "growth", ["growth"], (10 * USD, 40 * USD), True, ["BIO"]),
    ("Crestmoor Capital (Suzhou) Co., Ltd.", "320571", "growth", ["growth", "late"], (20 * USD, 80 * USD), True, None),
    ("南通通富科技创业投资有限公司", "320613", "growth", ["growth"], (8000, 25000), False, None),
    ("上海浦江成长私募股权基金管理有限公司", "310106", "pe", ["late"], (20000, 80000), False, None),
    ("Meridian Industrial Investment (Shanghai) Co., Ltd.", "310115", "pe", ["late", "project"], (30000, 100000), False, None),
    ("南通江海产业投资基金（有限合伙）", "320613", "guidance", ["growth", "project"], (10000, 100000), False, ["MAR", "NEV", "TEX", "MAT"]),
    ("苏州工业园区星海产业引导基金", "320571", "guidance", ["early", "growth", "project"], (5000, 50000), False, ["IC", "BIO", "AI"]),
    ("启东海洋经济产业投资基金", "320681", "guidance", ["project"], (30000, 200000), False, ["MAR"]),
    ("Quayside Infrastructure Partners", "310115", "industrial", ["growth", "project"], (20000, 150000), False, ["MAR", "AI", "NEV"]),
    ("吴江丝路纺织产业基金", "320509", "cvc", ["early", "growth"], (3000, 20000), False, ["TEX", "MAT"]),
    ("Ironwood Robotics Ventures", "320583", "cvc", ["growth"], (5 * USD, 30 * USD), True, ["EQP", "AI"]),
]
STAGE_DESC = {"seed": (["天使轮", "种子期"], ["seed", "angel"]), "early": (["A轮前后", "早期"], ["Series A", "early stage"]),
              "growth": (["B轮至C轮", "成长期"], ["Series B–C", "growth stage"]), "late": (["Pre-IPO", "成熟期"], ["pre-IPO", "late stage"]),
              "project": (["产业化及扩产项目", "重大产业项目"], ["expansion and project capital", "large industrial projects"])}

PARKS = [("上海临港先进制造园区开发有限公司", "310115", ["SITE.factory", "SITE.dc"], "zh"),
         ("上海金山化工园区发展有限公司", "310116", ["SITE.chem"], "zh"),
         ("上海奉贤美谷生物医药产业园运营有限公司", "310120", ["SITE.gmp"], "zh"),
         ("苏州工业园区生物产业园发展有限公司", "320571", ["SITE.gmp", "SITE.pilot"], "zh"),
         ("太仓港经济开发区建设发展有限公司", "320585", ["SITE.port"], "zh"),
         ("张家港扬子江化工园区管理服务有限公司", "320582", ["SITE.chem"], "zh"),
         ("南通如东洋口港临港工业区开发有限公司", "320623", ["SITE.chem", "SITE.port"], "zh"),
         ("启东海工装备产业园发展有限公司", "320681", ["SITE.port"], "zh"),
         ("南通经济技术开发区科创园运营有限公司", "320671", ["SITE.factory", "SITE.pilot"], "zh"),
         ("Kunshan Hi-Tech Zone Industrial Property Co., Ltd.", "320583", ["SITE.factory"], "en"),
         ("Taicang Sino-European Industrial Park Development Co., Ltd.", "320585", ["SITE.factory", "SITE.gmp"], "en"),
         ("Nantong Yangtze Digital Valley Development Co., Ltd.", "320623", ["SITE.dc"], "en"),
         ("海门临江新区产业发展有限公司", "320614", ["SITE.chem"], "zh"),
         ("Shanghai Songjiang G60 Industrial Park Co., Ltd.", "310117", ["SITE.factory", "SITE.pilot"], "en")]

# ------------------------------------------------------------------------------------------- projects
# (chain, zh title, en title, zh description, en description, supplier items, rd topics, sites, inv lo-hi 万元, stages)
ARCH = [
    ("IC", "车规级功率模块封装测试产线项目", "Automotive power-module packaging & test line",
     "建设车规级功率模块封装与测试产线，面向新能源汽车电驱及光伏逆变器。", "A packaging and test line for automotive power modules serving e-drives and solar inverters.",
     ["MAT.dbc", "MAT.epoxy", "IC.fa"], ["IC.rd.gan"], ["SITE.factory"], (30000, 120000), ["pilot", "expansion"]),
    ("IC", "8英寸MEMS传感器中试线", "8-inch MEMS sensor pilot line",
     "建设8英寸MEMS工艺中试线，开发压力、惯性传感器。", "An 8-inch MEMS pilot line for pressure and inertial sensors.",
     ["IC.etch", "IC.metrology", "IC.wafer200", "IC.gas"], [], ["SITE.pilot", "SITE.factory"], (20000, 80000), ["rd", "pilot"]),
    ("IC", "高纯电子特气扩产项目", "Electronic specialty gas capacity expansion",
     "新增电子级三氟化氮及六氟化钨产能。", "Additional capacity for electronic-grade NF3 and WF6.",
     ["MAT.indgas"], [], ["SITE.chem"], (40000, 150000), ["expansion"]),
    ("IC", "Chiplet先进封装研发平台", "Chiplet advanced-packaging R&D platform",
     "搭建Chiplet互连与2.5D封装设计验证平台。", "A design and validation platform for chiplet interconnects and 2.5D packaging.",
     ["IC.eda", "IC.advpkg"], ["IC.rd.chiplet"], [], (5000, 30000), ["rd", "pilot"]),
    ("IC", "ArF光刻胶国产化项目", "ArF photoresist localisation programme",
     "完成ArF光刻胶配方开发与产线验证，实现国产替代。", "Formulation and fab qualification of a domestic ArF resist.",
     ["IC.wetchem", "MAT.testing"], ["IC.rd.resist"], ["SITE.chem"], (8000, 50000), ["rd", "pilot"]),
    ("BIO", "ADC创新药临床前研究项目", "Preclinical ADC programme",
     "开展新一代ADC候选药物的临床前研究和IND申报。", "Preclinical development and IND filing of a next-generation ADC candidate.",
     ["BIO.tox", "BIO.cdmo_bio"], ["BIO.rd.adc"], [], (3000, 20000), ["rd"]),
    ("BIO", "抗体药物产业化基地", "Antibody manufacturing base",
     "建设抗体药物商业化生产基地，规划4×2000L生产线。", "Commercial antibody plant with 4 × 2,000 L trains.",
     ["BIO.bioreactor", "BIO.media", "BIO.proteina", "BIO.sub"], [], ["SITE.gmp"], (60000, 200000), ["expansion"]),
    ("BIO", "mRNA疫苗技术平台", "mRNA vaccine platform",
     "建设mRNA疫苗研发与中试平台。", "An mRNA vaccine discovery and pilot platform.",
     ["BIO.cdmo_bio", "BIO.clinical"], ["BIO.rd.lnp"], ["SITE.pilot"], (10000, 60000), ["rd", "pilot"]),
    ("BIO", "便携超声设备产业化项目", "Handheld ultrasound commercialisation",
     "推动掌上超声产品注册与量产。", "Registration and volume production of a handheld ultrasound device.",
     ["BIO.devicetest", "BIO.qms", "BIO.devicecmo"], [], [], (2000, 15000), ["pilot", "expansion"]),
    ("BIO", "化学发光试剂扩产项目", "Chemiluminescence reagent expansion",
     "扩建化学发光免疫试剂产线。", "Expanding a chemiluminescence immunoassay reagent line.",
     ["BIO.ivdraw"], [], ["SITE.gmp", "SITE.factory"], (8000, 40000), ["expansion"]),
    ("AI", "智算中心建设项目", "AI computing centre",
     "建设智算中心，规划算力2000P。", "An AI computing centre of about 2,000 PFLOPS.",
     ["AI.server", "AI.chip"], [], ["SITE.dc"], (80000, 300000), ["expansion"]),
    ("AI", "工业质检大模型项目", "Industrial inspection foundation model",
     "研发面向制造业外观质检的视觉大模型。", "A vision foundation model for manufacturing inspection.",
     ["AI.compute", "AI.label", "AI.camera"], ["AI.rd.mm"], [], (2000, 12000), ["rd", "pilot"]),
    ("AI", "具身智能人形机器人研发项目", "Humanoid robot R&D programme",
     "研发面向工厂搬运场景的人形机器人。", "A humanoid robot for material handling in factories.",
     ["EQP.reducer", "EQP.servo", "AI.lidar"], ["AI.rd.embodied"], ["SITE.factory"], (5000, 40000), ["rd", "pilot"]),
    ("AI", "自动驾驶数据闭环平台", "Autonomous-driving data loop platform",
     "建设自动驾驶数据采集、标注与训练闭环平台。", "Data collection, labelling and training loop for autonomous driving.",
     ["AI.label", "AI.compute"], ["AI.rd.edge"], [], (3000, 20000), ["rd", "pilot"]),
    ("NEV", "储能电池项目", "ESS battery plant",
     "建设储能电芯及系统产线。", "A plant for ESS cells and systems.",
     ["NEV.lfp", "NEV.graphite", "NEV.electrolyte", "NEV.separator", "EQP.line"], [], ["SITE.factory"], (100000, 500000), ["expansion"]),
    ("NEV", "固态电池中试线", "Solid-state battery pilot line",
     "建设硫化物固态电池中试线。", "A pilot line for sulfide solid-state cells.",
     ["NEV.battest"], ["NEV.rd.solid"], ["SITE.pilot"], (10000, 60000), ["rd", "pilot"]),
    ("NEV", "退役动力电池综合利用项目", "Battery recycling and second-life project",
     "建设退役动力电池拆解、梯次利用和材料再生产线。", "Dismantling, second-life and material recovery for retired EV batteries.",
     ["NEV.battest"], [], ["SITE.chem"], (20000, 80000), ["pilot", "expansion"]),
    ("NEV", "超充站网络建设项目", "Ultra-fast charging network",
     "建设区域超充站网络。", "A regional network of ultra-fast charging stations.",
     ["NEV.charger", "EQP.pcs"], [], [], (10000, 50000), ["expansion"]),
    ("NEV", "氢燃料电池重卡示范项目", "Hydrogen fuel-cell truck demonstration",
     "开展港口氢燃料电池重卡示范运营。", "Demonstration of fuel-cell heavy trucks in port logistics.",
     ["NEV.fuelcell"], ["NEV.rd.h2"], [], (8000, 40000), ["pilot"]),
    ("MAR", "海上风电导管架制造基地", "Offshore wind jacket fabrication yard",
     "建设海上风电导管架及单桩制造基地。", "A fabrication yard for offshore wind jackets and monopiles.",
     ["MAR.plate", "MAR.coating"], ["MAR.rd.corr"], ["SITE.port"], (50000, 200000), ["expansion"]),
    ("MAR", "甲醇双燃料船舶研发项目", "Methanol dual-fuel vessel development",
     "开发甲醇双燃料支线集装箱船船型。", "Developing a methanol dual-fuel feeder container ship.",
     ["MAR.design", "MAR.mainengine"], ["MAR.rd.fuel", "MAR.rd.hydro"], [], (5000, 30000), ["rd"]),
    ("MAR", "海上风电场项目", "Offshore wind farm",
     "开发海上风电场，装机容量约300MW。", "An offshore wind farm of about 300 MW.",
     ["MAR.foundation", "MAR.installvessel", "EQP.turbine"], [], [], (300000, 600000), ["expansion"]),
    ("MAR", "修船基地绿色化改造项目", "Green upgrade of a repair yard",
     "对修船基地进行绿色化、智能化改造。", "Upgrading a ship-repair yard for greener operations.",
     ["MAR.bwts", "MAR.scrubber", "MAR.coating"], [], [], (10000, 50000), ["expansion"]),
    ("TEX", "超临界无水染色示范线", "Waterless dyeing demonstration line",
     "建设超临界CO2无水染色示范线。", "A supercritical CO2 waterless dyeing demonstration line.",
     ["TEX.dyes"], ["TEX.rd.waterless"], ["SITE.factory"], (3000, 20000), ["rd", "pilot"]),
    ("TEX", "再生涤纶差别化纤维项目", "Recycled polyester fibre project",
     "建设瓶片再生涤纶差别化纤维产线。", "A line for differentiated recycled polyester fibre from bottle flakes.",
     ["TEX.loom", "EQP.line"], ["TEX.rd.bio"], ["SITE.chem", "SITE.factory"], (20000, 80000), ["expansion"]),
    ("TEX", "智能可穿戴纺织品项目", "Smart wearable textiles",
     "开发集成柔性传感的运动服饰。", "Sportswear with integrated flexible sensors.",
     ["TEX.knit", "TEX.garment"], ["TEX.rd.smart"], [], (1000, 8000), ["idea", "rd"]),
    ("TEX", "家纺数字化工厂项目", "Digital home-textile factory",
     "建设家纺数字化工厂，实现柔性快反。", "A digital, quick-response home-textile factory.",
     ["TEX.loom", "EQP.mes", "TEX.dyeing"], [], ["SITE.factory"], (10000, 40000), ["expansion"]),
    ("MAT", "T800碳纤维扩产项目", "T800 carbon fibre expansion",
     "新增T800级碳纤维产能。", "Additional capacity for T800-grade carbon fibre.",
     ["MAT.indgas"], [], ["SITE.chem"], (50000, 200000), ["expansion"]),
    ("MAT", "碳纤维复合材料回收中试项目", "Composite recycling pilot",
     "建设退役风电叶片复合材料回收中试线。", "A pilot line recycling composites from retired wind blades.",
     ["MAT.testing"], ["MAT.rd.comp"], ["SITE.pilot"], (2000, 15000), ["rd", "pilot"]),
    ("MAT", "PEEK材料国产化项目", "Domestic PEEK production",
     "建设PEEK树脂聚合及改性产线。", "A PEEK polymerisation and compounding line.",
     ["MAT.testing"], ["MAT.rd.membrane"], ["SITE.chem"], (15000, 60000), ["pilot", "expansion"]),
    ("MAT", "氮化铝陶瓷基板产线项目", "AlN ceramic substrate line",
     "建设氮化铝陶瓷基板产线，面向功率模块。", "An AlN substrate line for power modules.",
     ["EQP.line", "MAT.testing"], [], ["SITE.factory"], (10000, 40000), ["pilot", "expansion"]),
    ("EQP", "精密减速器扩产项目", "Precision reducer expansion",
     "扩建RV及谐波减速器产线。", "Expanding RV and harmonic reducer lines.",
     ["EQP.cnc", "EQP.bearing"], ["EQP.rd.tribo"], ["SITE.factory"], (15000, 60000), ["expansion"]),
    ("EQP", "协作机器人研发项目", "Cobot development programme",
     "研发新一代力控协作机器人。", "Next-generation force-controlled cobots.",
     ["EQP.servo", "EQP.reducer"], ["EQP.rd.motion"], [], (2000, 15000), ["idea", "rd"]),
    ("EQP", "风电叶片生产基地", "Wind blade production base",
     "建设百米级海上风电叶片生产基地。", "A plant for 100 m+ offshore wind blades.",
     ["MAT.cf", "MAT.prepreg"], [], ["SITE.port"], (40000, 150000), ["expansion"]),
    ("EQP", "航空零部件智能工厂", "Aerospace parts smart factory",
     "建设航空结构件智能化加工工厂。", "A smart machining plant for aerostructure parts.",
     ["EQP.cnc", "MAT.ti", "EQP.mes"], ["EQP.rd.combust"], ["SITE.factory"], (20000, 80000), ["expansion"]),
    ("EQP", "金属增材制造服务中心", "Metal additive manufacturing centre",
     "建设金属3D打印公共服务中心。", "A shared metal additive manufacturing service centre.",
     ["EQP.am"], ["MAT.rd.am"], [], (3000, 20000), ["pilot"]),
]
PSTAGE_CAP = {"idea": "seed", "rd": "early", "pilot": "growth", "expansion": "project"}
PSTAGE_TEXT = {"idea": ["构想", "idea", "构想阶段"], "rd": ["研发", "rd", "研发阶段"], "pilot": ["中试", "pilot", "中试阶段"],
               "expansion": ["扩产", "expansion", "扩产阶段"]}


# ------------------------------------------------------------------------------------------- build
def build() -> tuple[list[Party], list[Party]]:
    orgs: list[Party] = []
    # enterprises
    ent_langs = deal(N_ENTERPRISE * len(CHAINS), 0.55, 0.36)
    for chain in CHAINS:
        items = offerable(chain)
        primaries = items + [R.choice(items) for _ in range(N_ENTERPRISE - len(items))]
        R.shuffle(primaries)
        for k, main in enumerate(primaries):
            lang, mixed = ent_langs.pop()
            adcode = R.choice(HUBS[chain])
            foreign = lang == "en" and R.random() < 0.7
            p = Party("org", "", f"h2-{chain.lower()}-{CITY_ABBR[CITY_OF[adcode]]}-e{k + 1:02d}", "enterprise", chain, lang,
                      mixed, R.choice(STYLES[lang]), adcode)
            fam = [i for i in family_of(main) if i != main]
            p.offers = [main] + R.sample(fam, min(len(fam), R.choice([0, 1, 1, 2])))
            p.name = unique(zh_enterprise_name if lang == "zh" else en_enterprise_name, chain, main, adcode, foreign)
            p.id = new_code(adcode, "91")
            p.row = {"founded_year": R.randint(1996, 2024), "employees": R.choice([35, 60, 120, 260, 480, 900, 1500, 3200]),
                     "foreign": foreign}
            orgs.append(p)
    # parks
    for k, (name, adcode, sites, lang) in enumerate(PARKS):
        p = Party("org", new_code(adcode, "91"), f"h2-park-{CITY_ABBR[CITY_OF[adcode]]}-{k + 1:02d}", "enterprise", "SITE",
                  lang, False, R.choice(STYLES[lang]), adcode, name=name)
        USED_NAMES.add(name)
        p.offers = list(sites)
        if "SITE.port" in sites and R.random() < 0.6:
            p.offers.append("MAR.heavylift")
        p.row = {"founded_year": R.randint(1992, 2018), "employees": R.choice([40, 80, 150]), "foreign": False}
        orgs.append(p)
    # universities
    for k, (zh, en, adcode, uchains) in enumerate(UNIS):
        lang, mixed = pick_lang(0.72, 0.22)
        if "Sino-British" in en or "Dukewan" in en:
            lang, mixed = "en", R.random() < 0.3
        chains = list(uchains)
        p = Party("org", new_code(adcode, "12"), f"h2-uni-{CITY_ABBR[CITY_OF[adcode]]}-{k + 1:02d}", "university", chains[0], lang,
                  mixed, R.choice(["formal", "bullets", "prose"] if lang == "zh" else ["corporate", "bullets"]), adcode,
                  name=zh if lang == "zh" else en)
        USED_NAMES.add(p.name)
        for c in chains:
            p.offers += R.sample(topics(c), R.choice([1, 2]) if len(chains) > 1 else 2)
        tests = [TEST_ITEMS[c] for c in chains if c in TEST_ITEMS]
        if tests and R.random() < 0.35:
            p.offers.append(R.choice(tests))
        p.row = {"founded_year": R.randint(1907, 2015), "employees": R.choice([1200, 2500, 4000, 800]), "foreign": False,
                 "chains": chains}
        orgs.append(p)
    # institutes
    for k, (zh, en, adcode, tops, services) in enumerate(INSTITUTES):
        chains = sorted({ITEMS[t].chain for t in tops}, key=lambda c: ITEMS[tops[0]].chain != c)
        if not en:
            en = zh
            lang, mixed = "en", R.random() < 0.25
        else:
            lang, mixed = pick_lang(0.75, 0.15)
        prefix = R.choice(["12", "12", "52", "91"])
        p = Party("org", new_code(adcode, prefix), f"h2-inst-{CITY_ABBR[CITY_OF[adcode]]}-{k + 1:02d}", "institute", chains[0], lang,
                  mixed, R.choice(STYLES[lang]), adcode, name=zh if lang == "zh" else en)
        USED_NAMES.add(p.name)
        p.offers = list(tops) + list(services)
        if R.random() < 0.2:
            p.offers.append("SITE.pilot")
        p.row = {"founded_year": R.randint(1958, 2022), "employees": R.choice([60, 150, 300, 600]), "foreign": False, "chains": chains}
        orgs.append(p)
    # investors
    focus_cycle = ["IC", "NEV", "AI", "MAT", "EQP", "BIO", "MAR", "TEX"] * 8
    fi = 0
    for k, (name, adcode, kind, stages, (lo, hi), usd, fixed) in enumerate(INVESTORS):
        lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in name) else "en"
        mixed = R.random() < 0.15
        if fixed:
            focus = list(fixed)
        else:
            focus = []
            while len(focus) < R.choice([1, 2, 2, 3]):
                c = focus_cycle[fi]
                fi += 1
                if c not in focus:
                    focus.append(c)
        p = Party("org", new_code(adcode, "91"), f"h2-inv-{CITY_ABBR[CITY_OF[adcode]]}-{k + 1:02d}", "investor", focus[0], lang,
                  mixed, R.choice(["prose", "bullets", "formal"] if lang == "zh" else ["corporate", "bullets", "terse"]), adcode,
                  name=name)
        USED_NAMES.add(name)
        p.focus, p.stages, p.ticket, p.ticket_usd = focus, stages, (lo, hi), usd
        p.needs = [Need("opportunity")]
        p.row = {"founded_year": R.randint(2005, 2022), "employees": R.choice([12, 25, 40, 80]), "foreign": usd, "kind": kind}
        orgs.append(p)

    enterprises = [o for o in orgs if o.org_type == "enterprise" and o.chain != "SITE"]
    # enterprise needs
    for p in enterprises:
        needs: list[Need] = []
        inputs = sorted({i for o in p.offers for i in ITEMS[o].inputs} - set(p.offers))
        if inputs and R.random() < 0.75:
            for i in R.sample(inputs, min(len(inputs), R.choice([1, 1, 2, 2, 3]))):
                needs.append(Need(ITEMS[i].relation, i))
        if R.random() < 0.25 and ITEMS[p.offers[0]].kind in ("product", "cmo"):
            needs.append(Need("rd_partner", R.choice(topics(p.chain))))
        if R.random() < 0.1:
            fits = [x for x in SITE_FIT[p.chain] if x != "SITE.chem" or ITEMS[p.offers[0]].kind in ("product", "cmo")]
            s = R.choice(fits)
            needs.append(Need("production_base", s, city=R.choice([None, None, p.city, R.choice(list(CITY_ZH))])))
        if R.random() < 0.16:
            stage = R.choice(["seed", "early", "early", "growth", "growth", "late"])
            usd = p.lang == "en" and R.random() < 0.5
            needs.append(capital_need(p.chain, stage, usd))
        if R.random() < 0.14:
            needs.append(Need("customer", p.offers[0]))
        p.needs = needs[:3]
    # research organisations' needs
    for p in orgs:
        if p.org_type in ("university", "institute"):
            if R.random() < 0.35:
                p.needs.append(Need("supplier", R.choice(LAB_GEAR)))
            if R.random() < 0.2:
                p.needs.append(Need("production_base", R.choice(["SITE.pilot", "SITE.factory"]), city=R.choice([None, p.city])))
        if p.chain == "SITE" and R.random() < 0.6:
            p.needs.append(Need("customer", p.offers[0]))
    # boilerplate
    for p in orgs:
        if p.org_type == "enterprise":
            pool = bp_groups(BP_OFFER_GROUPS, p.chain)
            if ITEMS[p.offers[0]].kind in ("service", "site"):
                pool = [g for g in pool if g not in ("samples", "massprod", "iatf", "export")]
            p.bp_offer = R.sample(pool, min(len(pool), R.choice([0, 1, 1, 2, 2, 3])))
            if p.needs or R.random() < 0.5:
                p.bp_seek = R.sample(bp_groups(BP_SEEK_GROUPS, p.chain), R.choice([0, 1, 1, 2]))
        elif p.org_type == "institute":
            p.bp_offer = R.sample(["rdteam", "jointdev", "longterm", "iso9001"], R.choice([1, 1, 2]))
            p.bp_seek = R.sample(["longterm", "jointdev"], R.choice([0, 1]))

    # projects
    projects: list[Party] = []
    per_chain = {c: [a for a in ARCH if a[0] == c] for c in CHAINS}
    n = 0
    proj_langs = deal(8 * len(CHAINS), 0.55, 0.35)
    for chain in CHAINS:
        archs = per_chain[chain]
        picks = archs + [R.choice(archs) for _ in range(8 - len(archs))]
        for a in picks:
            n += 1
            _, tzh, ten, dzh, den, sup, rds, sites, (ilo, ihi), stages = a
            lang, mixed = proj_langs.pop()
            adcode = R.choice(HUBS[chain])
            city = CITY_OF[adcode]
            pid = f"H2P-{CITY_ABBR[city].upper()}-{100 + n:03d}"
            p = Party("project", pid, f"h2-p-{chain.lower()}-{CITY_ABBR[city]}-{n:02d}", "", chain, lang, mixed,
                      R.choice([s for s in STYLES[lang] if s not in ("sales", "spec")]), adcode)
            p.pstage = R.choice(stages)
            p.investment = float(round(R.uniform(ilo, ihi) / 500) * 500)
            needs = []
            for i in sup:
                if R.random() < 0.55:
                    needs.append(Need(ITEMS[i].relation, i))
            for t in rds:
                if R.random() < 0.7:
                    needs.append(Need("rd_partner", t))
            for s in sites:
                if R.random() < 0.45:
                    needs.append(Need("production_base", s, city=R.choice([city, city, None, R.choice(list(CITY_ZH))])))
                    break
            if R.random() < 0.8:
                cs = PSTAGE_CAP[p.pstage]
                ask = p.investment * R.choice([0.2, 0.3, 0.4, 0.5, 1.0])
                usd = lang == "en" and R.random() < 0.4
                usd = usd and p.investment >= 2 * USD
                ask = max(1, int(ask / USD)) * USD if usd else max(100, round(ask / 100) * 100)
                needs.append(Need("capital", chain=chain, stage=cs, ask=float(min(ask, p.investment)), usd=usd))
            if len(needs) < 2:
                i = R.choice(sup)
                if all(x.item != i for x in needs):
                    needs.insert(0, Need(ITEMS[i].relation, i))
            p.needs = needs
            p.bp_seek = R.sample(bp_groups(BP_SEEK_GROUPS, chain), R.choice([0, 1, 1, 2]))
            cap = R.choice(["", "", "一期", "二期", "（首期）"])
            if lang == "zh":
                dz = REGIONS[adcode]["name_zh"]
                place = dz if dz.startswith(CITY_ZH[city]) else CITY_ZH[city] + dz
                p.title = unique(zh_title, [place, CITY_ZH[city], ""], tzh, cap)
            else:
                loc = REGIONS[adcode]["name_en"].split(" (")[0].replace(" District", "")
                p.title = unique(en_title, ten, loc, city)
            p.row = {"desc_zh": dzh, "desc_en": den}
            # a sponsor: an enterprise of the chain that offers none of the project's needs
            if R.random() < 0.5:
                pool = [e for e in enterprises if e.chain == chain and not set(e.offers) & {x.item for x in needs}]
                if pool:
                    p.sponsor = R.choice(pool).id
            projects.append(p)
    return orgs, projects


def zh_title(places: list[str], title: str, cap: str) -> str:
    return R.choice(places) + (title + cap if cap.startswith("（") else cap + title)


def en_title(title: str, loc: str, city: str) -> str:
    return title + R.choice(["", f" – {loc}", f" ({city})", f", phase {R.choice(['I', 'II'])}"])


def bp_groups(pool: list[str], chain: str) -> list[str]:
    """Generic boilerplate anywhere; sector certificates mostly in their sectors (and sometimes elsewhere)."""
    out = []
    for g in pool:
        if g == "iso13485" and chain not in ("BIO", "TEX", "MAT") and R.random() < 0.95:
            continue
        if g == "iatf" and chain not in ("NEV", "IC", "EQP", "MAT", "AI") and R.random() < 0.95:
            continue
        out.append(g)
    return out


def capital_need(chain: str, stage: str, usd: bool) -> Need:
    amounts = {"seed": [300, 500, 800, 1000, 1500], "early": [2000, 3000, 5000, 8000], "growth": [8000, 12000, 20000, 30000],
               "late": [30000, 50000, 80000], "project": [30000, 80000, 150000]}[stage]
    a = float(R.choice(amounts))
    if usd:
        a = float(max(1, round(a / USD)) * USD)
    return Need("capital", chain=chain, stage=stage, ask=a, usd=usd)


# ------------------------------------------------------------------------------------------- texts
def investor_texts(p: Party) -> tuple[str, str, str]:
    lo, hi = p.ticket
    zhc = "、".join(R.choice(CHAIN_WORDS[c][0]) for c in p.focus) if len(p.focus) < 8 else "硬科技各赛道"
    enc = ", ".join(R.choice(CHAIN_WORDS[c][1]) for c in p.focus) if len(p.focus) < 8 else "deep tech across sectors"
    zhs = "、".join(R.choice(STAGE_DESC[s][0]) for s in p.stages)
    ens = " and ".join(R.choice(STAGE_DESC[s][1]) for s in p.stages)

    def tz():
        def short(w):
            return f"{w / 10000:g}亿" if w >= 10000 else f"{w:g}万"
        if p.ticket_usd:
            return f"{lo / USD:g}–{hi / USD:g}百万美元"
        return f"{short(lo)}–{short(hi)}元" if hi >= 10000 else f"{lo:g}–{hi:g}万元"

    def te():
        if p.ticket_usd:
            return R.choice([f"tickets of USD {lo / USD:g}–{hi / USD:g}m", f"US${lo / USD:g}–{hi / USD:g} million per deal"])
        return f"RMB {lo / 100:g}–{hi / 100:g} million per deal"

    aum = max(R.choice([5, 10, 20, 30, 50, 80, 120]), round(hi / 10000 * 6))
    lang = p.lang
    if lang == "zh":
        if p.style == "bullets":
            offers = f"投资领域：{zhc}\n投资阶段：{zhs}\n单笔金额：{tz()}\n{R.choice(BP_INVEST[0])}"
        else:
            offers = (f"管理资金规模约{aum}亿元，重点投资{zhc}领域，以{zhs}为主，单笔投资{tz()}。" +
                      (f" Ticket size: {te()}." if p.mixed else "") + R.choice(BP_INVEST[0]) + "。")
        seeks = R.choice([f"寻找{zhc}领域{zhs}阶段的优质项目", f"重点关注{zhc}方向具备核心技术的{zhs}企业",
                          f"征集{zhc}项目，要求团队完整、技术壁垒清晰"]) + "。" + (R.choice(["希望建立长期稳定合作。", ""]))
        desc = f"{p.name}成立于{p.row['founded_year']}年，" + R.choice(["是一家专注于产业投资的私募股权机构。", "为市场化运作的投资机构。",
                                                                    "由地方国资与产业资本共同发起设立。"])
        if p.mixed:
            seeks += f" Focus: {enc}."
    else:
        if p.style == "bullets":
            offers = f"- Focus: {enc}\n- Stage: {ens}\n- Ticket: {te()}\n- {R.choice(BP_INVEST[1])}"
        elif p.style == "terse":
            offers = f"Focus: {enc}; stage: {ens}; {te()}"
        else:
            usd_m = aum * 100 / 7.2
            size = f"USD {usd_m / 1000:.1f}bn" if usd_m >= 1000 else f"USD {round(usd_m, -1):g}m"
            offers = (f"{p.name} manages about {size} across several funds and invests in {enc} at {ens}, "
                      f"with {te()}. We offer {R.choice(BP_INVEST[1])}.")
        if p.mixed:
            offers += f" 单笔投资{tz()}。"
        seeks = R.choice([f"Looking for {ens} companies in {enc}", f"Deal flow wanted: {enc}, {ens}",
                          f"Seeking {ens} opportunities in {enc} with proven technology"]) + "."
        desc = R.choice([f"Independent investment firm founded in {p.row['founded_year']}.",
                         f"A {R.choice(['Shanghai', 'Suzhou', 'Hong Kong', 'Singapore'])}-headquartered investor with a team of {p.row['employees']}."])
    return desc, offers, seeks


def university_texts(p: Party) -> tuple[str, str, str]:
    lang = p.lang
    lines = []
    langs = clause_langs(p, len(p.offers))
    for it, (tl, nl) in zip(p.offers, langs, strict=True):
        c = ITEMS[it].chain
        dept = DEPTS[c][0 if tl == "zh" else 1]
        if ITEMS[it].kind == "rd":
            n = iname(it, nl or tl)
            lines.append(f"{dept}：{n}" if tl == "zh" else f"{dept}: {n}")
        else:
            lines.append(offer_clause(it, tl, "prose", nl))
    bp = R.choice(BP_UNIV[0 if lang == "zh" else 1])
    if lang == "zh":
        offers = ("\n".join(lines) + "\n" + bp) if p.style == "bullets" else ("；".join(lines) + "。" + bp + "。")
        desc = f"{p.name}是一所以{R.choice(['工科', '理工科', '医学', '海洋与船舶'])}为特色的{R.choice(['公办本科高校', '高等院校', '研究型大学'])}，现有在校生约{R.choice([1, 2, 3])}万人。"
    else:
        offers = ("\n".join("- " + x for x in lines) + "\n- " + bp) if p.style == "bullets" else ("; ".join(lines) + ". " + bp[0].upper() + bp[1:] + ".")
        desc = f"{p.name} is a {R.choice(['research-led', 'Sino-foreign', 'technology-focused'])} university with about {R.choice([3, 5, 8, 12])},000 students."
    needs = p.needs
    cl = [seek_clause(n, lang, "prose", own=p) for n in needs]
    cl.append(R.choice(["寻求企业联合申报国家重点研发计划", "希望与龙头企业共建联合研发中心"] if lang == "zh" else
                       ["seeking industry co-applicants for national programmes", "looking for corporate partners for joint centres"]))
    seeks = assemble(cl, lang, "prose" if lang == "zh" else "corporate", "seek")
    return desc, offers, seeks


def institute_texts(p: Party) -> tuple[str, str, str]:
    desc = (f"{p.name}成立于{p.row['founded_year']}年，是{R.choice(['新型研发机构', '省级科研院所', '事业单位性质的科研机构'])}，现有研发人员{p.row['employees']}人。"
            if p.lang == "zh" else
            f"{p.name} is an applied research organisation with {p.row['employees']} researchers, founded in {p.row['founded_year']}.")
    return desc, write_offers(p), write_seeks(p)


def park_texts(p: Party) -> tuple[str, str, str]:
    if p.lang == "zh":
        desc = f"{p.name}负责园区开发建设、招商引资与企业服务。"
    else:
        desc = f"{p.name} develops and manages industrial land and buildings and supports investors from site selection to operation."
    return desc, write_offers(p), write_seeks(p)


def project_texts(p: Party) -> tuple[str, str]:
    if p.lang == "zh":
        d = p.row["desc_zh"]
        extra = R.choice(["", f"项目计划总投资{money_zh(p.investment)}。", "项目已完成可研及备案。", "项目已列入省重大项目储备库。"])
        desc = d + extra + (f" ({p.row['desc_en']})" if p.mixed else "")
    else:
        d = p.row["desc_en"]
        extra = R.choice(["", f" Total capex about {money_en(p.investment, False)}.", " Feasibility study completed.",
                          " Permitting under way."])
        desc = d + extra + (f"（{p.row['desc_zh']}）" if p.mixed else "")
    return desc, write_seeks(p)


# ------------------------------------------------------------------------------------------- labels
NEAR_STAGES = {"seed": {"early"}, "early": {"seed", "growth"}, "growth": {"early", "late", "project"},
               "late": {"growth", "project"}, "project": {"growth", "late"}}


def fit(inv: Party, chain: str, stage: str, ask: float) -> int:
    """2: chain in focus, stage and ticket fit; 1: chain in focus and one fits while the other is near
    (a neighbouring stage, or an ask within a factor 2 of the ticket range); otherwise 0."""
    if chain not in inv.focus:
        return 0
    lo, hi = inv.ticket
    stage_ok, ticket_ok = stage in inv.stages, lo <= ask <= hi
    stage_near = stage_ok or bool(NEAR_STAGES[stage] & set(inv.stages))
    ticket_near = lo / 2 <= ask <= hi * 2
    if stage_ok and ticket_ok:
        return 2
    return 1 if (stage_ok and ticket_near) or (ticket_ok and stage_near) else 0


def labels(orgs: list[Party], projects: list[Party]):
    by_id = {p.id: p for p in orgs + projects}
    seekers: dict[str, list[tuple[Party, Need]]] = defaultdict(list)
    for p in orgs + projects:
        for n in p.needs:
            if n.rel in ("supplier", "rd_partner", "production_base"):
                seekers[n.item].append((p, n))
    capital = [(p, n) for p in orgs + projects for n in p.needs if n.rel == "capital"]
    investors = [o for o in orgs if o.org_type == "investor"]
    pairs: dict[tuple[str, str], dict] = {}
    negatives: dict[tuple[str, str], tuple[str, str]] = {}

    def add(q, c, rel, item, g):
        if g <= 0 or c.id == q.id or (q.kind == "project" and c.id == q.sponsor) or (c.kind == "project" and c.sponsor == q.id):
            return
        d = pairs.setdefault((q.id, c.id), {"rels": set(), "items": set(), "grade": 0})
        d["rels"].add(rel)
        d["items"].add(item)
        d["grade"] = max(d["grade"], g)

    for q in orgs + projects:
        for n in q.needs:
            if n.rel in ("supplier", "rd_partner", "production_base"):
                X = ITEMS[n.item]
                for c in orgs:
                    g = 2 if n.item in c.offers else (1 if set(X.adj) & set(c.offers) else 0)
                    if X.kind == "site" and n.city and c.city != n.city:
                        g = 1 if g == 2 else 0
                    add(q, c, n.rel, n.item, g)
            elif n.rel == "customer":
                X = ITEMS[n.item]
                for c, cn in ((c, cn) for it in [n.item, *X.adj] for c, cn in seekers.get(it, [])):
                    g = 2 if cn.item == n.item else 1
                    if X.kind == "site" and cn.city and cn.city != q.city:
                        g = 1 if g == 2 else 0
                    add(q, c, "customer", "CUST:" + n.item, g)
                if X.kind != "site":
                    for c in orgs:
                        if any(n.item in ITEMS[o].inputs for o in c.offers):
                            add(q, c, "customer", "CUST:" + n.item, 1)
            elif n.rel == "capital":
                for v in investors:
                    add(q, v, "investor", "CAP:" + n.chain, fit(v, n.chain, n.stage, n.ask))
            elif n.rel == "opportunity":
                for c, cn in capital:
                    add(q, c, "investment_opportunity", "CAP:" + cn.chain, fit(q, cn.chain, cn.stage, cn.ask))
    # hard negatives (never relevant; recorded to measure what the engine is fooled by)
    for q in orgs + projects:
        for n in q.needs:
            cands = [c for c in orgs if c.id != q.id and (q.id, c.id) not in pairs]
            if n.rel in ("supplier", "rd_partner", "production_base"):
                X = ITEMS[n.item]
                for c in cands:
                    hit = set(X.decoy) & set(c.offers)
                    if hit:
                        negatives[(q.id, c.id)] = ("decoy_object", f"needs {n.item}; offers {sorted(hit)[0]}")
                    elif n.item == "BIO.qms" and "iso13485" in c.bp_offer:
                        negatives[(q.id, c.id)] = ("certificate_vs_certification_service", "needs ISO 13485 consulting; is certified")
                    elif X.kind == "product" and any(ITEMS[o].kind == "rd" and ITEMS[o].chain == X.chain for o in c.offers) \
                            and c.org_type in ("university", "institute") and R.random() < 0.3:
                        negatives.setdefault((q.id, c.id), ("research_for_product_need", f"needs {n.item}; researches in its chain"))
                same = [c for c in cands if c.chain == ITEMS[n.item].chain and c.org_type == "enterprise"
                        and (q.id, c.id) not in negatives]
                for c in R.sample(same, min(2, len(same))):
                    negatives[(q.id, c.id)] = ("same_chain_other_segment", f"needs {n.item}; offers {c.offers[0]}")
            elif n.rel == "capital":
                for c in cands:
                    if c.org_type == "investor" and n.chain in c.focus:
                        negatives[(q.id, c.id)] = ("investor_stage_and_ticket_misfit",
                                                   f"{n.stage} {n.ask:g}万 vs {'/'.join(c.stages)} {c.ticket[0]:g}-{c.ticket[1]:g}万")
                    elif "EQP.leasing" in c.offers:
                        negatives[(q.id, c.id)] = ("financing_word_not_equity", "needs equity; offers leasing")
        qbp = set(q.bp_seek)
        need_chains = {ITEMS[n.item].chain for n in q.needs if n.item} | {n.chain for n in q.needs if n.chain} | set(q.focus)
        if qbp and q.needs:
            for c in orgs:
                if c.id != q.id and (q.id, c.id) not in pairs and (q.id, c.id) not in negatives and qbp & set(c.bp_offer) \
                        and c.chain not in need_chains:
                    negatives[(q.id, c.id)] = ("boilerplate_only", ";".join(sorted(qbp & set(c.bp_offer))))
    return pairs, negatives, by_id


# ------------------------------------------------------------------------------------------- writers
ORG_ZH_HEADERS = ["统一社会信用代码", "企业名称", "机构类型", "所在城市", "区县", "行业代码", "企业简介", "能力与产品", "合作需求",
                  "合作类型", "营业收入(万元)", "员工人数", "成立年份", "地址"]
ORG_EN_HEADERS = ["credit_code", "name", "org_type", "city", "district", "industry_code", "description", "offers", "seeks",
                  "partner_types", "revenue_wan", "employees", "founded_year", "address"]
RC_HEADERS = ["统一社会信用代码（Credit Code）", "单位名称（Name）", "单位类型（Type）", "城市（City）", "区县（District）", "行业代码（Industry）",
              "单位简介（Description）", "研究方向与服务（Offers）", "合作需求（Seeks）", "合作类型（Partner types）", "人数（Staff）", "成立年份（Founded）"]
PROJ_HEADERS = ["项目编号", "项目名称", "发起单位信用代码", "城市", "区县", "行业代码", "项目简介", "合作需求", "投资额(万元)", "阶段"]

PT = {"supplier": "supplier", "rd_partner": "rd_partner", "production_base": "production_base", "customer": "customer",
      "capital": "investor", "opportunity": "investee"}
TYPE_TEXT = {"enterprise": (["企业", "企业", "民营企业"], ["enterprise", "Enterprise", "enterprise"]),
             "university": (["高校", "高等院校"], ["university", "University"]), "institute": (["科研院所", "新型研发机构"], ["institute", "Institute"]),
             "investor": (["投资机构", "创投"], ["investor", "VC"])}


def industry_text(code: str, lang: str) -> str:
    x = R.random()
    if x < 0.6:
        return SECTION[code] + code
    if x < 0.9:
        return code
    return ""


def main_code(p: Party) -> str:
    if p.org_type == "university":
        return "8341"
    if p.org_type == "institute":
        return R.choice(["7320", "7310"]) if p.chain != "BIO" else "7340"
    if p.org_type == "investor":
        return R.choice(["7212", "6760"])
    return ITEMS[p.offers[0]].code


def partner_types(p: Party) -> str:
    ts = []
    for n in p.needs:
        t = PT[n.rel]
        if t not in ts:
            ts.append(t)
    return ";".join(ts) if R.random() < 0.8 else ""


def revenue(p: Party, lang: str) -> str:
    if p.org_type != "enterprise" or R.random() < 0.25:
        return ""
    w = R.choice([800, 2500, 6000, 15000, 42000, 120000, 380000])
    if lang == "zh" and w >= 10000 and R.random() < 0.4:
        return f"{w / 10000:g}亿"
    return f"{w:,}" if R.random() < 0.5 else str(w)


def org_row(p: Party) -> dict:
    if p.org_type == "investor":
        desc, offers, seeks = investor_texts(p)
    elif p.org_type == "university":
        desc, offers, seeks = university_texts(p)
    elif p.org_type == "institute":
        desc, offers, seeks = institute_texts(p)
    elif p.chain == "SITE":
        desc, offers, seeks = park_texts(p)
    else:
        desc, offers, seeks = describe_enterprise(p), write_offers(p), write_seeks(p)
    hl = p.lang
    return {
        "credit_code": p.id, "name": p.name, "org_type": R.choice(TYPE_TEXT[p.org_type][0 if hl == "zh" else 1]),
        "city": city_text(p.city, hl), "district": district_text(p.adcode, hl),
        "industry_code": industry_text(main_code(p), hl), "description": desc, "offers": offers, "seeks": seeks,
        "partner_types": partner_types(p), "revenue_wan": revenue(p, hl), "employees": str(p.row["employees"]),
        "founded_year": str(p.row["founded_year"]), "address": address(p.adcode, hl) if R.random() < 0.6 else "",
    }


def write_csv(path: Path, headers: list[str], keys: list[str], rows: list[dict], bom: bool) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(headers)
    for r in rows:
        w.writerow([r.get(k, "") for k in keys])
    path.write_bytes(buf.getvalue().encode("utf-8-sig" if bom else "utf-8"))


def write_xlsx(path: Path, headers: list[str], keys: list[str], rows: list[dict], title: str | None, sheet: str) -> None:
    import datetime

    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append([title])
    ws.append(headers)
    for r in rows:
        ws.append([r.get(k, "") for k in keys])
    fixed = datetime.datetime(2026, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.properties.creator = "heldout2"
    tmp = io.BytesIO()
    wb.save(tmp)
    # rewrite the zip with fixed timestamps so the file is byte-for-byte reproducible
    src = zipfile.ZipFile(io.BytesIO(tmp.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, data)
    path.write_bytes(out.getvalue())


def main() -> None:
    orgs, projects = build()
    pairs, negatives, by_id = labels(orgs, projects)
    # rows
    zh_rows, en_rows, rc_rows = [], [], []
    for p in orgs:
        row = org_row(p)
        if p.org_type in ("university", "institute", "investor"):
            rc_rows.append(row)
            p.file = "organisations_research_capital.xlsx"
        elif p.lang == "zh":
            zh_rows.append(row)
            p.file = "organisations_zh.csv"
        else:
            en_rows.append(row)
            p.file = "organisations_en.csv"
    proj_rows = []
    for p in projects:
        desc, seeks = project_texts(p)
        hl = p.lang
        inv = p.investment
        inv_text = R.choice([f"{inv:g}", f"{inv:,.0f}", f"{inv / 10000:g}亿" if inv >= 10000 else f"{inv:g}"])
        proj_rows.append({"project_id": p.id, "title": p.title, "sponsor": p.sponsor, "city": city_text(p.city, hl),
                          "district": district_text(p.adcode, hl), "industry_code": industry_text(ARCH_CODE[p.chain], hl),
                          "description": desc, "seeks": seeks, "investment_wan": inv_text,
                          "stage": R.choice(PSTAGE_TEXT[p.pstage])})
        p.file = "projects.xlsx"
    R2 = random.Random(SEED + 1)
    R2.shuffle(zh_rows)
    R2.shuffle(en_rows)
    R2.shuffle(rc_rows)
    write_csv(OUT / "organisations_zh.csv", ORG_ZH_HEADERS, ORG_EN_HEADERS, zh_rows, bom=True)
    write_csv(OUT / "organisations_en.csv", ORG_EN_HEADERS, ORG_EN_HEADERS, en_rows, bom=False)
    rc_keys = ["credit_code", "name", "org_type", "city", "district", "industry_code", "description", "offers", "seeks",
               "partner_types", "employees", "founded_year"]
    write_xlsx(OUT / "organisations_research_capital.xlsx", RC_HEADERS, rc_keys, rc_rows,
               "2026年沪苏通产学研与投资机构对接名录 / Research and investor directory 2026", "名录")
    write_xlsx(OUT / "projects.xlsx", PROJ_HEADERS, ["project_id", "title", "sponsor", "city", "district", "industry_code",
                                                     "description", "seeks", "investment_wan", "stage"], proj_rows, None, "项目")
    # labels
    rows = []
    for (qid, cid), d in sorted(pairs.items()):
        q, c = by_id[qid], by_id[cid]
        rows.append({"query_kind": q.kind, "query_id": qid, "query_key": q.key, "query_lang": q.lang,
                     "candidate_kind": c.kind, "candidate_id": cid, "candidate_key": c.key, "candidate_lang": c.lang,
                     "relation": ";".join(sorted(d["rels"])), "item_id": ";".join(sorted(d["items"])), "grade": d["grade"]})
    with open(OUT / "labels.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with open(OUT / "hard_negatives.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["query_id", "query_key", "candidate_id", "candidate_key", "kind", "detail"])
        for (qid, cid), (kind, detail) in sorted(negatives.items()):
            w.writerow([qid, by_id[qid].key, cid, by_id[cid].key, kind, detail])
    # entities
    with open(OUT / "entities.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["kind", "id", "key", "lang", "mixed", "style", "org_type", "city", "district", "industry_code", "chain",
                    "sponsor_id", "investment_wan", "stage", "ticket_wan", "focus", "offer_items", "seek_items", "boilerplate",
                    "source_file"])
        for p in orgs + projects:
            seek_items = []
            for n in p.needs:
                if n.rel == "capital":
                    seek_items.append(f"CAP:{n.chain}:{n.stage}:{n.ask:g}")
                elif n.rel == "opportunity":
                    seek_items.append("OPP")
                elif n.rel == "customer":
                    seek_items.append("CUST:" + n.item)
                else:
                    seek_items.append(n.item + (f"@{n.city}" if n.city else ""))
            w.writerow([p.kind, p.id, p.key, p.lang, "yes" if p.mixed else "no", p.style, p.org_type if p.kind == "org" else "",
                        p.city, REGIONS[p.adcode]["name_zh"], main_code(p) if p.kind == "org" else ARCH_CODE[p.chain],
                        p.chain, p.sponsor, f"{p.investment:g}" if p.investment else "", p.pstage,
                        f"{p.ticket[0]:g}-{p.ticket[1]:g}" if p.ticket else "", ";".join(p.focus), ";".join(p.offers),
                        ";".join(seek_items), ";".join(p.bp_offer + ["seek:" + g for g in p.bp_seek]),
                        f"data/eval/heldout2/{p.file}"])
    stats(orgs, projects, rows, negatives)


ARCH_CODE = {"IC": "3973", "BIO": "2761", "AI": "6550", "NEV": "3841", "MAR": "3737", "TEX": "1752", "MAT": "3062", "EQP": "3491"}


def stats(orgs, projects, rows, negatives) -> None:
    parties = orgs + projects
    lang = Counter(("mixed" if p.mixed else p.lang) for p in parties)
    olang = Counter(("mixed" if p.mixed else p.lang) for p in orgs)
    types = Counter(p.org_type if p.kind == "org" else "project" for p in parties)
    cities = Counter(p.city for p in parties)
    chains = Counter(p.chain for p in parties)
    by_id = {p.id: p for p in parties}
    cross = sum(1 for r in rows if r["query_lang"] != r["candidate_lang"])
    ctype = Counter(by_id[r["candidate_id"]].org_type or "project" for r in rows)
    rel = Counter()
    for r in rows:
        for x in r["relation"].split(";"):
            rel[x] += 1
    grade = Counter(r["grade"] for r in rows)
    queries = Counter(r["query_id"] for r in rows)
    qkind = Counter(by_id[q].org_type or "project" for q in queries)
    mixed_pairs = sum(1 for r in rows if by_id[r["query_id"]].mixed or by_id[r["candidate_id"]].mixed)
    styles = Counter(p.style for p in parties)
    neg = Counter(k for k, _ in negatives.values())
    lang_pairs = Counter(f"{r['query_lang']}→{r['candidate_lang']}" for r in rows)
    rel_type = Counter()
    for r in rows:
        for x in r["relation"].split(";"):
            rel_type[(x, by_id[r["candidate_id"]].org_type or "project")] += 1
    qtypes_l = Counter((by_id[q].org_type or "project") for q in queries)
    s = {
        "orgs": len(orgs), "projects": len(projects), "lang_all": dict(lang), "lang_orgs": dict(olang), "types": dict(types),
        "cities": dict(cities), "chains": dict(chains), "pairs": len(rows), "queries": len(queries), "query_types": dict(qkind),
        "cross": cross, "cross_share": cross / len(rows), "mixed_pairs": mixed_pairs, "candidate_types": dict(ctype),
        "relations": dict(rel), "grades": dict(grade), "styles": dict(styles), "negatives": dict(neg),
        "per_query": (min(queries.values()), sum(queries.values()) / len(queries), max(queries.values())),
        "lang_pairs": dict(lang_pairs), "rel_type": dict(rel_type), "qtypes": dict(qtypes_l),
    }
    for k, v in s.items():
        if k != "rel_type":
            print(f"{k}: {v}")
    write_readme(s)


def write_readme(s: dict) -> None:
    def fmt(d):
        return ", ".join(f"{k} {v}" for k, v in sorted(d.items(), key=lambda kv: -kv[1]))

    rels = ["supplier", "rd_partner", "production_base", "customer", "investor", "investment_opportunity"]
    ctypes = ["enterprise", "university", "institute", "investor", "project"]
    table = "| relation | " + " | ".join(ctypes) + " | all |\n|---|" + "---|" * (len(ctypes) + 1) + "\n"
    for rel in rels:
        vals = [s["rel_type"].get((rel, t), 0) for t in ctypes]
        table += f"| {rel} | " + " | ".join(str(v) for v in vals) + f" | {sum(vals)} |\n"
    tot = [sum(s["rel_type"].get((rel, t), 0) for rel in rels) for t in ctypes]
    table += "| all | " + " | ".join(str(v) for v in tot) + f" | {sum(tot)} |\n"

    n_all = s["orgs"] + s["projects"]
    text = f"""# heldout2 — a held-out matching set written by other hands

**Never use this set for tuning, for choosing a model, a threshold, a weight or a phrase list, or for any
other decision. It is for measuring only.** Report figures on it; do not look at its failures to fix them.

## How it was written
- By a separate generator (`source/make_heldout2.py` with its item catalogue `source/catalog.py`), written
  without reading the matching code, the demo generator or the first held-out set's sources. Only the upload
  contract (`docs/profiles.md`), the list of chains (`data/reference/industry_chains.csv`, for which chains exist)
  and the district table were read; all wording (products, services, research topics, specs) is our own.
- Deterministic: `random.Random({SEED})`; the workbooks are written with fixed timestamps. Run
  `.venv/bin/python data/eval/heldout2/source/make_heldout2.py` to rewrite every file here byte for byte.
- **Labels by construction.** Each profile is built from a hidden mapping: the catalogue items it offers
  and the needs it writes (an item to buy, a research topic, a production site with an optional city, customers
  for its own item, capital with chain/stage/amount; investors: focus chains, stages, ticket range). The text
  is then written from that mapping, with the phrasings of a need and of the offer that meets it chosen
  independently (different synonyms, languages, specs). `labels.csv` lists, for every query (an organisation
  with at least one need, or a project), the candidates that meet a need:
  - supplier / rd_partner / production_base: the candidate offers the item (grade 2) or a close item
    (`adj` in the catalogue, e.g. 8-inch vs 12-inch wafers, carbon fibre vs prepreg: grade 1); for a site, a
    preferred city that the candidate is not in lowers 2 to 1 (and an adjacent site in the wrong city to 0);
  - customer (a firm or park looking for buyers/tenants of its item): candidates that state a need for the item
    (2) or a close item (1), or whose own products consume it (`inputs`, 1);
  - investor / investment_opportunity: the chain must be in the investor's focus; stage and ticket (the ask in
    万元, USD at 7.2) both fitting gives 2; one fitting while the other is near (a neighbouring stage, or an ask
    within a factor 2 of the ticket range) gives 1; otherwise not relevant (and listed as a hard negative).
  - Close items (`adj`, grade 1) were written where the same word covers different objects: 8- vs 12-inch
    wafers, NCM811 vs LFP cathode, graphite vs silicon-carbon anode, traction vs storage cells, SiC vs IGBT
    modules, advanced vs conventional packaging, Protein A vs ion-exchange resin, sheet vs extruded aluminium,
    fibre vs prepreg vs CFRP parts, knit vs woven fabric, dyes vs auxiliaries, MES vs IIoT platform, …; a
    catalogue item's own phrasings are synonyms only.
  A pair meeting several needs has one row (highest grade, relations joined by `;`). The engine was never run
  to make or check labels.
- Files: `organisations_zh.csv` (UTF-8 with BOM, Chinese headers: enterprises and parks writing in Chinese),
  `organisations_en.csv` (English headers), `organisations_research_capital.xlsx` (universities, institutes and
  investors; bilingual headers `中文（English）` under a title row), `projects.xlsx` (Chinese headers).
  Values vary as uploads do: `上海市`/`江苏省苏州市`/`Suzhou, Jiangsu`, `SIP`/`工业园区`/`Pudong`, `C3973`/`3973`/empty,
  `1.2亿`/`42,000`, `中试`/`pilot`/`研发阶段`, legacy region codes in some credit codes.

## Size and mix
- {s['orgs']} organisations and {s['projects']} projects ({n_all} parties); types: {fmt(s['types'])}.
- Cities: {fmt(s['cities'])}. Chains (SITE = industrial-park operators offering sites): {fmt(s['chains'])}.
- Language (primary language of the profile; mixed = zh and en inside one profile): all parties {fmt(s['lang_all'])};
  organisations {fmt(s['lang_orgs'])}. In `labels.csv` a mixed profile carries its primary language.
- Styles (per profile): {fmt(s['styles'])} — 公文 (一是…；二是…), numbered and bulleted lists, short lists,
  sales copy (★…！), telegraphic procurement notes (求购…，月用量…; WTB/RFQ-…), corporate English of
  foreign-invested firms (WFOE of a … group), terse English with model codes and specs (TTV ≤ 1 µm, 2,000 L,
  纯度≥99.999%, AEC-Q100 Grade 1).
- Boilerplate on both sides of unrelated profiles: ISO 9001 / 14001 / 13485 / IATF 16949, 深耕该领域N年,
  希望建立长期稳定合作, 优先考虑长三角地区供应商, 欢迎具备量产经验的企业联系, open to joint development,
  looking for a long-term partnership, samples, lead times, payment terms, 技术攻关与测试验证服务. It never
  creates a label.

## Labels
- {s['pairs']} labelled pairs over {s['queries']} queries (per query min/mean/max {s['per_query'][0]}/{s['per_query'][1]:.1f}/{s['per_query'][2]});
  queries by type: {fmt(s['query_types'])}.
- Grades: {fmt(s['grades'])}.
- Relations (a pair can carry more than one): {fmt(s['relations'])}.
- Candidate types: {fmt(s['candidate_types'])}.
- Cross-language pairs (query and candidate of different primary language): {s['cross']} = {100 * s['cross_share']:.1f} %;
  pairs with a mixed-language side: {s['mixed_pairs']}. By language pair (query→candidate): {fmt(s['lang_pairs'])}.
- Relation × candidate type (pairs; a pair with two relations counts under both):

{table}
  (The bench's per-slice figures use the language the engine detects, which may differ for mixed profiles.)

## Hard negatives (`hard_negatives.csv`, never relevant, for diagnosing)
{fmt(s['negatives'])}:
- `decoy_object`: same words, different object — a need for battery *testing* vs a maker of battery cells (and back),
  chamber-parts *cleaning service* vs wafer-cleaning *tools*, GPU *compute rental* vs GPU *chips*, ship *design* vs ship
  *building*, installation-vessel *charter* vs shipbuilding, dyeing *service* vs *dyes*, textile *testing* vs fabrics,
  robot *maintenance* vs robots, battery *recycling service* vs *recycled* lithium salts, production test vs failure analysis,
  medical-device *testing* vs devices, bulk industrial gases vs electronic specialty gases;
- `certificate_vs_certification_service`: a need for ISO 13485 consulting vs firms that merely say they are certified;
- `same_chain_other_segment`: enterprises of the need's chain that offer something else (two sampled per need);
- `research_for_product_need`: a university/institute researching in the chain of a product need;
- `investor_stage_and_ticket_misfit`: investors focused on the chain whose stage and ticket both miss;
- `financing_word_not_equity`: an equity need vs an equipment-leasing firm;
- `boilerplate_only`: a query's seek boilerplate group (e.g. ISO 9001 required ↔ ISO 9001 certified, long-term
  partnership ↔ long-term relationships) matches a candidate's offer boilerplate, and the candidate belongs to none of
  the chains the query's needs are in.

## Columns
`labels.csv`: as the first held-out set (query_kind, query_id, query_key, query_lang, candidate_kind, candidate_id,
candidate_key, candidate_lang, relation, item_id, grade). `item_id` is a catalogue item, `CUST:<item>` for a customer
need, `CAP:<chain>` for capital. `entities.csv`: one row per party with its hidden mapping (offer_items, seek_items,
investor stages and ticket in 万元, boilerplate groups, style, mixed flag).

## Run
`.venv/bin/python -m bench.eval_matching --set heldout2` (registered as `heldout2` in `SETS` of `bench/eval_matching.py`;
`--set` now takes any name in `SETS`). Every file uploads with no rejected row (only conversion notes: `江苏省苏州市` → Suzhou,
`1.2亿` → 12000, a title row skipped).
"""
    (OUT / "README.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
