"""The adapter (``matchmaking.embedding.adapter``) measured on the evaluation sets, with and without it in
the same run.

    python -m bench.adapter compare [--set dev|heldout|heldout2] [--adapter chains-v1,PATH.npz,...]
    python -m bench.adapter leave-out [--train IC,BIO,NEV,MAT] [--full chains-v1]
    python -m bench.adapter sweep [--forms both,shared,query,lowrank] [--regs 1.0] [--temperatures 0.05]
    python -m bench.adapter calibrate [--adapter chains-v1] [--z0 2,2.5,3] [--scales 0.5,0.75,1]
                                      [--weights 0.45/0.25/0.3,...] [--check heldout]

``compare`` prints the full engine and the dense channel alone (recall@10, MRR, nDCG@10 per language
slice; pair recall same- and cross-language) for no adapter and for each adapter named.
``leave-out`` trains an adapter on some chains only and scores the dev queries grouped by the query's
chain (``chain_of_code`` of its industry code, else the chain of what it offers): the chains it was
trained on against the others, beside no adapter and the adapter trained on every chain.
``sweep`` trains one adapter per setting (all chains) and scores each on dev: how the method was chosen.
``calibrate`` scores the full engine on adapted vectors for a grid of dense calibrations (``dense_z0``,
``dense_scale``) and channel weights (dense/sparse/concept; cross-language pairs get theirs from
``MatchConfig.channel_weights``), on dev only; it chooses the best nDCG@10 of all queries among the
settings whose en→en and zh→zh nDCG@10 are not below no adapter's, then shows that choice beside no
adapter and the adapter with the default config on the ``--check`` sets.

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
from matchmaking.matching import MatchConfig, MatchIndex, Weights
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


def score(ev: EvalSet, adapter: Adapter | None, variants: tuple[str, ...] | dict[str, MatchConfig] = ("full", "dense"),
          queries: set[str] | None = None, index: MatchIndex | None = None) -> dict[str, dict[str, float]]:
    """``{variant: {metric: value}}``: nDCG@10, recall@10, MRR overall and per slice, pair recall.
    ``variants`` names entries of ``VARIANTS`` or maps labels to configs; ``index`` reuses one already
    built for ``adapter``."""
    index = index if index is not None else ev.index(adapter)
    labels = ev.labels if queries is None else ev.labels[ev.labels.query_id.isin(queries)]
    qs = sorted(set(labels.query_id) & set(index.id_to_row))
    configs = variants if isinstance(variants, dict) else {v: VARIANTS[v] for v in variants}
    out = {}
    for v, config in configs.items():
        ranking = rank_engine(index, config, qs)
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


def calibration_grid(z0s: str, scales: str, weights: str) -> dict[str, MatchConfig]:
    """The full engine's config for every (dense_z0, dense_scale, dense/sparse/concept weights) given."""
    out = {}
    for w in weights.split(","):
        wd, ws, wc = (float(x) for x in w.split("/"))
        for z0 in (float(x) for x in z0s.split(",")):
            for sc in (float(x) for x in scales.split(",")):
                out[f"z0={z0:g} s={sc:g} w={wd:g}/{ws:g}/{wc:g}"] = MatchConfig(
                    dense_z0=z0, dense_scale=sc, weights=Weights(dense=wd, sparse=ws, concept=wc),
                    follow_vectors=False)
    return out


def choose(rows: dict[str, dict[str, float]], base: dict[str, float]) -> str:
    """The grid row with the best nDCG@10 of all queries among those whose same-language slices
    (en→en, zh→zh) are not below ``base`` (no adapter): the adapter's gain without its same-language
    loss. If none qualifies, the best on the worse of the two slices' changes."""
    ok = {k: r for k, r in rows.items()
          if all(r.get(f"nDCG {sl}", np.nan) >= base.get(f"nDCG {sl}", np.nan) for sl in ("en→en", "zh→zh"))}
    if ok:
        return max(ok, key=lambda k: ok[k]["nDCG all"])
    return max(rows, key=lambda k: min(rows[k][f"nDCG {sl}"] - base[f"nDCG {sl}"] for sl in ("en→en", "zh→zh")))


def _config_fields(config: MatchConfig) -> str:
    w = config.weights
    wd, ws, wc = config.channel_weights(cross=True)
    return (f"dense_z0={config.dense_z0:g}, dense_scale={config.dense_scale:g}, "
            f"weights dense/sparse/concept={w.dense:g}/{w.sparse:g}/{w.concept:g} "
            f"(cross-language pairs: {wd:.3f}/{ws:.3f}/{wc:.3f})")


def cmd_calibrate(args: argparse.Namespace) -> int:
    """The dense calibration and the channel weights refitted for adapted vectors: a grid scored on dev
    (the only set a choice is made on), the chosen row then shown on the ``--check`` sets."""
    (label, adapter), = _adapters(args.adapter)[1:]
    grid = calibration_grid(args.z0, args.scales, args.weights)
    t0 = time.time()
    ev = EvalSet("dev", args.model)
    base = score(ev, None, {"none | default": MatchConfig()})
    index = ev.index(adapter)
    rows = score(ev, adapter, {f"{label} | default": MatchConfig(follow_vectors=False)}, index=index)
    tried: dict[str, dict[str, float]] = {}
    for i, (name, config) in enumerate(grid.items()):
        tried[f"{label} | {name}"] = score(ev, adapter, {name: config}, index=index)[name]
        print(f"  [{i + 1}/{len(grid)}] {name}: nDCG all {tried[f'{label} | {name}']['nDCG all']:.3f} "
              f"({time.time() - t0:.0f}s)", file=sys.stderr)
    ev.close()
    best = choose(tried, base["none | default"])
    ranked = dict(sorted(tried.items(), key=lambda kv: -kv[1]["nDCG all"]))
    show({**base, **rows, **ranked}, f"== calibration grid on dev ({len(grid)} settings, by nDCG all; "
                                     f"{time.time() - t0:.0f}s)")
    chosen = grid[best.split(" | ", 1)[1]]
    print(f"\nchosen on dev: {best}\n  {_config_fields(chosen)}")
    for name in [s.strip() for s in args.check.split(",") if s.strip()]:
        ev = EvalSet(name, args.model)
        out = score(ev, None, {"none | default": MatchConfig()})
        index = ev.index(adapter)
        out |= score(ev, adapter, {f"{label} | default": MatchConfig(follow_vectors=False), f"{label} | chosen": chosen}, index=index)
        ev.close()
        show(out, f"== {name}: the choice made on dev" + (" (for information only)" if name == "heldout2" else ""))
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
    ca = sub.add_parser("calibrate")
    ca.add_argument("--adapter", default="chains-v1", help="one adapter")
    ca.add_argument("--z0", default="2,2.5,3,3.5", help="MatchConfig.dense_z0 values")
    ca.add_argument("--scales", default="0.5,0.75,1", help="MatchConfig.dense_scale values")
    ca.add_argument("--weights", default="0.45/0.25/0.3,0.5/0.25/0.25,0.39/0.35/0.26",
                    help="Weights dense/sparse/concept triples (cross-language pairs follow channel_weights)")
    ca.add_argument("--check", default="heldout", help="sets to show the dev choice on (heldout2: information only)")
    args = ap.parse_args(argv)
    return {"compare": cmd_compare, "leave-out": cmd_leave_out, "sweep": cmd_sweep,
            "calibrate": cmd_calibrate}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
