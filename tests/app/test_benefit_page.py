"""利益分享 page, in the real app (in each language, every template, the form and the game panel); and
the library functions it uses (``benefit_sharing.forms``, ``benefit_sharing.views``)."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from app_testing import open_page
from app_testing import table as _table
from language_check import app_texts, foreign_text

from benefit_sharing import ScenarioError, evaluate, load_scenario
from benefit_sharing.forms import (
    FormValues,
    allocation_from_rows,
    coalition_rows,
    form_frame,
    form_values,
    load_scenario_bytes,
    scenario_from_form,
    scenario_templates,
    scenario_yaml,
    templates_dir,
)
from benefit_sharing.scenario import Scenario
from benefit_sharing.views import allocations_table, excel_bytes, receipts_by_level

BS01 = "bs01_sh_hq_sz_nt_branches"
BS07 = "bs07_sh_nt_phased_agreement"
BS08 = "bs08_joint_project_game"
D = Decimal
STEMS = [p.stem for _, p in scenario_templates()]
#: Names the English page shows as they are: statutes and official documents (named in Chinese; their
#: names end in 号, 法, 条…), the bodies that issue them, and the unit 万元.
NAMES = [re.compile(r"[\u4e00-\u9fff〔〕0-9]*(?:号|法|条|条例|规定|协议)"), "财政部", "国家税务总局",
         "国家统计局 地区生产总值统一核算", "万元"]


def _template(at, stem):
    at.selectbox(key="benefit.template").set_value(stem).run()
    assert not at.exception, at.exception
    return at


def _in_one_language(at, lang, what):
    assert not at.exception, (what, at.exception)
    assert not at.error, (what, [e.value for e in at.error])
    assert foreign_text(app_texts(at), lang, NAMES if lang == "en" else ()) == [], what


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
    wvw = _table(at, "without_agreements", "transfer", "with_agreements")
    vat26 = wvw[(wvw["year"] == 2026) & (wvw["tax"] == "VAT")].set_index("city")
    assert vat26.loc["Nantong", "transfer"] == D("-30.00") and vat26.loc["Shanghai", "transfer"] == D("30.00")
    assert vat26.loc["Nantong", "without_agreements"] == D("100.00")
    assert vat26.loc["Nantong", "with_agreements"] == D("70.00")
    assert len(at.get("plotly_chart")) >= 3, "receipts, without and with"


def test_bs08_allocation_panel_gives_the_shapley_value(app):
    at = open_page(app, "benefit", "en")
    at = _template(at, BS08)
    alloc = _table(at, "rule", "player", "amount", "in_core")
    shapley = alloc[alloc["rule"] == "Shapley value"].set_index("player")
    assert shapley["amount"].to_dict() == {"Shanghai": D("200.00"), "Suzhou": D("155.00"), "Nantong": D("95.00")}
    assert shapley["in_core"].all()
    at.multiselect(key=next(m.key for m in at.multiselect if m.key.endswith(".rules"))).set_value(["equal"]).run()
    alloc = _table(at, "rule", "player", "amount", "in_core")
    assert set(alloc["rule"]) == {"Equal split"} and set(alloc["amount"]) == {D("150.00")}


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
    players = _table(at, "rule", "player", "amount")["player"]
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
    assert wb.sheetnames == ["about", "summary", "rows", "with_vs_without", "allocations", "warnings", "trace"]
