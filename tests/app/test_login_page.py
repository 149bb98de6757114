"""The login page (issue 11): before any data when accounts exist, in either language with exact labels;
wrong, disabled and too-many-failures refusals; log out; sessions that end; the stored session behind the
cookie that lets a login survive a reload (the reload itself, which needs a browser's cookie, is
tests/app/test_browser_login.py); and the local console when there are no accounts. The real app (``app.py``) under AppTest on real DuckDB files; nothing mocked.

After a login the default page (overview) runs, so these databases hold no profiles: the overview then
stops at its "no data yet" notice instead of loading the embedding model."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.strings import STRINGS
from matchmaking.accounts import FREE_FAILURES, SESSION_COOKIE, SESSION_IDLE, SESSION_LIFETIME, Viewer
from matchmaking.services import ingest_file
from matchmaking.store import Store

ROOT = Path(__file__).resolve().parents[2]
ORGS = ROOT / "tests" / "foundation" / "bad_inputs" / "01_utf8_valid.csv"
PW = "correct horse battery"
LABELS = {"zh": ("用户名", "密码", "登录"), "en": ("Username", "Password", "Log in")}


def s(key: str, lang: str, **values: object) -> str:
    text = STRINGS[key][0 if lang == "zh" else 1]
    return text.format(**values) if values else text


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    """An empty database with one staff account, as the app's HST_DB."""
    path = tmp_path / "app.duckdb"
    with Store(path) as store:
        store.add_user("alice", "staff", PW)
    monkeypatch.setenv("HST_DB", str(path))
    return path


def start(lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].set_value(name)
    at.text_input[1].set_value(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def on_login_page(at: AppTest, lang: str) -> bool:
    username, password, button = LABELS[lang]
    return ([w.label for w in at.text_input] == [username, password] and [b.label for b in at.button] == [button]
            and "viewer" not in at.session_state)


def page_texts(at: AppTest) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "error", "warning", "success"):
        out += [str(e.value) for e in getattr(at, kind)]
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_login_page_comes_before_any_data_with_exact_labels(tmp_path, monkeypatch, lang):
    path = tmp_path / "app.duckdb"
    with Store(path) as store:
        assert ingest_file(store, ORGS).exit_code == 0
        store.add_user("alice", "staff", PW)
        names = store.profiles("organisations", include_private=True)[["name", "credit_code", "contact_name"]]
    monkeypatch.setenv("HST_DB", str(path))
    at = start(lang)
    assert on_login_page(at, lang)
    password = at.text_input[1]
    assert password.proto.type == password.proto.PASSWORD  # masked
    texts = " ".join(page_texts(at))
    for value in names.values.ravel():  # no organisation named, no code, no contact
        assert str(value) not in texts
    assert not at.dataframe and not at.sidebar.button  # no table, no log-out

    at.switch_page("app_pages/matches.py").run()  # a page's address does not get past the login
    assert not at.exception and on_login_page(at, lang) and not at.dataframe and not at.selectbox


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_log_in_and_log_out(db, lang):
    at = log_in(start(lang), "alice", PW)
    assert not at.text_input or at.text_input[0].label != LABELS[lang][0]
    assert at.session_state["viewer"] == Viewer("alice", "staff")
    assert s("login.signed_in", lang, name="alice", role=s("role.staff", lang)) in [c.value for c in at.sidebar.caption]
    assert [b.label for b in at.sidebar.button] == [s("login.logout", lang)]
    assert s("overview.no_uploads", lang) in [w.value for w in at.warning]  # the overview ran

    at.sidebar.button[0].click().run()
    assert not at.exception and on_login_page(at, lang)
    with Store(db, read_only=True) as store:
        assert store.account("alice").last_login_at is not None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_wrong_and_disabled_are_refused_in_the_users_language(db, lang):
    at = log_in(start(lang), "alice", "not it at all")
    assert on_login_page(at, lang) and [e.value for e in at.error] == [s("login.wrong", lang)]
    assert at.text_input[1].value == ""  # the password is not kept
    at = log_in(at, "nobody", PW)
    assert [e.value for e in at.error] == [s("login.wrong", lang)]  # unknown name: the same words
    with Store(db) as store:
        store.disable_user("alice")
    at = log_in(at, "alice", PW)
    assert on_login_page(at, lang) and [e.value for e in at.error] == [s("login.disabled", lang)]


def test_repeated_failures_slow_down_even_the_right_password(db):
    at = start("en")
    for _ in range(FREE_FAILURES):
        at = log_in(at, "alice", "guess guess")
        assert [e.value for e in at.error] == [s("login.wrong", "en")]
    at = log_in(at, "alice", PW)
    assert on_login_page(at, "en")
    (message,) = [e.value for e in at.error]
    assert message.startswith("Too many failed attempts: try again in ")
    fresh = log_in(start("zh"), "alice", PW)  # another session: the count is the account's, in the database
    assert on_login_page(fresh, "zh") and fresh.error[0].value.startswith("登录失败次数过多")


def test_an_idle_session_expires(db):
    at = log_in(start("en"), "alice", PW)
    assert at.session_state["viewer"].name == "alice"
    at.session_state["auth.seen"] = time.time() - SESSION_IDLE.total_seconds() - 1  # as if idle that long
    at.run()
    assert on_login_page(at, "en") and [i.value for i in at.info] == [s("login.expired", "en")]


def test_a_session_ends_when_its_account_is_disabled_or_its_password_changed(db):
    at = log_in(start("en"), "alice", PW)
    with Store(db) as store:
        store.set_password("alice", "a brand new one")
    at.run()
    assert on_login_page(at, "en") and [i.value for i in at.info] == [s("login.ended", "en")]
    at = log_in(at, "alice", "a brand new one")
    assert at.session_state["viewer"].name == "alice"
    with Store(db) as store:
        store.disable_user("alice")
    at.run()
    assert on_login_page(at, "en")


def cookie_scripts(at: AppTest) -> list[str]:
    """The scripts the app gives the browser to write or drop its session cookie (inline, in the page)."""
    return [e.proto.body for e in at.get("html") if SESSION_COOKIE in e.proto.body and e.proto.unsafe_allow_javascript]


def test_a_login_opens_a_stored_session_the_browser_keeps_and_log_out_ends_it(db):
    at = log_in(start("en"), "alice", PW)
    token = at.session_state["auth.token"]
    with Store(db, read_only=True) as store:
        resumed = store.resolve_session(token)
        assert resumed.ok and resumed.viewer == Viewer("alice", "staff") and store.session_count("alice") == 1
    (script,) = cookie_scripts(at)  # the cookie: the token and nothing else, this site only, for the lifetime
    assert f'now !== "{token}"' in script and f'"{SESSION_COOKIE}="' in script and "src=" not in script
    assert f'"{token}; Max-Age={int(SESSION_LIFETIME.total_seconds())}; Path=/; SameSite=Strict"' in script
    at.switch_page("app_pages/overview.py").run()  # clicks keep the same session
    assert at.session_state["auth.token"] == token and "viewer" in at.session_state

    at.sidebar.button[0].click().run()
    assert not at.exception and on_login_page(at, "en")
    with Store(db, read_only=True) as store:
        assert store.resolve_session(token).refused == "unknown" and store.session_count() == 0
    (script,) = cookie_scripts(at)  # the browser is told to drop it
    assert '"; Max-Age=0; Path=/; SameSite=Strict"' in script and f'["{token}"]' in script
    at = log_in(at, "alice", PW)  # a new login: a new token
    assert at.session_state["auth.token"] != token


def test_logging_out_in_another_tab_ends_this_one(db):
    at = log_in(start("en"), "alice", PW)
    with Store(db) as store:  # the other tab shares the cookie, so the same session: its log-out deletes it
        assert store.revoke_session(at.session_state["auth.token"])
    at.run()
    assert on_login_page(at, "en") and [i.value for i in at.info] == [s("login.elsewhere", "en")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_accounts_the_app_is_the_local_console(tmp_path, monkeypatch, lang):
    path = tmp_path / "app.duckdb"
    Store(path).close()
    monkeypatch.setenv("HST_DB", str(path))
    at = start(lang)
    assert not at.text_input and not at.sidebar.button  # no login, no log-out
    assert at.session_state["viewer"] == Viewer.local_console()
    assert s("login.local", lang) in [c.value for c in at.sidebar.caption]
    assert s("overview.no_uploads", lang) in [w.value for w in at.warning]
    assert not cookie_scripts(at)  # no session, no cookie
