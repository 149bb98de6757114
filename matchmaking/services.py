"""The one place that joins storage with intake and matching: what the CLI and the app call.

- uploads: ``compare`` a prepared file with what is stored, ``commit`` it, ``ingest_bytes`` /
  ``ingest_file`` (prepare + commit), the demo;
- matching: ``build_matcher`` from the stored public profiles (embedding what is missing, stored for next
  time);
- reading: ``stats`` (counts by city, chain, type), ``search`` (parties by name or key).

Only public profile fields reach a matcher (no contacts, no revenue), so nothing private can reach a
match. No SQL here (that is ``store``), no Streamlit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .profiles import FileRefused, IngestReport, Prepared, prepare, refused_report
from .reference import chain_of_code, demo_dir
from .store import Store, UploadCounts, UploadRecord

if TYPE_CHECKING:  # pandas, torch and the matcher are imported where used: `hst ingest` starts fast
    import pandas as pd

    from .embedding import Embedder
    from .matching import MatchConfig, Matcher, MatchIndex
    from .matching.memo import TextMemo

__all__ = ["commit", "compare", "ingest_bytes", "ingest_file", "load_demo", "build_matcher", "Built", "stats", "search"]


# ----------------------------------------------------------------------------------------------- uploads
def _record(prepared: Prepared, strict: bool, by: str | None) -> UploadRecord:
    return UploadRecord(prepared.kind, prepared.file_name, prepared.file_hash, prepared.file_bytes,
                        prepared.format, prepared.encoding, prepared.header_lang, strict, prepared.rows_total,
                        prepared.unknown_columns, tuple(n.message for n in prepared.notices),
                        tuple(n.message_zh for n in prepared.notices), by)


def commit(store: Store, prepared: Prepared, strict: bool = False, by: str | None = None) -> IngestReport:
    """Store a prepared file in one transaction (valid rows, rejected rows, the upload record, ``by`` the
    account that sent it); with ``strict``, a file with any rejected row stores nothing but its record."""
    write = not (strict and prepared.rejected_count)
    problems = [(p.row, p.column, p.value, p.reason, p.reason_zh) for p in prepared.problems]
    counts = store.record_upload(_record(prepared, strict, by), prepared.rows, prepared.rejected_raw, problems,
                                 write_rows=write)
    return IngestReport(
        file=prepared.file_name, kind=prepared.kind, format=prepared.format, encoding=prepared.encoding,
        header_lang=prepared.header_lang, strict=strict, rows_total=prepared.rows_total, new=counts.new,
        updated=counts.updated, unchanged=counts.unchanged, rejected=prepared.rejected_count,
        status=counts.status if write else "refused", upload_id=counts.upload_id,
        problems=tuple(prepared.problems), unknown_columns=prepared.unknown_columns,
        notices=tuple(prepared.notices), new_keys=counts.new_keys, updated_keys=counts.updated_keys)


def compare(store: Store, prepared: Prepared) -> UploadCounts:
    """What committing ``prepared`` would do to the stored profiles, before it is stored: how many of its
    valid rows are new, would update a profile, or are already stored unchanged (nothing is written)."""
    return store.compare_rows(prepared.kind, prepared.rows)


def ingest_bytes(store: Store, data: bytes, file_name: str, kind: str | None = None,
                 strict: bool = False) -> IngestReport:
    """Validate and store one file's bytes. A file that cannot be read gives a 'refused' report (and is
    recorded as a refused upload, with its reason)."""
    try:
        prepared = prepare(data, file_name, kind)
    except FileRefused as exc:
        record = UploadRecord(kind or "", file_name, hashlib.sha256(data).hexdigest(), len(data), "", "", "",
                              strict, 0)
        counts = store.record_upload(record, None, [], [(0, None, None, str(exc), exc.message_zh)],
                                     write_rows=False)
        return refused_report(file_name, exc, kind, strict, counts.upload_id)
    return commit(store, prepared, strict)


def ingest_file(store: Store, path: str | Path, kind: str | None = None, strict: bool = False) -> IngestReport:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return refused_report(path.name, FileRefused(f"cannot read {path}: {reason}",
                                                     f"无法读取 {path}：{reason}"), kind, strict)
    return ingest_bytes(store, data, str(path.name), kind, strict)


def load_demo(store: Store) -> list[IngestReport]:
    """Ingest every profile file of ``data/demo`` (organisations first, so sponsors exist)."""
    files = sorted(p for p in demo_dir().iterdir() if p.suffix.lower() in (".csv", ".xlsx", ".json")
                   and p.name.startswith(("organisations", "projects")))  # not the evaluation's truth files
    files.sort(key=lambda p: (not p.name.startswith("organisations"), p.name))
    return [ingest_file(store, f) for f in files]


# ----------------------------------------------------------------------------------------------- reading
def stats(store: Store) -> dict[str, pd.DataFrame]:
    """Tables of counts: organisations by city × org type, by chain × city; projects by city × stage, chain."""
    import pandas as pd

    out: dict[str, pd.DataFrame] = {}
    orgs = store.profiles("organisations", include_private=False)
    projects = store.profiles("projects", include_private=False)
    for kind, frame, typ in (("organisations", orgs, "org_type"), ("projects", projects, "stage")):
        if frame.empty:
            out[f"{kind}_by_city_type"] = pd.DataFrame()
            out[f"{kind}_by_chain_city"] = pd.DataFrame()
            continue
        f = frame.assign(chain=frame["industry_code"].map(chain_of_code).replace("", "—"),
                         **{typ: frame[typ].fillna("—")})
        out[f"{kind}_by_city_type"] = pd.crosstab(f[typ], f["city"], margins=True, margins_name="total")
        out[f"{kind}_by_chain_city"] = pd.crosstab(f["chain"], f["city"], margins=True, margins_name="total")
    return out


def search(store: Store, text: str, limit: int = 30) -> pd.DataFrame:
    """Organisations, then projects, whose name (title) or key contains ``text`` (case-insensitive), at
    most ``limit``: columns id, name, city, kind."""
    import pandas as pd

    frames = []
    for kind, label in (("organisations", "organisation"), ("projects", "project")):
        room = limit - sum(len(f) for f in frames)
        if room > 0:
            frames.append(store.search(kind, text.strip(), room).assign(kind=label))
    return pd.concat(frames, ignore_index=True)[["id", "name", "city", "kind"]]


# ----------------------------------------------------------------------------------------------- matching


@dataclass
class Built:
    matcher: Matcher
    index: MatchIndex
    embedder: Embedder
    encoded: int  # texts encoded now (the rest came from the store)
    texts: int = 0  # distinct texts the index read: statements, their clauses and objects, per role


def build_matcher(store: Store, embedder: Embedder | None = None, config: MatchConfig | None = None,
                  progress: bool | None = None, *, keep: bool = True, reuse: bool = True,
                  previous: MatchIndex | TextMemo | None = None) -> Built:
    """Load the current public profiles, embed what is missing (stored for next time), build the index.

    With ``keep`` the index is also kept as a file beside the database (``matching.persist``: keyed by the
    public profiles, the model and the code), and with ``reuse`` a kept index of exactly these is read
    instead of built: the app's first visitor after ``hst embed`` (``make run``) does not wait for it.
    A build reads again only the texts that are new or changed since ``previous`` (the index of the data
    before an upload, or its memo; by default, with ``reuse``, the memo kept beside the newest index file):
    the same index as from scratch."""
    from .embedding import EmbeddingCache, load_embedder
    from .matching import Matcher, MatchIndex
    from .matching.persist import IndexFiles

    embedder = embedder or load_embedder()
    orgs = store.profiles("organisations", include_private=False)
    projects = store.profiles("projects", include_private=False)
    files = IndexFiles.beside(store.path) if keep else None
    key = files.key(orgs, projects, embedder.model_id) if files is not None else ""
    index = files.load(key) if files is not None and reuse else None
    if index is not None:
        return Built(Matcher(index, config), index, embedder, 0, 0)
    if previous is None and files is not None and reuse:
        previous = files.newest_memo()
    cache = EmbeddingCache(store, embedder, progress=progress)
    index = MatchIndex(orgs, projects, cache.vectors, model_id=embedder.model_id, previous=previous)
    if files is not None:
        files.save(key, index)  # built from exactly the frames the key was made of
    return Built(Matcher(index, config), index, embedder, cache.encoded, len(cache.asked))
