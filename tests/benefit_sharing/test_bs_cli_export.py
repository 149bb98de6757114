"""``hst split``: the JSON contract, the readable table, .xlsx and .csv output (formula-safe)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl

from benefit_sharing import Scenario, evaluate, export_excel
from benefit_sharing.cli import run

REPO = Path(__file__).resolve().parents[2]
SCEN = REPO / "data" / "scenarios"


def _run(args) -> str:
    buf = io.StringIO()
    assert run(args, stdout=buf) == 0
    return buf.getvalue()


def test_json_contract(split_args):
    out = json.loads(_run(split_args(str(SCEN / "bs07_sh_nt_phased_agreement.yaml"), "--json")))
    assert set(out) == {"scenario", "rows", "allocations", "warnings"}
    assert out["scenario"].startswith("BS-07")
    for row in out["rows"]:
        assert {"year", "tax", "city", "component", "amount", "rule", "reference"} <= set(row)
        assert isinstance(row["amount"], (int, float)) and not isinstance(row["amount"], bool)
        assert row["tax"] in ("cit", "vat", "surcharges", "iit", "value_added")
        assert row["rule"] and row["reference"]
    to_sh = [
        r["amount"]
        for r in out["rows"]
        if r["year"] == 2029 and r["city"] == "Shanghai" and r["component"] == "agreement"
    ]
    assert sum(to_sh) == 205
    assert all({"code", "message"} <= set(w) for w in out["warnings"])


def test_json_allocations(split_args):
    out = json.loads(_run(split_args(str(SCEN / "bs08_joint_project_game.yaml"), "--json")))
    assert out["rows"] == []
    shapley = {a["player"]: a for a in out["allocations"] if a["rule"] == "shapley"}
    assert shapley["Suzhou"]["amount"] == 155 and shapley["Suzhou"]["in_core"] is True
    assert all({"rule", "player", "amount", "in_core"} <= set(a) for a in out["allocations"])


def test_readable_table_has_totals_allocations_warnings(split_args):
    text = _run(split_args(str(SCEN / "bs01_sh_hq_sz_nt_branches.yaml")))
    assert "== 2026 ==" in text and "total" in text and "2,500.00" in text and "== warnings ==" in text
    text = _run(split_args(str(SCEN / "bs08_joint_project_game.yaml")))
    assert "== allocations ==" in text and "nucleolus" in text


def test_xlsx_has_one_sheet_per_view_and_a_trace(split_args, tmp_path):
    target = tmp_path / "out.xlsx"
    _run(split_args(str(SCEN / "bs07_sh_nt_phased_agreement.yaml"), "--out", str(target)))
    wb = openpyxl.load_workbook(target)
    # a sheet only when it has lines: BS-07 has an agreement (and its net effect) but no game
    assert wb.sheetnames == ["about", "summary", "rows", "with_vs_without", "net_effect", "warnings", "trace"]
    rows = wb["rows"]
    header = [c.value for c in rows[1]]
    amount_col = header.index("amount")
    assert all(isinstance(r[amount_col].value, (int, float)) for r in rows.iter_rows(min_row=2))
    trace = wb["trace"]
    assert [c.value for c in trace[1]][:12] == [
        "row",
        "year",
        "tax",
        "city",
        "component",
        "period",
        "amount",
        "rule",
        "parameter",
        "value",
        "reference",
        "confidence",
    ]
    assert all(ws.max_row >= 2 for ws in wb.worksheets), "no empty sheet"
    assert trace.max_row > rows.max_row  # every amount explained by at least one line


def test_exported_text_cannot_run_as_a_formula(tmp_path):
    d = {
        "name": '=HYPERLINK("http://x","click")',
        "years": [2026],
        "enterprise": {"name": "X", "form": "subsidiary"},
        "establishments": [
            {
                "id": "-a",
                "name": "-a",  # the establishments column shows names: a name a spreadsheet could run
                "city": "@Town",
                "province": "Zhejiang",
                "role": "production",
                "location_type": "elsewhere",
            }
        ],
        "flows": {2026: {"vat_payable": {"-a": 100}}},
    }
    res = evaluate(Scenario.from_dict(d))
    path = export_excel(res, tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(path)
    about = {r[0].value: r[1] for r in wb["about"].iter_rows()}
    assert about["scenario"].data_type == "s" and about["scenario"].value.startswith("=HYPERLINK")
    cells = [c for row in wb["rows"].iter_rows() for c in row]
    towns = [c for c in cells if c.value == "@Town"]
    assert towns and all(c.data_type == "s" and c.quotePrefix for c in towns)
    assert any(c.value == "-a" and c.data_type == "s" for c in cells)
    assert any(isinstance(c.value, (int, float)) and c.value == 50 for c in cells)  # numbers stay numbers


def test_csv_is_utf8_with_bom_and_formula_safe(split_args, tmp_path):
    target = tmp_path / "rows.csv"
    _run(split_args(str(SCEN / "bs01_sh_hq_sz_nt_branches.yaml"), "--out", str(target)))
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("year,tax,city,component,period,amount,rule,reference")
    assert "国家税务总局公告2012年第57号" in text


def test_hst_split_json_end_to_end():
    """The real dispatcher, as the ``hst`` console script starts it (``matchmaking.cli``)."""
    code = "import sys; from matchmaking.cli import main; sys.exit(main())"
    proc = subprocess.run(
        [sys.executable, "-c", code, "split", str(SCEN / "bs01_sh_hq_sz_nt_branches.yaml"), "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    paid = {r["city"]: r["amount"] for r in out["rows"] if r["tax"] == "cit" and r["component"] == "paid"}
    assert paid == {"Shanghai": 1250, "Suzhou": 587.5, "Nantong": 662.5}


def test_library_never_imports_streamlit_nor_matchmaking():
    code = (
        "import sys, benefit_sharing, benefit_sharing.cli, benefit_sharing.export, benefit_sharing.batch, "
        "benefit_sharing.compare, benefit_sharing.forms, benefit_sharing.views; "
        "assert 'streamlit' not in sys.modules, 'streamlit imported'; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'matchmaking'], 'matchmaking imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=300)
