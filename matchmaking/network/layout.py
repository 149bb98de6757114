"""The alliance graph ready to draw: nodes with positions and labels, edges with their end points. Each
alliance is laid out on its own (a spring layout in numpy) and the alliances are packed in rows, then the
parties in no alliance, a block per connected component: alliances show as separate clusters rather than
one clump. No plotting library: the page draws it."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..reference import chains_of
from .communities import Alliance, alliance_edges

__all__ = ["network", "spring_layout", "LABELLED_NODES"]

#: How many nodes carry their name on the drawing (the most connected, one per alliance); every node names
#: itself on hover.
LABELLED_NODES = 30


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
    """Each alliance laid out on its own, then each connected component of the parties in no alliance;
    every block scaled by the square root of its size and the blocks packed in rows, alliances first (in
    their order), then the rest largest first: one readable picture, each alliance a cluster of its own."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(nodes)
    if n == 0:
        return np.zeros((0, 2))
    idx = {p: i for i, p in enumerate(nodes)}
    blocks: list[np.ndarray] = []
    for g in sorted(set(group.values())):
        blocks.append(np.array(sorted(idx[p] for p in nodes if group.get(p) == g), dtype=np.int64))
    loose = np.array([i for i, p in enumerate(nodes) if p not in group], dtype=np.int64)
    if len(loose):
        inner = e[np.isin(e[:, 0], loose) & np.isin(e[:, 1], loose)] if len(e) else e
        A = coo_matrix((np.ones(len(inner)), (inner[:, 0], inner[:, 1])), shape=(n, n))
        _, comp = connected_components(A, directed=False)
        rest = sorted((loose[comp[loose] == c] for c in np.unique(comp[loose])), key=lambda m: (-len(m), nodes[m[0]]))
        blocks.extend(rest)
    rng = np.random.default_rng(seed)
    xy = np.zeros((n, 2))
    boxes = []
    for members in blocks:
        local = {int(g): i for i, g in enumerate(members)}
        sel = np.isin(e[:, 0], members) & np.isin(e[:, 1], members) if len(e) else np.zeros(0, dtype=bool)
        le = np.array([[local[int(a)], local[int(b)]] for a, b in e[sel]], dtype=np.int64).reshape(-1, 2)
        if len(members) > 2:
            p = spring_layout(len(members), le, w[sel], init=rng.uniform(-1, 1, (len(members), 2)), seed=seed)
        else:
            p = np.array([[-0.5, 0.0], [0.5, 0.0]])[:len(members)]
        p = p * math.sqrt(len(members)) * 0.7
        boxes.append((members, p - p.min(axis=0), np.ptp(p, axis=0) + 1.2))
    width = max(max(b[2][0] for b in boxes), math.sqrt(sum(b[2][0] * b[2][1] for b in boxes)) * 1.6)
    x = y = row_h = 0.0
    for members, p, (bw, bh) in boxes:
        if x > 0 and x + bw > width:
            x, y, row_h = 0.0, y - row_h, 0.0
        xy[members] = p + np.array([x, y - bh + 1.2])
        x += bw
        row_h = max(row_h, bh)
    return xy


def network(matches: pd.DataFrame, index: Any, min_score: float = 0.75, *, cross_city_only: bool = False,
            chains_filter: Sequence[str] = (), cities_filter: Sequence[str] = (), max_nodes: int = 120,
            found: Sequence[Alliance] = (), seed: int = 0, labelled: int = LABELLED_NODES,
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The graph alliances are found in (``alliance_edges``: strong matches within a shared chain, no
    investor) ready to draw: (nodes, edges). Keeps every member of ``found`` that has a link, then the
    parties with the most strong-match weight, up to ``max_nodes`` (readability), the edges between them,
    and only nodes left with an edge. Each alliance is laid out as a cluster of its own, the other parties
    by connected component. The most connected node of each alliance (and of the rest), ``labelled`` in all,
    carries a short ``label``.

    nodes: id, name, label, city, kind, chains, alliance, degree, strength, x, y;
    edges: a, b, score, relation, cross_city, mutual, inside, same_block, x0, y0, x1, y1 (``inside``: both
    ends in one alliance; ``same_block``: both ends in one cluster of the drawing — a link between clusters
    would cross the picture, so a page may leave it out)."""
    edges = alliance_edges(matches, index, min_score, cross_city_only, chains_filter, cities_filter)
    node_cols = ["id", "name", "label", "city", "kind", "chains", "alliance", "degree", "strength", "x", "y"]
    edge_cols = ["a", "b", "score", "relation", "cross_city", "mutual", "inside", "same_block", "x0", "y0", "x1",
                 "y1"]
    if edges.empty:
        return pd.DataFrame(columns=node_cols), pd.DataFrame(columns=edge_cols)
    of = {p: a.alliance_id for a in found for p in a.members}
    strength = pd.concat([edges.groupby("a").score.sum(), edges.groupby("b").score.sum()]).groupby(level=0).sum()
    ranked = sorted(strength.index, key=lambda p: (p not in of, -round(float(strength[p]), 9), p))[:max_nodes]
    chosen = set(ranked)
    edges = edges[edges.a.isin(chosen) & edges.b.isin(chosen)].reset_index(drop=True)
    nodes = sorted(set(edges.a) | set(edges.b))  # a node whose partners were all cut is left out
    pos = {p: i for i, p in enumerate(nodes)}
    e = np.column_stack([edges.a.map(pos), edges.b.map(pos)]) if len(edges) else np.zeros((0, 2), np.int64)
    xy = _packed_layout(nodes, e, edges.score.to_numpy(dtype=float), {p: of[p] for p in nodes if p in of}, seed)
    deg = Counter(edges.a) + Counter(edges.b)
    rows = [index.id_to_row[p] for p in nodes]
    top: set[str] = set()
    per_group: Counter[str] = Counter()
    for p in sorted(nodes, key=lambda p: (-deg[p], -round(float(strength[p]), 9), p)):
        if len(top) >= labelled:
            break
        if per_group[of.get(p, "")] < 1 or not of.get(p):  # one name per alliance: no pile-ups
            top.add(p)
            per_group[of.get(p, "")] += 1
    nd = pd.DataFrame({
        "id": nodes, "name": [index.name[r] for r in rows],
        "label": [_label(index.name[r]) if p in top else "" for p, r in zip(nodes, rows, strict=True)],
        "city": [index.city_name[r] for r in rows], "kind": [index.kind[r] for r in rows],
        "chains": [";".join(sorted(chains_of(index.own_segments[r]))) for r in rows],
        "alliance": [of.get(p, "") for p in nodes], "degree": [deg[p] for p in nodes],
        "strength": [round(float(strength[p]), 4) for p in nodes], "x": xy[:, 0], "y": xy[:, 1]})
    inside = [bool(of.get(a)) and of.get(a) == of.get(b) for a, b in zip(edges.a, edges.b, strict=True)]
    loose = [a not in of and b not in of for a, b in zip(edges.a, edges.b, strict=True)]
    ed = edges.assign(inside=inside, same_block=[i or j for i, j in zip(inside, loose, strict=True)],
                      x0=xy[e[:, 0], 0], y0=xy[e[:, 0], 1], x1=xy[e[:, 1], 0], y1=xy[e[:, 1], 1])
    return nd[node_cols], ed[edge_cols]


def _label(name: str, most: int = 10) -> str:
    """A node's name short enough to print beside it: without legal-form suffixes and brackets, cut to
    ``most`` characters (a Chinese name) or words' worth (a Latin one)."""
    text = name.split("(")[0].split("（")[0].strip()
    for suffix in ("股份有限公司", "有限责任公司", "有限公司", "合伙企业", " Co., Ltd.", " Co. Ltd.", " Ltd.", " Inc."):
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            text = text[: -len(suffix)].strip()
    limit = most if any("\u4e00" <= ch <= "\u9fff" for ch in text) else most * 2
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
