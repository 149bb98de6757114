"""matchmaking.network and matchmaking.geo on small synthetic inputs: what must hold for flows, alliances,
chain gaps, gap candidates and layouts (deterministic, independent of input order, cross-city when asked,
one alliance per party)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from matchmaking import network as nw
from matchmaking.matching import Matcher, MatchIndex
from matchmaking.network import city_outlines, district_table
from matchmaking.network import communities as alliances_module
from matchmaking.reference import CITIES, chain_order, chains

from .conftest import synthetic

CITY = {"S": "Shanghai", "Z": "Suzhou", "N": "Nantong"}


def fake_index(parties: dict[str, tuple[str, tuple[str, ...]]]) -> SimpleNamespace:
    """An index stand-in: id → (city letter, segments). Ids starting with P are projects."""
    ids = list(parties)
    return SimpleNamespace(
        pid=np.array(ids, dtype=object), name=np.array([f"名{p}" for p in ids], dtype=object),
        city_name=np.array([CITY[parties[p][0]] for p in ids], dtype=object),
        kind=np.array(["project" if p.startswith("P") else "organisation" for p in ids], dtype=object),
        own_segments=[parties[p][1] for p in ids], id_to_row={p: i for i, p in enumerate(ids)})


def frame(index: SimpleNamespace, rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    """A match table from (query, candidate, score, relation) rows."""
    city = dict(zip(index.pid, index.city_name, strict=True))
    out = pd.DataFrame([{"query_id": q, "candidate_id": c, "rank": 1, "score": s, "relation": r,
                         "query_city": city[q], "candidate_city": city[c], "cross_city": city[q] != city[c]}
                        for q, c, s, r in rows], columns=nw.TOP_MATCH_COLUMNS)
    return out.astype({"cross_city": bool})


# two cross-city IC groups (materials+fab; design+packaging), a same-city group, a bridge, gap fillers
PARTIES = {
    "a1": ("S", ("IC-U3",)), "a2": ("Z", ("IC-M2",)), "a3": ("N", ("IC-U3", "IC-M2")), "a4": ("Z", ("IC-M2",)),
    "b1": ("S", ("IC-M1",)), "b2": ("N", ("IC-M3",)), "b3": ("Z", ("IC-M1", "IC-M3")),
    "c1": ("S", ("TEX-U1",)), "c2": ("S", ("TEX-M1",)), "c3": ("S", ("TEX-D1",)),
    "f1": ("N", ("IC-U1",)), "f2": ("S", ("IC-U1", "AI-M1", "BIO-U1")), "f3": ("Z", ("IC-U2",)),
    "P1": ("Z", ("IC-D1",)),
}
MATCHES = [
    ("a1", "a2", 1.0, "supplier"), ("a2", "a1", 0.9, "customer"), ("a1", "a3", 0.95, "supplier"),
    ("a2", "a3", 0.9, "production_base"), ("a3", "a4", 0.85, "supplier"), ("a4", "a1", 0.92, "supplier"),
    ("b1", "b2", 0.9, "supplier"), ("b2", "b3", 0.88, "rd_partner"), ("b3", "b1", 0.91, "supplier"),
    ("c1", "c2", 1.1, "supplier"), ("c2", "c3", 1.1, "supplier"), ("c3", "c1", 1.1, "supplier"),
    ("a4", "b1", 0.62, "supplier"),  # a weak bridge between the two IC groups
    ("a1", "f1", 0.7, "rd_partner"), ("f3", "a2", 0.6, "supplier"), ("P1", "f3", 0.5, "investor"),
]


@pytest.fixture()
def ix() -> SimpleNamespace:
    return fake_index(PARTIES)


@pytest.fixture()
def matches(ix) -> pd.DataFrame:
    return frame(ix, MATCHES)


# ------------------------------------------------------------------------------------ flows and edges
def test_city_flows_count_every_match_once_from_the_needing_city(matches):
    flows = nw.city_flows(matches)
    assert flows.matches.sum() == len(matches)
    assert set(flows.source) <= set(CITIES) and set(flows.target) <= set(CITIES)
    sz = flows[(flows.source == "Shanghai") & (flows.target == "Suzhou")]
    assert int(sz.matches.iloc[0]) == ((matches.query_city == "Shanghai") & (matches.candidate_city == "Suzhou")).sum()
    assert not nw.city_flows(matches, cross_city_only=True).pipe(lambda f: (f.source == f.target).any())
    assert nw.city_flows(matches, min_score=0.95).matches.sum() == (matches.score >= 0.95).sum()


def test_strong_edges_merge_directions_keep_the_stronger(matches):
    e = nw.strong_edges(matches, 0.8)
    row = e[(e.a == "a1") & (e.b == "a2")].iloc[0]
    assert row.score == 1.0 and row.relation == "supplier" and row.mutual
    assert (e.a < e.b).all() and (e.score >= 0.8).all()
    assert not e.duplicated(["a", "b"]).any()


# ------------------------------------------------------------------------------------------- chains
@pytest.mark.parametrize("chain_id", chains().chain_ids())
def test_chain_order_runs_upstream_to_downstream(chain_id):
    order = chain_order(chain_id)
    segs = chains().segments
    assert sorted(order) == sorted(s for s in segs if segs[s].chain_id == chain_id)
    pos = {s: i for i, s in enumerate(order)}
    for s in order:
        if segs[s].stage == "support":
            continue
        for t in segs[s].feeds_into:
            if t in pos and segs[t].stage != "support":
                assert pos[s] < pos[t], (s, t)
    support = [i for i, s in enumerate(order) if segs[s].stage == "support"]
    assert support == list(range(len(order) - len(support), len(order)))


# ---------------------------------------------------------------------------------------- alliances
def test_alliances_find_the_planted_cross_city_groups(ix, matches):
    found = nw.alliances(matches, ix, 0.8, cross_city=True)
    assert [set(a.members) for a in found] == [{"a1", "a2", "a3", "a4"}, {"b1", "b2", "b3"}]
    assert [a.alliance_id for a in found] == ["A01", "A02"]
    for a in found:
        assert len(a.cities) >= 2
        assert 0 < a.cohesion <= 1 and a.edges >= len(a.members) - 1
    # the same-city TEX triangle is a group, but not a cross-city one
    assert not any("c1" in a.members for a in found)
    assert any(set(a.members) == {"c1", "c2", "c3"} for a in nw.alliances(matches, ix, 0.8, cross_city=False))


def test_alliance_name_segments_and_gaps_follow_the_chain(ix, matches):
    a = nw.alliances(matches, ix, 0.8)[0]
    assert a.chains == ("IC",)
    assert a.name_zh == "集成电路 · 半导体材料–晶圆制造 联盟"  # the chain by its name, never its code
    assert a.name_en == "Integrated circuits · Semiconductor materials–Wafer fabrication alliance" == a.name("en")
    order = chain_order("IC")
    assert a.segments == ("IC-U3", "IC-M2")
    assert a.gaps == tuple(s for s in order if s not in {"IC-U3", "IC-M2"})
    assert set(a.segments) | set(a.gaps) == set(order)
    assert dict(a.relations)["supplier"] == 4  # a1–a2, a1–a3, a3–a4, a1–a4 (a2–a3 is production_base)


def test_alliances_do_not_depend_on_input_order(ix, matches):
    base = nw.alliances(matches, ix, 0.8)
    for seed in range(5):
        shuffled = matches.sample(frac=1.0, random_state=seed).reset_index(drop=True)
        assert nw.alliances(shuffled, ix, 0.8) == base


def test_no_party_in_two_alliances_and_size_cap_holds():
    rng = np.random.default_rng(7)
    parties = {f"o{i:03d}": ("SZN"[i % 3], (chains().chain_ids()[i % 8] + "-M1",)) for i in range(90)}
    index = fake_index(parties)
    ids = list(parties)
    rows = [(ids[i], ids[j], float(rng.uniform(0.5, 1.2)), "supplier")
            for i in range(90) for j in rng.choice(90, 5, replace=False) if i != j]
    found = nw.alliances(frame(index, rows), index, 0.7, max_size=6)
    members = [p for a in found for p in a.members]
    assert found and len(members) == len(set(members))
    assert all(3 <= len(a.members) <= 6 for a in found)


def test_threshold_changes_the_result(ix, matches):
    low = nw.alliances(matches, ix, 0.6)
    high = nw.alliances(matches, ix, 0.86)
    assert {p for a in low for p in a.members} > {p for a in high for p in a.members}
    assert nw.alliances(matches, ix, 2.0) == []


def test_filters_keep_only_chosen_chains_and_cities(ix, matches):
    found = nw.alliances(matches, ix, 0.8, cities_filter=["Shanghai", "Nantong"])
    assert all(ix.city_name[ix.id_to_row[p]] in {"Shanghai", "Nantong"} for a in found for p in a.members)
    assert nw.alliances(matches, ix, 0.8, chains_filter=["TEX"], cross_city=False)[0].chains == ("TEX",)


@pytest.mark.parametrize(("name", "value"), [("min_size", 1), ("max_size", 2), ("resolution", 0), ("min_score", "x")])
def test_bad_parameters_are_named(ix, matches, name, value):
    with pytest.raises(ValueError, match=f"'{name}' parameter of alliances"):
        nw.alliances(matches, ix, **{"min_score": 0.8, name: value})


# ----------------------------------------------------------------------------------- gap candidates
def test_gap_candidates_rank_by_strength_with_members(ix, matches):
    a = nw.alliances(matches, ix, 0.8)[0]
    c = nw.gap_candidates(a, ix, matches, per_gap=3)
    # IC-M3 (b2, b3) and IC-D1 (P1) are covered by parties that match no member: no candidates there
    assert list(dict.fromkeys(c.segment)) == [g for g in a.gaps if g in {"IC-U1", "IC-U2", "IC-M1"}]
    u1 = c[c.segment == "IC-U1"]
    # f1 matched a member (0.7); f2 covers the segment but matches nobody: no candidate (strength 0 is no fit)
    assert list(u1.candidate_id) == ["f1"] and list(u1.strength) == [0.7]
    assert u1.best_member.iloc[0] == "a1" and u1.relation.iloc[0] == "rd_partner"
    assert (c.strength >= nw.MIN_MATCH_STRENGTH).all() and (c.linked_members >= 1).all()
    assert not set(c.candidate_id) & set(a.members)
    m1 = nw.gap_candidates(a, ix, matches, exclude=["b1"])
    assert "b1" not in set(m1.candidate_id) and "IC-M1" not in set(m1.segment)  # b3 covers it, matching nobody


def test_gap_candidates_put_main_business_first_and_leave_investors_out(ix, matches):
    a = nw.alliances(matches, ix, 0.8)[0]
    codes = {"f2": "I6520", "f1": "C3985", "f3": "J6760"}  # 6520 is IC design (IC-U1, IC-M1); f3 invests
    ix.parties = pd.DataFrame({"industry_code": [codes.get(p, "") for p in ix.pid],
                               "org_type": ["investor" if p == "f3" else "enterprise" for p in ix.pid]})
    matches = pd.concat([matches, frame(ix, [("f2", "a3", 0.55, "supplier")])], ignore_index=True)  # f2 fits too
    c = nw.gap_candidates(a, ix, matches)
    u1 = c[c.segment == "IC-U1"]
    assert list(u1.candidate_id) == ["f2", "f1"] and list(u1.fit) == ["core", "named"]
    assert "f3" not in set(c.candidate_id)


def test_roster_has_one_row_per_member(ix, matches):
    found = nw.alliances(matches, ix, 0.8)
    r = nw.roster(found, ix, "en")
    assert len(r) == sum(len(a.members) for a in found)
    assert r.loc[r.member_id == "a3", "segments"].iloc[0] == "IC-U3;IC-M2"


# ------------------------------------------------------------------------------- who belongs where
def test_an_investor_hub_does_not_pull_other_chains_into_an_alliance():
    """An investor matched with pharma firms, a micro-EV project and a silk-quilt brand: the pharma
    alliance lists pharma firms only; the investor is beside it, not in it."""
    parties = {"m1": ("S", ("BIO-M1",)), "m2": ("Z", ("BIO-M2",)), "m3": ("N", ("BIO-M1", "BIO-D1")),
               "m4": ("Z", ("BIO-D1",)), "Pev": ("S", ("NEV-M1",)), "Psilk": ("N", ("TEX-M3",)), "inv": ("Z", ())}
    index = fake_index(parties)
    index.parties = pd.DataFrame({"industry_code": [""] * len(parties),
                                  "org_type": ["investor" if p == "inv" else "enterprise" for p in parties]})
    rows = [("m1", "m2", 0.95, "supplier"), ("m2", "m3", 0.9, "supplier"), ("m3", "m4", 0.9, "customer"),
            ("m4", "m1", 0.88, "supplier"), ("m1", "m3", 0.9, "rd_partner"),
            ("Pev", "inv", 1.1, "investor"), ("Psilk", "inv", 1.1, "investor"),
            ("m1", "inv", 1.0, "investor"), ("m3", "inv", 1.0, "investor"), ("Pev", "m2", 0.8, "supplier")]
    found = nw.alliances(frame(index, rows), index, 0.75)
    assert [set(a.members) for a in found] == [{"m1", "m2", "m3", "m4"}]
    assert found[0].chains == ("BIO",) and found[0].investors == ("inv",)
    assert "Pev" not in found[0].members and "Psilk" not in found[0].members


def _random_cluster(seed: int):
    rng = np.random.default_rng(seed)
    ids = [f"o{i:03d}" for i in range(80)]
    chain_ids = chains().chain_ids()
    parties = {}
    for i, p in enumerate(ids):
        picked = rng.choice(chain_ids, size=int(rng.integers(1, 3)), replace=False)
        parties[p] = ("SZN"[i % 3], tuple(f"{c}-M1" for c in picked))
    parties["inv1"] = ("S", ())
    parties["inv2"] = ("N", ())
    index = fake_index(parties)
    index.parties = pd.DataFrame({"industry_code": [""] * len(parties),
                                  "org_type": ["investor" if p.startswith("inv") else "enterprise" for p in parties]})
    every = list(parties)
    rows = [(every[i], every[j], float(rng.uniform(0.5, 1.2)), str(rng.choice(["supplier", "investor"])))
            for i in range(len(every)) for j in rng.choice(len(every), 6, replace=False) if i != j]
    return index, frame(index, rows)


@pytest.mark.parametrize("seed", range(6))
def test_every_member_belongs_to_its_alliance(seed):
    """Members share the alliance's chain, each has a strong match with another member in that chain, no
    investor is a member, no party is in two alliances, and the city counts add up to the roster."""
    index, matches = _random_cluster(seed)
    found = nw.alliances(matches, index, 0.7)
    assert found
    chains_of_party = dict(zip(index.pid, nw.party_chains(index), strict=True))
    edges = nw.alliance_edges(matches, index, 0.7)
    seen: set[str] = set()
    for a in found:
        assert len(a.chains) == 1
        members = set(a.members)
        assert not members & seen and not any(p.startswith("inv") for p in members)
        seen |= members
        for p in a.members:
            assert a.chains[0] in chains_of_party[p], (a.alliance_id, p)
            mine = edges[((edges.a == p) & edges.b.isin(members)) | ((edges.b == p) & edges.a.isin(members))]
            assert (mine.chains.str.split(";").map(lambda cs, c=a.chains[0]: c in cs)).any(), (a.alliance_id, p)
        assert sum(n for _, n in a.city_counts) == len(a.members) and len(a.city_counts) >= 2
        assert set(a.anchors) <= {c for c, _ in a.city_counts}
        assert all(p.startswith("inv") for p in a.investors)
    assert len({a.name_zh for a in found}) == len(found) and len({a.name_en for a in found}) == len(found)


def test_city_counts_say_where_the_members_are(ix, matches):
    a = nw.alliances(matches, ix, 0.8)[0]
    assert dict(a.city_counts) == {"Suzhou": 2, "Shanghai": 1, "Nantong": 1}
    assert a.city_counts[0] == ("Suzhou", 2) and a.anchors == ("Suzhou",)


def test_segment_names_carry_no_cross_reference_code():
    assert nw.segment_name("EQP-M4", "zh") == "船舶与海洋工程装备"
    assert nw.segment_name("EQP-M6", "en") == "Electronic and semiconductor equipment"
    assert all("MAR" not in nw.segment_name(s, lang) and "IC链" not in nw.segment_name(s, lang)
               for s in chains().segments for lang in ("zh", "en"))


# ------------------------------------------------------------------------------------------ drawing
def test_spring_layout_is_deterministic_and_bounded():
    edges = np.array([[0, 1], [1, 2], [2, 0], [3, 4]])
    a = nw.spring_layout(5, edges, seed=3)
    assert np.array_equal(a, nw.spring_layout(5, edges, seed=3))
    assert np.isfinite(a).all() and np.abs(a).max() <= 1 + 1e-9
    # linked nodes end closer than unlinked ones
    assert np.linalg.norm(a[3] - a[4]) < np.linalg.norm(a[0] - a[3])


def test_network_caps_nodes_and_places_edges_on_nodes(ix, matches):
    found = nw.alliances(matches, ix, 0.6)
    nodes, edges = nw.network(matches, ix, 0.6, max_nodes=5, found=found)
    assert 0 < len(nodes) <= 5
    assert set(edges.a) | set(edges.b) == set(nodes.id), "every node drawn has a link, every link two nodes"
    at = nodes.set_index("id")
    assert np.allclose(edges.x0, at.loc[edges.a, "x"].to_numpy())
    assert set(nodes.alliance) - {""} <= {a.alliance_id for a in found}
    again = nw.network(matches.iloc[::-1], ix, 0.6, max_nodes=5, found=found)[0]
    assert np.allclose(again[["x", "y"]].to_numpy(), nodes[["x", "y"]].to_numpy())
    # components do not overlap: the TEX triangle sits apart from the IC groups
    wide = nw.network(matches, ix, 0.8)[0].set_index("id")
    tex, ic = wide.loc[["c1", "c2", "c3"]], wide.loc[["a1", "a2", "a3", "a4"]]
    assert tex.x.min() > ic.x.max() or tex.x.max() < ic.x.min() or tex.y.min() > ic.y.max() or tex.y.max() < ic.y.min()


def test_network_draws_each_alliance_as_its_own_labelled_cluster():
    index, matches = _random_cluster(3)
    found = nw.alliances(matches, index, 0.7)
    nodes, edges = nw.network(matches, index, 0.7, cross_city_only=True, max_nodes=400, found=found)
    assert set(nodes.id) >= {p for a in found for p in a.members if p in set(edges.a) | set(edges.b)}
    boxes = {aid: (d.x.min(), d.x.max(), d.y.min(), d.y.max()) for aid, d in nodes[nodes.alliance != ""].groupby("alliance")}
    for a, (ax0, ax1, ay0, ay1) in boxes.items():  # no two alliances' clusters overlap
        for b, (bx0, bx1, by0, by1) in boxes.items():
            if a < b:
                assert ax1 < bx0 or bx1 < ax0 or ay1 < by0 or by1 < ay0, (a, b)
    labelled = nodes[nodes.label != ""]
    assert 0 < len(labelled) <= nw.LABELLED_NODES
    assert labelled.groupby("alliance").size().drop("", errors="ignore").max() == 1
    assert (edges.same_block == (edges.inside | ((nodes.set_index("id").alliance.loc[edges.a].to_numpy() == "")
                                                 & (nodes.set_index("id").alliance.loc[edges.b].to_numpy() == "")))).all()


# ------------------------------------------------------------------------------ with a real matcher
def test_top_matches_agree_with_single_queries(hash_embed):
    orgs, projs = synthetic(40, seed=3, projects=4)
    m = Matcher(MatchIndex(orgs, projs, hash_embed))
    top = nw.top_matches(m, 3, block=7)
    assert list(top.columns) == nw.TOP_MATCH_COLUMNS and len(top)
    for q, grp in top.groupby("query_id"):
        single = m.match(q, 3)
        assert list(grp.candidate_id) == [x.candidate_id for x in single]
        assert np.allclose(grp.score, [x.score for x in single])
    assert (top.cross_city == (top.query_city != top.candidate_city)).all()
    with pytest.raises(ValueError, match="'k' parameter of top_matches"):
        nw.top_matches(m, 0)


# ------------------------------------------------------------------------------------------------ geo
def test_district_table_counts_and_resolves_legacy_names():
    parties = pd.DataFrame({"city": ["Shanghai", "Shanghai", "Nantong", "Suzhou", "Suzhou"],
                            "district": ["浦东新区", "Pudong New Area", "海门市", "吴中", "火星区"],
                            "kind": ["organisation", "project", "organisation", "organisation", "organisation"]})
    t = district_table(parties).set_index(["city", "adcode"])
    assert t.loc[("Shanghai", "310115"), ["organisations", "projects"]].tolist() == [1, 1]
    assert t.loc[("Nantong", "320614"), "organisations"] == 1  # 海门市 is now 海门区
    assert t.loc[("Suzhou", ""), "organisations"] == 1  # unresolved: counted, not placed
    assert t.total.sum() == len(parties)
    assert t.dropna(subset=["lng"]).lng.between(119, 123).all()


def test_city_outlines_are_closed_polygons():
    o = city_outlines()
    assert set(o.city) == set(CITIES)
    for _, p in o.groupby("city"):
        assert (p.lng.iloc[0], p.lat.iloc[0]) == (p.lng.iloc[-1], p.lat.iloc[-1]) and len(p) >= 4


def _dense_reference(W, max_size, resolution):
    """The dense O(n^3) agglomeration the sparse one replaced: the brute-force check of the fast path."""
    n = len(W)
    total = W.sum()
    if n == 0 or total <= 0:
        return [[i] for i in range(n)]
    C = W / total
    a = C.sum(axis=1)
    size = np.ones(n, dtype=np.int64)
    alive = np.ones(n, dtype=bool)
    groups = {i: [i] for i in range(n)}
    while True:
        idx = np.flatnonzero(alive)
        sub = C[np.ix_(idx, idx)]
        dq = np.round(2 * (sub - resolution * np.outer(a[idx], a[idx])), 12)
        ok = (sub > 0) & (size[idx][:, None] + size[idx][None, :] <= max_size)
        ok &= np.triu(np.ones_like(ok), k=1)
        dq = np.where(ok, dq, -np.inf)
        flat = int(np.argmax(dq))
        if not np.isfinite(dq.flat[flat]) or dq.flat[flat] <= 1e-12:
            break
        i, j = idx[flat // len(idx)], idx[flat % len(idx)]
        C[i, :] += C[j, :]
        C[:, i] += C[:, j]
        C[j, :] = 0
        C[:, j] = 0
        a[i] += a[j]
        size[i] += size[j]
        alive[j] = False
        groups[i] += groups.pop(j)
    return sorted(sorted(g) for g in groups.values())


@pytest.mark.parametrize("seed", range(12))
def test_sparse_modularity_equals_the_dense_reference(seed):
    from scipy.sparse import csr_matrix

    from matchmaking.network.communities import _greedy_modularity

    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 40))
    W = np.triu(rng.random((n, n)) * (rng.random((n, n)) < 0.15), k=1)
    W = np.round(W + W.T, 3)
    cap = int(rng.integers(3, 12))
    assert sorted(_greedy_modularity(csr_matrix(W), cap, 1.0)) == _dense_reference(W.copy(), cap, 1.0)


def test_alliances_refuse_a_graph_too_large_to_group(monkeypatch):
    rng = np.random.default_rng(1)
    n = 60
    ids = [f"P{i:03d}" for i in range(n)]
    cities = ["Shanghai", "Suzhou", "Nantong"]
    rows = [{"query_id": ids[a], "candidate_id": ids[b], "rank": 1, "score": 0.9, "relation": "supplier",
             "query_city": cities[a % 3], "candidate_city": cities[b % 3], "cross_city": a % 3 != b % 3}
            for a, b in rng.integers(0, n, (200, 2)) if a != b]
    matches = pd.DataFrame(rows)
    monkeypatch.setattr(alliances_module, "ALLIANCE_NODE_LIMIT", 10)
    assert nw.strong_parties(matches, 0.75) > 10
    with pytest.raises(ValueError, match="filter by chain or city, or raise min_score"):
        nw.alliances(matches, SimpleNamespace(), 0.75)
