"""概览 Overview: how fresh the data is, who is in it (by city, chain, type), where (a map by district,
drawn offline) and which way the current top matches flow between the three cities."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from app_pages._resources import built, built_version, data_version, db_path, store, top_matches
from app_pages.i18n import lang, t
from app_pages.login import current_viewer
from app_pages.style import CITY_COLOURS
from matchmaking import portal
from matchmaking.accounts import Viewer
from matchmaking.network import aspect_ratio, city_flows, city_outlines
from matchmaking.reference import CITIES, chains
from matchmaking.views import LINK_TEXT, recent_parties

K = "overview."  # session-state namespace of this page
L = lang()
STALE_DAYS = 90
RECENT = 10  # profiles in the "latest" list


@st.cache_data(show_spinner=False, max_entries=8)
def _stats(path: str, version: int, viewer: Viewer) -> dict[str, pd.DataFrame]:
    return portal.counts(store(), viewer)  # small cells suppressed for officials


@st.cache_data(show_spinner=False, max_entries=8)
def _districts(path: str, version: int, viewer: Viewer) -> pd.DataFrame:
    return portal.districts(built().matcher, viewer)


def city(c: object) -> str:
    return t(f"city.{c}") if c in CITIES else str(c)


def chain(c: object) -> str:
    return chains().chain_name(str(c), L) if c in chains().chain_ids() else t("overview.no_chain")


def kind_label(group: str, value: object) -> str:
    key = f"{group}.{value}"
    return t(key) if t(key) != key else str(value)


path, version = str(db_path()), data_version()
V = current_viewer()
st.title(t("overview.title"))

# ---------------------------------------------------------------- freshness (stale data is the #1 complaint)
uploads = store().uploads(limit=1)
n_orgs, n_projects = store().count("organisations"), store().count("projects")
if uploads.empty:
    st.warning(t("overview.no_uploads"))
    st.stop()
last = pd.Timestamp(uploads.received_at.iloc[0])
age = max((pd.Timestamp(datetime.now()) - last).days, 0)
line = t("overview.freshness", when=last.strftime("%Y-%m-%d %H:%M"), days=age, orgs=n_orgs, projects=n_projects,
         uploads=int(uploads.upload_id.iloc[0]), file=uploads.file_name.iloc[0])
(st.warning if age > STALE_DAYS else st.caption)((":material/warning: " if age > STALE_DAYS else ":material/schedule: ") + line)

tables = _stats(path, version, V)
matches = top_matches(5)
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("overview.orgs"), n_orgs)
c2.metric(t("overview.projects"), n_projects)
c3.metric(t("overview.matches"), len(matches))
c4.metric(t("overview.cross_share"), f"{matches.cross_city.mean():.0%}" if len(matches) else "—")

# ---------------------------------------------------------------- the latest profiles, each a link to its page
with st.expander(t("overview.recent", n=RECENT), expanded=False):
    st.dataframe(recent_parties(store(), L, RECENT), hide_index=True, width="stretch", key=K + "recent",
                 column_order=["link", "city", "type", "version", "updated_at"],
                 column_config={"link": st.column_config.LinkColumn(t("common.name"), display_text=LINK_TEXT),
                                "city": t("common.city"), "type": t("overview.recent_type"),
                                "version": st.column_config.NumberColumn(t("overview.recent_version"), width="small"),
                                "updated_at": st.column_config.DatetimeColumn(t("overview.recent_at"),
                                                                              format="YYYY-MM-DD HH:mm")})


# ---------------------------------------------------------------- who: by city, chain and type
def bars(table: pd.DataFrame, row_label, title: str, key: str) -> None:
    """A crosstab (rows × cities, with totals) as a stacked bar chart and, folded away, as a table."""
    if table.empty:
        st.info(t("common.none"))
        return
    body = table.drop(index="total", columns="total", errors="ignore")
    long = body.reset_index(names="row").melt(id_vars="row", var_name="city", value_name="n")
    long["city_label"] = long.city.map(city)
    long["row"] = long.row.map(row_label)
    fig = px.bar(long, x="row", y="n", color="city_label", barmode="stack", title=title,
                 color_discrete_map={city(c): v for c, v in CITY_COLOURS.items()},
                 category_orders={"city_label": [city(c) for c in CITIES]},
                 labels={"row": "", "n": t("overview.count"), "city_label": t("common.city")})
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=40, b=10), legend_title_text="")
    st.plotly_chart(fig, width="stretch", key=K + key)
    with st.expander(t("overview.table")):
        shown = table.rename(index=lambda r: t("overview.total") if r == "total" else row_label(r),
                             columns=lambda c: t("overview.total") if c == "total" else city(c))
        st.dataframe(shown, width="stretch")


def who(kind: str, key: str, family: str, title: str, second: str) -> None:
    """One tab: organisations or projects by chain, and by type (or stage), per city."""
    left, right = st.columns(2)
    with left:
        bars(tables[f"{kind}_by_chain_city"], chain, t("overview.by_chain"), f"{key}_chain")
    with right:
        bars(tables[f"{kind}_by_city_type"], lambda v: kind_label(family, v), t(title), f"{key}_{second}")


st.subheader(t("overview.who"))
if V.role != "staff":
    st.caption(t("overview.suppressed"))
tab_o, tab_p = st.tabs([t("overview.tab_orgs"), t("overview.tab_projects")])
with tab_o:
    who("organisations", "org", "orgtype", "overview.by_type", "type")
with tab_p:
    who("projects", "proj", "overview.stage", "overview.by_stage", "stage")

# ---------------------------------------------------------------- where: districts, drawn without tiles
st.subheader(t("overview.map_title"))
districts = _districts(path, built_version(), V)  # of the matcher served (the previous one while it refreshes)
if V.role != "staff":
    st.caption(t("overview.suppressed"))
left, right = st.columns([3, 2])
with left:
    fig = go.Figure()
    for c, outline in city_outlines().groupby("city", sort=False):
        fig.add_trace(go.Scatter(x=outline.lng, y=outline.lat, mode="lines", fill="toself", hoverinfo="skip",
                                 line=dict(color=CITY_COLOURS[c], width=1), opacity=0.12, showlegend=False))
    placed = districts.dropna(subset=["lng", "lat"])
    sizes = pd.to_numeric(placed.organisations, errors="coerce").fillna(1)  # a blanked count: the smallest dot
    biggest = max(int(sizes.max()) if len(placed) else 1, 1)
    for c in CITIES:
        d = placed[placed.city == c]
        name = d.district_zh if L == "zh" else d.district_en
        fig.add_trace(go.Scatter(
            x=d.lng, y=d.lat, mode="markers+text", name=city(c), text=name.where(sizes[d.index] > 0, ""),
            textposition="top center", textfont=dict(size=9),
            marker=dict(size=6 + 34 * (sizes[d.index] / biggest) ** 0.5, color=CITY_COLOURS[c], opacity=0.75,
                        line=dict(width=1, color="white")),
            customdata=list(zip(name, d.organisations, d.projects, strict=True)),
            hovertemplate="%{customdata[0]}<br>" + t("overview.orgs") + ": %{customdata[1]}<br>"
                          + t("overview.projects") + ": %{customdata[2]}<extra></extra>"))
    fig.update_xaxes(title=t("overview.lng"), showgrid=False, zeroline=False)
    fig.update_yaxes(title=t("overview.lat"), showgrid=False, zeroline=False, scaleanchor="x",
                     scaleratio=aspect_ratio())
    fig.update_layout(height=520, margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="#fafafa",
                      legend=dict(orientation="h", y=1.02, x=0))
    st.plotly_chart(fig, width="stretch", key=K + "map")
    st.caption(t("overview.map_note"))
with right:
    view = districts.assign(city=districts.city.map(city),
                            district=districts.district_zh if L == "zh" else districts.district_en)
    st.dataframe(view[["city", "district", "organisations", "projects", "total"]], hide_index=True,
                 width="stretch", height=520, key=K + "districts",
                 column_config={"city": t("common.city"), "district": t("overview.district"),
                                "organisations": st.column_config.ProgressColumn(
                                    t("overview.orgs"), format="%d", min_value=0, max_value=biggest),
                                "projects": t("overview.projects"), "total": t("overview.total")})

# ---------------------------------------------------------------- which way matches flow
st.subheader(t("overview.flows_title"))
s1, s2 = st.columns([2, 1])
min_score = s1.slider(t("overview.flow_min"), 0.0, 1.2, 0.0, 0.05, key=K + "flow_min")
cross_only = s2.checkbox(t("matches.cross_only"), key=K + "flow_cross")
flows = city_flows(matches, min_score, cross_only)
if flows.empty:
    st.info(t("overview.no_flows"))
else:
    n = len(CITIES)
    labels = [t("overview.needs_in", city=city(c)) for c in CITIES] + [t("overview.answered_in", city=city(c))
                                                                      for c in CITIES]
    src = flows.source.map({c: i for i, c in enumerate(CITIES)})
    dst = flows.target.map({c: n + i for i, c in enumerate(CITIES)})
    link_colours = [CITY_COLOURS[c].replace("#", "") for c in flows.source]
    fig = go.Figure(go.Sankey(
        arrangement="fixed",
        node=dict(label=labels, color=[CITY_COLOURS[c] for c in CITIES] * 2, pad=18, thickness=16),
        link=dict(source=src, target=dst, value=flows.matches,
                  color=[f"rgba({int(h[:2], 16)},{int(h[2:4], 16)},{int(h[4:], 16)},0.35)" for h in link_colours],
                  customdata=flows.mean_score.round(3),
                  hovertemplate="%{source.label} → %{target.label}<br>" + t("overview.flow_n")
                                + ": %{value}<br>" + t("overview.flow_mean") + ": %{customdata}<extra></extra>")))
    fig.update_layout(height=380, margin=dict(l=10, r=10, t=10, b=10))
    left, right = st.columns([3, 2])
    left.plotly_chart(fig, width="stretch", key=K + "sankey")
    right.dataframe(flows.assign(source=flows.source.map(city), target=flows.target.map(city),
                                 mean_score=flows.mean_score.round(3)),
                    hide_index=True, width="stretch",
                    column_config={"source": t("overview.flow_from"), "target": t("overview.flow_to"),
                                   "matches": t("overview.flow_n"), "mean_score": t("overview.flow_mean")})
    st.caption(t("overview.flows_note", k=5, n=matches.query_id.nunique()))
