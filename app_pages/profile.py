"""档案 Profile: one organisation or project on a page of its own, at a stable address —
``profile?org=<credit code>`` or ``profile?project=<project id>`` (``&lang=en`` for English; see
``matchmaking.views.links``): its public fields, its needs and offers, where it sits in the chains, its
top matches with their reasons, and its follow-ups. Without a party in the address, a search to pick one.

What the viewer may open is ``matchmaking.portal``'s: staff and officials any party's public page (staff
its contacts on request, logged; officials never); an enterprise its own parties (private fields, an edit
form with a live preview of the matches of a need as it is written) and the parties introduced to it."""

from __future__ import annotations

import streamlit as st

from app_pages._resources import built, store
from app_pages.i18n import lang, t
from app_pages.login import current_viewer, refused
from matchmaking import portal
from matchmaking.access import ENTERPRISE, STAFF, Forbidden
from matchmaking.reference import chains
from matchmaking.views import (
    LINK_TEXT,
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
V = current_viewer()

for extra in ("name", "lang"):  # what a link carried for its table and its new tab: the address keeps the party
    if extra in st.query_params:
        del st.query_params[extra]
wanted = party_from_params(st.query_params.to_dict())

# ---------------------------------------------------------------- no party named: find one
if wanted is None:
    st.title(t("profile.title"))
    st.caption(t("profile.intro"))
    text = (st.text_input(t("profile.search"), key=K + "search", placeholder=t("matches.search_hint"))
            if V.role != ENTERPRISE else "")
    found = portal.find_parties(store(), V, text, limit=50)  # an enterprise: its own parties
    if found.empty:
        st.info(t("matches.no_party"))
        st.stop()
    kinds = dict(zip(found.id, found.kind, strict=True))
    labels = {r.id: f"{r.name} · {t('city.' + r.city) if isinstance(r.city, str) else ''} · {r.id}"
              for r in found.itertuples()}
    pick = st.selectbox(t("profile.pick"), list(labels), format_func=labels.__getitem__,
                        index=0 if V.role == ENTERPRISE else None,  # an enterprise opens its own at once
                        placeholder=t("common.choose"), key=K + "pick")
    if pick is None:
        st.stop()
    wanted = (store_kind(kinds[pick]), pick)
    st.query_params.from_dict(party_param(*wanted))

kind, key = wanted
try:
    view = portal.profile(store(), V, kind, key)  # public fields; its own private ones for an enterprise's own
except Forbidden as exc:
    st.title(t("profile.title"))
    refused(exc)
record = view.record if view is not None else None
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
flash = st.session_state.pop(K + "flash", None)  # what the last save did, said once after its rerun
if flash and flash[0] == key:
    st.success(flash[1])
facts = profile_facts(record, kind, L)
st.caption(" · ".join([t(f"profile.kind.{kind}"), *(text for col, text in facts if col in ("org_type", "stage", "city"))]))
updated = record.get("updated_at")
st.caption(t("profile.updated", when=updated.strftime("%Y-%m-%d %H:%M") if updated is not None else "—",
             version=record.get("version") or 1))
l1, l2 = st.columns(2)
if view.show_matches:
    l1.page_link(MATCHES_PAGE, label=t("profile.to_matches"), icon=":material/handshake:",
                 query_params=party_param(kind, key))
if V.role != ENTERPRISE:
    l2.page_link("app_pages/profile.py", label=t("profile.search_other"), icon=":material/search:")
if view.revealed or V.role == STAFF:
    with st.popover(t("matches.contacts"), icon=":material/contact_phone:"):
        st.caption(t("matches.contacts_logged"))
        if st.toggle(t("matches.contacts_show"), key=f"{K}contacts.{key}"):
            shown = portal.contacts(store(), V, key)
            st.markdown("  \n".join(f"**{t('profile.field.' + f)}**：{v or '—'}" for f, v in shown.items()))

# ---------------------------------------------------------------- who it is
st.subheader(t("profile.facts"))
cols = st.columns(3)
for i, (col, text) in enumerate(facts):
    cols[i % 3].markdown(f"**{t('profile.field.' + col)}**  \n{text}")
sponsor = record.get("sponsor_credit_code")
if kind == "projects" and sponsor and (V.role != ENTERPRISE or V.represents(sponsor)):
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

if view.own:  # what only the party itself sees of its page: its private fields, and a form to change them
    st.subheader(t("profile.own"))
    st.caption(t("profile.own_note"))
    cols = st.columns(3)
    for i, f in enumerate(("contact_name", "contact_phone", "contact_email", "revenue_wan")):
        if f in record:
            cols[i % 3].markdown(f"**{t('profile.field.' + f)}**  \n{record.get(f) if record.get(f) is not None else '—'}")
if view.editable:
    with st.expander(t("profile.edit"), expanded=False):
        st.caption(t("profile.edit_note"))
        fields = portal.EDITABLE[kind]
        draft = st.text_area(t("profile.text.seeks"), value=str(record.get("seeks") or ""), key=f"{K}edit.{key}.seeks",
                             height=120, help=t("profile.preview_help"))
        preview = portal.preview_need(store(), built().matcher, built().embedder, V, key, draft, k=5, lang=L)
        if not preview.empty:
            st.markdown(f"**{t('profile.preview')}**")
            st.dataframe(preview, hide_index=True, width="stretch", key=f"{K}preview.{key}",
                         column_config={"name": t("common.name"), "city": t("common.city"),
                                        "offer": st.column_config.TextColumn(t("profile.preview_offer"), width="large"),
                                        "similarity": st.column_config.ProgressColumn(
                                            t("profile.preview_similarity"), min_value=0, max_value=100, format="%d")})
        with st.form(f"{K}edit_form.{key}"):
            values = {f: st.text_area(t("profile.text." + f) if f in ("description", "offers") else t("profile.field." + f),
                                      value=str(record.get(f) or ""), key=f"{K}edit.{key}.{f}", height=80)
                      for f in fields if f != "seeks"}
            if st.form_submit_button(t("profile.edit_save"), type="primary"):
                changes = {f: v for f, v in {**values, "seeks": draft}.items() if v != str(record.get(f) or "")}
                if not changes:
                    st.info(t("profile.edit_nothing"))
                else:
                    report = portal.edit_profile(store(), V, kind, key, changes)
                    if report.rejected:
                        st.error(t("profile.edit_refused") + " " + "；".join(pr.text(L) for pr in report.problems))
                    else:
                        st.session_state[K + "flash"] = (key, t("profile.edit_saved", version=(record.get("version") or 1) + 1))
                        st.rerun()

if kind == "organisations" and (V.role != ENTERPRISE or view.own):  # not the projects of a party introduced
    projects = store().sponsored(key)
    if not projects.empty:
        st.subheader(t("profile.projects", n=len(projects)))
        st.dataframe(parties_table(projects.rename(columns={"stage": "type"}), "projects", L), hide_index=True,
                     width="stretch", key=K + "projects", placeholder="", column_order=["link", "city", "type"],
                     column_config={"link": st.column_config.LinkColumn(t("common.name"), display_text=LINK_TEXT),
                                    "city": t("common.city"), "type": t("profile.field.stage")})

# ---------------------------------------------------------------- whom it should meet
if not view.show_matches:  # officials, and an enterprise on a party introduced to it
    st.stop()
st.subheader(t("profile.top_matches", k=TOP))
if row is None:
    st.info(t("profile.not_matched_yet"))
    st.stop()
listing = portal.matches(store(), b.matcher, V, key, top_k=TOP, lang=L)  # declined pairs left out
ms, table = listing.matches, listing.table
if table.empty:
    st.info(t("matches.empty"))
else:
    st.dataframe(table, hide_index=True, width="stretch", key=K + "matches",
                 column_order=["rank", "link" if V.role == STAFF else "name", "city", "relation", "score", "object"],
                 column_config={
                     "rank": st.column_config.NumberColumn("#", width=36),
                     "link": st.column_config.LinkColumn(t("common.name"), display_text=LINK_TEXT, width=230),
                     "name": st.column_config.TextColumn(t("common.name"), width=230),
                     # English city and relation names are longer: wider columns
                     "city": st.column_config.TextColumn(t("common.city"), width=56 if L == "zh" else 72),
                     "relation": st.column_config.TextColumn(t("common.relation"), width=96 if L == "zh" else 160),
                     "score": st.column_config.NumberColumn(t("common.score"), width=70, format="%d",
                                                            help=t("matches.score_help")),
                     "object": st.column_config.TextColumn(t("matches.object"), help=t("matches.object_help"))})
    st.caption(t("profile.reasons_note"))
    for i, r in enumerate(table.head(3).itertuples()):
        with st.expander(t("profile.why", rank=r.rank, name=r.name, score=r.score)):
            st.markdown("\n".join(f"- {line}" for line in portal.match_explanation(b.matcher, listing, i, L)["for_query"]))

shortlist = portal.shortlist(store(), V, key) if V.role == STAFF else None
if shortlist is not None and not shortlist.empty:
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
