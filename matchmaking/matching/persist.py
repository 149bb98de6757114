"""The match index kept as a file beside the database, so that a process does not rebuild it for data it
has seen (issue 12, item 3); and its per-text work (``memo.TextMemo``) beside it, so that after an upload
the next build reads again only the new or changed texts (``newest_memo``).

A file is named by a key over everything the index is a function of: the public profiles themselves (a
hash of their rows, not only the upload counter — a change of what is public changes them too), the
model id of the vectors, and this code (the sources of ``matching`` and ``embedding`` and the reference
tables). A stale file is never read: a different key is a different file (the memo is read whatever its
key, but only for texts, and only by the same code). Only the newest files are kept.

This module never talks to the database: the caller hands it the profile frames. Files are pickles,
as trusted as the database file beside them (whoever can write one can write the other).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from ..reference import reference_dir

__all__ = ["IndexFiles", "code_fingerprint", "paused_collector"]

_SUFFIX = ".index.pkl"
_MEMO = ".memo.pkl"


@contextlib.contextmanager
def paused_collector() -> Any:
    """Python's cyclic garbage collector off while an index is built or read (a context manager and a
    decorator). Both create millions of objects that live on (texts, concept hits, vocabularies), and every
    full collection in between traversed all made so far: at 30,000 profiles reading a kept index took
    2.1 s with it and 0.5 s without, building one 26 s and 22 s. Only re-enabled if it was on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@functools.cache
def code_fingerprint() -> str:
    """A hash of the code and reference data an index is built from."""
    here = Path(__file__).resolve().parent
    files = sorted([*here.rglob("*.py"), *(here.parent / "embedding").rglob("*.py"),
                    *Path(reference_dir()).rglob("*.csv")])
    h = hashlib.blake2b(digest_size=16)
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def _frame_hash(frame: pd.DataFrame) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    h.update("\x1f".join(map(str, frame.columns)).encode())
    if len(frame):
        # lists (partner types) are not hashable by pandas: their text is
        safe = frame.apply(lambda col: col.map(repr) if col.dtype == object else col)
        h.update(pd.util.hash_pandas_object(safe, index=False).to_numpy().tobytes())
    return h.digest()


class IndexFiles:
    """Index files in ``directory`` (``IndexFiles.beside(db_path)``: ``<db>.index/``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @classmethod
    def beside(cls, db_path: Path) -> IndexFiles:
        db_path = Path(db_path)
        return cls(db_path.with_name(db_path.name + ".index"))

    @staticmethod
    def key(organisations: pd.DataFrame, projects: pd.DataFrame, model_id: str) -> str:
        """The key of the index of these public profiles with vectors of ``model_id``."""
        h = hashlib.blake2b(digest_size=16)
        for part in (_frame_hash(organisations), _frame_hash(projects), model_id.encode(), code_fingerprint().encode()):
            h.update(part)
            h.update(b"\x1e")
        return h.hexdigest()

    def path(self, key: str) -> Path:
        return self.directory / f"{key}{_SUFFIX}"

    def load(self, key: str) -> Any | None:
        """The index stored under ``key``, or None (none stored, or unreadable: then it is rebuilt)."""
        return self._read(self.path(key))

    def newest_memo(self) -> Any | None:
        """The per-text work of the newest index kept, whatever its key (None when there is none or it
        cannot be read): what a build after an upload starts from (``MatchIndex(previous=...)``). A memo
        of other code is not used (``TextMemo`` checks), and only texts are looked up in it."""
        try:
            kept = max(self.directory.glob(f"*{_MEMO}"), key=lambda p: p.stat().st_mtime_ns, default=None)
        except OSError:
            return None
        return self._read(kept) if kept is not None else None

    @staticmethod
    def _read(p: Path) -> Any | None:
        try:
            with p.open("rb") as f, paused_collector():
                return pickle.load(f)
        except FileNotFoundError:
            return None
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None  # a torn or foreign file: rebuilt and replaced

    def save(self, key: str, index: Any) -> Path | None:
        """Store ``index`` under ``key``, and its memo beside it (each written whole, then renamed: a reader
        never sees half a file), and remove older files. None when the directory cannot be written (the
        index is then just rebuilt)."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            target = self.path(key)
            self._write(target, index)
            memo = getattr(index, "memo", None)
            if memo is not None:  # small beside the index: read after an upload without the whole index
                self._write(self.directory / f"{key}{_MEMO}", memo)
            for old in [*self.directory.glob(f"*{_SUFFIX}"), *self.directory.glob(f"*{_MEMO}")]:
                if not old.name.startswith(key):
                    old.unlink(missing_ok=True)
            return target
        except OSError:
            return None

    def _write(self, target: Path, obj: Any) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(obj, f, protocol=5)
        os.replace(tmp, target)
