"""匹配 page, in the real app on the real demo database with the real model."""

from __future__ import annotations

from app_testing import open_page

from matchmaking.store import Store


def test_matches_page_renders_in_both_languages(app):
    at = open_page(app, "matches", "zh")
    assert at.title[0].value == "匹配推荐"
    assert len(at.dataframe) >= 1 and len(at.dataframe[0].value) > 0
    assert at.get("plotly_chart"), "the waterfall of the score parts is drawn"
    at = open_page(app, "matches", "en")
    assert at.title[0].value == "Matches"


def test_search_picks_a_party_and_lists_its_matches(app):
    at = open_page(app, "matches")
    at.text_input(key="matches.search").input("P-").run()
    assert not at.exception
    qid = at.selectbox(key="matches.query").value
    assert qid.startswith("P-")
    table = at.dataframe[0].value
    assert len(table) > 0 and (table["score"].diff().dropna() <= 1e-9).all(), "ranked by score"


def test_follow_up_is_stored_and_a_declined_pair_is_not_suggested_again(app, demo_db):
    at = open_page(app, "matches")
    qid = at.selectbox(key="matches.query").value
    first = at.dataframe[0].value.iloc[0]["id"]
    form_selects = [s for s in at.selectbox if s.key != "matches.query"]
    status, reason = form_selects[0], form_selects[1]
    status.set_value("declined")
    reason.set_value("capacity")
    at.button[0].click().run()
    assert not at.exception, at.exception
    stored = Store(demo_db, read_only=True).shortlist(qid)
    assert list(stored.status) == ["declined"] and list(stored.reason_code) == ["capacity"]
    assert stored.candidate_id.iloc[0] == first
    at.run()
    assert first not in set(at.dataframe[0].value["id"]), "declined pairs are not suggested again"
