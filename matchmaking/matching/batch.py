"""Everyone's matches as rows (``hst match --all``): blocks of queries through ``Matcher.match_block``,
optionally over forked worker processes that share the index copy-on-write — the same pure block
function a cluster would map. No database here: storing results is the caller's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pandas as pd

from .explain import reasons, reasons_for_candidate
from .index import MatchIndex
from .rank import Matcher
from .result import Match

__all__ = ["MATCH_ROW_COLUMNS", "match_records", "match_rows", "match_all_blocks", "match_all"]

#: The columns of ``hst match --all`` output (the CLI contract, ``docs/cli.md``).
MATCH_ROW_COLUMNS = ["query_id", "query_kind", "rank", "candidate_id", "candidate_kind", "score", "relation",
                     "reasons", "candidate_reasons"]


def match_records(index: MatchIndex, matches: Sequence[Match], with_reasons: bool = True) -> list[dict]:
    """Matches as the rows of the CLI contract (query_id, query_kind, rank, candidate_id, …, reasons)."""
    return [{
        "query_id": m.query_id, "query_kind": m.query_kind, "rank": m.rank, "candidate_id": m.candidate_id,
        "candidate_kind": m.candidate_kind, "score": round(m.score, 6), "relation": m.relation,
        **({"reasons": " | ".join(reasons(m, index)[1:]),
            "candidate_reasons": " | ".join(reasons_for_candidate(m, index)[1:])} if with_reasons else {}),
    } for m in matches]


def match_rows(index: MatchIndex, matches: Sequence[Match]) -> pd.DataFrame:
    return pd.DataFrame(match_records(index, matches), columns=MATCH_ROW_COLUMNS)


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
    import gc
    import os

    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    blocks = [list(rows[i:i + block]) for i in range(0, len(rows), block)]
    # the index's hundreds of thousands of objects (texts, concept hits) out of the collector's reach while
    # matching: its full collections traversed them all again and again (at 30k, 7 % of the time), and in
    # forked workers they also wrote to the shared pages (Python's advice for fork: freeze before it)
    gc.freeze()
    try:
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
    finally:
        gc.unfreeze()
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=MATCH_ROW_COLUMNS)
