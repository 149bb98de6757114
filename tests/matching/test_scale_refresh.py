"""The index kept fresh (issue 12, item 3): a build after an upload reads again only the texts that are new
or changed (``MatchIndex(previous=...)``, ``matching.memo``) and gives exactly the index a build from
scratch gives — the same candidates with the same scores and parts for every query. Real components: the
hash embedder, and for the store path a real DuckDB file loaded by the real CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd

from matchmaking.embedding import load_embedder
from matchmaking.matching import Matcher, MatchIndex
from matchmaking.matching.persist import IndexFiles
from matchmaking.services import build_matcher, ingest_file
from matchmaking.store import Store

from .conftest import synthetic


def everything(index: MatchIndex) -> list:
    """Every query's top 10, each match with its score and parts, exactly (no rounding)."""
    rows = index.query_rows()
    return [(str(index.pid[q]), [(m.candidate_id, m.score, m.relation, [(p.signal, p.value, p.points) for p in m.parts])
                                 for m in ms])
            for q, ms in zip(rows, Matcher(index).match_block(rows, 10), strict=True)]


def uploaded(orgs: pd.DataFrame, projects: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What an upload makes of the profiles: five new organisations (one new project) and five changed."""
    new, new_projects = synthetic(5, seed=99, projects=1)
    new = new.assign(name=[f"新企业{i}" for i in range(len(new))])
    changed = orgs.copy()
    changed.loc[3:7, "offers"] = changed.loc[3:7, "offers"] + "；可提供工业机器人系统集成服务，通过IATF 16949认证"
    changed.loc[10, "seeks"] = "需要12英寸硅片稳定供应，年需求约5万片"
    return (pd.concat([changed, new], ignore_index=True),
            pd.concat([projects, new_projects.assign(project_id="PNEW")], ignore_index=True))


def test_an_incremental_build_is_a_build_from_scratch(hash_embed):
    orgs, projects = synthetic(150, seed=21, projects=12)
    before = MatchIndex(orgs, projects, hash_embed)
    orgs2, projects2 = uploaded(orgs, projects)
    scratch = MatchIndex(orgs2, projects2, hash_embed)
    incremental = MatchIndex(orgs2, projects2, hash_embed, previous=before)
    assert everything(incremental) == everything(scratch)
    np.testing.assert_array_equal(incremental.clause_spread, scratch.clause_spread)
    assert (incremental.sparse.offer != scratch.sparse.offer).nnz == 0
    # only the new and changed texts were read again; the rest came from the previous build
    assert incremental.memo.reused > 10 * incremental.memo.computed > 0
    assert incremental.memo.computed < scratch.memo.computed / 10


def test_a_build_of_the_same_data_reads_no_text_again_and_the_memo_does_not_grow(hash_embed):
    orgs, projects = synthetic(60, seed=22, projects=4)
    first = MatchIndex(orgs, projects, hash_embed)
    again = MatchIndex(orgs, projects, hash_embed, previous=first)
    assert again.memo.computed == 0 and again.memo.reused > 0
    assert everything(again) == everything(first)
    # texts that left the data leave the memo: it holds one build's texts only
    smaller = MatchIndex(orgs.iloc[:30], projects, hash_embed, previous=again)
    assert sum(map(len, smaller.memo._tables.values())) < sum(map(len, again.memo._tables.values()))
    assert everything(smaller) == everything(MatchIndex(orgs.iloc[:30], projects, hash_embed))


def test_a_memo_of_other_code_is_not_read(hash_embed):
    orgs, projects = synthetic(30, seed=23)
    first = MatchIndex(orgs, projects, hash_embed)
    first.memo.fingerprint = "another version of the code"
    assert MatchIndex(orgs, projects, hash_embed, previous=first).memo.reused == 0


def test_after_an_upload_build_matcher_starts_from_the_kept_index(hash_demo_db, tmp_path):
    """``services.build_matcher`` (the CLI and the app) after an upload: the kept index is of other data, so
    it is not served, but the build reuses its per-text work — with the matches of a build from scratch."""
    embedder = load_embedder("hash")
    with Store(hash_demo_db) as store:
        build_matcher(store, embedder)  # kept beside the database
        orgs = store.profiles("organisations", include_private=False)
        new, _ = synthetic(3, seed=77)
        changed = orgs.iloc[:2][list(new.columns)].assign(offers="提供光刻胶与湿电子化学品，年产能500吨",
                                                          partner_types=[["supplier"], ["customer"]])
        upload = pd.concat([new.assign(name=[f"新上传企业{i}" for i in range(3)]), changed], ignore_index=True)
        upload.assign(partner_types=upload.partner_types.map(";".join)).to_csv(tmp_path / "up.csv", index=False)
        report = ingest_file(store, tmp_path / "up.csv", "organisations")
        assert (report.new, report.updated) == (3, 2), report
        files = IndexFiles.beside(store.path)
        assert files.newest_memo() is not None and len(list(files.directory.iterdir())) == 2
        incremental = build_matcher(store, embedder)
        scratch = build_matcher(store, embedder, reuse=False)
    assert scratch.index.memo.reused == 0
    assert incremental.index.memo.reused > 10 * incremental.index.memo.computed > 0
    assert {"新上传企业0", "新上传企业2"} <= set(incremental.index.name)
    assert everything(incremental.index) == everything(scratch.index)
