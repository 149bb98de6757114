"""Objects shared by all pages and sessions, created once (``st.cache_resource``).

The store is *transient*: it opens the DuckDB file for each call and lets go at once, so a terminal
``hst ingest`` can write while the app runs. The matcher follows the data without making anyone wait
(issue 12, item 3): the first one is built while the first visitor waits; when the data version changes
after that (an upload here or in another process), the previous matcher goes on serving while one
background build per database and model makes the next (reading again only new or changed texts:
``MatchIndex(previous=...)``, kept beside the database as ``hst`` keeps it); the router says so on every
page (``refresh_notice``) and reruns the app once it is done. A failed refresh is shown, not swallowed,
and the previous matcher keeps serving.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import streamlit as st

from matchmaking.reference import default_db_path
from matchmaking.store import Store

__all__ = ["db_path", "store", "data_version", "built", "built_version", "embedder", "top_matches",
           "refresh_notice", "wait_for_refresh"]

REFRESH_POLL_S = 2.0  # how often a page under the refreshing notice looks whether the new matcher is ready
RETRY_AFTER_S = 60.0  # a failed refresh is tried again on a page view after this long (or at the next upload)


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


# ----------------------------------------------------------------------------------------------- the matcher
@dataclass
class _Matchers:
    """The matcher of one database and model, served while its successor is built: ``served`` is (data
    version, ``services.Built``); ``building`` the background build's thread and version; ``failed`` the
    version whose build raised, the exception and when (tried again at the next upload, or after
    ``RETRY_AFTER_S``: a database held by another process for too long is a passing failure)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    first: threading.Lock = field(default_factory=threading.Lock)  # the first build: one, and everyone waits
    served: tuple[int, Any] | None = None
    building: tuple[threading.Thread, int] | None = None
    failed: tuple[int, BaseException, float] | None = None

    def get(self, version: int, build: Callable[[Any], Any]) -> tuple[int, Any]:
        """(version, matcher) to serve for data ``version``: the one built for it, else the previous one
        while a background build of this version runs (started here when none is running)."""
        with self.lock:
            if self.served is not None:
                if self.served[0] != version and self.building is None and (
                        self.failed is None or self.failed[0] != version
                        or time.monotonic() - self.failed[2] > RETRY_AFTER_S):
                    self._start(version, build, self.served[1].index)
                return self.served
        with self.first:
            if self.served is None:
                made = build(None)  # raises to the page: there is nothing to serve instead
                with self.lock:
                    self.served = (version, made)
        return self.get(version, build)

    def _start(self, version: int, build: Callable[[Any], Any], previous: Any) -> None:
        def run() -> None:
            try:
                made = build(previous)
            except BaseException as exc:  # kept for the page to show; the previous matcher goes on serving
                with self.lock:
                    self.failed, self.building = (version, exc, time.monotonic()), None
                return
            with self.lock:
                if self.served is None or self.served[0] <= version:
                    self.served = (version, made)
                self.failed, self.building = None, None

        thread = threading.Thread(target=run, name=f"hst-index-refresh-{version}", daemon=True)
        self.building = (thread, version)
        thread.start()


class _Registry:
    """Every database's and model's ``_Matchers`` in this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_key: dict[tuple[str, str], _Matchers] = {}

    def get(self, path: str, model_id: str) -> _Matchers:
        with self.lock:
            return self.by_key.setdefault((path, model_id), _Matchers())

    def serving(self, path: str) -> bool:
        with self.lock:
            return any(k[0] == path and m.served is not None for k, m in self.by_key.items())


@st.cache_resource(show_spinner=False)
def _registry() -> _Registry:
    return _Registry()


def _serve() -> tuple[int, Any]:
    from functools import partial

    from matchmaking.services import build_matcher

    path, emb = str(db_path()), embedder()
    build = partial(build_matcher, _store(path), emb, progress=False)
    return _registry().get(path, emb.model_id).get(data_version(), lambda previous: build(previous=previous))


def built():
    """The matcher to use now: the one for the current data, or while it is being built (after an upload)
    the previous one. Only the very first build of a database and model is waited for."""
    return _serve()[1]


def built_version() -> int:
    """The data version of the matcher ``built()`` serves: the key of anything a page caches from it (a
    result cached under the current data version while the previous matcher serves would stay stale)."""
    return _serve()[0]


def _current() -> _Matchers | None:
    """This database's matchers once one has served (asking ``embedder()`` before would load the model on
    pages that never match: login, accounts)."""
    path = str(db_path())
    if not _registry().serving(path):
        return None
    return _registry().get(path, embedder().model_id)


def refresh_notice() -> None:
    """Say that the matcher is being refreshed (and rerun the app once it is ready), or that its refresh
    failed; nothing when the matcher is current or none has been built yet. Starts the refresh after an
    upload, so that it runs while the user is still on the upload page. Called by the router."""
    m = _current()
    if m is None:
        return
    _serve()
    with m.lock:
        building, failed = m.building, m.failed
    if building is not None:
        _refreshing()
    elif failed is not None:
        from app_pages.i18n import t

        st.error(t("common.index_refresh_failed", error=f"{type(failed[1]).__name__}: {failed[1]}"),
                 icon=":material/error:")


@st.fragment(run_every=REFRESH_POLL_S)
def _refreshing() -> None:
    from app_pages.i18n import t

    m = _current()
    if m is None or m.building is None:
        st.rerun(scope="app")  # the new matcher serves (or its build failed): the whole page again
    st.info(t("common.index_refreshing"), icon=":material/sync:")


def wait_for_refresh(timeout: float = 300.0) -> bool:
    """Wait until no background build of this database's matcher runs (at most ``timeout`` seconds); True
    when none runs any more. For tests and scripts: the app itself never waits for a refresh."""
    m = _registry().get(str(db_path()), embedder().model_id)
    with m.lock:
        building = m.building
    if building is None:
        return True
    building[0].join(timeout)
    return not building[0].is_alive()


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
    --store`` when they are for the data of the matcher served and its model, else computed once per
    matcher."""
    return _top_matches(str(db_path()), built_version(), embedder().model_id, k)
