"""Where the project's bundled data lives.

In a source checkout (``pip install -e .``) the data sits in ``data/`` beside the packages; in a built
wheel it is bundled as ``matchmaking/_bundled_data``. Nothing here reads the data; it only finds it.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir", "reference_dir", "demo_dir", "scenarios_dir", "default_db_path", "app_path"]

_PKG = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The directory holding ``reference/``, ``demo/`` and ``scenarios/``."""
    override = os.environ.get("HST_DATA_DIR")
    if override:
        return Path(override)
    bundled = _PKG / "_bundled_data"
    if bundled.is_dir():
        return bundled
    return _PKG.parent / "data"


def reference_dir() -> Path:
    return data_dir() / "reference"


def demo_dir() -> Path:
    return data_dir() / "demo"


def scenarios_dir() -> Path:
    return data_dir() / "scenarios"


def app_path() -> Path:
    """The Streamlit entry point (``app.py``)."""
    bundled = _PKG / "_bundled_data" / "app.py"
    return bundled if bundled.is_file() else _PKG.parent / "app.py"


def default_db_path() -> Path:
    """``$HST_DB``, else ``data/hst.duckdb`` under the current directory (per the CLI contract)."""
    return Path(os.environ.get("HST_DB") or Path.cwd() / "data" / "hst.duckdb")
