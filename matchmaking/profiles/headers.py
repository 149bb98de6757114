"""Which column is which: the kind of a file (organisations or projects) from its headers, and each
header mapped to its contract column (any spelling the contract lists, in Chinese or English).

Headers only: no cell is read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..reference import fold
from .contract import COLUMNS, label, match_header, own_name
from .read import clean_header
from .report import REASON_HEADER, FileRefused, Notice, has_cjk

__all__ = ["HeaderMap", "infer_kind", "map_headers"]


_ORG_ONLY = {"org_type", "offers", "partner_types", "revenue_wan", "employees", "founded_year"}
_PROJECT_ONLY = {"sponsor_credit_code", "investment_wan", "stage"}


def infer_kind(headers: list[str]) -> str | None:
    """organisations if the file has a credit-code column, projects if it has a project-id column; when it
    has both, the kind whose own columns are there (a lone ``id``/``编号`` column beside a credit code is
    just a row number); None when it cannot be told."""
    cleaned = [clean_header(h) for h in headers]
    org_keys = {match_header(h, "organisations")[0] for h in cleaned} - {None}
    proj_keys = {match_header(h, "projects")[0] for h in cleaned} - {None}
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
class HeaderMap:
    columns: dict[str, int]  # canonical → position
    unknown: list[tuple[int, str]]
    lang: str
    units: dict[str, str] = field(default_factory=dict)  # canonical → the unit its header gives ('' = none)
    notices: tuple[Notice, ...] = ()


_OUR_REASON_HEADERS = frozenset(fold(h) for h in REASON_HEADER.values())


def map_headers(headers: list[str], kind: str) -> HeaderMap:
    """Which column is which, and the unit a header gives its values (``营业收入（元）``).

    When two headers mean the same column, the contract's own name (``title``) wins over an alias
    (``name``), and of two aliases (``注册地址``, ``企业地址``) the first; the other is kept with the profile as
    extra data, with a notice. Two own names (``credit_code`` and ``统一社会信用代码``) are refused: which one
    is meant cannot be told."""
    columns: dict[str, int] = {}
    units: dict[str, str] = {}
    is_own: dict[str, bool] = {}
    unknown: list[tuple[int, str]] = []
    notices: list[Notice] = []
    zh = 0
    for pos, raw in enumerate(headers):
        h = clean_header(raw)
        canon, unit = match_header(h, kind)
        if canon is None:
            if fold(h) in _OUR_REASON_HEADERS:  # our own rejected-rows download sent back: not profile data
                continue
            unknown.append((pos, h or f"column_{pos + 1}"))
            continue
        mine = own_name(h, kind)
        if canon in columns:
            first = clean_header(headers[columns[canon]])
            if mine and is_own[canon]:
                raise FileRefused(f"columns '{first}' and '{h}' both mean {canon}: keep one",
                                  f"“{first}”与“{h}”两列都表示{label(kind, canon, 'zh')}，请只保留一列")
            if not mine or is_own[canon]:  # the first stays: this one is kept as extra data
                unknown.append((pos, h))
                notices.append(_also_means(first, h, canon, kind))
                continue
            unknown.append((columns[canon], first))  # this own name replaces an alias seen first
            notices.append(_also_means(h, first, canon, kind))
        zh += has_cjk(h)
        columns[canon] = pos
        units[canon] = unit or next((c.unit for c in COLUMNS[kind] if mine and c.name == canon), "")
        is_own[canon] = mine
    unknown.sort()
    lang = "zh" if zh * 2 >= max(len(columns), 1) and zh else "en"
    missing = [c for c in COLUMNS[kind] if c.required and c.name not in columns
               and not any(other in columns for other in c.read_from)]
    if missing:
        names = ", ".join(f"{c.name} / {c.zh}" for c in missing)
        shown = ", ".join(clean_header(h) for h in headers)
        raise FileRefused(f"required column missing: {names} (the header row has: {shown})",
                          f"缺少必填列：{names}（表头为：{'、'.join(clean_header(h) for h in headers)}）")
    return HeaderMap(columns, unknown, lang, units, tuple(notices))


def _also_means(used: str, kept: str, column: str, kind: str) -> Notice:
    return Notice(f"columns '{used}' and '{kept}' both mean {column}: '{used}' is used, '{kept}' is kept as extra data",
                  f"“{used}”与“{kept}”两列都表示{label(kind, column, 'zh')}：使用“{used}”，“{kept}”作为附加信息保存")
