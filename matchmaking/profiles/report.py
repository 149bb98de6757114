"""What an upload tells its user: problems with rows, notices about the file, the refusal of a whole file,
and the report of one file (counts, every problem, its exit code), in Chinese and English.

Plain data and text: nothing here reads a file or talks to the database.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .contract import label

__all__ = ["FileRefused", "Problem", "Notice", "IngestReport", "refused_report", "has_cjk", "REASON_HEADER"]

#: The column added to a file of rejected rows sent back to its uploader, by language. When such a file
#: is uploaded again, the column is recognised and ignored (it is not profile data).
REASON_HEADER = {"zh": "拒绝原因", "en": "rejection_reason"}


def has_cjk(s: str) -> bool:
    """Any Chinese character: a header or file name written in Chinese gets its report in Chinese."""
    return any("\u4e00" <= c <= "\u9fff" for c in s)


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


def refused_report(file_name: str, exc: FileRefused, kind: str | None, strict: bool,
                   upload_id: int | None = None) -> IngestReport:
    problem = Problem(0, None, None, str(exc), exc.message_zh)
    lang = "zh" if has_cjk(file_name) else "en"
    return IngestReport(file_name, kind or "", "", "", lang, strict, 0, 0, 0, 0, 0, "refused", upload_id,
                        (problem,), (), ())
