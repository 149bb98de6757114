"""Counts of organisations and projects by city, industry chain and type (``hst stats``, the overview page)."""

from __future__ import annotations

import pandas as pd

from .reference import chains
from .store import Store

__all__ = ["chain_of_code", "stats"]


def chain_of_code(industry_code: object) -> str:
    """The industry chain an industry code belongs to (first match in the chain table), or ''."""
    if not isinstance(industry_code, str) or not industry_code:
        return ""
    digits = industry_code.lstrip("ABCDEFGHIJKLMNOPQRST")
    segs = chains().segments_for_code(digits)
    return segs[0].chain_id if segs else ""


def stats(store: Store) -> dict[str, pd.DataFrame]:
    """Tables of counts: organisations by city × org type, by chain × city; projects by city × stage, chain."""
    out: dict[str, pd.DataFrame] = {}
    orgs = store.profiles("organisations", include_private=False)
    projects = store.profiles("projects", include_private=False)
    for kind, frame, typ in (("organisations", orgs, "org_type"), ("projects", projects, "stage")):
        if frame.empty:
            out[f"{kind}_by_city_type"] = pd.DataFrame()
            out[f"{kind}_by_chain_city"] = pd.DataFrame()
            continue
        f = frame.assign(chain=frame["industry_code"].map(chain_of_code).replace("", "—"),
                         **{typ: frame[typ].fillna("—")})
        out[f"{kind}_by_city_type"] = pd.crosstab(f[typ], f["city"], margins=True, margins_name="total")
        out[f"{kind}_by_chain_city"] = pd.crosstab(f["chain"], f["city"], margins=True, margins_name="total")
    return out
