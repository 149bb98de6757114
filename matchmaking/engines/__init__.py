"""Engines that run the pure block functions of matching and embedding beyond one process.

- ``ray_engine``: ``RayEngine`` — a Ray cluster (a local one sized to the machine, or one joined by
  address) running ``matching.batch.match_all_blocks`` and ``embedding.encode_block`` in actors that
  hold the index (or the model) once each. Ray is an optional extra (``pip install -e '.[ray]'``);
  nothing here imports it until an engine starts.

The local engine is the library itself (``matching.match_all``, ``embedding.EmbeddingCache``); an
engine changes where the blocks run, never what they compute.
"""

from .ray_engine import RayEngine, RayEngineError, RaySettings

__all__ = ["RayEngine", "RayEngineError", "RaySettings"]
