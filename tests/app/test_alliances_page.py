"""联盟 Alliances page: the real app on the demo data, in Chinese and English."""

from __future__ import annotations

import json
import re

from app_testing import open_page

from matchmaking.network import MIN_MATCH_STRENGTH
from matchmaking.reference import chains

CHAIN_CODES = re.compile(r"\b(?:" + "|".join(chains().chain_ids()) + r")\b")


def roster(at):
    return next(d.value for d in at.dataframe if "cohesion" in d.value.columns)


def members(at):
    return next(d.value for d in at.dataframe if "segments" in d.value.columns and "link" in d.value.columns)


def test_alliances_network_rosters_gaps_and_threshold(app):
    at = open_page(app, "alliances")
    assert at.title[0].value == "产业联盟建议"
    figs = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    net = figs[0]
    assert {tr["type"] for tr in net["data"]} == {"scatter"}
    assert any(tr["mode"] == "lines" for tr in net["data"])
    marks = [tr for tr in net["data"] if "markers" in tr["mode"]]
    assert marks and all(tr["mode"] == "markers+text" for tr in marks), "the larger nodes carry their names"
    labels = [x for tr in marks for x in tr["text"] if x]
    assert 5 <= len(labels) <= 30
    assert all("<b>%{customdata[0]}</b>" in tr["hovertemplate"] for tr in marks), "every node names itself on hover"
    clusters = [a["text"] for a in net["layout"].get("annotations", ())]
    assert len(clusters) >= 5 and all(re.fullmatch(r"<b>A\d\d</b>", c) for c in clusters), "each alliance a cluster"

    rows = roster(at)
    assert len(rows) >= 5
    assert rows.name.str.endswith(("联盟", "为主）", "）·二", "）·三")).all()
    assert not rows.name.str.contains(CHAIN_CODES).any(), "alliances are named in words, not chain codes"
    assert rows.name.is_unique
    # the city column says where the members are (most first), and sums to the roster
    counts = rows.cities.map(lambda v: [int(n) for n in re.findall(r"(\d+)", v)])
    assert (counts.map(sum) == rows.members).all() and counts.map(lambda c: c == sorted(c, reverse=True)).all()
    assert (counts.map(len) >= 2).all(), "cross-city by default: every alliance spans two cities"
    assert counts.map(len).nunique() > 1 or rows.anchor.nunique() > 1, "the city column distinguishes alliances"
    listed = members(at)
    assert listed.link.str.startswith(("profile?org=", "profile?project=")).all(), "members link to their profiles"
    candidates = next((d.value for d in at.dataframe if "strength" in d.value.columns), None)
    if candidates is not None and len(candidates):
        assert (candidates.strength >= MIN_MATCH_STRENGTH).all(), "no gap candidate of strength 0"
    assert any(b.proto.label.startswith("下载全部联盟名单") for b in at.get("download_button"))

    at.slider(key="alliances.threshold").set_value(0.95).run()
    assert not at.exception
    stricter = roster(at)
    assert len(stricter) != len(rows) or not stricter.equals(rows)
    assert stricter.members.sum() < rows.members.sum()

    at.sidebar.radio(key="_lang_radio").set_value("English").run()
    assert not at.exception
    assert at.title[0].value == "Proposed alliances"
    assert roster(at).name.str.contains("alliance").all()
    assert not roster(at).name.str.contains(CHAIN_CODES).any()


def test_the_open_alliance_lists_members_of_its_chain_and_investors_beside_it(app):
    """The alliance shown: every member is in its chain (the segments beside each are the chain's), and
    the investors matched with members are listed apart, never as members (the library's property tests
    check this for every alliance)."""
    at = open_page(app, "alliances", "en")
    shown = members(at)
    assert len(shown) >= 3 and (shown.segments.str.len() > 0).all(), shown[["name", "segments"]]
    assert set(shown.kind) <= {"Organisation", "Project"}
    investors = next((d.value for d in at.dataframe if list(d.value.columns) == ["link", "city"]), None)
    if investors is not None:
        assert not set(investors.link) & set(shown.link)
