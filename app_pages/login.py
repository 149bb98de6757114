"""登录 Log in: who is looking, asked before any data is shown. ``app.py`` asks ``viewer()`` first; when no
one is logged in it resolves the address among all pages (so a bookmarked link lands on its page after the
login) but runs none of them: ``login_form()`` is all it shows.

With no accounts in the database the app is the local staff console it always was (``hst app`` then
listens on 127.0.0.1 only). With accounts, everyone logs in; the check, the backoff after failures and
the hash upgrade are ``Store.authenticate``. A session ends after ``accounts.SESSION_IDLE`` without a
click, and at the next click after its account is disabled or its password changed.
"""

from __future__ import annotations

import time

import streamlit as st

from app_pages._resources import store
from app_pages.i18n import lang, t
from matchmaking.accounts import SESSION_IDLE, AccountRefused, Viewer

__all__ = ["viewer", "login_form", "current_viewer", "refused", "log_out", "VIEWER"]

VIEWER = "viewer"  # the one key pages read: who is looking (a matchmaking.accounts.Viewer), for the services
K = "auth."  # this module's session-state namespace
_VIEWER, _CHANGED, _SEEN, _NOTICE = K + "viewer", K + "changed_at", K + "seen", K + "notice"


def log_out(notice: str | None = None) -> None:
    """End the session: everything it kept goes (what one account looked at or checked must not reach the
    next one in the same browser), except the language."""
    for key in [k for k in st.session_state if k not in ("lang", "_lang_radio")]:
        del st.session_state[key]
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


def viewer() -> Viewer | None:
    """Who is looking, also kept as ``st.session_state["viewer"]`` for the pages: without accounts, the local
    console; otherwise the logged-in account (its name and a log-out button in the sidebar), or None when
    no one is logged in (then ``login_form()`` is all the app may show)."""
    if not store().has_accounts():
        st.sidebar.caption(t("login.local"))
        st.session_state[VIEWER] = Viewer.local_console()
        return st.session_state[VIEWER]
    v = _current()
    if v is None:
        st.session_state.pop(VIEWER, None)
        return None
    st.session_state[VIEWER] = v
    st.sidebar.caption(t("login.signed_in", name=v.name, role=t(f"role.{v.role}")))
    st.sidebar.button(t("login.logout"), key=K + "logout", on_click=log_out)
    return v


def login_form() -> None:
    """The login form, and nothing else: the script stops here."""
    _login_form()
    st.stop()


def current_viewer() -> Viewer:
    """Who is looking, for a page (``app.py`` has asked ``viewer()`` before any page runs)."""
    v = st.session_state.get(VIEWER)
    if v is None:  # a page run on its own (tests): ask now
        v = viewer()
    if v is None:
        login_form()
    assert v is not None
    return v


def refused(exc: AccountRefused) -> None:
    """Say in the page's language why the viewer may not have what it asked for, and stop the page."""
    st.error(exc.zh if lang() == "zh" else str(exc))
    st.stop()
