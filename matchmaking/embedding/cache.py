"""Vectors for texts, read from the store when present, encoded in blocks and stored when not.

The cache key of a text is its role and text (``text_key``) under the embedder's model id. The store is
anything with ``get_vectors`` / ``put_vectors`` (``store.Store``): this module never talks to DuckDB.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .models import ROLES, Embedder

__all__ = ["EmbeddingCache", "VectorStore", "text_key", "encode_block"]


class VectorStore(Protocol):
    def get_vectors(self, model_id: str, text_hashes: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_vectors(self, model_id: str, text_hashes: Sequence[str], vectors: np.ndarray) -> int: ...


def text_key(text: str, role: str) -> str:
    """The cache key of one text in one role."""
    return hashlib.blake2b(f"{role}\x1f{text}".encode(), digest_size=12).hexdigest()


def encode_block(embedder: Embedder, texts: Sequence[str], role: str) -> np.ndarray:
    """A pure function from a block of texts to their vectors: the unit a distributed run maps over."""
    return embedder.encode(list(texts), role=role)


@dataclass
class EmbeddingCache:
    """Vectors for texts, read from the store when present, encoded (in blocks) and stored when not."""

    store: VectorStore
    embedder: Embedder
    block_size: int = 512
    progress: bool | None = None  # None: a progress bar only when stderr is a terminal
    encoded: int = 0  # texts encoded (not found in the store) by this cache so far
    asked: set[str] = field(default_factory=set)  # the keys of every text asked for so far


    def vectors(self, texts: Sequence[str], role: str) -> np.ndarray:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, got {role!r}")
        keys = [text_key(t, role) for t in texts]
        self.asked.update(keys)
        found = self.store.get_vectors(self.embedder.model_id, keys)
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            # longest first over the whole set, as sentence-transformers does within one call: each block
            # then holds texts of similar length and pads little
            missing.sort(key=lambda k: -len(by_key[k]))
            todo = [by_key[k] for k in missing]
            show = self.progress if self.progress is not None else sys.stderr.isatty()
            bar = None
            if show:
                from tqdm import tqdm

                bar = tqdm(total=len(todo), desc=f"embedding ({self.embedder.model_id})", unit="text",
                           file=sys.stderr)
            blocks = [todo[i:i + self.block_size] for i in range(0, len(todo), self.block_size)]
            # an engine (``engines.ray_engine.RayEmbedder``) encodes every block at once, in order
            many = getattr(self.embedder, "encode_blocks", None)
            done = many(blocks, role) if many is not None else (encode_block(self.embedder, b, role) for b in blocks)
            for i, block, vecs in zip(range(0, len(todo), self.block_size), blocks, done, strict=True):
                self.store.put_vectors(self.embedder.model_id, missing[i:i + self.block_size], vecs)
                found.update(zip(missing[i:i + self.block_size], vecs, strict=True))
                self.encoded += len(block)
                if bar is not None:
                    bar.update(len(block))
            if bar is not None:
                bar.close()
        if not keys:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        return np.vstack([found[k] for k in keys]).astype(np.float32, copy=False)
