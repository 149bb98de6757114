"""Is a page in one language? Helpers for tests that render a page in Chinese and in English.

:func:`app_texts` collects every text a Streamlit ``AppTest`` rendered (as the reader sees it: option
labels through their ``format_func``, table headers through their column config, empty cells through the
table's placeholder); :func:`foreign_text` returns the snippets written in the other language:

* in ``zh``: runs of English words — a word of three or more Latin letters that is neither a code
  (``cit.central_share``, ``hq_share``, a file path, a code span in backticks) nor on :data:`ZH_ALLOWED`;
* in ``en``: any CJK character (Chinese punctuation included) outside the ``allowed`` names.

Numbers, codes and units are language-neutral; names (statutes, organisations) may stay in their own
language: callers pass them as ``allowed`` (strings, or compiled patterns for a family of names). The
language switch names each language in itself and is always allowed. Nothing here is specific to one
page (importable like ``app_testing``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = ["ZH_ALLOWED", "LANGUAGE_SWITCH", "foreign_text", "app_texts"]

#: Latin words a Chinese page may show. Each is a code, an acronym or a format name that Chinese
#: officials use as is (CIT/VAT/IIT are the tax codes on the page; YAML/JSON/CSV/Excel name file
#: formats; XLSX too). "Shapley" is not here: in Chinese it is 夏普利.
ZH_ALLOWED = frozenset({"CIT", "VAT", "IIT", "GB", "Excel", "YAML", "JSON", "CSV", "XLSX"})
#: The sidebar's language switch shows each language in its own name, on every page.
LANGUAGE_SWITCH = ("语言 / Language", "中文", "English")

_CJK = r"\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_RUN = re.compile(rf"[{_CJK}](?:[{_CJK}0-9 .·\-]*[{_CJK}])?")
_CODE_SPAN = re.compile(r"`[^`]*`")
_URL = re.compile(r"https?://\S+")
# a token made of identifier characters that contains `_`, a dot or a slash between them, or brackets:
# cit.central_share, agreements[0].host_share, flows.vat_payable.sz, docs/benefit-sharing.md, share_of_T
_CODE = re.compile(r"[A-Za-z0-9_\[\]\-]*(?:[A-Za-z0-9\]][._/\[]|_)[A-Za-z0-9_.\[\]/\-]*[A-Za-z0-9_\]]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’&]*")
_WORD_RUN = re.compile(r"[A-Za-z][A-Za-z'’&-]*(?:[\s,;:()/.]+[A-Za-z][A-Za-z'’&-]*)*")


def foreign_text(texts: Iterable[str], lang: str, allowed: Iterable[str | re.Pattern[str]] = ()) -> list[str]:
    """The snippets of ``texts`` that are not in ``lang`` (``zh`` or ``en``), each once, in order."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en'; got {lang!r}")
    names = [*LANGUAGE_SWITCH, *allowed]
    found: dict[str, None] = {}
    for text in texts:
        rest = _without(str(text), names)
        if lang == "en":
            found.update(dict.fromkeys(m.group(0) for m in _CJK_RUN.finditer(rest)))
            continue
        rest = _CODE.sub(" ", _URL.sub(" ", _CODE_SPAN.sub(" ", rest)))
        for run in _WORD_RUN.finditer(rest):
            words = _WORD.findall(run.group(0))
            if any(sum(c.isalpha() for c in w) >= 3 and w not in ZH_ALLOWED for w in words):
                found[run.group(0).strip(" .,;:()/")] = None
    return list(found)


def _without(text: str, names: Iterable[str | re.Pattern[str]]) -> str:
    for n in names:
        text = n.sub(" ", text) if isinstance(n, re.Pattern) else text.replace(n, " ")
    return text


# ---------------------------------------------------------------------------------------------- AppTest
_ICON = re.compile(r":material/[a-z_]+:|:[a-z_]+:(?=\s)")  # Streamlit icon and emoji shortcodes
_COLOUR = re.compile(r":(?:red|orange|green|blue|violet|gray|grey|rainbow|primary)(?:-background)?\[([^\]]*)\]")
_TEXT_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                  "text", "exception", "toast")
_WIDGETS = ("button", "download_button", "checkbox", "toggle", "radio", "selectbox", "multiselect", "select_slider",
            "slider", "text_input", "text_area", "number_input", "date_input", "time_input", "file_uploader",
            "color_picker", "link_button", "page_link", "metric")


def app_texts(at: Any) -> list[str]:
    """Every text an ``AppTest`` run rendered, as displayed: headings, markdown, captions, alerts; widget
    labels, help, placeholders and options (through ``format_func``); expander and tab labels; metric
    labels; chart titles, axis and legend titles, trace names and facet labels; table headers (through the
    column config) and the cells of the displayed columns (missing values through the placeholder); the
    headers and cells of static tables (``st.table``)."""
    out: list[str] = []
    for kind in _TEXT_ELEMENTS:
        out.extend(_markdown(str(e.value)) for e in _elements(at, kind))
    for kind in _WIDGETS:
        for e in _elements(at, kind):
            proto = getattr(e, "proto", None)
            for attr in ("label", "help", "placeholder"):
                value = getattr(proto, attr, "") if proto is not None else ""
                if isinstance(value, str) and value:
                    out.append(_markdown(value))
            out.extend(str(o) for o in getattr(e, "options", None) or ())
    for node in _nodes(at):
        if getattr(node, "type", "") in ("expander", "status", "tab"):
            out.append(_markdown(str(node.label)))
    for chart in _elements(at, "plotly_chart"):
        out.extend(_chart_texts(json.loads(chart.proto.spec)))
    for table in _elements(at, "dataframe"):
        out.extend(_table_texts(table))
    for table in _elements(at, "table"):  # st.table: its headers and cells as shown
        frame = table.value
        out.extend(str(c) for c in frame.columns)
        out.extend(str(v) for column in frame.columns for v in frame[column].tolist() if v is not None)
    return [s for s in out if s and s.strip()]


def _elements(at: Any, kind: str) -> list[Any]:
    try:
        return list(at.get(kind))
    except (AttributeError, KeyError):
        return []


def _nodes(at: Any) -> Iterator[Any]:
    for root in (at.main, at.sidebar):
        yield from root


def _markdown(text: str) -> str:
    """Markdown as read: icons dropped, colour directives unwrapped, emphasis markers removed."""
    text = _COLOUR.sub(r"\1", _ICON.sub(" ", text))
    return re.sub(r"(\*\*|__|~~)", "", text)


def _chart_texts(spec: dict[str, Any]) -> Iterator[str]:
    layout = spec.get("layout", {})
    yield from _title(layout.get("title"))
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            yield from _title(axis.get("title"))
    yield from _title((layout.get("legend") or {}).get("title"))
    yield from (str(a.get("text", "")) for a in layout.get("annotations", ()))
    for trace in spec.get("data", ()):
        if trace.get("name"):
            yield str(trace["name"])
        hover = re.sub(r"%\{[^}]*\}|<[^>]+>", " ", str(trace.get("hovertemplate") or ""))
        yield hover
        for axis in ("x", "y"):  # category labels (years, cities, players) as shown on the axes
            values = trace.get(axis)
            if isinstance(values, list):
                yield from (v for v in values if isinstance(v, str))


def _title(title: Any) -> Iterator[str]:
    if isinstance(title, dict):
        title = title.get("text")
    if title:
        yield str(title)


def _table_texts(table: Any) -> Iterator[str]:
    """The headers and cells of a table's displayed columns, as the grid shows them."""
    proto = table.proto
    config: dict[str, Any] = json.loads(proto.columns) if proto.columns else {}
    frame = table.value
    placeholder = proto.placeholder if proto.HasField("placeholder") else "None"
    shown = list(proto.column_order) or [str(c) for c in frame.columns]
    for column in shown:
        if column not in frame.columns or (config.get(column) or {}).get("hidden"):
            continue
        col = config.get(column) or {}
        yield str(col.get("label") or column)
        if col.get("help"):
            yield str(col["help"])
        type_config = col.get("type_config") or {}
        labels = {
            str(o.get("value")): str(o.get("label", o.get("value")))
            for o in type_config.get("options") or ()
            if isinstance(o, dict)
        }
        if type_config.get("type") == "checkbox":
            continue
        shown_as = _link_text(type_config) if type_config.get("type") == "link" else None
        for value in frame[column].tolist():
            if value is None or (isinstance(value, float) and math.isnan(value)) or _is_na(value):
                yield placeholder
            elif labels:
                yield labels.get(str(value), str(value))
            elif shown_as is not None:
                yield shown_as(str(value))
            else:
                yield str(value)


def _link_text(type_config: dict[str, Any]) -> Any:
    """What a link column shows for a URL, as Streamlit's grid does: its ``display_text`` as is, or, when
    that is a regular expression with a group, the group's match URL-decoded; else the URL itself."""
    from urllib.parse import unquote

    text = type_config.get("display_text")
    if not text:
        return lambda url: url
    if "(" in text and ")" in text:
        pattern = re.compile(text, re.S)

        def shown(url: str) -> str:
            m = pattern.search(url)
            return unquote(m.group(1).replace("+", "%20")) if m and m.group(1) is not None else url

        return shown
    return lambda url: text


def _is_na(value: Any) -> bool:
    try:
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover - pandas comes with streamlit
        return False
