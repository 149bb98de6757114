"""Does staff feedback improve the ranking? (issue 13, item 5)

On a labelled set, simulated staff follow up the top 10 of half the queries: a relevant pair (labelled
grade ≥ 1) is accepted — met for grade 2, contacted for grade 1 — and an unlabelled one declined, each
answer flipped with probability ``--noise`` (a declined pair's reason: not_fit mostly, some timing and
budget, which learning must ignore). Their outcomes go through the real interfaces: ``hst feedback
import FILE`` then ``hst learn`` on a copy of the set's database. nDCG@10 (``bench.eval_matching.metrics``)
is then measured on the *other* half of the queries, before (hand-set weights) and after (learned), and
every declined pair is checked to be out of its query's top 10.

    python -m bench.feedback_eval [--set heldout2] [--noise 0.1] [--seeds 0,1,2]
    python -m bench.feedback_eval --set dev --sweep      # choosing half_weight and C: on dev only

What it cannot show: real staff are not this consistent (their reasons for accepting mix fit with timing,
budget and relationships the labels know nothing of), real feedback comes from the top of lists the
learned weights themselves produced (a feedback loop the single round here does not have), and the labels
say whether a pair fits, not whether it would be signed — the engine learns the labellers' notion of fit.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from bench.eval_matching import DEPTH, ROOT, SETS, metrics
from matchmaking.cli.main import main as hst
from matchmaking.learning import (
    EXTRA,
    LEARNABLE,
    Collaborative,
    FeedbackMatcher,
    QueryOutcomes,
    RankLearner,
    evidence,
    features,
    learn,
    learned_matcher,
    shown_matches,
)
from matchmaking.matching import Matcher
from matchmaking.services import build_matcher, ingest_file
from matchmaking.store import Store


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _database(name: str, folder: Path) -> Path:
    """A private copy of the set's evaluation database (its vectors are cached there), loaded and migrated."""
    tmp = Path(tempfile.mkdtemp(prefix=f"feedback_{name}_"))
    db = tmp / "hst.duckdb"
    cached = ROOT / "results" / f"eval_{name}.duckdb"
    if cached.exists():
        shutil.copy(cached, db)
    store = Store(db)
    for f in sorted(folder.iterdir()):
        if f.name.startswith(("organisations", "projects")) and f.suffix in (".csv", ".xlsx", ".json"):
            ingest_file(store, f)
    store.close()
    return db


def simulate(shown: dict[str, list[str]], labels: pd.DataFrame, noise: float, seed: int,
             today: dt.date) -> list[dict]:
    """Staff's answers for the shown top 10s, as rows of the feedback file, spread over 60 days in the
    order the queries were worked on (for the time split)."""
    rng = np.random.default_rng(seed)
    grade = {(q, c): int(g) for q, c, g in zip(labels.query_id, labels.candidate_id, labels.grade, strict=True)}
    rows = []
    start = today - dt.timedelta(days=90)
    qids = list(shown)
    for i, q in enumerate(qids):
        day = start + dt.timedelta(days=int(i * 60 / max(len(qids), 1)))
        for c in shown[q]:
            g = grade.get((q, c), 0)
            accept = (g >= 1) != (rng.random() < noise)
            if accept:
                rows.append({"query_id": q, "candidate_id": c, "status": "contacted", "reason_code": "",
                             "date": day.isoformat()})
                if g >= 2:
                    rows.append({"query_id": q, "candidate_id": c, "status": "met", "reason_code": "",
                                 "date": (day + dt.timedelta(days=14)).isoformat()})
            else:
                u = rng.random()
                reason = "not_fit" if u < 0.8 else "timing" if u < 0.9 else "budget"
                rows.append({"query_id": q, "candidate_id": c, "status": "declined", "reason_code": reason,
                             "date": (day + dt.timedelta(days=3)).isoformat()})
    return rows


def _write(rows: list[dict], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["query_id", "candidate_id", "status", "reason_code", "date"])
        w.writeheader()
        w.writerows(rows)


def _run_hst(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = hst(argv)
    return code, out.getvalue()


def _halves(name: str, seed: int):
    """Set ``name`` in a fresh database: its labels, the database, the store (open), the hand-set matcher
    built on it, and its labelled queries split in two halves by ``seed`` (fed, held). The caller removes
    ``db.parent`` when done."""
    folder = SETS[name]
    labels = pd.read_csv(folder / "labels.csv", dtype=str)
    labels["grade"] = labels["grade"].astype(int)
    db = _database(name, folder)
    try:
        store = Store(db)
        built = build_matcher(store, progress=False)
    except BaseException:
        shutil.rmtree(db.parent, ignore_errors=True)
        raise
    queries = sorted(set(labels.query_id) & set(built.index.id_to_row))
    order = list(np.random.default_rng(1000 + seed).permutation(queries))
    half = len(order) // 2
    return labels, db, store, built, order[:half], sorted(order[half:])


def one_run(name: str, noise: float, seed: int, learner: RankLearner | None = None, verbose: bool = True) -> dict:
    labels, db, store, built, fed, held = _halves(name, seed)
    try:
        hand = built.matcher
        held_labels = labels[labels.query_id.isin(held)]
        before = metrics({q: [m.candidate_id for m in ms] for q, ms in hand.match_many(held, DEPTH).items()},
                         held_labels, built.index)["all"]
        # staff see each fed query's top 10 (recorded as impressions) and answer
        shown = {q: [m.candidate_id for m in shown_matches(store, hand, q, 10, surface="bench").matches] for q in fed}
        rows = simulate(shown, labels, noise, seed, dt.date.today())
        store.close()
        csv_path = db.parent / "feedback.csv"
        _write(rows, csv_path)
        t = time.time()
        code, text = _run_hst(["--db", str(db), "feedback", "import", str(csv_path)])
        if code:
            raise SystemExit(f"hst feedback import failed ({code}): {text}")
        if learner is None:
            code, learn_text = _run_hst(["--db", str(db), "learn"])
            if code:
                raise SystemExit(f"hst learn failed ({code}): {learn_text}")
        store = Store(db)
        if learner is not None:
            learn(store, hand, by="bench", learner=learner)
            learn_text = ""
        learn_s = time.time() - t
        matcher, fit = learned_matcher(store, hand)
        after = metrics({q: [m.candidate_id for m in ms] for q, ms in matcher.match_many(held, DEPTH).items()},
                        held_labels, built.index)["all"]
        fit = fit or store.learned_weights(built.index.model_id)
        ungated = after
        if fit and fit["report"].get("gated"):  # what the fitted weights would have done, had they been used
            fitted = fit["report"]["blended_fitted"]
            w = replace(hand.config.weights, **{k: v for k, v in fitted.items() if k in LEARNABLE})
            cfg = replace(hand.config, weights=w)
            extra = {k: float(fitted.get(k, 0.0)) for k in EXTRA}
            would = (FeedbackMatcher(built.index, cfg, Collaborative(built.index, evidence(store)), extra)
                     if any(v > 0 for v in extra.values()) else Matcher(built.index, cfg))
            ungated = metrics({q: [m.candidate_id for m in ms] for q, ms in would.match_many(held, DEPTH).items()},
                              held_labels, built.index)["all"]
        # declined pairs must stay out of their query's top 10 (the list staff see: learned weights + exposure)
        follow = store.shortlist()
        declined = follow[follow.status == "declined"]
        tops = {q: {m.candidate_id for m in shown_matches(store, matcher, q, 10, surface="bench", record=False).matches}
                for q in sorted(set(declined.query_id))}
        leaks = sum(c in tops[q] for q, c in zip(declined.query_id, declined.candidate_id, strict=True))
        store.close()
        res = {"set": name, "seed": seed, "noise": noise, "fed": len(fed), "held": len(held),
               "rows": len(rows), "declined": len(declined), "declined_in_top10": leaks,
               "ndcg_before": before["nDCG@10"], "ndcg_after": after["nDCG@10"], "ndcg_ungated": ungated["nDCG@10"],
               "gated": bool(fit and fit["report"].get("gated")),
               "recall_before": before["recall@10"], "recall_after": after["recall@10"],
               "blend": fit["blend"] if fit else 0.0, "learn_s": learn_s,
               "extra": {k: (fit["report"]["blended_fitted"] or {}).get(k, 0.0) for k in EXTRA} if fit else {},
               "weights": fit["report"]["blended_fitted"] if fit else None, "hand": fit["hand"] if fit else None}
        if verbose:
            print(learn_text.rstrip())
        return res
    finally:
        shutil.rmtree(db.parent, ignore_errors=True)


def ceiling(name: str, seed: int = 0, depth: int = 30) -> tuple[float, float]:
    """What the same model class can reach at best: learned (blend 1) from *every* label of the fed half's top
    ``depth`` (unlabelled = not relevant), not only staff's top 10 — nDCG@10 on the other half before/after."""
    labels, db, store, built, fed, held = _halves(name, seed)
    store.close()
    try:
        hand = built.matcher
        grade = {(q, c): g for q, c, g in zip(labels.query_id, labels.candidate_id, labels.grade, strict=True)}
        w = hand.config.weights
        qs = []
        for q, ms in hand.match_many(fed, depth).items():
            X = np.array([features(m, w) for m in ms]) if ms else np.zeros((0, len(LEARNABLE)))
            qs.append(QueryOutcomes(q, [m.candidate_id for m in ms], X,
                                    {m.candidate_id: grade.get((q, m.candidate_id), 0) for m in ms}))
        fitted = RankLearner(half_weight=1e-9).fit(qs, w)
        held_labels = labels[labels.query_id.isin(held)]
        out = []
        for matcher in (hand, Matcher(built.index, replace(hand.config, weights=fitted.weights_))):
            ranking = {q: [m.candidate_id for m in ms] for q, ms in matcher.match_many(held, DEPTH).items()}
            out.append(metrics(ranking, held_labels, built.index)["all"]["nDCG@10"])
        return out[0], out[1]
    finally:
        shutil.rmtree(db.parent, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=list(SETS), default="heldout2")
    ap.add_argument("--noise", type=float, default=0.1)
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--sweep", action="store_true", help="try half_weight × C (use on dev only)")
    ap.add_argument("--ceiling", action="store_true",
                    help="also: the best this model class reaches, learned from every label of the fed half")
    args = ap.parse_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    print(f"feedback evaluation on {args.set}; CPU: {cpu_model()}; noise {args.noise}")
    if args.ceiling:
        for depth in (10, 30, 100):
            b, a = ceiling(args.set, seeds[0], depth)
            print(f"ceiling (every label of the fed half's top {depth}, learned weights only): nDCG@10 on the other "
                  f"half {b:.4f} → {a:.4f} ({a - b:+.4f})", flush=True)
    if args.sweep:
        if args.set != "dev":
            print("--sweep chooses settings: run it on dev only", file=sys.stderr)
            return 2
        for hw in (50.0, 150.0, 500.0):
            for c in (0.1, 1.0, 10.0):
                rs = [one_run(args.set, args.noise, s, RankLearner(half_weight=hw, C=c), verbose=False) for s in seeds]
                each = [r["ndcg_after"] - r["ndcg_before"] for r in rs]
                print(f"half_weight {hw:>5.0f}  C {c:>5}: nDCG@10 lift {np.mean(each):+.4f} "
                      f"({', '.join(f'{x:+.4f}' for x in each)})", flush=True)
        return 0
    results = []
    for s in seeds:
        t = time.time()
        r = one_run(args.set, args.noise, s)
        results.append(r)
        gate = (f"; learned weights not used (time-split interval below 0); had they been used: "
                f"{r['ndcg_ungated']:.4f}" if r["gated"] else "")
        print(f"seed {s}: fed {r['fed']} queries ({r['rows']} rows, {r['declined']} pairs declined), held out "
              f"{r['held']}: nDCG@10 {r['ndcg_before']:.4f} → {r['ndcg_after']:.4f} "
              f"({r['ndcg_after'] - r['ndcg_before']:+.4f}{gate}), "
              f"recall@10 {r['recall_before']:.4f} → "
              f"{r['recall_after']:.4f}; declined pairs in their query's top 10: {r['declined_in_top10']}; "
              f"blend {r['blend']:.2f}; "
              f"{', '.join(f'{k} {v:.3f}' for k, v in r['extra'].items())}; import+learn {r['learn_s']:.1f}s; run {time.time() - t:.1f}s", flush=True)
    lifts = np.array([r["ndcg_after"] - r["ndcg_before"] for r in results])
    print(f"\n{args.set}: nDCG@10 lift on the held-out half, mean over {len(lifts)} seed(s): {lifts.mean():+.4f} "
          f"(min {lifts.min():+.4f}, max {lifts.max():+.4f}); target ≥ +0.03: "
          f"{'met' if lifts.min() >= 0.03 else 'NOT met'}; declined pairs in top 10: "
          f"{sum(r['declined_in_top10'] for r in results)}")
    w = results[-1]
    if w["weights"]:
        print("weights (last seed), hand-set → after: " + ", ".join(
            f"{k} {w['hand'][k]:.3f}→{w['weights'][k]:.3f}" for k in w["hand"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
