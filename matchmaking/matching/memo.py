"""What one index build keeps for the next: the results of the per-text work (concept scans, statements,
clauses, language, intent, facts), keyed by the text, so that after an upload a build reads again only
the texts that are new or changed (issue 12, item 3). Vectors need no memo here: the embedding cache in
the store already encodes only new texts, and reading 35,000 vectors back takes 0.08 s.

Only pure functions of one text are kept; everything computed over the whole corpus (TF-IDF, the clause
spread, boilerplate, calibration, per-party state) is computed again by every build, so a build that
reuses a memo gives exactly the index a build from scratch gives. A memo is valid for one version of the
code and reference tables (``persist.code_fingerprint``: the lexicon is built from them); a memo of
other code is not read. It keeps the texts of its own build only (the previous
build's results are dropped by ``finish``), so it does not grow with every upload.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .persist import code_fingerprint

__all__ = ["TextMemo"]

T = TypeVar("T")


class TextMemo:
    """Per-text results of one build, read by the next (``TextMemo(previous=index.memo)``).

    ``of(fn)`` is ``fn`` of one text, read from this build's or the previous build's results when there.
    ``computed`` and ``reused`` count the calls that did and did not run the function."""

    def __init__(self, previous: TextMemo | None = None) -> None:
        self.fingerprint = code_fingerprint()
        same_code = previous is not None and previous.fingerprint == self.fingerprint
        self._old: dict[str, dict] = previous._tables if same_code and previous is not None else {}
        self._tables: dict[str, dict] = {}
        self.computed = 0
        self.reused = 0

    def _table(self, name: str) -> tuple[dict, dict]:
        return self._tables.setdefault(name, {}), self._old.get(name, {})

    def of(self, fn: Callable[[str], T]) -> Callable[[str], T]:
        """``fn`` (a pure function of one text and the code) remembered by text."""
        new, old = self._table(f"{fn.__module__}.{fn.__qualname__}")

        def call(text: str) -> T:
            try:
                return new[text]
            except KeyError:
                pass
            if text in old:
                self.reused += 1
                value = old[text]
            else:
                self.computed += 1
                value = fn(text)
            new[text] = value
            return value

        return call

    def finish(self) -> None:
        """Forget the previous build's results: what is kept now is this build's texts only."""
        self._old = {}
