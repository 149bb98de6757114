"""The adapter (``matchmaking.embedding.adapter``) measured on the evaluation sets, with and without it in
the same run.

    python -m bench.adapter compare [--set dev|heldout|heldout2] [--adapter chains-v1,PATH.npz,...]
    python -m bench.adapter leave-out [--train IC,BIO,NEV,MAT] [--full chains-v1]
    python -m bench.adapter sweep [--forms both,shared,query,lowrank] [--regs 1.0] [--temperatures 0.05]

``compare`` prints the full engine and the dense channel alone (recall@10, MRR, nDCG@10 per language
slice; pair recall same- and cross-language) for no adapter and for each adapter named.
``leave-out`` trains an adapter on some chains only and scores the dev queries grouped by the query's
chain (``chain_of_code`` of its industry code, else the chain of what it offers): the chains it was
trained on against the others, beside no adapter and the adapter trained on every chain.
``sweep`` trains one adapter per setting (all chains) and scores each on dev: how the method was chosen.

Vectors of the evaluation sets are kept in ``bench/results/adapter_<set>.duckdb`` under the base model;
an adapter is applied to them (the same arithmetic as ``AdaptedEmbedder.encode``), so trying an adapter
costs no encoding. Training texts are cached by ``train_adapter``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.eval_matching import SETS, VARIANTS, metrics, pair_recall, rank_engine
from matchmaking.embedding import EmbeddingCache, load_embedder
from matchmaking.embedding.adapter import Adapter, load_adapter
from matchmaking.embedding.train_adapter import TrainConfig, train
from matchmaking.matching import MatchIndex
from matchmaking.reference import chain_of_code, chains_of
from matchmaking.services import ingest_file
from matchmaking.store import Store

RESULTS = Path(__file__).resolve().parent / "results"
LEAVE_OUT_TRAIN = "IC,BIO,NEV,MAT"


class EvalSet:
    """One evaluation set ingested once, its base vectors cached; ``index(adapter)`` builds a match index
    whose vectors went through the adapter (or none)."""

    def __init__(self, name: str, model: str | None = None) -> None:
        folder = SETS[name]
        RESULTS.mkdir(exist_ok=True)
        self.name = name
        self.store = Store(RESULTS / f"adapter_{name}.duckdb")
        for f in sorted(folder.iterdir()):
            if f.name.startswith(("organisations", "projects")) and f.suffix in (".csv", ".xlsx", ".json"):
                ingest_file(self.store, f)
        self.embedder = load_embedder(model)
        self.cache = EmbeddingCache(self.store, self.embedder)
        self.orgs, self.projects = self.store.profiles("organisations"), self.store.profiles("projects")
        self.labels = pd.read_csv(folder / "labels.csv", dtype=str)
        self.labels["grade"] = self.labels["grade"].astype(int)

    def index(self, adapter: Adapter | None) -> MatchIndex:
        if adapter is None:
            return MatchIndex(self.orgs, self.projects, self.cache.vectors, model_id=self.embedder.model_id)

        def embed(texts, role):
            return adapter.apply(self.cache.vectors(texts, role), role)

        return MatchIndex(self.orgs, self.projects, embed, model_id=f"{self.embedder.model_id}+adapter:{adapter.tag}")

    def close(self) -> None:
        self.store.close()


def query_chains(index: MatchIndex) -> dict[str, str]:
    """The chain of each party: its industry code's, else the first chain of the segments it offers."""
    out = {}
    for i, (pid, code) in enumerate(zip(index.pid, index.parties["industry_code"], strict=True)):
        chain = chain_of_code(code)
        if not chain:
            found = chains_of(s for s in index.own_segments[i] if s != "*")
            chain = found[0] if found else ""
        out[pid] = chain
    return out


def score(ev: EvalSet, adapter: Adapter | None, variants: tuple[str, ...] = ("full", "dense"),
          queries: set[str] | None = None) -> dict[str, dict[str, float]]:
    """``{variant: {metric: value}}``: nDCG@10, recall@10, MRR overall and per slice, pair recall."""
    index = ev.index(adapter)
    labels = ev.labels if queries is None else ev.labels[ev.labels.query_id.isin(queries)]
    qs = sorted(set(labels.query_id) & set(index.id_to_row))
    out = {}
    for v in variants:
        ranking = rank_engine(index, VARIANTS[v], qs)
        m = metrics(ranking, labels, index)
        pr = pair_recall(ranking, labels, index)
        row = {"n": len(qs)}
        for sl in ("all", "cross", "zh→zh", "en→en"):
            if sl in m:
                row.update({f"nDCG {sl}": m[sl]["nDCG@10"], f"R@10 {sl}": m[sl]["recall@10"],
                            f"MRR {sl}": m[sl]["MRR"]})
        row.update({"pairR same": pr.get("same-lang", np.nan), "pairR cross": pr.get("cross-lang", np.nan)})
        row["pairR cross/same"] = row["pairR cross"] / max(row["pairR same"], 1e-9)
        out[v] = row
    return out


COLUMNS = ["n", "nDCG all", "R@10 all", "MRR all", "nDCG cross", "nDCG zh→zh", "nDCG en→en", "R@10 cross",
           "pairR same", "pairR cross", "pairR cross/same"]


def show(rows: dict[str, dict[str, float]], title: str) -> None:
    table = pd.DataFrame(rows).T
    print(f"\n{title}")
    print(table[[c for c in COLUMNS if c in table.columns]].round(3).to_string())


def _adapters(spec: str) -> list[tuple[str, Adapter | None]]:
    out: list[tuple[str, Adapter | None]] = [("none", None)]
    for s in (x.strip() for x in spec.split(",")):
        if s and s != "none":
            a = load_adapter(s)
            out.append((a.tag, a))
    return out


def cmd_compare(args: argparse.Namespace) -> int:
    for name in args.set.split(","):
        t0 = time.time()
        ev = EvalSet(name, args.model)
        rows = {}
        for label, adapter in _adapters(args.adapter):
            for v, r in score(ev, adapter, tuple(args.variants.split(","))).items():
                rows[f"{v} | {label}"] = r
        ev.close()
        show(rows, f"== {name} ({ev.embedder.model_id}; {time.time() - t0:.0f}s)")
    return 0


def cmd_leave_out(args: argparse.Namespace) -> int:
    train_chains = [c.strip().upper() for c in args.train.split(",") if c.strip()]
    out = RESULTS / f"adapter-leaveout-{'-'.join(train_chains)}.npz"
    t0 = time.time()
    cfg = TrainConfig(form=args.form, reg=args.reg, temperature=args.temperature, epochs=args.epochs)
    train(out, train_chains, load_embedder(args.model), cfg, name=f"leaveout-{'-'.join(train_chains)}",
          per_concept=args.per_concept)
    print(f"trained on {','.join(train_chains)} in {time.time() - t0:.0f}s: {out}")
    ev = EvalSet("dev", args.model)
    qchain = query_chains(ev.index(None))
    queries = set(ev.labels.query_id)
    seen = {q for q in queries if qchain.get(q, "") in train_chains}
    unseen = queries - seen
    print(f"dev queries by chain: {pd.Series([qchain.get(q, '') or '?' for q in sorted(queries)]).value_counts().to_dict()}")
    adapters = [("none", None), (f"trained on {','.join(train_chains)}", load_adapter(str(out)))]
    if args.full:
        adapters.append(("trained on all chains", load_adapter(args.full)))
    for part, qs in (("queries of the held-out chains", unseen), ("queries of the training chains", seen)):
        rows = {}
        for label, adapter in adapters:
            for v, r in score(ev, adapter, tuple(args.variants.split(",")), qs).items():
                rows[f"{v} | {label}"] = r
        show(rows, f"== dev, {part}")
    ev.close()
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    ev = EvalSet(args.set, args.model)
    embedder = ev.embedder
    rows = {f"{v} | none": r for v, r in score(ev, None, tuple(args.variants.split(","))).items()}
    grid = [(b, f, float(r), float(t), int(pc)) for b in args.batching.split(",") for f in args.forms.split(",")
            for r in args.regs.split(",") for t in args.temperatures.split(",") for pc in args.per_concept.split(",")]
    for batching, form, reg, tau, pc in grid:
        cfg = TrainConfig(form=form, reg=reg, temperature=tau, epochs=args.epochs, rank=args.rank, batching=batching)
        t0 = time.time()
        adapter, run = train(None, None, embedder, cfg, name="sweep", per_concept=pc)
        label = f"{form} {batching} reg={reg:g} tau={tau:g} pc={pc} ep={run['epoch_kept']}"
        val = run["val_kept"].get("MRR", np.nan)  # type: ignore[union-attr]
        for v, r in score(ev, adapter, tuple(args.variants.split(","))).items():
            rows[f"{v} | {label}"] = {**r, "val MRR": val}
        if args.save:
            adapter.save(Path(args.save) / (label.replace(" ", "_").replace("=", "") + ".npz"))
        print(f"  {label}: trained in {time.time() - t0:.0f}s, val MRR {val:.3f}", file=sys.stderr)
        show({k: v for k, v in rows.items() if label in k or "none" in k}, label)
    ev.close()
    table = pd.DataFrame(rows).T
    print("\n== sweep on", args.set)
    print(table[[c for c in [*COLUMNS, "val MRR"] if c in table.columns]].round(3).to_string())
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="HST_EMBED_MODEL for the base vectors (default: the configured one)")
    ap.add_argument("--variants", default="full,dense")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("compare")
    c.add_argument("--set", default="dev", help="dev, heldout, heldout2 (comma-separated)")
    c.add_argument("--adapter", default="chains-v1")
    lo = sub.add_parser("leave-out")
    lo.add_argument("--train", default=LEAVE_OUT_TRAIN)
    lo.add_argument("--full", default="chains-v1", help="the adapter trained on every chain, for comparison")
    for p in (lo,):
        p.add_argument("--form", default=TrainConfig.form)
        p.add_argument("--reg", type=float, default=TrainConfig.reg)
        p.add_argument("--temperature", type=float, default=TrainConfig.temperature)
        p.add_argument("--epochs", type=int, default=TrainConfig.epochs)
        p.add_argument("--per-concept", type=int, default=3)
    sw = sub.add_parser("sweep")
    sw.add_argument("--set", default="dev", choices=["dev"])  # choices are made on dev only
    sw.add_argument("--forms", default="both,shared,query,lowrank")
    sw.add_argument("--regs", default=str(TrainConfig.reg))
    sw.add_argument("--temperatures", default=str(TrainConfig.temperature))
    sw.add_argument("--per-concept", default="3")
    sw.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    sw.add_argument("--rank", type=int, default=TrainConfig.rank)
    sw.add_argument("--batching", default=TrainConfig.batching)
    sw.add_argument("--save", default="", help="a folder to keep each adapter in")
    args = ap.parse_args(argv)
    return {"compare": cmd_compare, "leave-out": cmd_leave_out, "sweep": cmd_sweep}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
