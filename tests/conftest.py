"""Fixtures shared by every test folder. Keep this small and generic; folder-specific ones live beside
their tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hst_testing import hst

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo_root() -> Path:
    """The checkout's root (where ``pyproject.toml`` is)."""
    return REPO_ROOT


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh DuckDB file (not created yet)."""
    return tmp_path / "hst.duckdb"


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory) -> Path:
    """The demo database with every embedding of the default model computed, built once per session
    through the real CLI. Copy it before writing to it (``demo_db`` in tests/app does)."""
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    hst(db, "init", "--demo")
    hst(db, "embed")
    return db
