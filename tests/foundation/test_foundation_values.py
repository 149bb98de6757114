"""How single values are read: numbers, years, enums and lists, long text; through ``prepare`` on real
CSV bytes (so the reader, the header mapping and the column validators all take part)."""

from __future__ import annotations

import datetime as dt

import pytest
from make_bad_inputs import code, rows_to_csv

from matchmaking.profiles import prepare

THIS_YEAR = dt.date.today().year


def _one(column: str, value: str, zh: bool = False):
    """Prepare a one-row file with ``column`` set to ``value``; (stored text or None, problems)."""
    row = {"credit_code": code(1), "name": "上海测试科技有限公司", "city": "上海", column: value}
    headers = ["credit_code", "name", "city"] + ([column] if column not in ("credit_code", "name", "city") else [])
    p = prepare(rows_to_csv([row], headers, zh=zh).encode("utf-8"), "t.csv")
    stored = p.rows.column(column)[0].as_py() if p.rows.num_rows else None
    return stored, [x for x in p.problems if x.severity == "error"], p


@pytest.mark.parametrize(("raw", "stored"), [
    ("1,200.5", "1200.5"), ("１２００", "1200"), ("1.2亿", "12000"), ("1.2亿元", "12000"), ("￥3,000", "3000"),
    ("¥ 3,000", "3000"), ("RMB 500", "500"), ("1e3", "1000"), ("1.5E2", "150"), ("3万", "3"), ("1.5万元", "1.5"),
    ("0", "0"), ("007", "007"), ("1200.50", "1200.50"), (".5", ".5"), ("12.", "12."), ("+7", "7"),
    ("1 200", "1200"), ("1,234,567.25", "1234567.25"), ("", ""), ("  ", ""), ("1000000000", "1000000000"),
    ("'1200", "1200"),
    # a unit written with the value is converted to 万元 (a note says so)
    ("3000元", "0.3"), ("3,000,000元", "300"), ("2亿", "20000"),
])
def test_amounts_that_are_read(raw, stored):
    got, errors, _ = _one("revenue_wan", raw)
    assert errors == []
    assert got == stored


@pytest.mark.parametrize("raw", ["-", "—", "/", "N/A", "n/a", "NA", "无", "暂无", "不详", "null", "--"])
@pytest.mark.parametrize("column", ["revenue_wan", "employees", "founded_year"])
def test_no_value_markers_in_number_columns_are_empty_with_a_note(column, raw):
    got, errors, p = _one(column, raw)
    assert errors == [] and got == ""
    (note,) = p.problems
    assert note.severity == "warning" and "taken as no value" in note.reason and "按空值处理" in note.reason_zh


def test_credit_code_with_excel_apostrophe():
    got, errors, _ = _one("credit_code", "'" + code(1))
    assert errors == [] and got == code(1)


@pytest.mark.parametrize(("raw", "words"), [
    ("abc", "is not a number"), ("-5", "out of range"), ("1e20", "out of range"), ("1000000001", "out of range"),
    ("1.23456", "more than 4 decimal places"), ("2,5", "commas only between groups of three digits"),
    ("1,20,0", "is not a number"), ("NaN", "is not a number"), ("inf", "is not a number"),
    ("1.2.3", "is not a number"), ("--5", "is not a number"), ("约3000", "is an estimate"),
    ("1,2", "commas only between groups of three digits"), ("12,34.5", "is not a number"),
])
def test_amounts_that_are_rejected(raw, words):
    got, errors, p = _one("revenue_wan", raw)
    assert got is None and p.rows.num_rows == 0
    assert len(errors) == 1 and errors[0].column == "revenue_wan" and errors[0].row == 2
    assert words in errors[0].reason
    assert "营业收入(万元)" in errors[0].reason_zh


@pytest.mark.parametrize(("raw", "stored", "words"), [
    ("850", "850", None), ("1,200", "1200", None), ("12.0", "12", None), ("１２", "12", None),
    ("1e3", "1000", None), ("12.5", None, "must be a whole number"), ("-1", None, "out of range"),
    ("5000001", None, "out of range"), ("twelve", None, "is not a whole number"), ("3万", "30000", None),
    ("120人", "120", None), ("3,200人", "3200", None), ("约120人", None, "is an estimate"),
])
def test_headcounts(raw, stored, words):
    got, errors, _ = _one("employees", raw)
    assert got == stored
    if words:
        assert len(errors) == 1 and words in errors[0].reason


@pytest.mark.parametrize(("raw", "stored", "words"), [
    ("2011", "2011", None), ("2011年", "2011", None), ("2011-05-01", "2011", None), ("2011.0", "2011", None),
    ("2011/5", "2011", None), ("2011年5月", "2011", None), ("2011年5月1日", "2011", None), ("１９９８", "1998", None),
    ("2011-05-01 00:00:00", "2011", None), ("2011.05", "2011", None), ("1800", "1800", None),
    (str(THIS_YEAR), str(THIS_YEAR), None),
    (str(THIS_YEAR + 1), None, "not in the future"), ("2099", None, "not in the future"),
    ("1799", None, "between 1800"), ("19", None, "not a 4-digit year"), ("20110501", None, "not a 4-digit year"),
    ("May 2011", None, "not a 4-digit year"), ("2011-13-01", None, "not a 4-digit year"),
    ("2011-05-32", None, "not a 4-digit year"), ("二〇一一", None, "not a 4-digit year"),
])
def test_years(raw, stored, words):
    got, errors, _ = _one("founded_year", raw)
    assert got == stored
    if words:
        assert len(errors) == 1 and words in errors[0].reason and errors[0].reason_zh


@pytest.mark.parametrize(("column", "raw", "stored"), [
    ("org_type", "企业", "enterprise"), ("org_type", "Company", "enterprise"), ("org_type", "高校", "university"),
    ("org_type", "大学", "university"), ("org_type", "研究院", "institute"), ("org_type", "科研院所", "institute"),
    ("org_type", "VC", "investor"), ("org_type", "投资机构", "investor"), ("org_type", "", "enterprise"),
    ("org_type", "ＥＮＴＥＲＰＲＩＳＥ", "enterprise"),
    ("partner_types", "supplier;customer", "supplier;customer"), ("partner_types", "供应商、客户", "supplier;customer"),
    ("partner_types", "研发合作；生产基地", "rd_partner;production_base"),
    ("partner_types", "R&D, investor", "rd_partner;investor"), ("partner_types", "客户;customer", "customer"),
    ("partner_types", "", ""),
])
def test_enums_and_lists(column, raw, stored):
    got, errors, _ = _one(column, raw)
    assert errors == [] and got == stored


@pytest.mark.parametrize(("column", "raw"), [
    ("org_type", "government"), ("org_type", "个人"), ("partner_types", "supplier;friend"),
    ("partner_types", "朋友"),
])
def test_enum_values_not_allowed(column, raw):
    got, errors, _ = _one(column, raw)
    assert got is None and len(errors) == 1 and "is not allowed" in errors[0].reason


def test_project_stage_spellings():
    rows = [{"project_id": f"P{i}", "title": "t", "city": "南通", "stage": s}
            for i, s in enumerate(["构想", "研发", "中试", "扩产", "pilot", "Scale-up", "量产"])]
    p = prepare(rows_to_csv(rows, ["project_id", "title", "city", "stage"]).encode(), "p.csv")
    assert p.kind == "projects" and not p.problems
    assert p.rows.column("stage").to_pylist() == ["idea", "rd", "pilot", "expansion", "pilot", "expansion",
                                                  "expansion"]


@pytest.mark.parametrize(("column", "raw", "ok"), [
    ("contact_email", "Wang.Min@Example.COM", True), ("contact_email", "not-an-email", False),
    ("contact_email", "a@b", False), ("contact_phone", "021-5080 1234", True), ("contact_phone", "+86 138 0000 0000", True),
    ("contact_phone", "0512-66668888转123", True), ("contact_phone", "call me", False), ("contact_phone", "123", False),
    ("name", "x" * 200, True), ("name", "x" * 201, False), ("description", "说明" * 10_000, True),
    ("description", "说明" * 10_001, False),
])
def test_contacts_and_lengths(column, raw, ok):
    got, errors, _ = _one(column, raw)
    assert (errors == []) == ok, errors
    if ok and column == "contact_email":
        assert got == raw.lower()


def test_text_is_trimmed_and_inner_whitespace_of_short_text_folded():
    got, errors, _ = _one("name", "  上海   测试\t公司 ")
    assert got == "上海 测试 公司"
    got, _, _ = _one("description", " 第一行\n第二行  ")
    assert got == "第一行\n第二行"


def test_problems_in_chinese_for_chinese_headers():
    _, errors, p = _one("revenue_wan", "很多", zh=True)
    assert p.header_lang == "zh"
    assert errors[0].reason_zh == "营业收入(万元)“很多”不是数字"


def test_every_problem_of_a_row_is_reported_together():
    row = {"credit_code": code(1)[:-1] + "0", "name": "", "city": "北京", "revenue_wan": "abc",
           "founded_year": "19", "partner_types": "friend"}
    p = prepare(rows_to_csv([row], list(row)).encode(), "t.csv")
    assert {x.column for x in p.problems} == set(row)
    assert p.rejected_count == 1 and p.rows.num_rows == 0
    assert p.rejected_raw == [(2, row)]


def test_multi_line_cells_and_quoted_headers_keep_spreadsheet_row_numbers():
    body = ('"credit_code","name","city","description"\r\n'
            f'{code(1)},甲,上海,"第一行\n第二行, 有逗号"\r\n'
            f'{code(2)}X,乙,上海,"引号 ""内"" 文"\r\n'
            f'{code(3)},丙,上海,ok\r\n')
    p = prepare(body.encode("utf-8"), "q.csv")
    assert p.rows.column("description").to_pylist() == ["第一行\n第二行, 有逗号", "ok"]
    assert [(x.row, x.column) for x in p.problems] == [(3, "credit_code")]
    unquoted = body.replace('"credit_code","name","city","description"', "credit_code,name,city,description")
    q = prepare(unquoted.encode("utf-8"), "q.csv")  # Arrow's newline-aware path
    assert q.rows.column("description").to_pylist() == p.rows.column("description").to_pylist()
    assert [(x.row, x.column) for x in q.problems] == [(3, "credit_code")]


def test_a_large_file_with_a_blank_line_and_a_multi_line_cell(tmp_path):
    rows = [{"credit_code": code(i), "name": f"企业{i}", "city": "苏州", "description": "简介"} for i in range(3000)]
    rows[1500]["description"] = "跨行\n简介"
    text = rows_to_csv(rows, ["credit_code", "name", "city", "description"])
    lines = text.split("\r\n")
    lines.insert(2000, "")  # a blank line: the exact reader takes over, row numbers stay right
    lines[2500] = lines[2500].replace("苏州", "北京")
    p = prepare("\r\n".join(lines).encode("utf-8"), "big.csv")
    assert p.rows_total == 3000 and p.rows.num_rows == 2999
    (problem,) = p.problems
    assert problem.column == "city" and problem.row == 2501 and problem.value == "北京"


def test_large_file_fast_paths_agree_with_small_files():
    """Cross-check: a 24,000-row file (read by Arrow, columns checked in two threads) reports exactly the
    problems that its six 4,000-row parts report one by one."""
    import random

    from make_bad_inputs import bad_check17, bad_check18, org

    rng = random.Random(3)
    spoil = [("credit_code", lambda i: bad_check18(i)), ("credit_code", lambda i: bad_check17(i)),
             ("city", lambda i: "北京"), ("district", lambda i: "常熟"), ("revenue_wan", lambda i: "abc"),
             ("revenue_wan", lambda i: "-"), ("employees", lambda i: "1.5"), ("founded_year", lambda i: "2999"),
             ("partner_types", lambda i: "friends"), ("industry_code", lambda i: "C9999"),
             ("contact_email", lambda i: "x@"), ("name", lambda i: "")]
    rows = []
    for i in range(24_000):
        r = org(i, credit_code=code(i))
        if rng.random() < 0.02:
            column, make = rng.choice(spoil)
            r[column] = make(i)
        rows.append(r)
    whole = prepare(rows_to_csv(rows).encode(), "whole.csv")
    parts = []
    for k in range(6):
        part = prepare(rows_to_csv(rows[k * 4000:(k + 1) * 4000]).encode(), f"part{k}.csv")
        parts += [(p.row + k * 4000, p.column, p.value, p.reason, p.severity) for p in part.problems]
    assert [(p.row, p.column, p.value, p.reason, p.severity) for p in whole.problems] == parts
    assert len(parts) > 300
    assert whole.rows.num_rows == 24_000 - len({row for row, *_, sev in parts if sev == "error"})
