"""Regenerate the golden top-3 of the demo data (only when the engine, the data or the default model
changes on purpose; review the diff before committing it).

    python -m tests.matching.make_golden [DB]    # DB: a demo database with embeddings (built if absent)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from matchmaking.service import build_matcher
from matchmaking.store import Store

GOLDEN = Path(__file__).parent / "golden" / "demo_top3.json"
QUERIES = 40


def golden_queries(store: Store) -> list[str]:
    """Every 11th labelled-query id in sorted order: spread over chains, cities and languages."""
    import pandas as pd

    from matchmaking.paths import demo_dir

    labels = pd.read_csv(demo_dir() / "labels.csv", dtype=str)
    ids = sorted(set(labels.query_id))
    return ids[::11][:QUERIES]


def compute(db: Path) -> dict:
    store = Store(db, read_only=True)
    built = build_matcher(store)
    out = {}
    for q in golden_queries(store):
        out[q] = [[m.candidate_id, round(m.score, 4), m.relation] for m in built.matcher.match(q, 3)]
    return {"model": built.embedder.model_id, "top3": out}


def main(argv: list[str]) -> int:
    if argv:
        db = Path(argv[0])
    else:
        db = Path(tempfile.mkdtemp()) / "demo.duckdb"
        for args in (["init", "--demo"], ["embed"]):
            subprocess.run([sys.executable, "-m", "matchmaking.cli", "--db", str(db), *args], check=True)
    GOLDEN.write_text(json.dumps(compute(db), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
