"""账户 Accounts (administrators): who may sign in and in which role, new accounts, disabling one, and the
audit log (who saw whose contacts, who changed which profile or account, who introduced whom) with a
download. Every call is ``matchmaking.portal``'s, which refuses any other role."""

from __future__ import annotations

import streamlit as st

from app_pages._resources import store
from app_pages.i18n import lang, t
from app_pages.login import current_viewer, refused
from matchmaking import portal
from matchmaking.accounts import ROLES, AccountRefused
from matchmaking.profiles.export import defuse

K = "accounts."  # session-state namespace of this page
L = lang()
V = current_viewer()

st.title(t("accounts.title"))
flash = st.session_state.pop(K + "flash", None)
if flash:
    st.success(flash)
try:
    table = portal.accounts(store(), V)
except AccountRefused as exc:
    refused(exc)

st.dataframe(table.assign(role=table.role.map(lambda r: t(f"role.{r}"))), hide_index=True, width="stretch",
             key=K + "list", column_config={
                 "name": t("accounts.name"), "role": t("accounts.role"), "orgs": t("accounts.orgs"),
                 "disabled": st.column_config.CheckboxColumn(t("accounts.disabled")),
                 "last_login_at": st.column_config.DatetimeColumn(t("accounts.last_login"), format="YYYY-MM-DD HH:mm"),
                 "failed_logins": t("accounts.failed")})

left, right = st.columns(2)
with left, st.form(K + "add", clear_on_submit=True):
    st.markdown(f"**{t('accounts.add')}**")
    name = st.text_input(t("accounts.name"), key=K + "name")
    role = st.selectbox(t("accounts.role"), list(ROLES), format_func=lambda r: t(f"role.{r}"), key=K + "role")
    orgs = st.text_input(t("accounts.orgs"), key=K + "orgs", help=t("accounts.orgs_help"))
    password = st.text_input(t("login.password"), type="password", key=K + "password", autocomplete="new-password")
    if st.form_submit_button(t("accounts.add_do"), type="primary"):
        codes = [c for c in orgs.replace("，", ",").replace(";", ",").replace(" ", ",").split(",") if c]
        try:
            portal.add_account(store(), V, name.strip(), role, password, codes)
        except AccountRefused as exc:
            st.error(exc.zh if L == "zh" else str(exc))
        else:
            st.session_state[K + "flash"] = t("accounts.added", name=name.strip())
            st.rerun()
with right:
    st.markdown(f"**{t('accounts.disable')}**")
    active = [n for n, off in zip(table.name, table.disabled, strict=True) if not off and n != V.name]
    who = st.selectbox(t("accounts.name"), active, index=None, placeholder=t("common.choose"), key=K + "who")
    if st.button(t("accounts.disable_do"), disabled=who is None, key=K + "disable"):
        try:
            portal.disable_account(store(), V, who)
        except AccountRefused as exc:
            st.error(exc.zh if L == "zh" else str(exc))
        else:
            st.session_state[K + "flash"] = t("accounts.disabled_done", name=who)
            st.rerun()
    st.caption(t("accounts.passwd_note"))

st.subheader(t("accounts.audit"))
st.caption(t("accounts.audit_note"))
log = portal.audit_log(store(), V)
st.dataframe(log.sort_values("logged_at", ascending=False), hide_index=True, width="stretch", key=K + "audit",
             column_config={"logged_at": st.column_config.DatetimeColumn(t("accounts.when"), format="YYYY-MM-DD HH:mm:ss"),
                            "actor": t("accounts.actor"), "role": t("accounts.role"), "action": t("accounts.action"),
                            "subject_id": t("accounts.subject"), "other_id": t("accounts.other"),
                            "detail": t("accounts.detail")})
st.download_button(t("accounts.audit_download"), data=log.astype(object).map(defuse).to_csv(index=False).encode("utf-8-sig"),
                   file_name="audit_log.csv", mime="text/csv", on_click="ignore", key=K + "audit_csv")
