"""Fixtures shared by every test folder. Keep this small and generic; folder-specific ones live beside
their tests."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo_root() -> Path:
    """The checkout's root (where ``pyproject.toml`` is)."""
    return REPO_ROOT


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh DuckDB file (not created yet)."""
    return tmp_path / "hst.duckdb"
