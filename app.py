"""hst-alliance, the Streamlit app: a router only. Pages live in ``app_pages/``; logic in the libraries."""

from pathlib import Path

import streamlit as st

from app_pages.i18n import language_switch, t
from app_pages.login import viewer

# The tab icon is a file the app serves itself: a ":material/…:" page icon makes the browser fetch an SVG from
# fonts.gstatic.com, which a closed network refuses (the navigation's Material icons are bundled with Streamlit).
FAVICON = Path(__file__).parent / "app_pages" / "assets" / "favicon.png"

st.set_page_config(page_title="沪苏通产业联盟 hst-alliance", page_icon=str(FAVICON), layout="wide")
language_switch()
viewer()  # who is looking (st.session_state["viewer"]); with accounts and no one logged in, the login form only
pages = [
    st.Page("app_pages/overview.py", title=t("nav.overview"), icon=":material/dashboard:", url_path="overview", default=True),
    st.Page("app_pages/matches.py", title=t("nav.matches"), icon=":material/handshake:", url_path="matches"),
    st.Page("app_pages/profile.py", title=t("nav.profile"), icon=":material/badge:", url_path="profile"),
    st.Page("app_pages/upload.py", title=t("nav.upload"), icon=":material/upload_file:", url_path="upload"),
    st.Page("app_pages/benefit.py", title=t("nav.benefit"), icon=":material/balance:", url_path="benefit"),
    st.Page("app_pages/alliances.py", title=t("nav.alliances"), icon=":material/hub:", url_path="alliances"),
]
st.navigation(pages).run()
