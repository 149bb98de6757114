"""The one exception a user can cause: a scenario (or override, or batch input) that is not valid.

Validation collects every problem before raising, and each problem says where (a path such as
``agreements[0].host_share['2029-01-01']``), the bad value and what is allowed, so that a finance
bureau clerk can fix the file without reading Python. ``str(error)`` is a single line. Every module
raises it, so this one must import nothing from the package.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Problem", "ScenarioError"]

_MISSING = object()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, the offending value (if any), and what is allowed."""

    where: str
    message: str
    value: object = _MISSING

    def __str__(self) -> str:
        if self.value is _MISSING:
            return f"{self.where}: {self.message}" if self.where else self.message
        if not self.where:  # the file's top level: no field to name
            return f"{self.message}; got {_show(self.value)}"
        return f"{self.where} = {_show(self.value)}: {self.message}"


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return str(value)


class ScenarioError(ValueError):
    """An invalid scenario; ``problems`` lists every problem found, the message shows them in one line."""

    def __init__(self, problems: Sequence[Problem], source: str = "scenario") -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1:
            return f"{self.source}: {self.problems[0]}"
        listed = "; ".join(str(p) for p in self.problems)
        return f"{self.source}: {len(self.problems)} problems: {listed}"
