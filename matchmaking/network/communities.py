"""Alliances: communities of the strong-match graph proposed as alliance rosters (产业联盟名单), each with
its chain(s), the chain segments its members cover, the segments it still lacks (补链) and a cohesion
score; ``gap_candidates``: who in the database could fill each missing segment.

``index`` arguments need only ``pid``, ``name``, ``city_name``, ``kind``, ``own_segments`` and
``id_to_row`` (a ``MatchIndex`` has them), so small synthetic stand-ins can be used in tests. Pure
functions: no Streamlit, no SQL, no I/O; deterministic whatever the order of the input rows.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..reference import CITIES, chain_order, chains, chains_of
from .flows import party_filter, strong_edges

__all__ = ["Alliance", "alliances", "gap_candidates", "roster", "strong_parties", "largest_chain",
           "ALLIANCE_NODE_LIMIT"]


def _short(name: str) -> str:
    return name.split("(")[0].split("（")[0].strip()


@dataclass(frozen=True)
class Alliance:
    """A proposed alliance roster (联盟名单).

    ``members`` are party ids, most connected first; ``segments``/``gaps`` are the segments of its
    ``chains`` that members cover / that no member covers, upstream → downstream. ``cohesion`` is the
    share of the members' strong-match weight that stays inside the alliance (1 = no strong match leaves
    it); ``mean_score`` the mean score of its internal strong matches."""

    alliance_id: str
    name_zh: str
    name_en: str
    chains: tuple[str, ...]
    members: tuple[str, ...]
    cities: tuple[str, ...]
    segments: tuple[str, ...]
    gaps: tuple[str, ...]
    relations: tuple[tuple[str, int], ...]
    edges: int
    cohesion: float
    mean_score: float

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en


def _check(name: str, value: Any, ok: bool, allowed: str) -> None:
    if not ok:
        raise ValueError(f"The '{name}' parameter of alliances must be {allowed}. Got {value!r} instead.")


def _greedy_modularity(A: Any, max_size: int, resolution: float) -> list[list[int]]:
    """Clauset–Newman–Moore agglomeration on a sparse weighted graph (``A``: symmetric scipy matrix):
    merge the pair of connected communities with the largest modularity gain until no merge gains,
    never beyond ``max_size`` members. A heap holds the candidate merges; an entry is stale once either
    community has changed (version counters), so each merge costs the degree of the merged community,
    not the square of the graph: 100,000 parties fit in memory. Ties go to the lowest indices."""
    import heapq

    A = A.tocsr()
    n = A.shape[0]
    total = float(A.sum())
    if n == 0 or total <= 0:
        return [[i] for i in range(n)]
    e: list[dict[int, float]] = [{} for _ in range(n)]  # e[i][j]: share of edge ends between i and j
    for i in range(n):
        for j, v in zip(A.indices[A.indptr[i]:A.indptr[i + 1]], A.data[A.indptr[i]:A.indptr[i + 1]], strict=True):
            if j != i:
                e[i][int(j)] = e[i].get(int(j), 0.0) + float(v) / total
    a = [sum(d.values()) for d in e]
    size = [1] * n
    version = [0] * n
    alive = [True] * n
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}

    def gain(i: int, j: int) -> float:
        return 2 * (e[i][j] - resolution * a[i] * a[j])

    heap = [(-round(gain(i, j), 12), i, j, 0, 0) for i in range(n) for j in e[i] if i < j]
    heapq.heapify(heap)
    while heap:
        neg, i, j, vi, vj = heapq.heappop(heap)
        if not (alive[i] and alive[j]) or version[i] != vi or version[j] != vj:
            continue  # stale: a fresher entry for this pair was pushed when it changed
        if -neg <= 1e-12:
            break  # the best remaining merge gains nothing
        if size[i] + size[j] > max_size:
            continue  # sizes only grow: this pair can never merge
        for k, v in e[j].items():  # j joins i
            if k == i:
                continue
            e[i][k] = e[i].get(k, 0.0) + v
            e[k][i] = e[k].get(i, 0.0) + v
            del e[k][j]
        e[i].pop(j, None)
        e[j] = {}
        a[i] += a[j]
        size[i] += size[j]
        alive[j] = False
        version[i] += 1
        groups[i] += groups.pop(j)
        for k in e[i]:
            lo, hi = (i, k) if i < k else (k, i)
            heapq.heappush(heap, (-round(gain(lo, hi), 12), lo, hi, version[lo], version[hi]))
    return [sorted(g) for g in groups.values()]


# Above this many parties in the strong-match graph the grouping takes minutes (it grows faster than
# linearly); a roster of thousands of alliances is of no use to anyone anyway: narrow it first.
ALLIANCE_NODE_LIMIT = 15_000


def strong_parties(matches: pd.DataFrame, min_score: float, cross_city: bool = True) -> int:
    """How many parties the strong-match graph has (what ``alliances`` would have to group)."""
    edges = strong_edges(matches, min_score, cross_city_only=cross_city)
    return len(set(edges.a) | set(edges.b)) if not edges.empty else 0


def largest_chain(index: Any) -> str | None:
    """The chain with the most parties (the default narrowing on large data)."""
    counts = Counter(c for segs in index.own_segments for c in chains_of(segs))
    return min(counts, key=lambda c: (-counts[c], c)) if counts else None


def alliances(matches: pd.DataFrame, index: Any, min_score: float = 0.75, *, cross_city: bool = True,
              min_size: int = 3, max_size: int = 12, resolution: float = 1.0, chains_filter: Sequence[str] = (),
              cities_filter: Sequence[str] = ()) -> list[Alliance]:
    """Alliances proposed from the strong matches (``score >= min_score``).

    The graph is the strong matches between parties (with ``cross_city``, only matches across cities,
    so every alliance spans at least two cities); ``chains_filter``/``cities_filter`` keep only parties
    in those chains/cities. Communities are found per connected component by greedy modularity
    (at most ``max_size`` members); those with fewer than ``min_size`` members are dropped. A party is in
    at most one alliance. Alliances come strongest first (total internal score), ids ``A01``, ``A02``…"""
    _check("min_score", min_score, isinstance(min_score, int | float) and math.isfinite(min_score), "a number")
    _check("min_size", min_size, isinstance(min_size, int) and min_size >= 2, "an int >= 2")
    _check("max_size", max_size, isinstance(max_size, int) and max_size >= min_size, f"an int >= min_size ({min_size})")
    _check("resolution", resolution, isinstance(resolution, int | float) and resolution > 0, "a positive number")
    edges = strong_edges(matches, min_score, cross_city_only=cross_city)
    keep = party_filter(index, chains_filter, cities_filter)
    if keep is not None and not edges.empty:
        edges = edges[edges.a.isin(keep) & edges.b.isin(keep)]
    if edges.empty:
        return []
    nodes = sorted(set(edges.a) | set(edges.b))
    if len(nodes) > ALLIANCE_NODE_LIMIT:
        raise ValueError(f"{len(nodes):,} parties have strong matches at min_score={min_score}: at most "
                         f"{ALLIANCE_NODE_LIMIT:,} can be grouped at once; filter by chain or city, or raise min_score")
    pos = {p: i for i, p in enumerate(nodes)}
    ia, ib, w = edges.a.map(pos).to_numpy(), edges.b.map(pos).to_numpy(), edges.score.to_numpy(dtype=float)
    n = len(nodes)
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    A = coo_matrix((w, (ia, ib)), shape=(n, n)).tocsr()
    A = (A + A.T).tocsr()
    _, comp = connected_components(A, directed=False)
    found: list[list[int]] = []
    for c in np.unique(comp):
        members = np.flatnonzero(comp == c)
        if len(members) < min_size:
            continue
        for g in _greedy_modularity(A[members][:, members], max_size, resolution):
            if len(g) >= min_size:
                found.append([int(members[i]) for i in g])
    strength = np.asarray(A.sum(axis=1)).ravel()
    out = []
    for g in found:
        sub = A[g][:, g].toarray()
        internal = sub.sum() / 2
        out.append((internal, g, sub))
    out.sort(key=lambda x: (-round(x[0], 9), nodes[min(x[1])]))
    result = []
    for no, (internal, g, sub) in enumerate(out, start=1):
        inside = sub.sum(axis=1)
        order = sorted(range(len(g)), key=lambda i: (-round(inside[i], 9), nodes[g[i]]))
        ids = tuple(nodes[g[i]] for i in order)
        gset = set(ids)
        ie = edges[edges.a.isin(gset) & edges.b.isin(gset)]
        cohesion = float(internal / max(strength[g].sum() - internal, 1e-12)) if len(g) else 0.0
        result.append(_describe(f"A{no:02d}", ids, index, ie, min(cohesion, 1.0)))
    return result


def _describe(aid: str, ids: tuple[str, ...], index: Any, internal_edges: pd.DataFrame, cohesion: float) -> Alliance:
    rows = [index.id_to_row[p] for p in ids]
    segs_of = [tuple(index.own_segments[r]) for r in rows]
    per_chain = Counter(c for ss in segs_of for c in chains_of(ss))
    weight = Counter(s.split("-")[0] for ss in segs_of for s in ss)
    ranked = sorted(per_chain, key=lambda c: (-per_chain[c], -weight[c], c))
    need = max(2, math.ceil(len(ids) / 2))
    picked = tuple(c for c in ranked if per_chain[c] >= need)[:2] or tuple(ranked[:1])
    seg_count = Counter(s for ss in segs_of for s in ss)
    covered, gaps = [], []
    for c in picked:
        for s in chain_order(c):
            (covered if seg_count[s] else gaps).append(s)
    cities = tuple(c for c in (*CITIES, *sorted({index.city_name[r] for r in rows} - set(CITIES)))
                   if any(index.city_name[r] == c for r in rows))
    segs = chains().segments
    if picked:
        main = [s for s in chain_order(picked[0]) if seg_count[s]]
        top = sorted(sorted(main, key=lambda s: -seg_count[s])[:2], key=main.index)
        zh = "–".join(_short(segs[s].name_zh) for s in top)
        en = "–".join(_short(segs[s].name_en) for s in top)
        chain_zh = "+".join(chains().chain_name(c, "zh") for c in picked)
        chain_en = " + ".join(chains().chain_name(c, "en") for c in picked)
        name_zh, name_en = f"{chain_zh} · {zh} 联盟", f"{chain_en} · {en} alliance"
    else:
        name_zh = name_en = f"{aid}"
    rel = Counter(internal_edges.relation)
    return Alliance(aid, name_zh, name_en, picked, ids, cities, tuple(covered), tuple(gaps),
                    tuple(sorted(rel.items(), key=lambda x: (-x[1], x[0]))), len(internal_edges),
                    round(cohesion, 4), round(float(internal_edges.score.mean()) if len(internal_edges) else 0.0, 4))


# --------------------------------------------------------------------------------------------- gaps
def gap_candidates(alliance: Alliance, index: Any, matches: pd.DataFrame, *, per_gap: int = 3,
                   matcher: Any = None, depth: int = 50, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """For each missing segment of ``alliance`` (upstream → downstream), the ``per_gap`` best parties in
    the database that could fill it (补链候选).

    A party can fill a segment when the segment is among its own; it is its *core* business when its
    industry code (GB/T 4754) maps to the segment, otherwise it is only *named* in its texts. Investors
    are left out (they fund a segment, they do not fill it). Ranking: core before named, then how strongly
    the party matches the existing members (the sum of its best match score with each member, either
    direction), then how many members it matches, then specialists first (fewest segments), then id.
    Scores come from ``matches`` and, with ``matcher``, also from a deeper search (each member's top
    ``depth``), so a party just below everyone's top-k still counts. Parties that match nobody yet are
    listed too (strength 0): they still cover the segment.

    ``index`` may carry a ``parties`` frame with ``industry_code`` and ``org_type`` (a ``MatchIndex``
    does); without it every segment of a party counts as core.

    Columns: segment, rank, candidate_id, name, city, fit ('core'/'named'), strength, linked_members,
    best_member, relation."""
    cols = ["segment", "rank", "candidate_id", "name", "city", "fit", "strength", "linked_members", "best_member",
            "relation"]
    members = set(alliance.members)
    skip = members | set(exclude)
    m = matches[matches.query_id.isin(members) ^ matches.candidate_id.isin(members)]
    links = pd.DataFrame({"other": np.where(m.query_id.isin(members), m.candidate_id, m.query_id),
                          "member": np.where(m.query_id.isin(members), m.query_id, m.candidate_id),
                          "score": m.score.to_numpy(), "relation": m.relation.to_numpy()})
    if matcher is not None and alliance.members:
        deep = matcher.match_block([index.id_to_row[p] for p in alliance.members], depth)
        extra = [(x.candidate_id, x.query_id, x.score, x.relation) for ms in deep for x in ms
                 if x.candidate_id not in members]
        if extra:
            links = pd.concat([links, pd.DataFrame(extra, columns=["other", "member", "score", "relation"])])
    # one score per (candidate, member): the best of the directions and sources
    links = (links.sort_values(["other", "member", "score"], ascending=[True, True, False], kind="mergesort")
             .drop_duplicates(["other", "member"]))
    agg: dict[str, tuple[float, int, str, str]] = {}
    for other, grp in links.groupby("other", sort=True):
        top = grp.sort_values(["score", "member"], ascending=[False, True], kind="mergesort").iloc[0]
        agg[str(other)] = (float(grp.score.sum()), len(grp), str(top.member), str(top.relation))
    core, investor = _core_segments(index)
    out = []
    for seg in alliance.gaps:
        cands = [i for i in range(len(index.pid)) if seg in index.own_segments[i] and index.pid[i] not in skip
                 and not investor[i]]
        cands.sort(key=lambda i: (seg not in core[i], -round(agg.get(index.pid[i], (0.0,))[0], 9),
                                  -agg.get(index.pid[i], (0, 0))[1], len(index.own_segments[i]), index.pid[i]))
        for rank, i in enumerate(cands[:per_gap], start=1):
            s, n, best, rel = agg.get(index.pid[i], (0.0, 0, "", ""))
            out.append((seg, rank, index.pid[i], index.name[i], index.city_name[i],
                        "core" if seg in core[i] else "named", round(s, 4), n, best, rel))
    return pd.DataFrame(out, columns=cols)


def _core_segments(index: Any) -> tuple[list[set[str]], list[bool]]:
    """Per party: the segments its industry code maps to, and whether it is an investor."""
    parties = getattr(index, "parties", None)
    n = len(index.pid)
    if parties is None or "industry_code" not in parties:
        return [set(index.own_segments[i]) for i in range(n)], [False] * n
    by_code: dict[str, set[str]] = {}
    core = []
    for code in parties["industry_code"].fillna("").astype(str):
        if code not in by_code:
            digits = code.lstrip("ABCDEFGHIJKLMNOPQRST")
            by_code[code] = {s.segment_id for s in chains().segments_for_code(digits)} if digits else set()
        core.append(by_code[code])
    kinds = parties["org_type"].fillna("").astype(str).tolist() if "org_type" in parties else [""] * n
    return core, [k == "investor" for k in kinds]


def roster(found: Sequence[Alliance], index: Any, lang: str = "zh") -> pd.DataFrame:
    """All alliances as one table, one row per member (for display and CSV export): alliance id and
    name, cohesion, member id, name, city, kind and the alliance-chain segments it covers."""
    rows = []
    for a in found:
        for p in a.members:
            r = index.id_to_row[p]
            segs = [s for s in index.own_segments[r] if s.split("-")[0] in a.chains]
            rows.append({"alliance_id": a.alliance_id, "alliance": a.name(lang), "cohesion": a.cohesion,
                         "member_id": p, "name": index.name[r], "city": index.city_name[r], "kind": index.kind[r],
                         "segments": ";".join(segs)})
    return pd.DataFrame(rows, columns=["alliance_id", "alliance", "cohesion", "member_id", "name", "city", "kind",
                                       "segments"])
