"""Preparing an upload: a file's bytes → the valid rows to store, the rejected rows with their reasons.

The contract is ``docs/profiles.md``. ``prepare`` reads the file (``read``), tells which column is which
(``headers``), checks every column (``validate``), then works on whole rows: blank lines skipped, a key
repeated within the file stored once or rejected, every rejected row kept as it was sent. Every problem
names the spreadsheet row (the header is row 1), the column as the user wrote it, the bad value and what
is allowed, in both languages.

This module never talks to the database: storing a ``Prepared`` file is ``services.commit``.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..reference import credit_code
from .contract import COLUMNS, ENUMS, KEY, KINDS, Column, label, match_header
from .headers import HeaderMap, infer_kind, map_headers
from .read import RawTable, clean_header, read_table
from .report import FileRefused, Notice, Problem
from .validate import (
    PLACE_KINDS,
    VALIDATORS,
    Errors,
    as_bool,
    cell_text,
    check_places,
    org_type_from_name,
    short,
    validate_column,
)

__all__ = ["Prepared", "prepare"]

_PARALLEL_ROWS = 20_000  # from this many rows, columns are checked in two threads
_VALUE_IN_REPORT = 200  # characters of a bad value repeated in a report (the full row is kept in the store)


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
    present: tuple[str, ...]  # profile columns the file gives values for (read from it or from its other columns)
    problems: list[Problem]
    rejected_raw: list[tuple[int, dict[str, str]]]
    unknown_columns: tuple[str, ...]
    notices: list[Notice]
    row_numbers: tuple[int, ...] = ()  # the file row of each valid row, in the order of ``rows``

    @property
    def rejected_count(self) -> int:
        return len(self.rejected_raw)

    def reject(self, refusals: dict[int, tuple[str, str, str, str]]) -> Prepared:
        """A copy with some valid rows rejected after all, by a rule outside the file's own checks (who may
        write which profile): ``refusals`` maps a position in ``rows`` to (column, value, reason,
        reason_zh). Each such row becomes a rejected row with its problem, kept as it was read."""
        if not refusals:
            return self
        keep = [i not in refusals for i in range(self.rows.num_rows)]
        refused = self.rows.take(list(refusals)).to_pylist()
        problems = [*self.problems, *(Problem(self.row_numbers[i], col, value, en, zh)
                                      for i, (col, value, en, zh) in refusals.items())]
        problems.sort(key=lambda p: (p.row, p.column or "", p.severity))
        rejected = sorted([*self.rejected_raw, *((self.row_numbers[i], {k: "" if v is None else str(v)
                                                                          for k, v in row.items()})
                                                 for i, row in zip(refusals, refused, strict=True))],
                          key=lambda t: t[0])
        return replace(
            self, rows=self.rows.filter(pa.array(keep)), problems=problems, rejected_raw=rejected,
            row_numbers=tuple(r for r, k in zip(self.row_numbers, keep, strict=True) if k))


def prepare(data: bytes, file_name: str, kind: str | None = None) -> Prepared:
    """Read and validate a file without touching the database. Raises ``FileRefused`` if unreadable."""
    if kind is not None and kind not in KINDS:
        raise ValueError(f"The 'kind' parameter of prepare must be one of {KINDS}. Got {kind!r} instead.")
    with ThreadPoolExecutor(max_workers=1) as hasher:  # hashlib releases the GIL: hash while parsing
        file_hash = hasher.submit(lambda: hashlib.sha256(data).hexdigest())
        return _prepare(data, file_name, kind, file_hash)


def _prepare(data: bytes, file_name: str, kind: str | None, file_hash: Future[str]) -> Prepared:
    table = read_table(data)
    kind = _kind_of(table, kind)
    hmap = map_headers(table.headers, kind)
    n = table.n_rows
    if n == 0 and not table.bad_rows:
        raise FileRefused("the file has a header row but no data rows", "文件只有表头，没有数据行")
    clean, adcodes, errs = _check_columns(kind, table, hmap)
    keys = clean[KEY[kind]]
    blank = _blank_rows(keys, table)
    if blank.all() and not table.bad_rows:
        raise FileRefused("the file has a header row but no data rows (only blank lines)",
                          "文件只有表头和空行，没有数据行")
    errs.items.extend(_short_row_notes(table, blank))
    error_rows = sorted({pos for pos, *_rest, sev in errs.items if sev == "error"})
    keep = ~blank
    keep[error_rows] = False
    if adcodes is not None:
        clean["district_adcode"] = adcodes
    kept = sorted([*hmap.unknown, *((hmap.columns[c.name], clean_header(table.headers[hmap.columns[c.name]]))
                                     for c in COLUMNS[kind] if not c.stored and c.name in hmap.columns)])
    if kept:  # columns outside the contract, and hints such as the province, stay with the profile
        clean["extra"] = _extra_column(table, kept)
    repeated, dup_reject = _repeated_keys(kind, keys, clean, keep, table.row_numbers)

    problems = [Problem(int(table.row_numbers[pos]), c, short(v, _VALUE_IN_REPORT) if v is not None else None,
                        en, zh, sev)
                for pos, c, v, en, zh, sev in errs.items if not blank[pos]]
    problems += repeated
    rejected_pos = sorted(p for p in set(error_rows) | set(dup_reject) if not blank[p])
    rejected_raw = _rejected_rows(table, rejected_pos)
    for row, en, zh, _raw in table.bad_rows:
        problems.append(Problem(row, None, None, en, zh))
    problems.sort(key=lambda p: (p.row, p.column or "", p.severity))

    mask = pa.array(keep)
    valid = pa.table({c: (a.filter(mask) if not keep.all() else a) for c, a in clean.items()})
    unknown = tuple(h for _, h in hmap.unknown)
    notices = [*table.notices, *hmap.notices]
    if unknown:
        notices.append(Notice(f"columns not in the contract, kept with each profile as extra data: {', '.join(unknown)}",
                              f"以下列不在模板中，已作为附加信息随档案保存：{'、'.join(unknown)}"))
    return Prepared(
        file_name=file_name, file_hash=file_hash.result(), file_bytes=len(data), kind=kind,
        format=table.format, encoding=table.encoding, header_lang=hmap.lang,
        rows_total=int(n - blank.sum()) + len(table.bad_rows), rows=valid,
        present=tuple(c for c in clean if c not in ("district_adcode", "extra")), problems=problems,
        rejected_raw=rejected_raw, unknown_columns=unknown, notices=notices,
        row_numbers=tuple(int(r) for r, k in zip(table.row_numbers, keep, strict=False) if k))


# ------------------------------------------------------------------------------------------------ steps
def _kind_of(table: RawTable, kind: str | None) -> str:
    """The kind the caller gave, else the one the headers show; a file that shows none is refused with
    the most likely reason (no header row at all, a data row where the header should be, both kinds)."""
    if not any(clean_header(h) for h in table.headers):
        raise FileRefused("no header row: the first row must name the columns (e.g. credit_code / 统一社会信用代码)",
                          "缺少表头：第一行应为列名（例如 credit_code / 统一社会信用代码）")
    if kind is not None:
        return kind
    inferred = infer_kind(table.headers)
    if inferred is not None:
        return inferred
    code = _first_row_is_data(table.headers)
    if code:
        raise FileRefused(f"the first row holds data (the credit code {code}), not column names: add a header "
                          "row such as credit_code,name,city / 统一社会信用代码,名称,城市",
                          f"第一行是数据（信用代码 {code}），不是列名：请加上表头行，如 统一社会信用代码,名称,城市")
    cleaned = [clean_header(h) for h in table.headers]
    if "credit_code" in {match_header(h, "organisations")[0] for h in cleaned} and "project_id" in {
            match_header(h, "projects")[0] for h in cleaned}:
        raise FileRefused("the file has both organisation columns (credit_code ...) and project columns "
                          "(project_id, stage ...): say which it holds with --kind organisations or "
                          "--kind projects",
                          "文件同时含有机构列（统一社会信用代码等）和项目列（项目编号、阶段等）：请用 --kind organisations "
                          "或 --kind projects 指明类型")
    raise FileRefused("cannot tell whether the file holds organisations or projects: it has neither a "
                      "credit_code / 统一社会信用代码 nor a project_id / 项目编号 column (use --kind)",
                      "无法判断文件是机构还是项目：既没有“统一社会信用代码”列，也没有“项目编号”列（可用 --kind 指定）")


def _first_row_is_data(headers: list[str]) -> str | None:
    for h in headers:
        code = credit_code.normalise(h)
        if len(code) == 18 and credit_code.is_valid(code):
            return code
    return None


def _check_columns(kind: str, table: RawTable, hmap: HeaderMap) -> tuple[dict[str, pa.Array], pa.Array | None,
                                                                          Errors]:
    """Every stored contract column the file has, cleaned, with its problems (and the districts' adcodes).

    The place columns (province, city, district, address) are read together, as one place per row; the
    other columns are independent. Arrow's kernels release the GIL, so on a large file two threads check
    them, each into its own list (merged in column order)."""
    present = [c for c in COLUMNS[kind] if c.name in hmap.columns]
    results: dict[str, tuple[pa.Array, pa.Array | None]] = {}
    col_errs = {c.name: Errors() for c in present}
    place_errs = Errors()

    def check(col: Column) -> None:
        results[col.name] = validate_column(col, table.columns[hmap.columns[col.name]], col_errs[col.name],
                                            hmap.units.get(col.name, ""), table.has_control)

    independent = [c for c in present if c.kind in VALIDATORS]
    if table.n_rows >= _PARALLEL_ROWS:
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(check, independent))
    else:
        for col in independent:
            check(col)
    place_cols = {c.kind: table.columns[hmap.columns[c.name]] for c in present if c.kind in PLACE_KINDS}
    places = check_places(place_cols, place_errs, table.has_control) if place_cols else {}
    clean: dict[str, pa.Array] = {}
    errs = Errors()
    for col in present:
        if col.name in ("city", "district") and places:
            clean[col.name] = places[col.name]
        elif col.name in results and col.stored:
            clean[col.name] = results[col.name][0]
        errs.items.extend(col_errs[col.name].items)
    if places:
        clean["city"] = places["city"]
        if "district" in hmap.columns or "address" in hmap.columns or pc.any(pc.not_equal(places["district"], "")).as_py():
            clean["district"] = places["district"]
    errs.items.extend(place_errs.items)
    if kind == "organisations" and "name" in clean:
        _org_types_from_names(clean, errs)
    if "business_scope" in clean and "offers" not in clean:  # 经营范围 says what a firm offers when it says nothing
        clean["offers"] = clean["business_scope"]
        for pos in np.flatnonzero(as_bool(pc.not_equal(clean["offers"], ""))):
            errs.items.append((int(pos), "offers", "", "offers: none given, the business scope (经营范围) is used",
                               "能力与产品：未填写，采用经营范围", "warning"))
    for col in present:  # a column's default for an empty cell (org_type: enterprise)
        if col.default is not None and col.name in clean:
            clean[col.name] = pc.if_else(pc.equal(clean[col.name], ""), col.default, clean[col.name])
    return clean, places.get("district_adcode") if "district" in clean else None, errs


def _org_types_from_names(clean: dict[str, pa.Array], errs: Errors) -> None:
    """An organisation whose type is not given is typed by its name when the name says it (…大学, …研究院,
    …创业投资合伙企业, … Capital): a note on its row. Without a type column, the column is added only when
    some name says a type (the rest: enterprise)."""
    names = clean["name"].to_pylist()
    given = clean["org_type"].to_pylist() if "org_type" in clean else [""] * len(names)
    inferred = [org_type_from_name(n) if not g and n else None for n, g in zip(names, given, strict=True)]
    if not any(inferred):
        return
    for pos, (name, t) in enumerate(zip(names, inferred, strict=True)):
        if t:
            errs.items.append((pos, "org_type", "", f"org_type is not given: read from the name {short(name)!r} as {t}",
                               f"未填机构类型：按名称“{short(name)}”判断为“{ENUMS['org_type'][t][0]}”", "warning"))
    clean["org_type"] = pa.array([t or g or "" for t, g in zip(inferred, given, strict=True)], type=pa.string())


def _blank_rows(keys: pa.Array, table: RawTable) -> np.ndarray:
    """Rows with every cell empty: skipped, not rejected (only a row with an empty key can be blank)."""
    blank = np.zeros(table.n_rows, dtype=bool)
    empty_key = np.flatnonzero(as_bool(pc.equal(keys, "")))
    if len(empty_key):
        blank[empty_key] = True
        sub = pa.array(empty_key)
        for col_arr in table.columns:
            blank[empty_key] &= as_bool(pc.equal(pc.utf8_trim_whitespace(pc.fill_null(col_arr.take(sub), "")), ""))
    return blank


def _short_row_notes(table: RawTable, blank: np.ndarray) -> list[tuple[int, None, None, str, str, str]]:
    """A note for each row with fewer fields than the header (the missing values are taken as empty)."""
    notes = []
    for row, fields in table.short_rows:
        pos = int(np.searchsorted(table.row_numbers, row))
        if not blank[pos]:
            notes.append((pos, None, None,
                          f"the row has {fields} fields but the header has {len(table.headers)}: the missing "
                          "values are taken as empty",
                          f"该行只有 {fields} 个字段，表头有 {len(table.headers)} 个：缺少的值按空值处理", "warning"))
    return notes


def _extra_column(table: RawTable, kept: list[tuple[int, str]]) -> pa.Array:
    """Columns kept as they were written, as one JSON object per row (stored with the profile as ``extra``)."""
    texts = [cell_text(table.columns[pos]).to_pylist() for pos, _ in kept]
    names = [h for _, h in kept]
    return pa.array([json.dumps({k: (v or None) for k, v in zip(names, vals, strict=True)}, ensure_ascii=False,
                                sort_keys=True) for vals in zip(*texts, strict=True)], type=pa.string())


def _repeated_keys(kind: str, keys: pa.Array, clean: dict[str, pa.Array], keep: np.ndarray,
                   row_numbers: np.ndarray) -> tuple[list[Problem], list[int]]:
    """A key repeated inside the file: rows with identical content are stored once (a note); rows with
    different content are all rejected — never two profiles under one key. Updates ``keep`` in place and
    returns the problems and the positions rejected."""
    key = KEY[kind]
    problems: list[Problem] = []
    rejected: list[int] = []
    cand = keep & as_bool(pc.not_equal(keys, ""))
    cand_keys = keys.filter(pa.array(cand))
    if pc.count_distinct(cand_keys).as_py() >= len(cand_keys):
        return problems, rejected
    counts = pc.value_counts(cand_keys)
    dup_values = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    dup_pos = np.flatnonzero(cand & as_bool(pc.is_in(keys, value_set=dup_values)))
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
                problems.append(Problem(
                    int(row_numbers[p]), key, k,
                    f"{key} {k} repeats row {first_row} with the same content: stored once",
                    f"{label(kind, key, 'zh')} {k} 与第 {first_row} 行内容相同：只保存一次", "warning"))
        else:
            for p in positions:
                keep[p] = False
                rejected.append(p)
                problems.append(Problem(
                    int(row_numbers[p]), key, k,
                    f"{key} {k} appears on rows {rows_txt} with different content: one profile per key — "
                    "merge them into one row and re-submit",
                    f"{label(kind, key, 'zh')} {k} 出现在第 {rows_txt} 行且内容不同：每个代码只能有一行，请合并后重新提交"))
    return problems, rejected


def _rejected_rows(table: RawTable, positions: list[int]) -> list[tuple[int, dict[str, str]]]:
    """Each rejected row as it was sent ({header as written: cell}), in row order, unreadable rows too."""
    raw_headers = [clean_header(h) or f"column_{i + 1}" for i, h in enumerate(table.headers)]
    out: list[tuple[int, dict[str, str]]] = []
    if positions:
        sub = pa.array(positions)
        raw_cols = [c.take(sub).to_pylist() for c in table.columns]
        for j, p in enumerate(positions):
            out.append((int(table.row_numbers[p]), {h: ("" if col[j] is None else col[j])
                                                    for h, col in zip(raw_headers, raw_cols, strict=False)}))
    for row, _en, _zh, raw in table.bad_rows:
        out.append((row, {f"field_{i + 1}": v for i, v in enumerate(raw)}))
    out.sort(key=lambda t: t[0])
    return out
