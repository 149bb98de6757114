"""利益分享 page, in the real app (in each language, every template, the form and the game panel); and
the library functions it uses (``benefit_sharing.forms``, ``benefit_sharing.views``)."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from app_testing import open_page
from app_testing import table as _table
from language_check import app_texts, foreign_text

from benefit_sharing import ScenarioError, evaluate, load_scenario
from benefit_sharing.effect import net_effect
from benefit_sharing.forms import (
    FormValues,
    allocation_from_rows,
    changed_inputs,
    coalition_rows,
    form_frame,
    form_values,
    load_scenario_bytes,
    scenario_from_form,
    scenario_templates,
    scenario_yaml,
    templates_dir,
    why_unchanged,
)
from benefit_sharing.scenario import Scenario
from benefit_sharing.views import allocations_table, excel_bytes, receipts_by_level

BS01 = "bs01_sh_hq_sz_nt_branches"
BS07 = "bs07_sh_nt_phased_agreement"
BS08 = "bs08_joint_project_game"
ONE_BRANCH = "branch_vs_subsidiary_branch"
D = Decimal
# a game whose Shapley value is in thirds and whose core is empty: every pair earns 100 alone, all three 100
THIRDS = """name: Thirds
name_zh: 三分之一
game:
  players: [Shanghai, Suzhou, Nantong]
  values: {Shanghai: 0, Suzhou: 0, Nantong: 0, Shanghai+Suzhou: 100, Shanghai+Nantong: 100, Suzhou+Nantong: 100,
           Shanghai+Suzhou+Nantong: 100}
  rules: [shapley, nucleolus, equal]
"""
STEMS = [p.stem for _, p in scenario_templates()]
#: Names the English page shows as they are: statutes and official documents (named in Chinese; their
#: names end in 号, 法, 条…) and the bodies that issue them. The unit is named in English (×10k yuan).
NAMES = [re.compile(r"[\u4e00-\u9fff〔〕0-9]*(?:号|法|条|条例|规定|协议)"), "财政部", "国家税务总局",
         "国家统计局 地区生产总值统一核算"]
#: What a Chinese workbook may hold in Latin letters: the templates' enterprise and agreement names, the
#: statutes' own wording, parameter codes (in their own column), enum values.
NAMES_ZH = ["Relocated Plant Co.", "SH-NT relocated plant", "centralized_at_hq", "apportion_like_national",
            "as_hq_half"]


def _template(at, stem):
    at.selectbox(key="benefit.template").set_value(stem).run()
    assert not at.exception, at.exception
    return at


def _in_one_language(at, lang, what):
    assert not at.exception, (what, at.exception)
    assert not at.error, (what, [e.value for e in at.error])
    assert foreign_text(app_texts(at), lang, NAMES if lang == "en" else ()) == [], what


def _allocations(at):
    """The allocation table (a static table: its exact values carry their fraction on hover)."""
    assert at.table, "no allocation table"
    return at.table[-1].value


def _paid(table, year, tax, city):
    line = table[(table["year"] == year) & (table["tax"] == tax) & (table["city"] == city)]
    assert len(line) == 1, line
    return line["paid"].iloc[0]


# ---------------------------------------------------------------------------------------------- the page
def test_page_renders_in_both_languages_and_every_source(app):
    at = open_page(app, "benefit", "zh")
    assert at.title[0].value == "跨城利益分享测算"
    assert at.get("plotly_chart"), "receipts by level are drawn"
    assert at.get("download_button"), "the Excel download is offered"
    at.radio(key="_lang_radio").set_value("English").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Inter-city benefit sharing"
    for source in ("form", "upload", "template"):
        at.radio(key="benefit.source").set_value(source).run()
        assert not at.exception, (source, at.exception)
        assert not at.error, (source, [e.value for e in at.error])


def test_every_template_renders_as_a_template_and_in_the_form(app):
    at = open_page(app, "benefit", "en")
    stems = [p.stem for _, p in scenario_templates()]
    for stem in stems:
        at = _template(at, stem)
        assert not at.error, (stem, [e.value for e in at.error])
    at.radio(key="benefit.source").set_value("form").run()
    starts = at.selectbox(key="benefit.form.start").options
    assert len(starts) == len(stems) - 1, "every template with an enterprise can start the form"
    for stem in stems:
        if stem == BS08:
            continue
        at.selectbox(key="benefit.form.start").set_value(stem).run()
        assert not at.exception, (stem, at.exception)
        assert not at.error, (stem, [e.value for e in at.error])


def test_bs01_template_shows_the_spec_figures(app):
    at = open_page(app, "benefit", "en")
    at = _template(at, BS01)
    summary = _table(at, "year", "tax", "city", "paid", "central")
    assert _paid(summary, 2026, "CIT", "Shanghai") == D("1250.00")
    assert _paid(summary, 2026, "CIT", "Suzhou") == D("587.50")
    assert _paid(summary, 2026, "CIT", "Nantong") == D("662.50")
    levels = _table(at, "year", "city", "central", "total")
    sh = levels[levels["city"] == "Shanghai"].iloc[0]
    assert (sh["central"], sh["national_pool"], sh["municipal"]) == (D("900.00"), D("250.00"), D("436.00"))
    assert any("national pool" in w.value.lower() for w in at.warning), "unsettled points are warned about"
    trace = _table(at, "row", "rule", "parameter", "reference")
    assert (trace["parameter"] == "cit.cross_province.hq_share").any()
    named = trace[trace["parameter"] == "cit.cross_province.hq_share"]["parameter_name"]
    assert set(named) == {"head office's share of T"}, "a parameter is shown by its name"
    assert trace["value"].str.contains(r"r\(Suzhou production\) = 0\.35×6000/10000", regex=True).any(), \
        "an establishment is named, not 'sz'"
    assert at.text_input(key="benefit.trace_text")


def test_bs01_in_chinese_labels_cities_and_taxes(app):
    at = open_page(app, "benefit", "zh")
    summary = _table(at, "year", "tax", "city", "paid")
    assert _paid(summary, 2026, "企业所得税", "上海") == D("1250.00")


def test_trace_filter_narrows_the_lines(app):
    at = open_page(app, "benefit", "en")
    full = len(_table(at, "row", "rule", "parameter", "reference"))
    at.text_input(key="benefit.trace_text").input("factor_weight").run()
    lines = _table(at, "row", "rule", "parameter", "reference")
    assert 0 < len(lines) < full and lines["parameter"].str.contains("factor_weight").all()


def test_bs07_shows_with_vs_without_side_by_side(app):
    at = open_page(app, "benefit", "en")
    at = _template(at, BS07)
    wvw = _table(at, "year", "tax", "without_agreements", "transfer", "with_agreements")
    vat26 = wvw[(wvw["year"] == 2026) & (wvw["tax"] == "VAT")].set_index("city")
    assert vat26.loc["Nantong", "transfer"] == D("-30.00") and vat26.loc["Shanghai", "transfer"] == D("30.00")
    assert vat26.loc["Nantong", "without_agreements"] == D("100.00")
    assert vat26.loc["Nantong", "with_agreements"] == D("70.00")
    assert len(at.get("plotly_chart")) >= 3, "receipts, without and with"


def test_bs08_allocation_panel_gives_the_shapley_value(app):
    at = open_page(app, "benefit", "en")
    at = _template(at, BS08)
    alloc = _allocations(at)
    shapley = alloc[alloc["Rule"] == "Shapley value"].set_index("Player")
    assert shapley["Amount (×10k yuan)"].to_dict() == {"Shanghai": "200.00", "Suzhou": "155.00", "Nantong": "95.00"}
    assert (shapley["In the core"] == "yes").all()
    assert not any("BS-08" in s.value for s in at.subheader), "a scenario's own game is not labelled an example"
    at.multiselect(key=next(m.key for m in at.multiselect if m.key.endswith(".rules"))).set_value(["equal"]).run()
    alloc = _allocations(at)
    assert set(alloc["Rule"]) == {"Equal split"} and set(alloc["Amount (×10k yuan)"]) == {"150.00"}


def test_the_game_panel_shows_only_a_scenarios_own_game_or_a_labelled_example(app):
    at = open_page(app, "benefit", "en")  # BS-01: a firm, no game
    assert not at.table and not any("cooperative game" in s.value for s in at.subheader)
    at.toggle(key="benefit.example").set_value(True).run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Example: BS-08") for s in at.subheader)
    assert any("not part of the current scenario" in i.value for i in at.info)
    assert len(_allocations(at)) == 18


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_exact_values_are_decimals_the_empty_core_is_warned_and_the_rules_explained(app, lang):
    at = open_page(app, "benefit", lang)
    at.radio(key="benefit.source").set_value("upload").run()
    at.file_uploader(key="benefit.upload").set_value(("thirds.yaml", THIRDS.encode(), "application/x-yaml")).run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    alloc = _allocations(at)
    exact = alloc.columns[3]
    assert set(alloc[exact]) == {"33.333333…"} and not alloc[exact].str.contains("/").any(), "no 100/3 on the page"
    amounts = alloc[alloc.columns[2]].map(D)
    assert sorted(amounts.groupby(alloc[alloc.columns[0]]).sum().unique()) == [D("100.00")], "splits add up"
    title = "核心为空" if lang == "zh" else "The core is empty"
    assert any(w.value.startswith(f"**{title}**") for w in at.warning), [w.value for w in at.warning]
    explained = next(e for e in at.expander if e.label in ("这些分配规则是什么意思？", "What do these rules mean?"))
    text = " ".join(m.value for m in explained.markdown)
    for rule in (("夏普利值", "核仁", "平均分配") if lang == "zh" else ("Shapley value", "Nucleolus", "Equal split")):
        assert f"**{rule}**" in text
    assert ("平均贡献" if lang == "zh" else "average contribution") in text
    _in_one_language(at, lang, "thirds")


def test_bad_uploaded_scenario_shows_one_error_line(app):
    at = open_page(app, "benefit", "en")
    at.radio(key="benefit.source").set_value("upload").run()
    bad = (templates_dir() / f"{BS07}.yaml").read_text(encoding="utf-8").replace("2029-01-01: 0.5", "2029-01-01: 1.4")
    at.file_uploader(key="benefit.upload").set_value(("mine.yaml", bad.encode(), "application/x-yaml")).run()
    assert not at.exception, at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "\n" not in message and "mine.yaml" in message and "host_share['2029-01-01'] = 1.4" in message
    good = (templates_dir() / f"{BS01}.yaml").read_bytes()
    at.file_uploader(key="benefit.upload").set_value(("ok.yaml", good, "application/x-yaml")).run()
    assert not at.error and _paid(_table(at, "year", "tax", "city", "paid"), 2026, "CIT", "Suzhou") == D("587.50")


def test_form_starts_from_bs01_and_follows_its_fields(app):
    at = open_page(app, "benefit", "en")
    at.radio(key="benefit.source").set_value("form").run()
    assert not at.error, [e.value for e in at.error]
    assert _paid(_table(at, "year", "tax", "city", "paid"), 2026, "CIT", "Shanghai") == D("1250.00")
    prefix = f"benefit.f.{BS01}."
    at.number_input(key=prefix + "cit_rate").set_value(0.15).run()
    assert not at.exception, at.exception
    assert _paid(_table(at, "year", "tax", "city", "paid"), 2026, "CIT", "Shanghai") == D("750.00")
    # a cell edit (as the grid sends it): Suzhou's VAT 2026 from 400 to 1000
    flows = form_frame(form_values(load_scenario(templates_dir() / f"{BS01}.yaml")).flows, ["year", "id"])
    row = int(flows.index[(flows["id"] == "sz") & (flows["year"] == 2026)][0])
    at.session_state[prefix + "flows"] = {"edited_rows": {row: {"vat_payable": 1000}}, "added_rows": [],
                                           "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    assert _paid(_table(at, "year", "tax", "city", "paid"), 2026, "VAT", "Suzhou") == D("1000.00")


def test_form_error_is_one_line(app):
    at = open_page(app, "benefit", "en")
    at.radio(key="benefit.source").set_value("form").run()
    at.multiselect(key=f"benefit.f.{BS01}.years").set_value([2026, 2027]).run()
    assert not at.exception, at.exception
    assert len(at.error) == 1 and "flows.2027: missing" in at.error[0].value


# ---------------------------------------------------------------------------------------------- one language
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_template_is_shown_in_one_language(app, lang):
    at = open_page(app, "benefit", lang)
    for stem in STEMS:
        _in_one_language(_template(at, stem), lang, stem)
    assert len(app_texts(at)) > 100, "the texts of tables and widgets are collected"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_form_is_shown_in_one_language(app, lang):
    at = open_page(app, "benefit", lang)
    at.radio(key="benefit.source").set_value("form").run()
    for stem in STEMS:
        if stem != BS08:
            at.selectbox(key="benefit.form.start").set_value(stem).run()
            _in_one_language(at, lang, f"form from {stem}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_game_panel_is_shown_in_one_language(app, lang):
    at = _template(open_page(app, "benefit", lang), BS08)
    _in_one_language(at, lang, "game")
    players = _allocations(at).iloc[:, 1]
    assert set(players) == ({"上海", "苏州", "南通"} if lang == "zh" else {"Shanghai", "Suzhou", "Nantong"})
    # stand-alone values of 0: the proportional rule is undefined, and says so in the page's language
    values = next(d.key for d in at.dataframe if d.key and ".values." in d.key)
    at.session_state[values] = {"edited_rows": {i: {"value": 0} for i in range(3)}, "added_rows": [],
                                "deleted_rows": []}
    at.run()
    _in_one_language(at, lang, "game, a rule undefined")
    assert any(("按比例分配" if lang == "zh" else "proportional allocation") in w.value for w in at.warning)


def test_the_statute_speaks_chinese_in_chinese(app):
    at = open_page(app, "benefit", "zh")
    assert any("全国再分配部分" in w.value for w in at.warning), [w.value for w in at.warning]
    trace = _table(at, "row", "rule", "parameter", "reference")
    assert trace["rule"].str.contains("总机构就地入库").any()
    assert (trace["parameter"] == "cit.cross_province.hq_share").any(), "parameters stay codes"


def test_language_check_finds_the_other_language():
    assert foreign_text(["测算结果：BS-01 Shanghai HQ", "None", "CIT 与 VAT", "cit.central_share"], "zh") == [
        "Shanghai HQ", "None"]
    assert foreign_text(["Results: 上海", "国家税务总局公告2012年第57号"], "en", NAMES) == ["上海"]


# ---------------------------------------------------------------------------------------------- library
def _rows(result):
    return [(r.year, r.tax, r.city, r.component, r.period, r.amount) for r in result.rows]


@pytest.mark.parametrize("path", [p for _, p in scenario_templates() if load_scenario(p).enterprise is not None],
                         ids=lambda p: p.stem)  # a cooperative game alone has no enterprise form
def test_form_values_round_trip_every_template(path):
    scenario = load_scenario(path)
    fv = form_values(scenario)
    assert fv.not_in_form == ()
    again = Scenario.from_dict(scenario_from_form(fv), "form")
    assert _rows(evaluate(again)) == _rows(evaluate(scenario))


def test_form_tables_through_dataframes_keep_the_figures():
    """What the grids give back (NaN for blanks, floats, numpy types) builds the same scenario."""
    import pandas as pd

    from benefit_sharing.forms import (
        COMPANY_FLOW_COLUMNS,
        ESTABLISHMENT_COLUMNS,
        FACTOR_COLUMNS,
        FLOW_COLUMNS,
    )

    fv = form_values(load_scenario(templates_dir() / f"{BS01}.yaml"))
    as_grid = FormValues(
        name=fv.name, enterprise=fv.enterprise, form=fv.form, cit_rate=0.25, years=fv.years,
        establishments=form_frame(fv.establishments, ESTABLISHMENT_COLUMNS).to_dict("records"),
        factors=form_frame(fv.factors, FACTOR_COLUMNS).to_dict("records"),
        company_flows=form_frame(fv.company_flows, COMPANY_FLOW_COLUMNS).to_dict("records"),
        flows=pd.concat([form_frame(fv.flows, FLOW_COLUMNS), form_frame([{}], FLOW_COLUMNS)]).to_dict("records"))
    result = evaluate(Scenario.from_dict(scenario_from_form(as_grid)))
    assert result.total(year=2026, tax="cit", city="Nantong", component="paid") == D("662.50")


def test_form_problems_a_table_cannot_express():
    fv = form_values(load_scenario(templates_dir() / f"{BS01}.yaml"))
    bad = FormValues(**{**fv.__dict__, "flows": [*fv.flows, {"year": 2026, "id": "xx", "vat_payable": 1},
                                                   {"year": 2026, "id": "sz", "vat_payable": 2}]})
    with pytest.raises(ScenarioError) as err:
        scenario_from_form(bad)
    text = str(err.value)
    assert text.startswith("form: 2 problems") and "unknown establishment id; allowed: hq, sz, nt" in text
    assert "given twice" in text


def test_agreement_schedule_rows_become_a_dated_mapping_or_one_share():
    fv = form_values(load_scenario(templates_dir() / "increment_only_with_cap.yaml"))
    assert fv.agreement["host_share"] == [{"from": None, "share": 0.6}]
    d = scenario_from_form(fv)
    assert d["agreements"][0]["host_share"] == 0.6 and d["agreements"][0]["increment_over"] == 2025
    fv7 = form_values(load_scenario(templates_dir() / f"{BS07}.yaml"))
    schedule = scenario_from_form(fv7)["agreements"][0]["host_share"]
    assert schedule == {"2026-01-01": 0.7, "2029-01-01": 0.5, "2031-01-01": 1.0}


def test_load_scenario_bytes_reports_one_line_naming_the_file():
    with pytest.raises(ScenarioError, match=r"^x\.txt: .*must end in \.yaml, \.yml or \.json"):
        load_scenario_bytes(b"name: a", "x.txt")
    with pytest.raises(ScenarioError, match=r"^bad\.yaml: not valid YAML/JSON"):
        load_scenario_bytes(b"name: x\nyears: [2026\n", "bad.yaml")
    with pytest.raises(ScenarioError, match=r"^bad\.json: cannot read the file"):
        load_scenario_bytes(b"\xff\xfe{}", "bad.json")
    with pytest.raises(ScenarioError, match=r"^list\.yaml: .*the file must hold a mapping"):
        load_scenario_bytes(b"- 1\n- 2\n", "list.yaml")
    with pytest.raises(ScenarioError, match=r"^empty\.yaml: the file is empty"):
        load_scenario_bytes(b"  \n", "empty.yaml")
    for name in ("bad.yaml", "x.txt"):
        try:
            load_scenario_bytes(b"name: [", name)
        except ScenarioError as exc:
            assert "\n" not in str(exc) and "hst-scenario-" not in str(exc), "no temporary path leaks"


def test_scenario_yaml_round_trips():
    fv = form_values(load_scenario(templates_dir() / f"{BS07}.yaml"))
    d = scenario_from_form(fv)
    assert _rows(evaluate(load_scenario_bytes(scenario_yaml(d), "s.yaml"))) == _rows(evaluate(Scenario.from_dict(d)))


@pytest.mark.parametrize("stem", [BS01, BS07, "increment_only_with_cap", "intra_jiangsu_sz_hq_nt_branch"])
def test_receipts_by_level_add_up(stem):
    result = evaluate(load_scenario(templates_dir() / f"{stem}.yaml"))
    without = receipts_by_level(result, with_agreements=False)
    paid = {(y, c): result.total(year=y, city=c, component="paid") - result.total(year=y, city=c, tax="value_added",
                                                                                    component="paid")
            for y, c in zip(without["year"], without["city"], strict=True)}
    assert {(y, c): tot for y, c, tot in zip(without["year"], without["city"], without["total"], strict=True)} == paid
    with_ = receipts_by_level(result, with_agreements=True)
    assert with_.groupby("year")["total"].sum().to_dict() == without.groupby("year")["total"].sum().to_dict()


def test_bs07_partner_city_level_receives_the_transfer():
    result = evaluate(load_scenario(templates_dir() / f"{BS07}.yaml"))
    with_ = receipts_by_level(result).set_index(["year", "city"])
    assert [with_.loc[(y, "Shanghai"), "municipal"] for y in range(2026, 2032)] == [
        D("30.00"), D("57.00"), D("90.00"), D("205.00"), D("250.00"), D("0.00")]


def test_allocation_from_rows_and_coalition_rows():
    game = load_scenario(templates_dir() / f"{BS08}.yaml").game
    rows = coalition_rows(game.players, game.values)
    assert [r["coalition"] for r in rows][:4] == ["Shanghai", "Suzhou", "Nantong", "Shanghai+Suzhou"]
    allocations, warnings = allocation_from_rows(list(game.players), rows, ["shapley", "nucleolus"])
    table = allocations_table(allocations)
    assert table[table.rule == "shapley"].set_index("player")["amount"].to_dict() == {
        "Shanghai": D("200.00"), "Suzhou": D("155.00"), "Nantong": D("95.00")}
    assert not warnings
    with pytest.raises(ScenarioError, match=r"^allocation: game.values: missing coalitions .*Suzhou\+Nantong"):
        allocation_from_rows(list(game.players), [r for r in rows if r["coalition"] != "Suzhou+Nantong"], ["equal"])
    players = [{"player": "Shanghai", "weight": 0.5}, {"player": "Suzhou", "weight": 0.5}]
    two = [{"coalition": "Shanghai", "value": 10}, {"coalition": "Suzhou", "value": 0.1},
           {"coalition": "Shanghai+Suzhou", "value": 20.3}]
    allocations, _ = allocation_from_rows(players, two, ["nash_weighted"])
    assert [a.amount for a in allocations] == [D("15.10"), D("5.20")], "floats from a grid read as their decimals"


def test_excel_bytes_is_the_export_workbook():
    result = evaluate(load_scenario(templates_dir() / f"{BS07}.yaml"))
    wb = openpyxl.load_workbook(io.BytesIO(excel_bytes(result)))
    assert wb.sheetnames == ["about", "summary", "rows", "with_vs_without", "net_effect", "warnings", "trace"]
    zh = openpyxl.load_workbook(io.BytesIO(excel_bytes(result, lang="zh")))
    assert zh.sheetnames == ["说明", "汇总", "明细", "有无协议对比", "协议净效果", "提示", "计算追溯"]


# ---------------------------------------------------------------------------------------------- for officials
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bs07_says_what_the_agreement_moves_over_its_term(app, lang):
    at = _template(open_page(app, "benefit", lang), BS07)
    sentence = "2026—2031年间，协议共将 632.00 万元市级收入从南通转移到上海" if lang == "zh" else \
        "Over 2026–2031 the agreement moves 632.00 ×10k yuan of city-level revenue from Nantong to Shanghai"
    assert any(m.value.startswith(sentence) for m in at.markdown), [m.value[:80] for m in at.markdown]
    effect = _table(at, "city", "tax", "without_agreements", "transfer", "with_agreements")
    total = "合计" if lang == "zh" else "Total"
    nantong = effect[(effect["city"] == ("南通" if lang == "zh" else "Nantong")) & (effect["tax"] == total)].iloc[0]
    assert (nantong["without_agreements"], nantong["transfer"], nantong["with_agreements"]) == (
        D("2000.00"), D("-632.00"), D("1368.00"))
    shown = next(d for d in at.dataframe if "transfer" in d.value.columns)
    formats = {c: json.loads(shown.proto.columns)[c]["type_config"].get("format") for c in ("without_agreements", "transfer")}
    assert formats == {"without_agreements": "%.2f", "transfer": "%.2f"}, "to the cent, as the sentence writes it"
    everyone = effect[effect["tax"] == total]["transfer"]
    assert sum(everyone.iloc[:-1], D(0)) == D(0) == everyone.iloc[-1], "transfers net to zero over the cities"
    trace = _table(at, "year", "tax", "city", "amount", "rule", "reference")
    assert len(trace) == 2 * 2 * 6 and trace["reference"].str.contains("沪通产业转移合作协议").all()
    _in_one_language(at, lang, "net effect")


def test_an_edit_that_cannot_matter_says_which_rule_makes_it_so(app):
    at = open_page(app, "benefit", "en")
    at.radio(key="benefit.source").set_value("form").run()
    at.selectbox(key="benefit.form.start").set_value(ONE_BRANCH).run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    before = _paid(_table(at, "year", "tax", "city", "paid"), 2026, "CIT", "Nantong")
    # beside the factors: why they cannot change anything (one branch takes part: r = 1)
    notes = [i.value for i in at.info if "cannot change this scenario's result" in i.value]
    assert notes and "only one branch takes part in 2026" in notes[0] and "第十六条" in notes[0]
    assert "Nantong production: apportionment factors of 2025" in notes[0], "named, not establishments[nt]"
    # the official edits the branch's 2025 revenue: nothing changes, and the page says why
    factors = form_frame(form_values(load_scenario(templates_dir() / f"{ONE_BRANCH}.yaml")).factors, ["id", "year"])
    row = int(factors.index[(factors["id"] == "nt") & (factors["year"] == 2025)][0])
    at.session_state[f"benefit.f.{ONE_BRANCH}.factors"] = {"edited_rows": {row: {"revenue": 1}}, "added_rows": [],
                                                          "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception
    assert _paid(_table(at, "year", "tax", "city", "paid"), 2026, "CIT", "Nantong") == before
    told = [i.value for i in at.info if i.value.startswith("Your last edit changed no amount")]
    assert told and "Nantong production: revenue of 2025" in told[0] and "only one branch takes part" in told[0]
    # an edit that does change an amount raises no such note
    at.number_input(key=f"benefit.f.{ONE_BRANCH}.cit_rate").set_value(0.2).run()
    assert not [i.value for i in at.info if i.value.startswith("Your last edit changed no amount")]


def test_scenarios_side_by_side(app):
    at = open_page(app, "benefit", "en")
    at.selectbox(key="benefit.template").set_value(ONE_BRANCH).run()
    at.multiselect(key="benefit.compare").set_value(["branch_vs_subsidiary_subsidiary", BS07]).run()
    assert not at.exception, at.exception
    table = _table(at, "city", "level")
    titles = [c for c in table.columns[2:] if not c.startswith("Δ")]
    deltas = [c for c in table.columns if c.startswith("Δ")]
    assert len(titles) == 3 and len(deltas) == 2
    assert titles == ["Scenario ①", "Scenario ②", "Scenario ③"], "short columns, so that three fit at 1366 px"
    legend = next(m.value for m in at.markdown if m.value.startswith("① "))
    assert legend.split("  \n")[0].startswith("① Branch model") and "(2026–2027)" in legend, legend
    totals = table[(table["city"] == "All cities") & (table["level"] == "Total")].iloc[0]
    for title, delta in zip(titles[1:], deltas, strict=True):
        assert totals[delta] == totals[title] - totals[titles[0]]
    assert isinstance(totals[titles[0]], D)


def test_the_workbook_is_named_after_the_scenario_and_speaks_chinese_in_chinese(app):
    at = _template(open_page(app, "benefit", "zh"), BS07)
    assert any(b.proto.label.startswith("下载 Excel") for b in at.get("download_button"))
    result = evaluate(load_scenario(templates_dir() / f"{BS07}.yaml"))
    from benefit_sharing.export import export_file_name

    assert export_file_name(result, "zh") == "BS-07_沪通产业转移工厂_分阶段分享协议.xlsx"
    assert export_file_name(result, "en") == "BS-07_Shanghai_Nantong_relocated_plant_phased_agreement.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(excel_bytes(result, lang="zh")))
    for ws in wb.worksheets:
        assert ws.max_row >= 2, f"sheet {ws.title} is empty"
        texts = [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        header = [str(c.value) for c in ws[1]]
        assert foreign_text(header, "zh") == [], (ws.title, header)
        assert foreign_text(texts, "zh", NAMES_ZH) == [], ws.title


def test_changed_inputs_and_why_unchanged():
    scenario = load_scenario(templates_dir() / f"{ONE_BRANCH}.yaml")
    before, after = scenario.to_dict(), scenario.to_dict()
    after["establishments"][1]["factors"][2025]["payroll"] = 9
    after["enterprise"]["markup"] = 0.3
    after["name"] = "renamed"
    changed = changed_inputs(before, after)
    assert changed == ["enterprise.markup", "establishments[nt].factors.2025.payroll"]
    reasons = dict(why_unchanged(evaluate(after), changed))
    assert "internal" in reasons["enterprise.markup"].text("en")
    assert reasons["establishments[nt].factors.2025.payroll"].reference.endswith("第十六条")
    assert net_effect(evaluate(scenario)) is None
