"""概览 Overview page: the real app on the demo data, in Chinese and English."""

from __future__ import annotations

import base64
import json

import numpy as np
from app_testing import open_page

OFFLINE_TYPES = {"bar", "scatter", "sankey"}  # no scattergeo / scattermapbox / scattermap: nothing fetched


def charts(at) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def values(x) -> list:
    """A plotly 6 array as a list: plain JSON, or a typed array ({'dtype', 'bdata'})."""
    if isinstance(x, dict) and "bdata" in x:
        return np.frombuffer(base64.b64decode(x["bdata"]), dtype=np.dtype(x["dtype"])).tolist()
    return list(x)


def test_overview_renders_counts_map_and_sankey_in_both_languages(app):
    at = open_page(app, "overview")
    assert at.title[0].value == "沪苏通产业概览"
    assert any("数据更新于" in c.value for c in at.caption), "the freshness line is missing"
    figs = charts(at)
    types = {tr["type"] for f in figs for tr in f["data"]}
    assert types <= OFFLINE_TYPES, types
    assert not any(k in f["layout"] for f in figs for k in ("geo", "mapbox", "map"))
    sankey = next(f for f in figs if f["data"][0]["type"] == "sankey")
    assert sum(values(sankey["data"][0]["link"]["value"])) > 0
    labels = sankey["data"][0]["node"]["label"]
    assert "上海（需求方）" in labels and "南通（供给方）" in labels
    the_map = next(f for f in figs if f["layout"].get("yaxis", {}).get("scaleanchor") == "x")
    sizes = [s for tr in the_map["data"] if tr.get("mode") == "markers+text" for s in values(tr["marker"]["size"])]
    assert len(sizes) >= 30 and max(sizes) > min(sizes)
    assert sum(1 for f in figs if f["data"][0]["type"] == "bar") == 4
    districts = next(d.value for d in at.dataframe if "district" in d.value.columns)
    assert districts.organisations.sum() == 484 and districts.projects.sum() == 88

    # cross-city only: the Sankey loses its same-city links
    at.checkbox(key="overview.flow_cross").check().run()
    assert not at.exception
    links = next(f for f in charts(at) if f["data"][0]["type"] == "sankey")["data"][0]["link"]
    assert all(s % 3 != t % 3 for s, t in zip(values(links["source"]), values(links["target"]), strict=True))
    assert sum(values(links["value"])) < sum(values(sankey["data"][0]["link"]["value"]))

    at.sidebar.radio(key="_lang_radio").set_value("English").run()
    assert not at.exception
    assert at.title[0].value == "Shanghai–Suzhou–Nantong at a glance"
    assert any("Data as of" in c.value for c in at.caption)
    sankey_en = next(f for f in charts(at) if f["data"][0]["type"] == "sankey")
    assert "Shanghai (needs)" in sankey_en["data"][0]["node"]["label"]
