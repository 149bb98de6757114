"""利益分享 Benefit sharing: describe a firm across cities (form, template or file), see who receives which
tax under the law and under an agreement, trace every amount, and split a joint surplus.

A thin page: it takes input, calls ``benefit_sharing`` and renders. Every text it shows comes in the
reader's language: its own labels from ``strings.py``, the names of codes (taxes, levels, roles…) from
``benefit_sharing.names``, and the library's texts (warnings, trace, notes) in the language asked for.
No tax arithmetic here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

import pandas as pd
import plotly.express as px
import streamlit as st

from app_pages.i18n import lang, t
from benefit_sharing import Result, Scenario, ScenarioError, evaluate, load_scenario, names
from benefit_sharing.effect import format_amount, net_effect, years_text
from benefit_sharing.export import export_file_name
from benefit_sharing.forms import (
    COMPANY_FLOW_COLUMNS,
    ESTABLISHMENT_COLUMNS,
    FACTOR_COLUMNS,
    FLOW_COLUMNS,
    PARAMETER_COLUMNS,
    SCHEDULE_COLUMNS,
    FormValues,
    allocation_from_rows,
    changed_inputs,
    coalition_rows,
    establishment_names,
    form_frame,
    form_values,
    load_scenario_bytes,
    outcome,
    parameter_names,
    scenario_from_form,
    scenario_templates,
    scenario_yaml,
    why_unchanged,
)
from benefit_sharing.parameters import PROVINCES, default_parameters
from benefit_sharing.scenario import (
    CITY_PROVINCE,
    FORMS,
    GAME_RULES,
    LOCATION_TYPES,
    ROLES,
    STATISTICS,
    TAXES,
)
from benefit_sharing.views import LEVELS, allocations_table, excel_bytes, receipts_by_level, side_by_side

K = "benefit."  # session-state namespace of this page
L = lang()
#: places in the form filled after the scenario is evaluated (inputs that cannot change the result)
SLOTS: dict[str, Any] = {}
CC = st.column_config
MONEY = "%.2f"  # amounts to the cent in tables, as the sentences beside them write them
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BS01, BS08 = "bs01_sh_hq_sz_nt_branches", "bs08_joint_project_game"
# one colour per level of government on every chart, whichever levels a scenario has
LEVEL_COLOURS = {"central": "#1f4e79", "national_pool": "#8fbce6", "province": "#f28e2b", "municipal": "#e15759",
                 "local": "#59a14f"}


def name(kind: str, code: object) -> str:
    """A code (tax, component, level, role, rule…) by its name in the reader's language."""
    return names.name(kind, code, L)


def named(kind: str) -> Callable[[object], str]:
    return partial(name, kind)


def fixed(fn: Callable[[Any], str], options: Iterable[Any]) -> Callable[[Any], str]:
    """A widget's format_func computed at render time, so it always agrees with the options shown
    (the language may change between runs)."""
    labels = {o: fn(o) for o in options}
    return lambda o: labels.get(o, str(o))


def one_line(exc: ScenarioError) -> str:
    return str(exc).replace("\n", " ")


@st.cache_data(show_spinner=False)
def templates(language: str) -> dict[str, tuple[str, str, bool, bool]]:
    """stem → (name in ``language``, path, has an enterprise, has a game) of the bundled templates."""
    out = {}
    for title, path in scenario_templates(lang=language):
        try:
            s = load_scenario(path)
        except ScenarioError:
            out[path.stem] = (title, str(path), False, False)  # listed; choosing it shows the error
        else:
            out[path.stem] = (title, str(path), s.enterprise is not None, s.game is not None)
    return out


def show(df: pd.DataFrame, key: str, **config: object) -> None:
    st.dataframe(df, hide_index=True, width="stretch", key=K + key, column_config=config, placeholder="")


def edit(df: pd.DataFrame, key: str, **options: Any) -> pd.DataFrame:
    options.setdefault("num_rows", "dynamic")
    return st.data_editor(df, hide_index=True, key=key, placeholder="", **options)


# ---------------------------------------------------------------------------------------------- the form
def scenario_form(tpls: dict[str, tuple[str, str, bool, bool]]) -> Scenario | None:
    """The scenario form, started from a template; returns the validated scenario or None (error shown)."""
    starts = [s for s in tpls if tpls[s][2]]
    start = st.selectbox(t("benefit.form.start"), starts, format_func=lambda s: tpls[s][0],
                         index=starts.index(BS01) if BS01 in starts else 0, key=K + "form.start",
                         help=t("benefit.form.start_help"))
    fv = form_values(load_scenario(tpls[start][1]), L)
    if fv.not_in_form:
        st.info(t("benefit.form.not_in_form", parts=", ".join(fv.not_in_form)))
    f = f"{K}f.{start}."  # editors restart from the template when another one is chosen

    c1, c2 = st.columns(2)
    title = c1.text_input(t("benefit.form.name"), value=fv.name, key=f + "name")
    enterprise = c2.text_input(t("benefit.form.enterprise"), value=fv.enterprise, key=f + "enterprise")
    c3, c4, c5 = st.columns([2, 1, 3])
    form = c3.radio(t("benefit.form.form"), list(FORMS), index=list(FORMS).index(fv.form),
                    format_func=fixed(named("form"), FORMS), horizontal=True, key=f + "form")
    cit_rate = c4.number_input(t("benefit.form.cit_rate"), min_value=0.0, max_value=1.0, step=0.01,
                               value=float(fv.cit_rate) if fv.cit_rate is not None else 0.25, key=f + "cit_rate")
    years = c5.multiselect(t("benefit.form.years"), list(range(2016, 2041)), default=list(fv.years), key=f + "years")

    city_zh = {e["city"]: e["city_zh"] for e in fv.establishments if e.get("city") and e.get("city_zh")}

    def city(c: object) -> str:
        return city_zh.get(str(c), str(c)) if L == "zh" and c not in names.CITIES else name("city", c)

    est = establishments_editor(fv, f, city)
    ids = [str(i) for i in est["id"].dropna().tolist()]
    est_name = establishment_names(est.to_dict("records"), L)
    factors, company, flows = amounts_editors(fv, f, form, ids, est_name)
    transfer_price = transfer_price_inputs(fv, f, ids, est_name)
    cities = sorted(set(CITY_PROVINCE) | {str(c) for c in est["city"].dropna()})
    agreement = agreement_inputs(fv, f, cities, city)
    params = parameter_editor(fv, f)

    values = FormValues(
        name=title, enterprise=enterprise, form=form, cit_rate=cit_rate, years=tuple(years),
        establishments=est.to_dict("records"), factors=factors.to_dict("records"),
        company_flows=company.to_dict("records"), flows=flows.to_dict("records"), transfer_price=transfer_price,
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


def establishments_editor(fv: FormValues, f: str, city: Callable[[object], str]) -> pd.DataFrame:
    """The establishments: a city outside the cluster needs its province (and, in Chinese, its name)."""
    st.markdown(f"**{t('benefit.form.establishments')}**")
    cities = sorted(set(CITY_PROVINCE) | {e["city"] for e in fv.establishments if e.get("city")})
    return edit(
        form_frame(fv.establishments, ESTABLISHMENT_COLUMNS), f + "est", width="stretch",
        column_order=[c for c in ESTABLISHMENT_COLUMNS if L == "zh" or c != "city_zh"],
        column_config={
            "id": CC.TextColumn(t("benefit.col.id"), required=True, help=t("benefit.help.id")),
            "name": CC.TextColumn(t("common.name")),
            "city": CC.SelectboxColumn(t("common.city"), options=cities, format_func=fixed(city, cities),
                                       required=True),
            "city_zh": CC.TextColumn(t("benefit.col.city_zh"), help=t("benefit.help.city_zh")),
            "province": CC.SelectboxColumn(t("benefit.col.province"), options=list(PROVINCES),
                                           format_func=fixed(named("province"), PROVINCES),
                                           help=t("benefit.help.province")),
            "role": CC.SelectboxColumn(t("benefit.col.role"), options=list(ROLES), format_func=fixed(named("role"), ROLES),
                                       required=True),
            "location_type": CC.SelectboxColumn(t("benefit.col.location_type"), options=list(LOCATION_TYPES),
                                                format_func=fixed(named("location_type"), LOCATION_TYPES)),
            "pays_local_vat": CC.CheckboxColumn(t("benefit.col.pays_local_vat"), help=t("benefit.help.pays_local_vat")),
            "established": CC.NumberColumn(t("benefit.col.established"), format="%d", step=1),
            "closed": CC.NumberColumn(t("benefit.col.closed"), format="%d", step=1),
            "cit_rate": CC.NumberColumn(t("benefit.col.cit_rate"), min_value=0.0, max_value=1.0, step=0.01,
                                        help=t("benefit.help.est_cit_rate")),
        })


def amounts_editors(fv: FormValues, f: str, form: str, ids: list[str],
                    est_name: Mapping[str, str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Prior-year factors, company-wide amounts by year, and amounts by year and establishment (each
    establishment shown by its name, kept as its id)."""
    id_col = CC.SelectboxColumn(t("benefit.col.establishment"), options=ids, required=True,
                                format_func=fixed(lambda i: est_name.get(str(i), str(i)), ids))
    year_col = CC.NumberColumn(t("benefit.col.year"), format="%d", step=1, required=True)
    amount = CC.NumberColumn
    st.markdown(f"**{t('benefit.form.factors')}**")
    st.caption(t("benefit.form.factors_help"))
    factors = edit(form_frame(fv.factors, FACTOR_COLUMNS), f + "factors", width="stretch", column_config={
        "id": id_col, "year": year_col, "revenue": amount(t("benefit.col.revenue"), min_value=0.0),
        "payroll": amount(t("benefit.col.payroll"), min_value=0.0),
        "assets": amount(t("benefit.col.assets"), min_value=0.0)})
    SLOTS["factors"] = st.container()  # filled once the scenario is evaluated: factors that cannot matter
    st.markdown(f"**{t('benefit.form.company_flows')}**")
    st.caption(t("benefit.form.company_flows_help." + form))
    company = edit(
        form_frame(fv.company_flows, COMPANY_FLOW_COLUMNS), f + "company", width="stretch",
        column_order=["year", "taxable_income", "cit_payable", "service_cost"] if form == "branch"
        else ["year", "service_cost"],
        column_config={"year": year_col, "taxable_income": amount(t("benefit.col.taxable_income")),
                       "cit_payable": amount(t("benefit.col.cit_payable"), min_value=0.0),
                       "service_cost": amount(t("benefit.col.service_cost"), min_value=0.0)})
    st.markdown(f"**{t('benefit.form.flows')}**")
    st.caption(t("benefit.form.flows_help." + form))
    flows = edit(
        form_frame(fv.flows, FLOW_COLUMNS), f + "flows", width="stretch",
        column_order=[c for c in FLOW_COLUMNS if form == "subsidiary" or c not in ("taxable_income", "cit_payable")],
        column_config={"year": year_col, "id": id_col,
                       "taxable_income": amount(t("benefit.col.taxable_income")),
                       "cit_payable": amount(t("benefit.col.cit_payable"), min_value=0.0),
                       "profit_before_fee": amount(t("benefit.col.profit_before_fee")),
                       "vat_payable": amount(t("benefit.col.vat_payable"), min_value=0.0),
                       "iit": amount(t("benefit.col.iit"), min_value=0.0),
                       "value_added": amount(t("benefit.col.value_added"), min_value=0.0)})
    return factors, company, flows


def transfer_price_inputs(fv: FormValues, f: str, ids: list[str], est_name: Mapping[str, str]) -> dict[str, Any]:
    """The cost-plus service fee between two companies (optional)."""
    with st.expander(t("benefit.form.transfer_price"), expanded=bool(fv.transfer_price)):
        st.caption(t("benefit.form.transfer_price_help"))
        t1, t2, t3 = st.columns(3)
        tp = fv.transfer_price
        markup = t1.number_input(t("benefit.col.markup"), min_value=0.0, step=0.01, value=tp.get("markup"),
                                 key=f + "markup")
        choices = ["", *ids]
        shown = fixed(lambda i: est_name.get(str(i), str(i)) if i else t("benefit.form.none"), choices)
        provider = t2.selectbox(t("benefit.col.service_provider"), choices, key=f + "provider", format_func=shown,
                                index=choices.index(tp["service_provider"]) if tp.get("service_provider") in ids else 0)
        recipient = t3.selectbox(t("benefit.col.service_recipient"), choices, key=f + "recipient", format_func=shown,
                                 index=choices.index(tp["service_recipient"]) if tp.get("service_recipient") in ids
                                 else 0)
        SLOTS["transfer_price"] = st.container()
    return {"markup": markup, "service_provider": provider or None, "service_recipient": recipient or None}


def agreement_inputs(fv: FormValues, f: str, cities: list[str], city: Callable[[object], str]) -> dict[str, Any] | None:
    """One agreement between two cities (optional): who shares with whom, the schedule and its limits."""
    a = fv.agreement or {}
    with st.expander(t("benefit.form.agreement"), expanded=fv.agreement is not None):
        if not st.checkbox(t("benefit.form.has_agreement"), value=fv.agreement is not None, key=f + "has_agreement"):
            return None
        a1, a2, a3 = st.columns(3)
        host = a1.selectbox(t("benefit.col.host"), cities, format_func=fixed(city, cities), key=f + "host",
                            index=cities.index(a["host"]) if a.get("host") in cities else 0, help=t("benefit.help.host"))
        partner = a2.selectbox(t("benefit.col.partner"), cities, format_func=fixed(city, cities), key=f + "partner",
                               index=cities.index(a["partner"]) if a.get("partner") in cities else 0)
        taxes = a3.multiselect(t("benefit.col.taxes"), list(TAXES), default=list(a.get("taxes") or ["vat", "cit"]),
                               format_func=fixed(named("tax"), TAXES), key=f + "taxes")
        st.caption(t("benefit.form.schedule_help"))
        schedule = edit(
            form_frame(a.get("host_share") or [{"from": None, "share": 0.5}], SCHEDULE_COLUMNS), f + "schedule",
            column_config={"from": CC.DateColumn(t("benefit.col.from"), format="YYYY-MM-DD"),
                           "share": CC.NumberColumn(t("benefit.col.host_share"), min_value=0.0, max_value=1.0,
                                                    step=0.05, required=True)})
        b1, b2, b3, b4 = st.columns(4)
        increment = b1.number_input(t("benefit.col.increment_over"), min_value=1990, max_value=2100, step=1,
                                    value=a.get("increment_over"), key=f + "increment",
                                    help=t("benefit.help.increment_over"))
        cap = b2.number_input(t("benefit.col.cap"), min_value=0.0, value=_float(a.get("cap")), key=f + "cap")
        floor = b3.number_input(t("benefit.col.floor"), min_value=0.0, value=_float(a.get("floor")), key=f + "floor")
        sunset = b4.number_input(t("benefit.col.sunset"), min_value=1990, max_value=2100, step=1,
                                 value=a.get("sunset"), key=f + "sunset")
        b5, b6, b7 = st.columns(3)
        stats = b5.selectbox(t("benefit.col.statistics"), list(STATISTICS),
                             index=list(STATISTICS).index(a.get("statistics") or "none"),
                             format_func=fixed(named("statistics"), STATISTICS), key=f + "statistics")
        a_name = b6.text_input(t("benefit.col.agreement_name"), value=a.get("name") or "", key=f + "a_name")
        reference = b7.text_input(t("benefit.col.reference"), value=a.get("reference") or "", key=f + "reference")
    return {"name": a_name, "host": host, "partner": partner, "taxes": taxes,
            "host_share": schedule.to_dict("records"), "increment_over": increment, "cap": cap, "floor": floor,
            "sunset": sunset, "statistics": stats, "reference": reference}


def parameter_editor(fv: FormValues, f: str) -> pd.DataFrame:
    """Overrides of the statute's parameters, each shown by its name (kept as its code)."""
    statute = default_parameters()
    with st.expander(t("benefit.form.parameters"), expanded=bool(fv.parameters)):
        st.caption(t("benefit.form.parameters_help"))
        options = sorted(set(parameter_names()) | {p["name"] for p in fv.parameters},
                         key=lambda n: statute.get(n).title(L) if statute.known(n) else n)

        def label(n: str) -> str:
            return statute.get(n).title(L) if statute.known(n) else n

        return edit(
            form_frame(fv.parameters, PARAMETER_COLUMNS), f + "params", width="stretch",
            column_config={"name": CC.SelectboxColumn(t("benefit.col.parameter"), options=options,
                                                      format_func=fixed(label, options), required=True),
                           "value": CC.TextColumn(t("benefit.col.value"), help=t("benefit.help.parameter_value"))})


def _float(v: object) -> float | None:
    return None if v is None else float(v)  # a form field's initial value (the scenario reads it back exactly)


# ---------------------------------------------------------------------------------------------- results
def money_columns(df: pd.DataFrame, columns: list[str]) -> dict[str, object]:
    return {c: CC.NumberColumn(name("level", c) if c in LEVELS else t("benefit.col." + c)) for c in columns if c in df}


def localise(df: pd.DataFrame, city: Callable[[object], str]) -> pd.DataFrame:
    """Codes by their names in the reader's language (display only; amounts untouched)."""
    out = df.copy()

    def any_city(c: object) -> str:
        return t("benefit.all_cities") if c == "all cities" else city(c)

    def tax(x: object) -> str:
        return t("benefit.col.total") if x == "total" else name("tax", x)

    def level(x: object) -> str:
        return t("benefit.col.total") if x == "total" else name("level", x)

    for column, fn in (("city", any_city), ("tax", tax), ("component", named("component")), ("level", level),
                       ("period", partial(names.period_name, lang=L)), ("confidence", named("confidence"))):
        if column in out:
            out[column] = out[column].map(fn)
    return out


def level_chart(frame: pd.DataFrame, key: str, title: str, unit: str, city: Callable[[object], str]) -> None:
    """Stacked bars: per city (a panel each) and year, what each level of government receives."""
    levels = [lv for lv in LEVELS if lv in frame]
    if frame.empty or not levels:
        return
    long = frame.melt(id_vars=["year", "city"], value_vars=levels, var_name="level", value_name="amount")
    long = long.assign(amount=long["amount"].map(float),  # plotting only; tables keep the exact Decimal
                       year=long["year"].map(str), city=long["city"].map(city),
                       level=long["level"].map(named("level")))
    fig = px.bar(long, x="year", y="amount", color="level", facet_col="city", barmode="relative",
                 labels={"year": t("benefit.col.year"), "amount": t("benefit.col.amount", unit=unit),
                         "level": t("benefit.col.level"), "city": t("common.city")},
                 category_orders={"level": [name("level", x) for x in levels]},
                 color_discrete_map={name("level", x): LEVEL_COLOURS[x] for x in levels})
    fig.for_each_annotation(lambda a: a.update(text=a.text.split("=")[-1]))
    fig.update_layout(height=360, margin=dict(l=10, r=10, t=50, b=10), title=title, legend_title_text="")
    st.plotly_chart(fig, width="stretch", key=K + key)


def evaluated(scenario: Scenario) -> Result:
    try:
        return evaluate(scenario)
    except (ScenarioError, ValueError) as exc:  # e.g. an override the statute's own rules cannot use
        st.error(t("benefit.bad_scenario", reason=str(exc)))
        st.stop()
        raise  # unreachable: st.stop() ends the run


def results(scenario: Scenario, result: Result, source_key: str) -> None:
    """The statutory and agreed receipts of ``scenario``, the agreement's net effect, its warnings, the
    inputs that cannot change it, and its trace."""
    city = partial(scenario.city_name, lang=L)
    unit = name("unit", result.unit)
    st.header(t("benefit.results", name=scenario.title(L)))
    unchanged_notice(scenario, result, source_key)
    if result.warnings:
        with st.container(border=True):
            st.markdown(f"**:material/warning: {t('benefit.warnings', n=len(result.warnings))}**")
            for w in result.warnings:
                st.warning(f"**{name('warning', w.code)}** — {w.text(L)}")
    if scenario.enterprise is None:
        return
    effect_panel(result, city)
    st.download_button(t("benefit.excel"), data=partial(excel_bytes, result, lang=L), on_click="ignore",
                       file_name=export_file_name(result, L), mime=XLSX, key=K + "excel")
    year = CC.NumberColumn(t("benefit.col.year"), format="%d")
    tabs = st.tabs([t("benefit.tab.levels"), t("benefit.tab.with_without"), t("benefit.tab.summary"),
                    t("benefit.tab.value_added")])
    with tabs[0]:
        levels = receipts_by_level(result, with_agreements=True)
        st.caption(t("benefit.levels_help", unit=unit))
        show(localise(levels, city), "levels", year=year, city=t("common.city"),
             **money_columns(levels, [*LEVELS, "total"]))
        level_chart(levels, "levels_chart", t("benefit.levels_chart"), unit, city)
    with tabs[1]:
        if not result.has_agreements:
            st.info(t("benefit.no_agreement"))
        else:
            without = receipts_by_level(result, with_agreements=False)
            left, right = st.columns(2)
            with left:
                level_chart(without, "without_chart", t("benefit.without"), unit, city)
            with right:
                level_chart(levels, "with_chart", t("benefit.with"), unit, city)
            wvw = result.with_vs_without()
            show(localise(wvw, city), "with_without", year=year, tax=t("benefit.col.tax"), city=t("common.city"),
                 **money_columns(wvw, ["without_agreements", "transfer", "with_agreements"]))
    summary = result.summary()
    with tabs[2]:
        taxes_only = summary[summary["tax"] != "value_added"].dropna(axis=1, how="all")
        show(localise(taxes_only, city), "summary", year=year, tax=t("benefit.col.tax"), city=t("common.city"),
             **{c: CC.NumberColumn(name("component", c)) for c in taxes_only.columns[3:]})
    with tabs[3]:
        va = summary[summary["tax"] == "value_added"]
        if va.empty:
            st.info(t("benefit.no_value_added"))
        else:
            va = va.dropna(axis=1, how="all").drop(columns=["tax"])
            st.caption(t("benefit.value_added_help"))
            show(localise(va, city), "value_added", year=year, city=t("common.city"),
                 **{c: CC.NumberColumn(name("component", c)) for c in va.columns[2:]})
    unused_panel(result)
    with st.expander(t("benefit.trace"), expanded=False):
        trace_table(result.trace_frame(L), unit, city)


def effect_panel(result: Result, city: Callable[[object], str]) -> None:
    """What the agreement does over the scenario's term: one sentence, a table per city and tax (law vs
    agreement), and the agreement rows it adds up."""
    effect = net_effect(result)
    if effect is None:
        return
    unit = name("unit", result.unit)
    with st.container(border=True):
        st.subheader(t("benefit.effect.title", years=years_text(result.years, L)))
        st.markdown(effect.sentence(L))
        frame = effect.frame(L)
        show(localise(frame, city), "effect", city=t("common.city"), tax=t("benefit.col.tax"),
             without_agreements=CC.NumberColumn(t("benefit.effect.without", unit=unit), format=MONEY),
             transfer=CC.NumberColumn(t("benefit.effect.transfer", unit=unit), format=MONEY),
             with_agreements=CC.NumberColumn(t("benefit.effect.with", unit=unit), format=MONEY))
        st.caption(t("benefit.effect.help"))
        with st.expander(t("benefit.effect.trace", n=len(effect.lines))):
            show(localise(effect.trace_frame(L), city), "effect_trace",
                 year=CC.NumberColumn(t("benefit.col.year"), format="%d"), tax=t("benefit.col.tax"),
                 city=t("common.city"), amount=CC.NumberColumn(t("benefit.col.amount", unit=unit), format=MONEY),
                 rule=t("benefit.col.rule"), reference=t("benefit.col.legal_reference"))


def unused_panel(result: Result) -> None:
    """The inputs that cannot change this result and the rule that makes it so: beside the form's fields
    (when the scenario comes from the form) and in one list here."""
    if not result.unused:
        return
    lines = {u.path: f"- **{result.input_name(u.path, L)}**：{u.text(L)}（{u.cites(L)}）" if L == "zh" else
             f"- **{result.input_name(u.path, L)}**: {u.text(L)} ({u.cites(L)})" for u in result.unused}
    for slot, belongs in (("factors", lambda p: ".factors." in p),
                          ("transfer_price", lambda p: p == "enterprise.markup" or p.endswith(".service_cost"))):
        mine = [line for path, line in lines.items() if belongs(path)]
        if slot in SLOTS and mine:
            SLOTS[slot].info(t("benefit.unused.here") + "\n" + "\n".join(mine), icon=":material/info:")
    with st.expander(t("benefit.unused.title", n=len(lines))):
        st.markdown(t("benefit.unused.help") + "\n" + "\n".join(lines.values()))


def unchanged_notice(scenario: Scenario, result: Result, source_key: str) -> None:
    """After an edit that changed no amount: which inputs changed, and why each cannot matter."""
    now = (source_key, scenario.to_dict(), outcome(result))
    last = st.session_state.get(K + "last")
    st.session_state[K + "last"] = now
    if not last or last[0] != source_key or last[2] != now[2]:
        return
    changed = changed_inputs(last[1], now[1])
    if not changed:
        return
    sep = "：" if L == "zh" else ": "
    lines = []
    for path, why in why_unchanged(result, changed):
        reason = f"{why.text(L)}（{why.cites(L)}）" if why and L == "zh" else \
            f"{why.text(L)} ({why.cites(L)})" if why else t("benefit.unchanged.no_rule")
        lines.append(f"- **{result.input_name(path, L)}**{sep}{reason}")
    st.info(t("benefit.unchanged.title") + "\n" + "\n".join(lines), icon=":material/info:")


def trace_table(trace: pd.DataFrame, unit: str, city: Callable[[object], str]) -> None:
    """Every amount's rule, parameter, value and legal reference, filtered by text, year, tax and city."""
    f1, f2, f3, f4 = st.columns([3, 1, 1, 1])
    text = f1.text_input(t("benefit.trace_filter"), key=K + "trace_text", placeholder=t("benefit.trace_hint"))
    ty = f2.multiselect(t("benefit.col.year"), sorted(trace["year"].unique()), key=K + "trace_year")
    taxes = list(dict.fromkeys(trace["tax"]))
    tt = f3.multiselect(t("benefit.col.tax"), taxes, key=K + "trace_tax", format_func=fixed(named("tax"), taxes))
    cities = list(dict.fromkeys(trace["city"]))
    tc = f4.multiselect(t("common.city"), cities, key=K + "trace_city", format_func=fixed(city, cities))
    keep = pd.Series(True, index=trace.index)
    if ty:
        keep &= trace["year"].isin(ty)
    if tt:
        keep &= trace["tax"].isin(tt)
    if tc:
        keep &= trace["city"].isin(tc)
    shown = localise(trace[keep], city)
    if text:  # in what the reader sees, and the parameter's code
        hay = shown[["component", "rule", "parameter", "parameter_name", "value", "reference"]].astype(str).agg(
            " ".join, axis=1)
        shown = shown[hay.str.contains(text, case=False, regex=False)]
    st.caption(t("benefit.trace_count", n=len(shown), total=len(trace)))
    show(shown, "trace", row=CC.NumberColumn("#", width="small"),
         year=CC.NumberColumn(t("benefit.col.year"), format="%d"), tax=t("benefit.col.tax"), city=t("common.city"),
         component=t("benefit.col.component"), period=t("benefit.col.period"),
         amount=CC.NumberColumn(t("benefit.col.amount", unit=unit)), rule=t("benefit.col.rule"),
         parameter=None, parameter_name=t("benefit.col.parameter"), value=t("benefit.col.value"),
         reference=t("benefit.col.legal_reference"), confidence=t("benefit.col.confidence"))


# ---------------------------------------------------------------------------------------------- comparison
def comparison(scenario: Scenario, result: Result, tpls: Mapping[str, tuple[str, str, bool, bool]],
               current: str | None) -> None:
    """Two or more scenarios side by side: per city and level of government, over each one's term."""
    st.subheader(t("benefit.compare.title"))
    options = [s for s in tpls if tpls[s][2] and s != current]
    picked = st.multiselect(t("benefit.compare.pick"), options, format_func=lambda s: tpls[s][0],
                            key=K + "compare", placeholder=t("benefit.compare.placeholder"))
    if not picked:
        st.caption(t("benefit.compare.hint"))
        return
    scenarios, found = [scenario], [result]
    for stem in picked:
        try:
            other = load_scenario(tpls[stem][1])
            found.append(evaluate(other))
        except (ScenarioError, ValueError) as exc:
            st.error(t("benefit.bad_scenario", reason=one_line(exc) if isinstance(exc, ScenarioError) else str(exc)))
            return
        scenarios.append(other)
    # short column titles (① ② …) so that several scenarios fit at 1366 px; the legend gives each in full
    marks = "①②③④⑤⑥⑦⑧⑨⑩"
    titles = [t("benefit.compare.column", mark=marks[i % len(marks)]) for i in range(len(scenarios))]
    st.markdown("  \n".join(f"{mark} {s.title(L)}（{years_text(r.years, L)}）" if L == "zh" else
                            f"{mark} {s.title(L)} ({years_text(r.years, L)})"
                            for mark, s, r in zip(marks, scenarios, found, strict=False)))
    table = side_by_side(found, titles)
    city_names = {c: s.city_name(c, L) for s in scenarios for c in {e.city for e in s.establishments}}
    unit = name("unit", result.unit)
    money = {c: CC.NumberColumn(c if not c.startswith("Δ ") else t("benefit.compare.delta", name=c[2:]))
             for c in table.columns[2:]}
    show(localise(table, lambda c: city_names.get(str(c), name("city", c))), "compare", city=t("common.city"),
         level=t("benefit.col.level"), **money)
    st.caption(t("benefit.compare.help", unit=unit))


# ---------------------------------------------------------------------------------------------- allocation
def allocation_panel(game: Any, unit: str, seed: str) -> None:
    """A joint surplus split by each cooperative rule; players that are the cluster's cities are shown by
    their names in the reader's language (and read back as codes)."""
    shown = {p: name("city", p) for p in names.CITIES}
    code = {v: k for k, v in shown.items()}

    def player(p: object) -> str:
        return shown.get(str(p), str(p))

    def coalition(c: object) -> str:
        return "+".join(player(m) for m in str(c).split("+"))

    weights = game.weights or {}
    players_df = edit(
        form_frame([{"player": player(p), "weight": float(weights[p]) if p in weights else None} for p in game.players],
                   ["player", "weight"]), seed + "players",
        column_config={"player": CC.TextColumn(t("benefit.alloc.player"), required=True),
                       "weight": CC.NumberColumn(t("benefit.alloc.weight"), min_value=0.0, max_value=1.0, step=0.05,
                                                 help=t("benefit.alloc.weight_help"))})
    rows = [{**r, "player": code.get(str(r["player"]), r["player"])} for r in players_df.to_dict("records")
            if not pd.isna(r["player"])]
    players = [str(r["player"]) for r in rows]
    st.caption(t("benefit.alloc.values_help"))
    coalitions = coalition_rows(players, game.values)
    values_df = edit(
        form_frame([{**r, "coalition": coalition(r["coalition"])} for r in coalitions], ["coalition", "value"]),
        seed + "values." + "|".join(players), num_rows="fixed", disabled=["coalition"], width="stretch",
        column_config={"coalition": CC.TextColumn(t("benefit.alloc.coalition")),
                       "value": CC.NumberColumn(t("benefit.alloc.value", unit=unit), required=True)})
    values = [{**r, "coalition": c["coalition"]} for r, c in zip(values_df.to_dict("records"), coalitions, strict=True)]
    rules = st.multiselect(t("benefit.alloc.rules"), list(GAME_RULES), default=list(game.rules),
                           format_func=fixed(named("game_rule"), GAME_RULES), key=seed + "rules")
    with st.expander(t("benefit.alloc.explain")):
        st.markdown("\n\n".join(f"**{name('game_rule', r)}** — {name('game_rule_help', r)}"
                                 for r in (rules or GAME_RULES)) + "\n\n" + t("benefit.alloc.core_help"))
    try:
        allocations, warnings = allocation_from_rows(rows, values, rules, t("benefit.alloc.source"))
    except ScenarioError as exc:
        st.error(t("benefit.bad_scenario", reason=one_line(exc)))
        return
    for w in warnings:
        st.warning(f"**{name('warning', w.code)}** — {w.text(L)}")
    table = allocations_table(allocations, L)
    if table.empty:
        return
    exact = t("benefit.alloc.exact")
    view = pd.DataFrame({
        t("benefit.alloc.rule"): table["rule"].map(named("game_rule")),
        t("benefit.alloc.player"): table["player"].map(player),
        t("benefit.col.amount", unit=unit): table["amount"].map(format_amount),
        exact: table["exact"],
        t("benefit.alloc.in_core"): table["in_core"].map(lambda b: t("benefit.yes") if b else t("benefit.no")),
        t("benefit.alloc.note"): table["note"].replace("", "—"),
    })
    tips = pd.DataFrame("", index=view.index, columns=view.columns)
    tips[exact] = table["fraction"].map(lambda f: t("benefit.alloc.fraction", value=f) if f else "")
    st.table(view.style.set_tooltips(tips).hide(axis="index"))
    st.caption(t("benefit.alloc.exact_help"))
    chart = table.assign(amount=table["amount"].map(float), rule=table["rule"].map(named("game_rule")),
                         player=table["player"].map(player),
                         fraction=table["fraction"].map(lambda f: f" = {f}" if f else ""))
    fig = px.bar(chart, x="player", y="amount", color="rule", barmode="group", custom_data=["exact", "fraction"],
                 labels={"player": t("benefit.alloc.player"), "rule": t("benefit.alloc.rule"),
                         "amount": t("benefit.col.amount", unit=unit)})
    fig.update_traces(hovertemplate="%{x}: %{customdata[0]}%{customdata[1]}<extra></extra>")
    fig.update_layout(height=340, margin=dict(l=10, r=10, t=40, b=10), title=t("benefit.alloc.chart"),
                      legend_title_text="")
    st.plotly_chart(fig, width="stretch", key=K + "alloc_chart")


def game_section(scenario: Scenario, unit: str, tpls: Mapping[str, tuple[str, str, bool, bool]]) -> None:
    """The scenario's own game; without one, an example only when asked for, and labelled as one."""
    game = scenario.game
    if game is not None:
        st.subheader(t("benefit.alloc.title"))
        allocation_panel(game, unit, f"{K}alloc.{abs(hash((scenario.name, game.players)))}.")
        return
    example = BS08 if BS08 in tpls and tpls[BS08][3] else next((s for s in tpls if tpls[s][3]), None)
    if example is None or not st.toggle(t("benefit.alloc.example_toggle"), key=K + "example"):
        return
    with st.container(border=True):
        st.subheader(t("benefit.alloc.example_title", name=tpls[example][0]))
        st.info(t("benefit.alloc.example"), icon=":material/science:")
        game = load_scenario(tpls[example][1]).game
        allocation_panel(game, unit, f"{K}example.{example}.")


def scenario_input(tpls: Mapping[str, tuple[str, str, bool, bool]]) -> tuple[Scenario | None, str]:
    """The scenario, from a template, a form or an uploaded file (None: nothing valid yet, or an error shown),
    and where it came from (``template:<stem>``, ``form:<stem>``, ``upload:<file>``: an edit is a change
    of the same source)."""
    sources = ["template", "form", "upload"]
    source = st.radio(t("benefit.source"), sources, format_func=fixed(lambda s: t("benefit.source." + s), sources),
                      horizontal=True, key=K + "source")
    if source == "form":
        return scenario_form(dict(tpls)), f"form:{st.session_state.get(K + 'form.start')}"
    if source == "upload":
        up = st.file_uploader(t("benefit.upload"), type=["yaml", "yml", "json"], key=K + "upload",
                              help=t("benefit.upload_help"))
        if up is None:
            return None, "upload:"
        try:
            return load_scenario_bytes(up.getvalue(), up.name), f"upload:{up.name}"
        except ScenarioError as exc:
            st.error(t("benefit.bad_scenario", reason=one_line(exc)))
            return None, f"upload:{up.name}"
    stems = list(tpls)
    pick = st.selectbox(t("benefit.template"), stems, format_func=lambda s: tpls[s][0], key=K + "template",
                        index=stems.index(BS01) if BS01 in stems else 0)
    try:
        return load_scenario(tpls[pick][1]), f"template:{pick}"
    except ScenarioError as exc:
        st.error(t("benefit.bad_scenario", reason=one_line(exc)))
        return None, f"template:{pick}"


# ---------------------------------------------------------------------------------------------- the page
st.title(t("benefit.title"))
st.caption(t("benefit.intro"))
tpls = templates(L)
scenario, source_key = scenario_input(tpls)
if scenario is None:
    st.stop()
result = evaluated(scenario)
results(scenario, result, source_key)
if scenario.enterprise is not None:
    comparison(scenario, result, tpls, source_key.split(":", 1)[1] if source_key.startswith("template:") else None)
game_section(scenario, name("unit", result.unit), tpls)
