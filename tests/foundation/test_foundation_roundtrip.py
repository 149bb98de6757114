"""Export, then ingest the export: nothing changes. Exported cells that a spreadsheet would run as a
formula are text. A changed cell in an export makes exactly one new version."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest
from foundation_helpers import BAD_INPUTS, dump

from matchmaking.services import ingest_file
from matchmaking.store import Store

FORMULA_VALUES = {'=HYPERLINK("http://evil.example/x","点我")', "+1 just a plus", "@SUM(A1:A9)", "-2+3"}
PROFILE_TABLES = ("organisations", "organisation_versions", "projects", "project_versions")


@pytest.fixture
def filled(db_path):
    """Profiles with history, extra columns, legacy districts, amounts, projects and formula-like text."""
    with Store(db_path) as store:
        for name in ("01_utf8_valid.csv", "08_extra_unknown_columns.csv", "16_legacy_and_split_districts.csv",
                     "17_bad_numbers_and_years.csv", "36_projects.csv", "20_formula_and_sql_text.csv"):
            assert ingest_file(store, BAD_INPUTS / name).stored
    return db_path


def _profiles(db):
    d = dump(db)
    return {t: d[t] for t in PROFILE_TABLES}


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_export_then_ingest_changes_nothing(hst, filled, tmp_path, suffix, lang):
    before = _profiles(filled)
    for kind in ("organisations", "projects"):
        out = tmp_path / f"{kind}.{suffix}"
        proc = hst("export", "--kind", kind, "--out", out, "--lang", lang, db=filled)
        assert proc.returncode == 0 and out.exists(), proc.stderr
        proc = hst("ingest", out, "--json", db=filled)
        report = json.loads(proc.stdout)
        assert proc.returncode == 0, report["problems"]
        assert (report["new"], report["updated"], report["rejected"]) == (0, 0, 0), report
        assert report["header_lang"] == lang
    assert _profiles(filled) == before


def test_export_into_a_fresh_database_gives_the_same_profiles(hst, filled, tmp_path):
    out = tmp_path / "orgs.csv"
    assert hst("export", "--out", out, db=filled).returncode == 0
    fresh = tmp_path / "fresh.duckdb"
    assert hst("ingest", out, db=fresh).returncode == 0
    with Store(filled) as a, Store(fresh) as b:
        cols = ["credit_code", "content_hash", "revenue_wan", "partner_types", "extra"]
        assert a.profiles("organisations", include_private=True, with_meta=True)[cols].to_json() == \
            b.profiles("organisations", include_private=True, with_meta=True)[cols].to_json()


def test_csv_export_defuses_formulas(hst, filled, tmp_path):
    out = tmp_path / "orgs.csv"
    assert hst("export", "--out", out, db=filled).returncode == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel opens it
    cells = [c for row in csv.reader(raw.decode("utf-8-sig").splitlines()) for c in row]
    for value in FORMULA_VALUES:
        assert "'" + value in cells and value not in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]


def test_xlsx_export_cells_are_text_never_formulas(hst, filled, tmp_path):
    out = tmp_path / "orgs.xlsx"
    assert hst("export", "--out", out, db=filled).returncode == 0
    ws = openpyxl.load_workbook(out).active  # not read-only: data_type is what Excel will see
    seen = set()
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
                assert cell.data_type == "s"
                seen.add(cell.value)
    assert seen >= FORMULA_VALUES
    headers = [c.value for c in ws[1]]
    revenue = [r[headers.index("revenue_wan")] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert 1200.5 in revenue or "1200.5" in [str(v) for v in revenue]


def test_public_export_leaves_out_private_fields(hst, filled, tmp_path):
    out = tmp_path / "public.csv"
    assert hst("export", "--out", out, "--public", db=filled).returncode == 0
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert not {"revenue_wan", "contact_name", "contact_phone", "contact_email"} & set(header)
    assert "credit_code" in header


def test_a_changed_cell_in_an_export_makes_one_new_version(hst, filled, tmp_path):
    out = tmp_path / "orgs.csv"
    assert hst("export", "--out", out, db=filled).returncode == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    target = rows[0]["credit_code"]
    old_seeks = rows[0]["seeks"]
    rows[0]["seeks"] = "寻找南通的生产基地"
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    before = _profiles(filled)
    report = json.loads(hst("ingest", out, "--json", db=filled).stdout)
    assert (report["new"], report["updated"], report["unchanged"]) == (0, 1, len(rows) - 1)
    with Store(filled) as store:
        hist = store.history("organisations", target)
        assert hist["version"].tolist() == list(range(1, len(hist) + 1))
        assert hist["seeks"].tolist()[-2:] == [old_seeks or None, "寻找南通的生产基地"]
    after = _profiles(filled)
    assert len(after["organisation_versions"]) == len(before["organisation_versions"]) + 1
