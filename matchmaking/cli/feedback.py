"""``hst feedback import FILE``, ``hst feedback export --out FILE`` and ``hst learn``: outcomes in and out,
and the weights learned from them (``matchmaking.learning``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import EXIT_OK, EXIT_USAGE, UserError

__all__ = ["add_arguments", "run"]


def add_arguments(p: argparse.ArgumentParser, name: str) -> None:
    if name == "feedback":
        sub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
        sub.required = True
        imp = sub.add_parser("import", help="record outcomes from a CSV file (query_id,candidate_id,status,"
                                            "reason_code,date)")
        imp.add_argument("file", type=Path, metavar="FILE")
        imp.add_argument("--by", default=None, help="who the changes are recorded as made by (default: $HST_USER, "
                                                    "else the system user)")
        imp.add_argument("--lang", choices=["zh", "en"], default=None,
                         help="language of the problems (default: en, zh for a file whose name is Chinese)")
        exp = sub.add_parser("export", help="write every recorded outcome as CSV (the import's columns)")
        exp.add_argument("--out", type=Path, required=True, metavar="FILE")
    elif name == "learn":
        p.add_argument("--json", action="store_true", help="print the report as JSON")
        p.add_argument("--dry-run", action="store_true", help="fit and report, keep nothing")


def run(args: argparse.Namespace) -> int:
    if args.command == "learn":
        return _learn(args)
    return _import(args) if args.action == "import" else _export(args)


def _import(args: argparse.Namespace) -> int:
    from ..followup import default_actor
    from ..learning import FeedbackFileError, read_feedback
    from ..profiles.report import has_cjk
    from .profiles import open_store

    path: Path = args.file
    if not path.is_file():
        raise UserError(f"cannot read {path}: no such file" if not path.exists() else f"cannot read {path}: not a file")
    lang = args.lang or ("zh" if has_cjk(path.name) else "en")
    store = open_store(args)
    try:
        known = set(store.first_seen().id)
        try:
            rows, digest = read_feedback(path, known)
        except FeedbackFileError as exc:
            print(exc.text(lang), file=sys.stderr)
            return EXIT_USAGE
        except OSError as exc:
            raise UserError(f"cannot read {path}: {exc.strerror}") from exc
        by = (args.by or "").strip() or default_actor()
        counts, problems = store.record_outcomes(rows, file_name=path.name, file_hash=digest, by=by)
    finally:
        store.close()
    if problems:
        head = (f"{path.name}：{len(problems)} 处问题，未导入任何行" if lang == "zh" else
                f"{path.name}: {len(problems)} problem(s), nothing imported")
        print(head, file=sys.stderr)
        for p in problems[:50]:
            print("  " + (p.message_zh if lang == "zh" else p.message), file=sys.stderr)
        return EXIT_USAGE
    print(f"imported {counts.rows_written} status changes from {path.name} as {by} (import {counts.import_id}); "
          f"{counts.rows_unchanged} already recorded")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from ..learning import export_rows
    from .profiles import open_store

    out: Path = args.out
    if out.suffix.lower() != ".csv":
        raise UserError(f"--out must name a .csv file, got {str(out)!r}")
    store = open_store(args, must_exist=True)
    try:
        table = export_rows(store.outcome_events())
    finally:
        store.close()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, index=False, encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror}") from exc
    print(f"wrote {len(table)} status changes to {out}")
    return EXIT_OK


def _learn(args: argparse.Namespace) -> int:
    from ..embedding import EmbedderError
    from ..followup import default_actor
    from ..learning import learn
    from ..services import build_matcher
    from .profiles import open_store

    store = open_store(args, must_exist=True)
    try:
        try:
            built = build_matcher(store)
        except EmbedderError as exc:
            raise UserError(str(exc)) from exc
        report = learn(store, built.matcher, by=default_actor(), save=not args.dry_run)
    finally:
        store.close()
    lift = report.lift
    if args.json:
        print(json.dumps({"fit_id": report.fit_id, "model_id": report.model_id, "outcomes": report.outcomes,
                          "queries": report.queries, "comparisons": report.comparisons, "blend": round(report.blend, 4), "gated": report.gated, "blend_fitted": round(report.blend_fitted, 4),
                          "after_fitted": report.after_fitted,
                          "not_in_list": report.not_in_list, "before": report.before, "after": report.after,
                          "lift": None if lift is None else {
                              "ndcg10_before": round(lift.before, 4), "ndcg10_after": round(lift.after, 4),
                              "lift": round(lift.lift, 4), "low": round(lift.low, 4), "high": round(lift.high, 4),
                              "train_queries": lift.train_queries, "test_queries": lift.test_queries}},
                         ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{report.outcomes} outcomes on {report.queries} queries ({report.comparisons} comparisons within a "
          f"query); learned weights count {report.blend_fitted:.0%}, hand-set {1 - report.blend_fitted:.0%}")
    if report.not_in_list:
        print(f"{report.not_in_list} outcomes left out: the engine no longer lists their candidate in its top 100")
    print(f"{'weight':<14}{'before':>8}  →{'after':>8}")
    fitted = report.after_fitted or report.after
    for k, before in report.before.items():
        after = fitted[k]
        mark = "" if abs(after - before) < 5e-4 else ("  ▲" if after > before else "  ▼")
        print(f"{k:<14}{before:>8.3f}  →{after:>8.3f}{mark}")
    if lift is None:
        print("lift: not measured (a time split needs outcomes with a positive status on at least 2 queries)")
    else:
        print(f"lift on a time split (trained on the earliest {lift.train_queries} queries, tested on the latest "
              f"{lift.test_queries}): nDCG@10 {lift.before:.3f} → {lift.after:.3f}, {lift.lift:+.3f} "
              f"(95% bootstrap interval {lift.low:+.3f} to {lift.high:+.3f})")
    if report.gated:
        print("the weights after did worse than the hand-set ones on the later feedback (the whole interval below 0): "
              "kept for the record, not used — hst match keeps the hand-set weights")
    if report.fit_id is None:
        print("dry run: nothing kept; hst match still ranks as before")
    elif report.gated:
        print(f"kept as fit {report.fit_id} (not used)")
    elif report.blend > 0:
        print(f"kept as fit {report.fit_id}: hst match and the app now rank with the weights after "
              "(hst match --no-learned: the hand-set weights)")
    else:
        print(f"kept as fit {report.fit_id}: no outcome to learn from, the weights stay hand-set")
    return EXIT_OK
