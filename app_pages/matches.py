"""匹配 Matches: pick a party (or open ``?org=<credit code>`` / ``?project=<id>``), filter, read the ranked
list, open a pair, follow it up. The follow-up form belongs to one pair: its widgets are keyed by the pair,
so opening another pair starts a fresh form, and a decline names the firm and asks to confirm.

What the viewer may see is ``matchmaking.portal``'s: staff pick any party and see contacts, follow up and
introduce; an enterprise picks one of its own parties, sees the other side anonymised until both sides
express interest (or staff introduce them), and says its interest here."""

from __future__ import annotations

import hashlib
from datetime import date

import plotly.graph_objects as go
import streamlit as st

from app_pages._resources import built, store
from app_pages.i18n import lang, t
from app_pages.login import current_viewer, refused
from matchmaking import portal
from matchmaking.access import STAFF, Forbidden
from matchmaking.followup import (
    DECLINE_REASONS,
    FollowUpRefused,
    check_entry,
    check_transition,
    next_steps,
    reason_name,
    status_name,
)
from matchmaking.matching import RELATION_NAMES, relation_name
from matchmaking.reference import CITIES, chains
from matchmaking.views import (
    LINK_TEXT,
    SCORE_SCALE,
    MatchFilters,
    history_table,
    pair_state,
    party_chains,
    party_from_params,
    party_param,
    points,
    shortlist_table,
    store_kind,
)

K = "matches."  # session-state namespace of this page
PROFILE_PAGE = "app_pages/profile.py"

st.title(t("matches.title"))
b = built()
matcher, ix = b.matcher, b.index
L = lang()
V = current_viewer()
IS_STAFF = V.role == STAFF


def kind_of(pid: str) -> str:
    return store_kind(ix.kind[ix.id_to_row[pid]])


def name_of(pid: str) -> str:
    return str(ix.name[ix.id_to_row[pid]]) if pid in ix.id_to_row else pid


def relabel(*keys: str) -> set[str]:
    """After a language switch, set these keyed select boxes again to the values they hold. The browser keeps
    a keyed select box's label across reruns (its id is its key), so it would go on showing, and on a submit
    send, the name in the other language; a value set anew is sent with its new label. Returns the keys set:
    those widgets are drawn without a default (Streamlit warns when a widget has both)."""
    drawn = st.session_state.get(K + "lang." + keys[0])
    st.session_state[K + "lang." + keys[0]] = L
    if drawn in (None, L):
        return set()
    again = {k for k in keys if k in st.session_state}
    for k in again:
        st.session_state[k] = st.session_state[k]
    return again


def _picked() -> None:
    """The user picked a party: the address names it at once (so a reload or a shared link opens it)."""
    pid = st.session_state.get(K + "query")
    if pid in ix.id_to_row:
        st.query_params.from_dict(party_param(kind_of(pid), pid))


# ---------------------------------------------------------------- the party: from the address or a search
wanted = party_from_params(st.query_params.to_dict())
from_url = wanted[1] if wanted and wanted[1] in ix.id_to_row else None
if from_url:
    try:
        portal.check_query(store(), V, from_url)  # an enterprise: one of its own parties, else refused
    except Forbidden as exc:
        refused(exc)
if wanted and from_url is None:
    st.warning(t("matches.unknown_party", param=party_param(*wanted).popitem()[0], value=wanted[1]))
if from_url and st.session_state.get(K + "query") != from_url:  # an address opened or shared: it picks the party
    st.session_state[K + "query"] = from_url

query_text = st.text_input(t("matches.search"), key=K + "search", placeholder=t("matches.search_hint")) if IS_STAFF else ""
found = portal.find_parties(store(), V, query_text, limit=50)  # an enterprise: its own parties
found = found[found.id.isin(ix.id_to_row)]  # a party stored after this matcher was built waits for the next
labels = {r.id: f"{r.name} · {t('city.' + r.city) if r.city in CITIES else r.city} · {r.id}"
          for r in found.itertuples()}
if from_url and not query_text.strip() and from_url not in labels:
    c = ix.city_name[ix.id_to_row[from_url]]
    labels = {from_url: f"{name_of(from_url)} · {t('city.' + c) if c in CITIES else c} · {from_url}", **labels}
if not labels:
    st.info(t("matches.no_party"))
    st.stop()
if st.session_state.get(K + "query") not in labels:
    st.session_state[K + "query"] = next(iter(labels))
qid = st.selectbox(t("matches.party"), list(labels), format_func=labels.__getitem__, key=K + "query",
                   on_change=_picked)
if qid != from_url:  # picked by a search: the address follows
    st.query_params.from_dict(party_param(kind_of(qid), qid))
q = ix.id_to_row[qid]
try:
    portal.check_query(store(), V, qid)  # a party that is not the viewer's to look at is refused
except Forbidden as exc:
    refused(exc)
st.page_link(PROFILE_PAGE, label=t("matches.open_own_profile", name=ix.name[q]), icon=":material/badge:",
             query_params=party_param(kind_of(qid), qid))

with st.expander(t("matches.filters"), expanded=False):
    c1, c2, c3 = st.columns(3)
    cities = c1.multiselect(t("common.city"), list(CITIES), format_func=lambda c: t("city." + c), key=K + "cities",
                            placeholder=t("common.choose"))
    chain_ids = sorted({c for i in range(ix.n) for c in party_chains(matcher, i)})
    chain_pick = c2.multiselect(t("common.chain"), chain_ids, key=K + "chains", placeholder=t("common.choose"),
                                format_func=lambda c: chains().chain_name(c, L))
    rels = c3.multiselect(t("common.relation"), list(RELATION_NAMES), format_func=lambda r: relation_name(r, L),
                          key=K + "relations", placeholder=t("common.choose"))
    c4, c5, c6 = st.columns(3)
    types = c4.multiselect(t("common.org_type"), ["enterprise", "university", "institute", "investor", "project"],
                           format_func=lambda x: t("orgtype." + x), key=K + "types", placeholder=t("common.choose"))
    cross = c5.checkbox(t("matches.cross_only"), key=K + "cross")
    min_points = c6.slider(t("matches.min_score"), 0, 150, 0, 5, key=K + "min", help=t("matches.score_help"))

shortlist = portal.shortlist(store(), V, qid) if IS_STAFF else None
filters = MatchFilters(tuple(cities), tuple(chain_pick), tuple(rels), tuple(types), cross,
                       min_points / SCORE_SCALE)  # declined pairs: the ranking keeps them out
needs = [ix.needs.text[i] for i in ix.party_needs(q)]
if not needs:
    st.info(t("matches.sells_only" if ix.sells[q] else "matches.no_needs", name=ix.name[q]))
else:
    with st.expander(t("matches.needs", n=len(needs))):
        for n in needs:
            st.markdown(f"- {n}")

flash = st.session_state.pop(K + "flash", None)  # what the last save did, said once after its rerun
if flash and flash[0] == qid:
    st.success(flash[1])

if not IS_STAFF:
    interested = portal.incoming(store(), matcher, V, qid, L)
    if not interested.empty:
        with st.expander(t("matches.incoming", n=len(interested)), expanded=True):
            st.caption(t("matches.incoming_help"))
            for r in interested.itertuples():
                a, b_ = st.columns([4, 1])
                a.markdown(f"{r.name} · {r.since:%Y-%m-%d}")
                if b_.button(t("matches.interest_back"), key=f"{K}back.{r.ref}"):
                    outcome = portal.express_interest(store(), V, qid, r.ref)
                    st.session_state[K + "flash"] = (qid, t(f"matches.interest_{outcome}"))
                    st.rerun()

listing = portal.matches(store(), matcher, V, qid, filters, top_k=20, lang=L)
ms, table = listing.matches, listing.table
if table.empty:
    st.warning(t("matches.empty"))
    st.stop()
if IS_STAFF:
    status_of = dict(zip(shortlist.candidate_id, shortlist.status, strict=True)) if not shortlist.empty else {}
    table["status"] = table["id"].map(lambda c: status_name(status_of[c], L) if c in status_of else "")
else:
    table["status"] = table["hidden"].map(lambda h: t("matches.anonymous") if h else t("matches.revealed"))
# The table's key follows its rows: when the list changes (a pair declined, a filter set) the selection is
# cleared instead of pointing at whichever firm moved into the selected row.
rows_key = hashlib.sha1("|".join([qid, *table["id"]]).encode()).hexdigest()[:12]
event = st.dataframe(
    table, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
    key=f"{K}table.{rows_key}",
    column_order=["rank", "link" if IS_STAFF else "name", "city", "relation", "score", "status", "object"],
    column_config={
        "rank": st.column_config.NumberColumn("#", width=36),
        "link": st.column_config.LinkColumn(t("common.name"), display_text=LINK_TEXT, width=200,
                                            help=t("matches.name_help")),
        "name": st.column_config.TextColumn(t("common.name"), width=200, help=t("matches.anonymous_help")),
        # English city and relation names are longer ("Shanghai", "investment opportunity"): wider columns
        "city": st.column_config.TextColumn(t("common.city"), width=56 if L == "zh" else 72),
        "relation": st.column_config.TextColumn(t("common.relation"), width=84 if L == "zh" else 160),
        "score": st.column_config.ProgressColumn(t("common.score"), min_value=0,
                                                 max_value=max(SCORE_SCALE, int(table.score.max())), format="%d",
                                                 width=84, help=t("matches.score_help")),
        "status": st.column_config.TextColumn(t("matches.status") if IS_STAFF else t("matches.visibility"), width=72),
        "object": st.column_config.TextColumn(t("matches.object"), help=t("matches.object_help")),
    })
picked = event.selection.rows[0] if event.selection.rows else 0
m = ms[picked]
cid = m.candidate_id  # never shown to a viewer the candidate is anonymised for (the table carries a token)
hidden = bool(table["hidden"].iloc[picked])
ref = str(table["id"].iloc[picked])
cname = str(table["name"].iloc[picked])
st.subheader(t("matches.detail", a=ix.name[q], b=cname))
st.caption(t("matches.score_line", score=points(m.score), relation=relation_name(m.relation, L)))
if not hidden:
    st.page_link(PROFILE_PAGE, label=t("matches.open_profile", name=cname), icon=":material/badge:",
                 query_params=party_param(kind_of(cid), cid))
    with st.popover(t("matches.contacts"), icon=":material/contact_phone:"):
        st.caption(t("matches.contacts_logged"))
        if st.toggle(t("matches.contacts_show"), key=f"{K}contacts.{qid}.{cid}"):
            shown = portal.contacts(store(), V, cid, about=qid)
            st.markdown("  \n".join(f"**{t('profile.field.' + f)}**：{v or '—'}" for f, v in shown.items()))
if IS_STAFF:
    with st.popover(t("matches.introduce"), icon=":material/diversity_3:"):
        st.caption(t("matches.introduce_help", a=ix.name[q], b=cname))
        if st.button(t("matches.introduce_do"), key=f"{K}introduce.{qid}.{cid}", type="primary"):
            done = portal.introduce(store(), V, qid, cid)
            st.session_state[K + "flash"] = (qid, t("matches.introduced" if done else "matches.introduced_before",
                                                    a=ix.name[q], b=cname))
            st.rerun()
elif hidden:
    st.caption(t("matches.anonymous_note"))
    if st.button(t("matches.interest"), key=f"{K}interest.{qid}.{ref}", type="primary", icon=":material/waving_hand:"):
        outcome = portal.express_interest(store(), V, qid, ref, listing)
        st.session_state[K + "flash"] = (qid, t(f"matches.interest_{outcome}"))
        st.rerun()
ex = portal.match_explanation(matcher, listing, picked, L)
left, right = st.columns(2)
left.markdown(f"**{t('matches.for_you')}**")
left.markdown("\n".join(f"- {line}" for line in ex["for_query"]))
right.markdown(f"**{t('matches.for_them', name=cname)}**")
right.markdown("\n".join(f"- {line}" for line in ex["for_candidate"]))
parts = ex["parts"]
fig = go.Figure(go.Waterfall(
    orientation="v", x=[*parts["label"], t("matches.total")], y=[*parts["points"], 0],
    measure=["relative"] * len(parts) + ["total"],
    text=[f"{v:.1f}" for v in parts["points"]] + [f"{points(m.score)}"], textposition="outside"))
fig.update_layout(height=320, margin=dict(l=10, r=10, t=30, b=10), title=t("matches.waterfall"), showlegend=False)
st.plotly_chart(fig, width="stretch", key=K + "waterfall")
with st.expander(t("matches.parts")):
    st.caption(t("matches.parts_note"))
    st.dataframe(parts, hide_index=True, width="stretch", column_order=["label", "value", "max_points", "points"],
                 column_config={"label": t("matches.part"), "value": t("matches.part_value"),
                                "max_points": t("matches.part_weight"), "points": t("matches.part_points")})

# ---------------------------------------------------------------- follow-up of this pair (and of no other)
if not IS_STAFF:  # the follow-up is staff's
    st.stop()
st.markdown(f"**{t('matches.follow_up_of', name=cname)}**")
state = pair_state(shortlist, cid)
fk = f"{K}fu.{qid}.{cid}."  # every widget of the form is keyed by the pair
steps = next_steps(state.status)


def _saved(text: str) -> None:
    """After a save: the form of this pair starts empty again, and the result is said once."""
    for k in [k for k in st.session_state if str(k).startswith(fk)]:
        del st.session_state[k]
    st.session_state[K + "flash"] = (qid, text)
    st.session_state[K + "clear_note"] = fk + "note"
    st.rerun()


def _write(status: str, reason: str | None, note: str, owner: str, next_on: date | None) -> None:
    try:
        changed = portal.follow_up(store(), V, qid, cid, status, reason, note, owner=owner, next_action_on=next_on)
    except FollowUpRefused as exc:
        st.error(exc.text(L))
        return
    if not changed:
        st.info(t("matches.unchanged", name=cname))
        return
    _saved(t("matches.declined", name=cname, reason=reason_name(reason or "", L)) if status == "declined" else
           t("matches.saved", status=status_name(status, L), name=cname))


reasons = ["", *DECLINE_REASONS]
relabelled = relabel(fk + "status", fk + "reason")
# The note just saved is in the history now; the box is emptied by setting it anew, which the browser is sent
# (a deleted key is not: the box would go on showing the note, and a second click would store it twice).
if st.session_state.pop(K + "clear_note", None) == fk + "note":
    st.session_state[fk + "note"] = ""
status_at = steps.index(state.status) if state.status in steps and fk + "status" not in relabelled else 0
reason_at = reasons.index(state.reason) if state.reason in reasons and fk + "reason" not in relabelled else 0
with st.form(fk + "form"):
    s1, s2 = st.columns(2)
    new_status = s1.selectbox(t("matches.status"), steps, format_func=lambda s: status_name(s, L), index=status_at,
                              key=fk + "status", help=t("matches.status_help"))
    reason = s2.selectbox(t("matches.reason"), reasons, format_func=lambda r: reason_name(r, L) if r else "—",
                          index=reason_at, key=fk + "reason")
    o1, o2 = st.columns(2)
    owner = o1.text_input(t("matches.owner"), value=state.owner, key=fk + "owner", placeholder=t("matches.owner_hint"))
    next_on = o2.date_input(t("matches.next_action"), value=state.next_action_on, key=fk + "next", format="YYYY-MM-DD")
    note = st.text_area(t("matches.note"), key=fk + "note", placeholder=t("matches.note_hint"), height=80)
    submitted = st.form_submit_button(t("matches.save"), type="primary")

pending_key = K + "pending_decline"
if submitted:
    st.session_state.pop(pending_key, None)
    try:
        check_transition(state.status, new_status, reason or None)
        check_entry(owner, note)
    except FollowUpRefused as exc:
        st.error(exc.text(L))
    else:
        if new_status == "declined" and state.status != "declined":  # a decline hides the pair: say who, and ask
            st.session_state[pending_key] = (qid, cid, reason, note, owner, next_on)
        else:
            _write(new_status, reason or None, note, owner, next_on)
pending = st.session_state.get(pending_key)
if pending and pending[:2] == (qid, cid):
    _, _, p_reason, p_note, p_owner, p_next = pending
    st.warning(t("matches.confirm_decline", name=cname, reason=reason_name(p_reason, L)))
    y, n_, _ = st.columns([2, 1, 3])
    if y.button(t("matches.confirm_yes", name=cname), type="primary", key=fk + "confirm"):
        st.session_state.pop(pending_key, None)
        _write("declined", p_reason, p_note, p_owner, p_next)
    if n_.button(t("matches.confirm_no"), key=fk + "cancel"):
        st.session_state.pop(pending_key, None)
        st.rerun()
elif pending:  # a confirmation asked for another pair does not carry over to this one
    st.session_state.pop(pending_key, None)

history = portal.history(store(), V, qid, cid)
if not history.empty:
    with st.expander(t("matches.history", n=len(history))):
        st.dataframe(history_table(history, L, unknown=t("matches.by_unknown")), hide_index=True, width="stretch",
                     placeholder="", key=fk + "history", column_config={
                         "changed_at": st.column_config.DatetimeColumn(t("matches.changed_at"),
                                                                       format="YYYY-MM-DD HH:mm"),
                         "changed_by": t("matches.changed_by"), "status": t("matches.status"),
                         "reason": t("matches.reason_short"), "owner": t("matches.owner"),
                         "next_action_on": st.column_config.DateColumn(t("matches.next_action"),
                                                                       format="YYYY-MM-DD"),
                         "note": st.column_config.TextColumn(t("matches.note"), width="large")})

if not shortlist.empty:
    st.markdown(f"**{t('matches.shortlist')}**")
    parties = {p: (kind_of(p), name_of(p)) for p in shortlist.candidate_id if p in ix.id_to_row}
    st.dataframe(shortlist_table(shortlist, parties, L), hide_index=True, placeholder="", width="stretch",
                 key=K + "shortlist",
                 column_order=["link", "status", "reason", "owner", "next_action_on", "note", "updated_by",
                               "updated_at"],
                 column_config={"link": st.column_config.LinkColumn(t("common.name"), display_text=LINK_TEXT),
                                "status": t("matches.status"), "reason": t("matches.reason_short"),
                                "owner": t("matches.owner"),
                                "next_action_on": st.column_config.DateColumn(t("matches.next_action"),
                                                                              format="YYYY-MM-DD"),
                                "note": t("matches.latest_note"), "updated_by": t("matches.changed_by"),
                                "updated_at": st.column_config.DatetimeColumn(t("matches.updated_at"),
                                                                              format="YYYY-MM-DD HH:mm")})
