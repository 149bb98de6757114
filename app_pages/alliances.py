"""联盟 Alliances: the network of strong matches across cities and chains, the communities in it proposed
as alliance rosters, and for each alliance the chain segments it still lacks with who could fill them."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages._resources import built, data_version, db_path, store, top_matches
from app_pages.i18n import joined, lang, t
from app_pages.style import CITY_COLOURS, RELATION_COLOURS
from matchmaking.matching import RELATION_NAMES, relation_name
from matchmaking.network import (
    ALLIANCE_NODE_LIMIT,
    Alliance,
    alliances,
    gap_candidates,
    largest_chain,
    network,
    roster,
    strong_parties,
)
from matchmaking.reference import CITIES, chain_order, chains

K = "alliances."  # session-state namespace of this page
L = lang()


@st.cache_data(show_spinner=False, max_entries=16)
def _alliances(path: str, version: int, min_score: float, cross: bool, chain_pick: tuple[str, ...],
               city_pick: tuple[str, ...], max_size: int) -> list[Alliance]:
    return alliances(top_matches(5), built().index, min_score, cross_city=cross,
                     max_size=max_size, chains_filter=chain_pick, cities_filter=city_pick)


@st.cache_data(show_spinner=False, max_entries=16)
def _strong(path: str, version: int, min_score: float, cross: bool) -> int:
    return strong_parties(top_matches(5), min_score, cross)


@st.cache_data(show_spinner=False, max_entries=4)
def _largest_chain(path: str, version: int) -> str | None:
    return largest_chain(built().index)


@st.cache_data(show_spinner=False, max_entries=16)
def _network(path: str, version: int, min_score: float, cross: bool, chain_pick: tuple[str, ...],
             city_pick: tuple[str, ...], max_size: int, max_nodes: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    found = _alliances(path, version, min_score, cross, chain_pick, city_pick, max_size)
    return network(top_matches(5), built().index, min_score, cross_city_only=cross, chains_filter=list(chain_pick),
                   cities_filter=list(city_pick), max_nodes=max_nodes, found=found)


def city(c: object) -> str:
    return t(f"city.{c}") if c in CITIES else str(c)


def segment(s: str) -> str:
    seg = chains().segments.get(s)
    return s if seg is None else seg.name_zh if L == "zh" else seg.name_en


path, version = str(db_path()), data_version()
st.title(t("alliances.title"))
st.caption(t("alliances.intro"))
if not store().count("organisations") and not store().count("projects"):
    st.warning(t("alliances.empty"))
    st.stop()
b = built()
ix = b.index

c1, c2, c3, c4 = st.columns([2, 1, 2, 2])
min_score = c1.slider(t("alliances.threshold"), 0.5, 1.2, 0.75, 0.05, key=K + "threshold",
                      help=t("alliances.threshold_help"))
cross = c2.checkbox(t("alliances.cross_only"), value=True, key=K + "cross")
n_strong = _strong(path, version, float(min_score), bool(cross))
large = n_strong > ALLIANCE_NODE_LIMIT
if large and K + "chains" not in st.session_state:  # large data: start from the largest chain
    biggest = _largest_chain(path, version)
    st.session_state[K + "chains"] = [biggest] if biggest else []
chain_pick = c3.multiselect(t("common.chain"), chains().chain_ids(), key=K + "chains",
                            format_func=lambda c: chains().chain_name(c, L))
city_pick = c4.multiselect(t("common.city"), list(CITIES), format_func=city, key=K + "cities")
with st.expander(t("alliances.more")):
    m1, m2 = st.columns(2)
    max_nodes = m1.slider(t("alliances.max_nodes"), 20, 300, 120, 10, key=K + "max_nodes")
    max_size = m2.slider(t("alliances.max_size"), 4, 30, 12, 1, key=K + "max_size")

matches = top_matches(5)
if large:
    st.caption(t("alliances.narrowed", n=n_strong, limit=ALLIANCE_NODE_LIMIT))
try:
    found = _alliances(path, version, float(min_score), bool(cross), tuple(chain_pick), tuple(city_pick),
                       int(max_size))
except ValueError:
    st.warning(t("alliances.too_large", n=n_strong, limit=ALLIANCE_NODE_LIMIT))
    st.stop()
nodes, edges = _network(path, version, float(min_score), bool(cross), tuple(chain_pick), tuple(city_pick),
                        int(max_size), int(max_nodes))

k1, k2, k3, k4 = st.columns(4)
k1.metric(t("alliances.n_edges"), len(edges))
k2.metric(t("alliances.n_alliances"), len(found))
k3.metric(t("alliances.n_members"), sum(len(a.members) for a in found))
k4.metric(t("alliances.n_gaps"), sum(len(a.gaps) for a in found))

# ---------------------------------------------------------------- the network
st.subheader(t("alliances.network"))
if nodes.empty:
    st.info(t("alliances.no_edges"))
else:
    fig = go.Figure()
    for rel, e in edges.groupby("relation", sort=True):
        xs = [v for r in e.itertuples() for v in (r.x0, r.x1, None)]
        ys = [v for r in e.itertuples() for v in (r.y0, r.y1, None)]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", name=relation_name(rel, L),
                                 line=dict(width=1.6, color=RELATION_COLOURS.get(rel, "#999")), opacity=0.8,
                                 legendgroup="rel", legendgrouptitle_text=t("common.relation")))
    for c in CITIES:
        d = nodes[nodes.city == c]
        if d.empty:
            continue
        fig.add_trace(go.Scatter(
            x=d.x, y=d.y, mode="markers", name=city(c), legendgroup="city",
            legendgrouptitle_text=t("common.city"),
            marker=dict(size=7 + 3 * d.degree.clip(upper=6), color=CITY_COLOURS[c],
                        symbol=["diamond" if k == "project" else "circle" for k in d.kind],
                        line=dict(width=1, color="white")),
            customdata=list(zip(d.name, d.chains.map(lambda v: joined(chains().chain_name(c, L) for c in v.split(";") if c)),
                                d.alliance.replace("", "—"), d.degree, strict=True)),
            hovertemplate="<b>%{customdata[0]}</b><br>" + t("common.chain") + ": %{customdata[1]}<br>"
                          + t("alliances.alliance") + ": %{customdata[2]}<br>" + t("alliances.degree")
                          + ": %{customdata[3]}<extra></extra>"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    fig.update_layout(height=560, margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white",
                      legend=dict(groupclick="toggleitem"))
    st.plotly_chart(fig, width="stretch", key=K + "network")
    st.caption(t("alliances.network_note", shown=len(nodes), cap=max_nodes))

# ---------------------------------------------------------------- the rosters
st.subheader(t("alliances.rosters"))
if not found:
    st.info(t("alliances.none"))
    st.stop()
table = pd.DataFrame([{
    "id": a.alliance_id, "name": a.name(L), "cities": joined(city(c) for c in a.cities),
    "members": len(a.members), "covered": len(a.segments), "gaps": len(a.gaps), "cohesion": a.cohesion,
    "mean_score": a.mean_score,
    "relations": joined(f"{relation_name(r, L)} {n}" for r, n in a.relations)} for a in found])
event = st.dataframe(
    table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
    key=K + "roster",
    column_config={
        "id": st.column_config.TextColumn("#", width="small"),
        "name": st.column_config.TextColumn(t("alliances.alliance"), width="large"),
        "cities": t("alliances.cities"), "members": t("alliances.members"),
        "covered": t("alliances.covered"), "gaps": t("alliances.gaps"),
        "cohesion": st.column_config.ProgressColumn(t("alliances.cohesion"), min_value=0.0, max_value=1.0,
                                                    format="%.2f", help=t("alliances.cohesion_help")),
        "mean_score": st.column_config.NumberColumn(t("alliances.mean_score"), format="%.3f"),
        "relations": t("alliances.relations")})
all_rows = roster(found, ix, L)
st.download_button(t("alliances.download_all"), all_rows.to_csv(index=False).encode("utf-8-sig"),
                   file_name="alliance_rosters.csv", mime="text/csv", key=K + "dl_all")

picked = event.selection.rows[0] if event.selection.rows else 0
a = found[picked]
st.subheader(f"{a.alliance_id} · {a.name(L)}")
st.caption(t("alliances.detail_note", cities=joined(city(c) for c in a.cities), cohesion=a.cohesion,
             edges=a.edges))

left, right = st.columns([3, 2])
with left:
    st.markdown(f"**{t('alliances.members')}**")
    members = all_rows[all_rows.alliance_id == a.alliance_id]
    st.dataframe(members.assign(city=members.city.map(city),
                                kind=members.kind.map(lambda k: t("orgtype.project") if k == "project"
                                                      else t("alliances.organisation")),
                                segments=members.segments.map(lambda v: joined(segment(x) for x in v.split(";") if x))),
                 hide_index=True, width="stretch", key=K + "members",
                 column_order=["name", "city", "kind", "segments", "member_id"],
                 column_config={"name": t("common.name"), "city": t("common.city"), "kind": t("alliances.kind"),
                                "segments": t("alliances.member_segments"), "member_id": t("alliances.id")})
with right:
    st.markdown(f"**{t('alliances.chain_strip')}**")
    covered = set(a.segments)
    strip = pd.DataFrame([{"segment": segment(s), "status": "● " + t("alliances.has") if s in covered
                           else "○ " + t("alliances.missing")} for c in a.chains for s in chain_order(c)])
    st.dataframe(strip, hide_index=True, width="stretch", key=K + "strip",
                 column_config={"segment": t("alliances.segment"), "status": t("alliances.status")})

st.markdown(f"**{t('alliances.gap_title')}**")
if not a.gaps:
    st.success(t("alliances.no_gaps"))
    cands = pd.DataFrame()
else:
    cands = gap_candidates(a, ix, matches, per_gap=3, matcher=b.matcher,
                           exclude=[p for other in found if other is not a for p in other.members])
    if cands.empty:
        st.info(t("alliances.no_candidates"))
    else:
        names = dict(zip(ix.pid, ix.name, strict=True))
        st.dataframe(cands.assign(segment=cands.segment.map(segment), city=cands.city.map(city),
                                  fit=cands.fit.map(lambda f: t(f"alliances.fit_{f}")),
                                  best_member=cands.best_member.map(lambda p: names.get(p, "—") if p else "—"),
                                  relation=cands.relation.map(lambda r: relation_name(r, L) if r in RELATION_NAMES
                                                              else "—")),
                     hide_index=True, width="stretch", key=K + "candidates",
                     column_order=["segment", "rank", "name", "city", "fit", "strength", "linked_members",
                                   "best_member", "relation", "candidate_id"],
                     column_config={"segment": t("alliances.segment"), "rank": "#", "name": t("common.name"),
                                    "city": t("common.city"), "fit": t("alliances.fit"),
                                    "strength": st.column_config.NumberColumn(t("alliances.strength"), format="%.3f",
                                                                              help=t("alliances.strength_help")),
                                    "linked_members": t("alliances.linked"), "best_member": t("alliances.best_member"),
                                    "relation": t("common.relation"), "candidate_id": t("alliances.id")})
    st.caption(t("alliances.gap_note"))
one = pd.concat([members.assign(role="member", segment=""),
                 cands.rename(columns={"candidate_id": "member_id"}).assign(
                     role="candidate", alliance_id=a.alliance_id, alliance=a.name(L))
                 if not cands.empty else None], ignore_index=True)
st.download_button(t("alliances.download_one", id=a.alliance_id), one.to_csv(index=False).encode("utf-8-sig"),
                   file_name=f"alliance_{a.alliance_id}.csv", mime="text/csv", key=K + "dl_one")
