"""The app's addresses for one organisation or project, so a page can be shared, bookmarked and linked to
from any table (``docs/app.md`` documents the scheme):

- ``profile?org=<credit code>`` / ``profile?project=<project id>``: the party's own page;
- ``matches?org=<credit code>`` / ``matches?project=<project id>``: its ranked matches;
- ``&lang=en`` opens the page in English (Chinese is the default);
- ``&name=<name>``: ignored by the pages; a table's link column shows it (``LINK_TEXT``).

Links are relative to the app's root, so they hold under any host, port or base path. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlencode

__all__ = ["PARAM", "LINK_TEXT", "party_param", "party_url", "party_from_params", "store_kind"]

#: The query parameter naming a party of each kind.
PARAM = {"organisations": "org", "projects": "project"}
#: The display text of a link column: the ``name`` parameter (a regular expression with one group, as
#: Streamlit's ``LinkColumn(display_text=...)`` takes it; the browser URL-decodes the group).
LINK_TEXT = r"[?&]name=([^&#]*)"

_KINDS = {"organisation": "organisations", "organisations": "organisations", "org": "organisations",
          "project": "projects", "projects": "projects"}


def store_kind(kind: str) -> str:
    """``organisations`` or ``projects`` for any spelling the libraries use (the index says
    ``organisation`` / ``project``)."""
    try:
        return _KINDS[kind]
    except KeyError:
        raise ValueError(f"The 'kind' parameter must be one of organisations, projects. Got {kind!r} instead.") from None


def party_param(kind: str, key: str) -> dict[str, str]:
    """The query parameters naming one party: ``{"org": code}`` or ``{"project": id}``."""
    return {PARAM[store_kind(kind)]: str(key)}


def party_url(page: str, kind: str, key: str, lang: str = "zh", name: str | None = None) -> str:
    """A relative link to ``page`` (``profile`` or ``matches``) for one party; with ``name`` the link
    column's display text rides along (``LINK_TEXT``)."""
    params = party_param(kind, key)
    if lang == "en":
        params["lang"] = "en"
    url = f"{page}?{urlencode(params, quote_via=quote)}"
    return url + ("&name=" + quote(str(name), safe="") if name else "")


def party_from_params(params: Mapping[str, object]) -> tuple[str, str] | None:
    """The party a page's query parameters name: (``organisations`` | ``projects``, key), else None. A
    value given twice counts as its last."""
    for kind, name in PARAM.items():
        value = params.get(name)
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else None
        if value is not None and str(value).strip():
            return kind, str(value).strip()
    return None
