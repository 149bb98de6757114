"""Objects and qualifiers (issue 15): a statement is matched on its object; qualifiers only qualify.

The split is checked on texts unlike the demo's, in both languages; that two parties sharing nothing but
boilerplate never match is a property over random corpora; and an explanation leads with the objects
that met, then the qualifiers that hold."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.matching import Matcher, MatchIndex, reasons, reasons_for_candidate
from matchmaking.matching.objects import clauses, facts

from .conftest import _SUPPLY, synthetic

_NEED_ZH = ["需要{0}稳定供应", "采购{0}，月用量约{1}吨", "寻找{0}的国产替代", "新产线要用{0}"]
_NEED_EN = ["We need {0}", "Sourcing {0}, about {1} t a month", "A second source of {0}", "{0} for a new line"]
_OFFER_ZH = ["提供{0}，年产能{1}万件", "专业生产{0}", "{0}的研发与制造", "可批量供应{0}"]
_OFFER_EN = ["We supply {0}, {1}k units a year", "Maker of {0}", "{0}, designed and built in-house", "Volume supply of {0}"]

# boilerplate of a style the demo data does not have (a trade-fair listing, a sourcing portal)
NEED_BOILERPLATE = ["希望建立长期稳定的合作关系", "要求通过ISO 9001认证", "优先考虑长三角地区的供应商",
                    "looking for a long-term partnership", "suppliers must be ISO 9001 certified", "payment terms negotiable"]
OFFER_BOILERPLATE = ["已通过ISO 9001认证", "深耕该领域15年", "可提供免费样品", "open to joint development",
                     "ISO 9001 certified", "over 20 years of experience in the field"]


@pytest.mark.parametrize(("text", "expected"), [
    ("寻求纳米纤维素增强母粒，要求通过ISO 9001认证，优先考虑长三角地区供应商",
     ["寻求纳米纤维素增强母粒", "要求通过ISO 9001认证", "优先考虑长三角地区供应商"]),
    ("Seeking cold-chain pallet shippers for vaccines, 7,000 units a month, ideally GDP-certified",
     ["Seeking cold-chain pallet shippers for vaccines", "7,000 units a month", "ideally GDP-certified"]),
    ("Hydrogen-embrittlement testing of fasteners; open to joint development",
     ["Hydrogen-embrittlement testing of fasteners", "open to joint development"]),
    ("提供钛合金3D打印件（TC4、TA15）", ["提供钛合金3D打印件（TC4、TA15）"]),
])
def test_clauses_split_a_statement_at_its_commas_but_not_inside_numbers(text, expected):
    assert clauses(text) == expected


@pytest.mark.parametrize(("text", "certs", "cities", "quantities"), [
    ("要求通过ISO 9001、IATF 16949认证，优先江苏省内企业", {"ISO 9001", "IATF 16949"}, {"Suzhou", "Nantong"}, ()),
    ("CE and RoHS marked, plant in Kunshan", {"CE", "ROHS"}, {"Suzhou"}, ()),
    ("年用量约2000吨，长三角地区优先", set(), {"Shanghai", "Suzhou", "Nantong"}, (("t", 2000.0),)),
    ("about 400,000 units a year from a GMP site", {"GMP"}, set(), (("unit", 400000.0),)),
    ("年产能3万台伺服电机", set(), set(), (("unit", 30000.0),)),
])
def test_facts_read_standards_places_and_quantities(text, certs, cities, quantities):
    f = facts(text)
    assert f.certs == certs and f.cities == cities and f.quantities == quantities


def _varied(orgs: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The synthetic profiles with needs and offers written in several ways (the fixture writes each
    one way, and a corpus of one template is all boilerplate)."""
    rng = random.Random(seed)
    out = orgs.copy()
    for col, zh_t, en_t in (("seeks", _NEED_ZH, _NEED_EN), ("offers", _OFFER_ZH, _OFFER_EN)):
        vals = []
        for v in out[col]:
            if v:
                zh = any("\u4e00" <= ch <= "\u9fff" for ch in v)
                item = rng.choice(_SUPPLY)[0 if zh else 1]
                v = rng.choice(zh_t if zh else en_t).format(item, rng.randint(2, 90))
            vals.append(v)
        out[col] = vals
    return out


def _with_boilerplate(orgs: pd.DataFrame, seed: int, rate: float = 0.9) -> pd.DataFrame:
    """Boilerplate sentences added to ``rate`` of the needs and offers (in their language)."""
    rng = random.Random(seed)
    out = _varied(orgs, seed)
    for col, bank in (("seeks", NEED_BOILERPLATE), ("offers", OFFER_BOILERPLATE)):
        vals = []
        for v in out[col]:
            if v and rng.random() < rate:
                zh = any("\u4e00" <= ch <= "\u9fff" for ch in v)
                pool = [p for p in bank if any("\u4e00" <= ch <= "\u9fff" for ch in p) == zh]
                v = f"{v}{'，' if zh else ', '}{rng.choice(pool)}"
            vals.append(v)
        out[col] = vals
    return out


def _party(code: str, seeks: str, offers: str, city: str = "Suzhou") -> dict:
    return {"credit_code": code, "name": code, "org_type": "enterprise", "city": city, "district": "",
            "industry_code": "", "description": "", "offers": offers, "seeks": seeks, "partner_types": []}


@pytest.fixture(scope="module")
def corpus(hash_embed):
    orgs, projs = synthetic(200, seed=7)
    return _with_boilerplate(orgs, seed=7), projs


def test_boilerplate_is_read_as_qualifiers_and_objects_are_kept(corpus, hash_embed):
    orgs, projs = corpus
    index = MatchIndex(orgs, projs, hash_embed)
    for st_ in (index.needs, index.offers):
        for text, obj, quals in zip(st_.text, st_.object, st_.qualifiers, strict=True):
            for phrase in NEED_BOILERPLATE + OFFER_BOILERPLATE:
                if phrase in clauses(text):
                    assert phrase in quals and phrase not in clauses(obj), (text, obj, quals)
            assert obj, text  # every statement here names an object


def test_without_the_split_the_engine_reads_whole_statements(corpus, hash_embed):
    orgs, projs = corpus
    index = MatchIndex(orgs, projs, hash_embed, objects=False)
    assert index.needs.object == index.needs.text and not any(index.needs.qualifiers)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), data=st.data())
def test_two_parties_sharing_only_boilerplate_never_match(hash_embed, seed, data):
    """A party that needs nothing but boilerplate and one that offers nothing but the same boilerplate
    are never matched on it: neither has an object there, and whatever links them is an object pair."""
    orgs, projs = synthetic(200, seed)
    orgs = _with_boilerplate(orgs, seed)
    x, y = data.draw(st.sampled_from([(a, b) for a in range(len(_SUPPLY)) for b in range(len(_SUPPLY)) if a != b]))
    needs = data.draw(st.lists(st.sampled_from(NEED_BOILERPLATE[:3]), min_size=1, max_size=2, unique=True))
    offers = data.draw(st.lists(st.sampled_from(OFFER_BOILERPLATE[:3]), min_size=1, max_size=2, unique=True))
    a = _party("91320594MA1TESTA01", "。".join(needs), f"提供{_SUPPLY[x][0]}")
    b = _party("91320594MA1TESTB02", f"需要{_SUPPLY[y][0]}", "。".join(offers), city="Nantong")
    index = MatchIndex(pd.concat([orgs, pd.DataFrame([a, b])], ignore_index=True), projs, hash_embed)
    ra, rb = index.id_to_row[a["credit_code"]], index.id_to_row[b["credit_code"]]
    assert not index.needs.has_object[index.party_needs(ra)].any()
    assert not index.offers.has_object[index.party_offers(rb)].any()
    m = Matcher(index)
    for q, c in ((a, b), (b, a)):
        for match in m.match(q["credit_code"], 50):
            if match.candidate_id == c["credit_code"]:
                ev = [p.evidence for p in match.parts if p.signal in ("dense", "sparse", "concept", "reverse")]
                texts = " ".join(str(v) for e in ev for v in e.values())
                assert not any(p in texts for p in needs + offers), match


def test_qualifiers_never_lead_a_match(corpus, hash_embed):
    """In every match, the statement pair that made it is an object pair: no boilerplate in its evidence."""
    orgs, projs = corpus
    index = MatchIndex(orgs, projs, hash_embed)
    m = Matcher(index)
    for q in sorted(index.id_to_row)[:30]:
        for match in m.match(q, 10):
            lead = next((p for p in match.parts if p.signal in ("dense", "sparse", "concept")), None)
            if lead is None:
                continue
            for phrase in NEED_BOILERPLATE + OFFER_BOILERPLATE:
                assert phrase not in lead.evidence["need"] and phrase not in lead.evidence["offer"], match


def test_an_explanation_leads_with_the_objects_then_the_qualifiers_that_hold(corpus, hash_embed):
    orgs, projs = corpus
    a = _party("91320594MA1TESTA01", "需要伺服电机稳定供应，要求通过ISO 9001认证", "提供涤纶长丝", city="Shanghai")
    b = _party("91320594MA1TESTB02", "", "提供伺服电机，年产能50万台，ISO 9001 certified", city="Suzhou")
    index = MatchIndex(pd.concat([orgs, pd.DataFrame([a, b])], ignore_index=True), projs, hash_embed)
    match = next(r for r in Matcher(index).match(a["credit_code"], 50) if r.candidate_id == b["credit_code"])
    lines = reasons(match, index, "zh")
    assert lines[1].startswith("您需要的“需要伺服电机稳定供应”↔ 对方提供的“提供伺服电机"), lines
    assert "ISO 9001" not in lines[1]
    assert any(line.startswith("另外：") and "ISO 9001 ✓" in line for line in lines[2:4]), lines
    en = reasons(match, index, "en")
    assert en[1].startswith("you need “需要伺服电机稳定供应” ↔ they offer"), en
    theirs = reasons_for_candidate(match, index, "zh")
    assert theirs[1].startswith("对方需要的“需要伺服电机稳定供应”↔ 您提供的"), theirs
    assert any("ISO 9001 ✓" in line for line in theirs), theirs


def test_a_need_for_a_research_partner_is_never_dropped_as_boilerplate(corpus, hash_embed):
    orgs, projs = corpus
    # the same wish written by firms of every chain: by its neighbours alone it reads as boilerplate
    wishes = ("希望与高校合作进行合金成分设计和组织调控研究", "a university robotics lab to work with us on torque control")
    extra = pd.DataFrame([_party(f"RD{i}", wishes[i % 2], offers) for i, offers in
                          enumerate(orgs["offers"][orgs["offers"] != ""].head(60))])
    index = MatchIndex(pd.concat([orgs, extra], ignore_index=True), projs, hash_embed)
    rows = [r for i in range(len(extra)) for r in index.party_needs(index.id_to_row[f"RD{i}"])]
    assert rows and all(index.needs.has_object[r] for r in rows), [index.needs.text[r] for r in rows
                                                                   if not index.needs.has_object[r]][:3]


def test_a_statement_is_never_reduced_to_its_thin_nameless_clauses(corpus, hash_embed):
    orgs, projs = corpus
    # a long clause written by firms of every chain reads as common; each adds a short condition of its own
    head = "想在自己的应用中心配一台研磨机台做配方评价"
    rng = random.Random(3)
    words = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥春夏秋冬东南西北"
    extra = pd.DataFrame([_party(f"TH{i}", f"{head}，{''.join(rng.sample(words, 4))}", offers)
                          for i, offers in enumerate(orgs["offers"][orgs["offers"] != ""].head(60))])
    index = MatchIndex(pd.concat([orgs, extra], ignore_index=True), projs, hash_embed)
    for i in range(len(extra)):
        for r in index.party_needs(index.id_to_row[f"TH{i}"]):
            assert head in index.needs.object[r], (index.needs.text[r], index.needs.object[r])
