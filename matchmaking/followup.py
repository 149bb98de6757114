"""The rules of following up a suggested pair: new → contacted → met → MoU → signed → landed, or declined
with a reason code. Declined pairs are not suggested again. The statuses are stored by ``store.shortlist``;
this module holds the steps allowed and the names of statuses and reasons, and talks to no database.

The reason codes follow what technology-transfer platforms learned to ask (IN-PART's structured
feedback): a code per reason makes the funnel measurable, a free note keeps the nuance.
"""

from __future__ import annotations

__all__ = ["STATUSES", "DECLINE_REASONS", "check_transition", "status_name", "reason_name"]

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


def check_transition(old: str | None, new: str, reason: str | None) -> None:
    """Raise ``ValueError`` (saying what is allowed) unless ``old → new`` is a valid step. Forward steps may
    skip stages (a meeting can come without a logged contact); going back is allowed only to re-open a
    declined pair as 'new'; 'declined' needs a reason code."""
    if new not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, got {new!r}")
    if new == "declined":
        if reason not in DECLINE_REASONS:
            raise ValueError(f"declining needs a reason code, one of {', '.join(DECLINE_REASONS)}; got {reason!r}")
        return
    if old in (None, new):
        return
    if old == "declined":
        if new != "new":
            raise ValueError(f"a declined pair can only be re-opened as 'new', not moved to {new!r}")
        return
    if _ORDER.index(new) < _ORDER.index(old):
        raise ValueError(f"cannot move back from {old!r} to {new!r}; allowed next: "
                         f"{', '.join(_ORDER[_ORDER.index(old) + 1:] + ['declined'])}")


def status_name(status: str, lang: str) -> str:
    zh, en = STATUSES.get(status, (status, status))
    return zh if lang == "zh" else en


def reason_name(reason: str, lang: str) -> str:
    zh, en = DECLINE_REASONS.get(reason, (reason, reason))
    return zh if lang == "zh" else en
