"""Fixtures for the app tests: one real DuckDB file with the demo data and real embeddings (the default
model), built once per test session through the real CLI, and an AppTest factory pointed at it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.app_render import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
VIEWPORT_WIDTH = 1366  # the commonest office laptop screen: the browser tests and their screenshots use it
#: the marks of a test module that drives the real app in Debian's Chromium (``pytestmark = BROWSER``)
BROWSER = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} is missing: run scripts/apt_deps.sh (make apt-deps; make test does)"),
]


@pytest.fixture()
def demo_db(demo_db_template, tmp_path, monkeypatch) -> Path:
    """A private copy of the demo database for one test, exported as HST_DB for the app."""
    db = tmp_path / "app.duckdb"
    shutil.copy(demo_db_template, db)
    monkeypatch.setenv("HST_DB", str(db))
    return db


@pytest.fixture()
def app(demo_db):
    """An AppTest of the real app on the demo database (``at.switch_page(...)`` to open a page)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    return at


# ---------------------------------------------------------------------------------------------- browser
@pytest.fixture(scope="module")
def app_server(demo_db_template, tmp_path_factory, request):
    """The real app (``hst app --headless``) on a private copy of the demo database, one per test module;
    stopped (its whole process group) at the end of the module, whatever happened."""
    from bench.app_render import AppServer

    folder = tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])
    db = folder / "app.duckdb"
    shutil.copy(demo_db_template, db)
    server = AppServer(db, log=folder / "app.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module (Playwright's sync API allows one instance at a time per thread)."""
    from playwright.sync_api import sync_playwright

    from bench.app_render import launch_chromium

    with sync_playwright() as p:
        b = launch_chromium(p)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def tab(browser, request):
    """A new browser session (its own context: Streamlit sees a new user). If the test fails, the page as
    it was is kept as ``tests/artifacts/screenshots/FAILED_<test>.png``."""
    from app_testing import SHOTS

    ctx = browser.new_context(viewport={"width": VIEWPORT_WIDTH, "height": 1000}, locale="zh-CN")
    page = ctx.new_page()
    failed_before = request.session.testsfailed
    yield page
    if request.session.testsfailed > failed_before:  # the call phase is reported before teardown
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
        page.screenshot(path=str(SHOTS / f"FAILED_{name}.png"), full_page=True)
    ctx.close()
