"""``hst embed`` and ``hst match``: thin handlers over ``services`` and the matcher."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import EXIT_OK, EXIT_UNKNOWN_ID, UserError

__all__ = ["add_arguments", "run"]


def _top(value: str) -> int:
    try:
        k = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--top must be a whole number in [1, 1000], got {value!r}") from None
    if not 1 <= k <= 1000:
        raise argparse.ArgumentTypeError(f"--top must be a whole number in [1, 1000], got {k}")
    return k


def _engine_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--engine", choices=["local", "ray"], default="local",
                   help="where the blocks run: this process and its forked workers (local, the default), or a "
                        "Ray cluster (ray: pip install -e '.[ray]')")
    p.add_argument("--address", default=None, metavar="ADDR",
                   help="with --engine ray: join the Ray cluster at ADDR (host:port, ray://host:port or auto) "
                        "instead of starting a local one")


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    if name in ("match", "embed"):
        _engine_arguments(p)
    if name == "match":
        g = p.add_mutually_exclusive_group(required=True)
        g.add_argument("--id", dest="query_id", help="credit code of an organisation, or a project id")
        g.add_argument("--all", action="store_true", help="every organisation that seeks something, every project")
        p.add_argument("--top", type=_top, default=10, help="matches per query (default 10)")
        p.add_argument("--json", action="store_true", help="with --id: print JSON")
        p.add_argument("--out", type=Path, help="with --all: FILE.csv or FILE.parquet")
        p.add_argument("--workers", type=int, default=None,
                       help="with --all: worker processes (default: up to 2, one per core)")
        p.add_argument("--store", action="store_true",
                       help="with --all: also keep the results in the database (the app's overview and "
                            "alliance pages read them on large data)")
        p.add_argument("--lang", choices=["zh", "en"], help="language of the reasons (default: the query's)")
        p.add_argument("--no-learned", action="store_true",
                       help="rank with the hand-set weights, not those `hst learn` fitted from staff feedback")


def _built(args: argparse.Namespace, engine=None):
    from ..embedding import EmbedderError, load_embedder
    from ..services import build_matcher
    from .profiles import open_store

    store = open_store(args, must_exist=True)
    try:
        embedder = load_embedder()
        # the index of exactly these public profiles, model and code is kept beside the database and read
        # when there is one (``services.build_matcher``); not by ``hst embed``, whose work is the encoding.
        # With an engine, the blocks of texts to encode go to its workers: the same model id, the same cache.
        built = build_matcher(store, embedder=engine.embedder(embedder) if engine else embedder,
                              reuse=args.command != "embed")
        return store, built
    except EmbedderError as exc:
        store.close()
        raise UserError(str(exc)) from exc


def _engine(args: argparse.Namespace):
    """The Ray engine for ``--engine ray`` (started by the caller's ``with``), else None."""
    engine = getattr(args, "engine", "local")
    address = getattr(args, "address", None)
    if engine != "ray":
        if address is not None:
            raise UserError(f"--address is for --engine ray (got --engine {engine} --address {address})")
        return None
    from ..engines import RayEngine, RaySettings

    try:
        return RayEngine(RaySettings(address=address))
    except ValueError as exc:
        raise UserError(f"--address must be host:port, ray://host:port or auto, got {address!r}") from exc


def _with_engine(args: argparse.Namespace, work):
    """``work(engine)`` inside the started engine (None for the local path); Ray's errors as UserError."""
    engine = _engine(args)
    if engine is None:
        return work(None)
    from ..engines import RayEngineError

    try:
        with engine:
            return work(engine)
    except RayEngineError as exc:
        raise UserError(str(exc)) from exc


def run(args: argparse.Namespace) -> int:
    if args.command == "embed":
        store, built = _with_engine(args, lambda engine: _built(args, engine))
        store.close()
        ix = built.index
        print(f"{built.embedder.model_id}: {len(ix.needs.text) + len(ix.offers.text)} statements, "
              f"{built.texts} texts with their clauses, {built.encoded} encoded now, "
              f"{built.texts - built.encoded} already stored")
        return EXIT_OK
    if args.all:
        if (args.out is None and not args.store) or (args.out is not None
                                                     and args.out.suffix.lower() not in (".csv", ".parquet")):
            raise UserError("match --all needs --out FILE.csv or FILE.parquet (and/or --store)")
        return _match_all(args)
    if args.engine != "local" or args.address is not None:
        raise UserError(f"--engine and --address are for match --all (got --engine {args.engine} with --id)")
    return _match_one(args)


def _lookup_id(index, raw: str) -> str | None:
    from ..reference.credit_code import normalise

    for candidate in (raw.strip(), normalise(raw)):
        if candidate in index.id_to_row:
            return candidate
    return None


def _match_one(args: argparse.Namespace) -> int:
    from ..learning import learned_matcher, shown_matches
    from ..matching import reasons, reasons_for_candidate, relation_name

    store, built = _built(args)
    try:  # feedback (docs/feedback.md): learned weights, declined pairs out, exposure, impressions recorded
        ix, matcher = built.index, learned_matcher(store, built.matcher, not args.no_learned)[0]
        qid = _lookup_id(ix, args.query_id)
        matches = shown_matches(store, matcher, qid, args.top, surface="cli").matches if qid else []
    finally:
        store.close()
    if qid is None:
        print(f"hst match: unknown id {args.query_id!r}: no organisation (credit code) or project has this id",
              file=sys.stderr)
        return EXIT_UNKNOWN_ID
    q = ix.parties.iloc[ix.id_to_row[qid]]
    lang = args.lang or q.lang
    needs = [ix.needs.text[i] for i in (ix.needs.party == ix.id_to_row[qid]).nonzero()[0]]
    note = None
    if not needs:
        note = (f"{q['name']} 未填写合作需求；以下是需要其产品或能力的各方（潜在客户）" if lang == "zh" else
                f"{q['name']} states no needs; these parties need what it offers (would-be customers)")
    if args.json:
        out = {"query": {"id": qid, "kind": q.kind, "name": q["name"], "city": q.city, "lang": q.lang,
                         "needs": needs, **({"note": note} if note else {})},
               "matches": [{"rank": m.rank, "candidate_id": m.candidate_id, "candidate_kind": m.candidate_kind,
                            "name": ix.parties["name"].iloc[ix.id_to_row[m.candidate_id]],
                            "city": ix.parties.city.iloc[ix.id_to_row[m.candidate_id]],
                            "score": round(m.score, 4), "relation": m.relation,
                            "reasons": reasons(m, ix, lang)[1:],
                            "candidate_reasons": reasons_for_candidate(m, ix)[1:],
                            "parts": [{"signal": p.signal, "value": round(p.value, 4), "weight": round(p.weight, 4),
                                       "points": round(p.points, 4), "evidence": p.evidence} for p in m.parts]}
                           for m in matches]}
        print(json.dumps(out, ensure_ascii=False, indent=2, default=str))
        return EXIT_OK
    print(f"{q['name']} ({qid}, {q.city})")
    if note:
        print(note)
    for m in matches:
        c = ix.parties.iloc[ix.id_to_row[m.candidate_id]]
        print(f"{m.rank:>2}. {m.score:6.3f}  {c['name']} ({m.candidate_id}, {c.city}) — "
              f"{relation_name(m.relation, lang)}")
        for line in reasons(m, ix, lang)[1:]:
            print(f"      {line}")
    if not matches:
        print("没有找到匹配" if lang == "zh" else "no matches found")
    return EXIT_OK


def _match_all(args: argparse.Namespace) -> int:
    from ..matching import match_all

    if args.workers is not None and not 1 <= args.workers <= 64:
        raise UserError(f"--workers must be a whole number in [1, 64], got {args.workers}")
    if args.workers is not None and args.engine == "ray":
        raise UserError(f"--workers is for --engine local (got --engine ray --workers {args.workers}): "
                        "with --engine ray every CPU of the cluster works")

    from ..learning import learned_matcher, without_declined

    def work(engine):
        store, built = _built(args, engine)
        rows = built.index.query_rows()
        matcher = learned_matcher(store, built.matcher, not args.no_learned)[0]  # docs/feedback.md
        top = args.top + store.most_declined()  # declined pairs are taken out below
        if engine is None:
            return store, built, rows, match_all(matcher, rows, top, workers=args.workers)
        return store, built, rows, engine.match_all(matcher, rows, top)

    store, built, rows, table = _with_engine(args, work)
    table = without_declined(table, store.shortlist(), args.top)
    if args.store:
        n = store.save_match_results(store.data_version(), built.embedder.model_id, table)
        print(f"stored {n} matches for {len(rows)} queries in {store.path}")
    store.close()
    if args.out is not None:
        try:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            if args.out.suffix.lower() == ".csv":
                table.to_csv(args.out, index=False, encoding="utf-8-sig")
            else:
                table.to_parquet(args.out, index=False)
        except OSError as exc:
            raise UserError(f"cannot write {args.out}: {exc.strerror}") from exc
        print(f"wrote {len(table)} matches for {len(rows)} queries to {args.out}")
    return EXIT_OK
