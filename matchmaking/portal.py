"""What a viewer may see and do (门户): the services the app's pages call, each taking the viewer first.

The rules are ``access``; here they are applied to the store's reads, the matcher's lists and the uploads,
so a page renders only what it was given and cannot show more by mistake:

- *parties*: who a viewer may pick (``find_parties``) and open (``profile``); contacts only through
  ``contacts``, which records the look in the audit log;
- *matches*: staff see everyone; an enterprise sees the matches of its own parties, the other side
  anonymised (place, type, chain, what it offers and seeks; no name, credit code or contacts) until both
  sides express interest (``express_interest``) or staff ``introduce`` them;
- *follow-up* (``shortlist``, ``history``, ``follow_up``): staff only;
- *uploads* (``restrict``, ``commit_upload``, ``edit_profile``): an enterprise writes its own profiles
  only, each row for another organisation rejected with the reason;
- *aggregates* (``counts``): small cells suppressed for officials and enterprises;
- *audit* (``audit_log``): admins.

Refusals raise ``access.Forbidden`` (English and Chinese). No SQL and no Streamlit here.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import secrets
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .access import (
    ADMIN,
    ANONYMOUS,
    ENTERPRISE,
    OFFICIAL,
    STAFF,
    Forbidden,
    name_variants,
    publish_names,
    redact,
    require,
    suppress_small,
)
from .accounts import Viewer
from .followup import default_actor
from .profiles import IngestReport, Prepared, prepare
from .profiles.contract import KEY
from .reference import chains, chains_of
from .services import commit, search, stats
from .views import MatchFilters, explanation, match_table, store_kind
from .views.names import city_name, district_name, value_text

if TYPE_CHECKING:
    import pandas as pd

    from .matching import Match, Matcher
    from .store import Store

__all__ = ["ProfileView", "MatchList", "own_parties", "find_parties", "profile", "contacts", "matches",
           "check_query", "match_explanation", "incoming", "express_interest", "preview_need", "introduce", "shortlist", "history", "follow_up",
           "restrict", "commit_upload", "edit_profile", "uploads", "counts", "districts", "audit_log", "accounts", "add_account", "disable_account", "CONTACT_FIELDS", "EDITABLE"]

#: What "contacts" are: shown to staff, to the party itself, and to a party it has been introduced to.
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")
#: The fields an enterprise edits in the app's form (everything else comes by upload).
EDITABLE = {"organisations": ("description", "offers", "seeks", "contact_name", "contact_phone", "contact_email"),
            "projects": ("description", "seeks", "contact_name", "contact_phone", "contact_email")}
#: A look at the same contacts by the same account is logged once within this span.
CONTACT_LOG_SPAN = dt.timedelta(hours=12)

# Tokens naming an anonymised candidate to the enterprise that sees it: keyed per process, so they cannot be
# computed from a list of credit codes and mean nothing outside this app's run.
_TOKEN_KEY = secrets.token_bytes(32)


def _actor(viewer: Viewer) -> str:
    return default_actor() if viewer.local else viewer.name


def _staff(viewer: Viewer, what: str, what_zh: str) -> None:
    require(viewer, STAFF, what=what, what_zh=what_zh)


# ----------------------------------------------------------------------------------------------- parties
def own_parties(store: Store, viewer: Viewer) -> pd.DataFrame:
    """The parties an enterprise account speaks for: its organisations and the projects they sponsor
    (columns id, name, city, kind). Empty for other roles."""
    import pandas as pd

    if viewer.role != ENTERPRISE or not viewer.credit_codes:
        return pd.DataFrame(columns=["id", "name", "city", "kind"])
    orgs = store.profiles("organisations", keys=list(viewer.credit_codes))
    frames = [pd.DataFrame({"id": orgs["credit_code"], "name": orgs["name"], "city": orgs["city"],
                            "kind": "organisation"})]
    for code in viewer.credit_codes:
        sponsored = store.sponsored(code)
        if not sponsored.empty:
            frames.append(sponsored[["id", "name", "city"]].assign(kind="project"))
    return pd.concat(frames, ignore_index=True)


def _own_ids(store: Store, viewer: Viewer) -> set[str]:
    return set(own_parties(store, viewer)["id"])


def find_parties(store: Store, viewer: Viewer, text: str, limit: int = 50) -> pd.DataFrame:
    """Parties a viewer may pick, whose name or key contains ``text``: staff and officials search every
    party; an enterprise its own. Columns id, name, city, kind."""
    require(viewer, STAFF, OFFICIAL, ENTERPRISE, what="finding a party", what_zh="查找机构")
    if viewer.role != ENTERPRISE:
        return search(store, text, limit)
    own = own_parties(store, viewer)
    t = text.strip().lower()
    hit = own["name"].str.lower().str.contains(t, regex=False) | own["id"].str.lower().str.contains(t, regex=False)
    return own[hit].head(limit).reset_index(drop=True)


@dataclass(frozen=True)
class ProfileView:
    """One party as a viewer may see it: ``record`` holds its public fields (its own private ones too when
    ``own``); ``revealed``: introduced to one of the viewer's parties (its contacts may be asked for);
    ``editable``: the viewer may change it (``edit_profile``)."""

    kind: str
    key: str
    record: dict[str, Any]
    own: bool
    revealed: bool
    editable: bool
    show_matches: bool  # its matches and follow-ups are for this viewer (staff, or its own enterprise)


def profile(store: Store, viewer: Viewer, kind: str, key: str) -> ProfileView | None:
    """The party ``key`` of ``kind`` as ``viewer`` may see it; None when there is no such party. Staff and
    officials open any party's public page; an enterprise its own (with its private fields) and those it
    has been introduced to."""
    require(viewer, STAFF, OFFICIAL, ENTERPRISE, what="a party's page", what_zh="机构档案页")
    kind = store_kind(kind)
    mine = _own_ids(store, viewer)  # empty for other roles
    own = key in mine
    revealed = not own and bool(mine) and key in store.revealed_with(mine)
    if viewer.role == ENTERPRISE and not (own or revealed):
        raise Forbidden(f"an enterprise account sees the pages of its own organisations and of those it has been "
                        f"introduced to; {key!r} is neither for {viewer.name!r}",
                        f"企业账户只能查看本机构及已对接机构的档案；{key!r} 对 {viewer.name!r} 两者皆非")
    record = store.profile(kind, key, include_private=own)
    if record is None:
        return None
    return ProfileView(kind, key, record, own, revealed, editable=own or viewer.role == STAFF,
                       show_matches=own or viewer.role == STAFF)


def contacts(store: Store, viewer: Viewer, key: str, *, about: str | None = None) -> dict[str, str]:
    """The contact person, phone and e-mail of party ``key`` (organisation or project), for staff, for
    the party itself, and for a party introduced to it; every look is in the audit log (``about``: the
    other party of the match it was looked at for)."""
    require(viewer, STAFF, ENTERPRISE, what="contact details", what_zh="联系方式")
    if viewer.role == ENTERPRISE:
        own = _own_ids(store, viewer)
        if key not in own and key not in store.revealed_with(own):  # the message names no one
            raise Forbidden(f"the contact details of a matched party are shown to {viewer.name!r} only after "
                            "both sides expressed interest or staff introduced them",
                            f"匹配对象的联系方式须双方均表达意向或经招商人员对接后才对 {viewer.name!r} 可见")
    record = (store.profile("organisations", key, include_private=True)
              or store.profile("projects", key, include_private=True) or {})
    store.log(_actor(viewer), viewer.role, "view_contacts", key, about, once_per=CONTACT_LOG_SPAN)
    return {f: str(record.get(f) or "") for f in CONTACT_FIELDS}


# ----------------------------------------------------------------------------------------------- matches
@dataclass(frozen=True)
class MatchList:
    """A party's matches as a viewer may see them. ``table`` has the columns of ``views.match_table`` and
    ``hidden`` (the other side is anonymised: ``id`` is a token, ``name`` a description, ``link`` empty)."""

    query_id: str
    matches: list[Match]
    table: pd.DataFrame
    anonymised: frozenset[str]  # candidate ids shown anonymised (never sent to the page)


def check_query(store: Store, viewer: Viewer, query_id: str) -> None:
    """Refuse unless ``viewer`` may see the matches of ``query_id`` (staff: any; an enterprise: its own)."""
    require(viewer, STAFF, ENTERPRISE, what="matches", what_zh="匹配结果")
    if viewer.role == ENTERPRISE and query_id not in _own_ids(store, viewer):
        raise Forbidden(f"an enterprise account sees the matches of its own organisations and projects; "
                        f"{query_id!r} is not one of {viewer.name!r}'s",
                        f"企业账户只能查看本机构及其项目的匹配；{query_id!r} 不属于 {viewer.name!r}")


def _token(query_id: str, candidate_id: str) -> str:
    return "anon-" + hmac.new(_TOKEN_KEY, f"{query_id}|{candidate_id}".encode(), hashlib.sha256).hexdigest()[:12]


def _anonymous_name(matcher: Matcher, row: int, lang: str) -> str:
    ix = matcher.index
    parties = ix.parties
    kind = (("项目" if lang == "zh" else "project") if ix.kind[row] == "project"
            else value_text("org_type", parties.org_type.iloc[row], lang))
    chain_names = [chains().chain_name(c, lang) for c in chains_of(ix.own_segments[row])]
    bits = [city_name(ix.city_name[row], lang),
            district_name(parties["district"].iloc[row], parties["district_adcode"].iloc[row]
                          if "district_adcode" in parties else None, lang), kind, *chain_names[:1]]
    return f"{ANONYMOUS[lang]} · " + " · ".join(b for b in bits if b)


def matches(store: Store, matcher: Matcher, viewer: Viewer, query_id: str, filters: MatchFilters | None = None,
            top_k: int = 20, lang: str = "zh") -> MatchList:
    """The filtered matches of ``query_id`` as ``viewer`` may see them: ranked with the learned weights and the
    exposure rules (``learning``: declined pairs out, pairs shown often and never acted on lower, new
    profiles their share), the shown rows recorded as impressions; anonymised for an enterprise."""
    from .learning import learned_matcher, record_shown, shown_matches

    check_query(store, viewer, query_id)
    matcher = learned_matcher(store, matcher)[0]  # the learned weights when staff feedback made some
    ranked = shown_matches(store, matcher, query_id, 100, surface="app", by=_actor(viewer), record=False).matches
    ms, table = match_table(matcher, query_id, filters or MatchFilters(), top_k=top_k, lang=lang, ranked=ranked)
    record_shown(store, query_id, ms, surface="app", by=_actor(viewer))  # impressions: what this person saw
    table = table.assign(hidden=False)
    hidden: set[str] = set()
    if viewer.role == ENTERPRISE and not table.empty:
        revealed = store.revealed_with([query_id])
        names = publish_names()
        ix = matcher.index
        for i, m in enumerate(ms):
            if m.candidate_id in revealed:
                continue
            hidden.add(m.candidate_id)
            row = ix.id_to_row[m.candidate_id]
            table.at[i, "id"] = _token(query_id, m.candidate_id)
            table.at[i, "name"] = (f"{ix.name[row]} · {_anonymous_name(matcher, row, lang).split(' · ', 1)[1]}"
                                   if names else _anonymous_name(matcher, row, lang))
            table.at[i, "link"] = ""
            table.at[i, "object"] = redact(str(table.at[i, "object"]), name_variants(str(ix.name[row])),
                                           "对方" if lang == "zh" else "they")
            table.at[i, "hidden"] = True
    return MatchList(query_id, ms, table, frozenset(hidden))


def match_explanation(matcher: Matcher, listing: MatchList, position: int, lang: str = "zh") -> dict[str, Any]:
    """Both sides' reasons and the score's parts for the match at ``position`` of ``listing``; for an
    anonymised candidate its name is taken out of the texts quoted."""
    m = listing.matches[position]
    ex = explanation(matcher, m, lang)
    if m.candidate_id in listing.anonymised:
        names = name_variants(str(matcher.index.name[matcher.index.id_to_row[m.candidate_id]]))
        placeholder = "对方" if lang == "zh" else "they"
        ex = {**ex, "for_query": [redact(x, names, placeholder) for x in ex["for_query"]],
              "for_candidate": [redact(x, names, placeholder) for x in ex["for_candidate"]]}
    return ex


def incoming(store: Store, matcher: Matcher, viewer: Viewer, query_id: str, lang: str = "zh") -> pd.DataFrame:
    """The parties that would like to meet ``query_id`` and are not introduced to it yet, as the viewer
    may see them (anonymised for an enterprise): columns ref (what ``express_interest`` takes back), name,
    since."""
    import pandas as pd

    check_query(store, viewer, query_id)
    rows = store.interests([query_id])
    rows = rows[(rows.to_id == query_id)]
    revealed = store.revealed_with([query_id])
    ix = matcher.index
    out = []
    for r in rows.itertuples():
        if r.from_id in revealed or r.from_id not in ix.id_to_row:
            continue
        row = ix.id_to_row[r.from_id]
        anonymous = viewer.role == ENTERPRISE
        out.append({"ref": _token(query_id, r.from_id) if anonymous else r.from_id,
                    "name": _anonymous_name(matcher, row, lang) if anonymous else str(ix.name[row]),
                    "since": r.created_at})
    return pd.DataFrame(out, columns=["ref", "name", "since"])


def _resolve(store: Store, query_id: str, shown: list[Match], ref: str) -> str:
    """The party ``ref`` names for ``query_id``: one of the matches ``shown`` or of the parties interested
    in it, by id or by the token it was shown under."""
    wanted = [m.candidate_id for m in shown]
    interested = store.interests([query_id])
    wanted += list(interested.loc[interested.to_id == query_id, "from_id"])
    for cid in wanted:
        if ref in (cid, _token(query_id, cid)):
            return cid
    raise Forbidden(f"{ref!r} is neither among the matches of {query_id!r} shown nor among those interested in it",
                    f"{ref!r} 既不在 {query_id!r} 的匹配列表中，也不在对其感兴趣的机构中")


def express_interest(store: Store, viewer: Viewer, query_id: str, ref: str, listing: MatchList | None = None) -> str:
    """The viewer's party ``query_id`` would like to meet ``ref``: one of the matches of ``listing`` or a
    party interested in it (``incoming``), by its id or the token it is shown under. Returns ``recorded``,
    ``already`` or ``revealed`` (the other side had said so too: both now see each other's name and
    contacts; recorded in the audit log)."""
    require(viewer, ENTERPRISE, what="expressing interest", what_zh="表达合作意向")
    check_query(store, viewer, query_id)
    shown = listing.matches if listing is not None and listing.query_id == query_id else []
    return store.express_interest(query_id, _resolve(store, query_id, shown, ref), _actor(viewer), viewer.role)


def introduce(store: Store, viewer: Viewer, a_id: str, b_id: str, note: str | None = None) -> bool:
    """Staff introduce two parties to each other (both see the other's name and contacts from now on)."""
    _staff(viewer, "introducing two parties", "引荐对接")
    return store.introduce(a_id, b_id, _actor(viewer), viewer.role, note)


def preview_need(store: Store, matcher: Matcher, embedder: Any, viewer: Viewer, query_id: str, text: str, k: int = 5,
                 lang: str = "zh") -> pd.DataFrame:
    """While a need is being written, before it is saved: the ``k`` parties whose offers come closest to it
    by meaning alone (the dense channel; the full score follows once it is saved) — for a need to sell
    ('为碳纤维预浸料寻找下游客户'), the parties whose *needs* come closest to what is sold, as the ranking reads it
    — the viewer's own parties left out, anonymised for an enterprise as its matches are. Columns name,
    city, offer (their closest offer, or their need marked as one), similarity (0–100)."""
    import numpy as np
    import pandas as pd

    from .matching.relations import intent_of, sold_object
    from .matching.text import statements

    check_query(store, viewer, query_id)
    needs = statements(text) or ([text.strip()] if text.strip() else [])
    ix = matcher.index
    empty = pd.DataFrame(columns=["name", "city", "offer", "similarity"])
    if not needs:
        return empty
    selling = [sold_object(n) for n in needs if intent_of(n) == "customer"]
    buying = [n for n in needs if intent_of(n) != "customer"]
    # (similarity, party, statement text, whether the statement is a need) from both directions
    found: list[tuple[float, int, str, bool]] = []
    for texts, role, vecs, side, is_need in ((buying, "query", ix.offer_vecs, ix.offers, False),
                                             (selling, "passage", ix.need_vecs, ix.needs, True)):
        if not texts or not len(vecs):
            continue
        best = (np.asarray(embedder.encode(texts, role), dtype=np.float32) @ vecs.T).max(axis=0)
        top = np.argsort(-best, kind="stable")[:20 * k]
        found += [(float(best[j]), int(side.party[j]), str(side.text[j]), is_need) for j in top]
    if not found:
        return empty
    found.sort(key=lambda f: -f[0])
    own = _own_ids(store, viewer) | {query_id}
    per_party: dict[int, tuple[float, str, bool]] = {}
    for sim, party, stmt, is_need in found:
        if ix.pid[party] in own or party in per_party:
            continue
        per_party[party] = (sim, stmt, is_need)
        if len(per_party) == k:
            break
    revealed = store.revealed_with([query_id]) if viewer.role == ENTERPRISE else set()
    rows = []
    for party, (sim, stmt, is_need) in per_party.items():
        anonymous = viewer.role == ENTERPRISE and ix.pid[party] not in revealed
        if anonymous:
            stmt = redact(stmt, name_variants(str(ix.name[party])), "对方" if lang == "zh" else "they")
        if is_need:
            stmt = f"（需求）{stmt}" if lang == "zh" else f"(needs) {stmt}"
        rows.append({"name": _anonymous_name(matcher, party, lang) if anonymous else str(ix.name[party]),
                     "city": city_name(ix.city_name[party], lang), "offer": stmt,
                     "similarity": int(round(sim * 100))})
    return pd.DataFrame(rows, columns=["name", "city", "offer", "similarity"])


# ----------------------------------------------------------------------------------------------- follow-up
def shortlist(store: Store, viewer: Viewer, query_id: str) -> pd.DataFrame:
    _staff(viewer, "the follow-up of matches", "匹配跟进")
    return store.shortlist(query_id)


def history(store: Store, viewer: Viewer, query_id: str, candidate_id: str | None = None) -> pd.DataFrame:
    _staff(viewer, "the follow-up of matches", "匹配跟进")
    return store.shortlist_history(query_id, candidate_id)


def follow_up(store: Store, viewer: Viewer, query_id: str, candidate_id: str, status: str, reason: str | None,
              note: str | None, *, owner: str | None, next_action_on: dt.date | None) -> bool:
    """Save one follow-up of a pair (``store.set_shortlist_status``), recorded as made by the viewer."""
    _staff(viewer, "the follow-up of matches", "匹配跟进")
    return store.set_shortlist_status(query_id, candidate_id, status, reason, note, owner=owner,
                                      next_action_on=next_action_on, by=_actor(viewer))


# ----------------------------------------------------------------------------------------------- uploads
def restrict(store: Store, viewer: Viewer, prepared: Prepared) -> Prepared:
    """``prepared`` with the rows ``viewer`` may not write rejected, each with its reason: an enterprise
    writes its own organisations and the projects they sponsor (a new project must name one of them as
    sponsor; a stored project of another sponsor is not its to change). Staff write every row."""
    require(viewer, STAFF, ENTERPRISE, what="uploading profiles", what_zh="上传档案")
    if viewer.role == STAFF:
        return prepared
    own = set(viewer.credit_codes)
    allowed = "、".join(sorted(own))
    rows = prepared.rows

    def column(name: str) -> list[str]:
        return [v or "" for v in rows.column(name).to_pylist()] if name in rows.column_names else [""] * rows.num_rows

    refusals: dict[int, tuple[str, str, str, str]] = {}
    if prepared.kind == "organisations":
        for i, code in enumerate(column("credit_code")):
            if code not in own:
                refusals[i] = ("credit_code", code,
                               f"this account may write only its own organisations ({', '.join(sorted(own))}); "
                               f"this row is for {code}",
                               f"本账户只能修改本机构（{allowed}）的档案；此行属于 {code}")
    else:
        ids = column("project_id")
        stored = store.profiles("projects", keys=ids)
        stored_sponsor = dict(zip(stored["project_id"], stored["sponsor_credit_code"], strict=True))
        for i, (pid, sponsor) in enumerate(zip(ids, column("sponsor_credit_code"), strict=True)):
            before = stored_sponsor.get(pid)
            if before is not None and before not in own:
                refusals[i] = ("project_id", pid, f"project {pid} belongs to another sponsor; this account may "
                                                  f"write only the projects of {', '.join(sorted(own))}",
                               f"项目 {pid} 属于其他发起机构；本账户只能修改 {allowed} 的项目")
            elif sponsor not in own and not (sponsor == "" and before in own):
                refusals[i] = ("sponsor_credit_code", sponsor,
                               f"the sponsor must be this account's own organisation ({', '.join(sorted(own))}); "
                               f"got {sponsor or '(empty)'}",
                               f"发起机构须为本账户的机构（{allowed}），实际为 {sponsor or '（空）'}")
    return prepared.reject(refusals)


def commit_upload(store: Store, viewer: Viewer, prepared: Prepared, strict: bool = False) -> IngestReport:
    """Store a checked file as ``viewer`` (``restrict`` applied again, whatever the page did), and log
    every profile it created or changed."""
    prepared = restrict(store, viewer, prepared)
    report = commit(store, prepared, strict, by=_actor(viewer))
    for key in (*report.new_keys, *report.updated_keys):
        store.log(_actor(viewer), viewer.role, "edit_profile", key, None,
                  f"{prepared.kind}: {'new' if key in report.new_keys else 'changed'} by upload "
                  f"#{report.upload_id} ({prepared.file_name})")
    return report


def edit_profile(store: Store, viewer: Viewer, kind: str, key: str, changes: dict[str, str]) -> IngestReport:
    """Change the ``EDITABLE`` fields of one profile as a one-row upload (the same checks, history and
    rollback as any file). Only the party's own enterprise and staff may."""
    from .profiles.export import profiles_table

    kind = store_kind(kind)
    view = profile(store, viewer, kind, key)
    if view is None or not view.editable:
        raise Forbidden(f"{viewer.name!r} may not change the profile {key!r}",
                        f"{viewer.name!r} 无权修改档案 {key!r}")
    bad = sorted(set(changes) - set(EDITABLE[kind]))
    if bad:
        raise ValueError(f"The 'changes' parameter of edit_profile may hold only {', '.join(EDITABLE[kind])}. "
                         f"Got {', '.join(bad)} instead.")
    frame = store.profiles(kind, include_private=True, keys=[key], exact=True)
    table = profiles_table(frame, kind, "en")
    for column, value in changes.items():
        table.loc[:, column] = value
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, quoting=csv.QUOTE_ALL)
    prepared = prepare(buffer.getvalue().encode("utf-8"), f"form:{KEY[kind]}={key}", kind)
    return commit_upload(store, viewer, replace(prepared, file_name=f"form by {_actor(viewer)}"))


def uploads(store: Store, viewer: Viewer, limit: int = 50) -> pd.DataFrame:
    """The latest uploads a viewer may see: all for staff, its own for an enterprise."""
    require(viewer, STAFF, ENTERPRISE, what="the uploads", what_zh="上传记录")
    return store.uploads(limit) if viewer.role == STAFF else store.uploads(limit, by=_actor(viewer))


# ----------------------------------------------------------------------------------------------- aggregates
def counts(store: Store, viewer: Viewer) -> dict[str, pd.DataFrame]:
    """``services.stats`` as ``viewer`` may see it: whole for staff, small cells suppressed
    (``access.suppress_small``) for officials."""
    require(viewer, STAFF, OFFICIAL, what="the overview's counts", what_zh="概览统计")
    tables = stats(store)
    if viewer.role == STAFF:
        return tables
    return {name: (suppress_small(t) if not t.empty else t) for name, t in tables.items()}


def districts(matcher: Matcher, viewer: Viewer) -> pd.DataFrame:
    """Organisations and projects per district (``network.district_table``); for officials a count of one
    or two is blanked (``None``), a district with a single firm would name it, and so is the total of a
    district with a blanked count."""
    import pandas as pd

    from .access import SMALL_CELL
    from .network import district_table

    require(viewer, STAFF, OFFICIAL, what="the map of districts", what_zh="区县分布")
    table = district_table(matcher.index.parties)
    if viewer.role == STAFF:
        return table
    out = table.astype({c: "object" for c in ("organisations", "projects", "total")})
    for c in ("organisations", "projects", "total"):
        out[c] = pd.Series([None if 0 < int(v) < SMALL_CELL else int(v) for v in table[c]], index=out.index,
                           dtype=object)
    out.loc[out.organisations.isna() | out.projects.isna(), "total"] = None  # else total − the other gives it
    return out


# ----------------------------------------------------------------------------------------------- admin
def audit_log(store: Store, viewer: Viewer) -> pd.DataFrame:
    require(viewer, ADMIN, what="the audit log", what_zh="审计日志")
    return store.audit_log()


def accounts(store: Store, viewer: Viewer) -> pd.DataFrame:
    """The accounts (never a password hash): name, role, orgs, disabled, last_login_at, failed_logins."""
    import pandas as pd

    require(viewer, ADMIN, what="the accounts", what_zh="账户管理")
    rows = [{"name": a.name, "role": a.role, "orgs": ", ".join(a.credit_codes), "disabled": a.disabled,
             "last_login_at": a.last_login_at, "failed_logins": a.failed_logins} for a in store.accounts()]
    return pd.DataFrame(rows, columns=["name", "role", "orgs", "disabled", "last_login_at", "failed_logins"])


def add_account(store: Store, viewer: Viewer, name: str, role: str, password: str, credit_codes: list[str]) -> None:
    """Create an account (``Store.add_user``'s checks), logged."""
    require(viewer, ADMIN, what="adding accounts", what_zh="新建账户")
    account = store.add_user(name, role, password, credit_codes)
    store.log(viewer.name, viewer.role, "add_user", account.name, None, f"role {account.role}" + (
        f", orgs {','.join(account.credit_codes)}" if account.credit_codes else ""))


def disable_account(store: Store, viewer: Viewer, name: str) -> bool:
    """Disable an account (its sessions end at their next click), logged; an admin cannot disable itself."""
    require(viewer, ADMIN, what="disabling accounts", what_zh="停用账户")
    if name == viewer.name:
        raise Forbidden("an administrator cannot disable its own account (ask another administrator, or use "
                        f"'hst user disable {name}')", f"管理员不能停用自己的账户（请另一位管理员操作，或用 hst user disable {name}）")
    changed = store.disable_user(name)
    if changed:
        store.log(viewer.name, viewer.role, "disable_user", name)
    return changed
