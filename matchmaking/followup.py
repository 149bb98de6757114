"""The rules of following up a suggested pair: new → contacted → met → MoU → signed → landed, or declined
with a reason code. Declined pairs are not suggested again. The statuses are stored by ``store.shortlist``
(with every change and note kept as history); this module holds the steps allowed, the names of statuses
and reasons, what one save of the follow-up form may hold, and who is recorded as making it. It talks to
no database.

The reason codes follow what technology-transfer platforms learned to ask (IN-PART's structured
feedback): a code per reason makes the funnel measurable, a free note keeps the nuance.

Every refusal is a :class:`FollowUpRefused`: what was wrong, the value given, what is allowed and where
(the field of the follow-up form), in Chinese and English, with statuses and reasons by their names,
never their codes.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os

__all__ = ["STATUSES", "DECLINE_REASONS", "FollowUpRefused", "check_transition", "check_entry", "next_steps",
           "status_name", "reason_name", "default_actor", "ACTOR_ENV", "OWNER_MAX", "NOTE_MAX"]

STATUSES: dict[str, tuple[str, str]] = {
    "new": ("新建", "new"),
    "contacted": ("已联系", "contacted"),
    "met": ("已会面", "met"),
    "mou": ("已签意向", "MoU"),
    "signed": ("已签约", "signed"),
    "landed": ("已落地", "landed"),
    "declined": ("已放弃", "declined"),
}
DECLINE_REASONS: dict[str, tuple[str, str]] = {
    "not_relevant": ("需求与能力不符", "need and offer do not fit"),
    "capacity": ("规模或产能不匹配", "scale or capacity mismatch"),
    "price": ("价格或条件不合适", "price or terms"),
    "location": ("地点或物流不便", "location or logistics"),
    "timing": ("时机未到", "wrong timing / too early"),
    "existing_partner": ("已有合作方", "already has a partner"),
    "no_response": ("对方无回应", "no response"),
    "confidential": ("涉密或合规限制", "confidentiality or compliance"),
    "other": ("其他", "other"),
}
_ORDER = ["new", "contacted", "met", "mou", "signed", "landed"]
#: Longest owner name and note a save may hold (characters).
OWNER_MAX = 60
NOTE_MAX = 2000
#: Who is recorded as making a change until the app has accounts: this variable if set, else the OS user.
ACTOR_ENV = "HST_USER"

# The follow-up form's fields, as the messages name them (the page shows the same labels).
_FIELD = {"status": ("跟进状态", "Status"), "reason": ("放弃原因", "Reason"), "owner": ("负责人", "Owner"),
          "note": ("备注", "Note"), "next": ("下一步日期", "Next action")}


class FollowUpRefused(ValueError):
    """A save the follow-up rules do not allow. ``str()`` is the English message; ``text(lang)`` gives it
    in the reader's language."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message_zh = message_zh

    def text(self, lang: str) -> str:
        return self.message_zh if lang == "zh" else str(self)


def status_name(status: str, lang: str) -> str:
    zh, en = STATUSES.get(status, (status, status))
    return zh if lang == "zh" else en


def reason_name(reason: str, lang: str) -> str:
    zh, en = DECLINE_REASONS.get(reason, (reason, reason))
    return zh if lang == "zh" else en


def _names(codes: list[str], table: dict[str, tuple[str, str]], lang: str) -> str:
    i = 0 if lang == "zh" else 1
    return ("、" if lang == "zh" else ", ").join(table[c][i] for c in codes)


def next_steps(old: str | None) -> list[str]:
    """The statuses a pair may move to from ``old`` (``None``: not followed up yet), in order."""
    if old is None:
        return list(STATUSES)
    if old == "declined":
        return ["declined", "new"]
    return [*_ORDER[_ORDER.index(old):], "declined"]


def check_transition(old: str | None, new: str, reason: str | None) -> None:
    """Raise :class:`FollowUpRefused` unless ``old → new`` is a valid step. Forward steps may skip stages (a
    meeting can come without a logged contact); going back is allowed only to re-open a declined pair as
    'new'; 'declined' needs a reason code."""
    fz, fe = _FIELD["status"]
    if new not in STATUSES:
        shown = "（空）" if not new else new
        raise FollowUpRefused(
            f"{fe} “{new or '(empty)'}” is not a follow-up status: choose one of {_names(list(STATUSES), STATUSES, 'en')}",
            f"{fz}“{shown}”不是可选的跟进状态：请选择 {_names(list(STATUSES), STATUSES, 'zh')} 之一")
    if new == "declined":
        rz, re_ = _FIELD["reason"]
        if not reason:
            raise FollowUpRefused(
                f"Declining needs a reason and none was chosen: choose one under “{re_}” "
                f"({_names(list(DECLINE_REASONS), DECLINE_REASONS, 'en')})",
                f"放弃需要原因，但未选择：请在“{rz}”中选择一项（{_names(list(DECLINE_REASONS), DECLINE_REASONS, 'zh')}）")
        if reason not in DECLINE_REASONS:
            raise FollowUpRefused(
                f"{re_} “{reason}” is not one of the reasons: choose one of "
                f"{_names(list(DECLINE_REASONS), DECLINE_REASONS, 'en')}",
                f"{rz}“{reason}”不在可选原因之中：请选择 {_names(list(DECLINE_REASONS), DECLINE_REASONS, 'zh')} 之一")
        return
    if old in (None, new):
        return
    allowed = [s for s in next_steps(old) if s != old]
    if old == "declined":
        raise FollowUpRefused(
            f"A declined pair can only be re-opened as “{status_name('new', 'en')}”, not moved to "
            f"“{status_name(new, 'en')}”: choose “{status_name('new', 'en')}” under “{fe}” first",
            f"已放弃的配对只能先重新打开为“{status_name('new', 'zh')}”，不能直接改为“{status_name(new, 'zh')}”："
            f"请先在“{fz}”中选择“{status_name('new', 'zh')}”")
    if _ORDER.index(new) < _ORDER.index(old):
        raise FollowUpRefused(
            f"Cannot move back from “{status_name(old, 'en')}” to “{status_name(new, 'en')}”: under “{fe}” the "
            f"next step may be {_names(allowed, STATUSES, 'en')}",
            f"不能从“{status_name(old, 'zh')}”退回“{status_name(new, 'zh')}”：“{fz}”的下一步可选 "
            f"{_names(allowed, STATUSES, 'zh')}")


def check_entry(owner: str | None, note: str | None, next_action_on: dt.date | None = None) -> None:
    """Raise :class:`FollowUpRefused` if the owner or the note is longer than allowed, or the next-action
    date is not a date."""
    for field, value, limit in (("owner", owner, OWNER_MAX), ("note", note, NOTE_MAX)):
        if value is not None and len(value) > limit:
            zh, en = _FIELD[field]
            raise FollowUpRefused(f"{en} is {len(value)} characters long: at most {limit} are allowed",
                                  f"{zh}共 {len(value)} 个字符：最多 {limit} 个")
    if next_action_on is not None and not isinstance(next_action_on, dt.date):
        zh, en = _FIELD["next"]
        raise FollowUpRefused(f"{en} “{next_action_on}” is not a date: give a date such as 2026-03-31",
                              f"{zh}“{next_action_on}”不是日期：请填写日期，如 2026-03-31")


def default_actor() -> str:
    """Who a change is recorded as made by, until the app has accounts: ``HST_USER`` if set, else the
    operating-system user, else 'staff'."""
    name = os.environ.get(ACTOR_ENV, "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or "staff"
    except (KeyError, OSError):  # no user name in a container without passwd entry
        return "staff"
