"""Objects shared by all pages and sessions, created once (``st.cache_resource``).

The store is *transient*: it opens the DuckDB file for each call and lets go at once, so a terminal
``hst ingest`` can write while the app runs; the matcher is rebuilt when the data version changes, so
the app shows new rows without a restart.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from matchmaking.reference import default_db_path
from matchmaking.store import Store

__all__ = ["db_path", "store", "data_version", "built", "embedder", "top_matches"]


def db_path() -> Path:
    return Path(os.environ.get("HST_DB") or default_db_path())


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path, transient=True)


def store() -> Store:
    return _store(str(db_path()))


def data_version() -> int:
    """Changes whenever any upload is recorded (by this app or by another process)."""
    return store().data_version()


@st.cache_resource(show_spinner=False)
def embedder():
    from matchmaking.embedding import load_embedder

    return load_embedder()


@st.cache_resource(show_spinner=False, max_entries=2)
def _built(path: str, version: int, model_id: str):
    from matchmaking.services import build_matcher

    return build_matcher(_store(path), embedder(), progress=False)


def built():
    """The matcher for the current data (built once per data version and model)."""
    return _built(str(db_path()), data_version(), embedder().model_id)


@st.cache_data(show_spinner=False, max_entries=4)
def _top_matches(path: str, version: int, model_id: str, k: int):
    from matchmaking.network import from_stored
    from matchmaking.network import top_matches as compute

    stored = store().match_results(version, model_id)
    if stored is not None and int(stored["rank"].max()) >= k:  # `hst match --all --store` for this data
        return from_stored(stored, built().index, k)
    return compute(built().matcher, k)


def top_matches(k: int = 5):
    """Everyone's top-k matches (overview flows, alliances): the stored results of ``hst match --all
    --store`` when they are for the current data and model, else computed once per data version."""
    return _top_matches(str(db_path()), data_version(), embedder().model_id, k)
