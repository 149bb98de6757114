"""The app's language: Chinese first, English one click away. Strings live in ``strings.py`` only."""

from __future__ import annotations

import streamlit as st

from app_pages.strings import STRINGS

__all__ = ["t", "lang", "language_switch"]


def lang() -> str:
    return st.session_state.get("lang", "zh")


def t(key: str, **values: object) -> str:
    """The string ``key`` in the current language; ``{name}`` placeholders filled from ``values``.
    A missing key shows as the key itself, so a gap is visible (and caught by the catalogue test)."""
    entry = STRINGS.get(key)
    text = key if entry is None else entry[0 if lang() == "zh" else 1]
    return text.format(**values) if values else text


def language_switch() -> None:
    """The sidebar switch; the choice lives in the session (``lang``), default Chinese."""
    st.session_state.setdefault("lang", "zh")
    choice = st.sidebar.radio("语言 / Language", ["中文", "English"], index=0 if lang() == "zh" else 1,
                              horizontal=True, key="_lang_radio")
    st.session_state["lang"] = "zh" if choice == "中文" else "en"
