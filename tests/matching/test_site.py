"""选址: a site or production partner wanted in a named place; a candidate elsewhere loses points."""

import pandas as pd
import pytest

from matchmaking.matching import Matcher
from matchmaking.matching.explain import reasons, reasons_for_candidate
from matchmaking.matching.objects import places_named

from .conftest import orgs_index


@pytest.mark.parametrize("text, cities", [
    ("需要在苏州租用约3,000平方米单层厂房，最好在高新区或相城区", {"Suzhou"}),
    ("factory space in Songjiang or neighbouring districts", {"Shanghai"}),
    ("Pudong New Area or Lingang", {"Shanghai"}),
    ("需在上海或南通", {"Shanghai", "Nantong"}),
    ("如东县洋口港附近的化工用地", {"Nantong"}),
    ("苏州工业园区内的洁净厂房", {"Suzhou"}),
    ("长三角均可", {"Shanghai", "Suzhou", "Nantong"}),
    ("a SiP module line with 01005 placement", set()),  # System in Package is no place
    ("standard workshop with crane rails", set()),
])
def test_places_named(text, cities):
    assert set(places_named(text)) == cities


def _index(embed):
    orgs = pd.DataFrame([
        {"credit_code": "LAB", "name": "lab", "city": "Suzhou", "district": "相城区", "org_type": "institute",
         "offers": "水下机器人研发", "seeks": "水下机器人中试需要在苏州租用约3000平方米单层厂房，层高不低于10米、带5吨行车"},
        {"credit_code": "PARK_NT", "name": "park nt", "city": "Nantong", "org_type": "enterprise",
         "offers": "标准厂房出租，单层厂房层高10米，带5吨行车，约3000平方米起租", "seeks": ""},
        {"credit_code": "PARK_SZ", "name": "park sz", "city": "Suzhou", "org_type": "enterprise",
         "offers": "标准厂房出租，单层厂房层高10米，带5吨行车，约3000平方米起租", "seeks": ""},
        {"credit_code": "NOPLACE", "name": "no place", "city": "Shanghai", "org_type": "enterprise",
         "offers": "水下机器人推进器", "seeks": "需要单层厂房约2000平方米，层高8米"},
    ])
    return orgs_index(embed, orgs)


def test_a_site_wanted_in_a_city_costs_a_candidate_elsewhere(hash_embed):
    index = _index(hash_embed)
    got = {m.candidate_id: m for m in Matcher(index).match("LAB", 10)}
    nt, sz = got["PARK_NT"], got["PARK_SZ"]
    assert nt.part("site").points < 0 and sz.part("site") is None  # only a misfit is a part
    assert sz.score > nt.score
    zh = reasons(nt, index, "zh")
    assert any(r.startswith("选址不符：您要在苏州，对方在南通") for r in zh), zh
    en = reasons_for_candidate(nt, index, "en")
    assert any(r.startswith("site elsewhere: they want it in Suzhou; you are in Nantong") for r in en), en


def test_a_site_need_that_names_no_place_is_silent(hash_embed):
    index = _index(hash_embed)
    got = {m.candidate_id: m for m in Matcher(index).match("NOPLACE", 10)}
    assert got and all(m.part("site") is None for m in got.values())
