"""登录 Log in: who is looking, asked before any data is shown. ``app.py`` asks ``viewer()`` first; when no
one is logged in it resolves the address among all pages (so a bookmarked link lands on its page after the
login) but runs none of them: ``login_form()`` is all it shows.

With no accounts in the database the app is the local staff console it always was (``hst app`` then
listens on 127.0.0.1 only). With accounts, everyone logs in; the check, the backoff after failures and
the hash upgrade are ``Store.authenticate``. A login opens a server-side session (``Store.create_session``)
whose random token the browser keeps in the ``accounts.SESSION_COOKIE`` cookie, so that a reload of the
page (a new Streamlit session) resumes it silently (``Store.resolve_session``) instead of asking again.
The session is checked at every click: it ends after ``accounts.SESSION_IDLE`` without a click,
``accounts.SESSION_LIFETIME`` after the login, at the next click after its account is disabled or its
password changed, and on log-out (here or in another tab of the same browser, which shares the cookie).

Streamlit reads the request's cookies (``st.context.cookies``) but sets none: the cookie is written and
cleared by a few lines of inline script (``st.html``; no external code), ``SameSite=Strict; Path=/`` (and
``Secure`` over HTTPS). Script-written, it cannot be ``HttpOnly``; it holds nothing but the
token, and the store only the token's SHA-256.
"""

from __future__ import annotations

import json
import time

import streamlit as st

from app_pages._resources import store
from app_pages.i18n import lang, t
from matchmaking.accounts import (
    SESSION_COOKIE,
    SESSION_IDLE,
    SESSION_LIFETIME,
    SESSION_TOUCH,
    AccountRefused,
    LoginResult,
    Viewer,
    session_token_hash,
)

__all__ = ["viewer", "login_form", "current_viewer", "refused", "log_out", "VIEWER"]

VIEWER = "viewer"  # the one key pages read: who is looking (a matchmaking.accounts.Viewer), for the services
K = "auth."  # this module's session-state namespace
_VIEWER, _CHANGED, _SEEN, _NOTICE = K + "viewer", K + "changed_at", K + "seen", K + "notice"
_TOKEN = K + "token"  # the session's token (the cookie's value)
_FORGET = K + "forget"  # tokens that no longer open anything: the browser is told to drop its cookie
_INFO = ("login.expired", "login.ended", "login.elsewhere")  # notices that are not the user's mistake


def log_out(notice: str | None = None) -> None:
    """End the session: its stored row goes (a reload no longer resumes it, nor does another tab), the
    browser is told to drop the cookie, and everything the session kept goes (what one account looked at
    or checked must not reach the next one in the same browser), except the language."""
    token = st.session_state.get(_TOKEN)
    if token:
        store().revoke_session(token)
    for key in [k for k in st.session_state if k not in ("lang", "_lang_radio")]:
        del st.session_state[key]
    if token:
        st.session_state[_FORGET] = (token,)
    if notice:
        st.session_state[_NOTICE] = notice


def _start(result: LoginResult, token: str) -> Viewer:
    """Keep a logged-in (or resumed) session in this Streamlit session."""
    st.session_state[_VIEWER] = result.viewer
    st.session_state[_CHANGED] = result.changed_at
    st.session_state[_SEEN] = time.time()
    st.session_state[_TOKEN] = token
    st.session_state.pop(_NOTICE, None)
    st.session_state.pop(_FORGET, None)
    assert result.viewer is not None
    return result.viewer


def _why_ended(v: Viewer, result: LoginResult, idle_s: float) -> str:
    """The notice for a session that no longer resolves."""
    if result.refused == "expired":
        return "login.expired"
    if result.refused == "ended":
        return "login.ended"
    account = store().account(v.name)  # "unknown": a password change or a disable deletes the rows too
    if account is None or account.disabled or account.changed_at != st.session_state.get(_CHANGED):
        return "login.ended"
    if idle_s > (SESSION_IDLE - SESSION_TOUCH).total_seconds():  # swept while idle (last_seen lags a little)
        return "login.expired"
    return "login.elsewhere"  # logged out in another tab of this browser


def _resumed() -> Viewer | None:
    """The session of the browser's cookie, when it still resolves (a reload, a new tab): logged in again
    without a word. A cookie that does not resolve is dropped, saying why when the session expired or
    its account changed."""
    token = st.context.cookies.get(SESSION_COOKIE)
    forget = st.session_state.get(_FORGET, ())
    if not isinstance(token, str) or session_token_hash(token) is None or token in forget:
        return None  # none, not ours (never written into a script), or known to be dead (the cookies a
                     # Streamlit session sees are those of its first request: a log-out does not change them)
    result = store().resolve_session(token)
    if not result.ok:
        st.session_state[_FORGET] = (*forget, token)
        if result.refused in ("expired", "ended"):
            st.session_state[_NOTICE] = f"login.{result.refused}"
        return None
    return _start(result, token)


def _current() -> Viewer | None:
    v: Viewer | None = st.session_state.get(_VIEWER)
    if v is None:
        return _resumed()
    now = time.time()
    idle_s = now - st.session_state.get(_SEEN, 0.0)
    if idle_s > SESSION_IDLE.total_seconds():
        log_out("login.expired")
        return None
    result = store().resolve_session(st.session_state.get(_TOKEN, ""))
    if not result.ok:
        log_out(_why_ended(v, result, idle_s))
        return None
    st.session_state[_SEEN] = now
    return v


def _submit() -> None:
    name = st.session_state.get(K + "name", "").strip()
    password = st.session_state.get(K + "password", "")
    st.session_state[K + "password"] = ""  # never kept in the session beyond this click
    result = store().authenticate(name, password)
    if result.ok:
        assert result.viewer is not None and result.changed_at is not None
        _start(result, store().create_session(result.viewer.name, result.changed_at))
    elif result.refused == "wait":
        st.session_state[_NOTICE] = ("login.wait", int(result.wait_seconds + 0.999))
    else:
        st.session_state[_NOTICE] = f"login.{result.refused}"


def _cookie_script(keep: str | None, drop: tuple[str, ...] = ()) -> None:
    """Set the browser's session cookie to ``keep``, or clear it when it holds one of ``drop``; nothing when
    it already is so. A few lines of script in the page (``st.html`` runs them once per distinct body).
    Every token is of ``accounts.new_session_token``'s form (letters, digits, ``-``, ``_``), checked here:
    a cookie is whatever the browser sends, and only a well-formed one is ever written into a script."""
    if not all(session_token_hash(tok) for tok in ([keep] if keep else list(drop))):
        raise ValueError("not a session token")
    value, max_age = (keep, int(SESSION_LIFETIME.total_seconds())) if keep else ("", 0)
    act = f"now !== {json.dumps(keep)}" if keep else f"{json.dumps(list(drop))}.indexOf(now) >= 0"
    st.html(f"""<script>
(function () {{
  var name = "{SESSION_COOKIE}=", now = (document.cookie.split("; ").find(function (c) {{
    return c.indexOf(name) === 0; }}) || name).slice(name.length);
  if ({act}) {{
    document.cookie = name + "{value}; Max-Age={max_age}; Path=/; SameSite=Strict"
      + (location.protocol === "https:" ? "; Secure" : "");
  }}
}})();
</script>""", unsafe_allow_javascript=True)


def _login_form() -> None:
    st.title(t("app.title"))
    st.subheader(t("login.title"))
    notice = st.session_state.get(_NOTICE)
    if isinstance(notice, tuple):
        st.error(t(notice[0], seconds=notice[1]))
    elif notice in _INFO:
        st.info(t(notice))
    elif notice:
        st.error(t(notice))
    st.caption(t("login.intro"))
    with st.form(K + "form"):
        st.text_input(t("login.username"), key=K + "name", autocomplete="username")
        st.text_input(t("login.password"), type="password", key=K + "password", autocomplete="current-password")
        st.form_submit_button(t("login.submit"), type="primary", on_click=_submit)
    if st.session_state.get(_FORGET):
        _cookie_script(None, drop=st.session_state[_FORGET])


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
    with st.sidebar:
        _cookie_script(st.session_state[_TOKEN])
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
