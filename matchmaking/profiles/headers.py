"""Which column is which: the kind of a file (organisations or projects) from its headers, and each
header mapped to its contract column (any spelling the contract lists, in Chinese or English).

Headers only: no cell is read here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..reference import fold
from .contract import COLUMNS, header_index, label
from .read import clean_header
from .report import REASON_HEADER, FileRefused, has_cjk

__all__ = ["HeaderMap", "infer_kind", "map_headers"]


_ORG_ONLY = {"org_type", "offers", "partner_types", "revenue_wan", "employees", "founded_year"}
_PROJECT_ONLY = {"sponsor_credit_code", "investment_wan", "stage"}


def infer_kind(headers: list[str]) -> str | None:
    """organisations if the file has a credit-code column, projects if it has a project-id column; when it
    has both, the kind whose own columns are there (a lone ``id``/``编号`` column beside a credit code is
    just a row number); None when it cannot be told."""
    folded = {fold(clean_header(h)) for h in headers}
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
class HeaderMap:
    columns: dict[str, int]  # canonical → position
    unknown: list[tuple[int, str]]
    lang: str


_OUR_REASON_HEADERS = frozenset(fold(h) for h in REASON_HEADER.values())


def map_headers(headers: list[str], kind: str) -> HeaderMap:
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
        h = clean_header(raw)
        canon = index.get(fold(h)) or index.get(fold(h.replace("_", "")))
        if canon is None:
            if fold(h) in _OUR_REASON_HEADERS:  # our own rejected-rows download sent back: not profile data
                continue
            unknown.append((pos, h or f"column_{pos + 1}"))
            continue
        mine = own.get(fold(h)) == canon or own.get(fold(h.replace("_", ""))) == canon
        if canon in columns:
            first = clean_header(headers[columns[canon]])
            if mine == is_own[canon]:
                raise FileRefused(f"columns '{first}' and '{h}' both mean {canon}: keep one",
                              f"“{first}”与“{h}”两列都表示{label(kind, canon, 'zh')}，请只保留一列")
            if not mine:
                unknown.append((pos, h))
                continue
            unknown.append((columns[canon], first))
        zh += has_cjk(h)
        columns[canon] = pos
        is_own[canon] = mine
    unknown.sort()
    lang = "zh" if zh * 2 >= max(len(columns), 1) and zh else "en"
    missing = [c for c in COLUMNS[kind] if c.required and c.name not in columns]
    if missing:
        names = ", ".join(f"{c.name} / {c.zh}" for c in missing)
        shown = ", ".join(clean_header(h) for h in headers)
        raise FileRefused(f"required column missing: {names} (the header row has: {shown})",
                      f"缺少必填列：{names}（表头为：{'、'.join(clean_header(h) for h in headers)}）")
    return HeaderMap(columns, unknown, lang)
