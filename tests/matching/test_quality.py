"""A floor under the engine's quality on the demo labels, with the real default model: the full engine
must stay well above every single channel (see ``make eval`` for the full table)."""

from __future__ import annotations

import pandas as pd
import pytest

from bench.eval_matching import metrics, rank_engine
from matchmaking.matching import MatchConfig
from matchmaking.reference import demo_dir
from matchmaking.services import build_matcher
from matchmaking.store import Store

pytestmark = pytest.mark.slow


def test_full_engine_beats_each_channel_on_the_demo_labels(demo_db_template):
    index = build_matcher(Store(demo_db_template, read_only=True)).index
    labels = pd.read_csv(demo_dir() / "labels.csv", dtype=str)
    labels["grade"] = labels["grade"].astype(int)
    queries = sorted(set(labels.query_id))

    def ndcg(cfg: MatchConfig) -> dict:
        return metrics(rank_engine(index, cfg, queries), labels, index)

    full = ndcg(MatchConfig())
    assert full["all"]["nDCG@10"] >= 0.52, full
    assert full["cross"]["nDCG@10"] >= 0.30, full
    for channel in ("dense", "sparse", "concept"):
        single = ndcg(MatchConfig(channels=(channel,), rerank=False, fusion="none"))
        assert full["all"]["nDCG@10"] >= 1.1 * single["all"]["nDCG@10"], (channel, single["all"])
