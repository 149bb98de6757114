"""The bad-input corpus: every file through the real ``hst ingest`` (JSON and text reports), checked
against ``bad_inputs/cases.yaml``; then the stored values of a few of them, read back through ``Store``."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml
from foundation_helpers import BAD_INPUTS, assert_no_traceback, hst_command, hst_env

from matchmaking.services import ingest_file
from matchmaking.store import Store

CASES = yaml.safe_load((BAD_INPUTS / "cases.yaml").read_text(encoding="utf-8"))


def _case_id(case: dict) -> str:
    return case["file"] + ("[" + " ".join(case["args"]) + "]" if case.get("args") else "")


def test_corpus_is_large_enough_and_every_file_has_a_case():
    files = {p.name for p in BAD_INPUTS.iterdir() if p.name != "cases.yaml"}
    assert len(files) >= 25
    assert files == {c["file"] for c in CASES}


def test_corpus_is_what_the_committed_script_makes(tmp_path):
    import make_bad_inputs

    make_bad_inputs.main(tmp_path)
    for made in tmp_path.iterdir():
        assert made.read_bytes() == (BAD_INPUTS / made.name).read_bytes(), made.name


@pytest.fixture(scope="module")
def corpus_runs(tmp_path_factory):
    """Every case through the real CLI twice (--json and text), each into its own fresh database; the
    subprocesses run a few at a time (they mostly wait for the interpreter to start)."""
    from concurrent.futures import ThreadPoolExecutor

    root = tmp_path_factory.mktemp("corpus")

    def run(job):
        i, case, mode = job
        db = root / f"{i}_{mode}.duckdb"
        args = ["ingest", str(BAD_INPUTS / case["file"]), *case.get("args", []), *(["--json"] if mode == "json" else [])]
        proc = subprocess.run(hst_command(db, *args), cwd=root, env=hst_env(), capture_output=True, text=True,
                              timeout=180, check=False)
        return (_case_id(case), mode), (proc, db)

    jobs = [(i, case, mode) for i, case in enumerate(CASES) for mode in ("json", "text")]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(run, jobs))


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_bad_input(case, corpus_runs):
    out = {}
    for mode in ("json", "text"):
        proc, db = corpus_runs[(_case_id(case), mode)]
        out[mode] = proc
        assert_no_traceback(proc)
        assert proc.returncode == case["exit"], (mode, proc.stdout[-3000:], proc.stderr[-3000:])
    text_db = corpus_runs[(_case_id(case), "text")][1]

    report = json.loads(out["json"].stdout)
    assert report["stored"] == case["stored"], report
    assert report["rejected"] == case["rejected"], report
    assert report["exit_code"] == case["exit"]
    assert len({p["row"] for p in report["problems"] if p["severity"] == "error"}) >= min(case["rejected"], 1) \
        if case["rejected"] else True
    for p in report["problems"]:  # every problem names its row and says why, in both languages
        assert p["reason"] and p["reason_zh"]
        assert isinstance(p["row"], int)

    text = out["text"].stdout + out["text"].stderr
    for word in case["words"]:
        assert word in text, f"{word!r} not in report:\n{text[:4000]}"
    if case["exit"] == 2:  # a refusal is said on stderr, in one line per file
        assert out["text"].stderr.strip()
    if report["header_lang"] == "zh" and report["problems"]:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text.split("\n", 1)[-1])

    # what the database holds agrees with the report
    with Store(text_db) as store:
        kind = "projects" if "projects" in case.get("args", []) or "project" in case["file"] else "organisations"
        assert store.count(kind) == case["stored"]
        uploads = store.uploads()
        assert len(uploads) == 1
        assert int(uploads["rows_rejected"].iloc[0]) == case["rejected"]
        if case["rejected"]:
            rows = store.rejected_rows(int(uploads["upload_id"].iloc[0]))
            assert len(rows) == case["rejected"]  # nothing a user sent is lost
            assert len(store.rejections(int(uploads["upload_id"].iloc[0]))) >= case["rejected"]


# ------------------------------------------------------------------------------ stored values
def _ingest(db: Path, name: str, **kw):
    store = Store(db)
    report = ingest_file(store, BAD_INPUTS / name, **kw)
    return store, report


def test_numbers_are_stored_exactly_as_decimals(db_path):
    store, report = _ingest(db_path, "17_bad_numbers_and_years.csv")
    with store:
        orgs = store.profiles("organisations", include_private=True, exact=True).set_index("credit_code")
    assert report.stored == 3
    revenue = {k: v for k, v in orgs["revenue_wan"].items()}
    assert sorted(revenue.values()) == [Decimal("1200.5"), Decimal("3000"), Decimal("12000")]
    assert all(isinstance(v, Decimal) for v in revenue.values())
    row8 = orgs[orgs["revenue_wan"] == Decimal("12000")].iloc[0]  # 1.2亿 / １２００ / 2011.0
    assert int(row8["employees"]) == 1200 and int(row8["founded_year"]) == 2011


def test_places_enums_and_lists_are_stored_canonical(db_path):
    store, _ = _ingest(db_path, "16_legacy_and_split_districts.csv")
    with store:
        orgs = store.profiles("organisations").set_index("credit_code")
    assert set(orgs["city"]) <= {"Shanghai", "Suzhou", "Nantong"}
    got = {(r.city, r.district, r.district_adcode) for r in orgs.itertuples()}
    assert got == {("Shanghai", "静安区", "310106"), ("Suzhou", "吴江区", "320509"),
                   ("Nantong", "海门区", "320614"), ("Suzhou", "吴中区", "320506")}

    store2, _ = _ingest(db_path.with_name("b.duckdb"), "01_utf8_valid.csv")
    with store2:
        orgs = store2.profiles("organisations").set_index("name")
    assert orgs.loc["Suzhou BioPharm Co., Ltd.", "city"] == "Suzhou"
    assert orgs.loc["Suzhou BioPharm Co., Ltd.", "district"] == "苏州工业园区"
    assert list(orgs.loc["Suzhou BioPharm Co., Ltd.", "partner_types"]) == ["supplier", "production_base"]
    assert orgs.loc["南通海工装备有限公司", "org_type"] == "enterprise"  # 企业
    assert orgs.loc["苏州大学材料与化学化工学部", "org_type"] == "university"  # 高校
    assert list(orgs.loc["南通海工装备有限公司", "partner_types"]) == ["rd_partner"]  # 研发合作
    assert orgs.loc["上海芯联微电子有限公司", "industry_code"] == "C3973"
    assert orgs.loc["Suzhou BioPharm Co., Ltd.", "industry_code"] == "C2761"  # written 2761


def test_formula_and_sql_text_is_stored_verbatim_and_harmless(db_path):
    store, report = _ingest(db_path, "20_formula_and_sql_text.csv")
    with store:
        orgs = store.profiles("organisations")
        names = set(orgs["name"])
        assert '=HYPERLINK("http://evil.example/x","点我")' in names
        assert "'); DROP TABLE organisations; --" in names
        assert set(orgs["offers"]) >= {"@SUM(A1:A9)"}
        assert set(orgs["seeks"]) >= {"-2+3"}
        assert "Robert'); DELETE FROM uploads WHERE ('1'='1" in set(orgs["description"])
        assert store.count("organisations") == 3 and len(store.uploads()) == 1


def test_encodings_keep_every_character(db_path):
    store, _ = _ingest(db_path, "04_gb18030_outside_gbk.csv")
    with store:
        orgs = store.profiles("organisations")
    assert "𠮷野家（上海）餐饮管理有限公司" in set(orgs["name"])
    assert any("€" in d for d in orgs["description"])


def test_control_characters_removed_and_extra_columns_kept(db_path):
    store, _ = _ingest(db_path, "43_blank_lines_and_control_chars.csv")
    with store:
        assert "Suzhou BioPharm Co." in set(store.profiles("organisations")["name"])
    store2, report = _ingest(db_path.with_name("x.duckdb"), "08_extra_unknown_columns.csv")
    assert report.unknown_columns == ("微信号", "remarks")
    with store2:
        extras = [json.loads(x) for x in store2.profiles("organisations")["extra"]]
    assert sorted(e["微信号"] for e in extras) == [f"wx_{i}" for i in range(5)]
    assert sum(1 for e in extras if e.get("remarks") == "VIP") == 2


def test_huge_cell_is_kept_whole_in_the_rejected_row(db_path):
    store, report = _ingest(db_path, "21_multi_megabyte_cell.csv")
    with store:
        (row, raw), = store.rejected_rows(report.upload_id)
    assert row == 3 and len(raw["description"]) > 1_000_000
    assert len(report.problems[0].value) <= 200  # the report repeats only the start of it


def test_short_row_is_padded_not_dropped(db_path):
    store, report = _ingest(db_path, "35_ragged_rows.csv")
    with store:
        orgs = store.profiles("organisations").set_index("name")
    row5 = orgs.loc["苏州大学材料与化学化工学部"]
    assert row5["industry_code"] == "P8341" and pd.isna(row5["description"]) and pd.isna(row5["employees"])
