"""The app's language: Chinese first, English one click away. Strings live in ``strings.py`` only."""

from __future__ import annotations

import streamlit as st

from app_pages.strings import STRINGS

__all__ = ["t", "lang", "language_switch", "joined"]


def lang() -> str:
    return st.session_state.get("lang", "zh")


def t(key: str, **values: object) -> str:
    """The string ``key`` in the current language; ``{name}`` placeholders filled from ``values``.
    A missing key shows as the key itself, so a gap is visible (and caught by the catalogue test)."""
    entry = STRINGS.get(key)
    text = key if entry is None else entry[0 if lang() == "zh" else 1]
    return text.format(**values) if values else text


def joined(items: object) -> str:
    """Items as a list in running text: 上海、苏州 / Shanghai, Suzhou."""
    return ("、" if lang() == "zh" else ", ").join(str(i) for i in items)  # type: ignore[attr-defined]


def _radio_changed() -> None:
    st.session_state["lang"] = "zh" if st.session_state["_lang_radio"] == "中文" else "en"


def language_switch() -> None:
    """The sidebar switch. ``lang`` in the session is the one source of truth (default Chinese, or the
    ``?lang=en`` of the address a session starts from: a link opened in a new tab keeps its reader's
    language): the radio is set from it before it is drawn and writes it back when the user clicks."""
    if "lang" not in st.session_state and st.query_params.get("lang") in ("zh", "en"):
        st.session_state["lang"] = st.query_params["lang"]
    st.session_state.setdefault("lang", "zh")
    st.session_state["_lang_radio"] = "中文" if lang() == "zh" else "English"
    st.sidebar.radio("语言 / Language", ["中文", "English"], horizontal=True, key="_lang_radio",
                     on_change=_radio_changed)
