"""``hst feedback import/export``, ``hst learn`` and ``hst match [--no-learned]`` end to end: the real CLI on a
real DuckDB file with the demo data (the hash stand-in embedder: the model is not what is tested here)."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
from hst_testing import hst

from matchmaking.embedding import load_embedder
from matchmaking.services import build_matcher
from matchmaking.store import Store

from .conftest import HASH_ENV

pytestmark = pytest.mark.slow
ENV = HASH_ENV


def _hand(db):
    store = Store(db)
    built = build_matcher(store, embedder=load_embedder("hash"), progress=False)
    store.close()
    return built.matcher


def _ids(out) -> list[str]:
    return [m["candidate_id"] for m in json.loads(out.stdout)["matches"]]


def _queries(matcher, n):
    ix = matcher.index
    return [ix.pid[r] for r in ix.query_rows()[:n]]


def _feedback(matcher, queries, path):
    """Accept the pairs whose best part is a chain link or whose forward channels are strong; decline the rest."""
    rows = []
    for i, q in enumerate(queries):
        for m in matcher.match(q, 10):
            chain = m.part("chain")
            good = chain is not None and chain.value > 0
            rows.append([q, m.candidate_id, "met" if good else "declined", "" if good else "not_fit",
                         f"2026-0{1 + i * 8 // len(queries)}-1{i % 9}"])
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["query_id", "candidate_id", "status", "reason_code", "date"])
        w.writerows(rows)
    return rows


def test_without_feedback_the_ranking_is_exactly_todays(hash_demo_db):
    matcher = _hand(hash_demo_db)
    q = _queries(matcher, 1)[0]
    expected = [m.candidate_id for m in matcher.match(q, 10)]
    assert _ids(hst(hash_demo_db, "match", "--id", q, "--json", env=ENV)) == expected
    assert _ids(hst(hash_demo_db, "match", "--id", q, "--json", env=ENV)) == expected, "an impression alone changes nothing"
    assert _ids(hst(hash_demo_db, "match", "--id", q, "--json", "--no-learned", env=ENV)) == expected
    out = hst(hash_demo_db, "learn", env=ENV).stdout
    assert "0 outcomes" in out and "the weights stay hand-set" in out
    assert _ids(hst(hash_demo_db, "match", "--id", q, "--json", env=ENV)) == expected
    store = Store(hash_demo_db, read_only=True)
    assert store.impression_counts(q).shown.max() == 4 and set(store.impression_counts(q).candidate_id) == set(expected)
    store.close()


def test_import_learn_match_and_export(hash_demo_db, tmp_path):
    matcher = _hand(hash_demo_db)
    queries = _queries(matcher, 40)
    f = tmp_path / "feedback.csv"
    rows = _feedback(matcher, queries, f)
    out = hst(hash_demo_db, "feedback", "import", str(f), env=ENV)
    assert f"imported {len(rows)} status changes from feedback.csv as wang" in out.stdout
    again = hst(hash_demo_db, "feedback", "import", str(f), env=ENV)
    assert "imported 0 status changes" in again.stdout and f"{len(rows)} already recorded" in again.stdout

    learned = hst(hash_demo_db, "learn", env=ENV).stdout
    assert "chain" in learned and "→" in learned and "lift on a time split" in learned
    report = json.loads(hst(hash_demo_db, "learn", "--json", "--dry-run", env=ENV).stdout)
    assert report["outcomes"] == len(rows) and 0 < report["blend"] < 1 and report["fit_id"] is None
    assert report["after"]["chain"] > report["before"]["chain"]
    assert all(v >= 0 for v in report["after"].values())

    declined = {(r[0], r[1]) for r in rows if r[2] == "declined"}
    for q in queries[:5]:
        for flag in ([], ["--no-learned"]):
            top = _ids(hst(hash_demo_db, "match", "--id", q, "--json", *flag, env=ENV))
            assert len(top) == 10 and not [c for c in top if (q, c) in declined], "declined pairs stay out"

    every = tmp_path / "all.csv"
    hst(hash_demo_db, "match", "--all", "--top", "5", "--out", str(every), "--workers", "1", env=ENV)
    table = pd.read_csv(every, dtype=str)
    assert not [1 for q, c in zip(table.query_id, table.candidate_id, strict=True) if (q, c) in declined]
    ranks = table.groupby("query_id")["rank"].apply(lambda r: list(map(int, r)))
    assert all(r == list(range(1, len(r) + 1)) and len(r) <= 5 for r in ranks)
    assert (ranks.map(len) == 5).mean() > 0.9, "declined pairs are replaced from further down"

    out_csv = tmp_path / "out.csv"
    hst(hash_demo_db, "feedback", "export", "--out", str(out_csv), env=ENV)
    with out_csv.open(encoding="utf-8") as fh:
        back = list(csv.reader(fh))
    assert back[0] == ["query_id", "candidate_id", "status", "reason_code", "date"] and len(back) == len(rows) + 1
    assert sorted(map(tuple, back[1:])) == sorted(map(tuple, rows))


def test_a_bad_file_imports_nothing_and_says_where(hash_demo_db, tmp_path):
    matcher = _hand(hash_demo_db)
    q = _queries(matcher, 1)[0]
    c = matcher.match(q, 1)[0].candidate_id
    f = tmp_path / "bad.csv"
    f.write_text("query_id,candidate_id,status,reason_code,date\n"
                 f"{q},{c},won,,2026-01-01\n{q},NOPE,met,,2026-01-01\n", encoding="utf-8")
    out = hst(hash_demo_db, "feedback", "import", str(f), env=ENV, check=False)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "row 2, column status: “won” is not a status" in out.stderr
    assert "row 3, column candidate_id: “NOPE” is not in the database" in out.stderr
    zh = hst(hash_demo_db, "feedback", "import", str(f), "--lang", "zh", env=ENV, check=False)
    assert "第 2 行" in zh.stderr and "未导入任何行" in zh.stderr
    store = Store(hash_demo_db, read_only=True)
    assert store.outcome_events().empty
    store.close()
