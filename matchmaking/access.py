"""Who may see and do what (权限): the one home of the role rules that every service applies to its viewer.

A :class:`~matchmaking.accounts.Viewer` is who is looking. Services call :func:`require` before they read
or write anything a role may not have, and the pages only render what the services return: hiding a widget
is never the protection.

- ``staff`` (招商人员): everything, contacts included (match detail, follow-up, shortlist, funnel,
  introductions). The local console of a database without accounts is staff.
- ``enterprise`` (企业): its own organisations and their projects; its matches with the other side
  anonymised until both sides express interest or staff introduce them.
- ``official`` (政府人员): overview, alliances, benefit sharing, aggregates (small cells suppressed); no
  contacts, no single firm's revenue.
- ``admin`` (管理员): accounts and the audit log.
"""

from __future__ import annotations

import os
import re

from .accounts import AccountRefused, Viewer, role_name

__all__ = ["Forbidden", "require", "STAFF", "OFFICIAL", "ENTERPRISE", "ADMIN", "PAGES", "pages_for",
           "PUBLISH_NAMES_ENV", "publish_names", "SMALL_CELL", "suppress_small", "name_variants", "redact",
           "ANONYMOUS"]

STAFF, OFFICIAL, ENTERPRISE, ADMIN = "staff", "official", "enterprise", "admin"

#: The app's pages each role is given, in the order of the navigation. A page not listed for a role is not
#: in its navigation (Streamlit answers its address with the default page), and the services it would call
#: refuse that role anyway.
PAGES: dict[str, tuple[str, ...]] = {
    STAFF: ("overview", "matches", "profile", "upload", "benefit", "alliances", "funnel"),
    OFFICIAL: ("overview", "profile", "benefit", "alliances"),
    ENTERPRISE: ("profile", "matches", "upload"),
    ADMIN: ("accounts",),
}

#: A deployment that sets this to 1 shows enterprises the names (never the contacts or credit codes) of the
#: parties they are matched with before any interest is expressed.
PUBLISH_NAMES_ENV = "HST_PUBLISH_NAMES"

#: Aggregates shown to officials and enterprises leave out counts below this (a cell of one or two
#: organisations would single them out).
SMALL_CELL = 3

#: How an anonymised party is named (its place, type and chain follow).
ANONYMOUS = {"zh": "匿名", "en": "Anonymous"}


def pages_for(viewer: Viewer) -> tuple[str, ...]:
    return PAGES[viewer.role]


def publish_names() -> bool:
    return os.environ.get(PUBLISH_NAMES_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def suppress_small(counts, *, margin: str = "total"):
    """A crosstab of counts (pandas, margins named ``margin``) as officials and enterprises see it: a cell of
    one or two organisations is blanked (``None``); a row's or column's total is blanked too when exactly one
    of its cells is (else subtracting the others from the total would give it back) or when it is itself
    below ``SMALL_CELL``; and the grand total once any total is blanked (the same subtraction one level up).
    A heuristic of statistical disclosure control, not a proof against every combination of tables."""
    out = counts.astype("object").copy()
    rows = [r for r in out.index if r != margin]
    cols = [c for c in out.columns if c != margin]
    small = {(r, c) for r in rows for c in cols if 0 < int(counts.at[r, c]) < SMALL_CELL}
    for r, c in small:
        out.at[r, c] = None
    if margin in out.columns:
        for r in rows:
            if sum((r, c) in small for c in cols) == 1 or 0 < int(counts.at[r, margin]) < SMALL_CELL:
                out.at[r, margin] = None
    if margin in out.index:
        for c in cols:
            if sum((r, c) in small for r in rows) == 1 or 0 < int(counts.at[margin, c]) < SMALL_CELL:
                out.at[margin, c] = None
    if margin in out.index and margin in out.columns:  # the grand total would give back a blanked margin
        blanked = any(out.at[r, margin] is None for r in rows) or any(out.at[margin, c] is None for c in cols)
        if blanked or 0 < int(counts.at[margin, margin]) < SMALL_CELL:
            out.at[margin, margin] = None
    return out


_LEGAL = re.compile(r"(股份有限公司|有限责任公司|有限公司|集团|"
                    r",?\s*(co\.?,?\s*ltd\.?|corp(oration)?\.?|inc\.?|limited|llc|ltd\.?|group|gmbh))+\s*$",
                    re.IGNORECASE)
_PLACE = re.compile(r"^(中国|江苏省?|上海市?|苏州市?|南通市?|(shanghai|suzhou|nantong|jiangsu)\b\s*)+", re.IGNORECASE)


def name_variants(name: str) -> list[str]:
    """The ways a party's own texts may name it: the full name and its core without place and legal form
    (``苏州纳微科技股份有限公司`` → ``纳微科技``), longest first; a core shorter than three characters is
    left out (it would blank ordinary words)."""
    name = (name or "").strip()
    core = _PLACE.sub("", _LEGAL.sub("", name)).strip(" ,.-·")
    out = [v for v in dict.fromkeys((name, core)) if len(v) >= 3]
    return sorted(out, key=len, reverse=True)


def redact(text: str, names: list[str], placeholder: str) -> str:
    """``text`` with every variant in ``names`` (case-insensitive) replaced by ``placeholder``."""
    for n in names:
        text = re.sub(re.escape(n), placeholder, text, flags=re.IGNORECASE)
    return text


class Forbidden(AccountRefused):
    """A viewer asked for something its role may not see or do: what, who asked, and which roles may."""


def require(viewer: Viewer, *roles: str, what: str, what_zh: str) -> None:
    """Refuse unless ``viewer``'s role is one of ``roles``; ``what``/``what_zh`` name the thing asked for."""
    if viewer.role not in roles:
        allowed_en = ", ".join(role_name(r) for r in roles)
        allowed_zh = "、".join(role_name(r, "zh") for r in roles)
        raise Forbidden(f"{what} is for {allowed_en} accounts only; {viewer.name!r} is "
                        f"{role_name(viewer.role)}",
                        f"{what_zh}仅限{allowed_zh}账户；{viewer.name!r} 的角色是{role_name(viewer.role, 'zh')}")
