"""上传 Upload: download a template, check a profile file, store its valid rows, get the rejected rows back."""

from __future__ import annotations

from functools import partial

import streamlit as st

from app_pages._resources import data_version, store
from app_pages.i18n import lang, t
from app_pages.login import current_viewer
from matchmaking import portal
from matchmaking.access import ENTERPRISE
from matchmaking.profiles import (
    FORMATS,
    KEY,
    KINDS,
    LANGS,
    FileRefused,
    Prepared,
    prepare,
    template_bytes,
    template_file_name,
    template_guide,
)
from matchmaking.services import compare
from matchmaking.store import UploadCounts
from matchmaking.views import (
    LINK_TEXT,
    counts,
    party_param,
    preview_table,
    problems_table,
    rejected_csv,
    stored_rejected_csv,
)

K = "upload."  # session-state namespace of this page
REASON_ROW_PX = 72  # a problem's row: tall enough for a reason to wrap (Streamlit wraps text above 4rem)
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
L = lang()


def refusal(exc: FileRefused) -> str:
    """A refused file's one reason, in the reader's language."""
    return exc.message_zh if L == "zh" else str(exc)


def compared(file_id: str, prepared: Prepared) -> UploadCounts:
    """``compare`` once per file, kind and data version (another upload in between changes the answer)."""
    token = (file_id, prepared.kind, data_version())
    cached = st.session_state.get(K + "compared")
    if cached is not None and cached[0] == token:
        return cached[1]
    ahead = compare(store(), prepared)
    st.session_state[K + "compared"] = (token, ahead)
    return ahead


def stored_keys(prepared: Prepared) -> list[str]:
    """The keys of the file's valid rows that are stored now (all of them after a commit)."""
    keys = prepared.rows.column(KEY[prepared.kind]).to_pylist()[:200]
    return list(store().profiles(prepared.kind, keys=keys)[KEY[prepared.kind]])


def checked(file_id: str, data: bytes, file_name: str, kind: str | None) -> Prepared:
    """``prepare`` once per file and kind (kept in the session, so reruns do not re-read the file)."""
    token = (file_id, kind)
    cached = st.session_state.get(K + "prepared")
    if cached is not None and cached[0] == token:
        return cached[1]
    prepared = portal.restrict(store(), V, prepare(data, file_name, kind))  # an enterprise: its own rows only
    st.session_state[K + "prepared"] = (token, prepared)
    return prepared


V = current_viewer()
st.title(t("upload.title"))
st.caption(t("upload.intro"))
if V.role == ENTERPRISE:
    st.info(t("upload.own_only", codes="、".join(V.credit_codes)))

with st.expander(t("upload.templates"), expanded=False):
    st.caption(t("upload.templates_hint"))
    for kind in KINDS:
        st.markdown(f"**{t('upload.kind.' + kind)}**")
        cols = st.columns(len(FORMATS) * len(LANGS))
        for i, (fmt, tl) in enumerate((f, x) for f in ("xlsx", "csv") for x in LANGS):
            cols[i].download_button(
                t("upload.template_button", fmt=fmt.upper(), lang=t("upload.lang." + tl)),
                data=partial(template_bytes, kind, tl, fmt), file_name=template_file_name(kind, tl, fmt),
                mime=MIME[fmt], key=f"{K}tpl.{kind}.{tl}.{fmt}", on_click="ignore")
        st.dataframe(template_guide(kind, L), hide_index=True, width="stretch")

c1, c2 = st.columns([3, 2])
kind_names = {k: t("upload.kind." + k) for k in ("auto", *KINDS)}  # fixed at render, like the options shown
kind_choice = c1.radio(t("upload.kind"), list(kind_names), format_func=kind_names.__getitem__,
                       horizontal=True, key=K + "kind")
strict = c2.checkbox(t("upload.strict"), key=K + "strict", help=t("upload.strict_help"))
uploaded = st.file_uploader(t("upload.file"), type=["csv", "xlsx", "json"], key=K + "file",
                            help=t("upload.file_help"))

if uploaded is not None:
    kind = None if kind_choice == "auto" else kind_choice
    try:
        prepared = checked(uploaded.file_id, uploaded.getvalue(), uploaded.name, kind)
    except FileRefused as exc:
        st.error(t("upload.refused", name=uploaded.name, reason=refusal(exc)))
        prepared = None
    if prepared is not None:
        n = counts(prepared)
        st.subheader(t("upload.report", name=prepared.file_name))
        st.caption(t("upload.file_facts", kind=t("upload.kind." + prepared.kind), fmt=prepared.format,
                     encoding=prepared.encoding, header_lang=t("upload.lang." + prepared.header_lang),
                     rows=prepared.rows_total))
        m1, m2, m3 = st.columns(3)
        m1.metric(t("upload.valid"), n["valid"])
        m2.metric(t("upload.rejected"), n["rejected"])
        m3.metric(t("upload.notes"), n["notes"])
        token = (uploaded.file_id, prepared.kind, strict)
        done = st.session_state.get(K + "report")
        committed = done is not None and done[0] == token
        if n["valid"] and not committed:  # before storing: what storing would change
            ahead = compared(uploaded.file_id, prepared)
            a1, a2, a3 = st.columns(3)
            a1.metric(t("upload.will_add"), ahead.new)
            a2.metric(t("upload.will_update"), ahead.updated)
            a3.metric(t("upload.already_stored"), ahead.unchanged, help=t("upload.already_stored_help"))
            if ahead.unchanged == n["valid"]:
                st.info(t("upload.all_unchanged", n=ahead.unchanged))
        for notice in prepared.notices:  # unknown columns (kept as extra data) are listed here, by ingest
            st.info(notice.text(L))
        if prepared.problems:
            st.markdown(f"**{t('upload.problems')}**")
            problems = problems_table(prepared, L)
            # tall rows let a reason wrap onto a second and third line (Streamlit wraps above 4rem)
            shown = st.dataframe(
                problems, hide_index=True, width="stretch", key=K + "problems", row_height=REASON_ROW_PX,
                height=min(len(problems), 8) * REASON_ROW_PX + 40, on_select="rerun", selection_mode="single-row",
                column_order=["row", "column", "value", "severity", "reason"], column_config={
                    "row": st.column_config.NumberColumn(t("upload.col.row"), width=52),
                    "column": st.column_config.TextColumn(t("upload.col.column"), width=110),
                    "value": st.column_config.TextColumn(t("upload.col.value"), width=150),
                    "severity": st.column_config.TextColumn(t("upload.col.severity"), width=56),
                    "reason": st.column_config.TextColumn(t("upload.col.reason"), help=t("upload.reason_help"))})
            if shown.selection.rows:
                p = problems.iloc[shown.selection.rows[0]]
                st.info(t("upload.row_reason", row=int(p["row"]), reason=p["full_reason"]))
        else:
            st.success(t("upload.no_problems"))
        if n["valid"]:
            with st.expander(t("upload.preview", n=min(n["valid"], 200), total=n["valid"]), expanded=committed):
                preview = preview_table(prepared, L, stored=stored_keys(prepared) if committed else ())
                st.dataframe(preview, hide_index=True, width="stretch", key=K + "preview", placeholder="",
                             column_config={"link": st.column_config.LinkColumn(
                                 t("upload.col.page"), display_text=LINK_TEXT, width="medium",
                                 help=t("upload.col.page_help"))})
        if n["rejected"]:
            st.download_button(t("upload.download_rejected", n=n["rejected"]),
                               data=partial(rejected_csv, prepared), on_click="ignore",
                               file_name=f"rejected_{prepared.file_name.rsplit('.', 1)[0]}.csv", mime="text/csv",
                               key=K + "rejected_now", help=t("upload.rejected_help"))

        if strict and n["rejected"]:
            st.warning(t("upload.strict_will_refuse"))
        if st.button(t("upload.commit"), type="primary", key=K + "commit", disabled=committed or not n["valid"]):
            st.session_state[K + "report"] = (token, portal.commit_upload(store(), V, prepared, strict))
            st.rerun()  # show the report with the button disabled: one click stores the file once
        if committed:
            report = done[1]
            r1, r2, r3, r4 = st.columns(4)
            r1.metric(t("upload.new"), report.new)
            r2.metric(t("upload.updated"), report.updated)
            r3.metric(t("upload.unchanged"), report.unchanged)
            r4.metric(t("upload.rejected"), report.rejected)
            if report.status == "refused":
                st.error(t("upload.strict_refused", n=report.rejected))
            elif report.rejected:
                st.warning(t("upload.stored_partial", stored=report.stored, rejected=report.rejected,
                             id=report.upload_id))
            else:
                st.success(t("upload.stored", stored=report.stored, id=report.upload_id))
            first = next(iter((*report.new_keys, *report.updated_keys)), None)
            if first is None and report.status != "refused" and prepared.rows.num_rows:
                first = prepared.rows.column(KEY[prepared.kind])[0].as_py()
            if first is not None:  # the way on: the new firm's page and its matches
                shown_name = (store().profile(prepared.kind, first) or {}).get(
                    "name" if prepared.kind == "organisations" else "title") or first
                w1, w2 = st.columns(2)
                w1.page_link("app_pages/matches.py", label=t("upload.see_matches", name=shown_name),
                             icon=":material/handshake:", query_params=party_param(prepared.kind, first))
                w2.page_link("app_pages/profile.py", label=t("upload.see_profile", name=shown_name),
                             icon=":material/badge:", query_params=party_param(prepared.kind, first))
                if report.stored > 1:
                    st.caption(t("upload.see_others"))

st.divider()
st.subheader(t("upload.history"))
past = portal.uploads(store(), V, limit=50)
if past.empty:
    st.info(t("upload.no_history"))
else:
    view = past.assign(kind=past.kind.map(lambda k: t("upload.kind." + k) if k in KINDS else k),
                       status=past.status.map(lambda s: t("upload.status." + s)))
    st.dataframe(view[["upload_id", "received_at", "file_name", "kind", "status", "rows_total", "rows_new",
                       "rows_updated", "rows_unchanged", "rows_rejected"]], hide_index=True, width="stretch",
                 key=K + "history", column_config={
                     "upload_id": st.column_config.NumberColumn(t("upload.col.upload_id"), width="small"),
                     "received_at": st.column_config.DatetimeColumn(t("upload.col.received_at"),
                                                                    format="YYYY-MM-DD HH:mm"),
                     "file_name": t("upload.col.file_name"), "kind": t("upload.col.kind"),
                     "status": t("upload.col.status"), "rows_total": t("upload.col.rows_total"),
                     "rows_new": t("upload.new"), "rows_updated": t("upload.updated"),
                     "rows_unchanged": t("upload.unchanged"), "rows_rejected": t("upload.rejected")})
    with_rejects = past[past.rows_rejected > 0]
    if not with_rejects.empty:
        labels = {int(r.upload_id): f"#{r.upload_id} · {r.file_name} · {t('upload.n_rejected', n=r.rows_rejected)}"
                  for r in with_rejects.itertuples()}
        pick = st.selectbox(t("upload.past_pick"), list(labels), format_func=labels.__getitem__, key=K + "past")
        row = with_rejects[with_rejects.upload_id == pick].iloc[0]
        file_lang = row.header_lang if row.header_lang in LANGS else L
        st.download_button(t("upload.download_rejected", n=int(row.rows_rejected)),
                           data=partial(stored_rejected_csv, store(), pick, row.kind, file_lang), on_click="ignore",
                           file_name=f"rejected_upload_{pick}.csv", mime="text/csv", key=K + "rejected_past",
                           help=t("upload.rejected_help"))
