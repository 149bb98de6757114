"""The strong-match graph ready to draw: nodes with positions (a spring layout in numpy, each component on
its own, packed in rows) and edges with their end points. No plotting library: the page draws it."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..reference import chains_of
from .communities import Alliance
from .flows import party_filter, strong_edges

__all__ = ["network", "spring_layout"]


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
    keep = party_filter(index, chains_filter, cities_filter)
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
        "chains": [";".join(sorted(chains_of(index.own_segments[r]))) for r in rows],
        "alliance": [of.get(p, "") for p in nodes], "degree": [deg[p] for p in nodes],
        "strength": [round(float(strength[p]), 4) for p in nodes], "x": xy[:, 0], "y": xy[:, 1]})
    ed = edges.assign(x0=xy[e[:, 0], 0], y0=xy[e[:, 0], 1], x1=xy[e[:, 1], 0], y1=xy[e[:, 1], 1])
    return nd[node_cols], ed[edge_cols]
