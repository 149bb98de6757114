"""A login survives a reload, in a real browser: ``hst app`` on a database with one account, Debian's headless
Chromium driven by Playwright. After the login the browser holds the session cookie (``SameSite=Strict``,
``Path=/``, no longer than the session's lifetime) whose SHA-256 alone is stored; a reload (F5) and a new
tab of the same browser are still logged in and show the page; after a log-out the cookie is gone, the
stored session too, and a reload shows the login form; a password change ends the session even for a
browser that keeps its cookie. The database holds no profiles: the overview stops at its "no data yet"
notice instead of loading the embedding model."""

from __future__ import annotations

import datetime as dt

import pytest
from app_testing import peek
from playwright.sync_api import expect

from app_pages.strings import STRINGS
from bench.app_render import AppServer, wait_for_run
from matchmaking.accounts import SESSION_COOKIE, SESSION_LIFETIME
from matchmaking.store import Store

from .conftest import BROWSER, VIEWPORT_WIDTH

pytestmark = BROWSER

PW = "correct horse battery"


def s(key: str, lang: str = "zh", **values: object) -> str:
    text = STRINGS[key][0 if lang == "zh" else 1]
    return text.format(**values) if values else text


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("login")
    db = folder / "app.duckdb"
    with Store(db) as store:
        store.add_user("alice", "staff", PW)
    app = AppServer(db, log=folder / "app.log")
    app.start()
    try:
        yield app
    finally:
        app.stop()


@pytest.fixture()
def context(browser):
    ctx = browser.new_context(viewport={"width": VIEWPORT_WIDTH, "height": 1000}, locale="zh-CN")
    try:
        yield ctx
    finally:
        ctx.close()


def on_login_form(tab) -> None:
    expect(tab.get_by_label(s("login.username"), exact=True)).to_be_visible(timeout=120_000)
    wait_for_run(tab)


def logged_in(tab) -> None:
    """Logged in as alice, and the default page (the overview) shown."""
    expect(tab.get_by_text(s("login.signed_in", name="alice", role=s("role.staff")), exact=True)).to_be_visible(
        timeout=120_000)
    expect(tab.get_by_text(s("overview.no_uploads"))).to_be_visible(timeout=120_000)
    wait_for_run(tab)
    assert tab.get_by_label(s("login.username"), exact=True).count() == 0


def log_in(tab, app: AppServer, password: str = PW) -> None:
    tab.goto(app.url)
    on_login_form(tab)
    tab.get_by_label(s("login.username"), exact=True).fill("alice")
    tab.get_by_label(s("login.password"), exact=True).fill(password)
    tab.get_by_role("button", name=s("login.submit"), exact=True).click()
    tab.wait_for_timeout(500)
    wait_for_run(tab, timeout_s=300)


def session_cookie(ctx) -> dict | None:
    found = [c for c in ctx.cookies() if c["name"] == SESSION_COOKIE]
    assert len(found) <= 1
    return found[0] if found else None


def wait_for_cookie(ctx, tab, present: bool) -> dict | None:
    for _ in range(100):
        cookie = session_cookie(ctx)
        if (cookie is not None) == present:
            return cookie
        tab.wait_for_timeout(100)
    raise AssertionError(f"the session cookie is {'missing' if present else 'still there'}: {ctx.cookies()}")


def test_a_login_survives_a_reload_and_a_log_out_does_not(server, context):
    tab = context.new_page()
    log_in(tab, server)
    logged_in(tab)
    cookie = wait_for_cookie(context, tab, present=True)
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/" and not cookie["secure"]  # plain http here
    left = dt.datetime.fromtimestamp(cookie["expires"]) - dt.datetime.now()
    assert SESSION_LIFETIME - dt.timedelta(minutes=5) < left <= SESSION_LIFETIME
    with peek(server.db) as store:  # only the token's hash is stored, and it opens alice's session
        assert store.session_count("alice") == 1
        assert store.resolve_session(cookie["value"]).viewer.name == "alice"

    tab.reload()  # F5: a new Streamlit session, resumed from the cookie without asking
    logged_in(tab)
    other = context.new_page()  # a link opened in a new tab of the same browser
    other.goto(f"{server.url}/upload")
    expect(other.get_by_text(s("login.signed_in", name="alice", role=s("role.staff")), exact=True)).to_be_visible(
        timeout=120_000)
    wait_for_run(other, s("upload.title"), timeout_s=300)
    other.close()
    assert session_cookie(context)["value"] == cookie["value"]  # the same session: no new one per tab
    with peek(server.db) as store:
        assert store.session_count("alice") == 1

    tab.get_by_role("button", name=s("login.logout"), exact=True).click()
    on_login_form(tab)
    wait_for_cookie(context, tab, present=False)
    with peek(server.db) as store:
        assert store.session_count() == 0
    tab.reload()
    on_login_form(tab)
    assert tab.get_by_text(s("login.signed_in", name="alice", role=s("role.staff")), exact=True).count() == 0

    context.add_cookies([{**cookie, "sameSite": "Strict"}])  # a copy of the old cookie opens nothing any more
    tab.reload()
    on_login_form(tab)
    assert tab.get_by_text(s("login.signed_in", name="alice", role=s("role.staff")), exact=True).count() == 0
    wait_for_cookie(context, tab, present=False)  # and the browser is told to drop it


def test_a_password_change_ends_the_session_kept_in_the_cookie(server, context):
    tab = context.new_page()
    log_in(tab, server)
    logged_in(tab)
    wait_for_cookie(context, tab, present=True)
    with Store(server.db, transient=True) as store:  # as ``hst user passwd`` does beside the running app
        store.set_password("alice", "a brand new password")
    try:
        tab.reload()
        on_login_form(tab)
        wait_for_cookie(context, tab, present=False)
        log_in(tab, server, password="a brand new password")
        logged_in(tab)
        tab.reload()
        logged_in(tab)
    finally:
        with Store(server.db, transient=True) as store:
            store.set_password("alice", PW)
