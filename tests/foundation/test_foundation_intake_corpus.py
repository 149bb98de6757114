"""The intake corpus (issue 9): profile files written the way users and the enterprise-information platforms
(企查查, 天眼查, 启信宝, 问卷星 …) write them, independently of the intake code. Each file goes through
``prepare`` and is compared with ``intake_corpus/expected.yaml`` (the values each row must be stored with, the
rows that must be rejected and why); two of them also end to end, through ``ingest_file`` into a real store.

A failure lists every difference of the file at once, one line each: file | key (row) | column | expected | got.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
import yaml

from matchmaking.profiles import FileRefused, prepare

CORPUS = Path(__file__).resolve().parent / "intake_corpus"
CASES = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
KEY = {"organisations": "credit_code", "projects": "project_id"}
INT_COLUMNS = {"employees", "founded_year"}
AMOUNT_COLUMNS = {"revenue_wan", "investment_wan"}
DEFAULTS = {"org_type": "enterprise"}  # what a new profile gets for a column its file does not have
_PLAIN_DECIMAL = re.compile(r"\d+(\.\d+)?")


def _text(value: object) -> str:
    """A stored value as canonical text (for values read back from the store): null → ""."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    try:
        import pandas as pd

        if not isinstance(value, list | tuple | dict) and pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _same(column: str, expected: object, got: str) -> bool:
    """Is ``got`` (canonical text) the expected value? Integers as integers, amounts as plain decimals (so
    ``300`` and ``300.0000`` are the same amount, ``3e2`` is not plain), everything else exactly."""
    if expected == "":
        return got == ""
    if column in INT_COLUMNS:
        return bool(re.fullmatch(r"\d+", got)) and int(got) == int(expected)
    if column in AMOUNT_COLUMNS:
        if not _PLAIN_DECIMAL.fullmatch(got):
            return False
        try:
            return Decimal(got) == Decimal(str(expected))
        except InvalidOperation:
            return False
    return got == str(expected)


def _line(file: str, key: str, row: int | str, column: str, expected: object, got: object) -> str:
    return f"{file} | {key} (row {row}) | {column} | expected {expected!r} | got {got!r}"


def _errors_on(problems, row: int) -> list:
    return [p for p in problems if p.severity == "error" and p.row == row]


def _why(problems) -> str:
    return "; ".join(f"[{p.column}] {p.reason}" for p in problems) or "no error reported on the row"


def _compare_rows(case: dict, stored: dict[str, dict], problems=()) -> list[str]:
    """Differences between the expected rows of ``case`` and ``stored`` (key → column → canonical text)."""
    out = []
    file = case["file"]
    for key, expected in (case.get("rows") or {}).items():
        row = expected["row"]
        got_row = stored.get(key)
        if got_row is None:
            out.append(_line(file, key, row, "(row)", "stored", "not stored: " + _why(_errors_on(problems, row))))
            continue
        for column, value in expected.items():
            if column == "row":
                continue
            if column not in got_row:  # the file has no such column: a new profile gets the contract's default
                got = DEFAULTS.get(column, "")
                if not _same(column, value, got):
                    out.append(_line(file, key, row, column, value, f"(no {column} column read: {got!r})"))
                continue
            got = _text(got_row[column])
            if not _same(column, value, got):
                out.append(_line(file, key, row, column, value, got))
    return out


def _prepare(case: dict):
    data = (CORPUS / case["file"]).read_bytes()
    try:
        return prepare(data, case["file"])
    except FileRefused as exc:
        pytest.fail(f"{case['file']} | (file) | - | expected {case['stored']} rows stored | got the whole file "
                    f"refused: {exc}")


def test_every_file_of_the_corpus_has_its_expectations():
    files = {p.name for p in CORPUS.iterdir() if p.name not in ("expected.yaml", "make_corpus.py")
             and not p.name.startswith((".", "__"))}
    assert files == {c["file"] for c in CASES}
    assert 15 <= len(files) <= 20


def test_corpus_is_what_the_committed_script_makes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_intake_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        module.main(tmp_path)
    finally:
        sys.modules.pop(spec.name, None)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted([c["file"] for c in CASES] + ["expected.yaml"])
    for name in made:
        assert (tmp_path / name).read_bytes() == (CORPUS / name).read_bytes(), name


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_intake_corpus_file(case):
    file = case["file"]
    p = _prepare(case)
    out = []
    if p.kind != case["kind"]:
        out.append(_line(file, "(file)", "-", "kind", case["kind"], p.kind))
    key = KEY[case["kind"]]
    rows = p.rows.to_pylist()
    stored = {r.get(key, ""): r for r in rows}
    if p.rows.num_rows != case["stored"]:
        extra = sorted(set(stored) - set(case.get("rows") or {}))
        out.append(_line(file, "(file)", "-", "rows stored", case["stored"], p.rows.num_rows)
                   + (f"; stored but not expected: {extra}" if extra else ""))
    if p.rejected_count != case["rejected"]:
        out.append(_line(file, "(file)", "-", "rows rejected", case["rejected"], p.rejected_count))
    out += _compare_rows(case, stored, p.problems)
    for rej in case.get("rejected_rows") or []:
        row, words = rej["row"], rej["reason_any"]
        errors = _errors_on(p.problems, row)
        if rej["key"] in stored:
            out.append(_line(file, rej["key"], row, rej["column"], "rejected", "stored"))
        if not errors:
            out.append(_line(file, rej["key"], row, rej["column"], f"an error naming one of {words}",
                             "no error on the row"))
        else:
            text = " ".join(f"{e.reason} {e.reason_zh}" for e in errors).lower()
            for group in (words, rej.get("reason_also") or []):
                if group and not any(w.lower() in text for w in group):
                    out.append(_line(file, rej["key"], row, rej["column"], f"a reason naming one of {group}",
                                     " / ".join(f"[{e.column}] {e.reason} | {e.reason_zh}" for e in errors)))
    for row in case.get("warned_rows") or []:
        if not [x for x in p.problems if x.row == row and x.severity == "warning"]:
            out.append(_line(file, "-", row, "(notes)", "a warning saying what was converted", "none"))
    assert not out, f"{len(out)} difference(s):\n" + "\n".join(out)


E2E_FILES = ["04_staff_list_title_row.csv", "05_staff_workbook_cover_sheet.xlsx"]


def test_end_to_end_through_the_store(tmp_path):
    """The title-row CSV and the workbook with a cover sheet through ``ingest_file`` into a fresh DuckDB
    file, then the stored values read back with ``Store.profiles``."""
    from matchmaking.services import ingest_file
    from matchmaking.store import Store

    out = []
    with Store(tmp_path / "hst.duckdb") as store:
        for name in E2E_FILES:
            case = next(c for c in CASES if c["file"] == name)
            report = ingest_file(store, CORPUS / name)
            if report.status == "refused":
                out.append(_line(name, "(file)", "-", "status", "stored", f"refused: {report.problems}"))
                continue
            if report.rejected != case["rejected"]:
                out.append(_line(name, "(file)", "-", "rows rejected", case["rejected"], report.rejected))
        frame = store.profiles("organisations", include_private=True, exact=True)
        stored = {r["credit_code"]: r for r in frame.to_dict("records")}
        for name in E2E_FILES:
            case = next(c for c in CASES if c["file"] == name)
            out += _compare_rows(case, stored)
            for rej in case.get("rejected_rows") or []:
                if rej["key"] in stored:
                    out.append(_line(name, rej["key"], rej["row"], rej["column"], "rejected", "stored"))
        expected_total = sum(next(c for c in CASES if c["file"] == n)["stored"] for n in E2E_FILES)
        if len(frame) != expected_total:
            out.append(_line("+".join(E2E_FILES), "(store)", "-", "organisations stored", expected_total, len(frame)))
    assert not out, f"{len(out)} difference(s):\n" + "\n".join(out)
