"""Unit tests of the pieces a match score is built from: statements, intents, tickets, fits, concepts."""

import numpy as np
import pandas as pd
import pytest

from matchmaking.matching import MatchConfig, MatchIndex, relations, signals
from matchmaking.matching.concepts import lexicon
from matchmaking.matching.signals import Pairs
from matchmaking.matching.text import lang_of, statements, tokens


@pytest.mark.parametrize("text, expected", [
    ("需要稳定的KrF光刻胶供应，月用量约2吨；同时寻找12英寸硅片供应商。另外希望与高校开展先进封装联合研发。",
     ["需要稳定的KrF光刻胶供应，月用量约2吨", "同时寻找12英寸硅片供应商", "另外希望与高校开展先进封装联合研发"]),
    ("We are looking for a CDMO partner for a 2,000 L mAb process. We also need single-use bags (200 L).",
     ["We are looking for a CDMO partner for a 2,000 L mAb process", "We also need single-use bags (200 L)"]),
    ("1、IGBT模块，1200V/300A；2、SiC MOSFET；3、电机控制器", ["IGBT模块，1200V/300A", "SiC MOSFET", "电机控制器"]),
    ("Looking for: (1) marine diesel engines; (2) shaft generators",
     ["Looking for marine diesel engines", "shaft generators"]),
    ("需求：\n- 316L不锈钢管\n- 双相钢板", ["需求 316L不锈钢管", "双相钢板"]),
    ("", []),
    ("Supply of 1.5 mm steel plate, grade AH36", ["Supply of 1.5 mm steel plate, grade AH36"]),
])
def test_statements_split_needs_not_numbers(text, expected):
    assert statements(text) == expected


def test_statements_are_bounded():
    assert len(statements("；".join(f"需要第{i}种原材料的稳定供应" for i in range(30)))) == 8


@pytest.mark.parametrize("text, lang", [("苏州光刻胶供应商", "zh"), ("We supply KrF photoresist", "en"),
                                        ("提供KrF/ArF光刻胶", "zh"), ("IGBT", "en")])
def test_lang_of(text, lang):
    assert lang_of(text) == lang


def test_tokens_mix_cjk_ngrams_and_english_words():
    toks = tokens("需要KrF光刻胶 photoresists for wafers")
    assert {"光刻", "刻胶", "krf", "photoresist", "wafer"} <= set(toks)
    assert "for" not in toks  # stop word


@pytest.mark.parametrize("text, intent", [
    ("寻求A轮融资5000万元", "capital"), ("Looking for Series B investors", "capital"),
    ("寻找集成电路设计领域早期项目进行股权投资", "opportunity"),
    ("Looking to invest in early-stage battery companies", "opportunity"),
    ("希望与高校联合研发固态电解质", "rd"), ("seeking a university lab to co-develop SiC epitaxy", "rd"),
    ("寻找代工厂", "production"), ("we seek a CDMO for fill-finish", "production"),
    ("and CNY 20 million of seed or angel money", "capital"), ("We also plan a CNY 250 million round", "capital"),
    ("a pre-IPO round", "capital"), ("and a seed-plus investment of RMB 30 million", "capital"), ("we need 300 rounds of fatigue testing", "supply"),
    ("sunflower seed oil supply", "supply"),
    ("项目拟引入10亿元股权资金", "capital"), ("本轮寻求3000万元天使投资", "capital"),
    ("项目总投资5亿元，需要200亩工业用地", "production"),  # a project's own size is no capital need
    ("a university robotics lab to work with us on joint-level servo control", "rd"),
    ("场地要求约5000平方米、层高6米的生产用房", "production"), ("about 2,000 m2 of lab space", "production"),
    ("寻找下游客户", "customer"), ("we seek buyers in Europe for our sensors", "customer"),
    ("we seek distributors in Europe", "supply"),  # a distributor offers a service: met by an offer of it
    ("需要KrF光刻胶", "supply"), ("seeking suppliers of 300 mm wafers", "supply"),
])
def test_intent_of(text, intent):
    assert relations.intent_of(text) == intent


@pytest.mark.parametrize("text, expected", [
    ("单笔投资2000万至2亿元", (2000, 20000)), ("tickets of USD 3-15m", (2160, 10800)),
    ("RMB 20–200 million per deal", (2000, 20000)), ("单个项目投资额500-3000万元", (500, 3000)),
    ("we invest between 5 and 50 million RMB", (500, 5000)), ("no amounts here", None),
])
def test_parse_money_range(text, expected):
    got = signals.parse_money_range(text)
    assert (got is None and expected is None) or (got is not None and tuple(round(x) for x in got) == expected)


def test_capacity_fit_is_one_inside_and_falls_outside():
    assert signals.capacity_fit(5000, (2000, 20000)) == 1.0
    assert 0.4 < signals.capacity_fit(60000, (2000, 20000)) < 0.8
    assert signals.capacity_fit(5000, None) is None
    assert signals.capacity_fit(10 ** 9, (2000, 20000)) == 0.0


def test_partner_and_org_type_fit(hash_embed):
    orgs = pd.DataFrame({
        "credit_code": ["A", "B", "C", "D"], "name": ["a", "b", "c", "d"], "city": ["Shanghai"] * 4,
        "org_type": ["enterprise", "enterprise", "university", "investor"], "offers": ["光刻胶"] * 4,
        "seeks": ["硅片"] * 4, "partner_types": ["supplier", "customer", "", ""]})
    index = MatchIndex(orgs, pd.DataFrame(columns=["project_id", "title", "city"]), hash_embed)
    supplier, rd = relations.RELATIONS.index("supplier"), relations.RELATIONS.index("rd_partner")
    pairs = Pairs(index, MatchConfig(), 0, np.array([1, 2, 3]), np.array([supplier, rd, supplier]))
    partner = signals.signal("partner_type").values(pairs)
    assert list(partner[:1]) == [1.0] and np.isnan(partner[1])  # both sides list it; neither does: silent
    assert signals.signal("partner_type").values(Pairs(index, MatchConfig(), 2, np.array([3]), np.array([supplier])))[0] != 1.0
    org = signals.signal("org_type").values(pairs)
    assert org[1] == 1.0 and org[2] == 0.0  # a university as R&D partner; an investor as supplier
    assert relations.relation_for("capital", "organisation", "investor") == "investor"
    assert relations.relation_for("supply", "project", None) == "investment_opportunity"


def test_concepts_bridge_languages_and_prefer_the_longest_term():
    lex = lexicon()
    zh, en = lex.scan("需要稳定的光刻胶供应"), lex.scan("We supply photoresists for 300 mm fabs")
    assert set(zh.concepts) & set(en.concepts), (zh, en)
    value, shared, _ = lex.similarity(zh, en)
    assert value == 1.0 and shared
    assert lex.scan("设备 服务 材料 system solution").concepts == ()  # generic words are not concepts
