"""Upload: read a profile file, normalise and validate every row, hand the valid rows to the store.

The contract is ``docs/profiles.md``. The file type and the text encoding are detected from the bytes,
never from the file name. Validation is column-wise (vectorised), so a 100,000-row file costs about as
much as reading it; only rejected rows are looked at one by one, to say precisely what is wrong.

Every problem names the spreadsheet row (the header is row 1), the column as the user wrote it, the bad
value and what is allowed, in the language of the file's headers. Valid rows are stored, invalid rows
are kept (with their reasons) for fixing and re-submitting; ``strict`` makes a file all-or-nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import uscc
from .profiles import COLUMNS, ENUM_LOOKUP, ENUMS, KINDS, Column, header_index, label
from .reference import CITIES, CITY_ZH, fold, industries, regions
from .store import KEY, Store, UploadRecord

__all__ = ["Problem", "FileRefused", "Prepared", "IngestReport", "read_table", "prepare", "commit", "ingest_file",
           "ingest_bytes", "RawTable"]

_MAX_FILE_BYTES = 200 * 1024 * 1024
_HEADER_SEARCH_ROWS = 10


class FileRefused(Exception):
    """The file as a whole cannot be read (wrong type, broken encoding, no recognisable header...)."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message_zh = message_zh


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one row. ``severity`` 'error' rejects the row; 'warning' only tells."""

    row: int
    column: str | None
    value: str | None
    reason: str
    reason_zh: str
    severity: str = "error"

    def text(self, lang: str) -> str:
        return self.reason_zh if lang == "zh" else self.reason


@dataclass
class RawTable:
    """A file's cells as text, before any interpretation. ``cells`` has positional columns."""

    headers: list[str]
    cells: pd.DataFrame
    row_numbers: np.ndarray
    format: str
    encoding: str
    notices: list[str] = field(default_factory=list)
    bad_rows: list[tuple[int, str, str, list[str]]] = field(default_factory=list)  # (row, en, zh, raw fields)


# ----------------------------------------------------------------------------------------------- reading
def _refuse(en: str, zh: str) -> FileRefused:
    return FileRefused(en, zh)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        enc = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    else:
        enc = ""
    if enc:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as exc:
            raise _refuse(f"the file starts with a {enc} byte-order mark but byte {exc.start} is not valid {enc}",
                          f"文件以 {enc} 标记开头，但第 {exc.start} 字节不是有效的 {enc} 编码") from exc
    if b"\x00" in data[:8192]:
        raise _refuse("this is a binary file, not a CSV/Excel/JSON profile file",
                      "这是二进制文件，不是 CSV/Excel/JSON 格式的档案文件")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_err = exc
    # A UTF-8 file with a few damaged bytes must not be read as GBK (that would silently turn all its
    # Chinese into nonsense); a GBK file fails UTF-8 on nearly every Chinese character. So: if almost
    # all multi-byte sequences are valid UTF-8, the file is UTF-8 and damaged.
    decoded = data.decode("utf-8", errors="replace")
    bad = decoded.count("\ufffd")
    good_multibyte = sum(1 for c in decoded if ord(c) > 127 and c != "\ufffd")
    if good_multibyte >= 3 and bad <= max(2, good_multibyte // 50):
        line = data[: utf8_err.start].count(b"\n") + 1
        raise _refuse(f"the file is UTF-8 but byte {utf8_err.start} (line {line}) is broken "
                      f"(0x{data[utf8_err.start]:02x}); save it again as UTF-8",
                      f"文件为 UTF-8 编码，但第 {line} 行（第 {utf8_err.start} 字节）的编码已损坏，请重新以 UTF-8 保存")
    for enc in ("gbk", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    line = data[: utf8_err.start].count(b"\n") + 1
    raise _refuse(f"cannot read the text: it is neither UTF-8 nor GBK/GB18030 (first bad byte at line {line}); "
                  "save the file as CSV UTF-8 or as .xlsx",
                  f"无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030（第 {line} 行起）；请另存为 CSV UTF-8 或 .xlsx")


def _clean_header(h: object) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(h if h is not None else ""))).strip().lstrip("\ufeff")


def _sniff_delimiter(first_line: str) -> str:
    best, best_score = ",", -1
    index = {**header_index("organisations"), **header_index("projects")}
    for delim in (",", "\t", ";", "|"):
        fields = next(csv.reader([first_line], delimiter=delim), [])
        score = sum(1 for f in fields if fold(_clean_header(f)) in index) * 10 + len(fields)
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_csv(text: str, encoding: str) -> RawTable:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _refuse("the file is empty", "文件为空")
    first = text.split("\n", 1)[0]
    delim = _sniff_delimiter(first)
    table = _read_csv_fast(text, delim)
    if table is None:
        table = _read_csv_exact(text, delim)
    headers, cells, numbers, bad = table
    return RawTable(headers, cells, numbers, "csv", encoding, bad_rows=bad)


def _read_csv_fast(text: str, delim: str) -> tuple[list[str], pd.DataFrame, np.ndarray, list] | None:
    """pyarrow's parser: exact for well-formed files; None (use the exact reader) at the first irregularity."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    header_end = text.find("\n")
    header_line = text if header_end < 0 else text[:header_end]
    headers = next(csv.reader([header_line], delimiter=delim))
    if '"' in header_line or header_end < 0:
        return None
    irregular = []

    def on_invalid(row: Any) -> str:
        irregular.append(row)
        return "skip"

    try:
        tbl = pacsv.read_csv(
            io.BytesIO(text[header_end + 1:].encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=[f"c{i}" for i in range(len(headers))], use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=True, ignore_empty_lines=False,
                                             invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types={f"c{i}": pa.string() for i in range(len(headers))},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid:
        return None
    if irregular:
        return None
    cells = tbl.to_pandas()
    cells.columns = list(range(len(headers)))
    numbers = np.arange(2, len(cells) + 2)
    return headers, cells, numbers, []


def _read_csv_exact(text: str, delim: str) -> tuple[list[str], pd.DataFrame, np.ndarray, list]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise _refuse(f"cannot parse the CSV near line {reader.line_num}: {exc}",
                      f"CSV 第 {reader.line_num} 行附近无法解析：{exc}") from exc
    headers = records[0]
    n = len(headers)
    rows, numbers, bad = [], [], []
    for i, rec in enumerate(records[1:], start=2):
        if len(rec) > n and any(x.strip() for x in rec[n:]):
            bad.append((i, f"the row has {len(rec)} fields but the header has {n}: a value probably contains an "
                           f"unquoted '{delim}'", f"该行有 {len(rec)} 个字段，表头只有 {n} 个：某个值可能含有未加引号的“{delim}”",
                        rec))
            continue
        rec = (rec + [""] * n)[:n]
        rows.append(rec)
        numbers.append(i)
    cells = pd.DataFrame(rows, columns=list(range(n)), dtype=object) if rows else pd.DataFrame(
        columns=list(range(n)), dtype=object)
    return headers, cells, np.array(numbers, dtype=np.int64), bad


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _read_xlsx(data: bytes) -> RawTable:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise _refuse(f"the file looks like an Excel workbook but cannot be opened: {exc}",
                      f"文件看起来是 Excel 工作簿，但无法打开：{exc}") from exc
    index = {**header_index("organisations"), **header_index("projects")}
    notices = []
    try:
        for ws in wb.worksheets:
            rows_iter = ws.iter_rows(values_only=True)
            buffered: list[tuple] = []
            header_at = None
            for i, row in enumerate(rows_iter, start=1):
                buffered.append(row)
                if sum(1 for v in row if fold(_clean_header(v)) in index) >= 2:
                    header_at = i
                    break
                if i >= _HEADER_SEARCH_ROWS:
                    break
            if header_at is None:
                notices.append(f"sheet '{ws.title}' has no recognisable header: skipped")
                continue
            headers = [_clean_header(v) for v in buffered[-1]]
            while headers and not headers[-1]:
                headers.pop()
            n = len(headers)
            rows, numbers, numeric_codes = [], [], []
            for j, row in enumerate(rows_iter, start=header_at + 1):
                vals = list(row[:n]) + [None] * (n - min(len(row), n))
                for k, v in enumerate(vals):
                    if isinstance(v, int | float) and not isinstance(v, bool) and abs(v) >= 1e15:
                        numeric_codes.append((j, k, v))
                rows.append([_cell_text(v) for v in vals])
                numbers.append(j)
            while rows and not any(x.strip() for x in rows[-1]):  # Excel's trailing formatted-but-empty rows
                rows.pop()
                numbers.pop()
            cells = pd.DataFrame(rows, columns=list(range(n)), dtype=object) if rows else pd.DataFrame(
                columns=list(range(n)), dtype=object)
            table = RawTable(headers, cells, np.array(numbers, dtype=np.int64), "xlsx", "xlsx", notices)
            for j, k, v in numeric_codes:
                table.notices.append(f"row {j}: column '{headers[k]}' holds the number {v!r}; Excel keeps only 15 "
                                     "digits, so long codes typed as numbers lose their last digits")
            return table
    finally:
        wb.close()
    raise _refuse("no sheet of the workbook has a recognisable header row (e.g. credit_code / 统一社会信用代码)",
                  "工作簿中没有可识别的表头行（例如 credit_code / 统一社会信用代码）")


def _read_json(text: str) -> RawTable:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refuse(f"broken JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                      f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}") from exc
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise _refuse("a JSON profile file must be a list of objects (or an object holding one such list)",
                          "JSON 档案文件应为对象列表（或只含一个此类列表的对象）")
        doc = lists[0]
    if not isinstance(doc, list):
        raise _refuse("a JSON profile file must be a list of objects", "JSON 档案文件应为对象列表")
    headers: dict[str, None] = {}
    for item in doc:
        if isinstance(item, dict):
            headers.update(dict.fromkeys(str(k) for k in item))
    hs = list(headers)
    rows, bad = [], []
    numbers = []
    for i, item in enumerate(doc, start=1):
        if not isinstance(item, dict):
            bad.append((i, f"item {i} is not an object but {type(item).__name__}",
                        f"第 {i} 项不是对象，而是 {type(item).__name__}", [json.dumps(item, ensure_ascii=False)]))
            continue
        row = []
        for h in hs:
            v = item.get(h)
            if isinstance(v, list):
                v = ";".join(str(x) for x in v)
            elif isinstance(v, dict):
                v = json.dumps(v, ensure_ascii=False)
            row.append(_cell_text(v))
        rows.append(row)
        numbers.append(i)
    cells = pd.DataFrame(rows, columns=list(range(len(hs))), dtype=object) if rows else pd.DataFrame(
        columns=list(range(len(hs))), dtype=object)
    return RawTable(hs, cells, np.array(numbers, dtype=np.int64), "json", "utf-8", bad_rows=bad)


def read_table(data: bytes) -> RawTable:
    """Detect the file type from its bytes and read its cells as text."""
    if len(data) > _MAX_FILE_BYTES:
        raise _refuse(f"the file is {len(data) / 1e6:.0f} MB; at most {_MAX_FILE_BYTES // 2**20} MB per file",
                      f"文件大小 {len(data) / 1e6:.0f} MB，单个文件不得超过 {_MAX_FILE_BYTES // 2**20} MB")
    if not data.strip():
        raise _refuse("the file is empty", "文件为空")
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as exc:
            raise _refuse("the file is a damaged ZIP/Excel file", "文件是已损坏的 ZIP/Excel 文件") from exc
        if not any(n.startswith("xl/") for n in names):
            raise _refuse("the file is a ZIP archive, not an .xlsx workbook", "文件是 ZIP 压缩包，不是 .xlsx 工作簿")
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse("this is an old Excel .xls (or other Office 97) file: save it as .xlsx or CSV",
                      "这是旧版 Excel .xls 文件：请另存为 .xlsx 或 CSV")
    if data.startswith(b"%PDF"):
        raise _refuse("this is a PDF, not a CSV/Excel/JSON profile file", "这是 PDF 文件，不是 CSV/Excel/JSON 档案文件")
    text, encoding = _decode(data)
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in "[{":
        return _read_json(stripped)
    return _read_csv(text, encoding)


# -------------------------------------------------------------------------------------------- headers
def _is_zh(s: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in s)


def _infer_kind(headers: list[str]) -> str | None:
    folded = {fold(_clean_header(h)) for h in headers}
    org = header_index("organisations")
    proj = header_index("projects")
    org_keys = {org[h] for h in folded if h in org}
    proj_keys = {proj[h] for h in folded if h in proj}
    if "credit_code" in org_keys and not ({"project_id", "investment_wan", "stage"} & proj_keys):
        return "organisations"
    if "project_id" in proj_keys or ({"title", "investment_wan", "stage"} & proj_keys and "credit_code" not in org_keys):
        return "projects"
    return None


@dataclass(frozen=True)
class _HeaderMap:
    columns: dict[str, int]  # canonical → position
    unknown: list[tuple[int, str]]
    lang: str


def _map_headers(headers: list[str], kind: str) -> _HeaderMap:
    index = header_index(kind)
    columns: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    zh = 0
    for pos, raw in enumerate(headers):
        h = _clean_header(raw)
        canon = index.get(fold(h)) or index.get(fold(h.replace("_", "")))
        if canon is None:
            unknown.append((pos, h or f"(column {pos + 1}, no header)"))
            continue
        zh += _is_zh(h)
        if canon in columns:
            first = headers[columns[canon]]
            raise _refuse(f"columns '{first}' and '{h}' both mean {canon}: keep one",
                          f"“{first}”与“{h}”两列都表示{label(kind, canon, 'zh')}，请只保留一列")
        columns[canon] = pos
    lang = "zh" if zh * 2 >= max(len(columns), 1) else "en"
    missing = [c for c in COLUMNS[kind] if c.required and c.name not in columns]
    if missing:
        names = ", ".join(f"{c.name} / {c.zh}" for c in missing)
        raise _refuse(f"required column missing: {names} (the header row has: {', '.join(map(str, headers))})",
                      f"缺少必填列：{names}（表头为：{'、'.join(map(str, headers))}）")
    return _HeaderMap(columns, unknown, lang)


# ------------------------------------------------------------------------------------------ validation
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUM_JUNK = re.compile(r"[,\s，¥￥$]|人民币|RMB|CNY|万元$|万$", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()\-\s/转xX#ext.]{6,50}$")
_LIST_SPLIT = re.compile(r"[;；,，、/|]+")


class _Errors:
    """Collects (position, column, value, en, zh) for the rows of one table."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str, str | None, str, str, str]] = []

    def add_mask(self, mask: np.ndarray, column: str, values: pd.Series, en: Any, zh: Any,
                 severity: str = "error") -> None:
        hits = np.flatnonzero(mask)
        if not len(hits):
            return
        picked = values.to_numpy(dtype=object)[hits]
        for pos, v in zip(hits, picked, strict=True):
            self.items.append((int(pos), column, None if v is None else str(v),
                               en(v) if callable(en) else en, zh(v) if callable(zh) else zh, severity))


def _text(series: pd.Series) -> pd.Series:
    s = series.fillna("").astype("str")
    ctrl = s.str.contains(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", regex=True)
    if ctrl.any():
        s = s.where(~ctrl, s.map(lambda x: _CONTROL.sub("", x)))
    # our own export writes '=… as text so no spreadsheet runs it; read it back as written
    apos = s.str.match(r"'[=+\-@]")
    if apos.any():
        s = s.where(~apos, s.str.slice(1))
    return s.str.strip()


def _nfkc(series: pd.Series) -> pd.Series:
    return series.str.normalize("NFKC").str.strip()


def _short(v: object, n: int = 60) -> str:
    s = str(v)
    return s if len(s) <= n else s[: n - 1] + "…"


def _validate_codes(values: pd.Series, col: Column, errs: _Errors, lang_label: str, zh_label: str) -> pd.Series:
    codes = _nfkc(values).str.upper().str.replace(r"[\s\-]", "", regex=True)
    ok = np.zeros(len(codes), dtype=bool)
    ascii18 = (codes.str.len() == 18) & codes.map(str.isascii, na_action="ignore").fillna(False).astype(bool)
    idx = np.flatnonzero(ascii18.to_numpy())
    if len(idx):
        raw = np.frombuffer("".join(codes.iloc[idx]).encode("ascii"), dtype=np.uint8).reshape(-1, 18)
        lut = np.full(256, -1, dtype=np.int64)
        for i, c in enumerate(uscc.ALPHABET):
            lut[ord(c)] = i
        v = lut[raw]
        w18 = np.array([pow(3, i, 31) for i in range(17)])
        good = (v >= 0).all(axis=1)
        check18 = (31 - (v[:, :17] * w18).sum(axis=1) % 31) % 31
        good &= check18 == v[:, 17]
        body = raw[:, 8:16].astype(np.int64)
        orgval = np.where(body <= ord("9"), body - ord("0"), body - ord("A") + 10)
        r = 11 - (orgval * np.array([3, 7, 9, 10, 5, 8, 4, 2])).sum(axis=1) % 11
        expected17 = np.where(r == 10, ord("X"), np.where(r == 11, ord("0"), r + ord("0")))
        good &= expected17 == raw[:, 16]
        good &= ((raw[:, 2:8] >= ord("0")) & (raw[:, 2:8] <= ord("9"))).all(axis=1)
        ok[idx] = good
    empty = (codes == "").to_numpy()
    bad = ~ok & ~empty
    bad_pos = np.flatnonzero(bad)
    for pos, code, raw_value in zip(bad_pos, codes.to_numpy(dtype=object)[bad_pos],
                                    values.to_numpy(dtype=object)[bad_pos], strict=True):
        problems = uscc.check(code)
        en = "; ".join(p.message for p in problems)
        zh = "；".join(p.message_zh for p in problems)
        errs.items.append((int(pos), col.name, raw_value,
                           f"{lang_label} {code!r} is not a valid unified social credit code: {en}",
                           f"{zh_label}“{code}”不是有效的统一社会信用代码：{zh}", "error"))
    return codes


def _num_clean(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    s = _nfkc(values)
    yi = s.str.endswith("亿") | s.str.endswith("亿元")
    s = s.str.replace(r"亿元?$", "", regex=True).str.replace(_NUM_JUNK, "", regex=True).str.lstrip("+")
    if yi.any():
        s = s.where(~yi, s.map(lambda x: _scale(x, 10000)))
    return s, (s != "").to_numpy()


def _scale(x: str, factor: int) -> str:
    from decimal import Decimal, InvalidOperation

    try:
        return format((Decimal(x) * factor).normalize(), "f")
    except InvalidOperation:
        return x


def _canonical_decimal(s: pd.Series) -> pd.Series:
    """'1200.50' → '1200.5', '007' → '7', '1.2e3' → '1200': one spelling per number, for content hashes."""
    from decimal import Decimal

    exp = s.str.contains(r"[eE]", regex=True)
    if exp.any():
        s = s.where(~exp, s.map(lambda x: format(Decimal(x).normalize(), "f") if x else x))
    lead = s.str.match(r"-?0\d")
    if lead.any():
        s = s.where(~lead, s.map(lambda x: re.sub(r"^(-?)0+(?=\d)", r"\1", x)))
    frac = s.str.contains(".", regex=False)
    s = s.where(~frac, s.str.replace(r"0+$", "", regex=True).str.replace(r"\.$", "", regex=True))
    return s.where(s != "-0", "0")


def _validate_column(kind: str, col: Column, values: pd.Series, errs: _Errors, lang: str,
                     cities: pd.Series | None) -> pd.Series:
    """Clean one column; record problems; return canonical text ('' = empty)."""
    name_en, name_zh = col.name, col.zh
    s = _text(values)
    if col.kind == "code":
        s = _validate_codes(s, col, errs, name_en, name_zh)
    elif col.kind in ("text", "long_text", "email", "phone"):
        if col.kind != "long_text":
            s = s.str.replace(r"\s+", " ", regex=True)
        if col.kind == "email":
            s = s.str.lower()
            bad = ((s != "") & ~s.str.match(_EMAIL)).to_numpy()
            errs.add_mask(bad, col.name, s, lambda v: f"{name_en} {_short(v)!r} is not an e-mail address",
                          lambda v: f"{name_zh}“{_short(v)}”不是有效的电子邮箱")
        if col.kind == "phone":
            bad = ((s != "") & ~s.str.match(_PHONE)).to_numpy()
            errs.add_mask(bad, col.name, s, lambda v: f"{name_en} {_short(v)!r} is not a phone number "
                          "(digits, spaces, + - ( ) and an extension)",
                          lambda v: f"{name_zh}“{_short(v)}”不是有效的电话号码")
        too_long = (s.str.len() > col.max_len).to_numpy()
        errs.add_mask(too_long, col.name, s,
                      lambda v: f"{name_en} has {len(v):,} characters; at most {col.max_len:,} are allowed",
                      lambda v: f"{name_zh}长度为 {len(v):,} 个字符，最多允许 {col.max_len:,} 个")
    elif col.kind == "city":
        uniq = {u: regions().city(u) for u in s.unique()}
        canon = s.map(uniq)
        bad = (canon.isna() & (s != "")).to_numpy()
        allowed = ", ".join(CITIES)
        errs.add_mask(bad, col.name, s, lambda v: f"unknown city {_short(v)!r}: allowed are {allowed} "
                      "(any usual spelling, e.g. 上海 / 上海市 / shanghai)",
                      lambda v: f"未知城市“{_short(v)}”：只能是上海、苏州或南通（可写作 上海 / 上海市 / Shanghai 等）")
        s = canon.fillna("").astype(str)
    elif col.kind == "district":
        assert cities is not None
        pairs = pd.DataFrame({"c": cities, "d": s})
        resolved: dict[tuple[str, str], tuple[str, str, str | None, str | None]] = {}
        for c, d in pairs.drop_duplicates().itertuples(index=False):
            if not d or not c:
                resolved[(c, d)] = ("", "", None, None)
                continue
            dist, note = regions().district(c, d)
            resolved[(c, d)] = (dist.name_zh if dist else "", dist.adcode if dist else "",
                                None if dist else note, note if dist else None)
        res = [resolved[(c, d)] for c, d in zip(pairs["c"], pairs["d"], strict=True)]
        for pos, (_, _, err, note) in enumerate(res):
            if err:
                zh_err = err
                if "is in" in err:
                    zh_err = f"区县“{s.iloc[pos]}”不属于{CITY_ZH.get(cities.iloc[pos], cities.iloc[pos])}"
                elif "unknown district" in err:
                    zh_err = f"{CITY_ZH.get(cities.iloc[pos], '')}没有名为“{s.iloc[pos]}”的区县"
                errs.items.append((pos, col.name, s.iloc[pos], err, zh_err, "error"))
            elif note:
                errs.items.append((pos, col.name, s.iloc[pos], f"district {note}; stored as the current district",
                                   f"区县已调整：{note}；按现行区县保存", "warning"))
        adcodes = pd.Series([r[1] for r in res], index=s.index, dtype=object)
        s = pd.Series([r[0] for r in res], index=s.index, dtype=object)
        s.attrs["adcodes"] = adcodes
    elif col.kind == "industry":
        ind = industries()
        uniq = {}
        for u in s.unique():
            code = ind.normalise(u)
            letter = unicodedata.normalize("NFKC", u).strip().upper()[:1]
            if not code:
                uniq[u] = ("", None)
            elif not (code.isdigit() and 2 <= len(code) <= 4 and ind.exists(code)):
                uniq[u] = ("", "unknown")
            elif letter.isalpha() and letter != ind.section(code):
                uniq[u] = ("", f"section {ind.section(code)}")
            else:
                uniq[u] = (ind.section(code) + code, None)
        res = s.map(uniq)
        for pos, (_canon, err) in enumerate(res):
            if err == "unknown":
                errs.items.append((pos, col.name, s.iloc[pos],
                                   f"industry code {s.iloc[pos]!r} is not in GB/T 4754-2017 (a section letter and "
                                   "2–4 digits, e.g. C3973)",
                                   f"行业代码“{s.iloc[pos]}”不在 GB/T 4754-2017 中（门类字母加 2–4 位数字，如 C3973）", "error"))
            elif err:
                errs.items.append((pos, col.name, s.iloc[pos],
                                   f"industry code {s.iloc[pos]!r}: the digits belong to {err}",
                                   f"行业代码“{s.iloc[pos]}”的门类字母有误：应为{err.split()[-1]}", "error"))
        s = res.map(lambda t: t[0])
    elif col.kind in ("enum", "list"):
        lookup = ENUM_LOOKUP[col.name]
        allowed_en = " / ".join(ENUMS[col.name])
        allowed_zh = " / ".join(v[0] for v in ENUMS[col.name].values())

        def canon_one(v: str) -> str | None:
            if not v:
                return ""
            if col.kind == "enum":
                return lookup.get(fold(v))
            parts = [p for p in _LIST_SPLIT.split(v) if p.strip()]
            got = [lookup.get(fold(p)) for p in parts]
            if any(g is None for g in got):
                return None
            return ";".join(dict.fromkeys(g for g in got if g))

        uniq = {u: canon_one(unicodedata.normalize("NFKC", u).strip()) for u in s.unique()}
        res = s.map(uniq)
        bad = res.isna().to_numpy()
        errs.add_mask(bad, col.name, s, lambda v: f"{name_en} {_short(v)!r} is not allowed: use {allowed_en}",
                      lambda v: f"{name_zh}“{_short(v)}”不在允许范围内：应为 {allowed_zh}")
        s = res.fillna("").astype(str)
    elif col.kind in ("number", "int"):
        cleaned, present = _num_clean(s)
        is_num = cleaned.str.match(_NUMBER).to_numpy()
        bad_fmt = present & ~is_num
        what = "a number" if col.kind == "number" else "a whole number"
        what_zh = "数字" if col.kind == "number" else "整数"
        errs.add_mask(bad_fmt, col.name, s, lambda v: f"{name_en} {_short(v)!r} is not {what}",
                      lambda v: f"{name_zh}“{_short(v)}”不是{what_zh}")
        ok = present & is_num
        canon = _canonical_decimal(cleaned.where(ok, ""))
        num = pd.to_numeric(canon.where(ok, None), errors="coerce")
        limit = 1e9 if col.kind == "number" else 5e6
        out_of_range = ok & ((num < 0) | (num > limit)).fillna(False).to_numpy()
        errs.add_mask(out_of_range, col.name, s,
                      lambda v: f"{name_en} {_short(v)!r} is out of range: must be between 0 and {limit:,.0f}",
                      lambda v: f"{name_zh}“{_short(v)}”超出范围：应在 0 到 {limit:,.0f} 之间")
        if col.kind == "int":
            frac = ok & ~out_of_range & canon.str.contains(".", regex=False).to_numpy()
            errs.add_mask(frac, col.name, s, lambda v: f"{name_en} {_short(v)!r} must be a whole number",
                          lambda v: f"{name_zh}“{_short(v)}”必须是整数")
        else:
            many = ok & canon.str.match(r"^-?\d+\.\d{5,}$").to_numpy()
            errs.add_mask(many, col.name, s, lambda v: f"{name_en} {_short(v)!r} has more than 4 decimal places",
                          lambda v: f"{name_zh}“{_short(v)}”小数位数超过 4 位")
        s = canon
    elif col.kind == "year":
        this_year = dt.date.today().year
        norm = _nfkc(s)
        year = norm.str.extract(r"^(\d{4})(?:年|\.0+|[-/.]\d{1,2}(?:[-/.]\d{1,2})?(?:[ T].*)?|年\d{1,2}月.*)?$")[0]
        present = (norm != "").to_numpy()
        bad_fmt = present & year.isna().to_numpy()
        errs.add_mask(bad_fmt, col.name, s, lambda v: f"{name_en} {_short(v)!r} is not a 4-digit year",
                      lambda v: f"{name_zh}“{_short(v)}”不是四位年份")
        y = pd.to_numeric(year, errors="coerce")
        bad_range = present & ~bad_fmt & ((y < 1800) | (y > this_year)).fillna(False).to_numpy()
        errs.add_mask(bad_range, col.name, s,
                      lambda v: f"{name_en} {_short(v)!r} must be a year between 1800 and {this_year} (not in the "
                      "future)", lambda v: f"{name_zh}“{_short(v)}”应为 1800 至 {this_year} 之间的年份（不能是未来年份）")
        s = year.fillna("").astype(str)
    if col.required:
        missing = (s == "").to_numpy() & (_text(values) == "").to_numpy()
        errs.add_mask(missing, col.name, s, f"{name_en} is required", f"{name_zh}为必填项")
    return s


@dataclass
class Prepared:
    """A validated file, ready to commit: what would be stored, what is rejected and why."""

    file_name: str
    file_hash: str
    file_bytes: int
    kind: str
    format: str
    encoding: str
    header_lang: str
    rows_total: int
    rows: pd.DataFrame  # valid rows, canonical text, one per key
    present: tuple[str, ...]  # profile columns the file has
    problems: list[Problem]
    rejected_raw: list[tuple[int, dict[str, str]]]
    unknown_columns: tuple[str, ...]
    notices: list[str]

    @property
    def rejected_count(self) -> int:
        return len(self.rejected_raw)

    def problems_frame(self, lang: str | None = None) -> pd.DataFrame:
        lang = lang or self.header_lang
        return pd.DataFrame([{"row": p.row, "column": label(self.kind, p.column, lang) if p.column else "",
                              "value": p.value, "severity": p.severity, "reason": p.text(lang)}
                             for p in self.problems], columns=["row", "column", "value", "severity", "reason"])


def prepare(data: bytes, file_name: str, kind: str | None = None) -> Prepared:
    """Read and validate a file without touching the database. Raises ``FileRefused`` if unreadable."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    table = read_table(data)
    if not any(h.strip() for h in table.headers):
        raise _refuse("no header row: the first row must name the columns (e.g. credit_code / 统一社会信用代码)",
                      "缺少表头：第一行应为列名（例如 credit_code / 统一社会信用代码）")
    inferred = _infer_kind(table.headers)
    if kind is None:
        if inferred is None:
            raise _refuse("cannot tell whether the file holds organisations or projects: it has neither a "
                          "credit_code / 统一社会信用代码 nor a project_id / 项目编号 column (use --kind)",
                          "无法判断文件是机构还是项目：既没有“统一社会信用代码”列，也没有“项目编号”列（可用 --kind 指定）")
        kind = inferred
    hmap = _map_headers(table.headers, kind)
    lang = hmap.lang
    cells = table.cells
    n = len(cells)
    errs = _Errors()
    clean: dict[str, pd.Series] = {}
    cols = {c.name: c for c in COLUMNS[kind]}
    city = None
    for col in COLUMNS[kind]:  # city before district: districts are checked against their city
        if col.name not in hmap.columns:
            continue
        values = cells[hmap.columns[col.name]].reset_index(drop=True)
        clean[col.name] = _validate_column(kind, col, values, errs, lang, city)
        if col.kind == "city":
            city = clean[col.name]
    if "org_type" in cols and "org_type" in clean:
        clean["org_type"] = clean["org_type"].where(clean["org_type"] != "", "enterprise")
    adcodes = clean["district"].attrs.get("adcodes") if "district" in clean else None

    # unknown columns are kept aside per row, not dropped
    extra = None
    if hmap.unknown:
        ex = pd.DataFrame({h: _text(cells[pos].reset_index(drop=True)) for pos, h in hmap.unknown})
        extra = [json.dumps({k: v for k, v in rec.items() if v}, ensure_ascii=False, sort_keys=True)
                 if any(rec.values()) else None for rec in ex.to_dict("records")]

    # rows with errors
    error_rows = sorted({pos for pos, *_rest, sev in errs.items if sev == "error"})
    row_numbers = table.row_numbers
    problems = [Problem(int(row_numbers[pos]), c, v, en, zh, sev) for pos, c, v, en, zh, sev in errs.items]

    # blank lines are skipped, not rejected
    blank = (cells.astype(str).apply(lambda c: c.str.strip()) == "").all(axis=1).to_numpy() if n else np.zeros(0, bool)
    keep = np.ones(n, dtype=bool)
    keep[error_rows] = False
    keep &= ~blank

    # a key repeated inside the file: identical rows are stored once; conflicting rows are all rejected
    key = KEY[kind]
    keys = clean[key]
    frame = pd.DataFrame({c: s for c, s in clean.items()})
    if adcodes is not None:
        frame["district_adcode"] = adcodes.values
    if extra is not None:
        frame["extra"] = extra
    dup_reject: list[int] = []
    cand = keep & (keys != "").to_numpy()
    dup_mask = keys.duplicated(keep=False).to_numpy() & cand
    if dup_mask.any():
        content = frame.astype(str).agg("\x1f".join, axis=1)
        for k, grp in pd.Series(np.flatnonzero(dup_mask)).groupby(keys.iloc[np.flatnonzero(dup_mask)].values):
            positions = list(grp)
            rows_txt = ", ".join(str(row_numbers[p]) for p in positions)
            if content.iloc[positions].nunique() == 1:
                for p in positions[1:]:
                    keep[p] = False
                    problems.append(Problem(int(row_numbers[p]), key, k,
                                            f"{key} {k} repeats row {row_numbers[positions[0]]} with the same content: "
                                            "stored once", f"{label(kind, key, 'zh')} {k} 与第 {row_numbers[positions[0]]} "
                                            "行内容相同：只保存一次", "warning"))
            else:
                for p in positions:
                    keep[p] = False
                    dup_reject.append(p)
                    problems.append(Problem(int(row_numbers[p]), key, k,
                                            f"{key} {k} appears on rows {rows_txt} with different content: one "
                                            "profile per key — merge them into one row and re-submit",
                                            f"{label(kind, key, 'zh')} {k} 出现在第 {rows_txt} 行且内容不同：每个代码只能有一行，"
                                            "请合并后重新提交"))
    rejected_pos = sorted(set(error_rows) | set(dup_reject))
    raw_headers = [h if h else f"column_{i + 1}" for i, h in enumerate(table.headers)]
    rejected_pos = [p for p in rejected_pos if not blank[p]]
    raw_values = cells.to_numpy(dtype=object)[rejected_pos] if rejected_pos else []
    rejected_raw = [(int(row_numbers[p]), dict(zip(raw_headers, ("" if x is None else str(x) for x in vals),
                                                   strict=False)))
                    for p, vals in zip(rejected_pos, raw_values, strict=True)]
    for row, en, zh, raw in table.bad_rows:
        problems.append(Problem(row, None, None, en, zh))
        rejected_raw.append((row, {f"field_{i + 1}": v for i, v in enumerate(raw)}))
    rejected_raw.sort(key=lambda t: t[0])
    problems.sort(key=lambda p: (p.row, p.column or ""))

    valid = frame.loc[keep].reset_index(drop=True)
    present = tuple(c.name for c in COLUMNS[kind] if c.name in hmap.columns)
    unknown = tuple(h for _, h in hmap.unknown)
    notices = list(table.notices)
    if unknown:
        notices.append(f"columns not in the contract, kept with each profile as extra data: {', '.join(unknown)}")
    return Prepared(
        file_name=file_name, file_hash=hashlib.sha256(data).hexdigest(), file_bytes=len(data), kind=kind,
        format=table.format, encoding=table.encoding, header_lang=lang, rows_total=int(n - blank.sum())
        + len(table.bad_rows), rows=valid, present=present, problems=problems, rejected_raw=rejected_raw,
        unknown_columns=unknown, notices=notices)


def _content_hash(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    h = pd.util.hash_pandas_object(frame[columns].fillna("").astype(str), index=False).to_numpy()
    return pd.Series([f"{x:016x}" for x in h], index=frame.index)


def _merge_with_stored(store: Store, prepared: Prepared) -> pd.DataFrame:
    """Full profile rows: columns the file has come from it (an empty cell clears the value); columns
    it does not have keep what is stored (or their default for a new profile)."""
    kind = prepared.kind
    key = KEY[kind]
    all_cols = [c.name for c in COLUMNS[kind]] + ["district_adcode", "extra"]
    rows = prepared.rows.copy()
    absent = [c for c in all_cols if c not in rows.columns or (c == "district_adcode" and "district" not in rows)]
    if "extra" in rows.columns and "extra" not in absent:
        absent.append("extra")  # merged below: new extra keys over stored ones
    stored = store.existing(kind, rows[key].tolist(), absent) if absent and len(rows) else pd.DataFrame()
    if len(stored):
        stored = stored.set_index(key)
    for c in absent:
        fill = rows[key].map(stored[c]) if len(stored) else pd.Series([None] * len(rows), index=rows.index)
        if c == "extra" and "extra" in rows.columns:
            rows["extra"] = [_merge_extra(old, new) for old, new in zip(fill, rows["extra"], strict=True)]
            continue
        fill = fill.astype(object).where(fill.notna(), None)
        if c == "partner_types":
            fill = fill.map(lambda v: ";".join(v) if v is not None and len(v) else None)
        elif c in ("revenue_wan", "investment_wan"):
            fill = _canonical_decimal(fill.map(lambda v: "" if v is None else format(v, "f"))).replace("", None)
        elif c in ("employees", "founded_year"):
            fill = fill.map(lambda v: None if v is None else str(int(v)))
        elif c == "extra":
            fill = fill.map(lambda v: None if v is None else json.dumps(json.loads(v), ensure_ascii=False,
                                                                        sort_keys=True))
        if c == "org_type":
            fill = fill.where(fill.notna(), "enterprise")
        rows[c] = fill
    rows = rows[all_cols].astype(object)
    rows = rows.where(rows.notna() & (rows != ""), None)
    rows["content_hash"] = _content_hash(rows, all_cols)
    return rows


def _merge_extra(old: object, new: object) -> str | None:
    def load(v: object) -> dict:
        return json.loads(v) if isinstance(v, str) and v else {}

    merged = {**load(old), **load(new)}
    return json.dumps(merged, ensure_ascii=False, sort_keys=True) if merged else None


@dataclass(frozen=True)
class IngestReport:
    """What happened to one file. ``exit_code`` follows the CLI contract."""

    file: str
    kind: str
    format: str
    encoding: str
    header_lang: str
    strict: bool
    rows_total: int
    new: int
    updated: int
    unchanged: int
    rejected: int
    status: str
    upload_id: int | None
    problems: tuple[Problem, ...]
    unknown_columns: tuple[str, ...]
    notices: tuple[str, ...]
    new_keys: tuple[str, ...] = ()
    updated_keys: tuple[str, ...] = ()

    @property
    def stored(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def exit_code(self) -> int:
        if self.status == "refused" or (self.rejected and self.strict) or (self.rows_total and not self.stored):
            return 2
        return 1 if self.rejected else 0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["problems"] = [asdict(p) for p in self.problems]
        d["stored"] = self.stored
        d.pop("new_keys")
        d.pop("updated_keys")
        return d

    def format_text(self, lang: str | None = None) -> str:
        lang = lang or self.header_lang
        if self.status == "refused" and not self.rows_total:
            reason = "; ".join(p.text(lang) for p in self.problems)
            return f"{self.file}：文件被拒绝：{reason}" if lang == "zh" else f"{self.file}: file refused: {reason}"
        if lang == "zh":
            head = (f"{self.file}：{self.rows_total} 行，新增 {self.new}，更新 {self.updated}，未变 {self.unchanged}，"
                    f"拒绝 {self.rejected}（{self.format}，{self.encoding}）")
        else:
            head = (f"{self.file}: {self.rows_total} rows, {self.new} new, {self.updated} updated, {self.unchanged} "
                    f"unchanged, {self.rejected} rejected ({self.format}, {self.encoding})")
        lines = [head]
        if self.strict and self.rejected:
            lines.append("  --strict: 文件有被拒绝的行，整个文件未保存" if lang == "zh" else
                         "  --strict: the file has rejected rows, so nothing from it was stored")
        for p in self.problems:
            col = label(self.kind, p.column, lang) if p.column else ""
            tag = ("拒绝" if p.severity == "error" else "提示") if lang == "zh" else (
                "rejected" if p.severity == "error" else "note")
            where = f"第 {p.row} 行" if lang == "zh" else f"row {p.row}"
            lines.append(f"  {where}, {col}: {tag}: {p.text(lang)}" if col else f"  {where}: {tag}: {p.text(lang)}")
        for n in self.notices:
            lines.append(f"  {n}")
        return "\n".join(lines)


def commit(store: Store, prepared: Prepared, strict: bool = False) -> IngestReport:
    """Store a prepared file in one transaction (valid rows, rejected rows, the upload record)."""
    write = not (strict and prepared.rejected_count)
    rows = _merge_with_stored(store, prepared) if write and len(prepared.rows) else prepared.rows
    record = UploadRecord(prepared.kind, prepared.file_name, prepared.file_hash, prepared.file_bytes,
                          prepared.format, prepared.encoding, prepared.header_lang, strict, prepared.rows_total,
                          prepared.unknown_columns, tuple(prepared.notices))
    problems = [(p.row, p.column, p.value, p.reason, p.reason_zh) for p in prepared.problems]
    counts = store.record_upload(record, rows, prepared.rejected_raw, problems, write_rows=write)
    return IngestReport(
        file=prepared.file_name, kind=prepared.kind, format=prepared.format, encoding=prepared.encoding,
        header_lang=prepared.header_lang, strict=strict, rows_total=prepared.rows_total, new=counts.new,
        updated=counts.updated, unchanged=counts.unchanged, rejected=prepared.rejected_count,
        status=counts.status if write else "refused", upload_id=counts.upload_id,
        problems=tuple(prepared.problems), unknown_columns=prepared.unknown_columns,
        notices=tuple(prepared.notices), new_keys=counts.new_keys, updated_keys=counts.updated_keys)


def refused_report(file_name: str, exc: FileRefused, kind: str | None, strict: bool) -> IngestReport:
    problem = Problem(0, None, None, str(exc), exc.message_zh)
    return IngestReport(file_name, kind or "", "", "", "en", strict, 0, 0, 0, 0, 0, "refused", None, (problem,),
                        (), ())


def ingest_bytes(store: Store, data: bytes, file_name: str, kind: str | None = None,
                 strict: bool = False) -> IngestReport:
    """Validate and store one file's bytes. A file that cannot be read gives a 'refused' report."""
    try:
        prepared = prepare(data, file_name, kind)
    except FileRefused as exc:
        return refused_report(file_name, exc, kind, strict)
    return commit(store, prepared, strict)


def ingest_file(store: Store, path: str | Path, kind: str | None = None, strict: bool = False) -> IngestReport:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return refused_report(path.name, FileRefused(f"cannot read {path}: {exc.strerror}",
                                                     f"无法读取 {path}：{exc.strerror}"), kind, strict)
    return ingest_bytes(store, data, str(path.name), kind, strict)


def iter_files(paths: Iterable[str | Path]) -> list[Path]:
    return [Path(p) for p in paths]
