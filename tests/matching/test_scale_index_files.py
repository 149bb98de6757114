"""The index kept beside the database (issue 12, item 3, first step): ``hst match`` reads it for exactly
the data, model and code it was built from, with the same matches as a fresh build; any change to the
public profiles or the model is a different key, so a stale index is never read. Real DuckDB files,
the real CLI, the hash embedder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hst_testing import hst

from matchmaking.matching.persist import IndexFiles
from matchmaking.store import Store

from .conftest import synthetic

HASH = {"HST_EMBED_MODEL": "hash", "HST_EMBED_ADAPTER": "none"}


def _db(tmp_path: Path, orgs: pd.DataFrame) -> Path:
    db = tmp_path / "hst.duckdb"
    orgs.assign(partner_types=orgs.partner_types.map(";".join)).to_csv(tmp_path / "orgs.csv", index=False)
    hst(db, "init", env=HASH)
    hst(db, "ingest", str(tmp_path / "orgs.csv"), "--kind", "organisations", env=HASH)
    return db


def test_match_reads_the_kept_index_and_gives_the_fresh_matches(tmp_path):
    orgs, _ = synthetic(90, seed=11)
    db = _db(tmp_path, orgs)
    files = IndexFiles.beside(db)
    hst(db, "match", "--all", "--out", str(tmp_path / "fresh.csv"), env=HASH)
    kept = list(files.directory.glob("*.index.pkl"))
    assert len(kept) == 1
    stamp = kept[0].stat().st_mtime_ns
    hst(db, "match", "--all", "--out", str(tmp_path / "again.csv"), env=HASH)
    assert kept[0].stat().st_mtime_ns == stamp  # read, not rebuilt
    assert (tmp_path / "again.csv").read_bytes() == (tmp_path / "fresh.csv").read_bytes()
    # an unreadable file is rebuilt, with the same matches
    kept[0].write_bytes(b"not a pickle")
    hst(db, "match", "--all", "--out", str(tmp_path / "rebuilt.csv"), env=HASH)
    assert (tmp_path / "rebuilt.csv").read_bytes() == (tmp_path / "fresh.csv").read_bytes()


def test_a_changed_profile_or_model_is_another_key_and_never_reads_the_old_index(tmp_path):
    orgs, _ = synthetic(60, seed=12)
    db = _db(tmp_path, orgs)
    hst(db, "match", "--all", "--out", str(tmp_path / "before.csv"), env=HASH)
    files = IndexFiles.beside(db)
    (old,) = files.directory.glob("*.index.pkl")
    changed = orgs.copy()
    changed.loc[0, "offers"] = "提供工业机器人，年产能500台"
    changed.assign(partner_types=changed.partner_types.map(";".join)).to_csv(tmp_path / "orgs.csv", index=False)
    hst(db, "ingest", str(tmp_path / "orgs.csv"), "--kind", "organisations", env=HASH)
    hst(db, "match", "--all", "--out", str(tmp_path / "after.csv"), env=HASH)
    (new,) = files.directory.glob("*.index.pkl")  # only the newest is kept
    assert new != old
    # the kept index is the fresh one: reading it again gives what a build from scratch gives
    new.unlink()
    hst(db, "match", "--all", "--out", str(tmp_path / "scratch.csv"), env=HASH)
    assert (tmp_path / "after.csv").read_bytes() == (tmp_path / "scratch.csv").read_bytes()
    store = Store(db, read_only=True)
    o, p = store.profiles("organisations", include_private=False), store.profiles("projects", include_private=False)
    store.close()
    assert IndexFiles.key(o, p, "hash:256") != IndexFiles.key(o, p, "hash:64")
    assert IndexFiles.key(o, p, "hash:256") == IndexFiles.key(o.copy(), p.copy(), "hash:256")


def test_the_app_reads_the_index_hst_embed_kept(tmp_path):
    """``services.build_matcher`` (what the app's first visitor waits for) reads the index ``hst embed``
    kept for exactly these profiles, with the same matches as a fresh build, and builds anew after an
    upload changed them."""
    from matchmaking.embedding import load_embedder
    from matchmaking.services import build_matcher, ingest_file

    orgs, _ = synthetic(60, seed=5)
    db = _db(tmp_path, orgs)
    hst(db, "embed", env=HASH)
    embedder = load_embedder("hash")
    with Store(db) as store:
        kept = build_matcher(store, embedder)
        fresh = build_matcher(store, embedder, reuse=False)
        assert kept.texts == 0 and fresh.texts > 0  # read, not built
        for q in list(orgs.credit_code[:10]):
            assert [(m.candidate_id, round(m.score, 9)) for m in kept.matcher.match(q, 10)] == \
                   [(m.candidate_id, round(m.score, 9)) for m in fresh.matcher.match(q, 10)]
        changed = orgs.iloc[:1].assign(offers="提供光刻胶，年产能50吨")
        changed.assign(partner_types=changed.partner_types.map(";".join)).to_csv(tmp_path / "one.csv", index=False)
        assert ingest_file(store, tmp_path / "one.csv", "organisations").updated == 1
        assert build_matcher(store, embedder).texts > 0  # another key: built, never the stale index
