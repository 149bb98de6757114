"""联盟 Alliances page: the real app on the demo data, in Chinese and English."""

from __future__ import annotations

import json

from app_testing import open_page


def roster(at):
    return next(d.value for d in at.dataframe if "cohesion" in d.value.columns)


def test_alliances_network_rosters_gaps_and_threshold(app):
    at = open_page(app, "alliances")
    assert at.title[0].value == "产业联盟建议"
    figs = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    net = figs[0]
    assert {tr["type"] for tr in net["data"]} == {"scatter"}
    assert any(tr["mode"] == "lines" for tr in net["data"]) and any(tr["mode"] == "markers" for tr in net["data"])
    rows = roster(at)
    assert len(rows) >= 5
    assert rows.name.str.endswith("联盟").all()
    assert (rows.cities.str.count("、") >= 1).all(), "cross-city by default: every alliance spans two cities"
    candidates = next((d.value for d in at.dataframe if "strength" in d.value.columns), None)
    gaps = int(rows.gaps.iloc[0])
    assert (candidates is not None and len(candidates)) if gaps else candidates is None
    assert any(b.proto.label.startswith("下载全部联盟名单") for b in at.get("download_button"))

    at.slider(key="alliances.threshold").set_value(0.95).run()
    assert not at.exception
    stricter = roster(at)
    assert len(stricter) != len(rows) or not stricter.equals(rows)
    assert stricter.members.sum() < rows.members.sum()

    at.sidebar.radio(key="_lang_radio").set_value("English").run()
    assert not at.exception
    assert at.title[0].value == "Proposed alliances"
    assert roster(at).name.str.endswith("alliance").all()
