"""登录 Log in: who is looking, asked before any data is shown (``app.py`` calls ``viewer()`` before it
builds the navigation, so no page, and no page's URL, runs without it).

With no accounts in the database the app is the local staff console it always was (``hst app`` then
listens on 127.0.0.1 only). With accounts, everyone logs in; the check, the backoff after failures and
the hash upgrade are ``Store.authenticate``. A session ends after ``accounts.SESSION_IDLE`` without a
click, and at the next click after its account is disabled or its password changed.
"""

from __future__ import annotations

import time

import streamlit as st

from app_pages._resources import store
from app_pages.i18n import t
from matchmaking.accounts import SESSION_IDLE, Viewer

__all__ = ["viewer", "log_out", "VIEWER"]

VIEWER = "viewer"  # the one key pages read: who is looking (a matchmaking.accounts.Viewer), for the services
K = "auth."  # this module's session-state namespace
_VIEWER, _CHANGED, _SEEN, _NOTICE = K + "viewer", K + "changed_at", K + "seen", K + "notice"


def log_out(notice: str | None = None) -> None:
    for key in (_VIEWER, _CHANGED, _SEEN, VIEWER):
        st.session_state.pop(key, None)
    if notice:
        st.session_state[_NOTICE] = notice


def _still_valid(v: Viewer) -> bool:
    """The session's account still exists, is enabled, and has not changed since the login."""
    account = store().account(v.name)
    return (account is not None and not account.disabled
            and account.changed_at == st.session_state.get(_CHANGED))


def _current() -> Viewer | None:
    v: Viewer | None = st.session_state.get(_VIEWER)
    if v is None:
        return None
    now = time.time()
    if now - st.session_state.get(_SEEN, 0.0) > SESSION_IDLE.total_seconds():
        log_out("login.expired")
        return None
    if not _still_valid(v):
        log_out("login.ended")
        return None
    st.session_state[_SEEN] = now
    return v


def _submit() -> None:
    name = st.session_state.get(K + "name", "").strip()
    password = st.session_state.get(K + "password", "")
    st.session_state[K + "password"] = ""  # never kept in the session beyond this click
    result = store().authenticate(name, password)
    if result.ok:
        st.session_state[_VIEWER] = result.viewer
        st.session_state[_CHANGED] = result.changed_at
        st.session_state[_SEEN] = time.time()
        st.session_state.pop(_NOTICE, None)
    elif result.refused == "wait":
        st.session_state[_NOTICE] = ("login.wait", int(result.wait_seconds + 0.999))
    else:
        st.session_state[_NOTICE] = f"login.{result.refused}"


def _login_form() -> None:
    st.title(t("app.title"))
    st.subheader(t("login.title"))
    notice = st.session_state.get(_NOTICE)
    if isinstance(notice, tuple):
        st.error(t(notice[0], seconds=notice[1]))
    elif notice in ("login.expired", "login.ended"):
        st.info(t(notice))
    elif notice:
        st.error(t(notice))
    st.caption(t("login.intro"))
    with st.form(K + "form"):
        st.text_input(t("login.username"), key=K + "name", autocomplete="username")
        st.text_input(t("login.password"), type="password", key=K + "password", autocomplete="current-password")
        st.form_submit_button(t("login.submit"), type="primary", on_click=_submit)


def viewer() -> Viewer:
    """Who is looking, also kept as ``st.session_state["viewer"]`` for the pages. Without accounts: the local
    console. Otherwise the logged-in account (its name and a log-out button in the sidebar), or the login
    form and nothing else (the script stops there)."""
    if not store().has_accounts():
        st.sidebar.caption(t("login.local"))
        st.session_state[VIEWER] = Viewer.local_console()
        return st.session_state[VIEWER]
    v = _current()
    if v is None:
        st.session_state.pop(VIEWER, None)
        _login_form()
        st.stop()
    st.session_state[VIEWER] = v
    st.sidebar.caption(t("login.signed_in", name=v.name, role=t(f"role.{v.role}")))
    st.sidebar.button(t("login.logout"), key=K + "logout", on_click=log_out)
    return v
