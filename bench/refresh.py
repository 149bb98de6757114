"""Benchmark of the index kept fresh (issue 12, item 3; not a test): after an upload, the build that reuses
the previous index (``MatchIndex(previous=...)``: only new or changed texts read again) against a build
from scratch of the same data, in the same run, on the same store.

The database is ``bench.scale``'s (``make_profiles(N)`` + N/10 projects through the real ``hst ingest``,
``HST_EMBED_MODEL=hash`` vectors), copied so the upload does not change it. Then, in this process, best of
``--repeat`` each:

1. a build from scratch before the upload (``services.build_matcher(..., reuse=False)``), kept beside the
   database as the app and the CLI keep it;
2. the upload: ``--new`` new organisations and ``--changed`` changed ones (their offers rewritten), one CSV
   through ``services.ingest_file``;
3. the incremental build with the previous index in memory (what the app's background refresh does),
   and with the previous build's memo read from beside the kept file (what ``hst match`` does after an
   upload);
4. a build from scratch of the uploaded data — the baseline of the ratio;
5. the check: every sampled query's top 10 (ids, scores) is the same from 3 and 4.

    python -m bench.refresh [--size 10000] [--new 20] [--changed 20] [--repeat 2] [--work DIR]

Run it with ``nice``: the machine is shared, so only ratios measured in the same run mean anything.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HST_EMBED_MODEL", "hash")
os.environ.setdefault("HST_EMBED_ADAPTER", "none")


def upload_csv(work: Path, n: int, new: int, changed: int) -> Path:
    """``new`` organisations that are not stored and ``changed`` stored ones with other offers."""
    import pandas as pd

    from bench.matching import make_profiles

    stored = pd.read_csv(work / f"organisations_{n}.csv", dtype=str, keep_default_na=False)
    fresh = make_profiles(new, seed=4242)[0]
    fresh = fresh[~fresh.credit_code.isin(stored.credit_code)].assign(
        name=[f"新上传企业{i}" for i in range(len(fresh))], partner_types="supplier;customer")
    edit = stored.iloc[100:100 + changed].copy()
    edit["offers"] = edit["offers"] + "；新建一条自动化产线，年产能扩大约50%"
    path = work / f"upload_{n}_{new}_{changed}.csv"
    pd.concat([edit, fresh[list(stored.columns)].astype(str)], ignore_index=True).to_csv(path, index=False)
    return path


def top10(index, rows: list[int]) -> list:
    from matchmaking.matching import Matcher

    return [[(m.candidate_id, m.score) for m in ms] for ms in Matcher(index).match_block(rows, 10)]


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def measure(work: Path, n: int, new: int, changed: int, repeat: int, sample: int = 400) -> dict:
    from bench.scale import prepare
    from matchmaking.embedding import load_embedder
    from matchmaking.matching.persist import IndexFiles
    from matchmaking.services import build_matcher, ingest_file
    from matchmaking.store import Store

    source = prepare(work, n)[0]
    db = work / f"refresh_{n}.duckdb"
    embedder = load_embedder("hash")
    csv = upload_csv(work, n, new, changed)
    runs: dict[str, list[float]] = {"full_before_s": [], "incremental_s": [], "incremental_from_file_s": [],
                                    "full_after_s": []}
    for _ in range(repeat):
        shutil.copy(source, db)
        shutil.rmtree(db.with_name(db.name + ".index"), ignore_errors=True)
        with Store(db) as store:
            t, before = timed(lambda: build_matcher(store, embedder, progress=False, reuse=False))
            runs["full_before_s"].append(t)
            report = ingest_file(store, csv, "organisations")
            assert (report.new, report.updated) == (new, changed), report
            t, inc = timed(lambda b=before: build_matcher(store, embedder, progress=False, keep=False, previous=b.index))
            runs["incremental_s"].append(t)
            # what ``build_matcher`` does after an upload without a previous index in memory (timed without
            # saving the new index, as the other builds here)
            t, from_file = timed(lambda: build_matcher(store, embedder, progress=False, keep=False,
                                                       previous=IndexFiles.beside(db).newest_memo()))
            assert from_file.index.memo.reused > 0
            runs["incremental_from_file_s"].append(t)
            t, scratch = timed(lambda: build_matcher(store, embedder, progress=False, keep=False, reuse=False))
            runs["full_after_s"].append(t)
    rows = sorted(np.random.default_rng(0).choice(scratch.index.query_rows(), sample, replace=False).tolist())
    same = top10(inc.index, rows) == top10(scratch.index, rows) == top10(from_file.index, rows)
    best = {k: min(v) for k, v in runs.items()}
    return {"n": n, "parties": scratch.index.n, "new": new, "changed": changed, **best,
            "ratio": best["incremental_s"] / best["full_after_s"],
            "ratio_from_file": best["incremental_from_file_s"] / best["full_after_s"],
            "texts_read_again": inc.index.memo.computed, "texts_reused": inc.index.memo.reused,
            "same_top10": same, "queries_checked": len(rows), "runs": runs}


def main(argv: list[str] | None = None) -> int:
    from bench.scale import cpu_model

    ap = argparse.ArgumentParser(description="incremental index build after an upload vs a build from scratch")
    ap.add_argument("--size", type=int, default=10000)
    ap.add_argument("--new", type=int, default=20)
    ap.add_argument("--changed", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--work", type=Path, default=Path("/tmp/hst-bench-scale"))
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print(cpu_model())
    r = measure(args.work, args.size, args.new, args.changed, args.repeat)
    print(f"N={r['n']:,} ({r['parties']:,} parties), upload of {r['new']} new + {r['changed']} changed: "
          f"build from scratch {r['full_after_s']:.1f} s; incremental {r['incremental_s']:.1f} s "
          f"({r['ratio']:.2f}x), from the kept file {r['incremental_from_file_s']:.1f} s ({r['ratio_from_file']:.2f}x); "
          f"{r['texts_read_again']:,} texts read again, {r['texts_reused']:,} reused; "
          f"same top 10 for {r['queries_checked']} sampled queries: {r['same_top10']}")
    print(json.dumps(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
