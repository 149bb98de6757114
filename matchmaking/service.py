"""Building a matcher from the store: the one place the CLI and the app get their matcher from.

Only public profile fields are read (no contacts, no revenue), so nothing private can reach a match.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pandas as pd

from .embedding import Embedder, EmbeddingCache, load_embedder
from .explain import reasons, reasons_for_candidate
from .matcher import Match, MatchConfig, Matcher, MatchIndex
from .store import Store

__all__ = ["build_matcher", "Built", "match_rows", "match_records", "query_rows", "match_all_blocks", "match_all",
           "MATCH_COLUMNS"]


@dataclass
class Built:
    matcher: Matcher
    index: MatchIndex
    embedder: Embedder
    encoded: int  # texts encoded now (the rest came from the store)


def build_matcher(store: Store, embedder: Embedder | None = None, config: MatchConfig | None = None,
                  progress: bool | None = None) -> Built:
    """Load the current public profiles, embed what is missing (stored for next time), build the index."""
    embedder = embedder or load_embedder()
    orgs = store.profiles("organisations", include_private=False)
    projects = store.profiles("projects", include_private=False)
    cache = EmbeddingCache(store, embedder, progress=progress)
    index = MatchIndex(orgs, projects, cache.vectors, model_id=embedder.model_id)
    return Built(Matcher(index, config), index, embedder, cache.encoded)


def query_rows(index: MatchIndex) -> list[int]:
    """Who ``match --all`` lists: every organisation that seeks something and every project."""
    has_needs = set(index.needs.party.tolist())
    kinds = index.parties["kind"].to_numpy()
    return [i for i in range(index.n) if kinds[i] == "project" or i in has_needs]


def match_records(index: MatchIndex, matches: Sequence[Match], with_reasons: bool = True) -> list[dict]:
    """Matches as the rows of the CLI contract (query_id, query_kind, rank, candidate_id, …, reasons)."""
    return [{
        "query_id": m.query_id, "query_kind": m.query_kind, "rank": m.rank, "candidate_id": m.candidate_id,
        "candidate_kind": m.candidate_kind, "score": round(m.score, 6), "relation": m.relation,
        **({"reasons": " | ".join(reasons(m, index)[1:]),
            "candidate_reasons": " | ".join(reasons_for_candidate(m, index)[1:])} if with_reasons else {}),
    } for m in matches]


def match_rows(index: MatchIndex, matches: Sequence[Match]) -> pd.DataFrame:
    return pd.DataFrame(match_records(index, matches), columns=MATCH_COLUMNS)


MATCH_COLUMNS = ["query_id", "query_kind", "rank", "candidate_id", "candidate_kind", "score", "relation", "reasons",
                 "candidate_reasons"]


def match_all_blocks(matcher: Matcher, rows: Sequence[int], top_k: int, block: int = 64,
                     with_reasons: bool = True) -> Iterator[pd.DataFrame]:
    """``match --all`` as a sequence of blocks: each block of query rows → its top-k rows. A block is
    independent of every other, so blocks can be mapped over workers unchanged."""
    index = matcher.index
    for i in range(0, len(rows), block):
        part = list(rows[i:i + block])
        records = [r for ms in matcher.match_block(part, top_k) for r in match_records(index, ms, with_reasons)]
        if records:
            yield pd.DataFrame(records)


_SHARED: tuple | None = None  # (matcher, top_k, with_reasons) for forked workers: inherited, never pickled


def _worker_init() -> None:
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)  # one process per core: no thread oversubscription (torch's or BLAS's)
    threadpool_limits(1)


def _worker_block(part: list[int]) -> pd.DataFrame:
    assert _SHARED is not None
    matcher, top_k, with_reasons = _SHARED
    frames = list(match_all_blocks(matcher, part, top_k, block=len(part) or 1, with_reasons=with_reasons))
    return frames[0] if frames else pd.DataFrame()


def match_all(matcher: Matcher, rows: Sequence[int], top_k: int, workers: int | None = None, block: int = 64,
              with_reasons: bool = True) -> pd.DataFrame:
    """Every query's top-k as one table. With ``workers`` > 1 the blocks are spread over forked worker
    processes that share the index (copy-on-write) — the same pure block function a cluster would map."""
    import os

    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    blocks = [list(rows[i:i + block]) for i in range(0, len(rows), block)]
    if workers <= 1 or len(blocks) < 2 * workers:
        frames = list(match_all_blocks(matcher, rows, top_k, block=block, with_reasons=with_reasons))
    else:
        import multiprocessing

        global _SHARED
        _SHARED = (matcher, top_k, with_reasons)
        try:
            with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_init) as pool:
                frames = pool.map(_worker_block, blocks, chunksize=1)
        finally:
            _SHARED = None
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=MATCH_COLUMNS)
