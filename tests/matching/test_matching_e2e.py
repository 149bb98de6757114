"""The matching engine end to end: real CLI, real DuckDB with the demo data, real embedding model."""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
from hst_testing import hst

from matchmaking.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture()
def db(demo_db_template, tmp_path):
    path = tmp_path / "m.duckdb"
    shutil.copy(demo_db_template, path)
    return path


def _org_with_needs(db) -> str:
    orgs = Store(db, read_only=True).profiles("organisations")
    return orgs[orgs.seeks.notna() & (orgs.seeks != "")].credit_code.iloc[0]


def test_match_id_json_follows_the_contract_and_shows_nothing_private(db):
    store = Store(db, read_only=True)
    private = store.profiles("organisations", include_private=True)
    store.close()  # hst match may write its embedding cache; a held read-only handle would block it
    qid = _org_with_needs(db)
    out = hst(db, "match", "--id", qid, "--json", "--top", "5")
    doc = json.loads(out.stdout)
    assert doc["query"]["id"] == qid and doc["query"]["needs"]
    assert [m["rank"] for m in doc["matches"]] == list(range(1, len(doc["matches"]) + 1))
    for m in doc["matches"]:
        assert {"rank", "candidate_id", "candidate_kind", "name", "city", "score", "relation", "reasons"} <= set(m)
        assert m["candidate_id"] != qid and m["reasons"]
        assert abs(sum(p["points"] for p in m["parts"]) - m["score"]) < 1e-3
    emails = [e for e in private.contact_email.dropna() if e]
    phones = [p for p in private.contact_phone.dropna() if p]
    assert emails and not any(e in out.stdout for e in emails), "contact details of others never appear"
    assert not any(p in out.stdout for p in phones)
    text = hst(db, "match", "--id", qid).stdout
    assert "1." in text and not any(e in text for e in emails)


def test_unknown_id_is_exit_3_with_one_line(db):
    out = hst(db, "match", "--id", "NOT-AN-ID", check=False)
    assert out.returncode == 3
    assert out.stderr.strip().count("\n") == 0 and "NOT-AN-ID" in out.stderr and "Traceback" not in out.stderr


def test_party_without_needs_is_told_who_needs_what_it_offers(db):
    orgs = Store(db, read_only=True).profiles("organisations")
    quiet = orgs[orgs.seeks.isna() | (orgs.seeks == "")].credit_code.iloc[0]
    doc = json.loads(hst(db, "match", "--id", quiet, "--json").stdout)
    assert doc["query"]["needs"] == [] and "note" in doc["query"]
    assert doc["matches"] and all(m["relation"] in ("customer", "investment_opportunity") for m in doc["matches"])


def test_match_all_writes_the_contract_columns(db, tmp_path):
    out_file = tmp_path / "all.csv"
    hst(db, "match", "--all", "--top", "3", "--out", str(out_file))
    table = pd.read_csv(out_file, dtype=str)
    assert {"query_id", "query_kind", "rank", "candidate_id", "candidate_kind", "score", "relation",
            "reasons"} <= set(table.columns)
    assert (table.query_id != table.candidate_id).all()
    scores = table.assign(score=table.score.astype(float), rank=table["rank"].astype(int))
    for _, group in scores.groupby("query_id"):  # the order is the order of the (reported) scores
        ordered = group.sort_values("rank").score.to_numpy()
        assert (ordered[:-1] >= ordered[1:] - 1e-6).all(), group
    assert set(table["rank"].astype(int)) <= {1, 2, 3}
    projects = Store(db, read_only=True).profiles("projects")
    assert set(projects.project_id) <= set(table.query_id)


def test_a_model_that_cannot_load_is_one_line_naming_the_setting(db):
    out = hst(db, "match", "--id", _org_with_needs(db), env={"HST_EMBED_MODEL": "/no/such/model"}, check=False)
    assert out.returncode == 2 and "HST_EMBED_MODEL" in out.stderr and "Traceback" not in out.stderr


def test_changed_model_reencodes_never_mixes_and_unchanged_profiles_encode_nothing(db, tmp_path):
    again = hst(db, "embed").stdout
    assert " 0 encoded now" in again, again
    other = hst(db, "embed", env={"HST_EMBED_MODEL": "minilm"}).stdout
    assert "all-MiniLM-L6-v2" in other and " 0 encoded now" not in other
    models = Store(db, read_only=True).embedding_models()
    assert len(models) == 2, "each model keeps its own vectors"
    # change one organisation's needs: only its new statements are encoded
    store = Store(db)
    orgs = store.profiles("organisations")
    store.close()
    row = orgs[orgs.seeks.notna() & (orgs.seeks != "")].iloc[[0]][["credit_code", "name", "city", "seeks"]]
    row["seeks"] = "需要耐高温的碳化硅陶瓷轴承，用于真空泵；同时寻找高纯氮化铝粉体供应商"
    path = tmp_path / "changed.csv"
    row.to_csv(path, index=False)
    hst(db, "ingest", str(path))
    after = hst(db, "embed").stdout
    # its two statements and the two clauses of the first (read to tell its object from its qualifiers:
    # matching.objects); what is boilerplate is a statistic of the whole corpus, so another party's object
    # may shift by a clause and be encoded anew — a few texts, never the corpus
    encoded = int(re.search(r" (\d+) encoded now", after).group(1))
    assert 4 <= encoded <= 10, after


def test_stored_results_read_back_as_computed(db):
    from matchmaking.network import from_stored, top_matches
    from matchmaking.services import build_matcher

    hst(db, "match", "--all", "--top", "5", "--store")
    store = Store(db, read_only=True)
    built = build_matcher(store)
    stored = store.match_results(store.data_version(), built.embedder.model_id)
    assert stored is not None
    a = from_stored(stored, built.index, 5).sort_values(["query_id", "rank"]).reset_index(drop=True)
    b = top_matches(built.matcher, 5).sort_values(["query_id", "rank"]).reset_index(drop=True)
    assert a[["query_id", "candidate_id", "rank", "relation"]].equals(b[["query_id", "candidate_id", "rank", "relation"]])
    assert (a.score - b.score).abs().max() < 1e-6
