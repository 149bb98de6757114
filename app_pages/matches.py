"""匹配 Matches: pick a party, filter, read the ranked list, open a pair, follow it up."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from app_pages._resources import built, store
from app_pages.i18n import lang, t
from matchmaking.followup import DECLINE_REASONS, STATUSES, reason_name, status_name
from matchmaking.matching import RELATION_NAMES, relation_name
from matchmaking.reference import CITIES, chains
from matchmaking.services import search
from matchmaking.views import MatchFilters, explanation, match_table, party_chains

K = "matches."  # session-state namespace of this page

st.title(t("matches.title"))
b = built()
matcher, ix = b.matcher, b.index
L = lang()

query_text = st.text_input(t("matches.search"), key=K + "search", placeholder=t("matches.search_hint"))
found = search(store(), query_text, limit=50)
found = found[found.id.isin(ix.id_to_row)]  # a party stored after this matcher was built waits for the next
if found.empty:
    st.info(t("matches.no_party"))
    st.stop()
labels = {r.id: f"{r.name} · {t('city.' + r.city) if r.city in CITIES else r.city} · {r.id}"
          for r in found.itertuples()}
default = st.session_state.get(K + "query")
qid = st.selectbox(t("matches.party"), list(labels), format_func=labels.__getitem__,
                   index=list(labels).index(default) if default in labels else 0, key=K + "query")
q = ix.id_to_row[qid]

with st.expander(t("matches.filters"), expanded=False):
    c1, c2, c3 = st.columns(3)
    cities = c1.multiselect(t("common.city"), list(CITIES), format_func=lambda c: t("city." + c), key=K + "cities")
    chain_ids = sorted({c for i in range(ix.n) for c in party_chains(matcher, i)})
    chain_pick = c2.multiselect(t("common.chain"), chain_ids, key=K + "chains",
                                format_func=lambda c: chains().chain_name(c, L))
    rels = c3.multiselect(t("common.relation"), list(RELATION_NAMES), format_func=lambda r: relation_name(r, L),
                          key=K + "relations")
    c4, c5, c6 = st.columns(3)
    types = c4.multiselect(t("common.org_type"), ["enterprise", "university", "institute", "investor", "project"],
                           format_func=lambda x: t("orgtype." + x), key=K + "types")
    cross = c5.checkbox(t("matches.cross_only"), key=K + "cross")
    min_score = c6.slider(t("matches.min_score"), 0.0, 1.5, 0.0, 0.05, key=K + "min")

shortlist = store().shortlist(qid)
declined = set(shortlist.loc[shortlist.status == "declined", "candidate_id"]) if not shortlist.empty else set()
filters = MatchFilters(tuple(cities), tuple(chain_pick), tuple(rels), tuple(types), cross, min_score,
                       frozenset(declined))
needs = [ix.needs.text[i] for i in ix.party_needs(q)]
if not needs:
    st.info(t("matches.no_needs", name=ix.name[q]))
else:
    with st.expander(t("matches.needs", n=len(needs))):
        for n in needs:
            st.markdown(f"- {n}")
ms, table = match_table(matcher, qid, filters, top_k=20, lang=L)
if table.empty:
    st.warning(t("matches.empty"))
    st.stop()
table["city"] = table["city"].map(lambda c: t("city." + c) if c in CITIES else c)
status_of = dict(zip(shortlist.candidate_id, shortlist.status, strict=True)) if not shortlist.empty else {}
table["status"] = table["id"].map(lambda c: status_name(status_of[c], L) if c in status_of else "")
event = st.dataframe(
    table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
    key=K + "table",
    column_config={
        "rank": st.column_config.NumberColumn("#", width="small"),
        "id": None,
        "name": st.column_config.TextColumn(t("common.name")),
        "city": st.column_config.TextColumn(t("common.city"), width="small"),
        "relation": st.column_config.TextColumn(t("common.relation"), width="small"),
        "score": st.column_config.ProgressColumn(t("common.score"), min_value=0.0,
                                                 max_value=max(1.0, float(table.score.max())), format="%.3f"),
        "why": st.column_config.TextColumn(t("matches.why"), width="large"),
        "status": st.column_config.TextColumn(t("matches.status"), width="small"),
    })
picked = event.selection.rows[0] if event.selection.rows else 0
m = ms[picked]
c = ix.id_to_row[m.candidate_id]
st.subheader(t("matches.detail", a=ix.name[q], b=ix.name[c]))
ex = explanation(matcher, m, L)
left, right = st.columns(2)
left.markdown(f"**{t('matches.for_you')}**")
left.markdown("\n".join(f"- {line}" for line in ex["for_query"]))
right.markdown(f"**{t('matches.for_them', name=ix.name[c])}**")
right.markdown("\n".join(f"- {line}" for line in ex["for_candidate"]))
parts = ex["parts"]
fig = go.Figure(go.Waterfall(
    orientation="v", x=[*parts["label"], t("matches.total")], y=[*parts["points"], 0],
    measure=["relative"] * len(parts) + ["total"], text=[f"{v:.3f}" for v in parts["points"]] + [f"{m.score:.3f}"],
    textposition="outside"))
fig.update_layout(height=320, margin=dict(l=10, r=10, t=30, b=10), title=t("matches.waterfall"), showlegend=False)
st.plotly_chart(fig, width="stretch", key=K + "waterfall")
with st.expander(t("matches.parts")):
    st.dataframe(parts, hide_index=True, width="stretch", column_order=["label", "value", "weight", "points"],
                 column_config={"label": t("matches.part"), "value": t("matches.part_value"),
                                "weight": t("matches.part_weight"), "points": t("matches.part_points")})

st.markdown(f"**{t('matches.follow_up')}**")
current = status_of.get(m.candidate_id)
with st.form(K + "status_form"):
    s1, s2 = st.columns(2)
    new_status = s1.selectbox(t("matches.status"), list(STATUSES), format_func=lambda s: status_name(s, L),
                              index=list(STATUSES).index(current) if current else 0)
    reason = s2.selectbox(t("matches.reason"), ["", *DECLINE_REASONS],
                          format_func=lambda r: reason_name(r, L) if r else "—")
    note = st.text_input(t("matches.note"))
    if st.form_submit_button(t("matches.save")):
        try:
            store().set_shortlist_status(qid, m.candidate_id, new_status, reason or None, note or None)
        except ValueError as exc:
            st.error(str(exc))
        else:
            st.success(t("matches.saved", status=status_name(new_status, L)))
            st.rerun()

if not shortlist.empty:
    st.markdown(f"**{t('matches.shortlist')}**")
    view = shortlist.assign(
        name=shortlist.candidate_id.map(lambda x: ix.name[ix.id_to_row[x]] if x in ix.id_to_row else x),
        status=shortlist.status.map(lambda s: status_name(s, L)),
        reason_code=shortlist.reason_code.map(lambda r: reason_name(r, L) if isinstance(r, str) else ""))
    st.dataframe(view[["name", "status", "reason_code", "note", "updated_at"]], hide_index=True,
                 placeholder="",
                 column_config={"name": t("common.name"), "status": t("matches.status"),
                                "reason_code": t("matches.reason"), "note": t("matches.note"),
                                "updated_at": st.column_config.DatetimeColumn(t("matches.updated_at"),
                                                                              format="YYYY-MM-DD HH:mm")},
                 width="stretch")
