"""The hidden item catalogue of the heldout2 set: what can be offered or sought, in our own words.

Written for this set only, independently of the project's demo and held-out data and of the matching code.
Each item has several Chinese and English phrasings (an offer and a need that meet each other are written
with independently chosen phrasings), spec fragments (qualifiers), the items an offerer of it would buy
(``inputs``: used to write realistic needs and to grade customer needs), close items that only partly meet
a need (``adj``: grade 1), and look-alikes that share words but are a different object (``decoy``: recorded
as hard negatives, never relevant).

kind: product / service -> relation supplier; rd -> rd_partner; cmo / site -> production_base.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Item:
    id: str
    kind: str
    code: str  # GB/T 4754-2017 class of an organisation whose main offer this is
    zh: list[str]
    en: list[str]
    szh: list[str] = field(default_factory=list)
    sen: list[str] = field(default_factory=list)
    qzh: list[str] = field(default_factory=list)
    qen: list[str] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    adj: list[str] = field(default_factory=list)
    decoy: list[str] = field(default_factory=list)

    @property
    def chain(self) -> str:
        return self.id.split(".")[0]

    @property
    def relation(self) -> str:
        return {"product": "supplier", "service": "supplier", "rd": "rd_partner",
                "cmo": "production_base", "site": "production_base"}[self.kind]


ITEMS: dict[str, Item] = {}


def add(id, kind, code, zh, en, szh=(), sen=(), qzh=(), qen=(), inputs=(), adj=(), decoy=()):
    ITEMS[id] = Item(id, kind, code, list(zh), list(en), list(szh), list(sen), list(qzh), list(qen),
                     list(inputs), list(adj), list(decoy))


# ---------------------------------------------------------------- integrated circuits
add("IC.eda", "product", "6512",
  ["数字前端仿真与形式验证EDA工具", "EDA软件（逻辑仿真、时序签核）", "芯片验证类EDA平台"],
  ["EDA software for logic simulation and timing sign-off", "digital verification EDA suite",
   "formal verification and STA tools"],
  ["支持28nm至7nm工艺节点", "可提供浮动License及本地化支持"], ["floating licences", "supports 28 nm down to 7 nm nodes"],
  ["需20个仿真License", "替换现有进口工具"], ["20 simulation seats", "replacement of incumbent tool flow"])
add("IC.ip", "product", "6520",
  ["高速接口IP（SerDes、DDR PHY）", "PCIe 5.0/USB接口IP核"],
  ["SerDes and DDR PHY interface IP", "silicon-proven PCIe 5.0 / USB IP cores"],
  ["已在28nm/12nm完成硅验证"], ["silicon-proven on 28 nm and 12 nm"],
  ["用于12nm SoC项目"], ["for a 12 nm SoC tape-out"])
add("IC.etch", "product", "3562",
  ["等离子体刻蚀设备", "干法刻蚀机（CCP/ICP）"], ["plasma etch systems (CCP / ICP)", "dry etch tools"],
  ["兼容8/12英寸，最多4腔体"], ["8/12-inch compatible, up to 4 chambers"],
  ["采购2台", "用于MEMS深硅刻蚀"], ["qty 2", "for deep silicon etch in MEMS"],
  inputs=["MAT.ceramic", "IC.partsclean"])
add("IC.metrology", "product", "4028",
  ["光学量测与缺陷检测设备", "晶圆量测及缺陷检测机台"], ["optical metrology and defect inspection tools", "wafer metrology and inspection systems"],
  ["检测灵敏度≤30nm"], ["sensitivity ≤ 30 nm"], ["1台，12英寸"], ["one tool, 300 mm"])
add("IC.cleantool", "product", "3562",
  ["单片湿法清洗设备", "晶圆清洗机（兆声、SC1/SC2）"],
  ["single-wafer wet clean tools", "wafer cleaning equipment (megasonic, SC1/SC2)"],
  ["产能≥200片/小时"], ["throughput ≥ 200 wph"], ["新建产线需6台"], ["6 units for a new line"],
  decoy=["IC.partsclean"])
add("IC.partsclean", "service", "4320",
  ["设备零部件精密清洗与再生服务", "腔体部件清洗、阳极氧化及熔射再生"],
  ["precision cleaning and refurbishment of chamber parts", "parts cleaning & recoating (anodise, thermal spray)"],
  ["洁净度满足12英寸产线要求"], ["cleanliness to 300 mm fab specification"],
  ["每月约300件"], ["approx. 300 parts per month"], decoy=["IC.cleantool"])
add("IC.wafer300", "product", "3985",
  ["12英寸硅抛光片", "300mm硅片"], ["300 mm prime silicon wafers", "12-inch polished wafers"],
  ["P型<100>，电阻率1–100Ω·cm", "TTV≤1μm"], ["P-type <100>, 1–100 Ω·cm", "TTV ≤ 1 µm"],
  ["月需求2万片"], ["20k wafers per month"], adj=["IC.wafer200"])
add("IC.wafer200", "product", "3985",
  ["8英寸硅外延片", "200mm外延片及抛光片"], ["200 mm epitaxial wafers", "8-inch epi and polished wafers"],
  ["外延层厚度均匀性≤2%"], ["epi thickness uniformity ≤ 2 %"], ["月用量5000片"], ["5,000 wafers/month"],
  adj=["IC.wafer300"])
add("IC.gas", "product", "2619",
  ["电子特种气体（NF3、WF6、高纯氨）", "高纯电子特气"],
  ["electronic specialty gases (NF3, WF6, NH3)", "ultra-high-purity process gases"],
  ["纯度≥99.999%", "钢瓶及ISO罐箱供应"], ["5N purity", "cylinder and ISO-tank supply"],
  ["NF3年用量约80吨"], ["NF3 approx. 80 t/yr"], decoy=["MAT.indgas"])
add("IC.wetchem", "product", "2661",
  ["G5级湿电子化学品（硫酸、双氧水、氨水）", "超净高纯试剂"],
  ["SEMI G5 wet chemicals (H2SO4, H2O2, NH4OH)", "ultra-pure process chemicals"],
  ["金属杂质≤10ppt"], ["metal impurities ≤ 10 ppt"], ["年用量3000吨"], ["3,000 t/yr"])
add("IC.photoresist", "product", "2661",
  ["KrF/ArF光刻胶", "i线及KrF光刻胶"], ["KrF and ArF photoresists", "i-line / KrF resist"],
  ["已通过12英寸产线验证"], ["qualified at a 300 mm fab"], ["国产替代，需提供验证数据"], ["domestic second source"])
add("IC.foundry", "product", "3973",
  ["BCD特色工艺晶圆代工", "0.18μm–55nm模拟/功率工艺流片", "MPW多项目晶圆服务"],
  ["specialty foundry services (BCD, 0.18 µm to 55 nm)", "MPW shuttles and engineering lots",
   "analog / power wafer foundry"],
  ["月产能4万片（8英寸当量）"], ["40k wafers/month (8-inch equivalent)"],
  ["每季度1次MPW", "量产约3000片/月"], ["one MPW per quarter", "approx. 3,000 wafers/month in volume"],
  inputs=["IC.wafer300", "IC.wafer200", "IC.gas", "IC.wetchem", "IC.photoresist", "IC.etch", "IC.metrology",
          "IC.cleantool", "IC.partsclean"])
add("IC.advpkg", "product", "3973",
  ["先进封装（Fan-out、SiP、倒装）", "晶圆级及系统级先进封装"], ["advanced packaging: fan-out, SiP, flip-chip", "wafer-level and system-in-package assembly"],
  ["车规级产线"], ["automotive-grade lines"], ["年需求约5000万颗"], ["50 M units/yr"],
  inputs=["MAT.epoxy", "MAT.ceramic"], adj=["IC.convpkg", "IC.test"])
add("IC.convpkg", "product", "3973",
  ["传统封装（QFN、BGA、SOP）", "QFN/BGA封装代工"], ["conventional packaging (QFN, BGA, SOP)", "QFN / BGA assembly"],
  ["月产能3亿颗"], ["300 M units/month"], ["年需求约8000万颗"], ["80 M units/yr"],
  inputs=["MAT.epoxy"], adj=["IC.advpkg", "IC.test"])
add("IC.test", "service", "3973",
  ["晶圆测试（CP）与成品测试（FT）", "芯片量产测试服务"],
  ["wafer sort (CP) and final test (FT)", "production test for ICs"],
  ["支持-40℃至150℃三温测试"], ["tri-temperature test -40 °C to 150 °C"], ["月测试量800万颗"], ["8 M units/month"],
  adj=["IC.advpkg", "IC.convpkg"], decoy=["IC.fa"])
add("IC.fa", "service", "7452",
  ["失效分析与可靠性试验（HTOL、HAST、TC）", "芯片失效分析实验室服务", "AEC-Q100可靠性认证测试"],
  ["failure analysis and reliability qualification (HTOL, HAST, TC)", "IC failure-analysis lab services",
   "AEC-Q100 qualification testing"],
  ["CNAS认可实验室"], ["CNAS-accredited lab"], ["3个产品的AEC-Q100全项"], ["full AEC-Q100 for three parts"],
  decoy=["IC.test"])
add("IC.mcu", "product", "6520",
  ["车规级MCU", "汽车级32位微控制器"], ["automotive-grade MCUs", "32-bit automotive microcontrollers"],
  ["AEC-Q100 Grade 1"], ["AEC-Q100 Grade 1"], ["年用量140万颗"], ["1.4 M units/yr"],
  inputs=["IC.foundry", "IC.advpkg", "IC.convpkg", "IC.test", "IC.eda", "IC.ip", "IC.fa"])
add("IC.analog", "product", "6520",
  ["车规模拟芯片（电源管理、栅极驱动）", "汽车电源管理芯片"], ["automotive analog ICs (PMIC, gate drivers)", "AEC-Q100 power-management ICs"],
  ["AEC-Q100 Grade 1"], ["AEC-Q100 Grade 1"], ["年用量300万颗"], ["3 M units/yr"],
  inputs=["IC.foundry", "IC.convpkg", "IC.test", "IC.fa"])
add("IC.pcba", "product", "3982",
  ["多层PCB及PCBA贴装", "HDI电路板"], ["multilayer PCBs and PCBA", "HDI boards"],
  ["最高20层，线宽3mil"], ["up to 20 layers, 3 mil line/space"], ["每月约1万平方米"], ["approx. 10,000 m² per month"],
  inputs=["MAT.epoxy"], adj=["IC.ems"])
add("IC.ems", "cmo", "3982",
  ["EMS电子制造代工（SMT贴片、整机组装）", "电子产品代工生产"],
  ["EMS contract manufacturing (SMT, box build)", "electronics contract manufacturing"],
  ["12条SMT线"], ["12 SMT lines"], ["年产20万台"], ["200k units/yr"], inputs=["IC.pcba", "IC.mcu"], adj=["IC.pcba"])
add("IC.rd.gan", "rd", "7320",
  ["氮化镓（GaN）功率器件", "第三代半导体（GaN/SiC）器件与外延"],
  ["GaN power devices", "wide-bandgap (GaN/SiC) devices and epitaxy"])
add("IC.rd.chiplet", "rd", "7320",
  ["Chiplet与2.5D/3D先进封装互连", "混合键合与先进封装可靠性"],
  ["chiplet integration and 2.5D/3D interconnects", "hybrid bonding and advanced-packaging reliability"])
add("IC.rd.resist", "rd", "7320",
  ["光刻胶树脂与光致产酸剂", "EUV光刻材料"], ["photoresist resins and photo-acid generators", "EUV resist chemistry"])

# ---------------------------------------------------------------- biomedicine
add("BIO.tox", "service", "7340",
  ["GLP毒理学与安全性评价", "非临床安全性评价（GLP）"], ["GLP toxicology and safety assessment", "IND-enabling GLP tox studies"],
  ["NMPA及OECD GLP认证，啮齿类与非人灵长类"], ["OECD GLP compliant; rodent and NHP"],
  ["2个候选分子的IND申报毒理包"], ["IND tox package for two candidates"])
add("BIO.clinical", "service", "7340",
  ["临床试验CRO（I–III期）与注册申报", "临床运营及注册申报服务"],
  ["clinical CRO services (Phase I–III) and regulatory filing", "clinical operations and IND/NDA submissions"],
  ["覆盖全国300余家临床中心"], ["network of 300+ sites in China"], ["II期，约200例"], ["Phase II, ~200 patients"])
add("BIO.api", "product", "2710",
  ["原料药及医药中间体定制合成", "化学原料药与高级中间体"], ["APIs and advanced intermediates, custom synthesis", "small-molecule APIs and intermediates"],
  ["公斤级至吨级，已完成DMF备案"], ["kg to multi-tonne, DMF filed"], ["年需求约5吨"], ["~5 t/yr"], adj=["BIO.hpapi"])
add("BIO.hpapi", "product", "2710",
  ["高活性原料药（HPAPI）", "高活性/高毒性原料药生产（OEB 4/5）"], ["HPAPI manufacturing (OEB 4/5)", "highly potent APIs"],
  ["隔离器操作，OEB 5"], ["isolator handling, OEB 5"], ["年需求约50公斤"], ["~50 kg/yr"], adj=["BIO.api"])
add("BIO.media", "product", "2761",
  ["无血清细胞培养基", "CHO细胞培养基及补料"], ["serum-free cell culture media", "CHO media and feeds"],
  ["化学成分限定（CD），无动物源"], ["chemically defined, animal-origin free"], ["每批约2000L"], ["2,000 L batches"])
add("BIO.proteina", "product", "2661",
  ["Protein A亲和层析填料", "抗体亲和纯化填料（Protein A）"], ["Protein A affinity resins", "Protein A capture media"],
  ["动态载量≥60 g/L"], ["DBC ≥ 60 g/L"], ["年用量约200L"], ["approx. 200 L/yr"], adj=["BIO.iex"])
add("BIO.iex", "product", "2661",
  ["离子交换层析填料", "阴/阳离子交换层析介质"], ["ion-exchange chromatography resins", "anion / cation exchange media"],
  ["粒径50μm"], ["50 µm beads"], ["年用量约500L"], ["approx. 500 L/yr"], adj=["BIO.proteina"])
add("BIO.sub", "product", "2770",
  ["一次性生物反应袋及储液袋", "一次性使用系统（SUS）耗材"], ["single-use bioprocess bags",
                                                       "single-use assemblies (bags, tubing, connectors)"],
  ["USP Class VI"], ["USP Class VI films"], ["200L/500L规格"], ["200 L and 500 L formats"], adj=["BIO.bioreactor"])
add("BIO.bioreactor", "product", "3544",
  ["不锈钢/一次性生物反应器", "细胞培养生物反应器（50–2000L）"], ["bioreactors, stainless and single-use (50–2,000 L)",
                                                          "cell-culture bioreactor systems"],
  ["符合GMP及21 CFR Part 11"], ["GMP, 21 CFR Part 11 ready"], ["2000L×4套"], ["4 × 2,000 L"], adj=["BIO.sub"])
add("BIO.cdmo_bio", "cmo", "2761",
  ["抗体及重组蛋白CDMO（临床至商业化）", "生物药委托生产（2000L规模）"],
  ["biologics CDMO, clinical to commercial", "mAb contract manufacturing at 2,000 L scale"],
  ["已通过FDA/EMA审计"], ["FDA- and EMA-inspected"], ["临床III期样品生产"], ["Phase III clinical supply"],
  inputs=["BIO.media", "BIO.proteina", "BIO.iex", "BIO.sub", "BIO.bioreactor"])
add("BIO.cdmo_chem", "cmo", "2720",
  ["小分子药物CDMO及制剂委托生产", "口服固体制剂MAH委托生产"],
  ["small-molecule CDMO and drug-product manufacturing", "oral solid dose contract manufacturing (MAH)"],
  ["片剂年产能20亿片"], ["2 bn tablets/yr"], ["商业化批次"], ["commercial batches"], inputs=["BIO.api"])
add("BIO.ivdraw", "product", "2761",
  ["体外诊断原料（抗原、抗体、酶）", "诊断用重组抗原与单克隆抗体"],
  ["IVD raw materials: antigens, antibodies, enzymes", "recombinant antigens and mAbs for diagnostics"],
  ["批间差CV<10%"], ["lot-to-lot CV < 10 %"], ["心肌标志物抗体对"], ["cardiac-marker antibody pairs"])
add("BIO.device", "product", "3581",
  ["便携式彩色超声诊断仪", "掌上超声设备"], ["portable colour ultrasound systems", "handheld ultrasound scanners"],
  ["已获NMPA二类注册证"], ["NMPA Class II, CE marked"], ["年采购200台"], ["200 units/yr"],
  inputs=["BIO.devicetest", "BIO.qms", "IC.pcba", "IC.mcu", "BIO.devicecmo"], decoy=["BIO.devicetest"])
add("BIO.clia", "product", "2770",
  ["化学发光免疫分析仪及配套试剂", "全自动化学发光检测系统"], ["chemiluminescence immunoassay analysers and reagents", "automated CLIA systems"],
  ["单机测速200T/h"], ["200 tests/h"], ["二级医院渠道"], ["tier-2 hospital channel"],
  inputs=["BIO.ivdraw", "BIO.devicetest"], adj=["BIO.poct"])
add("BIO.poct", "product", "2770",
  ["POCT快速检测试剂", "即时检验（POCT）试剂盒"], ["POCT rapid test kits", "point-of-care test cassettes"],
  ["15分钟出结果"], ["results in 15 minutes"], ["年采购100万人份"], ["1 M tests/yr"],
  inputs=["BIO.ivdraw"], adj=["BIO.clia"])
add("BIO.devicecmo", "cmo", "3581",
  ["医疗器械OEM/CMO代工（十万级洁净车间）", "医疗器械委托生产"],
  ["medical device contract manufacturing (ISO Class 8 cleanroom)", "device OEM / CMO"],
  ["可做二、三类器械"], ["Class II and III devices"], ["首年约5000台"], ["~5,000 units in year one"])
add("BIO.devicetest", "service", "7452",
  ["医疗器械注册检验（生物相容性、电气安全、EMC）", "医疗器械第三方检测"],
  ["medical device registration testing (biocompatibility, electrical safety, EMC)", "third-party testing for medical devices"],
  ["CMA/CNAS资质"], ["CMA/CNAS accredited"], ["二类有源器械注册检"], ["type testing for a Class II active device"],
  decoy=["BIO.device"])
add("BIO.qms", "service", "7243",
  ["ISO 13485质量管理体系咨询与辅导", "医疗器械GMP体系搭建咨询"],
  ["ISO 13485 QMS consulting", "QMS set-up and audit readiness (ISO 13485, MDSAP)"],
  ["辅导周期约6个月"], ["typical project 6 months"], ["首次认证"], ["first certification"])
add("BIO.coldchain", "service", "5930",
  ["医药冷链物流配送（2–8℃）", "GSP冷链仓储与配送"], ["GDP cold-chain distribution (2–8 °C)",
                                                 "pharma cold-chain warehousing and delivery"],
  ["华东地区次日达"], ["next-day delivery in East China"], ["每周约3吨"], ["approx. 3 t per week"])
add("BIO.rd.adc", "rd", "7340",
  ["抗体偶联药物（ADC）连接子与偶联工艺", "ADC药物设计"],
  ["antibody-drug conjugates: linker-payload and conjugation chemistry", "ADC design"])
add("BIO.rd.lnp", "rd", "7340",
  ["mRNA递送系统（脂质纳米颗粒LNP）", "核酸药物递送"], ["lipid nanoparticle delivery for mRNA", "nucleic-acid delivery"])
add("BIO.rd.biomat", "rd", "7340",
  ["可降解医用高分子与组织工程支架", "生物医用材料"], ["biodegradable medical polymers and tissue scaffolds",
                                              "biomaterials for implants"])

# ---------------------------------------------------------------- AI and compute
add("AI.chip", "product", "6520",
  ["AI推理加速卡", "国产GPU/AI加速芯片"], ["AI inference accelerator cards", "GPU / AI accelerator chips"],
  ["INT8算力256 TOPS，PCIe Gen4"], ["256 TOPS INT8, PCIe Gen4"], ["约500张"], ["~500 cards"], decoy=["AI.compute"])
add("AI.server", "product", "3911",
  ["8卡GPU训练服务器", "AI服务器整机"], ["8-GPU training servers", "AI server systems"],
  ["支持液冷，单机柜40kW"], ["liquid-cooling ready, 40 kW per rack"], ["首批64台"], ["first batch of 64 nodes"],
  inputs=["AI.chip", "IC.pcba"])
add("AI.compute", "service", "6550",
  ["GPU算力租赁（按卡时计费）", "智算中心算力服务"], ["GPU compute rental (per card-hour)", "AI cloud compute / GPU cloud"],
  ["千卡集群，RDMA组网"], ["1,000-card clusters with RDMA"], ["约200卡·月"], ["~200 card-months"],
  adj=["AI.idc"], decoy=["AI.chip"])
add("AI.idc", "service", "6550",
  ["数据中心机柜托管（液冷高功率机柜）", "IDC机房及高功率机柜"], ["colocation with liquid-cooled high-density racks",
                                                       "data-centre colocation"],
  ["PUE≤1.25"], ["PUE ≤ 1.25"], ["约50个机柜"], ["approx. 50 racks"], adj=["AI.compute"])
add("AI.label", "service", "6450",
  ["数据标注与清洗服务（图像、点云、文本）", "AI训练数据标注"], ["data annotation (image, point cloud, text)", "training-data labelling services"],
  ["准确率≥99%"], ["accuracy ≥ 99 %"], ["每月约100万帧"], ["1 M frames per month"])
add("AI.lidar", "product", "3976",
  ["车载激光雷达", "固态激光雷达"], ["automotive LiDAR", "solid-state LiDAR sensors"],
  ["905nm，测距200m@10%"], ["905 nm, 200 m @ 10 %"], ["年需求3万台"], ["30k units/yr"])
add("AI.camera", "product", "3976",
  ["工业相机与镜头", "线阵/面阵工业相机"], ["machine-vision cameras and lenses", "line-scan and area-scan cameras"],
  ["GigE/CoaXPress接口，最高65MP"], ["GigE / CoaXPress, up to 65 MP"], ["约120台"], ["approx. 120 units"])
add("AI.llm", "product", "6513",
  ["行业大模型私有化部署", "企业知识库问答大模型"], ["on-premise LLM deployment for enterprises",
                                              "domain LLM fine-tuning and RAG"],
  ["支持国产算力适配"], ["runs on domestic accelerators"], ["约2000名员工使用"], ["for ~2,000 users"],
  inputs=["AI.compute", "AI.label"])
add("AI.vision", "product", "6513",
  ["工业视觉缺陷检测系统", "AI外观质检方案"], ["AI visual inspection for surface defects",
                                        "automated optical inspection with deep learning"],
  ["漏检率<0.1%"], ["escape rate < 0.1 %"], ["6条产线改造"], ["retrofit of six lines"],
  inputs=["AI.camera", "AI.compute"])
add("AI.amr", "product", "3964",
  ["AMR自主移动机器人", "仓储物流移动机器人"], ["autonomous mobile robots (AMR)", "warehouse mobile robots"],
  ["载重600kg，激光SLAM导航"], ["600 kg payload, LiDAR SLAM"], ["一期40台"], ["40 units in phase 1"],
  inputs=["AI.lidar", "EQP.servo", "EQP.reducer"])
add("AI.integration", "service", "6531",
  ["智能工厂AI系统集成", "AI+制造解决方案集成"], ["AI system integration for factories", "turnkey AI solutions for manufacturing"],
  ["交付项目逾80个"], ["80+ projects delivered"], [], [], inputs=["AI.vision", "AI.llm", "AI.camera"])
add("AI.rd.embodied", "rd", "7320",
  ["具身智能与机器人学习", "机器人强化学习与灵巧操作"], ["embodied AI and robot learning",
                                              "reinforcement learning for dexterous manipulation"])
add("AI.rd.mm", "rd", "7320",
  ["多模态大模型", "多模态大模型训练与对齐"], ["multimodal foundation models", "training and alignment of multimodal large models"])
add("AI.rd.edge", "rd", "7320",
  ["边缘计算与模型压缩量化", "端侧AI推理优化"], ["edge AI: model compression and quantisation", "on-device inference optimisation"])

# ---------------------------------------------------------------- new-energy vehicles
add("NEV.ncm", "product", "3985",
  ["三元正极材料（NCM811）", "高镍三元正极"], ["NCM811 cathode materials", "high-nickel NCM cathode"],
  ["压实密度≥3.4g/cm³"], ["press density ≥ 3.4 g/cm³"], ["月需求200吨"], ["200 t/month"], adj=["NEV.lfp"])
add("NEV.lfp", "product", "3985",
  ["磷酸铁锂正极材料", "LFP正极粉体"], ["LFP cathode powder", "lithium iron phosphate cathode material"],
  ["压实密度≥2.5g/cm³"], ["press density ≥ 2.5 g/cm³"], ["月需求500吨"], ["500 t/month"], adj=["NEV.ncm"])
add("NEV.graphite", "product", "3985",
  ["人造石墨负极材料", "石墨负极"], ["synthetic graphite anode", "graphite anode material"],
  ["首次效率≥93%"], ["first-cycle efficiency ≥ 93 %"], ["月需求150吨"], ["150 t/month"], adj=["NEV.sicanode"])
add("NEV.sicanode", "product", "3985",
  ["硅碳负极", "硅基负极材料"], ["silicon-carbon anode material", "Si-C composite anode"],
  ["比容量≥650mAh/g"], ["≥ 650 mAh/g"], ["月需求20吨"], ["20 t/month"], adj=["NEV.graphite"])
add("NEV.electrolyte", "product", "2669",
  ["锂电池电解液", "六氟磷酸锂及电解液"], ["Li-ion electrolyte", "LiPF6 and formulated electrolytes"],
  ["水分≤20ppm"], ["H2O ≤ 20 ppm"], ["年用量3000吨"], ["3,000 t/yr"])
add("NEV.separator", "product", "2921",
  ["湿法涂覆隔膜", "锂电池隔膜"], ["wet-process coated separators", "battery separator film"],
  ["9μm基膜+3μm陶瓷涂覆"], ["9 µm + 3 µm ceramic coating"], ["年需求1.5亿平方米"], ["150 M m²/yr"])
add("NEV.cell", "product", "3841",
  ["动力电池电芯及模组", "动力电池PACK"], ["EV traction cells and modules", "traction battery packs"],
  ["循环寿命≥3000次"], ["≥ 3,000 cycles"], ["年需求2GWh"], ["2 GWh/yr"],
  inputs=["NEV.ncm", "NEV.lfp", "NEV.graphite", "NEV.sicanode", "NEV.electrolyte", "NEV.separator", "NEV.battest",
          "NEV.coldplate", "MAT.graphene"],
  adj=["NEV.esscell"], decoy=["NEV.battest"])
add("NEV.esscell", "product", "3841",
  ["储能电芯（280Ah/314Ah）", "储能用磷酸铁锂电芯"], ["ESS cells (280 / 314 Ah)", "LFP cells for energy storage"],
  ["循环寿命≥8000次"], ["≥ 8,000 cycles"], ["100MWh"], ["100 MWh"],
  inputs=["NEV.lfp", "NEV.graphite", "NEV.electrolyte", "NEV.separator", "NEV.battest"], adj=["NEV.cell"], decoy=["NEV.battest"])
add("NEV.battest", "service", "7452",
  ["动力电池检测服务（循环寿命、针刺、热失控）", "电池安全测试与认证（GB 38031、UN38.3）"],
  ["battery testing: cycle life, nail penetration, thermal runaway", "battery safety testing and certification (UN38.3, GB 38031)"],
  ["CNAS/CMA资质，200通道"], ["CNAS/CMA accredited, 200 channels"], ["新品型式试验"], ["type tests for a new pack"],
  decoy=["NEV.cell", "NEV.esscell"])
add("NEV.eaxle", "product", "3812",
  ["三合一电驱动总成", "电驱桥总成"], ["3-in-1 e-axle", "integrated e-drive units"],
  ["峰值功率200kW"], ["200 kW peak"], ["年配套10万套"], ["100k sets/yr"],
  inputs=["NEV.sicmod", "NEV.igbt", "NEV.motor", "EQP.bearing"], adj=["NEV.motor"])
add("NEV.motor", "product", "3812",
  ["永磁同步驱动电机", "新能源汽车驱动电机"], ["PMSM traction motors", "EV traction motors"],
  ["扁线绕组，最高转速20000rpm"], ["hairpin winding, 20,000 rpm"], ["年配套15万台"], ["150k units/yr"],
  inputs=["EQP.bearing", "MAT.alext"], adj=["NEV.eaxle"])
add("NEV.sicmod", "product", "3972",
  ["车规级SiC功率模块", "碳化硅MOSFET模块"], ["automotive SiC power modules", "SiC MOSFET modules"],
  ["1200V/400A"], ["1,200 V / 400 A"], ["年用量20万只"], ["200k pcs/yr"],
  inputs=["IC.foundry", "IC.advpkg", "MAT.dbc"], adj=["NEV.igbt"])
add("NEV.igbt", "product", "3972",
  ["IGBT模块", "车规级IGBT功率模块"], ["IGBT modules", "automotive IGBT power modules"],
  ["750V/820A"], ["750 V / 820 A"], ["年用量30万只"], ["300k pcs/yr"],
  inputs=["IC.foundry", "IC.convpkg", "MAT.dbc"], adj=["NEV.sicmod"])
add("NEV.harness", "product", "3670",
  ["高压线束及连接器", "高压连接器"], ["HV wiring harnesses and connectors", "high-voltage connectors"],
  ["耐压1000V，IP67"], ["1,000 V rated, IP67"], ["年需求30万套"], ["300k sets/yr"])
add("NEV.coldplate", "product", "3670",
  ["电池液冷板及电池热管理系统", "动力电池液冷板"], ["battery cold plates and battery thermal management", "liquid cold plates for battery packs"],
  ["钎焊铝液冷板"], ["brazed aluminium"], ["年需求8万套"], ["80k sets/yr"], adj=["NEV.heatpump"])
add("NEV.heatpump", "product", "3670",
  ["热泵空调系统", "新能源汽车热泵总成"], ["heat-pump HVAC modules", "EV heat-pump systems"],
  ["R744冷媒"], ["R744 refrigerant"], ["年需求5万套"], ["50k sets/yr"], adj=["NEV.coldplate"])
add("NEV.charger", "product", "3829",
  ["直流快充/超充桩", "电动汽车充电桩（交流/直流）"], ["DC fast and ultra-fast chargers", "EV charging equipment (AC / DC)"],
  ["最大480kW，液冷枪线"], ["up to 480 kW, liquid-cooled cables"], ["一期200个终端"], ["200 dispensers in phase 1"],
  inputs=["NEV.sicmod", "NEV.harness"])
add("NEV.recycle", "service", "4210",
  ["退役动力电池回收与梯次利用", "废旧锂电池回收处置"], ["end-of-life battery collection and second-life reuse",
                                              "spent Li-ion battery recycling"],
  ["具备工信部白名单资质"], ["MIIT white-list licensed"], ["每年约3000吨退役电池"], ["~3,000 t of retired packs per year"],
  decoy=["NEV.recycledmat"])
add("NEV.recycledmat", "product", "2613",
  ["再生碳酸锂及硫酸镍钴", "电池级再生金属盐"], ["recycled lithium carbonate and nickel/cobalt sulphates",
                                         "battery-grade recycled metal salts"],
  ["电池级，Li2CO3≥99.5%"], ["battery grade, Li2CO3 ≥ 99.5 %"], ["月需求100吨"], ["100 t/month"],
  decoy=["NEV.recycle"])
add("NEV.adas", "product", "3670",
  ["智能驾驶域控制器", "L2+辅助驾驶系统"], ["ADAS domain controllers", "L2+ driver-assistance systems"],
  ["支持NOA，ASIL-B"], ["NOA capable, ASIL-B"], ["年配套5万套"], ["50k sets/yr"],
  inputs=["AI.chip", "AI.lidar", "AI.label", "IC.mcu"])
add("NEV.diecast", "product", "3670",
  ["一体化压铸车身结构件", "铝合金压铸件"], ["giga-cast body structures", "aluminium die castings"],
  ["9000T压铸岛"], ["9,000 t press cells"], ["后地板总成年6万件"], ["60k rear underbodies/yr"], inputs=["MAT.alsheet"])
add("NEV.vehicle", "product", "3612",
  ["新能源商用车及专用车", "电动轻卡"], ["electric commercial vehicles", "electric light trucks"],
  ["续航300km"], ["300 km range"], [], [],
  inputs=["NEV.cell", "NEV.eaxle", "NEV.motor", "NEV.adas", "NEV.harness", "NEV.coldplate", "NEV.heatpump", "NEV.diecast"])
add("NEV.fuelcell", "product", "3849",
  ["氢燃料电池电堆及系统", "燃料电池发动机"], ["PEM fuel-cell stacks and systems", "fuel-cell engines"],
  ["额定功率120kW"], ["120 kW rated"], ["首批100套"], ["100 systems in batch one"])
add("NEV.rd.solid", "rd", "7320",
  ["固态电池与固态电解质", "硫化物固态电解质"], ["solid-state batteries and solid electrolytes", "sulfide solid electrolytes"])
add("NEV.rd.h2", "rd", "7320",
  ["燃料电池催化剂与膜电极", "质子交换膜燃料电池膜电极"], ["PEMFC catalysts and MEAs", "membrane electrode assemblies"])
add("NEV.rd.bms", "rd", "7320",
  ["电池管理系统算法与寿命预测", "电池健康状态估计"], ["BMS algorithms and state-of-health prediction", "battery state estimation"])

# ---------------------------------------------------------------- shipbuilding, offshore, marine
add("MAR.plate", "product", "3130",
  ["船用高强度钢板（AH36/EH36）", "造船板"], ["shipbuilding steel plate (AH36/EH36)", "marine-grade steel plate"],
  ["厚度6–80mm，CCS/DNV认证"], ["6–80 mm, CCS/DNV approved"], ["年需求8万吨"], ["80,000 t/yr"])
add("MAR.coating", "product", "2641",
  ["船舶防腐涂料", "压载舱及船底防污涂料"], ["marine anti-corrosion coatings", "antifouling and ballast-tank coatings"],
  ["符合PSPC标准"], ["PSPC compliant"], ["年用量约600吨"], ["approx. 600 t/yr"])
add("MAR.design", "service", "7484",
  ["船舶设计（基本设计、详细设计、生产设计）", "海工结构设计"],
  ["naval architecture: basic, detail and production design", "ship design services"],
  ["具备CCS/ABS送审经验"], ["class approval experience with CCS / ABS"], ["1型甲醇双燃料船"], ["one methanol dual-fuel design"],
  decoy=["MAR.build"])
add("MAR.build", "product", "3731",
  ["散货船、化学品船建造", "中小型商船新造"],
  ["newbuilding of bulk carriers and chemical tankers", "merchant ship newbuilds up to 82,000 dwt"],
  ["年交付12艘"], ["12 deliveries a year"], ["2艘，2028年交付"], ["2 vessels for 2028 delivery"],
  inputs=["MAR.plate", "MAR.coating", "MAR.mainengine", "MAR.genset", "MAR.deck", "MAR.bwts", "MAR.design"], decoy=["MAR.design"])
add("MAR.mainengine", "product", "3412",
  ["船用低速柴油主机", "船舶二冲程主机"], ["marine two-stroke main engines", "low-speed main engines"],
  ["Tier III，可选双燃料"], ["IMO Tier III, dual-fuel options"], ["4台"], ["4 units"], adj=["MAR.genset"])
add("MAR.genset", "product", "3412",
  ["船用发电机组", "船舶辅机发电机组"], ["marine gensets", "auxiliary generator sets for ships"],
  ["500–3000kW"], ["500–3,000 kW"], ["12台"], ["12 sets"], adj=["MAR.mainengine"])
add("MAR.deck", "product", "3734",
  ["甲板机械（锚绞机、系泊绞车）", "锚机绞车及系泊设备"], ["deck machinery: windlasses and mooring winches", "anchor and mooring equipment"],
  ["船级社型式认可"], ["class type-approved"], ["3套"], ["3 shipsets"])
add("MAR.bwts", "product", "3734",
  ["压载水处理系统", "船舶压载水管理系统（BWMS）"], ["ballast water treatment systems", "BWMS for ships"],
  ["USCG型式认可"], ["USCG type-approved"], ["12艘船加装"], ["retrofit on 12 ships"])
add("MAR.scrubber", "product", "3734",
  ["船用脱硫塔", "废气清洗系统（EGCS）"], ["SOx scrubbers", "exhaust gas cleaning systems (EGCS)"],
  ["开式/闭式/混合式"], ["open, closed and hybrid loop"], ["6艘船加装"], ["retrofit on 6 ships"])
add("MAR.foundation", "product", "3737",
  ["海上风电导管架及单桩基础", "海上风机基础结构"], ["offshore wind jackets and monopiles", "offshore wind foundations"],
  ["单桩直径最大11m"], ["monopiles up to 11 m diameter"], ["50套"], ["50 units"],
  inputs=["MAR.plate", "MAR.coating"], adj=["MAR.topside"])
add("MAR.topside", "product", "3737",
  ["海上升压站上部组块", "海上升压站钢结构"], ["offshore substation topsides", "offshore substation steel structures"],
  ["单体重量4000吨"], ["up to 4,000 t"], ["1座"], ["one substation"],
  inputs=["MAR.plate", "MAR.coating"], adj=["MAR.foundation"])
add("MAR.installvessel", "service", "5532",
  ["海上风电安装船租赁及吊装服务", "风机运输安装服务"], ["jack-up installation vessel charter",
                                              "offshore wind turbine transport and installation"],
  ["主吊2000吨"], ["2,000 t main crane"], ["2027年施工窗口"], ["2027 installation window"], decoy=["MAR.build"])
add("MAR.repair", "service", "4342",
  ["修船及改装（加装脱硫塔/压载水系统、延寿改造）", "船舶坞修"], ["ship repair and retrofits (scrubber / BWTS installation, life extension)",
                                          "dry-docking and repairs"],
  ["30万吨级船坞"], ["300,000 dwt dock"], ["年坞修约20艘"], ["~20 dockings a year"],
  inputs=["MAR.bwts", "MAR.scrubber", "MAR.coating"])
add("MAR.heavylift", "service", "5532",
  ["重大件物流与港口装卸", "大件运输及码头吊装"], ["project cargo logistics and heavy-lift stevedoring", "heavy-lift port handling"],
  ["单件1500吨"], ["single lifts up to 1,500 t"], ["叶片及塔筒运输"], ["blades and towers"])
add("MAR.windops", "service", "4415",
  ["海上风电场运维服务", "风电场运维"], ["offshore wind O&M services", "wind-farm operations and maintenance"],
  ["运维母船2艘"], ["two SOVs"], [], [], inputs=["MAR.foundation", "MAR.installvessel", "EQP.turbine", "MAR.heavylift"])
add("MAR.rd.hydro", "rd", "7320",
  ["船型优化与水动力节能", "船舶CFD与水池试验"], ["hull-form optimisation and hydrodynamics", "CFD and towing-tank testing"])
add("MAR.rd.fuel", "rd", "7320",
  ["氨/甲醇燃料动力系统", "船舶替代燃料"], ["ammonia and methanol fuelled propulsion", "alternative marine fuels"])
add("MAR.rd.corr", "rd", "7320",
  ["海洋腐蚀与防护", "海工结构腐蚀监测"], ["marine corrosion and protection", "corrosion monitoring for offshore structures"])

# ---------------------------------------------------------------- textiles
add("TEX.rpet", "product", "2822",
  ["再生涤纶长丝（rPET）", "再生聚酯纤维"], ["recycled polyester filament (rPET)", "recycled PET yarn"],
  ["75D/72F，可提供GRS交易证书"], ["75D/72F, GRS transaction certificates"], ["月用量300吨"], ["300 t/month"], adj=["TEX.pet"])
add("TEX.pet", "product", "2822",
  ["涤纶DTY/FDY长丝", "涤纶长丝"], ["polyester DTY / FDY yarn", "polyester filament yarn"],
  ["150D/48F"], ["150D/48F"], ["月用量500吨"], ["500 t/month"], adj=["TEX.rpet"])
add("TEX.spandex", "product", "2826",
  ["氨纶丝", "氨纶包覆纱"], ["spandex (elastane) yarn", "covered elastane yarn"], ["40D"], ["40 denier"],
  ["月用量50吨"], ["50 t/month"])
add("TEX.cotton", "product", "1711",
  ["精梳棉纱", "紧密纺棉纱"], ["combed cotton yarn", "compact-spun cotton yarn"], ["40S/60S"], ["Ne 40 / Ne 60"],
  ["月需求200吨"], ["200 t/month"])
add("TEX.knit", "product", "1752",
  ["功能性针织面料（吸湿速干）", "运动针织面料"], ["functional knit fabrics (moisture-wicking)", "performance knits for sportswear"],
  ["克重120–280g/m²"], ["120–280 gsm"], ["每季约30万米"], ["300k metres per season"],
  inputs=["TEX.rpet", "TEX.pet", "TEX.spandex", "TEX.dyeing", "TEX.dyes", "TEX.testing"], adj=["TEX.woven"], decoy=["TEX.testing"])
add("TEX.woven", "product", "1752",
  ["梭织面料", "全棉及涤棉梭织布"], ["woven fabrics", "cotton and poly-cotton wovens"],
  ["幅宽150cm"], ["150 cm width"], ["每月约20万米"], ["200k metres per month"],
  inputs=["TEX.cotton", "TEX.pet", "TEX.dyeing", "TEX.loom", "TEX.testing"], adj=["TEX.knit"], decoy=["TEX.testing"])
add("TEX.dyes", "product", "2645",
  ["活性染料与分散染料", "纺织染料"], ["reactive and disperse dyes", "textile dyestuffs"],
  ["符合ZDHC MRSL"], ["ZDHC MRSL compliant"], ["年用量500吨"], ["500 t/yr"], adj=["TEX.aux"], decoy=["TEX.dyeing"])
add("TEX.aux", "product", "2661",
  ["印染助剂", "前处理及后整理助剂"], ["textile auxiliaries", "pretreatment and finishing chemicals"],
  ["无APEO"], ["APEO-free"], ["年用量300吨"], ["300 t/yr"], adj=["TEX.dyes"], decoy=["TEX.dyeing"])
add("TEX.dyeing", "service", "1752",
  ["印染加工（来料加工）", "面料染整代加工"], ["commission dyeing and finishing", "fabric dyeing & finishing on commission"],
  ["日产能30万米"], ["300,000 m/day"], ["每月约20万米"], ["~200k m per month"],
  inputs=["TEX.dyes", "TEX.aux"], adj=["TEX.digital"], decoy=["TEX.dyes", "TEX.aux"])
add("TEX.digital", "service", "1752",
  ["数码印花加工", "数码直喷印花代加工"], ["digital textile printing service", "direct-to-fabric digital printing"],
  ["支持小单快反，100米起订"], ["short runs from 100 m"], ["每月约5万米"], ["~50k m per month"], adj=["TEX.dyeing"])
add("TEX.loom", "product", "3551",
  ["喷气织机", "高速喷气织机"], ["air-jet looms", "high-speed air-jet weaving machines"], ["转速1200rpm"], ["1,200 rpm"],
  ["60台"], ["60 machines"])
add("TEX.garment", "cmo", "1811",
  ["服装OEM/ODM代工", "针织服装加工"], ["apparel OEM/ODM manufacturing", "garment contract manufacturing"],
  ["月产能50万件"], ["500k pieces/month"], ["首单10万件"], ["first order 100k pieces"],
  inputs=["TEX.knit", "TEX.woven", "TEX.testing"])
add("TEX.hometex", "product", "1771",
  ["床品四件套及家纺成品", "家纺床上用品"], ["bedding sets and home textiles", "home-textile products"],
  ["60支全棉"], ["60s combed cotton"], [], [], inputs=["TEX.woven", "TEX.dyeing", "TEX.digital", "TEX.cotton"])
add("TEX.meltblown", "product", "1781",
  ["医用无纺布（SMS、熔喷）", "熔喷及SMS非织造布"], ["medical nonwovens (SMS, meltblown)", "meltblown and SMS fabrics"],
  ["克重25–60g/m²"], ["25–60 gsm"], ["月需求200吨"], ["200 t/month"], adj=["TEX.spunlace"])
add("TEX.spunlace", "product", "1781",
  ["水刺无纺布", "水刺非织造材料"], ["spunlace nonwovens", "hydroentangled nonwoven rolls"],
  ["粘胶/涤纶配比可定制"], ["viscose/PET blends"], ["月需求150吨"], ["150 t/month"], adj=["TEX.meltblown"])
add("TEX.testing", "service", "7452",
  ["纺织品检测（色牢度、甲醛、pH）", "纺织品第三方检测"], ["textile testing: colourfastness, formaldehyde, pH",
                                             "third-party textile testing"],
  ["CNAS认可，3个工作日出报告"], ["CNAS accredited, 3-day turnaround"], ["每月约200个样"], ["~200 samples/month"],
  decoy=["TEX.knit", "TEX.woven"])
add("TEX.brand", "service", "5132",
  ["服装品牌渠道分销（线下零售与跨境电商）", "服装品牌分销与电商代运营"],
  ["brand distribution through retail and cross-border e-commerce", "apparel distribution and e-commerce operations"],
  ["覆盖东南亚6国"], ["six SEA markets"], [], [])
add("TEX.rd.waterless", "rd", "7320",
  ["超临界CO2无水染色", "少水/无水印染技术"], ["supercritical CO2 waterless dyeing", "low-water dyeing technology"])
add("TEX.rd.smart", "rd", "7320",
  ["智能纺织品与柔性传感", "可穿戴电子纺织品"], ["smart textiles and flexible sensors", "e-textiles for wearables"])
add("TEX.rd.bio", "rd", "7320",
  ["生物基纤维（PLA、莱赛尔）", "生物基与可降解纤维"], ["bio-based fibres (PLA, lyocell)", "biodegradable fibres"])

# ---------------------------------------------------------------- advanced materials
add("MAT.cf", "product", "3062",
  ["T700/T800级碳纤维", "高强度碳纤维丝束"], ["T700/T800-grade carbon fibre", "high-strength carbon fibre tow"],
  ["12K/24K"], ["12K / 24K tow"], ["年需求300吨"], ["300 t/yr"], adj=["MAT.prepreg"])
add("MAT.prepreg", "product", "3062",
  ["碳纤维预浸料", "环氧碳纤维预浸料"], ["carbon-fibre prepregs", "epoxy carbon prepreg"],
  ["固化温度120℃"], ["120 °C cure"], ["年需求50万平方米"], ["500k m²/yr"], adj=["MAT.cf", "MAT.cfrp"])
add("MAT.cfrp", "product", "3062",
  ["碳纤维复合材料构件", "CFRP结构件"], ["CFRP composite parts", "carbon-composite structural parts"],
  ["热压罐/RTM成型"], ["autoclave or RTM moulded"], ["年需求2万件"], ["20k parts/yr"], adj=["MAT.prepreg"])
add("MAT.alsheet", "product", "3252",
  ["高强铝合金板带（6系/7系）", "汽车用铝合金板"], ["high-strength aluminium sheet and plate (6xxx / 7xxx)", "automotive aluminium sheet"],
  ["T6/T4P状态"], ["T6 / T4P temper"], ["年用量1.2万吨"], ["12,000 t/yr"], adj=["MAT.alext"])
add("MAT.alext", "product", "3252",
  ["铝合金挤压型材", "工业铝型材"], ["aluminium extrusions", "industrial aluminium profiles"],
  ["6063/6082-T6"], ["6063 / 6082-T6"], ["年用量5000吨"], ["5,000 t/yr"], adj=["MAT.alsheet"])
add("MAT.ti", "product", "3240",
  ["航空级钛合金棒材与锻件", "钛合金（TC4）棒材及锻件"], ["aerospace titanium bar and forgings", "Ti-6Al-4V bar and forgings"],
  ["TC4、TA15"], ["Ti-6Al-4V, Ti-6242"], ["年需求80吨"], ["80 t/yr"])
add("MAT.peek", "product", "2651",
  ["PEEK树脂及改性料", "聚醚醚酮（PEEK）特种工程塑料"], ["PEEK resin and compounds", "polyether ether ketone (PEEK) engineering plastic"],
  ["长期使用温度260℃"], ["continuous use 260 °C"], ["年用量20吨"], ["20 t/yr"])
add("MAT.pifilm", "product", "2921",
  ["聚酰亚胺（PI）薄膜", "电子级PI膜"], ["polyimide film", "electronic-grade PI film"],
  ["厚度12.5–125μm"], ["12.5–125 µm"], ["每月约2万平方米"], ["20,000 m² a month"])
add("MAT.epoxy", "product", "2651",
  ["电子级环氧树脂与塑封料", "环氧塑封料（EMC）"], ["electronic-grade epoxy and moulding compounds", "epoxy moulding compound (EMC)"],
  ["低α射线，Cl⁻≤10ppm"], ["low-alpha, Cl⁻ ≤ 10 ppm"], ["年用量300吨"], ["300 t/yr"])
add("MAT.ceramic", "product", "3073",
  ["氮化铝/氧化铝陶瓷基板", "电子陶瓷基片"], ["AlN and alumina ceramic substrates", "electronic ceramic substrates"],
  ["热导率≥170 W/m·K"], ["≥ 170 W/m·K"], ["月需求5万片"], ["50k pcs/month"], adj=["MAT.dbc"])
add("MAT.dbc", "product", "3073",
  ["DBC/AMB覆铜陶瓷基板", "功率模块用覆铜陶瓷基板"], ["DBC / AMB copper-bonded ceramic substrates", "metallised ceramic substrates for power modules"],
  ["氮化硅AMB可选"], ["Si3N4 AMB available"], ["月需求3万片"], ["30k pcs/month"], adj=["MAT.ceramic"])
add("MAT.graphene", "product", "3099",
  ["石墨烯及碳纳米管导电浆料", "锂电导电剂（碳纳米管浆料）"], ["graphene and CNT conductive pastes", "conductive additives for Li-ion cells (CNT slurry)"],
  ["固含量5%"], ["5 % solids"], ["月用量40吨"], ["40 t/month"])
add("MAT.testing", "service", "7452",
  ["材料理化检测（CNAS）", "金相、力学性能与成分分析"], ["materials testing and analysis (CNAS accredited)",
                                               "metallography, mechanical testing and chemical analysis"],
  ["SEM/TEM/XPS"], ["SEM, TEM, XPS"], ["每月约100个样品"], ["~100 samples a month"])
add("MAT.bioplastic", "product", "2651",
  ["PLA/PBAT生物降解材料", "可降解改性料"], ["PLA/PBAT biodegradable compounds", "compostable resin grades"],
  ["符合GB/T 41010"], ["EN 13432 compliant"], ["月需求500吨"], ["500 t/month"])
add("MAT.indgas", "product", "2619",
  ["工业气体（液氮、液氧、液氩）", "大宗工业气体现场制气"], ["bulk industrial gases (LIN, LOX, LAR)", "on-site industrial gas supply"],
  ["管道或槽车供应"], ["pipeline or trailer supply"], ["液氮每月约800吨"], ["LIN ~800 t/month"], decoy=["IC.gas"])
add("MAT.rd.comp", "rd", "7320",
  ["复合材料回收与再利用", "碳纤维复合材料回收技术"], ["composite recycling and reuse", "carbon-fibre composite recycling"])
add("MAT.rd.am", "rd", "7320",
  ["金属增材制造工艺与合金设计", "激光增材制造（金属3D打印）工艺"], ["metal additive manufacturing: process and alloy design",
                                                     "laser powder-bed fusion process research"])
add("MAT.rd.membrane", "rd", "7320",
  ["分离膜材料", "水处理与气体分离膜"], ["separation membranes", "membranes for water treatment and gas separation"])

# ---------------------------------------------------------------- high-end equipment
add("EQP.robot", "product", "3491",
  ["六轴工业机器人", "多关节工业机器人"], ["6-axis industrial robots", "articulated industrial robots"],
  ["负载6–210kg，重复定位±0.02mm"], ["6–210 kg payload, ±0.02 mm repeatability"], ["30台"], ["30 units"],
  inputs=["EQP.reducer", "EQP.servo", "EQP.bearing"], adj=["EQP.cobot"], decoy=["EQP.robotsvc"])
add("EQP.cobot", "product", "3491",
  ["协作机器人", "力控协作机械臂"], ["collaborative robots", "force-controlled cobot arms"],
  ["负载3–20kg"], ["3–20 kg payload"], ["20台"], ["20 units"],
  inputs=["EQP.reducer", "EQP.servo"], adj=["EQP.robot"], decoy=["EQP.robotsvc"])
add("EQP.robotsvc", "service", "4320",
  ["工业机器人维修保养与再制造", "机器人维保服务"], ["robot maintenance, repair and refurbishment", "robot MRO services"],
  ["支持主流品牌，4小时响应"], ["all major brands, 4-hour response"], ["约150台在役机器人"], ["~150 installed robots"],
  decoy=["EQP.robot", "EQP.cobot"])
add("EQP.reducer", "product", "3453",
  ["RV减速器及谐波减速器", "精密谐波减速器"], ["RV and harmonic reducers", "precision strain-wave gears"],
  ["回程间隙≤1arcmin"], ["backlash ≤ 1 arcmin"], ["年需求2万台"], ["20k units/yr"])
add("EQP.servo", "product", "3813",
  ["伺服电机与驱动器", "交流伺服系统"], ["servo motors and drives", "AC servo systems"],
  ["23位编码器，EtherCAT"], ["23-bit encoder, EtherCAT"], ["年需求5万轴"], ["50k axes/yr"])
add("EQP.cnc", "product", "3421",
  ["五轴联动加工中心", "数控机床"], ["5-axis machining centres", "CNC machine tools"],
  ["定位精度0.005mm"], ["positioning accuracy 5 µm"], ["10台"], ["10 machines"], inputs=["EQP.bearing", "EQP.servo"])
add("EQP.am", "product", "3493",
  ["金属3D打印设备（SLM）", "激光选区熔化设备"], ["metal 3D printers (SLM / LPBF)", "laser powder-bed fusion systems"],
  ["成型尺寸500×500×600mm"], ["500 × 500 × 600 mm build volume"], ["2台"], ["two systems"])
add("EQP.bearing", "product", "3451",
  ["精密轴承", "高速主轴轴承"], ["precision bearings", "high-speed spindle bearings"], ["P4级"], ["ABEC-7"],
  ["年需求10万套"], ["100k sets/yr"])
add("EQP.plc", "product", "4011",
  ["PLC与工业控制系统", "DCS/PLC控制系统"], ["PLCs and industrial control systems", "DCS / PLC automation"],
  ["IEC 61131-3"], ["IEC 61131-3"], [], [])
add("EQP.mes", "product", "6513",
  ["MES制造执行系统", "车间制造执行系统（MES）软件"], ["MES software", "manufacturing execution system (MES)"],
  ["支持私有化部署"], ["on-premise or cloud"], ["覆盖3个工厂"], ["three plants"], adj=["EQP.iiot"])
add("EQP.iiot", "product", "6431",
  ["工业互联网平台", "设备联网与数据采集平台"], ["industrial IoT platform", "machine connectivity and data platform"],
  ["支持OPC UA、Modbus"], ["OPC UA, Modbus"], ["接入约500台设备"], ["~500 machines"], adj=["EQP.mes"])
add("EQP.casting", "product", "3391",
  ["大型铸锻件", "风电铸件与锻件"], ["large castings and forgings", "wind-turbine castings"],
  ["单件最大60吨"], ["up to 60 t per piece"], ["轮毂、底座年4000件"], ["4,000 hubs and bedplates/yr"])
add("EQP.blade", "product", "3415",
  ["风电叶片", "海上风电叶片"], ["wind turbine blades", "offshore wind blades"],
  ["叶片长度123m"], ["123 m blades"], ["30套"], ["30 sets"], inputs=["MAT.cf", "MAT.prepreg"])
add("EQP.turbine", "product", "3415",
  ["海上风电机组", "大兆瓦风力发电机组"], ["offshore wind turbines", "multi-MW wind turbine generators"],
  ["单机16MW"], ["16 MW"], ["30台"], ["30 turbines"], inputs=["EQP.blade", "EQP.casting", "EQP.bearing"])
add("EQP.pcs", "product", "3821",
  ["储能变流器（PCS）及升压变压器", "变压器与储能变流器"], ["PCS and step-up transformers for energy storage", "transformers and power-conversion systems"],
  ["1500V系统"], ["1,500 V systems"], ["100MW"], ["100 MW"], inputs=["NEV.igbt", "NEV.sicmod"])
add("EQP.bess", "product", "3821",
  ["储能系统集成（集装箱式）", "电化学储能系统"], ["containerised battery energy storage systems", "BESS integration"],
  ["单柜5MWh"], ["5 MWh per container"], ["100MWh"], ["100 MWh"], inputs=["NEV.esscell", "EQP.pcs"])
add("EQP.leasing", "service", "7119",
  ["设备融资租赁", "售后回租"], ["equipment finance leasing", "sale-and-leaseback"],
  ["期限3–5年"], ["3–5 year terms"], [], [])
add("EQP.line", "service", "6531",
  ["自动化产线集成（焊装、装配）", "非标自动化设备"], ["automation line integration (welding, assembly)",
                                              "custom automation equipment"],
  ["交钥匙工程"], ["turnkey delivery"], ["2条产线"], ["two lines"],
  inputs=["EQP.robot", "EQP.cobot", "EQP.servo", "EQP.plc", "AI.camera"])
add("EQP.aeroparts", "product", "3744",
  ["航空结构件精密加工（AS9100）", "航空钣金与机加件"], ["precision-machined aerospace parts (AS9100)",
                                              "aerostructure components"],
  ["NADCAP特种工艺"], ["NADCAP special processes"], ["年约2万件"], ["~20k parts/yr"],
  inputs=["MAT.ti", "MAT.alsheet", "EQP.cnc"])
add("EQP.rd.motion", "rd", "7320",
  ["机器人运动控制与轨迹规划", "伺服控制算法"], ["robot motion control and trajectory planning", "servo control"])
add("EQP.rd.tribo", "rd", "7320",
  ["摩擦学与精密传动", "齿轮传动与润滑"], ["tribology and precision transmission", "gear transmission and lubrication"])
add("EQP.rd.combust", "rd", "7320",
  ["燃气轮机燃烧与传热", "航空发动机热端部件"], ["gas-turbine combustion and heat transfer", "hot-section aero-engine components"])

# ---------------------------------------------------------------- sites (production bases)
add("SITE.chem", "site", "7221",
  ["化工园区项目用地（可承接危化品项目）", "化工园区工业用地"], ["land in a chemical park (hazardous-chemical projects accepted)",
                                                  "chemical-park industrial plots"],
  ["蒸汽、污水处理配套齐全"], ["steam and effluent treatment on site"], ["约100亩"], ["approx. 6.7 ha"])
add("SITE.gmp", "site", "7221",
  ["GMP标准洁净厂房", "生物医药专业厂房（带洁净区）"], ["GMP-ready cleanroom buildings", "purpose-built biotech facilities with cleanrooms"],
  ["层高6m，承重1吨/㎡"], ["6 m floor height, 1 t/m²"], ["约8000㎡"], ["approx. 8,000 m²"])
add("SITE.port", "site", "7221",
  ["沿江码头岸线及重件堆场", "深水泊位与大件堆场"], ["quay frontage and heavy-load yard on the Yangtze", "deep-water berth with heavy-lift yard"],
  ["堆场承载20吨/㎡"], ["yard bearing 20 t/m²"], ["岸线约500m"], ["approx. 500 m of quay"])
add("SITE.factory", "site", "7221",
  ["标准厂房（单层，承重3吨/㎡）", "高标准工业厂房租售"], ["standard factory buildings (single-storey, 3 t/m²)",
                                                "ready-built industrial units for lease"],
  ["行车10吨"], ["10 t overhead crane"], ["约2万㎡"], ["approx. 20,000 m²"])
add("SITE.dc", "site", "7221",
  ["数据中心用地及双路市电", "数据中心能耗指标与电力容量"], ["data-centre land with dual power feed",
                                                 "power capacity and energy quota for data centres"],
  ["110kV变电站"], ["110 kV substation"], ["电力容量50MW"], ["50 MW"])
add("SITE.pilot", "site", "7221",
  ["中试基地与公共中试平台", "中试放大平台"], ["pilot-scale facilities and shared pilot plant", "scale-up / pilot platform"],
  ["可提供百公斤级放大"], ["100 kg-scale runs"], ["约1000㎡中试车间"], ["~1,000 m² pilot hall"])

CHAINS = ["IC", "BIO", "AI", "NEV", "MAR", "TEX", "MAT", "EQP"]

CHAIN_WORDS = {
    "IC": (["集成电路", "半导体", "芯片产业链"], ["semiconductors", "integrated circuits", "the chip supply chain"]),
    "BIO": (["生物医药", "医疗器械与创新药", "大健康"], ["biopharma", "life sciences and medtech", "healthcare"]),
    "AI": (["人工智能", "算力与大模型", "AI应用"], ["artificial intelligence", "AI infrastructure and applications", "AI and compute"]),
    "NEV": (["新能源汽车", "动力电池与新能源车", "汽车电动化"], ["electric vehicles", "EV and battery", "e-mobility"]),
    "MAR": (["船舶海工", "海上风电与海洋装备", "海洋经济"], ["shipbuilding and offshore", "offshore wind and marine", "maritime"]),
    "TEX": (["纺织服装", "时尚纺织", "纺织新材料"], ["textiles and apparel", "fashion and textiles", "textile materials"]),
    "MAT": (["新材料", "先进材料", "化工新材料"], ["advanced materials", "new materials", "specialty materials"]),
    "EQP": (["高端装备", "智能制造装备", "先进制造"], ["advanced manufacturing", "industrial equipment", "high-end equipment"]),
}


def offerable(chain: str, kinds=("product", "service", "cmo")) -> list[str]:
    return [i for i, it in ITEMS.items() if it.chain == chain and it.kind in kinds]


def topics(chain: str) -> list[str]:
    return [i for i, it in ITEMS.items() if it.chain == chain and it.kind == "rd"]
