"""Reading a profile file: its type and text encoding told from the bytes (never from the file name), its
cells as text, one Arrow string array per column.

CSV (UTF-8 with or without BOM, GBK/GB18030, UTF-16), ``.xlsx`` (the first sheet with a recognisable
header) and JSON (a list of objects). A file that cannot be read as a whole raises ``FileRefused`` with
the reason in both languages. Nothing here interprets a value: that is ``validate``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from .contract import known_header
from .encoding import MOJIBAKE_LEADS, decode, maybe_mojibake_leads, utf8_header_ok, utf16_without_bom
from .report import FileRefused, Notice

__all__ = ["RawTable", "read_table", "clean_header", "first_line", "has_control_bytes", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 200 * 1024 * 1024
_HEADER_SEARCH_ROWS = 10


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


def clean_header(h: object) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(h if h is not None else ""))).strip().lstrip("\ufeff")


def _sniff_delimiter(first_line: str) -> str:
    best, best_score = ",", -1
    for delim in (",", "\t", ";", "|"):
        fields = next(csv.reader([first_line], delimiter=delim), [])
        score = _known(fields) * 10 + len(fields)
        if score > best_score:
            best, best_score = delim, score
    return best


def _known(fields: Iterable[object]) -> int:
    """How many of a row's cells are headers of the contract."""
    return sum(1 for f in fields if f is not None and str(f).strip() and known_header(clean_header(f)))


_HEADER_MIN = 2  # a row with this many known headers is the header row


def _header_line(head: str) -> tuple[int, str]:
    """(the line the header is on, its delimiter): the first of the first lines with two or more known
    headers (a title such as ``2026年重点企业名录（第一批）`` may come first), else the first line."""
    lines = head.splitlines()[:_HEADER_SEARCH_ROWS]
    for i, line in enumerate(lines):
        delim = _sniff_delimiter(line)
        if _known(next(csv.reader([line], delimiter=delim), [])) >= _HEADER_MIN:
            return i, delim
    return 0, _sniff_delimiter(lines[0] if lines else "")


def _title_notice(skipped: list[str], header_row: int) -> Notice:
    titles = "; ".join(t.strip(" ,;\t") for t in skipped if t.strip(" ,;\t")) or "(empty)"
    return Notice(f"rows 1–{header_row - 1} above the header (row {header_row}) were skipped: {titles}",
                  f"表头（第 {header_row} 行）之上的第 1–{header_row - 1} 行已跳过：{titles}")


def first_line(text: str) -> str:
    end = min((i for i in (text.find("\n"), text.find("\r")) if i >= 0), default=len(text))
    return text[:end]


_CONTROL_SET = bytes(b for b in range(256) if b < 32 and b not in (9, 10, 13) or b == 127)
_DROP_ALL_BUT_CONTROLS = bytes(b for b in range(256) if b not in _CONTROL_SET)
_KEPT = set(b'"\r\n') | set(_CONTROL_SET) | set(MOJIBAKE_LEADS)
_DROP_ALL_BUT_MARKS = bytes(b for b in range(256) if b not in _KEPT)


class _NotPlainUtf8(Exception):
    """The bytes need a closer look than the UTF-8 fast path gives them (``encoding.decode``)."""


def _scan(data: bytes, check_mojibake: bool = True) -> tuple[bool, bool]:
    """(a line break sits inside a quoted value, the file has control characters), in one pass over a
    UTF-8 file's bytes; with ``check_mojibake``, ``_NotPlainUtf8`` when it holds lead bytes of
    foreign-script letters (GBK text that happens to be valid UTF-8 looks like that).

    Arrow parses much faster when no value spans lines; a line break is inside quotes when an odd number
    of quote characters precede it (doubled quotes inside a value count twice, so they do not matter)."""
    marks = data.translate(None, _DROP_ALL_BUT_MARKS)
    if not marks:
        return False, False
    if check_mojibake and maybe_mojibake_leads(marks):
        raise _NotPlainUtf8
    has_control = bool(marks.translate(None, b'"\r\n' + MOJIBAKE_LEADS))
    arr = np.frombuffer(marks, dtype=np.uint8)
    quotes = arr == ord('"')
    if not quotes.any():
        return False, has_control
    parity = np.cumsum(quotes, dtype=np.int64) & 1
    newlines = (arr == ord("\n")) | (arr == ord("\r"))
    return bool(parity[newlines].any()), has_control


def has_control_bytes(data: bytes | memoryview) -> bool:
    return bool(bytes(data).translate(None, _DROP_ALL_BUT_CONTROLS))


def _read_csv_bytes(data: bytes, encoding: str, checked: bool = False) -> RawTable:
    """UTF-8 bytes (no BOM): Arrow's parser when the file is regular, else the exact reader. Unless the
    encoding is ``checked`` already, a header line that is not UTF-8 or letters of foreign scripts raise
    ``_NotPlainUtf8`` (Arrow checks the UTF-8 of the values, not of the header line it skips)."""
    if not checked and not utf8_header_ok(data):
        raise _NotPlainUtf8
    head = data[:65536].decode("utf-8", "ignore")
    if not head.strip():
        raise FileRefused("the file is empty", "文件为空")
    at, delim = _header_line(head)
    notices = []
    if at:  # title rows above the header: read from the header on, numbering rows as the spreadsheet does
        skipped = head.splitlines()[:at]
        cut = 0
        for _ in range(at):
            cut = data.index(b"\n", cut) + 1
        data = data[cut:]
        notices.append(_title_notice(skipped, at + 1))
    multiline, has_control = _scan(data, check_mojibake=not checked)
    fast = _read_csv_fast(data, delim, multiline)
    if fast is not None:
        headers, columns = fast
        n = len(columns[0]) if columns else 0
        return RawTable(headers, columns, np.arange(at + 2, n + at + 2), "csv", encoding, notices,
                        has_control=has_control)
    table = _read_csv_exact(data.decode("utf-8"), delim, encoding, first_row=at + 1)
    table.notices[:0] = notices
    return table


def _read_csv_fast(data: bytes, delim: str, multiline: bool = True) -> tuple[list[str], list[pa.ChunkedArray]] | None:
    """Arrow's parser: exact for well-formed files; None (use the exact reader) at the first irregularity."""
    import pyarrow.csv as pacsv

    first = first_line(data[:65536].decode("utf-8", "ignore"))
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


def _read_csv_exact(text: str, delim: str, encoding: str, first_row: int = 1) -> RawTable:
    """Python's CSV reader, for what Arrow's refuses (a cell spanning lines, uneven rows); the header is on
    spreadsheet row ``first_row``."""
    global _FIELD_LIMIT_SET
    if not _FIELD_LIMIT_SET:  # a multi-megabyte cell must be read (and then rejected for its length)
        csv.field_size_limit(MAX_FILE_BYTES)
        _FIELD_LIMIT_SET = True
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise FileRefused(f"cannot parse the CSV near line {reader.line_num}: {exc}",
                      f"CSV 第 {reader.line_num} 行附近无法解析：{exc}") from exc
    if not records:
        raise FileRefused("the file is empty", "文件为空")
    headers = records[0]
    n = len(headers)
    rows, numbers, bad, short = [], [], [], []
    for i, rec in enumerate(records[1:], start=first_row + 1):
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
        raise FileRefused(f"the file looks like an Excel workbook but cannot be opened ({type(exc).__name__}); "
                      "open it in Excel and save it again as .xlsx",
                      "文件看起来是 Excel 工作簿，但无法打开；请在 Excel 中打开并重新另存为 .xlsx") from exc
    notices: list[Notice] = []
    try:
        for ws in wb.worksheets:
            rows_iter = ws.iter_rows(values_only=True)
            header_at = None
            header: tuple = ()
            above: list[str] = []
            for i, row in enumerate(rows_iter, start=1):
                if _known(row) >= _HEADER_MIN:
                    header_at, header = i, row
                    break
                above.append(" ".join(_cell_text(v) for v in row if v is not None))
                if i >= _HEADER_SEARCH_ROWS:
                    break
            if header_at is None:
                notices.append(Notice(f"sheet '{ws.title}' has no recognisable header row: skipped",
                                      f"工作表“{ws.title}”没有可识别的表头行：已跳过"))
                continue
            if ws is not wb.worksheets[0]:
                notices.append(Notice(f"sheet '{ws.title}' was read (the first sheet with a header row)",
                                      f"已读取工作表“{ws.title}”（第一个有表头行的工作表）"))
            if header_at > 1:
                notices.append(_title_notice(above, header_at))
            headers = [clean_header(v) for v in header]
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
    raise FileRefused("no sheet of the workbook has a recognisable header row (e.g. credit_code / 统一社会信用代码) "
                  f"in its first {_HEADER_SEARCH_ROWS} rows",
                  f"工作簿中没有任何工作表在前 {_HEADER_SEARCH_ROWS} 行内有可识别的表头行（例如 credit_code / 统一社会信用代码）")


def _read_json(text: str) -> RawTable:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRefused(f"broken JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
                      f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}") from exc
    except RecursionError as exc:
        raise FileRefused("the JSON is nested too deeply", "JSON 嵌套层数过多") from exc
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise FileRefused("a JSON profile file must be a list of objects, [{...}, {...}] (or an object holding "
                          "exactly one such list); this file is a single object",
                          "JSON 档案文件应为对象列表 [{...}, {...}]（或只含一个此类列表的对象）；此文件是单个对象")
        doc = lists[0]
    if not isinstance(doc, list):
        raise FileRefused(f"a JSON profile file must be a list of objects, not {type(doc).__name__}",
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
        raise FileRefused(f"the file is {len(data) / 1e6:.0f} MB; at most {MAX_FILE_BYTES // 2**20} MB per file",
                      f"文件大小 {len(data) / 1e6:.0f} MB，单个文件不得超过 {MAX_FILE_BYTES // 2**20} MB")
    if re.match(rb"\s*\Z", data):
        raise FileRefused("the file is empty", "文件为空")
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, EOFError, ValueError) as exc:
            raise FileRefused("the file is a damaged ZIP/Excel file", "文件是已损坏的 ZIP/Excel 文件") from exc
        if not any(n.startswith("xl/") for n in names):
            raise FileRefused("the file is a ZIP archive, not an .xlsx workbook: unpack it and upload the file inside",
                          "文件是 ZIP 压缩包，不是 .xlsx 工作簿：请解压后上传其中的文件")
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("this is an old Excel .xls (or other Office 97) file: save it as .xlsx or CSV",
                      "这是旧版 Excel .xls 文件：请另存为 .xlsx 或 CSV")
    if data.startswith(b"%PDF"):
        raise FileRefused("this is a PDF, not a CSV/Excel/JSON profile file", "这是 PDF 文件，不是 CSV/Excel/JSON 档案文件")
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff")) or utf16_without_bom(data) is not None
    if not utf16:
        what = _looks_binary(data)
        if what:
            raise FileRefused(f"this is {what}, not a CSV/Excel/JSON profile file",
                          "这是二进制文件（如图片或程序），不是 CSV/Excel/JSON 档案文件")
    bom = data.startswith(b"\xef\xbb\xbf")
    start = re.match(rb"(?:\xef\xbb\xbf)?\s*", data)
    first = data[start.end():start.end() + 1] if start else b""
    if first in (b"[", b"{"):
        return _read_json(decode(data).text.lstrip("\ufeff \t\r\n"))
    if not utf16:
        try:  # the common case: UTF-8, read by Arrow straight from the bytes (it checks the UTF-8)
            return _read_csv_bytes(data[3:] if bom else data, "utf-8-sig" if bom else "utf-8")
        except (pa.ArrowInvalid, UnicodeDecodeError, _NotPlainUtf8):
            pass
    decoded = decode(data)
    text, encoding = decoded.text.lstrip("\ufeff"), decoded.encoding
    if encoding in ("utf-8", "utf-8-sig"):  # Arrow refused valid UTF-8: a shape problem, not an encoding one
        return _read_csv_exact(text, _sniff_delimiter(first_line(text)), encoding)
    return _read_csv_bytes(text.encode("utf-8"), encoding, checked=True)
