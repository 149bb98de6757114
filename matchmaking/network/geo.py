"""Where the parties are: counts by district with the district seat coordinates of the reference table.

Everything here is drawn without a map tile server or a downloaded boundary file (the app runs
offline): points are district seats (区县政府驻地, GCJ-02 as in ``regions_hst.csv``) and the only
"outline" is the convex hull of each city's district seats, an honest sketch of its extent rather
than a boundary. No Streamlit, no SQL.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..reference import CITIES, regions

__all__ = ["DISTRICT_COLUMNS", "district_table", "city_outlines", "aspect_ratio"]

DISTRICT_COLUMNS = ["city", "adcode", "district_zh", "district_en", "lng", "lat", "organisations", "projects",
                    "total"]


def district_table(parties: pd.DataFrame) -> pd.DataFrame:
    """Organisations and projects per current district (a legacy district name counts for its successor).

    ``parties`` needs ``city``, ``district`` and ``kind`` ('organisation' or 'project'), as
    ``MatchIndex.parties``. Every current district of the three cities is listed, with zeros where there
    is nobody; parties whose district cannot be resolved are counted in a row per city with adcode ''
    and no coordinates. Sorted by city (CITIES order), then total (descending), then adcode."""
    reg = regions()
    resolved: dict[tuple[str, str], str] = {}
    codes = []
    for city, district in zip(parties["city"], parties["district"], strict=True):
        key = (str(city), str(district or ""))
        if key not in resolved:
            d = reg.resolve_district(key[0], key[1]).district if key[0] in CITIES and key[1] else None
            resolved[key] = d.adcode if d is not None else ""
        codes.append(resolved[key])
    f = pd.DataFrame({"city": parties["city"].astype(str).to_numpy(), "adcode": codes,
                      "org": (parties["kind"] == "organisation").to_numpy(),
                      "proj": (parties["kind"] == "project").to_numpy()})
    counts = f.groupby(["city", "adcode"]).agg(organisations=("org", "sum"), projects=("proj", "sum"))
    rows = []
    for city in CITIES:
        for d in reg.of_city(city):
            o, p = (counts.loc[(city, d.adcode)].tolist() if (city, d.adcode) in counts.index else (0, 0))
            rows.append((city, d.adcode, d.name_zh, d.short_en, d.lng, d.lat, int(o), int(p)))
        if (city, "") in counts.index:
            o, p = counts.loc[(city, "")].tolist()
            rows.append((city, "", "（未注明区县）", "(district not given)", None, None, int(o), int(p)))
    out = pd.DataFrame(rows, columns=DISTRICT_COLUMNS[:-1])
    out["total"] = out.organisations + out.projects
    order = {c: i for i, c in enumerate(CITIES)}
    out = out.assign(_c=out.city.map(order)).sort_values(["_c", "total", "adcode"], ascending=[True, False, True])
    return out.drop(columns="_c").reset_index(drop=True)


def city_outlines(pad: float = 0.06) -> pd.DataFrame:
    """A closed polygon per city around its district seats (convex hull pushed out by ``pad`` degrees),
    for a faint background sketch: columns city, order, lng, lat."""
    from scipy.spatial import ConvexHull

    rows = []
    for city in CITIES:
        pts = np.array([(d.lng, d.lat) for d in regions().of_city(city) if d.lng is not None and d.lat is not None])
        if len(pts) < 3:
            continue
        hull = pts[ConvexHull(pts).vertices]
        centre = pts.mean(axis=0)
        v = hull - centre
        hull = hull + pad * v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-9)
        for i, (x, y) in enumerate([*hull, hull[0]]):
            rows.append((city, i, float(x), float(y)))
    return pd.DataFrame(rows, columns=["city", "order", "lng", "lat"])


def aspect_ratio(lat: float = 31.4) -> float:
    """Degrees of latitude per degree of longitude on screen at ``lat``, so that distances look right
    (``yaxis.scaleratio`` with ``scaleanchor='x'``): 1 / cos(lat)."""
    return 1.0 / math.cos(math.radians(lat))
