"""Alliances: communities of the strong-match graph proposed as alliance rosters (产业联盟名单), each with
its chain(s), the chain segments its members cover, the segments it still lacks (补链), where its members
are, and a cohesion score; ``gap_candidates``: who in the database could fill each missing segment.

Members must belong: the graph an alliance is found in (:func:`alliance_edges`) links only parties that
share an industry chain, and never through an investor (an investor funds many chains; linking through
it once put a micro-EV project and a silk-quilt brand in one AI alliance); an alliance then keeps only
members in its chain(s) with a strong match to another member. Investors that match members are listed
beside the alliance, not in it. ``MIN_MATCH_STRENGTH`` is the one floor of a tie to an alliance (the
page's threshold starts there; a gap candidate must match a member at least that well).

``index`` arguments need only ``pid``, ``name``, ``city_name``, ``kind``, ``own_segments`` and
``id_to_row`` (a ``MatchIndex`` has them; its ``parties`` frame adds industry codes and organisation
types), so small synthetic stand-ins can be used in tests. Pure functions: no Streamlit, no SQL, no I/O;
deterministic whatever the order of the input rows.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..reference import CITIES, CITY_ZH, chain_order, chains, chains_of
from .flows import party_filter, strong_edges

__all__ = ["Alliance", "alliances", "alliance_edges", "party_chains", "gap_candidates", "roster", "strong_parties",
           "largest_chain", "segment_name", "ALLIANCE_NODE_LIMIT", "MIN_MATCH_STRENGTH"]

#: The weakest match that ties a party to an alliance: the lowest strong-match threshold offered, and the
#: least score a gap candidate must reach with some member (one that matches nobody is no candidate).
MIN_MATCH_STRENGTH = 0.5


def _short(name: str) -> str:
    return name.split("(")[0].split("（")[0].strip()


def segment_name(segment_id: str, lang: str = "zh") -> str:
    """A chain segment's name in ``lang``, without the cross-reference a few carry ("(见MAR链)")."""
    seg = chains().segments.get(segment_id)
    if seg is None:
        return segment_id
    text = seg.name_zh if lang == "zh" else seg.name_en
    return re.sub(r"\s*[(（](?:见|see )[^)）]*[)）]\s*$", "", text).strip()


@dataclass(frozen=True)
class Alliance:
    """A proposed alliance roster (联盟名单).

    ``members`` are party ids, most connected first, each with a segment of the alliance's ``chains`` and a
    strong match with another member; ``segments``/``gaps`` are the segments of its ``chains`` that members
    cover / that no member covers, upstream → downstream. ``city_counts`` says how many members each city
    has (most first); ``anchors`` are the cities with the most. ``cohesion`` is the share of the members'
    strong-match weight that stays inside the alliance (1 = no strong match leaves it); ``mean_score`` the
    mean score of its internal strong matches; ``investors`` the investors with a strong match to a member
    (beside the alliance: they fund it, they are not in its chain)."""

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
    city_counts: tuple[tuple[str, int], ...] = ()
    investors: tuple[str, ...] = ()

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    @property
    def anchors(self) -> tuple[str, ...]:
        """The cities with the most members (several when they tie)."""
        top = max((n for _, n in self.city_counts), default=0)
        return tuple(c for c, n in self.city_counts if n == top)


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


def _louvain(A: Any, max_size: int, resolution: float, seed: int) -> list[list[int]]:
    """Louvain (networkx ``louvain_communities``, a fixed ``seed``: the same groups on every run and
    machine) on a sparse weighted graph, near-linear in its edges; a community above ``max_size`` is split
    by the size-capped agglomeration (:func:`_greedy_modularity`) on its own subgraph."""
    import networkx as nx

    A = A.tocsr()
    n = A.shape[0]
    if n == 0:
        return []
    G = nx.Graph()
    G.add_nodes_from(range(n))
    coo = A.tocoo()
    upper = coo.row < coo.col
    G.add_weighted_edges_from(zip(coo.row[upper].tolist(), coo.col[upper].tolist(), coo.data[upper].tolist(),
                                  strict=True))
    out: list[list[int]] = []
    for community in nx.community.louvain_communities(G, weight="weight", resolution=resolution, seed=seed):
        members = np.array(sorted(community), dtype=np.int64)
        if len(members) <= max_size:
            out.append(members.tolist())
            continue
        for g in _greedy_modularity(A[members][:, members], max_size, resolution):
            out.append([int(members[i]) for i in g])
    return sorted(out)


#: The most parties the strong-match graph may have. The size-capped agglomeration grows about linearly
#: (no community exceeds ``max_size``, so a merge touches few neighbours): 100,000 parties in 24 s, where
#: networkx's Louvain took 32 s on the same graph (``python -m bench.scale --alliances 100000``,
#: docs/scale.md). So the page no longer narrows to one chain below this.
ALLIANCE_NODE_LIMIT = 500_000
_METHODS = ("greedy", "louvain")


def _communities(A: Any, max_size: int, resolution: float, method: str, seed: int) -> list[list[int]]:
    if method == "greedy":
        return _greedy_modularity(A, max_size, resolution)
    return _louvain(A, max_size, resolution, seed)


def strong_parties(matches: pd.DataFrame, min_score: float, cross_city: bool = True) -> int:
    """How many parties the strong-match graph has (at most what ``alliances`` would have to group)."""
    edges = strong_edges(matches, min_score, cross_city_only=cross_city)
    return len(set(edges.a) | set(edges.b)) if not edges.empty else 0


def largest_chain(index: Any) -> str | None:
    """The chain with the most parties (the default narrowing on large data)."""
    counts = Counter(c for segs in index.own_segments for c in chains_of(segs))
    return min(counts, key=lambda c: (-counts[c], c)) if counts else None


def party_chains(index: Any) -> list[frozenset[str]]:
    """Per party, the chains it belongs to: those of its main business (its industry code's segments)
    when it has one, else those its texts name; universities and institutes by their texts (a research
    code maps to every chain's R&D segment). Without industry codes (a bare index), by the texts."""
    core, _ = _core_segments(index)
    parties = getattr(index, "parties", None)
    kinds = (parties["org_type"].fillna("").astype(str).tolist()
             if parties is not None and "org_type" in parties else [""] * len(index.pid))
    out = []
    for i in range(len(index.pid)):
        main = core[i] if kinds[i] not in ("university", "institute") else set()
        out.append(frozenset(chains_of(sorted(main))) or frozenset(chains_of(index.own_segments[i])))
    return out


def alliance_edges(matches: pd.DataFrame, index: Any, min_score: float, cross_city: bool = True,
                   chains_filter: Sequence[str] = (), cities_filter: Sequence[str] = ()) -> pd.DataFrame:
    """The graph alliances are found in: the strong matches (``strong_edges``) between two parties that
    share an industry chain (:func:`party_chains`), neither of them an investor, both within the chain and
    city filters. Columns as ``strong_edges`` plus ``chains`` (the chains the two share, ``;``-joined)."""
    edges = strong_edges(matches, min_score, cross_city_only=cross_city)
    if edges.empty:
        return edges.assign(chains=pd.Series(dtype=object))
    keep = party_filter(index, chains_filter, cities_filter)
    if keep is not None:
        edges = edges[edges.a.isin(keep) & edges.b.isin(keep)]
    investors = _investors(index)
    if investors:
        edges = edges[~edges.a.isin(investors) & ~edges.b.isin(investors)]
    of = party_chains(index) if len(edges) else []
    row = index.id_to_row if len(edges) else {}
    want = set(chains_filter)
    shared = [";".join(sorted((of[row[a]] & of[row[b]]) & want if want else of[row[a]] & of[row[b]]))
              for a, b in zip(edges.a, edges.b, strict=True)]
    edges = edges.assign(chains=shared)
    return edges[edges.chains != ""].reset_index(drop=True)


def _investors(index: Any) -> set[str]:
    parties = getattr(index, "parties", None)
    if parties is None or "org_type" not in parties:
        return set()
    kinds = parties["org_type"].fillna("").astype(str).to_numpy()
    return {index.pid[i] for i in range(len(index.pid)) if kinds[i] == "investor"}


def alliances(matches: pd.DataFrame, index: Any, min_score: float = 0.75, *, cross_city: bool = True,
              min_size: int = 3, max_size: int = 12, resolution: float = 1.0, chains_filter: Sequence[str] = (),
              cities_filter: Sequence[str] = (), method: str = "greedy", seed: int = 12) -> list[Alliance]:
    """Alliances proposed from the strong matches (``score >= min_score``), one industry chain each.

    For each chain, the graph is :func:`alliance_edges` between parties of that chain (with
    ``cross_city``, only matches across cities); ``chains_filter``/``cities_filter`` keep only those
    chains/cities. Communities are found per connected component by greedy modularity (at most
    ``max_size`` members). Then, strongest first, each becomes an alliance of the members no stronger
    alliance took that still have a strong match inside it, if at least ``min_size`` remain (with
    ``cross_city``, in two cities or more): a party is in at most one alliance, and every member is in the
    alliance's chain. Alliances come strongest first (total internal score), ids ``A01``, ``A02``…; names
    that would read the same are told apart by the city with the most members.

    ``method``: 'greedy' (the size-capped Clauset–Newman–Moore agglomeration: about linear, a whole
    province in seconds) or 'louvain' (networkx's Louvain with ``seed``, communities above ``max_size``
    split by the agglomeration; slower here, and the same rosters where the two reach the same modularity)."""
    _check("min_score", min_score, isinstance(min_score, int | float) and math.isfinite(min_score), "a number")
    _check("min_size", min_size, isinstance(min_size, int) and min_size >= 2, "an int >= 2")
    _check("max_size", max_size, isinstance(max_size, int) and max_size >= min_size, f"an int >= min_size ({min_size})")
    _check("resolution", resolution, isinstance(resolution, int | float) and resolution > 0, "a positive number")
    _check("method", method, method in _METHODS, f"one of {', '.join(map(repr, _METHODS))}")
    _check("seed", seed, isinstance(seed, int) and not isinstance(seed, bool), "an int")
    n_strong = strong_parties(matches, min_score, cross_city)
    if n_strong > ALLIANCE_NODE_LIMIT and not chains_filter and not cities_filter:
        raise ValueError(f"{n_strong:,} parties have strong matches at min_score={min_score}: at most "
                         f"{ALLIANCE_NODE_LIMIT:,} can be grouped at once; filter by chain or city, or raise min_score")
    edges = alliance_edges(matches, index, min_score, cross_city, chains_filter, cities_filter)
    if edges.empty:
        return []
    nodes = sorted(set(edges.a) | set(edges.b))
    if len(nodes) > ALLIANCE_NODE_LIMIT:
        raise ValueError(f"{len(nodes):,} parties have strong matches at min_score={min_score}: at most "
                         f"{ALLIANCE_NODE_LIMIT:,} can be grouped at once; filter by chain or city, or raise min_score")
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    pos = {p: i for i, p in enumerate(nodes)}
    n = len(nodes)
    ia, ib = edges.a.map(pos).to_numpy(), edges.b.map(pos).to_numpy()
    full = coo_matrix((edges.score.to_numpy(dtype=float), (ia, ib)), shape=(n, n)).tocsr()
    full = (full + full.T).tocsr()
    candidates: list[tuple[float, str, list[int]]] = []
    by_chain: dict[str, Any] = {}  # chain → its graph (symmetric CSR over all nodes)
    on_chain = edges.chains.str.split(";")
    for chain in sorted({c for cs in on_chain for c in cs}):
        on = on_chain.map(lambda cs, c=chain: c in cs).to_numpy(dtype=bool)
        A = coo_matrix((edges.score.to_numpy(dtype=float)[on], (ia[on], ib[on])), shape=(n, n)).tocsr()
        A = by_chain[chain] = (A + A.T).tocsr()
        _, comp = connected_components(A, directed=False)
        sizes = np.bincount(comp)
        # the members of every component at once (ascending, as ``flatnonzero(comp == c)``): one pass, where a
        # scan per component grew with parties × components
        by_comp = np.argsort(comp, kind="stable")
        bounds = np.r_[0, np.cumsum(sizes)]
        for c in np.flatnonzero(sizes >= min_size):
            members = by_comp[bounds[c]:bounds[c + 1]]
            for g in _communities(A[members][:, members], max_size, resolution, method, seed):
                if len(g) >= min_size:
                    group = [int(members[i]) for i in g]
                    candidates.append((float(A[group][:, group].sum()) / 2, chain, group))
    candidates.sort(key=lambda x: (-round(x[0], 9), x[1], nodes[min(x[2])]))
    taken: set[int] = set()
    found: list[tuple[float, str, list[int]]] = []
    for _, chain, group in candidates:
        A = by_chain[chain]
        kept = _linked([i for i in group if i not in taken], A)
        if len(kept) < min_size:
            continue
        if cross_city and len({index.city_name[index.id_to_row[nodes[i]]] for i in kept}) < 2:
            continue
        taken.update(kept)
        found.append((float(A[kept][:, kept].sum()) / 2, chain, kept))
    found.sort(key=lambda x: (-round(x[0], 9), nodes[min(x[2])]))
    strength = np.asarray(full.sum(axis=1)).ravel()
    # per party, its alliance-graph edges (a, b, score, relation, chains) and its strong matches with investors
    touching: dict[str, list[tuple[str, str, float, str, tuple[str, ...]]]] = {}
    for e in zip(edges.a, edges.b, edges.score.astype(float), edges.relation, map(tuple, on_chain), strict=True):
        touching.setdefault(e[0], []).append(e)
        touching.setdefault(e[1], []).append(e)
    investors = _investors(index)
    funding: dict[str, list[tuple[str, float]]] = {}
    if investors:
        every = strong_edges(matches, min_score, cross_city_only=cross_city)
        for a, b, score in zip(every.a, every.b, every.score.astype(float), strict=True):
            if (a in investors) != (b in investors):
                who, investor = (b, a) if a in investors else (a, b)
                funding.setdefault(who, []).append((investor, score))
    core, _ = _core_segments(index)
    result = []
    for no, (internal, chain, g) in enumerate(found, start=1):
        gset = {nodes[i] for i in g}
        ie = {e for p in gset for e in touching.get(p, ()) if e[0] in gset and e[1] in gset and chain in e[4]}
        inside_w: Counter[str] = Counter()
        for a, b, score, _, _ in ie:
            inside_w[a] += score
            inside_w[b] += score
        ids = tuple(sorted(gset, key=lambda p: (-round(inside_w[p], 9), p)))
        cohesion = float(internal / max(strength[g].sum() - internal, 1e-12))
        funds: Counter[str] = Counter()
        for p in gset:
            for investor, score in funding.get(p, ()):
                funds[investor] += score
        result.append(_describe(f"A{no:02d}", ids, index, core, sorted(ie), min(cohesion, 1.0), (chain,),
                                tuple(sorted(funds, key=lambda i: (-round(funds[i], 9), i)))))
    return _distinct_names(result)


def _linked(group: list[int], A: Any) -> list[int]:
    """The members of ``group`` with a strong match (in ``A``, a chain's graph) to another member, repeated
    until every one left has one."""
    kept = set(group)
    while True:
        linked = {i for i in kept if any(int(j) in kept and int(j) != i for j in A.indices[A.indptr[i]:A.indptr[i + 1]])}
        if linked == kept:
            return sorted(kept)
        kept = linked


def _describe(aid: str, ids: tuple[str, ...], index: Any, core: list[set[str]], internal_edges: list[tuple],
              cohesion: float, picked: tuple[str, ...], investors: tuple[str, ...] = ()) -> Alliance:
    """An alliance from its members; ``internal_edges`` are its (a, b, score, relation, chains) strong matches."""
    rows = [index.id_to_row[p] for p in ids]
    segs_of = [tuple({*index.own_segments[r], *core[r]}) for r in rows]
    seg_count = Counter(s for ss in segs_of for s in ss)
    covered, gaps = [], []
    for c in picked:
        for s in chain_order(c):
            (covered if seg_count[s] else gaps).append(s)
    per_city = Counter(index.city_name[r] for r in rows)
    order = {c: i for i, c in enumerate(CITIES)}
    city_counts = tuple(sorted(per_city.items(), key=lambda x: (-x[1], order.get(x[0], 9), x[0])))
    cities = tuple(c for c in (*CITIES, *sorted(set(per_city) - set(CITIES))) if c in per_city)
    if picked:
        main = [s for s in chain_order(picked[0]) if seg_count[s]]
        top = sorted(sorted(main, key=lambda s: -seg_count[s])[:2], key=main.index)
        zh = "–".join(_short(segment_name(s, "zh")) for s in top)
        en = "–".join(_short(segment_name(s, "en")) for s in top)
        chain_zh = "+".join(chains().chain_name(c, "zh") for c in picked)
        chain_en = " + ".join(chains().chain_name(c, "en") for c in picked)
        name_zh, name_en = f"{chain_zh} · {zh} 联盟", f"{chain_en} · {en} alliance"
    else:
        name_zh = name_en = f"{aid}"
    rel = Counter(e[3] for e in internal_edges)
    mean = sum(e[2] for e in internal_edges) / len(internal_edges) if internal_edges else 0.0
    return Alliance(aid, name_zh, name_en, picked, ids, cities, tuple(covered), tuple(gaps),
                    tuple(sorted(rel.items(), key=lambda x: (-x[1], x[0]))), len(internal_edges),
                    round(cohesion, 4), round(mean, 4), city_counts, investors)


_NUMERALS = "二三四五六七八九十"


def _distinct_names(found: list[Alliance]) -> list[Alliance]:
    """Alliances whose names would read the same are told apart by their anchor city (上海为主 / Shanghai-led),
    then by a number."""
    from dataclasses import replace

    same = Counter(a.name_zh for a in found)
    out = []
    for a in found:
        if same[a.name_zh] > 1:
            anchor = a.anchors[0] if a.anchors else ""
            a = replace(a, name_zh=f"{a.name_zh}（{CITY_ZH.get(anchor, anchor)}为主）",
                        name_en=f"{a.name_en} ({anchor}-led)")
        out.append(a)
    seen: Counter[str] = Counter()
    final = []
    for a in out:
        seen[a.name_zh] += 1
        k = seen[a.name_zh]
        if k > 1:
            a = replace(a, name_zh=f"{a.name_zh}·{_NUMERALS[min(k, 10) - 2]}", name_en=f"{a.name_en} {k}")
        final.append(a)
    return final


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
    ``depth``), so a party just below everyone's top-k still counts. Only matches scoring at least
    ``MIN_MATCH_STRENGTH`` count, and a party with none is no candidate: covering a segment is not enough,
    it must also fit the members (no candidate has strength 0).

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
    # one score per (candidate, member): the best of the directions and sources, if it is a tie at all
    links = (links[links.score >= MIN_MATCH_STRENGTH]
             .sort_values(["other", "member", "score"], ascending=[True, True, False], kind="mergesort")
             .drop_duplicates(["other", "member"]))
    agg: dict[str, tuple[float, int, str, str]] = {}
    for other, grp in links.groupby("other", sort=True):
        top = grp.sort_values(["score", "member"], ascending=[False, True], kind="mergesort").iloc[0]
        agg[str(other)] = (float(grp.score.sum()), len(grp), str(top.member), str(top.relation))
    core, investor = _core_segments(index)
    out = []
    for seg in alliance.gaps:
        cands = [i for i in range(len(index.pid)) if seg in index.own_segments[i] and index.pid[i] not in skip
                 and not investor[i] and index.pid[i] in agg]
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
    name, cohesion, member id, name, city, kind and the alliance-chain segments it covers (from its texts
    and its industry code, upstream → downstream)."""
    core, _ = _core_segments(index)
    rows = []
    for a in found:
        order = {s: i for i, s in enumerate(s for c in a.chains for s in chain_order(c))}
        for p in a.members:
            r = index.id_to_row[p]
            segs = sorted({s for s in (*index.own_segments[r], *core[r]) if s in order}, key=order.get)
            rows.append({"alliance_id": a.alliance_id, "alliance": a.name(lang), "cohesion": a.cohesion,
                         "member_id": p, "name": index.name[r], "city": index.city_name[r], "kind": index.kind[r],
                         "segments": ";".join(segs)})
    return pd.DataFrame(rows, columns=["alliance_id", "alliance", "cohesion", "member_id", "name", "city", "kind",
                                       "segments"])
