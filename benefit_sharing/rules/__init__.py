"""The statutory rules: who receives which tax, by city and level of government, for one year.

One module per tax: ``cit_branch`` (one company with branches, 跨地区经营汇总纳税), ``cit_subsidiary``
(separate companies), ``vat``, ``surcharges``, ``iit``, and ``local_split`` (the local share between
province and city, 省以下分成); ``base`` holds what they share (the year context, the :class:`SplitRule`
protocol, the row accumulator). Each rule turns one year of a scenario into rows with their trace; the
rules read every rate and share from the dated parameters, never from constants, and split every
amount with largest-remainder rounding so that the parts add up to the whole exactly. Agreements are
*not* applied here: they are overlays on these statutory results (``agreements.py``).
"""

from .base import REF_CROSS_PROVINCE, Basis, RowBuilder, SplitRule, YearContext
from .cit_branch import CitBranchRule, apportionment_ratios
from .cit_subsidiary import CitSubsidiaryRule
from .iit import IitRule
from .local_split import LocalSplitRule
from .surcharges import SurchargesRule
from .vat import VatRule

__all__ = [
    "YearContext",
    "SplitRule",
    "Basis",
    "RowBuilder",
    "CitBranchRule",
    "CitSubsidiaryRule",
    "VatRule",
    "SurchargesRule",
    "IitRule",
    "LocalSplitRule",
    "default_rules",
    "apportionment_ratios",
    "REF_CROSS_PROVINCE",
]


def default_rules(form: str) -> list[SplitRule]:
    """The statutory rules for an enterprise form (``branch`` or ``subsidiary``)."""
    cit: SplitRule = CitBranchRule() if form == "branch" else CitSubsidiaryRule()
    return [cit, VatRule(), SurchargesRule(), IitRule()]
