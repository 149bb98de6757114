"""Everyone's top matches as one table, and what it says about the cluster: who needs (the query's city)
→ who answers (the candidate's city), and the undirected graph of strong matches.

Pure functions of a matcher/index and a match table: no Streamlit, no SQL, no I/O. Results do not depend
on the order of the input rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..reference import CITIES, chains_of

__all__ = ["TOP_MATCH_COLUMNS", "top_matches", "from_stored", "city_flows", "strong_edges", "party_filter"]

#: One row per match of ``top_matches`` (the query's and candidate's cities beside it).
TOP_MATCH_COLUMNS = ["query_id", "candidate_id", "rank", "score", "relation", "query_city", "candidate_city",
                     "cross_city"]


def top_matches(matcher: Any, k: int = 5, rows: Sequence[int] | None = None, block: int = 64) -> pd.DataFrame:
    """The top ``k`` matches of every query (every organisation that seeks something and every project,
    as ``hst match --all``), one row per match: ``TOP_MATCH_COLUMNS``. Blocks of queries go through
    ``Matcher.match_block`` (retrieval for a whole block at once); no reasons are written, which is
    what makes this a one-pass job (about a second on the demo data)."""
    if not isinstance(k, int) or not 1 <= k <= 100:
        raise ValueError(f"The 'k' parameter of top_matches must be an int in [1, 100]. Got {k!r} instead.")
    ix = matcher.index
    rows = list(ix.query_rows() if rows is None else rows)
    rec: dict[str, list] = {c: [] for c in TOP_MATCH_COLUMNS}
    for i in range(0, len(rows), block):
        for ms in matcher.match_block(rows[i:i + block], k):
            for m in ms:
                qc, cc = ix.city_name[ix.id_to_row[m.query_id]], ix.city_name[ix.id_to_row[m.candidate_id]]
                for c, v in zip(TOP_MATCH_COLUMNS, (m.query_id, m.candidate_id, m.rank, m.score, m.relation, qc, cc,
                                                qc != cc), strict=True):
                    rec[c].append(v)
    return pd.DataFrame(rec, columns=TOP_MATCH_COLUMNS).astype({"rank": "int64", "score": "float64",
                                                             "cross_city": "bool"})


def from_stored(stored: pd.DataFrame, index: Any, k: int = 5) -> pd.DataFrame:
    """Results stored by ``hst match --all --store`` (``Store.match_results``) as ``top_matches`` gives them:
    the way pages summarise everyone's matches on data too large to match on every visit."""
    m = stored[(stored["rank"] <= k) & stored.query_id.isin(index.id_to_row) & stored.candidate_id.isin(index.id_to_row)]
    qc = m.query_id.map(lambda q: index.city_name[index.id_to_row[q]])
    cc = m.candidate_id.map(lambda c: index.city_name[index.id_to_row[c]])
    out = pd.DataFrame({"query_id": m.query_id, "candidate_id": m.candidate_id, "rank": m["rank"], "score": m.score,
                        "relation": m.relation, "query_city": qc, "candidate_city": cc, "cross_city": qc != cc})
    return out[TOP_MATCH_COLUMNS].reset_index(drop=True).astype({"rank": "int64", "score": "float64", "cross_city": "bool"})


def city_flows(matches: pd.DataFrame, min_score: float = 0.0, cross_city_only: bool = False) -> pd.DataFrame:
    """Matches counted by (query's city → candidate's city): the side with the need on the left, the side
    that answers it on the right. Columns: source, target, matches, mean_score; cities in CITIES order."""
    m = matches[matches.score >= min_score]
    if cross_city_only:
        m = m[m.cross_city]
    if m.empty:
        return pd.DataFrame(columns=["source", "target", "matches", "mean_score"])
    g = (m.groupby(["query_city", "candidate_city"], observed=True).score.agg(["size", "mean"]).reset_index()
         .rename(columns={"query_city": "source", "candidate_city": "target", "size": "matches",
                          "mean": "mean_score"}))
    order = {c: i for i, c in enumerate(CITIES)}
    g["_o"] = [(order.get(s, 9), order.get(t, 9), s, t) for s, t in zip(g.source, g.target, strict=True)]
    return g.sort_values("_o").drop(columns="_o").reset_index(drop=True)


def strong_edges(matches: pd.DataFrame, min_score: float, cross_city_only: bool = False) -> pd.DataFrame:
    """The undirected strong-match graph: one row per pair of parties (``a`` < ``b`` by id) that matched
    with ``score >= min_score`` in either direction; ``score``/``relation``/``query_id`` from the
    stronger direction, ``mutual`` when both directions are in the table."""
    m = matches[matches.score >= min_score]
    if cross_city_only:
        m = m[m.cross_city]
    cols = ["a", "b", "score", "relation", "query_id", "mutual", "cross_city"]
    if m.empty:
        return pd.DataFrame(columns=cols)
    q, c = m.query_id.to_numpy(dtype=object), m.candidate_id.to_numpy(dtype=object)
    a = np.where(q < c, q, c)
    b = np.where(q < c, c, q)
    e = pd.DataFrame({"a": a, "b": b, "score": m.score.to_numpy(), "relation": m.relation.to_numpy(),
                      "query_id": q, "cross_city": m.cross_city.to_numpy()})
    # the stronger direction first; equal scores: the lower query id (so input order never matters)
    e = e.sort_values(["a", "b", "score", "query_id"], ascending=[True, True, False, True], kind="mergesort")
    n = e.groupby(["a", "b"], sort=False).query_id.transform("nunique")
    e = e.assign(mutual=n > 1).drop_duplicates(["a", "b"], keep="first")
    return e[cols].reset_index(drop=True)


def party_filter(index: Any, chains_filter: Sequence[str], cities_filter: Sequence[str]) -> set[str] | None:
    if not chains_filter and not cities_filter:
        return None
    want_c, want_city = set(chains_filter), set(cities_filter)
    return {index.pid[i] for i in range(len(index.pid))
            if (not want_c or set(chains_of(index.own_segments[i])) & want_c)
            and (not want_city or index.city_name[i] in want_city)}
