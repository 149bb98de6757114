"""Write the bad-input corpus (``tests/foundation/bad_inputs/``): real files as users send them.

Run ``.venv/bin/python tests/foundation/make_bad_inputs.py`` after changing it; the output is
deterministic (fixed ZIP timestamps and workbook dates), so the committed files only change when this
script does. What each file must produce is written by hand in ``bad_inputs/cases.yaml``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import struct
import sys
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from matchmaking.reference import credit_code  # noqa: E402

OUT = Path(__file__).resolve().parent / "bad_inputs"

EN = ["credit_code", "name", "org_type", "city", "district", "industry_code", "description", "offers", "seeks",
      "partner_types", "revenue_wan", "employees", "founded_year", "contact_name", "contact_phone", "contact_email"]
ZH = ["统一社会信用代码", "名称", "机构类型", "城市", "区县", "行业代码", "简介", "能力与产品", "合作需求", "合作类型",
      "营业收入(万元)", "员工人数", "成立年份", "联系人", "联系电话", "邮箱"]


def code(i: int, region: str = "310115") -> str:
    """A valid credit code, different for every ``i``."""
    return credit_code.make(region, f"MA{i:06d}")


def bad_check18(i: int) -> str:
    c = code(i)
    wrong = next(ch for ch in "0123456789" if ch != c[17])
    return c[:17] + wrong


def bad_check17(i: int) -> str:
    """Passes the position-18 check, fails the GB 11714 check at position 17."""
    c = code(i)
    wrong = next(ch for ch in "0123456789" if ch != c[16])
    first17 = c[:16] + wrong
    return first17 + credit_code._check_18(first17)


def org(i: int, **over: str) -> dict[str, str]:
    """A realistic, valid organisation row (English column names)."""
    base = [
        dict(name="上海芯联微电子有限公司", org_type="enterprise", city="上海市", district="浦东新区",
             industry_code="C3973", description="12英寸晶圆代工，55nm-28nm 工艺平台",
             offers="晶圆代工; MPW 流片服务", seeks="寻找封装测试合作伙伴与设备零部件供应商",
             partner_types="customer;rd_partner", revenue_wan="1,200.5", employees="850", founded_year="2011",
             contact_name="王敏", contact_phone="021-5080 1234", contact_email="wangmin@example.com"),
        dict(name="Suzhou BioPharm Co., Ltd.", org_type="企业", city="suzhou", district="苏州工业园区",
             industry_code="2761", description="Monoclonal antibody CDMO in BioBAY",
             offers="cell line development, 2000L bioreactor capacity", seeks="clinical-stage partners in Shanghai",
             partner_types="supplier;production_base", revenue_wan="36000", employees="420", founded_year="2015",
             contact_name="Li Na", contact_phone="+86 512 6288 0000", contact_email="bd@biopharm.example.cn"),
        dict(name="南通海工装备有限公司", org_type="企业", city="南通", district="启东市", industry_code="C3737",
             description="海洋工程装备总装与改装", offers="FPSO 模块建造", seeks="寻找上海设计院所开展联合研发",
             partner_types="研发合作", revenue_wan="88000", employees="2300", founded_year="2004年",
             contact_name="陈强", contact_phone="0513-8321 5678", contact_email="chenq@haigong.example.com"),
        dict(name="苏州大学材料与化学化工学部", org_type="高校", city="苏州市", district="姑苏区",
             industry_code="P8341", description="高分子材料与新能源材料研究", offers="锂电正极材料中试技术",
             seeks="产业化合作企业", partner_types="rd_partner", revenue_wan="", employees="310",
             founded_year="1900", contact_name="", contact_phone="", contact_email=""),
        dict(name="Lingang Innovation Fund", org_type="investor", city="Shanghai", district="Pudong",
             industry_code="L7212", description="Early-stage fund for IC and biomedicine in Lingang",
             offers="Series A/B capital", seeks="investees in Suzhou and Nantong", partner_types="investor",
             revenue_wan="5000", employees="25", founded_year="2019-06-01", contact_name="Zhou Yi",
             contact_phone="021-6888 0001", contact_email="zhouyi@lgfund.example.com"),
    ][i % 5]
    regions = ["310115", "320594", "320681", "320508", "310115"]
    row = {"credit_code": code(i, regions[i % 5]), **base}
    row.update(over)
    return row


def rows_to_csv(rows: list[dict[str, str]], headers: list[str] | None = None, zh: bool = False,
                delimiter: str = ",") -> str:
    names = headers or EN
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    w.writerow([ZH[EN.index(h)] if zh and h in EN else h for h in names])
    for r in rows:
        w.writerow([r.get(h, "") for h in names])
    return out.getvalue()


_out = OUT


def write(name: str, data: bytes | str, encoding: str = "utf-8") -> None:
    path = _out / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def fixed_zip(data: bytes) -> bytes:
    """Rewrite a ZIP with fixed timestamps (and fixed workbook dates) so the output is reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", content)
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, content)
    return buf.getvalue()


def xlsx(rows: list[list[object]], text_columns: set[int] = frozenset()) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "机构"
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows():
        for cell in row:
            if cell.column - 1 in text_columns and isinstance(cell.value, str):
                cell.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_zip(buf.getvalue())


def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes([200, 30, 30]) * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main(out: Path = OUT) -> None:
    global _out
    _out = out
    out.mkdir(exist_ok=True)
    for old in out.iterdir():
        if old.name != "cases.yaml":
            old.unlink()
    five = [org(i) for i in range(5)]

    # --- encodings
    write("01_utf8_valid.csv", rows_to_csv(five))
    write("02_utf8_bom_zh_headers.csv", "\ufeff" + rows_to_csv(five, zh=True))
    write("03_gbk_zh_headers.csv", rows_to_csv(five, zh=True), "gbk")
    gb = [org(0, name="𠮷野家（上海）餐饮管理有限公司", description="连锁餐饮，价格以 € 标注的进口食材"),
          *[org(i) for i in range(1, 4)]]
    write("04_gb18030_outside_gbk.csv", rows_to_csv(gb, zh=True), "gb18030")
    write("05_utf16_excel_unicode_text.txt",
          "\ufeff" + rows_to_csv(five, zh=True, delimiter="\t").replace("\r\n", "\r\n"), "utf-16-le")
    good = rows_to_csv(five).encode("utf-8")
    cut = good.index("苏州大学".encode()) + 1  # break a multi-byte character in row 5
    write("06_damaged_utf8.csv", good[:cut] + b"\xff\xfe" + good[cut + 2:])

    # --- columns
    # no city, and nothing it could be read from (a district or an address would do: see the intake tests)
    write("07_missing_required_column.csv", rows_to_csv(five, [h for h in EN if h not in ("city", "district")]))
    write("08_extra_unknown_columns.csv",
          rows_to_csv([{**r, "微信号": f"wx_{i}", "remarks": "VIP" if i % 2 else ""} for i, r in enumerate(five)],
                      [*EN, "微信号", "remarks"]))
    shuffled = ["founded_year", "city", "seeks", "credit_code", "employees", "district", "name", "partner_types",
                "offers", "industry_code", "revenue_wan", "org_type", "description", "contact_email"]
    write("09_columns_in_random_order.csv", rows_to_csv(five, shuffled))
    fw = rows_to_csv(five, zh=True).replace("营业收入(万元)", "营业收入（万元）", 1)
    write("10_zh_fullwidth_brackets.csv", fw)

    # --- credit codes
    write("11_bad_check_digit_pos18.csv", rows_to_csv([*five[:3], org(3, credit_code=bad_check18(3)), five[4]]))
    write("12_bad_org_code_check_pos17.csv",
          rows_to_csv([*five[:2], org(2, credit_code=bad_check17(2)), *five[3:]]))
    write("13_bad_check_digit_zh.csv", rows_to_csv([five[0], org(1, credit_code=bad_check18(1))], zh=True))

    # --- places
    write("14_wrong_city_district_pair.csv",
          rows_to_csv([five[0], org(1, city="上海", district="常熟"), org(2, city="Nantong", district="Wuzhong District"),
                       five[3]]))
    write("15_unknown_city.csv", rows_to_csv([five[0], org(1, city="Beijing", district=""), five[2]]))
    write("16_legacy_and_split_districts.csv",
          rows_to_csv([org(0, city="上海", district="闸北区"), org(1, city="苏州", district="吴江市"),
                       org(2, city="南通", district="海门市"), org(3, city="苏州", district="吴县市"),
                       org(4, city="江苏省苏州市", district="江苏省苏州市吴中区")], zh=True))

    # --- numbers and years
    write("17_bad_numbers_and_years.csv",
          rows_to_csv([five[0], org(1, revenue_wan="abc"), org(2, employees="12.5"), org(3, founded_year="2099"),
                       org(4, founded_year="19"), org(5, revenue_wan="-5"), org(6, revenue_wan="￥3,000"),
                       org(7, revenue_wan="1.2亿", employees="１２００", founded_year="2011.0")]))

    # --- duplicates
    write("18_duplicate_key_same_content.csv", rows_to_csv([five[0], five[1], five[0]]))
    write("19_duplicate_key_different_content.csv",
          rows_to_csv([five[0], five[1], org(0, name="上海芯联微电子有限公司（更名）"), five[2]]))

    # --- hostile text
    write("20_formula_and_sql_text.csv", rows_to_csv([
        org(0, name="=HYPERLINK(\"http://evil.example/x\",\"点我\")", description="+1 just a plus"),
        org(1, name="'); DROP TABLE organisations; --", offers="@SUM(A1:A9)", seeks="-2+3"),
        org(2, description="Robert'); DELETE FROM uploads WHERE ('1'='1"),
    ]))
    big = ("很长的简介" * 10 + "long description " * 10) * 8_000  # about 2.4 MB of text in one cell
    write("21_multi_megabyte_cell.csv", rows_to_csv([five[0], org(1, description=big), five[2]]))

    # --- not a profile table
    write("22_empty.csv", b"")
    write("23_header_only.csv", rows_to_csv([]))
    write("24_png_named_csv.csv", png())
    write("25_pdf_named_csv.csv", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    write("26_old_excel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "统一社会信用代码".encode("utf-16-le"))
    write("27_broken.json", '[{"credit_code": "' + code(0) + '", "name": "断了的", "city": "上海"')
    write("28_json_object_not_list.json", json.dumps({"credit_code": code(0), "name": "只有一个对象", "city": "上海"},
                                                   ensure_ascii=False))
    write("29_valid.json", json.dumps([{k: v for k, v in r.items() if v} | {"partner_types": r["partner_types"]
                                                                            .split(";")} for r in five[:3]],
                                      ensure_ascii=False, indent=1))

    # --- Excel
    write("30_valid.xlsx", xlsx([EN, *[[r[h] for h in EN] for r in five]], text_columns=set(range(len(EN)))))
    write("31_xlsx_title_row.xlsx", xlsx([["2024年沪苏通产业合作企业名录"], [], ZH, *[[r[h] for h in EN] for r in five]],
                                         text_columns={0}))
    digits = next(c for c in (credit_code.make("310115", f"{n:08d}") for n in range(10_000, 20_000)) if c.isdigit())
    write("32_xlsx_code_typed_as_number.xlsx",
          xlsx([EN, [int(digits), *[five[1][h] for h in EN[1:]]], [five[2][h] for h in EN]]))
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        zi = zipfile.ZipInfo("organisations.csv", date_time=(2024, 1, 1, 0, 0, 0))
        z.writestr(zi, rows_to_csv(five))
    write("33_zip_not_xlsx.xlsx", zbuf.getvalue())

    # --- CSV shapes
    write("34_semicolon_delimited.csv", rows_to_csv([{**r, "partner_types": r["partner_types"].replace(";", "、")}
                                                     for r in five], delimiter=";"))
    ragged = rows_to_csv(five).split("\r\n")
    ragged[2] = ragged[2] + ",surplus,fields"  # row 3: two fields too many
    ragged[4] = ",".join(ragged[4].split(",")[:6])  # row 5: stops after industry_code
    write("35_ragged_rows.csv", "\r\n".join(ragged))
    write("36_projects.csv", rows_to_csv([
        {"project_id": "P-2024-001", "title": "车规级功率芯片封测线", "sponsor_credit_code": code(0), "city": "苏州",
         "district": "昆山", "industry_code": "C3973", "description": "建设车规级 SiC 模块封测线",
         "seeks": "寻找上海设计公司与南通生产基地", "investment_wan": "52,000", "stage": "中试"},
        {"project_id": "P-2024-002", "title": "Offshore wind jacket yard", "sponsor_credit_code": "",
         "city": "Nantong", "district": "Rudong County", "industry_code": "3737", "description": "",
         "seeks": "investors", "investment_wan": "1.5亿", "stage": "expansion"},
        {"project_id": "P-2024-003", "title": "mRNA 中试平台", "sponsor_credit_code": bad_check18(9),
         "city": "上海", "district": "闵行", "industry_code": "C2761", "description": "", "seeks": "CDMO",
         "investment_wan": "8000", "stage": "待定"},
    ], ["project_id", "title", "sponsor_credit_code", "city", "district", "industry_code", "description", "seeks",
        "investment_wan", "stage"]))
    both = ["credit_code", "name", "city", "project_id", "title", "stage", "investment_wan", "employees"]
    write("37_both_kinds_columns.csv", rows_to_csv([
        {"credit_code": code(0), "name": "上海芯联微电子有限公司", "city": "上海", "project_id": "P-1",
         "title": "扩产项目", "stage": "扩产", "investment_wan": "1000", "employees": "850"}], both))
    write("38_strict_one_bad_row.csv", rows_to_csv([*five[:4], org(4, credit_code=bad_check18(4))]))
    write("39_no_header_row.csv", rows_to_csv(five).split("\r\n", 1)[1])
    write("40_two_columns_same_meaning.csv", rows_to_csv(five[:2], ["credit_code", "name", "city", "统一社会信用代码"]))
    write("41_xlsx_damaged.xlsx", xlsx([EN, [five[0][h] for h in EN]])[:600])
    write("42_json_item_not_object.json",
          json.dumps([{k: v for k, v in five[0].items() if v}, "just a string", [1, 2]], ensure_ascii=False))
    write("43_blank_lines_and_control_chars.csv",
          rows_to_csv([five[0], org(1, name="Suzhou\x07 BioPharm\x00 Co."), five[2]]).replace("\r\n", "\r\n\r\n", 2))
    write("44_missing_required_values.csv",
          # no city, and no district to read it from (a district alone would give the city, with a note)
          rows_to_csv([five[0], org(1, name=""), org(2, city="", district=""), org(3, credit_code=""), five[4]]))
    write("45_zh_headers_bad_values.csv",
          rows_to_csv([five[0], org(1, city="北京"), org(2, revenue_wan="很多"), org(3, partner_types="朋友")], zh=True))
    write("46_bad_enums_industry_email.csv",
          rows_to_csv([five[0], org(1, org_type="government"), org(2, industry_code="C9999"),
                       org(3, industry_code="A3973"), org(4, contact_email="not-an-email")]))
    write("47_mac_cr_line_endings.csv", rows_to_csv(five[:3]).replace("\r\n", "\r"))
    write("48_utf8_decimal_comma.csv", rows_to_csv([five[0], org(1, revenue_wan="2,5")]))
    write("49_gbk_english_headers.csv", rows_to_csv(five[:3]), "gbk")
    write("50_every_row_rejected.csv", rows_to_csv([org(0, city="北京"), org(1, credit_code=bad_check18(1))], zh=True))
    write("51_header_and_blank_lines.csv", rows_to_csv([]) + "\r\n\r\n,,\r\n")
    print(f"wrote {len([p for p in out.iterdir() if p.name != 'cases.yaml'])} files to {out}")


if __name__ == "__main__":
    main()
