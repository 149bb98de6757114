"""联盟 Alliances: the network of strong matches within industry chains across cities, the communities in it
proposed as alliance rosters (one chain each, members who share it, where they are), and for each alliance
the chain segments it still lacks with who could fill them. Every party links to its profile page
(``profile_link``, the one place that knows that page's address)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages._resources import built, built_version, db_path, store, top_matches
from app_pages.i18n import joined, lang, t
from app_pages.style import CITY_COLOURS, RELATION_COLOURS
from matchmaking.matching import RELATION_NAMES, relation_name
from matchmaking.network import (
    ALLIANCE_NODE_LIMIT,
    MIN_MATCH_STRENGTH,
    Alliance,
    alliances,
    gap_candidates,
    largest_chain,
    network,
    roster,
    segment_name,
    strong_parties,
)
from matchmaking.reference import CITIES, chain_order, chains
from matchmaking.views import LINK_TEXT, party_url

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
    return segment_name(s, L)


#: The app's page for one organisation or project (docs/app.md): every party on this page links there.
PROFILE_PAGE = "profile"


def profile_link(kind: str, party_id: str, party_name: str) -> str:
    """A party's profile address (``profile?org=<credit code>`` / ``profile?project=<id>``), its name riding
    along as the link's text (``LINK_TEXT``)."""
    return party_url(PROFILE_PAGE, kind, party_id, L, party_name)


def city_shares(a: Alliance) -> str:
    """Where an alliance's members are: 苏州 5 · 上海 2 · 南通 1."""
    return " · ".join(f"{city(c)} {n}" for c, n in a.city_counts)


path, version = str(db_path()), built_version()  # what is cached here is of the matcher served
st.title(t("alliances.title"))
st.caption(t("alliances.intro"))
if not store().count("organisations") and not store().count("projects"):
    st.warning(t("alliances.empty"))
    st.stop()
b = built()
ix = b.index

c1, c2, c3, c4 = st.columns([2, 1, 2, 2])
min_score = c1.slider(t("alliances.threshold"), MIN_MATCH_STRENGTH, 1.2, 0.75, 0.05, key=K + "threshold",
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
    max_nodes = m1.slider(t("alliances.max_nodes"), 20, 400, 240, 10, key=K + "max_nodes")
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
    names_of = {a.alliance_id: a.name(L) for a in found}
    fig = go.Figure()
    for rel, e in edges[edges.same_block].groupby("relation", sort=True):  # links between clusters: not drawn
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
            x=d.x, y=d.y, mode="markers+text", name=city(c), legendgroup="city",
            legendgrouptitle_text=t("common.city"), text=d.label, textposition="bottom center",
            textfont=dict(size=10, color="#333"),
            marker=dict(size=7 + 3 * d.degree.clip(upper=6), color=CITY_COLOURS[c],
                        symbol=["diamond" if k == "project" else "circle" for k in d.kind],
                        line=dict(width=1, color="white")),
            customdata=list(zip(d.name, d.chains.map(lambda v: joined(chains().chain_name(c, L) for c in v.split(";") if c)),
                                d.alliance.map(lambda a: f"{a} · {names_of[a]}" if a in names_of else "—"), d.degree,
                                strict=True)),
            hovertemplate="<b>%{customdata[0]}</b><br>" + t("common.chain") + ": %{customdata[1]}<br>"
                          + t("alliances.alliance") + ": %{customdata[2]}<br>" + t("alliances.degree")
                          + ": %{customdata[3]}<extra></extra>"))
    for aid, d in nodes[nodes.alliance != ""].groupby("alliance"):  # each alliance's number above its cluster
        fig.add_annotation(x=float(d.x.mean()), y=float(d.y.max()) + 0.45, text=f"<b>{aid}</b>", showarrow=False,
                           font=dict(size=11, color="#555"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    span_x, span_y = float(nodes.x.max() - nodes.x.min()) or 1.0, float(nodes.y.max() - nodes.y.min()) or 1.0
    fig.update_layout(height=int(min(900, max(380, 1000 * span_y / span_x + 120))),  # as tall as the drawing
                      margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white", legend=dict(groupclick="toggleitem"))
    st.plotly_chart(fig, width="stretch", key=K + "network")
    st.caption(t("alliances.network_note", shown=len(nodes), cap=max_nodes))

# ---------------------------------------------------------------- the rosters
st.subheader(t("alliances.rosters"))
if not found:
    st.info(t("alliances.none"))
    st.stop()
table = pd.DataFrame([{
    "id": a.alliance_id, "name": a.name(L), "cities": city_shares(a), "anchor": joined(city(c) for c in a.anchors),
    "members": len(a.members), "covered": len(a.segments), "gaps": len(a.gaps), "investors": len(a.investors),
    "cohesion": a.cohesion, "mean_score": a.mean_score,
    "relations": joined(f"{relation_name(r, L)} {n}" for r, n in a.relations)} for a in found])
event = st.dataframe(
    table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
    key=K + "roster",
    column_config={
        "id": st.column_config.TextColumn("#", width="small"),
        "name": st.column_config.TextColumn(t("alliances.alliance"), width="large"),
        "cities": st.column_config.TextColumn(t("alliances.cities"), help=t("alliances.cities_help")),
        "anchor": st.column_config.TextColumn(t("alliances.anchor"), help=t("alliances.anchor_help")),
        "members": t("alliances.members"),
        "covered": t("alliances.covered"), "gaps": t("alliances.gaps"),
        "investors": st.column_config.NumberColumn(t("alliances.investors"), help=t("alliances.investors_help")),
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
st.caption(t("alliances.detail_note", cities=city_shares(a), cohesion=a.cohesion, edges=a.edges))

left, right = st.columns([3, 2])
with left:
    st.markdown(f"**{t('alliances.members')}**")
    members = all_rows[all_rows.alliance_id == a.alliance_id]
    st.dataframe(members.assign(city=members.city.map(city),
                                link=[profile_link(k, p, n) for k, p, n in zip(members.kind, members.member_id,
                                                                                members.name, strict=True)],
                                kind=members.kind.map(lambda k: t("orgtype.project") if k == "project"
                                                      else t("alliances.organisation")),
                                segments=members.segments.map(lambda v: joined(segment(x) for x in v.split(";") if x))),
                 hide_index=True, width="stretch", key=K + "members",
                 column_order=["link", "city", "kind", "segments"],
                 column_config={"link": st.column_config.LinkColumn(t("common.name"), display_text=LINK_TEXT,
                                                                    help=t("alliances.link_help")),
                                "city": t("common.city"), "kind": t("alliances.kind"),
                                "segments": t("alliances.member_segments")})
    if a.investors:
        st.markdown(f"**{t('alliances.investors_title')}**")
        rows = [ix.id_to_row[p] for p in a.investors]
        st.dataframe(pd.DataFrame({"link": [profile_link("organisation", ix.pid[r], ix.name[r]) for r in rows],
                                   "city": [city(ix.city_name[r]) for r in rows]}),
                     hide_index=True, width="stretch", key=K + "investors",
                     column_config={"link": st.column_config.LinkColumn(t("common.name"), display_text=LINK_TEXT),
                                    "city": t("common.city")})
        st.caption(t("alliances.investors_help"))
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
        kinds = dict(zip(ix.pid, ix.kind, strict=True))
        st.dataframe(cands.assign(segment=cands.segment.map(segment), city=cands.city.map(city),
                                  link=[profile_link(kinds[p], p, n) for p, n in zip(cands.candidate_id, cands.name,
                                                                                      strict=True)],
                                  fit=cands.fit.map(lambda f: t(f"alliances.fit_{f}")),
                                  best_member=cands.best_member.map(lambda p: names.get(p, "—") if p else "—"),
                                  relation=cands.relation.map(lambda r: relation_name(r, L) if r in RELATION_NAMES
                                                              else "—")),
                     hide_index=True, width="stretch", key=K + "candidates",
                     column_order=["segment", "rank", "link", "city", "fit", "strength", "linked_members",
                                   "best_member", "relation"],
                     column_config={"segment": t("alliances.segment"), "rank": "#",
                                    "link": st.column_config.LinkColumn(t("common.name"), display_text=LINK_TEXT,
                                                                        help=t("alliances.link_help")),
                                    "city": t("common.city"), "fit": t("alliances.fit"),
                                    "strength": st.column_config.NumberColumn(t("alliances.strength"), format="%.3f",
                                                                              help=t("alliances.strength_help", floor=MIN_MATCH_STRENGTH)),
                                    "linked_members": t("alliances.linked"), "best_member": t("alliances.best_member"),
                                    "relation": t("common.relation")})
    st.caption(t("alliances.gap_note", floor=MIN_MATCH_STRENGTH))
one = pd.concat([members.assign(role="member", segment=""),
                 cands.rename(columns={"candidate_id": "member_id"}).assign(
                     role="candidate", alliance_id=a.alliance_id, alliance=a.name(L))
                 if not cands.empty else None], ignore_index=True)
st.download_button(t("alliances.download_one", id=a.alliance_id), one.to_csv(index=False).encode("utf-8-sig"),
                   file_name=f"alliance_{a.alliance_id}.csv", mime="text/csv", key=K + "dl_one")
