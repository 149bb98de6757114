"""Choose the matcher's settings on the dev set only, then report them on the held-out set once.

    python -m bench.tune_matching [--trials 80]

Random search over the weights and calibration knobs; the objective is nDCG@10 over all dev queries.
The held-out set is never used to choose anything: it is scored once, for the chosen and the default
settings, so the README's figures say how the choice generalises.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import asdict, replace

from bench.eval_matching import load_set, metrics, rank_engine
from matchmaking.matching import MatchConfig, Weights


def score(index, labels, cfg) -> dict:
    queries = sorted(set(labels.query_id) & set(index.id_to_row))
    return metrics(rank_engine(index, cfg, queries), labels, index)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=80)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args(argv)
    dev_index, dev_labels, _ = load_set("dev", None)
    rng = random.Random(args.seed)
    default = MatchConfig()
    results = [(score(dev_index, dev_labels, default)["all"]["nDCG@10"], default)]
    print(f"default: dev nDCG@10 {results[0][0]:.4f}", flush=True)
    for t in range(args.trials):
        w = replace(Weights(), dense=rng.uniform(0.2, 0.7), sparse=rng.uniform(0.05, 0.4),
                    concept=rng.uniform(0.1, 0.5), reverse=rng.choice([0.0, 0.05, 0.1, 0.15, 0.25]),
                    multi_need=rng.choice([0.0, 0.05, 0.1, 0.2]), chain=rng.choice([0.0, 0.03, 0.06, 0.1]),
                    org_type=rng.choice([0.0, 0.04, 0.08, 0.15]), partner_type=rng.choice([0.0, 0.02, 0.04, 0.08]),
                    capacity=rng.choice([0.0, 0.05, 0.1, 0.2]), cross_city=0.03)
        cfg = MatchConfig(weights=w, dense_z0=rng.choice([1.0, 1.5, 2.0, 2.5, 3.0]),
                          dense_scale=rng.choice([0.5, 0.75, 1.0, 1.5]), sparse_full=rng.choice([0.2, 0.35, 0.5]),
                          cross_language_reweight=rng.choice([0.0, 0.5, 0.75, 1.0]),
                          fusion=rng.choice(["gated", "additive"]))
        v = score(dev_index, dev_labels, cfg)["all"]["nDCG@10"]
        results.append((v, cfg))
        print(f"trial {t + 1}: dev nDCG@10 {v:.4f}", flush=True)
    results.sort(key=lambda r: -r[0])
    best = results[0][1]
    print("\nbest on dev:", f"{results[0][0]:.4f}")
    print({k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(best).items() if k != "weights"})
    print({k: round(v, 3) for k, v in asdict(best.weights).items()})
    ho_index, ho_labels, _ = load_set("heldout", None)
    for name, cfg in (("default", default), ("tuned", best)):
        m = score(ho_index, ho_labels, cfg)
        print(f"held-out {name}: " + ", ".join(f"{sl} nDCG@10 {v['nDCG@10']:.3f}" for sl, v in m.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
