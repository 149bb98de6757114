"""The Ray engine on a real local Ray cluster (2 CPUs, loopback only, no dashboard, usage statistics
off), shared by this module: the same block functions give exactly the local results — in the library
and through ``hst embed --engine ray`` / ``hst match --all --engine ray --address`` — and bad settings say
what was wrong. The hash embedder keeps it fast; no mocks."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hst_testing import hst

from matchmaking.embedding import EmbeddingCache, HashEmbedder
from matchmaking.engines import RayEngine, RaySettings
from matchmaking.engines.ray_engine import RayEngineError
from matchmaking.matching import Matcher, MatchIndex, match_all
from matchmaking.store import Store

from .conftest import synthetic

# Ray is imported by the engine itself, with the project's settings (not here first)
pytestmark = pytest.mark.skipif(importlib.util.find_spec("ray") is None,
                                reason="the [ray] extra: pip install -e '.[ray]'")

HASH = {"HST_EMBED_MODEL": "hash", "HST_EMBED_ADAPTER": "none"}


@pytest.fixture(scope="module")
def engine():
    """One local 2-CPU cluster for the whole module (starting one costs seconds)."""
    with RayEngine(RaySettings(num_cpus=2, object_store_mb=256)) as e:
        yield e


@pytest.fixture(scope="module")
def matcher():
    orgs, projects = synthetic(160, seed=3, projects=12)
    emb = HashEmbedder(128)
    return Matcher(MatchIndex(orgs, projects, emb.encode, model_id=emb.model_id))


def test_the_cluster_is_local_loopback_and_sends_nothing(engine):
    assert os.environ["RAY_USAGE_STATS_ENABLED"] == "0"
    host = engine.address.rsplit(":", 1)[0]
    assert host == "127.0.0.1"
    assert {n["NodeManagerAddress"] for n in engine.ray.nodes() if n["Alive"]} == {"127.0.0.1"}
    assert engine.workers() == 2


def test_match_all_on_ray_is_the_local_result(engine, matcher):
    rows = matcher.index.query_rows()
    local = match_all(matcher, rows, 5, workers=1, block=16)
    on_ray = engine.match_all(matcher, rows, 5, block=16)
    assert len(local) > 100
    # same candidates at every rank, same relation and reasons; scores equal to 1e-5
    cols = ["query_id", "rank", "candidate_id", "relation", "reasons", "candidate_reasons"]
    pd.testing.assert_frame_equal(on_ray[cols], local[cols])
    assert np.allclose(on_ray.score.to_numpy(float), local.score.to_numpy(float), atol=1e-5, rtol=0)


def test_match_all_without_queries_is_an_empty_table(engine, matcher):
    assert engine.match_all(matcher, [], 5).empty


def test_embedding_on_ray_is_the_local_encoding_in_the_same_blocks(engine, tmp_path):
    texts = [f"提供光刻胶 {i} 号，年产能{i}万件" if i % 2 else f"We supply photoresist grade {i}" for i in range(70)]
    local_emb = HashEmbedder(64)
    ray_emb = engine.embedder(local_emb)
    assert ray_emb.model_id == local_emb.model_id
    os.environ.update(HST_EMBED_MODEL="hash:64", HST_EMBED_ADAPTER="none")  # what the actors load
    try:
        stores = {name: Store(tmp_path / f"{name}.duckdb") for name in ("local", "ray")}
        got = {}
        for name, emb in (("local", local_emb), ("ray", ray_emb)):
            cache = EmbeddingCache(stores[name], emb, block_size=16, progress=False)  # five blocks
            got[name] = cache.vectors(texts, "passage")
            assert cache.encoded == len(texts)
            stores[name].close()
    finally:
        for k in HASH:
            os.environ.pop(k, None)
    assert np.array_equal(got["ray"], got["local"])


def test_cli_embed_and_match_all_on_ray_give_the_local_matches(engine, tmp_path):
    db_local, db_ray = tmp_path / "local.duckdb", tmp_path / "ray.duckdb"
    orgs, projects = synthetic(120, seed=8, projects=8)
    orgs.assign(partner_types=orgs.partner_types.map(";".join)).to_csv(tmp_path / "orgs.csv", index=False)
    projects.to_csv(tmp_path / "projects.csv", index=False)
    hst(db_local, "init", env=HASH)
    hst(db_local, "ingest", str(tmp_path / "orgs.csv"), "--kind", "organisations", env=HASH)
    hst(db_local, "ingest", str(tmp_path / "projects.csv"), "--kind", "projects", env=HASH)
    shutil.copy(db_local, db_ray)  # the same profiles
    assert not db_local.with_name(db_local.name + ".wal").exists()  # all of it is in the file copied
    hst(db_local, "embed", env=HASH)
    out = hst(db_ray, "embed", "--engine", "ray", "--address", engine.address, env=HASH)
    assert "encoded now" in out.stdout
    local_csv, ray_csv = tmp_path / "local.csv", tmp_path / "ray.csv"
    hst(db_local, "match", "--all", "--out", str(local_csv), env=HASH)
    hst(db_ray, "match", "--all", "--engine", "ray", "--address", engine.address, "--out", str(ray_csv), env=HASH)
    local, on_ray = pd.read_csv(local_csv, dtype=str), pd.read_csv(ray_csv, dtype=str)
    assert len(local) > 500
    pd.testing.assert_frame_equal(on_ray.drop(columns="score"), local.drop(columns="score"))
    assert np.allclose(on_ray.score.astype(float), local.score.astype(float), atol=1e-5, rtol=0)


@pytest.mark.parametrize(("args", "says"), [
    (["match", "--all", "--out", "x.csv", "--address", "127.0.0.1:6379"], "--address is for --engine ray"),
    (["match", "--all", "--out", "x.csv", "--engine", "ray", "--workers", "2"], "--workers is for --engine local"),
    (["match", "--id", "X", "--engine", "ray"], "are for match --all"),
    (["match", "--all", "--out", "x.csv", "--engine", "ray", "--address", " "], "--address must be"),
])
def test_cli_says_what_was_wrong(tmp_path: Path, args, says):
    db = tmp_path / "hst.duckdb"
    hst(db, "init", env=HASH)
    out = hst(db, *args, env=HASH, check=False)
    assert out.returncode != 0 and says in out.stderr, out.stderr


@pytest.mark.parametrize(("kwargs", "says"), [
    ({"num_cpus": 0}, "'num_cpus' parameter of RaySettings must be None or an int in [1, 1024]. Got 0"),
    ({"object_store_mb": 10}, "'object_store_mb' parameter of RaySettings must be None or an int in [80"),
    ({"address": ""}, "'address' parameter of RaySettings must be None"),
])
def test_bad_settings_name_the_parameter_the_value_and_what_is_allowed(kwargs, says):
    with pytest.raises(ValueError, match=None) as err:
        RaySettings(**kwargs)
    assert says in str(err.value)


def test_an_engine_not_started_says_how_to_start_it(matcher):
    with pytest.raises(RayEngineError, match="not started"):
        RayEngine().match_all(matcher, [0], 5)
