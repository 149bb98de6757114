"""``hst embed --engine ray`` and ``hst match --all --engine ray``: the same pure block functions as the
local path (``matching.batch.match_all_blocks``, ``embedding.encode_block``), run in Ray actors.

Each actor receives the index (or loads the model) once, then maps blocks; blocks are the local path's
own blocks (64 queries, 512 texts) and come back in order, so the result is the local result. By default
the engine starts a local cluster sized to the machine and listening on loopback only; ``address`` joins
a running cluster instead (``ray start --head`` elsewhere, or ``auto``).

Nothing leaves the machine: usage statistics are off (``RAY_USAGE_STATS_ENABLED=0``, set here before
Ray is imported, whatever the environment says), no dashboard, and a local cluster binds 127.0.0.1.
This module must not decide anything about matching: it only moves blocks.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["RayEngine", "RayEngineError", "RaySettings", "default_object_store_mb"]

#: the environment variables that choose the embedder (``embedding.load_embedder``): handed to each actor
_EMBED_ENV = ("HST_EMBED_MODEL", "HST_EMBED_DTYPE", "HST_EMBED_ADAPTER")
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class RayEngineError(RuntimeError):
    """Ray is missing, or the cluster cannot be started or joined; the message says what to do."""


def default_object_store_mb() -> int:
    """A tenth of the machine's memory, between 256 MB and 4 GB (2.4 GB on a 2-core / 24 GB box): room
    for the index of 100,000 parties twice over, leaving the rest to the workers' own arrays."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError):
        total = 8192
    return int(min(4096, max(256, total // 10)))


@dataclass(frozen=True)
class RaySettings:
    """How to reach Ray. ``address``: None starts a local cluster (``num_cpus``: default all cores;
    ``object_store_mb``: default ``default_object_store_mb()``); otherwise ``host:port``, ``ray://…``
    or ``auto``, and the cluster's own sizes apply."""

    address: str | None = None
    num_cpus: int | None = None
    object_store_mb: int | None = None

    def __post_init__(self) -> None:
        if self.address is not None and (not isinstance(self.address, str) or not self.address.strip()):
            raise ValueError(f"The 'address' parameter of RaySettings must be None (start a local cluster), "
                             f"'auto', 'host:port' or 'ray://host:port'. Got {self.address!r} instead.")
        if self.num_cpus is not None and (not isinstance(self.num_cpus, int) or not 1 <= self.num_cpus <= 1024):
            raise ValueError(f"The 'num_cpus' parameter of RaySettings must be None or an int in [1, 1024]. "
                             f"Got {self.num_cpus!r} instead.")
        if self.object_store_mb is not None and (not isinstance(self.object_store_mb, int)
                                                 or not 80 <= self.object_store_mb <= 1_048_576):
            raise ValueError(f"The 'object_store_mb' parameter of RaySettings must be None or an int in "
                             f"[80, 1048576] (Ray needs at least 78 MB). Got {self.object_store_mb!r} instead.")

    @property
    def loopback(self) -> bool:
        """A local cluster, or one on this machine's loopback address: this process joins as 127.0.0.1."""
        if self.address is None:
            return True
        host = self.address.removeprefix("ray://").rsplit(":", 1)[0].strip("[]")
        return host in _LOOPBACK


def _import_ray(loopback: bool) -> Any:
    """Ray, imported with the project's settings in the environment (they are read at import)."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"  # the project's choice, not the user's: nothing leaves
    if loopback:
        # the node's address is the loopback address, not the first network interface's (Ray reads this
        # once, at import: a process that imported Ray before keeps its choice)
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    try:
        import ray
        from ray._private import ray_constants
    except ImportError as exc:
        raise RayEngineError("--engine ray needs Ray: pip install -e '.[ray]' (ray>=2.60)") from exc
    if loopback:
        # a process that imported Ray before read the variable then: the same switch, where Ray reads it on
        # every call (``services.get_node_ip_address``)
        ray_constants.ENABLE_RAY_CLUSTER = False
    return ray


def _one_thread() -> None:
    """One actor per core: no thread oversubscription (torch's or BLAS's), as the forked workers."""
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    threadpool_limits(1)


class _MatchWorker:
    """Holds one matcher (deserialised once) and maps blocks of query rows to their rows of matches."""

    def __init__(self, matcher: Any) -> None:
        import gc

        _one_thread()
        self.matcher = matcher
        gc.freeze()  # the index's objects out of the collector's reach for the actor's life (as ``batch.match_all``)

    def block(self, rows: list[int], top_k: int, with_reasons: bool) -> Any:
        import pandas as pd

        from ..matching.batch import match_all_blocks

        frames = list(match_all_blocks(self.matcher, rows, top_k, block=max(len(rows), 1),
                                       with_reasons=with_reasons))
        return frames[0] if frames else pd.DataFrame()


class _EmbedWorker:
    """Loads the embedder once (chosen by the driver's ``HST_EMBED_*``) and encodes blocks of texts."""

    def __init__(self, env: dict[str, str], model_id: str, threads: int) -> None:
        import torch

        # the driver's thread count: a bf16 model's last bits depend on how its products are split over
        # threads (one thread or two moved 925 of 2,389 e5 vectors by up to 3e-7), so the same split
        torch.set_num_threads(threads)
        for k in _EMBED_ENV:
            if k in env:
                os.environ[k] = env[k]
            else:
                os.environ.pop(k, None)
        from ..embedding import load_embedder

        self.embedder = load_embedder()
        if self.embedder.model_id != model_id:
            raise RayEngineError(f"a Ray worker loaded the embedder {self.embedder.model_id!r}, the driver "
                                 f"{model_id!r}: the cluster's nodes must have the same model files")

    def encode(self, texts: list[str], role: str) -> np.ndarray:
        from ..embedding import encode_block

        return encode_block(self.embedder, texts, role)


class RayEmbedder:
    """An ``Embedder`` whose blocks are encoded by Ray actors: the same ``model_id`` (so the vector cache
    is shared with the local path) and ``encode_blocks`` for ``EmbeddingCache`` to hand it every block
    at once; the blocks come back in order."""

    def __init__(self, engine: RayEngine, embedder: Any) -> None:
        self.engine = engine
        self.model_id: str = embedder.model_id
        self.dim: int = embedder.dim
        self._pool: Any = None

    def _actors(self) -> Any:
        if self._pool is None:
            ray = self.engine.ray
            import torch
            from ray.util import ActorPool

            env = {k: os.environ[k] for k in _EMBED_ENV if k in os.environ}
            # each actor encodes as this process would, with as many threads (and CPUs) as it has: the
            # vectors are the local ones to the last bit; a cluster adds actors, not threads
            threads = max(1, min(torch.get_num_threads(), self.engine.workers()))
            cls = ray.remote(num_cpus=threads)(_EmbedWorker)
            n = max(1, self.engine.workers() // threads)
            self._pool = ActorPool([cls.remote(env, self.model_id, threads) for _ in range(n)])
        return self._pool

    def encode(self, texts: Sequence[str], role: str = "passage") -> np.ndarray:
        return next(self.encode_blocks([list(texts)], role))

    def encode_blocks(self, blocks: Sequence[Sequence[str]], role: str) -> Iterator[np.ndarray]:
        """The vectors of each block, in order, as they are done."""
        yield from self._actors().map(lambda a, b: a.encode.remote(list(b), role), list(blocks))


class RayEngine:
    """A Ray cluster that runs the block functions. Use as a context manager: a cluster this engine
    started is shut down on exit; one it joined (or found running in this process) is left alone."""

    def __init__(self, settings: RaySettings | None = None) -> None:
        self.settings = settings or RaySettings()
        self.ray: Any = None
        self.owned_ = False

    # ------------------------------------------------------------------ the cluster
    def start(self) -> RayEngine:
        s = self.settings
        ray = _import_ray(s.loopback)
        self.ray = ray
        if ray.is_initialized():
            return self
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
        try:
            if s.address is None:
                ray.init(num_cpus=s.num_cpus or os.cpu_count() or 1,
                         object_store_memory=(s.object_store_mb or default_object_store_mb()) * 2**20,
                         _node_ip_address="127.0.0.1", **kwargs)
            else:
                ray.init(address=s.address, **kwargs)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = "start a local Ray cluster" if s.address is None else f"join the Ray cluster at {s.address!r}"
            raise RayEngineError(f"cannot {where}: {exc}") from exc
        self.owned_ = True
        return self

    def stop(self) -> None:
        if self.owned_ and self.ray is not None:
            self.ray.shutdown()
        self.owned_ = False

    def __enter__(self) -> RayEngine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def workers(self) -> int:
        """One actor per CPU of the cluster."""
        if self.ray is None:
            raise RayEngineError("the Ray engine is not started: use it as `with RayEngine(...) as engine:`")
        return max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    @property
    def address(self) -> str:
        """The cluster's GCS address (``host:port``): what ``--address`` joins."""
        return str(self.ray.get_runtime_context().gcs_address)

    # ------------------------------------------------------------------ the block functions
    def embedder(self, embedder: Any) -> RayEmbedder:
        """``embedder`` with its blocks encoded by this cluster's actors (for ``EmbeddingCache``)."""
        return RayEmbedder(self, embedder)

    def match_all(self, matcher: Any, rows: Sequence[int], top_k: int, block: int = 64,
                  with_reasons: bool = True) -> Any:
        """``matching.match_all`` on the cluster: the index put in the object store once, one actor per
        CPU deserialising it once, the local path's blocks mapped over them in order."""
        import pandas as pd
        from ray.util import ActorPool

        from ..matching import MATCH_ROW_COLUMNS

        ray = self.ray
        if ray is None:
            raise RayEngineError("the Ray engine is not started: use it as `with RayEngine(...) as engine:`")
        blocks = [list(map(int, rows[i:i + block])) for i in range(0, len(rows), block)]
        frames: list[pd.DataFrame] = []
        if blocks:
            ref = ray.put(matcher)
            cls = ray.remote(num_cpus=1)(_MatchWorker)
            actors = [cls.remote(ref) for _ in range(min(self.workers(), len(blocks)))]
            try:
                pool = ActorPool(actors)
                frames = [f for f in pool.map(lambda a, b: a.block.remote(b, top_k, with_reasons), blocks)
                          if len(f)]
            finally:
                for a in actors:
                    ray.kill(a)
                del ref
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=MATCH_ROW_COLUMNS)
