"""Stored values as people read them, in the page's language: ``Suzhou`` → 苏州, ``enterprise`` → 企业,
``customer;rd_partner`` → 客户、研发合作, a district by its adcode, an industry code with its name.

What users wrote (names, needs, offers) is never translated; only the values the contract and the
reference define are. No Streamlit, no SQL.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ..profiles.contract import ENUMS, enum_name
from ..reference import CITY_ZH, industries, regions

__all__ = ["city_name", "district_name", "industry_name", "value_text", "join"]


def join(items: Iterable[str], lang: str) -> str:
    """Items as a list in running text: 上海、苏州 / Shanghai, Suzhou."""
    return ("、" if lang == "zh" else ", ").join(items)


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def city_name(city: Any, lang: str) -> str:
    """A stored city (``Suzhou``) in ``lang``; anything else as written."""
    if _blank(city):
        return ""
    return CITY_ZH.get(str(city), str(city)) if lang == "zh" else str(city)


def district_name(district: Any, adcode: Any, lang: str) -> str:
    """A stored district (its Chinese name and adcode) in ``lang``; as written when the gazetteer does not
    know the adcode."""
    if _blank(district) and _blank(adcode):
        return ""
    d = regions().districts.get(str(adcode)) if not _blank(adcode) else None
    if d is None:
        return "" if _blank(district) else str(district)
    return d.name_zh if lang == "zh" else d.short_en


def industry_name(code: Any, lang: str) -> str:
    """A stored GB/T 4754 code (``C3985``) with its name: ``C3985 电子专用材料制造``; the code alone when
    the table does not know it."""
    if _blank(code):
        return ""
    ind = industries()
    digits = ind.normalise(code)
    return ind.label(digits, lang) if ind.exists(digits) else str(code)


def value_text(column: str, value: Any, lang: str, adcode: Any = None) -> str:
    """One stored profile value as text for people in ``lang`` ("" for nothing): enumerated values and
    lists of them by name, cities, districts (give ``adcode``) and industry codes by name, whole numbers
    without a decimal point; anything else as stored."""
    if column == "district":
        return district_name(value, adcode, lang)
    if _blank(value) if not isinstance(value, (list, tuple)) else not len(value):
        return ""
    if column == "city":
        return city_name(value, lang)
    if column == "industry_code":
        return industry_name(value, lang)
    if column in ENUMS:
        items = value if isinstance(value, (list, tuple)) else [v for v in str(value).split(";") if v.strip()]
        return join((enum_name(column, str(v).strip(), lang) for v in items), lang)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "tolist") and not isinstance(value, str):  # a numpy array of a list column
        return join((str(v) for v in value.tolist()), lang)
    return str(value)
