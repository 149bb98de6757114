"""Where the project's bundled data lives.

In a source checkout (``pip install -e .``) the data sits in ``data/`` beside the packages; in a built
wheel it is bundled as ``matchmaking/_bundled_data``. Nothing here interprets the data; it finds it (and
``read_reference`` reads one reference table as rows of text).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

__all__ = ["data_dir", "reference_dir", "demo_dir", "default_db_path", "app_path", "read_reference"]

_PKG = Path(__file__).resolve().parent.parent  # the matchmaking package


def data_dir() -> Path:
    """The directory holding ``reference/`` and ``demo/`` (benefit sharing finds its own ``scenarios/``)."""
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


def app_path() -> Path:
    """The Streamlit entry point (``app.py``)."""
    bundled = _PKG / "_bundled_data" / "app.py"
    return bundled if bundled.is_file() else _PKG.parent / "app.py"


def default_db_path() -> Path:
    """``$HST_DB``, else ``data/hst.duckdb`` under the current directory (per the CLI contract)."""
    return Path(os.environ.get("HST_DB") or Path.cwd() / "data" / "hst.duckdb")


def read_reference(name: str, required: bool = True) -> list[dict[str, str]]:
    """The rows of one CSV table of ``data/reference`` (UTF-8, header row), as text. A missing table is
    an error, or ``[]`` when it is optional (``required=False``)."""
    path = reference_dir() / name
    if not path.exists() and not required:
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
