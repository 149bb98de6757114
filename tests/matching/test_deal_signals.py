"""The signals that judge a deal (an investor and an investee: focus, round, ticket size) and the
coverage of several needs."""

import numpy as np
import pandas as pd
import pytest

from matchmaking.matching import MatchConfig, Matcher, relations, signals
from matchmaking.matching.explain import reasons, reasons_for_candidate
from matchmaking.matching.signals import Pairs, rounds_in
from matchmaking.reference import chains_named

from .conftest import orgs_index

INVESTOR = relations.RELATIONS.index("investor")
SUPPLIER = relations.RELATIONS.index("supplier")


@pytest.mark.parametrize("text, chains", [
    ("对人工智能和集成电路企业进行成长期及并购投资", {"AI", "IC"}),
    ("Series A to C equity in high-end equipment and new-materials companies", {"EQP", "MAT"}),
    ("Late-stage and growth equity for biopharma, medtech and healthcare services", {"BIO"}),
    ("long-term partnerships with shipyards", {"MAR"}),
    ("a lockstep microcontroller sold across Europe", set()),  # CRO inside a word is not a CRO
    ("Seed and angel cheques of CNY 5–30 million", set()),
])
def test_chains_named_reads_sector_words_in_both_languages(text, chains):
    assert set(chains_named(text)) == chains


@pytest.mark.parametrize("text, rounds", [
    ("A轮至C轮股权投资，单笔5000万至5亿元", {1, 2, 3}),
    ("Series B to pre-IPO rounds in battery materials", {2, 3, 4}),
    ("天使轮和A轮投资", {0, 1}),
    ("以成长期和Pre-IPO为主的产业投资", {2, 3, 4}),
    ("Seed and angel cheques of CNY 5–30 million", {0}),
    ("同时启动C轮融资约3亿元", {3}),
    ("Raising a CNY 150 million Series B to move from pilot assembly", {2}),
    ("公司正在进行B+轮融资，目标15亿元", {2}),
    ("Pre-A轮融资2000万", {1}),
    ("a B2B platform for a 2.5D interposer", set()),
])
def test_rounds_in(text, rounds):
    assert rounds_in(text) == rounds


def _index(hash_embed, investors, investees):
    rows = [{"credit_code": f"I{i}", "name": f"inv{i}", "city": "Shanghai", "org_type": "investor",
             "offers": text, "seeks": ""} for i, text in enumerate(investors)]
    rows += [{"credit_code": f"E{i}", "name": f"firm{i}", "city": "Suzhou", "org_type": "enterprise",
              "offers": offers, "seeks": seeks} for i, (offers, seeks) in enumerate(investees)]
    return orgs_index(hash_embed, rows)


def test_focus_round_and_ticket_judge_the_investor_for_the_investee(hash_embed):
    index = _index(hash_embed, [
        "集成电路产业基金，B轮至Pre-IPO股权投资，单笔2亿至10亿元",  # fits all three
        "Seed and angel cheques of CNY 5–30 million in biopharma",  # fits none
        "股权投资",  # says nothing: silent
    ], [("12英寸晶圆代工与特色工艺芯片制造", "同时启动C轮融资约3亿元")])
    q = index.id_to_row["E0"]
    pairs = Pairs(index, MatchConfig(), q, np.array([0, 1, 2]), np.array([INVESTOR] * 3))
    focus, stage, capacity = (signals.signal(n).values(pairs) for n in ("focus", "stage", "capacity"))
    assert focus[0] == 1.0 and focus[1] == -1.0 and np.isnan(focus[2])  # a known misfit counts against the pair
    assert stage[0] == 1.0 and stage[1] == 0.0 and np.isnan(stage[2])
    assert capacity[0] == 1.0 and capacity[1] < 0.5 and np.isnan(capacity[2])  # 3亿 against 500–3000万
    # a pair not about capital: all three are silent
    other = Pairs(index, MatchConfig(), q, np.array([0]), np.array([SUPPLIER]))
    assert all(np.isnan(signals.signal(n).values(other)[0]) for n in ("focus", "stage", "capacity"))


def test_a_focus_elsewhere_costs_the_pair_points_and_says_why_to_both_sides(hash_embed):
    index = _index(hash_embed, ["集成电路产业基金，B轮至Pre-IPO股权投资", "Growth equity in biopharma and medtech"],
                   [("12英寸晶圆代工与特色工艺芯片制造", "同时启动C轮融资约3亿元")])
    got = {m.candidate_id: m for m in Matcher(index).match("E0", 10)}
    fits, elsewhere = got["I0"].part("focus"), got["I1"].part("focus")
    assert fits.points > 0 and elsewhere.points < 0 and elsewhere.points == -fits.points
    assert got["I0"].score > got["I1"].score
    zh = reasons(got["I1"], index, "zh")
    en = reasons_for_candidate(got["I1"], index, "en")
    assert any(r.startswith("投资方向不符：投资方关注生物医药") and "集成电路" in r for r in zh), zh
    assert any(r.startswith("investment focus elsewhere: the investor backs Biomedicine") for r in en), en


def test_an_investor_seeking_deals_finds_an_organisation_raising_capital(hash_embed):
    index = _index(hash_embed, ["集成电路产业基金，B轮至Pre-IPO股权投资"], [
        ("12英寸晶圆代工与特色工艺芯片制造", "启动C轮融资约3亿元"),  # raising: its offers are a deal to read
        ("12英寸晶圆代工与特色工艺芯片制造", "需要光刻胶"),  # not raising
    ])
    index.parties.loc[0, "seeks"] = ""
    inv = pd.DataFrame([{"credit_code": "I0", "name": "inv0", "city": "Shanghai", "org_type": "investor",
                         "offers": "集成电路产业基金，B轮至Pre-IPO股权投资", "seeks": "寻找晶圆制造企业进行股权投资"},
                        *index.parties.iloc[1:][["pid", "name", "city", "org_type", "offers", "seeks"]]
                        .rename(columns={"pid": "credit_code"}).to_dict("records")])
    index = orgs_index(hash_embed, inv)
    found = {m.candidate_id: m for m in Matcher(index, MatchConfig(exhaustive=True)).match("I0", top_k=5)}
    assert "E0" in found and "E1" not in found
    assert found["E0"].relation == "investment_opportunity"
    assert {p.signal for p in found["E0"].parts} >= {"focus", "stage"}


@pytest.mark.parametrize("seeks", [
    "寻找计划在南通落地的新能源汽车产业链项目，尤其是电池材料和回收利用方向",  # reads as production (落地)
    "寻找长三角高校和院所孵化的前沿材料早期项目",  # reads as R&D (高校和院所)
    "new materials, chemicals substitution, composites, nano",  # a bare list of sectors
    "Looking for Series B–C companies in battery materials",  # reads as capital
])
def test_what_an_investor_seeks_is_deals_however_it_is_worded(hash_embed, seeks):
    rows = [{"credit_code": "I0", "name": "inv0", "city": "Nantong", "org_type": "investor", "offers": "股权投资",
             "seeks": seeks},
            {"credit_code": "F0", "name": "firm0", "city": "Suzhou", "org_type": "enterprise", "offers": "锂电正极材料",
             "seeks": "寻找计划在南通落地的生产基地项目"}]  # a firm's need of the same words stays what it reads as
    index = orgs_index(hash_embed, rows)
    intents = {index.pid[index.needs.party[r]]: relations.INTENTS[index.needs.intent[r]]
               for r in range(len(index.needs.text))}
    assert intents["I0"] == "opportunity" and intents["F0"] == "production"


def test_coverage_answers_each_need_and_keeps_scores_falling(hash_embed):
    # eight suppliers of one thing, one of another: without coverage the second need waits at rank 9
    rows = [{"credit_code": "Q", "name": "q", "city": "Shanghai", "offers": "整车制造",
             "seeks": "需要光刻胶稳定供应；同时寻找碳纤维预浸料供应商"}]
    rows += [{"credit_code": f"P{i}", "name": f"p{i}", "city": "Suzhou", "offers": f"光刻胶稳定供应：KrF与ArF光刻胶（{i}）"}
             for i in range(8)]
    rows += [{"credit_code": "C0", "name": "c0", "city": "Nantong", "offers": "碳纤维自行车车架与复合材料制品"}]
    index = orgs_index(hash_embed, rows)
    plain = Matcher(index, MatchConfig(exhaustive=True, weights=signals_weights(coverage=0.0))).match("Q", 9)
    covered = Matcher(index, MatchConfig(exhaustive=True)).match("Q", 9)
    rank = {m.candidate_id: m.rank for m in covered}
    assert [m.candidate_id for m in plain][-1] == "C0" and rank["C0"] <= 3
    assert all(a.score >= b.score - 1e-9 for a, b in zip(covered, covered[1:], strict=False))
    for m in covered:
        assert abs(sum(p.points for p in m.parts) - m.score) < 1e-9
        cover = [p for p in m.parts if p.signal == "coverage"]
        assert not cover or (cover[0].points < 0 and cover[0].evidence["listed_above"] >= 1)
    assert {m.candidate_id for m in plain} == {m.candidate_id for m in covered}  # the same nine, reordered


def signals_weights(**kw):
    from dataclasses import replace

    from matchmaking.matching import Weights
    return replace(Weights(), **kw)


def test_an_investors_focus_is_read_from_what_it_says_about_investing(hash_embed):
    index = _index(hash_embed, [
        "Series B to pre-IPO equity in biologics, medtech and diagnostics. Introductions to SIP landlords and "
        "semiconductor foundries.",
        "成长期股权投资，单笔5000万至5亿元；可协助对接新能源汽车和光伏客户。",  # says nothing of its sectors: all texts
    ], [("12英寸晶圆代工与特色工艺芯片制造", "同时启动C轮融资约3亿元")])
    q = index.id_to_row["E0"]
    focus = signals.signal("focus").values(Pairs(index, MatchConfig(), q, np.array([0, 1]), np.array([INVESTOR] * 2)))
    assert focus[0] == -1.0  # the foundry introductions are help, not where the money goes
    assert focus[1] == -1.0  # its only sector words are the customers it introduces: still read


def test_a_capital_need_is_judged_on_the_deal_not_on_the_wording(hash_embed):
    # the healthcare fund's blurb is worded almost as the raise is; the chip fund's is not
    index = _index(hash_embed, [
        "C轮融资约3亿元的成长期股权投资，生物医药方向",
        "集成电路产业基金，B轮至Pre-IPO，单笔2亿至10亿元",
    ], [("12英寸晶圆代工与特色工艺芯片制造", "同时启动C轮融资约3亿元")])
    got = {m.candidate_id: m for m in Matcher(index).match("E0", 10)}
    chips, health = got["I1"], got["I0"]
    for m in (chips, health):
        signals_of = [p.signal for p in m.parts]
        assert "capital" in signals_of and not {"dense", "sparse", "concept"} & set(signals_of), signals_of
        assert m.part("capital").points == pytest.approx(MatchConfig().weights.capital)
    assert chips.score > health.score  # focus, round and ticket decide
    zh = reasons(chips, index, "zh")
    assert any(r.startswith("您的融资需求“同时启动C轮融资约3亿元”") for r in zh), zh
    en = reasons_for_candidate(chips, index, "en")
    assert any(r.startswith("their capital need") for r in en), en


def test_round_and_ticket_over_arrays_are_the_per_pair_rules(hash_demo):
    """``stage`` and ``capacity`` judge every pair about capital at once; on the demo's parties (every pair
    read as about capital) they give what the rules give pair by pair: a round in common 1, neighbouring
    rounds 0.5, else 0 (silent without rounds on both sides); ``capacity_fit`` of the raise and the ticket."""
    from matchmaking.services import build_matcher
    from matchmaking.store import Store

    store = Store(hash_demo)
    try:
        built = build_matcher(store, keep=False)
    finally:
        store.close()
    ix, cfg = built.index, built.matcher.config
    stage = next(s for s in signals.PAIR_SIGNALS if s.name == "stage")
    capacity = next(s for s in signals.PAIR_SIGNALS if s.name == "capacity")
    rounds = [frozenset(r for r in range(5) if int(b) >> r & 1) for b in ix.prepared["stage"]]
    raise_wan, lo, hi = ix.prepared["capacity"]
    tickets = [None if np.isnan(a) else (float(a), float(b)) for a, b in zip(lo, hi, strict=True)]

    def round_fit(a, b):
        if not a or not b:
            return None
        return 1.0 if a & b else 0.5 if min(abs(x - y) for x in a for y in b) == 1 else 0.0

    judged = {"stage": 0, "capacity": 0}
    for q in range(0, ix.n, 7):
        cand = np.array([c for c in range(ix.n) if c != q], dtype=np.int64)
        pairs = Pairs(ix, cfg, q, cand, np.full(len(cand), INVESTOR))
        investor, investee = signals.deal.deal_sides(pairs)
        got_stage, got_capacity = stage.values(pairs), capacity.values(pairs)
        for j, (a, b) in enumerate(zip(investor, investee, strict=True)):
            want = round_fit(rounds[a], rounds[b]) if a >= 0 else None
            assert (np.isnan(got_stage[j]) if want is None else got_stage[j] == want), (q, j)
            amount = float(raise_wan[b]) if a >= 0 and not np.isnan(raise_wan[b]) else None
            want = signals.capacity_fit(amount, tickets[a]) if a >= 0 else None
            assert (np.isnan(got_capacity[j]) if want is None else got_capacity[j] == pytest.approx(want, abs=1e-12)), (q, j)
            judged["stage"] += not np.isnan(got_stage[j])
            judged["capacity"] += not np.isnan(got_capacity[j])
    assert judged["stage"] > 50 and judged["capacity"] > 50  # the demo has investors with rounds and tickets
