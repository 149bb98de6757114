"""Bad scenario files: one clear error each, naming the field, the bad value and what is allowed.

Each case is checked twice: ``load_scenario`` raises a ScenarioError with the expected fragments, and
``hst split`` (through ``benefit_sharing.cli.run``) prints it as one line ``hst split: <message>`` on
stderr and returns exit code 2. A subprocess test checks the real command prints one line and no
traceback.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from benefit_sharing import ScenarioError, load_scenario
from benefit_sharing.cli import run

REPO = Path(__file__).resolve().parents[2]


def _run_fails(args) -> str:
    """Runs ``hst split`` expecting a user error: exit code 2, nothing on stdout, one line on stderr."""
    out, err = io.StringIO(), io.StringIO()
    assert run(args, stdout=out, stderr=err) == 2
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and err.getvalue().endswith("\n"), err.getvalue()
    assert lines[0].startswith("hst split: ")
    return lines[0]

_BASE = """\
name: bad
years: [2026]
enterprise: {name: X, form: branch, cit_rate: 0.25}
establishments:
  - {id: hq, city: Shanghai, role: hq}
  - id: nt
    city: Nantong
    role: production
    factors: {2025: {revenue: 1, payroll: 1, assets: 1}}
flows:
  2026: {taxable_income: 100}
"""

_AGREEMENT = """\
agreements:
  - name: a
    host: Nantong
    partner: Shanghai
    host_share: {HOST_SHARE}
"""

# (id, file text, fragments that must all appear in the message)
CASES = [
    (
        "unknown-top-key",
        _BASE + "scenaro_notes: hi\n",
        ["scenaro_notes: unknown key", "allowed keys: name, description, years"],
    ),
    (
        "unknown-enterprise-key",
        _BASE.replace("cit_rate: 0.25", "cit_rat: 0.25"),
        ["enterprise.cit_rat: unknown key", "allowed keys:", "cit_rate"],
    ),
    (
        "unknown-establishment-key",
        _BASE.replace("role: production", "role: production\n    roles: x"),
        ["establishments[1].roles: unknown key", "allowed keys: id, name, city"],
    ),
    (
        "bad-role",
        _BASE.replace("role: production", "role: factory"),
        ["establishments[1].role = 'factory'", "allowed values: hq, production, sales, rd"],
    ),
    (
        "missing-factors-for-year",
        _BASE.replace("2025: {revenue", "2024: {revenue"),
        ["establishments[1].factors.2025: missing", "revenue, payroll and assets", "given years: 2024"],
    ),
    (
        "factor-sums-to-zero",
        _BASE.replace("payroll: 1,", "payroll: 0,"),
        ["factors.2025.payroll", "sums to 0", "allowed: at least one branch with a positive value"],
    ),
    (
        "share-above-one",
        _BASE + _AGREEMENT.replace("{HOST_SHARE}", "{2026-01-01: 0.7, 2029-01-01: 1.4}"),
        ["agreements[0].host_share['2029-01-01'] = 1.4: a share must be a number in [0, 1]"],
    ),
    (
        "share-below-zero",
        _BASE.replace("cit_rate: 0.25", "cit_rate: -0.1"),
        ["enterprise.cit_rate = -0.1", "a share must be a number in [0, 1]"],
    ),
    (
        "schedule-duplicate-date",
        _BASE + _AGREEMENT.replace("{HOST_SHARE}", "{2026-01-01: 0.7, 2026-01-01: 0.5}"),
        ["agreements[0].host_share (line 16): key 2026-01-01 appears twice", "may appear once"],
    ),
    (
        "schedule-unsorted",
        _BASE + _AGREEMENT.replace("{HOST_SHARE}", "{2031-01-01: 1.0, 2026-01-01: 0.7}"),
        ["agreements[0].host_share = '2031-01-01, 2026-01-01'", "ascending order"],
    ),
    (
        "schedule-overlapping-periods",
        _BASE
        + _AGREEMENT.replace(
            "{HOST_SHARE}",
            "[{from: 2026-01-01, until: 2029-12-31, share: 0.7}, {from: 2029-01-01, share: 0.5}]",
        ),
        ["agreements[0].host_share: periods overlap", "until 2029-12-31", "starts 2029-01-01"],
    ),
    (
        "schedule-mid-month",
        _BASE + _AGREEMENT.replace("{HOST_SHARE}", "{2026-01-15: 0.7}"),
        ["host_share['2026-01-15']", "first day of a month", "allowed: YYYY-MM-01"],
    ),
    (
        "unknown-parameter",
        _BASE + "parameters: {local_split.Jiangsu.cit.provincial_share: 0.5}\n",
        [
            "parameters.local_split.Jiangsu.cit.provincial_share: unknown parameter",
            "allowed:",
            "local_split.<province>.<cit|vat|iit|surcharges>.province_share",
        ],
    ),
    (
        "bad-mode-value",
        _BASE + "parameters: {intra_province_mode.Jiangsu: by_hq}\n",
        [
            "parameters.intra_province_mode.Jiangsu = 'by_hq'",
            "allowed values: centralized_at_hq, apportion_like_national",
        ],
    ),
    (
        "unknown-establishment-in-flows",
        _BASE.replace("taxable_income: 100}", "taxable_income: 100, vat_payable: {sx: 5}}"),
        ["flows.2026.vat_payable.sx: unknown establishment id", "allowed: hq, nt"],
    ),
    (
        "missing-flows-year",
        _BASE.replace("years: [2026]", "years: [2026, 2027]"),
        ["flows.2027: missing", "given: 2026"],
    ),
    (
        "two-hq",
        _BASE.replace("role: production", "role: hq"),
        ["exactly one establishment", "role: hq", "found 2"],
    ),
    (
        "unknown-agreement-city",
        _BASE + _AGREEMENT.replace("{HOST_SHARE}", "0.5").replace("host: Nantong", "host: Nantung"),
        ["agreements[0].host = 'Nantung'", "unknown city; allowed: Nantong, Shanghai, Suzhou"],
    ),
    (
        "bad-statistics",
        _BASE + _AGREEMENT.replace("{HOST_SHARE}", "0.5") + "    statistics: both\n",
        ["agreements[0].statistics = 'both'", "allowed values: split, double_count, none"],
    ),
    (
        "game-missing-coalition",
        "name: g\ngame:\n  players: [A, B]\n  values: {A: 1, B: 2}\n",
        ["game.values: missing coalitions", "A+B"],
    ),
    (
        "game-unknown-player",
        "name: g\ngame:\n  players: [A, B]\n  values: {A: 1, B: 2, A+C: 4}\n",
        ["game.values.A+C: unknown player 'C'", "from: A, B"],
    ),
    ("not-yaml", "name: [unclosed\n", ["not valid YAML/JSON"]),
    ("not-a-mapping", "- 1\n- 2\n", ["the file must hold a mapping"]),
]


@pytest.mark.parametrize("case_id, text, fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_scenario_gives_one_clear_error(tmp_path, case_id, text, fragments, split_args):
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert message.startswith("scenario.yaml: ")
    assert len(info.value.problems) == 1, message  # one clear error, not a cascade
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert _run_fails(split_args(str(path))) == f"hst split: {message}"


def test_several_problems_are_reported_together(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(_BASE.replace("cit_rate: 0.25", "cit_rate: 2").replace("role: production", "role: plant"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert len(info.value.problems) == 2
    assert "2 problems" in str(info.value) and "cit_rate" in str(info.value) and "'plant'" in str(info.value)


def test_json_scenario_with_string_years_is_accepted(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(
        '{"name": "j", "years": ["2026"], "enterprise": {"name": "X", "form": "subsidiary"},'
        '"establishments": [{"id": "a", "city": "Suzhou", "role": "production"}],'
        '"flows": {"2026": {"vat_payable": {"a": 10}}}}'
    )
    assert load_scenario(path).years == (2026,)


def test_missing_file_and_bad_out_suffix(tmp_path, split_args):
    assert "file not found" in _run_fails(split_args(str(tmp_path / "nope.yaml")))
    game = str(REPO / "data/scenarios/bs08_joint_project_game.yaml")
    assert ".xlsx or .csv" in _run_fails(split_args(game, "--out", str(tmp_path / "x.pdf")))


def test_wrong_scenario_suffix_and_unwritable_output(tmp_path, split_args):
    notes = tmp_path / "scenario.txt"
    notes.write_text("name: x\n", encoding="utf-8")
    assert _run_fails(split_args(str(notes))) == (
        f"hst split: {notes}: a scenario file ends in .yaml, .yml or .json"
    )
    game = str(REPO / "data/scenarios/bs08_joint_project_game.yaml")
    line = _run_fails(split_args(game, "--out", str(tmp_path / "no-such-folder" / "x.csv")))
    assert "cannot write the file" in line and "no-such-folder" in line


_CONSOLE = [
    "-c",
    "import sys; from matchmaking.cli import main; sys.exit(main())",
]  # as the hst script starts
_MODULE = ["-m", "matchmaking.cli"]


@pytest.mark.parametrize("launcher", [_CONSOLE, _MODULE], ids=["console-script", "python-m"])
def test_hst_split_bad_file_exits_2_with_one_line(tmp_path, launcher):
    """Runs the real ``hst`` dispatcher (``matchmaking.cli``), which loads this package's CLI by name."""
    path = tmp_path / "scenario.yaml"
    path.write_text(CASES[6][1], encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, *launcher, "split", str(path)], capture_output=True, text=True, cwd=REPO, timeout=300
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("hst split: scenario.yaml: agreements[0].host_share['2029-01-01'] = 1.4")
    assert "Traceback" not in proc.stderr and proc.stdout == ""
