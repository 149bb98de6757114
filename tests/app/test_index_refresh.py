"""The index kept fresh in the app (issue 12, item 3): after an upload the pages go on serving the previous
matcher while one background build makes the next, and say so; once it is done the next run shows the new
party. A build that fails is shown, and the previous matcher keeps serving. The real app on the real demo
database (AppTest); the upload goes through the upload page. No test waits on timing: each waits for the
background build explicitly (``_resources.wait_for_refresh``). The test reads the database through the
app's own store: a read-only connection in the same process would refuse the build's (DuckDB allows one
configuration per file and process)."""

from __future__ import annotations

import pytest
from app_testing import open_page

from app_pages import _resources
from app_pages.strings import STRINGS
from matchmaking.reference import credit_code
from matchmaking.services import ingest_bytes

QUERY = "91320600MA9GTTGT4A"  # Vibrasense (Nantong): seeks low-noise triaxial MEMS accelerometers
NEW_CODE = credit_code.make("320594", "MA1RF3M5")
NEW_NAME = "Triaxis MEMS Sensors (Suzhou) Co., Ltd."
NEW_CSV = (
    "credit_code,name,org_type,city,district,description,offers,seeks,partner_types\n"
    f'{NEW_CODE},"{NEW_NAME}",enterprise,Suzhou,Wuzhong,MEMS sensor maker.,"Low-noise triaxial MEMS '
    'accelerometers with bandwidth above 5 kHz for wireless vibration monitoring nodes, 200,000 a year.",,supplier\n'
).encode()


def s(key: str, **values: object) -> str:
    text = STRINGS[key][0]
    return text.format(**values) if values else text


def matched_names(at) -> list[str]:
    table = next(d.value for d in at.dataframe if {"object", "status", "link"} <= set(d.value.columns))
    return list(table.name)


def matches_of_query(app):
    app.query_params["org"] = QUERY
    at = open_page(app, "matches")
    assert at.selectbox(key="matches.query").value == QUERY
    return at


def upload_through_the_page(app) -> None:
    at = open_page(app, "upload")
    at.file_uploader(key="upload.file").set_value(("triaxis.csv", NEW_CSV, "text/csv")).run()
    assert not at.exception, at.exception
    at.button(key="upload.commit").click().run()
    assert not at.exception, at.exception


def notices(at) -> list[str]:
    return [e.value for e in (*at.info, *at.error)]


def test_after_an_upload_the_previous_matches_serve_with_a_notice_then_the_new_party_shows(app, demo_db):
    at = matches_of_query(app)  # the first build: waited for, as before
    before = matched_names(at)
    assert NEW_NAME not in before and s("common.index_refreshing") not in notices(at)
    served = _resources.built_version()

    upload_through_the_page(app)
    assert _resources.store().profile("organisations", NEW_CODE)["name"] == NEW_NAME
    at = matches_of_query(app)
    assert s("common.index_refreshing") in notices(at), notices(at)
    assert matched_names(at) == before, "the previous matcher serves while the next one is built"
    assert _resources.built_version() == served

    assert _resources.wait_for_refresh(timeout=300)
    at = matches_of_query(app)
    assert s("common.index_refreshing") not in notices(at) and not at.error
    assert _resources.built_version() == _resources.data_version() > served
    assert NEW_NAME in matched_names(at), matched_names(at)
    at.text_input(key="matches.search").input("Triaxis").run()  # the new party is a query too
    assert not at.exception and at.selectbox(key="matches.query").value == NEW_CODE


def test_a_failed_refresh_is_shown_and_the_previous_matcher_keeps_serving(app, demo_db):
    at = matches_of_query(app)
    before = matched_names(at)
    served = _resources.built_version()
    # stored as another process would (``hst ingest``), so that no page run has started the refresh yet
    assert ingest_bytes(_resources.store(), NEW_CSV, "triaxis.csv").new == 1
    version = _resources.data_version()
    matchers = _resources._registry().get(str(demo_db), _resources.embedder().model_id)

    def fails(previous):
        raise OSError("No space left on device")

    matchers.get(version, fails)  # the background build of this version, with a build that fails
    assert _resources.wait_for_refresh(timeout=60)
    at = matches_of_query(app)
    shown = [e.value for e in at.error]
    assert any(s("common.index_refresh_failed", error="OSError: No space left on device") == e for e in shown), shown
    assert matched_names(at) == before and _resources.built_version() == served
    assert matchers.building is None, "a failed version is not built again on every page view"


@pytest.mark.parametrize("first", [True, False])
def test_one_build_at_a_time_and_the_first_is_waited_for(first):
    """``_Matchers`` on its own: the first build runs in the caller; later ones in one background thread at
    a time, the previous matcher served meanwhile."""
    import threading
    from types import SimpleNamespace

    m = _resources._Matchers()
    release = threading.Event()
    calls: list[tuple[int, object]] = []

    def build(previous):
        calls.append((len(calls), previous))
        if calls[-1][0] > 0:
            release.wait(30)
        return SimpleNamespace(index=f"index {len(calls)}")

    v, made = m.get(1, build)
    assert (v, made.index, calls) == (1, "index 1", [(0, None)])
    if not first:
        return
    assert m.get(2, build) == (1, made)  # the previous one at once; the build of 2 starts
    assert m.get(3, build) == (1, made)  # one build at a time: 3 waits for the next view after 2
    release.set()
    m.building[0].join(30)
    assert m.get(3, build)[0] == 2 and calls[1][1] == "index 1"  # the build reused the previous index
    m.building[0].join(30)
    assert m.get(3, build)[0] == 3 and len(calls) == 3
