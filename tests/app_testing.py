"""Helpers of the app tests (AppTest and browser), importable by name like ``hst_testing``."""

from __future__ import annotations

from pathlib import Path

from matchmaking.store import Store

REPO_ROOT = Path(__file__).resolve().parents[1]
SHOTS = REPO_ROOT / "tests" / "artifacts" / "screenshots"  # browser screenshots, kept for CI


def open_page(app, page: str, lang: str = "zh"):
    """An AppTest of ``app_pages/<page>.py`` in ``lang``, run once and free of exceptions."""
    app.session_state["lang"] = lang
    app.switch_page(f"app_pages/{page}.py")
    app.run()
    assert not app.exception, app.exception
    return app


def table(at, *columns: str):
    """The first table showing all these columns (read-only tables carry no key in AppTest)."""
    for d in at.dataframe:
        if set(columns) <= set(d.value.columns):
            return d.value
    raise AssertionError(f"no table with columns {columns}; tables: {[list(d.value.columns) for d in at.dataframe]}")


def peek(db: Path) -> Store:
    """The store as a test reads it beside a running app: read-only and opened per call, so the test
    never holds the file while the app needs it (a held connection would make the app wait, then fail
    with StoreBusy)."""
    return Store(db, read_only=True, transient=True)
