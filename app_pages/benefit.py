"""利益分享 Benefit sharing: describe a firm across cities (form, template or file), see who receives which
tax under the law and under an agreement, trace every amount, and split a joint surplus."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from app_pages.i18n import lang, t
from app_pages.strings import STRINGS
from benefit_sharing import Scenario, ScenarioError, evaluate, load_scenario
from benefit_sharing.forms import (
    COMPANY_FLOW_COLUMNS,
    ESTABLISHMENT_COLUMNS,
    FACTOR_COLUMNS,
    FLOW_COLUMNS,
    PARAMETER_COLUMNS,
    SCHEDULE_COLUMNS,
    FormValues,
    allocation_from_rows,
    coalition_rows,
    form_frame,
    form_values,
    load_scenario_bytes,
    parameter_names,
    scenario_from_form,
    scenario_templates,
    scenario_yaml,
)
from benefit_sharing.scenario import CITY_PROVINCE, GAME_RULES, LOCATION_TYPES, ROLES, STATISTICS, TAXES
from benefit_sharing.views import LEVELS, allocations_table, excel_bytes, receipts_by_level

K = "benefit."  # session-state namespace of this page
L = lang()
CC = st.column_config
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# one colour per level of government on every chart, whichever levels a scenario has
LEVEL_COLOURS = {"central": "#1f4e79", "national_pool": "#8fbce6", "province": "#f28e2b", "municipal": "#e15759",
                 "local": "#59a14f"}


def label(group: str, value: object) -> str:
    """A code (city, tax, component, level, rule, role…) in the reader's language; unknown codes as they are."""
    key = f"{group}.{value}"
    return t(key) if key in STRINGS else str(value)


def city(value: object) -> str:
    return label("city", value) if value in CITY_PROVINCE else label("benefit.city", value)


def names(fn: Callable[[Any], str], options: Iterable[Any]) -> Callable[[Any], str]:
    """A widget's format_func computed at render time, so it always agrees with the options shown
    (the language may change between runs)."""
    fixed = {o: fn(o) for o in options}
    return lambda o: fixed.get(o, str(o))


def one_line(exc: ScenarioError) -> str:
    return str(exc).replace("\n", " ")


@st.cache_data(show_spinner=False)
def templates() -> dict[str, tuple[str, str, bool, bool]]:
    """stem → (name, path, has an enterprise, has a game) of the bundled scenario templates."""
    out = {}
    for name, path in scenario_templates():
        try:
            s = load_scenario(path)
        except ScenarioError:
            out[path.stem] = (name, str(path), False, False)  # listed; choosing it shows the error
        else:
            out[path.stem] = (name, str(path), s.enterprise is not None, s.game is not None)
    return out


def scenario_form(tpls: dict[str, tuple[str, str, bool, bool]]) -> Scenario | None:
    """The scenario form, started from a template; returns the validated scenario or None (error shown)."""
    starts = [s for s in tpls if tpls[s][2]]
    start = st.selectbox(t("benefit.form.start"), starts, format_func=lambda s: tpls[s][0],
                         index=starts.index("bs01_sh_hq_sz_nt_branches") if "bs01_sh_hq_sz_nt_branches" in starts
                         else 0, key=K + "form.start", help=t("benefit.form.start_help"))
    fv = form_values(load_scenario(tpls[start][1]))
    if fv.not_in_form:
        st.info(t("benefit.form.not_in_form", parts=", ".join(fv.not_in_form)))
    f = f"{K}f.{start}."  # editors restart from the template when another one is chosen

    c1, c2 = st.columns(2)
    name = c1.text_input(t("benefit.form.name"), value=fv.name, key=f + "name")
    enterprise = c2.text_input(t("benefit.form.enterprise"), value=fv.enterprise, key=f + "enterprise")
    c3, c4, c5 = st.columns([2, 1, 3])
    form = c3.radio(t("benefit.form.form"), ["branch", "subsidiary"], index=0 if fv.form == "branch" else 1,
                    format_func=names(lambda x: t("benefit.form.form." + x), ["branch", "subsidiary"]), horizontal=True, key=f + "form")
    cit_rate = c4.number_input(t("benefit.form.cit_rate"), min_value=0.0, max_value=1.0, step=0.01,
                               value=float(fv.cit_rate) if fv.cit_rate is not None else 0.25, key=f + "cit_rate")
    years = c5.multiselect(t("benefit.form.years"), list(range(2016, 2041)), default=list(fv.years), key=f + "years")

    st.markdown(f"**{t('benefit.form.establishments')}**")
    cities = sorted(set(CITY_PROVINCE) | {e["city"] for e in fv.establishments if e.get("city")})
    est = st.data_editor(
        form_frame(fv.establishments, ESTABLISHMENT_COLUMNS), num_rows="dynamic", hide_index=True,
        width="stretch", key=f + "est",
        column_config={
            "id": CC.TextColumn(t("benefit.col.id"), required=True, help=t("benefit.help.id")),
            "name": CC.TextColumn(t("common.name")),
            "city": CC.SelectboxColumn(t("common.city"), options=cities, format_func=city, required=True),
            "province": CC.TextColumn(t("benefit.col.province"), help=t("benefit.help.province")),
            "role": CC.SelectboxColumn(t("benefit.col.role"), options=list(ROLES),
                                       format_func=lambda r: label("benefit.role", r), required=True),
            "location_type": CC.SelectboxColumn(t("benefit.col.location_type"), options=list(LOCATION_TYPES),
                                                format_func=lambda r: label("benefit.loc", r)),
            "pays_local_vat": CC.CheckboxColumn(t("benefit.col.pays_local_vat"), help=t("benefit.help.pays_local_vat")),
            "established": CC.NumberColumn(t("benefit.col.established"), format="%d", step=1),
            "closed": CC.NumberColumn(t("benefit.col.closed"), format="%d", step=1),
            "cit_rate": CC.NumberColumn(t("benefit.col.cit_rate"), min_value=0.0, max_value=1.0, step=0.01,
                                        help=t("benefit.help.est_cit_rate")),
        })
    ids = [str(i) for i in est["id"].dropna().tolist()]
    id_col = CC.SelectboxColumn(t("benefit.col.id"), options=ids, required=True)
    year_col = CC.NumberColumn(t("benefit.col.year"), format="%d", step=1, required=True)

    st.markdown(f"**{t('benefit.form.factors')}**")
    st.caption(t("benefit.form.factors_help"))
    factors = st.data_editor(
        form_frame(fv.factors, FACTOR_COLUMNS), num_rows="dynamic", hide_index=True, width="stretch",
        key=f + "factors", column_config={
            "id": id_col, "year": year_col, "revenue": CC.NumberColumn(t("benefit.col.revenue"), min_value=0.0),
            "payroll": CC.NumberColumn(t("benefit.col.payroll"), min_value=0.0),
            "assets": CC.NumberColumn(t("benefit.col.assets"), min_value=0.0)})

    amount = partial(CC.NumberColumn)
    st.markdown(f"**{t('benefit.form.company_flows')}**")
    st.caption(t("benefit.form.company_flows_help." + form))
    company = st.data_editor(
        form_frame(fv.company_flows, COMPANY_FLOW_COLUMNS), num_rows="dynamic", hide_index=True,
        width="stretch", key=f + "company",
        column_order=["year", "taxable_income", "cit_payable", "service_cost"] if form == "branch"
        else ["year", "service_cost"],
        column_config={"year": year_col, "taxable_income": amount(t("benefit.col.taxable_income")),
                       "cit_payable": amount(t("benefit.col.cit_payable"), min_value=0.0),
                       "service_cost": amount(t("benefit.col.service_cost"), min_value=0.0)})
    st.markdown(f"**{t('benefit.form.flows')}**")
    st.caption(t("benefit.form.flows_help." + form))
    flow_cols = [c for c in FLOW_COLUMNS if form == "subsidiary" or c not in ("taxable_income", "cit_payable")]
    flows = st.data_editor(
        form_frame(fv.flows, FLOW_COLUMNS), num_rows="dynamic", hide_index=True, width="stretch",
        key=f + "flows", column_order=flow_cols,
        column_config={"year": year_col, "id": id_col,
                       "taxable_income": amount(t("benefit.col.taxable_income")),
                       "cit_payable": amount(t("benefit.col.cit_payable"), min_value=0.0),
                       "profit_before_fee": amount(t("benefit.col.profit_before_fee")),
                       "vat_payable": amount(t("benefit.col.vat_payable"), min_value=0.0),
                       "iit": amount(t("benefit.col.iit"), min_value=0.0),
                       "value_added": amount(t("benefit.col.value_added"), min_value=0.0)})

    with st.expander(t("benefit.form.transfer_price"), expanded=bool(fv.transfer_price)):
        st.caption(t("benefit.form.transfer_price_help"))
        t1, t2, t3 = st.columns(3)
        tp = fv.transfer_price
        markup = t1.number_input(t("benefit.col.markup"), min_value=0.0, step=0.01, value=tp.get("markup"),
                                 key=f + "markup")
        provider = t2.selectbox(t("benefit.col.service_provider"), ["", *ids],
                                index=(["", *ids].index(tp["service_provider"]) if tp.get("service_provider") in ids
                                       else 0), key=f + "provider")
        recipient = t3.selectbox(t("benefit.col.service_recipient"), ["", *ids],
                                 index=(["", *ids].index(tp["service_recipient"]) if tp.get("service_recipient") in ids
                                        else 0), key=f + "recipient")

    agreement = None
    a = fv.agreement or {}
    with st.expander(t("benefit.form.agreement"), expanded=fv.agreement is not None):
        if st.checkbox(t("benefit.form.has_agreement"), value=fv.agreement is not None, key=f + "has_agreement"):
            a1, a2, a3 = st.columns(3)
            all_cities = sorted(set(cities) | {str(c) for c in est["city"].dropna()})
            host = a1.selectbox(t("benefit.col.host"), all_cities, format_func=names(city, all_cities), key=f + "host",
                                index=all_cities.index(a["host"]) if a.get("host") in all_cities else 0,
                                help=t("benefit.help.host"))
            partner = a2.selectbox(t("benefit.col.partner"), all_cities, format_func=names(city, all_cities), key=f + "partner",
                                   index=all_cities.index(a["partner"]) if a.get("partner") in all_cities else 0)
            taxes = a3.multiselect(t("benefit.col.taxes"), list(TAXES), default=list(a.get("taxes") or ["vat", "cit"]),
                                   format_func=names(lambda x: label("benefit.tax", x), TAXES), key=f + "taxes")
            st.caption(t("benefit.form.schedule_help"))
            schedule = st.data_editor(
                form_frame(a.get("host_share") or [{"from": None, "share": 0.5}], SCHEDULE_COLUMNS),
                num_rows="dynamic", hide_index=True, key=f + "schedule",
                column_config={"from": CC.DateColumn(t("benefit.col.from"), format="YYYY-MM-DD"),
                               "share": CC.NumberColumn(t("benefit.col.host_share"), min_value=0.0, max_value=1.0,
                                                        step=0.05, required=True)})
            b1, b2, b3, b4 = st.columns(4)
            increment = b1.number_input(t("benefit.col.increment_over"), min_value=1990, max_value=2100, step=1,
                                        value=a.get("increment_over"), key=f + "increment",
                                        help=t("benefit.help.increment_over"))
            cap = b2.number_input(t("benefit.col.cap"), min_value=0.0, value=_float(a.get("cap")), key=f + "cap")
            floor = b3.number_input(t("benefit.col.floor"), min_value=0.0, value=_float(a.get("floor")),
                                    key=f + "floor")
            sunset = b4.number_input(t("benefit.col.sunset"), min_value=1990, max_value=2100, step=1,
                                     value=a.get("sunset"), key=f + "sunset")
            b5, b6, b7 = st.columns(3)
            stats = b5.selectbox(t("benefit.col.statistics"), list(STATISTICS),
                                 index=list(STATISTICS).index(a.get("statistics") or "none"),
                                 format_func=names(lambda x: label("benefit.stats", x), STATISTICS),
                                 key=f + "statistics")
            a_name = b6.text_input(t("benefit.col.agreement_name"), value=a.get("name") or "", key=f + "a_name")
            reference = b7.text_input(t("benefit.col.reference"), value=a.get("reference") or "", key=f + "reference")
            agreement = {"name": a_name, "host": host, "partner": partner, "taxes": taxes,
                         "host_share": schedule.to_dict("records"), "increment_over": increment, "cap": cap,
                         "floor": floor, "sunset": sunset, "statistics": stats, "reference": reference}

    with st.expander(t("benefit.form.parameters"), expanded=bool(fv.parameters)):
        st.caption(t("benefit.form.parameters_help"))
        param_names = sorted(set(parameter_names()) | {p["name"] for p in fv.parameters})
        params = st.data_editor(
            form_frame(fv.parameters, PARAMETER_COLUMNS), num_rows="dynamic", hide_index=True,
            width="stretch", key=f + "params",
            column_config={"name": CC.SelectboxColumn(t("benefit.col.parameter"), options=param_names,
                                                                     required=True),
                           "value": CC.TextColumn(t("benefit.col.value"), help=t("benefit.help.parameter_value"))})

    values = FormValues(
        name=name, enterprise=enterprise, form=form, cit_rate=cit_rate, years=tuple(years),
        establishments=est.to_dict("records"), factors=factors.to_dict("records"),
        company_flows=company.to_dict("records"), flows=flows.to_dict("records"),
        transfer_price={"markup": markup, "service_provider": provider or None, "service_recipient": recipient or None},
        agreement=agreement, parameters=params.to_dict("records"))
    try:
        data = scenario_from_form(values)
        scenario = Scenario.from_dict(data, t("benefit.form.source"))
    except ScenarioError as exc:
        st.error(t("benefit.bad_scenario", reason=one_line(exc)))
        return None
    st.download_button(t("benefit.form.save"), data=scenario_yaml(data), file_name="scenario.yaml",
                       mime="application/x-yaml", key=K + "save_yaml", on_click="ignore")
    return scenario


def _float(v: object) -> float | None:
    return None if v is None else float(v)  # a form field's initial value (the scenario reads it back exactly)


def money_columns(df: pd.DataFrame, columns: list[str]) -> dict[str, object]:
    return {c: CC.NumberColumn(label("benefit.level", c) if c in LEVELS else t("benefit.col." + c)) for c in columns
            if c in df}


def show(df: pd.DataFrame, key: str, **config: object) -> None:
    st.dataframe(df, hide_index=True, width="stretch", key=K + key, column_config=config)


def localise(df: pd.DataFrame) -> pd.DataFrame:
    """City and tax codes in the reader's language (display only; amounts untouched)."""
    out = df.copy()
    if "city" in out:
        out["city"] = out["city"].map(city)
    if "tax" in out:
        out["tax"] = out["tax"].map(lambda x: label("benefit.tax", x))
    if "component" in out:
        out["component"] = out["component"].map(lambda x: label("benefit.comp", x))
    return out


def level_chart(frame: pd.DataFrame, key: str, title: str, unit: str) -> None:
    """Stacked bars: per city (a panel each) and year, what each level of government receives."""
    levels = [lv for lv in LEVELS if lv in frame]
    if frame.empty or not levels:
        return
    long = frame.melt(id_vars=["year", "city"], value_vars=levels, var_name="level", value_name="amount")
    long = long.assign(amount=long["amount"].map(float),  # plotting only; tables keep the exact Decimal
                       year=long["year"].map(str), city=long["city"].map(city),
                       level=long["level"].map(lambda x: label("benefit.level", x)))
    fig = px.bar(long, x="year", y="amount", color="level", facet_col="city", barmode="relative",
                 labels={"year": t("benefit.col.year"), "amount": t("benefit.col.amount", unit=unit),
                         "level": t("benefit.col.level"), "city": t("common.city")},
                 category_orders={"level": [label("benefit.level", x) for x in levels]},
                 color_discrete_map={label("benefit.level", x): LEVEL_COLOURS[x] for x in levels})
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    fig.update_layout(height=360, margin=dict(l=10, r=10, t=50, b=10), title=title, legend_title_text="")
    st.plotly_chart(fig, width="stretch", key=K + key)


# ---------------------------------------------------------------------------------------------- input
st.title(t("benefit.title"))
st.caption(t("benefit.intro"))
tpls = templates()
sources = ["template", "form", "upload"]
source = st.radio(t("benefit.source"), sources, format_func=names(lambda s: t("benefit.source." + s), sources),
                  horizontal=True, key=K + "source")
scenario: Scenario | None = None
if source == "template":
    stems = list(tpls)
    pick = st.selectbox(t("benefit.template"), stems, format_func=lambda s: tpls[s][0], key=K + "template",
                        index=stems.index("bs01_sh_hq_sz_nt_branches") if "bs01_sh_hq_sz_nt_branches" in stems else 0)
    try:
        scenario = load_scenario(tpls[pick][1])
    except ScenarioError as exc:
        st.error(t("benefit.bad_scenario", reason=one_line(exc)))
elif source == "upload":
    up = st.file_uploader(t("benefit.upload"), type=["yaml", "yml", "json"], key=K + "upload",
                          help=t("benefit.upload_help"))
    if up is not None:
        try:
            scenario = load_scenario_bytes(up.getvalue(), up.name)
        except ScenarioError as exc:
            st.error(t("benefit.bad_scenario", reason=one_line(exc)))
else:
    scenario = scenario_form(tpls)

if scenario is None:
    st.stop()

# ---------------------------------------------------------------------------------------------- results
try:
    result = evaluate(scenario)
except (ScenarioError, ValueError) as exc:  # e.g. an override the statute's own rules cannot use
    st.error(t("benefit.bad_scenario", reason=str(exc)))
    st.stop()
unit = result.unit
st.header(t("benefit.results", name=result.scenario))
if result.warnings:
    with st.container(border=True):
        st.markdown(f"**:material/warning: {t('benefit.warnings', n=len(result.warnings))}**")
        for w in result.warnings:
            st.warning(f"**{label('benefit.warn', w.code)}** — {w.message}")

if scenario.enterprise is not None:
    st.download_button(t("benefit.excel"), data=partial(excel_bytes, result), on_click="ignore",
                       file_name=f"benefit_{'_'.join(map(str, result.years))}.xlsx", mime=XLSX, key=K + "excel")
    tabs = st.tabs([t("benefit.tab.levels"), t("benefit.tab.with_without"), t("benefit.tab.summary"),
                    t("benefit.tab.value_added")])
    with tabs[0]:
        levels = receipts_by_level(result, with_agreements=True)
        st.caption(t("benefit.levels_help", unit=unit))
        show(localise(levels), "levels", year=CC.NumberColumn(t("benefit.col.year"), format="%d"),
             city=t("common.city"), **money_columns(levels, [*LEVELS, "total"]))
        level_chart(levels, "levels_chart", t("benefit.levels_chart"), unit)
    with tabs[1]:
        if not result.has_agreements:
            st.info(t("benefit.no_agreement"))
        else:
            without = receipts_by_level(result, with_agreements=False)
            left, right = st.columns(2)
            with left:
                level_chart(without, "without_chart", t("benefit.without"), unit)
            with right:
                level_chart(levels, "with_chart", t("benefit.with"), unit)
            wvw = result.with_vs_without()
            show(localise(wvw), "with_without", year=CC.NumberColumn(t("benefit.col.year"), format="%d"),
                 tax=t("benefit.col.tax"), city=t("common.city"),
                 **money_columns(wvw, ["without_agreements", "transfer", "with_agreements"]))
    summary = result.summary()
    with tabs[2]:
        taxes_only = summary[summary["tax"] != "value_added"].dropna(axis=1, how="all")
        show(localise(taxes_only), "summary", year=CC.NumberColumn(t("benefit.col.year"), format="%d"),
             tax=t("benefit.col.tax"), city=t("common.city"),
             **{c: CC.NumberColumn(label("benefit.comp", c)) for c in taxes_only.columns[3:]})
    with tabs[3]:
        va = summary[summary["tax"] == "value_added"]
        if va.empty:
            st.info(t("benefit.no_value_added"))
        else:
            va = va.dropna(axis=1, how="all").drop(columns=["tax"])
            st.caption(t("benefit.value_added_help"))
            show(localise(va), "value_added", year=CC.NumberColumn(t("benefit.col.year"), format="%d"),
                 city=t("common.city"), **{c: CC.NumberColumn(label("benefit.comp", c)) for c in va.columns[2:]})

    with st.expander(t("benefit.trace"), expanded=False):
        trace = result.trace_frame()
        f1, f2, f3, f4 = st.columns([3, 1, 1, 1])
        text = f1.text_input(t("benefit.trace_filter"), key=K + "trace_text", placeholder=t("benefit.trace_hint"))
        ty = f2.multiselect(t("benefit.col.year"), sorted(trace["year"].unique()), key=K + "trace_year")
        tt = f3.multiselect(t("benefit.col.tax"), list(dict.fromkeys(trace["tax"])), key=K + "trace_tax",
                            format_func=names(lambda x: label("benefit.tax", x), trace["tax"].unique()))
        tc = f4.multiselect(t("common.city"), list(dict.fromkeys(trace["city"])), key=K + "trace_city",
                            format_func=names(city, trace["city"].unique()))
        keep = pd.Series(True, index=trace.index)
        if ty:
            keep &= trace["year"].isin(ty)
        if tt:
            keep &= trace["tax"].isin(tt)
        if tc:
            keep &= trace["city"].isin(tc)
        if text:
            hay = trace[["component", "rule", "parameter", "value", "reference"]].astype(str).agg(" ".join, axis=1)
            keep &= hay.str.contains(text, case=False, regex=False)
        shown = trace[keep]
        st.caption(t("benefit.trace_count", n=len(shown), total=len(trace)))
        show(localise(shown), "trace", row=CC.NumberColumn("#", width="small"),
             year=CC.NumberColumn(t("benefit.col.year"), format="%d"), tax=t("benefit.col.tax"), city=t("common.city"),
             component=t("benefit.col.component"), period=t("benefit.col.period"),
             amount=CC.NumberColumn(t("benefit.col.amount", unit=unit)), rule=t("benefit.col.rule"),
             parameter=t("benefit.col.parameter"), value=t("benefit.col.value"),
             reference=t("benefit.col.legal_reference"), confidence=t("benefit.col.confidence"))

# ---------------------------------------------------------------------------------------------- allocation
st.subheader(t("benefit.alloc.title"))
game = scenario.game
if game is None:
    st.caption(t("benefit.alloc.example"))
    example = next((s for s in tpls if tpls[s][3]), None)
    game = load_scenario(tpls[example][1]).game if example else None
if game is not None:
    seed = f"{K}alloc.{abs(hash((result.scenario, game.players)))}."
    weights = game.weights or {}
    players_df = st.data_editor(
        form_frame([{"player": p, "weight": float(weights[p]) if p in weights else None} for p in game.players],
                   ["player", "weight"]),
        num_rows="dynamic", hide_index=True, key=seed + "players",
        column_config={"player": CC.TextColumn(t("benefit.alloc.player"), required=True),
                       "weight": CC.NumberColumn(t("benefit.alloc.weight"), min_value=0.0, max_value=1.0, step=0.05,
                                                 help=t("benefit.alloc.weight_help"))})
    players = [str(p) for p in players_df["player"].dropna()]
    st.caption(t("benefit.alloc.values_help"))
    values_df = st.data_editor(
        form_frame(coalition_rows(players, game.values), ["coalition", "value"]), hide_index=True,
        key=seed + "values." + "|".join(players), disabled=["coalition"], width="stretch",
        column_config={"coalition": CC.TextColumn(t("benefit.alloc.coalition")),
                       "value": CC.NumberColumn(t("benefit.alloc.value", unit=unit), required=True)})
    rules = st.multiselect(t("benefit.alloc.rules"), list(GAME_RULES), default=list(game.rules),
                           format_func=names(lambda r: label("benefit.rule", r), GAME_RULES), key=seed + "rules")
    try:
        allocations, alloc_warnings = allocation_from_rows(players_df.to_dict("records"),
                                                           values_df.to_dict("records"), rules,
                                                           t("benefit.alloc.source"))
    except ScenarioError as exc:
        st.error(t("benefit.bad_scenario", reason=one_line(exc)))
    else:
        for w in alloc_warnings:
            st.warning(f"**{label('benefit.warn', w.code)}** — {w.message}")
        table = allocations_table(allocations)
        view = table.assign(rule=table["rule"].map(lambda r: label("benefit.rule", r)),
                            player=table["player"].map(city))
        show(view, "alloc_table", rule=t("benefit.alloc.rule"), player=t("benefit.alloc.player"),
             amount=CC.NumberColumn(t("benefit.col.amount", unit=unit)), exact=t("benefit.alloc.exact"),
             in_core=CC.CheckboxColumn(t("benefit.alloc.in_core")), note=t("benefit.alloc.note"))
        if not table.empty:
            fig = px.bar(view.assign(amount=table["amount"].map(float)), x="player", y="amount", color="rule",
                         barmode="group", labels={"player": t("benefit.alloc.player"), "rule": t("benefit.alloc.rule"),
                                                  "amount": t("benefit.col.amount", unit=unit)})
            fig.update_layout(height=340, margin=dict(l=10, r=10, t=40, b=10), title=t("benefit.alloc.chart"),
                              legend_title_text="")
            st.plotly_chart(fig, width="stretch", key=K + "alloc_chart")
