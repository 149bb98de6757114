"""Match flows and alliances: what the whole set of strong matches says about the 沪苏通 cluster.

- ``top_matches``: the current top matches of every query (one matcher pass), as a flat table;
- ``city_flows``: who needs (query's city) → who answers (candidate's city), for a Sankey;
- ``alliances``: communities of the strong-match graph proposed as alliance rosters (产业联盟名单), each
  with its chain(s), the chain segments its members cover, the segments it still lacks (补链) and a
  cohesion score; ``gap_candidates``: who in the database could fill each missing segment;
- ``network``: nodes and edges of the strong-match graph with positions (a spring layout in numpy), for
  a drawing.

Pure functions of a matcher/index and a match table: no Streamlit, no SQL, no I/O. Results are
deterministic and do not depend on the order of the input rows (parties are ordered by id first).

``index`` arguments need only ``pid``, ``name``, ``city_name``, ``kind``, ``own_segments`` and
``id_to_row`` (a ``MatchIndex`` has them), so small synthetic stand-ins can be used in tests.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from .reference import CITIES, chains

__all__ = ["MATCH_COLUMNS", "Alliance", "top_matches", "city_flows", "strong_edges", "alliances",
           "chain_order", "gap_candidates", "roster", "network", "spring_layout"]

MATCH_COLUMNS = ["query_id", "candidate_id", "rank", "score", "relation", "query_city", "candidate_city",
                 "cross_city"]
_STAGES = {"upstream": 0, "midstream": 1, "downstream": 2, "support": 3}


# ------------------------------------------------------------------------------------------ match table
def top_matches(matcher: Any, k: int = 5, rows: Sequence[int] | None = None, block: int = 64) -> pd.DataFrame:
    """The top ``k`` matches of every query (every organisation that seeks something and every project,
    as ``hst match --all``), one row per match: ``MATCH_COLUMNS``. Blocks of queries go through
    ``Matcher.match_block`` (retrieval for a whole block at once); no reasons are written, which is
    what makes this a one-pass job (about a second on the demo data)."""
    if not isinstance(k, int) or not 1 <= k <= 100:
        raise ValueError(f"The 'k' parameter of top_matches must be an int in [1, 100]. Got {k!r} instead.")
    from .service import query_rows

    ix = matcher.index
    rows = list(query_rows(ix) if rows is None else rows)
    rec: dict[str, list] = {c: [] for c in MATCH_COLUMNS}
    for i in range(0, len(rows), block):
        for ms in matcher.match_block(rows[i:i + block], k):
            for m in ms:
                qc, cc = ix.city_name[ix.id_to_row[m.query_id]], ix.city_name[ix.id_to_row[m.candidate_id]]
                for c, v in zip(MATCH_COLUMNS, (m.query_id, m.candidate_id, m.rank, m.score, m.relation, qc, cc,
                                                qc != cc), strict=True):
                    rec[c].append(v)
    return pd.DataFrame(rec, columns=MATCH_COLUMNS).astype({"rank": "int64", "score": "float64",
                                                             "cross_city": "bool"})


def from_stored(stored: pd.DataFrame, index: Any, k: int = 5) -> pd.DataFrame:
    """Results stored by ``hst match --all --store`` (``Store.match_results``) as ``top_matches`` gives them:
    the way pages summarise everyone's matches on data too large to match on every visit."""
    m = stored[(stored["rank"] <= k) & stored.query_id.isin(index.id_to_row) & stored.candidate_id.isin(index.id_to_row)]
    qc = m.query_id.map(lambda q: index.city_name[index.id_to_row[q]])
    cc = m.candidate_id.map(lambda c: index.city_name[index.id_to_row[c]])
    out = pd.DataFrame({"query_id": m.query_id, "candidate_id": m.candidate_id, "rank": m["rank"], "score": m.score,
                        "relation": m.relation, "query_city": qc, "candidate_city": cc, "cross_city": qc != cc})
    return out[MATCH_COLUMNS].reset_index(drop=True).astype({"rank": "int64", "score": "float64", "cross_city": "bool"})


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


# ------------------------------------------------------------------------------------------- chains
@cache
def chain_order(chain_id: str) -> tuple[str, ...]:
    """The segments of a chain from upstream to downstream: a topological order of ``feeds_into`` within
    the chain (ties by stage, then id), support segments last."""
    segs = {s.segment_id: s for s in chains().segments.values() if s.chain_id == chain_id}
    indeg = {s: 0 for s in segs}
    for s in segs.values():
        for t in s.feeds_into:
            if t in segs:
                indeg[t] += 1
    key = lambda s: (_STAGES.get(segs[s].stage, 9), s)  # noqa: E731
    ready = sorted((s for s, d in indeg.items() if d == 0), key=key)
    out: list[str] = []
    while ready:
        s = ready.pop(0)
        out.append(s)
        for t in segs[s].feeds_into:
            if t in segs:
                indeg[t] -= 1
                if indeg[t] == 0:
                    ready.append(t)
        ready.sort(key=key)
    out += sorted((s for s in segs if s not in out), key=key)  # a cycle, should the table ever get one
    return tuple(sorted(out, key=lambda s: segs[s].stage == "support"))


def _short(name: str) -> str:
    return name.split("(")[0].split("（")[0].strip()


# ------------------------------------------------------------------------------------------ alliances
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


def _party_chains(segments: Iterable[str]) -> set[str]:
    return {s.split("-")[0] for s in segments}


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
    counts = Counter(c for segs in index.own_segments for c in _party_chains(segs))
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
    keep = _party_filter(index, chains_filter, cities_filter)
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


def _party_filter(index: Any, chains_filter: Sequence[str], cities_filter: Sequence[str]) -> set[str] | None:
    if not chains_filter and not cities_filter:
        return None
    want_c, want_city = set(chains_filter), set(cities_filter)
    return {index.pid[i] for i in range(len(index.pid))
            if (not want_c or _party_chains(index.own_segments[i]) & want_c)
            and (not want_city or index.city_name[i] in want_city)}


def _describe(aid: str, ids: tuple[str, ...], index: Any, internal_edges: pd.DataFrame, cohesion: float) -> Alliance:
    rows = [index.id_to_row[p] for p in ids]
    segs_of = [tuple(index.own_segments[r]) for r in rows]
    per_chain = Counter(c for ss in segs_of for c in _party_chains(ss))
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
        label = " + ".join(picked)
        name_zh, name_en = f"{label} · {zh} 联盟", f"{label} · {en} alliance"
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


# ------------------------------------------------------------------------------------------ drawing
def spring_layout(n: int, edges: np.ndarray, weights: np.ndarray | None = None, *, init: np.ndarray | None = None,
                  iterations: int = 120, seed: int = 0) -> np.ndarray:
    """Fruchterman–Reingold positions (n × 2, within [-1, 1]) for ``n`` nodes and ``edges`` (m × 2 int),
    stronger edges pulling harder. Deterministic for a given seed (and ``init``)."""
    if n == 0:
        return np.zeros((0, 2))
    rng = np.random.default_rng(seed)
    pos = np.array(init, dtype=float) if init is not None else rng.uniform(-1, 1, (n, 2))
    pos = pos + rng.normal(0, 1e-3, pos.shape)  # no two nodes on the same spot
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    w = np.ones(len(edges)) if weights is None else np.asarray(weights, dtype=float)
    k = 2.0 / math.sqrt(n)
    t = 0.2
    for _ in range(iterations):
        d = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(d, axis=2), 1e-3)
        disp = ((k * k / dist ** 2)[:, :, None] * d).sum(axis=1)  # repulsion: k²/d along the unit vector
        if len(edges):
            de = pos[edges[:, 0]] - pos[edges[:, 1]]
            le = np.maximum(np.linalg.norm(de, axis=1), 1e-3)
            f = (w * le / k)[:, None] * de  # attraction: d²/k along the unit vector
            np.add.at(disp, edges[:, 0], -f)
            np.add.at(disp, edges[:, 1], f)
        disp -= 0.05 * pos  # a weak pull to the centre keeps separate components on screen
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, t)[:, None]
        t = max(t * 0.97, 0.005)
    pos -= pos.mean(axis=0)
    span = np.abs(pos).max()
    return pos / span if span > 0 else pos


def _packed_layout(nodes: list[str], e: np.ndarray, w: np.ndarray, group: dict[str, str], seed: int) -> np.ndarray:
    """Each connected component laid out on its own (alliance members starting together), scaled by
    the square root of its size, then the components packed in rows, largest first: one readable picture
    instead of small components flung to the edges of a single force layout."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(nodes)
    if n == 0:
        return np.zeros((0, 2))
    A = coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    _, comp = connected_components(A, directed=False)
    comps = sorted((np.flatnonzero(comp == c) for c in np.unique(comp)), key=lambda m: (-len(m), nodes[m[0]]))
    rng = np.random.default_rng(seed)
    xy = np.zeros((n, 2))
    boxes = []
    for members in comps:
        local = {int(g): i for i, g in enumerate(members)}
        sel = np.isin(e[:, 0], members)
        le = np.array([[local[int(a)], local[int(b)]] for a, b in e[sel]], dtype=np.int64).reshape(-1, 2)
        init = rng.uniform(-1, 1, (len(members), 2))
        groups = sorted({group[nodes[g]] for g in members if nodes[g] in group})
        for gi, g in enumerate(groups):
            ang = 2 * math.pi * gi / len(groups)
            at = [i for i, m in enumerate(members) if group.get(nodes[m]) == g]
            init[at] = 0.6 * np.array([math.cos(ang), math.sin(ang)]) + 0.2 * init[at]
        p = spring_layout(len(members), le, w[sel], init=init, seed=seed) if len(members) > 2 else \
            np.array([[-0.5, 0.0], [0.5, 0.0]])[:len(members)]
        p = p * math.sqrt(len(members)) / 2
        boxes.append((members, p - p.min(axis=0), np.ptp(p, axis=0) + 0.8))
    width = max(max(b[2][0] for b in boxes), math.sqrt(sum(b[2][0] * b[2][1] for b in boxes)) * 1.6)
    x = y = row_h = 0.0
    for members, p, (bw, bh) in boxes:
        if x > 0 and x + bw > width:
            x, y, row_h = 0.0, y - row_h, 0.0
        xy[members] = p + np.array([x, y - bh + 0.8])
        x += bw
        row_h = max(row_h, bh)
    return xy


def network(matches: pd.DataFrame, index: Any, min_score: float = 0.75, *, cross_city_only: bool = False,
            chains_filter: Sequence[str] = (), cities_filter: Sequence[str] = (), max_nodes: int = 120,
            found: Sequence[Alliance] = (), seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The strong-match graph ready to draw: (nodes, edges). Keeps the ``max_nodes`` parties with the
    largest total strong-match score (readability), the edges between them, and only nodes left with an
    edge. Each connected component is laid out on its own and the components are packed in rows; nodes
    of one alliance (from ``found``) start together, so alliances show as clusters.

    nodes: id, name, city, kind, chains, alliance, degree, strength, x, y;
    edges: a, b, score, relation, cross_city, mutual, x0, y0, x1, y1."""
    edges = strong_edges(matches, min_score, cross_city_only)
    keep = _party_filter(index, chains_filter, cities_filter)
    if keep is not None and not edges.empty:
        edges = edges[edges.a.isin(keep) & edges.b.isin(keep)]
    node_cols = ["id", "name", "city", "kind", "chains", "alliance", "degree", "strength", "x", "y"]
    edge_cols = ["a", "b", "score", "relation", "cross_city", "mutual", "x0", "y0", "x1", "y1"]
    if edges.empty:
        return pd.DataFrame(columns=node_cols), pd.DataFrame(columns=edge_cols)
    strength = pd.concat([edges.groupby("a").score.sum(), edges.groupby("b").score.sum()]).groupby(level=0).sum()
    ranked = sorted(strength.index, key=lambda p: (-round(float(strength[p]), 9), p))[:max_nodes]
    chosen = set(ranked)
    edges = edges[edges.a.isin(chosen) & edges.b.isin(chosen)].reset_index(drop=True)
    nodes = sorted(set(edges.a) | set(edges.b))  # a node whose partners were all cut is left out
    pos = {p: i for i, p in enumerate(nodes)}
    of = {p: a.alliance_id for a in found for p in a.members}
    e = np.column_stack([edges.a.map(pos), edges.b.map(pos)]) if len(edges) else np.zeros((0, 2), np.int64)
    xy = _packed_layout(nodes, e, edges.score.to_numpy(dtype=float), of, seed)
    deg = Counter(edges.a) + Counter(edges.b)
    rows = [index.id_to_row[p] for p in nodes]
    nd = pd.DataFrame({
        "id": nodes, "name": [index.name[r] for r in rows], "city": [index.city_name[r] for r in rows],
        "kind": [index.kind[r] for r in rows],
        "chains": [";".join(sorted(_party_chains(index.own_segments[r]))) for r in rows],
        "alliance": [of.get(p, "") for p in nodes], "degree": [deg[p] for p in nodes],
        "strength": [round(float(strength[p]), 4) for p in nodes], "x": xy[:, 0], "y": xy[:, 1]})
    ed = edges.assign(x0=xy[e[:, 0], 0], y0=xy[e[:, 0], 1], x1=xy[e[:, 1], 0], y1=xy[e[:, 1], 1])
    return nd[node_cols], ed[edge_cols]
