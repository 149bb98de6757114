"""Benefit sharing for the 沪苏通 cluster: who receives which tax and which output value, year by year.

Under the law (dated parameters, ``parameters/``), under an agreement (overlays, ``agreements``), and
for a joint project's surplus (cooperative games, ``games``). A small public API::

    from benefit_sharing import load_scenario, evaluate, compare, sweep, allocate, export_excel
    result = evaluate(load_scenario("data/scenarios/bs01_sh_hq_sz_nt_branches.yaml"))
    result.summary()          # pandas, year × tax × city with components in columns

Inside: ``scenario`` (what an official describes, and who takes part in the apportionment), ``rules``
(one module per tax), ``engine`` (statute, then agreements, then games), ``batch`` (the CIT
apportionment of a whole register), ``trace`` and ``names`` (every amount explained, every code named,
in English and Chinese), ``money`` (Decimal amounts, exact splits), ``forms``/``views`` (what a page
needs), ``cli`` (``hst split``). The concepts and the file format: ``docs/benefit-sharing.md``.

The library never imports streamlit, nor ``matchmaking``; pages call these functions and render.
"""

from .batch import BatchResult, apportion_cit_batch
from .compare import compare, sweep
from .engine import Result, allocate, evaluate
from .errors import Problem, ScenarioError
from .export import export_csv, export_excel
from .parameters import ParameterSet, default_parameters
from .rules import SplitRule
from .scenario import Scenario, load_scenario
from .trace import Allocation, Row, TraceLine, Warning

__all__ = [
    "load_scenario",
    "Scenario",
    "evaluate",
    "Result",
    "compare",
    "sweep",
    "allocate",
    "export_excel",
    "export_csv",
    "apportion_cit_batch",
    "BatchResult",
    "default_parameters",
    "ParameterSet",
    "SplitRule",
    "ScenarioError",
    "Problem",
    "Row",
    "TraceLine",
    "Warning",
    "Allocation",
]
