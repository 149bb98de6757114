"""What an official acts on: the agreement's net effect over the term (exact, adding up to the cent, equal to
the per-year tables, traced), the inputs that cannot change a result and why (checked by changing them),
the empty core, exact values as decimals, names instead of codes, scenarios side by side, and a workbook in
the reader's language with every sheet filled."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from itertools import combinations

import openpyxl
import pytest
from hypothesis import given, settings
from language_check import foreign_text
from test_bs_properties import scenarios

from benefit_sharing import allocate, evaluate, export_excel, load_scenario
from benefit_sharing.compare import set_path
from benefit_sharing.effect import format_amount, net_effect, years_text
from benefit_sharing.export import export_file_name
from benefit_sharing.forms import scenario_templates, templates_dir
from benefit_sharing.games import CooperativeGame, core_is_empty, least_core_excess, shapley
from benefit_sharing.labels import input_name
from benefit_sharing.money import format_exact
from benefit_sharing.scenario import Scenario
from benefit_sharing.views import side_by_side

D = Decimal
TEMPLATES = {p.stem: p for _, p in scenario_templates()}
WITH_AGREEMENTS = [s for s, p in TEMPLATES.items() if load_scenario(p).agreements]
WITH_ENTERPRISE = [s for s, p in TEMPLATES.items() if load_scenario(p).enterprise is not None]


def _amounts(result) -> dict:
    out: dict = defaultdict(Decimal)
    for r in result.rows:
        out[(r.year, r.tax, r.city, r.component, r.period)] += r.amount
    return dict(out)


# ---------------------------------------------------------------------------------------------- net effect
def _check_effect(result) -> None:
    effect = net_effect(result)
    assert effect is not None
    wvw = result.with_vs_without()
    for c in effect.cities:
        mine = wvw[wvw["city"] == c.city]
        assert c.transfer == sum(mine["transfer"], D(0)), "the total is the sum of the per-year transfers"
        assert c.without == sum(mine["without_agreements"], D(0))
        assert c.with_ == sum(mine["with_agreements"], D(0))
        assert c.with_ == c.without + c.transfer
        assert c.transfer == sum((t.transfer for t in c.by_tax), D(0)), "per tax adds up to the total"
        for t in c.by_tax:
            assert t.transfer == sum(mine[mine["tax"] == t.tax]["transfer"], D(0))
        for amount in (c.transfer, c.without, c.with_):
            assert amount == amount.quantize(result.precision), "exact to the cent"
    assert sum((c.transfer for c in effect.cities), D(0)) == 0, "what one city pays another receives"
    assert effect.moved == sum((-c.transfer for c in effect.cities if c.transfer < 0), D(0))
    assert sum((r.amount for r in effect.lines), D(0)) == 0
    assert all(r.component == "agreement" and r.rule and r.reference for r in effect.lines), "traced to its rule"
    frame = effect.frame()
    everyone = frame[frame["city"] == "all cities"].iloc[0]
    assert everyone["transfer"] == 0 and everyone["with_agreements"] == everyone["without_agreements"]


@pytest.mark.parametrize("stem", WITH_AGREEMENTS)
def test_net_effect_of_every_template_adds_up_and_matches_the_yearly_table(stem):
    _check_effect(evaluate(load_scenario(TEMPLATES[stem])))


@settings(max_examples=40, deadline=None)
@given(scenarios())
def test_net_effect_adds_up_to_the_cent_for_any_agreement(d):
    result = evaluate(Scenario.from_dict(d))
    if result.has_agreements:
        _check_effect(result)
    else:
        assert net_effect(result) is None


def test_bs07_net_effect_in_words_and_numbers():
    effect = net_effect(evaluate(load_scenario(TEMPLATES["bs07_sh_nt_phased_agreement"])))
    by_city = {c.city: c for c in effect.cities}
    # 30 + 57 + 90 + 205 + 250 + 0 (docs/benefit-sharing.md, BS-07)
    assert by_city["Shanghai"].transfer == D("632.00") == effect.moved
    assert by_city["Nantong"].transfer == D("-632.00")
    assert {t.tax: t.transfer for t in by_city["Shanghai"].by_tax} == {"cit": D("222.00"), "vat": D("410.00")}
    zh, en = effect.sentence("zh"), effect.sentence("en")
    assert zh.startswith("2026—2031年间，协议共将 632.00 万元市级收入从南通转移到上海（企业所得税 222.00、增值税 410.00）")
    assert en.startswith("Over 2026–2031 the agreement moves 632.00 ×10k yuan of city-level revenue from Nantong to "
                         "Shanghai (CIT 222.00, VAT 410.00)")
    assert "考核口径增加值：南通 −6,160.00、上海 +6,160.00" in zh
    assert foreign_text([zh], "zh") == [] and foreign_text([en], "en") == []


def test_years_and_amounts_as_written():
    assert years_text([2026, 2027, 2028]) == "2026–2028" and years_text([2026, 2028], "zh") == "2026、2028"
    assert format_amount(D("1368.00")) == "1,368.00" and format_amount(D("-0.50")) == "-0.50"


# ---------------------------------------------------------------------------------------------- unused inputs
def _perturbed(d: dict, path: str) -> dict:
    """The scenario with the input at ``path`` changed a lot (factors tripled, a markup or cost doubled)."""
    if ".factors." in path:
        m = re.match(r"establishments\[(.+)\]\.factors\.(\d{4})", path)
        assert m
        est = next(e for e in d["establishments"] if str(e["id"]) == m.group(1))
        f = est["factors"][int(m.group(2))]
        return set_path(d, f"{path}.revenue", D(str(f["revenue"])) * 3 + 7)
    if path == "enterprise.markup":
        return set_path(d, path, D(str(d["enterprise"]["markup"])) * 2 + D("0.05"))
    m = re.match(r"flows\.(\d{4})\.service_cost", path)
    assert m, path
    return set_path(d, path, D(str(d["flows"][int(m.group(1))]["service_cost"])) * 2 + 100)


@pytest.mark.parametrize("stem", WITH_ENTERPRISE)
def test_an_input_said_to_be_unused_changes_nothing_when_changed(stem):
    scenario = load_scenario(TEMPLATES[stem])
    result = evaluate(scenario)
    for u in result.unused:
        assert u.why and u.why_zh and u.reference, u
        changed = evaluate(Scenario.from_dict(_perturbed(scenario.to_dict(), u.path)))
        assert _amounts(changed) == _amounts(result), u.path


@pytest.mark.parametrize("stem", ["bs01_sh_hq_sz_nt_branches", "bs03_different_rates_hq_production_department"])
def test_factors_that_set_the_ratios_are_not_called_unused_and_do_matter(stem):
    scenario = load_scenario(TEMPLATES[stem])
    result = evaluate(scenario)
    factors = [f"establishments[{e.id}].factors.{y}" for e in scenario.establishments for y in e.factors]
    assert factors and not any(u.path in factors for u in result.unused)
    changed = evaluate(Scenario.from_dict(_perturbed(scenario.to_dict(), factors[0])))
    assert _amounts(changed) != _amounts(result)


@pytest.mark.parametrize(("stem", "path", "says", "cites"), [
    ("branch_vs_subsidiary_branch", "establishments[nt].factors.2025", "only one branch takes part in 2026",
     "国家税务总局公告2012年第57号 第十六条"),
    ("branch_vs_subsidiary_branch", "enterprise.markup", "internal", "第五十条"),
    ("branch_vs_subsidiary_branch", "flows.2026.service_cost", "internal", "第五十条"),
    ("intra_jiangsu_sz_hq_nt_branch", "establishments[nt].factors.2025", "all of T is paid at the head office",
     ""),
])
def test_the_rule_that_makes_an_input_unused_is_named(stem, path, says, cites):
    result = evaluate(load_scenario(TEMPLATES[stem]))
    u = next(u for u in result.unused if u.path == path)
    assert says in u.text("en") and cites in u.cites("en")
    assert u.text("zh") != u.text("en")


def test_factors_of_a_year_the_scenario_does_not_cover_and_of_separate_companies():
    d = load_scenario(TEMPLATES["bs01_sh_hq_sz_nt_branches"]).to_dict()
    d["establishments"][1]["factors"][2029] = {"revenue": 1, "payroll": 1, "assets": 1}
    result = evaluate(Scenario.from_dict(d))
    u = next(u for u in result.unused if u.path == "establishments[sz].factors.2029")
    assert "only for the CIT of 2030" in u.text("en")
    sub = load_scenario(TEMPLATES["branch_vs_subsidiary_subsidiary"]).to_dict()
    sub["establishments"][1]["factors"] = {2025: {"revenue": 1, "payroll": 1, "assets": 1}}
    u = evaluate(Scenario.from_dict(sub)).unused[0]
    assert "nothing is apportioned" in u.text("en") and u.reference.endswith("第五十条")


def test_a_loss_year_makes_the_factors_unused():
    d = load_scenario(TEMPLATES["bs01_sh_hq_sz_nt_branches"]).to_dict()
    d["flows"][2026]["taxable_income"] = -500
    result = evaluate(Scenario.from_dict(d))
    assert {u.path for u in result.unused} == {"establishments[sz].factors.2025", "establishments[nt].factors.2025"}


# ---------------------------------------------------------------------------------------------- games
def _game(values: dict[str, int]) -> CooperativeGame:
    players = ("Shanghai", "Suzhou", "Nantong")
    return CooperativeGame(players, {frozenset(k.split("+")): Fraction(v) for k, v in values.items()})


def _values(single: int, pair: int, grand: int) -> dict[str, int]:
    players = ("Shanghai", "Suzhou", "Nantong")
    out = {p: single for p in players}
    out.update({"+".join(c): pair for c in combinations(players, 2)})
    out["+".join(players)] = grand
    return out


def test_least_core_says_when_the_core_is_empty():
    assert least_core_excess(_game(_values(0, 100, 100))) == Fraction(100, 3)  # every pair short by 100/3
    assert core_is_empty(_game(_values(0, 100, 100)))
    assert not core_is_empty(_game(_values(0, 100, 150)))  # 50 each: every pair gets exactly its 100
    assert least_core_excess(_game(_values(0, 100, 150))) == 0
    assert least_core_excess(_game(_values(0, 100, 180))) == -20  # 60 each: every pair 20 better off
    bs08 = load_scenario(TEMPLATES["bs08_joint_project_game"]).game
    assert bs08 is not None and not core_is_empty(CooperativeGame(bs08.players, bs08.values))


def test_an_empty_core_is_warned_about_in_both_languages():
    warned: list = []
    game = {"players": ["Shanghai", "Suzhou", "Nantong"], "values": _values(0, 100, 100), "rules": ["shapley"]}
    allocations = allocate(game, warn=lambda *w: warned.append(w))
    assert [w[0] for w in warned] == ["core_empty"]
    assert "some group of players would earn more on its own" in warned[0][1] and "33.3333…" in warned[0][1]
    assert "核心" in warned[0][2] and foreign_text([warned[0][2]], "zh") == []
    assert sum((a.amount for a in allocations), D(0)) == D("100.00") and not any(a.in_core for a in allocations)
    quiet: list = []
    allocate({**game, "values": _values(0, 100, 150)}, warn=lambda *w: quiet.append(w))
    assert quiet == []


def test_exact_values_are_decimals_with_their_fraction():
    assert format_exact(Fraction(470, 3)) == ("156.666667…", "470/3")
    assert format_exact(Fraction(155)) == ("155", "")
    assert format_exact(Fraction(313, 2)) == ("156.5", "")
    x = shapley(_game(_values(0, 100, 100)))
    assert {format_exact(v) for v in x.values()} == {("33.333333…", "100/3")}


# ---------------------------------------------------------------------------------------------- names
@pytest.mark.parametrize("stem", WITH_ENTERPRISE)
def test_every_traced_parameter_and_input_has_a_name(stem):
    result = evaluate(load_scenario(TEMPLATES[stem]))
    for lang in ("zh", "en"):
        trace = result.trace_frame(lang)
        named = trace[trace["parameter"] != ""]
        assert (named["parameter_name"] != named["parameter"]).all(), named[named["parameter_name"] == named["parameter"]]
        assert not named["parameter_name"].str.contains(r"[a-z]+\.[a-z_]+|\[", regex=True).any()
        if lang == "zh":
            assert foreign_text(list(named["parameter_name"].unique()), "zh") == []
        values = " ".join(trace["value"])
        ids = {e.id for e in result.source.establishments}
        assert not any(re.search(rf"\br_{re.escape(i)}\b", values) for i in ids), "r_sz: an id, not a name"


def test_input_names():
    s = load_scenario(TEMPLATES["bs07_sh_nt_phased_agreement"])
    assert input_name("local_split.Jiangsu.cit.province_share", "zh") == "江苏省级分成比例（企业所得税）"
    assert input_name("local_split.Zhejiang.vat.province_share", "en") == "Zhejiang's provincial part of local VAT"
    assert input_name("flows.vat_payable.nt", "zh", s) == "南通生产机构：应缴增值税"
    assert input_name("agreements[0].host_share", "zh", s) == "协议“沪通产业转移工厂”：分享方留成比例"
    assert input_name("establishments[sh].factors.2025", "en", s) == "Shanghai head office: apportionment factors of 2025"
    assert input_name("no.such.thing", "en", s) == "no.such.thing"


# ---------------------------------------------------------------------------------------------- side by side
def test_side_by_side_adds_up_and_differences_are_exact():
    results = [evaluate(load_scenario(TEMPLATES[s])) for s in
               ("branch_vs_subsidiary_branch", "branch_vs_subsidiary_subsidiary", "bs07_sh_nt_phased_agreement")]
    table = side_by_side(results, ["branch", "subsidiary", "bs07"])
    assert list(table.columns) == ["city", "level", "branch", "subsidiary", "bs07", "Δ subsidiary", "Δ bs07"]
    for title, result in zip(["branch", "subsidiary", "bs07"], results, strict=True):
        paid = sum((r.amount for r in result.rows if r.component == "paid" and r.tax != "value_added"), D(0))
        everyone = table[(table["city"] == "all cities") & (table["level"] == "total")][title].iloc[0]
        assert everyone == paid, "over the term, all levels of all cities add up to every tax paid"
        per_city = table[(table["city"] != "all cities") & (table["level"] == "total")][title]
        assert sum(per_city, D(0)) == paid
    assert (table["Δ bs07"] == table["bs07"] - table["branch"]).all()
    with pytest.raises(ValueError, match="'titles' parameter of side_by_side"):
        side_by_side(results, ["one"])


# ---------------------------------------------------------------------------------------------- the workbook
@pytest.mark.parametrize("stem", list(TEMPLATES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_workbook_speaks_the_readers_language_and_every_sheet_is_filled(stem, lang):
    result = evaluate(load_scenario(TEMPLATES[stem]))
    buffer = io.BytesIO()
    export_excel(result, buffer, lang=lang)
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    allowed = [re.compile(r"[\u4e00-\u9fff〔〕0-9]*(?:号|法|条|条例|规定|协议|（示例）)"), "财政部", "国家税务总局",
               "国家统计局 地区生产总值统一核算", "万元"]
    for ws in wb.worksheets:
        assert ws.max_row >= 2, f"{stem}: sheet {ws.title!r} is empty"
        header = [str(c.value) for c in ws[1] if c.value is not None]
        assert foreign_text([ws.title, *header], lang, allowed) == [], (stem, ws.title, header)
    if lang == "zh":
        assert wb.sheetnames[0] == "说明" and "计算追溯" in wb.sheetnames or "收益分配" in wb.sheetnames
        taxes = {c.value for c in wb["明细"]["B"][1:]} if "明细" in wb.sheetnames else set()
        assert taxes <= {"企业所得税", "增值税", "城建税及教育费附加", "个人所得税", "增加值"}
    if result.allocations:
        assert ("收益分配" if lang == "zh" else "Allocations") in wb.sheetnames
    else:
        assert not {"收益分配", "Allocations"} & set(wb.sheetnames), "no empty allocations sheet"
    name = export_file_name(result, lang)
    assert name.endswith(".xlsx") and re.fullmatch(r"[\w\-]+\.xlsx", name), name
    assert name[:4] == result.source.title(lang)[:4].replace(" ", "_"), "named after the scenario"


def test_the_cli_workbook_keeps_its_codes():
    result = evaluate(load_scenario(TEMPLATES["bs07_sh_nt_phased_agreement"]))
    buffer = io.BytesIO()
    export_excel(result, buffer)
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert wb.sheetnames == ["about", "summary", "rows", "with_vs_without", "net_effect", "warnings", "trace"]
    assert [c.value for c in wb["net_effect"][1]] == ["city", "tax", "without_agreements", "transfer",
                                                      "with_agreements"]
    with pytest.raises(ValueError, match="'lang' parameter of export_excel"):
        export_excel(result, io.BytesIO(), lang="fr")


def test_templates_dir_has_the_scenarios():
    assert (templates_dir() / "bs07_sh_nt_phased_agreement.yaml").exists()
