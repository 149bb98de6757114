"""Embedding vectors keyed by model and text hash: a vector once computed is never computed again, and a
changed model has another id, so vectors of two models are never mixed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from .connection import Connection

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Embeddings"]


class Embeddings(Connection):
    """The ``embeddings`` table."""

    def get_vectors(self, model_id: str, text_hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors of ``model_id`` for these text hashes (missing ones are simply absent)."""
        if not len(text_hashes):
            return {}
        with self._cursor() as cur:
            cur.register("wanted_hashes", pa.table({"h": pa.array(list(dict.fromkeys(text_hashes)),
                                                                  type=pa.string())}))
            rows = cur.execute("""SELECT text_hash, vector FROM embeddings
                WHERE model_id = ? AND text_hash IN (SELECT h FROM wanted_hashes)""", [model_id]).fetchall()
        return {h: np.frombuffer(v, dtype=np.float32) for h, v in rows}

    def put_vectors(self, model_id: str, text_hashes: Sequence[str], vectors: np.ndarray) -> int:
        """Store vectors (float32) for text hashes; existing (model, hash) pairs are left as they are."""
        if not len(text_hashes):
            return 0
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        first: dict[str, bytes] = {}
        for h, row in zip(text_hashes, vectors, strict=True):
            first.setdefault(h, row.tobytes())
        frame = pa.table({"h": pa.array(list(first), type=pa.string()),
                          "v": pa.array(list(first.values()), type=pa.binary())})
        with self._transaction() as cur:
            cur.register("new_vectors", frame)
            before = cur.execute("SELECT count(*) FROM embeddings WHERE model_id = ?", [model_id]).fetchall()[0][0]
            cur.execute("""INSERT INTO embeddings
                SELECT ?, h, ?, v, now() FROM new_vectors
                WHERE h NOT IN (SELECT text_hash FROM embeddings WHERE model_id = ?)""",
                        [model_id, int(vectors.shape[1]), model_id])
            after = cur.execute("SELECT count(*) FROM embeddings WHERE model_id = ?", [model_id]).fetchall()[0][0]
            cur.unregister("new_vectors")
        return int(after - before)

    def embedding_models(self) -> pd.DataFrame:
        with self._cursor() as cur:
            return cur.execute("SELECT model_id, dim, count(*) AS n FROM embeddings GROUP BY ALL ORDER BY 1").df()

    def delete_vectors(self, model_id: str) -> int:
        with self._transaction() as cur:
            n = cur.execute("SELECT count(*) FROM embeddings WHERE model_id = ?", [model_id]).fetchall()[0][0]
            cur.execute("DELETE FROM embeddings WHERE model_id = ?", [model_id])
        return int(n)
