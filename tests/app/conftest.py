"""Fixtures for the app tests: one real DuckDB file with the demo data and real embeddings (the default
model), built once per test session through the real CLI, and an AppTest factory pointed at it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _hst(db: Path, *args: str) -> None:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    out = subprocess.run([sys.executable, "-m", "matchmaking.cli", "--db", str(db), *args], capture_output=True,
                         text=True, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory) -> Path:
    """The demo database with every embedding computed (built once; copy it before writing to it)."""
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    _hst(db, "init", "--demo")
    _hst(db, "embed")
    return db


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
