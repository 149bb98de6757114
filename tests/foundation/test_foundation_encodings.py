"""Every encoding a profile file comes in is read exactly, or the file is refused with its reason: never
stored as mojibake. The corpus is generated here, one file per case, from known text."""

from __future__ import annotations

import re

import pytest

from matchmaking.profiles import FileRefused, prepare
from matchmaking.reference import credit_code

A = credit_code.make("320594", "MA1ENC01")
B = credit_code.make("310115", "MA1ENC02")
# letters of scripts no profile here is written in: what GBK bytes look like when read as UTF-8
MOJIBAKE = re.compile(r"[\u0250-\u02ff\u0400-\u07ff\u3040-\u30ff]")

ZH_HEADER = "统一社会信用代码,名称,城市,区县,简介"
ZH_ROWS = [f"{A},苏州光刻材料有限公司,苏州,吴中区,生产KrF光刻胶与高纯试剂",
           f"{B},上海晶圆制造股份有限公司,上海,浦东新区,十二英寸晶圆代工"]
ZH_TEXT = "\n".join([ZH_HEADER, *ZH_ROWS]) + "\n"
TRAD_TEXT = (f"統一社會信用代碼,名稱,城市,區縣,簡介\n{A},蘇州光刻材料有限公司,蘇州,吳中區,生產光刻膠與高純試劑\n"
             f"{B},上海晶圓製造股份有限公司,上海,浦東新區,十二英寸晶圓代工\n")


def _stored(data: bytes, name: str = "f.csv"):
    p = prepare(data, name)
    rows = p.rows.to_pylist()
    for r in rows:
        for v in r.values():
            assert not MOJIBAKE.search(str(v or "")), (p.encoding, v)
    return p, rows


@pytest.mark.parametrize("encoding, data", [
    ("utf-8", ZH_TEXT.encode("utf-8")),
    ("utf-8-sig", ZH_TEXT.encode("utf-8-sig")),
    ("gb18030", ZH_TEXT.encode("gbk")),
    ("utf-16", ZH_TEXT.encode("utf-16")),  # with its byte-order mark, as Excel writes "Unicode text"
    ("utf-16", "\ufeff".encode("utf-16-be") + ZH_TEXT.encode("utf-16-be")),
    ("utf-16-le", ZH_TEXT.encode("utf-16-le")),  # no byte-order mark
    ("utf-16-be", ZH_TEXT.encode("utf-16-be")),
])
def test_chinese_text_is_read_exactly_in_every_encoding(encoding, data):
    p, rows = _stored(data)
    assert p.encoding == encoding
    assert [r["name"] for r in rows] == ["苏州光刻材料有限公司", "上海晶圆制造股份有限公司"]
    assert [r["description"] for r in rows] == ["生产KrF光刻胶与高纯试剂", "十二英寸晶圆代工"]
    assert [r["district"] for r in rows] == ["吴中区", "浦东新区"]


def test_gb18030_characters_outside_gbk_are_read_exactly():
    text = ZH_TEXT.replace("十二英寸晶圆代工", "十二英寸晶圆代工，厂址𪚥𠀀路")  # CJK extension B: four bytes in GB18030
    p, rows = _stored(text.encode("gb18030"))
    assert p.encoding == "gb18030" and rows[1]["description"] == "十二英寸晶圆代工，厂址𪚥𠀀路"


def test_big5_files_are_read_as_traditional_chinese_with_their_places_understood():
    p, rows = _stored(TRAD_TEXT.encode("cp950"))
    assert p.encoding == "big5" and p.kind == "organisations" and not p.problems
    assert [r["name"] for r in rows] == ["蘇州光刻材料有限公司", "上海晶圓製造股份有限公司"]  # as the firm wrote it
    assert [r["city"] for r in rows] == ["Suzhou", "Shanghai"]
    assert [r["district"] for r in rows] == ["吴中区", "浦东新区"]  # the stored district is the canonical one


def test_a_chinese_header_with_ascii_rows_keeps_its_chinese_columns():
    text = f"credit_code,name,city,简介\n{A},Suzhou Litho Co,Suzhou,KrF photoresist\n"
    for enc in ("gbk", "gb18030"):
        p, rows = _stored(text.encode(enc))
        assert p.unknown_columns == () and rows[0]["description"] == "KrF photoresist", (enc, p.unknown_columns)
    zh = f"统一社会信用代码,名称,城市\n{A},Suzhou Litho Co,Suzhou\n".encode("gbk")
    p, rows = _stored(zh)
    assert p.kind == "organisations" and rows[0]["credit_code"] == A


@pytest.mark.parametrize("enc", ["gbk", "utf-8", "cp950"])
def test_a_header_only_file_is_refused_for_having_no_rows_not_misread(enc):
    header = ("統一社會信用代碼,名稱,城市\n" if enc == "cp950" else "统一社会信用代码,名称,城市\n").encode(enc)
    with pytest.raises(FileRefused, match="header row but no data rows"):
        prepare(header, "h.csv")


def test_mostly_ascii_with_one_chinese_word_is_read_exactly():
    for enc, word in (("gbk", "光刻胶"), ("utf-8", "光刻胶"), ("cp950", "光刻膠")):
        offers = f"KrF photoresist ({word}) for 300 mm fabs"
        p, rows = _stored(f"credit_code,name,city,offers\n{A},Suzhou Litho Co,Suzhou,{offers}\n".encode(enc))
        assert rows[0]["offers"] == offers, (enc, p.encoding, rows[0]["offers"])


def test_gbk_text_that_happens_to_be_valid_utf8_is_read_as_gbk():
    words = "实业医药系统平台"
    data = f"credit_code,name,city,description\n{A},Suzhou Shiye,Suzhou,{words}\n".encode("gbk")
    data.decode("utf-8")  # the trap: these GBK bytes are valid UTF-8 (ʵҵҽҩϵͳƽ̨)
    p, rows = _stored(data)
    assert p.encoding == "gb18030" and rows[0]["description"] == words


@pytest.mark.parametrize("word", ["系统平台", "实业", "医药", "平台"])
def test_one_gbk_word_valid_as_utf8_in_an_ascii_file_is_read_as_gbk(word):
    # 系统平台 read as UTF-8 is Greek and Latin Extended-B (ϵͳƽ̨), not Cyrillic
    data = f"credit_code,name,city,description\n{A},Acme {word},Suzhou,{word}\n".encode("gbk")
    data.decode("utf-8")
    p, rows = _stored(data)
    assert p.encoding == "gb18030" and rows[0]["description"] == word


@pytest.mark.parametrize("text", ["2 μm lines, β-lactam", "Sūzhōu Lǜsè Kējì, Nǚ", "Ωmega café ×2"])
def test_greek_pinyin_tones_and_latin_letters_in_utf8_stay_as_written(text):
    p = prepare(f"credit_code,name,city,description\n{A},Acme,Suzhou,\"{text}\"\n".encode(), "u.csv")
    assert p.encoding == "utf-8" and p.rows.to_pylist()[0]["description"] == text


def test_real_cyrillic_in_a_utf8_file_stays_as_written():
    data = f"credit_code,name,city\n{A},ООО Северсталь Suzhou,Suzhou\n".encode()
    p = prepare(data, "ru.csv")
    assert p.encoding == "utf-8" and p.rows.to_pylist()[0]["name"] == "ООО Северсталь Suzhou"


def test_text_in_no_known_encoding_is_refused_with_its_reason():
    # Shift-JIS kana: valid in none of UTF-8, GB18030 (as plausible Chinese) or Big5
    data = f"credit_code,name,city\n{A},".encode() + "カタカナ株式会社ソフトウェア".encode("shift_jis") + b",Suzhou\n"
    with pytest.raises(FileRefused) as exc:
        prepare(data, "sjis.csv")
    assert "encoding" in str(exc.value) and "编码" in exc.value.message_zh
