"""The feedback file (``hst feedback import FILE``, ``hst feedback export --out FILE``) and what an outcome
is worth to learning.

The file is CSV with the columns ``query_id, candidate_id, status, reason_code, date``: ``status`` one of
contacted, met, mou, signed, landed, declined; ``reason_code`` (declined only) one of not_fit, timing,
budget, already_partner, other; ``date`` ISO (2026-03-31, or with a time). Its reason codes are the
exchange vocabulary; the follow-up form keeps finer ones (``followup.DECLINE_REASONS``), mapped both ways
here (``REASON_TO_FOLLOWUP``, ``REASON_FROM_FOLLOWUP``).

Every problem is collected, each with its row (the line in the file), column, the bad value and what is
allowed, in Chinese and English, as the profile intake does; a file with any problem is not imported.

What an outcome says about the *fit* (``grade``): a later stage is stronger evidence (contacted 1 … landed
5; an expressed interest counts as contacted); a decline for ``not_fit`` or ``other`` is evidence against
(0); a decline for ``timing``, ``budget`` or ``already_partner`` says nothing about the fit (the pair may be
right, the moment or the money not) and is left out of learning — it still keeps the pair out of its
query's list. Nothing here talks to the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..profiles.report import Problem
from ..store import OutcomeChange as FeedbackRow  # one valid row is the status change the store records

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COLUMNS", "STATUSES", "REASONS", "REASON_TO_FOLLOWUP", "REASON_FROM_FOLLOWUP", "FeedbackFileError",
           "FeedbackRow", "read_feedback", "parse_feedback", "export_rows", "GRADE", "NEUTRAL_REASONS", "grade_of"]

COLUMNS = ("query_id", "candidate_id", "status", "reason_code", "date")
STATUSES = ("contacted", "met", "mou", "signed", "landed", "declined")
REASONS = ("not_fit", "timing", "budget", "already_partner", "other")
#: the file's reason code → the follow-up form's (``followup.DECLINE_REASONS``)
REASON_TO_FOLLOWUP = {"not_fit": "not_relevant", "timing": "timing", "budget": "price",
                      "already_partner": "existing_partner", "other": "other"}
#: the form's reason code → the file's: finer codes fold into the one that says the same about the pair
REASON_FROM_FOLLOWUP = {"not_relevant": "not_fit", "capacity": "not_fit", "location": "not_fit", "price": "budget",
                        "timing": "timing", "existing_partner": "already_partner", "no_response": "other",
                        "confidential": "other", "other": "other"}
#: how strong a piece of evidence for the fit each status is (declined: against, unless for a neutral reason)
GRADE = {"contacted": 1, "met": 2, "mou": 3, "signed": 4, "landed": 5, "declined": 0}
#: decline reasons (follow-up codes) that say nothing about the fit
NEUTRAL_REASONS = frozenset({"timing", "price", "existing_partner"})

_COL_ZH = {"query_id": "query_id（查询方）", "candidate_id": "candidate_id（候选方）", "status": "status（状态）",
           "reason_code": "reason_code（放弃原因）", "date": "date（日期）"}


def grade_of(status: str, reason_code: str | None) -> int | None:
    """The evidence an outcome gives about the fit (``GRADE``), None for none ('new', neutral declines)."""
    if status == "declined" and reason_code in NEUTRAL_REASONS:
        return None
    return GRADE.get(status)


class FeedbackFileError(Exception):
    """The feedback file cannot be imported: ``problems`` are every row problem found (or one for the file
    as a whole, row 0); ``text(lang)`` lists them."""

    def __init__(self, file_name: str, problems: list[Problem]) -> None:
        self.file_name = file_name
        self.problems = problems
        super().__init__(self.text("en"))

    def text(self, lang: str, limit: int = 50) -> str:
        head = (f"{self.file_name}：{len(self.problems)} 处问题，未导入任何行" if lang == "zh" else
                f"{self.file_name}: {len(self.problems)} problem(s), nothing imported")
        lines = [p.text(lang) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"……另有 {len(self.problems) - limit} 处" if lang == "zh" else
                         f"... and {len(self.problems) - limit} more")
        return "\n".join([head, *("  " + x for x in lines)])


@dataclass
class _Rows:
    rows: list[FeedbackRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _problem(row: int, column: str, value: str, en: str, zh: str) -> Problem:
    shown = value if value else "(empty)"
    shown_zh = value if value else "（空）"
    return Problem(row, column, value, f"row {row}, column {column}: “{shown}” {en}",
                   f"第 {row} 行 {_COL_ZH.get(column, column)} 列：“{shown_zh}”{zh}")


def _decode(data: bytes, file_name: str) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise FeedbackFileError(file_name, [Problem(0, None, None,
                                                "the file is neither UTF-8 nor GB18030 text: save it as CSV (UTF-8)",
                                                "文件既不是 UTF-8 也不是 GB18030 文本：请另存为 CSV（UTF-8）")])


def _date(text: str) -> dt.datetime | None:
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        return dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return None


def parse_feedback(data: bytes, file_name: str, known_ids: set[str] | None = None,
                   today: dt.date | None = None) -> list[FeedbackRow]:
    """The rows of a feedback file, checked; raises :class:`FeedbackFileError` with every problem found.
    ``known_ids``: the organisations and projects in the store (None: not checked)."""
    text = _decode(data, file_name)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise FeedbackFileError(file_name, [Problem(0, None, None, f"the file is empty: its first line must be "
                                                    f"the header {','.join(COLUMNS)}",
                                                    f"文件为空：第一行必须是表头 {','.join(COLUMNS)}")])
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise FeedbackFileError(file_name, [Problem(1, None, ",".join(header),
            f"row 1 (header): missing column(s) {', '.join(missing)}; the header must name {','.join(COLUMNS)} "
            f"(got {','.join(header) or '(empty)'})",
            f"第 1 行（表头）：缺少列 {'、'.join(missing)}；表头必须包含 {','.join(COLUMNS)}（实际为 {','.join(header) or '（空）'}）")])
    pos = {c: names.index(c) for c in COLUMNS}
    today = today or dt.date.today()
    out = _Rows()
    seen: dict[tuple[str, str, str, dt.datetime], int] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        v = {c: (cells[i].strip() if i < len(cells) else "") for c, i in pos.items()}
        bad = len(out.problems)
        for col in ("query_id", "candidate_id"):
            if not v[col]:
                out.problems.append(_problem(line, col, "", "is empty: give the credit code of an organisation or a "
                                             "project id", "为空：请填写机构的统一社会信用代码或项目编号"))
            elif known_ids is not None and v[col] not in known_ids:
                out.problems.append(_problem(line, col, v[col], "is not in the database: give the credit code of a "
                                             "stored organisation or the id of a stored project",
                                             "不在数据库中：请填写已入库机构的统一社会信用代码或项目编号"))
        if v["query_id"] and v["query_id"] == v["candidate_id"]:
            out.problems.append(_problem(line, "candidate_id", v["candidate_id"], "is the query itself: a pair is two "
                                         "different parties", "与查询方相同：配对须是两个不同的主体"))
        status = v["status"].lower()
        if status not in STATUSES:
            out.problems.append(_problem(line, "status", v["status"], f"is not a status: use one of {', '.join(STATUSES)}",
                                         f"不是可用的状态：请使用 {'、'.join(STATUSES)} 之一"))
        reason = v["reason_code"].lower()
        if status == "declined":
            if reason not in REASONS:
                out.problems.append(_problem(line, "reason_code", v["reason_code"],
                                             f"is not a reason for declining: use one of {', '.join(REASONS)}",
                                             f"不是可用的放弃原因：请使用 {'、'.join(REASONS)} 之一"))
        elif reason and status in STATUSES:
            out.problems.append(_problem(line, "reason_code", v["reason_code"],
                                         f"is given for status {status}: a reason code is only for declined; leave it "
                                         "empty", f"用于状态 {status}：放弃原因只用于 declined；请留空"))
        when = _date(v["date"])
        if when is None:
            out.problems.append(_problem(line, "date", v["date"], "is not an ISO date: write it as 2026-03-31 (or "
                                         "2026-03-31T14:30)", "不是 ISO 日期：请写成 2026-03-31（或 2026-03-31T14:30）"))
        elif when.date() > today:
            out.problems.append(_problem(line, "date", v["date"], f"is in the future: give a date on or before {today}",
                                         f"晚于今天：请填写 {today} 或之前的日期"))
        if len(out.problems) > bad or when is None:
            continue
        key = (v["query_id"], v["candidate_id"], status, when)
        if key in seen:
            out.problems.append(_problem(line, "date", v["date"], f"repeats row {seen[key]} (same pair, status and "
                                         "date): give each change once", f"与第 {seen[key]} 行重复（同一配对、状态与日期）："
                                         "每次变化只写一次"))
            continue
        seen[key] = line
        out.rows.append(FeedbackRow(line, v["query_id"], v["candidate_id"], status,
                                    REASON_TO_FOLLOWUP[reason] if status == "declined" else None, when))
    if out.problems:
        raise FeedbackFileError(file_name, out.problems)
    return out.rows


def read_feedback(path: str | Path, known_ids: set[str] | None = None) -> tuple[list[FeedbackRow], str]:
    """The checked rows of a feedback file and the file's SHA-256."""
    path = Path(path)
    data = path.read_bytes()
    return parse_feedback(data, path.name, known_ids), hashlib.sha256(data).hexdigest()


def export_rows(events: pd.DataFrame) -> pd.DataFrame:
    """The feedback file's rows for stored follow-up events (``Store.outcome_events``): every change but
    'new', oldest first, with the form's reason codes folded into the file's."""
    import pandas as pd

    ev = events[events.status.isin(STATUSES)]
    return pd.DataFrame({
        "query_id": ev.query_id.to_numpy(),
        "candidate_id": ev.candidate_id.to_numpy(),
        "status": ev.status.to_numpy(),
        "reason_code": [REASON_FROM_FOLLOWUP.get(r, "other") if s == "declined" else ""
                        for s, r in zip(ev.status, ev.reason_code, strict=True)],
        "date": [pd.Timestamp(t).date().isoformat() if pd.Timestamp(t) == pd.Timestamp(t).normalize()
                 else pd.Timestamp(t).isoformat(timespec="seconds") for t in ev.changed_at],
    }, columns=list(COLUMNS))
