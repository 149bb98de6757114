"""Cities and districts as people write them, resolved against ``regions_hst.csv``."""

from __future__ import annotations

import pytest

from matchmaking.reference import industries, regions


@pytest.mark.parametrize(("raw", "city"), [
    ("上海", "Shanghai"), ("上海市", "Shanghai"), ("shanghai", "Shanghai"), ("Shanghai", "Shanghai"),
    ("SHANGHAI", "Shanghai"), ("ＳＨＡＮＧＨＡＩ", "Shanghai"), ("Shànghǎi", "Shanghai"), ("沪", "Shanghai"),
    (" 上海市 ", "Shanghai"), ("Shanghai City", "Shanghai"),
    ("苏州", "Suzhou"), ("苏州市", "Suzhou"), ("suzhou", "Suzhou"), ("江苏省苏州市", "Suzhou"),
    ("Jiangsu Suzhou", "Suzhou"), ("Sūzhōu", "Suzhou"),
    ("南通", "Nantong"), ("南通市", "Nantong"), ("Nantong City", "Nantong"), ("江苏南通", "Nantong"),
    ("Beijing", None), ("南京", None), ("", None),
    # the city named twice (province and city, as platform exports concatenate them), and a district or
    # zone written where the city belongs: the city it is in
    ("上海市上海市", "Shanghai"), ("Suzhou Industrial Park", "Suzhou"), ("昆山市", "Suzhou"), ("Kunshan", "Suzhou"),
    ("Suzhou, Jiangsu", "Suzhou"), ("Nantong, Jiangsu", "Nantong"), ("Shanghai, China", "Shanghai"),
    ("Suzhou City, Jiangsu Province", "Suzhou"), ("江苏苏州", "Suzhou"), ("苏州市（江苏省）", "Suzhou"),
    ("上海市市辖区", "Shanghai"), ("中国上海", "Shanghai"), ("SU ZHOU", "Suzhou"), ("蘇州", "Suzhou"),
    ("浙江省杭州市", None), ("沪苏通", None),
])
def test_city_spellings(raw, city):
    assert regions().city(raw) == city


@pytest.mark.parametrize(("city", "raw", "name_zh", "status"), [
    # Chinese names, short names, English names, pinyin with and without tones, full-width
    ("Suzhou", "吴中区", "吴中区", "ok"), ("Suzhou", "吴中", "吴中区", "ok"),
    ("Suzhou", "Wuzhong District", "吴中区", "ok"), ("Suzhou", "wuzhong", "吴中区", "ok"),
    ("Suzhou", "Wúzhōng Qū", "吴中区", "ok"), ("Suzhou", "ＷＵＺＨＯＮＧ", "吴中区", "ok"),
    ("Suzhou", "江苏省苏州市吴中区", "吴中区", "ok"), ("Suzhou", "苏州市吴中区", "吴中区", "ok"),
    ("Suzhou", "常熟", "常熟市", "ok"), ("Suzhou", "Changshu City", "常熟市", "ok"),
    ("Suzhou", "Kunshan (county-level city)", "昆山市", "ok"), ("Suzhou", "苏州市常熟市", "常熟市", "ok"),
    ("Suzhou", "苏州工业园区", "苏州工业园区", "ok"), ("Suzhou", "SIP", "苏州工业园区", "ok"),
    ("Suzhou", "高新区", "虎丘区", "ok"),
    ("Shanghai", "浦东", "浦东新区", "ok"), ("Shanghai", "Pudong New Area", "浦东新区", "ok"),
    ("Shanghai", "上海市浦东新区", "浦东新区", "ok"), ("Shanghai", "Jìng'ān Qū", "静安区", "ok"),
    ("Shanghai", "jingan", "静安区", "ok"), ("Shanghai", "Minhang District", "闵行区", "ok"),
    ("Nantong", "南通经济技术开发区", "南通经济技术开发区", "ok"), ("Nantong", "Rudong County", "如东县", "ok"),
    ("Nantong", "海安", "海安市", "ok"),
    # legacy names map to their successor, with a note
    ("Shanghai", "闸北区", "静安区", "legacy"), ("Shanghai", "卢湾区", "黄浦区", "legacy"),
    ("Shanghai", "南汇区", "浦东新区", "legacy"), ("Shanghai", "崇明县", "崇明区", "legacy"),
    ("Suzhou", "吴江市", "吴江区", "legacy"), ("Suzhou", "平江区", "姑苏区", "legacy"),
    ("Nantong", "海门市", "海门区", "legacy"), ("Nantong", "港闸区", "崇川区", "legacy"),
    ("Nantong", "海安县", "海安市", "legacy"), ("Nantong", "通州市", "通州区", "legacy"),
    # a district of another city, an unknown one, and 吴县市, split in 2001 between 吴中 and 相城
    ("Shanghai", "常熟", None, "other_city"), ("Nantong", "Wuzhong District", None, "other_city"),
    ("Suzhou", "浦东新区", None, "other_city"), ("Shanghai", "苏州市吴中区", None, "other_city"),
    ("Shanghai", "朝阳区", None, "unknown"), ("Suzhou", "foo", None, "unknown"),
    ("Suzhou", "吴县市", None, "split"), ("Suzhou", "吴县", None, "split"),
])
def test_district_spellings(city, raw, name_zh, status):
    m = regions().resolve_district(city, raw)
    assert m.status == status, (m.message, m.message_zh)
    assert (m.district.name_zh if m.district else None) == name_zh
    if status == "ok":
        assert m.message is None
    else:
        assert m.message and m.message_zh


def test_split_district_names_both_successors():
    m = regions().resolve_district("Suzhou", "吴县市")
    assert "吴中区" in m.message_zh and "相城区" in m.message_zh
    assert "Wuzhong" in m.message and "Xiangcheng" in m.message


def test_other_city_message_names_the_right_city():
    m = regions().resolve_district("Shanghai", "常熟")
    assert "Suzhou" in m.message and "苏州" in m.message_zh and "上海" in m.message_zh


def test_district_keeps_old_tuple_api():
    d, note = regions().district("Nantong", "海门市")
    assert d.name_zh == "海门区" and "海门区" in note


def test_every_current_district_resolves_by_each_of_its_names():
    for city in ("Shanghai", "Suzhou", "Nantong"):
        for d in regions().of_city(city):
            for raw in (d.name_zh, d.short_en, d.adcode):
                m = regions().resolve_district(city, raw)
                assert m.district == d, (city, raw, m)


@pytest.mark.parametrize(("raw", "digits", "section"), [
    ("C3973", "3973", "C"), ("c3973", "3973", "C"), ("3973", "3973", "C"), ("3973.0", "3973", "C"),
    ("C 3973", "3973", "C"), ("Ｃ３９７３", "3973", "C"), ("0111", "0111", "A"), ("65", "65", "I"),
])
def test_industry_codes(raw, digits, section):
    ind = industries()
    assert ind.normalise(raw) == digits
    assert ind.exists(digits) and ind.section(digits) == section
