"""上传 page, in the real app on the real demo database; and the library functions it uses
(``matchmaking.profiles.templates``, ``matchmaking.views.upload``)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from app_testing import open_page
from app_testing import table as _table

from matchmaking.profiles import (
    FORMATS,
    LANGS,
    REASON_HEADER,
    prepare,
    template_bytes,
    template_file_name,
    template_guide,
)
from matchmaking.profiles.contract import STORED_COLUMNS
from matchmaking.reference import credit_code
from matchmaking.store import Store
from matchmaking.views import (
    counts,
    preview_table,
    problems_table,
    rejected_csv,
    stored_rejected_csv,
)

GOOD_A = credit_code.make("320594", "MA1TE2T1")
GOOD_B = credit_code.make("320612", "MA1TE2T2")
BAD_CODE = GOOD_A[:-1] + ("0" if GOOD_A[-1] != "0" else "1")  # wrong check character

# Chinese headers, two valid rows, one row with a bad credit code, a column outside the contract, and a
# description that a spreadsheet would run as a formula.
MIXED_ZH = (
    "统一社会信用代码,名称,城市,区县,简介,营业收入(万元),联系人,备注\n"
    f"{GOOD_A},苏州测试材料有限公司,苏州,吴中区,测试企业,1200,张三,内部\n"
    f"{GOOD_B},南通测试装备有限公司,南通,海门区,=1+1,800,李四,\n"
    f"{BAD_CODE},错误代码公司,上海,,代码错,100,王五,\n"
).encode("gbk")


def _switch_language(at, lang):
    """What a user does: the sidebar switch (the session's language follows it)."""
    at.radio(key="_lang_radio").set_value("English" if lang == "en" else "中文").run()
    assert not at.exception, at.exception
    return at


def _upload(at, name, data, mime="text/csv"):
    at.file_uploader(key="upload.file").set_value((name, data, mime))
    at.run()
    assert not at.exception, at.exception
    return at


def _metrics(at):
    return {m.label: m.value for m in at.metric}


# ---------------------------------------------------------------------------------------------- the page
def test_page_renders_in_both_languages_with_templates_and_history(app):
    at = open_page(app, "upload", "zh")
    assert at.title[0].value == "上传机构与项目档案"
    assert len(at.get("download_button")) == 8, "CSV and XLSX, Chinese and English, organisations and projects"
    assert len(_table(at, "upload_id", "rows_rejected")) == 3, "the demo's three uploads are listed"
    at = _switch_language(at, "en")
    assert at.title[0].value == "Upload organisation and project profiles"
    assert not at.error


def test_upload_check_commit_stores_valid_rows_and_keeps_rejected_ones(app, demo_db):
    at = open_page(app, "upload")
    before = Store(demo_db, read_only=True).data_version()
    at = _upload(at, "测试.csv", MIXED_ZH)
    m = _metrics(at)
    assert (m["有效行"], m["拒绝"]) == ("2", "1")
    problems = _table(at, "row", "column", "reason")
    bad = problems[problems["row"] == 4]
    assert list(bad["column"]) == ["统一社会信用代码"] and "校验" in bad["reason"].iloc[0]
    assert any("备注" in i.value for i in at.info), "the unknown column is listed"
    preview = _table(at, "统一社会信用代码", "名称")
    assert set(preview["统一社会信用代码"]) == {GOOD_A, GOOD_B}
    assert not {"联系人", "营业收入(万元)"} & set(preview.columns), "preview keeps to public profile columns"
    assert Store(demo_db, read_only=True).profile("organisations", GOOD_A) is None, "nothing stored before commit"

    at.button(key="upload.commit").click().run()
    assert not at.exception, at.exception
    m = _metrics(at)
    assert (m["新增"], m["更新"], m["未变"], m["拒绝"]) == ("2", "0", "0", "1")
    assert at.warning and "已保存 2 行" in at.warning[-1].value
    assert at.button(key="upload.commit").disabled, "the same file is not stored twice by a second click"

    store = Store(demo_db, read_only=True)
    assert store.profile("organisations", GOOD_A)["name"] == "苏州测试材料有限公司"
    assert store.profile("organisations", GOOD_B, include_private=True)["contact_name"] == "李四"
    assert store.data_version() != before, "the matcher cache (keyed by data_version) sees the new rows"
    last = store.uploads(limit=1).iloc[0]
    assert (last.rows_new, last.rows_rejected, last.status) == (2, 1, "partial")
    kept = store.rejected_rows(int(last.upload_id))
    assert [(row, raw["统一社会信用代码"]) for row, raw in kept] == [(4, BAD_CODE)]
    # the history now offers this upload's rejected rows for download
    assert at.selectbox(key="upload.past").value == int(last.upload_id)


def test_committed_rows_reach_the_matches_page(app):
    at = open_page(app, "upload")
    at = _upload(at, "测试.csv", MIXED_ZH)
    at.button(key="upload.commit").click().run()
    at.switch_page("app_pages/matches.py")
    at.run()
    assert not at.exception, at.exception
    at.text_input(key="matches.search").input("苏州测试材料").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="matches.query").value == GOOD_A


def test_strict_upload_stores_nothing_when_a_row_is_rejected(app, demo_db):
    at = open_page(app, "upload", "en")
    at.checkbox(key="upload.strict").check().run()
    at = _upload(at, "mixed.csv", MIXED_ZH)
    assert any("Strict" in w.value for w in at.warning)
    at.button(key="upload.commit").click().run()
    assert not at.exception, at.exception
    assert any("nothing from the file was stored" in e.value for e in at.error)
    store = Store(demo_db, read_only=True)
    assert store.profile("organisations", GOOD_A) is None
    assert store.uploads(limit=1).iloc[0].status == "refused"


def test_unreadable_file_shows_one_clear_reason(app):
    at = open_page(app, "upload", "en")
    at = _upload(at, "photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert len(at.error) == 1 and "photo.csv cannot be read" in at.error[0].value
    assert "PNG" in at.error[0].value
    assert not at.metric, "no report for a file that cannot be read"
    at = _switch_language(at, "zh")
    at = _upload(at, "空.csv", "统一社会信用代码,名称,城市\n".encode())
    assert len(at.error) == 1 and "只有表头" in at.error[0].value


def test_projects_xlsx_with_kind_choice(app, demo_db):
    at = open_page(app, "upload", "en")
    at.radio(key="upload.kind").set_value("projects").run()
    data = template_bytes("projects", "en", "xlsx")
    at = _upload(at, "projects.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert _metrics(at)["Valid rows"] == "1" and at.success
    at.button(key="upload.commit").click().run()
    assert Store(demo_db, read_only=True).profile("projects", "P-SZ-2026-001")["stage"] == "pilot"


# ---------------------------------------------------------------------------------------------- templates
@pytest.mark.parametrize("kind", ["organisations", "projects"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_template_reingests_cleanly(kind, lang, fmt):
    data = template_bytes(kind, lang, fmt)
    p = prepare(data, template_file_name(kind, lang, fmt))
    assert (p.kind, p.header_lang, p.rows.num_rows, p.rejected_count) == (kind, lang, 1, 0)
    assert not p.problems and not p.notices and not p.unknown_columns


def test_template_csv_has_bom_and_every_column_and_xlsx_documents_allowed_values():
    raw = template_bytes("organisations", "zh", "csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert header[:4] == ["统一社会信用代码", "名称", "机构类型", "城市"]
    assert len(header) == len(STORED_COLUMNS["organisations"])  # every column the store keeps
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("organisations", "en", "xlsx")))
    assert wb.sheetnames == ["template", "guide"]
    ws = wb["template"]
    assert ws["A2"].value == "91320594MA1EXAMP3D" and ws["A2"].data_type == "s", "the code stays text"
    assert "enterprise / university / institute / investor" in ws["C1"].comment.text
    guide = template_guide("projects", "zh")
    assert list(guide.columns) == ["列名", "必填", "含义", "允许的值", "示例"]
    assert guide.set_index("列名").loc["阶段", "允许的值"] == "构想 / 研发 / 中试 / 扩产"


def test_template_arguments_are_checked():
    with pytest.raises(ValueError, match="'fmt' parameter of template_bytes must be one of"):
        template_bytes("organisations", "zh", "xls")
    with pytest.raises(ValueError, match="'kind'"):
        template_bytes("people", "zh", "csv")


# ---------------------------------------------------------------------------------------------- upload views
def test_report_preview_and_rejected_file(tmp_path):
    p = prepare(MIXED_ZH, "mixed.csv")
    assert counts(p) == {"valid": 2, "rejected": 1, "notes": 0}
    en = problems_table(p, "en")
    assert list(en.columns) == ["row", "column", "value", "severity", "reason", "full_reason"]
    assert en["column"].iloc[0] == "统一社会信用代码", "the column as the file names it"
    assert en["severity"].iloc[0] == "rejected" and "check character" in en["reason"].iloc[0]
    assert en["full_reason"].iloc[0].endswith(en["reason"].iloc[0]), "the table's reason is the tail of the whole"
    assert problems_table(p, "zh")["severity"].iloc[0] == "拒绝"
    preview = preview_table(p, "en")
    assert "revenue_wan" not in preview.columns and "contact_name" not in preview.columns
    assert "name" in preview.columns and len(preview) == 2

    raw = rejected_csv(p)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["统一社会信用代码", "名称", "城市", "区县", "简介", "营业收入(万元)", "联系人", "备注",
                       REASON_HEADER["zh"]]
    assert rows[1][0] == BAD_CODE and "校验" in rows[1][-1]

    store = Store(tmp_path / "s.duckdb")
    from matchmaking.services import commit

    report = commit(store, p)
    assert stored_rejected_csv(store, report.upload_id, "organisations", "zh") == raw, "same file from the store"


def test_rejected_file_is_formula_safe_and_fixes_reingest():
    data = ("credit_code,name,city,description\n"
            f"{BAD_CODE},=HYPERLINK(\"x\"),Suzhou,@SUM(A1)\n").encode()
    p = prepare(data, "f.csv")
    rows = list(csv.reader(io.StringIO(rejected_csv(p, "en").decode("utf-8-sig"))))
    assert rows[1][1].startswith("'=") and rows[1][3].startswith("'@")
    assert rows[0][-1] == "rejection_reason"
    fixed = ",".join(rows[0][:-1]) + f"\n{GOOD_A},Fixed Co,Suzhou,ok\n"  # fixed, the reason column deleted
    assert prepare(fixed.encode(), "fixed.csv").rejected_count == 0
