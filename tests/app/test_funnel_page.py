"""跟进漏斗 Funnel page and its tables: the real page (AppTest) on a real DuckDB file with the demo profiles,
outcomes imported as ``hst feedback import`` records them, impressions and a learned fit; staff only."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest

from matchmaking.accounts import Viewer
from matchmaking.learning import RankLearner
from matchmaking.services import load_demo
from matchmaking.store import OutcomeChange, Store
from matchmaking.views.funnel import STAGES, funnel, funnel_workbook

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 6, 30, 12, 0)
COMMANDS = ["hst feedback import", "FILE.csv", "文件.csv", "hst learn", "nDCG@10", "Excel"]  # the same in either language


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("funnel") / "funnel.duckdb"
    store = Store(db)
    load_demo(store)
    orgs = store.profiles("organisations")
    ids = list(orgs.credit_code[:12])
    q1, q2, cands = ids[0], ids[1], ids[2:]
    day = dt.datetime(2026, 3, 1)
    plan = [  # (query, candidate, [(status, reason, days after start)])
        (q1, cands[0], [("contacted", None, 0), ("met", None, 10), ("mou", None, 30), ("signed", None, 60)]),
        (q1, cands[1], [("contacted", None, 1), ("met", None, 5)]),
        (q1, cands[2], [("declined", "not_relevant", 2)]),
        (q1, cands[3], [("declined", "timing", 2)]),
        (q2, cands[4], [("contacted", None, 3)]),
        (q2, cands[5], [("contacted", None, 4), ("declined", "price", 20)]),
    ]
    changes, row = [], 2
    for q, c, steps in plan:
        for status, reason, d in steps:
            changes.append(OutcomeChange(row, q, c, status, reason, day + dt.timedelta(days=d)))
            row += 1
    counts, problems = store.record_outcomes(changes, file_name="fb.csv", file_hash="h", by="wang")
    assert not problems and counts.rows_written == len(changes)
    store.set_shortlist_status(q2, cands[6], "contacted", by="li")
    store.record_impressions(q1, [(c, i) for i, c in enumerate(cands[:8], start=1)], surface="app", by="wang")
    hand = {f: 0.1 for f in ("dense", "sparse", "chain")}
    store.save_learned_weights(model_id="hash:128", by="wang", hand=hand, learned=hand,
                               blended={"dense": 0.12, "sparse": 0.08, "chain": 0.1}, blend=0.4, outcomes=6,
                               queries=2, comparisons=4, lift=0.02, lift_low=-0.01, lift_high=0.05, test_queries=1,
                               report={"half_weight": RankLearner().half_weight})
    store.close()
    return db


@pytest.fixture()
def db(template, tmp_path, monkeypatch) -> Path:
    import shutil

    path = tmp_path / "f.duckdb"
    shutil.copy(template, path)
    monkeypatch.setenv("HST_DB", str(path))
    return path


def test_funnel_tables_count_every_stage_and_name_the_stalled(db):
    store = Store(db)
    f = funnel(store, Viewer.local_console(), "en", now=NOW)
    stages = dict(zip(f.stages.stage, f.stages.pairs, strict=True))
    assert list(stages) == list(STAGES)
    # shown: 8 pairs of q1 shown in the app and 3 pairs of q2 followed up (a pair followed up was shown);
    # a pair contacted and then declined counts as contacted
    assert stages == {"shown": 11, "contacted": 5, "met": 2, "mou": 1, "signed": 1, "landed": 0}
    assert f.stages.of_previous.iloc[2] == pytest.approx(0.4)
    staff = f.by_staff.set_index("by")
    assert staff.loc["wang", "changes"] == 11 and staff.loc["li", "changes"] == 1 and staff.loc["wang", "declined"] == 3
    assert f.by_city.followed.sum() == 7 and f.by_chain.followed.sum() == 7
    met = f.time_in_stage.set_index("stage")
    assert met.loc["contacted", "median_days"] == pytest.approx(10.0) and met.loc["contacted", "pairs"] == 3
    assert met.loc["met", "median_days"] == pytest.approx(20.0) and met.loc["met", "pairs"] == 1
    stalled = f.stalled
    assert len(stalled) == 3 and stalled.days.iloc[0] >= stalled.days.iloc[-1] >= 30
    assert set(stalled.status) == {"signed", "contacted", "met"}
    assert set(f.declines.reason) == {"need and offer do not fit", "wrong timing / too early", "price or terms"}
    w = f.weights.set_index("weight")
    assert w.loc["dense", "after"] == pytest.approx(0.12) and w.loc["sparse", "change"] == pytest.approx(-0.02)
    assert f.new_share.shown_pairs.iloc[0] == 8
    book = pd.read_excel(io.BytesIO(funnel_workbook(f)), sheet_name=None)
    assert {"stages", "by_city", "by_chain", "by_staff", "stalled", "weights"} <= set(book)
    store.close()


def test_only_staff_see_the_funnel(db):
    from matchmaking.access import Forbidden

    store = Store(db)
    with pytest.raises(Forbidden, match="The follow-up funnel is for"):
        funnel(store, Viewer("gov", "official"), "en")
    with pytest.raises(Forbidden):
        funnel(store, Viewer("acme", "enterprise", ("X",)), "en")
    store.close()


def _page(lang: str, viewer: Viewer | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app_pages" / "funnel.py"), default_timeout=120)
    at.session_state["lang"] = lang
    if viewer is not None:
        at.session_state["viewer"] = viewer
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang, title, stage", [("zh", "跟进漏斗", "已联系"), ("en", "Follow-up funnel", "contacted")])
def test_the_page_shows_the_funnel_weights_and_a_download(db, lang, title, stage):
    at = _page(lang)
    assert at.title[0].value == title
    stages = next(d.value for d in at.dataframe if "of_shown" in d.value.columns)
    assert list(stages.stage)[1] == stage and list(stages.pairs) == [11, 5, 2, 1, 1, 0]
    assert any("after" in d.value.columns and "weight" in d.value.columns for d in at.dataframe)
    stalled = next(d.value for d in at.dataframe if "candidate" in d.value.columns)
    assert len(stalled) >= 3
    assert len(at.get("download_button")) == 1 and len(at.get("plotly_chart")) == 1
    at.slider(key="funnel.stall").set_value(120).run()
    assert any("120" in h.value for h in at.subheader), "the stalled pairs' heading follows the slider"


def test_the_page_refuses_an_official(db):
    at = _page("en", Viewer("gov", "official"))
    assert at.error and "The follow-up funnel is for" in at.error[0].value
    assert not at.dataframe


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_speaks_one_language(db, lang):
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from language_check import app_texts, foreign_text

    store = Store(db, read_only=True)
    orgs = store.profiles("organisations")
    store.close()
    users = sorted({*orgs["name"], *orgs.credit_code, "wang", "li", "fb.csv"}, key=len, reverse=True)
    at = _page(lang)
    found = foreign_text(app_texts(at), lang, [*users, *COMMANDS])
    assert found == [], found


def test_without_any_outcome_the_page_says_so(tmp_path, monkeypatch):
    db = tmp_path / "empty.duckdb"
    store = Store(db)
    load_demo(store)
    store.close()
    monkeypatch.setenv("HST_DB", str(db))
    at = _page("zh")
    assert at.info and at.info[0].value.startswith("还没有跟进记录")
    assert [c.value for c in at.caption if c.value == "暂无记录"], "empty tables say so, in the page's language"
    assert not any("candidate" in d.value.columns for d in at.dataframe)
