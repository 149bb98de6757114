"""跟进漏斗 Funnel (staff): how suggested pairs move from shown to landed — by stage, by city pair, by chain
and by staff member — how long they stay in each stage, the stalled pairs to chase, the weights learned
from the outcomes and what changed them; every table in one Excel download. One library call
(``views.funnel.funnel``, which refuses any role but staff); the page only renders."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from app_pages._resources import store
from app_pages.i18n import lang, t
from app_pages.login import current_viewer, refused
from matchmaking.accounts import AccountRefused
from matchmaking.followup import status_name
from matchmaking.views.funnel import STALL_DAYS, funnel, funnel_workbook

K = "funnel."  # session-state namespace of this page
L = lang()
V = current_viewer()

st.title(t("funnel.title"))
st.caption(t("funnel.intro"))
stall = st.slider(t("funnel.stall_days"), 7, 120, STALL_DAYS, 1, key=K + "stall")
try:
    f = funnel(store(), V, L, stall_days=stall)
except AccountRefused as exc:
    refused(exc)


def stage_name(s: str) -> str:
    return t("funnel.shown") if s == "shown" else status_name(s, L)


if f.is_empty():
    st.info(t("funnel.empty"))

st.subheader(t("funnel.stages"))
left, right = st.columns([3, 2])
with left:
    fig = go.Figure(go.Funnel(y=[stage_name(s) for s in f.stages.stage], x=list(f.stages.pairs),
                              textinfo="value+percent initial"))
    fig.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(fig, key=K + "chart")
with right:
    st.dataframe(f.stages.assign(stage=[stage_name(s) for s in f.stages.stage]), hide_index=True, placeholder="", key=K + "stages",
                 column_config={"stage": t("funnel.stage"), "pairs": t("funnel.pairs"),
                                "of_previous": st.column_config.NumberColumn(t("funnel.of_previous"), format="percent"),
                                "of_shown": st.column_config.NumberColumn(t("funnel.of_shown"), format="percent")})

conv = {"followed": t("funnel.followed"), "met": t("funnel.met_plus"), "signed": t("funnel.signed_plus"),
        "declined": t("funnel.declined"),
        "conversion": st.column_config.NumberColumn(t("funnel.conversion"), format="percent")}
by_city, by_chain, by_staff, timing = st.tabs([t("funnel.by_city"), t("funnel.by_chain"), t("funnel.by_staff"),
                                               t("funnel.time_in_stage")])


def table(frame, key: str, **config) -> None:
    """A table, or a line saying there is nothing yet (an empty table would say "empty" in English)."""
    if frame.empty:
        st.caption(t("funnel.nothing"))
    else:
        st.dataframe(frame, hide_index=True, placeholder="", key=K + key, column_config=config)


with by_city:
    table(f.by_city, "city", **{"from_city": t("funnel.from_city"), "to_city": t("funnel.to_city"), **conv})
with by_chain:
    table(f.by_chain, "chain", **{"chain": t("common.chain"), **conv})
with by_staff:
    table(f.by_staff, "staff", **{"by": t("funnel.staff"), "changes": t("funnel.changes"), "pairs": t("funnel.pairs"),
                                  "met": t("funnel.met_plus"), "signed": t("funnel.signed_plus"),
                                  "declined": t("funnel.declined")})
with timing:
    st.dataframe(f.time_in_stage.assign(stage=[stage_name(s) for s in f.time_in_stage.stage]), hide_index=True,
                 placeholder="", key=K + "time", column_config={"stage": t("funnel.stage"), "pairs": t("funnel.pairs"),
                                                "median_days": t("funnel.median_days"),
                                                "mean_days": t("funnel.mean_days")})
    if len(f.declines):
        st.markdown(f"**{t('funnel.declines')}**")
        st.dataframe(f.declines, hide_index=True, placeholder="", key=K + "declines",
                     column_config={"reason": t("funnel.reason"), "pairs": t("funnel.pairs")})

st.subheader(t("funnel.stalled", days=stall))
if f.stalled.empty:
    st.caption(t("funnel.none_stalled"))
else:
    st.dataframe(f.stalled, hide_index=True, placeholder="", key=K + "stalled",
                 column_config={"query_id": None, "candidate_id": None, "query": t("funnel.query"),
                                "candidate": t("funnel.candidate"), "status": t("matches.status"),
                                "since": st.column_config.DatetimeColumn(t("funnel.since"), format="YYYY-MM-DD"),
                                "days": t("funnel.days"), "owner": t("matches.owner"),
                                "next_action_on": t("matches.next_action")})

st.subheader(t("funnel.weights"))
if f.weights.empty:
    st.caption(t("funnel.no_fit"))
else:
    fit = f.fits.iloc[-1]
    blend = float(fit.blend)
    st.caption(t("funnel.fit_note", outcomes=int(fit.outcomes), queries=int(fit.queries), share=f"{blend:.0%}",
                 when=str(fit.fitted_at)[:16], by=fit.fitted_by))
    st.dataframe(f.weights, hide_index=True, placeholder="", key=K + "weights",
                 column_config={"weight": None, "label": t("funnel.weight"), "before": t("funnel.before"),
                                "after": t("funnel.after"), "change": t("funnel.change")})
    st.dataframe(f.fits, hide_index=True, placeholder="", key=K + "fits",
                 column_config={"fit_id": "#", "fitted_at": t("funnel.fitted_at"), "fitted_by": t("funnel.staff"),
                                "outcomes": t("funnel.outcomes"), "queries": t("funnel.queries"),
                                "blend": st.column_config.NumberColumn(t("funnel.blend"), format="percent"),
                                "lift": t("funnel.lift"), "lift_low": t("funnel.lift_low"),
                                "lift_high": t("funnel.lift_high")})
share = f.new_share.iloc[0]
if share.shown_pairs:
    st.caption(t("funnel.new_share", n=int(share.to_new_profiles), total=int(share.shown_pairs),
                 share=f"{float(share.share):.0%}"))

st.download_button(t("funnel.download"), funnel_workbook(f), file_name="funnel.xlsx", key=K + "download",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
