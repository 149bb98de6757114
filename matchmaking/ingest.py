"""Upload: read a profile file, normalise and validate every row, hand the valid rows to the store.

The contract is ``docs/profiles.md``. The file type and the text encoding are detected from the bytes,
never from the file name. Validation is column-wise on Arrow arrays: text columns go through Arrow's
compute kernels, and low-cardinality columns (city, district, industry, enums, years) are checked once
per distinct value. Only rejected rows are looked at one by one, to say precisely what is wrong; so a
100,000-row file costs little more than reading it.

Every problem names the spreadsheet row (the header is row 1), the column as the user wrote it, the bad
value and what is allowed, in the language of the file's headers. Valid rows are stored, invalid rows
are kept (with their reasons) for fixing and re-submitting; ``strict`` makes a file all-or-nothing.

This module never talks to DuckDB: ``commit`` hands clean rows to ``Store.record_upload``.
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
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import uscc
from .profiles import COLUMNS, ENUM_LOOKUP, ENUMS, KINDS, Column, header_index, label
from .reference import CITIES, fold, industries, regions
from .store import KEY, Store, UploadRecord

__all__ = ["Problem", "Notice", "FileRefused", "Prepared", "IngestReport", "RawTable", "read_table", "prepare",
           "commit", "ingest_file", "ingest_bytes", "refused_report", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 200 * 1024 * 1024
_HEADER_SEARCH_ROWS = 10
_PARALLEL_ROWS = 20_000  # from this many rows, columns are checked in two threads
_VALUE_IN_REPORT = 200  # characters of a bad value repeated in a report (the full row is kept in the store)


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


@dataclass(frozen=True)
class Notice:
    """Something about the file as a whole (unknown columns kept, a skipped sheet...), in both languages."""

    message: str
    message_zh: str

    def text(self, lang: str) -> str:
        return self.message_zh if lang == "zh" else self.message

    def __str__(self) -> str:
        return self.message


@dataclass
class RawTable:
    """A file's cells as text, before any interpretation: one Arrow string array per column position."""

    headers: list[str]
    columns: list[pa.Array]
    row_numbers: np.ndarray
    format: str
    encoding: str
    notices: list[Notice] = field(default_factory=list)
    bad_rows: list[tuple[int, str, str, list[str]]] = field(default_factory=list)  # (row, en, zh, raw fields)
    short_rows: list[tuple[int, int]] = field(default_factory=list)  # (row, fields): padded with empty cells
    has_control: bool = True  # False when the reader saw no control character anywhere in the file

    @property
    def n_rows(self) -> int:
        return len(self.row_numbers)


# ----------------------------------------------------------------------------------------------- reading
def _refuse(en: str, zh: str) -> FileRefused:
    return FileRefused(en, zh)


_BINARY_MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image",
                 b"\x1f\x8b": "a gzip archive", b"Rar!": "a RAR archive", b"7z\xbc\xaf": "a 7-Zip archive",
                 b"MZ": "a Windows program", b"\x7fELF": "a program", b"SQLite format": "an SQLite database"}


def _looks_binary(data: bytes) -> str | None:
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return what
    head = data[:8192]
    controls = sum(head.count(bytes([b])) for b in (*range(0, 9), 11, 12, *range(14, 32)))
    return "a binary file" if head and controls / len(head) > 0.10 else None


def _utf8_damage(data: bytes) -> tuple[int, int]:
    """(valid multi-byte characters, broken bytes) when reading ``data`` as UTF-8."""
    text = data.decode("utf-8", "replace")
    broken = text.count("\ufffd")
    non_ascii = sum(1 for c in text if ord(c) > 127) if len(text) < 2_000_000 else len(text) - len(
        text.encode("ascii", "ignore"))
    return non_ascii - broken, broken


def _decode(data: bytes) -> tuple[str, str]:
    """The text of a non-UTF-8 (or damaged UTF-8) file and the encoding it was read with."""
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
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_err = exc
    # A UTF-8 file with a few broken bytes must not be read as GBK (that would silently turn its text into
    # nonsense); a GBK file, read as UTF-8, breaks on most of its Chinese characters.
    valid, broken = _utf8_damage(data)
    line = data[: utf8_err.start].count(b"\n") + 1
    if valid >= 4 * broken:
        raise _refuse(f"the file is UTF-8 but {broken} byte(s) are broken, the first at line {line} "
                      f"(byte {utf8_err.start}, 0x{data[utf8_err.start]:02x}); save it again as UTF-8",
                      f"文件为 UTF-8 编码，但有 {broken} 处编码已损坏，第一处在第 {line} 行（第 {utf8_err.start} 字节）；"
                      "请重新以 UTF-8 保存")
    for enc in ("gbk", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise _refuse(f"cannot read the text: it is neither UTF-8 nor GBK/GB18030 (first bad byte at line {line}); "
                  "save the file as CSV UTF-8 or as .xlsx",
                  f"无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030（第 {line} 行起）；请另存为 CSV UTF-8 或 .xlsx")


def _clean_header(h: object) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(h if h is not None else ""))).strip().lstrip("\ufeff")


def _all_headers() -> dict[str, str]:
    return {**header_index("organisations"), **header_index("projects")}


def _sniff_delimiter(first_line: str) -> str:
    best, best_score = ",", -1
    index = _all_headers()
    for delim in (",", "\t", ";", "|"):
        fields = next(csv.reader([first_line], delimiter=delim), [])
        score = sum(1 for f in fields if fold(_clean_header(f)) in index) * 10 + len(fields)
        if score > best_score:
            best, best_score = delim, score
    return best


def _first_line(text: str) -> str:
    end = min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=len(text))
    return text[:end]


_CONTROL_SET = bytes(b for b in range(256) if b < 32 and b not in (9, 10, 13) or b == 127)
_DROP_ALL_BUT_CONTROLS = bytes(b for b in range(256) if b not in _CONTROL_SET)
_DROP_ALL_BUT_MARKS = bytes(b for b in range(256) if b not in b'"\r\n' and b not in _CONTROL_SET)


def _scan(data: bytes) -> tuple[bool, bool]:
    """(a line break sits inside a quoted value, the file has control characters), in one pass.

    Arrow parses much faster when no value spans lines; a line break is inside quotes when an odd number
    of quote characters precede it (doubled quotes inside a value count twice, so they do not matter)."""
    marks = data.translate(None, _DROP_ALL_BUT_MARKS)
    if not marks:
        return False, False
    has_control = bool(marks.translate(None, b'"\r\n'))
    arr = np.frombuffer(marks, dtype=np.uint8)
    quotes = arr == ord('"')
    if not quotes.any():
        return False, has_control
    parity = np.cumsum(quotes, dtype=np.int64) & 1
    newlines = (arr == ord("\n")) | (arr == ord("\r"))
    return bool(parity[newlines].any()), has_control


def _has_control_bytes(data: bytes | memoryview) -> bool:
    return bool(bytes(data).translate(None, _DROP_ALL_BUT_CONTROLS))


def _read_csv_bytes(data: bytes, encoding: str) -> RawTable:
    """UTF-8 bytes (no BOM): Arrow's parser when the file is regular, else the exact reader."""
    head = data[:65536].decode("utf-8", "ignore")
    if not head.strip():
        raise _refuse("the file is empty", "文件为空")
    delim = _sniff_delimiter(_first_line(head))
    multiline, has_control = _scan(data)
    fast = _read_csv_fast(data, delim, multiline)
    if fast is not None:
        headers, columns = fast
        n = len(columns[0]) if columns else 0
        return RawTable(headers, columns, np.arange(2, n + 2), "csv", encoding, has_control=has_control)
    return _read_csv_exact(data.decode("utf-8"), delim, encoding)


def _read_csv_fast(data: bytes, delim: str, multiline: bool = True) -> tuple[list[str], list[pa.ChunkedArray]] | None:
    """Arrow's parser: exact for well-formed files; None (use the exact reader) at the first irregularity."""
    import pyarrow.csv as pacsv

    first = _first_line(data[:65536].decode("utf-8", "ignore"))
    if '"' in first:  # a quoted header may hide a line break or a delimiter: leave it to the exact reader
        return None
    headers = first.split(delim)
    n = len(headers)
    irregular: list[Any] = []

    def on_invalid(row: Any) -> str:
        irregular.append(row)
        return "skip"

    names = [f"f{i}" for i in range(n)]
    block = 1 << 20
    while True:
        try:
            tbl = pacsv.read_csv(
                pa.BufferReader(pa.py_buffer(data)),
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=True, block_size=block),
                parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=multiline,
                                                 ignore_empty_lines=False, invalid_row_handler=on_invalid),
                convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False),
            )
        except pa.ArrowInvalid as exc:
            if "straddl" in str(exc) and block < len(data) + 1:  # one row longer than a block: a huge cell
                block = min(block * 8, len(data) + 1)
                irregular.clear()
                continue
            if "UTF8" in str(exc) or "utf8" in str(exc).lower():
                raise
            return None
        break
    if irregular:
        return None
    return headers, [tbl.column(i) for i in range(n)]


_FIELD_LIMIT_SET = False


def _read_csv_exact(text: str, delim: str, encoding: str) -> RawTable:
    global _FIELD_LIMIT_SET
    if not _FIELD_LIMIT_SET:  # a multi-megabyte cell must be read (and then rejected for its length)
        csv.field_size_limit(MAX_FILE_BYTES)
        _FIELD_LIMIT_SET = True
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise _refuse(f"cannot parse the CSV near line {reader.line_num}: {exc}",
                      f"CSV 第 {reader.line_num} 行附近无法解析：{exc}") from exc
    if not records:
        raise _refuse("the file is empty", "文件为空")
    headers = records[0]
    n = len(headers)
    rows, numbers, bad, short = [], [], [], []
    for i, rec in enumerate(records[1:], start=2):
        if len(rec) > n and any(x.strip() for x in rec[n:]):
            bad.append((i, f"the row has {len(rec)} fields but the header has {n}: a value probably contains an "
                           f"unquoted '{delim}' (put such values in double quotes)",
                        f"该行有 {len(rec)} 个字段，表头只有 {n} 个：某个值可能含有未加引号的“{delim}”（请给该值加上双引号）",
                        rec))
            continue
        if 0 < len(rec) < n and any(x.strip() for x in rec):
            short.append((i, len(rec)))
        rows.append((rec + [""] * n)[:n])
        numbers.append(i)
    columns = [pa.array([r[j] for r in rows], type=pa.string()) for j in range(n)]
    return RawTable(headers, columns, np.array(numbers, dtype=np.int64), "csv", encoding, bad_rows=bad,
                    short_rows=short)


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


def _columns_of(rows: list[list[str]], n: int) -> list[pa.Array]:
    return [pa.array([r[j] for r in rows], type=pa.string()) for j in range(n)]


def _read_xlsx(data: bytes) -> RawTable:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise _refuse(f"the file looks like an Excel workbook but cannot be opened ({type(exc).__name__}); "
                      "open it in Excel and save it again as .xlsx",
                      "文件看起来是 Excel 工作簿，但无法打开；请在 Excel 中打开并重新另存为 .xlsx") from exc
    index = _all_headers()
    notices: list[Notice] = []
    try:
        for ws in wb.worksheets:
            rows_iter = ws.iter_rows(values_only=True)
            header_at = None
            header: tuple = ()
            for i, row in enumerate(rows_iter, start=1):
                if sum(1 for v in row if fold(_clean_header(v)) in index) >= 2:
                    header_at, header = i, row
                    break
                if i >= _HEADER_SEARCH_ROWS:
                    break
            if header_at is None:
                notices.append(Notice(f"sheet '{ws.title}' has no recognisable header row: skipped",
                                      f"工作表“{ws.title}”没有可识别的表头行：已跳过"))
                continue
            headers = [_clean_header(v) for v in header]
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
            table = RawTable(headers, _columns_of(rows, n), np.array(numbers, dtype=np.int64), "xlsx", "xlsx",
                             notices)
            if numeric_codes:
                rows_txt = ", ".join(str(j) for j, _, _ in numeric_codes[:10])
                table.notices.append(Notice(
                    f"rows {rows_txt}: long numbers (15+ digits) were typed as numbers; Excel keeps only 15 digits, "
                    "so codes typed as numbers lose their last digits: format the column as text",
                    f"第 {rows_txt} 行：长数字（15 位以上）以数值形式录入；Excel 只保留 15 位有效数字，代码会丢失末尾数字："
                    "请将该列设置为文本格式"))
            return table
    finally:
        wb.close()
    raise _refuse("no sheet of the workbook has a recognisable header row (e.g. credit_code / 统一社会信用代码) "
                  f"in its first {_HEADER_SEARCH_ROWS} rows",
                  f"工作簿中没有任何工作表在前 {_HEADER_SEARCH_ROWS} 行内有可识别的表头行（例如 credit_code / 统一社会信用代码）")


def _read_json(text: str) -> RawTable:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _refuse(f"broken JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                      f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}") from exc
    except RecursionError as exc:
        raise _refuse("the JSON is nested too deeply", "JSON 嵌套层数过多") from exc
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise _refuse("a JSON profile file must be a list of objects, [{...}, {...}] (or an object holding "
                          "exactly one such list); this file is a single object",
                          "JSON 档案文件应为对象列表 [{...}, {...}]（或只含一个此类列表的对象）；此文件是单个对象")
        doc = lists[0]
    if not isinstance(doc, list):
        raise _refuse(f"a JSON profile file must be a list of objects, not {type(doc).__name__}",
                      "JSON 档案文件应为对象列表")
    headers: dict[str, None] = {}
    for item in doc:
        if isinstance(item, dict):
            headers.update(dict.fromkeys(str(k) for k in item))
    hs = list(headers)
    rows, bad, numbers = [], [], []
    for i, item in enumerate(doc, start=1):
        if not isinstance(item, dict):
            kind = type(item).__name__
            bad.append((i, f"item {i} of the list is not an object but {kind}",
                        f"列表第 {i} 项不是对象，而是 {kind}", [json.dumps(item, ensure_ascii=False)]))
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
    return RawTable(hs, _columns_of(rows, len(hs)), np.array(numbers, dtype=np.int64), "json", "utf-8",
                    bad_rows=bad)


def read_table(data: bytes) -> RawTable:
    """Detect the file type from its bytes and read its cells as text."""
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(f"the file is {len(data) / 1e6:.0f} MB; at most {MAX_FILE_BYTES // 2**20} MB per file",
                      f"文件大小 {len(data) / 1e6:.0f} MB，单个文件不得超过 {MAX_FILE_BYTES // 2**20} MB")
    if re.match(rb"\s*\Z", data):
        raise _refuse("the file is empty", "文件为空")
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, EOFError, ValueError) as exc:
            raise _refuse("the file is a damaged ZIP/Excel file", "文件是已损坏的 ZIP/Excel 文件") from exc
        if not any(n.startswith("xl/") for n in names):
            raise _refuse("the file is a ZIP archive, not an .xlsx workbook: unpack it and upload the file inside",
                          "文件是 ZIP 压缩包，不是 .xlsx 工作簿：请解压后上传其中的文件")
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse("this is an old Excel .xls (or other Office 97) file: save it as .xlsx or CSV",
                      "这是旧版 Excel .xls 文件：请另存为 .xlsx 或 CSV")
    if data.startswith(b"%PDF"):
        raise _refuse("this is a PDF, not a CSV/Excel/JSON profile file", "这是 PDF 文件，不是 CSV/Excel/JSON 档案文件")
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        what = _looks_binary(data)
        if what:
            raise _refuse(f"this is {what}, not a CSV/Excel/JSON profile file",
                          "这是二进制文件（如图片或程序），不是 CSV/Excel/JSON 档案文件")
    bom = data.startswith(b"\xef\xbb\xbf")
    start = re.match(rb"(?:\xef\xbb\xbf)?\s*", data)
    first = data[start.end():start.end() + 1] if start else b""
    if first in (b"[", b"{"):
        text, _ = _decode(data)
        return _read_json(text.lstrip("\ufeff \t\r\n"))
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:  # the common case: UTF-8, read by Arrow straight from the bytes (it checks the UTF-8)
            return _read_csv_bytes(data[3:] if bom else data, "utf-8-sig" if bom else "utf-8")
        except (pa.ArrowInvalid, UnicodeDecodeError):
            pass
    text, encoding = _decode(data)
    if encoding in ("utf-8", "utf-8-sig"):  # Arrow refused valid UTF-8: a shape problem, not an encoding one
        return _read_csv_exact(text.lstrip("\ufeff"), _sniff_delimiter(_first_line(text.lstrip("\ufeff"))),
                               encoding)
    return _read_csv_bytes(text.lstrip("\ufeff").encode("utf-8"), encoding)


# -------------------------------------------------------------------------------------------- headers
def _is_zh(s: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in s)


_ORG_ONLY = {"org_type", "offers", "partner_types", "revenue_wan", "employees", "founded_year"}
_PROJECT_ONLY = {"sponsor_credit_code", "investment_wan", "stage"}


def _infer_kind(headers: list[str]) -> str | None:
    """organisations if the file has a credit-code column, projects if it has a project-id column; when it
    has both, the kind whose own columns are there (a lone ``id``/``编号`` column beside a credit code is
    just a row number); None when it cannot be told."""
    folded = {fold(_clean_header(h)) for h in headers}
    org = header_index("organisations")
    proj = header_index("projects")
    org_keys = {org[h] for h in folded if h in org}
    proj_keys = {proj[h] for h in folded if h in proj}
    has_org, has_proj = "credit_code" in org_keys, "project_id" in proj_keys
    if has_org and not has_proj:
        return "organisations"
    if has_proj and not has_org:
        return "projects"
    if has_org and has_proj:
        if not proj_keys & _PROJECT_ONLY:
            return "organisations"
        if not org_keys & _ORG_ONLY:
            return "projects"
    return None


@dataclass(frozen=True)
class _HeaderMap:
    columns: dict[str, int]  # canonical → position
    unknown: list[tuple[int, str]]
    lang: str


# the reason column the app adds to a rejected-rows download (upload_views.REASON_HEADER)
_OUR_REASON_HEADERS = frozenset(fold(h) for h in ("rejection_reason", "拒绝原因"))


def _map_headers(headers: list[str], kind: str) -> _HeaderMap:
    """Which column is which. When two headers mean the same column and one is its own name (``title``)
    while the other is only an alias (``name``), the alias is kept as an unknown column; two own names
    (``credit_code`` and ``统一社会信用代码``) are refused."""
    index = header_index(kind)
    own = {fold(s): c.name for c in COLUMNS[kind] for s in (c.name, c.zh, c.name.replace("_", ""))}
    columns: dict[str, int] = {}
    is_own: dict[str, bool] = {}
    unknown: list[tuple[int, str]] = []
    zh = 0
    for pos, raw in enumerate(headers):
        h = _clean_header(raw)
        canon = index.get(fold(h)) or index.get(fold(h.replace("_", "")))
        if canon is None:
            if fold(h) in _OUR_REASON_HEADERS:  # our own rejected-rows download sent back: not profile data
                continue
            unknown.append((pos, h or f"column_{pos + 1}"))
            continue
        mine = own.get(fold(h)) == canon or own.get(fold(h.replace("_", ""))) == canon
        if canon in columns:
            first = _clean_header(headers[columns[canon]])
            if mine == is_own[canon]:
                raise _refuse(f"columns '{first}' and '{h}' both mean {canon}: keep one",
                              f"“{first}”与“{h}”两列都表示{label(kind, canon, 'zh')}，请只保留一列")
            if not mine:
                unknown.append((pos, h))
                continue
            unknown.append((columns[canon], first))
        zh += _is_zh(h)
        columns[canon] = pos
        is_own[canon] = mine
    unknown.sort()
    lang = "zh" if zh * 2 >= max(len(columns), 1) and zh else "en"
    missing = [c for c in COLUMNS[kind] if c.required and c.name not in columns]
    if missing:
        names = ", ".join(f"{c.name} / {c.zh}" for c in missing)
        shown = ", ".join(_clean_header(h) for h in headers)
        raise _refuse(f"required column missing: {names} (the header row has: {shown})",
                      f"缺少必填列：{names}（表头为：{'、'.join(_clean_header(h) for h in headers)}）")
    return _HeaderMap(columns, unknown, lang)


# ------------------------------------------------------------------------------------------ validation
_CONTROL_RE = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_CONTROL_BYTES = np.zeros(256, dtype=bool)
_CONTROL_BYTES[[*range(0, 9), 11, 12, *range(14, 32), 127]] = True
_EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_PHONE_RE = r"^[0-9+()\-\s/转xX#ext.]{6,50}$"
_LIST_SPLIT = re.compile(r"[;；,，、/|]+")
_YEAR = re.compile(r"^(\d{4})(?:年|\.0+|[-/.](\d{1,2})(?:[-/.](\d{1,2}))?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
                   r"|年(\d{1,2})月(?:(\d{1,2})日)?)?$")


def _short(v: object, n: int = 60) -> str:
    s = str(v)
    return s if len(s) <= n else s[: n - 1] + "…"


class _Errors:
    """Collects (position, column, value, en, zh, severity) for the rows of one table."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str | None, str | None, str, str, str]] = []

    def add(self, positions: Iterable[int], column: str, values: pa.Array,
            en: str | Callable[[str], str], zh: str | Callable[[str], str], severity: str = "error") -> None:
        for pos in positions:
            v = values[int(pos)].as_py()
            v = "" if v is None else str(v)
            self.items.append((int(pos), column, v, en(v) if callable(en) else en, zh(v) if callable(zh) else zh,
                               severity))

    def add_mask(self, mask: pa.Array | np.ndarray, column: str, values: pa.Array,
                 en: str | Callable[[str], str], zh: str | Callable[[str], str], severity: str = "error") -> None:
        self.add(np.flatnonzero(_np(mask)), column, values, en, zh, severity)


def _np(mask: pa.Array | pa.ChunkedArray | np.ndarray) -> np.ndarray:
    if isinstance(mask, np.ndarray):
        return mask
    filled = pc.fill_null(mask, False)
    if isinstance(filled, pa.ChunkedArray):
        return np.asarray(filled.to_numpy(), dtype=bool)
    return filled.to_numpy(zero_copy_only=False)


def _any(mask: pa.Array | pa.ChunkedArray) -> bool:
    return bool(pc.any(mask).as_py())


def _flat(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _has_control(arr: pa.Array | pa.ChunkedArray) -> bool:
    """Any control character (other than tab and line breaks) in a string array, checked on its bytes."""
    for chunk in (arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]):
        if len(chunk) == 0 or chunk.buffers()[2] is None:
            continue
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32 if chunk.type == pa.string() else np.int64)
        lo, hi = int(offsets[chunk.offset]), int(offsets[chunk.offset + len(chunk)])
        if _has_control_bytes(bytes(memoryview(chunk.buffers()[2])[lo:hi])):
            return True
    return False


def _text(arr: pa.Array | pa.ChunkedArray, maybe_control: bool = True) -> pa.Array | pa.ChunkedArray:
    """A cell as text: control characters removed, our export's formula guard (``'=…``) undone, trimmed."""
    arr = pc.fill_null(arr, "")
    if maybe_control and _has_control(arr):
        arr = pc.replace_substring_regex(arr, _CONTROL_RE, "")
    apos = pc.starts_with(arr, "'")
    if _any(apos):  # our own export writes '=… so that no spreadsheet runs it; read it back as written
        arr = pc.replace_substring_regex(arr, r"^'([=+\-@])", r"\1")
    # trimming copies the column: only when some value starts or ends with white space
    edges = pc.or_(pc.utf8_is_space(pc.utf8_slice_codeunits(arr, 0, 1)),
                   pc.utf8_is_space(pc.utf8_slice_codeunits(arr, -1, 2**31 - 1)))
    return pc.utf8_trim_whitespace(arr) if _any(edges) else arr


def _nfkc(arr: pa.Array) -> pa.Array:
    return pc.utf8_trim_whitespace(pc.utf8_normalize(arr, "NFKC"))


class _Distinct:
    """A column checked once per distinct value: ``fn(value) -> (outputs..., error)``."""

    def __init__(self, arr: pa.Array | pa.ChunkedArray, fn: Callable[[str], tuple[Any, ...]]) -> None:
        enc = pc.dictionary_encode(_flat(arr))
        self.indices = enc.indices
        self.results = [fn(v) for v in enc.dictionary.to_pylist()]

    def output(self, i: int = 0) -> pa.Array:
        return pc.take(pa.array([r[i] for r in self.results], type=pa.string()), self.indices)

    def errors(self) -> list[tuple[int, Any]]:
        """(row position, error) for the rows whose value has an error."""
        flags = np.array([r[-1] is not None for r in self.results], dtype=bool)
        if not flags.any():
            return []
        idx = self.indices.to_numpy(zero_copy_only=False)
        return [(int(p), self.results[idx[p]][-1]) for p in np.flatnonzero(flags[idx])]


_LUT = np.full(256, -1, dtype=np.int32)
for _i, _c in enumerate(uscc.ALPHABET):
    _LUT[ord(_c)] = _i
_ORG_LUT = np.zeros(256, dtype=np.int32)
_ORG_LUT[ord("0"):ord("9") + 1] = np.arange(10)
_ORG_LUT[ord("A"):ord("Z") + 1] = np.arange(10, 36)
_W18 = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int32)
_W_ORG = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int32)


def _codes_ok(codes: pa.Array) -> np.ndarray:
    """Both check characters of 18-character ASCII codes, vectorised over the array's bytes."""
    codes = _flat(codes)
    n = len(codes)
    ok = np.zeros(n, dtype=bool)
    shape_ok = _np(pc.and_(pc.equal(pc.binary_length(codes), 18), pc.string_is_ascii(codes)))
    idx = np.flatnonzero(shape_ok)
    if not len(idx):
        return ok
    sel = codes.filter(pa.array(shape_ok)) if len(idx) < n else codes
    offsets = np.frombuffer(sel.buffers()[1], dtype=np.int32)
    start = int(offsets[sel.offset])
    raw = np.frombuffer(sel.buffers()[2], dtype=np.uint8)[start:start + 18 * len(idx)].reshape(-1, 18)
    v = _LUT.take(raw)
    good = (v >= 0).all(axis=1)
    good &= (31 - (v[:, :17] @ _W18) % 31) % 31 == v[:, 17]
    r = 11 - (_ORG_LUT.take(raw[:, 8:16]) @ _W_ORG) % 11
    expected17 = np.where(r == 10, ord("X"), np.where(r == 11, ord("0"), r + ord("0")))
    good &= expected17 == raw[:, 16]
    good &= ((raw[:, 2:8] >= ord("0")) & (raw[:, 2:8] <= ord("9"))).all(axis=1)
    ok[idx] = good
    return ok


def _validate_codes(s: pa.Array, col: Column, errs: _Errors) -> pa.Array:
    codes = pc.utf8_upper(_nfkc(s))
    if _any(pc.match_substring_regex(codes, r"[\s\-']")):  # '9131… is how people keep Excel from rounding it
        codes = pc.replace_substring_regex(codes, r"[\s\-']", "")
    ok = _codes_ok(codes)
    bad = np.flatnonzero(~ok & _np(pc.not_equal(codes, "")))
    for pos in bad:
        code = codes[int(pos)].as_py()
        raw = s[int(pos)].as_py()
        if re.fullmatch(r"\d(\.\d+)?E\+?\d+", code):
            en = (f"{col.name} {raw!r} was typed as a number, and Excel keeps only 15 digits, so the code has lost "
                  "its last digits: format the column as text and type the code again")
            zh = f"{col.zh}“{raw}”以数值形式录入，Excel 只保留 15 位数字，代码末尾已丢失：请将该列设为文本格式后重新填写"
        else:
            problems = uscc.check(code)
            en = (f"{col.name} {_short(code)!r} is not a valid unified social credit code: "
                  + "; ".join(p.message for p in problems))
            zh = f"{col.zh}“{_short(code)}”不是有效的统一社会信用代码：" + "；".join(p.message_zh for p in problems)
        errs.items.append((int(pos), col.name, raw, en, zh, "error"))
    return codes


_GROUPED = r"^[+-]?\d{1,3}(?:[, ]\d{3})+(?:\.\d*)?$"
_PLAIN = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"


_NO_VALUE = r"(?i)^(?:-+|—+|－+|/|n/?a|null|none|无|暂无|不详|未知)$"


def _no_value_markers(s: pa.Array, col: Column, errs: _Errors) -> pa.Array:
    """``-``, ``N/A``, ``无``, ``暂无`` … in a number or year column mean 'no value': empty, with a note."""
    marked = pc.match_substring_regex(s, _NO_VALUE)
    if not _any(marked):
        return s
    errs.add_mask(marked, col.name, s, lambda v: f"{col.name} {v!r} is taken as no value (empty)",
                  lambda v: f"{col.zh}“{v}”按空值处理", "warning")
    return pc.if_else(marked, "", s)


def _all_plain_digits(s: pa.Array | pa.ChunkedArray) -> bool:
    """Every value empty or ASCII digits only (at most 15, so that float64 holds it exactly)."""
    return bool(pc.all(pc.match_substring_regex(s, r"^\d{0,15}$")).as_py())


def _validate_numbers(s: pa.Array, col: Column, errs: _Errors) -> pa.Array:
    """Numbers as Excel and people write them (``1,200.5``, ``１２００``, ``￥3,000``, ``1.2亿``, ``1e3``):
    canonical decimal text, or a rejection. Amounts are in the column's unit (万元), so ``万``/``万元`` is
    dropped and ``亿`` multiplies by 10,000."""
    integer = col.kind == "int"
    limit = 5e6 if integer else 1e9
    if _all_plain_digits(s):  # the common case (what a database or a careful user writes): one pass
        num = pc.cast(pc.if_else(pc.equal(s, ""), "0", s), pa.float64()).to_numpy(zero_copy_only=False)
        out_of_range = num > limit
        errs.add_mask(out_of_range, col.name, s,
                      lambda v: f"{col.name} {_short(v)!r} is out of range: must be between 0 and {limit:,.0f}",
                      lambda v: f"{col.zh}“{_short(v)}”超出范围：应在 0 到 {limit:,.0f} 之间")
        return s
    t = _nfkc(s)
    present = _np(pc.not_equal(t, ""))
    if not present.any():
        return t
    t = pc.replace_substring_regex(t, r"(?i)^(?:'|[¥$]|rmb|cny|人民币)\s*", "")
    yi = _np(pc.match_substring_regex(t, r"\s*亿元?$"))
    if yi.any():
        t = pc.replace_substring_regex(t, r"\s*亿元?$", "")
    if not integer:
        t = pc.replace_substring_regex(t, r"\s*万元?$", "")
    grouped = pc.match_substring_regex(t, _GROUPED)
    if _any(grouped):
        t = pc.if_else(grouped, pc.replace_substring_regex(t, r"[, ]", ""), t)
    is_num = _np(pc.match_substring_regex(t, _PLAIN))
    bad_fmt = present & ~is_num
    what, what_zh = ("a whole number", "整数") if integer else ("a number", "数字")
    def fmt_en(v: str) -> str:
        hint = (" (use a dot for decimals; commas only between groups of three digits, e.g. 1,200.5)"
                if "," in v or "，" in v else "")
        return f"{col.name} {_short(v)!r} is not {what}{hint}"

    def fmt_zh(v: str) -> str:
        hint = "（小数请用小数点；逗号只能用作千位分隔，如 1,200.5）" if "," in v or "，" in v else ""
        return f"{col.zh}“{_short(v)}”不是{what_zh}{hint}"

    errs.add_mask(bad_fmt, col.name, s, fmt_en, fmt_zh)
    ok = present & is_num
    # the rare spellings that need exact decimal arithmetic: 1.2亿, 1e3
    exotic = ok & (yi | _np(pc.match_substring_regex(t, r"[eE]")))
    if exotic.any():
        vals = t.to_pylist()
        for pos in np.flatnonzero(exotic):
            try:
                d = Decimal(vals[pos]) * (10000 if yi[pos] else 1)
                vals[pos] = format(d.normalize(), "f") if d == d.to_integral_value() or abs(d) < 1e15 else vals[pos]
            except InvalidOperation:
                ok[pos] = False
        t = pa.array(vals, type=pa.string())
    t = pc.replace_substring_regex(t, r"^\+", "")
    if not ok.any():
        return pc.if_else(pa.array(ok), t, "")
    num = np.full(len(t), np.nan)
    num[ok] = pc.cast(t.filter(pa.array(ok)), pa.float64()).to_numpy(zero_copy_only=False)
    out_of_range = ok & ((num < 0) | (num > limit))
    errs.add_mask(out_of_range, col.name, s,
                  lambda v: f"{col.name} {_short(v)!r} is out of range: must be between 0 and {limit:,.0f}",
                  lambda v: f"{col.zh}“{_short(v)}”超出范围：应在 0 到 {limit:,.0f} 之间")
    ok &= ~out_of_range
    if integer:
        frac = ok & _np(pc.match_substring_regex(t, r"\.\d*[1-9]"))
        errs.add_mask(frac, col.name, s, lambda v: f"{col.name} {_short(v)!r} must be a whole number",
                      lambda v: f"{col.zh}“{_short(v)}”必须是整数")
        ok &= ~frac
        t = pc.replace_substring_regex(t, r"\.0*$", "")
    else:
        many = ok & _np(pc.match_substring_regex(t, r"\.\d{5,}$"))
        errs.add_mask(many, col.name, s, lambda v: f"{col.name} {_short(v)!r} has more than 4 decimal places",
                      lambda v: f"{col.zh}“{_short(v)}”小数位数超过 4 位")
    return pc.if_else(pa.array(present & is_num), t, "")


def _year(v: str) -> tuple[str, str | None]:
    if not v:
        return "", None
    m = _YEAR.match(unicodedata.normalize("NFKC", v).strip())
    if not m:
        return "", "format"
    month, day = m.group(2) or m.group(4), m.group(3) or m.group(5)
    if (month and not 1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
        return "", "format"
    y = int(m.group(1))
    if not 1800 <= y <= dt.date.today().year:
        return "", "range"
    return str(y), None


def _validate_column(kind: str, col: Column, raw: pa.Array, errs: _Errors, cities: pa.Array | None,
                     maybe_control: bool = True) -> tuple[pa.Array, pa.Array | None]:
    """Clean one column; record its problems; return canonical text ('' = empty) and, for districts, the
    adcodes."""
    s = _text(raw, maybe_control)
    extra: pa.Array | None = None
    n_en, n_zh = col.name, col.zh
    if col.kind == "code":
        out = _validate_codes(s, col, errs)
    elif col.kind in ("text", "long_text", "email", "phone"):
        if col.kind != "long_text" and _any(pc.match_substring_regex(s, r"\s\s|[\t\r\n]")):
            s = pc.replace_substring_regex(s, r"\s+", " ")
        if col.kind == "email":
            s = pc.utf8_lower(_nfkc(s))
            bad = pc.and_(pc.not_equal(s, ""), pc.invert(pc.match_substring_regex(s, _EMAIL_RE)))
            errs.add_mask(bad, col.name, s, lambda v: f"{n_en} {_short(v)!r} is not an e-mail address",
                          lambda v: f"{n_zh}“{_short(v)}”不是有效的电子邮箱")
        elif col.kind == "phone":
            s = _nfkc(s)
            bad = pc.and_(pc.not_equal(s, ""), pc.invert(pc.match_substring_regex(s, _PHONE_RE)))
            errs.add_mask(bad, col.name, s, lambda v: f"{n_en} {_short(v)!r} is not a phone number "
                          "(digits, spaces, + - ( ) and an extension)",
                          lambda v: f"{n_zh}“{_short(v)}”不是有效的电话号码")
        too_long = pc.greater(pc.utf8_length(s), col.max_len)
        errs.add_mask(too_long, col.name, s,
                      lambda v: f"{n_en} has {len(v):,} characters; at most {col.max_len:,} are allowed",
                      lambda v: f"{n_zh}长度为 {len(v):,} 个字符，最多允许 {col.max_len:,} 个")
        out = s
    elif col.kind == "city":
        d = _Distinct(s, lambda v: (regions().city(v) or "", None if not v or regions().city(v) else 1))
        out = d.output()
        allowed = ", ".join(CITIES)
        errs.add((i for i, _ in d.errors()), col.name, s,
                 lambda v: f"unknown city {_short(v)!r}: allowed are {allowed} "
                 "(any usual spelling, e.g. 上海 / 上海市 / shanghai)",
                 lambda v: f"未知城市“{_short(v)}”：只能是上海、苏州或南通（可写作 上海 / 上海市 / Shanghai 等）")
    elif col.kind == "district":
        assert cities is not None
        pairs = pc.binary_join_element_wise(cities, s, "\x1f")

        def one(pair: str) -> tuple[str, str, Any]:
            c, v = pair.split("\x1f", 1)
            if not v or not c:
                return "", "", None
            m = regions().resolve_district(c, v)
            return ((m.district.name_zh, m.district.adcode) if m.district else ("", "")) + (
                None if m.status == "ok" else m,)

        d = _Distinct(pairs, one)
        for pos, m in d.errors():
            v = s[pos].as_py()
            if m.district is None:
                errs.items.append((pos, col.name, v, m.message, m.message_zh, "error"))
            else:
                errs.items.append((pos, col.name, v, f"district {m.message}; stored as the current district",
                                   f"区县已调整：{m.message_zh}；按现行区县保存", "warning"))
        out, extra = d.output(0), d.output(1)
    elif col.kind == "industry":
        ind = industries()

        def one_industry(u: str) -> tuple[str, Any]:
            code = ind.normalise(u)
            letter = unicodedata.normalize("NFKC", u).strip().upper()[:1]
            if not code:
                return "", None
            if not (code.isdigit() and 2 <= len(code) <= 4 and ind.exists(code)):
                return "", "unknown"
            if letter.isalpha() and letter != ind.section(code):
                return "", ind.section(code)
            return ind.section(code) + code, None

        d = _Distinct(s, one_industry)
        out = d.output()
        for pos, err in d.errors():
            v = s[pos].as_py()
            if err == "unknown":
                errs.items.append((pos, col.name, v,
                                   f"industry code {_short(v)!r} is not in GB/T 4754-2017 (a section letter and "
                                   "2–4 digits, e.g. C3973)",
                                   f"行业代码“{_short(v)}”不在 GB/T 4754-2017 中（门类字母加 2–4 位数字，如 C3973）",
                                   "error"))
            else:
                errs.items.append((pos, col.name, v,
                                   f"industry code {_short(v)!r}: the digits belong to section {err}, "
                                   f"so the code is {err}{ind.normalise(v)}",
                                   f"行业代码“{_short(v)}”的门类字母有误：该代码属于门类 {err}，应为 {err}{ind.normalise(v)}",
                                   "error"))
    elif col.kind in ("enum", "list"):
        lookup = ENUM_LOOKUP[col.name]
        allowed_en = " / ".join(ENUMS[col.name])
        allowed_zh = " / ".join(v[0] for v in ENUMS[col.name].values())

        def canon_one(v: str) -> tuple[str, Any]:
            v = unicodedata.normalize("NFKC", v).strip()
            if not v:
                return "", None
            if col.kind == "enum":
                got = lookup.get(fold(v))
                return (got, None) if got else ("", 1)
            parts = [p for p in _LIST_SPLIT.split(v) if p.strip()]
            found = [lookup.get(fold(p)) for p in parts]
            if any(g is None for g in found):
                return "", 1
            return ";".join(dict.fromkeys(g for g in found if g)), None

        d = _Distinct(s, canon_one)
        out = d.output()
        errs.add((i for i, _ in d.errors()), col.name, s,
                 lambda v: f"{n_en} {_short(v)!r} is not allowed: use {allowed_en}",
                 lambda v: f"{n_zh}“{_short(v)}”不在允许范围内：应为 {allowed_zh}")
    elif col.kind in ("number", "int"):
        out = _validate_numbers(_no_value_markers(s, col, errs), col, errs)
    elif col.kind == "year":
        this_year = dt.date.today().year
        d = _Distinct(_no_value_markers(s, col, errs), _year)
        out = d.output()
        res = d.errors()
        errs.add((i for i, e in res if e == "format"), col.name, s,
                 lambda v: f"{n_en} {_short(v)!r} is not a 4-digit year (e.g. 2011, 2011年, 2011-05-01)",
                 lambda v: f"{n_zh}“{_short(v)}”不是四位年份（如 2011、2011年、2011-05-01）")
        errs.add((i for i, e in res if e == "range"), col.name, s,
                 lambda v: f"{n_en} {_short(v)!r} must be a year between 1800 and {this_year} (not in the future)",
                 lambda v: f"{n_zh}“{_short(v)}”应为 1800 至 {this_year} 之间的年份（不能是未来年份）")
    else:  # pragma: no cover - every column kind is handled above
        raise AssertionError(col.kind)
    if col.required:
        missing = pc.and_(pc.equal(out, ""), pc.equal(s, ""))
        errs.add_mask(missing, col.name, s, f"{n_en} is required", f"{n_zh}为必填项")
    return out, extra


@dataclass
class Prepared:
    """A validated file, ready to commit: what would be stored, what is rejected and why.

    ``rows`` is an Arrow table of canonical text (``""`` = empty), one row per key, with the profile
    columns the file has (plus ``district_adcode`` with ``district`` and ``extra`` (JSON) when the file
    has columns outside the contract); columns the file lacks are left to the store, which keeps what is
    stored."""

    file_name: str
    file_hash: str
    file_bytes: int
    kind: str
    format: str
    encoding: str
    header_lang: str
    rows_total: int
    rows: pa.Table
    present: tuple[str, ...]  # profile columns the file has
    problems: list[Problem]
    rejected_raw: list[tuple[int, dict[str, str]]]
    unknown_columns: tuple[str, ...]
    notices: list[Notice]

    @property
    def rejected_count(self) -> int:
        return len(self.rejected_raw)

    def problems_frame(self, lang: str | None = None) -> Any:
        import pandas as pd

        lang = lang or self.header_lang
        return pd.DataFrame([{"row": p.row, "column": label(self.kind, p.column, lang) if p.column else "",
                              "value": p.value, "severity": p.severity, "reason": p.text(lang)}
                             for p in self.problems], columns=["row", "column", "value", "severity", "reason"])


def _first_row_is_data(headers: list[str]) -> str | None:
    for h in headers:
        code = uscc.normalise(h)
        if len(code) == 18 and uscc.is_valid(code):
            return code
    return None


def prepare(data: bytes, file_name: str, kind: str | None = None) -> Prepared:
    """Read and validate a file without touching the database. Raises ``FileRefused`` if unreadable."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    with ThreadPoolExecutor(max_workers=1) as hasher:  # hashlib releases the GIL: hash while parsing
        file_hash = hasher.submit(lambda: hashlib.sha256(data).hexdigest())
        return _prepare(data, file_name, kind, file_hash)


def _prepare(data: bytes, file_name: str, kind: str | None, file_hash: Future[str]) -> Prepared:
    table = read_table(data)
    if not any(_clean_header(h) for h in table.headers):
        raise _refuse("no header row: the first row must name the columns (e.g. credit_code / 统一社会信用代码)",
                      "缺少表头：第一行应为列名（例如 credit_code / 统一社会信用代码）")
    inferred = _infer_kind(table.headers)
    if kind is None:
        if inferred is None:
            code = _first_row_is_data(table.headers)
            if code:
                raise _refuse(f"the first row holds data (the credit code {code}), not column names: add a header "
                              "row such as credit_code,name,city / 统一社会信用代码,名称,城市",
                              f"第一行是数据（信用代码 {code}），不是列名：请加上表头行，如 统一社会信用代码,名称,城市")
            folded = {fold(_clean_header(h)) for h in table.headers}
            if ({"creditcode", "统一社会信用代码"} & folded or "credit_code" in {
                    header_index("organisations").get(h) for h in folded}) and "project_id" in {
                    header_index("projects").get(h) for h in folded}:
                raise _refuse("the file has both organisation columns (credit_code ...) and project columns "
                              "(project_id, stage ...): say which it holds with --kind organisations or "
                              "--kind projects",
                              "文件同时含有机构列（统一社会信用代码等）和项目列（项目编号、阶段等）：请用 --kind organisations "
                              "或 --kind projects 指明类型")
            raise _refuse("cannot tell whether the file holds organisations or projects: it has neither a "
                          "credit_code / 统一社会信用代码 nor a project_id / 项目编号 column (use --kind)",
                          "无法判断文件是机构还是项目：既没有“统一社会信用代码”列，也没有“项目编号”列（可用 --kind 指定）")
        kind = inferred
    hmap = _map_headers(table.headers, kind)
    lang = hmap.lang
    n = table.n_rows
    if n == 0 and not table.bad_rows:
        raise _refuse("the file has a header row but no data rows", "文件只有表头，没有数据行")
    errs = _Errors()
    clean: dict[str, pa.Array] = {}
    adcodes: pa.Array | None = None
    # Columns are independent but for the district, checked against its city. Arrow's kernels release the
    # GIL, so on a large file two threads check them, each into its own list (merged, then sorted below).
    present_cols = [c for c in COLUMNS[kind] if c.name in hmap.columns]
    results: dict[str, tuple[pa.Array, pa.Array | None]] = {}
    col_errs = {c.name: _Errors() for c in present_cols}

    def check(col: Column) -> None:
        city_arr = results["city"][0] if col.kind == "district" else None
        results[col.name] = _validate_column(kind, col, table.columns[hmap.columns[col.name]], col_errs[col.name],
                                             city_arr, table.has_control)

    independent = [c for c in present_cols if c.kind != "district"]
    if n >= _PARALLEL_ROWS:
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(check, independent))
    else:
        for col in independent:
            check(col)
    for col in present_cols:
        if col.kind == "district":
            check(col)
        out, extra = results[col.name]
        clean[col.name] = out
        errs.items.extend(col_errs[col.name].items)
        if col.kind == "district":
            adcodes = extra
    if "org_type" in clean:
        clean["org_type"] = pc.if_else(pc.equal(clean["org_type"], ""), "enterprise", clean["org_type"])

    # blank lines are skipped, not rejected (only rows with an empty key can be blank)
    key = KEY[kind]
    keys = clean[key]
    blank = np.zeros(n, dtype=bool)
    empty_key = np.flatnonzero(_np(pc.equal(keys, "")))
    if len(empty_key):
        blank[empty_key] = True
        sub = pa.array(empty_key)
        for col_arr in table.columns:
            blank[empty_key] &= _np(pc.equal(pc.utf8_trim_whitespace(pc.fill_null(col_arr.take(sub), "")), ""))
    if blank.all() and not table.bad_rows:
        raise _refuse("the file has a header row but no data rows (only blank lines)",
                      "文件只有表头和空行，没有数据行")
    for row, fields in table.short_rows:
        pos = int(np.searchsorted(table.row_numbers, row))
        if not blank[pos]:
            errs.items.append((pos, None, None,
                               f"the row has {fields} fields but the header has {len(table.headers)}: the missing "
                               "values are taken as empty",
                               f"该行只有 {fields} 个字段，表头有 {len(table.headers)} 个：缺少的值按空值处理", "warning"))

    error_rows = sorted({pos for pos, *_rest, sev in errs.items if sev == "error"})
    row_numbers = table.row_numbers
    keep = ~blank
    keep[error_rows] = False

    # a key repeated inside the file: identical rows are stored once; conflicting rows are all rejected
    columns = list(clean)
    if adcodes is not None:
        clean["district_adcode"] = adcodes
    extra_json: pa.Array | None = None
    if hmap.unknown:
        texts = [_text(table.columns[pos]).to_pylist() for pos, _ in hmap.unknown]
        names = [h for _, h in hmap.unknown]
        extra_json = pa.array([json.dumps({k: (v or None) for k, v in zip(names, vals, strict=True)},
                                          ensure_ascii=False, sort_keys=True) for vals in zip(*texts, strict=True)],
                              type=pa.string())
        clean["extra"] = extra_json
    problems_extra: list[Problem] = []
    dup_reject: list[int] = []
    cand = keep & _np(pc.not_equal(keys, ""))
    cand_keys = keys.filter(pa.array(cand))
    if pc.count_distinct(cand_keys).as_py() < len(cand_keys):
        counts = pc.value_counts(cand_keys)
        dup_values = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
        dup_pos = np.flatnonzero(cand & _np(pc.is_in(keys, value_set=dup_values)))
        groups: dict[str, list[int]] = {}
        for p in dup_pos:
            groups.setdefault(keys[int(p)].as_py(), []).append(int(p))
        for k, positions in groups.items():
            rows_txt = ", ".join(str(row_numbers[p]) for p in positions)
            contents = {tuple(clean[c][p].as_py() for c in clean) for p in positions}
            first_row = row_numbers[positions[0]]
            if len(contents) == 1:
                for p in positions[1:]:
                    keep[p] = False
                    problems_extra.append(Problem(
                        int(row_numbers[p]), key, k,
                        f"{key} {k} repeats row {first_row} with the same content: stored once",
                        f"{label(kind, key, 'zh')} {k} 与第 {first_row} 行内容相同：只保存一次", "warning"))
            else:
                for p in positions:
                    keep[p] = False
                    dup_reject.append(p)
                    problems_extra.append(Problem(
                        int(row_numbers[p]), key, k,
                        f"{key} {k} appears on rows {rows_txt} with different content: one profile per key — "
                        "merge them into one row and re-submit",
                        f"{label(kind, key, 'zh')} {k} 出现在第 {rows_txt} 行且内容不同：每个代码只能有一行，请合并后重新提交"))

    problems = [Problem(int(row_numbers[pos]), c, _short(v, _VALUE_IN_REPORT) if v is not None else None, en, zh, sev)
                for pos, c, v, en, zh, sev in errs.items if not blank[pos]]
    problems += problems_extra
    rejected_pos = sorted(p for p in set(error_rows) | set(dup_reject) if not blank[p])
    raw_headers = [_clean_header(h) or f"column_{i + 1}" for i, h in enumerate(table.headers)]
    rejected_raw: list[tuple[int, dict[str, str]]] = []
    if rejected_pos:
        sub = pa.array(rejected_pos)
        raw_cols = [c.take(sub).to_pylist() for c in table.columns]
        for j, p in enumerate(rejected_pos):
            rejected_raw.append((int(row_numbers[p]), {h: ("" if col[j] is None else col[j])
                                                       for h, col in zip(raw_headers, raw_cols, strict=False)}))
    for row, en, zh, raw in table.bad_rows:
        problems.append(Problem(row, None, None, en, zh))
        rejected_raw.append((row, {f"field_{i + 1}": v for i, v in enumerate(raw)}))
    rejected_raw.sort(key=lambda t: t[0])
    problems.sort(key=lambda p: (p.row, p.column or "", p.severity))

    mask = pa.array(keep)
    valid = pa.table({c: (a.filter(mask) if not keep.all() else a) for c, a in clean.items()})
    present = tuple(c.name for c in COLUMNS[kind] if c.name in hmap.columns)
    assert set(columns) == set(present)
    unknown = tuple(h for _, h in hmap.unknown)
    notices = list(table.notices)
    if unknown:
        notices.append(Notice(f"columns not in the contract, kept with each profile as extra data: {', '.join(unknown)}",
                              f"以下列不在模板中，已作为附加信息随档案保存：{'、'.join(unknown)}"))
    return Prepared(
        file_name=file_name, file_hash=file_hash.result(), file_bytes=len(data), kind=kind,
        format=table.format, encoding=table.encoding, header_lang=lang,
        rows_total=int(n - blank.sum()) + len(table.bad_rows), rows=valid, present=present, problems=problems,
        rejected_raw=rejected_raw, unknown_columns=unknown, notices=notices)


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
    status: str  # stored | partial | refused | empty
    upload_id: int | None
    problems: tuple[Problem, ...]
    unknown_columns: tuple[str, ...]
    notices: tuple[Notice, ...]
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
        d["notices"] = [{"message": n.message, "message_zh": n.message_zh} for n in self.notices]
        d["stored"] = self.stored
        d["exit_code"] = self.exit_code
        d.pop("new_keys")
        d.pop("updated_keys")
        return d

    def format_text(self, lang: str | None = None) -> str:
        lang = lang or self.header_lang
        zh = lang == "zh"
        if self.status == "refused" and not self.rows_total:
            reason = ("；" if zh else "; ").join(p.text(lang) for p in self.problems)
            return f"{self.file}：文件被拒绝：{reason}" if zh else f"{self.file}: file refused: {reason}"
        if zh:
            head = (f"{self.file}：{self.rows_total} 行，新增 {self.new}，更新 {self.updated}，未变 {self.unchanged}，"
                    f"拒绝 {self.rejected}（{self.format}，{self.encoding}）")
        else:
            head = (f"{self.file}: {self.rows_total} rows, {self.new} new, {self.updated} updated, {self.unchanged} "
                    f"unchanged, {self.rejected} rejected ({self.format}, {self.encoding})")
        lines = [head]
        if self.strict and self.rejected:
            lines.append("  --strict：文件有被拒绝的行，整个文件未保存" if zh else
                         "  --strict: the file has rejected rows, so nothing from it was stored")
        elif self.rows_total and not self.stored:
            lines.append("  没有任何行被保存" if zh else "  nothing from this file was stored")
        for p in self.problems:
            col = label(self.kind, p.column, lang) if p.column else ""
            if zh:
                tag = "拒绝" if p.severity == "error" else "提示"
                where = f"第 {p.row} 行" + (f"，{col}" if col else "")
                lines.append(f"  {where}：{tag}：{p.text(lang)}")
            else:
                tag = "rejected" if p.severity == "error" else "note"
                where = f"row {p.row}" + (f", {col}" if col else "")
                lines.append(f"  {where}: {tag}: {p.text(lang)}")
        for notice in self.notices:
            lines.append(f"  {notice.text(lang)}")
        return "\n".join(lines)


def _record(prepared: Prepared, strict: bool) -> UploadRecord:
    return UploadRecord(prepared.kind, prepared.file_name, prepared.file_hash, prepared.file_bytes,
                        prepared.format, prepared.encoding, prepared.header_lang, strict, prepared.rows_total,
                        prepared.unknown_columns, tuple(n.message for n in prepared.notices),
                        tuple(n.message_zh for n in prepared.notices))


def commit(store: Store, prepared: Prepared, strict: bool = False) -> IngestReport:
    """Store a prepared file in one transaction (valid rows, rejected rows, the upload record)."""
    write = not (strict and prepared.rejected_count)
    problems = [(p.row, p.column, p.value, p.reason, p.reason_zh) for p in prepared.problems]
    counts = store.record_upload(_record(prepared, strict), prepared.rows, prepared.rejected_raw, problems,
                                 write_rows=write)
    return IngestReport(
        file=prepared.file_name, kind=prepared.kind, format=prepared.format, encoding=prepared.encoding,
        header_lang=prepared.header_lang, strict=strict, rows_total=prepared.rows_total, new=counts.new,
        updated=counts.updated, unchanged=counts.unchanged, rejected=prepared.rejected_count,
        status=counts.status if write else "refused", upload_id=counts.upload_id,
        problems=tuple(prepared.problems), unknown_columns=prepared.unknown_columns,
        notices=tuple(prepared.notices), new_keys=counts.new_keys, updated_keys=counts.updated_keys)


def refused_report(file_name: str, exc: FileRefused, kind: str | None, strict: bool,
                   upload_id: int | None = None) -> IngestReport:
    problem = Problem(0, None, None, str(exc), exc.message_zh)
    lang = "zh" if _is_zh(file_name) else "en"
    return IngestReport(file_name, kind or "", "", "", lang, strict, 0, 0, 0, 0, 0, "refused", upload_id,
                        (problem,), (), ())


def ingest_bytes(store: Store, data: bytes, file_name: str, kind: str | None = None,
                 strict: bool = False) -> IngestReport:
    """Validate and store one file's bytes. A file that cannot be read gives a 'refused' report (and is
    recorded as a refused upload, with its reason)."""
    try:
        prepared = prepare(data, file_name, kind)
    except FileRefused as exc:
        record = UploadRecord(kind or "", file_name, hashlib.sha256(data).hexdigest(), len(data), "", "", "",
                              strict, 0)
        counts = store.record_upload(record, None, [], [(0, None, None, str(exc), exc.message_zh)],
                                     write_rows=False)
        return refused_report(file_name, exc, kind, strict, counts.upload_id)
    return commit(store, prepared, strict)


def ingest_file(store: Store, path: str | Path, kind: str | None = None, strict: bool = False) -> IngestReport:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return refused_report(path.name, FileRefused(f"cannot read {path}: {reason}",
                                                     f"无法读取 {path}：{reason}"), kind, strict)
    return ingest_bytes(store, data, str(path.name), kind, strict)
