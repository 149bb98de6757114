"""档案 Profile: one organisation or project on a page of its own, at a stable address —
``profile?org=<credit code>`` or ``profile?project=<project id>`` (``&lang=en`` for English; see
``matchmaking.views.links``): its public fields, its needs and offers, where it sits in the chains, its
top matches with their reasons, and its follow-ups. Without a party in the address, a search to pick one."""

from __future__ import annotations

import streamlit as st

from app_pages._resources import built, store
from app_pages.i18n import lang, t
from matchmaking.reference import chains
from matchmaking.services import search
from matchmaking.views import (
    LINK_TEXT,
    MatchFilters,
    explanation,
    match_table,
    parties_table,
    party_from_params,
    party_name,
    party_param,
    profile_facts,
    profile_texts,
    shortlist_table,
    store_kind,
)

K = "profile."  # session-state namespace of this page
MATCHES_PAGE = "app_pages/matches.py"
L = lang()
TOP = 10

for extra in ("name", "lang"):  # what a link carried for its table and its new tab: the address keeps the party
    if extra in st.query_params:
        del st.query_params[extra]
wanted = party_from_params(st.query_params.to_dict())

# ---------------------------------------------------------------- no party named: find one
if wanted is None:
    st.title(t("profile.title"))
    st.caption(t("profile.intro"))
    text = st.text_input(t("profile.search"), key=K + "search", placeholder=t("matches.search_hint"))
    found = search(store(), text, limit=50)
    if found.empty:
        st.info(t("matches.no_party"))
        st.stop()
    kinds = dict(zip(found.id, found.kind, strict=True))
    labels = {r.id: f"{r.name} · {t('city.' + r.city) if isinstance(r.city, str) else ''} · {r.id}"
              for r in found.itertuples()}
    pick = st.selectbox(t("profile.pick"), list(labels), format_func=labels.__getitem__, index=None,
                        placeholder=t("common.choose"), key=K + "pick")
    if pick is None:
        st.stop()
    wanted = (store_kind(kinds[pick]), pick)
    st.query_params.from_dict(party_param(*wanted))

kind, key = wanted
record = store().profile(kind, key)  # public fields only: never contacts or revenue
if record is None:
    st.title(t("profile.title"))
    param = next(iter(party_param(kind, key)))
    st.error(t(f"profile.not_found.{kind}", param=param, value=key))
    st.page_link("app_pages/profile.py", label=t("profile.search_other"), icon=":material/search:")
    st.stop()

name = party_name(record, kind)
b = built()
ix = b.index
st.title(name)
facts = profile_facts(record, kind, L)
st.caption(" · ".join([t(f"profile.kind.{kind}"), *(text for col, text in facts if col in ("org_type", "stage", "city"))]))
updated = record.get("updated_at")
st.caption(t("profile.updated", when=updated.strftime("%Y-%m-%d %H:%M") if updated is not None else "—",
             version=record.get("version") or 1))
l1, l2 = st.columns(2)
l1.page_link(MATCHES_PAGE, label=t("profile.to_matches"), icon=":material/handshake:",
             query_params=party_param(kind, key))
l2.page_link("app_pages/profile.py", label=t("profile.search_other"), icon=":material/search:")

# ---------------------------------------------------------------- who it is
st.subheader(t("profile.facts"))
cols = st.columns(3)
for i, (col, text) in enumerate(facts):
    cols[i % 3].markdown(f"**{t('profile.field.' + col)}**  \n{text}")
sponsor = record.get("sponsor_credit_code")
if kind == "projects" and sponsor:
    sponsor_record = store().profile("organisations", sponsor)
    label = party_name(sponsor_record, "organisations") if sponsor_record else sponsor
    st.page_link("app_pages/profile.py", label=t("profile.sponsor", name=label), icon=":material/apartment:",
                 query_params=party_param("organisations", sponsor))
row = ix.id_to_row.get(key)
if row is not None and ix.own_segments[row]:
    segs = [chains().segments[s] for s in ix.own_segments[row] if s in chains().segments]
    st.markdown(f"**{t('profile.segments')}**  \n" + t("common.list_sep").join(
        f"{chains().chain_name(s.chain_id, L)} · {s.name_zh if L == 'zh' else s.name_en}" for s in segs))

for col, lines in profile_texts(record, kind).items():
    st.markdown(f"**{t('profile.text.' + col)}**")
    st.markdown("\n".join(f"- {line}" for line in lines))

if kind == "organisations":
    projects = store().sponsored(key)
    if not projects.empty:
        st.subheader(t("profile.projects", n=len(projects)))
        st.dataframe(parties_table(projects.rename(columns={"stage": "type"}), "projects", L), hide_index=True,
                     width="stretch", key=K + "projects", placeholder="", column_order=["link", "city", "type"],
                     column_config={"link": st.column_config.LinkColumn(t("common.name"), display_text=LINK_TEXT),
                                    "city": t("common.city"), "type": t("profile.field.stage")})

# ---------------------------------------------------------------- whom it should meet
st.subheader(t("profile.top_matches", k=TOP))
if row is None:
    st.info(t("profile.not_matched_yet"))
    st.stop()
shortlist = store().shortlist(key)
declined = frozenset(shortlist.loc[shortlist.status == "declined", "candidate_id"]) if not shortlist.empty else frozenset()
ms, table = match_table(b.matcher, key, MatchFilters(hide=declined), top_k=TOP, lang=L)
if table.empty:
    st.info(t("matches.empty"))
else:
    st.dataframe(table, hide_index=True, width="stretch", key=K + "matches",
                 column_order=["rank", "link", "city", "relation", "score", "object"],
                 column_config={
                     "rank": st.column_config.NumberColumn("#", width=36),
                     "link": st.column_config.LinkColumn(t("common.name"), display_text=LINK_TEXT, width=230),
                     # English city and relation names are longer: wider columns
                     "city": st.column_config.TextColumn(t("common.city"), width=56 if L == "zh" else 72),
                     "relation": st.column_config.TextColumn(t("common.relation"), width=96 if L == "zh" else 160),
                     "score": st.column_config.NumberColumn(t("common.score"), width=70, format="%d",
                                                            help=t("matches.score_help")),
                     "object": st.column_config.TextColumn(t("matches.object"), help=t("matches.object_help"))})
    st.caption(t("profile.reasons_note"))
    for m, r in zip(ms[:3], table.itertuples(), strict=False):
        with st.expander(t("profile.why", rank=r.rank, name=r.name, score=r.score)):
            st.markdown("\n".join(f"- {line}" for line in explanation(b.matcher, m, L)["for_query"]))

if not shortlist.empty:
    st.subheader(t("profile.follow_ups", n=len(shortlist)))
    parties = {p: (store_kind(ix.kind[ix.id_to_row[p]]), str(ix.name[ix.id_to_row[p]]))
               for p in shortlist.candidate_id if p in ix.id_to_row}
    st.dataframe(shortlist_table(shortlist, parties, L), hide_index=True, width="stretch", placeholder="",
                 key=K + "shortlist", column_order=["link", "status", "reason", "owner", "next_action_on", "note"],
                 column_config={"link": st.column_config.LinkColumn(t("common.name"), display_text=LINK_TEXT),
                                "status": t("matches.status"), "reason": t("matches.reason_short"),
                                "owner": t("matches.owner"),
                                "next_action_on": st.column_config.DateColumn(t("matches.next_action"),
                                                                              format="YYYY-MM-DD"),
                                "note": t("matches.latest_note")})
