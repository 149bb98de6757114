"""Roles in a real browser (issue 11, item 5): ``hst app`` on a copy of the demo database with one account per
role, Debian's headless Chromium driven by Playwright.

Before login no organisation is named, whatever address is opened. Each role logs in through the form and
visits every page of its navigation (and only those are in it); every expander is opened and the page's
whole text, table cells included, is scanned: an enterprise sees no other organisation's name, credit code,
phone or e-mail (its matches anonymised, still explained), an official no contact and no revenue, the admin
no organisation's name or contact (only the credit codes accounts are bound to); staff open a match's
contacts. An enterprise that edits the address to reach another
party is refused without it being named. The login's failure paths say why. Screenshots of the enterprise's
anonymised matches and of the login are kept in ``tests/artifacts/screenshots/``."""

from __future__ import annotations

import shutil

import pytest
from app_testing import SHOTS
from playwright.sync_api import expect

from app_pages.strings import STRINGS
from bench.app_render import AppServer, wait_for_run
from matchmaking.access import PAGES
from matchmaking.store import Store

from .conftest import BROWSER

pytestmark = BROWSER

PW = "correct horse battery"
ACCOUNTS = {"staff": "staff", "gov": "official", "root": "admin", "firm": "enterprise"}
TITLES = {"overview": "overview.title", "matches": "matches.title", "profile": None, "upload": "upload.title",
          "benefit": "benefit.title", "alliances": "alliances.title", "accounts": "accounts.title",
          "funnel": None}


def s(key: str, lang: str = "zh", **values: object) -> str:
    text = STRINGS[key][0 if lang == "zh" else 1]
    return text.format(**values) if values else text


@pytest.fixture(scope="module")
def server(demo_db_template, tmp_path_factory):
    """The app on a copy of the demo database with one account per role; yields (server, the enterprise's
    credit code, every organisation with its private fields)."""
    folder = tmp_path_factory.mktemp("roles")
    db = folder / "app.duckdb"
    shutil.copy(demo_db_template, db)
    with Store(db) as store:
        orgs = store.profiles("organisations", include_private=True)
        firm = orgs[(orgs.org_type == "enterprise") & orgs.seeks.fillna("").str.len().gt(0)].credit_code.iloc[0]
        for name, role in ACCOUNTS.items():
            store.add_user(name, role, PW, [firm] if role == "enterprise" else [])
    app = AppServer(db, log=folder / "app.log")
    app.start()
    try:
        yield app, firm, orgs
    finally:
        app.stop()


@pytest.fixture()
def tall_tab(browser, request):
    """A fresh browser session, tall enough that every table row is drawn (and so readable)."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 3000}, locale="zh-CN")
    page = ctx.new_page()
    failed_before = request.session.testsfailed
    yield page
    if request.session.testsfailed > failed_before:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"FAILED_roles_{request.node.name}.png"), full_page=True)
    ctx.close()


def on_login_form(tab) -> None:
    expect(tab.get_by_label(s("login.username"), exact=True)).to_be_visible(timeout=120_000)
    wait_for_run(tab)


def log_in(tab, app: AppServer, name: str, path: str = "", password: str = PW) -> None:
    tab.goto(f"{app.url}/{path}")
    on_login_form(tab)
    tab.get_by_label(s("login.username"), exact=True).fill(name)
    tab.get_by_label(s("login.password"), exact=True).fill(password)
    tab.get_by_role("button", name=s("login.submit"), exact=True).click()
    tab.wait_for_timeout(500)
    wait_for_run(tab, timeout_s=300)


def nav_titles(tab) -> list[str]:
    """The sidebar's page links, as read (each link's last line: the first is its icon's ligature)."""
    return [t.strip().splitlines()[-1].strip() for t in tab.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]


def go(tab, page: str) -> None:
    """Open a page as a user does: its link in the sidebar (the session, and so the login, stays)."""
    tab.locator('[data-testid="stSidebarNav"] a', has_text=s(f"nav.{page}")).first.click()
    tab.wait_for_timeout(300)
    title = TITLES.get(page)
    wait_for_run(tab, s(title) if title else None, timeout_s=300)


def everything_shown(tab) -> str:
    """The page's whole text after opening every expander (in hidden tabs too): the body's text content, which
    holds what is not drawn at the moment as well, and every table cell (the grid draws its cells on a
    canvas and keeps their text in accessible cells)."""
    for summary in tab.locator('[data-testid="stExpander"] details:not([open]) > summary').all():
        if summary.is_visible():
            summary.click()
    tab.evaluate("() => document.querySelectorAll('[data-testid=stExpander] details').forEach(d => d.open = true)")
    tab.wait_for_timeout(300)
    cells = tab.locator('[data-testid^="glide-cell-"]').all_inner_texts()
    return tab.evaluate("() => document.body.textContent") + "\n" + "\n".join(cells)


def assert_no_exception(tab, where: str) -> None:
    assert tab.locator('[data-testid="stException"]').count() == 0, where
    assert "Traceback" not in tab.locator("body").inner_text(), where


def others(orgs, own: str | None) -> list[str]:
    """Names, credit codes, phones and e-mails of every organisation but ``own``."""
    rest = orgs if own is None else orgs[orgs.credit_code != own]
    out = list(rest.credit_code) + list(rest["name"]) + list(rest.contact_email.dropna())
    out += [v for v in rest.contact_phone.dropna() if len(str(v)) >= 7]
    return [str(v) for v in out if str(v).strip()]


def test_before_login_no_organisation_is_named(server, tall_tab):
    app, firm, orgs = server
    secrets = others(orgs, None)
    for path in ("", "matches", f"profile?org={firm}", f"matches?org={orgs.credit_code.iloc[3]}", "alliances"):
        tall_tab.goto(f"{app.url}/{path}")
        on_login_form(tall_tab)
        text = everything_shown(tall_tab)
        assert not [v for v in secrets if v in text], path
        assert not nav_titles(tall_tab)  # no navigation before login
    SHOTS.mkdir(parents=True, exist_ok=True)
    tall_tab.screenshot(path=str(SHOTS / "login_zh.png"))


def test_the_login_says_why_it_refuses(server, tall_tab):
    app, _firm, _orgs = server
    log_in(tall_tab, app, "staff", password="not the password")
    expect(tall_tab.get_by_text(s("login.wrong"), exact=True)).to_be_visible()
    log_in(tall_tab, app, "nobody")
    expect(tall_tab.get_by_text(s("login.wrong"), exact=True)).to_be_visible()
    assert not nav_titles(tall_tab)


@pytest.mark.parametrize("name", list(ACCOUNTS))
def test_each_role_sees_its_pages_and_nothing_more(server, tall_tab, name):
    app, firm, orgs = server
    role = ACCOUNTS[name]
    log_in(tall_tab, app, name)
    single = len(PAGES[role]) == 1  # Streamlit draws no navigation for one page: it is simply shown
    assert nav_titles(tall_tab) == ([] if single else [s(f"nav.{p}") for p in PAGES[role]])
    forbidden = {"enterprise": others(orgs, firm),
                 "admin": [v for v in others(orgs, None) if v not in set(orgs.credit_code)],  # it binds codes
                 "official": [str(v) for v in orgs.contact_email.dropna()]
                 + [str(v) for v in orgs.contact_phone.dropna() if len(str(v)) >= 7] + [s("profile.field.revenue_wan")],
                 "staff": []}[role]
    for page in PAGES[role]:
        if single:
            wait_for_run(tall_tab, s(TITLES[page]), timeout_s=300)
        else:
            go(tall_tab, page)
        assert_no_exception(tall_tab, f"{name}: {page}")
        text = everything_shown(tall_tab)
        leaked = [v for v in forbidden if v in text]
        assert not leaked, f"{name} sees on {page}: {leaked[:5]}"
        if role == "enterprise" and page == "matches":
            assert s("matches.anonymous") in text and "匿名 · " in text
            assert "关系：对方可作为您的" in text  # the anonymised match still explains itself
            tall_tab.screenshot(path=str(SHOTS / "matches_enterprise_zh.png"), full_page=False)


def test_staff_open_the_contacts_of_a_match(server, tall_tab):
    app, firm, orgs = server
    log_in(tall_tab, app, "staff", f"matches?org={firm}")
    wait_for_run(tall_tab, s("matches.title"), timeout_s=300)
    tall_tab.get_by_role("button", name=s("matches.contacts")).first.click()
    tall_tab.get_by_text(s("matches.contacts_show"), exact=True).click()
    shown = tall_tab.locator('[data-testid="stPopoverBody"]')
    expect(shown).to_contain_text(s("profile.field.contact_email"), timeout=60_000)
    wait_for_run(tall_tab)
    text = shown.inner_text()
    rest = orgs[orgs.credit_code != firm]
    values = [str(v) for col in ("contact_name", "contact_phone", "contact_email") for v in rest[col].dropna()]
    assert any(v in text for v in values if len(v) >= 3), f"no contact shown to staff after asking for it: {text}"
    with Store(app.db, read_only=True, transient=True) as store:
        assert "view_contacts" in set(store.audit_log().action)


@pytest.mark.parametrize("page", ["profile", "matches"])
def test_an_enterprise_cannot_reach_another_party_by_address(server, tall_tab, page):
    app, firm, orgs = server
    other = orgs[(orgs.credit_code != firm) & orgs.contact_email.notna()].iloc[0]
    log_in(tall_tab, app, "firm", f"{page}?org={other.credit_code}")
    text = everything_shown(tall_tab)
    assert other["name"] not in text and other.contact_email not in text
    expect(tall_tab.locator('[data-testid="stAlertContentError"]').first).to_be_visible()
