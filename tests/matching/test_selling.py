"""A need to sell (customers, buyers, offtakers) is met by those who need what the party sells, never by
those who sell the same; a need for distributors or sales channels is met by those who offer them."""

import pandas as pd
import pytest

from matchmaking.matching import Matcher
from matchmaking.matching.explain import reasons, reasons_for_candidate
from matchmaking.matching.relations import intent_of, sold_object

from .conftest import orgs_index


@pytest.mark.parametrize("text, sold", [
    ("为碳纤维预浸料寻找下游客户", "碳纤维预浸料"),
    ("寻求交流伺服系统的批量采购方", "交流伺服系统"),
    ("传统封装（QFN、BGA、SOP）产能释放，寻找长期采购客户", "传统封装（QFN、BGA、SOP）产能释放"),
    ("Looking for volume buyers of our DBC / AMB copper-bonded ceramic substrates",
     "DBC / AMB copper-bonded ceramic substrates"),
    ("New capacity for NCM811 cathode materials – looking for customers", "New capacity for NCM811 cathode materials"),
    ("Seeking OEM customers and distributors for bulk industrial gases", "bulk industrial gases"),
])
def test_a_need_to_sell_is_read_with_what_it_sells(text, sold):
    assert intent_of(text) == "customer"
    assert sold_object(text) == sold


@pytest.mark.parametrize("text", [
    "寻找能服务海外客户的物流服务商",  # the customers are someone else's: a need for logistics
    "独家OTC品种想进入长三角的连锁药房，寻找渠道合作",  # a channel is a service others offer
    "Looking for distributors in East China",
    "寻找锂电池正极材料供应商",
])
def test_needs_that_are_not_to_sell(text):
    assert intent_of(text) != "customer"


def test_sold_object_keeps_the_statement_when_nothing_is_left():
    assert sold_object("寻找客户") == "寻找客户"


def _index(embed):
    orgs = pd.DataFrame([
        {"credit_code": "SELLER", "name": "seller", "city": "Nantong", "org_type": "enterprise",
         "offers": "碳纤维预浸料，T700级，年产能800吨", "seeks": "为碳纤维预浸料寻找下游客户"},
        {"credit_code": "RIVAL", "name": "rival", "city": "Suzhou", "org_type": "enterprise",
         "offers": "碳纤维预浸料与碳纤维织物", "seeks": "需要聚丙烯腈原丝"},
        {"credit_code": "BUYER", "name": "buyer", "city": "Shanghai", "org_type": "enterprise",
         "offers": "风电叶片与复合材料结构件", "seeks": "采购碳纤维预浸料，用于风电叶片主梁"},
        {"credit_code": "MIXED", "name": "mixed", "city": "Suzhou", "org_type": "enterprise",
         "offers": "碳纤维复合材料无人机机身", "seeks": "需要环氧树脂；为无人机机身寻找下游客户"},
        {"credit_code": "RESIN", "name": "resin", "city": "Nantong", "org_type": "enterprise",
         "offers": "环氧树脂与固化剂", "seeks": ""},
        {"credit_code": "FLEET", "name": "fleet", "city": "Shanghai", "org_type": "enterprise",
         "offers": "电力巡检服务", "seeks": "采购碳纤维复合材料无人机机身，用于电力巡检"},
    ])
    return orgs_index(embed, orgs)


def test_a_seller_gets_its_buyers_not_its_rivals(hash_embed):
    index = _index(hash_embed)
    assert index.sells[index.id_to_row["SELLER"]] and not index.sells[index.id_to_row["RIVAL"]]
    assert index.id_to_row["SELLER"] in index.query_rows()  # listed by match --all though it states no other need
    got = {m.candidate_id: m for m in Matcher(index).match("SELLER", 10)}
    assert "BUYER" in got and got["BUYER"].relation == "customer"
    assert "RIVAL" not in got or got["RIVAL"].score < got["BUYER"].score
    zh = reasons(got["BUYER"], index, "zh")
    assert any("碳纤维预浸料" in r and "可由您的" in r for r in zh), zh
    en = reasons_for_candidate(got["BUYER"], index, "en")
    assert any(r.startswith("you need") for r in en), en


def test_a_party_that_also_sells_gets_suppliers_and_buyers(hash_embed):
    index = _index(hash_embed)
    got = {m.candidate_id: m for m in Matcher(index).match("MIXED", 10)}
    assert got["RESIN"].relation == "supplier"  # its need for resin, met by an offer
    assert got["FLEET"].relation == "customer"  # its wish to sell, met by a need
