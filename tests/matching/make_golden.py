"""Regenerate the golden top-3 of the demo data (only when the engine, the data or the default model
changes on purpose; review the diff before committing it).

    python -m tests.matching.make_golden [DB]    # DB: a demo database with embeddings (built if absent)

Two files: ``demo_vectors.npz`` holds the default model's vectors of every demo statement (float16),
and ``demo_top3.json`` the top-3 of 40 fixed queries ranked from those vectors. A 4-bit or bf16 kernel
gives slightly different vectors on different CPUs (AMX, AVX-512, AVX2), so the ranking is checked on
the stored vectors, which are the same everywhere; that the model on this CPU still gives those vectors
(to a cosine of 0.99) is a test of its own (``test_golden.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from matchmaking.embedding import EmbeddingCache, load_embedder, text_key
from matchmaking.matching import Matcher, MatchIndex
from matchmaking.store import Store

GOLDEN = Path(__file__).parent / "golden" / "demo_top3.json"
VECTORS = Path(__file__).parent / "golden" / "demo_vectors.npz"
QUERIES = 40


class FrozenVectors:
    """The stored vectors of the demo statements, as an ``embed(texts, role)`` function for ``MatchIndex``."""

    def __init__(self, path: Path = VECTORS) -> None:
        data = np.load(path, allow_pickle=False)
        self.model_id = str(data["model_id"])
        vecs = data["vectors"].astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        self._rows = {k: i for i, k in enumerate(data["keys"].tolist())}
        self.vectors = vecs

    def __call__(self, texts, role: str) -> np.ndarray:
        missing = [t for t in texts if text_key(t, role) not in self._rows]
        if missing:
            raise KeyError(f"{len(missing)} demo statements have no stored vector (e.g. {missing[0]!r}): the demo "
                           "data changed; run python -m tests.matching.make_golden")
        return self.vectors[[self._rows[text_key(t, role)] for t in texts]]


def golden_queries() -> list[str]:
    """Every 11th labelled-query id in sorted order: spread over chains, cities and languages."""
    import pandas as pd

    from matchmaking.reference import demo_dir

    labels = pd.read_csv(demo_dir() / "labels.csv", dtype=str)
    ids = sorted(set(labels.query_id))
    return ids[::11][:QUERIES]


def demo_index(db: Path, embed=None) -> MatchIndex:
    """The demo profiles of ``db`` indexed with ``embed`` (default: the stored vectors)."""
    embed = embed or FrozenVectors()
    store = Store(db, read_only=True)
    orgs = store.profiles("organisations", include_private=False)
    projects = store.profiles("projects", include_private=False)
    store.close()
    return MatchIndex(orgs, projects, embed, model_id=getattr(embed, "model_id", ""))


def compute(db: Path) -> dict:
    """The golden top-3 of the demo profiles in ``db``, ranked from the stored vectors."""
    frozen = FrozenVectors()
    matcher = Matcher(demo_index(db, frozen))
    out = {q: [[m.candidate_id, round(m.score, 4), m.relation] for m in matcher.match(q, 3)]
           for q in golden_queries()}
    return {"model": frozen.model_id, "top3": out}


def freeze_vectors(db: Path) -> None:
    """Store the default model's vectors of every demo text the index reads (read from ``db``'s cache).

    The index reads the statements, their clauses and the objects left of them once qualifiers are told
    apart (``matching.objects``); which objects those are depends on the vectors, so the index is built
    again from the stored (float16) vectors until it asks for no text they lack."""
    store = Store(db, read_only=True)
    embedder = load_embedder()
    cache = EmbeddingCache(store, embedder)
    seen: dict[str, np.ndarray] = {}

    def save() -> None:
        keys = sorted(seen)
        np.savez_compressed(VECTORS, keys=np.array(keys),
                            vectors=np.vstack([seen[k] for k in keys]).astype(np.float16),
                            model_id=np.array(embedder.model_id))

    def record(texts, role):
        vecs = cache.vectors(texts, role)  # the index writes into what it is given (objects): keep a copy
        seen.update(zip((text_key(t, role) for t in texts), vecs.copy(), strict=True))
        return vecs

    demo_index(db, record)
    save()
    for _ in range(5):
        added: list[str] = []

        def frozen_or_new(texts, role, added=added):
            # what FrozenVectors would return: float16 stored, read back as float32 and normalised
            new = [t for t in texts if text_key(t, role) not in seen]
            if new:
                added.extend(new)
                seen.update(zip((text_key(t, role) for t in new), embedder.encode(new, role).copy(), strict=True))
            if not texts:
                return np.zeros((0, embedder.dim), np.float32)
            v = np.vstack([seen[text_key(t, role)] for t in texts]).astype(np.float16).astype(np.float32)
            return v / np.linalg.norm(v, axis=1, keepdims=True)

        demo_index(db, frozen_or_new)
        if not added:
            break
        save()
    store.close()


def main(argv: list[str]) -> int:
    if argv:
        db = Path(argv[0])
    else:
        db = Path(tempfile.mkdtemp()) / "demo.duckdb"
        for args in (["init", "--demo"], ["embed"]):
            subprocess.run([sys.executable, "-m", "matchmaking.cli", "--db", str(db), *args], check=True)
    freeze_vectors(db)
    GOLDEN.write_text(json.dumps(compute(db), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {VECTORS} and {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
