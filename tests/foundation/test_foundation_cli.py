"""The ``hst`` command line as scripts use it: exit codes, one-line errors, never a traceback."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from foundation_helpers import BAD_INPUTS, REPO


def _one_line(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(lines) == 1, text
    return lines[0]


def test_init_is_idempotent(hst, db_path):
    first = hst("init", db=db_path)
    second = hst("init", db=db_path)
    assert first.returncode == second.returncode == 0
    from matchmaking.store import SCHEMA_VERSION

    assert f"schema version {SCHEMA_VERSION}" in first.stdout and first.stdout == second.stdout
    assert hst("stats", db=db_path).returncode == 0


def test_init_demo_loads_the_demo_folder(hst, db_path, tmp_path):
    data = tmp_path / "data"
    (data / "demo").mkdir(parents=True)
    shutil.copytree(REPO / "data" / "reference", data / "reference")
    shutil.copy(BAD_INPUTS / "01_utf8_valid.csv", data / "demo" / "organisations.csv")
    (data / "demo" / "projects.csv").write_text(
        "project_id,title,city,stage\nP-1,中试线,苏州,中试\nP-2,Jacket yard,Nantong,expansion\n", encoding="utf-8")
    proc = hst("init", "--demo", db=db_path, HST_DATA_DIR=str(data))
    assert proc.returncode == 0, proc.stderr
    assert "5 new" in proc.stdout and "2 new" in proc.stdout
    again = hst("init", "--demo", db=db_path, HST_DATA_DIR=str(data))
    assert again.returncode == 0 and "5 unchanged" in again.stdout
    stats = json.loads(hst("stats", "--json", db=db_path).stdout)
    assert stats["counts"] == {"organisations": 5, "projects": 2}


def test_stats_on_an_empty_and_a_filled_database(hst, db_path):
    assert hst("init", db=db_path).returncode == 0
    empty = hst("stats", db=db_path)
    assert empty.returncode == 0 and "organisations: 0" in empty.stdout and "projects: 0" in empty.stdout
    assert json.loads(hst("stats", "--json", db=db_path).stdout)["counts"] == {"organisations": 0, "projects": 0}
    assert hst("ingest", BAD_INPUTS / "01_utf8_valid.csv", BAD_INPUTS / "36_projects.csv",
               db=db_path).returncode == 1
    filled = hst("stats", db=db_path)
    assert filled.returncode == 0 and "organisations: 5" in filled.stdout and "projects: 2" in filled.stdout
    assert "Shanghai" in filled.stdout and "enterprise" in filled.stdout
    data = json.loads(hst("stats", "--json", db=db_path).stdout)
    assert data["organisations_by_city_type"]["total"]["total"] == 5


def test_stats_without_a_database(hst, tmp_path):
    proc = hst("stats", db=tmp_path / "none.duckdb")
    assert proc.returncode == 2 and "hst init" in _one_line(proc.stderr)
    assert not (tmp_path / "none.duckdb").exists()


def test_ingest_several_files_exit_code_and_json_list(hst, db_path):
    proc = hst("ingest", BAD_INPUTS / "01_utf8_valid.csv", BAD_INPUTS / "22_empty.csv", "--json", db=db_path)
    assert proc.returncode == 2  # one file refused: the worst code wins
    reports = json.loads(proc.stdout)
    assert [r["exit_code"] for r in reports] == [0, 2]
    proc = hst("ingest", BAD_INPUTS / "01_utf8_valid.csv", BAD_INPUTS / "11_bad_check_digit_pos18.csv", db=db_path)
    assert proc.returncode == 1


def test_report_language_can_be_chosen(hst, db_path):
    proc = hst("ingest", BAD_INPUTS / "45_zh_headers_bad_values.csv", "--lang", "en", db=db_path)
    assert proc.returncode == 1 and "unknown city '北京'" in proc.stdout and "row 3, city" in proc.stdout
    proc = hst("ingest", BAD_INPUTS / "15_unknown_city.csv", "--lang", "zh", db=db_path)
    assert "第 3 行，城市：拒绝：未知城市“Beijing”" in proc.stdout


@pytest.mark.parametrize(("args", "words"), [
    (["ingest", "no_such_file.csv"], "cannot read"),
    (["export", "--out", "profiles.txt"], "must end in .csv or .xlsx"),
    (["export", "--out", "profiles"], "must end in .csv or .xlsx"),
    (["ingest", "x.csv", "--kind", "people"], "invalid choice"),
    (["frobnicate"], "invalid choice"),
    (["ingest"], "required"),
])
def test_usage_errors_are_one_line_exit_2(hst, db_path, args, words):
    proc = hst(*args, db=db_path)
    assert proc.returncode == 2
    assert words in _one_line(proc.stderr)


def test_export_before_init(hst, tmp_path):
    proc = hst("export", "--out", tmp_path / "x.csv", db=tmp_path / "none.duckdb")
    assert proc.returncode == 2 and "no database" in _one_line(proc.stderr)


def test_export_to_a_place_that_cannot_be_written(hst, db_path, tmp_path):
    hst("init", db=db_path)
    (tmp_path / "afile").write_text("x")
    proc = hst("export", "--out", tmp_path / "afile" / "x.csv", db=db_path)
    assert proc.returncode == 2 and "cannot write" in _one_line(proc.stderr)


@pytest.mark.parametrize("make", ["text", "csv", "directory", "under_a_file"])
def test_db_that_is_not_a_duckdb_database(hst, tmp_path, make):
    target = tmp_path / "not.duckdb"
    if make == "text":
        target.write_text("hello, I am not a database\n")
    elif make == "csv":
        shutil.copy(BAD_INPUTS / "01_utf8_valid.csv", target)
    elif make == "directory":
        target.mkdir()
    else:
        (tmp_path / "plain").write_text("x")
        target = tmp_path / "plain" / "hst.duckdb"
    commands = (["stats"], ["ingest", str(BAD_INPUTS / "01_utf8_valid.csv")], ["init"]) if make == "text" else (
        ["ingest", str(BAD_INPUTS / "01_utf8_valid.csv")],)
    for args in commands:
        proc = hst(*args, db=target)
        assert proc.returncode == 2, (args, proc.stdout)
        assert "cannot open the database" in _one_line(proc.stderr) or "no database" in proc.stderr


def test_unexpected_errors_are_one_line_unless_debugging(hst, db_path, tmp_path):
    broken = tmp_path / "no_data"  # a broken installation: the reference tables are missing
    broken.mkdir()
    args = ("ingest", BAD_INPUTS / "01_utf8_valid.csv")
    proc = hst(*args, db=db_path, HST_DATA_DIR=str(broken), unexpected_ok=True)
    assert proc.returncode == 2
    line = _one_line(proc.stderr)
    assert "unexpected error" in line and "HST_DEBUG=1" in line and re.search(r"reference/\w+\.csv", line), line
    import subprocess

    from foundation_helpers import hst_command, hst_env
    debug = subprocess.run(hst_command(db_path, *map(str, args)), env=hst_env(HST_DATA_DIR=str(broken),
                           HST_DEBUG="1"), capture_output=True, text=True, check=False)
    assert debug.returncode != 0 and "Traceback" in debug.stderr
