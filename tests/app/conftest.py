"""Fixtures for the app tests: one real DuckDB file with the demo data and real embeddings (the default
model), built once per test session through the real CLI, and an AppTest factory pointed at it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


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
