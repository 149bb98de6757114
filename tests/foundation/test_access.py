"""Who may see and do what (issue 11, items 3–4): the policy of ``matchmaking.portal`` per role, on the demo
data in a real DuckDB file with a real matcher (the fast stand-in embedder; the real model runs in the app
and browser tests). Nothing mocked: every refusal is the service's, every reveal is stored and audited."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pandas as pd
import pytest

from matchmaking import portal
from matchmaking.access import (
    PAGES,
    SMALL_CELL,
    Forbidden,
    name_variants,
    pages_for,
    redact,
    suppress_small,
)
from matchmaking.accounts import Viewer
from matchmaking.embedding import load_embedder
from matchmaking.profiles import prepare
from matchmaking.services import build_matcher, load_demo
from matchmaking.store import Store

STAFF = Viewer("alice", "staff")
OFFICIAL = Viewer("gov", "official")
ADMIN = Viewer("root", "admin")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("access") / "demo.duckdb"
    with Store(path) as store:
        load_demo(store)
    return path


@pytest.fixture(scope="module")
def matcher(demo_template):
    with Store(demo_template) as store:
        return build_matcher(store, load_embedder("hash")).matcher


@pytest.fixture
def store(demo_template, tmp_path):
    path = tmp_path / "access.duckdb"
    shutil.copy(demo_template, path)
    with Store(path) as s:
        yield s


def enterprise(store: Store, n: int = 0, role_name: str = "firm") -> Viewer:
    """An enterprise account for the n-th demo enterprise that has stated needs."""
    orgs = store.profiles("organisations")
    firms = orgs[(orgs.org_type == "enterprise") & orgs.seeks.fillna("").str.len().gt(0)].credit_code.tolist()
    return Viewer(f"{role_name}{n}", "enterprise", (firms[n],))


def names_of(store: Store) -> dict[str, str]:
    orgs = store.profiles("organisations", include_private=True)
    return dict(zip(orgs.credit_code, orgs.name, strict=True))


# ------------------------------------------------------------------------------------------------ pages
def test_each_role_gets_its_pages_only():
    assert pages_for(STAFF) == PAGES["staff"] and "accounts" not in PAGES["staff"]
    assert set(pages_for(OFFICIAL)) == {"overview", "profile", "benefit", "alliances"}
    assert set(PAGES["enterprise"]) == {"profile", "matches", "upload"}
    assert PAGES["admin"] == ("accounts",)
    assert Viewer.local_console().role == "staff"


# ------------------------------------------------------------------------------------------------ enterprise
def test_an_enterprise_finds_and_opens_only_its_own_parties(store):
    firm = enterprise(store)
    own = firm.credit_codes[0]
    found = portal.find_parties(store, firm, "")
    assert own in set(found.id) and set(found.id) <= {own, *store.sponsored(own).id}
    assert portal.find_parties(store, firm, "有限公司").id.isin(found.id).all()
    view = portal.profile(store, firm, "organisations", own)
    assert view.own and view.editable and view.record.get("contact_name")  # its own private fields
    other = next(c for c in names_of(store) if c != own)
    with pytest.raises(Forbidden) as exc:
        portal.profile(store, firm, "organisations", other)
    assert other in str(exc.value)  # the code it asked for, nothing more
    with pytest.raises(Forbidden):  # nor its matches (the check comes before any matcher is asked)
        portal.check_query(store, firm, other)


def test_an_enterprise_sees_its_matches_anonymised_and_explained(store, matcher):
    firm = enterprise(store)
    own = firm.credit_codes[0]
    names = names_of(store)
    listing = portal.matches(store, matcher, firm, own, top_k=10, lang="zh")
    assert len(listing.matches) == 10 and listing.table.hidden.all()
    shown = " ".join(listing.table.astype(str).to_numpy().ravel())
    about = " ".join(listing.table.object)
    for m in listing.matches:
        cid = m.candidate_id
        assert cid not in shown
        if cid in names:
            assert names[cid] not in shown
            assert not any(v in about for v in name_variants(names[cid]))  # nor the core of it in the texts
    assert listing.table.link.eq("").all() and listing.table.id.str.startswith("anon-").all()
    assert listing.table.name.str.startswith("匿名 · ").all()  # its place, type and chain instead
    for i, m in enumerate(listing.matches):
        ex = portal.match_explanation(matcher, listing, i, "zh")
        assert len(ex["for_query"]) >= 2 and len(ex["parts"])  # still explains itself
        text = " ".join(ex["for_query"] + ex["for_candidate"])
        if m.candidate_id in names:
            assert names[m.candidate_id] not in text
    with pytest.raises(Forbidden) as exc:
        portal.contacts(store, firm, listing.matches[0].candidate_id, about=own)
    assert listing.matches[0].candidate_id not in str(exc.value) + exc.value.zh
    # a token means nothing for another query, and a made-up one is refused
    with pytest.raises(Forbidden):
        portal.express_interest(store, firm, own, "anon-000000000000", listing)


def test_mutual_interest_reveals_both_sides_and_is_audited(store, matcher):
    firm = enterprise(store)
    own = firm.credit_codes[0]
    listing = portal.matches(store, matcher, firm, own, top_k=10)
    pick = next(i for i, m in enumerate(listing.matches) if m.candidate_kind == "organisation")
    other_id = listing.matches[pick].candidate_id
    token = listing.table.id.iloc[pick]
    assert portal.express_interest(store, firm, own, token, listing) == "recorded"
    assert portal.express_interest(store, firm, own, token, listing) == "already"
    with pytest.raises(Forbidden):
        portal.contacts(store, firm, other_id)

    other = Viewer("other", "enterprise", (other_id,))
    incoming = portal.incoming(store, matcher, other, other_id, "zh")
    assert len(incoming) == 1 and own not in incoming.to_string() and names_of(store)[own] not in incoming.to_string()
    assert portal.express_interest(store, other, other_id, incoming.ref.iloc[0]) == "revealed"

    after = portal.matches(store, matcher, firm, own, top_k=10)
    row = after.table[after.table.hidden.eq(False)]
    assert list(row.name) == [names_of(store)[other_id]] and other_id in set(row.id)
    assert portal.contacts(store, firm, other_id, about=own)["contact_name"]
    assert portal.contacts(store, other, own)["contact_email"]
    assert portal.profile(store, firm, "organisations", other_id).revealed
    log = store.audit_log()
    assert {"interest", "reveal", "view_contacts"} <= set(log.action)
    looks = log[(log.action == "view_contacts") & (log.actor == "firm0")]
    assert list(looks.subject_id) == [other_id] and list(looks.other_id) == [own]
    portal.contacts(store, firm, other_id, about=own)  # looked at again at once: logged once per span
    assert len(store.audit_log().query("action == 'view_contacts' and actor == 'firm0'")) == 1


def test_staff_see_contacts_and_introduce_officials_do_not(store, matcher):
    firm = enterprise(store)
    own = firm.credit_codes[0]
    listing = portal.matches(store, matcher, STAFF, own, top_k=5)
    assert not listing.table.hidden.any() and listing.table.link.str.startswith("profile?").all()
    cid = listing.matches[0].candidate_id
    assert set(portal.contacts(store, STAFF, cid, about=own)) == set(portal.CONTACT_FIELDS)
    for call in (lambda: portal.contacts(store, OFFICIAL, cid), lambda: portal.matches(store, matcher, OFFICIAL, own),
                 lambda: portal.introduce(store, OFFICIAL, own, cid), lambda: portal.shortlist(store, OFFICIAL, own),
                 lambda: portal.introduce(store, firm, own, cid), lambda: portal.audit_log(store, STAFF),
                 lambda: portal.find_parties(store, ADMIN, "")):
        with pytest.raises(Forbidden):
            call()
    assert portal.introduce(store, STAFF, own, cid, "met at the expo") is True
    assert portal.introduce(store, STAFF, cid, own) is False  # either order: the same pair
    assert not portal.matches(store, matcher, firm, own, top_k=5).table.set_index("id").loc[cid, "hidden"]
    assert store.introductions([own]).how.tolist() == ["staff"]
    assert "introduce" in set(portal.audit_log(store, ADMIN).action)


def test_an_official_sees_public_pages_and_suppressed_counts(store, matcher):
    code = next(iter(names_of(store)))
    view = portal.profile(store, OFFICIAL, "organisations", code)
    assert not view.show_matches and not view.editable
    assert not {"contact_name", "contact_phone", "contact_email", "revenue_wan"} & set(view.record)
    whole = portal.counts(store, STAFF)
    assert any(((t.to_numpy() > 0) & (t.to_numpy() < SMALL_CELL)).any() for t in whole.values())  # it can fail
    for name, table in portal.counts(store, OFFICIAL).items():
        values = [v for v in table.to_numpy().ravel() if v is not None and not pd.isna(v)]
        assert all(int(v) == 0 or int(v) >= SMALL_CELL for v in values), name
    districts = portal.districts(matcher, OFFICIAL)
    for c in ("organisations", "projects", "total"):
        assert all(v is None or v == 0 or v >= SMALL_CELL for v in districts[c])
    assert districts.total.isna().sum() >= districts.organisations.isna().sum()


def test_small_cells_cannot_be_worked_back_from_the_totals():
    rng = pd.Series(range(400))
    for seed in range(40):
        sample = rng.sample(60, replace=True, random_state=seed)
        a = pd.Series([f"t{v % 4}" for v in sample], name="t")
        b = pd.Series([f"c{(v // 4) % 3}" for v in sample], name="c")
        counts = pd.crosstab(a, b, margins=True, margins_name="total")
        out = suppress_small(counts)
        rows = [r for r in out.index if r != "total"]
        cols = [c for c in out.columns if c != "total"]
        for r in rows:  # no row or column with a visible total and exactly one blank
            blanks = [c for c in cols if out.at[r, c] is None]
            assert not (len(blanks) == 1 and out.at[r, "total"] is not None)
        for c in cols:
            blanks = [r for r in rows if out.at[r, c] is None]
            assert not (len(blanks) == 1 and out.at["total", c] is not None)
        margins = [out.at[r, "total"] for r in rows] + [out.at["total", c] for c in cols]
        if any(m is None for m in margins):
            assert out.at["total", "total"] is None
        for r, c in itertools.product(rows, cols):
            v = counts.at[r, c]
            assert (out.at[r, c] is None) == (0 < v < SMALL_CELL)


# ------------------------------------------------------------------------------------------------ uploads
def _csv(rows: list[dict]) -> bytes:
    return pd.DataFrame(rows).to_csv(index=False).encode("utf-8")


def test_an_enterprise_upload_keeps_its_own_rows_and_rejects_the_others(store):
    firm = enterprise(store)
    own = firm.credit_codes[0]
    orgs = store.profiles("organisations", include_private=True)
    mine = orgs[orgs.credit_code == own].iloc[0]
    theirs = orgs[orgs.credit_code != own].iloc[0]
    rows = [{"credit_code": c, "name": n, "org_type": "enterprise", "city": city, "offers": "新的能力：测试服务"}
            for c, n, city in ((own, mine["name"], mine.city), (theirs.credit_code, theirs["name"], theirs.city))]
    prepared = portal.restrict(store, firm, prepare(_csv(rows), "mine.csv", "organisations"))
    assert prepared.rows.num_rows == 1 and prepared.rejected_count == 1
    problem = next(p for p in prepared.problems if p.column == "credit_code")
    assert problem.row == 3 and problem.value == theirs.credit_code and own in problem.reason and own in problem.reason_zh
    report = portal.commit_upload(store, firm, prepared)
    assert (report.updated, report.rejected) == (1, 1)
    assert store.profile("organisations", own)["offers"] == "新的能力：测试服务"
    assert store.profile("organisations", theirs.credit_code)["offers"] == theirs.offers  # untouched
    assert list(portal.uploads(store, firm).upload_id) == [report.upload_id]  # its own uploads only
    assert len(portal.uploads(store, STAFF)) > 1
    edits = store.audit_log().query("action == 'edit_profile'")
    assert list(edits.subject_id) == [own] and list(edits.actor) == ["firm0"]
    # the same rule holds when a page skipped restrict(): commit_upload applies it again
    again = portal.commit_upload(store, firm, prepare(_csv(rows[1:]), "theirs.csv", "organisations"))
    assert (again.new, again.updated, again.rejected) == (0, 0, 1)
    with pytest.raises(Forbidden):
        portal.restrict(store, OFFICIAL, prepared)


def test_an_enterprise_writes_only_the_projects_it_sponsors(store):
    firm = enterprise(store)
    own = firm.credit_codes[0]
    projects = store.profiles("projects")
    foreign = projects[projects.sponsor_credit_code != own].iloc[0]
    rows = [{"project_id": "P-NEW-0001", "title": "新项目", "sponsor_credit_code": own, "city": "Suzhou",
             "seeks": "寻求中试基地", "stage": "pilot"},
            {"project_id": "P-NEW-0002", "title": "别人的新项目", "sponsor_credit_code": foreign.sponsor_credit_code,
             "city": "Suzhou", "seeks": "寻求融资", "stage": "pilot"},
            {"project_id": foreign.project_id, "title": "改名", "sponsor_credit_code": own, "city": "Suzhou",
             "seeks": "x", "stage": "pilot"}]
    prepared = portal.restrict(store, firm, prepare(_csv(rows), "p.csv", "projects"))
    assert prepared.rows.column("project_id").to_pylist() == ["P-NEW-0001"]
    assert sorted((p.row, p.column) for p in prepared.problems if p.severity == "error") == [
        (3, "sponsor_credit_code"), (4, "project_id")]


def test_an_enterprise_edits_its_own_profile_through_the_upload_checks(store):
    firm = enterprise(store)
    own = firm.credit_codes[0]
    before = store.profile("organisations", own)
    report = portal.edit_profile(store, firm, "organisations", own, {"seeks": "寻找车规级模拟芯片供应商，年需求100万颗"})
    assert report.updated == 1 and report.rejected == 0
    after = store.profile("organisations", own)
    assert after["seeks"].startswith("寻找车规级模拟芯片") and after["version"] == before["version"] + 1
    assert after["name"] == before["name"] and after["city"] == before["city"]
    bad = portal.edit_profile(store, firm, "organisations", own, {"contact_email": "not an e-mail"})
    assert bad.rejected == 1 and store.profile("organisations", own)["version"] == after["version"]
    other = next(c for c in names_of(store) if c != own)
    with pytest.raises(Forbidden):
        portal.edit_profile(store, firm, "organisations", other, {"seeks": "x"})
    with pytest.raises(Forbidden):
        portal.edit_profile(store, OFFICIAL, "organisations", own, {"seeks": "x"})
    with pytest.raises(ValueError, match="may hold only"):
        portal.edit_profile(store, firm, "organisations", own, {"revenue_wan": "1"})


def test_the_need_preview_follows_the_text_and_hides_names(store, matcher):
    firm = enterprise(store)
    own = firm.credit_codes[0]
    a = portal.preview_need(store, matcher, load_embedder("hash"), firm, own, "需要12英寸硅片稳定供应", k=5)
    b = portal.preview_need(store, matcher, load_embedder("hash"), firm, own, "寻求A轮融资5000万元", k=5)
    assert len(a) == 5 and list(a.name) != list(b.name) or list(a.offer) != list(b.offer)
    assert a.name.str.startswith("匿名").all() and a.similarity.between(-100, 100).all()
    assert portal.preview_need(store, matcher, load_embedder("hash"), firm, own, "  ").empty
    with pytest.raises(Forbidden):
        portal.preview_need(store, matcher, load_embedder("hash"), OFFICIAL, own, "x")


def test_the_preview_of_a_need_to_sell_lists_those_who_need_it(store, matcher):
    firm = enterprise(store)
    own = firm.credit_codes[0]
    ix = matcher.index
    # what another party needs (a Chinese need statement of a party that is not the firm's)
    row = next(r for r in range(len(ix.needs.text)) if ix.needs.lang[r] == 0 and ix.needs.has_object[r]
               and ix.pid[ix.needs.party[r]] not in firm.credit_codes and 8 <= len(ix.needs.text[r]) <= 40)
    product = ix.needs.text[row]
    sell = portal.preview_need(store, matcher, load_embedder("hash"), firm, own, f"为{product}寻找下游客户", k=5)
    assert len(sell) == 5 and sell.offer.str.startswith("（需求）").all(), sell
    assert product in sell.offer.iloc[0], (product, sell)  # the party that needs it, not those that sell it
    buy = portal.preview_need(store, matcher, load_embedder("hash"), firm, own, f"需要{product}", k=5)
    assert not buy.offer.str.startswith("（需求）").any()


def test_a_deployment_may_publish_names_but_never_contacts(store, matcher, monkeypatch):
    monkeypatch.setenv("HST_PUBLISH_NAMES", "1")
    firm = enterprise(store)
    own = firm.credit_codes[0]
    names = names_of(store)
    listing = portal.matches(store, matcher, firm, own, top_k=5)
    orgs = [(i, m) for i, m in enumerate(listing.matches) if m.candidate_id in names]
    assert orgs and all(listing.table.name.iloc[i].startswith(names[m.candidate_id]) for i, m in orgs)
    assert listing.table.link.eq("").all() and not listing.table.id.isin([m.candidate_id for m in listing.matches]).any()
    with pytest.raises(Forbidden):
        portal.contacts(store, firm, orgs[0][1].candidate_id)


# ------------------------------------------------------------------------------------------------ admin
def test_the_admin_manages_accounts_and_reads_the_log(store):
    portal.add_account(store, ADMIN, "gov2", "official", "correct horse battery", [])
    assert "gov2" in set(portal.accounts(store, ADMIN).name)
    assert portal.disable_account(store, ADMIN, "gov2") is True
    with pytest.raises(Forbidden):
        portal.disable_account(store, Viewer("root", "admin"), "root")
    with pytest.raises(Forbidden):
        portal.accounts(store, STAFF)
    log = portal.audit_log(store, ADMIN)
    assert list(log.action) == ["add_user", "disable_user"] and set(log.actor) == {"root"}


def test_redaction_takes_out_the_name_and_its_core():
    assert name_variants("苏州纳微科技股份有限公司") == ["苏州纳微科技股份有限公司", "纳微科技"]
    assert name_variants("Suzhou Nanowei Technology Co., Ltd.")[1] == "Nanowei Technology"
    assert redact("纳微科技提供微球；NANOWEI TECHNOLOGY is ISO certified", name_variants(
        "Suzhou Nanowei Technology Co., Ltd.") + name_variants("苏州纳微科技股份有限公司"), "对方") == \
        "对方提供微球；对方 is ISO certified"
