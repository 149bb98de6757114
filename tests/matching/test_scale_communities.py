"""Alliances for a whole province (issue 12, item 4): the size-capped agglomeration (the default) and
Louvain with a fixed seed. On small graphs where the two partitions have the same
modularity the rosters are the same; Louvain's rosters do not depend on the order of the matches; a
graph beyond the old limit of 15,000 parties is grouped without narrowing."""

from __future__ import annotations

import random
from types import SimpleNamespace

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from matchmaking import network as nw
from matchmaking.network import communities
from matchmaking.reference import chains

CITIES = ("Shanghai", "Suzhou", "Nantong")


def planted(n_groups: int, seed: int, bridges: float = 0.3, density: float = 0.8) -> tuple[pd.DataFrame, SimpleNamespace]:
    """Groups of 4–9 parties of one chain, strongly matched across cities inside, a few weaker matches
    between groups of the same chain: a match table and an index stand-in."""
    rng = random.Random(seed)
    segs = [s for s in chains().segments if s.split("-")[0] in ("IC", "BIO", "NEV")]
    pid, city, own, rows, groups = [], [], [], [], []
    for _ in range(n_groups):
        seg = rng.choice(segs)
        members = []
        for _ in range(rng.randint(4, 9)):
            members.append(len(pid))
            pid.append(f"X{len(pid):06d}")
            city.append(CITIES[len(pid) % 3])
            own.append((seg,))
        groups.append((seg.split("-")[0], members))
        for i in members:
            for j in members:
                if i < j and rng.random() < density:
                    rows.append((pid[i], pid[j], round(rng.uniform(0.85, 1.2), 3)))
    by_chain: dict[str, list[list[int]]] = {}
    for ch, members in groups:
        by_chain.setdefault(ch, []).append(members)
    for gs in by_chain.values():
        for _ in range(int(bridges * len(gs))):
            a, b = rng.sample(range(len(gs)), 2) if len(gs) > 1 else (0, 0)
            if a != b:
                rows.append((pid[rng.choice(gs[a])], pid[rng.choice(gs[b])], round(rng.uniform(0.76, 0.8), 3)))
    index = SimpleNamespace(pid=np.array(pid, dtype=object), name=np.array([f"名{p}" for p in pid], dtype=object),
                            city_name=np.array(city, dtype=object), kind=np.array(["organisation"] * len(pid), dtype=object),
                            own_segments=own, id_to_row={p: i for i, p in enumerate(pid)})
    c = dict(zip(pid, city, strict=True))
    matches = pd.DataFrame([{"query_id": a, "candidate_id": b, "rank": 1, "score": s, "relation": "supplier",
                             "query_city": c[a], "candidate_city": c[b], "cross_city": c[a] != c[b]}
                            for a, b, s in rows], columns=nw.TOP_MATCH_COLUMNS).astype({"cross_city": bool})
    return matches, index


def _modularity(A: sp.csr_matrix, parts: list[list[int]]) -> float:
    G = nx.from_scipy_sparse_array(A)
    return nx.community.modularity(G, [set(p) for p in parts], weight="weight")


def rosters(found: list[nw.Alliance]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return sorted((a.chains, tuple(sorted(a.members))) for a in found)


def _components_agree(matches: pd.DataFrame, index: SimpleNamespace) -> bool:
    """Whether, on every graph ``alliances`` groups (a chain's strong matches, one connected component of
    at least 3 parties), Louvain's partition has the agglomeration's modularity."""
    edges = nw.alliance_edges(matches, index, 0.75)
    nodes = sorted(set(edges.a) | set(edges.b))
    pos = {p: i for i, p in enumerate(nodes)}
    ia, ib = edges.a.map(pos).to_numpy(), edges.b.map(pos).to_numpy()
    on_chain = edges.chains.str.split(";")
    for chain in sorted({c for cs in on_chain for c in cs}):
        on = on_chain.map(lambda cs, c=chain: c in cs).to_numpy(dtype=bool)
        A = sp.coo_matrix((edges.score.to_numpy(float)[on], (ia[on], ib[on])), shape=(len(nodes),) * 2).tocsr()
        A = (A + A.T).tocsr()
        _, comp = connected_components(A, directed=False)
        for c in np.flatnonzero(np.bincount(comp) >= 3):
            members = np.flatnonzero(comp == c)
            sub = A[members][:, members]
            greedy = communities._greedy_modularity(sub, 12, 1.0)
            louvain = communities._louvain(sub, 12, 1.0, seed=12)
            if abs(_modularity(sub, greedy) - _modularity(sub, louvain)) > 1e-9:
                return False
    return True


@pytest.mark.parametrize("seed", range(8))
def test_same_rosters_as_the_agglomeration_where_modularity_agrees(seed):
    matches, index = planted(6, seed, bridges=1.0, density=1.0)
    if not _components_agree(matches, index):
        pytest.skip("the two partitions differ in modularity on a graph here: nothing to compare")
    assert rosters(nw.alliances(matches, index, method="louvain")) == rosters(
        nw.alliances(matches, index, method="greedy"))


def test_most_small_planted_graphs_agree_on_modularity():
    """The comparison above is not vacuous: on most planted graphs both methods reach the same modularity."""
    assert sum(_components_agree(*planted(6, seed, bridges=1.0, density=1.0)) for seed in range(8)) >= 5


def test_louvain_rosters_do_not_depend_on_the_order_of_the_matches():
    matches, index = planted(40, 5)
    first = nw.alliances(matches, index, method="louvain")
    shuffled = nw.alliances(matches.sample(frac=1.0, random_state=3), index, method="louvain")
    assert first and [a.members for a in first] == [a.members for a in shuffled]
    assert all(3 <= len(a.members) <= 12 for a in first)


def test_a_graph_beyond_the_old_limit_is_grouped_without_narrowing():
    matches, index = planted(2600, 1, bridges=0.5)  # about 16,900 parties in the strong-match graph
    assert nw.strong_parties(matches, 0.75) > 15_000
    for method in ("greedy", "louvain"):
        found = nw.alliances(matches, index, method=method)
        assert len(found) > 1000
        members = [m for a in found for m in a.members]
        assert len(members) == len(set(members))  # a party is in at most one alliance


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"method": "leiden"}, "The 'method' parameter of alliances must be one of 'greedy', 'louvain'. "
                           "Got 'leiden' instead."),
    ({"seed": 1.5}, "The 'seed' parameter of alliances must be an int. Got 1.5 instead."),
])
def test_bad_method_or_seed_says_what_is_allowed(kwargs, says):
    matches, index = planted(3, 0)
    with pytest.raises(ValueError) as err:
        nw.alliances(matches, index, **kwargs)
    assert str(err.value) == says
