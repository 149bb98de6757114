"""hst-alliance, the Streamlit app: a router only. Pages live in ``app_pages/``; logic in the libraries."""

from pathlib import Path

import streamlit as st

from app_pages._resources import refresh_notice
from app_pages.i18n import language_switch, t
from app_pages.login import login_form, viewer
from matchmaking.access import pages_for

# The tab icon is a file the app serves itself: a ":material/…:" page icon makes the browser fetch an SVG from
# fonts.gstatic.com, which a closed network refuses (the navigation's Material icons are bundled with Streamlit).
FAVICON = Path(__file__).parent / "app_pages" / "assets" / "favicon.png"

st.set_page_config(page_title="沪苏通产业联盟 hst-alliance", page_icon=str(FAVICON), layout="wide")
language_switch()
who = viewer()  # st.session_state["viewer"] (after a reload: resumed from the session cookie); None: no one logged in
PAGES = {  # name → (file, title, icon); each role is given those of access.PAGES, in that order
    "overview": ("app_pages/overview.py", "nav.overview", ":material/dashboard:"),
    "matches": ("app_pages/matches.py", "nav.matches", ":material/handshake:"),
    "profile": ("app_pages/profile.py", "nav.profile", ":material/badge:"),
    "upload": ("app_pages/upload.py", "nav.upload", ":material/upload_file:"),
    "benefit": ("app_pages/benefit.py", "nav.benefit", ":material/balance:"),
    "alliances": ("app_pages/alliances.py", "nav.alliances", ":material/hub:"),
    "funnel": ("app_pages/funnel.py", "nav.funnel", ":material/filter_alt:"),
    "accounts": ("app_pages/accounts.py", "nav.accounts", ":material/manage_accounts:"),
}
# Before login every page is known (hidden), so the address resolves and a bookmarked link lands on its page
# once logged in; but none runs: the login form is all there is.
names = pages_for(who) if who is not None else list(PAGES)
pages = [st.Page(PAGES[n][0], title=t(PAGES[n][1]), icon=PAGES[n][2], url_path=n, default=i == 0)
         for i, n in enumerate(names)]
page = st.navigation(pages, position="sidebar" if who is not None else "hidden")
if who is None:
    login_form()
else:
    refresh_notice()  # after an upload: the matches shown are the previous ones until the new index is ready
page.run()
