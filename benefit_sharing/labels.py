"""What a scenario's inputs and the statute's parameters are called, for people.

A trace line names what it used by a dotted path (``cit.cross_province.hq_share``,
``flows.vat_payable.sz``, ``agreements[0].host_share``, ``establishments[nt].factors.2025``): exact, and
what a scenario file or ``compare.sweep`` writes, but a code. :func:`input_name` gives the same thing as a
reader says it, in English or Chinese: the statute's parameters by their ``label`` (their YAML file),
establishments by their name or their city and role (``Scenario.establishment_name``), agreements by their
name, inputs by ``names.INPUTS``. A path it cannot read is returned as it is. Nothing here computes.
"""

from __future__ import annotations

import re

from . import names
from .parameters import ParameterSet, default_parameters
from .scenario import Scenario
from .trace import in_language

__all__ = ["input_name"]

_ESTABLISHMENT = re.compile(r"^establishments\[([^\]]+)\](?:\.factors\.(\d{4})(?:\.(\w+))?|\.(\w+))?$")
_AGREEMENT = re.compile(r"^agreements\[(\d+)\]\.(\w+)(?:\..*)?$")
_FLOW = re.compile(r"^flows\.(?:(\d{4})\.)?(\w+)(?:\.(.+))?$")
_COMPANY_TAX = re.compile(r"^([^.\[\]]+)\.(cit|vat|iit)$")


def input_name(path: str, lang: str = "en", scenario: Scenario | None = None,
               params: ParameterSet | None = None) -> str:
    """The name of the input or parameter at ``path`` in ``lang`` (``en`` or ``zh``)."""
    params = params or default_parameters()
    zh = lang == "zh"

    def est(est_id: str) -> str:
        return scenario.establishment_name(est_id, lang) if scenario is not None else est_id

    def word(code: str) -> str:
        return names.name("input", code, lang)

    if not path:
        return ""
    if path.startswith("parameters."):
        path = path[len("parameters."):]
    if params.known(path):
        return params.get(path).title(lang)
    if m := _ESTABLISHMENT.match(path):
        who, year, factor, field = est(m.group(1)), m.group(2), m.group(3), m.group(4)
        if field is not None:
            return f"{who}：{word(field)}" if zh else f"{who}: {word(field)}"
        if year is None:
            return who
        what = word(factor) if factor else word("factors")
        return f"{who} {year}年{what}" if zh else f"{who}: {what} of {year}"
    if m := _AGREEMENT.match(path):
        index, field = int(m.group(1)), m.group(2)
        agreement = ""
        if scenario is not None and index < len(scenario.agreements):
            a = scenario.agreements[index]
            agreement = in_language(a.name, a.name_zh, lang)
        what = word(field)
        if zh:
            return f"协议“{agreement}”：{what}" if agreement else f"协议：{what}"
        return f"agreement {agreement!r}: {what}" if agreement else f"agreement: {what}"
    if m := _FLOW.match(path):
        year, field, who = m.group(1), m.group(2), m.group(3)
        what = word(field)
        if year:
            what = f"{year}年{what}" if zh else f"{what} {year}"
        if who:
            return f"{est(who)}：{what}" if zh else f"{what}, {est(who)}"
        return what
    if path.startswith("enterprise."):
        return word(path.split(".", 1)[1])
    if m := _COMPANY_TAX.match(path):
        return f"{est(m.group(1))}：{word(m.group(2))}" if zh else f"{word(m.group(2))}, {est(m.group(1))}"
    if path in names.INPUTS:
        return word(path)
    return path
