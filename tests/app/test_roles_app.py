"""Each role in the real app (issue 11, item 5): log in through the form, open every page the role is given,
and read everything the page shows. An enterprise sees no other organisation's name, credit code or contact
(its matches anonymised, still explained), reaches no other party through the address, and its interest is
stored; staff see the contacts of a match and the look is audited; officials see suppressed counts and no
contact; the admin manages accounts. AppTest on a copy of the demo database with the default model's
embeddings; nothing mocked."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.strings import STRINGS
from matchmaking.access import PAGES
from matchmaking.store import Store

from .conftest import ROOT

PW = "correct horse battery"


def s(key: str, lang: str = "zh", **values: object) -> str:
    text = STRINGS[key][0 if lang == "zh" else 1]
    return text.format(**values) if values else text


@pytest.fixture
def accounts(demo_db):
    """One account per role; the enterprise speaks for a demo firm with stated needs. Returns (its code,
    every organisation's name, code, contacts)."""
    with Store(demo_db) as store:
        orgs = store.profiles("organisations", include_private=True)
        firm = orgs[(orgs.org_type == "enterprise") & orgs.seeks.fillna("").str.len().gt(0)].credit_code.iloc[0]
        for name, role in (("staff", "staff"), ("gov", "official"), ("root", "admin")):
            store.add_user(name, role, PW)
        store.add_user("firm", "enterprise", PW, [firm])
    return firm, orgs


def logged_in(name: str, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["lang"] = lang
    at.run()
    at.text_input[0].set_value(name)
    at.text_input[1].set_value(PW)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.session_state["viewer"].name == name
    return at


def visit(at: AppTest, page: str, **params: str) -> AppTest:
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, (page, at.exception)
    return at


def everything_shown(at: AppTest) -> str:
    """Every text of the page: markdown, captions, headings, notices, widget labels and options, and every
    cell of every table (expanders and popovers included: AppTest runs their contents)."""
    parts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "error", "warning", "success",
                 "text", "metric"):
        parts += [str(getattr(e, "value", "")) for e in getattr(at, kind)]
    for kind in ("selectbox", "multiselect", "radio"):
        for w in getattr(at, kind):
            parts.append(str(w.label))
            parts += [str(o) for o in getattr(w, "options", [])]
    parts += [str(w.value) for w in at.text_input] + [str(w.value) for w in at.text_area]
    for d in at.dataframe:
        parts += [str(v) for v in d.value.astype(str).to_numpy().ravel()]
    return "\n".join(parts)


def secrets_of(orgs, own: str) -> list[str]:
    """What an enterprise must never see of the others: names, credit codes, phones, e-mails."""
    others = orgs[orgs.credit_code != own]
    out = list(others.credit_code) + list(others["name"])
    out += [v for v in others.contact_phone.dropna() if len(str(v)) >= 7] + list(others.contact_email.dropna())
    return [str(v) for v in out if str(v).strip()]


def test_an_enterprise_sees_only_itself_and_anonymised_matches(accounts, demo_db):
    firm, orgs = accounts
    at = logged_in("firm")
    forbidden = secrets_of(orgs, firm)
    for page in PAGES["enterprise"]:
        shown = everything_shown(visit(at, page))
        leaked = [v for v in forbidden if v in shown]
        assert not leaked, (page, leaked[:5])
    at = visit(at, "matches")
    table = at.dataframe[0].value
    assert table.hidden.all() and table.name.str.startswith("匿名").all()
    assert any(s("matches.anonymous_note") in c.value for c in at.caption)
    assert any(m.value.startswith("- 关系") for m in at.markdown)  # the anonymised match explains itself
    assert not any(b.label == s("matches.save") for b in at.button)  # no follow-up form
    at.button(key=next(b.key for b in at.button if b.label == s("matches.interest"))).click().run()
    assert not at.exception and s("matches.interest_recorded") in [x.value for x in at.success]
    with Store(demo_db, read_only=True) as store:
        assert store.interests([firm]).from_id.tolist() == [firm]


def test_an_enterprise_cannot_reach_another_party_by_address(accounts):
    firm, orgs = accounts
    other = orgs[orgs.credit_code != firm].iloc[0]
    at = logged_in("firm")
    for page in ("profile", "matches"):
        at.query_params.clear()
        at = visit(at, page, org=other.credit_code)
        shown = everything_shown(at)
        assert other["name"] not in shown and str(other.contact_email) not in shown, page
        assert at.error, page  # refused, with the reason
    at.query_params.clear()
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # another role's page is not
        at.switch_page("app_pages/alliances.py")                               # in its navigation at all


def test_staff_see_the_contacts_of_a_match_and_the_look_is_audited(accounts, demo_db):
    firm, orgs = accounts
    at = visit(logged_in("staff"), "matches", org=firm)
    table = at.dataframe[0].value
    assert not table.hidden.any()
    candidate = table.id.iloc[0]
    at.toggle(key=f"matches.contacts.{firm}.{candidate}").set_value(True).run()
    assert not at.exception
    email = orgs.set_index("credit_code").contact_email.get(candidate)
    if isinstance(email, str):
        assert email in everything_shown(at)
    with Store(demo_db, read_only=True) as store:
        log = store.audit_log()
    assert [(r.actor, r.action, r.subject_id, r.other_id) for r in log.itertuples()] == [
        ("staff", "view_contacts", candidate, firm)]


def test_an_official_sees_aggregates_and_no_contact(accounts):
    _firm, orgs = accounts
    at = logged_in("gov")
    contacts = [str(v) for v in orgs.contact_email.dropna()] + [str(v) for v in orgs.contact_phone.dropna()]
    for page in PAGES["official"]:
        shown = everything_shown(visit(at, page))
        assert not [c for c in contacts if c in shown], page
        assert s("profile.field.revenue_wan") not in shown
    at = visit(at, "overview")
    assert s("overview.suppressed") in [c.value for c in at.caption]
    at = visit(at, "profile", org=orgs.credit_code.iloc[0])
    assert at.title[0].value == orgs["name"].iloc[0] and not at.toggle  # a public page, no contacts to ask for


def test_the_admin_sees_accounts_and_the_audit_log_only(accounts):
    at = visit(logged_in("root"), "accounts")
    assert set(at.dataframe[0].value.name) == {"staff", "gov", "root", "firm"}
    _firm, orgs = accounts
    assert orgs["name"].iloc[0] not in everything_shown(at)
    for page in ("matches", "overview", "profile", "upload"):  # not an admin's pages
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"app_pages/{page}.py")
