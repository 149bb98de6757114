"""The feedback file and its store: every problem named by row, column and value in both languages; an
import is one transaction, re-importing changes nothing, and each change keeps who made it and when."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from matchmaking.learning import FeedbackFileError, export_rows, grade_of, parse_feedback
from matchmaking.store import OutcomeChange, Store

HEADER = "query_id,candidate_id,status,reason_code,date\n"
KNOWN = {"Q1", "Q2", "C1", "C2", "C3"}
TODAY = dt.date(2026, 6, 30)


def _parse(body: str, header: str = HEADER):
    return parse_feedback((header + body).encode(), "fb.csv", KNOWN, today=TODAY)


def test_good_rows_are_read_with_the_follow_up_reason_codes():
    rows = _parse("Q1,C1,contacted,,2026-03-01\nQ1,C2,declined,not_fit,2026-03-02\n"
                  "Q1,C3,declined,budget,2026-03-03T10:30\nQ2,C1,LANDED,,2026-03-04\n")
    assert [(r.row, r.status, r.reason_code) for r in rows] == [
        (2, "contacted", None), (3, "declined", "not_relevant"), (4, "declined", "price"), (5, "landed", None)]
    assert rows[2].changed_at == dt.datetime(2026, 3, 3, 10, 30)


@pytest.mark.parametrize("line, column, value, en, zh", [
    ("Q9,C1,met,,2026-03-01", "query_id", "Q9", "is not in the database", "不在数据库中"),
    (",C1,met,,2026-03-01", "query_id", "", "is empty", "为空"),
    ("Q1,Q1,met,,2026-03-01", "candidate_id", "Q1", "is the query itself", "与查询方相同"),
    ("Q1,C1,won,,2026-03-01", "status", "won", "use one of contacted, met, mou, signed, landed, declined", "不是可用的状态"),
    ("Q1,C1,declined,,2026-03-01", "reason_code", "", "use one of not_fit, timing, budget, already_partner, other",
     "不是可用的放弃原因"),
    ("Q1,C1,declined,price,2026-03-01", "reason_code", "price", "is not a reason for declining", "不是可用的放弃原因"),
    ("Q1,C1,met,timing,2026-03-01", "reason_code", "timing", "only for declined", "只用于 declined"),
    ("Q1,C1,met,,01/03/2026", "date", "01/03/2026", "is not an ISO date", "不是 ISO 日期"),
    ("Q1,C1,met,,2026-07-01", "date", "2026-07-01", "is in the future", "晚于今天"),
])
def test_each_problem_says_row_column_value_and_what_is_allowed(line, column, value, en, zh):
    with pytest.raises(FeedbackFileError) as info:
        _parse("Q1,C2,met,,2026-03-01\n" + line + "\n")
    [p] = info.value.problems
    assert (p.row, p.column, p.value) == (3, column, value)
    assert p.reason.startswith(f"row 3, column {column}: ") and en in p.reason
    assert p.reason_zh.startswith("第 3 行") and zh in p.reason_zh
    assert "nothing imported" in info.value.text("en") and "未导入任何行" in info.value.text("zh")


def test_every_problem_is_reported_together_and_a_missing_column_refuses_the_file():
    with pytest.raises(FeedbackFileError) as info:
        _parse("Q1,C1,won,,2026-03-01\nQ9,C1,met,,yesterday\nQ1,C1,met,,2026-03-01\nQ1,C1,met,,2026-03-01\n")
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "status"), (3, "query_id"), (3, "date"), (5, "date")]
    with pytest.raises(FeedbackFileError) as info:
        _parse("Q1,C1,met,2026-03-01\n", header="query_id,candidate_id,status,date\n")
    assert "missing column(s) reason_code" in info.value.problems[0].reason


def test_grades_ignore_declines_for_timing_budget_and_existing_partners():
    assert [grade_of(s, None) for s in ("contacted", "met", "mou", "signed", "landed")] == [1, 2, 3, 4, 5]
    assert grade_of("declined", "not_relevant") == 0 and grade_of("declined", "other") == 0
    assert grade_of("declined", "timing") is None and grade_of("declined", "price") is None
    assert grade_of("declined", "existing_partner") is None and grade_of("new", None) is None


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "fb.duckdb")
    yield s
    s.close()


def _changes(rows):
    return [OutcomeChange(i + 2, q, c, s, r, dt.datetime.fromisoformat(d)) for i, (q, c, s, r, d) in enumerate(rows)]


def test_an_import_records_who_and_when_and_a_second_import_changes_nothing(store):
    rows = _changes([("Q1", "C1", "contacted", None, "2026-03-01"), ("Q1", "C1", "met", None, "2026-03-08"),
                     ("Q1", "C2", "declined", "not_relevant", "2026-03-02")])
    counts, problems = store.record_outcomes(rows, file_name="fb.csv", file_hash="x", by="wang")
    assert not problems and (counts.rows_written, counts.rows_unchanged, counts.import_id) == (3, 0, 1)
    ev = store.outcome_events()
    assert list(ev.changed_by.unique()) == ["wang"] and set(ev.source) == {"import:1"}
    assert ev.changed_at.min() == pd.Timestamp("2026-03-01")
    sl = store.shortlist().set_index("candidate_id")
    assert sl.loc["C1", "status"] == "met" and sl.loc["C2", "reason_code"] == "not_relevant"
    again, problems = store.record_outcomes(rows, file_name="fb.csv", file_hash="x", by="wang")
    assert not problems and (again.rows_written, again.rows_unchanged) == (0, 3)
    assert len(store.outcome_events()) == 3


def test_a_refused_step_writes_nothing_and_names_the_row(store):
    store.record_outcomes(_changes([("Q1", "C1", "met", None, "2026-03-01")]), file_name="a", file_hash="a", by="wang")
    rows = _changes([("Q1", "C2", "contacted", None, "2026-03-05"), ("Q1", "C1", "contacted", None, "2026-03-06"),
                     ("Q1", "C3", "met", None, "2026-02-01")])
    counts, problems = store.record_outcomes(rows, file_name="b", file_hash="b", by="li")
    assert counts.import_id is None and counts.rows_written == 0
    assert [(p.row, p.column) for p in problems] == [(3, "status")]
    assert "Cannot move back" in problems[0].message and "不能从" in problems[0].message_zh
    assert len(store.outcome_events()) == 1 and store.feedback_imports().shape[0] == 1
    late = _changes([("Q1", "C1", "signed", None, "2026-02-01")])
    _, problems = store.record_outcomes(late, file_name="c", file_hash="c", by="li")
    assert problems[0].column == "date" and "before the pair's latest recorded change" in problems[0].message


def test_export_uses_the_file_vocabulary_and_reads_back(store):
    store.set_shortlist_status("Q1", "C1", "declined", "capacity", by="wang")
    store.set_shortlist_status("Q1", "C2", "contacted", by="wang")
    store.set_shortlist_status("Q1", "C3", "new", by="wang")
    table = export_rows(store.outcome_events())
    assert list(table.columns) == ["query_id", "candidate_id", "status", "reason_code", "date"]
    assert sorted(zip(table.candidate_id, table.status, table.reason_code, strict=True)) == [
        ("C1", "declined", "not_fit"), ("C2", "contacted", "")]
    back = parse_feedback(table.to_csv(index=False).encode(), "x.csv", KNOWN)
    assert [(r.candidate_id, r.status, r.reason_code) for r in back] == [("C1", "declined", "not_relevant"),
                                                                         ("C2", "contacted", None)]


def test_impressions_are_counted_per_pair(store):
    store.record_impressions("Q1", [("C1", 1), ("C2", 2)], surface="cli", by="wang")
    store.record_impressions("Q1", [("C1", 1)], surface="app")
    counts = store.impression_counts("Q1").set_index("candidate_id").shown.to_dict()
    assert counts == {"C1": 2, "C2": 1}
    assert store.candidate_impressions().set_index("candidate_id").shown.to_dict() == {"C1": 2, "C2": 1}


def test_a_page_drawn_again_is_not_a_new_impression(store):
    at = dt.datetime(2026, 3, 1, 10, 0)
    window = dt.timedelta(minutes=30)
    shown = [("C1", 1), ("C2", 2)]
    assert store.record_impressions("Q1", shown, surface="app", by="wang", at=at, unless_within=window) == 2
    assert store.record_impressions("Q1", shown, surface="app", by="wang", at=at + dt.timedelta(minutes=5),
                                    unless_within=window) == 0
    assert store.record_impressions("Q1", shown, surface="app", by="li", at=at, unless_within=window) == 2
    assert store.record_impressions("Q1", shown, surface="app", by="wang", at=at + dt.timedelta(hours=1),
                                    unless_within=window) == 2


def test_evidence_per_pair_leaves_neutral_declines_out_and_counts_interest(store):
    from matchmaking.learning import evidence

    rows = _changes([("Q1", "C1", "contacted", None, "2026-03-01"), ("Q1", "C1", "met", None, "2026-03-05"),
                     ("Q1", "C2", "declined", "timing", "2026-03-02"), ("Q1", "C3", "declined", "price", "2026-03-02"),
                     ("Q1", "C4", "declined", "not_relevant", "2026-03-02")])
    store.record_outcomes(rows, file_name="f", file_hash="f", by="wang")
    with store._transaction() as cur:  # an interest as the roles issue records it (its own code writes it)
        cur.execute("INSERT INTO interests VALUES ('C5', 'Q1', 'acme', ?)", [dt.datetime(2026, 3, 3)])
    ev = evidence(store).set_index(["query_id", "candidate_id"])
    assert ev.loc[("Q1", "C1"), "grade"] == 2 and ev.loc[("Q1", "C1"), "first_date"] == pd.Timestamp("2026-03-01")
    assert pd.isna(ev.loc[("Q1", "C2"), "grade"]) and pd.isna(ev.loc[("Q1", "C3"), "grade"])
    assert ev.loc[("Q1", "C4"), "grade"] == 0
    assert ev.loc[("Q1", "C5"), "grade"] == 1 and ev.loc[("C5", "Q1"), "grade"] == 1, "an interest counts both ways"
