"""What a party's own page shows: its public fields as people read them, its needs and offers one statement
a line, and tables of parties with links to their pages (sponsored projects, the latest profiles). Pure
functions over the store's reads; never a private field (contacts, revenue). No Streamlit, no SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..matching.text import statements
from ..store import Store
from .links import party_url, store_kind
from .names import city_name, value_text

__all__ = ["FACT_COLUMNS", "TEXT_COLUMNS", "party_name", "profile_facts", "profile_texts", "parties_table",
           "recent_parties"]

#: The short public fields of a page, in order (the long texts are ``TEXT_COLUMNS``).
FACT_COLUMNS = {
    "organisations": ("credit_code", "org_type", "city", "district", "industry_code", "founded_year", "employees",
                      "partner_types", "address"),
    "projects": ("project_id", "stage", "city", "district", "industry_code", "investment_wan", "address"),
}
#: The long public texts, in order: what a party seeks and offers are split into their statements.
TEXT_COLUMNS = {"organisations": ("seeks", "offers", "description", "business_scope"),
                "projects": ("seeks", "description")}
_SPLIT = ("seeks", "offers")


def party_name(record: Mapping[str, Any], kind: str) -> str:
    """An organisation's name or a project's title."""
    return str(record.get("name" if store_kind(kind) == "organisations" else "title") or "")


def profile_facts(record: Mapping[str, Any], kind: str, lang: str) -> list[tuple[str, str]]:
    """(column, text) of each short public field that has a value, as people read it in ``lang``."""
    kind = store_kind(kind)
    out = []
    for column in FACT_COLUMNS[kind]:
        text = value_text(column, record.get(column), lang, record.get("district_adcode"))
        if text:
            out.append((column, text))
    return out


def profile_texts(record: Mapping[str, Any], kind: str) -> dict[str, list[str]]:
    """column → lines, for each long text with a value: needs and offers one statement a line (as the
    matcher reads them), the description and business scope whole. The users' own words, untranslated."""
    out: dict[str, list[str]] = {}
    for column in TEXT_COLUMNS[store_kind(kind)]:
        text = record.get(column)
        if not isinstance(text, str) or not text.strip():
            continue
        out[column] = (statements(text) or [text.strip()]) if column in _SPLIT else [text.strip()]
    return out


def parties_table(frame: pd.DataFrame, kind: str, lang: str, type_column: str | None = None) -> pd.DataFrame:
    """Parties of one kind (columns id, name, city and optionally ``type``: org type or stage) with a link
    to each one's page, the city and type by name in ``lang``."""
    kind = store_kind(kind)
    type_column = type_column or ("org_type" if kind == "organisations" else "stage")
    out = frame.copy()
    out["link"] = [party_url("profile", kind, i, lang, n if isinstance(n, str) and n else i)
                   for i, n in zip(frame["id"], frame["name"], strict=True)]
    out["city"] = [city_name(c, lang) for c in frame["city"]]
    if "type" in frame.columns:
        out["type"] = [value_text(type_column, v, lang) for v in frame["type"]]
    return out


def recent_parties(store: Store, lang: str, limit: int = 10) -> pd.DataFrame:
    """The organisations and projects stored or changed last, latest first, at most ``limit``: id, kind,
    name, link, city, type (org type or stage by name), version, updated_at."""
    frames = [parties_table(store.recent(kind, limit), kind, lang).assign(kind=kind)
              for kind in ("organisations", "projects")]
    both = pd.concat([f for f in frames if not f.empty], ignore_index=True) if any(len(f) for f in frames) else \
        pd.DataFrame(columns=["id", "name", "city", "type", "version", "updated_at", "link", "kind"])
    return both.sort_values("updated_at", ascending=False, kind="stable").head(limit).reset_index(drop=True)
